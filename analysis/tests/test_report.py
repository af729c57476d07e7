"""The report: index.html and its figures, from real runs of every module (the default
scenario: armies, refugees, economy, battles), from a run with the sieges still to come added,
and from real sweeps."""
import os

import h5py
import numpy as np
import pytest
from PIL import Image

from conftest import SOURCE, cli, html, images, run_jinsong
from jinsong_analysis import open_ensemble, open_run
from jinsong_analysis import ensemble_figures as EF
from jinsong_analysis import figures as F
from jinsong_analysis import maps as M
from jinsong_analysis import series as S
from jinsong_analysis.figures import FACTION_COLORS
from jinsong_analysis.report import report_run
import synth

#: what the page says when a panel has no data (none may appear for the default scenario)
NO_DATA = ("no armies in this run", "no battles in this run", "no refugees in this run",
           "no grain prices", "no treasuries", "no tribute", "no grain shipments", "no army tracks",
           "no refugee flows", "no deaths by cause")


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
    # the smoke scenario has no army, no refugee, and the economy off
    page = html(smoke_report)
    assert "no armies in this run (the /armies group has no army or no strength)" in page
    assert "no refugees in this run: every refugee count of the file is zero" in page
    assert "no treasuries in this run" in page and "no tribute in this run" in page
    assert "no grain prices in this run" in page
    assert "armies.png" not in images(smoke_report)  # no army, siege or battle: no figure
    assert "Parameters: " in page and "scenario.start" in page and "1125-10-01" in page
    assert "Yellow River pontoon bridge at Huazhou burnt" in page  # the events table


def test_the_default_scenario_gets_real_army_refugee_economy_and_event_panels(jingkang_report):
    refs = images(jingkang_report)
    assert {"armies.png", "people.png", "economy.png", "ledger.png", "events.png",
            "map_1126-03-01.png"} <= set(refs)
    page = html(jingkang_report)
    for missing in NO_DATA:
        assert missing not in page, missing
    assert "no sieges in this run" in page  # the siege module has not landed
    for name in ("armies.png", "people.png", "economy.png", "events.png", "map_1126-03-01.png"):
        check_png(os.path.join(jingkang_report, name), min_colors=100)
    # 10 panels in three columns: wider and taller than a figure of four panels
    w, h = Image.open(os.path.join(jingkang_report, "economy.png")).size
    assert w == 1700 and h > 1300
    assert Image.open(os.path.join(jingkang_report, "armies.png")).size[1] > 1000
    assert "jin_east beat song_kaifeng" in page  # the first battle, in the events table


def test_the_panels_draw_the_files_own_numbers(jingkang_h5):
    with open_run(jingkang_h5) as run:
        fa, pl, led = run["factions"], run["places"], run["ledger"]
        # tribute: the Song pay 1,000,000 strings of cash and 300,000 bolts of silk, the Jin
        # receive them less the friction of the way
        series = F.tribute_series(fa, run.names("faction"))
        paid = {(fac, cur): v[-1] for fac, account, cur, _unit, v in series if account == "tribute paid"}
        with h5py.File(jingkang_h5, "r") as f:
            raw = f["factions/tribute_paid"][-1]
        assert paid == {(0, "cash"): raw[0, 0], (0, "silk"): raw[0, 3]}
        # deaths by cause: the ledger's flows cumulated
        deaths = S.deaths_by_cause(pl, led)
        with h5py.File(jingkang_h5, "r") as f:
            names = [x.decode() for x in f["ledger/persons_flow_name"][:]]
            famine = f["ledger/persons"][:, names.index("deaths_famine")].sum()
            assert float(deaths["residents: famine"].values[-1]) == famine
            assert float(deaths["residents: famine"].values[-1]) == f["places/deaths_famine"][-1].sum()
        refugees = S.refugee_series(pl, run["routes"], led)
        settled = float(refugees["settled (since the start)"].values[-1])
        assert settled == float(run.get("migration")["settled"].sum().values) > 100000


