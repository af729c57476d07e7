/**
 * @file test_migration.c
 * @brief Refugees: conservation every day, no danger no refugees, closed crossings, ferry and
 * refuge capacities, route choice by FLEE's weights, exact move chances with geometric waking,
 * no agent faster than its speed (property test over random graphs), the elite follow the
 * court, settled agents leave the pool, and the result does not depend on threads.
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

/* OpenMP */
#include <omp.h>

/* local headers */
#include "jinsong/rng.h"
#include "jinsong/scenario.h"
#include "people_util.h"

/** @brief The test scenario (a front, a ferry, a closed ford, two refuges, the court). */
#define REFUGEES "configs/test/refugees.yaml"

/** @brief Whether a place of configs/test/refugees.yaml lies south of the river. */
static bool south_of_river(const struct js_world *w, int32_t p)
{
    static const char *const south[] = {"south_bank", "ford_south", "refuge_a",
                                        "refuge_b",   "bend",       "court"};
    for (size_t k = 0; k < sizeof(south) / sizeof(south[0]); k++)
        if (!strcmp(w->places.id[p], south[k]))
            return true;
    return false;
}

/** @brief Refugees (present and settled) south of the river, and on roads there. */
static int64_t refugees_south(const struct js_world *w)
{
    const struct js_migration *m = &w->migration;
    int64_t s = 0;
    for (int32_t p = 0; p < w->places.n; p++)
        if (south_of_river(w, p))
            s += m->present[p] + m->settled[p];
    for (int32_t r = 0; r < w->routes.n; r++)
        if (south_of_river(w, w->routes.from[r]) && south_of_river(w, w->routes.to[r]))
            s += m->route_travelling[r];
    return s;
}

static void test_migration_every_person_who_fled_is_travelling_settled_or_dead(void **state)
{
    (void)state;
    struct js_scenario sc;
    people_load(&sc, REFUGEES, NULL, 0);
    struct js_world *w = &sc.world;
    int64_t residents0 = people_residents(w);
    for (int d = 0; d < w->clock.n_days; d++) {
        people_run(&sc, 1);
        const struct js_migration *m = &w->migration;
        int64_t fled = people_sum(m->left, w->places.n);
        int64_t settled = people_sum(m->settled, w->places.n);
        int64_t travelling = people_agent_persons(w);
        int64_t dead = w->ledger.total[JS_FLOW_REFUGEE_DEATHS];
        assert_int_equal(fled, travelling + settled + dead);
        assert_int_equal(fled, w->ledger.total[JS_FLOW_REFUGEES_FLEE]);
        assert_int_equal(settled, w->ledger.total[JS_FLOW_REFUGEES_SETTLE]);
        assert_int_equal(travelling, w->ledger.stock[JS_Q_PERSONS][JS_H_REFUGEES]);
        /* and every person is somewhere: residents + agents = start + births − deaths */
        int64_t born = w->ledger.total[JS_FLOW_BIRTHS];
        int64_t died = w->ledger.total[JS_FLOW_DEATHS_BASELINE] +
                       w->ledger.total[JS_FLOW_DEATHS_FAMINE] +
                       w->ledger.total[JS_FLOW_DEATHS_EPIDEMIC] +
                       w->ledger.total[JS_FLOW_DEATHS_VIOLENCE] + dead;
        assert_int_equal(people_residents(w) + travelling, residents0 + born - died);
    }
    assert_true(w->ledger.total[JS_FLOW_REFUGEES_FLEE] > 10000);
    assert_true(w->ledger.total[JS_FLOW_REFUGEES_SETTLE] > 1000);
    assert_true(w->ledger.total[JS_FLOW_REFUGEE_FOOD_TAKEN] > 0);
    /* the origin x destination matrix counts every settler */
    const struct js_migration *m = &w->migration;
    int64_t flow = 0;
    for (int64_t k = 0; k < (int64_t)m->n_years * w->places.n * w->places.n; k++)
        flow += m->flow[k];
    assert_int_equal(flow, people_sum(m->settled, w->places.n));
    js_scenario_free(&sc);
}

