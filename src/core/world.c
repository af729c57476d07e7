/**
 * @file world.c
 * @brief Allocation of the entity tables, the census, and the event log.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

void js_world_alloc(struct js_world *w, int32_t n_places, int32_t n_factions, int32_t n_routes)
{
    JS_ASSERT(n_places >= 0 && n_factions >= 0 && n_routes >= 0);
    size_t np = (size_t)n_places, nf = (size_t)n_factions, nr = (size_t)n_routes;

    struct js_places *p = &w->places;
    p->n = n_places;
    p->id = js_xcalloc(np, sizeof(char *));
    p->name = js_xcalloc(np, sizeof(char *));
    p->lat = js_xcalloc(np, sizeof(double));
    p->lon = js_xcalloc(np, sizeof(double));
    p->kind = js_xcalloc(np, sizeof(uint8_t));
    p->owner = js_xcalloc(np, sizeof(int32_t));
    p->pop = js_xcalloc(np * JS_NCLASSES, sizeof(int64_t));
    p->walls = js_xcalloc(np, sizeof(double));
    p->grain = js_xcalloc(np, sizeof(int64_t));
    p->food_ratio = js_xcalloc(np, sizeof(double));
    p->nutrition = js_xcalloc(np, sizeof(double));
    p->conflict = js_xcalloc(np, sizeof(double));
    p->threat = js_xcalloc(np, sizeof(double));
    for (size_t i = 0; i < np; i++) {
        p->owner[i] = -1;
        p->food_ratio[i] = 1.0;
    }

    struct js_factions *f = &w->factions;
    f->n = n_factions;
    f->id = js_xcalloc(nf, sizeof(char *));
    f->name = js_xcalloc(nf, sizeof(char *));
    f->capital = js_xcalloc(nf, sizeof(int32_t));
    for (size_t i = 0; i < nf; i++)
        f->capital[i] = -1;

    struct js_routes *r = &w->routes;
    r->n = n_routes;
    r->id = js_xcalloc(nr, sizeof(char *));
    r->from = js_xcalloc(nr, sizeof(int32_t));
    r->to = js_xcalloc(nr, sizeof(int32_t));
    r->kind = js_xcalloc(nr, sizeof(uint8_t));
    r->terrain = js_xcalloc(nr, sizeof(uint8_t));
    r->km = js_xcalloc(nr, sizeof(double));
    r->capacity = js_xcalloc(nr, sizeof(double));
    r->crossing_days = js_xcalloc(nr, sizeof(double));
    r->downstream = js_xcalloc(nr, sizeof(int8_t));
    r->forest = js_xcalloc(nr, sizeof(uint8_t));
    r->closed = js_xcalloc(nr, sizeof(uint8_t));
    r->river = js_xcalloc(nr, sizeof(char *));
    r->seasonal = js_xcalloc(nr * JS_NSEASONS, sizeof(double));
    for (size_t i = 0; i < nr * JS_NSEASONS; i++)
        r->seasonal[i] = 1.0;
    for (size_t i = 0; i < nr; i++)
        r->crossing_days[i] = -1.0;
    js_world_economy_alloc(w);
    js_world_migration_alloc(&w->migration, n_places, n_routes);
    js_world_siege_alloc(w);
}

void js_world_finish(struct js_world *w)
{
    js_graph_init(&w->graph, w->places.n, &w->routes, &w->graph_params);
    js_world_migration_finish(w);
    struct js_census census;
    js_world_census(w, &census);
    js_ledger_init(&w->ledger, &census);
}

/**
 * @brief Frees an array of strings and the array.
 * @param s the strings
 * @param n how many
 */
