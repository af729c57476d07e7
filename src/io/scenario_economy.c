/**
 * @file scenario_economy.c
 * @brief The economy's part of the schema: the `economy:` section (prices, rations, spoilage,
 * weather, granaries, trade, crop regions, treaties, transfers, border markets, shipments),
 * the `economy:` maps of places and factions, and the keys of the economy's `do:` kinds.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/economy.h"
#include "jinsong/util.h"
#include "scenario_internal.h"

/* ---------------------------------------------------------------- defaults and their sources */

/* Transport cost of grain, strings of cash per shi per km, by route kind (road, track, pass,
 * river, canal, crossing): a porter carries 0.6 shi about 25 km a day for a wage and food of
 * about 0.07 strings a day [J], ~0.005 strings/shi/km; cart and water at 1/4 and 1/20 of it
 * (models.md §8.3 transport_cost_ratio water : cart : porter = 1 : 5 : 20, [M]/[J]). */
static const double default_cost_per_km[JS_NROUTE_KINDS] = {0.00125, 0.005,   0.005,
                                                            0.00025, 0.00025, 0.00125};

/* Yearly pay of a soldier (Cai Xiang 1064, models.md §6.4 [V]): army grain 23.2 M shi and cash
 * 9.9 M strings for 693,339 regulars and 488,193 provincials, split 5 : 3 like the ~50 and ~30
 * strings a soldier cost; silk is the rest of 50 / 30 strings at 1 string a shi and 1.3
 * strings a bolt [D]. Order: cash strings, silver taels, gold taels, silk bolts, grain shi. */
static const double default_pay[JS_NSOLDIER_CLASSES][JS_NCURRENCIES] = {
    {10.0, 0.0, 0.0, 10.0, 23.5}, /* regular 禁军: 10 + 13 + 23.5 = 46.5 strings */
    {6.0, 0.0, 0.0, 6.0, 14.1},   /* provincial 厢军: 6 + 7.8 + 14.1 = 27.9 strings */
};

/** @brief Keys of amounts by currency, and their units. */
static const char *const amount_key[JS_NCURRENCIES] = {"cash_strings", "silver_taels", "gold_taels",
                                                       "silk_bolts", "grain_shi"};
static const char *const amount_unit[JS_NCURRENCIES] = {"strings", "taels", "taels", "bolts",
                                                        "shi"};

/** @brief A built-in crop region (used when economy.regions is not given). */
struct econ_builtin_region {
    const char *id;                      /**< region id */
    double lat_min, lat_max;             /**< latitude band */
    int ncrops;                          /**< crops */
    const char *crop[JS_ECON_MAX_CROPS]; /**< crop ids */
    int month[JS_ECON_MAX_CROPS];        /**< harvest months */
    int day[JS_ECON_MAX_CROPS];          /**< harvest days */
    double yield[JS_ECON_MAX_CROPS];     /**< shi per mu per year */
};

/* Rice south of the Huai (~33°N), millet and wheat north. Yields: history notes, "Money, grain
 * and treaties": 1.5-2.5 shi of husked rice per mu in Jiangnan, ~1 shi of millet or wheat per
 * mu on the northern plain (D from B); north split between a summer wheat and an autumn millet
 * crop [J]. Harvest dates (Julian) [J]: winter wheat mid-June, millet mid-September, the late
 * rice mid-October. */
static const struct econ_builtin_region builtin_regions[] = {
    {"north", 33.0, 90.0, 2, {"wheat", "millet"}, {6, 9}, {15, 15}, {0.5, 0.5}},
    {"south", -90.0, 33.0, 1, {"rice"}, {10}, {15}, {2.0}},
};

/* ---------------------------------------------------------------- small readers */

/**
 * @brief A yearly date {month, day} (a day that exists in every year: no 29 February).
 * @param r reader
 * @param map parent map
 * @param key key of the {month, day} map
 * @param def_month default month (0: required)
 * @param def_day default day
 * @param month out
 * @param mday out
 */
static void econ_read_yearly_date(struct js_reader *r, struct js_ynode *map, const char *key,
                                  int def_month, int def_day, int8_t *month, int8_t *mday)
{
    struct js_cfg *c = r->c;
    *month = (int8_t)(def_month ? def_month : 1);
    *mday = (int8_t)(def_month ? def_day : 1);
    if (def_month == 0 && !js_ytree_get(map, key)) {
        js_cfg_missing(c, map, key, "a map {month, day}");
        return;
    }
    struct js_ynode *m = js_cfg_map(c, map, key);
    if (!m)
        return;
    int64_t mo = def_month ? js_cfg_int(c, m, "month", def_month, 1, 12, "month")
                           : js_cfg_int_req(c, m, "month", 1, 12, "month");
    int64_t dd = def_month ? js_cfg_int(c, m, "day", def_day, 1, 31, "day")
                           : js_cfg_int_req(c, m, "day", 1, 31, "day");
    struct js_date probe = {2001, (int)mo, (int)dd}; /* a common year */
    if (!js_calendar_valid(JS_CAL_GREGORIAN, probe))
        js_cfg_error(c, js_ytree_get(m, "day") ? js_ytree_get(m, "day") : m,
                     "give a day that exists in every year (29 February does not)",
                     "month %d has no day %d", (int)mo, (int)dd);
    *month = (int8_t)mo;
    *mday = (int8_t)dd;
}