static void test_migration_no_danger_and_no_famine_means_no_refugees(void **state)
{
    (void)state;
    const char *sets[] = {"places.front.conflict=0", "events.hill_town_attacked.intensity=0"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 2);
    people_run(&sc, sc.world.clock.n_days);
    assert_int_equal(sc.world.ledger.total[JS_FLOW_REFUGEES_FLEE], 0);
    assert_int_equal(sc.world.migration.agents.n, 0);
    assert_int_equal(people_sum(sc.world.migration.left, sc.world.places.n), 0);
    js_scenario_free(&sc);
}

static void test_migration_famine_alone_drives_people_out(void **state)
{
    (void)state;
    const char *sets[] = {"places.front.conflict=0", "events.hill_town_attacked.intensity=0",
                          "places.plain_town.food_ratio=0.3"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 3);
    people_run(&sc, 30);
    const struct js_world *w = &sc.world;
    int32_t plain = people_place(w, "plain_town");
    /* hazard 0.005 × (0.7 − 0.3) / 0.7 × class multipliers: about 0.25 %/day of 30,000 */
    assert_true(w->migration.left[plain] > 500 && w->migration.left[plain] < 5000);
    assert_int_equal(people_sum(w->migration.left, w->places.n), w->migration.left[plain]);
    js_scenario_free(&sc);
}

static void test_migration_a_closed_crossing_is_never_crossed(void **state)
{
    (void)state;
    const char *sets[] = {"routes.ferry.closed=true"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 1);
    struct js_world *w = &sc.world;
    int32_t ferry = people_route(w, "ferry"), ford = people_route(w, "ford");
    for (int d = 0; d < w->clock.n_days; d++) {
        people_run(&sc, 1);
        assert_int_equal(refugees_south(w), 0);
        assert_int_equal(w->migration.route_travelling[ferry], 0);
        assert_int_equal(w->migration.route_travelling[ford], 0);
    }
    assert_true(w->ledger.total[JS_FLOW_REFUGEES_FLEE] > 10000); /* they came to the river */
    js_scenario_free(&sc);
}

static void test_migration_a_crossing_closed_under_their_feet_sends_them_back(void **state)
{
    (void)state;
    const char *sets[] = {"migration.flight.rate_per_day=0.05"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 1);
    struct js_world *w = &sc.world;
    int32_t ferry = people_route(w, "ferry");
    int64_t on_ferry = 0;
    while (on_ferry == 0 && w->clock.day < 40) {
        people_run(&sc, 1);
        on_ferry = w->migration.route_travelling[ferry];
    }
    assert_true(on_ferry > 0);
    w->routes.closed[ferry] = 1; /* what a close_route event does */
    js_graph_invalidate(&w->graph, &w->routes, &w->graph_params);
    int64_t south = refugees_south(w);
    for (int d = 0; d < 30; d++) {
        people_run(&sc, 1);
        assert_int_equal(w->migration.route_travelling[ferry], 0);
        int64_t now = refugees_south(w);
        assert_true(now <= south); /* nobody new crosses: the south side only loses (deaths) */
        south = now;
    }
    js_scenario_free(&sc);
}

static void test_migration_ferry_capacity_builds_a_queue_and_is_never_exceeded(void **state)
{
    (void)state;
    const char *sets[] = {"routes.ferry.capacity_per_day=300",
                          "migration.flight.rate_per_day=0.05"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 2);
    struct js_world *w = &sc.world;
    int32_t ferry = people_route(w, "ferry");
    uint8_t *seen = NULL;
    size_t nseen = 0;
    int64_t max_queue = 0;
    for (int d = 0; d < w->clock.n_days; d++) {
        people_run(&sc, 1);
        const struct js_agents *a = &w->migration.agents;
        if (w->migration.next_id > nseen) {
            seen = realloc(seen, w->migration.next_id);
            memset(seen + nseen, 0, w->migration.next_id - nseen);
            nseen = w->migration.next_id;
        }
        int64_t crossed = 0; /* persons who entered the ferry today (it takes > 1 day) */
        for (int64_t i = 0; i < a->n; i++) {
            int32_t pos = a->pos[i];
            if (pos < 0 && w->graph.arcs[-pos - 1].route == ferry && !seen[a->id[i]]) {
                seen[a->id[i]] = 1;
                crossed += a->persons[i];
            }
        }
        assert_true(crossed <= 300);
        max_queue = w->migration.route_queued[ferry] > max_queue ? w->migration.route_queued[ferry]
                                                                 : max_queue;
    }
    assert_true(max_queue > 1000); /* a queue built up at the bank */
    free(seen);
    js_scenario_free(&sc);
}

