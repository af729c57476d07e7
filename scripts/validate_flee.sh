#!/usr/bin/env bash
# Validation on FLEE's real-conflict scenarios (docs/VALIDATION.md): imports mali2012 and
# burundi2015 from $JINSONG_SHARED/data/flee (default ../shared beside the checkout; never copied
# into the project), runs each with SEEDS seeds at one person per agent and no population
# scaling (OMP_NUM_THREADS=1), scores every run with FLEE's averaged relative difference, and
# prints the mean and spread of the rescaled and plain ARD and the wall time of each `jinsong
# run` beside FLEE's own on one core. Skips cleanly when the data folder is absent.
#
# usage: scripts/validate_flee.sh [BUILD_DIR] [SEEDS]     (make validate-flee [SEEDS=N])
# VARIANTS="--set migration.route.safety_weight=2" adds a run set with jinsong's own rules.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
SEEDS=${2:-10}
JINSONG=$(cd "$ROOT" && realpath "$BUILD/jinsong")
DATA=${JINSONG_SHARED:-$ROOT/../shared}/data/flee
if [ ! -d "$DATA/mali2012/input_csv" ] || [ ! -d "$DATA/burundi2015/input_csv" ]; then
  echo "validate-flee: skipped (no FLEE data in $DATA; set JINSONG_SHARED)"
  exit 0
fi
[ "$SEEDS" -ge 1 ] 2>/dev/null || { echo "SEEDS must be a positive integer" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# FLEE's wall time on one core, measured on this machine (../shared/data/flee/README.md)
declare -A FLEE_S=([mali2012]=116 [burundi2015]=363)
# FLEE 3's published rescaled ARD (the README's range)
declare -A FLEE_ARD=([mali2012]="0.28-0.31" [burundi2015]="0.46-0.54")

# stats FILE: "mean sd min max" of a column of numbers
stats() {
  awk '{s+=$1; q+=$1*$1; if(NR==1||$1<mn)mn=$1; if(NR==1||$1>mx)mx=$1}
       END{m=s/NR; v=NR>1?(q-NR*m*m)/(NR-1):0; if(v<0)v=0; printf "%.4f %.4f %.4f %.4f", m, sqrt(v), mn, mx}' "$1"
}

# one_set NAME LABEL [--set ...]: SEEDS runs of an imported scenario, scored
one_set() {
  local name=$1 label=$2
  shift 2
  : >"$TMP/$name.resc"; : >"$TMP/$name.plain"; : >"$TMP/$name.wall"
  for seed in $(seq 1 "$SEEDS"); do
    local t0 t1
    t0=$(date +%s.%N)
    OMP_NUM_THREADS=1 "$JINSONG" run "$TMP/$name.yaml" -o "$TMP/$name.h5" --seed "$seed" --quiet "$@"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l >>"$TMP/$name.wall"
    "$JINSONG" flee-score "$TMP/$name.h5" "$DATA/$name" --json "$TMP/$name.json" --quiet >/dev/null
    /usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['ard_rescaled']); print(s['ard'], file=sys.stderr)" \
      "$TMP/$name.json" >>"$TMP/$name.resc" 2>>"$TMP/$name.plain"
  done
  read -r rm rs rmin rmax <<<"$(stats "$TMP/$name.resc")"
  read -r pm ps _ _ <<<"$(stats "$TMP/$name.plain")"
  read -r wm _ wmin wmax <<<"$(stats "$TMP/$name.wall")"
  printf "%-12s %-28s %s ± %s (%s-%s)  %s ± %s   %.2f s (%.2f-%.2f)  %4.0f×   %s\n" "$name" "$label" \
    "$rm" "$rs" "$rmin" "$rmax" "$pm" "$ps" "$wm" "$wmin" "$wmax" \
    "$(echo "${FLEE_S[$name]} / $wmin" | bc -l)" "${FLEE_ARD[$name]}"
}

echo "FLEE validation: $SEEDS seeds per scenario, OMP_NUM_THREADS=1, one person per agent"
echo "data: $DATA"
printf "%-12s %-28s %-30s %-17s %-22s %-6s %s\n" scenario rules "ARD rescaled mean ± sd (range)" \
  "ARD plain" "wall s mean (range)" "FLEE÷" "FLEE 3 ARD"
for name in mali2012 burundi2015; do
  "$JINSONG" import-flee "$DATA/$name" -o "$TMP/$name.yaml" --quiet
  one_set "$name" "FLEE's (imported)"
  if [ -n "${VARIANTS:-}" ]; then
    # shellcheck disable=SC2086
    one_set "$name" "with ${VARIANTS#--set migration.}" $VARIANTS
  fi
done
echo "FLEE's wall time on one core here: mali2012 116 s, burundi2015 363 s (FLEE÷ uses the fastest run)"
