"""`compare`: a counterfactual's ensemble against its baseline's, on real sweeps of the armies
test scenario (six replicates with paired seeds)."""
import datetime
import json
import os

import cftime
import h5py
import numpy as np
import pytest
from conftest import ARMIES_REPLICATES, cli, final_population, sweep
from test_score import member_events

from jinsong_analysis import open_run
from jinsong_analysis.compare import compare_paths, format_comparison
from jinsong_analysis.scalars import Scalar

KAIFENG = 4
BIRTHS_UP = ARMIES_REPLICATES.replace("name: armies_replicates", "name: armies_more_births").replace(
    "set: {scenario.output.every_days: 2}",
    "set: {scenario.output.every_days: 2, demography.birth_rate_per_year: 0.08}")
OTHER_SEED = ARMIES_REPLICATES.replace("seed: 1126", "seed: 77").replace(
    "name: armies_replicates", "name: armies_other_seed")


@pytest.fixture(scope="session")
def births_up_sweep(tmp_path_factory):
    """The armies sweep again with twice the usual birth rate (same seed, same run indices)."""
    assert BIRTHS_UP != ARMIES_REPLICATES
    return sweep(tmp_path_factory, "births_up", BIRTHS_UP)


def battle_days(sweep_dir):
    """First day of a BATTLE at Kaifeng in each of the six members (NaN when none), via h5py."""
    out = []
    for k in range(6):
        d = member_events(sweep_dir, k, "BATTLE", KAIFENG)
        out.append(float(d.min()) if len(d) else np.nan)
    return np.array(out)


def test_an_ensemble_compared_with_itself_changes_nothing(armies_sweep):
    c = compare_paths(armies_sweep, armies_sweep, outputs=["event:BATTLE:kaifeng", "places/population@end"])
    assert c["members"] == [6, 6] and c["pairs"] == 6
    battle, pop = c["outputs"]
    days = battle_days(armies_sweep)
    happened = days[~np.isnan(days)]
    assert battle["base"]["n_value"] == battle["cf"]["n_value"] == happened.size
    assert battle["base"]["median"] == pytest.approx(np.median(happened))
    assert battle["paired"]["both"] == happened.size and battle["paired"]["equal"] == happened.size
    assert battle["paired"]["median_difference"] == 0
    assert pop["paired"] == {"pairs": 6, "both": 6, "median_difference": 0.0, "up": 0, "down": 0,
                             "equal": 6, "only_base": 0, "only_cf": 0}


def test_a_higher_birth_rate_raises_the_final_population_in_every_pair(armies_sweep, births_up_sweep):
    c = compare_paths(armies_sweep, births_up_sweep, outputs=["places/population@end"])
    (pop,) = c["outputs"]
    base = [final_population(os.path.join(armies_sweep, f"member_{k}.h5")) for k in range(6)]
    more = [final_population(os.path.join(births_up_sweep, f"member_{k}.h5")) for k in range(6)]
    assert pop["base"]["median"] == pytest.approx(np.median(base))
    assert pop["cf"]["median"] == pytest.approx(np.median(more))
    assert pop["base"]["mean"] == pytest.approx(np.mean(base)) and pop["cf"]["mean"] == pytest.approx(np.mean(more))
    assert pop["paired"]["up"] == 6 and pop["paired"]["down"] == 0
    assert pop["paired"]["median_difference"] == pytest.approx(np.median(np.subtract(more, base)))
    text = format_comparison(c)
    assert "6 pairs with the same seed and run index" in text and "6/0/0 of 6" in text


def test_members_pair_only_when_seed_and_run_index_match(armies_sweep, tmp_path_factory):
    other = sweep(tmp_path_factory, "other_seed", OTHER_SEED)
    c = compare_paths(armies_sweep, other, outputs=["places/population@end"])
    assert c["pairs"] == 0 and c["outputs"][0]["paired"]["both"] == 0
    assert c["outputs"][0]["cf"]["n_value"] == 6


def test_the_command_compares_hit_shares_and_writes_json(armies_sweep, births_up_sweep, tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("targets:\n  crossing_battle:\n    kind: event_date\n    event: BATTLE\n"
                 "    place: huazhou\n    date: 1125-12-07\n    tolerance_days: 2\n")
    res = cli("compare", armies_sweep, births_up_sweep, "--targets", p, "--output",
              "event:BATTLE:kaifeng", "--json", tmp_path / "c.json")
    assert res.returncode == 0, res.stderr
    assert "crossing_battle" in res.stdout and "event:BATTLE:kaifeng" in res.stdout
    card = json.loads((tmp_path / "c.json").read_text())
    assert [len(t["rows"]) for t in card["targets"]] == [1, 1]
    assert card["outputs"][0]["base"]["n_value"] == int((~np.isnan(battle_days(armies_sweep))).sum())


def test_compare_refuses_a_single_run_and_an_empty_request(armies_sweep, armies_h5):
    res = cli("compare", armies_sweep, armies_h5, "--output", "places/population@end")
    assert res.returncode == 2 and "not an ensemble" in res.stderr
    res = cli("compare", armies_sweep, armies_sweep)
    assert res.returncode == 2 and "nothing to compare" in res.stderr


def test_event_windows_and_battle_losses_come_from_the_events_rows(armies_sweep):
    def date(day):
        return (cftime.DatetimeJulian(1125, 12, 1) + datetime.timedelta(days=int(day))).strftime("%Y-%m-%d")

    days = {k: member_events(armies_sweep, k, "BATTLE", KAIFENG) for k in range(6)}
    k = next(m for m, d in days.items() if len(d))
    first = int(days[k].min())
    path = os.path.join(armies_sweep, f"member_{k}.h5")
    with open_run(path) as run:
        assert Scalar("event:BATTLE:kaifeng")(run) == first
        assert Scalar(f"event:BATTLE:kaifeng@{date(first)}")(run) == first
        later = [d for d in days[k] if d > first]
        after = Scalar(f"event:BATTLE:kaifeng@{date(first + 1)}")(run)
        assert (after == min(later)) if later else np.isnan(after)
        assert np.isnan(Scalar(f"event:BATTLE:kaifeng@..{date(first)}")(run))
        with h5py.File(path, "r") as f:
            ev = f["events"][:]
            code = h5py.check_enum_dtype(f["events"].dtype["kind"])["BATTLE"]
            names = [x.decode() for x in f["factions/faction_id"][:]]
        b = ev[ev["kind"] == code]
        for fid, fi in ((n, i) for i, n in enumerate(names)):
            want = sum(r["value"][0] - r["value"][1] for r in b if r["faction_a"] == fi) + \
                sum(r["value"][2] - r["value"][3] for r in b if r["faction_b"] == fi)
            assert Scalar(f"battle_losses:{fid}")(run) == pytest.approx(want)
            assert want > 0
            assert Scalar(f"battle_losses:{fid}@..{date(first)}")(run) <= want
    c = compare_paths(armies_sweep, armies_sweep, outputs=["battle_losses:jin"])
    assert c["outputs"][0]["paired"]["equal"] == 6
