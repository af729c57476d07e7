"""The report: index.html and its figures, from real runs of every module (the default
scenario: armies, refugees, economy, battles, sieges; the siege test cases) and from real
sweeps."""
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

#: what the page says when a panel has no data (none may appear for the default scenario)
NO_DATA = ("no armies in this run", "no battles in this run", "no refugees in this run",
           "no grain prices", "no treasuries", "no tribute", "no grain shipments", "no army tracks",
           "no refugee flows", "no deaths by cause", "no sieges in this run")


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


def first_row_text(path, kind):
    """The text of the first /events row of a kind, read with h5py."""
    with h5py.File(path, "r") as f:
        ev = f["events"][:]
        code = h5py.check_enum_dtype(f["events"].dtype["kind"])[kind]
    return ev["text"][ev["kind"] == code][0].decode()


def test_the_default_scenario_gets_real_army_refugee_economy_and_event_panels(jingkang_report, jingkang_h5):
    refs = images(jingkang_report)
    assert {"armies.png", "people.png", "economy.png", "ledger.png", "events.png",
            "map_1126-03-01.png"} <= set(refs)
    page = html(jingkang_report)
    for missing in NO_DATA:
        assert missing not in page, missing
    for name in ("armies.png", "people.png", "economy.png", "events.png", "map_1126-03-01.png"):
        check_png(os.path.join(jingkang_report, name), min_colors=100)
    # 10 panels in three columns: wider and taller than a figure of four panels
    w, h = Image.open(os.path.join(jingkang_report, "economy.png")).size
    assert w == 1700 and h > 1300
    assert Image.open(os.path.join(jingkang_report, "armies.png")).size[1] > 1000
    assert first_row_text(jingkang_h5, "BATTLE") in page  # the events table
    assert first_row_text(jingkang_h5, "RANSOM_PAID") in page


def test_the_panels_draw_the_files_own_numbers(jingkang_h5):
    with open_run(jingkang_h5) as run:
        fa, pl, led = run["factions"], run["places"], run["ledger"]
        # transfers: the Song pay Kaifeng's ransom in silver and silk, the Jin receive it less
        # the friction of the way (the 1123 settlement's tribute falls due after the war has
        # suspended it, so the tribute rows are empty: the panel must show exactly the file's)
        series = F.tribute_series(fa, run.names("faction"))
        with h5py.File(jingkang_h5, "r") as f:
            cur = [x.decode() for x in f["factions/currency_name"][:]]
            for account, label in (("tribute_paid", "tribute paid"),
                                   ("transfers_paid", "indemnities and ransoms paid")):
                raw = f["factions/" + account][-1]
                drawn = {(fac, c): v[-1] for fac, lab, c, _unit, v in series if lab == label}
                assert drawn == {(fac, cur[c]): raw[fac, c] for fac, c in zip(*np.nonzero(raw))}
        ransom = {(fac, c) for fac, lab, c, _u, _v in series if lab == "indemnities and ransoms paid"}
        assert (0, "silver") in ransom and (0, "silk") in ransom
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


def raw_sieges(path):
    """Every siege of a run from its /events rows read with h5py: [(place, start day, end day or
    None, SIEGE_END value0)], in start order."""
    with h5py.File(path, "r") as f:
        ev = f["events"][:]
        code = h5py.check_enum_dtype(f["events"].dtype["kind"])
    out, open_ = [], {}
    for r in ev:
        if r["kind"] == code["SIEGE_START"]:
            open_[int(r["place"])] = len(out)
            out.append([int(r["place"]), int(r["day"]), None, 0])
        elif r["kind"] == code["SIEGE_END"]:
            k = open_.pop(int(r["place"]))
            out[k][2:] = [int(r["day"]), int(r["value"][0])]
    return [tuple(x) for x in out]


@pytest.mark.parametrize("fixture", ["supplied_h5", "dean_h5", "jingkang_h5"])
def test_sieges_are_read_from_their_events_and_agree_with_the_sieges_group(fixture, request):
    # every siege, even one begun and ended between two output rows (De'an: a row every 30 days),
    # from SIEGE_START/SIEGE_END; the map marks a place besieged exactly at the rows where its
    # /sieges slot is active
    path = request.getfixturevalue(fixture)
    with open_run(path) as run:
        got = [(s.place, s.start, s.end, s.outcome) for s in F.siege_episodes(run)]
        want = [(p, a, b, F.SIEGE_OUTCOMES[o] if b is not None else "ongoing") for p, a, b, o in raw_sieges(path)]
        assert got == want and len(got) >= 2
        md = M.MapData(run)
        sg = run["sieges"]
        active = sg["active"].values != 0
        slots = sg["siege_place"].values
        np.testing.assert_array_equal(md.sieges[:, slots], active)
        assert not md.sieges[:, np.setdiff1d(np.arange(md.sieges.shape[1]), slots)].any()
        assert active.any()


