/**
 * @file economy_transfers.c
 * @brief Payments between factions: convoys in transit, yearly tribute under treaties (with
 * friction, a delivery date, and suspension in wartime), one-off transfers (indemnities,
 * ransoms), war and peace, and the events that change them; border markets opened and closed.
 */

/* system headers */
#include <math.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "economy_internal.h"
#include "jinsong/log.h"

/** @brief Ledger flows of each currency: into a convoy, out of it, and lost on the way. */
static const enum js_flow flow_dispatched[JS_NCURRENCIES] = {
    JS_FLOW_CASH_DISPATCHED, JS_FLOW_SILVER_DISPATCHED, JS_FLOW_GOLD_DISPATCHED,
    JS_FLOW_SILK_DISPATCHED, JS_FLOW_GRAIN_DISPATCHED};
static const enum js_flow flow_delivered[JS_NCURRENCIES] = {
    JS_FLOW_CASH_DELIVERED, JS_FLOW_SILVER_DELIVERED, JS_FLOW_GOLD_DELIVERED,
    JS_FLOW_SILK_DELIVERED, JS_FLOW_GRAIN_DELIVERED};
static const enum js_flow flow_friction[JS_NCURRENCIES] = {
    JS_FLOW_CASH_FRICTION, JS_FLOW_SILVER_FRICTION, JS_FLOW_GOLD_FRICTION, JS_FLOW_SILK_FRICTION,
    JS_FLOW_GRAIN_FRICTION};

/* ---------------------------------------------------------------- convoys */

/**
 * @brief Hands a cargo to its receiver: grain into the destination's granary (or the
 * receiver's own, or lost if it holds no place), the rest into its treasury; tribute and
 * transfers count as the receiver's revenue.
 * @param w the world
 * @param purpose enum js_convoy_purpose
 * @param receiver faction receiving
 * @param dest place whose granary receives grain, or -1
 * @param cargo amounts by currency
 */
static void econ_cargo_deliver(struct js_world *w, int purpose, int32_t receiver, int32_t dest,
                               const int64_t cargo[JS_NCURRENCIES])
{
    struct js_economy *e = &w->economy;
    for (int c = 0; c < JS_NCURRENCIES; c++) {
        int64_t x = cargo[c];
        if (x <= 0)
            continue;
        if (c == JS_CUR_GRAIN) {
            int32_t to = dest >= 0 ? dest : econ_faction_granary(w, receiver);
            if (to < 0) {
                js_ledger_add(&w->ledger, JS_FLOW_GRAIN_UNDELIVERABLE, x);
                continue;
            }
            e->granary[to] += x;
        } else {
            *econ_treasury(e, receiver, (enum js_currency)c) += x;
        }
        js_ledger_add(&w->ledger, flow_delivered[c], x);
        if (purpose == JS_CONVOY_TRIBUTE)
            econ_revenue(e, receiver, JS_REV_TRIBUTE, (enum js_currency)c, x);
        else if (purpose == JS_CONVOY_TRANSFER)
            econ_revenue(e, receiver, JS_REV_TRANSFERS, (enum js_currency)c, x);
    }
}

/**
 * @brief Delivers a convoy and frees its slot.
 * @param w the world
 * @param k convoy slot
 */
static void econ_convoy_deliver(struct js_world *w, int32_t k)
{
    struct js_convoys *cv = &w->economy.convoys;
    int64_t *cargo = &cv->cargo[(size_t)k * JS_NCURRENCIES];
    econ_cargo_deliver(w, cv->purpose[k], cv->receiver[k], cv->dest[k], cargo);
    cv->active[k] = 0;
    memset(cargo, 0, JS_NCURRENCIES * sizeof(int64_t));
}

