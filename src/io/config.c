/**
 * @file config.c
 * @brief Strict typed getters over a scenario tree, with extends, --set and records.
 */

/* system headers */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* local headers */
#include "jinsong/config.h"
#include "jinsong/log.h"

/** @brief Longest key path handled. */
#define CFG_PATH 512

/* ---------------------------------------------------------------- helpers */

/**
 * @brief The folder of a path ("" when it has none).
 * @param path a file path
 */
static char *cfg_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return js_xstrdup("");
    if (slash == path)
        return js_xstrdup("/");
    char *d = js_xmalloc((size_t)(slash - path) + 1);
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = '\0';
    return d;
}

/**
 * @brief Joins a folder and a relative path (absolute paths are returned as they are).
 * @param dir folder ("" for the current one)
 * @param rel path
 */
static char *cfg_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir[0])
        return js_xstrdup(rel);
    return js_xasprintf("%s/%s", dir, rel);
}

/**
 * @brief The key path of @p map joined with @p key.
 * @param map the map (may be NULL)
 * @param key the key (may be NULL)
 * @param buf output
 */
static void cfg_path(const struct js_ynode *map, const char *key, char buf[CFG_PATH])
{
    buf[0] = '\0';
    if (map)
        js_ytree_path(map, buf, CFG_PATH);
    if (key) {
        size_t n = strlen(buf), k = strlen(key);
        if (n + k + 2 > CFG_PATH)
            return;
        if (n)
            buf[n++] = '.';
        memcpy(buf + n, key, k + 1);
    }
}

/**
 * @brief A file path as seen from the scenario's folder (the folder's prefix removed).
 * @param c reader
 * @param path a path that started from the scenario's folder
 */
static const char *cfg_relative(const struct js_cfg *c, const char *path)
{
    size_t dl = strlen(c->main_dir);
    if (dl && strncmp(path, c->main_dir, dl) == 0 && path[dl] == '/')
        return path + dl + 1;
    return path;
}

void js_cfg_source(const struct js_cfg *c, const struct js_ynode *n, char *buf, size_t len)
{
    if (n->line == 0) {
        snprintf(buf, len, "--set");
        return;
    }
    snprintf(buf, len, "%s:%d", cfg_relative(c, n->file), n->line);
}

void js_cfg_record(struct js_cfg *c, const char *key, const char *value, const char *unit,
                   const char *source)
{
    js_grow((void **)&c->params, &c->capparams, c->nparams + 1, sizeof(*c->params));
    struct js_param_record *r = &c->params[c->nparams++];
    r->key = js_xstrdup(key);
    r->value = js_xstrdup(value);
    r->unit = js_xstrdup(unit && unit[0] ? unit : "-");
    r->source = js_xstrdup(source);
}

/**
 * @brief Records a value read from a node.
 * @param c reader
 * @param map its map
 * @param key its key
 * @param n the node
 * @param value value text
 * @param unit unit
 */
static void cfg_record_node(struct js_cfg *c, const struct js_ynode *map, const char *key,
                            const struct js_ynode *n, const char *value, const char *unit)
{
    char path[CFG_PATH], src[CFG_PATH];
    cfg_path(map, key, path);
    js_cfg_source(c, n, src, sizeof(src));
    js_cfg_record(c, path, value, unit, src);
}

/**
 * @brief Records a defaulted value.
 * @param c reader
 * @param map its map (may be NULL)
 * @param key its key
 * @param value value text
 * @param unit unit
 */
static void cfg_record_default(struct js_cfg *c, const struct js_ynode *map, const char *key,
                               const char *value, const char *unit)
{
    char path[CFG_PATH];
    cfg_path(map, key, path);
    js_cfg_record(c, path, value, unit, "default");
}

void js_cfg_error(struct js_cfg *c, const struct js_ynode *n, const char *hint, const char *fmt,
                  ...)
{
    char path[CFG_PATH];
    js_ytree_path(n, path, sizeof(path));
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    js_diag_add(c->diag, n->file, n->line, n->col, path, hint, "%s", msg);
}

void js_cfg_missing(struct js_cfg *c, const struct js_ynode *map, const char *key, const char *what)
{
    if (map->implicit)
        return; /* the absent map itself is reported, or optional as a whole */
    char path[CFG_PATH], hint[CFG_PATH + 64];
    js_ytree_path(map, path, sizeof(path));
    snprintf(hint, sizeof(hint), "add '%s: ...' under %s", key, path[0] ? path : "the top level");
    int line = map->key_line ? map->key_line : map->line;
    int col = map->key_line ? map->key_col : map->col;
    js_diag_add(c->diag, map->file, line, col, path, hint, "missing key '%s' (expected %s)", key,
                what);
}

