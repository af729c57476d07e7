"""docs/CONFIG.md documents every key a scenario can hold, once, and no key the reader does not know.

The keys are those `jinsong validate` prints (every parameter read, given or defaulted) for
every scenario in configs/ (files with a top-level `scenario:` or `extends:`; sweep and target
files are not scenarios), for a scenario imported by `jinsong import-flee` from a small FLEE
folder written here, and for tests/data/config_doc_keys.yaml, which gives the optional keys no
other scenario needs (every kind of event, rivers, crossings, custom crop regions, ...).

A key is documented by a row of a table whose first column is headed `key`: each backticked
path in that cell is a pattern. In a pattern, `<anything>` (`<id>`, `<class>`, `<season>`, ...)
stands for one path component, and a path that starts with a dot continues the path before it
in the same cell, replacing its last component (`battle.loss_split.killed`, `.wounded`).
"""
import glob
import os
import re
import subprocess

import pytest

from conftest import JINSONG, SOURCE, run_jinsong

DOC = os.path.join(SOURCE, "docs", "CONFIG.md")
KEYS_SCENARIO = os.path.join(SOURCE, "tests", "data", "config_doc_keys.yaml")

# Top-level sections of a scenario: documented patterns under them must match a key.
SECTIONS = ("scenario", "run_index", "graph", "demography", "economy", "migration", "factions",
            "places", "routes", "army", "battle", "supply", "armies", "siege", "events")

# Path components that are ids of the scenario's own entities, generalised in the report.
GENERALISE = [
    (re.compile(r"^(places|factions|routes|armies|events|"
                r"economy\.(?:treaties|transfers|markets|shipments|regions))\.[^.]+"), r"\1.<id>"),
    (re.compile(r"^(economy\.regions\.<id>\.crops)\.[^.]+"), r"\1.<crop>"),
    (re.compile(r"^(factions\.<id>\.doctrine\.targets)\.[^.]+$"), r"\1.<place>"),
    (re.compile(r"^(migration\.observed)\.[^.]+\.[^.]+$"), r"\1.<place>.<date>"),
    (re.compile(r"^(migration\.observed_total)\.[^.]+$"), r"\1.<date>"),
]

# A small FLEE scenario (the shape of tests/unit/test_flee.c's): conflict zones, a town, a
# forwarding hub, two camps, closures, UNHCR counts and a total, settings.
FLEE_FILES = {
    "input_csv/locations.csv":
        "#name,region,country,latitude,longitude,location_type,conflict_date,population\n"
        "A,North,Home,10.0,1.0,conflict_zone,0,1000\n"
        "B,North,Home,10.1,1.1,conflict_zone,5,3000\n"
        "T,North,Home,10.2,1.2,town,,\n"
        "H,South,Away,10.3,1.3,forwarding_hub,,\n"
        "C1,South,Away,10.4,1.4,camp,,500\n"
        "C2,South,Away,10.5,1.5,camp,,\n",
    "input_csv/routes.csv":
        "#name1,name2,distance,forced_redirection\nA,T,50,\nB,T,80,0\nT,H,100,\nH,C1,30,\n"
        "T,C2,200,\n",
    "input_csv/closures.csv":
        "#closure_type,name1,name2,closure_start,closure_end\ncamp,C2,,0,4\n",
    "input_csv/conflicts.csv":
        "#Day, A, B,\n0,1,0\n1,1,0\n2,1,0\n3,1,0\n4,1,0\n5,1,0.5\n6,1,0.5\n7,1,0.5\n8,1,0.5\n"
        "9,0,0.5\n",
    "input_csv/sim_period.csv": "StartDate,2020-01-01\nLength,10\n",
    "source_data/data_layout.csv": "total,refugees.csv\nC1,c1.csv\nC2,c2.csv\n",
    "source_data/refugees.csv": "2020-01-01,100\n2020-01-11,1600\n",
    "source_data/c1.csv": "2020-01-01,100\n2020-01-04,400\n2020-01-11,600\n",
    "source_data/c2.csv": "2020-01-01,0\n2020-01-11,1000\n",
    "simsetting.yml":
        "spawn_rules:\n  conflict_spawn_decay: [1.0, 0.5]\n  conflict_spawn_decay_interval: 3\n"
        "  sum_from_camps: False\n"
        "move_rules:\n  max_move_speed: 200.0\n  camp_weight: 2.0\n  avoid_short_stints: True\n",
}


