/**
 * @file test_demography.c
 * @brief Demography: deaths by cause (baseline, famine, epidemic, violence) follow their
 * hazards, famine follows the food ratio, epidemics follow crowding and summer, violence needs
 * danger above the threshold, and the per-place death counts balance the ledger.
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

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/demography.h"
#include "jinsong/scenario.h"
#include "people_util.h"

/** @brief Four places of a million persons each, no flight (start date %s). */
static const char *towns_yaml =
    "scenario: {name: towns, start: %s, end: %s, seed: 3}\n"
    "migration: {flight: {rate_per_day: 0, famine_rate_per_day: 0}}\n"
    "places:\n"
    "  full: {lat: 30, lon: 110, population: {persons: 1000000}}\n"
    "  half: {lat: 30, lon: 111, population: {persons: 1000000}, food_ratio: 0.5}\n"
    "  none: {lat: 30, lon: 112, population: {persons: 1000000}, food_ratio: 0}\n"
    "  war: {lat: 30, lon: 113, population: {persons: 1000000}, conflict: 1}\n"
    "  skirmish: {lat: 30, lon: 114, population: {persons: 1000000}, conflict: 0.05}\n";

/**
 * @brief Loads the towns scenario between two dates.
 * @param sc the scenario
 * @param start first day
 * @param end the day after the last
 */
static void load_towns(struct js_scenario *sc, const char *start, const char *end)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), towns_yaml, start, end);
    people_load_text(sc, yaml);
}

/**
 * @brief Expected deaths of one cause over @p days days in a place of n persons, with constant
 * hazards (births and the other causes change n too).
 * @param n persons at the start
 * @param days days
 * @param b daily birth probability
 * @param h hazards by cause
 * @param cause the cause
 */
static double expected_deaths(double n, int days, double b, const double h[JS_NCAUSES], int cause)
{
    double total = 0.0, out = 0.0;
    for (int k = 0; k < JS_NCAUSES; k++)
        total += h[k];
    for (int d = 0; d < days; d++) {
        double dead = n * (1.0 - exp(-total));
        out += dead * h[cause] / total;
        n += n * b - dead;
    }
    return out;
}

/**
 * @brief Checks that the observed deaths of a cause are within 5 standard deviations (Poisson)
 * and 2 % of the expectation.
 * @param got observed
 * @param expect expected
 */
static void assert_near(int64_t got, double expect)
{
    double tol = fmax(5.0 * sqrt(expect), 0.02 * expect);
    if (fabs((double)got - expect) > tol)
        fprintf(stderr, "got %lld, expected %.1f (tolerance %.1f)\n", (long long)got, expect, tol);
    assert_true(fabs((double)got - expect) <= tol);
}

static void test_demography_hazards_follow_their_equations(void **state)
{
    (void)state;
    struct js_scenario sc;
    load_towns(&sc, "1126-07-01", "1126-08-01"); /* summer */
    struct js_world *w = &sc.world;
    const struct js_demography_params *p = &sc.params.demography;
    struct js_day d = js_world_day(w, 0);
    double h[JS_NCAUSES];
    int32_t half = people_place(w, "half");
    js_demography_hazards(w, half, &d, p, h);
    assert_float_equal(h[JS_DEATH_BASELINE], 0.030 / 365.25, 1e-12);
    /* famine: none while the nutrition reserve is full, whatever the food ratio */
    assert_float_equal(h[JS_DEATH_FAMINE], 0.0, 0.0);
    /* with 30 of its 50 days of reserve spent: 0.05 × (30 / 50)^3 */
    w->places.nutrition[half] = 20.0;
    js_demography_hazards(w, half, &d, p, h);
    assert_float_equal(h[JS_DEATH_FAMINE], 0.05 * pow(0.6, 3.0), 1e-12);
    assert_float_equal(h[JS_DEATH_EPIDEMIC], 0.0, 0.0);
    assert_float_equal(h[JS_DEATH_VIOLENCE], 0.0, 0.0);
    js_demography_hazards(w, people_place(w, "full"), &d, p, h);
    assert_float_equal(h[JS_DEATH_FAMINE], 0.0, 0.0);
    js_demography_hazards(w, people_place(w, "war"), &d, p, h);
    assert_float_equal(h[JS_DEATH_VIOLENCE], 0.0005, 1e-15);
    js_demography_hazards(w, people_place(w, "skirmish"), &d, p, h); /* below the threshold */
    assert_float_equal(h[JS_DEATH_VIOLENCE], 0.0, 0.0);
    /* crowding: 2.5 million refugees in a town of a million: (3.5 − 1.1) × 0.5 / 365.25 × 1.5 */
    int32_t full = people_place(w, "full");
    w->migration.present[full] = 2500000;
    js_demography_hazards(w, full, &d, p, h);
    assert_float_equal(h[JS_DEATH_EPIDEMIC], 2.4 * 0.5 / 365.25 * 1.5, 1e-12);
    struct js_day winter = d;
    winter.season = JS_WINTER;
    js_demography_hazards(w, full, &winter, p, h);
    assert_float_equal(h[JS_DEATH_EPIDEMIC], 2.4 * 0.5 / 365.25, 1e-12);
    js_scenario_free(&sc);
}

