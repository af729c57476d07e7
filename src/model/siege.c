/**
 * @file siege.c
 * @brief Sieges (phase 6): which sieges end for want of besiegers or because the place changed
 * hands, which begin, a day of every active one, the danger they spread, and the helpers the
 * siege files share (views, apportioning losses, the formulas of siege.h).
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/army.h"
#include "jinsong/economy.h"
#include "jinsong/log.h"
#include "siege_internal.h"

/* ---------------------------------------------------------------- formulas */

double js_siege_wall_factor(const struct js_world *w, int32_t slot, const struct js_siege_params *p)
{
    const struct js_sieges *S = &w->sieges;
    const struct js_siege_assault_params *a = &p->assault;
    double strength = w->places.walls[S->place[slot]];
    double excess = (a->wall_factor - 1.0) * strength *
                    (1.0 + a->layer_bonus * (double)(S->layers[slot] - 1)) *
                    (1.0 + a->moat_bonus * (double)S->moat[slot]);
    excess *= a->parapet_floor + (1.0 - a->parapet_floor) * S->wall[slot];
    if (S->breach[slot])
        excess *= a->breach_keep;
    return 1.0 + excess;
}

double js_siege_storm_odds(double attackers, double defenders, double wall, bool breach,
                           const struct js_siege_assault_params *p)
{
    if (attackers <= 0.0)
        return 0.0;
    if (defenders <= 0.0)
        return 1.0;
    double x = p->a0 + p->a1 * log(attackers / (defenders * wall)) + (breach ? p->a_breach : 0.0);
    return 1.0 / (1.0 + exp(-x));
}

double js_siege_starvation_hazard(double reserve, const struct js_siege_people_params *p)
{
    double f = 1.0 - reserve / p->reserve_days;
    f = f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
    return p->starvation_max * pow(f, p->starvation_exp);
}

double js_siege_fall_odds(double days_left, double horizon, double stormed,
                          const struct js_siege_params *p)
{
    double z = (days_left - horizon) / p->terms.scale_days;
    double starved = z > 700.0 ? 0.0 : 1.0 / (1.0 + exp(z));
    return 1.0 - (1.0 - starved) * (1.0 - stormed);
}

bool js_siege_has_tech(const struct js_siege_params *p, int32_t faction, int tech, int32_t day)
{
    if (faction < 0 || faction >= p->n_factions || !p->tech_day)
        return false;
    return day >= p->tech_day[(size_t)faction * JS_NTECHS + (size_t)tech];
}

/* ---------------------------------------------------------------- shared helpers */

void siege_apportion(int64_t total, const int64_t *weight, int32_t n, int64_t *out)
{
    int64_t sum = 0, given = 0;
    for (int32_t k = 0; k < n; k++)
        sum += weight[k];
    JS_ASSERT(total <= sum && n <= SIEGE_MAX_SIDE * 2 * JS_NARMS);
    for (int32_t k = 0; k < n; k++) {
        out[k] = sum > 0 ? (int64_t)((double)total * (double)weight[k] / (double)sum) : 0;
        if (out[k] > weight[k])
            out[k] = weight[k];
        given += out[k];
    }
    while (given > total) { /* rounding of the double product: take back from the first */
        for (int32_t k = 0; k < n && given > total; k++)
            if (out[k] > 0) {
                out[k]--;
                given--;
            }
    }
    while (given < total) { /* one more to the entry furthest below its exact share */
        int32_t best = -1;
        double best_gap = -1.0;
        for (int32_t k = 0; k < n; k++) {
            double gap = (double)total * (double)weight[k] / (double)sum - (double)out[k];
            if (out[k] < weight[k] && gap > best_gap) {
                best = k;
                best_gap = gap;
            }
        }
        JS_ASSERT(best >= 0);
        out[best]++;
        given++;
    }
}

/**
 * @brief Takes @p take men out of one army's cells (fit of the fighting arms, or fit and
 * wounded of every arm).
 * @param a the armies
 * @param i army
 * @param take men
 * @param mode enum siege_hit_mode
 */
