/**
 * @file output.c
 * @brief The HDF5 output: groups with their own coordinates, rows every N days,
 * /events, /ledger, /config and /provenance; written to .partial and renamed.
 */

/* system headers */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* libraries */
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <libfyaml.h>

/* local headers */
#include "jinsong/build_info.h"
#include "jinsong/gitrev.h"
#include "jinsong/h5util.h"
#include "jinsong/log.h"
#include "jinsong/output.h"
#include "jinsong/util.h"
#include "output_internal.h"

/* ---------------------------------------------------------------- data groups */

/* The data groups, in file order. A module with its own entities adds its group here. */
static const struct js_outgroup_def *const out_groups[] = {&js_out_places,
                                                           &js_out_factions,
                                                           &js_out_routes,
                                                           &js_out_armies, /* output_army.c */
                                                           &js_out_sieges, /* output_siege.c */
                                                           &js_out_tracks, /* output_migration.c */
                                                           NULL};

/* Groups written once, from the final state, when the run completes. A module with whole-run
 * tables (not one row per output time) adds its writer here. */
static int (*const out_finishers[])(hid_t file,
                                    const struct js_world *w) = {js_out_migration_finish, NULL};

/** @brief The native HDF5 type of an element type. */
static hid_t ov_h5type(enum js_ovtype t)
{
    switch (t) {
    case JS_OV_I8:
        return H5T_NATIVE_INT8;
    case JS_OV_I32:
        return H5T_NATIVE_INT32;
    case JS_OV_I64:
        return H5T_NATIVE_INT64;
    default:
        return H5T_NATIVE_DOUBLE;
    }
}

/** @brief Bytes of an element type. */
static size_t ov_size(enum js_ovtype t)
{
    return t == JS_OV_I8 ? 1 : t == JS_OV_I32 ? 4 : 8;
}

/** @brief Number of data groups. */
static int out_ngroups(void)
{
    int n = 0;
    while (out_groups[n])
        n++;
    return n;
}

/* ---------------------------------------------------------------- the output */

/** @brief Rows kept in memory before they are written: HDF5 costs the most per write (an extent
 * change and a write per dataset and row), not per byte. */
#define OUT_STAGE_ROWS 64

/** @brief The staged rows of one time-indexed dataset. */
struct out_stage {
    hid_t ds;         /**< the dataset (closed elsewhere) */
    hid_t memtype;    /**< memory type of its rows */
    size_t row_bytes; /**< bytes of one row */
    char *buf;        /**< OUT_STAGE_ROWS rows */
    char what[128];   /**< "writing /places/population", for messages */
};

struct js_output {
    char *path;                  /**< final path */
    char *partial;               /**< path being written */
    hid_t file;                  /**< the file */
    struct js_outgroup *groups;  /**< data groups, one per entry of out_groups */
    hid_t ledger;                /**< /ledger */
    hid_t ledger_time;           /**< /ledger/time */
    hid_t ledger_flows[JS_NQTY]; /**< /ledger/<qty> or -1 */
    hid_t ledger_stock[JS_NQTY]; /**< /ledger/<qty>_stock or -1 */
    hid_t events;                /**< /events */
    hid_t event_dim;             /**< /event: the dimension scale of /events */
    hid_t event_type;            /**< its compound type */
    int64_t events_written;      /**< rows of /events written */
    hsize_t rows;                /**< time rows written (some may still be staged) */
    struct out_stage *stage;     /**< every time-indexed dataset, in the order a row writes them */
    int nstage;                  /**< how many */
    int stage_at;                /**< the next one in the row being staged */
    hsize_t staged;              /**< rows staged, not written yet */
    void *buf;                   /**< row buffer */
    size_t bufsize;              /**< its size */
    char time_units[64];         /**< "days since ..." */
    const char *calendar;        /**< CF calendar */
};

const char *js_output_error(void)
{
    return js_h5_last_error();
}

char *js_output_partial_path(const char *path)
{
    return js_xasprintf("%s.partial", path);
}

/**
 * @brief Creates a time coordinate (unlimited) in a group.
 * @param o output
 * @param g group
 */
static hid_t output_time_coord(struct js_output *o, hid_t g)
{
    hsize_t d = 0;
    hid_t t = js_h5_dataset(g, "time", H5T_NATIVE_DOUBLE, 1, &d, 1, o->time_units, "time");
    if (t < 0)
        return t;
    if (js_h5_attr_str(t, "calendar", o->calendar) < 0 ||
        js_h5_attr_str(t, "standard_name", "time") < 0 || js_h5_attr_str(t, "axis", "T") < 0 ||
        js_h5_make_scale(t, "time") < 0) {
        H5Dclose(t);
        return -1;
    }
    return t;
}

/**
 * @brief Creates an index dimension scale 0..n-1.
 * @param g group
 * @param name dimension name
 * @param n size
 * @param long_name description
 */
hid_t js_out_index_scale(hid_t g, const char *name, hsize_t n, const char *long_name)
{
    hid_t ds = js_h5_dataset(g, name, H5T_NATIVE_INT32, 1, &n, 0, "1", long_name);
    if (ds < 0)
        return ds;
    int32_t *idx = js_xmalloc((size_t)(n ? n : 1) * sizeof(int32_t));
    for (hsize_t i = 0; i < n; i++)
        idx[i] = (int32_t)i;
    int rc = js_h5_write_all(ds, H5T_NATIVE_INT32, idx, name);
    free(idx);
    if (rc < 0 || js_h5_make_scale(ds, name) < 0) {
        H5Dclose(ds);
        return -1;
    }
    return ds;
}

/**
 * @brief Writes the `place` and `faction` dimensions of a group whose variables index places and
 * factions (armies, sieges), with their `place_id` and `faction_id` coordinates.
 * @param g group
 * @param w the world
 * @return 0, or -1
 */
