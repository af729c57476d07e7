/**
 * @file scenario_army.c
 * @brief The schema of the army module: sections `army:`, `battle:`, `supply:`, each faction's
 * `doctrine:`, the `armies:` entities, and the `order` and `raise_army` events.
 *
 * Every default is a value of models.md (§1 combat, §3 logistics, §8.3 the parameter table) or of
 * the history notes, or modelling judgement; docs/CONFIG.md gives the source of each.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/util.h"
#include "scenario_internal.h"

/* ---------------------------------------------------------------- defaults */

/* Arm against arm on open ground (models.md §1.3, [J]): heavy cavalry 2.0 and horse archers 1.5
 * against infantry, crossbows 1.5 and spears 1.2 against cavalry; infantry against infantry and
 * cavalry against cavalry 1; levies 0.5, engineers 0.3 against anyone. Rows attack, columns are
 * targets, in js_arm order. */
static const double default_arm_matrix[JS_NFIGHT][JS_NFIGHT] = {
    /* hc   ha   xb   sp   lv   en */
    {1.0, 1.0, 2.0, 2.0, 2.0, 2.0}, /* heavy cavalry */
    {1.0, 1.0, 1.5, 1.5, 1.5, 1.5}, /* horse archers */
    {1.5, 1.5, 1.0, 1.0, 1.0, 1.0}, /* crossbowmen */
    {1.2, 1.2, 1.0, 1.0, 1.0, 1.0}, /* spearmen */
    {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, /* levies */
    {0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, /* engineers */
};

/* Attacking arm's factor by terrain (models.md §1.3 read per arm: heavy cavalry 2.0 / 1.0 / 0.5
 * on plain / broken / paddy, horse archers 1.5 / 1.0 / 0.7, spears 1.2 / 1.3 / 1.3, crossbows
 * alike everywhere; mountains [J]). Columns: plain, hills, mountains, marsh, paddy. */
static const double default_arm_terrain[JS_NFIGHT][JS_NTERRAINS] = {
    {1.0, 0.5, 0.4, 0.25, 0.25},   /* heavy cavalry */
    {1.0, 0.67, 0.5, 0.47, 0.47},  /* horse archers */
    {1.0, 1.0, 1.0, 1.0, 1.0},     /* crossbowmen */
    {1.0, 1.08, 1.08, 1.08, 1.08}, /* spearmen */
    {1.0, 1.0, 1.0, 1.0, 1.0},     /* levies */
    {1.0, 1.0, 1.0, 1.0, 1.0},     /* engineers */
};

/* Dupuy's QJM posture factors (models.md §1.3 [V]). */
static const double default_posture[JS_NPOSTURES] = {1.0, 1.3, 1.5, 1.6, 1.15, 1.2};
/* Defender's terrain factor: plain 1.0, rolling (hills) 1.3, rugged (mountains) 1.5 [V Dupuy];
 * marsh and paddy 1.3 [J]. */
static const double default_terrain_defender[JS_NTERRAINS] = {1.0, 1.3, 1.5, 1.3, 1.3};
/* Pursuit by terrain: 1 on the plain, 0.5 in broken country (models.md §1.4 [J]). */
static const double default_pursuit_terrain[JS_NTERRAINS] = {1.0, 0.5, 0.5, 0.5, 0.5};
/* Disease by season: x2 in summer (models.md §8.3 march_attrition, summer multiplier [J]). */
static const double default_disease_season[JS_NSEASONS] = {1.0, 2.0, 1.0, 1.0};
/* Horse grain: 1 dou (10 sheng) a day from the 10th to the 3rd month, grazing otherwise (Taibai
 * yinjing, models.md §3.2 [V]); spring and autumn straddle the change: half [J]. */
static const double default_horse_grain[JS_NSEASONS] = {5.0, 0.0, 5.0, 10.0};

/* ---------------------------------------------------------------- sections */

/**
 * @brief Reads `battle.engage`.
 * @param r reader
 * @param b the battle section
 * @param e out
 */
static void read_engage(struct js_reader *r, struct js_ynode *b, struct js_engage_params *e)
{
    struct js_cfg *c = r->c;
    struct js_ynode *m = js_cfg_map(c, b, "engage");
    e->threshold = js_cfg_double(c, m, "threshold", 0.6, 0.0, 1.0, "1");
    e->aggression_shift = js_cfg_double(c, m, "aggression_shift", 0.3, 0.0, 1.0, "1");
    e->estimate_sigma = js_cfg_double(c, m, "estimate_sigma", 0.3, 0.0, 3.0, "1");
    e->estimate_gamma = js_cfg_double(c, m, "estimate_gamma", 2.0, 0.1, 10.0, "1");
    e->near_days = js_cfg_double(c, m, "near_days", 1.0, 0.0, 30.0, "days");
}

/**
 * @brief Reads the arm tables of `battle:` (arm_matrix.<attacker>.<target>,
 * arm_terrain.<arm>.<terrain>).
 * @param r reader
 * @param b the battle section
 * @param p out
 */
static void read_arm_tables(struct js_reader *r, struct js_ynode *b, struct js_battle_params *p)
{
    struct js_cfg *c = r->c;
    struct js_ynode *mx = js_cfg_map(c, b, "arm_matrix");
    struct js_ynode *tr = js_cfg_map(c, b, "arm_terrain");
    for (int j = 0; j < JS_NFIGHT; j++) {
        struct js_ynode *row = js_cfg_map(c, mx, js_arm_name(j));
        for (int k = 0; k < JS_NFIGHT; k++)
            p->arm_matrix[j][k] =
                js_cfg_double(c, row, js_arm_name(k), default_arm_matrix[j][k], 0.0, 20.0, "1");
        struct js_ynode *tt = js_cfg_map(c, tr, js_arm_name(j));
        for (int t = 0; t < JS_NTERRAINS; t++)
            p->arm_terrain[j][t] = js_cfg_double(c, tt, js_terrain_name((enum js_terrain)t),
                                                 default_arm_terrain[j][t], 0.0, 10.0, "1");
    }
}

/**
 * @brief Reads the `battle:` section.
 * @param r reader
 */
static void read_battle_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_battle_params *p = &r->sc->params.battle;
    struct js_ynode *b = js_cfg_map(c, r->root, "battle");
    read_engage(r, b, &p->engage);
    p->substeps_per_day = (int)js_cfg_int(c, b, "substeps_per_day", 12, 1, 240, "1/day");
    p->max_days = (int)js_cfg_int(c, b, "max_days", 3, 1, 30, "days");
    p->w = js_cfg_double(c, b, "helmbold_w", 0.15, 0.0, 1.0, "1");
    p->k0 = js_cfg_double(c, b, "k0_per_substep", 0.02, 0.0, 1.0, "1/substep");
    struct js_ynode *sp = js_cfg_map(c, b, "loss_split");
    static const char *const split_keys[3] = {"killed", "wounded", "captured"};
    static const double split_def[3] = {0.35, 0.55, 0.10};
    double sum = 0;
    size_t errors = c->diag->n;
    for (int k = 0; k < 3; k++) {
        p->split[k] = js_cfg_double(c, sp, split_keys[k], split_def[k], 0.0, 1.0, "1");
        sum += p->split[k];
    }
    if (c->diag->n == errors && fabs(sum - 1.0) > 1e-6)
        js_cfg_error(c, sp, "make the three shares add up to 1", "loss shares add up to %g, not 1",
                     sum);
    struct js_ynode *po = js_cfg_map(c, b, "posture");
    for (int k = 0; k < JS_NPOSTURES; k++)
        p->posture[k] =
            js_cfg_double(c, po, js_posture_name(k), default_posture[k], 0.1, 10.0, "1");
    struct js_ynode *td = js_cfg_map(c, b, "terrain_defender");
    struct js_ynode *pt = js_cfg_map(c, b, "pursuit_terrain");
    for (int t = 0; t < JS_NTERRAINS; t++) {
        const char *tn = js_terrain_name((enum js_terrain)t);
        p->terrain_defender[t] =
            js_cfg_double(c, td, tn, default_terrain_defender[t], 0.1, 10.0, "1");
        p->pursuit_terrain[t] = js_cfg_double(c, pt, tn, default_pursuit_terrain[t], 0.0, 5.0, "1");
    }
    p->river_line = js_cfg_double(c, b, "river_line", 1.5, 0.1, 10.0, "1");
    read_arm_tables(r, b, p);
    p->front_men = js_cfg_double(c, b, "front_men", 30000, 1, 1e7, "persons");
    p->theta_a = js_cfg_double(c, b, "break_theta_a", 2.0, 0.1, 100.0, "1");
    p->theta_b = js_cfg_double(c, b, "break_theta_b", 5.0, 0.1, 100.0, "1");
    p->levy_theta = js_cfg_double(c, b, "levy_theta", 0.5, 0.0, 1.0, "1");
    p->flank_ratio = js_cfg_double(c, b, "flank_ratio", 1.5, 1.0, 100.0, "1");
    p->flank_hazard = js_cfg_double(c, b, "flank_hazard", 0.05, 0.0, 1.0, "1/substep");
    p->reserve_share = js_cfg_double(c, b, "reserve_share", 0.2, 0.0, 1.0, "1");
    p->reserve_hazard = js_cfg_double(c, b, "reserve_hazard", 0.05, 0.0, 1.0, "1/substep");
    p->morale_loss = js_cfg_double(c, b, "morale_loss", 0.5, 0.0, 100.0, "1");
    p->quality_skill = js_cfg_double(c, b, "quality_skill", 0.5, 0.0, 1.8, "1");
    p->pursuit_p0 = js_cfg_double(c, b, "pursuit_p0", 0.12, 0.0, 1.0, "1");
    p->pursuit_kappa = js_cfg_double(c, b, "pursuit_kappa", 1.0, 0.0, 100.0, "1");
    p->pursuit_river = js_cfg_double(c, b, "pursuit_river", 0.5, 0.0, 5.0, "1");
    p->pursuit_killed = js_cfg_double(c, b, "pursuit_killed", 0.6, 0.0, 1.0, "1");
    p->pursuit_max = js_cfg_double(c, b, "pursuit_max", 0.9, 0.0, 1.0, "1");
    p->baggage_share = js_cfg_double(c, b, "baggage_share", 0.5, 0.0, 1.0, "1");
    p->escape_p = js_cfg_double(c, b, "escape_p", 0.8, 0.0, 1.0, "1");
    p->morale_defeat = js_cfg_double(c, b, "morale_defeat", 0.3, 0.0, 1.0, "1");
    p->morale_victory = js_cfg_double(c, b, "morale_victory", 0.1, 0.0, 1.0, "1");
}

/**
 * @brief Reads the `supply:` section.
 * @param r reader
 */
static void read_supply_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_supply_params *p = &r->sc->params.supply;
    struct js_ynode *s = js_cfg_map(c, r->root, "supply");
    p->ration_sheng = js_cfg_double(c, s, "ration_sheng", 2.0, 0.0, 100.0, "sheng/person/day");
    p->self_carry_sheng = js_cfg_double(c, s, "self_carry_sheng", 10.0, 0.0, 1000.0, "sheng");
    p->porter_load_sheng = js_cfg_double(c, s, "porter_load_sheng", 60.0, 0.0, 1000.0, "sheng");
    p->porter_return_speed = js_cfg_double(c, s, "porter_return_speed", 1.5, 0.1, 10.0, "1");
    struct js_ynode *hg = js_cfg_map(c, s, "horse_grain_sheng");
    for (int k = 0; k < JS_NSEASONS; k++)
        p->horse_grain_sheng[k] =
            js_cfg_double(c, hg, js_season_name((enum js_season)k), default_horse_grain[k], 0.0,
                          100.0, "sheng/horse/day");
    p->fodder_carry_sheng = js_cfg_double(c, s, "fodder_carry_sheng", 50.0, 0.0, 1000.0, "sheng");
    p->requisition_share = js_cfg_double(c, s, "requisition_share", 0.2, 0.0, 1.0, "1/day");
    p->forage_radius_km = js_cfg_double(c, s, "forage_radius_km", 12.0, 0.0, 500.0, "km");
    p->forage_share = js_cfg_double(c, s, "forage_share", 0.05, 0.0, 1.0, "1/day");
    p->forage_sheng_per_man =
        js_cfg_double(c, s, "forage_sheng_per_man", 10.0, 0.0, 1000.0, "sheng/person/day");
}

