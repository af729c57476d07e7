/**
 * @file test_ytree.c
 * @brief YAML trees: positions, duplicate keys, merge, --set, emit.
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
#include "jinsong/util.h"
#include "jinsong/ytree.h"

/* ---------------------------------------------------------------- helpers */

/**
 * @brief Writes @p text to a new temporary file.
 * @param text the content
 * @return its path (malloc'ed); the caller unlinks and frees it
 */
static char *write_temp(const char *text)
{
    const char *dir = getenv("TMPDIR");
    char *path = js_xasprintf("%s/test_ytree_XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

/**
 * @brief Makes a new temporary folder.
 * @return its path (malloc'ed); the caller removes and frees it
 */
static char *make_temp_dir(void)
{
    const char *dir = getenv("TMPDIR");
    char *path = js_xasprintf("%s/test_ytree_XXXXXX", dir && dir[0] ? dir : "/tmp");
    assert_non_null(mkdtemp(path));
    return path;
}

/**
 * @brief Parses a string that must be valid.
 * @param doc arena
 * @param text YAML
 */
static struct js_ynode *parse_ok(struct js_ydoc *doc, const char *text)
{
    struct js_diag d = {0};
    struct js_ynode *root = NULL;
    int rc = js_ytree_parse_string(doc, text, strlen(text), "fixture.yaml", &root, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    js_diag_free(&d);
    return root;
}

/**
 * @brief The node at a dotted path of map keys, or NULL.
 * @param root the root map
 * @param path "a.b.c"
 */
static struct js_ynode *at(struct js_ynode *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    struct js_ynode *n = root;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = js_ytree_get(n, k);
    return n;
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

/* ---------------------------------------------------------------- parsing */

/** @brief Values and keys keep their 1-based line and column. */
static void test_ytree_parse_keeps_line_and_column(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "scenario:\n"
                                           "  name: smoke\n"
                                           "  output: {every_days: 7}\n"
                                           "places:\n"
                                           "  kaifeng:\n"
                                           "    lat:   34.79\n");
    struct js_ynode *name = at(root, "scenario.name");
    assert_non_null(name);
    assert_string_equal(name->value, "smoke");
    assert_int_equal(name->line, 2);
    assert_int_equal(name->col, 9);
    assert_int_equal(name->key_line, 2);
    assert_int_equal(name->key_col, 3);
    struct js_ynode *every = at(root, "scenario.output.every_days");
    assert_int_equal(every->line, 3);
    assert_int_equal(every->col, 24);
    struct js_ynode *lat = at(root, "places.kaifeng.lat");
    assert_int_equal(lat->line, 6);
    assert_int_equal(lat->col, 12);
    assert_string_equal(lat->file, "fixture.yaml");
    assert_false(lat->quoted);
    js_ydoc_free(&doc);
}

/** @brief A file's nodes name the file as it was opened. */
static void test_ytree_parse_file_names_the_file(void **state)
{
    (void)state;
    char *path = write_temp("# comment\nscenario:\n  name: smoke\n");
    struct js_ydoc doc = {0};
    struct js_diag d = {0};
    struct js_ynode *root;
    assert_int_equal(js_ytree_parse_file(&doc, path, &root, &d), 0);
    struct js_ynode *name = at(root, "scenario.name");
    assert_string_equal(name->file, path);
    assert_int_equal(name->line, 3);
    assert_int_equal(name->col, 9);
    js_ydoc_free(&doc);
    js_diag_free(&d);
    unlink(path);
    free(path);
}

/** @brief Quoted scalars and !!str scalars are texts, plain ones are not. */
static void test_ytree_quoted_and_str_tagged_scalars_are_texts(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "a: 1\nb: \"1\"\nc: '1'\nd: !!str 1\ne: |\n  1\n");
    assert_false(at(root, "a")->quoted);
    assert_true(at(root, "b")->quoted);
    assert_true(at(root, "c")->quoted);
    assert_true(at(root, "d")->quoted);
    assert_true(at(root, "e")->quoted);
    js_ydoc_free(&doc);
}

/** @brief A key given twice is an error naming both lines, located at the second. */
static void test_ytree_duplicate_key_names_both_lines(void **state)
{
    (void)state;
    const char *text = "places:\n"
                       "  kaifeng:\n"
                       "    lat: 34.79\n"
                       "    lon: 114.35\n"
                       "    lat: 34.80\n";
    struct js_ydoc doc = {0};
    struct js_diag d = {0};
    struct js_ynode *root;
    assert_int_equal(js_ytree_parse_string(&doc, text, strlen(text), "dup.yaml", &root, &d), -1);
    assert_null(root);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, "dup.yaml:5:5: error: places.kaifeng.lat: duplicate key 'lat': "
                             "first at line 3, again at line 5"));
    js_ydoc_free(&doc);
    js_diag_free(&d);
}

