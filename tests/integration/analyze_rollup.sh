#!/usr/bin/env bash
# dtm analyze rollup (and trends) checked against SQLite's own GROUP BY over the stored
# values (the view v_site_values), on a small demo operation: sites and every
# summed count per admin 1 and admin 2, sites per lighting answer, and the
# totals at every level.
# usage: analyze_rollup.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

"$DTM" demo --sites 300 --rounds 3 --data "$WORK/data" >"$WORK/demo.out" 2>&1 || fail "demo"

for level in admin1 admin2; do
  column="adm${level#admin}_pcode"
  "$DTM" analyze rollup --operation demo-nga --round all --level "$level" --format json \
    >"$WORK/$level.json" 2>"$WORK/$level.err" || fail "rollup $level: exit $?"
  # The same figures from SQL, then compared with Python (counts, one sum per
  # summed indicator, sites per lighting answer and missing).
  /usr/bin/python3 - "$WORK/$level.json" "$OPENDTM_DB" "$column" "$OPENDTM_DICTIONARY" <<'PY' || fail "$level differs from SQL"
import json, sqlite3, sys, yaml
groups, db, column, dictionary = json.load(open(sys.argv[1])), sqlite3.connect(sys.argv[2]), sys.argv[3], yaml.safe_load(open(sys.argv[4]))
summed = [i["name"] for i in dictionary["indicators"] if i.get("aggregate") == "sum" and i["type"] == "integer"]
lighting = [c["name"] for c in dictionary["choice_lists"]["lighting"]]
problems = 0
sql = f"SELECT round, coalesce({column}, ''), count(*), " + ", ".join(f"sum({name})" for name in summed) + \
      f" FROM v_site_values WHERE state = 'accepted' AND assessment_type = 'SA' GROUP BY 1, 2"
expected = {(row[0], row[1]): row[2:] for row in db.execute(sql)}
seen = set()
for group in groups:
    key = (group["round"], group.get("pcode") or group.get("name") or "")
    seen.add(key)
    want = expected.get(key)
    got = [group["sites"]] + [group.get(name) for name in summed]
    if want is None or list(want) != got:
        print("group", key, "rollup", got, "sql", want); problems += 1
    counts = dict(db.execute(f"SELECT coalesce(lighting, 'missing'), count(*) FROM v_site_values WHERE state = 'accepted' "
                             f"AND round = ? AND coalesce({column}, '') = ? GROUP BY 1", key))
    for answer in lighting + ["missing"]:
        if group["lighting"][answer]["sites"] != counts.get(answer, 0):
            print("lighting", key, answer, group["lighting"][answer], counts.get(answer, 0)); problems += 1
if seen != set(expected):
    print("groups: rollup", sorted(seen - set(expected)), "sql only", sorted(set(expected) - seen)); problems += 1
print(len(groups), "groups checked")
sys.exit(1 if problems else 0)
PY
done

expect_eq "every group says its numbers come from sites" "$(json "$WORK/admin1.json" "sorted({g['source'] for g in d})")" "['sites']"

# Every level adds up to the same sites and people per round.
for level in site admin3 admin2 admin1 country; do
  "$DTM" analyze rollup --operation demo-nga --round 1-3 --level "$level" --format json >"$WORK/all-$level.json" || fail "rollup $level"
  total=$(/usr/bin/python3 -c "import json,sys; g=json.load(open(sys.argv[1])); print(sum(x['sites'] for x in g), sum(x['ind_total'] or 0 for x in g))" "$WORK/all-$level.json")
  expect_eq "$level totals" "$total" "$(sqlite3 "$OPENDTM_DB" "select count(*) || ' ' || sum(ind_total) from v_site_values where state='accepted' and assessment_type='SA'")"
done

