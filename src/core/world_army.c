/**
 * @file world_army.c
 * @brief Allocation, census and checkpoint visit of the armies table.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

void js_armies_alloc(struct js_armies *a, int32_t n, int32_t n_declared, int32_t n_places,
                     int32_t n_routes)
{
    JS_ASSERT(n >= n_declared && n_declared >= 0 && n_places >= 0 && n_routes >= 0);
    size_t k = (size_t)(n ? n : 1), np = (size_t)(n_places ? n_places : 1);
    size_t nr = (size_t)(n_routes ? n_routes : 1);
    a->n = n;
    a->n_declared = n_declared;
    a->n_places = n_places;
    a->n_routes = n_routes;
    a->id = js_xcalloc(k, sizeof(char *));
    a->name = js_xcalloc(k, sizeof(char *));
    a->active = js_xcalloc(k, 1);
    a->owner = js_xcalloc(k, sizeof(int32_t));
    a->base = js_xcalloc(k, sizeof(int32_t));
    a->skill = js_xcalloc(k, sizeof(double));
    a->aggression = js_xcalloc(k, sizeof(double));
    a->loyalty = js_xcalloc(k, sizeof(double));
    a->fit = js_xcalloc(k * JS_NARMS, sizeof(int64_t));
    a->wounded = js_xcalloc(k * JS_NARMS, sizeof(int64_t));
    a->horses = js_xcalloc(k, sizeof(int64_t));
    a->food = js_xcalloc(k, sizeof(int64_t));
    a->fodder = js_xcalloc(k, sizeof(int64_t));
    a->morale = js_xcalloc(k, sizeof(double));
    a->fatigue = js_xcalloc(k, sizeof(double));
    a->hunger = js_xcalloc(k, sizeof(double));
    a->days_field = js_xcalloc(k, sizeof(int32_t));
    a->unpaid_days = js_xcalloc(k, sizeof(int32_t));
    a->place = js_xcalloc(k, sizeof(int32_t));
    a->arc = js_xcalloc(k, sizeof(int32_t));
    a->km = js_xcalloc(k, sizeof(double));
    a->state = js_xcalloc(k, 1);
    a->state_days = js_xcalloc(k, sizeof(int32_t));
    a->order = js_xcalloc(k, 1);
    a->order_place = js_xcalloc(k, sizeof(int32_t));
    a->order_army = js_xcalloc(k, sizeof(int32_t));
    a->order_forced = js_xcalloc(k, 1);
    a->crossed = js_xcalloc(k, sizeof(int64_t));
    a->strength0 = js_xcalloc(k, sizeof(int64_t));
    a->goal = js_xcalloc(k, sizeof(int32_t));
    a->goal_forced = js_xcalloc(k, 1);
    a->goal_kind = js_xcalloc(k, 1);
    a->food_days = js_xcalloc(k, sizeof(double));
    a->assault = js_xcalloc(k, 1);
    a->scratch = js_xcalloc(k, sizeof(int32_t));
    a->contact_place = js_xcalloc(k, sizeof(int32_t));
    a->contact_route = js_xcalloc(k, sizeof(int32_t));
    a->entry_pos = js_xcalloc(k, sizeof(double));
    a->lat = js_xcalloc(k, sizeof(double));
    a->lon = js_xcalloc(k, sizeof(double));
    a->coslat = js_xcalloc(k, sizeof(double));
    a->speed = js_xcalloc(k, sizeof(double));
    a->mover = js_xcalloc(k, 1);
    a->moved = js_xcalloc(k, 1);
    a->fought = js_xcalloc(k, 1);
    a->fed = js_xcalloc(k, sizeof(double));
    a->horses_fed = js_xcalloc(k, sizeof(double));
    a->deserted = js_xcalloc(k, sizeof(int64_t));
    a->next = js_xcalloc(k, sizeof(int32_t));
    for (size_t i = 0; i < k; i++) {
        a->owner[i] = a->base[i] = a->place[i] = a->arc[i] = -1;
        a->order_place[i] = a->order_army[i] = a->goal[i] = -1;
        a->contact_place[i] = a->contact_route[i] = -1;
        a->state[i] = JS_ARMY_GONE;
        a->morale[i] = 1.0;
        a->loyalty[i] = 1.0;
        a->fed[i] = a->horses_fed[i] = 1.0;
    }
    a->presence = js_xcalloc(np, sizeof(int32_t));
    a->head_place = js_xcalloc(np, sizeof(int32_t));
    a->head_route = js_xcalloc(nr, sizeof(int32_t));
    a->crossing_used = js_xcalloc(nr, sizeof(int64_t));
    js_reach_init(&a->reach, n_places, 2 * n_routes, 2 * n);
    a->reach_src = js_xcalloc(2 * k, sizeof(int32_t));
    a->reach_src_days = js_xcalloc(2 * k, sizeof(double));
    a->place_terrain = js_xcalloc(np, 1);
}

void js_armies_free(struct js_armies *a)
{
    if (a->id)
        for (int32_t i = 0; i < a->n; i++)
            free(a->id[i]);
    if (a->name)
        for (int32_t i = 0; i < a->n; i++)
            free(a->name[i]);
    void *arrays[] = {a->id,
                      a->name,
                      a->active,
                      a->owner,
                      a->base,
                      a->skill,
                      a->aggression,
                      a->loyalty,
                      a->fit,
                      a->wounded,
                      a->horses,
                      a->food,
                      a->fodder,
                      a->morale,
                      a->fatigue,
                      a->hunger,
                      a->days_field,
                      a->unpaid_days,
                      a->place,
                      a->arc,
                      a->km,
                      a->state,
                      a->state_days,
                      a->order,
                      a->order_place,
                      a->order_army,
                      a->order_forced,
                      a->crossed,
                      a->strength0,
                      a->goal,
                      a->goal_forced,
                      a->contact_place,
                      a->contact_route,
                      a->entry_pos,
                      a->lat,
                      a->lon,
                      a->moved,
                      a->fought,
                      a->fed,
                      a->horses_fed,
                      a->deserted,
                      a->next,
                      a->presence,
                      a->head_place,
                      a->head_route,
                      a->crossing_used,
                      a->reach_src,
                      a->reach_src_days,
                      a->place_terrain,
                      a->goal_kind,
                      a->food_days,
                      a->assault,
                      a->scratch,
                      a->coslat,
                      a->speed,
                      a->mover};
    js_reach_free(&a->reach);
    for (size_t i = 0; i < JS_COUNTOF(arrays); i++)
        free(arrays[i]);
    memset(a, 0, sizeof(*a));
}

void js_armies_init_terrain(struct js_armies *a, const struct js_routes *routes)
{
    size_t np = (size_t)a->n_places;
    int32_t *count = js_xcalloc(np ? np * JS_NTERRAINS : 1, sizeof(int32_t));
    for (int32_t r = 0; r < routes->n; r++) {
        count[(size_t)routes->from[r] * JS_NTERRAINS + routes->terrain[r]]++;
        count[(size_t)routes->to[r] * JS_NTERRAINS + routes->terrain[r]]++;
    }
    for (size_t p = 0; p < np; p++) {
        const int32_t *c = &count[p * JS_NTERRAINS];
        int best = JS_TERRAIN_PLAIN;
        for (int t = 1; t < JS_NTERRAINS; t++)
            if (c[t] > c[best])
                best = t;
        a->place_terrain[p] = (uint8_t)best;
    }
    free(count);
}

void js_armies_census(const struct js_armies *a, struct js_census *out)
{
    int64_t persons = 0, grain = 0, horses = 0;
    for (int32_t i = 0; i < a->n; i++) {
        for (int k = 0; k < JS_NARMS; k++)
            persons += a->fit[(size_t)i * JS_NARMS + (size_t)k] +
                       a->wounded[(size_t)i * JS_NARMS + (size_t)k];
        grain += a->food[i] + a->fodder[i];
        horses += a->horses[i];
    }
    out->s[JS_Q_PERSONS][JS_H_ARMIES] += persons;
    out->s[JS_Q_GRAIN][JS_H_ARMIES] += grain;
    out->s[JS_Q_HORSES][JS_H_ARMIES] += horses;
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
static void armies_visit(void (*v)(void *, const struct js_state_array *), void *ctx,
                         const char *name, void **data, size_t elem, int64_t count)
{
    struct js_state_array s = {name, data, elem, count, NULL, NULL, NULL, NULL};
    v(ctx, &s);
}

void js_armies_visit_state(struct js_armies *a,
                           void (*v)(void *ctx, const struct js_state_array *arr), void *ctx)
{
    int64_t n = a->n, na = (int64_t)a->n * JS_NARMS;
#define VISIT(field, count)                                                                        \
    armies_visit(v, ctx, "armies." #field, (void **)&a->field, sizeof(*a->field), count)
    VISIT(active, n);
    VISIT(owner, n);
    VISIT(base, n);
    VISIT(fit, na);
    VISIT(wounded, na);
    VISIT(horses, n);
    VISIT(food, n);
    VISIT(fodder, n);
    VISIT(morale, n);
    VISIT(fatigue, n);
    VISIT(hunger, n);
    VISIT(days_field, n);
    VISIT(unpaid_days, n);
    VISIT(place, n);
    VISIT(arc, n);
    VISIT(km, n);
    VISIT(state, n);
    VISIT(state_days, n);
    VISIT(order, n);
    VISIT(order_place, n);
    VISIT(order_army, n);
    VISIT(order_forced, n);
    VISIT(crossed, n);
    VISIT(food_days, n);
    VISIT(strength0, n);
#undef VISIT
}

int64_t js_army_persons(const struct js_armies *a, int32_t i)
{
    int64_t s = 0;
    for (int k = 0; k < JS_NARMS; k++)
        s +=
            a->fit[(size_t)i * JS_NARMS + (size_t)k] + a->wounded[(size_t)i * JS_NARMS + (size_t)k];
    return s;
}

int64_t js_army_strength(const struct js_armies *a, int32_t i)
{
    int64_t s = 0;
    for (int k = 0; k < JS_NFIGHT; k++)
        s += a->fit[(size_t)i * JS_NARMS + (size_t)k];
    return s;
}

int64_t js_army_mounted(const struct js_armies *a, int32_t i)
{
    int64_t s = 0;
    for (int k = 0; k < JS_NARMS; k++)
        if (js_arm_mounted(k))
            s += a->fit[(size_t)i * JS_NARMS + (size_t)k] +
                 a->wounded[(size_t)i * JS_NARMS + (size_t)k];
    return s;
}

const char *js_arm_name(int arm)
{
    static const char *names[JS_NARMS] = {"heavy_cavalry", "horse_archers", "crossbowmen",
                                          "spearmen",      "levies",        "engineers",
                                          "porters"};
    return (unsigned)arm < JS_NARMS ? names[arm] : "?";
}

const char *js_army_state_name(int s)
{
    static const char *names[JS_NARMY_STATES] = {"holding",    "marching", "crossing", "besieging",
                                                 "retreating", "routed",   "gone"};
    return (unsigned)s < JS_NARMY_STATES ? names[s] : "?";
}

const char *js_order_name(int o)
{
    static const char *names[JS_NORDERS] = {"none", "march_to", "besiege",   "hold",
                                            "raid", "escort",   "retreat_to"};
    return (unsigned)o < JS_NORDERS ? names[o] : "?";
}
