/**
 * @file design.c
 * @brief Grid, list, Latin hypercube (McKay et al. 1979), Sobol (GSL gsl_qrng_sobol) and
 * Saltelli (2002/2010) designs.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* libraries */
#include <gsl/gsl_qrng.h>

/* local headers */
#include "jinsong/design.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"
#include "jinsong/util.h"

/** @brief Purposes of the design's random streams (kind JS_RNG_MEMBER, id = column). */
enum design_purpose { DESIGN_LHS_PERMUTATION = 1, DESIGN_LHS_JITTER = 2 };

int js_design_sobol(double *u, int64_t n, int dims)
{
    if (dims < 1 || dims > JS_SWEEP_SOBOL_MAX_DIMS)
        return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dims);
    JS_ASSERT(q);
    for (int64_t i = 0; i < n; i++)
        gsl_qrng_get(q, &u[i * dims]);
    gsl_qrng_free(q);
    return 0;
}

void js_design_lhs(double *u, int64_t n, int dims, uint32_t seed)
{
    int64_t *perm = js_xmalloc((size_t)(n ? n : 1) * sizeof(int64_t));
    struct js_rng rng;
    js_rng_init(&rng);
    for (int j = 0; j < dims; j++) {
        gsl_rng *r = js_rng_stream(&rng, seed, 0, 0, JS_RNG_MEMBER, (uint32_t)j,
                                   JS_PURPOSE(JS_RNGMOD_ENSEMBLE, DESIGN_LHS_PERMUTATION));
        for (int64_t i = 0; i < n; i++)
            perm[i] = i;
        for (int64_t i = n - 1; i > 0; i--) {
            int64_t k = (int64_t)gsl_rng_uniform_int(r, (unsigned long)(i + 1));
            int64_t t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
        r = js_rng_stream(&rng, seed, 0, 0, JS_RNG_MEMBER, (uint32_t)j,
                          JS_PURPOSE(JS_RNGMOD_ENSEMBLE, DESIGN_LHS_JITTER));
        for (int64_t i = 0; i < n; i++)
            u[i * dims + j] = ((double)perm[i] + gsl_rng_uniform(r)) / (double)n;
    }
    free(perm);
}

int js_design_saltelli(double *u, int32_t *matrix, int32_t *row, int64_t n, int k)
{
    if (k < 1 || 2 * k > JS_SWEEP_SOBOL_MAX_DIMS)
        return -1;
    double *q = js_xmalloc((size_t)(n ? n : 1) * 2 * (size_t)k * sizeof(double));
    js_design_sobol(q, n, 2 * k);
    for (int m = 0; m < k + 2; m++) {
        for (int64_t j = 0; j < n; j++) {
            int64_t r = m * n + j;
            const double *a = &q[j * 2 * k], *b = a + k;
            for (int c = 0; c < k; c++)
                u[r * k + c] = m == JS_SALTELLI_B                               ? b[c]
                               : m >= JS_SALTELLI_AB && c == m - JS_SALTELLI_AB ? b[c]
                                                                                : a[c];
            matrix[r] = m;
            row[r] = (int32_t)j;
        }
    }
    free(q);
    return 0;
}

/**
 * @brief Full factorial of the grid values, the last parameter varying fastest.
 * @param d the design (npoints set)
 * @param s the sweep
 */
static void design_grid(struct js_design *d, const struct js_sweep *s)
{
    for (int64_t p = 0; p < d->npoints; p++) {
        int64_t rest = p;
        for (int k = s->nparams - 1; k >= 0; k--) {
            int32_t nv = s->params[k].nvalues;
            d->x[p * s->nparams + k] = s->params[k].values[rest % nv];
            rest /= nv;
        }
    }
}

/**
 * @brief Scales unit-cube values to the parameters' ranges; rounds integer parameters.
 * @param d the design (x in [0, 1))
 * @param s the sweep
 */
static void design_scale(struct js_design *d, const struct js_sweep *s)
{
    for (int64_t p = 0; p < d->npoints; p++) {
        for (int k = 0; k < s->nparams; k++) {
            const struct js_sweep_param *q = &s->params[k];
            double *x = &d->x[p * s->nparams + k];
            *x = q->lower + *x * (q->upper - q->lower);
            if (q->integer)
                *x = fmin(fmax(nearbyint(*x), ceil(q->lower)), floor(q->upper));
        }
    }
}

void js_design_build(struct js_design *d, const struct js_sweep *s)
{
    memset(d, 0, sizeof(*d));
    d->kind = s->kind;
    d->nparams = s->nparams;
    d->replicates = s->replicates;
    int64_t n = s->samples;
    switch (s->kind) {
    case JS_DESIGN_GRID:
        d->npoints = 1;
        for (int k = 0; k < s->nparams; k++)
            d->npoints *= s->params[k].nvalues;
        break;
    case JS_DESIGN_LIST:
        d->npoints = s->npoints;
        break;
    case JS_DESIGN_SALTELLI:
        d->npoints = n * (s->nparams + 2);
        break;
    case JS_DESIGN_REPLICATES:
        d->npoints = 1;
        break;
    default:
        d->npoints = n;
    }
    d->base_samples =
        s->kind == JS_DESIGN_GRID || s->kind == JS_DESIGN_LIST || s->kind == JS_DESIGN_REPLICATES
            ? (int32_t)d->npoints
            : s->samples;
    d->nmembers = d->npoints * d->replicates;
    d->x = js_xcalloc((size_t)(d->npoints * (s->nparams ? s->nparams : 1)), sizeof(double));
    if (s->kind == JS_DESIGN_GRID) {
        design_grid(d, s);
    } else if (s->kind == JS_DESIGN_LIST) {
        memcpy(d->x, s->points, (size_t)(d->npoints * s->nparams) * sizeof(double));
    } else if (s->kind == JS_DESIGN_LHS || s->kind == JS_DESIGN_SOBOL) {
        if (s->kind == JS_DESIGN_LHS)
            js_design_lhs(d->x, n, s->nparams, s->seed);
        else
            JS_ASSERT(js_design_sobol(d->x, n, s->nparams) == 0);
        design_scale(d, s);
    } else if (s->kind == JS_DESIGN_SALTELLI) {
        d->matrix = js_xcalloc((size_t)d->npoints, sizeof(int32_t));
        d->row = js_xcalloc((size_t)d->npoints, sizeof(int32_t));
        JS_ASSERT(js_design_saltelli(d->x, d->matrix, d->row, n, s->nparams) == 0);
        design_scale(d, s);
    }
}

void js_design_free(struct js_design *d)
{
    free(d->x);
    free(d->matrix);
    free(d->row);
    memset(d, 0, sizeof(*d));
}
