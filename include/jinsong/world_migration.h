/**
 * @file world_migration.h
 * @brief State of the people modules: the pool of refugee agents (structure-of-arrays, at
 * most 32 bytes per agent), the refugee and death counters of places and routes, the
 * origin → destination flow matrix, the sample of agent tracks, and the derived tables the
 * migration phases rebuild (not state).
 *
 * The pool is compacted: active agents occupy slots 0 … n−1; an agent's identity (the key of
 * its random streams) is its `id`, given in order of spawning, never its slot. Settled and dead
 * agents leave the pool, so that they cost nothing. The pool grows outside the hot loops.
 */
#ifndef JS_WORLD_MIGRATION_H
#define JS_WORLD_MIGRATION_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/* local headers */
#include "jinsong/ledger.h"

/** @brief What a refugee agent is doing (low 3 bits of js_agents.state). Add, never renumber. */
enum js_agent_state {
    JS_AGENT_ROAD = 0,   /**< travelling on an arc (pos < 0) */
    JS_AGENT_STAY = 1,   /**< at a place that took it in (counts against its room) */
    JS_AGENT_TURNED = 2, /**< at a place it cannot stay in (turned away, or just fled): moves on */
    JS_AGENT_QUEUE = 3,  /**< waiting at a crossing whose daily capacity is used up */
    JS_AGENT_ARRIVING = 4, /**< reached a place with limited room today; resolved at day's end */
    JS_AGENT_SETTLED = 5,  /**< rejoined a place's population (leaves the pool) */
    JS_AGENT_DEAD = 6,     /**< every person died (leaves the pool) */
    JS_NAGENT_STATES
};

/** @brief Bits of js_agents.state: the state, the arcs of the planned route not yet entered,
 * tracked. */
#define JS_AGENT_STATE_MASK 0x07u
#define JS_AGENT_REM_SHIFT 3
#define JS_AGENT_REM_MASK 0x78u
#define JS_AGENT_TRACKED 0x80u

/** @brief Most arcs in a planned route (markers do not use up awareness, so a route may be
 * longer than the awareness level). */
#define JS_MIG_MAX_ARCS 8

/** @brief Causes of death. Add, never renumber. */
enum js_death_cause {
    JS_DEATH_BASELINE = 0, /**< ordinary mortality */
    JS_DEATH_FAMINE,       /**< hunger: food per head below normal */
    JS_DEATH_EPIDEMIC,     /**< disease in crowded places */
    JS_DEATH_VIOLENCE,     /**< war: danger at the place */
    JS_NCAUSES
};

/** @brief How refugees treat a place (FLEE's location types in our words). Add, never renumber. */
enum js_mig_type {
    JS_MIG_TOWN = 0,   /**< an ordinary place (FLEE town; a conflict zone while in danger) */
    JS_MIG_REFUGE,     /**< a refuge where refugees stop and settle (FLEE camp) */
    JS_MIG_IDP_REFUGE, /**< a refuge people leave more readily (FLEE idpcamp) */
    JS_MIG_HUB,        /**< a forwarding point everyone leaves (FLEE forwarding_hub) */
    JS_MIG_MARKER,     /**< a point that shapes routes and is never a destination (FLEE marker) */
    JS_NMIG_TYPES
};

/**
 * @brief The refugee agents, compacted into slots 0 … n−1 (32 bytes per agent).
 * `pos` is a place id (≥ 0) or −(arc + 1) while the agent is on a directed arc.
 */
struct js_agents {
    int64_t n;        /**< active agents */
    int64_t cap;      /**< allocated slots */
    uint32_t *id;     /**< identity: order of spawning (the key of its random streams) */
    int32_t *pos;     /**< place, or −(arc + 1) on an arc */
    float *km;        /**< km travelled on the current arc */
    int32_t *origin;  /**< place it fled from */
    int32_t *plan;    /**< entry of the route table being followed, or −1 */
    int32_t *wake;    /**< staying: day of its next move or settlement (−1 = draw it);
                           queueing: day it joined the queue */
    uint16_t *food;   /**< grain carried, sheng */
    uint16_t *days;   /**< days since it fled (saturates at 65535) */
    uint8_t *persons; /**< persons in the agent (a household) */
    uint8_t *cls;     /**< enum js_class */
    uint8_t *state;   /**< enum js_agent_state | arcs of the plan not yet entered << 3 |
                           JS_AGENT_TRACKED */
    uint8_t *recent;  /**< recent travel: average of the day's km / max_km_per_day, halved each
                           day (FLEE's recent_travel_distance), in 1/255; kept only with
                           avoid_short_stints */
};

