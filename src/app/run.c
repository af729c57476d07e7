/**
 * @file run.c
 * @brief The run driver (load, output, day loop, progress, summary), validate and info.
 */

/* system headers */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* OpenMP */
#include <omp.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/output.h"
#include "jinsong/progress.h"
#include "jinsong/run.h"
#include "jinsong/util.h"

/* Set by SIGINT/SIGTERM; the day loop stops at the end of the current day. */
static volatile sig_atomic_t run_stop_signal = 0;

/** @brief Records the signal; the loop acts on it. */
static void run_on_signal(int sig)
{
    run_stop_signal = sig;
}

/**
 * @brief Loads a scenario, printing errors; returns 0 or -1.
 */
static int run_load(struct js_scenario *sc, const char *config,
                    const struct js_scenario_options *opt)
{
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, config, opt, &d);
    if (rc != 0) {
        js_diag_print(&d, stderr);
        fprintf(stderr, "jinsong: %zu error%s in %s; nothing was run\n", d.n, d.n == 1 ? "" : "s",
                config);
    }
    js_diag_free(&d);
    if (rc == 0)
        for (size_t i = 0; i < sc->nset_log; i++)
            js_log_info("jinsong: %s", sc->set_log[i]);
    return rc;
}

/**
 * @brief Prints the parameter table.
 */
static void run_print_table(const struct js_scenario *sc, FILE *out)
{
    int wk = 3, wv = 5, wu = 4;
    for (size_t i = 0; i < sc->nrecords; i++) {
        const struct js_param_record *r = &sc->records[i];
        int k = (int)strlen(r->key), v = (int)strlen(r->value), u = (int)strlen(r->unit);
        wk = k > wk ? k : wk;
        wv = v > wv ? (v > 40 ? 40 : v) : wv;
        wu = u > wu ? u : wu;
    }
    fprintf(out, "%-*s  %-*s  %-*s  %s\n", wk, "key", wv, "value", wu, "unit", "source");
    for (size_t i = 0; i < sc->nrecords; i++) {
        const struct js_param_record *r = &sc->records[i];
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", wk, r->key, wv, r->value, wu, r->unit, r->source);
    }
}

/**
 * @brief One line describing the scenario's size.
 */
static void run_print_header(const struct js_scenario *sc, FILE *out)
{
    const struct js_world *w = &sc->world;
    char s0[16], s1[16];
    js_calendar_format(w->clock.start, s0);
    js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, w->clock.n_days),
                       s1);
    fprintf(out,
            "scenario %s: %s to %s (%d days, %s calendar), %d places, %d factions, %d routes, "
            "%d scripted events, seed %u, run index %u\n",
            sc->name, s0, s1, w->clock.n_days, js_calendar_name(w->clock.calendar), w->places.n,
            w->factions.n, w->routes.n, sc->params.events.n, sc->seed, sc->run_index);
}

int js_validate(const char *config, const struct js_scenario_options *opt, bool quiet)
{
    js_log_set_quiet(quiet);
    struct js_scenario sc;
    if (run_load(&sc, config, opt) != 0)
        return JS_EXIT_BAD_INPUT;
    if (!quiet) {
        printf("%s is valid\n", config);
        run_print_header(&sc, stdout);
        printf("\n");
        run_print_table(&sc, stdout);
    }
    js_scenario_free(&sc);
    return JS_EXIT_OK;
}

int js_info(const char *path, bool quiet)
{
    struct js_diag d = {0};
    FILE *sink = quiet ? fopen("/dev/null", "w") : stdout;
    int rc = js_output_describe(path, sink ? sink : stdout, &d);
    if (quiet && sink)
        fclose(sink);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    return rc == 0 ? JS_EXIT_OK : JS_EXIT_BAD_INPUT;
}

/**
 * @brief Output rows a run writes: row 0, every N days, and the last day.
 */
static int64_t run_rows(const struct js_scenario *sc)
{
    int32_t n = sc->world.clock.n_days, every = sc->output_every;
    return 1 + n / every + (n % every ? 1 : 0);
}

/**
 * @brief `--dry-run`: sizes of the run without running it.
 */
