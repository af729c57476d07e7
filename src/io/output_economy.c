/**
 * @file output_economy.c
 * @brief The economy's variables in /places, /factions and /routes: prices, granaries,
 * harvests, famine; treasuries, revenue and expenditure by kind and currency, tribute; grain
 * carried along routes.
 */

/* system headers */
#include <string.h>

/* local headers */
#include "jinsong/util.h"
#include "output_internal.h"

/* -- /places */

static void fill_price(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.price, (size_t)w->places.n * sizeof(double));
}

static void fill_granary(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.granary, (size_t)w->places.n * sizeof(int64_t));
}

static void fill_harvest(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.harvest_last, (size_t)w->places.n * sizeof(int64_t));
}

static void fill_famine(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->places.n; i++)
        o[i] = (int8_t)w->economy.famine[i];
}

static void fill_devastation(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.devastation, (size_t)w->places.n * sizeof(double));
}

static const struct js_outvar economy_place_vars[] = {
    {"price", "strings/shi", "price of grain (strings of cash per shi)", JS_OV_F64, 0, fill_price},
    {"granary", "sheng", "grain in the state granary (belongs to the place's holder)", JS_OV_I64, 0,
     fill_granary},
    {"harvest", "sheng", "the most recent harvest", JS_OV_I64, 0, fill_harvest},
    {"famine", "1",
     "1 while the poorest cannot buy their ration (price above the famine "
     "multiple, or no grain)",
     JS_OV_I8, 0, fill_famine},
    {"devastation", "1", "share of the next harvest lost to armies and fighting", JS_OV_F64, 0,
     fill_devastation},
};

/* -- /factions */

/**
 * @brief Copies one currency of the treasuries (grain: the holder's granaries).
 * @param w the world
 * @param buf row
 * @param c currency
 */
static void fill_treasury(const struct js_world *w, void *buf, enum js_currency c)
{
    int64_t *o = buf;
    for (int32_t f = 0; f < w->factions.n; f++)
        o[f] = c == JS_CUR_GRAIN ? js_world_economy_faction_grain(w, f)
                                 : w->economy.treasury[(size_t)f * JS_NCURRENCIES + (size_t)c];
}

static void fill_treasury_cash(const struct js_world *w, void *buf)
{
    fill_treasury(w, buf, JS_CUR_CASH);
}

static void fill_treasury_silver(const struct js_world *w, void *buf)
{
    fill_treasury(w, buf, JS_CUR_SILVER);
}

static void fill_treasury_gold(const struct js_world *w, void *buf)
{
    fill_treasury(w, buf, JS_CUR_GOLD);
}

static void fill_treasury_silk(const struct js_world *w, void *buf)
{
    fill_treasury(w, buf, JS_CUR_SILK);
}

static void fill_treasury_grain(const struct js_world *w, void *buf)
{
    fill_treasury(w, buf, JS_CUR_GRAIN);
}

/**
 * @brief Sums accounts over a range of kinds, by faction and currency.
 * @param w the world
 * @param buf row [faction, currency]
 * @param acc the accounts [faction, kind, currency]
 * @param nkinds kinds in the accounts
 * @param k0 first kind summed
 * @param k1 one past the last
 */
static void fill_accounts(const struct js_world *w, void *buf, const int64_t *acc, int nkinds,
                          int k0, int k1)
{
    int64_t *o = buf;
    for (int32_t f = 0; f < w->factions.n; f++)
        for (int c = 0; c < JS_NCURRENCIES; c++) {
            int64_t s = 0;
            for (int k = k0; k < k1; k++)
                s += acc[((size_t)f * (size_t)nkinds + (size_t)k) * JS_NCURRENCIES + (size_t)c];
            o[(size_t)f * JS_NCURRENCIES + (size_t)c] = s;
        }
}

/** @brief A fill function for one revenue kind (or all, with k = -1). */
#define ECON_FILL_REV(fn, k)                                                                       \
    static void fn(const struct js_world *w, void *buf)                                            \
    {                                                                                              \
        fill_accounts(w, buf, w->economy.revenue, JS_NREVENUE_KINDS, (k) < 0 ? 0 : (k),            \
                      (k) < 0 ? JS_NREVENUE_KINDS : (k) + 1);                                      \
    }
/** @brief A fill function for one expenditure kind (or all, with k = -1). */
#define ECON_FILL_EXP(fn, k)                                                                       \
    static void fn(const struct js_world *w, void *buf)                                            \
    {                                                                                              \
        fill_accounts(w, buf, w->economy.expenditure, JS_NEXPENDITURE_KINDS, (k) < 0 ? 0 : (k),    \
                      (k) < 0 ? JS_NEXPENDITURE_KINDS : (k) + 1);                                  \
    }

ECON_FILL_REV(fill_revenue, -1)
ECON_FILL_REV(fill_rev_land_tax, JS_REV_LAND_TAX)
ECON_FILL_REV(fill_rev_commercial_tax, JS_REV_COMMERCIAL_TAX)
ECON_FILL_REV(fill_rev_monopoly, JS_REV_MONOPOLY)
ECON_FILL_REV(fill_rev_market_levy, JS_REV_MARKET_LEVY)
ECON_FILL_REV(fill_rev_granary_trade, JS_REV_GRANARY_TRADE)
ECON_FILL_REV(fill_tribute_received, JS_REV_TRIBUTE)
ECON_FILL_REV(fill_transfers_received, JS_REV_TRANSFERS)
ECON_FILL_EXP(fill_expenditure, -1)
ECON_FILL_EXP(fill_exp_army, JS_EXP_ARMY)
ECON_FILL_EXP(fill_exp_administration, JS_EXP_ADMINISTRATION)
ECON_FILL_EXP(fill_exp_relief, JS_EXP_RELIEF)
ECON_FILL_EXP(fill_exp_granary_trade, JS_EXP_GRANARY_TRADE)
ECON_FILL_EXP(fill_tribute_paid, JS_EXP_TRIBUTE)
ECON_FILL_EXP(fill_transfers_paid, JS_EXP_TRANSFERS)

