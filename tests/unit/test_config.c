/**
 * @file test_config.c
 * @brief Typed getters: strict values, ranges, records with sources, unknown keys, --set,
 * extends.
 */

/* system headers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka (after the headers it needs) */
#include <cmocka.h>

/* local headers */
#include "jinsong/config.h"
#include "jinsong/util.h"

/* ---------------------------------------------------------------- fixtures */

/** @brief A temporary folder holding the fixture files of one test. */
struct fixture {
    char *dir;        /**< the folder */
    char *files[4];   /**< files written in it */
    int nfiles;       /**< how many */
    struct js_cfg c;  /**< the reader */
    struct js_diag d; /**< its errors */
};

/**
 * @brief Makes the folder of a fixture.
 * @param fx the fixture (zeroed here)
 */
static void fixture_init(struct fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    const char *tmp = getenv("TMPDIR");
    fx->dir = js_xasprintf("%s/test_config_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(fx->dir));
}

/**
 * @brief Writes a file into the fixture's folder.
 * @param fx the fixture
 * @param name file name
 * @param text content
 * @return its path (owned by the fixture)
 */
static const char *fixture_file(struct fixture *fx, const char *name, const char *text)
{
    assert_true(fx->nfiles < 4);
    char *path = js_xasprintf("%s/%s", fx->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    fx->files[fx->nfiles++] = path;
    return path;
}

/**
 * @brief Writes main.yaml and opens it with the --set arguments.
 * @param fx the fixture (initialised)
 * @param text main.yaml's content
 * @param sets --set arguments
 * @param nsets how many
 * @return js_cfg_open's result
 */
static int fixture_open(struct fixture *fx, const char *text, const char *const *sets, int nsets)
{
    const char *path = fixture_file(fx, "main.yaml", text);
    return js_cfg_open(&fx->c, path, sets, nsets, &fx->d);
}

/**
 * @brief Removes the files and frees everything.
 * @param fx the fixture
 */
static void fixture_free(struct fixture *fx)
{
    js_cfg_close(&fx->c);
    js_diag_free(&fx->d);
    for (int i = 0; i < fx->nfiles; i++) {
        unlink(fx->files[i]);
        free(fx->files[i]);
    }
    rmdir(fx->dir);
    free(fx->dir);
}

/**
 * @brief True if the errors, printed as jinsong prints them, contain @p text.
 * @param d the errors
 * @param text a fixed substring
 */
static bool diag_has(const struct js_diag *d, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    js_diag_print(d, f);
    fclose(f);
    bool found = strstr(buf, text) != NULL;
    if (!found)
        fprintf(stderr, "no error contains: %s\nerrors:\n%s", text, buf);
    free(buf);
    return found;
}

/**
 * @brief The record of a parameter, or NULL.
 * @param c reader
 * @param key its key path
 */
static const struct js_param_record *record(const struct js_cfg *c, const char *key)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (strcmp(c->params[i].key, key) == 0)
            return &c->params[i];
    return NULL;
}

/**
 * @brief Asserts a parameter was recorded with this value, unit and source.
 * @param c reader
 * @param key key path
 * @param value value text
 * @param unit unit
 * @param source source
 */
static void assert_record(const struct js_cfg *c, const char *key, const char *value,
                          const char *unit, const char *source)
{
    const struct js_param_record *r = record(c, key);
    if (!r)
        fprintf(stderr, "no record of %s\n", key);
    assert_non_null(r);
    assert_string_equal(r->value, value);
    assert_string_equal(r->unit, unit);
    assert_string_equal(r->source, source);
}

/** @brief A map of the tree. */
static struct js_ynode *map_at(struct fixture *fx, const char *key)
{
    return js_cfg_map(&fx->c, fx->c.root, key);
}

/* ---------------------------------------------------------------- numbers */

/** @brief A number given is returned and recorded with its unit and file:line. */
static void test_config_number_is_recorded_with_file_and_line(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(
        fixture_open(&fx, "# a comment\nplace:\n  lat: 34.79\n  hh: 261117\n", NULL, 0), 0);
    struct js_ynode *p = map_at(&fx, "place");
    assert_float_equal(js_cfg_double_req(&fx.c, p, "lat", -90, 90, "degrees_north"), 34.79, 0);
    assert_int_equal(js_cfg_int(&fx.c, p, "hh", 0, 0, 1000000, "households"), 261117);
    assert_record(&fx.c, "place.lat", "34.79", "degrees_north", "main.yaml:3");
    assert_record(&fx.c, "place.hh", "261117", "households", "main.yaml:4");
    assert_int_equal(fx.d.n, 0);
    fixture_free(&fx);
}

/** @brief An optional value left out gives the default, recorded with source `default`. */
static void test_config_default_is_recorded_with_source_default(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx, "graph: {}\n", NULL, 0), 0);
    struct js_ynode *g = map_at(&fx, "graph");
    struct js_ynode *absent = js_cfg_map(&fx.c, g, "speed"); /* implicit: full key paths */
    assert_float_equal(js_cfg_double(&fx.c, g, "sinuosity", 1.3, 1, 3, "1"), 1.3, 0);
    assert_int_equal(js_cfg_int(&fx.c, absent, "road", 17, 0, 100, "km/day"), 17);
    assert_true(js_cfg_bool(&fx.c, g, "forest", true));
    assert_string_equal(js_cfg_string(&fx.c, g, "label", "none"), "none");
    static const char *const cals[] = {"julian", "gregorian"};
    assert_int_equal(js_cfg_enum(&fx.c, g, "calendar", cals, 2, 1), 1);
    assert_record(&fx.c, "graph.sinuosity", "1.3", "1", "default");
    assert_record(&fx.c, "graph.speed.road", "17", "km/day", "default");
    assert_record(&fx.c, "graph.forest", "true", "-", "default");
    assert_record(&fx.c, "graph.label", "none", "-", "default");
    assert_record(&fx.c, "graph.calendar", "gregorian", "-", "default");
    assert_int_equal(fx.d.n, 0);
    fixture_free(&fx);
}

