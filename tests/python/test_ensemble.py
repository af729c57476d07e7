"""ensemble.h5 read back as the analysis package reads it (the contract of docs/OUTPUT.md,
"Ensembles"): /members and /design open alone in xarray; names, types and labels."""
import os

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SOURCE, run_jinsong


@pytest.fixture(scope="session")
def saltelli_dir(tmp_path_factory):
    """A Saltelli sweep over the smoke scenario: N = 2, 2 parameters, 2 replicates."""
    d = tmp_path_factory.mktemp("saltelli")
    sweep = d / "sweep.yaml"
    sweep.write_text(
        f"sweep: {{name: s, scenario: {os.path.join(SOURCE, 'configs/test/smoke.yaml')}, "
        "seed: 11, design: saltelli, samples: 2, replicates: 2,\n"
        "        set: {scenario.output.every_days: 30}}\n"
        "parameters:\n"
        "  demography.death_rate_per_year: {lower: 0.02, upper: 0.04}\n"
        "  places.kaifeng.walls.strength: {lower: 0.5, upper: 1.0}\n")
    run_jinsong("sweep", str(sweep), "-o", str(d / "out"), "--quiet")
    return str(d / "out")


def test_members_table_follows_the_contract(saltelli_dir):
    with xr.open_dataset(f"{saltelli_dir}/ensemble.h5", engine="h5netcdf", group="members") as m:
        n = 2 * (2 + 2) * 2
        assert m.sizes["member"] == n
        assert m.member.dtype == np.int32
        assert m.seed.dtype == np.uint32 and m.run_index.dtype == np.uint32
        assert (m.run_index.values == np.arange(n)).all() and (m.seed.values == 11).all()
        assert set(m.status.values) == {"ok"} and set(m.error.values) == {""}
        assert m.wall_seconds.dtype == np.float64 and m.wall_seconds.attrs["units"] == "s"
        w = m["places__kaifeng__walls__strength"]
        assert w.attrs["key"] == "places.kaifeng.walls.strength" and w.dtype == np.float64
        assert ((w.values >= 0.5) & (w.values <= 1.0)).all()
        summaries = [v for v in m.data_vars if v.startswith("summary__")]
        assert "summary__final_population" in summaries
        for v in m.data_vars:
            assert "units" in m[v].attrs and "long_name" in m[v].attrs, v


def test_design_labels_a_b_and_ab_matrices(saltelli_dir):
    with xr.open_dataset(f"{saltelli_dir}/ensemble.h5", engine="h5netcdf", group="design") as z:
        assert z.attrs["kind"] == "saltelli" and z.attrs["base_samples"] == 2
        assert z.attrs["replicates"] == 2 and z.attrs["n_params"] == 2
        assert list(z.param_keys.values) == ["demography.death_rate_per_year",
                                             "places.kaifeng.walls.strength"]
        # members 0..7 are the points, members 8..15 their second replicates
        assert list(z.saltelli_matrix.values) == [0, 0, 1, 1, 2, 2, 3, 3] * 2
        assert list(z.saltelli_row.values) == [0, 1] * 8
        assert list(z.point.values) == list(range(8)) * 2


def test_members_are_external_links_to_their_files(saltelli_dir):
    with h5py.File(f"{saltelli_dir}/ensemble.h5") as f:
        for k in range(16):
            link = f.get(f"member_{k}", getlink=True)
            assert isinstance(link, h5py.ExternalLink) and link.path == "/"
            assert link.filename == f"member_{k}.h5"
        assert f["member_3"].attrs["run_index"] == 3
