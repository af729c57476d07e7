#!/usr/bin/env bash
# Every verb of the command line on the smoke scenario: exit statuses, messages, outputs.
source "$(dirname "$0")/lib.sh"
SMOKE="$JS_SOURCE_DIR/configs/test/smoke.yaml"

# --version and --help on each verb
expect_status 0 "$JINSONG" --version
expect_in "$TMP/out" "jinsong 0."
expect_in "$TMP/out" "HDF5"
expect_status 0 "$JINSONG" --help
expect_in "$TMP/out" "run CONFIG"
for verb in run validate info; do
  expect_status 0 "$JINSONG" "$verb" --help
  expect_in "$TMP/out" "usage: jinsong $verb"
done
expect_status 2 "$JINSONG"
expect_status 2 "$JINSONG" frobnicate
expect_in "$TMP/err" "unknown command 'frobnicate'"
expect_status 2 "$JINSONG" run
expect_in "$TMP/err" "run needs a scenario file"
expect_status 2 "$JINSONG" run "$SMOKE" --bogus
expect_in "$TMP/err" "unknown option '--bogus'"

# validate prints the parameter table with sources
expect_status 0 "$JINSONG" validate "$SMOKE"
expect_in "$TMP/out" "is valid"
expect_in "$TMP/out" "scenario.start"
expect_in "$TMP/out" "smoke.yaml:"
expect_in "$TMP/out" "graph.sinuosity"
expect_in "$TMP/out" "default"
expect_status 0 "$JINSONG" validate "$SMOKE" --quiet
[ ! -s "$TMP/out" ] || fail "validate --quiet printed something"

# --set is logged and recorded with its source
expect_status 0 "$JINSONG" validate "$SMOKE" --set places.kaifeng.walls.strength=0.5 \
  --set demography.birth_rate_per_year=0.04
expect_in "$TMP/err" "value of places.kaifeng.walls.strength changed from 0.9 to 0.5"
expect_in "$TMP/err" "value of demography.birth_rate_per_year set to 0.04"
grep -E '^places\.kaifeng\.walls\.strength +0\.5 .*--set' "$TMP/out" >/dev/null \
  || fail "--set value not recorded with source --set"

# seeds and run indices are uint32
expect_status 0 "$JINSONG" validate "$SMOKE" --seed 4294967295 --run-index 4294967295
grep -E '^scenario\.seed +4294967295 .*--seed' "$TMP/out" >/dev/null || fail "--seed not recorded"
expect_status 2 "$JINSONG" run "$SMOKE" --seed 4294967296 -o "$TMP/x.h5"
expect_in "$TMP/err" "--seed takes an integer in [0, 4294967295]"
expect_status 2 "$JINSONG" run "$SMOKE" --seed -1 -o "$TMP/x.h5"
expect_status 2 "$JINSONG" run "$SMOKE" --run-index 1e3 -o "$TMP/x.h5"
expect_status 2 "$JINSONG" run "$SMOKE" --threads 0 -o "$TMP/x.h5"
[ ! -e "$TMP/x.h5" ] || fail "a refused run wrote its output"

# --dry-run sizes the run and writes nothing
expect_status 0 "$JINSONG" run "$SMOKE" --dry-run -o "$TMP/dry.h5"
expect_in "$TMP/out" "dry run"
expect_in "$TMP/out" "world state"
[ ! -e "$TMP/dry.h5" ] && [ ! -e "$TMP/dry.h5.partial" ] || fail "--dry-run wrote a file"

# run writes the file and a summary; info describes it
expect_status 0 "$JINSONG" run "$SMOKE" -o "$TMP/smoke.h5" --threads 2
expect_in "$TMP/out" "people in places"
expect_in "$TMP/err" "92 days in"
[ -f "$TMP/smoke.h5" ] && [ ! -e "$TMP/smoke.h5.partial" ] || fail "no output or a leftover .partial"
expect_status 0 "$JINSONG" run "$SMOKE" -o "$TMP/quiet.h5" --quiet
[ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] || fail "run --quiet printed something"
expect_status 0 "$JINSONG" info "$TMP/smoke.h5"
expect_in "$TMP/out" "scenario     smoke"
expect_in "$TMP/out" "1125-10-01 to 1126-01-01"
expect_in "$TMP/out" "seed         1127, run index 0"
expect_in "$TMP/out" "places       4"
expect_in "$TMP/out" "ROUTE_CLOSED 1"
expect_in "$TMP/out" "completed: true"
expect_status 2 "$JINSONG" info "$TMP/missing.h5"
expect_in "$TMP/err" "cannot read the file"
expect_status 2 "$JINSONG" info "$SMOKE"
expect_in "$TMP/err" "not an HDF5 file"

# the default output path is results/<scenario>.h5 in the current folder
(cd "$TMP" && "$JINSONG" run "$SMOKE" --quiet) || fail "run with the default output failed"
[ -f "$TMP/results/smoke.h5" ] || fail "default output results/smoke.h5 missing"

# h5dump and ncdump read the file
h5dump -H "$TMP/smoke.h5" >/dev/null || fail "h5dump -H cannot read the output"
ncdump -h "$TMP/smoke.h5" >/dev/null || fail "ncdump -h cannot read the output"
echo "test_cli: ok"
