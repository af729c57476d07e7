/**
 * @file people_util.h
 * @brief Helpers of the people modules' unit tests: loading scenarios from files or text,
 * running days, finding entities, summing the world's own arrays.
 */
#ifndef JS_PEOPLE_UTIL_H
#define JS_PEOPLE_UTIL_H

/* system headers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* local headers */
#include "jinsong/scenario.h"

/**
 * @brief Loads a scenario file (relative paths from JS_SOURCE_DIR), with --set arguments;
 * aborts the test on errors.
 * @param sc the scenario
 * @param rel path
 * @param sets --set arguments (may be NULL)
 * @param nsets how many
 */
static inline void people_load(struct js_scenario *sc, const char *rel, const char *const *sets,
                               int nsets)
{
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    if (rel[0] == '/')
        snprintf(path, sizeof(path), "%s", rel);
    else
        snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
    struct js_scenario_options opt = {0};
    opt.sets = sets;
    opt.nsets = nsets;
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, path, &opt, &d);
    if (rc != 0) {
        js_diag_print(&d, stderr);
        abort();
    }
    js_diag_free(&d);
}

/**
 * @brief Loads a scenario written as text (through a temporary file).
 * @param sc the scenario
 * @param yaml the text
 */
static inline void people_load_text(struct js_scenario *sc, const char *yaml)
{
    char path[] = "/tmp/people_test_XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml))
        abort();
    close(fd);
    people_load(sc, path, NULL, 0);
    unlink(path);
}

/**
 * @brief Runs @p days days; aborts if the ledger does not balance.
 * @param sc the scenario
 * @param days days
 */
static inline void people_run(struct js_scenario *sc, int days)
{
    char msg[512];
    for (int d = 0; d < days && sc->world.clock.day < sc->world.clock.n_days; d++) {
        if (js_sim_step(&sc->world, &sc->params, msg, sizeof(msg)) != 0) {
            fprintf(stderr, "%s\n", msg);
            abort();
        }
    }
}

/** @brief Index of a place by id (aborts if absent). */
static inline int32_t people_place(const struct js_world *w, const char *id)
{
    for (int32_t i = 0; i < w->places.n; i++)
        if (!strcmp(w->places.id[i], id))
            return i;
    abort();
}

/** @brief Index of a route by id (aborts if absent). */
static inline int32_t people_route(const struct js_world *w, const char *id)
{
    for (int32_t i = 0; i < w->routes.n; i++)
        if (!strcmp(w->routes.id[i], id))
            return i;
    abort();
}

/** @brief Persons in the refugee agents, summed from the pool. */
static inline int64_t people_agent_persons(const struct js_world *w)
{
    int64_t s = 0;
    for (int64_t i = 0; i < w->migration.agents.n; i++)
        s += w->migration.agents.persons[i];
    return s;
}

/** @brief Sum of a per-place int64 array. */
static inline int64_t people_sum(const int64_t *a, int32_t n)
{
    int64_t s = 0;
    for (int32_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

/** @brief Persons living in every place, summed from the world's arrays. */
static inline int64_t people_residents(const struct js_world *w)
{
    int64_t s = 0;
    for (int32_t i = 0; i < w->places.n; i++)
        s += js_world_place_population(w, i);
    return s;
}

#endif /* JS_PEOPLE_UTIL_H */
