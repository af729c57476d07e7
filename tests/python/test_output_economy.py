"""The economy's part of the HDF5 output, read back with xarray and h5py as analysts will."""
import os

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SOURCE, run_jinsong

CURRENCIES = ["cash", "silver", "gold", "silk", "grain"]


@pytest.fixture(scope="session")
def economy_h5(tmp_path_factory):
    """configs/test/economy.yaml (a year from October 1141), a row every 7 days."""
    out = tmp_path_factory.mktemp("economy") / "economy.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/economy.yaml"), "-o", str(out),
                "--quiet", "--set", "scenario.output.every_days=7")
    return str(out)


def test_factions_have_a_currency_dimension_and_treasuries(economy_h5):
    with xr.open_dataset(economy_h5, engine="h5netcdf", group="factions") as ds:
        assert list(ds.currency_name.values) == CURRENCIES
        assert list(ds.currency_units.values) == ["strings", "taels", "taels", "bolts", "sheng"]
        assert ds.revenue.dims == ("time", "faction", "currency")
        for c in CURRENCIES:
            assert ds[f"treasury_{c}"].dims == ("time", "faction")
        assert ds.treasury_silver.attrs["units"] == "taels"
        # the Song paid 250,000 taels of silver under the Shaoxing treaty; the Jin received 98 %
        paid = ds.tribute_paid.sel(currency=1).isel(time=-1).values
        got = ds.tribute_received.sel(currency=1).isel(time=-1).values
        assert list(paid) == [250000, 0] and list(got) == [0, 245000]


def test_treasuries_move_by_revenue_less_expenditure(economy_h5):
    with xr.open_dataset(economy_h5, engine="h5netcdf", group="factions") as ds:
        for k, c in enumerate(CURRENCIES[:4]):
            start = ds[f"treasury_{c}"].isel(time=0)
            net = ds.revenue.isel(currency=k) - ds.expenditure.isel(currency=k)
            np.testing.assert_array_equal(ds[f"treasury_{c}"].values,
                                          (start + net).transpose("time", "faction").values)


def test_grain_stocks_balance_with_the_ledger(economy_h5):
    with xr.open_dataset(economy_h5, engine="h5netcdf", group="ledger") as led, \
         xr.open_dataset(economy_h5, engine="h5netcdf", group="places") as pl, \
         xr.open_dataset(economy_h5, engine="h5netcdf", group="factions") as fa:
        names = list(led.holder_name.values)
        stock = led.grain_stock
        np.testing.assert_array_equal(stock.isel(holder=names.index("places")).values,
                                      pl.grain.sum("place").values)
        np.testing.assert_array_equal(stock.isel(holder=names.index("factions")).values,
                                      pl.granary.sum("place").values)
        # every faction's grain is the granaries of the places it holds
        owner = pl.owner.values
        for f in range(fa.sizes["faction"]):
            np.testing.assert_array_equal(fa.treasury_grain.isel(faction=f).values,
                                          (pl.granary.values * (owner == f)).sum(axis=1))
        # flows of each interval move the stocks exactly
        flows = led.grain.values
        frm = list(led.grain_flow_from.values)
        to = list(led.grain_flow_to.values)
        for h, name in enumerate(names):
            if name == "outside":
                continue
            change = np.diff(stock.isel(holder=h).values)
            moved = sum(flows[1:, k] * ((to[k] == name) - (frm[k] == name)) for k in range(len(frm)))
            np.testing.assert_array_equal(change, moved)


def test_prices_granaries_harvests_and_grain_flows_are_written(economy_h5):
    with xr.open_dataset(economy_h5, engine="h5netcdf", group="places") as pl:
        assert pl.price.attrs["units"] == "strings/shi"
        assert float(pl.price.isel(time=0).min()) == pytest.approx(1.0)
        assert float(pl.price.max()) > 1.0 > float(pl.price.min())
        assert int(pl.harvest.isel(time=-1).max()) > 0
        assert pl.famine.dtype == np.int8
    with xr.open_dataset(economy_h5, engine="h5netcdf", group="routes") as rt:
        flow = rt.grain_flow.isel(time=-1)
        ids = list(rt.route_id.values)
        assert int(flow[ids.index("yangzhou-chuzhou")]) > 0
        assert (rt.grain_flow.diff("time") >= 0).all()   # cumulative


def test_economic_events_are_in_the_event_table(economy_h5):
    with h5py.File(economy_h5) as f:
        ev = f["events"][:]
        kinds = {v: k for k, v in h5py.check_enum_dtype(f["events"].dtype["kind"]).items()}
    names = [kinds[k] for k in ev["kind"]]
    assert names == ["TREATY", "TRIBUTE_PAID", "MARKET_OPENED"]
    tribute = ev[names.index("TRIBUTE_PAID")]
    assert list(tribute["value"]) == [250000.0, 250000.0, 0.0, 0.0]
    assert tribute["text"].decode() == "shaoxing"
