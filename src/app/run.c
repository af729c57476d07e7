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
#include "jinsong/checkpoint.h"
#include "jinsong/fsutil.h"
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
 * @brief The armies at the end of the run (where, strength) and the first battles.
 * @param w the world
 */
static void run_report_armies(const struct js_world *w)
{
    const struct js_armies *a = &w->armies;
    if (a->n == 0)
        return;
    printf("  armies            %d (%d declared, %d raised by events)\n", a->n, a->n_declared,
           a->n - a->n_declared);
    int wn = 4;
    for (int32_t i = 0; i < a->n; i++)
        if (a->name[i] && (int)strlen(a->name[i]) > wn)
            wn = (int)strlen(a->name[i]);
    for (int32_t i = 0; i < a->n; i++) {
        char where[160];
        if (a->place[i] >= 0)
            snprintf(where, sizeof(where), "at %s", w->places.name[a->place[i]]);
        else {
            const struct js_arc *arc = &w->graph.arcs[a->arc[i]];
            snprintf(where, sizeof(where), "between %s and %s", w->places.name[arc->from],
                     w->places.name[arc->to]);
        }
        const char *who = a->owner[i] >= 0 ? w->factions.name[a->owner[i]] : "?";
        printf("    %-*s  %-6s %-10s %s, %lld fighting men (%lld at the start)\n", wn,
               a->name[i] ? a->name[i] : "?", who, js_army_state_name(a->state[i]), where,
               (long long)js_army_strength(a, i), (long long)a->strength0[i]);
    }
    int64_t battles = 0;
    for (int64_t k = 0; k < w->events.n; k++)
        battles += w->events.rows[k].kind == JS_EV_BATTLE;
    printf("  battles           %lld (killed %lld, captured %lld)%s\n", (long long)battles,
           (long long)w->ledger.total[JS_FLOW_BATTLE_KILLED],
           (long long)w->ledger.total[JS_FLOW_BATTLE_CAPTURED],
           battles > 12 ? "; the first 12:" : "");
    int shown = 0;
    for (int64_t k = 0; k < w->events.n && shown < 12; k++) {
        const struct js_event_row *r = &w->events.rows[k];
        if (r->kind != JS_EV_BATTLE)
            continue;
        char date[16];
        js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, r->day), date);
        printf("    %s at %-22s %s: %.0f -> %.0f against %.0f -> %.0f\n", date,
               w->places.name[r->place], r->text, r->value[0], r->value[1], r->value[2],
               r->value[3]);
        shown++;
    }
}

/**
 * @brief The sieges of the run (from the SIEGE_START and SIEGE_END rows): how they ended, the
 * first twelve with their dates, and the dead and the captives.
 * @param w the world
 */
static void run_report_sieges(const struct js_world *w)
{
    int64_t started = 0, ended[JS_NSIEGE_OUTCOMES] = {0};
    for (int64_t k = 0; k < w->events.n; k++) {
        const struct js_event_row *r = &w->events.rows[k];
        started += r->kind == JS_EV_SIEGE_START;
        if (r->kind == JS_EV_SIEGE_END && (unsigned)r->value[0] < JS_NSIEGE_OUTCOMES)
            ended[(int)r->value[0]]++;
    }
    if (started == 0)
        return;
    const int64_t *t = w->ledger.total;
    printf(
        "  sieges            %lld (stormed %lld, surrendered %lld, ransomed %lld, relieved %lld, "
        "lifted %lld); starved %lld, epidemics %lld, sacks %lld dead, captives %lld\n",
        (long long)started, (long long)ended[JS_SIEGE_STORMED],
        (long long)ended[JS_SIEGE_SURRENDERED], (long long)ended[JS_SIEGE_RANSOMED],
        (long long)ended[JS_SIEGE_RELIEVED], (long long)ended[JS_SIEGE_LIFTED],
        (long long)t[JS_FLOW_SIEGE_STARVED],
        (long long)(t[JS_FLOW_SIEGE_EPIDEMIC] + t[JS_FLOW_SIEGE_EPIDEMIC_ARMY]),
        (long long)t[JS_FLOW_SACK_KILLED], (long long)t[JS_FLOW_CAPTIVES_TAKEN]);
    int shown = 0;
    for (int64_t k = 0; k < w->events.n && shown < 12; k++) {
        const struct js_event_row *r = &w->events.rows[k];
        if (r->kind != JS_EV_SIEGE_START)
            continue;
        const struct js_event_row *e = NULL;
        for (int64_t j = k + 1; j < w->events.n && !e; j++)
            if (w->events.rows[j].kind == JS_EV_SIEGE_END && w->events.rows[j].place == r->place)
                e = &w->events.rows[j];
        char date[16];
        js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, r->day), date);
        printf("    %s %-30s by %-6s %.0f against %.0f: %s", date, w->places.name[r->place],
               r->faction_a >= 0 ? w->factions.name[r->faction_a] : "?", r->value[0], r->value[1],
               e ? js_siege_outcome_name((int)e->value[0]) : "still under way");
        if (e)
            printf(" after %.0f days", e->value[1]);
        printf("\n");
        shown++;
    }
}

