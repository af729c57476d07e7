"""Figures of an ensemble's report: median and 5–95 % bands over the members, and the
distribution of event dates across members ("day Kaifeng falls")."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from . import series as S  # noqa: E402
from .figures import (CURRENCY_UNITS, HumanFormatter, days_of, faction_color, grid, legend,  # noqa: E402
                      time_panel)

#: event kinds whose dates are compared across members, most telling first
DATE_KINDS = ["CITY_FALLS", "CITY_SURRENDERS", "SACK", "SIEGE_START", "SIEGE_END", "TREATY",
              "RANSOM_PAID", "BATTLE", "COURT_MOVES", "RIVER_BREACH", "PLACE_CEDED", "ROUTE_CLOSED",
              "ROUTE_OPENED", "ARMY_DESTROYED"]

QUANTILES = (5, 50, 95)


def band(ax, x, values, color, label):
    """Median line and 5–95 % band of values (member, time)."""
    v = np.asarray(values, dtype=float)
    lo, med, hi = np.nanpercentile(v, QUANTILES, axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=0.22, lw=0)
    ax.plot(x, med, color=color, lw=1.8, label=f"{label}: median (band 5–95 %)")


def _by_faction_panel(ax, cal, x, da, fac, title, ylabel):
    """Bands of a (member, time, faction) series, one per faction with data."""
    v = np.asarray(da.transpose("member", "time", "faction").values, dtype=float)
    for f in range(v.shape[2]):
        if np.any(v[:, :, f]):
            band(ax, x, v[:, :, f], faction_color(f), fac[f] if f < len(fac) else f"faction {f}")
    time_panel(ax, cal, x, title, ylabel)
    legend(ax)


def _p_bands(ax, cal, series, title, ylabel):
    """Bands of several (member, time) series, one colour each."""
    for i, (label, da) in enumerate(series.items()):
        band(ax, days_of(da, cal), da.transpose("member", "time").values, f"C{i % 10}", label)
    x = days_of(next(iter(series.values())), cal)
    time_panel(ax, cal, x, title, ylabel)
    legend(ax, fontsize=7)


def _currency_bands(ens, fa, fac):
    """Panels of each currency's treasuries (grain aside), and of the tribute, indemnities and
    ransoms paid, by faction, over the members; those with any amount."""
    panels = []
    cal = ens.calendar
    units = dict(zip(S.currencies(fa), S.currency_units(fa)))
    names = S.currencies(fa) or [v[len("treasury_"):] for v in fa.data_vars if v.startswith("treasury_")]
    for account, what in (("treasury", "Treasury"), ("tribute_paid", "Tribute paid since the start"),
                          ("transfers_paid", "Indemnities and ransoms paid since the start")):
        for cur in names:
            da = S.in_currency(fa, account, cur)
            if cur == "grain" or da is None:
                continue
            da = da.compute()
            if not bool(da.any()):
                continue
            unit = units.get(cur) or CURRENCY_UNITS.get(cur, "1")
            panels.append(lambda ax, da=da, t=f"{what}: {cur}", y=f"{cur} ({unit})":
                          _by_faction_panel(ax, cal, days_of(da, cal), da, fac, t, y))
    return panels


def fig_ensemble_series(ens):
    """Bands of population, refugees, deaths, armies and the economy over the members;
    (fig, notes)."""
    cal = ens.calendar
    first = ens.run(ens.ok[0])
    fac = first.names("faction")
    pl, rt, ar, fa = ens.get("places"), ens.get("routes"), ens.get("armies"), ens.get("factions")
    led = ens.get("ledger")
    x = days_of(pl, cal)
    panels, notes = [], []

    def p_total(ax):
        band(ax, x, pl["population"].sum("place").values, "black", "all places")
        time_panel(ax, cal, x, "Population of all places", "population (persons)")
        legend(ax)
    panels.append(p_total)
    pop = S.by_owner(pl, "population", len(fac))
    if pop is not None:
        pop = pop.compute()
        panels.append(lambda ax: _by_faction_panel(ax, cal, x, pop, fac, "Population by holding faction",
                                                   "population (persons)"))
    refugees = {k: v.compute() for k, v in S.refugee_series(pl, rt, led).items()}
    if refugees and any(bool(v.any()) for v in refugees.values()):
        panels.append(lambda ax: _p_bands(ax, cal, refugees, "Refugees", "refugees (persons)"))
    else:
        notes.append("no refugees in these runs")
    deaths = {k: v.compute() for k, v in S.deaths_by_cause(pl, led).items()}
    if deaths:
        panels.append(lambda ax: _p_bands(ax, cal, deaths, "Deaths since the start, by cause",
                                          "deaths (persons)"))
    strength = S.army_strength_by_faction(ar, len(fac))
    if strength is not None:
        strength = strength.compute()
        xa = days_of(ar, cal)
        panels.append(lambda ax: _by_faction_panel(ax, cal, xa, strength, fac, "Army strength by faction",
                                                   "soldiers (persons)"))
    else:
        notes.append("no armies in these runs")
    grain = S.by_owner(pl, "grain", len(fac))
    if grain is not None and bool(grain.any()):
        grain = (grain / 100.0).compute()
        panels.append(lambda ax: _by_faction_panel(ax, cal, x, grain, fac, "Grain stored, by holding faction",
                                                   "grain (shi)"))
    if S.has(pl, "price") and bool(pl["price"].any()):
        def p_price(ax):
            band(ax, x, pl["price"].median("place").transpose("member", "time").values, "#8b4513",
                 "median price over places")
            time_panel(ax, cal, x, "Grain prices", f"price ({S.units(pl['price'])})")
            legend(ax)
        panels.append(p_price)
    else:
        notes.append("no grain prices in these runs")
    if fa is not None:
        panels += _currency_bands(ens, fa, fac)
    fig, axes = grid(len(panels), f"Ensemble of {len(ens.ok)} runs — median and 5–95 % of members",
                     ncols=3 if len(panels) > 6 else 2, width=17.0 if len(panels) > 6 else 12.0)
    for p, ax in zip(panels, axes):
        p(ax)
    return fig, notes


def event_dates(ens):
    """First day of each (kind, place) event in each member: a DataFrame with columns kind,
    place, place_name, member, day; members without the event are absent."""
    ev = ens.events()
    if ev.empty:
        return ev
    ev = ev[ev["kind"].isin(DATE_KINDS)]
    return ev.groupby(["kind", "place", "place_name", "member"], as_index=False)["day"].min()


def fig_event_dates(ens, max_panels=12):
    """Histograms of the day each event happens across members; (fig or None, notes)."""
    firsts = event_dates(ens)
    if firsts.empty:
        return None, ["no dated events (sieges, falls, treaties, battles, cessions) in these runs"]
    cal = ens.calendar
    n = len(ens.ok)
    rank = {k: i for i, k in enumerate(DATE_KINDS)}
    keys = (firsts.groupby(["kind", "place", "place_name"]).size().reset_index(name="count")
            .assign(r=lambda d: d["kind"].map(rank)).sort_values(["r", "count"], ascending=[True, False]))
    keys = keys.head(max_panels)
    fig, axes = grid(len(keys), f"Dates of events across {n} members", ncols=3, row_height=3.0)
    n_days = float(ens.run(ens.ok[0]).attrs.get("n_days", firsts["day"].max()))
    for ax, (_, k) in zip(axes, keys.iterrows()):
        d = firsts[(firsts["kind"] == k["kind"]) & (firsts["place"] == k["place"])]["day"].to_numpy(float)
        lo, hi = max(0.0, d.min() - 15), min(n_days, d.max() + 15)
        if hi - lo < 30:
            lo, hi = max(0.0, lo - 15), hi + 15
        width = max(1.0, float(np.ceil((hi - lo) / 40)))
        ax.hist(d, bins=np.arange(lo, hi + width, width), color="#1f4e99", alpha=0.8,
                label=f"in {len(d)} of {n} members ({width:g}-day bins)")
        ax.axvline(np.median(d), color="black", ls="--", lw=1, label=f"median {cal.label(np.median(d))}")
        where = f" at {k['place_name'].split(' (')[0]}" if k["place_name"] else ""
        time_panel(ax, cal, np.array([lo, hi]), f"{k['kind']}{where}", "members")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(HumanFormatter())
        legend(ax, fontsize=7)
    return fig, []


def modal_owner(ens, day_row=-1):
    """The owner most members give each place at a row, its share of members, and the median
    population: (owner[place], share[place], population[place])."""
    pl = ens["places"]
    own = np.asarray(pl["owner"].isel(time=day_row).values)
    pop = np.nanmedian(np.asarray(pl["population"].isel(time=day_row).values, dtype=float), axis=0)
    owner = np.empty(own.shape[1], int)
    share = np.empty(own.shape[1])
    for p in range(own.shape[1]):
        vals, counts = np.unique(own[:, p], return_counts=True)
        owner[p] = vals[np.argmax(counts)]
        share[p] = counts.max() / own.shape[0]
    return owner, share, pop


def close(fig):
    """Closes a figure."""
    plt.close(fig)