/** @brief Maps of more than 16 keys (sorted search) name both lines too, each duplicate once. */
static void test_ytree_duplicate_key_in_large_map_names_both_lines(void **state)
{
    (void)state;
    char text[2048] = "places:\n";
    for (int i = 0; i < 20; i++) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof(text) - n, "  p%02d: 1\n", i);
    }
    strcat(text, "  p07: 2\n"); /* line 22; p07 is on line 9 */
    struct js_ydoc doc = {0};
    struct js_diag d = {0};
    struct js_ynode *root;
    assert_int_equal(js_ytree_parse_string(&doc, text, strlen(text), "big.yaml", &root, &d), -1);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, "big.yaml:22:3: error: places.p07: duplicate key 'p07': first at "
                             "line 9, again at line 22"));
    js_ydoc_free(&doc);
    js_diag_free(&d);
}

/** @brief A file with two documents is refused at the second one. */
static void test_ytree_rejects_second_document(void **state)
{
    (void)state;
    char *path = write_temp("a: 1\n---\nb: 2\n");
    struct js_ydoc doc = {0};
    struct js_diag d = {0};
    struct js_ynode *root;
    assert_int_equal(js_ytree_parse_file(&doc, path, &root, &d), -1);
    assert_true(diag_has(&d, ":2:1: error: more than one YAML document"));
    js_ydoc_free(&doc);
    js_diag_free(&d);
    unlink(path);
    free(path);
}

/** @brief Empty files, directories, lists at the top: each refused with its reason. */
static void test_ytree_rejects_files_that_hold_no_mapping(void **state)
{
    (void)state;
    struct {
        const char *text; /* NULL: a directory */
        const char *want;
    } cases[] = {
        {"", "error: the file is empty"},
        {"# only a comment\n", ":1:1: error: the file is empty"},
        {"---\n", ":1:1: error: the file is empty"},
        {"- a\n- b\n", ":1:1: error: expected a mapping at the top level, got a list"},
        {"just words\n", ":1:1: error: expected a mapping at the top level, got a single value"},
        {NULL, "error: cannot read the file: it is a directory"},
    };
    for (size_t i = 0; i < JS_COUNTOF(cases); i++) {
        char *path = cases[i].text ? write_temp(cases[i].text) : make_temp_dir();
        struct js_ydoc doc = {0};
        struct js_diag d = {0};
        struct js_ynode *root;
        assert_int_equal(js_ytree_parse_file(&doc, path, &root, &d), -1);
        assert_null(root);
        assert_int_equal(d.n, 1);
        assert_true(diag_has(&d, cases[i].want));
        js_ydoc_free(&doc);
        js_diag_free(&d);
        if (cases[i].text)
            unlink(path);
        else
            rmdir(path);
        free(path);
    }
}

