#!/usr/bin/env bash
# A file with bad rows: good rows stored, bad ones quarantined with messages that
# name row, column and rule; rows read = accepted + quarantined; a killed ingest
# leaves no partial batch.
# usage: ingest_quarantine.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

"$DTM" admin import "$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv" >/dev/null
"$DTM" operation create test-op --country NGA >/dev/null
printf 'site_id,site_name,adm1_pcode\nS1,One,NG008\nS2,Two,NG008\nS3,Three,NG002\n' >"$WORK/sites.csv"
"$DTM" sites import "$WORK/sites.csv" --operation test-op >/dev/null

# Row 2 good; row 3 bad values only (blanked, accepted); row 4 no site ID; row 5
# unknown site; row 6 duplicate of S1; row 7 good.
cat >"$WORK/round1.csv" <<'CSV'
site/site_id,site/survey_date,site/adm1_pcode,population/hh_total,population/ind_total,gbv_risk/lighting
S1,2026-01-10,NG008,10,50,none
S2,2026-01-11,NG999,ten,40,Lots of light
,2026-01-12,NG008,5,20,none
S9,2026-01-12,NG008,5,20,none
S1,2026-01-13,NG008,11,51,adequate
S3,2026-01-14,NG002,7,30,No Lighting
CSV
"$DTM" ingest "$WORK/round1.csv" --operation test-op --round 1 --today 2026-12-31 --json >"$WORK/r1.json" 2>"$WORK/r1.err"
expect_eq "exit (findings)" "$?" 1
expect_eq "rows_read" "$(json "$WORK/r1.json" "d['rows_read']")" 6
expect_eq "accepted" "$(json "$WORK/r1.json" "d['accepted']")" 3
expect_eq "quarantined" "$(json "$WORK/r1.json" "d['quarantined']")" 3
expect_eq "read = accepted + quarantined" "$(json "$WORK/r1.json" "d['rows_read'] == d['accepted'] + d['quarantined']")" True
expect_eq "quarantine rules" "$(q "select group_concat(rule, ' ') from (select rule from quarantine order by source_row)")" "site_id site_unknown site_duplicate"
expect_eq "quarantine rows" "$(q "select group_concat(source_row, ' ') from (select source_row from quarantine order by source_row)")" "4 5 6"
# Bad values were blanked in the accepted row, kept in the verbatim copy.
expect_eq "S2 hh_total blanked" "$(q "select coalesce(hh_total, 'null') from v_site_values where site_id='S2'")" null
# S2's unknown adm1 P-code gives way to the master list's (spec/disclosure.md).
expect_eq "S2 adm1 from the master list" "$(q "select coalesce(adm1_pcode, 'null') from v_site_values where site_id='S2'")" NG008
expect_eq "S2 logged" "$(q "select group_concat(rule || ':' || column || ':' || action, ' ') from (select * from cleaning_log where row=3 order by rule)")" "choice:gbv_risk/lighting:blanked pcode_differs_from_master_list:site/adm1_pcode:kept_master_list pcode_unknown:site/adm1_pcode:blanked type:population/hh_total:blanked"
expect_eq "S3 normalised" "$(q "select lighting from v_site_values where site_id='S3'")" none

# The human-readable output names file, row, column and rule.
"$DTM" ingest "$WORK/round1.csv" --operation test-op --round 1 --today 2026-12-31 --dry-run >"$WORK/dry.out" 2>&1
grep -q "round1.csv is already ingested" "$WORK/dry.out" || fail "dry run of an ingested file should say so"
cp "$WORK/round1.csv" "$WORK/round1b.csv"; echo "S2,2026-01-15,NG008,3,9,none" >>"$WORK/round1b.csv"
"$DTM" ingest "$WORK/round1b.csv" --operation test-op --round 1 --today 2026-12-31 --dry-run >"$WORK/dry.out" 2>&1
grep -Eq "round1b.csv:3: population/hh_total: type: " "$WORK/dry.out" || { fail "no file:row: column: rule line"; cat "$WORK/dry.out"; }
grep -Eq "round1b.csv:4: .*site_id: " "$WORK/dry.out" || fail "missing site id not reported with its row"
expect_eq "dry run stored nothing" "$(q "select count(*) from batches")" 1

# A locked round refuses the ingest: every row quarantined.
"$DTM" round lock test-op 1 >/dev/null
printf 'site/site_id,site/survey_date\nS3,2026-01-20\n' >"$WORK/late.csv"
"$DTM" ingest "$WORK/late.csv" --operation test-op --round 1 --today 2026-12-31 --json >"$WORK/late.json" 2>/dev/null
expect_eq "locked round quarantines" "$(json "$WORK/late.json" "d['quarantined']")" 1

# Killed midway: the database is as before (no partial batch).
"$DTM" demo --out "$WORK/big" --sites 40000 --rounds 1 >/dev/null || fail "demo --out"
"$DTM" operation create demo-nga --country NGA >/dev/null
batches_before=$(q "select count(*) from batches")
submissions_before=$(q "select count(*) from submissions")
"$DTM" ingest "$WORK/big/round-01.csv" --operation demo-nga --round 1 --register-new-sites >/dev/null 2>&1 &
pid=$!
# Wait until the ingest has started writing (its write-ahead log grows), then kill it.
for _ in $(seq 1 600); do
  size=$(stat -c %s "$OPENDTM_DB-wal" 2>/dev/null || echo 0)
  [[ $size -gt 1000000 ]] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
if kill -9 $pid 2>/dev/null; then
  wait $pid 2>/dev/null
  expect_eq "integrity after kill" "$(q "pragma integrity_check")" ok
  expect_eq "no partial batch" "$(q "select count(*) from batches")" "$batches_before"
  expect_eq "no partial submissions" "$(q "select count(*) from submissions")" "$submissions_before"
else
  fail "the ingest finished before it could be killed: use a larger file"
fi

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "ingest quarantine and crash: all checks passed"
