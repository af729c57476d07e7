/**
 * @file economy.h
 * @brief Economic flows: harvests, granaries, prices, taxes, treasuries, tribute and trade.
 *
 * Two phases of the day (ARCHITECTURE, "The day loop"):
 *  - js_economy_calendar (phase 2): harvests on the crops' dates, the land tax on each
 *    faction's tax dates, and on the monthly pay day commercial taxes, monopolies, army pay
 *    and administration;
 *  - js_economy_flows (phase 8): convoys arriving, tribute and transfers falling due, state
 *    shipments leaving, market trade by a gravity model over transport cost, the ever-normal
 *    granaries, consumption, spoilage, prices, the food ratio and famine, border-market levies.
 *
 * The food ratio (`places.food_ratio`, read by demography and migration) is
 *
 *     food_ratio = private grain / (persons × ration × (days to the next harvest + carry days))
 *
 * — grain available per head over what a normal year holds at this point of the year (1 after
 * a normal harvest, 0.8 after a harvest 20 % short). People eat min(1, food_ratio) of a ration,
 * so the ratio stays level until the next harvest; the price is p0 · food_ratio^(−η) (King's
 * law) within storage bounds, and there is famine when the price passes the famine multiple
 * (the poorest can no longer buy their ration) or the stock is gone. A place without people
 * has food ratio 1.
 */
#ifndef JS_ECONOMY_H
#define JS_ECONOMY_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/world.h"

/** @brief Crops a region may have. */
#define JS_ECON_MAX_CROPS 4

/**
 * @brief A crop region ("rice south of the Huai, millet and wheat north"): its crops' harvest
 * dates and yields.
 */
struct js_econ_region {
    char *id;                            /**< config id */
    double lat_min;                      /**< places at or north of this latitude ... */
    double lat_max;                      /**< ... and south of this one default to it */
    int ncrops;                          /**< crops */
    char *crop_id[JS_ECON_MAX_CROPS];    /**< crop ids ("rice") */
    int8_t month[JS_ECON_MAX_CROPS];     /**< harvest months (1..12) */
    int8_t mday[JS_ECON_MAX_CROPS];      /**< harvest days (never 29 February) */
    double yield_shi[JS_ECON_MAX_CROPS]; /**< husked grain per mu per year from the crop, shi */
};

/** @brief Economy parameters (scenario section `economy:`). */
struct js_economy_params {
    bool enabled;                        /**< the economy runs (an economy: section given) */
    int32_t nregions;                    /**< crop regions */
    struct js_econ_region *regions;      /**< the regions */
    double ration_sheng;                 /**< grain a person eats a day, sheng */
    double carry_days;                   /**< normal carry-over stock at harvest eve, days */
    double price_normal;                 /**< p0: normal price, strings of cash per shi */
    double eta;                          /**< price flexibility (King's law exponent) */
    double price_cap;                    /**< highest price, multiple of p0 */
    double storage_interest;             /**< interest a year of storers (price floor) */
    double famine_price;                 /**< famine above this multiple of p0 */
    double spoil_private;                /**< share of private stocks spoiled a year */
    double spoil_granary;                /**< share of granary stocks spoiled a year */
    double weather_sigma;                /**< s.d. of the harvest's weather shock */
    double weather_cell_deg;             /**< correlation length of the weather field, deg */
    double weather_local_share;          /**< share of the shock's variance that is local */
    double threat_devastation;           /**< harvest lost per unit of threat or conflict */
    double buy_below;                    /**< granaries buy below this multiple of p0 */
    double sell_above;                   /**< granaries sell above this multiple of p0 */
    double buy_rate;                     /**< share of the private stock bought a day */
    double sell_rate;                    /**< share of the granary sold a day */
    double granary_target_days;          /**< granaries buy up to this many days of need */
    double relief_below;                 /**< relief below this food ratio */
    double relief_rate;                  /**< share of the granary given a day */
    double trade_rate;                   /**< share of a stock traded a day at full margin */
    double trade_theta;                  /**< gravity exponent of transport cost */
    double cost_per_km[JS_NROUTE_KINDS]; /**< transport cost, strings per shi per km */
    double crossing_fee;                 /**< transhipment at a crossing, strings per shi */
    double trade_max_cost;               /**< trade radius, strings per shi */
    double smuggling_share;              /**< share of banned or levied trade that leaks */
    int32_t pay_day;                     /**< day of the month of pay, taxes and salaries */
};

/** @brief Purposes of the economy's random streams. */
enum js_economy_purpose {
    JS_ECON_WEATHER_FIELD = 1, /**< the spatially correlated weather shock of a cell corner */
    JS_ECON_WEATHER_LOCAL = 2, /**< the local weather shock of a place */
    JS_ECON_SPOIL_PRIVATE = 3, /**< rounding of a place's private spoilage */
    JS_ECON_SPOIL_GRANARY = 4, /**< rounding of a place's granary spoilage */
};