/** @brief Syntax errors point where the fix is: an unclosed bracket where it opens, a tab. */
static void test_ytree_syntax_errors_point_at_the_fix(void **state)
{
    (void)state;
    struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"a: 1\nb: [1, 2,\n   3\n",
         "f.yaml:2:4: error: YAML syntax error: this '[' is never closed"},
        {"a:\n  b: 1\n\tc: 2\n", "f.yaml:3:1: error: YAML syntax error:"},
        {"a: \"abc\nb: 1\n", "f.yaml:1:4: error: YAML syntax error:"},
    };
    for (size_t i = 0; i < JS_COUNTOF(cases); i++) {
        struct js_ydoc doc = {0};
        struct js_diag d = {0};
        struct js_ynode *root;
        const char *t = cases[i].text;
        assert_int_equal(js_ytree_parse_string(&doc, t, strlen(t), "f.yaml", &root, &d), -1);
        assert_int_equal(d.n, 1);
        assert_true(diag_has(&d, cases[i].want));
        js_ydoc_free(&doc);
        js_diag_free(&d);
    }
}

/** @brief An alias is a copy of its anchor's node; an unknown alias is an error. */
static void test_ytree_alias_copies_its_anchor(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "a: &w {strength: 0.9}\nb: *w\n");
    assert_string_equal(at(root, "b.strength")->value, "0.9");
    assert_ptr_not_equal(at(root, "a.strength"), at(root, "b.strength"));
    struct js_diag d = {0};
    const char *bad = "a: 1\nb: *nothing\n";
    assert_int_equal(js_ytree_parse_string(&doc, bad, strlen(bad), "f.yaml", &root, &d), -1);
    assert_true(diag_has(&d, "f.yaml:2:4: error: unknown alias *nothing"));
    js_diag_free(&d);
    js_ydoc_free(&doc);
}

/** @brief Paths name map keys with dots and list items with their index. */
static void test_ytree_path_names_keys_and_list_items(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "armies:\n  jin:\n    orders: [a, b, {go: x}]\n");
    struct js_ynode *orders = at(root, "armies.jin.orders");
    char path[128];
    js_ytree_path(orders->last->first, path, sizeof(path));
    assert_string_equal(path, "armies.jin.orders[2].go");
    js_ytree_path(orders->first->next, path, sizeof(path));
    assert_string_equal(path, "armies.jin.orders[1]");
    js_ydoc_free(&doc);
}

/* ---------------------------------------------------------------- merge */

/** @brief Maps merge key by key; the extending file's values win. */
static void test_ytree_merge_merges_maps(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *base = parse_ok(&doc, "places:\n  kaifeng: {lat: 34.79, lon: 114.35}\n"
                                           "  zhengzhou: {lat: 34.75}\n");
    struct js_ynode *over =
        parse_ok(&doc, "places:\n  kaifeng: {lat: 35.0}\n  luoyang: {lat: 34.6}\n");
    js_ytree_merge(base, over);
    assert_string_equal(at(base, "places.kaifeng.lat")->value, "35.0");
    assert_int_equal(at(base, "places.kaifeng.lat")->line, 2); /* the node moved in */
    assert_string_equal(at(base, "places.kaifeng.lon")->value, "114.35");
    assert_string_equal(at(base, "places.zhengzhou.lat")->value, "34.75");
    assert_string_equal(at(base, "places.luoyang.lat")->value, "34.6");
    assert_int_equal(at(base, "places")->nchildren, 3);
    js_ydoc_free(&doc);
}

/** @brief Lists and scalars are replaced whole, a map by a scalar too. */
static void test_ytree_merge_replaces_lists_and_scalars(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *base = parse_ok(&doc, "a: [1, 2, 3]\nb: 1\nc: {x: 1}\nd: [1]\ne: keep\n");
    struct js_ynode *over = parse_ok(&doc, "a: [9]\nb: 2\nc: 5\nd: {y: 2}\n");
    js_ytree_merge(base, over);
    assert_int_equal(at(base, "a")->nchildren, 1);
    assert_string_equal(at(base, "a")->first->value, "9");
    assert_string_equal(at(base, "b")->value, "2");
    assert_int_equal(at(base, "c")->type, JS_YSCALAR);
    assert_int_equal(at(base, "d")->type, JS_YMAP);
    assert_null(at(base, "d.x"));
    assert_string_equal(at(base, "e")->value, "keep");
    /* the order of the base's keys is kept */
    assert_string_equal(base->first->key, "a");
    assert_string_equal(base->last->key, "e");
    js_ydoc_free(&doc);
}

