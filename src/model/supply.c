/**
 * @file supply.c
 * @brief Army supply (phase 7): eating (parallel over armies), then requisition, foraging and
 * porters going home in army id order (they change places' grain and people).
 */

/* system headers */
#include <math.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/log.h"
#include "jinsong/supply.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

/** @brief Most places an army forages from in a day (itself and its neighbours). */
#define SUPPLY_MAX_PLACES 64

/**
 * @brief Soldiers (fit and wounded men of the fighting arms): Shen Kuo's teams.
 * @param a the armies
 * @param i army
 */
static int64_t supply_soldiers(const struct js_armies *a, int32_t i)
{
    int64_t s = 0;
    for (int k = 0; k < JS_NFIGHT; k++)
        s += a->fit[ARM(i, k)] + a->wounded[ARM(i, k)];
    return s;
}

int64_t js_supply_capacity(const struct js_armies *a, int32_t i, const struct js_supply_params *p)
{
    double porters = (double)(a->fit[ARM(i, JS_ARM_PORTERS)] + a->wounded[ARM(i, JS_ARM_PORTERS)]);
    return llround((double)supply_soldiers(a, i) * p->self_carry_sheng +
                   porters * p->porter_load_sheng);
}

int64_t js_supply_daily_need(const struct js_armies *a, int32_t i, const struct js_supply_params *p)
{
    return llround(p->ration_sheng * (double)js_army_persons(a, i));
}

/**
 * @brief Eating: the men take today's rations from the carried food, the horses their grain
 * when the season gives no grazing.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i army
 * @param eaten out: grain eaten by the men
 * @param fodder out: grain eaten by the horses
 */
static void supply_eat(struct js_world *w, const struct js_day *d, const struct js_supply_params *p,
                       int32_t i, int64_t *eaten, int64_t *fodder)
{
    struct js_armies *a = &w->armies;
    int64_t need = js_supply_daily_need(a, i, p);
    int64_t e = a->food[i] < need ? a->food[i] : need;
    a->food[i] -= e;
    a->fed[i] = need > 0 ? (double)e / (double)need : 1.0;
    int64_t hneed = llround(p->horse_grain_sheng[d->season] * (double)a->horses[i]);
    int64_t h = a->fodder[i] < hneed ? a->fodder[i] : hneed;
    a->fodder[i] -= h;
    a->horses_fed[i] = hneed > 0 ? (double)h / (double)hneed : 1.0;
    *eaten = e;
    *fodder = h;
}

/**
 * @brief The places an army can draw on today. A place stands for its prefecture, whose land
 * reaches half way to its neighbours: the army draws on the prefecture it is in (where it
 * stands, or the nearer end of its route), and on any other place within the forage radius.
 * @param w the world
 * @param i army
 * @param p parameters
 * @param out places, the army's own first
 * @return how many
 */
static int supply_places(const struct js_world *w, int32_t i, const struct js_supply_params *p,
                         int32_t out[SUPPLY_MAX_PLACES])
{
    const struct js_armies *a = &w->armies;
    const struct js_graph *g = &w->graph;
    int n = 0;
    if (a->place[i] >= 0) {
        int32_t here = a->place[i];
        out[n++] = here;
        for (int32_t k = g->out_start[here]; k < g->out_start[here + 1] && n < SUPPLY_MAX_PLACES;
             k++) {
            int32_t arc = g->out_arcs[k];
            if (w->routes.km[g->arcs[arc].route] <= p->forage_radius_km)
                out[n++] = g->arcs[arc].to;
        }
        return n;
    }
    const struct js_arc *arc = &g->arcs[a->arc[i]];
    double kt = w->routes.km[arc->route];
    bool from_near = a->km[i] < 0.5 * kt;
    out[n++] = from_near ? arc->from : arc->to;
    if (from_near && kt - a->km[i] <= p->forage_radius_km)
        out[n++] = arc->to;
    if (!from_near && a->km[i] <= p->forage_radius_km)
        out[n++] = arc->from;
    return n;
}

/**
 * @brief Refills the army's food, then its fodder, from the places it can draw on: a share of a
 * friendly place's grain by requisition, of another place's by foraging (at most what its fit
 * men can gather). The grain leaves places.grain.
 * @param w the world
 * @param i army
 * @param p parameters
 */
