"""Maps of a run: places coloured by owner and sized by population, the scenario's roads, rivers
and canals, army tracks, refugee flows, sieges — one map per chosen date and an animated GIF.

Cartopy is used with its bundled offline data only (``ax.stock_img()`` and the coarse GSHHS
coastline, ``GSHHSFeature(scale="c", levels=[1])``): ``ax.coastlines()``, finer GSHHS scales and
Natural Earth features download their data, and there is no network where the engine runs.
"""
import cartopy.crs as ccrs
import cartopy.feature as cfeature
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from . import series as S  # noqa: E402
from .figures import days_of, faction_color, human  # noqa: E402

PC = ccrs.PlateCarree()

#: how each kind of route is drawn: (colour, width, line style, legend label)
ROUTE_STYLE = {
    "road": ("#6d4c41", 0.9, "-", "road"),
    "track": ("#6d4c41", 0.7, ":", "track"),
    "pass": ("#4e342e", 0.9, "-.", "mountain pass"),
    "river": ("#1565c0", 2.2, "-", "river route"),
    "canal": ("#00838f", 2.2, "--", "canal"),
    "crossing": ("#0d47a1", 2.6, ":", "river crossing"),
}

#: places labelled on a map at most (the most populous, capitals always)
MAX_LABELS = 40
#: a place farther than this many times the median distance of the places from their median
#: position is left out of the map's frame (named in the legend)
OUTLIER_FACTOR = 3.0


def _nearest_row(days, day):
    """The last row at or before day (0 if day is before the first)."""
    i = int(np.searchsorted(days, day, side="right")) - 1
    return max(0, min(i, len(days) - 1))


