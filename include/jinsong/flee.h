/**
 * @file flee.h
 * @brief FLEE scenarios (Suleimenova, Bell & Groen 2017; Flee 3, 2024): the importer that turns
 * a FLEE scenario folder into a jinsong scenario, and the validation score of a run against the
 * scenario's UNHCR camp counts (FLEE's averaged relative difference).
 *
 * A FLEE scenario folder holds `input_csv/` (locations, routes, closures, conflicts,
 * sim_period, registration_corrections) and `source_data/` (data_layout.csv and one date,count
 * file per camp); the rule parameters come from a `simsetting.yml`. Formats, rules and the
 * metric: ../shared/research/flee-rules.md §1–§3; what jinsong does with them: docs/MODEL.md,
 * "Refugees", and docs/VALIDATION.md.
 */
#ifndef JS_FLEE_H
#define JS_FLEE_H

/* system headers */
#include <stdint.h>

/* local headers */
#include "jinsong/diag.h"

/**
 * @brief Imports a FLEE scenario: reads DIR/input_csv, DIR/source_data and the settings, and
 * writes a jinsong scenario (YAML, through OUT.partial renamed at the end) that runs from any
 * folder (the observed camp series are embedded).
 * @param dir the scenario folder
 * @param settings the simsetting.yml to use, or NULL: DIR/simsetting.yml, else
 *        DIR/../simsetting.yml
 * @param out the scenario file to write
 * @param d errors (file:line:col of the FLEE file at fault)
 * @return 0, or -1 with errors in @p d (nothing written)
 */
int js_flee_import(const char *dir, const char *settings, const char *out, struct js_diag *d);

/** @brief The score of a run against the UNHCR counts of a FLEE scenario. */
struct js_flee_score {
    double ard;          /**< averaged relative difference, plain ("Error (normal)") */
    double ard_rescaled; /**< the same after scaling the simulated camp counts to the data's
                              total each day ("Error (rescaled)", FabFlee's score) */
    int32_t days;        /**< days averaged over (rows 1 … length of the run) */
    int32_t camps;       /**< camps compared */
    double sim_final;    /**< simulated refugees in the camps at the end */
    double data_final;   /**< observed refugees in the camps at the end */
};

/**
 * @brief Scores a run: E(t) = Σ_camps |sim_c(t) − data_c(t)| / max(1, Σ_camps data_c(t)) for
 * every output row t ≥ 1 (the state after t days against the data interpolated at day t), and
 * its mean; the rescaled variant scales sim_c(t) by Σ data(t) / Σ sim(t) first. Simulated
 * counts are /places/refugees_present of the place named like the camp.
 * @param run the run's HDF5 output
 * @param dir the FLEE scenario folder (source_data/ and input_csv/registration_corrections.csv)
 * @param out the score
 * @param per_day if not NULL, receives a malloc'd array of E(t), rescaled, for t = 1 … days
 * @param d errors
 * @return 0, or -1 with errors in @p d
 */
int js_flee_score(const char *run, const char *dir, struct js_flee_score *out, double **per_day,
                  struct js_diag *d);

/**
 * @brief The command-line verbs `import-flee` and `flee-score` (app/flee_cli.c).
 * @param argc arguments (argv[0] is the verb)
 * @param argv arguments
 * @return exit status: 0 ok, 2 bad input
 */
int js_flee_cli(int argc, char **argv);

#endif /* JS_FLEE_H */
