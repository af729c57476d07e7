/**
 * @file migration.c
 * @brief Refugees, part 1: the route table, the daily status of places and the route weights
 * (shared preparation), and the flight decisions that create agents.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "migration_internal.h"

/* ---------------------------------------------------------------- route table */

/** @brief State of the depth-first enumeration of a place's candidate routes. */
struct mig_dfs {
    const struct js_graph *g;       /**< the graph */
    const double *km;               /**< route lengths */
    const uint8_t *type;            /**< place types */
    int32_t awareness;              /**< hops */
    int32_t start;                  /**< the place */
    int32_t path[JS_MIG_MAX_ARCS];  /**< arcs of the current path */
    int32_t nodes[JS_MIG_MAX_ARCS]; /**< places reached by them */
    struct js_migration_cache *c;   /**< where routes go (NULL: count only) */
    int64_t n;                      /**< routes found */
    int64_t narcs;                  /**< arcs of the routes found */
};

/**
 * @brief Records the current path as a candidate route.
 * @param s enumeration state
 * @param len arcs in the path
 * @param km its length
 */
static void mig_dfs_emit(struct mig_dfs *s, int len, double km)
{
    if (s->c) {
        struct js_migration_cache *c = s->c;
        struct mig_rt *rt = &((struct mig_rt *)c->rts)[s->n];
        rt->arc0 = (int32_t)s->narcs;
        rt->first = s->path[0];
        rt->len = len;
        rt->dest = s->nodes[len - 1];
        for (int k = 0; k < len; k++)
            c->rt_arcs[s->narcs + k] = s->path[k];
        c->rt_km[s->n] = km;
    }
    s->n++;
    s->narcs += len;
}

/**
 * @brief Extends the path from its last place: every simple path of at most `awareness` hops
 * is a candidate; markers are passed through without a candidate and without using a hop.
 * @param s enumeration state
 * @param at the place the path has reached
 * @param hops hops used
 * @param len arcs in the path
 * @param km its length
 */
static void mig_dfs_extend(struct mig_dfs *s, int32_t at, int hops, int len, double km)
{
    const struct js_graph *g = s->g;
    if (len == JS_MIG_MAX_ARCS)
        return;
    for (int32_t k = g->out_start[at]; k < g->out_start[at + 1]; k++) {
        int32_t a = g->out_arcs[k], v = g->arcs[a].to;
        bool seen = v == s->start;
        for (int q = 0; q < len && !seen; q++)
            seen = s->nodes[q] == v;
        if (seen)
            continue;
        s->path[len] = a;
        s->nodes[len] = v;
        double d = km + s->km[g->arcs[a].route];
        if (s->type[v] == JS_MIG_MARKER) {
            mig_dfs_extend(s, v, hops, len + 1, d);
            continue;
        }
        mig_dfs_emit(s, len + 1, d);
        if (hops + 1 < s->awareness)
            mig_dfs_extend(s, v, hops + 1, len + 1, d);
    }
}

void js_migration_build_routes(struct js_world *w, const struct js_migration_params *p)
{
    struct js_migration *m = &w->migration;
    struct js_migration_cache *c = &m->cache;
    if (c->built)
        return;
    struct mig_dfs s = {
        .g = &w->graph, .km = w->routes.km, .type = m->type, .awareness = p->awareness};
    int32_t np = w->places.n;
    for (int32_t i = 0; i < np; i++) { /* count */
        s.start = i;
        mig_dfs_extend(&s, i, 0, 0, 0.0);
    }
    c->n_rt = s.n;
    c->rt_start = js_xmalloc(((size_t)np + 1) * sizeof(int32_t));
    c->rts = js_xcalloc((size_t)s.n + 1, sizeof(struct mig_rt));
    c->rt_arcs = js_xmalloc((size_t)(s.narcs ? s.narcs : 1) * sizeof(int32_t));
    c->rt_km = js_xmalloc((size_t)(s.n ? s.n : 1) * sizeof(double));
    c->rt_inv = js_xmalloc((size_t)(s.n ? s.n : 1) * sizeof(double));
    c->cdf = js_xmalloc((size_t)(s.n ? s.n : 1) * JS_NCLASSES * sizeof(float));
    JS_ASSERT(s.n < INT32_MAX && s.narcs < INT32_MAX);
    s.c = c;
    s.n = s.narcs = 0;
    for (int32_t i = 0; i < np; i++) { /* fill */
        c->rt_start[i] = (int32_t)s.n;
        s.start = i;
        mig_dfs_extend(&s, i, 0, 0, 0.0);
    }
    c->rt_start[np] = (int32_t)s.n;
    ((struct mig_rt *)c->rts)[s.n].arc0 = (int32_t)s.narcs;
    for (int64_t r = 0; r < s.n; r++)
        c->rt_inv[r] = 1.0 / pow(p->softening_km + c->rt_km[r], p->distance_power);
    c->built = 1;
}

