/**
 * @file demography.c
 * @brief Births and deaths by cause (baseline, famine, epidemic, violence) by place and class,
 * as binomial and multinomial leaps.
 */

/* system headers */
#include <math.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/demography.h"
#include "jinsong/rng.h"

/** @brief Days per year used to turn yearly rates into daily hazards. */
#define DEMOG_DAYS_PER_YEAR 365.25

void js_demography_hazards(const struct js_world *w, int32_t place, const struct js_day *d,
                           const struct js_demography_params *p, double h[JS_NCAUSES])
{
    h[JS_DEATH_BASELINE] = p->death_rate / DEMOG_DAYS_PER_YEAR;
    /* famine: from the nutrition reserve, as it runs out (models.md §2.2) */
    double spent = p->famine_reserve_days > 0
                       ? 1.0 - w->places.nutrition[place] / p->famine_reserve_days
                       : 0.0;
    spent = spent < 0 ? 0 : spent > 1 ? 1 : spent;
    h[JS_DEATH_FAMINE] = spent > 0 ? p->famine_max_hazard * pow(spent, p->famine_exponent) : 0.0;
    /* epidemic: from crowding, residents and refugees present over the normal population */
    const struct js_migration *m = &w->migration;
    double crowd = 0.0;
    if (m->normal_pop[place] > 0) {
        double people = (double)(js_world_place_population(w, place) + m->present[place]);
        crowd = people / (double)m->normal_pop[place] - p->epidemic_threshold;
    }
    double epi = 0.0;
    if (crowd > 0) {
        epi = p->epidemic_rate / DEMOG_DAYS_PER_YEAR * pow(crowd, p->epidemic_exponent);
        if (d->season == JS_SUMMER)
            epi *= p->epidemic_summer;
    }
    h[JS_DEATH_EPIDEMIC] = epi;
    /* violence: from danger above the threshold */
    double danger = w->places.conflict[place];
    if (w->places.threat[place] > danger)
        danger = w->places.threat[place];
    h[JS_DEATH_VIOLENCE] = danger > p->violence_threshold ? p->violence_rate * danger : 0.0;
    /* people shut inside besieged walls starve, sicken and die by the siege's own model */
    double outside = 1.0 - js_world_siege_inside_share(w, place);
    h[JS_DEATH_FAMINE] *= outside;
    h[JS_DEATH_EPIDEMIC] *= outside;
    h[JS_DEATH_VIOLENCE] *= outside;
}

/**
 * @brief Deaths of N persons over one day with competing hazards: how many, and by cause.
 * @param r the stream
 * @param people N
 * @param h hazards per day by cause
 * @param out deaths by cause
 * @return total deaths
 */
static int64_t demog_deaths(gsl_rng *r, int64_t people, const double h[JS_NCAUSES],
                            int64_t out[JS_NCAUSES])
{
    double total = 0.0;
    for (int k = 0; k < JS_NCAUSES; k++) {
        total += h[k];
        out[k] = 0;
    }
    if (total <= 0.0)
        return 0;
    /* GSL's binomial takes an unsigned int count: places stay far below 2^32. */
    unsigned int died = gsl_ran_binomial(r, 1.0 - exp(-total), (unsigned int)people);
    if (died == 0)
        return 0;
    unsigned int split[JS_NCAUSES];
    gsl_ran_multinomial(r, JS_NCAUSES, died, h, split);
    for (int k = 0; k < JS_NCAUSES; k++)
        out[k] = split[k];
    return died;
}

/**
 * @brief Today's change of a place's nutrition reserve: it is drawn on by the shortfall below
 * the threshold and regained at the recovery rate when people are fed.
 * @param w the world
 * @param place the place
 * @param p parameters
 */
static void demog_nutrition(struct js_world *w, int32_t place, const struct js_demography_params *p)
{
    double fr = w->places.food_ratio[place];
    double short_by =
        p->famine_threshold > 0 ? (p->famine_threshold - fr) / p->famine_threshold : 0.0;
    short_by = short_by > 1 ? 1 : short_by;
    double reserve = w->places.nutrition[place];
    reserve += short_by > 0 ? -short_by : p->famine_recovery;
    w->places.nutrition[place] = reserve < 0                        ? 0
                                 : reserve > p->famine_reserve_days ? p->famine_reserve_days
                                                                    : reserve;
}

void js_demography_step(struct js_world *w, const struct js_day *d,
                        const struct js_demography_params *p)
{
    const double pb = 1.0 - exp(-p->birth_rate / DEMOG_DAYS_PER_YEAR);
    const uint32_t purpose = JS_PURPOSE(JS_RNGMOD_DEMOGRAPHY, JS_DEMOG_VITAL);
    int64_t births = 0, d_base = 0, d_famine = 0, d_epi = 0, d_viol = 0;
    int64_t *pop = w->places.pop;
    int64_t *dead = w->migration.deaths;
    const int32_t n = w->places.n;

#pragma omp parallel for schedule(dynamic, 256) if (n > 256)                                       \
    reduction(+ : births, d_base, d_famine, d_epi, d_viol)
    for (int32_t i = 0; i < n; i++) {
        int64_t *cls = &pop[(size_t)i * JS_NCLASSES];
        demog_nutrition(w, i, p);
        double h[JS_NCAUSES];
        js_demography_hazards(w, i, d, p, h);
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_PLACE,
                                   (uint32_t)i, purpose);
        for (int c = 0; c < JS_NCLASSES; c++) {
            int64_t people = cls[c];
            if (people <= 0)
                continue;
            int64_t born = gsl_ran_binomial(r, pb, (unsigned int)people);
            int64_t by_cause[JS_NCAUSES];
            int64_t died = demog_deaths(r, people, h, by_cause);
            cls[c] = people + born - died;
            births += born;
            d_base += by_cause[JS_DEATH_BASELINE];
            d_famine += by_cause[JS_DEATH_FAMINE];
            d_epi += by_cause[JS_DEATH_EPIDEMIC];
            d_viol += by_cause[JS_DEATH_VIOLENCE];
            for (int k = 0; k < JS_NCAUSES; k++)
                dead[(size_t)i * JS_NCAUSES + (size_t)k] += by_cause[k];
        }
    }
    js_ledger_add(&w->ledger, JS_FLOW_BIRTHS, births);
    js_ledger_add(&w->ledger, JS_FLOW_DEATHS_BASELINE, d_base);
    js_ledger_add(&w->ledger, JS_FLOW_DEATHS_FAMINE, d_famine);
    js_ledger_add(&w->ledger, JS_FLOW_DEATHS_EPIDEMIC, d_epi);
    js_ledger_add(&w->ledger, JS_FLOW_DEATHS_VIOLENCE, d_viol);
}
