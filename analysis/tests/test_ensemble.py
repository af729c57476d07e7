"""Ensembles: members stacked along `member` with the varied parameters as coordinates, read
lazily; from an ensemble.h5 in the documented layout or from a folder of runs."""
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

from conftest import BIRTH, DEATH, SALTELLI_N, SOURCE, final_population, run_jinsong
from jinsong_analysis import UserError, open_ensemble
from jinsong_analysis import load as L


def test_members_stack_along_member_with_parameters_as_coordinates(saltelli_dir):
    with open_ensemble(saltelli_dir) as ens:
        assert len(ens) == 4 * SALTELLI_N
        assert 5 not in ens.ok and len(ens.ok) == 4 * SALTELLI_N - 1
        assert ens.members.at[5, "status"] == "failed"
        assert ens.params == [BIRTH, DEATH]
        pl = ens["places"]
        assert pl["population"].dims == ("member", "time", "place")
        assert pl["population"].shape == (4 * SALTELLI_N - 1, 93, 4)
        assert list(pl["member"].values) == ens.ok
        assert pl[BIRTH].dims == ("member",)
        np.testing.assert_allclose(pl[BIRTH].values, ens.members.loc[ens.ok, BIRTH].values)
        assert list(pl["run_index"].values) == ens.ok
        # the stacked values are each member's own
        k = ens.ok[7]
        assert float(pl["population"].sel(member=k).isel(time=-1).sum()) == \
            final_population(ens.members.at[k, "file"])
        t = pl["time"].values
        assert (t[-1].year, t[-1].month, t[-1].day) == (1126, 1, 1)


def test_the_design_and_its_saltelli_labels_are_read(saltelli_dir):
    with open_ensemble(os.path.join(saltelli_dir, "ensemble.h5")) as ens:
        d = ens.design
        assert d["kind"] == "saltelli" and d["base_samples"] == SALTELLI_N
        assert d["param_keys"] == [BIRTH, DEATH]
        assert sorted(set(d["saltelli_matrix"])) == [0, 1, 2, 3]
        assert np.bincount(d["saltelli_row"]).tolist() == [4] * SALTELLI_N
        # AB_0 is A with column 0 from B
        m, r = d["saltelli_matrix"], d["saltelli_row"]
        x = ens.members[[BIRTH, DEATH]].to_numpy()
        j = 3
        a, b, ab0 = (x[(m == lab) & (r == j)][0] for lab in (0, 1, 2))
        assert ab0[0] == b[0] and ab0[1] == a[1]
        assert ens.summaries == ["final_population"]


def test_the_external_links_reach_the_members(saltelli_dir):
    with h5py.File(os.path.join(saltelli_dir, "ensemble.h5"), "r") as f:
        assert f["member_0/places/population"].shape == (93, 4)
        assert "member_5" not in f


def test_a_folder_of_runs_without_an_index_finds_its_varied_parameters(plain_dir):
    with open_ensemble(plain_dir) as ens:
        assert len(ens) == 6 and ens.ok == list(range(6))
        assert ens.params == [BIRTH]
        assert sorted(set(ens.members[BIRTH])) == [0.02, 0.035, 0.05]
        assert list(ens.members["seed"]) == [1, 2, 1, 2, 1, 2]
        pop = ens["places"]["population"]
        assert pop.dims == ("member", "time", "place") and pop.sizes["member"] == 6
        assert BIRTH in pop.coords
        ev = ens.events()
        assert set(ev["member"]) == set(range(6)) and len(ev) == 18


def test_member_data_stay_on_disk_until_reduced(saltelli_dir):
    with open_ensemble(saltelli_dir) as ens:
        assert isinstance(ens["places"]["population"].data, dask.array.Array)


def test_a_large_ensemble_is_reduced_in_bounded_memory(tmp_path, monkeypatch):
    """8 members of 4,000 places × 241 daily rows: 62 MB of population (and 247 MB by class).
    With dask chunks of about 1 MiB, summing every member's population holds a chunk or two in
    memory at a time: less than half a member, never the ensemble (whole members as chunks
    would fail this test)."""
    monkeypatch.setattr(L, "CHUNK_BYTES", 2**20)
    big = tmp_path / "big.yaml"
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "data", "make_big_scenario.py"),
                    "4000", "240", str(big)], check=True)
    run_jinsong("run", big, "-o", tmp_path / "member_0.h5", "--quiet", "--set", "scenario.output.every_days=1")
    ens_dir = tmp_path / "ens"
    ens_dir.mkdir()
    for k in range(8):
        shutil.copyfile(tmp_path / "member_0.h5", ens_dir / f"member_{k}.h5")
    with open_ensemble(str(ens_dir)) as ens:
        pop = ens["places"]["population"]
        total_bytes = pop.size * pop.dtype.itemsize
        assert pop.shape == (8, 241, 4000) and total_bytes > 61e6
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