static void test_migration_arrivals_never_overfill_a_refuge(void **state)
{
    (void)state;
    const char *sets[] = {"migration.flight.rate_per_day=0.05"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 1);
    struct js_world *w = &sc.world;
    const struct js_migration *m = &w->migration;
    int32_t ra = people_place(w, "refuge_a"), rb = people_place(w, "refuge_b");
    bool full = false;
    for (int d = 0; d < w->clock.n_days; d++) {
        people_run(&sc, 1);
        for (int k = 0; k < 2; k++) {
            int32_t p = k ? rb : ra;
            assert_true(m->settled[p] + m->staying[p] <= m->capacity[p]);
            full |= m->settled[p] + m->staying[p] + 5 > m->capacity[p];
        }
    }
    assert_true(full); /* the limit was reached, so it was tested */
    js_scenario_free(&sc);
}

/** @brief A star: a conflict zone and three neighbours (a refuge, a town, a town in conflict). */
static const char *star_yaml =
    "scenario: {name: star, start: 1126-01-01, end: 1126-03-01, seed: 11}\n"
    "demography: {death_rate_per_year: 0}\n"
    "migration:\n"
    "  persons_per_agent: 1\n"
    "  route: {safety_weight: %g}\n"
    "  flight: {rate_per_day: 0}\n"
    "  travel: {death_rate_per_year: 0, hungry_death_rate_per_day: 0}\n"
    "places:\n"
    "  c: {lat: 34.0, lon: 114.0, conflict: 1}\n"
    "  r1: {lat: 34.3, lon: 114.0, migration: {type: refuge}}\n"
    "  t2: {lat: 33.7, lon: 114.0}\n"
    "  t3: {lat: 34.0, lon: 114.3, conflict: 0.5}\n"
    "routes:\n"
    "  c-r1: {from: c, to: r1, km: 30}\n"
    "  c-t2: {from: c, to: t2, km: 50}\n"
    "  c-t3: {from: c, to: t3, km: 40}\n";

/**
 * @brief Route shares from the star's centre after one day, against the weights.
 * @param safety the safety weight (1: FLEE's rule alone)
 */
static void star_shares(double safety)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), star_yaml, safety);
    struct js_scenario sc;
    people_load_text(&sc, yaml);
    struct js_world *w = &sc.world;
    const int64_t n = 100000;
    js_migration_add(w, &sc.params.migration, people_place(w, "c"), JS_CLASS_TOWNSPEOPLE, n, false);
    people_run(&sc, 1); /* 22 km a day: everyone is still on the first arc */
    /* w = S / (10 + km): refuge 2 / 40 (× safety: it is the refuge), town 1 / 60, town in
     * conflict 0.25^0.5 / 50 */
    const double wt[3] = {2.0 * safety / 40.0, 1.0 / 60.0, 0.5 / 50.0};
    const char *routes[3] = {"c-r1", "c-t2", "c-t3"};
    double total = wt[0] + wt[1] + wt[2];
    for (int k = 0; k < 3; k++) {
        double p = wt[k] / total, expect = p * (double)n, sd = sqrt((double)n * p * (1 - p));
        int64_t got = w->migration.route_travelling[people_route(w, routes[k])];
        assert_true(fabs((double)got - expect) < 5.0 * sd); /* five standard deviations */
    }
    js_scenario_free(&sc);
}

static void test_migration_route_choice_follows_flee_weights(void **state)
{
    (void)state;
    star_shares(1.0); /* FLEE's rule */
    star_shares(3.0); /* the default safety weight: the way to the refuge weighs 3 times more */
}

