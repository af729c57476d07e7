/**
 * @file army.c
 * @brief Army decisions (phase 3): orders and doctrine turned into a goal for the day, in
 * parallel, each army writing only its own intent; scripted orders and levies.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/battle.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

enum js_mover js_army_mover(const struct js_armies *a, int32_t i)
{
    int64_t foot = 0, mounted = 0;
    for (int k = 0; k < JS_NARMS; k++) {
        int64_t men = a->fit[ARM(i, k)] + a->wounded[ARM(i, k)];
        if (js_arm_mounted(k))
            mounted += men;
        else
            foot += men;
    }
    return foot == 0 && mounted > 0 && a->horses[i] >= mounted ? JS_MOVER_HORSE : JS_MOVER_FOOT;
}

int32_t js_army_anchor(const struct js_world *w, int32_t i)
{
    const struct js_armies *a = &w->armies;
    if (a->place[i] >= 0)
        return a->place[i];
    const struct js_arc *arc = &w->graph.arcs[a->arc[i]];
    double kt = w->routes.km[arc->route];
    return a->km[i] < 0.5 * kt ? arc->from : arc->to;
}

/**
 * @brief Sets an army's latitude and longitude (interpolated along its route).
 * @param w the world
 * @param i army
 */
static void army_locate(struct js_world *w, int32_t i)
{
    struct js_armies *a = &w->armies;
    const struct js_places *pl = &w->places;
    if (a->place[i] >= 0) {
        a->lat[i] = pl->lat[a->place[i]];
        a->lon[i] = pl->lon[a->place[i]];
        return;
    }
    const struct js_arc *arc = &w->graph.arcs[a->arc[i]];
    double f = a->km[i] / w->routes.km[arc->route];
    a->lat[i] = pl->lat[arc->from] + f * (pl->lat[arc->to] - pl->lat[arc->from]);
    a->lon[i] = pl->lon[arc->from] + f * (pl->lon[arc->to] - pl->lon[arc->from]);
}

/**
 * @brief Serial preparation of the parallel decide phase: positions, and the shortest-path
 * trees toward every target an army may weigh (filled here, read from the cache in parallel).
 * @param w the world
 * @param s season
 * @param p parameters
 */
static void army_prepare(struct js_world *w, enum js_season s, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i])
            continue;
        army_locate(w, i);
        enum js_mover m = js_army_mover(a, i);
        a->mover[i] = (uint8_t)m;
        a->speed[i] = w->graph_params.speed[m][JS_SPEED_ROAD];
        a->coslat[i] = cos(a->lat[i] * (M_PI / 180.0));
        const struct js_doctrine *doc = &p->doctrine[a->owner[i]];
        for (int32_t t = 0; t < doc->ntargets; t++)
            js_graph_tree(&w->graph, doc->target[t], m, s, JS_TO_ROOT);
    }
}

/** @brief What an army knows of the hostile armies near it. */
struct army_enemies {
    int64_t fit[JS_NFIGHT]; /**< their fit men by arm, within near_days */
    double skill;           /**< strength-weighted skill of their commanders */
    int32_t nearest;        /**< the nearest hostile army within seek range, or -1 */
    double nearest_days;    /**< its distance in days */
};

/** @brief Km per degree of latitude (R = 6371 km). */
#define ARMY_KM_PER_DEGREE (6371.0 * M_PI / 180.0)

/**
 * @brief Km between two points as a commander reckons them: the equirectangular approximation of
 * the great-circle distance (within a fraction of a percent at the distances of a few days'
 * march), times the graph's sinuosity.
 * @param w the world
 * @param lat1 latitude of the first point
 * @param lon1 its longitude
 * @param c1 cosine of its latitude
 * @param lat2 latitude of the second point
 * @param lon2 its longitude
 * @param c2 cosine of its latitude
 */
static double army_reckon_km(const struct js_world *w, double lat1, double lon1, double c1,
                             double lat2, double lon2, double c2)
{
    double dy = lat2 - lat1, dx = (lon2 - lon1) * 0.5 * (c1 + c2);
    return sqrt(dx * dx + dy * dy) * ARMY_KM_PER_DEGREE * w->graph_params.sinuosity;
}

