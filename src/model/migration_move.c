/**
 * @file migration_move.c
 * @brief Refugees, part 2: each agent's day (deaths, rations, settling, route choice, travel),
 * the ordered resolution of ferry crossings and of arrivals at places with limited room, the
 * counts by place and route, and the compaction of the pool.
 *
 * An agent's fields are copied to a local struct for its day and stored back once, so that
 * they live in registers. Counts by place and route are kept per thread during the passes and
 * summed in a fixed order (integers: the same for any number of threads).
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* OpenMP */
#include <omp.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "migration_internal.h"

/** @brief A function of the agents' hot path, always inlined so that the agent's fields and the
 * day's budget stay in registers. */
#define MIG_HOT static inline __attribute__((always_inline))

/** @brief Agents per block of the main pass (a unit of the dynamic schedule). */
#define MIG_BLOCK 4096

/** @brief Agents per block of the parallel compaction. */
#define MIG_COMPACT_BLOCK 32768

/** @brief Most legs an agent travels in one day (a bound on route changes). */
#define MIG_MAX_LEGS 32

/** @brief An agent's fields during its day (stored back to the pool at the end). */
struct mig_agent {
    int64_t slot;    /**< its slot */
    uint32_t id;     /**< identity */
    int32_t pos;     /**< place, or −(arc + 1) */
    int32_t plan;    /**< route of the table it follows, or −1 */
    int32_t wake;    /**< see js_agents.wake; on an arc: the day of its next death */
    float km;        /**< km on the current arc */
    uint16_t food;   /**< sheng carried */
    uint16_t days;   /**< days on the road */
    uint8_t persons; /**< persons */
    uint8_t cls;     /**< class */
    uint8_t state;   /**< state | arcs of the plan not yet entered << 3 | tracked */
    uint8_t recent;  /**< recent travel, 1/255 (see js_agents.recent) */
};

/** @brief Per-thread sums and counts of the day. */
struct mig_local {
    int tid;              /**< thread */
    int64_t deaths;       /**< persons who died */
    int64_t settled;      /**< persons who settled */
    int64_t eaten;        /**< grain eaten, sheng */
    int64_t food_settled; /**< grain brought into places, sheng */
    int64_t food_lost;    /**< grain of agents who all died, sheng */
    int64_t removed;      /**< slots of settled and dead agents */
    int64_t *present;     /**< [n_places] persons of agents at each place, not staying */
    int64_t *staying;     /**< [n_places] persons of agents staying */
    int64_t *trav;        /**< [n_routes] persons on each route */
    int64_t *queued;      /**< [n_routes] persons waiting to cross each route */
};

/* ---------------------------------------------------------------- the agent in registers */

/**
 * @brief Copies slot @p i of the pool.
 * @param a the pool
 * @param i the slot
 * @param g out: the agent
 */
MIG_HOT void mig_load(const struct js_agents *a, int64_t i, struct mig_agent *restrict g)
{
    g->slot = i;
    g->id = a->id[i];
    g->pos = a->pos[i];
    g->plan = a->plan[i];
    g->wake = a->wake[i];
    g->km = a->km[i];
    g->food = a->food[i];
    g->days = a->days[i];
    g->persons = a->persons[i];
    g->cls = a->cls[i];
    g->state = a->state[i];
    g->recent = a->recent[i];
}

/**
 * @brief Stores an agent back to its slot.
 * @param a the pool
 * @param g the agent
 */
MIG_HOT void mig_store(struct js_agents *a, const struct mig_agent *restrict g)
{
    int64_t i = g->slot;
    a->pos[i] = g->pos;
    a->plan[i] = g->plan;
    a->wake[i] = g->wake;
    a->km[i] = g->km;
    a->food[i] = g->food;
    a->days[i] = g->days;
    a->persons[i] = g->persons;
    a->state[i] = g->state;
    a->recent[i] = g->recent;
}

/** @brief The agent's state. */
static inline int mig_state(const struct mig_agent *restrict g)
{
    return g->state & JS_AGENT_STATE_MASK;
}

/** @brief Sets the agent's state, keeping its plan and tracked bits. */
static inline void mig_set_state(struct mig_agent *restrict g, enum js_agent_state s)
{
    g->state = (uint8_t)((g->state & ~JS_AGENT_STATE_MASK) | (uint8_t)s);
}

/** @brief Arcs of the agent's plan not entered yet. */
static inline int mig_rem(const struct mig_agent *restrict g)
{
    return (g->state & JS_AGENT_REM_MASK) >> JS_AGENT_REM_SHIFT;
}

/** @brief Sets the arcs of the agent's plan not entered yet (0 … JS_MIG_MAX_ARCS). */
static inline void mig_set_rem(struct mig_agent *restrict g, int rem)
{
    g->state = (uint8_t)((g->state & ~JS_AGENT_REM_MASK) | (uint8_t)(rem << JS_AGENT_REM_SHIFT));
}

/**
 * @brief The next arc of the agent's plan (at a place, before entering it).
 * @param c the day
 * @param g the agent
 */
MIG_HOT int32_t mig_next_arc(const struct mig_day *restrict c, const struct mig_agent *restrict g)
{
    const struct mig_rt *rt = &c->rts[g->plan];
    int rem = mig_rem(g);
    return rem == rt->len ? rt->first : c->rt_arcs[rt->arc0 + rt->len - rem];
}

/* ---------------------------------------------------------------- recent travel */

/**
 * @brief The share of a day's full travel that @p km is, in 1/255 (at most 255).
 * @param c the day
 * @param km km travelled
 */
static inline unsigned mig_share(const struct mig_day *restrict c, double km)
{
    double x = km / c->p->max_km_per_day;
    return x >= 1.0 ? 255u : x <= 0.0 ? 0u : (unsigned)(255.0 * x + 0.5);
}

/**
 * @brief The end of an agent's day: recent travel ← (recent + today's share) / 2 (FLEE's
 * recent_travel_distance).
 * @param c the day
 * @param recent the agent's recent travel (updated)
 * @param km km travelled today
 */
static inline void mig_recent(const struct mig_day *restrict c, uint8_t *recent, double km)
{
    if (c->stints)
        *recent = (uint8_t)((*recent + mig_share(c, km)) / 2u);
}

