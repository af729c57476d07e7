/**
 * @file siege_end.c
 * @brief The day's decisions that may end a siege: an assault (and the sack of a stormed city),
 * a surrender, terms demanded and a ransom paid, the besieger giving up; captives marched off
 * after a sack.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/economy.h"
#include "jinsong/log.h"
#include "siege_internal.h"

/* ---------------------------------------------------------------- helpers */

/**
 * @brief An army is gone (its city stormed or surrendered): emptied, inactive, an
 * ARMY_DESTROYED row. Its men, stores and horses must have been dealt with by the caller.
 * @param w the world
 * @param d today
 * @param i army
 * @param men persons it had
 * @param why "stormed" or "surrendered"
 */
static void siege_army_gone(struct js_world *w, const struct js_day *d, int32_t i, int64_t men,
                            const char *why)
{
    struct js_armies *a = &w->armies;
    memset(&a->fit[SIEGE_ARM(i, 0)], 0, JS_NARMS * sizeof(int64_t));
    memset(&a->wounded[SIEGE_ARM(i, 0)], 0, JS_NARMS * sizeof(int64_t));
    a->food[i] = a->fodder[i] = a->horses[i] = 0;
    a->active[i] = 0;
    a->state[i] = JS_ARMY_GONE;
    a->food_days[i] = 0;
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_ARMY_DESTROYED);
    row.place = a->place[i];
    row.faction_a = a->owner[i];
    row.army_a = i;
    row.value[0] = (double)men;
    row.value[1] = (double)a->strength0[i];
    snprintf(row.text, sizeof(row.text), "%.40s %s", a->id[i], why);
    js_world_record_event(w, &row);
}

/**
 * @brief The garrison's stores join the city's; a share of its horses goes to the besieger's lead
 * army, the rest scatter.
 * @param w the world
 * @param v the view
 * @param i garrison army
 * @param horses_share share of its horses taken
 */
static void siege_strip_army(struct js_world *w, const struct siege_view *v, int32_t i,
                             double horses_share)
{
    struct js_armies *a = &w->armies;
    int64_t stores = a->food[i] + a->fodder[i];
    w->sieges.food_state[v->s] += stores;
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GARRISON_STORES, stores);
    a->food[i] = a->fodder[i] = 0;
    int64_t h = (int64_t)floor(horses_share * (double)a->horses[i]);
    if (h > 0 && v->att_lead >= 0) {
        a->horses[i] -= h;
        a->horses[v->att_lead] += h; /* within the holder armies: no flow */
    }
    js_ledger_add(&w->ledger, JS_FLOW_HORSES_DISPERSED, a->horses[i]); /* the rest scatter */
    a->horses[i] = 0;
}

/**
 * @brief The place passes to the besieger (with its granary) and a CITY_FALLS or
 * CITY_SURRENDERS row is written.
 * @param w the world
 * @param d today
 * @param v the view
 * @param kind JS_EV_CITY_FALLS or JS_EV_CITY_SURRENDERS
 * @param value the row's values
 */
static void siege_city_changes_hands(struct js_world *w, const struct js_day *d,
                                     const struct siege_view *v, enum js_event_kind kind,
                                     const double value[4])
{
    struct js_event_row row = js_event_row_blank(d->day, kind);
    row.place = v->q;
    row.faction_a = v->att_f;
    row.faction_b = v->def_f;
    row.army_a = v->att_lead;
    row.army_b = v->gar_lead;
    memcpy(row.value, value, sizeof(row.value));
    snprintf(row.text, sizeof(row.text), "%.40s %s", w->places.id[v->q],
             kind == JS_EV_CITY_FALLS ? "stormed" : "surrenders");
    js_world_record_event(w, &row);
    w->places.owner[v->q] = v->att_f;
}

/* ---------------------------------------------------------------- captives */

/**
 * @brief Captives of a sack: a share of the surviving civilians inside, the elite and the
 * townspeople (officials, craftsmen) first, marched to the besieger's capital at the captives'
 * pace; none when the besieger has no capital or it cannot be reached. They join the convoy of
 * the slot (a convoy still on the road takes them on).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @param r generator
 * @return captives taken
 */