static void siege_hit_army(struct js_armies *a, int32_t i, int64_t take, int mode)
{
    int64_t w[2 * JS_NARMS], out[2 * JS_NARMS];
    int32_t n = 0;
    for (int k = 0; k < JS_NARMS; k++) {
        if (mode != SIEGE_HIT_PERSONS && k >= JS_NFIGHT)
            break;
        w[n++] = a->fit[SIEGE_ARM(i, k)];
        if (mode == SIEGE_HIT_PERSONS)
            w[n++] = a->wounded[SIEGE_ARM(i, k)];
    }
    siege_apportion(take, w, n, out);
    int32_t c = 0;
    for (int k = 0; k < JS_NARMS && c < n; k++) {
        a->fit[SIEGE_ARM(i, k)] -= out[c];
        if (mode == SIEGE_HIT_WOUND)
            a->wounded[SIEGE_ARM(i, k)] += out[c];
        c++;
        if (mode == SIEGE_HIT_PERSONS)
            a->wounded[SIEGE_ARM(i, k)] -= out[c++];
    }
}

int64_t siege_hit(struct js_armies *a, const int32_t *ids, int32_t n, int64_t total, int mode,
                  int64_t *per_army)
{
    int64_t w[SIEGE_MAX_SIDE], share[SIEGE_MAX_SIDE], sum = 0;
    JS_ASSERT(n <= SIEGE_MAX_SIDE);
    for (int32_t k = 0; k < n; k++) {
        w[k] = mode == SIEGE_HIT_PERSONS ? js_army_persons(a, ids[k]) : js_army_strength(a, ids[k]);
        sum += w[k];
    }
    if (total > sum)
        total = sum;
    if (total <= 0) {
        if (per_army)
            memset(per_army, 0, (size_t)n * sizeof(int64_t));
        return 0;
    }
    siege_apportion(total, w, n, share);
    for (int32_t k = 0; k < n; k++) {
        siege_hit_army(a, ids[k], share[k], mode);
        if (per_army)
            per_army[k] = share[k];
    }
    return total;
}

int64_t siege_take_civilians(struct js_world *w, struct siege_view *v, int64_t total)
{
    if (total > v->civilians)
        total = v->civilians;
    if (total <= 0)
        return 0;
    int64_t out[JS_NCLASSES];
    siege_apportion(total, v->inside, JS_NCLASSES, out);
    int64_t *pop = &w->places.pop[(size_t)v->q * JS_NCLASSES];
    for (int c = 0; c < JS_NCLASSES; c++) {
        pop[c] -= out[c];
        v->inside[c] -= out[c];
    }
    v->civilians -= total;
    return total;
}

gsl_rng *siege_rng(const struct js_world *w, const struct js_day *d, int32_t s, int purpose,
                   struct js_rng *rng)
{
    js_rng_init(rng);
    return js_rng_stream(rng, w->key.seed, w->key.run, (uint32_t)d->day, JS_RNG_SIEGE, (uint32_t)s,
                         JS_PURPOSE(JS_RNGMOD_SIEGE, purpose));
}

/**
 * @brief Adds an army to a side of the view, keeping the strongest as its lead (ties: lower id).
 * @param a the armies
 * @param i army
 * @param ids the side's armies
 * @param n their count
 * @param lead the side's lead
 * @param fit the side's fit fighting men
 * @param persons the side's persons
 */
static void siege_view_add(const struct js_armies *a, int32_t i, int32_t *ids, int32_t *n,
                           int32_t *lead, int64_t *fit, int64_t *persons)
{
    if (*n == SIEGE_MAX_SIDE)
        return;
    ids[(*n)++] = i;
    int64_t st = js_army_strength(a, i);
    if (*lead < 0 || st > js_army_strength(a, *lead))
        *lead = i;
    *fit += st;
    *persons += js_army_persons(a, i);
}

void siege_view_fill(const struct js_world *w, const struct js_siege_params *p, int32_t s,
                     struct siege_view *v)
{
    const struct js_sieges *S = &w->sieges;
    const struct js_armies *a = &w->armies;
    memset(v, 0, sizeof(*v));
    v->s = s;
    v->q = S->place[s];
    v->att_f = S->besieger[s];
    v->def_f = S->defender[s];
    v->gar_lead = v->att_lead = -1;
    for (int32_t i = S->head[v->q]; i >= 0; i = S->next[i]) {
        if (!a->active[i])
            continue;
        if (a->owner[i] == v->def_f)
            siege_view_add(a, i, v->gar, &v->ngar, &v->gar_lead, &v->gar_fit, &v->gar_persons);
        else if (a->owner[i] == v->att_f && a->state[i] != JS_ARMY_ROUTED &&
                 js_army_strength(a, i) > 0)
            siege_view_add(a, i, v->att, &v->natt, &v->att_lead, &v->att_fit, &v->att_persons);
    }
    const int64_t *pop = &w->places.pop[(size_t)v->q * JS_NCLASSES];
    for (int c = 0; c < JS_NCLASSES; c++) {
        v->inside[c] = (int64_t)floor((double)pop[c] * p->people.inside_share[c]);
        v->civilians += v->inside[c];
    }
    v->militia = (int64_t)floor((double)v->civilians * p->people.militia_share);
}

