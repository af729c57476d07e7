"""Reading one run's HDF5 file (layout: docs/OUTPUT.md) into xarray and pandas.

The groups are discovered, not listed: whatever data groups the engine that wrote the file had
(/places, /factions, /routes, /ledger, and /armies, /sieges, ... as modules add them) open as
one xarray Dataset each, lazily (dask arrays chunked along time), with dates decoded in the
run's calendar (``cftime.DatetimeJulian`` for Julian scenarios).
"""
import os

import cftime
import dask.array
import h5py
import numpy as np
import pandas as pd
import xarray as xr

from .dates import Calendar
from .errors import UserError

#: target size of one dask chunk (bytes): big enough to read fast, small enough that an
#: ensemble of many large members is reduced chunk by chunk in bounded memory
CHUNK_BYTES = 32 * 2**20

#: which group holds the names of the entities an index points to
ENTITY_GROUPS = {"place": "places", "faction": "factions", "route": "routes", "army": "armies",
                 "siege": "sieges"}

#: the variables naming a dimension's entities when they are not ``<dim>_id``/``<dim>_name``:
#: a siege slot is named by its walled place
ENTITY_LABELS = {"siege": ("siege_place_id", "siege_place_name")}


def _text(v):
    """A str from an HDF5 attribute or string element."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    if isinstance(v, np.generic):
        return v.item()
    return v


def attrs_dict(obj):
    """The attributes of an h5py object as plain Python values (str, int, float)."""
    return {k: _text(v) for k, v in obj.attrs.items()
            if k not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME")}


def check_hdf5(path):
    """Raises a UserError unless path is a readable HDF5 file."""
    if not os.path.exists(path):
        raise UserError("no such file", path, "give the path of a jinsong output (.h5)")
    if os.path.isdir(path):
        raise UserError("is a directory, not a run's HDF5 file", path)
    if not h5py.is_hdf5(path):
        raise UserError("not an HDF5 file", path, "give the path of a jinsong output (.h5)")


def _time_chunk(g):
    """Rows of time per dask chunk for an h5py group: about CHUNK_BYTES of its widest variable
    over time (the time-extendible ones), a multiple of that variable's on-disk chunk so that
    no chunk is read twice. (Narrow variables, such as int8 flags, have much longer chunks on
    disk; taking theirs would put the whole run in one dask chunk.)"""
    row_bytes, disk = 1, 1
    for obj in g.values():
        if isinstance(obj, h5py.Dataset) and obj.ndim >= 2 and obj.maxshape[0] is None:
            width = obj.dtype.itemsize * int(np.prod(obj.shape[1:]))
            if width > row_bytes:
                row_bytes, disk = width, (obj.chunks[0] if obj.chunks else 1)
    rows = max(1, CHUNK_BYTES // row_bytes)
    return max(disk, (rows // disk) * disk)


class H5Array:
    """A dataset of a file read on demand, for dask: the file is opened for each read, so that
    thousands of member files hold no file open, and a closed Run leaves nothing open."""

    def __init__(self, path, name, shape, dtype):
        self.path, self.name, self.shape, self.dtype, self.ndim = path, name, shape, dtype, len(shape)

    def __getitem__(self, key):
        with h5py.File(self.path, "r") as f:
            return f[self.name][key]


def lazy(path, name, shape, dtype, chunks):
    """A dask array of a file's dataset, read chunk by chunk when computed."""
    stamp = os.stat(path).st_mtime_ns
    return dask.array.from_array(H5Array(path, name, shape, dtype), chunks=chunks,
                                 name=f"{path}:{stamp}:{name}", meta=np.array((), dtype))


#: attributes of the HDF5 dimension-scale machinery, not of the variable
_SCALE_ATTRS = ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Encoding", "_Netcdf4Dimid")


def _dim_names(ds):
    """The dimension names of an h5py dataset: its attached scales' names (its own for a scale)."""
    if h5py.h5ds.is_scale(ds.id):
        return [ds.name.rsplit("/", 1)[-1]]
    names = []
    for i, d in enumerate(ds.dims):
        names.append(d[0].name.rsplit("/", 1)[-1] if len(d) else f"dim_{i}")
    return names


