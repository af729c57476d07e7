/**
 * @file test_checkpoint.c
 * @brief Restart files: a restored world equals the one saved and continues identically; the
 * previous file is kept; truncated, damaged and mismatched files are refused; the checksum does
 * not depend on how the bytes are fed.
 */

/* system headers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/checkpoint.h"
#include "jinsong/fsutil.h"
#include "jinsong/hash.h"
#include "jinsong/scenario.h"
#include "jinsong/util.h"

/** @brief A temporary folder for restart files (fixture state). */
struct fixture {
    char dir[64]; /**< the folder */
};

/** @brief Creates the folder. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/js_test_ck_XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

/** @brief Removes the folder and what it holds. */
static int teardown(void **state)
{
    struct fixture *f = *state;
    char *cmd = js_xasprintf("rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/** @brief Loads configs/test/smoke.yaml with optional --set values. */
static void load_smoke(struct js_scenario *sc, const char *const *sets, int nsets)
{
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/configs/test/smoke.yaml", src ? src : ".");
    struct js_scenario_options opt = {sets, nsets, false, 0, false, 0};
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, path, &opt, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    assert_int_equal(rc, 0);
}

/** @brief Runs the world @p days days further. */
static void advance(struct js_scenario *sc, int days)
{
    char msg[512];
    for (int i = 0; i < days; i++)
        assert_int_equal(js_sim_step(&sc->world, &sc->params, msg, sizeof(msg)), 0);
}

/** @brief Visitor: checksum of every state array, names included. */
static void hash_array(void *ctx, const struct js_state_array *a)
{
    struct js_hash *h = ctx;
    js_hash_update(h, a->name, strlen(a->name));
    js_hash_update(h, &a->count, sizeof(a->count));
    if (a->count > 0)
        js_hash_update(h, *a->data, a->elem_size * (size_t)a->count);
}

/** @brief Checksum of the whole mutable state (what js_world_visit_state visits). */
static uint64_t state_hash(struct js_world *w)
{
    struct js_hash h;
    js_hash_init(&h);
    js_world_visit_state(w, hash_array, &h);
    return js_hash_final(&h);
}

/** @brief A run block for the smoke scenario at the world's day. */
static struct js_checkpoint_run run_block(const struct js_scenario *sc)
{
    struct js_checkpoint_run r;
    memset(&r, 0, sizeof(r));
    r.scenario = sc->path;
    r.output = "/tmp/out.h5";
    r.day = sc->world.clock.day;
    return r;
}

/** @brief Writes a restart file of the scenario's current state. */
static void write_ck(const char *dir, struct js_scenario *sc)
{
    struct js_checkpoint_run r = run_block(sc);
    char err[512];
    int rc = js_checkpoint_write(dir, &r, sc, &sc->world, NULL, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
}

/** @brief Opens the restart file of @p dir; returns 0 or -1 and the first error's text. */
static int open_ck(const char *dir, struct js_checkpoint **ck, char *msg, size_t len)
{
    struct js_diag d = {0};
    int rc = js_checkpoint_open(ck, dir, &d);
    snprintf(msg, len, "%s", d.n ? d.items[0].msg : "");
    js_diag_free(&d);
    return rc;
}

static void test_restored_world_equals_the_saved_one_and_continues_identically(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a, b;
    load_smoke(&a, NULL, 0);
    advance(&a, 30); /* past nothing yet: the route closes on day 80 */
    write_ck(f->dir, &a);
    uint64_t saved = state_hash(&a.world);
    load_smoke(&b, NULL, 0);
    assert_int_not_equal(state_hash(&b.world), saved);
    struct js_checkpoint *ck;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), 0);
    assert_int_equal(js_checkpoint_run_info(ck)->day, 30);
    struct js_diag d = {0};
    assert_int_equal(js_checkpoint_check_params(ck, &b, &d), 0);
    assert_int_equal(js_checkpoint_restore_world(ck, &b.world, &d), 0);
    js_checkpoint_close(ck);
    assert_int_equal(d.n, 0);
    assert_int_equal(b.world.clock.day, 30);
    assert_true(state_hash(&b.world) == saved);
    /* both go on through the closure, the cession and the note: the same states */
    advance(&a, a.world.clock.n_days - 30);
    advance(&b, b.world.clock.n_days - 30);
    assert_true(b.world.events.n == 3 && a.world.events.n == 3);
    assert_true(state_hash(&a.world) == state_hash(&b.world));
    js_scenario_free(&a);
    js_scenario_free(&b);
}

static void test_event_log_longer_than_a_fresh_one_is_resized_on_restore(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a, b;
    load_smoke(&a, NULL, 0);
    advance(&a, a.world.clock.n_days); /* all three events recorded */
    assert_int_equal(a.world.events.n, 3);
    write_ck(f->dir, &a);
    load_smoke(&b, NULL, 0);
    assert_int_equal(b.world.events.n, 0);
    struct js_checkpoint *ck;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), 0);
    struct js_diag d = {0};
    assert_int_equal(js_checkpoint_restore_world(ck, &b.world, &d), 0);
    js_checkpoint_close(ck);
    assert_int_equal(b.world.events.n, 3);
    assert_true(b.world.events.cap >= 3);
    assert_string_equal(b.world.events.rows[2].text, a.world.events.rows[2].text);
    js_scenario_free(&a);
    js_scenario_free(&b);
}

