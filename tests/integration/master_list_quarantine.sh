#!/usr/bin/env bash
# The master list and the quarantine serve the operation team (issue 14, point 5):
# - a partial `dtm sites import` leaves the columns it does not have, empty
#   cells change nothing unless --clear-empty, and `dtm sites history` lists
#   each change (old, new, who, which import); a public user may not import;
# - rows quarantined for an unknown site are accepted once the site is
#   registered: by `dtm quarantine release --batch N`, by ingesting the same
#   file again, and by a file that carries the same submission uuid; the
#   round's totals grow accordingly.
# usage: master_list_quarantine.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

"$DTM" admin import "$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv" >/dev/null
"$DTM" operation create camps --country NGA >/dev/null
"$DTM" org add "CCCM sector" --clusters cccm >/dev/null
"$DTM" user add amina --org "CCCM sector" --tier "camps=operation_admin" >/dev/null
"$DTM" user add visitor --org "CCCM sector" >/dev/null
site() { q "select $1 from sites where site_id = '$2'"; }

# ---- Master list: partial import, --clear-empty, history ----------------------
cat >"$WORK/full.csv" <<'CSV'
site_id,site_name,adm1_pcode,adm2_pcode,latitude,longitude,site_type
S1,Bakassi,NG008,NG008001,11.85,13.16,camp
S2,Dalori,NG008,NG008001,11.80,13.20,camp
CSV
run 0 "$WORK/full.out" -- "$DTM" sites import "$WORK/full.csv" --operation camps
expect_line "$WORK/full.out" '^imported 2 sites .*2 new'

# Only site_id and site_name: the P-codes, coordinates and type stay; an empty
# name changes nothing.
printf 'site_id,site_name\nS1,Bakassi IDP camp\nS2,\n' >"$WORK/names.csv"
run 0 "$WORK/names.out" -- "$DTM" sites import "$WORK/names.csv" --operation camps --as amina
expect_line "$WORK/names.out" '1 changed, 1 unchanged'
expect_eq "S1 renamed" "$(site name S1)" "Bakassi IDP camp"
expect_eq "S1 adm2 kept" "$(site adm2_pcode S1)" NG008001
expect_eq "S1 latitude kept" "$(site latitude S1)" 11.85
expect_eq "S1 type kept" "$(site site_type S1)" camp
expect_eq "S2 name kept (empty cell)" "$(site name S2)" Dalori

# A public user may not change the master list; the refusal is audited.
printf 'site_id,site_name\nS1,Renamed by a visitor\n' >"$WORK/visitor.csv"
run 1 "$WORK/visitor.out" -- "$DTM" sites import "$WORK/visitor.csv" --operation camps --as visitor
expect_eq "visitor changed nothing" "$(site name S1)" "Bakassi IDP camp"
expect_eq "refusal audited" \
  "$(q "select count(*) from audit_log where user = 'visitor' and dataset = 'sites import' and outcome = 'refused'")" 1
expect_eq "import audited" \
  "$(q "select count(*) from audit_log where user = 'amina' and dataset = 'sites import' and outcome = 'allowed'")" 1

# --clear-empty: the empty cells blank their fields; absent columns still stay.
printf 'site_id,latitude,longitude\nS2,,\n' >"$WORK/clear.csv"
run 0 "$WORK/noclear.out" -- "$DTM" sites import "$WORK/clear.csv" --operation camps
expect_eq "no --clear-empty: latitude kept" "$(site latitude S2)" 11.8
run 0 "$WORK/clear.out" -- "$DTM" sites import "$WORK/clear.csv" --operation camps --clear-empty
expect_eq "--clear-empty: latitude blank" "$(site "coalesce(latitude, 'null')" S2)" null
expect_eq "--clear-empty: type kept" "$(site site_type S2)" camp

# The history: old, new, who, which import.
run 0 "$WORK/history.csv" -- "$DTM" sites history S1 --operation camps --format csv
expect_line "$WORK/history.csv" '^when,who,field,old_value,new_value,source,batch_id$'
expect_line "$WORK/history.csv" ',amina,site_name,Bakassi,Bakassi IDP camp,sites import .*names.csv,'
run 0 "$WORK/history2.json" -- "$DTM" sites history S2 --operation camps --format json
expect_eq "S2 history fields" "$(json "$WORK/history2.json" "' '.join(c['field'] for c in d)")" \
  "latitude longitude"
expect_eq "S2 old latitude" "$(json "$WORK/history2.json" "d[0]['old_value']")" 11.8
expect_eq "S2 new latitude" "$(json "$WORK/history2.json" "d[0]['new_value']")" ""
run 0 "$WORK/history.txt" -- "$DTM" sites history S1 --operation camps
expect_line "$WORK/history.txt" 'amina +site_name +Bakassi +Bakassi IDP camp'
run 1 "$WORK/history-visitor.out" -- "$DTM" sites history S1 --operation camps --as visitor