double siege_need(const struct js_world *w, const struct js_siege_params *p,
                  const struct siege_view *v)
{
    (void)w;
    return (double)v->civilians * p->people.ration_civilian +
           (double)v->gar_persons * p->supply.ration_sheng;
}

double siege_defenders(const struct js_world *w, const struct js_day *d,
                       const struct js_siege_params *p, const struct siege_view *v)
{
    double skill = v->gar_lead >= 0 ? w->armies.skill[v->gar_lead] : 0.5;
    double q = 1.0 + p->assault.quality_skill * (skill - 0.5);
    double tech = 1.0;
    if (js_siege_has_tech(p, v->def_f, JS_TECH_FIRE_LANCE, d->day))
        tech *= p->tech.fire_lance_defence;
    if (js_siege_has_tech(p, v->def_f, JS_TECH_INCENDIARY, d->day))
        tech *= p->tech.incendiary_defence;
    return (double)(v->gar_fit + v->militia) * q * tech;
}

double siege_attackers(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v)
{
    double skill = v->att_lead >= 0 ? w->armies.skill[v->att_lead] : 0.5;
    return p->assault.share * (double)v->att_fit * (1.0 + p->assault.quality_skill * (skill - 0.5));
}

double siege_food_days(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v)
{
    const struct js_sieges *S = &w->sieges;
    double drain = siege_need(w, p, v) - S->inflow[v->s];
    double stock = (double)(S->food_private[v->s] + S->food_state[v->s]);
    return drain > 0.0 ? stock / drain : 1e9;
}

double siege_days_left(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v)
{
    return siege_food_days(w, p, v) + w->sieges.reserve[v->s];
}

/* ---------------------------------------------------------------- start and end */

/**
 * @brief Lists the armies standing at each place (in id order) for the day's views.
 * @param w the world
 */
static void siege_index(struct js_world *w)
{
    struct js_sieges *S = &w->sieges;
    const struct js_armies *a = &w->armies;
    for (int32_t q = 0; q < S->n_places; q++)
        S->head[q] = -1;
    for (int32_t i = a->n - 1; i >= 0; i--) {
        if (!a->active[i] || a->place[i] < 0)
            continue;
        S->next[i] = S->head[a->place[i]];
        S->head[a->place[i]] = i;
    }
}

/**
 * @brief Copies a view's head counts into the slot (what the output shows).
 * @param w the world
 * @param v the view
 */
static void siege_record_counts(struct js_world *w, const struct siege_view *v)
{
    struct js_sieges *S = &w->sieges;
    S->garrison[v->s] = v->gar_fit;
    S->civilians[v->s] = v->civilians;
    S->attackers[v->s] = v->att_fit;
}

void siege_end(struct js_world *w, const struct js_day *d, const struct siege_view *v, int outcome)
{
    struct js_sieges *S = &w->sieges;
    int32_t s = v->s, q = v->q;
    w->places.grain[q] += S->food_private[s];
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRAIN_OUT, S->food_private[s]);
    w->economy.granary[q] += S->food_state[s];
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRANARY_OUT, S->food_state[s]);
    S->food_private[s] = S->food_state[s] = 0;
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_SIEGE_END);
    row.place = q;
    row.faction_a = v->att_f;
    row.faction_b = v->def_f;
    row.army_a = v->att_lead;
    row.army_b = v->gar_lead;
    row.value[0] = (double)outcome;
    row.value[1] = (double)(d->day - S->start_day[s] + 1);
    row.value[2] = (double)v->att_fit;
    row.value[3] = (double)v->gar_fit;
    snprintf(row.text, sizeof(row.text), "siege of %.32s %s", w->places.id[q],
             js_siege_outcome_name(outcome));
    js_world_record_event(w, &row);
    S->active[s] = 0;
    S->end_day[s] = d->day;
    S->outcome[s] = (uint8_t)outcome;
    memset(&S->infected[(size_t)s * JS_NSIEGE_GROUPS], 0, JS_NSIEGE_GROUPS * sizeof(int64_t));
    memset(&S->immune[(size_t)s * JS_NSIEGE_GROUPS], 0, JS_NSIEGE_GROUPS * sizeof(int64_t));
    S->garrison[s] = S->civilians[s] = S->attackers[s] = 0;
    S->blockade[s] = 0.0;
    S->inside[q] = 0;
}