/**
 * @brief FLEE's short stint: an agent reaching a town with (recent travel + today's share) / 2
 * below one half moves on at once (avoid_short_stints, Flee 2.0).
 * @param c the day
 * @param g the agent
 * @param km_today km it travelled today so far
 */
static inline bool mig_short_stint(const struct mig_day *restrict c,
                                   const struct mig_agent *restrict g, double km_today)
{
    return (unsigned)g->recent + mig_share(c, km_today) < 255u;
}

/* ---------------------------------------------------------------- deaths */

/**
 * @brief The inverse of the binomial distribution function: the smallest k with
 * P(K ≤ k) > x for K ~ Binomial(n, pd), starting from P(K = 0) = p0.
 * @param x a point in [0, 1)
 * @param n persons
 * @param pd probability (< 1)
 * @param p0 (1 − pd)^n
 */
static int mig_binom_inv(double x, int n, double pd, double p0)
{
    double pk = p0, cum = p0, odds = pd / (1.0 - pd);
    int k = 0;
    while (x >= cum && k < n) {
        pk *= (double)(n - k) / (double)(k + 1) * odds;
        k++;
        cum += pk;
    }
    return k;
}

/**
 * @brief Deaths among n persons at a place with a daily death probability pd, by the inverse
 * of the binomial distribution function at u (one uniform; exact).
 * @param u uniform in (0, 1)
 * @param n persons
 * @param pd daily death probability (< 1)
 */
MIG_HOT int mig_deaths(double u, int n, double pd)
{
    if (n == 0 || pd <= 0.0 || u < 1.0 - n * pd) /* (1 − pd)^n ≥ 1 − n·pd: nobody dies */
        return 0;
    return mig_binom_inv(u, n, pd, pow(1.0 - pd, n));
}

/**
 * @brief Deaths at the start of the day of an agent on an arc. The day of the next death in the
 * household is drawn geometrically with P = 1 − (1 − pd)^n (exactly a daily trial, by
 * memorylessness) and kept in `wake`, so that an agent on the road draws nothing on most days;
 * on that day the number of deaths follows the binomial law given at least one. Drawn again
 * when the hazard changes (fed → hungry, deaths, back on the road after a day at a place).
 * @param c the day
 * @param g the agent
 * @param r its draws
 * @return persons who die today
 */
MIG_HOT int mig_road_deaths(const struct mig_day *restrict c, struct mig_agent *restrict g,
                            struct mig_draw *restrict r)
{
    const int32_t day = (int32_t)c->day;
    int n = g->persons;
    bool fed = g->food > 0;
    double lq = (fed ? c->lq_road : c->lq_hungry) * n; /* log P(nobody dies) */
    if (g->wake < 0) {
        double k = lq < 0.0 ? floor(log(mig_u01(r)) / lq) : INFINITY;
        g->wake = k >= (double)(INT32_MAX - day) ? INT32_MAX : day + (int32_t)k;
    }
    if (g->wake > day)
        return 0;
    double p0 = exp(lq);
    g->wake = -1;
    return mig_binom_inv(p0 + mig_u01(r) * (1.0 - p0), n, fed ? c->pd_road : c->pd_hungry, p0);
}

/* ---------------------------------------------------------------- counts, tracks, requests */

/**
 * @brief Adds (sign +1) or removes (−1) the agent from this thread's counts.
 * @param c the day
 * @param g the agent
 * @param L this thread
 * @param sign +1 or −1
 */
MIG_HOT void mig_tally(const struct mig_day *restrict c, const struct mig_agent *restrict g,
                       struct mig_local *restrict L, int64_t sign)
{
    int s = mig_state(g);
    if (s >= JS_AGENT_SETTLED)
        return;
    int64_t k = sign * g->persons;
    if (g->pos < 0) {
        L->trav[mig_arc_route(&c->arcs[-g->pos - 1])] += k;
        return;
    }
    if (s == JS_AGENT_STAY) {
        L->staying[g->pos] += k;
        return;
    }
    L->present[g->pos] += k; /* those not staying: present = this + staying */
    if (s == JS_AGENT_QUEUE)
        L->queued[mig_arc_route(&c->arcs[mig_next_arc(c, g)])] += k;
}

/**
 * @brief Writes a tracked agent's position to its track (its own slot of the tracks).
 * @param c the day
 * @param g the agent
 */
static void mig_track(const struct mig_day *restrict c, const struct mig_agent *restrict g)
{
    if (!(g->state & JS_AGENT_TRACKED))
        return;
    struct js_migration *m = &c->w->migration;
    uint32_t t = g->id / (uint32_t)m->track_every;
    if (g->pos >= 0) {
        m->track_place[t] = g->pos;
        m->track_route[t] = -1;
        m->track_km[t] = 0.0f;
    } else {
        int32_t arc = -g->pos - 1;
        const struct mig_arc *A = &c->arcs[arc];
        m->track_place[t] = -1;
        m->track_route[t] = mig_arc_route(A);
        m->track_km[t] = arc % 2 == 0 ? g->km : A->km - g->km;
    }
    m->track_persons[t] = g->persons;
    m->track_origin[t] = m->agents.origin[g->slot];
    m->track_state[t] = (int8_t)mig_state(g);
}

/**
 * @brief Asks to enter a route (a ferry) or a place with limited room: appended to this
 * thread's buffer, resolved in order after the pass.
 * @param c the day
 * @param kind MIG_REQ_CROSS or MIG_REQ_ARRIVE
 * @param L this thread
 * @param g the agent
 * @param target route or place
 * @param day day it started waiting
 * @param t_left days of travel left
 * @param km_left km left
 */
static void mig_request(const struct mig_day *restrict c, int kind,
                        const struct mig_local *restrict L, const struct mig_agent *restrict g,
                        int32_t target, int32_t day, double t_left, double km_left)
{
    struct js_migration_cache *mc = &c->w->migration.cache;
    int b = kind * mc->nthreads + L->tid;
    if (mc->req_n[b] == mc->req_cap[b]) {
        mc->req_cap[b] = mc->req_cap[b] ? 2 * mc->req_cap[b] : 1024;
        mc->reqs[b] = js_xrealloc(mc->reqs[b], (size_t)mc->req_cap[b] * sizeof(struct mig_req));
    }
    struct mig_req q = {g->slot, t_left, km_left, target, day, g->id, g->persons};
    ((struct mig_req *)mc->reqs[b])[mc->req_n[b]++] = q;
}

