/**
 * @file sim.h
 * @brief The day loop: the one place that knows the order of the phases.
 *
 * One day runs, in this order (ARCHITECTURE, "The day loop"), the phases of the
 * modules this build has: events_apply → economy_calendar → army_decide → army_move →
 * battle_resolve → siege_step → supply_step → army_attrition → economy_flows →
 * demography_step → migration_spawn → migration_move → ledger_close. Modules that do not exist
 * yet are not in the list.
 */
#ifndef JS_SIM_H
#define JS_SIM_H

/* local headers */
#include "jinsong/army.h"
#include "jinsong/demography.h"
#include "jinsong/economy.h"
#include "jinsong/events.h"
#include "jinsong/siege.h"
#include "jinsong/supply.h"
#include "jinsong/migration.h"
#include "jinsong/world.h"

/** @brief Every module's parameters. */
struct js_model_params {
    struct js_events_params events;         /**< scripted events */
    struct js_demography_params demography; /**< births and deaths */
    struct js_army_params army;             /**< army decisions, movement, attrition */
    struct js_battle_params battle;         /**< battles */
    struct js_siege_params siege;           /**< sieges */
    struct js_supply_params supply;         /**< army supply */
    struct js_economy_params economy;       /**< harvests, prices, treasuries, tribute */
    struct js_migration_params migration;   /**< refugees */
};

/**
 * @brief Simulates one day: runs the phases, closes the ledger, advances the clock.
 * @param w the world
 * @param p parameters
 * @param msg buffer for an internal error (a ledger imbalance)
 * @param msglen its size
 * @return 0, or -1 if the ledger does not balance (the run must stop: a bug)
 */
int js_sim_step(struct js_world *w, const struct js_model_params *p, char *msg, size_t msglen);

/**
 * @brief Frees the parameters' allocations.
 * @param p parameters
 */
void js_model_params_free(struct js_model_params *p);

#endif /* JS_SIM_H */
