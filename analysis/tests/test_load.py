"""Loading one run: a Dataset per group with Julian dates, the events as a DataFrame, the
parameters; on files written by `jinsong run` (every module's groups, real sieges among them)."""
import os

import cftime
import dask.array
import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from conftest import TEST_SCENARIOS, run_jinsong
from jinsong_analysis import UserError, events, open_run
from jinsong_analysis import load as L

#: the data groups (with a time axis) every run of the merged engine writes
GROUPS = ["armies", "factions", "ledger", "places", "routes", "sieges", "tracks"]


def test_open_run_gives_one_dataset_per_data_group_with_julian_dates(smoke_h5):
    with open_run(smoke_h5) as run:
        assert run.groups == GROUPS
        assert {"migration", "config", "provenance"} <= set(run.group_names)
        pl = run["places"]
        assert pl["population"].dims == ("time", "place")
        assert pl["population"].shape == (93, 4)
        assert pl["population_by_class"].shape == (93, 4, 4)
        assert run["factions"]["population"].shape == (93, 2)
        assert run["routes"]["closed"].shape == (93, 3)
        assert run["armies"].sizes["army"] == 0 and run["tracks"].sizes["track"] == 0
        t = pl["time"].values
        assert isinstance(t[0], cftime.DatetimeJulian)
        assert (t[0].year, t[0].month, t[0].day) == (1125, 10, 1)
        assert (t[-1].year, t[-1].month, t[-1].day) == (1126, 1, 1)
        assert run.calendar.calendar == "julian"
        assert set(run.datasets()) == set(run.groups)
        assert run.calendar.day("1125-12-20") == 80


def test_every_group_of_the_default_scenario_has_its_documented_dims(jingkang_h5):
    with open_run(jingkang_h5) as run:
        n_t = run["places"].sizes["time"]
        assert n_t == 65  # days 0, 10, ..., 630 and the last day, 638
        ar = run["armies"]
        assert dict(ar.sizes) == {"time": n_t, "army": 14, "place": 74, "faction": 2}
        assert ar["strength"].dims == ("time", "army") and ar["owner"].dims == ("army",)
        assert list(ar["place_id"].values) == run.ids("place")
        assert list(ar["faction_id"].values) == run.ids("faction") == ["song", "jin"]
        assert run.index_of("army", "jin_east") == 0 and run.names("army")[0] == "Eastern army (Wolibu)"
        fa = run["factions"]
        assert fa["revenue"].dims == ("time", "faction", "currency")
        assert list(fa["currency_name"].values) == ["cash", "silver", "gold", "silk", "grain"]
        assert fa["treasury_silver"].dims == ("time", "faction")
        pl = run["places"]
        for v in ("price", "granary", "harvest", "famine", "devastation", "nutrition", "threat",
                  "refugees_present", "refugees_left", "refugees_settled", "deaths_famine"):
            assert pl[v].dims == ("time", "place"), v
        assert run["routes"]["grain_flow"].dims == ("time", "route")
        assert run["tracks"]["state"].dims == ("time", "track")
        mig = run.get("migration")
        assert mig["settled"].dims == ("year", "origin", "destination")
        assert list(mig["year"].values) == [1125, 1126, 1127]
        led = run["ledger"]
        assert "refugee_deaths" in list(led["persons_flow_name"].values)


def test_groups_read_with_h5py_equal_what_xarray_reads_with_h5netcdf(stormed_h5):
    # open_group reads the engine's layout itself (h5netcdf takes half a second a group): the
    # same variables, dims, values, attributes, coordinates and decoded dates, in every group of
    # a run with armies and a siege
    with open_run(stormed_h5) as run:
        names = run.group_names
    assert len(names) == 10 and "sieges" in names
    for g in [g for g in names if g not in ("provenance",)]:
        mine = L.open_group(stormed_h5, g, 16)
        ref = xr.open_dataset(stormed_h5, engine="h5netcdf", group=g, use_cftime=True)
        ref = ref.set_coords([v for v in ref.data_vars if ref[v].ndim == 1 and ref[v].dims[0] != "time"])
        assert set(mine.variables) == set(ref.variables) and set(mine.coords) == set(ref.coords), g
        for v in ref.variables:
            assert mine[v].dims == ref[v].dims, (g, v)
            assert mine[v].attrs == ref[v].attrs, (g, v)
            assert mine[v].dtype == ref[v].dtype or {mine[v].dtype.kind, ref[v].dtype.kind} <= {"O", "U"}
            np.testing.assert_array_equal(mine[v].values, ref[v].values, err_msg=f"/{g}/{v}")
        if "time" in ref.coords:
            assert type(mine.indexes["time"]) is type(ref.indexes["time"])
            assert mine["time"].encoding["calendar"] == "julian"
        ref.close()


