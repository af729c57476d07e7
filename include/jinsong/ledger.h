/**
 * @file ledger.h
 * @brief The ledger of conserved quantities (ARCHITECTURE rule 4).
 *
 * Stocks and flows are int64 in base units: persons, sheng of grain, taels of silver
 * and gold, bolts of silk, strings of cash, head of horses and cattle. Every change
 * of a stock goes through a named flow from one holder (places, armies, refugees,
 * factions, ...) to another, or from/to OUTSIDE (created or destroyed). Each day the
 * ledger moves its expected stocks by the day's flows and compares them with a census
 * of the world's own arrays: the balance is exact or the run stops.
 */
#ifndef JS_LEDGER_H
#define JS_LEDGER_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/** @brief Conserved quantities. Add, never renumber. */
enum js_qty {
    JS_Q_PERSONS = 0, /**< persons (soldiers are persons with a status) */
    JS_Q_GRAIN,       /**< sheng of husked grain (1 shi = 100 sheng) */
    JS_Q_SILVER,      /**< taels of silver */
    JS_Q_GOLD,        /**< taels of gold */
    JS_Q_SILK,        /**< bolts of silk */
    JS_Q_CASH,        /**< strings of cash */
    JS_Q_HORSES,      /**< head of horses */
    JS_Q_CATTLE,      /**< head of cattle */
    JS_NQTY
};

/** @brief Holders of stocks. OUTSIDE is the source and sink. Add, never renumber. */
enum js_holder {
    JS_H_OUTSIDE = 0, /**< created or destroyed */
    JS_H_PLACES,      /**< the population and stores of places */
    JS_H_ARMIES,      /**< armies (men, horses, carried food, baggage) */
    JS_H_REFUGEES,    /**< refugee agents on the road */
    JS_H_FACTIONS,    /**< faction treasuries */
    JS_H_SIEGES,      /**< besieged cities' shut-in stocks */
    JS_H_CONVOYS,     /**< goods and captives in transit */
    JS_NHOLDERS
};

/** @brief Flow ids, from ledger_flows.h. */
enum js_flow {
#define JS_FLOW(id, q, from, to, name, long_name) JS_FLOW_##id,
#include "jinsong/ledger_flows.h"
#undef JS_FLOW
    JS_NFLOWS
};

/** @brief What a flow moves, from where to where. */
struct js_flow_def {
    enum js_qty qty;       /**< quantity */
    enum js_holder from;   /**< holder it leaves */
    enum js_holder to;     /**< holder it enters */
    const char *name;      /**< label */
    const char *long_name; /**< description */
};

/** @brief The ledger: today's flows, flows since the last output row, expected stocks. */
struct js_ledger {
    int64_t day[JS_NFLOWS];                /**< flows of the current day */
    int64_t interval[JS_NFLOWS];           /**< flows since the last output row */
    int64_t total[JS_NFLOWS];              /**< flows since the start */
    int64_t stock[JS_NQTY][JS_NHOLDERS];   /**< expected stocks */
    int64_t initial[JS_NQTY][JS_NHOLDERS]; /**< stocks at the start */
};

/** @brief A census: stocks counted from the world's own arrays, by quantity and holder. */
struct js_census {
    int64_t s[JS_NQTY][JS_NHOLDERS]; /**< stocks */
};

/**
 * @brief The definition of a flow.
 * @param f flow id
 */
const struct js_flow_def *js_ledger_flow_def(enum js_flow f);

/**
 * @brief Name of a quantity ("persons", "grain", ...).
 * @param q quantity
 */
const char *js_ledger_qty_name(enum js_qty q);

/**
 * @brief Unit of a quantity ("persons", "sheng", "taels", ...).
 * @param q quantity
 */
const char *js_ledger_qty_unit(enum js_qty q);

/**
 * @brief Name of a holder ("places", ...).
 * @param h holder
 */
const char *js_ledger_holder_name(enum js_holder h);

/**
 * @brief Starts the ledger from the world's initial census.
 * @param l the ledger
 * @param census initial stocks
 */
void js_ledger_init(struct js_ledger *l, const struct js_census *census);

/**
 * @brief Records @p amount (>= 0) of flow @p f today. Safe in parallel loops (atomic).
 * @param l the ledger
 * @param f flow
 * @param amount base units, non-negative
 */
static inline void js_ledger_add(struct js_ledger *l, enum js_flow f, int64_t amount)
{
#pragma omp atomic
    l->day[f] += amount;
}

/**
 * @brief Closes the day: moves the expected stocks by today's flows, compares them
 * with @p census, and adds today's flows to the interval and total sums.
 * @param l the ledger
 * @param census stocks counted from the world
 * @param msg buffer for the first imbalance found (may be NULL)
 * @param msglen its size
 * @return 0 when every stock balances exactly, -1 otherwise
 */
int js_ledger_close(struct js_ledger *l, const struct js_census *census, char *msg, size_t msglen);

/**
 * @brief Zeroes the interval sums (after an output row has taken them).
 * @param l the ledger
 */
void js_ledger_interval_reset(struct js_ledger *l);

/**
 * @brief Number of flows of a quantity, and their ids in list order.
 * @param q quantity
 * @param ids array of at least JS_NFLOWS, or NULL
 * @return number of flows of @p q
 */
int js_ledger_flows_of(enum js_qty q, enum js_flow *ids);

#endif /* JS_LEDGER_H */