# ---------------------------------------------------------------- reading the documentation

def row_cells(line):
    """The cells of a markdown table row; a `|` inside backticks does not split."""
    cells, cell, code = [], [], False
    for ch in line.strip().strip("|"):
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(ch)
    cells.append("".join(cell).strip())
    return cells


def cell_paths(cell):
    """The key paths of a key cell, continuations (`.wounded`) completed."""
    paths, last = [], None
    for tok in re.findall(r"`([^`]+)`", cell):
        if re.search(r"\s", tok):
            continue
        if tok.startswith(".") and last:
            tok = last.rsplit(".", 1)[0] + tok
        paths.append(tok)
        last = tok
    return paths


def doc_rows(text):
    """(line number, key paths) of every body row of the tables whose first column is `key`."""
    rows, header, in_keys = [], None, False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            header, in_keys = None, False
            continue
        cells = row_cells(line)
        if header is None:
            header = cells
        elif all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            in_keys = header[0].strip("` ").lower() == "key"
        elif in_keys:
            rows.append((n, cell_paths(cells[0])))
    return rows


def pattern(path):
    """The regular expression of a documented path: `<...>` is one path component."""
    parts = re.split(r"(<[^<>]+>)", path)
    return re.compile("^" + "".join("[^.]+" if p.startswith("<") else re.escape(p)
                                    for p in parts if p) + "$")


def generalise(key):
    """A key with the scenario's entity ids replaced by placeholders."""
    for rx, sub in GENERALISE:
        key = rx.sub(sub, key)
    return key


# ---------------------------------------------------------------- the keys of the scenarios

def validate_keys(path):
    """The parameter keys `jinsong validate` prints for a scenario (asserting it is valid)."""
    proc = run_jinsong("validate", path)
    lines = proc.stdout.splitlines()
    head = [i for i, l in enumerate(lines) if re.match(r"^key\s+value\s+unit\s+source\s*$", l)]
    assert head, f"no parameter table in the output of jinsong validate {path}"
    return [l.split()[0] for l in lines[head[0] + 1:] if l.strip()]


def scenario_files():
    """configs/**/*.yaml files that are scenarios (a top-level scenario: or extends:)."""
    out = []
    for f in sorted(glob.glob(os.path.join(SOURCE, "configs", "**", "*.yaml"), recursive=True)):
        with open(f, encoding="utf-8") as fh:
            if re.search(r"^(scenario|extends)\s*:", fh.read(), re.M):
                out.append(f)
    return out


