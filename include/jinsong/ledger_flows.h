/**
 * @file ledger_flows.h
 * @brief The named flows of every conserved quantity (X-macro list; add, never renumber).
 *
 * JS_FLOW(ID, QTY, FROM, TO, "name", "long name")
 *   ID    enum suffix (JS_FLOW_<ID>)
 *   QTY   quantity (JS_Q_<QTY>)
 *   FROM  holder the amount leaves (JS_H_<FROM>; OUTSIDE = created)
 *   TO    holder the amount enters (JS_H_<TO>; OUTSIDE = destroyed)
 * The name is the label in /ledger/<qty> (coordinate <qty>_flow_name).
 */
/* clang-format off */
JS_FLOW(BIRTHS,          PERSONS, OUTSIDE, PLACES,  "births",          "persons born in places")
JS_FLOW(DEATHS_BASELINE, PERSONS, PLACES,  OUTSIDE, "deaths_baseline", "deaths in places from baseline mortality")
JS_FLOW(DEATHS_FAMINE,   PERSONS, PLACES,  OUTSIDE, "deaths_famine",   "deaths in places from hunger (food per head below normal)")
JS_FLOW(DEATHS_EPIDEMIC, PERSONS, PLACES,  OUTSIDE, "deaths_epidemic", "deaths in places from epidemics (crowding)")
JS_FLOW(DEATHS_VIOLENCE, PERSONS, PLACES,  OUTSIDE, "deaths_violence", "deaths in places from war (danger at the place)")
JS_FLOW(REFUGEES_FLEE,   PERSONS, PLACES,  REFUGEES, "refugees_flee",  "persons who fled their place as refugees")
JS_FLOW(REFUGEES_ENTER,  PERSONS, OUTSIDE, REFUGEES, "refugees_enter", "refugees entering from outside the map (data-driven spawning)")
JS_FLOW(REFUGEES_SETTLE, PERSONS, REFUGEES, PLACES, "refugees_settle", "refugees who settled and rejoined a place's population")
JS_FLOW(REFUGEE_DEATHS,  PERSONS, REFUGEES, OUTSIDE, "refugee_deaths", "deaths of refugees, on the road or staying at places")
JS_FLOW(REFUGEE_FOOD_TAKEN,   GRAIN, PLACES,   REFUGEES, "refugee_food_taken",   "grain refugees took with them from their place")
JS_FLOW(REFUGEE_FOOD_EATEN,   GRAIN, REFUGEES, OUTSIDE,  "refugee_food_eaten",   "grain refugees ate on the road")
JS_FLOW(REFUGEE_FOOD_SETTLED, GRAIN, REFUGEES, PLACES,   "refugee_food_settled", "grain refugees brought into the place they settled in")
JS_FLOW(REFUGEE_FOOD_LOST,    GRAIN, REFUGEES, OUTSIDE,  "refugee_food_lost",    "grain carried by refugees who all died")
/* clang-format on */
