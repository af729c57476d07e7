"""Scalar outputs of a run: a variable at a date (or reduced over time) with a selection of
entities, the day of an event, or an ensemble's summary column. The scorecard and the
sensitivity analysis evaluate the same things.

Spec strings (command line, ``sensitivity --output``)::

    places/population@end                       total population at the last row
    places/population[place=kaifeng]@1126-06-01  one place at a date (nearest row before it)
    factions/tribute_paid[faction=song;currency=silver]@end   an account in one currency
    factions/population[faction=song]:min       lowest value over the run
    armies/strength[army=jin_east,jin_west]:max  two armies summed, highest over time
    event:CITY_FALLS:kaifeng                    day of the first CITY_FALLS at kaifeng (NaN if none)
    event:SIEGE_START:kaifeng@1126-06-01        the first one on or after a date (..TO: and before TO)
    battle_losses:jin@1140-01-01..1142-01-01    fighting men a faction lost in BATTLE rows (window optional)
    summary:final_population                    the members table's summary__final_population
"""
import re

import numpy as np

from .errors import UserError

REDUCERS = ("max", "min", "mean", "sum", "start", "end")

#: dimensions whose entities have ids and names in their group (the others, ``class`` and
#: ``currency``, are named by a ``<dim>_name`` coordinate)
ENTITY_DIMS = ("place", "faction", "route", "army", "siege")

_SPEC = re.compile(r"^(?P<var>[A-Za-z0-9_]+/[A-Za-z0-9_]+)(?:\[(?P<sel>[^\]]*)\])?"
                   r"(?:@(?P<date>[^:]+))?(?::(?P<red>[a-z]+))?$")


def parse_select(text, where=None):
    """``place=kaifeng,zhengzhou;class=elite`` → {"place": ["kaifeng", "zhengzhou"], "class": ["elite"]}."""
    out = {}
    if not text:
        return out
    for part in text.split(";"):
        if "=" not in part:
            raise UserError(f'selection "{part}" is not DIM=ID[,ID...]', where)
        dim, ids = part.split("=", 1)
        out[dim.strip()] = [i.strip() for i in ids.split(",") if i.strip()]
    return out


def _entity_index(run, dim, key, where):
    """Index of an entity along a dimension: places, factions, armies, ... by id/name/index;
    other dimensions (``class``, ``currency``) by index here, by name in :func:`select`."""
    if isinstance(key, str) and key.lstrip("-").isdigit():
        key = int(key)
    if dim in ENTITY_DIMS:
        return run.index_of(dim, key, where)
    return key


def select(run, variable, sel=None, where=None, stacked=None):
    """A variable with entities selected (lists summed) and other entity dims summed: a
    DataArray over time (or a scalar for variables without time); over (member, time) when
    taken from an ensemble's stacked group.

    :param run: a Run (its ids and names resolve the selection)
    :param variable: ``GROUP/VARIABLE``
    :param sel: {dim: id or [ids]}
    :param where: location for error messages
    :param stacked: an ensemble to take the group from (stacked by member) instead of the run
    """
    if "/" not in str(variable):
        raise UserError(f'variable "{variable}" is not GROUP/VARIABLE (e.g. places/population)', where)
    group, name = str(variable).split("/", 1)
    ds = run.get(group) if stacked is None or run.get(group) is None else stacked.get(group)
    if ds is None or name not in ds.variables:
        have = ", ".join(sorted(v for v in ds.data_vars)) if ds is not None else ""
        raise UserError(f"{run.path} has no /{group}/{name}", where,
                        f"variables of /{group}: {have}" if have else f"this run has no /{group} group")
    da = ds[name]
    for dim, keys in (sel or {}).items():
        if dim not in da.dims:
            raise UserError(f"/{group}/{name} has no dimension {dim} (its dims: {', '.join(da.dims)})", where)
        keys = keys if isinstance(keys, list) else [keys]
        idx = []
        for k in keys:
            named = dim not in ENTITY_DIMS and f"{dim}_name" in ds.coords
            if named and isinstance(k, str) and not k.isdigit():
                names = [str(c) for c in ds[f"{dim}_name"].values]
                if k not in names:
                    raise UserError(f'no {dim} "{k}"', where, f"use one of: {', '.join(names)}")
                idx.append(names.index(k))
            else:
                idx.append(int(_entity_index(run, dim, k, where)))
        da = da.isel({dim: idx}).sum(dim)
    rest = [d for d in da.dims if d not in ("time", "member")]
    return da.sum(rest) if rest else da


def at_day_row(run, da, day):
    """The values of a DataArray over time at a day (the last row at or before it), as numpy."""
    from .figures import days_of

    days = days_of(da, run.calendar)
    i = max(0, int(np.searchsorted(days, day + 1e-9, side="right")) - 1)
    return np.asarray(da.isel(time=i).values)


def at_day(run, da, day):
    """The value of a time series at a day: the last row at or before it."""
    return float(at_day_row(run, da, day))


def reduce_time(run, da, how):
    """A time series reduced: max, min, mean, sum, start (first row), end (last row)."""
    if "time" not in da.dims:
        return float(da.values)
    if how == "start":
        return float(da.isel(time=0).values)
    if how == "end":
        return float(da.isel(time=-1).values)
    return float(getattr(da, how)("time").values)


def _window(run, text, where):
    """``FROM[..TO]`` as (first day, day after the last) since the run's start; (None, None)."""
    if not text:
        return None, None
    cal = run.calendar
    lo, _, hi = text.partition("..")
    start = cal.day(cal.parse(lo.strip(), where)) if lo.strip() else None
    end = cal.day(cal.parse(hi.strip(), where)) if hi.strip() else None
    return start, end