/* ---------------------------------------------------------------- settle, die, eat */

/**
 * @brief The agent settles: its persons rejoin the place's population and its grain the place's
 * stores (commutative integer additions: the same sums in any order).
 * @param c the day
 * @param g the agent
 * @param place where
 * @param L this thread
 */
static void mig_settle(const struct mig_day *restrict c, struct mig_agent *restrict g,
                       int32_t place, struct mig_local *restrict L)
{
    struct js_world *w = c->w;
    struct js_migration *m = &w->migration;
    int64_t n = g->persons, food = g->food;
    size_t np = (size_t)w->places.n;
    int64_t *pop = &w->places.pop[(size_t)place * JS_NCLASSES + g->cls];
#pragma omp atomic
    *pop += n;
#pragma omp atomic
    m->settled[place] += n;
    if (m->flow && c->year >= 0 && c->year < m->n_years) {
        size_t origin = (size_t)m->agents.origin[g->slot];
        int64_t *cell = &m->flow[((size_t)c->year * np + origin) * np + (size_t)place];
#pragma omp atomic
        *cell += n;
    }
    if (food > 0) {
#pragma omp atomic
        w->places.grain[place] += food;
    }
    L->settled += n;
    L->food_settled += food;
    g->persons = 0;
    g->food = 0;
    g->pos = place;
    g->plan = -1;
    mig_set_state(g, JS_AGENT_SETTLED);
}

/**
 * @brief Every person of the agent has died; the grain it carried is lost.
 * @param g the agent
 * @param L this thread
 */
static void mig_die(struct mig_agent *restrict g, struct mig_local *restrict L)
{
    L->food_lost += g->food;
    g->food = 0;
    g->persons = 0;
    mig_set_state(g, JS_AGENT_DEAD);
}

/**
 * @brief A day's rations from the grain carried (on the road).
 * @param c the day
 * @param g the agent
 * @param L this thread
 */
MIG_HOT void mig_eat(const struct mig_day *restrict c, struct mig_agent *restrict g,
                     struct mig_local *restrict L)
{
    if (g->food == 0)
        return;
    double want = c->ration * g->persons;
    int64_t need = (int64_t)want;
    need += (double)need < want; /* whole sheng, rounded up */
    int64_t eat = need < g->food ? need : g->food;
    g->food = (uint16_t)(g->food - eat);
    L->eaten += eat;
    if (g->food == 0)
        g->wake = -1; /* hungry from tomorrow: the death hazard changes */
}

/* ---------------------------------------------------------------- decisions */

/**
 * @brief Whether an agent staying at a place moves or settles today. The day of its next event
 * is drawn geometrically with the place's daily event chance (exactly a Bernoulli draw per
 * day, by memorylessness), and drawn again when the place's chances change.
 * @param c the day
 * @param g the agent
 * @param place where it stays
 * @param r its draws
 * @return true if the event is today
 */
MIG_HOT bool mig_event_now(const struct mig_day *restrict c, struct mig_agent *restrict g,
                           int32_t place, struct mig_draw *restrict r)
{
    const int32_t day = (int32_t)c->day;
    const struct mig_place *pl = &c->places[place];
    if (g->wake >= 0 && pl->status_day != day)
        return g->wake <= day;
    double q = pl->event_p[g->cls], k = 0.0;
    if (q <= 0.0)
        k = INFINITY;
    else if (q < 1.0)
        k = floor(log(mig_u01(r)) / log1p(-q));
    if (k == 0.0) {
        g->wake = day;
        return true;
    }
    g->wake = k >= (double)(INT32_MAX - day) ? INT32_MAX : day + (int32_t)k;
    return false;
}

/**
 * @brief Whether today's event is settling (else moving).
 * @param c the day
 * @param g the agent
 * @param place where it stays
 * @param r its draws
 */
MIG_HOT bool mig_settles(const struct mig_day *restrict c, const struct mig_agent *restrict g,
                         int32_t place, struct mig_draw *restrict r)
{
    double f = c->places[place].settle_frac[g->cls];
    return f > 0.0 && (f >= 1.0 || mig_u01(r) < f);
}

/**
 * @brief Picks a route among the place's candidates with today's weights for the agent's class.
 * @param c the day
 * @param g the agent
 * @param place where it is
 * @param r its draws
 * @return false if no route is open (the agent stays)
 */
MIG_HOT bool mig_choose(const struct mig_day *restrict c, struct mig_agent *restrict g,
                        int32_t place, struct mig_draw *restrict r)
{
    const struct mig_place *pl = &c->places[place];
    int32_t r0 = pl->rt0, n = pl->nrt;
    if (n == 0)
        return false;
    const float *cdf = &c->cdf[(size_t)r0 * JS_NCLASSES + (size_t)g->cls * (size_t)n];
    double total = cdf[n - 1];
    if (!(total > 0.0))
        return false;
    double x = mig_u01(r) * total;
    int32_t lo = 0, hi = n - 1; /* the first k with cdf[k] > x */
    if (n <= 16) {
        while (lo < hi && cdf[lo] <= x)
            lo++;
    } else {
        while (lo < hi) {
            int32_t mid = (lo + hi) / 2;
            if (cdf[mid] > x)
                hi = mid;
            else
                lo = mid + 1;
        }
    }
    g->plan = r0 + lo;
    mig_set_rem(g, c->rts[r0 + lo].len);
    return true;
}

/* ---------------------------------------------------------------- travel */

/** @brief The budget of the day's travel. */
struct mig_budget {
    double t_left;     /**< days of travel left */
    double km_left;    /**< km it may still cover (the hard cap) */
    int32_t admitted;  /**< arc it may enter although it has a daily capacity (−1 none) */
    int32_t road_wake; /**< its road death day if it began the day on an arc, else −1 */
    bool main_pass;    /**< crossing requests allowed */
};

/** @brief What the travel loop does next. */
enum mig_step { MIG_GO_ON, MIG_STOP };

/**
 * @brief At a place with a plan: steps onto the next arc, queues at a ferry, or plans again
 * when the arc was closed.
 * @param c the day
 * @param g the agent
 * @param r its draws
 * @param L this thread
 * @param b the budget
 */
