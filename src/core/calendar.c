/**
 * @file calendar.c
 * @brief Julian and proleptic Gregorian dates (Fliegel–Van Flandern style day numbers).
 */

/* system headers */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/calendar.h"

/**
 * @brief True for a leap year in the calendar.
 * @param cal the calendar
 * @param y the year
 */
static bool cal_leap(enum js_calendar cal, int y)
{
    if (cal == JS_CAL_JULIAN)
        return y % 4 == 0;
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/**
 * @brief Days in a month.
 * @param cal the calendar
 * @param y year
 * @param m month 1..12
 */
static int cal_month_days(enum js_calendar cal, int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && cal_leap(cal, y))
        return 29;
    return days[m - 1];
}

bool js_calendar_valid(enum js_calendar cal, struct js_date d)
{
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1)
        return false;
    return d.day <= cal_month_days(cal, d.year, d.month);
}

int64_t js_calendar_jdn(enum js_calendar cal, struct js_date d)
{
    int64_t a = (14 - d.month) / 12;
    int64_t y = d.year + 4800 - a;
    int64_t m = d.month + 12 * a - 3;
    int64_t jdn = d.day + (153 * m + 2) / 5 + 365 * y + y / 4;
    if (cal == JS_CAL_JULIAN)
        return jdn - 32083;
    return jdn - y / 100 + y / 400 - 32045;
}

struct js_date js_calendar_from_jdn(enum js_calendar cal, int64_t jdn)
{
    int64_t b = 0, c;
    if (cal == JS_CAL_JULIAN) {
        c = jdn + 32082;
    } else {
        int64_t a = jdn + 32044;
        b = (4 * a + 3) / 146097;
        c = a - 146097 * b / 4;
    }
    int64_t d = (4 * c + 3) / 1461;
    int64_t e = c - 1461 * d / 4;
    int64_t m = (5 * e + 2) / 153;
    struct js_date out;
    out.day = (int)(e - (153 * m + 2) / 5 + 1);
    out.month = (int)(m + 3 - 12 * (m / 10));
    out.year = (int)(100 * b + d - 4800 + m / 10);
    return out;
}

int64_t js_calendar_days_between(enum js_calendar cal, struct js_date a, struct js_date b)
{
    return js_calendar_jdn(cal, b) - js_calendar_jdn(cal, a);
}

struct js_date js_calendar_add_days(enum js_calendar cal, struct js_date d, int64_t days)
{
    return js_calendar_from_jdn(cal, js_calendar_jdn(cal, d) + days);
}

int js_calendar_parse(const char *s, struct js_date *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (!isdigit((unsigned char)s[i]))
            return -1;
    }
    out->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    out->month = (s[5] - '0') * 10 + (s[6] - '0');
    out->day = (s[8] - '0') * 10 + (s[9] - '0');
    return 0;
}

void js_calendar_format(struct js_date d, char *buf)
{
    snprintf(buf, 16, "%04d-%02d-%02d", d.year, d.month, d.day);
}

enum js_season js_calendar_season(struct js_date d)
{
    switch (d.month) {
    case 3:
    case 4:
    case 5:
        return JS_SPRING;
    case 6:
    case 7:
    case 8:
        return JS_SUMMER;
    case 9:
    case 10:
    case 11:
        return JS_AUTUMN;
    default:
        return JS_WINTER;
    }
}

int js_calendar_day_of_year(enum js_calendar cal, struct js_date d)
{
    struct js_date jan1 = {d.year, 1, 1};
    return (int)(js_calendar_jdn(cal, d) - js_calendar_jdn(cal, jan1)) + 1;
}

const char *js_calendar_cf_name(enum js_calendar cal)
{
    return cal == JS_CAL_JULIAN ? "julian" : "proleptic_gregorian";
}

const char *js_calendar_name(enum js_calendar cal)
{
    return cal == JS_CAL_JULIAN ? "julian" : "gregorian";
}

const char *js_season_name(enum js_season s)
{
    static const char *names[JS_NSEASONS] = {"spring", "summer", "autumn", "winter"};
    return (unsigned)s < JS_NSEASONS ? names[s] : "?";
}
