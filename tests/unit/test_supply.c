/**
 * @file test_supply.c
 * @brief Army supply through the real phases: Shen Kuo's porter rule (18, 26, 31 days), hunger
 * that kills more the longer it lasts, requisition from friendly places and foraging elsewhere
 * through the ledger, and horses that die without grain.
 */

/* system headers */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "army_fixture.h"

/** @brief Index of arm k of army i. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

/**
 * @brief Marches the Shen Kuo column until its food is gone.
 * @param porters porters for its 1,000 soldiers
 * @param km_out out: km from its base on that day
 * @param porters_left out: porters still with it
 * @return the day its men first go short (days of march)
 */
static int shen_kuo_days(int porters, double *km_out, int64_t *porters_left)
{
    char set[96];
    snprintf(set, sizeof(set), "armies.column.cohorts.porters=%d", porters);
    struct js_scenario sc;
    assert_int_equal(
        fixture_load_file(&sc, "configs/test/shen_kuo.yaml", (const char *const[]){set}, 1), 0);
    struct js_world *w = &sc.world;
    struct fixture_stocks s0 = fixture_count(w);
    char msg[512];
    int gone = -1;
    while (w->clock.day < w->clock.n_days && gone < 0) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        /* porters who turn home rejoin their base's people: persons are conserved */
        assert_int_equal(fixture_count(w).persons, s0.persons);
        if (w->armies.fed[0] < 1.0)
            gone = w->clock.day;
    }
    const struct js_armies *a = &w->armies;
    /* position: places are 17 km apart on one line */
    double pos = a->place[0] >= 0 ? 17.0 * a->place[0]
                                  : 17.0 * w->graph.arcs[a->arc[0]].from +
                                        ((a->arc[0] & 1) ? -a->km[0] : a->km[0]);
    *km_out = pos;
    *porters_left = a->fit[ARM(0, JS_ARM_PORTERS)];
    js_scenario_free(&sc);
    return gone;
}

static void test_supply_porters_follow_shen_kuo(void **state)
{
    (void)state;
    /* Shen Kuo (Mengxi bitan juan 11): one porter per soldier supports an advance of 18 days,
     * two porters 26, three 31. Tolerance: ±2 days. */
    const int want[3] = {18, 26, 31};
    for (int k = 1; k <= 3; k++) {
        double km;
        int64_t left;
        int days = shen_kuo_days(1000 * k, &km, &left);
        print_message("%d porter(s) per soldier: food gone on day %d, %.0f km out, %lld porters "
                      "left\n",
                      k, days, km, (long long)left);
        assert_true(days >= want[k - 1] - 2 && days <= want[k - 1] + 2);
        /* it advanced all the while, one 17 km stage a day */
        assert_true(fabs(km - 17.0 * days) < 17.0);
        /* the last porter of every team stayed */
        assert_int_equal(left, 1000);
    }
}

/** @brief An army without food at a place without grain. */
static const char *hungry_yaml =
    "scenario: {name: hungry, start: 1126-03-01, end: 1126-05-30, seed: 5}\n"
    "factions: {song: {name: Song, doctrine: {retreat_food_days_below: 0}}}\n"
    "army: {desertion_per_day: 0, disease_per_day: 0}\n"
    "places: {a: {lat: 34, lon: 114, owner: song}}\n"
    "armies: {starving: {owner: song, at: a, cohorts: {spearmen: 20000}, food_sheng: %d}}\n";

