/**
 * @file scenario.h
 * @brief A scenario: the YAML config read, checked and turned into a world and the
 * model's parameters.
 *
 * io/scenario owns the schema (docs/CONFIG.md documents every key). It builds the
 * world through core's constructors and fills the model's parameter structs; model
 * code never sees YAML.
 */
#ifndef JS_SCENARIO_H
#define JS_SCENARIO_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/config.h"
#include "jinsong/diag.h"
#include "jinsong/sim.h"
#include "jinsong/world.h"

/** @brief Longest run accepted, in days (200 years). */
#define JS_SCENARIO_MAX_DAYS 73050

/** @brief Command-line choices that change a scenario. */
struct js_scenario_options {
    const char *const *sets; /**< --set arguments "path=value" */
    int nsets;               /**< how many */
    bool seed_given;         /**< --seed given */
    uint32_t seed;           /**< its value */
    bool run_index_given;    /**< --run-index given */
    uint32_t run_index;      /**< its value */
};

/** @brief A loaded scenario. */
struct js_scenario {
    char *path;                      /**< the scenario file as given */
    char *name;                      /**< scenario.name */
    char *title;                     /**< scenario.title (may be "") */
    uint32_t seed;                   /**< seed of the random streams */
    uint32_t run_index;              /**< run index of the random streams */
    int32_t output_every;            /**< days between output rows */
    struct js_world world;           /**< the initial state */
    struct js_model_params params;   /**< every module's parameters */
    char *resolved_yaml;             /**< the resolved scenario (extends and --set applied) */
    struct js_param_record *records; /**< every parameter used: value, unit, source */
    size_t nrecords;                 /**< how many */
    char **set_log;                  /**< "value of X changed from A to B" */
    size_t nset_log;                 /**< how many */
};

/**
 * @brief Reads and checks a scenario; builds its world.
 * Every error found is added to @p d (all of them, not only the first).
 * @param sc the scenario (zeroed by the caller)
 * @param path the scenario file
 * @param opt command-line choices (may be NULL)
 * @param d errors
 * @return 0, or -1 if the scenario is invalid (nothing is built)
 */
int js_scenario_load(struct js_scenario *sc, const char *path,
                     const struct js_scenario_options *opt, struct js_diag *d);

/**
 * @brief Frees the scenario and its world.
 * @param sc the scenario
 */
void js_scenario_free(struct js_scenario *sc);

#endif /* JS_SCENARIO_H */