/**
 * @brief Days for army @p j to reach army @p i at its road speed.
 * @param w the world
 * @param i the army weighing
 * @param j the other army
 */
static double army_days_between(const struct js_world *w, int32_t i, int32_t j)
{
    const struct js_armies *a = &w->armies;
    double km =
        army_reckon_km(w, a->lat[i], a->lon[i], a->coslat[i], a->lat[j], a->lon[j], a->coslat[j]);
    return a->speed[j] > 0 ? km / a->speed[j] : INFINITY;
}

/**
 * @brief Sums the hostile armies within reach of army @p i.
 * @param w the world
 * @param i army
 * @param p parameters
 * @param seek_days range of the search for the nearest enemy
 * @param out what it knows
 */
static void army_scan_enemies(const struct js_world *w, int32_t i, const struct js_army_params *p,
                              double seek_days, struct army_enemies *out)
{
    const struct js_armies *a = &w->armies;
    memset(out, 0, sizeof(*out));
    out->nearest = -1;
    out->nearest_days = INFINITY;
    double wsum = 0;
    for (int32_t j = 0; j < a->n; j++) {
        if (!a->active[j] || a->owner[j] == a->owner[i])
            continue;
        double days = army_days_between(w, i, j);
        if (days <= p->battle.engage.near_days) {
            int64_t s = 0;
            for (int k = 0; k < JS_NFIGHT; k++) {
                out->fit[k] += a->fit[ARM(j, k)];
                s += a->fit[ARM(j, k)];
            }
            out->skill += (double)s * a->skill[j];
            wsum += (double)s;
        }
        if (days <= seek_days && days < out->nearest_days && a->state[j] != JS_ARMY_ROUTED) {
            out->nearest = j;
            out->nearest_days = days;
        }
    }
    out->skill = wsum > 0 ? out->skill / wsum : 0.5;
}

/**
 * @brief The estimated chance of army @p i against the enemies it knows of (true strengths;
 * the commander's error is added by js_battle_wants_fight).
 * @param w the world
 * @param i army
 * @param en the enemies
 * @param bp battle parameters (arm matrix)
 * @param own_power out: own power
 * @param en_power out: enemy power
 */
static double army_odds(const struct js_world *w, int32_t i, const struct army_enemies *en,
                        const struct js_battle_params *bp, double *own_power, double *en_power)
{
    const struct js_armies *a = &w->armies;
    int64_t own[JS_NFIGHT];
    for (int k = 0; k < JS_NFIGHT; k++)
        own[k] = a->fit[ARM(i, k)];
    enum js_terrain t = (enum js_terrain)a->place_terrain[js_army_anchor(w, i)];
    *own_power =
        js_battle_power(own, en->fit, t, bp) * (1 + bp->quality_skill * (a->skill[i] - 0.5));
    *en_power = js_battle_power(en->fit, own, t, bp) * (1 + bp->quality_skill * (en->skill - 0.5));
    return js_battle_odds(*own_power, *en_power, &bp->engage);
}

/**
 * @brief Whether the doctrine sends the army back: morale broken, food running out where the land
 * has nothing left to take, or enemies near that it cannot beat.
 * @param w the world
 * @param i army
 * @param doc its faction's doctrine
 * @param odds its chance against the enemies near (1 when none)
 * @param enemies_near true if any enemy is within near_days
 */
static bool army_should_retreat(const struct js_world *w, int32_t i, const struct js_doctrine *doc,
                                double odds, bool enemies_near)
{
    const struct js_armies *a = &w->armies;
    if (a->morale[i] < doc->retreat_morale_below)
        return true;
    if (enemies_near && odds < doc->retreat_odds_below)
        return true;
    bool supplied = w->places.grain[js_army_anchor(w, i)] > 0; /* it can draw on its prefecture */
    return !supplied && a->food_days[i] < doc->retreat_food_days_below;
}

/**
 * @brief Fit men, by arm, of the armies hostile to @p f within @p days of march of a place
 * (great-circle reckoning at each army's road speed), and their strength-weighted skill.
 * @param w the world
 * @param f faction
 * @param place the place
 * @param days range
 * @param out the enemies (nearest left unset)
 */
