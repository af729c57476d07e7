"""Aggregated series drawn in the reports, built from whatever a file holds.

Every function takes a group's Dataset (one run, or an ensemble's stacked by ``member``) and
returns a small DataArray over time (and faction, region, ...), still lazy; or None when the
file does not hold the variables it needs. The figures and the ensemble bands share them.
"""
import numpy as np
import xarray as xr


def has(ds, *names):
    """True when ds is a Dataset holding every variable named."""
    return ds is not None and all(n in ds.variables for n in names)


def _by_index(var, index, n, dim, entity):
    """Sums var over `entity`, separately for each value 0..n-1 of index (same dims as var or a
    subset); returns dims (..., time, dim)."""
    parts = [var.where(index == k, 0).sum(entity) for k in range(n)]
    out = xr.concat(parts, dim=dim) if parts else var.sum(entity).expand_dims({dim: 0})
    out = out.assign_coords({dim: np.arange(n)})
    return out.transpose(..., "time", dim)


def by_owner(places, name, n_factions):
    """A /places variable summed over the places each faction holds at each row.

    :param places: the /places Dataset
    :param name: variable name (``population``, ``grain``, ...)
    :param n_factions: number of factions
    :return: DataArray (..., time, faction), or None
    """
    if not has(places, name, "owner"):
        return None
    return _by_index(places[name], places["owner"], n_factions, "faction", "place")


def regions(places):
    """The region names of the places (a ``region`` coordinate), or None when the file has none."""
    if places is None or "region" not in places.variables:
        return None
    return [str(x) for x in np.asarray(places["region"].values).ravel()]


def population_by_region(places, n_factions):
    """Population by region when the file names regions, else by holding faction.

    :return: (DataArray (..., time, group), "region" or "faction", group labels or None)
    """
    reg = regions(places)
    if reg is not None and has(places, "population"):
        names = sorted(set(reg))
        code = xr.DataArray([names.index(r) for r in reg], dims="place")
        return _by_index(places["population"], code, len(names), "region", "place"), "region", names
    return by_owner(places, "population", n_factions), "faction", None


def army_strength_by_faction(armies, n_factions):
    """Strength of the active armies summed by owner faction.

    :param armies: the /armies Dataset (``strength``; ``owner`` static or over time; ``active``
        optional)
    :return: DataArray (..., time, faction), or None
    """
    if not has(armies, "strength", "owner") or armies.sizes.get("army", 0) == 0:
        return None
    strength = armies["strength"]
    if "active" in armies.variables:
        strength = strength.where(armies["active"] != 0, 0)
    return _by_index(strength, armies["owner"], n_factions, "faction", "army")


def total(ds, name, entity):
    """A variable summed over its entity dimension (e.g. refugees on all routes), or None."""
    if not has(ds, name):
        return None
    return ds[name].sum(entity)


def refugee_series(places, routes):
    """The refugee totals a file holds: {label: DataArray (..., time)} (empty when none).

    On the road = persons on routes (/routes/refugees_travelling); present = persons who arrived
    as refugees, settled ones included (/places/refugees_present); left = persons who left
    their place as refugees (/places/refugees_left, as the file reports it).
    """
    out = {}
    road = total(routes, "refugees_travelling", "route")
    if road is not None:
        out["on the road"] = road
    present = total(places, "refugees_present", "place")
    if present is not None:
        out["arrived and settled (present in places)"] = present
    left = total(places, "refugees_left", "place")
    if left is not None:
        out["left their homes"] = left
    return out


def ledger_quantities(ledger):
    """Names of the conserved quantities in a /ledger Dataset (those with a ``<q>_flow`` dim)."""
    if ledger is None:
        return []
    return [q for q in ledger.data_vars if f"{q}_flow" in ledger[q].dims]


def units(da, default="1"):
    """The units attribute of a DataArray (the default when it has none)."""
    return str(da.attrs.get("units", default)) if da is not None else default


def first_day(ev, kind, place=None, faction=None):
    """Day of the first event of a kind (at a place index, involving a faction index), or NaN.

    :param ev: events DataFrame (:func:`jinsong_analysis.events`)
    :param kind: event kind name (``CITY_FALLS``)
    :param place: place index, or None for any
    :param faction: faction index (as faction_a or faction_b), or None for any
    """
    sel = ev[ev["kind"] == kind]
    if place is not None:
        sel = sel[sel["place"] == place]
    if faction is not None:
        sel = sel[(sel["faction_a"] == faction) | (sel["faction_b"] == faction)]
    return float(sel["day"].min()) if len(sel) else float("nan")
