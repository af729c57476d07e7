/**
 * @file util.h
 * @brief Allocation that never returns NULL, and small string helpers.
 */
#ifndef JS_UTIL_H
#define JS_UTIL_H

/* system headers */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief Number of elements of a static array. */
#define JS_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/**
 * @brief malloc that aborts with a message when memory is exhausted.
 * @param size bytes
 */
void *js_xmalloc(size_t size);

/**
 * @brief calloc that aborts with a message when memory is exhausted.
 * @param n elements
 * @param size bytes per element
 */
void *js_xcalloc(size_t n, size_t size);

/**
 * @brief realloc that aborts with a message when memory is exhausted.
 * @param p block or NULL
 * @param size new size in bytes
 */
void *js_xrealloc(void *p, size_t size);

/**
 * @brief strdup that aborts when memory is exhausted; NULL gives NULL.
 * @param s string or NULL
 */
char *js_xstrdup(const char *s);

/**
 * @brief Formats into a newly allocated string.
 * @param fmt printf format
 */
char *js_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Levenshtein distance between two short strings (for "did you mean" hints).
 * @param a first string
 * @param b second string
 */
int js_edit_distance(const char *a, const char *b);

/**
 * @brief Grows a dynamic array so it holds at least @p need elements.
 * @param p pointer to the array pointer
 * @param cap pointer to the capacity in elements
 * @param need elements needed
 * @param elem element size in bytes
 */
void js_grow(void **p, size_t *cap, size_t need, size_t elem);

/** @brief Monotonic wall-clock time in seconds. */
double js_wall_seconds(void);

/** @brief A string → int32 hash map (open addressing); keys are borrowed, not copied. */
struct js_idmap {
    const char **keys; /**< slots (NULL = empty) */
    int32_t *vals;     /**< values */
    size_t cap;        /**< slots, a power of two */
    size_t n;          /**< entries */
};

/**
 * @brief Prepares a map for about @p expected entries.
 * @param m the map
 * @param expected entries expected
 */
void js_idmap_init(struct js_idmap *m, size_t expected);

/**
 * @brief Inserts key → val unless the key is present.
 * @param m the map
 * @param key the key (must outlive the map)
 * @param val the value
 * @return -1 if inserted, else the value already stored under the key
 */
int32_t js_idmap_put(struct js_idmap *m, const char *key, int32_t val);

/**
 * @brief The value of a key, or -1.
 * @param m the map
 * @param key the key
 */
int32_t js_idmap_get(const struct js_idmap *m, const char *key);

/**
 * @brief Frees the map's slots.
 * @param m the map
 */
void js_idmap_free(struct js_idmap *m);
#endif /* JS_UTIL_H */