/**
 * @brief Amounts by currency in a map (`cash_strings`, `silver_taels`, `gold_taels`,
 * `silk_bolts`, `grain_shi`; each default 0), in base units (grain in sheng).
 * @param r reader
 * @param map the map
 * @param out amounts
 */
static void econ_read_amounts(struct js_reader *r, struct js_ynode *map,
                              int64_t out[JS_NCURRENCIES])
{
    for (int k = 0; k < JS_NCURRENCIES; k++) {
        double v = js_cfg_double(r->c, map, amount_key[k], 0.0, 0.0, 1e13, amount_unit[k]);
        out[k] = (int64_t)llround(k == JS_CUR_GRAIN ? v * 100.0 : v);
    }
}

/**
 * @brief An entity map's entries, checked like the core sections' (a map, a valid id, not
 * invented by --set). Returns the number of usable entries.
 * @param r reader
 * @param sec the section map (or NULL)
 * @param what entity name for messages
 */
static int32_t econ_count_entities(struct js_reader *r, struct js_ynode *sec, const char *what)
{
    struct js_cfg *c = r->c;
    int32_t n = 0;
    struct js_ynode *next;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = next) {
        next = e->next;
        e->used = true;
        if (!js_cfg_entity_exists(c, e, what)) {
            js_ytree_mark_used(e);
            js_ytree_remove(sec, e);
            continue;
        }
        if (!js_cfg_valid_id(e->key))
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, NULL,
                        "ids use letters, digits, '_' and '-', and start with a letter or digit",
                        "'%s' is not a valid %s id", e->key, what);
        if (e->type != JS_YMAP) {
            js_cfg_error(c, e, "write the entry's attributes as an indented map",
                         "expected a map of %s attributes", what);
            js_ytree_mark_used(e);
        }
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------- crop regions */

/**
 * @brief One crop of a region.
 * @param r reader
 * @param rg the region
 * @param cm the crop's map
 * @param id crop id
 * @param def built-in values, or NULL (then every key is required)
 * @param k built-in crop index
 */
static void econ_read_crop(struct js_reader *r, struct js_econ_region *rg, struct js_ynode *cm,
                           const char *id, const struct econ_builtin_region *def, int k)
{
    struct js_cfg *c = r->c;
    if (rg->ncrops == JS_ECON_MAX_CROPS) {
        js_cfg_error(c, cm, "merge crops harvested on the same date",
                     "a region has at most %d crops", JS_ECON_MAX_CROPS);
        js_ytree_mark_used(cm);
        return;
    }
    int n = rg->ncrops++;
    rg->crop_id[n] = js_xstrdup(id);
    if (def) {
        econ_read_yearly_date(r, cm, "harvest", def->month[k], def->day[k], &rg->month[n],
                              &rg->mday[n]);
        rg->yield_shi[n] =
            js_cfg_double(c, cm, "yield_shi_per_mu", def->yield[k], 0.0, 50.0, "shi/mu/year");
    } else {
        econ_read_yearly_date(r, cm, "harvest", 0, 0, &rg->month[n], &rg->mday[n]);
        rg->yield_shi[n] = js_cfg_double_req(c, cm, "yield_shi_per_mu", 0.0, 50.0, "shi/mu/year");
    }
}

/**
 * @brief One crop region: latitude band and crops (built-in values for `north` and `south`).
 * @param r reader
 * @param rg the region to fill
 * @param m its map
 * @param id its id
 */
