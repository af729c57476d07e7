#!/usr/bin/env bash
# `mpirun -n 3 jinsong sweep ... --mpi` on localhost (a manager and two workers) gives the
# members and the ensemble.h5 of the serial sweep; a second MPI run resumes (runs nothing).
source "$(dirname "$0")/lib.sh"
command -v mpirun >/dev/null || skip "mpirun (openmpi-bin) is not installed"
command -v h5diff >/dev/null || skip "h5diff (hdf5-tools) is not installed"
EXAMPLE="$JS_SOURCE_DIR/configs/sweeps/00_example.yaml"
# as root Open MPI needs these; on 2 cores, 3 ranks oversubscribe
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader,tcp
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi() { timeout 300 mpirun -n 3 --oversubscribe "$JINSONG" "$@"; }

expect_status 0 "$JINSONG" sweep "$EXAMPLE" -o "$TMP/serial" --jobs 2 --quiet
set +e
mpi sweep "$EXAMPLE" -o "$TMP/mpi" --mpi >"$TMP/mpi.out" 2>"$TMP/mpi.err"
rc=$?
set -e
if grep -q "built without MPI" "$TMP/mpi.err"; then
  skip "this jinsong was built without MPI (CMake did not find libopenmpi-dev)"
fi
[ $rc -eq 0 ] || { cat "$TMP/mpi.err" >&2; fail "mpirun -n 3 sweep: exit status $rc"; }
expect_in "$TMP/mpi.err" "MPI manager on rank 0, 2 worker ranks"
expect_in "$TMP/mpi.err" "12/12 members done"
for k in $(seq 0 11); do
  h5diff --exclude-path /provenance "$TMP/serial/member_$k.h5" "$TMP/mpi/member_$k.h5" >/dev/null \
    || fail "member $k differs between the serial and the MPI sweep"
done
# ensemble.h5: every dataset and attribute equal, but wall times and /provenance
"$PYTHON" - "$TMP/serial/ensemble.h5" "$TMP/mpi/ensemble.h5" <<'PY' \
  || fail "ensemble.h5 differs between the serial and the MPI sweep"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
def items(f):
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o) if isinstance(o, h5py.Dataset) else None)
    return out
da, db = items(a), items(b)
assert sorted(da) == sorted(db), (sorted(da), sorted(db))
for k in range(12):  # external links to the members, resolved
    assert b.get(f"member_{k}", getlink=True).filename == f"member_{k}.h5"
    assert b[f"member_{k}/places/population"].shape == a[f"member_{k}/places/population"].shape
for n in da:
    if n.startswith("provenance") or n.endswith("wall_seconds"):
        continue
    x, y = da[n][()], db[n][()]
    assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), n
for g in ("", "members", "design"):
    ka = {k: v for k, v in a[g or "/"].attrs.items()}
    kb = {k: v for k, v in b[g or "/"].attrs.items()}
    assert ka.keys() == kb.keys() and all(np.array_equal(ka[k], kb[k]) for k in ka), g
print("ensemble.h5 equal:", len(da), "datasets")
PY
# the workers really ran members: each wrote its status from its own process
n=$(grep -l "^state	ok" "$TMP/mpi/status/"member_*.txt | wc -l)
[ "$n" -eq 12 ] || fail "$n member statuses ok, expected 12"
# resume under MPI
mpi sweep "$EXAMPLE" -o "$TMP/mpi" --mpi >"$TMP/out" 2>"$TMP/err" || fail "MPI resume"
expect_in "$TMP/err" "running 0 of members 0:12, 12 complete"
# without --mpi the same binary never initialises MPI (no mpirun needed): proven by the serial
# sweep above; a bad sweep file under MPI stops every rank with exit status 2
printf 'sweep: {name: x}\n' >"$TMP/bad.yaml"
set +e
mpi sweep "$TMP/bad.yaml" -o "$TMP/bad" --mpi >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ $rc -eq 2 ] || { cat "$TMP/err" >&2; fail "bad sweep under MPI: exit status $rc, expected 2"; }
expect_in "$TMP/err" "bad.yaml:1:"
echo "test_sweep_mpi: ok"