static void test_migration_move_chance_is_exact_with_geometric_waking(void **state)
{
    (void)state;
    struct js_scenario sc;
    people_load_text(&sc, "scenario: {name: camp, start: 1126-01-01, end: 1126-03-01, seed: 5}\n"
                          "demography: {death_rate_per_year: 0, violence: {rate_per_day: 0}}\n"
                          "migration:\n"
                          "  persons_per_agent: 1\n"
                          "  flight: {rate_per_day: 0}\n"
                          "  settle_chance: {refuge: 0}\n"
                          "  travel: {death_rate_per_year: 0, hungry_death_rate_per_day: 0}\n"
                          "places:\n"
                          "  camp: {lat: 20, lon: 30, migration: {type: refuge}}\n"
                          "  out: {lat: 25, lon: 30}\n"
                          "routes:\n"
                          "  road: {from: camp, to: out, km: 500}\n");
    struct js_world *w = &sc.world;
    const int64_t n = 100000;
    int32_t camp = people_place(w, "camp");
    js_migration_add(w, &sc.params.migration, camp, JS_CLASS_FARMERS, n, false);
    struct js_agents *a = &w->migration.agents;
    for (int64_t i = 0; i < a->n; i++) { /* already settled in the camp: asleep */
        a->state[i] = JS_AGENT_STAY;
        a->wake[i] = -1;
    }
    people_run(&sc, 20);
    int32_t road = people_route(w, "road");
    /* FLEE's camp move chance 0.001 a day: 1 − 0.999^20 of them have left */
    double p = 1.0 - pow(0.999, 20), expect = p * (double)n, sd = sqrt((double)n * p * (1 - p));
    int64_t left = w->migration.route_travelling[road];
    assert_true(fabs((double)left - expect) < 5.0 * sd);
    assert_int_equal(w->migration.present[camp], n - left);
    /* war reaches the camp: move chance 1, the sleepers' days are drawn again, all leave */
    w->places.conflict[camp] = 1.0;
    people_run(&sc, 1);
    assert_int_equal(w->migration.present[camp], 0);
    assert_int_equal(w->migration.route_travelling[road], n);
    js_scenario_free(&sc);
}

static void test_migration_settled_agents_leave_the_pool(void **state)
{
    (void)state;
    const char *sets[] = {"migration.settle_chance.town=1", "migration.settle_chance.refuge=1"};
    struct js_scenario sc;
    people_load(&sc, REFUGEES, sets, 2);
    struct js_world *w = &sc.world;
    for (int d = 0; d < w->clock.n_days; d++) {
        people_run(&sc, 1);
        const struct js_agents *a = &w->migration.agents;
        for (int64_t i = 0; i < a->n; i++)
            assert_true((a->state[i] & JS_AGENT_STATE_MASK) < JS_AGENT_SETTLED);
    }
    assert_true(people_sum(w->migration.settled, w->places.n) > 10000);
    assert_true(w->migration.agents.n < 2000); /* they settle where they first stop */
    js_scenario_free(&sc);
}

/**
 * @brief Where the refugees are when only one class flees: the share of those who fled who are
 * at the court (staying or settled) on day 55, and the refugees who came to refuge_a, where the
 * court moves on day 60, between day 55 and day 90.
 * @param cls the class that flees
 * @param follow false to take away the court's pull (court_weight 1, court_move_chance 0)
 * @param gained out: refugees gained by refuge_a after the court moved there
 */
static double court_share(int cls, bool follow, int64_t *gained)
{
    char sets[JS_NCLASSES + 2][80];
    const char *argv[JS_NCLASSES + 2];
    int n = 0;
    for (int k = 0; k < JS_NCLASSES; k++)
        snprintf(sets[n++], sizeof(sets[0]), "migration.classes.%s.flight=%s",
                 js_class_name((enum js_class)k), k == cls ? "3" : "0");
    if (!follow) {
        const char *c = js_class_name((enum js_class)cls);
        snprintf(sets[n++], sizeof(sets[0]), "migration.classes.%s.court_weight=1", c);
        snprintf(sets[n++], sizeof(sets[0]), "migration.classes.%s.court_move_chance=0", c);
    }
    for (int k = 0; k < n; k++)
        argv[k] = sets[k];
    struct js_scenario sc;
    people_load(&sc, REFUGEES, argv, n);
    people_run(&sc, 55);
    const struct js_migration *m = &sc.world.migration;
    int32_t court = people_place(&sc.world, "court"), ra = people_place(&sc.world, "refuge_a");
    double fled = (double)people_sum(m->left, sc.world.places.n);
    double share = (double)(m->present[court] + m->settled[court]) / fled;
    int64_t before = m->present[ra] + m->settled[ra];
    people_run(&sc, 35);
    *gained = m->present[ra] + m->settled[ra] - before;
    assert_true(fled > 1000);
    js_scenario_free(&sc);
    return share;
}

