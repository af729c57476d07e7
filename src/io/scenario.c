/**
 * @file scenario.c
 * @brief The scenario schema: sections read into the world and the model's parameters.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/scenario.h"
#include "jinsong/util.h"
#include "scenario_internal.h"

/* ---------------------------------------------------------------- defaults */

/* Speeds in km/day: army march norm 30 li (~17 km), horse 70 li, cart 30 li; boats down
 * 100 li, loaded upstream 40 li (Tang liudian, models.md §3.2; 1 li = 0.55 km). */
static const double default_speed[JS_NMOVERS][JS_NSPEED_CLASSES] = {
    /*           road  track  pass  r_down r_up  canal */
    /* foot */ {17.0, 14.0, 10.0, 55.0, 22.0, 25.0},
    /* horse */ {38.0, 30.0, 20.0, 0.0, 0.0, 0.0},
    /* walker */ {22.0, 18.0, 12.0, 55.0, 22.0, 25.0},
    /* freight */ {16.5, 12.0, 8.0, 55.0, 16.5, 25.0},
};

/* Days to get a mover across a crossing, on top of the approaches at road speed: half a day by
 * bridge or ferry for people and horses, a day for loaded carts [J]. Queues of large columns
 * come from the crossing's capacity, not from this delay. */
static const double default_crossing_days[JS_NMOVERS] = {0.5, 0.5, 0.5, 1.0};

/* Speed multipliers by terrain (modelling judgement: cavalry suffers most in marsh and paddy). */
static const double default_terrain[JS_NMOVERS][JS_NTERRAINS] = {
    /*           plain hills mountains marsh paddy */
    /* foot */ {1.0, 0.8, 0.6, 0.6, 0.75},
    /* horse */ {1.0, 0.75, 0.5, 0.4, 0.5},
    /* walker */ {1.0, 0.8, 0.6, 0.6, 0.75},
    /* freight */ {1.0, 0.7, 0.5, 0.5, 0.7},
};

/* ---------------------------------------------------------------- sections */

/**
 * @brief Reads the scenario: section (name, dates, seed, output).
 * @param r reader
 */
static void read_scenario_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    if (!js_ytree_get(r->root, "scenario"))
        js_cfg_missing(c, r->root, "scenario", "a map with name, start and end");
    struct js_ynode *s = js_cfg_map(c, r->root, "scenario");
    const char *name = js_cfg_string_req(c, s, "name");
    if (name && !js_cfg_valid_id(name))
        js_cfg_error(c, js_ytree_get(s, "name"),
                     "use letters, digits, '_' and '-' (it names the output file)",
                     "scenario name \"%s\" is not a valid id", name);
    r->sc->name = js_xstrdup(name ? name : "scenario");
    r->sc->title = js_xstrdup(js_cfg_string(c, s, "title", ""));
    static const char *const cals[] = {"julian", "gregorian"};
    r->calendar = (enum js_calendar)js_cfg_enum(c, s, "calendar", cals, 2, 0);
    bool ok1 = js_cfg_date(c, s, "start", r->calendar, &r->start, true);
    bool ok2 = js_cfg_date(c, s, "end", r->calendar, &r->end, true);
    r->dates_ok = ok1 && ok2;
    int64_t days = r->dates_ok ? js_calendar_days_between(r->calendar, r->start, r->end) : 1;
    if (r->dates_ok && days <= 0) {
        char s0[16];
        js_calendar_format(r->start, s0);
        js_cfg_error(c, js_ytree_get(s, "end"), "make end later than start",
                     "the run ends %s it starts (start: %s); end must be at least one day later",
                     days == 0 ? "on the day" : "before", s0);
        r->dates_ok = false;
    } else if (r->dates_ok && days > JS_SCENARIO_MAX_DAYS) {
        js_cfg_error(c, js_ytree_get(s, "end"), "split the period into several scenarios",
                     "the run lasts %lld days, more than the %d allowed", (long long)days,
                     JS_SCENARIO_MAX_DAYS);
        r->dates_ok = false;
    }
    r->w->clock.calendar = r->calendar;
    r->w->clock.start = r->start;
    r->w->clock.n_days = r->dates_ok ? (int32_t)days : 1;
    r->sc->seed = (uint32_t)js_cfg_int(c, s, "seed", 1, 0, UINT32_MAX, "-");
    struct js_ynode *out = js_cfg_map(c, s, "output");
    r->sc->output_every = (int32_t)js_cfg_int(c, out, "every_days", 1, 1,
                                              r->dates_ok ? days : JS_SCENARIO_MAX_DAYS, "days");
}