/** @brief A mandatory value left out is an error at its map, naming the key and the type. */
static void test_config_requires_mandatory_values(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx, "places:\n  kaifeng:\n    lon: 114.35\n", NULL, 0), 0);
    struct js_ynode *k = js_cfg_map(&fx.c, map_at(&fx, "places"), "kaifeng");
    js_cfg_double_req(&fx.c, k, "lat", -90, 90, "degrees_north");
    assert_null(js_cfg_string_req(&fx.c, k, "name"));
    assert_null(record(&fx.c, "places.kaifeng.lat"));
    assert_int_equal(fx.d.n, 2);
    assert_true(diag_has(&fx.d, "main.yaml:2:3: error: places.kaifeng: missing key 'lat' "
                                "(expected a number in [-90, 90] degrees_north)"));
    assert_true(diag_has(&fx.d, "fix: add 'lat: ...' under places.kaifeng"));
    assert_true(diag_has(&fx.d, "missing key 'name' (expected a text)"));
    fixture_free(&fx);
}

/** @brief Trailing junk after a number is refused, naming the junk. */
static void test_config_rejects_trailing_junk(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(
        fixture_open(&fx, "p:\n  a: 34.79abc\n  b: 0x10\n  c: 1_000\n  d: 12km\n", NULL, 0), 0);
    struct js_ynode *p = map_at(&fx, "p");
    assert_float_equal(js_cfg_double(&fx.c, p, "a", -1, -1e9, 1e9, "-"), -1, 0);
    js_cfg_double(&fx.c, p, "b", 0, -1e9, 1e9, "-");
    js_cfg_double(&fx.c, p, "c", 0, -1e9, 1e9, "-");
    js_cfg_int(&fx.c, p, "d", 0, 0, 100, "km");
    assert_int_equal(fx.d.n, 4);
    assert_true(diag_has(&fx.d, "main.yaml:2:6: error: p.a: expected a number in [-1000000000, "
                                "1000000000], got \"34.79abc\": trailing junk \"abc\""));
    assert_true(diag_has(&fx.d, "p.b: expected a number"));
    assert_true(diag_has(&fx.d, "trailing junk \"_000\""));
    assert_true(diag_has(&fx.d, "p.d: expected an integer in [0, 100] km, got \"12km\": trailing "
                                "junk \"km\""));
    assert_null(record(&fx.c, "p.a"));
    fixture_free(&fx);
}

