/**
 * @file army_move.c
 * @brief Army movement (phase 4): goals applied in army id order, river crossings with a daily
 * throughput, contacts between hostile armies, and the threat armies spread over places.
 */

/* system headers */
#include <math.h>
#include <string.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/log.h"

/** @brief Most arcs an army may pass in a day (a guard; speeds never allow as many). */
#define MOVE_MAX_HOPS 64

/**
 * @brief True if armies of a faction other than @p f stood at @p place at dawn.
 * @param a the armies
 * @param place place
 * @param f faction
 */
static bool move_hostile_at(const struct js_armies *a, int32_t place, int32_t f)
{
    int32_t pres = a->presence[place];
    return pres != -1 && pres != f;
}

/**
 * @brief Records which factions have armies at each place at dawn (-1 none, -2 several).
 * @param w the world
 */
static void move_presence(struct js_world *w)
{
    struct js_armies *a = &w->armies;
    for (int32_t p = 0; p < a->n_places; p++)
        a->presence[p] = -1;
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || a->place[i] < 0 || a->state[i] == JS_ARMY_ROUTED)
            continue; /* a routed army blocks nothing */
        int32_t *pr = &a->presence[a->place[i]];
        if (*pr == -1)
            *pr = a->owner[i];
        else if (*pr != a->owner[i])
            *pr = -2;
    }
}

/**
 * @brief Position along the army's route, in km from the route's `from` end.
 * @param w the world
 * @param i army (on an arc)
 */
static double move_route_pos(const struct js_world *w, int32_t i)
{
    const struct js_armies *a = &w->armies;
    int32_t arc = a->arc[i];
    return (arc & 1) ? w->routes.km[arc >> 1] - a->km[i] : a->km[i];
}

/**
 * @brief Sets the army's position along its route from km from the route's `from` end.
 * @param w the world
 * @param i army (on an arc)
 * @param pos km from `from`
 */
static void move_set_route_pos(struct js_world *w, int32_t i, double pos)
{
    struct js_armies *a = &w->armies;
    int32_t arc = a->arc[i];
    a->km[i] = (arc & 1) ? w->routes.km[arc >> 1] - pos : pos;
}

/**
 * @brief Travel budget of the day, in days of the army's normal pace: forced marches, fatigue
 * and the column of a very large army.
 * @param w the world
 * @param i army
 * @param m mover
 * @param p parameters
 */
static double move_budget(const struct js_world *w, int32_t i, enum js_mover m,
                          const struct js_army_params *p)
{
    const struct js_armies *a = &w->armies;
    double b = (a->goal_forced[i] ? p->forced_march_factor : 1.0) * (1.0 - a->fatigue[i]);
    double extra = (double)js_army_persons(a, i) - p->column_free_men;
    double v = w->graph_params.speed[m][JS_SPEED_ROAD];
    if (extra > 0 && v > 0) {
        double col_km = extra / p->column_men_per_km;
        b *= v / (v + col_km);
    }
    return b;
}

/**
 * @brief An army on a route turns back if its goal lies behind it.
 * @param w the world
 * @param i army
 * @param goal goal place
 * @param m mover
 * @param s season
 */
static void move_maybe_reverse(struct js_world *w, int32_t i, int32_t goal, enum js_mover m,
                               enum js_season s)
{
    struct js_armies *a = &w->armies;
    const struct js_graph *g = &w->graph;
    int32_t arc = a->arc[i];
    const struct js_tree *t = js_graph_tree(&w->graph, goal, m, s, JS_TO_ROOT);
    double kt = w->routes.km[arc >> 1], f = a->km[i] / kt;
    double ahead = js_graph_arc_days(g, arc, m, s) * (1.0 - f) + t->days[g->arcs[arc].to];
    double back = js_graph_arc_days(g, arc ^ 1, m, s) * f + t->days[g->arcs[arc].from];
    if (back < ahead || (!isfinite(ahead) && isfinite(js_graph_arc_days(g, arc ^ 1, m, s)))) {
        a->arc[i] = arc ^ 1;
        a->km[i] = kt - a->km[i];
    }
}