MIG_HOT enum mig_step mig_leave_place(const struct mig_day *restrict c,
                                      struct mig_agent *restrict g, struct mig_draw *restrict r,
                                      const struct mig_local *restrict L, struct mig_budget *b)
{
    int32_t here = g->pos, arc = mig_next_arc(c, g);
    const struct mig_arc *A = &c->arcs[arc];
    if (A->speed <= 0.0f) { /* the route was cut since it was planned: plan again */
        g->plan = -1;
        if (mig_choose(c, g, here, r))
            return MIG_GO_ON;
        mig_set_state(g, JS_AGENT_TURNED);
        return MIG_STOP;
    }
    if (mig_arc_limited(A) && arc != b->admitted) {
        int32_t joined = mig_state(g) == JS_AGENT_QUEUE && g->wake >= 0 ? g->wake : (int32_t)c->day;
        mig_set_state(g, JS_AGENT_QUEUE);
        g->wake = joined;
        if (b->main_pass)
            mig_request(c, MIG_REQ_CROSS, L, g, mig_arc_route(A), joined, b->t_left, b->km_left);
        return MIG_STOP;
    }
    b->admitted = -1;
    g->wake = b->road_wake;
    g->pos = -(arc + 1);
    g->km = 0.0f;
    mig_set_state(g, JS_AGENT_ROAD);
    mig_set_rem(g, mig_rem(g) - 1);
    return MIG_GO_ON;
}

/**
 * @brief The agent has reached the place at the end of its arc: goes on along its plan, asks to
 * enter a place with limited room, or stops and decides again (FLEE: a new decision the same
 * day while time is left).
 * @param c the day
 * @param g the agent
 * @param r its draws
 * @param L this thread
 * @param b the budget
 */
MIG_HOT enum mig_step mig_reach_place(const struct mig_day *restrict c,
                                      struct mig_agent *restrict g, struct mig_draw *restrict r,
                                      struct mig_local *restrict L, const struct mig_budget *b)
{
    int32_t here = g->pos;
    /* an intermediate stop: go on unless the destination has filled up (FLEE) */
    if (mig_rem(g) > 0 && c->places[c->rts[g->plan].dest].capm >= 0.5f)
        return MIG_GO_ON;
    g->plan = -1;
    mig_set_rem(g, 0);
    if (c->places[here].limited) { /* limited room: resolved in order at the end of the day */
        mig_set_state(g, JS_AGENT_ARRIVING);
        mig_request(c, MIG_REQ_ARRIVE, L, g, here, (int32_t)c->day, b->t_left, b->km_left);
        return MIG_STOP;
    }
    mig_set_state(g, JS_AGENT_STAY);
    g->wake = -1;
    if (b->t_left <= 0.0 || b->km_left <= 0.0)
        return MIG_STOP;
    bool forced = c->stints && c->places[here].town &&
                  mig_short_stint(c, g, c->p->max_km_per_day - b->km_left);
    if (!forced && !mig_event_now(c, g, here, r))
        return MIG_STOP;
    if (!forced && mig_settles(c, g, here, r)) {
        mig_settle(c, g, here, L);
        return MIG_STOP;
    }
    if (!mig_choose(c, g, here, r)) {
        g->wake = -1;
        return MIG_STOP;
    }
    return MIG_GO_ON;
}

/**
 * @brief Travels along the planned route with the day's budget: at the arcs' walker (or boat)
 * speeds, never more than max_km_per_day in all (each new arc continues the same day's budget:
 * FLEE's extra day of progress on each further link is not copied).
 * @param c the day
 * @param g the agent
 * @param r its draws
 * @param L this thread
 * @param b the budget
 */
MIG_HOT void mig_travel(const struct mig_day *restrict c, struct mig_agent *restrict g,
                        struct mig_draw *restrict r, struct mig_local *restrict L,
                        struct mig_budget *b)
{
    for (int leg = 0; leg < MIG_MAX_LEGS; leg++) {
        if (g->pos >= 0) {
            if (mig_leave_place(c, g, r, L, b) == MIG_STOP)
                return;
            if (g->pos >= 0)
                continue; /* a new plan was made at the place */
        }
        int32_t arc = -g->pos - 1;
        const struct mig_arc *A = &c->arcs[arc];
        if (A->speed <= 0.0f) { /* closed under its feet: back to where it came from */
            g->pos = c->arcs[arc ^ 1].to;
            g->km = 0.0f;
            g->plan = -1;
            mig_set_state(g, JS_AGENT_TURNED);
            return;
        }
        if (b->t_left <= 0.0 || b->km_left <= 0.0)
            return;
        double done = g->km, remaining = (double)A->km - done;
        double reach = (double)A->speed * b->t_left;
        reach = reach < b->km_left ? reach : b->km_left;
        if (reach < remaining) {
            g->km = (float)(done + reach);
            b->km_left -= reach; /* the day's travel is over: the budget says how far it went */
            b->t_left = 0.0;
            return;
        }
        b->t_left -= remaining / (double)A->speed;
        b->km_left -= remaining;
        g->pos = A->to;
        g->km = 0.0f;
        if (mig_reach_place(c, g, r, L, b) == MIG_STOP)
            return;
    }
}

/**
 * @brief One agent's day: deaths, rations, then what its state calls for.
 * @param c the day
 * @param g the agent
 * @param r its draws
 * @param L this thread
 * @return km travelled today
 */
