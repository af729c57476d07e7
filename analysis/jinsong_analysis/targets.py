"""Validation targets (``configs/targets/*.yaml``; format in docs/ANALYSIS.md): read with the
line and column of every value, checked strictly — unknown keys, missing keys, wrong types and
duplicate keys are reported together, each at its ``FILE:LINE:COL``, as the engine does for
scenario files. Dates stay text (YAML would turn ``1127-01-09`` into a proleptic Gregorian date,
and a Julian date such as 1100-02-29 does not exist there)."""
import csv
import os

import yaml

from .dates import _DATE
from .errors import UserError, UserErrors

KINDS = {
    "event_date": {"required": {"event", "date", "tolerance_days"},
                   "optional": {"place", "faction", "weight", "source", "note"}},
    "value": {"required": {"variable", "date", "expected"},
              "optional": {"select", "tolerance_rel", "tolerance_abs", "weight", "source", "note"}},
    "ratio": {"required": {"numerator", "denominator", "date", "expected"},
              "optional": {"tolerance_rel", "tolerance_abs", "weight", "source", "note"}},
    "ard": {"required": {"variable", "threshold"},
            "optional": {"observed", "observed_csv", "observed_flee", "mode", "weight", "source",
                         "note"}},
}
TOP_KEYS = {"name", "description", "targets"}
ARD_MODES = ("rescaled", "normal")


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates stay text."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class Node:
    """A YAML value with its location."""

    def __init__(self, value, where):
        self.value = value
        self.where = where

    def __repr__(self):
        return f"Node({self.value!r} @ {self.where})"


class Errors:
    """Collects the errors of a targets file, to report them all at once."""

    def __init__(self):
        self.items = []

    def add(self, where, message, fix=None):
        """Records an error."""
        self.items.append(UserError(message, where, fix))

    def raise_if_any(self):
        """Raises one UserErrors holding every error recorded, in file order."""
        if self.items:
            raise UserErrors(sorted(self.items, key=_location_key))


def _location_key(err):
    """Sort key of an error by its FILE:LINE:COL."""
    parts = str(err.where or "").rsplit(":", 2)
    try:
        return parts[0], int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return str(err.where or ""), 0, 0


def _wrap(node, path, errors):
    """A YAML node tree as Nodes (maps → dict of Nodes, lists → list of Nodes)."""
    where = f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            if key in out:
                errors.add(f"{path}:{k.start_mark.line + 1}:{k.start_mark.column + 1}",
                           f'duplicate key "{key}"', "keep one of them")
                continue
            out[key] = _wrap(v, path, errors)
        return Node(out, where)
    if isinstance(node, yaml.SequenceNode):
        return Node([_wrap(v, path, errors) for v in node.value], where)
    loader = _Loader("")
    return Node(loader.construct_object(node), where)


