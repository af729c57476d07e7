/**
 * @file sweep.c
 * @brief The sweep file: sections sweep, parameters and points, read with the typed getters.
 */

/* system headers */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* local headers */
#include "jinsong/config.h"
#include "jinsong/fsutil.h"
#include "jinsong/sweep.h"
#include "jinsong/util.h"

/** @brief Largest magnitude of a swept value. */
#define SWEEP_HUGE 1e300

static const char *const design_names[JS_NDESIGN_KINDS] = {"grid",  "list",     "lhs",
                                                           "sobol", "saltelli", "replicates"};

const char *js_design_kind_name(enum js_design_kind k)
{
    return (unsigned)k < JS_NDESIGN_KINDS ? design_names[k] : "?";
}

void js_sweep_format_value(double v, char *buf, unsigned len)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, len, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/**
 * @brief A number written as a plain YAML scalar (strict: no quotes, no trailing text).
 * @param c reader
 * @param n the node
 * @param out the value
 * @return true if it is one (else an error is reported)
 */
static bool sweep_number(struct js_cfg *c, struct js_ynode *n, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = n->type == JS_YSCALAR && !n->quoted ? strtod(n->value, &end) : NAN;
    bool hex = n->type == JS_YSCALAR && strpbrk(n->value, "xXnN") != NULL;
    if (n->type != JS_YSCALAR || n->quoted || !n->value[0] || *end || errno || hex ||
        !isfinite(v) || fabs(v) > SWEEP_HUGE) {
        js_cfg_error(c, n, "write a plain number, e.g. 0.035", "expected a number, got %s%s%s",
                     n->type == JS_YSCALAR ? "\"" : "",
                     n->type == JS_YSCALAR ? n->value
                     : n->type == JS_YMAP  ? "a map"
                                           : "a list",
                     n->type == JS_YSCALAR ? "\"" : "");
        return false;
    }
    *out = v;
    return true;
}

/**
 * @brief Reads `values: [..]` of a grid parameter.
 * @param c reader
 * @param pm the parameter's map
 * @param p the parameter
 */
static void sweep_read_values(struct js_cfg *c, struct js_ynode *pm, struct js_sweep_param *p)
{
    struct js_ynode *seq = js_cfg_child(c, pm, "values");
    js_ytree_mark_used(seq);
    if (seq->type != JS_YSEQ || seq->nchildren == 0) {
        js_cfg_error(c, seq, "write a list of numbers, e.g. values: [0.03, 0.04]",
                     "expected a non-empty list of numbers");
        return;
    }
    p->values = js_xcalloc((size_t)seq->nchildren, sizeof(double));
    for (struct js_ynode *v = seq->first; v; v = v->next)
        if (sweep_number(c, v, &p->values[p->nvalues]))
            p->nvalues++;
}

/**
 * @brief Reads `from`, `to` and `n` (evenly spaced, both ends included) or `step`.
 * @param c reader
 * @param pm the parameter's map
 * @param p the parameter
 */
static void sweep_read_range(struct js_cfg *c, struct js_ynode *pm, struct js_sweep_param *p)
{
    double from = js_cfg_double_req(c, pm, "from", -SWEEP_HUGE, SWEEP_HUGE, "-");
    double to = js_cfg_double_req(c, pm, "to", -SWEEP_HUGE, SWEEP_HUGE, "-");
    int64_t n = 0;
    if (js_ytree_get(pm, "step")) {
        double step = js_cfg_double_req(c, pm, "step", -SWEEP_HUGE, SWEEP_HUGE, "-");
        double span = (to - from) / step;
        if (!(step != 0) || span < 0 || !(span < JS_SWEEP_MAX_MEMBERS)) {
            js_cfg_error(c, js_ytree_get(pm, "step"),
                         "give a step of the sign of to - from, not too small",
                         "step %g does not lead from %g to %g", step, from, to);
            return;
        }
        n = (int64_t)floor(span * (1 + 1e-12)) + 1;
        p->values = js_xcalloc((size_t)n, sizeof(double));
        for (p->nvalues = 0; p->nvalues < n; p->nvalues++)
            p->values[p->nvalues] = from + (double)p->nvalues * step;
        return;
    }
    n = js_cfg_int_req(c, pm, "n", 2, JS_SWEEP_MAX_MEMBERS, "-");
    if (n < 2)
        return;
    p->values = js_xcalloc((size_t)n, sizeof(double));
    for (p->nvalues = 0; p->nvalues < n; p->nvalues++) {
        double t = (double)p->nvalues / (double)(n - 1);
        p->values[p->nvalues] = from * (1 - t) + to * t;
    }
}