int js_out_place_faction_coords(hid_t g, const struct js_world *w)
{
    int rc = 0;
    hid_t pdim = js_out_index_scale(g, "place", (hsize_t)w->places.n, "place index");
    hid_t fdim = js_out_index_scale(g, "faction", (hsize_t)w->factions.n, "faction index");
    if (pdim < 0 || fdim < 0)
        rc = -1;
    else {
        rc |= js_out_static_str(g, pdim, "place_id", (const char *const *)w->places.id,
                                (hsize_t)w->places.n, "place id in the scenario");
        rc |= js_out_static_str(g, fdim, "faction_id", (const char *const *)w->factions.id,
                                (hsize_t)w->factions.n, "faction id in the scenario");
    }
    if (pdim >= 0)
        H5Dclose(pdim);
    if (fdim >= 0)
        H5Dclose(fdim);
    return rc ? -1 : 0;
}

/**
 * @brief Writes a static per-entity coordinate variable and attaches its dimension.
 * @param g group
 * @param dim the dimension scale
 * @param name variable name
 * @param type native type
 * @param n entities
 * @param data values
 * @param units units
 * @param long_name description
 */
int js_out_static(hid_t g, hid_t dim, const char *name, hid_t type, hsize_t n, const void *data,
                  const char *units, const char *long_name)
{
    hid_t ds = js_h5_dataset(g, name, type, 1, &n, 0, units, long_name);
    if (ds < 0)
        return -1;
    int rc = js_h5_write_all(ds, type, data, name);
    if (rc == 0)
        rc = js_h5_attach(ds, dim, 0);
    H5Dclose(ds);
    return rc;
}

/**
 * @brief Writes a static per-entity string variable and attaches its dimension. Fixed-length
 * strings: compressible (HDF5 cannot filter variable-length ones), decoded by xarray.
 */
int js_out_static_str(hid_t g, hid_t dim, const char *name, const char *const *v, hsize_t n,
                      const char *long_name)
{
    hid_t ds = js_h5_fixed_string_dataset(g, name, v, n, long_name);
    if (ds < 0)
        return -1;
    int rc = js_h5_attach(ds, dim, 0);
    H5Dclose(ds);
    return rc;
}

/**
 * @brief Creates the `currency` dimension of a group (with `currency_name` and
 * `currency_units`) if one of its variables is by currency.
 * @param og the group
 * @param def its declaration
 * @return 0, or -1
 */
static int output_currency_scale(struct js_outgroup *og, const struct js_outgroup_def *def)
{
    bool any = false;
    for (int t = 0; def->tables[t]; t++)
        for (int k = 0; k < def->tables[t]->n; k++)
            any |= def->tables[t]->vars[k].by_class == JS_OV_BY_CURRENCY;
    if (!any)
        return 0;
    const char *names[JS_NCURRENCIES], *units[JS_NCURRENCIES];
    for (int c = 0; c < JS_NCURRENCIES; c++) {
        names[c] = js_currency_name((enum js_currency)c);
        units[c] = js_currency_unit((enum js_currency)c);
    }
    og->cur = js_out_index_scale(og->g, "currency", JS_NCURRENCIES, "currency");
    if (og->cur < 0)
        return -1;
    int rc = js_out_static_str(og->g, og->cur, "currency_name", names, JS_NCURRENCIES,
                               "name of the currency");
    rc |= js_out_static_str(og->g, og->cur, "currency_units", units, JS_NCURRENCIES,
                            "base unit of the currency");
    return rc ? -1 : 0;
}

/**
 * @brief Creates a data group with its coordinates and empty variables.
 */
static int output_group(struct js_output *o, int gi, const struct js_world *w)
{
    const struct js_outgroup_def *def = out_groups[gi];
    struct js_outgroup *og = &o->groups[gi];
    og->cls = -1;
    og->g = js_h5_group(o->file, def->name);
    if (og->g < 0)
        return -1;
    og->time = output_time_coord(o, og->g);
    hsize_t n = (hsize_t)def->count(w);
    char ln[64];
    snprintf(ln, sizeof(ln), "%s index", def->dim);
    og->dim = js_out_index_scale(og->g, def->dim, n, ln);
    if (og->time < 0 || og->dim < 0)
        return -1;
    if (def->coords(og, w) < 0)
        return -1;
    for (int t = 0; def->tables[t]; t++)
        og->nvars += def->tables[t]->n;
    if (output_currency_scale(og, def) < 0)
        return -1;
    og->vars = js_xmalloc((size_t)(og->nvars ? og->nvars : 1) * sizeof(hid_t));
    for (int v = 0; v < og->nvars; v++)
        og->vars[v] = -1;
    int v = 0;
    for (int t = 0; def->tables[t]; t++) {
        for (int k = 0; k < def->tables[t]->n; k++, v++) {
            const struct js_outvar *ov = &def->tables[t]->vars[k];
            bool by_cur = ov->by_class == JS_OV_BY_CURRENCY;
            JS_ASSERT(!ov->by_class || (by_cur ? og->cur : og->cls) >= 0);
            hsize_t dims[3] = {0, n, by_cur ? JS_NCURRENCIES : JS_NCLASSES};
            hid_t ds = js_h5_dataset(og->g, ov->name, ov_h5type(ov->type), ov->by_class ? 3 : 2,
                                     dims, 1, ov->units, ov->long_name);
            og->vars[v] = ds;
            if (ds < 0 || js_h5_attach(ds, og->time, 0) < 0 || js_h5_attach(ds, og->dim, 1) < 0 ||
                (ov->by_class && js_h5_attach(ds, by_cur ? og->cur : og->cls, 2) < 0))
                return -1;
        }
    }
    return 0;
}

/**
 * @brief Creates /ledger: per quantity with flows, the flows and the stocks by holder.
 */