def test_de_ans_sieges_end_in_every_way_and_each_gets_a_bar(dean_h5, tmp_path):
    outcomes = {F.SIEGE_OUTCOMES[o] for _p, _a, b, o in raw_sieges(dean_h5) if b is not None}
    assert {"stormed", "surrendered", "relieved", "lifted"} <= outcomes
    with open_run(dean_h5) as run:
        fig, notes = F.fig_timeline(run)
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels[0] == "siege: De'an (Anlu)" and "SIEGE_START" not in labels and "SIEGE_END" not in labels
        bars = [p for p in ax.patches if p.get_height() == 0.5]
        assert len(bars) == len(raw_sieges(dean_h5))
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert {f"siege {o}" for o in outcomes} <= set(legend)
        F.save(fig, str(tmp_path / "events.png"))
        check_png(tmp_path / "events.png")


def test_the_default_scenarios_sieges_in_the_figures_and_on_the_map(jingkang_h5):
    with open_run(jingkang_h5) as run:
        _fig, notes = F.fig_armies(run)
        assert notes == []  # armies, sieges and battles: every panel has data
        F.plt.close(_fig)
        fig, _ = F.fig_people(run)
        titles = [ax.get_title() for ax in fig.axes]
        assert any(t.startswith("Civilians shut inside besieged walls") for t in titles)
        F.plt.close(fig)
        deaths = S.deaths_by_cause(run["places"], run["ledger"])
        assert "besieged civilians: killed on the walls and in sacks" in deaths
        fig, _ = F.fig_timeline(run)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        kaifeng = run.index_of("place", "kaifeng")
        assert "siege: Bianjing / Kaifeng" in labels and "RANSOM_PAID" in labels
        F.plt.close(fig)
        md = M.MapData(run)
        row = int(np.flatnonzero(md.sieges[:, kaifeng])[0])
        fig, ax = M.new_map(md)
        arts = M.draw_dynamic(ax, md, md.days[row])
        texts = [a.get_text() for a in arts if hasattr(a, "get_text")]
        days = int(run["sieges"]["days"].values[row, run.index_of("siege", "kaifeng")])
        assert f"besieged by Jin\nday {days}" in texts
        assert any(h.get_label().startswith("under siege") for h in M.legend_handles(md))
        F.plt.close(fig)


def test_the_map_frames_the_theatre_of_war_and_names_what_it_leaves_out(jingkang_h5, smoke_h5):
    with open_run(jingkang_h5) as run:
        md = M.MapData(run)
        inside = md.framed()
        lon0, lon1, lat0, lat1 = md.extent()
        assert 0 < (~inside).sum() <= 2  # the Jin's far-off capital, not the theatre of war
        assert lon1 - lon0 < np.ptp(md.lon) and lat1 - lat0 < np.ptp(md.lat)
        assert all(inside[s.place] for s in F.siege_episodes(run))
        ev = run.events
        assert all(inside[p] for p in ev[ev["kind"] == "BATTLE"]["place"])
        legend = "\n".join(h.get_label() for h in M.legend_handles(md))
        assert "beyond the frame:" in legend and all(n in legend for n in md.outside())
    with open_run(smoke_h5) as run:
        assert M.MapData(run).framed().all()  # four places: nothing is left out


def test_armies_at_one_place_stand_side_by_side_on_the_map():
    lat = np.array([34.8, 34.8, 36.0, np.nan])
    lon = np.array([114.3, 114.3, 112.0, np.nan])
    off = M.army_offsets(lat, lon, step=0.3)
    assert list(off[:3]) == [-0.15, 0.15, 0.0] and off[3] == 0


def test_deaths_of_a_sack_are_the_ledgers(stormed_h5):
    with open_run(stormed_h5) as run:
        deaths = S.deaths_by_cause(run["places"], run["ledger"])
        with h5py.File(stormed_h5, "r") as f:
            names = [x.decode() for x in f["ledger/persons_flow_name"][:]]
            flows = f["ledger/persons"][:]
        walls = flows[:, names.index("siege_militia_killed")] + flows[:, names.index("sack_killed")]
        assert walls.sum() > 0
        np.testing.assert_array_equal(deaths["besieged civilians: killed on the walls and in sacks"].values,
                                      np.cumsum(walls))


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
