/**
 * @file output_army.c
 * @brief The /armies group: one column per army slot (declared armies, then those raised by
 * events), with its coordinates (army, army_id, army_name, owner, base) and its state every row.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/util.h"
#include "output_internal.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

static void fill_strength(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = js_army_strength(&w->armies, i);
}

/** @brief Defines the fill function of strength_<arm> (fit men of one arm). */
#define FILL_ARM(name, arm)                                                                        \
    static void fill_strength_##name(const struct js_world *w, void *buf)                          \
    {                                                                                              \
        int64_t *o = buf;                                                                          \
        for (int32_t i = 0; i < w->armies.n; i++)                                                  \
            o[i] = w->armies.fit[ARM(i, arm)];                                                     \
    }
FILL_ARM(heavy_cavalry, JS_ARM_HEAVY_CAVALRY)
FILL_ARM(horse_archers, JS_ARM_HORSE_ARCHERS)
FILL_ARM(crossbowmen, JS_ARM_CROSSBOWMEN)
FILL_ARM(spearmen, JS_ARM_SPEARMEN)
FILL_ARM(levies, JS_ARM_LEVIES)
FILL_ARM(engineers, JS_ARM_ENGINEERS)
FILL_ARM(porters, JS_ARM_PORTERS)
#undef FILL_ARM

static void fill_wounded(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++) {
        o[i] = 0;
        for (int k = 0; k < JS_NARMS; k++)
            o[i] += w->armies.wounded[ARM(i, k)];
    }
}

static void fill_persons(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = js_army_persons(&w->armies, i);
}

static void fill_horses(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.horses, (size_t)w->armies.n * sizeof(int64_t));
}

static void fill_food(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.food, (size_t)w->armies.n * sizeof(int64_t));
}

static void fill_fodder(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.fodder, (size_t)w->armies.n * sizeof(int64_t));
}

static void fill_food_days(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.food_days, (size_t)w->armies.n * sizeof(double));
}

static void fill_morale(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.morale, (size_t)w->armies.n * sizeof(double));
}

static void fill_fatigue(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.fatigue, (size_t)w->armies.n * sizeof(double));
}

static void fill_state(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = (int8_t)w->armies.state[i];
}

static void fill_active(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = (int8_t)w->armies.active[i];
}

static void fill_location(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.place, (size_t)w->armies.n * sizeof(int32_t));
}

static void fill_route(const struct js_world *w, void *buf)
{
    int32_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = w->armies.arc[i] >= 0 ? w->armies.arc[i] >> 1 : -1;
}

static void fill_km_on_route(const struct js_world *w, void *buf)
{
    double *o = buf;
    const struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++) {
        int32_t arc = a->arc[i];
        o[i] = arc < 0 ? 0.0 : (arc & 1) ? w->routes.km[arc >> 1] - a->km[i] : a->km[i];
    }
}

static void fill_heading(const struct js_world *w, void *buf)
{
    int32_t *o = buf;
    const struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++)
        o[i] = a->arc[i] >= 0 ? w->graph.arcs[a->arc[i]].to : a->place[i];
}

static void fill_order(const struct js_world *w, void *buf)
{
    int8_t *o = buf;
    for (int32_t i = 0; i < w->armies.n; i++)
        o[i] = (int8_t)w->armies.order[i];
}

static void fill_order_place(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.order_place, (size_t)w->armies.n * sizeof(int32_t));
}

static void fill_days_field(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.days_field, (size_t)w->armies.n * sizeof(int32_t));
}

static void fill_unpaid_days(const struct js_world *w, void *buf)
{
    memcpy(buf, w->armies.unpaid_days, (size_t)w->armies.n * sizeof(int32_t));
}