/** @brief Bytes of one agent in the pool. */
#define JS_AGENT_BYTES                                                                             \
    (sizeof(uint32_t) + sizeof(int32_t) + sizeof(float) + 3 * sizeof(int32_t) +                    \
     2 * sizeof(uint16_t) + 4 * sizeof(uint8_t))

/**
 * @brief Tables the migration phases derive from the graph and today's state (rebuilt, never
 * saved in checkpoints). Allocated by the model, freed by js_world_migration_free.
 */
struct js_migration_cache {
    int built;         /**< the route table exists */
    int32_t prepared;  /**< day + 1 of the last daily preparation (0 = none) */
    int32_t *rt_start; /**< [n_places+1] candidate routes of each place (CSR) */
    int32_t *rt_arcs;  /**< arcs of the routes */
    void *rts;         /**< [n_rt+1] routes: first arc, length, destination (model's type) */
    int64_t n_rt;      /**< routes in the table */
    double *rt_km;     /**< [n_rt] length */
    double *rt_inv;    /**< [n_rt] 1 / (softening + km)^distance_power */
    float *cdf;        /**< [n_rt * JS_NCLASSES] cumulative route weights, per place and class */
    double *score;     /**< [n_places * JS_NCLASSES] attractiveness of each place */
    double *danger;    /**< [n_places] max(conflict, threat) */
    double *safe_days; /**< [n_places] walking days to the nearest refuge out of danger */
    void *today;       /**< [n_places] each place's status today (model's type) */
    uint8_t *quiet;    /**< [n_places] nothing changed there today, nobody dies there */
    void *arcs;        /**< [n_arcs] arcs as the agents see them today (model's type) */
    const double **court_days; /**< [n_factions] travel days to each faction's capital */
    int32_t n_courts;          /**< factions */
    int64_t *room_left;        /**< [n_routes] persons that may still cross today */
    int64_t *spawn;            /**< [n_places * JS_NCLASSES] persons fleeing today */
    int64_t *spawn_at;         /**< [n_places * JS_NCLASSES + 1] first new slot of each */
    int nthreads;              /**< threads the per-thread buffers are sized for */
    int64_t *counts;           /**< [nthreads * (2 n_places + 2 n_routes)] per-thread counts */
    void **reqs;               /**< [2 * nthreads] per-thread request buffers (model's type) */
    int64_t *req_n;            /**< [2 * nthreads] requests in each */
    int64_t *req_cap;          /**< [2 * nthreads] capacity of each */
    void *merged;              /**< merged requests */
    void *merged2;             /**< room to sort them */
    int64_t merged_cap;        /**< its capacity */
};

