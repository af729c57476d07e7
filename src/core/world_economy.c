/**
 * @file world_economy.c
 * @brief The economy's state: allocation, census of granaries, treasuries and convoys, and the
 * arrays a checkpoint saves.
 */

/* system headers */
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/world.h"

void js_world_economy_alloc(struct js_world *w)
{
    struct js_economy *e = &w->economy;
    size_t np = (size_t)w->places.n, nf = (size_t)w->factions.n, nr = (size_t)w->routes.n;
    e->land_mu = js_xcalloc(np, sizeof(double));
    e->region = js_xcalloc(np, sizeof(int32_t));
    e->yield_factor = js_xcalloc(np, sizeof(double));
    e->granary = js_xcalloc(np, sizeof(int64_t));
    e->price = js_xcalloc(np, sizeof(double));
    e->devastation = js_xcalloc(np, sizeof(double));
    e->shock = js_xcalloc(np, sizeof(double));
    e->shock_until = js_xcalloc(np, sizeof(int32_t));
    e->harvest_last = js_xcalloc(np, sizeof(int64_t));
    e->harvest_untaxed = js_xcalloc(np, sizeof(int64_t));
    e->famine = js_xcalloc(np, sizeof(uint8_t));
    for (size_t i = 0; i < np; i++) {
        e->yield_factor[i] = 1.0;
        e->shock[i] = 1.0;
        e->shock_until[i] = -1;
    }
    e->tax_rate = js_xcalloc(nf, sizeof(double));
    e->tax_grain_share = js_xcalloc(nf, sizeof(double));
    e->tax_silk_per_person = js_xcalloc(nf, sizeof(double));
    e->tax_month = js_xcalloc(nf * JS_ECON_NTAX_DATES, sizeof(int8_t));
    e->tax_mday = js_xcalloc(nf * JS_ECON_NTAX_DATES, sizeof(int8_t));
    e->commercial_per_person = js_xcalloc(nf, sizeof(double));
    e->monopoly_per_person = js_xcalloc(nf, sizeof(double));
    e->admin_cash_per_person = js_xcalloc(nf, sizeof(double));
    e->admin_grain_per_person = js_xcalloc(nf, sizeof(double));
    e->pay = js_xcalloc(nf * JS_NSOLDIER_CLASSES * JS_NCURRENCIES, sizeof(double));
    e->soldiers = js_xcalloc(nf * JS_NSOLDIER_CLASSES, sizeof(int64_t));
    e->treasury = js_xcalloc(nf * JS_NCURRENCIES, sizeof(int64_t));
    e->arrears = js_xcalloc(nf * JS_NCURRENCIES, sizeof(int64_t));
    e->unpaid_days = js_xcalloc(nf, sizeof(int32_t));
    e->revenue = js_xcalloc(nf * JS_NREVENUE_KINDS * JS_NCURRENCIES, sizeof(int64_t));
    e->expenditure = js_xcalloc(nf * JS_NEXPENDITURE_KINDS * JS_NCURRENCIES, sizeof(int64_t));
    e->at_war = js_xcalloc(nf * nf, sizeof(uint8_t));
    e->grain_flow = js_xcalloc(nr, sizeof(int64_t));
    e->net.start = js_xcalloc(np + 1, sizeof(int32_t));
    e->net.closed = js_xcalloc(nr, sizeof(uint8_t));
    e->net.owner = js_xcalloc(np, sizeof(int32_t));
    e->net.at_war = js_xcalloc(nf * nf, sizeof(uint8_t));
    e->net.dist = js_xcalloc(np ? np : 1, sizeof(double));
    e->net.via = js_xcalloc(np ? np : 1, sizeof(int32_t));
    e->net.heap = js_xcalloc(np ? np : 1, sizeof(int32_t));
    e->net.slot = js_xcalloc(np ? np : 1, sizeof(int32_t));
    e->net.touched = js_xcalloc(np ? np : 1, sizeof(int32_t));
    e->net.order = js_xcalloc(np ? np : 1, sizeof(int32_t));
    for (size_t i = 0; i < np; i++) {
        e->net.dist[i] = -1.0;
        e->net.slot[i] = -1;
    }
}