/**
 * @brief Remembers that @p key was looked for in @p map (for "did you mean" hints).
 * @param c reader
 * @param map the map
 * @param key the key (a string literal or otherwise long-lived)
 */
static void cfg_note_query(struct js_cfg *c, struct js_ynode *map, const char *key)
{
    (void)c;
    for (uint16_t i = 0; i < map->nqueried; i++)
        if (strcmp(map->queried[i], key) == 0)
            return;
    if (map->nqueried == map->capqueried) {
        map->capqueried = map->capqueried ? (uint16_t)(2 * map->capqueried) : 8;
        map->queried = js_xrealloc(map->queried, map->capqueried * sizeof(*map->queried));
    }
    map->queried[map->nqueried++] = key;
}

struct js_ynode *js_cfg_child(struct js_cfg *c, struct js_ynode *map, const char *key)
{
    if (!map || map->type != JS_YMAP)
        return NULL;
    cfg_note_query(c, map, key);
    struct js_ynode *n = js_ytree_get(map, key);
    if (n)
        n->used = true;
    return n;
}

/**
 * @brief Names a node's type for messages.
 * @param n the node
 */
static const char *cfg_type_name(const struct js_ynode *n)
{
    return n->type == JS_YMAP ? "a map" : n->type == JS_YSEQ ? "a list" : "a single value";
}

struct js_ynode *js_cfg_map(struct js_cfg *c, struct js_ynode *map, const char *key)
{
    if (!map || map->type != JS_YMAP)
        return NULL;
    struct js_ynode *n = js_cfg_child(c, map, key);
    if (!n)
        return js_ytree_add_implicit_map(&c->doc, map, key);
    if (n->type != JS_YMAP) {
        if (js_ytree_is_null(n)) { /* `key:` with nothing after it: an empty map */
            n->type = JS_YMAP;
            n->value = NULL;
            return n;
        }
        js_cfg_error(c, n, "write the entries indented under the key, as 'key: value' lines",
                     "expected a map, got %s", cfg_type_name(n));
        js_ytree_mark_used(n); /* its contents are not checked: no "unknown key" after this */
        return NULL;
    }
    return n;
}

/** @brief What a number getter expects (formatted only for messages). */
struct cfg_expect {
    double lo, hi;
    const char *unit;
    bool integer;
};

/**
 * @brief A unit as shown in messages ("" for dimensionless).
 * @param unit the unit
 */
static const char *cfg_unit_text(const char *unit)
{
    if (!unit || !strcmp(unit, "-") || !strcmp(unit, "1"))
        return "";
    return unit;
}

/**
 * @brief Formats an expectation: "a number in [0, 1] km".
 * @param ex the expectation
 * @param buf output
 * @param len its size
 */
static void cfg_expect_text(const struct cfg_expect *ex, char *buf, size_t len)
{
    char los[32], his[32];
    snprintf(los, sizeof(los), "%.10g", ex->lo);
    snprintf(his, sizeof(his), "%.10g", ex->hi);
    const char *u = cfg_unit_text(ex->unit);
    snprintf(buf, len, "%s in [%s, %s]%s%s", ex->integer ? "an integer" : "a number", los, his,
             u[0] ? " " : "", u);
}

/**
 * @brief The scalar under a key, or NULL when absent; reports non-scalars and nulls.
 * @param c reader
 * @param map map
 * @param key key
 * @param what expected value, for messages
 * @param bad out: true if present but unusable
 */
static struct js_ynode *cfg_scalar(struct js_cfg *c, struct js_ynode *map, const char *key,
                                   const char *what, bool *bad)
{
    *bad = false;
    struct js_ynode *n = js_cfg_child(c, map, key);
    if (!n)
        return NULL;
    if (n->type != JS_YSCALAR) {
        js_cfg_error(c, n, "write a single value after the colon", "expected %s, got %s", what,
                     cfg_type_name(n));
        js_ytree_mark_used(n); /* its contents are not checked: no "unknown key" after this */
        *bad = true;
        return NULL;
    }
    if (js_ytree_is_null(n)) {
        js_cfg_error(c, n, "give a value after the colon (or remove the key if it has a default)",
                     "expected %s, got no value", what);
        *bad = true;
        return NULL;
    }
    return n;
}

/**
 * @brief cfg_scalar for number getters: the expectation is formatted only on error.
 */
static struct js_ynode *cfg_scalar_lazy(struct js_cfg *c, struct js_ynode *map, const char *key,
                                        const struct cfg_expect *ex, bool *bad)
{
    *bad = false;
    struct js_ynode *n = js_cfg_child(c, map, key);
    if (!n)
        return NULL;
    if (n->type == JS_YSCALAR && !js_ytree_is_null(n))
        return n;
    char what[160];
    cfg_expect_text(ex, what, sizeof(what));
    return cfg_scalar(c, map, key, what, bad);
}

