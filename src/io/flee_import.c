/**
 * @file flee_import.c
 * @brief `jinsong import-flee`: reads a FLEE scenario folder (input_csv/ and source_data/, with
 * a simsetting.yml) into a model checked for consistency — every name known, every conflicts
 * row present, distances positive — and hands it to the writer (flee_write.c).
 */

/* system headers */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* local headers */
#include "flee_internal.h"
#include "jinsong/fsutil.h"
#include "jinsong/util.h"

/* ---------------------------------------------------------------- names and ids */

/**
 * @brief The location with a name, or −1.
 * @param m the model
 * @param name the name
 */
static int32_t flee_find(const struct flee_model *m, const char *name)
{
    for (int32_t i = 0; i < m->nloc; i++)
        if (!strcmp(m->loc[i].name, name))
            return i;
    return -1;
}

/**
 * @brief A jinsong id from a FLEE name: letters, digits, '-' and '_' kept, anything else a
 * '_', a leading character that is not a letter or digit prefixed with 'x'; made unique
 * among @p taken with a suffix _2, _3, ...
 * @param name the name
 * @param taken ids given so far
 * @param ntaken how many
 * @return the id (malloc'd)
 */
static char *flee_make_id(const char *name, char *const *taken, int32_t ntaken)
{
    size_t n = strlen(name);
    char *base = js_xmalloc(n + 2), *o = base;
    if (!isalnum((unsigned char)name[0]))
        *o++ = 'x';
    for (const char *p = name; *p; p++) {
        char ch = isalnum((unsigned char)*p) || *p == '-' ? *p : '_';
        if (ch == '_' && o > base && o[-1] == '_')
            continue;
        *o++ = ch;
    }
    *o = '\0';
    char *id = js_xstrdup(base);
    for (int k = 2;; k++) {
        bool used = false;
        for (int32_t i = 0; i < ntaken && !used; i++)
            used = taken[i] && !strcmp(taken[i], id);
        if (!used)
            break;
        free(id);
        id = js_xasprintf("%s_%d", base, k);
    }
    free(base);
    return id;
}

/* ---------------------------------------------------------------- locations.csv */

/**
 * @brief FLEE's location type from its word (matched by substring, as FLEE does).
 * @param w the word
 * @return enum flee_type, or −1
 */
static int flee_type_of(const char *w)
{
    char low[64];
    size_t n = strlen(w) < sizeof(low) - 1 ? strlen(w) : sizeof(low) - 1;
    for (size_t k = 0; k < n; k++)
        low[k] = (char)tolower((unsigned char)w[k]);
    low[n] = '\0';
    if (strstr(low, "flood"))
        return -1;
    if (strstr(low, "camp"))
        return strstr(low, "idp") ? FLEE_IDPCAMP : FLEE_CAMP;
    if (strstr(low, "conflict"))
        return FLEE_CONFLICT;
    if (strstr(low, "forward"))
        return FLEE_FORWARD;
    if (strstr(low, "marker"))
        return FLEE_MARKER;
    if (strstr(low, "town") || strstr(low, "default"))
        return FLEE_TOWN;
    return -1;
}

/**
 * @brief Refuses attribute columns past the standard ones (a header naming them, or values in
 * them): jinsong has none of FLEE's per-location or per-link attributes.
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param ncols the standard columns
 * @return true if the row has none
 */
static bool flee_no_extra_columns(struct js_diag *d, const struct flee_csv *csv,
                                  const struct flee_row *r, int ncols)
{
    for (int k = ncols; k < r->nf; k++) {
        if (r->f[k][0]) {
            flee_err(d, csv, r, k,
                     "remove the column: the importer knows the standard columns only",
                     "attribute column %d (\"%s\") is not supported", k + 1, r->f[k]);
            return false;
        }
    }
    return true;
}

