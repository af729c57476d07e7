/**
 * @file main.c
 * @brief The command line: jinsong run | validate | info, --version, --help.
 *
 * Exit status: 0 ok, 2 bad input (usage, config, unreadable file), 1 a failure while
 * running.
 */

/* system headers */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libraries */
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <libfyaml.h>

/* local headers */
#include "jinsong/build_info.h"
#include "jinsong/ensemble.h"
#include "jinsong/flee.h"
#include "jinsong/gitrev.h"
#include "jinsong/run.h"
#include "jinsong/util.h"

static const char usage_main[] =
    "usage: jinsong <command> [options]\n"
    "\n"
    "A parallel stochastic agent-based simulation of the Jin-Song wars.\n"
    "\n"
    "commands:\n"
    "  run CONFIG        simulate a scenario and write its HDF5 output\n"
    "  validate CONFIG   check a scenario and print every parameter it uses\n"
    "  info OUT.h5       describe an output file\n"
    "  sweep SWEEP.yaml  run every member of a parameter sweep (pool, MPI or Slurm)\n"
    "  import-flee DIR   convert a FLEE scenario (input_csv/, source_data/) into a scenario\n"
    "  flee-score RUN.h5 DIR  FLEE's validation error of a run against DIR's UNHCR counts\n"
    "\n"
    "  jinsong --version       print the version and the libraries\n"
    "  jinsong COMMAND --help  options of a command\n"
    "\n"
    "exit status: 0 ok, 2 bad input (nothing written), 1 failure while running\n";

static const char usage_run[] =
    "usage: jinsong run CONFIG [-o OUT.h5] [--seed N] [--run-index K] [--threads N]\n"
    "                   [--set key.path=value]... [--dry-run] [--quiet]\n"
    "                   [--checkpoint-dir DIR [--checkpoint-every N] [--checkpoint-hours H]\n"
    "                    [--max-wall-time T] [--stop-after-days N]]\n"
    "       jinsong run --restart DIR [-o OUT.h5] [--threads N] [--quiet] [checkpoint options]\n"
    "\n"
    "Simulates the scenario CONFIG (YAML) and writes OUT.h5 (default results/<scenario>.h5).\n"
    "The file is written to OUT.h5.partial and renamed when the run completes.\n"
    "\n"
    "  -o, --output OUT.h5     output file\n"
    "  --seed N                seed of the random streams (0..4294967295; default: scenario.seed)\n"
    "  --run-index K           run index of the random streams (0..4294967295; default 0)\n"
    "  --threads N             OpenMP threads (default: OMP_NUM_THREADS, else all cores);\n"
    "                          the output is identical for any number of threads\n"
    "  --set key.path=value    change a parameter (repeatable), e.g.\n"
    "                          --set places.kaifeng.walls.strength=0.8\n"
    "  --dry-run               validate and size the run (entities, memory), run nothing\n"
    "  -q, --quiet             print errors only\n"
    "\n"
    "restart files (docs/CHECKPOINT.md):\n"
    "  --checkpoint-dir DIR    write restart files to DIR (restart.jsr, the previous one kept\n"
    "                          as restart.jsr.prev); one is written, and the run stops, on\n"
    "                          SIGTERM or SIGINT, when a file DIR/stop appears, and at the\n"
    "                          limits below\n"
    "  --checkpoint-every N    also write one every N simulated days\n"
    "  --checkpoint-hours H    also write one every H wall-clock hours\n"
    "  --max-wall-time T       stop in time to write one before T (HH:MM:SS, or seconds)\n"
    "  --stop-after-days N     simulate N days (from the start or the restart), write one and\n"
    "                          stop: exit 0 and no final output\n"
    "  --restart DIR           continue the run of DIR's restart file, writing restart files\n"
    "                          there again; the output goes where the first run sent it unless\n"
    "                          -o is given. The final file is identical to an uninterrupted "
    "run's.\n"
    "\n"
    "exit status 3: stopped early with a restart file written (continue with --restart)\n";

static const char usage_validate[] =
    "usage: jinsong validate CONFIG [--set key.path=value]... [--seed N] [--run-index K] "
    "[--quiet]\n"
    "\n"
    "Checks the scenario CONFIG and prints the resolved parameter table: every parameter\n"
    "with its value, unit and source (file:line, --set or default). Every error is\n"
    "reported with its file:line:col, key, what was expected and how to fix it (exit 2).\n";

