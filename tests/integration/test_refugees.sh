#!/usr/bin/env bash
# Refugees end to end: configs/test/refugees.yaml runs and its output holds the refugee and
# death variables, the tracks and the origin -> destination matrix, consistent with the ledger
# and readable by xarray; and a generated scenario with over a million agents (ferries with
# queues, refuges with limited room) gives bitwise identical output with 1 and 2 threads.
source "$(dirname "$0")/lib.sh"
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"

# -- the test scenario: a front, a ferry, two refuges, the court
expect_status 0 "$JINSONG" run "$JS_SOURCE_DIR/configs/test/refugees.yaml" -o "$TMP/r.h5"
expect_in "$TMP/out" "refugees"
"$PYTHON" - "$TMP/r.h5" <<'PY'
import sys
import h5py
import numpy as np
import xarray as xr

path = sys.argv[1]
with h5py.File(path) as f:
    p, r, led = f["places"], f["routes"], f["ledger"]
    for name in ("refugees_present", "refugees_left", "refugees_settled", "deaths_famine",
                 "deaths_epidemic", "deaths_violence", "in_danger"):
        assert "units" in p[name].attrs and "long_name" in p[name].attrs, name
    flows = [x.decode() for x in led["persons_flow_name"][:]]
    total = led["persons"][:].sum(axis=0)
    flow = dict(zip(flows, total))
    holders = [x.decode() for x in led["holder_name"][:]]
    on_road = led["persons_stock"][:, holders.index("refugees")]
    # every row: who fled = on the road or staying + settled + dead (cumulative flows)
    cum = {k: np.cumsum(led["persons"][:, flows.index(k)]) for k in
           ("refugees_flee", "refugees_settle", "refugee_deaths")}
    assert (cum["refugees_flee"] == on_road + cum["refugees_settle"] + cum["refugee_deaths"]).all()
    assert flow["refugees_flee"] > 10000, flow
    assert p["refugees_left"][-1].sum() == flow["refugees_flee"]
    assert p["refugees_settled"][-1].sum() == flow["refugees_settle"]
    present = p["refugees_present"][-1].sum() - p["refugees_settled"][-1].sum()
    assert present + r["refugees_travelling"][-1].sum() == on_road[-1]
    assert f["migration/settled"][:].sum() == flow["refugees_settle"]
    ids = [x.decode() for x in p["place_id"][:]]
    assert p["refugees_left"][-1][ids.index("front")] > 0
    assert p["refugees_present"][-1][ids.index("refuge_a")] > 0
    assert f["tracks/place"].shape == (92, 40)
    assert (f["tracks/state"][-1] >= 0).sum() > 0
    deaths = sum(p[f"deaths_{c}"][-1].sum() for c in ("baseline", "famine", "epidemic", "violence"))
    assert deaths == sum(flow[f"deaths_{c}"] for c in ("baseline", "famine", "epidemic", "violence"))
# every group opens on its own in xarray (netCDF/CF layout)
for g in ("places", "routes", "tracks", "migration"):
    ds = xr.open_dataset(path, engine="h5netcdf", group=g)
    ds.load()
mig = xr.open_dataset(path, engine="h5netcdf", group="migration")
assert mig.settled.dims == ("year", "origin", "destination")
assert int(mig.settled.sum()) > 0
print("refugees.yaml output: ok")
PY
[ $? -eq 0 ] || fail "the output checks failed"

# -- determinism on a scenario with over a million agents
"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_refugee_scenario.py" 20 12000 30 "$TMP/flight.yaml"
for t in 1 2; do
  OMP_NUM_THREADS=$t "$JINSONG" run "$TMP/flight.yaml" -o "$TMP/t$t.h5" --quiet \
    || fail "run with $t threads failed"
done
h5diff --exclude-path /provenance "$TMP/t1.h5" "$TMP/t2.h5" || fail "1 and 2 threads differ"
"$PYTHON" - "$TMP/t1.h5" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1]) as f:
    led = f["ledger"]
    holders = [x.decode() for x in led["holder_name"][:]]
    agents = led["persons_stock"][:, holders.index("refugees")].max()
    assert agents > 1000000, agents        # persons_per_agent 1: over a million agents at once
    assert f["routes/refugees_queued"][:].max() > 1000   # queues at the ferries
print("million-agent scenario: identical for 1 and 2 threads")
PY
[ $? -eq 0 ] || fail "the million-agent checks failed"
echo "test_refugees: ok"