/**
 * @brief Reads one location row.
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 */
static void flee_location_row(struct flee_model *m, struct js_diag *d, const struct flee_csv *csv,
                              const struct flee_row *r)
{
    struct flee_loc *l = &m->loc[m->nloc];
    memset(l, 0, sizeof(*l));
    l->conflict_date = -1;
    double lat = 0, lon = 0, v = 0;
    if (!flee_no_extra_columns(d, csv, r, 8))
        return;
    if (flee_find(m, r->f[0]) >= 0) {
        flee_err(d, csv, r, 0, "give each location once", "location '%s' is listed twice", r->f[0]);
        return;
    }
    bool ok =
        flee_number(d, csv, r, 3, "latitude", &lat) & flee_number(d, csv, r, 4, "longitude", &lon);
    if (ok && (fabs(lat) > 90 || fabs(lon) > 180)) {
        flee_err(d, csv, r, fabs(lat) > 90 ? 3 : 4, "columns 4 and 5 are latitude and longitude",
                 "coordinates (%g, %g) are out of range", lat, lon);
        ok = false;
    }
    int type = flee_type_of(flee_field(r, 5));
    if (type < 0) {
        flee_err(d, csv, r, 5, "use conflict_zone, town, camp, idpcamp, forwarding_hub or marker",
                 "unknown or unsupported location type \"%s\"", flee_field(r, 5));
        ok = false;
    }
    if (flee_field(r, 6)[0] && flee_number(d, csv, r, 6, "conflict_date", &v)) {
        if (v < 0 || v != floor(v) || v > 73050)
            flee_err(d, csv, r, 6, "give a day from the start, 0 or more",
                     "conflict_date %s is not a day", r->f[6]);
        l->conflict_date = (int32_t)v;
    }
    if (flee_field(r, 7)[0] && flee_number(d, csv, r, 7, "population", &v)) {
        bool camp = type == FLEE_CAMP || type == FLEE_IDPCAMP;
        if (v > 1e9 || (!camp && v < 0))
            flee_err(d, csv, r, 7, "give persons, 0 to 10^9", "population %s is out of range",
                     r->f[7]);
        l->pop = v < 0 ? 0 : (int64_t)floor(v); /* a camp's capacity ≤ 0: no limit (FLEE) */
    }
    if (!ok)
        return;
    l->name = js_xstrdup(r->f[0]);
    l->region = js_xstrdup(flee_field(r, 1));
    l->country = js_xstrdup(flee_field(r, 2));
    l->lat = lat;
    l->lon = lon;
    l->type = type;
    l->type_word = js_xstrdup(r->f[5]);
    m->nloc++;
}

/**
 * @brief Reads input_csv/locations.csv (name, region, country, latitude, longitude, type,
 * conflict_date, population or capacity).
 * @param m the model
 * @param d errors
 */
static void flee_read_locations(struct flee_model *m, struct js_diag *d)
{
    char *path = flee_path(m->dir, "input_csv/locations.csv");
    struct flee_csv csv;
    if (flee_csv_read(path, path, &csv, true, d) == 0) {
        m->loc = js_xcalloc((size_t)(csv.n ? csv.n : 1), sizeof(*m->loc));
        for (int i = 0; i < csv.n; i++) {
            const struct flee_row *r = &csv.rows[i];
            if (r->hash)
                flee_no_extra_columns(d, &csv, r, 8);
            else
                flee_location_row(m, d, &csv, r);
        }
        if (m->nloc == 0 && csv.n == 0)
            js_diag_add(d, path, 0, 0, NULL, "add a row per location", "no locations");
    }
    char **ids = js_xcalloc((size_t)(m->nloc ? m->nloc : 1), sizeof(char *));
    for (int32_t i = 0; i < m->nloc; i++)
        ids[i] = m->loc[i].id = flee_make_id(m->loc[i].name, ids, i);
    free(ids);
    flee_csv_free(&csv);
    free(path);
}

/* ---------------------------------------------------------------- routes.csv */

/**
 * @brief A location named in field @p k of a row, or −1 with an error.
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param k the field
 */