/**
 * @brief Reads the attrition keys of `army:`.
 * @param r reader
 * @param a the section
 * @param p out
 */
static void read_attrition(struct js_reader *r, struct js_ynode *a, struct js_army_params *p)
{
    struct js_cfg *c = r->c;
    p->straggle = js_cfg_double(c, a, "straggle_per_day", 0.002, 0.0, 1.0, "1/day");
    p->straggle_forced = js_cfg_double(c, a, "straggle_forced_per_day", 0.01, 0.0, 1.0, "1/day");
    p->desertion = js_cfg_double(c, a, "desertion_per_day", 0.0005, 0.0, 1.0, "1/day");
    p->desertion_hunger = js_cfg_double(c, a, "desertion_hunger", 9.0, 0.0, 1000.0, "1");
    p->desertion_unpaid = js_cfg_double(c, a, "desertion_unpaid", 2.0, 0.0, 1000.0, "1");
    p->desertion_morale = js_cfg_double(c, a, "desertion_morale", 3.0, 0.0, 1000.0, "1");
    p->disease = js_cfg_double(c, a, "disease_per_day", 0.0005, 0.0, 1.0, "1/day");
    struct js_ynode *ds = js_cfg_map(c, a, "disease_season");
    for (int k = 0; k < JS_NSEASONS; k++)
        p->disease_season[k] = js_cfg_double(c, ds, js_season_name((enum js_season)k),
                                             default_disease_season[k], 0.0, 100.0, "1");
    p->disease_crowd_men = js_cfg_double(c, a, "disease_crowd_men", 10000, 1, 1e9, "persons");
    p->disease_crowd_exp = js_cfg_double(c, a, "disease_crowd_exp", 0.3, 0.0, 3.0, "1");
    p->disease_camp = js_cfg_double(c, a, "disease_camp", 1.5, 0.0, 100.0, "1");
    p->home_factor = js_cfg_double(c, a, "home_factor", 0.1, 0.0, 1.0, "1");
    p->starvation_max = js_cfg_double(c, a, "starvation_max_per_day", 0.05, 0.0, 1.0, "1/day");
    p->starvation_reserve = js_cfg_double(c, a, "starvation_reserve_days", 50, 1, 1000, "days");
    p->starvation_exp = js_cfg_double(c, a, "starvation_exponent", 3.0, 0.1, 10.0, "1");
    p->hunger_recovery =
        js_cfg_double(c, a, "hunger_recovery_per_day", 0.5, 0.0, 100.0, "days/day");
    p->wound_recovery = js_cfg_double(c, a, "wound_recovery_per_day", 0.05, 0.0, 1.0, "1/day");
    p->wound_death = js_cfg_double(c, a, "wound_death_per_day", 0.01, 0.0, 1.0, "1/day");
    p->horse_death_unfed =
        js_cfg_double(c, a, "horse_death_unfed_per_day", 0.05, 0.0, 1.0, "1/day");
    p->morale_recovery = js_cfg_double(c, a, "morale_recovery_per_day", 0.02, 0.0, 1.0, "1/day");
    p->morale_hunger = js_cfg_double(c, a, "morale_hunger_per_day", 0.05, 0.0, 1.0, "1/day");
}

