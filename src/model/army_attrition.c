/**
 * @file army_attrition.c
 * @brief Daily attrition of armies (after supply): straggling, desertion, disease, starvation,
 * wounds and unfed horses as binomial and multinomial draws (parallel over armies); deserters
 * sent home and spent armies disbanded in id order.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

/** @brief The day's hazards of one army (per person per day). */
struct attrition_hazards {
    double straggle; /**< falling behind on the march */
    double desert;   /**< deserting */
    double disease;  /**< dying of disease */
    double starve;   /**< dying of hunger */
};

/** @brief Persons lost by cause over a day (summed into the ledger). */
struct attrition_tally {
    int64_t straggled, deserted, disease, starved, wounds_died, horses;
};

/**
 * @brief The day's hazards from the army's state (its hunger already updated). Disease and
 * desertion are field hazards: at a place its faction holds they are x home_factor; the camp
 * multiplier applies to an army standing still away from friendly places.
 * @param w the world
 * @param i army
 * @param s season
 * @param p parameters
 * @param h out
 */
static void attrition_hazards(const struct js_world *w, int32_t i, enum js_season s,
                              const struct js_army_params *p, struct attrition_hazards *h)
{
    const struct js_armies *a = &w->armies;
    bool marching = a->moved[i] != 0;
    bool home = a->place[i] >= 0 && w->places.owner[a->place[i]] == a->owner[i];
    double field = home ? p->home_factor : 1.0;
    h->straggle = marching ? p->straggle + (a->goal_forced[i] ? p->straggle_forced : 0.0) : 0.0;
    h->desert = p->desertion * (1.0 + p->desertion_hunger * (1.0 - a->fed[i])) *
                (1.0 + (a->unpaid_days[i] > 0 ? p->desertion_unpaid : 0.0)) *
                (1.0 + p->desertion_morale * (1.0 - a->morale[i])) * (2.0 - a->loyalty[i]) * field;
    double persons = (double)js_army_persons(a, i);
    h->disease = p->disease * p->disease_season[s] *
                 pow(persons / p->disease_crowd_men, p->disease_crowd_exp) *
                 (marching || home ? 1.0 : p->disease_camp) * field;
    double r = a->hunger[i] / p->starvation_reserve;
    h->starve = p->starvation_max * pow(r < 1.0 ? r : 1.0, p->starvation_exp);
}

/**
 * @brief Draws the day's losses of one cohort (fit men of an arm, then its wounded).
 * @param a the armies
 * @param i army
 * @param k arm
 * @param h hazards
 * @param p parameters
 * @param r generator
 * @param t tally
 */
static void attrition_cohort(struct js_armies *a, int32_t i, int k,
                             const struct attrition_hazards *h, const struct js_army_params *p,
                             gsl_rng *r, struct attrition_tally *t)
{
    int64_t *fit = &a->fit[ARM(i, k)], *wd = &a->wounded[ARM(i, k)];
    if (*fit > 0) {
        double rate[4] = {h->straggle, h->desert, h->disease, h->starve};
        double tot = rate[0] + rate[1] + rate[2] + rate[3];
        if (tot > 0) {
            double pr[5], pleave = 1.0 - exp(-tot);
            for (int q = 0; q < 4; q++)
                pr[q] = rate[q] / tot * pleave;
            pr[4] = 1.0 - pleave;
            unsigned int n[5];
            gsl_ran_multinomial(r, 5, (unsigned int)*fit, pr, n);
            *fit -= (int64_t)n[0] + n[1] + n[2] + n[3];
            t->straggled += n[0];
            t->deserted += n[1];
            t->disease += n[2];
            t->starved += n[3];
            a->deserted[i] += n[1];
        }
    }
    if (*wd > 0) {
        double rate[4] = {p->wound_recovery, p->wound_death, h->disease, h->starve};
        double tot = rate[0] + rate[1] + rate[2] + rate[3];
        double pr[5], pleave = 1.0 - exp(-tot);
        for (int q = 0; q < 4; q++)
            pr[q] = rate[q] / tot * pleave;
        pr[4] = 1.0 - pleave;
        unsigned int n[5];
        gsl_ran_multinomial(r, 5, (unsigned int)*wd, pr, n);
        *wd -= (int64_t)n[0] + n[1] + n[2] + n[3];
        *fit += n[0];
        t->wounds_died += n[1];
        t->disease += n[2];
        t->starved += n[3];
    }
}

/**
 * @brief One army's day: hunger, morale, fatigue, then the draws.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i army
 * @param t tally
 */
