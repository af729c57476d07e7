"""Sensitivity: Sobol indices by Jansen's estimators recover the Ishigami function's known values
and, on a real Saltelli sweep, the exact indices of an output that depends on one parameter;
other designs (a real grid sweep) get Morris elementary effects and OFAT summaries."""
import json

import numpy as np
import pytest

from conftest import BIRTH, DEATH, SALTELLI_N, SINUOSITY, cli, final_population
from jinsong_analysis import open_ensemble
from jinsong_analysis import sensitivity as SA
from jinsong_analysis.scalars import Scalar
import synth

# Ishigami (a = 7, b = 0.1) on [-π, π]^3: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
# V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0, VT3 = 8b²π⁸/225 (Ishigami & Homma 1990; Saltelli 2010)
A_, B_ = 7.0, 0.1
V = A_ ** 2 / 8 + B_ * np.pi ** 4 / 5 + B_ ** 2 * np.pi ** 8 / 18 + 0.5
V1 = 0.5 * (1 + B_ * np.pi ** 4 / 5) ** 2
V2 = A_ ** 2 / 8
VT3 = 8 * B_ ** 2 * np.pi ** 8 / 225
S_TRUE = np.array([V1 / V, V2 / V, 0.0])
ST_TRUE = np.array([(V1 + VT3) / V, V2 / V, VT3 / V])
BOX = ([-np.pi] * 3, [np.pi] * 3)


def ishigami(x):
    return np.sin(x[:, 0]) + A_ * np.sin(x[:, 1]) ** 2 + B_ * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_the_known_ishigami_values():
    np.testing.assert_allclose(S_TRUE, [0.3139, 0.4424, 0.0], atol=5e-4)
    np.testing.assert_allclose(ST_TRUE, [0.5576, 0.4424, 0.2437], atol=5e-4)


def test_the_saltelli_design_labels_a_b_and_ab_i():
    x, m, r = SA.saltelli_design(8, [0, 10], [1, 20], seed=1)
    assert x.shape == (32, 2) and np.bincount(m).tolist() == [8, 8, 8, 8]
    a, b, ab0, ab1 = (x[m == k] for k in range(4))
    np.testing.assert_array_equal(ab0[:, 0], b[:, 0])
    np.testing.assert_array_equal(ab0[:, 1], a[:, 1])
    np.testing.assert_array_equal(ab1[:, 1], b[:, 1])
    assert x[:, 0].min() >= 0 and x[:, 0].max() <= 1 and x[:, 1].min() >= 10 and x[:, 1].max() <= 20


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jansen_estimators_recover_the_ishigami_indices(seed):
    # N = 4096 base rows of a scrambled Sobol sequence: every index within 0.02 (QMC error
    # measured here ≤ 0.006 over seeds 0-2)
    x, m, r = SA.saltelli_design(4096, *BOX, seed=seed)
    res = SA.sobol(m, r, ishigami(x), 3, n_boot=100, seed=seed)
    np.testing.assert_allclose(res["S1"], S_TRUE, atol=0.02)
    np.testing.assert_allclose(res["ST"], ST_TRUE, atol=0.02)
    assert res["rows_used"] == 4096 and res["rows_dropped"] == 0


def test_bootstrap_intervals_cover_the_ishigami_values():
    x, m, r = SA.saltelli_design(1024, *BOX, seed=4)
    res = SA.sobol(m, r, ishigami(x), 3, n_boot=500, confidence=0.95, seed=4)
    assert np.all(res["S1_low"] <= S_TRUE) and np.all(S_TRUE <= res["S1_high"])
    assert np.all(res["ST_low"] <= ST_TRUE) and np.all(ST_TRUE <= res["ST_high"])
    assert np.all(res["S1_high"] - res["S1_low"] < 0.25)
    # a constant output has no variance to apportion
    s1, st = SA.jansen(np.ones(4), np.ones(4), np.ones((2, 4)))
    assert np.all(np.isnan(s1)) and np.all(np.isnan(st))


