/**
 * @file test_design.c
 * @brief Designs of sweeps and the sweep file reader: Latin hypercube strata, Sobol points,
 * Saltelli's A/B/AB_i matrices, full grids, integer rounding, exact value texts; the reader's
 * checks (dimension limits, unknown keys, missing values, list points).
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
#include "jinsong/design.h"
#include "jinsong/sweep.h"
#include "jinsong/util.h"

/* ---------------------------------------------------------------- designs */

static void test_lhs_puts_one_point_in_each_stratum_of_every_column(void **state)
{
    (void)state;
    enum { N = 97, K = 5 };
    double *u = calloc(N * K, sizeof(double));
    js_design_lhs(u, N, K, 2024);
    for (int j = 0; j < K; j++) {
        int seen[N] = {0};
        for (int i = 0; i < N; i++) {
            double x = u[i * K + j];
            assert_true(x >= 0.0 && x < 1.0);
            seen[(int)floor(x * N)]++;
        }
        for (int s = 0; s < N; s++)
            assert_int_equal(seen[s], 1);
    }
    free(u);
}

static void test_lhs_is_keyed_on_the_seed(void **state)
{
    (void)state;
    double a[40], b[40], c[40];
    js_design_lhs(a, 20, 2, 7);
    js_design_lhs(b, 20, 2, 7);
    js_design_lhs(c, 20, 2, 8);
    assert_memory_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, c, sizeof(a));
    /* the columns are not copies of each other */
    int same = 0;
    for (int i = 0; i < 20; i++)
        same += floor(a[2 * i] * 20) == floor(a[2 * i + 1] * 20);
    assert_true(same < 20);
}

static void test_sobol_gives_gsl_points_and_refuses_more_than_40_dimensions(void **state)
{
    (void)state;
    double u[4 * 3];
    assert_int_equal(js_design_sobol(u, 4, 3), 0);
    const double want[4 * 3] = {0.5,  0.5,  0.5,  0.75,  0.25,  0.75,
                                0.25, 0.75, 0.25, 0.375, 0.375, 0.625};
    for (int i = 0; i < 12; i++)
        assert_true(u[i] == want[i]);
    double *big = calloc(41 * 2, sizeof(double));
    assert_int_equal(js_design_sobol(big, 2, 40), 0);
    assert_int_equal(js_design_sobol(big, 2, 41), -1);
    assert_int_equal(js_design_saltelli(big, (int32_t[8]){0}, (int32_t[8]){0}, 2, 21), -1);
    free(big);
}

static void test_saltelli_ab_i_is_a_with_column_i_from_b(void **state)
{
    (void)state;
    enum { N = 8, K = 3, ROWS = (K + 2) * N };
    double u[ROWS * K], q[N * 2 * K];
    int32_t matrix[ROWS], row[ROWS];
    assert_int_equal(js_design_saltelli(u, matrix, row, N, K), 0);
    js_design_sobol(q, N, 2 * K);
    for (int r = 0; r < ROWS; r++) {
        int m = matrix[r], j = row[r];
        assert_int_equal(m, r / N);
        assert_int_equal(j, r % N);
        for (int c = 0; c < K; c++) {
            double a = q[j * 2 * K + c], b = q[j * 2 * K + K + c];
            double want = m == JS_SALTELLI_A        ? a
                          : m == JS_SALTELLI_B      ? b
                          : c == m - JS_SALTELLI_AB ? b
                                                    : a;
            assert_true(u[r * K + c] == want);
        }
    }
    /* A and B differ: the indices are estimable */
    assert_memory_not_equal(&u[0], &u[N * K], N * K * sizeof(double));
}

/** @brief A sweep in memory with @p k parameters (no file). */
static void make_sweep(struct js_sweep *s, enum js_design_kind kind, int k, int samples)
{
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->nparams = k;
    s->samples = samples;
    s->replicates = 3;
    s->seed = 11;
    s->params = calloc((size_t)k, sizeof(*s->params));
    for (int j = 0; j < k; j++) {
        s->params[j].lower = 10.0 * j;
        s->params[j].upper = 10.0 * j + 5.0;
    }
}

static void test_grid_is_full_factorial_with_the_last_parameter_fastest(void **state)
{
    (void)state;
    struct js_sweep s;
    make_sweep(&s, JS_DESIGN_GRID, 2, 0);
    double v0[] = {1, 2, 3}, v1[] = {10, 20};
    s.params[0].values = v0;
    s.params[0].nvalues = 3;
    s.params[1].values = v1;
    s.params[1].nvalues = 2;
    struct js_design d;
    js_design_build(&d, &s);
    assert_int_equal(d.npoints, 6);
    assert_int_equal(d.nmembers, 18);
    const double want[12] = {1, 10, 1, 20, 2, 10, 2, 20, 3, 10, 3, 20};
    assert_memory_equal(d.x, want, sizeof(want));
    assert_null(d.matrix);
    js_design_free(&d);
    free(s.params);
}

