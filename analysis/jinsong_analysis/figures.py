"""The time-series figures of a run's report: people, armies, economy, ledger, events timeline.

Each ``fig_*`` function draws the panels for which the file holds data and returns
``(figure or None, notes)``: the notes say, in words for the page, which panels have no data in
this file (e.g. "no armies in this run") — the figure is None when none of its panels has data.
"""
import math

import cftime
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import Formatter, FuncFormatter  # noqa: E402

from . import series as S  # noqa: E402
from .dates import date_axis  # noqa: E402

#: colours of factions by index (the last for "none")
FACTION_COLORS = ["#c0392b", "#1f4e99", "#2e8b57", "#d4a017", "#7b3f99", "#e67e22", "#17a2b8",
                  "#8b4513", "#e84393", "#556b2f"]
NONE_COLOR = "#9e9e9e"

plt.rcParams.update({"font.size": 9, "axes.titlesize": 10, "legend.fontsize": 8,
                     "axes.grid": True, "grid.alpha": 0.3})


def faction_color(i):
    """The colour of faction index i (grey for -1, none)."""
    return NONE_COLOR if i is None or i < 0 else FACTION_COLORS[i % len(FACTION_COLORS)]


def human(v, _pos=None):
    """1234567 → "1.23 M"; for legends and labels of persons, sheng, taels."""
    a = abs(v)
    for scale, suffix in ((1e9, " G"), (1e6, " M"), (1e4, " k")):
        if a >= scale:
            return f"{v / (scale if suffix != ' k' else 1e3):.3g}{suffix}"
    return f"{v:.3g}" if a < 1000 else f"{v:.0f}"


class HumanFormatter(Formatter):
    """Tick labels in k / M / G with as many decimals as the tick spacing needs
    (10.40 M, 10.42 M, ... rather than 10.4 M five times)."""

    def __call__(self, x, pos=None):
        return self._fmt(x, self._spec())

    def format_ticks(self, values):
        self.locs = values
        spec = self._spec()
        return [self._fmt(v, spec) for v in values]

    def _spec(self):
        locs = [v for v in getattr(self, "locs", []) if np.isfinite(v)]
        if not locs:
            return 1.0, "", 0
        top = max(abs(v) for v in locs)
        scale, suffix = next(((s, x) for s, x in ((1e9, " G"), (1e6, " M"), (1e3, " k"))
                              if top >= 10 * s or (s >= 1e6 and top >= s)), (1.0, ""))
        steps = np.diff(sorted(locs))
        step = min(steps[steps > 0]) / scale if len(steps) and np.any(steps > 0) else 1.0
        decimals = int(max(0, min(6, -np.floor(np.log10(step) + 1e-9))))
        return scale, suffix, decimals

    @staticmethod
    def _fmt(x, spec):
        scale, suffix, decimals = spec
        if x == 0:
            return "0"
        return f"{x / scale:.{decimals}f}{suffix}"


HUMAN = HumanFormatter()


def days_of(ds, cal):
    """Days since the start of a Dataset's decoded time coordinate."""
    t = ds["time"].values
    if len(t) and isinstance(t[0], cftime.datetime):
        return np.asarray(cftime.date2num(list(t), cal.units, cal.calendar), dtype=float)
    return np.asarray(t, dtype=float)


def grid(n, title, ncols=2, width=12.0, row_height=3.4):
    """A figure with n panels in rows of ncols; returns (fig, axes[:n])."""
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows + 0.7),
                             layout="constrained", squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.remove()
    fig.suptitle(title, fontsize=12, fontweight="bold")
    return fig, flat[:n]


def time_panel(ax, cal, x, title, ylabel):
    """Labels a panel whose x is days since the start."""
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(HumanFormatter())
    if len(x):
        date_axis(ax, cal, float(np.min(x)), float(np.max(x)))


