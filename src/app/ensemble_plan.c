/**
 * @file ensemble_plan.c
 * @brief The sweep's files in DIR: the plan (every member's seed, run index and values), the
 * members' status files, and --collect, which indexes them all in ensemble.h5.
 */

/* system headers */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "ensemble_internal.h"
#include "jinsong/ensemble_out.h"
#include "jinsong/fsutil.h"
#include "jinsong/log.h"
#include "jinsong/run.h"
#include "jinsong/util.h"

/** @brief Words of the member states in status files and ensemble.h5. */
static const char *const state_names[] = {"pending", "ok", "failed", "stopped"};

/* ---------------------------------------------------------------- plan */

int js_ensemble_plan_write(const struct js_ensemble *e)
{
    const struct js_design *d = &e->design;
    const struct js_sweep *s = &e->sweep;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    JS_ASSERT(f);
    fprintf(f, "# jinsong sweep plan: written by jinsong sweep, read by jinsong sweep --collect\n");
    fprintf(f, "format\t1\nsweep\t%s\nsweep_file\t%s\nscenario\t%s\n", s->name, e->sweep_abs,
            e->scenario_abs);
    fprintf(f, "scenario_checksum\t%016" PRIx64 "\nseed\t%" PRIu32 "\ndesign\t%s\n",
            e->scenario_hash, s->seed, js_design_kind_name(d->kind));
    fprintf(f, "n_params\t%d\nbase_samples\t%d\nreplicates\t%d\nn_points\t%lld\n", d->nparams,
            (int)d->base_samples, (int)d->replicates, (long long)d->npoints);
    fprintf(f, "n_members\t%lld\n", (long long)d->nmembers);
    for (int i = 0; i < s->nsets; i++)
        fprintf(f, "set\t%s\n", s->sets[i]);
    for (int j = 0; j < d->nparams; j++)
        fprintf(f, "param\t%s\t%.17g\t%.17g\n", s->params[j].key, s->params[j].lower,
                s->params[j].upper);
    for (int64_t k = 0; k < d->nmembers; k++) {
        int64_t p = k % d->npoints;
        fprintf(f, "member\t%lld\t%lld\t%lld\t%" PRIu32 "\t%lld\t%d\t%d", (long long)k,
                (long long)p, (long long)(k / d->npoints), s->seed, (long long)k,
                d->matrix ? (int)d->matrix[p] : -1, d->row ? (int)d->row[p] : -1);
        for (int j = 0; j < d->nparams; j++)
            fprintf(f, "\t%s", e->text[p * d->nparams + j]);
        fputc('\n', f);
    }
    fclose(f);
    char *path = js_path_join(e->dir, JS_ENSEMBLE_PLAN);
    int rc = js_write_file_atomic(path, buf, len);
    if (rc != 0)
        js_log_error("cannot write %s: %s", path, strerror(errno));
    free(path);
    free(buf);
    return rc;
}

/** @brief A plan read back. */
struct plan {
    char *text;           /**< the file (the strings below point into it) */
    const char *name;     /**< sweep name */
    const char *sweep;    /**< sweep file */
    const char *scenario; /**< scenario */
    const char *kind;     /**< design kind */
    uint32_t seed;        /**< seed */
    int nparams;          /**< parameters */
    int32_t base;         /**< base samples */
    int32_t replicates;   /**< replicates */
    int64_t npoints;      /**< points */
    int64_t n;            /**< members */
    const char **keys;    /**< [nparams] */
    double *lower;        /**< [nparams] */
    double *upper;        /**< [nparams] */
    int32_t *point;       /**< [n] */
    int32_t *replicate;   /**< [n] */
    uint32_t *seeds;      /**< [n] */
    uint32_t *run;        /**< [n] */
    int32_t *matrix;      /**< [n] */
    int32_t *row;         /**< [n] */
    double *values;       /**< [n × nparams] */
    int nkeys;            /**< params read */
};

/**
 * @brief Reads one header line of the plan.
 * @param pl the plan
 * @param key the line's key
 * @param v its value
 */
