/**
 * @file test_migration_data.c
 * @brief Refugees under FLEE's validated rule set: data-driven spawning (counts from observed
 * series with a debt, origins by population × conflict × decay), the stepwise conflict decay of
 * attractiveness, capacity scaling, short stints through towns, and refuges closed and reopened
 * by `migration_type` events.
 */

/* system headers */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/scenario.h"
#include "jinsong/sim.h"
#include "people_util.h"

/** @brief The common sections: FLEE-like rules, nobody dies, one class. */
#define FLEE_RULES                                                                                 \
    "graph: {speed_km_per_day: {walker: {road: 400}}}\n"                                           \
    "demography: {birth_rate_per_year: 0, death_rate_per_year: 0,\n"                               \
    "  class_shares: {farmers: 0, townspeople: 1, elite: 0, military: 0},\n"                       \
    "  famine: {max_hazard_per_day: 0}, epidemic: {rate_per_year: 0},\n"                           \
    "  violence: {rate_per_day: 0}}\n"

/**
 * @brief A scenario: the rules, extra keys of migration.route and migration.travel, other keys of
 * the migration section, and places, routes, events.
 * @param sc out
 * @param route keys added to migration.route ("" or ", key: value")
 * @param travel keys added to migration.travel
 * @param migration other keys of the migration section (indented by 2)
 * @param rest places, routes, events
 */
static void load(struct js_scenario *sc, const char *route, const char *travel,
                 const char *migration, const char *rest)
{
    char yaml[8192];
    snprintf(yaml, sizeof(yaml),
             "scenario: {name: rules, calendar: gregorian, start: 2020-01-01, end: 2020-03-01, "
             "seed: 11}\n" FLEE_RULES "migration:\n  persons_per_agent: 1\n  danger_threshold: 0\n"
             "  settle_chance: {town: 0, refuge: 0, idp_refuge: 0, hub: 0}\n"
             "  route: {safety_weight: 1, type_weight: {refuge: 1, idp_refuge: 1}%s}\n"
             "  travel: {max_km_per_day: 400, food_days: 0, death_rate_per_year: 0,\n"
             "           hungry_death_rate_per_day: 0%s}\n"
             "%s%s",
             route, travel, migration, rest);
    people_load_text(sc, yaml);
}

static void test_migration_data_spawning_draws_origins_by_population_conflict_and_decay(void **st)
{
    (void)st;
    struct js_scenario sc;
    /* 40,000 arrive in days 31-40; 'old' has been a conflict zone since day 0 (decay 0.2 after
     * 30 days), 'new' since day 30 (decay 1): origins 1000 × 0.2 : 1000 × 1 */
    load(&sc, "", "",
         "  conflict_decay: {interval_days: 30, steps: [1, 0.2]}\n"
         "  spawn: {mode: data}\n"
         "  observed: {camp: {2020-01-31: 0, 2020-02-10: 40000}}\n",
         "places:\n"
         "  old: {lat: 0, lon: 0, conflict: 1, population: {persons: 1000}}\n"
         "  new: {lat: 0, lon: 1, population: {persons: 1000}}\n"
         "  camp: {lat: 1, lon: 0, kind: camp}\n"
         "routes:\n  a: {from: old, to: camp, km: 2000}\n  b: {from: new, to: camp, km: 2000}\n"
         "events:\n  war: {date: 2020-01-31, do: conflict, place: new, intensity: 1}\n");
    struct js_world *w = &sc.world;
    people_run(&sc, 41);
    const struct js_agents *a = &w->migration.agents;
    assert_int_equal(a->n, 40000);
    assert_int_equal(w->ledger.total[JS_FLOW_REFUGEES_ENTER], 40000);
    int32_t fresh = people_place(w, "new");
    int64_t from_new = 0;
    for (int64_t i = 0; i < a->n; i++)
        from_new += a->origin[i] == fresh;
    double share = (double)from_new / (double)a->n, p = 1.0 / 1.2;
    double sd = sqrt(p * (1 - p) / (double)a->n);
    assert_true(fabs(share - p) < 5 * sd); /* fixed seed; 5 standard deviations */
    assert_int_equal(js_world_place_population(w, fresh), 1000); /* not taken from it */
    js_scenario_free(&sc);
}