/**
 * @brief The places that changed hands, in the order of the /events rows: stormed
 * (CITY_FALLS), surrendered (CITY_SURRENDERS) or ceded (PLACE_CEDED), with the date, the old
 * and the new holder; the first 24 are listed.
 * @param w the world
 */
static void run_report_changes_hands(const struct js_world *w)
{
    int64_t n[3] = {0};
    for (int64_t k = 0; k < w->events.n; k++) {
        enum js_event_kind kind = w->events.rows[k].kind;
        n[0] += kind == JS_EV_CITY_FALLS;
        n[1] += kind == JS_EV_CITY_SURRENDERS;
        n[2] += kind == JS_EV_PLACE_CEDED;
    }
    if (n[0] + n[1] + n[2] == 0) {
        printf("  changed hands     none (no place stormed, surrendered or ceded)\n");
        return;
    }
    printf("  changed hands     %lld (stormed %lld, surrendered %lld, ceded %lld)%s\n",
           (long long)(n[0] + n[1] + n[2]), (long long)n[0], (long long)n[1], (long long)n[2],
           n[0] + n[1] + n[2] > 24 ? "; the first 24:" : "");
    int shown = 0;
    for (int64_t k = 0; k < w->events.n && shown < 24; k++) {
        const struct js_event_row *r = &w->events.rows[k];
        const char *how = r->kind == JS_EV_CITY_FALLS        ? "stormed"
                          : r->kind == JS_EV_CITY_SURRENDERS ? "surrendered"
                          : r->kind == JS_EV_PLACE_CEDED     ? "ceded"
                                                             : NULL;
        if (!how || r->place < 0)
            continue;
        char date[16];
        js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, r->day), date);
        const char *to = r->faction_a >= 0 ? w->factions.name[r->faction_a] : "?";
        const char *from = r->faction_b >= 0 ? w->factions.name[r->faction_b] : "?";
        printf("    %s %-30s %-11s %s -> %s\n", date, w->places.name[r->place], how, from, to);
        shown++;
    }
}

/**
 * @brief A quantity in base units as text with a unit ("12.3 M shi", "4,500 strings").
 * @param v amount
 * @param div divisor to the unit shown (100 for sheng -> shi)
 * @param unit unit shown
 * @param buf output
 * @param len its size
 */
static const char *run_amount(int64_t v, double div, const char *unit, char *buf, size_t len)
{
    double x = (double)v / div;
    if (x >= 1e6 || x <= -1e6)
        snprintf(buf, len, "%.2f M %s", x / 1e6, unit);
    else
        snprintf(buf, len, "%.0f %s", x, unit);
    return buf;
}

/**
 * @brief The economy's lines of the report: harvests and taxes, prices and famine, each
 * faction's treasury, tribute and transfers paid and received.
 */