def test_sobol_indices_from_an_ensemble_index_on_the_command_line(tmp_path):
    # the Ishigami values as a summary scalar of a Saltelli ensemble.h5 (5120 members, no
    # member files needed), in members' order shuffled as a sweep may write them
    x, m, r = SA.saltelli_design(1024, *BOX, seed=7)
    order = np.random.default_rng(0).permutation(len(x))
    x, m, r = x[order], m[order], r[order]
    y = ishigami(x)
    keys = ["ishigami.x1", "ishigami.x2", "ishigami.x3"]
    members = [{"seed": 1, "run_index": k, "params": dict(zip(keys, map(float, x[k]))),
                "summary": {"ishigami": float(y[k])}} for k in range(len(x))]
    synth.write_index(str(tmp_path), members, {
        "kind": "saltelli", "n_params": 3, "base_samples": 1024, "replicates": 1, "param_keys": keys,
        "lower": BOX[0], "upper": BOX[1], "saltelli_matrix": m, "saltelli_row": r})
    res = cli("sensitivity", tmp_path, "--bootstrap", "200", "--json", tmp_path / "s.json",
              "--plot", tmp_path / "s.png")
    assert res.returncode == 0, res.stderr
    assert "Sobol indices (Jansen), 1024 base rows (0 dropped)" in res.stdout
    out = json.loads((tmp_path / "s.json").read_text())[0]
    assert out["output"] == "summary:ishigami" and out["params"] == keys
    np.testing.assert_allclose(out["S1"], S_TRUE, atol=0.03)
    np.testing.assert_allclose(out["ST"], ST_TRUE, atol=0.03)
    assert (tmp_path / "s.png").stat().st_size > 10000


def jansen_by_hand(y, n, k):
    """Jansen's estimators from outputs in the members' order of a Saltelli sweep (points A rows
    0..N-1, then B, then AB_0 ... AB_(k-1); docs/OUTPUT.md), rows with a NaN dropped."""
    blocks = np.asarray(y, float).reshape(k + 2, n)
    keep = ~np.isnan(blocks).any(axis=0)
    fa, fb, fab = blocks[0, keep], blocks[1, keep], blocks[2:, keep]
    v = np.var(np.concatenate([fa, fb]))
    return (v - 0.5 * ((fb - fab) ** 2).mean(axis=1)) / v, 0.5 * ((fa - fab) ** 2).mean(axis=1) / v


def test_sobol_indices_of_a_real_saltelli_sweep_recover_known_values(saltelli_sweep):
    # the length of a route is great-circle distance × sinuosity: a function of the sinuosity
    # alone, so exactly S1 = 1 for it (f(AB_s) = f(B)) and ST = 0 for the rates (f(AB_i) = f(A))
    with open_ensemble(saltelli_sweep) as ens:
        res = SA.analyse(ens, Scalar("routes/km[route=kaifeng-zhengzhou]"), n_boot=100)
        assert res["method"] == "sobol" and res["params"] == [BIRTH, DEATH, SINUOSITY]
        assert res["rows_used"] == SALTELLI_N - 1 and res["rows_dropped"] == 1  # the pending member
        assert res["S1"][2] == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(res["ST"][:2], 0.0, atol=1e-12)
        assert res["S1_low"][2] == pytest.approx(1.0, abs=1e-12)  # every bootstrap resample agrees
        km = [float(ens.run(k)["routes"]["km"].values[0]) for k in ens.ok]
        assert len(set(km)) > 5  # the output is each member's own, not the first member's


def test_sobol_indices_of_real_runs_follow_jansens_estimators(saltelli_sweep):
    # final population ≈ P0·exp((b − d)·t): the birth and death rates carry the variance, the
    # sinuosity of the roads (no army, no refugee) none of it
    with open_ensemble(saltelli_sweep) as ens:
        res = SA.analyse(ens, Scalar("summary:final_population"), n_boot=200)
        y = np.full(len(ens), np.nan)
        for k in ens.ok:
            y[k] = final_population(ens.members.at[k, "file"])
        s1, st = jansen_by_hand(y, SALTELLI_N, 3)
        np.testing.assert_allclose(res["S1"], s1, rtol=1e-12)
        np.testing.assert_allclose(res["ST"], st, rtol=1e-12)
        assert res["ST"][0] > 0.2 and res["ST"][1] > 0.2 and res["ST"][2] < 0.02
        # the same output computed from the member files rather than the summary column
        res2 = SA.analyse(ens, Scalar("places/population@end"), n_boot=20)
        np.testing.assert_allclose(res2["S1"], res["S1"], rtol=1e-12)


