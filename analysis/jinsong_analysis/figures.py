"""The time-series figures of a run's report: people, armies, economy, ledger, events timeline.

Each ``fig_*`` function draws the panels for which the file holds data and returns
``(figure or None, notes)``: the notes say, in words for the page, which panels have no data in
this file (e.g. "no armies in this run") — the figure is None when none of its panels has data.
"""
import math
from typing import NamedTuple, Optional

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


def _values(da):
    """A DataArray's values as a float numpy array (computed if lazy)."""
    return np.asarray(da.values, dtype=float)


def fig_people(run):
    """Population by region (or holding faction) and by class, change by place, refugees,
    deaths by cause, where refugees settled."""
    cal, pl, rt, led = run.calendar, run.get("places"), run.get("routes"), run.get("ledger")
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
    refugees = S.refugee_series(pl, rt, led)
    if refugees:
        moving = any(bool(np.any(_values(da))) for da in refugees.values())

        def p_refugees(ax):
            for i, (label, da) in enumerate(refugees.items()):
                cumulative = "since the start" in label
                ax.plot(days_of(da, cal), _values(da), label=label, lw=1.2 if cumulative else 1.8,
                        ls="--" if cumulative else "-", color=f"C{i}")
            time_panel(ax, cal, x, "Refugees", "refugees (persons)")
            if not moving:
                zero_note(ax, refugees[next(iter(refugees))], "no refugees in this run (all zero)")
            legend(ax, fontsize=7)
        panels.append(p_refugees)
        if not moving:
            notes.append("no refugees in this run: every refugee count of the file is zero")
    else:
        notes.append("no refugees in this run (the file has no /places/refugees_present, "
                     "/places/refugees_left or /routes/refugees_travelling)")
    slots = besieged_slots(run)
    if slots:
        panels.append(lambda ax: _p_besieged_civilians(ax, run, slots))
    deaths = S.deaths_by_cause(pl, led)
    if deaths:
        def p_deaths(ax):
            styles = {"residents": "-", "refugees": "-.", "soldiers": "--", "besieged civilians": ":",
                      "captives": ":"}
            for i, (label, da) in enumerate(deaths.items()):
                ax.plot(days_of(da, cal), _values(da), label=label, lw=1.6, color=f"C{i % 10}",
                        ls=styles.get(label.split(":")[0], "-"))
            time_panel(ax, cal, x, "Deaths since the start, by cause", "deaths (persons)")
            legend(ax, fontsize=7)
        panels.append(p_deaths)
    else:
        notes.append("no deaths by cause in this file (no ledger flows of persons, no "
                     "/places/deaths_<cause>)")
    settled = _settled_matrix(run)
    if settled is not None and settled.any():
        panels.append(lambda ax: _p_destinations(ax, run, settled))
    fig, axes = grid(len(panels), f"People — {run.attrs.get('scenario', '')}")
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


def _p_besieged_civilians(ax, run, slots):
    """The civilians shut inside each besieged place's walls (they are still counted in its
    population; hunger, epidemics, the walls and a sack kill them there: the siege deaths of the
    deaths panel), and the civilians who died inside in the siege so far (dotted)."""
    sg = run.get("sieges")
    xs = days_of(sg, run.calendar)
    for k, (i, _p, name) in enumerate(slots[:MAX_SIEGE_LINES]):
        color = f"C{k % 10}"
        civ = _while_besieged(sg, "civilians", i)
        ax.plot(xs, civ, color=color, lw=1.8, label=f"{name}: inside")
        ax.fill_between(xs, 0, np.nan_to_num(civ), color=color, alpha=0.15)
        on = ~np.isnan(civ)
        for t in np.flatnonzero(on & ~np.concatenate([[False], on[:-1]])):  # each siege's first row
            ax.annotate(human(civ[t]), (xs[t], civ[t]), xytext=(2, 3), textcoords="offset points",
                        fontsize=6.5, color=color)
        if "deaths" in sg.variables and np.nansum(_while_besieged(sg, "deaths", i)) > 0:
            ax.plot(xs, _while_besieged(sg, "deaths", i), color=color, lw=1.2, ls=":",
                    label=f"{name}: died inside")
    more = f"; {len(slots) - MAX_SIEGE_LINES} more places" if len(slots) > MAX_SIEGE_LINES else ""
    every = run.attrs.get("output_every_days", 1)
    time_panel(ax, run.calendar, xs, f"Civilians shut inside besieged walls (rows every {every} d{more})",
               "civilians (persons)")
    ax.set_ylim(bottom=0)
    legend(ax, fontsize=6.5)


