/**
 * @file ensemble.h
 * @brief `jinsong sweep`: every member of a sweep file, run by a pool of processes, an MPI
 * manager/worker queue or a Slurm job array; resumable; indexed in DIR/ensemble.h5.
 *
 * Member k runs `jinsong run SCENARIO --seed S --run-index k --set ...` (the sweep's seed, the
 * member's design values) writing DIR/member_<k>.h5, so that the same command reproduces it
 * bitwise. Layout of DIR and of ensemble.h5: docs/OUTPUT.md, "Ensembles".
 */
#ifndef JS_ENSEMBLE_H
#define JS_ENSEMBLE_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/** @brief Options of `jinsong sweep`. */
struct js_sweep_options {
    const char *sweep;         /**< the sweep file (NULL with --collect) */
    const char *dir;           /**< -o DIR, or the folder of --collect */
    bool quiet;                /**< errors only */
    bool fail_fast;            /**< stop at the first failed member */
    bool mpi;                  /**< manager/worker over MPI ranks */
    bool collect;              /**< only build DIR/ensemble.h5 */
    bool dry_run;              /**< check the sweep and print its members; run nothing */
    int jobs;                  /**< members run at once (0 = the cores available) */
    int threads;               /**< OpenMP threads of each member (default 1) */
    bool range_given;          /**< --member-range given */
    int64_t range_lo;          /**< its first member */
    int64_t range_hi;          /**< one past its last member */
    bool slurm;                /**< write the sbatch job-array script */
    bool submit;               /**< and submit it */
    int array_size;            /**< tasks of the job array (0 = one per 4 members, <= 1000) */
    const char *time;          /**< --time of each task (HH:MM:SS), or NULL */
    const char *partition;     /**< --partition, or NULL */
    const char *account;       /**< --account, or NULL */
    const char *mem;           /**< --mem, or NULL */
    int cpus_per_task;         /**< --cpus-per-task (0 = 1) */
    const char **sbatch_extra; /**< more #SBATCH lines (--sbatch-option) */
    int nsbatch_extra;         /**< how many */
    const char *command_line;  /**< for ensemble.h5's provenance */
};

/**
 * @brief `jinsong sweep`: runs (or, with --slurm, schedules; with --collect, indexes) a sweep.
 * @param o options
 * @return 0 every member done, 1 a member failed, 2 bad input (nothing run), 3 stopped with
 * members left to run (re-run the same command to resume)
 */
int js_sweep_main(const struct js_sweep_options *o);

#endif /* JS_ENSEMBLE_H */