# Trends between the two rounds: totals over the areas against SQL.
"$DTM" analyze trends --operation demo-nga --round 1-2 --level admin1 --format json >"$WORK/trends.json" || fail "trends"
sql_trends=$(sqlite3 "$OPENDTM_DB" "select
  (select sum(ind_total) from v_site_values where state='accepted' and assessment_type='SA' and round=1) || ' ' ||
  (select sum(ind_total) from v_site_values where state='accepted' and assessment_type='SA' and round=2) || ' ' ||
  (select count(*) from v_site_values a where state='accepted' and assessment_type='SA' and round=2 and not exists
     (select 1 from v_site_values b where b.state='accepted' and b.assessment_type='SA' and b.round=1 and b.site_id=a.site_id)) || ' ' ||
  (select count(*) from v_site_values a where state='accepted' and assessment_type='SA' and round=1 and not exists
     (select 1 from v_site_values b where b.state='accepted' and b.assessment_type='SA' and b.round=2 and b.site_id=a.site_id))")
expect_eq "trends totals (people before, after, new, closed)" "$(/usr/bin/python3 -c "
import json, sys
t = json.load(open(sys.argv[1]))['trends']
print(sum(x['people_before'] for x in t), sum(x['people_after'] for x in t), sum(x['new_sites'] for x in t), sum(x['closed_sites'] for x in t))" "$WORK/trends.json")" "$sql_trends"
expect_eq "trends rounds" "$(/usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['trends']; print(sorted({(x['from_round'], x['to_round']) for x in t}))" "$WORK/trends.json")" "[(1, 2)]"
# Over a range: each consecutive pair, then the first round against the last.
"$DTM" analyze trends --operation demo-nga --round all --level country --format json >"$WORK/trends-all.json" || fail "trends all"
expect_eq "trends over the range" "$(/usr/bin/python3 -c "
import json, sys
t = json.load(open(sys.argv[1]))['trends']
print([(x['comparison'], x['from_round'], x['to_round']) for x in t if x.get('pcode') == 'NGA'])
r = [x for x in t if x['comparison'] == 'range']
print(sum(x['people_before'] for x in r), sum(x['people_after'] for x in r))" "$WORK/trends-all.json")" \
  "[('consecutive', 1, 2), ('consecutive', 2, 3), ('range', 1, 3)]
$(sqlite3 "$OPENDTM_DB" "select (select sum(ind_total) from v_site_values where state='accepted' and assessment_type='SA' and round=1) || ' ' || (select sum(ind_total) from v_site_values where state='accepted' and assessment_type='SA' and round=3)")"
"$DTM" analyze trends --operation demo-nga --round 1 --level admin1 >/dev/null 2>&1
expect_eq "trends of one round: exit" "$?" 3

"$DTM" analyze rollup --operation demo-nga --round 1 --level admin1 --format csv >"$WORK/admin1.csv" || fail "csv"
expect_eq "csv header" "$(head -1 "$WORK/admin1.csv" | cut -d, -f1-7)" "level,pcode,name,round,assessment_type,source,sites"
/usr/bin/python3 - "$WORK/admin1.csv" "$WORK/admin1.json" <<'PY' || fail "csv differs from json"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
groups = [g for g in json.load(open(sys.argv[2])) if g["round"] == 1]
assert len(rows) == len(groups), (len(rows), len(groups))
for row, group in zip(rows, groups):
    assert row["pcode"] == (group.get("pcode") or ""), row["pcode"]
    assert int(row["ind_total"] or 0) == (group["ind_total"] or 0)
    assert abs(float(row["lighting=none"]) - 100 * group["lighting"]["none"]["share_of_sites"]) < 0.051
PY
"$DTM" analyze rollup --operation demo-nga --round 1 --level admin1 >"$WORK/admin1.txt" || fail "table"
grep -q "^level  *pcode  *name  *round" "$WORK/admin1.txt" || fail "table header"
"$DTM" analyze rollup --operation demo-nga --round 3-1 --level admin1 >/dev/null 2>&1
expect_eq "bad round range: exit" "$?" 2
"$DTM" analyze rollup --operation demo-nga --round 1 --level ward >/dev/null 2>&1
expect_eq "bad level: exit" "$?" 2

# --by and --where against SQL: sites and people per (admin 1, site type) among
# the sites whose lighting is none, and per origin admin 1 (a P-code).
"$DTM" analyze rollup --operation demo-nga --round 2 --level admin1 --by site_type \
  --where lighting=none --format json >"$WORK/by.json" || fail "rollup --by --where"
expect_eq "by site_type where lighting=none" "$(/usr/bin/python3 -c "
import json, sys
print(sorted(((g.get('pcode') or ''), g['by_value'] or '', g['sites'], g['ind_total'] or 0) for g in json.load(open(sys.argv[1]))))" "$WORK/by.json")" \
  "$(/usr/bin/python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(sorted(db.execute(\"select coalesce(adm1_pcode, ''), coalesce(site_type, ''), count(*), coalesce(sum(ind_total), 0) from v_site_values where state='accepted' and assessment_type='SA' and round=2 and lighting='none' group by 1, 2\").fetchall()))" "$OPENDTM_DB")"
"$DTM" analyze rollup --operation demo-nga --round 2 --level country --by origin_adm1 --format json >"$WORK/origin.json" || fail "rollup --by origin_adm1"
expect_eq "by origin_adm1" "$(/usr/bin/python3 -c "
import json, sys
print(sorted((g['by_value'] or '', g['sites']) for g in json.load(open(sys.argv[1]))))" "$WORK/origin.json")" \
  "$(sqlite3 "$OPENDTM_DB" "select coalesce(origin_adm1_pcode, ''), count(*) from v_site_values where state='accepted' and assessment_type='SA' and round=2 group by 1" | /usr/bin/python3 -c "
