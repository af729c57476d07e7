"""What no engine writes yet, in its documented layout: the ``/sieges`` group of the siege module
(being written in parallel: [time, siege] with ``siege_place``, ``besieger``, ``garrison``,
``civilians``, ``food``, ``wall``, ``progress``, ``active``, and SIEGE_START / SIEGE_END /
CITY_FALLS / SACK rows in /events), added to a copy of a real ``jinsong run`` of
``configs/test/armies.yaml``; and ``ensemble.h5`` indexes for ensembles whose members are an
analytic function (Ishigami), not runs (docs/OUTPUT.md, "Ensembles").

The armies scenario: places cizhou, xiangzhou, junzhou, huazhou, kaifeng, zhengzhou (0 … 5);
factions song = 0, jin = 1; 90 days from 1125-12-01. The added groups follow the engine's
conventions (dimension scales in each group, units, long_name, chunked, deflate, Fletcher-32).
"""
import os
import shutil

import h5py
import numpy as np

SONG, JIN = 0, 1
KAIFENG, ZHENGZHOU = 4, 5

#: the siege the synthetic file adds (days since 1125-12-01): Kaifeng besieged by the Jin,
#: falls and is sacked; Zhengzhou besieged and relieved
SIEGE_START_DAY = 30
FALL_DAY = 55
SACK_DAY = 56
ZHENGZHOU_SIEGE = (40, 50)


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
        maxshape = (None,) + data.shape[1:] if "time" in dims else None
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


def add_sieges(f):
    """/sieges with two slots: Kaifeng (besieged SIEGE_START_DAY … FALL_DAY, falls) and
    Zhengzhou (ZHENGZHOU_SIEGE, relieved); and the fall in /places/owner."""
    g = f.create_group("sieges")
    _time(g, f["places/time"])
    days = np.round(f["places/time"][:]).astype(int)
    _scale(g, "siege", 2, "siege index")
    on = np.stack([(days >= SIEGE_START_DAY) & (days < FALL_DAY),
                   (days >= ZHENGZHOU_SIEGE[0]) & (days < ZHENGZHOU_SIEGE[1])], axis=1)
    _var(g, "siege_place", np.array([KAIFENG, ZHENGZHOU], np.int32), ["siege"], "1", "besieged place")
    _var(g, "besieger", np.array([JIN, JIN], np.int32), ["siege"], "1", "besieging faction")
    since = np.clip(days - SIEGE_START_DAY, 0, None)[:, None]
    _var(g, "garrison", np.where(on, 30000 - 300 * since, 0).astype(np.int64), ["time", "siege"],
         "persons", "garrison")
    _var(g, "civilians", np.where(on, [1200000, 150000], 0).astype(np.int64), ["time", "siege"],
         "persons", "civilians inside")
    _var(g, "food", np.where(on, 5e7 - 1e6 * since, 0).astype(np.int64), ["time", "siege"], "sheng",
         "food inside")
    _var(g, "wall", np.where(on, 0.9 - 0.01 * since, 0), ["time", "siege"], "1", "wall strength")
    _var(g, "progress", np.where(on, since / 25.0, 0), ["time", "siege"], "1", "siege progress")
    _var(g, "active", on.astype(np.int8), ["time", "siege"], "1", "1 while the siege lasts")
    owner = f["places/owner"][:]
    owner[days >= FALL_DAY, KAIFENG] = JIN
    f["places/owner"][:] = owner