/**
 * @brief Strict number parsing.
 * @param s text
 * @param out value
 * @param junk out: start of trailing junk
 * @return 0 ok, -1 not a number, -2 trailing junk, -3 too large for a double
 */
static int cfg_parse_double(const char *s, double *out, const char **junk)
{
    *junk = NULL;
    if (!s[0] || !(isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.'))
        return -1;
    if (strpbrk(s, "xXpP"))
        return strpbrk(s, "xXpP") == s ? -1 : (*junk = strpbrk(s, "xXpP"), -2);
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return -1;
    if (*end) {
        *junk = end;
        return -2;
    }
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return -3;
    *out = v;
    return 0;
}

/**
 * @brief Strict integer parsing (no fraction, exponent or junk).
 * @param s text
 * @param out value
 * @param junk out: start of trailing junk
 * @return 0 ok, -1 not a number, -2 trailing junk, -3 not an integer, -4 overflow
 */
static int cfg_parse_int(const char *s, int64_t *out, const char **junk)
{
    *junk = NULL;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE)
        return -4;
    if (*end) {
        double d;
        const char *j2;
        if (cfg_parse_double(s, &d, &j2) == 0)
            return -3;
        *junk = end;
        return -2;
    }
    *out = (int64_t)v;
    return 0;
}

/**
 * @brief Formats a double compactly for records and messages.
 * @param v value
 * @param buf output (32 bytes)
 */
static void cfg_fmt_double(double v, char buf[32])
{
    snprintf(buf, 32, "%.10g", v);
}

/**
 * @brief Shared body of the number getters.
 * @param c reader
 * @param map map
 * @param key key
 * @param required mandatory?
 * @param def default
 * @param lo minimum
 * @param hi maximum
 * @param unit unit
 * @param integer integers only?
 * @param ok out: true if a value (given or default) is returned without error
 */
static double cfg_number(struct js_cfg *c, struct js_ynode *map, const char *key, bool required,
                         double def, double lo, double hi, const char *unit, bool integer, bool *ok)
{
    /* The expectation's text is built only when a message needs it: this runs for every
     * attribute of every entity. */
    struct cfg_expect ex = {lo, hi, unit, integer};
    bool bad;
    struct js_ynode *n = cfg_scalar_lazy(c, map, key, &ex, &bad);
    *ok = false;
    if (!n) {
        if (!bad && required && map) {
            char what[160];
            cfg_expect_text(&ex, what, sizeof(what));
            js_cfg_missing(c, map, key, what);
        }
        if (!bad && !required) {
            char v[32];
            if (integer)
                snprintf(v, sizeof(v), "%lld", (long long)def);
            else
                cfg_fmt_double(def, v);
            cfg_record_default(c, map, key, v, unit);
            *ok = true;
        }
        return def;
    }
    double v = 0;
    const char *junk = NULL;
    int rc;
    if (n->quoted) {
        rc = -5;
    } else if (integer) {
        int64_t iv = 0;
        rc = cfg_parse_int(n->value, &iv, &junk);
        v = (double)iv;
    } else {
        rc = cfg_parse_double(n->value, &v, &junk);
        if (rc == -3)
            rc = -6; /* overflow, not "not an integer" */
    }
    if (rc == 0 && v >= lo && v <= hi) {
        cfg_record_node(c, map, key, n, n->value, unit);
        *ok = true;
        return v;
    }
    char what[160], hint[200], los[32], his[32];
    cfg_expect_text(&ex, what, sizeof(what));
    snprintf(hint, sizeof(hint), "write %s", what);
    cfg_fmt_double(lo, los);
    cfg_fmt_double(hi, his);
    const char *u = cfg_unit_text(unit);
    if (rc == -5) {
        js_cfg_error(c, n, "remove the quotes", "expected %s, got the quoted string \"%s\"", what,
                     n->value);
    } else if (rc == -3) {
        js_cfg_error(c, n, "write a whole number without a fraction or exponent",
                     "expected an integer, got %s", n->value);
    } else if (rc == -4) {
        js_cfg_error(c, n, hint, "%s is too large", n->value);
    } else if (rc == -6) {
        js_cfg_error(c, n, hint, "expected %s, got %s, which is too large to be a number", what,
                     n->value);
    } else if (rc == -2) {
        js_cfg_error(c, n, hint, "expected %s, got \"%s\": trailing junk \"%s\"", what, n->value,
                     junk);
    } else if (rc < 0) {
        js_cfg_error(c, n, hint, "expected %s, got \"%s\"", what, n->value);
    } else {
        char range_hint[160];
        snprintf(range_hint, sizeof(range_hint), "use a value between %s and %s", los, his);
        js_cfg_error(c, n, range_hint, "value %s is out of range [%s, %s]%s%s", n->value, los, his,
                     u[0] ? " " : "", u);
    }
    return def;
}

double js_cfg_double(struct js_cfg *c, struct js_ynode *map, const char *key, double def, double lo,
                     double hi, const char *unit)
{
    bool ok;
    return cfg_number(c, map, key, false, def, lo, hi, unit, false, &ok);
}

double js_cfg_double_req(struct js_cfg *c, struct js_ynode *map, const char *key, double lo,
                         double hi, const char *unit)
{
    bool ok;
    return cfg_number(c, map, key, true, lo, lo, hi, unit, false, &ok);
}

int64_t js_cfg_int(struct js_cfg *c, struct js_ynode *map, const char *key, int64_t def, int64_t lo,
                   int64_t hi, const char *unit)
{
    bool ok;
    return (int64_t)cfg_number(c, map, key, false, (double)def, (double)lo, (double)hi, unit, true,
                               &ok);
}

int64_t js_cfg_int_req(struct js_cfg *c, struct js_ynode *map, const char *key, int64_t lo,
                       int64_t hi, const char *unit)
{
    bool ok;
    return (int64_t)cfg_number(c, map, key, true, (double)lo, (double)lo, (double)hi, unit, true,
                               &ok);
}

/**
 * @brief Formats a list of numbers as "[a, b, ...]" for records.
 * @param v values
 * @param n how many
 * @param buf output
 * @param len its size
 */
static void cfg_fmt_list(const double *v, int n, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < n && at < len; i++) {
        char one[32];
        cfg_fmt_double(v[i], one);
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", one);
    }
    if (at < len)
        snprintf(buf + at, len - at, "]");
}