/**
 * @brief Reads the `army:` section.
 * @param r reader
 */
static void read_army_section(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_army_params *p = &r->sc->params.army;
    struct js_ynode *a = js_cfg_map(c, r->root, "army");
    p->battle = r->sc->params.battle; /* commanders reckon with the battle section */
    p->forced_march_factor = js_cfg_double(c, a, "forced_march_factor", 1.5, 1.0, 5.0, "1");
    p->column_free_men = js_cfg_double(c, a, "column_free_men", 20000, 0, 1e8, "persons");
    p->column_men_per_km = js_cfg_double(c, a, "column_men_per_km", 4000, 1, 1e7, "persons/km");
    p->fatigue_forced = js_cfg_double(c, a, "fatigue_forced_per_day", 0.1, 0.0, 1.0, "1/day");
    p->fatigue_hunger = js_cfg_double(c, a, "fatigue_hunger_per_day", 0.05, 0.0, 1.0, "1/day");
    p->fatigue_recovery = js_cfg_double(c, a, "fatigue_recovery_per_day", 0.1, 0.0, 1.0, "1/day");
    p->fatigue_max = js_cfg_double(c, a, "fatigue_max", 0.5, 0.0, 0.95, "1");
    p->threat_days = js_cfg_double(c, a, "threat_days", 3.0, 0.01, 365.0, "days");
    p->threat_min = js_cfg_double(c, a, "threat_min", 0.01, 1e-9, 1.0, "1");
    p->contact_km = js_cfg_double(c, a, "contact_km", 5.0, 0.0, 1000.0, "km");
    read_attrition(r, a, p);
    p->disband_below = js_cfg_double(c, a, "disband_below_men", 100, 0, 1e9, "persons");
    p->rout_days = (int32_t)js_cfg_int(c, a, "rout_days", 3, 0, 365, "days");
}