/* ---------------------------------------------------------------- daily preparation */

/**
 * @brief Allocates the per-place and per-arc tables of the cache (once).
 * @param w the world
 */
static void mig_cache_alloc(struct js_world *w)
{
    struct js_migration_cache *c = &w->migration.cache;
    if (c->today)
        return;
    size_t np = (size_t)(w->places.n ? w->places.n : 1);
    size_t na = (size_t)(w->graph.n_arcs ? w->graph.n_arcs : 1);
    size_t nr = (size_t)(w->routes.n ? w->routes.n : 1);
    c->score = js_xcalloc(np * JS_NCLASSES, sizeof(double));
    c->today = js_xcalloc(np, sizeof(struct mig_place));
    c->quiet = js_xcalloc(np, sizeof(uint8_t));
    c->danger = js_xcalloc(np, sizeof(double));
    c->safe_days = js_xcalloc(np, sizeof(double));
    c->arcs = js_xcalloc(na, sizeof(struct mig_arc));
    c->room_left = js_xcalloc(nr, sizeof(int64_t));
    c->spawn = js_xcalloc(np * JS_NCLASSES, sizeof(int64_t));
    c->spawn_at = js_xcalloc(np * JS_NCLASSES + 1, sizeof(int64_t));
    c->n_courts = w->factions.n;
    c->court_days = js_xcalloc((size_t)(c->n_courts ? c->n_courts : 1), sizeof(double *));
}

/**
 * @brief The arcs as walkers see them today: speed from the graph's travel days (0 if closed).
 * @param w the world
 * @param d today
 */
static void mig_prepare_arcs(struct js_world *w, const struct js_day *d)
{
    struct mig_arc *arcs = w->migration.cache.arcs;
    const struct js_graph *g = &w->graph;
    for (int32_t a = 0; a < g->n_arcs; a++) {
        int32_t r = g->arcs[a].route;
        double days = js_graph_arc_days(g, a, JS_MOVER_WALKER, d->season);
        struct mig_arc *x = &arcs[a];
        x->to = g->arcs[a].to;
        x->rl = (uint32_t)r | (w->routes.capacity[r] > 0 ? 1u << 31 : 0u);
        x->km = (float)w->routes.km[r];
        double v = isfinite(days) && days > 0 ? w->routes.km[r] / days
                   : isfinite(days)           ? 1e30
                                              : 0.0;
        x->speed = w->routes.closed[r] ? 0.0f : (float)v;
    }
    for (int32_t r = 0; r < w->routes.n; r++)
        w->migration.cache.room_left[r] = (int64_t)floor(w->routes.capacity[r]);
}

/**
 * @brief The capacity multiplier of route weights (FLEE's linear ramp from capacity_buffer ×
 * capacity to capacity; 1 without a capacity).
 * @param m the state
 * @param i the place
 * @param buffer capacity_buffer
 */