/** @brief Numbers are parsed strictly: signs, exponents and leading dots, but no words. */
static void test_config_parses_numbers_strictly(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(
        fixture_open(&fx,
                     "p: {a: -.5, b: +3, c: 1e3, d: .nan, e: inf, f: 1e999, g: \"2\","
                     " h: [1], i: {x: 1}, j: , k: 2.5, l: 1e2, m: 99999999999999999999}\n",
                     NULL, 0),
        0);
    struct js_ynode *p = map_at(&fx, "p");
    assert_float_equal(js_cfg_double(&fx.c, p, "a", 0, -10, 10, "-"), -0.5, 0);
    assert_float_equal(js_cfg_double(&fx.c, p, "b", 0, -10, 10, "-"), 3, 0);
    assert_float_equal(js_cfg_double(&fx.c, p, "c", 0, 0, 1e4, "-"), 1000, 0);
    assert_int_equal(fx.d.n, 0);
    js_cfg_double(&fx.c, p, "d", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "e", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "f", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "g", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "h", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "i", 0, -10, 10, "-");
    js_cfg_double(&fx.c, p, "j", 0, -10, 10, "-");
    js_cfg_int(&fx.c, p, "k", 0, -10, 10, "-");
    js_cfg_int(&fx.c, p, "l", 0, -1000, 1000, "-");
    js_cfg_int(&fx.c, p, "m", 0, 0, INT64_MAX, "-");
    assert_int_equal(fx.d.n, 10);
    assert_true(diag_has(&fx.d, "p.d: expected a number in [-10, 10], got \".nan\""));
    assert_true(diag_has(&fx.d, "p.e: expected a number in [-10, 10], got \"inf\""));
    assert_true(diag_has(&fx.d, "p.f: expected a number in [-10, 10], got 1e999, which is too "
                                "large to be a number"));
    assert_true(
        diag_has(&fx.d, "p.g: expected a number in [-10, 10], got the quoted string \"2\""));
    assert_true(diag_has(&fx.d, "fix: remove the quotes"));
    assert_true(diag_has(&fx.d, "p.h: expected a number in [-10, 10], got a list"));
    assert_true(diag_has(&fx.d, "p.i: expected a number in [-10, 10], got a map"));
    assert_true(diag_has(&fx.d, "p.j: expected a number in [-10, 10], got no value"));
    assert_true(diag_has(&fx.d, "p.k: expected an integer, got 2.5"));
    assert_true(diag_has(&fx.d, "p.l: expected an integer, got 1e2"));
    assert_true(diag_has(&fx.d, "p.m: 99999999999999999999 is too large"));
    /* the map given for a number is not also reported as unknown keys */
    assert_int_equal(js_cfg_check_unknown(&fx.c), 0);
    fixture_free(&fx);
}

/** @brief Values outside their range are refused with the range, the unit and a fix. */
static void test_config_rejects_values_out_of_range(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx, "p: {lat: 134.8, s: 1.5, n: -1, x: 90}\n", NULL, 0), 0);
    struct js_ynode *p = map_at(&fx, "p");
    assert_float_equal(js_cfg_double(&fx.c, p, "lat", 0, -90, 90, "degrees_north"), 0, 0);
    js_cfg_double(&fx.c, p, "s", 0, 0, 1, "1");
    js_cfg_int(&fx.c, p, "n", 1, 0, UINT32_MAX, "-");
    assert_float_equal(js_cfg_double(&fx.c, p, "x", 0, -90, 90, "-"), 90, 0); /* bounds included */
    assert_int_equal(fx.d.n, 3);
    assert_true(diag_has(&fx.d,
                         "main.yaml:1:10: error: p.lat: value 134.8 is out of range "
                         "[-90, 90] degrees_north\n    fix: use a value between -90 and 90"));
    /* a dimensionless unit is not printed as "1" */
    assert_true(diag_has(&fx.d, "p.s: value 1.5 is out of range [0, 1]\n"));
    assert_true(diag_has(&fx.d, "p.n: value -1 is out of range [0, 4294967295]\n"));
    fixture_free(&fx);
}

/* ---------------------------------------------------------------- other types */

