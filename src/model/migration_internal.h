/**
 * @file migration_internal.h
 * @brief Inside model/migration: the daily preparation (place status, route weights) shared by
 * the spawn and move phases, the request record, and the agent's random draws.
 */
#ifndef JS_MIGRATION_INTERNAL_H
#define JS_MIGRATION_INTERNAL_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* Random123 */
#include <Random123/philox.h>

/* local headers */
#include "jinsong/migration.h"
#include "jinsong/rng.h"

/** @brief Days per year used to turn yearly rates into daily hazards. */
#define MIG_DAYS_PER_YEAR 365.25

/** @brief First block number of the draws an agent makes after crossing a ferry the same day. */
#define MIG_BLOCK_CONTINUE 0x10000u

/** @brief Request kinds (per-thread buffers). */
enum mig_req_kind { MIG_REQ_CROSS = 0, MIG_REQ_ARRIVE = 1 };

/** @brief A request to enter a capacity-limited route (a ferry) or place. */
struct mig_req {
    int64_t slot;    /**< agent slot */
    double t_left;   /**< days of travel left today when it asked */
    double km_left;  /**< km it may still cover today */
    int32_t target;  /**< route (crossings) or place (arrivals) */
    int32_t day;     /**< day it started waiting (queue order) */
    uint32_t id;     /**< agent id (last tie-break) */
    int32_t persons; /**< persons in the agent */
};

/** @brief An arc as the agents see it today (16 bytes; its start is the end of arc ^ 1). */
struct mig_arc {
    int32_t to;  /**< end place */
    uint32_t rl; /**< route id | 1 << 31 if the route has a daily capacity (a ferry) */
    float km;    /**< length */
    float speed; /**< km/day of a walker today (0 = closed or impassable) */
};

/** @brief The route of an arc. */
static inline int32_t mig_arc_route(const struct mig_arc *a)
{
    return (int32_t)(a->rl & 0x7fffffffu);
}

/** @brief Whether an arc's route has a daily capacity. */
static inline int mig_arc_limited(const struct mig_arc *a)
{
    return (int)(a->rl >> 31);
}

/** @brief A candidate route of the table. */
struct mig_rt {
    int32_t arc0;  /**< its first arc's index in rt_arcs */
    int32_t first; /**< its first arc */
    int32_t len;   /**< arcs */
    int32_t dest;  /**< the place it leads to */
};

/** @brief A place as the agents see it today (one cache line). */
struct mig_place {
    int32_t rt0;                    /**< its first candidate route */
    int32_t nrt;                    /**< candidate routes */
    int32_t status_day;             /**< day its move and settle chances last changed */
    uint16_t limited;               /**< 1 if it has a refugee capacity (arrivals ask) */
    uint16_t town;                  /**< 1 if a town out of danger (FLEE's short stints) */
    double pdeath;                  /**< daily death probability of a person there */
    float capm;                     /**< capacity multiplier of route weights */
    float unused;                   /**< padding */
    float event_p[JS_NCLASSES];     /**< daily chance of moving or settling, by class */
    float settle_frac[JS_NCLASSES]; /**< share of those events that settle, by class */
};

/** @brief Everything the agents read on a day (read-only inside the parallel loops). */
struct mig_day {
    struct js_world *w;                  /**< the world */
    const struct js_migration_params *p; /**< parameters */
    const struct mig_arc *arcs;          /**< arcs */
    const struct mig_place *places;      /**< places */
    const struct mig_rt *rts;            /**< candidate routes */
    const int32_t *rt_arcs;              /**< their arcs */
    const float *cdf;                    /**< their cumulative weights */
    uint32_t day;                        /**< today */
    int32_t year;                        /**< index of today's calendar year in the flow matrix */
    double pd_road;                      /**< daily death probability on the road, fed */
    double pd_hungry;                    /**< the same without food */
    double lq_road;                      /**< log(1 − pd_road) */
    double lq_hungry;                    /**< log(1 − pd_hungry) */
    double ration;                       /**< sheng per person per day */
    bool stints;                         /**< avoid_short_stints: keep agents' recent travel */
    const uint8_t *quiet;                /**< [n_places] 1 if nothing changed today and nobody
                                              dies there: its sleepers sleep on */
};

