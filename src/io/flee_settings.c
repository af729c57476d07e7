/**
 * @file flee_settings.c
 * @brief FLEE's simsetting.yml (flee-rules.md §1.11): each key FLEE reads is mapped to a jinsong
 * parameter, or accepted at a value that changes nothing in the validation mode, or refused
 * with its line and column when it switches on a rule jinsong does not have. Unknown keys are
 * refused too (a typo in FLEE's file passes silently there; not here).
 */

/* system headers */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* local headers */
#include "flee_internal.h"
#include "jinsong/util.h"
#include "jinsong/ytree.h"

/** @brief How a key is read. */
enum fs_kind {
    FS_BOOL, /**< true/false (PyYAML also reads yes/no/on/off) */
    FS_NUM,  /**< a number */
    FS_INT,  /**< a whole number */
    FS_LIST, /**< a list of numbers, or null */
    FS_ANY,  /**< accepted whatever it holds (logging) */
};

/** @brief Marks a key that is not mapped: only the value `fixed` is accepted. */
#define FS_FIXED SIZE_MAX

/** @brief One key FLEE reads. */
struct fs_key {
    const char *section; /**< "spawn_rules", "move_rules", "optimisations" or "" (top level) */
    const char *key;     /**< the key */
    enum fs_kind kind;   /**< how it is read */
    size_t off;          /**< offset of its field in struct flee_settings, or FS_FIXED */
    double fixed;        /**< the only value accepted when not mapped (booleans 0/1) */
    double lo, hi;       /**< range of a mapped number */
    const char *why;     /**< what jinsong lacks when the value differs from `fixed` */
};

#define OFF(f) offsetof(struct flee_settings, f)

