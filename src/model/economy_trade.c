/**
 * @file economy_trade.c
 * @brief Grain on the route graph: cheapest paths by transport cost over the routes that are
 * open and not cut by war, the trade network (places within the trade radius), market trade
 * by a gravity model, and the standing state shipments.
 */

/* system headers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "economy_internal.h"
#include "jinsong/log.h"
#include "jinsong/util.h"

/* ---------------------------------------------------------------- cheapest paths */

/**
 * @brief Transport cost of a route, strings of cash per shi: km × the cost of its kind (water
 * ≪ cart ≪ porter), plus the transhipment fee of a crossing.
 * @param w the world
 * @param p parameters
 * @param r route
 */
static double econ_route_cost(const struct js_world *w, const struct js_economy_params *p,
                              int32_t r)
{
    enum js_route_kind k = (enum js_route_kind)w->routes.kind[r];
    return w->routes.km[r] * p->cost_per_km[k] + (k == JS_ROUTE_CROSSING ? p->crossing_fee : 0.0);
}

/**
 * @brief True if two factions are at war (no faction is at war with nobody).
 * @param w the world
 * @param a faction or -1
 * @param b faction or -1
 */
static bool econ_war(const struct js_world *w, int32_t a, int32_t b)
{
    return a >= 0 && b >= 0 &&
           w->economy.at_war[(size_t)a * (size_t)w->factions.n + (size_t)b] != 0;
}

/**
 * @brief True if grain can go along an arc: the route is open, freight can travel it this
 * season, its ends' holders are not at war with each other, and (for a faction's own grain)
 * neither end is held by an enemy of @p f.
 * @param w the world
 * @param arc the arc
 * @param season the season
 * @param f faction shipping, or -1 for merchants
 */
static bool econ_arc_usable(const struct js_world *w, int32_t arc, int season, int32_t f)
{
    const struct js_arc *a = &w->graph.arcs[arc];
    if (w->routes.closed[a->route])
        return false;
    if (!isfinite(js_graph_arc_days(&w->graph, arc, JS_MOVER_FREIGHT, (enum js_season)season)))
        return false;
    int32_t oa = w->places.owner[a->from], ob = w->places.owner[a->to];
    if (econ_war(w, oa, ob))
        return false;
    return f < 0 || (!econ_war(w, f, oa) && !econ_war(w, f, ob));
}

/**
 * @brief True if heap entry x comes before y: by cost, then by place id (deterministic).
 * @param net the network's scratch
 * @param x a place
 * @param y a place
 */
static bool econ_heap_less(const struct js_econ_net *net, int32_t x, int32_t y)
{
    return net->dist[x] < net->dist[y] || (net->dist[x] == net->dist[y] && x < y);
}

/**
 * @brief Moves heap position @p k up until its parent comes first.
 * @param net scratch
 * @param k position
 */
static void econ_heap_up(struct js_econ_net *net, int32_t k)
{
    int32_t v = net->heap[k];
    while (k > 0) {
        int32_t parent = (k - 1) / 2;
        if (!econ_heap_less(net, v, net->heap[parent]))
            break;
        net->heap[k] = net->heap[parent];
        net->slot[net->heap[k]] = k;
        k = parent;
    }
    net->heap[k] = v;
    net->slot[v] = k;
}

/**
 * @brief Moves heap position @p k down until its children come after it.
 * @param net scratch
 * @param k position
 * @param n heap size
 */
static void econ_heap_down(struct js_econ_net *net, int32_t k, int32_t n)
{
    int32_t v = net->heap[k];
    for (;;) {
        int32_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && econ_heap_less(net, net->heap[c + 1], net->heap[c]))
            c++;
        if (!econ_heap_less(net, net->heap[c], v))
            break;
        net->heap[k] = net->heap[c];
        net->slot[net->heap[k]] = k;
        k = c;
    }
    net->heap[k] = v;
    net->slot[v] = k;
}