def test_army_positions_on_a_route_are_measured_from_its_from_end(armies_h5):
    with open_run(armies_h5) as run:
        md = M.MapData(run)
        ar = run["armies"]
        route, km = ar["route"].values, ar["km_on_route"].values
        t, a = np.argwhere(route >= 0)[0]
        r = int(route[t, a])
        rt = run["routes"]
        p0, p1 = int(rt["route_from"].values[r]), int(rt["route_to"].values[r])
        f = km[t, a] / float(rt["km"].values[r])
        assert 0 < f < 1
        assert md.a_lat[t, a] == pytest.approx(md.lat[p0] + f * (md.lat[p1] - md.lat[p0]))
        assert md.a_lon[t, a] == pytest.approx(md.lon[p0] + f * (md.lon[p1] - md.lon[p0]))
        # at a place: its coordinates; before it is raised: nowhere
        t2, a2 = np.argwhere(ar["location"].values >= 0)[0]
        assert md.a_lat[t2, a2] == md.lat[int(ar["location"].values[t2, a2])]
        assert np.isnan(md.a_lat[0, run.index_of("army", "militia")])


def test_refugee_flows_on_a_map_grow_with_the_date_up_to_the_migration_matrix(jingkang_h5):
    with open_run(jingkang_h5) as run:
        md = M.MapData(run)
        total = run.get("migration")["settled"].sum("year").values
        cal = run.calendar
        sums = [M.od_until(md, cal.day(d)).sum() for d in ("1125-12-01", "1126-06-01", "1127-07-01")]
        assert sums[0] <= sums[1] <= sums[2] and sums[1] < sums[2]
        np.testing.assert_allclose(M.od_until(md, md.days[-1]), total)
        # mid-year: what had settled by then, not the whole year's settlements
        day = cal.day("1126-06-01")
        settled_then = run["places"]["refugees_settled"].sel(time=run["places"].time[
            int(np.searchsorted(md.days, day, side="right")) - 1]).sum().values
        assert sums[1] == pytest.approx(float(settled_then), rel=1e-12)


def test_tracked_refugees_are_drawn_where_they_are(refugees_h5):
    with open_run(refugees_h5) as run:
        md = M.MapData(run)
        tr = run["tracks"]
        state = tr["state"].values
        assert md.t_lat.shape == state.shape == (92, 40)
        staying = np.argwhere((state == 1) & (tr["place"].values >= 0))[0]
        p = int(tr["place"].values[tuple(staying)])
        assert md.t_lat[tuple(staying)] == md.lat[p] and not md.t_moving[tuple(staying)]
        assert np.all(np.isnan(md.t_lat[state == -1]))  # not fled yet: not on the map