/** @brief Booleans are true or false; yes, 1 and quoted words are refused. */
static void test_config_bool_accepts_only_true_and_false(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(
        fixture_open(&fx, "r: {a: true, b: False, c: yes, d: 1, e: \"true\"}\n", NULL, 0), 0);
    struct js_ynode *r = map_at(&fx, "r");
    assert_true(js_cfg_bool(&fx.c, r, "a", false));
    assert_false(js_cfg_bool(&fx.c, r, "b", true));
    assert_true(js_cfg_bool(&fx.c, r, "c", true)); /* the default on error */
    js_cfg_bool(&fx.c, r, "d", false);
    js_cfg_bool(&fx.c, r, "e", false);
    assert_record(&fx.c, "r.b", "false", "-", "main.yaml:1");
    assert_int_equal(fx.d.n, 3);
    assert_true(diag_has(&fx.d, "r.c: expected true or false, got \"yes\"\n    fix: write true or "
                                "false (YAML 1.2: yes/no/on/off are strings)"));
    assert_true(diag_has(&fx.d, "r.d: expected true or false, got \"1\""));
    assert_true(diag_has(&fx.d, "r.e: expected true or false, got the quoted string \"true\"\n"
                                "    fix: remove the quotes"));
    fixture_free(&fx);
}

/** @brief A word outside its list is refused with the list and the closest word. */
static void test_config_enum_suggests_the_closest_word(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx, "p: {kind: capitol, other: zzzzzz, ok: town}\n", NULL, 0),
                     0);
    struct js_ynode *p = map_at(&fx, "p");
    static const char *const kinds[] = {"capital", "prefecture", "town"};
    assert_int_equal(js_cfg_enum(&fx.c, p, "ok", kinds, 3, -1), 2);
    assert_int_equal(js_cfg_enum(&fx.c, p, "kind", kinds, 3, 2), 2);
    js_cfg_enum(&fx.c, p, "other", kinds, 3, 2);
    js_cfg_enum(&fx.c, p, "absent", kinds, 3, -1);
    assert_record(&fx.c, "p.ok", "town", "-", "main.yaml:1");
    assert_int_equal(fx.d.n, 3);
    assert_true(diag_has(&fx.d, "main.yaml:1:11: error: p.kind: expected one of: capital, "
                                "prefecture, town; got \"capitol\"\n    fix: did you mean "
                                "'capital'?"));
    assert_true(diag_has(&fx.d, "got \"zzzzzz\"\n    fix: use one of: capital, prefecture, town"));
    assert_true(diag_has(&fx.d, "p: missing key 'absent' (expected one of: capital, prefecture, "
                                "town)"));
    fixture_free(&fx);
}

/** @brief Dates are YYYY-MM-DD and must exist in the scenario's calendar. */
static void test_config_dates_must_exist_in_the_calendar(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx,
                                  "s:\n  a: 1125-10-01\n  b: 1125-02-30\n  c: 1126/01/01\n"
                                  "  d: 1100-02-29\n  e: 1125-1-1\n",
                                  NULL, 0),
                     0);
    struct js_ynode *s = map_at(&fx, "s");
    struct js_date d;
    assert_true(js_cfg_date(&fx.c, s, "a", JS_CAL_JULIAN, &d, true));
    assert_int_equal(d.year, 1125);
    assert_int_equal(d.month, 10);
    assert_int_equal(d.day, 1);
    assert_record(&fx.c, "s.a", "1125-10-01", "date", "main.yaml:2");
    assert_false(js_cfg_date(&fx.c, s, "b", JS_CAL_JULIAN, &d, true));
    assert_false(js_cfg_date(&fx.c, s, "c", JS_CAL_JULIAN, &d, true));
    /* 1100 is a leap year in the Julian calendar, not in the Gregorian */
    assert_true(js_cfg_date(&fx.c, s, "d", JS_CAL_JULIAN, &d, true));
    assert_false(js_cfg_date(&fx.c, s, "d", JS_CAL_GREGORIAN, &d, true));
    assert_false(js_cfg_date(&fx.c, s, "e", JS_CAL_JULIAN, &d, true));
    assert_false(js_cfg_date(&fx.c, s, "f", JS_CAL_JULIAN, &d, false));
    assert_int_equal(fx.d.n, 4);
    assert_true(diag_has(&fx.d, "main.yaml:3:6: error: s.b: 1125-02-30 is not a date in the julian "
                                "calendar"));
    assert_true(diag_has(&fx.d, "main.yaml:4:6: error: s.c: expected a date YYYY-MM-DD, got "
                                "\"1126/01/01\""));
    assert_true(diag_has(&fx.d, "s.d: 1100-02-29 is not a date in the gregorian calendar"));
    assert_true(diag_has(&fx.d, "s.e: expected a date YYYY-MM-DD, got \"1125-1-1\""));
    fixture_free(&fx);
}