/** @brief An agent's random words for the day, drawn block by block. */
struct mig_draw {
    uint32_t seed, run, day, id; /**< stream */
    uint32_t block;              /**< next block */
    int k;                       /**< words used in the current block (4 = none left) */
    uint32_t w[4];               /**< the block */
};

/**
 * @brief Starts an agent's draws for the day at block @p block0.
 * @param r the draws
 * @param w the world (key)
 * @param day today
 * @param id the agent
 * @param block0 first block
 */
static inline void mig_draw_init(struct mig_draw *r, const struct js_world *w, uint32_t day,
                                 uint32_t id, uint32_t block0)
{
    r->seed = w->key.seed;
    r->run = w->key.run;
    r->day = day;
    r->id = id;
    r->block = block0;
    r->k = 4;
}

/**
 * @brief Computes the next Philox block of an agent's stream: (day, id, AGENT << 24 |
 * MIGRATION AGENT purpose, block), key (seed, run) — the block js_rng_block gives.
 * @param r the draws
 */
static inline void mig_draw_block(struct mig_draw *r)
{
    philox4x32_ctr_t c = {
        {r->day, r->id,
         ((uint32_t)JS_RNG_AGENT << 24) | JS_PURPOSE(JS_RNGMOD_MIGRATION, JS_MIG_AGENT),
         r->block++}};
    philox4x32_key_t k = {{r->seed, r->run}};
    philox4x32_ctr_t o = philox4x32(c, k);
    r->w[0] = o.v[0];
    r->w[1] = o.v[1];
    r->w[2] = o.v[2];
    r->w[3] = o.v[3];
    r->k = 0;
}

/**
 * @brief The next uniform in (0, 1) of an agent's stream: words 3, 2, 1, 0 of each block (the
 * order GSL's adapter uses).
 * @param r the draws
 */
static inline double mig_u01(struct mig_draw *r)
{
    if (r->k == 4)
        mig_draw_block(r);
    uint32_t x = r->w[3 - r->k++];
    return ((double)x + 0.5) * (1.0 / 4294967296.0);
}

/**
 * @brief The daily preparation, once a day: route table, arc speeds, each place's danger,
 * move and settle chances, death probability, capacity multiplier and route weights.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void mig_prepare(struct js_world *w, const struct js_day *d, const struct js_migration_params *p);

/**
 * @brief Fills new agents' slots (serial or parallel over distinct slot ranges).
 * @param w the world
 * @param p parameters
 * @param slot first slot
 * @param id first id
 * @param place where they are
 * @param cls their class
 * @param persons persons to place in households
 * @param grain grain of the place they may take (decreased), or NULL
 * @param state their state (enum js_agent_state: TURNED for those who just fled)
 * @return grain taken, sheng
 */
int64_t mig_fill_agents(struct js_world *w, const struct js_migration_params *p, int64_t slot,
                        uint32_t id, int32_t place, int cls, int64_t persons, int64_t *grain,
                        int state);

/**
 * @brief Adds refugees at a place (serial code): js_migration_add, optionally as staying there.
 * @param w the world
 * @param p parameters
 * @param place where they are
 * @param cls their class
 * @param persons how many
 * @param from_population they leave the place's population (refugees_flee), else they enter
 *        from outside the map (refugees_enter)
 * @param staying they stay at the place (a refuge's day-0 refugees), else they move on
 * @return the persons added
 */
int64_t mig_add(struct js_world *w, const struct js_migration_params *p, int32_t place, int cls,
                int64_t persons, bool from_population, bool staying);

/**
 * @brief Data-driven spawning (FLEE's validation mode): the day's new refugees from the
 * observed counts, their origins drawn by population × conflict × decay (serial).
 * @param w the world
 * @param d today
 * @param p parameters
 */
void mig_spawn_data(struct js_world *w, const struct js_day *d,
                    const struct js_migration_params *p);

/**
 * @brief Agents needed for @p persons persons.
 * @param persons persons
 * @param ppa persons per agent
 */
static inline int64_t mig_agents_for(int64_t persons, int32_t ppa)
{
    return (persons + ppa - 1) / ppa;
}

#endif /* JS_MIGRATION_INTERNAL_H */
