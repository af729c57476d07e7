/**
 * @file world_army.h
 * @brief The armies table of the world (structure of arrays), with its census and the
 * per-day scratch arrays of the army, battle and supply phases.
 *
 * An army is a formation: owner faction, commander (skill, aggression, loyalty), a position
 * (a place, or an arc of a route with the km travelled along it), cohorts by arm with fit and
 * wounded men, horses, carried food and fodder (sheng), morale, fatigue, hunger, days in the
 * field and its orders. Slots are preallocated at start-up: the declared armies, then one slot
 * per scripted `raise_army` event (inactive until raised). Nothing here allocates in the day loop.
 */
#ifndef JS_WORLD_ARMY_H
#define JS_WORLD_ARMY_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/ledger.h"
#include "jinsong/reach.h"

/** @brief Arms of service. The fighting arms come first. Add, never renumber. */
enum js_arm {
    JS_ARM_HEAVY_CAVALRY = 0, /**< armoured lancers (Jurchen "iron pagodas") */
    JS_ARM_HORSE_ARCHERS,     /**< light cavalry, mounted archers */
    JS_ARM_CROSSBOWMEN,       /**< crossbow infantry (the Song counter to cavalry) */
    JS_ARM_SPEARMEN,          /**< spear and halberd infantry */
    JS_ARM_LEVIES,            /**< militia and auxiliaries, poorly armed */
    JS_ARM_ENGINEERS,         /**< sappers, engine crews */
    JS_ARM_PORTERS,           /**< carriers of the baggage (do not fight) */
    JS_NARMS
};

/** @brief Number of fighting arms (every arm before the porters). */
#define JS_NFIGHT JS_ARM_PORTERS

/** @brief What an army is doing. Add, never renumber (the output keeps these values). */
enum js_army_state {
    JS_ARMY_HOLDING = 0, /**< stationary at a place */
    JS_ARMY_MARCHING,    /**< on the move */
    JS_ARMY_CROSSING,    /**< queued at a river crossing, its men going over */
    JS_ARMY_BESIEGING,   /**< stationary before a hostile place */
    JS_ARMY_RETREATING,  /**< falling back (refused battle, starving, outmatched) */
    JS_ARMY_ROUTED,      /**< beaten: falling back in disorder, will not fight */
    JS_ARMY_GONE,        /**< disbanded or destroyed, or not raised yet (inactive) */
    JS_NARMY_STATES
};

/** @brief Orders from the scenario. Add, never renumber. */
enum js_order {
    JS_ORDER_NONE = 0,   /**< none: the faction's doctrine decides */
    JS_ORDER_MARCH_TO,   /**< march to a place, then await orders */
    JS_ORDER_BESIEGE,    /**< march to a place and invest it */
    JS_ORDER_HOLD,       /**< stay at (or go to and stay at) a place */
    JS_ORDER_RAID,       /**< march to a place, then return to base */
    JS_ORDER_ESCORT,     /**< follow another army */
    JS_ORDER_RETREAT_TO, /**< fall back to a place, avoiding battle */
    JS_NORDERS
};

/** @brief Why an army heads where it does (the decide phase's intent). Add, never renumber. */
enum js_army_goal {
    JS_GOAL_STAY = 0, /**< no goal: hold where it is (finish the stage if on a route) */
    JS_GOAL_MARCH,    /**< march (orders, doctrine targets, seeking battle) */
    JS_GOAL_RETREAT,  /**< fall back */
    JS_GOAL_BESIEGE,  /**< invest a hostile place */
    JS_GOAL_HOLD,     /**< go to a place and hold it */
};

