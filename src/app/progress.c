/**
 * @file progress.c
 * @brief One self-rewriting line on a terminal: date, day, speed, ETA.
 */

/* system headers */
#include <stdio.h>

/* local headers */
#include "jinsong/progress.h"
#include "jinsong/util.h"

void js_progress_start(struct js_progress *p, const struct js_world *w, bool enabled)
{
    p->enabled = enabled;
    p->t0 = p->last = js_wall_seconds();
    p->n_days = w->clock.n_days;
    p->first_day = w->clock.day;
}

void js_progress_update(struct js_progress *p, const struct js_world *w)
{
    if (!p->enabled)
        return;
    double now = js_wall_seconds();
    if (now - p->last < 0.2 && w->clock.day < p->n_days)
        return;
    p->last = now;
    double rate = (double)(w->clock.day - p->first_day) / (now - p->t0 + 1e-9);
    double eta = rate > 0 ? (double)(p->n_days - w->clock.day) / rate : 0.0;
    char date[16];
    js_calendar_format(js_calendar_add_days(w->clock.calendar, w->clock.start, w->clock.day), date);
    int e = (int)(eta + 0.5);
    fprintf(stderr, "\r  %s  day %d/%d  %.0f days/s  ETA %d:%02d:%02d   ", date, w->clock.day,
            p->n_days, rate, e / 3600, (e / 60) % 60, e % 60);
    fflush(stderr);
}

void js_progress_finish(struct js_progress *p)
{
    if (!p->enabled)
        return;
    fprintf(stderr, "\r%72s\r", "");
    fflush(stderr);
}