/**
 * @brief Starts a siege of slot @p s by faction @p f: the slot's state reset, the grain of the
 * people inside and the state granary shut in, the SIEGE_START row.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param s slot
 * @param f besieging faction
 */
static void siege_start(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                        int32_t s, int32_t f)
{
    struct js_sieges *S = &w->sieges;
    int32_t q = S->place[s];
    S->active[s] = 1;
    S->episode[s]++;
    S->besieger[s] = f;
    S->defender[s] = w->places.owner[q];
    S->start_day[s] = d->day;
    S->end_day[s] = -1;
    S->outcome[s] = JS_SIEGE_ONGOING;
    S->reserve[s] = p->people.reserve_days;
    S->ration[s] = S->fed[s] = S->wall[s] = 1.0;
    S->progress[s] = 0.0;
    S->breach[s] = 0;
    S->last_assault[s] = S->terms_day[s] = -1;
    S->assaults[s] = 0;
    S->deaths[s] = 0;
    struct siege_view v;
    siege_view_fill(w, p, s, &v);
    S->resolve[s] = v.gar_lead >= 0 ? w->armies.loyalty[v.gar_lead] : S->loyalty[s];
    S->besiegers0[s] = v.att_fit;
    int64_t people = js_world_place_population(w, q);
    double share = people > 0 ? (double)v.civilians / (double)people : 1.0;
    int64_t grain = (int64_t)floor(share * (double)w->places.grain[q]);
    w->places.grain[q] -= grain;
    S->food_private[s] = grain;
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRAIN_IN, grain);
    S->food_state[s] = w->economy.granary[q];
    js_ledger_add(&w->ledger, JS_FLOW_SIEGE_GRANARY_IN, w->economy.granary[q]);
    w->economy.granary[q] = 0;
    siege_record_counts(w, &v);
    double need = siege_need(w, p, &v);
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_SIEGE_START);
    row.place = q;
    row.faction_a = f;
    row.faction_b = S->defender[s];
    row.army_a = v.att_lead;
    row.army_b = v.gar_lead;
    row.value[0] = (double)v.att_fit;
    row.value[1] = (double)v.gar_fit;
    row.value[2] = (double)v.civilians;
    row.value[3] = need > 0 ? (double)(S->food_private[s] + S->food_state[s]) / need : 0.0;
    snprintf(row.text, sizeof(row.text), "siege %d of %.40s", S->episode[s], w->places.id[q]);
    js_world_record_event(w, &row);
    /* a siege is war between the two sides: their treaties are suspended (economy) */
    if (f >= 0 && S->defender[s] >= 0 && f != S->defender[s])
        js_economy_set_war(w, d, f, S->defender[s], true);
}

/**
 * @brief True if a battle was fought at a place today and won by a faction.
 * @param w the world
 * @param d today
 * @param q place
 * @param f faction
 */
static bool siege_won_battle_today(const struct js_world *w, const struct js_day *d, int32_t q,
                                   int32_t f)
{
    const struct js_eventlog *log = &w->events;
    for (int64_t k = log->n - 1; k >= 0 && log->rows[k].day == d->day; k--) {
        const struct js_event_row *r = &log->rows[k];
        if (r->kind == JS_EV_BATTLE && r->place == q && r->faction_a == f &&
            strncmp(r->text, "drawn", 5) != 0)
            return true;
    }
    return false;
}