def _decode_text(values):
    """Fixed-length UTF-8 bytes (the engine's text variables) as an array of str."""
    v = np.asarray(values)
    if v.dtype.kind == "S" or v.dtype == object:
        return np.vectorize(_text, otypes=[object])(v) if v.size else v.astype(object)
    return v


def open_group(path, group, time_chunk=None):
    """One data group of a run's file as an xarray Dataset, the engine's layout decoded as
    ``xr.open_dataset(engine="h5netcdf", use_cftime=True)`` would (dimension scales, UTF-8 text,
    ``days since`` times in the CF calendar as cftime dates) but read with h5py directly, which
    takes a few milliseconds where h5netcdf takes half a second a group: variables over time are
    dask arrays of ``time_chunk`` rows read when used; the rest (entity ids, names, coordinates
    of places, flow names) is loaded, and 1-D ones are coordinates.

    :param path: the run's file
    :param group: the group's name (``places``)
    :param time_chunk: rows of time per dask chunk (default: the whole time axis)
    """
    coords, data = {}, {}
    with h5py.File(path, "r") as f:
        g = f[group]
        for name, ds in g.items():
            if not isinstance(ds, h5py.Dataset) or ds.dtype.names is not None:
                continue
            dims = _dim_names(ds) if ds.ndim else []
            attrs = {k: _text(v) for k, v in ds.attrs.items() if k not in _SCALE_ATTRS}
            if h5py.h5ds.is_scale(ds.id) and ds.ndim == 1:
                values = _decode_text(ds[:])
                if name == "time" and "since" in str(attrs.get("units", "")):
                    values = cftime.num2date(values, attrs["units"], attrs.get("calendar", "standard"),
                                             only_use_cftime_datetimes=True)
                    attrs = {k: v for k, v in attrs.items() if k not in ("units", "calendar")}
                coords[name] = xr.Variable(dims, values, attrs)
            elif "time" in dims:
                chunks = tuple((time_chunk or ds.shape[0]) if d == "time" else -1 for d in dims)
                values = lazy(path, f"{group}/{name}", ds.shape, ds.dtype, chunks)
                data[name] = xr.Variable(dims, values, attrs)
            elif ds.ndim == 1:
                coords[name] = xr.Variable(dims, _decode_text(ds[:]), attrs)
            else:
                data[name] = xr.Variable(dims, _decode_text(ds[()]), attrs)
            enc = {k: _text(ds.attrs[k]) for k in ("units", "calendar") if name == "time" and k in ds.attrs}
            if enc:
                coords[name].encoding.update(enc)
    return xr.Dataset(data, coords=coords)


