#!/usr/bin/env bash
# Benchmarks of ensembles and restart files (figures printed; nothing here is a pass/fail test).
# Usage: bench/ensemble.sh [BUILD]
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JINSONG="$ROOT/$BUILD/jinsong"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cores=$(nproc)
now() { date +%s.%N; }

echo "== ensembles: the example sweep's grid with 8 replicates (48 members of configs/test/smoke.yaml)"
sed "s/replicates: 2/replicates: 8/; s|../test/smoke.yaml|$ROOT/configs/test/smoke.yaml|" \
  "$ROOT/configs/sweeps/00_example.yaml" >"$TMP/sweep.yaml"
t0=$(now)
"$JINSONG" sweep "$TMP/sweep.yaml" -o "$TMP/serial" --quiet
t1=$(now)
printf '  process pool, %d jobs: %.1f s, %.0f member-runs/min\n' "$cores" "$(echo "$t1 - $t0" | bc)" \
  "$(echo "48 * 60 / ($t1 - $t0)" | bc -l)"
t0=$(now)
"$JINSONG" sweep "$TMP/sweep.yaml" -o "$TMP/serial" --quiet
t1=$(now)
printf '  resume with all 48 complete (checksums verified): %.2f s\n' "$(echo "$t1 - $t0" | bc)"
if command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_btl_vader_single_copy_mechanism=none
  n=$((cores + 1))
  t0=$(now)
  mpirun -n $n --oversubscribe "$JINSONG" sweep "$TMP/sweep.yaml" -o "$TMP/mpi" --mpi --quiet
  t1=$(now)
  printf '  MPI, %d ranks (a manager, %d workers): %.1f s, %.0f member-runs/min\n' $n $((n - 1)) \
    "$(echo "$t1 - $t0" | bc)" "$(echo "48 * 60 / ($t1 - $t0)" | bc -l)"
fi

echo "== restart files (the figure: time per file written, printed by jinsong run)"
ck() { # NAME SCENARIO EVERY [ARGS...]
  local name=$1 sc=$2 every=$3
  shift 3
  t0=$(now)
  "$JINSONG" run "$sc" -o "$TMP/$name.h5" --quiet --threads 1 "$@"
  t1=$(now)
  local plain
  plain=$(echo "$t1 - $t0" | bc)
  t0=$(now)
  "$JINSONG" run "$sc" -o "$TMP/${name}_ck.h5" --threads 1 --checkpoint-dir "$TMP/ck_$name" \
    --checkpoint-every "$every" "$@" 2>&1 >/dev/null | grep "restart file" | sed 's/^jinsong: /  /'
  t1=$(now)
  printf '  %s: %.2f s without, %.2f s with restart files every %d days; restart file %s\n' \
    "$name" "$plain" "$(echo "$t1 - $t0" | bc)" "$every" \
    "$(du -h "$TMP/ck_$name/restart.jsr" | cut -f1)"
}
ck jingkang "$ROOT/configs/jingkang.yaml" 50
/usr/bin/python3 "$ROOT/tests/data/make_big_scenario.py" 100000 60 "$TMP/big.yaml"
ck big_100k_places "$TMP/big.yaml" 10
