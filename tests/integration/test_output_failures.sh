#!/usr/bin/env bash
# Unwritable paths and a full disk: clear error, exit 2 before the run and 1 during it,
# nothing at the final path, an earlier output at that path untouched.
source "$(dirname "$0")/lib.sh"
SMOKE="$JS_SOURCE_DIR/configs/test/smoke.yaml"

# a folder that does not exist: status 2 before the run
expect_status 2 "$JINSONG" run "$SMOKE" -o "$TMP/no/such/folder/out.h5"
expect_in "$TMP/err" "does not exist"
[ ! -e "$TMP/no" ] || fail "a folder was created"

# a folder that is not writable (not meaningful as root, who may write anywhere)
if [ "$(id -u)" != 0 ]; then
  mkdir "$TMP/ro" && chmod 0555 "$TMP/ro"
  expect_status 2 "$JINSONG" run "$SMOKE" -o "$TMP/ro/out.h5"
  expect_in "$TMP/err" "not writable"
fi

# the output path is a folder: status 2, nothing written
mkdir "$TMP/isdir.h5"
expect_status 2 "$JINSONG" run "$SMOKE" -o "$TMP/isdir.h5"
expect_in "$TMP/err" "cannot"
[ ! -e "$TMP/isdir.h5.partial" ] || fail "a .partial was left behind"

# a full disk in the middle of the run (file size limit; SIGXFSZ ignored so that write()
# fails with EFBIG as on a full disk): status 1, no file at the final path, and an earlier
# output at that path is untouched. The limit lies between the size of a 2-day output and
# that of the full 2-year output, so the run starts and then fails.
LONG=(--set scenario.end=1127-10-01)
printf 'extends: %s\nscenario: {end: 1125-10-03}\nevents: null\n' "$SMOKE" > "$TMP/short.yaml"
"$JINSONG" run "$TMP/short.yaml" -o "$TMP/short.h5" --quiet || fail "setup run (short) failed"
"$JINSONG" run "$SMOKE" -o "$TMP/full.h5" --quiet "${LONG[@]}" || fail "setup run (long) failed"
small=$(stat -c %s "$TMP/short.h5")
big=$(stat -c %s "$TMP/full.h5")
limit_kb=$(( (small + big) / 2 / 1024 ))
before=$(md5sum < "$TMP/full.h5")
set +e
( ulimit -f "$limit_kb"; trap '' XFSZ; exec "$JINSONG" run "$SMOKE" -o "$TMP/full.h5" "${LONG[@]}" ) \
  >"$TMP/out" 2>"$TMP/err"
status=$?
set -e
[ "$status" = 1 ] || { cat "$TMP/err" >&2; fail "full disk mid-run: expected status 1, got $status"; }
expect_in "$TMP/err" "File too large"
[ "$(md5sum < "$TMP/full.h5")" = "$before" ] || fail "the earlier output was changed"
[ ! -e "$TMP/full.h5.partial" ] || fail "a .partial was left behind"

# a full disk before the run starts: status 2, nothing left behind
set +e
( ulimit -f 8; trap '' XFSZ; exec "$JINSONG" run "$SMOKE" -o "$TMP/none.h5" ) >"$TMP/out" 2>"$TMP/err"
status=$?
set -e
[ "$status" = 2 ] || { cat "$TMP/err" >&2; fail "full disk at the start: expected status 2, got $status"; }
expect_in "$TMP/err" "cannot create the output"
[ ! -e "$TMP/none.h5" ] && [ ! -e "$TMP/none.h5.partial" ] || fail "files left behind"
echo "test_output_failures: ok"