/** @brief Every key of FLEE's SimulationSettings.ReadFromYML (flee-rules.md §1.11). */
static const struct fs_key fs_keys[] = {
    {"", "number_of_steps", FS_INT, OFF(steps), 0, -1, 73050, NULL},
    {"", "log_levels", FS_ANY, FS_FIXED, 0, 0, 0, NULL},
    {"", "conflict_input_file", FS_ANY, FS_FIXED, 0, 0, 0, NULL},
    {"spawn_rules", "take_from_population", FS_BOOL, OFF(take_from_population), 0, 0, 1, NULL},
    {"spawn_rules", "insert_day0", FS_BOOL, OFF(insert_day0), 0, 0, 1, NULL},
    {"spawn_rules", "sum_from_camps", FS_BOOL, OFF(sum_from_camps), 0, 0, 1, NULL},
    {"spawn_rules", "conflict_spawn_decay", FS_LIST, OFF(decay), 0, 0, 1e6, NULL},
    {"spawn_rules", "conflict_spawn_decay_interval", FS_INT, OFF(decay_interval), 0, 1, 3650, NULL},
    {"spawn_rules", "empty_camps_on_day0", FS_BOOL, FS_FIXED, 0, 0, 0,
     "camps emptied of their day-0 refugees in the data"},
    {"spawn_rules", "conflict_zone_spawning_only", FS_BOOL, FS_FIXED, 1, 0, 0,
     "spawning outside conflict zones (FLEE gives them weight 0 anyway)"},
    {"spawn_rules", "flood_zone_spawning_only", FS_BOOL, FS_FIXED, 0, 0, 0,
     "flood-driven spawning"},
    {"spawn_rules", "camps_are_sinks", FS_BOOL, FS_FIXED, 0, 0, 0, "camps that deactivate agents"},
    {"spawn_rules", "camps_are_sicks", FS_BOOL, FS_FIXED, 0, 0, 0, "camps that deactivate agents"},
    {"spawn_rules", "read_from_agents_csv_file", FS_BOOL, FS_FIXED, 0, 0, 0, "agents.csv"},
    {"spawn_rules", "starvation_driven_spawning", FS_BOOL, FS_FIXED, 0, 0, 0,
     "IPC food-security spawning"},
    {"spawn_rules", "average_social_connectivity", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"spawn_rules", "conflict_driven_spawning", FS_ANY, FS_FIXED, NAN, 0, 0,
     "FLEE's conflict-driven spawning in the importer (write migration.spawn.mode: hazard)"},
    {"spawn_rules", "flood_driven_spawning", FS_ANY, FS_FIXED, NAN, 0, 0, "flood-driven spawning"},
    {"move_rules", "max_move_speed", FS_NUM, OFF(max_move_speed), 0, 0.1, 1000, NULL},
    {"move_rules", "max_walk_speed", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "max_crossing_speed", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "foreign_weight", FS_NUM, OFF(foreign_weight), 0, 0, 1000, NULL},
    {"move_rules", "camp_weight", FS_NUM, OFF(camp_weight), 0, 0, 1000, NULL},
    {"move_rules", "conflict_weight", FS_NUM, OFF(conflict_weight), 0, 0, 1, NULL},
    {"move_rules", "conflict_movechance", FS_NUM, OFF(conflict_movechance), 0, 0, 1, NULL},
    {"move_rules", "camp_movechance", FS_NUM, OFF(camp_movechance), 0, 0, 1, NULL},
    {"move_rules", "idpcamp_movechance", FS_NUM, OFF(idpcamp_movechance), 0, 0, 1, NULL},
    {"move_rules", "default_movechance", FS_NUM, OFF(default_movechance), 0, 0, 1, NULL},
    {"move_rules", "awareness_level", FS_INT, OFF(awareness), 0, 1, 3, NULL},
    {"move_rules", "capacity_buffer", FS_NUM, OFF(capacity_buffer), 0, 0, 1, NULL},
    {"move_rules", "capacity_scaling", FS_NUM, OFF(capacity_scaling), 0, 0.001, 1000, NULL},
    {"move_rules", "avoid_short_stints", FS_BOOL, OFF(avoid_short_stints), 0, 0, 1, NULL},
    {"move_rules", "start_on_foot", FS_BOOL, FS_FIXED, 0, 0, 0,
     "a walking first link (start_on_foot)"},
    {"move_rules", "use_v1_rules", FS_BOOL, FS_FIXED, 0, 0, 0,
     "FLEE's v1 switch (give its values: max_move_speed 200, camp_weight 2, conflict_weight 0.25)"},
    {"move_rules", "softening", FS_NUM, OFF(softening), 0, 0, 1e4, NULL},
    {"move_rules", "weight_softening", FS_NUM, OFF(weight_softening), 0, 0, 100, NULL},
    {"move_rules", "weight_power", FS_NUM, OFF(weight_power), 0, 0.1, 10, NULL},
    {"move_rules", "distance_power", FS_NUM, OFF(distance_power), 0, 0, 10, NULL},
    {"move_rules", "stay_close_to_home", FS_BOOL, FS_FIXED, 0, 0, 0, "a pull toward home"},
    {"move_rules", "home_distance_power", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "use_pop_for_loc_weight", FS_BOOL, FS_FIXED, 0, 0, 0,
     "population-weighted attractiveness"},
    {"move_rules", "pop_power_for_loc_weight", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "movechance_pop_base", FS_NUM, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "movechance_pop_scale_factor", FS_NUM, FS_FIXED, 0, 0, 0,
     "population-scaled move chances"},
    {"move_rules", "pruning_threshold", FS_NUM, FS_FIXED, 1, 0, 0, "route pruning"},
    {"move_rules", "fixed_routes", FS_BOOL, FS_FIXED, NAN, 0, 0, NULL},
    {"move_rules", "two_system_decision_making", FS_BOOL, FS_FIXED, 0, 0, 0,
     "two-system decision making"},
    {"move_rules", "use_economic_pull", FS_BOOL, FS_FIXED, 0, 0, 0, "economic pull"},
    {"move_rules", "flee_when_starving", FS_BOOL, FS_FIXED, 0, 0, 0, "IPC food-security rules"},
    {"move_rules", "avoid_food_deprived_locations", FS_BOOL, FS_FIXED, 0, 0, 0,
     "IPC food-security rules"},
    {"move_rules", "harvest_months", FS_LIST, FS_FIXED, 0, 0, 0, "farmers' harvest returns"},
    {"move_rules", "WomenAvoidHazards", FS_BOOL, FS_FIXED, 0, 0, 0, "per-agent demographic rules"},
    {"move_rules", "ChildrenAvoidHazards", FS_BOOL, FS_FIXED, 0, 0, 0,
     "per-agent demographic rules"},
    {"move_rules", "ElderlyAvoidHazards", FS_BOOL, FS_FIXED, 0, 0, 0,
     "per-agent demographic rules"},
    {"move_rules", "BoysTakeRisk", FS_BOOL, FS_FIXED, 0, 0, 0, "per-agent demographic rules"},
    {"move_rules", "MatchCampEthnicity", FS_BOOL, FS_FIXED, 0, 0, 0, "per-agent ethnicity rules"},
    {"move_rules", "MatchTownEthnicity", FS_BOOL, FS_FIXED, 0, 0, 0, "per-agent ethnicity rules"},
    {"move_rules", "MatchConflictEthnicity", FS_BOOL, FS_FIXED, 0, 0, 0,
     "per-agent ethnicity rules"},
    {"move_rules", "MatchCampReligion", FS_BOOL, FS_FIXED, 0, 0, 0, "per-agent religion rules"},
    {"move_rules", "flood_rules", FS_ANY, FS_FIXED, NAN, 0, 0, "DFlee's flood rules"},
    {"optimisations", "hasten", FS_NUM, FS_FIXED, 1, 0, 0,
     "population scaling (jinsong runs FLEE's scenarios at full scale)"},
};