/**
 * @brief Reads one element of a list of numbers.
 * @param c reader
 * @param e the element
 * @param ex what is expected
 * @param out its value
 * @return true if it is a number in range
 */
static bool cfg_list_element(struct js_cfg *c, const struct js_ynode *e,
                             const struct cfg_expect *ex, double *out)
{
    char what[160], hint[200];
    cfg_expect_text(ex, what, sizeof(what));
    snprintf(hint, sizeof(hint), "write %s", what);
    const char *junk = NULL;
    if (e->type != JS_YSCALAR || js_ytree_is_null(e) || e->quoted ||
        cfg_parse_double(e->value, out, &junk) != 0) {
        js_cfg_error(c, e, hint, "list element: expected %s, got %s", what,
                     e->type == JS_YSCALAR ? e->value : cfg_type_name(e));
        return false;
    }
    if (*out < ex->lo || *out > ex->hi) {
        js_cfg_error(c, e, hint, "list element: value %s is out of range", e->value);
        return false;
    }
    return true;
}

int js_cfg_double_list(struct js_cfg *c, struct js_ynode *map, const char *key, const double *def,
                       int ndef, int max, double lo, double hi, const char *unit, double *out)
{
    char text[1024];
    struct js_ynode *n = js_cfg_child(c, map, key);
    if (!n) {
        if (ndef > 0)
            memcpy(out, def, (size_t)ndef * sizeof(double));
        cfg_fmt_list(def, ndef, text, sizeof(text));
        cfg_record_default(c, map, key, text, unit);
        return ndef;
    }
    js_ytree_mark_used(n);
    if (n->type != JS_YSEQ) {
        js_cfg_error(c, n, "write a list such as [1, 0.5]", "expected a list of numbers, got %s",
                     cfg_type_name(n));
        if (ndef > 0)
            memcpy(out, def, (size_t)ndef * sizeof(double));
        return ndef;
    }
    if (n->nchildren > max) {
        js_cfg_error(c, n, "shorten the list", "a list of at most %d numbers, got %d", max,
                     (int)n->nchildren);
        if (ndef > 0)
            memcpy(out, def, (size_t)ndef * sizeof(double));
        return ndef;
    }
    struct cfg_expect ex = {lo, hi, unit, false};
    int k = 0;
    bool ok = true;
    for (const struct js_ynode *e = n->first; e; e = e->next)
        ok = cfg_list_element(c, e, &ex, &out[k++]) && ok;
    if (!ok) {
        if (ndef > 0)
            memcpy(out, def, (size_t)ndef * sizeof(double));
        return ndef;
    }
    cfg_fmt_list(out, k, text, sizeof(text));
    cfg_record_node(c, map, key, n, text, unit);
    return k;
}

