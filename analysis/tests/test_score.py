"""The validation scorecard: constructed targets that a run hits or misses, FLEE's ARD, ensembles,
and errors in targets files located at their line and column."""
import datetime
import glob
import json
import os
import textwrap

import cftime
import h5py
import numpy as np
import pytest

from conftest import SOURCE, cli, final_population
from jinsong_analysis import UserError, open_run
from jinsong_analysis.scalars import Scalar
from jinsong_analysis.score import ard, score_path
from jinsong_analysis.targets import read_targets

ARMIES_START = "1125-12-01"


def at(path, variable, day, index):
    """A value of a run's file read with h5py: /variable at row `day` (daily rows) and entity index."""
    with h5py.File(path, "r") as f:
        return f[variable][day][index]


@pytest.fixture()
def targets_file(armies_h5, tmp_path):
    """Targets built on the real armies run: the engine's own battles, and values, ratios and
    observed refugee counts taken from the file."""
    kaifeng, zhengzhou, song = 4, 5, 0
    pop0 = at(armies_h5, "places/population", 0, slice(None))
    song0 = at(armies_h5, "factions/population", 0, song)
    jin10 = at(armies_h5, "armies/strength", 9, 0)  # jin_east on 1125-12-10 (row 9)
    rp40 = at(armies_h5, "places/refugees_present", 40, slice(None))
    rp60 = at(armies_h5, "places/refugees_present", 60, slice(None))
    text = f"""
name: constructed targets on the armies run
targets:
  battle_too_early:
    kind: event_date
    event: BATTLE
    place: huazhou
    date: 1125-12-20          # the engine's first battle there is on 1125-12-07
    tolerance_days: 10
  no_battle_at_zhengzhou:
    kind: event_date
    event: BATTLE
    place: zhengzhou
    date: 1126-01-10
    tolerance_days: 30
  first_battle_at_the_crossing:
    kind: event_date
    event: BATTLE
    place: huazhou
    faction: jin
    date: 1125-12-07          # the engine's first battle, day 6
    tolerance_days: 0
  kaifeng_population:
    kind: value
    variable: places/population
    select: {{place: kaifeng}}
    date: {ARMIES_START}
    expected: {pop0[kaifeng]}
    tolerance_rel: 0.001
    weight: 2
  kaifeng_population_wrong:
    kind: value
    variable: places/population
    select: {{place: [kaifeng, zhengzhou]}}
    date: {ARMIES_START}
    expected: {2 * (pop0[kaifeng] + pop0[zhengzhou])}
    tolerance_rel: 0.1
  jin_army_on_the_tenth:
    kind: value
    variable: armies/strength
    select: {{army: jin_east}}
    date: 1125-12-10
    expected: {jin10}
    tolerance_abs: 0
  song_share_at_start:
    kind: ratio
    numerator: {{variable: factions/population, select: {{faction: song}}}}
    denominator: {{variable: places/population}}
    date: {ARMIES_START}
    expected: {song0 / pop0.sum()}
    tolerance_abs: 0.000001
  refugees_where_they_are:
    kind: ard
    variable: places/refugees_present
    observed:
      - {{date: 1126-01-10, kaifeng: {rp40[kaifeng]}, zhengzhou: {rp40[zhengzhou]}}}
      - {{date: 1126-01-30, kaifeng: {rp60[kaifeng]}}}
    mode: normal
    threshold: 0.01
  refugees_elsewhere:
    kind: ard
    variable: places/refugees_present
    observed:
      - {{date: 1126-01-10, kaifeng: {rp40[zhengzhou]}, zhengzhou: {rp40[kaifeng]}}}
    mode: rescaled
    threshold: 0.3
  after_the_run:
    kind: value
    variable: places/population
    date: 1130-01-01
    expected: 1
    tolerance_abs: 1
"""
    p = tmp_path / "targets.yaml"
    p.write_text(text)
    swapped = abs(rp40[kaifeng] - rp40[zhengzhou]) * 2 / (rp40[kaifeng] + rp40[zhengzhou])
    return str(p), swapped


def test_the_scorecard_hits_and_misses_constructed_targets(armies_h5, targets_file):
    path, swapped = targets_file
    card = score_path(armies_h5, path)
    hit = {r["target"]: r["hit"] for r in card["rows"]}
    assert hit == {"battle_too_early": False, "no_battle_at_zhengzhou": False,
                   "first_battle_at_the_crossing": True, "kaifeng_population": True,
                   "kaifeng_population_wrong": False, "jin_army_on_the_tenth": True,
                   "song_share_at_start": True, "refugees_where_they_are": True,
                   "refugees_elsewhere": False, "after_the_run": None}
    rows = {r["target"]: r for r in card["rows"]}
    assert rows["battle_too_early"]["simulated"] == "1125-12-07"
    assert rows["first_battle_at_the_crossing"]["simulated"] == "1125-12-07"
    assert rows["no_battle_at_zhengzhou"]["simulated"] == "never"
    assert rows["refugees_where_they_are"]["values"] == [0.0]
    assert rows["refugees_elsewhere"]["values"][0] == pytest.approx(swapped) and swapped > 0.3
    assert "outside the run" in rows["after_the_run"]["note"]
    # weights: kaifeng_population counts twice; 9 evaluated targets, weight 10 in all, 5 hits (weight 6)
    assert card["evaluated"] == 9 and card["hits"] == 5
    assert card["score"] == pytest.approx(6 / 10)