static double mig_capm(const struct js_migration *m, int32_t i, double buffer, double scaling)
{
    double cap = (double)m->capacity[i] * scaling;
    if (cap < 1.0)
        return 1.0;
    double occ = (double)(m->settled[i] + m->staying[i]);
    if (occ <= buffer * cap)
        return 1.0;
    if (occ >= cap || buffer >= 1.0)
        return 0.0;
    return 1.0 - (occ - buffer * cap) / (cap * (1.0 - buffer));
}

/**
 * @brief One place's status today: danger, conflict zone or not (and the day that changed),
 * move and settle chances by class, death probability, capacity multiplier, attractiveness.
 * Writes only the place's own slots.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i the place
 */
static void mig_place_status(struct js_world *w, const struct js_day *d,
                             const struct js_migration_params *p, int32_t i)
{
    struct js_migration *m = &w->migration;
    struct js_migration_cache *c = &m->cache;
    struct mig_place *t = &((struct mig_place *)c->today)[i];
    double danger = w->places.conflict[i];
    if (w->places.threat[i] > danger)
        danger = w->places.threat[i];
    c->danger[i] = danger;
    uint8_t hot = danger > p->danger_threshold;
    if (hot != m->in_danger[i] || m->status_day[i] < 0) {
        if (hot && (!m->in_danger[i] || m->conflict_day[i] < 0))
            m->conflict_day[i] = d->day;
        m->in_danger[i] = hot;
        m->status_day[i] = d->day;
    }
    int type = m->type[i];
    int32_t owner = w->places.owner[i];
    bool court = owner >= 0 && w->factions.capital[owner] == i;
    double mc = hot ? p->conflict_move_chance : p->move_chance[type];
    double s_type = hot ? 0.0 : p->settle_chance[type];
    double score = p->type_weight[type] * m->attract[i];
    if (hot) /* FLEE: conflict_weight^(decay × intensity): old conflicts repel less */
        score *=
            pow(p->conflict_weight, danger * js_migration_decay(p, d->day - m->conflict_day[i]));
    t->rt0 = c->rt_start[i];
    t->nrt = c->rt_start[i + 1] - c->rt_start[i];
    t->status_day = m->status_day[i];
    t->limited = m->capacity[i] > 0;
    t->town = !hot && type == JS_MIG_TOWN;
    for (int k = 0; k < JS_NCLASSES; k++) {
        double s = s_type * p->cls[k].settle, mck = mc;
        s = s > 1.0 ? 1.0 : s;
        if (!hot && !court && p->cls[k].court_move > mck) /* the elite go on to the court */
            mck = p->cls[k].court_move;
        double q = s + (1.0 - s) * mck;
        t->event_p[k] = (float)q;
        t->settle_frac[k] = q > 0 ? (float)(s / q) : 0.0f;
        c->score[(size_t)i * JS_NCLASSES + (size_t)k] = score;
    }
    double h[JS_NCAUSES], total = 0.0;
    js_demography_hazards(w, i, d, &p->demography, h);
    for (int k = 0; k < JS_NCAUSES; k++)
        total += h[k];
    t->pdeath = 1.0 - exp(-total);
    t->capm = (float)mig_capm(m, i, p->capacity_buffer, p->capacity_scaling);
}

/**
 * @brief The cumulative route weights of one place for every class. A route is open if
 * every arc is; when no open route has weight, every open route weighs the same (FLEE).
 * @param w the world
 * @param p parameters
 * @param i the place
 */
