#!/usr/bin/env bash
# The master list decides a site's area (spec/disclosure.md, issue 13 point
# 5): the demo's round 11 reports unknown admin P-codes for registered sites;
# each raises pcode_differs_from_master_list (file, row, column, reported and
# master value), the master list's P-code is stored, and no rollup row has a
# blank admin1. Moving a site takes `dtm sites import`.
# usage: master_list_area.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

# rollup ROUND LEVEL OUT: the operation_admin's rollup as CSV.
rollup() {
  "$DTM" analyze rollup --operation demo-nga --round "$1" --level "$2" --format csv >"$3"
}
# column_sum CSV COLUMN [PCODE]: the column's total over the rows (of PCODE).
column_sum() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
if len(sys.argv) > 3: rows = [r for r in rows if r['pcode'] == sys.argv[3]]
print(sum(int(float(r[sys.argv[2]] or 0)) for r in rows))
PY
}

run 0 "$WORK/demo.out" -- "$DTM" demo --data "$WORK/data"

# 1. Round 11's findings name what the round said and what the master list says.
expect_eq "round 11 findings" "$(q "SELECT count(*) > 0 FROM cleaning_log
  WHERE round = 11 AND rule = 'pcode_differs_from_master_list'")" 1
expect_eq "findings whose new value is not the master list's" "$(q "
  SELECT count(*) FROM cleaning_log c JOIN submissions s ON s.id = c.submission_id
  JOIN sites t ON t.operation_id = s.operation_id AND t.site_id = s.site_id
  WHERE c.rule = 'pcode_differs_from_master_list' AND (c.old_value = '' OR c.\"column\" = ''
    OR c.new_value <> CASE c.indicator WHEN 'adm1_pcode' THEN t.adm1_pcode
                                       WHEN 'adm2_pcode' THEN t.adm2_pcode
                                       ELSE t.adm3_pcode END)")" 0
run 0 "$WORK/log.out" -- "$DTM" cleaning-log --operation demo-nga --round 11
expect_line "$WORK/log.out" ',site/adm[12]_pcode,adm[12]_pcode,NG[0-9]*9{3},NG[0-9]+,pcode_differs_from_master_list,kept_master_list,'

# 2. Every stored submission of a listed site is in the master list's area.
expect_eq "submissions outside their master-list admin1" "$(q "
  SELECT count(*) FROM submissions s JOIN sites t
    ON t.operation_id = s.operation_id AND t.site_id = s.site_id
  WHERE s.state = 'accepted' AND t.adm1_pcode <> '' AND s.adm1_pcode IS NOT t.adm1_pcode")" 0

# 3. No rollup row of round 11 under a blank admin1; admin1 adds up to the country.
rollup 11 admin1 "$WORK/r11-admin1.csv"
rollup 11 country "$WORK/r11-country.csv"
expect_eq "round 11 admin1 rows without a P-code" "$(/usr/bin/python3 -c "
import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if not r['pcode'].strip()))
" "$WORK/r11-admin1.csv")" 0
expect_eq "round 11 people by admin1 = country" "$(column_sum "$WORK/r11-admin1.csv" ind_total)" \
  "$(column_sum "$WORK/r11-country.csv" ind_total)"
expect_eq "round 11 sites by admin1 = country" "$(column_sum "$WORK/r11-admin1.csv" sites)" \
  "$(column_sum "$WORK/r11-country.csv" sites)"

# 4. The master list moves a site: NGA-000001 to another district.
read -r from_adm2 to_adm1 to_adm2 < <(/usr/bin/python3 - "$WORK/data/sites.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
first = rows[0]
other = next(r for r in rows if r['adm1_pcode'] != first['adm1_pcode'])
print(first['adm2_pcode'], other['adm1_pcode'], other['adm2_pcode'])
PY
)
rollup 12 admin2 "$WORK/before.csv"
/usr/bin/python3 - "$WORK/data/sites.csv" "$WORK/moved.csv" "$to_adm1" "$to_adm2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
rows[0]['adm1_pcode'], rows[0]['adm2_pcode'] = sys.argv[3], sys.argv[4]
with open(sys.argv[2], 'w', newline='') as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader(); writer.writerows([rows[0]])
PY
run 0 "$WORK/import.out" -- "$DTM" sites import "$WORK/moved.csv" --operation demo-nga --country NGA
rollup 12 admin2 "$WORK/after.csv"
expect_eq "sites of $from_adm2 once the site moved" "$(column_sum "$WORK/after.csv" sites "$from_adm2")" \
  "$(( $(column_sum "$WORK/before.csv" sites "$from_adm2") - 1 ))"
expect_eq "sites of $to_adm2 once the site moved" "$(column_sum "$WORK/after.csv" sites "$to_adm2")" \
  "$(( $(column_sum "$WORK/before.csv" sites "$to_adm2") + 1 ))"

finish master_list_area