def lines(ax, x, da, dim, labels, colors=None, skip_zero=True):
    """One line per index of dim; returns how many were drawn."""
    vals = np.asarray(da.transpose("time", dim).values, dtype=float)
    drawn = 0
    for i in range(vals.shape[1]):
        if skip_zero and not np.any(vals[:, i]):
            continue
        ax.plot(x, vals[:, i], label=labels[i] if i < len(labels) else f"{dim} {i}",
                color=colors[i] if colors else None, lw=1.6)
        drawn += 1
    return drawn


def zero_note(ax, da, text):
    """Says on a panel that its series are all zero (and keeps the axis from 0 up)."""
    if not bool(np.any(np.asarray(da.values))):
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=9,
                color="#8a4b00", bbox=dict(fc="white", ec="#8a4b00", alpha=0.8))


def legend(ax, **kw):
    """A legend when the panel has labelled artists."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc=kw.pop("loc", "best"), **kw)


# --------------------------------------------------------------------- people


def fig_people(run):
    """Population by region (or holding faction) and by class, change by place, refugees."""
    cal, pl, rt = run.calendar, run.get("places"), run.get("routes")
    fac = run.names("faction")
    notes, panels = [], []
    if not S.has(pl, "population"):
        return None, ["no /places/population in this file"]
    x = days_of(pl, cal)
    grouped, how, names = S.population_by_region(pl, len(fac))
    if grouped is not None:
        def p_region(ax):
            if how == "region":
                lines(ax, x, grouped, "region", names)
            else:
                lines(ax, x, grouped, "faction", fac, [faction_color(i) for i in range(len(fac))])
            total = pl["population"].sum("place").values
            ax.plot(x, total, color="black", lw=1, ls="--", label="all places")
            time_panel(ax, cal, x, f"Population by {'region' if how == 'region' else 'holding faction'}",
                       "population (persons)")
            legend(ax)
        panels.append(p_region)
        if how != "region":
            notes.append("population by region: the file names no regions (/places/region), "
                         "so the population is shown by the faction holding each place")
    if S.has(pl, "population_by_class"):
        def p_class(ax):
            by = np.asarray(pl["population_by_class"].sum("place").values, dtype=float)
            cls = [str(c) for c in pl["class_name"].values] if "class_name" in pl.coords else \
                [f"class {i}" for i in range(by.shape[1])]
            ax.stackplot(x, by.T, labels=cls, alpha=0.8)
            time_panel(ax, cal, x, "Population of all places by class", "population (persons)")
            legend(ax, loc="lower left")
        panels.append(p_class)

    def p_change(ax):
        pop = pl["population"]
        d = np.asarray((pop.isel(time=-1) - pop.isel(time=0)).values, dtype=float)
        order = np.argsort(-np.abs(d))[:15][::-1]
        names_ = run.names("place")
        ax.barh([names_[i] for i in order], d[order],
                color=["#2e8b57" if d[i] >= 0 else "#c0392b" for i in order])
        ax.set_title(f"Population change by place, {cal.label(x[0])} to {cal.label(x[-1])} "
                     f"(largest {len(order)})")
        ax.set_xlabel("change in population (persons)")
        ax.xaxis.set_major_formatter(HumanFormatter())
        ax.axvline(0, color="black", lw=0.8)
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(handles=[Patch(color="#2e8b57", label="grew"), Patch(color="#c0392b", label="shrank")],
                  loc="lower right")
    panels.append(p_change)
    refugees = S.refugee_series(pl, rt)
    if refugees:
        def p_refugees(ax):
            for label, da in refugees.items():
                ax.plot(x if da.sizes["time"] == len(x) else days_of(da, cal),
                        np.asarray(da.values, dtype=float), label=label, lw=1.6)
            time_panel(ax, cal, x, "Refugees", "refugees (persons)")
            legend(ax)
        panels.append(p_refugees)
    else:
        notes.append("no refugees in this run (the file has no /places/refugees_present, "
                     "/places/refugees_left or /routes/refugees_travelling)")
    fig, axes = grid(len(panels), f"People — {run.attrs.get('scenario', '')}")
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


# --------------------------------------------------------------------- armies


def _battles(run):
    """The BATTLE rows of a run's events."""
    ev = run.events
    return ev[ev["kind"] == "BATTLE"]


