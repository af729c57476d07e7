/**
 * @file world_migration.c
 * @brief Allocation, checkpoint registration and census of the people modules' state.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

void js_world_migration_alloc(struct js_migration *m, int32_t n_places, int32_t n_routes)
{
    size_t np = (size_t)(n_places > 0 ? n_places : 1), nr = (size_t)(n_routes > 0 ? n_routes : 1);
    m->n_places = n_places;
    m->n_routes = n_routes;
    m->n_arcs = 2 * n_routes;
    m->type = js_xcalloc(np, sizeof(uint8_t));
    m->capacity = js_xcalloc(np, sizeof(int64_t));
    m->attract = js_xcalloc(np, sizeof(double));
    m->normal_pop = js_xcalloc(np, sizeof(int64_t));
    m->present = js_xcalloc(np, sizeof(int64_t));
    m->staying = js_xcalloc(np, sizeof(int64_t));
    m->settled = js_xcalloc(np, sizeof(int64_t));
    m->left = js_xcalloc(np, sizeof(int64_t));
    m->deaths = js_xcalloc(np * JS_NCAUSES, sizeof(int64_t));
    m->in_danger = js_xcalloc(np, sizeof(uint8_t));
    m->status_day = js_xcalloc(np, sizeof(int32_t));
    m->conflict_day = js_xcalloc(np, sizeof(int32_t));
    m->route_travelling = js_xcalloc(nr, sizeof(int64_t));
    m->route_queued = js_xcalloc(nr, sizeof(int64_t));
    for (size_t i = 0; i < np; i++) {
        m->attract[i] = 1.0;
        m->status_day[i] = -1;
        m->conflict_day[i] = -1;
    }
}

void js_world_migration_alloc_observed(struct js_migration *m, int32_t n_series, int32_t n_points)
{
    JS_ASSERT(n_series > 0 && !m->obs_place);
    m->n_obs = n_series;
    m->obs_place = js_xcalloc((size_t)n_series, sizeof(int32_t));
    m->obs_start = js_xcalloc((size_t)n_series + 1, sizeof(int32_t));
    m->obs_day = js_xcalloc((size_t)(n_points > 0 ? n_points : 1), sizeof(int32_t));
    m->obs_value = js_xcalloc((size_t)(n_points > 0 ? n_points : 1), sizeof(double));
}

void js_world_migration_alloc_flow(struct js_migration *m, int32_t year0, int32_t n_years)
{
    JS_ASSERT(n_years > 0 && !m->flow);
    m->year0 = year0;
    m->n_years = n_years;
    size_t np = (size_t)m->n_places;
    m->flow =
        js_xcalloc((size_t)n_years * np * np > 0 ? (size_t)n_years * np * np : 1, sizeof(int64_t));
}

void js_world_migration_alloc_tracks(struct js_migration *m, int32_t every, int32_t n)
{
    JS_ASSERT(every > 0 && n > 0 && !m->track_place);
    m->track_every = every;
    m->n_tracks = n;
    size_t k = (size_t)n;
    m->track_place = js_xmalloc(k * sizeof(int32_t));
    m->track_route = js_xmalloc(k * sizeof(int32_t));
    m->track_km = js_xcalloc(k, sizeof(float));
    m->track_persons = js_xcalloc(k, sizeof(int32_t));
    m->track_origin = js_xmalloc(k * sizeof(int32_t));
    m->track_state = js_xmalloc(k * sizeof(int8_t));
    for (size_t i = 0; i < k; i++) {
        m->track_place[i] = m->track_route[i] = m->track_origin[i] = -1;
        m->track_state[i] = -1;
    }
}

void js_agents_reserve(struct js_agents *a, int64_t need)
{
    if (need <= a->cap)
        return;
    int64_t cap = a->cap + a->cap / 2; /* amortised growth, or exactly what is asked for */
    if (cap < need)
        cap = need;
    size_t c = (size_t)cap;
    a->id = js_xrealloc(a->id, c * sizeof(*a->id));
    a->pos = js_xrealloc(a->pos, c * sizeof(*a->pos));
    a->km = js_xrealloc(a->km, c * sizeof(*a->km));
    a->origin = js_xrealloc(a->origin, c * sizeof(*a->origin));
    a->plan = js_xrealloc(a->plan, c * sizeof(*a->plan));
    a->wake = js_xrealloc(a->wake, c * sizeof(*a->wake));
    a->food = js_xrealloc(a->food, c * sizeof(*a->food));
    a->days = js_xrealloc(a->days, c * sizeof(*a->days));
    a->persons = js_xrealloc(a->persons, c * sizeof(*a->persons));
    a->cls = js_xrealloc(a->cls, c * sizeof(*a->cls));
    a->state = js_xrealloc(a->state, c * sizeof(*a->state));
    a->recent = js_xrealloc(a->recent, c * sizeof(*a->recent));
    a->cap = cap;
}

