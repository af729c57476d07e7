/**
 * @file test_battle.c
 * @brief The battle kernel alone (Helmbold law, loss split, the CDB90 casualty statistics, the
 * stronger side winning more often), the commanders' decision to engage, and the battle phase
 * in a world (an army alone never loses men in battle; the weak mostly refuse; every battle is an
 * /events row with its losses through the ledger).
 */

/* system headers */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka */
#include <cmocka.h>

/* GSL */
#include <gsl/gsl_randist.h>

/* local headers */
#include "army_fixture.h"
#include "jinsong/battle.h"
#include "jinsong/rng.h"

/** @brief A scenario with nothing in it, for the default parameters. */
static const char *empty_yaml = "scenario: {name: empty, start: 1126-01-01, end: 1126-01-02}\n"
                                "places: {p: {lat: 35, lon: 114}}\n";

/**
 * @brief The default battle parameters (as the reader gives them).
 * @param p out
 */
static void default_params(struct js_battle_params *p)
{
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, empty_yaml, NULL), 0);
    *p = sc.params.battle;
    js_scenario_free(&sc);
}

/**
 * @brief A generator positioned on a test stream.
 * @param rng storage
 * @param n stream number
 */
static gsl_rng *test_stream(struct js_rng *rng, uint32_t n)
{
    js_rng_init(rng);
    return js_rng_stream(rng, 2024, 0, 0, JS_RNG_WORLD, n, JS_PURPOSE(JS_RNGMOD_TEST, 7));
}

/** @brief One sub-step of spearmen against spearmen, no breaks: loss fractions of both sides. */
static void one_substep(const struct js_battle_params *base, double w, int64_t na, int64_t nb,
                        double frac[2])
{
    struct js_battle_params p = *base;
    p.w = w;
    p.substeps_per_day = 1;
    p.max_days = 1;
    p.front_men = 1e9;
    p.theta_a = 1000; /* θ near 1: nobody breaks in one sub-step */
    p.theta_b = 0.001;
    p.flank_hazard = p.reserve_hazard = 0;
    p.morale_loss = 0;
    struct js_battle_side s[2];
    memset(s, 0, sizeof(s));
    s[0].fit[JS_ARM_SPEARMEN] = na;
    s[1].fit[JS_ARM_SPEARMEN] = nb;
    for (int i = 0; i < 2; i++) {
        s[i].posture = JS_POSTURE_ATTACK;
        s[i].morale = 1.0;
        s[i].skill = 0.5;
    }
    struct js_rng rng;
    struct js_battle_outcome o;
    js_battle_fight(s, JS_TERRAIN_PLAIN, false, &p, test_stream(&rng, 1), &o);
    assert_int_equal(o.winner, -1);
    assert_int_equal(o.substeps, 1);
    frac[0] = o.loss_fraction[0];
    frac[1] = o.loss_fraction[1];
}

static void test_battle_losses_follow_helmbold_law(void **state)
{
    (void)state;
    struct js_battle_params p;
    default_params(&p);
    /* per-capita hazard ∝ (enemy/own)^W: at 1 : 2, the smaller side's per-capita loss rate is
     * 2^(2W) times the larger's; W = 0 (logarithmic) 1, W = 0.15 1.23, W = 1 (square law) 4.
     * Two million men: the binomial noise on the ratio is about 0.5 %. */
    const double ws[3] = {0.0, 0.15, 1.0};
    for (int k = 0; k < 3; k++) {
        double f[2];
        one_substep(&p, ws[k], 1000000, 2000000, f);
        double la = -log(1.0 - f[0]), lb = -log(1.0 - f[1]);
        double want = pow(2.0, 2.0 * ws[k]);
        assert_true(fabs(la / lb / want - 1.0) < 0.02);
        /* and the level is k0 (enemy/own)^W */
        assert_true(fabs(la / (p.k0 * pow(2.0, ws[k])) - 1.0) < 0.02);
    }
}

