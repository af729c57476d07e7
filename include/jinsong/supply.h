/**
 * @file supply.h
 * @brief Army supply (phase 7): rations, requisition, foraging, and porters going home.
 *
 * Every person of an army (soldiers, wounded and porters alike) eats `ration_sheng` a day from
 * the carried food; horses eat grain in the seasons when they cannot graze. The army then
 * refills what its men and porters can carry: by requisition from the friendly places within the
 * forage radius (a share of their grain a day), and by foraging from the other places there (a
 * share of their grain a day, at most what its foragers can gather), taking the grain out of
 * places.grain (the depletion). Porters follow Shen Kuo's rule: the army's porters are attached
 * to its soldiers in teams; when a load has been eaten from every team's stores net of the
 * porter's ration for the way home (walked 1.5 times faster than the march out), one porter per
 * team turns home with that ration, if his going lengthens the army's endurance; the last porter
 * of a team stays.
 */
#ifndef JS_SUPPLY_H
#define JS_SUPPLY_H

/* local headers */
#include "jinsong/world.h"

/** @brief Supply parameters (scenario section `supply:`). */
struct js_supply_params {
    double ration_sheng;                   /**< per person per day, sheng of husked grain */
    double self_carry_sheng;               /**< a soldier's own load, sheng */
    double porter_load_sheng;              /**< a porter's load, sheng */
    double porter_return_speed;            /**< walking home unladen, x the march speed */
    double horse_grain_sheng[JS_NSEASONS]; /**< per horse per day, by season (0 = grazing) */
    double fodder_carry_sheng;             /**< horse grain carried per horse, sheng */
    double requisition_share;              /**< share of a friendly place's grain per day */
    double forage_radius_km;               /**< places within this are foraged */
    double forage_share;                   /**< share of a foraged place's grain per day */
    double forage_sheng_per_man;           /**< most a fit man gathers per day, sheng */
};

/**
 * @brief Phase 7: armies eat, refill from friendly and foraged places (in army id order), and
 * send home the porters whose loads are spent.
 * @param w the world
 * @param d today
 * @param p parameters
 */
void js_supply_step(struct js_world *w, const struct js_day *d, const struct js_supply_params *p);

/**
 * @brief Food an army can carry: its soldiers' own loads and its porters' loads, sheng.
 * @param a the armies
 * @param i army
 * @param p parameters
 */
int64_t js_supply_capacity(const struct js_armies *a, int32_t i, const struct js_supply_params *p);

/**
 * @brief Food the army's men eat a day, sheng.
 * @param a the armies
 * @param i army
 * @param p parameters
 */
int64_t js_supply_daily_need(const struct js_armies *a, int32_t i,
                             const struct js_supply_params *p);

#endif /* JS_SUPPLY_H */
