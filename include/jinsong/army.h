/**
 * @file army.h
 * @brief Armies: decisions (phase 3, parallel and read-only), movement on the graph with river
 * crossings and contacts (phase 4), the danger armies spread (places.threat), daily attrition,
 * and the scripted orders and levies.
 *
 * Decide: each army chooses a goal for the day from its orders, or from its faction's doctrine
 * (targets in priority, when to bypass a walled city, when to retreat, when to seek battle),
 * reading the world and writing only its own intent. Move: intents applied in army id order;
 * an army marches at the pace of its slowest arm (foot unless every man is mounted), slowed by
 * fatigue and by the length of a very large column and sped by forced marches; river crossings
 * pass at most `capacity_per_day` persons a day, so a large army spends days crossing; it stops
 * where it meets a hostile army, and a crossing whose far end a hostile army holds must be fought
 * for. Attrition: straggling, desertion, disease, starvation, wounds, as binomial draws.
 */
#ifndef JS_ARMY_H
#define JS_ARMY_H

/* system headers */
#include <stdint.h>

/* local headers */
#include "jinsong/battle.h"
#include "jinsong/events.h"
#include "jinsong/world.h"

/** @brief A faction's campaign doctrine (factions.<id>.doctrine). */
struct js_doctrine {
    int32_t ntargets;               /**< targets */
    int32_t *target;                /**< places, in priority order */
    double bypass_walls_above;      /**< a hostile walled place on the way with walls at or above
                                         this is bypassed; weaker ones are besieged a while */
    int32_t siege_patience_days;    /**< days spent before a place on the way, then march on */
    double retreat_morale_below;    /**< fall back to base when morale drops below */
    double retreat_food_days_below; /**< fall back when food left (days) drops below, away from
                                         friendly stores */
    double retreat_odds_below;  /**< fall back when the chance against the enemies near is below */
    double seek_battle_days;    /**< march on hostile armies within this many days when the
                                     odds are good (0 = never) */
    double defend_threat_above; /**< go to a threatened own target when its threat reaches this */
};

/** @brief Army parameters (scenario sections `army:` and `factions.<id>.doctrine`). */
struct js_army_params {
    int32_t n_factions;             /**< factions (doctrines) */
    struct js_doctrine *doctrine;   /**< [n_factions] */
    struct js_battle_params battle; /**< copy of the battle section (commanders reckon with it) */
    double forced_march_factor;     /**< speed multiplier of a forced march */
    double column_free_men;         /**< persons that march without column delay */
    double column_men_per_km;       /**< persons per km of column beyond that */
    double fatigue_forced;          /**< fatigue gained per day of forced march */
    double fatigue_hunger;          /**< fatigue gained per unfed day */
    double fatigue_recovery;        /**< fatigue lost per day otherwise */
    double fatigue_max;             /**< largest fatigue */
    double threat_days;             /**< D in threat = exp(-days / D) */
    double threat_min;              /**< threat below this is 0 (bounds the search) */
    double contact_km;              /**< hostile armies closer than this on a route meet */
    double straggle;                /**< daily straggling hazard on the march */
    double straggle_forced;         /**< extra on a forced march */
    double desertion;               /**< base daily desertion hazard */
    double desertion_hunger;        /**< x (1 + this x unfed share) */
    double desertion_unpaid;        /**< x (1 + this) while unpaid_days > 0 */
    double desertion_morale;        /**< x (1 + this x (1 - morale)) */
    double disease;                 /**< base daily disease death hazard */
    double disease_season[JS_NSEASONS]; /**< seasonal multipliers */
    double disease_crowd_men;           /**< crowding reference (persons) */
    double disease_crowd_exp;           /**< x (persons / reference)^exp */
    double disease_camp;                /**< x this while stationary away from friendly places */
    double home_factor;                 /**< x disease and desertion at a place its faction holds */
    double starvation_max;              /**< daily death hazard at the end of the reserve */
    double starvation_reserve;          /**< nutrition reserve, ration-days */
    double starvation_exp;              /**< hazard = max x (hunger / reserve)^exp */
    double hunger_recovery;             /**< hunger lost per fully fed day */
    double wound_recovery;              /**< daily share of the wounded who recover */
    double wound_death;                 /**< daily death hazard of the wounded */
    double horse_death_unfed;           /**< daily death hazard of a horse without grain when due */
    double morale_recovery;             /**< morale regained per fed day */
    double morale_hunger;               /**< morale lost per unfed day */
    double disband_below;               /**< an army with fewer fighting men disbands */
    int32_t rout_days;                  /**< days a routed army falls back and will not fight */
};

/** @brief Purposes of the army module's random streams. Add, never renumber. */
enum js_army_purpose {
    JS_ARMY_P_ESTIMATE = 1,  /**< a commander's estimate of the enemy */
    JS_ARMY_P_ATTRITION = 2, /**< straggling, desertion, disease, starvation, wounds */
    JS_ARMY_P_HORSES = 3,    /**< horses dying unfed */
};

/**
 * @brief Phase 3: every army chooses its goal for the day (parallel, read-only but for its own
 * intent fields). Trees needed are filled first, serially.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_army_decide(struct js_world *w, const struct js_day *d, const struct js_army_params *p);

/**
 * @brief Phase 4: intents applied in army id order (marches, crossings), contacts detected,
 * and places.threat recomputed from the armies' new positions.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_army_move(struct js_world *w, const struct js_day *d, const struct js_army_params *p);

/**
 * @brief Daily attrition after supply (parallel over armies; deserters sent home and spent
 * armies disbanded in id order).
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_army_attrition(struct js_world *w, const struct js_day *d, const struct js_army_params *p);

/**
 * @brief Applies a scripted order (`do: order`). Serial (events phase).
 * @param w the world
 * @param d today
 * @param e the event (army, target place, value[0] = order, value[1] = forced, value[2] =
 * escorted army)
 * @param row its /events row (filled)
 */
void js_army_order(struct js_world *w, const struct js_day *d, const struct js_script_event *e,
                   struct js_event_row *row);

/**
 * @brief Raises a scripted army (`do: raise_army`) in its preassigned slot, from the people of
 * a place. Serial (events phase).
 * @param w the world
 * @param d today
 * @param e the event (army slot, place, faction, value[0] = men, value[1] = arm, value[2] =
 * food per man, sheng, value[3] = ration per man per day, sheng)
 * @param row its /events row (filled)
 */
void js_army_raise(struct js_world *w, const struct js_day *d, const struct js_script_event *e,
                   struct js_event_row *row);

/**
 * @brief The mover kind of an army: foot unless every man is mounted and has a horse.
 * @param a the armies
 * @param i army
 */
enum js_mover js_army_mover(const struct js_armies *a, int32_t i);

/**
 * @brief The army's position as a place: where it is, or the nearer end of its route.
 * @param w the world
 * @param i army
 */
int32_t js_army_anchor(const struct js_world *w, int32_t i);

/**
 * @brief Frees the doctrines.
 * @param p parameters
 */
void js_army_params_free(struct js_army_params *p);

#endif /* JS_ARMY_H */
