/**
 * @file events.c
 * @brief Dispatcher of scripted events (phase 1).
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/economy.h"
#include "jinsong/events.h"
#include "jinsong/log.h"
#include "jinsong/migration.h"
#include "jinsong/siege.h"

const char *js_script_do_name(int what)
{
    static const char *names[JS_NSCRIPT_DO] = {
        "note",       "close_route",    "open_route",   "cede",
        "conflict",   "order",          "raise_army",   "treaty",
        "transfer",   "open_market",    "close_market", "harvest_shock",
        "move_court", "migration_type", "court_policy", "river_breach"};
    return (unsigned)what < JS_NSCRIPT_DO ? names[what] : "?";
}

/**
 * @brief Opens or closes a route and rebuilds the travel times (drops cached paths).
 * @param w the world
 * @param route route id
 * @param closed new state
 */
static void events_set_route(struct js_world *w, int32_t route, bool closed)
{
    if (w->routes.closed[route] == (uint8_t)closed)
        return;
    w->routes.closed[route] = (uint8_t)closed;
    js_graph_invalidate(&w->graph, &w->routes, &w->graph_params);
}

/**
 * @brief Applies one scripted event and records its /events row.
 * @param w the world
 * @param d today
 * @param e the event
 */
static void events_apply_one(struct js_world *w, const struct js_day *d,
                             const struct js_script_event *e)
{
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_NOTE);
    memcpy(row.text, e->text, JS_EVENT_TEXT);
    switch ((enum js_script_do)e->what) {
    case JS_DO_NOTE:
        row.place = e->place;
        row.faction_a = e->faction;
        break;
    case JS_DO_CLOSE_ROUTE:
    case JS_DO_OPEN_ROUTE: {
        bool close = e->what == JS_DO_CLOSE_ROUTE;
        events_set_route(w, e->route, close);
        row.kind = close ? JS_EV_ROUTE_CLOSED : JS_EV_ROUTE_OPENED;
        row.place = w->routes.from[e->route];
        row.value[0] = (double)e->route;
        row.value[1] = (double)w->routes.to[e->route];
        break;
    }
    case JS_DO_CEDE:
        row.place = e->place;
        row.faction_a = e->faction;
        row.faction_b = w->places.owner[e->place];
        if (e->value[0] >= 0 && w->places.owner[e->place] != (int32_t)e->value[0]) {
            row.value[0] = 1.0; /* a cession by `from` of a place it does not hold: nothing */
            break;
        }
        row.kind = JS_EV_PLACE_CEDED;
        w->places.owner[e->place] = e->faction;
        break;
    case JS_DO_MOVE_COURT:
        row.kind = JS_EV_COURT_MOVES;
        row.place = e->place;
        row.faction_a = e->faction;
        row.value[0] = (double)w->factions.capital[e->faction];
        w->factions.capital[e->faction] = e->place;
        break;
    case JS_DO_RIVER_BREACH:
        events_set_route(w, e->route, false);
        row.kind = JS_EV_RIVER_BREACH;
        row.place = e->place;
        row.value[0] = (double)e->route;
        row.value[1] = (double)w->routes.from[e->route];
        row.value[2] = (double)w->routes.to[e->route];
        break;
    case JS_DO_COURT_POLICY:
        js_siege_court_policy(w, e, &row);
        break;
    case JS_DO_CONFLICT:
        w->places.conflict[e->place] = e->value[0];
        row.place = e->place;
        row.value[0] = e->value[0];
        /* a conflict changes nothing a reader of /events needs day by day: FLEE scenarios set
         * hundreds of them; they are in /places/conflict */
        return;
    case JS_DO_MIGRATION_TYPE:
        js_migration_set_type(w, e->place, (int)e->value[0]);
        row.place = e->place; /* a NOTE: place, value[0] = the new type, the event's text */
        row.value[0] = e->value[0];
        break;
    case JS_DO_ORDER:
        js_army_order(w, d, e, &row);
        break;
    case JS_DO_RAISE_ARMY:
        js_army_raise(w, d, e, &row);
        break;
    case JS_DO_TREATY:
        js_economy_treaty_event(w, d, (int32_t)e->value[0], (int)e->value[1], &row);
        break;
    case JS_DO_TRANSFER:
        js_economy_transfer_event(w, d, (int32_t)e->value[0], &row);
        break;
    case JS_DO_OPEN_MARKET:
    case JS_DO_CLOSE_MARKET:
        js_economy_market_event(w, (int32_t)e->value[0], e->what == JS_DO_OPEN_MARKET, &row);
        break;
    case JS_DO_HARVEST_SHOCK:
        js_economy_harvest_shock(w, e->place, (int32_t)e->value[2], e->value[0],
                                 (int32_t)e->value[1], &row);
        break;
    default:
        JS_ASSERT(!"unknown scripted event kind");
    }
    js_world_record_event(w, &row);
}

void js_events_apply(struct js_world *w, const struct js_day *d, const struct js_events_params *p)
{
    /* Events are sorted by day: find the first of today by bisection. */
    int32_t lo = 0, hi = p->n;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (p->ev[mid].day < d->day)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int32_t i = lo; i < p->n && p->ev[i].day == d->day; i++)
        events_apply_one(w, d, &p->ev[i]);
}

/** @brief Sort key: day, then declaration order. */
struct events_key {
    int32_t day;
    int32_t order;
    struct js_script_event ev;
};

/** @brief qsort comparator: by day, then declaration order. */
static int events_cmp(const void *pa, const void *pb)
{
    const struct events_key *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

void js_events_sort(struct js_events_params *p)
{
    if (p->n < 2)
        return;
    struct events_key *k = malloc((size_t)p->n * sizeof(*k));
    JS_ASSERT(k);
    for (int32_t i = 0; i < p->n; i++)
        k[i] = (struct events_key){p->ev[i].day, i, p->ev[i]};
    qsort(k, (size_t)p->n, sizeof(*k), events_cmp);
    for (int32_t i = 0; i < p->n; i++)
        p->ev[i] = k[i].ev;
    free(k);
}

void js_events_free(struct js_events_params *p)
{
    for (int32_t i = 0; i < p->n; i++)
        free(p->ev[i].id);
    free(p->ev);
    p->ev = NULL;
    p->n = 0;
}