def _settled_matrix(run):
    """Refugees settled by origin × destination place since the start (/migration/settled
    summed over the years), or None."""
    mig = run.get("migration")
    if not S.has(mig, "settled"):
        return None
    da = mig["settled"]
    rest = [d for d in da.dims if d not in ("origin", "destination")]
    return _values(da.sum(rest).transpose("origin", "destination"))


def _p_destinations(ax, run, settled, n_dest=12, n_origin=5):
    """Where refugees settled: the largest destinations, split by the largest origins."""
    names = [n.split(" (")[0] for n in run.names("place")]
    by_dest = settled.sum(axis=0)
    dest = [d for d in np.argsort(-by_dest)[:n_dest] if by_dest[d] > 0][::-1]
    origins = [o for o in np.argsort(-settled.sum(axis=1))[:n_origin] if settled[o].sum() > 0]
    left = np.zeros(len(dest))
    for i, o in enumerate(origins):
        v = settled[o, dest]
        ax.barh(range(len(dest)), v, left=left, color=f"C{i}", label=f"from {names[o]}")
        left += v
    other = by_dest[dest] - left
    if np.any(other > 0):
        ax.barh(range(len(dest)), other, left=left, color=NONE_COLOR, label="from elsewhere")
    ax.set_yticks(range(len(dest)), [names[d] for d in dest])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(f"Where refugees settled since the start (largest {len(dest)} places)")
    ax.set_xlabel("refugees settled (persons)")
    ax.xaxis.set_major_formatter(HumanFormatter())
    legend(ax, loc="lower right", fontsize=7)


# --------------------------------------------------------------------- armies


def _battles(run):
    """The BATTLE rows of a run's events."""
    ev = run.events
    return ev[ev["kind"] == "BATTLE"]


#: the arms of /armies/strength_<arm>, in the order of docs/OUTPUT.md
ARMS = ["heavy_cavalry", "horse_archers", "crossbowmen", "spearmen", "levies", "engineers", "porters"]


def _army_panels(run, ar, fac):
    """Panels of /armies: strength by faction, each army, and men by arm for each faction."""
    cal = run.calendar
    by_fac = S.army_strength_by_faction(ar, len(fac))
    x = days_of(ar, cal)
    active = np.asarray(ar["active"].values) != 0 if "active" in ar.variables else None
    owner = np.asarray(ar["owner"].values).reshape(-1)

    def p_fac(ax):
        lines(ax, x, by_fac, "faction", fac, [faction_color(i) for i in range(len(fac))])
        time_panel(ax, cal, x, "Army strength by faction (fit fighting men of the active armies)",
                   "soldiers (persons)")
        legend(ax)

    def p_each(ax):
        vals = _values(ar["strength"])
        if active is not None:
            vals = np.where(active, vals, np.nan)
        peak = np.nan_to_num(np.nanmax(np.where(np.isnan(vals), -1, vals), axis=0), nan=-1)
        top = [i for i in np.argsort(-peak)[:10] if peak[i] > 0]
        names = run.names("army")
        for k, i in enumerate(top):
            o = int(owner[i])
            ax.plot(x, vals[:, i], lw=1.3, label=f"{names[i]} ({fac[o] if 0 <= o < len(fac) else '-'})",
                    color=faction_color(o), ls=["-", "--", ":", "-."][k % 4])
        time_panel(ax, cal, x, f"Strength of each army (largest {len(top)})", "soldiers (persons)")
        highest = np.nanmax(np.where(np.isnan(vals), 0, vals)) if vals.size else 0
        ax.set_ylim(0, 1.45 * max(float(highest), 1.0))  # room for the legend above the lines
        legend(ax, ncol=2, fontsize=6.5, loc="upper center")

    panels = [p_fac, p_each]
    arms = [a for a in ARMS if f"strength_{a}" in ar.variables]
    if arms:
        with_armies = [f for f in range(len(fac)) if np.any(owner == f)]
        for f in with_armies[:3]:
            def p_arms(ax, f=f):
                mine = (owner == f)[None, :] & (active if active is not None else True)
                by_arm = [np.where(mine, _values(ar[f"strength_{a}"]), 0).sum(axis=1) for a in arms]
                ax.stackplot(x, by_arm, labels=[a.replace("_", " ") for a in arms],
                             colors=[plt.get_cmap("tab10")(i) for i in range(len(arms))], alpha=0.85)
                time_panel(ax, cal, x, f"{fac[f]} armies: men by arm (porters included)", "men (persons)")
                legend(ax, loc="upper right", fontsize=6.5, ncol=2)
            panels.append(p_arms)
    return panels