static void army_enemies_near_place(const struct js_world *w, int32_t f, int32_t place, double days,
                                    struct army_enemies *out)
{
    const struct js_armies *a = &w->armies;
    memset(out, 0, sizeof(*out));
    out->nearest = -1;
    double wsum = 0, lat = w->places.lat[place], lon = w->places.lon[place];
    double cl = cos(lat * (M_PI / 180.0));
    for (int32_t j = 0; j < a->n; j++) {
        if (!a->active[j] || a->owner[j] == f)
            continue;
        double km = army_reckon_km(w, lat, lon, cl, a->lat[j], a->lon[j], a->coslat[j]);
        if (a->speed[j] <= 0 || km / a->speed[j] > days)
            continue;
        int64_t st = 0;
        for (int k = 0; k < JS_NFIGHT; k++) {
            out->fit[k] += a->fit[ARM(j, k)];
            st += a->fit[ARM(j, k)];
        }
        out->skill += (double)st * a->skill[j];
        wsum += (double)st;
    }
    out->skill = wsum > 0 ? out->skill / wsum : 0.5;
}

/**
 * @brief The doctrine's choice for an army without orders: finish a siege on the way, seek a
 * beatable enemy, march on the first hostile target where the enemies would not put it to flight,
 * or relieve a threatened own target when it expects to beat the enemies there.
 * @param w the world
 * @param s season
 * @param i army
 * @param doc doctrine
 * @param en the enemies it knows of
 * @param thr its threshold of odds to attack
 * @param bp battle parameters
 * @param kind out: why
 * @return the goal, or -1 to stay
 */
static int32_t army_doctrine_goal(const struct js_world *w, enum js_season s, int32_t i,
                                  const struct js_doctrine *doc, const struct army_enemies *en,
                                  double thr, const struct js_battle_params *bp, uint8_t *kind)
{
    const struct js_armies *a = &w->armies;
    const struct js_places *pl = &w->places;
    int32_t here = a->place[i], f = a->owner[i];
    double own_p, en_p;
    /* a weakly walled hostile place reached on the way is besieged for a while */
    if (here >= 0 && pl->owner[here] != f && pl->walls[here] > 0 &&
        pl->walls[here] < doc->bypass_walls_above &&
        !(a->state[i] == JS_ARMY_BESIEGING && a->state_days[i] >= doc->siege_patience_days)) {
        *kind = JS_GOAL_BESIEGE;
        return here;
    }
    /* a hostile army within reach that it expects to beat */
    if (en->nearest >= 0 && en->nearest_days <= doc->seek_battle_days) {
        struct army_enemies one = *en;
        for (int k = 0; k < JS_NFIGHT; k++)
            one.fit[k] = a->fit[ARM(en->nearest, k)];
        one.skill = a->skill[en->nearest];
        if (army_odds(w, i, &one, bp, &own_p, &en_p) >= thr) {
            *kind = JS_GOAL_MARCH;
            return js_army_anchor(w, en->nearest);
        }
    }
    enum js_mover m = (enum js_mover)a->mover[i];
    int32_t at = js_army_anchor(w, i);
    for (int32_t t = 0; t < doc->ntargets; t++) {
        int32_t tp = doc->target[t];
        const struct js_tree *tree = js_graph_tree_cached(&w->graph, tp, m, s, JS_TO_ROOT);
        JS_ASSERT(tree);
        if (!isfinite(tree->days[at]))
            continue;
        bool hostile = pl->owner[tp] != f;
        if (!hostile && pl->threat[tp] < doc->defend_threat_above)
            continue;
        struct army_enemies there;
        army_enemies_near_place(w, f, tp, bp->engage.near_days, &there);
        double odds = army_odds(w, i, &there, bp, &own_p, &en_p);
        if (hostile && odds >= doc->retreat_odds_below) { /* not where it would have to flee */
            *kind = JS_GOAL_BESIEGE;
            return tp;
        }
        if (!hostile && odds >= thr) { /* relieve it if it expects to win */
            *kind = JS_GOAL_HOLD;
            return tp;
        }
    }
    *kind = JS_GOAL_STAY;
    return -1;
}

