/**
 * @file economy_internal.h
 * @brief Inside model/economy: helpers shared by its files (calendar and fiscal accounts in
 * economy.c, daily flows in economy_flows.c, the trade network and shipments in
 * economy_trade.c, convoys, treaties and transfers in economy_transfers.c).
 */
#ifndef JS_ECONOMY_INTERNAL_H
#define JS_ECONOMY_INTERNAL_H

/* system headers */
#include <stdint.h>

/* local headers */
#include "jinsong/economy.h"

/** @brief Sheng in a shi. */
#define ECON_SHENG_PER_SHI 100.0

/** @brief Places below which the parallel loops run on one thread (the same results either
 * way: only the cost of waking threads is saved). */
#define ECON_PARALLEL_MIN 1024

/** @brief Days in a year for yearly rates. */
#define ECON_DAYS_PER_YEAR 365.25

/**
 * @brief Adds to a faction's revenue account.
 * @param e the economy
 * @param f faction
 * @param k kind
 * @param c currency
 * @param x amount, base units
 */
static inline void econ_revenue(struct js_economy *e, int32_t f, enum js_revenue_kind k,
                                enum js_currency c, int64_t x)
{
    e->revenue[((size_t)f * JS_NREVENUE_KINDS + (size_t)k) * JS_NCURRENCIES + (size_t)c] += x;
}

/**
 * @brief Adds to a faction's expenditure account.
 * @param e the economy
 * @param f faction
 * @param k kind
 * @param c currency
 * @param x amount, base units
 */
static inline void econ_expenditure(struct js_economy *e, int32_t f, enum js_expenditure_kind k,
                                    enum js_currency c, int64_t x)
{
    e->expenditure[((size_t)f * JS_NEXPENDITURE_KINDS + (size_t)k) * JS_NCURRENCIES + (size_t)c] +=
        x;
}

/**
 * @brief A faction's treasury slot of a currency.
 * @param e the economy
 * @param f faction
 * @param c currency (not grain)
 */
static inline int64_t *econ_treasury(struct js_economy *e, int32_t f, enum js_currency c)
{
    return &e->treasury[(size_t)f * JS_NCURRENCIES + (size_t)c];
}

/**
 * @brief Takes grain from a faction's granaries, from each in proportion to its stock.
 * @param w the world
 * @param f faction
 * @param want sheng wanted
 * @param to_private ledger flow moving the grain into the same places' private stocks, or
 *        JS_NFLOWS to take it out (the caller books where it goes)
 * @return sheng taken (<= want)
 */
int64_t econ_granary_take(struct js_world *w, int32_t f, int64_t want, enum js_flow to_private);

/**
 * @brief Takes an amount from a faction's stock of a currency (granaries for grain), as much
 * as there is.
 * @param w the world
 * @param f faction
 * @param c currency
 * @param want amount wanted
 * @param flow ledger flow (for grain into private stocks, see econ_granary_take; for other
 *        currencies the flow out of the treasury), or JS_NFLOWS to book nothing
 * @return amount taken
 */
int64_t econ_take(struct js_world *w, int32_t f, enum js_currency c, int64_t want,
                  enum js_flow flow);

/**
 * @brief The place whose granary receives a faction's grain: its capital if it holds it,
 * else the first place it holds, else -1.
 * @param w the world
 * @param f faction
 */
int32_t econ_faction_granary(const struct js_world *w, int32_t f);

/**
 * @brief Starts a convoy (the cargo already booked into JS_H_CONVOYS by the caller). When the
 * pool is full the cargo is delivered at once.
 * @param w the world
 * @param d today
 * @param purpose enum js_convoy_purpose
 * @param source shipment, treaty or transfer index (-1 for none)
 * @param payer faction sending
 * @param receiver faction receiving
 * @param dest place whose granary receives grain, or -1
 * @param transit_days days on the way (0 arrives in today's flows)
 * @param cargo amounts by currency
 */
void econ_convoy_start(struct js_world *w, const struct js_day *d, int purpose, int32_t source,
                       int32_t payer, int32_t receiver, int32_t dest, int32_t transit_days,
                       const int64_t cargo[JS_NCURRENCIES]);

/**
 * @brief Delivers the convoys arriving today.
 * @param w the world
 * @param d today
 */
void econ_convoys_arrive(struct js_world *w, const struct js_day *d);

/**
 * @brief Pays the tribute falling due today and the transfers dated today.
 * @param w the world
 * @param d today
 */
void econ_payments_due(struct js_world *w, const struct js_day *d);

/**
 * @brief Rebuilds the trade network if routes, owners, wars or the season changed since it
 * was built.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void econ_net_update(struct js_world *w, const struct js_day *d, const struct js_economy_params *p);

/**
 * @brief Market trade between places by the gravity model over transport cost.
 * @param w the world
 * @param p parameters
 */
void econ_trade(struct js_world *w, const struct js_economy_params *p);

/**
 * @brief Dispatches the standing state shipments due today.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void econ_shipments(struct js_world *w, const struct js_day *d, const struct js_economy_params *p);

#endif /* JS_ECONOMY_INTERNAL_H */