static void test_sampled_designs_stay_in_range_and_integers_are_rounded(void **state)
{
    (void)state;
    enum js_design_kind kinds[] = {JS_DESIGN_LHS, JS_DESIGN_SOBOL, JS_DESIGN_SALTELLI};
    for (size_t t = 0; t < 3; t++) {
        struct js_sweep s;
        make_sweep(&s, kinds[t], 3, 16);
        s.params[2].integer = true;
        s.params[2].lower = 0.5;
        s.params[2].upper = 4.5;
        struct js_design d;
        js_design_build(&d, &s);
        assert_int_equal(d.npoints, kinds[t] == JS_DESIGN_SALTELLI ? 16 * 5 : 16);
        assert_int_equal(d.base_samples, 16);
        for (int64_t p = 0; p < d.npoints; p++) {
            for (int j = 0; j < 3; j++) {
                double x = d.x[p * 3 + j];
                assert_true(x >= s.params[j].lower && x <= s.params[j].upper);
            }
            double n = d.x[p * 3 + 2];
            assert_true(n == floor(n) && n >= 1 && n <= 4);
        }
        assert_true((d.matrix != NULL) == (kinds[t] == JS_DESIGN_SALTELLI));
        js_design_free(&d);
        free(s.params);
    }
}

static void test_values_are_written_as_text_that_reads_back_exactly(void **state)
{
    (void)state;
    char buf[32];
    js_sweep_format_value(0.035, buf, sizeof(buf));
    assert_string_equal(buf, "0.035");
    js_sweep_format_value(261117, buf, sizeof(buf));
    assert_string_equal(buf, "261117");
    js_sweep_format_value(-2.5e-7, buf, sizeof(buf));
    assert_true(strtod(buf, NULL) == -2.5e-7);
    double u[200];
    js_design_lhs(u, 200, 1, 3);
    for (int i = 0; i < 200; i++) {
        js_sweep_format_value(u[i] * 3.7, buf, sizeof(buf));
        assert_true(strtod(buf, NULL) == u[i] * 3.7);
    }
}

/* ---------------------------------------------------------------- the sweep file */

/**
 * @brief Writes @p text to a sweep file beside configs/test/smoke.yaml's folder and loads it.
 * @param text the YAML
 * @param s out
 * @param msgs out: every error's text, joined (caller frees)
 * @return js_sweep_load's result
 */
static int load_text(const char *text, struct js_sweep *s, char **msgs)
{
    char path[] = "/tmp/js_test_sweep_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct js_diag d = {0};
    int rc = js_sweep_load(s, path, &d);
    size_t len = 1;
    for (size_t i = 0; i < d.n; i++)
        len += strlen(d.items[i].msg) + 2 + (d.items[i].path ? strlen(d.items[i].path) + 2 : 0);
    *msgs = calloc(len, 1);
    for (size_t i = 0; i < d.n; i++) {
        if (d.items[i].path) {
            strcat(*msgs, d.items[i].path);
            strcat(*msgs, ": ");
        }
        strcat(*msgs, d.items[i].msg);
        strcat(*msgs, "\n");
    }
    js_diag_free(&d);
    unlink(path);
    return rc;
}

/** @brief The smoke scenario's absolute path, for sweep files written in /tmp. */
static const char *smoke_path(void)
{
    static char path[1024];
    const char *src = getenv("JS_SOURCE_DIR");
    char *abs = realpath(src ? src : ".", NULL);
    snprintf(path, sizeof(path), "%s/configs/test/smoke.yaml", abs ? abs : ".");
    free(abs);
    return path;
}

static void test_sweep_file_reads_values_lerp_and_step(void **state)
{
    (void)state;
    char *text =
        js_xasprintf("sweep: {name: t, scenario: %s, seed: 5, replicates: 2, design: grid,\n"
                     "        set: {scenario.output.every_days: 7}}\n"
                     "parameters:\n"
                     "  demography.birth_rate_per_year: {values: [0.03, 0.04]}\n"
                     "  demography.death_rate_per_year: {from: 0.02, to: 0.04, n: 3}\n"
                     "  graph.sinuosity: {from: 1.1, to: 1.5, step: 0.2}\n",
                     smoke_path());
    struct js_sweep s;
    char *msgs;
    int rc = load_text(text, &s, &msgs);
    if (rc != 0)
        fprintf(stderr, "%s", msgs);
    assert_int_equal(rc, 0);
    assert_int_equal(s.nparams, 3);
    assert_int_equal(s.params[1].nvalues, 3);
    assert_true(s.params[1].values[2] == 0.04 && s.params[1].values[0] == 0.02);
    assert_int_equal(s.params[2].nvalues, 3);
    assert_true(fabs(s.params[2].values[2] - 1.5) < 1e-12);
    assert_int_equal(s.nsets, 1);
    assert_string_equal(s.sets[0], "scenario.output.every_days=7");
    assert_int_equal(s.replicates, 2);
    assert_true(s.seed == 5);
    js_sweep_free(&s);
    free(msgs);
    free(text);
}

