/**
 * @file economy_flows.c
 * @brief The economy's daily flows (phase 8): the order of the steps, the ever-normal
 * granaries, consumption, spoilage, prices, the food ratio and famine, border-market levies.
 */

/* system headers */
#include <math.h>

/* local headers */
#include "economy_internal.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"

/**
 * @brief Rounds @p x (>= 0) to an integer, up with probability equal to its fraction, with the
 * first word of a keyed random block (so that small stocks spoil too, on average exactly).
 * @param w the world
 * @param d today
 * @param i place
 * @param purpose economy purpose
 * @param x the amount
 */
static int64_t econ_round_random(const struct js_world *w, const struct js_day *d, int32_t i,
                                 int purpose, double x)
{
    double fl = floor(x);
    uint32_t u[4];
    js_rng_block(w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_PLACE, (uint32_t)i,
                 JS_PURPOSE(JS_RNGMOD_ECONOMY, purpose), 0, u);
    return (int64_t)fl + (js_rng_u01(u[0]) < x - fl ? 1 : 0);
}

/**
 * @brief The ever-normal granary of one place: relief when the food ratio is below the relief
 * line, sales when the price is above the selling band, purchases (up to the target stock,
 * with the holder's cash) when it is below the buying band. Uses yesterday's price and ratio.
 * @param w the world
 * @param p parameters
 * @param i place
 * @param f its holder
 */
static void econ_granary_place(struct js_world *w, const struct js_economy_params *p, int32_t i,
                               int32_t f)
{
    struct js_economy *e = &w->economy;
    int64_t *priv = &w->places.grain[i], *gran = &e->granary[i];
    double price = e->price[i];
    /* people shut inside besieged walls eat the siege's stores (model/siege) */
    int64_t people = js_world_place_population(w, i) - w->sieges.inside[i];
    if (people <= 0)
        return;
    if (w->places.food_ratio[i]<p->relief_below && * gran> 0) {
        int64_t x = (int64_t)ceil(p->relief_rate * (double)*gran);
        x = x < *gran ? x : *gran;
        *gran -= x;
        *priv += x;
        js_ledger_add(&w->ledger, JS_FLOW_RELIEF, x);
        econ_expenditure(e, f, JS_EXP_RELIEF, JS_CUR_GRAIN, x);
    } else if (price > p->sell_above * p->price_normal && *gran > 0) {
        int64_t x = (int64_t)ceil(p->sell_rate * (double)*gran);
        x = x < *gran ? x : *gran;
        int64_t cash = (int64_t)llround((double)x / ECON_SHENG_PER_SHI * price);
        *gran -= x;
        *priv += x;
        *econ_treasury(e, f, JS_CUR_CASH) += cash;
        js_ledger_add(&w->ledger, JS_FLOW_GRANARY_SELL, x);
        js_ledger_add(&w->ledger, JS_FLOW_GRANARY_SALES_CASH, cash);
        econ_expenditure(e, f, JS_EXP_GRANARY_TRADE, JS_CUR_GRAIN, x);
        econ_revenue(e, f, JS_REV_GRANARY_TRADE, JS_CUR_CASH, cash);
    } else if (price < p->buy_below * p->price_normal && price > 0.0) {
        int64_t target =
            (int64_t)llround((double)people * p->ration_sheng * p->granary_target_days);
        int64_t x = (int64_t)floor(p->buy_rate * (double)*priv);
        x = x < target - *gran ? x : target - *gran;
        int64_t cash_have = *econ_treasury(e, f, JS_CUR_CASH);
        int64_t afford = (int64_t)floor((double)cash_have / price * ECON_SHENG_PER_SHI);
        x = x < afford ? x : afford;
        if (x <= 0)
            return;
        int64_t cash = (int64_t)llround((double)x / ECON_SHENG_PER_SHI * price);
        cash = cash < cash_have ? cash : cash_have;
        *priv -= x;
        *gran += x;
        *econ_treasury(e, f, JS_CUR_CASH) -= cash;
        js_ledger_add(&w->ledger, JS_FLOW_GRANARY_BUY, x);
        js_ledger_add(&w->ledger, JS_FLOW_GRANARY_BUY_CASH, cash);
        econ_revenue(e, f, JS_REV_GRANARY_TRADE, JS_CUR_GRAIN, x);
        econ_expenditure(e, f, JS_EXP_GRANARY_TRADE, JS_CUR_CASH, cash);
    }
}

