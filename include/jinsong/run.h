/**
 * @file run.h
 * @brief The verbs behind the command line: run, validate, info.
 *
 * Each returns the process exit status: 0 ok, 2 bad input (nothing written), 1 a
 * failure while running (the final output path untouched).
 */
#ifndef JS_RUN_H
#define JS_RUN_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/scenario.h"

/** @brief Exit statuses. */
enum js_exit {
    JS_EXIT_OK = 0,        /**< done */
    JS_EXIT_FAILURE = 1,   /**< a failure while running */
    JS_EXIT_BAD_INPUT = 2, /**< bad input: nothing was run or written */
    JS_EXIT_STOPPED = 3    /**< stopped early (signal, stop file, wall time) with restart files
                                written: continue with --restart; sweeps: members left to run */
};

/** @brief Options of `jinsong run`. */
struct js_run_options {
    const char *config;            /**< scenario file */
    const char *output;            /**< -o, or NULL for results/<scenario>.h5 */
    struct js_scenario_options sc; /**< --set, --seed, --run-index */
    int threads;                   /**< --threads, 0 = OMP_NUM_THREADS or all cores */
    bool dry_run;                  /**< validate and size only */
    bool quiet;                    /**< errors only */
    const char *command_line;      /**< for /provenance */
    const char *restart;           /**< --restart DIR: continue from its restart file, or NULL */
    const char *checkpoint_dir;    /**< --checkpoint-dir DIR: where restart files go, or NULL */
    int32_t checkpoint_every;      /**< --checkpoint-every N: a restart file every N days (0) */
    double checkpoint_hours;       /**< --checkpoint-hours H: one every H wall-clock hours (0) */
    double max_wall_seconds;       /**< --max-wall-time: stop in time to write one (0 = none) */
    int32_t stop_after_days;       /**< --stop-after-days N: write one after N days and stop (0) */
};

/**
 * @brief `jinsong run`: simulate and write the output; with a checkpoint folder, write restart
 * files and stop when asked to (signal, stop file, wall time, --stop-after-days); with
 * --restart, continue a run from its restart file.
 * @param o options
 */
int js_run(const struct js_run_options *o);

/**
 * @brief `jinsong validate`: check a scenario and print its parameter table.
 * @param config scenario file
 * @param sc command-line changes
 * @param quiet print nothing but errors
 */
int js_validate(const char *config, const struct js_scenario_options *sc, bool quiet);

/**
 * @brief `jinsong info`: describe an output file.
 * @param path the file
 * @param quiet print nothing but errors
 */
int js_info(const char *path, bool quiet);

#endif /* JS_RUN_H */
