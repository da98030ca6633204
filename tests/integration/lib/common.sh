# What every integration script starts with (source it with the script's
# arguments: DTM_BINARY SOURCE_DIR WORK_DIR): a fresh WORK folder and database,
# the default dictionary, and the checking functions. End with `finish NAME`.
set -uo pipefail
DTM=$1; SRC=$2; WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
export OPENDTM_DB="$WORK/opendtm.db"
export OPENDTM_DICTIONARY="$SRC/dictionary/dtm-default.yaml"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [[ "$2" == "$3" ]] || fail "$1: expected '$3', got '$2'"; }
# json FILE EXPRESSION: the Python expression over the file's JSON, as `d`.
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }
q() { sqlite3 "$OPENDTM_DB" "$1"; }
# run EXPECTED_EXIT OUTPUT -- COMMAND…: runs it into OUTPUT, checks its exit code.
run() {
  local expected=$1 output=$2; shift 3
  "$@" >"$output" 2>&1
  local code=$?
  [[ $code -eq $expected ]] || { fail "expected exit $expected, got $code: $*"; sed 's/^/    /' "$output"; }
}
# expect_line FILE REGEX / expect_no_line FILE REGEX
expect_line() { grep -Eq -- "$2" "$1" || { fail "no line matching '$2' in $1"; sed 's/^/    /' "$1"; }; }
expect_no_line() { ! grep -Eq -- "$2" "$1" || { fail "unexpected line matching '$2' in $1"; sed 's/^/    /' "$1"; }; }
# finish NAME: the verdict, and the exit code ctest reads.
finish() {
  if ((failures > 0)); then
    echo "$failures failure(s); files in $WORK"
    exit 1
  fi
  echo "$1: ok"
}
