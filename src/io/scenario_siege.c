/**
 * @file scenario_siege.c
 * @brief The schema of the siege module: the `siege:` section, each faction's `siege:` map
 * (terms preference, technologies and their dates), and each place's defences (`walls:` beyond
 * its strength) and private wealth (`wealth:`).
 *
 * Defaults come from models.md §2 (the siege sub-model, Chinese siege technology, De'an) and
 * §8.3 (the parameter table), the history notes, or modelling judgement; docs/CONFIG.md gives the
 * source of each.
 */

/* system headers */
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/siege.h"
#include "jinsong/util.h"
#include "scenario_internal.h"

/* ---------------------------------------------------------------- defaults */

/* Share of each class inside the walls during a siege: the townsfolk, the officials and the
 * soldiers' families live there; a tenth of the farming households flee inside [J]. */
static const double default_inside[JS_NCLASSES] = {0.1, 1.0, 1.0, 1.0};

/* Traction trebuchets of the Wujing zongyao (models.md §2.3 [V]): single-pole ~40 pullers,
 * seven-pole ~250 pullers; counterweight (huihui pao) crews [J]. Kills and parapet damage per
 * engine and day are [J], tuned so that engines clear parapets in weeks and kill a few defenders a
 * day, and never breach rammed earth (models.md §2.3). */
static const struct js_siege_engine_params default_engine[JS_NENGINES] = {
    {40.0, 0.02, 0.0005, 0.5},
    {250.0, 0.1, 0.003, 0.5},
    {150.0, 1.0, 0.02, 0.5},
};

/* Epidemics by season: x1.5 in summer (models.md §8.3 summer_mult). */
static const double default_epi_season[JS_NSEASONS] = {1.0, 1.5, 1.0, 1.0};

/* Wall circuits by kind of place, km [J]: a prefectural city some 15 li (8 km), a county seat
 * 7 li, a capital 20 km (Kaifeng's outer wall was about 27 km, history notes). */
static const double default_circuit[JS_NPLACE_KINDS] = {20.0, 8.0, 4.0, 3.0, 2.0, 2.0,
                                                        3.0,  1.0, 1.0, 2.0, 1.0};

/* Private wealth of a walled city per person (silver, gold taels, silk bolts) [J]: Kaifeng's
 * people gave 4 M taels of silver and 0.2 M of gold in days in 1126 (history notes, A-), some
 * 4 taels a head there; a provincial city holds a fraction of that. */
static const double default_wealth[JS_NSIEGE_WEALTH] = {0.5, 0.01, 0.2};
static const char *const wealth_keys[JS_NSIEGE_WEALTH] = {"silver_taels", "gold_taels",
                                                          "silk_bolts"};
static const char *const wealth_units[JS_NSIEGE_WEALTH] = {"taels/person", "taels/person",
                                                           "bolts/person"};

/* ---------------------------------------------------------------- sections */

