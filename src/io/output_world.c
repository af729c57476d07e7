/**
 * @file output_world.c
 * @brief The output groups of core state: /places, /factions, /routes (their coordinates and
 * the variables every module adds to them).
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/util.h"
#include "output_internal.h"

/* -- /places */

static void fill_place_population(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t i = 0; i < w->places.n; i++)
        o[i] = js_world_place_population(w, i);
}

static void fill_place_population_by_class(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.pop, (size_t)w->places.n * JS_NCLASSES * sizeof(int64_t));
}

static void fill_place_owner(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.owner, (size_t)w->places.n * sizeof(int32_t));
}

static void fill_place_walls(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.walls, (size_t)w->places.n * sizeof(double));
}

static void fill_place_grain(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.grain, (size_t)w->places.n * sizeof(int64_t));
}

static void fill_place_food_ratio(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.food_ratio, (size_t)w->places.n * sizeof(double));
}

static void fill_place_nutrition(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.nutrition, (size_t)w->places.n * sizeof(double));
}

static void fill_place_conflict(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.conflict, (size_t)w->places.n * sizeof(double));
}

static void fill_place_threat(const struct js_world *w, void *buf)
{
    memcpy(buf, w->places.threat, (size_t)w->places.n * sizeof(double));
}

static const struct js_outvar place_vars[] = {
    {"population", "persons", "persons living in the place", JS_OV_I64, 0, fill_place_population},
    {"population_by_class", "persons", "persons living in the place, by class", JS_OV_I64, 1,
     fill_place_population_by_class},
    {"owner", "1", "faction holding the place (index into /factions/faction; -1 = none)", JS_OV_I32,
     0, fill_place_owner},
    {"walls", "1", "wall strength (0 = unwalled, 1 = strongest)", JS_OV_F64, 0, fill_place_walls},
    {"grain", "sheng", "grain stored in the place", JS_OV_I64, 0, fill_place_grain},
    {"food_ratio", "1", "food available per head / normal (1 = normal)", JS_OV_F64, 0,
     fill_place_food_ratio},
    {"nutrition", "day", "the people's nutrition reserve (full-ration days)", JS_OV_F64, 0,
     fill_place_nutrition},
    {"conflict", "1", "scripted conflict intensity (0..1)", JS_OV_F64, 0, fill_place_conflict},
    {"threat", "1", "danger from armies, battles, sieges and sacks (0..1)", JS_OV_F64, 0,
     fill_place_threat},
};

/* -- /factions */

static void fill_faction_places(const struct js_world *w, void *buf)
{
    int32_t *o = buf;
    memset(o, 0, (size_t)w->factions.n * sizeof(int32_t));
    for (int32_t i = 0; i < w->places.n; i++)
        if (w->places.owner[i] >= 0)
            o[w->places.owner[i]]++;
}

static void fill_faction_population(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    memset(o, 0, (size_t)w->factions.n * sizeof(int64_t));
    for (int32_t i = 0; i < w->places.n; i++)
        if (w->places.owner[i] >= 0)
            o[w->places.owner[i]] += js_world_place_population(w, i);
}

static const struct js_outvar faction_vars[] = {
    {"places_held", "places", "number of places the faction holds", JS_OV_I32, 0,
     fill_faction_places},
    {"population", "persons", "persons living in the places the faction holds", JS_OV_I64, 0,
     fill_faction_population},
};

/* -- /routes */

static void fill_route_closed(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->routes.n; i++)
        o[i] = (int8_t)w->routes.closed[i];
}

static const struct js_outvar route_vars[] = {
    {"closed", "1", "1 while the route is closed", JS_OV_I8, 0, fill_route_closed},
};

static const struct js_outvar_table place_table = {place_vars, (int)JS_COUNTOF(place_vars)};
static const struct js_outvar_table faction_table = {faction_vars, (int)JS_COUNTOF(faction_vars)};
static const struct js_outvar_table route_table = {route_vars, (int)JS_COUNTOF(route_vars)};

/* Each module adds its table of place, faction or route variables to these lists. */
static const struct js_outvar_table *const place_tables[] = {&place_table, &js_out_economy_places,
                                                             &js_out_people_places, NULL};
static const struct js_outvar_table *const faction_tables[] = {&faction_table,
                                                               &js_out_economy_factions, NULL};
static const struct js_outvar_table *const route_tables[] = {&route_table, &js_out_economy_routes,
                                                             &js_out_people_routes, NULL};

