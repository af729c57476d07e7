/**
 * @file battle.c
 * @brief The battle kernel (stochastic Helmbold attrition in sub-steps, breakpoints, pursuit)
 * and the commanders' reckoning of a fight.
 */

/* system headers */
#include <math.h>
#include <string.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "jinsong/battle.h"
#include "jinsong/log.h"

const char *js_posture_name(int posture)
{
    static const char *names[JS_NPOSTURES] = {"attack",    "hasty",      "prepared",
                                              "fortified", "withdrawal", "delay"};
    return (unsigned)posture < JS_NPOSTURES ? names[posture] : "?";
}

/**
 * @brief Sum of a side's men.
 * @param n men by arm
 */
static int64_t battle_sum(const int64_t n[JS_NFIGHT])
{
    int64_t s = 0;
    for (int k = 0; k < JS_NFIGHT; k++)
        s += n[k];
    return s;
}

double js_battle_power(const int64_t own[JS_NFIGHT], const int64_t enemy[JS_NFIGHT],
                       enum js_terrain terrain, const struct js_battle_params *p)
{
    int64_t ne = battle_sum(enemy);
    double power = 0;
    for (int c = 0; c < JS_NFIGHT; c++) {
        if (own[c] == 0)
            continue;
        double eff = 0;
        for (int j = 0; j < JS_NFIGHT; j++)
            eff += ne > 0 ? (double)enemy[j] / (double)ne * p->arm_matrix[c][j]
                          : p->arm_matrix[c][j] / JS_NFIGHT;
        power += (double)own[c] * eff * p->arm_terrain[c][terrain];
    }
    return power;
}

double js_battle_odds(double own, double enemy, const struct js_engage_params *e)
{
    if (own <= 0)
        return 0.0;
    if (enemy <= 0)
        return 1.0;
    return 1.0 / (1.0 + pow(enemy / own, e->estimate_gamma));
}

bool js_battle_wants_fight(double own, double enemy, double skill, double aggression,
                           const struct js_engage_params *e, gsl_rng *r)
{
    double err = gsl_ran_gaussian(r, e->estimate_sigma * (1.0 - skill));
    double odds = js_battle_odds(own, enemy * exp(err), e);
    return odds >= e->threshold - e->aggression_shift * (aggression - 0.5);
}

/** @brief The state of one side during the fight. */
struct battle_state {
    int64_t n[JS_NFIGHT];      /**< fit men left by arm */
    int64_t n0_arm[JS_NFIGHT]; /**< fit men by arm at the start */
    int64_t n0;                /**< fit men at the start */
    int64_t lost;              /**< men lost so far */
    double post;               /**< posture (and terrain, river) multiplier */
    double quality;            /**< Q */
    double morale;             /**< M */
    double theta;              /**< break threshold (loss fraction) */
    bool broke;                /**< broke */
};

/**
 * @brief Sets up one side: multipliers and its break threshold θ.
 * @param st the state
 * @param s the side
 * @param terrain terrain
 * @param river defender behind a river
 * @param p parameters
 * @param r generator
 */
static void battle_setup(struct battle_state *st, const struct js_battle_side *s,
                         enum js_terrain terrain, bool river, const struct js_battle_params *p,
                         gsl_rng *r)
{
    memcpy(st->n, s->fit, sizeof(st->n));
    memcpy(st->n0_arm, s->fit, sizeof(st->n0_arm));
    st->n0 = battle_sum(st->n);
    st->lost = 0;
    double posture = p->posture[s->posture];
    st->post = posture;
    if (s->defender)
        st->post *= p->terrain_defender[terrain] * (river ? p->river_line : 1.0);
    st->quality = 1.0 + p->quality_skill * (s->skill - 0.5);
    if (st->quality < 0.1)
        st->quality = 0.1;
    st->morale = s->morale;
    double levy = st->n0 > 0 ? (double)st->n[JS_ARM_LEVIES] / (double)st->n0 : 0.0;
    st->theta = gsl_ran_beta(r, p->theta_a, p->theta_b) * posture * (1.0 - p->levy_theta * levy);
    st->broke = false;
}

/**
 * @brief One sub-step: both sides' losses drawn from the state at its start, then applied.
 * @param st the two sides
 * @param terrain terrain
 * @param p parameters
 * @param r generator
 * @return true if both sides still have men
 */
static bool battle_substep(struct battle_state st[2], enum js_terrain terrain,
                           const struct js_battle_params *p, gsl_rng *r)
{
    int64_t tot[2] = {battle_sum(st[0].n), battle_sum(st[1].n)};
    if (tot[0] == 0 || tot[1] == 0)
        return false;
    double engaged[2];
    for (int i = 0; i < 2; i++)
        engaged[i] = (double)tot[i] < p->front_men ? (double)tot[i] : p->front_men;
    int64_t loss[2][JS_NFIGHT];
    for (int i = 0; i < 2; i++) {
        const struct battle_state *o = &st[1 - i];
        double base = p->k0 * pow(engaged[1 - i] / engaged[i], p->w) * o->quality *
                      (0.5 + 0.5 * o->morale) / st[i].post * (engaged[i] / (double)tot[i]);
        for (int c = 0; c < JS_NFIGHT; c++) {
            loss[i][c] = 0;
            if (st[i].n[c] == 0)
                continue;
            double eff = 0;
            for (int j = 0; j < JS_NFIGHT; j++)
                eff += (double)o->n[j] / (double)tot[1 - i] * p->arm_matrix[j][c] *
                       p->arm_terrain[j][terrain];
            double prob = 1.0 - exp(-base * eff);
            loss[i][c] = gsl_ran_binomial(r, prob, (unsigned int)st[i].n[c]);
        }
    }
    for (int i = 0; i < 2; i++) {
        int64_t l = 0;
        for (int c = 0; c < JS_NFIGHT; c++) {
            st[i].n[c] -= loss[i][c];
            l += loss[i][c];
        }
        st[i].lost += l;
        st[i].morale -= p->morale_loss * (double)l / (double)st[i].n0;
        if (st[i].morale < 0)
            st[i].morale = 0;
    }
    return true;
}