/**
 * @brief Reads `siege.people`.
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_people(struct js_cfg *c, struct js_ynode *sg, struct js_siege_people_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "people");
    struct js_ynode *in = js_cfg_map(c, m, "inside_share");
    for (int k = 0; k < JS_NCLASSES; k++)
        p->inside_share[k] =
            js_cfg_double(c, in, js_class_name((enum js_class)k), default_inside[k], 0.0, 1.0, "1");
    p->ration_civilian =
        js_cfg_double(c, m, "ration_civilian_sheng", 0.8, 0.0, 10.0, "sheng/person/day");
    p->full_above_days = js_cfg_double(c, m, "full_ration_above_days", 60.0, 0.0, 3650.0, "days");
    p->reduced = js_cfg_double(c, m, "reduced_ration", 0.5, 0.0, 1.0, "1");
    p->reserve_days = js_cfg_double(c, m, "reserve_days", 50.0, 1.0, 365.0, "days");
    p->reserve_recovery =
        js_cfg_double(c, m, "reserve_recovery_per_day", 0.5, 0.0, 100.0, "days/day");
    p->starvation_max = js_cfg_double(c, m, "starvation_max_per_day", 0.05, 0.0, 1.0, "1/day");
    p->starvation_exp = js_cfg_double(c, m, "starvation_exponent", 3.0, 0.1, 10.0, "1");
    p->gate_days = js_cfg_double(c, m, "gate_days", 2.0, 0.0, 100.0, "days/day");
    p->stock_days = js_cfg_double(c, m, "stock_days", 90.0, 0.0, 3650.0, "days");
    p->blockade_men_per_km =
        js_cfg_double(c, m, "blockade_men_per_km", 2000.0, 1.0, 1e6, "persons/km");
    p->militia_share = js_cfg_double(c, m, "militia_share", 0.05, 0.0, 1.0, "1");
}

/**
 * @brief Reads `siege.assault`.
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_assault(struct js_cfg *c, struct js_ynode *sg, struct js_siege_assault_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "assault");
    p->wall_factor = js_cfg_double(c, m, "wall_factor", 3.0, 1.0, 100.0, "1");
    p->layer_bonus = js_cfg_double(c, m, "layer_bonus", 0.25, 0.0, 10.0, "1");
    p->moat_bonus = js_cfg_double(c, m, "moat_bonus", 0.2, 0.0, 10.0, "1");
    p->parapet_floor = js_cfg_double(c, m, "parapet_floor", 0.5, 0.0, 1.0, "1");
    p->breach_keep = js_cfg_double(c, m, "breach_keep", 0.3, 0.0, 1.0, "1");
    p->quality_skill = js_cfg_double(c, m, "quality_skill", 0.5, 0.0, 1.8, "1");
    p->a0 = js_cfg_double(c, m, "logit_a0", -2.0, -20.0, 20.0, "1");
    p->a1 = js_cfg_double(c, m, "logit_a1", 1.5, 0.0, 20.0, "1");
    p->a_breach = js_cfg_double(c, m, "logit_breach", 2.0, 0.0, 20.0, "1");
    p->share = js_cfg_double(c, m, "share", 0.5, 0.0, 1.0, "1");
    p->threshold = js_cfg_double(c, m, "threshold", 0.3, 0.0, 1.0, "1");
    p->aggression_shift = js_cfg_double(c, m, "aggression_shift", 0.3, 0.0, 1.0, "1");
    p->estimate_sigma = js_cfg_double(c, m, "estimate_sigma", 1.0, 0.0, 10.0, "1");
    p->interval_days = (int32_t)js_cfg_int(c, m, "interval_days", 3, 1, 365, "days");
    p->loss_failed = js_cfg_double(c, m, "loss_failed", 0.1, 0.0, 1.0, "1");
    p->loss_success = js_cfg_double(c, m, "loss_success", 0.05, 0.0, 1.0, "1");
    p->killed_share = js_cfg_double(c, m, "killed_share", 0.4, 0.0, 1.0, "1");
    p->defender_loss = js_cfg_double(c, m, "defender_loss", 0.02, 0.0, 1.0, "1");
    p->morale_loss = js_cfg_double(c, m, "morale_loss", 0.15, 0.0, 1.0, "1");
    p->resolve_gain = js_cfg_double(c, m, "resolve_gain", 0.05, 0.0, 1.0, "1");
}

/**
 * @brief Reads `siege.engines` (its kinds, pullers, parapets, saps).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_engines(struct js_cfg *c, struct js_ynode *sg, struct js_siege_engines_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "engines");
    for (int k = 0; k < JS_NENGINES; k++) {
        struct js_ynode *e = js_cfg_map(c, m, js_siege_engine_name(k));
        const struct js_siege_engine_params *d = &default_engine[k];
        p->engine[k].crew = js_cfg_double(c, e, "crew", d->crew, 1.0, 10000.0, "persons");
        p->engine[k].kills = js_cfg_double(c, e, "kills_per_day", d->kills, 0.0, 1000.0, "1/day");
        p->engine[k].damage = js_cfg_double(c, e, "damage_per_day", d->damage, 0.0, 1.0, "1/day");
        p->engine[k].share = js_cfg_double(c, e, "share", d->share, 0.0, 1.0, "1");
    }
    p->puller_share = js_cfg_double(c, m, "puller_share", 0.5, 0.0, 1.0, "1");
    p->build_days = (int32_t)js_cfg_int(c, m, "build_days", 5, 0, 365, "days");
    p->kill_max = js_cfg_double(c, m, "kill_max_per_day", 0.01, 0.0, 1.0, "1/day");
    p->repair = js_cfg_double(c, m, "repair_per_day", 0.02, 0.0, 1.0, "1/day");
    p->breach_below = js_cfg_double(c, m, "counterweight_breach_below", 0.1, 0.0, 1.0, "1");
    p->progress_per_day = js_cfg_double(c, m, "progress_per_day", 0.01, 0.0, 1.0, "1/day");
    p->labour_half = js_cfg_double(c, m, "labour_half", 5000.0, 1.0, 1e8, "persons");
}

/**
 * @brief Reads `siege.sorties` (sorties and desertion).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_sorties(struct js_cfg *c, struct js_ynode *sg, struct js_siege_sortie_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "sorties");
    p->per_day = js_cfg_double(c, m, "per_day", 0.05, 0.0, 1.0, "1/day");
    p->share = js_cfg_double(c, m, "share", 0.1, 0.0, 1.0, "1");
    p->kill = js_cfg_double(c, m, "kill_per_man", 0.2, 0.0, 100.0, "1");
    p->loss = js_cfg_double(c, m, "loss", 0.05, 0.0, 1.0, "1");
    p->progress = js_cfg_double(c, m, "progress_undone", 0.05, 0.0, 1.0, "1");
    p->morale = js_cfg_double(c, m, "morale_loss", 0.03, 0.0, 1.0, "1");
    p->desertion = js_cfg_double(c, m, "desertion_per_day", 0.0005, 0.0, 1.0, "1/day");
    p->desertion_hunger = js_cfg_double(c, m, "desertion_hunger", 9.0, 0.0, 1000.0, "1");
    p->desertion_morale = js_cfg_double(c, m, "desertion_morale", 3.0, 0.0, 1000.0, "1");
}

/**
 * @brief Reads `siege.surrender` (resolve, surrender, relief).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_surrender(struct js_cfg *c, struct js_ynode *sg,
                           struct js_siege_surrender_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "surrender");
    p->base = js_cfg_double(c, m, "base_per_day", 0.001, 0.0, 1.0, "1/day");
    p->starving = js_cfg_double(c, m, "starving_per_day", 0.05, 0.0, 10.0, "1/day");
    p->no_relief = js_cfg_double(c, m, "no_relief_per_day", 0.01, 0.0, 10.0, "1/day");
    p->terms = js_cfg_double(c, m, "terms_per_day", 0.02, 0.0, 10.0, "1/day");
    p->fear = js_cfg_double(c, m, "fear_of_massacre", 0.5, 0.0, 1.0, "1");
    p->resolve_k = js_cfg_double(c, m, "resolve_factor", 100.0, 0.0, 1e6, "1");
    p->resolve_hunger = js_cfg_double(c, m, "resolve_hunger", 0.01, 0.0, 1.0, "1/day");
    p->resolve_deaths = js_cfg_double(c, m, "resolve_deaths", 1.0, 0.0, 1000.0, "1");
    p->resolve_recovery = js_cfg_double(c, m, "resolve_recovery_per_day", 0.05, 0.0, 1.0, "1/day");
    p->relief_days = js_cfg_double(c, m, "relief_days", 10.0, 0.0, 365.0, "days");
    p->relief_ratio = js_cfg_double(c, m, "relief_ratio", 0.5, 0.0, 100.0, "1");
}

/**
 * @brief Reads `siege.lift` (the besieger giving up).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_lift(struct js_cfg *c, struct js_ynode *sg, struct js_siege_lift_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "lift");
    p->give_up_per_day = js_cfg_double(c, m, "give_up_per_day", 0.01, 0.0, 1.0, "1/day");
    p->hunger_days = js_cfg_double(c, m, "hunger_days", 10.0, 0.0, 1000.0, "days");
    p->strength_share = js_cfg_double(c, m, "strength_share", 0.5, 0.0, 1.0, "1");
    p->sick_share = js_cfg_double(c, m, "sick_share", 0.2, 0.0, 1.01, "1");
}

/**
 * @brief Reads `siege.terms` (ransom).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_terms(struct js_cfg *c, struct js_ynode *sg, struct js_siege_terms_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "terms");
    p->horizon_days = js_cfg_double(c, m, "horizon_days", 90.0, 1.0, 3650.0, "days");
    p->scale_days = js_cfg_double(c, m, "scale_days", 10.0, 0.1, 3650.0, "days");
    p->accept = js_cfg_double(c, m, "accept_fall_odds", 0.5, 0.0, 1.0, "1");
    p->share = js_cfg_double(c, m, "share", 0.5, 0.0, 1.0, "1");
    p->min_per_man = js_cfg_double(c, m, "min_taels_per_man", 1.0, 0.0, 1e6, "taels/person");
    p->gold_in_silver = js_cfg_double(c, m, "gold_in_silver", 10.0, 0.0, 1000.0, "1");
    p->silk_in_silver = js_cfg_double(c, m, "silk_in_silver", 1.0, 0.0, 1000.0, "taels/bolt");
    p->horses_share = js_cfg_double(c, m, "horses_share", 0.5, 0.0, 1.0, "1");
    p->after_days = (int32_t)js_cfg_int(c, m, "after_days", 7, 0, 3650, "days");
    p->retry_days = (int32_t)js_cfg_int(c, m, "retry_days", 15, 1, 3650, "days");
    p->transit_days = (int32_t)js_cfg_int(c, m, "transit_days", 30, 0, 3650, "days");
}

/**
 * @brief Reads `siege.epidemic`.
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_epidemic(struct js_cfg *c, struct js_ynode *sg, struct js_siege_epidemic_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "epidemic");
    p->r0 = js_cfg_double(c, m, "r0", 1.2, 0.0, 100.0, "1");
    p->infectious_days = js_cfg_double(c, m, "infectious_days", 10.0, 0.1, 365.0, "days");
    p->crowd_exp = js_cfg_double(c, m, "crowding_exponent", 1.0, 0.0, 5.0, "1");
    p->density_ref = js_cfg_double(c, m, "density_ref_per_km2", 20000.0, 1.0, 1e7, "persons/km2");
    p->camp_ref = js_cfg_double(c, m, "camp_ref_persons", 50000.0, 1.0, 1e8, "persons");
    struct js_ynode *se = js_cfg_map(c, m, "season");
    for (int k = 0; k < JS_NSEASONS; k++)
        p->season[k] = js_cfg_double(c, se, js_season_name((enum js_season)k),
                                     default_epi_season[k], 0.0, 100.0, "1");
    p->cfr = js_cfg_double(c, m, "case_fatality", 0.2, 0.0, 1.0, "1");
    p->hunger = js_cfg_double(c, m, "hunger_factor", 1.0, 0.0, 100.0, "1");
    p->import = js_cfg_double(c, m, "import_per_day", 1e-6, 0.0, 1.0, "1/day");
}

/**
 * @brief Reads `siege.sack` (the sack and the captives).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_sack(struct js_cfg *c, struct js_ynode *sg, struct js_siege_sack_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "sack");
    p->civilians_killed = js_cfg_double(c, m, "civilians_killed", 0.1, 0.0, 1.0, "1");
    p->garrison_killed = js_cfg_double(c, m, "garrison_killed", 0.5, 0.0, 1.0, "1");
    p->loot_share = js_cfg_double(c, m, "loot_share", 0.8, 0.0, 1.0, "1");
    p->treasury_share = js_cfg_double(c, m, "treasury_share", 0.5, 0.0, 1.0, "1");
    p->captives = js_cfg_double(c, m, "captives", 0.01, 0.0, 1.0, "1");
    p->devastation = js_cfg_double(c, m, "devastation", 0.5, 0.0, 1.0, "1");
    p->threat_days = (int32_t)js_cfg_int(c, m, "threat_days", 30, 0, 3650, "days");
    p->captive_death = js_cfg_double(c, m, "captive_death_per_day", 0.005, 0.0, 1.0, "1/day");
    p->captive_km_per_day = js_cfg_double(c, m, "captive_km_per_day", 15.0, 0.1, 1000.0, "km/day");
}

/**
 * @brief Reads `siege.technology` (the effects of the technologies).
 * @param c reader
 * @param sg the siege section
 * @param p out
 */
