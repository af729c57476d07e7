"""The /armies group and the army rows of /events, read back as analysts will (xarray, h5py)."""
import os

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SOURCE, run_jinsong

ARMS = ["heavy_cavalry", "horse_archers", "crossbowmen", "spearmen", "levies", "engineers",
        "porters"]


@pytest.fixture(scope="session")
def armies_h5(tmp_path_factory):
    """configs/test/armies.yaml: a Jin march on Kaifeng, daily rows."""
    out = tmp_path_factory.mktemp("armies") / "armies.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/armies.yaml"), "-o", str(out), "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def jingkang_h5(tmp_path_factory):
    """The default scenario."""
    out = tmp_path_factory.mktemp("jingkang") / "jingkang.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/jingkang.yaml"), "-o", str(out), "--quiet")
    return str(out)


def battles(path):
    """The BATTLE rows of /events."""
    with h5py.File(path) as f:
        ev = f["events"][:]
        kinds = h5py.check_enum_dtype(f["events"].dtype["kind"])
    return ev[ev["kind"] == kinds["BATTLE"]]


def test_armies_group_opens_alone_in_xarray(armies_h5):
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="armies") as ds:
        assert ds.sizes["army"] == 5 and ds.sizes["time"] == 91
        assert list(ds.army_id.values) == ["jin_east", "song_river", "song_capital", "song_field",
                                           "militia"]
        assert ds.army_name.values[0] == "Eastern army"
        assert list(ds.faction_id.values) == ["song", "jin"]
        assert ds.faction_id.values[ds.owner.values[0]] == "jin"
        for var in ["strength", "persons", "wounded", "horses", "food", "fodder", "food_days",
                    "morale", "fatigue", "state", "active", "location", "route", "km_on_route",
                    "heading", "order", "order_place", "days_in_field", "unpaid_days"] + \
                [f"strength_{a}" for a in ARMS]:
            assert ds[var].dims == ("time", "army"), var
            assert "units" in ds[var].attrs and "long_name" in ds[var].attrs, var
        assert ds.food.attrs["units"] == "sheng"
        assert ds.horses.attrs["units"] == "head"


def test_strength_is_the_sum_of_the_fighting_arms(armies_h5):
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="armies") as ds:
        fighting = sum(ds[f"strength_{a}"] for a in ARMS[:-1])
        np.testing.assert_array_equal(ds.strength.values, fighting.values)
        assert int(ds.strength.isel(time=0, army=0)) == 25000
        assert int(ds.strength_porters.isel(time=0, army=0)) == 3000
        # persons = fit of every arm (porters included) + wounded
        allfit = sum(ds[f"strength_{a}"] for a in ARMS)
        np.testing.assert_array_equal(ds.persons.values, (allfit + ds.wounded).values)


def test_an_army_is_at_a_place_or_on_a_route(armies_h5):
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="armies") as ds:
        loc, route, act = ds.location.values, ds.route.values, ds.active.values
        on = act == 1
        assert np.all((loc[on] >= 0) != (route[on] >= 0))
        assert np.all(ds.km_on_route.values[loc >= 0] == 0)
        # the militia is raised on 1126-01-20 (day 50)
        assert act[50, 4] == 0 and act[51, 4] == 1


def test_army_persons_are_the_ledger_holding(armies_h5):
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="armies") as ds, \
            xr.open_dataset(armies_h5, engine="h5netcdf", group="ledger") as lg:
        holders = list(lg.holder_name.values)
        np.testing.assert_array_equal(ds.persons.sum("army").values,
                                      lg.persons_stock.values[:, holders.index("armies")])
        np.testing.assert_array_equal((ds.food + ds.fodder).sum("army").values,
                                      lg.grain_stock.values[:, holders.index("armies")])
        flows = list(lg.persons_flow_name.values)
        assert int(lg.persons.values[:, flows.index("battle_killed")].sum()) > 0


def test_battle_rows_name_winner_and_loser(armies_h5):
    rows = battles(armies_h5)
    assert len(rows) >= 1
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="armies") as ds:
        owner = ds.owner.values
        for r in rows:
            assert r["faction_a"] == owner[r["army_a"]] and r["faction_b"] == owner[r["army_b"]]
            assert r["faction_a"] != r["faction_b"]
            wb, wa, lb, la = r["value"]
            assert 0 <= wa <= wb and 0 <= la <= lb
            assert r["text"].decode().startswith(
                (ds.army_id.values[r["army_a"]] + " beat", "drawn"))


def test_threat_is_highest_where_battles_are_fought(armies_h5):
    rows = battles(armies_h5)
    with xr.open_dataset(armies_h5, engine="h5netcdf", group="places") as ds:
        for r in rows:
            assert float(ds.threat.isel(time=r["day"] + 1, place=r["place"])) == 1.0
        assert float(ds.threat.max()) <= 1.0 and float(ds.threat.min()) >= 0.0


def test_default_scenario_shows_armies_and_battles(jingkang_h5):
    with xr.open_dataset(jingkang_h5, engine="h5netcdf", group="armies") as ds:
        ids = list(ds.army_id.values)
        assert "jin_east" in ids and "jin_west" in ids and "song_kaifeng" in ids
        east = ids.index("jin_east")
        loc = ds.location.values[:, east]
        # the eastern army leaves Pingzhou after the invasion order (1125-11-15, day 45)
        place_ids = list(ds.place_id.values)
        assert loc[45] == place_ids.index("pingzhou")
        assert (loc[46:] != place_ids.index("pingzhou")).any()
        # and reaches Kaifeng in the first campaign
        assert (loc[:200] == place_ids.index("kaifeng")).any()
    assert len(battles(jingkang_h5)) >= 1