static void econ_read_region(struct js_reader *r, struct js_econ_region *rg, struct js_ynode *m,
                             const char *id)
{
    struct js_cfg *c = r->c;
    const struct econ_builtin_region *def = NULL;
    for (size_t k = 0; k < JS_COUNTOF(builtin_regions); k++)
        if (!strcmp(builtin_regions[k].id, id))
            def = &builtin_regions[k];
    rg->id = js_xstrdup(id);
    rg->lat_min =
        js_cfg_double(c, m, "lat_min", def ? def->lat_min : -90.0, -90.0, 90.0, "degrees_north");
    rg->lat_max =
        js_cfg_double(c, m, "lat_max", def ? def->lat_max : 90.0, -90.0, 90.0, "degrees_north");
    if (!def && !js_ytree_get(m, "crops"))
        js_cfg_missing(c, m, "crops", "a map of crops keyed by id");
    struct js_ynode *crops = js_cfg_map(c, m, "crops");
    for (int k = 0; def && k < def->ncrops; k++)
        econ_read_crop(r, rg, js_cfg_map(c, crops, def->crop[k]), def->crop[k], def, k);
    for (struct js_ynode *e = crops ? crops->first : NULL; e; e = e->next) {
        bool builtin = false;
        for (int k = 0; def && k < def->ncrops; k++)
            builtin |= !strcmp(def->crop[k], e->key);
        if (builtin || e->implicit)
            continue;
        e->used = true;
        if (e->type != JS_YMAP) {
            js_cfg_error(c, e, "write harvest and yield_shi_per_mu under the crop",
                         "expected a map with the crop's harvest date and yield");
            js_ytree_mark_used(e);
            continue;
        }
        econ_read_crop(r, rg, e, e->key, NULL, 0);
    }
}

/**
 * @brief The crop regions: `economy.regions` as given, or the built-in north and south.
 * @param r reader
 * @param p parameters
 * @param econ the economy map
 */
static void econ_read_regions(struct js_reader *r, struct js_economy_params *p,
                              struct js_ynode *econ)
{
    struct js_cfg *c = r->c;
    bool given = js_ytree_get(econ, "regions") != NULL;
    struct js_ynode *rs = js_cfg_map(c, econ, "regions");
    if (!given || !rs) {
        p->nregions = (int32_t)JS_COUNTOF(builtin_regions);
        p->regions = js_xcalloc((size_t)p->nregions, sizeof(*p->regions));
        for (int32_t k = 0; k < p->nregions; k++)
            econ_read_region(r, &p->regions[k], js_cfg_map(c, rs, builtin_regions[k].id),
                             builtin_regions[k].id);
        return;
    }
    int32_t n = econ_count_entities(r, rs, "region");
    if (n == 0)
        js_cfg_error(c, rs, "declare at least one region, or remove the key for the built-in ones",
                     "no regions declared");
    p->regions = js_xcalloc((size_t)(n ? n : 1), sizeof(*p->regions));
    for (struct js_ynode *e = rs->first; e; e = e->next)
        if (e->type == JS_YMAP)
            econ_read_region(r, &p->regions[p->nregions++], e, e->key);
}

/* ---------------------------------------------------------------- global parameters */

/**
 * @brief Prices, rations, spoilage, weather and devastation.
 * @param r reader
 * @param p parameters
 * @param econ the economy map
 */
static void econ_read_core(struct js_reader *r, struct js_economy_params *p, struct js_ynode *econ)
{
    struct js_cfg *c = r->c;
    p->ration_sheng = js_cfg_double(c, econ, "ration_sheng_per_day", 2.0, 0.1, 10.0, "sheng/day");
    p->carry_days = js_cfg_double(c, econ, "carry_days", 60.0, 1.0, 1000.0, "days");
    p->pay_day = (int32_t)js_cfg_int(c, econ, "pay_day", 1, 1, 28, "day of month");
    struct js_ynode *pr = js_cfg_map(c, econ, "price");
    p->price_normal =
        js_cfg_double(c, pr, "normal_strings_per_shi", 1.0, 0.001, 1000.0, "strings/shi");
    p->eta = js_cfg_double(c, pr, "eta", 2.6, 0.0, 10.0, "1");
    p->price_cap = js_cfg_double(c, pr, "cap_multiple", 10.0, 1.0, 1000.0, "1");
    p->storage_interest =
        js_cfg_double(c, pr, "storage_interest_per_year", 0.2, 0.0, 5.0, "1/year");
    p->famine_price = js_cfg_double(c, pr, "famine_multiple", 2.5, 1.0, 1000.0, "1");
    struct js_ynode *sp = js_cfg_map(c, econ, "spoilage_per_year");
    p->spoil_private = js_cfg_double(c, sp, "private", 0.05, 0.0, 1.0, "1/year");
    p->spoil_granary = js_cfg_double(c, sp, "granary", 0.03, 0.0, 1.0, "1/year");
    struct js_ynode *we = js_cfg_map(c, econ, "weather");
    p->weather_sigma = js_cfg_double(c, we, "sigma", 0.15, 0.0, 2.0, "1");
    p->weather_cell_deg = js_cfg_double(c, we, "cell_deg", 3.0, 0.1, 90.0, "degrees");
    p->weather_local_share = js_cfg_double(c, we, "local_share", 0.3, 0.0, 1.0, "1");
    p->threat_devastation = js_cfg_double(c, econ, "threat_devastation", 0.5, 0.0, 1.0, "1");
}