static int output_ledger(struct js_output *o)
{
    o->ledger = js_h5_group(o->file, "ledger");
    if (o->ledger < 0)
        return -1;
    o->ledger_time = output_time_coord(o, o->ledger);
    hid_t holder = js_out_index_scale(o->ledger, "holder", JS_NHOLDERS, "holder of stocks");
    if (o->ledger_time < 0 || holder < 0)
        return -1;
    const char *hnames[JS_NHOLDERS];
    for (int h = 0; h < JS_NHOLDERS; h++)
        hnames[h] = js_ledger_holder_name((enum js_holder)h);
    int rc = js_out_static_str(o->ledger, holder, "holder_name", hnames, JS_NHOLDERS,
                               "holder name (outside = created or destroyed)");
    for (int q = 0; q < JS_NQTY && rc == 0; q++) {
        o->ledger_flows[q] = o->ledger_stock[q] = -1;
        enum js_flow ids[JS_NFLOWS];
        int nf = js_ledger_flows_of((enum js_qty)q, ids);
        if (nf == 0)
            continue;
        const char *qn = js_ledger_qty_name((enum js_qty)q);
        const char *unit = js_ledger_qty_unit((enum js_qty)q);
        char dimname[64], var[80], ln[160];
        snprintf(dimname, sizeof(dimname), "%s_flow", qn);
        hid_t fdim = js_out_index_scale(o->ledger, dimname, (hsize_t)nf, "flow index");
        if (fdim < 0)
            return -1;
        const char *names[JS_NFLOWS], *from[JS_NFLOWS], *to[JS_NFLOWS], *longs[JS_NFLOWS];
        for (int k = 0; k < nf; k++) {
            const struct js_flow_def *fd = js_ledger_flow_def(ids[k]);
            names[k] = fd->name;
            from[k] = js_ledger_holder_name(fd->from);
            to[k] = js_ledger_holder_name(fd->to);
            longs[k] = fd->long_name;
        }
        snprintf(var, sizeof(var), "%s_flow_name", qn);
        rc |= js_out_static_str(o->ledger, fdim, var, names, (hsize_t)nf, "flow name");
        snprintf(var, sizeof(var), "%s_flow_from", qn);
        rc |= js_out_static_str(o->ledger, fdim, var, from, (hsize_t)nf, "holder the flow leaves");
        snprintf(var, sizeof(var), "%s_flow_to", qn);
        rc |= js_out_static_str(o->ledger, fdim, var, to, (hsize_t)nf, "holder the flow enters");
        snprintf(var, sizeof(var), "%s_flow_description", qn);
        rc |= js_out_static_str(o->ledger, fdim, var, longs, (hsize_t)nf, "what the flow is");
        hsize_t dims[2] = {0, (hsize_t)nf};
        snprintf(ln, sizeof(ln), "%s moved by each flow since the previous row", qn);
        o->ledger_flows[q] = js_h5_dataset(o->ledger, qn, H5T_NATIVE_INT64, 2, dims, 1, unit, ln);
        hsize_t sdims[2] = {0, JS_NHOLDERS};
        snprintf(var, sizeof(var), "%s_stock", qn);
        snprintf(ln, sizeof(ln), "%s held by each holder (ledger balance)", qn);
        o->ledger_stock[q] = js_h5_dataset(o->ledger, var, H5T_NATIVE_INT64, 2, sdims, 1, unit, ln);
        if (o->ledger_flows[q] < 0 || o->ledger_stock[q] < 0 ||
            js_h5_attach(o->ledger_flows[q], o->ledger_time, 0) < 0 ||
            js_h5_attach(o->ledger_flows[q], fdim, 1) < 0 ||
            js_h5_attach(o->ledger_stock[q], o->ledger_time, 0) < 0 ||
            js_h5_attach(o->ledger_stock[q], holder, 1) < 0)
            rc = -1;
        H5Dclose(fdim);
    }
    H5Dclose(holder);
    return rc ? -1 : 0;
}

/**
 * @brief The compound type of /events (kind is an HDF5 enum).
 */
static hid_t output_event_type(void)
{
    hid_t kind = H5Tenum_create(H5T_NATIVE_INT32);
    for (int32_t k = 0; k < JS_NEVENT_KINDS; k++)
        H5Tenum_insert(kind, js_event_kind_name((enum js_event_kind)k), &k);
    hsize_t four = 4;
    hid_t val = H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &four);
    hid_t txt = H5Tcopy(H5T_C_S1);
    H5Tset_size(txt, JS_EVENT_TEXT);
    H5Tset_strpad(txt, H5T_STR_NULLTERM);
    H5Tset_cset(txt, H5T_CSET_UTF8);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(struct js_event_row));
    H5Tinsert(t, "day", HOFFSET(struct js_event_row, day), H5T_NATIVE_INT32);
    H5Tinsert(t, "kind", HOFFSET(struct js_event_row, kind), kind);
    H5Tinsert(t, "place", HOFFSET(struct js_event_row, place), H5T_NATIVE_INT32);
    H5Tinsert(t, "faction_a", HOFFSET(struct js_event_row, faction_a), H5T_NATIVE_INT32);
    H5Tinsert(t, "faction_b", HOFFSET(struct js_event_row, faction_b), H5T_NATIVE_INT32);
    H5Tinsert(t, "army_a", HOFFSET(struct js_event_row, army_a), H5T_NATIVE_INT32);
    H5Tinsert(t, "army_b", HOFFSET(struct js_event_row, army_b), H5T_NATIVE_INT32);
    H5Tinsert(t, "value", HOFFSET(struct js_event_row, value), val);
    H5Tinsert(t, "text", HOFFSET(struct js_event_row, text), txt);
    H5Tclose(kind);
    H5Tclose(val);
    H5Tclose(txt);
    return t;
}

/**
 * @brief Creates /events (empty, extendible).
 */