/** @brief The armies (one slot per army, declared or to be raised). */
struct js_armies {
    int32_t n;          /**< slots (declared + raised by events) */
    int32_t n_declared; /**< declared in the scenario (slots 0 .. n_declared-1) */
    /* identity (static) */
    char **id;   /**< config id (a raised army takes its event's id) */
    char **name; /**< display name */
    /* state */
    uint8_t *active;       /**< 1 while the army exists */
    int32_t *owner;        /**< faction */
    int32_t *base;         /**< home place: supplies, porters and deserters go back there */
    double *skill;         /**< commander's skill 0..1 */
    double *aggression;    /**< commander's aggression 0..1 */
    double *loyalty;       /**< commander's loyalty 0..1 (low: his men desert more) */
    int64_t *fit;          /**< [n * JS_NARMS] fit men by arm */
    int64_t *wounded;      /**< [n * JS_NARMS] wounded men by arm */
    int64_t *horses;       /**< head of horses */
    int64_t *food;         /**< carried food, sheng of husked grain */
    int64_t *fodder;       /**< carried horse grain, sheng */
    double *morale;        /**< 0..1 */
    double *fatigue;       /**< 0..fatigue_max; speed x (1 - fatigue) */
    double *hunger;        /**< unfed ration-days accumulated (nutrition deficit), days */
    int32_t *days_field;   /**< days since it set out (0 while at its base) */
    int32_t *unpaid_days;  /**< days of unpaid service (0 unless the economy sets it) */
    int32_t *place;        /**< place, or -1 while on a route */
    int32_t *arc;          /**< arc of the graph (route 2r or 2r+1), or -1 at a place */
    double *km;            /**< km travelled along the arc */
    uint8_t *state;        /**< enum js_army_state */
    int32_t *state_days;   /**< days in the current state */
    uint8_t *order;        /**< enum js_order */
    int32_t *order_place;  /**< order's place, or -1 */
    int32_t *order_army;   /**< escort: the army followed, or -1 */
    uint8_t *order_forced; /**< 1: the order is to be carried out by forced marches */
    int64_t *crossed;      /**< persons already over the crossing the army is queued at */
    int64_t *strength0;    /**< fighting men when declared or raised (for reports) */
    double *food_days;     /**< days its food lasts at today's rations (set by supply) */
    /* intents (written by the parallel decide phase, read by the move phase) */
    int32_t *goal;        /**< place the army heads for today, or -1 to stay */
    uint8_t *goal_forced; /**< 1: forced march today */
    uint8_t *goal_kind;   /**< why it heads there (enum js_army_goal) */
    /* per-day scratch (not state: rebuilt every day) */
    int32_t *contact_place; /**< place of a battle contact today, or -1 */
    int32_t *contact_route; /**< route of a battle contact today, or -1 */
    double *entry_pos;      /**< route position (km from `from`) where it started on its route */
    double *lat;            /**< position, degrees north (interpolated on routes) */
    double *lon;            /**< position, degrees east */
    double *coslat;         /**< cosine of its latitude */
    double *speed;          /**< its road speed today, km/day */
    uint8_t *mover;         /**< its mover today (enum js_mover) */
    uint8_t *moved;         /**< 1 if it moved today */
    uint8_t *fought;        /**< 1 if it fought (or escaped a battle) today */
    uint8_t *assault;       /**< 1 if it was stopped at a crossing whose far end an enemy holds */
    int32_t *scratch;       /**< [n] scratch of the battle phase */
    double *fed;            /**< share of today's ration the men got */
    double *horses_fed;     /**< share of today's horse grain the horses got */
    int64_t *deserted;      /**< deserters today (sent home by the serial pass) */
    int32_t *next;          /**< linked lists of armies by place or route */
    /* per-place and per-route scratch */
    int32_t n_places;       /**< places (size of the per-place arrays) */
    int32_t n_routes;       /**< routes */
    int32_t *presence;      /**< [n_places] faction of the armies at a place at dawn, -1 none,
                                 -2 several factions */
    int32_t *head_place;    /**< [n_places] first army at a place (list through next) */
    int32_t *head_route;    /**< [n_routes] first army on a route */
    int64_t *crossing_used; /**< [n_routes] persons over each crossing today */
    struct js_reach reach;  /**< scratch of the threat computation */
    int32_t *reach_src;     /**< [2 * n] its sources */
    double *reach_src_days; /**< [2 * n] days to them */
    uint8_t *place_terrain; /**< [n_places] terrain of battles at a place (its routes' most
                                 common terrain) */
};

/**
 * @brief Allocates the table (every army inactive, ids and names NULL).
 * @param a the table (zeroed)
 * @param n slots
 * @param n_declared declared armies
 * @param n_places places
 * @param n_routes routes
 */
void js_armies_alloc(struct js_armies *a, int32_t n, int32_t n_declared, int32_t n_places,
                     int32_t n_routes);

/**
 * @brief Frees the table.
 * @param a the table
 */
void js_armies_free(struct js_armies *a);

/**
 * @brief Adds the armies' persons, grain (food and fodder) and horses to a census.
 * @param a the table
 * @param out the census
 */
void js_armies_census(const struct js_armies *a, struct js_census *out);

struct js_routes;

/**
 * @brief Sets the terrain of battles at each place: the most common terrain of its routes
 * (ties: the lower terrain number; a place without routes: plain). Call once the routes are read.
 * @param a the table
 * @param routes the routes
 */
void js_armies_init_terrain(struct js_armies *a, const struct js_routes *routes);

/** @brief The visitor type of world.h (repeated so that this header stands alone). */
struct js_state_array;

/**
 * @brief Visits every mutable array of the table (for checkpoints).
 * @param a the table
 * @param v visitor
 * @param ctx its context
 */
void js_armies_visit_state(struct js_armies *a,
                           void (*v)(void *ctx, const struct js_state_array *arr), void *ctx);

/**
 * @brief Persons in an army (fit and wounded of every arm, porters included).
 * @param a the table
 * @param i army
 */
int64_t js_army_persons(const struct js_armies *a, int32_t i);

/**
 * @brief Fighting strength: fit men of the fighting arms (porters and wounded excluded).
 * @param a the table
 * @param i army
 */
int64_t js_army_strength(const struct js_armies *a, int32_t i);

/**
 * @brief Mounted men (fit and wounded heavy cavalry and horse archers).
 * @param a the table
 * @param i army
 */
int64_t js_army_mounted(const struct js_armies *a, int32_t i);

/** @brief True for the mounted arms. */
static inline bool js_arm_mounted(int arm)
{
    return arm == JS_ARM_HEAVY_CAVALRY || arm == JS_ARM_HORSE_ARCHERS;
}

/** @brief Name of an arm ("heavy_cavalry", ...). */
const char *js_arm_name(int arm);
/** @brief Name of an army state ("holding", ...). */
const char *js_army_state_name(int s);
/** @brief Name of an order ("march_to", ...). */
const char *js_order_name(int o);

#endif /* JS_WORLD_ARMY_H */
