"""Fixtures: outputs written by the real `jinsong run` on configs/ scenarios, files in the
documented layout of the modules still to land (synth.py), and ensembles of real runs with an
``ensemble.h5`` index in the documented layout."""
import glob
import os
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("JS_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "..", "..")))
JINSONG = os.environ.get("JINSONG", os.path.join(SOURCE, "build", "jinsong"))
sys.path.insert(0, os.path.join(SOURCE, "analysis"))
sys.path.insert(0, HERE)

import synth  # noqa: E402
from jinsong_analysis import open_run  # noqa: E402
from jinsong_analysis.report import report_run  # noqa: E402

TEST_SCENARIOS = sorted(glob.glob(os.path.join(SOURCE, "configs", "test", "*.yaml")))


def run_jinsong(*args):
    """Runs the jinsong binary (`run` single-threaded, as sweep members run: on 2 busy cores
    OpenMP threads spin-wait); fails the test with its stderr when it fails."""
    if not os.path.exists(JINSONG):
        pytest.fail(f"no jinsong binary at {JINSONG} (build first, or set JINSONG)")
    args = list(args) + (["--threads", "1"] if args and args[0] == "run" and "--threads" not in args else [])
    proc = subprocess.run([JINSONG, *map(str, args)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"jinsong {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def run_cli(*args):
    """Runs `python3 -m jinsong_analysis ARGS` as a user would; returns the CompletedProcess."""
    env = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "analysis"))
    return subprocess.run([sys.executable, "-m", "jinsong_analysis", *map(str, args)],
                          capture_output=True, text=True, env=env)


class CliResult:
    """What a command printed and returned."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def cli(*args):
    """Runs the command line in this process (no interpreter start-up); returns a CliResult."""
    import contextlib
    import io

    from jinsong_analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return CliResult(rc, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def smoke_h5(tmp_path_factory):
    """configs/test/smoke.yaml, a row a day (93 rows, 4 places, 2 factions, 3 routes)."""
    out = tmp_path_factory.mktemp("smoke") / "smoke.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", out, "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def weekly_h5(tmp_path_factory):
    """The smoke scenario with a row every 7 days (days 0, 7, ..., 91, 92)."""
    out = tmp_path_factory.mktemp("weekly") / "weekly.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", out, "--quiet",
                "--set", "scenario.output.every_days=7")
    return str(out)


@pytest.fixture(scope="session")
def jingkang_h5(tmp_path_factory):
    """The default scenario (33 places, 1125-10-01 to 1127-07-01), a row every 10 days."""
    out = tmp_path_factory.mktemp("jingkang") / "jingkang.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/jingkang.yaml"), "-o", out, "--quiet",
                "--set", "scenario.output.every_days=10")
    return str(out)


@pytest.fixture(scope="session")
def full_h5(smoke_h5, tmp_path_factory):
    """A real smoke run with /armies, /sieges, refugees, economy and a /migration matrix added in
    the documented layout (synth.py)."""
    return synth.full_run(smoke_h5, tmp_path_factory.mktemp("full") / "full.h5")


def final_population(path):
    """Total population of the places at the last row of a run."""
    with h5py.File(path, "r") as f:
        return float(f["places/population"][-1].sum())


BIRTH = "demography.birth_rate_per_year"
DEATH = "demography.death_rate_per_year"
SALTELLI_N = 16
BOUNDS = {BIRTH: (0.02, 0.05), DEATH: (0.02, 0.05)}


@pytest.fixture(scope="session")
def saltelli_dir(tmp_path_factory):
    """A Saltelli ensemble of real runs of the smoke scenario over the birth and death rates
    (N = 16 base rows, 64 members, seed 1127, member k with run index k), indexed by an
    ensemble.h5 in the documented layout, with one member marked failed (no file)."""
    from jinsong_analysis.sensitivity import saltelli_design

    d = tmp_path_factory.mktemp("saltelli")
    keys = list(BOUNDS)
    x, matrix, row = saltelli_design(SALTELLI_N, [BOUNDS[k][0] for k in keys], [BOUNDS[k][1] for k in keys],
                                     seed=3)
    members = []
    failed = 5
    for k, point in enumerate(x):
        name = f"member_{k}.h5"
        params = dict(zip(keys, map(float, point)))
        m = {"seed": 1127, "run_index": k, "params": params, "file": name, "wall_seconds": 0.05}
        if k == failed:
            m.update(status="failed", error="killed by the test", file="")
            m["summary"] = {"final_population": np.nan}
        else:
            sets = [a for key, v in params.items() for a in ("--set", f"{key}={v!r}")]
            run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", d / name, "--quiet",
                        "--seed", 1127, "--run-index", k, *sets)
            m["summary"] = {"final_population": final_population(d / name)}
        members.append(m)
    synth.write_index(str(d), members, {
        "kind": "saltelli", "n_params": 2, "base_samples": SALTELLI_N, "replicates": 1, "param_keys": keys,
        "lower": [BOUNDS[k][0] for k in keys], "upper": [BOUNDS[k][1] for k in keys],
        "saltelli_matrix": matrix, "saltelli_row": row})
    return str(d)


@pytest.fixture(scope="session")
def plain_dir(tmp_path_factory):
    """A folder of real runs without an index: a grid of 3 birth rates × 2 seeds."""
    d = tmp_path_factory.mktemp("plain")
    k = 0
    for rate in (0.02, 0.035, 0.05):
        for seed in (1, 2):
            run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", d / f"run_{k}.h5",
                        "--quiet", "--seed", seed, "--set", f"{BIRTH}={rate}")
            k += 1
    return str(d)


@pytest.fixture(scope="session")
def full_ensemble_dir(full_h5, tmp_path_factory):
    """An ensemble of 4 copies of the full synthetic run, Kaifeng falling on different days,
    indexed by an ensemble.h5 of kind `replicates`."""
    d = tmp_path_factory.mktemp("fullens")
    members = []
    for k, shift in enumerate((0, -3, 2, 5)):
        name = f"member_{k}.h5"
        shutil.copyfile(full_h5, d / name)
        with h5py.File(d / name, "r+") as f:
            ev = f["events"][:]
            kinds = h5py.check_enum_dtype(f["events"].dtype["kind"])
            ev["day"][ev["kind"] == kinds["CITY_FALLS"]] += shift
            f["events"][:] = ev
            f.attrs["run_index"] = np.uint32(k)
            f["places/population"][-1] = f["places/population"][-1] + 1000 * k
        members.append({"seed": 1127, "run_index": k, "file": name, "params": {},
                        "summary": {"final_population": final_population(d / name)}})
    synth.write_index(str(d), members, {"kind": "replicates", "n_params": 0, "replicates": 4})
    return str(d)


IMG = re.compile(r'<img src="([^"]+)"')


@pytest.fixture(scope="session")
def smoke_report(smoke_h5, tmp_path_factory):
    """`python3 -m jinsong_analysis report` on a real smoke run."""
    out = tmp_path_factory.mktemp("smoke_report")
    proc = run_cli("report", smoke_h5, "-o", out, "--frames", "4", "--dates", "1125-10-01,1126-01-01")
    assert proc.returncode == 0, proc.stderr
    return str(out)


@pytest.fixture(scope="session")
def full_report(full_h5, tmp_path_factory):
    """The report of a file holding every group (armies, sieges, refugees, economy)."""
    out = tmp_path_factory.mktemp("full_report")
    with open_run(full_h5) as run:
        report_run(run, str(out), dates=["1125-12-20"], frames=4)
    return str(out)


def images(folder):
    """The image paths index.html references."""
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return IMG.findall(f.read())


def html(folder):
    """The text of index.html."""
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return f.read()