/**
 * @brief Reads the graph: section (sinuosity, speeds, terrain factors).
 * @param r reader
 */
static void read_graph_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_graph_params *gp = &r->w->graph_params;
    struct js_ynode *g = js_cfg_map(c, r->root, "graph");
    gp->sinuosity = js_cfg_double(c, g, "sinuosity", 1.3, 1.0, 3.0, "1");
    struct js_ynode *speeds = js_cfg_map(c, g, "speed_km_per_day");
    struct js_ynode *terr = js_cfg_map(c, g, "terrain_factor");
    for (int m = 0; m < JS_NMOVERS; m++) {
        struct js_ynode *sm = js_cfg_map(c, speeds, js_mover_name((enum js_mover)m));
        for (int k = 0; k < JS_NSPEED_CLASSES; k++)
            gp->speed[m][k] = js_cfg_double(c, sm, js_speed_class_name((enum js_speed_class)k),
                                            default_speed[m][k], 0.0, 1000.0, "km/day");
        struct js_ynode *tm = js_cfg_map(c, terr, js_mover_name((enum js_mover)m));
        for (int t = 0; t < JS_NTERRAINS; t++)
            gp->terrain_factor[m][t] = js_cfg_double(c, tm, js_terrain_name((enum js_terrain)t),
                                                     default_terrain[m][t], 0.0, 2.0, "1");
    }
    gp->forest_horse_factor = js_cfg_double(c, g, "forest_horse_factor", 0.5, 0.0, 1.0, "1");
    gp->forest_foot_factor = js_cfg_double(c, g, "forest_foot_factor", 1.0, 0.0, 1.0, "1");
    struct js_ynode *cd = js_cfg_map(c, g, "crossing_days");
    for (int m = 0; m < JS_NMOVERS; m++)
        gp->crossing_days[m] = js_cfg_double(c, cd, js_mover_name((enum js_mover)m),
                                             default_crossing_days[m], 0.0, 30.0, "days");
}

/**
 * @brief Reads the demography: section.
 * @param r reader
 */
static void read_demography_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_demography_params *p = &r->sc->params.demography;
    struct js_ynode *d = js_cfg_map(c, r->root, "demography");
    p->birth_rate = js_cfg_double(c, d, "birth_rate_per_year", 0.035, 0.0, 0.2, "1/year");
    p->death_rate = js_cfg_double(c, d, "death_rate_per_year", 0.030, 0.0, 1.0, "1/year");
    p->persons_per_household =
        js_cfg_double(c, d, "persons_per_household", 5.0, 1.0, 20.0, "persons/household");
    static const double share_default[JS_NCLASSES] = {0.85, 0.10, 0.02, 0.03};
    struct js_ynode *sh = js_cfg_map(c, d, "class_shares");
    double sum = 0;
    size_t errors = c->diag->n;
    for (int k = 0; k < JS_NCLASSES; k++) {
        p->class_share[k] =
            js_cfg_double(c, sh, js_class_name((enum js_class)k), share_default[k], 0.0, 1.0, "1");
        sum += p->class_share[k];
    }
    if (sh && !sh->implicit && c->diag->n == errors && fabs(sum - 1.0) > 1e-6)
        js_cfg_error(c, sh, "make the shares add up to 1", "class shares add up to %g, not 1", sum);
}