def besieged_slots(run):
    """The /sieges slots that are besieged at some row: [(slot, place index, place name)], in the
    order of their first siege; [] when the file has no /sieges or no siege shows in its rows."""
    sg = run.get("sieges")
    if not S.has(sg, "active", "siege_place") or sg.sizes.get("siege", 0) == 0:
        return []
    act = np.asarray(sg["active"].values) != 0
    place = np.asarray(sg["siege_place"].values).astype(int)
    pnames = [n.split(" (")[0] for n in run.names("place")]
    first = {i: int(np.argmax(act[:, i])) for i in range(act.shape[1]) if act[:, i].any()}
    return [(i, int(place[i]), pnames[place[i]] if 0 <= place[i] < len(pnames) else f"siege {i}")
            for i in sorted(first, key=first.get)]


def _while_besieged(sg, name, slot):
    """A /sieges variable of one slot, NaN at the rows it is not besieged."""
    on = np.asarray(sg["active"].values)[:, slot] != 0
    return np.where(on, np.asarray(sg[name].values, dtype=float)[:, slot], np.nan)


#: besieged places drawn one by one at most in a siege panel (the first besieged)
MAX_SIEGE_LINES = 8


def _p_siege_forces(ax, run, sg, slots):
    """The fit fighting men of each besieged place's garrison (solid) and besiegers (dashed)."""
    xs = days_of(sg, run.calendar)
    for k, (i, _p, name) in enumerate(slots[:MAX_SIEGE_LINES]):
        color = f"C{k % 10}"
        ax.plot(xs, _while_besieged(sg, "garrison", i), color=color, lw=1.8, label=f"{name}: garrison")
        ax.plot(xs, _while_besieged(sg, "besiegers", i), color=color, lw=1.4, ls="--",
                label=f"{name}: besiegers")
    more = f"; {len(slots) - MAX_SIEGE_LINES} more places not drawn" if len(slots) > MAX_SIEGE_LINES else ""
    time_panel(ax, run.calendar, xs, f"Sieges: fighting men of the garrison (—) and the besiegers "
               f"(- -){more}", "fit fighting men (persons)")
    ax.set_ylim(bottom=0)
    legend(ax, fontsize=6.5, ncol=2)


def fig_armies(run):
    """Army strengths by faction, per army and by arm, sieges, battles."""
    cal, ar, sg = run.calendar, run.get("armies"), run.get("sieges")
    fac = run.names("faction")
    notes, panels = [], []
    if S.army_strength_by_faction(ar, len(fac)) is not None:
        panels += _army_panels(run, ar, fac)
    elif ar is not None:
        notes.append("no armies in this run (the /armies group has no army or no strength)")
    else:
        notes.append("no armies in this run (the file has no /armies group)")
    slots = besieged_slots(run)
    if slots:
        panels.append(lambda ax: _p_siege_forces(ax, run, sg, slots))
    elif sg is None:
        notes.append("no sieges in this run (the file has no /sieges group)")
    else:
        notes.append("no sieges in this run (/sieges/active is 0 at every row)")
    battles = _battles(run)
    if len(battles):
        panels.append(lambda ax: _p_battles(ax, run, battles))
    else:
        notes.append("no battles in this run (no BATTLE rows in /events)")
    if not panels:
        return None, notes
    fig, axes = grid(len(panels), f"Armies — {run.attrs.get('scenario', '')}")
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


def _p_battles(ax, run, battles):
    """Each battle's losses of the winner and the loser (fit fighting men, all their armies)."""
    cal = run.calendar
    d = battles["day"].to_numpy(float)
    ax.scatter(d, battles["value0"] - battles["value1"], marker="^", color="#2e8b57",
               label="winner's losses", zorder=3)
    ax.scatter(d, battles["value2"] - battles["value3"], marker="v", color="#c0392b",
               label="loser's losses", zorder=3)
    for i, (_, b) in enumerate(battles.head(25).iterrows()):
        who = f"{b['faction_a_name']} beat {b['faction_b_name']}" if b["faction_a_name"] else ""
        ax.annotate(f"{b['place_name'].split(' (')[0]}: {who}", (b["day"], b["value2"] - b["value3"]),
                    fontsize=6, xytext=(4, (4, 12, -10, 20)[i % 4]), textcoords="offset points")
    time_panel(ax, cal, np.array([0, float(run.attrs.get("n_days", d.max()))]),
               f"Battles ({len(battles)}): losses of each side", "losses (persons)")
    top = float(np.nanmax(np.concatenate([battles["value0"] - battles["value1"],
                                          battles["value2"] - battles["value3"]])))
    ax.set_ylim(0, 1.35 * max(top, 1.0))
    legend(ax, loc="upper left", ncol=2)


# --------------------------------------------------------------------- economy

CURRENCY_UNITS = {"cash": "strings", "silver": "taels", "gold": "taels", "silk": "bolts",
                  "grain": "sheng"}


