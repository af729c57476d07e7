/**
 * @file siege.h
 * @brief Sieges of walled cities (phase 6, between battles and supply): blockade, rations and
 * hunger, epidemics, bombardment, engineering and breach, sorties, assaults, desertion, the
 * besieger's own supply and disease, and the endings (storm and sack, surrender, ransom, relief,
 * the besieger giving up); captives marched off after a sack.
 *
 * A siege starts where an army stands before a walled place held by another faction (army state
 * JS_ARMY_BESIEGING) and no siege is under way there. The garrison is every army of the holder
 * at the place: its men stay in the armies table, are fed from the city's stores (supply leaves
 * shut-in armies alone) and suffer the siege's hunger, epidemics, bombardment and assaults. The
 * civilians inside are the place's people by class times `people.inside_share` (the townsfolk
 * and a share of the countryside who fled inside); they stay in places.pop. At the start the
 * private grain of the people inside and the whole state granary of the place are shut in;
 * while the siege lasts, grain outside the walls comes in only through the gates the blockade
 * leaves open (land gates by the besiegers' men per km of circuit, river gates unless the
 * besieger holds every place the city's rivers lead to). Model equations: docs/MODEL.md, "Sieges".
 */
#ifndef JS_SIEGE_H
#define JS_SIEGE_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/events.h"
#include "jinsong/supply.h"
#include "jinsong/world.h"

/** @brief Kinds of siege engine (Wujing zongyao, models.md §2.3). Add, never renumber. */
enum js_siege_engine {
    JS_ENGINE_SINGLE_POLE = 0, /**< single-pole traction trebuchet (~40 pullers, ~2 jin shot) */
    JS_ENGINE_SEVEN_POLE,      /**< seven-pole traction trebuchet (~250 pullers, ~90 jin shot) */
    JS_ENGINE_COUNTERWEIGHT,   /**< counterweight trebuchet (built only with the technology) */
    JS_NENGINES
};

/** @brief Technologies a faction may have from a date. Add, never renumber. */
enum js_siege_tech {
    JS_TECH_FIRE_LANCE = 0, /**< the fire lance (first recorded at De'an, 1132) */
    JS_TECH_INCENDIARY,     /**< incendiary and explosive projectiles (huopao, thunderclap bombs) */
    JS_TECH_COUNTERWEIGHT,  /**< counterweight trebuchets that breach walls */
    JS_NTECHS
};

/** @brief One kind of siege engine. */
struct js_siege_engine_params {
    double crew;   /**< pullers and crew per engine, persons */
    double kills;  /**< defenders killed on the walls per engine and day */
    double damage; /**< parapet integrity destroyed per engine and day */
    double share;  /**< share of the besiegers' pullers that work engines of this kind */
};

/** @brief People, rations and hunger (siege.people). */
struct js_siege_people_params {
    double inside_share[JS_NCLASSES]; /**< share of each class inside the walls */
    double ration_civilian;           /**< civilians' full ration, sheng/person/day */
    double full_above_days;           /**< full rations while the stores last this many days */
    double reduced;                   /**< ration issued below that, share of a full ration */
    double reserve_days;              /**< nutrition reserve of a fed person, full-ration days */
    double reserve_recovery;          /**< reserve regained per fully fed day */
    double starvation_max;            /**< death hazard with the reserve gone, 1/day */
    double starvation_exp;            /**< h = max (1 - D/Dmax)^exp */
    double gate_days;                 /**< days of need the open gates pass a day */
    double stock_days;                /**< grain is brought in up to this many days of need */
    double blockade_men_per_km;       /**< besiegers' fighting men per km of circuit to close the
                                           land gates */
    double militia_share;             /**< share of the civilians inside who man the walls */
};

