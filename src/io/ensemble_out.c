/**
 * @file ensemble_out.c
 * @brief ensemble.h5: /members (a table over dimension `member`), /design, external links to
 * the member files, /provenance; and the summary scalars read from member files.
 */

/* system headers */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* HDF5 */
#include <hdf5.h>

/* local headers */
#include "jinsong/build_info.h"
#include "jinsong/ensemble_out.h"
#include "jinsong/gitrev.h"
#include "jinsong/h5util.h"
#include "jinsong/ledger.h"
#include "jinsong/util.h"
#include "output_internal.h"

/* ---------------------------------------------------------------- writing */

/**
 * @brief A float64 member variable with a `key` attribute (a varied parameter), or without.
 * @param g the group
 * @param dim its member scale
 * @param name dataset name
 * @param n members
 * @param v values
 * @param units units
 * @param long_name description
 * @param key the dotted key path, or NULL
 */
static int ens_f64(hid_t g, hid_t dim, const char *name, hsize_t n, const double *v,
                   const char *units, const char *long_name, const char *key)
{
    if (js_out_static(g, dim, name, H5T_NATIVE_DOUBLE, n, v, units, long_name) < 0)
        return -1;
    if (!key)
        return 0;
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    int rc = ds < 0 ? -1 : js_h5_attr_str(ds, "key", key);
    if (ds >= 0)
        H5Dclose(ds);
    return rc;
}

/**
 * @brief /members: one row per member.
 * @param f the file
 * @param t the index
 */
