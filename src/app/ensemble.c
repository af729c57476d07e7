/**
 * @file ensemble.c
 * @brief `jinsong sweep`: prepares a sweep (design, range checks against the scenario),
 * resumes it (finished members skipped, changed ones refused), and runs its members as child
 * processes `jinsong run ...`, a pool of them at a time.
 */

/* system headers */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <dirent.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* local headers */
#include "ensemble_internal.h"
#include "jinsong/checkpoint.h"
#include "jinsong/ensemble_out.h"
#include "jinsong/fsutil.h"
#include "jinsong/hash.h"
#include "jinsong/log.h"
#include "jinsong/run.h"
#include "jinsong/scenario.h"
#include "jinsong/util.h"

extern char **environ;

/* ---------------------------------------------------------------- signals */

/* Set by SIGTERM/SIGINT: no new member starts; running ones write restart files and stop. */
static volatile sig_atomic_t ens_signal = 0;

/** @brief Records the signal. */
static void ens_on_signal(int sig)
{
    ens_signal = sig;
}

void js_ensemble_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = ens_on_signal; /* no SA_RESTART: waitpid returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int js_ensemble_stop_signal(void)
{
    return (int)ens_signal;
}

/* ---------------------------------------------------------------- preparing */

char *js_ensemble_path(const char *dir, const char *prefix, int64_t k, const char *suffix)
{
    return js_xasprintf("%s/%s%lld%s", dir, prefix, (long long)k, suffix);
}

uint64_t js_ensemble_fingerprint(const struct js_ensemble *e, int64_t k, char *args, size_t len)
{
    int64_t p = k % e->design.npoints;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    JS_ASSERT(f);
    fprintf(f, "scenario checksum %016" PRIx64 ": --seed %" PRIu32 " --run-index %lld",
            e->scenario_hash, e->sweep.seed, (long long)k);
    for (int i = 0; i < e->sweep.nsets; i++)
        fprintf(f, " --set %s", e->sweep.sets[i]);
    for (int j = 0; j < e->sweep.nparams; j++)
        fprintf(f, " --set %s=%s", e->sweep.params[j].key, e->text[p * e->sweep.nparams + j]);
    fclose(f);
    uint64_t h = js_hash_bytes(buf, n);
    if (args)
        snprintf(args, len, "%s", buf);
    free(buf);
    return h;
}

/**
 * @brief Loads the base scenario with the sweep's fixed changes and @p extra.
 * @param e the ensemble
 * @param sc out
 * @param extra one more --set, or NULL
 * @param d errors
 */
static int ens_load(const struct js_ensemble *e, struct js_scenario *sc, const char *extra,
                    struct js_diag *d)
{
    int n = e->sweep.nsets;
    const char **sets = js_xcalloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        sets[i] = e->sweep.sets[i];
    if (extra)
        sets[n++] = extra;
    struct js_scenario_options so = {sets, n, true, e->sweep.seed, true, 0};
    int rc = js_scenario_load(sc, e->sweep.scenario, &so, d);
    free(sets);
    return rc;
}

/**
 * @brief Checks that every varied key is a parameter of the base scenario.
 * @param e the ensemble
 * @param sc the base scenario
 * @return errors found (printed)
 */
static int ens_check_keys(const struct js_ensemble *e, const struct js_scenario *sc)
{
    int errors = 0;
    for (int j = 0; j < e->sweep.nparams; j++) {
        const struct js_sweep_param *p = &e->sweep.params[j];
        bool found = false;
        for (size_t i = 0; i < sc->nrecords && !found; i++)
            found = !strcmp(sc->records[i].key, p->key);
        const char *why = NULL;
        if (!strcmp(p->key, "scenario.seed") || !strcmp(p->key, "run_index"))
            why = "is set by the sweep (its seed, and run index k for member k): vary replicates "
                  "instead";
        else if (!found)
            why = "is not a parameter of the scenario (jinsong validate SCENARIO lists them)";
        if (why) {
            fprintf(stderr, "%s: error: parameters.%s: %s %s\n", p->where, p->key, p->key, why);
            errors++;
        }
    }
    return errors;
}

