/**
 * @file test_rng.c
 * @brief Random streams: statistical sanity, independence of neighbouring streams,
 * stability when purposes are added, and thread-count independence.
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

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/rng.h"

#define NDRAWS 64

/** @brief The first NDRAWS 32-bit words of a stream. */
static void first_draws(uint32_t seed, uint32_t run, uint32_t day, uint32_t kind, uint32_t id,
                        uint32_t purpose, uint32_t out[NDRAWS])
{
    struct js_rng r;
    js_rng_init(&r);
    gsl_rng *g = js_rng_stream(&r, seed, run, day, kind, id, purpose);
    for (int i = 0; i < NDRAWS; i++)
        out[i] = (uint32_t)gsl_rng_get(g);
}

/** @brief True if b is a copy of a shifted by any of 0..NDRAWS/2 positions (either way). */
static int shifted_copy(const uint32_t *a, const uint32_t *b)
{
    for (int s = 0; s <= NDRAWS / 2; s++) {
        if (memcmp(a + s, b, (NDRAWS / 2) * sizeof(uint32_t)) == 0)
            return 1;
        if (memcmp(b + s, a, (NDRAWS / 2) * sizeof(uint32_t)) == 0)
            return 1;
    }
    return 0;
}

static void test_rng_uniforms_have_the_right_mean_and_variance(void **state)
{
    (void)state;
    struct js_rng r;
    js_rng_init(&r);
    gsl_rng *g = js_rng_stream(&r, 1127, 0, 3, JS_RNG_WORLD, 0, JS_PURPOSE(JS_RNGMOD_TEST, 1));
    const int n = 1000000;
    double sum = 0, sum2 = 0;
    int bins[100] = {0};
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(g);
        sum += u;
        sum2 += u * u;
        bins[(int)(u * 100)]++;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    /* standard error of the mean: sqrt(1/12/n) = 2.9e-4; 6 sigma */
    assert_true(fabs(mean - 0.5) < 0.0018);
    assert_true(fabs(var - 1.0 / 12.0) < 0.001);
    /* chi-square with 99 degrees of freedom: the 0.9999 quantile is about 148 */
    double chi2 = 0, expect = n / 100.0;
    for (int i = 0; i < 100; i++)
        chi2 += (bins[i] - expect) * (bins[i] - expect) / expect;
    assert_true(chi2 < 148.0);
}

static void test_rng_binomial_draws_have_the_right_mean(void **state)
{
    (void)state;
    /* 10,000 places, one binomial each (as demography draws): mean of B(1000, 0.3) is 300,
     * the standard error of the mean of 10,000 draws is sqrt(210/1e4) = 0.145 */
    double sum = 0;
    for (uint32_t id = 0; id < 10000; id++) {
        struct js_rng r;
        js_rng_init(&r);
        gsl_rng *g = js_rng_stream(&r, 5, 1, 7, JS_RNG_PLACE, id, JS_PURPOSE(JS_RNGMOD_TEST, 2));
        sum += gsl_ran_binomial(g, 0.3, 1000);
    }
    assert_true(fabs(sum / 10000 - 300.0) < 0.9);
}

static void test_rng_neighbouring_streams_are_not_shifted_copies(void **state)
{
    (void)state;
    uint32_t base[NDRAWS], other[NDRAWS];
    first_draws(1, 0, 10, JS_RNG_AGENT, 100, 5, base);
    /* neighbouring ids, purposes, days, kinds, runs and seeds */
    const uint32_t variants[][6] = {
        {1, 0, 10, JS_RNG_AGENT, 101, 5}, {1, 0, 10, JS_RNG_AGENT, 99, 5},
        {1, 0, 10, JS_RNG_AGENT, 100, 6}, {1, 0, 10, JS_RNG_AGENT, 100, 4},
        {1, 0, 11, JS_RNG_AGENT, 100, 5}, {1, 0, 9, JS_RNG_AGENT, 100, 5},
        {1, 0, 10, JS_RNG_PLACE, 100, 5}, {1, 1, 10, JS_RNG_AGENT, 100, 5},
        {2, 0, 10, JS_RNG_AGENT, 100, 5}, {1, 0, 10, JS_RNG_AGENT, 100, 5 | (1u << 16)},
    };
    for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
        const uint32_t *k = variants[v];
        first_draws(k[0], k[1], k[2], k[3], k[4], k[5], other);
        assert_false(shifted_copy(base, other));
    }
    /* and no stream of a block of 200 ids is a shifted copy of another */
    static uint32_t many[200][NDRAWS];
    for (uint32_t id = 0; id < 200; id++)
        first_draws(1, 0, 0, JS_RNG_AGENT, id, 1, many[id]);
    for (int a = 0; a < 200; a++)
        for (int b = a + 1; b < 200; b++)
            assert_false(shifted_copy(many[a], many[b]));
}

static void test_rng_adding_a_purpose_shifts_no_existing_stream(void **state)
{
    (void)state;
    uint32_t before[NDRAWS], after[NDRAWS], extra[NDRAWS];
    first_draws(42, 3, 100, JS_RNG_ARMY, 7, JS_PURPOSE(JS_RNGMOD_ARMY, 1), before);
    /* a new purpose used between the draws of the old one changes nothing */
    first_draws(42, 3, 100, JS_RNG_ARMY, 7, JS_PURPOSE(JS_RNGMOD_ARMY, 2), extra);
    first_draws(42, 3, 100, JS_RNG_ARMY, 7, JS_PURPOSE(JS_RNGMOD_ARMY, 1), after);
    assert_memory_equal(before, after, sizeof(before));
    assert_memory_not_equal(before, extra, sizeof(before));
}

static void test_rng_raw_blocks_are_the_gsl_draws(void **state)
{
    (void)state;
    uint32_t draws[NDRAWS];
    first_draws(9, 8, 7, JS_RNG_SIEGE, 6, 5, draws);
    for (uint32_t blk = 0; blk < NDRAWS / 4; blk++) {
        uint32_t w[4];
        js_rng_block(9, 8, 7, JS_RNG_SIEGE, 6, 5, blk, w);
        /* the GSL adapter hands out a block's words last first */
        for (int i = 0; i < 4; i++)
            assert_int_equal(w[3 - i], draws[4 * blk + (uint32_t)i]);
    }
}

static void test_rng_parallel_draws_do_not_depend_on_threads(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double one[N], many[N];
    for (int pass = 0; pass < 2; pass++) {
        double *out = pass ? many : one;
        int threads = pass ? 3 : 1;
#pragma omp parallel for schedule(dynamic, 7) num_threads(threads)
        for (int i = 0; i < N; i++) {
            struct js_rng r;
            js_rng_init(&r);
            gsl_rng *g = js_rng_stream(&r, 11, 0, 2, JS_RNG_AGENT, (uint32_t)i, 1);
            out[i] = gsl_ran_gaussian(g, 1.0) + gsl_rng_uniform(g);
        }
    }
    assert_memory_equal(one, many, sizeof(one));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_uniforms_have_the_right_mean_and_variance),
        cmocka_unit_test(test_rng_binomial_draws_have_the_right_mean),
        cmocka_unit_test(test_rng_neighbouring_streams_are_not_shifted_copies),
        cmocka_unit_test(test_rng_adding_a_purpose_shifts_no_existing_stream),
        cmocka_unit_test(test_rng_raw_blocks_are_the_gsl_draws),
        cmocka_unit_test(test_rng_parallel_draws_do_not_depend_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