/** @brief A doctrine target while reading: place, priority, declaration order. */
struct doctrine_target {
    int32_t place;
    int64_t priority;
    int32_t order;
};

/** @brief qsort comparator: by priority, then declaration order. */
static int doctrine_cmp(const void *pa, const void *pb)
{
    const struct doctrine_target *a = pa, *b = pb;
    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

/**
 * @brief Reads `doctrine.targets`: a map of place id → priority (1 first).
 * @param r reader
 * @param doc the doctrine map
 * @param out the doctrine
 */
static void read_targets(struct js_reader *r, struct js_ynode *doc, struct js_doctrine *out)
{
    struct js_cfg *c = r->c;
    struct js_ynode *t = js_cfg_map(c, doc, "targets");
    int32_t n = t ? t->nchildren : 0;
    struct doctrine_target *tmp = js_xcalloc((size_t)(n ? n : 1), sizeof(*tmp));
    int32_t k = 0;
    for (struct js_ynode *e = t ? t->first : NULL; e; e = e->next) {
        int64_t prio = js_cfg_int(c, t, e->key, 1, 1, 1000, "1");
        int32_t place = r->places_broken ? -1 : js_idmap_get(&r->place_ids, e->key);
        if (place < 0) {
            char path[512];
            js_ytree_path(e, path, sizeof(path));
            if (!r->places_broken)
                js_diag_add(c->diag, e->file, e->key_line, e->key_col, path,
                            "name a place declared in places, with its priority (1 first)",
                            "doctrine target '%s' is not a place of the scenario", e->key);
            continue;
        }
        tmp[k] = (struct doctrine_target){place, prio, k};
        k++;
    }
    qsort(tmp, (size_t)k, sizeof(*tmp), doctrine_cmp);
    out->ntargets = k;
    out->target = js_xcalloc((size_t)(k ? k : 1), sizeof(int32_t));
    for (int32_t i = 0; i < k; i++)
        out->target[i] = tmp[i].place;
    free(tmp);
}

/**
 * @brief Reads every faction's `doctrine:` (defaults for a faction without one).
 * @param r reader
 */
static void read_doctrines(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_army_params *p = &r->sc->params.army;
    p->n_factions = r->w->factions.n;
    p->doctrine = js_xcalloc((size_t)(p->n_factions ? p->n_factions : 1), sizeof(*p->doctrine));
    int32_t f = 0;
    for (struct js_ynode *e = r->factions ? r->factions->first : NULL; e; e = e->next, f++) {
        struct js_doctrine *d = &p->doctrine[f];
        if (e->type != JS_YMAP) /* reported with the factions */
            continue;
        struct js_ynode *m = js_cfg_map(c, e, "doctrine");
        read_targets(r, m, d);
        d->bypass_walls_above = js_cfg_double(c, m, "bypass_walls_above", 0.5, 0.0, 1.01, "1");
        d->siege_patience_days =
            (int32_t)js_cfg_int(c, m, "siege_patience_days", 30, 0, 3650, "days");
        d->retreat_morale_below = js_cfg_double(c, m, "retreat_morale_below", 0.3, 0.0, 1.0, "1");
        d->retreat_food_days_below =
            js_cfg_double(c, m, "retreat_food_days_below", 3.0, 0.0, 365.0, "days");
        d->retreat_odds_below = js_cfg_double(c, m, "retreat_odds_below", 0.2, 0.0, 1.0, "1");
        d->seek_battle_days = js_cfg_double(c, m, "seek_battle_days", 2.0, 0.0, 365.0, "days");
        d->defend_threat_above = js_cfg_double(c, m, "defend_threat_above", 0.5, 0.0, 1.01, "1");
    }
    for (; f < p->n_factions; f++) /* not reachable: factions are all entries of the map */
        p->doctrine[f].target = js_xcalloc(1, sizeof(int32_t));
}

/**
 * @brief Counts the `raise_army` events and gives each an army slot after the declared armies
 * (its id is the event's id).
 * @param r reader
 * @param n_declared declared armies
 * @return slots in all
 */
static int32_t scan_raise_events(struct js_reader *r, int32_t n_declared)
{
    struct js_ynode *ev = js_ytree_get(r->root, "events");
    int32_t n = n_declared;
    for (struct js_ynode *e = ev && ev->type == JS_YMAP ? ev->first : NULL; e; e = e->next) {
        struct js_ynode *what = e->type == JS_YMAP ? js_ytree_get(e, "do") : NULL;
        if (!what || what->type != JS_YSCALAR || strcmp(what->value, "raise_army") != 0)
            continue;
        if (js_idmap_put(&r->army_ids, e->key, n) >= 0) {
            char path[512];
            js_ytree_path(e, path, sizeof(path));
            js_diag_add(r->c->diag, e->file, e->key_line, e->key_col, path,
                        "give the raised army an id no declared army has",
                        "the army raised by event '%s' has the id of a declared army", e->key);
            continue;
        }
        n++;
    }
    return n;
}

/**
 * @brief Reads an army's `commander:` map into slot @p i.
 * @param r reader
 * @param e the army's (or the raise event's) map
 * @param i slot
 */
static void read_commander(struct js_reader *r, struct js_ynode *e, int32_t i)
{
    struct js_cfg *c = r->c;
    struct js_armies *a = &r->w->armies;
    struct js_ynode *m = js_cfg_map(c, e, "commander");
    a->skill[i] = js_cfg_double(c, m, "skill", 0.5, 0.0, 1.0, "1");
    a->aggression[i] = js_cfg_double(c, m, "aggression", 0.5, 0.0, 1.0, "1");
    a->loyalty[i] = js_cfg_double(c, m, "loyalty", 1.0, 0.0, 1.0, "1");
}

/**
 * @brief Records a value computed from others (as a parameter with source "computed").
 * @param r reader
 * @param e the entity map
 * @param key key
 * @param v value
 * @param unit unit
 * @param how how it was computed
 */
static void record_computed(struct js_reader *r, struct js_ynode *e, const char *key, int64_t v,
                            const char *unit, const char *how)
{
    char path[600], val[32], src[128];
    js_ytree_path(e, path, sizeof(path));
    size_t n = strlen(path);
    snprintf(path + n, sizeof(path) - n, ".%s", key);
    snprintf(val, sizeof(val), "%lld", (long long)v);
    snprintf(src, sizeof(src), "computed: %s", how);
    js_cfg_record(r->c, path, val, unit, src);
}

/**
 * @brief Reads an army's initial order (`order`, `target`, `escort`, `forced_march`).
 * @param r reader
 * @param e the army's map
 * @param i slot
 */
static void read_initial_order(struct js_reader *r, struct js_ynode *e, int32_t i)
{
    struct js_cfg *c = r->c;
    struct js_armies *a = &r->w->armies;
    const char *names[JS_NORDERS];
    for (int k = 0; k < JS_NORDERS; k++)
        names[k] = js_order_name(k);
    int o = js_cfg_enum(c, e, "order", names, JS_NORDERS, JS_ORDER_NONE);
    bool needs_place = o == JS_ORDER_MARCH_TO || o == JS_ORDER_BESIEGE || o == JS_ORDER_RAID ||
                       o == JS_ORDER_RETREAT_TO;
    a->order[i] = (uint8_t)o;
    a->order_place[i] = js_reader_ref(r, e, "target", "places", needs_place);
    a->order_army[i] = -1;
    if (o == JS_ORDER_ESCORT || js_ytree_get(e, "escort"))
        a->order_army[i] =
            js_cfg_ref(c, e, "escort", &r->army_ids, "army", "armies", o == JS_ORDER_ESCORT);
    a->order_forced[i] = (uint8_t)js_cfg_bool(c, e, "forced_march", false);
}

/**
 * @brief Reads one declared army into slot @p i.
 * @param r reader
 * @param e its map
 * @param i slot
 */
static void read_army(struct js_reader *r, struct js_ynode *e, int32_t i)
{
    struct js_cfg *c = r->c;
    struct js_armies *a = &r->w->armies;
    const struct js_supply_params *sp = &r->sc->params.supply;
    a->id[i] = js_xstrdup(e->key);
    a->name[i] = js_xstrdup(js_cfg_string(c, e, "name", e->key));
    a->owner[i] = js_reader_ref(r, e, "owner", "factions", true);
    int32_t at = js_reader_ref(r, e, "at", "places", true);
    a->place[i] = at < 0 ? 0 : at;
    int32_t base = js_ytree_get(e, "base") ? js_reader_ref(r, e, "base", "places", true) : at;
    a->base[i] = base < 0 ? a->place[i] : base;
    read_commander(r, e, i);
    struct js_ynode *co = js_cfg_map(c, e, "cohorts");
    for (int k = 0; k < JS_NARMS; k++)
        a->fit[(size_t)i * JS_NARMS + (size_t)k] =
            js_cfg_int(c, co, js_arm_name(k), 0, 0, 10000000, "persons");
    int64_t mounted = js_army_mounted(a, i);
    if (js_ytree_get(e, "horses"))
        a->horses[i] = js_cfg_int(c, e, "horses", 0, 0, 100000000, "head");
    else {
        a->horses[i] = mounted;
        record_computed(r, e, "horses", mounted, "head", "one per mounted man");
    }
    int64_t cap = js_supply_capacity(a, i, sp);
    if (js_ytree_get(e, "food_sheng"))
        a->food[i] = js_cfg_int(c, e, "food_sheng", 0, 0, INT64_C(1) << 50, "sheng");
    else {
        a->food[i] = cap;
        record_computed(r, e, "food_sheng", cap, "sheng", "full loads (soldiers and porters)");
    }
    int64_t fod = llround(sp->fodder_carry_sheng * (double)a->horses[i]);
    if (js_ytree_get(e, "fodder_sheng"))
        a->fodder[i] = js_cfg_int(c, e, "fodder_sheng", 0, 0, INT64_C(1) << 50, "sheng");
    else {
        a->fodder[i] = fod;
        record_computed(r, e, "fodder_sheng", fod, "sheng", "supply.fodder_carry_sheng x horses");
    }
    a->morale[i] = js_cfg_double(c, e, "morale", 1.0, 0.0, 1.0, "1");
    a->unpaid_days[i] = (int32_t)js_cfg_int(c, e, "unpaid_days", 0, 0, 100000, "days");
    read_initial_order(r, e, i);
    a->active[i] = 1;
    a->state[i] = JS_ARMY_HOLDING;
    a->strength0[i] = js_army_strength(a, i);
    int64_t need = js_supply_daily_need(a, i, sp);
    a->food_days[i] = need > 0 ? (double)a->food[i] / (double)need : 0.0;
}

/**
 * @brief Collects the declared armies' ids (a map keyed by id; each entry a map).
 * @param r reader
 * @param sec the armies map (may be NULL)
 * @return declared armies
 */
static int32_t collect_armies(struct js_reader *r, struct js_ynode *sec)
{
    struct js_cfg *c = r->c;
    int32_t n = 0;
    struct js_ynode *next;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = next) {
        next = e->next;
        e->used = true;
        if (!js_cfg_entity_exists(c, e, "army")) {
            js_ytree_mark_used(e);
            js_ytree_remove(sec, e);
            continue;
        }
        char path[512];
        js_ytree_path(e, path, sizeof(path));
        if (!js_cfg_valid_id(e->key))
            js_diag_add(c->diag, e->file, e->key_line, e->key_col, path,
                        "ids use letters, digits, '_' and '-', and start with a letter or digit",
                        "'%s' is not a valid army id", e->key);
        if (e->type != JS_YMAP) {
            js_cfg_error(c, e, "write the army's attributes as an indented map",
                         "expected a map of army attributes, got %s",
                         e->type == JS_YSEQ ? "a list" : "a single value");
            js_ytree_mark_used(e);
        }
        js_idmap_put(&r->army_ids, e->key, n++);
    }
    return n;
}