/** @brief Orders doubles (qsort). */
static int ens_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/**
 * @brief Checks the values of one parameter against the scenario's valid range: every distinct
 * value (grid, list) or the least and greatest (sampled designs), each loaded alone; only errors
 * about this key count (combinations are the members' business).
 * @param e the ensemble
 * @param j the parameter
 * @return errors found (printed)
 */
static int ens_check_values(const struct js_ensemble *e, int j)
{
    const struct js_design *dz = &e->design;
    const struct js_sweep_param *p = &e->sweep.params[j];
    double *v = js_xmalloc((size_t)dz->npoints * sizeof(double));
    for (int64_t i = 0; i < dz->npoints; i++)
        v[i] = dz->x[i * dz->nparams + j];
    qsort(v, (size_t)dz->npoints, sizeof(double), ens_cmp_double);
    bool sampled =
        dz->kind == JS_DESIGN_LHS || dz->kind == JS_DESIGN_SOBOL || dz->kind == JS_DESIGN_SALTELLI;
    int errors = 0;
    for (int64_t i = 0; i < dz->npoints && !errors; i++) {
        if ((i > 0 && v[i] == v[i - 1]) || (sampled && i > 0 && i < dz->npoints - 1))
            continue;
        char text[32];
        js_sweep_format_value(v[i], text, sizeof(text));
        char *set = js_xasprintf("%s=%s", p->key, text);
        struct js_scenario sc;
        struct js_diag d = {0};
        if (ens_load(e, &sc, set, &d) == 0)
            js_scenario_free(&sc);
        for (size_t k = 0; k < d.n; k++) {
            if (!d.items[k].path || strcmp(d.items[k].path, p->key) != 0)
                continue;
            fprintf(stderr,
                    "%s: error: parameters.%s: design value %s is refused by the scenario: "
                    "%s\n    fix: %s\n",
                    p->where, p->key, text, d.items[k].msg,
                    "keep the design inside the parameter's valid range");
            errors++;
        }
        js_diag_free(&d);
        free(set);
    }
    free(v);
    return errors;
}

/**
 * @brief Loads the base scenario (its checksum keys the members' fingerprints) and checks every
 * varied parameter before anything runs.
 * @param e the ensemble
 * @return 0, or JS_EXIT_BAD_INPUT (messages printed)
 */
static int ens_validate(struct js_ensemble *e)
{
    struct js_scenario sc;
    struct js_diag d = {0};
    if (ens_load(e, &sc, NULL, &d) != 0) {
        fprintf(stderr, "jinsong: the base scenario %s of %s does not load%s:\n", e->sweep.scenario,
                e->sweep.path, e->sweep.nsets ? " with the sweep's set" : "");
        js_diag_print(&d, stderr);
        js_diag_free(&d);
        return JS_EXIT_BAD_INPUT;
    }
    e->scenario_hash = js_hash_bytes(sc.resolved_yaml, strlen(sc.resolved_yaml));
    int errors = ens_check_keys(e, &sc);
    js_scenario_free(&sc);
    for (int j = 0; j < e->sweep.nparams && !errors; j++)
        errors += ens_check_values(e, j);
    if (errors)
        fprintf(stderr, "jinsong: %d error%s in %s; nothing was run\n", errors,
                errors == 1 ? "" : "s", e->sweep.path);
    return errors ? JS_EXIT_BAD_INPUT : 0;
}

/**
 * @brief Creates DIR and its subfolders; sets e->dir.
 * @param e the ensemble
 * @return 0, or JS_EXIT_BAD_INPUT
 */
static int ens_make_dirs(struct js_ensemble *e)
{
    const char *dir = e->opt->dir;
    static const char *const sub[] = {"status", "logs", "restart"};
    int rc = js_mkdir(dir);
    for (size_t i = 0; i < JS_COUNTOF(sub) && rc == 0; i++) {
        char *p = js_path_join(dir, sub[i]);
        rc = js_mkdir(p);
        free(p);
    }
    e->dir = rc == 0 ? realpath(dir, NULL) : NULL;
    if (!e->dir) {
        js_log_error("cannot use the output folder %s: %s (its parent folder must exist and be "
                     "writable)",
                     dir, strerror(errno));
        return JS_EXIT_BAD_INPUT;
    }
    return 0;
}