/**
 * @brief FLEE's code defaults (SimulationSettings.ReadFromYML).
 * @param s the settings
 */
static void fs_defaults(struct flee_settings *s)
{
    memset(s, 0, sizeof(*s));
    s->steps = -1;
    s->insert_day0 = true;
    s->sum_from_camps = true;
    s->decay_interval = 30;
    s->max_move_speed = 360.0;
    s->foreign_weight = 1.0;
    s->camp_weight = 1.0;
    s->conflict_weight = 1.0 / 3.16227766017;
    s->conflict_movechance = 1.0;
    s->camp_movechance = 0.001;
    s->idpcamp_movechance = 0.1;
    s->default_movechance = 0.3;
    s->awareness = 1;
    s->capacity_buffer = 0.9;
    s->capacity_scaling = 1.0;
    s->softening = 10.0;
    s->weight_power = 1.0;
    s->distance_power = 1.0;
}

/**
 * @brief Reads a scalar as a boolean (PyYAML's words).
 * @param n the node
 * @param out the value
 * @return true if it is one
 */
static bool fs_bool(const struct js_ynode *n, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    for (int k = 0; k < 3 && n->type == JS_YSCALAR && !n->quoted; k++) {
        if (!strcasecmp(n->value, yes[k]) || !strcasecmp(n->value, no[k])) {
            *out = !strcasecmp(n->value, yes[k]);
            return true;
        }
    }
    return false;
}

/**
 * @brief Reads a scalar as a number.
 * @param n the node
 * @param out the value
 * @return true if it is one
 */
static bool fs_num(const struct js_ynode *n, double *out)
{
    if (n->type != JS_YSCALAR || n->quoted || !n->value[0] || isspace((unsigned char)n->value[0]))
        return false;
    char *end;
    *out = strtod(n->value, &end);
    return !*end && isfinite(*out);
}

/**
 * @brief Reads a list of numbers (or null: none).
 * @param n the node
 * @param out the values (FLEE_MAX_DECAY at most)
 * @param count out: how many
 * @return true if it is one
 */
static bool fs_list(const struct js_ynode *n, double *out, int *count)
{
    *count = 0;
    if (js_ytree_is_null(n))
        return true;
    if (n->type != JS_YSEQ || n->nchildren > FLEE_MAX_DECAY)
        return false;
    for (const struct js_ynode *e = n->first; e; e = e->next)
        if (!fs_num(e, &out[(*count)++]) || out[*count - 1] < 0)
            return false;
    return true;
}

/**
 * @brief Reads one known key.
 * @param k the key's description
 * @param n its value
 * @param s the settings
 * @param d errors
 */