/**
 * @brief Sets lower and upper to the least and greatest values; checks integers.
 * @param c reader
 * @param pm the parameter's map
 * @param p the parameter
 */
static void sweep_value_range(struct js_cfg *c, struct js_ynode *pm, struct js_sweep_param *p)
{
    p->lower = INFINITY;
    p->upper = -INFINITY;
    for (int32_t i = 0; i < p->nvalues; i++) {
        if (p->integer && p->values[i] != floor(p->values[i])) {
            js_cfg_error(c, pm, "give whole numbers, or remove integer: true",
                         "value %g of an integer parameter is not a whole number", p->values[i]);
            return;
        }
        p->lower = fmin(p->lower, p->values[i]);
        p->upper = fmax(p->upper, p->values[i]);
    }
}

/**
 * @brief Reads one parameter: grid values or a range, as the design wants.
 * @param c reader
 * @param s the sweep (its kind)
 * @param map the parameters map
 * @param key the parameter's key path
 * @param p the parameter
 */
static void sweep_read_param(struct js_cfg *c, const struct js_sweep *s, struct js_ynode *map,
                             const char *key, struct js_sweep_param *p)
{
    struct js_ynode *pm = js_cfg_map(c, map, key);
    p->key = js_xstrdup(key);
    char where[512];
    js_cfg_source(c, js_ytree_get(map, key), where, sizeof(where));
    p->where = js_xstrdup(where);
    if (!pm)
        return;
    p->integer = js_cfg_bool(c, pm, "integer", false);
    if (s->kind == JS_DESIGN_GRID) {
        if (js_ytree_get(pm, "values"))
            sweep_read_values(c, pm, p);
        else if (js_ytree_get(pm, "from") || js_ytree_get(pm, "to"))
            sweep_read_range(c, pm, p);
        else
            js_cfg_error(c, pm, "give values: [..], or from and to with n or step",
                         "a grid parameter needs its values");
        sweep_value_range(c, pm, p);
        return;
    }
    p->lower = js_cfg_double_req(c, pm, "lower", -SWEEP_HUGE, SWEEP_HUGE, "-");
    p->upper = js_cfg_double_req(c, pm, "upper", -SWEEP_HUGE, SWEEP_HUGE, "-");
    if (js_ytree_get(pm, "lower") && js_ytree_get(pm, "upper") && !(p->lower < p->upper))
        js_cfg_error(c, js_ytree_get(pm, "upper"), "make upper greater than lower",
                     "upper %g is not greater than lower %g", p->upper, p->lower);
}

/**
 * @brief Reads the parameters section (grid, lhs, sobol, saltelli).
 * @param c reader
 * @param root the file's root map
 * @param s the sweep
 */
static void sweep_read_params(struct js_cfg *c, struct js_ynode *root, struct js_sweep *s)
{
    struct js_ynode *map = js_cfg_map(c, root, "parameters");
    if (!map)
        return;
    if (map->nchildren == 0) {
        js_cfg_error(c, map->implicit ? root : map,
                     "add parameters: {key.path: {...}}, or use design: replicates",
                     "a %s design needs at least one parameter", js_design_kind_name(s->kind));
        return;
    }
    s->params = js_xcalloc((size_t)map->nchildren, sizeof(*s->params));
    for (struct js_ynode *n = map->first; n; n = n->next)
        sweep_read_param(c, s, map, n->key, &s->params[s->nparams++]);
}

/**
 * @brief Reads the points of a list design; the parameters are the first point's keys.
 * @param c reader
 * @param root the file's root map
 * @param s the sweep
 */