static int output_events(struct js_output *o)
{
    o->event_type = output_event_type();
    hsize_t n = 0;
    hsize_t dims[1] = {n};
    hid_t sp = H5Screate_simple(1, dims, (hsize_t[]){H5S_UNLIMITED});
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    H5Pset_chunk(dcpl, 1, (hsize_t[]){256});
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 4);
    H5Pset_fletcher32(dcpl);
    o->events = H5Dcreate2(o->file, "events", o->event_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (o->events < 0)
        return js_h5_fail("/events");
    /* An index scale so that netCDF readers (xarray on the root group) see a dimension. */
    hsize_t zero = 0;
    o->event_dim =
        js_h5_dataset(o->file, "event", H5T_NATIVE_INT32, 1, &zero, 1, "1", "event index");
    if (o->event_dim < 0 || js_h5_make_scale(o->event_dim, "event") < 0 ||
        js_h5_attach(o->events, o->event_dim, 0) < 0)
        return -1;
    /* No CF time units on the compound itself: xarray would try to decode it as dates. */
    if (js_h5_attr_str(o->events, "long_name",
                       "events of the run (meaning per kind in OUTPUT.md)") < 0 ||
        js_h5_attr_str(o->events, "units", "1") < 0 ||
        js_h5_attr_str(o->events, "day_units", o->time_units) < 0 ||
        js_h5_attr_str(o->events, "day_calendar", o->calendar) < 0)
        return -1;
    return 0;
}

/**
 * @brief Writes /config: the resolved scenario and the parameter table.
 */
static int output_config(struct js_output *o, const struct js_scenario *sc)
{
    hid_t g = js_h5_group(o->file, "config");
    if (g < 0)
        return -1;
    int rc = 0;
    hid_t st = js_h5_vlen_str_type();
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t ds = H5Dcreate2(g, "scenario_yaml", st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ds < 0 || H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &sc->resolved_yaml) < 0)
        rc = js_h5_fail("/config/scenario_yaml");
    if (ds >= 0) {
        rc |= js_h5_attr_str(ds, "long_name", "the resolved scenario (extends and --set applied)");
        rc |= js_h5_attr_str(ds, "units", "1");
        H5Dclose(ds);
    }
    H5Sclose(sp);
    H5Tclose(st);
    hsize_t n = (hsize_t)sc->nrecords;
    hid_t dim = js_out_index_scale(g, "parameter", n, "parameter index");
    if (dim < 0) {
        H5Gclose(g);
        return -1;
    }
    const char **col = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    static const char *names[4] = {"key", "value", "unit", "source"};
    static const char *longs[4] = {"parameter key path", "value the run used", "unit",
                                   "where the value came from (file:line, --set, default)"};
    for (int k = 0; k < 4 && rc == 0; k++) {
        for (hsize_t i = 0; i < n; i++) {
            const struct js_param_record *r = &sc->records[i];
            col[i] = k == 0 ? r->key : k == 1 ? r->value : k == 2 ? r->unit : r->source;
        }
        rc |= js_out_static_str(g, dim, names[k], col, n, longs[k]);
    }
    free(col);
    H5Dclose(dim);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/**
 * @brief Writes the root attributes: everything that is the same for the same inputs.
 */
static int output_root_attrs(struct js_output *o, const struct js_scenario *sc)
{
    const struct js_world *w = &sc->world;
    char start[16], end[16], title[512], h5v[32];
    js_calendar_format(w->clock.start, start);
    js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, w->clock.n_days),
                       end);
    snprintf(title, sizeof(title), "jinsong run of scenario %s%s%s", sc->name,
             sc->title[0] ? ": " : "", sc->title);
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    snprintf(h5v, sizeof(h5v), "%u.%u.%u", maj, min, rel);
    hid_t f = o->file;
    int rc = 0;
    rc |= js_h5_attr_str(f, "title", title);
    rc |= js_h5_attr_str(f, "Conventions", "CF-1.8");
    rc |= js_h5_attr_str(f, "source", "jinsong " JS_VERSION);
    rc |= js_h5_attr_str(f, "jinsong_version", JS_VERSION);
    rc |= js_h5_attr_str(f, "git_revision", JS_GIT_REVISION);
    rc |= js_h5_attr_str(f, "compiler", JS_COMPILER);
    rc |= js_h5_attr_str(f, "compiler_flags", JS_BUILD_FLAGS);
    rc |= js_h5_attr_str(f, "hdf5_version", h5v);
    rc |= js_h5_attr_str(f, "gsl_version", GSL_VERSION);
    rc |= js_h5_attr_str(f, "random123_version", JS_RANDOM123_VERSION);
    rc |= js_h5_attr_str(f, "libfyaml_version", fy_library_version());
    rc |= js_h5_attr_str(f, "scenario", sc->name);
    rc |= js_h5_attr_str(f, "scenario_title", sc->title);
    rc |= js_h5_attr_u32(f, "seed", sc->seed);
    rc |= js_h5_attr_u32(f, "run_index", sc->run_index);
    rc |= js_h5_attr_str(f, "calendar", o->calendar);
    rc |= js_h5_attr_str(f, "start_date", start);
    rc |= js_h5_attr_str(f, "end_date", end);
    rc |= js_h5_attr_i64(f, "n_days", w->clock.n_days);
    rc |= js_h5_attr_i64(f, "output_every_days", sc->output_every);
    rc |= js_h5_attr_str(f, "rng",
                         "Philox4x32-10 (Random123); key {seed, run_index}; counter "
                         "{day, entity, kind << 24 | purpose, draw}");
    return rc ? -1 : 0;
}

/**
 * @brief Checks that the output's folder exists and is writable (a user error if not).
 */
static int output_check_dir(const char *path, struct js_diag *d)
{
    char *dir = js_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        strcpy(dir, ".");
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        js_diag_add(d, path, 0, 0, NULL, "create the folder first, or choose another with -o",
                    "cannot write the output: folder '%s' does not exist", dir);
        rc = -1;
    } else if (access(dir, W_OK) != 0) {
        js_diag_add(d, path, 0, 0, NULL, "choose a folder you can write to with -o",
                    "cannot write the output: folder '%s' is not writable", dir);
        rc = -1;
    }
    free(dir);
    if (rc == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        js_diag_add(d, path, 0, 0, NULL, "give a file name, e.g. -o results/run.h5",
                    "cannot write the output: '%s' is a folder", path);
        rc = -1;
    }
    return rc;
}

/**
 * @brief A new output object with every handle closed (-1).
 * @param path final path
 * @param sc the scenario (dates for the time units)
 */
