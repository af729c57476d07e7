/**
 * @file scenario_migration.c
 * @brief The people modules' schema: the `migration:` section, the death causes of
 * `demography:`, and the places' `food_ratio` and `migration:` keys (docs/CONFIG.md).
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/migration.h"
#include "scenario_internal.h"

/** @brief Most cells (years × places²) of the origin → destination matrix (2 GiB of int64). */
#define FLOW_MAX_CELLS (INT64_C(1) << 28)

/**
 * @brief Reads the death causes of `demography:` (famine, epidemic, violence).
 * @param r reader
 */
static void read_demography_causes(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_demography_params *p = &r->sc->params.demography;
    struct js_ynode *d = js_cfg_map(c, r->root, "demography");
    struct js_ynode *f = js_cfg_map(c, d, "famine");
    p->famine_threshold = js_cfg_double(c, f, "threshold", 0.8, 0.0, 2.0, "1");
    p->famine_reserve_days = js_cfg_double(c, f, "reserve_days", 50.0, 1.0, 365.0, "days");
    p->famine_recovery = js_cfg_double(c, f, "recovery_per_day", 0.5, 0.0, 10.0, "days/day");
    for (int32_t i = 0; i < r->w->places.n; i++)
        r->w->places.nutrition[i] = p->famine_reserve_days;
    p->famine_max_hazard = js_cfg_double(c, f, "max_hazard_per_day", 0.05, 0.0, 1.0, "1/day");
    p->famine_exponent = js_cfg_double(c, f, "exponent", 3.0, 0.1, 10.0, "1");
    struct js_ynode *e = js_cfg_map(c, d, "epidemic");
    p->epidemic_rate = js_cfg_double(c, e, "rate_per_year", 0.5, 0.0, 50.0, "1/year");
    p->epidemic_threshold = js_cfg_double(c, e, "crowding_threshold", 1.1, 0.0, 100.0, "1");
    p->epidemic_exponent = js_cfg_double(c, e, "crowding_exponent", 1.0, 0.0, 5.0, "1");
    p->epidemic_summer = js_cfg_double(c, e, "summer_multiplier", 1.5, 0.0, 10.0, "1");
    struct js_ynode *v = js_cfg_map(c, d, "violence");
    p->violence_rate = js_cfg_double(c, v, "rate_per_day", 0.0005, 0.0, 1.0, "1/day");
    p->violence_threshold = js_cfg_double(c, v, "danger_threshold", 0.1, 0.0, 1.0, "1");
}

/**
 * @brief Reads a value for each place type from a map.
 * @param c reader
 * @param parent the section
 * @param key the map's key
 * @param def defaults by type
 * @param lo smallest allowed
 * @param hi largest allowed
 * @param unit unit
 * @param out values by type
 * @param skip_marker markers have no value here (never destinations, never settled in)
 */
static void read_by_type(struct js_cfg *c, struct js_ynode *parent, const char *key,
                         const double def[JS_NMIG_TYPES], double lo, double hi, const char *unit,
                         double out[JS_NMIG_TYPES], bool skip_marker)
{
    struct js_ynode *m = js_cfg_map(c, parent, key);
    for (int t = 0; t < JS_NMIG_TYPES; t++) {
        out[t] = def[t];
        if (skip_marker && t == JS_MIG_MARKER)
            continue;
        out[t] = js_cfg_double(c, m, js_mig_type_name((enum js_mig_type)t), def[t], lo, hi, unit);
    }
}

/**
 * @brief Reads the flight hazards (`migration.flight`).
 * @param c reader
 * @param mig the section
 * @param p parameters
 */
static void read_flight(struct js_cfg *c, struct js_ynode *mig, struct js_migration_params *p)
{
    struct js_ynode *f = js_cfg_map(c, mig, "flight");
    p->flight_rate = js_cfg_double(c, f, "rate_per_day", 0.01, 0.0, 1.0, "1/day");
    p->famine_flight_rate = js_cfg_double(c, f, "famine_rate_per_day", 0.005, 0.0, 1.0, "1/day");
    p->famine_threshold = js_cfg_double(c, f, "famine_threshold", 0.7, 0.0, 2.0, "1");
    p->neighbour_weight = js_cfg_double(c, f, "neighbour_weight", 0.5, 0.0, 1.0, "1");
    p->decay_days = js_cfg_double(c, f, "decay_days", 60.0, 0.0, 1e5, "days");
}

/**
 * @brief Reads the route choice (`migration.route`).
 * @param c reader
 * @param mig the section
 * @param p parameters
 */