static void plan_header(struct plan *pl, const char *key, char *v)
{
    if (!strcmp(key, "sweep"))
        pl->name = v;
    else if (!strcmp(key, "sweep_file"))
        pl->sweep = v;
    else if (!strcmp(key, "scenario"))
        pl->scenario = v;
    else if (!strcmp(key, "design"))
        pl->kind = v;
    else if (!strcmp(key, "seed"))
        pl->seed = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(key, "base_samples"))
        pl->base = (int32_t)strtol(v, NULL, 10);
    else if (!strcmp(key, "replicates"))
        pl->replicates = (int32_t)strtol(v, NULL, 10);
    else if (!strcmp(key, "n_points"))
        pl->npoints = strtoll(v, NULL, 10);
    else if (!strcmp(key, "n_params")) {
        pl->nparams = (int)strtol(v, NULL, 10);
        pl->keys = js_xcalloc((size_t)pl->nparams + 1, sizeof(char *));
        pl->lower = js_xcalloc((size_t)pl->nparams + 1, sizeof(double));
        pl->upper = js_xcalloc((size_t)pl->nparams + 1, sizeof(double));
    } else if (!strcmp(key, "n_members")) {
        pl->n = strtoll(v, NULL, 10);
        size_t n = (size_t)(pl->n ? pl->n : 1);
        pl->point = js_xcalloc(n, sizeof(int32_t));
        pl->replicate = js_xcalloc(n, sizeof(int32_t));
        pl->seeds = js_xcalloc(n, sizeof(uint32_t));
        pl->run = js_xcalloc(n, sizeof(uint32_t));
        pl->matrix = js_xcalloc(n, sizeof(int32_t));
        pl->row = js_xcalloc(n, sizeof(int32_t));
        pl->values = js_xcalloc(n * (size_t)(pl->nparams + 1), sizeof(double));
    }
}

static int plan_fields(struct plan *pl, const char *key, char **f, int nf);

/**
 * @brief Reads a param or member line (tab-separated fields after the key).
 * @param pl the plan
 * @param key the line's key
 * @param v the rest of the line
 * @return 0, or -1 if malformed
 */
static int plan_row(struct plan *pl, const char *key, char *v)
{
    int cap = pl->nparams + 8, nf = 0;
    char **f = js_xmalloc((size_t)cap * sizeof(char *)), *save = NULL;
    for (char *t = strtok_r(v, "\t", &save); t && nf < cap; t = strtok_r(NULL, "\t", &save))
        f[nf++] = t;
    int rc = plan_fields(pl, key, f, nf);
    free(f);
    return rc;
}

/**
 * @brief Stores the fields of a param or member line.
 * @param pl the plan
 * @param key the line's key
 * @param f fields
 * @param nf how many
 * @return 0, or -1 if malformed
 */
static int plan_fields(struct plan *pl, const char *key, char **f, int nf)
{
    if (!strcmp(key, "param")) {
        if (nf != 3 || !pl->keys || pl->nkeys >= pl->nparams)
            return -1;
        pl->keys[pl->nkeys] = f[0];
        pl->lower[pl->nkeys] = strtod(f[1], NULL);
        pl->upper[pl->nkeys++] = strtod(f[2], NULL);
        return 0;
    }
    long long k = nf == 7 + pl->nparams && pl->point ? strtoll(f[0], NULL, 10) : -1;
    if (k < 0 || k >= pl->n)
        return -1;
    pl->point[k] = (int32_t)strtol(f[1], NULL, 10);
    pl->replicate[k] = (int32_t)strtol(f[2], NULL, 10);
    pl->seeds[k] = (uint32_t)strtoul(f[3], NULL, 10);
    pl->run[k] = (uint32_t)strtoul(f[4], NULL, 10);
    pl->matrix[k] = (int32_t)strtol(f[5], NULL, 10);
    pl->row[k] = (int32_t)strtol(f[6], NULL, 10);
    for (int j = 0; j < pl->nparams; j++)
        pl->values[k * pl->nparams + j] = strtod(f[7 + j], NULL);
    return 0;
}

/**
 * @brief Reads DIR/sweep_plan.tsv.
 * @param dir the folder
 * @param pl out
 * @return 0, or -1 (message printed)
 */
static int plan_read(const char *dir, struct plan *pl)
{
    memset(pl, 0, sizeof(*pl));
    char *path = js_path_join(dir, JS_ENSEMBLE_PLAN);
    pl->text = js_read_file(path, NULL);
    int rc = pl->text ? 0 : -1;
    char *save = NULL;
    for (char *line = pl->text ? strtok_r(pl->text, "\n", &save) : NULL; line && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        if (!strcmp(line, "param") || !strcmp(line, "member"))
            rc = plan_row(pl, line, tab + 1);
        else if (strcmp(line, "set") != 0)
            plan_header(pl, line, tab + 1);
    }
    if (rc == 0 && (!pl->name || !pl->kind || !pl->point || pl->nkeys != pl->nparams))
        rc = -1;
    if (rc != 0)
        js_log_error("%s: %s (give the output folder of a jinsong sweep)", path,
                     pl->text ? "not a complete sweep plan" : strerror(errno));
    free(path);
    return rc;
}

