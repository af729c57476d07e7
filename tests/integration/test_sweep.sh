#!/usr/bin/env bash
# jinsong sweep on one machine: the example sweep and its ensemble.h5; a member reproduced by
# `jinsong run` bitwise; resume (complete members skipped, damaged ones rerun, replicates
# appended, changed members refused); design values outside the scenario's range refused before
# anything runs; failed members (bad combination, crash) recorded; --fail-fast; SIGTERM stops
# members with restart files and the next run continues them; --member-range and --collect;
# Saltelli labels.
source "$(dirname "$0")/lib.sh"
# threads sleep while they wait: on a loaded machine spinning threads slow the runs tenfold
export OMP_WAIT_POLICY=passive
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"
SMOKE="$JS_SOURCE_DIR/configs/test/smoke.yaml"
EXAMPLE="$JS_SOURCE_DIR/configs/sweeps/00_example.yaml"
same() { h5diff --exclude-path /provenance "$1" "$2" >/dev/null || fail "$3: $1 and $2 differ"; }
# sweep_file NAME TEXT: writes $TMP/NAME.yaml (scenario paths relative to $TMP)
sweep_file() { printf '%s\n' "$2" >"$TMP/$1.yaml"; }
cp "$SMOKE" "$TMP/smoke.yaml"

# --- every sweep of configs/sweeps passes its checks (--dry-run writes nothing); the small
# example is listed first
[ "$(ls "$JS_SOURCE_DIR/configs/sweeps/"*.yaml | head -n 1)" = "$EXAMPLE" ] \
  || fail "configs/sweeps/00_example.yaml is not first by name"