static void read_route_choice(struct js_cfg *c, struct js_ynode *mig, struct js_migration_params *p)
{
    struct js_ynode *rc = js_cfg_map(c, mig, "route");
    p->awareness = (int32_t)js_cfg_int(c, rc, "awareness", 1, 1, 3, "hops");
    p->softening_km = js_cfg_double(c, rc, "softening_km", 10.0, 0.0, 1e4, "km");
    p->distance_power = js_cfg_double(c, rc, "distance_power", 1.0, 0.0, 10.0, "1");
    p->weight_power = js_cfg_double(c, rc, "weight_power", 1.0, 0.1, 10.0, "1");
    p->weight_softening = js_cfg_double(c, rc, "weight_softening", 0.0, 0.0, 100.0, "1");
    p->capacity_buffer = js_cfg_double(c, rc, "capacity_buffer", 0.9, 0.0, 1.0, "1");
    p->capacity_scaling = js_cfg_double(c, rc, "capacity_scaling", 1.0, 0.001, 1000.0, "1");
    p->conflict_weight = js_cfg_double(c, rc, "conflict_weight", 0.25, 0.0, 1.0, "1");
    p->safety_weight = js_cfg_double(c, rc, "safety_weight", 3.0, 0.0, 1000.0, "1");
    static const double wdef[JS_NMIG_TYPES] = {1.0, 2.0, 2.0, 1.0, 0.0};
    read_by_type(c, rc, "type_weight", wdef, 0.0, 1000.0, "1", p->type_weight, true);
}

/**
 * @brief Reads the behaviour of each class (`migration.classes`).
 * @param c reader
 * @param mig the section
 * @param p parameters
 */
static void read_classes(struct js_cfg *c, struct js_ynode *mig, struct js_migration_params *p)
{
    /* farmers leave late, settle at the first refuge; the elite leave early and follow the
     * court; soldiers' families follow the army's court a little [J] */
    static const struct js_migration_class def[JS_NCLASSES] = {
        {0.5, 2.0, 1.0, 0.0}, {1.0, 1.0, 1.0, 0.0}, {3.0, 0.25, 10.0, 0.3}, {1.0, 1.0, 2.0, 0.0}};
    struct js_ynode *cl = js_cfg_map(c, mig, "classes");
    for (int k = 0; k < JS_NCLASSES; k++) {
        struct js_ynode *m = js_cfg_map(c, cl, js_class_name((enum js_class)k));
        p->cls[k].flight = js_cfg_double(c, m, "flight", def[k].flight, 0.0, 100.0, "1");
        p->cls[k].settle = js_cfg_double(c, m, "settle", def[k].settle, 0.0, 100.0, "1");
        p->cls[k].court_weight =
            js_cfg_double(c, m, "court_weight", def[k].court_weight, 0.0, 1000.0, "1");
        p->cls[k].court_move =
            js_cfg_double(c, m, "court_move_chance", def[k].court_move, 0.0, 1.0, "1/day");
    }
}

/**
 * @brief Reads the travel and the road (`migration.travel`).
 * @param c reader
 * @param mig the section
 * @param p parameters
 */
static void read_travel(struct js_cfg *c, struct js_ynode *mig, struct js_migration_params *p)
{
    struct js_ynode *t = js_cfg_map(c, mig, "travel");
    p->max_km_per_day = js_cfg_double(c, t, "max_km_per_day", 60.0, 0.1, 5000.0, "km/day");
    p->food_days = js_cfg_double(c, t, "food_days", 10.0, 0.0, 1000.0, "days");
    p->ration_sheng = js_cfg_double(c, t, "ration_sheng_per_day", 2.0, 0.0, 100.0, "sheng/day");
    p->road_death_rate = js_cfg_double(c, t, "death_rate_per_year", 0.06, 0.0, 10.0, "1/year");
    p->hungry_death_rate =
        js_cfg_double(c, t, "hungry_death_rate_per_day", 0.001, 0.0, 1.0, "1/day");
    p->avoid_short_stints = js_cfg_bool(c, t, "avoid_short_stints", false);
}

/**
 * @brief Reads the spawning mode (`migration.spawn`) and the stepwise conflict decay
 * (`migration.conflict_decay`).
 * @param c reader
 * @param mig the section
 * @param p parameters
 */