static int32_t flee_ref(const struct flee_model *m, struct js_diag *d, const struct flee_csv *csv,
                        const struct flee_row *r, int k)
{
    int32_t i = flee_find(m, flee_field(r, k));
    if (i < 0)
        flee_err(d, csv, r, k, "name a location of input_csv/locations.csv",
                 "unknown location '%s'", flee_field(r, k));
    return i;
}

/**
 * @brief Reads one route row.
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 */
static void flee_route_row(struct flee_model *m, struct js_diag *d, const struct flee_csv *csv,
                           const struct flee_row *r)
{
    double km = 0;
    if (!flee_no_extra_columns(d, csv, r, 4))
        return;
    int32_t a = flee_ref(m, d, csv, r, 0), b = flee_ref(m, d, csv, r, 1);
    bool ok = flee_number(d, csv, r, 2, "distance", &km) && a >= 0 && b >= 0;
    if (ok && !(km > 0 && km <= 5000)) {
        flee_err(d, csv, r, 2, "give the road distance in km, more than 0 and at most 5000",
                 km < 0 ? "negative distance %s" : "distance %s is out of range", r->f[2]);
        ok = false;
    }
    if (ok && a == b) {
        flee_err(d, csv, r, 1, "a route joins two different locations",
                 "the route goes from '%s' to itself", r->f[0]);
        ok = false;
    }
    const char *fr = flee_field(r, 3); /* read by no movement rule of FLEE: checked, not used */
    if (fr[0] && strcmp(fr, "0") && strcmp(fr, "1") && strcmp(fr, "2")) {
        flee_err(d, csv, r, 3, "forced_redirection is 0, 1, 2 or empty",
                 "unknown forced_redirection \"%s\"", fr);
        ok = false;
    }
    if (!ok)
        return;
    m->rt[m->nrt++] = (struct flee_route){a, b, km, NULL};
}

/**
 * @brief Reads input_csv/routes.csv (name1, name2, distance, forced_redirection).
 * @param m the model
 * @param d errors
 */
static void flee_read_routes(struct flee_model *m, struct js_diag *d)
{
    char *path = flee_path(m->dir, "input_csv/routes.csv");
    struct flee_csv csv;
    if (flee_csv_read(path, path, &csv, true, d) == 0) {
        m->rt = js_xcalloc((size_t)(csv.n ? csv.n : 1), sizeof(*m->rt));
        for (int i = 0; i < csv.n; i++) {
            if (csv.rows[i].hash)
                flee_no_extra_columns(d, &csv, &csv.rows[i], 4);
            else
                flee_route_row(m, d, &csv, &csv.rows[i]);
        }
    }
    char **ids = js_xcalloc((size_t)(m->nrt ? m->nrt : 1), sizeof(char *));
    for (int32_t i = 0; i < m->nrt; i++) {
        char *name = js_xasprintf("%s--%s", m->loc[m->rt[i].a].id, m->loc[m->rt[i].b].id);
        ids[i] = m->rt[i].id = flee_make_id(name, ids, i);
        free(name);
    }
    free(ids);
    flee_csv_free(&csv);
    free(path);
}

/* ---------------------------------------------------------------- closures.csv */

/**
 * @brief Whether a country is named by a location.
 * @param m the model
 * @param c the country
 */
static bool flee_country_known(const struct flee_model *m, const char *c)
{
    for (int32_t i = 0; i < m->nloc; i++)
        if (!strcmp(m->loc[i].country, c))
            return true;
    return false;
}

/**
 * @brief Marks the routes a closure closes, days [t0, t1).
 * @param m the model
 * @param type closure type (country, location, link)
 * @param a first name's location (−1 for countries)
 * @param b second name's location (−1 for countries and locations)
 * @param c1 first country (countries)
 * @param c2 second country
 * @param t0 first day
 * @param t1 end day
 * @return routes matched
 */