/**
 * @brief Collects the ids of an entity section, checking each entry is a map with a valid id.
 * @param r reader
 * @param key section key ("places")
 * @param what entity name ("place")
 * @param ids out: id → index
 * @param required the section must exist and not be empty
 * @param broken out: the section is unusable (reported), so references to it are not checked
 * @return the section map, or NULL
 */
static struct js_ynode *collect_ids(struct js_reader *r, const char *key, const char *what,
                                    struct js_idmap *ids, bool required, bool *broken)
{
    struct js_cfg *c = r->c;
    bool present = js_ytree_get(r->root, key) != NULL;
    struct js_ynode *sec = js_cfg_map(c, r->root, key);
    js_idmap_init(ids, sec ? (size_t)sec->nchildren : 0);
    *broken = !sec || (required && !present);
    if (required && !present) {
        char what_map[128];
        snprintf(what_map, sizeof(what_map), "a map of %ss keyed by id", what);
        js_cfg_missing(c, r->root, key, what_map);
        return sec;
    }
    if (!sec)
        return NULL;
    if (required && sec->nchildren == 0)
        js_cfg_error(c, sec, "declare at least one entry", "no %ss declared", what);
    int32_t idx = 0;
    struct js_ynode *next;
    for (struct js_ynode *e = sec->first; e; e = next) {
        next = e->next;
        e->used = true;
        if (!js_cfg_entity_exists(c, e, what)) {
            /* invented by a --set path: reported once, not read (no cascade of missing keys) */
            js_ytree_mark_used(e);
            js_ytree_remove(sec, e);
            continue;
        }
        if (!js_cfg_valid_id(e->key)) {
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, key,
                        "ids use letters, digits, '_' and '-', and start with a letter or digit",
                        "'%s' is not a valid %s id", e->key, what);
        }
        if (e->type != JS_YMAP) {
            js_cfg_error(c, e, "write the entry's attributes as an indented map",
                         "expected a map of %s attributes, got %s", what,
                         e->type == JS_YSEQ    ? "a list"
                         : js_ytree_is_null(e) ? "no value"
                                               : "a single value");
            js_ytree_mark_used(e);
        }
        /* a malformed entry is still declared: references to it are not errors too */
        js_idmap_put(ids, e->key, idx++);
    }
    return sec;
}

/**
 * @brief A reference to a place, faction or route. When the section it names is unusable
 * (its own error is reported), the reference is not checked: one error, not one per use.
 * @param r reader
 * @param map the map holding the reference
 * @param key its key
 * @param section "places", "factions" or "routes"
 * @param required mandatory?
 * @return the index, or -1
 */
int32_t js_reader_ref(struct js_reader *r, struct js_ynode *map, const char *key,
                      const char *section, bool required)
{
    bool places = !strcmp(section, "places"), factions = !strcmp(section, "factions");
    bool broken = places ? r->places_broken : factions ? r->factions_broken : r->routes_broken;
    if (broken) {
        js_cfg_child(r->c, map, key);
        return -1;
    }
    const struct js_idmap *ids = places     ? &r->place_ids
                                 : factions ? &r->faction_ids
                                            : &r->route_ids;
    return js_cfg_ref(r->c, map, key, ids,
                      places     ? "place"
                      : factions ? "faction"
                                 : "route",
                      section, required);
}

/**
 * @brief Reads the factions' attributes.
 * @param r reader
 */
static void read_factions(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_factions *f = &r->w->factions;
    int32_t i = 0;
    for (struct js_ynode *e = r->factions ? r->factions->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP) { /* reported by collect_ids; keeps its index */
            f->id[i++] = js_xstrdup(e->key);
            continue;
        }
        f->id[i] = js_xstrdup(e->key);
        f->name[i] = js_xstrdup(js_cfg_string(c, e, "name", e->key));
        f->capital[i] = js_reader_ref(r, e, "capital", "places", false);
        i++;
    }
}

