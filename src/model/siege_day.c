/**
 * @file siege_day.c
 * @brief A day of an active siege: the blockade and the grain that still comes in, engines and
 * parapets, saps and ramps, sorties (the works); then, if the siege goes on, rations and hunger,
 * starvation, epidemics, desertion and the city's resolve (the people).
 */

/* system headers */
#include <math.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/log.h"
#include "siege_internal.h"

/* ---------------------------------------------------------------- the works */

/** @brief Most places a city's rivers lead to that can send it grain. */
#define SIEGE_MAX_RIVER 16

/**
 * @brief The city's river gates: open if it has no river, canal or crossing (its river leads
 * off the map) or one of the places they lead to is neither held by the besieger nor occupied by
 * its armies; the defender's places among those send grain while the river is open.
 * @param w the world
 * @param v the view
 * @param src out: places held by the defender the open river reaches (route order)
 * @param nsrc out: how many
 * @return true if the river gates are open
 */
static bool siege_river(const struct js_world *w, const struct siege_view *v,
                        int32_t src[SIEGE_MAX_RIVER], int *nsrc)
{
    const struct js_graph *g = &w->graph;
    const struct js_sieges *S = &w->sieges;
    bool any = false, open = false;
    *nsrc = 0;
    for (int32_t k = g->out_start[v->q]; k < g->out_start[v->q + 1]; k++) {
        const struct js_arc *arc = &g->arcs[g->out_arcs[k]];
        uint8_t kind = w->routes.kind[arc->route];
        if (kind != JS_ROUTE_RIVER && kind != JS_ROUTE_CANAL && kind != JS_ROUTE_CROSSING)
            continue;
        any = true;
        bool held = w->places.owner[arc->to] == v->att_f;
        for (int32_t i = S->head[arc->to]; i >= 0 && !held; i = S->next[i])
            held = w->armies.active[i] && w->armies.owner[i] == v->att_f;
        if (held)
            continue;
        open = true;
        if (w->places.owner[arc->to] == v->def_f && *nsrc < SIEGE_MAX_RIVER)
            src[(*nsrc)++] = arc->to;
    }
    return open || !any;
}

/**
 * @brief Draws grain from a place's private stock, then its granary, into the city's stores.
 * @param w the world
 * @param s slot
 * @param q the place drawn on
 * @param want sheng wanted
 * @return sheng drawn
 */
static int64_t siege_draw_in(struct js_world *w, int32_t s, int32_t q, int64_t want)
{
    struct js_sieges *S = &w->sieges;
    int64_t x = want < w->places.grain[q] ? want : w->places.grain[q];
    w->places.grain[q] -= x;
    S->food_private[s] += x;
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRAIN_IN, x);
    int64_t y = want - x < w->economy.granary[q] ? want - x : w->economy.granary[q];
    w->economy.granary[q] -= y;
    S->food_state[s] += y;
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRANARY_IN, y);
    return x + y;
}