/**
 * @brief The ever-normal granaries and market trade.
 * @param r reader
 * @param p parameters
 * @param econ the economy map
 */
static void econ_read_markets_params(struct js_reader *r, struct js_economy_params *p,
                                     struct js_ynode *econ)
{
    struct js_cfg *c = r->c;
    struct js_ynode *g = js_cfg_map(c, econ, "granary");
    p->buy_below = js_cfg_double(c, g, "buy_below", 0.8, 0.0, 10.0, "1");
    p->sell_above = js_cfg_double(c, g, "sell_above", 1.3, 0.0, 100.0, "1");
    p->buy_rate = js_cfg_double(c, g, "buy_rate_per_day", 0.01, 0.0, 1.0, "1/day");
    p->sell_rate = js_cfg_double(c, g, "sell_rate_per_day", 0.02, 0.0, 1.0, "1/day");
    p->granary_target_days = js_cfg_double(c, g, "target_days", 90.0, 0.0, 3650.0, "days");
    p->relief_below = js_cfg_double(c, g, "relief_below", 0.6, 0.0, 1.0, "1");
    p->relief_rate = js_cfg_double(c, g, "relief_rate_per_day", 0.02, 0.0, 1.0, "1/day");
    if (p->buy_below > p->sell_above)
        js_cfg_error(c, js_ytree_get(g, "buy_below") ? js_ytree_get(g, "buy_below") : g,
                     "make buy_below at most sell_above",
                     "granaries would buy above the price they sell at (%g > %g)", p->buy_below,
                     p->sell_above);
    struct js_ynode *t = js_cfg_map(c, econ, "trade");
    p->trade_rate = js_cfg_double(c, t, "rate_per_day", 0.02, 0.0, 1.0, "1/day");
    p->trade_theta = js_cfg_double(c, t, "theta", 1.0, 0.0, 5.0, "1");
    struct js_ynode *cost = js_cfg_map(c, t, "cost_strings_per_shi_km");
    for (int k = 0; k < JS_NROUTE_KINDS; k++)
        p->cost_per_km[k] = js_cfg_double(c, cost, js_route_kind_name((enum js_route_kind)k),
                                          default_cost_per_km[k], 0.0, 10.0, "strings/shi/km");
    p->crossing_fee =
        js_cfg_double(c, t, "crossing_fee_strings_per_shi", 0.01, 0.0, 100.0, "strings/shi");
    p->trade_max_cost =
        js_cfg_double(c, t, "max_cost_strings_per_shi", 0.5, 0.0, 1000.0, "strings/shi");
    p->smuggling_share = js_cfg_double(c, t, "smuggling_share", 0.2, 0.0, 1.0, "1");
}

/* ---------------------------------------------------------------- places and factions */

/**
 * @brief The region of a place: given, or the first whose latitude band holds it.
 * @param r reader
 * @param p parameters
 * @param m the place's economy map
 * @param i place
 */
static int32_t econ_place_region(struct js_reader *r, const struct js_economy_params *p,
                                 struct js_ynode *m, int32_t i)
{
    struct js_cfg *c = r->c;
    const char *id = js_cfg_string(c, m, "region", NULL);
    if (id) {
        for (int32_t k = 0; k < p->nregions; k++)
            if (!strcmp(p->regions[k].id, id))
                return k;
        js_cfg_error(c, js_ytree_get(m, "region"), "name a region of economy.regions",
                     "no region '%s'", id);
        return 0;
    }
    double lat = r->w->places.lat[i];
    for (int32_t k = 0; k < p->nregions; k++) {
        if (lat >= p->regions[k].lat_min && lat < p->regions[k].lat_max) {
            char path[300];
            snprintf(path, sizeof(path), "places.%s.economy.region", r->w->places.id[i]);
            js_cfg_record(c, path, p->regions[k].id, "-", "computed: latitude band of the region");
            return k;
        }
    }
    if (p->nregions > 0)
        js_cfg_error(c, m, "give the place a region, or widen a region's lat_min..lat_max",
                     "no crop region covers latitude %g", lat);
    return 0;
}

/**
 * @brief A place's economy map: cultivated land, region, fertility, state granary.
 * @param r reader
 * @param p parameters
 * @param e the place's map
 * @param i place
 */
static void econ_read_place(struct js_reader *r, const struct js_economy_params *p,
                            struct js_ynode *e, int32_t i)
{
    struct js_cfg *c = r->c;
    struct js_economy *ec = &r->w->economy;
    struct js_ynode *m = js_cfg_map(c, e, "economy");
    ec->land_mu[i] = js_cfg_double(c, m, "land_mu", 0.0, 0.0, 1e11, "mu");
    ec->yield_factor[i] = js_cfg_double(c, m, "yield_factor", 1.0, 0.0, 10.0, "1");
    ec->granary[i] =
        (int64_t)llround(100.0 * js_cfg_double(c, m, "granary_shi", 0.0, 0.0, 1e11, "shi"));
    ec->region[i] = econ_place_region(r, p, m, i);
    ec->price[i] = p->price_normal;
}