static struct js_output *output_new(const char *path, const struct js_scenario *sc)
{
    struct js_output *o = js_xcalloc(1, sizeof(*o));
    o->path = js_xstrdup(path);
    o->partial = js_output_partial_path(path);
    o->file = o->events = o->event_dim = o->event_type = o->ledger = o->ledger_time = -1;
    o->groups = js_xcalloc((size_t)out_ngroups(), sizeof(*o->groups));
    for (int g = 0; g < out_ngroups(); g++)
        o->groups[g].g = o->groups[g].time = o->groups[g].dim = o->groups[g].cls =
            o->groups[g].cur = -1;
    for (int q = 0; q < JS_NQTY; q++)
        o->ledger_flows[q] = o->ledger_stock[q] = -1;
    const struct js_world *w = &sc->world;
    char start[16];
    js_calendar_format(w->clock.start, start);
    snprintf(o->time_units, sizeof(o->time_units), "days since %s 00:00:00", start);
    o->calendar = js_calendar_cf_name(w->clock.calendar);
    return o;
}

int js_output_open(struct js_output **out, const char *path, const struct js_scenario *sc,
                   struct js_diag *d)
{
    *out = NULL;
    js_h5_quiet();
    if (output_check_dir(path, d) < 0)
        return -1;
    struct js_output *o = output_new(path, sc);
    const struct js_world *w = &sc->world;

    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    o->file = H5Fcreate(o->partial, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    int rc = 0;
    if (o->file < 0) {
        js_h5_fail(o->partial);
        rc = -1;
    }
    if (rc == 0)
        rc = output_root_attrs(o, sc);
    for (int g = 0; g < out_ngroups() && rc == 0; g++)
        rc = output_group(o, g, w);
    if (rc == 0)
        rc = output_ledger(o);
    if (rc == 0)
        rc = output_events(o);
    if (rc == 0)
        rc = output_config(o, sc);
    if (rc == 0 && H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0)
        rc = js_h5_fail(o->partial);
    if (rc < 0) {
        js_diag_add(d, path, 0, 0, NULL, "check the path, the free space and the permissions",
                    "cannot create the output: %s", js_h5_last_error());
        js_output_abort(o);
        return -1;
    }
    *out = o;
    return 0;
}

/**
 * @brief The row buffer, grown to at least @p size bytes.
 */
static void *output_buf(struct js_output *o, size_t size)
{
    if (size > o->bufsize) {
        free(o->buf);
        o->buf = js_xmalloc(size);
        o->bufsize = size;
    }
    return o->buf;
}

/**
 * @brief Stages one row of a time-indexed dataset (the datasets come in the same order every
 * row; the list is built by the first row).
 * @param o output
 * @param ds the dataset
 * @param memtype memory type
 * @param bytes bytes of the row
 * @param data the row
 * @param what for messages
 */
static void output_stage(struct js_output *o, hid_t ds, hid_t memtype, size_t bytes,
                         const void *data, const char *what)
{
    if (o->stage_at == o->nstage) {
        o->stage = js_xrealloc(o->stage, (size_t)(o->nstage + 1) * sizeof(*o->stage));
        struct out_stage *s = &o->stage[o->nstage++];
        s->ds = ds;
        s->memtype = memtype;
        s->row_bytes = bytes;
        s->buf = js_xmalloc(OUT_STAGE_ROWS * (bytes ? bytes : 1));
        snprintf(s->what, sizeof(s->what), "%s", what);
    }
    struct out_stage *s = &o->stage[o->stage_at++];
    JS_ASSERT(s->ds == ds && s->row_bytes == bytes && o->staged < OUT_STAGE_ROWS);
    if (bytes)
        memcpy(s->buf + o->staged * bytes, data, bytes);
}

/**
 * @brief Writes the staged rows of every dataset.
 * @param o output
 * @return 0, or -1
 */
static int output_write_staged(struct js_output *o)
{
    if (o->staged == 0)
        return 0;
    hsize_t first = o->rows - o->staged;
    for (int k = 0; k < o->nstage; k++) {
        struct out_stage *s = &o->stage[k];
        if (js_h5_append_rows(s->ds, s->memtype, first, o->staged, s->buf, s->what) < 0)
            return -1;
    }
    o->staged = 0;
    return 0;
}

/**
 * @brief Appends the events recorded since the last row.
 */
static int output_flush_events(struct js_output *o, const struct js_world *w)
{
    int64_t n = w->events.n - o->events_written;
    if (n <= 0)
        return 0;
    hsize_t total = (hsize_t)w->events.n, start = (hsize_t)o->events_written, count = (hsize_t)n;
    if (H5Dset_extent(o->events, &total) < 0)
        return js_h5_fail("writing /events");
    hid_t fs = H5Dget_space(o->events);
    hid_t ms = H5Screate_simple(1, &count, NULL);
    int rc = 0;
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
        H5Dwrite(o->events, o->event_type, ms, fs, H5P_DEFAULT,
                 &w->events.rows[o->events_written]) < 0)
        rc = js_h5_fail("writing /events");
    H5Sclose(ms);
    H5Sclose(fs);
    for (int64_t i = o->events_written; i < w->events.n && rc == 0; i++) {
        int32_t idx = (int32_t)i;
        rc = js_h5_append_row(o->event_dim, H5T_NATIVE_INT32, (hsize_t)i, &idx, "writing /event");
    }
    if (rc == 0)
        o->events_written = w->events.n;
    return rc;
}

