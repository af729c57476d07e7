/**
 * @file world_economy.h
 * @brief The economy's state in the world (ARCHITECTURE rule 1): granaries, prices, harvests,
 * treasuries, fiscal accounts, treaties, transfers, border markets, state shipments and the
 * convoys in transit, all in structure-of-arrays form indexed by entity id.
 *
 * The private (market) grain of a place is core's `places.grain`; the state granary of a
 * place is `granary` here and belongs to whoever holds the place. A faction's grain is the
 * sum of the granaries of the places it holds; its cash, silver, gold and silk are in
 * `treasury`. Stocks are int64 in base units (sheng, strings, taels, bolts).
 */
#ifndef JS_WORLD_ECONOMY_H
#define JS_WORLD_ECONOMY_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/calendar.h"
#include "jinsong/ledger.h"

/** @brief Tax dates a year (the Song two-tax system: summer and autumn). */
#define JS_ECON_NTAX_DATES 2

/** @brief Classes of soldiers a faction pays. */
enum js_soldier_class {
    JS_SOLDIER_REGULAR = 0, /**< regular (imperial) troops, 禁军 */
    JS_SOLDIER_PROVINCIAL,  /**< provincial troops, 厢军 */
    JS_NSOLDIER_CLASSES
};

/** @brief Currencies of treasuries and transfers. Add, never renumber. */
enum js_currency {
    JS_CUR_CASH = 0, /**< strings of cash (1,000 wen) */
    JS_CUR_SILVER,   /**< taels of silver */
    JS_CUR_GOLD,     /**< taels of gold */
    JS_CUR_SILK,     /**< bolts of silk */
    JS_CUR_GRAIN,    /**< sheng of husked grain (state granaries) */
    JS_NCURRENCIES
};

/** @brief Kinds of state revenue (cumulative accounts per faction and currency). */
enum js_revenue_kind {
    JS_REV_LAND_TAX = 0,   /**< land tax on the harvest (grain and commuted cash) */
    JS_REV_COMMERCIAL_TAX, /**< commercial taxes */
    JS_REV_MONOPOLY,       /**< salt, tea and wine monopolies */
    JS_REV_MARKET_LEVY,    /**< levy on licensed border markets */
    JS_REV_GRANARY_TRADE,  /**< ever-normal granary: cash from sales, grain bought */
    JS_REV_TRIBUTE,        /**< yearly tribute received */
    JS_REV_TRANSFERS,      /**< indemnities and ransoms received */
    JS_NREVENUE_KINDS
};

/** @brief Kinds of state expenditure (cumulative accounts per faction and currency). */
enum js_expenditure_kind {
    JS_EXP_ARMY = 0,       /**< soldiers' pay, rations and clothing */
    JS_EXP_ADMINISTRATION, /**< officials' salaries and stipends */
    JS_EXP_RELIEF,         /**< famine relief from the granaries */
    JS_EXP_GRANARY_TRADE,  /**< ever-normal granary: cash for purchases, grain sold */
    JS_EXP_TRIBUTE,        /**< yearly tribute paid (friction included) */
    JS_EXP_TRANSFERS,      /**< indemnities and ransoms paid (friction included) */
    JS_NEXPENDITURE_KINDS
};

/** @brief State of a treaty. Add, never renumber. */
enum js_treaty_state {
    JS_TREATY_NOT_IN_FORCE = 0, /**< not signed yet, or ended */
    JS_TREATY_IN_FORCE,         /**< payments fall due */
    JS_TREATY_SUSPENDED,        /**< wartime: no payments */
    JS_NTREATY_STATES
};

/** @brief What a convoy carries payments for. */
enum js_convoy_purpose {
    JS_CONVOY_SHIPMENT = 0, /**< state grain shipment (tax grain, army supply) */
    JS_CONVOY_TRIBUTE,      /**< yearly tribute */
    JS_CONVOY_TRANSFER,     /**< indemnity or ransom */
};

