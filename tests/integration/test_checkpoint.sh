#!/usr/bin/env bash
# Checkpoint/restart: a run split by --stop-after-days (on output days and between them), by
# SIGTERM, by a stop file and by --max-wall-time ends with a file bitwise identical
# (h5diff --exclude-path /provenance) to the uninterrupted run, with 1 and 2 threads; restart
# files rotate (.prev); truncated or mismatched restart files are refused.
source "$(dirname "$0")/lib.sh"
# threads sleep while they wait: on a loaded machine spinning threads slow the runs tenfold
export OMP_WAIT_POLICY=passive
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"
JK="$JS_SOURCE_DIR/configs/jingkang.yaml"
WEEKLY=(--set scenario.output.every_days=7)

same() { h5diff --exclude-path /provenance "$1" "$2" >/dev/null || fail "$3: $1 and $2 differ"; }

# the uninterrupted runs (the events of jingkang fall on days 37..623)
for t in 1 2; do
  OMP_NUM_THREADS=$t "$JINSONG" run "$JK" "${WEEKLY[@]}" -o "$TMP/full_t$t.h5" --quiet \
    || fail "uninterrupted run ($t threads)"
done
same "$TMP/full_t1.h5" "$TMP/full_t2.h5" "1 and 2 threads"

# --stop-after-days in pieces: 10 (not an output day), 4 more (day 14: an output day),
# 100 more (past events), then to the end; with 1 and 2 threads (and a switch between them)
for t in 1 2; do
  ck="$TMP/ck_t$t"
  out="$TMP/split_t$t.h5"
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run "$JK" "${WEEKLY[@]}" -o "$out" \
    --checkpoint-dir "$ck" --stop-after-days 10
  expect_in "$TMP/err" "stopped (--stop-after-days) after day 10 of 638"
  [ -s "$ck/restart.jsr" ] || fail "no restart file after --stop-after-days"
  [ ! -e "$out" ] && [ ! -e "$out.partial" ] || fail "--stop-after-days left an output"
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run --restart "$ck" --stop-after-days 4
  expect_in "$TMP/err" "continuing jingkang from $ck at day 10"
  expect_in "$TMP/err" "after day 14 of 638"
  [ -s "$ck/restart.jsr.prev" ] || fail "the previous restart file was not kept as .prev"
  expect_status 0 env OMP_NUM_THREADS=$((3 - t)) "$JINSONG" run --restart "$ck" \
    --stop-after-days 100
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run --restart "$ck" --quiet
  same "$TMP/full_t1.h5" "$out" "--stop-after-days 10+4+100+rest ($t threads)"
  "$PYTHON" - "$out" <<'PY' || fail "provenance of a restarted run"
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    rc = f["provenance"].attrs["run_control"]
    rc = rc.decode() if isinstance(rc, bytes) else rc
    assert "restart 3, from" in rc and "at day 114" in rc, rc
    assert f["places/time"].shape == (93,), f["places/time"].shape
PY
done

# -o overrides the output path remembered in the restart file; --checkpoint-every rotates
ck="$TMP/ck_every"
expect_status 0 "$JINSONG" run "$JK" "${WEEKLY[@]}" -o "$TMP/every.h5" --checkpoint-dir "$ck" \
  --checkpoint-every 50 --stop-after-days 120
expect_in "$TMP/err" "3 restart files written"
expect_status 0 "$JINSONG" run --restart "$ck" -o "$TMP/every_elsewhere.h5" --quiet
[ ! -e "$TMP/every.h5" ] || fail "-o did not override the remembered output path"
same "$TMP/full_t1.h5" "$TMP/every_elsewhere.h5" "--checkpoint-every with -o on restart"

# a big scenario (parallel phases, 2 threads) stopped by SIGTERM, by a stop file and by
# --max-wall-time, each continued to the end
"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_big_scenario.py" 3000 200 "$TMP/big.yaml"
OMP_NUM_THREADS=2 "$JINSONG" run "$TMP/big.yaml" -o "$TMP/big_full.h5" --quiet || fail "big run"
# wait_for FILE SECONDS: until FILE exists (the run is under way)
wait_for() {
  for _ in $(seq 1 $(($2 * 10))); do [ -e "$1" ] && return 0; sleep 0.1; done
  return 1
}
stop_and_continue() { # how: term | stopfile
  local ck="$TMP/ck_$1" out="$TMP/big_$1.h5"
  OMP_NUM_THREADS=2 "$JINSONG" run "$TMP/big.yaml" -o "$out" --checkpoint-dir "$ck" \
    --checkpoint-every 25 >"$TMP/$1.out" 2>"$TMP/$1.err" &
  local pid=$!
  wait_for "$ck/restart.jsr" 60 || { kill $pid; fail "$1: no restart file written"; }
  if [ "$1" = term ]; then kill -TERM $pid; else touch "$ck/stop"; fi
  set +e
  wait $pid
  local rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    echo "note: the $1 run finished before it was stopped (fast machine)" >&2
  else
    [ $rc -eq 3 ] || { cat "$TMP/$1.err" >&2; fail "$1: exit status $rc, expected 3"; }
    expect_in "$TMP/$1.err" "continue with: jinsong run --restart $ck"
    [ ! -e "$ck/stop" ] || fail "the stop file was not removed"
    OMP_NUM_THREADS=2 "$JINSONG" run --restart "$ck" --quiet || fail "$1: restart failed"
  fi
  same "$TMP/big_full.h5" "$out" "big scenario stopped by $1"
}
stop_and_continue term
stop_and_continue stopfile
# a run of several seconds: --checkpoint-hours (a fifth of a second) writes restart files and
# changes nothing; --max-wall-time 1 s splits it into segments
"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_big_scenario.py" 10000 200 "$TMP/long.yaml"
OMP_NUM_THREADS=1 "$JINSONG" run "$TMP/long.yaml" -o "$TMP/long_full.h5" --quiet || fail "long run"
OMP_NUM_THREADS=1 "$JINSONG" run "$TMP/long.yaml" -o "$TMP/long_hours.h5" --checkpoint-dir \
  "$TMP/ck_hours" --checkpoint-hours 0.00005 2>"$TMP/hours.err" >/dev/null || fail "--checkpoint-hours"