def _in_window(ev, window):
    """The events of a DataFrame on days start <= day < end."""
    start, end = window
    if start is not None:
        ev = ev[ev["day"] >= start]
    if end is not None:
        ev = ev[ev["day"] < end]
    return ev


def battle_losses(ev, faction):
    """Fighting men a faction lost in the BATTLE rows of an events DataFrame: (before − after) of
    its side, the winner's values 0, 1 (faction_a) and the loser's 2, 3 (faction_b; a drawn battle
    writes its two sides in the same places)."""
    b = ev[ev["kind"] == "BATTLE"]
    won = b[b["faction_a"] == faction]
    lost = b[b["faction_b"] == faction]
    return float((won["value0"] - won["value1"]).sum() + (lost["value2"] - lost["value3"]).sum())


def first_event_day(run, kind, place=None, faction=None, where=None):
    """Day of the first event of a kind (at a place, involving a faction), NaN when none."""
    from .series import first_day

    p = run.index_of("place", place, where) if place is not None else None
    f = run.index_of("faction", faction, where) if faction is not None else None
    return first_day(run.events, kind, p, f)


class Scalar:
    """A scalar output given by a spec string (module docstring).

    :param spec: the spec
    """

    def __init__(self, spec):
        self.spec = spec.strip()
        where = f"--output {self.spec}"
        self.summary = self.event = self.losses = None
        self.window = ""
        if self.spec.startswith("summary:"):
            self.summary = self.spec[len("summary:"):]
            return
        if self.spec.startswith("event:") or self.spec.startswith("battle_losses:"):
            head, _, self.window = self.spec.partition("@")
            parts = head.split(":")
            if self.window and not self.window.replace(".", "").strip("-"):
                raise UserError("expected a window @FROM, @FROM..TO or @..TO (YYYY-MM-DD)", where)
            if parts[0] == "battle_losses":
                if len(parts) != 2 or not parts[1]:
                    raise UserError("expected battle_losses:FACTION[@FROM..TO]", where)
                self.losses = parts[1]
                return
            if len(parts) not in (2, 3) or not parts[1]:
                raise UserError("expected event:KIND[:PLACE][@FROM..TO]", where)
            self.event = (parts[1], parts[2] if len(parts) == 3 else None)
            return
        m = _SPEC.match(self.spec)
        if not m:
            raise UserError("expected GROUP/VARIABLE[DIM=ID,...][@DATE|:REDUCER], event:KIND[:PLACE] "
                            "or summary:NAME", where,
                            "e.g. places/population@end, factions/population[faction=song]:min")
        self.variable = m["var"]
        self.sel = parse_select(m["sel"], where)
        self.date = m["date"]
        self.reducer = m["red"] or (None if self.date else "end")
        if self.reducer and self.reducer not in REDUCERS:
            raise UserError(f'unknown reducer "{self.reducer}"', where, f"use one of: {', '.join(REDUCERS)}")
        if self.date and m["red"]:
            raise UserError("give a date or a reducer, not both", where)

    def __call__(self, run):
        """The value for one run."""
        where = f"--output {self.spec}"
        if self.summary is not None:
            raise UserError("summary: outputs come from an ensemble's members table", where)
        if self.event is not None or self.losses is not None:
            return self._from_events(run, run.events, where)
        da = select(run, self.variable, self.sel, where)
        if self.date in ("start", "end"):
            return reduce_time(run, da, self.date)
        if self.date:
            cal = run.calendar
            return at_day(run, da, cal.day(cal.parse(self.date, where)))
        return reduce_time(run, da, self.reducer)

    def _from_events(self, run, ev, where):
        """An event's first day or a faction's battle losses from an events DataFrame (the run
        resolves ids and dates)."""
        from .series import first_day

        ev = _in_window(ev, _window(run, self.window, where))
        if self.losses is not None:
            return battle_losses(ev, run.index_of("faction", self.losses, where))
        place = run.index_of("place", self.event[1], where) if self.event[1] is not None else None
        return first_day(ev, self.event[0], place)

    def ensemble(self, ens):
        """Values over an ensemble's members: a float array aligned with ``ens.members.index``
        (NaN for members that did not complete)."""
        m = ens.members
        if self.summary is not None:
            col = f"summary__{self.summary}"
            if col not in m:
                raise UserError(f"the members table has no {col}", ens.path,
                                f"summaries: {', '.join(ens.summaries) or 'none'}")
            out = m[col].to_numpy(dtype=float).copy()
            out[(m["status"] != "ok").to_numpy()] = np.nan
            return out
        out = np.full(len(m), np.nan)
        if not ens.ok:
            return out
        rows = m.index.get_indexer(ens.ok)
        first = ens.run(ens.ok[0])
        where = f"--output {self.spec}"
        if self.event is not None or self.losses is not None:
            ev = ens.events()
            out[rows] = [self._from_events(first, ev[ev["member"] == k], where) for k in ens.ok]
            return out
        da = select(first, self.variable, self.sel, where, stacked=ens)
        if "member" not in da.dims:
            # a variable without time (routes/km, ...) is the first member's in the stacked
            # group: read it from each member's own file
            out[rows] = [self(ens.run(k)) for k in ens.ok]
            return out
        if "time" in da.dims:
            if self.date in ("start", "end") or (self.date is None and self.reducer in ("start", "end")):
                da = da.isel(time=0 if "start" in (self.date, self.reducer) else -1)
            elif self.date:
                from .figures import days_of

                cal = first.calendar
                day = cal.day(cal.parse(self.date, where))
                days = days_of(da, cal)
                da = da.isel(time=max(0, int(np.searchsorted(days, day + 1e-9, side="right")) - 1))
            else:
                da = getattr(da, self.reducer)("time")
        out[rows] = np.asarray(da.compute().values, dtype=float).reshape(-1)
        return out
