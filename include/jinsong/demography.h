/**
 * @file demography.h
 * @brief Births and deaths by cause of every place's population (phase 9, parallel over
 * places).
 *
 * Each day, for each place and class of N persons, births are Binomial(N, 1 − e^(−b)) and
 * deaths an Euler-multinomial leap over four competing causes with daily hazards h_k:
 * D ~ Binomial(N, 1 − e^(−Σh)), split among the causes by Multinomial(D, h_k / Σh).
 * The hazards: baseline (a yearly rate), famine (from the food per head, places.food_ratio),
 * epidemic (from crowding: residents and refugees present over the place's normal
 * population) and violence (from danger, max(places.conflict, places.threat)). Draws come
 * from the stream (day, place, DEMOGRAPHY VITAL), so the result does not depend on the number
 * of threads. Refugee agents staying at a place die of the same hazards (model/migration).
 */
#ifndef JS_DEMOGRAPHY_H
#define JS_DEMOGRAPHY_H

/* local headers */
#include "jinsong/world.h"

/** @brief Demography parameters (scenario section `demography:`). */
struct js_demography_params {
    double birth_rate;               /**< births per person per year */
    double death_rate;               /**< baseline deaths per person per year */
    double persons_per_household;    /**< persons per registered household */
    double class_share[JS_NCLASSES]; /**< default split of a place's people by class */
    double famine_threshold;         /**< food ratio below which the body's reserve is drawn on */
    double famine_reserve_days;      /**< nutrition reserve when fed, full-ration days */
    double famine_recovery;          /**< reserve regained a day when fed, full-ration days */
    double famine_max_hazard;        /**< daily death hazard with the reserve spent */
    double famine_exponent;          /**< shape of the hazard as the reserve runs out */
    double epidemic_rate;            /**< yearly death hazard at one normal population of excess */
    double epidemic_threshold;       /**< crowding (people / normal) at which epidemics begin */
    double epidemic_exponent;        /**< hazard ∝ (crowding − threshold)^exponent */
    double epidemic_summer;          /**< multiplier of the epidemic hazard in summer */
    double violence_rate;            /**< daily death hazard at danger 1 */
    double violence_threshold;       /**< danger at or below which no one dies of violence */
};

/** @brief Purposes of demography's random streams. */
enum js_demography_purpose {
    JS_DEMOG_VITAL = 1, /**< births and deaths of a place */
};

/**
 * @brief The daily death hazards of a person at a place, by cause.
 * @param w the world (places' food ratio, conflict, threat; refugees present)
 * @param place the place
 * @param d today (season)
 * @param p parameters
 * @param h out: hazards per day, by enum js_death_cause
 */
void js_demography_hazards(const struct js_world *w, int32_t place, const struct js_day *d,
                           const struct js_demography_params *p, double h[JS_NCAUSES]);

/**
 * @brief Births and deaths by cause in every place (parallel over places).
 * @param w the world
 * @param d today
 * @param p rates
 */
void js_demography_step(struct js_world *w, const struct js_day *d,
                        const struct js_demography_params *p);

#endif /* JS_DEMOGRAPHY_H */
