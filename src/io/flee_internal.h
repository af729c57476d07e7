/**
 * @file flee_internal.h
 * @brief Inside io/flee: the tolerant CSV reader of FLEE's input files, the UNHCR series of
 * source_data/ with their registration corrections, and the settings file.
 */
#ifndef JS_FLEE_INTERNAL_H
#define JS_FLEE_INTERNAL_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* local headers */
#include "jinsong/calendar.h"
#include "jinsong/diag.h"
#include "jinsong/flee.h"

/** @brief Most steps of the stepwise conflict decay. */
#define FLEE_MAX_DECAY 16

/** @brief One row of a CSV file: its fields, trimmed, with their positions. */
struct flee_row {
    int line;  /**< 1-based line */
    int nf;    /**< fields */
    char **f;  /**< the fields, spaces and tabs around them removed, quotes undone */
    int *col;  /**< 1-based column where each field starts */
    bool hash; /**< the first field starts with '#' (a header or comment row) */
};

/** @brief A CSV file read whole (FLEE's dialect: Python's csv module). */
struct flee_csv {
    char *path;            /**< the file as named in messages */
    int n;                 /**< rows (empty rows left out) */
    struct flee_row *rows; /**< the rows */
};

/**
 * @brief Reads a CSV file: commas, double quotes ("" inside quotes), CR LF or LF line ends, a
 * UTF-8 byte order mark; rows with no text are dropped; fields are trimmed.
 * @param path the file
 * @param shown the name used in messages (usually path)
 * @param csv out: the rows
 * @param required an absent file is an error (else returns 1 and an empty csv)
 * @param d errors
 * @return 0, 1 if absent and not required, -1 on error
 */
int flee_csv_read(const char *path, const char *shown, struct flee_csv *csv, bool required,
                  struct js_diag *d);

/**
 * @brief Frees a CSV file's rows.
 * @param csv the file
 */
void flee_csv_free(struct flee_csv *csv);

/**
 * @brief Reports an error at a field (or at the row when @p k is past its end).
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param k the field (0-based)
 * @param hint how to fix it (may be NULL)
 * @param fmt printf format of what is wrong
 */
