# Shared helpers of the integration tests (sourced).
# Environment from CTest: JINSONG (the binary), JS_SOURCE_DIR, JS_BINARY_DIR, JINSONG_SHARED, PYTHON.
set -euo pipefail
: "${JINSONG:?JINSONG is set by ctest}"
: "${JS_SOURCE_DIR:?JS_SOURCE_DIR is set by ctest}"
PYTHON=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# skip REASON: exit 77 (skipped); under CI=true a missing dependency is a failure.
skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL (CI=true, a dependency is missing): $*" >&2
    exit 1
  fi
  echo "SKIP: $*" >&2
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_status N CMD...: run CMD, require exit status N; stdout/stderr in $TMP/out, $TMP/err.
expect_status() {
  local want=$1
  shift
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "--- stdout" >&2; cat "$TMP/out" >&2
    echo "--- stderr" >&2; cat "$TMP/err" >&2
    fail "expected exit status $want, got $got: $*"
  fi
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() {
  grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected to find: $2"; }
}