/**
 * @brief Splits a place's persons among the classes (largest remainder, deterministic).
 * @param persons total
 * @param share shares summing to 1
 * @param out persons by class
 */
static void split_classes(int64_t persons, const double share[JS_NCLASSES],
                          int64_t out[JS_NCLASSES])
{
    int64_t given = 0;
    double rem[JS_NCLASSES];
    for (int k = 0; k < JS_NCLASSES; k++) {
        double exact = (double)persons * share[k];
        out[k] = (int64_t)floor(exact);
        rem[k] = exact - (double)out[k];
        given += out[k];
    }
    while (given < persons) {
        int best = 0;
        for (int k = 1; k < JS_NCLASSES; k++)
            if (rem[k] > rem[best])
                best = k;
        out[best]++;
        rem[best] = -1.0;
        given++;
    }
}

/**
 * @brief Reads one place's population: map.
 * @param r reader
 * @param e the place's map
 * @param i place index
 */
static void read_population(struct js_reader *r, struct js_ynode *e, int32_t i)
{
    struct js_cfg *c = r->c;
    const struct js_demography_params *dp = &r->sc->params.demography;
    struct js_ynode *pm = js_cfg_map(c, e, "population");
    const int64_t max_people = 100000000;
    bool has_h = js_ytree_get(pm, "households") != NULL;
    bool has_p = js_ytree_get(pm, "persons") != NULL;
    if (has_h && has_p) {
        js_cfg_child(c, pm, "households"); /* known, only one too many */
        js_cfg_error(c, js_ytree_get(pm, "persons"), "keep one of the two",
                     "give either households or persons, not both");
    }
    int64_t persons = 0;
    if (has_p) {
        persons = js_cfg_int(c, pm, "persons", 0, 0, max_people, "persons");
    } else {
        int64_t hh = js_cfg_int(c, pm, "households", 0, 0, max_people / 5, "households");
        double pph = js_cfg_double(c, pm, "persons_per_household", dp->persons_per_household, 1.0,
                                   20.0, "persons/household");
        persons = (int64_t)llround((double)hh * pph);
    }
    double share[JS_NCLASSES];
    memcpy(share, dp->class_share, sizeof(share));
    struct js_ynode *sh =
        js_ytree_get(pm, "class_shares") ? js_cfg_map(c, pm, "class_shares") : NULL;
    if (sh) {
        double sum = 0;
        size_t errors = c->diag->n;
        for (int k = 0; k < JS_NCLASSES; k++) {
            share[k] = js_cfg_double(c, sh, js_class_name((enum js_class)k), dp->class_share[k],
                                     0.0, 1.0, "1");
            sum += share[k];
        }
        if (c->diag->n != errors)
            return;
        if (fabs(sum - 1.0) > 1e-6) {
            js_cfg_error(c, sh, "make the shares add up to 1", "class shares add up to %g, not 1",
                         sum);
            return;
        }
    }
    split_classes(persons, share, &r->w->places.pop[(size_t)i * JS_NCLASSES]);
}

/**
 * @brief Reads the places' attributes.
 * @param r reader
 */