static void run_print_sizes(const struct js_scenario *sc, const char *out)
{
    const struct js_world *w = &sc->world;
    double world_bytes = (double)w->places.n * (JS_NCLASSES * 8 + 8 * 3 + 4 + 1 + 32) +
                         (double)w->routes.n * (8 * 2 + 4 * 2 + 4 + JS_NSEASONS * 8 + 24) +
                         (double)w->graph.n_arcs * (16 + 8 + JS_NMOVERS * JS_NSEASONS * 8);
    int64_t rows = run_rows(sc);
    double row_bytes = (double)w->places.n * (8 + JS_NCLASSES * 8 + 4 + 8) +
                       (double)w->factions.n * 12 + (double)w->routes.n;
    printf("dry run: nothing is simulated or written\n");
    run_print_header(sc, stdout);
    printf("  entities        %d places, %d factions, %d routes (%d arcs)\n", w->places.n,
           w->factions.n, w->routes.n, w->graph.n_arcs);
    printf("  world state     %.1f MB\n", world_bytes / 1e6);
    printf("  output          %s: %lld time rows (every %d days), %.1f MB before compression\n",
           out, (long long)rows, sc->output_every, (double)rows * row_bytes / 1e6);
    printf("  parameters      %zu\n", sc->nrecords);
    printf("  threads         %d\n", omp_get_max_threads());
}

/**
 * @brief The default output path results/<scenario>.h5 (creating results/ if needed).
 */
static char *run_default_output(const struct js_scenario *sc)
{
    if (mkdir("results", 0777) != 0 && errno != EEXIST)
        js_log_warn("cannot create folder results: %s", strerror(errno));
    return js_xasprintf("results/%s.h5", sc->name);
}

/**
 * @brief The refugees in the end-of-run report: how many fled, settled, died, are still on the
 * move, and the places most of them left and settled in.
 * @param w the world
 */
static void run_report_refugees(const struct js_world *w)
{
    const int64_t *t = w->ledger.total;
    const struct js_migration *m = &w->migration;
    printf("  refugees          %lld fled, %lld settled, %lld died; %lld still on the move or "
           "waiting\n",
           (long long)(t[JS_FLOW_REFUGEES_FLEE] + t[JS_FLOW_REFUGEES_ENTER]),
           (long long)t[JS_FLOW_REFUGEES_SETTLE], (long long)t[JS_FLOW_REFUGEE_DEATHS],
           (long long)w->ledger.stock[JS_Q_PERSONS][JS_H_REFUGEES]);
    for (int k = 0; k < 2; k++) {
        const int64_t *v = k ? m->settled : m->left;
        int32_t top[3] = {-1, -1, -1};
        for (int32_t i = 0; i < w->places.n; i++) {
            if (v[i] <= 0)
                continue;
            for (int j = 0; j < 3; j++) {
                if (top[j] < 0 || v[i] > v[top[j]]) {
                    for (int q = 2; q > j; q--)
                        top[q] = top[q - 1];
                    top[j] = i;
                    break;
                }
            }
        }
        if (top[0] < 0)
            continue;
        printf("    %-15s ", k ? "settled most in" : "fled most from");
        for (int j = 0; j < 3 && top[j] >= 0; j++)
            printf("%s%s %lld", j ? ", " : "", w->places.name[top[j]], (long long)v[top[j]]);
        printf("\n");
    }
}

/**
 * @brief The end-of-run report on stdout: population, vital flows, events by kind.
 */
static void run_report(const struct js_scenario *sc, const struct js_world *w, const char *out)
{
    char s1[16];
    js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, w->clock.day), s1);
    printf("%s: %d days simulated, to %s\n", sc->name, w->clock.day, s1);
    int64_t p0 = w->ledger.initial[JS_Q_PERSONS][JS_H_PLACES];
    int64_t p1 = w->ledger.stock[JS_Q_PERSONS][JS_H_PLACES];
    const int64_t *t = w->ledger.total;
    printf("  people in places  %lld -> %lld (births %lld, deaths %lld: baseline %lld, famine "
           "%lld, epidemic %lld, violence %lld)\n",
           (long long)p0, (long long)p1, (long long)t[JS_FLOW_BIRTHS],
           (long long)(t[JS_FLOW_DEATHS_BASELINE] + t[JS_FLOW_DEATHS_FAMINE] +
                       t[JS_FLOW_DEATHS_EPIDEMIC] + t[JS_FLOW_DEATHS_VIOLENCE]),
           (long long)t[JS_FLOW_DEATHS_BASELINE], (long long)t[JS_FLOW_DEATHS_FAMINE],
           (long long)t[JS_FLOW_DEATHS_EPIDEMIC], (long long)t[JS_FLOW_DEATHS_VIOLENCE]);
    run_report_refugees(w);
    for (int32_t f = 0; f < w->factions.n; f++) {
        int32_t held = 0;
        int64_t pop = 0;
        for (int32_t i = 0; i < w->places.n; i++)
            if (w->places.owner[i] == f) {
                held++;
                pop += js_world_place_population(w, i);
            }
        printf("  %-16s  holds %d places, %lld people\n", w->factions.name[f], held,
               (long long)pop);
    }
    int64_t count[JS_NEVENT_KINDS] = {0};
    for (int64_t i = 0; i < w->events.n; i++)
        count[w->events.rows[i].kind]++;
    printf("  events            %lld", (long long)w->events.n);
    const char *sep = " (";
    for (int k = 0; k < JS_NEVENT_KINDS; k++)
        if (count[k]) {
            printf("%s%s %lld", sep, js_event_kind_name((enum js_event_kind)k),
                   (long long)count[k]);
            sep = ", ";
        }
    printf("%s\n", w->events.n ? ")" : "");
    printf("  output            %s\n", out);
}