static int64_t siege_take_captives(struct js_world *w, const struct js_day *d,
                                   const struct js_siege_params *p, struct siege_view *v,
                                   gsl_rng *r)
{
    struct js_sieges *S = &w->sieges;
    int32_t dest = v->att_f >= 0 ? w->factions.capital[v->att_f] : -1;
    if (dest < 0 || dest == v->q || v->civilians <= 0)
        return 0;
    const struct js_tree *t =
        js_graph_tree(&w->graph, dest, JS_MOVER_WALKER, d->season, JS_TO_ROOT);
    if (!isfinite(t->days[v->q]))
        return 0;
    double walker = w->graph_params.speed[JS_MOVER_WALKER][JS_SPEED_ROAD];
    int32_t days = (int32_t)ceil(t->days[v->q] * walker / p->sack.captive_km_per_day);
    int64_t want = gsl_ran_binomial(r, p->sack.captives, (unsigned int)v->civilians), got = 0;
    static const int order[JS_NCLASSES] = {JS_CLASS_ELITE, JS_CLASS_TOWNSPEOPLE, JS_CLASS_MILITARY,
                                           JS_CLASS_FARMERS};
    int64_t *pop = &w->places.pop[(size_t)v->q * JS_NCLASSES];
    for (int k = 0; k < JS_NCLASSES && got < want; k++) {
        int c = order[k];
        int64_t x = v->inside[c] < want - got ? v->inside[c] : want - got;
        pop[c] -= x;
        v->inside[c] -= x;
        got += x;
    }
    v->civilians -= got;
    if (got == 0)
        return 0;
    int32_t s = v->s;
    if (!S->convoy_active[s]) {
        S->convoy_active[s] = 1;
        S->convoy_dest[s] = dest;
        S->convoy_arrive[s] = d->day + days;
    } else if (d->day + days > S->convoy_arrive[s]) {
        S->convoy_arrive[s] = d->day + days;
    }
    S->convoy_persons[s] += got;
    js_ledger_add(&w->ledger, JS_FLOW_CAPTIVES_TAKEN, got);
    return got;
}

void siege_captives_march(struct js_world *w, const struct js_day *d,
                          const struct js_siege_params *p)
{
    struct js_sieges *S = &w->sieges;
    for (int32_t s = 0; s < S->n; s++) {
        if (!S->convoy_active[s])
            continue;
        struct js_rng rng;
        js_rng_init(&rng);
        gsl_rng *r = js_rng_stream(&rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_CONVOY,
                                   (uint32_t)s, JS_PURPOSE(JS_RNGMOD_SIEGE, JS_SIEGE_P_CAPTIVES));
        int64_t n = S->convoy_persons[s];
        int64_t dead =
            n > 0 ? gsl_ran_binomial(r, 1.0 - exp(-p->sack.captive_death), (unsigned int)n) : 0;
        S->convoy_persons[s] -= dead;
        S->convoy_died[s] += dead;
        js_ledger_add(&w->ledger, JS_FLOW_CAPTIVES_DIED, dead);
        if (d->day < S->convoy_arrive[s])
            continue;
        int64_t left = S->convoy_persons[s];
        w->places.pop[(size_t)S->convoy_dest[s] * JS_NCLASSES + JS_CLASS_TOWNSPEOPLE] += left;
        js_ledger_add(&w->ledger, JS_FLOW_CAPTIVES_ARRIVED, left);
        S->convoy_persons[s] = 0;
        S->convoy_active[s] = 0;
    }
}

/* ---------------------------------------------------------------- the sack */

/**
 * @brief Loot of a sack: a share of the city's private silver, gold and silk, and of the
 * treasury when the city is its faction's capital, to the besieger's treasury; the besiegers
 * fill their food to what they can carry from the stores inside.
 * @param w the world
 * @param p parameters
 * @param v the view
 * @param silver out: silver taken
 * @return grain taken, sheng
 */
