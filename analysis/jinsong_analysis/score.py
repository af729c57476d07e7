"""The validation scorecard: each target of a targets file (event dates, values and ratios at a
date, FLEE-style ARD against observed counts) with the simulated value — or its distribution over
an ensemble's members —, hit or miss, and an overall score.

Rules (docs/ANALYSIS.md): a run hits a target when the simulated value is within the tolerance
(an event that never happens misses); an ensemble hits it when at least half of its completed
members do, and reports the fraction that do. The overall score is the weighted mean of those
fractions over the targets that can be evaluated (a target dated outside the run cannot).
"""
import json
import math

import numpy as np

from . import scalars as SC
from .errors import UserError
from .targets import read_targets


class NotEvaluable(Exception):
    """A target this run cannot evaluate (its date lies outside the run)."""


def _day(run, target, key="date"):
    """The target's date as days since the run's start."""
    cal = run.calendar
    return cal.day(cal.parse(target[key], target.get("date_where")))


def _inside(run, target, day):
    """Refuses a date outside the run."""
    n = float(run.attrs.get("n_days", 0))
    if day < 0 or day > n:
        raise NotEvaluable(f"{target['date']} is outside the run ({run.calendar.label(0)} to "
                           f"{run.calendar.label(n)})")


def eval_event_date(run, t):
    """(simulated day or NaN, hit) of an event_date target."""
    day = _day(run, t)
    n = float(run.attrs.get("n_days", 0))
    if day - t["tolerance_days"] > n or day + t["tolerance_days"] < 0:
        raise NotEvaluable(f"{t['date']} ± {t['tolerance_days']:g} days is outside the run "
                           f"({run.calendar.label(0)} to {run.calendar.label(n)})")
    sim = SC.first_event_day(run, t["event"], t["place"], t["faction"], t["where"])
    return sim, bool(not math.isnan(sim) and abs(sim - day) <= t["tolerance_days"])


def _within(sim, expected, tol):
    """A value within a ("rel" | "abs", amount) tolerance of the expected."""
    how, amount = tol
    limit = amount * abs(expected) if how == "rel" else amount
    return bool(np.isfinite(sim) and abs(sim - expected) <= limit)


def eval_value(run, t):
    """(simulated value, hit) of a value target."""
    day = _day(run, t)
    _inside(run, t, day)
    sim = SC.at_day(run, SC.select(run, t["variable"], t["select"], t["where"]), day)
    return sim, _within(sim, t["expected"], t["tolerance"])


def eval_ratio(run, t):
    """(simulated ratio, hit) of a ratio target."""
    day = _day(run, t)
    _inside(run, t, day)
    num = SC.at_day(run, SC.select(run, t["numerator"]["variable"], t["numerator"]["select"],
                                   t["numerator"]["where"]), day)
    den = SC.at_day(run, SC.select(run, t["denominator"]["variable"], t["denominator"]["select"],
                                   t["denominator"]["where"]), day)
    sim = num / den if den else float("nan")
    return sim, _within(sim, t["expected"], t["tolerance"])


def ard(sim, obs, mode="rescaled"):
    """FLEE's averaged relative difference over dates (flee/postprocessing, FabFlee validate_flee).

    E(t) = Σ_c |sim_c(t) − obs_c(t)| / max(1, Σ_c obs_c(t)); ARD = mean over t. In "rescaled"
    mode sim_c(t) is first scaled by Σ obs(t) / Σ sim(t) (when Σ sim(t) > 0).

    :param sim: array (dates, entities) of simulated counts
    :param obs: array (dates, entities) of observed counts (NaN where not observed)
    :param mode: "rescaled" or "normal"
    """
    sim = np.asarray(sim, float)
    obs = np.asarray(obs, float)
    errs = []
    for s, o in zip(sim, obs):
        seen = ~np.isnan(o)
        s, o = s[seen], o[seen]
        if mode == "rescaled" and s.sum() > 0:
            s = s * o.sum() / s.sum()
        errs.append(np.abs(s - o).sum() / max(1.0, o.sum()))
    return float(np.mean(errs)) if errs else float("nan")


def eval_ard(run, t):
    """(ARD, hit) of an ard target; observed dates outside the run are left out."""
    var = t["variable"]
    group, name = var.split("/", 1) if "/" in var else (None, None)
    ds = run.get(group) if group else None
    if ds is None or name not in ds.variables:
        raise UserError(f"{run.path} has no /{var}", t["where"])
    da = ds[name]
    dims = [d for d in da.dims if d != "time"]
    if len(dims) != 1:
        raise UserError(f"/{var} must have one entity dimension besides time (it has {dims})", t["where"])
    dim = dims[0]
    cal = run.calendar
    n = float(run.attrs.get("n_days", 0))
    keys = sorted({k for _, counts, _ in t["observed"] for k in counts})
    cols = [run.index_of(dim, k, t["where"]) for k in keys]
    sims, obs = [], []
    for date, counts, where in t["observed"]:
        day = cal.day(cal.parse(date, where))
        if not 0 <= day <= n:
            continue
        row = SC.at_day_row(run, da, day)
        sims.append([float(row[c]) for c in cols])
        obs.append([counts.get(k, np.nan) for k in keys])
    if not sims:
        raise NotEvaluable("no observed date falls inside the run")
    value = ard(np.array(sims), np.array(obs), t["mode"])
    return value, bool(value <= t["threshold"])


