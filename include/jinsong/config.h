/**
 * @file config.h
 * @brief Typed, strict, recorded access to a scenario's YAML tree.
 *
 * Every getter (mandatory, or optional with a default) checks the type and range of
 * a value, reports any problem with its file:line:col, key path, what was expected and
 * how to fix it, and records the parameter it returns: key path, value, unit and
 * source (`file:line` relative to the scenario's folder, `--set`, or `default`).
 * Keys nobody asked for are reported as unknown, with the closest known key.
 * `extends:` and `--set` are resolved here, before any getter runs.
 */
#ifndef JS_CONFIG_H
#define JS_CONFIG_H

/* system headers */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* local headers */
#include "jinsong/calendar.h"
#include "jinsong/diag.h"
#include "jinsong/util.h"
#include "jinsong/ytree.h"

/** @brief One parameter as the run used it. */
struct js_param_record {
    char *key;    /**< dotted path */
    char *value;  /**< value as text */
    char *unit;   /**< unit ("-" when dimensionless or text) */
    char *source; /**< "file:line", "--set", "--seed", or "default" */
};

/** @brief A reader over a resolved scenario tree. */
struct js_cfg {
    struct js_ydoc doc;             /**< arena of every node */
    struct js_ynode *root;          /**< the resolved tree (after extends and --set) */
    struct js_diag *diag;           /**< errors */
    char *main_path;                /**< the scenario file as given */
    char *main_dir;                 /**< its folder ("" for the current one) */
    struct js_param_record *params; /**< parameters read, in reading order */
    size_t nparams;                 /**< how many */
    size_t capparams;               /**< allocated */
    char **set_log;                 /**< "value of X changed from A to B" lines */
    size_t nset_log;                /**< how many */
};

/**
 * @brief Reads a scenario file, resolving `extends:` (deep merge) and applying the
 * `--set path=value` overrides in order.
 * @param c reader (zeroed by the caller)
 * @param path the scenario file
 * @param sets the --set arguments ("path=value")
 * @param nsets how many
 * @param d errors
 * @return 0, or -1 with errors in @p d
 */
int js_cfg_open(struct js_cfg *c, const char *path, const char *const *sets, int nsets,
                struct js_diag *d);

/**
 * @brief Frees the reader (the records are freed too).
 * @param c reader
 */
void js_cfg_close(struct js_cfg *c);

/**
 * @brief The child @p key of @p map, marked used, or NULL. Records that the key was asked for.
 * @param c reader
 * @param map a map node (NULL gives NULL)
 * @param key key
 */
struct js_ynode *js_cfg_child(struct js_cfg *c, struct js_ynode *map, const char *key);

/**
 * @brief A sub-map. An absent one is stood in for by an empty implicit map (so that the
 * defaults read from it are recorded with full key paths); NULL and an error if the key
 * holds something other than a map, or if @p map is NULL.
 * @param c reader
 * @param map parent map
 * @param key key
 */
struct js_ynode *js_cfg_map(struct js_cfg *c, struct js_ynode *map, const char *key);

/**
 * @brief A number (optional, with a default).
 * @param c reader
 * @param map the map holding it (may be NULL: the default is used)
 * @param key its key
 * @param def default
 * @param lo smallest allowed
 * @param hi largest allowed
 * @param unit unit for records and messages
 */
double js_cfg_double(struct js_cfg *c, struct js_ynode *map, const char *key, double def, double lo,
                     double hi, const char *unit);

/** @brief A mandatory number (see js_cfg_double). */
double js_cfg_double_req(struct js_cfg *c, struct js_ynode *map, const char *key, double lo,
                         double hi, const char *unit);

/** @brief An integer (optional, with a default), no exponent or fraction allowed. */
int64_t js_cfg_int(struct js_cfg *c, struct js_ynode *map, const char *key, int64_t def, int64_t lo,
                   int64_t hi, const char *unit);

/** @brief A mandatory integer. */
int64_t js_cfg_int_req(struct js_cfg *c, struct js_ynode *map, const char *key, int64_t lo,
                       int64_t hi, const char *unit);