/**
 * @brief The garrison's carried food joins the city's state stores; the blockade is set; grain
 * comes in through the open gates, up to stock_days of need. A share river_gates of the city's
 * supply comes by water, the rest by land: the land gates pass (1 − blk_land) of their
 * throughput (blk_land = the besiegers' fighting men / (blockade_men_per_km × circuit)), the
 * river gates all of theirs while the river is open. Land gates draw on the place's own stocks
 * outside the walls; river gates on those and on the defender's places up and down the river.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
static void siege_supply(struct js_world *w, const struct js_siege_params *p,
                         const struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    int32_t s = v->s, q = v->q;
    for (int32_t k = 0; k < v->ngar; k++) {
        int32_t i = v->gar[k];
        S->food_state[s] += a->food[i];
        js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GARRISON_STORES, a->food[i]);
        a->food[i] = 0;
    }
    double circuit = S->circuit_km[s], rg = S->river_gates[s];
    double land =
        circuit > 0.0 ? (double)v->att_fit / (p->people.blockade_men_per_km * circuit) : 1.0;
    land = land > 1.0 ? 1.0 : land;
    int32_t src[SIEGE_MAX_RIVER];
    int nsrc;
    bool river = siege_river(w, v, src, &nsrc);
    double need = siege_need(w, p, v);
    double land_cap = (1.0 - rg) * (1.0 - land) * p->people.gate_days * need;
    double river_cap = river ? rg * p->people.gate_days * need : 0.0;
    S->blockade[s] = 1.0 - (1.0 - rg) * (1.0 - land) - (river ? rg : 0.0);
    double own = (double)(w->places.grain[q] + w->economy.granary[q]), far = 0.0;
    for (int k = 0; k < nsrc; k++)
        far += (double)(w->places.grain[src[k]] + w->economy.granary[src[k]]);
    double by_land = land_cap < own ? land_cap : own;
    double by_river = own - by_land + far < river_cap ? own - by_land + far : river_cap;
    S->inflow[s] = by_land + by_river;
    double want = p->people.stock_days * need - (double)(S->food_private[s] + S->food_state[s]);
    int64_t take = (int64_t)floor(want < S->inflow[s] ? want : S->inflow[s]);
    if (take <= 0)
        return;
    take -= siege_draw_in(w, s, q, take);
    for (int k = 0; k < nsrc && take > 0; k++)
        take -= siege_draw_in(w, s, src[k], take);
}

void siege_defenders_lose(struct js_world *w, struct siege_view *v, int64_t total, gsl_rng *r,
                          int mode, enum js_flow soldier_flow)
{
    int64_t pool = v->gar_fit + v->militia;
    if (total <= 0 || pool <= 0)
        return;
    int64_t soldiers =
        (int64_t)gsl_ran_hypergeometric(r, (unsigned int)v->gar_fit, (unsigned int)v->militia,
                                        (unsigned int)(total < pool ? total : pool));
    int64_t militia = (total < pool ? total : pool) - soldiers;
    soldiers = siege_hit(&w->armies, v->gar, v->ngar, soldiers, mode, NULL);
    if (mode != SIEGE_HIT_WOUND)
        js_ledger_add(&w->ledger, soldier_flow, soldiers);
    v->gar_fit -= soldiers;
    militia = siege_take_civilians(w, v, militia);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_MILITIA_KILLED, militia);
    w->sieges.deaths[v->s] += militia;
    v->militia -= militia;
}

/**
 * @brief The besiegers' pullers and labourers: engineers, and a share of levies and porters.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
static double siege_labour(const struct js_world *w, const struct js_siege_params *p,
                           const struct siege_view *v)
{
    const struct js_armies *a = &w->armies;
    double l = 0.0;
    for (int32_t k = 0; k < v->natt; k++) {
        int32_t i = v->att[k];
        l += (double)a->fit[SIEGE_ARM(i, JS_ARM_ENGINEERS)] +
             p->engines.puller_share * (double)(a->fit[SIEGE_ARM(i, JS_ARM_LEVIES)] +
                                                a->fit[SIEGE_ARM(i, JS_ARM_PORTERS)]);
    }
    return l;
}

/**
 * @brief Bombardment: the engines the pullers can work (counterweights only with the
 * technology) kill defenders on the walls and wreck the parapets; the defenders repair them;
 * counterweight engines breach parapets already wrecked. Traction engines never breach.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
static void siege_bombard(struct js_world *w, const struct js_day *d,
                          const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    const struct js_siege_engines_params *e = &p->engines;
    int32_t s = v->s;
    if (d->day - S->start_day[s] < e->build_days)
        return;
    double pullers = siege_labour(w, p, v), kills = 0.0, damage = 0.0, cw = 0.0;
    bool counterweight = js_siege_has_tech(p, v->att_f, JS_TECH_COUNTERWEIGHT, d->day);
    for (int k = 0; k < JS_NENGINES; k++) {
        if (k == JS_ENGINE_COUNTERWEIGHT && !counterweight)
            continue;
        double n = floor(pullers * e->engine[k].share / e->engine[k].crew);
        kills += n * e->engine[k].kills;
        damage += n * e->engine[k].damage;
        if (k == JS_ENGINE_COUNTERWEIGHT)
            cw = n;
    }
    double mult = js_siege_has_tech(p, v->att_f, JS_TECH_INCENDIARY, d->day)
                      ? p->tech.incendiary_bombard
                      : 1.0;
    kills *= mult;
    damage *= mult;
    int64_t pool = v->gar_fit + v->militia;
    if (kills > 0.0 && pool > 0) {
        double pk = kills / (double)pool;
        pk = pk > e->kill_max ? e->kill_max : pk;
        struct js_rng rng;
        gsl_rng *r = siege_rng(w, d, s, JS_SIEGE_P_BOMBARD, &rng);
        int64_t dead = gsl_ran_binomial(r, pk, (unsigned int)pool);
        siege_defenders_lose(w, v, dead, r, SIEGE_HIT_KILL, JS_FLOW_SIEGE_BOMBARDED);
    }
    double wall = S->wall[s] - damage + (pool > 0 ? e->repair : 0.0);
    S->wall[s] = wall < 0.0 ? 0.0 : wall > 1.0 ? 1.0 : wall;
    if (cw > 0.0 && S->wall[s] <= e->breach_below)
        S->breach[s] = 1;
}

double siege_dig_rate(const struct js_world *w, const struct js_siege_params *p,
                      const struct siege_view *v)
{
    const struct js_sieges *S = &w->sieges;
    const struct js_siege_assault_params *a = &p->assault;
    double l = siege_labour(w, p, v);
    double work = w->places.walls[v->q] * (1.0 + a->layer_bonus * (double)(S->layers[v->s] - 1)) *
                  (1.0 + a->moat_bonus * (double)S->moat[v->s]);
    if (l <= 0.0 || work <= 0.0)
        return 0.0;
    return p->engines.progress_per_day * l / (l + p->engines.labour_half) / work;
}

/**
 * @brief Saps, mines and ramps: progress by siege_dig_rate a day; a breach when it reaches 1.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
static void siege_dig(struct js_world *w, const struct js_siege_params *p,
                      const struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    int32_t s = v->s;
    if (S->breach[s])
        return;
    S->progress[s] += siege_dig_rate(w, p, v);
    if (S->progress[s] >= 1.0) {
        S->progress[s] = 1.0;
        S->breach[s] = 1;
    }
}

/**
 * @brief A sortie, with a chance sortie_per_day × (½ + the commander's aggression) (× the fire
 * lance factor): a share of the garrison falls on the works, kills besiegers, undoes progress
 * and shakes the besiegers' morale, and loses some of its own men.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
static void siege_sortie(struct js_world *w, const struct js_day *d,
                         const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    const struct js_siege_sortie_params *o = &p->sortie;
    if (v->gar_fit == 0 || v->att_fit == 0)
        return;
    double fire = js_siege_has_tech(p, v->def_f, JS_TECH_FIRE_LANCE, d->day)
                      ? p->tech.fire_lance_sortie
                      : 1.0;
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, v->s, JS_SIEGE_P_SORTIE, &rng);
    double chance = o->per_day * (0.5 + a->aggression[v->gar_lead]);
    if (gsl_rng_uniform(r) >= chance)
        return;
    int64_t party = (int64_t)floor(o->share * (double)v->gar_fit);
    double pk = o->kill * fire * (double)party / (double)v->att_fit;
    pk = pk > 0.5 ? 0.5 : pk;
    int64_t killed = gsl_ran_binomial(r, pk, (unsigned int)v->att_fit);
    int64_t lost = gsl_ran_binomial(r, o->loss, (unsigned int)party);
    killed = siege_hit(a, v->att, v->natt, killed, SIEGE_HIT_KILL, NULL);
    lost = siege_hit(a, v->gar, v->ngar, lost, SIEGE_HIT_KILL, NULL);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_SORTIE_KILLED, killed + lost);
    v->att_fit -= killed;
    v->gar_fit -= lost;
    if (!S->breach[v->s]) {
        S->progress[v->s] -= o->progress * fire;
        S->progress[v->s] = S->progress[v->s] < 0.0 ? 0.0 : S->progress[v->s];
    }
    for (int32_t k = 0; k < v->natt; k++) {
        double m = a->morale[v->att[k]] - o->morale * fire;
        a->morale[v->att[k]] = m < 0.0 ? 0.0 : m;
    }
}

void siege_day_works(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                     struct siege_view *v)
{
    siege_supply(w, p, v);
    siege_bombard(w, d, p, v);
    siege_dig(w, p, v);
    siege_sortie(w, d, p, v);
}

/* ---------------------------------------------------------------- the people */