void js_world_migration_finish(struct js_world *w)
{
    struct js_migration *m = &w->migration;
    for (int32_t i = 0; i < m->n_places; i++)
        m->normal_pop[i] = js_world_place_population(w, i) + m->capacity[i];
}

/**
 * @brief Frees the derived tables.
 * @param c the cache
 */
static void migration_cache_free(struct js_migration_cache *c)
{
    free(c->rt_start);
    free(c->rt_arcs);
    free(c->rts);
    free(c->rt_km);
    free(c->rt_inv);
    free(c->cdf);
    free(c->score);
    free(c->danger);
    free(c->safe_days);
    free(c->today);
    free(c->quiet);
    free(c->arcs);
    free(c->court_days);
    free(c->room_left);
    free(c->spawn);
    free(c->spawn_at);
    free(c->counts);
    for (int t = 0; c->reqs && t < 2 * c->nthreads; t++)
        free(c->reqs[t]);
    free(c->reqs);
    free(c->req_n);
    free(c->req_cap);
    free(c->merged);
    free(c->merged2);
    memset(c, 0, sizeof(*c));
}

void js_world_migration_free(struct js_migration *m)
{
    struct js_agents *a = &m->agents;
    free(a->id);
    free(a->pos);
    free(a->km);
    free(a->origin);
    free(a->plan);
    free(a->wake);
    free(a->food);
    free(a->days);
    free(a->persons);
    free(a->cls);
    free(a->state);
    free(a->recent);
    free(m->type);
    free(m->capacity);
    free(m->attract);
    free(m->normal_pop);
    free(m->present);
    free(m->staying);
    free(m->settled);
    free(m->left);
    free(m->deaths);
    free(m->in_danger);
    free(m->status_day);
    free(m->conflict_day);
    free(m->obs_place);
    free(m->obs_start);
    free(m->obs_day);
    free(m->obs_value);
    free(m->route_travelling);
    free(m->route_queued);
    free(m->flow);
    free(m->track_place);
    free(m->track_route);
    free(m->track_km);
    free(m->track_persons);
    free(m->track_origin);
    free(m->track_state);
    migration_cache_free(&m->cache);
    memset(m, 0, sizeof(*m));
}

/**
 * @brief Visits one fixed-size array.
 * @param v visitor
 * @param ctx its context
 * @param name label
 * @param data address of the array pointer
 * @param elem bytes per element
 * @param count elements
 */
static void migration_visit(js_state_visitor v, void *ctx, const char *name, void **data,
                            size_t elem, int64_t count)
{
    struct js_state_array a = {name, data, elem, count, NULL, NULL, NULL, NULL};
    v(ctx, &a);
}

/**
 * @brief Makes room for @p count agents in every array of the pool (checkpoint restore).
 * @param owner the pool
 * @param count agents
 */
static void migration_reserve(void *owner, int64_t count)
{
    js_agents_reserve(owner, count);
}

/**
 * @brief Visits one array of the agent pool (they grow together: count and capacity shared).
 * @param v visitor
 * @param ctx its context
 * @param a the pool
 * @param name label
 * @param data address of the array pointer
 * @param elem bytes per element
 */
static void migration_visit_pool(js_state_visitor v, void *ctx, struct js_agents *a,
                                 const char *name, void **data, size_t elem)
{
    struct js_state_array s = {name, data, elem, a->n, &a->n, &a->cap, migration_reserve, a};
    v(ctx, &s);
}