class Run:
    """One run's output: a Dataset per data group, the events, the parameters and metadata.

    ``run["places"]`` is the /places group as an ``xarray.Dataset``; ``run.groups`` lists them.
    Static per-entity variables (``place_id``, ``place_name``, ``lat``, ``lon``, ``owner`` of an
    army, ...) are coordinates, loaded; variables over time are dask arrays, read when used.
    Close with ``run.close()`` or use ``with open_run(path) as run:``.

    :param path: the run's HDF5 file
    """

    def __init__(self, path):
        check_hdf5(path)
        self.path = os.path.abspath(path)
        self._ds = {}
        self.unreadable = {}
        with h5py.File(self.path, "r") as f:
            self.attrs = attrs_dict(f)
            self.provenance = attrs_dict(f["provenance"]) if "provenance" in f else {}
            names = [k for k, v in f.items() if isinstance(v, h5py.Group)]
            self._chunks = {k: _time_chunk(f[k]) for k in names if "time" in f[k]}
            self._event_rows, self._event_kinds = _read_event_rows(f)
            time_attrs = None
            for k in names:
                if "time" in f[k]:
                    time_attrs = attrs_dict(f[k]["time"])
                    break
        if "jinsong_version" not in self.attrs and "Conventions" not in self.attrs:
            raise UserError("not a jinsong output (no jinsong_version attribute)", path)
        units = (time_attrs or {}).get("units") or f"days since {self.attrs.get('start_date')} 00:00:00"
        calendar = (time_attrs or {}).get("calendar") or self.attrs.get("calendar", "julian")
        self.calendar = Calendar(units, calendar)
        self.group_names = names
        self._events = None
        self._params = None
        self._label_cache = {}

    # ----------------------------------------------------------------- groups
    @property
    def groups(self):
        """Names of the data groups (those with a time axis), in file order."""
        return [g for g in self.group_names if g in self._chunks]

    def __contains__(self, name):
        return name in self.group_names

    def __getitem__(self, name):
        if name not in self._ds:
            if name not in self.group_names:
                raise KeyError(f"{self.path} has no group /{name}")
            self._ds[name] = self._open_group(name)
        return self._ds[name]

    def datasets(self):
        """Every data group as {name: Dataset} (opened lazily)."""
        return {g: self[g] for g in self.groups}

    def get(self, name):
        """The group's Dataset, or None when the file has no such group or it cannot be read."""
        if name not in self.group_names:
            return None
        try:
            return self[name]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.unreadable[name] = str(exc)
            return None

    def var(self, group, name):
        """A variable of a group, or None when the file does not hold it."""
        ds = self.get(group)
        if ds is None or name not in ds.variables:
            return None
        return ds[name]

    def time_chunk(self, name):
        """Rows of time per dask chunk of a group."""
        return self._chunks.get(name, 1)

    def _open_group(self, name):
        """Opens a group lazily with decoded times and entity coordinates loaded."""
        return open_group(self.path, name, self._chunks.get(name))

    # ----------------------------------------------------------------- tables
    @property
    def events(self):
        """The /events table as a DataFrame (see :func:`events`)."""
        if self._events is None:
            self._events = _events_frame(self)
        return self._events

    @property
    def parameters(self):
        """The /config parameter table: a DataFrame indexed by key with value, unit, source."""
        if self._params is None:
            if "config" not in self.group_names:
                self._params = pd.DataFrame(columns=["value", "unit", "source"])
            else:
                with h5py.File(self.path, "r") as f:
                    g = f["config"]
                    cols = {c: [_text(x) for x in g[c][:]] for c in ("key", "value", "unit", "source")
                            if c in g}
                self._params = pd.DataFrame(cols).set_index("key")
        return self._params

    @property
    def scenario_yaml(self):
        """The resolved scenario as YAML text ("" if the file has none)."""
        with h5py.File(self.path, "r") as f:
            if "config/scenario_yaml" not in f:
                return ""
            return _text(f["config/scenario_yaml"][()])

    # ----------------------------------------------------------------- entities
    def _labels(self, dim):
        """(ids, names) of a dimension's entities, read once with h5py (cheap: no xarray)."""
        if dim not in self._label_cache:
            group = ENTITY_GROUPS.get(dim)
            ids, names = [], []
            with h5py.File(self.path, "r") as f:
                g = f.get(group) if group else None
                id_var, name_var = ENTITY_LABELS.get(dim, (f"{dim}_id", f"{dim}_name"))
                if isinstance(g, h5py.Group) and dim in g:
                    n = g[dim].shape[0]
                    ids = [_text(x) for x in g[id_var][:]] if id_var in g else \
                        [str(i) for i in range(n)]
                    names = [_text(x) for x in g[name_var][:]] if name_var in g else \
                        (list(ids) if id_var in g else [f"{dim} {i}" for i in range(n)])
            self._label_cache[dim] = (ids, names)
        return self._label_cache[dim]

    def names(self, dim):
        """Display names of a dimension's entities (``place`` → place_name), as a list."""
        return list(self._labels(dim)[1])

    def ids(self, dim):
        """Scenario ids of a dimension's entities (``place`` → place_id), as a list."""
        return list(self._labels(dim)[0])

    def index_of(self, dim, key, where=None):
        """The index of an entity given by id, display name or index.

        :param dim: ``place``, ``faction``, ``route``, ``army``, ``siege``
        :param key: an id (``kaifeng``), a display name, or an int index
        :param where: location for the error message
        """
        ids, names = self.ids(dim), self.names(dim)
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if 0 <= key < len(ids):
                return int(key)
        elif key in ids:
            return ids.index(key)
        elif key in names:
            return names.index(key)
        sample = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
        raise UserError(f'no {dim} "{key}" in {os.path.basename(self.path)}', where,
                        f"use one of: {sample}" if ids else f"this run has no /{ENTITY_GROUPS.get(dim, dim)}")

    def days(self, group):
        """The time axis of a group in days since the start (float array)."""
        with h5py.File(self.path, "r") as f:
            return f[group]["time"][:].astype(float)

    # ----------------------------------------------------------------- lifetime
    def close(self):
        """Closes every opened group."""
        for ds in self._ds.values():
            ds.close()
        self._ds.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<jinsong Run {self.attrs.get('scenario', '?')} {self.path} groups={self.groups}>"