static void read_spawn(struct js_cfg *c, struct js_ynode *mig, struct js_migration_params *p)
{
    static const char *const modes[] = {"hazard", "data"};
    struct js_ynode *sp = js_cfg_map(c, mig, "spawn");
    p->spawn_mode = js_cfg_enum(c, sp, "mode", modes, 2, JS_MIG_SPAWN_HAZARD);
    p->take_from_population = js_cfg_bool(c, sp, "take_from_population", false);
    p->insert_day0 = js_cfg_bool(c, sp, "insert_day0", true);
    struct js_ynode *cd = js_cfg_map(c, mig, "conflict_decay");
    p->decay_interval = (int32_t)js_cfg_int(c, cd, "interval_days", 30, 1, 3650, "days");
    p->n_decay =
        js_cfg_double_list(c, cd, "steps", NULL, 0, JS_MIG_MAX_DECAY, 0.0, 1e6, "1", p->decay);
}

/**
 * @brief Reads one observed series (a map date: count) into the state's arrays.
 * @param r reader
 * @param map the series
 * @param s its index
 * @param place its place (−1 for the total)
 * @param at next free point (advanced)
 */
static void read_series(struct js_reader *r, struct js_ynode *map, int32_t s, int32_t place,
                        int32_t *at)
{
    struct js_cfg *c = r->c;
    struct js_migration *m = &r->w->migration;
    m->obs_place[s] = place;
    m->obs_start[s] = *at;
    struct js_date date;
    for (struct js_ynode *e = map ? map->first : NULL; e; e = e->next) {
        double v = js_cfg_double(c, map, e->key, 0.0, 0.0, 1e9, "persons");
        if (js_calendar_parse(e->key, &date) != 0 || !js_calendar_valid(r->calendar, date)) {
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, e->key,
                        "write the date as YYYY-MM-DD in the scenario's calendar",
                        "'%s' is not a date", e->key);
            continue;
        }
        int32_t day =
            r->dates_ok ? (int32_t)js_calendar_days_between(r->calendar, r->start, date) : 0;
        if (*at > m->obs_start[s] && day <= m->obs_day[*at - 1]) {
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, e->key,
                        "list the dates in increasing order", "%s is not after the date before",
                        e->key);
            continue;
        }
        m->obs_day[*at] = day;
        m->obs_value[(*at)++] = v;
    }
    m->obs_start[s + 1] = *at;
}

/**
 * @brief Reads the observed counts (`migration.observed`: place id → {date: count}, and
 * `migration.observed_total`), which data-driven spawning follows.
 * @param r reader
 * @param mig the section
 */
static void read_observed(struct js_reader *r, struct js_ynode *mig)
{
    struct js_cfg *c = r->c;
    struct js_ynode *obs = js_cfg_map(c, mig, "observed");
    struct js_ynode *tot =
        js_ytree_get(mig, "observed_total") ? js_cfg_map(c, mig, "observed_total") : NULL;
    int32_t ns = (obs ? obs->nchildren : 0) + (tot ? 1 : 0), np = tot ? tot->nchildren : 0;
    for (struct js_ynode *e = obs ? obs->first : NULL; e; e = e->next)
        np += e->nchildren;
    if (ns == 0)
        return;
    js_world_migration_alloc_observed(&r->w->migration, ns, np);
    int32_t s = 0, at = 0;
    for (struct js_ynode *e = obs ? obs->first : NULL; e; e = e->next) {
        struct js_ynode *series = js_cfg_map(c, obs, e->key);
        int32_t place = r->places_broken ? -1 : js_idmap_get(&r->place_ids, e->key);
        if (place < 0 && !r->places_broken)
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, e->key,
                        "key the series by the id of a place", "there is no place '%s'", e->key);
        read_series(r, series, s++, place < 0 ? 0 : place, &at);
    }
    if (tot)
        read_series(r, tot, s, -1, &at);
}

/**
 * @brief Reads `migration.output` and allocates the flow matrix and the tracks.
 * @param r reader
 * @param mig the section
 */
static void read_output(struct js_reader *r, struct js_ynode *mig)
{
    struct js_cfg *c = r->c;
    struct js_migration *m = &r->w->migration;
    struct js_ynode *o = js_cfg_map(c, mig, "output");
    int64_t np = r->w->places.n;
    bool flow = js_cfg_bool(c, o, "flow_matrix", np <= 1000);
    int32_t year0 = r->start.year, years = 1;
    if (r->dates_ok) {
        struct js_date last = js_calendar_add_days(r->calendar, r->start, r->w->clock.n_days);
        years = last.year - year0 + 1;
    }
    if (flow && (int64_t)years * np * np > FLOW_MAX_CELLS) {
        js_cfg_error(c, js_ytree_get(o, "flow_matrix") ? js_ytree_get(o, "flow_matrix") : o,
                     "set migration.output.flow_matrix: false for this many places",
                     "the origin x destination matrix would hold %lld cells (%d years x %lld "
                     "places squared), more than %lld",
                     (long long)years * np * np, years, (long long)np, (long long)FLOW_MAX_CELLS);
        flow = false;
    }
    if (flow)
        js_world_migration_alloc_flow(m, year0, years);
    int64_t every = js_cfg_int(c, o, "track_every", 0, 0, 1000000000, "agents");
    int64_t ntr = js_cfg_int(c, o, "track_max", 1000, 1, 1000000, "tracks");
    if (every > 0)
        js_world_migration_alloc_tracks(m, (int32_t)every, (int32_t)ntr);
}

