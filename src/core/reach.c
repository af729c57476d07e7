/**
 * @file reach.c
 * @brief Bounded multi-source Dijkstra with a binary heap and lazy deletion.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/reach.h"
#include "jinsong/util.h"

void js_reach_init(struct js_reach *r, int32_t n_places, int32_t n_arcs, int32_t max_sources)
{
    size_t n = (size_t)(n_places > 0 ? n_places : 1);
    r->n_places = n_places;
    r->days = js_xmalloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        r->days[i] = INFINITY;
    r->touched = js_xmalloc(n * sizeof(int32_t));
    r->done = js_xcalloc(n, 1);
    r->ntouched = 0;
    r->cap = (size_t)n_arcs + (size_t)max_sources + 1;
    r->heap = js_xmalloc(r->cap * sizeof(*r->heap));
}

void js_reach_free(struct js_reach *r)
{
    free(r->days);
    free(r->touched);
    free(r->done);
    free(r->heap);
    r->days = NULL;
    r->touched = NULL;
    r->done = NULL;
    r->heap = NULL;
}

/** @brief True if a is popped before b (fewer days, then the smaller place id). */
static int reach_less(const struct js_reach_item *a, const struct js_reach_item *b)
{
    return a->days < b->days || (a->days == b->days && a->node < b->node);
}

/**
 * @brief Pushes onto the heap.
 * @param r the search
 * @param n heap size (incremented)
 * @param it the entry
 */
static void reach_push(struct js_reach *r, size_t *n, struct js_reach_item it)
{
    JS_ASSERT(*n < r->cap);
    struct js_reach_item *h = r->heap;
    size_t i = (*n)++;
    h[i] = it;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!reach_less(&h[i], &h[parent]))
            break;
        struct js_reach_item t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/**
 * @brief Pops the smallest entry.
 * @param r the search
 * @param n heap size (decremented)
 */
static struct js_reach_item reach_pop(struct js_reach *r, size_t *n)
{
    struct js_reach_item *h = r->heap;
    struct js_reach_item top = h[0];
    h[0] = h[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, rr = l + 1, m = i;
        if (l < *n && reach_less(&h[l], &h[m]))
            m = l;
        if (rr < *n && reach_less(&h[rr], &h[m]))
            m = rr;
        if (m == i)
            break;
        struct js_reach_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

int32_t js_reach_run(struct js_reach *r, const struct js_graph *g, enum js_mover m,
                     enum js_season s, const int32_t *src, const double *src_days, int32_t nsrc,
                     double cutoff)
{
    /* forget the previous search (only the places it reached) */
    for (int32_t k = 0; k < r->ntouched; k++) {
        r->days[r->touched[k]] = INFINITY;
        r->done[r->touched[k]] = 0;
    }
    r->ntouched = 0;
    size_t hn = 0;
    for (int32_t k = 0; k < nsrc; k++) {
        int32_t p = src[k];
        JS_ASSERT(p >= 0 && p < r->n_places);
        if (src_days[k] <= cutoff && src_days[k] < r->days[p]) {
            r->days[p] = src_days[k];
            reach_push(r, &hn, (struct js_reach_item){src_days[k], p});
        }
    }
    const double *arc_days = g->arc_days[m][s];
    while (hn > 0) {
        struct js_reach_item it = reach_pop(r, &hn);
        if (r->done[it.node])
            continue;
        r->done[it.node] = 1;
        r->touched[r->ntouched++] = it.node;
        for (int32_t k = g->out_start[it.node]; k < g->out_start[it.node + 1]; k++) {
            int32_t a = g->out_arcs[k];
            double d = it.days + arc_days[a];
            int32_t to = g->arcs[a].to;
            if (!(d <= cutoff) || d >= r->days[to])
                continue;
            r->days[to] = d;
            reach_push(r, &hn, (struct js_reach_item){d, to});
        }
    }
    /* every place given days was pushed, hence settled and listed in touched */
    return r->ntouched;
}