def event_day(path, kind, place_id):
    """The day of the first /events row of a kind at a place, read with h5py (None if none)."""
    with h5py.File(path, "r") as f:
        ev = f["events"][:]
        code = h5py.check_enum_dtype(f["events"].dtype["kind"])[kind]
        place = [x.decode() for x in f["places/place_id"][:]].index(place_id)
    days = ev["day"][(ev["kind"] == code) & (ev["place"] == place)]
    return int(days.min()) if len(days) else None


def date_of(start, day):
    """The Julian date `day` days after `start` (YYYY-MM-DD)."""
    y, m, d = map(int, start.split("-"))
    return (cftime.DatetimeJulian(y, m, d) + datetime.timedelta(days=day)).strftime("%Y-%m-%d")


SIEGE_TARGETS = """
targets:
  ransom_on_time:
    kind: event_date
    event: RANSOM_PAID
    place: kaifeng
    faction: jin
    date: {ransom}
    tolerance_days: 2
  ransom_at_the_wrong_city:
    kind: event_date
    event: RANSOM_PAID
    place: yanjing
    date: {ransom}
    tolerance_days: 30
  fall_on_time:
    kind: event_date
    event: CITY_FALLS
    place: kaifeng
    faction: song
    date: {fall}
    tolerance_days: 0
  fall_too_late:
    kind: event_date
    event: CITY_FALLS
    place: kaifeng
    date: 1126-02-25
    tolerance_days: 10
  sacked:
    kind: event_date
    event: SACK
    place: kaifeng
    date: {fall}
    tolerance_days: 1
"""


def test_event_date_targets_on_real_sieges_ransomed_and_stormed(ransom_h5, stormed_h5, tmp_path):
    # the siege module's rows carry the city in `place` (RANSOM_PAID too: faction_a the payer,
    # faction_b the receiver), so a target names the city and either faction
    ransom, fall = event_day(ransom_h5, "RANSOM_PAID", "kaifeng"), event_day(stormed_h5, "CITY_FALLS", "kaifeng")
    assert ransom is not None and fall is not None
    assert event_day(ransom_h5, "CITY_FALLS", "kaifeng") is None and event_day(stormed_h5, "RANSOM_PAID", "kaifeng") is None
    p = tmp_path / "t.yaml"
    p.write_text(SIEGE_TARGETS.format(ransom=date_of("1126-01-20", ransom), fall=date_of("1126-01-20", fall)))
    paid = {r["target"]: r for r in score_path(ransom_h5, str(p))["rows"]}
    stormed = {r["target"]: r for r in score_path(stormed_h5, str(p))["rows"]}
    assert {k: r["hit"] for k, r in paid.items()} == {
        "ransom_on_time": True, "ransom_at_the_wrong_city": False, "fall_on_time": False,
        "fall_too_late": False, "sacked": False}
    assert paid["ransom_on_time"]["simulated"] == date_of("1126-01-20", ransom)
    assert paid["fall_on_time"]["simulated"] == "never"
    assert {k: r["hit"] for k, r in stormed.items()} == {
        "ransom_on_time": False, "ransom_at_the_wrong_city": False, "fall_on_time": True,
        "fall_too_late": False, "sacked": True}
    assert stormed["fall_too_late"]["simulated"] == date_of("1126-01-20", fall)


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


def member_events(sweep_dir, k, kind, place):
    """Days of a member's events of a kind at a place index, read with h5py."""
    with h5py.File(os.path.join(sweep_dir, f"member_{k}.h5"), "r") as f:
        ev = f["events"][:]
        code = h5py.check_enum_dtype(f["events"].dtype["kind"])[kind]
    return ev["day"][(ev["kind"] == code) & (ev["place"] == place)]