static void world_free_strings(char **s, int32_t n)
{
    if (!s)
        return;
    for (int32_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void js_world_free(struct js_world *w)
{
    struct js_places *p = &w->places;
    world_free_strings(p->id, p->n);
    world_free_strings(p->name, p->n);
    free(p->lat);
    free(p->lon);
    free(p->kind);
    free(p->owner);
    free(p->pop);
    free(p->walls);
    free(p->grain);
    free(p->food_ratio);
    free(p->nutrition);
    free(p->conflict);
    free(p->threat);

    struct js_factions *f = &w->factions;
    world_free_strings(f->id, f->n);
    world_free_strings(f->name, f->n);
    free(f->capital);

    struct js_routes *r = &w->routes;
    world_free_strings(r->id, r->n);
    free(r->from);
    free(r->to);
    free(r->kind);
    free(r->terrain);
    free(r->km);
    free(r->capacity);
    free(r->crossing_days);
    free(r->downstream);
    free(r->forest);
    free(r->closed);
    world_free_strings(r->river, r->n);
    free(r->seasonal);

    js_world_economy_free(w);
    js_world_siege_free(w);
    js_graph_free(&w->graph);
    js_armies_free(&w->armies);
    js_world_migration_free(&w->migration);
    free(w->events.rows);
    memset(w, 0, sizeof(*w));
}

void js_world_census(const struct js_world *w, struct js_census *out)
{
    memset(out, 0, sizeof(*out));
    int64_t persons = 0;
    const int64_t *pop = w->places.pop;
    int64_t n = (int64_t)w->places.n * JS_NCLASSES;
    for (int64_t i = 0; i < n; i++)
        persons += pop[i];
    out->s[JS_Q_PERSONS][JS_H_PLACES] = persons;
    int64_t grain = 0;
    for (int32_t i = 0; i < w->places.n; i++)
        grain += w->places.grain[i];
    out->s[JS_Q_GRAIN][JS_H_PLACES] = grain;
    js_armies_census(&w->armies, out);
    js_world_economy_census(w, out);
    js_world_migration_census(&w->migration, out);
    js_world_siege_census(w, out);
}

/**
 * @brief Visits a fixed-size state array.
 * @param v visitor
 * @param ctx its context
 * @param name label
 * @param data_addr address of the array pointer
 * @param elem bytes per element
 * @param count elements
 */
static void world_visit(js_state_visitor v, void *ctx, const char *name, void **data_addr,
                        size_t elem, int64_t count)
{
    struct js_state_array a = {name, data_addr, elem, count, NULL, NULL, NULL, NULL};
    v(ctx, &a);
}

void js_world_visit_state(struct js_world *w, js_state_visitor v, void *ctx)
{
    /* scalars and fixed structs, through a pointer to them */
    void *day = &w->clock.day;
    world_visit(v, ctx, "clock.day", &day, sizeof(w->clock.day), 1);
    void *ledger = &w->ledger;
    world_visit(v, ctx, "ledger", &ledger, sizeof(struct js_ledger), 1);
    /* places */
    int64_t np = w->places.n;
    world_visit(v, ctx, "places.owner", (void **)&w->places.owner, sizeof(int32_t), np);
    world_visit(v, ctx, "places.pop", (void **)&w->places.pop, sizeof(int64_t), np * JS_NCLASSES);
    world_visit(v, ctx, "places.walls", (void **)&w->places.walls, sizeof(double), np);
    world_visit(v, ctx, "places.grain", (void **)&w->places.grain, sizeof(int64_t), np);
    world_visit(v, ctx, "places.food_ratio", (void **)&w->places.food_ratio, sizeof(double), np);
    world_visit(v, ctx, "places.nutrition", (void **)&w->places.nutrition, sizeof(double), np);
    world_visit(v, ctx, "places.conflict", (void **)&w->places.conflict, sizeof(double), np);
    world_visit(v, ctx, "places.threat", (void **)&w->places.threat, sizeof(double), np);
    /* factions (the court moves: events move_court) */
    world_visit(v, ctx, "factions.capital", (void **)&w->factions.capital, sizeof(int32_t),
                w->factions.n);
    /* routes */
    world_visit(v, ctx, "routes.closed", (void **)&w->routes.closed, sizeof(uint8_t), w->routes.n);
    js_armies_visit_state(&w->armies, v, ctx);
    js_world_economy_visit_state(w, v, ctx);
    js_world_siege_visit_state(w, v, ctx);
    /* the event log grows */
    struct js_state_array ev = {"events.rows",
                                (void **)&w->events.rows,
                                sizeof(struct js_event_row),
                                w->events.n,
                                &w->events.n,
                                &w->events.cap,
                                NULL,
                                NULL};
    v(ctx, &ev);
    js_world_migration_visit(&w->migration, v, ctx);
}

int64_t js_world_place_population(const struct js_world *w, int32_t place)
{
    const int64_t *pop = &w->places.pop[(size_t)place * JS_NCLASSES];
    int64_t s = 0;
    for (int c = 0; c < JS_NCLASSES; c++)
        s += pop[c];
    return s;
}

void js_world_record_event(struct js_world *w, const struct js_event_row *row)
{
    struct js_eventlog *log = &w->events;
    if (log->n == log->cap) {
        log->cap = log->cap ? 2 * log->cap : 64;
        log->rows = js_xrealloc(log->rows, (size_t)log->cap * sizeof(*log->rows));
    }
    log->rows[log->n++] = *row;
}

struct js_event_row js_event_row_blank(int32_t day, enum js_event_kind kind)
{
    struct js_event_row r;
    memset(&r, 0, sizeof(r));
    r.day = day;
    r.kind = (int32_t)kind;
    r.place = r.faction_a = r.faction_b = r.army_a = r.army_b = -1;
    return r;
}

struct js_day js_world_day(const struct js_world *w, int32_t day)
{
    struct js_day d;
    d.day = day;
    d.date = js_calendar_add_days(w->clock.calendar, w->clock.start, day);
    d.season = js_calendar_season(d.date);
    d.day_of_year = js_calendar_day_of_year(w->clock.calendar, d.date);
    return d;
}

const char *js_place_kind_name(enum js_place_kind k)
{
    static const char *names[JS_NPLACE_KINDS] = {"capital",  "prefecture", "county", "town",
                                                 "fortress", "crossing",   "port",   "pass",
                                                 "village",  "camp",       "marker"};
    return (unsigned)k < JS_NPLACE_KINDS ? names[k] : "?";
}

const char *js_class_name(enum js_class c)
{
    static const char *names[JS_NCLASSES] = {"farmers", "townspeople", "elite", "military"};
    return (unsigned)c < JS_NCLASSES ? names[c] : "?";
}

const char *js_event_kind_name(enum js_event_kind k)
{
    static const char *names[JS_NEVENT_KINDS] = {
        "BATTLE",         "SIEGE_START", "SIEGE_END",     "CITY_FALLS",    "CITY_SURRENDERS",
        "RANSOM_PAID",    "SACK",        "TREATY",        "TRIBUTE_PAID",  "ARMY_RAISED",
        "ARMY_DESTROYED", "COURT_MOVES", "RIVER_BREACH",  "ROUTE_CLOSED",  "ROUTE_OPENED",
        "PLACE_CEDED",    "NOTE",        "MARKET_OPENED", "MARKET_CLOSED", "HARVEST_SHOCK"};
    return (unsigned)k < JS_NEVENT_KINDS ? names[k] : "?";
}
