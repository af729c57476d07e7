/**
 * @file siege_internal.h
 * @brief Inside model/siege: a siege's view of the day (who is inside, who is outside) and the
 * helpers its three files share (siege.c: the phase, starts and ends; siege_day.c: the daily
 * processes; siege_end.c: assaults, surrender, terms, the besieger giving up, sacks, captives).
 */
#ifndef JS_SIEGE_INTERNAL_H
#define JS_SIEGE_INTERNAL_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* GSL */
#include <gsl/gsl_rng.h>

/* local headers */
#include "jinsong/rng.h"
#include "jinsong/siege.h"

/** @brief Index of arm k of army i in the cohort arrays. */
#define SIEGE_ARM(i, k) ((size_t)(i)*JS_NARMS + (size_t)(k))

/** @brief Most armies on one side of a siege (more are left out of it, as in battles). */
#define SIEGE_MAX_SIDE 256

/** @brief A siege as it stands today. */
struct siege_view {
    int32_t s;                   /**< slot */
    int32_t q;                   /**< place */
    int32_t att_f;               /**< besieging faction */
    int32_t def_f;               /**< defending faction */
    int32_t gar[SIEGE_MAX_SIDE]; /**< garrison armies, in id order */
    int32_t ngar;                /**< how many */
    int32_t att[SIEGE_MAX_SIDE]; /**< besieging armies, in id order */
    int32_t natt;                /**< how many */
    int32_t gar_lead;            /**< the strongest garrison army, or -1 */
    int32_t att_lead;            /**< the strongest besieging army, or -1 */
    int64_t gar_fit;             /**< garrison's fit fighting men */
    int64_t gar_persons;         /**< garrison's persons (porters, wounded) */
    int64_t att_fit;             /**< besiegers' fit fighting men */
    int64_t att_persons;         /**< besiegers' persons */
    int64_t inside[JS_NCLASSES]; /**< civilians inside by class */
    int64_t civilians;           /**< civilians inside */
    int64_t militia;             /**< civilians manning the walls */
};

/** @brief Ways to take men out of armies. */
enum siege_hit_mode {
    SIEGE_HIT_KILL = 0, /**< fit men of the fighting arms leave */
    SIEGE_HIT_WOUND,    /**< fit men of the fighting arms become wounded */
    SIEGE_HIT_PERSONS,  /**< anyone (fit and wounded of every arm) leaves */
};

/**
 * @brief Fills the view of slot @p s: the armies of both sides at the place, the civilians
 * inside, the militia.
 * @param w the world
 * @param p parameters
 * @param s slot
 * @param v out
 */
void siege_view_fill(const struct js_world *w, const struct js_siege_params *p, int32_t s,
                     struct siege_view *v);

/**
 * @brief Splits @p total among entries in proportion to @p weight (largest remainder, ties to
 * the lower index); no entry gets more than its weight. Requires total <= the sum.
 * @param total amount
 * @param weight weights (and caps)
 * @param n entries
 * @param out shares
 */
void siege_apportion(int64_t total, const int64_t *weight, int32_t n, int64_t *out);

/**
 * @brief Takes @p total men out of armies in proportion to their numbers (capped at what they
 * have).
 * @param a the armies
 * @param ids armies
 * @param n how many
 * @param total men
 * @param mode enum siege_hit_mode
 * @param per_army out: men taken from each army (may be NULL)
 * @return men taken
 */
int64_t siege_hit(struct js_armies *a, const int32_t *ids, int32_t n, int64_t total, int mode,
                  int64_t *per_army);

/**
 * @brief Takes @p total persons out of the civilians inside (in proportion to the classes
 * inside) and out of places.pop.
 * @param w the world
 * @param v the view (its inside counts are lowered)
 * @param total persons
 * @return persons taken
 */
int64_t siege_take_civilians(struct js_world *w, struct siege_view *v, int64_t total);

