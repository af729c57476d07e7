/**
 * @file flee_score.c
 * @brief FLEE's validation error of a run (flee-rules.md §3.3, FLEE's postprocessing and
 * FabFlee's validate_flee): the averaged relative difference between the simulated refugees in
 * each camp (/places/refugees_present) and the UNHCR counts of source_data/, plain and
 * rescaled.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HDF5 */
#include <hdf5.h>

/* local headers */
#include "flee_internal.h"
#include "jinsong/h5util.h"
#include "jinsong/util.h"

/** @brief What the score reads from a run. */
struct fs_run {
    int64_t rows;     /**< time rows */
    int64_t nplaces;  /**< places */
    double *time;     /**< [rows] days since the start */
    char **names;     /**< [nplaces] place names */
    int64_t *present; /**< [rows × nplaces] refugees present */
    char start[32];   /**< start date */
};

/**
 * @brief Reads a 1-D fixed-length string dataset.
 * @param f the file
 * @param path the dataset
 * @param n out: how many
 * @return the strings (malloc'd), or NULL
 */
static char **fs_read_strings(hid_t f, const char *path, int64_t *n)
{
    hid_t ds = H5Dopen2(f, path, H5P_DEFAULT);
    if (ds < 0)
        return NULL;
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds);
    hsize_t dim = 0;
    char **out = NULL;
    size_t sz = H5Tget_size(t);
    if (H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &dim, NULL) == 1 &&
        H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0) {
        char *buf = js_xcalloc((size_t)dim * sz + 1, 1);
        if (H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
            out = js_xcalloc((size_t)dim + 1, sizeof(char *));
            for (hsize_t i = 0; i < dim; i++) {
                out[i] = js_xcalloc(sz + 1, 1);
                memcpy(out[i], buf + i * sz, sz);
            }
            *n = (int64_t)dim;
        }
        free(buf);
    }
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(ds);
    return out;
}

/**
 * @brief Reads a numeric dataset whole (converted to @p mt).
 * @param f the file
 * @param path the dataset
 * @param mt memory type
 * @param elem bytes per element
 * @param dims out: its dimensions (up to 2)
 * @return the data (malloc'd), or NULL
 */
static void *fs_read_all(hid_t f, const char *path, hid_t mt, size_t elem, hsize_t dims[2])
{
    hid_t ds = H5Dopen2(f, path, H5P_DEFAULT);
    if (ds < 0)
        return NULL;
    hid_t sp = H5Dget_space(ds);
    int nd = H5Sget_simple_extent_ndims(sp);
    dims[0] = dims[1] = 1;
    void *buf = NULL;
    if (nd >= 1 && nd <= 2 && H5Sget_simple_extent_dims(sp, dims, NULL) == nd) {
        buf = js_xmalloc((size_t)(dims[0] * dims[1]) * elem + 1);
        if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
    }
    H5Sclose(sp);
    H5Dclose(ds);
    return buf;
}

/**
 * @brief Reads what the score needs from a run's output.
 * @param path the file
 * @param r out
 * @param d errors
 * @return 0 or -1
 */
static int fs_read_run(const char *path, struct fs_run *r, struct js_diag *d)
{
    memset(r, 0, sizeof(*r));
    js_h5_quiet();
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        js_diag_add(d, path, 0, 0, NULL, "give the HDF5 file of a jinsong run",
                    "cannot open the file");
        return -1;
    }
    hsize_t dt[2], dp[2];
    r->time = fs_read_all(f, "/places/time", H5T_NATIVE_DOUBLE, sizeof(double), dt);
    r->present = fs_read_all(f, "/places/refugees_present", H5T_NATIVE_INT64, sizeof(int64_t), dp);
    r->names = fs_read_strings(f, "/places/place_name", &r->nplaces);
    js_h5_read_attr_str(f, "start_date", r->start, sizeof(r->start));
    H5Fclose(f);
    r->rows = (int64_t)dt[0];
    if (!r->time || !r->present || !r->names || dp[0] != dt[0] || (int64_t)dp[1] != r->nplaces) {
        js_diag_add(d, path, 0, 0, NULL, "give the output of `jinsong run` on an imported scenario",
                    "no readable /places/time, /places/place_name and /places/refugees_present");
        return -1;
    }
    return 0;
}

/**
 * @brief Frees what was read.
 * @param r the run
 */
static void fs_free_run(struct fs_run *r)
{
    for (int64_t i = 0; r->names && i < r->nplaces; i++)
        free(r->names[i]);
    free(r->names);
    free(r->time);
    free(r->present);
}

/**
 * @brief E(t) of one row, plain and rescaled.
 * @param sim simulated counts by camp
 * @param obs observed counts by camp
 * @param n camps
 * @param plain out
 * @param rescaled out
 */
