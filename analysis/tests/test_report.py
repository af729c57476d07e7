"""The report: index.html and its figures, from real runs and from files with every group."""
import os

import numpy as np
import pytest
from PIL import Image

from conftest import SOURCE, TEST_SCENARIOS, cli, html, images, run_jinsong
from jinsong_analysis import open_ensemble, open_run
from jinsong_analysis import ensemble_figures as EF
from jinsong_analysis.figures import FACTION_COLORS
from jinsong_analysis.report import report_run
import synth


def check_png(path, min_colors=40):
    """A readable, non-empty figure: its pixel size, and more than a few colours."""
    im = Image.open(path)
    assert im.format == "PNG", path
    w, h = im.size
    assert w >= 800 and h >= 300, f"{path}: {w}x{h}"
    px = np.asarray(im.convert("RGB"))
    assert px.std() > 10, f"{path} is nearly uniform"
    packed = (px[..., 0].astype(np.int32) << 16) | (px[..., 1].astype(np.int32) << 8) | px[..., 2]
    colors = len(np.unique(packed))
    assert colors >= min_colors, f"{path}: only {colors} colours"
    return w, h


def test_the_report_of_a_real_run_has_every_figure_referenced_by_relative_paths(smoke_report):
    refs = images(smoke_report)
    for ref in refs:
        assert not ref.startswith(("/", "file:", "http")) and ".." not in ref, ref
        assert os.path.isfile(os.path.join(smoke_report, ref)), ref
    on_disk = {f for f in os.listdir(smoke_report) if f.endswith((".png", ".gif"))}
    assert set(refs) == on_disk
    for name in ("map_1125-10-01.png", "map_1126-01-01.png", "map_animation.gif", "people.png",
                 "economy.png", "ledger.png", "events.png"):
        assert name in refs, name
    assert len([r for r in refs if r.endswith(".png")]) >= 4


def test_the_figures_are_non_empty_pngs_of_the_expected_size(smoke_report):
    for name in ("people.png", "economy.png", "ledger.png", "events.png", "map_1125-10-01.png"):
        w, h = check_png(os.path.join(smoke_report, name))
        if name != "events.png":
            assert w == 1100 or w == 1200, (name, w)
    gif = Image.open(os.path.join(smoke_report, "map_animation.gif"))
    assert gif.format == "GIF" and gif.n_frames == 4


def test_the_page_says_which_panels_have_no_data_in_this_file(smoke_report):
    page = html(smoke_report)
    assert "no armies in this run" in page
    assert "no refugees in this run" in page
    assert "no treasuries in this run" in page
    assert "Parameters: " in page and "scenario.start" in page and "1125-10-01" in page
    assert "Yellow River pontoon bridge at Huazhou burnt" in page  # the events table


def test_a_file_with_every_group_gets_army_refugee_and_economy_panels(full_report):
    refs = images(full_report)
    assert {"armies.png", "people.png", "economy.png", "map_1125-12-20.png"} <= set(refs)
    page = html(full_report)
    for missing in ("no armies in this run", "no sieges in this run", "no battles in this run",
                    "no refugees in this run", "no grain prices", "no treasuries", "no tribute",
                    "no grain shipments", "no army tracks", "no refugee flows"):
        assert missing not in page, missing
    check_png(os.path.join(full_report, "armies.png"))
    check_png(os.path.join(full_report, "economy.png"))
    # more panels than the smoke run's figure: taller
    assert Image.open(os.path.join(full_report, "economy.png")).size[1] > 1000


def _blue_pixels(path):
    """Pixels of the colour of faction 1 (Jin)."""
    px = np.asarray(Image.open(path).convert("RGB")).astype(int)
    jin = np.array([int(FACTION_COLORS[1][i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(px - jin).sum(axis=2) < 30).sum())


def test_the_map_colours_each_place_by_its_owner_on_the_date(smoke_h5, tmp_path):
    # Junzhou passes to the Jin on 1125-12-25 (day 85): more Jin colour on the map after it
    with open_run(smoke_h5) as run:
        report_run(run, str(tmp_path), dates=["1125-12-01", "1126-01-01"], frames=0)
    before = _blue_pixels(tmp_path / "map_1125-12-01.png")
    after = _blue_pixels(tmp_path / "map_1126-01-01.png")
    assert after > before + 30, (before, after)


def test_bad_dates_are_user_errors(smoke_h5, tmp_path):
    proc = cli("report", smoke_h5, "-o", tmp_path, "--dates", "1125-13-01")
    assert proc.returncode == 2 and "not a date of the julian calendar" in proc.stderr
    proc = cli("report", smoke_h5, "-o", tmp_path, "--dates", "1130-01-01")
    assert proc.returncode == 2 and "outside the run" in proc.stderr
    proc = cli("report", str(tmp_path / "none.h5"), "-o", tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr


@pytest.mark.parametrize("scenario", TEST_SCENARIOS + [os.path.join(SOURCE, "configs", "jingkang.yaml")],
                         ids=os.path.basename)
def test_every_scenario_gets_a_report(scenario, tmp_path):
    out = tmp_path / "run.h5"
    run_jinsong("run", scenario, "-o", out, "--quiet", "--set", "scenario.output.every_days=5")
    proc = cli("report", out, "-o", tmp_path / "rep", "--frames", "0", "--dpi", "60")
    assert proc.returncode == 0, proc.stderr
    refs = images(tmp_path / "rep")
    pngs = [r for r in refs if r.endswith(".png")]
    assert len(pngs) >= 4 and all(os.path.isfile(tmp_path / "rep" / r) for r in refs)


def test_the_ensemble_report_draws_bands_and_event_date_distributions(full_ensemble_dir, tmp_path):
    proc = cli("report", full_ensemble_dir, "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    refs = images(tmp_path)
    assert {"ensemble_series.png", "ensemble_event_dates.png", "map_end.png"} <= set(refs)
    for r in refs:
        check_png(tmp_path / r)
    with open_ensemble(full_ensemble_dir) as ens:
        firsts = EF.event_dates(ens)
        falls = firsts[(firsts["kind"] == "CITY_FALLS") & (firsts["place"] == 0)]
        assert sorted(falls["day"]) == [82, 85, 87, 90]
        strength = ens["armies"]["strength"]
        assert strength.dims == ("member", "time", "army")


def test_the_ensemble_report_of_real_runs(saltelli_dir, tmp_path):
    proc = cli("report", saltelli_dir, "-o", tmp_path, "--dpi", "60")
    assert proc.returncode == 0, proc.stderr
    page = html(tmp_path)
    assert "63 completed" in page and "demography.birth_rate_per_year" in page
    assert "no armies in these runs" in page
    assert os.path.isfile(tmp_path / "ensemble_series.png")


def test_an_empty_armies_group_is_said_not_drawn(smoke_h5, tmp_path):
    path = synth.empty_armies_run(smoke_h5, tmp_path / "empty.h5")
    with open_run(path) as run:
        assert run["armies"]["strength"].shape == (93, 0)
        report_run(run, str(tmp_path / "rep"), dates=["1125-10-01"], frames=2)
    page = html(tmp_path / "rep")
    assert "no armies in this run (the /armies group has no army or no strength)" in page
    assert "armies.png" not in images(tmp_path / "rep")