/**
 * @brief Reads the sweep file and builds the design and the values' texts.
 * @param e the ensemble
 * @param quiet print no error (MPI workers: the manager prints them)
 * @return 0, or JS_EXIT_BAD_INPUT
 */
static int ens_open(struct js_ensemble *e, bool quiet)
{
    struct js_diag d = {0};
    if (js_sweep_load(&e->sweep, e->opt->sweep, &d) != 0) {
        if (!quiet) {
            js_diag_print(&d, stderr);
            fprintf(stderr, "jinsong: %zu error%s in %s; nothing was run\n", d.n,
                    d.n == 1 ? "" : "s", e->opt->sweep);
        }
        js_diag_free(&d);
        return JS_EXIT_BAD_INPUT;
    }
    js_design_build(&e->design, &e->sweep);
    int64_t n = e->design.npoints * e->design.nparams;
    e->text = js_xcalloc((size_t)(n ? n : 1), sizeof(char *));
    for (int64_t i = 0; i < n; i++) {
        char t[32];
        js_sweep_format_value(e->design.x[i], t, sizeof(t));
        e->text[i] = js_xstrdup(t);
    }
    e->sweep_abs = js_path_absolute(e->opt->sweep);
    e->scenario_abs = realpath(e->sweep.scenario, NULL);
    e->exe = realpath("/proc/self/exe", NULL);
    if (!e->sweep_abs || !e->scenario_abs || !e->exe) {
        js_log_error("cannot resolve the paths of the sweep, its scenario or this program");
        return JS_EXIT_BAD_INPUT;
    }
    return 0;
}

int js_ensemble_prepare(struct js_ensemble *e, const struct js_sweep_options *o, bool manager)
{
    memset(e, 0, sizeof(*e));
    e->opt = o;
    int rc = ens_open(e, !manager);
    if (rc)
        return rc;
    e->lo = o->range_given ? o->range_lo : 0;
    e->hi = o->range_given ? o->range_hi : e->design.nmembers;
    if (e->hi > e->design.nmembers || e->lo > e->hi) {
        if (manager)
            js_log_error("--member-range %lld:%lld is outside the sweep's members 0:%lld",
                         (long long)e->lo, (long long)e->hi, (long long)e->design.nmembers);
        return JS_EXIT_BAD_INPUT;
    }
    if (!manager) {
        e->dir = realpath(o->dir, NULL);
        return e->dir ? 0 : JS_EXIT_BAD_INPUT;
    }
    rc = ens_validate(e);
    if (rc == 0 && o->dry_run)
        return 0;
    if (rc == 0)
        rc = ens_make_dirs(e);
    if (rc == 0 && js_ensemble_plan_write(e) != 0)
        rc = JS_EXIT_BAD_INPUT;
    return rc;
}

void js_ensemble_free(struct js_ensemble *e)
{
    int64_t n = e->design.npoints * e->design.nparams;
    for (int64_t i = 0; e->text && i < n; i++)
        free(e->text[i]);
    free(e->text);
    js_design_free(&e->design);
    js_sweep_free(&e->sweep);
    free(e->sweep_abs);
    free(e->scenario_abs);
    free(e->dir);
    free(e->exe);
    memset(e, 0, sizeof(*e));
}

/* ---------------------------------------------------------------- resuming */

/**
 * @brief Whether member k is complete: status ok with this fingerprint, its file complete and
 * with the checksum recorded.
 * @param e the ensemble
 * @param k the member
 * @param st its status (read)
 */
static bool ens_complete(const struct js_ensemble *e, int64_t k, const struct js_member_status *st)
{
    if (st->state != JS_MEMBER_OK)
        return false;
    char *file = js_ensemble_path(e->dir, "member_", k, ".h5");
    uint64_t sum = 0;
    bool ok =
        js_ensemble_file_complete(file) && js_hash_file(file, &sum) == 0 && sum == st->checksum;
    if (!ok)
        js_log_warn("member %lld: its output %s is missing, incomplete or changed; it runs again",
                    (long long)k, file);
    free(file);
    return ok;
}

