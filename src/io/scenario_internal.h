/**
 * @file scenario_internal.h
 * @brief Inside io/scenario: the reader state shared by the section readers.
 *
 * scenario.c reads the core sections (scenario, graph, demography, factions, places, routes,
 * events); each model module reads its own sections in its own file (scenario_<module>.c)
 * through this state, and read_all in scenario.c calls it in dependency order.
 */
#ifndef JS_SCENARIO_INTERNAL_H
#define JS_SCENARIO_INTERNAL_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/config.h"
#include "jinsong/scenario.h"

/** @brief State shared by the section readers. */
struct js_reader {
    struct js_cfg *c;            /**< typed getters */
    struct js_scenario *sc;      /**< scenario being built */
    struct js_world *w;          /**< its world */
    struct js_ynode *root;       /**< the resolved tree */
    enum js_calendar calendar;   /**< the scenario's calendar */
    struct js_date start, end;   /**< run dates */
    bool dates_ok;               /**< start and end are valid */
    struct js_ynode *factions;   /**< factions: map (or NULL) */
    struct js_ynode *places;     /**< places: map */
    struct js_ynode *routes;     /**< routes: map */
    struct js_ynode *events;     /**< events: map */
    struct js_idmap faction_ids; /**< faction id → index */
    struct js_idmap place_ids;   /**< place id → index */
    struct js_idmap route_ids;   /**< route id → index */
    struct js_idmap army_ids;    /**< army id → slot (declared armies, then raise_army events) */
    bool factions_broken;        /**< factions: is not a map (reported; refs not checked) */
    bool places_broken;          /**< places: is missing or not a map (reported) */
    bool routes_broken;          /**< routes: is not a map (reported) */
};

/**
 * @brief A reference to a place, faction or route by id. When the section it names is unusable
 * (its own error is reported), the reference is not checked: one error, not one per use.
 * @param r reader
 * @param map the map holding the reference
 * @param key its key
 * @param section "places", "factions" or "routes"
 * @param required mandatory?
 * @return the index, or -1
 */
int32_t js_reader_ref(struct js_reader *r, struct js_ynode *map, const char *key,
                      const char *section, bool required);

/**
 * @brief Reads an event's `text` (default: its id), at most JS_EVENT_TEXT - 1 characters.
 * @param r reader
 * @param e the event's map
 * @param out the text buffer
 * @param required mandatory?
 */
void js_reader_event_text(struct js_reader *r, struct js_ynode *e, char out[JS_EVENT_TEXT],
                          bool required);

/**
 * @brief Reads the army, battle and supply sections, the factions' doctrines and the armies
 * (scenario_army.c). Call after places, factions and routes, before the events.
 * @param r reader
 */
void js_reader_read_armies(struct js_reader *r);

/**
 * @brief Reads the keys of an `order` or `raise_army` event (scenario_army.c).
 * @param r reader
 * @param e the event's map
 * @param ev the event (its kind set)
 */
void js_reader_army_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev);

/**
 * @brief Reads the economy: the `economy:` section, the `economy:` maps of places and factions,
 * and the economy's tables (scenario_economy.c). After places, factions and routes.
 * @param r reader
 */
void js_reader_economy(struct js_reader *r);

/**
 * @brief Reads the keys of the economy's event kinds (treaty, transfer, open_market,
 * close_market, harvest_shock) into the generic fields of @p ev.
 * @param r reader
 * @param e the event's map
 * @param ev the event
 */
void js_reader_economy_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev);

/**
 * @brief Reads the people modules' keys: `migration:`, the death causes of `demography:`, and
 * each place's `food_ratio` and `migration:` (scenario_migration.c).
 * @param r reader
 */
void js_reader_people(struct js_reader *r);

/**
 * @brief Reads the sieges: the `siege:` section, the factions' `siege:` maps and the places'
 * defences and wealth (scenario_siege.c); allocates the sieges table. After places, factions,
 * routes, armies and supply.
 * @param r reader
 */
void js_reader_siege(struct js_reader *r);

/**
 * @brief Reads the keys of a `migration_type` event (place, type) into @p ev (place, value[0])
 * (scenario_migration.c).
 * @param r reader
 * @param e the event's map
 * @param ev the event
 */
void js_reader_migration_event(struct js_reader *r, struct js_ynode *e, struct js_script_event *ev);

#endif /* JS_SCENARIO_INTERNAL_H */