static void read_tech(struct js_cfg *c, struct js_ynode *sg, struct js_siege_tech_params *p)
{
    struct js_ynode *m = js_cfg_map(c, sg, "technology");
    p->fire_lance_sortie = js_cfg_double(c, m, "fire_lance_sortie", 2.0, 0.0, 100.0, "1");
    p->fire_lance_defence = js_cfg_double(c, m, "fire_lance_defence", 1.25, 0.0, 100.0, "1");
    p->incendiary_bombard = js_cfg_double(c, m, "incendiary_bombard", 1.5, 0.0, 100.0, "1");
    p->incendiary_defence = js_cfg_double(c, m, "incendiary_defence", 1.1, 0.0, 100.0, "1");
}

/**
 * @brief Reads every faction's `siege:` map: terms_preference, court_accept_fall_odds and the dates
 * of its technologies (absent: never).
 * @param r reader
 * @param p out
 */
static void read_factions(struct js_reader *r, struct js_siege_params *p)
{
    struct js_cfg *c = r->c;
    int32_t nf = r->w->factions.n;
    p->n_factions = nf;
    p->terms_preference = js_xcalloc((size_t)(nf ? nf : 1), sizeof(double));
    p->accept = js_xcalloc((size_t)(nf ? nf : 1), sizeof(double));
    p->tech_day = js_xcalloc((size_t)(nf ? nf : 1) * JS_NTECHS, sizeof(int32_t));
    for (size_t k = 0; k < (size_t)(nf ? nf : 1) * JS_NTECHS; k++)
        p->tech_day[k] = INT32_MAX;
    int32_t f = 0;
    for (struct js_ynode *e = r->factions ? r->factions->first : NULL; e && f < nf;
         e = e->next, f++) {
        if (e->type != JS_YMAP) /* reported with the factions */
            continue;
        struct js_ynode *m = js_cfg_map(c, e, "siege");
        p->terms_preference[f] = js_cfg_double(c, m, "terms_preference", 0.0, 0.0, 1.0, "1");
        p->accept[f] =
            js_cfg_double(c, m, "court_accept_fall_odds", p->terms.accept, 0.0, 1.0, "1");
        struct js_ynode *t = js_cfg_map(c, m, "technology");
        for (int k = 0; k < JS_NTECHS; k++) {
            struct js_date date;
            if (!js_ytree_get(t, js_siege_tech_name(k)))
                continue;
            if (js_cfg_date(c, t, js_siege_tech_name(k), r->calendar, &date, false) &&
                r->dates_ok) {
                int64_t day = js_calendar_days_between(r->calendar, r->start, date);
                day = day < INT32_MIN / 2   ? INT32_MIN / 2
                      : day > INT32_MAX / 2 ? INT32_MAX / 2
                                            : day;
                p->tech_day[(size_t)f * JS_NTECHS + (size_t)k] = (int32_t)day;
            }
        }
    }
}