/**
 * @brief Reports a finished member the sweep file would now change.
 * @param e the ensemble
 * @param k the member
 * @param st its status
 */
static void ens_conflict(const struct js_ensemble *e, int64_t k, const struct js_member_status *st)
{
    char now[2048];
    if (k < e->design.nmembers)
        js_ensemble_fingerprint(e, k, now, sizeof(now));
    else
        snprintf(now, sizeof(now), "no member %lld (the sweep has %lld)", (long long)k,
                 (long long)e->design.nmembers);
    js_log_error("%s: member %lld of %s is finished with\n    [%s]\n  but the sweep file now gives"
                 "\n    [%s]",
                 e->sweep.path, (long long)k, e->dir, st->args, now);
}

/**
 * @brief Finished members with an index beyond the sweep's members (the sweep shrank).
 * @param e the ensemble
 * @param n conflicts found so far (the first 3 are reported)
 * @return conflicts found so far and here
 */
static int ens_conflicts_beyond(const struct js_ensemble *e, int n)
{
    char *sdir = js_path_join(e->dir, "status");
    DIR *dir = opendir(sdir);
    for (struct dirent *de = dir ? readdir(dir) : NULL; de; de = readdir(dir)) {
        long long k;
        char tail;
        if (sscanf(de->d_name, "member_%lld.tx%c", &k, &tail) != 2 || k < e->design.nmembers)
            continue;
        struct js_member_status st;
        if (js_ensemble_status_read(e->dir, k, &st) == 0 && st.state == JS_MEMBER_OK && n++ < 3)
            ens_conflict(e, k, &st);
    }
    if (dir)
        closedir(dir);
    free(sdir);
    return n;
}

int js_ensemble_resume(const struct js_ensemble *e, int64_t **queue, int64_t *nqueue,
                       int64_t *nskipped)
{
    *queue = js_xmalloc((size_t)(e->hi - e->lo + 1) * sizeof(int64_t));
    *nqueue = *nskipped = 0;
    int conflicts = 0;
    for (int64_t k = 0; k < e->design.nmembers; k++) {
        struct js_member_status st;
        if (js_ensemble_status_read(e->dir, k, &st) != 0)
            st.state = JS_MEMBER_PENDING;
        bool same = st.state == JS_MEMBER_PENDING ||
                    st.fingerprint == js_ensemble_fingerprint(e, k, NULL, 0);
        if (st.state == JS_MEMBER_OK && !same) {
            if (conflicts++ < 3)
                ens_conflict(e, k, &st);
            continue;
        }
        if (k < e->lo || k >= e->hi)
            continue;
        if (ens_complete(e, k, &st))
            (*nskipped)++;
        else
            (*queue)[(*nqueue)++] = k;
    }
    conflicts = ens_conflicts_beyond(e, conflicts);
    if (conflicts) {
        js_log_error("%d finished member%s would change: nothing was run. Use another output "
                     "folder for the new sweep, or delete those members' member_<k>.h5 and "
                     "status/member_<k>.txt in %s to run them again",
                     conflicts, conflicts == 1 ? "" : "s", e->dir);
        return JS_EXIT_BAD_INPUT;
    }
    return 0;
}

/* ---------------------------------------------------------------- members */

/**
 * @brief Removes a member's restart folder.
 * @param rdir the folder
 */
static void ens_remove_restart(const char *rdir)
{
    char *f = js_path_join(rdir, JS_CHECKPOINT_FILE);
    char *p = js_xasprintf("%s.prev", f);
    unlink(f);
    unlink(p);
    rmdir(rdir);
    free(f);
    free(p);
}

/**
 * @brief The arguments of member k's run: a fresh `jinsong run` or `--restart` of its restart
 * files when it was stopped with the same fingerprint.
 * @param e the ensemble
 * @param k the member
 * @param restart out: whether it restarts
 * @return a malloc'ed NULL-terminated argv whose strings are malloc'ed
 */
