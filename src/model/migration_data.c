/**
 * @file migration_data.c
 * @brief Refugees, data-driven spawning (FLEE's validation mode, flee-rules.md §1.10): the number
 * of new refugees each day is the day-to-day increase of the observed counts (linearly
 * interpolated, summed over the observed places or from an observed total), with a debt for
 * decreases paid back from later increases; where they come from is drawn in proportion to
 * population × conflict intensity × the stepwise decay since the conflict began. On day 0 the
 * observed places can start with their day-0 count.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "migration_internal.h"

double js_migration_observed_at(const struct js_migration *m, int32_t s, int32_t t)
{
    JS_ASSERT(s >= 0 && s < m->n_obs);
    const int32_t k0 = m->obs_start[s], k1 = m->obs_start[s + 1];
    const int32_t *day = m->obs_day;
    const double *v = m->obs_value;
    if (k1 <= k0)
        return 0.0;
    if (t <= day[k0])
        return trunc(v[k0]);
    for (int32_t k = k0 + 1; k < k1; k++) {
        if (t < day[k]) {
            double f = (double)(t - day[k - 1]) / (double)(day[k] - day[k - 1]);
            return trunc(v[k - 1] + f * (v[k] - v[k - 1]));
        }
    }
    return trunc(v[k1 - 1]);
}

/**
 * @brief The observed count on day @p t: the total series if there is one, else the sum over
 * the places' series.
 * @param m the state
 * @param t the day
 */
static double mig_observed_count(const struct js_migration *m, int32_t t)
{
    for (int32_t s = 0; s < m->n_obs; s++)
        if (m->obs_place[s] < 0)
            return js_migration_observed_at(m, s, t);
    double sum = 0.0;
    for (int32_t s = 0; s < m->n_obs; s++)
        sum += js_migration_observed_at(m, s, t);
    return sum;
}

/**
 * @brief Day 0 with insert_day0: each observed place starts with its day-0 count, staying, from
 * outside the map (refugees_enter).
 * @param w the world
 * @param p parameters
 */
static void mig_insert_day0(struct js_world *w, const struct js_migration_params *p)
{
    const struct js_migration *m = &w->migration;
    const int cls = JS_CLASS_TOWNSPEOPLE; /* imported scenarios have one class of people */
    for (int32_t s = 0; s < m->n_obs; s++)
        if (m->obs_place[s] >= 0)
            mig_add(w, p, m->obs_place[s], cls, (int64_t)js_migration_observed_at(m, s, 0), false,
                    true);
}

/**
 * @brief How many new refugees today: the increase of the observed count less the debt left by
 * earlier decreases (FLEE's refugee debt), plus those still waiting for a place to come from.
 * @param w the world
 * @param d today
 * @param p parameters
 * @return persons
 */
static int64_t mig_data_count(struct js_world *w, const struct js_day *d,
                              const struct js_migration_params *p)
{
    struct js_migration *m = &w->migration;
    int64_t n;
    if (d->day == 0) {
        n = p->insert_day0 ? 0 : (int64_t)mig_observed_count(m, 0);
    } else {
        n = (int64_t)(mig_observed_count(m, d->day) - mig_observed_count(m, d->day - 1)) -
            m->spawn_debt;
        m->spawn_debt = n < 0 ? -n : 0;
        n = n < 0 ? 0 : n;
    }
    n += m->spawn_pending;
    m->spawn_pending = 0;
    return n;
}

/**
 * @brief Spawn weights of every (place, class): persons × danger × decay in a conflict zone,
 * else 0.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param wt out: [n_places × JS_NCLASSES] weights
 * @return their sum
 */
static double mig_data_weights(const struct js_world *w, const struct js_day *d,
                               const struct js_migration_params *p, double *wt)
{
    const struct js_migration *m = &w->migration;
    double total = 0.0;
    for (int32_t i = 0; i < w->places.n; i++) {
        double danger = m->cache.danger[i];
        bool hot = m->in_danger[i] && danger > p->danger_threshold;
        double f = hot ? danger * js_migration_decay(p, d->day - m->conflict_day[i]) : 0.0;
        for (int k = 0; k < JS_NCLASSES; k++) {
            size_t at = (size_t)i * JS_NCLASSES + (size_t)k;
            wt[at] = f * (double)w->places.pop[at];
            total += wt[at];
        }
    }
    return total;
}

void mig_spawn_data(struct js_world *w, const struct js_day *d, const struct js_migration_params *p)
{
    struct js_migration *m = &w->migration;
    if (d->day == 0 && p->insert_day0)
        mig_insert_day0(w, p);
    int64_t n = mig_data_count(w, d, p);
    if (n <= 0)
        return;
    const size_t cells = (size_t)w->places.n * JS_NCLASSES;
    double *wt = js_xmalloc(cells * sizeof(double));
    unsigned int *got = js_xcalloc(cells, sizeof(unsigned int));
    if (mig_data_weights(w, d, p, wt) <= 0.0) {
        m->spawn_pending = n; /* no conflict zone today: they come when there is one */
    } else {
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_WORLD, 0,
                                   JS_PURPOSE(JS_RNGMOD_MIGRATION, JS_MIG_DATA));
        JS_ASSERT(n < (int64_t)UINT32_MAX);
        gsl_ran_multinomial(r, cells, (unsigned int)n, wt, got);
        for (size_t at = 0; at < cells; at++)
            if (got[at] > 0)
                mig_add(w, p, (int32_t)(at / JS_NCLASSES), (int)(at % JS_NCLASSES), got[at],
                        p->take_from_population, false);
    }
    free(wt);
    free(got);
}
