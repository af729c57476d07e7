/**
 * @file economy.c
 * @brief The economy's calendar (phase 2): harvests, the land tax, the monthly pay day; the
 * fiscal helpers shared by the economy's files; the hooks offered to other modules.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "economy_internal.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"

/* ---------------------------------------------------------------- fiscal helpers */

int64_t econ_granary_take(struct js_world *w, int32_t f, int64_t want, enum js_flow to_private)
{
    struct js_economy *e = &w->economy;
    const struct js_places *pl = &w->places;
    int64_t have = js_world_economy_faction_grain(w, f);
    int64_t take = want < have ? want : have;
    if (take <= 0)
        return 0;
    /* each granary gives floor(take/have of its stock); the remainder comes from the first
     * granaries in place order: deterministic and never more than a granary holds */
    double frac = (double)take / (double)have;
    int64_t given = 0;
    for (int32_t i = 0; i < pl->n; i++) {
        if (pl->owner[i] != f || e->granary[i] <= 0)
            continue;
        int64_t t = (int64_t)floor(frac * (double)e->granary[i]);
        if (t > e->granary[i])
            t = e->granary[i];
        if (given + t > take)
            t = take - given;
        e->granary[i] -= t;
        if (to_private != JS_NFLOWS)
            pl->grain[i] += t;
        given += t;
    }
    for (int32_t i = 0; i < pl->n && given < take; i++) {
        if (pl->owner[i] != f || e->granary[i] <= 0)
            continue;
        int64_t t = take - given < e->granary[i] ? take - given : e->granary[i];
        e->granary[i] -= t;
        if (to_private != JS_NFLOWS)
            pl->grain[i] += t;
        given += t;
    }
    JS_ASSERT(given == take);
    if (to_private != JS_NFLOWS)
        js_ledger_add(&w->ledger, to_private, take);
    return take;
}

int64_t econ_take(struct js_world *w, int32_t f, enum js_currency c, int64_t want,
                  enum js_flow flow)
{
    if (want <= 0)
        return 0;
    if (c == JS_CUR_GRAIN)
        return econ_granary_take(w, f, want, flow);
    int64_t *t = econ_treasury(&w->economy, f, c);
    int64_t x = want < *t ? want : *t;
    if (x <= 0)
        return 0;
    *t -= x;
    if (flow != JS_NFLOWS)
        js_ledger_add(&w->ledger, flow, x);
    return x;
}

int32_t econ_faction_granary(const struct js_world *w, int32_t f)
{
    int32_t cap = w->factions.capital[f];
    if (cap >= 0 && w->places.owner[cap] == f)
        return cap;
    for (int32_t i = 0; i < w->places.n; i++)
        if (w->places.owner[i] == f)
            return i;
    return -1;
}

/* ---------------------------------------------------------------- harvests */

/**
 * @brief The weather multiplier of a place's harvest today: 1 + σ·(√(1−λ)·z_field + √λ·z_local),
 * where z_field interpolates standard normal shocks drawn at the corners of a grid of cells
 * `weather_cell_deg` wide (bilinear weights, rescaled to unit variance), so that nearby places
 * share most of their shock, and z_local is the place's own.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i place
 */
static double econ_weather(const struct js_world *w, const struct js_day *d,
                           const struct js_economy_params *p, int32_t i)
{
    if (p->weather_sigma <= 0.0)
        return 1.0;
    struct js_rng rng;
    js_rng_init(&rng);
    double x = w->places.lon[i] / p->weather_cell_deg, y = w->places.lat[i] / p->weather_cell_deg;
    double fx = x - floor(x), fy = y - floor(y);
    int32_t cx = (int32_t)floor(x), cy = (int32_t)floor(y);
    double z = 0.0, norm = 0.0;
    for (int k = 0; k < 4; k++) {
        int32_t kx = cx + (k & 1), ky = cy + (k >> 1);
        double wk = ((k & 1) ? fx : 1.0 - fx) * ((k >> 1) ? fy : 1.0 - fy);
        /* corner id: 12 bits each way (cells of at least 0.1 degree) */
        uint32_t id = ((uint32_t)(kx + 2048) & 0xfffu) << 12 | ((uint32_t)(ky + 2048) & 0xfffu);
        gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_WORLD,
                                   id, JS_PURPOSE(JS_RNGMOD_ECONOMY, JS_ECON_WEATHER_FIELD));
        z += wk * gsl_ran_gaussian(r, 1.0);
        norm += wk * wk;
    }
    z /= sqrt(norm);
    gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_PLACE,
                               (uint32_t)i, JS_PURPOSE(JS_RNGMOD_ECONOMY, JS_ECON_WEATHER_LOCAL));
    double local = gsl_ran_gaussian(r, 1.0);
    double lam = p->weather_local_share;
    return 1.0 + p->weather_sigma * (sqrt(1.0 - lam) * z + sqrt(lam) * local);
}