void js_world_economy_alloc_tables(struct js_world *w, int32_t n_treaties, int32_t n_transfers,
                                   int32_t n_markets, int32_t n_shipments, int32_t n_convoys)
{
    struct js_economy *e = &w->economy;
    JS_ASSERT(n_treaties >= 0 && n_transfers >= 0 && n_markets >= 0 && n_shipments >= 0 &&
              n_convoys >= 0);
    size_t nt = (size_t)n_treaties, nx = (size_t)n_transfers, nm = (size_t)n_markets;
    size_t ns = (size_t)n_shipments, nc = (size_t)n_convoys;
    struct js_treaties *t = &e->treaties;
    t->n = n_treaties;
    t->id = js_xcalloc(nt, sizeof(char *));
    t->payer = js_xcalloc(nt, sizeof(int32_t));
    t->receiver = js_xcalloc(nt, sizeof(int32_t));
    t->yearly = js_xcalloc(nt * JS_NCURRENCIES, sizeof(int64_t));
    t->month = js_xcalloc(nt, sizeof(int8_t));
    t->mday = js_xcalloc(nt, sizeof(int8_t));
    t->place = js_xcalloc(nt, sizeof(int32_t));
    t->friction = js_xcalloc(nt, sizeof(double));
    t->transit_days = js_xcalloc(nt, sizeof(int32_t));
    t->state = js_xcalloc(nt, sizeof(uint8_t));
    t->paid = js_xcalloc(nt * JS_NCURRENCIES, sizeof(int64_t));
    struct js_transfers *x = &e->transfers;
    x->n = n_transfers;
    x->id = js_xcalloc(nx, sizeof(char *));
    x->payer = js_xcalloc(nx, sizeof(int32_t));
    x->receiver = js_xcalloc(nx, sizeof(int32_t));
    x->amount = js_xcalloc(nx * JS_NCURRENCIES, sizeof(int64_t));
    x->day = js_xcalloc(nx, sizeof(int32_t));
    x->friction = js_xcalloc(nx, sizeof(double));
    x->transit_days = js_xcalloc(nx, sizeof(int32_t));
    x->paid = js_xcalloc(nx * JS_NCURRENCIES, sizeof(int64_t));
    struct js_markets *m = &e->markets;
    m->n = n_markets;
    m->id = js_xcalloc(nm, sizeof(char *));
    m->place = js_xcalloc(nm, sizeof(int32_t));
    m->partner = js_xcalloc(nm, sizeof(int32_t));
    m->turnover_per_year = js_xcalloc(nm, sizeof(double));
    m->levy_rate = js_xcalloc(nm, sizeof(double));
    m->open = js_xcalloc(nm, sizeof(uint8_t));
    m->levied = js_xcalloc(nm, sizeof(int64_t));
    m->carry = js_xcalloc(nm, sizeof(double));
    struct js_shipments *s = &e->shipments;
    s->n = n_shipments;
    s->id = js_xcalloc(ns, sizeof(char *));
    s->from = js_xcalloc(ns, sizeof(int32_t));
    s->to = js_xcalloc(ns, sizeof(int32_t));
    s->shi_per_year = js_xcalloc(ns, sizeof(double));
    s->every_days = js_xcalloc(ns, sizeof(int32_t));
    s->off_map = js_xcalloc(ns, sizeof(uint8_t));
    s->sent = js_xcalloc(ns, sizeof(int64_t));
    s->blocked = js_xcalloc(ns, sizeof(int64_t));
    struct js_convoys *c = &e->convoys;
    c->cap = n_convoys;
    c->active = js_xcalloc(nc, sizeof(uint8_t));
    c->purpose = js_xcalloc(nc, sizeof(uint8_t));
    c->source = js_xcalloc(nc, sizeof(int32_t));
    c->payer = js_xcalloc(nc, sizeof(int32_t));
    c->receiver = js_xcalloc(nc, sizeof(int32_t));
    c->dest = js_xcalloc(nc, sizeof(int32_t));
    c->arrive_day = js_xcalloc(nc, sizeof(int32_t));
    c->cargo = js_xcalloc(nc * JS_NCURRENCIES, sizeof(int64_t));
}

