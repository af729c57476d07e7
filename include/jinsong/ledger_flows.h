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
/* economy: grain (sheng) */
JS_FLOW(HARVEST,            GRAIN,  OUTSIDE,  PLACES,   "harvest",              "grain harvested in places (private stocks)")
JS_FLOW(CONSUMPTION,        GRAIN,  PLACES,   OUTSIDE,  "consumption",          "grain eaten by the people of places")
JS_FLOW(SPOILAGE_PRIVATE,   GRAIN,  PLACES,   OUTSIDE,  "spoilage_private",     "grain spoiled in private stocks")
JS_FLOW(SPOILAGE_GRANARY,   GRAIN,  FACTIONS, OUTSIDE,  "spoilage_granary",     "grain spoiled in state granaries")
JS_FLOW(LAND_TAX_GRAIN,     GRAIN,  PLACES,   FACTIONS, "land_tax_grain",       "land tax paid in grain into state granaries")
JS_FLOW(TAX_GRAIN_OFF_MAP,  GRAIN,  OUTSIDE,  CONVOYS,  "tax_grain_off_map",    "tax grain of prefectures beyond the map, shipped on the canals")
JS_FLOW(GRANARY_BUY,        GRAIN,  PLACES,   FACTIONS, "granary_purchases",    "grain bought into ever-normal granaries")
JS_FLOW(GRANARY_SELL,       GRAIN,  FACTIONS, PLACES,   "granary_sales",        "grain sold from ever-normal granaries")
JS_FLOW(RELIEF,             GRAIN,  FACTIONS, PLACES,   "relief",               "famine relief given from state granaries")
JS_FLOW(ARMY_RATIONS,       GRAIN,  FACTIONS, PLACES,   "army_rations",         "soldiers' grain rations paid from state granaries")
JS_FLOW(STIPENDS_GRAIN,     GRAIN,  FACTIONS, PLACES,   "stipends_grain",       "officials' grain stipends paid from state granaries")
JS_FLOW(GRAIN_DISPATCHED,   GRAIN,  FACTIONS, CONVOYS,  "grain_dispatched",     "state grain leaving a granary in a convoy")
JS_FLOW(GRAIN_DELIVERED,    GRAIN,  CONVOYS,  FACTIONS, "grain_delivered",      "state grain delivered by a convoy into a granary")
JS_FLOW(GRAIN_FRICTION,     GRAIN,  FACTIONS, OUTSIDE,  "grain_friction",       "grain lost on tribute and indemnity payments")
JS_FLOW(GRAIN_UNDELIVERABLE, GRAIN, CONVOYS,  OUTSIDE,  "grain_undeliverable",  "convoy grain whose receiver holds no granary")
/* economy: cash (strings) */
JS_FLOW(LAND_TAX_CASH,      CASH,   OUTSIDE,  FACTIONS, "land_tax_cash",        "land tax commuted into cash")
JS_FLOW(COMMERCIAL_TAX,     CASH,   OUTSIDE,  FACTIONS, "commercial_tax",       "commercial taxes")
JS_FLOW(MONOPOLY,           CASH,   OUTSIDE,  FACTIONS, "monopoly",             "salt, tea and wine monopoly income")
JS_FLOW(MARKET_LEVY,        CASH,   OUTSIDE,  FACTIONS, "market_levy",          "levy on licensed border markets")
JS_FLOW(GRANARY_SALES_CASH, CASH,   OUTSIDE,  FACTIONS, "granary_sales_cash",   "cash received for ever-normal granary sales")
JS_FLOW(GRANARY_BUY_CASH,   CASH,   FACTIONS, OUTSIDE,  "granary_purchases_cash", "cash paid for ever-normal granary purchases")
JS_FLOW(ARMY_PAY_CASH,      CASH,   FACTIONS, OUTSIDE,  "army_pay_cash",        "soldiers' pay in cash")
JS_FLOW(STIPENDS_CASH,      CASH,   FACTIONS, OUTSIDE,  "stipends_cash",        "officials' salaries in cash")
JS_FLOW(CASH_DISPATCHED,    CASH,   FACTIONS, CONVOYS,  "cash_dispatched",      "cash leaving a treasury in a tribute or indemnity convoy")
JS_FLOW(CASH_DELIVERED,     CASH,   CONVOYS,  FACTIONS, "cash_delivered",       "cash delivered by a convoy")
JS_FLOW(CASH_FRICTION,      CASH,   FACTIONS, OUTSIDE,  "cash_friction",        "cash lost on tribute and indemnity payments")
/* economy: silver (taels) */
JS_FLOW(ARMY_PAY_SILVER,    SILVER, FACTIONS, OUTSIDE,  "army_pay_silver",      "soldiers' pay in silver")
JS_FLOW(SILVER_DISPATCHED,  SILVER, FACTIONS, CONVOYS,  "silver_dispatched",    "silver leaving a treasury in a tribute or indemnity convoy")
JS_FLOW(SILVER_DELIVERED,   SILVER, CONVOYS,  FACTIONS, "silver_delivered",     "silver delivered by a convoy")
JS_FLOW(SILVER_FRICTION,    SILVER, FACTIONS, OUTSIDE,  "silver_friction",      "silver lost on payments (fees, making up losses)")
/* economy: gold (taels) */
JS_FLOW(ARMY_PAY_GOLD,      GOLD,   FACTIONS, OUTSIDE,  "army_pay_gold",        "soldiers' pay in gold")
JS_FLOW(GOLD_DISPATCHED,    GOLD,   FACTIONS, CONVOYS,  "gold_dispatched",      "gold leaving a treasury in a tribute or indemnity convoy")
JS_FLOW(GOLD_DELIVERED,     GOLD,   CONVOYS,  FACTIONS, "gold_delivered",       "gold delivered by a convoy")
JS_FLOW(GOLD_FRICTION,      GOLD,   FACTIONS, OUTSIDE,  "gold_friction",        "gold lost on payments")
/* economy: silk (bolts) */
JS_FLOW(ARMY_CLOTHING,      SILK,   FACTIONS, OUTSIDE,  "army_clothing",        "silk issued to soldiers (clothing, bonuses)")
JS_FLOW(SILK_DISPATCHED,    SILK,   FACTIONS, CONVOYS,  "silk_dispatched",      "silk leaving a treasury in a tribute or indemnity convoy")
JS_FLOW(SILK_DELIVERED,     SILK,   CONVOYS,  FACTIONS, "silk_delivered",       "silk delivered by a convoy")
JS_FLOW(LAND_TAX_SILK,      SILK,   OUTSIDE,  FACTIONS, "land_tax_silk",        "summer tax paid in silk")
JS_FLOW(SILK_FRICTION,      SILK,   FACTIONS, OUTSIDE,  "silk_friction",        "silk lost on payments (bolts rejected by inspectors)")
/* clang-format on */
