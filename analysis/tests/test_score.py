"""The validation scorecard: constructed targets that a run hits or misses, FLEE's ARD, ensembles,
and errors in targets files located at their line and column."""
import glob
import json
import os
import textwrap

import numpy as np
import pytest

from conftest import SOURCE, cli
from jinsong_analysis import UserError, open_run
from jinsong_analysis.scalars import Scalar
from jinsong_analysis.score import ard, score_path
from jinsong_analysis.targets import read_targets

KAIFENG_1125 = 261117 * 5  # persons at the start (smoke.yaml)

TARGETS = f"""
name: constructed targets on the synthetic full run
targets:
  fall_on_time:
    kind: event_date
    event: CITY_FALLS
    place: kaifeng
    date: 1125-12-25          # day 85, when the file has it
    tolerance_days: 5
    source: synth.py
  fall_too_early:
    kind: event_date
    event: CITY_FALLS
    place: kaifeng
    date: 1125-11-01
    tolerance_days: 10
  zhengzhou_never_falls:
    kind: event_date
    event: CITY_FALLS
    place: zhengzhou
    date: 1125-12-01
    tolerance_days: 30
  kaifeng_population:
    kind: value
    variable: places/population
    select: {{place: kaifeng}}
    date: 1125-10-01
    expected: {KAIFENG_1125}
    tolerance_rel: 0.001
    weight: 2
  kaifeng_population_wrong:
    kind: value
    variable: places/population
    select: {{place: [kaifeng, zhengzhou]}}
    date: 1125-10-01
    expected: 2000000
    tolerance_rel: 0.1
  song_share_at_start:
    kind: ratio
    numerator: {{variable: factions/population, select: {{faction: song}}}}
    denominator: {{variable: places/population}}
    date: 1125-10-01
    expected: 1.0
    tolerance_abs: 0.001
  refugees_where_they_are:
    kind: ard
    variable: places/refugees_present
    observed:
      - {{date: 1125-12-20, zhengzhou: 25500, huazhou: 0}}
      - {{date: 1126-01-01, zhengzhou: 43500}}
    mode: normal
    threshold: 0.1
  refugees_elsewhere:
    kind: ard
    variable: places/refugees_present
    observed:
      - {{date: 1125-12-20, zhengzhou: 0, huazhou: 25500}}
    mode: rescaled
    threshold: 0.6
  after_the_run:
    kind: value
    variable: places/population
    date: 1130-01-01
    expected: 1
    tolerance_abs: 1
"""


@pytest.fixture()
def targets_file(tmp_path):
    p = tmp_path / "targets.yaml"
    p.write_text(TARGETS)
    return str(p)


def test_the_scorecard_hits_and_misses_constructed_targets(full_h5, targets_file):
    card = score_path(full_h5, targets_file)
    hit = {r["target"]: r["hit"] for r in card["rows"]}
    assert hit == {"fall_on_time": True, "fall_too_early": False, "zhengzhou_never_falls": False,
                   "kaifeng_population": True, "kaifeng_population_wrong": False,
                   "song_share_at_start": True, "refugees_where_they_are": True,
                   "refugees_elsewhere": False, "after_the_run": None}
    rows = {r["target"]: r for r in card["rows"]}
    assert rows["fall_on_time"]["simulated"] == "1125-12-25"
    assert rows["zhengzhou_never_falls"]["simulated"] == "never"
    assert rows["kaifeng_population"]["values"] == [KAIFENG_1125]
    assert rows["refugees_where_they_are"]["values"] == [0.0]
    assert rows["refugees_elsewhere"]["values"][0] == pytest.approx(2.0)
    assert "outside the run" in rows["after_the_run"]["note"]
    # weights: kaifeng_population counts twice; 8 evaluated targets, weight 9 in all, 4 hits (weight 5)
    assert card["evaluated"] == 8 and card["hits"] == 4
    assert card["score"] == pytest.approx(5 / 9)


def test_a_real_run_of_the_smoke_scenario_is_scored(smoke_h5, tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent("""
        targets:
          liyang_ceded:
            kind: event_date
            event: PLACE_CEDED
            place: junzhou
            faction: jin
            date: 1125-12-25
            tolerance_days: 0
          jin_hold_one_place:
            kind: value
            variable: factions/places_held
            select: {faction: jin}
            date: 1126-01-01
            expected: 1
            tolerance_abs: 0
    """))
    res = cli("score", smoke_h5, "--targets", p, "--json", tmp_path / "card.json")
    assert res.returncode == 0, res.stderr
    assert "score 1.000 (2 of 2 evaluated targets hit" in res.stdout
    card = json.loads((tmp_path / "card.json").read_text())
    assert [r["hit"] for r in card["rows"]] == [True, True]


def test_ard_is_flees_averaged_relative_difference():
    sim = np.array([[10.0, 30.0], [0.0, 50.0]])
    obs = np.array([[20.0, 20.0], [25.0, 25.0]])
    # normal: (|10-20| + |30-20|) / 40 = 0.5; (25 + 25) / 50 = 1.0 -> mean 0.75
    assert ard(sim, obs, "normal") == pytest.approx(0.75)
    # rescaled: day 1 sums match already -> 0.5; day 2 sim scaled by 50/50 -> 1.0
    assert ard(sim, obs, "rescaled") == pytest.approx(0.75)
    # rescaling removes a uniform over-count
    assert ard(2 * obs, obs, "rescaled") == 0.0 and ard(2 * obs, obs, "normal") == pytest.approx(1.0)
    # unobserved entities are left out
    assert ard([[5.0, 100.0]], [[5.0, np.nan]], "normal") == 0.0