static void test_migration_elite_households_follow_the_court(void **state)
{
    (void)state;
    int64_t gained, ignore;
    double elite = court_share(JS_CLASS_ELITE, true, &gained);
    double unled = court_share(JS_CLASS_ELITE, false, &ignore);
    double farmers = court_share(JS_CLASS_FARMERS, true, &ignore);
    assert_true(elite > 0.4);         /* most of the elite are at the court on day 55 */
    assert_true(elite > 4.0 * unled); /* because of the court's pull */
    assert_true(elite > 1.5 * farmers);
    assert_true(gained > 500); /* the court moved to refuge_a on day 60: the elite went after it */
}

/** @brief Fingerprint of the state a run leaves. */
static uint64_t fingerprint(const struct js_world *w)
{
    const struct js_migration *m = &w->migration;
    const struct js_agents *a = &m->agents;
    uint64_t h = 1469598103934665603u;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211u)
    MIX(a->n);
    for (int64_t i = 0; i < a->n; i++) {
        uint32_t km;
        memcpy(&km, &a->km[i], sizeof(km));
        MIX(a->id[i]);
        MIX((uint32_t)a->pos[i]);
        MIX(km);
        MIX(a->persons[i]);
        MIX(a->state[i]);
        MIX((uint32_t)a->wake[i]);
        MIX(a->food[i]);
    }
    for (int32_t p = 0; p < w->places.n; p++) {
        MIX(m->present[p]);
        MIX(m->settled[p]);
        MIX(m->left[p]);
        MIX(js_world_place_population(w, p));
    }
    for (int32_t r = 0; r < w->routes.n; r++)
        MIX(m->route_queued[r]);
#undef MIX
    return h;
}

static void test_migration_result_does_not_depend_on_threads(void **state)
{
    (void)state;
    const char *sets[] = {"migration.flight.rate_per_day=0.05",
                          "routes.ferry.capacity_per_day=2000", "migration.route.awareness=3",
                          "migration.persons_per_agent=1"};
    uint64_t fp[3];
    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        struct js_scenario sc;
        people_load(&sc, REFUGEES, sets, 4);
        people_run(&sc, sc.world.clock.n_days);
        fp[t - 1] = fingerprint(&sc.world);
        assert_true(sc.world.migration.next_id > 50000);
        js_scenario_free(&sc);
    }
    omp_set_num_threads(2);
    assert_true(fp[0] == fp[1]);
    assert_true(fp[0] == fp[2]);
}

static void test_migration_agent_streams_are_the_keyed_philox_streams(void **state)
{
    (void)state;
    struct js_scenario sc;
    people_load(&sc, REFUGEES, NULL, 0);
    for (uint32_t k = 0; k < 200; k++) {
        uint32_t day = k * 7919u % 3000u, id = k * 2654435761u, n = k % 5;
        uint32_t mine[4], ref[4];
        js_migration_agent_block(&sc.world, day, id, n, mine);
        js_rng_block(sc.world.key.seed, sc.world.key.run, day, JS_RNG_AGENT, id,
                     JS_PURPOSE(JS_RNGMOD_MIGRATION, JS_MIG_AGENT), n, ref);
        assert_memory_equal(mine, ref, sizeof(ref));
    }
    js_scenario_free(&sc);
}

/* ---------------------------------------------------------------- speed: a property test */

/** @brief A small deterministic generator for the random graphs (not the model's streams). */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

/**
 * @brief Writes a random scenario: 25 places, a random tree plus extra routes of every kind,
 * some places at war, random awareness, speed cap and household size.
 * @param seed the graph's seed
 * @param out the text (at least 16 KiB)
 * @param len its size
 */
