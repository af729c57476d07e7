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
/* clang-format on */
