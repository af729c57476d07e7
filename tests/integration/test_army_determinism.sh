#!/usr/bin/env bash
# Armies: same seed => bitwise identical output for 1, 2 and 3 threads (ARCHITECTURE rule 3), on a
# scenario with 600 armies on a 30 x 30 grid for 40 days: parallel decisions, marches, battles,
# supply and attrition every day. The run must have battles (else the comparison proves little).
source "$(dirname "$0")/lib.sh"
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"

"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_army_scenario.py" 600 30 40 "$TMP/armies.yaml"
for t in 1 2 3; do
  OMP_NUM_THREADS=$t "$JINSONG" run "$TMP/armies.yaml" -o "$TMP/t$t.h5" --quiet \
    || fail "run with $t threads failed"
done
h5diff --exclude-path /provenance "$TMP/t1.h5" "$TMP/t2.h5" || fail "1 and 2 threads differ"
h5diff --exclude-path /provenance "$TMP/t1.h5" "$TMP/t3.h5" || fail "1 and 3 threads differ"
"$PYTHON" - "$TMP/t3.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    kinds = h5py.check_enum_dtype(f["events"].dtype["kind"])
    battles = (f["events"]["kind"] == kinds["BATTLE"]).sum()
    assert battles >= 20, battles
    assert f["armies/strength"].shape == (5, 600)
    assert int(f["provenance"].attrs["threads"]) == 3
PY
echo "test_army_determinism: ok"
