#!/usr/bin/env bash
# The README's real-data command: the DTM Nepal 2015 round-2 site assessment
# ingested with the shipped mapping. Checks the figures the issue states.
# usage: ingest_nepal.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
NEPAL="$SRC/../shared/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv"

"$DTM" admin import "$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv" >/dev/null
"$DTM" operation create nepal-2015 --country NPL >/dev/null || fail "operation create"

# The command of the README, with --json: exactly one object.
"$DTM" ingest "$NEPAL" --operation nepal-2015 --round 2 \
  --mapping "$SRC/mappings/dtm-nepal-2015-r2.yaml" --register-new-sites --json >"$WORK/ingest.json" 2>"$WORK/ingest.err"
code=$?
expect_eq "exit code (findings)" "$code" 1
expect_eq "rows_read" "$(json "$WORK/ingest.json" "d['rows_read']")" 146
expect_eq "accepted" "$(json "$WORK/ingest.json" "d['accepted']")" 146
expect_eq "quarantined" "$(json "$WORK/ingest.json" "d['quarantined']")" 0
expect_eq "sadd_age_sum rows" "$(json "$WORK/ingest.json" "d['findings']['sadd_age_sum']['rows']")" 3
expect_eq "sadd_sex_sum rows" "$(json "$WORK/ingest.json" "d['findings']['sadd_sex_sum']['rows']")" 12
expect_eq "JSON keys" "$(json "$WORK/ingest.json" "list(d)")" "['batch_id', 'rows_read', 'accepted', 'quarantined', 'dropped_columns', 'findings', 'alerts']"
# Columns the mapping ignores or that map nowhere are not stored, and named.
expect_eq "dropped columns named" "$(json "$WORK/ingest.json" "all(c['column'] and c['reason'] for c in d['dropped_columns'])")" True
expect_eq "no pii_suspected on the real file" "$(json "$WORK/ingest.json" "'pii_suspected' in d['findings']")" False
expect_eq "alerts raised (one round: no risk alert)" "$(json "$WORK/ingest.json" "d['alerts']['risk_very_high']")" 0

# What was stored.
expect_eq "households" "$(q "select sum(hh_total) from v_site_values where state='accepted'")" 12419
expect_eq "individuals" "$(q "select sum(ind_total) from v_site_values where state='accepted'")" 66756
expect_eq "lighting none" "$(q "select count(*) from v_site_values where state='accepted' and lighting='none'")" 59
expect_eq "No Lighting normalised" "$(q "select count(*) from cleaning_log where rule='choice_normalised' and indicator='lighting' and old_value='No Lighting' and new_value='none'")" 2
expect_eq "sites registered" "$(q "select count(*) from sites")" 146
# No PII: no column for it, nothing in the cleaning log, and the verbatim copy blank.
expect_eq "value columns" "$(q "select count(*) from pragma_table_info('submissions') where name = 'hh_total'")" 1
expect_eq "pii columns" "$(q "select count(*) from pragma_table_info('submissions') where name like '%focal%'")" 0
expect_eq "pii in the log" "$(q "select count(*) from cleaning_log where rule='pii_dropped' and old_value<>''")" 0
if q "select count(*) from cleaning_log where old_value like '%REDACTED%' or new_value like '%REDACTED%'" | grep -qv '^0$'; then
  fail "a pii value reached the cleaning log"
fi

# The same file again changes nothing.
"$DTM" ingest "$NEPAL" --operation nepal-2015 --round 2 \
  --mapping "$SRC/mappings/dtm-nepal-2015-r2.yaml" --register-new-sites >"$WORK/again.out" 2>&1
expect_eq "re-ingest exit" "$?" 0
grep -q 'already ingested' "$WORK/again.out" || fail "re-ingest did not say it was already ingested"
expect_eq "submissions after re-ingest" "$(q "select count(*) from submissions")" 146

# District totals by name (the 2015 districts are not in the 2024 gazetteer, so
# they stay names): dtm analyze rollup against sums computed here from the file.
"$DTM" analyze rollup --operation nepal-2015 --round 2 --level admin2 --format json >"$WORK/districts.json" 2>"$WORK/districts.err" || fail "rollup by district"
/usr/bin/python3 - "$NEPAL" "$WORK/districts.json" <<'PY' || fail "district totals differ from the file"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", errors="replace")))
header, data = rows[2], rows[3:]
district = header.index("1.1.e.3District")
households = next(i for i, name in enumerate(header) if name.startswith("2.1.a.1 "))
individuals = header.index("2.1.b.2 Total number of IDP")
number = lambda text: int(text.replace(",", "")) if text.strip() else 0
expected = {}
for row in data:
    if not any(cell.strip() for cell in row):
        continue
    name = row[district].strip()
    sites, hh, ind = expected.get(name, (0, 0, 0))
    expected[name] = (sites + 1, hh + number(row[households]), ind + number(row[individuals]))
got = {g["name"]: (g["sites"], g["hh_total"], g["ind_total"]) for g in json.load(open(sys.argv[2]))}
if got != expected:
    print("rollup", got, "\nfile  ", expected)
    sys.exit(1)
print(len(got), "districts,", sum(v[2] for v in got.values()), "individuals")
PY

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "ingest nepal: all checks passed"