/**
 * @brief A faction's fiscal settings: treasury, land tax, commercial taxes, monopolies,
 * administration, soldiers and their pay.
 * @param r reader
 * @param e the faction's map
 * @param f faction
 */
static void econ_read_faction(struct js_reader *r, struct js_ynode *e, int32_t f)
{
    struct js_cfg *c = r->c;
    struct js_economy *ec = &r->w->economy;
    struct js_ynode *m = js_cfg_map(c, e, "economy");
    int64_t treasury[JS_NCURRENCIES];
    econ_read_amounts(r, js_cfg_map(c, m, "treasury"), treasury);
    for (int k = 0; k < JS_NCURRENCIES; k++)
        ec->treasury[(size_t)f * JS_NCURRENCIES + (size_t)k] = k == JS_CUR_GRAIN ? 0 : treasury[k];
    if (treasury[JS_CUR_GRAIN] > 0)
        js_cfg_error(c, js_ytree_get(js_cfg_map(c, m, "treasury"), "grain_shi"),
                     "put state grain in places.<id>.economy.granary_shi",
                     "a faction's grain is held in the granaries of its places");
    struct js_ynode *lt = js_cfg_map(c, m, "land_tax");
    ec->tax_rate[f] = js_cfg_double(c, lt, "rate", 0.10, 0.0, 1.0, "1");
    ec->tax_grain_share[f] = js_cfg_double(c, lt, "grain_share", 0.5, 0.0, 1.0, "1");
    ec->tax_silk_per_person[f] =
        js_cfg_double(c, lt, "silk_bolts_per_person", 0.1, 0.0, 100.0, "bolts/person/year");
    size_t t = (size_t)f * JS_ECON_NTAX_DATES;
    econ_read_yearly_date(r, lt, "summer", 7, 15, &ec->tax_month[t], &ec->tax_mday[t]);
    econ_read_yearly_date(r, lt, "autumn", 11, 15, &ec->tax_month[t + 1], &ec->tax_mday[t + 1]);
    ec->commercial_per_person[f] = js_cfg_double(c, m, "commercial_tax_strings_per_person", 0.10,
                                                 0.0, 1000.0, "strings/person/year");
    ec->monopoly_per_person[f] = js_cfg_double(c, m, "monopoly_strings_per_person", 0.15, 0.0,
                                               1000.0, "strings/person/year");
    struct js_ynode *ad = js_cfg_map(c, m, "administration");
    ec->admin_cash_per_person[f] =
        js_cfg_double(c, ad, "cash_strings_per_person", 0.23, 0.0, 1000.0, "strings/person/year");
    ec->admin_grain_per_person[f] =
        js_cfg_double(c, ad, "grain_sheng_per_person", 7.3, 0.0, 10000.0, "sheng/person/year");
    static const char *const cls[JS_NSOLDIER_CLASSES] = {"regular", "provincial"};
    struct js_ynode *so = js_cfg_map(c, m, "soldiers");
    struct js_ynode *pay = js_cfg_map(c, m, "pay");
    for (int k = 0; k < JS_NSOLDIER_CLASSES; k++) {
        size_t s = (size_t)f * JS_NSOLDIER_CLASSES + (size_t)k;
        ec->soldiers[s] = js_cfg_int(c, so, cls[k], 0, 0, 100000000, "soldiers");
        struct js_ynode *pm = js_cfg_map(c, pay, cls[k]);
        for (int cu = 0; cu < JS_NCURRENCIES; cu++) {
            char unit[48];
            snprintf(unit, sizeof(unit), "%s/soldier/year", amount_unit[cu]);
            ec->pay[s * JS_NCURRENCIES + (size_t)cu] =
                js_cfg_double(c, pm, amount_key[cu], default_pay[k][cu], 0.0, 1e6, unit);
        }
    }
}

/**
 * @brief Starts every place whose `grain_shi` is not given with its normal stock (the people's
 * need to the next harvest plus the carry-over), and corrects its parameter record.
 * @param r reader
 * @param p parameters
 */
