"""The HDF5 output read back with h5py and xarray (h5netcdf engine), as analysts will."""
import os

import cftime
import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SOURCE, run_jinsong

GROUPS = ["places", "factions", "routes", "ledger", "config", "provenance"]
DATA_GROUPS = ["places", "factions", "routes", "ledger"]


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_opens_alone_in_xarray(smoke_h5, group):
    with xr.open_dataset(smoke_h5, engine="h5netcdf", group=group) as ds:
        if group in DATA_GROUPS:
            assert ds.sizes["time"] == 93
            t = ds["time"].values
            assert isinstance(t[0], cftime.DatetimeJulian)
            assert (t[0].year, t[0].month, t[0].day) == (1125, 10, 1)
            assert (t[-1].year, t[-1].month, t[-1].day) == (1126, 1, 1)


def test_root_group_opens_in_xarray_with_the_events(smoke_h5):
    with xr.open_dataset(smoke_h5, engine="h5netcdf") as ds:
        assert ds.attrs["scenario"] == "smoke"
        assert ds.attrs["calendar"] == "julian"
        assert ds.sizes["event"] == 3


def test_places_hold_coordinates_and_population(smoke_h5):
    with xr.open_dataset(smoke_h5, engine="h5netcdf", group="places") as ds:
        assert list(ds.place_id.values) == ["kaifeng", "zhengzhou", "huazhou", "junzhou"]
        assert ds.place_name.values[0] == "Bianjing (Kaifeng)"
        assert ds.lat.attrs["units"] == "degrees_north"
        assert ds.population.dims == ("time", "place")
        assert ds.population_by_class.dims == ("time", "place", "class")
        assert list(ds.class_name.values) == ["farmers", "townspeople", "elite", "military"]
        np.testing.assert_array_equal(ds.population.values, ds.population_by_class.sum("class").values)
        # row 0 is the start: Kaifeng's 261,117 households x 5
        assert int(ds.population.isel(time=0, place=0)) == 261117 * 5
        # the cession of Junzhou to the Jin (1125-12-25 = day 85) shows in `owner`
        owner = ds.owner.isel(place=3).values
        assert owner[85] == 0 and owner[86] == 1