static void test_supply_without_rations_starvation_losses_grow(void **state)
{
    (void)state;
    char yaml[1024];
    snprintf(yaml, sizeof(yaml), hungry_yaml, 0);
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, yaml, NULL), 0);
    struct js_world *w = &sc.world;
    int64_t by_decade[9] = {0};
    char msg[512];
    for (int d = 0; d < 90; d++) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        assert_true(w->armies.fed[0] == 0.0);
        by_decade[d / 10] += w->ledger.interval[JS_FLOW_ARMY_STARVED];
        js_ledger_interval_reset(&w->ledger);
    }
    for (int k = 0; k < 9; k++)
        print_message("days %2d-%2d: %lld starved\n", 10 * k, 10 * k + 9, (long long)by_decade[k]);
    /* the hazard rises with the ration-days missed (cubic up to the 50-day reserve): more die in
     * each ten days than in the ten before, until the army is wasted */
    for (int k = 1; k < 5; k++)
        assert_true(by_decade[k] > by_decade[k - 1]);
    assert_true(by_decade[0] < by_decade[4] / 20);
    js_scenario_free(&sc);
    /* and the same army fed loses no one to hunger */
    snprintf(yaml, sizeof(yaml), hungry_yaml, 20000 * 2 * 100);
    assert_int_equal(fixture_load_text(&sc, yaml, NULL), 0);
    for (int d = 0; d < 90; d++)
        assert_int_equal(js_sim_step(&sc.world, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(sc.world.ledger.total[JS_FLOW_ARMY_STARVED], 0);
    js_scenario_free(&sc);
}

/** @brief Two armies on places with grain: one at home, one in hostile country, with horses. */
static const char *stores_yaml =
    "scenario: {name: stores, start: 1126-01-01, end: 1126-01-31, seed: 6}\n"
    "factions: {song: {name: Song}, jin: {name: Jin}}\n"
    "places:\n"
    "  home: {lat: 34, lon: 114, owner: song, grain_shi: 1000}\n"
    "  far: {lat: 36, lon: 114, owner: song, grain_shi: 1000}\n"
    "  empty: {lat: 38, lon: 114, owner: song}\n"
    "migration: {flight: {rate_per_day: 0, famine_rate_per_day: 0}}\n" /* nobody flees */
    "armies:\n"
    "  garrison: {owner: song, at: home, cohorts: {spearmen: 1000}, food_sheng: 0}\n"
    "  raiders: {owner: jin, at: far, cohorts: {horse_archers: 1000}, food_sheng: 0,\n"
    "            fodder_sheng: 0}\n"
    "  lost: {owner: jin, at: empty, cohorts: {horse_archers: 1000}, food_sheng: 100000,\n"
    "         fodder_sheng: 0}\n";

static void test_supply_requisition_and_foraging_take_grain_from_places(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, stores_yaml, NULL), 0);
    struct js_world *w = &sc.world;
    struct fixture_stocks s0 = fixture_count(w);
    char msg[512];
    assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    const struct js_armies *a = &w->armies;
    const struct js_supply_params *p = &sc.params.supply;
    /* day 0: nothing to eat, then the garrison requisitions up to its 1,000 soldiers' loads
     * (10,000 sheng, within 20 % of 100,000) at home (a few men deserted after, hungry) */
    assert_int_equal(a->food[0], 1000 * llround(p->self_carry_sheng));
    assert_int_equal(w->places.grain[0], 100000 - a->food[0]);
    assert_int_equal(w->ledger.total[JS_FLOW_ARMY_REQUISITION], a->food[0]);
    /* the raiders forage at a Song place: 5 % of its grain a day, food first, then fodder */
    int64_t foraged = w->ledger.total[JS_FLOW_ARMY_FORAGE];
    assert_int_equal(foraged, 5000);
    assert_int_equal(a->food[1] + a->fodder[1], foraged);
    assert_int_equal(w->places.grain[1], 100000 - foraged);
    /* grain is conserved: places and armies move only by the named flows */
    for (int d = 1; d < 30; d++)
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    int64_t eaten = w->ledger.total[JS_FLOW_ARMY_RATIONS] + w->ledger.total[JS_FLOW_ARMY_FODDER];
    assert_int_equal(fixture_count(w).grain, s0.grain - eaten);
    /* the foraged place is depleted day after day */
    assert_true(w->places.grain[1] < 100000 * pow(0.96, 20));
    /* in winter, horses without grain die: the lost army's horses, not the raiders' */
    assert_true(a->horses[2] < 1000 * 0.5);
    assert_true(w->ledger.total[JS_FLOW_HORSES_STARVED] >= 1000 - a->horses[2]);
    js_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supply_porters_follow_shen_kuo),
        cmocka_unit_test(test_supply_without_rations_starvation_losses_grow),
        cmocka_unit_test(test_supply_requisition_and_foraging_take_grain_from_places),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