static void attrition_one(struct js_world *w, const struct js_day *d,
                          const struct js_army_params *p, int32_t i, struct attrition_tally *t)
{
    struct js_armies *a = &w->armies;
    double unfed = 1.0 - a->fed[i];
    a->hunger[i] += unfed;
    if (unfed <= 0) {
        a->hunger[i] -= p->hunger_recovery;
        a->morale[i] += p->morale_recovery;
    } else {
        a->morale[i] -= p->morale_hunger * unfed;
        a->fatigue[i] += p->fatigue_hunger * unfed;
    }
    a->hunger[i] = a->hunger[i] < 0 ? 0 : a->hunger[i];
    a->morale[i] = a->morale[i] < 0 ? 0 : a->morale[i] > 1 ? 1 : a->morale[i];
    a->fatigue[i] = a->fatigue[i] > p->fatigue_max ? p->fatigue_max : a->fatigue[i];
    struct attrition_hazards h;
    attrition_hazards(w, i, d->season, p, &h);
    struct js_rng rng;
    js_rng_init(&rng);
    gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_ARMY,
                               (uint32_t)i, JS_PURPOSE(JS_RNGMOD_ARMY, JS_ARMY_P_ATTRITION));
    a->deserted[i] = 0;
    for (int k = 0; k < JS_NARMS; k++)
        attrition_cohort(a, i, k, &h, p, r, t);
    double hd = p->horse_death_unfed * (1.0 - a->horses_fed[i]);
    if (hd > 0 && a->horses[i] > 0) {
        gsl_rng *rh = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_ARMY,
                                    (uint32_t)i, JS_PURPOSE(JS_RNGMOD_ARMY, JS_ARMY_P_HORSES));
        int64_t dead = gsl_ran_binomial(rh, 1.0 - exp(-hd), (unsigned int)a->horses[i]);
        a->horses[i] -= dead;
        t->horses += dead;
    }
}

/**
 * @brief Disbands an army: its men go home to its base, its stores stay where it stands, its
 * horses are dispersed; an ARMY_DESTROYED row is written.
 * @param w the world
 * @param d today
 * @param i army
 */
static void attrition_disband(struct js_world *w, const struct js_day *d, int32_t i)
{
    struct js_armies *a = &w->armies;
    int64_t men = js_army_persons(a, i);
    int32_t here = js_army_anchor(w, i);
    w->places.pop[(size_t)a->base[i] * JS_NCLASSES + JS_CLASS_MILITARY] += men;
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_DISBANDED, men);
    int64_t stores = a->food[i] + a->fodder[i];
    w->places.grain[here] += stores;
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_STORES_LEFT, stores);
    js_ledger_add(&w->ledger, JS_FLOW_HORSES_DISPERSED, a->horses[i]);
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_ARMY_DESTROYED);
    row.place = here;
    row.faction_a = a->owner[i];
    row.army_a = i;
    row.value[0] = (double)men;
    row.value[1] = (double)a->strength0[i];
    snprintf(row.text, sizeof(row.text), "%s disbanded", a->id[i]);
    js_world_record_event(w, &row);
    memset(&a->fit[ARM(i, 0)], 0, JS_NARMS * sizeof(int64_t));
    memset(&a->wounded[ARM(i, 0)], 0, JS_NARMS * sizeof(int64_t));
    a->food[i] = a->fodder[i] = a->horses[i] = 0;
    a->active[i] = 0;
    a->state[i] = JS_ARMY_GONE;
    a->place[i] = here;
    a->arc[i] = -1;
    a->km[i] = 0;
    a->food_days[i] = 0;
}

void js_army_attrition(struct js_world *w, const struct js_day *d, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    const int32_t n = a->n;
    int64_t straggled = 0, deserted = 0, disease = 0, starved = 0, wounds = 0, horses = 0;
#pragma omp parallel for schedule(dynamic, 16)                                                     \
    reduction(+ : straggled, deserted, disease, starved, wounds, horses)
    for (int32_t i = 0; i < n; i++) {
        if (!a->active[i])
            continue;
        struct attrition_tally t = {0, 0, 0, 0, 0, 0};
        attrition_one(w, d, p, i, &t);
        straggled += t.straggled;
        deserted += t.deserted;
        disease += t.disease;
        starved += t.starved;
        wounds += t.wounds_died;
        horses += t.horses;
    }
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_STRAGGLERS, straggled);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_DESERTERS, deserted);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_DISEASE, disease);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_STARVED, starved);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_WOUNDS_DIED, wounds);
    js_ledger_add(&w->ledger, JS_FLOW_HORSES_STARVED, horses);
    for (int32_t i = 0; i < n; i++) {
        if (!a->active[i])
            continue;
        if (a->deserted[i] > 0)
            w->places.pop[(size_t)a->base[i] * JS_NCLASSES + JS_CLASS_MILITARY] += a->deserted[i];
        a->deserted[i] = 0;
        if ((double)js_army_strength(a, i) < p->disband_below)
            attrition_disband(w, d, i);
    }
}