static int ens_members(hid_t f, const struct js_ensemble_table *t)
{
    hid_t g = js_h5_group(f, "members");
    hsize_t n = (hsize_t)t->n;
    hid_t dim = g < 0 ? -1 : js_out_index_scale(g, "member", n, "member index (its run index)");
    if (dim < 0)
        return -1;
    int rc = 0;
    rc |= js_out_static(g, dim, "point", H5T_NATIVE_INT32, n, t->point, "1", "design point");
    rc |= js_out_static(g, dim, "replicate", H5T_NATIVE_INT32, n, t->replicate, "1",
                        "replicate of the design point");
    rc |= js_out_static(g, dim, "seed", H5T_NATIVE_UINT32, n, t->seeds, "1", "seed");
    rc |= js_out_static(g, dim, "run_index", H5T_NATIVE_UINT32, n, t->run_index, "1",
                        "run index of the random streams");
    rc |= js_out_static_str(g, dim, "status", t->status, n, "ok, failed or pending");
    rc |= js_out_static_str(g, dim, "error", t->error, n, "error of a failed member");
    rc |= js_out_static_str(g, dim, "file", t->file, n, "member's output, relative to here");
    rc |= ens_f64(g, dim, "wall_seconds", n, t->wall, "s", "wall time of the member's run", NULL);
    double *col = js_xmalloc((size_t)(n ? n : 1) * sizeof(double));
    for (int k = 0; k < t->n_params && rc == 0; k++) {
        for (hsize_t i = 0; i < n; i++)
            col[i] = t->values[i * (hsize_t)t->n_params + (hsize_t)k];
        char name[512];
        size_t o = 0;
        for (const char *p = t->keys[k]; *p && o + 3 < sizeof(name); p++) {
            if (*p == '.')
                name[o++] = '_';
            name[o++] = *p == '.' ? '_' : *p;
        }
        name[o] = '\0';
        rc |= ens_f64(g, dim, name, n, col, "1", "value of a varied parameter (attribute key)",
                      t->keys[k]);
    }
    for (int s = 0; s < t->nsummary && rc == 0; s++) {
        for (hsize_t i = 0; i < n; i++)
            col[i] = t->summary[i * (hsize_t)t->nsummary + (hsize_t)s];
        char name[512];
        snprintf(name, sizeof(name), "summary__%s", t->summary_names[s]);
        rc |= ens_f64(g, dim, name, n, col, "1",
                      "summary scalar of the member's output (NaN if it has none)", NULL);
    }
    free(col);
    H5Dclose(dim);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/**
 * @brief /design: the kind and sizes, the parameters' keys and bounds, Saltelli's labels.
 * @param f the file
 * @param t the index
 */
static int ens_design(hid_t f, const struct js_ensemble_table *t)
{
    hid_t g = js_h5_group(f, "design");
    if (g < 0)
        return -1;
    int rc = 0;
    rc |= js_h5_attr_str(g, "kind", t->kind);
    rc |= js_h5_attr_i64(g, "n_params", t->n_params);
    rc |= js_h5_attr_i64(g, "base_samples", t->base_samples);
    rc |= js_h5_attr_i64(g, "replicates", t->replicates);
    rc |= js_h5_attr_i64(g, "n_points", t->n_points);
    hsize_t np = (hsize_t)t->n_params, n = (hsize_t)t->n;
    hid_t pdim = js_out_index_scale(g, "param", np, "parameter index");
    hid_t mdim = js_out_index_scale(g, "member", n, "member index");
    if (pdim < 0 || mdim < 0)
        rc = -1;
    if (rc == 0) {
        rc |= js_out_static_str(g, pdim, "param_keys", t->keys, np, "dotted key path");
        rc |= js_out_static(g, pdim, "lower", H5T_NATIVE_DOUBLE, np, t->lower, "1",
                            "least value of the parameter");
        rc |= js_out_static(g, pdim, "upper", H5T_NATIVE_DOUBLE, np, t->upper, "1",
                            "greatest value of the parameter");
        rc |= js_out_static(g, mdim, "point", H5T_NATIVE_INT32, n, t->point, "1",
                            "design point of each member");
    }
    if (rc == 0 && t->matrix) {
        rc |= js_out_static(g, mdim, "saltelli_matrix", H5T_NATIVE_INT32, n, t->matrix, "1",
                            "Saltelli matrix: 0 = A, 1 = B, 2 + i = AB_i (A with column i from B)");
        rc |= js_out_static(g, mdim, "saltelli_row", H5T_NATIVE_INT32, n, t->row, "1",
                            "row of the base sample");
    }
    if (pdim >= 0)
        H5Dclose(pdim);
    if (mdim >= 0)
        H5Dclose(mdim);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/**
 * @brief Root attributes, external links to the members that are done, /provenance.
 * @param f the file
 * @param t the index
 */
static int ens_root(hid_t f, const struct js_ensemble_table *t)
{
    int rc = 0;
    char title[512];
    snprintf(title, sizeof(title), "jinsong ensemble %s over %s", t->sweep_name, t->scenario);
    rc |= js_h5_attr_str(f, "title", title);
    rc |= js_h5_attr_str(f, "Conventions", "CF-1.8");
    rc |= js_h5_attr_str(f, "jinsong_version", JS_VERSION);
    rc |= js_h5_attr_str(f, "git_revision", JS_GIT_REVISION);
    rc |= js_h5_attr_str(f, "sweep", t->sweep_name);
    rc |= js_h5_attr_str(f, "sweep_file", t->sweep_file);
    rc |= js_h5_attr_str(f, "scenario", t->scenario);
    rc |= js_h5_attr_u32(f, "seed", t->seed);
    rc |= js_h5_attr_i64(f, "n_members", t->n);
    for (int64_t i = 0; i < t->n && rc == 0; i++) {
        if (strcmp(t->status[i], "ok") != 0)
            continue;
        char link[64];
        snprintf(link, sizeof(link), "member_%lld", (long long)i);
        if (H5Lcreate_external(t->file[i], "/", f, link, H5P_DEFAULT, H5P_DEFAULT) < 0)
            rc = js_h5_fail(link);
    }
    hid_t g = rc ? -1 : js_h5_group(f, "provenance");
    if (g < 0)
        return -1;
    char created[32], host[256] = "";
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
    gethostname(host, sizeof(host) - 1);
    rc |= js_h5_attr_str(g, "created", created);
    rc |= js_h5_attr_str(g, "host", host);
    rc |= js_h5_attr_str(g, "command_line", t->command_line ? t->command_line : "");
    H5Gclose(g);
    return rc ? -1 : 0;
}

int js_ensemble_write(const char *path, const struct js_ensemble_table *t, char *err, size_t errlen)
{
    js_h5_quiet();
    char *partial = js_xasprintf("%s.%ld.partial", path, (long)getpid());
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t f = H5Fcreate(partial, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    int rc = f < 0 ? js_h5_fail(partial) : 0;
    if (rc == 0)
        rc = ens_root(f, t);
    if (rc == 0)
        rc = ens_members(f, t);
    if (rc == 0)
        rc = ens_design(f, t);
    if (f >= 0 && H5Fclose(f) < 0)
        rc = js_h5_fail(partial);
    if (rc == 0 && rename(partial, path) != 0) {
        char what[600];
        snprintf(what, sizeof(what), "renaming to %s: %s", path, strerror(errno));
        rc = js_h5_fail(what);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, js_h5_last_error());
        unlink(partial);
    }
    free(partial);
    return rc;
}

/* ---------------------------------------------------------------- summaries */

/**
 * @brief Adds a scalar to a summary.
 * @param s the summary
 * @param v its value
 * @param fmt printf format of its name
 */
static void sum_add(struct js_ensemble_summary *s, double v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void sum_add(struct js_ensemble_summary *s, double v, const char *fmt, ...)
{
    char name[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    s->names = js_xrealloc(s->names, (size_t)(s->n + 1) * sizeof(char *));
    s->values = js_xrealloc(s->values, (size_t)(s->n + 1) * sizeof(double));
    s->names[s->n] = js_xstrdup(name);
    s->values[s->n++] = v;
}

/**
 * @brief Reads a numeric dataset of rank 1 or 2 as doubles.
 * @param loc group
 * @param name dataset
 * @param dims out: its dimensions (dims[1] = 0 for rank 1)
 * @return a malloc'ed array, or NULL if absent, not numeric or empty
 */
static double *sum_read(hid_t loc, const char *name, hsize_t dims[2])
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t sp = ds < 0 ? -1 : H5Dget_space(ds);
    hid_t ty = ds < 0 ? -1 : H5Dget_type(ds);
    int rank = sp < 0 ? 0 : H5Sget_simple_extent_ndims(sp);
    H5T_class_t cls = ty < 0 ? H5T_NO_CLASS : H5Tget_class(ty);
    double *v = NULL;
    dims[0] = dims[1] = 1;
    if ((rank == 1 || rank == 2) && (cls == H5T_INTEGER || cls == H5T_FLOAT)) {
        H5Sget_simple_extent_dims(sp, dims, NULL);
        if (rank == 1)
            dims[1] = 0;
        size_t total = (size_t)(dims[0] * (dims[1] ? dims[1] : 1));
        v = total ? js_xmalloc(total * sizeof(double)) : NULL;
        if (v && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            free(v);
            v = NULL;
        }
    }
    if (ty >= 0)
        H5Tclose(ty);
    if (sp >= 0)
        H5Sclose(sp);
    if (ds >= 0)
        H5Dclose(ds);
    return v;
}

/**
 * @brief Reads a 1-D fixed-length string dataset.
 * @param loc group
 * @param name dataset
 * @param n out: how many
 * @return a malloc'ed array of malloc'ed strings, or NULL
 */
static char **sum_read_strings(hid_t loc, const char *name, hsize_t *n)
{
    *n = 0;
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t ty = H5Dget_type(ds), sp = H5Dget_space(ds);
    size_t w = H5Tget_size(ty);
    H5Sget_simple_extent_dims(sp, n, NULL);
    char *buf = js_xcalloc((size_t)(*n ? *n : 1), w + 1);
    char **out = NULL;
    if (H5Tget_class(ty) == H5T_STRING && !H5Tis_variable_str(ty) &&
        H5Dread(ds, ty, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
        out = js_xcalloc((size_t)(*n ? *n : 1), sizeof(char *));
        for (hsize_t i = 0; i < *n; i++) {
            out[i] = js_xcalloc(w + 1, 1);
            memcpy(out[i], buf + i * w, w);
        }
    }
    free(buf);
    H5Tclose(ty);
    H5Sclose(sp);
    H5Dclose(ds);
    return out;
}

/**
 * @brief Frees strings from sum_read_strings.
 * @param s the strings
 * @param n how many
 */
static void sum_free_strings(char **s, hsize_t n)
{
    for (hsize_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

/**
 * @brief The last row of every numeric [time, faction] variable of /factions, per faction.
 * @param f the member file
 * @param s the summary
 */
static void sum_factions(hid_t f, struct js_ensemble_summary *s)
{
    if (H5Lexists(f, "factions", H5P_DEFAULT) <= 0)
        return;
    hid_t g = H5Gopen2(f, "factions", H5P_DEFAULT);
    hsize_t nf = 0;
    char **ids = sum_read_strings(g, "faction_id", &nf);
    H5G_info_t info;
    H5Gget_info(g, &info);
    for (hsize_t i = 0; ids && i < info.nlinks; i++) {
        char name[256];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof(name),
                               H5P_DEFAULT) < 0)
            continue;
        hsize_t dims[2];
        double *v = sum_read(g, name, dims);
        if (v && dims[1] == nf && dims[0] > 0)
            for (hsize_t k = 0; k < nf; k++)
                sum_add(s, v[(dims[0] - 1) * nf + k], "%s__%s", name, ids[k]);
        free(v);
    }
    sum_free_strings(ids, nf);
    H5Gclose(g);
}

/**
 * @brief Every ledger flow summed over the run: `<qty>__<flow>`.
 * @param f the member file
 * @param s the summary
 */
static void sum_ledger(hid_t f, struct js_ensemble_summary *s)
{
    if (H5Lexists(f, "ledger", H5P_DEFAULT) <= 0)
        return;
    hid_t g = H5Gopen2(f, "ledger", H5P_DEFAULT);
    for (int q = 0; q < JS_NQTY; q++) {
        const char *qn = js_ledger_qty_name((enum js_qty)q);
        char var[64];
        snprintf(var, sizeof(var), "%s_flow_name", qn);
        hsize_t nf = 0, dims[2];
        char **names = sum_read_strings(g, var, &nf);
        double *v = names ? sum_read(g, qn, dims) : NULL;
        for (hsize_t k = 0; v && dims[1] == nf && k < nf; k++) {
            double total = 0;
            for (hsize_t t = 0; t < dims[0]; t++)
                total += v[t * nf + k];
            sum_add(s, total, "%s__%s", qn, names[k]);
        }
        free(v);
        sum_free_strings(names, nf);
    }
    H5Gclose(g);
}

/**
 * @brief Events: their number and their number by kind (the kinds that occur).
 * @param f the member file
 * @param s the summary
 */
static void sum_events(hid_t f, struct js_ensemble_summary *s)
{
    if (H5Lexists(f, "events", H5P_DEFAULT) <= 0)
        return;
    hid_t ds = H5Dopen2(f, "events", H5P_DEFAULT);
    hid_t ty = H5Dget_type(ds), sp = H5Dget_space(ds);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(sp, &n, NULL);
    sum_add(s, (double)n, "events");
    int idx = H5Tget_member_index(ty, "kind");
    hid_t kt = idx >= 0 ? H5Tget_member_type(ty, (unsigned)idx) : -1;
    size_t size = H5Tget_size(ty), off = idx >= 0 ? H5Tget_member_offset(ty, (unsigned)idx) : 0;
    unsigned char *buf = js_xmalloc((size_t)(n ? n : 1) * size);
    if (kt >= 0 && H5Tget_class(kt) == H5T_ENUM && H5Tget_size(kt) == sizeof(int32_t) &&
        H5Dread(ds, ty, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
        int nk = H5Tget_nmembers(kt);
        for (int k = 0; k < nk; k++) {
            int32_t value;
            H5Tget_member_value(kt, (unsigned)k, &value);
            int64_t count = 0;
            for (hsize_t i = 0; i < n; i++) {
                int32_t v;
                memcpy(&v, buf + i * size + off, sizeof(v));
                count += v == value;
            }
            char *name = H5Tget_member_name(kt, (unsigned)k);
            if (count)
                sum_add(s, (double)count, "events__%s", name);
            H5free_memory(name);
        }
    }
    free(buf);
    if (kt >= 0)
        H5Tclose(kt);
    H5Tclose(ty);
    H5Sclose(sp);
    H5Dclose(ds);
}

int js_ensemble_summary_read(const char *path, struct js_ensemble_summary *s)
{
    memset(s, 0, sizeof(*s));
    js_h5_quiet();
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return -1;
    hsize_t dims[2];
    double *pop =
        H5Lexists(f, "places", H5P_DEFAULT) > 0 ? sum_read(f, "places/population", dims) : NULL;
    if (pop && dims[0] > 0 && dims[1] > 0) {
        double total = 0;
        for (hsize_t i = 0; i < dims[1]; i++)
            total += pop[(dims[0] - 1) * dims[1] + i];
        sum_add(s, total, "final_population");
    }
    free(pop);
    sum_factions(f, s);
    sum_ledger(f, s);
    sum_events(f, s);
    H5Fclose(f);
    return 0;
}

void js_ensemble_summary_free(struct js_ensemble_summary *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s->values);
    memset(s, 0, sizeof(*s));
}

int js_ensemble_file_complete(const char *path)
{
    js_h5_quiet();
    if (access(path, R_OK) != 0 || H5Fis_hdf5(path) <= 0)
        return 0;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return 0;
    char done[16] = "";
    if (H5Lexists(f, "provenance", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(f, "provenance", H5P_DEFAULT);
        js_h5_read_attr_str(g, "completed", done, sizeof(done));
        H5Gclose(g);
    }
    H5Fclose(f);
    return strcmp(done, "true") == 0;
}