/** @brief Walls and assaults (siege.assault). */
struct js_siege_assault_params {
    double wall_factor;      /**< defenders' multiplier behind walls of strength 1, one layer */
    double layer_bonus;      /**< + this share of the wall's effect per layer beyond the first */
    double moat_bonus;       /**< + this share with a moat */
    double parapet_floor;    /**< share of the wall's effect left with the parapets destroyed */
    double breach_keep;      /**< share of the wall's effect left after a breach */
    double quality_skill;    /**< quality = 1 + this x (commander's skill - 0.5) */
    double a0, a1, a_breach; /**< P(storm) = logistic(a0 + a1 ln(ratio) + a_breach x breach) */
    double share;            /**< share of the besiegers' fighting men in an assault */
    double threshold;        /**< a commander assaults when he reckons P(storm) at least this */
    double aggression_shift; /**< threshold - shift x (aggression - 0.5) */
    double estimate_sigma;   /**< s.d. of his logit estimate for skill 0 (x (1 - skill)) */
    int32_t interval_days;   /**< days between assaults (rest, new ladders) */
    double loss_failed;      /**< share of the assaulting men lost in a repulse */
    double loss_success;     /**< share lost in a successful storm */
    double killed_share;     /**< killed share of assault losses (the rest wounded) */
    double defender_loss;    /**< share of the defenders lost in an assault */
    double morale_loss;      /**< besiegers' morale lost per repulse */
    double resolve_gain;     /**< city's resolve gained per repulse */
};

/** @brief Engines and engineering (siege.engines). */
struct js_siege_engines_params {
    struct js_siege_engine_params engine[JS_NENGINES]; /**< by kind */
    double puller_share;     /**< share of levies and porters pulling engines and digging */
    int32_t build_days;      /**< days before the engines shoot */
    double kill_max;         /**< largest daily share of the defenders engines kill */
    double repair;           /**< parapet integrity repaired per day while defenders hold */
    double breach_below;     /**< counterweight engines breach parapets below this integrity */
    double progress_per_day; /**< progress of saps and ramps a day with unlimited labour */
    double labour_half;      /**< labourers giving half that rate */
};

/** @brief Sorties and desertion (siege.sorties). */
struct js_siege_sortie_params {
    double per_day;          /**< chance of a sortie a day for a commander of aggression 0.5 */
    double share;            /**< share of the garrison's fighting men in a sortie */
    double kill;             /**< besiegers killed per man of the sortie */
    double loss;             /**< share of the sortie party lost */
    double progress;         /**< engineering progress undone per sortie */
    double morale;           /**< besiegers' morale lost per sortie */
    double desertion;        /**< base daily desertion hazard in a siege (both sides) */
    double desertion_hunger; /**< garrison: x (1 + this x unfed share) */
    double desertion_morale; /**< besiegers: x (1 + this x (1 - morale)) */
};

/** @brief Resolve, surrender and relief (siege.surrender). */
struct js_siege_surrender_params {
    double base;             /**< daily hazard c0 */
    double starving;         /**< + this x (1 - reserve / reserve_days) */
    double no_relief;        /**< + this without a relief army near */
    double terms;            /**< + this while terms offered are fresh */
    double fear;             /**< x (1 - fear) when the besieger has sacked a city before */
    double resolve_k;        /**< x (1 + resolve_k x (1 - resolve)) */
    double resolve_hunger;   /**< resolve lost per unfed day (share of a ration) */
    double resolve_deaths;   /**< resolve lost per share of the civilians dying */
    double resolve_recovery; /**< share of the gap to the commander's loyalty regained a day */
    double relief_days;      /**< a friendly army within this many days' march is relief */
    double relief_ratio;     /**< ... if it has at least this share of the besiegers' men */
};

/** @brief The besieger giving up (siege.lift). */
struct js_siege_lift_params {
    double give_up_per_day; /**< base daily hazard (money, service time, season run out) */
    double hunger_days;     /**< lifts when its men's hunger reaches this (ration-days) */
    double strength_share;  /**< lifts when its fighting men fall below this share */
    double sick_share;      /**< lifts when this share of its men is sick */
};