def open_run(path):
    """Opens a run's HDF5 file: ``run[group]`` is an xarray Dataset per data group.

    :param path: the run's HDF5 file (written by ``jinsong run``)
    :return: a :class:`Run`
    """
    return Run(path)


# --------------------------------------------------------------------- events


def _read_event_rows(f):
    """The /events rows and the enum's {value: name}, from an open h5py file."""
    if "events" not in f:
        return None, {}
    ds = f["events"]
    rows = ds[:]
    enum = h5py.check_enum_dtype(ds.dtype["kind"]) if "kind" in ds.dtype.names else None
    kinds = {v: k for k, v in (enum or {}).items()}
    return rows, kinds


def _events_frame(run):
    """Builds the events DataFrame of a run."""
    rows, kinds = run._event_rows, run._event_kinds
    cols = ["day", "date", "kind", "place", "place_id", "place_name", "faction_a", "faction_a_name",
            "faction_b", "faction_b_name", "army_a", "army_b", "value0", "value1", "value2",
            "value3", "text"]
    if rows is None or len(rows) == 0:
        return pd.DataFrame({c: [] for c in cols})
    names = rows.dtype.names
    day = rows["day"].astype(int)
    df = pd.DataFrame({"day": day})
    df["date"] = list(run.calendar.date(day.astype(float)))
    df["kind"] = [kinds.get(int(k), f"KIND_{int(k)}") for k in rows["kind"]]
    place_ids, place_names = run.ids("place"), run.names("place")
    fac_names = run.names("faction")

    def lookup(table, i):
        return table[i] if 0 <= i < len(table) else ""

    for c in ("place", "faction_a", "faction_b", "army_a", "army_b"):
        df[c] = rows[c].astype(int) if c in names else -1
    df["place_id"] = [lookup(place_ids, i) for i in df["place"]]
    df["place_name"] = [lookup(place_names, i) for i in df["place"]]
    df["faction_a_name"] = [lookup(fac_names, i) for i in df["faction_a"]]
    df["faction_b_name"] = [lookup(fac_names, i) for i in df["faction_b"]]
    val = rows["value"] if "value" in names else np.zeros((len(rows), 4))
    for k in range(4):
        df[f"value{k}"] = val[:, k].astype(float)
    df["text"] = [_text(t) for t in rows["text"]] if "text" in names else ""
    return df[cols]


def events(path):
    """The /events table of a run as a pandas DataFrame, one row per event in order.

    Columns: ``day`` (days since the start), ``date`` (cftime, the run's calendar), ``kind``
    (the enum's name: BATTLE, CITY_FALLS, ...), ``place`` (index, -1 for none), ``place_id``,
    ``place_name``, ``faction_a``/``faction_b`` (indices) and their ``_name``, ``army_a``,
    ``army_b``, ``value0`` … ``value3`` (kind-specific, docs/OUTPUT.md) and ``text``.

    :param path: a run's HDF5 file, or an open :class:`Run`
    """
    if isinstance(path, Run):
        return path.events
    with Run(path) as run:
        return run.events