static void fs_read_key(const struct fs_key *k, const struct js_ynode *n, struct flee_settings *s,
                        struct js_diag *d)
{
    char path[128];
    snprintf(path, sizeof(path), "%s%s%s", k->section, k->section[0] ? "." : "", k->key);
    double v = 0;
    bool b = false, ok = true;
    int cnt = 0;
    double list[FLEE_MAX_DECAY];
    switch (k->kind) {
    case FS_BOOL:
        ok = fs_bool(n, &b);
        v = b;
        break;
    case FS_NUM:
    case FS_INT:
        ok = fs_num(n, &v) && (k->kind == FS_NUM || v == floor(v));
        break;
    case FS_LIST:
        ok = fs_list(n, list, &cnt);
        break;
    case FS_ANY:
        if (k->off == FS_FIXED && !isnan(k->fixed))
            return; /* accepted whatever it holds */
        break;
    }
    if (!ok) {
        js_diag_add(d, n->file, n->line, n->col, path, NULL, "expected %s",
                    k->kind == FS_BOOL   ? "True or False"
                    : k->kind == FS_INT  ? "a whole number"
                    : k->kind == FS_LIST ? "a list of numbers, at most 16"
                                         : "a number");
        return;
    }
    if (k->off == FS_FIXED) {
        bool same =
            k->kind == FS_LIST ? cnt == 0 : k->kind != FS_ANY && (isnan(k->fixed) || v == k->fixed);
        if (!same)
            js_diag_add(d, n->file, n->line, n->col, path,
                        "remove the key or give FLEE's default; docs/MODEL.md lists the rules "
                        "jinsong has",
                        "this value needs %s, which jinsong does not have", k->why);
        return;
    }
    if (k->kind != FS_LIST && (v < k->lo || v > k->hi)) {
        js_diag_add(d, n->file, n->line, n->col, path, NULL, "value %s is out of range [%g, %g]",
                    n->value, k->lo, k->hi);
        return;
    }
    char *field = (char *)s + k->off;
    if (k->kind == FS_BOOL)
        *(bool *)field = b;
    else if (k->kind == FS_INT)
        *(int32_t *)field = (int32_t)v;
    else if (k->kind == FS_NUM)
        *(double *)field = v;
    else {
        memcpy(s->decay, list, sizeof(list));
        s->n_decay = cnt;
    }
}

/**
 * @brief Reads the keys of one section (or the top level).
 * @param map the section's map
 * @param section its name ("" for the top level)
 * @param s the settings
 * @param d errors
 */
static void fs_read_map(const struct js_ynode *map, const char *section, struct flee_settings *s,
                        struct js_diag *d)
{
    for (const struct js_ynode *n = map->first; n; n = n->next) {
        bool is_section =
            !section[0] && (!strcmp(n->key, "spawn_rules") || !strcmp(n->key, "move_rules") ||
                            !strcmp(n->key, "optimisations"));
        if (is_section) {
            if (n->type == JS_YMAP)
                fs_read_map(n, n->key, s, d);
            else if (!js_ytree_is_null(n))
                js_diag_add(d, n->file, n->line, n->col, n->key, NULL, "expected a map");
            continue;
        }
        const struct fs_key *k = NULL;
        for (size_t i = 0; i < sizeof(fs_keys) / sizeof(fs_keys[0]) && !k; i++)
            if (!strcmp(fs_keys[i].section, section) && !strcmp(fs_keys[i].key, n->key))
                k = &fs_keys[i];
        if (!k)
            js_diag_add(d, n->file, n->key_line, n->key_col, n->key,
                        "check the spelling against FLEE's SimulationSettings",
                        "unknown FLEE setting '%s'%s%s", n->key, section[0] ? " in " : "", section);
        else
            fs_read_key(k, n, s, d);
    }
}

int flee_settings_read(const char *path, struct flee_settings *s, struct js_diag *d)
{
    fs_defaults(s);
    s->path = js_xstrdup(path);
    struct js_ydoc doc;
    memset(&doc, 0, sizeof(doc));
    struct js_ynode *root = NULL;
    size_t errors = d->n;
    if (js_ytree_parse_file(&doc, path, &root, d) == 0)
        fs_read_map(root, "", s, d);
    js_ydoc_free(&doc);
    if (d->n == errors && s->n_decay > 0 && s->decay_interval < 1)
        js_diag_add(d, path, 0, 0, "spawn_rules.conflict_spawn_decay_interval", NULL,
                    "the decay interval must be at least one day");
    return d->n == errors ? 0 : -1;
}
