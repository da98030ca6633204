#!/usr/bin/env bash
# dtm init / admin import / operation / round / sites on a fresh database.
# usage: reference_data.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

run 0 "$WORK/init.out" -- "$DTM" init
expect_line "$WORK/init.out" 'ready \(schema version [0-9]+'
[[ -f "$WORK/opendtm.db" ]] || fail "init did not create the database"
# --db wins over $OPENDTM_DB.
run 0 "$WORK/init2.out" -- "$DTM" init --db "$WORK/other.db"
[[ -f "$WORK/other.db" ]] || fail "--db was not used"

# The real OCHA gazetteer: every area imported, oddities reported, exit 1.
run 1 "$WORK/admin.out" -- "$DTM" admin import "$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv"
expect_line "$WORK/admin.out" '^imported 33363 admin areas of 156 countries'
expect_line "$WORK/admin.out" 'pcode_prefix: LB21 \(Baalbek, level 2\) does not start'
[[ $(grep -c ': duplicate_name: ' "$WORK/admin.out") -eq 35 ]] || fail "expected 35 duplicate_name lines"
valid_from=$(sqlite3 "$OPENDTM_DB" "select valid_from from admin_areas where pcode='NG008'" 2>/dev/null || true)
[[ "$valid_from" == "2019-04-17" ]] || fail "valid-from date of NG008 not kept (got '$valid_from')"
# A clean plain CSV exits 0.
printf 'code,name,level,parent,country\nXA01,North,1,XAA,XAA\nXA0101,Hills,2,XA01,XAA\n' >"$WORK/plain.csv"
run 0 "$WORK/plain.out" -- "$DTM" admin import "$WORK/plain.csv"

# Operations are (name, country): the same name in two countries needs --country.
run 0 "$WORK/op1.out" -- "$DTM" operation create "Lake Chad Basin Crisis" --country NGA
run 0 "$WORK/op2.out" -- "$DTM" operation create "Lake Chad Basin Crisis" --country TCD
run 3 "$WORK/op3.out" -- "$DTM" operation create "Lake Chad Basin Crisis" --country NGA
run 4 "$WORK/ambiguous.out" -- "$DTM" round create "Lake Chad Basin Crisis" 1 --from 2026-01-01 --to 2026-01-31
expect_line "$WORK/ambiguous.out" 'ambiguous.*NGA, TCD.*--country'
run 0 "$WORK/round.out" -- "$DTM" round create "Lake Chad Basin Crisis" 1 --from 2026-01-01 --to 2026-01-31 --country NGA
run 2 "$WORK/round-bad.out" -- "$DTM" round create "Lake Chad Basin Crisis" 2 --from 2026-02-31 --to 2026-03-01 --country NGA
run 0 "$WORK/lock.out" -- "$DTM" round lock "Lake Chad Basin Crisis" 1 --country NGA
run 0 "$WORK/rounds.out" -- "$DTM" round list "Lake Chad Basin Crisis" --country NGA
expect_line "$WORK/rounds.out" $'^1\t2026-01-01\t2026-01-31\tlocked$'

# Master list: import reports bad cells by row and column, export round-trips.
printf 'site_id,site_name,adm1_pcode,adm2_pcode,latitude,longitude,site_type,status\nS1,"Camp A, north",NG008,NG008001,11.8,13.1,camp,open\nS2,Host B,NG008,,abc,13.2,host_community,closed\n,No id,,,,,,\n' >"$WORK/sites.csv"
run 1 "$WORK/sites.out" -- "$DTM" sites import "$WORK/sites.csv" --operation "Lake Chad Basin Crisis" --country NGA
expect_line "$WORK/sites.out" 'sites.csv: row 3, column latitude'
expect_line "$WORK/sites.out" 'sites.csv: row 4, column site_id: missing site ID'
expect_line "$WORK/sites.out" '^imported 2 sites'
run 0 "$WORK/export.out" -- "$DTM" sites export --operation "Lake Chad Basin Crisis" --country NGA -o "$WORK/export.csv"
expect_line "$WORK/export.csv" '^S1,"Camp A, north",NG008,NG008001,,11.8,13.1,camp,open$'
expect_line "$WORK/export.csv" '^S2,Host B,NG008,,,,13.2,host_community,closed$'

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "reference data: all cases passed"