static void sweep_read_points(struct js_cfg *c, struct js_ynode *root, struct js_sweep *s)
{
    struct js_ynode *seq = js_cfg_child(c, root, "points");
    if (!seq || seq->type != JS_YSEQ || seq->nchildren == 0 || seq->first->type != JS_YMAP ||
        seq->first->nchildren == 0) {
        js_cfg_error(c, seq ? seq : root, "write points: [{key.path: value, ...}, ...]",
                     "a list design needs a non-empty list of points");
        js_ytree_mark_used(seq);
        return;
    }
    js_ytree_mark_used(seq);
    s->nparams = seq->first->nchildren;
    s->params = js_xcalloc((size_t)s->nparams, sizeof(*s->params));
    int k = 0;
    for (struct js_ynode *n = seq->first->first; n; n = n->next, k++) {
        s->params[k].key = js_xstrdup(n->key);
        char where[512];
        js_cfg_source(c, n, where, sizeof(where));
        s->params[k].where = js_xstrdup(where);
        s->params[k].lower = INFINITY;
        s->params[k].upper = -INFINITY;
    }
    s->points = js_xcalloc((size_t)seq->nchildren * (size_t)s->nparams, sizeof(double));
    for (struct js_ynode *pt = seq->first; pt; pt = pt->next, s->npoints++) {
        for (k = 0; k < s->nparams; k++) {
            struct js_ynode *v = pt->type == JS_YMAP ? js_ytree_get(pt, s->params[k].key) : NULL;
            double x = 0;
            if (!v)
                js_cfg_error(c, pt, "give every point the same keys as the first",
                             "this point lacks %s", s->params[k].key);
            else if (sweep_number(c, v, &x)) {
                s->points[(size_t)s->npoints * (size_t)s->nparams + (size_t)k] = x;
                s->params[k].lower = fmin(s->params[k].lower, x);
                s->params[k].upper = fmax(s->params[k].upper, x);
            }
        }
        if (pt->type == JS_YMAP && pt->nchildren != s->nparams)
            js_cfg_error(c, pt, "give every point the same keys as the first",
                         "this point has %d values, the first has %d", (int)pt->nchildren,
                         s->nparams);
    }
}

/**
 * @brief Reads `sweep.set`: fixed changes applied to every member as --set.
 * @param c reader
 * @param sw the sweep map
 * @param s the sweep
 */
static void sweep_read_set(struct js_cfg *c, struct js_ynode *sw, struct js_sweep *s)
{
    struct js_ynode *m = js_cfg_child(c, sw, "set");
    if (!m)
        return;
    js_ytree_mark_used(m);
    if (m->type != JS_YMAP) {
        js_cfg_error(c, m, "write set: {key.path: value, ...}", "expected a map");
        return;
    }
    s->sets = js_xcalloc((size_t)(m->nchildren ? m->nchildren : 1), sizeof(char *));
    for (struct js_ynode *n = m->first; n; n = n->next) {
        if (n->type != JS_YSCALAR || !n->value[0]) {
            js_cfg_error(c, n, "give one value per key", "expected a single value");
            continue;
        }
        s->sets[s->nsets++] = n->quoted ? js_xasprintf("%s=\"%s\"", n->key, n->value)
                                        : js_xasprintf("%s=%s", n->key, n->value);
    }
}

/**
 * @brief Reads the sweep section.
 * @param c reader
 * @param root the file's root map
 * @param s the sweep
 */
static void sweep_read_main(struct js_cfg *c, struct js_ynode *root, struct js_sweep *s)
{
    if (!js_ytree_get(root, "sweep"))
        js_cfg_missing(c, root, "sweep", "a map with name, scenario, seed and design");
    struct js_ynode *sw = js_cfg_map(c, root, "sweep");
    const char *name = js_cfg_string_req(c, sw, "name");
    if (name && !js_cfg_valid_id(name))
        js_cfg_error(c, js_ytree_get(sw, "name"), "use letters, digits, '_' and '-'",
                     "sweep name \"%s\" is not a valid id", name);
    s->name = js_xstrdup(name ? name : "sweep");
    const char *scen = js_cfg_string_req(c, sw, "scenario");
    if (scen) {
        char *dir = js_path_dirname(s->path);
        s->scenario =
            scen[0] == '/' || !strcmp(dir, ".") ? js_xstrdup(scen) : js_path_join(dir, scen);
        free(dir);
        if (access(s->scenario, R_OK) != 0)
            js_cfg_error(c, js_ytree_get(sw, "scenario"),
                         "give the scenario's path relative to the sweep file",
                         "cannot read the scenario %s: %s", s->scenario, strerror(errno));
    }
    s->seed = (uint32_t)js_cfg_int_req(c, sw, "seed", 0, UINT32_MAX, "-");
    s->replicates = (int32_t)js_cfg_int(c, sw, "replicates", 1, 1, JS_SWEEP_MAX_MEMBERS, "-");
    s->kind = (enum js_design_kind)js_cfg_enum(c, sw, "design", design_names, JS_NDESIGN_KINDS, -1);
    bool sampled =
        s->kind == JS_DESIGN_LHS || s->kind == JS_DESIGN_SOBOL || s->kind == JS_DESIGN_SALTELLI;
    if (sampled)
        s->samples = (int32_t)js_cfg_int_req(c, sw, "samples", 1, JS_SWEEP_MAX_MEMBERS, "-");
    else if (js_ytree_get(sw, "samples")) {
        js_ytree_mark_used(js_ytree_get(sw, "samples"));
        js_cfg_error(c, js_ytree_get(sw, "samples"), "remove it",
                     "samples applies to lhs, sobol and saltelli designs, not %s",
                     js_design_kind_name(s->kind));
    }
    sweep_read_set(c, sw, s);
}

