#!/usr/bin/env bash
# Benchmarks (figures printed; nothing here is a pass/fail test). Usage: bench/run.sh [BUILD]
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JINSONG="$ROOT/$BUILD/jinsong"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cores=$(nproc)

echo "== engine: 100,000 places, 365 days, births and deaths every day (parallel over places)"
/usr/bin/python3 "$ROOT/tests/data/make_big_scenario.py" 100000 365 "$TMP/big.yaml"
t0=$(date +%s.%N)
"$JINSONG" validate "$TMP/big.yaml" --quiet
t1=$(date +%s.%N)
printf '  reading and checking the scenario (12 MB of YAML): %.2f s\n' "$(echo "$t1 - $t0" | bc)"
for t in 1 $cores; do
  "$JINSONG" run "$TMP/big.yaml" -o "$TMP/big_$t.h5" --quiet --threads "$t"
  /usr/bin/python3 - "$TMP/big_$t.h5" "$t" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    wall = float(f["provenance"].attrs["wall_time_seconds"])
    days = int(f.attrs["n_days"]); n = f["places/place"].shape[0]
print(f"  {sys.argv[2]} thread(s): {wall:.2f} s wall for the whole run "
      f"({days * n / wall / 1e6:.1f} M place-days/s, including reading and output)")
PY
done
echo "== armies: 1,000 armies on a 40 x 40 grid (1,600 places), 60 days (bench/army.c)"
/usr/bin/python3 "$ROOT/tests/data/make_army_scenario.py" 1000 40 60 "$TMP/armies.yaml"
"$ROOT/$BUILD/bench_army" "$TMP/armies.yaml" 1 "$cores"
echo
"$ROOT/$BUILD/bench/bench_migration" "${BENCH_AGENTS:-10000000}" 30 0.5 1 2
echo "== the same, places 0.2 degrees apart: every agent reaches a place and chooses a route almost every day"
"$ROOT/$BUILD/bench/bench_migration" "${BENCH_AGENTS:-10000000}" 30 0.2 1 2 | tail -n +2
echo "== default scenario"
"$JINSONG" run "$ROOT/configs/jingkang.yaml" -o "$TMP/jk.h5" 2>&1 >/dev/null | tail -1
echo "== economy: 100,000 places, 10 days (harvest, tax, pay day, tribute; trade and prices every day)"
/usr/bin/python3 "$ROOT/tests/data/make_economy_scenario.py" 100000 "$TMP/econ.yaml"
for t in 1 $cores; do
  "$JINSONG" run "$TMP/econ.yaml" -o "$TMP/econ_$t.h5" --quiet --threads "$t"
  /usr/bin/python3 - "$TMP/econ_$t.h5" "$t" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    wall = float(f["provenance"].attrs["wall_time_seconds"])
    days = int(f.attrs["n_days"]); n = f["places/place"].shape[0]
print(f"  {sys.argv[2]} thread(s): {wall:.2f} s wall for the whole run "
      f"({days * n / wall / 1e6:.2f} M place-days/s, including output)")
PY
done
bash "$ROOT/bench/ensemble.sh" "$BUILD"
