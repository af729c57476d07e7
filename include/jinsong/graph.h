/**
 * @file graph.h
 * @brief The road and river graph: routes as directed arcs, travel times per mover
 * kind and season, and shortest-path trees (Dijkstra with a binary heap) cached per
 * (root, mover, season, direction).
 *
 * Caches are filled lazily by js_graph_tree(), which is not thread-safe: fill them
 * before a parallel phase (js_graph_prepare), and read them inside it with
 * js_graph_tree_cached(). Opening or closing a route invalidates every tree.
 */
#ifndef JS_GRAPH_H
#define JS_GRAPH_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/calendar.h"

/** @brief Route kinds. Add, never renumber. */
enum js_route_kind {
    JS_ROUTE_ROAD = 0, /**< a road (post road, highway) */
    JS_ROUTE_TRACK,    /**< a minor track */
    JS_ROUTE_PASS,     /**< a mountain pass */
    JS_ROUTE_RIVER,    /**< a navigable river (boats; speed depends on direction) */
    JS_ROUTE_CANAL,    /**< a canal (boats) */
    JS_ROUTE_CROSSING, /**< a river crossing (bridge, ford or ferry) */
    JS_NROUTE_KINDS
};

/** @brief Terrain along a route. Add, never renumber. */
enum js_terrain {
    JS_TERRAIN_PLAIN = 0,
    JS_TERRAIN_HILLS,
    JS_TERRAIN_MOUNTAINS,
    JS_TERRAIN_MARSH,
    JS_TERRAIN_PADDY,
    JS_NTERRAINS
};

/** @brief Kinds of movers with their own speeds. Add, never renumber. */
enum js_mover {
    JS_MOVER_FOOT = 0, /**< infantry and porters, the army's marching pace */
    JS_MOVER_HORSE,    /**< mounted troops */
    JS_MOVER_WALKER,   /**< civilians and refugees on foot or by boat */
    JS_MOVER_FREIGHT,  /**< grain and goods (carts, porters, boats) */
    JS_NMOVERS
};

/** @brief Speed classes: land route kinds plus river direction. */
enum js_speed_class {
    JS_SPEED_ROAD = 0,
    JS_SPEED_TRACK,
    JS_SPEED_PASS,
    JS_SPEED_RIVER_DOWN,
    JS_SPEED_RIVER_UP,
    JS_SPEED_CANAL,
    JS_NSPEED_CLASSES
};

/** @brief Which way a shortest-path tree points. */
enum js_tree_dir {
    JS_FROM_ROOT = 0, /**< distances from the root to every place */
    JS_TO_ROOT = 1    /**< distances from every place to the root; next_arc leads toward it */
};

/** @brief Mover speeds and multipliers (graph section of the scenario). */
struct js_graph_params {
    double sinuosity;                                /**< road km / great-circle km */
    double speed[JS_NMOVERS][JS_NSPEED_CLASSES];     /**< km/day; 0 = cannot use */
    double terrain_factor[JS_NMOVERS][JS_NTERRAINS]; /**< speed multiplier by terrain */
    double forest_horse_factor; /**< speed multiplier for horse on a forested route */
    double forest_foot_factor;  /**< speed multiplier for the other movers on a forested route */
    double crossing_days[JS_NMOVERS]; /**< days to get across a crossing (bridge, ford, ferry) */
};

/** @brief A directed arc (each route gives two). */
struct js_arc {
    int32_t from;  /**< place */
    int32_t to;    /**< place */
    int32_t route; /**< route id */
    int32_t down;  /**< 1 if downstream (rivers), 0 otherwise */
};

/** @brief A shortest-path tree. */
struct js_tree {
    int32_t root;      /**< root place */
    double *days;      /**< [n_places] travel days (INFINITY when unreachable) */
    int32_t *next_arc; /**< JS_TO_ROOT: first arc from a place toward the root; JS_FROM_ROOT:
                          last arc into a place from the root; -1 at the root or unreachable */
};

/** @brief The graph: adjacency, per-arc travel times and the tree cache. */
struct js_graph {
    int32_t n_places;                          /**< nodes */
    int32_t n_arcs;                            /**< 2 * routes */
    struct js_arc *arcs;                       /**< [n_arcs], arcs 2r and 2r+1 belong to route r */
    int32_t *out_start;                        /**< [n_places+1] CSR offsets of outgoing arcs */
    int32_t *out_arcs;                         /**< outgoing arc ids, by (from, arc id) */
    int32_t *in_start;                         /**< [n_places+1] CSR offsets of incoming arcs */
    int32_t *in_arcs;                          /**< incoming arc ids */
    double *arc_days[JS_NMOVERS][JS_NSEASONS]; /**< travel days per arc (INFINITY if closed) */
    struct js_tree **cache; /**< [n_places * JS_NMOVERS * JS_NSEASONS * 2], NULL until filled */
    uint64_t generation;    /**< bumped on every invalidation */
    int64_t trees_computed; /**< statistics */
};

struct js_routes;

/**
 * @brief Builds the adjacency of @p routes over @p n_places places and computes
 * per-arc travel times.
 * @param g the graph (zeroed)
 * @param n_places number of places
 * @param routes the routes
 * @param p speeds
 */
void js_graph_init(struct js_graph *g, int32_t n_places, const struct js_routes *routes,
                   const struct js_graph_params *p);

/**
 * @brief Frees the graph.
 * @param g the graph
 */
void js_graph_free(struct js_graph *g);

/**
 * @brief Recomputes travel times (after a route opens or closes) and drops every tree.
 * @param g the graph
 * @param routes the routes
 * @param p speeds
 */
void js_graph_invalidate(struct js_graph *g, const struct js_routes *routes,
                         const struct js_graph_params *p);

/**
 * @brief The shortest-path tree for (root, mover, season, dir), computed if missing.
 * Not thread-safe.
 */
const struct js_tree *js_graph_tree(struct js_graph *g, int32_t root, enum js_mover m,
                                    enum js_season s, enum js_tree_dir dir);

/**
 * @brief A tree already in the cache (for parallel phases); NULL if it was not prepared.
 */
const struct js_tree *js_graph_tree_cached(const struct js_graph *g, int32_t root, enum js_mover m,
                                           enum js_season s, enum js_tree_dir dir);

/**
 * @brief Great-circle distance in km (haversine, R = 6371 km).
 * @param lat1 latitude of the first point, degrees
 * @param lon1 longitude of the first point
 * @param lat2 latitude of the second point
 * @param lon2 longitude of the second point
 */
double js_graph_great_circle_km(double lat1, double lon1, double lat2, double lon2);

/**
 * @brief Travel days of one arc for a mover in a season (INFINITY if impassable).
 */
static inline double js_graph_arc_days(const struct js_graph *g, int32_t arc, enum js_mover m,
                                       enum js_season s)
{
    return g->arc_days[m][s][arc];
}

/** @brief Name of a route kind ("road", ...). */
const char *js_route_kind_name(enum js_route_kind k);
/** @brief Name of a terrain ("plain", ...). */
const char *js_terrain_name(enum js_terrain t);
/** @brief Name of a mover kind ("foot", ...). */
const char *js_mover_name(enum js_mover m);
/** @brief Name of a speed class ("road", "river_down", ...). */
const char *js_speed_class_name(enum js_speed_class c);

#endif /* JS_GRAPH_H */