static void test_battle_losses_split_killed_wounded_captured(void **state)
{
    (void)state;
    struct js_battle_params p;
    default_params(&p);
    p.theta_a = 1000;
    p.theta_b = 0.001;
    p.flank_hazard = p.reserve_hazard = 0;
    p.front_men = 1e9;
    struct js_battle_side s[2];
    memset(s, 0, sizeof(s));
    s[0].fit[JS_ARM_CROSSBOWMEN] = s[1].fit[JS_ARM_SPEARMEN] = 300000;
    for (int i = 0; i < 2; i++) {
        s[i].morale = 1.0;
        s[i].skill = 0.5;
    }
    struct js_rng rng;
    struct js_battle_outcome o;
    js_battle_fight(s, JS_TERRAIN_HILLS, false, &p, test_stream(&rng, 2), &o);
    int64_t k = 0, wd = 0, c = 0;
    for (int i = 0; i < 2; i++)
        for (int a = 0; a < JS_NFIGHT; a++) {
            k += o.killed[i][a];
            wd += o.wounded[i][a];
            c += o.captured[i][a];
        }
    double tot = (double)(k + wd + c);
    assert_true(tot > 100000);
    assert_true(fabs((double)k / tot - p.split[0]) < 0.01);
    assert_true(fabs((double)wd / tot - p.split[1]) < 0.01);
    assert_true(fabs((double)c / tot - p.split[2]) < 0.01);
    /* the outcome adds up: before - after = killed + wounded + captured, per side */
    for (int i = 0; i < 2; i++) {
        int64_t l = 0;
        for (int a = 0; a < JS_NFIGHT; a++)
            l += o.killed[i][a] + o.wounded[i][a] + o.captured[i][a];
        assert_int_equal(o.before[i] - o.after[i], l);
    }
}

/** @brief One generated battle of the statistics test. */
struct gen_battle {
    double ratio;   /**< side 1 / side 0 men */
    int winner;     /**< 0, 1 or -1 */
    double loss[2]; /**< loss fractions */
};

/**
 * @brief The generator of the statistics test, stated: side 0 has N men, N log-uniform in
 * [2,000, 60,000]; side 1 has N x r, r uniform in [0.5, 2]; each side's mix of the six fighting
 * arms is drawn from a flat Dirichlet; the terrain is uniform over plain, hills, mountains, marsh
 * and paddy; one side (either, with equal odds) attacks, the other is in hasty or prepared
 * defence (equal odds); morale 1; commanders' skill uniform in [0, 1].
 * @param p parameters
 * @param k battle number (its stream)
 * @param out the battle
 */
static void gen_battle(const struct js_battle_params *p, uint32_t k, struct gen_battle *out)
{
    struct js_rng rng;
    js_rng_init(&rng);
    gsl_rng *r = js_rng_stream(&rng, 90, 0, 0, JS_RNG_BATTLE, k, JS_PURPOSE(JS_RNGMOD_TEST, 1));
    double n0 = exp(log(2000.0) + gsl_rng_uniform(r) * (log(60000.0) - log(2000.0)));
    out->ratio = 0.5 + 1.5 * gsl_rng_uniform(r);
    struct js_battle_side s[2];
    memset(s, 0, sizeof(s));
    for (int i = 0; i < 2; i++) {
        double alpha[JS_NFIGHT], share[JS_NFIGHT];
        for (int a = 0; a < JS_NFIGHT; a++)
            alpha[a] = 1.0;
        gsl_ran_dirichlet(r, JS_NFIGHT, alpha, share);
        double n = i == 0 ? n0 : n0 * out->ratio;
        for (int a = 0; a < JS_NFIGHT; a++)
            s[i].fit[a] = llround(n * share[a]);
        s[i].morale = 1.0;
        s[i].skill = gsl_rng_uniform(r);
    }
    enum js_terrain t = (enum js_terrain)gsl_rng_uniform_int(r, JS_NTERRAINS);
    int def = (int)gsl_rng_uniform_int(r, 2);
    s[def].defender = true;
    s[def].posture = gsl_rng_uniform_int(r, 2) ? JS_POSTURE_PREPARED : JS_POSTURE_HASTY;
    s[1 - def].posture = JS_POSTURE_ATTACK;
    struct js_battle_outcome o;
    js_battle_fight(s, t, false, p, r, &o);
    out->winner = o.winner;
    out->loss[0] = o.loss_fraction[0];
    out->loss[1] = o.loss_fraction[1];
}

/** @brief qsort comparator of doubles. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/** @brief Median of n values (sorts them). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/** @brief Battles of the statistics tests. */
#define NBATTLES 12000

static void test_battle_casualties_match_cdb90(void **state)
{
    (void)state;
    struct js_battle_params p;
    default_params(&p);
    double *lw = malloc(NBATTLES * sizeof(double)), *ll = malloc(NBATTLES * sizeof(double));
    double *ratio = malloc(NBATTLES * sizeof(double));
    int n = 0, drawn = 0;
    for (uint32_t k = 0; k < NBATTLES; k++) {
        struct gen_battle b;
        gen_battle(&p, k, &b);
        if (b.winner < 0) {
            drawn++;
            continue;
        }
        lw[n] = b.loss[b.winner];
        ll[n] = b.loss[1 - b.winner];
        ratio[n] = ll[n] / (lw[n] > 1e-6 ? lw[n] : 1e-6);
        n++;
    }
    double mw = median(lw, n), ml = median(ll, n), mr = median(ratio, n);
    print_message("%d battles decided, %d drawn: median loss winner %.3f loser %.3f, "
                  "median loser/winner %.2f\n",
                  n, drawn, mw, ml, mr);
    /* CDB90 (models.md §1.4): losers' median 0.25 ± 0.04, winners' 0.09 ± 0.03, loser/winner
     * between 2 and 3 */
    assert_true(n >= 10000);
    assert_true(fabs(ml - 0.25) <= 0.04);
    assert_true(fabs(mw - 0.09) <= 0.03);
    assert_true(mr >= 2.0 && mr <= 3.0);
    free(lw);
    free(ll);
    free(ratio);
}

