"""The HTML report of a run or an ensemble: ``DIR/index.html`` with its PNG figures (and an
animated GIF of the map) beside it, referenced by relative paths, so the folder can be moved,
zipped or served as it is."""
import html
import logging
import os
import warnings

import numpy as np

from . import ensemble_figures as EF
from . import figures as F
from . import maps as M
from .dates import iso
from .errors import UserError

# pyshp reports harmless ring orientations of the bundled GSHHS coastline on every map
logging.getLogger("shapefile").setLevel(logging.ERROR)

CSS = """
body { font-family: sans-serif; max-width: 1280px; margin: 1em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; padding-top: .6em; }
nav a { margin-right: 1em; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: .9em; color: #555; }
p.nodata, li.nodata { color: #8a4b00; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
#image-check { color: #b00; font-weight: bold; }
"""

# Marks every image with its natural width once the page has loaded, and says on the page
# which images failed to load (a browser test reads the marks).
IMAGE_CHECK = """
<script>
window.addEventListener('load', function () {
  var failed = [];
  document.querySelectorAll('img').forEach(function (im) {
    im.setAttribute('data-natural-width', im.naturalWidth);
    if (!(im.complete && im.naturalWidth > 0)) failed.push(im.getAttribute('src'));
  });
  document.body.setAttribute('data-images-failed', failed.length);
  document.body.setAttribute('data-images-total', document.images.length);
  if (failed.length)
    document.getElementById('image-check').textContent = 'images that failed to load: ' + failed.join(', ');
});
</script>
"""


def esc(v):
    """HTML-escaped text of any value."""
    return html.escape(str(v))


def table(rows, header):
    """An HTML table of rows (sequences) under a header."""
    out = ["<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def figure(src, alt, caption):
    """An HTML figure with a relative image path."""
    return (f'<figure><img src="{esc(src)}" alt="{esc(alt)}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def notes_html(notes):
    """The panels that have no data in this file, said in words."""
    if not notes:
        return ""
    return "<ul>" + "".join(f'<li class="nodata">{esc(n)}</li>' for n in notes) + "</ul>"


def page(title, nav, body):
    """The whole page."""
    links = " ".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in nav)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
            f"<h1>{esc(title)}</h1>\n<nav>{links}</nav>\n<p id=\"image-check\"></p>\n"
            + "\n".join(body) + IMAGE_CHECK + "</body></html>\n")


def choose_days(run, dates):
    """Days of the chosen dates (``YYYY-MM-DD`` texts), or start, middle and end by default."""
    cal = run.calendar
    n_days = float(run.attrs.get("n_days", 0))
    if not dates:
        return sorted({0.0, float(round(n_days / 2)), n_days})
    days = []
    for d in dates:
        day = cal.day(cal.parse(d, "--dates"))
        if not 0 <= day <= n_days:
            raise UserError(f"date {d} is outside the run ({cal.label(0)} to {cal.label(n_days)})",
                            "--dates")
        days.append(day)
    return days


# --------------------------------------------------------------------- a run


def _metadata(run):
    """Metadata and parameters of a run, as HTML."""
    out = ['<h2 id="metadata">Run metadata and parameters</h2>']
    out.append(table(sorted(run.attrs.items()), ["attribute", "value"]))
    if run.provenance:
        out.append("<h3>Provenance (differs between identical runs)</h3>")
        out.append(table(sorted(run.provenance.items()), ["attribute", "value"]))
    params = run.parameters
    if len(params):
        given = params[params["source"] != "default"]
        default = params[params["source"] == "default"]
        out.append(f"<h3>Parameters: {len(given)} given, {len(default)} defaulted</h3>")
        out.append(table([(k, r.value, r.unit, r.source) for k, r in given.iterrows()],
                         ["key", "value", "unit", "source"]))
        out.append(f"<details><summary>the {len(default)} parameters left at their defaults</summary>")
        out.append(table([(k, r.value, r.unit, r.source) for k, r in default.iterrows()],
                         ["key", "value", "unit", "source"]))
        out.append("</details>")
    return "\n".join(out)


def _events_table(run, limit=400):
    """The events as an HTML table (the first `limit`)."""
    ev = run.events
    if ev.empty:
        return '<p class="nodata">no events in this run</p>'
    rows = [(r.day, iso(r.date), r.kind, r.place_name, r.faction_a_name, r.faction_b_name,
             ", ".join(f"{v:g}" for v in (r.value0, r.value1, r.value2, r.value3)), r.text)
            for r in ev.head(limit).itertuples()]
    more = f"<p>… and {len(ev) - limit} more</p>" if len(ev) > limit else ""
    return (f"<details><summary>all {len(ev)} events</summary>"
            + table(rows, ["day", "date", "kind", "place", "faction a", "faction b", "values", "text"])
            + more + "</details>")


