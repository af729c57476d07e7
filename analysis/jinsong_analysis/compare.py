"""Two ensembles compared: a counterfactual against its baseline (docs/ANALYSIS.md, ``compare``).

For each target of a targets file: the share of the members of each ensemble that hit it and
the simulated distribution of each. For each scalar output (a spec of :mod:`.scalars`, e.g.
``event:SIEGE_START:kaifeng`` or ``places/owner[place=kaifeng]@end``): in each ensemble the
members where it has a value (for an event: where it happened), its median and 5–95 % range;
and over the pairs of members that share their seed and run index (a counterfactual's sweep
with the baseline's seed runs the same random streams) the median of the difference and how
many pairs went up, down or stayed equal. Dates are days since the start, which must be the
same in both ensembles.
"""
import math

import numpy as np

from .ensemble import Ensemble, is_ensemble
from .errors import UserError
from .scalars import Scalar
from .score import score
from .targets import read_targets


def _open(path):
    """An ensemble with completed members, or a UserError."""
    if not is_ensemble(path):
        raise UserError("not an ensemble (give a sweep's directory or its ensemble.h5)", path)
    ens = Ensemble(path)
    if not ens.ok:
        raise UserError("no member of this ensemble completed", path)
    return ens


def _distribution(values):
    """(n with a value, n, median, 5 %, 95 %) of an array with NaN for 'none'."""
    v = np.asarray(values, float)
    have = v[~np.isnan(v)]
    if not have.size:
        return {"n_value": 0, "n": int(v.size), "median": math.nan, "p05": math.nan, "p95": math.nan,
                "mean": math.nan}
    p05, med, p95 = np.percentile(have, [5, 50, 95])
    return {"n_value": int(have.size), "n": int(v.size), "median": float(med), "p05": float(p05),
            "p95": float(p95), "mean": float(have.mean())}


def pair_members(base, cf):
    """Member indices (base, cf) of the pairs that share seed and run index, both completed."""
    def key(ens, k):
        m = ens.members
        return int(m.at[k, "seed"]), int(m.at[k, "run_index"])

    cf_by_key = {key(cf, k): k for k in cf.ok}
    return [(k, cf_by_key[key(base, k)]) for k in base.ok if key(base, k) in cf_by_key]


def _paired(spec, vb, vc, pairs, base, cf):
    """Paired differences cf - base over the pairs (both values present)."""
    rb = {k: i for i, k in enumerate(base.members.index)}
    rc = {k: i for i, k in enumerate(cf.members.index)}
    d = np.array([vc[rc[c]] - vb[rb[b]] for b, c in pairs], float)
    both = d[~np.isnan(d)]
    only_base = sum(1 for b, c in pairs if not np.isnan(vb[rb[b]]) and np.isnan(vc[rc[c]]))
    only_cf = sum(1 for b, c in pairs if np.isnan(vb[rb[b]]) and not np.isnan(vc[rc[c]]))
    return {"pairs": len(pairs), "both": int(both.size),
            "median_difference": float(np.median(both)) if both.size else math.nan,
            "up": int((both > 0).sum()), "down": int((both < 0).sum()), "equal": int((both == 0).sum()),
            "only_base": only_base, "only_cf": only_cf}


def compare_outputs(base, cf, specs):
    """The rows of the output comparison (one per spec)."""
    pairs = pair_members(base, cf)
    rows = []
    for spec in specs:
        s = Scalar(spec)
        vb = s.ensemble(base)
        vc = s.ensemble(cf)
        okb = base.members.index.get_indexer(base.ok)
        okc = cf.members.index.get_indexer(cf.ok)
        rows.append({"output": spec, "is_date": s.event is not None,
                     "base": _distribution(vb[okb]), "cf": _distribution(vc[okc]),
                     "paired": _paired(spec, vb, vc, pairs, base, cf)})
    return rows