void js_reader_read_armies(struct js_reader *r)
{
    struct js_cfg *c = r->c;
    struct js_world *w = r->w;
    read_supply_section(r);
    read_battle_section(r);
    read_army_section(r);
    read_doctrines(r);
    struct js_ynode *sec = js_cfg_map(c, r->root, "armies");
    js_idmap_init(&r->army_ids, sec ? (size_t)sec->nchildren : 0);
    int32_t nd = collect_armies(r, sec);
    int32_t n = scan_raise_events(r, nd);
    js_armies_alloc(&w->armies, n, nd, w->places.n, w->routes.n);
    js_armies_init_terrain(&w->armies, &w->routes);
    int32_t i = 0;
    for (struct js_ynode *e = sec ? sec->first : NULL; e; e = e->next, i++) {
        if (e->type == JS_YMAP)
            read_army(r, e, i);
        else
            w->armies.id[i] = js_xstrdup(e->key);
    }
}

/**
 * @brief Reads an `order` event: army, order, target, escort, forced_march, text.
 * @param r reader
 * @param e the event's map
 * @param ev the event
 */
static void read_order_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    struct js_cfg *c = r->c;
    const char *names[JS_NORDERS];
    for (int k = 0; k < JS_NORDERS; k++)
        names[k] = js_order_name(k);
    ev->army = js_cfg_ref(c, e, "army", &r->army_ids, "army", "armies", true);
    int o = js_cfg_enum(c, e, "order", names, JS_NORDERS, -1);
    bool needs_place = o == JS_ORDER_MARCH_TO || o == JS_ORDER_BESIEGE || o == JS_ORDER_RAID ||
                       o == JS_ORDER_RETREAT_TO;
    ev->target = js_reader_ref(r, e, "target", "places", needs_place);
    ev->value[0] = o < 0 ? 0 : o;
    ev->value[1] = js_cfg_bool(c, e, "forced_march", false) ? 1 : 0;
    ev->value[2] = -1;
    if (o == JS_ORDER_ESCORT || js_ytree_get(e, "escort"))
        ev->value[2] =
            js_cfg_ref(c, e, "escort", &r->army_ids, "army", "armies", o == JS_ORDER_ESCORT);
    js_reader_event_text(r, e, ev->text, false);
}

