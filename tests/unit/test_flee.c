/**
 * @file test_flee.c
 * @brief The FLEE importer and score on small FLEE-format scenarios written here (never the
 * real data): the shipped files' quirks are read (CR LF, empty populations and
 * forced_redirection fields, a header with a trailing comma and leading spaces, a trailing space
 * in a region), the rules and closures become parameters and events, the UNHCR series are
 * corrected and embedded; inconsistent files are refused with file:line:col; the averaged
 * relative difference is FLEE's, plain and rescaled.
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
#include <sys/stat.h>
#include <unistd.h>

/* cmocka */
#include <cmocka.h>

/* HDF5 */
#include <hdf5.h>

/* local headers */
#include "jinsong/flee.h"
#include "jinsong/h5util.h"
#include "jinsong/scenario.h"
#include "jinsong/sim.h"
#include "people_util.h"

/** @brief The files of the test scenario: path → contents. */
struct flee_file {
    const char *path; /**< relative to the scenario folder */
    const char *text; /**< contents */
};

/** @brief A small FLEE scenario with the quirks of the shipped ones. */
static const struct flee_file base_files[] = {
    {"input_csv/locations.csv",
     "#name,region,country,latitude,longitude,location_type,conflict_date,population\r\n"
     "A,North ,Home,10.0,1.0,conflict_zone,0,1000\r\n"
     "B,North,Home,10.1,1.1,conflict_zone,5,3000\r\n"
     "T,North,Home,10.2,1.2,town,,\r\n"
     "H,South,Away,10.3,1.3,forwarding_hub,,\r\n"
     "C1,South,Away,10.4,1.4,camp,,500\r\n"
     "C2,South,Away,10.5,1.5,camp,,\r\n"},
    {"input_csv/routes.csv", "#name1,name2,distance,forced_redirection\r\n"
                             "A,T,50,\r\n"
                             "B,T,80,0\r\n"
                             "T,H,100,\r\n"
                             "H,C1,30,2\r\n"
                             "T,C2,200,\r\n"},
    {"input_csv/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\r\n"
                               "country,Home,Away,0,3\r\n"
                               "camp,C2,,0,4\r\n"
                               "remove_forced_redirection,H,C1,2,0\r\n"},
    {"input_csv/conflicts.csv", "#Day, A, B,\n0,1,0\n1,1,0\n2,1,0\n3,1,0\n4,1,0\n5,1,0.5\n"
                                "6,1,0.5\n7,1,0.5\n8,1,0.5\n9,0,0.5\n"},
    {"input_csv/sim_period.csv", "StartDate,2020-01-01\nLength,10\n"},
    {"input_csv/registration_corrections.csv", "C1,2020-01-06,normalize\n"},
    {"source_data/data_layout.csv", "total,refugees.csv\nC1,c1.csv\nC2,c2.csv\n"},
    {"source_data/refugees.csv", "2020-01-01,100\n2020-01-11,1600\n"},
    {"source_data/c1.csv",
     "2020-01-01,100\r\n2020-01-04,400\r\n2020-01-06,300\r\n2020-01-11,600\r\n"},
    {"source_data/c2.csv", "Date,count\n2020-01-01,0\n2020-01-11,1000\n"},
    {"simsetting.yml", "log_levels: {agent: 0}\n"
                       "spawn_rules:\n"
                       "  conflict_spawn_decay: [1.0, 0.5]\n"
                       "  conflict_spawn_decay_interval: 3\n"
                       "  insert_day0: True\n"
                       "move_rules:\n"
                       "  max_move_speed: 400.0\n"
                       "  default_movechance: 0.5\n"
                       "  foreign_weight: 2.0\n"
                       "  camp_weight: 1.5\n"
                       "  capacity_scaling: 1.25\n"
                       "  avoid_short_stints: True\n"
                       "  softening: 50.0\n"
                       "  distance_power: 0.75\n"
                       "optimisations:\n"
                       "  hasten: 1\n"},
};

/** @brief Number of base files. */
#define NFILES (sizeof(base_files) / sizeof(base_files[0]))

/** @brief A test's folder and the scenario written from it. */
struct fixture {
    char dir[64];  /**< the FLEE scenario folder */
    char out[128]; /**< the jinsong scenario */
};

/**
 * @brief Writes the base scenario into a new folder, replacing the file @p path (if not NULL)
 * by @p text.
 * @param fx out
 * @param path a file to replace, or NULL
 * @param text its contents
 */