static void read_places(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_places *p = &r->w->places;
    const char *kinds[JS_NPLACE_KINDS];
    for (int k = 0; k < JS_NPLACE_KINDS; k++)
        kinds[k] = js_place_kind_name((enum js_place_kind)k);
    int32_t i = 0;
    for (struct js_ynode *e = r->places ? r->places->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP) { /* reported by collect_ids; keeps its index */
            p->id[i++] = js_xstrdup(e->key);
            continue;
        }
        p->id[i] = js_xstrdup(e->key);
        p->name[i] = js_xstrdup(js_cfg_string(c, e, "name", e->key));
        p->lat[i] = js_cfg_double_req(c, e, "lat", -90.0, 90.0, "degrees_north");
        p->lon[i] = js_cfg_double_req(c, e, "lon", -180.0, 180.0, "degrees_east");
        p->kind[i] = (uint8_t)js_cfg_enum(c, e, "kind", kinds, JS_NPLACE_KINDS, JS_PLACE_TOWN);
        p->owner[i] = js_reader_ref(r, e, "owner", "factions", false);
        read_population(r, e, i);
        struct js_ynode *walls = js_cfg_map(c, e, "walls");
        p->walls[i] = js_cfg_double(c, walls, "strength", 0.0, 0.0, 1.0, "1");
        p->grain[i] =
            (int64_t)llround(100.0 * js_cfg_double(c, e, "grain_shi", 0.0, 0.0, 1e10, "shi"));
        p->conflict[i] = js_cfg_double(c, e, "conflict", 0.0, 0.0, 1.0, "1");
        i++;
    }
}

/**
 * @brief Reads the routes' attributes; lengths default to great-circle × sinuosity.
 * @param r reader
 */
static void read_routes(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_routes *rt = &r->w->routes;
    const struct js_places *p = &r->w->places;
    const char *kinds[JS_NROUTE_KINDS], *terrains[JS_NTERRAINS];
    for (int k = 0; k < JS_NROUTE_KINDS; k++)
        kinds[k] = js_route_kind_name((enum js_route_kind)k);
    for (int k = 0; k < JS_NTERRAINS; k++)
        terrains[k] = js_terrain_name((enum js_terrain)k);
    static const char *const ends[] = {"from", "to"};
    int32_t i = 0;
    for (struct js_ynode *e = r->routes ? r->routes->first : NULL; e; e = e->next) {
        if (e->type != JS_YMAP) { /* reported by collect_ids; keeps its index */
            rt->id[i++] = js_xstrdup(e->key);
            continue;
        }
        rt->id[i] = js_xstrdup(e->key);
        int32_t a = js_reader_ref(r, e, "from", "places", true);
        int32_t b = js_reader_ref(r, e, "to", "places", true);
        if (a >= 0 && a == b)
            js_cfg_error(c, js_ytree_get(e, "to"), "a route joins two different places",
                         "the route goes from '%s' to itself", p->id[a]);
        rt->from[i] = a < 0 ? 0 : a;
        rt->to[i] = b < 0 ? 0 : b;
        size_t errors = c->diag->n;
        rt->kind[i] = (uint8_t)js_cfg_enum(c, e, "kind", kinds, JS_NROUTE_KINDS, JS_ROUTE_ROAD);
        bool kind_ok = c->diag->n == errors;
        rt->terrain[i] =
            (uint8_t)js_cfg_enum(c, e, "terrain", terrains, JS_NTERRAINS, JS_TERRAIN_PLAIN);
        if (js_ytree_get(e, "km")) {
            rt->km[i] = js_cfg_double(c, e, "km", 1.0, 0.01, 5000.0, "km");
        } else if (a >= 0 && b >= 0) {
            double gc = js_graph_great_circle_km(p->lat[a], p->lon[a], p->lat[b], p->lon[b]);
            rt->km[i] = gc * r->w->graph_params.sinuosity;
            if (rt->km[i] < 0.01)
                rt->km[i] = 0.01;
            char path[300], val[32];
            snprintf(path, sizeof(path), "routes.%s.km", e->key);
            snprintf(val, sizeof(val), "%.3f", rt->km[i]);
            js_cfg_record(c, path, val, "km", "computed: great-circle x graph.sinuosity");
        }
        rt->capacity[i] = js_cfg_double(c, e, "capacity_per_day", 0.0, 0.0, 1e9, "persons/day");
        if (js_ytree_get(e, "crossing_days") && rt->kind[i] != JS_ROUTE_CROSSING) {
            js_cfg_error(c, js_cfg_child(c, e, "crossing_days"),
                         "remove it, or make the route kind: crossing",
                         "crossing_days applies to crossings only");
        } else if (rt->kind[i] == JS_ROUTE_CROSSING && js_ytree_get(e, "crossing_days")) {
            rt->crossing_days[i] = js_cfg_double(c, e, "crossing_days", 0.5, 0.0, 30.0, "days");
        }
        struct js_ynode *dn = js_ytree_get(e, "downstream");
        if (!kind_ok) {
            js_cfg_child(c, e, "downstream"); /* meaningless until the kind is right */
        } else if (dn && rt->kind[i] != JS_ROUTE_RIVER) {
            js_cfg_child(c, e, "downstream");
            js_cfg_error(c, dn, "remove it, or make the route kind: river",
                         "downstream applies to rivers only");
        } else if (rt->kind[i] == JS_ROUTE_RIVER) {
            /* optional: a river without a current given is still water (travelled like a canal) */
            int end =
                js_ytree_get(e, "downstream") ? js_cfg_enum(c, e, "downstream", ends, 2, -1) : -1;
            rt->downstream[i] = (int8_t)(end == 1 ? 1 : end == 0 ? -1 : 0);
        }
        rt->forest[i] = js_cfg_bool(c, e, "forest", false);
        rt->closed[i] = js_cfg_bool(c, e, "closed", false);
        const char *river = js_cfg_string(c, e, "river", NULL);
        rt->river[i] = js_xstrdup(river);
        struct js_ynode *sea = js_cfg_map(c, e, "seasonal");
        for (int s = 0; s < JS_NSEASONS; s++)
            rt->seasonal[(size_t)i * JS_NSEASONS + (size_t)s] =
                js_cfg_double(c, sea, js_season_name((enum js_season)s), 1.0, 0.0, 10.0, "1");
        i++;
    }
}

