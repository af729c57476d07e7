"""Fixtures: outputs written by the real `jinsong run` on configs/ scenarios (the siege test cases
among them) and by the real `jinsong sweep` (ensemble.h5 as the engine writes it), run once per
session; synth.py writes only ensemble indexes of an analytic function."""
import glob
import os
import re
import shutil
import subprocess
import sys

import h5py
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("JS_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "..", "..")))
JINSONG = os.environ.get("JINSONG", os.path.join(SOURCE, "build", "jinsong"))
sys.path.insert(0, os.path.join(SOURCE, "analysis"))
sys.path.insert(0, HERE)

from jinsong_analysis import open_run  # noqa: E402
from jinsong_analysis.report import report_run  # noqa: E402

TEST_SCENARIOS = sorted(glob.glob(os.path.join(SOURCE, "configs", "test", "*.yaml")))
BIRTH = "demography.birth_rate_per_year"
DEATH = "demography.death_rate_per_year"
SINUOSITY = "graph.sinuosity"


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


# --------------------------------------------------------------------- runs


def _run(factory, name, scenario, *sets):
    """A run of a scenario in a session folder, with --set options."""
    out = factory.mktemp(name) / f"{name}.h5"
    args = [a for s in sets for a in ("--set", s)]
    run_jinsong("run", os.path.join(SOURCE, scenario), "-o", out, "--quiet", *args)
    return str(out)


@pytest.fixture(scope="session")
def smoke_h5(tmp_path_factory):
    """configs/test/smoke.yaml, a row a day (93 rows, 4 places, 2 factions, 3 routes, no army)."""
    return _run(tmp_path_factory, "smoke", "configs/test/smoke.yaml")


@pytest.fixture(scope="session")
def weekly_h5(tmp_path_factory):
    """The smoke scenario with a row every 7 days (days 0, 7, ..., 91, 92)."""
    return _run(tmp_path_factory, "weekly", "configs/test/smoke.yaml", "scenario.output.every_days=7")


@pytest.fixture(scope="session")
def armies_h5(tmp_path_factory):
    """configs/test/armies.yaml, a row a day (91 rows, 6 places, 5 armies, 5 battles)."""
    return _run(tmp_path_factory, "armies", "configs/test/armies.yaml")


@pytest.fixture(scope="session")
def refugees_h5(tmp_path_factory):
    """configs/test/refugees.yaml, a row a day (92 rows, 11 places, 13 routes, 40 tracks)."""
    return _run(tmp_path_factory, "refugees", "configs/test/refugees.yaml")


@pytest.fixture(scope="session")
def economy_h5(tmp_path_factory):
    """configs/test/economy.yaml, a row every 5 days (the Shaoxing treaty and its tribute)."""
    return _run(tmp_path_factory, "economy", "configs/test/economy.yaml", "scenario.output.every_days=5")


@pytest.fixture(scope="session")
def jingkang_h5(tmp_path_factory):
    """The default scenario (74 places, 14 armies, 1125-10-01 to 1127-07-01), a row every 10 days."""
    return _run(tmp_path_factory, "jingkang", "configs/jingkang.yaml", "scenario.output.every_days=10")


@pytest.fixture(scope="session")
def ransom_h5(tmp_path_factory):
    """configs/test/kaifeng_ransom.yaml (a row a day from 1126-01-20, to 1126-03-01): a rich
    capital besieged by an army that prefers terms pays a ransom (RANSOM_PAID with the city in
    `place`, then SIEGE_END ransomed)."""
    return _run(tmp_path_factory, "ransom", "configs/test/kaifeng_ransom.yaml", "scenario.end=1126-03-01")


@pytest.fixture(scope="session")
def stormed_h5(tmp_path_factory):
    """configs/test/kaifeng_poor.yaml (a row a day, to 1126-03-01): a poor city cannot pay and is
    stormed and sacked (CITY_FALLS, SACK, SIEGE_END stormed; the garrison's ARMY_DESTROYED)."""
    return _run(tmp_path_factory, "stormed", "configs/test/kaifeng_poor.yaml", "scenario.end=1126-03-01")


@pytest.fixture(scope="session")
def supplied_h5(tmp_path_factory):
    """configs/test/kaifeng_supplied.yaml (a row a day, 132 days): a city with years of food
    refuses terms again and again; the siege is lifted and a second one begins in the same slot."""
    return _run(tmp_path_factory, "supplied", "configs/test/kaifeng_supplied.yaml")


@pytest.fixture(scope="session")
def dean_h5(tmp_path_factory):
    """configs/test/dean.yaml (De'an, 1127-1137, a row every 30 days): a county town besieged
    again and again — sieges lifted, relieved, stormed, surrendered — between two output rows as
    often as not."""
    return _run(tmp_path_factory, "dean", "configs/test/dean.yaml")


# --------------------------------------------------------------------- sweeps


def sweep(factory, name, text, *options):
    """Runs `jinsong sweep` on a sweep file (text, with {SOURCE} for the repository) into a
    session folder; returns the folder."""
    d = factory.mktemp(name)
    path = d / f"{name}.yaml"
    path.write_text(text.replace("{SOURCE}", SOURCE))
    run_jinsong("sweep", path, "-o", d / "out", "--jobs", "2", *options)
    return str(d / "out")


@pytest.fixture(scope="session")
def example_sweep(tmp_path_factory):
    """`jinsong sweep configs/sweeps/00_example.yaml`: a grid of 3 birth × 2 death rates over
    the smoke scenario, 2 replicates each, 12 members, weekly rows."""
    d = tmp_path_factory.mktemp("example") / "out"
    run_jinsong("sweep", os.path.join(SOURCE, "configs/sweeps/00_example.yaml"), "-o", d, "--jobs", "2")
    return str(d)


SALTELLI_N = 8
SALTELLI_PENDING = 5
SALTELLI = """
sweep:
  name: smoke_saltelli
  scenario: {SOURCE}/configs/test/smoke.yaml
  seed: 1127
  design: saltelli
  samples: 8
  set: {scenario.output.every_days: 7}
parameters:
  demography.birth_rate_per_year: {lower: 0.02, upper: 0.05}
  demography.death_rate_per_year: {lower: 0.02, upper: 0.05}
  graph.sinuosity: {lower: 1.2, upper: 1.4}
"""


@pytest.fixture(scope="session")
def saltelli_sweep(tmp_path_factory):
    """A real Saltelli sweep of the smoke scenario over the birth and death rates and the routes'
    sinuosity (N = 8 base rows, (3 + 2)·8 = 40 members), whose member 5 lost its file: the
    index rebuilt by `jinsong sweep --collect` says it is pending."""
    d = sweep(tmp_path_factory, "saltelli", SALTELLI)
    os.remove(os.path.join(d, f"member_{SALTELLI_PENDING}.h5"))
    proc = subprocess.run([JINSONG, "sweep", "--collect", d], capture_output=True, text=True)
    assert "39 of 40 members ok" in proc.stderr, proc.stderr
    return d


ARMIES_REPLICATES = """
sweep:
  name: armies_replicates
  scenario: {SOURCE}/configs/test/armies.yaml
  seed: 1126
  design: replicates
  replicates: 6
  set: {scenario.output.every_days: 2}
"""


@pytest.fixture(scope="session")
def armies_sweep(tmp_path_factory):
    """Six replicates of configs/test/armies.yaml (rows every 2 days): the battle before Kaifeng
    happens in some members and not in others, on different days."""
    return sweep(tmp_path_factory, "armies_sweep", ARMIES_REPLICATES)


@pytest.fixture(scope="session")
def plain_dir(example_sweep, tmp_path_factory):
    """A folder of the example sweep's member files without its index."""
    d = tmp_path_factory.mktemp("plain")
    for k in range(12):
        shutil.copyfile(os.path.join(example_sweep, f"member_{k}.h5"), d / f"run_{k}.h5")
    return str(d)


def final_population(path):
    """Total population of the places at the last row of a run."""
    with h5py.File(path, "r") as f:
        return float(f["places/population"][-1].sum())


# --------------------------------------------------------------------- reports

IMG = re.compile(r'<img src="([^"]+)"')


@pytest.fixture(scope="session")
def smoke_report(smoke_h5, tmp_path_factory):
    """`python3 -m jinsong_analysis report` on a real smoke run (no army, no refugee)."""
    out = tmp_path_factory.mktemp("smoke_report")
    proc = run_cli("report", smoke_h5, "-o", out, "--frames", "4", "--dates", "1125-10-01,1126-01-01")
    assert proc.returncode == 0, proc.stderr
    return str(out)


@pytest.fixture(scope="session")
def jingkang_report(jingkang_h5, tmp_path_factory):
    """The report of the default scenario: real armies, refugees, economy and battles."""
    out = tmp_path_factory.mktemp("jingkang_report")
    with open_run(jingkang_h5) as run:
        report_run(run, str(out), dates=["1126-03-01"], frames=0)
    return str(out)


def images(folder):
    """The image paths index.html references."""
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return IMG.findall(f.read())


def html(folder):
    """The text of index.html."""
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return f.read()