static int64_t siege_loot(struct js_world *w, const struct js_siege_params *p,
                          const struct siege_view *v, int64_t *silver)
{
    struct js_sieges *S = &w->sieges;
    struct js_economy *e = &w->economy;
    static const int cur[JS_NSIEGE_WEALTH] = {JS_CUR_SILVER, JS_CUR_GOLD, JS_CUR_SILK};
    static const enum js_flow loot[JS_NSIEGE_WEALTH] = {
        JS_FLOW_SACK_LOOT_SILVER, JS_FLOW_SACK_LOOT_GOLD, JS_FLOW_SACK_LOOT_SILK};
    int64_t *to = &e->treasury[(size_t)v->att_f * JS_NCURRENCIES];
    *silver = 0;
    for (int c = 0; c < JS_NSIEGE_WEALTH; c++) {
        int64_t *have = &S->wealth[(size_t)v->s * JS_NSIEGE_WEALTH + (size_t)c];
        int64_t x = (int64_t)floor(p->sack.loot_share * (double)*have);
        *have -= x;
        to[cur[c]] += x;
        js_ledger_add(&w->ledger, loot[c], x);
        *silver += c == JS_SW_SILVER ? x : 0;
    }
    if (v->def_f >= 0 && w->factions.capital[v->def_f] == v->q) {
        int64_t *from = &e->treasury[(size_t)v->def_f * JS_NCURRENCIES];
        for (int c = 0; c < JS_NCURRENCIES; c++) {
            if (c == JS_CUR_GRAIN) /* the granary passes with the place */
                continue;
            int64_t x = (int64_t)floor(p->sack.treasury_share * (double)from[c]);
            from[c] -= x; /* treasury to treasury, within the holder factions: no flow */
            to[c] += x;
            *silver += c == JS_CUR_SILVER ? x : 0;
        }
    }
    struct js_armies *a = &w->armies;
    int64_t grain = 0;
    for (int32_t k = 0; k < v->natt; k++) {
        int32_t i = v->att[k];
        int64_t room = js_supply_capacity(a, i, &p->supply) - a->food[i];
        int64_t x = room > 0 ? room : 0, got = 0;
        int64_t y = x < S->food_state[v->s] ? x : S->food_state[v->s];
        S->food_state[v->s] -= y;
        got += y;
        y = x - got < S->food_private[v->s] ? x - got : S->food_private[v->s];
        S->food_private[v->s] -= y;
        got += y;
        a->food[i] += got;
        grain += got;
    }
    js_ledger_add(&w->ledger, JS_FLOW_SACK_LOOT_GRAIN, grain);
    return grain;
}