def weighted_quantile(values, weights, q):
    """Quantile q of each row of values (rows, n) weighted by weights (rows, n)."""
    out = np.full(values.shape[0], np.nan)
    for r in range(values.shape[0]):
        w = weights[r]
        if w.sum() <= 0:
            continue
        order = np.argsort(values[r])
        cum = np.cumsum(w[order]) / w.sum()
        out[r] = values[r][order][min(int(np.searchsorted(cum, q)), len(order) - 1)]
    return out


def parameter(run, key):
    """A number from the run's /config table, or None when the run did not record it."""
    p = run.parameters
    try:
        return float(p.loc[key, "value"]) if key in p.index else None
    except ValueError:
        return None


def _economy_food_panels(run, pl, x):
    """Food per head (weighted by population) and the persons who go hungry and starve."""
    cal = run.calendar
    threshold = parameter(run, "demography.famine.threshold")
    food = S.weighted_food(pl, 1.0 if threshold is None else threshold)
    if not food:
        return []

    def p_food(ax):
        fr, pop = _values(pl["food_ratio"]), _values(pl["population"])
        ax.plot(x, _values(food["mean"]), color="black", lw=1.8, label="mean per head")
        ax.plot(x, weighted_quantile(fr, pop, 0.1), color="#c0392b", lw=1.2,
                label="the worst-fed tenth of persons live below")
        ax.axhline(1.0, color="black", lw=0.8, ls="--", label="normal (1)")
        if threshold is not None:
            ax.axhline(threshold, color="#7b3f99", lw=0.8, ls=":",
                       label=f"hunger threshold ({threshold:g}, demography.famine.threshold)")
        time_panel(ax, cal, x, "Food per head (private grain / normal stock; weighted by population)",
                   "food per head / normal (1)")
        shown = np.concatenate([_values(food["mean"]), [1.2]])
        ax.set_ylim(0, min(3.0, max(1.2, 1.05 * float(np.nanmax(shown)))))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.2f}"))
        legend(ax, fontsize=7, loc="lower left")

    def p_hunger(ax):
        below = f"{threshold:g}" if threshold is not None else "1"
        ax.plot(x, _values(food["hungry"]), color="#e67e22", lw=1.6,
                label=f"in places whose food per head is below {below} (living on their reserve)")
        if "famine" in food:
            ax.plot(x, _values(food["famine"]), color="#7b3f99", lw=1.6,
                    label="in places in famine (the poorest cannot buy their ration)")
        time_panel(ax, cal, x, "Persons going hungry", "persons")
        if not any(bool(np.any(_values(da))) for k, da in food.items() if k != "mean"):
            zero_note(ax, food["hungry"], "nobody goes hungry in this run")
        legend(ax, fontsize=7)
    return [p_food, p_hunger]


def _p_price(ax, run, pl, fa, x):
    """Grain prices: median and 10–90 % of places, the capitals."""
    pr = _values(pl["price"])
    lo, med, hi = np.nanpercentile(pr, [10, 50, 90], axis=1)
    ax.fill_between(x, lo, hi, alpha=0.25, color="#d4a017", label="10–90 % of places")
    ax.plot(x, med, color="#8b4513", label="median over places")
    caps = [int(c) for c in np.asarray(fa["capital"].values)] if S.has(fa, "capital") else []
    pnames = run.names("place")
    shown = [hi]
    for c in caps:
        if 0 <= c < pr.shape[1]:
            ax.plot(x, pr[:, c], lw=1, ls="--", label=pnames[c].split(" (")[0])
            shown.append(pr[:, c])
    time_panel(ax, run.calendar, x, "Grain prices", f"price ({S.units(pl['price'])})")
    top = float(np.nanmax(np.concatenate(shown))) if np.isfinite(np.concatenate(shown)).any() else 1
    ax.set_ylim(0, max(top, 1e-9) * 1.08)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.3g}"))
    legend(ax, fontsize=7)


def _grain_panel(run, pl, fa, x, fac):
    """Grain stored by holding faction: private stocks and state granaries, in shi."""
    grain = S.by_owner(pl, "grain", len(fac))
    granary = S.in_currency(fa, "treasury", "grain")
    if grain is None and granary is None:
        return None
    colors = [faction_color(i) for i in range(len(fac))]

    def p_grain(ax):
        drawn = 0
        if grain is not None:
            g = grain / 100.0
            for f in range(len(fac)):
                ax.plot(x, _values(g.isel(faction=f)), color=colors[f], lw=1.6,
                        label=f"{fac[f]}: private stocks in its places")
            drawn += 1
        if granary is not None and bool(granary.any()):
            xf = days_of(fa, run.calendar)
            for f in range(len(fac)):
                ax.plot(xf, _values(granary.isel(faction=f)) / 100.0, color=colors[f], lw=1.2, ls="--",
                        label=f"{fac[f]}: state granaries")
        time_panel(ax, run.calendar, x, "Grain stored, by holding faction", "grain (shi = 100 sheng)")
        if grain is not None:
            zero_note(ax, grain, "no grain stored in any place (all zero in this run)")
        legend(ax, fontsize=7)
    return p_grain


