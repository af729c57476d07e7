"""Fixtures: outputs written by the real `jinsong run` on configs/test scenarios."""
import os
import subprocess

import pytest

JINSONG = os.environ.get("JINSONG", os.path.join(os.path.dirname(__file__), "..", "..", "build", "jinsong"))
SOURCE = os.environ.get("JS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def run_jinsong(*args, check=True):
    """Runs the jinsong binary; returns the CompletedProcess."""
    proc = subprocess.run([JINSONG, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"jinsong {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def smoke_h5(tmp_path_factory):
    """The smoke scenario, one row a day."""
    out = tmp_path_factory.mktemp("smoke") / "smoke.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", str(out), "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def weekly_h5(tmp_path_factory):
    """The smoke scenario with a row every 7 days (92 days: rows 0, 7, ..., 91 and 92)."""
    out = tmp_path_factory.mktemp("weekly") / "weekly.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs/test/smoke.yaml"), "-o", str(out), "--quiet",
                "--set", "scenario.output.every_days=7")
    return str(out)
