/**
 * @file ensemble_out.h
 * @brief DIR/ensemble.h5, the index of a sweep (layout in docs/OUTPUT.md, "Ensembles"), and
 * the summary scalars read from a member's output.
 */
#ifndef JS_ENSEMBLE_OUT_H
#define JS_ENSEMBLE_OUT_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/** @brief Everything ensemble.h5 holds, one entry per member in the member arrays. */
struct js_ensemble_table {
    const char *sweep_name;           /**< sweep.name */
    const char *sweep_file;           /**< the sweep file */
    const char *scenario;             /**< the base scenario */
    uint32_t seed;                    /**< the sweep's seed */
    const char *kind;                 /**< design kind ("grid", ...) */
    int32_t n_params;                 /**< varied parameters */
    int32_t base_samples;             /**< N of a Saltelli design (sample size otherwise) */
    int32_t replicates;               /**< runs per design point */
    int64_t n_points;                 /**< design points */
    const char *const *keys;          /**< [n_params] dotted key paths */
    const double *lower;              /**< [n_params] least values */
    const double *upper;              /**< [n_params] greatest values */
    int64_t n;                        /**< members */
    const int32_t *point;             /**< [n] design point */
    const int32_t *replicate;         /**< [n] replicate */
    const uint32_t *seeds;            /**< [n] seed */
    const uint32_t *run_index;        /**< [n] run index */
    const char *const *status;        /**< [n] ok, failed, pending */
    const char *const *error;         /**< [n] error of a failed member, or "" */
    const char *const *file;          /**< [n] member_<k>.h5 */
    const double *wall;               /**< [n] wall seconds (NaN if not run) */
    const double *values;             /**< [n × n_params] the member's parameter values */
    const int32_t *matrix;            /**< [n] Saltelli matrix, or NULL */
    const int32_t *row;               /**< [n] Saltelli base row, or NULL */
    int nsummary;                     /**< summary scalars */
    const char *const *summary_names; /**< [nsummary] their names (without summary__) */
    const double *summary;            /**< [n × nsummary] values (NaN when absent) */
    const char *command_line;         /**< for /provenance */
};

/**
 * @brief Writes ensemble.h5 (to `<path>.<pid>.partial`, renamed when complete).
 * @param path the file
 * @param t the index
 * @param err message on failure
 * @param errlen its size
 * @return 0, or -1
 */
int js_ensemble_write(const char *path, const struct js_ensemble_table *t, char *err,
                      size_t errlen);

/** @brief Summary scalars of one member. */
struct js_ensemble_summary {
    int n;          /**< how many */
    char **names;   /**< names ("population", "persons__births", "events__NOTE", ...) */
    double *values; /**< values */
};

/**
 * @brief Reads a member's summary scalars from its output: final population of places, the
 * last row of every numeric /factions variable per faction, every ledger flow summed over the
 * run, and events by kind.
 * @param path the member's file
 * @param s out
 * @return 0, or -1 if the file cannot be read
 */
int js_ensemble_summary_read(const char *path, struct js_ensemble_summary *s);

/**
 * @brief Frees a summary.
 * @param s the summary
 */
void js_ensemble_summary_free(struct js_ensemble_summary *s);

/**
 * @brief Whether an output file is complete: /provenance has completed = "true".
 * @param path the file
 * @return 1 complete, 0 not (or not readable)
 */
int js_ensemble_file_complete(const char *path);

#endif /* JS_ENSEMBLE_OUT_H */