static void mig_place_weights(struct js_world *w, const struct js_migration_params *p, int32_t i)
{
    struct js_migration_cache *c = &w->migration.cache;
    const struct mig_arc *arcs = c->arcs;
    const struct mig_rt *rts = c->rts;
    const struct mig_place *today = c->today;
    int32_t r0 = c->rt_start[i], nrt = c->rt_start[i + 1] - r0;
    if (nrt == 0)
        return;
    int32_t f = w->places.owner[i];
    const double *court = f >= 0 && f < c->n_courts ? c->court_days[f] : NULL;
    const double *safe = p->safety_weight != 1.0 ? c->safe_days : NULL;
    for (int k = 0; k < JS_NCLASSES; k++) {
        float *cdf = &c->cdf[(size_t)r0 * JS_NCLASSES + (size_t)k * (size_t)nrt];
        double total = 0.0;
        for (int pass = 0; pass < 2 && total <= 0.0; pass++) {
            total = 0.0;
            for (int32_t q = 0; q < nrt; q++) {
                const struct mig_rt *rt = &rts[r0 + q];
                int32_t j = rt->dest;
                bool open = true;
                for (int32_t e = rt->arc0; e < rt->arc0 + rt->len && open; e++)
                    open = arcs[c->rt_arcs[e]].speed > 0;
                double wt = 0.0;
                if (open && pass == 1) {
                    wt = 1.0;
                } else if (open) {
                    double s = c->score[(size_t)j * JS_NCLASSES + (size_t)k];
                    if (court && court[j] < court[i])
                        s *= p->cls[k].court_weight;
                    if (safe && safe[j] < safe[i])
                        s *= p->safety_weight;
                    wt = (p->weight_softening + s) * c->rt_inv[r0 + q] * today[j].capm;
                    if (p->weight_power != 1.0)
                        wt = pow(wt, p->weight_power);
                }
                total += wt;
                cdf[q] = (float)total;
            }
        }
    }
}

/** @brief An entry of the heap of the safety Dijkstra. */
struct mig_heap_item {
    double days;  /**< tentative days */
    int32_t node; /**< place */
};

/**
 * @brief Sifts the last entry of a binary min-heap up.
 * @param h the heap
 * @param n its size
 */
static void mig_heap_up(struct mig_heap_item *h, size_t n)
{
    for (size_t i = n - 1; i > 0;) {
        size_t up = (i - 1) / 2;
        if (h[up].days < h[i].days || (h[up].days == h[i].days && h[up].node <= h[i].node))
            break;
        struct mig_heap_item t = h[i];
        h[i] = h[up];
        h[up] = t;
        i = up;
    }
}

/**
 * @brief Removes the least entry of a binary min-heap.
 * @param h the heap
 * @param n its size (decremented)
 * @return the entry
 */