def report_run(run, outdir, dates=None, frames=24, dpi=100):
    """Writes the report of one run: index.html and its figures in outdir.

    :param run: a :class:`jinsong_analysis.load.Run`
    :param outdir: output folder (created)
    :param dates: map dates (``YYYY-MM-DD``), default start, middle and end
    :param frames: frames of the animated map (0 for none)
    :param dpi: resolution of the figures
    :return: list of the files written (relative to outdir)
    """
    if run.get("places") is None:
        raise UserError("the file has no /places group: nothing to report", run.path)
    written, body = [], []
    cal = run.calendar
    a = run.attrs
    days = choose_days(run, dates)
    os.makedirs(outdir, exist_ok=True)
    body.append(f"<p>{esc(a.get('title', ''))}<br>file <code>{esc(run.path)}</code>; "
                f"{esc(a.get('start_date'))} to {esc(a.get('end_date'))} ({esc(a.get('calendar'))} "
                f"calendar, {esc(a.get('n_days'))} days, a row every {esc(a.get('output_every_days'))} "
                f"days); seed {esc(a.get('seed'))}, run index {esc(a.get('run_index'))}; "
                f"groups: {esc(', '.join('/' + g for g in run.groups))}</p>")

    def save(fig, name):
        F.save(fig, os.path.join(outdir, name), dpi=dpi)
        written.append(name)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        md = M.MapData(run)
        body.append('<h2 id="map">Map</h2>')
        body.append("<p>Places coloured by the faction holding them and sized by population; roads, "
                    "rivers and canals of the scenario; army tracks, refugee flows and sieges where "
                    "the run has them.</p>")
        for day in days:
            name = f"map_{cal.label(day)}.png"
            save(M.fig_map(md, day), name)
            body.append(figure(name, f"map on {cal.label(day)}", f"The map on {cal.label(day)}."))
        if frames:
            n = M.animate(md, os.path.join(outdir, "map_animation.gif"), frames=frames)
            written.append("map_animation.gif")
            body.append(figure("map_animation.gif", "animated map",
                               f"The map over the run, {n} frames from {cal.label(md.days[0])} to "
                               f"{cal.label(md.days[-1])}."))
        body.append(_map_notes(md))
        sections = [("people", "People: population and refugees", F.fig_people),
                    ("armies", "Armies, sieges and battles", F.fig_armies),
                    ("economy", "Economy: grain, prices, treasuries and tribute", F.fig_economy),
                    ("ledger", "Ledger of conserved quantities", F.fig_ledger),
                    ("events", "Events", F.fig_timeline)]
        for key, title, fn in sections:
            body.append(f'<h2 id="{key}">{esc(title)}</h2>')
            fig, notes = fn(run)
            if fig is not None:
                save(fig, f"{key}.png")
                body.append(figure(f"{key}.png", title, title + "."))
            else:
                body.append(f'<p class="nodata">{esc("; ".join(notes))}</p>')
                notes = []
            body.append(notes_html(notes))
            if key == "events":
                body.append(_events_table(run))
    if run.unreadable:
        body.append("<p class=\"nodata\">groups xarray could not read: "
                    + esc("; ".join(f"/{k}: {v}" for k, v in run.unreadable.items())) + "</p>")
    body.append(_metadata(run))
    nav = [("map", "map"), ("people", "people"), ("armies", "armies"), ("economy", "economy"),
           ("ledger", "ledger"), ("events", "events"), ("metadata", "metadata")]
    title = f"jinsong run: {a.get('scenario', '')} — {a.get('scenario_title', '')}"
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(page(title, nav, body))
    return ["index.html"] + written


def _map_notes(md):
    """What the maps could not show because the file has no data for it."""
    notes = []
    if md.a_lat is None:
        notes.append("no army tracks: no armies in this run (no /armies/location)")
    if md.sieges is None:
        notes.append("no sieges in this run (no SIEGE_START rows in /events)")
    if md.od is None and md.r_refugees is None:
        notes.append("no refugee flows in this run (no origin→destination matrix and no "
                     "/routes/refugees_travelling)")
    return notes_html(notes)


# --------------------------------------------------------------------- an ensemble


#: summary columns shown in the members table at most (those that differ between members)
MAX_SUMMARIES = 12


