/**
 * @file output_siege.c
 * @brief The /sieges group: one column per siege slot (one per walled place), with its
 * coordinates (siege, siege_place, place_id, place_name, and the place and faction names) and
 * the state of the place's siege every row (while none is under way: active 0, counts 0).
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/util.h"
#include "output_internal.h"

/** @brief Defines a fill function copying a per-slot array. */
#define FILL_COPY(fname, field)                                                                    \
    static void fname(const struct js_world *w, void *buf)                                         \
    {                                                                                              \
        memcpy(buf, w->sieges.field, (size_t)w->sieges.n * sizeof(*w->sieges.field));              \
    }
FILL_COPY(fill_besieger, besieger)
FILL_COPY(fill_defender, defender)
FILL_COPY(fill_episode, episode)
FILL_COPY(fill_garrison, garrison)
FILL_COPY(fill_besiegers, attackers)
FILL_COPY(fill_civilians, civilians)
FILL_COPY(fill_reserve, reserve)
FILL_COPY(fill_ration, ration)
FILL_COPY(fill_fed, fed)
FILL_COPY(fill_wall, wall)
FILL_COPY(fill_progress, progress)
FILL_COPY(fill_blockade, blockade)
FILL_COPY(fill_inflow, inflow)
FILL_COPY(fill_resolve, resolve)
FILL_COPY(fill_assaults, assaults)
FILL_COPY(fill_deaths, deaths)
FILL_COPY(fill_food_state, food_state)
FILL_COPY(fill_captives, convoy_persons)
FILL_COPY(fill_captives_died, convoy_died)
#undef FILL_COPY

/** @brief Defines a fill function widening a per-slot byte array to int8. */
#define FILL_BYTE(fname, field)                                                                    \
    static void fname(const struct js_world *w, void *buf)                                         \
    {                                                                                              \
        int8_t *o = buf;                                                                           \
        for (int32_t s = 0; s < w->sieges.n; s++)                                                  \
            o[s] = (int8_t)w->sieges.field[s];                                                     \
    }
FILL_BYTE(fill_active, active)
FILL_BYTE(fill_breach, breach)
FILL_BYTE(fill_outcome, outcome)
#undef FILL_BYTE

/** @brief Defines a fill function of one group's epidemic counts. */
#define FILL_EPI(fname, field, group)                                                              \
    static void fname(const struct js_world *w, void *buf)                                         \
    {                                                                                              \
        int64_t *o = buf;                                                                          \
        for (int32_t s = 0; s < w->sieges.n; s++)                                                  \
            o[s] = w->sieges.field[(size_t)s * JS_NSIEGE_GROUPS + (group)];                        \
    }
FILL_EPI(fill_sick_defenders, infected, JS_SG_DEFENDERS)
FILL_EPI(fill_sick_civilians, infected, JS_SG_CIVILIANS)
FILL_EPI(fill_sick_besiegers, infected, JS_SG_BESIEGERS)
#undef FILL_EPI

/** @brief Defines a fill function of one currency of the cities' wealth. */
#define FILL_WEALTH(fname, c)                                                                      \
    static void fname(const struct js_world *w, void *buf)                                         \
    {                                                                                              \
        int64_t *o = buf;                                                                          \
        for (int32_t s = 0; s < w->sieges.n; s++)                                                  \
            o[s] = w->sieges.wealth[(size_t)s * JS_NSIEGE_WEALTH + (c)];                           \
    }
FILL_WEALTH(fill_silver, JS_SW_SILVER)
FILL_WEALTH(fill_gold, JS_SW_GOLD)
FILL_WEALTH(fill_silk, JS_SW_SILK)
#undef FILL_WEALTH

static void fill_food(const struct js_world *w, void *buf)
{
    int64_t *o = buf;
    for (int32_t s = 0; s < w->sieges.n; s++)
        o[s] = w->sieges.food_private[s] + w->sieges.food_state[s];
}

static void fill_days(const struct js_world *w, void *buf)
{
    int32_t *o = buf;
    const struct js_sieges *S = &w->sieges;
    for (int32_t s = 0; s < S->n; s++)
        o[s] = S->active[s] ? w->clock.day - S->start_day[s] : 0;
}

