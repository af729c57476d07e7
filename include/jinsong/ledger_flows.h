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
JS_FLOW(ARMY_LEVY,            PERSONS, PLACES,  ARMIES,  "army_levy",            "persons levied from places into raised armies")
JS_FLOW(BATTLE_KILLED,        PERSONS, ARMIES,  OUTSIDE, "battle_killed",        "soldiers killed in battle and in the pursuit")
JS_FLOW(BATTLE_CAPTURED,      PERSONS, ARMIES,  OUTSIDE, "battle_captured",      "soldiers taken prisoner in battle and in the pursuit (leave the model)")
JS_FLOW(ARMY_WOUNDS_DIED,     PERSONS, ARMIES,  OUTSIDE, "army_wounds_died",     "wounded soldiers who die of their wounds")
JS_FLOW(ARMY_DISEASE,         PERSONS, ARMIES,  OUTSIDE, "army_disease",         "deaths from disease in armies")
JS_FLOW(ARMY_STARVED,         PERSONS, ARMIES,  OUTSIDE, "army_starved",         "deaths from starvation in armies")
JS_FLOW(ARMY_STRAGGLERS,      PERSONS, ARMIES,  OUTSIDE, "army_stragglers",      "men lost to an army on the march (straggling)")
JS_FLOW(ARMY_DESERTERS,       PERSONS, ARMIES,  PLACES,  "army_deserters",       "deserters, who go home to their army's base")
JS_FLOW(PORTERS_HOME,         PERSONS, ARMIES,  PLACES,  "porters_home",         "porters whose loads are spent, home to their army's base")
JS_FLOW(ARMY_DISBANDED,       PERSONS, ARMIES,  PLACES,  "army_disbanded",       "men of a disbanded army, home to its base")
JS_FLOW(ARMY_REQUISITION,     GRAIN,   PLACES,  ARMIES,  "army_requisition",     "grain requisitioned by armies from friendly places")
JS_FLOW(ARMY_FORAGE,          GRAIN,   PLACES,  ARMIES,  "army_forage",          "grain foraged by armies from other places")
JS_FLOW(ARMY_RATIONS,         GRAIN,   ARMIES,  OUTSIDE, "army_rations",         "grain eaten by soldiers and porters")
JS_FLOW(ARMY_FODDER,          GRAIN,   ARMIES,  OUTSIDE, "army_fodder",          "grain eaten by army horses")
JS_FLOW(PORTER_RATIONS,       GRAIN,   ARMIES,  OUTSIDE, "porter_rations",       "rations porters take for their way home")
JS_FLOW(ARMY_STORES_LEFT,     GRAIN,   ARMIES,  PLACES,  "army_stores_left",     "stores a disbanded army leaves where it stands")
JS_FLOW(HORSES_LEVIED,        HORSES,  OUTSIDE, ARMIES,  "horses_levied",        "horses of raised mounted armies")
JS_FLOW(HORSES_BATTLE,        HORSES,  ARMIES,  OUTSIDE, "horses_battle",        "horses killed in battle")
JS_FLOW(HORSES_STARVED,       HORSES,  ARMIES,  OUTSIDE, "horses_starved",       "horses dead for want of grain")
JS_FLOW(HORSES_DISPERSED,     HORSES,  ARMIES,  OUTSIDE, "horses_dispersed",     "horses of disbanded armies")
/* clang-format on */
