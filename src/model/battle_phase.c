/**
 * @file battle_phase.c
 * @brief Phase 5: the day's contacts between hostile armies become battles (or are refused),
 * in a fixed order (places, then routes, by id; factions by id), with their losses through the
 * ledger and a BATTLE row in /events.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/battle.h"
#include "jinsong/economy.h"
#include "jinsong/log.h"
#include "jinsong/rng.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

/** @brief Most armies of one side in one battle (more are left out of that battle). */
#define BATTLE_MAX_SIDE 256

/** @brief One side of a battle in the world: its armies and its role. */
struct battle_side_armies {
    int32_t id[BATTLE_MAX_SIDE]; /**< armies */
    int32_t n;                   /**< how many */
    int32_t faction;             /**< their faction */
    int32_t lead;                /**< the strongest (its commander leads) */
    bool defender;               /**< holds the ground */
    int posture;                 /**< enum js_posture */
};

/** @brief Where a battle is fought. */
struct battle_site {
    int32_t place;           /**< place, or -1 on a route */
    int32_t route;           /**< route, or -1 at a place */
    enum js_terrain terrain; /**< terrain */
    bool crossing;           /**< on a river crossing */
};

/**
 * @brief Splits @p total among entries in proportion to @p cap (largest remainder, ties to the
 * lower index); no entry gets more than its cap. Requires total <= the sum of the caps.
 * @param total amount
 * @param cap weights and caps
 * @param n entries (at most BATTLE_MAX_SIDE)
 * @param out shares
 */
static void battle_apportion(int64_t total, const int64_t *cap, int32_t n, int64_t *out)
{
    int64_t sum = 0, given = 0;
    for (int32_t k = 0; k < n; k++)
        sum += cap[k];
    JS_ASSERT(total <= sum && n <= BATTLE_MAX_SIDE);
    bool taken[BATTLE_MAX_SIDE];
    for (int32_t k = 0; k < n; k++) {
        out[k] = sum > 0 ? total * cap[k] / sum : 0;
        given += out[k];
        taken[k] = false;
    }
    while (given < total) {
        int32_t best = -1;
        int64_t best_rem = -1;
        for (int32_t k = 0; k < n; k++) {
            int64_t rem = (total * cap[k]) % sum;
            if (!taken[k] && out[k] < cap[k] && rem > best_rem) {
                best = k;
                best_rem = rem;
            }
        }
        if (best < 0) { /* every entry had its extra unit: another round */
            for (int32_t k = 0; k < n; k++)
                taken[k] = false;
            continue;
        }
        taken[best] = true;
        out[best]++;
        given++;
    }
}

/**
 * @brief Fit men of a side by fighting arm.
 * @param a the armies
 * @param s the side
 * @param out men by arm
 */
static void battle_side_fit(const struct js_armies *a, const struct battle_side_armies *s,
                            int64_t out[JS_NFIGHT])
{
    memset(out, 0, JS_NFIGHT * sizeof(int64_t));
    for (int32_t k = 0; k < s->n; k++)
        for (int c = 0; c < JS_NFIGHT; c++)
            out[c] += a->fit[ARM(s->id[k], c)];
}

/**
 * @brief Chooses the side's lead army (the strongest; ties: the lower id).
 * @param a the armies
 * @param s the side
 */
static void battle_pick_lead(const struct js_armies *a, struct battle_side_armies *s)
{
    s->lead = -1;
    int64_t best = -1;
    for (int32_t k = 0; k < s->n; k++) {
        int64_t st = js_army_strength(a, s->id[k]);
        if (st > best) {
            best = st;
            s->lead = s->id[k];
        }
    }
}

/**
 * @brief Roles: on a crossing the side that holds the far bank defends (behind the river);
 * elsewhere a side that stood still while the other marched in defends; otherwise both attack.
 * A defender that has held its ground a day or more is in prepared defence, else hasty.
 * @param a the armies
 * @param site where
 * @param s the two sides
 */
static void battle_roles(const struct js_armies *a, const struct battle_site *site,
                         struct battle_side_armies s[2])
{
    bool still[2] = {true, true}, assault[2] = {false, false};
    for (int i = 0; i < 2; i++)
        for (int32_t k = 0; k < s[i].n; k++) {
            still[i] = still[i] && !a->moved[s[i].id[k]];
            assault[i] = assault[i] || a->assault[s[i].id[k]];
        }
    for (int i = 0; i < 2; i++) {
        if (site->crossing && (assault[0] != assault[1]))
            s[i].defender = !assault[i];
        else
            s[i].defender = still[i] && !still[1 - i];
        int32_t l = s[i].lead;
        bool settled = a->state_days[l] >= 1 &&
                       (a->state[l] == JS_ARMY_HOLDING || a->state[l] == JS_ARMY_BESIEGING);
        s[i].posture = !s[i].defender ? JS_POSTURE_ATTACK
                       : settled      ? JS_POSTURE_PREPARED
                                      : JS_POSTURE_HASTY;
    }
}