class MapData:
    """What the maps of a run draw, read once: places, routes, owners and populations by row,
    army positions, sieges, refugee flows.

    :param run: a :class:`jinsong_analysis.load.Run`
    """

    def __init__(self, run):
        self.run = run
        cal = run.calendar
        pl = run["places"]
        self.days = days_of(pl, cal)
        self.lat = np.asarray(pl["lat"].values, dtype=float)
        self.lon = np.asarray(pl["lon"].values, dtype=float)
        self.names = run.names("place")
        self.kind = [str(k) for k in pl["kind"].values] if "kind" in pl.coords else [""] * len(self.lat)
        self.owner = np.asarray(pl["owner"].values) if "owner" in pl.variables else \
            np.full((len(self.days), len(self.lat)), -1)
        self.pop = np.asarray(pl["population"].values, dtype=float)
        self.factions = run.names("faction")
        fa = run.get("factions")
        self.capitals = set(int(c) for c in np.asarray(fa["capital"].values) if 0 <= c < len(self.lat)) \
            if S.has(fa, "capital") else set()
        self._routes(run.get("routes"))
        self._armies(run.get("armies"))
        self._tracks(run.get("tracks"))
        self.danger = np.asarray(pl["in_danger"].values) != 0 if "in_danger" in pl.variables else None
        self.siege_at, self.siege_list = _siege_rows(run, self.days)
        self.sieges = None if self.siege_at is None else self.siege_at >= 0
        self.od, self.od_label = _od_flows(run)
        self.settled = np.asarray(pl["refugees_settled"].values, dtype=float) \
            if "refugees_settled" in pl.variables else None

    def _routes(self, rt):
        """Route ends, kinds and the closed flag by row."""
        if rt is None:
            self.r_from = self.r_to = np.array([], int)
            self.r_kind, self.r_closed, self.r_refugees, self.r_days = [], None, None, self.days
            return
        self.r_from = np.asarray(rt["route_from"].values, dtype=int)
        self.r_to = np.asarray(rt["route_to"].values, dtype=int)
        self.r_kind = [str(k) for k in rt["route_kind"].values]
        self.r_km = np.asarray(rt["km"].values, dtype=float) if "km" in rt.variables else None
        self.r_days = days_of(rt, self.run.calendar)
        self.r_closed = np.asarray(rt["closed"].values) if "closed" in rt.variables else None
        self.r_refugees = np.asarray(rt["refugees_travelling"].values, dtype=float) \
            if "refugees_travelling" in rt.variables else None

    def _on_routes(self, place, route, km):
        """Positions (lat, lon) of things at a place (``place`` ≥ 0) or on a route (``route`` ≥ 0,
        ``km`` from the route's ``route_from`` end, as /armies/km_on_route and /tracks/km are
        written); NaN where neither (not raised yet, not fled yet, gone)."""
        n_places = len(self.lat)
        at = (place >= 0) & (place < n_places)
        idx = np.where(at, place, 0).astype(int)
        lat = np.where(at, self.lat[idx], np.nan)
        lon = np.where(at, self.lon[idx], np.nan)
        if len(self.r_from):
            on = ~at & (route >= 0) & (route < len(self.r_from))
            r = route[on].astype(int)
            a, b = self.r_from[r], self.r_to[r]
            length = self.r_km[r] if self.r_km is not None else np.ones(len(r))
            f = np.clip(np.nan_to_num(km[on] / np.maximum(length, 1e-9)), 0, 1)
            lat[on] = self.lat[a] + f * (self.lat[b] - self.lat[a])
            lon[on] = self.lon[a] + f * (self.lon[b] - self.lon[a])
        return lat, lon

    def _armies(self, ar):
        """Army positions (lat, lon) by row: at their place, or along their route."""
        self.a_lat = self.a_lon = None
        if not S.has(ar, "location") or ar.sizes.get("army", 0) == 0:
            return
        self.a_days = days_of(ar, self.run.calendar)
        loc = np.asarray(ar["location"].values, dtype=float)
        route = np.asarray(ar["route"].values, dtype=float) if "route" in ar.variables \
            else np.full(loc.shape, -1.0)
        km = np.asarray(ar["km_on_route"].values, dtype=float) if "km_on_route" in ar.variables \
            else np.zeros(loc.shape)
        lat, lon = self._on_routes(loc, route, km)
        if "active" in ar.variables:
            off = np.asarray(ar["active"].values) == 0
            lat[off] = lon[off] = np.nan
        self.a_lat, self.a_lon = lat, lon
        self.a_strength = np.asarray(ar["strength"].values, dtype=float) if "strength" in ar.variables \
            else np.ones(loc.shape)
        own = np.asarray(ar["owner"].values) if "owner" in ar.variables else np.full(loc.shape[1], -1)
        self.a_owner = own if own.ndim == 2 else np.broadcast_to(own, loc.shape)
        self.a_names = self.run.names("army")

    def _tracks(self, tr):
        """Positions of the refugee agents followed in /tracks, by row, and whether each is on
        the move (on the road, moving on, queueing) that day."""
        self.t_lat = None
        if not S.has(tr, "place", "route", "state") or tr.sizes.get("track", 0) == 0:
            return
        self.t_days = days_of(tr, self.run.calendar)
        place = np.asarray(tr["place"].values, dtype=float)
        route = np.asarray(tr["route"].values, dtype=float)
        km = np.asarray(tr["km"].values, dtype=float) if "km" in tr.variables else np.zeros(place.shape)
        self.t_lat, self.t_lon = self._on_routes(place, route, km)
        state = np.asarray(tr["state"].values)
        self.t_moving = np.isin(state, (0, 2, 3))
        self.t_shown = (state >= 0) & (state <= 4)

    def framed(self):
        """The places the map frames: all but the far-off ones (with 8 places or more, a place
        more than OUTLIER_FACTOR times the median distance from the median position, so that one
        distant capital does not shrink the theatre of war to a corner)."""
        ok = np.isfinite(self.lat) & np.isfinite(self.lon)
        if ok.sum() < 8:
            return ok
        dist = np.hypot(self.lat - np.nanmedian(self.lat), self.lon - np.nanmedian(self.lon))
        limit = OUTLIER_FACTOR * max(float(np.nanmedian(dist[ok])), 0.5)
        return ok & (dist <= limit)

    def outside(self):
        """Names of the places the map leaves out of its frame (:meth:`framed`)."""
        inside = self.framed()
        return [self.names[i].split(" (")[0] for i in range(len(self.lat))
                if not inside[i] and np.isfinite(self.lat[i])]

    def extent(self):
        """Map extent (lon0, lon1, lat0, lat1) around the framed places, at least 4 degrees wide."""
        inside = self.framed()
        lon, lat = self.lon[inside], self.lat[inside]
        lo0, lo1 = np.nanmin(lon), np.nanmax(lon)
        la0, la1 = np.nanmin(lat), np.nanmax(lat)
        pad_lo = max(1.0, 0.08 * (lo1 - lo0), (4 - (lo1 - lo0)) / 2)
        pad_la = max(1.0, 0.08 * (la1 - la0), (4 - (la1 - la0)) / 2)
        return [lo0 - pad_lo, lo1 + pad_lo, max(-89, la0 - pad_la), min(89, la1 + pad_la)]

    def size(self, pop):
        """Marker area (points^2) of a population."""
        ref = max(np.nanmax(self.pop), 1.0)
        return 12 + 600 * np.sqrt(np.maximum(pop, 0) / ref)


