"""The command line: ``python3 -m jinsong_analysis report|score|compare|sensitivity|info``.

Exit status: 0 done, 2 a mistake in the input (a bad path, targets file or output spec; the
message names it and, where it has one, its FILE:LINE:COL), 1 anything else.
"""
import argparse
import json
import os
import sys
import time

from .errors import UserError

EPILOG = """examples:
  python3 -m jinsong_analysis report results/jingkang.h5 -o report/
  python3 -m jinsong_analysis report results/sweep/ -o sweep-report/
  python3 -m jinsong_analysis score results/jingkang.h5 --targets configs/targets/jingkang.yaml
  python3 -m jinsong_analysis compare results/jingkang_64 results/forest_kept_64 \
      --targets configs/targets/jingkang.yaml --output event:SIEGE_START:kaifeng
  python3 -m jinsong_analysis sensitivity results/sweep/ --output places/population@end
  python3 -m jinsong_analysis info results/jingkang.h5
"""


def _parser():
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python3 -m jinsong_analysis", epilog=EPILOG,
                                description="Read, plot, score and analyse jinsong outputs.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    r = sub.add_parser("report", help="an HTML report with maps and figures of a run or an ensemble")
    r.add_argument("path", help="a run's .h5, an ensemble.h5, or an ensemble directory")
    r.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for index.html and figures")
    r.add_argument("--dates", default="", help="map dates YYYY-MM-DD,... (default: start, middle, end)")
    r.add_argument("--frames", type=int, default=24, help="frames of the animated map (0: none; default 24)")
    r.add_argument("--dpi", type=int, default=100, help="figure resolution (default 100)")
    s = sub.add_parser("score", help="a validation scorecard against historical targets")
    s.add_argument("path", help="a run's .h5, an ensemble.h5, or an ensemble directory")
    s.add_argument("--targets", required=True, metavar="YAML", help="targets file (configs/targets/*.yaml)")
    s.add_argument("--json", metavar="FILE", help="also write the scorecard as JSON")
    c = sub.add_parser("compare", help="a counterfactual ensemble against its baseline (paired members)")
    c.add_argument("base", help="the baseline: an ensemble.h5 or an ensemble directory")
    c.add_argument("cf", help="the counterfactual: an ensemble.h5 or an ensemble directory")
    c.add_argument("--targets", metavar="YAML", help="also compare the hit shares of a targets file")
    c.add_argument("--output", action="append", default=[], metavar="SPEC",
                   help="a scalar output to compare (repeatable): GROUP/VAR[DIM=ID,..][@DATE|:max|:min|:mean], "
                        "event:KIND[:PLACE], summary:NAME")
    c.add_argument("--json", metavar="FILE", help="also write the comparison as JSON")
    se = sub.add_parser("sensitivity", help="Sobol indices (Saltelli designs) or Morris/OFAT summaries")
    se.add_argument("path", help="an ensemble.h5 or an ensemble directory")
    se.add_argument("--output", action="append", default=[], metavar="SPEC",
                    help="a scalar output (repeatable): GROUP/VAR[DIM=ID,..][@DATE|:max|:min|:mean], "
                         "event:KIND[:PLACE], summary:NAME (default: every summary that differs "
                         "between members, else places/population@end)")
    se.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    se.add_argument("--confidence", type=float, default=0.95, help="interval level (default 0.95)")
    se.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    se.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    se.add_argument("--plot", metavar="PNG", help="also draw the indices")
    i = sub.add_parser("info", help="the groups and variables a file holds")
    i.add_argument("path", help="a run's .h5, an ensemble.h5, or an ensemble directory")
    return p


def cmd_report(a):
    """report: a run's or an ensemble's HTML report."""
    from .ensemble import Ensemble, is_ensemble
    from .load import Run
    from .report import report_ensemble, report_run

    t0 = time.time()
    if a.frames < 0 or a.dpi <= 0:
        raise UserError("--frames must be ≥ 0 and --dpi > 0")
    if is_ensemble(a.path):
        with Ensemble(a.path) as ens:
            files = report_ensemble(ens, a.output, dpi=a.dpi)
    else:
        with Run(a.path) as run:
            dates = [d for d in a.dates.split(",") if d.strip()]
            files = report_run(run, a.output, dates=dates, frames=a.frames, dpi=a.dpi)
    print(f"report: {os.path.join(a.output, 'index.html')} with {len(files) - 1} figures "
          f"({time.time() - t0:.1f} s)")
    return 0