static void test_migration_data_spawning_keeps_a_debt_and_waits_for_a_conflict(void **st)
{
    (void)st;
    struct js_scenario sc;
    /* up 100/day to day 10, down 50/day to day 20, then up 100/day; no conflict before day 5 */
    load(&sc, "", "",
         "  spawn: {mode: data, take_from_population: true}\n"
         "  observed: {camp: {2020-01-01: 0, 2020-01-11: 1000, 2020-01-21: 500, "
         "2020-01-31: 1500}}\n",
         "places:\n"
         "  src: {lat: 0, lon: 0, population: {persons: 100000}}\n"
         "  camp: {lat: 1, lon: 0, kind: camp}\n"
         "routes:\n  a: {from: src, to: camp, km: 100}\n"
         "events:\n  war: {date: 2020-01-06, do: conflict, place: src, intensity: 1}\n");
    struct js_world *w = &sc.world;
    const int64_t *fled = &w->ledger.total[JS_FLOW_REFUGEES_FLEE];
    people_run(&sc, 5);
    assert_int_equal(*fled, 0);
    assert_int_equal(w->migration.spawn_pending, 400); /* days 1-4 */
    people_run(&sc, 1);
    assert_int_equal(*fled, 500);
    people_run(&sc, 15); /* days 6-20: +500, then -500 owed */
    assert_int_equal(*fled, 1000);
    assert_int_equal(w->migration.spawn_debt, 500);
    people_run(&sc, 5); /* days 21-25: +500 pays the debt */
    assert_int_equal(*fled, 1000);
    people_run(&sc, 5);
    assert_int_equal(*fled, 1500);
    assert_int_equal(js_world_place_population(w, people_place(w, "src")), 100000 - 1500);
    js_scenario_free(&sc);
}

static void test_migration_old_conflicts_repel_less_by_the_stepwise_decay(void **st)
{
    (void)st;
    struct js_scenario sc;
    load(&sc, "", "", "  conflict_decay: {interval_days: 30, steps: [1, 1, 0.2]}\n",
         "places:\n  z: {lat: 0, lon: 0, conflict: 0.5}\n  t: {lat: 0, lon: 1}\n"
         "routes:\n  a: {from: z, to: t, km: 10}\n");
    const struct js_migration *m = &sc.world.migration;
    int32_t z = people_place(&sc.world, "z");
    const double cw = sc.params.migration.conflict_weight;
    people_run(&sc, 1);
    assert_true(fabs(m->cache.score[z * JS_NCLASSES] - pow(cw, 0.5)) < 1e-12);
    people_run(&sc, 59); /* day 59: 59 days since the conflict began, step 1 */
    assert_true(fabs(m->cache.score[z * JS_NCLASSES] - pow(cw, 0.5)) < 1e-12);
    js_scenario_free(&sc);
    load(&sc, "", "", "  conflict_decay: {interval_days: 20, steps: [1, 1, 0.2]}\n",
         "places:\n  z: {lat: 0, lon: 0, conflict: 0.5}\n  t: {lat: 0, lon: 1}\n"
         "routes:\n  a: {from: z, to: t, km: 10}\n");
    people_run(&sc, 41); /* day 40: step 2 */
    assert_true(fabs(sc.world.migration.cache.score[z * JS_NCLASSES] - pow(cw, 0.5 * 0.2)) < 1e-12);
    assert_true(js_migration_decay(&sc.params.migration, 19) == 1.0);
    assert_true(js_migration_decay(&sc.params.migration, 40) == 0.2);
    assert_true(js_migration_decay(&sc.params.migration, 4000) == 0.2);
    js_scenario_free(&sc);
}

/** @brief A refuge of capacity 100, filled from a conflict zone at a rate of 500 a day. */
static const char *const refuge_fill =
    "places:\n"
    "  src: {lat: 0, lon: 0, conflict: 1, population: {persons: 100000}}\n"
    "  camp: {lat: 1, lon: 0, kind: camp, migration: {capacity: 100}}\n"
    "  far: {lat: 2, lon: 0, kind: camp}\n"
    "routes:\n  a: {from: src, to: camp, km: 50}\n  b: {from: camp, to: far, km: 5000}\n";

static void test_migration_capacity_scaling_moves_the_refuges_limit(void **st)
{
    (void)st;
    struct js_scenario sc;
    load(&sc, ", capacity_scaling: 1.5, capacity_buffer: 1", "",
         "  spawn: {mode: data}\n  observed: {src: {2020-01-01: 0, 2020-01-11: 5000}}\n",
         refuge_fill);
    int32_t camp = people_place(&sc.world, "camp");
    int64_t most = 0;
    for (int d = 0; d < 12; d++) {
        people_run(&sc, 1);
        int64_t n = sc.world.migration.staying[camp] + sc.world.migration.settled[camp];
        most = n > most ? n : most;
        assert_true(n <= 150);
    }
    assert_int_equal(most, 150);
    js_scenario_free(&sc);
}