def test_every_dataset_has_units_long_name_and_filters(smoke_h5):
    with h5py.File(smoke_h5) as f:
        seen = []

        def check(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            seen.append(name)
            assert "units" in obj.attrs, name
            assert "long_name" in obj.attrs, name
            if obj.shape == ():
                return
            assert obj.chunks is not None, name
            assert obj.compression == "gzip", name
            assert obj.fletcher32, name
            if obj.dtype.kind != "S":
                assert obj.shuffle, name
            # every axis has a dimension scale (netCDF-4 readers need it)
            if not obj.attrs.get("CLASS") == b"DIMENSION_SCALE":
                assert "DIMENSION_LIST" in obj.attrs, name

        f.visititems(check)
        assert "places/population" in seen and "ledger/persons" in seen


def test_events_are_a_compound_dataset_with_an_enum_kind(smoke_h5):
    with h5py.File(smoke_h5) as f:
        ev = f["events"]
        kinds = h5py.check_enum_dtype(ev.dtype["kind"])
        assert kinds["BATTLE"] == 0 and kinds["ROUTE_CLOSED"] > 0
        rows = ev[:]
        names = {v: k for k, v in kinds.items()}
        assert [names[k] for k in rows["kind"]] == ["ROUTE_CLOSED", "PLACE_CEDED", "NOTE"]
        assert list(rows["day"]) == [80, 85, 91]
        assert rows["text"][0].decode() == "Yellow River pontoon bridge at Huazhou burnt"
        assert rows["place"][1] == 3 and rows["faction_a"][1] == 1 and rows["faction_b"][1] == 0


def test_ledger_balances_with_the_places(smoke_h5):
    with xr.open_dataset(smoke_h5, engine="h5netcdf", group="ledger") as led, \
            xr.open_dataset(smoke_h5, engine="h5netcdf", group="places") as pl:
        holders = list(led.holder_name.values)
        stock = led.persons_stock.isel(holder=holders.index("places")).values
        np.testing.assert_array_equal(stock, pl.population.sum("place").values)
        flows = dict(zip(led.persons_flow_name.values, range(led.sizes["persons_flow"])))
        births = led.persons.isel(persons_flow=flows["births"]).values
        deaths = led.persons.isel(persons_flow=flows["deaths_baseline"]).values
        assert births[0] == 0 and deaths[0] == 0
        np.testing.assert_array_equal(np.diff(stock), births[1:] - deaths[1:])


def test_config_records_every_parameter_with_its_source(smoke_h5):
    with xr.open_dataset(smoke_h5, engine="h5netcdf", group="config") as ds:
        table = dict(zip(ds.key.values, zip(ds.value.values, ds.unit.values, ds.source.values)))
        assert table["scenario.start"] == ("1125-10-01", "date", "smoke.yaml:9")
        assert table["graph.sinuosity"][2] == "default"
        assert table["places.kaifeng.lat"][1] == "degrees_north"
        assert "smoke" in str(ds.scenario_yaml.values)


def test_root_and_provenance_attributes(smoke_h5):
    with h5py.File(smoke_h5) as f:
        a = f.attrs
        for key in ["title", "Conventions", "jinsong_version", "git_revision", "compiler",
                    "hdf5_version", "gsl_version", "random123_version", "libfyaml_version",
                    "scenario", "seed", "run_index", "calendar", "start_date", "end_date"]:
            assert key in a, key
        assert int(a["seed"]) == 1127 and int(a["run_index"]) == 0
        p = f["provenance"].attrs
        for key in ["created", "host", "command_line", "threads", "wall_time_seconds", "completed"]:
            assert key in p, key
        assert p["completed"] == b"true" or p["completed"] == "true"


def test_rows_every_n_days_end_with_the_final_state(weekly_h5):
    with xr.open_dataset(weekly_h5, engine="h5netcdf", group="places", decode_times=False) as ds:
        days = list(ds.time.values)
        assert days == list(range(0, 92, 7)) + [92]
    with xr.open_dataset(weekly_h5, engine="h5netcdf", group="ledger", decode_times=False) as led:
        # flows are summed over each interval: their total is the total of the daily run
        total = led.persons.sum("time").values
        assert total.sum() > 0


def test_same_seed_gives_identical_data_and_another_seed_does_not(smoke_h5, tmp_path):
    again = tmp_path / "again.h5"
    other = tmp_path / "other.h5"
    cfg = os.path.join(SOURCE, "configs/test/smoke.yaml")
    run_jinsong("run", cfg, "-o", str(again), "--quiet", "--threads", "1")
    run_jinsong("run", cfg, "-o", str(other), "--quiet", "--seed", "7")
    with h5py.File(smoke_h5) as a, h5py.File(again) as b, h5py.File(other) as c:
        np.testing.assert_array_equal(a["places/population"][:], b["places/population"][:])
        assert not np.array_equal(a["places/population"][:], c["places/population"][:])


def test_gregorian_scenarios_use_the_proleptic_gregorian_calendar(tmp_path):
    cfg = tmp_path / "greg.yaml"
    cfg.write_text(
        "scenario: {name: greg, calendar: gregorian, start: 2012-02-28, end: 2012-03-02}\n"
        "places:\n  a: {lat: 14.0, lon: -4.0, population: {persons: 1000}}\n")
    out = tmp_path / "greg.h5"
    run_jinsong("run", str(cfg), "-o", str(out), "--quiet")
    with xr.open_dataset(out, engine="h5netcdf", group="places", use_cftime=True) as ds:
        t = ds.time.values
        assert ds.time.encoding.get("calendar", ds.time.attrs.get("calendar")) == "proleptic_gregorian"
        assert [(x.month, x.day) for x in t] == [(2, 28), (2, 29), (3, 1), (3, 2)]