static void test_battle_stronger_side_wins_more_often_the_larger_its_advantage(void **state)
{
    (void)state;
    struct js_battle_params p;
    default_params(&p);
    /* advantage = larger / smaller side, in bins [1, 1.25), [1.25, 1.6), [1.6, 2] */
    int won[3] = {0, 0, 0}, fought[3] = {0, 0, 0};
    for (uint32_t k = 0; k < NBATTLES; k++) {
        struct gen_battle b;
        gen_battle(&p, k, &b);
        if (b.winner < 0)
            continue;
        int stronger = b.ratio >= 1.0 ? 1 : 0;
        double adv = b.ratio >= 1.0 ? b.ratio : 1.0 / b.ratio;
        int bin = adv < 1.25 ? 0 : adv < 1.6 ? 1 : 2;
        fought[bin]++;
        won[bin] += b.winner == stronger;
    }
    double f[3];
    for (int i = 0; i < 3; i++) {
        assert_true(fought[i] > 1000);
        f[i] = (double)won[i] / fought[i];
        print_message("advantage bin %d: the stronger side won %.3f of %d battles\n", i, f[i],
                      fought[i]);
    }
    /* standard errors about 0.013: differences of 0.05 are beyond noise */
    assert_true(f[0] > 0.45);
    assert_true(f[1] > f[0] + 0.05);
    assert_true(f[2] > f[1] + 0.05);
    assert_true(f[2] > 0.65);
}

static void test_battle_commanders_facing_a_much_stronger_enemy_mostly_refuse(void **state)
{
    (void)state;
    struct js_battle_params p;
    default_params(&p);
    /* 10,000 commanders of random skill and aggression per force ratio (own : enemy) */
    const double ratios[5] = {0.25, 0.5, 1.0, 2.0, 4.0};
    double accept[5];
    for (int k = 0; k < 5; k++) {
        int yes = 0;
        for (uint32_t c = 0; c < 10000; c++) {
            struct js_rng rng;
            gsl_rng *r = test_stream(&rng, 1000 + c);
            double skill = gsl_rng_uniform(r), aggr = gsl_rng_uniform(r);
            yes += js_battle_wants_fight(ratios[k], 1.0, skill, aggr, &p.engage, r);
        }
        accept[k] = yes / 10000.0;
        print_message("own : enemy = %.2f: %.3f choose to fight\n", ratios[k], accept[k]);
    }
    assert_true(accept[0] < 0.05); /* facing four times their number: they refuse */
    assert_true(accept[1] < 0.25);
    assert_true(accept[4] > 0.95);
    for (int k = 1; k < 5; k++)
        assert_true(accept[k] > accept[k - 1]);
}

/** @brief Two hostile armies at one place (the strengths are filled in by the tests). */
static const char *meeting_yaml =
    "scenario: {name: meeting, start: 1126-01-01, end: 1126-01-%02d, seed: %u}\n"
    "factions: {song: {name: Song}, jin: {name: Jin}}\n"
    "places:\n"
    "  a: {lat: 35.0, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "  b: {lat: 35.5, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "  c: {lat: 36.0, lon: 114.0, owner: song, grain_shi: 100000}\n"
    "routes: {ab: {from: a, to: b}, bc: {from: b, to: c}}\n"
    "armies:\n"
    "  weak: {owner: song, at: b, base: a, cohorts: {spearmen: %d}%s}\n"
    "  strong: {owner: jin, at: b, base: c, cohorts: {spearmen: %d}}\n";

/**
 * @brief Runs the meeting scenario for some days; counts battles.
 * @param weak men of the Song army
 * @param strong men of the Jin army
 * @param extra more keys of the Song army (", order: hold")
 * @param days days
 * @param seed seed
 * @return BATTLE rows
 */
static int meeting_battles(int weak, int strong, const char *extra, int days, unsigned seed)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), meeting_yaml, 1 + days, seed, weak, extra, strong);
    struct js_scenario sc;
    assert_int_equal(fixture_load_text(&sc, yaml, NULL), 0);
    char msg[512];
    for (int d = 0; d < days; d++)
        assert_int_equal(js_sim_step(&sc.world, &sc.params, msg, sizeof(msg)), 0);
    int n = 0;
    for (int64_t i = 0; i < sc.world.events.n; i++)
        n += sc.world.events.rows[i].kind == JS_EV_BATTLE;
    js_scenario_free(&sc);
    return n;
}

