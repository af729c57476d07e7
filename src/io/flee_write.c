/**
 * @file flee_write.c
 * @brief The jinsong scenario of an imported FLEE scenario (YAML): places with FLEE's names and
 * types, routes with km, the FLEE rule parameters as `migration:` keys, conflicts and closures as
 * scripted events, and the UNHCR camp series embedded for data-driven spawning.
 */

/* system headers */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "flee_internal.h"

/**
 * @brief A number in the shortest text that reads back to the same double.
 * @param v the number
 * @param buf output (32 bytes)
 */
static void fw_num(double v, char buf[32])
{
    bool plain = fabs(v) >= 1e-4 && fabs(v) < 1e15; /* no exponent for these */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v && (!plain || !strchr(buf, 'e')))
            return;
    }
}

/**
 * @brief Writes a text as a double-quoted YAML string.
 * @param f the file
 * @param s the text
 */
static void fw_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/**
 * @brief A date @p day days after the start, as text.
 * @param m the model
 * @param day days
 * @param buf output (16 bytes)
 */
static void fw_date(const struct flee_model *m, int32_t day, char buf[16])
{
    js_calendar_format(js_calendar_add_days(JS_CAL_GREGORIAN, m->start, day), buf);
}

/**
 * @brief The header comment and the scenario, graph and demography sections.
 * @param m the model
 * @param f the file
 */
static void fw_head(const struct flee_model *m, FILE *f)
{
    char s0[16], s1[16];
    fw_date(m, 0, s0);
    fw_date(m, m->length, s1);
    fprintf(f, "# FLEE scenario %s, imported by `jinsong import-flee` from %s\n", m->name, m->dir);
    fprintf(f, "# with the rule parameters of %s.\n", m->set.path);
    fprintf(f, "# FLEE: Suleimenova, Bell & Groen, Sci. Rep. 7:13377 (2017); Flee 3, J. Comput. "
               "Sci. 81:102371 (2024).\n");
    fprintf(f, "# migration.observed: UNHCR camp registrations (source_data/), after the "
               "registration\n# corrections of input_csv/registration_corrections.csv. "
               "docs/VALIDATION.md tells the method.\n");
    fprintf(f, "scenario:\n  name: %s\n  title: ", m->name);
    fw_str(f, "FLEE scenario (imported)");
    fprintf(f, "\n  calendar: gregorian\n  start: %s\n  end: %s\n  seed: 1\n", s0, s1);
    char v[32];
    fw_num(m->set.max_move_speed, v);
    fprintf(f, "graph:\n  speed_km_per_day:\n    walker: {road: %s}  # FLEE max_move_speed\n", v);
    fprintf(f, "demography:  # FLEE has no births or deaths; one class of people\n"
               "  birth_rate_per_year: 0\n  death_rate_per_year: 0\n"
               "  class_shares: {farmers: 0, townspeople: 1, elite: 0, military: 0}\n"
               "  famine: {max_hazard_per_day: 0}\n  epidemic: {rate_per_year: 0}\n"
               "  violence: {rate_per_day: 0}\n");
}

/**
 * @brief The rule parameters (migration: without the observed series).
 * @param m the model
 * @param f the file
 */
