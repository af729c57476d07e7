/**
 * @file checkpoint.h
 * @brief Restart files: the whole state of a run, so that it outlives a job's wall-time limit.
 *
 * A restart file (`DIR/restart.jsr`, the previous one kept as `DIR/restart.jsr.prev`) holds a
 * signature, then labelled blocks, each with its length and a checksum, then an end marker
 * (layout in docs/CHECKPOINT.md):
 *
 * - `version`: the program's version and git revision (a restart needs the same build);
 * - `run`: how to rebuild the run: scenario path, --set, --seed, --run-index, output path,
 *   rows and events already in the output, wall time so far, checkpoint options;
 * - `params`: the parameter table (key, value, unit, source), compared on restart;
 * - `state:<name>`: every array that js_world_visit_state() visits, with its element size and
 *   count (growable arrays are resized before they are filled);
 * - `output`: the output file as it stood (`OUT.h5.partial`, flushed), which a restart writes
 *   back and continues, so that the final file is the one an uninterrupted run writes.
 *
 * A restart rebuilds the world from the scenario, checks that the parameters are the same,
 * overwrites every visited array and invalidates the graph's caches (any module cache must be
 * rebuilt from state).
 */
#ifndef JS_CHECKPOINT_H
#define JS_CHECKPOINT_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/diag.h"
#include "jinsong/scenario.h"
#include "jinsong/world.h"

/** @brief Name of the restart file in its folder. */
#define JS_CHECKPOINT_FILE "restart.jsr"

/** @brief Name of the stop file: when it appears in the folder, the run writes a restart file
 * and stops. */
#define JS_CHECKPOINT_STOP_FILE "stop"

/** @brief How to rebuild and continue a run (the `run` block). */
struct js_checkpoint_run {
    char *scenario;           /**< the scenario file, absolute path */
    char **sets;              /**< --set arguments, in order */
    int nsets;                /**< how many */
    bool seed_given;          /**< --seed was given */
    uint32_t seed;            /**< its value */
    bool run_index_given;     /**< --run-index was given */
    uint32_t run_index;       /**< its value */
    char *output;             /**< final output path, absolute */
    int32_t day;              /**< days simulated */
    int64_t output_rows;      /**< time rows in the output */
    int64_t output_events;    /**< rows of /events in the output */
    double wall_seconds;      /**< wall time of the run so far, every segment */
    int32_t restarts;         /**< segments that ended in a restart file before this one */
    int32_t checkpoint_every; /**< --checkpoint-every (days, 0 = none) */
    double checkpoint_hours;  /**< --checkpoint-hours (0 = none) */
};

/** @brief An opened and verified restart file. */
struct js_checkpoint;

/**
 * @brief The restart file's path in a folder.
 * @param dir the folder
 * @return a malloc'ed path
 */
char *js_checkpoint_path(const char *dir);

/**
 * @brief Writes a restart file atomically: `DIR/restart.jsr.<pid>.tmp`, flushed to disk,
 * then the previous file becomes `.prev` and the new one takes its place (at every moment
 * `DIR/restart.jsr` is a complete file).
 * @param dir the folder (must exist)
 * @param run the run block
 * @param sc the scenario (its parameter table)
 * @param w the world (every visited array)
 * @param output_file the output being written (flushed by the caller), or NULL
 * @param err message on failure
 * @param errlen its size
 * @return 0, or -1 (the previous restart files are untouched)
 */
int js_checkpoint_write(const char *dir, const struct js_checkpoint_run *run,
                        const struct js_scenario *sc, struct js_world *w, const char *output_file,
                        char *err, size_t errlen);

/**
 * @brief Opens `DIR/restart.jsr` and verifies it whole: signature, version, every block's
 * length and checksum, the end marker. A truncated, damaged or foreign file, or one written by
 * another build, is refused with a message in @p d.
 * @param ck out: the opened file
 * @param dir the folder
 * @param d errors
 * @return 0, or -1
 */
int js_checkpoint_open(struct js_checkpoint **ck, const char *dir, struct js_diag *d);

/**
 * @brief The run block of an opened restart file.
 * @param ck the file
 */
const struct js_checkpoint_run *js_checkpoint_run_info(const struct js_checkpoint *ck);

/**
 * @brief Checks that a scenario rebuilt from the run block has the parameters recorded in the
 * restart file (the first difference is reported).
 * @param ck the file
 * @param sc the rebuilt scenario
 * @param d errors
 * @return 0, or -1
 */
int js_checkpoint_check_params(const struct js_checkpoint *ck, const struct js_scenario *sc,
                               struct js_diag *d);

/**
 * @brief Overwrites every array js_world_visit_state() visits with the restart file's, then
 * invalidates the graph's travel times and trees (routes may have closed).
 * @param ck the file
 * @param w the world, built from the same scenario
 * @param d errors (an array missing, extra or of another size: another build)
 * @return 0, or -1
 */
int js_checkpoint_restore_world(struct js_checkpoint *ck, struct js_world *w, struct js_diag *d);

/**
 * @brief Writes the output file recorded in the restart file to @p path.
 * @param ck the file
 * @param path where (the output's `.partial` path)
 * @param d errors
 * @return 0, or -1
 */
int js_checkpoint_restore_output(struct js_checkpoint *ck, const char *path, struct js_diag *d);

/**
 * @brief Closes a restart file.
 * @param ck the file (NULL is fine)
 */
void js_checkpoint_close(struct js_checkpoint *ck);

/**
 * @brief Frees the strings of a run block read from a file.
 * @param run the block
 */
void js_checkpoint_run_free(struct js_checkpoint_run *run);

#endif /* JS_CHECKPOINT_H */