static char **ens_member_argv(const struct js_ensemble *e, int64_t k, bool *restart)
{
    int n = 0, cap = 24 + 2 * (e->sweep.nsets + e->sweep.nparams);
    char **argv = js_xcalloc((size_t)cap, sizeof(char *));
    char *rdir = js_ensemble_path(e->dir, "restart/member_", k, "");
    char *ck = js_path_join(rdir, JS_CHECKPOINT_FILE);
    struct js_member_status st;
    *restart = js_ensemble_status_read(e->dir, k, &st) == 0 && st.state == JS_MEMBER_STOPPED &&
               st.fingerprint == js_ensemble_fingerprint(e, k, NULL, 0) && js_path_exists(ck);
    if (!*restart)
        ens_remove_restart(rdir);
    int threads = e->opt->threads > 0 ? e->opt->threads : 1;
    argv[n++] = js_xstrdup(e->exe);
    argv[n++] = js_xstrdup("run");
    if (*restart) {
        argv[n++] = js_xstrdup("--restart");
        argv[n++] = js_xstrdup(rdir);
    } else {
        argv[n++] = js_xstrdup(e->scenario_abs);
        argv[n++] = js_xasprintf("--seed=%" PRIu32, e->sweep.seed);
        argv[n++] = js_xasprintf("--run-index=%lld", (long long)k);
        argv[n++] = js_xasprintf("--checkpoint-dir=%s", rdir);
        for (int i = 0; i < e->sweep.nsets; i++)
            argv[n++] = js_xasprintf("--set=%s", e->sweep.sets[i]);
        int64_t p = k % e->design.npoints;
        for (int j = 0; j < e->sweep.nparams; j++)
            argv[n++] = js_xasprintf("--set=%s=%s", e->sweep.params[j].key,
                                     e->text[p * e->sweep.nparams + j]);
    }
    argv[n++] = js_xasprintf("--output=%s/member_%lld.h5", e->dir, (long long)k);
    argv[n++] = js_xasprintf("--threads=%d", threads);
    argv[n++] = js_xstrdup("--quiet");
    free(rdir);
    free(ck);
    return argv;
}

pid_t js_ensemble_spawn(const struct js_ensemble *e, int64_t k)
{
    bool restart;
    char **argv = ens_member_argv(e, k, &restart);
    char *log = js_ensemble_path(e->dir, "logs/member_", k, ".log");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, log,
                                     O_WRONLY | O_CREAT | (restart ? O_APPEND : O_TRUNC), 0666);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, e->exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        js_log_error("cannot start member %lld (%s): %s", (long long)k, e->exe, strerror(rc));
        pid = -1;
    }
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
    free(log);
    return pid;
}

/**
 * @brief The first error line of a member's log ("jinsong: error: " removed), or "".
 * @param e the ensemble
 * @param k the member
 * @param buf output
 * @param len its size
 */
static void ens_log_error(const struct js_ensemble *e, int64_t k, char *buf, size_t len)
{
    char *log = js_ensemble_path(e->dir, "logs/member_", k, ".log");
    char *text = js_read_file(log, NULL);
    buf[0] = '\0';
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        char *at = strstr(line, "error: ");
        if (!at)
            continue;
        snprintf(buf, len, "%s", strncmp(line, "jinsong: error: ", 16) ? line : line + 16);
        break;
    }
    free(text);
    free(log);
}

