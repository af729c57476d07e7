# Every invalid scenario in tests/data/bad_configs is refused by `jinsong validate` and by
# `jinsong run`: exit status 2, every expected line on stderr, no output file written.
#
# A case is NN_name.yaml (the scenario given to jinsong) or NN_name.config (one line, a path
# relative to the cases folder given instead: a directory, a missing file; '#' lines are
# comments), with:
#   NN_name.expect  one fixed substring per line, each must appear in stderr (mandatory)
#   NN_name.args    extra arguments, one per line (optional)
# Files in subfolders (extends/) are helpers, not cases.
source "$(dirname "$0")/lib.sh"

CASES="$JS_SOURCE_DIR/tests/data/bad_configs"
[ -d "$CASES" ] || fail "no cases folder $CASES"

# read_lines FILE: the non-empty lines of FILE into the array LINES.
read_lines() {
  LINES=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    [ -n "$line" ] && LINES+=("$line")
  done <"$1"
}

# check_case NAME CONFIG VERB ARGS...: one verb over one case.
check_case() {
  local name=$1 config=$2 verb=$3
  shift 3
  rm -f "$TMP/out.h5" "$TMP/out.h5.partial"
  local -a cmd=("$JINSONG" "$verb" "$config")
  [ "$verb" = run ] && cmd+=(-o "$TMP/out.h5" --quiet)
  cmd+=("$@")
  set +e
  "${cmd[@]}" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  local problem=""
  if [ "$got" != 2 ]; then
    problem="exit status $got, expected 2"
  elif [ -e "$TMP/out.h5" ] || [ -e "$TMP/out.h5.partial" ]; then
    problem="an output file was written"
  else
    local want
    for want in "${EXPECT[@]}"; do
      if ! grep -qF -- "$want" "$TMP/err"; then
        problem="stderr lacks: $want"
        break
      fi
    done
  fi
  if [ -n "$problem" ]; then
    echo "--- stderr of: ${cmd[*]}" >&2
    cat "$TMP/err" >&2
    echo "FAIL case $name ($verb): $problem" >&2
    FAILED+=("$name ($verb)")
  fi
}

FAILED=()
ncases=0
shopt -s nullglob
for file in "$CASES"/*.yaml "$CASES"/*.config; do
  base=$(basename "$file")
  name=${base%.*}
  case $base in
  *.config)
    read_lines "$file"
    config=""
    for line in "${LINES[@]}"; do
      [ "${line:0:1}" = "#" ] || { config="$CASES/$line"; break; }
    done
    [ -n "$config" ] || fail "case $name: $base names no path"
    ;;
  *) config=$file ;;
  esac
  [ -f "$CASES/$name.expect" ] || fail "case $name has no $name.expect file"
  read_lines "$CASES/$name.expect"
  EXPECT=("${LINES[@]}")
  [ "${#EXPECT[@]}" -gt 0 ] || fail "case $name: $name.expect is empty"
  ARGS=()
  if [ -f "$CASES/$name.args" ]; then
    read_lines "$CASES/$name.args"
    ARGS=("${LINES[@]}")
  fi
  check_case "$name" "$config" validate "${ARGS[@]}"
  check_case "$name" "$config" run "${ARGS[@]}"
  ncases=$((ncases + 1))
done

# An .expect or .args without its case is a case that was renamed or lost.
for file in "$CASES"/*.expect "$CASES"/*.args; do
  name=$(basename "${file%.*}")
  [ -e "$CASES/$name.yaml" ] || [ -e "$CASES/$name.config" ] ||
    fail "$(basename "$file") has no case $name.yaml or $name.config"
done

[ "$ncases" -ge 30 ] || fail "only $ncases cases in $CASES (expected at least 30)"
if [ "${#FAILED[@]}" -gt 0 ]; then
  fail "${#FAILED[@]} of $((2 * ncases)) checks failed: ${FAILED[*]}"
fi

# Positive control: the smoke scenario is valid.
expect_status 0 "$JINSONG" validate "$JS_SOURCE_DIR/configs/test/smoke.yaml"
expect_in "$TMP/out" "is valid"
echo "ok: $ncases bad configs refused by validate and run; smoke.yaml validates"
