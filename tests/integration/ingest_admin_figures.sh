#!/usr/bin/env bash
# DTM API v3 (JSON, CSV) and HDX "DTM from API" admin-level figures through
# `dtm ingest FILE` with no --operation: totals per operation, round, assessment
# type and admin1 equal the source's sums (computed here with Python's csv/json
# modules, independently of OpenDTM's readers); each record is stored as it came;
# a repeated key or a figure that is not a number is quarantined and listable.
# usage: ingest_admin_figures.sh DTM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
DTM=$1; SRC=$2; WORK=$3
REAL="$SRC/../shared/data/real"
rm -rf "$WORK" && mkdir -p "$WORK"
export OPENDTM_DICTIONARY="$SRC/dictionary/dtm-default.yaml"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [[ "$2" == "$3" ]] || fail "$1: expected '$3', got '$2'"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }

# Sums per (level, operation, round, assessment type, admin1 P-code) from the
# sources, one "key|sum" line each, sorted. Level: the file's adminLevel
# column, else the given default.
source_totals() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, json, sys
from collections import defaultdict
totals = defaultdict(int)
for spec in sys.argv[1:]:
    path, default_level = spec.rsplit(":", 1)
    if path.endswith(".json"):
        records = json.load(open(path, encoding="utf-8"))["result"]
    else:
        rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
        records = [r for r in rows if not (r.get("id") or "").startswith("#")
                   and not (r.get("operation") or "").startswith("#")]
    for r in records:
        level = r.get("adminLevel", default_level)
        key = (str(level), r["operation"], str(r["roundNumber"]), r["assessmentType"],
               r.get("admin1Pcode") or "")
        totals[key] += int(r["numPresentIdpInd"])
for key in sorted(totals):
    print("|".join(key) + "|" + str(totals[key]))
PY
}
stored_totals() {
  sqlite3 "$1" "select f.admin_level, f.operation_name, f.round, f.assessment_type, f.admin1_pcode, sum(f.num_present_idp_ind)
                from admin_figures f join batches b on b.id = f.batch_id where b.state = 'active'
                group by 1, 2, 3, 4, 5" | LC_ALL=C sort
}

# 1. The three API CSV files, one ingest each, no --operation.
export OPENDTM_DB="$WORK/api-csv.db"
for level in 0 1 2; do
  "$DTM" ingest "$REAL/dtm-api-v3-displacement-admin$level-hti.csv" --json >"$WORK/csv$level.json" 2>"$WORK/csv$level.err"
  expect_eq "csv admin$level exit" "$?" 0
done
expect_eq "csv admin2 rows" "$(json "$WORK/csv2.json" "d['rows_read'], d['accepted'], d['quarantined']")" "(1384, 1384, 0)"
source_totals "$REAL/dtm-api-v3-displacement-admin0-hti.csv:0" "$REAL/dtm-api-v3-displacement-admin1-hti.csv:1" \
  "$REAL/dtm-api-v3-displacement-admin2-hti.csv:2" | LC_ALL=C sort >"$WORK/csv.expected"
stored_totals "$OPENDTM_DB" >"$WORK/csv.stored"
[[ -s "$WORK/csv.expected" ]] || fail "no source totals computed"
diff "$WORK/csv.expected" "$WORK/csv.stored" >"$WORK/csv.diff" || fail "API CSV totals differ from the source: $(head -5 "$WORK/csv.diff")"
expect_eq "operations created" "$(sqlite3 "$OPENDTM_DB" "select count(*), count(distinct country) from operations")" "5|1"
for level in 0 1 2; do
  expect_eq "admin$level country total" "$(sqlite3 "$OPENDTM_DB" "select sum(num_present_idp_ind) from admin_figures where admin_level = $level")" 13831385
done
# Each CSV row is stored as it came: its record equals the source row's fields.
/usr/bin/python3 - "$OPENDTM_DB" "$REAL/dtm-api-v3-displacement-admin2-hti.csv" <<'PY' || fail "admin2 CSV records are not stored as they came"
import csv, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = [json.loads(t) for (t,) in db.execute("select record_json from admin_figures where admin_level = 2 order by id")]
source = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
assert len(stored) == len(source), (len(stored), len(source))
for got, want in zip(stored, source):
    assert got == dict(want), (got, want)
    assert list(got) == list(want)
PY
# Re-ingesting the same bytes changes nothing.
"$DTM" ingest "$REAL/dtm-api-v3-displacement-admin2-hti.csv" >"$WORK/again.out" 2>&1
expect_eq "re-ingest exit" "$?" 0
grep -q "already ingested (batch 3): nothing changed" "$WORK/again.out" || fail "re-ingest message: $(cat "$WORK/again.out")"
expect_eq "figures after re-ingest" "$(sqlite3 "$OPENDTM_DB" "select count(*) from admin_figures")" $((114 + 235 + 1384))