static struct mig_heap_item mig_heap_pop(struct mig_heap_item *h, size_t *n)
{
    struct mig_heap_item top = h[0];
    h[0] = h[--*n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && (h[l].days < h[m].days || (h[l].days == h[m].days && h[l].node < h[m].node)))
            m = l;
        if (r < *n && (h[r].days < h[m].days || (h[r].days == h[m].days && h[r].node < h[m].node)))
            m = r;
        if (m == i)
            break;
        struct mig_heap_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

/**
 * @brief Walking days from every place to the nearest refuge out of danger: Dijkstra from all
 * of them at once over the arcs backwards (a binary heap). For the safety weight of route choice.
 * @param w the world
 * @param d today
 */
static void mig_safety(struct js_world *w, const struct js_day *d)
{
    struct js_migration *m = &w->migration;
    double *dist = m->cache.safe_days;
    const struct js_graph *g = &w->graph;
    const int32_t n = w->places.n;
    size_t cap = (size_t)g->n_arcs + (size_t)n + 1, hn = 0;
    struct mig_heap_item *heap = js_xmalloc(cap * sizeof(*heap));
    for (int32_t i = 0; i < n; i++) {
        bool refuge = m->type[i] == JS_MIG_REFUGE || m->type[i] == JS_MIG_IDP_REFUGE;
        dist[i] = refuge && !m->in_danger[i] ? 0.0 : INFINITY;
        if (dist[i] == 0.0) {
            heap[hn++] = (struct mig_heap_item){0.0, i};
            mig_heap_up(heap, hn);
        }
    }
    while (hn > 0) {
        struct mig_heap_item it = mig_heap_pop(heap, &hn);
        if (it.days > dist[it.node])
            continue; /* a stale entry */
        for (int32_t k = g->in_start[it.node]; k < g->in_start[it.node + 1]; k++) {
            int32_t a = g->in_arcs[k], v = g->arcs[a].from;
            double t = it.days + js_graph_arc_days(g, a, JS_MOVER_WALKER, d->season);
            if (t < dist[v]) {
                dist[v] = t;
                JS_ASSERT(hn < cap);
                heap[hn++] = (struct mig_heap_item){t, v};
                mig_heap_up(heap, hn);
            }
        }
    }
    free(heap);
}

void mig_prepare(struct js_world *w, const struct js_day *d, const struct js_migration_params *p)
{
    struct js_migration_cache *c = &w->migration.cache;
    if (c->prepared == d->day + 1)
        return;
    c->prepared = d->day + 1;
    js_migration_build_routes(w, p);
    mig_cache_alloc(w);
    mig_prepare_arcs(w, d);
    for (int32_t f = 0; f < w->factions.n; f++) { /* trees are filled serially */
        int32_t cap = w->factions.capital[f];
        c->court_days[f] =
            cap >= 0 ? js_graph_tree(&w->graph, cap, JS_MOVER_WALKER, d->season, JS_TO_ROOT)->days
                     : NULL;
    }
    const int32_t np = w->places.n;
#pragma omp parallel for schedule(dynamic, 64) if (np > 256)
    for (int32_t i = 0; i < np; i++)
        mig_place_status(w, d, p, i);
    if (p->safety_weight != 1.0)
        mig_safety(w, d);
#pragma omp parallel for schedule(dynamic, 64) if (np > 256)
    for (int32_t i = 0; i < np; i++)
        mig_place_weights(w, p, i);
}

/* ---------------------------------------------------------------- new agents */

int64_t mig_fill_agents(struct js_world *w, const struct js_migration_params *p, int64_t slot,
                        uint32_t id, int32_t place, int cls, int64_t persons, int64_t *grain,
                        int state)
{
    struct js_migration *m = &w->migration;
    struct js_agents *a = &m->agents;
    int32_t ppa = p->persons_per_agent;
    int64_t taken = 0;
    for (int64_t left = persons; left > 0; left -= ppa, slot++, id++) {
        int n = (int)(left < ppa ? left : ppa);
        double want = p->food_days * p->ration_sheng * n;
        int64_t food = (int64_t)(want < 65535.0 ? want : 65535.0);
        if (!grain || food > *grain)
            food = grain ? *grain : 0;
        if (grain)
            *grain -= food;
        taken += food;
        a->id[slot] = id;
        a->pos[slot] = place;
        a->km[slot] = 0.0f;
        a->origin[slot] = place;
        a->plan[slot] = -1;
        a->wake[slot] = -1;
        a->food[slot] = (uint16_t)food;
        a->days[slot] = 0;
        a->persons[slot] = (uint8_t)n;
        a->cls[slot] = (uint8_t)cls;
        a->state[slot] = (uint8_t)state; /* one that fled moves on its first day (TURNED) */
        a->recent[slot] = 0;
        if (m->track_every > 0 && id % (uint32_t)m->track_every == 0 &&
            id / (uint32_t)m->track_every < (uint32_t)m->n_tracks) {
            uint32_t t = id / (uint32_t)m->track_every;
            a->state[slot] |= JS_AGENT_TRACKED;
            m->track_origin[t] = place;
            m->track_place[t] = place;
            m->track_persons[t] = n;
            m->track_state[t] = (int8_t)state;
        }
    }
    return taken;
}

int64_t js_migration_add(struct js_world *w, const struct js_migration_params *p, int32_t place,
                         int cls, int64_t persons, bool from_population)
{
    return mig_add(w, p, place, cls, persons, from_population, false);
}

int64_t mig_add(struct js_world *w, const struct js_migration_params *p, int32_t place, int cls,
                int64_t persons, bool from_population, bool staying)
{
    JS_ASSERT(place >= 0 && place < w->places.n && cls >= 0 && cls < JS_NCLASSES);
    struct js_migration *m = &w->migration;
    int64_t *pop = &w->places.pop[(size_t)place * JS_NCLASSES + (size_t)cls];
    if (from_population && persons > *pop)
        persons = *pop;
    if (persons <= 0)
        return 0;
    int64_t na = mig_agents_for(persons, p->persons_per_agent);
    JS_ASSERT((int64_t)m->next_id + na < (int64_t)UINT32_MAX);
    js_agents_reserve(&m->agents, m->agents.n + na);
    int64_t *grain = from_population ? &w->places.grain[place] : NULL;
    int64_t food = mig_fill_agents(w, p, m->agents.n, m->next_id, place, cls, persons, grain,
                                   staying ? JS_AGENT_STAY : JS_AGENT_TURNED);
    m->agents.n += na;
    m->next_id += (uint32_t)na;
    if (from_population) {
        *pop -= persons;
        m->left[place] += persons;
        js_ledger_add(&w->ledger, JS_FLOW_REFUGEES_FLEE, persons);
        js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_FOOD_TAKEN, food);
    } else {
        js_ledger_add(&w->ledger, JS_FLOW_REFUGEES_ENTER, persons);
    }
    return persons;
}