/**
 * @brief Records a value computed for a place (as a parameter with a "computed" source).
 * @param c reader
 * @param e the place's map
 * @param key dotted key under it
 * @param v value
 * @param unit unit
 * @param how how it was computed
 */
static void record_place(struct js_cfg *c, struct js_ynode *e, const char *key, double v,
                         const char *unit, const char *how)
{
    char path[600], val[40], src[160];
    js_ytree_path(e, path, sizeof(path));
    size_t n = strlen(path);
    snprintf(path + n, sizeof(path) - n, ".%s", key);
    snprintf(val, sizeof(val), "%.17g", v);
    snprintf(src, sizeof(src), "computed: %s", how);
    js_cfg_record(c, path, val, unit, src);
}

/**
 * @brief Reads one place's defences (walls: layers, moat, circuit_km, river_gates,
 * commander_loyalty) and private wealth into its slot (unwalled places: read, not used).
 * @param r reader
 * @param e the place's map
 * @param q place index
 * @param per_person wealth per person (siege.wealth_per_person)
 */
static void read_place(struct js_reader *r, struct js_ynode *e, int32_t q,
                       const double per_person[JS_NSIEGE_WEALTH])
{
    struct js_cfg *c = r->c;
    struct js_sieges *S = &r->w->sieges;
    struct js_ynode *wl = js_cfg_map(c, e, "walls");
    int32_t s = S->slot[q];
    int32_t layers = (int32_t)js_cfg_int(c, wl, "layers", 1, 1, 4, "1");
    bool moat = js_cfg_bool(c, wl, "moat", false);
    double circuit = default_circuit[r->w->places.kind[q]];
    if (js_ytree_get(wl, "circuit_km"))
        circuit = js_cfg_double(c, wl, "circuit_km", circuit, 0.1, 200.0, "km");
    else if (s >= 0)
        record_place(c, e, "walls.circuit_km", circuit, "km", "default for its kind of place");
    double river = js_cfg_double(c, wl, "river_gates", 0.0, 0.0, 1.0, "1");
    double loyalty = js_cfg_double(c, wl, "commander_loyalty", 1.0, 0.0, 1.0, "1");
    struct js_ynode *wm = js_cfg_map(c, e, "wealth");
    int64_t people = js_world_place_population(r->w, q);
    int64_t wealth[JS_NSIEGE_WEALTH];
    for (int k = 0; k < JS_NSIEGE_WEALTH; k++) {
        double def = floor(per_person[k] * (double)people);
        if (js_ytree_get(wm, wealth_keys[k]))
            wealth[k] = js_cfg_int(c, wm, wealth_keys[k], 0, 0, INT64_C(1) << 50,
                                   k == JS_SW_SILK ? "bolts" : "taels");
        else {
            wealth[k] = (int64_t)def;
            char key[64];
            snprintf(key, sizeof(key), "wealth.%s", wealth_keys[k]);
            if (s >= 0)
                record_place(c, e, key, def, k == JS_SW_SILK ? "bolts" : "taels",
                             "siege.wealth_per_person x population");
        }
    }
    if (s < 0)
        return;
    S->layers[s] = layers;
    S->moat[s] = (uint8_t)moat;
    S->circuit_km[s] = circuit;
    S->river_gates[s] = river;
    S->loyalty[s] = loyalty;
    memcpy(&S->wealth[(size_t)s * JS_NSIEGE_WEALTH], wealth, sizeof(wealth));
}