/**
 * @brief Cheapest grain paths from @p src (Dijkstra, binary heap, ties by place id), at most
 * @p max_cost, stopping at @p target if it is reached. Leaves each reached place's cost in
 * net->dist and the route into it in net->via, and the settled places in net->order (src
 * first). Call econ_search_reset afterwards.
 * @param w the world
 * @param p parameters
 * @param season the season
 * @param src the source place
 * @param max_cost cost radius, strings per shi
 * @param f faction shipping (enemy places are avoided), or -1
 * @param target place to stop at, or -1
 * @param ntouched out: places touched (for the reset)
 * @return places settled
 */
static int32_t econ_search(struct js_world *w, const struct js_economy_params *p, int season,
                           int32_t src, double max_cost, int32_t f, int32_t target,
                           int32_t *ntouched)
{
    struct js_econ_net *net = &w->economy.net;
    const struct js_graph *g = &w->graph;
    int32_t nt = 0, nh = 0, ns = 0;
    net->dist[src] = 0.0;
    net->via[src] = -1;
    net->touched[nt++] = src;
    net->heap[nh++] = src;
    net->slot[src] = 0;
    while (nh > 0) {
        int32_t u = net->heap[0];
        net->heap[0] = net->heap[--nh];
        if (nh > 0)
            econ_heap_down(net, 0, nh);
        net->slot[u] = -2; /* settled */
        net->order[ns++] = u;
        if (u == target)
            break;
        for (int32_t k = g->out_start[u]; k < g->out_start[u + 1]; k++) {
            int32_t a = g->out_arcs[k], v = g->arcs[a].to;
            if (net->slot[v] == -2 || !econ_arc_usable(w, a, season, f))
                continue;
            double c = net->dist[u] + econ_route_cost(w, p, g->arcs[a].route);
            if (c > max_cost)
                continue;
            if (net->dist[v] < 0.0) {
                net->dist[v] = c;
                net->via[v] = g->arcs[a].route;
                net->touched[nt++] = v;
                net->heap[nh] = v;
                econ_heap_up(net, nh++);
            } else if (c < net->dist[v]) {
                net->dist[v] = c;
                net->via[v] = g->arcs[a].route;
                econ_heap_up(net, net->slot[v]);
            }
        }
    }
    *ntouched = nt;
    return ns;
}

/**
 * @brief Clears the scratch of the last search.
 * @param net scratch
 * @param ntouched places it touched
 */
static void econ_search_reset(struct js_econ_net *net, int32_t ntouched)
{
    for (int32_t k = 0; k < ntouched; k++) {
        net->dist[net->touched[k]] = -1.0;
        net->slot[net->touched[k]] = -1;
    }
}

/**
 * @brief The other end of a route.
 * @param w the world
 * @param r route
 * @param end one end
 */
static int32_t econ_other_end(const struct js_world *w, int32_t r, int32_t end)
{
    return w->routes.from[r] == end ? w->routes.to[r] : w->routes.from[r];
}

/* ---------------------------------------------------------------- the trade network */

/**
 * @brief Grows the network's entry arrays to hold @p need entries.
 * @param net the network
 * @param need entries
 */
static void econ_net_reserve(struct js_econ_net *net, int64_t need)
{
    if (need <= net->cap)
        return;
    int64_t cap = net->cap ? 2 * net->cap : 1024;
    while (cap < need)
        cap *= 2;
    size_t c = (size_t)cap;
    net->node = js_xrealloc(net->node, c * sizeof(int32_t));
    net->pred = js_xrealloc(net->pred, c * sizeof(int32_t));
    net->route = js_xrealloc(net->route, c * sizeof(int32_t));
    net->cost = js_xrealloc(net->cost, c * sizeof(double));
    net->flow = js_xrealloc(net->flow, c * sizeof(int64_t));
    net->cap = cap;
}

/**
 * @brief True if the network was built for today's routes, owners, wars and season.
 * @param w the world
 * @param season the season
 */
static bool econ_net_current(const struct js_world *w, int season)
{
    const struct js_econ_net *net = &w->economy.net;
    size_t nf = (size_t)w->factions.n;
    return net->valid && net->season == season &&
           memcmp(net->closed, w->routes.closed, (size_t)w->routes.n) == 0 &&
           memcmp(net->owner, w->places.owner, (size_t)w->places.n * sizeof(int32_t)) == 0 &&
           memcmp(net->at_war, w->economy.at_war, nf * nf) == 0;
}