def _p_revenue(ax, run, fa, fac):
    """Revenue and expenditure in cash since the start, by faction (army spending dotted)."""
    xf = days_of(fa, run.calendar)
    for f in range(len(fac)):
        col = faction_color(f)
        for name, label, ls in (("revenue", "revenue", "-"), ("expenditure", "expenditure", "--"),
                                ("expenditure_army", "of it on the army", ":")):
            da = S.in_currency(fa, name, "cash")
            if da is not None and bool(np.any(_values(da.isel(faction=f)))):
                ax.plot(xf, _values(da.isel(faction=f)), color=col, ls=ls, lw=1.5,
                        label=f"{fac[f]}: {label}")
    time_panel(ax, run.calendar, xf, "Revenue and expenditure in cash since the start",
               "cash (strings of 1,000 coins)")
    legend(ax, fontsize=7)


def _currency_panels(run, fa, fac):
    """One panel per currency (grain aside: it is in the grain panel) with any amount in a
    treasury: each faction's treasury."""
    if fa is None:
        return []
    panels, xf = [], days_of(fa, run.calendar)
    units = dict(zip(S.currencies(fa), S.currency_units(fa)))
    names = S.currencies(fa) or [v[len("treasury_"):] for v in fa.data_vars if v.startswith("treasury_")]
    for cur in names:
        da = S.in_currency(fa, "treasury", cur)
        if cur == "grain" or da is None or not bool(np.any(_values(da))):
            continue

        def p_cur(ax, cur=cur, da=da):
            unit = units.get(cur) or CURRENCY_UNITS.get(cur, "1")
            lines(ax, xf, da, "faction", fac, [faction_color(i) for i in range(len(fac))], skip_zero=False)
            time_panel(ax, run.calendar, xf, f"Treasury: {cur}", f"{cur} ({unit})")
            legend(ax, fontsize=7)
        panels.append(p_cur)
    return panels


def tribute_series(fa, fac):
    """The tribute, indemnities and ransoms each faction paid and received since the start, in
    each currency: a list of (faction, account label, currency, its units, cumulative values
    over time), those with any amount."""
    out = []
    units = dict(zip(S.currencies(fa), S.currency_units(fa)))
    for account, label, _ls in S.TRANSFER_ACCOUNTS:
        for cur in S.currencies(fa):
            da = S.in_currency(fa, account, cur)
            if da is None:
                continue
            v = _values(da)
            for f in range(min(len(fac), v.shape[1])):
                if np.any(v[:, f]):
                    out.append((f, label, cur, units.get(cur, ""), v[:, f]))
    return out


def _p_tribute(ax, run, fa, fac, series):
    """Tribute and transfers: one row per faction, account and currency, a marker on each date
    a payment arrived or left (its area ∝ the amount within the currency), labelled with it."""
    xf = days_of(fa, run.calendar)
    biggest = {}
    for _f, _label, cur, _u, v in series:
        biggest[cur] = max(biggest.get(cur, 0.0), float(np.max(np.diff(v, prepend=0.0))))
    rows = []
    for r, (f, label, cur, unit, v) in enumerate(series):
        y = len(series) - 1 - r
        step = np.diff(v, prepend=0.0)
        when = np.flatnonzero(step > 0)
        ax.scatter(xf[when], [y] * len(when), s=20 + 110 * np.sqrt(step[when] / max(biggest[cur], 1.0)),
                   color=faction_color(f), edgecolor="black", lw=0.5, zorder=3,
                   marker="o" if "paid" in label else "s")
        for k, i in enumerate(when[:12]):
            ax.annotate(f"{human(step[i])} {unit}", (xf[i], y), xytext=(7, 5 if k % 2 == 0 else -9),
                        textcoords="offset points", fontsize=6.5)
        rows.append(f"{fac[f]}: {label}, {cur}\n({human(v[-1])} {unit} in all)")
    ax.set_yticks(range(len(series)), rows[::-1], fontsize=6.5)
    ax.set_ylim(-0.7, len(series) - 0.3)
    ax.grid(axis="y", alpha=0)
    ax.set_title("Tribute, indemnities and ransoms: each payment (● paid, ■ received)")
    date_axis(ax, run.calendar, float(xf[0]), float(xf[-1]))