def _siege_rows(run, days):
    """Sieges under way at each row: a (rows, places) array of the index into ``sieges`` of the
    siege at the place on the row's day (−1 for none), and the sieges
    (:func:`jinsong_analysis.figures.siege_episodes`); (None, []) when the run has none. Row t
    is the state after t days, events are dated by the day they happen in (0 = the start date):
    a siege from day s to day e shows in the rows s < t ≤ e, as /sieges/active says."""
    from .figures import siege_episodes

    sieges = siege_episodes(run)
    if not sieges:
        return None, []
    n = len(run.names("place"))
    at = np.full((len(days), n), -1)
    for k, s in enumerate(sieges):
        if 0 <= s.place < n:
            end = s.end if s.end is not None else np.inf
            at[(days > s.start) & (days <= end), s.place] = k
    return at, sieges


def _od_flows(run):
    """The refugee origin→destination matrix by year, if a group holds one: ((years, O, D) array
    with the years, label) or (None, "")."""
    n = len(run.names("place"))
    for g in run.group_names:
        ds = run.get(g)
        if ds is None:
            continue
        for v in ds.data_vars:
            dims = ds[v].dims
            if "origin" in dims and "destination" in dims and ds.sizes["origin"] == n \
                    and ds.sizes["destination"] == n:
                da = ds[v]
                year_dim = next((d for d in dims if d not in ("origin", "destination")), None)
                if year_dim is None:
                    return (np.array([np.inf]), np.asarray(da.values, float)[None]), f"/{g}/{v}"
                years = np.asarray(ds[year_dim].values, dtype=float)
                vals = np.asarray(da.transpose(year_dim, "origin", "destination").values, float)
                return (years, vals), f"/{g}/{v}"
    return None, ""


def draw_static(ax, md):
    """Background, coasts, routes and place names: what does not change with the date."""
    ax.set_extent(md.extent(), crs=PC)
    ax.stock_img()
    ax.add_feature(cfeature.GSHHSFeature(scale="c", levels=[1]), facecolor="none",
                   edgecolor="#37474f", lw=0.6)
    gl = ax.gridlines(draw_labels=True, lw=0.3, color="gray", alpha=0.5)
    gl.top_labels = gl.right_labels = False
    seen = set()
    for i in range(len(md.r_from)):
        a, b, k = md.r_from[i], md.r_to[i], md.r_kind[i]
        col, w, ls, label = ROUTE_STYLE.get(k, ("#6d4c41", 0.8, "-", k))
        ax.plot([md.lon[a], md.lon[b]], [md.lat[a], md.lat[b]], color=col, lw=w, ls=ls,
                alpha=0.85, transform=PC, zorder=2, label=None if k in seen else label)
        seen.add(k)
    big = set(np.argsort(-np.nan_to_num(md.pop[0]))[:MAX_LABELS]) | md.capitals
    for i, name in enumerate(md.names):
        if i in big or len(md.names) <= MAX_LABELS:
            ax.text(md.lon[i] + 0.08, md.lat[i] + 0.08, name.split(" (")[0], fontsize=6.5,
                    transform=PC, zorder=6, clip_on=True,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.55))


