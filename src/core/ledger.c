/**
 * @file ledger.c
 * @brief Exact int64 bookkeeping of every conserved quantity.
 */

/* system headers */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/ledger.h"
#include "jinsong/log.h"

static const struct js_flow_def flow_defs[JS_NFLOWS] = {
#define JS_FLOW(id, q, f, t, name, long_name) {JS_Q_##q, JS_H_##f, JS_H_##t, name, long_name},
#include "jinsong/ledger_flows.h"
#undef JS_FLOW
};

static const char *qty_names[JS_NQTY] = {"persons", "grain", "silver", "gold",
                                         "silk",    "cash",  "horses", "cattle"};
static const char *qty_units[JS_NQTY] = {"persons", "sheng",   "taels", "taels",
                                         "bolts",   "strings", "head",  "head"};
static const char *holder_names[JS_NHOLDERS] = {"outside",  "places", "armies", "refugees",
                                                "factions", "sieges", "convoys"};

const struct js_flow_def *js_ledger_flow_def(enum js_flow f)
{
    JS_ASSERT((unsigned)f < JS_NFLOWS);
    return &flow_defs[f];
}

const char *js_ledger_qty_name(enum js_qty q)
{
    JS_ASSERT((unsigned)q < JS_NQTY);
    return qty_names[q];
}

const char *js_ledger_qty_unit(enum js_qty q)
{
    JS_ASSERT((unsigned)q < JS_NQTY);
    return qty_units[q];
}

const char *js_ledger_holder_name(enum js_holder h)
{
    JS_ASSERT((unsigned)h < JS_NHOLDERS);
    return holder_names[h];
}

void js_ledger_init(struct js_ledger *l, const struct js_census *census)
{
    memset(l, 0, sizeof(*l));
    memcpy(l->stock, census->s, sizeof(l->stock));
    memcpy(l->initial, census->s, sizeof(l->initial));
}

int js_ledger_close(struct js_ledger *l, const struct js_census *census, char *msg, size_t msglen)
{
    int64_t today[JS_NFLOWS];
    memcpy(today, l->day, sizeof(today));
    for (int f = 0; f < JS_NFLOWS; f++) {
        const struct js_flow_def *d = &flow_defs[f];
        JS_ASSERT(l->day[f] >= 0);
        l->stock[d->qty][d->from] -= l->day[f];
        l->stock[d->qty][d->to] += l->day[f];
        l->interval[f] += l->day[f];
        l->total[f] += l->day[f];
        l->day[f] = 0;
    }
    int rc = 0;
    for (int q = 0; q < JS_NQTY && rc == 0; q++) {
        for (int h = 1; h < JS_NHOLDERS; h++) {
            if (l->stock[q][h] == census->s[q][h])
                continue;
            if (msg && msglen) {
                int off = snprintf(msg, msglen,
                                   "ledger imbalance: %s held by %s: expected %" PRId64
                                   " %s from the flows, counted %" PRId64 " in the world; "
                                   "today's flows in and out of it:",
                                   qty_names[q], holder_names[h], l->stock[q][h], qty_units[q],
                                   census->s[q][h]);
                for (int f = 0; f < JS_NFLOWS && off > 0 && (size_t)off < msglen; f++) {
                    const struct js_flow_def *d = &flow_defs[f];
                    if (d->qty != (enum js_qty)q || !today[f] ||
                        (d->from != (enum js_holder)h && d->to != (enum js_holder)h))
                        continue;
                    off += snprintf(msg + off, msglen - (size_t)off, " %s %s%" PRId64, d->name,
                                    d->to == (enum js_holder)h ? "+" : "-", today[f]);
                }
            }
            rc = -1;
            break;
        }
    }
    return rc;
}

void js_ledger_interval_reset(struct js_ledger *l)
{
    memset(l->interval, 0, sizeof(l->interval));
}

int js_ledger_flows_of(enum js_qty q, enum js_flow *ids)
{
    int n = 0;
    for (int f = 0; f < JS_NFLOWS; f++) {
        if (flow_defs[f].qty != q)
            continue;
        if (ids)
            ids[n] = (enum js_flow)f;
        n++;
    }
    return n;
}