/**
 * @brief A side's power as its commander reckons it: arms against the enemy's mix, quality,
 * posture, and for a defender terrain and river.
 * @param w the world
 * @param site where
 * @param s the side
 * @param own its men by arm
 * @param enemy the enemy's men by arm
 * @param p parameters
 */
static double battle_side_power(const struct js_world *w, const struct battle_site *site,
                                const struct battle_side_armies *s, const int64_t own[JS_NFIGHT],
                                const int64_t enemy[JS_NFIGHT], const struct js_battle_params *p)
{
    double pw = js_battle_power(own, enemy, site->terrain, p) *
                (1.0 + p->quality_skill * (w->armies.skill[s->lead] - 0.5)) *
                p->posture[s->posture];
    if (s->defender)
        pw *= p->terrain_defender[site->terrain] * (site->crossing ? p->river_line : 1.0);
    return pw;
}

/**
 * @brief The refusing side tries to get away: each army escapes with probability
 * escape_p x min(1, its speed / the pursuer's). Escaped armies leave the side and retreat.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param r the refusing side (armies that fail to escape remain)
 * @param pursuer the lead army of the other side
 */
static void battle_escape(struct js_world *w, const struct js_day *d,
                          const struct js_battle_params *p, struct battle_side_armies *r,
                          int32_t pursuer)
{
    struct js_armies *a = &w->armies;
    double vp = w->graph_params.speed[js_army_mover(a, pursuer)][JS_SPEED_ROAD];
    int32_t kept = 0;
    for (int32_t k = 0; k < r->n; k++) {
        int32_t i = r->id[k];
        double v = w->graph_params.speed[js_army_mover(a, i)][JS_SPEED_ROAD];
        double pe = p->escape_p * (vp > 0 && v < vp ? v / vp : 1.0);
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *g = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_ARMY,
                                   (uint32_t)i, JS_PURPOSE(JS_RNGMOD_BATTLE, JS_BATTLE_P_ESCAPE));
        if (gsl_rng_uniform(g) < pe) {
            a->fought[i] = 1;
            a->state[i] = JS_ARMY_RETREATING;
            a->state_days[i] = 0;
        } else {
            r->id[kept++] = i;
        }
    }
    r->n = kept;
}

/**
 * @brief Whether a side's commander chooses to fight. An army ordered to hold the place it
 * stands on, without walls of its own to shelter behind, stands and fights.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param site where
 * @param s the side
 * @param own its power
 * @param enemy the enemy's power
 */
static bool battle_side_wants(const struct js_world *w, const struct js_day *d,
                              const struct js_battle_params *p, const struct battle_site *site,
                              const struct battle_side_armies *s, double own, double enemy)
{
    const struct js_armies *a = &w->armies;
    int32_t l = s->lead;
    if (a->order[l] == JS_ORDER_HOLD && a->place[l] >= 0 &&
        (a->order_place[l] < 0 || a->order_place[l] == a->place[l]) &&
        !(site->place >= 0 && w->places.owner[site->place] == s->faction &&
          w->places.walls[site->place] > 0))
        return true;
    struct js_rng rng;
    js_rng_init(&rng);
    gsl_rng *g = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_ARMY,
                               (uint32_t)s->lead, JS_PURPOSE(JS_RNGMOD_BATTLE, JS_BATTLE_P_ENGAGE));
    return js_battle_wants_fight(own, enemy, a->skill[s->lead], a->aggression[s->lead], &p->engage,
                                 g);
}

/**
 * @brief Applies a side's losses to its armies (largest remainder by fit men of each arm):
 * killed and captured leave through the ledger, wounded stay with their army; horses of the
 * fallen riders are lost.
 * @param w the world
 * @param s the side
 * @param o the outcome
 * @param i side index in the outcome
 * @param horses_lost out: horses lost per army
 */