static int flee_close_routes(struct flee_model *m, const char *type, int32_t a, int32_t b,
                             const char *c1, const char *c2, int32_t t0, int32_t t1)
{
    int hits = 0;
    for (int32_t r = 0; r < m->nrt; r++) {
        int32_t x = m->rt[r].a, y = m->rt[r].b;
        bool hit;
        if (!strcmp(type, "country")) {
            const char *cx = m->loc[x].country, *cy = m->loc[y].country;
            hit = (!strcmp(cx, c1) && !strcmp(cy, c2)) || (!strcmp(cx, c2) && !strcmp(cy, c1));
        } else if (!strcmp(type, "location")) {
            hit = x == a || y == a;
        } else {
            hit = (x == a && y == b) || (x == b && y == a);
        }
        for (int32_t t = t0; hit && t < t1; t++)
            m->closed[(size_t)t * (size_t)m->nrt + (size_t)r] = 1;
        hits += hit;
    }
    return hits;
}

/**
 * @brief Reads the days of a closure row: start, and end (−1 or 0: never reopened).
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param t0 out: the first day closed (at most the run's length)
 * @param t1 out: the day it reopens (the run's length if never)
 * @return true if valid
 */
static bool flee_closure_days(const struct flee_model *m, struct js_diag *d,
                              const struct flee_csv *csv, const struct flee_row *r, int32_t *t0,
                              int32_t *t1)
{
    double s, e;
    if (!flee_number(d, csv, r, 3, "closure_start", &s) ||
        !flee_number(d, csv, r, 4, "closure_end", &e))
        return false;
    if (s < 0 || s != floor(s) || e != floor(e) || e < -1 || (e > 0 && e <= s)) {
        flee_err(d, csv, r, s < 0 || s != floor(s) ? 3 : 4,
                 "days from the start; the end after the start, or -1 or 0 for never reopened",
                 "closure days %s to %s are not a period", r->f[3], r->f[4]);
        return false;
    }
    *t0 = s < m->length ? (int32_t)s : m->length;
    *t1 = e <= 0 || e > m->length ? m->length : (int32_t)e;
    return true;
}

/**
 * @brief Reads one closure row.
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 */
static void flee_closure_row(struct flee_model *m, struct js_diag *d, const struct flee_csv *csv,
                             const struct flee_row *r)
{
    const char *type = r->f[0];
    int32_t t0, t1, a = -1, b = -1;
    if (!strcmp(type, "country")) {
        for (int k = 1; k <= 2; k++)
            if (!flee_country_known(m, flee_field(r, k))) {
                flee_err(d, csv, r, k, "name a country of input_csv/locations.csv",
                         "unknown country '%s'", flee_field(r, k));
                return;
            }
    } else if (!strcmp(type, "location") || !strcmp(type, "camp") || !strcmp(type, "idpcamp")) {
        if ((a = flee_ref(m, d, csv, r, 1)) < 0)
            return;
    } else if (!strcmp(type, "link") || !strcmp(type, "remove_forced_redirection")) {
        a = flee_ref(m, d, csv, r, 1);
        b = flee_ref(m, d, csv, r, 2);
        if (a < 0 || b < 0)
            return;
    } else {
        flee_err(d, csv, r, 0,
                 "use country, location, link, camp, idpcamp or "
                 "remove_forced_redirection",
                 "unknown closure type \"%s\"", type);
        return;
    }
    if (!flee_closure_days(m, d, csv, r, &t0, &t1))
        return;
    if (!strcmp(type, "remove_forced_redirection")) {
        m->n_ignored++; /* no movement rule of FLEE reads forced redirection */
    } else if (!strcmp(type, "camp") || !strcmp(type, "idpcamp")) {
        if (m->loc[a].type != FLEE_CAMP && m->loc[a].type != FLEE_IDPCAMP)
            flee_err(d, csv, r, 1, "camp closures name camps", "'%s' is not a camp", r->f[1]);
        for (int32_t t = t0; t < t1; t++)
            m->camp_closed[(size_t)t * (size_t)m->nloc + (size_t)a] = 1;
    } else if (flee_close_routes(m, type, a, b, flee_field(r, 1), flee_field(r, 2), t0, t1) == 0 &&
               !strcmp(type, "link")) {
        flee_err(d, csv, r, 2, "name two locations joined by a route of input_csv/routes.csv",
                 "no route joins '%s' and '%s'", r->f[1], r->f[2]);
    }
}