def cmd_score(a):
    """score: the scorecard."""
    from .score import format_table, score_path, write_json

    card = score_path(a.path, a.targets)
    print(format_table(card))
    if a.json:
        write_json(card, a.json)
    return 0


def cmd_compare(a):
    """compare: a counterfactual's ensemble against its baseline's."""
    from .compare import compare_paths, format_comparison, to_jsonable

    if not a.targets and not a.output:
        raise UserError("nothing to compare: give --targets FILE and/or --output SPEC")
    c = compare_paths(a.base, a.cf, a.targets, a.output)
    print(format_comparison(c))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(to_jsonable(c), f, indent=2, default=float)
    return 0


def default_outputs(ens):
    """The outputs of ``sensitivity`` without ``--output``: the summary scalars that differ
    between the completed members (a sweep's index has about a hundred, most of them constant
    in a given scenario), else the final population."""
    from .report import varying_summaries

    varying, same = varying_summaries(ens)
    if varying:
        print(f"outputs: the {len(varying)} summary scalars that differ between members ({same} are "
              "the same in every member); choose with --output")
        return [f"summary:{c[len('summary__'):]}" for c in varying]
    return ["places/population@end"]


def cmd_sensitivity(a):
    """sensitivity: indices of each output."""
    from .ensemble import Ensemble, is_ensemble
    from .scalars import Scalar
    from .sensitivity import analyse, format_result, plot, to_jsonable

    if not is_ensemble(a.path):
        raise UserError("not an ensemble (give a sweep's directory or its ensemble.h5)", a.path)
    if a.bootstrap < 1 or not 0 < a.confidence < 1:
        raise UserError("--bootstrap must be ≥ 1 and --confidence in (0, 1)")
    with Ensemble(a.path) as ens:
        specs = a.output or default_outputs(ens)
        results = [analyse(ens, Scalar(s), a.bootstrap, a.confidence, a.seed) for s in specs]
    print("\n\n".join(format_result(r) for r in results))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump([to_jsonable(r) for r in results], f, indent=2)
    if a.plot:
        plot(results, a.plot)
    return 0


def cmd_info(a):
    """info: what a file or ensemble holds."""
    from .ensemble import Ensemble, is_ensemble
    from .load import Run

    if is_ensemble(a.path):
        with Ensemble(a.path) as ens:
            print(repr(ens))
            print(ens.members.to_string(max_rows=40))
            if ens.ok:
                print(f"groups of the members: {', '.join(ens.groups)}")
        return 0
    with Run(a.path) as run:
        print(f"{run.path}: scenario {run.attrs.get('scenario')}, {run.attrs.get('start_date')} to "
              f"{run.attrs.get('end_date')} ({run.calendar.calendar}), seed {run.attrs.get('seed')}")
        for g in run.group_names:
            ds = run.get(g)
            if ds is None:
                print(f"/{g}: (attributes only or unreadable)")
                continue
            dims = ", ".join(f"{k}={v}" for k, v in ds.sizes.items())
            print(f"/{g} [{dims}]")
            for v in ds.data_vars:
                print(f"    {v} {ds[v].dims} {ds[v].attrs.get('units', '')}")
        ev = run.events
        counts = ev["kind"].value_counts().to_dict() if len(ev) else {}
        print(f"/events: {len(ev)} rows {counts}")
    return 0


def main(argv=None):
    """Runs the command line; returns the exit status."""
    a = _parser().parse_args(argv)
    verbs = {"report": cmd_report, "score": cmd_score, "compare": cmd_compare, "sensitivity": cmd_sensitivity, "info": cmd_info}
    try:
        return verbs[a.verb](a)
    except UserError as exc:
        print(f"jinsong_analysis: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
