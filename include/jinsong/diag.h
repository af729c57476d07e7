/**
 * @file diag.h
 * @brief A list of errors a user can cause (bad configs, bad input files).
 *
 * Every error names where it is (file:line:col, or a command-line argument), the
 * key path, what was expected, and how to fix it. All errors of a check are
 * collected and printed together, sorted by place, so that one run of
 * `jinsong validate` reports every semantic mistake, not only the first.
 */
#ifndef JS_DIAG_H
#define JS_DIAG_H

/* system headers */
#include <stdio.h>

/** @brief One error. */
struct js_diag_item {
    char *file; /**< file as the user named it, or a command-line argument ("--set a.b=c") */
    int line;   /**< 1-based line, 0 when the location is not a file position */
    int col;    /**< 1-based column, 0 when unknown */
    char *path; /**< key path ("places.kaifeng.lat"), or NULL */
    char *msg;  /**< what is wrong and what was expected */
    char *hint; /**< how to fix it, or NULL */
    int seq;    /**< insertion order (ties in sorting) */
};

/** @brief A collection of errors. */
struct js_diag {
    struct js_diag_item *items; /**< the errors */
    size_t n;                   /**< how many */
    size_t cap;                 /**< allocated */
};

/**
 * @brief Adds an error.
 * @param d the collection
 * @param file file or argument (copied), may be NULL
 * @param line line (0 if none)
 * @param col column (0 if none)
 * @param path key path (copied), may be NULL
 * @param hint how to fix it (copied), may be NULL
 * @param fmt printf format of the message
 */
void js_diag_add(struct js_diag *d, const char *file, int line, int col, const char *path,
                 const char *hint, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/**
 * @brief Sorts the errors by file, line and column, keeping insertion order for ties.
 * @param d the collection
 */
void js_diag_sort(struct js_diag *d);

/**
 * @brief Prints every error, one per line, each followed by its hint.
 *
 * Format: `FILE:LINE:COL: error: PATH: MESSAGE` then `  fix: HINT`.
 * @param d the collection
 * @param out stream (stderr)
 */
void js_diag_print(const struct js_diag *d, FILE *out);

/**
 * @brief Frees the errors (the collection can be reused).
 * @param d the collection
 */
void js_diag_free(struct js_diag *d);

#endif /* JS_DIAG_H */
