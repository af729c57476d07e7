"""The /sieges group and the siege rows of /events, read back as analysts will (xarray, h5py)."""
import os

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SOURCE, run_jinsong

OUTCOMES = ["ongoing", "stormed", "surrendered", "ransomed", "relieved", "lifted", "ceded"]
VARS = ["active", "besieger", "defender", "episode", "days", "garrison", "besiegers", "civilians",
        "food", "food_state", "reserve", "ration", "fed", "wall", "progress", "breach",
        "blockade", "inflow", "resolve", "sick_defenders", "sick_civilians", "sick_besiegers",
        "deaths", "assaults", "outcome", "wealth_silver", "wealth_gold", "wealth_silk",
        "captives", "captives_died"]


def run(tmp_path_factory, name):
    out = tmp_path_factory.mktemp(name) / f"{name}.h5"
    run_jinsong("run", os.path.join(SOURCE, f"configs/test/{name}.yaml"), "-o", str(out),
                "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def sacked_h5(tmp_path_factory):
    """configs/test/kaifeng_poor.yaml: a poor city stormed and sacked, captives marched north."""
    return run(tmp_path_factory, "kaifeng_poor")


@pytest.fixture(scope="session")
def ransom_h5(tmp_path_factory):
    """configs/test/kaifeng_ransom.yaml: a rich capital pays a ransom."""
    return run(tmp_path_factory, "kaifeng_ransom")


def rows(path, kind):
    """The /events rows of a kind."""
    with h5py.File(path) as f:
        ev = f["events"][:]
        kinds = h5py.check_enum_dtype(f["events"].dtype["kind"])
    return ev[ev["kind"] == kinds[kind]]


def test_sieges_group_opens_alone_in_xarray(sacked_h5):
    with xr.open_dataset(sacked_h5, engine="h5netcdf", group="sieges") as ds:
        # one slot per walled place: kaifeng (the poor city) and yanjing
        assert list(ds.siege_place_id.values) == ["kaifeng", "yanjing"]
        assert ds.place_id.values[ds.siege_place.values[0]] == "kaifeng"
        assert list(ds.faction_id.values) == ["song", "jin"]
        for var in VARS:
            assert ds[var].dims == ("time", "siege"), var
            assert "units" in ds[var].attrs and "long_name" in ds[var].attrs, var
        assert ds.food.attrs["units"] == "sheng" and ds.reserve.attrs["units"] == "day"
        assert ds.circuit_km.dims == ("siege",) and ds.circuit_km.attrs["units"] == "km"


def test_active_rows_match_the_siege_start_and_end_events(sacked_h5):
    start, end = rows(sacked_h5, "SIEGE_START"), rows(sacked_h5, "SIEGE_END")
    assert len(start) == 1 and len(end) == 1
    with xr.open_dataset(sacked_h5, engine="h5netcdf", group="sieges") as ds:
        act = ds.active.values[:, 0]
        # row t is the state after day t - 1: active from row start+1 to row end
        assert act[start[0]["day"]] == 0 and act[start[0]["day"] + 1] == 1
        assert act[end[0]["day"]] == 1 and act[end[0]["day"] + 1] == 0
        assert OUTCOMES[int(ds.outcome.values[-1, 0])] == "stormed"
        assert int(end[0]["value"][0]) == OUTCOMES.index("stormed")
        assert ds.besieger.values[-1, 0] == 1 and ds.defender.values[-1, 0] == 0
        on = act == 1
        assert (ds.garrison.values[on, 0] > 0).all() and (ds.civilians.values[on, 0] > 0).all()
        assert (ds.civilians.values[~on, 0] == 0).all()


def test_sack_rows_and_captives_on_the_road(sacked_h5):
    sack, falls = rows(sacked_h5, "SACK"), rows(sacked_h5, "CITY_FALLS")
    assert len(sack) == 1 and len(falls) == 1 and sack[0]["day"] == falls[0]["day"]
    killed, captives, silver, grain = sack[0]["value"]
    assert killed > 0 and captives > 0 and silver > 0 and grain > 0
    with xr.open_dataset(sacked_h5, engine="h5netcdf", group="sieges") as ds, \
            xr.open_dataset(sacked_h5, engine="h5netcdf", group="places") as pl:
        day = int(sack[0]["day"])
        assert int(ds.captives.values[day + 1, 0]) > 0
        assert int(ds.captives.values[-1, 0]) == 0 and int(ds.captives_died.values[-1, 0]) > 0
        assert pl.owner.values[day + 1, 0] == 1 and pl.owner.values[day, 0] == 0
        assert float(pl.threat.values[day + 1, 0]) == 1.0


def test_siege_stocks_are_the_ledger_holdings(sacked_h5, ransom_h5):
    for path in (sacked_h5, ransom_h5):
        with xr.open_dataset(path, engine="h5netcdf", group="sieges") as ds, \
                xr.open_dataset(path, engine="h5netcdf", group="ledger") as lg:
            holders = list(lg.holder_name.values)
            np.testing.assert_array_equal(ds.food.sum("siege").values,
                                          lg.grain_stock.values[:, holders.index("sieges")])
            np.testing.assert_array_equal(ds.captives.sum("siege").values,
                                          lg.persons_stock.values[:, holders.index("convoys")])


def test_ransom_row_and_ledger_flows(ransom_h5):
    paid = rows(ransom_h5, "RANSOM_PAID")
    assert len(paid) == 1
    silver, silk, cash, gold = paid[0]["value"]
    assert silver > 0 and gold > 0 and cash == 0
    with h5py.File(ransom_h5) as f:
        pid = [p.decode() for p in f["places/place_id"][:]]
        fid = [p.decode() for p in f["factions/faction_id"][:]]
    assert pid[paid[0]["place"]] == "kaifeng"
    assert fid[paid[0]["faction_a"]] == "song" and fid[paid[0]["faction_b"]] == "jin"
    end = rows(ransom_h5, "SIEGE_END")
    assert end[0]["day"] == paid[0]["day"] and int(end[0]["value"][0]) == OUTCOMES.index("ransomed")
    with xr.open_dataset(ransom_h5, engine="h5netcdf", group="ledger") as lg:
        flows = list(lg.silver_flow_name.values)
        levied = int(lg.silver.values[:, flows.index("ransom_levy_silver")].sum())
        sent = int(lg.silver.values[:, flows.index("silver_dispatched")].sum())
        assert 0 < levied <= silver and sent == silver


def test_default_scenario_shows_a_siege(tmp_path_factory):
    out = tmp_path_factory.mktemp("jk") / "jingkang.h5"
    proc = run_jinsong("run", os.path.join(SOURCE, "configs/jingkang.yaml"), "-o", str(out))
    assert "  sieges " in proc.stdout
    start = rows(str(out), "SIEGE_START")
    assert len(start) >= 1
    with h5py.File(str(out)) as f:
        pid = [p.decode() for p in f["places/place_id"][:]]
    assert {"taiyuan", "kaifeng"} & {pid[r["place"]] for r in start}