def test_sensitivity_of_a_real_sweep_on_the_command_line(saltelli_sweep, tmp_path):
    res = cli("sensitivity", saltelli_sweep, "--bootstrap", "50", "--json", tmp_path / "s.json",
              "--plot", tmp_path / "s.png")
    assert res.returncode == 0, res.stderr
    # by default the summaries that differ between members, not the ~90 that are the same
    assert "summary scalars that differ between members" in res.stdout
    out = json.loads((tmp_path / "s.json").read_text())
    assert out[0]["output"] == "summary:final_population"
    assert {o["output"] for o in out} >= {"summary:persons__births", "summary:persons__deaths_baseline"}
    assert all(o["rows_dropped"] == 1 for o in out)
    assert (tmp_path / "s.png").stat().st_size > 10000


def test_morris_effects_from_a_grid_find_the_parameters_that_matter():
    grid = np.array([(a, b, c) for a in (0, 0.5, 1) for b in (0, 1) for c in (1, 2)], float)
    y = 3 * grid[:, 0] + 0 * grid[:, 1] + grid[:, 0] * grid[:, 2]
    res = SA.morris(grid, y)
    # x1: effect per full range is 3 + x3 (4 or 5); x2: none; x3: x1 (0, 0.5 or 1)
    np.testing.assert_allclose(res["mu"], [4.5, 0.0, 0.5])
    np.testing.assert_allclose(res["mu_star"], [4.5, 0.0, 0.5])
    assert res["n"].tolist() == [8, 6, 6]
    assert res["sigma"][1] == 0 and res["sigma"][0] > 0
    effects = SA.main_effects(grid, y)
    assert [round(mean, 6) for _, mean, _ in effects[0]] == [0.0, 2.25, 4.5]


def test_a_space_filling_design_gets_rank_correlations():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (200, 3))
    y = 5 * x[:, 0] - 2 * x[:, 1] + 0.01 * rng.normal(size=200)
    res = SA.morris(x, y)
    assert res["n"].tolist() == [0, 0, 0]
    c = SA.correlations(x, y)
    assert c["spearman"][0] > 0.8 and c["spearman"][1] < -0.2 and abs(c["spearman"][2]) < 0.2
    assert c["r2"] > 0.99 and c["src"][0] > 0.9


def test_a_grid_sweep_gets_morris_and_ofat_summaries(example_sweep, plain_dir):
    res = cli("sensitivity", example_sweep, "--output", "places/population@end", "--output",
              "factions/population[faction=song]:max")
    assert res.returncode == 0, res.stderr
    assert "Morris elementary effects" in res.stdout
    assert f"main effect of {BIRTH}: 0.03 →" in res.stdout
    for path in (example_sweep, plain_dir):  # with its index, and as a folder of runs
        with open_ensemble(path) as ens:
            r = SA.analyse(ens, Scalar("places/population@end"))
            # 3 × 2 points, the 2 replicates of a point averaged: 2 steps of the birth rate at
            # each death rate, 1 step of the death rate at each birth rate
            assert r["method"] == "morris" and list(r["morris"]["n"]) == [4, 3]
            assert r["morris"]["mu"][0] > 0 > r["morris"]["mu"][1]  # more births, more people
            levels = r["main_effects"][0]
            assert [v for v, _, _ in levels] == [0.03, 0.035, 0.04]
            assert levels[0][1] < levels[1][1] < levels[2][1]


def test_sensitivity_needs_varied_parameters_and_valid_outputs(armies_sweep, saltelli_sweep, smoke_h5):
    res = cli("sensitivity", armies_sweep)
    assert res.returncode == 2 and "varies no parameter" in res.stderr
    res = cli("sensitivity", saltelli_sweep, "--output", "places/populaton@end")
    assert res.returncode == 2 and "no /places/populaton" in res.stderr
    res = cli("sensitivity", saltelli_sweep, "--output", "summary:nothing")
    assert res.returncode == 2 and "summaries: final_population" in res.stderr
    res = cli("sensitivity", smoke_h5)
    assert res.returncode == 2 and "not an ensemble" in res.stderr