def test_an_ensemble_scorecard_gives_the_distribution_and_the_share_of_members_that_hit(armies_sweep,
                                                                                        tmp_path):
    # the battle before Kaifeng happens in some replicates, on different days
    kaifeng = 4
    days = {k: member_events(armies_sweep, k, "BATTLE", kaifeng) for k in range(6)}
    firsts = {k: int(d.min()) for k, d in days.items() if len(d)}
    assert 0 < len(firsts) < 6
    target_day = sorted(firsts.values())[0]
    date = (cftime.DatetimeJulian(1125, 12, 1) + datetime.timedelta(days=target_day)).strftime("%Y-%m-%d")
    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent(f"""
        targets:
          battle_before_kaifeng:
            kind: event_date
            event: BATTLE
            place: kaifeng
            date: {date}
            tolerance_days: 3
          crossing_battle:
            kind: event_date
            event: BATTLE
            place: huazhou
            date: 1125-12-07
            tolerance_days: 2
    """))
    card = score_path(armies_sweep, str(p))
    kaifeng_row, crossing = card["rows"]
    assert card["members"] == 6
    share = sum(abs(d - target_day) <= 3 for d in firsts.values()) / 6
    assert kaifeng_row["hit_fraction"] == pytest.approx(share) and kaifeng_row["hit"] is (share >= 0.5)
    assert sorted(v for v in kaifeng_row["values"] if not np.isnan(v)) == sorted(firsts.values())
    assert f"({len(firsts)} of 6 members)" in kaifeng_row["simulated"]
    assert crossing["hit_fraction"] == 1.0
    assert crossing["simulated"] == "1125-12-07 [1125-12-07 – 1125-12-07]"
    assert card["score"] == pytest.approx((share + 1.0) / 2)
    res = cli("score", armies_sweep, "--targets", p)
    assert res.returncode == 0 and f"{100 * share:.0f} %" in res.stdout and "HIT 100 %" in res.stdout


def test_the_scorecard_of_the_example_sweep(example_sweep, tmp_path):
    finals = np.array([final_population(os.path.join(example_sweep, f"member_{k}.h5")) for k in range(12)])
    median = float(np.median(finals))
    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent(f"""
        targets:
          liyang_ceded:
            kind: event_date
            event: PLACE_CEDED
            place: junzhou
            faction: jin
            date: 1125-12-25
            tolerance_days: 0
          final_population:
            kind: value
            variable: places/population
            date: 1126-01-01
            expected: {median}
            tolerance_abs: 1500
    """))
    card = score_path(example_sweep, str(p))
    ceded, final = card["rows"]
    assert ceded["hit_fraction"] == 1.0
    assert final["values"] == list(finals)
    assert final["hit_fraction"] == pytest.approx(np.mean(np.abs(finals - median) <= 1500))
    assert 0 < final["hit_fraction"] < 1


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
    # each event-date target reads the rows the engine writes: its simulated date is that of the
    # first row of its kind at its place (the siege module's RANSOM_PAID carries the city)
    with open_run(jingkang_h5) as run:
        for target, row in zip(t["targets"], card["rows"]):
            if target["kind"] != "event_date" or not target["place"]:
                continue
            if (row.get("note") or "").startswith("not evaluated"):
                # another scenario's targets: only those dated outside this run are left out
                assert os.path.basename(path) != "jingkang.yaml", target["name"]
                assert "outside the run" in row["note"] and row["hit"] is None, target["name"]
                continue
            day = event_day(jingkang_h5, target["event"], target["place"])
            assert row["simulated"] == ("never" if day is None else run.calendar.label(day)), target["name"]
    if os.path.basename(path) == "jingkang.yaml":
        rows = {r["target"]: r for r in card["rows"]}
        assert rows["kaifeng_ransom_paid"]["simulated"] != "never"  # the first siege's ransom


def test_scalar_specs(armies_h5, dean_h5):
    with open_run(armies_h5) as run:
        kaifeng0 = float(at(armies_h5, "places/population", 0, 4))
        assert Scalar("places/population[place=kaifeng]@1125-12-01")(run) == kaifeng0
        assert Scalar("places/population[place=kaifeng]@start")(run) == kaifeng0
        assert Scalar("event:BATTLE:huazhou")(run) == 6
        assert np.isnan(Scalar("event:CITY_FALLS:zhengzhou")(run))
        with h5py.File(armies_h5, "r") as f:
            st = f["armies/strength"][:]
        assert Scalar("armies/strength[army=jin_east]:max")(run) == st[:, 0].max()
        assert Scalar("armies/strength[army=jin_east,song_river]:min")(run) == (st[:, 0] + st[:, 1]).min()
        assert Scalar("factions/revenue[faction=song;currency=cash]@end")(run) == \
            float(run["factions"]["revenue"].isel(time=-1, faction=0, currency=0))
        assert Scalar("factions/revenue[faction=song;currency=0]@end")(run) == \
            Scalar("factions/revenue[faction=song;currency=cash]@end")(run)
        assert Scalar("places/population_by_class[place=kaifeng;class=elite]@start")(run) == \
            float(run["places"]["population_by_class"].isel(time=0, place=4, **{"class": 2}))
        for bad in ("population", "places/population@1125-10-01:max", "places/population:median",
                    "places/nothing", "places/population[place=xian]",
                    "factions/revenue[currency=florins]"):
            with pytest.raises(UserError):
                Scalar(bad)(run)
    with open_run(dean_h5) as run:  # a siege slot is selected by its place's id
        with h5py.File(dean_h5, "r") as f:
            civ = f["sieges/civilians"][:, 0]
        assert Scalar("sieges/civilians[siege=dean]:max")(run) == civ.max() > 0
        assert Scalar("event:CITY_FALLS:dean")(run) == event_day(dean_h5, "CITY_FALLS", "dean")
        assert Scalar("event:CITY_SURRENDERS:dean")(run) == event_day(dean_h5, "CITY_SURRENDERS", "dean")