/** @brief The people modules' state: agents, per-place and per-route counters, flows, tracks. */
struct js_migration {
    struct js_agents agents; /**< the pool */
    uint32_t next_id;        /**< agents ever created (the next id) */
    int32_t n_places;        /**< places (sizes of the per-place arrays) */
    int32_t n_routes;        /**< routes */
    int32_t n_arcs;          /**< arcs */
    /* per place: configuration (static but for the type, which events change) */
    uint8_t *type;       /**< enum js_mig_type */
    int64_t *capacity;   /**< refugees (persons) the place can take in; 0 = no limit */
    double *attract;     /**< attractiveness multiplier */
    int64_t *normal_pop; /**< persons the place holds without crowding: residents at the
                              start + its refugee capacity */
    /* per place: state */
    int64_t *present;    /**< persons of agents at the place (any state), end of the day */
    int64_t *staying;    /**< persons of agents the place took in (count against capacity) */
    int64_t *settled;    /**< refugees who settled here since the start */
    int64_t *left;       /**< persons who fled from here since the start */
    int64_t *deaths;     /**< [n_places * JS_NCAUSES] residents' deaths by cause since the start */
    uint8_t *in_danger;  /**< 1 while danger is above the threshold (a conflict zone) */
    int32_t *status_day; /**< day the place's move and settle chances last changed */
    int32_t *conflict_day; /**< day the place last became a conflict zone (−1: never) */
    /* per route: state at the end of the day */
    int64_t *route_travelling; /**< persons on the route (both directions) */
    int64_t *route_queued;     /**< persons waiting to cross it */
    /* observed series (static): counts of refugees at places, for data-driven spawning */
    int32_t n_obs;         /**< series */
    int32_t *obs_place;    /**< [n_obs] place of each, −1 for the observed total */
    int32_t *obs_start;    /**< [n_obs + 1] first point of each */
    int32_t *obs_day;      /**< days from the start (may be negative) */
    double *obs_value;     /**< counts, persons */
    int64_t spawn_debt;    /**< data spawning: decreases of the observed count not yet paid back */
    int64_t spawn_pending; /**< data spawning: persons due with no conflict zone to come from */
    /* origin → destination matrix of settlers by calendar year (NULL when off) */
    int32_t year0;   /**< first calendar year */
    int32_t n_years; /**< years */
    int64_t *flow;   /**< [n_years * n_places * n_places] persons settled, by origin, destination */
    /* a sample of agent tracks: agents whose id is a multiple of track_every */
    int32_t track_every;             /**< 0 = no tracks */
    int32_t n_tracks;                /**< tracks kept (ids 0, k, 2k, ...) */
    int32_t *track_place;            /**< place, or −1 on a route */
    int32_t *track_route;            /**< route, or −1 at a place */
    float *track_km;                 /**< km from the route's `from` end */
    int32_t *track_persons;          /**< persons left in the agent */
    int32_t *track_origin;           /**< place it fled from, −1 before it exists */
    int8_t *track_state;             /**< enum js_agent_state, −1 before it exists */
    struct js_migration_cache cache; /**< derived tables (not state) */
};

/**
 * @brief Allocates the per-place and per-route arrays (places of kind refuge by default
 * none: the reader sets types and capacities) and an empty pool.
 * @param m the state (zeroed by the caller)
 * @param n_places places
 * @param n_routes routes
 */
void js_world_migration_alloc(struct js_migration *m, int32_t n_places, int32_t n_routes);

/**
 * @brief Allocates the observed series (points filled by the reader).
 * @param m the state
 * @param n_series series
 * @param n_points points of all of them
 */
void js_world_migration_alloc_observed(struct js_migration *m, int32_t n_series, int32_t n_points);

/**
 * @brief Allocates the origin → destination matrix for the years a run spans.
 * @param m the state
 * @param year0 first calendar year
 * @param n_years years
 */
void js_world_migration_alloc_flow(struct js_migration *m, int32_t year0, int32_t n_years);

/**
 * @brief Allocates the track sample.
 * @param m the state
 * @param every track agents whose id is a multiple of this (> 0)
 * @param n tracks
 */
void js_world_migration_alloc_tracks(struct js_migration *m, int32_t every, int32_t n);

/**
 * @brief Makes room for at least @p need agents (outside parallel regions).
 * @param a the pool
 * @param need slots needed
 */
void js_agents_reserve(struct js_agents *a, int64_t need);

/**
 * @brief Frees the state and the derived tables.
 * @param m the state
 */
void js_world_migration_free(struct js_migration *m);

struct js_state_array;
struct js_world;

/**
 * @brief Completes the state once places are filled: each place's normal population
 * (residents at the start + its refugee capacity). Called by js_world_finish.
 * @param w the world
 */
void js_world_migration_finish(struct js_world *w);

/**
 * @brief Visits the mutable arrays of the state (for checkpoints), after the core's.
 * @param m the state
 * @param v the visitor (js_state_visitor of world.h)
 * @param ctx its context
 */
void js_world_migration_visit(struct js_migration *m,
                              void (*v)(void *ctx, const struct js_state_array *a), void *ctx);

/**
 * @brief Adds the persons and the grain the agents carry to a census (holder refugees).
 * @param m the state
 * @param out the census
 */
void js_world_migration_census(const struct js_migration *m, struct js_census *out);

/** @brief Name of a place type for refugees ("town", "refuge", ...). */
const char *js_mig_type_name(enum js_mig_type t);
/** @brief Name of a cause of death ("baseline", ...). */
const char *js_death_cause_name(enum js_death_cause c);
/** @brief Name of an agent state ("road", ...). */
const char *js_agent_state_name(enum js_agent_state s);

#endif /* JS_WORLD_MIGRATION_H */
