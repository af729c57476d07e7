/**
 * @file world.h
 * @brief All simulation state, in structure-of-arrays form (ARCHITECTURE rule 1).
 *
 * Entities have integer ids (their index); names and config ids appear only at the
 * edges (config in, output out). Tables are allocated once from the scenario's sizes;
 * nothing in the day loop allocates entity storage.
 */
#ifndef JS_WORLD_H
#define JS_WORLD_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/calendar.h"
#include "jinsong/graph.h"
#include "jinsong/ledger.h"
#include "jinsong/world_army.h"
#include "jinsong/world_economy.h"
#include "jinsong/world_migration.h"
#include "jinsong/world_siege.h"

/** @brief Kinds of place. Add, never renumber. */
enum js_place_kind {
    JS_PLACE_CAPITAL = 0,
    JS_PLACE_PREFECTURE,
    JS_PLACE_COUNTY,
    JS_PLACE_TOWN,
    JS_PLACE_FORTRESS,
    JS_PLACE_CROSSING,
    JS_PLACE_PORT,
    JS_PLACE_PASS,
    JS_PLACE_VILLAGE,
    JS_PLACE_CAMP,
    JS_PLACE_MARKER,
    JS_NPLACE_KINDS
};

/** @brief Classes of people. Add, never renumber. */
enum js_class {
    JS_CLASS_FARMERS = 0, /**< farming households */
    JS_CLASS_TOWNSPEOPLE, /**< artisans, merchants, labourers */
    JS_CLASS_ELITE,       /**< officials, gentry, the court */
    JS_CLASS_MILITARY,    /**< soldiers' families (military households) */
    JS_NCLASSES
};

/** @brief Places (settlements, crossings, passes): one slot per place. */
struct js_places {
    int32_t n;          /**< number of places */
    char **id;          /**< config id ("kaifeng") */
    char **name;        /**< display name */
    double *lat;        /**< degrees north */
    double *lon;        /**< degrees east */
    uint8_t *kind;      /**< enum js_place_kind */
    int32_t *owner;     /**< faction holding it, -1 for none */
    int64_t *pop;       /**< [n * JS_NCLASSES] persons by class */
    double *walls;      /**< wall strength 0..1 (0 = unwalled) */
    int64_t *grain;     /**< grain stored in the place (granaries and households), sheng */
    double *food_ratio; /**< food available per head / normal (1 = normal; famine below) */
    double *nutrition;  /**< the people's nutrition reserve, full-ration days (demography) */
    double *conflict;   /**< scripted conflict intensity 0..1 (FLEE's conflict zones; events) */
    double *threat;     /**< danger from armies, battles, sieges and sacks this day, 0..1 */
};

/** @brief Factions (polities). */
struct js_factions {
    int32_t n;        /**< number of factions */
    char **id;        /**< config id ("song") */
    char **name;      /**< display name */
    int32_t *capital; /**< place id of the capital, -1 for none */
};

/** @brief Routes between places (each gives two directed arcs in the graph). */
struct js_routes {
    int32_t n;        /**< number of routes */
    char **id;        /**< config id */
    int32_t *from;    /**< place id */
    int32_t *to;      /**< place id */
    uint8_t *kind;    /**< enum js_route_kind */
    uint8_t *terrain; /**< enum js_terrain */
    double *km;       /**< length */
    double *capacity; /**< persons per day (crossings: ferry or bridge throughput); 0 = no limit */
    double *crossing_days; /**< crossings: days to get across, or -1 for graph.crossing_days */
    int8_t *downstream;    /**< rivers: +1 if `to` is downstream, -1 if `from` is, 0 otherwise */
    uint8_t *forest;       /**< 1 if the route runs through a defensive forest */
    uint8_t *closed;       /**< 1 while the route is closed */
    char **river;          /**< name of the river (rivers, crossings), or NULL */
    double *seasonal;      /**< [n * JS_NSEASONS] speed multiplier per season */
};

/** @brief Event kinds of /events. Add, never renumber (the HDF5 enum keeps these values). */
enum js_event_kind {
    JS_EV_BATTLE = 0,
    JS_EV_SIEGE_START,
    JS_EV_SIEGE_END,
    JS_EV_CITY_FALLS,
    JS_EV_CITY_SURRENDERS,
    JS_EV_RANSOM_PAID,
    JS_EV_SACK,
    JS_EV_TREATY,
    JS_EV_TRIBUTE_PAID,
    JS_EV_ARMY_RAISED,
    JS_EV_ARMY_DESTROYED,
    JS_EV_COURT_MOVES,
    JS_EV_RIVER_BREACH,
    JS_EV_ROUTE_CLOSED,
    JS_EV_ROUTE_OPENED,
    JS_EV_PLACE_CEDED,
    JS_EV_NOTE,
    JS_EV_MARKET_OPENED,
    JS_EV_MARKET_CLOSED,
    JS_EV_HARVEST_SHOCK,
    JS_NEVENT_KINDS
};

/** @brief Length of an event's text, including the terminating NUL. */
#define JS_EVENT_TEXT 64

/** @brief One row of /events. Fields that do not apply are -1 (ids) or 0 (values). */
struct js_event_row {
    int32_t day;              /**< simulated day */
    int32_t kind;             /**< enum js_event_kind */
    int32_t place;            /**< place id or -1 */
    int32_t faction_a;        /**< faction id or -1 */
    int32_t faction_b;        /**< faction id or -1 */
    int32_t army_a;           /**< army id or -1 */
    int32_t army_b;           /**< army id or -1 */
    double value[4];          /**< kind-specific values (docs/OUTPUT.md) */
    char text[JS_EVENT_TEXT]; /**< kind-specific text, NUL-terminated */
};