import sys
print(sorted((a, int(b)) for a, b in (line.strip().split('|') for line in sys.stdin)))")"
"$DTM" analyze rollup --operation demo-nga --round 2 --level admin1 --where lighting=candles >"$WORK/where.out" 2>&1
expect_eq "--where with an unknown choice: exit" "$?" 2
grep -q "'candles' is not a choice of lighting" "$WORK/where.out" || fail "--where message: $(cat "$WORK/where.out")"

# Region and global levels: each operation's latest round, by region (its
# own region first, else the region table's), every operation for global.
"$DTM" operation create demo-copy --country NGA --region "Lake Chad basin" >/dev/null || fail "operation create"
"$DTM" operation create never-assessed --country HTI >/dev/null || fail "operation create"
# (ingest exits 1 when it reports findings, as the demo rounds' urgent alerts)
"$DTM" ingest "$WORK/data/round-01.csv" --operation demo-copy --round 1 --register-new-sites >"$WORK/copy.out" 2>&1
(($? <= 1)) || fail "ingest demo-copy: $(tail -3 "$WORK/copy.out")"
"$DTM" analyze rollup --level region --format json >"$WORK/region.json" 2>"$WORK/region.err" || fail "rollup region: $(cat "$WORK/region.err")"
grep -q "operation 'never-assessed' is left out" "$WORK/region.err" || fail "left-out note: $(cat "$WORK/region.err")"
sql_sites() {  # operation round -> "sites people"
  sqlite3 "$OPENDTM_DB" "select count(*) || ' ' || sum(s.ind_total) from v_site_values s join operations o on o.id = s.operation_id
                         where o.name = '$1' and s.round = $2 and s.state = 'accepted' and s.assessment_type = 'SA'"
}
expect_eq "regions" "$(/usr/bin/python3 -c "
import json, sys
for g in json.load(open(sys.argv[1])):
    print(g['name'], '|', g['sites'], g['ind_total'], '|', ' '.join(o['operation'] + ':' + str(o['round']) for o in g['operations']))" "$WORK/region.json")" \
  "Lake Chad basin | $(sql_sites demo-copy 1) | demo-copy:1
West and Central Africa | $(sql_sites demo-nga 3) | demo-nga:3"
"$DTM" analyze rollup --level global --format json >"$WORK/global.json" 2>/dev/null || fail "rollup global"
read -r copy_sites copy_people <<<"$(sql_sites demo-copy 1)"
read -r nga_sites nga_people <<<"$(sql_sites demo-nga 3)"
expect_eq "global" "$(/usr/bin/python3 -c "
import json, sys
g = json.load(open(sys.argv[1]))
print(len(g), g[0]['name'], g[0]['sites'], g[0]['ind_total'], g[0]['round'])" "$WORK/global.json")" \
  "1 global $((copy_sites + nga_sites)) $((copy_people + nga_people)) latest"
# An operation without a region of its own takes its country's from the table
# (the shipped one, or --regions FILE); demo-nga keeps its own.
"$DTM" operation create no-region --country NGA >/dev/null || fail "operation create"
"$DTM" ingest "$WORK/data/round-02.csv" --operation no-region --round 2 --register-new-sites >"$WORK/no-region.out" 2>&1
(($? <= 1)) || fail "ingest no-region: $(tail -3 "$WORK/no-region.out")"
regions_of() {
  /usr/bin/python3 -c "
import json, sys
print(sorted((g['name'], sorted(o['operation'] for o in g['operations'])) for g in json.load(open(sys.argv[1]))))" "$1"
}
"$DTM" analyze rollup --level region --format json >"$WORK/region1.json" 2>/dev/null || fail "rollup region"
expect_eq "regions from the shipped table" "$(regions_of "$WORK/region1.json")" \
  "[('Lake Chad basin', ['demo-copy']), ('West and Central Africa', ['demo-nga', 'no-region'])]"
printf '# test table\niso3,region\nNGA,Test region\n' >"$WORK/regions.csv"
"$DTM" analyze rollup --level region --regions "$WORK/regions.csv" --format json >"$WORK/region2.json" 2>/dev/null || fail "rollup --regions"
expect_eq "regions from --regions" "$(regions_of "$WORK/region2.json")" \
  "[('Lake Chad basin', ['demo-copy']), ('Test region', ['no-region']), ('West and Central Africa', ['demo-nga'])]"
"$DTM" analyze rollup --level region --round 2 >/dev/null 2>&1
expect_eq "region with --round 2: exit" "$?" 2

finish "analyze rollup"
