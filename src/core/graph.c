/**
 * @file graph.c
 * @brief Adjacency (CSR), per-arc travel times, and Dijkstra trees with a binary heap.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/graph.h"
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

/** @brief Index of a tree in the cache. */
static size_t graph_cache_index(const struct js_graph *g, int32_t root, enum js_mover m,
                                enum js_season s, enum js_tree_dir dir)
{
    (void)g;
    return (((size_t)root * JS_NMOVERS + (size_t)m) * JS_NSEASONS + (size_t)s) * 2 + (size_t)dir;
}

/**
 * @brief The speed class an arc is travelled in.
 * @param routes the routes
 * @param arc the arc
 */
static enum js_speed_class graph_speed_class(const struct js_routes *routes,
                                             const struct js_arc *arc)
{
    switch ((enum js_route_kind)routes->kind[arc->route]) {
    case JS_ROUTE_ROAD:
        return JS_SPEED_ROAD;
    case JS_ROUTE_TRACK:
        return JS_SPEED_TRACK;
    case JS_ROUTE_PASS:
        return JS_SPEED_PASS;
    case JS_ROUTE_RIVER:
        if (routes->downstream[arc->route] == 0)
            return JS_SPEED_CANAL; /* no current given: still water */
        return arc->down ? JS_SPEED_RIVER_DOWN : JS_SPEED_RIVER_UP;
    case JS_ROUTE_CANAL:
        return JS_SPEED_CANAL;
    case JS_ROUTE_CROSSING: /* the approaches at road speed, plus the crossing itself */
    default:
        return JS_SPEED_ROAD;
    }
}

/**
 * @brief Fills arc_days for every mover and season.
 * @param g the graph
 * @param routes the routes
 * @param p speeds
 */
static void graph_compute_times(struct js_graph *g, const struct js_routes *routes,
                                const struct js_graph_params *p)
{
    for (int32_t a = 0; a < g->n_arcs; a++) {
        const struct js_arc *arc = &g->arcs[a];
        int32_t r = arc->route;
        enum js_speed_class cls = graph_speed_class(routes, arc);
        for (int m = 0; m < JS_NMOVERS; m++) {
            for (int s = 0; s < JS_NSEASONS; s++) {
                double v = p->speed[m][cls] * p->terrain_factor[m][routes->terrain[r]] *
                           routes->seasonal[(size_t)r * JS_NSEASONS + (size_t)s];
                if (routes->forest[r])
                    v *= m == JS_MOVER_HORSE ? p->forest_horse_factor : p->forest_foot_factor;
                double days = INFINITY;
                if (!routes->closed[r] && v > 0.0)
                    days = routes->km[r] / v;
                if (routes->kind[r] == JS_ROUTE_CROSSING)
                    days += routes->crossing_days[r] >= 0 ? routes->crossing_days[r]
                                                          : p->crossing_days[m];
                g->arc_days[m][s][a] = days;
            }
        }
    }
}

/**
 * @brief Builds a CSR list of arcs grouped by one endpoint.
 * @param g the graph
 * @param by_from true to group by `from`, false by `to`
 * @param start out: offsets [n_places+1]
 * @param list out: arc ids
 */
static void graph_build_csr(const struct js_graph *g, bool by_from, int32_t **start, int32_t **list)
{
    int32_t n = g->n_places;
    int32_t *st = js_xcalloc((size_t)n + 1, sizeof(int32_t));
    int32_t *ls = js_xmalloc((size_t)(g->n_arcs ? g->n_arcs : 1) * sizeof(int32_t));
    for (int32_t a = 0; a < g->n_arcs; a++)
        st[(by_from ? g->arcs[a].from : g->arcs[a].to) + 1]++;
    for (int32_t i = 0; i < n; i++)
        st[i + 1] += st[i];
    int32_t *fill = js_xmalloc((size_t)(n ? n : 1) * sizeof(int32_t));
    memcpy(fill, st, (size_t)n * sizeof(int32_t));
    for (int32_t a = 0; a < g->n_arcs; a++) {
        int32_t node = by_from ? g->arcs[a].from : g->arcs[a].to;
        ls[fill[node]++] = a; /* arcs in id order within each node: deterministic */
    }
    free(fill);
    *start = st;
    *list = ls;
}