/** @brief Places in the world. */
static int32_t count_places(const struct js_world *w)
{
    return w->places.n;
}

/** @brief Factions in the world. */
static int32_t count_factions(const struct js_world *w)
{
    return w->factions.n;
}

/** @brief Routes in the world. */
static int32_t count_routes(const struct js_world *w)
{
    return w->routes.n;
}

/**
 * @brief Writes the static coordinates of the places group.
 */
static int place_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_places *p = &w->places;
    hsize_t n = (hsize_t)p->n;
    const char **kinds = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    for (hsize_t i = 0; i < n; i++)
        kinds[i] = js_place_kind_name((enum js_place_kind)p->kind[i]);
    const char *classes[JS_NCLASSES];
    for (int c = 0; c < JS_NCLASSES; c++)
        classes[c] = js_class_name((enum js_class)c);
    int rc = 0;
    rc |= js_out_static_str(og->g, og->dim, "place_id", (const char *const *)p->id, n,
                            "place id in the scenario");
    rc |= js_out_static_str(og->g, og->dim, "place_name", (const char *const *)p->name, n,
                            "place name");
    rc |= js_out_static(og->g, og->dim, "lat", H5T_NATIVE_DOUBLE, n, p->lat, "degrees_north",
                        "latitude");
    rc |= js_out_static(og->g, og->dim, "lon", H5T_NATIVE_DOUBLE, n, p->lon, "degrees_east",
                        "longitude");
    rc |= js_out_static_str(og->g, og->dim, "kind", kinds, n, "kind of place");
    og->cls = js_out_index_scale(og->g, "class", JS_NCLASSES, "class of people");
    if (og->cls < 0)
        rc = -1;
    else
        rc |= js_out_static_str(og->g, og->cls, "class_name", classes, JS_NCLASSES,
                                "name of the class");
    free(kinds);
    return rc ? -1 : 0;
}

/**
 * @brief Writes the static coordinates of the factions group.
 */
static int faction_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_factions *f = &w->factions;
    hsize_t n = (hsize_t)f->n;
    int rc = 0;
    rc |= js_out_static_str(og->g, og->dim, "faction_id", (const char *const *)f->id, n,
                            "faction id in the scenario");
    rc |= js_out_static_str(og->g, og->dim, "faction_name", (const char *const *)f->name, n,
                            "faction name");
    rc |= js_out_static(og->g, og->dim, "capital", H5T_NATIVE_INT32, n, f->capital, "1",
                        "capital (index into /places/place; -1 = none)");
    return rc ? -1 : 0;
}

/**
 * @brief Writes the static coordinates of the routes group.
 */
static int route_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_routes *r = &w->routes;
    hsize_t n = (hsize_t)r->n;
    const char **kinds = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    const char **rivers = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    const char **terrain = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    for (hsize_t i = 0; i < n; i++) {
        kinds[i] = js_route_kind_name((enum js_route_kind)r->kind[i]);
        rivers[i] = r->river[i] ? r->river[i] : "";
        terrain[i] = js_terrain_name((enum js_terrain)r->terrain[i]);
    }
    int rc = 0;
    rc |= js_out_static_str(og->g, og->dim, "route_id", (const char *const *)r->id, n,
                            "route id in the scenario");
    rc |= js_out_static(og->g, og->dim, "route_from", H5T_NATIVE_INT32, n, r->from, "1",
                        "first end (index into /places/place)");
    rc |= js_out_static(og->g, og->dim, "route_to", H5T_NATIVE_INT32, n, r->to, "1",
                        "second end (index into /places/place)");
    rc |= js_out_static_str(og->g, og->dim, "route_kind", kinds, n, "kind of route");
    rc |= js_out_static_str(og->g, og->dim, "terrain", terrain, n, "terrain along the route");
    rc |= js_out_static(og->g, og->dim, "km", H5T_NATIVE_DOUBLE, n, r->km, "km", "length");
    rc |= js_out_static_str(og->g, og->dim, "river", rivers, n, "river (\"\" for none)");
    free(kinds);
    free(rivers);
    free(terrain);
    return rc ? -1 : 0;
}

const struct js_outgroup_def js_out_places = {"places", "place", count_places, place_coords,
                                              place_tables};
const struct js_outgroup_def js_out_factions = {"factions", "faction", count_factions,
                                                faction_coords, faction_tables};
const struct js_outgroup_def js_out_routes = {"routes", "route", count_routes, route_coords,
                                              route_tables};
