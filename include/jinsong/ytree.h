/**
 * @file ytree.h
 * @brief YAML files as trees of nodes that remember where they came from.
 *
 * libfyaml's event parser builds our own tree: every node keeps its file, line and
 * column, so that any error found later (a wrong type, an unknown key, a reference to
 * nothing) can name its place. Duplicate keys are kept by the parser
 * (FYPCF_ALLOW_DUPLICATE_KEYS) and reported here with both lines. Trees support the
 * deep merge of `extends:` and the `--set` overrides.
 */
#ifndef JS_YTREE_H
#define JS_YTREE_H

/* system headers */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* local headers */
#include "jinsong/diag.h"

/** @brief Node types. */
enum js_ytype { JS_YSCALAR = 0, JS_YMAP = 1, JS_YSEQ = 2 };

/** @brief A YAML node. */
struct js_ynode {
    uint8_t type;            /**< enum js_ytype */
    bool quoted;             /**< scalar written quoted or as a block (a string, never a number) */
    bool used;               /**< read by the scenario reader (unused keys are unknown keys) */
    bool set_created;        /**< created by a --set path that did not exist */
    bool implicit;           /**< an absent map stood in for by the reader (not emitted) */
    int line;                /**< 1-based line of the value (0 for --set) */
    int col;                 /**< 1-based column of the value */
    int key_line;            /**< 1-based line of the key (map children) */
    int key_col;             /**< 1-based column of the key */
    const char *file;        /**< file as opened, or "--set PATH=VALUE" */
    char *key;               /**< key in the parent map, or NULL */
    char *value;             /**< scalar text ("" for an empty value) */
    struct js_ynode *parent; /**< enclosing node */
    struct js_ynode *first;  /**< first child */
    struct js_ynode *last;   /**< last child */
    struct js_ynode *next;   /**< next sibling */
    int32_t nchildren;       /**< number of children */
    const char **queried;    /**< keys the reader looked for in this map (for "did you mean") */
    uint16_t nqueried;       /**< how many */
    uint16_t capqueried;     /**< allocated */
};

/** @brief Owner of nodes and strings (an arena), shared by every file of a scenario. */
struct js_ydoc {
    void *blocks; /**< arena blocks (linked) */
    size_t used;  /**< bytes used in the current block */
    size_t size;  /**< size of the current block */
};

/**
 * @brief Parses a YAML file whose top level must be a mapping.
 * Syntax errors (first only: libfyaml stops there), an unreadable, empty or multi-document
 * file, and duplicate keys are added to @p d.
 * @param doc arena
 * @param path file to read (kept as given, for messages)
 * @param root out: the root map
 * @param d errors
 * @return 0 on success, -1 on error
 */
int js_ytree_parse_file(struct js_ydoc *doc, const char *path, struct js_ynode **root,
                        struct js_diag *d);

/**
 * @brief Parses YAML text (a --set value, a test fixture).
 * @param doc arena
 * @param text the text
 * @param len its length
 * @param label name used as the node's file in messages
 * @param root out: the root node (any type)
 * @param d errors
 * @return 0 on success, -1 on error
 */
int js_ytree_parse_string(struct js_ydoc *doc, const char *text, size_t len, const char *label,
                          struct js_ynode **root, struct js_diag *d);

/**
 * @brief Frees every node and string of the arena.
 * @param doc arena
 */
void js_ydoc_free(struct js_ydoc *doc);

/**
 * @brief Copies a string into the arena.
 * @param doc arena
 * @param s string
 */
char *js_ydoc_strdup(struct js_ydoc *doc, const char *s);

/**
 * @brief The child of a map with the given key, or NULL (does not mark it used).
 * @param map a map node (NULL gives NULL)
 * @param key the key
 */
struct js_ynode *js_ytree_get(const struct js_ynode *map, const char *key);

/**
 * @brief True if the node is a null: a plain empty, "~" or "null" scalar.
 * @param n the node
 */
bool js_ytree_is_null(const struct js_ynode *n);

/**
 * @brief Deep-merges @p over onto @p base (maps merge, lists and scalars replace; a
 * null in @p over removes the key from @p base). @p over's nodes move into @p base.
 * @param base the map merged into
 * @param over the map merged from
 */
void js_ytree_merge(struct js_ynode *base, struct js_ynode *over);

/**
 * @brief Removes a child from a map.
 * @param map the map
 * @param child one of its children
 */
void js_ytree_remove(struct js_ynode *map, struct js_ynode *child);

/**
 * @brief Sets the value at a dotted path ("places.kaifeng.walls.strength") under @p root,
 * creating missing maps (flagged set_created). The new value's nodes are marked with
 * @p label as their file.
 * @param doc arena
 * @param root the root map
 * @param path dotted key path
 * @param value the new value (moved in)
 * @param old out: the previous value's text (scalar text, "<map>", "<list>", or NULL if new)
 * @return 0, or -1 if the path runs through a scalar or list (message in @p old)
 */
int js_ytree_set(struct js_ydoc *doc, struct js_ynode *root, const char *path,
                 struct js_ynode *value, const char **old);

/**
 * @brief Appends an empty map under @p parent (for an absent optional section whose
 * defaults must still be recorded with their full key paths).
 * @param doc arena
 * @param parent the map
 * @param key its key (copied)
 * @return the new map, flagged implicit
 */
struct js_ynode *js_ytree_add_implicit_map(struct js_ydoc *doc, struct js_ynode *parent,
                                           const char *key);

/**
 * @brief Writes the key path of a node ("places.kaifeng.walls", "armies.x.orders[2]").
 * @param n the node
 * @param buf output
 * @param len its size
 */
void js_ytree_path(const struct js_ynode *n, char *buf, size_t len);

/**
 * @brief Emits a tree as YAML text (block style, keys in order, scalars quoted as needed).
 * @param n the root
 * @return a malloc'ed string
 */
char *js_ytree_emit(const struct js_ynode *n);

/**
 * @brief Marks a node and every node under it as used.
 * @param n the node
 */
void js_ytree_mark_used(struct js_ynode *n);

#endif /* JS_YTREE_H */
