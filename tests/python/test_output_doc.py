"""docs/OUTPUT.md is true: every group, dataset, attribute, event kind and ledger flow of real
outputs (`jinsong run` of the flagship scenario and of a siege case, `jinsong sweep`'s
ensemble.h5) is documented once, in its group's table, with its dims, type and units; and
everything the document lists exists. The tables are parsed by their first column (the names in
backquotes; `<...>` stands for a part of a name, e.g. `<qty>_stock`)."""
import os
import re

import h5py
import pytest

from conftest import SOURCE, run_jinsong

DOC = os.path.join(SOURCE, "docs", "OUTPUT.md")
NAME = re.compile(r"`([^`]+)`")
HOLE = re.compile(r"<([a-z_A-Z]+)>")


# --------------------------------------------------------------------- the document


def split_sections(text):
    """{heading text: body} for every ## and ### heading."""
    out, head, body = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^#{2,3} (.*)$", line)
        if m:
            if head is not None:
                out[head] = "\n".join(body)
            head, body = m.group(1).strip(), []
        else:
            body.append(line)
    if head is not None:
        out[head] = "\n".join(body)
    return out


def split_tables(body):
    """The tables of a section: [(header cells, [row cells], the text before the table)]."""
    tables, lines, i = [], body.splitlines(), 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s\-|]+\|$", lines[i + 1]):
            header = cells(lines[i])
            rows, j = [], i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(cells(lines[j]))
                j += 1
            tables.append((header, rows, "\n".join(lines[max(0, i - 3):i])))
            i = j
        else:
            i += 1
    return tables


def cells(line):
    """The cells of a table row."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def section(sections, heading):
    """The body of a section, failing the test if the document lost it."""
    assert heading in sections, f"docs/OUTPUT.md has no section '{heading}'"
    return sections[heading]


def table_named(body, first):
    """Every row of the tables whose first header cell is `first`."""
    return [row for header, rows, _ in split_tables(body) if header[0] == first for row in rows]


class Entry:
    """One documented dataset: a name (or a pattern with `<...>` holes), dims, type, units."""

    def __init__(self, name, dims, dtype, units):
        self.name, self.dims, self.dtype, self.units = name, dims, dtype, units
        parts = HOLE.split(name)
        self.regex = re.compile("^" + "".join(re.escape(p) if k % 2 == 0 else f"(?P<{p}>[A-Za-z0-9_]+?)"
                                              for k, p in enumerate(parts)) + "$")
        self.literal = len(parts) == 1

    def match(self, name):
        """The holes' values if `name` is this entry's, else None."""
        m = self.regex.match(name)
        return m.groupdict() if m else None


def split_per_name(cell, n):
    """A cell that gives one value per name ("taels, taels, bolts") or one for all."""
    parts = [p.strip() for p in cell.split(",")]
    return parts if len(parts) == n and n > 1 else [cell] * n


def entries(body):
    """The documented datasets of a section: its tables headed `variable`."""
    out = []
    for row in table_named(body, "variable"):
        names = NAME.findall(row[0])
        assert names, f"a row without a name in backquotes: {row}"
        dims = row[1].replace("`", "")
        for name, dtype, units in zip(names, split_per_name(row[2], len(names)), split_per_name(row[3], len(names))):
            out.append(Entry(name, [] if dims == "scalar" else [d.strip() for d in dims.split(",")], dtype, units))
    literal = [e.name for e in out]
    assert len(literal) == len(set(literal)), f"documented twice: {sorted({n for n in literal if literal.count(n) > 1})}"
    return out


# --------------------------------------------------------------------- the files


def type_name(dtype):
    """A dataset's type as the document writes it."""
    if dtype.names:
        return "compound"
    if dtype.kind == "S":
        return "text"
    if dtype.kind == "O":
        return "text (variable length)"
    return str(dtype)


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def datasets(path, group):
    """{name: (dims, type, units, attrs)} of a group's datasets (the root's: group "")."""
    out = {}
    with h5py.File(path, "r") as f:
        g = f[group] if group else f
        for name, obj in g.items():
            if not isinstance(obj, h5py.Dataset):
                continue
            if obj.attrs.get("CLASS") == b"DIMENSION_SCALE":
                dims = [name]
            else:
                dims = [d[0].name.split("/")[-1] if len(d) else "?" for d in obj.dims]
            out[name] = (dims, type_name(obj.dtype), text(obj.attrs.get("units", "")),
                         {k: text(v) for k, v in obj.attrs.items() if k in ("key", "long_name")})
    return out


