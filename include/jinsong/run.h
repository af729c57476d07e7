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

/* local headers */
#include "jinsong/scenario.h"

/** @brief Exit statuses. */
enum js_exit { JS_EXIT_OK = 0, JS_EXIT_FAILURE = 1, JS_EXIT_BAD_INPUT = 2 };

/** @brief Options of `jinsong run`. */
struct js_run_options {
    const char *config;            /**< scenario file */
    const char *output;            /**< -o, or NULL for results/<scenario>.h5 */
    struct js_scenario_options sc; /**< --set, --seed, --run-index */
    int threads;                   /**< --threads, 0 = OMP_NUM_THREADS or all cores */
    bool dry_run;                  /**< validate and size only */
    bool quiet;                    /**< errors only */
    const char *command_line;      /**< for /provenance */
};

/**
 * @brief `jinsong run`: simulate and write the output.
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
