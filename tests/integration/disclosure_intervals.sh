#!/usr/bin/env bash
# Protection intervals against a determined reader (issue 13; spec
# disclosure.md, "Suppression"), checked from the exported files alone by
# tools that share nothing with the engine (tests/disclosure/*.py):
#   - the outside reader's interval propagation (interval_attack.py) over the
#     round-1 CSV exports pins no primary GBV or protection count (primary,
#     homogeneity and gate cells, re-derived from the truth: the files say
#     just "suppressed") and finds no homogeneous small area, for the public reader (admin2, admin1,
#     country) and the partner reader (partner's files at every level plus
#     public's);
#   - the exact LP audit (audit_intervals.py, scipy's HiGHS) finds every
#     primary, homogeneity and gate cell protected by its interval (min <= max(L, v - p),
#     max >= min(U, v + p)) for both readers, and no cell suppressed for
#     partner published to public;
# on `dtm demo --sites 200 --rounds 2` (default seed, round 1), then on small
# random operations (other sizes and seeds).
# The tools and their own tests live in tests/disclosure/ (test_tools.py runs
# first).
# usage: disclosure_intervals.sh DTM_BINARY SOURCE_DIR WORK_DIR
HERE="$(cd "$(dirname "$0")" && pwd)"
COMMON="$HERE/lib/common.sh"
[[ -f "$COMMON" ]] || COMMON="$HERE/../integration/lib/common.sh"
source "$COMMON"
PY=/usr/bin/python3
TOOLS="$SRC/tests/disclosure"
DICTIONARY="$SRC/dictionary/dtm-default.yaml"

# export_round DIR TIER USER LEVEL...: round 1 of demo-nga as CSV, one file per
# level (DIR/TIER-LEVEL.csv); a level without rows (no admin3 recorded) is
# skipped, any other refusal fails.
export_round() {
  local dir=$1 tier=$2 user=$3; shift 3
  local level
  for level in "$@"; do
    local out="$dir/$tier-$level.csv"
    if ! "$DTM" export --operation demo-nga --round 1 --level "$level" --tier "$tier" \
      --format csv -o "$out" --purpose "disclosure interval audit" --as "$user" \
      >"$out.log" 2>&1; then
      rm -f "$out"
      grep -qi "no .*rows\|no admin3" "$out.log" || fail "$tier $level export: $(tail -2 "$out.log")"
    fi
  done
}

files_of() {  # files_of DIR TIER: --release TIER=FILE for each of its exports
  local f
  for f in "$1/$2"-*.csv; do [[ -e "$f" ]] && printf -- '--release\n%s=%s\n' "$2" "$f"; done
}

truth_of() {
  local f
  for f in "$1"/operation_admin-*.csv; do [[ -e "$f" ]] && printf -- '--truth\n%s\n' "$f"; done
}

# audit_operation NAME SITES [SEED]: a fresh demo database, its round-1 exports
# for public, partner and operation_admin, and the attack and the audit for
# both readers.
audit_operation() {
  local name=$1 sites=$2 seed=${3:-}
  local dir="$WORK/$name"
  mkdir -p "$dir"
  export OPENDTM_DB="$dir/opendtm.db"
  local seed_flag=()
  [[ -n "$seed" ]] && seed_flag=(--seed "$seed")
  "$DTM" demo --sites "$sites" --rounds 2 "${seed_flag[@]}" --data "$dir/data" >"$dir/demo.out" 2>&1 \
    || { fail "$name: demo"; cat "$dir/demo.out"; return; }
  "$DTM" org add "Partner" --clusters cccm >/dev/null 2>&1 || fail "$name: org"
  "$DTM" org add "Public" --clusters media >/dev/null 2>&1 || fail "$name: org"
  "$DTM" user add part --org "Partner" --tier "demo-nga=partner" >/dev/null 2>&1 || fail "$name: user"
  "$DTM" user add pub --org "Public" >/dev/null 2>&1 || fail "$name: user"
  export_round "$dir" public pub admin2 admin1 country
  export_round "$dir" partner part site admin3 admin2 admin1 country
  export_round "$dir" operation_admin local-admin site admin3 admin2 admin1 country

  local public partner truth
  mapfile -t public < <(files_of "$dir" public)
  mapfile -t partner < <(files_of "$dir" partner)
  mapfile -t truth < <(truth_of "$dir")
  local reader
  for reader in public partner; do
    local releases=("${public[@]}")
    [[ $reader == partner ]] && releases+=("${partner[@]}")
    $PY "$TOOLS/interval_attack.py" --dictionary "$DICTIONARY" --reader $reader \
      "${releases[@]}" "${truth[@]}" --json "$dir/attack-$reader.json" >"$dir/attack-$reader.out" 2>&1
    local code=$?
    ((code == 0)) || fail "$name: the $reader attack (exit $code): $(summary "$dir/attack-$reader.json" \
      "f\"{d['pinned_primary_count']} primary cells pinned ({d['pinned_count']} suppressed in all), \
{d['homogeneous_count']} homogeneous areas, {d['inconsistent_count']} inconsistent\"")"
    $PY "$TOOLS/audit_intervals.py" --dictionary "$DICTIONARY" --reader $reader \
      "${releases[@]}" "${truth[@]}" --json "$dir/audit-$reader.json" >"$dir/audit-$reader.out" 2>&1
    code=$?
    ((code == 0)) || fail "$name: the $reader LP audit (exit $code): $(summary "$dir/audit-$reader.json" \
      "f\"{d['violations_of_primary_cells']} primary cells break the rule \
({d['violations_count']} of {d['protected_cells']} suppressed in all), \
{d['partner_suppressed_published_public_count']} partner-suppressed cells published to public, \
{d['errors_count']} errors, {d['seconds']} s\"")"
  done
}

summary() {  # summary FILE EXPRESSION: a line from a JSON summary, or why not
  [[ -s "$1" ]] || { echo "no summary ($1)"; return; }
  json "$1" "$2"
}

# 0. The tools themselves, on hand-made exports whose answer is known.
$PY "$TOOLS/test_tools.py" >"$WORK/test_tools.out" 2>&1 || { fail "tools' own tests"; cat "$WORK/test_tools.out"; }
# 1. The demo case of the issue: 200 sites, default seed, round 1.
started=$SECONDS
audit_operation demo200 200
echo "demo 200 sites: $((SECONDS - started)) s"
# 2. Small random operations: other sizes and seeds.
audit_operation random30 30 7
audit_operation random60 60 1234
finish disclosure_intervals
