"""Sensitivity of scalar outputs to an ensemble's varied parameters.

With a Saltelli design (docs/OUTPUT.md, "Ensembles": each member labelled A, B or AB_i with the
row j of the base sample): first-order and total Sobol indices by Jansen's estimators (Jansen
1999; Saltelli et al. 2010, Comput. Phys. Commun. 181:259, table 2 (f) and (b)):

    V    = Var over all f(A) and f(B)
    S_i  = [V − ½ · mean_j (f(B)_j − f(AB_i)_j)²] / V          first order
    S_Ti = ½ · mean_j (f(A)_j − f(AB_i)_j)² / V                total

(AB_i is A with column i taken from B), with bootstrap confidence intervals over the rows j.
Any other design: Morris elementary effects (μ, μ*, σ) from the pairs of design points that differ
in one parameter only (Morris 1991; Campolongo et al. 2007 for μ*), the main effect of each
parameter by level (OFAT), and, for space-filling designs with no such pairs, Spearman rank
correlations and standardized regression coefficients.
"""
import numpy as np
from scipy import stats
from scipy.stats import qmc

from .errors import UserError

A, B = 0, 1


# --------------------------------------------------------------------- Saltelli design


def saltelli_design(n, lower, upper, seed=0):
    """A Saltelli design over a box: the base matrices A and B from a scrambled Sobol sequence of
    dimension 2k, and the k matrices AB_i.

    :param n: base samples N (a power of 2 keeps the Sobol sequence balanced)
    :param lower: lower bounds (k)
    :param upper: upper bounds (k)
    :param seed: seed of the scrambling
    :return: (X of shape (N·(k+2), k), matrix label per row: 0 = A, 1 = B, 2 + i = AB_i,
        row j of the base sample per row)
    """
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    k = len(lower)
    base = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    a = qmc.scale(base[:, :k], lower, upper)
    b = qmc.scale(base[:, k:], lower, upper)
    blocks, labels = [a, b], [np.full(n, A), np.full(n, B)]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
        labels.append(np.full(n, 2 + i))
    rows = np.tile(np.arange(n), k + 2)
    return np.vstack(blocks), np.concatenate(labels), rows


def jansen(fa, fb, fab):
    """First-order and total indices by Jansen's estimators.

    :param fa: f(A), shape (N,)
    :param fb: f(B), shape (N,)
    :param fab: f(AB_i), shape (k, N)
    :return: (S1, ST), each shape (k,)
    """
    fa, fb, fab = np.asarray(fa, float), np.asarray(fb, float), np.asarray(fab, float)
    v = np.var(np.concatenate([fa, fb]))
    if v == 0:
        return np.full(fab.shape[0], np.nan), np.full(fab.shape[0], np.nan)
    s1 = (v - 0.5 * np.mean((fb[None, :] - fab) ** 2, axis=1)) / v
    st = 0.5 * np.mean((fa[None, :] - fab) ** 2, axis=1) / v
    return s1, st


def bootstrap(fa, fb, fab, n_boot=1000, confidence=0.95, seed=0):
    """Percentile bootstrap confidence intervals of the Jansen indices, resampling rows j.

    :return: (S1 low, S1 high, ST low, ST high), each shape (k,)
    """
    rng = np.random.default_rng(seed)
    n = len(fa)
    s1s, sts = [], []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        s1, st = jansen(fa[idx], fb[idx], fab[:, idx])
        s1s.append(s1)
        sts.append(st)
    q = [50 * (1 - confidence), 50 * (1 + confidence)]
    s1l, s1h = np.nanpercentile(np.array(s1s), q, axis=0)
    stl, sth = np.nanpercentile(np.array(sts), q, axis=0)
    return s1l, s1h, stl, sth