static void econ_initial_stocks(struct js_reader *r, const struct js_economy_params *p)
{
    struct js_cfg *c = r->c;
    struct js_world *w = r->w;
    struct js_idmap keys;
    js_idmap_init(&keys, c->nparams);
    for (size_t k = 0; k < c->nparams; k++)
        js_idmap_put(&keys, c->params[k].key, (int32_t)k);
    int32_t i = 0;
    for (struct js_ynode *e = r->places ? r->places->first : NULL; e; e = e->next, i++) {
        if (e->type != JS_YMAP || js_ytree_get(e, "grain_shi"))
            continue;
        const struct js_econ_region *rg = &p->regions[w->economy.region[i]];
        double days = js_econ_normal_days(r->calendar, r->start, rg->month, rg->mday, rg->yield_shi,
                                          rg->ncrops, p->carry_days);
        double need = (double)js_world_place_population(w, i) * p->ration_sheng * days;
        w->places.grain[i] = (int64_t)llround(need);
        char path[300], val[40];
        snprintf(path, sizeof(path), "places.%s.grain_shi", e->key);
        int32_t k = js_idmap_get(&keys, path);
        if (k < 0)
            continue;
        snprintf(val, sizeof(val), "%.2f", need / 100.0);
        free(c->params[k].value);
        free(c->params[k].source);
        c->params[k].value = js_xstrdup(val);
        c->params[k].source = js_xstrdup("computed: normal stock (economy)");
    }
    js_idmap_free(&keys);
}

/* ---------------------------------------------------------------- tables */

/**
 * @brief Treaties: yearly tribute from a payer to a receiver.
 * @param r reader
 * @param sec economy.treaties
 */
static void econ_read_treaties(struct js_reader *r, struct js_ynode *sec)
{
    struct js_cfg *c = r->c;
    struct js_economy *ec = &r->w->economy;
    struct js_treaties *t = &ec->treaties;
    static const char *const states[JS_NTREATY_STATES] = {"not_in_force", "in_force", "suspended"};
    int32_t k = 0;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP)
            continue;
        t->id[k] = js_xstrdup(e->key);
        t->payer[k] = js_reader_ref(r, e, "payer", "factions", true);
        t->receiver[k] = js_reader_ref(r, e, "receiver", "factions", true);
        if (t->payer[k] >= 0 && t->payer[k] == t->receiver[k])
            js_cfg_error(c, js_ytree_get(e, "receiver"), "a treaty joins two factions",
                         "the payer and the receiver are the same faction");
        econ_read_amounts(r, js_cfg_map(c, e, "yearly"), &t->yearly[(size_t)k * JS_NCURRENCIES]);
        econ_read_yearly_date(r, e, "delivery", 0, 0, &t->month[k], &t->mday[k]);
        t->place[k] = js_reader_ref(r, e, "place", "places", false);
        t->friction[k] = js_cfg_double(c, e, "friction", 0.02, 0.0, 1.0, "1");
        t->transit_days[k] = (int32_t)js_cfg_int(c, e, "transit_days", 30, 0, 3650, "days");
        t->state[k] = (uint8_t)js_cfg_enum(c, e, "state", states, JS_NTREATY_STATES, 1);
        k++;
    }
}

/**
 * @brief Transfers: one-off payments, on a date or when an event triggers them.
 * @param r reader
 * @param sec economy.transfers
 */
static void econ_read_transfers(struct js_reader *r, struct js_ynode *sec)
{
    struct js_cfg *c = r->c;
    struct js_transfers *x = &r->w->economy.transfers;
    int32_t k = 0;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP)
            continue;
        x->id[k] = js_xstrdup(e->key);
        x->payer[k] = js_reader_ref(r, e, "payer", "factions", true);
        x->receiver[k] = js_reader_ref(r, e, "receiver", "factions", true);
        if (x->payer[k] >= 0 && x->payer[k] == x->receiver[k])
            js_cfg_error(c, js_ytree_get(e, "receiver"), "a transfer joins two factions",
                         "the payer and the receiver are the same faction");
        econ_read_amounts(r, js_cfg_map(c, e, "amount"), &x->amount[(size_t)k * JS_NCURRENCIES]);
        x->day[k] = -1;
        struct js_date date;
        if (js_ytree_get(e, "date") && js_cfg_date(c, e, "date", r->calendar, &date, false) &&
            r->dates_ok) {
            int64_t day = js_calendar_days_between(r->calendar, r->start, date);
            if (day < 0 || day >= r->w->clock.n_days)
                js_cfg_error(c, js_ytree_get(e, "date"), "give a date within the run",
                             "the date is outside the run");
            x->day[k] = (int32_t)day;
        }
        x->friction[k] = js_cfg_double(c, e, "friction", 0.02, 0.0, 1.0, "1");
        x->transit_days[k] = (int32_t)js_cfg_int(c, e, "transit_days", 30, 0, 3650, "days");
        k++;
    }
}

/**
 * @brief Border markets: place, partner faction, turnover and levy, open at the start or not.
 * @param r reader
 * @param sec economy.markets
 */