static void random_scenario(uint64_t seed, char *out, size_t len)
{
    static const char *kinds[] = {"road", "track", "pass", "river", "canal", "crossing"};
    uint64_t s = seed;
    int n = 25, at = 0;
    at += snprintf(out + at, len - (size_t)at,
                   "scenario: {name: rnd, start: 1126-05-01, end: 1126-06-01, seed: %llu}\n"
                   "migration:\n  persons_per_agent: %d\n  route: {awareness: %d}\n"
                   "  travel: {max_km_per_day: %d}\n  flight: {rate_per_day: 0.05}\n"
                   "places:\n",
                   (unsigned long long)seed, 1 + (int)(lcg(&s) % 6), 1 + (int)(lcg(&s) % 3),
                   10 + (int)(lcg(&s) % 70));
    for (int i = 0; i < n; i++)
        at += snprintf(out + at, len - (size_t)at,
                       "  p%d: {lat: %.3f, lon: %.3f, conflict: %d, population: {persons: %d}%s}\n",
                       i, 30.0 + (double)(lcg(&s) % 3000) / 1000.0,
                       110.0 + (double)(lcg(&s) % 3000) / 1000.0, lcg(&s) % 10 < 3,
                       1000 + (int)(lcg(&s) % 20000),
                       lcg(&s) % 5 == 0 ? ", migration: {type: refuge, capacity: 3000}" : "");
    at += snprintf(out + at, len - (size_t)at, "routes:\n");
    for (int i = 1; i < n + 20; i++) {
        int a = i < n ? i : (int)(lcg(&s) % (uint64_t)n);
        int b = i < n ? (int)(lcg(&s) % (uint64_t)i) : (int)(lcg(&s) % (uint64_t)n);
        if (a == b)
            continue;
        const char *k = kinds[lcg(&s) % 6];
        at += snprintf(out + at, len - (size_t)at, "  r%d: {from: p%d, to: p%d, kind: %s%s%s}\n", i,
                       a, b, k, !strcmp(k, "river") ? ", downstream: to" : "",
                       !strcmp(k, "crossing") && lcg(&s) % 2 ? ", capacity_per_day: 400" : "");
    }
}

/** @brief Least walker days and km between every pair of places today (Floyd–Warshall). */
struct apsp {
    int32_t n;    /**< places */
    double *days; /**< [n * n] days from i to j */
    double *km;   /**< [n * n] km from i to j (by the shortest-km path) */
};

/**
 * @brief Computes the least days and km between places over today's open arcs.
 * @param w the world
 * @param season today's season
 * @param a out: the tables (allocated)
 */
static void apsp_compute(const struct js_world *w, enum js_season season, struct apsp *a)
{
    const struct js_graph *g = &w->graph;
    int32_t n = w->places.n;
    a->n = n;
    a->days = malloc((size_t)n * (size_t)n * sizeof(double));
    a->km = malloc((size_t)n * (size_t)n * sizeof(double));
    for (int32_t i = 0; i < n * n; i++)
        a->days[i] = a->km[i] = i % (n + 1) == 0 ? 0.0 : INFINITY;
    for (int32_t e = 0; e < g->n_arcs; e++) {
        double T = js_graph_arc_days(g, e, JS_MOVER_WALKER, season);
        if (!isfinite(T))
            continue;
        size_t k = (size_t)g->arcs[e].from * (size_t)n + (size_t)g->arcs[e].to;
        a->days[k] = fmin(a->days[k], T);
        a->km[k] = fmin(a->km[k], w->routes.km[g->arcs[e].route]);
    }
    for (int32_t k = 0; k < n; k++)
        for (int32_t i = 0; i < n; i++)
            for (int32_t j = 0; j < n; j++) {
                size_t ij = (size_t)i * n + j, ik = (size_t)i * n + k, kj = (size_t)k * n + j;
                a->days[ij] = fmin(a->days[ij], a->days[ik] + a->days[kj]);
                a->km[ij] = fmin(a->km[ij], a->km[ik] + a->km[kj]);
            }
}

/**
 * @brief Least cost (days or km) from an old position to a new one (positions: a place, or
 * −(arc + 1) with km along the arc; an agent on an arc only goes forward).
 * @param w the world
 * @param season season
 * @param a the tables
 * @param p0 old position
 * @param k0 km along its arc
 * @param p1 new position
 * @param k1 km along its arc
 * @param by_km km instead of days
 */
