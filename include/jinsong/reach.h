/**
 * @file reach.h
 * @brief Travel days from the nearest of several sources, within a cutoff (a bounded
 * multi-source Dijkstra over the graph's arcs).
 *
 * Used for the danger armies spread over the places around them: one search per faction and
 * mover finds, for every place within the cutoff, the days of march from the nearest army.
 * The search needs no allocation: its scratch is sized once, from the graph and the largest
 * number of sources. Ties are broken by place id, so the result does not depend on the order
 * of the sources.
 */
#ifndef JS_REACH_H
#define JS_REACH_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/* local headers */
#include "jinsong/graph.h"

/** @brief A heap entry of the search. */
struct js_reach_item {
    double days;  /**< tentative days */
    int32_t node; /**< place */
};

/** @brief Scratch and result of a search. */
struct js_reach {
    int32_t n_places;           /**< places */
    double *days;               /**< [n_places] days from the nearest source; INFINITY if
                                     beyond the cutoff or unreached */
    int32_t *touched;           /**< places settled by the last search, in settling order */
    int32_t ntouched;           /**< how many */
    uint8_t *done;              /**< [n_places] settled flags */
    struct js_reach_item *heap; /**< binary heap */
    size_t cap;                 /**< its capacity */
};

/**
 * @brief Allocates the scratch.
 * @param r the search (zeroed)
 * @param n_places places
 * @param n_arcs arcs of the graph
 * @param max_sources the most sources a search will be given
 */
void js_reach_init(struct js_reach *r, int32_t n_places, int32_t n_arcs, int32_t max_sources);

/**
 * @brief Frees the scratch.
 * @param r the search
 */
void js_reach_free(struct js_reach *r);

/**
 * @brief Days from the nearest source to every place within @p cutoff days (following arcs
 * away from the sources). Places not reached keep INFINITY; the places reached are listed
 * in r->touched.
 * @param r the search
 * @param g the graph
 * @param m mover
 * @param s season
 * @param src source places (duplicates allowed)
 * @param src_days days already spent to reach each source (>= 0)
 * @param nsrc number of sources (at most max_sources)
 * @param cutoff largest number of days searched
 * @return the number of places reached
 */
int32_t js_reach_run(struct js_reach *r, const struct js_graph *g, enum js_mover m,
                     enum js_season s, const int32_t *src, const double *src_days, int32_t nsrc,
                     double cutoff);

#endif /* JS_REACH_H */