/* ---------------------------------------------------------------- flight */

/**
 * @brief Danger that counts: above the threshold, else 0.
 * @param danger max(conflict, threat)
 * @param thr threshold
 */
static double mig_gate(double danger, double thr)
{
    return danger > thr ? danger : 0.0;
}

/**
 * @brief The danger that drives flight from a place: above the threshold, and fading with the
 * time since the danger began (FLEE's conflict decay: those who would leave have left).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i the place
 */
static double mig_push(const struct js_world *w, const struct js_day *d,
                       const struct js_migration_params *p, int32_t i)
{
    double x = mig_gate(w->migration.cache.danger[i], p->danger_threshold);
    int32_t since = d->day - w->migration.conflict_day[i];
    if (x > 0.0 && p->decay_days > 0.0)
        x *= exp(-(double)since / p->decay_days);
    return x > 0.0 ? x * js_migration_decay(p, since) : x;
}

/**
 * @brief How many of each class flee one place today (writes the place's own slots).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i the place
 * @return persons fleeing
 */
static int64_t mig_flee_place(struct js_world *w, const struct js_day *d,
                              const struct js_migration_params *p, int32_t i)
{
    struct js_migration_cache *c = &w->migration.cache;
    const struct js_graph *g = &w->graph;
    double push = mig_push(w, d, p, i), near = 0.0;
    for (int32_t k = g->out_start[i]; k < g->out_start[i + 1]; k++) {
        double x = mig_push(w, d, p, g->arcs[g->out_arcs[k]].to);
        near = x > near ? x : near;
    }
    near *= p->neighbour_weight;
    push = near > push ? near : push;
    double fr = w->places.food_ratio[i], famine = 0.0;
    if (p->famine_threshold > 0 && fr < p->famine_threshold)
        famine = (p->famine_threshold - (fr > 0 ? fr : 0)) / p->famine_threshold;
    double base = p->flight_rate * push + p->famine_flight_rate * famine;
    int64_t *pop = &w->places.pop[(size_t)i * JS_NCLASSES];
    int64_t *out = &c->spawn[(size_t)i * JS_NCLASSES], fled = 0;
    /* people shut inside besieged walls cannot leave */
    double inside = js_world_siege_inside_share(w, i);
    gsl_rng *r = NULL;
    struct js_rng rng;
    for (int k = 0; k < JS_NCLASSES; k++) {
        out[k] = 0;
        double h = base * p->cls[k].flight;
        int64_t free = pop[k] - (int64_t)floor((double)pop[k] * inside);
        if (h <= 0.0 || free <= 0)
            continue;
        if (!r) {
            js_rng_init(&rng);
            r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_PLACE,
                              (uint32_t)i, JS_PURPOSE(JS_RNGMOD_MIGRATION, JS_MIG_SPAWN));
        }
        /* GSL's binomial takes an unsigned int count: places stay far below 2^32. */
        out[k] = gsl_ran_binomial(r, 1.0 - exp(-h), (unsigned int)free);
        pop[k] -= out[k];
        fled += out[k];
    }
    w->migration.left[i] += fled;
    return fled;
}