int js_output_row(struct js_output *o, const struct js_world *w)
{
    double t = (double)w->clock.day;
    char what[128];
    for (int g = 0; out_groups[g]; g++) {
        const struct js_outgroup_def *def = out_groups[g];
        struct js_outgroup *og = &o->groups[g];
        snprintf(what, sizeof(what), "writing /%s/time", def->name);
        output_stage(o, og->time, H5T_NATIVE_DOUBLE, sizeof(t), &t, what);
        size_t n = (size_t)def->count(w);
        int v = 0;
        for (int tb = 0; def->tables[tb]; tb++) {
            for (int k = 0; k < def->tables[tb]->n; k++, v++) {
                const struct js_outvar *ov = &def->tables[tb]->vars[k];
                size_t third = ov->by_class == JS_OV_BY_CURRENCY ? JS_NCURRENCIES
                               : ov->by_class                    ? JS_NCLASSES
                                                                 : 1;
                size_t bytes = n * ov_size(ov->type) * third;
                void *buf = output_buf(o, bytes ? bytes : 8);
                ov->fill(w, buf);
                snprintf(what, sizeof(what), "writing /%s/%s", def->name, ov->name);
                output_stage(o, og->vars[v], ov_h5type(ov->type), bytes, buf, what);
            }
        }
    }
    output_stage(o, o->ledger_time, H5T_NATIVE_DOUBLE, sizeof(t), &t, "writing /ledger/time");
    for (int q = 0; q < JS_NQTY; q++) {
        if (o->ledger_flows[q] < 0)
            continue;
        enum js_flow ids[JS_NFLOWS];
        int nf = js_ledger_flows_of((enum js_qty)q, ids);
        int64_t vals[JS_NFLOWS];
        for (int k = 0; k < nf; k++)
            vals[k] = w->ledger.interval[ids[k]];
        snprintf(what, sizeof(what), "writing /ledger/%s", js_ledger_qty_name((enum js_qty)q));
        output_stage(o, o->ledger_flows[q], H5T_NATIVE_INT64, (size_t)nf * sizeof(int64_t), vals,
                     what);
        output_stage(o, o->ledger_stock[q], H5T_NATIVE_INT64, (size_t)JS_NHOLDERS * sizeof(int64_t),
                     w->ledger.stock[q], what);
    }
    if (output_flush_events(o, w) < 0)
        return -1;
    o->rows++;
    o->staged++;
    o->stage_at = 0;
    return o->staged == OUT_STAGE_ROWS ? output_write_staged(o) : 0;
}

/**
 * @brief Closes every HDF5 object of the output and the file.
 * @return 0, or -1 if closing the file failed (data not written)
 */
static int output_close_all(struct js_output *o)
{
    for (int g = 0; o->groups && g < out_ngroups(); g++) {
        struct js_outgroup *og = &o->groups[g];
        for (int v = 0; v < og->nvars; v++)
            if (og->vars[v] >= 0)
                H5Dclose(og->vars[v]);
        free(og->vars);
        og->vars = NULL;
        og->nvars = 0;
        if (og->time >= 0)
            H5Dclose(og->time);
        if (og->dim >= 0)
            H5Dclose(og->dim);
        if (og->cls >= 0)
            H5Dclose(og->cls);
        if (og->cur >= 0)
            H5Dclose(og->cur);
        if (og->g >= 0)
            H5Gclose(og->g);
    }
    for (int q = 0; q < JS_NQTY; q++) {
        if (o->ledger_flows[q] >= 0)
            H5Dclose(o->ledger_flows[q]);
        if (o->ledger_stock[q] >= 0)
            H5Dclose(o->ledger_stock[q]);
    }
    if (o->ledger_time >= 0)
        H5Dclose(o->ledger_time);
    if (o->ledger >= 0)
        H5Gclose(o->ledger);
    if (o->events >= 0)
        H5Dclose(o->events);
    if (o->event_dim >= 0)
        H5Dclose(o->event_dim);
    if (o->event_type >= 0)
        H5Tclose(o->event_type);
    int rc = 0;
    if (o->file >= 0 && H5Fclose(o->file) < 0)
        rc = js_h5_fail(o->partial);
    o->file = -1;
    return rc;
}

/**
 * @brief Frees the output's memory.
 */
static void output_free(struct js_output *o)
{
    free(o->path);
    free(o->partial);
    free(o->buf);
    free(o->groups);
    for (int k = 0; k < o->nstage; k++)
        free(o->stage[k].buf);
    free(o->stage);
    free(o);
}

/**
 * @brief Writes /provenance: what differs between identical runs.
 */
static int output_provenance(struct js_output *o, const struct js_provenance *prov)
{
    hid_t g = js_h5_group(o->file, "provenance");
    if (g < 0)
        return -1;
    char created[32], host[256] = "";
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
    gethostname(host, sizeof(host) - 1);
    int rc = 0;
    rc |= js_h5_attr_str(g, "created", created);
    rc |= js_h5_attr_str(g, "host", host);
    rc |= js_h5_attr_str(g, "command_line", prov && prov->command_line ? prov->command_line : "");
    rc |= js_h5_attr_i64(g, "threads", prov ? prov->threads : 0);
    rc |= js_h5_attr_double(g, "wall_time_seconds", prov ? prov->wall_seconds : 0.0);
    rc |= js_h5_attr_str(g, "output_path", o->path);
    rc |= js_h5_attr_str(g, "run_control", prov && prov->run_control ? prov->run_control : "");
    rc |= js_h5_attr_str(g, "completed", "true");
    H5Gclose(g);
    return rc ? -1 : 0;
}

int js_output_close(struct js_output *o, const struct js_world *w, const struct js_provenance *prov)
{
    int rc = output_write_staged(o);
    if (rc == 0)
        rc = output_flush_events(o, w);
    for (int k = 0; rc == 0 && out_finishers[k]; k++)
        rc = out_finishers[k](o->file, w);
    if (rc == 0)
        rc = output_provenance(o, prov);
    if (output_close_all(o) < 0)
        rc = -1;
    if (rc == 0 && rename(o->partial, o->path) != 0) {
        char what[600];
        snprintf(what, sizeof(what), "renaming %s to %s: %s", o->partial, o->path, strerror(errno));
        js_h5_fail(what);
        rc = -1;
    }
    if (rc < 0)
        unlink(o->partial);
    output_free(o);
    return rc;
}

void js_output_abort(struct js_output *o)
{
    if (!o)
        return;
    output_close_all(o);
    unlink(o->partial);
    output_free(o);
}

/* ---------------------------------------------------------------- restarts */