/**
 * @brief A stormed city: its garrison killed or taken prisoner, civilians killed and carried
 * off, its wealth and stores looted, its harvest devastated; it passes to the besieger and spreads
 * danger around it for sack.threat_days. CITY_FALLS, SACK and SIEGE_END rows.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
static void siege_sack(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                       struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, v->s, JS_SIEGE_P_SACK, &rng);
    int64_t killed = 0, taken = 0;
    for (int32_t k = 0; k < v->ngar; k++) {
        int32_t i = v->gar[k];
        int64_t men = js_army_persons(a, i), dead = 0;
        for (int c = 0; c < JS_NARMS; c++) {
            int64_t x = a->fit[SIEGE_ARM(i, c)] + a->wounded[SIEGE_ARM(i, c)];
            dead += x > 0 ? gsl_ran_binomial(r, p->sack.garrison_killed, (unsigned int)x) : 0;
        }
        killed += dead;
        taken += men - dead;
        siege_strip_army(w, v, i, 1.0);
        siege_army_gone(w, d, i, men, "stormed");
    }
    js_ledger_add(&w->ledger, JS_FLOW_STORM_GARRISON_KILLED, killed);
    js_ledger_add(&w->ledger, JS_FLOW_STORM_GARRISON_TAKEN, taken);
    int64_t civilians = v->civilians;
    int64_t dead = v->civilians > 0
                       ? gsl_ran_binomial(r, p->sack.civilians_killed, (unsigned int)v->civilians)
                       : 0;
    dead = siege_take_civilians(w, v, dead);
    js_ledger_add(&w->ledger, JS_FLOW_SACK_KILLED, dead);
    S->deaths[v->s] += dead;
    int64_t captives = siege_take_captives(w, d, p, v, r);
    int64_t silver = 0, grain = siege_loot(w, p, v, &silver);
    js_economy_devastate(w, v->q, p->sack.devastation);
    double fall[4] = {(double)killed, (double)taken, (double)civilians,
                      (double)(d->day - S->start_day[v->s] + 1)};
    siege_city_changes_hands(w, d, v, JS_EV_CITY_FALLS, fall);
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_SACK);
    row.place = v->q;
    row.faction_a = v->att_f;
    row.faction_b = v->def_f;
    row.army_a = v->att_lead;
    row.value[0] = (double)dead;
    row.value[1] = (double)captives;
    row.value[2] = (double)silver;
    row.value[3] = (double)grain;
    snprintf(row.text, sizeof(row.text), "sack of %.50s", w->places.id[v->q]);
    js_world_record_event(w, &row);
    S->sack_until[v->q] = d->day + p->sack.threat_days;
    v->gar_fit = 0;
    siege_end(w, d, v, JS_SIEGE_STORMED);
}

/* ---------------------------------------------------------------- assault */

/**
 * @brief The chance of a storm an army's commander wants before he assaults (lower when he is
 * aggressive), within (0, 1).
 * @param w the world
 * @param p parameters
 * @param lead the commanding army
 */
static double siege_threshold(const struct js_world *w, const struct js_siege_params *p,
                              int32_t lead)
{
    const struct js_siege_assault_params *ap = &p->assault;
    double thr = ap->threshold - ap->aggression_shift * (w->armies.aggression[lead] - 0.5);
    return thr < 1e-6 ? 1e-6 : thr > 1.0 - 1e-6 ? 1.0 - 1e-6 : thr;
}

/**
 * @brief The chance, as both sides reckon it, that the besiegers storm the city within
 * @p horizon days: an assault every interval_days at today's odds while those reach the
 * commander's threshold (none otherwise), and at the odds of a breach once the saps, at today's
 * pace, have opened one.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @param horizon days
 */
static double siege_storm_within(const struct js_world *w, const struct js_day *d,
                                 const struct js_siege_params *p, const struct siege_view *v,
                                 double horizon)
{
    const struct js_sieges *S = &w->sieges;
    const struct js_siege_assault_params *ap = &p->assault;
    int32_t s = v->s;
    double att = siege_attackers(w, p, v), def = siege_defenders(w, d, p, v);
    double wall = js_siege_wall_factor(w, s, p), iv = (double)ap->interval_days;
    double now = js_siege_storm_odds(att, def, wall, S->breach[s], ap);
    if (S->breach[s])
        return 1.0 - pow(1.0 - now, horizon / iv);
    double rate = siege_dig_rate(w, p, v);
    double tb = rate > 0.0 ? (1.0 - S->progress[s]) / rate : INFINITY;
    double breached = js_siege_storm_odds(att, def, 1.0 + (wall - 1.0) * ap->breach_keep, true, ap);
    double before = now >= siege_threshold(w, p, v->att_lead) ? fmin(tb, horizon) / iv : 0.0;
    double after = tb < horizon ? (horizon - tb) / iv : 0.0;
    return 1.0 - pow(1.0 - now, before) * pow(1.0 - breached, after);
}

/**
 * @brief An assault when one is due: the besiegers' commander reckons the chance of storming
 * (the true chance with a logit error shrinking with his skill) and assaults when it reaches his
 * threshold (lower for aggressive commanders), or whenever there is a breach. A storm sacks the
 * city; a repulse costs the assaulting men dear, the besiegers morale, and the defenders a few men,
 * and stiffens the city's resolve.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return true if the city was stormed
 */
