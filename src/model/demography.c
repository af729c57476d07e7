/**
 * @file demography.c
 * @brief Births and baseline deaths by place and class, as binomial draws.
 */

/* system headers */
#include <math.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/demography.h"
#include "jinsong/rng.h"

/** @brief Days per year used to turn yearly rates into daily probabilities. */
#define DEMOG_DAYS_PER_YEAR 365.25

void js_demography_step(struct js_world *w, const struct js_day *d,
                        const struct js_demography_params *p)
{
    const double pb = 1.0 - exp(-p->birth_rate / DEMOG_DAYS_PER_YEAR);
    const double pd = 1.0 - exp(-p->death_rate / DEMOG_DAYS_PER_YEAR);
    const uint32_t purpose = JS_PURPOSE(JS_RNGMOD_DEMOGRAPHY, JS_DEMOG_VITAL);
    int64_t births = 0, deaths = 0;
    int64_t *pop = w->places.pop;
    const int32_t n = w->places.n;

#pragma omp parallel for schedule(dynamic, 256) reduction(+ : births, deaths)
    for (int32_t i = 0; i < n; i++) {
        int64_t *cls = &pop[(size_t)i * JS_NCLASSES];
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_PLACE,
                                   (uint32_t)i, purpose);
        for (int c = 0; c < JS_NCLASSES; c++) {
            int64_t people = cls[c];
            if (people <= 0)
                continue;
            /* GSL's binomial takes an unsigned int count: places stay far below 2^32. */
            int64_t born = gsl_ran_binomial(r, pb, (unsigned int)people);
            int64_t died = gsl_ran_binomial(r, pd, (unsigned int)people);
            cls[c] = people + born - died;
            births += born;
            deaths += died;
        }
    }
    js_ledger_add(&w->ledger, JS_FLOW_BIRTHS, births);
    js_ledger_add(&w->ledger, JS_FLOW_DEATHS_BASELINE, deaths);
}