EVENT_ROWS = [  # day, kind, place, faction_a, faction_b, army_a, army_b, values, text
    (SIEGE_START_DAY, "SIEGE_START", KAIFENG, JIN, SONG, 0, 2, (0, 0, 0, 0), "siege of Kaifeng"),
    (ZHENGZHOU_SIEGE[0], "SIEGE_START", ZHENGZHOU, JIN, SONG, 0, -1, (0, 0, 0, 0), "siege of Zhengzhou"),
    (ZHENGZHOU_SIEGE[1], "SIEGE_END", ZHENGZHOU, JIN, SONG, 0, -1, (0, 0, 0, 0), "relieved"),
    (FALL_DAY, "CITY_FALLS", KAIFENG, JIN, SONG, 0, 2, (0, 0, 0, 0), "Kaifeng falls"),
    (FALL_DAY, "SIEGE_END", KAIFENG, JIN, SONG, 0, 2, (0, 0, 0, 0), "stormed"),
    (SACK_DAY, "SACK", KAIFENG, JIN, SONG, 0, -1, (20000, 0, 0, 0), "Kaifeng sacked"),
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


def sieges_run(armies_h5, out):
    """A copy of a real run of configs/test/armies.yaml with /sieges and siege events added."""
    shutil.copyfile(armies_h5, out)
    with h5py.File(out, "r+") as f:
        assert "sieges" not in f, "the engine writes /sieges now: test its own output instead"
        add_sieges(f)
        add_events(f)
    return str(out)


# --------------------------------------------------------------------- ensemble.h5


def write_index(directory, members, design):
    """Writes ``directory/ensemble.h5`` in the layout of docs/OUTPUT.md, "Ensembles", for
    members without files (an analytic function's values as a summary scalar).

    :param members: list of dicts: seed, run_index, params {dotted key: value}, summary {name: value}
    :param design: dict: kind, n_params, base_samples, replicates, param_keys, lower, upper,
        saltelli_matrix and saltelli_row (one per member)
    """
    n = len(members)
    path = os.path.join(directory, "ensemble.h5")
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "jinsong ensemble"
        g = f.create_group("members")
        _scale(g, "member", n, "member index")
        _var(g, "point", np.arange(n, dtype=np.int32), ["member"], "1", "design point")
        _var(g, "replicate", np.zeros(n, np.int32), ["member"], "1", "replicate")
        _var(g, "seed", np.array([m["seed"] for m in members], np.uint32), ["member"], "1", "seed")
        _var(g, "run_index", np.array([m["run_index"] for m in members], np.uint32), ["member"], "1",
             "run index")
        _var(g, "status", np.array(["ok"] * n), ["member"], "1", "status")
        _var(g, "error", np.array([""] * n), ["member"], "1", "error")
        _var(g, "wall_seconds", np.zeros(n), ["member"], "s", "wall time")
        _var(g, "file", np.array([""] * n), ["member"], "1", "member file")
        for k in members[0]["params"]:
            ds = _var(g, k.replace(".", "__"), np.array([m["params"][k] for m in members], float),
                      ["member"], "1", f"varied parameter {k}")
            ds.attrs["key"] = k
        for s in members[0]["summary"]:
            _var(g, f"summary__{s}", np.array([m["summary"][s] for m in members], float), ["member"], "1",
                 f"summary {s}")
        d = f.create_group("design")
        for k in ("kind", "n_params", "base_samples", "replicates"):
            d.attrs[k] = design[k]
        d.attrs["n_points"] = n
        _scale(d, "param", len(design["param_keys"]), "parameter index")
        _var(d, "param_keys", np.array(design["param_keys"]), ["param"], "1", "parameter key")
        _var(d, "lower", np.asarray(design["lower"], float), ["param"], "1", "lower bound")
        _var(d, "upper", np.asarray(design["upper"], float), ["param"], "1", "upper bound")
        _scale(d, "member", n, "member index")
        _var(d, "point", np.arange(n, dtype=np.int32), ["member"], "1", "design point")
        _var(d, "saltelli_matrix", np.asarray(design["saltelli_matrix"], np.int32), ["member"], "1",
             "0 = A, 1 = B, 2 + i = AB_i")
        _var(d, "saltelli_row", np.asarray(design["saltelli_row"], np.int32), ["member"], "1",
             "row of the base sample")
    return path