/**
 * @brief Takes up to @p want sheng from two stocks, the first before the second.
 * @param first first stock
 * @param second second stock
 * @param want sheng wanted
 * @return sheng taken
 */
static int64_t siege_draw(int64_t *first, int64_t *second, int64_t want)
{
    int64_t x = want < *first ? want : *first;
    *first -= x;
    int64_t y = want - x < *second ? want - x : *second;
    *second -= y;
    return x + y;
}

/**
 * @brief Rations: the garrison eats first and in full while anything is left (state stores, then
 * private); the civilians next (private, then state) at the ration policy: full while the stores,
 * net of what comes in, last full_above_days, else reduced; the garrison's horses eat their
 * fodder. Sets each garrison army's fed shares and food
 * days (the city's), and the civilians' fed share.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
static void siege_rations(struct js_world *w, const struct js_day *d,
                          const struct js_siege_params *p, const struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    struct js_armies *a = &w->armies;
    int32_t s = v->s;
    double days = siege_food_days(w, p, v);
    double rho = days >= p->people.full_above_days ? 1.0 : p->people.reduced;
    S->ration[s] = rho;
    int64_t want_s = llround((double)v->gar_persons * p->supply.ration_sheng);
    int64_t ate_s = siege_draw(&S->food_state[s], &S->food_private[s], want_s);
    int64_t want_c = llround(rho * (double)v->civilians * p->people.ration_civilian);
    int64_t ate_c = siege_draw(&S->food_private[s], &S->food_state[s], want_c);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_RATIONS_ARMY, ate_s);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_RATIONS_CIVIL, ate_c);
    double fed_s = want_s > 0 ? (double)ate_s / (double)want_s : 1.0;
    S->fed[s] = want_c > 0 ? rho * (double)ate_c / (double)want_c : rho;
    double left = siege_food_days(w, p, v);
    for (int32_t k = 0; k < v->ngar; k++) {
        int32_t i = v->gar[k];
        a->fed[i] = fed_s;
        a->food_days[i] = left;
        int64_t hneed = llround(p->supply.horse_grain_sheng[d->season] * (double)a->horses[i]);
        int64_t h = a->fodder[i] < hneed ? a->fodder[i] : hneed;
        a->fodder[i] -= h;
        js_ledger_add(&w->ledger, JS_FLOW_ARMY_FODDER, h);
        a->horses_fed[i] = hneed > 0 ? (double)h / (double)hneed : 1.0;
    }
}

/**
 * @brief The civilians' nutrition reserve falls by the unfed share of a ration (and recovers when
 * fully fed); starvation deaths are binomial with the hazard of the reserve left.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return deaths
 */