void js_graph_init(struct js_graph *g, int32_t n_places, const struct js_routes *routes,
                   const struct js_graph_params *p)
{
    memset(g, 0, sizeof(*g));
    g->n_places = n_places;
    g->n_arcs = 2 * routes->n;
    g->arcs = js_xcalloc((size_t)(g->n_arcs ? g->n_arcs : 1), sizeof(struct js_arc));
    for (int32_t r = 0; r < routes->n; r++) {
        struct js_arc *fw = &g->arcs[2 * r], *bw = &g->arcs[2 * r + 1];
        fw->from = routes->from[r];
        fw->to = routes->to[r];
        fw->route = r;
        fw->down = routes->downstream[r] > 0;
        bw->from = routes->to[r];
        bw->to = routes->from[r];
        bw->route = r;
        bw->down = routes->downstream[r] < 0;
    }
    graph_build_csr(g, true, &g->out_start, &g->out_arcs);
    graph_build_csr(g, false, &g->in_start, &g->in_arcs);
    for (int m = 0; m < JS_NMOVERS; m++)
        for (int s = 0; s < JS_NSEASONS; s++)
            g->arc_days[m][s] = js_xcalloc((size_t)(g->n_arcs ? g->n_arcs : 1), sizeof(double));
    graph_compute_times(g, routes, p);
    size_t ncache = (size_t)n_places * JS_NMOVERS * JS_NSEASONS * 2;
    g->cache = js_xcalloc(ncache ? ncache : 1, sizeof(struct js_tree *));
}

/**
 * @brief Frees every cached tree.
 * @param g the graph
 */
static void graph_drop_trees(struct js_graph *g)
{
    size_t ncache = (size_t)g->n_places * JS_NMOVERS * JS_NSEASONS * 2;
    for (size_t i = 0; g->cache && i < ncache; i++) {
        if (!g->cache[i])
            continue;
        free(g->cache[i]->days);
        free(g->cache[i]->next_arc);
        free(g->cache[i]);
        g->cache[i] = NULL;
    }
}

void js_graph_free(struct js_graph *g)
{
    graph_drop_trees(g);
    free(g->cache);
    free(g->arcs);
    free(g->out_start);
    free(g->out_arcs);
    free(g->in_start);
    free(g->in_arcs);
    for (int m = 0; m < JS_NMOVERS; m++)
        for (int s = 0; s < JS_NSEASONS; s++)
            free(g->arc_days[m][s]);
    memset(g, 0, sizeof(*g));
}

void js_graph_invalidate(struct js_graph *g, const struct js_routes *routes,
                         const struct js_graph_params *p)
{
    graph_drop_trees(g);
    graph_compute_times(g, routes, p);
    g->generation++;
}

/** @brief A heap entry: tentative days to a node. */
struct heap_item {
    double days;
    int32_t node;
};

/** @brief True if a is popped before b (smaller days, then smaller node id). */
static bool heap_less(const struct heap_item *a, const struct heap_item *b)
{
    return a->days < b->days || (a->days == b->days && a->node < b->node);
}

/**
 * @brief Pushes onto a binary min-heap.
 * @param h the heap array
 * @param n its size (incremented)
 * @param it the entry
 */
static void heap_push(struct heap_item *h, size_t *n, struct heap_item it)
{
    size_t i = (*n)++;
    h[i] = it;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!heap_less(&h[i], &h[parent]))
            break;
        struct heap_item t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/**
 * @brief Pops the minimum of a binary min-heap.
 * @param h the heap array
 * @param n its size (decremented)
 */