/** @brief A sampled sweep file over @p k parameters named p0..p(k-1). */
static char *sampled_text(const char *design, int k)
{
    char *params = js_xstrdup("");
    for (int j = 0; j < k; j++) {
        char *next = js_xasprintf("%s  p%d: {lower: 0, upper: 1}\n", params, j);
        free(params);
        params = next;
    }
    char *text = js_xasprintf("sweep: {name: t, scenario: %s, seed: 5, design: %s, samples: 4}\n"
                              "parameters:\n%s",
                              smoke_path(), design, params);
    free(params);
    return text;
}

static void test_saltelli_over_20_and_sobol_over_40_parameters_are_refused(void **state)
{
    (void)state;
    struct js_sweep s;
    char *msgs, *text = sampled_text("saltelli", 20);
    assert_int_equal(load_text(text, &s, &msgs), 0);
    js_sweep_free(&s);
    free(msgs);
    free(text);
    text = sampled_text("saltelli", 21);
    assert_int_equal(load_text(text, &s, &msgs), -1);
    assert_non_null(strstr(msgs, "a saltelli design takes at most 20 parameters"));
    free(msgs);
    free(text);
    text = sampled_text("sobol", 41);
    assert_int_equal(load_text(text, &s, &msgs), -1);
    assert_non_null(strstr(msgs, "a sobol design takes at most 40 parameters"));
    free(msgs);
    free(text);
}

static void test_sweep_file_mistakes_are_reported_with_their_keys(void **state)
{
    (void)state;
    struct js_sweep s;
    char *msgs;
    char *text =
        js_xasprintf("sweep: {name: t, scenario: %s, seed: 5, design: grid, replcates: 2}\n"
                     "parameters:\n"
                     "  a.b: {}\n"
                     "  c.d: {values: [1, \"2\"]}\n"
                     "  e.f: {from: 1, to: 2, step: -1}\n",
                     smoke_path());
    assert_int_equal(load_text(text, &s, &msgs), -1);
    assert_non_null(strstr(msgs, "unknown key 'replcates'"));
    assert_non_null(strstr(msgs, "a grid parameter needs its values"));
    assert_non_null(strstr(msgs, "c.d.values[1]: expected a number"));
    assert_non_null(strstr(msgs, "step -1 does not lead from 1 to 2"));
    free(msgs);
    free(text);
    text = js_xasprintf("sweep: {name: t, scenario: nowhere.yaml, seed: 5, design: lhs}\n"
                        "parameters: {a.b: {lower: 2, upper: 1}}\n");
    assert_int_equal(load_text(text, &s, &msgs), -1);
    assert_non_null(strstr(msgs, "cannot read the scenario"));
    assert_non_null(strstr(msgs, "samples"));
    assert_non_null(strstr(msgs, "upper 1 is not greater than lower 2"));
    free(msgs);
    free(text);
}

static void test_list_points_need_the_same_keys(void **state)
{
    (void)state;
    struct js_sweep s;
    char *msgs;
    char *text = js_xasprintf("sweep: {name: t, scenario: %s, seed: 5, design: list}\n"
                              "points:\n"
                              "  - {a.b: 1, c.d: 2}\n"
                              "  - {a.b: 3}\n",
                              smoke_path());
    assert_int_equal(load_text(text, &s, &msgs), -1);
    assert_non_null(strstr(msgs, "this point lacks c.d"));
    free(msgs);
    free(text);
    text = js_xasprintf("sweep: {name: t, scenario: %s, seed: 5, design: list, replicates: 4}\n"
                        "points: [{a.b: 1, c.d: 2}, {a.b: 3, c.d: -4}]\n",
                        smoke_path());
    assert_int_equal(load_text(text, &s, &msgs), 0);
    assert_int_equal(s.npoints, 2);
    assert_true(s.points[3] == -4 && s.params[1].lower == -4 && s.params[1].upper == 2);
    struct js_design d;
    js_design_build(&d, &s);
    assert_int_equal(d.nmembers, 8);
    js_design_free(&d);
    js_sweep_free(&s);
    free(msgs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lhs_puts_one_point_in_each_stratum_of_every_column),
        cmocka_unit_test(test_lhs_is_keyed_on_the_seed),
        cmocka_unit_test(test_sobol_gives_gsl_points_and_refuses_more_than_40_dimensions),
        cmocka_unit_test(test_saltelli_ab_i_is_a_with_column_i_from_b),
        cmocka_unit_test(test_grid_is_full_factorial_with_the_last_parameter_fastest),
        cmocka_unit_test(test_sampled_designs_stay_in_range_and_integers_are_rounded),
        cmocka_unit_test(test_values_are_written_as_text_that_reads_back_exactly),
        cmocka_unit_test(test_sweep_file_reads_values_lerp_and_step),
        cmocka_unit_test(test_saltelli_over_20_and_sobol_over_40_parameters_are_refused),
        cmocka_unit_test(test_sweep_file_mistakes_are_reported_with_their_keys),
        cmocka_unit_test(test_list_points_need_the_same_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