static double cost_between(const struct js_world *w, enum js_season season, const struct apsp *a,
                           int32_t p0, double k0, int32_t p1, double k1, bool by_km)
{
    const struct js_graph *g = &w->graph;
    const double *d = by_km ? a->km : a->days;
    int32_t n = a->n;
    /* leaving the old position: its place, or the end of its arc */
    int32_t u = p0;
    double c0 = 0.0;
    if (p0 < 0) {
        int32_t e = -p0 - 1;
        double L = w->routes.km[g->arcs[e].route];
        double T = js_graph_arc_days(g, e, JS_MOVER_WALKER, season);
        u = g->arcs[e].to;
        c0 = by_km ? L - k0 : (L - k0) / L * T;
    }
    if (p1 >= 0)
        return p0 == p1 ? 0.0 : c0 + d[(size_t)u * n + p1];
    int32_t e = -p1 - 1;
    double L = w->routes.km[g->arcs[e].route], T = js_graph_arc_days(g, e, JS_MOVER_WALKER, season);
    double best = c0 + d[(size_t)u * n + g->arcs[e].from] + (by_km ? k1 : k1 / L * T);
    if (p0 == p1 && k1 >= k0)
        best = by_km ? k1 - k0 : (k1 - k0) / L * T;
    return best;
}

static void test_migration_no_agent_moves_farther_in_a_day_than_its_speed_allows(void **state)
{
    (void)state;
    char *yaml = malloc(32768);
    int64_t checked = 0;
    for (uint64_t trial = 1; trial <= 12; trial++) {
        random_scenario(trial * 7777u, yaml, 32768);
        struct js_scenario sc;
        people_load_text(&sc, yaml);
        struct js_world *w = &sc.world;
        double cap = sc.params.migration.max_km_per_day;
        int32_t *pos = NULL;
        float *km = NULL;
        uint32_t known = 0;
        for (int d = 0; d < 20; d++) {
            enum js_season season = js_world_day(w, w->clock.day).season;
            people_run(&sc, 1);
            struct apsp ap;
            apsp_compute(w, season, &ap);
            const struct js_agents *a = &w->migration.agents;
            for (int64_t i = 0; i < a->n; i++) {
                uint32_t id = a->id[i];
                int32_t p0 = id < known ? pos[id] : a->origin[i]; /* new: from its origin */
                double k0 = id < known ? km[id] : 0.0;
                double days = cost_between(w, season, &ap, p0, k0, a->pos[i], a->km[i], false);
                double dist = cost_between(w, season, &ap, p0, k0, a->pos[i], a->km[i], true);
                assert_true(days <= 1.0 + 1e-5);
                assert_true(dist <= cap + 1e-3);
                checked++;
            }
            free(ap.days);
            free(ap.km);
            known = w->migration.next_id;
            pos = realloc(pos, (size_t)(known ? known : 1) * sizeof(*pos));
            km = realloc(km, (size_t)(known ? known : 1) * sizeof(*km));
            for (int64_t i = 0; i < a->n; i++) {
                pos[a->id[i]] = a->pos[i];
                km[a->id[i]] = a->km[i];
            }
        }
        free(pos);
        free(km);
        js_scenario_free(&sc);
    }
    free(yaml);
    assert_true(checked > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migration_every_person_who_fled_is_travelling_settled_or_dead),
        cmocka_unit_test(test_migration_no_danger_and_no_famine_means_no_refugees),
        cmocka_unit_test(test_migration_famine_alone_drives_people_out),
        cmocka_unit_test(test_migration_a_closed_crossing_is_never_crossed),
        cmocka_unit_test(test_migration_a_crossing_closed_under_their_feet_sends_them_back),
        cmocka_unit_test(test_migration_ferry_capacity_builds_a_queue_and_is_never_exceeded),
        cmocka_unit_test(test_migration_arrivals_never_overfill_a_refuge),
        cmocka_unit_test(test_migration_route_choice_follows_flee_weights),
        cmocka_unit_test(test_migration_move_chance_is_exact_with_geometric_waking),
        cmocka_unit_test(test_migration_settled_agents_leave_the_pool),
        cmocka_unit_test(test_migration_elite_households_follow_the_court),
        cmocka_unit_test(test_migration_result_does_not_depend_on_threads),
        cmocka_unit_test(test_migration_agent_streams_are_the_keyed_philox_streams),
        cmocka_unit_test(test_migration_no_agent_moves_farther_in_a_day_than_its_speed_allows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