static void test_previous_restart_file_is_kept_as_prev(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a;
    load_smoke(&a, NULL, 0);
    advance(&a, 5);
    write_ck(f->dir, &a);
    char *path = js_checkpoint_path(f->dir), *prev = js_xasprintf("%s.prev", path);
    size_t n1, n2;
    char *first = js_read_file(path, &n1);
    assert_false(js_path_exists(prev));
    advance(&a, 5);
    write_ck(f->dir, &a);
    char *kept = js_read_file(prev, &n2);
    assert_non_null(kept);
    assert_true(n1 == n2 && memcmp(first, kept, n1) == 0);
    /* no temporary file is left behind */
    char *cmd = js_xasprintf("test $(ls '%s' | wc -l) -eq 2", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(first);
    free(kept);
    free(path);
    free(prev);
    js_scenario_free(&a);
}

static void test_truncated_restart_file_is_refused_at_every_length(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a;
    load_smoke(&a, NULL, 0);
    advance(&a, 10);
    write_ck(f->dir, &a);
    char *path = js_checkpoint_path(f->dir);
    size_t n;
    char *whole = js_read_file(path, &n);
    for (size_t cut = 0; cut < n; cut += 1 + cut / 3) {
        FILE *out = fopen(path, "wb");
        assert_int_equal(fwrite(whole, 1, cut, out), cut);
        fclose(out);
        struct js_checkpoint *ck = NULL;
        char msg[512];
        assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), -1);
        assert_null(ck);
        assert_non_null(strstr(msg, "restart file refused"));
    }
    free(whole);
    free(path);
    js_scenario_free(&a);
}

static void test_damaged_restart_file_is_refused(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a;
    load_smoke(&a, NULL, 0);
    advance(&a, 10);
    write_ck(f->dir, &a);
    char *path = js_checkpoint_path(f->dir);
    size_t n;
    char *whole = js_read_file(path, &n);
    whole[n / 2] ^= 0x01;
    FILE *out = fopen(path, "wb");
    fwrite(whole, 1, n, out);
    fclose(out);
    struct js_checkpoint *ck = NULL;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "checksum"));
    /* bytes after the end marker are refused too */
    whole[n / 2] ^= 0x01;
    out = fopen(path, "wb");
    fwrite(whole, 1, n, out);
    fputc('x', out);
    fclose(out);
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), -1);
    /* and a file that is not a restart file at all */
    out = fopen(path, "wb");
    fputs("scenario:\n  name: x\n", out);
    fclose(out);
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "signature"));
    free(whole);
    free(path);
    js_scenario_free(&a);
}

static void test_changed_parameter_is_refused_with_its_key(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a, b;
    load_smoke(&a, NULL, 0);
    advance(&a, 3);
    write_ck(f->dir, &a);
    const char *set[] = {"demography.birth_rate_per_year=0.05"};
    load_smoke(&b, set, 1);
    struct js_checkpoint *ck;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), 0);
    struct js_diag d = {0};
    assert_int_equal(js_checkpoint_check_params(ck, &b, &d), -1);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.items[0].msg, "demography.birth_rate_per_year 0.035"));
    assert_non_null(strstr(d.items[0].msg, "demography.birth_rate_per_year 0.05 1/year --set"));
    js_diag_free(&d);
    js_checkpoint_close(ck);
    js_scenario_free(&a);
    js_scenario_free(&b);
}