def fig_armies(run):
    """Army strengths by faction and per army, sieges, battles."""
    cal, ar, sg = run.calendar, run.get("armies"), run.get("sieges")
    fac = run.names("faction")
    notes, panels = [], []
    by_fac = S.army_strength_by_faction(ar, len(fac))
    if by_fac is not None:
        x = days_of(ar, cal)

        def p_fac(ax):
            lines(ax, x, by_fac, "faction", fac, [faction_color(i) for i in range(len(fac))])
            time_panel(ax, cal, x, "Army strength by faction (active armies)", "soldiers (persons)")
            legend(ax)

        def p_each(ax):
            st = ar["strength"]
            if "active" in ar.variables:
                st = st.where(ar["active"] != 0)
            vals = np.asarray(st.values, dtype=float)
            peak = np.nan_to_num(np.nanmax(np.where(np.isnan(vals), -1, vals), axis=0), nan=-1)
            top = [i for i in np.argsort(-peak)[:10] if peak[i] > 0]
            names = run.names("army")
            owner = ar["owner"]
            for i in top:
                o = int(np.asarray(owner.values)[..., i].ravel()[-1])
                ax.plot(x, vals[:, i], lw=1.3, label=f"{names[i]} ({fac[o] if 0 <= o < len(fac) else '-'})",
                        color=faction_color(o), ls=["-", "--", ":", "-."][top.index(i) % 4])
            time_panel(ax, cal, x, f"Strength of each army (largest {len(top)})", "soldiers (persons)")
            legend(ax, ncol=2, fontsize=7)
        panels += [p_fac, p_each]
    elif ar is not None:
        notes.append("no armies in this run (the /armies group has no army or no strength)")
    else:
        notes.append("no armies in this run (the file has no /armies group)")
    if S.has(sg, "garrison") and sg.sizes.get("siege", 0) > 0:
        xs = days_of(sg, cal)

        def p_sieges(ax):
            active = np.asarray(sg["active"].values) != 0 if "active" in sg.variables else None
            gar = np.asarray(sg["garrison"].values, dtype=float)
            civ = np.asarray(sg["civilians"].values, dtype=float) if "civilians" in sg.variables else None
            place = sg["siege_place"] if "siege_place" in sg.variables else None
            pnames = run.names("place")
            for i in range(gar.shape[1]):
                on = active[:, i] if active is not None else np.ones(len(xs), bool)
                if not on.any():
                    continue
                p = int(np.asarray(place.values)[..., i].ravel()[-1]) if place is not None else -1
                name = pnames[p] if 0 <= p < len(pnames) else f"siege {i}"
                line, = ax.plot(xs, np.where(on, gar[:, i], np.nan), lw=1.6, label=f"{name}: garrison")
                if civ is not None:
                    ax.plot(xs, np.where(on, civ[:, i], np.nan), lw=1.2, ls=":", color=line.get_color(),
                            label=f"{name}: civilians")
            time_panel(ax, cal, xs, "Sieges: persons inside the besieged places", "persons")
            legend(ax, fontsize=7)
        panels.append(p_sieges)
    else:
        notes.append("no sieges in this run (the file has no /sieges group)")
    battles = _battles(run)
    if len(battles):
        def p_battles(ax):
            d = battles["day"].to_numpy(float)
            ax.scatter(d, battles["value0"] - battles["value1"], marker="^", color="#2e8b57",
                       label="winner's losses")
            ax.scatter(d, battles["value2"] - battles["value3"], marker="v", color="#c0392b",
                       label="loser's losses")
            for _, b in battles.head(25).iterrows():
                ax.annotate(b["place_name"], (b["day"], b["value2"] - b["value3"]), fontsize=6,
                            xytext=(3, 3), textcoords="offset points")
            time_panel(ax, cal, np.array([0, float(run.attrs.get("n_days", d.max()))]),
                       f"Battles ({len(battles)}): losses", "losses (persons)")
            legend(ax)
        panels.append(p_battles)
    else:
        notes.append("no battles in this run (no BATTLE rows in /events)")
    if not panels:
        return None, notes
    fig, axes = grid(len(panels), f"Armies — {run.attrs.get('scenario', '')}")
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


