/**
 * @file world_siege.c
 * @brief Allocation, census and checkpoint visit of the sieges table.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

void js_world_siege_alloc(struct js_world *w)
{
    struct js_sieges *s = &w->sieges;
    int32_t n = 0;
    for (int32_t q = 0; q < w->places.n; q++)
        n += w->places.walls[q] > 0.0;
    size_t k = (size_t)(n ? n : 1), np = (size_t)(w->places.n ? w->places.n : 1);
    size_t na = (size_t)(w->armies.n ? w->armies.n : 1);
    s->n = n;
    s->n_places = w->places.n;
    s->n_armies = w->armies.n;
    s->n_factions = w->factions.n;
    s->court_accept = js_xcalloc((size_t)(w->factions.n ? w->factions.n : 1), sizeof(double));
    s->place = js_xcalloc(k, sizeof(int32_t));
    s->slot = js_xcalloc(np, sizeof(int32_t));
    s->layers = js_xcalloc(k, sizeof(int32_t));
    s->moat = js_xcalloc(k, 1);
    s->circuit_km = js_xcalloc(k, sizeof(double));
    s->river_gates = js_xcalloc(k, sizeof(double));
    s->loyalty = js_xcalloc(k, sizeof(double));
    s->inside = js_xcalloc(np, sizeof(int64_t));
    s->sack_until = js_xcalloc(np, sizeof(int32_t));
    s->active = js_xcalloc(k, 1);
    s->episode = js_xcalloc(k, sizeof(int32_t));
    s->besieger = js_xcalloc(k, sizeof(int32_t));
    s->defender = js_xcalloc(k, sizeof(int32_t));
    s->start_day = js_xcalloc(k, sizeof(int32_t));
    s->end_day = js_xcalloc(k, sizeof(int32_t));
    s->outcome = js_xcalloc(k, 1);
    s->food_private = js_xcalloc(k, sizeof(int64_t));
    s->food_state = js_xcalloc(k, sizeof(int64_t));
    s->wealth = js_xcalloc(k * JS_NSIEGE_WEALTH, sizeof(int64_t));
    s->reserve = js_xcalloc(k, sizeof(double));
    s->ration = js_xcalloc(k, sizeof(double));
    s->fed = js_xcalloc(k, sizeof(double));
    s->wall = js_xcalloc(k, sizeof(double));
    s->progress = js_xcalloc(k, sizeof(double));
    s->breach = js_xcalloc(k, 1);
    s->blockade = js_xcalloc(k, sizeof(double));
    s->inflow = js_xcalloc(k, sizeof(double));
    s->resolve = js_xcalloc(k, sizeof(double));
    s->infected = js_xcalloc(k * JS_NSIEGE_GROUPS, sizeof(int64_t));
    s->immune = js_xcalloc(k * JS_NSIEGE_GROUPS, sizeof(int64_t));
    s->besiegers0 = js_xcalloc(k, sizeof(int64_t));
    s->last_assault = js_xcalloc(k, sizeof(int32_t));
    s->assaults = js_xcalloc(k, sizeof(int32_t));
    s->terms_day = js_xcalloc(k, sizeof(int32_t));
    s->deaths = js_xcalloc(k, sizeof(int64_t));
    s->garrison = js_xcalloc(k, sizeof(int64_t));
    s->civilians = js_xcalloc(k, sizeof(int64_t));
    s->attackers = js_xcalloc(k, sizeof(int64_t));
    s->convoy_active = js_xcalloc(k, 1);
    s->convoy_dest = js_xcalloc(k, sizeof(int32_t));
    s->convoy_arrive = js_xcalloc(k, sizeof(int32_t));
    s->convoy_persons = js_xcalloc(k, sizeof(int64_t));
    s->convoy_died = js_xcalloc(k, sizeof(int64_t));
    s->head = js_xcalloc(np, sizeof(int32_t));
    s->next = js_xcalloc(na, sizeof(int32_t));
    s->group = js_xcalloc(na, sizeof(int32_t));
    for (size_t q = 0; q < np; q++) {
        s->slot[q] = -1;
        s->sack_until[q] = -1;
    }
    int32_t i = 0;
    for (int32_t q = 0; q < w->places.n; q++) {
        if (w->places.walls[q] <= 0.0)
            continue;
        s->place[i] = q;
        s->slot[q] = i;
        i++;
    }
    for (size_t j = 0; j < k; j++) {
        s->besieger[j] = s->defender[j] = s->start_day[j] = s->end_day[j] = -1;
        s->last_assault[j] = s->terms_day[j] = s->convoy_dest[j] = -1;
        s->wall[j] = 1.0;
        s->resolve[j] = 1.0;
        s->ration[j] = 1.0;
        s->fed[j] = 1.0;
        s->layers[j] = 1;
        s->loyalty[j] = 1.0;
    }
}

void js_world_siege_free(struct js_world *w)
{
    struct js_sieges *s = &w->sieges;
    free(s->court_accept);
    void *arrays[] = {s->place,       s->slot,          s->layers,
                      s->moat,        s->circuit_km,    s->river_gates,
                      s->loyalty,     s->inside,        s->sack_until,
                      s->active,      s->episode,       s->besieger,
                      s->defender,    s->start_day,     s->end_day,
                      s->outcome,     s->food_private,  s->food_state,
                      s->wealth,      s->reserve,       s->ration,
                      s->fed,         s->wall,          s->progress,
                      s->breach,      s->blockade,      s->inflow,
                      s->resolve,     s->infected,      s->immune,
                      s->besiegers0,  s->last_assault,  s->assaults,
                      s->terms_day,   s->deaths,        s->garrison,
                      s->civilians,   s->attackers,     s->convoy_active,
                      s->convoy_dest, s->convoy_arrive, s->convoy_persons,
                      s->convoy_died, s->head,          s->next,
                      s->group};
    for (size_t k = 0; k < JS_COUNTOF(arrays); k++)
        free(arrays[k]);
    memset(s, 0, sizeof(*s));
}

void js_world_siege_census(const struct js_world *w, struct js_census *out)
{
    const struct js_sieges *s = &w->sieges;
    static const enum js_qty qty[JS_NSIEGE_WEALTH] = {JS_Q_SILVER, JS_Q_GOLD, JS_Q_SILK};
    for (int32_t i = 0; i < s->n; i++) {
        out->s[JS_Q_GRAIN][JS_H_SIEGES] += s->food_private[i] + s->food_state[i];
        for (int c = 0; c < JS_NSIEGE_WEALTH; c++)
            out->s[qty[c]][JS_H_PLACES] += s->wealth[(size_t)i * JS_NSIEGE_WEALTH + (size_t)c];
        out->s[JS_Q_PERSONS][JS_H_CONVOYS] += s->convoy_persons[i];
    }
}

/**
 * @brief Visits one fixed-size array.
 * @param v visitor
 * @param ctx its context
 * @param name label
 * @param data address of the array pointer
 * @param elem bytes per element
 * @param count elements
 */