bool js_cfg_bool(struct js_cfg *c, struct js_ynode *map, const char *key, bool def)
{
    bool bad;
    struct js_ynode *n = cfg_scalar(c, map, key, "true or false", &bad);
    if (!n) {
        if (!bad)
            cfg_record_default(c, map, key, def ? "true" : "false", "-");
        return def;
    }
    const char *v = n->value;
    bool t = !strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE");
    bool f = !strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "FALSE");
    if (n->quoted && (t || f)) {
        js_cfg_error(c, n, "remove the quotes",
                     "expected true or false, got the quoted string \"%s\"", v);
        return def;
    }
    if (n->quoted || (!t && !f)) {
        js_cfg_error(c, n, "write true or false (YAML 1.2: yes/no/on/off are strings)",
                     "expected true or false, got \"%s\"", v);
        return def;
    }
    cfg_record_node(c, map, key, n, t ? "true" : "false", "-");
    return t;
}

const char *js_cfg_string(struct js_cfg *c, struct js_ynode *map, const char *key, const char *def)
{
    bool bad;
    struct js_ynode *n = cfg_scalar(c, map, key, "a text", &bad);
    if (!n) {
        if (!bad && def)
            cfg_record_default(c, map, key, def, "-");
        return def;
    }
    cfg_record_node(c, map, key, n, n->value, "-");
    return n->value;
}

const char *js_cfg_string_req(struct js_cfg *c, struct js_ynode *map, const char *key)
{
    bool bad;
    struct js_ynode *n = cfg_scalar(c, map, key, "a text", &bad);
    if (!n) {
        if (!bad && map)
            js_cfg_missing(c, map, key, "a text");
        return NULL;
    }
    cfg_record_node(c, map, key, n, n->value, "-");
    return n->value;
}

/**
 * @brief The largest edit distance at which @p s may be a typo of another word: one for
 * words of up to three letters ("xia" is not a typo of "jin"), else one per three letters
 * plus one (a swap of two letters is two edits: "raod" for "road"), at most three.
 * @param s the word given
 */
static int cfg_typo_limit(const char *s)
{
    int len = (int)strlen(s);
    if (len <= 3)
        return 1;
    int limit = len / 3 + 1;
    return limit < 3 ? limit : 3;
}

/**
 * @brief The closest word of a list to @p s, if close enough to be a typo.
 * @param s the word given
 * @param names candidates
 * @param n how many
 */
static const char *cfg_closest(const char *s, const char *const *names, int n)
{
    const char *best = NULL;
    int bestd = 1000;
    for (int i = 0; i < n; i++) {
        int d = js_edit_distance(s, names[i]);
        if (d < bestd) {
            bestd = d;
            best = names[i];
        }
    }
    return bestd <= cfg_typo_limit(s) ? best : NULL;
}

/**
 * @brief "one of: a, b, c".
 * @param names words
 * @param n how many
 * @param buf output
 * @param len its size
 */
static void cfg_enum_text(const char *const *names, int n, char *buf, size_t len)
{
    size_t off = (size_t)snprintf(buf, len, "one of: ");
    for (int i = 0; i < n && off < len; i++)
        off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", names[i]);
}

int js_cfg_enum(struct js_cfg *c, struct js_ynode *map, const char *key, const char *const *names,
                int n, int def)
{
    char what[600];
    struct js_ynode *nd = js_cfg_child(c, map, key);
    bool bad = false;
    if (nd && (nd->type != JS_YSCALAR || js_ytree_is_null(nd))) {
        cfg_enum_text(names, n, what, sizeof(what));
        nd = cfg_scalar(c, map, key, what, &bad);
    }
    if (!nd) {
        if (!bad && def < 0 && map) {
            cfg_enum_text(names, n, what, sizeof(what));
            js_cfg_missing(c, map, key, what);
        }
        if (!bad && def >= 0)
            cfg_record_default(c, map, key, names[def], "-");
        return def;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(nd->value, names[i]) == 0) {
            cfg_record_node(c, map, key, nd, nd->value, "-");
            return i;
        }
    cfg_enum_text(names, n, what, sizeof(what));
    const char *close = cfg_closest(nd->value, names, n);
    char hint[700];
    if (close)
        snprintf(hint, sizeof(hint), "did you mean '%s'?", close);
    else
        snprintf(hint, sizeof(hint), "use %s", what);
    js_cfg_error(c, nd, hint, "expected %s; got \"%s\"", what, nd->value);
    return def;
}

bool js_cfg_date(struct js_cfg *c, struct js_ynode *map, const char *key, enum js_calendar cal,
                 struct js_date *out, bool required)
{
    bool bad;
    struct js_ynode *n = cfg_scalar(c, map, key, "a date YYYY-MM-DD", &bad);
    if (!n) {
        if (!bad && required && map)
            js_cfg_missing(c, map, key, "a date YYYY-MM-DD");
        return false;
    }
    if (js_calendar_parse(n->value, out) != 0) {
        js_cfg_error(c, n, "write the date as YYYY-MM-DD with a four-digit year, e.g. 1126-01-18",
                     "expected a date YYYY-MM-DD, got \"%s\"", n->value);
        return false;
    }
    if (!js_calendar_valid(cal, *out)) {
        js_cfg_error(c, n, "check the month and the day (months have 28-31 days)",
                     "%s is not a date in the %s calendar", n->value, js_calendar_name(cal));
        return false;
    }
    cfg_record_node(c, map, key, n, n->value, "date");
    return true;
}