# --------------------------------------------------------------------- economy

CURRENCY_UNITS = {"cash": "strings", "silver": "taels", "gold": "taels", "silk": "bolts",
                  "grain": "sheng"}


def _factions_vars(fa, prefix):
    """Variables of /factions over (time, faction) whose names start with prefix."""
    if fa is None:
        return []
    return [v for v in fa.data_vars if v.startswith(prefix) and fa[v].dims == ("time", "faction")]


def fig_economy(run):
    """Grain stocks, food per head, prices, treasuries, tribute, grain moved on routes."""
    cal, pl, fa, rt = run.calendar, run.get("places"), run.get("factions"), run.get("routes")
    fac = run.names("faction")
    colors = [faction_color(i) for i in range(len(fac))]
    notes, panels = [], []
    x = days_of(pl, cal) if pl is not None else np.array([])
    grain = S.by_owner(pl, "grain", len(fac))
    if grain is not None:
        def p_grain(ax):
            lines(ax, x, grain / 100.0, "faction", fac, colors, skip_zero=False)
            time_panel(ax, cal, x, "Grain stored in places, by holding faction", "grain (shi = 100 sheng)")
            zero_note(ax, grain, "no grain stored in any place (all zero in this run)")
            legend(ax)
        panels.append(p_grain)
    if S.has(pl, "food_ratio"):
        def p_food(ax):
            fr = np.asarray(pl["food_ratio"].values, dtype=float)
            ax.plot(x, np.median(fr, axis=1), label="median over places", color="#1f4e99")
            ax.plot(x, np.min(fr, axis=1), label="lowest place", color="#c0392b", lw=1)
            ax.axhline(1.0, color="black", lw=0.8, ls="--", label="normal ration")
            time_panel(ax, cal, x, "Food available per head", "food per head / normal (1)")
            ax.set_ylim(0, max(1.2, 1.05 * float(np.nanmax(fr))))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.2f}"))
            legend(ax)
        panels.append(p_food)
    if S.has(pl, "price"):
        def p_price(ax):
            pr = np.asarray(pl["price"].values, dtype=float)
            ax.fill_between(x, np.nanpercentile(pr, 10, axis=1), np.nanpercentile(pr, 90, axis=1),
                            alpha=0.25, color="#d4a017", label="10–90 % of places")
            ax.plot(x, np.nanmedian(pr, axis=1), color="#8b4513", label="median over places")
            caps = [int(c) for c in np.asarray(fa["capital"].values)] if S.has(fa, "capital") else []
            pnames = run.names("place")
            for c in caps:
                if 0 <= c < pr.shape[1]:
                    ax.plot(x, pr[:, c], lw=1, ls="--", label=pnames[c])
            time_panel(ax, cal, x, "Grain prices", f"price ({S.units(pl['price'])})")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.3g}"))
            legend(ax)
        panels.append(p_price)
    else:
        notes.append("no grain prices in this run (the file has no /places/price)")
    treas = _factions_vars(fa, "treasury_")
    for v in treas:
        def p_treas(ax, v=v):
            xf = days_of(fa, cal)
            lines(ax, xf, fa[v], "faction", fac, colors, skip_zero=False)
            cur = v[len("treasury_"):]
            time_panel(ax, cal, xf, f"Treasury: {cur}",
                       f"{cur} ({S.units(fa[v], CURRENCY_UNITS.get(cur, '1'))})")
            legend(ax)
        panels.append(p_treas)
    if not treas:
        notes.append("no treasuries in this run (the file has no /factions/treasury_<currency>)")
    tribute = _factions_vars(fa, "tribute_")
    for v in tribute:
        def p_trib(ax, v=v):
            xf = days_of(fa, cal)
            lines(ax, xf, fa[v], "faction", fac, colors)
            time_panel(ax, cal, xf, str(fa[v].attrs.get("long_name", v)).capitalize(),
                       f"amount ({S.units(fa[v])})")
            legend(ax)
        panels.append(p_trib)
    if not tribute:
        notes.append("no tribute in this run (the file has no /factions/tribute_paid or tribute_received)")
    if S.has(rt, "grain_flow"):
        def p_flow(ax):
            xr_ = days_of(rt, cal)
            kinds = [str(k) for k in rt["route_kind"].values] if "route_kind" in rt.coords else []
            gf = np.asarray(rt["grain_flow"].values, dtype=float)
            unit = S.units(rt["grain_flow"])
            scale, label = (100.0, "grain (shi = 100 sheng)") if unit == "sheng" else (1.0, f"grain ({unit})")
            for k in sorted(set(kinds)) or ["all"]:
                cols = [i for i, kk in enumerate(kinds) if kk == k] if kinds else list(range(gf.shape[1]))
                ax.plot(xr_, gf[:, cols].sum(axis=1) / scale, label=f"by {k}")
            time_panel(ax, cal, xr_, "Grain moved on routes (per row interval), by kind of route", label)
            legend(ax)
        panels.append(p_flow)
    else:
        notes.append("no grain shipments in this run (the file has no /routes/grain_flow)")
    if not panels:
        return None, notes
    fig, axes = grid(len(panels), f"Economy — {run.attrs.get('scenario', '')}",
                     ncols=3 if len(panels) > 6 else 2, width=15.0 if len(panels) > 6 else 12.0)
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


