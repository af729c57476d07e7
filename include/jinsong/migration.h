/**
 * @file migration.h
 * @brief Refugees: flight decisions (spawn) and agents moving on the route graph (phase 10).
 *
 * A refugee agent is a household of `persons_per_agent` people (js_agents in
 * world_migration.h). Each day:
 *
 *  1. **spawn** (parallel over places): persons of each class leave a place with a daily
 *     probability that rises with danger (max(conflict, threat) at the place, or at a
 *     neighbour) and with famine (food ratio below a threshold), scaled by the class;
 *     they leave the population (ledger: refugees_flee) as new agents, in place order.
 *  2. **move** (parallel over agents): FLEE's rule set, generalised. An agent at a place
 *     moves with the move chance of the place's type (conflict zone, town, refuge, ...) or
 *     settles with the settle chance; the day of its next move is drawn geometrically, so
 *     that agents sitting in refuges cost a comparison a day. It picks a route among those
 *     within its awareness (1–3 hops, markers not counted) with weight
 *     [(weight_softening + S(j)) / (softening + km)^distance_power × capacity factor]^weight_power
 *     and walks or sails at the arcs' speeds with a hard cap on km per day. Capacity-limited
 *     crossings (ferries) and places are entered through requests resolved in a fixed order
 *     (route or place, then first come, then agent id). Settled and dead agents leave the
 *     pool.
 *
 * Every draw comes from streams keyed on (day, agent id) or (day, place): the result is the
 * same for any number of threads.
 */
#ifndef JS_MIGRATION_H
#define JS_MIGRATION_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/demography.h"
#include "jinsong/world.h"

/** @brief Per-class refugee behaviour. */
struct js_migration_class {
    double flight; /**< multiplier of the flight hazard (elite leave early, farmers late) */
    double settle; /**< multiplier of the settle chance (farmers settle at the first refuge) */
    double court_weight; /**< attractiveness multiplier of routes that lead toward the court */
    double court_move;   /**< daily move chance at least, out of danger, anywhere but the court */
};

/** @brief How refugees appear. */
enum js_mig_spawn_mode {
    JS_MIG_SPAWN_HAZARD = 0, /**< persons flee with a daily hazard from danger and famine */
    JS_MIG_SPAWN_DATA = 1,   /**< the daily number comes from observed counts (FLEE's validation
                                  mode); origins are drawn by population × conflict × decay */
};

/** @brief Most steps of the stepwise conflict decay. */
#define JS_MIG_MAX_DECAY 16

/** @brief Migration parameters (scenario section `migration:`). */
struct js_migration_params {
    int32_t persons_per_agent;           /**< persons in a new agent (a household) */
    double danger_threshold;             /**< danger above which a place is a conflict zone */
    double flight_rate;                  /**< daily flight hazard at danger 1 */
    double famine_flight_rate;           /**< daily flight hazard with no food at all */
    double famine_threshold;             /**< food ratio below which famine pushes people out */
    double neighbour_weight;             /**< share of a neighbour's danger felt at a place */
    double decay_days;                   /**< e-folding days of the flight hazard since the danger
                                              began (0 = none) */
    double move_chance[JS_NMIG_TYPES];   /**< daily move chance at each place type */
    double conflict_move_chance;         /**< daily move chance in a conflict zone */
    double settle_chance[JS_NMIG_TYPES]; /**< daily chance of settling at each place type */
    double type_weight[JS_NMIG_TYPES];   /**< attractiveness by place type (FLEE camp_weight) */
    double conflict_weight;              /**< attractiveness × conflict_weight^danger */
    double safety_weight;                /**< × for routes nearer to the nearest safe refuge */
    int32_t awareness;                   /**< hops of the routes considered (1–3) */
    double softening_km;                 /**< distance softening (FLEE softening) */
    double distance_power;               /**< FLEE distance_power */
    double weight_power;                 /**< FLEE weight_power */
    double weight_softening;             /**< FLEE weight_softening */
    double capacity_buffer;              /**< share of capacity where attraction starts to fall */
    double max_km_per_day;               /**< hard cap on km covered in a day */
    double food_days;                    /**< days of food a household takes when it flees */
    double ration_sheng;                 /**< grain eaten per person per day on the road */
    double road_death_rate;              /**< yearly death hazard on the road, fed */
    double hungry_death_rate;            /**< daily death hazard on the road, without food */
    int32_t spawn_mode;                  /**< enum js_mig_spawn_mode */
    bool take_from_population;           /**< data mode: persons leave their place's population
                                              (else they enter from outside the map, FLEE's
                                              default) */
    bool insert_day0;                    /**< data mode: refuges start with their observed day-0
                                              count, staying */
    int32_t n_decay;                     /**< steps of the stepwise conflict decay (0 = none) */
    double decay[JS_MIG_MAX_DECAY];      /**< its steps: factor for days since the conflict
                                              began / decay_interval */
    int32_t decay_interval;              /**< days per step */
    double capacity_scaling;             /**< places take capacity × this (FLEE) */
    bool avoid_short_stints;             /**< an agent reaching a town after a short day's travel
                                              moves on (FLEE avoid_short_stints) */
    struct js_migration_class cls[JS_NCLASSES]; /**< by class */
    struct js_demography_params demography;     /**< hazards of agents staying at places (a copy) */
};

