/**
 * @file output.h
 * @brief The run's HDF5 file (netCDF-4/CF readable; layout in docs/OUTPUT.md).
 *
 * The file is written to `<path>.partial` and renamed to @p path only when the run
 * completes, so a failed or killed run never leaves a file at the final path. Each
 * data group holds its own `time` and entity coordinates so that
 * `xarray.open_dataset(path, engine="h5netcdf", group=G)` opens it alone.
 */
#ifndef JS_OUTPUT_H
#define JS_OUTPUT_H

/* system headers */
#include <stdint.h>
#include <stdio.h>

/* local headers */
#include "jinsong/diag.h"
#include "jinsong/scenario.h"
#include "jinsong/world.h"

/** @brief What differs between identical runs (written to /provenance). */
struct js_provenance {
    const char *command_line; /**< the command as typed */
    int threads;              /**< OpenMP threads */
    double wall_seconds;      /**< wall time of the run */
    const char *run_control;  /**< other run-control options, or NULL */
};

/** @brief An open output file. */
struct js_output;

/**
 * @brief Creates `<path>.partial` and writes the metadata, /config and the coordinates.
 * @param out the new output
 * @param path final path
 * @param sc the scenario (its world gives the entity counts)
 * @param d errors (an unwritable path is a user error: exit status 2)
 * @return 0, or -1 with an error in @p d
 */
int js_output_open(struct js_output **out, const char *path, const struct js_scenario *sc,
                   struct js_diag *d);

/**
 * @brief Appends the world's current state as the next time row (row 0 = start).
 * The ledger's interval sums and the new events are written too.
 * @param o the output
 * @param w the world
 * @return 0, or -1 (message in js_output_error())
 */
int js_output_row(struct js_output *o, const struct js_world *w);

/**
 * @brief Writes /provenance, closes the file and renames it to its final path.
 * @param o the output (freed)
 * @param w the world
 * @param prov provenance
 * @return 0, or -1 (the partial file is removed; message in js_output_error())
 */
int js_output_close(struct js_output *o, const struct js_world *w,
                    const struct js_provenance *prov);

/**
 * @brief Closes and removes the partial file (after a failure).
 * @param o the output (freed; NULL is fine)
 */
void js_output_abort(struct js_output *o);

/**
 * @brief Writes every buffered row to `<path>.partial` so that the file on disk is complete
 * and readable as it stands (a restart file copies it).
 * @param o the output
 * @return 0, or -1 (message in js_output_error())
 */
int js_output_flush(struct js_output *o);

/**
 * @brief The file being written (`<path>.partial`).
 * @param o the output
 */
const char *js_output_partial_file(const struct js_output *o);

/**
 * @brief Time rows written so far.
 * @param o the output
 */
int64_t js_output_rows_written(const struct js_output *o);

/**
 * @brief Rows of /events written so far (events recorded since the last row are not).
 * @param o the output
 */
int64_t js_output_events_written(const struct js_output *o);

/**
 * @brief Reopens `<path>.partial`, restored from a restart file, to continue a run: every
 * group, variable, /ledger and /events is opened by name and must hold exactly @p rows time
 * rows and @p events events.
 * @param out the output
 * @param path final path
 * @param sc the scenario (rebuilt from the restart file's parameters)
 * @param rows time rows the file holds
 * @param events rows of /events it holds
 * @param d errors
 * @return 0, or -1 with an error in @p d (the partial file is removed)
 */
int js_output_reopen(struct js_output **out, const char *path, const struct js_scenario *sc,
                     int64_t rows, int64_t events, struct js_diag *d);

/**
 * @brief The message of the last output failure.
 */
const char *js_output_error(void);

/**
 * @brief The temporary path the output is written to (`<path>.partial`).
 * @param path final path
 * @return a malloc'ed string
 */
char *js_output_partial_path(const char *path);

/**
 * @brief Prints what an output file holds: scenario, dates, seed, version, sizes.
 * @param path the file
 * @param f where to print
 * @param d errors (unreadable or not a jinsong file)
 * @return 0, or -1
 */
int js_output_describe(const char *path, FILE *f, struct js_diag *d);

#endif /* JS_OUTPUT_H */