static void battle_apply_losses(struct js_world *w, const struct battle_side_armies *s,
                                const struct js_battle_outcome *o, int i,
                                int64_t horses_lost[BATTLE_MAX_SIDE])
{
    struct js_armies *a = &w->armies;
    int64_t mounted0[BATTLE_MAX_SIDE], mlost[BATTLE_MAX_SIDE] = {0};
    for (int32_t k = 0; k < s->n; k++)
        mounted0[k] = js_army_mounted(a, s->id[k]);
    int64_t killed = 0, captured = 0;
    for (int c = 0; c < JS_NFIGHT; c++) {
        int64_t cap[BATTLE_MAX_SIDE], share[BATTLE_MAX_SIDE];
        const int64_t *what[3] = {&o->killed[i][c], &o->captured[i][c], &o->wounded[i][c]};
        for (int q = 0; q < 3; q++) {
            for (int32_t k = 0; k < s->n; k++)
                cap[k] = a->fit[ARM(s->id[k], c)];
            battle_apportion(*what[q], cap, s->n, share);
            for (int32_t k = 0; k < s->n; k++) {
                a->fit[ARM(s->id[k], c)] -= share[k];
                if (q == 2)
                    a->wounded[ARM(s->id[k], c)] += share[k];
                else if (js_arm_mounted(c))
                    mlost[k] += share[k];
            }
        }
        killed += o->killed[i][c];
        captured += o->captured[i][c];
    }
    js_ledger_add(&w->ledger, JS_FLOW_BATTLE_KILLED, killed);
    js_ledger_add(&w->ledger, JS_FLOW_BATTLE_CAPTURED, captured);
    for (int32_t k = 0; k < s->n; k++) {
        int64_t h = a->horses[s->id[k]];
        horses_lost[k] =
            mounted0[k] > 0 ? llround((double)h * (double)mlost[k] / (double)mounted0[k]) : 0;
        if (horses_lost[k] > h)
            horses_lost[k] = h;
        a->horses[s->id[k]] -= horses_lost[k];
    }
}

/**
 * @brief After the fight: the loser routs and its baggage (a share of its food and fodder, and
 * of its fallen riders' horses) passes to the winner's armies in proportion to their strength;
 * the other lost horses die; morale falls and rises.
 * @param w the world
 * @param s the sides
 * @param winner winner's index
 * @param hl horses lost per army, by side
 * @param p parameters
 */
static void battle_aftermath(struct js_world *w, struct battle_side_armies s[2], int winner,
                             int64_t hl[2][BATTLE_MAX_SIDE], const struct js_battle_params *p)
{
    struct js_armies *a = &w->armies;
    int64_t died = 0;
    if (winner < 0) {
        for (int i = 0; i < 2; i++)
            for (int32_t k = 0; k < s[i].n; k++)
                died += hl[i][k];
        js_ledger_add(&w->ledger, JS_FLOW_HORSES_BATTLE, died);
        return;
    }
    struct battle_side_armies *ws = &s[winner], *ls = &s[1 - winner];
    int64_t food = 0, fodder = 0, horses = 0;
    for (int32_t k = 0; k < ls->n; k++) {
        int32_t i = ls->id[k];
        int64_t f = (int64_t)floor(p->baggage_share * (double)a->food[i]);
        int64_t g = (int64_t)floor(p->baggage_share * (double)a->fodder[i]);
        int64_t h = (int64_t)floor(p->baggage_share * (double)hl[1 - winner][k]);
        a->food[i] -= f;
        a->fodder[i] -= g;
        food += f;
        fodder += g;
        horses += h;
        died += hl[1 - winner][k] - h;
        a->state[i] = JS_ARMY_ROUTED; /* its order resumes after the rout */
        a->state_days[i] = 0;
        a->morale[i] = a->morale[i] > p->morale_defeat ? a->morale[i] - p->morale_defeat : 0.0;
    }
    for (int32_t k = 0; k < ws->n; k++)
        died += hl[winner][k];
    js_ledger_add(&w->ledger, JS_FLOW_HORSES_BATTLE, died);
    int64_t weight[BATTLE_MAX_SIDE], share[BATTLE_MAX_SIDE];
    for (int32_t k = 0; k < ws->n; k++) {
        weight[k] = js_army_strength(a, ws->id[k]) + 1; /* +1: a side of no men still carries */
        double m = a->morale[ws->id[k]] + p->morale_victory;
        a->morale[ws->id[k]] = m > 1.0 ? 1.0 : m;
    }
    const int64_t amounts[3] = {food, fodder, horses};
    int64_t *dest[3] = {a->food, a->fodder, a->horses};
    for (int q = 0; q < 3; q++) {
        int64_t caps[BATTLE_MAX_SIDE];
        for (int32_t k = 0; k < ws->n; k++)
            caps[k] = weight[k] * (amounts[q] + 1); /* proportional, never binding */
        battle_apportion(amounts[q], caps, ws->n, share);
        for (int32_t k = 0; k < ws->n; k++)
            dest[q][ws->id[k]] += share[k];
    }
}

