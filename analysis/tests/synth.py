"""Files in the exact documented layout of modules that write groups the engine of this branch
does not write yet (docs/OUTPUT.md and the lead's contracts): /armies, /sieges, refugees,
prices, treasuries, tribute, grain flows, a /migration origin→destination matrix, BATTLE /
SIEGE_START / CITY_FALLS / TREATY / TRIBUTE_PAID events; and ``ensemble.h5`` indexes
(docs/OUTPUT.md, "Ensembles").

They are built on top of a real output of ``jinsong run configs/test/smoke.yaml`` (4 places:
kaifeng, zhengzhou, huazhou, junzhou; factions song = 0, jin = 1; routes kaifeng-zhengzhou,
kaifeng-huazhou, huazhou-junzhou; 92 days from 1125-10-01), so the core groups are the engine's
own, and the added ones follow the same conventions (dimension scales in each group, units,
long_name, chunked, deflate, Fletcher-32).
"""
import os
import shutil

import h5py
import numpy as np

SONG, JIN = 0, 1
KAIFENG, ZHENGZHOU, HUAZHOU, JUNZHOU = 0, 1, 2, 3

#: the story the synthetic file tells (days since 1125-10-01)
BATTLE_DAY = 58
SIEGE_START_DAY = 60
FALL_DAY = 85
TREATY_DAY = 88
TRIBUTE_DAY = 90


def _var(g, name, data, dims, units, long_name):
    """A dataset in the engine's conventions, with a dimension scale on each axis."""
    data = np.asarray(data)
    if data.dtype.kind == "U":
        width = max(1, max(len(s.encode()) for s in data.ravel()))
        ds = g.create_dataset(name, data=np.char.encode(data, "utf-8").astype(f"S{width}"),
                              chunks=True, compression="gzip", fletcher32=True)
        ds.attrs["_Encoding"] = "utf-8"
    else:
        chunks = tuple(max(1, n) for n in data.shape) if data.ndim else None
        maxshape = tuple(None for _ in data.shape) if 0 in data.shape else None
        ds = g.create_dataset(name, data=data, chunks=chunks, maxshape=maxshape, compression="gzip",
                              shuffle=True, fletcher32=True)
    ds.attrs["units"] = units
    ds.attrs["long_name"] = long_name
    for i, d in enumerate(dims):
        ds.dims[i].attach_scale(g[d])
    return ds


def _scale(g, name, n, long_name):
    """An index dimension scale 0..n-1."""
    ds = g.create_dataset(name, data=np.arange(n, dtype=np.int32))
    ds.attrs["units"] = "1"
    ds.attrs["long_name"] = long_name
    ds.make_scale(name)
    return ds


def _time(g, src):
    """A copy of another group's time coordinate."""
    t = g.create_dataset("time", data=src[:], chunks=True, maxshape=(None,))
    for k in ("units", "calendar", "standard_name", "axis", "long_name"):
        if k in src.attrs:
            t.attrs[k] = src.attrs[k]
    t.make_scale("time")
    return t


def _army_track(n):
    """jin_east marches Junzhou → Huazhou → Kaifeng; (location, route, km_on_route) by day."""
    loc = np.full(n, -1, np.int32)
    route = np.full(n, -1, np.int32)
    km = np.zeros(n)
    loc[:30] = JUNZHOU
    route[30:35], km[30:35] = 2, np.linspace(2, 14, 5)          # huazhou-junzhou
    loc[35:51] = HUAZHOU
    route[51:58], km[51:58] = 1, np.linspace(10, 70, 7)          # kaifeng-huazhou
    loc[58:] = KAIFENG
    return loc, route, km


