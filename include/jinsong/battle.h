/**
 * @file battle.h
 * @brief Battles (phase 5): the engagement decision, the stochastic Helmbold kernel with
 * breakpoints and pursuit, and the phase that resolves the day's contacts.
 *
 * Kernel (models.md §1 and §8.2 step 5): in sub-steps of 1/substeps_per_day day, each fit man
 * of arm c on side i is lost with probability 1 - exp(-λ_ic),
 *
 *     λ_ic = k0 · (E_o/E_i)^W · Σ_j m_oj · α_jc · τ_j(terrain) · Q_o · (½ + ½ M_o) / Post_i ·
 * E_i/N_i
 *
 * (E engaged men, capped by the front; m_oj the enemy's share of arm j; α the arm matrix; τ the
 * attacker arm's terrain factor; Q quality; M morale; Post the posture and, for a defender,
 * terrain and river multipliers), split killed / wounded / captured by a multinomial draw. A
 * side breaks when its loss fraction passes θ ~ Beta(a, b) × posture × (1 − ½ levy share), or
 * on a flank hazard (outnumbered by flank_ratio) or a reserve hazard (losses beyond the reserve
 * share). The loser routs and loses Binomial(N, p0 (1 + κ C_w / N_l) · terrain) men more to the
 * pursuit (C_w the winner's fit cavalry).
 */
#ifndef JS_BATTLE_H
#define JS_BATTLE_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* GSL */
#include <gsl/gsl_rng.h>

/* local headers */
#include "jinsong/world.h"

/** @brief How commanders judge a fight (shared by army decisions and the battle phase). */
struct js_engage_params {
    double threshold;        /**< attack when the estimated chance of winning reaches this */
    double aggression_shift; /**< threshold - shift x (aggression - 0.5) */
    double estimate_sigma;   /**< log-normal error of the enemy's strength for skill 0 */
    double estimate_gamma;   /**< P(win) = 1 / (1 + (enemy power / own power)^gamma) */
    double near_days;        /**< enemies within this many days' march are weighed */
};

/** @brief Postures (Dupuy's QJM). Add, never renumber. */
enum js_posture {
    JS_POSTURE_ATTACK = 0,
    JS_POSTURE_HASTY,      /**< hasty defence: caught while marching or just arrived */
    JS_POSTURE_PREPARED,   /**< prepared defence: held the ground a day or more */
    JS_POSTURE_FORTIFIED,  /**< fortified defence */
    JS_POSTURE_WITHDRAWAL, /**< caught while refusing battle */
    JS_POSTURE_DELAY,      /**< delaying action */
    JS_NPOSTURES
};

/** @brief Battle parameters (scenario section `battle:`). */
struct js_battle_params {
    struct js_engage_params engage; /**< how commanders judge a fight */
    int substeps_per_day;           /**< sub-steps of a battle day */
    int max_days;                   /**< a battle with no break after this many days is drawn */
    double w;                       /**< Helmbold exponent W */
    double k0;                      /**< base hazard per sub-step */
    double split[3];                /**< killed, wounded, captured shares of losses */
    double posture[JS_NPOSTURES];   /**< posture multipliers */
    double terrain_defender[JS_NTERRAINS]; /**< defender's terrain multiplier */
    double river_line;                     /**< defender's multiplier behind a river (crossings) */
    double arm_matrix[JS_NFIGHT][JS_NFIGHT]; /**< effectiveness of arm j against arm c (plain) */
    double arm_terrain[JS_NFIGHT][JS_NTERRAINS]; /**< attacker arm's factor by terrain */
    double front_men;                            /**< most men engaged at once per side */
    double theta_a, theta_b;                     /**< break threshold ~ Beta(a, b) */
    double levy_theta;                           /**< θ x (1 - levy_theta x levy share) */
    double flank_ratio;                          /**< outnumbered by this: flanked */
    double flank_hazard;                         /**< break hazard per sub-step while flanked */
    double reserve_share;                        /**< share of a side held in reserve */
    double reserve_hazard;                /**< break hazard per sub-step once reserves are spent */
    double morale_loss;                   /**< morale lost per unit of loss fraction */
    double quality_skill;                 /**< Q = 1 + quality_skill x (skill - 0.5) */
    double pursuit_p0;                    /**< base pursuit loss probability */
    double pursuit_kappa;                 /**< x (1 + kappa x winner's cavalry / loser's men) */
    double pursuit_terrain[JS_NTERRAINS]; /**< pursuit multiplier by terrain */
    double pursuit_river;                 /**< pursuit multiplier across a river */
    double pursuit_killed;                /**< killed share of pursuit losses (the rest captured) */
    double pursuit_max;                   /**< cap of the pursuit probability */
    double baggage_share;                 /**< share of the loser's food, fodder and spare horses
                                               the winner takes */
    double escape_p;                      /**< chance that an army refusing battle gets away (at
                                               equal speed) */
    double morale_defeat;                 /**< morale lost by the loser */
    double morale_victory;                /**< morale gained by the winner */
};