def test_rows_every_n_days_keep_their_dates(weekly_h5):
    with open_run(weekly_h5) as run:
        t = run["places"]["time"].values
        assert [run.calendar.day(x) for x in t] == list(range(0, 92, 7)) + [92]


def test_julian_dates_differ_from_gregorian_ones(smoke_h5):
    # 1125-10-01 Julian is 1125-10-08 proleptic Gregorian: a decoder that ignored the calendar
    # attribute would put every date a week off
    with open_run(smoke_h5) as run:
        t0 = run["places"]["time"].values[0]
        greg = cftime.DatetimeProlepticGregorian(1125, 10, 8)
        assert t0.toordinal() == greg.toordinal()  # the same Julian day number
        assert t0.change_calendar("proleptic_gregorian") == greg


def test_data_stay_on_disk_until_used(smoke_h5):
    with open_run(smoke_h5) as run:
        pop = run["places"]["population"]
        assert isinstance(pop.data, dask.array.Array)
        assert int(pop.isel(time=0, place=0)) == 261117 * 5


def test_entity_names_are_coordinates_for_selection(smoke_h5):
    with open_run(smoke_h5) as run:
        pl = run["places"]
        assert "place_id" in pl.coords and "place_name" in pl.coords and "lat" in pl.coords
        kaifeng = pl["population"].where(pl["place_id"] == "kaifeng", drop=True)
        assert kaifeng.shape == (93, 1)
        assert run.index_of("place", "junzhou") == 3
        assert run.index_of("place", "Zhengzhou") == 1
        assert run.names("faction") == ["Song", "Jin"]
        with pytest.raises(UserError, match='no place "xian"'):
            run.index_of("place", "xian")


def test_events_are_a_dataframe_with_kind_names_dates_and_places(smoke_h5):
    ev = events(smoke_h5)
    assert isinstance(ev, pd.DataFrame)
    assert list(ev["kind"]) == ["ROUTE_CLOSED", "PLACE_CEDED", "NOTE"]
    assert list(ev["day"]) == [80, 85, 91]
    d = ev["date"].iloc[1]
    assert isinstance(d, cftime.DatetimeJulian) and (d.year, d.month, d.day) == (1125, 12, 25)
    assert ev["place_id"].iloc[1] == "junzhou"
    assert ev["faction_a_name"].iloc[1] == "Jin" and ev["faction_b_name"].iloc[1] == "Song"
    assert ev["text"].iloc[0] == "Yellow River pontoon bridge at Huazhou burnt"
    assert ev["value0"].iloc[0] == 2  # route index of huazhou-junzhou


def test_battle_rows_name_the_armies_and_the_losses(armies_h5):
    ev = events(armies_h5)
    battles = ev[ev["kind"] == "BATTLE"]
    assert len(battles) == 5
    with h5py.File(armies_h5, "r") as f:
        ids = [x.decode() for x in f["armies/army_id"][:]]
        raw = f["events"][:]
    for (_, b), r in zip(battles.iterrows(), raw[raw["kind"] == 0]):
        assert b["text"] == f"{ids[b['army_a']]} beat {ids[b['army_b']]}"
        assert (b["value0"], b["value1"], b["value2"], b["value3"]) == tuple(r["value"])
        assert b["value0"] >= b["value1"] and b["value2"] >= b["value3"]  # losses are not negative


def test_parameters_and_metadata(smoke_h5):
    with open_run(smoke_h5) as run:
        p = run.parameters
        assert p.loc["scenario.start", "value"] == "1125-10-01"
        assert p.loc["graph.sinuosity", "source"] == "default"
        assert run.attrs["scenario"] == "smoke" and int(run.attrs["seed"]) == 1127
        assert run.provenance["completed"] == "true"
        assert "smoke" in run.scenario_yaml