/**
 * @brief The BATTLE row: winner (a) and loser (b) by their lead armies; values: winner before,
 * winner after, loser before, loser after (fit fighting men). A drawn battle is recorded with
 * its text starting "drawn" and a, b in faction order.
 * @param w the world
 * @param d today
 * @param site where
 * @param s the sides
 * @param o the outcome
 */
static void battle_record(struct js_world *w, const struct js_day *d,
                          const struct battle_site *site, const struct battle_side_armies s[2],
                          const struct js_battle_outcome *o)
{
    const struct js_armies *a = &w->armies;
    int wi = o->winner >= 0 ? o->winner : 0, li = 1 - wi;
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_BATTLE);
    int32_t place = site->place;
    if (place < 0) { /* on a route: the defender's place, or the nearer end */
        int32_t who = s[0].defender ? s[0].lead : s[1].defender ? s[1].lead : s[0].lead;
        place = js_army_anchor(w, who);
    }
    row.place = place;
    row.faction_a = s[wi].faction;
    row.faction_b = s[li].faction;
    row.army_a = s[wi].lead;
    row.army_b = s[li].lead;
    row.value[0] = (double)o->before[wi];
    row.value[1] = (double)o->after[wi];
    row.value[2] = (double)o->before[li];
    row.value[3] = (double)o->after[li];
    snprintf(row.text, sizeof(row.text), o->winner >= 0 ? "%s beat %s" : "drawn: %s vs %s",
             a->id[s[wi].lead], a->id[s[li].lead]);
    js_world_record_event(w, &row);
    /* a battle is war between the two sides: their treaties are suspended (economy) */
    if (s[wi].faction >= 0 && s[li].faction >= 0 && s[wi].faction != s[li].faction)
        js_economy_set_war(w, d, s[wi].faction, s[li].faction, true);
    w->places.threat[place] = 1.0;
    if (site->route >= 0) {
        w->places.threat[w->routes.from[site->route]] = 1.0;
        w->places.threat[w->routes.to[site->route]] = 1.0;
    }
}

/**
 * @brief A battle between two sides at a site: decisions, escapes, the kernel, the losses, the
 * aftermath and the record.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param site where
 * @param s the two sides (lead armies chosen)
 */
static void battle_pair(struct js_world *w, const struct js_day *d,
                        const struct js_battle_params *p, const struct battle_site *site,
                        struct battle_side_armies s[2])
{
    struct js_armies *a = &w->armies;
    battle_roles(a, site, s);
    int64_t fit[2][JS_NFIGHT];
    battle_side_fit(a, &s[0], fit[0]);
    battle_side_fit(a, &s[1], fit[1]);
    double pw0 = battle_side_power(w, site, &s[0], fit[0], fit[1], p);
    double pw1 = battle_side_power(w, site, &s[1], fit[1], fit[0], p);
    bool want[2] = {battle_side_wants(w, d, p, site, &s[0], pw0, pw1),
                    battle_side_wants(w, d, p, site, &s[1], pw1, pw0)};
    if (!want[0] && !want[1])
        return;
    if (want[0] != want[1]) {
        struct battle_side_armies *r = want[0] ? &s[1] : &s[0];
        int32_t pursuer = want[0] ? s[0].lead : s[1].lead;
        if (site->place >= 0 && w->places.owner[site->place] == r->faction &&
            w->places.walls[site->place] > 0) {
            for (int32_t k = 0; k < r->n; k++)
                a->fought[r->id[k]] = 1; /* behind its walls: no field battle */
            return;
        }
        battle_escape(w, d, p, r, pursuer);
        if (r->n == 0)
            return;
        battle_pick_lead(a, r);
        r->defender = true;
        r->posture = JS_POSTURE_WITHDRAWAL;
        struct battle_side_armies *att = r == &s[0] ? &s[1] : &s[0];
        att->defender = false;
        att->posture = JS_POSTURE_ATTACK;
        battle_side_fit(a, r, r == &s[0] ? fit[0] : fit[1]);
    }
    struct js_battle_side ks[2];
    for (int i = 0; i < 2; i++) {
        memcpy(ks[i].fit, fit[i], sizeof(ks[i].fit));
        ks[i].posture = s[i].posture;
        ks[i].defender = s[i].defender;
        double m = 0, wsum = 0;
        for (int32_t k = 0; k < s[i].n; k++) {
            double st = (double)js_army_strength(a, s[i].id[k]);
            m += st * a->morale[s[i].id[k]];
            wsum += st;
        }
        ks[i].morale = wsum > 0 ? m / wsum : 0.0;
        ks[i].skill = a->skill[s[i].lead];
        ks[i].sheltered = site->place >= 0 && w->places.owner[site->place] == s[i].faction &&
                          w->places.walls[site->place] > 0;
    }
    struct js_rng rng;
    js_rng_init(&rng);
    gsl_rng *g =
        js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_BATTLE,
                      (uint32_t)s[0].lead, JS_PURPOSE(JS_RNGMOD_BATTLE, JS_BATTLE_P_KERNEL));
    struct js_battle_outcome o;
    bool river = site->crossing && (s[0].defender || s[1].defender);
    js_battle_fight(ks, site->terrain, river, p, g, &o);
    int64_t hl[2][BATTLE_MAX_SIDE];
    for (int i = 0; i < 2; i++) {
        battle_apply_losses(w, &s[i], &o, i, hl[i]);
        for (int32_t k = 0; k < s[i].n; k++)
            a->fought[s[i].id[k]] = 1;
    }
    battle_aftermath(w, s, o.winner, hl, p);
    battle_record(w, d, site, s, &o);
}

