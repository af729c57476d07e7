"""Ensembles: many runs of one scenario stacked along a ``member`` dimension.

Reads the ``ensemble.h5`` index written by ``jinsong sweep`` (layout: docs/OUTPUT.md,
"Ensembles"): the members table, the design (with the Saltelli A/B/AB_i labels) and the member
files; or, without an index, a directory of run files, whose varied parameters are found by
comparing their /config tables. Member data stay on disk until used (dask), so an ensemble far
larger than memory is reduced chunk by chunk.
"""
import glob
import os
import re

import dask.array
import h5py
import numpy as np
import pandas as pd
import xarray as xr

from .errors import UserError
from .load import Run, _text, attrs_dict, check_hdf5, lazy

INDEX_NAME = "ensemble.h5"


def is_ensemble(path):
    """True when path is an ensemble: a directory, or an HDF5 file with a /members group."""
    if os.path.isdir(path):
        return True
    if os.path.isfile(path) and h5py.is_hdf5(path):
        with h5py.File(path, "r") as f:
            return "members" in f
    return False


def _natural_key(name):
    """Sort key that puts member_2 before member_10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _number(text):
    """A float from a parameter value text, or None when it is not a number."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class Ensemble:
    """An ensemble of runs: the members table, the design, and the groups stacked by member.

    ``ens.members`` is a DataFrame (one row per member: seed, run_index, status, error,
    wall_seconds, file, one column per varied parameter named by its dotted key, and the
    ``summary__<name>`` scalars; from a sweep's index also ``point`` and ``replicate``);
    ``ens.params`` the varied keys; ``ens.design`` the design (``kind``, ``n_params``,
    ``base_samples``, ``replicates``, ``n_points``, ``param_keys``, ``lower``, ``upper``, each
    member's ``point``, and for Saltelli designs ``saltelli_matrix`` and ``saltelli_row``);
    ``ens["places"]`` the /places groups of the members that completed, stacked along
    ``member``, with the varied parameters, seed and run_index as coordinates over ``member``.

    :param path: an ``ensemble.h5``, a directory holding one, or a directory of run files
    """

    def __init__(self, path):
        if not os.path.exists(path):
            raise UserError("no such file or directory", path,
                            "give an ensemble directory, its ensemble.h5, or a folder of runs")
        self.path = os.path.abspath(path)
        if os.path.isdir(path) and os.path.exists(os.path.join(path, INDEX_NAME)):
            self.index = os.path.join(self.path, INDEX_NAME)
        elif os.path.isfile(path):
            check_hdf5(path)
            self.index = self.path
        else:
            self.index = None
        self.attrs = {}
        self.design = {"kind": "list", "n_params": 0, "base_samples": 0, "replicates": 1,
                       "param_keys": [], "lower": None, "upper": None}
        if self.index:
            self._read_index()
        else:
            self._scan_directory()
        self._runs = {}
        self._ds = {}

    # ----------------------------------------------------------------- reading
    def _read_index(self):
        """Reads the members table and the design from ensemble.h5."""
        base = os.path.dirname(self.index)
        with h5py.File(self.index, "r") as f:
            if "members" not in f:
                raise UserError("not an ensemble index (no /members group)", self.index)
            self.attrs = attrs_dict(f)
            g = f["members"]
            n = g["member"].shape[0] if "member" in g else 0
            cols, params = {}, []
            for name, ds in g.items():
                if not isinstance(ds, h5py.Dataset) or ds.shape != (n,):
                    continue
                vals = ds[:]
                if vals.dtype.kind in "SO":
                    vals = [_text(x) for x in vals]
                key = _text(ds.attrs["key"]) if "key" in ds.attrs else None
                if key:
                    params.append(key)
                    cols[key] = np.asarray(vals, dtype=float)
                else:
                    cols[name] = vals
            df = pd.DataFrame(cols)
            if "member" not in df:
                df["member"] = np.arange(n)
            df = df.set_index("member")
            for c, default in (("status", "ok"), ("error", ""), ("file", ""),
                               ("wall_seconds", np.nan)):
                if c not in df:
                    df[c] = default
            df["file"] = [os.path.join(base, p) if p else "" for p in df["file"]]
            self.members = df
            self.params = params
            if "design" in f:
                self._read_design(f["design"], n)

    def _read_design(self, d, n):
        """Reads /design: its attributes and datasets."""
        a = attrs_dict(d)
        self.design.update({k: a[k] for k in ("kind", "n_params", "base_samples", "replicates", "n_points")
                            if k in a})
        for name in ("point", "saltelli_matrix", "saltelli_row"):
            if name in d:
                self.design[name] = d[name][:].astype(int)
        if "param_keys" in d:
            self.design["param_keys"] = [_text(x) for x in d["param_keys"][:]]
        for name in ("lower", "upper"):
            if name in d:
                self.design[name] = d[name][:].astype(float)
        if not self.params and self.design["param_keys"]:
            self.params = list(self.design["param_keys"])
        elif self.design["param_keys"]:
            # the design's order is the order of the Saltelli columns
            self.params = [k for k in self.design["param_keys"] if k in self.params] + \
                [k for k in self.params if k not in self.design["param_keys"]]

    def _scan_directory(self):
        """A directory of runs without an index: members in natural file order, varied
        parameters from the differences between their /config tables."""
        files = sorted((p for p in glob.glob(os.path.join(self.path, "*.h5"))
                        if os.path.basename(p) != INDEX_NAME), key=_natural_key)
        if not files:
            raise UserError("no ensemble.h5 and no run files (*.h5) in this directory", self.path,
                            "run `jinsong sweep SWEEP.yaml -o DIR`, or put run files in the folder")
        rows, tables = [], []
        for k, p in enumerate(files):
            row = {"member": k, "file": p, "status": "ok", "error": "", "wall_seconds": np.nan}
            try:
                run = Run(p)
            except UserError as exc:
                row.update(status="failed", error=exc.message)
                rows.append(row)
                tables.append({})
                continue
            row.update(seed=int(run.attrs.get("seed", 0)), run_index=int(run.attrs.get("run_index", 0)),
                       wall_seconds=float(run.provenance.get("wall_time_seconds", np.nan)))
            if str(run.provenance.get("completed", "")) != "true":
                row.update(status="failed", error="incomplete file (no completion mark)")
            rows.append(row)
            tables.append(run.parameters["value"].to_dict())
        keys = sorted({k for t in tables for k in t})
        varied = [k for k in keys if k not in ("scenario.seed", "scenario.run_index", "run_index")
                  and len({t.get(k) for t in tables if t}) > 1]
        df = pd.DataFrame(rows).set_index("member")
        self.params = []
        for k in varied:
            vals = [_number(t.get(k)) if t else None for t in tables]
            if all(v is not None for v, t in zip(vals, tables) if t):
                df[k] = [np.nan if v is None else v for v in vals]
                self.params.append(k)
        self.members = df
        self.design.update(kind="list", n_params=len(self.params), param_keys=list(self.params))

    # ----------------------------------------------------------------- members
    @property
    def ok(self):
        """Indices of the members that completed (status ok) and whose file exists."""
        m = self.members
        return [int(k) for k in m.index if m.at[k, "status"] == "ok" and m.at[k, "file"]
                and os.path.exists(m.at[k, "file"])]

    def run(self, member):
        """The :class:`Run` of one member."""
        if member not in self._runs:
            path = self.members.at[member, "file"]
            if not path or not os.path.exists(path):
                raise UserError(f"member {member} has no output file (status "
                                f"{self.members.at[member, 'status']})", self.path)
            self._runs[member] = Run(path)
        return self._runs[member]

    @property
    def calendar(self):
        """The calendar of the first completed member."""
        if not self.ok:
            raise UserError("no member of this ensemble completed", self.path)
        return self.run(self.ok[0]).calendar

    @property
    def summaries(self):
        """Names of the summary scalars (``summary__<name>`` columns, without the prefix)."""
        return [c[len("summary__"):] for c in self.members.columns if c.startswith("summary__")]

    @property
    def groups(self):
        """Data groups of the first completed member."""
        return self.run(self.ok[0]).groups if self.ok else []

    def __getitem__(self, group):
        if group not in self._ds:
            self._ds[group] = self._stack(group)
        return self._ds[group]

    def get(self, group):
        """The stacked group, or None when the members do not hold it."""
        if not self.ok or self.run(self.ok[0]).get(group) is None:
            return None
        return self[group]

    def _stack(self, group):
        """Concatenates one group of every completed member along ``member``, lazily: the first
        member gives the layout (coordinates, attributes) and every member's variables over time
        become dask arrays read from its file chunk by chunk. Members whose layout differs (other
        entity counts or time axis) are aligned by xarray instead (outer join, NaN padding)."""
        members = self.ok
        if not members:
            raise UserError("no member of this ensemble completed", self.path)
        first = self.run(members[0])
        template = first.get(group)
        if template is None:
            raise UserError(f"member {members[0]} has no group /{group}", first.path)
        files = [self.members.at[k, "file"] for k in members]
        stacked = _stack_same_layout(template, group, files, first.time_chunk(group))
        if stacked is None:
            parts = []
            for k in members:
                ds = self.run(k).get(group)
                if ds is None:
                    raise UserError(f"member {k} has no group /{group}", self.members.at[k, "file"])
                parts.append(ds)
            stacked = xr.concat(parts, dim="member", join="outer", coords="minimal", compat="override",
                                combine_attrs="override")
        coords = {"member": ("member", np.asarray(members))}
        for c in ("seed", "run_index"):
            if c in self.members:
                coords[c] = ("member", self.members.loc[members, c].to_numpy())
        for p in self.params:
            coords[p] = ("member", self.members.loc[members, p].to_numpy(dtype=float))
        return stacked.assign_coords(coords)

    def events(self):
        """The events of every completed member in one DataFrame with a ``member`` column."""
        frames = []
        for k in self.ok:
            ev = self.run(k).events.copy()
            ev.insert(0, "member", k)
            frames.append(ev)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    # ----------------------------------------------------------------- lifetime
    def close(self):
        """Closes every member file opened."""
        for ds in self._ds.values():
            ds.close()
        for r in self._runs.values():
            r.close()
        self._ds.clear()
        self._runs.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __len__(self):
        return len(self.members)

    def __repr__(self):
        return (f"<jinsong Ensemble {self.path}: {len(self)} members ({len(self.ok)} ok), "
                f"design {self.design.get('kind')}, params {self.params}>")


