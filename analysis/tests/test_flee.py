"""FLEE's UNHCR counts in the scorecard (``observed_flee``): read as FLEE reads them, and the ARD of
a run equal to the one `jinsong flee-score` computes (two independent implementations), on a small
FLEE scenario written here and on mali2012 from ../shared when it is there."""
import json
import os

import pytest

from conftest import SOURCE, run_jinsong
from jinsong_analysis import UserError
from jinsong_analysis.flee import observed_rows, read_counts
from jinsong_analysis.score import score_path

FILES = {
    "input_csv/locations.csv":
        "#name,region,country,latitude,longitude,location_type,conflict_date,population\r\n"
        "A,North ,Home,10.0,1.0,conflict_zone,0,5000\r\nT,North,Home,10.2,1.2,town,,\r\n"
        "C1,South,Away,10.4,1.4,camp,,500\r\nC2,South,Away,10.5,1.5,camp,,\r\n",
    "input_csv/routes.csv": "#name1,name2,distance,forced_redirection\r\nA,T,50,\r\n"
                            "T,C1,120,0\r\nT,C2,200,\r\n",
    "input_csv/closures.csv": "#closure_type,name1,name2,closure_start,closure_end\r\n",
    "input_csv/conflicts.csv": "#Day, A,\n" + "".join(f"{d},1\n" for d in range(20)),
    "input_csv/sim_period.csv": "StartDate,2020-01-01\nLength,20\n",
    "input_csv/registration_corrections.csv": "C1,2020-01-06,normalize\n",
    "source_data/data_layout.csv": "total,refugees.csv\nC1,c1.csv\nC2,c2.csv\n",
    "source_data/refugees.csv": "2020-01-01,100\n2020-01-21,3000\n",
    "source_data/c1.csv": "2020-01-01,100\r\n2020-01-04,400\r\n2020-01-06,300\r\n2020-01-21,900\r\n",
    "source_data/c2.csv": "Date,count\n2020-01-01,0\n2020-01-21,2000\n",
    "simsetting.yml": "move_rules: {max_move_speed: 200.0, capacity_scaling: 1.25}\n",
}


@pytest.fixture
def flee_dir(tmp_path):
    """A small FLEE scenario folder."""
    for rel, text in FILES.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp_path


def test_flee_counts_are_read_interpolated_and_corrected_as_flee_does(flee_dir):
    series = read_counts(str(flee_dir))
    assert sorted(series) == ["C1", "C2"]                      # the total is left out
    assert series["C1"] == ([0, 3, 5, 20], [75.0, 300.0, 300.0, 900.0])  # × 300/400 before 01-06
    rows = observed_rows(str(flee_dir))
    assert len(rows) == 20 and rows[0][0] == "2020-01-02" and rows[-1][0] == "2020-01-21"
    assert rows[0][1] == {"C1": 150.0, "C2": 100.0}            # day 1: 75 + 225/3; 2000/20
    assert rows[6][1]["C1"] == 380.0                           # day 7: 300 + 600 × 2/15


def test_flee_bad_corrections_are_reported_at_their_line(flee_dir):
    (flee_dir / "input_csv/registration_corrections.csv").write_text("C1,2020-01-05,normalize\n")
    with pytest.raises(UserError) as e:
        read_counts(str(flee_dir))
    assert "registration_corrections.csv:1" in str(e.value)


def _score_both(flee, tmp_path):
    """(flee-score's figures, the scorecard's ARD) of one run of the imported scenario."""
    scenario, run, js = tmp_path / "s.yaml", tmp_path / "r.h5", tmp_path / "s.json"
    run_jinsong("import-flee", flee, "-o", scenario)
    run_jinsong("run", scenario, "-o", run, "--quiet")
    run_jinsong("flee-score", run, flee, "--json", js)
    c = json.load(open(js))
    targets = tmp_path / "t.yaml"
    targets.write_text(f"targets:\n"
                       f"  resc: {{kind: ard, variable: places/refugees_present, threshold: 1,\n"
                       f"          observed_flee: '{flee}'}}\n"
                       f"  plain: {{kind: ard, variable: places/refugees_present, threshold: 1,\n"
                       f"           mode: normal, observed_flee: '{flee}'}}\n")
    card = score_path(str(run), str(targets))
    got = {r["target"]: r["values"][0] for r in card["rows"]}
    return c, got


def test_flee_scorecard_equals_flee_score(flee_dir, tmp_path):
    c, got = _score_both(str(flee_dir), tmp_path)
    assert c["days"] == 20 and c["camps"] == 2
    assert got["resc"] == pytest.approx(c["ard_rescaled"], abs=1e-9)
    assert got["plain"] == pytest.approx(c["ard"], abs=1e-9)


def test_flee_scorecard_equals_flee_score_on_mali2012(tmp_path):
    shared = os.environ.get("JINSONG_SHARED") or os.path.join(SOURCE, "..", "shared")
    mali = os.path.join(shared, "data", "flee", "mali2012")
    if not os.path.isdir(os.path.join(mali, "input_csv")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"the FLEE data is not in {mali} (CI=true)")
        pytest.skip(f"the FLEE data is not in {mali}")
    c, got = _score_both(mali, tmp_path)
    assert c["days"] == 300 and c["camps"] == 7
    assert got["resc"] == pytest.approx(c["ard_rescaled"], abs=1e-9)
    assert got["plain"] == pytest.approx(c["ard"], abs=1e-9)
    assert 0.2 < got["resc"] < 0.4