static void write_scenario(struct fixture *fx, const char *path, const char *text)
{
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/flee_test_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->out, sizeof(fx->out), "%s/imported.yaml", fx->dir);
    char p[256];
    snprintf(p, sizeof(p), "%s/input_csv", fx->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/source_data", fx->dir);
    assert_int_equal(mkdir(p, 0700), 0);
    for (size_t k = 0; k < NFILES; k++) {
        const char *t = path && !strcmp(path, base_files[k].path) ? text : base_files[k].text;
        snprintf(p, sizeof(p), "%s/%s", fx->dir, base_files[k].path);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(t, f);
        fclose(f);
    }
}

/**
 * @brief Removes a test's folder.
 * @param fx the fixture
 */
static void remove_scenario(const struct fixture *fx)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
}

/**
 * @brief Imports a scenario whose file @p path holds @p text and expects exactly one error at
 * @p line:@p col of that file whose message contains @p msg.
 */
static void expect_error(const char *path, const char *text, int line, int col, const char *msg)
{
    struct fixture fx;
    write_scenario(&fx, path, text);
    struct js_diag d = {0};
    assert_int_equal(js_flee_import(fx.dir, NULL, fx.out, &d), -1);
    if (d.n != 1 || d.items[0].line != line || d.items[0].col != col ||
        !strstr(d.items[0].msg, msg) || !strstr(d.items[0].file, path))
        js_diag_print(&d, stderr);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.items[0].file, path));
    assert_int_equal(d.items[0].line, line);
    assert_int_equal(d.items[0].col, col);
    assert_non_null(strstr(d.items[0].msg, msg));
    assert_int_equal(access(fx.out, F_OK), -1); /* nothing written */
    js_diag_free(&d);
    remove_scenario(&fx);
}

/**
 * @brief Imports the base scenario and loads the result.
 * @param fx out: the folder
 * @param sc out: the loaded scenario
 */