def read_yaml(path):
    """A YAML file as a Node tree (each value with its FILE:LINE:COL) and the errors found
    (duplicate keys)."""
    if not os.path.isfile(path):
        raise UserError("no such targets file", path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise UserError(f"YAML syntax: {getattr(exc, 'problem', exc)}", where)
    if node is None:
        raise UserError("the targets file is empty", path, "write a `targets:` map (docs/ANALYSIS.md)")
    errors = Errors()
    tree = _wrap(node, path, errors)
    return tree, errors


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_keys(node, allowed, required, errors, what):
    """Unknown and missing keys of a map."""
    for k, v in node.value.items():
        if k not in allowed:
            errors.add(v.where, f'{what}: unknown key "{k}"', f"allowed keys: {', '.join(sorted(allowed))}")
    for k in sorted(required - set(node.value)):
        errors.add(node.where, f'{what}: missing key "{k}"')


def _number(node, errors, what, positive=False):
    """A number value, or None after recording an error."""
    if node is None:
        return None
    if not _is_number(node.value) or (positive and node.value < 0):
        errors.add(node.where, f"{what}: expected a {'non-negative ' if positive else ''}number, "
                               f"got {node.value!r}")
        return None
    return float(node.value)


def _text(node, errors, what):
    """A text (or number written as text, e.g. a place index) value."""
    if node is None:
        return None
    if isinstance(node.value, (dict, list)) or node.value is None:
        errors.add(node.where, f"{what}: expected a word, got {type(node.value).__name__}")
        return None
    return str(node.value)


def _date(node, errors, what):
    """A YYYY-MM-DD text (whether the day exists depends on the run's calendar, checked when
    scoring)."""
    text = _text(node, errors, what)
    m = _DATE.match(text or "")
    if text is not None and (not m or not 1 <= int(m.group(2)) <= 12 or not 1 <= int(m.group(3)) <= 31):
        errors.add(node.where, f'{what}: expected a date YYYY-MM-DD, got "{text}"')
    return text


def _select(node, errors, what):
    """A selection map {dim: id or [ids]}."""
    if node is None:
        return {}
    if not isinstance(node.value, dict):
        errors.add(node.where, f"{what}: expected a map DIM: ID or DIM: [IDS]")
        return {}
    out = {}
    for dim, v in node.value.items():
        if isinstance(v.value, list):
            out[dim] = [str(x.value) for x in v.value]
        elif isinstance(v.value, dict) or v.value is None:
            errors.add(v.where, f"{what}.{dim}: expected an id or a list of ids")
        else:
            out[dim] = [str(v.value)]
    return out


def _tolerance(t, errors, name):
    """Exactly one of tolerance_rel / tolerance_abs."""
    rel, ab = t.value.get("tolerance_rel"), t.value.get("tolerance_abs")
    if (rel is None) == (ab is None):
        errors.add(t.where, f"{name}: give exactly one of tolerance_rel (a fraction of the expected "
                            "value) and tolerance_abs (in the variable's units)")
        return None, None
    if rel is not None:
        return "rel", _number(rel, errors, f"{name}.tolerance_rel", positive=True)
    return "abs", _number(ab, errors, f"{name}.tolerance_abs", positive=True)


def _quantity(node, errors, what):
    """{variable, select} of a ratio's numerator or denominator."""
    if node is None or not isinstance(node.value, dict):
        if node is not None:
            errors.add(node.where, f"{what}: expected a map with variable and select")
        return None
    _check_keys(node, {"variable", "select"}, {"variable"}, errors, what)
    return {"variable": _text(node.value.get("variable"), errors, f"{what}.variable"),
            "select": _select(node.value.get("select"), errors, f"{what}.select"),
            "where": node.where}


def _observed(t, errors, name, base):
    """Observed counts of an ARD target: inline [{date, ID: count, ...}], a CSV file, or the UNHCR
    camp counts of a FLEE scenario folder (every day of its period)."""
    inline, path = t.value.get("observed"), t.value.get("observed_csv")
    flee = t.value.get("observed_flee")
    if sum(x is not None for x in (inline, path, flee)) != 1:
        errors.add(t.where, f"{name}: give exactly one of observed (a list of {{date, ID: count}}), "
                            "observed_csv (a file with columns date, ID, ...) and observed_flee "
                            "(a FLEE scenario folder)")
        return []
    if flee is not None:
        from .flee import observed_rows
        try:
            return observed_rows(os.path.join(base, str(flee.value)))
        except UserError as e:
            errors.add(flee.where, f"{name}.observed_flee: {e}")
            return []
    rows = []
    if inline is not None:
        if not isinstance(inline.value, list) or not inline.value:
            errors.add(inline.where, f"{name}.observed: expected a non-empty list")
            return []
        for item in inline.value:
            if not isinstance(item.value, dict) or "date" not in item.value:
                errors.add(item.where, f"{name}.observed: each item is a map with a date and counts")
                continue
            counts = {}
            for k, v in item.value.items():
                if k != "date":
                    n = _number(v, errors, f"{name}.observed.{k}", positive=True)
                    if n is not None:
                        counts[k] = n
            rows.append((str(item.value["date"].value), counts, item.where))
        return rows
    csv_path = os.path.join(base, str(path.value))
    if not os.path.isfile(csv_path):
        errors.add(path.where, f"{name}.observed_csv: no such file {csv_path}")
        return []
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "date" not in reader.fieldnames:
            errors.add(path.where, f"{name}.observed_csv: {csv_path} needs a header with a date column")
            return []
        for i, r in enumerate(reader, start=2):
            counts = {}
            for k, v in r.items():
                if k == "date" or v is None or v.strip() == "":
                    continue
                try:
                    counts[k] = float(v)
                except ValueError:
                    errors.add(f"{csv_path}:{i}", f"{name}: count {v!r} of {k} is not a number")
            rows.append((r["date"], counts, f"{csv_path}:{i}"))
    return rows


def read_targets(path):
    """Reads and checks a targets file.

    :param path: the YAML file
    :return: dict with name, description and targets: a list of dicts (``name``, ``kind``, and
        the kind's fields, each target with its ``where``)
    """
    tree, errors = read_yaml(path)
    if not isinstance(tree.value, dict):
        raise UserError("expected a map with `targets:` at the top", tree.where)
    _check_keys(tree, TOP_KEYS, {"targets"}, errors, "targets file")
    tnode = tree.value.get("targets")
    out = {"name": str(tree.value["name"].value) if "name" in tree.value else os.path.basename(path),
           "description": str(tree.value["description"].value) if "description" in tree.value else "",
           "targets": []}
    if tnode is not None and (not isinstance(tnode.value, dict) or not tnode.value):
        errors.add(tnode.where, "targets: expected a map of targets keyed by name")
        tnode = None
    base = os.path.dirname(os.path.abspath(path))
    for name, t in (tnode.value.items() if tnode else []):
        if not isinstance(t.value, dict):
            errors.add(t.where, f"{name}: expected a map")
            continue
        kind_node = t.value.get("kind")
        kind = kind_node.value if kind_node is not None else None
        if kind not in KINDS:
            errors.add(kind_node.where if kind_node else t.where,
                       f"{name}.kind: expected one of {', '.join(KINDS)}, got {kind!r}")
            continue
        spec = KINDS[kind]
        _check_keys(t, spec["required"] | spec["optional"] | {"kind"}, spec["required"], errors, name)
        v = t.value
        target = {"name": name, "kind": kind, "where": t.where,
                  "weight": _number(v.get("weight"), errors, f"{name}.weight", positive=True)
                  if "weight" in v else 1.0,
                  "source": str(v["source"].value) if "source" in v else "",
                  "note": str(v["note"].value) if "note" in v else ""}
        if "date" in v:
            target["date"] = _date(v["date"], errors, f"{name}.date")
            target["date_where"] = v["date"].where
        if kind == "event_date":
            target["event"] = _text(v.get("event"), errors, f"{name}.event")
            target["place"] = _text(v.get("place"), errors, f"{name}.place")
            target["faction"] = _text(v.get("faction"), errors, f"{name}.faction")
            target["tolerance_days"] = _number(v.get("tolerance_days"), errors, f"{name}.tolerance_days",
                                               positive=True)
        elif kind == "value":
            target["variable"] = _text(v.get("variable"), errors, f"{name}.variable")
            target["select"] = _select(v.get("select"), errors, f"{name}.select")
            target["expected"] = _number(v.get("expected"), errors, f"{name}.expected")
            target["tolerance"] = _tolerance(t, errors, name)
        elif kind == "ratio":
            target["numerator"] = _quantity(v.get("numerator"), errors, f"{name}.numerator")
            target["denominator"] = _quantity(v.get("denominator"), errors, f"{name}.denominator")
            target["expected"] = _number(v.get("expected"), errors, f"{name}.expected")
            target["tolerance"] = _tolerance(t, errors, name)
        else:
            target["variable"] = _text(v.get("variable"), errors, f"{name}.variable")
            target["threshold"] = _number(v.get("threshold"), errors, f"{name}.threshold", positive=True)
            mode = _text(v.get("mode"), errors, f"{name}.mode") if "mode" in v else "rescaled"
            if mode not in ARD_MODES:
                errors.add(v["mode"].where, f"{name}.mode: expected one of {', '.join(ARD_MODES)}")
            target["mode"] = mode
            target["observed"] = _observed(t, errors, name, base)
        out["targets"].append(target)
    errors.raise_if_any()
    return out