static bool siege_assault(struct js_world *w, const struct js_day *d,
                          const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    const struct js_siege_assault_params *ap = &p->assault;
    int32_t s = v->s;
    if (v->att_lead < 0 ||
        (S->last_assault[s] >= 0 && d->day - S->last_assault[s] < ap->interval_days))
        return false;
    double pr = js_siege_storm_odds(siege_attackers(w, p, v), siege_defenders(w, d, p, v),
                                    js_siege_wall_factor(w, s, p), S->breach[s], ap);
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, s, JS_SIEGE_P_ASSAULT, &rng);
    int32_t l = v->att_lead;
    double pc = pr < 1e-9 ? 1e-9 : pr > 1.0 - 1e-9 ? 1.0 - 1e-9 : pr;
    double est =
        log(pc / (1.0 - pc)) + gsl_ran_gaussian(r, ap->estimate_sigma * (1.0 - a->skill[l]));
    double thr = siege_threshold(w, p, l);
    if (!S->breach[s] && est < log(thr / (1.0 - thr)))
        return false;
    S->last_assault[s] = d->day;
    S->assaults[s]++;
    bool stormed = gsl_rng_uniform(r) < pr;
    int64_t men = (int64_t)floor(ap->share * (double)v->att_fit);
    int64_t lost =
        gsl_ran_binomial(r, stormed ? ap->loss_success : ap->loss_failed, (unsigned int)men);
    int64_t dead = gsl_ran_binomial(r, ap->killed_share, (unsigned int)lost);
    dead = siege_hit(a, v->att, v->natt, dead, SIEGE_HIT_KILL, NULL);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_ASSAULT_KILLED, dead);
    siege_hit(a, v->att, v->natt, lost - dead, SIEGE_HIT_WOUND, NULL);
    v->att_fit -= lost;
    v->att_fit = v->att_fit < 0 ? 0 : v->att_fit;
    if (stormed) {
        siege_sack(w, d, p, v);
        return true;
    }
    int64_t pool = v->gar_fit + v->militia;
    int64_t def = pool > 0 ? gsl_ran_binomial(r, ap->defender_loss, (unsigned int)pool) : 0;
    siege_defenders_lose(w, v, def, r, SIEGE_HIT_KILL, JS_FLOW_SIEGE_ASSAULT_KILLED);
    for (int32_t k = 0; k < v->natt; k++) {
        double m = a->morale[v->att[k]] - ap->morale_loss;
        a->morale[v->att[k]] = m < 0.0 ? 0.0 : m;
    }
    double res = S->resolve[s] + ap->resolve_gain;
    S->resolve[s] = res > 1.0 ? 1.0 : res;
    return false;
}

/* ---------------------------------------------------------------- surrender */

/**
 * @brief True if a friendly army that could relieve the city is near: one of the defender's
 * armies elsewhere, not routed, with at least relief_ratio of the besiegers' men, within
 * relief_days of march (great-circle reckoning at its road speed).
 * @param w the world
 * @param p parameters
 * @param v the view
 */
static bool siege_relief_near(const struct js_world *w, const struct js_siege_params *p,
                              const struct siege_view *v)
{
    const struct js_armies *a = &w->armies;
    const struct js_places *pl = &w->places;
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || a->owner[i] != v->def_f || a->place[i] == v->q ||
            a->state[i] == JS_ARMY_ROUTED ||
            (double)js_army_strength(a, i) < p->surrender.relief_ratio * (double)v->att_fit)
            continue;
        int32_t at = js_army_anchor(w, i);
        double km =
            js_graph_great_circle_km(pl->lat[at], pl->lon[at], pl->lat[v->q], pl->lon[v->q]) *
            w->graph_params.sinuosity;
        double speed = w->graph_params.speed[js_army_mover(a, i)][JS_SPEED_ROAD];
        if (speed > 0.0 && km / speed <= p->surrender.relief_days)
            return true;
    }
    return false;
}