/**
 * @brief Harvests of every place whose region has a crop dated today (parallel over places):
 * land × yield × local fertility × weather × (1 − devastation) × scripted shock, into the
 * place's private stock. Devastation is spent by the harvest.
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void econ_harvest(struct js_world *w, const struct js_day *d,
                         const struct js_economy_params *p)
{
    struct js_economy *e = &w->economy;
    const int32_t n = w->places.n;
    int64_t total = 0;
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : total) if (n >= ECON_PARALLEL_MIN)
    for (int32_t i = 0; i < n; i++) {
        if (e->land_mu[i] <= 0.0)
            continue;
        const struct js_econ_region *rg = &p->regions[e->region[i]];
        double yield = 0.0;
        for (int k = 0; k < rg->ncrops; k++)
            if (rg->month[k] == d->date.month && rg->mday[k] == d->date.day)
                yield += rg->yield_shi[k];
        if (yield <= 0.0)
            continue;
        double weather = econ_weather(w, d, p, i);
        double shock = (e->shock_until[i] < 0 || d->day <= e->shock_until[i]) ? e->shock[i] : 1.0;
        double h = e->land_mu[i] * yield * e->yield_factor[i] * ECON_SHENG_PER_SHI *
                   (weather > 0.0 ? weather : 0.0) * (1.0 - e->devastation[i]) * shock;
        int64_t sheng = (int64_t)llround(h);
        w->places.grain[i] += sheng;
        e->harvest_last[i] = sheng;
        e->harvest_untaxed[i] += sheng;
        e->devastation[i] = 0.0;
        total += sheng;
    }
    js_ledger_add(&w->ledger, JS_FLOW_HARVEST, total);
}

/* ---------------------------------------------------------------- taxes and pay */

/**
 * @brief Which of the faction's tax dates today is (0 summer, 1 autumn), or -1.
 * @param e the economy
 * @param f faction
 * @param d today
 */
static int econ_tax_day(const struct js_economy *e, int32_t f, const struct js_day *d)
{
    for (int k = 0; k < JS_ECON_NTAX_DATES; k++) {
        size_t s = (size_t)f * JS_ECON_NTAX_DATES + (size_t)k;
        if (e->tax_month[s] == d->date.month && e->tax_mday[s] == d->date.day)
            return k;
    }
    return -1;
}

/**
 * @brief The land tax of one place on a tax date of its holder: a share of the harvest since
 * the last tax, part in grain (private stock → the place's granary) and part commuted into cash
 * at the normal price; on the summer date also the silk tax on its people.
 * @param w the world
 * @param p parameters
 * @param i place
 * @param f its holder
 * @param summer true on the summer date
 */
static void econ_land_tax_place(struct js_world *w, const struct js_economy_params *p, int32_t i,
                                int32_t f, bool summer)
{
    struct js_economy *e = &w->economy;
    if (summer) {
        int64_t silk =
            (int64_t)llround(e->tax_silk_per_person[f] * (double)js_world_place_population(w, i));
        *econ_treasury(e, f, JS_CUR_SILK) += silk;
        js_ledger_add(&w->ledger, JS_FLOW_LAND_TAX_SILK, silk);
        econ_revenue(e, f, JS_REV_LAND_TAX, JS_CUR_SILK, silk);
    }
    if (e->harvest_untaxed[i] <= 0)
        return;
    double tax = e->tax_rate[f] * (double)e->harvest_untaxed[i];
    int64_t grain = (int64_t)llround(tax * e->tax_grain_share[f]);
    if (grain > w->places.grain[i])
        grain = w->places.grain[i];
    w->places.grain[i] -= grain;
    e->granary[i] += grain;
    js_ledger_add(&w->ledger, JS_FLOW_LAND_TAX_GRAIN, grain);
    econ_revenue(e, f, JS_REV_LAND_TAX, JS_CUR_GRAIN, grain);
    int64_t cash = (int64_t)llround(tax * (1.0 - e->tax_grain_share[f]) / ECON_SHENG_PER_SHI *
                                    p->price_normal);
    *econ_treasury(e, f, JS_CUR_CASH) += cash;
    js_ledger_add(&w->ledger, JS_FLOW_LAND_TAX_CASH, cash);
    econ_revenue(e, f, JS_REV_LAND_TAX, JS_CUR_CASH, cash);
    e->harvest_untaxed[i] = 0;
}

