/**
 * @file sim.c
 * @brief The day loop: phases in the order of ARCHITECTURE, then the ledger.
 */

/* local headers */
#include "jinsong/sim.h"

int js_sim_step(struct js_world *w, const struct js_model_params *p, char *msg, size_t msglen)
{
    const struct js_day d = js_world_day(w, w->clock.day);

    /* 1. scripted events due today */
    js_events_apply(w, &d, &p->events);
    /* 2. harvests, land tax, monthly pay */
    js_economy_calendar(w, &d, &p->economy);
    /* 3. armies choose their goals (parallel, read-only) */
    js_army_decide(w, &d, &p->army);
    /* 4. armies march, cross rivers, meet; places.threat from their new positions */
    js_army_move(w, &d, &p->army);
    /* 5. hostile armies in contact fight or refuse */
    js_battle_resolve(w, &d, &p->battle);
    /* 6. sieges: blockade, hunger, disease, engines, assaults, terms, surrender, sack */
    js_siege_step(w, &d, &p->siege);
    /* 7. armies eat, requisition, forage; porters go home; then attrition */
    js_supply_step(w, &d, &p->supply);
    js_army_attrition(w, &d, &p->army);
    /* 8. markets, prices, shipments, tribute */
    js_economy_flows(w, &d, &p->economy);
    /* 9. births and deaths (parallel over places) */
    js_demography_step(w, &d, &p->demography);
    /* 10. flight decisions, then refugees on the move (parallel over agents) */
    js_migration_spawn(w, &d, &p->migration);
    js_migration_move(w, &d, &p->migration);
    /* 11. the ledger balances exactly, or the run stops */
    struct js_census census;
    js_world_census(w, &census);
    int rc = js_ledger_close(&w->ledger, &census, msg, msglen);

    w->clock.day++;
    return rc;
}

void js_model_params_free(struct js_model_params *p)
{
    js_events_free(&p->events);
    js_army_params_free(&p->army);
    js_economy_params_free(&p->economy);
    js_siege_params_free(&p->siege);
}
