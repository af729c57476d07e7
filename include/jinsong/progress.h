/**
 * @file progress.h
 * @brief Progress of a run on stderr when it is a terminal: simulated date, days/s, ETA.
 */
#ifndef JS_PROGRESS_H
#define JS_PROGRESS_H

/* system headers */
#include <stdbool.h>

/* local headers */
#include "jinsong/world.h"

/** @brief Progress display state. */
struct js_progress {
    bool enabled;      /**< stderr is a terminal and not --quiet */
    double t0;         /**< wall time at start */
    double last;       /**< wall time of the last update */
    int32_t n_days;    /**< days to simulate */
    int32_t first_day; /**< day the run (or restart) began at */
};

/**
 * @brief Starts the display.
 * @param p state
 * @param w the world (dates)
 * @param enabled show it?
 */
void js_progress_start(struct js_progress *p, const struct js_world *w, bool enabled);

/**
 * @brief Updates the line (at most five times a second).
 * @param p state
 * @param w the world after the day just simulated
 */
void js_progress_update(struct js_progress *p, const struct js_world *w);

/**
 * @brief Clears the line.
 * @param p state
 */
void js_progress_finish(struct js_progress *p);

#endif /* JS_PROGRESS_H */