/**
 * @brief Reads input_csv/closures.csv (optional).
 * @param m the model
 * @param d errors
 */
static void flee_read_closures(struct flee_model *m, struct js_diag *d)
{
    m->closed = js_xcalloc((size_t)m->length * (size_t)(m->nrt ? m->nrt : 1), 1);
    m->camp_closed = js_xcalloc((size_t)m->length * (size_t)(m->nloc ? m->nloc : 1), 1);
    char *path = flee_path(m->dir, "input_csv/closures.csv");
    struct flee_csv csv;
    if (flee_csv_read(path, path, &csv, false, d) == 0)
        for (int i = 0; i < csv.n; i++)
            if (!csv.rows[i].hash)
                flee_closure_row(m, d, &csv, &csv.rows[i]);
    flee_csv_free(&csv);
    free(path);
}

/* ---------------------------------------------------------------- conflicts.csv */

/**
 * @brief Reads the header of conflicts.csv: "#Day" then location names (a trailing empty
 * column is allowed).
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param col out: the location of each column (−1 for column 0 and empty trailing ones)
 * @return columns with a location, or −1 on error
 */
static int flee_conflict_header(const struct flee_model *m, struct js_diag *d,
                                const struct flee_csv *csv, int32_t *col)
{
    const struct flee_row *h = &csv->rows[0];
    if (!h->hash) {
        flee_err(d, csv, h, 0, "start the file with a header #Day,NAME,NAME,...",
                 "expected the header row, got \"%s\"", h->f[0]);
        return -1;
    }
    int used = 0, errors = (int)d->n;
    col[0] = -1;
    for (int k = 1; k < h->nf; k++) {
        col[k] = -1;
        if (!h->f[k][0]) {
            if (k < h->nf - 1)
                flee_err(d, csv, h, k, "name a location in every column", "empty column name");
            continue;
        }
        col[k] = flee_ref(m, d, csv, h, k);
        for (int j = 1; j < k && col[k] >= 0; j++)
            if (col[j] == col[k])
                flee_err(d, csv, h, k, "give each location one column",
                         "location '%s' has two columns", h->f[k]);
        used++;
    }
    return (int)d->n > errors ? -1 : used;
}

/**
 * @brief Reads one day's row of conflicts.csv.
 * @param m the model
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param col the location of each column (−1: none)
 * @param ncol columns of the header
 * @param day the day this row must be
 * @return false if the row is not the day expected (a missing row)
 */
static bool flee_conflict_row(struct flee_model *m, struct js_diag *d, const struct flee_csv *csv,
                              const struct flee_row *r, const int32_t *col, int ncol, int32_t day)
{
    double v;
    if (!flee_number(d, csv, r, 0, "day", &v))
        return false;
    if (v != day) {
        flee_err(d, csv, r, 0, "give one row per day, days 0, 1, 2, ... in order",
                 "the row for day %d is missing (this row is day %s)", day, r->f[0]);
        return false;
    }
    for (int k = 1; k < ncol; k++) {
        if (col[k] < 0)
            continue;
        if (k >= r->nf || !r->f[k][0]) {
            flee_err(d, csv, r, k < r->nf ? k : r->nf, "give every location's intensity",
                     "no value for '%s'", m->loc[col[k]].name);
            continue;
        }
        if (!flee_number(d, csv, r, k, "conflict intensity", &v))
            continue;
        if (v < 0 || v > 1)
            flee_err(d, csv, r, k, "intensities are 0 to 1", "intensity %s is out of range",
                     r->f[k]);
        m->conflict[(size_t)day * (size_t)m->nloc + (size_t)col[k]] = v;
    }
    return true;
}

