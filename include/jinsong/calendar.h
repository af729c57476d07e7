/**
 * @file calendar.h
 * @brief Julian and proleptic Gregorian dates, day indices and seasons.
 *
 * The simulation counts days from the scenario's start (day 0). Dates are Julian by
 * default (the calendar historians use for the 12th century); modern data (FLEE
 * scenarios) use the Gregorian calendar.
 */
#ifndef JS_CALENDAR_H
#define JS_CALENDAR_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/** @brief The calendar of a scenario's dates. */
enum js_calendar {
    JS_CAL_JULIAN = 0,   /**< Julian calendar (CF "julian") */
    JS_CAL_GREGORIAN = 1 /**< proleptic Gregorian (CF "proleptic_gregorian") */
};

/** @brief A calendar date. */
struct js_date {
    int year;  /**< year (AD, >= 1) */
    int month; /**< 1..12 */
    int day;   /**< 1..31 */
};

/** @brief Seasons by month: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb. */
enum js_season { JS_SPRING = 0, JS_SUMMER = 1, JS_AUTUMN = 2, JS_WINTER = 3, JS_NSEASONS = 4 };

/**
 * @brief True when the date exists in the calendar (month 1..12, day within the month).
 * @param cal the calendar
 * @param d the date
 */
bool js_calendar_valid(enum js_calendar cal, struct js_date d);

/**
 * @brief Julian Day Number of a valid date.
 * @param cal the calendar
 * @param d the date
 */
int64_t js_calendar_jdn(enum js_calendar cal, struct js_date d);

/**
 * @brief The date of a Julian Day Number.
 * @param cal the calendar
 * @param jdn Julian Day Number (>= 1721424, i.e. year 1)
 */
struct js_date js_calendar_from_jdn(enum js_calendar cal, int64_t jdn);

/**
 * @brief Days from @p a to @p b (b - a).
 * @param cal the calendar
 * @param a first date
 * @param b second date
 */
int64_t js_calendar_days_between(enum js_calendar cal, struct js_date a, struct js_date b);

/**
 * @brief The date @p days after @p d.
 * @param cal the calendar
 * @param d the date
 * @param days offset (may be negative)
 */
struct js_date js_calendar_add_days(enum js_calendar cal, struct js_date d, int64_t days);

/**
 * @brief Parses a strict ISO date "YYYY-MM-DD".
 * @param s the text
 * @param out the date
 * @return 0 if well formed, -1 if not of the form YYYY-MM-DD (with 4-digit year)
 */
int js_calendar_parse(const char *s, struct js_date *out);

/**
 * @brief Formats a date as "YYYY-MM-DD".
 * @param d the date
 * @param buf at least 16 bytes
 */
void js_calendar_format(struct js_date d, char *buf);

/**
 * @brief The season of a date (by month).
 * @param d the date
 */
enum js_season js_calendar_season(struct js_date d);

/**
 * @brief Day of the year, 1 for 1 January.
 * @param cal the calendar
 * @param d the date
 */
int js_calendar_day_of_year(enum js_calendar cal, struct js_date d);

/**
 * @brief The calendar's name in CF conventions ("julian" or "proleptic_gregorian").
 * @param cal the calendar
 */
const char *js_calendar_cf_name(enum js_calendar cal);

/**
 * @brief The calendar's name in scenario files ("julian" or "gregorian").
 * @param cal the calendar
 */
const char *js_calendar_name(enum js_calendar cal);

/**
 * @brief A season's name ("spring", ...).
 * @param s the season
 */
const char *js_season_name(enum js_season s);

#endif /* JS_CALENDAR_H */