/**
 * @brief At a place, on the way to @p goal: the next arc, or -1 when the army stops here
 * (goal reached, unreachable, an enemy met, a held crossing, or queued at a crossing).
 * @param w the world
 * @param i army
 * @param goal goal place
 * @param start place where it started the day
 * @param m mover
 * @param s season
 */
static int32_t move_next_arc(struct js_world *w, int32_t i, int32_t goal, int32_t start,
                             enum js_mover m, enum js_season s)
{
    struct js_armies *a = &w->armies;
    int32_t here = a->place[i], f = a->owner[i];
    if (goal < 0 || goal == here)
        return -1;
    if (here != start && move_hostile_at(a, here, f))
        return -1; /* marched into an enemy: stop and face it */
    int32_t arc = js_graph_tree(&w->graph, goal, m, s, JS_TO_ROOT)->next_arc[here];
    if (arc < 0)
        return -1;
    int32_t r = arc >> 1;
    if (w->routes.kind[r] != JS_ROUTE_CROSSING)
        return arc;
    if (move_hostile_at(a, w->graph.arcs[arc].to, f)) {
        a->contact_route[i] = r; /* the far bank is held: it must be fought for */
        a->assault[i] = 1;
        return -1;
    }
    double cap = w->routes.capacity[r];
    if (cap <= 0)
        return arc;
    int64_t persons = js_army_persons(a, i), avail = llround(cap) - a->crossing_used[r];
    int64_t over = persons - a->crossed[i];
    int64_t n = over < avail ? over : (avail > 0 ? avail : 0);
    a->crossed[i] += n;
    a->crossing_used[r] += n;
    if (a->crossed[i] < persons) {
        a->state[i] = JS_ARMY_CROSSING;
        return -1;
    }
    a->crossed[i] = 0;
    return arc;
}

/**
 * @brief Moves one army toward its goal for at most its day's budget.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i army
 */
static void move_one(struct js_world *w, const struct js_day *d, const struct js_army_params *p,
                     int32_t i)
{
    struct js_armies *a = &w->armies;
    const struct js_graph *g = &w->graph;
    enum js_mover m = js_army_mover(a, i);
    enum js_season s = d->season;
    int32_t goal = a->goal[i], start = a->place[i];
    if (a->arc[i] >= 0) {
        if (goal < 0)
            goal = g->arcs[a->arc[i]].to; /* no goal: finish the stage to the next place */
        else
            move_maybe_reverse(w, i, goal, m, s);
        a->entry_pos[i] = move_route_pos(w, i);
    }
    double budget = move_budget(w, i, m, p);
    for (int hop = 0; hop < MOVE_MAX_HOPS && budget > 1e-12; hop++) {
        if (a->place[i] >= 0) {
            int32_t arc = move_next_arc(w, i, goal, start, m, s);
            if (arc < 0)
                break;
            a->arc[i] = arc;
            a->place[i] = -1;
            a->km[i] = 0;
            a->entry_pos[i] = (arc & 1) ? w->routes.km[arc >> 1] : 0.0;
        }
        int32_t arc = a->arc[i];
        double t = js_graph_arc_days(g, arc, m, s), kt = w->routes.km[arc >> 1];
        if (!isfinite(t) || t <= 0) {
            if (t <= 0) { /* a zero-length stage */
                a->place[i] = g->arcs[arc].to;
                a->arc[i] = -1;
                a->km[i] = 0;
                continue;
            }
            break; /* closed under it, or impassable for it: it waits */
        }
        double rem = t * (1.0 - a->km[i] / kt);
        a->moved[i] = 1;
        if (budget >= rem) {
            budget -= rem;
            a->place[i] = g->arcs[arc].to;
            a->arc[i] = -1;
            a->km[i] = 0;
        } else {
            a->km[i] += kt * budget / t;
            budget = 0;
        }
    }
}

/**
 * @brief Sets the army's state, fatigue, days in the field and order after its move.
 * @param w the world
 * @param p parameters
 * @param i army
 * @param prev its state at dawn
 */