for f in "$JS_SOURCE_DIR"/configs/sweeps/*.yaml; do
  (cd "$TMP" && expect_status 0 "$JINSONG" sweep "$f" --dry-run)
  expect_in "$TMP/out" "every design value is accepted by the scenario"
done
(cd "$TMP" && expect_status 0 "$JINSONG" sweep "$JS_SOURCE_DIR/configs/sweeps/jingkang_saltelli.yaml" --dry-run)
expect_in "$TMP/out" "5120 members (saltelli design, 8 parameters"
[ -z "$(ls "$TMP")" ] || [ "$(ls "$TMP")" = "$(printf 'err\nout\nsmoke.yaml')" ] \
  || fail "--dry-run wrote files: $(ls "$TMP")"

# --- the example sweep: 12 members, 2 at a time
expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/ex" --jobs 2
expect_in "$TMP/err" "sweep example: 12 members (grid design, 6 points x 2 replicates)"
expect_in "$TMP/err" "12/12 members done"
"$PYTHON" - "$TMP/ex" <<'PY' || fail "ensemble.h5 of the example sweep"
import sys, h5py, numpy as np, xarray as xr
d = sys.argv[1]
m = xr.open_dataset(f"{d}/ensemble.h5", engine="h5netcdf", group="members")
assert m.sizes["member"] == 12
assert list(m.member.values) == list(range(12))
assert (m.status.values == "ok").all(), m.status.values
assert (m.seed.values == 2024).all() and list(m.run_index.values) == list(range(12))
assert m.seed.dtype == np.uint32 and m.run_index.dtype == np.uint32
assert list(m.file.values) == [f"member_{k}.h5" for k in range(12)]
b = m["demography__birth_rate_per_year"]
assert b.attrs["key"] == "demography.birth_rate_per_year"
assert list(b.values[:6]) == [0.03, 0.03, 0.035, 0.035, 0.04, 0.04], b.values
assert list(m["demography__death_rate_per_year"].values[:2]) == [0.025, 0.035]
assert (b.values[6:] == b.values[:6]).all()
assert list(m.replicate.values) == [0] * 6 + [1] * 6 and list(m.point.values) == list(range(6)) * 2
assert (m.wall_seconds.values > 0).all()
for v in ("summary__final_population", "summary__persons__births", "summary__events",
          "summary__population__song", "summary__events__PLACE_CEDED"):
    assert v in m, v
assert (m.summary__events.values == 3).all()
assert (np.diff(m.summary__final_population.values[:6].reshape(3, 2), axis=0) > 0).all()
dz = xr.open_dataset(f"{d}/ensemble.h5", engine="h5netcdf", group="design")
assert dz.attrs["kind"] == "grid" and dz.attrs["n_params"] == 2 and dz.attrs["replicates"] == 2
assert list(dz.param_keys.values) == ["demography.birth_rate_per_year",
                                      "demography.death_rate_per_year"]
assert list(dz.lower.values) == [0.03, 0.025] and list(dz.upper.values) == [0.04, 0.035]
with h5py.File(f"{d}/ensemble.h5") as f:
    assert f.get("member_7", getlink=True).filename == "member_7.h5"
    pop = f["member_7/places/population"][-1].sum()
    assert pop == m.summary__final_population.values[7]
PY

# --- member 9 reproduced by `jinsong run` with the seed, run index and --set values
"$PYTHON" - "$TMP/ex" >"$TMP/args9" <<'PY'
import sys, xarray as xr
m = xr.open_dataset(f"{sys.argv[1]}/ensemble.h5", engine="h5netcdf", group="members")
print("--set", f"demography.birth_rate_per_year={m.demography__birth_rate_per_year.values[9]!r}",
      "--set", f"demography.death_rate_per_year={m.demography__death_rate_per_year.values[9]!r}")
PY
# shellcheck disable=SC2046
"$JINSONG" run "$SMOKE" --seed 2024 --run-index 9 --set scenario.output.every_days=7 \
  $(cat "$TMP/args9") -o "$TMP/repro9.h5" --quiet || fail "reproduction of member 9"
same "$TMP/ex/member_9.h5" "$TMP/repro9.h5" "member 9 and its jinsong run reproduction"
if h5diff -q --exclude-path /provenance "$TMP/ex/member_9.h5" "$TMP/ex/member_3.h5"; then
  fail "replicates 0 and 1 of point 3 are identical (run index not used)"
fi

# --- resume: everything complete; a damaged member runs again; more replicates are appended
cp "$TMP/ex/member_5.h5" "$TMP/member_5_before.h5"
expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/ex"
expect_in "$TMP/err" "running 0 of members 0:12, 12 complete"
head -c 5000 "$TMP/member_5_before.h5" >"$TMP/ex/member_5.h5"
expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/ex"
expect_in "$TMP/err" "member 5: its output"
expect_in "$TMP/err" "running 1 of members 0:12, 11 complete"
same "$TMP/member_5_before.h5" "$TMP/ex/member_5.h5" "member 5 run again"
sed 's/replicates: 2/replicates: 3/' "$EXAMPLE" | sed "s|../test/smoke.yaml|$SMOKE|" \
  >"$TMP/more.yaml"
expect_status 0 "$JINSONG" sweep "$TMP/more.yaml" -o "$TMP/ex"
expect_in "$TMP/err" "running 6 of members 0:18, 12 complete"
# a change that alters finished members is refused, nothing runs
sed 's/0.04]/0.045]/' "$TMP/more.yaml" >"$TMP/changed.yaml"
expect_status 2 "$JINSONG" sweep "$TMP/changed.yaml" -o "$TMP/ex"
expect_in "$TMP/err" "member 4 of $TMP/ex is finished with"
expect_in "$TMP/err" "demography.birth_rate_per_year=0.04 "
expect_in "$TMP/err" "demography.birth_rate_per_year=0.045 "
expect_in "$TMP/err" "finished members would change: nothing was run"

# --- design values outside the scenario's valid range, unknown keys: refused before running
sweep_file range "sweep: {name: r, scenario: smoke.yaml, seed: 1, design: lhs, samples: 4}
parameters:
  demography.birth_rate_per_year: {lower: 0.01, upper: 0.5}
  graph.sinuosity: {lower: 1.0, upper: 2.0}"
expect_status 2 "$JINSONG" sweep "$TMP/range.yaml" -o "$TMP/range"
expect_in "$TMP/err" "range.yaml:3: error: parameters.demography.birth_rate_per_year: design value"
expect_in "$TMP/err" "is out of range [0, 0.2] 1/year"
[ ! -e "$TMP/range" ] || fail "a refused sweep created its folder"
sweep_file typo "sweep: {name: r, scenario: smoke.yaml, seed: 1, design: grid}
parameters:
  demography.birth_rate: {values: [0.03]}"
expect_status 2 "$JINSONG" sweep "$TMP/typo.yaml" -o "$TMP/typo"
expect_in "$TMP/err" "demography.birth_rate is not a parameter of the scenario"

# --- a bad combination fails its members, recorded; the others run; --fail-fast stops
sweep_file combo "sweep: {name: c, scenario: smoke.yaml, seed: 1, design: list, replicates: 2}
points:
  - {demography.class_shares.farmers: 0.85, demography.class_shares.townspeople: 0.10}
  - {demography.class_shares.farmers: 0.80, demography.class_shares.townspeople: 0.10}"
expect_status 1 "$JINSONG" sweep "$TMP/combo.yaml" -o "$TMP/combo" --jobs 2
expect_in "$TMP/err" "member 1 failed: "
expect_in "$TMP/err" "class shares add up to 0.95"
"$PYTHON" - "$TMP/combo" <<'PY' || fail "failed members in ensemble.h5"
import sys, xarray as xr, numpy as np
m = xr.open_dataset(f"{sys.argv[1]}/ensemble.h5", engine="h5netcdf", group="members")
assert list(m.status.values) == ["ok", "failed", "ok", "failed"], m.status.values
assert "class shares add up to 0.95" in m.error.values[1], m.error.values[1]
assert m.error.values[0] == ""
assert np.isnan(m.summary__final_population.values[1])
PY
expect_status 1 "$JINSONG" sweep "$TMP/combo.yaml" -o "$TMP/combo_ff" --jobs 1 --fail-fast
expect_in "$TMP/err" "--fail-fast and a member failed"
"$PYTHON" - "$TMP/combo_ff" <<'PY' || fail "--fail-fast left members pending"
import sys, xarray as xr
m = xr.open_dataset(f"{sys.argv[1]}/ensemble.h5", engine="h5netcdf", group="members")
assert list(m.status.values) == ["ok", "failed", "pending", "pending"], m.status.values
PY

# --- a crashed member (SIGSEGV) is recorded and the sweep goes on; SIGTERM stops the sweep,
# its members write restart files, and the next run continues them to identical files
"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_big_scenario.py" 3000 150 "$TMP/big.yaml"
sweep_file bigsweep "sweep: {name: b, scenario: big.yaml, seed: 3, design: replicates, replicates: 2}"
children() { pgrep -P "$1" 2>/dev/null | wc -l; }
wait_children() { # PID N: until PID has N children
  for _ in $(seq 1 300); do [ "$(children "$1")" -ge "$2" ] && return 0; sleep 0.05; done
  return 1
}
"$JINSONG" sweep "$TMP/bigsweep.yaml" -o "$TMP/crash" --jobs 1 >"$TMP/crash.out" 2>"$TMP/crash.err" &
pid=$!
wait_children $pid 1 || fail "no member started"
kill -SEGV "$(pgrep -P $pid | head -1)"
set +e
wait $pid
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$TMP/crash.err" >&2; fail "crashed member: exit status $rc, expected 1"; }
expect_in "$TMP/crash.err" "member 0 failed: killed by signal 11"
! grep -q "2/2 members done" "$TMP/crash.err" || fail "the crashed member counted as done"
grep -q "1 failed" "$TMP/crash.err" || fail "the crash was not counted"
[ -s "$TMP/crash/member_1.h5" ] || fail "the sweep stopped at the crashed member"

"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_big_scenario.py" 6000 200 "$TMP/long.yaml"
sweep_file longsweep "sweep: {name: l, scenario: long.yaml, seed: 3, design: replicates, replicates: 2}"
"$JINSONG" sweep "$TMP/longsweep.yaml" -o "$TMP/term" --jobs 2 >"$TMP/term.out" 2>"$TMP/term.err" &
pid=$!
wait_children $pid 2 || fail "two members did not start"
sleep 0.3
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
[ $rc -eq 3 ] || { cat "$TMP/term.err" >&2; fail "SIGTERM: exit status $rc, expected 3"; }
expect_in "$TMP/term.err" "stopping on a signal"
grep -q "^state	stopped" "$TMP/term/status/member_0.txt" || fail "member 0 not recorded as stopped"
[ -s "$TMP/term/restart/member_0/restart.jsr" ] || fail "member 0 wrote no restart file"
expect_status 0 "$JINSONG" sweep "$TMP/longsweep.yaml" -o "$TMP/term"
[ ! -e "$TMP/term/restart/member_0" ] || fail "restart files left after the member finished"
for k in 0 1; do
  "$JINSONG" run "$TMP/long.yaml" --seed 3 --run-index $k -o "$TMP/long_$k.h5" --quiet --threads 1
  same "$TMP/long_$k.h5" "$TMP/term/member_$k.h5" "member $k stopped by SIGTERM and continued"
done

# --- --member-range shares, then --collect; a saltelli design's labels
SALT="sweep: {name: s, scenario: smoke.yaml, seed: 9, design: saltelli, samples: 2,
        set: {scenario.output.every_days: 30}}
parameters:
  demography.birth_rate_per_year: {lower: 0.03, upper: 0.04}
  graph.sinuosity: {lower: 1.1, upper: 1.5}"
sweep_file salt "$SALT"
expect_status 0 "$JINSONG" sweep "$TMP/salt.yaml" -o "$TMP/salt" --member-range 0:3
expect_in "$TMP/err" "running 3 of members 0:3"
expect_in "$TMP/err" "jinsong sweep --collect"
[ ! -e "$TMP/salt/ensemble.h5" ] || fail "a share of the members built ensemble.h5"
expect_status 0 "$JINSONG" sweep "$TMP/salt.yaml" -o "$TMP/salt" --member-range 3:8
expect_in "$TMP/err" "8 of 8 members ok"
rm "$TMP/salt/ensemble.h5"
expect_status 0 "$JINSONG" sweep --collect "$TMP/salt"
"$PYTHON" - "$TMP/salt" <<'PY' || fail "saltelli labels in ensemble.h5"
import sys, xarray as xr, numpy as np
d = sys.argv[1]
m = xr.open_dataset(f"{d}/ensemble.h5", engine="h5netcdf", group="members")
z = xr.open_dataset(f"{d}/ensemble.h5", engine="h5netcdf", group="design")
assert z.attrs["kind"] == "saltelli" and z.attrs["base_samples"] == 2 and z.attrs["n_params"] == 2
mat, row = z.saltelli_matrix.values, z.saltelli_row.values
assert list(mat) == [0, 0, 1, 1, 2, 2, 3, 3] and list(row) == [0, 1] * 4, (mat, row)
x = np.stack([m.demography__birth_rate_per_year.values, m.graph__sinuosity.values], axis=1)
A, B = x[mat == 0], x[mat == 1]
for i in range(2):
    AB = x[mat == 2 + i]
    assert (AB[:, i] == B[:, i]).all() and (AB[:, 1 - i] == A[:, 1 - i]).all()
assert (x[:, 0] >= 0.03).all() and (x[:, 0] <= 0.04).all()
assert (m.status.values == "ok").all()
PY
expect_status 2 "$JINSONG" sweep --collect "$TMP/nowhere"
expect_in "$TMP/err" "give the output folder of a jinsong sweep"
echo "test_sweep: ok"