void js_world_migration_visit(struct js_migration *m,
                              void (*v)(void *ctx, const struct js_state_array *a), void *ctx)
{
    void *next = &m->next_id;
    migration_visit(v, ctx, "migration.next_id", &next, sizeof(m->next_id), 1);
    struct js_agents *a = &m->agents;
    migration_visit_pool(v, ctx, a, "agents.id", (void **)&a->id, sizeof(*a->id));
    migration_visit_pool(v, ctx, a, "agents.pos", (void **)&a->pos, sizeof(*a->pos));
    migration_visit_pool(v, ctx, a, "agents.km", (void **)&a->km, sizeof(*a->km));
    migration_visit_pool(v, ctx, a, "agents.origin", (void **)&a->origin, sizeof(*a->origin));
    migration_visit_pool(v, ctx, a, "agents.plan", (void **)&a->plan, sizeof(*a->plan));
    migration_visit_pool(v, ctx, a, "agents.wake", (void **)&a->wake, sizeof(*a->wake));
    migration_visit_pool(v, ctx, a, "agents.food", (void **)&a->food, sizeof(*a->food));
    migration_visit_pool(v, ctx, a, "agents.days", (void **)&a->days, sizeof(*a->days));
    migration_visit_pool(v, ctx, a, "agents.persons", (void **)&a->persons, sizeof(*a->persons));
    migration_visit_pool(v, ctx, a, "agents.cls", (void **)&a->cls, sizeof(*a->cls));
    migration_visit_pool(v, ctx, a, "agents.state", (void **)&a->state, sizeof(*a->state));
    migration_visit_pool(v, ctx, a, "agents.recent", (void **)&a->recent, sizeof(*a->recent));
    int64_t np = m->n_places, nr = m->n_routes;
    migration_visit(v, ctx, "migration.present", (void **)&m->present, sizeof(int64_t), np);
    migration_visit(v, ctx, "migration.staying", (void **)&m->staying, sizeof(int64_t), np);
    migration_visit(v, ctx, "migration.settled", (void **)&m->settled, sizeof(int64_t), np);
    migration_visit(v, ctx, "migration.left", (void **)&m->left, sizeof(int64_t), np);
    migration_visit(v, ctx, "migration.deaths", (void **)&m->deaths, sizeof(int64_t),
                    np * JS_NCAUSES);
    migration_visit(v, ctx, "migration.in_danger", (void **)&m->in_danger, sizeof(uint8_t), np);
    migration_visit(v, ctx, "migration.status_day", (void **)&m->status_day, sizeof(int32_t), np);
    migration_visit(v, ctx, "migration.conflict_day", (void **)&m->conflict_day, sizeof(int32_t),
                    np);
    migration_visit(v, ctx, "migration.type", (void **)&m->type, sizeof(uint8_t), np);
    void *debt = &m->spawn_debt, *pending = &m->spawn_pending;
    migration_visit(v, ctx, "migration.spawn_debt", &debt, sizeof(int64_t), 1);
    migration_visit(v, ctx, "migration.spawn_pending", &pending, sizeof(int64_t), 1);
    migration_visit(v, ctx, "migration.route_travelling", (void **)&m->route_travelling,
                    sizeof(int64_t), nr);
    migration_visit(v, ctx, "migration.route_queued", (void **)&m->route_queued, sizeof(int64_t),
                    nr);
    if (m->flow)
        migration_visit(v, ctx, "migration.flow", (void **)&m->flow, sizeof(int64_t),
                        (int64_t)m->n_years * np * np);
    if (m->n_tracks > 0) {
        int64_t k = m->n_tracks;
        migration_visit(v, ctx, "tracks.place", (void **)&m->track_place, sizeof(int32_t), k);
        migration_visit(v, ctx, "tracks.route", (void **)&m->track_route, sizeof(int32_t), k);
        migration_visit(v, ctx, "tracks.km", (void **)&m->track_km, sizeof(float), k);
        migration_visit(v, ctx, "tracks.persons", (void **)&m->track_persons, sizeof(int32_t), k);
        migration_visit(v, ctx, "tracks.origin", (void **)&m->track_origin, sizeof(int32_t), k);
        migration_visit(v, ctx, "tracks.state", (void **)&m->track_state, sizeof(int8_t), k);
    }
}

void js_world_migration_census(const struct js_migration *m, struct js_census *out)
{
    const struct js_agents *a = &m->agents;
    int64_t persons = 0, food = 0;
    const int64_t n = a->n;
#pragma omp parallel for schedule(static) if (n > 65536) reduction(+ : persons, food)
    for (int64_t i = 0; i < n; i++) {
        persons += a->persons[i];
        food += a->food[i];
    }
    out->s[JS_Q_PERSONS][JS_H_REFUGEES] += persons;
    out->s[JS_Q_GRAIN][JS_H_REFUGEES] += food;
}

const char *js_mig_type_name(enum js_mig_type t)
{
    static const char *names[JS_NMIG_TYPES] = {"town", "refuge", "idp_refuge", "hub", "marker"};
    return (unsigned)t < JS_NMIG_TYPES ? names[t] : "?";
}

const char *js_death_cause_name(enum js_death_cause c)
{
    static const char *names[JS_NCAUSES] = {"baseline", "famine", "epidemic", "violence"};
    return (unsigned)c < JS_NCAUSES ? names[c] : "?";
}

const char *js_agent_state_name(enum js_agent_state s)
{
    static const char *names[JS_NAGENT_STATES] = {"road",     "stay",    "turned", "queue",
                                                  "arriving", "settled", "dead"};
    return (unsigned)s < JS_NAGENT_STATES ? names[s] : "?";
}