@pytest.fixture(scope="session")
def flee_scenario(tmp_path_factory):
    """A scenario imported by `jinsong import-flee` from FLEE_FILES."""
    d = tmp_path_factory.mktemp("flee")
    for rel, text in FLEE_FILES.items():
        p = d / "scenario" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    out = d / "imported.yaml"
    run_jinsong("import-flee", str(d / "scenario"), "-o", str(out), "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def scenario_keys(flee_scenario):
    """key → the first scenario (relative path) that has it."""
    keys = {}
    for f in scenario_files() + [KEYS_SCENARIO, flee_scenario]:
        name = os.path.relpath(f, SOURCE) if f.startswith(SOURCE) else "import-flee scenario"
        for k in validate_keys(f):
            keys.setdefault(k, name)
    return keys


@pytest.fixture(scope="session")
def documented():
    """(line, path, compiled pattern) of every documented key path."""
    with open(DOC, encoding="utf-8") as fh:
        rows = doc_rows(fh.read())
    return [(n, p, pattern(p)) for n, paths in rows for p in paths]


# ---------------------------------------------------------------- the checker's own rules

def test_a_placeholder_stands_for_one_path_component():
    rx = pattern("places.<id>.walls.strength")
    assert rx.match("places.kaifeng.walls.strength")
    assert not rx.match("places.kai.feng.walls.strength")
    assert not rx.match("places.kaifeng.walls.strength_x")
    assert not pattern("routes.<id>.seasonal.<season>").match("routes.a.seasonal")


def test_only_key_tables_document_keys_and_continuations_complete_paths():
    text = ("| key | meaning |\n| --- | --- |\n"
            "| `battle.loss_split.killed`, `.wounded` | shares |\n"
            "| `a.b` | x `c.d` |\n\n"
            "| word | meaning |\n| --- | --- |\n| `e.f` | not a key table |\n"
            "Prose with `g.h`.\n")
    paths = [p for _, ps in doc_rows(text) for p in ps]
    assert paths == ["battle.loss_split.killed", "battle.loss_split.wounded", "a.b"]


def test_entity_ids_are_generalised_in_the_report():
    assert generalise("places.kaifeng.walls.strength") == "places.<id>.walls.strength"
    assert generalise("economy.regions.north.crops.wheat.harvest.day") == \
        "economy.regions.<id>.crops.<crop>.harvest.day"
    assert generalise("migration.observed.C1.2020-01-01") == "migration.observed.<place>.<date>"
    assert generalise("factions.jin.doctrine.targets.kaifeng") == \
        "factions.<id>.doctrine.targets.<place>"


# ---------------------------------------------------------------- the documentation

def test_configs_holds_scenarios_and_the_keys_scenario_is_one():
    files = scenario_files()
    assert any(f.endswith("configs/jingkang.yaml") for f in files)
    assert not any("/sweeps/" in f or "/targets/" in f for f in files)
    assert os.path.exists(KEYS_SCENARIO)


def test_every_key_of_every_scenario_is_documented(scenario_keys, documented):
    missing = {}
    for key, where in sorted(scenario_keys.items()):
        if not any(rx.match(key) for _, _, rx in documented):
            missing.setdefault(generalise(key), f"{key} ({where})")
    assert not missing, (
        f"{len(missing)} keys are not documented in docs/CONFIG.md (add a row to a `key` table "
        "with meaning, unit, default, allowed range and source):\n  "
        + "\n  ".join(f"{g}   e.g. {ex}" for g, ex in sorted(missing.items())))


def test_every_documented_key_is_a_key_of_the_reader(scenario_keys, documented):
    stale = [f"CONFIG.md:{n}: {p}" for n, p, rx in documented
             if p.split(".")[0] in SECTIONS and not any(rx.match(k) for k in scenario_keys)]
    assert not stale, (
        "documented keys that no scenario has (a key the reader no longer reads, or an optional "
        "key to give in tests/data/config_doc_keys.yaml):\n  " + "\n  ".join(stale))


def test_no_key_is_documented_twice(documented):
    seen, twice = {}, []
    for n, p, _ in documented:
        if p.split(".")[0] not in SECTIONS:
            continue  # sweep files have keys of their own
        norm = re.sub(r"<[^<>]+>", "<>", p)
        if norm in seen:
            twice.append(f"{p}: lines {seen[norm]} and {n}")
        seen.setdefault(norm, n)
    assert not twice, "keys documented twice in docs/CONFIG.md:\n  " + "\n  ".join(twice)


def test_an_undocumented_key_fails_the_check(documented):
    """A key added to a scenario that the reader knows is matched; an invented one is not."""
    rxs = [rx for _, _, rx in documented]
    assert any(rx.match("places.anywhere.walls.strength") for rx in rxs)
    assert not any(rx.match("places.anywhere.walls.thickness") for rx in rxs)
    assert not any(rx.match("siege.assault.not_a_key") for rx in rxs)