int js_output_flush(struct js_output *o)
{
    if (output_write_staged(o) < 0)
        return -1;
    if (H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0)
        return js_h5_fail(o->partial);
    return 0;
}

const char *js_output_partial_file(const struct js_output *o)
{
    return o->partial;
}

int64_t js_output_rows_written(const struct js_output *o)
{
    return (int64_t)o->rows;
}

int64_t js_output_events_written(const struct js_output *o)
{
    return o->events_written;
}

/**
 * @brief Opens an existing dataset of a reopened output; records an error naming it if absent.
 * @param loc group
 * @param group its name, for messages
 * @param name dataset name
 */
static hid_t reopen_dataset(hid_t loc, const char *group, const char *name)
{
    hid_t ds = H5Lexists(loc, name, H5P_DEFAULT) > 0 ? H5Dopen2(loc, name, H5P_DEFAULT) : -1;
    if (ds < 0) {
        char what[256];
        snprintf(what, sizeof(what), "the output has no /%s%s%s (written by another build?)", group,
                 group[0] ? "/" : "", name);
        js_h5_fail(what);
    }
    return ds;
}

/**
 * @brief Rows of the first dimension of a dataset.
 * @param ds the dataset
 */
static int64_t reopen_len(hid_t ds)
{
    hid_t sp = H5Dget_space(ds);
    hsize_t dims[4] = {0};
    int rank = sp < 0 ? -1 : H5Sget_simple_extent_ndims(sp);
    if (rank > 0)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0)
        H5Sclose(sp);
    return rank > 0 ? (int64_t)dims[0] : -1;
}

/**
 * @brief Opens a data group of a reopened output: its coordinates and every variable.
 * @param o the output
 * @param gi index into out_groups
 * @param rows time rows the file must hold
 */
static int reopen_group(struct js_output *o, int gi, int64_t rows)
{
    const struct js_outgroup_def *def = out_groups[gi];
    struct js_outgroup *og = &o->groups[gi];
    og->g = H5Lexists(o->file, def->name, H5P_DEFAULT) > 0
                ? H5Gopen2(o->file, def->name, H5P_DEFAULT)
                : -1;
    if (og->g < 0) {
        char what[128];
        snprintf(what, sizeof(what), "the output has no group /%s (written by another build?)",
                 def->name);
        return js_h5_fail(what);
    }
    og->time = reopen_dataset(og->g, def->name, "time");
    og->dim = reopen_dataset(og->g, def->name, def->dim);
    if (og->time < 0 || og->dim < 0)
        return -1;
    if (H5Lexists(og->g, "class", H5P_DEFAULT) > 0)
        og->cls = reopen_dataset(og->g, def->name, "class");
    for (int t = 0; def->tables[t]; t++)
        og->nvars += def->tables[t]->n;
    og->vars = js_xmalloc((size_t)(og->nvars ? og->nvars : 1) * sizeof(hid_t));
    int v = 0;
    for (int t = 0; def->tables[t]; t++)
        for (int k = 0; k < def->tables[t]->n; k++, v++)
            og->vars[v] = reopen_dataset(og->g, def->name, def->tables[t]->vars[k].name);
    for (v = 0; v < og->nvars; v++)
        if (og->vars[v] < 0)
            return -1;
    if (reopen_len(og->time) != rows) {
        char what[256];
        snprintf(what, sizeof(what), "/%s/time has %lld rows, the restart file expects %lld",
                 def->name, (long long)reopen_len(og->time), (long long)rows);
        return js_h5_fail(what);
    }
    return 0;
}

/**
 * @brief Opens /ledger and /events of a reopened output.
 * @param o the output
 * @param events rows /events must hold
 */
static int reopen_ledger_events(struct js_output *o, int64_t events)
{
    o->ledger = H5Gopen2(o->file, "ledger", H5P_DEFAULT);
    if (o->ledger < 0)
        return js_h5_fail("the output has no /ledger");
    o->ledger_time = reopen_dataset(o->ledger, "ledger", "time");
    if (o->ledger_time < 0)
        return -1;
    for (int q = 0; q < JS_NQTY; q++) {
        if (js_ledger_flows_of((enum js_qty)q, NULL) == 0)
            continue;
        char var[80];
        const char *qn = js_ledger_qty_name((enum js_qty)q);
        snprintf(var, sizeof(var), "%s_stock", qn);
        o->ledger_flows[q] = reopen_dataset(o->ledger, "ledger", qn);
        o->ledger_stock[q] = reopen_dataset(o->ledger, "ledger", var);
        if (o->ledger_flows[q] < 0 || o->ledger_stock[q] < 0)
            return -1;
    }
    o->event_type = output_event_type();
    o->events = reopen_dataset(o->file, "", "events");
    o->event_dim = reopen_dataset(o->file, "", "event");
    if (o->events < 0 || o->event_dim < 0)
        return -1;
    if (reopen_len(o->events) != events) {
        char what[128];
        snprintf(what, sizeof(what), "/events has %lld rows, the restart file expects %lld",
                 (long long)reopen_len(o->events), (long long)events);
        return js_h5_fail(what);
    }
    return 0;
}

int js_output_reopen(struct js_output **out, const char *path, const struct js_scenario *sc,
                     int64_t rows, int64_t events, struct js_diag *d)
{
    *out = NULL;
    js_h5_quiet();
    if (output_check_dir(path, d) < 0)
        return -1;
    struct js_output *o = output_new(path, sc);
    o->file = H5Fopen(o->partial, H5F_ACC_RDWR, H5P_DEFAULT);
    int rc = o->file < 0 ? js_h5_fail(o->partial) : 0;
    for (int g = 0; g < out_ngroups() && rc == 0; g++)
        rc = reopen_group(o, g, rows);
    if (rc == 0)
        rc = reopen_ledger_events(o, events);
    if (rc < 0) {
        js_diag_add(d, path, 0, 0, NULL, "start the run afresh (without --restart)",
                    "cannot continue the output of the restart file: %s", js_h5_last_error());
        js_output_abort(o);
        return -1;
    }
    o->rows = (hsize_t)rows;
    o->events_written = events;
    *out = o;
    return 0;
}