/** @brief References name declared ids; an unknown one gets the closest id, if any. */
static void test_config_refs_name_declared_entities(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(
        fixture_open(&fx, "r: {a: kaifeng, b: kaifng, c: luoyang, d: jinn}\n", NULL, 0), 0);
    struct js_idmap places, factions;
    js_idmap_init(&places, 4);
    js_idmap_init(&factions, 4);
    js_idmap_put(&places, "kaifeng", 0);
    js_idmap_put(&places, "zhengzhou", 1);
    js_idmap_put(&factions, "song", 0);
    struct js_ynode *r = map_at(&fx, "r");
    assert_int_equal(js_cfg_ref(&fx.c, r, "a", &places, "place", "places", true), 0);
    assert_int_equal(js_cfg_ref(&fx.c, r, "b", &places, "place", "places", true), -1);
    assert_int_equal(js_cfg_ref(&fx.c, r, "c", &places, "place", "places", true), -1);
    assert_int_equal(js_cfg_ref(&fx.c, r, "d", &factions, "faction", "factions", true), -1);
    assert_int_equal(js_cfg_ref(&fx.c, r, "e", &places, "place", "places", false), -1);
    assert_record(&fx.c, "r.a", "kaifeng", "-", "main.yaml:1");
    assert_int_equal(fx.d.n, 3);
    assert_true(diag_has(&fx.d,
                         "main.yaml:1:20: error: r.b: no place 'kaifng' in places\n"
                         "    fix: did you mean 'kaifeng'? (or declare 'kaifng' in places)"));
    assert_true(diag_has(&fx.d, "r.c: no place 'luoyang' in places\n    fix: declare 'luoyang' in "
                                "places, or name an existing place"));
    /* "jinn" is three edits from "song": not offered as a typo */
    assert_true(diag_has(&fx.d, "r.d: no faction 'jinn' in factions\n    fix: declare 'jinn'"));
    js_idmap_free(&places);
    js_idmap_free(&factions);
    fixture_free(&fx);
}

/** @brief Valid ids: letters, digits, '_' and '-', starting with a letter or digit. */
static void test_config_valid_ids(void **state)
{
    (void)state;
    assert_true(js_cfg_valid_id("kaifeng"));
    assert_true(js_cfg_valid_id("kaifeng-zhengzhou_2"));
    assert_true(js_cfg_valid_id("1126"));
    assert_false(js_cfg_valid_id(""));
    assert_false(js_cfg_valid_id("_x"));
    assert_false(js_cfg_valid_id("-x"));
    assert_false(js_cfg_valid_id("kai feng"));
    assert_false(js_cfg_valid_id("a.b"));
}

/* ---------------------------------------------------------------- unknown keys */

/** @brief Keys nobody asked for are errors at the key, with the closest known key. */
static void test_config_unknown_keys_suggest_known_ones(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx,
                                  "scenario:\n  name: a\n  seeed: 3\n  output: {every_day: 2}\n"
                                  "rotues: {}\nzzz: 1\n",
                                  NULL, 0),
                     0);
    struct js_ynode *s = map_at(&fx, "scenario");
    js_cfg_string_req(&fx.c, s, "name");
    js_cfg_int(&fx.c, s, "seed", 1, 0, 10, "-");
    js_cfg_int(&fx.c, js_cfg_map(&fx.c, s, "output"), "every_days", 1, 1, 10, "days");
    map_at(&fx, "routes");
    map_at(&fx, "places");
    assert_int_equal(js_cfg_check_unknown(&fx.c), 4);
    assert_true(diag_has(&fx.d, "main.yaml:3:3: error: scenario.seeed: unknown key 'seeed'\n"
                                "    fix: did you mean 'seed'?"));
    assert_true(diag_has(&fx.d, "main.yaml:4:12: error: scenario.output.every_day: unknown key "
                                "'every_day'\n    fix: did you mean 'every_days'?"));
    assert_true(diag_has(&fx.d, "main.yaml:5:1: error: rotues: unknown key 'rotues'\n"
                                "    fix: did you mean 'routes'?"));
    assert_true(diag_has(&fx.d, "main.yaml:6:1: error: zzz: unknown key 'zzz'\n    fix: remove "
                                "it; known keys here: scenario, routes, places"));
    fixture_free(&fx);
}

/* ---------------------------------------------------------------- --set */

