/**
 * @file test_calendar.c
 * @brief Julian and Gregorian day numbers, parsing, seasons.
 */

/* system headers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/calendar.h"

static void test_calendar_knows_the_gregorian_reform(void **state)
{
    (void)state;
    /* 4 October 1582 (Julian) was followed by 15 October 1582 (Gregorian): JDN 2299160/1 */
    assert_int_equal(js_calendar_jdn(JS_CAL_JULIAN, (struct js_date){1582, 10, 4}), 2299160);
    assert_int_equal(js_calendar_jdn(JS_CAL_GREGORIAN, (struct js_date){1582, 10, 15}), 2299161);
    /* J2000.0 epoch day: 2000-01-01 Gregorian is JDN 2451545 */
    assert_int_equal(js_calendar_jdn(JS_CAL_GREGORIAN, (struct js_date){2000, 1, 1}), 2451545);
    /* in 1127 the Julian calendar ran 6 days behind the proleptic Gregorian */
    int64_t j = js_calendar_jdn(JS_CAL_JULIAN, (struct js_date){1127, 1, 9});
    struct js_date g = js_calendar_from_jdn(JS_CAL_GREGORIAN, j);
    assert_int_equal(g.year, 1127);
    assert_int_equal(g.month, 1);
    assert_int_equal(g.day, 16);
}

static void test_calendar_round_trips_every_day_of_four_centuries(void **state)
{
    (void)state;
    for (int cal = 0; cal < 2; cal++) {
        int64_t start = js_calendar_jdn((enum js_calendar)cal, (struct js_date){1000, 1, 1});
        for (int64_t k = 0; k < 146100; k++) {
            struct js_date d = js_calendar_from_jdn((enum js_calendar)cal, start + k);
            assert_true(js_calendar_valid((enum js_calendar)cal, d));
            assert_int_equal(js_calendar_jdn((enum js_calendar)cal, d), start + k);
        }
    }
}

static void test_calendar_leap_years_differ_between_calendars(void **state)
{
    (void)state;
    struct js_date d = {1100, 2, 29};
    assert_true(js_calendar_valid(JS_CAL_JULIAN, d));
    assert_false(js_calendar_valid(JS_CAL_GREGORIAN, d));
    assert_true(js_calendar_valid(JS_CAL_GREGORIAN, (struct js_date){1200, 2, 29}));
    assert_false(js_calendar_valid(JS_CAL_JULIAN, (struct js_date){1125, 2, 29}));
    assert_false(js_calendar_valid(JS_CAL_JULIAN, (struct js_date){1125, 4, 31}));
    assert_false(js_calendar_valid(JS_CAL_JULIAN, (struct js_date){1125, 13, 1}));
}

static void test_calendar_parses_strict_iso_dates(void **state)
{
    (void)state;
    struct js_date d;
    assert_int_equal(js_calendar_parse("1126-01-18", &d), 0);
    assert_int_equal(d.year, 1126);
    assert_int_equal(d.month, 1);
    assert_int_equal(d.day, 18);
    assert_int_equal(js_calendar_parse("1126-1-18", &d), -1);
    assert_int_equal(js_calendar_parse("1126/01/18", &d), -1);
    assert_int_equal(js_calendar_parse("1126-01-18x", &d), -1);
    assert_int_equal(js_calendar_parse("", &d), -1);
    char buf[16];
    js_calendar_format((struct js_date){1127, 7, 1}, buf);
    assert_string_equal(buf, "1127-07-01");
}

static void test_calendar_counts_days_and_seasons(void **state)
{
    (void)state;
    struct js_date a = {1125, 10, 1}, b = {1127, 7, 1};
    assert_int_equal(js_calendar_days_between(JS_CAL_JULIAN, a, b), 638);
    struct js_date c = js_calendar_add_days(JS_CAL_JULIAN, a, 638);
    assert_int_equal(c.year, 1127);
    assert_int_equal(c.month, 7);
    assert_int_equal(c.day, 1);
    assert_int_equal(js_calendar_season((struct js_date){1126, 1, 18}), JS_WINTER);
    assert_int_equal(js_calendar_season((struct js_date){1126, 4, 1}), JS_SPRING);
    assert_int_equal(js_calendar_season((struct js_date){1126, 7, 1}), JS_SUMMER);
    assert_int_equal(js_calendar_season((struct js_date){1126, 10, 1}), JS_AUTUMN);
    assert_int_equal(js_calendar_day_of_year(JS_CAL_JULIAN, (struct js_date){1124, 12, 31}), 366);
    assert_int_equal(js_calendar_day_of_year(JS_CAL_JULIAN, (struct js_date){1125, 3, 1}), 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_knows_the_gregorian_reform),
        cmocka_unit_test(test_calendar_round_trips_every_day_of_four_centuries),
        cmocka_unit_test(test_calendar_leap_years_differ_between_calendars),
        cmocka_unit_test(test_calendar_parses_strict_iso_dates),
        cmocka_unit_test(test_calendar_counts_days_and_seasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