static void fs_error(const double *sim, const double *obs, int n, double *plain, double *rescaled)
{
    double ssum = 0, osum = 0, e = 0, er = 0;
    for (int c = 0; c < n; c++) {
        ssum += sim[c];
        osum += obs[c];
    }
    double k = ssum > 0 ? osum / ssum : 1.0;
    for (int c = 0; c < n; c++) {
        e += fabs(sim[c] - obs[c]);
        er += fabs(sim[c] * k - obs[c]);
    }
    double den = osum > 1.0 ? osum : 1.0;
    *plain = e / den;
    *rescaled = er / den;
}

/**
 * @brief Matches each camp series to the run's place of the same name.
 * @param data the series
 * @param r the run
 * @param col out: place of each series (−1 for the total)
 * @param path the run (for messages)
 * @param d errors
 * @return camps matched, or −1
 */
static int fs_match(const struct flee_data *data, const struct fs_run *r, int64_t *col,
                    const char *path, struct js_diag *d)
{
    int n = 0;
    for (int k = 0; k < data->n; k++) {
        col[k] = -1;
        if (k == data->total)
            continue;
        for (int64_t i = 0; i < r->nplaces && col[k] < 0; i++)
            if (!strcmp(r->names[i], data->s[k].label))
                col[k] = i;
        if (col[k] < 0) {
            js_diag_add(d, path, 0, 0, NULL,
                        "score a run of the scenario imported from this folder",
                        "the run has no place named '%s'", data->s[k].label);
            return -1;
        }
        n++;
    }
    return n;
}

/**
 * @brief The score over the rows of days 1 … end.
 * @param data the series
 * @param r the run
 * @param col the place of each series
 * @param out the score
 * @param per_day the rescaled E(t) by day, or NULL
 */
static void fs_score(const struct flee_data *data, const struct fs_run *r, const int64_t *col,
                     struct js_flee_score *out, double **per_day)
{
    double *sim = js_xcalloc((size_t)data->n, sizeof(double));
    double *obs = js_xcalloc((size_t)data->n, sizeof(double));
    double *days = per_day ? js_xcalloc((size_t)r->rows + 1, sizeof(double)) : NULL;
    double sum = 0, sumr = 0;
    int32_t nd = 0;
    for (int64_t row = 0; row < r->rows; row++) {
        int32_t t = (int32_t)llround(r->time[row]);
        if (t < 1)
            continue;
        int c = 0;
        for (int k = 0; k < data->n; k++) {
            if (col[k] < 0)
                continue;
            sim[c] = (double)r->present[row * r->nplaces + col[k]];
            obs[c++] = flee_series_at(&data->s[k], t);
        }
        double e, er;
        fs_error(sim, obs, c, &e, &er);
        sum += e;
        sumr += er;
        if (days)
            days[nd] = er;
        nd++;
        out->sim_final = out->data_final = 0;
        for (int k = 0; k < c; k++) {
            out->sim_final += sim[k];
            out->data_final += obs[k];
        }
    }
    out->days = nd;
    out->ard = nd ? sum / nd : NAN;
    out->ard_rescaled = nd ? sumr / nd : NAN;
    if (per_day)
        *per_day = days;
    free(sim);
    free(obs);
}

int js_flee_score(const char *run, const char *dir, struct js_flee_score *out, double **per_day,
                  struct js_diag *d)
{
    memset(out, 0, sizeof(*out));
    if (per_day)
        *per_day = NULL;
    struct js_date start;
    int32_t length;
    struct fs_run r;
    struct flee_data data;
    memset(&data, 0, sizeof(data));
    memset(&r, 0, sizeof(r));
    size_t errors = d->n;
    if (flee_period_read(dir, &start, &length, d) != 0 || fs_read_run(run, &r, d) != 0 ||
        flee_data_read(dir, start, &data, d) != 0) {
        fs_free_run(&r);
        flee_data_free(&data);
        return -1;
    }
    (void)length; /* the run's rows say how long it ran */
    char s0[16];
    js_calendar_format(start, s0);
    int64_t *col = js_xcalloc((size_t)(data.n ? data.n : 1), sizeof(int64_t));
    if (strcmp(s0, r.start) != 0)
        js_diag_add(d, run, 0, 0, NULL, "score a run of the scenario imported from this folder",
                    "the run starts on %s, the FLEE scenario on %s", r.start, s0);
    else if ((out->camps = fs_match(&data, &r, col, run, d)) == 0)
        js_diag_add(d, dir, 0, 0, NULL, NULL, "source_data/ has no camp series");
    if (d->n == errors)
        fs_score(&data, &r, col, out, per_day);
    if (d->n == errors && out->days == 0)
        js_diag_add(d, run, 0, 0, NULL, NULL, "the run has no output row after day 0");
    free(col);
    fs_free_run(&r);
    flee_data_free(&data);
    return d->n == errors ? 0 : -1;
}