int32_t js_cfg_ref(struct js_cfg *c, struct js_ynode *map, const char *key,
                   const struct js_idmap *ids, const char *what, const char *section, bool required)
{
    char expect[128];
    snprintf(expect, sizeof(expect), "the id of a %s in %s", what, section);
    bool bad;
    struct js_ynode *n = cfg_scalar(c, map, key, expect, &bad);
    if (!n) {
        if (!bad && required && map)
            js_cfg_missing(c, map, key, expect);
        return -1;
    }
    int32_t idx = js_idmap_get(ids, n->value);
    if (idx < 0) {
        const char *best = NULL;
        int bestd = 1000;
        for (size_t i = 0; i < ids->cap; i++) {
            if (!ids->keys[i])
                continue;
            int d = js_edit_distance(n->value, ids->keys[i]);
            if (d < bestd || (d == bestd && best && strcmp(ids->keys[i], best) < 0)) {
                bestd = d;
                best = ids->keys[i];
            }
        }
        char hint[256];
        if (best && bestd <= cfg_typo_limit(n->value))
            snprintf(hint, sizeof(hint), "did you mean '%s'? (or declare '%s' in %s)", best,
                     n->value, section);
        else
            snprintf(hint, sizeof(hint), "declare '%s' in %s, or name an existing %s", n->value,
                     section, what);
        js_cfg_error(c, n, hint, "no %s '%s' in %s", what, n->value, section);
        return -1;
    }
    cfg_record_node(c, map, key, n, n->value, "-");
    return idx;
}