/**
 * @brief Reads an event's optional text (default: its id), at most 63 characters.
 * @param r reader
 * @param e the event's map
 * @param out the text buffer
 * @param required mandatory?
 */
void js_reader_event_text(struct js_reader *r, struct js_ynode *e, char out[JS_EVENT_TEXT],
                          bool required)
{
    const char *t =
        required ? js_cfg_string_req(r->c, e, "text") : js_cfg_string(r->c, e, "text", e->key);
    if (!t)
        t = e->key;
    if (strlen(t) >= JS_EVENT_TEXT)
        js_cfg_error(r->c, js_ytree_get(e, "text") ? js_ytree_get(e, "text") : e,
                     "shorten the text (it is stored in a fixed-size /events field)",
                     "text longer than %d characters", JS_EVENT_TEXT - 1);
    snprintf(out, JS_EVENT_TEXT, "%s", t);
}

/**
 * @brief Reads the scripted events.
 * @param r reader
 */
static void read_events(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_events_params *ep = &r->sc->params.events;
    r->events = js_cfg_map(c, r->root, "events");
    if (!r->events)
        return;
    ep->ev = js_xcalloc((size_t)r->events->nchildren, sizeof(*ep->ev));
    const char *kinds[JS_NSCRIPT_DO];
    for (int k = 0; k < JS_NSCRIPT_DO; k++)
        kinds[k] = js_script_do_name(k);
    for (struct js_ynode *e = r->events->first; e; e = e->next) {
        e->used = true;
        if (e->type != JS_YMAP) {
            js_cfg_error(c, e, "write the event as a map with date and do",
                         "expected a map with date, do and the kind's keys");
            continue;
        }
        if (!js_cfg_entity_exists(c, e, "event")) {
            js_ytree_mark_used(e); /* invented by a --set path: reported once, not read */
            continue;
        }
        struct js_script_event *ev = &ep->ev[ep->n];
        memset(ev, 0, sizeof(*ev));
        ev->id = js_xstrdup(e->key);
        ev->place = ev->faction = ev->route = ev->army = ev->target = -1;
        struct js_date date;
        bool date_ok = js_cfg_date(c, e, "date", r->calendar, &date, true);
        if (date_ok && r->dates_ok) {
            int64_t day = js_calendar_days_between(r->calendar, r->start, date);
            if (day < 0 || day >= r->w->clock.n_days) {
                char s0[16], s1[16];
                js_calendar_format(r->start, s0);
                js_calendar_format(js_calendar_add_days(r->calendar, r->end, -1), s1);
                char hint[96];
                snprintf(hint, sizeof(hint), "give a date from %s to %s", s0, s1);
                char se[16];
                js_calendar_format(r->end, se);
                js_cfg_error(c, js_ytree_get(e, "date"), hint,
                             "the date %s is outside the run: events fall on simulated days, "
                             "%s to %s (the run ends on %s)",
                             js_ytree_get(e, "date")->value, s0, s1, se);
            }
            ev->day = (int32_t)day;
        }
        ev->what = js_cfg_enum(c, e, "do", kinds, JS_NSCRIPT_DO, -1);
        switch (ev->what) {
        case JS_DO_NOTE:
            js_reader_event_text(r, e, ev->text, true);
            ev->place = js_reader_ref(r, e, "place", "places", false);
            ev->faction = js_reader_ref(r, e, "faction", "factions", false);
            break;
        case JS_DO_CLOSE_ROUTE:
        case JS_DO_OPEN_ROUTE:
            ev->route = js_reader_ref(r, e, "route", "routes", true);
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_CEDE:
            ev->place = js_reader_ref(r, e, "place", "places", true);
            ev->faction = js_reader_ref(r, e, "to", "factions", true);
            ev->value[0] = js_reader_ref(r, e, "from", "factions", false); /* -1: whoever holds */
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_CONFLICT:
            ev->place = js_reader_ref(r, e, "place", "places", true);
            ev->value[0] = js_cfg_double_req(c, e, "intensity", 0.0, 1.0, "1");
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_ORDER:
        case JS_DO_RAISE_ARMY:
            js_reader_army_event(r, e, ev);
            break;
        case JS_DO_TREATY:
        case JS_DO_TRANSFER:
        case JS_DO_OPEN_MARKET:
        case JS_DO_CLOSE_MARKET:
        case JS_DO_HARVEST_SHOCK:
            js_reader_economy_event(r, e, ev);
            break;
        case JS_DO_RIVER_BREACH:
            ev->place = js_reader_ref(r, e, "place", "places", true);
            ev->route = js_reader_ref(r, e, "route", "routes", true);
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_COURT_POLICY:
            ev->faction = js_reader_ref(r, e, "faction", "factions", true);
            ev->value[0] = js_cfg_double_req(c, e, "accept_fall_odds", 0.0, 1.0, "1");
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_MOVE_COURT:
            ev->faction = js_reader_ref(r, e, "faction", "factions", true);
            ev->place = js_reader_ref(r, e, "to", "places", true);
            js_reader_event_text(r, e, ev->text, false);
            break;
        case JS_DO_MIGRATION_TYPE:
            js_reader_migration_event(r, e, ev);
            break;
        default:
            js_ytree_mark_used(e); /* bad or missing do (reported): its other keys mean nothing */
            break;
        }
        ep->n++;
    }
    js_events_sort(ep);
}