/**
 * @brief Reads the `migration:` section.
 * @param r reader
 */
static void read_migration_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_migration_params *p = &r->sc->params.migration;
    struct js_ynode *mig = js_cfg_map(c, r->root, "migration");
    p->persons_per_agent =
        (int32_t)js_cfg_int(c, mig, "persons_per_agent", 5, 1, 100, "persons/agent");
    p->danger_threshold = js_cfg_double(c, mig, "danger_threshold", 0.1, 0.0, 1.0, "1");
    read_flight(c, mig, p);
    struct js_ynode *mc = js_cfg_map(c, mig, "move_chance");
    p->conflict_move_chance = js_cfg_double(c, mc, "conflict", 1.0, 0.0, 1.0, "1/day");
    static const double mdef[JS_NMIG_TYPES] = {0.3, 0.001, 0.1, 1.0, 1.0};
    read_by_type(c, mig, "move_chance", mdef, 0.0, 1.0, "1/day", p->move_chance, false);
    static const double sdef[JS_NMIG_TYPES] = {0.01, 0.05, 0.01, 0.0, 0.0};
    read_by_type(c, mig, "settle_chance", sdef, 0.0, 1.0, "1/day", p->settle_chance, true);
    read_route_choice(c, mig, p);
    read_classes(c, mig, p);
    read_travel(c, mig, p);
    read_spawn(c, mig, p);
    read_observed(r, mig);
    if (p->spawn_mode == JS_MIG_SPAWN_DATA && r->w->migration.n_obs == 0)
        js_cfg_error(c, js_ytree_get(js_ytree_get(mig, "spawn"), "mode"),
                     "add migration.observed: {place: {date: count, ...}}",
                     "spawn.mode data needs observed counts");
    read_output(r, mig);
    p->demography = r->sc->params.demography;
}

/**
 * @brief Reads each place's `food_ratio` and `migration:` keys.
 * @param r reader
 */
static void read_place_keys(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_migration *m = &r->w->migration;
    const char *types[JS_NMIG_TYPES];
    for (int t = 0; t < JS_NMIG_TYPES; t++)
        types[t] = js_mig_type_name((enum js_mig_type)t);
    int32_t i = 0;
    for (struct js_ynode *e = r->places ? r->places->first : NULL; e; e = e->next, i++) {
        if (e->type != JS_YMAP)
            continue; /* reported by the places reader */
        r->w->places.food_ratio[i] = js_cfg_double(c, e, "food_ratio", 1.0, 0.0, 10.0, "1");
        int kind = r->w->places.kind[i];
        int def = kind == JS_PLACE_CAMP     ? JS_MIG_REFUGE
                  : kind == JS_PLACE_MARKER ? JS_MIG_MARKER
                                            : JS_MIG_TOWN;
        struct js_ynode *mg = js_cfg_map(c, e, "migration");
        m->type[i] = (uint8_t)js_cfg_enum(c, mg, "type", types, JS_NMIG_TYPES, def);
        m->capacity[i] = js_cfg_int(c, mg, "capacity", 0, 0, 1000000000, "persons");
        m->attract[i] = js_cfg_double(c, mg, "attractiveness", 1.0, 0.0, 1000.0, "1");
    }
}

void js_reader_people(struct js_reader *r)
{
    read_demography_causes(r);
    read_place_keys(r);
    read_migration_section(r);
}

void js_reader_migration_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    static const char *const types[] = {"town", "refuge", "idp_refuge", "hub"};
    ev->place = js_reader_ref(r, e, "place", "places", true);
    ev->value[0] = js_cfg_enum(r->c, e, "type", types, 4, -1);
    if (ev->place >= 0 && r->w->migration.type[ev->place] == JS_MIG_MARKER)
        js_cfg_error(r->c, js_ytree_get(e, "place"), "name a place that is not a marker",
                     "a marker stays a marker (its routes are built once)");
    js_reader_event_text(r, e, ev->text, false);
}