/* ---------------------------------------------------------------- jinsong info */

/**
 * @brief Size of the first dimension of a dataset, or -1 if absent.
 */
static int64_t describe_len(hid_t f, const char *name)
{
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    if (ds < 0)
        return -1;
    hid_t sp = H5Dget_space(ds);
    hsize_t dims[4] = {0};
    int rank = H5Sget_simple_extent_ndims(sp);
    if (rank > 0)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    H5Dclose(ds);
    return rank == 0 ? 1 : (int64_t)dims[0];
}

/**
 * @brief Prints the number of /events rows of each kind.
 */
static void describe_events(hid_t f, FILE *out)
{
    int64_t n = describe_len(f, "/events");
    if (n < 0)
        return;
    fprintf(out, "  events       %lld", (long long)n);
    if (n > 0) {
        struct js_event_row *rows = js_xmalloc((size_t)n * sizeof(*rows));
        hid_t t = output_event_type();
        hid_t ds = H5Dopen2(f, "/events", H5P_DEFAULT);
        if (H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) {
            int64_t count[JS_NEVENT_KINDS] = {0};
            for (int64_t i = 0; i < n; i++)
                if (rows[i].kind >= 0 && rows[i].kind < JS_NEVENT_KINDS)
                    count[rows[i].kind]++;
            const char *sep = " (";
            for (int k = 0; k < JS_NEVENT_KINDS; k++) {
                if (!count[k])
                    continue;
                fprintf(out, "%s%s %lld", sep, js_event_kind_name((enum js_event_kind)k),
                        (long long)count[k]);
                sep = ", ";
            }
            fprintf(out, ")");
        }
        H5Dclose(ds);
        H5Tclose(t);
        free(rows);
    }
    fprintf(out, "\n");
}

int js_output_describe(const char *path, FILE *out, struct js_diag *d)
{
    js_h5_quiet();
    struct stat st;
    if (stat(path, &st) != 0) {
        js_diag_add(d, path, 0, 0, NULL, "check the path", "cannot read the file: %s",
                    strerror(errno));
        return -1;
    }
    if (H5Fis_hdf5(path) <= 0) {
        js_diag_add(d, path, 0, 0, NULL, "give the .h5 file written by jinsong run",
                    "not an HDF5 file");
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        js_diag_add(d, path, 0, 0, NULL, NULL, "cannot open the HDF5 file");
        return -1;
    }
    char version[64], scenario[128], title[512], start[32], end[32], cal[32], rev[64], comp[128];
    if (js_h5_read_attr_str(f, "jinsong_version", version, sizeof(version)) < 0) {
        H5Fclose(f);
        js_diag_add(d, path, 0, 0, NULL, "give a file written by jinsong run",
                    "not a jinsong output (no jinsong_version attribute)");
        return -1;
    }
    js_h5_read_attr_str(f, "scenario", scenario, sizeof(scenario));
    js_h5_read_attr_str(f, "scenario_title", title, sizeof(title));
    js_h5_read_attr_str(f, "start_date", start, sizeof(start));
    js_h5_read_attr_str(f, "end_date", end, sizeof(end));
    js_h5_read_attr_str(f, "calendar", cal, sizeof(cal));
    js_h5_read_attr_str(f, "git_revision", rev, sizeof(rev));
    js_h5_read_attr_str(f, "compiler", comp, sizeof(comp));
    double seed = 0, run = 0, ndays = 0, every = 0;
    js_h5_read_attr_double(f, "seed", &seed);
    js_h5_read_attr_double(f, "run_index", &run);
    js_h5_read_attr_double(f, "n_days", &ndays);
    js_h5_read_attr_double(f, "output_every_days", &every);
    int64_t rows = describe_len(f, "/places/time");
    fprintf(out, "%s: jinsong output\n", path);
    fprintf(out, "  scenario     %s%s%s\n", scenario, title[0] ? " - " : "", title);
    fprintf(out, "  dates        %s to %s (%.0f days, %s calendar)\n", start, end, ndays, cal);
    fprintf(out, "  time rows    %lld (every %.0f days; row 0 is the start)\n", (long long)rows,
            every);
    fprintf(out, "  seed         %.0f, run index %.0f\n", seed, run);
    fprintf(out, "  written by   jinsong %s (git %s), %s\n", version, rev, comp);
    fprintf(out, "  places       %lld\n", (long long)describe_len(f, "/places/place"));
    fprintf(out, "  factions     %lld\n", (long long)describe_len(f, "/factions/faction"));
    fprintf(out, "  routes       %lld\n", (long long)describe_len(f, "/routes/route"));
    if (describe_len(f, "/armies/army") >= 0)
        fprintf(out, "  armies       %lld\n", (long long)describe_len(f, "/armies/army"));
    if (describe_len(f, "/sieges/siege") >= 0)
        fprintf(out, "  sieges       %lld\n", (long long)describe_len(f, "/sieges/siege"));
    describe_events(f, out);
    fprintf(out, "  parameters   %lld\n", (long long)describe_len(f, "/config/parameter"));
    if (H5Lexists(f, "/provenance", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(f, "/provenance", H5P_DEFAULT);
        char created[64], host[256], done[16];
        double threads = 0, wall = 0;
        js_h5_read_attr_str(g, "created", created, sizeof(created));
        js_h5_read_attr_str(g, "host", host, sizeof(host));
        js_h5_read_attr_str(g, "completed", done, sizeof(done));
        js_h5_read_attr_double(g, "threads", &threads);
        js_h5_read_attr_double(g, "wall_time_seconds", &wall);
        fprintf(out, "  created      %s on %s, %.0f threads, %.3f s wall, completed: %s\n", created,
                host, threads, wall, done);
        H5Gclose(g);
    } else {
        fprintf(out, "  created      (no provenance: the run did not complete)\n");
    }
    fprintf(out, "  file size    %.1f MB\n", (double)st.st_size / 1e6);
    H5Fclose(f);
    return 0;
}