def check_group(where, documented, files, quantities=None):
    """Every dataset of the files' group documented once, with its dims, type and units; every
    documented entry found in some file."""
    used = set()
    for path, have in files:
        for name, (dims, dtype, units, attrs) in have.items():
            assert attrs.get("long_name"), f"{path}: /{where}/{name} has no long_name"
            hits = [(e, e.match(name)) for e in documented if e.match(name) is not None]
            literal = [h for h in hits if h[0].literal]
            hits = literal or sorted(hits, key=lambda h: -len(HOLE.sub("", h[0].name)))[:1]
            assert hits, f"{path}: /{where}/{name} is not documented in docs/OUTPUT.md"
            entry, holes = hits[0]
            used.add(entry.name)
            fill = lambda s: HOLE.sub(lambda m: holes[m.group(1)], s)  # noqa: E731
            assert [fill(d) for d in entry.dims] == dims, f"/{where}/{name}: dims {dims}, documented {entry.dims}"
            assert entry.dtype == dtype, f"/{where}/{name}: type {dtype}, documented {entry.dtype}"
            if "qty" in holes:
                assert quantities and holes["qty"] in quantities, f"/{where}/{name}: quantity not documented"
                if entry.units == "the quantity's":
                    assert units == quantities[holes["qty"]], f"/{where}/{name}: units {units}"
                    continue
            if "key" in holes:
                assert attrs.get("key", "").replace(".", "__") == name, f"/{where}/{name}: no attribute key"
            want = re.escape(entry.units).replace("START", r"\d{4}-\d{2}-\d{2}")
            assert re.fullmatch(want, units), f"/{where}/{name}: units '{units}', documented '{entry.units}'"
    missing = [e.name for e in documented if e.name not in used]
    assert not missing, f"documented in /{where} but in no real output: {missing}"


# --------------------------------------------------------------------- real outputs


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Short real runs: the flagship scenario (every group: armies, sieges, refugees, tracks, the
    migration matrix, the economy) and a siege case that storms and sacks a city."""
    d = tmp_path_factory.mktemp("doc")
    out = []
    for name, scenario, sets in (("jingkang", "configs/jingkang.yaml", ["scenario.output.every_days=50"]),
                                 ("stormed", "configs/test/kaifeng_poor.yaml", ["scenario.end=1126-02-01"])):
        path = str(d / f"{name}.h5")
        run_jinsong("run", os.path.join(SOURCE, scenario), "-o", path, "--quiet", "--threads", "1",
                    *[a for s in sets for a in ("--set", s)])
        out.append(path)
    return out


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    """ensemble.h5 of a real Saltelli sweep of the smoke scenario (N = 1, 2 parameters: 4 members)."""
    d = tmp_path_factory.mktemp("doc_sweep")
    sweep = d / "sweep.yaml"
    sweep.write_text(
        f"sweep: {{name: doc, scenario: {os.path.join(SOURCE, 'configs/test/smoke.yaml')}, "
        "seed: 3, design: saltelli, samples: 1, set: {scenario.output.every_days: 30}}\n"
        "parameters:\n"
        "  demography.death_rate_per_year: {lower: 0.02, upper: 0.04}\n"
        "  graph.sinuosity: {lower: 1.2, upper: 1.4}\n")
    run_jinsong("sweep", str(sweep), "-o", str(d / "out"), "--quiet", "--jobs", "2")
    return str(d / "out" / "ensemble.h5")


@pytest.fixture(scope="module")
def doc():
    with open(DOC, encoding="utf-8") as f:
        return split_sections(f.read())


def run_groups(path):
    """The groups of a run's file."""
    with h5py.File(path, "r") as f:
        return [k for k, v in f.items() if isinstance(v, h5py.Group)]