/**
 * @brief Defenders' losses split between the garrison's soldiers and the militia on the walls
 * (a hypergeometric draw from their numbers); the soldiers' booked to @p soldier_flow (unless
 * wounded), the militia's to siege_militia_killed. The view's counts are lowered.
 * @param w the world
 * @param v the view
 * @param total defenders lost
 * @param r generator
 * @param mode how soldiers are hit (enum siege_hit_mode)
 * @param soldier_flow flow of the soldiers killed
 */
void siege_defenders_lose(struct js_world *w, struct siege_view *v, int64_t total, gsl_rng *r,
                          int mode, enum js_flow soldier_flow);

/**
 * @brief The generator of a siege's stream (day, slot, purpose).
 * @param w the world
 * @param d today
 * @param s slot
 * @param purpose enum js_siege_purpose
 * @param rng storage
 */
gsl_rng *siege_rng(const struct js_world *w, const struct js_day *d, int32_t s, int purpose,
                   struct js_rng *rng);

/**
 * @brief Ends the siege of the view: the grain inside goes back to the place's private stock and
 * granary, the SIEGE_END row is written, the slot is freed.
 * @param w the world
 * @param d today
 * @param v the view
 * @param outcome enum js_siege_outcome
 */
void siege_end(struct js_world *w, const struct js_day *d, const struct siege_view *v, int outcome);

/**
 * @brief Full daily need of the people inside (civilians and garrison at full rations), sheng.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
double siege_need(const struct js_world *w, const struct js_siege_params *p,
                  const struct siege_view *v);

/**
 * @brief The defenders as they count in an assault: garrison and militia, by quality and the
 * defender's technology.
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
double siege_defenders(const struct js_world *w, const struct js_day *d,
                       const struct js_siege_params *p, const struct siege_view *v);

/**
 * @brief The assaulting men, by quality.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
double siege_attackers(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v);

/**
 * @brief Days the city's stores last at full rations, net of the grain the open gates bring in
 * (1e9 when they bring in all it needs).
 * @param w the world
 * @param p parameters
 * @param v the view
 */
double siege_food_days(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v);

/**
 * @brief Days the city's food and its people's reserve last at the rate it is drained.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
double siege_days_left(const struct js_world *w, const struct js_siege_params *p,
                       const struct siege_view *v);

/**
 * @brief Progress of saps, mines and ramps a day: rate · L / (L + L_half) / work, with L the
 * besiegers' labourers (engineers and a share of levies and porters) and work the walls' strength
 * by their layers and moat.
 * @param w the world
 * @param p parameters
 * @param v the view
 */
double siege_dig_rate(const struct js_world *w, const struct js_siege_params *p,
                      const struct siege_view *v);

/**
 * @brief The daily processes of an active siege: blockade and grain brought in, engines,
 * saps, sorties (siege_day.c).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
void siege_day_works(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                     struct siege_view *v);

/**
 * @brief The daily life inside and outside of a siege that goes on: rations, hunger and
 * starvation, epidemics, desertion, resolve (siege_day.c).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 */
void siege_day_people(struct js_world *w, const struct js_day *d, const struct js_siege_params *p,
                      struct siege_view *v);

/**
 * @brief The day's decisions that may end a siege, in order: an assault (and a sack), a
 * surrender, terms (and a ransom), the besieger giving up (siege_end.c).
 * @param w the world
 * @param d today
 * @param p parameters
 * @param v the view
 * @return true if the siege ended
 */
bool siege_day_decisions(struct js_world *w, const struct js_day *d,
                         const struct js_siege_params *p, struct siege_view *v);

/**
 * @brief Captives on the road: deaths, arrivals (siege_end.c).
 * @param w the world
 * @param d today
 * @param p parameters
 */
void siege_captives_march(struct js_world *w, const struct js_day *d,
                          const struct js_siege_params *p);

#endif /* JS_SIEGE_INTERNAL_H */