static const struct js_outvar siege_vars[] = {
    {"active", "1", "1 while the place is besieged", JS_OV_I8, 0, fill_active},
    {"besieger", "1", "besieging faction (index into /sieges/faction_id; -1 before any siege)",
     JS_OV_I32, 0, fill_besieger},
    {"defender", "1", "faction holding the place when the siege began (-1 before any siege)",
     JS_OV_I32, 0, fill_defender},
    {"episode", "1", "sieges of the place so far (the current or last one)", JS_OV_I32, 0,
     fill_episode},
    {"days", "day", "days since the siege began (0 while none)", JS_OV_I32, 0, fill_days},
    {"garrison", "persons", "garrison's fit fighting men (0 while no siege)", JS_OV_I64, 0,
     fill_garrison},
    {"besiegers", "persons", "besiegers' fit fighting men (0 while no siege)", JS_OV_I64, 0,
     fill_besiegers},
    {"civilians", "persons", "civilians inside the walls, refugees included (0 while no siege)",
     JS_OV_I64, 0, fill_civilians},
    {"food", "sheng", "grain inside the walls (private and state)", JS_OV_I64, 0, fill_food},
    {"food_state", "sheng", "state grain inside the walls", JS_OV_I64, 0, fill_food_state},
    {"reserve", "day", "civilians' nutrition reserve, full-ration days per head", JS_OV_F64, 0,
     fill_reserve},
    {"ration", "1", "ration policy: share of a full ration issued", JS_OV_F64, 0, fill_ration},
    {"fed", "1", "share of a full ration the civilians ate", JS_OV_F64, 0, fill_fed},
    {"wall", "1", "parapets' integrity (1 intact, 0 wrecked)", JS_OV_F64, 0, fill_wall},
    {"progress", "1", "engineering progress of saps and ramps (breach at 1)", JS_OV_F64, 0,
     fill_progress},
    {"breach", "1", "1 once the walls are breached", JS_OV_I8, 0, fill_breach},
    {"blockade", "1", "blockade completeness (0 open, 1 closed)", JS_OV_F64, 0, fill_blockade},
    {"inflow", "sheng/day", "grain the open gates could bring in a day", JS_OV_F64, 0, fill_inflow},
    {"resolve", "1", "the city's will to hold out (0..1)", JS_OV_F64, 0, fill_resolve},
    {"sick_defenders", "persons", "garrison's men infectious", JS_OV_I64, 0, fill_sick_defenders},
    {"sick_civilians", "persons", "civilians inside infectious", JS_OV_I64, 0, fill_sick_civilians},
    {"sick_besiegers", "persons", "besiegers infectious", JS_OV_I64, 0, fill_sick_besiegers},
    {"deaths", "persons",
     "civilians dead inside the walls in this siege (hunger, disease, "
     "the walls, the sack)",
     JS_OV_I64, 0, fill_deaths},
    {"assaults", "1", "assaults made in this siege", JS_OV_I32, 0, fill_assaults},
    {"outcome", "1",
     "how the last siege ended: 0 ongoing or none, 1 stormed, 2 surrendered, 3 ransomed, "
     "4 relieved, 5 lifted, 6 ceded",
     JS_OV_I8, 0, fill_outcome},
    {"wealth_silver", "taels", "silver held by the city's people", JS_OV_I64, 0, fill_silver},
    {"wealth_gold", "taels", "gold held by the city's people", JS_OV_I64, 0, fill_gold},
    {"wealth_silk", "bolts", "silk held by the city's people", JS_OV_I64, 0, fill_silk},
    {"captives", "persons", "captives from the place on the road", JS_OV_I64, 0, fill_captives},
    {"captives_died", "persons", "captives from the place dead on the road (since the start)",
     JS_OV_I64, 0, fill_captives_died},
};

static const struct js_outvar_table siege_table = {siege_vars, (int)JS_COUNTOF(siege_vars)};
static const struct js_outvar_table *const siege_tables[] = {&siege_table, NULL};

/** @brief Siege slots (the group's dimension). */
static int32_t count_sieges(const struct js_world *w)
{
    return w->sieges.n;
}

/**
 * @brief Writes the static coordinates of /sieges: the place of each slot (index, id, name) and
 * the place and faction ids, so that the group reads on its own.
 */
static int siege_coords(struct js_outgroup *og, const struct js_world *w)
{
    const struct js_sieges *S = &w->sieges;
    hsize_t n = (hsize_t)S->n;
    const char **ids = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    const char **names = js_xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    for (hsize_t s = 0; s < n; s++) {
        ids[s] = w->places.id[S->place[s]];
        names[s] = w->places.name[S->place[s]] ? w->places.name[S->place[s]] : ids[s];
    }
    int rc = 0;
    rc |= js_out_static(og->g, og->dim, "siege_place", H5T_NATIVE_INT32, n, S->place, "1",
                        "the walled place (index into /sieges/place_id)");
    rc |= js_out_static_str(og->g, og->dim, "siege_place_id", ids, n, "id of the walled place");
    rc |=
        js_out_static_str(og->g, og->dim, "siege_place_name", names, n, "name of the walled place");
    rc |= js_out_static(og->g, og->dim, "circuit_km", H5T_NATIVE_DOUBLE, n, S->circuit_km, "km",
                        "length of the wall circuit");
    rc |= js_out_static(og->g, og->dim, "layers", H5T_NATIVE_INT32, n, S->layers, "1",
                        "lines of walls and moats");
    rc |= js_out_static(og->g, og->dim, "river_gates", H5T_NATIVE_DOUBLE, n, S->river_gates, "1",
                        "share of the supply a land blockade cannot close");
    rc |= js_out_place_faction_coords(og->g, w);
    free(ids);
    free(names);
    return rc ? -1 : 0;
}

const struct js_outgroup_def js_out_sieges = {"sieges", "siege", count_sieges, siege_coords,
                                              siege_tables};
