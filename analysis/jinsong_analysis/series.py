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


def refugee_series(places, routes, ledger=None):
    """The refugee totals a file holds: {label: DataArray (..., time)} (empty when none).

    On the road = persons of refugee agents on routes (/routes/refugees_travelling); waiting to
    cross = those queued at a full crossing (/routes/refugees_queued); staying = refugees in
    places who have not settled (/places/refugees_present − refugees_settled); settled = those
    who rejoined a place's population (/places/refugees_settled); left their homes and died are
    cumulative since the start (/places/refugees_left; the ledger flow ``refugee_deaths``).
    """
    out = {}
    road = total(routes, "refugees_travelling", "route")
    if road is not None:
        out["on the road"] = road
    queued = total(routes, "refugees_queued", "route")
    if queued is not None and bool(queued.any()):
        out["waiting to cross a river (in places)"] = queued
    if has(places, "refugees_present", "refugees_settled"):
        out["in places, not settled (queues included)"] = (places["refugees_present"]
                                                 - places["refugees_settled"]).sum("place")
        out["settled (since the start)"] = places["refugees_settled"].sum("place")
    elif has(places, "refugees_present"):
        out["present in places (settled included)"] = places["refugees_present"].sum("place")
    left = total(places, "refugees_left", "place")
    if left is not None:
        out["left their homes (since the start)"] = left
    died = ledger_flow(ledger, "persons", "refugee_deaths")
    if died is not None and bool(died.any()):
        out["died (since the start)"] = died.cumsum("time")
    return out


#: ledger flows of persons that are deaths, by cause (docs/OUTPUT.md, /ledger): (label, flows
#: summed); the civilians of a besieged city die of the siege's causes, not of the residents'
DEATH_FLOWS = [("residents: ordinary mortality", ["deaths_baseline"]),
               ("residents: famine", ["deaths_famine"]),
               ("residents: epidemics", ["deaths_epidemic"]),
               ("residents: violence of war", ["deaths_violence"]),
               ("besieged civilians: hunger and epidemics", ["siege_starved", "siege_epidemic"]),
               ("besieged civilians: killed on the walls and in sacks", ["siege_militia_killed",
                                                                         "sack_killed"]),
               ("captives: died on the road", ["captives_died"]),
               ("refugees: on the road and in camps", ["refugee_deaths"]),
               ("soldiers: killed in battle and pursuit", ["battle_killed"]),
               ("soldiers: killed in sieges (engines, assaults, sorties, storms)",
                ["siege_bombarded", "siege_assault_killed", "siege_sortie_killed", "storm_garrison_killed"]),
               ("soldiers: died of wounds", ["army_wounds_died"]),
               ("soldiers: disease (siege epidemics included)", ["army_disease", "siege_epidemic_soldiers"]),
               ("soldiers: starvation", ["army_starved"])]

#: the /places variables of residents' deaths, used when the file has no ledger flow for them
PLACE_DEATHS = {"deaths_baseline", "deaths_famine", "deaths_epidemic", "deaths_violence"}


def ledger_flow(ledger, quantity, flow):
    """One ledger flow over time (amount moved since the previous row), or None.

    :param ledger: the /ledger Dataset
    :param quantity: ``persons``, ``grain``, ...
    :param flow: the flow's name (``refugee_deaths``)
    """
    names = f"{quantity}_flow_name"
    if not has(ledger, quantity, names):
        return None
    labels = [str(x) for x in np.asarray(ledger[names].values).ravel()]
    if flow not in labels:
        return None
    return ledger[quantity].isel({f"{quantity}_flow": labels.index(flow)}, drop=True)


def deaths_by_cause(places, ledger):
    """Deaths since the start by cause: {label: DataArray (..., time)}, the causes with deaths.

    From the ledger's flows of persons (residents, besieged civilians, captives, refugees,
    soldiers alike), else the residents' cumulative /places/deaths_<cause>.
    """
    out = {}
    for label, flows in DEATH_FLOWS:
        parts = [ledger_flow(ledger, "persons", f) for f in flows]
        parts = [p for p in parts if p is not None]
        da = sum(parts[1:], parts[0]).cumsum("time") if parts else None
        if da is None and len(flows) == 1 and flows[0] in PLACE_DEATHS and has(places, flows[0]):
            da = places[flows[0]].sum("place")
        if da is not None and bool(da.any()):
            out[label] = da
    return out


def weighted_food(places, threshold=1.0):
    """Food per head weighted by population, and the persons who go hungry.

    :param places: the /places Dataset
    :param threshold: food ratio below which people go hungry (the run's
        ``demography.famine.threshold``: below it they draw on their nutrition reserve)
    :return: {"mean": Σ food_ratio·population / Σ population, "hungry": persons in places whose
        food_ratio is below the threshold, "famine": persons in places in famine
        (/places/famine)}, each a DataArray (..., time); a key is absent when the file lacks
        its variables
    """
    out = {}
    if not has(places, "food_ratio", "population"):
        return out
    pop = places["population"].astype(float)
    fr = places["food_ratio"]
    out["mean"] = (fr * pop).sum("place") / pop.sum("place").where(pop.sum("place") > 0)
    out["hungry"] = pop.where(fr < threshold, 0).sum("place")
    if has(places, "famine"):
        out["famine"] = pop.where(places["famine"] != 0, 0).sum("place")
    return out


def currencies(factions):
    """Names of the currencies of /factions (``currency_name``), or []."""
    if not has(factions, "currency_name"):
        return []
    return [str(x) for x in np.asarray(factions["currency_name"].values).ravel()]


def currency_units(factions):
    """Units of each currency of /factions (``currency_units``), or []."""
    if not has(factions, "currency_units"):
        return []
    return [str(x) for x in np.asarray(factions["currency_units"].values).ravel()]


def in_currency(factions, name, currency):
    """A /factions variable in one currency: ``treasury_<currency>`` (time, faction), or an
    account over (time, faction, currency) at that currency; None when absent."""
    if name == "treasury" and has(factions, f"treasury_{currency}"):
        return factions[f"treasury_{currency}"]
    cur = currencies(factions)
    if not has(factions, name) or "currency" not in factions[name].dims or currency not in cur:
        return None
    return factions[name].isel(currency=cur.index(currency), drop=True)


#: accounts of /factions of payments between factions, since the start: (variable, label,
#: line style)
TRANSFER_ACCOUNTS = [("tribute_paid", "tribute paid", "-"),
                     ("tribute_received", "tribute received", "--"),
                     ("transfers_paid", "indemnities and ransoms paid", "-."),
                     ("transfers_received", "indemnities and ransoms received", ":")]


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
