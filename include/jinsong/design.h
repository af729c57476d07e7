/**
 * @file design.h
 * @brief Designs of experiments for sweeps: grid, list, Latin hypercube, Sobol, Saltelli.
 *
 * A design is a table of points (one value per varied parameter). Member k of a sweep runs
 * design point k mod P, replicate k div P (P points), with the sweep's seed and run index k:
 * adding replicates appends members and leaves the finished ones as they were.
 */
#ifndef JS_DESIGN_H
#define JS_DESIGN_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/* local headers */
#include "jinsong/sweep.h"

/** @brief Saltelli matrices: A, B, then AB_i (A with column i taken from B) at 2 + i. */
enum js_saltelli_matrix { JS_SALTELLI_A = 0, JS_SALTELLI_B = 1, JS_SALTELLI_AB = 2 };

/** @brief A design: points × parameters. */
struct js_design {
    enum js_design_kind kind; /**< the kind */
    int nparams;              /**< parameters (columns) */
    int64_t npoints;          /**< design points (rows) */
    int32_t replicates;       /**< runs per point */
    int64_t nmembers;         /**< npoints × replicates */
    int32_t base_samples;     /**< N of a Saltelli design; the sample size of lhs and sobol;
                                   npoints otherwise */
    double *x;                /**< [npoints × nparams] values */
    int32_t *matrix;          /**< saltelli: [npoints] enum js_saltelli_matrix (+ i), else NULL */
    int32_t *row;             /**< saltelli: [npoints] row of the base sample, else NULL */
};

/**
 * @brief Builds the design of a sweep (values scaled to the parameters' ranges; integer
 * parameters rounded).
 * @param d the design (zeroed here)
 * @param s the sweep
 */
void js_design_build(struct js_design *d, const struct js_sweep *s);

/**
 * @brief Frees a design.
 * @param d the design
 */
void js_design_free(struct js_design *d);

/**
 * @brief The first @p n points of GSL's Sobol sequence in [0, 1)^dims.
 * @param u out: [n × dims]
 * @param n points
 * @param dims dimensions
 * @return 0, or -1 if dims is not in [1, JS_SWEEP_SOBOL_MAX_DIMS] (nothing allocated)
 */
int js_design_sobol(double *u, int64_t n, int dims);

/**
 * @brief A Latin hypercube sample in [0, 1)^dims: each column has one point in each of the n
 * strata [i/n, (i+1)/n). Random streams keyed on (seed, column).
 * @param u out: [n × dims]
 * @param n points
 * @param dims dimensions
 * @param seed the sweep's seed
 */
void js_design_lhs(double *u, int64_t n, int dims, uint32_t seed);

/**
 * @brief Saltelli's design in [0, 1)^k from a Sobol sample of 2k dimensions (A: the first k,
 * B: the last k): rows A (n), B (n), then AB_i (n each, i = 0..k-1).
 * @param u out: [(k + 2) n × k]
 * @param matrix out: [(k + 2) n] matrix of each row
 * @param row out: [(k + 2) n] base-sample row of each row
 * @param n base samples
 * @param k parameters
 * @return 0, or -1 if 2k exceeds the Sobol dimensions (nothing allocated)
 */
int js_design_saltelli(double *u, int32_t *matrix, int32_t *row, int64_t n, int k);

#endif /* JS_DESIGN_H */