static void fw_rules(const struct flee_model *m, FILE *f)
{
    const struct flee_settings *s = &m->set;
    char a[32], b[32], c[32], e[32], g[32];
    fprintf(f, "migration:\n  persons_per_agent: 1\n  danger_threshold: 0\n"
               "  flight: {rate_per_day: 0, famine_rate_per_day: 0, decay_days: 0, "
               "neighbour_weight: 0}\n");
    fw_num(s->conflict_movechance, a);
    fw_num(s->default_movechance, b);
    fw_num(s->camp_movechance, c);
    fw_num(s->idpcamp_movechance, e);
    fprintf(f,
            "  move_chance: {conflict: %s, town: %s, refuge: %s, idp_refuge: %s, hub: 1, "
            "marker: 1}\n",
            a, b, c, e);
    fprintf(f, "  settle_chance: {town: 0, refuge: 0, idp_refuge: 0, hub: 0}\n");
    fw_num(s->softening, a);
    fw_num(s->distance_power, b);
    fw_num(s->weight_power, c);
    fw_num(s->weight_softening, e);
    fw_num(s->capacity_buffer, g);
    fprintf(f,
            "  route:\n    awareness: %d\n    softening_km: %s\n    distance_power: %s\n"
            "    weight_power: %s\n    weight_softening: %s\n    capacity_buffer: %s\n",
            s->awareness, a, b, c, e, g);
    fw_num(s->capacity_scaling, a);
    fw_num(s->conflict_weight, b);
    fw_num(s->camp_weight, c);
    fprintf(f,
            "    capacity_scaling: %s\n    conflict_weight: %s\n    safety_weight: 1\n"
            "    type_weight: {town: 1, refuge: %s, idp_refuge: %s, hub: 1}\n",
            a, b, c, c);
    fprintf(f, "  classes:\n");
    static const char *const cls[] = {"farmers", "townspeople", "elite", "military"};
    for (int k = 0; k < 4; k++)
        fprintf(f, "    %s: {flight: 1, settle: 1, court_weight: 1, court_move_chance: 0}\n",
                cls[k]);
    fw_num(s->max_move_speed, a);
    fprintf(f,
            "  travel: {max_km_per_day: %s, food_days: 0, death_rate_per_year: 0, "
            "hungry_death_rate_per_day: 0, avoid_short_stints: %s}\n",
            a, s->avoid_short_stints ? "true" : "false");
    fprintf(f, "  conflict_decay: {interval_days: %d, steps: [", s->decay_interval);
    for (int k = 0; k < s->n_decay; k++) {
        fw_num(s->decay[k], a);
        fprintf(f, "%s%s", k ? ", " : "", a);
    }
    fprintf(f, "]}\n  spawn: {mode: data, take_from_population: %s, insert_day0: %s}\n",
            s->take_from_population ? "true" : "false", s->insert_day0 ? "true" : "false");
}

/**
 * @brief One series as a map date: count.
 * @param m the model
 * @param s the series
 * @param f the file
 */
static void fw_series(const struct flee_model *m, const struct flee_series *s, FILE *f)
{
    int k0 = 0, k1 = s->n - 1; /* the points that matter for days 0 … length */
    while (k0 + 1 < s->n && s->day[k0 + 1] <= 0)
        k0++;
    while (k1 > k0 && s->day[k1 - 1] >= m->length)
        k1--;
    fputc('{', f);
    for (int k = k0; k <= k1; k++) {
        char d[16], v[32];
        fw_date(m, s->day[k], d);
        fw_num(s->v[k], v);
        fprintf(f, "%s%s: %s", k > k0 ? ", " : "", d, v);
    }
    fputs("}\n", f);
}

/**
 * @brief The observed series (migration.observed, and the total when the counts come from it).
 * @param m the model
 * @param f the file
 */
static void fw_observed(const struct flee_model *m, FILE *f)
{
    if (!m->set.sum_from_camps) {
        fprintf(f, "  observed_total: ");
        fw_series(m, &m->data.s[m->data.total], f);
    }
    fprintf(f, "  observed:  # camp: {date: UNHCR count}\n");
    for (int k = 0; k < m->data.n; k++) {
        if (k == m->data.total)
            continue;
        for (int32_t i = 0; i < m->nloc; i++)
            if (!strcmp(m->loc[i].name, m->data.s[k].label)) {
                fprintf(f, "    %s: ", m->loc[i].id);
                fw_series(m, &m->data.s[k], f);
            }
    }
}

/**
 * @brief The places.
 * @param m the model
 * @param f the file
 */
