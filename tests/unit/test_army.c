/**
 * @file test_army.c
 * @brief Armies on the graph: they never teleport, big armies spend days at a crossing, the
 * threat they spread falls with the days of march, orders and levies act on their day, every
 * conserved quantity balances against the world's arrays, and the result does not depend on the
 * number of threads.
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

/* OpenMP */
#include <omp.h>

/* local headers */
#include "army_fixture.h"

/** @brief A position on the graph: a place, or an arc and the km along it. */
struct pos {
    int32_t place; /**< place or -1 */
    int32_t arc;   /**< arc or -1 */
    double km;     /**< km along the arc */
};

/**
 * @brief Days from the start of the day's position to every place (for a mover and season).
 * @param w the world
 * @param p0 the position
 * @param m mover
 * @param s season
 * @param out [n_places] days
 */
static void days_from(struct js_world *w, const struct pos *p0, enum js_mover m, enum js_season s,
                      double *out)
{
    const struct js_graph *g = &w->graph;
    for (int32_t q = 0; q < w->places.n; q++)
        out[q] = INFINITY;
    int32_t ends[2];
    double off[2];
    int ne = 0;
    if (p0->place >= 0) {
        ends[ne] = p0->place;
        off[ne++] = 0;
    } else {
        double f = p0->km / w->routes.km[p0->arc >> 1];
        ends[ne] = g->arcs[p0->arc].to;
        off[ne++] = (1 - f) * js_graph_arc_days(g, p0->arc, m, s);
        ends[ne] = g->arcs[p0->arc].from;
        off[ne++] = f * js_graph_arc_days(g, p0->arc ^ 1, m, s);
    }
    for (int e = 0; e < ne; e++) {
        const struct js_tree *t = js_graph_tree(&w->graph, ends[e], m, s, JS_FROM_ROOT);
        for (int32_t q = 0; q < w->places.n; q++)
            if (off[e] + t->days[q] < out[q])
                out[q] = off[e] + t->days[q];
    }
}

/**
 * @brief Days of march from @p p0 to @p p1 (through places, or along the same route).
 * @param w the world
 * @param p0 from
 * @param p1 to
 * @param m mover
 * @param s season
 * @param scratch [n_places]
 */
static double march_days(struct js_world *w, const struct pos *p0, const struct pos *p1,
                         enum js_mover m, enum js_season s, double *scratch)
{
    const struct js_graph *g = &w->graph;
    days_from(w, p0, m, s, scratch);
    if (p1->place >= 0)
        return scratch[p1->place];
    double kt = w->routes.km[p1->arc >> 1], f = p1->km / kt;
    double best =
        fmin(scratch[g->arcs[p1->arc].from] + f * js_graph_arc_days(g, p1->arc, m, s),
             scratch[g->arcs[p1->arc].to] + (1 - f) * js_graph_arc_days(g, p1->arc ^ 1, m, s));
    if (p0->place < 0 && (p0->arc >> 1) == (p1->arc >> 1)) { /* along the same route */
        double x0 = (p0->arc & 1) ? kt - p0->km : p0->km, x1 = (p1->arc & 1) ? kt - p1->km : p1->km;
        int dir = x1 >= x0 ? (p1->arc & ~1) : (p1->arc | 1);
        best = fmin(best, fabs(x1 - x0) / kt * js_graph_arc_days(g, dir, m, s));
    }
    return best;
}

/**
 * @brief Runs a scenario to its end checking that no army moves farther in a day than its
 * forced-march pace allows.
 * @param sc the scenario
 */
static void check_no_teleport(struct js_scenario *sc)
{
    struct js_world *w = &sc->world;
    struct js_armies *a = &w->armies;
    assert_true(a->n > 0 && w->places.n > 0);
    size_t na = (size_t)a->n;
    double *scratch = malloc((size_t)w->places.n * sizeof(double));
    struct pos *before = malloc(na * sizeof(struct pos));
    enum js_mover *mover = malloc(na * sizeof(enum js_mover));
    int8_t *was_active = malloc(na);
    char msg[512];
    int checked = 0;
    while (w->clock.day < w->clock.n_days) {
        struct js_day d = js_world_day(w, w->clock.day);
        for (int32_t i = 0; i < a->n; i++) {
            before[i] = (struct pos){a->place[i], a->arc[i], a->km[i]};
            mover[i] = js_army_mover(a, i);
        }
        for (int32_t i = 0; i < a->n; i++)
            was_active[i] = (int8_t)a->active[i];
        assert_int_equal(js_sim_step(w, &sc->params, msg, sizeof(msg)), 0);
        for (int32_t i = 0; i < a->n; i++) {
            if (!was_active[i] || !a->active[i])
                continue;
            struct pos now = {a->place[i], a->arc[i], a->km[i]};
            double days = march_days(w, &before[i], &now, mover[i], d.season, scratch);
            assert_true(days <= sc->params.army.forced_march_factor + 1e-9);
            checked++;
        }
    }
    free(was_active);
    assert_true(checked > 0);
    free(scratch);
    free(before);
    free(mover);
}