static void move_after(struct js_world *w, const struct js_army_params *p, int32_t i, uint8_t prev)
{
    struct js_armies *a = &w->armies;
    int32_t here = a->place[i];
    uint8_t st;
    if (prev == JS_ARMY_ROUTED && a->state_days[i] + 1 < p->rout_days)
        st = JS_ARMY_ROUTED;
    else if (a->state[i] == JS_ARMY_CROSSING)
        st = JS_ARMY_CROSSING;
    else if (a->moved[i] || here < 0)
        st = a->goal_kind[i] == JS_GOAL_RETREAT ? JS_ARMY_RETREATING : JS_ARMY_MARCHING;
    else if (w->places.owner[here] != a->owner[i] && w->places.walls[here] > 0)
        st = JS_ARMY_BESIEGING; /* stationary before hostile walls */
    else
        st = JS_ARMY_HOLDING;
    a->state_days[i] = st == prev ? a->state_days[i] + 1 : 0;
    a->state[i] = st;
    if (st != JS_ARMY_CROSSING)
        a->crossed[i] = 0;
    if (a->moved[i] && a->goal_forced[i])
        a->fatigue[i] += p->fatigue_forced;
    else if (!a->moved[i])
        a->fatigue[i] -= p->fatigue_recovery;
    a->fatigue[i] = a->fatigue[i] < 0                ? 0
                    : a->fatigue[i] > p->fatigue_max ? p->fatigue_max
                                                     : a->fatigue[i];
    a->days_field[i] = here == a->base[i] ? 0 : a->days_field[i] + 1;
    if (here < 0 || here != a->order_place[i])
        return;
    switch ((enum js_order)a->order[i]) { /* orders carried out */
    case JS_ORDER_MARCH_TO:
    case JS_ORDER_RETREAT_TO:
        a->order[i] = JS_ORDER_NONE;
        break;
    case JS_ORDER_RAID:
        a->order[i] = JS_ORDER_RETREAT_TO;
        a->order_place[i] = a->base[i];
        break;
    default:
        break;
    }
}

/**
 * @brief Marks contacts at places: every army at a place where armies of two or more factions
 * stand.
 * @param w the world
 */
static void move_place_contacts(struct js_world *w)
{
    struct js_armies *a = &w->armies;
    for (int32_t q = 0; q < a->n_places; q++)
        a->head_place[q] = -1;
    for (int32_t i = a->n - 1; i >= 0; i--) { /* lists in id order */
        if (!a->active[i] || a->place[i] < 0)
            continue;
        a->next[i] = a->head_place[a->place[i]];
        a->head_place[a->place[i]] = i;
    }
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || a->place[i] < 0 || a->head_place[a->place[i]] != i)
            continue;
        bool mixed = false;
        for (int32_t j = a->next[i]; j >= 0 && !mixed; j = a->next[j])
            mixed = a->owner[j] != a->owner[i];
        if (!mixed)
            continue;
        for (int32_t j = i; j >= 0; j = a->next[j]) {
            a->contact_place[j] = a->place[j];
            a->contact_route[j] = -1;
        }
    }
}

/**
 * @brief Defenders of crossings: hostile armies at the far end of a crossing an army assaults
 * join the battle on that crossing (unless they fight at their place).
 * @param w the world
 */
static void move_crossing_contacts(struct js_world *w)
{
    struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || !a->assault[i] || a->contact_place[i] >= 0)
            continue;
        int32_t r = a->contact_route[i];
        int32_t far = w->routes.from[r] == a->place[i] ? w->routes.to[r] : w->routes.from[r];
        for (int32_t j = a->head_place[far]; j >= 0; j = a->next[j])
            if (a->owner[j] != a->owner[i] && a->contact_place[j] < 0 && a->contact_route[j] < 0)
                a->contact_route[j] = r;
    }
}

/**
 * @brief Meets hostile armies on the same route whose paths crossed today or who ended the day
 * within contact_km: both stop where they met.
 * @param w the world
 * @param p parameters
 */
