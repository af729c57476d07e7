/**
 * @file test_graph.c
 * @brief Travel times and shortest paths: Dijkstra against brute force, closed routes,
 * river direction, the border forest, caching and invalidation.
 */

/* system headers */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/rng.h"
#include "jinsong/world.h"

/** @brief Uniform speeds: every mover 10 km/day on every class, no terrain effects. */
static void flat_params(struct js_graph_params *p)
{
    memset(p, 0, sizeof(*p));
    p->sinuosity = 1.0;
    p->forest_horse_factor = 0.5;
    p->forest_foot_factor = 1.0;
    for (int m = 0; m < JS_NMOVERS; m++) {
        for (int k = 0; k < JS_NSPEED_CLASSES; k++)
            p->speed[m][k] = 10.0;
        for (int t = 0; t < JS_NTERRAINS; t++)
            p->terrain_factor[m][t] = 1.0;
    }
}

/** @brief A world of n places and the given routes (km given). */
static void make_world(struct js_world *w, int32_t n, int32_t nr, const int32_t *from,
                       const int32_t *to, const double *km)
{
    memset(w, 0, sizeof(*w));
    js_world_alloc(w, n, 0, nr);
    flat_params(&w->graph_params);
    for (int32_t r = 0; r < nr; r++) {
        w->routes.from[r] = from[r];
        w->routes.to[r] = to[r];
        w->routes.km[r] = km[r];
    }
    js_world_finish(w);
}

static void test_graph_great_circle_matches_a_known_distance(void **state)
{
    (void)state;
    /* Kaifeng to Huazhou (CHGIS seats): about 88 km */
    double d = js_graph_great_circle_km(34.789993, 114.346509, 35.56445, 114.54346);
    assert_true(fabs(d - 88.0) < 3.0);
    assert_true(js_graph_great_circle_km(10, 20, 10, 20) == 0.0);
}

static void test_graph_dijkstra_agrees_with_brute_force_on_random_graphs(void **state)
{
    (void)state;
    enum { N = 40, R = 90 };
    for (uint32_t trial = 0; trial < 20; trial++) {
        int32_t from[R], to[R];
        double km[R];
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *g = js_rng_stream(&rng, trial, 0, 0, JS_RNG_WORLD, 0, 1);
        for (int r = 0; r < R; r++) {
            from[r] = (int32_t)gsl_rng_uniform_int(g, N);
            do
                to[r] = (int32_t)gsl_rng_uniform_int(g, N);
            while (to[r] == from[r]);
            km[r] = 1.0 + 99.0 * gsl_rng_uniform(g);
        }
        struct js_world w;
        make_world(&w, N, R, from, to, km);
        /* Floyd-Warshall on the same arcs */
        static double d[N][N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                d[i][j] = i == j ? 0.0 : INFINITY;
        for (int r = 0; r < R; r++) {
            double t = km[r] / 10.0;
            if (t < d[from[r]][to[r]])
                d[from[r]][to[r]] = d[to[r]][from[r]] = t;
        }
        for (int k = 0; k < N; k++)
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    if (d[i][k] + d[k][j] < d[i][j])
                        d[i][j] = d[i][k] + d[k][j];
        for (int32_t root = 0; root < N; root++) {
            const struct js_tree *fw =
                js_graph_tree(&w.graph, root, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
            const struct js_tree *bw =
                js_graph_tree(&w.graph, root, JS_MOVER_FOOT, JS_SPRING, JS_TO_ROOT);
            for (int j = 0; j < N; j++) {
                if (isinf(d[root][j])) {
                    assert_true(isinf(fw->days[j]));
                    continue;
                }
                assert_true(fabs(fw->days[j] - d[root][j]) < 1e-9);
                assert_true(fabs(bw->days[j] - d[j][root]) < 1e-9);
                /* following next_arc from j leads to the root in the computed time */
                double sum = 0;
                int32_t at = j, steps = 0;
                while (at != root && steps++ < N) {
                    int32_t a = bw->next_arc[at];
                    assert_true(a >= 0);
                    assert_int_equal(w.graph.arcs[a].from, at);
                    sum += js_graph_arc_days(&w.graph, a, JS_MOVER_FOOT, JS_SPRING);
                    at = w.graph.arcs[a].to;
                }
                assert_int_equal(at, root);
                assert_true(fabs(sum - d[j][root]) < 1e-9);
            }
        }
        js_world_free(&w);
    }
}

static void test_graph_closed_route_is_not_used_until_reopened(void **state)
{
    (void)state;
    /* 0 -1 -2 directly (20 km), or around 0-3-2 (60 km) */
    int32_t from[] = {0, 1, 0, 3}, to[] = {1, 2, 3, 2};
    double km[] = {10, 10, 30, 30};
    struct js_world w;
    make_world(&w, 4, 4, from, to, km);
    const struct js_tree *t = js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
    assert_true(fabs(t->days[2] - 2.0) < 1e-12);
    w.routes.closed[1] = 1;
    js_graph_invalidate(&w.graph, &w.routes, &w.graph_params);
    assert_null(js_graph_tree_cached(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT));
    t = js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
    assert_true(fabs(t->days[2] - 6.0) < 1e-12);
    assert_true(isinf(js_graph_arc_days(&w.graph, 2, JS_MOVER_FOOT, JS_SPRING)));
    w.routes.closed[1] = 0;
    js_graph_invalidate(&w.graph, &w.routes, &w.graph_params);
    t = js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
    assert_true(fabs(t->days[2] - 2.0) < 1e-12);
    js_world_free(&w);
}

static void test_graph_rivers_are_faster_downstream(void **state)
{
    (void)state;
    int32_t from[] = {0}, to[] = {1};
    double km[] = {100};
    struct js_world w;
    memset(&w, 0, sizeof(w));
    js_world_alloc(&w, 2, 0, 1);
    flat_params(&w.graph_params);
    w.graph_params.speed[JS_MOVER_WALKER][JS_SPEED_RIVER_DOWN] = 50;
    w.graph_params.speed[JS_MOVER_WALKER][JS_SPEED_RIVER_UP] = 20;
    w.routes.from[0] = from[0];
    w.routes.to[0] = to[0];
    w.routes.km[0] = km[0];
    w.routes.kind[0] = JS_ROUTE_RIVER;
    w.routes.downstream[0] = 1; /* `to` is downstream */
    js_world_finish(&w);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_WALKER, JS_SUMMER) - 2.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 1, JS_MOVER_WALKER, JS_SUMMER) - 5.0) < 1e-12);
    js_world_free(&w);
}