def _p_grain_flow(ax, run, rt):
    """Grain carried on routes since the start, by kind of route."""
    xr_ = days_of(rt, run.calendar)
    kinds = [str(k) for k in rt["route_kind"].values] if "route_kind" in rt.coords else []
    gf = _values(rt["grain_flow"])
    unit = S.units(rt["grain_flow"])
    scale, label = (100.0, "grain (shi = 100 sheng)") if unit == "sheng" else (1.0, f"grain ({unit})")
    for k in sorted(set(kinds)) or ["all"]:
        cols = [i for i, kk in enumerate(kinds) if kk == k] if kinds else list(range(gf.shape[1]))
        if np.any(gf[:, cols]):
            ax.plot(xr_, gf[:, cols].sum(axis=1) / scale, label=f"on {k} routes")
    time_panel(ax, run.calendar, xr_, "Grain carried on routes since the start (trade and shipments)", label)
    zero_note(ax, rt["grain_flow"], "no grain moved on any route")
    legend(ax, fontsize=7)


def fig_economy(run):
    """Grain stocks, food, hunger, prices, revenue, treasuries with tribute, grain on routes."""
    pl, fa, rt = run.get("places"), run.get("factions"), run.get("routes")
    fac = run.names("faction")
    notes, panels = [], []
    x = days_of(pl, run.calendar) if pl is not None else np.array([])
    p_grain = _grain_panel(run, pl, fa, x, fac)
    if p_grain is not None:
        panels.append(p_grain)
    panels += _economy_food_panels(run, pl, x)
    if S.has(pl, "price") and bool(np.any(_values(pl["price"]))):
        panels.append(lambda ax: _p_price(ax, run, pl, fa, x))
    else:
        notes.append("no grain prices in this run (no /places/price, or the economy is off)")
    if S.in_currency(fa, "revenue", "cash") is not None and bool(S.in_currency(fa, "revenue", "cash").any()):
        panels.append(lambda ax: _p_revenue(ax, run, fa, fac))
    cur = _currency_panels(run, fa, fac)
    panels += cur
    if not cur:
        notes.append("no treasuries in this run (no /factions/treasury_<currency> with any amount)")
    tribute = tribute_series(fa, fac) if fa is not None else []
    if tribute:
        panels.append(lambda ax: _p_tribute(ax, run, fa, fac, tribute))
    else:
        notes.append("no tribute in this run (no tribute, indemnity or ransom was paid: "
                     "/factions/tribute_paid, transfers_paid are zero or absent)")
    if S.has(rt, "grain_flow"):
        panels.append(lambda ax: _p_grain_flow(ax, run, rt))
    else:
        notes.append("no grain shipments in this run (the file has no /routes/grain_flow)")
    if not panels:
        return None, notes
    ncols = 3 if len(panels) > 6 else 2
    fig, axes = grid(len(panels), f"Economy — {run.attrs.get('scenario', '')}", ncols=ncols,
                     width=17.0 if ncols == 3 else 12.0)
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


#: flows of a quantity drawn one by one at most; the smaller ones are summed
MAX_FLOWS = 8


def fig_ledger(run):
    """Per conserved quantity: the largest flows cumulated since the start, and stocks by holder."""
    cal, led = run.calendar, run.get("ledger")
    qs = S.ledger_quantities(led)
    if not qs:
        return None, ["no ledger in this file"]
    x = days_of(led, cal)
    fig, axes = grid(2 * len(qs), f"Ledger of conserved quantities — {run.attrs.get('scenario', '')}",
                     row_height=3.0)
    holders = [str(h) for h in led["holder_name"].values] if "holder_name" in led.variables else []
    for qi, q in enumerate(qs):
        unit = S.units(led[q])
        flows = [_flow_label(led, q, i) for i in range(led.sizes[f"{q}_flow"])]
        cum = np.cumsum(_values(led[q]), axis=0)
        size = np.abs(cum).max(axis=0) if len(cum) else np.zeros(len(flows))
        order = [i for i in np.argsort(-size) if size[i] > 0]
        ax = axes[2 * qi]
        for k, i in enumerate(order[:MAX_FLOWS]):
            ax.plot(x, cum[:, i], label=flows[i], lw=1.5, color=plt.get_cmap("tab10")(k % 10))
        rest = order[MAX_FLOWS:]
        if rest:
            ax.plot(x, cum[:, rest].sum(axis=1), color="gray", lw=1, ls=":",
                    label=f"{len(rest)} smaller flows, summed")
        moved = len(order)
        time_panel(ax, cal, x, f"{q}: flows since the start ({moved} of {len(flows)} moved any)",
                   f"amount ({unit})")
        legend(ax, fontsize=6.5, loc="upper left")
        ax = axes[2 * qi + 1]
        stock_name = f"{q}_stock"
        if stock_name in led.variables:
            st = _values(led[stock_name])
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
                  "COURT_MOVES", "RIVER_BREACH", "PLACE_CEDED", "ROUTE_CLOSED", "ROUTE_OPENED",
                  "MARKET_OPENED", "MARKET_CLOSED", "HARVEST_SHOCK", "NOTE"]