/**
 * @brief True if a faction has sacked a city in this run (the SACK rows of /events).
 * @param w the world
 * @param f faction
 */
static bool siege_has_sacked(const struct js_world *w, int32_t f)
{
    for (int64_t k = 0; k < w->events.n; k++)
        if (w->events.rows[k].kind == JS_EV_SACK && w->events.rows[k].faction_a == f)
            return true;
    return false;
}

/**
 * @brief The surrender hazard: (c0 + c_starving (1 − D/Dmax) + c_no_relief [no relief near] +
 * c_terms [terms fresh]) × (1 − c_fear [the besieger has sacked a city]) × k (1 − resolve)²: a
 * city whose resolve is whole (a loyal commander, fed, its people not dying) does not surrender,
 * one of resolve 0.9 has the hazards above (k = 100), a disloyal one gives up without a fight;
 * on a surrender the garrison is disarmed into the city's people, its horses handed over, and
 * the city passes to the besieger.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return true if the city surrendered
 */
static bool siege_surrender(struct js_world *w, const struct js_day *d,
                            const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    const struct js_siege_surrender_params *o = &p->surrender;
    int32_t s = v->s;
    double starving = 1.0 - S->reserve[s] / p->people.reserve_days;
    bool fresh = S->terms_day[s] >= 0 && d->day - S->terms_day[s] < p->terms.retry_days;
    double h = o->base + o->starving * starving +
               (siege_relief_near(w, p, v) ? 0.0 : o->no_relief) + (fresh ? o->terms : 0.0);
    double fear = siege_has_sacked(w, v->att_f) ? 1.0 - o->fear : 1.0;
    double doubt = 1.0 - S->resolve[s];
    h *= (fear > 0.0 ? fear : 0.0) * o->resolve_k * doubt * doubt;
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, s, JS_SIEGE_P_SURRENDER, &rng);
    if (gsl_rng_uniform(r) >= 1.0 - exp(-h))
        return false;
    int64_t men = 0;
    for (int32_t k = 0; k < v->ngar; k++) {
        int32_t i = v->gar[k];
        int64_t m = js_army_persons(&w->armies, i);
        men += m;
        w->places.pop[(size_t)v->q * JS_NCLASSES + JS_CLASS_MILITARY] += m;
        siege_strip_army(w, v, i, 1.0);
        siege_army_gone(w, d, i, m, "surrendered");
    }
    js_ledger_add(&w->ledger, JS_FLOW_GARRISON_SURRENDERED, men);
    double value[4] = {(double)men, (double)v->civilians, (double)(d->day - S->start_day[s] + 1),
                       S->resolve[s]};
    siege_city_changes_hands(w, d, v, JS_EV_CITY_SURRENDERS, value);
    v->gar_fit = 0;
    siege_end(w, d, v, JS_SIEGE_SURRENDERED);
    return true;
}

/* ---------------------------------------------------------------- terms and ransom */

/** @brief Treasury currencies of the city's wealth (silver, gold, silk). */
static const int siege_wealth_cur[JS_NSIEGE_WEALTH] = {JS_CUR_SILVER, JS_CUR_GOLD, JS_CUR_SILK};

/**
 * @brief The ransom the besieger demands: a share of the city's wealth (its people's silver,
 * gold and silk, and the treasury when it is the faction's capital), and its value in silver.
 * @param w the world
 * @param p parameters
 * @param v the view
 * @param demand out: silver, gold, silk
 * @return the value in taels of silver
 */