def test_the_sieges_group_has_a_slot_per_walled_place_named_by_its_place(supplied_h5):
    with open_run(supplied_h5) as run:
        sg = run["sieges"]
        n_t = run["places"].sizes["time"]
        assert sg["garrison"].dims == ("time", "siege") and sg["garrison"].shape == (n_t, 2)
        with h5py.File(supplied_h5, "r") as f:
            walled = [p.decode() for p, w in zip(f["places/place_id"][:], f["places/walls"][0]) if w > 0]
            place_ids = [x.decode() for x in f["places/place_id"][:]]
        assert run.ids("siege") == walled == ["kaifeng", "yanjing"]
        assert [place_ids[p] for p in sg["siege_place"].values] == walled
        assert run.index_of("siege", "kaifeng") == 0 and run.names("siege")[0] == "Bianjing (Kaifeng)"
        assert list(sg["place_id"].values) == place_ids and list(sg["faction_id"].values) == ["song", "jin"]
        assert sg["days"].attrs["units"] == "day" and sg["days"].dtype == np.int32  # a number, not a timedelta
        assert run.get("nonexistent") is None and run.var("places", "nonexistent") is None


def test_a_slot_besieged_twice_counts_its_episodes_and_its_events_say_when(supplied_h5):
    ev = events(supplied_h5)
    starts = ev[(ev["kind"] == "SIEGE_START") & (ev["place_id"] == "kaifeng")]
    ends = ev[(ev["kind"] == "SIEGE_END") & (ev["place_id"] == "kaifeng")]
    assert len(starts) == 2 and len(ends) == 1  # lifted, then besieged again to the end
    assert list(starts["text"]) == ["siege 1 of kaifeng", "siege 2 of kaifeng"]
    with open_run(supplied_h5) as run:
        sg = run["sieges"]
        k = run.index_of("siege", "kaifeng")
        active = sg["active"].values[:, k]
        episode = sg["episode"].values[:, k]
        days = sg["days"].values[:, k]
    (s1, s2), e1 = starts["day"].tolist(), int(ends["day"].iloc[0])
    # a row a day: row t is the state after t days, an event's day the day it happens in
    # (0 = the start date): a siege from day s to day e is under way in rows s < t <= e
    for t in range(len(active)):
        assert active[t] == (s1 < t <= e1 or t > s2), t
        assert episode[t] == (0 if t <= s1 else 1 if t <= s2 else 2), t
        assert days[t] == ((t - s1) if s1 < t <= e1 else (t - s2) if t > s2 else 0), t
    assert ends["value0"].iloc[0] == 5 and ends["value1"].iloc[0] == e1 - s1 + 1  # lifted; days


@pytest.mark.parametrize("path", ["missing.h5", "dir", "text.h5"])
def test_what_is_not_a_run_is_a_clear_user_error(tmp_path, path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "text.h5").write_text("not hdf5")
    with pytest.raises(UserError) as exc:
        open_run(str(tmp_path / path))
    assert str(tmp_path / path) in str(exc.value)


@pytest.mark.parametrize("scenario", TEST_SCENARIOS, ids=os.path.basename)
def test_every_test_scenario_loads_with_consistent_shapes(scenario, tmp_path):
    out = tmp_path / "run.h5"
    run_jinsong("run", scenario, "-o", out, "--quiet", "--set", "scenario.output.every_days=3")
    with open_run(str(out)) as run:
        assert run.groups == GROUPS
        n_days = int(run.attrs["n_days"])
        rows = len(range(0, n_days, 3)) + 1  # days 0, 3, 6, ... and the final day
        for g in run.groups:
            ds = run[g]
            assert ds.sizes["time"] == rows, g
            for v in ds.variables:
                assert "units" in ds[v].attrs or v == "time", f"/{g}/{v}"
        n_places = run["places"].sizes["place"]
        assert np.all(run["places"]["population"].values >= 0)
        assert len(run.events) == 0 or run.events["place"].max() < n_places
        ar = run["armies"]
        assert ar.sizes["place"] == n_places and ar.sizes["faction"] == run["factions"].sizes["faction"]
        mig = run.get("migration")
        assert mig["settled"].shape[1:] == (n_places, n_places)
        # the refugees who settled, by place, are the migration matrix's columns
        settled = run["places"]["refugees_settled"].isel(time=-1).values
        np.testing.assert_array_equal(mig["settled"].sum(("year", "origin")).values, settled)
