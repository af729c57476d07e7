/**
 * @file flee_cli.c
 * @brief The verbs `jinsong import-flee DIR [--settings FILE] -o SCENARIO.yaml` and
 * `jinsong flee-score RUN.h5 DIR [--json OUT.json]`.
 */

/* system headers */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/flee.h"
#include "jinsong/run.h"
#include "jinsong/util.h"

static const char usage_import[] =
    "usage: jinsong import-flee DIR [--settings FILE] -o SCENARIO.yaml [--quiet]\n"
    "\n"
    "Converts the FLEE scenario in DIR (input_csv/ and source_data/) into a jinsong scenario\n"
    "(calendar gregorian, one person per agent, FLEE's rules as migration: parameters, the\n"
    "UNHCR camp counts embedded for data-driven spawning; it runs from any folder).\n"
    "\n"
    "  --settings FILE   FLEE's rule parameters (default DIR/simsetting.yml, else\n"
    "                    DIR/../simsetting.yml)\n"
    "  -o, --output      the scenario file to write\n"
    "\n"
    "exit status: 0 ok, 2 bad input (errors name the FLEE file, line and column)\n";

static const char usage_score[] =
    "usage: jinsong flee-score RUN.h5 DIR [--json OUT.json] [--quiet]\n"
    "\n"
    "FLEE's validation error of a run of an imported scenario against the UNHCR counts of\n"
    "DIR/source_data/ (with DIR/input_csv/registration_corrections.csv): the averaged\n"
    "relative difference over days 1 ... end, rescaled (FabFlee's score) and plain.\n"
    "\n"
    "  --json OUT.json   also write the figures and the daily rescaled error as JSON\n"
    "\n"
    "exit status: 0 ok, 2 bad input\n";

/** @brief Options of the two verbs. */
struct flee_opts {
    const char *pos[2];   /**< positional arguments */
    int npos;             /**< how many */
    const char *settings; /**< --settings FILE */
    const char *output;   /**< -o, --output FILE */
    const char *json;     /**< --json FILE */
    int quiet;            /**< -q, --quiet */
    int help;             /**< -h, --help */
};

/**
 * @brief Parses the options (value options as "--opt v" or "--opt=v").
 * @param argc arguments
 * @param argv arguments (argv[0] is the verb)
 * @param usage the verb's usage
 * @param import the verb is import-flee (else flee-score)
 * @param o out
 * @return 0, or an exit status after a usage error
 */
static int flee_parse(int argc, char **argv, const char *usage, bool import, struct flee_opts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dest = NULL;
        const char *names[] = {"--settings", "--output", "-o", "--json"};
        const char **dests[] = {&o->settings, &o->output, &o->output, &o->json};
        bool ok[] = {import, import, import, !import};
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = 1;
            continue;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
            continue;
        }
        for (int k = 0; k < 4 && !dest; k++) {
            size_t n = strlen(names[k]);
            if (!ok[k] || strncmp(a, names[k], n) != 0 || (a[n] && a[n] != '='))
                continue;
            dest = dests[k];
            *dest = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : "");
            if (!**dest) {
                fprintf(stderr, "jinsong: %s needs a value\n\n%s", names[k], usage);
                return JS_EXIT_BAD_INPUT;
            }
        }
        if (dest)
            continue;
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "jinsong: unknown option '%s'\n\n%s", a, usage);
            return JS_EXIT_BAD_INPUT;
        }
        if (o->npos == 2) {
            fprintf(stderr, "jinsong: unexpected argument '%s'\n\n%s", a, usage);
            return JS_EXIT_BAD_INPUT;
        }
        o->pos[o->npos++] = a;
    }
    return 0;
}

/**
 * @brief Writes the score as JSON.
 * @param path the file
 * @param s the score
 * @param days E(t), rescaled, by day
 * @return 0 or -1
 */
static int flee_write_json(const char *path, const struct js_flee_score *s, const double *days)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"ard\": %.9g, \"ard_rescaled\": %.9g, \"days\": %d, \"camps\": %d, ", s->ard,
            s->ard_rescaled, s->days, s->camps);
    fprintf(f, "\"sim_final\": %.0f, \"data_final\": %.0f, \"error_rescaled_by_day\": [",
            s->sim_final, s->data_final);
    for (int32_t t = 0; t < s->days; t++)
        fprintf(f, "%s%.9g", t ? ", " : "", days[t]);
    fprintf(f, "]}\n");
    return fclose(f) == 0 ? 0 : -1;
}

/**
 * @brief `jinsong flee-score`.
 * @param o options
 */
static int flee_score_main(const struct flee_opts *o)
{
    struct js_diag d = {0};
    struct js_flee_score s;
    double *days = NULL;
    int rc = JS_EXIT_OK;
    if (js_flee_score(o->pos[0], o->pos[1], &s, &days, &d) != 0) {
        js_diag_print(&d, stderr);
        rc = JS_EXIT_BAD_INPUT;
    } else {
        printf("FLEE score of %s against %s/source_data (%d camps, days 1-%d)\n", o->pos[0],
               o->pos[1], s.camps, s.days);
        printf("  ARD rescaled (FabFlee's score)  %.4f\n", s.ard_rescaled);
        printf("  ARD plain                       %.4f\n", s.ard);
        if (!o->quiet)
            printf("  refugees in the camps at the end: simulated %.0f, observed %.0f\n",
                   s.sim_final, s.data_final);
        if (o->json && flee_write_json(o->json, &s, days) != 0) {
            fprintf(stderr, "jinsong: cannot write %s\n", o->json);
            rc = JS_EXIT_BAD_INPUT;
        }
    }
    free(days);
    js_diag_free(&d);
    return rc;
}

int js_flee_cli(int argc, char **argv)
{
    bool import = !strcmp(argv[0], "import-flee");
    const char *usage = import ? usage_import : usage_score;
    struct flee_opts o;
    int rc = flee_parse(argc, argv, usage, import, &o);
    if (rc != 0)
        return rc;
    if (o.help) {
        fputs(usage, stdout);
        return JS_EXIT_OK;
    }
    if (import && (o.npos != 1 || !o.output)) {
        fprintf(stderr, "jinsong: import-flee needs a scenario folder and -o SCENARIO.yaml\n\n%s",
                usage);
        return JS_EXIT_BAD_INPUT;
    }
    if (!import && o.npos != 2) {
        fprintf(stderr, "jinsong: flee-score needs a run file and a FLEE scenario folder\n\n%s",
                usage);
        return JS_EXIT_BAD_INPUT;
    }
    if (!import)
        return flee_score_main(&o);
    struct js_diag d = {0};
    if (js_flee_import(o.pos[0], o.settings, o.output, &d) != 0) {
        js_diag_sort(&d);
        js_diag_print(&d, stderr);
        fprintf(stderr, "jinsong: %zu error%s in the FLEE scenario %s; nothing was written\n", d.n,
                d.n == 1 ? "" : "s", o.pos[0]);
        js_diag_free(&d);
        return JS_EXIT_BAD_INPUT;
    }
    if (!o.quiet)
        printf("wrote %s (FLEE scenario %s)\n", o.output, o.pos[0]);
    js_diag_free(&d);
    return JS_EXIT_OK;
}