/** @brief Treaties: yearly payments from one faction to another. */
struct js_treaties {
    int32_t n;             /**< number of treaties */
    char **id;             /**< config id */
    int32_t *payer;        /**< faction paying */
    int32_t *receiver;     /**< faction receiving */
    int64_t *yearly;       /**< [n * JS_NCURRENCIES] amount a year, base units */
    int8_t *month;         /**< delivery month (1..12) */
    int8_t *mday;          /**< delivery day of the month */
    int32_t *place;        /**< delivery place or -1 (recorded in /events) */
    double *friction;      /**< share of each payment lost on the way (inspections, fees) */
    int32_t *transit_days; /**< days from the payer's treasury to the receiver's */
    uint8_t *state;        /**< enum js_treaty_state (mutable) */
    int64_t *paid;         /**< [n * JS_NCURRENCIES] paid since the start (mutable) */
};

/** @brief One-off transfers between factions (indemnities, ransoms). */
struct js_transfers {
    int32_t n;             /**< number of transfers */
    char **id;             /**< config id */
    int32_t *payer;        /**< faction paying */
    int32_t *receiver;     /**< faction receiving */
    int64_t *amount;       /**< [n * JS_NCURRENCIES] amount demanded, base units */
    int32_t *day;          /**< day it is paid, or -1 when only an event triggers it */
    double *friction;      /**< share lost on the way */
    int32_t *transit_days; /**< days to the receiver's treasury */
    int64_t *paid;         /**< [n * JS_NCURRENCIES] amount actually paid (mutable) */
};

/** @brief Licensed border markets (榷场). */
struct js_markets {
    int32_t n;                 /**< number of markets */
    char **id;                 /**< config id */
    int32_t *place;            /**< place of the market (its owner levies) */
    int32_t *partner;          /**< faction trading across the border */
    double *turnover_per_year; /**< legal trade, strings of cash a year */
    double *levy_rate;         /**< share of the turnover levied */
    uint8_t *open;             /**< 1 while open (mutable) */
    int64_t *levied;           /**< levy collected since the start, strings (mutable) */
    double *carry;             /**< fraction of a string due, carried to the next day (mutable) */
};

/** @brief Standing state grain shipments (tax grain to the capital, army supply). */
struct js_shipments {
    int32_t n;            /**< number of shipments */
    char **id;            /**< config id */
    int32_t *from;        /**< place whose granary sends (or where off-map grain enters) */
    int32_t *to;          /**< place whose granary receives */
    double *shi_per_year; /**< yearly amount, shi */
    int32_t *every_days;  /**< days between dispatches */
    uint8_t *off_map;     /**< 1: tax grain of prefectures beyond the map, entering at `from` */
    int64_t *sent;        /**< grain dispatched since the start, sheng (mutable) */
    int64_t *blocked;     /**< dispatches that found no open route (mutable) */
};

/** @brief Convoys in transit (a pool with fixed capacity; slots reused lowest first). */
struct js_convoys {
    int32_t cap;         /**< slots */
    uint8_t *active;     /**< 1 while in transit */
    uint8_t *purpose;    /**< enum js_convoy_purpose */
    int32_t *source;     /**< index of the shipment, treaty or transfer */
    int32_t *payer;      /**< faction that sent it */
    int32_t *receiver;   /**< faction it goes to */
    int32_t *dest;       /**< place whose granary receives grain, or -1 (receiver's choice) */
    int32_t *arrive_day; /**< day of arrival (delivered in that day's flows) */
    int64_t *cargo;      /**< [cap * JS_NCURRENCIES] base units */
    int64_t overflow;    /**< convoys delivered at once because every slot was in use */
};

/**
 * @brief The trade network: for every place, the places within the trade radius by the
 * cheapest open route (a cache, rebuilt when routes, owners or wars change; not state).
 * Entries of a source are in order of cost; `pred` links each entry to the entry of the
 * place before it on the cheapest path (-1 for the first hop), so that a flow can be laid
 * on every route it uses.
 */