def compare_targets(base, cf, targets_path):
    """The scorecards of both ensembles on one targets file."""
    targets = read_targets(targets_path)
    cards = []
    for ens in (base, cf):
        runs = [ens.run(k) for k in ens.ok]
        cards.append(score(targets, runs, runs[0].calendar))
    return cards


def compare_paths(base_path, cf_path, targets_path=None, outputs=()):
    """Compares two ensembles; returns a dict (scorecards, output rows, calendar labels)."""
    base, cf = _open(base_path), _open(cf_path)
    with base, cf:
        rb, rc = base.run(base.ok[0]), cf.run(cf.ok[0])
        if rb.attrs.get("start_date") != rc.attrs.get("start_date"):
            raise UserError(f"the ensembles start on different days ({rb.attrs.get('start_date')} and "
                            f"{rc.attrs.get('start_date')}): their days cannot be compared", cf_path)
        out = {"base": base_path, "cf": cf_path, "members": [len(base.ok), len(cf.ok)],
               "pairs": len(pair_members(base, cf)), "calendar": rb.calendar}
        out["targets"] = compare_targets(base, cf, targets_path) if targets_path else None
        out["outputs"] = compare_outputs(base, cf, list(outputs))
    return out


def _label(cal, x, is_date):
    """A value in words: a date (days since the start) or a number."""
    if math.isnan(x):
        return "none"
    return cal.label(x) if is_date else f"{x:.4g}"


def _table(head, lines):
    """Columns padded to their widest cell."""
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*head), fmt.format(*["-" * w for w in widths])] + [fmt.format(*map(str, x)) for x in lines]


def format_comparison(c):
    """The comparison as text: the targets' hit shares, then the outputs."""
    cal = c["calendar"]
    out = [f"base {c['base']} ({c['members'][0]} members) vs counterfactual {c['cf']} "
           f"({c['members'][1]} members; {c['pairs']} pairs with the same seed and run index)"]
    if c["targets"]:
        cb, cc = c["targets"]
        lines = []
        for rb, rc in zip(cb["rows"], cc["rows"]):
            if rb["hit_fraction"] is None or rc["hit_fraction"] is None:
                lines.append([rb["target"], "n/a", "n/a", "", rb["note"] or rc["note"]])
                continue
            lines.append([rb["target"], f"{100 * rb['hit_fraction']:.0f} %", f"{100 * rc['hit_fraction']:.0f} %",
                          f"{100 * (rc['hit_fraction'] - rb['hit_fraction']):+.0f}",
                          f"{rb['simulated']}  ->  {rc['simulated']}"])
        out += ["", f"targets: {cb['name']}"]
        out += _table(["target", "base hit", "cf hit", "change", "simulated: base -> cf"], lines)
        out.append(f"score {cb['score']:.3f} -> {cc['score']:.3f}")
    if c["outputs"]:
        lines = []
        for r in c["outputs"]:
            d = r["is_date"]
            b, f, p = r["base"], r["cf"], r["paired"]

            def dist(x):
                mean = "" if d or math.isnan(x["mean"]) else f", mean {x['mean']:.4g}"
                return (f"{x['n_value']}/{x['n']}: {_label(cal, x['median'], d)} "
                        f"[{_label(cal, x['p05'], d)} – {_label(cal, x['p95'], d)}]{mean}")

            md = p["median_difference"]
            diff = "n/a" if math.isnan(md) else (f"{md:+.0f} d" if d else f"{md:+.4g}")
            lines.append([r["output"], dist(b), dist(f), diff,
                          f"{p['up']}/{p['down']}/{p['equal']} of {p['both']}",
                          f"{p['only_base']}/{p['only_cf']}"])
        out += ["", "outputs (n with a value/n: median [5 % – 95 %], and the mean of a value; paired: cf − base over the pairs "
                "where both have a value; an event's value is its first date)"]
        out += _table(["output", "base", "counterfactual", "paired median", "up/down/equal",
                       "only base/only cf"], lines)
    return "\n".join(out)


def to_jsonable(c):
    """The comparison without its calendar object, for JSON."""
    return {k: v for k, v in c.items() if k != "calendar"}
