/**
 * @file diag.c
 * @brief A list of errors a user can cause, printed with their locations and fixes.
 */

/* system headers */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/diag.h"
#include "jinsong/util.h"

void js_diag_add(struct js_diag *d, const char *file, int line, int col, const char *path,
                 const char *hint, const char *fmt, ...)
{
    js_grow((void **)&d->items, &d->cap, d->n + 1, sizeof(*d->items));
    struct js_diag_item *it = &d->items[d->n];
    it->file = js_xstrdup(file ? file : "<input>");
    it->line = line;
    it->col = col;
    it->path = js_xstrdup(path);
    it->hint = js_xstrdup(hint);
    it->seq = (int)d->n;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    it->msg = js_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(it->msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    d->n++;
}

/**
 * @brief qsort comparator: by file, line, column, then insertion order.
 * @param pa first item
 * @param pb second item
 */
static int diag_cmp(const void *pa, const void *pb)
{
    const struct js_diag_item *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

void js_diag_sort(struct js_diag *d)
{
    if (d->n > 1)
        qsort(d->items, d->n, sizeof(*d->items), diag_cmp);
}

void js_diag_print(const struct js_diag *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct js_diag_item *it = &d->items[i];
        if (it->line > 0)
            fprintf(out, "%s:%d:%d: error: ", it->file, it->line, it->col);
        else
            fprintf(out, "%s: error: ", it->file);
        if (it->path && it->path[0])
            fprintf(out, "%s: ", it->path);
        fprintf(out, "%s\n", it->msg);
        if (it->hint)
            fprintf(out, "    fix: %s\n", it->hint);
    }
}

void js_diag_free(struct js_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].path);
        free(d->items[i].msg);
        free(d->items[i].hint);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
}