void econ_convoy_start(struct js_world *w, const struct js_day *d, int purpose, int32_t source,
                       int32_t payer, int32_t receiver, int32_t dest, int32_t transit_days,
                       const int64_t cargo[JS_NCURRENCIES])
{
    struct js_convoys *cv = &w->economy.convoys;
    int32_t k = 0;
    while (k < cv->cap && cv->active[k])
        k++;
    if (k == cv->cap || transit_days <= 0) {
        /* arrives today (or the pool is full: counted, and delivered at once) */
        cv->overflow += k == cv->cap && transit_days > 0;
        econ_cargo_deliver(w, purpose, receiver, dest, cargo);
        return;
    }
    cv->active[k] = 1;
    cv->purpose[k] = (uint8_t)purpose;
    cv->source[k] = source;
    cv->payer[k] = payer;
    cv->receiver[k] = receiver;
    cv->dest[k] = dest;
    cv->arrive_day[k] = d->day + transit_days;
    memcpy(&cv->cargo[(size_t)k * JS_NCURRENCIES], cargo, JS_NCURRENCIES * sizeof(int64_t));
}

void econ_convoys_arrive(struct js_world *w, const struct js_day *d)
{
    struct js_convoys *cv = &w->economy.convoys;
    for (int32_t k = 0; k < cv->cap; k++)
        if (cv->active[k] && cv->arrive_day[k] <= d->day)
            econ_convoy_deliver(w, k);
}

/* ---------------------------------------------------------------- payments */

/**
 * @brief Sends a payment: as much of each amount as the payer holds leaves its treasury (grain:
 * its granaries), a share @p friction is lost on the way, the rest travels in a convoy.
 * @param w the world
 * @param d today
 * @param purpose JS_CONVOY_TRIBUTE or JS_CONVOY_TRANSFER
 * @param source treaty or transfer index, or -1
 * @param payer faction paying
 * @param receiver faction receiving
 * @param amount amounts by currency
 * @param friction share lost
 * @param transit_days days on the way
 * @param paid out: amounts that left the payer
 */
static void econ_send(struct js_world *w, const struct js_day *d, int purpose, int32_t source,
                      int32_t payer, int32_t receiver, const int64_t amount[JS_NCURRENCIES],
                      double friction, int32_t transit_days, int64_t paid[JS_NCURRENCIES])
{
    struct js_economy *e = &w->economy;
    int64_t cargo[JS_NCURRENCIES] = {0};
    enum js_expenditure_kind kind =
        purpose == JS_CONVOY_TRIBUTE ? JS_EXP_TRIBUTE : JS_EXP_TRANSFERS;
    for (int c = 0; c < JS_NCURRENCIES; c++) {
        int64_t x = econ_take(w, payer, (enum js_currency)c, amount[c], JS_NFLOWS);
        int64_t lost = (int64_t)llround((double)x * friction);
        js_ledger_add(&w->ledger, flow_friction[c], lost);
        js_ledger_add(&w->ledger, flow_dispatched[c], x - lost);
        econ_expenditure(e, payer, kind, (enum js_currency)c, x);
        cargo[c] = x - lost;
        paid[c] = x;
    }
    econ_convoy_start(w, d, purpose, source, payer, receiver, -1, transit_days, cargo);
}

/**
 * @brief Fills the payment fields of a TRIBUTE_PAID or RANSOM_PAID row: value = silver, silk,
 * cash, gold paid (before friction).
 * @param row the row
 * @param paid amounts by currency
 */
static void econ_row_amounts(struct js_event_row *row, const int64_t paid[JS_NCURRENCIES])
{
    row->value[0] = (double)paid[JS_CUR_SILVER];
    row->value[1] = (double)paid[JS_CUR_SILK];
    row->value[2] = (double)paid[JS_CUR_CASH];
    row->value[3] = (double)paid[JS_CUR_GOLD];
}

/**
 * @brief True if two factions are at war.
 * @param w the world
 * @param a faction
 * @param b faction
 */
static bool econ_at_war(const struct js_world *w, int32_t a, int32_t b)
{
    return w->economy.at_war[(size_t)a * (size_t)w->factions.n + (size_t)b] != 0;
}

/**
 * @brief Pays one treaty's yearly tribute and records the TRIBUTE_PAID row.
 * @param w the world
 * @param d today
 * @param t treaty
 */