static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
    struct heap_item top = h[0];
    h[0] = h[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && heap_less(&h[l], &h[m]))
            m = l;
        if (r < *n && heap_less(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        struct heap_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

/**
 * @brief Dijkstra from (or to) @p root over the arcs' travel days.
 * @param g the graph
 * @param root root place
 * @param m mover
 * @param s season
 * @param dir direction
 */
static struct js_tree *graph_dijkstra(const struct js_graph *g, int32_t root, enum js_mover m,
                                      enum js_season s, enum js_tree_dir dir)
{
    int32_t n = g->n_places;
    struct js_tree *t = js_xmalloc(sizeof(*t));
    t->root = root;
    t->days = js_xmalloc((size_t)n * sizeof(double));
    t->next_arc = js_xmalloc((size_t)n * sizeof(int32_t));
    for (int32_t i = 0; i < n; i++) {
        t->days[i] = INFINITY;
        t->next_arc[i] = -1;
    }
    const double *arc_days = g->arc_days[m][s];
    /* Lazy-deletion heap: at most one entry per relaxation. */
    size_t hcap = (size_t)g->n_arcs + 1, hn = 0;
    struct heap_item *heap = js_xmalloc(hcap * sizeof(*heap));
    uint8_t *done = js_xcalloc((size_t)n, 1);
    t->days[root] = 0.0;
    heap_push(heap, &hn, (struct heap_item){0.0, root});
    const int32_t *start = dir == JS_FROM_ROOT ? g->out_start : g->in_start;
    const int32_t *list = dir == JS_FROM_ROOT ? g->out_arcs : g->in_arcs;
    while (hn > 0) {
        struct heap_item it = heap_pop(heap, &hn);
        if (done[it.node])
            continue;
        done[it.node] = 1;
        for (int32_t k = start[it.node]; k < start[it.node + 1]; k++) {
            int32_t a = list[k];
            double d = it.days + arc_days[a];
            if (!isfinite(d))
                continue;
            int32_t other = dir == JS_FROM_ROOT ? g->arcs[a].to : g->arcs[a].from;
            if (d < t->days[other]) {
                t->days[other] = d;
                t->next_arc[other] = a;
                JS_ASSERT(hn < hcap);
                heap_push(heap, &hn, (struct heap_item){d, other});
            }
        }
    }
    free(heap);
    free(done);
    return t;
}

const struct js_tree *js_graph_tree(struct js_graph *g, int32_t root, enum js_mover m,
                                    enum js_season s, enum js_tree_dir dir)
{
    JS_ASSERT(root >= 0 && root < g->n_places);
    size_t i = graph_cache_index(g, root, m, s, dir);
    if (!g->cache[i]) {
        g->cache[i] = graph_dijkstra(g, root, m, s, dir);
        g->trees_computed++;
    }
    return g->cache[i];
}

const struct js_tree *js_graph_tree_cached(const struct js_graph *g, int32_t root, enum js_mover m,
                                           enum js_season s, enum js_tree_dir dir)
{
    JS_ASSERT(root >= 0 && root < g->n_places);
    return g->cache[graph_cache_index(g, root, m, s, dir)];
}

double js_graph_great_circle_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180.0;
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = (lat2 - lat1) * rad, dl = (lon2 - lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2.0 * 6371.0 * asin(sqrt(a < 1.0 ? a : 1.0));
}

const char *js_route_kind_name(enum js_route_kind k)
{
    static const char *names[JS_NROUTE_KINDS] = {"road",  "track", "pass",
                                                 "river", "canal", "crossing"};
    return (unsigned)k < JS_NROUTE_KINDS ? names[k] : "?";
}

const char *js_terrain_name(enum js_terrain t)
{
    static const char *names[JS_NTERRAINS] = {"plain", "hills", "mountains", "marsh", "paddy"};
    return (unsigned)t < JS_NTERRAINS ? names[t] : "?";
}

const char *js_mover_name(enum js_mover m)
{
    static const char *names[JS_NMOVERS] = {"foot", "horse", "walker", "freight"};
    return (unsigned)m < JS_NMOVERS ? names[m] : "?";
}

const char *js_speed_class_name(enum js_speed_class c)
{
    static const char *names[JS_NSPEED_CLASSES] = {"road",       "track",    "pass",
                                                   "river_down", "river_up", "canal"};
    return (unsigned)c < JS_NSPEED_CLASSES ? names[c] : "?";
}