def varying_summaries(ens):
    """The summary scalars that differ between the completed members (``final_population``
    first), and the number of those that are the same in every member."""
    m = ens.members.loc[ens.ok] if ens.ok else ens.members
    cols = [c for c in m.columns if c.startswith("summary__")]
    varying = [c for c in cols if m[c].nunique(dropna=True) > 1]
    varying.sort(key=lambda c: (c != "summary__final_population", c))
    return varying, len(cols) - len(varying)


def _members_table(ens, limit=300):
    """The members table as HTML: point, replicate, seed, status, the varied parameters and
    the summary scalars that differ between members (at most MAX_SUMMARIES)."""
    m = ens.members
    varying, same = varying_summaries(ens)
    cols = ["point", "replicate", "seed", "run_index", "status", "error", "wall_seconds"] + ens.params \
        + varying[:MAX_SUMMARIES]
    cols = [c for c in cols if c in m.columns]
    rows = [[k] + [m.at[k, c] for c in cols] for k in m.index[:limit]]
    more = f"<p>… and {len(m) - limit} more members</p>" if len(m) > limit else ""
    note = (f"<p>{len(varying)} summary scalars differ between the members"
            + (f" (the first {MAX_SUMMARIES} shown)" if len(varying) > MAX_SUMMARIES else "")
            + f"; {same} are the same in every member. All are in ensemble.h5 /members.</p>")
    return note + table(rows, ["member"] + [c.replace("summary__", "") for c in cols]) + more


def report_ensemble(ens, outdir, dpi=100):
    """Writes the report of an ensemble: bands over members, event-date distributions, a map of
    the owner most members agree on, the members table and the design.

    :param ens: an :class:`jinsong_analysis.ensemble.Ensemble`
    :param outdir: output folder (created)
    :param dpi: resolution of the figures
    :return: list of the files written (relative to outdir)
    """
    os.makedirs(outdir, exist_ok=True)
    if not ens.ok:
        raise UserError("no member of this ensemble completed: nothing to report", ens.path)
    written, body = [], []
    first = ens.run(ens.ok[0])
    cal = first.calendar
    d = ens.design
    body.append(f"<p>ensemble <code>{esc(ens.path)}</code>: {len(ens)} members, {len(ens.ok)} "
                f"completed; scenario {esc(first.attrs.get('scenario'))}, {esc(first.attrs.get('start_date'))}"
                f" to {esc(first.attrs.get('end_date'))} ({esc(cal.calendar)} calendar); design "
                f"{esc(d.get('kind'))} over {len(ens.params)} parameters "
                f"({esc(', '.join(ens.params) or 'none')})</p>")

    def save(fig, name):
        F.save(fig, os.path.join(outdir, name), dpi=dpi)
        written.append(name)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        body.append('<h2 id="series">Median and 5–95 % of members</h2>')
        fig, notes = EF.fig_ensemble_series(ens)
        save(fig, "ensemble_series.png")
        body.append(figure("ensemble_series.png", "ensemble bands",
                           "Median (line) and 5–95 % of members (band) of each series."))
        body.append(notes_html(notes))
        body.append('<h2 id="events">Dates of events across members</h2>')
        fig, notes = EF.fig_event_dates(ens)
        if fig is not None:
            save(fig, "ensemble_event_dates.png")
            body.append(figure("ensemble_event_dates.png", "event dates",
                               "Distribution of the first day of each event across members."))
        else:
            body.append(f'<p class="nodata">{esc("; ".join(notes))}</p>')
        body.append('<h2 id="map">Map at the end</h2>')
        md = M.MapData(first)
        owner, share, pop = EF.modal_owner(ens)
        day = md.days[-1]
        save(M.fig_map(md, day, owner=owner, pop=pop,
                       annotate=f"owner most members agree on (agreement {100 * share.min():.0f}–"
                                f"{100 * share.max():.0f} %), median population; armies and sieges "
                                f"of member {ens.ok[0]}"), "map_end.png")
        body.append(figure("map_end.png", "map at the end",
                           "Each place coloured by the owner most members give it at the end, sized "
                           f"by the median population; tracks from member {ens.ok[0]}."))
    body.append('<h2 id="members">Members</h2>')
    body.append(_members_table(ens))
    body.append('<h2 id="design">Design</h2>')
    rows = [(k, v if not isinstance(v, np.ndarray) else f"array of {v.size}") for k, v in d.items()]
    body.append(table(rows, ["design", "value"]))
    nav = [("series", "bands"), ("events", "event dates"), ("map", "map"), ("members", "members"),
           ("design", "design")]
    title = f"jinsong ensemble: {first.attrs.get('scenario', '')} ({len(ens.ok)} runs)"
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(page(title, nav, body))
    return ["index.html"] + written