/** @brief Actions of a `treaty` event. */
enum js_treaty_action {
    JS_TREATY_SIGN = 0, /**< in force from today; the parties are at peace */
    JS_TREATY_SUSPEND,  /**< suspended: the parties are at war, payments stop */
    JS_TREATY_RESUME,   /**< in force again; the parties are at peace */
    JS_TREATY_END,      /**< no longer in force (the parties' war state is unchanged) */
    JS_NTREATY_ACTIONS
};

/**
 * @brief Phase 2: harvests, the land tax, and the monthly pay day.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_economy_calendar(struct js_world *w, const struct js_day *d,
                         const struct js_economy_params *p);

/**
 * @brief Phase 8: convoys, payments, shipments, trade, granaries, consumption, prices.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_economy_flows(struct js_world *w, const struct js_day *d,
                      const struct js_economy_params *p);

/**
 * @brief For the army module: the soldiers a faction pays (pay and rations are drawn monthly
 * for them). Serial code only.
 * @param w the world
 * @param faction faction id
 * @param regular regular soldiers
 * @param provincial provincial soldiers
 */
void js_economy_set_soldiers(struct js_world *w, int32_t faction, int64_t regular,
                             int64_t provincial);

/**
 * @brief For the army module: days a faction's soldiers have been owed pay (0 when paid).
 * @param w the world
 * @param faction faction id
 */
int32_t js_economy_unpaid_days(const struct js_world *w, int32_t faction);

/**
 * @brief For the army module: armies destroy a share of a place's next harvest (foraging,
 * trampling, burning). Serial code only.
 * @param w the world
 * @param place place id
 * @param share share of what is left, 0..1
 */
void js_economy_devastate(struct js_world *w, int32_t place, double share);

/**
 * @brief Puts two factions at war or at peace; war suspends every treaty in force between
 * them (peace resumes none: a `treaty` event with `action: resume` does). Routes between their
 * places carry no grain while they are at war. Serial code only.
 * @param w the world
 * @param d today
 * @param a a faction
 * @param b another faction
 * @param war true for war
 */
void js_economy_set_war(struct js_world *w, const struct js_day *d, int32_t a, int32_t b, bool war);

/**
 * @brief Pays a one-off sum (a ransom, an indemnity) from one faction to another: as much of
 * @p amount as the payer holds leaves today, a share @p friction is lost, and the rest arrives
 * after @p transit_days. Serial code only.
 * @param w the world
 * @param d today
 * @param payer faction paying
 * @param receiver faction receiving
 * @param amount amount by currency, base units
 * @param friction share lost, 0..1
 * @param transit_days days to the receiver
 * @param paid out: amount paid by currency (may be NULL)
 */
void js_economy_pay(struct js_world *w, const struct js_day *d, int32_t payer, int32_t receiver,
                    const int64_t amount[JS_NCURRENCIES], double friction, int32_t transit_days,
                    int64_t paid[JS_NCURRENCIES]);

/**
 * @brief Event `treaty`: signs, suspends, resumes or ends a treaty; fills its /events row.
 * @param w the world
 * @param d today
 * @param treaty treaty index
 * @param action enum js_treaty_action
 * @param row the TREATY row to fill
 */
void js_economy_treaty_event(struct js_world *w, const struct js_day *d, int32_t treaty, int action,
                             struct js_event_row *row);

/**
 * @brief Event `transfer`: pays a declared transfer today; fills its RANSOM_PAID row.
 * @param w the world
 * @param d today
 * @param transfer transfer index
 * @param row the row to fill
 */
void js_economy_transfer_event(struct js_world *w, const struct js_day *d, int32_t transfer,
                               struct js_event_row *row);

/**
 * @brief Events `open_market` and `close_market`; fills the MARKET_OPENED/CLOSED row.
 * @param w the world
 * @param market market index
 * @param open true to open
 * @param row the row to fill
 */
void js_economy_market_event(struct js_world *w, int32_t market, bool open,
                             struct js_event_row *row);

/**
 * @brief Event `harvest_shock`: multiplies the harvests of a place, or of every place of a
 * region, by @p factor until @p until_day (-1: for the rest of the run); fills its row.
 * @param w the world
 * @param place place id, or -1 with a region
 * @param region region index, or -1 with a place
 * @param factor harvest multiplier, >= 0
 * @param until_day last day it applies, or -1
 * @param row the HARVEST_SHOCK row to fill
 */
void js_economy_harvest_shock(struct js_world *w, int32_t place, int32_t region, double factor,
                              int32_t until_day, struct js_event_row *row);

/**
 * @brief Frees the parameters' allocations.
 * @param p parameters
 */
void js_economy_params_free(struct js_economy_params *p);

#endif /* JS_ECONOMY_H */