/**
 * @brief Checks what spans sections: dimensions of Sobol designs, the number of members,
 * parameters also fixed by set.
 * @param c reader
 * @param root the file's root map
 * @param s the sweep
 */
static void sweep_check(struct js_cfg *c, struct js_ynode *root, struct js_sweep *s)
{
    struct js_ynode *design = js_ytree_get(js_ytree_get(root, "sweep"), "design");
    if (s->kind == JS_DESIGN_SOBOL && s->nparams > JS_SWEEP_SOBOL_MAX_DIMS)
        js_cfg_error(c, design, "vary at most 40 parameters, or use design: lhs",
                     "a sobol design takes at most %d parameters (GSL's Sobol sequence has %d "
                     "dimensions); this one has %d",
                     JS_SWEEP_SOBOL_MAX_DIMS, JS_SWEEP_SOBOL_MAX_DIMS, s->nparams);
    if (s->kind == JS_DESIGN_SALTELLI && s->nparams > JS_SWEEP_SALTELLI_MAX_PARAMS)
        js_cfg_error(c, design, "vary at most 20 parameters (screen the others out first)",
                     "a saltelli design takes at most %d parameters (A and B take 2 x %d of "
                     "GSL's %d Sobol dimensions); this one has %d",
                     JS_SWEEP_SALTELLI_MAX_PARAMS, s->nparams, JS_SWEEP_SOBOL_MAX_DIMS, s->nparams);
    double points = s->kind == JS_DESIGN_GRID         ? 1
                    : s->kind == JS_DESIGN_LIST       ? s->npoints
                    : s->kind == JS_DESIGN_REPLICATES ? 1
                    : s->kind == JS_DESIGN_SALTELLI   ? (double)s->samples * (s->nparams + 2)
                                                      : s->samples;
    for (int k = 0; s->kind == JS_DESIGN_GRID && k < s->nparams; k++)
        points *= s->params[k].nvalues;
    if (points * s->replicates > JS_SWEEP_MAX_MEMBERS)
        js_cfg_error(c, design, "use fewer points or replicates, or split the sweep",
                     "the sweep has %.0f members, more than the %d allowed", points * s->replicates,
                     JS_SWEEP_MAX_MEMBERS);
    for (int i = 0; i < s->nsets; i++)
        for (int k = 0; k < s->nparams; k++) {
            size_t n = strlen(s->params[k].key);
            if (!strncmp(s->sets[i], s->params[k].key, n) && s->sets[i][n] == '=')
                js_cfg_error(c, js_ytree_get(js_ytree_get(root, "sweep"), "set"),
                             "remove it from set (it is varied)", "%s is both varied and set",
                             s->params[k].key);
        }
}

int js_sweep_load(struct js_sweep *s, const char *path, struct js_diag *d)
{
    memset(s, 0, sizeof(*s));
    s->path = js_xstrdup(path);
    struct js_cfg c;
    memset(&c, 0, sizeof(c));
    size_t before = d->n;
    if (js_cfg_open(&c, path, NULL, 0, d) != 0 || !c.root) {
        js_cfg_close(&c);
        js_sweep_free(s);
        return -1;
    }
    sweep_read_main(&c, c.root, s);
    if (s->kind == JS_DESIGN_LIST)
        sweep_read_points(&c, c.root, s);
    else if (s->kind != JS_DESIGN_REPLICATES)
        sweep_read_params(&c, c.root, s);
    else if (js_ytree_get(c.root, "parameters")) {
        js_ytree_mark_used(js_ytree_get(c.root, "parameters"));
        js_cfg_error(&c, js_ytree_get(c.root, "parameters"), "remove it, or choose another design",
                     "a replicates design varies no parameter");
    }
    if (d->n == before)
        sweep_check(&c, c.root, s);
    js_cfg_check_unknown(&c);
    js_cfg_close(&c);
    if (d->n > before) {
        js_diag_sort(d);
        js_sweep_free(s);
        return -1;
    }
    return 0;
}

void js_sweep_free(struct js_sweep *s)
{
    free(s->path);
    free(s->name);
    free(s->scenario);
    for (int k = 0; k < s->nparams; k++) {
        free(s->params[k].key);
        free(s->params[k].values);
        free(s->params[k].where);
    }
    free(s->params);
    free(s->points);
    for (int i = 0; i < s->nsets; i++)
        free(s->sets[i]);
    free(s->sets);
    memset(s, 0, sizeof(*s));
}