static int64_t siege_hunger(struct js_world *w, const struct js_day *d,
                            const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    int32_t s = v->s;
    double unfed = 1.0 - S->fed[s];
    double r = unfed > 1e-12 ? S->reserve[s] - unfed : S->reserve[s] + p->people.reserve_recovery;
    S->reserve[s] = r < 0.0 ? 0.0 : r > p->people.reserve_days ? p->people.reserve_days : r;
    double h = js_siege_starvation_hazard(S->reserve[s], &p->people);
    if (h <= 0.0 || v->civilians <= 0)
        return 0;
    struct js_rng rng;
    gsl_rng *g = siege_rng(w, d, s, JS_SIEGE_P_HUNGER, &rng);
    int64_t dead = gsl_ran_binomial(g, 1.0 - exp(-h), (unsigned int)v->civilians);
    dead = siege_take_civilians(w, v, dead);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_STARVED, dead);
    return dead;
}

/**
 * @brief Keeps a group's infected and immune within its present size (they shrink in proportion
 * when the group does).
 * @param inf infected
 * @param imm immune
 * @param n the group's persons
 */
static void siege_epi_clamp(int64_t *inf, int64_t *imm, int64_t n)
{
    int64_t sick = *inf + *imm;
    if (sick <= n)
        return;
    double f = sick > 0 ? (double)n / (double)sick : 0.0;
    *inf = (int64_t)floor((double)*inf * f);
    *imm = (int64_t)floor((double)*imm * f);
}