# --------------------------------------------------------------------- ledger


def _flow_label(led, q, i):
    """ "births (outside → places)" for flow i of quantity q."""
    def get(suffix):
        v = f"{q}_flow_{suffix}"
        return str(led[v].values[i]) if v in led.variables else ""
    name = get("name") or f"flow {i}"
    a, b = get("from"), get("to")
    return f"{name} ({a} → {b})" if a and b else name


def fig_ledger(run):
    """Per conserved quantity: cumulative flows, and stocks by holder."""
    cal, led = run.calendar, run.get("ledger")
    qs = S.ledger_quantities(led)
    if not qs:
        return None, ["no ledger in this file"]
    x = days_of(led, cal)
    fig, axes = grid(2 * len(qs), f"Ledger of conserved quantities — {run.attrs.get('scenario', '')}")
    holders = [str(h) for h in led["holder_name"].values] if "holder_name" in led.variables else []
    for qi, q in enumerate(qs):
        unit = S.units(led[q])
        flows = [_flow_label(led, q, i) for i in range(led.sizes[f"{q}_flow"])]
        cum = np.cumsum(np.asarray(led[q].values, dtype=float), axis=0)
        ax = axes[2 * qi]
        for i in range(cum.shape[1]):
            ax.plot(x, cum[:, i], label=flows[i] if i < len(flows) else f"flow {i}", lw=1.5)
        time_panel(ax, cal, x, f"{q}: flows, cumulative since the start", f"amount ({unit})")
        legend(ax, fontsize=7)
        ax = axes[2 * qi + 1]
        stock_name = f"{q}_stock"
        if stock_name in led.variables:
            st = np.asarray(led[stock_name].values, dtype=float)
            for h in range(st.shape[1]):
                name = holders[h] if h < len(holders) else f"holder {h}"
                if name == "outside" or not np.any(st[:, h]):
                    continue
                ax.plot(x, st[:, h], label=name, lw=1.5)
        time_panel(ax, cal, x, f"{q}: stock held, by holder", f"amount ({unit})")
        legend(ax, fontsize=7)
    return fig, []


# --------------------------------------------------------------------- timeline

