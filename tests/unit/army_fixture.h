/**
 * @file army_fixture.h
 * @brief Helpers of the army, battle and supply tests: scenarios from YAML text, day steps, and
 * the world's persons, grain and horses summed from its arrays (independently of the ledger).
 */
#ifndef JS_TEST_ARMY_FIXTURE_H
#define JS_TEST_ARMY_FIXTURE_H

/* system headers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* local headers */
#include "jinsong/scenario.h"

/**
 * @brief Loads a scenario from YAML text (written to a temporary file).
 * @param sc the scenario
 * @param yaml the text
 * @param opt options (may be NULL)
 * @return 0, or -1 with the errors printed
 */
static int fixture_load_text(struct js_scenario *sc, const char *yaml,
                             const struct js_scenario_options *opt)
{
    char path[] = "/tmp/js_army_test_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    fputs(yaml, f);
    fclose(f);
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, path, opt, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    unlink(path);
    return rc;
}

/**
 * @brief Loads a scenario file of the source tree (configs/...), with --set overrides.
 * @param sc the scenario
 * @param rel path relative to the source tree
 * @param sets --set arguments
 * @param nsets how many
 * @return 0, or -1
 */
static int fixture_load_file(struct js_scenario *sc, const char *rel, const char *const *sets,
                             int nsets)
{
    const char *src = getenv("JS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
    struct js_scenario_options opt;
    memset(&opt, 0, sizeof(opt));
    opt.sets = sets;
    opt.nsets = nsets;
    struct js_diag d = {0};
    int rc = js_scenario_load(sc, path, &opt, &d);
    if (rc != 0)
        js_diag_print(&d, stderr);
    js_diag_free(&d);
    return rc;
}

/** @brief Stocks summed from the world's own arrays (places, armies), not from the ledger. */
struct fixture_stocks {
    int64_t persons; /**< in places and armies */
    int64_t grain;   /**< in places, and food and fodder of armies */
    int64_t horses;  /**< of armies */
};

/**
 * @brief Sums the world's arrays.
 * @param w the world
 */
static struct fixture_stocks fixture_count(const struct js_world *w)
{
    struct fixture_stocks s = {0, 0, 0};
    for (int64_t i = 0; i < (int64_t)w->places.n * JS_NCLASSES; i++)
        s.persons += w->places.pop[i];
    for (int32_t i = 0; i < w->places.n; i++)
        s.grain += w->places.grain[i];
    const struct js_armies *a = &w->armies;
    for (int32_t i = 0; i < a->n; i++) {
        for (int k = 0; k < JS_NARMS; k++)
            s.persons += a->fit[(size_t)i * JS_NARMS + (size_t)k] +
                         a->wounded[(size_t)i * JS_NARMS + (size_t)k];
        s.grain += a->food[i] + a->fodder[i];
        s.horses += a->horses[i];
    }
    /* people who fled (refugee agents) and the grain they carry */
    const struct js_agents *g = &w->migration.agents;
    for (int64_t i = 0; i < g->n; i++) {
        s.persons += g->persons[i];
        s.grain += g->food[i];
    }
    return s;
}

#endif /* JS_TEST_ARMY_FIXTURE_H */