void flee_err(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
              const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/**
 * @brief The field @p k of a row, or "" when the row is shorter.
 * @param r the row
 * @param k the field (0-based)
 */
const char *flee_field(const struct flee_row *r, int k);

/**
 * @brief A number field (strictly: no trailing text).
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param k the field
 * @param what what it is, for the message ("distance")
 * @param out the value
 * @return true if it is a number
 */
bool flee_number(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
                 const char *what, double *out);

/**
 * @brief A date field YYYY-MM-DD (Gregorian).
 * @param d errors
 * @param csv the file
 * @param r the row
 * @param k the field
 * @param out the date
 * @return true if it is a valid date
 */
bool flee_date(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
               struct js_date *out);

/**
 * @brief Joins a folder and a file name (malloc'd).
 * @param dir the folder
 * @param name the file
 */
char *flee_path(const char *dir, const char *name);

/** @brief One observed series: days from the start and counts, linearly interpolated. */
struct flee_series {
    char *label;  /**< the data_layout label (a camp's name, or "total") */
    int n;        /**< points */
    int32_t *day; /**< days from the scenario's start (increasing) */
    double *v;    /**< counts (after registration corrections) */
};

/** @brief The UNHCR data of a scenario (source_data/). */
struct flee_data {
    int n;                 /**< series: camps, and the total when given */
    struct flee_series *s; /**< the series, in data_layout order */
    int total;             /**< index of the "total" series, or −1 */
};

/**
 * @brief Reads source_data/data_layout.csv and its files, then applies
 * input_csv/registration_corrections.csv (the camp's points before the date × value at the date
 * / value of the point before).
 * @param dir the scenario folder
 * @param start the scenario's start date (days are counted from it)
 * @param data out
 * @param d errors
 * @return 0 or -1
 */
int flee_data_read(const char *dir, struct js_date start, struct flee_data *data,
                   struct js_diag *d);

/**
 * @brief Frees the data.
 * @param data the data
 */
void flee_data_free(struct flee_data *data);

/**
 * @brief A series at day @p t as FLEE reads it: the first value up to the first point, the
 * last after the last, linear in between, truncated toward zero (FLEE's int()).
 * @param s the series
 * @param t the day
 */
double flee_series_at(const struct flee_series *s, int32_t t);

/**
 * @brief The scenario's period (input_csv/sim_period.csv).
 * @param dir the scenario folder
 * @param start out: StartDate
 * @param length out: Length (days)
 * @param d errors
 * @return 0 or -1
 */
int flee_period_read(const char *dir, struct js_date *start, int32_t *length, struct js_diag *d);

/** @brief FLEE's rule parameters as the importer uses them (simsetting.yml). */
struct flee_settings {
    char *path;                   /**< the file read */
    int32_t steps;                /**< number_of_steps (−1: the scenario's length) */
    bool take_from_population;    /**< spawn_rules.take_from_population */
    bool insert_day0;             /**< spawn_rules.insert_day0 */
    bool sum_from_camps;          /**< spawn_rules.sum_from_camps */
    int n_decay;                  /**< steps of spawn_rules.conflict_spawn_decay (0 none) */
    double decay[FLEE_MAX_DECAY]; /**< the steps */
    int32_t decay_interval;       /**< spawn_rules.conflict_spawn_decay_interval */
    double max_move_speed;        /**< move_rules.max_move_speed, km/day */
    double foreign_weight;        /**< move_rules.foreign_weight */
    double camp_weight;           /**< move_rules.camp_weight */
    double conflict_weight;       /**< move_rules.conflict_weight */
    double conflict_movechance;   /**< move_rules.conflict_movechance */
    double camp_movechance;       /**< move_rules.camp_movechance */
    double idpcamp_movechance;    /**< move_rules.idpcamp_movechance */
    double default_movechance;    /**< move_rules.default_movechance */
    int32_t awareness;            /**< move_rules.awareness_level */
    double capacity_buffer;       /**< move_rules.capacity_buffer */
    double capacity_scaling;      /**< move_rules.capacity_scaling */
    bool avoid_short_stints;      /**< move_rules.avoid_short_stints */
    double softening;             /**< move_rules.softening, km */
    double weight_softening;      /**< move_rules.weight_softening */
    double weight_power;          /**< move_rules.weight_power */
    double distance_power;        /**< move_rules.distance_power */
};

/**
 * @brief Reads a simsetting.yml: every key FLEE knows is either mapped, or accepted at a value
 * that changes nothing, or refused with its line and column (a rule jinsong does not have).
 * @param path the file
 * @param s out (FLEE's code defaults for absent keys)
 * @param d errors
 * @return 0 or -1
 */
int flee_settings_read(const char *path, struct flee_settings *s, struct js_diag *d);

/** @brief FLEE's location types (flee-rules.md §1.2). */
enum flee_type {
    FLEE_CONFLICT = 0, /**< conflict_zone: a town that conflicts.csv makes a conflict zone */
    FLEE_TOWN,         /**< town, default */
    FLEE_CAMP,         /**< camp */
    FLEE_IDPCAMP,      /**< idpcamp */
    FLEE_FORWARD,      /**< forwarding_hub (move chance 1) */
    FLEE_MARKER,       /**< marker (never a destination) */
};

/** @brief A location of locations.csv. */
struct flee_loc {
    char *name;            /**< FLEE's name, verbatim (spaces around it removed) */
    char *id;              /**< a jinsong id derived from it */
    char *region;          /**< region */
    char *country;         /**< country */
    double lat, lon;       /**< degrees */
    int type;              /**< enum flee_type */
    char *type_word;       /**< the type as written */
    int64_t pop;           /**< population (towns, conflict zones) or capacity (camps), persons */
    int32_t conflict_date; /**< conflict_date (−1 if empty) */
};

/** @brief A route of routes.csv. */
struct flee_route {
    int32_t a, b; /**< its ends (locations) */
    double km;    /**< distance */
    char *id;     /**< a jinsong id */
};

/** @brief A FLEE scenario as read (the importer's model). */
struct flee_model {
    const char *dir;          /**< the scenario folder */
    char *name;               /**< the scenario's id (the folder's name) */
    struct js_date start;     /**< StartDate */
    int32_t length;           /**< days simulated */
    int32_t nloc;             /**< locations */
    struct flee_loc *loc;     /**< the locations */
    int32_t nrt;              /**< routes */
    struct flee_route *rt;    /**< the routes */
    double *conflict;         /**< [length × nloc] conflict intensity on each day */
    uint8_t *closed;          /**< [length × nrt] route closed on each day */
    uint8_t *camp_closed;     /**< [length × nloc] camp closed (a town) on each day */
    int32_t n_ignored;        /**< remove_forced_redirection rows (no effect in FLEE) */
    struct flee_data data;    /**< the UNHCR series */
    struct flee_settings set; /**< the rule parameters */
};

/**
 * @brief Writes the jinsong scenario of a FLEE model (YAML).
 * @param m the model
 * @param f the file
 * @return 0, or -1 on a write error
 */
int flee_write_scenario(const struct flee_model *m, FILE *f);

#endif /* JS_FLEE_INTERNAL_H */