void js_reader_siege(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_siege_params *p = &r->sc->params.siege;
    struct js_ynode *sg = js_cfg_map(c, r->root, "siege");
    p->supply = r->sc->params.supply; /* a garrison's rations and horse grain */
    read_people(c, sg, &p->people);
    read_assault(c, sg, &p->assault);
    read_engines(c, sg, &p->engines);
    read_sorties(c, sg, &p->sortie);
    read_surrender(c, sg, &p->surrender);
    read_lift(c, sg, &p->lift);
    read_terms(c, sg, &p->terms);
    read_epidemic(c, sg, &p->epidemic);
    read_sack(c, sg, &p->sack);
    read_tech(c, sg, &p->tech);
    struct js_ynode *wp = js_cfg_map(c, sg, "wealth_per_person");
    double per_person[JS_NSIEGE_WEALTH];
    for (int k = 0; k < JS_NSIEGE_WEALTH; k++)
        per_person[k] =
            js_cfg_double(c, wp, wealth_keys[k], default_wealth[k], 0.0, 1e6, wealth_units[k]);
    read_factions(r, p);
    js_world_siege_free(r->w);
    js_world_siege_alloc(r->w);
    for (int32_t f = 0; f < p->n_factions; f++)
        r->w->sieges.court_accept[f] = p->accept[f]; /* `court_policy` events change it */
    int32_t q = 0;
    for (struct js_ynode *e = r->places ? r->places->first : NULL; e; e = e->next, q++)
        if (e->type == JS_YMAP)
            read_place(r, e, q, per_person);
}
