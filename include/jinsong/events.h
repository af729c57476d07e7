/**
 * @file events.h
 * @brief Scripted scenario events: the schema's kinds and the dispatcher (phase 1).
 *
 * A scenario's `events:` section is a map keyed by id; each event has a `date` and a
 * `do:` kind with its own keys. Scripted events are decisions (a route cut, a cession,
 * an order), never outcomes. Each model module adds its own kinds here.
 */
#ifndef JS_EVENTS_H
#define JS_EVENTS_H

/* system headers */
#include <stdint.h>

/* local headers */
#include "jinsong/world.h"

/** @brief What a scripted event does. Add, never renumber. */
enum js_script_do {
    JS_DO_NOTE = 0,       /**< a dated note in /events (no effect on the model) */
    JS_DO_CLOSE_ROUTE,    /**< close a route (bridge burnt, pass blocked): no mover uses it */
    JS_DO_OPEN_ROUTE,     /**< reopen a route */
    JS_DO_CEDE,           /**< a place passes to another faction (treaty cession) */
    JS_DO_CONFLICT,       /**< the scripted conflict intensity of a place changes (0 = peace) */
    JS_DO_ORDER,          /**< an army receives an order (march to, besiege, hold, raid, ...) */
    JS_DO_RAISE_ARMY,     /**< an army is raised from the people of a place */
    JS_DO_TREATY,         /**< a treaty is signed, suspended (war), resumed (peace) or ended */
    JS_DO_TRANSFER,       /**< a declared one-off transfer (indemnity, ransom) is paid */
    JS_DO_OPEN_MARKET,    /**< a licensed border market opens */
    JS_DO_CLOSE_MARKET,   /**< a licensed border market closes */
    JS_DO_HARVEST_SHOCK,  /**< harvests of a place or region multiplied (floods, scorched earth) */
    JS_DO_MOVE_COURT,     /**< a faction's court (its capital) moves to another place */
    JS_DO_MIGRATION_TYPE, /**< how refugees treat a place changes (FLEE camp closures) */
    JS_DO_COURT_POLICY,   /**< a court's disposition to pay a ransom for its capital changes */
    JS_DO_RIVER_BREACH,   /**< a river breaks its dikes: its new course (a route) opens */
    JS_NSCRIPT_DO
};

/** @brief One scripted event, as read from the scenario. */
struct js_script_event {
    char *id;                 /**< config id */
    int32_t day;              /**< day it applies (0 = start date) */
    int32_t what;             /**< enum js_script_do */
    int32_t place;            /**< place id or -1 */
    int32_t faction;          /**< faction id or -1 */
    int32_t route;            /**< route id or -1 */
    int32_t army;             /**< army id or -1 (modules with armies) */
    int32_t target;           /**< a second place (a destination) or -1 */
    double value[4];          /**< kind-specific amounts */
    char text[JS_EVENT_TEXT]; /**< text for /events */
};

/** @brief The scripted events, sorted by day (declaration order within a day). */
struct js_events_params {
    int32_t n;                  /**< number of events */
    struct js_script_event *ev; /**< the events */
};

/**
 * @brief Applies the scripted events due today, in order, and records them in /events.
 * @param w the world
 * @param d today
 * @param p the events
 */
void js_events_apply(struct js_world *w, const struct js_day *d, const struct js_events_params *p);

/**
 * @brief Sorts events by day, keeping declaration order within a day.
 * @param p the events
 */
void js_events_sort(struct js_events_params *p);

/**
 * @brief Frees the events.
 * @param p the events
 */
void js_events_free(struct js_events_params *p);

/**
 * @brief The `do:` word of a kind ("close_route", ...).
 * @param what enum js_script_do
 */
const char *js_script_do_name(int what);

#endif /* JS_EVENTS_H */
