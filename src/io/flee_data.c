/**
 * @file flee_data.c
 * @brief The UNHCR counts of a FLEE scenario (source_data/: data_layout.csv and one date,count
 * file per camp), FLEE's level-1 registration corrections, the linear interpolation FLEE reads
 * them with, and the scenario's period (sim_period.csv).
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "flee_internal.h"
#include "jinsong/util.h"

/**
 * @brief Whether a row of a count file is a header (first cell Date, DateTime or starting
 * with '#').
 * @param r the row
 */
static bool flee_count_header(const struct flee_row *r)
{
    return r->hash || !strcmp(r->f[0], "Date") || !strcmp(r->f[0], "DateTime");
}

/**
 * @brief Reads one date,count file into a series (rows with an empty count are skipped, as
 * FLEE does); dates must increase.
 * @param path the file
 * @param shown its name in messages
 * @param start the scenario's start
 * @param s out: the points
 * @param d errors
 * @return 0 or -1
 */
static int flee_count_file(const char *path, const char *shown, struct js_date start,
                           struct flee_series *s, struct js_diag *d)
{
    struct flee_csv csv;
    size_t errors = d->n;
    if (flee_csv_read(path, shown, &csv, true, d) != 0) {
        flee_csv_free(&csv);
        return -1;
    }
    s->day = js_xmalloc((size_t)(csv.n ? csv.n : 1) * sizeof(int32_t));
    s->v = js_xmalloc((size_t)(csv.n ? csv.n : 1) * sizeof(double));
    s->n = 0;
    for (int i = 0; i < csv.n; i++) {
        const struct flee_row *r = &csv.rows[i];
        if ((i == 0 && flee_count_header(r)) || r->hash || r->nf < 2 || !r->f[1][0])
            continue;
        struct js_date date;
        double v;
        if (!flee_date(d, &csv, r, 0, &date) || !flee_number(d, &csv, r, 1, "count", &v))
            continue;
        if (v < 0) {
            flee_err(d, &csv, r, 1, "counts are persons, 0 or more", "negative count %s", r->f[1]);
            continue;
        }
        int32_t day = (int32_t)js_calendar_days_between(JS_CAL_GREGORIAN, start, date);
        if (s->n > 0 && day <= s->day[s->n - 1]) {
            flee_err(d, &csv, r, 0, "sort the rows by date, one row per date",
                     "the date %s is not after the row before", r->f[0]);
            continue;
        }
        s->day[s->n] = day;
        s->v[s->n++] = v;
    }
    if (d->n == errors && s->n == 0)
        js_diag_add(d, shown, 0, 0, NULL, "give at least one date,count row",
                    "the file holds no counts");
    flee_csv_free(&csv);
    return d->n == errors ? 0 : -1;
}

/**
 * @brief Adds series @p b to @p a: the sum of their interpolations at every date of either.
 * @param a the series (replaced)
 * @param b the series added
 */
static void flee_series_add(struct flee_series *a, const struct flee_series *b)
{
    int n = 0, i = 0, j = 0;
    int32_t *day = js_xmalloc((size_t)(a->n + b->n) * sizeof(int32_t));
    double *v = js_xmalloc((size_t)(a->n + b->n) * sizeof(double));
    while (i < a->n || j < b->n) {
        int32_t t = j >= b->n || (i < a->n && a->day[i] <= b->day[j]) ? a->day[i] : b->day[j];
        i += i < a->n && a->day[i] == t;
        j += j < b->n && b->day[j] == t;
        day[n] = t;
        v[n++] = flee_series_at(a, t) + flee_series_at(b, t);
    }
    free(a->day);
    free(a->v);
    a->day = day;
    a->v = v;
    a->n = n;
}

/**
 * @brief Reads one row of data_layout.csv: its label and its files (summed).
 * @param dir the source_data folder
 * @param csv the layout file
 * @param r the row
 * @param start the scenario's start
 * @param s out
 * @param d errors
 * @return 0 or -1
 */
static int flee_layout_row(const char *dir, const struct flee_csv *csv, const struct flee_row *r,
                           struct js_date start, struct flee_series *s, struct js_diag *d)
{
    memset(s, 0, sizeof(*s));
    s->label = js_xstrdup(r->f[0]);
    int rc = 0;
    for (int k = 1; k < r->nf; k++) {
        if (!r->f[k][0])
            continue;
        if (strchr(r->f[k], '/')) {
            flee_err(d, csv, r, k, "name a file of source_data/", "'%s' is not a file name",
                     r->f[k]);
            rc = -1;
            continue;
        }
        char *path = flee_path(dir, r->f[k]);
        struct flee_series one = {0};
        if (flee_count_file(path, path, start, s->n ? &one : s, d) != 0)
            rc = -1;
        else if (one.n)
            flee_series_add(s, &one);
        free(one.day);
        free(one.v);
        free(path);
    }
    if (rc == 0 && !s->n) {
        flee_err(d, csv, r, 1, "give the label's count file", "no file for '%s'", r->f[0]);
        rc = -1;
    }
    return rc;
}

/**
 * @brief Applies input_csv/registration_corrections.csv: for each row camp,date,normalize,
 * the camp's points before the date are multiplied by value(date) / value(point before); the
 * date must be one of the camp's points (FLEE's correctLevel1Registrations).
 * @param dir the scenario folder
 * @param data the series
 * @param start the scenario's start
 * @param d errors
 * @return 0 or -1
 */
