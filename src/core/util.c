/**
 * @file util.c
 * @brief Allocation that never returns NULL, and small string helpers.
 */

/* system headers */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"

/**
 * @brief Reports exhausted memory and exits with status 1 (a failure while running).
 * @param size the request that failed
 */
static void util_out_of_memory(size_t size)
{
    js_log_error("out of memory (a request for %zu bytes failed)", size);
    exit(1);
}

void *js_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        util_out_of_memory(size);
    return p;
}

void *js_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        util_out_of_memory(n * size);
    return p;
}

void *js_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        util_out_of_memory(size);
    return q;
}

char *js_xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = js_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *js_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    JS_ASSERT(n >= 0);
    char *s = js_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int js_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

void js_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *p = js_xrealloc(*p, c * elem);
    *cap = c;
}

double js_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/**
 * @brief FNV-1a hash of a string.
 * @param s the string
 */
static uint64_t util_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void js_idmap_init(struct js_idmap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < 2 * expected + 1)
        cap *= 2;
    m->keys = js_xcalloc(cap, sizeof(*m->keys));
    m->vals = js_xcalloc(cap, sizeof(*m->vals));
    m->cap = cap;
    m->n = 0;
}

/**
 * @brief Doubles the table.
 * @param m the map
 */
static void idmap_rehash(struct js_idmap *m)
{
    struct js_idmap bigger;
    js_idmap_init(&bigger, m->cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            js_idmap_put(&bigger, m->keys[i], m->vals[i]);
    js_idmap_free(m);
    *m = bigger;
}

int32_t js_idmap_put(struct js_idmap *m, const char *key, int32_t val)
{
    if (2 * (m->n + 1) > m->cap)
        idmap_rehash(m);
    size_t i = (size_t)util_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return -1;
}

int32_t js_idmap_get(const struct js_idmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t i = (size_t)util_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

void js_idmap_free(struct js_idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}