EVALUATORS = {"event_date": eval_event_date, "value": eval_value, "ratio": eval_ratio, "ard": eval_ard}


def _expected_text(t):
    """What the target expects, in words."""
    if t["kind"] == "event_date":
        where = f" at {t['place']}" if t["place"] else ""
        return f"{t['event']}{where} on {t['date']} ± {t['tolerance_days']:g} d"
    if t["kind"] in ("value", "ratio"):
        how, amount = t["tolerance"]
        tol = f"± {100 * amount:g} %" if how == "rel" else f"± {amount:g}"
        return f"{t['expected']:g} {tol} on {t['date']}"
    return f"ARD ≤ {t['threshold']:g} ({t['mode']}, {len(t['observed'])} dates)"


def _sim_text(run_or_cal, t, values):
    """The simulated value(s) in words."""
    v = np.asarray(values, float)
    cal = run_or_cal

    def one(x):
        if t["kind"] == "event_date":
            return "never" if math.isnan(x) else cal.label(x)
        return "n/a" if math.isnan(x) else f"{x:.4g}"

    if v.size == 1:
        return one(v[0])
    happened = v[~np.isnan(v)]
    if not happened.size:
        return f"never in {v.size} members" if t["kind"] == "event_date" else "n/a"
    lo, med, hi = np.percentile(happened, [5, 50, 95])
    extra = f" ({happened.size} of {v.size} members)" if happened.size < v.size else ""
    return f"{one(med)} [{one(lo)} – {one(hi)}]{extra}"


def score(targets, runs, calendar):
    """Scores targets on one run or on the members of an ensemble.

    :param targets: the dict of :func:`read_targets`
    :param runs: list of Runs (one, or an ensemble's completed members)
    :param calendar: the Calendar for date labels
    :return: dict with rows (one per target) and the overall score
    """
    rows = []
    for t in targets["targets"]:
        values, hits, reason = [], [], ""
        try:
            for run in runs:
                v, h = EVALUATORS[t["kind"]](run, t)
                values.append(v)
                hits.append(h)
        except NotEvaluable as exc:
            reason = str(exc)
        row = {"target": t["name"], "kind": t["kind"], "expected": _expected_text(t), "weight": t["weight"],
               "source": t["source"]}
        if reason:
            row.update(simulated="", hit=None, hit_fraction=None, note=f"not evaluated: {reason}")
        else:
            frac = float(np.mean(hits))
            row.update(simulated=_sim_text(calendar, t, values), values=[float(x) for x in values],
                       hit=bool(frac >= 0.5) if len(runs) > 1 else bool(hits[0]), hit_fraction=frac,
                       note=t["note"])
        rows.append(row)
    scored = [r for r in rows if r["hit_fraction"] is not None]
    wsum = sum(r["weight"] for r in scored)
    overall = sum(r["weight"] * r["hit_fraction"] for r in scored) / wsum if wsum else float("nan")
    return {"name": targets["name"], "members": len(runs), "rows": rows, "score": overall,
            "hits": sum(1 for r in scored if r["hit"]), "evaluated": len(scored), "targets": len(rows)}


def format_table(card):
    """The scorecard as a text table."""
    head = ["target", "kind", "expected", "simulated", "hit", "weight"]
    lines = []
    for r in card["rows"]:
        if r["hit"] is None:
            hit = "n/a"
        elif card["members"] > 1:
            hit = f"{'HIT' if r['hit'] else 'miss'} {100 * r['hit_fraction']:.0f} %"
        else:
            hit = "HIT" if r["hit"] else "miss"
        lines.append([r["target"], r["kind"], r["expected"], r["simulated"] or r["note"], hit,
                      f"{r['weight']:g}"])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*["-" * w for w in widths])]
    out += [fmt.format(*map(str, line)) for line in lines]
    who = f"{card['members']} members" if card["members"] > 1 else "1 run"
    out.append("")
    out.append(f"score {card['score']:.3f} ({card['hits']} of {card['evaluated']} evaluated targets hit, "
               f"{card['targets'] - card['evaluated']} not evaluated; {who}) — {card['name']}")
    return "\n".join(out)


def write_json(card, path):
    """Writes the scorecard as JSON."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(card, f, indent=2, default=float)


def score_path(path, targets_path):
    """Scores a run file or an ensemble against a targets file; returns the scorecard."""
    from .ensemble import Ensemble, is_ensemble
    from .load import Run

    targets = read_targets(targets_path)
    if is_ensemble(path):
        ens = Ensemble(path)
        if not ens.ok:
            raise UserError("no member of this ensemble completed", path)
        runs = [ens.run(k) for k in ens.ok]
    else:
        runs = [Run(path)]
    return score(targets, runs, runs[0].calendar)