static void test_army_never_teleports(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml", NULL, 0), 0);
    check_no_teleport(&sc);
    js_scenario_free(&sc);
    /* and with every army force-marching (retreats are forced marches; here all orders are) */
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml",
                                       (const char *const[]){"armies.jin_east.forced_march=true"},
                                       1),
                     0);
    check_no_teleport(&sc);
    js_scenario_free(&sc);
}

/** @brief Two armies crossing a river of 10,000 persons a day (the men of each set by tests). */
static const char *crossing_yaml =
    "scenario: {name: crossing, start: 1126-03-01, end: 1126-03-21, seed: 3}\n"
    "factions: {song: {name: Song}}\n"
    "places:\n"
    "  a: {lat: 35.0, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "  b: {lat: 35.1, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "  c: {lat: 35.2, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "  d: {lat: 35.5, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "routes:\n"
    "  ab: {from: a, to: b, km: 10}\n"
    "  bc: {from: b, to: c, kind: crossing, km: 2, capacity_per_day: 10000, crossing_days: 0.1}\n"
    "  cd: {from: c, to: d, km: 10}\n"
    "armies:\n"
    "  army: {owner: song, at: a, cohorts: {spearmen: %d}, order: march_to, target: d}\n";

/**
 * @brief Runs the crossing scenario.
 * @param men the army's men
 * @param queued out: days spent queued at the crossing
 * @return the day it reached d (-1 never)
 */
static int crossing_arrival(int men, int *queued)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), crossing_yaml, men);
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, yaml, NULL), 0);
    struct js_world *w = &sc.world;
    char msg[512];
    int arrived = -1;
    *queued = 0;
    while (w->clock.day < w->clock.n_days && arrived < 0) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        *queued += w->armies.state[0] == JS_ARMY_CROSSING;
        if (w->armies.place[0] == 3)
            arrived = w->clock.day;
    }
    js_scenario_free(&sc);
    return arrived;
}

static void test_army_big_army_takes_days_to_cross_a_river(void **state)
{
    (void)state;
    /* 10,000 persons a day over the crossing: 5,000 men cross at once; 35,000 men need four days
     * of crossing (10,000 + 10,000 + 10,000 + 5,000): three days queued at the bank, marching on
     * the fourth once the last are over */
    int q1, q2;
    int small = crossing_arrival(5000, &q1), big = crossing_arrival(35000, &q2);
    print_message("5,000 men arrive on day %d (%d queued), 35,000 on day %d (%d queued)\n", small,
                  q1, big, q2);
    assert_true(small > 0 && big > 0);
    assert_int_equal(q1, 0);
    assert_int_equal(q2, 3);
    assert_true(big >= small + 2);
}

/** @brief One Jin army among Song and Jin places on a road. */
static const char *threat_yaml =
    "scenario: {name: threat, start: 1126-03-01, end: 1126-03-03, seed: 4}\n"
    "factions: {song: {name: Song}, jin: {name: Jin}}\n"
    "places:\n"
    "  j0: {lat: 35.0, lon: 114.0, owner: jin}\n"
    "  s1: {lat: 35.1, lon: 114.0, owner: song}\n"
    "  s2: {lat: 35.2, lon: 114.0, owner: song}\n"
    "  j3: {lat: 35.3, lon: 114.0, owner: jin}\n"
    "  s4: {lat: 35.4, lon: 114.0, owner: song}\n"
    "  far: {lat: 40.0, lon: 114.0, owner: song}\n"
    "routes:\n"
    "  r01: {from: j0, to: s1, km: 17}\n"
    "  r12: {from: s1, to: s2, km: 17}\n"
    "  r23: {from: s2, to: j3, km: 17}\n"
    "  r34: {from: j3, to: s4, km: 17}\n"
    "  r4f: {from: s4, to: far, km: 1000}\n"
    "armies:\n"
    "  jin: {owner: jin, at: j0, cohorts: {spearmen: 5000}, order: hold}\n";

static void test_army_threat_falls_with_days_of_march(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, threat_yaml, NULL), 0);
    struct js_world *w = &sc.world;
    char msg[512];
    assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    const double *t = w->places.threat;
    double D = sc.params.army.threat_days;
    /* one day of foot march per 17 km stage: exp(-days / D) at Song places, 0 at Jin places and
     * beyond the cutoff (exp(-59 / 3) < threat_min) */
    assert_true(t[0] == 0.0 && t[3] == 0.0);
    assert_true(fabs(t[1] - exp(-1.0 / D)) < 1e-9);
    assert_true(fabs(t[2] - exp(-2.0 / D)) < 1e-9);
    assert_true(fabs(t[4] - exp(-4.0 / D)) < 1e-9);
    assert_true(t[5] == 0.0);
    js_scenario_free(&sc);
}

