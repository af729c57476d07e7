#!/usr/bin/env bash
# The shipped scenarios (docs/SCENARIOS.md): the map, jingkang, southern_song and every
# counterfactual of configs/counterfactuals/ validate (`jinsong validate`) and run a short
# stretch (its first months: the scenario cut at an earlier scenario.end) to an output that h5py reads completely, with the
# scenario's name, every place of the map, and the summary's lists; every sweep of
# configs/sweeps/*_64.yaml checks (`sweep --dry-run`: 64 replicates with the seed 1127 the scenario and its counterfactuals
# share, so that their members pair); the targets files read (the analysis
# package's strict reader). The long check of the outcomes is `make validate-scenarios`.
source "$(dirname "$0")/lib.sh"
C=$JS_SOURCE_DIR/configs

# the shared map alone, and the scenarios with their end dates for the short runs
expect_status 0 "$JINSONG" validate "$C/map/song_jin_1125.yaml"
expect_in "$TMP/out" "is valid"
declare -A END=([jingkang]=1126-03-01 [southern_song]=1128-03-01)
runs=("jingkang:$C/jingkang.yaml" "southern_song:$C/southern_song.yaml")
n_cf=0
for f in "$C"/counterfactuals/*.yaml; do
  base=$(grep -E '^extends: ' "$f" | sed -E 's|^extends: \.\./([a-z_]+)\.yaml.*|\1|')
  [ -n "${END[$base]:-}" ] || fail "$f extends neither jingkang nor southern_song"
  runs+=("$base:$f")
  n_cf=$((n_cf + 1))
done
[ "$n_cf" -ge 4 ] || fail "expected at least four counterfactuals, found $n_cf"

# short FILE NAME END: a scenario cut at END, written to $TMP/short_NAME.yaml. The engine refuses
# events dated after the end (docs/CONFIG.md); the ones it names are left out (`NAME: null`)
# by a file that extends the scenario, so the run is the scenario's first months unchanged.
short() {
  local file=$1 name=$2 end=$3 out=$TMP/short_$2.yaml
  set +e
  "$JINSONG" run "$file" --dry-run --set "scenario.end=$end" >"$TMP/out" 2>"$TMP/err"
  set -e
  printf 'extends: %s\nscenario: {end: %s}\nevents:\n' "$file" "$end" >"$out"
  grep -oE 'events\.[A-Za-z0-9_]+\.date: the date [0-9-]+ is outside the run' "$TMP/err" |
    cut -d. -f2 | sort -u | sed 's/.*/  &: null/' >>"$out"
  if grep -v -E 'events\.[A-Za-z0-9_]+\.date: the date|fix: give a date|errors? in|^$' "$TMP/err" | grep -q .; then
    cat "$TMP/err" >&2
    fail "$file cut at $end: errors besides events after the end"
  fi
}

for r in "${runs[@]}"; do
  base=${r%%:*}
  file=${r#*:}
  name=$(basename "$file" .yaml)
  expect_status 0 "$JINSONG" validate "$file"
  expect_in "$TMP/out" "is valid"
  short "$file" "$name" "${END[$base]}"
  expect_status 0 "$JINSONG" run "$TMP/short_$name.yaml" -o "$TMP/$name.h5" --threads 1
  expect_in "$TMP/out" "$name: "
  expect_in "$TMP/out" "armies"
  expect_in "$TMP/out" "changed hands"
  expect_in "$TMP/out" "refugees"
  expect_in "$TMP/out" "treasury"
  "$PYTHON" - "$TMP/$name.h5" "$name" <<'PY' || fail "$name: the output is not complete and readable"
import sys
import h5py
import numpy as np

path, name = sys.argv[1:]
with h5py.File(path, "r") as f:
    assert f.attrs["scenario"] in (name, name.encode()), f.attrs["scenario"]
    assert f["provenance"].attrs["completed"] in (1, True, b"true", "true")
    pop = f["places/population"][:]
    assert pop.shape[1] == 74 and pop.shape[0] >= 2 and np.all(pop >= 0), pop.shape
    assert f["armies/strength"][:].sum() > 0
    assert len(f["events"]) > 0
PY
done

for s in "$C"/sweeps/*_64.yaml; do
  expect_status 0 "$JINSONG" sweep "$s" --dry-run
  expect_in "$TMP/out" ": 64 members (replicates design"
  scen=$(grep -oE 'over [^ ]+\.yaml' "$TMP/out" | sed 's/^over //')
  base=$(basename "$scen" .yaml)
  [ -f "$C/counterfactuals/$base.yaml" ] &&
    base=$(grep -E '^extends: ' "$C/counterfactuals/$base.yaml" | sed -E 's|^extends: \.\./([a-z_]+)\.yaml.*|\1|')
  seed=$(grep -oE -- '--seed [0-9]+ --run-index 0' "$TMP/out")
  want=$("$JINSONG" sweep "$C/sweeps/${base}_64.yaml" --dry-run | grep -oE -- '--seed [0-9]+ --run-index 0')
  [ -n "$seed" ] && [ "$seed" = "$want" ] || fail "$s: seed ($seed) differs from ${base}_64's ($want): members do not pair"
done
for t in "$C"/targets/*.yaml; do
  PYTHONPATH=$JS_SOURCE_DIR/analysis "$PYTHON" -c \
    "import sys; from jinsong_analysis.targets import read_targets; t = read_targets(sys.argv[1]); assert len(t['targets']) >= 5" \
    "$t" || fail "$t does not read"
done
echo "test_scenarios: ok (${#runs[@]} scenarios)"