/** @brief The events that happened, in the order they were recorded. */
struct js_eventlog {
    struct js_event_row *rows; /**< rows */
    int64_t n;                 /**< rows recorded */
    int64_t cap;               /**< allocated */
};

/** @brief The simulation clock. */
struct js_clock {
    enum js_calendar calendar; /**< calendar of the dates */
    struct js_date start;      /**< date of day 0 */
    int32_t n_days;            /**< days to simulate (end - start) */
    int32_t day;               /**< days simulated so far */
};

/** @brief Identity of the run's random streams. */
struct js_stream_key {
    uint32_t seed; /**< the run's seed */
    uint32_t run;  /**< the run index */
};

/** @brief The whole simulation state. */
struct js_world {
    struct js_clock clock;               /**< time */
    struct js_stream_key key;            /**< random streams */
    struct js_places places;             /**< places */
    struct js_factions factions;         /**< factions */
    struct js_routes routes;             /**< routes */
    struct js_graph graph;               /**< adjacency, travel times, path cache */
    struct js_graph_params graph_params; /**< speeds (needed to rebuild travel times) */
    struct js_ledger ledger;             /**< conserved quantities */
    struct js_eventlog events;           /**< what happened */
    struct js_armies armies;             /**< armies (model/army, battle, supply) */
    struct js_economy economy;           /**< granaries, prices, treasuries, treaties */
    struct js_migration migration;       /**< refugee agents and people counters */
    struct js_sieges sieges;             /**< sieges of walled places, captives on the road */
};

/** @brief Everything a phase needs to know about today. */
struct js_day {
    int32_t day;           /**< day index (0 = the start date; the phases of day d lead to
                                the state at start + d + 1) */
    struct js_date date;   /**< the date of this day */
    enum js_season season; /**< its season */
    int day_of_year;       /**< 1-based */
};

/**
 * @brief One array of the world's mutable state, as a checkpoint sees it. Arrays whose length
 * changes during a run (the event log, pools) give the address of their count and capacity so
 * that a restart can size them before filling them.
 */
struct js_state_array {
    const char *name; /**< stable label ("places.pop") */
    void **data;      /**< address of the array pointer */
    size_t elem_size; /**< bytes per element */
    int64_t count;    /**< elements now */
    int64_t *countp;  /**< address of the element count for growable arrays, else NULL */
    int64_t *capp;    /**< address of the capacity for growable arrays, else NULL */
    /** for arrays that grow together (a pool sharing one count and capacity): makes room for
     * @p count elements in every array of the pool; NULL to let the reader realloc this one */
    void (*reserve)(void *owner, int64_t count);
    void *owner; /**< what @p reserve is called with */
};

/** @brief Called once per state array by js_world_visit_state. */
typedef void (*js_state_visitor)(void *ctx, const struct js_state_array *a);

/**
 * @brief Visits every array of mutable state, in a fixed order (for checkpoints). Static
 * data rebuilt from the scenario (names, coordinates, routes' lengths) is not visited.
 * Every module that adds state to the world adds its arrays here.
 * @param w the world
 * @param v the visitor
 * @param ctx its context
 */
void js_world_visit_state(struct js_world *w, js_state_visitor v, void *ctx);

/**
 * @brief Allocates the entity tables (zeroed; owners and capitals -1).
 * @param w the world (zeroed by the caller)
 * @param n_places places
 * @param n_factions factions
 * @param n_routes routes
 */
void js_world_alloc(struct js_world *w, int32_t n_places, int32_t n_factions, int32_t n_routes);

/**
 * @brief Builds the graph and starts the ledger from the census (after the tables are filled).
 * @param w the world
 */
void js_world_finish(struct js_world *w);

/**
 * @brief Frees everything the world owns.
 * @param w the world
 */
void js_world_free(struct js_world *w);

/**
 * @brief Counts every conserved quantity held in the world's arrays.
 * @param w the world
 * @param out stocks by quantity and holder (OUTSIDE stays 0)
 */
void js_world_census(const struct js_world *w, struct js_census *out);

/**
 * @brief Persons living in a place (all classes).
 * @param w the world
 * @param place place id
 */
int64_t js_world_place_population(const struct js_world *w, int32_t place);

/**
 * @brief Appends a row to the event log. Call from serial code only.
 * @param w the world
 * @param row the row (copied)
 */
void js_world_record_event(struct js_world *w, const struct js_event_row *row);

/**
 * @brief A row with every id -1, values 0 and no text, for the given day and kind.
 * @param day simulated day
 * @param kind event kind
 */
struct js_event_row js_event_row_blank(int32_t day, enum js_event_kind kind);

/**
 * @brief The js_day describing day @p day of the run.
 * @param w the world
 * @param day day index
 */
struct js_day js_world_day(const struct js_world *w, int32_t day);

/** @brief Name of a place kind ("capital", ...). */
const char *js_place_kind_name(enum js_place_kind k);
/** @brief Name of a class ("farmers", ...). */
const char *js_class_name(enum js_class c);
/** @brief Name of an event kind ("BATTLE", ...). */
const char *js_event_kind_name(enum js_event_kind k);

#endif /* JS_WORLD_H */
