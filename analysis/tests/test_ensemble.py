"""Ensembles: members stacked along `member` with the varied parameters as coordinates, read
lazily; from the ensemble.h5 that `jinsong sweep` writes, and from a folder of runs."""
import os
import shutil
import subprocess
import sys
import tracemalloc

import dask
import dask.array
import h5py
import numpy as np
import pytest

from conftest import (BIRTH, DEATH, SALTELLI_N, SALTELLI_PENDING, SINUOSITY, SOURCE, final_population,
                      run_jinsong)
from jinsong_analysis import UserError, open_ensemble
from jinsong_analysis import load as L

N_SALTELLI = (3 + 2) * SALTELLI_N


def plan_values(sweep_dir):
    """The parameter values of each member in the sweep's own record (sweep_plan.tsv: rows
    `member k point replicate seed run_index matrix row values...`)."""
    with open(os.path.join(sweep_dir, "sweep_plan.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.startswith("member\t")]
    return np.array([[float(v) for v in r[8:]] for r in rows])


def test_a_real_sweep_stacks_along_member_with_parameters_as_coordinates(example_sweep):
    with open_ensemble(example_sweep) as ens:
        assert len(ens) == 12 and ens.ok == list(range(12))
        assert ens.params == [BIRTH, DEATH]
        assert ens.design["kind"] == "grid" and ens.design["n_points"] == 6 and ens.design["replicates"] == 2
        m = ens.members
        # member k is point k mod 6, replicate k div 6 (docs/OUTPUT.md, "Ensembles")
        assert list(m["point"]) == [k % 6 for k in range(12)]
        assert list(m["replicate"]) == [k // 6 for k in range(12)]
        assert list(ens.design["point"]) == list(m["point"])
        assert sorted(set(m[BIRTH])) == [0.03, 0.035, 0.04] and sorted(set(m[DEATH])) == [0.025, 0.035]
        assert set(m["seed"]) == {2024} and list(m["run_index"]) == list(range(12))
        pl = ens["places"]
        assert pl["population"].dims == ("member", "time", "place")
        assert pl["population"].shape == (12, 15, 4)  # weekly rows: days 0, 7, ..., 91, 92
        assert list(pl["member"].values) == ens.ok
        np.testing.assert_allclose(pl[BIRTH].values, m.loc[ens.ok, BIRTH].values)
        # the stacked values are each member's own, and the sweep's summary agrees
        k = 7
        total = final_population(m.at[k, "file"])
        assert float(pl["population"].sel(member=k).isel(time=-1).sum()) == total
        assert m.at[k, "summary__final_population"] == total
        t = pl["time"].values
        assert (t[-1].year, t[-1].month, t[-1].day) == (1126, 1, 1)
        fa = ens["factions"]
        assert fa["revenue"].dims == ("member", "time", "faction", "currency")
        assert ens["armies"]["strength"].shape == (12, 15, 0)


def test_the_saltelli_labels_of_a_real_sweep_are_read(saltelli_sweep):
    with open_ensemble(os.path.join(saltelli_sweep, "ensemble.h5")) as ens:
        d = ens.design
        assert d["kind"] == "saltelli" and d["base_samples"] == SALTELLI_N and d["n_points"] == N_SALTELLI
        assert d["param_keys"] == [BIRTH, DEATH, SINUOSITY] == ens.params
        # points ordered A (rows 0..N-1), B, AB_0, AB_1, AB_2
        m, r = d["saltelli_matrix"], d["saltelli_row"]
        assert list(m) == [k // SALTELLI_N for k in range(N_SALTELLI)]
        assert list(r) == [k % SALTELLI_N for k in range(N_SALTELLI)]
        # AB_i is A with column i taken from B, in the members' own values
        x = ens.members[[BIRTH, DEATH, SINUOSITY]].to_numpy()
        for j in range(SALTELLI_N):
            a, b = x[(m == 0) & (r == j)][0], x[(m == 1) & (r == j)][0]
            for i in range(3):
                ab = x[(m == 2 + i) & (r == j)][0]
                assert ab[i] == b[i] and all(ab[c] == a[c] for c in range(3) if c != i)
        # and they are what the members ran with (sweep_plan.tsv, /config of the file)
        np.testing.assert_array_equal(plan_values(saltelli_sweep), x)
        with L.Run(ens.members.at[9, "file"]) as run:
            assert float(run.parameters.loc[SINUOSITY, "value"]) == x[9, 2]
            assert run.parameters.loc[SINUOSITY, "source"] == "--set"


def test_a_member_without_its_file_is_pending_and_left_out(saltelli_sweep):
    with open_ensemble(saltelli_sweep) as ens:
        assert ens.members.at[SALTELLI_PENDING, "status"] == "pending"
        assert SALTELLI_PENDING not in ens.ok and len(ens.ok) == N_SALTELLI - 1
        assert np.isnan(ens.members.at[SALTELLI_PENDING, "summary__final_population"])
        assert ens["places"]["population"].sizes["member"] == N_SALTELLI - 1
    with h5py.File(os.path.join(saltelli_sweep, "ensemble.h5"), "r") as f:
        assert f["member_0/places/population"].shape == (15, 4)
        assert f"member_{SALTELLI_PENDING}" not in f


def test_a_folder_of_runs_without_an_index_finds_its_varied_parameters(plain_dir, example_sweep):
    with open_ensemble(plain_dir) as ens:
        assert len(ens) == 12 and ens.ok == list(range(12))
        assert ens.params == [BIRTH, DEATH]  # seed and run index differ too, but are keys, not parameters
        with open_ensemble(example_sweep) as sweep:
            np.testing.assert_array_equal(ens.members[BIRTH].to_numpy(), sweep.members[BIRTH].to_numpy())
        assert list(ens.members["run_index"]) == list(range(12))
        pop = ens["places"]["population"]
        assert pop.dims == ("member", "time", "place") and pop.sizes["member"] == 12
        assert BIRTH in pop.coords
        ev = ens.events()
        assert set(ev["member"]) == set(range(12)) and len(ev) == 36


def test_member_data_stay_on_disk_until_reduced(example_sweep):
    with open_ensemble(example_sweep) as ens:
        assert isinstance(ens["places"]["population"].data, dask.array.Array)


def test_a_large_ensemble_is_reduced_in_bounded_memory(tmp_path, monkeypatch):
    """8 members of 4,000 places × 121 daily rows: 31 MB of population (and 124 MB by class).
    With dask chunks of about 1 MiB, summing every member's population holds a chunk or two in
    memory at a time: less than half a member, never the ensemble (whole members as chunks
    would fail this test)."""
    monkeypatch.setattr(L, "CHUNK_BYTES", 2**20)
    big = tmp_path / "big.yaml"
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "data", "make_big_scenario.py"),
                    "4000", "120", str(big)], check=True)
    run_jinsong("run", big, "-o", tmp_path / "member_0.h5", "--quiet",
                "--set", "scenario.output.every_days=1")
    ens_dir = tmp_path / "ens"
    ens_dir.mkdir()
    for k in range(8):
        shutil.copyfile(tmp_path / "member_0.h5", ens_dir / f"member_{k}.h5")
    with open_ensemble(str(ens_dir)) as ens:
        pop = ens["places"]["population"]
        total_bytes = pop.size * pop.dtype.itemsize
        assert pop.shape == (8, 121, 4000) and total_bytes > 30e6
        assert len(pop.data.chunks[1]) > 1  # split along time
        tracemalloc.start()
        with dask.config.set(scheduler="synchronous"):
            per_member = pop.sum(("time", "place")).compute()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert per_member.shape == (8,) and np.all(per_member.values == per_member.values[0])
        assert peak < total_bytes / 16, f"peak {peak / 1e6:.1f} MB for {total_bytes / 1e6:.1f} MB of data"


def test_an_empty_or_missing_ensemble_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no ensemble.h5 and no run files"):
        open_ensemble(str(tmp_path))
    with pytest.raises(UserError, match="no such file"):
        open_ensemble(str(tmp_path / "nothing"))