/**
 * @brief Applies --seed and --run-index, recording their sources.
 * @param r reader
 * @param opt command-line choices
 */
static void apply_options(struct js_reader *r, const struct js_scenario_options *opt)
{
    struct js_cfg *c = r->c;
    char v[32];
    if (opt && opt->seed_given) {
        r->sc->seed = opt->seed;
        for (size_t i = 0; i < c->nparams; i++) {
            if (strcmp(c->params[i].key, "scenario.seed") != 0)
                continue;
            snprintf(v, sizeof(v), "%u", opt->seed);
            free(c->params[i].value);
            free(c->params[i].source);
            c->params[i].value = js_xstrdup(v);
            c->params[i].source = js_xstrdup("--seed");
        }
    }
    r->sc->run_index = opt && opt->run_index_given ? opt->run_index : 0;
    snprintf(v, sizeof(v), "%u", r->sc->run_index);
    js_cfg_record(c, "run_index", v, "-", opt && opt->run_index_given ? "--run-index" : "default");
    r->w->key.seed = r->sc->seed;
    r->w->key.run = r->sc->run_index;
}

/**
 * @brief Reads every section in dependency order.
 * @param r reader
 * @param opt command-line choices
 */
static void read_all(struct js_reader *r, const struct js_scenario_options *opt)
{
    read_scenario_section(r);
    apply_options(r, opt);
    read_graph_section(r);
    read_demography_section(r);
    r->factions =
        collect_ids(r, "factions", "faction", &r->faction_ids, false, &r->factions_broken);
    r->places = collect_ids(r, "places", "place", &r->place_ids, true, &r->places_broken);
    r->routes = collect_ids(r, "routes", "route", &r->route_ids, false, &r->routes_broken);
    js_world_alloc(r->w, (int32_t)r->place_ids.n, (int32_t)r->faction_ids.n,
                   (int32_t)r->route_ids.n);
    read_factions(r);
    read_places(r);
    read_routes(r);
    js_reader_read_armies(r);
    js_reader_economy(r);
    js_reader_people(r);
    js_reader_siege(r);
    read_events(r);
}