static void test_battle_a_much_weaker_army_mostly_refuses_battle(void **state)
{
    (void)state;
    /* 40 meetings (seeds) of a Song army of 2,000 with a Jin army of 8,000 at one place, one day:
     * the Jin want battle; the Song army, left to its commander, falls back before it can be
     * brought to battle (decide phase), or refuses and gets away with probability escape_p (0.8).
     * Ordered to hold the place, the same army stands and is fought every time: the difference is
     * the decision to engage, not the kernel. */
    int free_to_go = 0, holding = 0;
    for (unsigned s = 1; s <= 40; s++) {
        free_to_go += meeting_battles(2000, 8000, "", 1, s);
        holding += meeting_battles(2000, 8000, ", order: hold", 1, s);
    }
    print_message("battles in 40 meetings at 1:4: free %d, ordered to hold %d\n", free_to_go,
                  holding);
    assert_true(free_to_go <= 8);
    assert_int_equal(holding, 40);
}

static void test_battle_an_army_alone_never_loses_men_in_battle(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml",
                                       (const char *const[]){"armies.jin_east.owner=song"}, 1),
                     0);
    struct js_world *w = &sc.world;
    char msg[512];
    while (w->clock.day < w->clock.n_days)
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
    assert_int_equal(w->ledger.total[JS_FLOW_BATTLE_KILLED], 0);
    assert_int_equal(w->ledger.total[JS_FLOW_BATTLE_CAPTURED], 0);
    for (int64_t i = 0; i < w->events.n; i++)
        assert_int_not_equal(w->events.rows[i].kind, JS_EV_BATTLE);
    for (int32_t i = 0; i < w->armies.n; i++)
        for (int k = 0; k < JS_NARMS; k++)
            assert_true(w->armies.wounded[(size_t)i * JS_NARMS + (size_t)k] == 0);
    js_scenario_free(&sc);
}

static void test_battle_rows_and_ledger_account_for_every_loss(void **state)
{
    (void)state;
    struct js_scenario sc;
    assert_int_equal(fixture_load_file(&sc, "configs/test/armies.yaml", NULL, 0), 0);
    struct js_world *w = &sc.world;
    struct fixture_stocks s0 = fixture_count(w);
    int64_t out = 0, in = 0;
    char msg[512];
    while (w->clock.day < w->clock.n_days) {
        assert_int_equal(js_sim_step(w, &sc.params, msg, sizeof(msg)), 0);
        for (int f = 0; f < JS_NFLOWS; f++) {
            const struct js_flow_def *d = js_ledger_flow_def((enum js_flow)f);
            if (d->qty != JS_Q_PERSONS)
                continue;
            if (d->to == JS_H_OUTSIDE)
                out += w->ledger.interval[f];
            if (d->from == JS_H_OUTSIDE)
                in += w->ledger.interval[f];
        }
        js_ledger_interval_reset(&w->ledger);
        /* persons in places and armies, counted from the arrays, move only by the flows */
        assert_int_equal(fixture_count(w).persons, s0.persons + in - out);
    }
    int battles = 0;
    for (int64_t i = 0; i < w->events.n; i++) {
        const struct js_event_row *r = &w->events.rows[i];
        if (r->kind != JS_EV_BATTLE)
            continue;
        battles++;
        assert_true(r->place >= 0 && r->army_a >= 0 && r->army_b >= 0);
        assert_int_not_equal(r->faction_a, r->faction_b);
        assert_true(r->value[1] <= r->value[0] && r->value[3] <= r->value[2]);
    }
    assert_true(battles >= 1);
    assert_true(w->ledger.total[JS_FLOW_BATTLE_KILLED] > 0);
    js_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_battle_losses_follow_helmbold_law),
        cmocka_unit_test(test_battle_losses_split_killed_wounded_captured),
        cmocka_unit_test(test_battle_casualties_match_cdb90),
        cmocka_unit_test(test_battle_stronger_side_wins_more_often_the_larger_its_advantage),
        cmocka_unit_test(test_battle_commanders_facing_a_much_stronger_enemy_mostly_refuse),
        cmocka_unit_test(test_battle_a_much_weaker_army_mostly_refuses_battle),
        cmocka_unit_test(test_battle_an_army_alone_never_loses_men_in_battle),
        cmocka_unit_test(test_battle_rows_and_ledger_account_for_every_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