/**
 * @brief Conflict zones conflicts.csv does not list: in conflict from their conflict_date on
 * (intensity 1, FLEE's default), as FLEE's documented older path intended.
 * @param m the model
 * @param listed which locations conflicts.csv lists
 */
static void flee_unlisted_conflicts(struct flee_model *m, const uint8_t *listed)
{
    for (int32_t i = 0; i < m->nloc; i++) {
        if (listed[i] || m->loc[i].type != FLEE_CONFLICT)
            continue;
        int32_t t0 = m->loc[i].conflict_date < 0 ? 0 : m->loc[i].conflict_date;
        for (int32_t t = t0; t < m->length; t++)
            m->conflict[(size_t)t * (size_t)m->nloc + (size_t)i] = 1.0;
    }
}

/**
 * @brief Reads input_csv/conflicts.csv: a row per day 0 … length − 1 (later rows are not
 * used), each location's intensity.
 * @param m the model
 * @param d errors
 */
static void flee_read_conflicts(struct flee_model *m, struct js_diag *d)
{
    m->conflict = js_xcalloc((size_t)m->length * (size_t)(m->nloc ? m->nloc : 1), sizeof(double));
    char *path = flee_path(m->dir, "input_csv/conflicts.csv");
    struct flee_csv csv;
    if (flee_csv_read(path, path, &csv, true, d) == 0 && csv.n > 0) {
        int ncol = csv.rows[0].nf;
        int32_t *col = js_xmalloc((size_t)ncol * sizeof(int32_t));
        int32_t day = 0;
        size_t errors = d->n;
        if (flee_conflict_header(m, d, &csv, col) >= 0) {
            for (int i = 1; i < csv.n && day < m->length; i++) {
                if (csv.rows[i].hash)
                    continue;
                if (!flee_conflict_row(m, d, &csv, &csv.rows[i], col, ncol, day))
                    break;
                day++;
            }
            if (day < m->length && d->n == errors)
                flee_err(d, &csv, &csv.rows[csv.n - 1], 0,
                         "give a row for every day of the run (input_csv/sim_period.csv)",
                         "the rows end at day %d; the run lasts %d days", day - 1, m->length);
            uint8_t *listed = js_xcalloc((size_t)(m->nloc ? m->nloc : 1), 1);
            for (int k = 1; k < ncol; k++)
                if (col[k] >= 0)
                    listed[col[k]] = 1;
            flee_unlisted_conflicts(m, listed);
            free(listed);
        }
        free(col);
    } else if (csv.path && csv.n == 0 && access(path, F_OK) == 0) {
        js_diag_add(d, path, 0, 0, NULL, "write the header #Day,NAME,... and a row per day",
                    "the file is empty");
    }
    flee_csv_free(&csv);
    free(path);
}

/* ---------------------------------------------------------------- the whole scenario */

/**
 * @brief Checks the data against the locations: every data_layout label but "total" is a camp,
 * and every camp has a series (FLEE pre-fills camps from it and compares them).
 * @param m the model
 * @param d errors
 */
static void flee_check_data(const struct flee_model *m, struct js_diag *d)
{
    char *path = flee_path(m->dir, "source_data/data_layout.csv");
    for (int k = 0; k < m->data.n; k++) {
        const char *label = m->data.s[k].label;
        int32_t i = flee_find(m, label);
        if (k == m->data.total)
            continue;
        if (i < 0 || (m->loc[i].type != FLEE_CAMP && m->loc[i].type != FLEE_IDPCAMP))
            js_diag_add(d, path, 0, 0, NULL, "labels are 'total' or camps of locations.csv",
                        i < 0 ? "label '%s' is not a location" : "label '%s' is not a camp", label);
    }
    if (!m->set.sum_from_camps && m->data.total < 0)
        js_diag_add(d, path, 0, 0, NULL, "add the row total,refugees.csv",
                    "sum_from_camps is False but there is no 'total' series");
    free(path);
}

/**
 * @brief The settings file: the one given, else DIR/simsetting.yml, else DIR/../simsetting.yml.
 * @param dir the scenario folder
 * @param given the --settings file, or NULL
 * @return the path (malloc'd)
 */