/**
 * @brief Ends the sieges that have no besieger left (relieved if the defenders won a battle
 * there today, else lifted) or whose place changed hands.
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void siege_check_ends(struct js_world *w, const struct js_day *d,
                             const struct js_siege_params *p)
{
    struct js_sieges *S = &w->sieges;
    for (int32_t s = 0; s < S->n; s++) {
        if (!S->active[s])
            continue;
        struct siege_view v;
        siege_view_fill(w, p, s, &v);
        if (w->places.owner[v.q] != v.def_f)
            siege_end(w, d, &v, JS_SIEGE_CEDED);
        else if (v.natt == 0)
            siege_end(w, d, &v,
                      siege_won_battle_today(w, d, v.q, v.def_f) ? JS_SIEGE_RELIEVED
                                                                 : JS_SIEGE_LIFTED);
    }
}

/**
 * @brief Starts a siege wherever an army stands before hostile walls with no siege under way
 * (armies in id order: the first one's faction besieges).
 * @param w the world
 * @param d today
 * @param p parameters
 */
static void siege_check_starts(struct js_world *w, const struct js_day *d,
                               const struct js_siege_params *p)
{
    struct js_sieges *S = &w->sieges;
    const struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++) {
        if (!a->active[i] || a->state[i] != JS_ARMY_BESIEGING || a->place[i] < 0)
            continue;
        int32_t q = a->place[i], s = S->slot[q], owner = w->places.owner[q];
        if (s < 0 || S->active[s] || owner < 0 || owner == a->owner[i] ||
            js_army_strength(a, i) == 0)
            continue;
        siege_start(w, d, p, s, a->owner[i]);
    }
}

/**
 * @brief places.threat is 1 at besieged places, and at sacked places and their neighbours while
 * the sack's danger lasts; inside[] is the civilians shut in.
 * @param w the world
 * @param d today
 */
static void siege_threat(struct js_world *w, const struct js_day *d)
{
    struct js_sieges *S = &w->sieges;
    const struct js_graph *g = &w->graph;
    for (int32_t s = 0; s < S->n; s++) {
        int32_t q = S->place[s];
        S->inside[q] = S->active[s] ? S->civilians[s] : 0;
        if (S->active[s])
            w->places.threat[q] = 1.0;
        if (S->sack_until[q] < d->day)
            continue;
        w->places.threat[q] = 1.0;
        for (int32_t k = g->out_start[q]; k < g->out_start[q + 1]; k++)
            w->places.threat[g->arcs[g->out_arcs[k]].to] = 1.0;
    }
}

void js_siege_step(struct js_world *w, const struct js_day *d, const struct js_siege_params *p)
{
    struct js_sieges *S = &w->sieges;
    if (S->n == 0)
        return;
    siege_index(w);
    siege_check_ends(w, d, p);
    siege_check_starts(w, d, p);
    for (int32_t s = 0; s < S->n; s++) {
        if (!S->active[s])
            continue;
        struct siege_view v;
        siege_view_fill(w, p, s, &v);
        siege_day_works(w, d, p, &v);
        if (v.att_fit == 0) { /* the sorties left no besieger standing */
            siege_end(w, d, &v, JS_SIEGE_LIFTED);
            continue;
        }
        if (siege_day_decisions(w, d, p, &v))
            continue;
        siege_day_people(w, d, p, &v);
        siege_record_counts(w, &v);
    }
    siege_threat(w, d);
    siege_captives_march(w, d, p);
}

/* ---------------------------------------------------------------- names, parameters */

const char *js_siege_engine_name(int e)
{
    static const char *names[JS_NENGINES] = {"single_pole", "seven_pole", "counterweight"};
    return (unsigned)e < JS_NENGINES ? names[e] : "?";
}

const char *js_siege_tech_name(int t)
{
    static const char *names[JS_NTECHS] = {"fire_lance", "incendiary", "counterweight"};
    return (unsigned)t < JS_NTECHS ? names[t] : "?";
}

void js_siege_court_policy(struct js_world *w, const struct js_script_event *e,
                           struct js_event_row *row)
{
    row->kind = JS_EV_NOTE;
    row->faction_a = e->faction;
    row->place = w->factions.capital[e->faction];
    row->value[0] = e->value[0];
    row->value[1] = w->sieges.court_accept[e->faction];
    w->sieges.court_accept[e->faction] = e->value[0];
}

void js_siege_params_free(struct js_siege_params *p)
{
    free(p->terms_preference);
    free(p->accept);
    free(p->tech_day);
    p->terms_preference = NULL;
    p->accept = NULL;
    p->tech_day = NULL;
    p->n_factions = 0;
}