/** @brief --set changes a value, logs "changed from A to B" and records the source --set. */
static void test_config_set_changes_values_and_logs_them(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    const char *sets[] = {"scenario.seed=5", "places.kaifeng.walls.strength=0.5",
                          "scenario.title=The fall of Kaifeng"};
    assert_int_equal(fixture_open(&fx,
                                  "scenario: {seed: 3}\nplaces:\n  kaifeng:\n"
                                  "    walls: {strength: 0.9}\n",
                                  sets, 3),
                     0);
    assert_int_equal(fx.d.n, 0);
    assert_int_equal(fx.c.nset_log, 3);
    assert_string_equal(fx.c.set_log[0], "value of scenario.seed changed from 3 to 5");
    assert_string_equal(fx.c.set_log[1],
                        "value of places.kaifeng.walls.strength changed from 0.9 to 0.5");
    assert_string_equal(fx.c.set_log[2],
                        "value of scenario.title set to The fall of Kaifeng (not in the scenario "
                        "files)");
    struct js_ynode *s = map_at(&fx, "scenario");
    assert_int_equal(js_cfg_int(&fx.c, s, "seed", 1, 0, 10, "-"), 5);
    assert_string_equal(js_cfg_string(&fx.c, s, "title", ""), "The fall of Kaifeng");
    assert_record(&fx.c, "scenario.seed", "5", "-", "--set");
    fixture_free(&fx);
}

/** @brief Bad --set arguments are reported against the argument, all of them. */
static void test_config_set_reports_bad_arguments(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    const char *sets[] = {"noequals",          "=3",
                          "places..lat=1",     "places.kaifeng.lat.deg=1",
                          "places.kai feng=1", "places.kaifeng.lat=[1",
                          "places.kaifeng=3",  "places.kaifeng.lat="};
    assert_int_equal(fixture_open(&fx, "places:\n  kaifeng: {lat: 34.79}\n", sets, 8), -1);
    assert_non_null(fx.c.root); /* the files are still there to check */
    assert_int_equal(fx.d.n, 8);
    assert_true(diag_has(&fx.d, "--set noequals: error: expected key.path=value (no '=' found)"));
    assert_true(diag_has(&fx.d, "--set =3: error: no key path before '='"));
    assert_true(diag_has(&fx.d, "--set places..lat=1: error: places..lat: bad --set path "
                                "'places..lat': empty key between two dots"));
    assert_true(diag_has(&fx.d, "--set places.kaifeng.lat.deg=1: error: places.kaifeng.lat.deg: "
                                "bad --set path 'places.kaifeng.lat.deg': it runs through a single "
                                "value"));
    assert_true(diag_has(&fx.d, "'kai feng' is not a key"));
    assert_true(diag_has(&fx.d, "--set places.kaifeng.lat=[1: error: places.kaifeng.lat: the value "
                                "'[1' is not valid YAML: this '[' is never closed"));
    assert_true(diag_has(&fx.d, "--set places.kaifeng=3: error: places.kaifeng: bad --set value: "
                                "places.kaifeng is a map, and '3' is a single value"));
    assert_true(diag_has(&fx.d, "--set places.kaifeng.lat=: error: places.kaifeng.lat: no value "
                                "after '='"));
    /* nothing was changed */
    struct js_ynode *k = js_cfg_map(&fx.c, map_at(&fx, "places"), "kaifeng");
    assert_float_equal(js_cfg_double_req(&fx.c, k, "lat", -90, 90, "-"), 34.79, 0);
    fixture_free(&fx);
}

/** @brief --set cannot invent an entity: the reader finds the map flagged and refuses it. */
static void test_config_set_cannot_invent_entities(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    const char *sets[] = {"places.luoyang.lat=34.6"};
    assert_int_equal(fixture_open(&fx, "places:\n  kaifeng: {lat: 34.79}\n", sets, 1), 0);
    struct js_ynode *places = map_at(&fx, "places");
    assert_true(js_cfg_entity_exists(&fx.c, js_ytree_get(places, "kaifeng"), "place"));
    assert_false(js_cfg_entity_exists(&fx.c, js_ytree_get(places, "luoyang"), "place"));
    assert_true(diag_has(&fx.d, "--set places.luoyang.lat=34.6: error: places.luoyang: there is no "
                                "place 'luoyang' in the scenario"));
    fixture_free(&fx);
}

/* ---------------------------------------------------------------- extends */