static double siege_demand(const struct js_world *w, const struct js_siege_params *p,
                           const struct siege_view *v, int64_t demand[JS_NSIEGE_WEALTH])
{
    const struct js_sieges *S = &w->sieges;
    bool capital = w->factions.capital[v->def_f] == v->q;
    const int64_t *tr = &w->economy.treasury[(size_t)v->def_f * JS_NCURRENCIES];
    for (int c = 0; c < JS_NSIEGE_WEALTH; c++) {
        double have = (double)S->wealth[(size_t)v->s * JS_NSIEGE_WEALTH + (size_t)c] +
                      (capital ? (double)tr[siege_wealth_cur[c]] : 0.0);
        demand[c] = (int64_t)floor(p->terms.share * have);
    }
    return (double)demand[JS_SW_SILVER] + p->terms.gold_in_silver * (double)demand[JS_SW_GOLD] +
           p->terms.silk_in_silver * (double)demand[JS_SW_SILK];
}

/**
 * @brief Pays a ransom: the city's people are levied first (their silver, gold and silk go into
 * the faction's treasury), then the faction pays the demand from its treasury through the
 * economy (js_economy_pay); a share of the garrison's horses is handed over; the besiegers are
 * ordered home to hold their bases. RANSOM_PAID and SIEGE_END rows.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @param demand silver, gold, silk
 */
static void siege_ransom(struct js_world *w, const struct js_day *d,
                         const struct js_siege_params *p, struct siege_view *v,
                         const int64_t demand[JS_NSIEGE_WEALTH])
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    static const enum js_flow levy[JS_NSIEGE_WEALTH] = {
        JS_FLOW_RANSOM_LEVY_SILVER, JS_FLOW_RANSOM_LEVY_GOLD, JS_FLOW_RANSOM_LEVY_SILK};
    int64_t *tr = &w->economy.treasury[(size_t)v->def_f * JS_NCURRENCIES];
    int64_t amount[JS_NCURRENCIES] = {0}, paid[JS_NCURRENCIES] = {0};
    for (int c = 0; c < JS_NSIEGE_WEALTH; c++) {
        int64_t *have = &S->wealth[(size_t)v->s * JS_NSIEGE_WEALTH + (size_t)c];
        int64_t x = demand[c] < *have ? demand[c] : *have;
        *have -= x;
        tr[siege_wealth_cur[c]] += x;
        js_ledger_add(&w->ledger, levy[c], x);
        amount[siege_wealth_cur[c]] = demand[c];
    }
    js_economy_pay(w, d, v->def_f, v->att_f, amount, 0.0, p->terms.transit_days, paid);
    int64_t horses = 0;
    for (int32_t k = 0; k < v->ngar; k++) {
        int32_t i = v->gar[k];
        int64_t h = (int64_t)floor(p->terms.horses_share * (double)a->horses[i]);
        a->horses[i] -= h;
        horses += h;
    }
    a->horses[v->att_lead] += horses; /* within the holder armies: no flow */
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_RANSOM_PAID);
    row.place = v->q;
    row.faction_a = v->def_f;
    row.faction_b = v->att_f;
    row.army_a = v->gar_lead;
    row.army_b = v->att_lead;
    row.value[0] = (double)paid[JS_CUR_SILVER];
    row.value[1] = (double)paid[JS_CUR_SILK];
    row.value[2] = (double)paid[JS_CUR_CASH];
    row.value[3] = (double)paid[JS_CUR_GOLD];
    snprintf(row.text, sizeof(row.text), "ransom of %.32s, %lld horses", w->places.id[v->q],
             (long long)horses);
    js_world_record_event(w, &row);
    for (int32_t k = 0; k < v->natt; k++) {
        int32_t i = v->att[k];
        a->order[i] = JS_ORDER_HOLD;
        a->order_place[i] = a->base[i];
        a->order_forced[i] = 0;
    }
    siege_end(w, d, v, JS_SIEGE_RANSOMED);
}

/**
 * @brief Terms: once the siege has lasted terms.after_days (and terms refused are not fresh), a
 * besieger whose faction would rather have terms (the city's chance of falling within its
 * horizon, horizon_days × its morale, below its terms_preference) demands a share of the city's
 * wealth, if that is worth at least min_per_man taels a man; the city pays when its chance of
 * falling reaches terms.accept_fall_odds (at a capital: its court's acceptance,
 * sieges.court_accept: court_accept_fall_odds at the start, changed by `court_policy` events), else
 * refuses (a NOTE row).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return true if a ransom was paid
 */