static void econ_tribute(struct js_world *w, const struct js_day *d, int32_t t)
{
    struct js_treaties *tr = &w->economy.treaties;
    int64_t paid[JS_NCURRENCIES];
    econ_send(w, d, JS_CONVOY_TRIBUTE, t, tr->payer[t], tr->receiver[t],
              &tr->yearly[(size_t)t * JS_NCURRENCIES], tr->friction[t], tr->transit_days[t], paid);
    for (int c = 0; c < JS_NCURRENCIES; c++)
        tr->paid[(size_t)t * JS_NCURRENCIES + (size_t)c] += paid[c];
    struct js_event_row row = js_event_row_blank(d->day, JS_EV_TRIBUTE_PAID);
    row.place = tr->place[t];
    row.faction_a = tr->payer[t];
    row.faction_b = tr->receiver[t];
    econ_row_amounts(&row, paid);
    snprintf(row.text, JS_EVENT_TEXT, "%s", tr->id[t]);
    js_world_record_event(w, &row);
}

/**
 * @brief Pays a declared transfer and fills its RANSOM_PAID row.
 * @param w the world
 * @param d today
 * @param x transfer
 * @param row the row
 */
static void econ_transfer(struct js_world *w, const struct js_day *d, int32_t x,
                          struct js_event_row *row)
{
    struct js_transfers *tf = &w->economy.transfers;
    int64_t paid[JS_NCURRENCIES];
    econ_send(w, d, JS_CONVOY_TRANSFER, x, tf->payer[x], tf->receiver[x],
              &tf->amount[(size_t)x * JS_NCURRENCIES], tf->friction[x], tf->transit_days[x], paid);
    for (int c = 0; c < JS_NCURRENCIES; c++)
        tf->paid[(size_t)x * JS_NCURRENCIES + (size_t)c] += paid[c];
    row->kind = JS_EV_RANSOM_PAID;
    row->faction_a = tf->payer[x];
    row->faction_b = tf->receiver[x];
    econ_row_amounts(row, paid);
}

void econ_payments_due(struct js_world *w, const struct js_day *d)
{
    struct js_treaties *tr = &w->economy.treaties;
    for (int32_t t = 0; t < tr->n; t++) {
        if (tr->state[t] != JS_TREATY_IN_FORCE || tr->month[t] != d->date.month ||
            tr->mday[t] != d->date.day || econ_at_war(w, tr->payer[t], tr->receiver[t]))
            continue;
        econ_tribute(w, d, t);
    }
    struct js_transfers *tf = &w->economy.transfers;
    for (int32_t x = 0; x < tf->n; x++) {
        if (tf->day[x] != d->day)
            continue;
        struct js_event_row row = js_event_row_blank(d->day, JS_EV_RANSOM_PAID);
        econ_transfer(w, d, x, &row);
        snprintf(row.text, JS_EVENT_TEXT, "%s", tf->id[x]);
        js_world_record_event(w, &row);
    }
}

void js_economy_pay(struct js_world *w, const struct js_day *d, int32_t payer, int32_t receiver,
                    const int64_t amount[JS_NCURRENCIES], double friction, int32_t transit_days,
                    int64_t paid[JS_NCURRENCIES])
{
    JS_ASSERT(payer >= 0 && payer < w->factions.n && receiver >= 0 && receiver < w->factions.n &&
              friction >= 0.0 && friction <= 1.0);
    int64_t out[JS_NCURRENCIES];
    econ_send(w, d, JS_CONVOY_TRANSFER, -1, payer, receiver, amount, friction, transit_days, out);
    if (paid)
        memcpy(paid, out, sizeof(out));
}

/* ---------------------------------------------------------------- war, peace, treaties */

/**
 * @brief Records a TREATY row: faction_a the payer, faction_b the receiver, value = treaty
 * index, action, new state.
 * @param w the world
 * @param t treaty
 * @param action enum js_treaty_action
 * @param row the row to fill
 */