/**
 * @brief The day loop with output rows and progress.
 * @return 0, or an exit status on failure
 */
static int run_loop(struct js_scenario *sc, struct js_output *o, bool quiet)
{
    struct js_world *w = &sc->world;
    struct js_progress prog;
    js_progress_start(&prog, w, !quiet && isatty(STDERR_FILENO));
    char msg[512];
    while (w->clock.day < w->clock.n_days) {
        if (js_sim_step(w, &sc->params, msg, sizeof(msg)) != 0) {
            js_progress_finish(&prog);
            js_log_error("internal error on day %d: %s", w->clock.day, msg);
            return JS_EXIT_FAILURE;
        }
        if (w->clock.day % sc->output_every == 0 || w->clock.day == w->clock.n_days) {
            if (js_output_row(o, w) != 0) {
                js_progress_finish(&prog);
                js_log_error("%s", js_output_error());
                return JS_EXIT_FAILURE;
            }
            js_ledger_interval_reset(&w->ledger);
        }
        js_progress_update(&prog, w);
        if (run_stop_signal) {
            js_progress_finish(&prog);
            js_log_error("interrupted by signal %d on day %d; no output written",
                         (int)run_stop_signal, w->clock.day);
            return JS_EXIT_FAILURE;
        }
    }
    js_progress_finish(&prog);
    return 0;
}

int js_run(const struct js_run_options *opt)
{
    js_log_set_quiet(opt->quiet);
    if (opt->threads > 0)
        omp_set_num_threads(opt->threads);
    struct js_scenario sc;
    if (run_load(&sc, opt->config, &opt->sc) != 0)
        return JS_EXIT_BAD_INPUT;
    char *out = opt->output ? js_xstrdup(opt->output) : NULL;
    if (opt->dry_run) {
        if (!opt->quiet)
            run_print_sizes(&sc, out ? out : "results/<scenario>.h5");
        free(out);
        js_scenario_free(&sc);
        return JS_EXIT_OK;
    }
    if (!out)
        out = run_default_output(&sc);
    struct js_diag d = {0};
    struct js_output *o = NULL;
    double t0 = js_wall_seconds();
    int rc = js_output_open(&o, out, &sc, &d);
    if (rc == 0 && js_output_row(o, &sc.world) != 0) {
        js_diag_add(&d, out, 0, 0, NULL, "check the free space and the permissions",
                    "cannot write the output: %s", js_output_error());
        js_output_abort(o);
        rc = -1;
    }
    if (rc != 0) {
        js_diag_print(&d, stderr);
        js_diag_free(&d);
        js_scenario_free(&sc);
        free(out);
        return JS_EXIT_BAD_INPUT;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = run_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int status = run_loop(&sc, o, opt->quiet);
    double wall = js_wall_seconds() - t0;
    if (status != 0) {
        js_output_abort(o);
    } else {
        struct js_provenance prov = {opt->command_line, omp_get_max_threads(), wall, NULL};
        if (js_output_close(o, &sc.world, &prov) != 0) {
            js_log_error("%s", js_output_error());
            status = JS_EXIT_FAILURE;
        }
    }
    if (status == 0 && !opt->quiet) {
        run_report(&sc, &sc.world, out);
        js_log_info("jinsong: %d days in %.2f s (%.0f days/s) -> %s", sc.world.clock.n_days, wall,
                    (double)sc.world.clock.n_days / (wall > 0 ? wall : 1e-9), out);
    }
    js_diag_free(&d);
    js_scenario_free(&sc);
    free(out);
    return status;
}