/** @brief One side of a battle, as the kernel sees it. */
struct js_battle_side {
    int64_t fit[JS_NFIGHT]; /**< fit men by fighting arm */
    int posture;            /**< enum js_posture */
    bool defender;          /**< gets the terrain (and river) multiplier */
    double morale;          /**< 0..1 */
    double skill;           /**< commander's skill 0..1 */
    bool sheltered;         /**< can fall back behind its own walls: no pursuit if it loses */
};

/** @brief What a battle did to both sides. */
struct js_battle_outcome {
    int64_t killed[2][JS_NFIGHT];   /**< killed by side and arm (pursuit included) */
    int64_t wounded[2][JS_NFIGHT];  /**< wounded */
    int64_t captured[2][JS_NFIGHT]; /**< captured (pursuit included) */
    int64_t before[2];              /**< fit men before */
    int64_t after[2];               /**< fit men after */
    int winner;                     /**< 0 or 1, or -1 when drawn */
    int substeps;                   /**< sub-steps fought */
    double loss_fraction[2];        /**< (killed + wounded + captured) / before */
};

/** @brief Purposes of the battle module's random streams. Add, never renumber. */
enum js_battle_purpose {
    JS_BATTLE_P_KERNEL = 1, /**< the fight itself (stream of the battle) */
    JS_BATTLE_P_ESCAPE = 2, /**< an army refusing battle tries to get away */
    JS_BATTLE_P_ENGAGE = 3, /**< a commander decides whether to fight */
};

/**
 * @brief The battle kernel: fights two sides until one breaks (or max_days pass), then the
 * pursuit. Touches nothing but @p out and the generator.
 * @param s the two sides
 * @param terrain terrain of the field
 * @param river true when the defender holds a river line
 * @param p parameters
 * @param r generator
 * @param out the outcome
 */
void js_battle_fight(const struct js_battle_side s[2], enum js_terrain terrain, bool river,
                     const struct js_battle_params *p, gsl_rng *r, struct js_battle_outcome *out);

/**
 * @brief Combat power of one side against another's mix of arms: Σ_c n_c Σ_j m_oj α_cj τ_c.
 * @param own fit men of the side by arm
 * @param enemy fit men of the enemy by arm
 * @param terrain terrain
 * @param p parameters
 */
double js_battle_power(const int64_t own[JS_NFIGHT], const int64_t enemy[JS_NFIGHT],
                       enum js_terrain terrain, const struct js_battle_params *p);

/**
 * @brief The estimated chance of winning: 1 / (1 + (enemy / own)^gamma), with powers already
 * multiplied by posture and quality.
 * @param own own power
 * @param enemy enemy power
 * @param e engagement parameters
 */
double js_battle_odds(double own, double enemy, const struct js_engage_params *e);

/**
 * @brief A commander's decision to fight: his estimate of the odds (true odds with a
 * log-normal error shrinking with skill) against a threshold lowered by aggression.
 * @param own own power
 * @param enemy enemy power
 * @param skill commander's skill
 * @param aggression commander's aggression
 * @param e engagement parameters
 * @param r generator (one gaussian draw)
 * @return true to fight
 */
bool js_battle_wants_fight(double own, double enemy, double skill, double aggression,
                           const struct js_engage_params *e, gsl_rng *r);

/**
 * @brief Phase 5: every group of hostile armies in contact fights or refuses (places, then
 * routes, in id order); losses through the ledger; a BATTLE row in /events per battle.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_battle_resolve(struct js_world *w, const struct js_day *d,
                       const struct js_battle_params *p);

/** @brief Name of a posture ("attack", ...). */
const char *js_posture_name(int posture);

#endif /* JS_BATTLE_H */