/** @brief extends deep-merges the base; each value's source names the file it came from. */
static void test_config_extends_merges_with_sources_in_each_file(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    fixture_file(
        &fx, "base.yaml",
        "scenario:\n  name: base\n  seed: 1\nplaces:\n  kaifeng: {lat: 34.79, lon: 114.35}\n"
        "  zhengzhou: {lat: 34.75}\nevents:\n  e1: {date: 1125-10-02}\n");
    assert_int_equal(fixture_open(&fx,
                                  "extends: base.yaml\n"
                                  "scenario:\n  seed: 7\n"
                                  "places:\n  kaifeng: {lat: 35.0}\n"
                                  "events:\n  e1: null\n",
                                  NULL, 0),
                     0);
    assert_null(js_ytree_get(fx.c.root, "extends"));
    struct js_ynode *s = map_at(&fx, "scenario");
    assert_string_equal(js_cfg_string_req(&fx.c, s, "name"), "base");
    assert_int_equal(js_cfg_int(&fx.c, s, "seed", 0, 0, 10, "-"), 7);
    struct js_ynode *places = map_at(&fx, "places");
    struct js_ynode *k = js_cfg_map(&fx.c, places, "kaifeng");
    struct js_ynode *z = js_cfg_map(&fx.c, places, "zhengzhou");
    assert_float_equal(js_cfg_double_req(&fx.c, k, "lat", -90, 90, "-"), 35.0, 0);
    assert_float_equal(js_cfg_double_req(&fx.c, k, "lon", -180, 180, "-"), 114.35, 0);
    assert_float_equal(js_cfg_double_req(&fx.c, z, "lat", -90, 90, "-"), 34.75, 0);
    assert_int_equal(map_at(&fx, "events")->nchildren, 0); /* e1: null removed it */
    assert_record(&fx.c, "scenario.name", "base", "-", "base.yaml:2");
    assert_record(&fx.c, "scenario.seed", "7", "-", "main.yaml:3");
    assert_record(&fx.c, "places.kaifeng.lat", "35.0", "-", "main.yaml:5");
    assert_record(&fx.c, "places.kaifeng.lon", "114.35", "-", "base.yaml:5");
    assert_record(&fx.c, "places.zhengzhou.lat", "34.75", "-", "base.yaml:6");
    assert_int_equal(fx.d.n, 0);
    fixture_free(&fx);
}

/** @brief A missing base and a cycle of extends are errors at the extends that names them. */
static void test_config_extends_reports_missing_files_and_cycles(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_init(&fx);
    assert_int_equal(fixture_open(&fx, "# x\nextends: nothere.yaml\n", NULL, 0), -1);
    assert_true(diag_has(&fx.d, "main.yaml:2:10: error: extends: cannot read the extended file "
                                "'nothere.yaml': No such file or directory"));
    fixture_free(&fx);

    fixture_init(&fx);
    fixture_file(&fx, "a.yaml", "extends: b.yaml\n");
    fixture_file(&fx, "b.yaml", "x: 1\nextends: a.yaml\n");
    assert_int_equal(fixture_open(&fx, "extends: a.yaml\n", NULL, 0), -1);
    assert_int_equal(fx.d.n, 1);
    assert_true(diag_has(&fx.d, "b.yaml:2:10: error: extends: extends cycle: a.yaml -> b.yaml -> "
                                "a.yaml"));
    fixture_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_number_is_recorded_with_file_and_line),
        cmocka_unit_test(test_config_default_is_recorded_with_source_default),
        cmocka_unit_test(test_config_requires_mandatory_values),
        cmocka_unit_test(test_config_rejects_trailing_junk),
        cmocka_unit_test(test_config_parses_numbers_strictly),
        cmocka_unit_test(test_config_rejects_values_out_of_range),
        cmocka_unit_test(test_config_bool_accepts_only_true_and_false),
        cmocka_unit_test(test_config_enum_suggests_the_closest_word),
        cmocka_unit_test(test_config_dates_must_exist_in_the_calendar),
        cmocka_unit_test(test_config_refs_name_declared_entities),
        cmocka_unit_test(test_config_valid_ids),
        cmocka_unit_test(test_config_unknown_keys_suggest_known_ones),
        cmocka_unit_test(test_config_set_changes_values_and_logs_them),
        cmocka_unit_test(test_config_set_reports_bad_arguments),
        cmocka_unit_test(test_config_set_cannot_invent_entities),
        cmocka_unit_test(test_config_extends_merges_with_sources_in_each_file),
        cmocka_unit_test(test_config_extends_reports_missing_files_and_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