enum js_member_state js_ensemble_finish(const struct js_ensemble *e, int64_t k, int wstatus,
                                        double wall)
{
    struct js_member_status st;
    memset(&st, 0, sizeof(st));
    st.fingerprint = js_ensemble_fingerprint(e, k, st.args, sizeof(st.args));
    st.wall = wall;
    char *file = js_ensemble_path(e->dir, "member_", k, ".h5");
    char *rdir = js_ensemble_path(e->dir, "restart/member_", k, "");
    bool exited = wstatus >= 0 && WIFEXITED(wstatus);
    int code = exited ? WEXITSTATUS(wstatus) : -1;
    char why[512];
    ens_log_error(e, k, why, sizeof(why));
    if (exited && code == 0 && js_ensemble_file_complete(file) &&
        js_hash_file(file, &st.checksum) == 0) {
        st.state = JS_MEMBER_OK;
        ens_remove_restart(rdir);
    } else if ((exited && code == JS_EXIT_STOPPED) ||
               (wstatus >= 0 && WIFSIGNALED(wstatus) && js_ensemble_stop_signal() &&
                (WTERMSIG(wstatus) == SIGTERM || WTERMSIG(wstatus) == SIGINT))) {
        /* stopped with restart files, or stopped by the sweep's signal before it could write
         * them (while starting): it runs again */
        st.state = JS_MEMBER_STOPPED;
    } else {
        st.state = JS_MEMBER_FAILED;
        if (wstatus < 0)
            snprintf(st.error, sizeof(st.error), "could not start %.400s", e->exe);
        else if (WIFSIGNALED(wstatus))
            snprintf(st.error, sizeof(st.error), "killed by signal %d (%.40s)%s%.400s",
                     WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)), why[0] ? ": " : "", why);
        else if (why[0])
            snprintf(st.error, sizeof(st.error), "%s", why);
        else
            snprintf(st.error, sizeof(st.error), "exit status %d", code);
    }
    if (js_ensemble_status_write(e->dir, k, &st) != 0)
        js_log_error("cannot write the status of member %lld in %s/status: %s", (long long)k,
                     e->dir, strerror(errno));
    free(file);
    free(rdir);
    return st.state;
}

/* ---------------------------------------------------------------- progress */

void js_ensemble_progress_start(struct js_ensemble_progress *p, const struct js_ensemble *e,
                                int64_t nskipped)
{
    memset(p, 0, sizeof(*p));
    p->tty = isatty(STDERR_FILENO);
    p->quiet = e->opt->quiet;
    p->t0 = js_wall_seconds();
    p->total = e->hi - e->lo;
    p->skipped = nskipped;
}

void js_ensemble_progress_record(struct js_ensemble_progress *p, const struct js_ensemble *e,
                                 int64_t k, enum js_member_state st)
{
    p->done += st == JS_MEMBER_OK;
    p->failed += st == JS_MEMBER_FAILED;
    p->stopped += st == JS_MEMBER_STOPPED;
    struct js_member_status ms;
    if (st == JS_MEMBER_FAILED && js_ensemble_status_read(e->dir, k, &ms) == 0)
        js_log_warn("%smember %lld failed: %s (log: %s/logs/member_%lld.log)", p->tty ? "\n" : "",
                    (long long)k, ms.error, e->dir, (long long)k);
}

void js_ensemble_progress_print(struct js_ensemble_progress *p, bool final)
{
    double now = js_wall_seconds();
    if (p->quiet || (!final && now - p->last < (p->tty ? 0.2 : 10.0)))
        return;
    p->last = now;
    int64_t finished = p->done + p->failed;
    int64_t left = p->total - p->skipped - finished;
    double rate = (double)finished / (now - p->t0 + 1e-9);
    int eta = rate > 0 ? (int)((double)(left - p->running) / rate + 0.5) : 0;
    fprintf(stderr, "%ssweep: %lld/%lld members done (%lld skipped as complete), %lld failed, ",
            p->tty ? "\r" : "", (long long)(p->skipped + p->done), (long long)p->total,
            (long long)p->skipped, (long long)p->failed);
    if (final)
        fprintf(stderr, "%lld left; %.1f s, %.1f member-runs/min\n", (long long)left, now - p->t0,
                60.0 * rate);
    else
        fprintf(stderr, "%lld running, ETA %d:%02d:%02d%s", (long long)p->running,
                eta > 0 ? eta / 3600 : 0, eta > 0 ? eta / 60 % 60 : 0, eta > 0 ? eta % 60 : 0,
                p->tty ? "   " : "\n");
    fflush(stderr);
}