static void fw_places(const struct flee_model *m, FILE *f)
{
    static const char *const kind[] = {"town", "town", "camp", "camp", "town", "marker"};
    static const char *const type[] = {"town", "town", "refuge", "idp_refuge", "hub", "marker"};
    fprintf(f, "places:\n");
    for (int32_t i = 0; i < m->nloc; i++) {
        const struct flee_loc *l = &m->loc[i];
        char la[32], lo[32], c[32];
        fw_num(l->lat, la);
        fw_num(l->lon, lo);
        fprintf(f, "  %s:  # %s, %s; FLEE type %s\n    name: ", l->id, l->region, l->country,
                l->type_word);
        fw_str(f, l->name);
        fprintf(f, "\n    lat: %s\n    lon: %s\n    kind: %s\n", la, lo, kind[l->type]);
        bool camp = l->type == FLEE_CAMP || l->type == FLEE_IDPCAMP;
        if (!camp && l->pop > 0)
            fprintf(f, "    population: {persons: %lld}\n", (long long)l->pop);
        if (m->conflict[i] > 0) {
            fw_num(m->conflict[i], c);
            fprintf(f, "    conflict: %s\n", c);
        }
        bool foreign = strcmp(l->country, m->loc[0].country) != 0;
        fprintf(f, "    migration: {type: %s", m->camp_closed[i] ? "town" : type[l->type]);
        if (camp && l->pop > 0)
            fprintf(f, ", capacity: %lld", (long long)l->pop);
        if (foreign && m->set.foreign_weight != 1.0) {
            fw_num(m->set.foreign_weight, c);
            fprintf(f, ", attractiveness: %s", c);
        }
        fprintf(f, "}\n");
    }
}

/**
 * @brief The routes (closed from the start if a closure covers day 0).
 * @param m the model
 * @param f the file
 */
static void fw_routes(const struct flee_model *m, FILE *f)
{
    fprintf(f, "routes:\n");
    for (int32_t r = 0; r < m->nrt; r++) {
        char km[32];
        fw_num(m->rt[r].km, km);
        fprintf(f, "  %s: {from: %s, to: %s, km: %s%s}\n", m->rt[r].id, m->loc[m->rt[r].a].id,
                m->loc[m->rt[r].b].id, km, m->closed[r] ? ", closed: true" : "");
    }
}

/**
 * @brief The events of one day: conflict changes, route closures and openings, camp closures
 * and openings (changes from the day before).
 * @param m the model
 * @param t the day (≥ 1)
 * @param f the file
 * @return events written
 */
static int fw_day_events(const struct flee_model *m, int32_t t, FILE *f)
{
    char date[16], v[32];
    fw_date(m, t, date);
    int n = 0;
    size_t now = (size_t)t * (size_t)m->nloc, then = now - (size_t)m->nloc;
    for (int32_t i = 0; i < m->nloc; i++) {
        if (m->conflict[now + i] != m->conflict[then + i]) {
            fw_num(m->conflict[now + i], v);
            fprintf(f, "  conflict-%d-%s: {date: %s, do: conflict, place: %s, intensity: %s}\n", t,
                    m->loc[i].id, date, m->loc[i].id, v);
            n++;
        }
        if (m->camp_closed[now + i] != m->camp_closed[then + i]) {
            static const char *const type[] = {"town", "town", "refuge", "idp_refuge"};
            bool closed = m->camp_closed[now + i];
            fprintf(f, "  camp-%s-%d-%s: {date: %s, do: migration_type, place: %s, type: %s}\n",
                    closed ? "closes" : "opens", t, m->loc[i].id, date, m->loc[i].id,
                    closed ? "town" : type[m->loc[i].type]);
            n++;
        }
    }
    size_t rn = (size_t)t * (size_t)m->nrt, rt = rn - (size_t)m->nrt;
    for (int32_t r = 0; r < m->nrt; r++) {
        if (m->closed[rn + r] != m->closed[rt + r]) {
            bool closed = m->closed[rn + r];
            fprintf(f, "  %s-%d-%s: {date: %s, do: %s, route: %s}\n", closed ? "close" : "open", t,
                    m->rt[r].id, date, closed ? "close_route" : "open_route", m->rt[r].id);
            n++;
        }
    }
    return n;
}

int flee_write_scenario(const struct flee_model *m, FILE *f)
{
    fw_head(m, f);
    fw_rules(m, f);
    fw_observed(m, f);
    fw_places(m, f);
    fw_routes(m, f);
    fprintf(f, "events:  # conflicts.csv and closures.csv, as changes from the day before\n");
    int n = 0;
    for (int32_t t = 1; t < m->length; t++)
        n += fw_day_events(m, t, f);
    if (n == 0)
        fprintf(f, "  {}\n");
    if (m->n_ignored > 0)
        fprintf(f,
                "# %d remove_forced_redirection closure(s): no movement rule of FLEE reads "
                "forced redirection; ignored\n",
                m->n_ignored);
    return ferror(f) ? -1 : 0;
}