static void siege_visit(void (*v)(void *, const struct js_state_array *), void *ctx,
                        const char *name, void **data, size_t elem, int64_t count)
{
    struct js_state_array a = {name, data, elem, count, NULL, NULL, NULL, NULL};
    v(ctx, &a);
}

void js_world_siege_visit_state(struct js_world *w,
                                void (*v)(void *ctx, const struct js_state_array *a), void *ctx)
{
    struct js_sieges *s = &w->sieges;
    int64_t n = s->n, np = s->n_places, ng = n * JS_NSIEGE_GROUPS, nw = n * JS_NSIEGE_WEALTH;
#define VISIT(field, count)                                                                        \
    siege_visit(v, ctx, "sieges." #field, (void **)&s->field, sizeof(*s->field), count)
    VISIT(court_accept, (int64_t)s->n_factions);
    VISIT(inside, np);
    VISIT(sack_until, np);
    VISIT(active, n);
    VISIT(episode, n);
    VISIT(besieger, n);
    VISIT(defender, n);
    VISIT(start_day, n);
    VISIT(end_day, n);
    VISIT(outcome, n);
    VISIT(food_private, n);
    VISIT(food_state, n);
    VISIT(wealth, nw);
    VISIT(reserve, n);
    VISIT(ration, n);
    VISIT(fed, n);
    VISIT(wall, n);
    VISIT(progress, n);
    VISIT(breach, n);
    VISIT(blockade, n);
    VISIT(inflow, n);
    VISIT(resolve, n);
    VISIT(infected, ng);
    VISIT(immune, ng);
    VISIT(besiegers0, n);
    VISIT(last_assault, n);
    VISIT(assaults, n);
    VISIT(terms_day, n);
    VISIT(deaths, n);
    VISIT(garrison, n);
    VISIT(civilians, n);
    VISIT(attackers, n);
    VISIT(convoy_active, n);
    VISIT(convoy_dest, n);
    VISIT(convoy_arrive, n);
    VISIT(convoy_persons, n);
    VISIT(convoy_died, n);
#undef VISIT
}

bool js_world_place_besieged(const struct js_world *w, int32_t place)
{
    const struct js_sieges *s = &w->sieges;
    int32_t k = s->slot ? s->slot[place] : -1;
    return k >= 0 && s->active[k];
}

bool js_world_army_shut_in(const struct js_world *w, int32_t army)
{
    const struct js_armies *a = &w->armies;
    int32_t q = a->place[army];
    return a->active[army] && q >= 0 && w->places.owner[q] == a->owner[army] &&
           js_world_place_besieged(w, q);
}

const char *js_siege_outcome_name(int outcome)
{
    static const char *names[JS_NSIEGE_OUTCOMES] = {
        "ongoing", "stormed", "surrendered", "ransomed", "relieved", "lifted", "ceded"};
    return (unsigned)outcome < JS_NSIEGE_OUTCOMES ? names[outcome] : "?";
}

double js_world_siege_inside_share(const struct js_world *w, int32_t place)
{
    if (!w->sieges.inside || w->sieges.inside[place] <= 0)
        return 0.0;
    int64_t people = js_world_place_population(w, place);
    if (people <= 0)
        return 0.0;
    double s = (double)w->sieges.inside[place] / (double)people;
    return s > 1.0 ? 1.0 : s;
}
