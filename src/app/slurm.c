/**
 * @file slurm.c
 * @brief `jinsong sweep --slurm`: an sbatch job-array script whose tasks each run their share
 * of the members (`jinsong sweep ... --member-range A:B`), a collect script that builds
 * ensemble.h5 once they are done, and --submit.
 */

/* system headers */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* local headers */
#include "ensemble_internal.h"
#include "jinsong/fsutil.h"
#include "jinsong/log.h"
#include "jinsong/run.h"
#include "jinsong/util.h"

/** @brief Most tasks of a job array by default (Slurm's default MaxArraySize is 1001). */
#define SLURM_DEFAULT_MAX_TASKS 1000

/**
 * @brief Writes a word quoted for the shell.
 * @param f stream
 * @param s the word
 */
static void slurm_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/**
 * @brief The #SBATCH lines both scripts share: time, partition, account, memory, extras.
 * @param f stream
 * @param o options
 */
static void slurm_common(FILE *f, const struct js_sweep_options *o)
{
    if (o->time)
        fprintf(f, "#SBATCH --time=%s\n", o->time);
    if (o->partition)
        fprintf(f, "#SBATCH --partition=%s\n", o->partition);
    if (o->account)
        fprintf(f, "#SBATCH --account=%s\n", o->account);
    for (int i = 0; i < o->nsbatch_extra; i++)
        fprintf(f, "#SBATCH %s\n", o->sbatch_extra[i]);
}

/**
 * @brief Writes the job-array script.
 * @param e the ensemble
 * @param path the script
 * @param ntasks tasks of the array
 * @param chunk members per task
 * @return 0, or -1
 */
static int slurm_write_array(const struct js_ensemble *e, const char *path, int64_t ntasks,
                             int64_t chunk)
{
    const struct js_sweep_options *o = e->opt;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int cpus = o->cpus_per_task > 0 ? o->cpus_per_task : 1;
    fprintf(f,
            "#!/bin/bash\n# jinsong sweep %s: %lld members as a job array of %lld tasks "
            "(%lld members each).\n",
            e->sweep.name, (long long)e->design.nmembers, (long long)ntasks, (long long)chunk);
    fprintf(f, "# Each task runs its share with `jinsong sweep --member-range A:B`; a requeued "
               "task resumes\n# (finished members are skipped; a member stopped by SIGTERM at the "
               "time limit goes on\n# from its restart files). When every task is done, "
               "`jinsong sweep --collect DIR`\n# (collect.sbatch) builds DIR/ensemble.h5.\n");
    fprintf(f, "#SBATCH --job-name=jinsong-%s\n#SBATCH --array=0-%lld\n", e->sweep.name,
            (long long)ntasks - 1);
    fprintf(f, "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=%d\n", cpus);
    if (o->mem)
        fprintf(f, "#SBATCH --mem=%s\n", o->mem);
    fprintf(f,
            "#SBATCH --output=%s/slurm/task_%%A_%%a.out\n#SBATCH --open-mode=append\n"
            "#SBATCH --requeue\n",
            e->dir);
    slurm_common(f, o);
    fprintf(f,
            "set -u\nN=%lld\nCHUNK=%lld\nA=$(( SLURM_ARRAY_TASK_ID * CHUNK ))\n"
            "B=$(( A + CHUNK ))\nif [ \"$B\" -gt \"$N\" ]; then B=$N; fi\nexec ",
            (long long)e->design.nmembers, (long long)chunk);
    slurm_quote(f, e->exe);
    fputs(" sweep ", f);
    slurm_quote(f, e->sweep_abs);
    fputs(" -o ", f);
    slurm_quote(f, e->dir);
    fprintf(f, " --member-range \"$A:$B\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --threads 1%s\n",
            o->fail_fast ? " --fail-fast" : "");
    return fclose(f);
}

/**
 * @brief Writes the collect script.
 * @param e the ensemble
 * @param path the script
 * @return 0, or -1
 */
static int slurm_write_collect(const struct js_ensemble *e, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "#!/bin/bash\n# Builds ensemble.h5 of jinsong sweep %s once its job array is done "
            "(submit with\n# --dependency=afterany:ARRAY_JOB_ID; jinsong sweep --submit does).\n",
            e->sweep.name);
    fprintf(f, "#SBATCH --job-name=jinsong-%s-collect\n#SBATCH --ntasks=1\n", e->sweep.name);
    fprintf(f, "#SBATCH --output=%s/slurm/collect_%%j.out\n", e->dir);
    slurm_common(f, e->opt);
    fputs("exec ", f);
    slurm_quote(f, e->exe);
    fputs(" sweep --collect ", f);
    slurm_quote(f, e->dir);
    fputc('\n', f);
    return fclose(f);
}

/**
 * @brief Runs `sbatch --parsable [--dependency=...] SCRIPT` and reads the job id.
 * @param script the script
 * @param after job id to depend on (afterany), or NULL
 * @param id out: the job id
 * @param len its size
 * @return 0, or -1 (message printed)
 */
static int slurm_submit(const char *script, const char *after, char *id, size_t len)
{
    char *cmd = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&cmd, &n);
    JS_ASSERT(f);
    fputs("sbatch --parsable ", f);
    if (after)
        fprintf(f, "--dependency=afterany:%s ", after);
    slurm_quote(f, script);
    fclose(f);
    FILE *p = popen(cmd, "r");
    id[0] = '\0';
    if (p && fgets(id, (int)len, p))
        id[strcspn(id, ";\n")] = '\0';
    int st = p ? pclose(p) : -1;
    int rc = st == 0 && id[0] ? 0 : -1;
    if (rc != 0)
        js_log_error("`%s` failed (is Slurm installed and its controller reachable?)", cmd);
    free(cmd);
    return rc;
}

int js_ensemble_slurm(const struct js_ensemble *e)
{
    const struct js_sweep_options *o = e->opt;
    int64_t n = e->design.nmembers;
    int64_t want = o->array_size > 0 ? o->array_size : SLURM_DEFAULT_MAX_TASKS;
    int64_t chunk = (n + (want < n ? want : n) - 1) / (want < n ? want : n);
    int64_t ntasks = (n + chunk - 1) / chunk;
    char *sdir = js_path_join(e->dir, "slurm");
    char *array = js_path_join(sdir, "sweep.sbatch");
    char *collect = js_path_join(sdir, "collect.sbatch");
    int rc = js_mkdir(sdir) == 0 && slurm_write_array(e, array, ntasks, chunk) == 0 &&
                     slurm_write_collect(e, collect) == 0
                 ? 0
                 : -1;
    if (rc != 0)
        js_log_error("cannot write the Slurm scripts in %s: %s", sdir, strerror(errno));
    chmod(array, 0755);
    chmod(collect, 0755);
    if (rc == 0 && !o->quiet)
        printf("%s: job array of %lld tasks, %lld members each (%lld members)\n%s: builds "
               "ensemble.h5 when they are done\n",
               array, (long long)ntasks, (long long)chunk, (long long)n, collect);
    char id[64], cid[64];
    if (rc == 0 && o->submit) {
        rc = slurm_submit(array, NULL, id, sizeof(id));
        if (rc == 0)
            rc = slurm_submit(collect, id, cid, sizeof(cid));
        if (rc == 0 && !o->quiet)
            printf("submitted job array %s and collect job %s\n", id, cid);
    }
    free(sdir);
    free(array);
    free(collect);
    return rc == 0 ? JS_EXIT_OK : JS_EXIT_FAILURE;
}