void econ_net_update(struct js_world *w, const struct js_day *d, const struct js_economy_params *p)
{
    struct js_econ_net *net = &w->economy.net;
    int season = (int)d->season;
    if (econ_net_current(w, season))
        return;
    net->n = 0;
    net->start[0] = 0;
    for (int32_t s = 0; s < w->places.n; s++) {
        int32_t nt, ns = econ_search(w, p, season, s, p->trade_max_cost, -1, -1, &nt);
        econ_net_reserve(net, net->n + ns);
        for (int32_t k = 1; k < ns; k++) { /* order[0] is the source itself */
            int32_t v = net->order[k], e = (int32_t)net->n++;
            int32_t u = econ_other_end(w, net->via[v], v);
            net->node[e] = v;
            net->cost[e] = net->dist[v];
            net->route[e] = net->via[v];
            net->pred[e] = u == s ? -1 : net->slot[u];
            net->slot[v] = e; /* settled: the slot now names the entry (reset below) */
        }
        econ_search_reset(net, nt);
        JS_ASSERT(net->n <= INT32_MAX);
        net->start[s + 1] = (int32_t)net->n;
    }
    memcpy(net->closed, w->routes.closed, (size_t)w->routes.n);
    memcpy(net->owner, w->places.owner, (size_t)w->places.n * sizeof(int32_t));
    size_t nf = (size_t)w->factions.n;
    memcpy(net->at_war, w->economy.at_war, nf * nf);
    net->season = season;
    net->valid = true;
}

/* ---------------------------------------------------------------- market trade */

/**
 * @brief c^θ, without pow() for the usual θ = 1.
 * @param c cost (> 0)
 * @param theta exponent
 */
static double econ_cost_pow(double c, double theta)
{
    return theta == 1.0 ? c : pow(c, theta);
}

/**
 * @brief What merchants of place @p s send along each of its entries today (parallel-safe:
 * writes only s's entries). Production-constrained gravity over transport cost:
 *
 *     X_sj = κ · S_s · (N_j / c_sj^θ) / Σ_k (N_k / c_sk^θ) · m_sj,
 *     m_sj = max(0, (p_j − p_s − c_sj) / p_j)
 *
 * with κ the trade rate, S_s the private stock, N the persons, c the cost per shi and p the
 * prices: grain goes where it sells above its price at home plus the carriage. Across a border
 * (different holders at peace) only the smuggled share moves: grain is banned at the markets.
 * @param w the world
 * @param p parameters
 * @param s the source place
 */
static void econ_trade_source(struct js_world *w, const struct js_economy_params *p, int32_t s)
{
    struct js_econ_net *net = &w->economy.net;
    const double *price = w->economy.price;
    int32_t e0 = net->start[s], e1 = net->start[s + 1];
    for (int32_t e = e0; e < e1; e++)
        net->flow[e] = 0;
    int64_t stock = w->places.grain[s];
    if (stock <= 0 || e0 == e1)
        return;
    double sum = 0.0;
    for (int32_t e = e0; e < e1; e++) {
        double c = net->cost[e] > 1e-6 ? net->cost[e] : 1e-6;
        sum +=
            (double)js_world_place_population(w, net->node[e]) / econ_cost_pow(c, p->trade_theta);
    }
    if (sum <= 0.0)
        return;
    double base = p->trade_rate * (double)stock / sum;
    int32_t fs = w->places.owner[s];
    for (int32_t e = e0; e < e1; e++) {
        int32_t j = net->node[e];
        if (price[j] <= 0.0)
            continue;
        double margin = (price[j] - price[s] - net->cost[e]) / price[j];
        if (margin <= 0.0)
            continue;
        double c = net->cost[e] > 1e-6 ? net->cost[e] : 1e-6;
        double x = base * (double)js_world_place_population(w, j) /
                   econ_cost_pow(c, p->trade_theta) * margin;
        int32_t fj = w->places.owner[j];
        if (fs >= 0 && fj >= 0 && fs != fj)
            x *= p->smuggling_share;
        net->flow[e] = (int64_t)floor(x);
    }
}