/** @brief Terms and ransom (siege.terms). */
struct js_siege_terms_params {
    double horizon_days;   /**< how long a besieger of full morale reckons to stay */
    double scale_days;     /**< spread of P(starved out) around the horizon */
    double accept;         /**< a city pays when its chance of falling reaches this */
    double share;          /**< share of the city's wealth demanded */
    double min_per_man;    /**< not worth demanding below this many taels per besieger */
    double gold_in_silver; /**< taels of silver per tael of gold */
    double silk_in_silver; /**< taels of silver per bolt of silk */
    double horses_share;   /**< share of the garrison's horses demanded */
    int32_t after_days;    /**< days of siege before terms are demanded */
    int32_t retry_days;    /**< days before terms refused are demanded again */
    int32_t transit_days;  /**< days for the ransom to reach the besieger's treasury */
};

/** @brief Epidemics (siege.epidemic). */
struct js_siege_epidemic_params {
    double r0;                  /**< R0 at the reference density */
    double infectious_days;     /**< days infectious */
    double crowd_exp;           /**< x (density / reference)^exp */
    double density_ref;         /**< reference density inside walls, persons/km2 */
    double camp_ref;            /**< reference size of a besiegers' camp, persons */
    double season[JS_NSEASONS]; /**< multiplier by season */
    double cfr;                 /**< share of the sick who die */
    double hunger;              /**< x (1 + this x (1 - reserve / reserve_days)) */
    double import;              /**< daily chance a susceptible catches it from outside */
};

/** @brief Sack and captives (siege.sack). */
struct js_siege_sack_params {
    double civilians_killed;   /**< share of the civilians inside killed */
    double garrison_killed;    /**< share of the garrison killed (the rest taken prisoner) */
    double loot_share;         /**< share of the city's private wealth carried off */
    double treasury_share;     /**< share of the treasury carried off when the city is a capital */
    double captives;           /**< share of the surviving civilians carried off */
    double devastation;        /**< share of the next harvest destroyed */
    int32_t threat_days;       /**< days the sack spreads danger around the place */
    double captive_death;      /**< captives' death hazard on the road, 1/day */
    double captive_km_per_day; /**< pace of a captives' column */
};

/** @brief Technology effects (siege.technology). */
struct js_siege_tech_params {
    double fire_lance_sortie;  /**< sorties x this with fire lances */
    double fire_lance_defence; /**< defenders x this in assaults with fire lances */
    double incendiary_bombard; /**< engines x this with incendiary projectiles */
    double incendiary_defence; /**< defenders x this in assaults with incendiaries */
};

/** @brief Siege parameters (scenario section `siege:` and `factions.<id>.siege`). */
struct js_siege_params {
    struct js_supply_params supply;             /**< copy of supply: soldiers' rations, horses */
    struct js_siege_people_params people;       /**< people, rations, hunger, blockade */
    struct js_siege_assault_params assault;     /**< walls and assaults */
    struct js_siege_engines_params engines;     /**< engines, parapets, saps */
    struct js_siege_sortie_params sortie;       /**< sorties, desertion */
    struct js_siege_surrender_params surrender; /**< resolve, surrender, relief */
    struct js_siege_lift_params lift;           /**< the besieger giving up */
    struct js_siege_terms_params terms;         /**< ransom */
    struct js_siege_epidemic_params epidemic;   /**< epidemics */
    struct js_siege_sack_params sack;           /**< sack, captives */
    struct js_siege_tech_params tech;           /**< technology effects */
    int32_t n_factions;                         /**< factions */
    double *terms_preference;                   /**< [n_factions] 0 never asks terms, 1 always */
    double *accept;    /**< [n_factions] the capital (the court) pays when its chance of falling
                          reaches this, at the start (sieges.court_accept thereafter) */
    int32_t *tech_day; /**< [n_factions * JS_NTECHS] first day a technology is had (may be < 0),
                            INT32_MAX for never */
};