static void import_and_load(struct fixture *fx, struct js_scenario *sc)
{
    write_scenario(fx, NULL, NULL);
    struct js_diag d = {0};
    int rc = js_flee_import(fx->dir, NULL, fx->out, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    js_diag_free(&d);
    people_load(sc, fx->out, NULL, 0);
}

/** @brief The event of a scenario with an id, or NULL. */
static const struct js_script_event *find_event(const struct js_scenario *sc, const char *id)
{
    for (int32_t k = 0; k < sc->params.events.n; k++)
        if (!strcmp(sc->params.events.ev[k].id, id))
            return &sc->params.events.ev[k];
    return NULL;
}

static void test_flee_import_reads_the_shipped_quirks_into_a_scenario(void **state)
{
    (void)state;
    struct fixture fx;
    struct js_scenario sc;
    import_and_load(&fx, &sc);
    const struct js_world *w = &sc.world;
    assert_int_equal(w->places.n, 6);
    assert_int_equal(w->routes.n, 5);
    assert_int_equal(w->clock.n_days, 10);
    assert_int_equal(w->clock.calendar, JS_CAL_GREGORIAN);
    int32_t a = people_place(w, "A"), t = people_place(w, "T"), h = people_place(w, "H");
    int32_t c1 = people_place(w, "C1"), c2 = people_place(w, "C2");
    assert_string_equal(w->places.name[c1], "C1");
    assert_int_equal(js_world_place_population(w, a), 1000);
    assert_int_equal(js_world_place_population(w, t), 0); /* an empty population */
    assert_true(w->places.conflict[a] == 1.0 && w->places.conflict[people_place(w, "B")] == 0.0);
    const struct js_migration *m = &w->migration;
    assert_int_equal(m->type[t], JS_MIG_TOWN);
    assert_int_equal(m->type[h], JS_MIG_HUB);
    assert_int_equal(m->type[c1], JS_MIG_REFUGE);
    assert_int_equal(m->type[c2], JS_MIG_TOWN); /* closed camp on day 0 */
    assert_int_equal(m->capacity[c1], 500);
    assert_int_equal(m->capacity[c2], 0);
    assert_true(m->attract[c1] == 2.0 && m->attract[a] == 1.0); /* foreign_weight */
    /* the country closure closes the two Home-Away routes until day 3 */
    assert_true(w->routes.closed[people_route(w, "T--H")]);
    assert_true(w->routes.closed[people_route(w, "T--C2")]);
    assert_false(w->routes.closed[people_route(w, "H--C1")]);
    assert_true(w->routes.km[people_route(w, "B--T")] == 80.0);
    const struct js_script_event *e = find_event(&sc, "open-3-T--H");
    assert_non_null(e);
    assert_int_equal(e->day, 3);
    e = find_event(&sc, "camp-opens-4-C2");
    assert_non_null(e);
    assert_int_equal(e->what, JS_DO_MIGRATION_TYPE);
    assert_true(e->value[0] == JS_MIG_REFUGE);
    e = find_event(&sc, "conflict-5-B");
    assert_non_null(e);
    assert_true(e->value[0] == 0.5);
    assert_non_null(find_event(&sc, "conflict-9-A"));
    const struct js_migration_params *p = &sc.params.migration;
    assert_int_equal(p->spawn_mode, JS_MIG_SPAWN_DATA);
    assert_int_equal(p->persons_per_agent, 1);
    assert_true(p->move_chance[JS_MIG_TOWN] == 0.5 && p->move_chance[JS_MIG_REFUGE] == 0.001);
    assert_true(p->type_weight[JS_MIG_REFUGE] == 1.5 && p->capacity_scaling == 1.25);
    assert_true(p->softening_km == 50.0 && p->distance_power == 0.75 && p->max_km_per_day == 400);
    assert_true(p->avoid_short_stints && p->insert_day0 && !p->take_from_population);
    assert_int_equal(p->n_decay, 2);
    assert_int_equal(p->decay_interval, 3);
    js_scenario_free(&sc);
    remove_scenario(&fx);
}

static void test_flee_registration_corrections_scale_the_points_before_the_date(void **state)
{
    (void)state;
    struct fixture fx;
    struct js_scenario sc;
    import_and_load(&fx, &sc);
    const struct js_migration *m = &sc.world.migration;
    assert_int_equal(m->n_obs, 2); /* C1, C2 (the total is not used: sum_from_camps) */
    int32_t s1 = m->obs_place[0] == people_place(&sc.world, "C1") ? 0 : 1;
    /* C1: 100, 400 before 2020-01-06 × 300/400; then 300, 600 */
    const double want[] = {75, 300, 300, 600};
    const int32_t days[] = {0, 3, 5, 10};
    assert_int_equal(m->obs_start[s1 + 1] - m->obs_start[s1], 4);
    for (int k = 0; k < 4; k++) {
        assert_true(m->obs_value[m->obs_start[s1] + k] == want[k]);
        assert_int_equal(m->obs_day[m->obs_start[s1] + k], days[k]);
    }
    /* linear between the points, truncated: day 1 = 75 + 225/3 = 150, day 4 = 300 */
    assert_true(js_migration_observed_at(m, s1, 1) == 150.0);
    assert_true(js_migration_observed_at(m, s1, 4) == 300.0);
    assert_true(js_migration_observed_at(m, s1, 7) == 420.0);
    assert_true(js_migration_observed_at(m, s1, -5) == 75.0);
    assert_true(js_migration_observed_at(m, s1, 99) == 600.0);
    js_scenario_free(&sc);
    remove_scenario(&fx);
}

static void test_flee_imported_scenario_spawns_the_observed_increase(void **state)
{
    (void)state;
    struct fixture fx;
    struct js_scenario sc;
    import_and_load(&fx, &sc);
    struct js_world *w = &sc.world;
    int32_t c1 = people_place(w, "C1");
    people_run(&sc, 1); /* day 0: the camps start with their day-0 counts, nobody spawns */
    assert_int_equal(w->migration.present[c1], 75);
    assert_int_equal(w->ledger.total[JS_FLOW_REFUGEES_ENTER], 75);
    int64_t entered = 75, debt = 0;
    const struct js_migration *m = &w->migration;
    for (int32_t t = 1; t < 10; t++) {
        people_run(&sc, 1);
        int64_t diff = 0;
        for (int32_t s = 0; s < m->n_obs; s++)
            diff += (int64_t)(js_migration_observed_at(m, s, t) -
                              js_migration_observed_at(m, s, t - 1));
        int64_t n = diff - debt;
        debt = n < 0 ? -n : 0;
        entered += n > 0 ? n : 0;
        assert_int_equal(people_agent_persons(w), entered); /* nobody dies or settles */
    }
    assert_true(debt == 0 && entered > 75);
    js_scenario_free(&sc);
    remove_scenario(&fx);
}

static void test_flee_inconsistent_files_name_file_line_and_column(void **state)
{
    (void)state;
    expect_error("input_csv/routes.csv",
                 "#name1,name2,distance,forced_redirection\nA,T,50,\nB,Nowhere,80,0\n", 3, 3,
                 "unknown location 'Nowhere'");
    expect_error("input_csv/routes.csv", "#name1,name2,distance,forced_redirection\nA,T,-50,\n", 2,
                 5, "negative distance -50");
    expect_error("input_csv/conflicts.csv",
                 "#Day, A, B,\n0,1,0\n1,1,0\n2,1,0\n4,1,0\n5,1,0\n6,1,0\n7,1,0\n8,1,0\n9,1,0\n", 5,
                 1, "the row for day 3 is missing (this row is day 4)");
    expect_error("input_csv/conflicts.csv", "#Day, A, Nowhere,\n0,1,0\n", 1, 10,
                 "unknown location 'Nowhere'");
    expect_error("input_csv/closures.csv",
                 "#closure_type,name1,name2,closure_start,closure_end\nlocation,Nowhere,,0,3\n", 2,
                 10, "unknown location 'Nowhere'");
    expect_error("input_csv/locations.csv",
                 "#name,region,country,latitude,longitude,location_type,conflict_date,population\n"
                 "A,N,Home,10,1,conflict_zone,0,1000\nB,N,Home,10,1,volcano,,\n",
                 3, 15, "unknown or unsupported location type \"volcano\"");
    expect_error("simsetting.yml", "move_rules:\n  start_on_foot: True\n", 2, 18,
                 "needs a walking first link (start_on_foot), which jinsong does not have");
    expect_error("simsetting.yml", "move_rules:\n  max_mvoe_speed: 400\n", 2, 3,
                 "unknown FLEE setting 'max_mvoe_speed'");
    expect_error("input_csv/registration_corrections.csv", "C1,2020-01-05,normalize\n", 1, 4,
                 "2020-01-05 is not a date of C1's series");
}

/**
 * @brief Writes a run file with the places, names and refugees_present a score reads.
 * @param path the file
 * @param present [rows × 3] refugees present
 * @param rows rows (days 0 … rows − 1)
 */
static void write_run(const char *path, const int64_t *present, int rows)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    js_h5_attr_str(f, "start_date", "2020-01-01");
    hid_t g = js_h5_group(f, "places");
    const char *names[] = {"A", "C1", "C2"};
    hid_t ds = js_h5_fixed_string_dataset(g, "place_name", names, 3, "name");
    H5Dclose(ds);
    double time[16];
    for (int t = 0; t < rows; t++)
        time[t] = t;
    hsize_t d1 = (hsize_t)rows, d2[2] = {(hsize_t)rows, 3};
    ds = js_h5_dataset(g, "time", H5T_NATIVE_DOUBLE, 1, &d1, 0, "days", "time");
    js_h5_write_all(ds, H5T_NATIVE_DOUBLE, time, "time");
    H5Dclose(ds);
    ds = js_h5_dataset(g, "refugees_present", H5T_NATIVE_INT64, 2, d2, 0, "persons", "r");
    js_h5_write_all(ds, H5T_NATIVE_INT64, present, "r");
    H5Dclose(ds);
    H5Gclose(g);
    H5Fclose(f);
}