/**
 * @brief Frees a plan.
 * @param pl the plan
 */
static void plan_free(struct plan *pl)
{
    free(pl->keys);
    free(pl->lower);
    free(pl->upper);
    free(pl->point);
    free(pl->replicate);
    free(pl->seeds);
    free(pl->run);
    free(pl->matrix);
    free(pl->row);
    free(pl->values);
    free(pl->text);
}

/* ---------------------------------------------------------------- status files */

/**
 * @brief Copies text with tabs and newlines turned into spaces.
 * @param f stream
 * @param s text
 */
static void status_put(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

int js_ensemble_status_write(const char *dir, int64_t k, const struct js_member_status *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    JS_ASSERT(f);
    fprintf(f, "state\t%s\nfingerprint\t%016" PRIx64 "\nchecksum\t%016" PRIx64,
            state_names[st->state], st->fingerprint, st->checksum);
    fprintf(f, "\nwall_seconds\t%.17g\nerror\t", st->wall);
    status_put(f, st->error);
    fputs("\nargs\t", f);
    status_put(f, st->args);
    fputc('\n', f);
    fclose(f);
    char *path = js_ensemble_path(dir, "status/member_", k, ".txt");
    int rc = js_write_file_atomic(path, buf, len);
    free(path);
    free(buf);
    return rc;
}

int js_ensemble_status_read(const char *dir, int64_t k, struct js_member_status *st)
{
    memset(st, 0, sizeof(*st));
    char *path = js_ensemble_path(dir, "status/member_", k, ".txt");
    char *text = js_read_file(path, NULL);
    free(path);
    if (!text)
        return -1;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *v = strchr(line, '\t');
        if (!v)
            continue;
        *v++ = '\0';
        if (!strcmp(line, "state"))
            for (int i = 0; i < (int)JS_COUNTOF(state_names); i++)
                st->state = !strcmp(v, state_names[i]) ? (enum js_member_state)i : st->state;
        else if (!strcmp(line, "fingerprint"))
            st->fingerprint = strtoull(v, NULL, 16);
        else if (!strcmp(line, "checksum"))
            st->checksum = strtoull(v, NULL, 16);
        else if (!strcmp(line, "wall_seconds"))
            st->wall = strtod(v, NULL);
        else if (!strcmp(line, "error"))
            snprintf(st->error, sizeof(st->error), "%s", v);
        else if (!strcmp(line, "args"))
            snprintf(st->args, sizeof(st->args), "%s", v);
    }
    free(text);
    return 0;
}

/* ---------------------------------------------------------------- collect */

/** @brief Summary scalars of every member: names in order of first appearance. */
struct summaries {
    int n;           /**< names */
    char **names;    /**< them */
    int64_t members; /**< rows */
    double *v;       /**< [members × n], grown by column */
};

/**
 * @brief The column of a summary name, added (NaN-filled) if new.
 * @param s the table
 * @param name the name
 */
static int summaries_column(struct summaries *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], name))
            return i;
    double *v =
        js_xmalloc((size_t)(s->members ? s->members : 1) * (size_t)(s->n + 1) * sizeof(double));
    for (int64_t m = 0; m < s->members; m++) {
        for (int i = 0; i < s->n; i++)
            v[m * (s->n + 1) + i] = s->v[m * s->n + i];
        v[m * (s->n + 1) + s->n] = NAN;
    }
    free(s->v);
    s->v = v;
    s->names = js_xrealloc(s->names, (size_t)(s->n + 1) * sizeof(char *));
    s->names[s->n] = js_xstrdup(name);
    return s->n++;
}

/**
 * @brief Reads the status and summary of every member into the table's arrays.
 * @param dir the folder
 * @param pl the plan
 * @param t the table (status, error, file, wall set here)
 * @param sums summaries
 * @param nok out: members ok
 */
