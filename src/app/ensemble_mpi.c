/**
 * @file ensemble_mpi.c
 * @brief `jinsong sweep ... --mpi`: a manager/worker queue over MPI ranks. Rank 0 prepares the
 * sweep (checks, plan, resume) and hands out members one at a time to whichever worker asks;
 * each worker runs its member as a child process and reports back. The members' files are
 * those of the serial sweep (same commands), so the results are identical. Compiled when
 * CMake finds MPI (JS_HAVE_MPI); MPI_Init is called only here, under --mpi.
 */

/* local headers */
#include "ensemble_internal.h"
#include "jinsong/log.h"
#include "jinsong/run.h"

#ifdef JS_HAVE_MPI

/* system headers */
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* MPI */
#include <mpi.h>

/* local headers */
#include "jinsong/util.h"

/** @brief Message tags. */
enum mpi_tag {
    MPI_TAG_READY = 1, /**< worker → manager: {member just run or -1, its state, wall} */
    MPI_TAG_WORK = 2,  /**< manager → worker: a member to run */
    MPI_TAG_STOP = 3   /**< manager → worker: no more work */
};

/**
 * @brief A receive that sleeps between polls: a blocking MPI_Recv spins a core, which the
 * members need.
 * @param buf buffer
 * @param count elements
 * @param type their type
 * @param src source rank or MPI_ANY_SOURCE
 * @param tag tag or MPI_ANY_TAG
 * @param st out: the status
 */
static void mpi_recv(void *buf, int count, MPI_Datatype type, int src, int tag, MPI_Status *st)
{
    MPI_Request req;
    MPI_Irecv(buf, count, type, src, tag, MPI_COMM_WORLD, &req);
    int done = 0;
    const struct timespec pause = {0, 2000000};
    for (MPI_Test(&req, &done, st); !done; MPI_Test(&req, &done, st))
        nanosleep(&pause, NULL);
}

/**
 * @brief A worker: asks for members and runs them until told to stop.
 * @param e the ensemble (prepared without checks)
 */
static void mpi_worker(const struct js_ensemble *e)
{
    double msg[3] = {-1.0, 0.0, 0.0};
    for (;;) {
        MPI_Send(msg, 3, MPI_DOUBLE, 0, MPI_TAG_READY, MPI_COMM_WORLD);
        int64_t k;
        MPI_Status st;
        mpi_recv(&k, 1, MPI_INT64_T, 0, MPI_ANY_TAG, &st);
        if (st.MPI_TAG == MPI_TAG_STOP)
            break;
        double wall = 0;
        enum js_member_state s = js_ensemble_run_one(e, k, &wall);
        msg[0] = (double)k;
        msg[1] = (double)s;
        msg[2] = wall;
    }
}

/**
 * @brief The manager: hands out the members to run, one per request, until none is left
 * (or a signal or --fail-fast stops the queue); then stops every worker.
 * @param e the ensemble
 * @param queue members to run
 * @param nqueue how many
 * @param nskipped members already complete
 * @param size ranks
 * @return the members' exit status
 */
static int mpi_manager(const struct js_ensemble *e, const int64_t *queue, int64_t nqueue,
                       int64_t nskipped, int size)
{
    struct js_ensemble_progress p;
    js_ensemble_progress_start(&p, e, nskipped);
    int64_t next = 0;
    int active = size - 1;
    bool stopping = false;
    while (active > 0) {
        double msg[3];
        MPI_Status st;
        mpi_recv(msg, 3, MPI_DOUBLE, MPI_ANY_SOURCE, MPI_TAG_READY, &st);
        if (msg[0] >= 0) {
            enum js_member_state s = (enum js_member_state)(int)msg[1];
            js_ensemble_progress_record(&p, e, (int64_t)msg[0], s);
            p.running--;
            stopping |= s == JS_MEMBER_FAILED && e->opt->fail_fast;
            stopping |= s == JS_MEMBER_STOPPED;
        }
        stopping |= js_ensemble_stop_signal() != 0;
        if (!stopping && next < nqueue) {
            MPI_Send(&queue[next++], 1, MPI_INT64_T, st.MPI_SOURCE, MPI_TAG_WORK, MPI_COMM_WORLD);
            p.running++;
        } else {
            int64_t none = -1;
            MPI_Send(&none, 1, MPI_INT64_T, st.MPI_SOURCE, MPI_TAG_STOP, MPI_COMM_WORLD);
            active--;
        }
        js_ensemble_progress_print(&p, false);
    }
    js_ensemble_progress_print(&p, true);
    return js_ensemble_progress_status(&p);
}

/**
 * @brief Rank 0's part: prepare, resume, manage (or run alone), index.
 * @param e the ensemble
 * @param o options
 * @param size ranks
 * @return the sweep's exit status
 */
static int mpi_rank0(struct js_ensemble *e, const struct js_sweep_options *o, int size)
{
    int64_t *queue = NULL, nqueue = 0, nskipped = 0;
    int rc = js_ensemble_prepare(e, o, true);
    if (rc == 0)
        rc = js_ensemble_queue(e, &queue, &nqueue, &nskipped);
    int64_t head[2] = {rc, (int64_t)e->scenario_hash};
    MPI_Bcast(head, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
    if (rc == 0 && !o->quiet)
        js_log_info("jinsong: MPI manager on rank 0, %d worker rank%s", size - 1,
                    size == 2 ? "" : "s");
    if (rc == 0)
        rc = size > 1 ? mpi_manager(e, queue, nqueue, nskipped, size)
                      : js_ensemble_pool(e, queue, nqueue, nskipped);
    free(queue);
    return rc == JS_EXIT_BAD_INPUT ? rc : js_ensemble_index(e, rc);
}

int js_ensemble_mpi(const struct js_sweep_options *o)
{
    MPI_Init(NULL, NULL);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    js_ensemble_catch_signals();
    struct js_ensemble e;
    memset(&e, 0, sizeof(e));
    int rc;
    if (rank == 0) {
        rc = mpi_rank0(&e, o, size);
    } else {
        int64_t head[2];
        MPI_Bcast(head, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
        rc = (int)head[0];
        if (rc == 0 && js_ensemble_prepare(&e, o, false) != 0) {
            js_log_error("MPI rank %d cannot read the sweep %s that rank 0 read", rank, o->sweep);
            MPI_Abort(MPI_COMM_WORLD, JS_EXIT_FAILURE);
        }
        if (rc == 0) {
            e.scenario_hash = (uint64_t)head[1];
            mpi_worker(&e);
        }
        rc = JS_EXIT_OK;
    }
    js_ensemble_free(&e);
    MPI_Finalize();
    return rc;
}

#else

int js_ensemble_mpi(const struct js_sweep_options *o)
{
    (void)o;
    js_log_error("--mpi: this jinsong was built without MPI (CMake did not find it; install "
                 "libopenmpi-dev and rebuild), or run the sweep without --mpi");
    return JS_EXIT_BAD_INPUT;
}

#endif