int js_scenario_load(struct js_scenario *sc, const char *path,
                     const struct js_scenario_options *opt, struct js_diag *d)
{
    memset(sc, 0, sizeof(*sc));
    sc->path = js_xstrdup(path);
    struct js_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    size_t errors_before = d->n;
    if (js_cfg_open(&cfg, path, opt ? opt->sets : NULL, opt ? opt->nsets : 0, d) != 0 &&
        !cfg.root) {
        js_cfg_close(&cfg);
        js_scenario_free(sc);
        return -1;
    }
    /* a bad --set is left out, and the files are still checked: every error in one go */
    struct js_reader r;
    memset(&r, 0, sizeof(r));
    r.c = &cfg;
    r.sc = sc;
    r.w = &sc->world;
    r.root = cfg.root;
    read_all(&r, opt);
    js_cfg_check_unknown(&cfg);
    js_idmap_free(&r.faction_ids);
    js_idmap_free(&r.place_ids);
    js_idmap_free(&r.route_ids);
    js_idmap_free(&r.army_ids);
    if (d->n > errors_before) {
        js_diag_sort(d);
        js_cfg_close(&cfg);
        js_scenario_free(sc);
        return -1;
    }
    js_world_finish(&sc->world);
    sc->resolved_yaml = js_ytree_emit(cfg.root);
    sc->records = cfg.params;
    sc->nrecords = cfg.nparams;
    sc->set_log = cfg.set_log;
    sc->nset_log = cfg.nset_log;
    cfg.params = NULL;
    cfg.nparams = 0;
    cfg.set_log = NULL;
    cfg.nset_log = 0;
    js_cfg_close(&cfg);
    return 0;
}

void js_scenario_free(struct js_scenario *sc)
{
    free(sc->path);
    free(sc->name);
    free(sc->title);
    js_world_free(&sc->world);
    js_model_params_free(&sc->params);
    free(sc->resolved_yaml);
    for (size_t i = 0; i < sc->nrecords; i++) {
        free(sc->records[i].key);
        free(sc->records[i].value);
        free(sc->records[i].unit);
        free(sc->records[i].source);
    }
    free(sc->records);
    for (size_t i = 0; i < sc->nset_log; i++)
        free(sc->set_log[i]);
    free(sc->set_log);
    memset(sc, 0, sizeof(*sc));
}