MIG_HOT double mig_live(const struct mig_day *restrict c, struct mig_agent *restrict g,
                        struct mig_draw *restrict r, struct mig_local *restrict L)
{
    int s = mig_state(g), n = g->persons, dead;
    if (g->pos < 0) {
        dead = mig_road_deaths(c, g, r);
    } else {
        double pd = c->places[g->pos].pdeath; /* no hazard, no draw (FLEE has no deaths) */
        dead = pd > 0.0 ? mig_deaths(mig_u01(r), n, pd) : 0;
        if (s == JS_AGENT_ROAD)
            g->wake = -1; /* a day begun at a place: the road's hazard is drawn again */
    }
    if (dead > 0) {
        L->deaths += dead;
        g->persons = (uint8_t)(n - dead);
        if (n == dead) {
            mig_die(g, L);
            return 0.0;
        }
    }
    struct mig_budget b = {1.0, c->p->max_km_per_day, -1, -1, true};
    if (s == JS_AGENT_ROAD) {
        mig_eat(c, g, L);
        g->days += g->days < UINT16_MAX;
        if (g->pos < 0) { /* the common case: still on the arc at the end of the day */
            const struct mig_arc *A = &c->arcs[-g->pos - 1];
            double reach = (double)A->speed, done = g->km;
            reach = reach < b.km_left ? reach : b.km_left;
            if (A->speed > 0.0f && reach < (double)A->km - done) {
                g->km = (float)(done + reach);
                return reach;
            }
            b.road_wake = g->wake;
        }
        mig_travel(c, g, r, L, &b);
        return c->p->max_km_per_day - b.km_left;
    }
    if (s == JS_AGENT_STAY || s == JS_AGENT_ARRIVING) {
        if (!mig_event_now(c, g, g->pos, r))
            return 0.0;
        if (mig_settles(c, g, g->pos, r)) {
            mig_settle(c, g, g->pos, L);
            return 0.0;
        }
        if (!mig_choose(c, g, g->pos, r)) {
            g->wake = -1;
            return 0.0;
        }
    } else if (s == JS_AGENT_TURNED && !mig_choose(c, g, g->pos, r)) {
        return 0.0;
    }
    g->days += g->days < UINT16_MAX;
    mig_travel(c, g, r, L, &b);
    return c->p->max_km_per_day - b.km_left;
}

/**
 * @brief An agent on an arc that needs no draw today (no death due, still on the arc at the end
 * of the day): its day, exactly as mig_live would live it, without copying it.
 * @param c the day
 * @param a the pool
 * @param i the slot
 * @param L this thread
 * @return true if its day is done
 */
MIG_HOT bool mig_quick_road(const struct mig_day *restrict c, struct js_agents *a, int64_t i,
                            struct mig_local *restrict L)
{
    int32_t pos = a->pos[i], wake = a->wake[i];
    if (pos >= 0)
        return false;
    /* a death due today, or its day not drawn yet: the full path, unless the road kills no one
     * (then mig_road_deaths sets no death day without a draw) */
    if (wake <= (int32_t)c->day && (wake >= 0 || (a->food[i] ? c->lq_road : c->lq_hungry) < 0.0))
        return false;
    const struct mig_arc *A = &c->arcs[-pos - 1];
    double reach = (double)A->speed, done = a->km[i];
    reach = reach < c->p->max_km_per_day ? reach : c->p->max_km_per_day;
    if (!(A->speed > 0.0f && reach < (double)A->km - done))
        return false;
    if (wake < 0)
        a->wake[i] = INT32_MAX;
    a->km[i] = (float)(done + reach);
    mig_recent(c, &a->recent[i], reach);
    uint16_t food = a->food[i];
    if (food > 0) { /* mig_eat */
        double want = c->ration * a->persons[i];
        int64_t need = (int64_t)want;
        need += (double)need < want;
        int64_t eat = need < food ? need : food;
        a->food[i] = (uint16_t)(food - eat);
        L->eaten += eat;
        if (a->food[i] == 0)
            a->wake[i] = -1;
    }
    a->days[i] = (uint16_t)(a->days[i] + (a->days[i] < UINT16_MAX));
    L->trav[mig_arc_route(A)] += a->persons[i];
    if (a->state[i] & JS_AGENT_TRACKED) {
        struct mig_agent g;
        mig_load(a, i, &g);
        mig_track(c, &g);
    }
    return true;
}

/**
 * @brief A slot that needs no draw today: a settled or dead agent (to drop), one asleep at a
 * safe place (a few comparisons; counted where it is), or one walking on along its arc.
 * @param c the day
 * @param a the pool
 * @param i the slot
 * @param L this thread
 * @return true if nothing more is to be done
 */
MIG_HOT bool mig_quick(const struct mig_day *restrict c, struct js_agents *a, int64_t i,
                       struct mig_local *restrict L)
{
    int s = a->state[i] & JS_AGENT_STATE_MASK;
    if (s >= JS_AGENT_SETTLED) {
        L->removed++;
        return true;
    }
    if (s == JS_AGENT_ROAD)
        return mig_quick_road(c, a, i, L);
    if (s != JS_AGENT_STAY || a->wake[i] <= (int32_t)c->day)
        return false;
    int32_t pos = a->pos[i];
    if (c->places[pos].status_day == (int32_t)c->day || c->places[pos].pdeath > 0.0)
        return false;
    if (c->stints && a->recent[i]) /* a day without travel */
        a->recent[i] >>= 1;
    L->staying[pos] += a->persons[i];
    return true;
}

/**
 * @brief One agent's day in the main pass: lived on a copy of its fields (its draws computed
 * when first needed), stored back, counted and tracked.
 * @param c the day
 * @param a the pool
 * @param i the slot
 * @param L this thread
 */
MIG_HOT void mig_agent_day(const struct mig_day *restrict c, struct js_agents *a, int64_t i,
                           struct mig_local *restrict L)
{
    struct mig_agent g;
    mig_load(a, i, &g);
    struct mig_draw r;
    mig_draw_init(&r, c->w, c->day, g.id, 0);
    double km = mig_live(c, &g, &r, L);
    mig_recent(c, &g.recent, km);
    mig_store(a, &g);
    if (mig_state(&g) >= JS_AGENT_SETTLED)
        L->removed++;
    else
        mig_tally(c, &g, L, 1);
    if (g.state & JS_AGENT_TRACKED)
        mig_track(c, &g);
}

/**
 * @brief One slot's day past the common case: a quick case, or the agent's full day (kept out
 * of line so that the common case keeps its registers).
 * @param c the day
 * @param a the pool
 * @param i the slot
 * @param L this thread
 */
static __attribute__((noinline)) void mig_slot_day(const struct mig_day *restrict c,
                                                   struct js_agents *a, int64_t i,
                                                   struct mig_local *restrict L)
{
    if (!mig_quick(c, a, i, L))
        mig_agent_day(c, a, i, L);
}

/**
 * @brief The main pass over a block of slots: agents that need no draw are done at once, the
 * others live their day.
 * @param c the day
 * @param a the pool
 * @param lo first slot
 * @param hi one past the last
 * @param L this thread
 */
