/**
 * @file test_sim.c
 * @brief The day loop end to end on the smoke scenario: the ledger balances against an
 * independent sum of the world's arrays, events apply on their day, and the run does not
 * depend on the number of threads.
 */

/* system headers */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka */
#include <cmocka.h>

/* OpenMP */
#include <omp.h>

/* local headers */
#include "jinsong/scenario.h"

/** @brief Loads configs/test/smoke.yaml (from JS_SOURCE_DIR). */
static void load_smoke(struct js_scenario *sc, const struct js_scenario_options *opt)
{
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/configs/test/smoke.yaml", src ? src : ".");
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, path, opt, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    assert_int_equal(rc, 0);
}

/** @brief Persons in every place, summed from the world's arrays without the ledger. */
static int64_t count_people(const struct js_world *w)
{
    int64_t s = 0;
    for (int32_t i = 0; i < w->places.n; i++)
        for (int c = 0; c < JS_NCLASSES; c++)
            s += w->places.pop[(size_t)i * JS_NCLASSES + (size_t)c];
    return s;
}

static void test_sim_ledger_balances_against_the_world_every_day(void **state)
{
    (void)state;
    struct js_scenario sc;
    load_smoke(&sc, NULL);
    struct js_world *w = &sc.world;
    int64_t people = count_people(w), births = 0, deaths = 0;
    char msg[512];
    while (w->clock.day < w->clock.n_days) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        births += w->ledger.interval[JS_FLOW_BIRTHS];
        deaths += w->ledger.interval[JS_FLOW_DEATHS_BASELINE] +
                  w->ledger.interval[JS_FLOW_DEATHS_FAMINE] +
                  w->ledger.interval[JS_FLOW_DEATHS_EPIDEMIC] +
                  w->ledger.interval[JS_FLOW_DEATHS_VIOLENCE];
        js_ledger_interval_reset(&w->ledger);
        int64_t now = count_people(w);
        assert_int_equal(now, people + births - deaths);
        assert_int_equal(now, w->ledger.stock[JS_Q_PERSONS][JS_H_PLACES]);
    }
    assert_true(births > 0 && deaths > 0);
    /* births at 35 per mille a year over 92 days on 1.6 M people: about 14,000 */
    double expect = 0.035 * 92.0 / 365.25 * (double)people;
    assert_true(births > 0.9 * expect && births < 1.1 * expect);
    js_scenario_free(&sc);
}

static void test_sim_a_change_behind_the_ledger_stops_the_run(void **state)
{
    (void)state;
    struct js_scenario sc;
    load_smoke(&sc, NULL);
    char msg[512] = "";
    assert_int_equal(js_sim_step(&sc.world, &sc.params, msg, sizeof(msg)), 0);
    sc.world.places.pop[0] += 1; /* a person appears without a flow */
    assert_int_equal(js_sim_step(&sc.world, &sc.params, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "ledger imbalance"));
    js_scenario_free(&sc);
}

static void test_sim_scripted_events_apply_on_their_day(void **state)
{
    (void)state;
    struct js_scenario sc;
    load_smoke(&sc, NULL);
    struct js_world *w = &sc.world;
    int32_t junzhou = -1, bridge = -1, jin = -1;
    for (int32_t i = 0; i < w->places.n; i++)
        if (!strcmp(w->places.id[i], "junzhou"))
            junzhou = i;
    for (int32_t i = 0; i < w->routes.n; i++)
        if (!strcmp(w->routes.id[i], "huazhou-junzhou"))
            bridge = i;
    for (int32_t i = 0; i < w->factions.n; i++)
        if (!strcmp(w->factions.id[i], "jin"))
            jin = i;
    char msg[512];
    /* bridge_cut is dated 1125-12-20 = day 80; the cession 1125-12-25 = day 85 */
    while (w->clock.day < 80)
        js_sim_step(w, &sc.params, msg, sizeof(msg));
    assert_int_equal(w->routes.closed[bridge], 0);
    js_sim_step(w, &sc.params, msg, sizeof(msg));
    assert_int_equal(w->routes.closed[bridge], 1);
    assert_int_equal(w->events.n, 1);
    assert_int_equal(w->events.rows[0].kind, JS_EV_ROUTE_CLOSED);
    assert_int_equal(w->events.rows[0].day, 80);
    while (w->clock.day < 86)
        js_sim_step(w, &sc.params, msg, sizeof(msg));
    assert_int_equal(w->places.owner[junzhou], jin);
    assert_int_equal(w->events.rows[1].kind, JS_EV_PLACE_CEDED);
    js_scenario_free(&sc);
}

/** @brief A river that breaks its dikes: the new course opens on the breach's day with a
 * RIVER_BREACH row (where, which route), the old bed closes, and boats from the ford now reach
 * the lake and no longer the sea. */