static void fill_soldiers(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t f = 0; f < w->factions.n; f++) {
        const int64_t *s = &w->economy.soldiers[(size_t)f * JS_NSOLDIER_CLASSES];
        o[f] = s[JS_SOLDIER_REGULAR] + s[JS_SOLDIER_PROVINCIAL];
    }
}

static void fill_unpaid_days(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.unpaid_days, (size_t)w->factions.n * sizeof(int32_t));
}

static void fill_arrears(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.arrears, (size_t)w->factions.n * JS_NCURRENCIES * sizeof(int64_t));
}

/** @brief Units of the variables by currency: one per currency, in `currency_units`. */
#define ECON_CUR_UNITS "see currency_units"

static const struct js_outvar economy_faction_vars[] = {
    {"treasury_cash", "strings", "cash in the treasury", JS_OV_I64, 0, fill_treasury_cash},
    {"treasury_silver", "taels", "silver in the treasury", JS_OV_I64, 0, fill_treasury_silver},
    {"treasury_gold", "taels", "gold in the treasury", JS_OV_I64, 0, fill_treasury_gold},
    {"treasury_silk", "bolts", "silk in the treasury", JS_OV_I64, 0, fill_treasury_silk},
    {"treasury_grain", "sheng", "grain in the state granaries of the places held", JS_OV_I64, 0,
     fill_treasury_grain},
    {"revenue", ECON_CUR_UNITS, "revenue of every kind since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_revenue},
    {"revenue_land_tax", ECON_CUR_UNITS, "land tax since the start (grain, commuted cash)",
     JS_OV_I64, JS_OV_BY_CURRENCY, fill_rev_land_tax},
    {"revenue_commercial_tax", ECON_CUR_UNITS, "commercial taxes since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_rev_commercial_tax},
    {"revenue_monopoly", ECON_CUR_UNITS, "monopoly income since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_rev_monopoly},
    {"revenue_market_levy", ECON_CUR_UNITS, "border-market levies since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_rev_market_levy},
    {"revenue_granary_trade", ECON_CUR_UNITS,
     "ever-normal granaries since the start: cash from sales, grain bought", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_rev_granary_trade},
    {"tribute_received", ECON_CUR_UNITS, "yearly tribute received since the start (delivered)",
     JS_OV_I64, JS_OV_BY_CURRENCY, fill_tribute_received},
    {"transfers_received", ECON_CUR_UNITS,
     "indemnities and ransoms received since the start (delivered)", JS_OV_I64, JS_OV_BY_CURRENCY,
     fill_transfers_received},
    {"expenditure", ECON_CUR_UNITS, "expenditure of every kind since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_expenditure},
    {"expenditure_army", ECON_CUR_UNITS, "army pay, rations and clothing since the start",
     JS_OV_I64, JS_OV_BY_CURRENCY, fill_exp_army},
    {"expenditure_administration", ECON_CUR_UNITS, "officials' salaries since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_exp_administration},
    {"expenditure_relief", ECON_CUR_UNITS, "famine relief since the start", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_exp_relief},
    {"expenditure_granary_trade", ECON_CUR_UNITS,
     "ever-normal granaries since the start: cash for purchases, grain sold", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_exp_granary_trade},
    {"tribute_paid", ECON_CUR_UNITS, "yearly tribute paid since the start (friction included)",
     JS_OV_I64, JS_OV_BY_CURRENCY, fill_tribute_paid},
    {"transfers_paid", ECON_CUR_UNITS,
     "indemnities and ransoms paid since the start (friction included)", JS_OV_I64,
     JS_OV_BY_CURRENCY, fill_transfers_paid},
    {"soldiers_paid", "soldiers", "soldiers the faction pays (regular and provincial)", JS_OV_I64,
     0, fill_soldiers},
    {"unpaid_days", "day", "days the faction's soldiers have been owed pay", JS_OV_I32, 0,
     fill_unpaid_days},
    {"arrears", ECON_CUR_UNITS, "army pay owed", JS_OV_I64, JS_OV_BY_CURRENCY, fill_arrears},
};

/* -- /routes */

static void fill_grain_flow(const struct js_world *w, void *buf)
{
    memcpy(buf, w->economy.grain_flow, (size_t)w->routes.n * sizeof(int64_t));
}

static const struct js_outvar economy_route_vars[] = {
    {"grain_flow", "sheng",
     "grain carried along the route since the start (trade, state shipments)", JS_OV_I64, 0,
     fill_grain_flow},
};

const struct js_outvar_table js_out_economy_places = {economy_place_vars,
                                                      (int)JS_COUNTOF(economy_place_vars)};
const struct js_outvar_table js_out_economy_factions = {economy_faction_vars,
                                                        (int)JS_COUNTOF(economy_faction_vars)};
const struct js_outvar_table js_out_economy_routes = {economy_route_vars,
                                                      (int)JS_COUNTOF(economy_route_vars)};