/**
 * @brief Frees an array of strings and the array.
 * @param s the strings
 * @param n how many
 */
static void econ_free_strings(char **s, int32_t n)
{
    if (!s)
        return;
    for (int32_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/**
 * @brief Frees the tables declared in the scenario.
 * @param e the economy
 */
static void econ_free_tables(struct js_economy *e)
{
    struct js_treaties *t = &e->treaties;
    econ_free_strings(t->id, t->n);
    free(t->payer);
    free(t->receiver);
    free(t->yearly);
    free(t->month);
    free(t->mday);
    free(t->place);
    free(t->friction);
    free(t->transit_days);
    free(t->state);
    free(t->paid);
    struct js_transfers *x = &e->transfers;
    econ_free_strings(x->id, x->n);
    free(x->payer);
    free(x->receiver);
    free(x->amount);
    free(x->day);
    free(x->friction);
    free(x->transit_days);
    free(x->paid);
    struct js_markets *m = &e->markets;
    econ_free_strings(m->id, m->n);
    free(m->place);
    free(m->partner);
    free(m->turnover_per_year);
    free(m->levy_rate);
    free(m->open);
    free(m->levied);
    free(m->carry);
    struct js_shipments *s = &e->shipments;
    econ_free_strings(s->id, s->n);
    free(s->from);
    free(s->to);
    free(s->shi_per_year);
    free(s->every_days);
    free(s->off_map);
    free(s->sent);
    free(s->blocked);
    struct js_convoys *c = &e->convoys;
    free(c->active);
    free(c->purpose);
    free(c->source);
    free(c->payer);
    free(c->receiver);
    free(c->dest);
    free(c->arrive_day);
    free(c->cargo);
}

void js_world_economy_free(struct js_world *w)
{
    struct js_economy *e = &w->economy;
    void *arrays[] = {e->land_mu,
                      e->region,
                      e->yield_factor,
                      e->granary,
                      e->price,
                      e->devastation,
                      e->shock,
                      e->shock_until,
                      e->harvest_last,
                      e->harvest_untaxed,
                      e->famine,
                      e->tax_rate,
                      e->tax_grain_share,
                      e->tax_silk_per_person,
                      e->tax_month,
                      e->tax_mday,
                      e->commercial_per_person,
                      e->monopoly_per_person,
                      e->admin_cash_per_person,
                      e->admin_grain_per_person,
                      e->pay,
                      e->soldiers,
                      e->treasury,
                      e->arrears,
                      e->unpaid_days,
                      e->revenue,
                      e->expenditure,
                      e->at_war,
                      e->grain_flow,
                      e->net.start,
                      e->net.node,
                      e->net.pred,
                      e->net.route,
                      e->net.cost,
                      e->net.closed,
                      e->net.owner,
                      e->net.at_war,
                      e->net.dist,
                      e->net.via,
                      e->net.heap,
                      e->net.slot,
                      e->net.touched,
                      e->net.order,
                      e->net.flow};
    for (size_t i = 0; i < JS_COUNTOF(arrays); i++)
        free(arrays[i]);
    econ_free_tables(e);
    memset(e, 0, sizeof(*e));
}

int64_t js_world_economy_faction_grain(const struct js_world *w, int32_t faction)
{
    int64_t s = 0;
    for (int32_t i = 0; i < w->places.n; i++)
        if (w->places.owner[i] == faction)
            s += w->economy.granary[i];
    return s;
}

void js_world_economy_census(const struct js_world *w, struct js_census *out)
{
    const struct js_economy *e = &w->economy;
    if (!e->granary)
        return;
    int64_t grain = 0;
    for (int32_t i = 0; i < w->places.n; i++)
        grain += e->granary[i];
    out->s[JS_Q_GRAIN][JS_H_FACTIONS] += grain;
    for (int32_t f = 0; f < w->factions.n; f++)
        for (int c = 0; c < JS_NCURRENCIES; c++)
            if (c != JS_CUR_GRAIN)
                out->s[js_currency_qty((enum js_currency)c)][JS_H_FACTIONS] +=
                    e->treasury[(size_t)f * JS_NCURRENCIES + (size_t)c];
    const struct js_convoys *cv = &e->convoys;
    for (int32_t k = 0; k < cv->cap; k++) {
        if (!cv->active[k])
            continue;
        for (int c = 0; c < JS_NCURRENCIES; c++)
            out->s[js_currency_qty((enum js_currency)c)][JS_H_CONVOYS] +=
                cv->cargo[(size_t)k * JS_NCURRENCIES + (size_t)c];
    }
}

/**
 * @brief Visits one fixed-size state array.
 * @param v visitor
 * @param ctx its context
 * @param name stable label
 * @param data_addr address of the array pointer
 * @param elem bytes per element
 * @param count elements
 */
static void econ_visit(void (*v)(void *ctx, const struct js_state_array *a), void *ctx,
                       const char *name, void *data_addr, size_t elem, int64_t count)
{
    struct js_state_array a = {name, (void **)data_addr, elem, count, NULL, NULL, NULL, NULL};
    v(ctx, &a);
}

void js_world_economy_visit_state(struct js_world *w,
                                  void (*v)(void *ctx, const struct js_state_array *a), void *ctx)
{
    struct js_economy *e = &w->economy;
    int64_t np = w->places.n, nf = w->factions.n, nc = JS_NCURRENCIES;
    econ_visit(v, ctx, "economy.granary", &e->granary, sizeof(int64_t), np);
    econ_visit(v, ctx, "economy.price", &e->price, sizeof(double), np);
    econ_visit(v, ctx, "economy.devastation", &e->devastation, sizeof(double), np);
    econ_visit(v, ctx, "economy.shock", &e->shock, sizeof(double), np);
    econ_visit(v, ctx, "economy.shock_until", &e->shock_until, sizeof(int32_t), np);
    econ_visit(v, ctx, "economy.harvest_last", &e->harvest_last, sizeof(int64_t), np);
    econ_visit(v, ctx, "economy.harvest_untaxed", &e->harvest_untaxed, sizeof(int64_t), np);
    econ_visit(v, ctx, "economy.famine", &e->famine, sizeof(uint8_t), np);
    econ_visit(v, ctx, "economy.soldiers", &e->soldiers, sizeof(int64_t), nf * JS_NSOLDIER_CLASSES);
    econ_visit(v, ctx, "economy.treasury", &e->treasury, sizeof(int64_t), nf * nc);
    econ_visit(v, ctx, "economy.arrears", &e->arrears, sizeof(int64_t), nf * nc);
    econ_visit(v, ctx, "economy.unpaid_days", &e->unpaid_days, sizeof(int32_t), nf);
    econ_visit(v, ctx, "economy.revenue", &e->revenue, sizeof(int64_t),
               nf * JS_NREVENUE_KINDS * nc);
    econ_visit(v, ctx, "economy.expenditure", &e->expenditure, sizeof(int64_t),
               nf * JS_NEXPENDITURE_KINDS * nc);
    econ_visit(v, ctx, "economy.at_war", &e->at_war, sizeof(uint8_t), nf * nf);
    econ_visit(v, ctx, "economy.grain_flow", &e->grain_flow, sizeof(int64_t), w->routes.n);
    econ_visit(v, ctx, "economy.treaties.state", &e->treaties.state, sizeof(uint8_t),
               e->treaties.n);
    econ_visit(v, ctx, "economy.treaties.paid", &e->treaties.paid, sizeof(int64_t),
               (int64_t)e->treaties.n * nc);
    econ_visit(v, ctx, "economy.transfers.paid", &e->transfers.paid, sizeof(int64_t),
               (int64_t)e->transfers.n * nc);
    econ_visit(v, ctx, "economy.markets.open", &e->markets.open, sizeof(uint8_t), e->markets.n);
    econ_visit(v, ctx, "economy.markets.levied", &e->markets.levied, sizeof(int64_t), e->markets.n);
    econ_visit(v, ctx, "economy.markets.carry", &e->markets.carry, sizeof(double), e->markets.n);
    econ_visit(v, ctx, "economy.shipments.sent", &e->shipments.sent, sizeof(int64_t),
               e->shipments.n);
    econ_visit(v, ctx, "economy.shipments.blocked", &e->shipments.blocked, sizeof(int64_t),
               e->shipments.n);
    struct js_convoys *c = &e->convoys;
    econ_visit(v, ctx, "economy.convoys.active", &c->active, sizeof(uint8_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.purpose", &c->purpose, sizeof(uint8_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.source", &c->source, sizeof(int32_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.payer", &c->payer, sizeof(int32_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.receiver", &c->receiver, sizeof(int32_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.dest", &c->dest, sizeof(int32_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.arrive_day", &c->arrive_day, sizeof(int32_t), c->cap);
    econ_visit(v, ctx, "economy.convoys.cargo", &c->cargo, sizeof(int64_t), (int64_t)c->cap * nc);
    void *overflow = &c->overflow;
    econ_visit(v, ctx, "economy.convoys.overflow", &overflow, sizeof(int64_t), 1);
}

int32_t js_econ_days_to_next(enum js_calendar cal, struct js_date today, const int8_t *month,
                             const int8_t *mday, int n)
{
    if (n <= 0)
        return 365;
    int64_t now = js_calendar_jdn(cal, today);
    int64_t best = INT64_MAX;
    for (int k = 0; k < n; k++) {
        struct js_date d = {today.year, month[k], mday[k]};
        int64_t j = js_calendar_jdn(cal, d);
        if (j <= now) {
            d.year++;
            j = js_calendar_jdn(cal, d);
        }
        if (j - now < best)
            best = j - now;
    }
    return (int32_t)best;
}

double js_econ_normal_days(enum js_calendar cal, struct js_date today, const int8_t *month,
                           const int8_t *mday, const double *yield, int n, double carry)
{
    double total = 0.0;
    for (int k = 0; k < n; k++)
        total += yield[k];
    if (n <= 0 || total <= 0.0)
        return carry + 365.25;
    int32_t u[16];
    JS_ASSERT(n <= 16);
    for (int k = 0; k < n; k++)
        u[k] = js_econ_days_to_next(cal, today, &month[k], &mday[k], 1);
    double best = 0.0;
    for (int j = 0; j < n; j++) {
        double before = 0.0;
        for (int k = 0; k < n; k++)
            if (u[k] < u[j])
                before += yield[k];
        double v = (double)u[j] - 365.25 * before / total;
        if (v > best)
            best = v;
    }
    return carry + best;
}

enum js_qty js_currency_qty(enum js_currency c)
{
    static const enum js_qty q[JS_NCURRENCIES] = {JS_Q_CASH, JS_Q_SILVER, JS_Q_GOLD, JS_Q_SILK,
                                                  JS_Q_GRAIN};
    JS_ASSERT((unsigned)c < JS_NCURRENCIES);
    return q[c];
}

const char *js_currency_name(enum js_currency c)
{
    static const char *names[JS_NCURRENCIES] = {"cash", "silver", "gold", "silk", "grain"};
    return (unsigned)c < JS_NCURRENCIES ? names[c] : "?";
}

const char *js_currency_unit(enum js_currency c)
{
    static const char *units[JS_NCURRENCIES] = {"strings", "taels", "taels", "bolts", "sheng"};
    return (unsigned)c < JS_NCURRENCIES ? units[c] : "?";
}

const char *js_revenue_kind_name(enum js_revenue_kind k)
{
    static const char *names[JS_NREVENUE_KINDS] = {"land_tax",    "commercial_tax", "monopoly",
                                                   "market_levy", "granary_trade",  "tribute",
                                                   "transfers"};
    return (unsigned)k < JS_NREVENUE_KINDS ? names[k] : "?";
}

const char *js_expenditure_kind_name(enum js_expenditure_kind k)
{
    static const char *names[JS_NEXPENDITURE_KINDS] = {
        "army", "administration", "relief", "granary_trade", "tribute", "transfers"};
    return (unsigned)k < JS_NEXPENDITURE_KINDS ? names[k] : "?";
}

const char *js_treaty_state_name(enum js_treaty_state s)
{
    static const char *names[JS_NTREATY_STATES] = {"not_in_force", "in_force", "suspended"};
    return (unsigned)s < JS_NTREATY_STATES ? names[s] : "?";
}
