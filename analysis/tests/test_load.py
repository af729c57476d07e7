"""Loading one run: a Dataset per group with Julian dates, the events as a DataFrame, the
parameters; on files written by `jinsong run`, and on files with the groups still to come."""
import os

import cftime
import dask.array
import numpy as np
import pandas as pd
import pytest

from conftest import TEST_SCENARIOS, run_jinsong
from jinsong_analysis import UserError, events, open_run


def test_open_run_gives_one_dataset_per_data_group_with_julian_dates(smoke_h5):
    with open_run(smoke_h5) as run:
        assert run.groups == ["factions", "ledger", "places", "routes"]
        pl = run["places"]
        assert pl["population"].dims == ("time", "place")
        assert pl["population"].shape == (93, 4)
        assert pl["population_by_class"].shape == (93, 4, 4)
        assert run["factions"]["population"].shape == (93, 2)
        assert run["routes"]["closed"].shape == (93, 3)
        t = pl["time"].values
        assert isinstance(t[0], cftime.DatetimeJulian)
        assert (t[0].year, t[0].month, t[0].day) == (1125, 10, 1)
        assert (t[-1].year, t[-1].month, t[-1].day) == (1126, 1, 1)
        assert run.calendar.calendar == "julian"
        assert set(run.datasets()) == set(run.groups)
        assert run.calendar.day("1125-12-20") == 80


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


def test_parameters_and_metadata(smoke_h5):
    with open_run(smoke_h5) as run:
        p = run.parameters
        assert p.loc["scenario.start", "value"] == "1125-10-01"
        assert p.loc["graph.sinuosity", "source"] == "default"
        assert run.attrs["scenario"] == "smoke" and int(run.attrs["seed"]) == 1127
        assert run.provenance["completed"] == "true"
        assert "smoke" in run.scenario_yaml


def test_groups_of_modules_still_to_come_are_discovered(full_h5):
    with open_run(full_h5) as run:
        assert {"armies", "sieges"} <= set(run.groups)
        assert "migration" in run.group_names
        ar = run["armies"]
        assert ar["strength"].dims == ("time", "army")
        assert list(ar["army_id"].values) == ["jin_east", "song_guard", "slot_2"]
        assert run.names("army")[0] == "Jin eastern army"
        assert run["sieges"]["garrison"].shape == (93, 2)
        assert run.get("migration")["flows"].dims == ("year", "origin", "destination")
        kinds = list(run.events["kind"])
        assert kinds.count("BATTLE") == 1 and "CITY_FALLS" in kinds
        assert run.get("nonexistent") is None and run.var("places", "nonexistent") is None


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
    run_jinsong("run", scenario, "-o", out, "--quiet")
    with open_run(str(out)) as run:
        n_days = int(run.attrs["n_days"])
        every = int(run.attrs["output_every_days"])
        rows = len(range(0, n_days, every)) + 1  # days 0, N, 2N, ... and the final day
        for g in run.groups:
            ds = run[g]
            assert ds.sizes["time"] == rows, g
            for v in ds.data_vars:
                assert "units" in ds[v].attrs, f"/{g}/{v}"
        n_places = run["places"].sizes["place"]
        assert np.all(run["places"]["population"].values >= 0)
        assert len(run.events) == 0 or run.events["place"].max() < n_places