grep -Eq "[0-9]+ restart files? written" "$TMP/hours.err" || fail "--checkpoint-hours wrote nothing"
same "$TMP/long_full.h5" "$TMP/long_hours.h5" "--checkpoint-hours"
ck="$TMP/ck_wall"
expect_status 3 env OMP_NUM_THREADS=1 "$JINSONG" run "$TMP/long.yaml" -o "$TMP/long_wall.h5" \
  --checkpoint-dir "$ck" --max-wall-time 00:00:01
expect_in "$TMP/err" "stopped (--max-wall-time)"
for _ in $(seq 1 30); do
  set +e
  OMP_NUM_THREADS=1 "$JINSONG" run --restart "$ck" --max-wall-time 2 --quiet
  rc=$?
  set -e
  [ $rc -eq 0 ] && break
  [ $rc -eq 3 ] || fail "--max-wall-time restart: exit status $rc"
done
[ $rc -eq 0 ] || fail "the run did not finish in 30 segments of 2 s"
same "$TMP/long_full.h5" "$TMP/long_wall.h5" "a run split by --max-wall-time"

# sieges under way, captives on the road and ransoms in transit at the split: a scenario with many
# sieges stopped on day 37 (not an output day) and on day 121, each continued (1 and 2 threads)
"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_siege_scenario.py" 120 16 200 "$TMP/sieges.yaml"
OMP_NUM_THREADS=1 "$JINSONG" run "$TMP/sieges.yaml" -o "$TMP/sieges_full.h5" --quiet \
  || fail "sieges run"
for t in 1 2; do
  ck="$TMP/ck_sieges_$t"
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run "$TMP/sieges.yaml" \
    -o "$TMP/sieges_split_$t.h5" --checkpoint-dir "$ck" --stop-after-days 37
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run --restart "$ck" --stop-after-days 84
  expect_status 0 env OMP_NUM_THREADS=$t "$JINSONG" run --restart "$ck" --quiet
  same "$TMP/sieges_full.h5" "$TMP/sieges_split_$t.h5" "sieges split at days 37 and 121 ($t threads)"
done

# refusals: options without a folder, a scenario with --restart, a truncated file, a changed
# scenario
expect_status 2 "$JINSONG" run "$JK" --stop-after-days 5
expect_in "$TMP/err" "need --checkpoint-dir DIR"
expect_status 2 "$JINSONG" run "$JK" --restart "$TMP/ck_t1"
expect_in "$TMP/err" "--restart continues the run recorded in"
expect_status 2 "$JINSONG" run --restart "$TMP/nowhere"
expect_in "$TMP/err" "cannot read the restart file"
mkdir -p "$TMP/cut"
expect_status 0 "$JINSONG" run "$JK" -o "$TMP/cut.h5" --checkpoint-dir "$TMP/cut" \
  --stop-after-days 30
size=$(stat -c %s "$TMP/cut/restart.jsr")
head -c $((size / 2)) "$TMP/cut/restart.jsr" >"$TMP/half.jsr"
mv "$TMP/half.jsr" "$TMP/cut/restart.jsr"
expect_status 2 "$JINSONG" run --restart "$TMP/cut"
expect_in "$TMP/err" "restart file refused: it is cut short"
[ ! -e "$TMP/cut.h5.partial" ] && [ ! -e "$TMP/cut.h5" ] || fail "a refused restart wrote output"
mkdir -p "$TMP/sc"
cp "$JS_SOURCE_DIR/configs/test/smoke.yaml" "$TMP/sc/smoke.yaml"
expect_status 0 "$JINSONG" run "$TMP/sc/smoke.yaml" -o "$TMP/sc.h5" --checkpoint-dir "$TMP/ck_sc" \
  --stop-after-days 20 --set demography.birth_rate_per_year=0.04
sed -i 's/strength: 0.9/strength: 0.7/' "$TMP/sc/smoke.yaml"
expect_status 2 "$JINSONG" run --restart "$TMP/ck_sc"
expect_in "$TMP/err" "has changed since the restart file was written"
expect_in "$TMP/err" "places.kaifeng.walls.strength 0.9"
echo "test_checkpoint: ok"
