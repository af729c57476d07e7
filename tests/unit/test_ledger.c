/**
 * @file test_ledger.c
 * @brief The ledger: flows move expected stocks, imbalances are caught, intervals reset.
 */

/* system headers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka */
#include <cmocka.h>

/* local headers */
#include "jinsong/ledger.h"

static void test_ledger_flows_move_the_expected_stocks(void **state)
{
    (void)state;
    struct js_census c;
    memset(&c, 0, sizeof(c));
    c.s[JS_Q_PERSONS][JS_H_PLACES] = 1000;
    struct js_ledger l;
    js_ledger_init(&l, &c);
    js_ledger_add(&l, JS_FLOW_BIRTHS, 30);
    js_ledger_add(&l, JS_FLOW_DEATHS_BASELINE, 20);
    c.s[JS_Q_PERSONS][JS_H_PLACES] = 1010;
    char msg[256];
    assert_int_equal(js_ledger_close(&l, &c, msg, sizeof(msg)), 0);
    assert_int_equal(l.stock[JS_Q_PERSONS][JS_H_PLACES], 1010);
    assert_int_equal(l.interval[JS_FLOW_BIRTHS], 30);
    assert_int_equal(l.total[JS_FLOW_DEATHS_BASELINE], 20);
    assert_int_equal(l.day[JS_FLOW_BIRTHS], 0);
    js_ledger_interval_reset(&l);
    assert_int_equal(l.interval[JS_FLOW_BIRTHS], 0);
    assert_int_equal(l.total[JS_FLOW_BIRTHS], 30);
}

static void test_ledger_catches_a_change_without_a_flow(void **state)
{
    (void)state;
    struct js_census c;
    memset(&c, 0, sizeof(c));
    c.s[JS_Q_PERSONS][JS_H_PLACES] = 500;
    struct js_ledger l;
    js_ledger_init(&l, &c);
    js_ledger_add(&l, JS_FLOW_BIRTHS, 5);
    c.s[JS_Q_PERSONS][JS_H_PLACES] = 504; /* one person vanished without a flow */
    char msg[256] = "";
    assert_int_equal(js_ledger_close(&l, &c, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "persons held by places"));
    assert_non_null(strstr(msg, "expected 505"));
}

static void test_ledger_lists_the_flows_of_each_quantity(void **state)
{
    (void)state;
    enum js_flow ids[JS_NFLOWS];
    int n = js_ledger_flows_of(JS_Q_PERSONS, ids);
    assert_true(n >= 2);
    int total = 0;
    for (int q = 0; q < JS_NQTY; q++)
        total += js_ledger_flows_of((enum js_qty)q, NULL);
    assert_int_equal(total, JS_NFLOWS);
    for (int f = 0; f < JS_NFLOWS; f++) {
        const struct js_flow_def *d = js_ledger_flow_def((enum js_flow)f);
        assert_true(d->from != d->to);
        assert_true(strlen(d->name) > 0);
    }
    assert_string_equal(js_ledger_qty_unit(JS_Q_GRAIN), "sheng");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ledger_flows_move_the_expected_stocks),
        cmocka_unit_test(test_ledger_catches_a_change_without_a_flow),
        cmocka_unit_test(test_ledger_lists_the_flows_of_each_quantity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