void econ_trade(struct js_world *w, const struct js_economy_params *p)
{
    struct js_econ_net *net = &w->economy.net;
    if (!net->valid || p->trade_rate <= 0.0 || net->n == 0)
        return;
    const int32_t n = w->places.n;
#pragma omp parallel for schedule(dynamic, 256) if (n >= ECON_PARALLEL_MIN)
    for (int32_t s = 0; s < n; s++)
        econ_trade_source(w, p, s);
    /* apply in (source, entry) order: exact integers, the same for any number of threads. Grain
     * moving between places stays with the holder `places`: no ledger flow (the census of places
     * is unchanged); /routes/grain_flow records it. */
    for (int32_t s = 0; s < n; s++) {
        for (int32_t e = net->start[s]; e < net->start[s + 1]; e++) {
            int64_t x = net->flow[e];
            if (x <= 0)
                continue;
            w->places.grain[s] -= x;
            w->places.grain[net->node[e]] += x;
            for (int32_t k = e; k >= 0; k = net->pred[k])
                w->economy.grain_flow[net->route[k]] += x;
        }
        JS_ASSERT(w->places.grain[s] >= 0);
    }
}

/* ---------------------------------------------------------------- state shipments */

/**
 * @brief Lays a shipment on the routes of the cheapest path just searched, and returns its
 * travel days by freight in the season (rounded up).
 * @param w the world
 * @param season the season
 * @param from the source
 * @param to the destination (reached)
 * @param amount sheng carried
 */
static int32_t econ_path_lay(struct js_world *w, int season, int32_t from, int32_t to,
                             int64_t amount)
{
    const struct js_econ_net *net = &w->economy.net;
    double days = 0.0;
    for (int32_t v = to; v != from;) {
        int32_t r = net->via[v], u = econ_other_end(w, r, v);
        int32_t arc = w->routes.from[r] == u ? 2 * r : 2 * r + 1;
        days += js_graph_arc_days(&w->graph, arc, JS_MOVER_FREIGHT, (enum js_season)season);
        w->economy.grain_flow[r] += amount;
        v = u;
    }
    return (int32_t)ceil(days);
}

void econ_shipments(struct js_world *w, const struct js_day *d, const struct js_economy_params *p)
{
    struct js_economy *e = &w->economy;
    struct js_shipments *sh = &e->shipments;
    int season = (int)d->season;
    for (int32_t k = 0; k < sh->n; k++) {
        if (d->day % sh->every_days[k] != 0)
            continue;
        int32_t from = sh->from[k], to = sh->to[k], f = w->places.owner[from];
        int64_t amount = (int64_t)llround(sh->shi_per_year[k] * (double)sh->every_days[k] /
                                          ECON_DAYS_PER_YEAR * ECON_SHENG_PER_SHI);
        if (!sh->off_map[k] && amount > e->granary[from])
            amount = e->granary[from];
        if (f < 0 || w->places.owner[to] != f || amount <= 0) {
            sh->blocked[k]++;
            continue;
        }
        int32_t nt;
        econ_search(w, p, season, from, INFINITY, f, to, &nt);
        bool reached = e->net.slot[to] == -2;
        int32_t days = reached ? econ_path_lay(w, season, from, to, amount) : 0;
        econ_search_reset(&e->net, nt);
        if (!reached) {
            sh->blocked[k]++;
            continue;
        }
        if (sh->off_map[k]) {
            js_ledger_add(&w->ledger, JS_FLOW_TAX_GRAIN_OFF_MAP, amount);
            econ_revenue(e, f, JS_REV_LAND_TAX, JS_CUR_GRAIN, amount);
        } else {
            e->granary[from] -= amount;
            js_ledger_add(&w->ledger, JS_FLOW_GRAIN_DISPATCHED, amount);
        }
        int64_t cargo[JS_NCURRENCIES] = {0};
        cargo[JS_CUR_GRAIN] = amount;
        econ_convoy_start(w, d, JS_CONVOY_SHIPMENT, k, f, f, to, days, cargo);
        sh->sent[k] += amount;
    }
}