static void mig_block_day(const struct mig_day *restrict c, struct js_agents *a, int64_t lo,
                          int64_t hi, struct mig_local *restrict L)
{
    /* the common case first, with everything it reads in registers: an agent asleep at a
     * place where nothing changed today and nobody dies (mig_quick's third case) */
    const int32_t day = (int32_t)c->day;
    const uint8_t *restrict quiet = c->quiet;
    const uint8_t *restrict state = a->state, *restrict persons = a->persons;
    const int32_t *restrict wake = a->wake, *restrict pos = a->pos;
    uint8_t *restrict recent = a->recent;
    int64_t *restrict staying = L->staying;
    const bool stints = c->stints;
    for (int64_t i = lo; i < hi; i++) {
        if ((state[i] & JS_AGENT_STATE_MASK) == JS_AGENT_STAY && wake[i] > day) {
            const int32_t p = pos[i];
            if (quiet[p]) {
                if (stints)
                    recent[i] >>= 1;
                staying[p] += persons[i];
                continue;
            }
        }
        mig_slot_day(c, a, i, L);
    }
}

/* ---------------------------------------------------------------- the day's passes */

/**
 * @brief Sizes the per-thread buffers for @p nt threads and empties the request buffers.
 * @param w the world
 * @param nt threads
 */
static void mig_threads(struct js_world *w, int nt)
{
    struct js_migration_cache *c = &w->migration.cache;
    if (c->nthreads != nt) {
        for (int t = 0; c->reqs && t < 2 * c->nthreads; t++)
            free(c->reqs[t]);
        free(c->reqs);
        free(c->req_n);
        free(c->req_cap);
        free(c->counts);
        c->nthreads = nt;
        c->reqs = js_xcalloc((size_t)(2 * nt), sizeof(void *));
        c->req_n = js_xcalloc((size_t)(2 * nt), sizeof(int64_t));
        c->req_cap = js_xcalloc((size_t)(2 * nt), sizeof(int64_t));
        size_t stride = 2 * (size_t)w->places.n + 2 * (size_t)w->routes.n;
        c->counts = js_xmalloc((size_t)nt * (stride ? stride : 1) * sizeof(int64_t));
    }
    memset(c->req_n, 0, (size_t)(2 * nt) * sizeof(int64_t));
    size_t stride = 2 * (size_t)w->places.n + 2 * (size_t)w->routes.n;
    memset(c->counts, 0, (size_t)nt * stride * sizeof(int64_t)); /* threads left idle count 0 */
}

/**
 * @brief Points a thread's counts at its slice of the cache (zeroed by mig_threads).
 * @param w the world
 * @param L this thread
 */
static void mig_local_counts(struct js_world *w, struct mig_local *restrict L)
{
    size_t np = (size_t)w->places.n, nr = (size_t)w->routes.n, stride = 2 * np + 2 * nr;
    int64_t *cnt = &w->migration.cache.counts[(size_t)L->tid * stride];
    L->present = cnt;
    L->staying = cnt + np;
    L->trav = cnt + 2 * np;
    L->queued = cnt + 2 * np + nr;
}

/**
 * @brief Sums the threads' counts, in thread order, into the state.
 * @param w the world
 */
static void mig_sum_counts(struct js_world *w)
{
    struct js_migration *m = &w->migration;
    const size_t np = (size_t)m->n_places, nr = (size_t)m->n_routes, stride = 2 * np + 2 * nr;
    const int nt = m->cache.nthreads;
    const int64_t *counts = m->cache.counts;
#pragma omp parallel for schedule(static) if (stride > 16384)
    for (size_t x = 0; x < stride; x++) {
        int64_t s = 0;
        for (int t = 0; t < nt; t++)
            s += counts[(size_t)t * stride + x];
        if (x < np) /* those not staying, and those staying */
            for (int t = 0; t < nt; t++)
                s += counts[(size_t)t * stride + np + x];
        if (x < np)
            m->present[x] = s;
        else if (x < 2 * np)
            m->staying[x - np] = s;
        else if (x < 2 * np + nr)
            m->route_travelling[x - 2 * np] = s;
        else
            m->route_queued[x - 2 * np - nr] = s;
    }
}