static void test_army_orders_and_levies_act_on_their_day(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml", NULL, 0), 0);
    struct js_world *w = &sc.world;
    const struct js_armies *a = &w->armies;
    int32_t militia = 4, kaifeng = 4;
    assert_string_equal(a->id[militia], "militia");
    assert_false(a->active[militia]);
    int64_t people = 0;
    char msg[512];
    while (w->clock.day < 50) { /* the levy is dated 1126-01-20: day 50 */
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        assert_false(a->active[militia]);
        people = js_world_place_population(w, kaifeng);
    }
    int64_t born = w->ledger.total[JS_FLOW_BIRTHS], died = w->ledger.total[JS_FLOW_DEATHS_BASELINE];
    assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_true(a->active[militia]);
    assert_int_equal(w->ledger.total[JS_FLOW_ARMY_LEVY], 10000);
    assert_int_equal(a->owner[militia], 0);
    assert_int_equal(a->base[militia], kaifeng);
    /* the 10,000 came out of Kaifeng's people (births and deaths of the day aside) */
    int64_t vital = (w->ledger.total[JS_FLOW_BIRTHS] - born) -
                    (w->ledger.total[JS_FLOW_DEATHS_BASELINE] - died);
    int64_t now = js_world_place_population(w, kaifeng);
    assert_true(llabs(now - (people - 10000)) <= llabs(vital) + 10000 / 100 + 200);
    /* the order of the next day: hold at Kaifeng */
    assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(a->order[militia], JS_ORDER_HOLD);
    assert_int_equal(a->order_place[militia], kaifeng);
    js_scenario_free(&sc);
}

static void test_army_every_quantity_balances_against_the_arrays(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml", NULL, 0), 0);
    struct js_world *w = &sc.world;
    char msg[512];
    while (w->clock.day < w->clock.n_days) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        struct fixture_stocks s = fixture_count(w);
        const struct js_ledger *l = &w->ledger;
        assert_int_equal(s.persons, l->stock[JS_Q_PERSONS][JS_H_PLACES] +
                                        l->stock[JS_Q_PERSONS][JS_H_ARMIES] +
                                        l->stock[JS_Q_PERSONS][JS_H_REFUGEES]);
        assert_int_equal(s.grain, l->stock[JS_Q_GRAIN][JS_H_PLACES] +
                                      l->stock[JS_Q_GRAIN][JS_H_ARMIES] +
                                      l->stock[JS_Q_GRAIN][JS_H_REFUGEES]);
        assert_int_equal(s.horses, l->stock[JS_Q_HORSES][JS_H_ARMIES]);
    }
    /* and it is not trivial: armies ate, foraged, fought, lost horses */
    assert_true(w->ledger.total[JS_FLOW_ARMY_RATIONS] > 0);
    assert_true(w->ledger.total[JS_FLOW_ARMY_FORAGE] > 0);
    assert_true(w->ledger.total[JS_FLOW_BATTLE_KILLED] > 0);
    js_scenario_free(&sc);
}

/**
 * @brief Runs the armies scenario with @p threads threads; returns a copy of the army table's
 * state arrays and the places' grain and threat as one buffer.
 * @param threads threads
 * @param size out: bytes
 */
static unsigned char *run_with_threads(int threads, size_t *size)
{
    omp_set_num_threads(threads);
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml", NULL, 0), 0);
    struct js_world *w = &sc.world;
    char msg[512];
    while (w->clock.day < w->clock.n_days)
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    const struct js_armies *a = &w->armies;
    size_t n = (size_t)a->n, np = (size_t)w->places.n;
    *size = n * JS_NARMS * 16 + n * 8 * 6 + np * 16 + (size_t)w->events.n * sizeof(*w->events.rows);
    unsigned char *buf = malloc(*size), *b = buf;
#define PUT(ptr, bytes)                                                                            \
    do {                                                                                           \
        memcpy(b, ptr, bytes);                                                                     \
        b += bytes;                                                                                \
    } while (0)
    PUT(a->fit, n * JS_NARMS * 8);
    PUT(a->wounded, n * JS_NARMS * 8);
    PUT(a->food, n * 8);
    PUT(a->horses, n * 8);
    PUT(a->morale, n * 8);
    PUT(a->km, n * 8);
    PUT(a->hunger, n * 8);
    PUT(a->fatigue, n * 8);
    PUT(w->places.grain, np * 8);
    PUT(w->places.threat, np * 8);
    PUT(w->events.rows, (size_t)w->events.n * sizeof(*w->events.rows));
#undef PUT
    js_scenario_free(&sc);
    return buf;
}

static void test_army_same_result_for_1_and_3_threads(void **state)
{
    (void)state;
    size_t n1, n3;
    unsigned char *b1 = run_with_threads(1, &n1);
    unsigned char *b3 = run_with_threads(3, &n3);
    assert_int_equal(n1, n3);
    assert_memory_equal(b1, b3, n1);
    free(b1);
    free(b3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_army_never_teleports),
        cmocka_unit_test(test_army_big_army_takes_days_to_cross_a_river),
        cmocka_unit_test(test_army_threat_falls_with_days_of_march),
        cmocka_unit_test(test_army_orders_and_levies_act_on_their_day),
        cmocka_unit_test(test_army_every_quantity_balances_against_the_arrays),
        cmocka_unit_test(test_army_same_result_for_1_and_3_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