static void move_route_contacts(struct js_world *w, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    for (int32_t r = 0; r < a->n_routes; r++)
        a->head_route[r] = -1;
    for (int32_t i = a->n - 1; i >= 0; i--) {
        if (!a->active[i] || a->arc[i] < 0)
            continue;
        a->next[i] = a->head_route[a->arc[i] >> 1];
        a->head_route[a->arc[i] >> 1] = i;
    }
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || a->arc[i] < 0)
            continue;
        int32_t r = a->arc[i] >> 1;
        for (int32_t j = a->next[i]; j >= 0; j = a->next[j]) {
            if (a->owner[j] == a->owner[i])
                continue;
            double ei = a->entry_pos[i], ej = a->entry_pos[j];
            double pi = move_route_pos(w, i), pj = move_route_pos(w, j);
            bool crossed = (ei - ej) * (pi - pj) < 0; /* their order on the route flipped */
            if (!crossed && fabs(pi - pj) > p->contact_km)
                continue;
            if (crossed) { /* where the two straight paths met */
                double di = pi - ei, dj = pj - ej, den = di - dj;
                double t = den != 0 ? (ej - ei) / den : 1.0;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double at = ei + t * di;
                move_set_route_pos(w, i, at);
                move_set_route_pos(w, j, at);
            }
            a->contact_route[i] = a->contact_route[j] = r;
        }
    }
}

/**
 * @brief places.threat: for each place, the largest exp(-days / D) over the armies of factions
 * other than its owner (days of march from the army, for its mover), 0 below threat_min.
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void move_threat(struct js_world *w, const struct js_day *d, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    double *threat = w->places.threat;
    for (int32_t q = 0; q < w->places.n; q++)
        threat[q] = 0.0;
    double cutoff = p->threat_days * log(1.0 / p->threat_min);
    const struct js_graph *g = &w->graph;
    for (int32_t f = 0; f < w->factions.n; f++) {
        for (int m = JS_MOVER_FOOT; m <= JS_MOVER_HORSE; m++) {
            int32_t ns = 0;
            for (int32_t i = 0; i < a->n; i++) {
                if (!a->active[i] || a->owner[i] != f || (int)js_army_mover(a, i) != m)
                    continue;
                if (a->place[i] >= 0) {
                    a->reach_src[ns] = a->place[i];
                    a->reach_src_days[ns++] = 0.0;
                    continue;
                }
                int32_t arc = a->arc[i];
                double fr = a->km[i] / w->routes.km[arc >> 1];
                a->reach_src[ns] = g->arcs[arc].to;
                a->reach_src_days[ns++] =
                    js_graph_arc_days(g, arc, (enum js_mover)m, d->season) * (1.0 - fr);
                a->reach_src[ns] = g->arcs[arc].from;
                a->reach_src_days[ns++] =
                    js_graph_arc_days(g, arc ^ 1, (enum js_mover)m, d->season) * fr;
            }
            if (ns == 0)
                continue;
            js_reach_run(&a->reach, g, (enum js_mover)m, d->season, a->reach_src, a->reach_src_days,
                         ns, cutoff);
            for (int32_t k = 0; k < a->reach.ntouched; k++) {
                int32_t q = a->reach.touched[k];
                if (w->places.owner[q] == f)
                    continue;
                double t = exp(-a->reach.days[q] / p->threat_days);
                if (t >= p->threat_min && t > threat[q])
                    threat[q] = t > 1.0 ? 1.0 : t;
            }
        }
    }
}

void js_army_move(struct js_world *w, const struct js_day *d, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    if (a->n == 0) {
        for (int32_t q = 0; q < w->places.n; q++)
            w->places.threat[q] = 0.0;
        return;
    }
    move_presence(w);
    for (int32_t r = 0; r < a->n_routes; r++)
        a->crossing_used[r] = 0;
    for (int32_t i = 0; i < a->n; i++) {
        a->contact_place[i] = a->contact_route[i] = -1;
        a->moved[i] = a->fought[i] = a->assault[i] = 0;
        if (!a->active[i])
            continue;
        uint8_t prev = a->state[i];
        if (prev == JS_ARMY_CROSSING)
            a->state[i] = JS_ARMY_MARCHING; /* re-queues if still not over */
        move_one(w, d, p, i);
        move_after(w, p, i, prev);
    }
    move_place_contacts(w);
    move_crossing_contacts(w);
    move_route_contacts(w, p);
    move_threat(w, d, p);
}
