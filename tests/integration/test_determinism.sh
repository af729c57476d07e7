#!/usr/bin/env bash
# Same seed => bitwise identical output for any thread count (ARCHITECTURE rule 3): a scenario
# with 100,000 places, each drawing random numbers every day in the parallel phases
# (schedule(dynamic)), run with OMP_NUM_THREADS = 1, 2 and 3; h5diff must find no difference
# outside /provenance.
source "$(dirname "$0")/lib.sh"
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"

"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_big_scenario.py" 100000 30 "$TMP/big.yaml"
for t in 1 2 3; do
  OMP_NUM_THREADS=$t "$JINSONG" run "$TMP/big.yaml" -o "$TMP/t$t.h5" --quiet \
    || fail "run with $t threads failed"
done
h5diff --exclude-path /provenance "$TMP/t1.h5" "$TMP/t2.h5" || fail "1 and 2 threads differ"
h5diff --exclude-path /provenance "$TMP/t1.h5" "$TMP/t3.h5" || fail "1 and 3 threads differ"
# the comparison is not vacuous: another seed differs
"$JINSONG" run "$TMP/big.yaml" -o "$TMP/s2.h5" --quiet --seed 2 || fail "run with seed 2 failed"
if h5diff -q --exclude-path /provenance "$TMP/t1.h5" "$TMP/s2.h5"; then
  fail "a different seed gave the same output"
fi
# and the threads were really used: provenance records them
"$PYTHON" - "$TMP/t3.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    assert int(f["provenance"].attrs["threads"]) == 3, f["provenance"].attrs["threads"]
    assert f["places/population"].shape == (7, 100000)
PY
echo "test_determinism: ok"