/** @brief Purposes of migration's random streams. */
enum js_migration_purpose {
    JS_MIG_SPAWN = 1, /**< flight from a place (per place and day) */
    JS_MIG_AGENT = 2, /**< an agent's day: deaths, decisions, route choice (raw blocks) */
    JS_MIG_DATA = 3,  /**< data-driven spawning: the origins of the day's new refugees (world) */
};

/**
 * @brief Flight decisions: persons leave each place as new agents (parallel over places).
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_migration_spawn(struct js_world *w, const struct js_day *d,
                        const struct js_migration_params *p);

/**
 * @brief Moves every agent one day: deaths, settling, route choice, travel, crossings,
 * arrivals; then counts refugees by place and route and drops settled and dead agents.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_migration_move(struct js_world *w, const struct js_day *d,
                       const struct js_migration_params *p);

/**
 * @brief Adds refugees at a place (serial code only): households of persons_per_agent, the
 * last one with the remainder; they must move on their first day. For data-driven spawning
 * (imported FLEE scenarios) and tests.
 * @param w the world
 * @param p parameters
 * @param place where they are
 * @param cls their class (enum js_class)
 * @param persons how many persons
 * @param from_population true: they leave the place's population of that class
 *        (refugees_flee; at most what lives there); false: they enter from outside the map
 *        (refugees_enter)
 * @return the persons added
 */
int64_t js_migration_add(struct js_world *w, const struct js_migration_params *p, int32_t place,
                         int cls, int64_t persons, bool from_population);

/**
 * @brief Changes how refugees treat a place (a scripted `migration_type` event: FLEE's camp
 * closures turn a camp into a town and back). Markers cannot be changed, nor made.
 * @param w the world
 * @param place the place
 * @param type enum js_mig_type (not JS_MIG_MARKER)
 */
void js_migration_set_type(struct js_world *w, int32_t place, int type);

/**
 * @brief The stepwise conflict decay: decay[min(days / interval, n − 1)], 1 without steps.
 * @param p parameters
 * @param days days since the place became a conflict zone
 */
double js_migration_decay(const struct js_migration_params *p, int32_t days);

/**
 * @brief An observed series at day @p t: the first value up to its first point, the last after
 * its last, linear in between, truncated toward zero (as FLEE reads UNHCR counts).
 * @param m the state
 * @param s the series
 * @param t the day
 */
double js_migration_observed_at(const struct js_migration *m, int32_t s, int32_t t);

/**
 * @brief Builds the table of candidate routes of every place (paths within the awareness),
 * if it is not built; called by the phases, exposed for tests and benchmarks.
 * @param w the world
 * @param p parameters
 */
void js_migration_build_routes(struct js_world *w, const struct js_migration_params *p);

/**
 * @brief The raw random block n of an agent's stream on a day, as the agents draw it (inline
 * Philox: the same words as js_rng_block(seed, run, day, JS_RNG_AGENT, id,
 * JS_PURPOSE(MIGRATION, JS_MIG_AGENT), n)).
 * @param w the world (key)
 * @param day the day
 * @param id the agent
 * @param n block number
 * @param out four 32-bit words
 */
void js_migration_agent_block(const struct js_world *w, uint32_t day, uint32_t id, uint32_t n,
                              uint32_t out[4]);

#endif /* JS_MIGRATION_H */