def _stack_same_layout(template, group, files, time_chunk):
    """The members' group stacked along ``member`` when every member has the template's layout
    (same shapes and time axis); None when one differs."""
    over_time = [v for v in template.data_vars if "time" in template[v].dims]
    if any(template[v].dtype.kind in "OUS" for v in over_time):
        return None  # text over time needs xarray's decoding
    shapes = {v: template[v].shape for v in over_time}
    time0 = None
    for path in files:
        try:
            with h5py.File(path, "r") as f:
                g = f[group]
                t = g["time"][:]
                if time0 is None:
                    time0 = t
                if not np.array_equal(t, time0):
                    return None
                for v in over_time:
                    if v not in g or g[v].shape != shapes[v]:
                        return None
        except (OSError, KeyError):
            return None
    out = template.drop_vars(over_time)
    for v in over_time:
        da = template[v]
        chunks = tuple(time_chunk if d == "time" else -1 for d in da.dims)
        arrays = [lazy(p, f"{group}/{v}", da.shape, da.dtype, chunks) for p in files]
        out[v] = xr.DataArray(dask.array.stack(arrays), dims=("member",) + da.dims, attrs=da.attrs)
    return out.transpose("member", ...)


def open_ensemble(dir_or_index):
    """Opens an ensemble: ``ens[group]`` stacks the members' group along ``member``.

    :param dir_or_index: a sweep's output directory (with ``ensemble.h5``), the ``ensemble.h5``
        itself, or a directory of run files (``*.h5``) without an index
    :return: an :class:`Ensemble`
    """
    return Ensemble(dir_or_index)
