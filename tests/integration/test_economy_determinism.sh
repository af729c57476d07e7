#!/usr/bin/env bash
# The economy is deterministic (ARCHITECTURE rule 3): a scenario with 100,000 places that all
# eat, spoil (random rounding) and trade (parallel gravity flows applied in order), half of which
# harvest (weather draws), with taxes, pay, a treaty, a shipment and a border market, run with
# OMP_NUM_THREADS = 1, 2 and 3 gives bitwise identical output (h5diff outside /provenance);
# another seed differs. Threads wait passively (OMP_WAIT_POLICY: no effect on the results) so
# that 3 threads on a busy 2-core machine do not spin. /config (the parameters read, the same
# input for every run; compared by test_determinism) is left out of the comparison: with 100,000
# places it is most of h5diff's time.
source "$(dirname "$0")/lib.sh"
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"

"$PYTHON" "$JS_SOURCE_DIR/tests/data/make_economy_scenario.py" 100000 "$TMP/econ.yaml"
for t in 1 2 3; do
  OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$t "$JINSONG" run "$TMP/econ.yaml" -o "$TMP/t$t.h5" --quiet \
    || fail "run with $t threads failed"
done
DIFF=(h5diff --exclude-path /provenance --exclude-path /config)
"${DIFF[@]}" "$TMP/t1.h5" "$TMP/t2.h5" || fail "1 and 2 threads differ"
"${DIFF[@]}" "$TMP/t1.h5" "$TMP/t3.h5" || fail "1 and 3 threads differ"
OMP_WAIT_POLICY=passive "$JINSONG" run "$TMP/econ.yaml" -o "$TMP/s2.h5" --quiet --seed 2 || fail "run with seed 2 failed"
if "${DIFF[@]}" -q "$TMP/t1.h5" "$TMP/s2.h5"; then
  fail "a different seed gave the same output"
fi
# the phases really ran: harvests, trade on the routes, a tribute payment, prices that moved
"$PYTHON" - "$TMP/t3.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as f:
    assert int(f["provenance"].attrs["threads"]) == 3
    assert f["places/price"].shape == (3, 100000)
    assert (f["places/harvest"][-1] > 0).sum() > 40000
    assert f["factions/revenue_land_tax"][-1, :, 4].min() > 0       # grain, both factions
    assert f["factions/expenditure_army"][-1, :, 0].min() > 0       # cash
    assert (f["routes/grain_flow"][-1] > 0).sum() > 1000
    assert f["factions/tribute_paid"][-1, 0, 1] == 1000          # silver, A -> B
    assert np.ptp(f["places/price"][-1]) > 0.1
PY
echo "test_economy_determinism: ok"