def _blue_pixels(path):
    """Pixels of the colour of faction 1 (Jin)."""
    px = np.asarray(Image.open(path).convert("RGB")).astype(int)
    jin = np.array([int(FACTION_COLORS[1][i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(px - jin).sum(axis=2) < 30).sum())


def test_the_map_colours_each_place_by_its_owner_on_the_date(smoke_report):
    # Junzhou passes to the Jin on 1125-12-25 (day 85): more Jin colour on the map after it
    before = _blue_pixels(os.path.join(smoke_report, "map_1125-10-01.png"))
    after = _blue_pixels(os.path.join(smoke_report, "map_1126-01-01.png"))
    assert after > before + 30, (before, after)


def test_sieges_are_drawn_on_the_map_in_the_armies_and_events_figures(sieges_h5, tmp_path):
    with open_run(sieges_h5) as run:
        fig, notes = F.fig_armies(run)
        assert notes == []  # armies, sieges and battles: every panel has data
        F.save(fig, str(tmp_path / "armies.png"), dpi=70)
        check_png(tmp_path / "armies.png")
        spans = F.siege_spans(run)
        kaifeng, zhengzhou = run.index_of("place", "kaifeng"), run.index_of("place", "zhengzhou")
        assert spans == [(kaifeng, synth.SIEGE_START_DAY, synth.FALL_DAY - 1),
                         (zhengzhou, synth.ZHENGZHOU_SIEGE[0], synth.ZHENGZHOU_SIEGE[1] - 1)]
        fig, _ = F.fig_timeline(run)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert labels[0] == "SIEGES" and {"CITY_FALLS", "SACK", "BATTLE"} <= set(labels)
        F.plt.close(fig)
        md = M.MapData(run)
        assert md.sieges[synth.SIEGE_START_DAY, kaifeng] and not md.sieges[synth.FALL_DAY, kaifeng]
        assert md.owner[synth.FALL_DAY, kaifeng] == synth.JIN
        assert "under siege" in [h.get_label() for h in M.legend_handles(md)]


def test_bad_dates_are_user_errors(smoke_h5, tmp_path):
    proc = cli("report", smoke_h5, "-o", tmp_path, "--dates", "1125-13-01")
    assert proc.returncode == 2 and "not a date of the julian calendar" in proc.stderr
    proc = cli("report", smoke_h5, "-o", tmp_path, "--dates", "1130-01-01")
    assert proc.returncode == 2 and "outside the run" in proc.stderr
    proc = cli("report", str(tmp_path / "none.h5"), "-o", tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr


#: a scenario whose report is not a fixture above, with what it tries: one faction, no route at
#: all, no event, monthly rows (the other scenarios' figures are drawn by the tests above)
EDGES = ["economy_1064.yaml"]


@pytest.mark.parametrize("scenario", EDGES)
def test_every_test_scenario_gets_a_report(scenario, tmp_path):
    out = tmp_path / "run.h5"
    run_jinsong("run", os.path.join(SOURCE, "configs", "test", scenario), "-o", out, "--quiet")
    with open_run(str(out)) as run:
        report_run(run, str(tmp_path / "rep"), dates=[run.attrs["end_date"]], frames=0, dpi=40)
    refs = images(tmp_path / "rep")
    pngs = [r for r in refs if r.endswith(".png")]
    assert len(pngs) >= 4 and all(os.path.isfile(tmp_path / "rep" / r) for r in refs)


def test_the_ensemble_report_of_a_real_sweep_draws_bands_and_event_date_distributions(armies_sweep, tmp_path):
    proc = cli("report", armies_sweep, "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    refs = images(tmp_path)
    assert {"ensemble_series.png", "ensemble_event_dates.png", "map_end.png"} <= set(refs)
    for r in refs:
        check_png(tmp_path / r)
    page = html(tmp_path)
    assert "6 members, 6 completed" in page and "design replicates" in page
    assert "no armies in these runs" not in page and "no refugees in these runs" not in page
    with open_ensemble(armies_sweep) as ens:
        firsts = EF.event_dates(ens)
        kaifeng = ens.run(0).index_of("place", "kaifeng")
        got = firsts[(firsts["kind"] == "BATTLE") & (firsts["place"] == kaifeng)]
        expect = {}
        for k in range(6):
            with h5py.File(os.path.join(armies_sweep, f"member_{k}.h5"), "r") as f:
                ev = f["events"][:]
                days = ev["day"][(ev["kind"] == 0) & (ev["place"] == kaifeng)]
                if len(days):
                    expect[k] = int(days.min())
        assert dict(zip(got["member"], got["day"])) == expect
        assert 0 < len(expect) < 6  # the battle happens in some members only
        strength = ens["armies"]["strength"]
        assert strength.dims == ("member", "time", "army") and strength.shape == (6, 46, 5)


def test_the_ensemble_report_of_a_grid_sweep(example_sweep, tmp_path):
    proc = cli("report", example_sweep, "-o", tmp_path, "--dpi", "50")
    assert proc.returncode == 0, proc.stderr
    page = html(tmp_path)
    assert "12 members, 12 completed" in page and "demography.birth_rate_per_year" in page
    assert "no armies in these runs" in page and "no refugees in these runs" in page
    assert "summary scalars differ between the members" in page
    assert os.path.isfile(tmp_path / "ensemble_series.png")