/**
 * @brief Reads a `raise_army` event: place, faction, men, arm, commander, base, name, text. The
 * army's static data go to its slot now; the event raises it on its day.
 * @param r reader
 * @param e the event's map
 * @param ev the event
 */
static void read_raise_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    struct js_cfg *c = r->c;
    struct js_armies *a = &r->w->armies;
    const char *arms[JS_NARMS];
    for (int k = 0; k < JS_NARMS; k++)
        arms[k] = js_arm_name(k);
    int32_t i = js_idmap_get(&r->army_ids, e->key);
    ev->army = i;
    ev->place = js_reader_ref(r, e, "place", "places", true);
    ev->faction = js_reader_ref(r, e, "faction", "factions", true);
    ev->value[0] = (double)js_cfg_int_req(c, e, "men", 1, 10000000, "persons");
    ev->value[1] = js_cfg_enum(c, e, "arm", arms, JS_NARMS, JS_ARM_LEVIES);
    ev->value[2] = r->sc->params.supply.self_carry_sheng;
    ev->value[3] = r->sc->params.supply.ration_sheng;
    js_reader_event_text(r, e, ev->text, false);
    if (i < a->n_declared || i >= a->n) /* the id clash was reported */
        return;
    a->id[i] = js_xstrdup(e->key);
    a->name[i] = js_xstrdup(js_cfg_string(c, e, "name", e->key));
    a->owner[i] = ev->faction;
    a->base[i] = js_ytree_get(e, "base") ? js_reader_ref(r, e, "base", "places", true) : ev->place;
    if (a->base[i] < 0)
        a->base[i] = ev->place < 0 ? 0 : ev->place;
    read_commander(r, e, i);
}

void js_reader_army_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev)
{
    if (ev->what == JS_DO_ORDER)
        read_order_event(r, e, ev);
    else
        read_raise_event(r, e, ev);
}