/**
 * @brief Splits each side's losses by arm into killed, wounded and captured (one multinomial
 * draw per arm for the whole fight: the sum of the sub-steps' multinomials with the same shares).
 * @param st the sides
 * @param p parameters
 * @param r generator
 * @param out outcome
 */
static void battle_split(const struct battle_state st[2], const struct js_battle_params *p,
                         gsl_rng *r, struct js_battle_outcome *out)
{
    for (int i = 0; i < 2; i++)
        for (int c = 0; c < JS_NFIGHT; c++) {
            int64_t lost = st[i].n0_arm[c] - st[i].n[c];
            if (lost == 0)
                continue;
            unsigned int split[3];
            gsl_ran_multinomial(r, 3, (unsigned int)lost, p->split, split);
            out->killed[i][c] += split[0];
            out->wounded[i][c] += split[1];
            out->captured[i][c] += split[2];
        }
}

/**
 * @brief Break tests after a sub-step: the loss fraction against θ, then the flank and reserve
 * hazards.
 * @param st the two sides
 * @param p parameters
 * @param r generator
 */
static void battle_break_tests(struct battle_state st[2], const struct js_battle_params *p,
                               gsl_rng *r)
{
    int64_t tot[2] = {battle_sum(st[0].n), battle_sum(st[1].n)};
    for (int i = 0; i < 2; i++) {
        double phi = (double)st[i].lost / (double)st[i].n0;
        double h = 0;
        if ((double)tot[1 - i] >= p->flank_ratio * (double)tot[i])
            h += p->flank_hazard;
        if (phi >= p->reserve_share)
            h += p->reserve_hazard;
        bool hazard = h > 0 && gsl_rng_uniform(r) < h;
        st[i].broke = tot[i] == 0 || phi > st[i].theta || hazard;
    }
}

/**
 * @brief The pursuit: the loser loses Binomial(n, p) more men per arm, killed or captured.
 * @param st the sides
 * @param loser loser's index
 * @param terrain terrain
 * @param river across a river
 * @param p parameters
 * @param r generator
 * @param out outcome
 */
static void battle_pursuit(struct battle_state st[2], int loser, enum js_terrain terrain,
                           bool river, const struct js_battle_params *p, gsl_rng *r,
                           struct js_battle_outcome *out)
{
    struct battle_state *l = &st[loser], *w = &st[1 - loser];
    int64_t nl = battle_sum(l->n);
    if (nl == 0)
        return;
    double cav = (double)(w->n[JS_ARM_HEAVY_CAVALRY] + w->n[JS_ARM_HORSE_ARCHERS]);
    double prob = p->pursuit_p0 * (1.0 + p->pursuit_kappa * cav / (double)nl) *
                  p->pursuit_terrain[terrain] * (river ? p->pursuit_river : 1.0);
    if (prob > p->pursuit_max)
        prob = p->pursuit_max;
    for (int c = 0; c < JS_NFIGHT; c++) {
        if (l->n[c] == 0)
            continue;
        int64_t lost = gsl_ran_binomial(r, prob, (unsigned int)l->n[c]);
        int64_t killed = gsl_ran_binomial(r, p->pursuit_killed, (unsigned int)lost);
        out->killed[loser][c] += killed;
        out->captured[loser][c] += lost - killed;
        l->n[c] -= lost;
        l->lost += lost;
    }
}

void js_battle_fight(const struct js_battle_side s[2], enum js_terrain terrain, bool river,
                     const struct js_battle_params *p, gsl_rng *r, struct js_battle_outcome *out)
{
    memset(out, 0, sizeof(*out));
    struct battle_state st[2];
    for (int i = 0; i < 2; i++)
        battle_setup(&st[i], &s[i], terrain, river, p, r);
    out->winner = -1;
    out->before[0] = st[0].n0;
    out->before[1] = st[1].n0;
    if (st[0].n0 > 0 && st[1].n0 > 0) {
        int max = p->substeps_per_day * p->max_days;
        while (out->substeps < max && battle_substep(st, terrain, p, r)) {
            out->substeps++;
            battle_break_tests(st, p, r);
            if (st[0].broke || st[1].broke)
                break;
        }
        battle_split(st, p, r, out);
        int loser = -1;
        if (st[0].broke && st[1].broke) {
            double f0 = (double)st[0].lost / (double)st[0].n0;
            double f1 = (double)st[1].lost / (double)st[1].n0;
            loser = f0 > f1 ? 0 : f1 > f0 ? 1 : -1;
        } else if (st[0].broke || st[1].broke) {
            loser = st[0].broke ? 0 : 1;
        }
        if (loser >= 0) {
            out->winner = 1 - loser;
            if (!s[loser].sheltered)
                battle_pursuit(st, loser, terrain, river, p, r, out);
        }
    } else if (st[0].n0 > 0 || st[1].n0 > 0) {
        out->winner = st[0].n0 > 0 ? 0 : 1; /* nobody to fight */
    }
    for (int i = 0; i < 2; i++) {
        out->after[i] = battle_sum(st[i].n);
        out->loss_fraction[i] = st[i].n0 > 0 ? (double)st[i].lost / (double)st[i].n0 : 0.0;
    }
}