static char *flee_settings_path(const char *dir, const char *given)
{
    if (given)
        return js_xstrdup(given);
    char *p = flee_path(dir, "simsetting.yml");
    if (access(p, F_OK) == 0)
        return p;
    free(p);
    p = flee_path(dir, "../simsetting.yml");
    if (access(p, F_OK) == 0)
        return p;
    free(p);
    return NULL;
}

/**
 * @brief The scenario's id: the folder's last name, made an id.
 * @param dir the folder
 */
static char *flee_scenario_name(const char *dir)
{
    char *copy = js_xstrdup(dir);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    const char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
    char *id = flee_make_id(base[0] && strcmp(base, ".") ? base : "flee", NULL, 0);
    free(copy);
    return id;
}

/**
 * @brief Reads everything, in dependency order; stops at the first file with errors where later
 * files would only repeat them.
 * @param m the model (dir set)
 * @param settings the --settings file or NULL
 * @param d errors
 */
static void flee_read_all(struct flee_model *m, const char *settings, struct js_diag *d)
{
    char *sp = flee_settings_path(m->dir, settings);
    if (sp)
        flee_settings_read(sp, &m->set, d);
    else
        js_diag_add(d, m->dir, 0, 0, NULL, "give FLEE's rule parameters with --settings FILE",
                    "no simsetting.yml in the folder or the one above it");
    free(sp);
    if (flee_period_read(m->dir, &m->start, &m->length, d) != 0)
        return;
    if (m->set.steps > 0)
        m->length = m->set.steps;
    size_t errors = d->n;
    flee_read_locations(m, d);
    if (d->n > errors)
        return;
    flee_read_routes(m, d);
    flee_read_closures(m, d);
    flee_read_conflicts(m, d);
    if (flee_data_read(m->dir, m->start, &m->data, d) == 0)
        flee_check_data(m, d);
}

/**
 * @brief Frees the model.
 * @param m the model
 */
static void flee_model_free(struct flee_model *m)
{
    for (int32_t i = 0; i < m->nloc; i++) {
        free(m->loc[i].name);
        free(m->loc[i].id);
        free(m->loc[i].region);
        free(m->loc[i].country);
        free(m->loc[i].type_word);
    }
    for (int32_t i = 0; i < m->nrt; i++)
        free(m->rt[i].id);
    free(m->loc);
    free(m->rt);
    free(m->conflict);
    free(m->closed);
    free(m->camp_closed);
    free(m->name);
    free(m->set.path);
    flee_data_free(&m->data);
}

int js_flee_import(const char *dir, const char *settings, const char *out, struct js_diag *d)
{
    struct flee_model m;
    memset(&m, 0, sizeof(m));
    m.dir = dir;
    m.name = flee_scenario_name(dir);
    size_t errors = d->n;
    char *inputs = flee_path(dir, "input_csv");
    struct stat st;
    if (stat(inputs, &st) != 0 || !S_ISDIR(st.st_mode))
        js_diag_add(d, dir, 0, 0, NULL, "give the folder that holds input_csv/ and source_data/",
                    "not a FLEE scenario folder (no input_csv/)");
    else
        flee_read_all(&m, settings, d);
    free(inputs);
    int rc = -1;
    if (d->n == errors) {
        char *partial = js_xasprintf("%s.partial", out);
        FILE *f = fopen(partial, "w");
        if (!f) {
            js_diag_add(d, out, 0, 0, NULL, "check the folder exists and is writable",
                        "cannot write: %s", strerror(errno));
        } else {
            int wrc = flee_write_scenario(&m, f);
            if (fclose(f) != 0 || wrc != 0 || rename(partial, out) != 0) {
                js_diag_add(d, out, 0, 0, NULL, NULL, "writing failed: %s", strerror(errno));
                unlink(partial);
            } else {
                rc = 0;
            }
        }
        free(partial);
    }
    flee_model_free(&m);
    return rc;
}