/**
 * @brief Where an army falls back to: its base, unless hostile armies are within near_days of it,
 * then its faction's capital; -1 (stay) when that is where it stands.
 * @param w the world
 * @param i army
 * @param near_days range of the danger
 */
static int32_t army_retreat_place(const struct js_world *w, int32_t i, double near_days)
{
    const struct js_armies *a = &w->armies;
    int32_t base = a->base[i], cap = w->factions.capital[a->owner[i]], goal = base;
    if (cap >= 0 && cap != base) {
        struct army_enemies en;
        army_enemies_near_place(w, a->owner[i], base, near_days, &en);
        for (int k = 0; k < JS_NFIGHT; k++)
            if (en.fit[k] > 0)
                goal = cap;
    }
    return goal == a->place[i] ? -1 : goal;
}

/**
 * @brief The goal a standing order gives.
 * @param w the world
 * @param i army
 * @param kind out: why
 * @return the goal, or -1 to stay
 */
static int32_t army_order_goal(const struct js_world *w, int32_t i, uint8_t *kind)
{
    const struct js_armies *a = &w->armies;
    int32_t target = a->order_place[i];
    switch ((enum js_order)a->order[i]) {
    case JS_ORDER_MARCH_TO:
    case JS_ORDER_RAID:
        *kind = JS_GOAL_MARCH;
        return target;
    case JS_ORDER_BESIEGE:
        *kind = JS_GOAL_BESIEGE;
        return target;
    case JS_ORDER_HOLD:
        *kind = JS_GOAL_HOLD;
        return target >= 0 ? target : js_army_anchor(w, i);
    case JS_ORDER_RETREAT_TO:
        *kind = JS_GOAL_RETREAT;
        return target;
    case JS_ORDER_ESCORT: {
        int32_t j = a->order_army[i];
        *kind = JS_GOAL_MARCH;
        return j >= 0 && a->active[j] ? js_army_anchor(w, j) : -1;
    }
    default:
        *kind = JS_GOAL_STAY;
        return -1;
    }
}

/**
 * @brief One army's decision (reads the world, writes only this army's intent, and its order when
 * it gives it up). In order: a routed army falls back; the doctrine's reasons to retreat (morale,
 * food, odds; an army ordered to hold ignores the odds) override, and cancel, every order but
 * retreat_to; then its order; else its doctrine.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param i army
 */
static void army_decide_one(struct js_world *w, const struct js_day *d,
                            const struct js_army_params *p, int32_t i)
{
    struct js_armies *a = &w->armies;
    const struct js_doctrine *doc = &p->doctrine[a->owner[i]];
    struct army_enemies en;
    army_scan_enemies(w, i, p, doc->seek_battle_days, &en);
    int64_t en_total = 0;
    for (int k = 0; k < JS_NFIGHT; k++)
        en_total += en.fit[k];
    double own_p = 0, en_p = 0, odds = 1.0;
    if (en_total > 0)
        odds = army_odds(w, i, &en, &p->battle, &own_p, &en_p);
    const struct js_engage_params *e = &p->battle.engage;
    double thr = e->threshold - e->aggression_shift * (a->aggression[i] - 0.5);
    uint8_t kind = JS_GOAL_STAY;
    int32_t goal = -1;
    bool forced = a->order_forced[i] != 0;
    if (a->state[i] == JS_ARMY_ROUTED && a->state_days[i] < p->rout_days) {
        goal = army_retreat_place(w, i, p->battle.engage.near_days);
        kind = JS_GOAL_RETREAT;
        forced = true;
    } else if (a->order[i] != JS_ORDER_RETREAT_TO &&
               army_should_retreat(w, i, doc, a->order[i] == JS_ORDER_HOLD ? 1.0 : odds,
                                   en_total > 0)) {
        goal = army_retreat_place(w, i, p->battle.engage.near_days);
        kind = JS_GOAL_RETREAT;
        forced = en_total > 0;
        a->order[i] = JS_ORDER_NONE; /* the commander gives up his order (own slot) */
    } else if (a->order[i] != JS_ORDER_NONE) {
        goal = army_order_goal(w, i, &kind);
    } else {
        goal = army_doctrine_goal(w, d->season, i, doc, &en, thr, &p->battle, &kind);
    }
    a->goal[i] = goal;
    a->goal_kind[i] = kind;
    a->goal_forced[i] = (uint8_t)forced;
}