static void run_report_economy(const struct js_world *w)
{
    const struct js_economy *e = &w->economy;
    const int64_t *t = w->ledger.total;
    char a[48], b[48], c[48], d[48], f[48];
    printf("  harvests          %s harvested, %s eaten; land tax %s and %s\n",
           run_amount(t[JS_FLOW_HARVEST], 100, "shi", a, sizeof(a)),
           run_amount(t[JS_FLOW_CONSUMPTION], 100, "shi", b, sizeof(b)),
           run_amount(t[JS_FLOW_LAND_TAX_GRAIN], 100, "shi", c, sizeof(c)),
           run_amount(t[JS_FLOW_LAND_TAX_CASH], 1, "strings", d, sizeof(d)));
    int32_t lo = -1, hi = -1, famine = 0;
    for (int32_t i = 0; i < w->places.n; i++) {
        if (js_world_place_population(w, i) <= 0)
            continue;
        lo = lo < 0 || e->price[i] < e->price[lo] ? i : lo;
        hi = hi < 0 || e->price[i] > e->price[hi] ? i : hi;
        famine += e->famine[i];
    }
    if (lo >= 0)
        printf("  grain prices      at the end %.2f (%s) to %.2f (%s) strings/shi; famine in %d "
               "place%s\n",
               e->price[lo], w->places.name[lo], e->price[hi], w->places.name[hi], famine,
               famine == 1 ? "" : "s");
    for (int32_t k = 0; k < w->factions.n; k++) {
        const int64_t *tr = &e->treasury[(size_t)k * JS_NCURRENCIES];
        printf("  %-16s  treasury %s, %s silver, %s gold, %s silk; granaries %s; pay owed for %d "
               "days\n",
               w->factions.name[k], run_amount(tr[JS_CUR_CASH], 1, "strings", a, sizeof(a)),
               run_amount(tr[JS_CUR_SILVER], 1, "taels", b, sizeof(b)),
               run_amount(tr[JS_CUR_GOLD], 1, "taels", c, sizeof(c)),
               run_amount(tr[JS_CUR_SILK], 1, "bolts", d, sizeof(d)),
               run_amount(js_world_economy_faction_grain(w, k), 100, "shi", f, sizeof(f)),
               e->unpaid_days[k]);
    }
    for (int32_t k = 0; k < e->treaties.n; k++) {
        const int64_t *pd = &e->treaties.paid[(size_t)k * JS_NCURRENCIES];
        printf("  tribute           %s (%s -> %s, %s): paid %s, %s silver, %s silk\n",
               e->treaties.id[k], w->factions.name[e->treaties.payer[k]],
               w->factions.name[e->treaties.receiver[k]],
               js_treaty_state_name((enum js_treaty_state)e->treaties.state[k]),
               run_amount(pd[JS_CUR_CASH], 1, "strings", a, sizeof(a)),
               run_amount(pd[JS_CUR_SILVER], 1, "taels", b, sizeof(b)),
               run_amount(pd[JS_CUR_SILK], 1, "bolts", c, sizeof(c)));
    }
    for (int32_t k = 0; k < e->transfers.n; k++) {
        const int64_t *pd = &e->transfers.paid[(size_t)k * JS_NCURRENCIES];
        printf("  transfer          %s (%s -> %s): paid %s silver, %s gold, %s silk, %s\n",
               e->transfers.id[k], w->factions.name[e->transfers.payer[k]],
               w->factions.name[e->transfers.receiver[k]],
               run_amount(pd[JS_CUR_SILVER], 1, "taels", a, sizeof(a)),
               run_amount(pd[JS_CUR_GOLD], 1, "taels", b, sizeof(b)),
               run_amount(pd[JS_CUR_SILK], 1, "bolts", c, sizeof(c)),
               run_amount(pd[JS_CUR_CASH], 1, "strings", d, sizeof(d)));
    }
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
 * @brief The end-of-run report on stdout: population, vital flows, armies and battles, the
 * economy, refugees, events by kind.
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
    run_report_armies(w);
    run_report_sieges(w);
    run_report_changes_hands(w);
    if (sc->params.economy.enabled)
        run_report_economy(w);
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

/* ---------------------------------------------------------------- restart files */

/** @brief What a run_loop stopped for (besides completing or failing). */
#define RUN_STOPPED 100

/** @brief Why a restart file is written now. */
enum run_ck_reason {
    RUN_CK_NONE = 0,
    RUN_CK_EVERY,     /**< --checkpoint-every N days */
    RUN_CK_HOURS,     /**< --checkpoint-hours H */
    RUN_CK_STOP_FILE, /**< DIR/stop appeared */
    RUN_CK_SIGNAL,    /**< SIGTERM (Slurm, before the wall-time limit) or SIGINT */
    RUN_CK_WALL_TIME, /**< --max-wall-time reached */
    RUN_CK_STOP_AFTER /**< --stop-after-days N */
};

/** @brief Restart-file control of a run segment. */
struct run_ctl {
    const char *dir;               /**< checkpoint folder, or NULL */
    char *stop_file;               /**< DIR/stop */
    int32_t every_days;            /**< restart file every N days, 0 = none */
    double every_hours;            /**< ... every H wall-clock hours, 0 = none */
    double max_wall;               /**< seconds this segment may run, 0 = no limit */
    int32_t stop_after;            /**< days this segment simulates, 0 = all */
    int32_t first_day;             /**< the day this segment began at */
    double t0;                     /**< wall time this segment began */
    double last_ck;                /**< wall time of the last restart file (or t0) */
    double last_poll;              /**< wall time the stop file was last looked for */
    double last_day_seconds;       /**< duration of the last simulated day */
    double ck_seconds;             /**< duration of the last restart-file write */
    double ck_total;               /**< time spent writing restart files */
    int32_t n_written;             /**< restart files written */
    enum run_ck_reason stopped;    /**< why the segment stopped, or NONE */
    double wall_before;            /**< wall time of the segments before this one */
    struct js_checkpoint_run info; /**< the run block */
    char *control;                 /**< run-control text for /provenance */
};

/** @brief Words for the reasons, for messages. */
static const char *run_ck_reason_text(enum run_ck_reason r)
{
    static const char *text[] = {"",       "periodic",        "periodic",         "stop file",
                                 "signal", "--max-wall-time", "--stop-after-days"};
    return text[r];
}

/**
 * @brief Sets up restart-file control from the options (a fresh run) or from a restart file.
 * @param c control (zeroed here)
 * @param opt options
 * @param prev the run block of the restart file continued, or NULL
 * @param t0 wall time the segment began
 * @return 0, or -1 with a message printed (checkpoint folder unusable)
 */
static int run_ctl_init(struct run_ctl *c, const struct js_run_options *opt,
                        const struct js_checkpoint_run *prev, double t0)
{
    memset(c, 0, sizeof(*c));
    c->dir = opt->checkpoint_dir ? opt->checkpoint_dir : opt->restart;
    c->every_days = opt->checkpoint_every
                        ? opt->checkpoint_every
                        : (prev && !opt->checkpoint_dir ? prev->checkpoint_every : 0);
    c->every_hours = opt->checkpoint_hours > 0
                         ? opt->checkpoint_hours
                         : (prev && !opt->checkpoint_dir ? prev->checkpoint_hours : 0);
    c->max_wall = opt->max_wall_seconds;
    c->stop_after = opt->stop_after_days;
    c->t0 = c->last_ck = t0;
    c->last_poll = -1e300;
    c->wall_before = prev ? prev->wall_seconds : 0.0;
    if (!c->dir)
        return 0;
    if (js_mkdir(c->dir) != 0) {
        js_log_error("cannot use the checkpoint folder %s: %s (create its parent folder, or "
                     "choose another with --checkpoint-dir)",
                     c->dir, strerror(errno));
        return -1;
    }
    if (access(c->dir, W_OK) != 0) {
        js_log_error("cannot write restart files to %s: %s", c->dir, strerror(errno));
        return -1;
    }
    c->stop_file = js_path_join(c->dir, JS_CHECKPOINT_STOP_FILE);
    if (js_path_exists(c->stop_file))
        js_log_warn("removing the old stop file %s", c->stop_file);
    unlink(c->stop_file);
    return 0;
}

/**
 * @brief Fills the run block that restart files of this segment will carry.
 * @param c control
 * @param opt options
 * @param prev the run block continued, or NULL
 * @param out the output path
 */
static void run_ctl_info(struct run_ctl *c, const struct js_run_options *opt,
                         const struct js_checkpoint_run *prev, const char *out)
{
    struct js_checkpoint_run *i = &c->info;
    const struct js_scenario_options *so = &opt->sc;
    i->scenario = prev ? js_xstrdup(prev->scenario) : js_path_absolute(opt->config);
    if (!i->scenario)
        i->scenario = js_xstrdup(opt->config);
    int n = prev ? prev->nsets : so->nsets;
    i->sets = js_xcalloc((size_t)(n ? n : 1), sizeof(char *));
    for (i->nsets = 0; i->nsets < n; i->nsets++)
        i->sets[i->nsets] = js_xstrdup(prev ? prev->sets[i->nsets] : so->sets[i->nsets]);
    i->seed_given = prev ? prev->seed_given : so->seed_given;
    i->seed = prev ? prev->seed : so->seed;
    i->run_index_given = prev ? prev->run_index_given : so->run_index_given;
    i->run_index = prev ? prev->run_index : so->run_index;
    i->output = js_path_absolute(out);
    if (!i->output)
        i->output = js_xstrdup(out);
    i->restarts = prev ? prev->restarts + 1 : 0;
    i->checkpoint_every = c->every_days;
    i->checkpoint_hours = c->every_hours;
    char *from = prev ? js_xasprintf("; restart %d, from %s at day %d", (int)i->restarts,
                                     opt->restart, (int)prev->day)
                      : js_xstrdup("");
    c->control = c->dir ? js_xasprintf("checkpoint_dir=%s checkpoint_every=%d checkpoint_hours=%g "
                                       "max_wall_time=%g stop_after_days=%d%s",
                                       c->dir, (int)c->every_days, c->every_hours, c->max_wall,
                                       (int)c->stop_after, from)
                        : js_xstrdup("");
    free(from);
}

/**
 * @brief Frees the control.
 * @param c control
 */
static void run_ctl_free(struct run_ctl *c)
{
    free(c->stop_file);
    free(c->control);
    js_checkpoint_run_free(&c->info);
}

/**
 * @brief Whether a restart file is due after the day just simulated, and why.
 * @param c control
 * @param w the world
 */
static enum run_ck_reason run_ck_due(struct run_ctl *c, const struct js_world *w)
{
    if (!c->dir || w->clock.day >= w->clock.n_days)
        return RUN_CK_NONE;
    double now = js_wall_seconds();
    if (run_stop_signal)
        return RUN_CK_SIGNAL;
    if (c->stop_after > 0 && w->clock.day - c->first_day >= c->stop_after)
        return RUN_CK_STOP_AFTER;
    /* stop while the next day and a restart file still fit in the time left */
    if (c->max_wall > 0 && now - c->t0 + c->last_day_seconds + 2 * c->ck_seconds >= c->max_wall)
        return RUN_CK_WALL_TIME;
    if (now - c->last_poll >= 1.0) {
        c->last_poll = now;
        if (js_path_exists(c->stop_file)) {
            unlink(c->stop_file);
            return RUN_CK_STOP_FILE;
        }
    }
    if (c->every_days > 0 && w->clock.day % c->every_days == 0)
        return RUN_CK_EVERY;
    if (c->every_hours > 0 && now - c->last_ck >= c->every_hours * 3600.0)
        return RUN_CK_HOURS;
    return RUN_CK_NONE;
}

/**
 * @brief Writes a restart file (the output flushed first, so that its copy is complete).
 * @param c control
 * @param sc the scenario
 * @param o the output
 * @return 0, or -1 (message printed)
 */
static int run_ck_write(struct run_ctl *c, struct js_scenario *sc, struct js_output *o)
{
    double t = js_wall_seconds();
    if (js_output_flush(o) != 0) {
        js_log_error("%s", js_output_error());
        return -1;
    }
    c->info.day = sc->world.clock.day;
    c->info.output_rows = js_output_rows_written(o);
    c->info.output_events = js_output_events_written(o);
    c->info.wall_seconds = c->wall_before + (t - c->t0);
    char err[1024];
    if (js_checkpoint_write(c->dir, &c->info, sc, &sc->world, js_output_partial_file(o), err,
                            sizeof(err)) != 0) {
        js_log_error("%s", err);
        return -1;
    }
    double now = js_wall_seconds();
    c->ck_seconds = now - t;
    c->ck_total += c->ck_seconds;
    c->n_written++;
    c->last_ck = now;
    return 0;
}

/**
 * @brief After each day: a restart file if one is due; tells whether the segment stops.
 * @param c control
 * @param sc the scenario
 * @param o the output
 * @return 0 to go on, RUN_STOPPED to stop, JS_EXIT_FAILURE if the file cannot be written
 */
static int run_ck_step(struct run_ctl *c, struct js_scenario *sc, struct js_output *o)
{
    enum run_ck_reason why = run_ck_due(c, &sc->world);
    if (why == RUN_CK_NONE)
        return 0;
    if (run_ck_write(c, sc, o) != 0)
        return JS_EXIT_FAILURE;
    if (why == RUN_CK_EVERY || why == RUN_CK_HOURS)
        return 0;
    c->stopped = why;
    return RUN_STOPPED;
}

/* ---------------------------------------------------------------- the run */

/**
 * @brief The day loop with output rows, restart files and progress.
 * @return 0, RUN_STOPPED (a restart file was written), or an exit status on failure
 */
static int run_loop(struct js_scenario *sc, struct js_output *o, bool quiet, struct run_ctl *ctl)
{
    struct js_world *w = &sc->world;
    struct js_progress prog;
    js_progress_start(&prog, w, !quiet && isatty(STDERR_FILENO));
    ctl->first_day = w->clock.day;
    char msg[2048];
    int status = 0;
    while (w->clock.day < w->clock.n_days && status == 0) {
        double t = js_wall_seconds();
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
        ctl->last_day_seconds = js_wall_seconds() - t;
        js_progress_update(&prog, w);
        status = run_ck_step(ctl, sc, o);
        if (status == 0 && run_stop_signal && !ctl->dir) {
            js_progress_finish(&prog);
            js_log_error("interrupted by signal %d on day %d; no output written (with "
                         "--checkpoint-dir a restart file is written instead)",
                         (int)run_stop_signal, w->clock.day);
            return JS_EXIT_FAILURE;
        }
    }
    js_progress_finish(&prog);
    return status;
}

/**
 * @brief After a stop: the message saying how to continue; the exit status.
 * @param c control
 * @param w the world
 */
static int run_stopped(const struct run_ctl *c, const struct js_world *w)
{
    js_log_info("jinsong: stopped (%s) after day %d of %d; restart file %s/%s written; "
                "continue with: jinsong run --restart %s",
                run_ck_reason_text(c->stopped), w->clock.day, w->clock.n_days, c->dir,
                JS_CHECKPOINT_FILE, c->dir);
    return c->stopped == RUN_CK_STOP_AFTER ? JS_EXIT_OK : JS_EXIT_STOPPED;
}

/**
 * @brief Runs the loop on an open output, then closes it (or leaves restart files); prints the
 * report; frees the scenario.
 * @param sc the scenario
 * @param o the output (row 0 written, or reopened)
 * @param out its path (freed)
 * @param opt options
 * @param ctl restart-file control (freed)
 */
static int run_execute(struct js_scenario *sc, struct js_output *o, char *out,
                       const struct js_run_options *opt, struct run_ctl *ctl)
{
    int status = run_loop(sc, o, opt->quiet, ctl);
    double wall = js_wall_seconds() - ctl->t0;
    if (status == RUN_STOPPED) {
        js_output_abort(o);
        status = run_stopped(ctl, &sc->world);
    } else if (status != 0) {
        js_output_abort(o);
    } else {
        struct js_provenance prov = {opt->command_line, omp_get_max_threads(),
                                     ctl->wall_before + wall, ctl->control};
        if (js_output_close(o, &sc->world, &prov) != 0) {
            js_log_error("%s", js_output_error());
            status = JS_EXIT_FAILURE;
        }
    }
    if (status == 0 && !opt->quiet && !ctl->stopped) {
        run_report(sc, &sc->world, out);
        fflush(stdout); /* the report before the timing line when both go to one file */
        js_log_info("jinsong: %d days in %.2f s (%.0f days/s) -> %s",
                    sc->world.clock.day - ctl->first_day, wall,
                    (double)(sc->world.clock.day - ctl->first_day) / (wall > 0 ? wall : 1e-9), out);
    }
    if (ctl->n_written > 0)
        js_log_info("jinsong: %d restart file%s written to %s, %.1f ms each", (int)ctl->n_written,
                    ctl->n_written == 1 ? "" : "s", ctl->dir, 1e3 * ctl->ck_total / ctl->n_written);
    run_ctl_free(ctl);
    js_scenario_free(sc);
    free(out);
    return status;
}

/**
 * @brief Continues a run from its restart file: rebuilds the scenario, checks its parameters,
 * restores the state and the output, and runs on.
 * @param opt options (restart set)
 */
static int run_restart(const struct js_run_options *opt)
{
    double t0 = js_wall_seconds();
    struct js_diag d = {0};
    struct js_checkpoint *ck = NULL;
    struct js_scenario sc;
    memset(&sc, 0, sizeof(sc));
    struct js_output *o = NULL;
    char *out = NULL, *partial = NULL;
    int rc = js_checkpoint_open(&ck, opt->restart, &d);
    const struct js_checkpoint_run *prev = rc == 0 ? js_checkpoint_run_info(ck) : NULL;
    if (rc == 0) {
        struct js_scenario_options so = {
            (const char *const *)prev->sets, prev->nsets,    prev->seed_given, prev->seed,
            prev->run_index_given,           prev->run_index};
        rc = run_load(&sc, prev->scenario, &so);
    }
    if (rc == 0)
        rc = js_checkpoint_check_params(ck, &sc, &d);
    if (rc == 0)
        rc = js_checkpoint_restore_world(ck, &sc.world, &d);
    if (rc == 0) {
        out = js_xstrdup(opt->output ? opt->output : prev->output);
        partial = js_output_partial_path(out);
        rc = js_checkpoint_restore_output(ck, partial, &d);
    }
    if (rc == 0)
        rc = js_output_reopen(&o, out, &sc, prev->output_rows, prev->output_events, &d);
    struct run_ctl ctl;
    if (rc == 0)
        rc = run_ctl_init(&ctl, opt, prev, t0);
    if (rc == 0)
        run_ctl_info(&ctl, opt, prev, out);
    if (rc == 0 && !opt->quiet) {
        char date[16];
        js_calendar_format(js_world_day(&sc.world, sc.world.clock.day).date, date);
        js_log_info("jinsong: continuing %s from %s at day %d (%s) -> %s", sc.name, opt->restart,
                    sc.world.clock.day, date, out);
    }
    js_checkpoint_close(ck);
    js_diag_print(&d, stderr);
    js_diag_free(&d);
    free(partial);
    if (rc != 0) {
        if (o)
            js_output_abort(o);
        js_scenario_free(&sc);
        free(out);
        return JS_EXIT_BAD_INPUT;
    }
    return run_execute(&sc, o, out, opt, &ctl);
}

int js_run(const struct js_run_options *opt)
{
    /* caught from the start: a signal while loading stops the run after its first day */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = run_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    js_log_set_quiet(opt->quiet);
    if (opt->threads > 0)
        omp_set_num_threads(opt->threads);
    if (opt->restart)
        return run_restart(opt);
    double t0 = js_wall_seconds();
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
    struct run_ctl ctl;
    if (run_ctl_init(&ctl, opt, NULL, t0) != 0) {
        run_ctl_free(&ctl);
        js_scenario_free(&sc);
        free(out);
        return JS_EXIT_BAD_INPUT;
    }
    struct js_diag d = {0};
    struct js_output *o = NULL;
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
        run_ctl_free(&ctl);
        js_scenario_free(&sc);
        free(out);
        return JS_EXIT_BAD_INPUT;
    }
    run_ctl_info(&ctl, opt, NULL, out);
    return run_execute(&sc, o, out, opt, &ctl);
}