# ---- Quarantine: release, re-ingest, same uuid ----------------------------------
# S7, S8 and S9 are not listed yet: quarantined (site_unknown).
cat >"$WORK/round1.csv" <<'CSV'
site/site_id,site/survey_date,site/adm1_pcode,population/hh_total,population/ind_total,_uuid
S1,2026-01-10,NG008,10,50,uuid-s1
S7,2026-01-11,NG008,4,20,uuid-s7
S8,2026-01-12,NG008,6,30,uuid-s8
S9,2026-01-13,NG008,7,35,uuid-s9
S2,2026-01-14,NG008,8,40,uuid-s2
CSV
"$DTM" ingest "$WORK/round1.csv" --operation camps --round 1 --today 2026-12-31 --json \
  >"$WORK/r1.json" 2>/dev/null
expect_eq "quarantined" "$(json "$WORK/r1.json" "d['quarantined']")" 3
batch=$(json "$WORK/r1.json" "d['batch_id']")
accepted() { q "select count(*) from submissions where state = 'accepted' and round = 1"; }
# The round's total as the rollup gives it.
country_total() {
  "$DTM" analyze rollup --operation camps --round 1 --level country --format json >"$WORK/rollup.json" 2>/dev/null
  json "$WORK/rollup.json" "[r for r in (d['rows'] if isinstance(d, dict) else d)][0]['ind_total']"
}
expect_eq "accepted before" "$(accepted)" 2
total_before=$(country_total)

# Nothing passes yet: nothing changes.
run 1 "$WORK/release0.out" -- "$DTM" quarantine release --batch "$batch" --operation camps
expect_line "$WORK/release0.out" '0 quarantined rows released, 3 still quarantined'
expect_eq "no release batch" "$(q "select count(*) from batches")" 1
# A public user may not release.
run 1 "$WORK/release-visitor.out" -- "$DTM" quarantine release --batch "$batch" --as visitor

# S7 registered: the release accepts its row, the others stay.
printf 'site_id,site_name,adm1_pcode\nS7,Gubio road,NG008\n' >"$WORK/s7.csv"
"$DTM" sites import "$WORK/s7.csv" --operation camps >/dev/null
run 1 "$WORK/release1.out" -- "$DTM" quarantine release --batch "$batch" --operation camps --as amina
expect_line "$WORK/release1.out" '^row 3 \(site S7\): released \(was site_unknown\)'
expect_line "$WORK/release1.out" '^row 4 \(site S8\): still quarantined: site_unknown'
expect_eq "accepted after release" "$(accepted)" 3
expect_eq "total grew by S7" "$(country_total)" "$((total_before + 20))"
expect_eq "release logged" \
  "$(q "select who || ':' || action || ':' || old_value from cleaning_log where rule = 'quarantine_released'")" \
  "amina:released:site_unknown"
expect_eq "release audited" \
  "$(q "select count(*) from audit_log where user = 'amina' and dataset = 'quarantine release' and outcome = 'allowed'")" 1
"$DTM" quarantine list --operation camps >"$WORK/list1.out" 2>&1
expect_no_line "$WORK/list1.out" ' S7 '
expect_line "$WORK/list1.out" ' S8 '

# S8 registered: ingesting the same file again accepts its row (the accepted
# rows stay as they are).
printf 'site_id,site_name,adm1_pcode\nS8,Muna garage,NG008\n' >"$WORK/s8.csv"
"$DTM" sites import "$WORK/s8.csv" --operation camps >/dev/null
run 1 "$WORK/again.out" -- "$DTM" ingest "$WORK/round1.csv" --operation camps --round 1 --today 2026-12-31
expect_line "$WORK/again.out" 'already ingested in round 1'
expect_line "$WORK/again.out" '^row 4 \(site S8\): released'
expect_no_line "$WORK/again.out" 'left unchanged'
expect_eq "accepted after re-ingest" "$(accepted)" 4
expect_eq "total grew by S8" "$(country_total)" "$((total_before + 50))"

# S9 registered: a file carrying S9's row with the same uuid accepts it
# instead of leaving the quarantined version as it was.
printf 'site_id,site_name,adm1_pcode\nS9,Farm centre,NG008\n' >"$WORK/s9.csv"
"$DTM" sites import "$WORK/s9.csv" --operation camps >/dev/null
{ head -1 "$WORK/round1.csv"; grep '^S9,' "$WORK/round1.csv"; } >"$WORK/s9-row.csv"
"$DTM" ingest "$WORK/s9-row.csv" --operation camps --round 1 --today 2026-12-31 --json \
  >"$WORK/s9.json" 2>/dev/null
expect_eq "S9 row accepted" "$(json "$WORK/s9.json" "d['accepted']")" 1
expect_eq "S9 row not quarantined" "$(json "$WORK/s9.json" "d['quarantined']")" 0
expect_eq "accepted after the uuid file" "$(accepted)" 5
expect_eq "total grew by S9" "$(country_total)" "$((total_before + 85))"
"$DTM" quarantine list --operation camps >"$WORK/list2.out" 2>&1
expect_line "$WORK/list2.out" 'no quarantined rows'

finish master_list_quarantine