/**
 * @brief Gives every (place, class) with people fleeing its first slot and reserves the pool.
 * @param w the world
 * @param p parameters
 * @return agents created
 */
static int64_t mig_spawn_slots(struct js_world *w, const struct js_migration_params *p)
{
    struct js_migration *m = &w->migration;
    struct js_migration_cache *c = &m->cache;
    size_t n = (size_t)w->places.n * JS_NCLASSES;
    int64_t total = 0;
    for (size_t k = 0; k < n; k++) {
        c->spawn_at[k] = total;
        total += mig_agents_for(c->spawn[k], p->persons_per_agent);
    }
    c->spawn_at[n] = total;
    JS_ASSERT((int64_t)m->next_id + total < (int64_t)UINT32_MAX);
    js_agents_reserve(&m->agents, m->agents.n + total);
    return total;
}

void js_migration_spawn(struct js_world *w, const struct js_day *d,
                        const struct js_migration_params *p)
{
    mig_prepare(w, d, p);
    if (p->spawn_mode == JS_MIG_SPAWN_DATA) {
        mig_spawn_data(w, d, p);
        return;
    }
    struct js_migration *m = &w->migration;
    struct js_migration_cache *c = &m->cache;
    const int32_t np = w->places.n;
    int64_t fled = 0, food = 0;
#pragma omp parallel for schedule(dynamic, 64) if (np > 256) reduction(+ : fled)
    for (int32_t i = 0; i < np; i++)
        fled += mig_flee_place(w, d, p, i);
    if (fled == 0)
        return;
    int64_t created = mig_spawn_slots(w, p);
    const int64_t slot0 = m->agents.n;
    const uint32_t id0 = m->next_id;
#pragma omp parallel for schedule(dynamic, 64) if (np > 256) reduction(+ : food)
    for (int32_t i = 0; i < np; i++) {
        for (int k = 0; k < JS_NCLASSES; k++) {
            size_t at = (size_t)i * JS_NCLASSES + (size_t)k;
            if (c->spawn[at] > 0)
                food +=
                    mig_fill_agents(w, p, slot0 + c->spawn_at[at], id0 + (uint32_t)c->spawn_at[at],
                                    i, k, c->spawn[at], &w->places.grain[i], JS_AGENT_TURNED);
        }
    }
    m->agents.n += created;
    m->next_id += (uint32_t)created;
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEES_FLEE, fled);
    js_ledger_add(&w->ledger, JS_FLOW_REFUGEE_FOOD_TAKEN, food);
}

void js_migration_agent_block(const struct js_world *w, uint32_t day, uint32_t id, uint32_t n,
                              uint32_t out[4])
{
    struct mig_draw r;
    mig_draw_init(&r, w, day, id, n);
    mig_draw_block(&r);
    memcpy(out, r.w, sizeof(r.w));
}

double js_migration_decay(const struct js_migration_params *p, int32_t days)
{
    if (p->n_decay <= 0)
        return 1.0;
    int32_t k = days < 0 ? 0 : days / p->decay_interval;
    return p->decay[k < p->n_decay ? k : p->n_decay - 1];
}

void js_migration_set_type(struct js_world *w, int32_t place, int type)
{
    struct js_migration *m = &w->migration;
    JS_ASSERT(place >= 0 && place < m->n_places && type >= 0 && type < JS_NMIG_TYPES &&
              type != JS_MIG_MARKER && m->type[place] != JS_MIG_MARKER);
    if (m->type[place] == (uint8_t)type)
        return;
    m->type[place] = (uint8_t)type;
    m->status_day[place] = -1; /* its chances change today: sleeping agents draw again */
}