static void test_sim_a_river_breach_opens_the_new_course_and_closes_the_old_bed(void **state)
{
    (void)state;
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/configs/test/river_breach.yaml", src ? src : ".");
    struct js_scenario sc;
    struct js_diag d = {0};
    int rc = js_scenario_load(&sc, path, NULL, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    assert_int_equal(rc, 0);
    struct js_world *w = &sc.world;
    int32_t ford = 0, sea = 1, lake = 2, old_bed = 0, course = 1;
    assert_string_equal(w->routes.id[course], "new_course");
    const struct js_tree *t = js_graph_tree(&w->graph, lake, JS_MOVER_FOOT, JS_WINTER, JS_TO_ROOT);
    assert_false(isfinite(t->days[ford])); /* the new course is closed before the breach */
    char msg[512];
    while (w->clock.day < 7) /* the breach is dated 1128-12-08 = day 7 */
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(w->routes.closed[course], 1);
    assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(w->routes.closed[course], 0);
    assert_int_equal(w->routes.closed[old_bed], 1);
    assert_int_equal(w->events.rows[0].kind, JS_EV_RIVER_BREACH);
    assert_int_equal(w->events.rows[0].day, 7);
    assert_int_equal(w->events.rows[0].place, ford);
    assert_int_equal((int)w->events.rows[0].value[0], course);
    assert_int_equal((int)w->events.rows[0].value[2], lake);
    t = js_graph_tree(&w->graph, lake, JS_MOVER_FOOT, JS_WINTER, JS_TO_ROOT);
    assert_true(isfinite(t->days[ford]));
    t = js_graph_tree(&w->graph, sea, JS_MOVER_FOOT, JS_WINTER, JS_TO_ROOT);
    assert_false(isfinite(t->days[ford]));
    js_scenario_free(&sc);
}

/** @brief A cession `from` a faction passes the place only if that faction holds it that day
 * (PLACE_CEDED); one by a faction that does not hold it changes nothing (a NOTE, value[0] = 1);
 * one without `from` passes it whoever holds it. */
static void test_sim_a_cession_passes_only_what_the_ceding_faction_holds(void **state)
{
    (void)state;
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/configs/test/cessions.yaml", src ? src : ".");
    struct js_scenario sc;
    struct js_diag d = {0};
    int rc = js_scenario_load(&sc, path, NULL, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    assert_int_equal(rc, 0);
    struct js_world *w = &sc.world;
    int32_t song = 0, jin = 1, kaifeng = 0, xuyi = 1;
    char msg[512];
    while (w->clock.day < 5)
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(w->events.n, 3);
    assert_int_equal(w->events.rows[0].kind, JS_EV_PLACE_CEDED); /* day 1: Jin held Kaifeng */
    assert_int_equal(w->events.rows[0].faction_b, jin);
    assert_int_equal(w->events.rows[1].kind, JS_EV_NOTE); /* day 2: not the Jin's to cede */
    assert_int_equal(w->events.rows[1].place, xuyi);
    assert_true(w->events.rows[1].value[0] == 1.0);
    assert_int_equal(w->places.owner[xuyi], song);
    assert_int_equal(w->events.rows[2].kind, JS_EV_PLACE_CEDED); /* day 3: no condition */
    assert_int_equal(w->events.rows[2].faction_b, song);
    assert_int_equal(w->places.owner[kaifeng], jin);
    js_scenario_free(&sc);
}

static void test_sim_result_does_not_depend_on_threads(void **state)
{
    (void)state;
    int64_t pops[3][8] = {{0}};
    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        struct js_scenario sc;
        load_smoke(&sc, NULL);
        char msg[512];
        while (sc.world.clock.day < sc.world.clock.n_days)
            js_sim_step(&sc.world, &sc.params, msg, sizeof(msg));
        for (int32_t i = 0; i < sc.world.places.n && i < 8; i++)
            pops[t - 1][i] = js_world_place_population(&sc.world, i);
        js_scenario_free(&sc);
    }
    assert_memory_equal(pops[0], pops[1], sizeof(pops[0]));
    assert_memory_equal(pops[0], pops[2], sizeof(pops[0]));
}

static void test_sim_seed_and_run_index_change_the_draws(void **state)
{
    (void)state;
    int64_t pop[3];
    struct js_scenario_options opts[3] = {{0}, {0}, {0}};
    opts[1].seed_given = true;
    opts[1].seed = 99;
    opts[2].run_index_given = true;
    opts[2].run_index = 1;
    for (int k = 0; k < 3; k++) {
        struct js_scenario sc;
        load_smoke(&sc, &opts[k]);
        char msg[512];
        for (int d = 0; d < 30; d++)
            js_sim_step(&sc.world, &sc.params, msg, sizeof(msg));
        pop[k] = js_world_place_population(&sc.world, 0);
        js_scenario_free(&sc);
    }
    assert_true(pop[0] != pop[1]);
    assert_true(pop[0] != pop[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_ledger_balances_against_the_world_every_day),
        cmocka_unit_test(test_sim_a_change_behind_the_ledger_stops_the_run),
        cmocka_unit_test(test_sim_scripted_events_apply_on_their_day),
        cmocka_unit_test(test_sim_a_river_breach_opens_the_new_course_and_closes_the_old_bed),
        cmocka_unit_test(test_sim_a_cession_passes_only_what_the_ceding_faction_holds),
        cmocka_unit_test(test_sim_result_does_not_depend_on_threads),
        cmocka_unit_test(test_sim_seed_and_run_index_change_the_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