static const char usage_info[] = "usage: jinsong info OUT.h5 [--quiet]\n"
                                 "\n"
                                 "Describes an output file: scenario, dates, seed, version, "
                                 "sizes, events.\n";

static const char usage_sweep[] =
    "usage: jinsong sweep SWEEP.yaml -o DIR [--jobs N] [--threads N] [--fail-fast] [--quiet]\n"
    "                     [--member-range A:B] [--mpi]\n"
    "       jinsong sweep SWEEP.yaml -o DIR --slurm [--array-size M] [--time HH:MM:SS]\n"
    "                     [--partition P] [--account A] [--mem MEM] [--cpus-per-task C]\n"
    "                     [--sbatch-option OPTION]... [--submit]\n"
    "       jinsong sweep --collect DIR\n"
    "       jinsong sweep SWEEP.yaml --dry-run\n"
    "\n"
    "Runs every member of the sweep file (docs/CONFIG.md, \"Sweep files\"): member k is\n"
    "`jinsong run SCENARIO --seed S --run-index k --set ...` (the sweep's seed, the member's\n"
    "values), writing DIR/member_<k>.h5; then DIR/ensemble.h5 indexes them (docs/OUTPUT.md,\n"
    "\"Ensembles\"). Every design value is checked against the scenario before anything runs.\n"
    "Re-running the same command resumes: complete members are skipped; a change of the sweep\n"
    "file that would alter a finished member is refused.\n"
    "\n"
    "  -o, --output DIR        the output folder (created if missing)\n"
    "  --jobs N                members run at once (default: the cores available / --threads)\n"
    "  --threads N             OpenMP threads of each member (default 1)\n"
    "  --fail-fast             stop at the first failed member (default: record it, go on)\n"
    "  --member-range A:B      run members A to B-1 only (Slurm array tasks)\n"
    "  --mpi                   manager/worker queue over MPI ranks (mpirun -n N jinsong ...)\n"
    "  --slurm                 write DIR/slurm/sweep.sbatch (a job array; each task runs its\n"
    "                          share with --member-range) and DIR/slurm/collect.sbatch\n"
    "  --array-size M          tasks of the job array (default: one per member, at most 1000)\n"
    "  --time, --partition, --account, --mem, --cpus-per-task   #SBATCH options of the tasks\n"
    "  --sbatch-option OPTION  another #SBATCH line, e.g. --sbatch-option=--qos=long\n"
    "  --submit                submit both with sbatch (collect after the array: afterany)\n"
    "  --collect DIR           only (re)build DIR/ensemble.h5 from the members done\n"
    "  --dry-run               check the sweep file and its design values, print the members'\n"
    "                          commands, run and write nothing\n"
    "  -q, --quiet             print errors only\n"
    "\n"
    "exit status: 0 all members done, 1 a member failed, 2 bad input (nothing run),\n"
    "3 stopped by a signal with members left (run the same command again to resume)\n";

/** @brief A usage error: message, the command's usage, exit status 2. */
static int main_usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "jinsong: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return JS_EXIT_BAD_INPUT;
}

/**
 * @brief Strict uint32 parsing.
 * @return 0, or -1
 */
static int main_parse_u32(const char *s, uint32_t *out)
{
    if (!s || !s[0] || s[0] == '-' || s[0] == '+')
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE || v > UINT32_MAX || strlen(s) > 10)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/**
 * @brief A positive number of hours (or seconds), strictly parsed.
 * @return 0, or -1
 */