/**
 * @brief The ever-normal granaries of every held place, in place order (treasuries are shared).
 * @param w the world
 * @param p parameters
 */
static void econ_granaries(struct js_world *w, const struct js_economy_params *p)
{
    for (int32_t i = 0; i < w->places.n; i++)
        if (w->places.owner[i] >= 0)
            econ_granary_place(w, p, i, w->places.owner[i]);
}

/**
 * @brief The price of grain for a food ratio: p0 · ratio^(−η), no lower than the storage floor
 * p0 · (1 − spoilage) / (1 + interest) (storers hold grain rather than sell below it) and no
 * higher than the cap.
 * @param p parameters
 * @param ratio food ratio
 */
static double econ_price(const struct js_economy_params *p, double ratio)
{
    double p0 = p->price_normal;
    double floor_p = p0 * (1.0 - p->spoil_private) / (1.0 + p->storage_interest);
    double cap = p0 * p->price_cap;
    if (ratio <= 0.0)
        return cap;
    double v = p0 * pow(ratio, -p->eta);
    return v < floor_p ? floor_p : v > cap ? cap : v;
}

/** @brief What one place's day came to, for the reduction. */
struct econ_day_sums {
    int64_t eaten;        /**< consumption */
    int64_t spoiled_priv; /**< private spoilage */
    int64_t spoiled_gran; /**< granary spoilage */
};

/**
 * @brief One place's day: people eat min(1, food ratio) of a ration each from the private
 * stock, stocks spoil, armies' threat and scripted conflict devastate the coming harvest, and
 * the food ratio, price and famine flag are set for tomorrow.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i place
 * @param normal_days the normal stock today, days of consumption (js_econ_normal_days)
 * @param s sums to add to
 */
static void econ_place_day(struct js_world *w, const struct js_day *d,
                           const struct js_economy_params *p, int32_t i, double normal_days,
                           struct econ_day_sums *s)
{
    struct js_economy *e = &w->economy;
    /* people shut inside besieged walls eat the siege's stores (model/siege) */
    int64_t people = js_world_place_population(w, i) - w->sieges.inside[i];
    int64_t stock = w->places.grain[i];
    double day_need = (double)people * p->ration_sheng;
    double ratio = day_need > 0.0 ? (double)stock / (day_need * normal_days) : 1.0;
    int64_t eat = (int64_t)llround(day_need * (ratio < 1.0 ? ratio : 1.0));
    eat = eat < stock ? eat : stock;
    stock -= eat;
    int64_t sp = stock > 0
                     ? econ_round_random(w, d, i, JS_ECON_SPOIL_PRIVATE,
                                         (double)stock * p->spoil_private / ECON_DAYS_PER_YEAR)
                     : 0;
    sp = sp < stock ? sp : stock;
    stock -= sp;
    int64_t sg =
        e->granary[i] > 0
            ? econ_round_random(w, d, i, JS_ECON_SPOIL_GRANARY,
                                (double)e->granary[i] * p->spoil_granary / ECON_DAYS_PER_YEAR)
            : 0;
    sg = sg < e->granary[i] ? sg : e->granary[i];
    e->granary[i] -= sg;
    w->places.grain[i] = stock;
    double danger =
        w->places.threat[i] > w->places.conflict[i] ? w->places.threat[i] : w->places.conflict[i];
    double dev = p->threat_devastation * danger;
    if (dev > e->devastation[i])
        e->devastation[i] = dev;
    /* tomorrow's ratio: the normal stock is one day lower */
    double next_days = normal_days - 1.0 > p->carry_days ? normal_days - 1.0 : p->carry_days;
    ratio = day_need > 0.0 ? (double)stock / (day_need * next_days) : 1.0;
    w->places.food_ratio[i] = ratio;
    e->price[i] = econ_price(p, day_need > 0.0 ? ratio : 1.0);
    e->famine[i] =
        (uint8_t)(people > 0 && (e->price[i] >= p->famine_price * p->price_normal || stock == 0));
    s->eaten += eat;
    s->spoiled_priv += sp;
    s->spoiled_gran += sg;
}