static void test_graph_forest_and_seasons_slow_movers(void **state)
{
    (void)state;
    struct js_world w;
    memset(&w, 0, sizeof(w));
    js_world_alloc(&w, 2, 0, 1);
    flat_params(&w.graph_params);
    w.routes.to[0] = 1;
    w.routes.km[0] = 10;
    w.routes.forest[0] = 1;
    w.routes.seasonal[JS_WINTER] = 0.5;
    js_world_finish(&w);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING) - 1.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_HORSE, JS_SPRING) - 2.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_FOOT, JS_WINTER) - 2.0) < 1e-12);
    js_world_free(&w);
}

/** @brief The border forest slows men on foot, walkers and carts by forest_foot_factor (1 by
 * default: the cleared forest of 1125), horses by forest_horse_factor. */
static void test_graph_a_kept_forest_slows_men_on_foot_too(void **state)
{
    (void)state;
    struct js_world w;
    memset(&w, 0, sizeof(w));
    js_world_alloc(&w, 2, 0, 1);
    flat_params(&w.graph_params);
    w.graph_params.forest_horse_factor = 0.25;
    w.graph_params.forest_foot_factor = 0.5;
    w.routes.to[0] = 1;
    w.routes.km[0] = 10;
    w.routes.forest[0] = 1;
    js_world_finish(&w);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING) - 2.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_WALKER, JS_SPRING) - 2.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_FREIGHT, JS_SPRING) - 2.0) < 1e-12);
    assert_true(fabs(js_graph_arc_days(&w.graph, 0, JS_MOVER_HORSE, JS_SPRING) - 4.0) < 1e-12);
    js_world_free(&w);
}

static void test_graph_caches_trees_per_root_mover_and_season(void **state)
{
    (void)state;
    int32_t from[] = {0, 1}, to[] = {1, 2};
    double km[] = {10, 10};
    struct js_world w;
    make_world(&w, 3, 2, from, to, km);
    const struct js_tree *a = js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
    const struct js_tree *b = js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT);
    assert_ptr_equal(a, b);
    assert_int_equal(w.graph.trees_computed, 1);
    js_graph_tree(&w.graph, 0, JS_MOVER_HORSE, JS_SPRING, JS_FROM_ROOT);
    js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_WINTER, JS_FROM_ROOT);
    js_graph_tree(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_TO_ROOT);
    assert_int_equal(w.graph.trees_computed, 4);
    assert_ptr_equal(js_graph_tree_cached(&w.graph, 0, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT), a);
    assert_null(js_graph_tree_cached(&w.graph, 1, JS_MOVER_FOOT, JS_SPRING, JS_FROM_ROOT));
    js_world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graph_great_circle_matches_a_known_distance),
        cmocka_unit_test(test_graph_dijkstra_agrees_with_brute_force_on_random_graphs),
        cmocka_unit_test(test_graph_closed_route_is_not_used_until_reopened),
        cmocka_unit_test(test_graph_rivers_are_faster_downstream),
        cmocka_unit_test(test_graph_forest_and_seasons_slow_movers),
        cmocka_unit_test(test_graph_a_kept_forest_slows_men_on_foot_too),
        cmocka_unit_test(test_graph_caches_trees_per_root_mover_and_season),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