/**
 * @brief The land tax on the tax dates of each place's holder. Serial over places (treasuries
 * are shared).
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void econ_land_tax(struct js_world *w, const struct js_day *d,
                          const struct js_economy_params *p)
{
    for (int32_t i = 0; i < w->places.n; i++) {
        int32_t f = w->places.owner[i];
        int k = f >= 0 ? econ_tax_day(&w->economy, f, d) : -1;
        if (k >= 0)
            econ_land_tax_place(w, p, i, f, k == 0);
    }
}

/**
 * @brief Persons in the places a faction holds, and the same weighted by 1 − disruption
 * (max of scripted conflict and threat) for taxes on trade.
 * @param w the world
 * @param f faction
 * @param active out: persons weighted by peace
 * @return persons
 */
static int64_t econ_faction_people(const struct js_world *w, int32_t f, double *active)
{
    int64_t pop = 0;
    double act = 0.0;
    for (int32_t i = 0; i < w->places.n; i++) {
        if (w->places.owner[i] != f)
            continue;
        int64_t n = js_world_place_population(w, i);
        double dis = w->places.conflict[i] > w->places.threat[i] ? w->places.conflict[i]
                                                                 : w->places.threat[i];
        pop += n;
        act += (double)n * (1.0 - dis);
    }
    *active = act;
    return pop;
}

/**
 * @brief A month of army pay, rations and clothing for a faction: arrears first, then this
 * month; what cannot be paid stays in arrears.
 * @param w the world
 * @param f faction
 */
static void econ_army_pay(struct js_world *w, int32_t f)
{
    static const enum js_flow flow[JS_NCURRENCIES] = {
        JS_FLOW_ARMY_PAY_CASH, JS_FLOW_ARMY_PAY_SILVER, JS_FLOW_ARMY_PAY_GOLD,
        JS_FLOW_ARMY_CLOTHING, JS_FLOW_GRANARY_RATIONS};
    struct js_economy *e = &w->economy;
    for (int c = 0; c < JS_NCURRENCIES; c++) {
        double month = 0.0;
        for (int k = 0; k < JS_NSOLDIER_CLASSES; k++) {
            size_t s = (size_t)f * JS_NSOLDIER_CLASSES + (size_t)k;
            month += (double)e->soldiers[s] * e->pay[s * JS_NCURRENCIES + (size_t)c];
        }
        if (c == JS_CUR_GRAIN)
            month *= ECON_SHENG_PER_SHI;
        int64_t *owed = &e->arrears[(size_t)f * JS_NCURRENCIES + (size_t)c];
        *owed += (int64_t)llround(month / 12.0);
        int64_t paid = econ_take(w, f, (enum js_currency)c, *owed, flow[c]);
        *owed -= paid;
        econ_expenditure(e, f, JS_EXP_ARMY, (enum js_currency)c, paid);
    }
}

/**
 * @brief The monthly pay day of a faction: commercial taxes and monopolies come in, the army
 * is paid, then the administration (what cannot be paid to officials is not owed).
 * @param w the world
 * @param f faction
 */