static int main_parse_positive(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s && s[0] ? strtod(s, &end) : 0.0;
    if (!s || !s[0] || errno || *end || !(v > 0) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

/**
 * @brief A duration written HH:MM:SS (hours may exceed 24) or as seconds.
 * @return 0, or -1
 */
static int main_parse_duration(const char *s, double *out)
{
    unsigned h, m, sec;
    char tail;
    if (s && sscanf(s, "%u:%u:%u%c", &h, &m, &sec, &tail) == 3 && m < 60 && sec < 60 &&
        h < 100000) {
        *out = h * 3600.0 + m * 60.0 + sec;
        return *out > 0 ? 0 : -1;
    }
    return main_parse_positive(s, out);
}

/** @brief Options shared by the verbs' parser. */
struct main_opts {
    const char *positional;
    const char *output;
    const char **sets;
    int nsets;
    bool seed_given, run_given, dry_run, quiet, help;
    uint32_t seed, run_index;
    int threads;
    const char *restart;        /**< --restart DIR */
    const char *checkpoint_dir; /**< --checkpoint-dir DIR */
    uint32_t checkpoint_every;  /**< --checkpoint-every N */
    double checkpoint_hours;    /**< --checkpoint-hours H */
    double max_wall;            /**< --max-wall-time, seconds */
    uint32_t stop_after;        /**< --stop-after-days N */
};

/**
 * @brief The value of an option given as "--opt value" or "--opt=value".
 * @param argv arguments
 * @param i index (advanced past a separate value)
 * @param argc count
 * @param name the option
 * @param value out
 * @return 1 if argv[*i] is this option, 0 if not, -1 if its value is missing
 */
static int main_opt_value(char **argv, int *i, int argc, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

/**
 * @brief Parses one restart-file option (--restart, --checkpoint-*, --max-wall-time,
 * --stop-after-days) if argv[*i] is one.
 * @param argv arguments
 * @param i index (advanced past a separate value)
 * @param argc count
 * @param usage the verb's usage
 * @param o options
 * @return 1 if consumed, 0 if not one of them, -1 after a usage error
 */
static int main_parse_checkpoint(char **argv, int *i, int argc, const char *usage,
                                 struct main_opts *o)
{
    const char *a = argv[*i], *v = NULL;
    const char *bad = NULL;
    int r;
    if ((r = main_opt_value(argv, i, argc, "--restart", &v)) ||
        (r = main_opt_value(argv, i, argc, "--checkpoint-dir", &v))) {
        if (r < 0 || !v[0])
            bad = "%s needs a folder";
        else
            *(strncmp(a, "--restart", 9) ? &o->checkpoint_dir : &o->restart) = v;
    } else if ((r = main_opt_value(argv, i, argc, "--checkpoint-every", &v)) ||
               (r = main_opt_value(argv, i, argc, "--stop-after-days", &v))) {
        uint32_t n;
        if (r < 0 || main_parse_u32(v, &n) != 0 || n < 1 || n > JS_SCENARIO_MAX_DAYS)
            bad = "%s takes a number of days in [1, 73050]";
        else
            *(strncmp(a, "--checkpoint-every", 18) ? &o->stop_after : &o->checkpoint_every) = n;
    } else if ((r = main_opt_value(argv, i, argc, "--checkpoint-hours", &v))) {
        if (r < 0 || main_parse_positive(v, &o->checkpoint_hours) != 0)
            bad = "%s takes a positive number of hours";
    } else if ((r = main_opt_value(argv, i, argc, "--max-wall-time", &v))) {
        if (r < 0 || main_parse_duration(v, &o->max_wall) != 0)
            bad = "%s takes HH:MM:SS or a number of seconds";
    }
    if (bad) {
        main_usage_error(usage, bad, a);
        return -1;
    }
    return r ? 1 : 0;
}

/**
 * @brief Parses a verb's arguments.
 * @param argc count (argv[0] is the verb)
 * @param argv arguments
 * @param usage the verb's usage
 * @param allowed which options the verb accepts ("osrtdSc": output, seed, run-index, threads,
 * dry-run, set, checkpoint and restart options)
 * @param o out
 * @return 0, or an exit status
 */
static int main_parse(int argc, char **argv, const char *usage, const char *allowed,
                      struct main_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->sets = calloc((size_t)argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (strchr(allowed, 'd') && !strcmp(a, "--dry-run")) {
            o->dry_run = true;
        } else if (strchr(allowed, 'o') &&
                   ((r = main_opt_value(argv, &i, argc, "--output", &v)) != 0 ||
                    (r = main_opt_value(argv, &i, argc, "-o", &v)) != 0)) {
            if (r < 0 || !v[0])
                return main_usage_error(usage, "%s needs a file name", a);
            o->output = v;
        } else if (strchr(allowed, 's') && (r = main_opt_value(argv, &i, argc, "--seed", &v))) {
            if (r < 0 || main_parse_u32(v, &o->seed) != 0)
                return main_usage_error(
                    usage, "--seed takes an integer in [0, 4294967295], got '%s'", r < 0 ? "" : v);
            o->seed_given = true;
        } else if (strchr(allowed, 'r') &&
                   (r = main_opt_value(argv, &i, argc, "--run-index", &v))) {
            if (r < 0 || main_parse_u32(v, &o->run_index) != 0)
                return main_usage_error(usage,
                                        "--run-index takes an integer in [0, 4294967295], got '%s'",
                                        r < 0 ? "" : v);
            o->run_given = true;
        } else if (strchr(allowed, 't') && (r = main_opt_value(argv, &i, argc, "--threads", &v))) {
            uint32_t t;
            if (r < 0 || main_parse_u32(v, &t) != 0 || t < 1 || t > 4096)
                return main_usage_error(usage, "--threads takes an integer in [1, 4096], got '%s'",
                                        r < 0 ? "" : v);
            o->threads = (int)t;
        } else if (strchr(allowed, 'S') && (r = main_opt_value(argv, &i, argc, "--set", &v))) {
            if (r < 0)
                return main_usage_error(usage, "%s needs key.path=value", a);
            o->sets[o->nsets++] = v;
        } else if (strchr(allowed, 'c') && (r = main_parse_checkpoint(argv, &i, argc, usage, o))) {
            if (r < 0)
                return JS_EXIT_BAD_INPUT;
        } else if (a[0] == '-' && a[1] != '\0') {
            return main_usage_error(usage, "unknown option '%s'", a);
        } else if (!o->positional) {
            o->positional = a;
        } else {
            return main_usage_error(usage, "unexpected argument '%s'", a);
        }
    }
    return 0;
}

/** @brief The command line as one string, for /provenance. */
static char *main_command_line(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = js_xmalloc(len);
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/** @brief `jinsong --version`. */
static int main_version(void)
{
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    printf("jinsong %s (git %s)\n", JS_VERSION, JS_GIT_REVISION);
    printf("  compiler   %s, flags: %s\n", JS_COMPILER, JS_BUILD_FLAGS);
    printf("  libraries  HDF5 %u.%u.%u, GSL %s, Random123 %s, libfyaml %s\n", maj, min, rel,
           GSL_VERSION, JS_RANDOM123_VERSION, fy_library_version());
    return JS_EXIT_OK;
}

/**
 * @brief A usage error of `jinsong sweep`.
 * @param fmt message format (one %s)
 * @param arg its argument
 * @return -1
 */
static int main_sweep_bad(const char *fmt, const char *arg)
{
    main_usage_error(usage_sweep, fmt, arg);
    return -1;
}

/**
 * @brief Checks the combinations of `jinsong sweep` options, then runs it.
 * @param so the options
 */
static int main_sweep_check(const struct js_sweep_options *so)
{
    bool slurm_opts = so->array_size || so->time || so->partition || so->account || so->mem ||
                      so->cpus_per_task || so->nsbatch_extra || so->submit;
    const char *bad = NULL;
    if (so->collect && (so->sweep || so->mpi || so->slurm || so->range_given))
        bad = "--collect DIR takes no sweep file and no other mode%s";
    else if (!so->collect && !so->sweep)
        bad = "sweep needs a sweep file%s";
    else if (!so->collect && !so->dir && !so->dry_run)
        bad = "sweep needs an output folder: -o DIR%s";
    else if (so->dry_run && (so->collect || so->mpi || so->slurm))
        bad = "--dry-run checks a sweep file; it goes with no other mode%s";
    else if (so->mpi && so->slurm)
        bad = "choose --mpi or --slurm%s";
    else if (slurm_opts && !so->slurm)
        bad = "--submit, --array-size, --time, --partition, --account, --mem, --cpus-per-task and "
              "--sbatch-option go with --slurm%s";
    if (bad)
        return main_usage_error(usage_sweep, bad, "");
    return js_sweep_main(so);
}

/**
 * @brief Parses `A:B` (A <= B) of --member-range.
 * @return 0, or -1
 */
static int main_parse_range(const char *v, struct js_sweep_options *so)
{
    long long a, b;
    char tail;
    if (!v || sscanf(v, "%lld:%lld%c", &a, &b, &tail) != 2 || a < 0 || b < a)
        return -1;
    so->range_given = true;
    so->range_lo = a;
    so->range_hi = b;
    return 0;
}

/**
 * @brief Parses one value option of `jinsong sweep` if argv[*i] is one.
 * @param argv arguments
 * @param i index (advanced past a separate value)
 * @param argc count
 * @param so options
 * @return 1 if consumed, 0 if not one of them, -1 after a usage error
 */
static int main_sweep_value(char **argv, int *i, int argc, struct js_sweep_options *so)
{
    static const char *const text_opts[] = {"--output",  "-o",    "--time",   "--partition",
                                            "--account", "--mem", "--collect"};
    const char **text_dest[] = {&so->dir,     &so->dir, &so->time, &so->partition,
                                &so->account, &so->mem, &so->dir};
    static const char *const int_opts[] = {"--jobs", "--threads", "--array-size",
                                           "--cpus-per-task"};
    int *int_dest[] = {&so->jobs, &so->threads, &so->array_size, &so->cpus_per_task};
    const char *a = argv[*i], *v = NULL;
    int r;
    for (size_t k = 0; k < JS_COUNTOF(text_opts); k++)
        if ((r = main_opt_value(argv, i, argc, text_opts[k], &v))) {
            if (r < 0 || !v[0])
                return main_sweep_bad("%s needs a value", a);
            *text_dest[k] = v;
            so->collect |= k == JS_COUNTOF(text_opts) - 1;
            return 1;
        }
    for (size_t k = 0; k < JS_COUNTOF(int_opts); k++)
        if ((r = main_opt_value(argv, i, argc, int_opts[k], &v))) {
            uint32_t n;
            if (r < 0 || main_parse_u32(v, &n) != 0 || n < 1 || n > 100000)
                return main_sweep_bad("%s takes an integer in [1, 100000]", a);
            *int_dest[k] = (int)n;
            return 1;
        }
    if ((r = main_opt_value(argv, i, argc, "--member-range", &v))) {
        if (r < 0 || main_parse_range(v, so) != 0)
            return main_sweep_bad("%s takes A:B with 0 <= A <= B", a);
        return 1;
    }
    if ((r = main_opt_value(argv, i, argc, "--sbatch-option", &v))) {
        if (r < 0)
            return main_sweep_bad("%s needs a value", a);
        so->sbatch_extra[so->nsbatch_extra++] = v;
        return 1;
    }
    return 0;
}

/**
 * @brief Parses and runs `jinsong sweep`.
 * @param argc count (argv[0] is the verb)
 * @param argv arguments
 * @param cmdline the command line
 */
static int main_sweep(int argc, char **argv, const char *cmdline)
{
    struct js_sweep_options so;
    memset(&so, 0, sizeof(so));
    so.sbatch_extra = js_xcalloc((size_t)argc, sizeof(char *));
    so.command_line = cmdline;
    static const char *const flags[] = {"--quiet",  "-q",        "--fail-fast", "--mpi", "--slurm",
                                        "--submit", "--dry-run", "--help",      "-h"};
    bool *flag_dest[] = {&so.quiet,  &so.quiet,   &so.fail_fast, &so.mpi, &so.slurm,
                         &so.submit, &so.dry_run, NULL,          NULL};
    int rc = 0;
    bool help = false;
    for (int i = 1; i < argc && rc == 0; i++) {
        size_t k = 0;
        while (k < JS_COUNTOF(flags) && strcmp(argv[i], flags[k]) != 0)
            k++;
        int r = k < JS_COUNTOF(flags) ? 1 : main_sweep_value(argv, &i, argc, &so);
        if (k < JS_COUNTOF(flags))
            *(flag_dest[k] ? flag_dest[k] : &help) = true;
        else if (r < 0)
            rc = JS_EXIT_BAD_INPUT;
        else if (r == 0 && argv[i][0] == '-')
            rc = main_usage_error(usage_sweep, "unknown option '%s'", argv[i]);
        else if (r == 0 && so.sweep)
            rc = main_usage_error(usage_sweep, "unexpected argument '%s'", argv[i]);
        else if (r == 0)
            so.sweep = argv[i];
    }
    if (rc == 0 && help)
        fputs(usage_sweep, stdout);
    else if (rc == 0)
        rc = main_sweep_check(&so);
    free(so.sbatch_extra);
    return rc;
}

/**
 * @brief `jinsong run` after parsing: checks the combinations of options, then runs.
 * @param o parsed options
 * @param cmdline the command line
 */
static int main_run(const struct main_opts *o, char *cmdline)
{
    bool ck_opts =
        o->checkpoint_every || o->checkpoint_hours > 0 || o->max_wall > 0 || o->stop_after;
    if (o->restart && (o->positional || o->nsets || o->seed_given || o->run_given || o->dry_run))
        return main_usage_error(usage_run,
                                "--restart continues the run recorded in %s: give no scenario, "
                                "--set, --seed, --run-index or --dry-run",
                                o->restart);
    if (!o->restart && !o->positional)
        return main_usage_error(usage_run, "run needs a scenario file%s", "");
    if (ck_opts && !o->checkpoint_dir && !o->restart)
        return main_usage_error(usage_run, "%s",
                                "--checkpoint-every, --checkpoint-hours, --max-wall-time and "
                                "--stop-after-days need --checkpoint-dir DIR (where restart "
                                "files go)");
    struct js_run_options ro = {0};
    ro.config = o->positional;
    ro.output = o->output;
    ro.sc = (struct js_scenario_options){o->sets, o->nsets,     o->seed_given,
                                         o->seed, o->run_given, o->run_index};
    ro.threads = o->threads;
    ro.dry_run = o->dry_run;
    ro.quiet = o->quiet;
    ro.command_line = cmdline;
    ro.restart = o->restart;
    ro.checkpoint_dir = o->checkpoint_dir;
    ro.checkpoint_every = (int32_t)o->checkpoint_every;
    ro.checkpoint_hours = o->checkpoint_hours;
    ro.max_wall_seconds = o->max_wall;
    ro.stop_after_days = (int32_t)o->stop_after;
    return js_run(&ro);
}

/** @brief Runs a verb after parsing its options. */
static int main_verb(int argc, char **argv, const char *verb, char *cmdline)
{
    struct main_opts o;
    int rc;
    if (!strcmp(verb, "run")) {
        rc = main_parse(argc, argv, usage_run, "osrtdSc", &o);
        if (rc == 0 && o.help)
            fputs(usage_run, stdout);
        else if (rc == 0)
            rc = main_run(&o, cmdline);
    } else if (!strcmp(verb, "sweep")) {
        return main_sweep(argc, argv, cmdline);
    } else if (!strcmp(verb, "import-flee") || !strcmp(verb, "flee-score")) {
        return js_flee_cli(argc, argv);
    } else if (!strcmp(verb, "validate")) {
        rc = main_parse(argc, argv, usage_validate, "srS", &o);
        if (rc == 0 && o.help) {
            fputs(usage_validate, stdout);
        } else if (rc == 0 && !o.positional) {
            rc = main_usage_error(usage_validate, "validate needs a scenario file%s", "");
        } else if (rc == 0) {
            struct js_scenario_options so = {o.sets, o.nsets,     o.seed_given,
                                             o.seed, o.run_given, o.run_index};
            rc = js_validate(o.positional, &so, o.quiet);
        }
    } else if (!strcmp(verb, "info")) {
        rc = main_parse(argc, argv, usage_info, "", &o);
        if (rc == 0 && o.help)
            fputs(usage_info, stdout);
        else if (rc == 0 && !o.positional)
            rc = main_usage_error(usage_info, "info needs an output file%s", "");
        else if (rc == 0)
            rc = js_info(o.positional, o.quiet);
    } else {
        return main_usage_error(usage_main, "unknown command '%s'", verb);
    }
    free(o.sets);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return main_usage_error(usage_main, "no command given%s", "");
    const char *verb = argv[1];
    if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
        fputs(usage_main, stdout);
        return JS_EXIT_OK;
    }
    if (!strcmp(verb, "--version") || !strcmp(verb, "version"))
        return main_version();
    char *cmdline = main_command_line(argc, argv);
    int rc = main_verb(argc - 1, argv + 1, verb, cmdline);
    free(cmdline);
    return rc;
}
