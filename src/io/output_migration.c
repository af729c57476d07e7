/**
 * @file output_migration.c
 * @brief The people modules' output: refugee and death counters in /places, refugees on the
 * routes in /routes, the sample of agent tracks (/tracks), and the origin → destination
 * matrix of settlers by year (/migration, written at the end of the run).
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/h5util.h"
#include "jinsong/util.h"
#include "output_internal.h"

/* -- /places */

static void fill_refugees_present(const struct js_world *w, void *buf)
{
    const struct js_migration *m = &w->migration;
    int64_t *o = buf;
    for (int32_t i = 0; i < w->places.n; i++)
        o[i] = m->present[i] + m->settled[i];
}

static void fill_refugees_left(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.left, (size_t)w->places.n * sizeof(int64_t));
}

static void fill_refugees_settled(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.settled, (size_t)w->places.n * sizeof(int64_t));
}

/**
 * @brief Fills one cause's cumulative deaths.
 * @param w the world
 * @param buf output
 * @param cause the cause
 */
static void fill_deaths(const struct js_world *w, void *buf, enum js_death_cause cause)
{
    int64_t *o = buf;
    for (int32_t i = 0; i < w->places.n; i++)
        o[i] = w->migration.deaths[(size_t)i * JS_NCAUSES + (size_t)cause];
}

static void fill_deaths_baseline(const struct js_world *w, void *buf)
{
    fill_deaths(w, buf, JS_DEATH_BASELINE);
}

static void fill_deaths_famine(const struct js_world *w, void *buf)
{
    fill_deaths(w, buf, JS_DEATH_FAMINE);
}

static void fill_deaths_epidemic(const struct js_world *w, void *buf)
{
    fill_deaths(w, buf, JS_DEATH_EPIDEMIC);
}

static void fill_deaths_violence(const struct js_world *w, void *buf)
{
    fill_deaths(w, buf, JS_DEATH_VIOLENCE);
}

static void fill_in_danger(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->places.n; i++)
        o[i] = (int8_t)w->migration.in_danger[i];
}

static const struct js_outvar people_place_vars[] = {
    {"refugees_present", "persons",
     "refugees at the place: agents there now and those who settled there since the start",
     JS_OV_I64, 0, fill_refugees_present},
    {"refugees_left", "persons", "persons who fled from the place since the start", JS_OV_I64, 0,
     fill_refugees_left},
    {"refugees_settled", "persons",
     "refugees who settled at the place (rejoined its population) since the start", JS_OV_I64, 0,
     fill_refugees_settled},
    {"deaths_baseline", "persons", "residents' deaths from baseline mortality since the start",
     JS_OV_I64, 0, fill_deaths_baseline},
    {"deaths_famine", "persons", "residents' deaths from hunger since the start", JS_OV_I64, 0,
     fill_deaths_famine},
    {"deaths_epidemic", "persons", "residents' deaths from epidemics since the start", JS_OV_I64, 0,
     fill_deaths_epidemic},
    {"deaths_violence", "persons", "residents' deaths from war since the start", JS_OV_I64, 0,
     fill_deaths_violence},
    {"in_danger", "1", "1 while danger is above migration.danger_threshold (a conflict zone)",
     JS_OV_I8, 0, fill_in_danger},
};

const struct js_outvar_table js_out_people_places = {people_place_vars,
                                                     (int)JS_COUNTOF(people_place_vars)};

/* -- /routes */

static void fill_refugees_travelling(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.route_travelling, (size_t)w->routes.n * sizeof(int64_t));
}

static void fill_refugees_queued(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.route_queued, (size_t)w->routes.n * sizeof(int64_t));
}

static const struct js_outvar people_route_vars[] = {
    {"refugees_travelling", "persons", "refugees on the route (both directions)", JS_OV_I64, 0,
     fill_refugees_travelling},
    {"refugees_queued", "persons",
     "refugees waiting to cross the route (its daily capacity is used up)", JS_OV_I64, 0,
     fill_refugees_queued},
};

const struct js_outvar_table js_out_people_routes = {people_route_vars,
                                                     (int)JS_COUNTOF(people_route_vars)};

/* -- /tracks */

static void fill_track_place(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.track_place, (size_t)w->migration.n_tracks * sizeof(int32_t));
}

static void fill_track_route(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.track_route, (size_t)w->migration.n_tracks * sizeof(int32_t));
}

static void fill_track_km(const struct js_world *w, void *buf)
{
    double *o = buf;
    for (int32_t t = 0; t < w->migration.n_tracks; t++)
        o[t] = (double)w->migration.track_km[t];
}

static void fill_track_persons(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.track_persons, (size_t)w->migration.n_tracks * sizeof(int32_t));
}

static void fill_track_origin(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.track_origin, (size_t)w->migration.n_tracks * sizeof(int32_t));
}

static void fill_track_state(const struct js_world *w, void *buf)
{
    memcpy(buf, w->migration.track_state, (size_t)w->migration.n_tracks * sizeof(int8_t));
}