/**
 * @brief Consumption, spoilage, devastation, prices and the food ratio (parallel over places).
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void econ_consume(struct js_world *w, const struct js_day *d,
                         const struct js_economy_params *p)
{
    const int32_t n = w->places.n;
    const enum js_calendar cal = w->clock.calendar;
    int64_t eaten = 0, spoiled_priv = 0, spoiled_gran = 0;
#pragma omp parallel reduction(+ : eaten, spoiled_priv, spoiled_gran) if (n >= ECON_PARALLEL_MIN)
    {
        int32_t last_region = -1;
        double normal = 0.0;
#pragma omp for schedule(dynamic, 256)
        for (int32_t i = 0; i < n; i++) {
            int32_t r = w->economy.region[i];
            if (r != last_region) {
                const struct js_econ_region *rg = &p->regions[r];
                normal = js_econ_normal_days(cal, d->date, rg->month, rg->mday, rg->yield_shi,
                                             rg->ncrops, p->carry_days);
                last_region = r;
            }
            struct econ_day_sums s = {0, 0, 0};
            econ_place_day(w, d, p, i, normal, &s);
            eaten += s.eaten;
            spoiled_priv += s.spoiled_priv;
            spoiled_gran += s.spoiled_gran;
        }
    }
    js_ledger_add(&w->ledger, JS_FLOW_CONSUMPTION, eaten);
    js_ledger_add(&w->ledger, JS_FLOW_SPOILAGE_PRIVATE, spoiled_priv);
    js_ledger_add(&w->ledger, JS_FLOW_SPOILAGE_GRANARY, spoiled_gran);
}

/**
 * @brief Levies of the open border markets: the holder of the market's place takes the levy
 * on the legal share of the turnover (the smuggled share escapes it), while the two sides are
 * at peace. Fractions of a string are carried to the next day.
 * @param w the world
 * @param p parameters
 */
static void econ_markets(struct js_world *w, const struct js_economy_params *p)
{
    struct js_economy *e = &w->economy;
    struct js_markets *m = &e->markets;
    const int32_t nf = w->factions.n;
    for (int32_t k = 0; k < m->n; k++) {
        int32_t f = w->places.owner[m->place[k]], g = m->partner[k];
        if (!m->open[k] || f < 0 || f == g || e->at_war[(size_t)f * (size_t)nf + (size_t)g])
            continue;
        double day = m->turnover_per_year[k] / ECON_DAYS_PER_YEAR * (1.0 - p->smuggling_share) *
                     m->levy_rate[k];
        double due = day + m->carry[k];
        int64_t x = (int64_t)floor(due);
        m->carry[k] = due - (double)x;
        *econ_treasury(e, f, JS_CUR_CASH) += x;
        m->levied[k] += x;
        js_ledger_add(&w->ledger, JS_FLOW_MARKET_LEVY, x);
        econ_revenue(e, f, JS_REV_MARKET_LEVY, JS_CUR_CASH, x);
    }
}

void js_economy_flows(struct js_world *w, const struct js_day *d, const struct js_economy_params *p)
{
    if (!p->enabled)
        return;
    econ_convoys_arrive(w, d);
    econ_payments_due(w, d);
    econ_net_update(w, d, p);
    econ_shipments(w, d, p);
    econ_trade(w, p);
    econ_granaries(w, p);
    econ_consume(w, d, p);
    econ_markets(w, p);
}