struct js_econ_net {
    bool valid;       /**< built for the snapshot below */
    int32_t *start;   /**< [np + 1] offsets of each source's entries */
    int32_t *node;    /**< destination place of an entry */
    int32_t *pred;    /**< entry of the previous place on the path, -1 for the first hop */
    int32_t *route;   /**< route of the last hop into the entry's place */
    double *cost;     /**< transport cost from the source, strings of cash per shi */
    int64_t n;        /**< entries */
    int64_t cap;      /**< allocated */
    uint8_t *closed;  /**< [nr] routes.closed when built */
    int32_t *owner;   /**< [np] places.owner when built */
    uint8_t *at_war;  /**< [nf * nf] wars when built */
    int season;       /**< season when built (routes' seasonal speeds) */
    int64_t *flow;    /**< [cap] scratch: today's trade along each entry */
    int32_t *touched; /**< [np] scratch: places reached by one search */
    int32_t *order;   /**< [np] scratch: places in the order a search settled them */
    double *dist;     /**< [np] scratch: costs of one search */
    int32_t *via;     /**< [np] scratch: route into a place on the cheapest path */
    int32_t *heap;    /**< [np] scratch: the search's heap */
    int32_t *slot;    /**< [np] scratch: a place's position in the heap or entry list */
};

/** @brief The economy's state. Per-place and per-faction arrays are sized by the world. */
struct js_economy {
    /* places (static) */
    double *land_mu;      /**< [np] cultivated land, mu */
    int32_t *region;      /**< [np] crop region (index into the economy parameters' regions) */
    double *yield_factor; /**< [np] local fertility multiplier of the region's yields */
    /* places (mutable) */
    int64_t *granary;         /**< [np] state granary, sheng */
    double *price;            /**< [np] grain price, strings of cash per shi */
    double *devastation;      /**< [np] share of the next harvest lost (armies, foraging) */
    double *shock;            /**< [np] harvest multiplier from scripted shocks (floods) */
    int32_t *shock_until;     /**< [np] last day the shock applies, -1 for none */
    int64_t *harvest_last;    /**< [np] the most recent harvest, sheng */
    int64_t *harvest_untaxed; /**< [np] harvested since the last land tax, sheng */
    uint8_t *famine;          /**< [np] 1 while the poorest cannot buy their ration */
    /* factions */
    double *tax_rate;               /**< [nf] land tax, share of the harvest */
    double *tax_grain_share;        /**< [nf] share of the land tax paid in grain (rest in cash) */
    double *tax_silk_per_person;    /**< [nf] summer tax in silk, bolts a person-year */
    int8_t *tax_month;              /**< [nf * JS_ECON_NTAX_DATES] tax dates, month */
    int8_t *tax_mday;               /**< [nf * JS_ECON_NTAX_DATES] tax dates, day */
    double *commercial_per_person;  /**< [nf] strings a person-year */
    double *monopoly_per_person;    /**< [nf] strings a person-year */
    double *admin_cash_per_person;  /**< [nf] administration, strings a person-year */
    double *admin_grain_per_person; /**< [nf] administration, sheng a person-year */
    double *pay;          /**< [nf * JS_NSOLDIER_CLASSES * JS_NCURRENCIES] per soldier-year */
    int64_t *soldiers;    /**< [nf * JS_NSOLDIER_CLASSES] soldiers paid (mutable) */
    int64_t *treasury;    /**< [nf * JS_NCURRENCIES] (grain slot unused: see granary) */
    int64_t *arrears;     /**< [nf * JS_NCURRENCIES] army pay owed (mutable) */
    int32_t *unpaid_days; /**< [nf] days the army has been owed pay (mutable) */
    int64_t *revenue;     /**< [nf * JS_NREVENUE_KINDS * JS_NCURRENCIES] since the start */
    int64_t *expenditure; /**< [nf * JS_NEXPENDITURE_KINDS * JS_NCURRENCIES] since the start */
    uint8_t *at_war;      /**< [nf * nf] 1 where two factions are at war (symmetric) */
    /* routes */
    int64_t *grain_flow; /**< [nr] grain carried along the route since the start, sheng */
    /* tables */
    struct js_treaties treaties;   /**< yearly tribute */
    struct js_transfers transfers; /**< one-off payments */
    struct js_markets markets;     /**< border markets */
    struct js_shipments shipments; /**< state grain shipments */
    struct js_convoys convoys;     /**< payments and grain in transit */
    /* cache (not state: rebuilt when routes, owners or wars change) */
    struct js_econ_net net; /**< trade network */
};

