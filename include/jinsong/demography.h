/**
 * @file demography.h
 * @brief Births and deaths of every place's population (phase 9, parallel over places).
 *
 * Each day, for each place and class, births and baseline deaths are binomial draws
 * from the start-of-day population with daily probabilities 1 - exp(-rate / 365.25)
 * from yearly rates. Draws come from the stream (day, place, DEMOGRAPHY purpose), so
 * the result does not depend on the number of threads.
 */
#ifndef JS_DEMOGRAPHY_H
#define JS_DEMOGRAPHY_H

/* local headers */
#include "jinsong/world.h"

/** @brief Demography parameters (scenario section `demography:`). */
struct js_demography_params {
    double birth_rate;               /**< births per person per year */
    double death_rate;               /**< baseline deaths per person per year */
    double persons_per_household;    /**< persons per registered household */
    double class_share[JS_NCLASSES]; /**< default split of a place's people by class */
};

/** @brief Purposes of demography's random streams. */
enum js_demography_purpose {
    JS_DEMOG_VITAL = 1, /**< births and baseline deaths of a place */
};

/**
 * @brief Births and baseline deaths in every place (parallel over places).
 * @param w the world
 * @param d today
 * @param p rates
 */
void js_demography_step(struct js_world *w, const struct js_day *d,
                        const struct js_demography_params *p);

#endif /* JS_DEMOGRAPHY_H */