def add_armies(f, n):
    """/armies: jin_east (Jin), song_guard (Song, destroyed after the fall), a spare slot."""
    g = f.create_group("armies")
    _time(g, f["places/time"])
    _scale(g, "army", 3, "army index")
    _var(g, "army_id", np.array(["jin_east", "song_guard", "slot_2"]), ["army"], "1", "army id")
    _var(g, "army_name", np.array(["Jin eastern army", "Kaifeng guard", "(free slot)"]), ["army"], "1",
         "army name")
    _var(g, "owner", np.array([JIN, SONG, -1], np.int32), ["army"], "1", "owner faction")
    loc0, route0, km0 = _army_track(n)
    loc = np.stack([loc0, np.full(n, KAIFENG), np.full(n, -1)], axis=1).astype(np.int32)
    route = np.stack([route0, np.full(n, -1), np.full(n, -1)], axis=1).astype(np.int32)
    km = np.stack([km0, np.zeros(n), np.zeros(n)], axis=1)
    jin = np.where(np.arange(n) < BATTLE_DAY, 60000, 55000).astype(np.int64)
    song = np.where(np.arange(n) < BATTLE_DAY, 48000, 30000).astype(np.int64)
    song[FALL_DAY:] = 0
    strength = np.stack([jin, song, np.zeros(n, np.int64)], axis=1)
    active = (strength > 0).astype(np.int8)
    _var(g, "strength", strength, ["time", "army"], "persons", "soldiers fit to fight, all arms")
    _var(g, "strength_heavy_cavalry", strength * np.array([0.4, 0.05, 0]), ["time", "army"], "persons",
         "heavy cavalry")
    _var(g, "location", loc, ["time", "army"], "1", "place index, -1 on a route")
    _var(g, "route", route, ["time", "army"], "1", "route index while on a route, else -1")
    _var(g, "km_on_route", km, ["time", "army"], "km", "km travelled on the route")
    _var(g, "active", active, ["time", "army"], "1", "1 while the army exists")


def add_sieges(f, n):
    """/sieges: Kaifeng besieged by the Jin from SIEGE_START_DAY to FALL_DAY; one spare slot."""
    g = f.create_group("sieges")
    _time(g, f["places/time"])
    _scale(g, "siege", 2, "siege index")
    days = np.arange(n)
    on = (days >= SIEGE_START_DAY) & (days < FALL_DAY)
    _var(g, "siege_place", np.array([KAIFENG, -1], np.int32), ["siege"], "1", "besieged place")
    _var(g, "besieger", np.array([JIN, -1], np.int32), ["siege"], "1", "besieging faction")
    garrison = np.where(on, 30000 - 300 * (days - SIEGE_START_DAY), 0)
    _var(g, "garrison", np.stack([garrison, np.zeros(n)], 1).astype(np.int64), ["time", "siege"],
         "persons", "garrison")
    _var(g, "civilians", np.stack([np.where(on, 1200000, 0), np.zeros(n)], 1).astype(np.int64),
         ["time", "siege"], "persons", "civilians inside")
    _var(g, "food", np.stack([np.where(on, 5e7 - 1e6 * (days - SIEGE_START_DAY), 0), np.zeros(n)], 1),
         ["time", "siege"], "sheng", "food inside")
    _var(g, "progress", np.stack([np.where(on, (days - SIEGE_START_DAY) / 25.0, 0), np.zeros(n)], 1),
         ["time", "siege"], "1", "siege progress")
    _var(g, "active", np.stack([on, np.zeros(n, bool)], 1).astype(np.int8), ["time", "siege"], "1",
         "1 while the siege lasts")