#: how a siege ended: SIEGE_END value[0] (docs/OUTPUT.md, /events), and the colour of its bar
SIEGE_OUTCOMES = {1: "stormed", 2: "surrendered", 3: "ransomed", 4: "relieved", 5: "lifted", 6: "ceded"}
SIEGE_COLORS = {"stormed": "#7b1010", "surrendered": "#e67e22", "ransomed": "#7b3f99",
                "relieved": "#2e8b57", "lifted": "#7f8c8d", "ceded": "#8b4513", "ongoing": "#c0392b"}


class Siege(NamedTuple):
    """One siege of a run: the place, its first day, the day it ended (None while it still goes
    on at the end of the run), how it ended ("ongoing" if it has not), the besieging and the
    defending faction, and the civilians shut inside when it began."""
    place: int
    start: float
    end: Optional[float]
    outcome: str
    besieger: int
    defender: int
    civilians: float


def siege_episodes(run):
    """Every siege of a run, in the order they began, from its SIEGE_START and SIEGE_END rows in
    /events: exact days whatever the output interval (a siege of a few days between two rows of
    /sieges is there too). A place is under one siege at a time (one /sieges slot per walled
    place): a SIEGE_END closes the siege open at its place."""
    ev = run.events
    rows = ev[ev["kind"].isin(["SIEGE_START", "SIEGE_END"])]
    out, open_ = [], {}
    for r in rows.itertuples(index=False):
        p = int(r.place)
        if r.kind == "SIEGE_START":
            open_[p] = len(out)
            out.append(Siege(p, float(r.day), None, "ongoing", int(r.faction_a), int(r.faction_b),
                             float(r.value2)))
        elif p in open_:
            k = open_.pop(p)
            out[k] = out[k]._replace(end=float(r.day),
                                     outcome=SIEGE_OUTCOMES.get(int(r.value0), f"outcome {r.value0:g}"))
    return out


def siege_spans(run):
    """Sieges as (place index, first day, last day or None while still going)."""
    return [(s.place, s.start, s.end) for s in siege_episodes(run)]


def event_label(r, width=34):
    """A short label of an event row: "place: text" ("place: WINNER beat LOSER" for a battle),
    cut to width."""
    text = r["text"] or r["faction_a_name"]
    if r["kind"] == "BATTLE" and r["faction_a_name"] and r["faction_b_name"]:
        text = f"{r['faction_a_name']} beat {r['faction_b_name']}"
        if str(r["text"]).startswith("drawn"):
            text = f"drawn, {r['faction_a_name']} and {r['faction_b_name']}"
    parts = [p for p in (r["place_name"].split(" (")[0], text) if p]
    text = ": ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def _day_labels(sel, width=34, window=0.0):
    """One label per day of a kind's events: the event's, or "N events: the first's, ..." when
    several happen on the same day (18 harvest shocks on one day make one label); the same label
    repeated within `window` days is written once, "label (×k)" (a battle fought again and again
    before one city)."""
    out = []
    for day, rows in sel.groupby("day", sort=True):
        first = event_label(rows.iloc[0], width)
        if len(rows) > 1:
            places = sorted({p.split(" (")[0] for p in rows["place_name"] if p})
            first = f"{len(rows)} events at {', '.join(places[:2])}{', …' if len(places) > 2 else ''}" \
                if places else f"{len(rows)} events: {first}"
            first = first if len(first) <= width + 8 else first[: width + 7] + "…"
        if out and out[-1][1] == first and day - out[-1][2] <= window:
            out[-1][2], out[-1][3] = float(day), out[-1][3] + 1
        else:
            out.append([float(day), first, float(day), 1])
    return [(d, t if k == 1 else f"{t} (×{k})") for d, t, _last, k in out]


#: besieged places that get a row of their own in the timeline at most (the others share one)
MAX_SIEGE_ROWS = 10
#: the text of the NOTE rows of terms a besieged city refused (model/siege)
TERMS_REFUSED = "terms refused at "
#: vertical offsets (points) of successive labels on a row, so that neighbours do not overlap
LABEL_OFFSETS = (9, -13, 19, -23, 29, -33, 14, -18)