def draw_dynamic(ax, md, day, owner=None, pop=None, annotate=""):
    """Everything that depends on the date; returns the artists drawn (to remove them).

    :param owner: owner per place to use instead of the run's at that day (ensemble maps)
    :param pop: population per place to use instead of the run's
    :param annotate: text added under the date
    """
    row = _nearest_row(md.days, day)
    owner = md.owner[row] if owner is None else owner
    pop = md.pop[row] if pop is None else pop
    arts = []
    if md.r_closed is not None:
        rr = _nearest_row(md.r_days, day)
        for i in np.flatnonzero(md.r_closed[rr]):
            a, b = md.r_from[i], md.r_to[i]
            arts += ax.plot([md.lon[a], md.lon[b]], [md.lat[a], md.lat[b]], color="red", lw=2.5,
                            ls=(0, (1, 1)), transform=PC, zorder=3)
    if md.r_refugees is not None:
        rr = _nearest_row(md.r_days, day)
        ref = md.r_refugees[rr]
        top = ref.max() if ref.size else 0
        for i in np.flatnonzero(ref > 0):
            a, b = md.r_from[i], md.r_to[i]
            arts += ax.plot([md.lon[a], md.lon[b]], [md.lat[a], md.lat[b]], color="#ff9800",
                            lw=1 + 7 * ref[i] / top, alpha=0.6, transform=PC, zorder=3,
                            solid_capstyle="round")
    if md.od is not None:
        arts += _draw_od(ax, md, day)
    if md.t_lat is not None:
        arts += _draw_tracks(ax, md, day)
    if md.a_lat is not None:
        arts += _draw_armies(ax, md, day)
    if md.danger is not None and md.danger[row].any():
        on = md.danger[row]
        arts.append(ax.scatter(md.lon[on], md.lat[on], s=md.size(pop[on]) + 90, facecolor="none",
                               edgecolor="#d50000", lw=1.2, ls="--", transform=PC, zorder=4))
    if md.sieges is not None:
        arts += _draw_sieges(ax, md, row, pop)
    colors = [faction_color(int(o)) for o in owner]
    arts.append(ax.scatter(md.lon, md.lat, s=md.size(pop), c=colors, edgecolor="black", lw=0.6,
                           transform=PC, zorder=4))
    caps = sorted(md.capitals)
    if caps:
        arts.append(ax.scatter(md.lon[caps], md.lat[caps], s=18, marker="s", color="gold",
                               edgecolor="black", lw=0.5, transform=PC, zorder=5))
    arts.append(ax.set_title(f"{md.run.attrs.get('scenario', '')}: "
                             f"{md.run.calendar.label(md.days[row])} ({md.run.calendar.calendar})"
                             + (f"\n{annotate}" if annotate else ""), fontsize=10))
    return arts


def _draw_sieges(ax, md, row, pop):
    """Places under siege on the row's day: a thick red ring around the place, drawn above the
    armies before its walls, and a label: besieged by whom, since when."""
    on = md.sieges[row]
    if not on.any():
        return []
    arts = [ax.scatter(md.lon[on], md.lat[on], s=md.size(pop[on]) + 260, marker="o", facecolor="none",
                       edgecolor="#b71c1c", lw=3.2, transform=PC, zorder=7)]
    for p in np.flatnonzero(on):
        s = md.siege_list[md.siege_at[row, p]]
        who = md.factions[s.besieger] if 0 <= s.besieger < len(md.factions) else "?"
        days = md.days[row] - s.start  # as /sieges/days
        arts.append(ax.text(md.lon[p], md.lat[p] - 0.22, f"besieged by {who}\nday {days:.0f}", fontsize=6.5,
                            color="white", fontweight="bold", ha="center", va="top", transform=PC,
                            zorder=8, clip_on=True,
                            bbox=dict(boxstyle="round,pad=0.15", fc="#b71c1c", ec="none", alpha=0.85)))
    return arts


def army_offsets(lat, lon, step=0.3):
    """Longitude offsets (degrees) that set armies at one spot side by side (a besieger and the
    garrison of a city, armies met in battle), so that none hides another; 0 for an army alone."""
    off = np.zeros(len(lat))
    seen = {}
    for a in np.flatnonzero(~np.isnan(lat)):
        seen.setdefault((round(float(lat[a]), 3), round(float(lon[a]), 3)), []).append(a)
    for group in seen.values():
        for k, a in enumerate(group):
            off[a] = (k - (len(group) - 1) / 2) * step
    return off