def add_people_and_economy(f, n):
    """Refugees, prices, treasuries, tribute, grain flows and a /migration OD matrix."""
    days = np.arange(n)
    pl, fa, rt = f["places"], f["factions"], f["routes"]
    left = np.zeros((n, 4), np.int64)
    left[:, KAIFENG] = np.clip(days - SIEGE_START_DAY, 0, None) * 2000
    present = np.zeros((n, 4), np.int64)
    present[:, ZHENGZHOU] = np.clip(days - SIEGE_START_DAY - 3, 0, None) * 1500
    _var(pl, "refugees_left", left, ["time", "place"], "persons", "persons who left as refugees")
    _var(pl, "refugees_present", present, ["time", "place"], "persons",
         "persons who arrived as refugees, settled ones included")
    travelling = np.zeros((n, 3), np.int64)
    travelling[:, 0] = left[:, KAIFENG] - present[:, ZHENGZHOU]
    _var(rt, "refugees_travelling", travelling, ["time", "route"], "persons", "refugees on the route")
    price = np.full((n, 4), 0.5)
    price[:, KAIFENG] = 0.5 * np.where(days >= SIEGE_START_DAY, 1 + (days - SIEGE_START_DAY) / 10, 1)
    _var(pl, "price", price, ["time", "place"], "strings/shi", "grain price")
    _var(rt, "grain_flow", np.tile([1000, 50000, 0], (n, 1)).astype(np.int64), ["time", "route"],
         "sheng", "grain moved on the route since the previous row")
    for cur, unit, song in (("cash", "strings", 5e6), ("silver", "taels", 2e6), ("gold", "taels", 1e5),
                            ("silk", "bolts", 1e6), ("grain", "sheng", 6e8)):
        tr = np.zeros((n, 2))
        tr[:, SONG] = song * np.where(days >= FALL_DAY, 0.1, 1)
        tr[:, JIN] = song * 0.2 + np.where(days >= FALL_DAY, song * 0.9, 0)
        _var(fa, f"treasury_{cur}", tr.astype(np.int64), ["time", "faction"], unit, f"treasury: {cur}")
    paid = np.zeros((n, 2), np.int64)
    paid[TRIBUTE_DAY:, SONG] = 200000
    _var(fa, "tribute_paid", paid, ["time", "faction"], "taels", "tribute paid (silver) since the start")
    _var(fa, "tribute_received", paid[:, ::-1].copy(), ["time", "faction"], "taels",
         "tribute received (silver) since the start")
    owner = pl["owner"][:]
    owner[FALL_DAY:, KAIFENG] = JIN
    pl["owner"][:] = owner
    g = f.create_group("migration")
    yr = g.create_dataset("year", data=np.array([1125], np.int32))
    yr.attrs["units"] = "1"
    yr.attrs["long_name"] = "year"
    yr.make_scale("year")
    _scale(g, "origin", 4, "origin place")
    _scale(g, "destination", 4, "destination place")
    od = np.zeros((1, 4, 4), np.int64)
    od[0, KAIFENG, ZHENGZHOU] = int(present[-1, ZHENGZHOU])
    od[0, KAIFENG, HUAZHOU] = 5000
    _var(g, "flows", od, ["year", "origin", "destination"], "persons", "refugees by origin and destination")


EVENT_ROWS = [  # day, kind, place, faction_a, faction_b, army_a, army_b, values, text
    (BATTLE_DAY, "BATTLE", KAIFENG, JIN, SONG, 0, 1, (60000, 55000, 48000, 30000), "battle before Kaifeng"),
    (SIEGE_START_DAY, "SIEGE_START", KAIFENG, JIN, SONG, 0, -1, (0, 0, 0, 0), "second siege of Kaifeng"),
    (FALL_DAY, "CITY_FALLS", KAIFENG, JIN, SONG, 0, 1, (0, 0, 0, 0), "Kaifeng falls"),
    (TREATY_DAY, "TREATY", -1, JIN, SONG, -1, -1, (0, 0, 0, 0), "terms of surrender"),
    (TRIBUTE_DAY, "TRIBUTE_PAID", -1, SONG, JIN, -1, -1, (200000, 0, 0, 0), "silver"),
]


def add_events(f):
    """Merges EVENT_ROWS into /events, in day order (the engine's own rows kept)."""
    ds = f["events"]
    kinds = h5py.check_enum_dtype(ds.dtype["kind"])
    rows = list(ds[:])
    for day, kind, place, fa_, fb, aa, ab, val, text in EVENT_ROWS:
        r = np.zeros((), ds.dtype)
        r["day"], r["kind"], r["place"] = day, kinds[kind], place
        r["faction_a"], r["faction_b"], r["army_a"], r["army_b"] = fa_, fb, aa, ab
        r["value"] = val
        r["text"] = text.encode()
        rows.append(r)
    rows.sort(key=lambda r: int(r["day"]))
    ds.resize((len(rows),))
    ds[:] = np.array(rows, dtype=ds.dtype)
    ev = f["event"]
    ev.resize((len(rows),))
    ev[:] = np.arange(len(rows), dtype=ev.dtype)