def saltelli_arrays(matrix, row, y, k):
    """f(A), f(B), f(AB_i) by base row from per-member labels; replicates of a design point are
    averaged; rows with a missing member or a NaN output are dropped.

    :return: (fa, fb, fab (k, N'), rows kept, rows dropped)
    """
    matrix, row, y = np.asarray(matrix, int), np.asarray(row, int), np.asarray(y, float)
    n = int(row.max()) + 1 if row.size else 0
    sums = np.zeros((k + 2, n))
    counts = np.zeros((k + 2, n))
    ok = ~np.isnan(y) & (matrix >= 0) & (matrix < k + 2) & (row >= 0)
    np.add.at(sums, (matrix[ok], row[ok]), y[ok])
    np.add.at(counts, (matrix[ok], row[ok]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / counts
    keep = np.all(counts > 0, axis=0)
    return mean[A, keep], mean[B, keep], mean[2:, keep], int(keep.sum()), int(n - keep.sum())


def sobol(matrix, row, y, k, n_boot=1000, confidence=0.95, seed=0):
    """Sobol indices with bootstrap intervals from a Saltelli-labelled sample.

    :return: dict with S1, ST, their intervals, the rows used and dropped, and the variance
    """
    fa, fb, fab, used, dropped = saltelli_arrays(matrix, row, y, k)
    if used < 2:
        raise UserError(f"too few complete Saltelli rows ({used}; {dropped} dropped for a failed member "
                        "or a missing output)")
    s1, st = jansen(fa, fb, fab)
    s1l, s1h, stl, sth = bootstrap(fa, fb, fab, n_boot, confidence, seed)
    return {"S1": s1, "ST": st, "S1_low": s1l, "S1_high": s1h, "ST_low": stl, "ST_high": sth,
            "rows_used": used, "rows_dropped": dropped, "variance": float(np.var(np.concatenate([fa, fb]))),
            "confidence": confidence, "bootstrap": n_boot}


# --------------------------------------------------------------------- other designs


def design_points(x, y):
    """Replicates averaged: (unique points (m, k), mean output (m,), replicates per point)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    pts, inverse, counts = np.unique(x[ok], axis=0, return_inverse=True, return_counts=True)
    means = np.bincount(inverse.ravel(), weights=y[ok], minlength=len(pts)) / counts
    return pts, means, counts


def morris(x, y, lower=None, upper=None):
    """Elementary effects from pairs of design points that differ in one parameter only (the
    structure of Morris trajectories, OFAT designs and grids), Δ scaled to the parameter's range.

    :param x: parameters (members, k)
    :param y: output (members,)
    :param lower: lower bounds (k) or None for the observed minimum
    :param upper: upper bounds (k) or None for the observed maximum
    :return: dict of arrays (k,): mu, mu_star, sigma, n (number of effects)
    """
    pts, means, _ = design_points(x, y)
    k = pts.shape[1] if pts.ndim == 2 else 0
    lo = np.asarray(lower, float) if lower is not None else pts.min(axis=0)
    hi = np.asarray(upper, float) if upper is not None else pts.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    effects = [[] for _ in range(k)]
    for i in range(k):
        others = np.delete(pts, i, axis=1)
        groups = {}
        for p, key in enumerate(map(tuple, others)):
            groups.setdefault(key, []).append(p)
        for members in groups.values():
            if len(members) < 2:
                continue
            order = sorted(members, key=lambda p: pts[p, i])
            for p, q in zip(order, order[1:]):
                delta = (pts[q, i] - pts[p, i]) / span[i]
                if delta > 0:
                    effects[i].append((means[q] - means[p]) / delta)
    out = {"mu": [], "mu_star": [], "sigma": [], "n": []}
    for e in effects:
        e = np.asarray(e, float)
        out["mu"].append(float(e.mean()) if e.size else np.nan)
        out["mu_star"].append(float(np.abs(e).mean()) if e.size else np.nan)
        out["sigma"].append(float(e.std(ddof=1)) if e.size > 1 else np.nan)
        out["n"].append(int(e.size))
    return {k_: np.asarray(v) for k_, v in out.items()}


def main_effects(x, y, max_levels=12):
    """Mean output at each level of each parameter (OFAT / grid designs): a list per parameter
    of (level, mean output, members), or None when a parameter has more than max_levels levels."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    out = []
    for i in range(x.shape[1]):
        levels = np.unique(x[~np.isnan(x[:, i]), i])
        if len(levels) > max_levels:
            out.append(None)
            continue
        rows = []
        for v in levels:
            sel = (x[:, i] == v) & ~np.isnan(y)
            rows.append((float(v), float(y[sel].mean()) if sel.any() else np.nan, int(sel.sum())))
        out.append(rows)
    return out


def correlations(x, y):
    """Spearman rank correlation and standardized regression coefficients (with R²) of the
    output on each parameter — for space-filling designs (LHS, Sobol) without one-at-a-time pairs."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    x, y = x[ok], y[ok]
    k = x.shape[1]
    rho = np.array([stats.spearmanr(x[:, i], y).correlation if np.ptp(x[:, i]) > 0 else np.nan
                    for i in range(k)])
    sx = x.std(axis=0)
    sy = y.std()
    if len(y) > k + 1 and sy > 0 and np.all(sx > 0):
        z = (x - x.mean(axis=0)) / sx
        coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), z]), (y - y.mean()) / sy, rcond=None)
        src = coef[1:]
        pred = np.column_stack([np.ones(len(y)), z]) @ coef
        r2 = 1 - np.sum(((y - y.mean()) / sy - pred) ** 2) / len(y)
    else:
        src, r2 = np.full(k, np.nan), np.nan
    return {"spearman": rho, "src": np.asarray(src), "r2": float(r2), "n": int(len(y))}


# --------------------------------------------------------------------- an ensemble


def analyse(ens, scalar, n_boot=1000, confidence=0.95, seed=0):
    """The sensitivity of one scalar output over an ensemble.

    :param ens: an Ensemble
    :param scalar: a :class:`jinsong_analysis.scalars.Scalar`
    :return: dict: method ("sobol" or "morris"), params, and the method's arrays
    """
    params = ens.params
    if not params:
        raise UserError("the ensemble varies no parameter", ens.path,
                        "a sensitivity analysis needs members that differ in their parameters")
    y = scalar.ensemble(ens)
    d = ens.design
    out = {"output": scalar.spec, "params": list(params), "members": len(y),
           "missing": int(np.isnan(y).sum()), "design": d.get("kind")}
    if d.get("kind") == "saltelli":
        if "saltelli_matrix" not in d or "saltelli_row" not in d:
            raise UserError("a saltelli design without /design/saltelli_matrix and saltelli_row", ens.path)
        keys = d.get("param_keys") or params
        out["params"] = list(keys)
        out.update(method="sobol", **sobol(d["saltelli_matrix"], d["saltelli_row"], y, len(keys),
                                           n_boot, confidence, seed))
        return out
    x = ens.members[params].to_numpy(float)
    lower = d.get("lower") if d.get("lower") is not None and len(d.get("lower")) == len(params) else None
    upper = d.get("upper") if d.get("upper") is not None and len(d.get("upper")) == len(params) else None
    out.update(method="morris", morris=morris(x, y, lower, upper), main_effects=main_effects(x, y),
               correlations=correlations(x, y))
    return out


def format_result(res):
    """A result as a text table."""
    lines = [f"output {res['output']}: {res['members']} members ({res['missing']} without a value), "
             f"design {res['design']}"]
    p = res["params"]
    w = max(len(x) for x in p + ["parameter"])
    if res["method"] == "sobol":
        c = int(round(100 * res["confidence"]))
        lines.append(f"Sobol indices (Jansen), {res['rows_used']} base rows ({res['rows_dropped']} dropped), "
                     f"{c} % bootstrap intervals ({res['bootstrap']} resamples); output variance "
                     f"{res['variance']:.4g}")
        lines.append(f"{'parameter':<{w}}  {'S1':>7}  {'S1 interval':>17}  {'ST':>7}  {'ST interval':>17}")
        for i, name in enumerate(p):
            lines.append(f"{name:<{w}}  {res['S1'][i]:7.3f}  [{res['S1_low'][i]:6.3f}, {res['S1_high'][i]:6.3f}]"
                         f"  {res['ST'][i]:7.3f}  [{res['ST_low'][i]:6.3f}, {res['ST_high'][i]:6.3f}]")
        return "\n".join(lines)
    m = res["morris"]
    lines.append("Morris elementary effects from one-at-a-time pairs (Δ as a fraction of the range)")
    lines.append(f"{'parameter':<{w}}  {'effects':>7}  {'mu':>11}  {'mu*':>11}  {'sigma':>11}")
    for i, name in enumerate(p):
        lines.append(f"{name:<{w}}  {m['n'][i]:7d}  {m['mu'][i]:11.4g}  {m['mu_star'][i]:11.4g}  {m['sigma'][i]:11.4g}")
    if not any(m["n"]):
        lines.append("(no pairs of members differ in one parameter only: see the correlations)")
    c = res["correlations"]
    lines.append(f"rank correlations and standardized regression coefficients (R² {c['r2']:.3f}, {c['n']} points)")
    lines.append(f"{'parameter':<{w}}  {'spearman':>8}  {'SRC':>8}")
    for i, name in enumerate(p):
        lines.append(f"{name:<{w}}  {c['spearman'][i]:8.3f}  {c['src'][i]:8.3f}")
    for name, levels in zip(p, res["main_effects"]):
        if levels:
            lines.append(f"main effect of {name}: " + ", ".join(f"{v:g} → {mean:.4g} (n={n})"
                                                                 for v, mean, n in levels))
    return "\n".join(lines)


def plot(results, path):
    """Bar charts of the indices (Sobol with intervals, or Morris μ* and σ) of each output."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(results), 1, figsize=(10, 3.2 * len(results) + 0.6), squeeze=False,
                             layout="constrained")
    for ax, res in zip(axes[:, 0], results):
        p = res["params"]
        x = np.arange(len(p))
        if res["method"] == "sobol":
            for off, key, label in ((-0.2, "S1", "first order S_i"), (0.2, "ST", "total S_Ti")):
                v = np.asarray(res[key])
                err = np.vstack([v - res[f"{key}_low"], res[f"{key}_high"] - v])
                ax.bar(x + off, v, 0.4, yerr=np.clip(err, 0, None), capsize=3, label=label)
            ax.set_ylabel("Sobol index (share of variance)")
            ax.set_title(f"{res['output']}: Sobol indices, {int(100 * res['confidence'])} % bootstrap intervals")
        else:
            m = res["morris"]
            ax.bar(x - 0.2, m["mu_star"], 0.4, label="μ* (mean |effect|)")
            ax.bar(x + 0.2, np.nan_to_num(m["sigma"]), 0.4, label="σ (spread of effects)")
            ax.set_ylabel("output change per full range")
            ax.set_title(f"{res['output']}: Morris elementary effects")
        ax.set_xticks(x, p, rotation=15, ha="right", fontsize=8)
        ax.set_xlabel("parameter")
        ax.legend()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def to_jsonable(res):
    """A result with numpy arrays as lists."""
    out = {}
    for k, v in res.items():
        if isinstance(v, np.ndarray):
            out[k] = [None if np.isnan(x) else float(x) for x in v.astype(float)]
        elif isinstance(v, dict):
            out[k] = to_jsonable(v)
        else:
            out[k] = v
    return out