def test_every_group_of_a_run_is_in_the_overview_and_has_its_section(doc, runs):
    with open(DOC, encoding="utf-8") as f:
        intro = f.read().split("\n## ")[0]
    overview = table_named(intro, "group")
    listed = {NAME.findall(row[0])[0] for row in overview}
    groups = set(run_groups(runs[0])) | set(run_groups(runs[1]))
    assert listed == {"/"} | {f"/{g}" for g in groups}
    for g in groups:
        section(doc, f"`/{g}`")


def test_every_dataset_of_a_run_is_documented_once_with_its_dims_type_and_units(doc, runs):
    quantities = {NAME.findall(r[0])[0]: r[1] for r in table_named(section(doc, "`/ledger`"), "quantity")}
    check_group("", entries(section(doc, "`/` (root)")), [(p, datasets(p, "")) for p in runs])
    for g in sorted(set(run_groups(runs[0])) - {"provenance"}):
        files = [(p, datasets(p, g)) for p in runs if g in run_groups(p)]
        check_group(g, entries(section(doc, f"`/{g}`")), files, quantities)
    with h5py.File(runs[0], "r") as f:
        written = {q: text(f[f"ledger/{q}"].attrs["units"]) for q in f["ledger"] if f"{q}_flow" in f["ledger"]}
    assert quantities == written  # the quantities with flows, and their units


def test_attributes_of_the_root_and_of_provenance_are_documented(doc, runs):
    for heading, group in (("`/` (root)", ""), ("`/provenance`", "provenance")):
        listed = {n for row in table_named(section(doc, heading), "attribute") for n in NAME.findall(row[0])}
        with h5py.File(runs[0], "r") as f:
            have = set((f[group] if group else f).attrs)
        assert listed == have, heading


def test_every_event_kind_is_documented_once_with_its_value_and_the_fields_of_the_row(doc, runs):
    body = section(doc, "`/events`")
    rows = table_named(body, "value")
    kinds = [(int(r[0]), NAME.findall(r[1])[0]) for r in rows]
    with h5py.File(runs[0], "r") as f:
        dtype = f["events"].dtype
        enum = h5py.check_enum_dtype(dtype["kind"])
    assert sorted(kinds) == sorted((v, k) for k, v in enum.items())
    assert len({k for _, k in kinds}) == len(kinds)
    fields = [n for r in table_named(body, "field") for n in NAME.findall(r[0])]
    assert sorted(fields) == sorted(dtype.names) and len(fields) == len(set(fields))


def test_every_ledger_flow_is_documented_once_with_its_holders(doc, runs):
    body = section(doc, "`/ledger`")
    documented = []
    for header, rows, before in split_tables(body):
        if header[0] != "flow":
            continue
        q = re.findall(r"Flows of `([a-z]+)`", before)
        assert q, f"a table of flows without its quantity: {rows[:1]}"
        for r in rows:
            a, b = [x.strip() for x in r[1].split("→")]
            documented += [(q[-1], n, a, b) for n in NAME.findall(r[0])]
    written = set()
    for path in runs:
        with h5py.File(path, "r") as f:
            led = f["ledger"]
            for q in [k[: -len("_flow_name")] for k in led if k.endswith("_flow_name")]:
                cols = [[text(x) for x in led[f"{q}_flow_{c}"][:]] for c in ("name", "from", "to")]
                written |= {(q, n, a, b) for n, a, b in zip(*cols)}
    assert len(documented) == len(set(documented)), "a flow documented twice"
    assert set(documented) == written, (sorted(written - set(documented)), sorted(set(documented) - written))


def test_ensemble_index_is_documented(doc, ensemble):
    for group in ("members", "design"):
        check_group(f"{group} (ensemble.h5)", entries(section(doc, f"`/{group}` (ensemble.h5)")),
                    [(ensemble, datasets(ensemble, group))])
    with h5py.File(ensemble, "r") as f:
        root, design = set(f.attrs), set(f["design"].attrs)
        summaries = [k for k in f["members"] if k.startswith("summary__")]
    assert {n for r in table_named(section(doc, "`ensemble.h5`"), "attribute") for n in NAME.findall(r[0])} == root
    assert {n for r in table_named(section(doc, "`/design` (ensemble.h5)"), "attribute")
            for n in NAME.findall(r[0])} == design
    assert "summary__final_population" in summaries and len(summaries) > 10