static int flee_corrections(const char *dir, struct flee_data *data, struct js_date start,
                            struct js_diag *d)
{
    char *path = flee_path(dir, "input_csv/registration_corrections.csv");
    struct flee_csv csv;
    size_t errors = d->n;
    int rc = flee_csv_read(path, path, &csv, false, d);
    free(path);
    for (int i = 0; rc == 0 && i < csv.n; i++) {
        const struct flee_row *r = &csv.rows[i];
        if (r->hash)
            continue;
        struct flee_series *s = NULL;
        for (int k = 0; k < data->n && !s; k++)
            s = strcmp(data->s[k].label, r->f[0]) ? NULL : &data->s[k];
        struct js_date date;
        if (!s) {
            flee_err(d, &csv, r, 0, "name a camp of source_data/data_layout.csv",
                     "'%s' has no UNHCR series", r->f[0]);
            continue;
        }
        if (!flee_date(d, &csv, r, 1, &date))
            continue;
        if (strcmp(flee_field(r, 2), "normalize") != 0) {
            flee_err(d, &csv, r, 2, "the only correction FLEE knows is normalize",
                     "expected normalize, got \"%s\"", flee_field(r, 2));
            continue;
        }
        int32_t day = (int32_t)js_calendar_days_between(JS_CAL_GREGORIAN, start, date);
        int at = -1;
        for (int k = 0; k < s->n && at < 0; k++)
            at = s->day[k] == day ? k : -1;
        if (at < 1 || s->v[at - 1] <= 0) {
            flee_err(d, &csv, r, 1, "give the date of a data point that follows a non-zero one",
                     at < 0 ? "%s is not a date of %s's series"
                            : "%s: %s's series has no non-zero point before it",
                     r->f[1], r->f[0]);
            continue;
        }
        double f = s->v[at] / s->v[at - 1];
        for (int k = 0; k < at; k++)
            s->v[k] *= f;
    }
    flee_csv_free(&csv);
    return rc < 0 || d->n > errors ? -1 : 0;
}

int flee_data_read(const char *dir, struct js_date start, struct flee_data *data, struct js_diag *d)
{
    memset(data, 0, sizeof(*data));
    data->total = -1;
    char *sd = flee_path(dir, "source_data");
    char *path = flee_path(sd, "data_layout.csv");
    struct flee_csv csv;
    size_t errors = d->n;
    if (flee_csv_read(path, path, &csv, true, d) != 0) {
        free(sd);
        free(path);
        flee_csv_free(&csv);
        return -1;
    }
    data->s = js_xcalloc((size_t)(csv.n ? csv.n : 1), sizeof(*data->s));
    for (int i = 0; i < csv.n; i++) {
        const struct flee_row *r = &csv.rows[i];
        if (r->hash)
            continue;
        bool dup = false;
        for (int k = 0; k < data->n && !dup; k++)
            dup = !strcmp(data->s[k].label, r->f[0]);
        if (dup) {
            flee_err(d, &csv, r, 0, "give each label once", "'%s' is listed twice", r->f[0]);
            continue;
        }
        if (flee_layout_row(sd, &csv, r, start, &data->s[data->n], d) == 0 &&
            !strcmp(r->f[0], "total"))
            data->total = data->n;
        data->n++;
    }
    flee_csv_free(&csv);
    free(sd);
    free(path);
    if (d->n == errors)
        flee_corrections(dir, data, start, d);
    return d->n == errors ? 0 : -1;
}

void flee_data_free(struct flee_data *data)
{
    for (int i = 0; i < data->n; i++) {
        free(data->s[i].label);
        free(data->s[i].day);
        free(data->s[i].v);
    }
    free(data->s);
    memset(data, 0, sizeof(*data));
}

double flee_series_at(const struct flee_series *s, int32_t t)
{
    if (s->n == 0)
        return 0.0;
    if (t <= s->day[0])
        return trunc(s->v[0]);
    for (int k = 1; k < s->n; k++) {
        if (t < s->day[k]) {
            double f = (double)(t - s->day[k - 1]) / (double)(s->day[k] - s->day[k - 1]);
            return trunc(s->v[k - 1] + f * (s->v[k] - s->v[k - 1]));
        }
    }
    return trunc(s->v[s->n - 1]);
}

int flee_period_read(const char *dir, struct js_date *start, int32_t *length, struct js_diag *d)
{
    char *path = flee_path(dir, "input_csv/sim_period.csv");
    struct flee_csv csv;
    size_t errors = d->n;
    bool got_start = false, got_len = false;
    if (flee_csv_read(path, path, &csv, true, d) == 0) {
        for (int i = 0; i < csv.n; i++) {
            const struct flee_row *r = &csv.rows[i];
            double v;
            if (!strcmp(r->f[0], "StartDate")) {
                got_start = flee_date(d, &csv, r, 1, start);
            } else if (!strcmp(r->f[0], "Length")) {
                if (!flee_number(d, &csv, r, 1, "Length", &v))
                    continue;
                if (v < 1 || v > 73050 || v != floor(v)) {
                    flee_err(d, &csv, r, 1, "give the days simulated, 1 to 73050",
                             "Length %s is not a whole number of days in range", r->f[1]);
                    continue;
                }
                *length = (int32_t)v;
                got_len = true;
            } else if (!r->hash) {
                flee_err(d, &csv, r, 0, "the rows are StartDate,YYYY-MM-DD and Length,DAYS",
                         "unknown row '%s'", r->f[0]);
            }
        }
        if (d->n == errors && (!got_start || !got_len))
            js_diag_add(d, path, 0, 0, NULL, "add the rows StartDate,YYYY-MM-DD and Length,DAYS",
                        "missing %s", !got_start ? "StartDate" : "Length");
    }
    flee_csv_free(&csv);
    free(path);
    return d->n == errors ? 0 : -1;
}