/**
 * @brief One group's epidemic day: new infections ~ Binomial(S, 1 − exp(−β I/N − import)), ends
 * of illness ~ Binomial(I, 1 − exp(−γ)), of which deaths ~ Binomial(ended, cfr).
 * @param r generator
 * @param beta transmission rate of the group's pool
 * @param frac infectious share of the pool
 * @param p parameters
 * @param n the group's persons
 * @param inf its infected (updated)
 * @param imm its immune (updated)
 * @return deaths
 */
static int64_t siege_epi_group(gsl_rng *r, double beta, double frac,
                               const struct js_siege_epidemic_params *p, int64_t n, int64_t *inf,
                               int64_t *imm)
{
    siege_epi_clamp(inf, imm, n);
    int64_t sus = n - *inf - *imm;
    double pi = 1.0 - exp(-(beta * frac + p->import));
    int64_t neu = sus > 0 ? gsl_ran_binomial(r, pi, (unsigned int)sus) : 0;
    int64_t end =
        *inf > 0 ? gsl_ran_binomial(r, 1.0 - exp(-1.0 / p->infectious_days), (unsigned int)*inf)
                 : 0;
    int64_t dead = end > 0 ? gsl_ran_binomial(r, p->cfr, (unsigned int)end) : 0;
    *inf += neu - end;
    *imm += end - dead;
    return dead;
}

/**
 * @brief Epidemics: the city (garrison and civilians mixing, transmission rising with crowding
 * inside the circuit, the season and hunger) and the besiegers' camp (crowding by its size, the
 * season); deaths through the ledger.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return civilians dead
 */
static int64_t siege_epidemic(struct js_world *w, const struct js_day *d,
                              const struct js_siege_params *p, struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    const struct js_siege_epidemic_params *e = &p->epidemic;
    int32_t s = v->s;
    int64_t *inf = &S->infected[(size_t)s * JS_NSIEGE_GROUPS];
    int64_t *imm = &S->immune[(size_t)s * JS_NSIEGE_GROUPS];
    double gamma = 1.0 / e->infectious_days, season = e->season[d->season];
    double circuit = S->circuit_km[s];
    double area = circuit * circuit / (4.0 * M_PI);
    double city = (double)(v->gar_persons + v->civilians);
    double crowd = area > 0.0 ? city / area / e->density_ref : 1.0;
    double starving = 1.0 - S->reserve[s] / p->people.reserve_days;
    double beta_city =
        e->r0 * gamma * pow(crowd, e->crowd_exp) * season * (1.0 + e->hunger * starving);
    double beta_camp =
        e->r0 * gamma * pow((double)v->att_persons / e->camp_ref, e->crowd_exp) * season;
    double frac_city =
        city > 0.0 ? (double)(inf[JS_SG_DEFENDERS] + inf[JS_SG_CIVILIANS]) / city : 0.0;
    double frac_camp =
        v->att_persons > 0 ? (double)inf[JS_SG_BESIEGERS] / (double)v->att_persons : 0.0;
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, s, JS_SIEGE_P_EPIDEMIC, &rng);
    int64_t dd = siege_epi_group(r, beta_city, frac_city, e, v->gar_persons, &inf[JS_SG_DEFENDERS],
                                 &imm[JS_SG_DEFENDERS]);
    int64_t dc = siege_epi_group(r, beta_city, frac_city, e, v->civilians, &inf[JS_SG_CIVILIANS],
                                 &imm[JS_SG_CIVILIANS]);
    int64_t db = siege_epi_group(r, beta_camp, frac_camp, e, v->att_persons, &inf[JS_SG_BESIEGERS],
                                 &imm[JS_SG_BESIEGERS]);
    dd = siege_hit(&w->armies, v->gar, v->ngar, dd, SIEGE_HIT_PERSONS, NULL);
    db = siege_hit(&w->armies, v->att, v->natt, db, SIEGE_HIT_PERSONS, NULL);
    dc = siege_take_civilians(w, v, dc);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_EPIDEMIC_ARMY, dd + db);
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_EPIDEMIC, dc);
    return dc;
}