/** @brief qsort order of arrivals: place, earliest in the day, id. */
static int mig_req_cmp(const void *pa, const void *pb)
{
    const struct mig_req *a = pa, *b = pb;
    if (a->target != b->target)
        return a->target < b->target ? -1 : 1;
    if (a->t_left != b->t_left)
        return a->t_left > b->t_left ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/**
 * @brief Sorts the crossing requests by (route, day joined, id) without comparisons. Each
 * thread's requests come in increasing ids (the pool is in id order, compaction keeps it, and
 * threads take blocks in order), so they are merged by id, then put in order by stable
 * counting sorts on the day and on the route.
 * @param m the state
 * @param out the sorted requests
 * @param tmp room for as many
 * @param total how many
 */
static void mig_sort_crossings(struct js_migration *m, struct mig_req *out, struct mig_req *tmp,
                               int64_t total)
{
    struct js_migration_cache *c = &m->cache;
    const int nt = c->nthreads;
    int64_t *head = js_xcalloc((size_t)nt, sizeof(int64_t));
    for (int64_t k = 0; k < total; k++) { /* merge the threads' runs by id */
        int best = -1;
        for (int t = 0; t < nt; t++) {
            const struct mig_req *r = c->reqs[MIG_REQ_CROSS * nt + t];
            if (head[t] < c->req_n[MIG_REQ_CROSS * nt + t] &&
                (best < 0 ||
                 r[head[t]].id <
                     ((const struct mig_req *)c->reqs[MIG_REQ_CROSS * nt + best])[head[best]].id))
                best = t;
        }
        const struct mig_req *r = c->reqs[MIG_REQ_CROSS * nt + best];
        out[k] = r[head[best]++];
        JS_ASSERT(k == 0 || out[k].id > out[k - 1].id);
    }
    free(head);
    int32_t d0 = out[0].day, d1 = out[0].day;
    for (int64_t k = 1; k < total; k++) {
        d0 = out[k].day < d0 ? out[k].day : d0;
        d1 = out[k].day > d1 ? out[k].day : d1;
    }
    size_t nd = (size_t)(d1 - d0) + 1, nr = (size_t)m->n_routes;
    int64_t *at = js_xcalloc((nd > nr ? nd : nr) + 1, sizeof(int64_t));
    for (int64_t k = 0; k < total; k++) /* stable by day */
        at[out[k].day - d0 + 1]++;
    for (size_t x = 1; x <= nd; x++)
        at[x] += at[x - 1];
    for (int64_t k = 0; k < total; k++)
        tmp[at[out[k].day - d0]++] = out[k];
    memset(at, 0, (nr + 1) * sizeof(int64_t));
    for (int64_t k = 0; k < total; k++) /* stable by route */
        at[tmp[k].target + 1]++;
    for (size_t x = 1; x <= nr; x++)
        at[x] += at[x - 1];
    for (int64_t k = 0; k < total; k++)
        out[at[tmp[k].target]++] = tmp[k];
    free(at);
}

/**
 * @brief Gathers the requests of one kind from every thread and sorts them: crossings by
 * (route, day joined, id), arrivals by (place, time of day, id).
 * @param m the state
 * @param kind MIG_REQ_CROSS or MIG_REQ_ARRIVE
 * @param n out: how many
 * @return the sorted requests (in the cache)
 */
static struct mig_req *mig_merge(struct js_migration *m, int kind, int64_t *n)
{
    struct js_migration_cache *c = &m->cache;
    int64_t total = 0;
    for (int t = 0; t < c->nthreads; t++)
        total += c->req_n[kind * c->nthreads + t];
    if (total > c->merged_cap) {
        c->merged_cap = total + total / 2 + 1024;
        free(c->merged);
        free(c->merged2);
        c->merged = js_xmalloc((size_t)c->merged_cap * sizeof(struct mig_req));
        c->merged2 = js_xmalloc((size_t)c->merged_cap * sizeof(struct mig_req));
    }
    struct mig_req *out = c->merged;
    if (kind == MIG_REQ_CROSS && total > 0) {
        mig_sort_crossings(m, out, c->merged2, total);
    } else {
        int64_t k = 0;
        for (int t = 0; t < c->nthreads; t++) {
            int b = kind * c->nthreads + t;
            if (c->req_n[b] > 0)
                memcpy(&out[k], c->reqs[b], (size_t)c->req_n[b] * sizeof(struct mig_req));
            k += c->req_n[b];
        }
        if (total > 1)
            qsort(out, (size_t)total, sizeof(*out), mig_req_cmp);
    }
    for (int t = 0; t < c->nthreads; t++)
        c->req_n[kind * c->nthreads + t] = 0;
    *n = total;
    return out;
}

/**
 * @brief Ferries: in queue order (the day a household joined the queue, then the order of
 * flight), each crossing takes households while its day's capacity lasts (a household that does
 * not fit stops the queue); those taken cross and travel on with the time they had left.
 * @param c the day
 * @param L per-thread sums and counts
 */
static void mig_cross(const struct mig_day *restrict c, struct mig_local *restrict L)
{
    struct js_migration *m = &c->w->migration;
    int64_t n = 0;
    struct mig_req *q = mig_merge(m, MIG_REQ_CROSS, &n);
    int64_t admitted = 0;
    int32_t blocked = -1;
    for (int64_t k = 0; k < n; k++) {
        int64_t *room = &m->cache.room_left[q[k].target];
        if (q[k].target != blocked && q[k].persons <= *room) {
            *room -= q[k].persons;
            q[admitted++] = q[k];
        } else {
            blocked = q[k].target;
        }
    }
    if (admitted == 0)
        return;
#pragma omp parallel num_threads(m->cache.nthreads) if (admitted > 256)
    {
        struct mig_local me = L[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 64)
        for (int64_t k = 0; k < admitted; k++) {
            struct mig_agent g;
            mig_load(&m->agents, q[k].slot, &g);
            mig_tally(c, &g, &me, -1); /* it was counted in the queue */
            struct mig_draw r;
            mig_draw_init(&r, c->w, c->day, g.id, MIG_BLOCK_CONTINUE);
            struct mig_budget b = {q[k].t_left, q[k].km_left, mig_next_arc(c, &g), -1, false};
            mig_travel(c, &g, &r, &me, &b);
            if (c->stints) { /* the rest of the day's travel, after the main pass */
                unsigned x = g.recent + mig_share(c, q[k].km_left - b.km_left) / 2u;
                g.recent = (uint8_t)(x < 255u ? x : 255u);
            }
            mig_store(&m->agents, &g);
            if (mig_state(&g) >= JS_AGENT_SETTLED)
                me.removed++;
            else
                mig_tally(c, &g, &me, 1);
            mig_track(c, &g);
        }
        L[me.tid] = me;
    }
}

/**
 * @brief Arrivals at places with limited room, in order of arrival in the day (then id): each
 * place takes households while they fit; the others are turned away and must move on.
 * @param c the day
 */
static void mig_arrive(const struct mig_day *restrict c)
{
    struct js_migration *m = &c->w->migration;
    int64_t n = 0;
    struct mig_req *q = mig_merge(m, MIG_REQ_ARRIVE, &n);
    for (int64_t k = 0; k < n; k++) {
        int32_t p = q[k].target;
        struct mig_agent g;
        mig_load(&m->agents, q[k].slot, &g);
        int64_t cap = (int64_t)floor((double)m->capacity[p] * c->p->capacity_scaling);
        if (q[k].persons <= cap - m->settled[p] - m->staying[p]) {
            mig_set_state(&g, JS_AGENT_STAY);
            g.wake = -1;
            m->staying[p] += q[k].persons;
        } else {
            mig_set_state(&g, JS_AGENT_TURNED);
        }
        mig_store(&m->agents, &g);
        mig_track(c, &g);
    }
}

/**
 * @brief Copies one slot of the pool to another.
 * @param a the pool
 * @param to destination slot
 * @param from source slot
 */
static inline void mig_copy_slot(struct js_agents *a, int64_t to, int64_t from)
{
    a->id[to] = a->id[from];
    a->pos[to] = a->pos[from];
    a->km[to] = a->km[from];
    a->origin[to] = a->origin[from];
    a->plan[to] = a->plan[from];
    a->wake[to] = a->wake[from];
    a->food[to] = a->food[from];
    a->days[to] = a->days[from];
    a->persons[to] = a->persons[from];
    a->cls[to] = a->cls[from];
    a->state[to] = a->state[from];
    a->recent[to] = a->recent[from];
}

/**
 * @brief Moves a run of slots down (overlapping allowed).
 * @param a the pool
 * @param to first destination slot
 * @param from first source slot
 * @param n slots
 */
static void mig_move_run(struct js_agents *a, int64_t to, int64_t from, int64_t n)
{
    size_t k = (size_t)n;
    memmove(&a->id[to], &a->id[from], k * sizeof(*a->id));
    memmove(&a->pos[to], &a->pos[from], k * sizeof(*a->pos));
    memmove(&a->km[to], &a->km[from], k * sizeof(*a->km));
    memmove(&a->origin[to], &a->origin[from], k * sizeof(*a->origin));
    memmove(&a->plan[to], &a->plan[from], k * sizeof(*a->plan));
    memmove(&a->wake[to], &a->wake[from], k * sizeof(*a->wake));
    memmove(&a->food[to], &a->food[from], k * sizeof(*a->food));
    memmove(&a->days[to], &a->days[from], k * sizeof(*a->days));
    memmove(&a->persons[to], &a->persons[from], k * sizeof(*a->persons));
    memmove(&a->cls[to], &a->cls[from], k * sizeof(*a->cls));
    memmove(&a->state[to], &a->state[from], k * sizeof(*a->state));
    memmove(&a->recent[to], &a->recent[from], k * sizeof(*a->recent));
}

/**
 * @brief Drops settled and dead agents, keeping the others in order: blocks compact in
 * parallel, then slide down. The pool's order changes nothing in the results (draws are keyed
 * on ids, requests sorted by ids).
 * @param a the pool
 */
static void mig_compact(struct js_agents *a)
{
    const int64_t n = a->n, nb = (n + MIG_COMPACT_BLOCK - 1) / MIG_COMPACT_BLOCK;
    int64_t *kept = js_xmalloc((size_t)(nb ? nb : 1) * sizeof(int64_t));
#pragma omp parallel for schedule(dynamic, 1) if (nb > 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t start = b * MIG_COMPACT_BLOCK, end = start + MIG_COMPACT_BLOCK, j = start;
        end = end < n ? end : n;
        for (int64_t i = start; i < end; i++) {
            if ((a->state[i] & JS_AGENT_STATE_MASK) >= JS_AGENT_SETTLED)
                continue;
            if (i != j)
                mig_copy_slot(a, j, i);
            j++;
        }
        kept[b] = j - start;
    }
    int64_t to = nb ? kept[0] : 0;
    for (int64_t b = 1; b < nb; b++) {
        mig_move_run(a, to, b * MIG_COMPACT_BLOCK, kept[b]);
        to += kept[b];
    }
    a->n = to;
    free(kept);
}

