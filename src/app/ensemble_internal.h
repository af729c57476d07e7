/**
 * @file ensemble_internal.h
 * @brief Inside app/ensemble: the prepared sweep, members' status files, the plan file, and
 * the drivers (process pool, MPI, Slurm) that share them.
 *
 * The output folder DIR holds member_<k>.h5, sweep_plan.tsv (every member's seed, run index
 * and values: what --collect indexes), status/member_<k>.txt (written by whoever ran the
 * member: state, fingerprint, checksum of its file, wall time, error), logs/member_<k>.log
 * (its stderr), restart/member_<k>/ (its restart files while it is unfinished), slurm/ and
 * ensemble.h5.
 */
#ifndef JS_ENSEMBLE_INTERNAL_H
#define JS_ENSEMBLE_INTERNAL_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* local headers */
#include "jinsong/design.h"
#include "jinsong/ensemble.h"
#include "jinsong/sweep.h"

/** @brief Name of the plan file in DIR. */
#define JS_ENSEMBLE_PLAN "sweep_plan.tsv"

/** @brief A prepared sweep. */
struct js_ensemble {
    const struct js_sweep_options *opt; /**< command-line options */
    struct js_sweep sweep;              /**< the sweep file */
    struct js_design design;            /**< its design */
    char *sweep_abs;                    /**< the sweep file, absolute */
    char *scenario_abs;                 /**< the base scenario, absolute */
    char *dir;                          /**< the output folder, absolute */
    char *exe;                          /**< this program, to run members */
    uint64_t scenario_hash;             /**< checksum of the resolved base scenario */
    char **text;                        /**< [npoints × nparams] values as --set text */
    int64_t lo;                         /**< first member this process runs */
    int64_t hi;                         /**< one past the last */
};

/** @brief What became of a member. */
enum js_member_state {
    JS_MEMBER_PENDING = 0, /**< not run (or no status file) */
    JS_MEMBER_OK,          /**< done: its file is complete */
    JS_MEMBER_FAILED,      /**< its run failed (error recorded) */
    JS_MEMBER_STOPPED      /**< stopped by a signal with restart files: resumes */
};

/** @brief A member's status file. */
struct js_member_status {
    enum js_member_state state; /**< what became of it */
    uint64_t fingerprint;       /**< checksum of what defines it (scenario, --set, seed, k) */
    uint64_t checksum;          /**< checksum of its output file (ok members) */
    double wall;                /**< wall seconds of its run */
    char error[512];            /**< error of a failed member */
    char args[2048];            /**< its --set, seed and run index, for messages */
};

/**
 * @brief Reads the sweep file, builds the design, checks every parameter against the
 * scenario's valid range, and (manager only) writes the plan.
 * @param e the ensemble (zeroed here)
 * @param o options
 * @param manager validate and write the plan (false: an MPI worker, which only needs the
 * design)
 * @return 0, or an exit status (messages printed)
 */
int js_ensemble_prepare(struct js_ensemble *e, const struct js_sweep_options *o, bool manager);

/**
 * @brief Frees a prepared sweep.
 * @param e the ensemble
 */
void js_ensemble_free(struct js_ensemble *e);

/**
 * @brief Lists the members of [lo, hi) still to run; refuses (exit 2) when the sweep file now
 * gives a finished member other values than it ran with.
 * @param e the ensemble
 * @param queue out: malloc'ed member indices
 * @param nqueue out: how many
 * @param nskipped out: members already complete
 * @return 0, or an exit status (message printed)
 */
int js_ensemble_resume(const struct js_ensemble *e, int64_t **queue, int64_t *nqueue,
                       int64_t *nskipped);

/**
 * @brief js_ensemble_resume, then a line saying what will run.
 * @param e the ensemble
 * @param queue out: malloc'ed member indices
 * @param nqueue out: how many
 * @param nskipped out: members already complete
 * @return 0, or an exit status
 */
int js_ensemble_queue(const struct js_ensemble *e, int64_t **queue, int64_t *nqueue,
                      int64_t *nskipped);

/**
 * @brief After the members ran: builds ensemble.h5 (a --member-range share only once every
 * member of the sweep is done).
 * @param e the ensemble
 * @param rc the run's exit status
 * @return the sweep's exit status
 */
int js_ensemble_index(const struct js_ensemble *e, int rc);

/**
 * @brief Runs member k to its end (a child process; on a stop signal the child is asked to
 * write its restart files) and records it.
 * @param e the ensemble
 * @param k the member
 * @param wall out: its wall seconds
 * @return its state
 */
enum js_member_state js_ensemble_run_one(const struct js_ensemble *e, int64_t k, double *wall);

/** @brief Progress of a sweep (printed on stderr). */
struct js_ensemble_progress {
    bool tty;        /**< rewrite one line (a terminal) */
    bool quiet;      /**< print nothing */
    double t0;       /**< wall time at start */
    double last;     /**< last line printed */
    int64_t total;   /**< members in scope */
    int64_t skipped; /**< complete before this run */
    int64_t done;    /**< finished ok in this run */
    int64_t failed;  /**< failed */
    int64_t stopped; /**< stopped with restart files */
    int64_t running; /**< running now */
};