def _draw_armies(ax, md, day):
    """Army tracks up to the date and their positions on it (armies at one spot side by side)."""
    arts = []
    i1 = _nearest_row(md.a_days, day)
    ref = max(np.nanmax(md.a_strength), 1.0) if md.a_strength.size else 1.0
    off = army_offsets(md.a_lat[i1], md.a_lon[i1])
    for a in range(md.a_lat.shape[1]):
        la, lo = md.a_lat[: i1 + 1, a], md.a_lon[: i1 + 1, a]
        if np.all(np.isnan(la)):
            continue
        col = faction_color(int(md.a_owner[i1, a]))
        arts += ax.plot(lo, la, color=col, lw=1.8, alpha=0.9, transform=PC, zorder=4)
        if not np.isnan(la[-1]):
            s = 20 + 300 * np.sqrt(max(md.a_strength[i1, a], 0) / ref)
            arts.append(ax.scatter([lo[-1] + off[a]], [la[-1]], s=s, marker="D", color=col, edgecolor="white",
                                   lw=1.0, transform=PC, zorder=6))
    return arts


def _draw_tracks(ax, md, day):
    """The refugee agents followed (/tracks) where they are on the date: on the move or staying."""
    i = _nearest_row(md.t_days, day)
    arts = []
    for moving, color in ((False, "#6d4c41"), (True, "#ff6f00")):
        sel = md.t_shown[i] & (md.t_moving[i] == moving) & ~np.isnan(md.t_lat[i])
        if sel.any():
            arts.append(ax.scatter(md.t_lon[i, sel], md.t_lat[i, sel], s=7, marker=".", color=color,
                                   alpha=0.8, transform=PC, zorder=5))
    return arts


def od_until(md, day):
    """Refugees settled by origin × destination from the start to a day: the /migration years
    before the day's year, and of that year each destination's flows scaled to what it had
    settled by the day (/places/refugees_settled, cumulative, at the last row at or before the
    day), so that a map does not show the settlements of the rest of the year."""
    years, vals = md.od
    if not np.isfinite(years).all():
        return vals.sum(axis=0)
    y = md.run.calendar.date(day).year
    upto = vals[years < y].sum(axis=0)
    cur = vals[years == y].sum(axis=0)
    if md.settled is not None and cur.any():
        s0 = upto.sum(axis=0)                       # settled in each place before the year
        this_year = cur.sum(axis=0)
        by_day = md.settled[_nearest_row(md.days, day)] - s0
        frac = np.clip(by_day / np.where(this_year > 0, this_year, 1), 0, 1)
        cur = cur * frac[None, :]
    return upto + cur


def _draw_od(ax, md, day):
    """Refugee flows origin → destination up to the date, as arrows weighted by persons (widths
    on one scale for every date of the run)."""
    upto = od_until(md, day)
    np.fill_diagonal(upto, 0)
    if not upto.any():
        return []
    total = md.od[1].sum(axis=0)
    np.fill_diagonal(total, 0)
    top = max(total.max(), 1.0)
    arts = []
    order = np.dstack(np.unravel_index(np.argsort(-upto, axis=None), upto.shape))[0][:30]
    for o, d in order:
        if upto[o, d] <= 0:
            break
        arrow = FancyArrowPatch((md.lon[o], md.lat[o]), (md.lon[d], md.lat[d]),
                                arrowstyle="-|>", mutation_scale=8 + 8 * upto[o, d] / top,
                                lw=0.6 + 4.5 * upto[o, d] / top, color="#ef6c00", alpha=0.65,
                                connectionstyle="arc3,rad=0.15", zorder=5)
        ax.add_patch(arrow)
        arts.append(arrow)
    return arts