# 2. The API JSON responses.
export OPENDTM_DB="$WORK/api-json.db"
"$DTM" ingest "$REAL/dtm-api-v3-displacement-admin0-admin0pcode-hti.json" --json >"$WORK/json0.json" || fail "json admin0 exit $?"
"$DTM" ingest "$REAL/dtm-api-v3-displacement-admin1-admin0pcode-hti.json" --json >"$WORK/json1.json" || fail "json admin1 exit $?"
source_totals "$REAL/dtm-api-v3-displacement-admin0-admin0pcode-hti.json:0" \
  "$REAL/dtm-api-v3-displacement-admin1-admin0pcode-hti.json:1" | LC_ALL=C sort >"$WORK/json.expected"
stored_totals "$OPENDTM_DB" >"$WORK/json.stored"
diff "$WORK/json.expected" "$WORK/json.stored" >"$WORK/json.diff" || fail "API JSON totals differ from the source: $(head -5 "$WORK/json.diff")"
/usr/bin/python3 - "$OPENDTM_DB" "$REAL/dtm-api-v3-displacement-admin1-admin0pcode-hti.json" <<'PY' || fail "admin1 JSON records are not stored as they came"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = [json.loads(t) for (t,) in db.execute("select record_json from admin_figures where admin_level = 1 order by id")]
source = json.load(open(sys.argv[2], encoding="utf-8"))["result"]
assert stored == source, (len(stored), len(source))
PY

# 3. HDX's file, levels 0-2 mixed, hashtag row under the header.
export OPENDTM_DB="$WORK/hdx.db"
"$DTM" ingest "$REAL/hdx-iom-dtm-from-api-hti.hxl.csv" --json >"$WORK/hdx.json" 2>"$WORK/hdx.err"
expect_eq "hdx exit" "$?" 0
expect_eq "hdx rows" "$(json "$WORK/hdx.json" "d['rows_read'], d['accepted'], d['quarantined']")" "(1733, 1733, 0)"
source_totals "$REAL/hdx-iom-dtm-from-api-hti.hxl.csv:x" | LC_ALL=C sort >"$WORK/hdx.expected"
stored_totals "$OPENDTM_DB" >"$WORK/hdx.stored"
diff "$WORK/hdx.expected" "$WORK/hdx.stored" >"$WORK/hdx.diff" || fail "HDX totals differ from the source: $(head -5 "$WORK/hdx.diff")"
# HDX republishes the API: the same totals per level, operation, round, type and admin1.
diff "$WORK/csv.stored" "$WORK/hdx.stored" >/dev/null || fail "HDX totals differ from the API CSV totals"
# Site flags do not apply to admin-level figures.
"$DTM" ingest "$REAL/hdx-iom-dtm-from-api-hti.hxl.csv" --operation x >/dev/null 2>"$WORK/flag.err"
expect_eq "--operation with admin figures" "$?" 2
grep -q "admin-level figures" "$WORK/flag.err" || fail "flag refusal message: $(cat "$WORK/flag.err")"

# 4. A repeated key and a figure that is not a number are quarantined and listable.
export OPENDTM_DB="$WORK/bad.db"
{
  head -1 "$REAL/dtm-api-v3-displacement-admin1-hti.csv"
  sed -n 2,3p "$REAL/dtm-api-v3-displacement-admin1-hti.csv"
  sed -n 2p "$REAL/dtm-api-v3-displacement-admin1-hti.csv" | awk -F, 'BEGIN{OFS=","} {$7 = 5; print}'
  sed -n 3p "$REAL/dtm-api-v3-displacement-admin1-hti.csv" | awk -F, 'BEGIN{OFS=","} {$1 = 1; $7 = "many"; print}'
} >"$WORK/bad.csv"
"$DTM" ingest "$WORK/bad.csv" >"$WORK/bad.out" 2>&1
expect_eq "bad file exit" "$?" 1
grep -q "bad.csv:4: figure_duplicate" "$WORK/bad.out" || fail "duplicate not reported with its row: $(cat "$WORK/bad.out")"
grep -q "bad.csv:5: numPresentIdpInd: type" "$WORK/bad.out" || fail "non-number not reported with row and column: $(cat "$WORK/bad.out")"
"$DTM" quarantine list --operation "Haiti Earthquake" --country HTI >"$WORK/q.out" 2>&1 || fail "quarantine list exit $?"
expect_eq "quarantined listed under the operation" "$(grep -cE 'figure_duplicate|type' "$WORK/q.out")" 2
"$DTM" quarantine list --batch 1 >"$WORK/qb.out" 2>&1 || fail "quarantine list --batch exit $?"
expect_eq "quarantined listed by batch" "$(grep -cE 'figure_duplicate|type' "$WORK/qb.out")" 2
expect_eq "stored figures" "$(sqlite3 "$OPENDTM_DB" "select count(*) from admin_figures")" 2
"$DTM" ingest "$WORK/bad.csv" >"$WORK/bad2.out" 2>&1
expect_eq "bad file re-ingest exit" "$?" 0
expect_eq "quarantine after re-ingest" "$(sqlite3 "$OPENDTM_DB" "select count(*) from quarantine")" 2

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "ingest_admin_figures: ok"
