/**
 * @file output_internal.h
 * @brief Inside io/output: how data groups and their variables are declared.
 *
 * A data group (/places, /factions, /routes, ...) is a js_outgroup_def: its entity
 * dimension, a function writing its static coordinates, and tables of variables written
 * every output row. Each module keeps its own tables in its own file (output_<module>.c)
 * and adds one line: its table to a group's list, or its group to out_groups in output.c.
 */
#ifndef JS_OUTPUT_INTERNAL_H
#define JS_OUTPUT_INTERNAL_H

/* system headers */
#include <stdint.h>

/* HDF5 */
#include <hdf5.h>

/* local headers */
#include "jinsong/world.h"

/** @brief Element types of output variables. */
enum js_ovtype { JS_OV_I8, JS_OV_I32, JS_OV_I64, JS_OV_F64 };

/** @brief A per-entity variable written every output row, [time, entity] or [time, entity, class].
 */
struct js_outvar {
    const char *name;      /**< dataset name */
    const char *units;     /**< units attribute */
    const char *long_name; /**< long_name attribute */
    enum js_ovtype type;   /**< element type */
    int by_class;          /**< third dimension: 0 none, 1 `class`, JS_OV_BY_CURRENCY `currency` */
    void (*fill)(const struct js_world *w, void *buf); /**< fills one row (entities [x classes]) */
};

/** @brief js_outvar.by_class value for a third dimension `currency` (enum js_currency). */
#define JS_OV_BY_CURRENCY 2

/** @brief A table of variables. */
struct js_outvar_table {
    const struct js_outvar *vars; /**< variables */
    int n;                        /**< how many */
};

/** @brief An open data group. */
struct js_outgroup {
    hid_t g;     /**< the group */
    hid_t time;  /**< its time coordinate */
    hid_t dim;   /**< its entity dimension scale */
    hid_t cls;   /**< its class dimension scale, or -1 */
    hid_t cur;   /**< its currency dimension scale (made for the first variable by currency) */
    hid_t *vars; /**< its variables, in table order */
    int nvars;   /**< how many */
};

/** @brief A data group's declaration. */
struct js_outgroup_def {
    const char *name; /**< group name ("places") */
    const char *dim;  /**< entity dimension ("place") */
    /** entities in the group (its dimension's size; capacity for tables with slots) */
    int32_t (*count)(const struct js_world *w);
    /** writes the static coordinates (ids, names, ...); may create og->cls */
    int (*coords)(struct js_outgroup *og, const struct js_world *w);
    const struct js_outvar_table *const *tables; /**< variable tables, NULL-terminated */
};

/* The economy's variables in the core groups (output_economy.c). */
extern const struct js_outvar_table js_out_economy_places;
extern const struct js_outvar_table js_out_economy_factions;
extern const struct js_outvar_table js_out_economy_routes;

/* The groups of core state (output_world.c). */
extern const struct js_outgroup_def js_out_places;
extern const struct js_outgroup_def js_out_factions;
extern const struct js_outgroup_def js_out_routes;
/* The armies group (output_army.c). */
extern const struct js_outgroup_def js_out_armies;
/* The sieges group (output_siege.c). */
extern const struct js_outgroup_def js_out_sieges;

/* The people modules (output_migration.c): their variables of /places and /routes, the /tracks
 * group, and the /migration group written at the end of the run. */
extern const struct js_outvar_table js_out_people_places;
extern const struct js_outvar_table js_out_people_routes;
extern const struct js_outgroup_def js_out_tracks;

/**
 * @brief Writes /migration (the origin x destination matrix of settlers by year) at the end.
 * @param file the output file
 * @param w the world
 * @return 0, or -1
 */
int js_out_migration_finish(hid_t file, const struct js_world *w);

/**
 * @brief Creates an index dimension scale 0..n-1 in a group.
 * @return the dataset, or a negative value
 */
hid_t js_out_index_scale(hid_t g, const char *name, hsize_t n, const char *long_name);

/**
 * @brief Writes a group's `place` and `faction` dimensions with their id coordinates.
 * @return 0, or -1
 */
int js_out_place_faction_coords(hid_t g, const struct js_world *w);

/**
 * @brief Writes a static per-entity numeric variable and attaches its dimension.
 * @return 0, or -1
 */
int js_out_static(hid_t g, hid_t dim, const char *name, hid_t type, hsize_t n, const void *data,
                  const char *units, const char *long_name);

/**
 * @brief Writes a static per-entity text variable and attaches its dimension.
 * @return 0, or -1
 */
int js_out_static_str(hid_t g, hid_t dim, const char *name, const char *const *v, hsize_t n,
                      const char *long_name);

#endif /* JS_OUTPUT_INTERNAL_H */