static void supply_refill(struct js_world *w, int32_t i, const struct js_supply_params *p)
{
    struct js_armies *a = &w->armies;
    int64_t want[2] = {js_supply_capacity(a, i, p) - a->food[i],
                       llround(p->fodder_carry_sheng * (double)a->horses[i]) - a->fodder[i]};
    int64_t *stock[2] = {&a->food[i], &a->fodder[i]};
    if (want[0] <= 0 && want[1] <= 0)
        return;
    int64_t gather = llround(p->forage_sheng_per_man * (double)js_army_strength(a, i));
    int32_t pl[SUPPLY_MAX_PLACES];
    int n = supply_places(w, i, p, pl);
    for (int k = 0; k < n; k++) {
        int32_t q = pl[k];
        bool friendly = w->places.owner[q] == a->owner[i];
        double share = friendly ? p->requisition_share : p->forage_share;
        int64_t avail = (int64_t)floor(share * (double)w->places.grain[q]);
        if (!friendly && avail > gather)
            avail = gather;
        for (int s = 0; s < 2 && avail > 0; s++) {
            int64_t take = want[s] < avail ? want[s] : avail;
            if (take <= 0)
                continue;
            *stock[s] += take;
            want[s] -= take;
            avail -= take;
            w->places.grain[q] -= take;
            if (!friendly)
                gather -= take;
            js_ledger_add(&w->ledger, friendly ? JS_FLOW_ARMY_REQUISITION : JS_FLOW_ARMY_FORAGE,
                          take);
        }
    }
}

/**
 * @brief Days for a porter to walk home to the army's base at the march pace (before the
 * return-speed factor), INFINITY if the base cannot be reached.
 * @param w the world
 * @param d today
 * @param i army
 */
static double supply_days_home(struct js_world *w, const struct js_day *d, int32_t i)
{
    const struct js_armies *a = &w->armies;
    const struct js_graph *g = &w->graph;
    const struct js_tree *t =
        js_graph_tree(&w->graph, a->base[i], JS_MOVER_FOOT, d->season, JS_TO_ROOT);
    if (a->place[i] >= 0)
        return t->days[a->place[i]];
    int32_t arc = a->arc[i];
    double f = a->km[i] / w->routes.km[arc >> 1];
    double back =
        js_graph_arc_days(g, arc ^ 1, JS_MOVER_FOOT, d->season) * f + t->days[g->arcs[arc].from];
    double ahead =
        js_graph_arc_days(g, arc, JS_MOVER_FOOT, d->season) * (1.0 - f) + t->days[g->arcs[arc].to];
    return back < ahead ? back : ahead;
}

/**
 * @brief Shen Kuo's porters: in each team (a soldier and his porters) one porter turns home
 * when a whole load, less his ration for the way home, has been eaten from the team's stores,
 * provided his going lengthens the army's endurance (food x ration > return ration x daily
 * need); the last porter of a team stays. Teams are the army's soldiers; its porters are spread
 * over them, so porters turn home one per team at a time.
 * @param w the world
 * @param d today
 * @param i army
 * @param p parameters
 */
static void supply_porters(struct js_world *w, const struct js_day *d, int32_t i,
                           const struct js_supply_params *p)
{
    struct js_armies *a = &w->armies;
    int64_t teams = supply_soldiers(a, i), porters = a->fit[ARM(i, JS_ARM_PORTERS)];
    if (teams == 0 || porters <= teams)
        return;
    double days = supply_days_home(w, d, i);
    if (!isfinite(days))
        return;
    double ret = p->ration_sheng * days / p->porter_return_speed; /* sheng per porter */
    double load = p->porter_load_sheng;
    double food = (double)a->food[i], need = (double)js_supply_daily_need(a, i, p);
    if (ret >= load || food * p->ration_sheng <= ret * need)
        return;
    double spare = (double)js_supply_capacity(a, i, p) - food;
    int64_t per_team = (int64_t)floor(spare / ((double)teams * (load - ret)));
    int64_t k = per_team * teams;
    if (k > porters - teams)
        k = porters - teams;
    if (k <= 0)
        return;
    int64_t rations = k * llround(ret);
    if (rations > a->food[i])
        rations = a->food[i];
    a->food[i] -= rations;
    a->fit[ARM(i, JS_ARM_PORTERS)] -= k;
    w->places.pop[(size_t)a->base[i] * JS_NCLASSES + JS_CLASS_FARMERS] += k;
    js_ledger_add(&w->ledger, JS_FLOW_PORTER_RATIONS, rations);
    js_ledger_add(&w->ledger, JS_FLOW_PORTERS_HOME, k);
}

void js_supply_step(struct js_world *w, const struct js_day *d, const struct js_supply_params *p)
{
    struct js_armies *a = &w->armies;
    const int32_t n = a->n;
    int64_t eaten = 0, fodder = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : eaten, fodder)
    for (int32_t i = 0; i < n; i++) {
        if (!a->active[i] || js_world_army_shut_in(w, i)) /* the siege feeds a shut-in garrison */
            continue;
        int64_t e, h;
        supply_eat(w, d, p, i, &e, &h);
        eaten += e;
        fodder += h;
    }
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_RATIONS, eaten);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_FODDER, fodder);
    for (int32_t i = 0; i < n; i++) {
        if (!a->active[i] || js_world_army_shut_in(w, i))
            continue;
        supply_refill(w, i, p);
        supply_porters(w, d, i, p);
        int64_t need = js_supply_daily_need(a, i, p);
        a->food_days[i] = need > 0 ? (double)a->food[i] / (double)need : 0.0;
    }
}
