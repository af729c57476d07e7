/**
 * @file army.c
 * @brief Benchmark of the army module (figures printed; nothing is checked): the battle kernel
 * alone (battles resolved per second) and the army phases of the day loop on a scenario with
 * many armies (army-days per second, and the battles the phase resolved per second).
 *
 * Usage: bench_army SCENARIO.yaml [THREADS...]
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenMP */
#include <omp.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/battle.h"
#include "jinsong/rng.h"
#include "jinsong/scenario.h"
#include "jinsong/util.h"

/** @brief Battles of the kernel benchmark. */
#define BENCH_BATTLES 20000

/**
 * @brief The battle kernel alone on battles like those of the statistics test (2,000-60,000 men
 * a side, force ratio 0.5-2, mixed arms and terrains).
 * @param p parameters
 */
static void bench_kernel(const struct js_battle_params *p)
{
    struct js_battle_side *sides = js_xmalloc(BENCH_BATTLES * 2 * sizeof(*sides));
    enum js_terrain *terr = js_xmalloc(BENCH_BATTLES * sizeof(*terr));
    struct js_rng rng;
    js_rng_init(&rng);
    gsl_rng *r = js_rng_stream(&rng, 1, 0, 0, JS_RNG_WORLD, 0, JS_PURPOSE(JS_RNGMOD_TEST, 99));
    for (int k = 0; k < BENCH_BATTLES; k++) {
        double n0 = exp(log(2000.0) + gsl_rng_uniform(r) * log(30.0));
        double ratio = 0.5 + 1.5 * gsl_rng_uniform(r);
        for (int i = 0; i < 2; i++) {
            struct js_battle_side *s = &sides[2 * k + i];
            memset(s, 0, sizeof(*s));
            double alpha[JS_NFIGHT], share[JS_NFIGHT];
            for (int a = 0; a < JS_NFIGHT; a++)
                alpha[a] = 1.0;
            gsl_ran_dirichlet(r, JS_NFIGHT, alpha, share);
            for (int a = 0; a < JS_NFIGHT; a++)
                s->fit[a] = llround((i ? n0 * ratio : n0) * share[a]);
            s->morale = 1.0;
            s->skill = 0.5;
            s->defender = i == 1;
            s->posture = i == 1 ? JS_POSTURE_HASTY : JS_POSTURE_ATTACK;
        }
        terr[k] = (enum js_terrain)gsl_rng_uniform_int(r, JS_NTERRAINS);
    }
    double t0 = js_wall_seconds();
    int64_t substeps = 0;
    for (int k = 0; k < BENCH_BATTLES; k++) {
        struct js_battle_outcome o;
        js_rng_stream(&rng, 1, 0, 1, JS_RNG_BATTLE, (uint32_t)k, JS_PURPOSE(JS_RNGMOD_TEST, 98));
        js_battle_fight(&sides[2 * k], terr[k], false, p, &rng.gsl, &o);
        substeps += o.substeps;
    }
    double dt = js_wall_seconds() - t0;
    printf("  battle kernel: %d battles in %.3f s = %.0f battles/s (%.1f sub-steps each), "
           "1 thread\n",
           BENCH_BATTLES, dt, BENCH_BATTLES / dt, (double)substeps / BENCH_BATTLES);
    free(sides);
    free(terr);
}

/** @brief Seconds spent in each army phase. */
struct bench_times {
    double decide, move, battle, supply, attrition, rest;
};

/**
 * @brief Runs a scenario's day loop phase by phase, timing the army phases.
 * @param path the scenario
 * @param threads OpenMP threads
 */
static int bench_model(const char *path, int threads)
{
    omp_set_num_threads(threads);
    struct js_scenario sc;
    struct js_diag d = {0};
    if (js_scenario_load(&sc, path, NULL, &d) != 0) {
        js_diag_print(&d, stderr);
        js_diag_free(&d);
        return 1;
    }
    js_diag_free(&d);
    struct js_world *w = &sc.world;
    const struct js_model_params *p = &sc.params;
    struct bench_times t = {0, 0, 0, 0, 0, 0};
    int64_t army_days = 0, battles0 = 0;
    char msg[512];
    while (w->clock.day < w->clock.n_days) {
        struct js_day day = js_world_day(w, w->clock.day);
        for (int32_t i = 0; i < w->armies.n; i++)
            army_days += w->armies.active[i];
        double t0 = js_wall_seconds();
        js_events_apply(w, &day, &p->events);
        double t1 = js_wall_seconds();
        js_army_decide(w, &day, &p->army);
        double t2 = js_wall_seconds();
        js_army_move(w, &day, &p->army);
        double t3 = js_wall_seconds();
        js_battle_resolve(w, &day, &p->battle);
        double t4 = js_wall_seconds();
        js_supply_step(w, &day, &p->supply);
        double t5 = js_wall_seconds();
        js_army_attrition(w, &day, &p->army);
        double t6 = js_wall_seconds();
        js_demography_step(w, &day, &p->demography);
        struct js_census census;
        js_world_census(w, &census);
        if (js_ledger_close(&w->ledger, &census, msg, sizeof(msg)) != 0) {
            fprintf(stderr, "bench_army: %s\n", msg);
            return 1;
        }
        w->clock.day++;
        double t7 = js_wall_seconds();
        t.decide += t2 - t1;
        t.move += t3 - t2;
        t.battle += t4 - t3;
        t.supply += t5 - t4;
        t.attrition += t6 - t5;
        t.rest += (t1 - t0) + (t7 - t6);
    }
    for (int64_t i = 0; i < w->events.n; i++)
        battles0 += w->events.rows[i].kind == JS_EV_BATTLE;
    double army = t.decide + t.move + t.battle + t.supply + t.attrition;
    printf("  %d thread(s): %d armies, %d places, %d days: %lld army-days in %.3f s of army "
           "phases = %.0f army-days/s\n",
           threads, w->armies.n, w->places.n, w->clock.n_days, (long long)army_days, army,
           (double)army_days / army);
    printf("    decide %.3f s, move+threat %.3f s, battles %.3f s (%lld battles = %.0f battles/s "
           "in the phase), supply %.3f s, attrition %.3f s; other phases %.3f s\n",
           t.decide, t.move, t.battle, (long long)battles0,
           t.battle > 0 ? (double)battles0 / t.battle : 0.0, t.supply, t.attrition, t.rest);
    js_scenario_free(&sc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_army SCENARIO.yaml [THREADS...]\n");
        return 2;
    }
    struct js_scenario sc;
    struct js_diag d = {0};
    if (js_scenario_load(&sc, argv[1], NULL, &d) != 0) {
        js_diag_print(&d, stderr);
        return 2;
    }
    js_diag_free(&d);
    bench_kernel(&sc.params.battle);
    js_scenario_free(&sc);
    int rc = 0;
    for (int k = 2; k < argc || k == 2; k++)
        rc |= bench_model(argv[1], k < argc ? atoi(argv[k]) : 1);
    return rc;
}