/**
 * @brief Starts the progress of a sweep.
 * @param p progress
 * @param e the ensemble
 * @param nskipped members complete before this run
 */
void js_ensemble_progress_start(struct js_ensemble_progress *p, const struct js_ensemble *e,
                                int64_t nskipped);

/**
 * @brief Counts a member that ended; warns about a failure with its error.
 * @param p progress
 * @param e the ensemble
 * @param k the member
 * @param st its state
 */
void js_ensemble_progress_record(struct js_ensemble_progress *p, const struct js_ensemble *e,
                                 int64_t k, enum js_member_state st);

/**
 * @brief Prints the progress line: members done/total, failures, running, ETA.
 * @param p progress
 * @param final the last line (always printed)
 */
void js_ensemble_progress_print(struct js_ensemble_progress *p, bool final);

/**
 * @brief The exit status of the members run: 1 if one failed, 3 if some are left, else 0.
 * @param p progress
 */
int js_ensemble_progress_status(const struct js_ensemble_progress *p);

/**
 * @brief Starts member k (`jinsong run ...` as a child process, stderr to its log).
 * @param e the ensemble
 * @param k the member
 * @return the child's pid, or -1 (message printed)
 */
pid_t js_ensemble_spawn(const struct js_ensemble *e, int64_t k);

/**
 * @brief Records how member k ended (status file; its restart files removed when done).
 * @param e the ensemble
 * @param k the member
 * @param wstatus the child's wait status (-1 if it could not start)
 * @param wall its wall seconds
 * @return its state
 */
enum js_member_state js_ensemble_finish(const struct js_ensemble *e, int64_t k, int wstatus,
                                        double wall);

/**
 * @brief Runs members with a pool of child processes (--jobs at a time); prints progress.
 * @param e the ensemble
 * @param queue members to run
 * @param nqueue how many
 * @param nskipped members skipped as complete (for the progress line)
 * @return 0, 1 if one failed, 3 if stopped by a signal or --fail-fast
 */
int js_ensemble_pool(const struct js_ensemble *e, const int64_t *queue, int64_t nqueue,
                     int64_t nskipped);

/**
 * @brief The fingerprint of member k: checksum of its scenario, --set list, seed, run index.
 * @param e the ensemble
 * @param k the member
 * @param args out: the same as text, for messages (may be NULL)
 * @param len its size
 */
uint64_t js_ensemble_fingerprint(const struct js_ensemble *e, int64_t k, char *args, size_t len);

/**
 * @brief Writes DIR/sweep_plan.tsv (atomically).
 * @param e the ensemble
 * @return 0, or -1 (message printed)
 */
int js_ensemble_plan_write(const struct js_ensemble *e);

/**
 * @brief Writes a member's status file (atomically).
 * @param dir the output folder
 * @param k the member
 * @param st its status
 * @return 0, or -1
 */
int js_ensemble_status_write(const char *dir, int64_t k, const struct js_member_status *st);

/**
 * @brief Reads a member's status file.
 * @param dir the output folder
 * @param k the member
 * @param st out (state PENDING when there is none)
 * @return 0 if there is one, -1 if not
 */
int js_ensemble_status_read(const char *dir, int64_t k, struct js_member_status *st);

/**
 * @brief Builds DIR/ensemble.h5 from the plan, the status files and the member files.
 * @param dir the output folder
 * @param command_line for its provenance
 * @param quiet print nothing but errors
 * @return 0 every member done, 1 some failed or pending, 2 no plan or unwritable
 */
int js_ensemble_collect(const char *dir, const char *command_line, bool quiet);

/**
 * @brief `--slurm`: writes DIR/slurm/sweep.sbatch and collect.sbatch; submits them with
 * --submit.
 * @param e the ensemble (prepared, plan written)
 * @return an exit status
 */
int js_ensemble_slurm(const struct js_ensemble *e);

/**
 * @brief `--mpi`: the manager/worker queue (MPI_Init and MPI_Finalize inside).
 * @param o options
 * @return an exit status
 */
int js_ensemble_mpi(const struct js_sweep_options *o);

/**
 * @brief Member path DIR/<prefix><k><suffix>.
 * @param dir the output folder
 * @param prefix e.g. "member_" or "status/member_"
 * @param k the member
 * @param suffix e.g. ".h5"
 * @return a malloc'ed path
 */
char *js_ensemble_path(const char *dir, const char *prefix, int64_t k, const char *suffix);

/**
 * @brief Installs the handlers of SIGTERM and SIGINT: they ask the sweep to stop (no new member
 * starts; running members write their restart files and stop).
 */
void js_ensemble_catch_signals(void);

/**
 * @brief The signal that asked the sweep to stop, or 0.
 */
int js_ensemble_stop_signal(void);

#endif /* JS_ENSEMBLE_INTERNAL_H */