static void econ_read_border_markets(struct js_reader *r, struct js_ynode *sec)
{
    struct js_cfg *c = r->c;
    struct js_markets *m = &r->w->economy.markets;
    int32_t k = 0;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP)
            continue;
        m->id[k] = js_xstrdup(e->key);
        int32_t place = js_reader_ref(r, e, "place", "places", true);
        m->place[k] = place < 0 ? 0 : place;
        m->partner[k] = js_reader_ref(r, e, "partner", "factions", true);
        if (m->partner[k] < 0)
            m->partner[k] = 0;
        m->turnover_per_year[k] =
            js_cfg_double_req(c, e, "turnover_strings_per_year", 0.0, 1e12, "strings/year");
        m->levy_rate[k] = js_cfg_double(c, e, "levy_rate", 0.005, 0.0, 1.0, "1");
        m->open[k] = (uint8_t)js_cfg_bool(c, e, "open", false);
        k++;
    }
}

/**
 * @brief Standing shipments of state grain.
 * @param r reader
 * @param sec economy.shipments
 */
static void econ_read_shipments(struct js_reader *r, struct js_ynode *sec)
{
    struct js_cfg *c = r->c;
    struct js_shipments *s = &r->w->economy.shipments;
    int32_t k = 0;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP)
            continue;
        s->id[k] = js_xstrdup(e->key);
        int32_t a = js_reader_ref(r, e, "from", "places", true);
        int32_t b = js_reader_ref(r, e, "to", "places", true);
        if (a >= 0 && a == b)
            js_cfg_error(c, js_ytree_get(e, "to"), "ship between two places",
                         "the shipment goes from a place to itself");
        s->from[k] = a < 0 ? 0 : a;
        s->to[k] = b < 0 ? 0 : b;
        s->shi_per_year[k] = js_cfg_double_req(c, e, "shi_per_year", 0.0, 1e10, "shi/year");
        s->every_days[k] = (int32_t)js_cfg_int(c, e, "every_days", 10, 1, 365, "days");
        s->off_map[k] = (uint8_t)js_cfg_bool(c, e, "off_map", false);
        k++;
    }
}

/**
 * @brief The economy's tables: counted, allocated (with the convoy pool), then read.
 * @param r reader
 * @param econ the economy map
 */
static void econ_read_tables(struct js_reader *r, struct js_ynode *econ)
{
    struct js_cfg *c = r->c;
    struct js_ynode *tr = js_cfg_map(c, econ, "treaties");
    struct js_ynode *tf = js_cfg_map(c, econ, "transfers");
    struct js_ynode *mk = js_cfg_map(c, econ, "markets");
    struct js_ynode *sh = js_cfg_map(c, econ, "shipments");
    int32_t nt = econ_count_entities(r, tr, "treaty");
    int32_t nx = econ_count_entities(r, tf, "transfer");
    int32_t nm = econ_count_entities(r, mk, "market");
    int32_t ns = econ_count_entities(r, sh, "shipment");
    /* default pool: a convoy per treaty and transfer payment in flight, and a year of
     * dispatches of each shipment (one every 10 days by default), plus a margin */
    int64_t def = 16 + 4 * (int64_t)(nt + nx) + 37 * (int64_t)ns;
    int32_t ncv = (int32_t)js_cfg_int(c, econ, "max_convoys", def, 1, 10000000, "convoys");
    js_world_economy_alloc_tables(r->w, nt, nx, nm, ns, ncv);
    econ_read_treaties(r, tr);
    econ_read_transfers(r, tf);
    econ_read_border_markets(r, mk);
    econ_read_shipments(r, sh);
}

/* ---------------------------------------------------------------- the section */

void js_reader_economy(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_economy_params *p = &r->sc->params.economy;
    bool present = js_ytree_get(r->root, "economy") != NULL;
    struct js_ynode *econ = js_cfg_map(c, r->root, "economy");
    p->enabled = js_cfg_bool(c, econ, "enabled", present);
    if (!econ || !present) {
        /* no economy: places' and factions' economy: maps are unknown keys */
        js_world_economy_alloc_tables(r->w, 0, 0, 0, 0, 1);
        return;
    }
    /* A section switched off (enabled: false) is still read and checked — a typo must not pass
     * quietly — but its phases do not run. Without a section, places' and factions' economy:
     * maps are unknown keys. */
    econ_read_core(r, p, econ);
    econ_read_markets_params(r, p, econ);
    econ_read_regions(r, p, econ);
    int32_t i = 0;
    for (struct js_ynode *e = r->places ? r->places->first : NULL; e; e = e->next, i++)
        if (e->type == JS_YMAP && p->nregions > 0)
            econ_read_place(r, p, e, i);
    int32_t f = 0;
    for (struct js_ynode *e = r->factions ? r->factions->first : NULL; e; e = e->next, f++)
        if (e->type == JS_YMAP)
            econ_read_faction(r, e, f);
    econ_read_tables(r, econ);
    if (p->nregions > 0)
        econ_initial_stocks(r, p);
    /* a treaty suspended at the start means its parties are at war */
    const struct js_treaties *t = &r->w->economy.treaties;
    size_t nf = (size_t)r->w->factions.n;
    for (int32_t k = 0; k < t->n; k++)
        if (t->state[k] == JS_TREATY_SUSPENDED && t->payer[k] >= 0 && t->receiver[k] >= 0) {
            r->w->economy.at_war[(size_t)t->payer[k] * nf + (size_t)t->receiver[k]] = 1;
            r->w->economy.at_war[(size_t)t->receiver[k] * nf + (size_t)t->payer[k]] = 1;
        }
}