struct js_world;
struct js_state_array;

/**
 * @brief Allocates the per-place, per-faction and per-route arrays (zeroed; regions 0,
 * shocks 1, prices 0, shock_until -1). Called by js_world_alloc.
 * @param w the world, its places, factions and routes counted
 */
void js_world_economy_alloc(struct js_world *w);

/**
 * @brief Allocates the tables declared in the scenario.
 * @param w the world
 * @param n_treaties treaties
 * @param n_transfers transfers
 * @param n_markets border markets
 * @param n_shipments standing shipments
 * @param n_convoys convoy slots
 */
void js_world_economy_alloc_tables(struct js_world *w, int32_t n_treaties, int32_t n_transfers,
                                   int32_t n_markets, int32_t n_shipments, int32_t n_convoys);

/**
 * @brief Frees the economy's arrays and tables. Called by js_world_free.
 * @param w the world
 */
void js_world_economy_free(struct js_world *w);

/**
 * @brief Adds the economy's stocks to a census: granaries and treasuries (holder factions),
 * convoys' cargo (holder convoys).
 * @param w the world
 * @param out the census
 */
void js_world_economy_census(const struct js_world *w, struct js_census *out);

/**
 * @brief Visits the economy's mutable arrays (for checkpoints). Called by js_world_visit_state.
 * @param w the world
 * @param v the visitor (a js_state_visitor)
 * @param ctx its context
 */
void js_world_economy_visit_state(struct js_world *w,
                                  void (*v)(void *ctx, const struct js_state_array *a), void *ctx);

/**
 * @brief A faction's grain: the granaries of the places it holds, sheng.
 * @param w the world
 * @param faction faction id
 */
int64_t js_world_economy_faction_grain(const struct js_world *w, int32_t faction);

/**
 * @brief Days from @p today to the next of a set of yearly dates (month, day), strictly later.
 * @param cal the calendar
 * @param today the date
 * @param month months of the dates (1..12)
 * @param mday days of the dates (valid in every year: no 29 February)
 * @param n how many dates (0 gives 365)
 */
int32_t js_econ_days_to_next(enum js_calendar cal, struct js_date today, const int8_t *month,
                             const int8_t *mday, int n);

/**
 * @brief The normal stock at this point of the year, in days of consumption: the stock that,
 * with normal harvests (yielding a year's consumption in all, shared among the crops in
 * proportion to their yields) and a ration a day, falls to exactly @p carry days just before
 * the lowest point of the coming year:
 *
 *     D*(today) = carry + max_j ( u_j − 365.25 · Σ_{k: u_k < u_j} yield_k / Σ yield )
 *
 * where u_k is the number of days to crop k's next harvest (strictly after today). With one
 * crop it is the days to the harvest plus the carry-over. Without crops: carry + 365.25.
 * @param cal the calendar
 * @param today the date
 * @param month harvest months
 * @param mday harvest days
 * @param yield yields (any positive scale)
 * @param n crops
 * @param carry carry-over stock, days
 */
double js_econ_normal_days(enum js_calendar cal, struct js_date today, const int8_t *month,
                           const int8_t *mday, const double *yield, int n, double carry);

/**
 * @brief The ledger quantity of a currency.
 * @param c currency
 */
enum js_qty js_currency_qty(enum js_currency c);

/** @brief Name of a currency ("cash", "silver", ...). */
const char *js_currency_name(enum js_currency c);
/** @brief Unit of a currency ("strings", "taels", "bolts", "sheng"). */
const char *js_currency_unit(enum js_currency c);
/** @brief Name of a revenue kind ("land_tax", ...). */
const char *js_revenue_kind_name(enum js_revenue_kind k);
/** @brief Name of an expenditure kind ("army", ...). */
const char *js_expenditure_kind_name(enum js_expenditure_kind k);
/** @brief Name of a treaty state ("in_force", ...). */
const char *js_treaty_state_name(enum js_treaty_state s);

#endif /* JS_WORLD_ECONOMY_H */