/** @brief Replaces a scenario's parameter table by @p n synthetic parameters (about 60 bytes each).
 */
static void big_table(struct js_scenario *sc, size_t n)
{
    for (size_t i = 0; i < sc->nrecords; i++) {
        free(sc->records[i].key);
        free(sc->records[i].value);
        free(sc->records[i].unit);
        free(sc->records[i].source);
    }
    sc->records = js_xrealloc(sc->records, n * sizeof(*sc->records));
    sc->nrecords = n;
    for (size_t i = 0; i < n; i++) {
        sc->records[i].key = js_xasprintf("places.p%zu.population.persons", i);
        sc->records[i].value = js_xasprintf("%zu", 1000 + i);
        sc->records[i].unit = js_xstrdup("persons");
        sc->records[i].source = js_xasprintf("big.yaml:%zu", i + 10);
    }
}

static void test_large_parameter_table_is_checked_by_its_checksum(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a;
    load_smoke(&a, NULL, 0);
    big_table(&a, 100000);
    write_ck(f->dir, &a);
    struct stat st;
    char *path = js_checkpoint_path(f->dir);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < 1000000); /* the 6 MB table is not copied */
    struct js_checkpoint *ck;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), 0);
    struct js_diag d = {0};
    assert_int_equal(js_checkpoint_check_params(ck, &a, &d), 0);
    free(a.records[77777].value);
    a.records[77777].value = js_xstrdup("1");
    assert_int_equal(js_checkpoint_check_params(ck, &a, &d), -1);
    assert_non_null(strstr(d.items[0].msg, "a parameter table of another checksum"));
    js_diag_free(&d);
    js_checkpoint_close(ck);
    free(path);
    js_scenario_free(&a);
}

static void test_state_of_another_shape_is_refused(void **state)
{
    struct fixture *f = *state;
    struct js_scenario a, b;
    load_smoke(&a, NULL, 0);
    write_ck(f->dir, &a);
    /* a world with one place fewer: places.* arrays have another length */
    load_smoke(&b, NULL, 0);
    b.world.places.n--;
    struct js_checkpoint *ck;
    char msg[512];
    assert_int_equal(open_ck(f->dir, &ck, msg, sizeof(msg)), 0);
    struct js_diag d = {0};
    assert_int_equal(js_checkpoint_restore_world(ck, &b.world, &d), -1);
    assert_non_null(strstr(d.items[0].msg, "has another number of elements"));
    js_diag_free(&d);
    js_checkpoint_close(ck);
    b.world.places.n++;
    js_scenario_free(&a);
    js_scenario_free(&b);
}

static void test_checksum_does_not_depend_on_how_bytes_are_fed(void **state)
{
    (void)state;
    unsigned char buf[1000];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    uint64_t whole = js_hash_bytes(buf, sizeof(buf));
    for (size_t step = 1; step < 20; step++) {
        struct js_hash h;
        js_hash_init(&h);
        for (size_t o = 0; o < sizeof(buf); o += step)
            js_hash_update(&h, buf + o, o + step <= sizeof(buf) ? step : sizeof(buf) - o);
        assert_true(js_hash_final(&h) == whole);
    }
    /* one bit, one byte more or less: another checksum */
    buf[500] ^= 0x10;
    assert_true(js_hash_bytes(buf, sizeof(buf)) != whole);
    buf[500] ^= 0x10;
    assert_true(js_hash_bytes(buf, sizeof(buf) - 1) != whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_restored_world_equals_the_saved_one_and_continues_identically, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_event_log_longer_than_a_fresh_one_is_resized_on_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_previous_restart_file_is_kept_as_prev, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_truncated_restart_file_is_refused_at_every_length,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_restart_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_parameter_is_refused_with_its_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_state_of_another_shape_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_parameter_table_is_checked_by_its_checksum,
                                        setup, teardown),
        cmocka_unit_test(test_checksum_does_not_depend_on_how_bytes_are_fed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