def test_an_ensemble_scorecard_gives_the_distribution_and_the_share_of_members_that_hit(full_ensemble_dir, tmp_path):
    p = tmp_path / "t.yaml"
    # the four members' Kaifeng falls on days 82, 85, 87 and 90
    p.write_text(textwrap.dedent("""
        targets:
          within_two_days:
            kind: event_date
            event: CITY_FALLS
            place: kaifeng
            date: 1125-12-25
            tolerance_days: 2
          within_one_day:
            kind: event_date
            event: CITY_FALLS
            place: kaifeng
            date: 1125-12-25
            tolerance_days: 1
    """))
    card = score_path(full_ensemble_dir, str(p))
    two, one = card["rows"]
    assert card["members"] == 4
    assert sorted(two["values"]) == [82, 85, 87, 90]
    assert two["hit_fraction"] == 0.5 and two["hit"] is True
    assert one["hit_fraction"] == 0.25 and one["hit"] is False
    assert two["simulated"].startswith("1125-12-26 [")  # median day 86
    assert card["score"] == pytest.approx(0.375)
    res = cli("score", full_ensemble_dir, "--targets", p)
    assert "HIT 50 %" in res.stdout and "miss 25 %" in res.stdout


BAD = """targets:
  a:
    kind: event_date
    event: CITY_FALLS
    date: 1127-13-09
    tolerance_days: 5
    tolerence: 3
  b:
    kind: value
    variable: places/population
    date: 1126-01-01
    expected: many
  c:
    kind: guess
  a:
    kind: ard
    variable: places/refugees_present
    threshold: 0.6
"""


def test_errors_in_a_targets_file_are_all_reported_at_their_line_and_column(tmp_path, smoke_h5):
    p = tmp_path / "bad.yaml"
    p.write_text(BAD)
    with pytest.raises(UserError) as exc:
        read_targets(str(p))
    text = str(exc.value)
    rel = str(p)
    assert f'{rel}:7:16: error: a: unknown key "tolerence"' in text
    assert f"{rel}:12:15: error: b.expected: expected a number, got 'many'" in text
    assert f"{rel}:9:5: error: b: give exactly one of tolerance_rel" in text
    assert f"{rel}:14:11: error: c.kind: expected one of event_date, value, ratio, ard" in text
    assert f'{rel}:15:3: error: duplicate key "a"' in text
    res = cli("score", smoke_h5, "--targets", p)
    assert res.returncode == 2 and "tolerence" in res.stderr
    # a month 13 is found when reading; a 29 February of a common year when the run's calendar is known
    assert f'{rel}:5:11: error: a.date: expected a date YYYY-MM-DD, got "1127-13-09"' in text
    p.write_text("targets:\n  a: {kind: event_date, event: CITY_FALLS, date: 1127-02-29, tolerance_days: 5}\n")
    res = cli("score", smoke_h5, "--targets", p)
    assert res.returncode == 2
    assert f'{rel}:2:50: error: "1127-02-29" is not a date of the julian calendar' in res.stderr


def test_a_yaml_syntax_error_is_located(tmp_path):
    p = tmp_path / "syntax.yaml"
    p.write_text("targets:\n  a: {kind: value\n  b: 1\n")
    with pytest.raises(UserError, match=r"syntax.yaml:3:\d+: error: YAML syntax"):
        read_targets(str(p))


def test_julian_dates_that_do_not_exist_in_the_gregorian_calendar_are_accepted(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("targets:\n  a: {kind: event_date, event: SACK, date: 1100-02-29, tolerance_days: 1}\n")
    assert read_targets(str(p))["targets"][0]["date"] == "1100-02-29"


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(SOURCE, "configs", "targets", "*.yaml"))),
                         ids=os.path.basename)
def test_the_shipped_targets_read_and_score_on_the_flagship_run(path, jingkang_h5):
    t = read_targets(path)
    assert t["targets"] and all(x["source"] for x in t["targets"])
    card = score_path(jingkang_h5, path)
    assert len(card["rows"]) == len(t["targets"])


def test_scalar_specs(full_h5):
    with open_run(full_h5) as run:
        assert Scalar("places/population[place=kaifeng]@1125-10-01")(run) == KAIFENG_1125
        assert Scalar("places/population[place=kaifeng]@start")(run) == KAIFENG_1125
        assert Scalar("event:CITY_FALLS:kaifeng")(run) == 85
        assert np.isnan(Scalar("event:CITY_FALLS:zhengzhou")(run))
        assert Scalar("armies/strength[army=jin_east]:max")(run) == 60000
        assert Scalar("armies/strength[army=jin_east,song_guard]:min")(run) == 55000
        assert Scalar("places/population_by_class[place=kaifeng;class=elite]@start")(run) == \
            float(run["places"]["population_by_class"].isel(time=0, place=0, **{"class": 2}))
        for bad in ("population", "places/population@1125-10-01:max", "places/population:median",
                    "places/nothing", "places/population[place=xian]"):
            with pytest.raises(UserError):
                Scalar(bad)(run)