/** @brief `key: null` (or empty, or ~) deletes the key from the base, a map included. */
static void test_ytree_merge_null_deletes_the_key(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *base = parse_ok(&doc, "events:\n  a: {date: 1125-10-01}\n  b: {date: x}\n"
                                           "  c: {date: y}\nseed: 3\nkeep: 1\n");
    struct js_ynode *over = parse_ok(&doc, "events:\n  a: null\n  b:\n  c: ~\nseed: null\n");
    js_ytree_merge(base, over);
    assert_int_equal(at(base, "events")->nchildren, 0);
    assert_null(at(base, "seed"));
    assert_non_null(at(base, "keep"));
    js_ydoc_free(&doc);
}

/* ---------------------------------------------------------------- --set */

/**
 * @brief Parses a --set value as js_cfg does (label = the argument).
 * @param doc arena
 * @param value the text
 */
static struct js_ynode *set_value(struct js_ydoc *doc, const char *value)
{
    struct js_diag d = {0};
    struct js_ynode *v;
    assert_int_equal(js_ytree_parse_string(doc, value, strlen(value), "--set x", &v, &d), 0);
    js_diag_free(&d);
    return v;
}

/** @brief Setting an existing value replaces it and gives the old text. */
static void test_ytree_set_replaces_value_and_gives_the_old_one(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "places:\n  kaifeng:\n    walls: {strength: 0.9}\n");
    const char *old = NULL;
    assert_int_equal(
        js_ytree_set(&doc, root, "places.kaifeng.walls.strength", set_value(&doc, "0.5"), &old), 0);
    assert_string_equal(old, "0.9");
    struct js_ynode *n = at(root, "places.kaifeng.walls.strength");
    assert_string_equal(n->value, "0.5");
    assert_string_equal(n->file, "--set x");
    assert_int_equal(n->line, 0);
    assert_false(n->set_created);
    js_ydoc_free(&doc);
}

/** @brief Missing maps on the way are created and flagged (entities cannot be invented). */
static void test_ytree_set_creates_missing_maps_flagged(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "places:\n  kaifeng: {lat: 34.79}\nroutes:\n");
    const char *old = "x";
    assert_int_equal(js_ytree_set(&doc, root, "places.luoyang.lat", set_value(&doc, "34.6"), &old),
                     0);
    assert_null(old);
    assert_true(at(root, "places.luoyang")->set_created);
    assert_false(at(root, "places.kaifeng")->set_created);
    assert_string_equal(at(root, "places.luoyang.lat")->value, "34.6");
    /* an empty `routes:` stands for an empty map */
    assert_int_equal(js_ytree_set(&doc, root, "routes.r1.km", set_value(&doc, "3"), &old), 0);
    assert_int_equal(at(root, "routes")->type, JS_YMAP);
    js_ydoc_free(&doc);
}

/** @brief Paths through a value, a list or an empty key are refused with the reason. */
static void test_ytree_set_refuses_paths_through_values_and_lists(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "a: 1\nb: [1, 2]\nc: {d: 1}\n");
    const char *old;
    assert_int_equal(js_ytree_set(&doc, root, "a.x", set_value(&doc, "1"), &old), -1);
    assert_string_equal(old, "a single value");
    assert_int_equal(js_ytree_set(&doc, root, "b.x", set_value(&doc, "1"), &old), -1);
    assert_non_null(strstr(old, "a list"));
    assert_int_equal(js_ytree_set(&doc, root, "c..d", set_value(&doc, "1"), &old), -1);
    assert_non_null(strstr(old, "empty key"));
    assert_string_equal(at(root, "c.d")->value, "1");
    js_ydoc_free(&doc);
}