static void test_flee_score_is_flees_averaged_relative_difference(void **state)
{
    (void)state;
    struct fixture fx;
    write_scenario(&fx, NULL, NULL);
    /* days 1 and 2: data C1 = 150, 225 (corrected), C2 = 100, 200 */
    const int64_t present[] = {0, 0, 0, /* day 0: not scored */ 7, 100, 100, 7, 300, 300};
    char run[160];
    snprintf(run, sizeof(run), "%s/run.h5", fx.dir);
    write_run(run, present, 3);
    struct js_flee_score s;
    struct js_diag d = {0};
    double *days = NULL;
    int rc = js_flee_score(run, fx.dir, &s, &days, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(s.days, 2);
    assert_int_equal(s.camps, 2);
    /* plain: (|100-150| + |100-100|) / 250 = 0.2; (|300-225| + |300-200|) / 425 */
    double e1 = 50.0 / 250.0, e2 = 175.0 / 425.0;
    assert_true(fabs(s.ard - (e1 + e2) / 2) < 1e-12);
    /* rescaled: day 1 × 250/200: (|125-150| + |125-100|) / 250; day 2 × 425/600 */
    double r1 = 50.0 / 250.0, k = 425.0 / 600.0;
    double r2 = (fabs(300 * k - 225) + fabs(300 * k - 200)) / 425.0;
    assert_true(fabs(s.ard_rescaled - (r1 + r2) / 2) < 1e-12);
    assert_true(fabs(days[1] - r2) < 1e-12);
    free(days);
    js_diag_free(&d);
    remove_scenario(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flee_import_reads_the_shipped_quirks_into_a_scenario),
        cmocka_unit_test(test_flee_registration_corrections_scale_the_points_before_the_date),
        cmocka_unit_test(test_flee_imported_scenario_spawns_the_observed_increase),
        cmocka_unit_test(test_flee_inconsistent_files_name_file_line_and_column),
        cmocka_unit_test(test_flee_score_is_flees_averaged_relative_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
