/**
 * @file sweep.h
 * @brief The sweep file (YAML): base scenario, seed, replicates and the design of a parameter
 * sweep (docs/CONFIG.md, "Sweep files").
 *
 * Read with the scenario's typed getters, so every mistake is reported with its file:line:col,
 * key and what was expected, and unknown keys are errors. Values of the varied parameters are
 * numbers; each parameter is any dotted config path of the scenario.
 */
#ifndef JS_SWEEP_H
#define JS_SWEEP_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/diag.h"

/** @brief Kinds of design. Add, never renumber (ensemble.h5 records the name). */
enum js_design_kind {
    JS_DESIGN_GRID = 0,   /**< full factorial over listed values and ranges (lerp or step) */
    JS_DESIGN_LIST,       /**< explicit design points */
    JS_DESIGN_LHS,        /**< Latin hypercube sample of N points */
    JS_DESIGN_SOBOL,      /**< N points of the Sobol quasi-random sequence */
    JS_DESIGN_SALTELLI,   /**< Saltelli's A, B and AB_i matrices for Sobol indices */
    JS_DESIGN_REPLICATES, /**< the base scenario only, replicated */
    JS_NDESIGN_KINDS
};

/** @brief Most dimensions of GSL's Sobol generator (it returns garbage beyond, silently). */
#define JS_SWEEP_SOBOL_MAX_DIMS 40
/** @brief Most parameters of a Saltelli design: A and B take 2 Sobol dimensions each. */
#define JS_SWEEP_SALTELLI_MAX_PARAMS (JS_SWEEP_SOBOL_MAX_DIMS / 2)
/** @brief Most members of a sweep (run indices are uint32; this keeps tables sane). */
#define JS_SWEEP_MAX_MEMBERS 10000000

/** @brief One varied parameter. */
struct js_sweep_param {
    char *key;       /**< dotted config path ("demography.birth_rate_per_year") */
    bool integer;    /**< values are whole numbers (sampled values are rounded) */
    double lower;    /**< range: given (lhs, sobol, saltelli), or the least value (grid, list) */
    double upper;    /**< the greatest value */
    int32_t nvalues; /**< grid: how many values */
    double *values;  /**< grid: the values, listed or generated (from/to with n or step) */
    char *where;     /**< "file:line" of the parameter, for messages */
};

/** @brief A sweep file, read and checked. */
struct js_sweep {
    char *path;                    /**< the sweep file as given */
    char *name;                    /**< sweep.name */
    char *scenario;                /**< sweep.scenario, joined to the sweep file's folder */
    uint32_t seed;                 /**< sweep.seed: the seed of every member */
    int32_t replicates;            /**< sweep.replicates: runs per design point */
    enum js_design_kind kind;      /**< sweep.design */
    int32_t samples;               /**< sweep.samples (lhs, sobol: points; saltelli: N) */
    int nparams;                   /**< varied parameters */
    struct js_sweep_param *params; /**< them, in file order */
    int32_t npoints;               /**< list: design points */
    double *points;                /**< list: [npoints * nparams] values */
    int nsets;                     /**< fixed changes (sweep.set) */
    char **sets;                   /**< them, as --set arguments "key=value" */
};

/**
 * @brief Reads and checks a sweep file. Every error is added to @p d.
 * @param s the sweep (zeroed here; left empty on failure)
 * @param path the file
 * @param d errors
 * @return 0, or -1
 */
int js_sweep_load(struct js_sweep *s, const char *path, struct js_diag *d);

/**
 * @brief Frees a sweep.
 * @param s the sweep
 */
void js_sweep_free(struct js_sweep *s);

/**
 * @brief Name of a design kind ("grid", ...).
 * @param k the kind
 */
const char *js_design_kind_name(enum js_design_kind k);

/**
 * @brief A value as the shortest text that reads back to the same double (integers without
 * a fraction), so that `--set key=TEXT` reproduces a member bitwise.
 * @param v the value
 * @param buf output
 * @param len its size (32 is enough)
 */
void js_sweep_format_value(double v, char *buf, unsigned len);

#endif /* JS_SWEEP_H */