static bool siege_terms(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                        struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    const struct js_siege_terms_params *t = &p->terms;
    int32_t s = v->s;
    if (v->att_lead < 0 || d->day - S->start_day[s] < t->after_days ||
        (S->terms_day[s] >= 0 && d->day - S->terms_day[s] < t->retry_days))
        return false;
    double pref = v->att_f < p->n_factions ? p->terms_preference[v->att_f] : 0.0;
    if (pref <= 0.0)
        return false;
    double horizon = t->horizon_days * w->armies.morale[v->att_lead];
    double fall = js_siege_fall_odds(siege_days_left(w, p, v), horizon,
                                     siege_storm_within(w, d, p, v, horizon), p);
    if (fall >= pref)
        return false;
    int64_t demand[JS_NSIEGE_WEALTH];
    double worth = siege_demand(w, p, v, demand);
    if (worth < t->min_per_man * (double)v->att_fit)
        return false;
    bool court = w->factions.capital[v->def_f] == v->q; /* the court decides at the capital */
    if (fall >= (court ? w->sieges.court_accept[v->def_f] : t->accept)) {
        siege_ransom(w, d, p, v, demand);
        return true;
    }
    S->terms_day[s] = d->day;
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_NOTE);
    row.place = v->q;
    row.faction_a = v->def_f;
    row.faction_b = v->att_f;
    row.value[0] = (double)demand[JS_SW_SILVER];
    row.value[1] = (double)demand[JS_SW_SILK];
    row.value[3] = (double)demand[JS_SW_GOLD];
    row.value[2] = fall;
    snprintf(row.text, sizeof(row.text), "terms refused at %.40s", w->places.id[v->q]);
    js_world_record_event(w, &row);
    return false;
}

/* ---------------------------------------------------------------- the besieger gives up */

/**
 * @brief The besieger gives up when its men starve (mean hunger at least lift.hunger_days),
 * when its fighting men have fallen below lift.strength_share of what it brought, when a
 * share lift.sick_share of them are sick, or at the daily hazard give_up_per_day (money, service
 * time, the season); its armies are ordered back to their bases.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return true if the siege was lifted
 */
static bool siege_lift(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                       struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    const struct js_siege_lift_params *l = &p->lift;
    int32_t s = v->s;
    double hunger = 0.0;
    for (int32_t k = 0; k < v->natt; k++)
        hunger += a->hunger[v->att[k]] * (double)js_army_persons(a, v->att[k]);
    hunger = v->att_persons > 0 ? hunger / (double)v->att_persons : 0.0;
    double sick = v->att_persons > 0
                      ? (double)S->infected[(size_t)s * JS_NSIEGE_GROUPS + JS_SG_BESIEGERS] /
                            (double)v->att_persons
                      : 0.0;
    bool give_up = hunger >= l->hunger_days || sick >= l->sick_share ||
                   (double)v->att_fit < l->strength_share * (double)S->besiegers0[s];
    if (!give_up) {
        struct js_rng rng;
        gsl_rng *r = siege_rng(w, d, s, JS_SIEGE_P_LIFT, &rng);
        give_up = gsl_rng_uniform(r) < 1.0 - exp(-l->give_up_per_day);
    }
    if (!give_up)
        return false;
    for (int32_t k = 0; k < v->natt; k++) {
        int32_t i = v->att[k];
        a->order[i] = JS_ORDER_RETREAT_TO;
        a->order_place[i] = a->base[i];
        a->order_forced[i] = 0;
    }
    siege_end(w, d, v, JS_SIEGE_LIFTED);
    return true;
}

bool siege_day_decisions(struct js_world *w, const struct js_day *d,
                         const struct js_siege_params *p, struct siege_view *v)
{
    return siege_assault(w, d, p, v) || siege_surrender(w, d, p, v) || siege_terms(w, d, p, v) ||
           siege_lift(w, d, p, v);
}