static void collect_members(const char *dir, const struct plan *pl, struct js_ensemble_table *t,
                            struct summaries *sums, int64_t *nok)
{
    char **status = js_xcalloc((size_t)pl->n + 1, sizeof(char *));
    char **error = js_xcalloc((size_t)pl->n + 1, sizeof(char *));
    char **file = js_xcalloc((size_t)pl->n + 1, sizeof(char *));
    double *wall = js_xcalloc((size_t)pl->n + 1, sizeof(double));
    *nok = 0;
    for (int64_t k = 0; k < pl->n; k++) {
        struct js_member_status st;
        js_ensemble_status_read(dir, k, &st);
        file[k] = js_xasprintf("member_%lld.h5", (long long)k);
        char *path = js_path_join(dir, file[k]);
        if (st.state == JS_MEMBER_OK && !js_ensemble_file_complete(path))
            st.state = JS_MEMBER_PENDING;
        status[k] = js_xstrdup(st.state == JS_MEMBER_STOPPED ? "pending" : state_names[st.state]);
        error[k] = js_xstrdup(st.state == JS_MEMBER_FAILED ? st.error : "");
        wall[k] = st.state == JS_MEMBER_OK || st.state == JS_MEMBER_FAILED ? st.wall : NAN;
        struct js_ensemble_summary ms;
        if (st.state == JS_MEMBER_OK && js_ensemble_summary_read(path, &ms) == 0) {
            for (int i = 0; i < ms.n; i++) {
                int c = summaries_column(sums, ms.names[i]);
                sums->v[k * sums->n + c] = ms.values[i];
            }
            js_ensemble_summary_free(&ms);
        }
        *nok += st.state == JS_MEMBER_OK;
        free(path);
    }
    t->status = (const char *const *)status;
    t->error = (const char *const *)error;
    t->file = (const char *const *)file;
    t->wall = wall;
}

/**
 * @brief Frees what collect_members allocated.
 * @param t the table
 * @param n members
 */
static void collect_free(struct js_ensemble_table *t, int64_t n)
{
    for (int64_t k = 0; k < n; k++) {
        free((char *)t->status[k]);
        free((char *)t->error[k]);
        free((char *)t->file[k]);
    }
    free((void *)t->status);
    free((void *)t->error);
    free((void *)t->file);
    free((void *)t->wall);
}

int js_ensemble_collect(const char *dir, const char *command_line, bool quiet)
{
    struct plan pl;
    if (plan_read(dir, &pl) != 0) {
        plan_free(&pl);
        return JS_EXIT_BAD_INPUT;
    }
    struct summaries sums = {0, NULL, pl.n, js_xcalloc((size_t)pl.n + 1, sizeof(double))};
    struct js_ensemble_table t = {.sweep_name = pl.name,
                                  .sweep_file = pl.sweep,
                                  .scenario = pl.scenario,
                                  .seed = pl.seed,
                                  .kind = pl.kind,
                                  .n_params = pl.nparams,
                                  .base_samples = pl.base,
                                  .replicates = pl.replicates,
                                  .n_points = pl.npoints,
                                  .keys = pl.keys,
                                  .lower = pl.lower,
                                  .upper = pl.upper,
                                  .n = pl.n,
                                  .point = pl.point,
                                  .replicate = pl.replicate,
                                  .seeds = pl.seeds,
                                  .run_index = pl.run,
                                  .values = pl.values,
                                  .command_line = command_line};
    bool saltelli = !strcmp(pl.kind, js_design_kind_name(JS_DESIGN_SALTELLI));
    t.matrix = saltelli ? pl.matrix : NULL;
    t.row = saltelli ? pl.row : NULL;
    int64_t nok = 0;
    collect_members(dir, &pl, &t, &sums, &nok);
    t.nsummary = sums.n;
    t.summary_names = (const char *const *)sums.names;
    t.summary = sums.v;
    char *path = js_path_join(dir, "ensemble.h5");
    char err[1024];
    int rc = js_ensemble_write(path, &t, err, sizeof(err));
    if (rc != 0)
        js_log_error("%s", err);
    else if (!quiet)
        js_log_info("jinsong: %s: %lld of %lld members ok%s", path, (long long)nok, (long long)pl.n,
                    nok < pl.n ? " (the others failed or are pending)" : "");
    collect_free(&t, pl.n);
    for (int i = 0; i < sums.n; i++)
        free(sums.names[i]);
    free(sums.names);
    free(sums.v);
    free(path);
    int64_t n = pl.n;
    plan_free(&pl);
    return rc != 0 ? JS_EXIT_BAD_INPUT : nok < n ? JS_EXIT_FAILURE : JS_EXIT_OK;
}