bool js_cfg_valid_id(const char *s)
{
    if (!s[0] || !isalnum((unsigned char)s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

bool js_cfg_entity_exists(struct js_cfg *c, struct js_ynode *entity, const char *what)
{
    if (!entity->set_created)
        return true;
    char path[CFG_PATH];
    js_ytree_path(entity, path, sizeof(path));
    js_diag_add(c->diag, entity->file, 0, 0, path,
                "--set changes values of entities that exist; add a new entity in a scenario file",
                "there is no %s '%s' in the scenario", what, entity->key);
    return false;
}

/**
 * @brief Reports the unknown keys under one map.
 * @param c reader
 * @param map the map
 * @return how many
 */
static int cfg_unknown_in(struct js_cfg *c, struct js_ynode *map)
{
    int count = 0;
    for (struct js_ynode *ch = map->first; ch; ch = ch->next) {
        if (map->type == JS_YMAP && !ch->used) {
            const char *best = cfg_closest(ch->key, map->queried, map->nqueried);
            char hint[1024];
            if (best) {
                snprintf(hint, sizeof(hint), "did you mean '%s'?", best);
            } else if (map->nqueried) {
                size_t off = (size_t)snprintf(hint, sizeof(hint), "remove it; known keys here: ");
                for (uint16_t i = 0; i < map->nqueried && off < sizeof(hint); i++)
                    off += (size_t)snprintf(hint + off, sizeof(hint) - off, "%s%s", i ? ", " : "",
                                            map->queried[i]);
            } else {
                snprintf(hint, sizeof(hint), "remove it (see docs/CONFIG.md for the keys)");
            }
            char path[CFG_PATH];
            js_ytree_path(ch, path, sizeof(path));
            int line = ch->key_line ? ch->key_line : ch->line;
            int col = ch->key_line ? ch->key_col : ch->col;
            js_diag_add(c->diag, ch->file, line, col, path, hint, "unknown key '%s'", ch->key);
            count++;
            continue;
        }
        if (ch->type == JS_YMAP || ch->type == JS_YSEQ)
            count += cfg_unknown_in(c, ch);
    }
    return count;
}

int js_cfg_check_unknown(struct js_cfg *c)
{
    return c->root ? cfg_unknown_in(c, c->root) : 0;
}

/* ---------------------------------------------------------------- loading */

/** @brief The files being loaded through `extends:`, outermost first (cycle detection). */
struct cfg_chain {
    char *real[17];       /**< realpaths */
    const char *path[17]; /**< paths as opened, for messages */
};

/**
 * @brief Reports an `extends:` cycle, naming every file of the loop.
 * @param c reader
 * @param via the extends naming the file that closes the loop
 * @param chain files being loaded
 * @param from index in @p chain of the file extended again
 * @param depth entries in @p chain
 */
static void cfg_cycle_error(struct js_cfg *c, const struct js_ynode *via,
                            const struct cfg_chain *chain, int from, int depth)
{
    char loop[1024];
    size_t off = 0;
    loop[0] = '\0';
    for (int i = from; i < depth && off < sizeof(loop); i++)
        off += (size_t)snprintf(loop + off, sizeof(loop) - off, "%s -> ",
                                cfg_relative(c, chain->path[i]));
    if (off < sizeof(loop))
        snprintf(loop + off, sizeof(loop) - off, "%s", cfg_relative(c, chain->path[from]));
    js_cfg_error(c, via, "remove the extends that closes the loop", "extends cycle: %s", loop);
}

/**
 * @brief Loads a file and, recursively, the file it extends.
 * @param c reader
 * @param path the file
 * @param chain files being loaded (for cycle detection)
 * @param depth entries in @p chain
 * @param via the node naming this file in the extending file (NULL for the main file)
 * @return the merged root, or NULL
 */
static struct js_ynode *cfg_load(struct js_cfg *c, const char *path, struct cfg_chain *chain,
                                 int depth, const struct js_ynode *via)
{
    if (depth >= 16) {
        js_cfg_error(c, via, "flatten the chain of extends", "more than 16 nested extends");
        return NULL;
    }
    char *real = realpath(path, NULL);
    struct stat st;
    if (via && (!real || stat(real, &st) != 0)) {
        js_cfg_error(c, via, "give a path relative to the file that extends it",
                     "cannot read the extended file '%s': %s", via->value, strerror(errno));
        free(real);
        return NULL;
    }
    if (via && !S_ISREG(st.st_mode)) {
        js_cfg_error(c, via, "name a scenario file (.yaml)",
                     "cannot read the extended file '%s': it is %s", via->value,
                     S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        free(real);
        return NULL;
    }
    for (int i = 0; real && i < depth; i++) {
        if (strcmp(chain->real[i], real) == 0) {
            cfg_cycle_error(c, via, chain, i, depth);
            free(real);
            return NULL;
        }
    }
    struct js_ynode *root;
    if (js_ytree_parse_file(&c->doc, path, &root, c->diag) != 0) {
        free(real);
        return NULL;
    }
    chain->real[depth] = real;
    chain->path[depth] = path;
    struct js_ynode *ext = js_ytree_get(root, "extends");
    if (!ext) {
        free(real);
        return root;
    }
    struct js_ynode *result = NULL;
    if (ext->type != JS_YSCALAR || js_ytree_is_null(ext)) {
        js_cfg_error(c, ext, "write extends: base.yaml (a path relative to this file)",
                     "expected the path of a scenario file to extend, got %s",
                     ext->type == JS_YMAP   ? "a map"
                     : ext->type == JS_YSEQ ? "a list"
                                            : "no value");
    } else {
        char *dir = cfg_dirname(path);
        char *base_path = cfg_join(dir, ext->value);
        struct js_ynode *base = cfg_load(c, base_path, chain, depth + 1, ext);
        free(base_path);
        free(dir);
        if (base) {
            js_ytree_remove(root, ext);
            js_ytree_merge(base, root);
            result = base;
        }
    }
    free(real);
    return result;
}

/**
 * @brief Checks the key path of a --set argument: keys joined by dots.
 * @param c reader
 * @param label the argument, as the errors' file
 * @param path the key path
 * @return 0 or -1 (reported)
 */
static int cfg_check_set_path(struct js_cfg *c, const char *label, const char *path)
{
    const char *s = path;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (len == 0) {
            js_diag_add(c->diag, label, 0, 0, path,
                        "a key path is keys joined by single dots, e.g. places.kaifeng.lat",
                        "bad --set path '%s': empty key %s", path,
                        s == path ? "at the start"
                        : dot     ? "between two dots"
                                  : "at the end");
            return -1;
        }
        for (size_t i = 0; i < len; i++) {
            if (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')
                continue;
            js_diag_add(c->diag, label, 0, 0, path,
                        "keys use letters, digits, '_' and '-', joined by dots, e.g. scenario.seed",
                        "bad --set path '%s': '%.*s' is not a key", path, (int)len, s);
            return -1;
        }
        if (!dot)
            return 0;
        s = dot + 1;
    }
}

/**
 * @brief Parses the value of a --set argument; its syntax errors are reported against the
 * argument (the positions inside a one-line value mean nothing to the user).
 * @param c reader
 * @param label the argument
 * @param path its key path
 * @param value the text after '='
 * @return the value's node, or NULL (reported)
 */
static struct js_ynode *cfg_parse_set_value(struct js_cfg *c, const char *label, const char *path,
                                            const char *value)
{
    struct js_diag tmp = {0};
    struct js_ynode *v = NULL;
    if (js_ytree_parse_string(&c->doc, value, strlen(value), label, &v, &tmp) != 0) {
        for (size_t i = 0; i < tmp.n; i++) {
            const char *msg = tmp.items[i].msg;
            if (!value[0])
                js_diag_add(c->diag, label, 0, 0, path,
                            "give a value after '=', e.g. --set places.kaifeng.walls.strength=0.8",
                            "no value after '='");
            else
                js_diag_add(c->diag, label, 0, 0, path,
                            "quote texts that hold YAML punctuation, e.g. --set 'key=\"a: b\"'",
                            "the value '%s' is not valid YAML: %s", value,
                            strncmp(msg, "YAML syntax error: ", 19) == 0 ? msg + 19 : msg);
        }
        v = NULL;
    }
    js_diag_free(&tmp);
    return v;
}

/**
 * @brief Applies one --set argument.
 * @param c reader
 * @param arg "path=value"
 * @return 0 or -1
 */
static int cfg_apply_set(struct js_cfg *c, const char *arg)
{
    char tmp[CFG_PATH + 64];
    snprintf(tmp, sizeof(tmp), "--set %s", arg);
    const char *label = js_ydoc_strdup(&c->doc, tmp);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        js_diag_add(c->diag, label, 0, 0, NULL,
                    "write --set key.path=value, e.g. --set places.kaifeng.walls.strength=0.8",
                    eq ? "no key path before '='" : "expected key.path=value (no '=' found)");
        return -1;
    }
    size_t plen = (size_t)(eq - arg);
    char path[CFG_PATH];
    if (plen >= sizeof(path)) {
        js_diag_add(c->diag, label, 0, 0, NULL, "shorten the key path",
                    "the key path is longer than %d characters", CFG_PATH - 1);
        return -1;
    }
    memcpy(path, arg, plen);
    path[plen] = '\0';
    if (cfg_check_set_path(c, label, path) != 0)
        return -1;
    const char *value = eq + 1;
    struct js_ynode *v = cfg_parse_set_value(c, label, path, value);
    if (!v)
        return -1;
    struct js_ynode *target = c->root;
    for (const char *s = path; target;) {
        const char *dot = strchr(s, '.');
        char key[CFG_PATH];
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        snprintf(key, sizeof(key), "%.*s", (int)len, s);
        target = js_ytree_get(target, key);
        if (!dot)
            break;
        s = dot + 1;
    }
    if (target && target->type == JS_YMAP && v->type != JS_YMAP) {
        js_diag_add(c->diag, label, 0, 0, path,
                    "set one of its keys (--set PATH.KEY=VALUE), or give a whole map "
                    "(--set 'PATH={key: value}')",
                    "bad --set value: %s is a map, and '%s' is %s", path, value,
                    v->type == JS_YSEQ ? "a list" : "a single value");
        return -1;
    }
    const char *old;
    if (js_ytree_set(&c->doc, c->root, path, v, &old) != 0) {
        js_diag_add(c->diag, label, 0, 0, path, "name a key inside a map",
                    "bad --set path '%s': it runs through %s", path, old);
        return -1;
    }
    char *line =
        old ? js_xasprintf("value of %s changed from %s to %s", path, old, value)
            : js_xasprintf("value of %s set to %s (not in the scenario files)", path, value);
    c->set_log = js_xrealloc(c->set_log, (c->nset_log + 1) * sizeof(char *));
    c->set_log[c->nset_log++] = line;
    return 0;
}

int js_cfg_open(struct js_cfg *c, const char *path, const char *const *sets, int nsets,
                struct js_diag *d)
{
    c->diag = d;
    c->main_path = js_xstrdup(path);
    c->main_dir = cfg_dirname(path);
    struct cfg_chain chain;
    memset(&chain, 0, sizeof(chain));
    c->root = cfg_load(c, path, &chain, 0, NULL);
    if (!c->root)
        return -1;
    int rc = 0;
    for (int i = 0; i < nsets; i++)
        if (cfg_apply_set(c, sets[i]) != 0)
            rc = -1;
    return rc;
}

/**
 * @brief Frees the queried-key arrays, which live outside the arena.
 * @param n a node
 */
static void cfg_free_queries(struct js_ynode *n)
{
    free(n->queried);
    n->queried = NULL;
    for (struct js_ynode *ch = n->first; ch; ch = ch->next)
        if (ch->type != JS_YSCALAR)
            cfg_free_queries(ch);
}

void js_cfg_close(struct js_cfg *c)
{
    for (size_t i = 0; i < c->nparams; i++) {
        free(c->params[i].key);
        free(c->params[i].value);
        free(c->params[i].unit);
        free(c->params[i].source);
    }
    free(c->params);
    for (size_t i = 0; i < c->nset_log; i++)
        free(c->set_log[i]);
    free(c->set_log);
    if (c->root)
        cfg_free_queries(c->root);
    js_ydoc_free(&c->doc);
    free(c->main_path);
    free(c->main_dir);
    memset(c, 0, sizeof(*c));
}