static const struct js_outvar track_vars[] = {
    {"place", "1", "place of the agent (index into /places/place; -1 on a route or not yet fled)",
     JS_OV_I32, 0, fill_track_place},
    {"route", "1", "route the agent is on (index into /routes/route; -1 at a place)", JS_OV_I32, 0,
     fill_track_route},
    {"km", "km", "distance from the route's route_from end (0 at a place)", JS_OV_F64, 0,
     fill_track_km},
    {"persons", "persons", "persons left in the agent", JS_OV_I32, 0, fill_track_persons},
    {"origin", "1", "place the agent fled from (-1 before it fled)", JS_OV_I32, 0,
     fill_track_origin},
    {"state", "1",
     "-1 not yet fled, 0 road, 1 staying, 2 moving on, 3 queueing, 4 arriving, 5 settled, 6 dead",
     JS_OV_I8, 0, fill_track_state},
};

static const struct js_outvar_table track_table = {track_vars, (int)JS_COUNTOF(track_vars)};
static const struct js_outvar_table *const track_tables[] = {&track_table, NULL};

/** @brief Tracks kept. */
static int32_t count_tracks(const struct js_world *w)
{
    return w->migration.n_tracks;
}

/**
 * @brief Writes the tracks' coordinates: the tracked agents' ids.
 */
static int track_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_migration *m = &w->migration;
    hsize_t n = (hsize_t)m->n_tracks;
    int32_t *ids = js_xmalloc((size_t)(n ? n : 1) * sizeof(int32_t));
    for (hsize_t t = 0; t < n; t++)
        ids[t] = (int32_t)((int64_t)t * m->track_every);
    int rc = js_out_static(og->g, og->dim, "agent_id", H5T_NATIVE_INT32, n, ids, "1",
                           "id of the tracked agent (agents are numbered as they flee)");
    free(ids);
    return rc;
}

const struct js_outgroup_def js_out_tracks = {"tracks", "track", count_tracks, track_coords,
                                              track_tables};

/* -- /migration: the origin -> destination matrix, written once at the end */

/**
 * @brief Writes the coordinates of /migration: year, origin, destination and their ids.
 * @param g the group
 * @param w the world
 * @param dims out: the three dimension scales
 * @return 0, or -1
 */
static int migration_coords(hid_t g, const struct js_world *w, hid_t dims[3])
{
    const struct js_migration *m = &w->migration;
    hsize_t ny = (hsize_t)m->n_years, np = (hsize_t)w->places.n;
    dims[0] = js_h5_dataset(g, "year", H5T_NATIVE_INT32, 1, &ny, 0, "1",
                            "calendar year (in the scenario's calendar)");
    int32_t *years = js_xmalloc((size_t)ny * sizeof(int32_t));
    for (hsize_t y = 0; y < ny; y++)
        years[y] = m->year0 + (int32_t)y;
    int rc = dims[0] < 0 || js_h5_write_all(dims[0], H5T_NATIVE_INT32, years, "/migration/year") ||
             js_h5_make_scale(dims[0], "year");
    free(years);
    dims[1] = js_out_index_scale(g, "origin", np, "place the refugees fled from");
    dims[2] = js_out_index_scale(g, "destination", np, "place the refugees settled in");
    if (rc || dims[1] < 0 || dims[2] < 0)
        return -1;
    rc |= js_out_static_str(g, dims[1], "origin_id", (const char *const *)w->places.id, np,
                            "origin's place id in the scenario");
    rc |= js_out_static_str(g, dims[2], "destination_id", (const char *const *)w->places.id, np,
                            "destination's place id in the scenario");
    return rc ? -1 : 0;
}

int js_out_migration_finish(hid_t file, const struct js_world *w)
{
    const struct js_migration *m = &w->migration;
    if (!m->flow)
        return 0;
    hid_t g = js_h5_group(file, "migration");
    if (g < 0)
        return -1;
    hid_t dims[3] = {-1, -1, -1}, ds = -1;
    int rc = migration_coords(g, w, dims);
    if (rc == 0) {
        hsize_t shape[3] = {(hsize_t)m->n_years, (hsize_t)w->places.n, (hsize_t)w->places.n};
        ds = js_h5_dataset(g, "settled", H5T_NATIVE_INT64, 3, shape, 0, "persons",
                           "refugees who settled in destination, by origin and calendar year of "
                           "settlement");
        rc = ds < 0 || js_h5_write_all(ds, H5T_NATIVE_INT64, m->flow, "/migration/settled") < 0;
        for (unsigned k = 0; k < 3 && rc == 0; k++)
            rc = js_h5_attach(ds, dims[k], k) < 0;
    }
    if (ds >= 0)
        H5Dclose(ds);
    for (int k = 0; k < 3; k++)
        if (dims[k] >= 0)
            H5Dclose(dims[k]);
    H5Gclose(g);
    return rc ? -1 : 0;
}