def full_run(smoke_h5, out):
    """A copy of a real smoke run with every group of the modules to come added."""
    shutil.copyfile(smoke_h5, out)
    with h5py.File(out, "r+") as f:
        n = f["places/time"].shape[0]
        add_armies(f, n)
        add_sieges(f, n)
        add_people_and_economy(f, n)
        add_events(f)
    return str(out)


# --------------------------------------------------------------------- ensemble.h5


def write_index(directory, members, design=None):
    """Writes ``directory/ensemble.h5`` in the layout of docs/OUTPUT.md, "Ensembles".

    :param members: list of dicts: seed, run_index, status, error, wall_seconds, file (relative),
        params {dotted key: value}, summary {name: value}
    :param design: dict: kind, n_params, base_samples, replicates, param_keys, lower, upper,
        and for Saltelli saltelli_matrix and saltelli_row (one per member)
    """
    design = design or {"kind": "list"}
    n = len(members)
    path = os.path.join(directory, "ensemble.h5")
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "jinsong ensemble"
        g = f.create_group("members")
        _scale(g, "member", n, "member index")
        _var(g, "seed", np.array([m["seed"] for m in members], np.uint32), ["member"], "1", "seed")
        _var(g, "run_index", np.array([m["run_index"] for m in members], np.uint32), ["member"], "1",
             "run index")
        _var(g, "status", np.array([m.get("status", "ok") for m in members]), ["member"], "1", "status")
        _var(g, "error", np.array([m.get("error", "") for m in members]), ["member"], "1", "error")
        _var(g, "wall_seconds", np.array([m.get("wall_seconds", 0.1) for m in members], float), ["member"],
             "s", "wall time")
        _var(g, "file", np.array([m.get("file", "") for m in members]), ["member"], "1",
             "member file")
        keys = list(members[0].get("params", {})) if members else []
        for k in keys:
            ds = _var(g, k.replace(".", "__"), np.array([m["params"][k] for m in members], float),
                      ["member"], "1", f"varied parameter {k}")
            ds.attrs["key"] = k
        for s in (members[0].get("summary", {}) if members else {}):
            _var(g, f"summary__{s}", np.array([m["summary"][s] for m in members], float), ["member"], "1",
                 f"summary {s}")
        d = f.create_group("design")
        for k in ("kind", "n_params", "base_samples", "replicates"):
            if k in design:
                d.attrs[k] = design[k]
        if design.get("param_keys"):
            _scale(d, "param", len(design["param_keys"]), "parameter index")
            _var(d, "param_keys", np.array(design["param_keys"]), ["param"], "1", "parameter key")
            _var(d, "lower", np.asarray(design["lower"], float), ["param"], "1", "lower bound")
            _var(d, "upper", np.asarray(design["upper"], float), ["param"], "1", "upper bound")
        if "saltelli_matrix" in design:
            _scale(d, "member", n, "member index")
            _var(d, "saltelli_matrix", np.asarray(design["saltelli_matrix"], np.int32), ["member"], "1",
                 "0 = A, 1 = B, 2 + i = AB_i")
            _var(d, "saltelli_row", np.asarray(design["saltelli_row"], np.int32), ["member"], "1",
                 "row of the base sample")
        for k, m in enumerate(members):
            if m.get("file"):
                f[f"member_{k}"] = h5py.ExternalLink(m["file"], "/")
    return path


def empty_armies_run(smoke_h5, out):
    """A copy of a real smoke run with an /armies group of capacity 0 (a scenario without armies
    whose engine writes the group anyway)."""
    shutil.copyfile(smoke_h5, out)
    with h5py.File(out, "r+") as f:
        n = f["places/time"].shape[0]
        g = f.create_group("armies")
        _time(g, f["places/time"])
        _scale(g, "army", 0, "army index")
        _var(g, "owner", np.zeros(0, np.int32), ["army"], "1", "owner faction")
        for v in ("strength", "location"):
            _var(g, v, np.zeros((n, 0), np.int64), ["time", "army"], "1", v)
    return str(out)