/** @brief Purposes of the siege module's random streams. Add, never renumber. */
enum js_siege_purpose {
    JS_SIEGE_P_HUNGER = 1,    /**< starvation deaths of the civilians */
    JS_SIEGE_P_EPIDEMIC = 2,  /**< epidemic transitions */
    JS_SIEGE_P_BOMBARD = 3,   /**< defenders killed by engines */
    JS_SIEGE_P_SORTIE = 4,    /**< sorties */
    JS_SIEGE_P_ASSAULT = 5,   /**< the assault decision and its outcome */
    JS_SIEGE_P_SURRENDER = 6, /**< surrender */
    JS_SIEGE_P_DESERTION = 7, /**< desertion */
    JS_SIEGE_P_SACK = 8,      /**< the sack */
    JS_SIEGE_P_LIFT = 9,      /**< the besieger giving up */
    JS_SIEGE_P_CAPTIVES = 10, /**< captives dying on the road (stream of the convoy) */
};

/**
 * @brief Phase 6: sieges end (no besieger left, the place changed hands), start (armies
 * standing before hostile walls), and every active one runs a day; captives march; places.threat
 * is 1 at besieged places and around recent sacks. Serial, in slot order.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_siege_step(struct js_world *w, const struct js_day *d, const struct js_siege_params *p);

/**
 * @brief Applies a scripted `court_policy` event: the faction's court will pay a ransom for its
 * capital when the capital's chance of falling reaches the event's value (sieges.court_accept).
 * A decision of a court (to pay whatever the odds, or to hold out), never an outcome. Serial.
 * @param w the world
 * @param e the event (faction, value[0] = the new acceptance)
 * @param row its /events row (filled: a NOTE, faction_a, value = new and previous acceptance)
 */
void js_siege_court_policy(struct js_world *w, const struct js_script_event *e,
                           struct js_event_row *row);

/**
 * @brief The defenders' multiplier of a siege's walls today: 1 + (wall_factor − 1) · strength ·
 * (1 + layer_bonus (layers − 1)) · (1 + moat_bonus · moat), its excess over 1 scaled by the
 * parapets (floor + (1 − floor) · integrity) and by breach_keep after a breach.
 * @param w the world
 * @param slot siege slot
 * @param p parameters
 */
double js_siege_wall_factor(const struct js_world *w, int32_t slot,
                            const struct js_siege_params *p);

/**
 * @brief The chance that an assault storms the walls:
 * logistic(a0 + a1 · ln(attackers / (defenders · wall factor)) + a_breach · breach).
 * @param attackers assaulting men (quality included)
 * @param defenders defending men (quality and technology included)
 * @param wall the wall factor
 * @param breach a breach is open
 * @param p assault parameters
 */
double js_siege_storm_odds(double attackers, double defenders, double wall, bool breach,
                           const struct js_siege_assault_params *p);

/**
 * @brief The daily starvation hazard of a person with nutrition reserve @p reserve:
 * h_max · (1 − reserve / reserve_days)^k.
 * @param reserve full-ration days of reserve left
 * @param p people parameters
 */
double js_siege_starvation_hazard(double reserve, const struct js_siege_people_params *p);

/**
 * @brief The chance that a besieged city falls within the besieger's horizon, as both sides
 * reckon it: starved out (its food and reserve last T days against a horizon H: logistic
 * ((H − T) / scale)) or stormed (@p stormed: the chance of a storm within the horizon).
 * @param days_left days the city's food and reserve last
 * @param horizon the besieger's horizon, days
 * @param stormed chance of a storm within the horizon
 * @param p parameters
 */
double js_siege_fall_odds(double days_left, double horizon, double stormed,
                          const struct js_siege_params *p);

/**
 * @brief True if a faction has a technology on a day.
 * @param p parameters
 * @param faction faction id (-1: none)
 * @param tech enum js_siege_tech
 * @param day day index
 */
bool js_siege_has_tech(const struct js_siege_params *p, int32_t faction, int tech, int32_t day);

/**
 * @brief Frees the per-faction arrays.
 * @param p parameters
 */
void js_siege_params_free(struct js_siege_params *p);

/** @brief Name of an engine kind ("single_pole", ...). */
const char *js_siege_engine_name(int e);
/** @brief Name of a technology ("fire_lance", ...). */
const char *js_siege_tech_name(int t);

#endif /* JS_SIEGE_H */