/**
 * @brief A list of numbers (optional, with a default list): a YAML sequence `[a, b, ...]`,
 * each element checked like js_cfg_double; recorded as one parameter "[a, b, ...]".
 * @param c reader
 * @param map the map holding it (may be NULL: the default is used)
 * @param key its key
 * @param def default values
 * @param ndef how many
 * @param max most elements allowed (the size of @p out)
 * @param lo smallest value allowed
 * @param hi largest value allowed
 * @param unit unit of the elements
 * @param out the values
 * @return the number of values in @p out (the default's on error)
 */
int js_cfg_double_list(struct js_cfg *c, struct js_ynode *map, const char *key, const double *def,
                       int ndef, int max, double lo, double hi, const char *unit, double *out);

/** @brief A boolean (true/false), optional with a default. */
bool js_cfg_bool(struct js_cfg *c, struct js_ynode *map, const char *key, bool def);

/**
 * @brief A string (optional, with a default; NULL default means absent gives NULL).
 * The returned text lives as long as the reader.
 */
const char *js_cfg_string(struct js_cfg *c, struct js_ynode *map, const char *key, const char *def);

/** @brief A mandatory string. */
const char *js_cfg_string_req(struct js_cfg *c, struct js_ynode *map, const char *key);

/**
 * @brief One of a list of words.
 * @param c reader
 * @param map map
 * @param key key
 * @param names the allowed words
 * @param n how many
 * @param def index of the default, or -1 if the key is mandatory
 * @return the index of the word (def on error)
 */
int js_cfg_enum(struct js_cfg *c, struct js_ynode *map, const char *key, const char *const *names,
                int n, int def);

/**
 * @brief A date "YYYY-MM-DD" valid in the calendar.
 * @param c reader
 * @param map map
 * @param key key
 * @param cal calendar
 * @param out the date
 * @param required mandatory?
 * @return true if a valid date was read
 */
bool js_cfg_date(struct js_cfg *c, struct js_ynode *map, const char *key, enum js_calendar cal,
                 struct js_date *out, bool required);

/**
 * @brief A reference to an entity by id.
 * @param c reader
 * @param map map
 * @param key key
 * @param ids id → index of the entities that may be named
 * @param what what they are, for messages ("place", "faction")
 * @param section where they are declared ("places")
 * @param required mandatory?
 * @return the index, or -1 (absent or error)
 */
int32_t js_cfg_ref(struct js_cfg *c, struct js_ynode *map, const char *key,
                   const struct js_idmap *ids, const char *what, const char *section,
                   bool required);

/**
 * @brief Reports an error at a node (its value position), with its key path.
 * @param c reader
 * @param n the node
 * @param hint how to fix it (may be NULL)
 * @param fmt printf format of what is wrong
 */
void js_cfg_error(struct js_cfg *c, const struct js_ynode *n, const char *hint, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/**
 * @brief Reports an error about a missing key of @p map.
 * @param c reader
 * @param map the map lacking it
 * @param key the key
 * @param what what value is expected
 */
void js_cfg_missing(struct js_cfg *c, const struct js_ynode *map, const char *key,
                    const char *what);

/**
 * @brief Records a parameter with an explicit value and source (e.g. from --seed).
 * @param c reader
 * @param key path
 * @param value text
 * @param unit unit
 * @param source source
 */
void js_cfg_record(struct js_cfg *c, const char *key, const char *value, const char *unit,
                   const char *source);

/**
 * @brief Checks that an entity map's entries were not invented by a --set path.
 * @param c reader
 * @param entity an entry of an entity map (places.x)
 * @param what the kind of entity, for the message
 * @return true if the entity exists in the files
 */
bool js_cfg_entity_exists(struct js_cfg *c, struct js_ynode *entity, const char *what);

/**
 * @brief Reports every key that no getter asked for, with a "did you mean" hint.
 * @param c reader
 * @return number of unknown keys
 */
int js_cfg_check_unknown(struct js_cfg *c);

/**
 * @brief The source of a node as recorded ("jingkang.yaml:12", "--set").
 * @param c reader
 * @param n the node
 * @param buf output
 * @param len its size
 */
void js_cfg_source(const struct js_cfg *c, const struct js_ynode *n, char *buf, size_t len);

/**
 * @brief True if @p s is a valid entity id ([A-Za-z0-9_-]+, starting with a letter or digit).
 * @param s the text
 */
bool js_cfg_valid_id(const char *s);

#endif /* JS_CONFIG_H */