static void econ_month(struct js_world *w, int32_t f)
{
    struct js_economy *e = &w->economy;
    double active;
    int64_t pop = econ_faction_people(w, f, &active);
    int64_t com = (int64_t)llround(e->commercial_per_person[f] * active / 12.0);
    int64_t mono = (int64_t)llround(e->monopoly_per_person[f] * active / 12.0);
    *econ_treasury(e, f, JS_CUR_CASH) += com + mono;
    js_ledger_add(&w->ledger, JS_FLOW_COMMERCIAL_TAX, com);
    js_ledger_add(&w->ledger, JS_FLOW_MONOPOLY, mono);
    econ_revenue(e, f, JS_REV_COMMERCIAL_TAX, JS_CUR_CASH, com);
    econ_revenue(e, f, JS_REV_MONOPOLY, JS_CUR_CASH, mono);
    econ_army_pay(w, f);
    int64_t cash = (int64_t)llround(e->admin_cash_per_person[f] * (double)pop / 12.0);
    int64_t grain = (int64_t)llround(e->admin_grain_per_person[f] * (double)pop / 12.0);
    cash = econ_take(w, f, JS_CUR_CASH, cash, JS_FLOW_STIPENDS_CASH);
    grain = econ_take(w, f, JS_CUR_GRAIN, grain, JS_FLOW_STIPENDS_GRAIN);
    econ_expenditure(e, f, JS_EXP_ADMINISTRATION, JS_CUR_CASH, cash);
    econ_expenditure(e, f, JS_EXP_ADMINISTRATION, JS_CUR_GRAIN, grain);
}

void js_economy_calendar(struct js_world *w, const struct js_day *d,
                         const struct js_economy_params *p)
{
    if (!p->enabled)
        return;
    econ_harvest(w, d, p);
    econ_land_tax(w, d, p);
    struct js_economy *e = &w->economy;
    for (int32_t f = 0; f < w->factions.n; f++) {
        if (d->date.day == p->pay_day)
            econ_month(w, f);
        bool owed = false;
        for (int c = 0; c < JS_NCURRENCIES; c++)
            owed |= e->arrears[(size_t)f * JS_NCURRENCIES + (size_t)c] > 0;
        e->unpaid_days[f] = owed ? e->unpaid_days[f] + 1 : 0;
    }
    /* soldiers owed pay serve unpaid: the army module's desertion rises with it */
    struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++)
        if (a->active[i] && a->owner[i] >= 0)
            a->unpaid_days[i] = e->unpaid_days[a->owner[i]];
}

/* ---------------------------------------------------------------- hooks for other modules */

void js_economy_set_soldiers(struct js_world *w, int32_t faction, int64_t regular,
                             int64_t provincial)
{
    JS_ASSERT(faction >= 0 && faction < w->factions.n && regular >= 0 && provincial >= 0);
    int64_t *s = &w->economy.soldiers[(size_t)faction * JS_NSOLDIER_CLASSES];
    s[JS_SOLDIER_REGULAR] = regular;
    s[JS_SOLDIER_PROVINCIAL] = provincial;
}

int32_t js_economy_unpaid_days(const struct js_world *w, int32_t faction)
{
    JS_ASSERT(faction >= 0 && faction < w->factions.n);
    return w->economy.unpaid_days[faction];
}

void js_economy_devastate(struct js_world *w, int32_t place, double share)
{
    JS_ASSERT(place >= 0 && place < w->places.n && share >= 0.0 && share <= 1.0);
    double *dev = &w->economy.devastation[place];
    *dev = 1.0 - (1.0 - *dev) * (1.0 - share);
}

void js_economy_harvest_shock(struct js_world *w, int32_t place, int32_t region, double factor,
                              int32_t until_day, struct js_event_row *row)
{
    JS_ASSERT(factor >= 0.0 && (place >= 0 || region >= 0));
    struct js_economy *e = &w->economy;
    for (int32_t i = 0; i < w->places.n; i++) {
        if (place >= 0 ? i != place : e->region[i] != region)
            continue;
        e->shock[i] = factor;
        e->shock_until[i] = until_day;
    }
    row->kind = JS_EV_HARVEST_SHOCK;
    row->place = place;
    row->value[0] = factor;
    row->value[1] = (double)until_day;
    row->value[2] = (double)region;
}

void js_economy_params_free(struct js_economy_params *p)
{
    for (int32_t r = 0; r < p->nregions; r++) {
        free(p->regions[r].id);
        for (int k = 0; k < p->regions[r].ncrops; k++)
            free(p->regions[r].crop_id[k]);
    }
    free(p->regions);
    p->regions = NULL;
    p->nregions = 0;
}