TIMELINE_KINDS = ["BATTLE", "SIEGE_START", "SIEGE_END", "CITY_FALLS", "CITY_SURRENDERS", "SACK",
                  "RANSOM_PAID", "TREATY", "TRIBUTE_PAID", "ARMY_RAISED", "ARMY_DESTROYED",
                  "COURT_MOVES", "RIVER_BREACH", "PLACE_CEDED", "ROUTE_CLOSED", "ROUTE_OPENED", "NOTE"]


def siege_spans(run):
    """Sieges as (place index, first day, last day or None while still going), from /sieges when
    the file has it, else from SIEGE_START/SIEGE_END rows in /events."""
    sg = run.get("sieges")
    spans = []
    if S.has(sg, "active", "siege_place"):
        xs = days_of(sg, run.calendar)
        act = np.asarray(sg["active"].values) != 0
        place = np.asarray(sg["siege_place"].values)
        for i in range(act.shape[1]):
            on = np.flatnonzero(act[:, i])
            if len(on):
                p = int(place[..., i].ravel()[on[0]] if place.ndim == 2 else place[i])
                spans.append((p, xs[on[0]], xs[on[-1]] if on[-1] < len(xs) - 1 else None))
        return spans
    ev = run.events
    open_ = {}
    for _, r in ev[ev["kind"].isin(["SIEGE_START", "SIEGE_END"])].iterrows():
        if r["kind"] == "SIEGE_START":
            open_[r["place"]] = r["day"]
        elif r["place"] in open_:
            spans.append((int(r["place"]), open_.pop(r["place"]), float(r["day"])))
    spans += [(int(p), d, None) for p, d in open_.items()]
    return spans


def event_label(r, width=34):
    """A short label of an event row: "place: text", cut to width."""
    parts = [p for p in (r["place_name"].split(" (")[0], r["text"] or r["faction_a_name"]) if p]
    text = ": ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def fig_timeline(run):
    """Events by kind along the run's dates, sieges as bars, labelled with places or texts."""
    cal, ev = run.calendar, run.events
    n_days = float(run.attrs.get("n_days", ev["day"].max() if len(ev) else 1))
    spans = siege_spans(run)
    kinds = [k for k in TIMELINE_KINDS if k in set(ev["kind"])]
    kinds += sorted(set(ev["kind"]) - set(kinds))
    rows = (["SIEGES"] if spans else []) + kinds
    if not rows:
        return None, ["no events in this run (/events is empty)"]
    fig, ax = plt.subplots(figsize=(12, 2.0 + 0.85 * len(rows)), layout="constrained")
    fig.suptitle(f"Events — {run.attrs.get('scenario', '')}", fontsize=12, fontweight="bold")
    y = {k: i for i, k in enumerate(rows)}
    pnames = run.names("place")
    for p, a, b in spans:
        end = b if b is not None else n_days
        ax.barh(y["SIEGES"], max(end - a, 1), left=a, height=0.5, color="#c0392b", alpha=0.6)
        ax.text(a, y["SIEGES"] + 0.3, pnames[p] if 0 <= p < len(pnames) else "?", fontsize=7)
    cmap = plt.get_cmap("tab20")
    for k in kinds:
        sel = ev[ev["kind"] == k]
        ax.scatter(sel["day"], [y[k]] * len(sel), s=40, color=cmap(y[k] % 20), edgecolor="black",
                   zorder=3, label=f"{k} ({len(sel)})")
        for i, (_, r) in enumerate(sel.head(40).iterrows()):
            label = event_label(r)
            if label:
                ax.annotate(label, (r["day"], y[k]), xytext=(4, (9, -13, 20)[i % 3]),
                            textcoords="offset points", fontsize=6.5, ha="left",
                            arrowprops=dict(arrowstyle="-", lw=0.4, color="gray"))
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_title("one row per kind of event; sieges as bars from start to end")
    date_axis(ax, cal, 0.0, n_days)
    ax.grid(axis="y", alpha=0)
    legend(ax, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return fig, []


def save(fig, path, dpi=100):
    """Writes a figure as PNG and closes it."""
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