static void test_migration_short_stints_push_agents_through_towns(void **st)
{
    (void)st;
    const char *map = "places:\n"
                      "  src: {lat: 0, lon: 0, conflict: 1, population: {persons: 1000}}\n"
                      "  town: {lat: 0, lon: 1}\n"
                      "  camp: {lat: 0, lon: 2, kind: camp}\n"
                      "routes:\n  a: {from: src, to: town, km: 50}\n  b: {from: town, to: camp, "
                      "km: 50}\n";
    for (int stints = 0; stints < 2; stints++) {
        struct js_scenario sc;
        load(&sc, "", stints ? ", avoid_short_stints: true" : ", avoid_short_stints: false",
             "  move_chance: {town: 0}\n"
             "  spawn: {mode: data}\n  observed: {camp: {2020-01-01: 0, 2020-01-02: 500}}\n",
             map);
        people_run(&sc, 4);
        const struct js_migration *m = &sc.world.migration;
        int64_t at_camp = m->present[people_place(&sc.world, "camp")];
        int64_t at_town = m->present[people_place(&sc.world, "town")];
        if (stints) { /* 50 km is a short day: they move on through the town (some go back to the
                       * conflict zone first, and come again) */
            assert_true(at_camp > 490 && at_town == 0);
        } else { /* a town they never leave (move chance 0), and half a day's travel left */
            assert_int_equal(at_town, 500);
            assert_int_equal(at_camp, 0);
        }
        js_scenario_free(&sc);
    }
}

static void test_migration_type_events_close_and_reopen_a_refuge(void **st)
{
    (void)st;
    struct js_scenario sc;
    load(&sc, "", "",
         "  move_chance: {town: 0.5}\n"
         "  spawn: {mode: data}\n  observed: {camp: {2020-01-01: 1000, 2020-03-01: 1000}}\n",
         "places:\n"
         "  camp: {lat: 1, lon: 0, kind: camp}\n"
         "  away: {lat: 2, lon: 0}\n"
         "routes:\n  a: {from: camp, to: away, km: 3000}\n"
         "events:\n"
         "  close: {date: 2020-01-06, do: migration_type, place: camp, type: town}\n"
         "  reopen: {date: 2020-01-11, do: migration_type, place: camp, type: refuge}\n");
    struct js_world *w = &sc.world;
    int32_t camp = people_place(w, "camp");
    people_run(&sc, 5); /* day 0: 1000 start in the camp; they stay (move chance 0.001) */
    assert_true(w->migration.present[camp] > 980);
    assert_int_equal(w->migration.type[camp], JS_MIG_REFUGE);
    people_run(&sc, 5); /* days 5-9: a town, half of them leave each day */
    int64_t left = w->migration.present[camp];
    assert_true(left < 100 && left > 5);
    assert_int_equal(w->migration.type[camp], JS_MIG_TOWN);
    people_run(&sc, 6); /* from day 10 a refuge again: they stay */
    assert_int_equal(w->migration.type[camp], JS_MIG_REFUGE);
    assert_true(w->migration.present[camp] >= left - 2);
    js_scenario_free(&sc);
}

static void test_migration_type_events_refuse_markers(void **st)
{
    (void)st;
    char path[] = "/tmp/flee_marker_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    const char *yaml =
        "scenario: {name: m, start: 1126-01-01, end: 1126-02-01}\n"
        "places:\n  a: {lat: 0, lon: 0}\n  b: {lat: 0, lon: 1, kind: marker}\n"
        "events:\n  e: {date: 1126-01-05, do: migration_type, place: b, type: refuge}\n"
        "  f: {date: 1126-01-05, do: migration_type, place: a, type: marker}\n";
    assert_true(fd >= 0 && write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml));
    close(fd);
    struct js_scenario sc;
    struct js_diag d = {0};
    assert_int_equal(js_scenario_load(&sc, path, NULL, &d), -1);
    assert_int_equal(d.n, 2);
    assert_non_null(strstr(d.items[0].msg, "a marker stays a marker"));
    assert_int_equal(d.items[0].line, 6);
    assert_non_null(strstr(d.items[1].msg, "marker"));
    js_diag_free(&d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_migration_data_spawning_draws_origins_by_population_conflict_and_decay),
        cmocka_unit_test(test_migration_data_spawning_keeps_a_debt_and_waits_for_a_conflict),
        cmocka_unit_test(test_migration_old_conflicts_repel_less_by_the_stepwise_decay),
        cmocka_unit_test(test_migration_capacity_scaling_moves_the_refuges_limit),
        cmocka_unit_test(test_migration_short_stints_push_agents_through_towns),
        cmocka_unit_test(test_migration_type_events_close_and_reopen_a_refuge),
        cmocka_unit_test(test_migration_type_events_refuse_markers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