/**
 * @brief The battles of one site: for every pair of factions present (in id order), their
 * armies that have not fought today and are not routed.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param key site key (place, or n_places + route)
 * @param ids armies in contact at the site, in id order
 * @param n how many
 */
static void battle_site(struct js_world *w, const struct js_day *d,
                        const struct js_battle_params *p, int32_t key, const int32_t *ids,
                        int32_t n)
{
    struct js_armies *a = &w->armies;
    struct battle_site site;
    site.place = key < a->n_places ? key : -1;
    site.route = key < a->n_places ? -1 : key - a->n_places;
    site.terrain = (enum js_terrain)(site.place >= 0 ? a->place_terrain[site.place]
                                                     : w->routes.terrain[site.route]);
    site.crossing = site.route >= 0 && w->routes.kind[site.route] == JS_ROUTE_CROSSING;
    for (int32_t f0 = 0; f0 < w->factions.n; f0++) {
        for (int32_t f1 = f0 + 1; f1 < w->factions.n; f1++) {
            struct battle_side_armies s[2];
            s[0].n = s[1].n = 0;
            s[0].faction = f0;
            s[1].faction = f1;
            for (int32_t k = 0; k < n; k++) {
                int32_t i = ids[k];
                int side = a->owner[i] == f0 ? 0 : a->owner[i] == f1 ? 1 : -1;
                if (side < 0 || a->fought[i] || a->state[i] == JS_ARMY_ROUTED ||
                    s[side].n == BATTLE_MAX_SIDE || js_army_strength(a, i) == 0)
                    continue;
                s[side].id[s[side].n++] = i;
            }
            if (s[0].n == 0 || s[1].n == 0)
                continue;
            battle_pick_lead(a, &s[0]);
            battle_pick_lead(a, &s[1]);
            battle_pair(w, d, p, &site, s);
        }
    }
}

/**
 * @brief Site key of an army in contact (place, or n_places + route).
 * @param a the armies
 * @param i army
 */
static int32_t battle_key(const struct js_armies *a, int32_t i)
{
    return a->contact_place[i] >= 0 ? a->contact_place[i] : a->n_places + a->contact_route[i];
}

void js_battle_resolve(struct js_world *w, const struct js_day *d, const struct js_battle_params *p)
{
    struct js_armies *a = &w->armies;
    int32_t m = 0;
    for (int32_t i = 0; i < a->n; i++)
        if (a->active[i] && (a->contact_place[i] >= 0 || a->contact_route[i] >= 0))
            a->scratch[m++] = i;
    /* insertion sort by (site, id): contacts are few */
    for (int32_t k = 1; k < m; k++) {
        int32_t v = a->scratch[k], kv = battle_key(a, v), j = k - 1;
        while (j >= 0 && (battle_key(a, a->scratch[j]) > kv ||
                          (battle_key(a, a->scratch[j]) == kv && a->scratch[j] > v))) {
            a->scratch[j + 1] = a->scratch[j];
            j--;
        }
        a->scratch[j + 1] = v;
    }
    for (int32_t k = 0; k < m;) {
        int32_t key = battle_key(a, a->scratch[k]), e = k;
        while (e < m && battle_key(a, a->scratch[e]) == key)
            e++;
        battle_site(w, d, p, key, &a->scratch[k], e - k);
        k = e;
    }
}