def _siege_rows(run, sieges):
    """The timeline's rows of sieges: {place: row label}, the besieged places in the order of
    their first siege (after MAX_SIEGE_ROWS, one shared row)."""
    pnames = run.names("place")
    order = list(dict.fromkeys(s.place for s in sieges))
    rows = {p: f"siege: {pnames[p] if 0 <= p < len(pnames) else '?'}" for p in order[:MAX_SIEGE_ROWS]}
    rest = order[MAX_SIEGE_ROWS:]
    for p in rest:
        rows[p] = f"sieges of {len(rest)} other places"
    return rows


def _draw_sieges(ax, run, sieges, rows, y, n_days):
    """Each siege a bar from its first to its last day, coloured by how it ended and labelled
    with it; terms refused (NOTE rows) as crosses on the bar."""
    pnames = [n.split(" (")[0] for n in run.names("place")]
    shared = {p for p, r in rows.items() if r.startswith("sieges of ")}
    labelled = set()
    for k, s in enumerate(sieges):
        end = s.end if s.end is not None else n_days
        yy = y[rows[s.place]]
        ax.barh(yy, max(end - s.start, 0.8), left=s.start, height=0.5, color=SIEGE_COLORS.get(s.outcome, "gray"),
                edgecolor="black", lw=0.5, alpha=0.85, zorder=2,
                label="_nolegend_" if s.outcome in labelled else f"siege {s.outcome}")
        labelled.add(s.outcome)
        what = f"{s.outcome}, {end - s.start + 1:.0f} d" if s.end is not None else "still besieged"
        if s.place in shared:
            what = f"{pnames[s.place]}: {what}"
        ax.annotate(what, (end, yy), xytext=(3, 8 if k % 2 == 0 else -12), textcoords="offset points",
                    fontsize=6.5, color=SIEGE_COLORS.get(s.outcome, "black"), zorder=4,
                    bbox=dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.7))
    ev = run.events
    refused = ev[(ev["kind"] == "NOTE") & ev["text"].astype(str).str.startswith(TERMS_REFUSED) & ev["place"].isin(list(rows))]
    if len(refused):
        ax.scatter(refused["day"], [y[rows[p]] for p in refused["place"]], marker="x", color="black",
                   s=22, lw=1.0, zorder=3, label=f"terms refused ({len(refused)})")
    return refused.index


def fig_timeline(run):
    """Events by kind along the run's dates; each besieged place a row of its own, its sieges as
    bars from start to end coloured by how they ended."""
    cal, ev = run.calendar, run.events
    n_days = float(run.attrs.get("n_days", ev["day"].max() if len(ev) else 1))
    sieges = siege_episodes(run)
    siege_rows = _siege_rows(run, sieges)
    shown = ev[~ev["kind"].isin(["SIEGE_START", "SIEGE_END"])] if sieges else ev
    shown = shown[~((shown["kind"] == "NOTE") & shown["text"].astype(str).str.startswith(TERMS_REFUSED)
                    & shown["place"].isin(list(siege_rows)))]
    kinds = [k for k in TIMELINE_KINDS if k in set(shown["kind"])]
    kinds += sorted(set(shown["kind"]) - set(kinds))
    rows = list(dict.fromkeys(siege_rows.values())) + kinds
    if not rows:
        return None, ["no events in this run (/events is empty)"]
    fig, ax = plt.subplots(figsize=(12, 2.0 + 0.85 * len(rows)), layout="constrained")
    fig.suptitle(f"Events — {run.attrs.get('scenario', '')}", fontsize=12, fontweight="bold")
    y = {k: len(rows) - 1 - i for i, k in enumerate(rows)}
    if sieges:
        _draw_sieges(ax, run, sieges, siege_rows, y, n_days)
    cmap = plt.get_cmap("tab20")
    for k in kinds:
        sel = shown[shown["kind"] == k]
        ax.scatter(sel["day"], [y[k]] * len(sel), s=40, color=cmap(y[k] % 20), edgecolor="black",
                   zorder=3, label=f"{k} ({len(sel)})")
        for i, (day, label) in enumerate(_day_labels(sel, window=n_days / 20)[:40]):
            ax.annotate(label, (day, y[k]), xytext=(4, LABEL_OFFSETS[i % len(LABEL_OFFSETS)]),
                        textcoords="offset points", fontsize=6.5, ha="left",
                        arrowprops=dict(arrowstyle="-", lw=0.4, color="gray"))
    ax.set_yticks([y[k] for k in rows], rows)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_title("one row per kind of event (events of a kind on one day share a label; a label "
                 "repeated soon after is counted: ×k)"
                 + ("\nsieges: one row per besieged place, each siege a bar from its first to its last "
                    "day, coloured by how it ended" if sieges else ""))
    date_axis(ax, cal, 0.0, n_days)
    ax.grid(axis="y", alpha=0)
    legend(ax, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return fig, []


def save(fig, path, dpi=100):
    """Writes a figure as PNG and closes it."""
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
