#!/usr/bin/env bash
# Long validation of the flagship scenarios (docs/SCENARIOS.md; not part of `make test`):
# runs configs/jingkang.yaml with seeds 1..SEEDS (one thread each, two at a time), prints the
# day Kaifeng passed to the Jin in each run (the first CITY_FALLS or CITY_SURRENDERS at kaifeng:
# rows only the siege model writes — a scripted cession is PLACE_CEDED and does not count) and
# fails unless that happened in at least half of the runs (the issue's "Kaifeng falls in at
# least half of 8 seeds, by an emergent siege"); then scores the runs with
# configs/targets/jingkang.yaml, and the same seeds of configs/southern_song.yaml with
# configs/targets/southern_song.yaml (the scorecards are printed, not checked: their hit rates
# are the findings of docs/SCENARIOS.md).
#
# usage: scripts/validate_scenarios.sh [BUILD_DIR] [SEEDS]    (make validate-scenarios [SEEDS=8])
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
SEEDS=${2:-8}
JINSONG=$(cd "$ROOT" && realpath "$BUILD/jinsong")
PY=/usr/bin/python3
[ "$SEEDS" -ge 1 ] 2>/dev/null || { echo "SEEDS must be a positive integer" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# runs SCENARIO: SEEDS runs of a scenario into $TMP/<name>/seed_<s>.h5, two at a time
runs() {
  local scen=$1 name
  name=$(basename "$scen" .yaml)
  mkdir -p "$TMP/$name"
  local t0
  t0=$(date +%s.%N)
  seq 1 "$SEEDS" | xargs -P 2 -I{} "$JINSONG" run "$ROOT/$scen" --seed {} --threads 1 --quiet \
    -o "$TMP/$name/seed_{}.h5"
  printf "%s: %d runs in %.1f s (2 at a time)\n" "$name" "$SEEDS" "$(echo "$(date +%s.%N) - $t0" | bc -l)"
}

echo "validate-scenarios: $SEEDS seeds per scenario ($JINSONG)"
runs configs/jingkang.yaml
status=0
PYTHONPATH="$ROOT/analysis" "$PY" - "$TMP/jingkang" "$SEEDS" <<'PY' || status=$?
import sys

from jinsong_analysis import open_run

folder, n = sys.argv[1], int(sys.argv[2])
fell = 0
for s in range(1, n + 1):
    with open_run(f"{folder}/seed_{s}.h5") as run:
        ev = run.events
        k = run.index_of("place", "kaifeng")
        rows = ev[(ev["place"] == k) & ev["kind"].isin(["CITY_FALLS", "CITY_SURRENDERS"])]
        ransom = ev[(ev["place"] == k) & (ev["kind"] == "RANSOM_PAID")]
        paid = f"; ransomed {run.calendar.label(ransom['day'].min())}" if len(ransom) else ""
        if len(rows):
            r = rows.sort_values("day").iloc[0]
            fell += 1
            print(f"  seed {s}: Kaifeng {r['kind']} on {run.calendar.label(r['day'])}{paid}")
        else:
            print(f"  seed {s}: Kaifeng held to the end{paid}")
need = (n + 1) // 2
verdict = "ok" if fell >= need else "FAILED"
print(f"Kaifeng passed to the Jin by a siege in {fell} of {n} runs (need {need}): {verdict}")
sys.exit(0 if fell >= need else 1)
PY
echo
PYTHONPATH="$ROOT/analysis" "$PY" -m jinsong_analysis score "$TMP/jingkang" --targets "$ROOT/configs/targets/jingkang.yaml"
echo
runs configs/southern_song.yaml
PYTHONPATH="$ROOT/analysis" "$PY" -m jinsong_analysis score "$TMP/southern_song" --targets "$ROOT/configs/targets/southern_song.yaml"
exit $status