/* ---------------------------------------------------------------- events */

/**
 * @brief A reference to an entry of an economy table by id.
 * @param r reader
 * @param e the event's map
 * @param key its key ("treaty")
 * @param ids the table's ids
 * @param n how many
 * @param section where they are declared, for messages
 * @return the index, or -1
 */
static int32_t econ_event_ref(struct js_reader *r, struct js_ynode *e, const char *key,
                              char *const *ids, int32_t n, const char *section)
{
    struct js_idmap m;
    js_idmap_init(&m, (size_t)n);
    for (int32_t k = 0; k < n; k++)
        if (ids[k])
            js_idmap_put(&m, ids[k], k);
    int32_t v = js_cfg_ref(r->c, e, key, &m, key, section, true);
    js_idmap_free(&m);
    return v;
}

/**
 * @brief The keys of a `harvest_shock` event: a place or a region, the factor, an end date.
 * @param r reader
 * @param e the event's map
 * @param ev the event
 */
static void econ_event_shock(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    struct js_cfg *c = r->c;
    const struct js_economy_params *p = &r->sc->params.economy;
    bool has_place = js_ytree_get(e, "place") != NULL, has_region = js_ytree_get(e, "region");
    ev->value[2] = -1.0;
    if (has_place == has_region) {
        js_cfg_error(c, e, "give a place or a region",
                     "a harvest shock needs exactly one of place and region");
        js_cfg_child(c, e, "region"); /* known: one error, not two */
    }
    if (has_place) {
        ev->place = js_reader_ref(r, e, "place", "places", true);
    } else if (has_region) {
        char *ids[64];
        int32_t n = p->nregions < 64 ? p->nregions : 64;
        for (int32_t k = 0; k < n; k++)
            ids[k] = p->regions[k].id;
        int32_t g = econ_event_ref(r, e, "region", ids, n, "economy.regions");
        ev->value[2] = (double)g;
        if (g < 0)
            ev->value[2] = 0.0;
    }
    ev->value[0] = js_cfg_double_req(c, e, "factor", 0.0, 10.0, "1");
    ev->value[1] = -1.0;
    struct js_date until;
    if (js_ytree_get(e, "until") && js_cfg_date(c, e, "until", r->calendar, &until, false) &&
        r->dates_ok) {
        int64_t day = js_calendar_days_between(r->calendar, r->start, until);
        if (day < ev->day)
            js_cfg_error(c, js_ytree_get(e, "until"), "give an end on or after the event's date",
                         "the shock would end before it starts");
        ev->value[1] = (double)(day < 0 ? 0 : day);
    }
}

void js_reader_economy_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    struct js_cfg *c = r->c;
    const struct js_economy *ec = &r->w->economy;
    const struct js_economy_params *p = &r->sc->params.economy;
    if (!p->enabled)
        js_cfg_error(c, js_ytree_get(e, "do"), "add an economy: section (or enable it)",
                     "economic events need the economy (economy.enabled is false)");
    static const char *const actions[JS_NTREATY_ACTIONS] = {"sign", "suspend", "resume", "end"};
    switch (ev->what) {
    case JS_DO_TREATY:
        ev->value[0] =
            econ_event_ref(r, e, "treaty", ec->treaties.id, ec->treaties.n, "economy.treaties");
        ev->value[1] = js_cfg_enum(c, e, "action", actions, JS_NTREATY_ACTIONS, -1);
        break;
    case JS_DO_TRANSFER:
        ev->value[0] = econ_event_ref(r, e, "transfer", ec->transfers.id, ec->transfers.n,
                                      "economy.transfers");
        break;
    case JS_DO_OPEN_MARKET:
    case JS_DO_CLOSE_MARKET:
        ev->value[0] =
            econ_event_ref(r, e, "market", ec->markets.id, ec->markets.n, "economy.markets");
        break;
    default:
        econ_event_shock(r, e, ev);
        break;
    }
    js_reader_event_text(r, e, ev->text, false);
}