def legend_handles(md):
    """Legend entries: owners, route kinds, markers."""
    h = []
    owners = sorted(set(int(o) for o in np.unique(md.owner)))
    for o in owners:
        h.append(Line2D([], [], marker="o", ls="", color=faction_color(o), markeredgecolor="black",
                        label=f"held by {md.factions[o]}" if 0 <= o < len(md.factions) else "no owner"))
    ref = max(np.nanmax(md.pop), 1.0)
    for frac in (1.0, 0.1, 0.01):
        h.append(Line2D([], [], marker="o", ls="", color="white", markeredgecolor="black",
                        markersize=np.sqrt(md.size(ref * frac)), label=f"{human(ref * frac)} persons"))
    for k in sorted(set(md.r_kind)):
        col, w, ls, label = ROUTE_STYLE.get(k, ("#6d4c41", 0.8, "-", k))
        h.append(Line2D([], [], color=col, lw=w, ls=ls, label=label))
    if md.r_closed is not None and md.r_closed.any():
        h.append(Line2D([], [], color="red", lw=2.5, ls=(0, (1, 1)), label="route closed"))
    if md.capitals:
        h.append(Line2D([], [], marker="s", ls="", color="gold", markeredgecolor="black", label="capital"))
    if md.a_lat is not None:
        h.append(Line2D([], [], marker="D", color="gray", markeredgecolor="white",
                        label="army (track; size = strength;\nat one place: side by side)"))
    if md.sieges is not None:
        h.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="#b71c1c",
                        markeredgewidth=2.5, markersize=12, label="under siege (besieger, day of the siege)"))
    if md.danger is not None and md.danger.any():
        h.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="#d50000",
                        markersize=10, label="in danger (refugees flee)"))
    if md.t_lat is not None:
        h.append(Line2D([], [], marker=".", ls="", color="#ff6f00", label="refugee agent followed, moving"))
        h.append(Line2D([], [], marker=".", ls="", color="#6d4c41", label="refugee agent followed, staying"))
    if md.r_refugees is not None:
        h.append(Line2D([], [], color="#ff9800", lw=4, alpha=0.6, label="refugees on the route"))
    if md.od is not None:
        h.append(Line2D([], [], color="#ef6c00", lw=3, marker=">",
                        label=f"refugees settled, from → to\n(width = persons; {md.od_label})"))
    outside = md.outside()
    if outside:
        h.append(Line2D([], [], ls="", label="beyond the frame:\n" + "\n".join(outside[:4])
                        + ("\n…" if len(outside) > 4 else "")))
    return h


def new_map(md, width=11.0):
    """A figure with a GeoAxes, the static layers drawn, and the legend in a panel on its right
    (placed by hand: constrained layout does not see cartopy's grid labels)."""
    lo0, lo1, la0, la1 = md.extent()
    aspect = (la1 - la0) / max(lo1 - lo0, 1e-6)
    height = max(5.5, min(11.0, width * 0.66 * aspect + 1.0))
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes([0.06, 0.05, 0.68, 0.88], projection=PC)
    draw_static(ax, md)
    lax = fig.add_axes([0.77, 0.05, 0.22, 0.88])
    lax.axis("off")
    lax.legend(handles=legend_handles(md), loc="upper left", fontsize=7, title="legend",
               frameon=True, labelspacing=1.1, borderpad=0.8)
    return fig, ax


def fig_map(md, day, owner=None, pop=None, annotate=""):
    """The map at one date."""
    fig, ax = new_map(md)
    draw_dynamic(ax, md, day, owner, pop, annotate)
    return fig


def animate(md, path, frames=24, fps=3, dpi=70):
    """An animated GIF of the map over the run (frames spread evenly over its rows).

    :param md: MapData
    :param path: GIF path
    :param frames: number of frames
    :param fps: frames per second
    :param dpi: resolution
    """
    fig, ax = new_map(md, width=10.0)
    days = np.unique(np.linspace(md.days[0], md.days[-1], max(2, frames)).round())
    state = {"arts": []}

    def update(day):
        for a in state["arts"]:
            if hasattr(a, "remove") and a is not ax.title:
                a.remove()
        state["arts"] = [a for a in draw_dynamic(ax, md, day) if a is not ax.title]
        return state["arts"]

    anim = FuncAnimation(fig, update, frames=list(days), blit=False, repeat=False)
    anim.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    plt.close(fig)
    return len(days)