/* ---------------------------------------------------------------- emit */

/**
 * @brief Asserts two trees are equal: types, keys, values, quoting.
 * @param a first
 * @param b second
 */
static void assert_same_tree(const struct js_ynode *a, const struct js_ynode *b)
{
    assert_int_equal(a->type, b->type);
    if (a->type == JS_YSCALAR) {
        assert_string_equal(a->value, b->value);
        assert_int_equal(a->quoted, b->quoted);
        return;
    }
    assert_int_equal(a->nchildren, b->nchildren);
    for (const struct js_ynode *x = a->first, *y = b->first; x; x = x->next, y = y->next) {
        if (x->key)
            assert_string_equal(x->key, y->key);
        assert_same_tree(x, y);
    }
}

/** @brief Emitting and parsing again gives the same tree, awkward texts included. */
static void test_ytree_emit_round_trips(void **state)
{
    (void)state;
    const char *text = "scenario:\n"
                       "  name: smoke\n"
                       "  title: \"Kaifeng: the siege, #1\"\n"
                       "  start: 1125-10-01\n"
                       "  seed: -3\n"
                       "  frac: -.5\n"
                       "  dash: \"- x\"\n"
                       "  yes_text: \"true\"\n"
                       "  word: yes\n"
                       "  empty_text: \"\"\n"
                       "  nothing:\n"
                       "  lines: \"a\\nb\\tc\\\\d\\\"e\\x01\"\n"
                       "  dots: \"...\"\n"
                       "\"odd key: 1\": 2\n"
                       "\"null\": 3\n"
                       "lists:\n"
                       "  - 1\n"
                       "  - [a, b]\n"
                       "  - {k: v, m: [x]}\n"
                       "  - []\n"
                       "maps: {}\n";
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, text);
    char *once = js_ytree_emit(root);
    struct js_ynode *again = parse_ok(&doc, once);
    assert_same_tree(root, again);
    char *twice = js_ytree_emit(again);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
    js_ydoc_free(&doc);
}

/** @brief Implicit maps (absent sections read for their defaults) are not emitted. */
static void test_ytree_emit_leaves_out_implicit_maps(void **state)
{
    (void)state;
    struct js_ydoc doc = {0};
    struct js_ynode *root = parse_ok(&doc, "a: 1\n");
    js_ytree_add_implicit_map(&doc, root, "graph");
    char *s = js_ytree_emit(root);
    assert_string_equal(s, "a: 1\n");
    free(s);
    js_ydoc_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ytree_parse_keeps_line_and_column),
        cmocka_unit_test(test_ytree_parse_file_names_the_file),
        cmocka_unit_test(test_ytree_quoted_and_str_tagged_scalars_are_texts),
        cmocka_unit_test(test_ytree_duplicate_key_names_both_lines),
        cmocka_unit_test(test_ytree_duplicate_key_in_large_map_names_both_lines),
        cmocka_unit_test(test_ytree_rejects_second_document),
        cmocka_unit_test(test_ytree_rejects_files_that_hold_no_mapping),
        cmocka_unit_test(test_ytree_syntax_errors_point_at_the_fix),
        cmocka_unit_test(test_ytree_alias_copies_its_anchor),
        cmocka_unit_test(test_ytree_path_names_keys_and_list_items),
        cmocka_unit_test(test_ytree_merge_merges_maps),
        cmocka_unit_test(test_ytree_merge_replaces_lists_and_scalars),
        cmocka_unit_test(test_ytree_merge_null_deletes_the_key),
        cmocka_unit_test(test_ytree_set_replaces_value_and_gives_the_old_one),
        cmocka_unit_test(test_ytree_set_creates_missing_maps_flagged),
        cmocka_unit_test(test_ytree_set_refuses_paths_through_values_and_lists),
        cmocka_unit_test(test_ytree_emit_round_trips),
        cmocka_unit_test(test_ytree_emit_leaves_out_implicit_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