static void econ_treaty_row(const struct js_world *w, int32_t t, int action,
                            struct js_event_row *row)
{
    const struct js_treaties *tr = &w->economy.treaties;
    row->kind = JS_EV_TREATY;
    row->place = tr->place[t];
    row->faction_a = tr->payer[t];
    row->faction_b = tr->receiver[t];
    row->value[0] = (double)t;
    row->value[1] = (double)action;
    row->value[2] = (double)tr->state[t];
}

/**
 * @brief Sets war or peace between two factions. War suspends their treaties in force (except
 * @p except), recording a TREATY row for each; peace resumes none by itself (a suspended treaty
 * resumes only by a `resume` action: it may have been superseded).
 * @param w the world
 * @param d today
 * @param a faction
 * @param b faction
 * @param war war or peace
 * @param except treaty left alone (the one an event acts on), or -1
 */
static void econ_set_war(struct js_world *w, const struct js_day *d, int32_t a, int32_t b, bool war,
                         int32_t except)
{
    struct js_economy *e = &w->economy;
    size_t nf = (size_t)w->factions.n;
    e->at_war[(size_t)a * nf + (size_t)b] = (uint8_t)war;
    e->at_war[(size_t)b * nf + (size_t)a] = (uint8_t)war;
    struct js_treaties *tr = &e->treaties;
    for (int32_t t = 0; t < tr->n; t++) {
        bool parties = (tr->payer[t] == a && tr->receiver[t] == b) ||
                       (tr->payer[t] == b && tr->receiver[t] == a);
        if (!parties || t == except)
            continue;
        if (!war || tr->state[t] != JS_TREATY_IN_FORCE)
            continue;
        tr->state[t] = JS_TREATY_SUSPENDED;
        struct js_event_row row = js_event_row_blank(d->day, JS_EV_TREATY);
        econ_treaty_row(w, t, JS_TREATY_SUSPEND, &row);
        snprintf(row.text, JS_EVENT_TEXT, "%s suspended by war", tr->id[t]);
        js_world_record_event(w, &row);
    }
}

void js_economy_set_war(struct js_world *w, const struct js_day *d, int32_t a, int32_t b, bool war)
{
    JS_ASSERT(a >= 0 && b >= 0 && a < w->factions.n && b < w->factions.n && a != b);
    econ_set_war(w, d, a, b, war, -1);
}

void js_economy_treaty_event(struct js_world *w, const struct js_day *d, int32_t treaty, int action,
                             struct js_event_row *row)
{
    struct js_treaties *tr = &w->economy.treaties;
    JS_ASSERT(treaty >= 0 && treaty < tr->n && action >= 0 && action < JS_NTREATY_ACTIONS);
    int32_t a = tr->payer[treaty], b = tr->receiver[treaty];
    switch ((enum js_treaty_action)action) {
    case JS_TREATY_SIGN:
    case JS_TREATY_RESUME:
        tr->state[treaty] = JS_TREATY_IN_FORCE;
        econ_set_war(w, d, a, b, false, treaty);
        break;
    case JS_TREATY_SUSPEND:
        tr->state[treaty] = JS_TREATY_SUSPENDED;
        econ_set_war(w, d, a, b, true, treaty);
        break;
    default:
        tr->state[treaty] = JS_TREATY_NOT_IN_FORCE;
        break;
    }
    econ_treaty_row(w, treaty, action, row);
}

void js_economy_transfer_event(struct js_world *w, const struct js_day *d, int32_t transfer,
                               struct js_event_row *row)
{
    JS_ASSERT(transfer >= 0 && transfer < w->economy.transfers.n);
    econ_transfer(w, d, transfer, row);
}

void js_economy_market_event(struct js_world *w, int32_t market, bool open,
                             struct js_event_row *row)
{
    struct js_markets *m = &w->economy.markets;
    JS_ASSERT(market >= 0 && market < m->n);
    m->open[market] = (uint8_t)open;
    row->kind = open ? JS_EV_MARKET_OPENED : JS_EV_MARKET_CLOSED;
    row->place = m->place[market];
    row->faction_a = w->places.owner[m->place[market]];
    row->faction_b = m->partner[market];
    row->value[0] = (double)market;
}