static void test_demography_famine_deaths_follow_the_food_ratio(void **state)
{
    (void)state;
    /* 100 days: the reserve of 50 full-ration days is drawn on by the shortfall below the
     * threshold 0.8 (0.375 a day at half rations, 1 a day with no food); deaths come as it runs
     * out: hazard 0.05 × (spent share)^3. The expectation follows the same recurrence with the
     * mean number of people (tolerance of assert_near). */
    struct js_scenario sc;
    load_towns(&sc, "1126-03-01", "1126-07-01");
    struct js_world *w = &sc.world;
    const struct js_demography_params *p = &sc.params.demography;
    const int days = 100;
    people_run(&sc, days);
    double b = 1.0 - exp(-0.035 / 365.25);
    const char *names[3] = {"full", "half", "none"};
    const double food[3] = {1.0, 0.5, 0.0};
    for (int k = 0; k < 3; k++) {
        int32_t i = people_place(w, names[k]);
        double s = fmax(0.0, (p->famine_threshold - food[k]) / p->famine_threshold);
        double n = 1e6, reserve = p->famine_reserve_days, famine = 0;
        for (int t = 0; t < days; t++) {
            reserve = fmax(0.0, reserve - s);
            double spent = 1.0 - reserve / p->famine_reserve_days;
            double hf = p->famine_max_hazard * pow(spent, p->famine_exponent);
            double hb = p->death_rate / 365.25;
            double died = n * (1.0 - exp(-(hf + hb)));
            famine += hf + hb > 0 ? died * hf / (hf + hb) : 0;
            n += n * b - died;
        }
        int64_t got = w->migration.deaths[(size_t)i * JS_NCAUSES + JS_DEATH_FAMINE];
        if (k == 0)
            assert_int_equal(got, 0);
        else
            assert_near(got, famine);
    }
    /* no food: in the first 10 days the reserve carries people (hazard <= 0.05 × 0.2^3) */
    js_scenario_free(&sc);
    load_towns(&sc, "1126-03-01", "1126-03-11");
    people_run(&sc, 10);
    int32_t none = people_place(&sc.world, "none");
    assert_true(sc.world.migration.deaths[(size_t)none * JS_NCAUSES + JS_DEATH_FAMINE] <
                (int64_t)(10 * 1e6 * 0.05 * 0.008));
    assert_true(sc.world.places.nutrition[none] == p->famine_reserve_days - 10.0);
    js_scenario_free(&sc);
}

static void test_demography_violence_kills_only_where_danger_passes_the_threshold(void **state)
{
    (void)state;
    struct js_scenario sc;
    load_towns(&sc, "1126-03-01", "1126-04-01");
    struct js_world *w = &sc.world;
    people_run(&sc, 20);
    double b = 1.0 - exp(-0.035 / 365.25);
    double h[JS_NCAUSES] = {0.030 / 365.25, 0, 0, 0.0005};
    int32_t war = people_place(w, "war"), skirmish = people_place(w, "skirmish");
    assert_near(w->migration.deaths[(size_t)war * JS_NCAUSES + JS_DEATH_VIOLENCE],
                expected_deaths(1e6, 20, b, h, JS_DEATH_VIOLENCE));
    assert_int_equal(w->migration.deaths[(size_t)skirmish * JS_NCAUSES + JS_DEATH_VIOLENCE], 0);
    js_scenario_free(&sc);
}

static void test_demography_crowded_places_sicken_more_in_summer(void **state)
{
    (void)state;
    int64_t epi[2];
    const char *starts[2] = {"1126-01-01", "1126-07-01"};
    const char *ends[2] = {"1126-02-01", "1126-08-01"};
    for (int s = 0; s < 2; s++) {
        struct js_scenario sc;
        load_towns(&sc, starts[s], ends[s]);
        struct js_world *w = &sc.world;
        int32_t full = people_place(w, "full");
        for (int d = 0; d < 20; d++) {
            w->migration.present[full] = 2000000; /* refugees crowd the town every day */
            people_run(&sc, 1);
        }
        epi[s] = w->migration.deaths[(size_t)full * JS_NCAUSES + JS_DEATH_EPIDEMIC];
        assert_int_equal(
            w->migration.deaths[(size_t)people_place(w, "war") * JS_NCAUSES + JS_DEATH_EPIDEMIC],
            0);
        js_scenario_free(&sc);
    }
    /* (3 − 1.1) × 0.5 / 365.25 a day on ~1 M for 20 days: ~52,000 in winter, × 1.5 in summer */
    assert_true(epi[0] > 45000 && epi[0] < 58000);
    double ratio = (double)epi[1] / (double)epi[0];
    assert_true(ratio > 1.45 && ratio < 1.55);
}

static void test_demography_deaths_by_cause_balance_the_ledger(void **state)
{
    (void)state;
    struct js_scenario sc;
    people_load(&sc, "configs/test/refugees.yaml", NULL, 0);
    struct js_world *w = &sc.world;
    people_run(&sc, w->clock.n_days);
    static const enum js_flow flows[JS_NCAUSES] = {JS_FLOW_DEATHS_BASELINE, JS_FLOW_DEATHS_FAMINE,
                                                   JS_FLOW_DEATHS_EPIDEMIC,
                                                   JS_FLOW_DEATHS_VIOLENCE};
    for (int k = 0; k < JS_NCAUSES; k++) {
        int64_t s = 0;
        for (int32_t i = 0; i < w->places.n; i++)
            s += w->migration.deaths[(size_t)i * JS_NCAUSES + (size_t)k];
        assert_int_equal(s, w->ledger.total[flows[k]]);
    }
    assert_true(w->ledger.total[JS_FLOW_DEATHS_VIOLENCE] > 0);
    assert_true(w->ledger.total[JS_FLOW_DEATHS_EPIDEMIC] > 0);
    js_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demography_hazards_follow_their_equations),
        cmocka_unit_test(test_demography_famine_deaths_follow_the_food_ratio),
        cmocka_unit_test(test_demography_violence_kills_only_where_danger_passes_the_threshold),
        cmocka_unit_test(test_demography_crowded_places_sicken_more_in_summer),
        cmocka_unit_test(test_demography_deaths_by_cause_balance_the_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