/**
 * @brief The day's read-only context.
 * @param w the world
 * @param d today
 * @param p parameters
 */
static struct mig_day mig_day_of(struct js_world *w, const struct js_day *d,
                                 const struct js_migration_params *p)
{
    struct mig_day c;
    c.w = w;
    c.p = p;
    c.arcs = w->migration.cache.arcs;
    c.places = w->migration.cache.today;
    c.rts = w->migration.cache.rts;
    c.rt_arcs = w->migration.cache.rt_arcs;
    c.cdf = w->migration.cache.cdf;
    c.day = (uint32_t)d->day;
    c.year = w->migration.flow ? d->date.year - w->migration.year0 : -1;
    c.pd_road = 1.0 - exp(-p->road_death_rate / MIG_DAYS_PER_YEAR);
    c.pd_hungry = 1.0 - exp(-p->hungry_death_rate);
    c.lq_road = -p->road_death_rate / MIG_DAYS_PER_YEAR;
    c.lq_hungry = -p->hungry_death_rate;
    c.ration = p->ration_sheng;
    c.stints = p->avoid_short_stints;
    c.quiet = w->migration.cache.quiet;
    uint8_t *quiet = w->migration.cache.quiet;
    for (int32_t i = 0; i < w->places.n; i++)
        quiet[i] = c.places[i].status_day != d->day && !(c.places[i].pdeath > 0.0);
    return c;
}

void js_migration_move(struct js_world *w, const struct js_day *d,
                       const struct js_migration_params *p)
{
    mig_prepare(w, d, p);
    struct js_migration *m = &w->migration;
    const int nt = omp_get_max_threads();
    mig_threads(w, nt);
    const struct mig_day c = mig_day_of(w, d, p);
    struct mig_local *L = js_xcalloc((size_t)nt, sizeof(*L));
    for (int t = 0; t < nt; t++) { /* every thread's slot, used or not */
        L[t].tid = t;
        mig_local_counts(w, &L[t]);
    }
    const int64_t n = m->agents.n;
#pragma omp parallel num_threads(nt) if (n > 8192)
    {
        struct mig_local me = L[omp_get_thread_num()]; /* on the stack: no false sharing */
        struct js_agents pool = m->agents;             /* its pointers stay in registers */
        const int64_t nb = (n + MIG_BLOCK - 1) / MIG_BLOCK;
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < nb; b++)
            mig_block_day(&c, &pool, b * MIG_BLOCK,
                          b * MIG_BLOCK + MIG_BLOCK < n ? b * MIG_BLOCK + MIG_BLOCK : n, &me);
        L[me.tid] = me;
    }
    mig_cross(&c, L);
    mig_sum_counts(w);
    mig_arrive(&c);
    int64_t deaths = 0, settled = 0, eaten = 0, food_settled = 0, food_lost = 0, removed = 0;
    for (int t = 0; t < nt; t++) {
        deaths += L[t].deaths;
        settled += L[t].settled;
        eaten += L[t].eaten;
        food_settled += L[t].food_settled;
        food_lost += L[t].food_lost;
        removed += L[t].removed;
    }
    free(L);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_DEATHS, deaths);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEES_SETTLE, settled);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_FOOD_EATEN, eaten);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_FOOD_SETTLED, food_settled);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_FOOD_LOST, food_lost);
    if (removed > 0 && (removed * 8 >= m->agents.n || m->agents.n < MIG_COMPACT_BLOCK))
        mig_compact(&m->agents);
}