int js_ensemble_progress_status(const struct js_ensemble_progress *p)
{
    if (p->failed)
        return JS_EXIT_FAILURE;
    return p->skipped + p->done < p->total ? JS_EXIT_STOPPED : JS_EXIT_OK;
}

/* ---------------------------------------------------------------- the pool */

/**
 * @brief Members run at once: --jobs, or the cores this process may use / --threads.
 * @param e the ensemble
 */
static int ens_jobs(const struct js_ensemble *e)
{
    if (e->opt->jobs > 0)
        return e->opt->jobs;
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
    int per = e->opt->threads > 0 ? e->opt->threads : 1;
    return n / per > 0 ? n / per : 1;
}

/** @brief A running member. */
struct ens_slot {
    pid_t pid; /**< its process */
    int64_t k; /**< the member */
    double t0; /**< when it started */
};

enum js_member_state js_ensemble_run_one(const struct js_ensemble *e, int64_t k, double *wall)
{
    double t0 = js_wall_seconds();
    pid_t pid = js_ensemble_spawn(e, k);
    int ws = -1;
    bool asked = false;
    while (pid > 0 && waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR)
            break;
        if (js_ensemble_stop_signal() && !asked) {
            kill(pid, SIGTERM);
            asked = true;
        }
    }
    *wall = js_wall_seconds() - t0;
    return js_ensemble_finish(e, k, ws, *wall);
}

/**
 * @brief Waits for one member to end and records it.
 * @param e the ensemble
 * @param slots running members (the one that ended is removed)
 * @param n how many (decremented)
 * @param p progress
 * @return its state, or -1 if the wait was interrupted
 */
static int ens_reap(const struct js_ensemble *e, struct ens_slot *slots, int *n,
                    struct js_ensemble_progress *p)
{
    int ws;
    pid_t pid = waitpid(-1, &ws, 0);
    int i = 0;
    while (pid > 0 && i < *n && slots[i].pid != pid)
        i++;
    if (pid <= 0 || i == *n)
        return -1;
    double wall = js_wall_seconds() - slots[i].t0;
    enum js_member_state st = js_ensemble_finish(e, slots[i].k, ws, wall);
    js_ensemble_progress_record(p, e, slots[i].k, st);
    slots[i] = slots[--*n];
    p->running = *n;
    return (int)st;
}

int js_ensemble_pool(const struct js_ensemble *e, const int64_t *queue, int64_t nqueue,
                     int64_t nskipped)
{
    int jobs = ens_jobs(e);
    struct ens_slot *slots = js_xcalloc((size_t)jobs, sizeof(*slots));
    struct js_ensemble_progress p;
    js_ensemble_progress_start(&p, e, nskipped);
    js_ensemble_catch_signals();
    int n = 0;
    int64_t next = 0;
    bool stopping = false;
    while ((next < nqueue && !stopping) || n > 0) {
        while (!stopping && n < jobs && next < nqueue) {
            int64_t k = queue[next++];
            pid_t pid = js_ensemble_spawn(e, k);
            if (pid < 0) {
                js_ensemble_progress_record(&p, e, k, js_ensemble_finish(e, k, -1, 0.0));
                continue;
            }
            slots[n++] = (struct ens_slot){pid, k, js_wall_seconds()};
            p.running = n;
        }
        if (n == 0)
            break;
        int st = ens_reap(e, slots, &n, &p);
        bool fail_fast = st == JS_MEMBER_FAILED && e->opt->fail_fast;
        if (!stopping && (js_ensemble_stop_signal() || fail_fast)) {
            stopping = true;
            js_log_info("%sjinsong: %s: no new member starts; %d running member%s stop%s",
                        p.tty ? "\n" : "",
                        fail_fast ? "--fail-fast and a member failed" : "stopping on a signal", n,
                        n == 1 ? "" : "s", n == 1 ? "s" : "");
            for (int i = 0; i < n; i++)
                kill(slots[i].pid, SIGTERM);
        }
        js_ensemble_progress_print(&p, false);
    }
    js_ensemble_progress_print(&p, true);
    free(slots);
    return js_ensemble_progress_status(&p);
}