/**
 * @brief Desertion in the siege: the garrison's hazard rises with hunger, the besiegers' with
 * low morale, both with a disloyal commander (x (2 − loyalty)); deserters go home to their
 * army's base.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
static void siege_desertion(struct js_world *w, const struct js_day *d,
                            const struct js_siege_params *p, const struct siege_view *v)
{
    struct js_armies *a = &w->armies;
    const struct js_siege_sortie_params *o = &p->sortie;
    struct js_rng rng;
    gsl_rng *r = siege_rng(w, d, v->s, JS_SIEGE_P_DESERTION, &rng);
    for (int side = 0; side < 2; side++) {
        const int32_t *ids = side == 0 ? v->gar : v->att;
        int32_t n = side == 0 ? v->ngar : v->natt;
        for (int32_t k = 0; k < n; k++) {
            int32_t i = ids[k];
            double h = o->desertion * (2.0 - a->loyalty[i]) *
                       (side == 0 ? 1.0 + o->desertion_hunger * (1.0 - a->fed[i])
                                  : 1.0 + o->desertion_morale * (1.0 - a->morale[i]));
            int64_t gone = 0;
            for (int arm = 0; arm < JS_NFIGHT; arm++) {
                int64_t *fit = &a->fit[SIEGE_ARM(i, arm)];
                int64_t x = *fit > 0 ? gsl_ran_binomial(r, 1.0 - exp(-h), (unsigned int)*fit) : 0;
                *fit -= x;
                gone += x;
            }
            w->places.pop[(size_t)a->base[i] * JS_NCLASSES + JS_CLASS_MILITARY] += gone;
            js_ledger_add(&w->ledger, JS_FLOW_SIEGE_DESERTERS, gone);
        }
    }
}

void siege_day_people(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                      struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    int32_t s = v->s;
    int64_t before = v->civilians;
    siege_rations(w, d, p, v);
    int64_t dead = siege_hunger(w, d, p, v);
    dead += siege_epidemic(w, d, p, v);
    S->deaths[s] += dead;
    siege_desertion(w, d, p, v);
    const struct js_siege_surrender_params *o = &p->surrender;
    double share = before > 0 ? (double)dead / (double)before : 0.0;
    double anchor = v->gar_lead >= 0 ? w->armies.loyalty[v->gar_lead] : S->loyalty[s];
    double r = S->resolve[s] + o->resolve_recovery * (anchor - S->resolve[s]) -
               o->resolve_hunger * (1.0 - S->fed[s]) - o->resolve_deaths * share;
    S->resolve[s] = r < 0.0 ? 0.0 : r > 1.0 ? 1.0 : r;
    /* the view's head counts after the day's losses */
    const struct js_armies *a = &w->armies;
    v->gar_fit = v->att_fit = 0;
    for (int32_t k = 0; k < v->ngar; k++)
        v->gar_fit += js_army_strength(a, v->gar[k]);
    for (int32_t k = 0; k < v->natt; k++)
        v->att_fit += js_army_strength(a, v->att[k]);
}