static const struct js_outvar army_vars[] = {
    {"strength", "persons", "fit men of the fighting arms (porters and wounded excluded)",
     JS_OV_I64, 0, fill_strength},
    {"strength_heavy_cavalry", "persons", "fit heavy cavalry", JS_OV_I64, 0,
     fill_strength_heavy_cavalry},
    {"strength_horse_archers", "persons", "fit horse archers", JS_OV_I64, 0,
     fill_strength_horse_archers},
    {"strength_crossbowmen", "persons", "fit crossbowmen", JS_OV_I64, 0, fill_strength_crossbowmen},
    {"strength_spearmen", "persons", "fit spearmen", JS_OV_I64, 0, fill_strength_spearmen},
    {"strength_levies", "persons", "fit levies", JS_OV_I64, 0, fill_strength_levies},
    {"strength_engineers", "persons", "fit engineers", JS_OV_I64, 0, fill_strength_engineers},
    {"strength_porters", "persons", "porters", JS_OV_I64, 0, fill_strength_porters},
    {"wounded", "persons", "wounded men of every arm", JS_OV_I64, 0, fill_wounded},
    {"persons", "persons", "everyone in the army (fit, wounded, porters)", JS_OV_I64, 0,
     fill_persons},
    {"horses", "head", "horses", JS_OV_I64, 0, fill_horses},
    {"food", "sheng", "food carried (husked grain)", JS_OV_I64, 0, fill_food},
    {"fodder", "sheng", "horse grain carried", JS_OV_I64, 0, fill_fodder},
    {"food_days", "day", "days the food carried lasts at full rations", JS_OV_F64, 0,
     fill_food_days},
    {"morale", "1", "morale (0..1)", JS_OV_F64, 0, fill_morale},
    {"fatigue", "1", "fatigue (speed x (1 - fatigue))", JS_OV_F64, 0, fill_fatigue},
    {"state", "1",
     "state: 0 holding, 1 marching, 2 crossing, 3 besieging, 4 retreating, 5 routed, 6 gone",
     JS_OV_I8, 0, fill_state},
    {"active", "1", "1 while the army exists", JS_OV_I8, 0, fill_active},
    {"location", "1", "place where the army is (index into /armies/place_id); -1 on a route",
     JS_OV_I32, 0, fill_location},
    {"route", "1", "route the army is on (index into /routes/route); -1 at a place", JS_OV_I32, 0,
     fill_route},
    {"km_on_route", "km", "position on the route, km from its `from` end (0 at a place)", JS_OV_F64,
     0, fill_km_on_route},
    {"heading", "1", "place the army is heading for on its route, or where it is", JS_OV_I32, 0,
     fill_heading},
    {"order", "1", "order: 0 none, 1 march_to, 2 besiege, 3 hold, 4 raid, 5 escort, 6 retreat_to",
     JS_OV_I8, 0, fill_order},
    {"order_place", "1", "place of the order (index into /armies/place_id); -1 for none", JS_OV_I32,
     0, fill_order_place},
    {"days_in_field", "day", "days since the army left its base", JS_OV_I32, 0, fill_days_field},
    {"unpaid_days", "day", "days of unpaid service", JS_OV_I32, 0, fill_unpaid_days},
};

static const struct js_outvar_table army_table = {army_vars, (int)JS_COUNTOF(army_vars)};
static const struct js_outvar_table *const army_tables[] = {&army_table, NULL};

/** @brief Army slots (the group's dimension). */
static int32_t count_armies(const struct js_world *w)
{
    return w->armies.n;
}

/**
 * @brief Writes the static coordinates of /armies, and the place and faction names so that the
 * group reads on its own.
 */
static int army_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_armies *a = &w->armies;
    hsize_t n = (hsize_t)a->n;
    const char **ids = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    const char **names = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    for (hsize_t i = 0; i < n; i++) {
        ids[i] = a->id[i] ? a->id[i] : "";
        names[i] = a->name[i] ? a->name[i] : ids[i];
    }
    int rc = 0;
    rc |= js_out_static_str(og->g, og->dim, "army_id", ids, n, "army id in the scenario");
    rc |= js_out_static_str(og->g, og->dim, "army_name", names, n, "army name");
    rc |= js_out_static(og->g, og->dim, "owner", H5T_NATIVE_INT32, n, a->owner, "1",
                        "faction of the army (index into /armies/faction_id)");
    rc |= js_out_static(og->g, og->dim, "base", H5T_NATIVE_INT32, n, a->base, "1",
                        "home place of the army (index into /armies/place_id)");
    rc |= js_out_place_faction_coords(og->g, w);
    free(ids);
    free(names);
    return rc ? -1 : 0;
}

const struct js_outgroup_def js_out_armies = {"armies", "army", count_armies, army_coords,
                                              army_tables};
