"""What no engine run writes: ``ensemble.h5`` indexes for ensembles whose members are an analytic
function (Ishigami), not runs (docs/OUTPUT.md, "Ensembles"), in the engine's conventions
(dimension scales in each group, units, long_name, chunked, deflate, Fletcher-32). Everything
else the tests read is written by the real ``jinsong run`` and ``jinsong sweep`` (conftest.py).
"""
import os

import h5py
import numpy as np


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
