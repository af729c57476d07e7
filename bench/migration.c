/**
 * @file migration.c
 * @brief Benchmark of the refugee engine (not a test): a synthetic 50 × 50 grid of places with
 * 8 neighbours, N agents (default 10 M) that all move (every place a conflict zone, move
 * chance 1), 30 days; agent-steps per second with 1 and 2 threads (or those given), bytes per
 * agent, and the same with 90 % of the agents settled on the first day. Places are SPACING
 * degrees apart (default 0.5°, ~50 km, the spacing of prefecture seats on the North China
 * plain; 0.2° makes every agent reach a place and choose a route almost every day).
 *
 * Usage: bench_migration [AGENTS [DAYS [SPACING [THREADS...]]]] (DAYS at most 58)
 */

/* system headers */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* OpenMP */
#include <omp.h>

/* local headers */
#include "jinsong/scenario.h"
#include "jinsong/util.h"

/** @brief Side of the grid. */
#define GRID 50

/**
 * @brief Writes the grid scenario: places @p spacing degrees apart, roads to the 8 neighbours,
 * every place in conflict (move chance 1); in the settled variant, 9 places in 10 are refuges out
 * of danger where everyone settles on the first day.
 * @param path file to write
 * @param days days to simulate (at most 58)
 * @param spacing degrees between neighbouring places
 * @param settled the 90 %-settled variant
 */
static void write_grid(const char *path, int days, double spacing, int settled)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "scenario: {name: bench_grid, start: 1127-01-01, end: 1127-%02d-%02d, seed: 5}\n",
            1 + (days >= 31 ? 1 : 0), days >= 31 ? days - 30 : 1 + days);
    fprintf(f, "migration:\n  persons_per_agent: 1\n  output: {flow_matrix: false}\n");
    fprintf(f, "  settle_chance: {refuge: 1.0}\n  move_chance: {refuge: 0.0}\n");
    fprintf(f, "places:\n");
    for (int y = 0; y < GRID; y++)
        for (int x = 0; x < GRID; x++) {
            int refuge = settled && (y * GRID + x) % 10 != 0;
            fprintf(f, "  p%d_%d: {lat: %.3f, lon: %.3f, conflict: %d%s}\n", y, x, 30 + spacing * y,
                    100 + spacing * x, refuge ? 0 : 1, refuge ? ", migration: {type: refuge}" : "");
        }
    fprintf(f, "routes:\n");
    static const int dy[4] = {0, 1, 1, 1}, dx[4] = {1, -1, 0, 1};
    for (int y = 0; y < GRID; y++)
        for (int x = 0; x < GRID; x++)
            for (int k = 0; k < 4; k++) {
                int y2 = y + dy[k], x2 = x + dx[k];
                if (y2 < GRID && x2 >= 0 && x2 < GRID)
                    fprintf(f, "  r%d_%d_%d: {from: p%d_%d, to: p%d_%d}\n", y, x, k, y, x, y2, x2);
            }
    fclose(f);
}

/**
 * @brief Loads the grid and fills it with agents spread evenly over the places.
 * @param sc the scenario
 * @param path its file
 * @param agents agents
 */
static void load_grid(struct js_scenario *sc, const char *path, int64_t agents)
{
    struct js_diag d = {0};
    if (js_scenario_load(sc, path, NULL, &d) != 0) {
        js_diag_print(&d, stderr);
        exit(1);
    }
    js_diag_free(&d);
    struct js_world *w = &sc->world;
    js_agents_reserve(&w->migration.agents, agents);
    int32_t np = w->places.n;
    for (int32_t i = 0; i < np; i++) {
        int64_t k = agents / np + (i < agents % np ? 1 : 0);
        js_migration_add(w, &sc->params.migration, i, JS_CLASS_FARMERS, k, false);
    }
}

/** @brief CPU seconds used by the process (all threads). */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/**
 * @brief Runs the days and prints the figures.
 * @param path the grid scenario
 * @param agents agents
 * @param threads threads
 * @param label what the run is
 * @return agent-steps per second
 */
static double run(const char *path, int64_t agents, int threads, const char *label)
{
    omp_set_num_threads(threads);
    struct js_scenario sc;
    load_grid(&sc, path, agents);
    struct js_world *w = &sc.world;
    size_t bytes = (size_t)w->migration.agents.cap * JS_AGENT_BYTES;
    char msg[512];
    double t0 = js_wall_seconds(), c0 = cpu_seconds();
    int64_t steps = 0, moving = 0;
    while (w->clock.day < w->clock.n_days) {
        steps += w->migration.agents.n;
        if (js_sim_step(w, &sc.params, msg, sizeof(msg)) != 0) {
            fprintf(stderr, "bench: %s\n", msg);
            exit(1);
        }
        for (int32_t r = 0; r < w->routes.n; r++)
            moving += w->migration.route_travelling[r];
    }
    double dt = js_wall_seconds() - t0, cpu = cpu_seconds() - c0;
    printf("  %-22s %d thread%s: %6.2f s wall, %6.2f s CPU for %d days: %5.1f M agent-steps/s "
           "(%5.1f M per CPU-second); %.1f M agent-days in the pool, %.0f %% on the road at "
           "day's end; %zu bytes/agent\n",
           label, threads, threads == 1 ? " " : "s", dt, cpu, w->clock.n_days,
           (double)steps / dt / 1e6, (double)steps / cpu / 1e6, (double)steps / 1e6,
           100.0 * (double)moving / (double)(agents * w->clock.n_days),
           bytes / (size_t)(agents ? agents : 1));
    js_scenario_free(&sc);
    return (double)steps / dt;
}

int main(int argc, char **argv)
{
    int64_t agents = argc > 1 ? atoll(argv[1]) : 10000000;
    int days = argc > 2 ? atoi(argv[2]) : 30;
    double spacing = argc > 3 ? atof(argv[3]) : 0.5;
    int threads[8] = {1, 2}, nt = 2;
    if (days < 1 || days > 58 || spacing <= 0 || spacing > 1.5) {
        fprintf(stderr, "usage: bench_migration [AGENTS [DAYS (1-58) [SPACING (0-1.5 deg) "
                        "[THREADS...]]]]\n");
        return 2;
    }
    if (argc > 4) {
        nt = 0;
        for (int k = 4; k < argc && nt < 8; k++)
            threads[nt++] = atoi(argv[k]);
    }
    char dir[] = "/tmp/bench_migration_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char moving[600], settled[600];
    snprintf(moving, sizeof(moving), "%s/grid.yaml", dir);
    snprintf(settled, sizeof(settled), "%s/grid_settled.yaml", dir);
    write_grid(moving, days, spacing, 0);
    write_grid(settled, days, spacing, 1);
    printf("== refugees: 50 x 50 grid (8 neighbours, 9,702 routes, %.2f deg ~ %.0f km apart), "
           "%lld agents, %d days (%zu bytes per agent in the pool)\n",
           spacing, spacing * 111.0 * 0.9, (long long)agents, days, (size_t)JS_AGENT_BYTES);
    double base = 0;
    for (int k = 0; k < nt; k++) {
        double r = run(moving, agents, threads[k], "all moving");
        if (k == 0)
            base = r;
        else
            printf("  speed-up with %d threads: %.2fx\n", threads[k], r / base);
    }
    for (int k = 0; k < nt; k++)
        run(settled, agents, threads[k], "90 % settle on day 1");
    unlink(moving);
    unlink(settled);
    rmdir(dir);
    return 0;
}