/* ---------------------------------------------------------------- jinsong sweep */

/**
 * @brief Whether every member of the sweep has a status ok (after a --member-range share).
 * @param e the ensemble
 */
static bool ens_all_ok(const struct js_ensemble *e)
{
    for (int64_t k = 0; k < e->design.nmembers; k++) {
        struct js_member_status st;
        if (js_ensemble_status_read(e->dir, k, &st) != 0 || st.state != JS_MEMBER_OK)
            return false;
    }
    return true;
}

int js_ensemble_queue(const struct js_ensemble *e, int64_t **queue, int64_t *nqueue,
                      int64_t *nskipped)
{
    int rc = js_ensemble_resume(e, queue, nqueue, nskipped);
    if (rc == 0 && !e->opt->quiet)
        js_log_info("jinsong: sweep %s: %lld members (%s design, %lld points x %d replicates); "
                    "running %lld of members %lld:%lld, %lld complete",
                    e->sweep.name, (long long)e->design.nmembers,
                    js_design_kind_name(e->design.kind), (long long)e->design.npoints,
                    (int)e->design.replicates, (long long)*nqueue, (long long)e->lo,
                    (long long)e->hi, (long long)*nskipped);
    return rc;
}

int js_ensemble_index(const struct js_ensemble *e, int rc)
{
    if (rc == JS_EXIT_BAD_INPUT)
        return rc;
    if (!e->opt->range_given || ens_all_ok(e)) {
        int crc = js_ensemble_collect(e->dir, e->opt->command_line, e->opt->quiet);
        if (crc == JS_EXIT_BAD_INPUT)
            return crc;
    } else if (!e->opt->quiet) {
        js_log_info("jinsong: members %lld:%lld done; when every member is, "
                    "`jinsong sweep --collect %s` builds ensemble.h5",
                    (long long)e->lo, (long long)e->hi, e->dir);
    }
    return rc;
}

/**
 * @brief Runs the members of a prepared sweep on this machine, then indexes them.
 * @param e the ensemble
 */
static int ens_run_local(const struct js_ensemble *e)
{
    int64_t *queue = NULL, nqueue = 0, nskipped = 0;
    int rc = js_ensemble_queue(e, &queue, &nqueue, &nskipped);
    if (rc == 0)
        rc = js_ensemble_pool(e, queue, nqueue, nskipped);
    free(queue);
    return js_ensemble_index(e, rc);
}

/**
 * @brief `--dry-run`: what the sweep would run, after its checks.
 * @param e the ensemble (checked)
 */
static int ens_dry_run(const struct js_ensemble *e)
{
    printf("sweep %s: %lld members (%s design, %d parameter%s, %lld points x %d replicates) over "
           "%s; every design value is accepted by the scenario\n",
           e->sweep.name, (long long)e->design.nmembers, js_design_kind_name(e->design.kind),
           e->design.nparams, e->design.nparams == 1 ? "" : "s", (long long)e->design.npoints,
           (int)e->design.replicates, e->sweep.scenario);
    for (int64_t k = 0; k < e->design.nmembers && k < 3; k++) {
        char args[2048];
        js_ensemble_fingerprint(e, k, args, sizeof(args));
        printf("  member %lld: jinsong run %s %s\n", (long long)k, e->sweep.scenario,
               strchr(args, '-'));
    }
    if (e->design.nmembers > 3)
        printf("  ...\n");
    return JS_EXIT_OK;
}

int js_sweep_main(const struct js_sweep_options *o)
{
    js_log_set_quiet(o->quiet);
    if (o->collect)
        return js_ensemble_collect(o->dir, o->command_line, o->quiet);
    if (o->mpi)
        return js_ensemble_mpi(o);
    struct js_ensemble e;
    int rc = js_ensemble_prepare(&e, o, true);
    if (rc == 0 && o->dry_run)
        rc = ens_dry_run(&e);
    else if (rc == 0)
        rc = o->slurm ? js_ensemble_slurm(&e) : ens_run_local(&e);
    js_ensemble_free(&e);
    return rc;
}