void js_army_decide(struct js_world *w, const struct js_day *d, const struct js_army_params *p)
{
    struct js_armies *a = &w->armies;
    if (a->n == 0)
        return;
    army_prepare(w, d->season, p);
    const int32_t n = a->n;
#pragma omp parallel for schedule(dynamic, 16)
    for (int32_t i = 0; i < n; i++)
        if (a->active[i])
            army_decide_one(w, d, p, i);
}

void js_army_order(struct js_world *w, const struct js_day *d, const struct js_script_event *e,
                   struct js_event_row *row)
{
    (void)d;
    struct js_armies *a = &w->armies;
    int32_t i = e->army;
    row->kind = JS_EV_NOTE;
    row->army_a = i;
    row->faction_a = a->owner[i];
    row->place = e->target;
    row->army_b = (int32_t)e->value[2];
    row->value[0] = e->value[0];
    if (!a->active[i])
        return; /* the army is gone (or not raised yet): the order reaches no one */
    a->order[i] = (uint8_t)e->value[0];
    a->order_place[i] = e->target;
    a->order_forced[i] = (uint8_t)(e->value[1] != 0);
    a->order_army[i] = (int32_t)e->value[2];
}

/**
 * @brief Takes up to @p want persons from a place's people for an army: soldiers' families
 * first, then farmers, then townspeople (never the elite).
 * @param w the world
 * @param place the place
 * @param want persons wanted
 * @return persons taken
 */
static int64_t army_levy_people(struct js_world *w, int32_t place, int64_t want)
{
    static const int order[] = {JS_CLASS_MILITARY, JS_CLASS_FARMERS, JS_CLASS_TOWNSPEOPLE};
    int64_t *pop = &w->places.pop[(size_t)place * JS_NCLASSES];
    int64_t got = 0;
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && got < want; k++) {
        int64_t take = pop[order[k]] < want - got ? pop[order[k]] : want - got;
        pop[order[k]] -= take;
        got += take;
    }
    return got;
}

void js_army_raise(struct js_world *w, const struct js_day *d, const struct js_script_event *e,
                   struct js_event_row *row)
{
    (void)d;
    struct js_armies *a = &w->armies;
    int32_t i = e->army, place = e->place, arm = (int32_t)e->value[1];
    JS_ASSERT(i >= a->n_declared && i < a->n && !a->active[i]);
    int64_t men = army_levy_people(w, place, (int64_t)e->value[0]);
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_LEVY, men);
    a->fit[ARM(i, arm)] = men;
    if (js_arm_mounted(arm)) {
        a->horses[i] = men;
        js_ledger_add(&w->ledger, JS_FLOW_HORSES_LEVIED, men);
    }
    int64_t food = llround(e->value[2] * (double)men);
    if (food > w->places.grain[place])
        food = w->places.grain[place];
    w->places.grain[place] -= food;
    a->food[i] = food;
    js_ledger_add(&w->ledger, JS_FLOW_ARMY_REQUISITION, food);
    a->active[i] = 1;
    a->owner[i] = e->faction;
    a->place[i] = place;
    a->arc[i] = -1;
    a->km[i] = 0;
    a->state[i] = JS_ARMY_HOLDING;
    a->state_days[i] = 0;
    a->morale[i] = 1.0;
    a->strength0[i] = js_army_strength(a, i);
    a->food_days[i] = men > 0 ? (double)food / (e->value[3] * (double)men) : 0.0;
    row->kind = JS_EV_ARMY_RAISED;
    row->place = place;
    row->faction_a = e->faction;
    row->army_a = i;
    row->value[0] = (double)men;
    row->value[1] = (double)arm;
}

void js_army_params_free(struct js_army_params *p)
{
    for (int32_t f = 0; p->doctrine && f < p->n_factions; f++)
        free(p->doctrine[f].target);
    free(p->doctrine);
    p->doctrine = NULL;
    p->n_factions = 0;
}
