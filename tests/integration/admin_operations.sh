#!/usr/bin/env bash
# Admin-level operations are first class (issue 14, point 4): the five real
# Haiti operations, ingested from the DTM API v3 CSV files as
# ingest_admin_figures.sh does, export in csv, hxl, xlsx, json and dtm-api
# with the right rows and the gazetteer's area names (sums computed here with
# Python's csv module from the source files); geojson, which would hold no
# point, and every other export that would be empty are refused with their
# reason (exit 1); rollups name their areas and say their source, without
# `sites`; region and global figures include Haiti; trends compare rounds;
# and --tier takes operation names with spaces.
# usage: admin_operations.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
REAL="$SRC/../shared/data/real"
OP="Haiti Earthquake"

for level in 0 1 2; do
  run 0 "$WORK/ingest$level.out" -- "$DTM" ingest "$REAL/dtm-api-v3-displacement-admin$level-hti.csv"
done
# The gazetteer names the areas (exit 1: it lists duplicate names to look at).
"$DTM" admin import "$REAL/global-pcodes-adm-1-2.hxl.csv" >"$WORK/gazetteer.out" 2>&1
expect_eq "Haiti's admin1 areas" "$(q "select count(*) from admin_areas where country = 'HTI' and level = 1")" 10
expect_eq "operations" "$(q "select count(*) from operations where country = 'HTI'")" 5

# 1. Every format. The expected admin1 rows: per round, reporting date and
# type, the finest records of the key added up per admin1 (what the rollup
# adds), named as the gazetteer names them.
/usr/bin/python3 - "$REAL" "$OP" "$OPENDTM_DB" >"$WORK/expected-admin1.csv" <<'PY' || fail "expected rows"
import csv, sqlite3, sys
from collections import defaultdict
real, operation, db = sys.argv[1:]
names = dict(sqlite3.connect(db).execute("select pcode, name from admin_areas where country = 'HTI'"))
records = []
for level in (0, 1, 2):
    for r in csv.DictReader(open(f"{real}/dtm-api-v3-displacement-admin{level}-hti.csv", encoding="utf-8-sig", newline="")):
        if r["operation"] == operation:
            records.append((level, r))
finest = defaultdict(int)
for level, r in records:
    key = (int(r["roundNumber"]), r["reportingDate"], r["assessmentType"])
    finest[key] = max(finest[key], level)
sums = defaultdict(lambda: [0, 0, None, None])
for level, r in records:
    key = (int(r["roundNumber"]), r["reportingDate"], r["assessmentType"])
    if level != finest[key] or level < 1:
        continue
    s = sums[key + (r["admin1Pcode"],)]
    s[0] += 1
    s[1] += int(r["numPresentIdpInd"])
    for slot, field in ((2, "numberMales"), (3, "numberFemales")):
        if r[field] != "":  # a sum of the records that give it, else blank
            s[slot] = (s[slot] or 0) + int(r[field])
w = csv.writer(sys.stdout, lineterminator="\n")
for (rnd, date, kind, pcode), s in sorted(sums.items()):
    w.writerow(["admin1", pcode, names[pcode], pcode, rnd, kind] + ["" if v is None else v for v in s])
PY
[[ -s "$WORK/expected-admin1.csv" ]] || fail "no expected admin1 row computed"
export_as() {  # export_as FORMAT LEVEL FILE [more flags]
  local format=$1 level=$2 file=$3; shift 3
  "$DTM" export --operation "$OP" --round all --level "$level" --tier public --format "$format" \
    -o "$file" --purpose "issue 14 test" "$@"
}
run 0 "$WORK/csv.out" -- export_as csv admin1 "$WORK/haiti.csv"
expect_line "$WORK/csv.out" "^wrote .*haiti.csv: $(wc -l <"$WORK/expected-admin1.csv") rows, tier public"
expect_eq "csv header" "$(head -1 "$WORK/haiti.csv")" \
  "level,pcode,name,admin1_pcode,round,assessment_type,records,ind_total,m_total,f_total"
tail -n +2 "$WORK/haiti.csv" | diff "$WORK/expected-admin1.csv" - >"$WORK/csv.diff" ||
  fail "csv rows differ from the source's sums: $(head -5 "$WORK/csv.diff")"
grep -q ",West," "$WORK/haiti.csv" || fail "HT01 not named by the gazetteer (West)"
run 0 "$WORK/hxl.out" -- export_as hxl admin1 "$WORK/haiti.hxl.csv"
expect_eq "hxl hashtag row" "$(sed -n 2p "$WORK/haiti.hxl.csv" | cut -d, -f1-3,7)" "#adm+level,#adm1+code,#adm1+name,#meta+count"
expect_eq "hxl rows" "$(tail -n +3 "$WORK/haiti.hxl.csv" | diff - <(tail -n +2 "$WORK/haiti.csv") && echo same)" same
run 0 "$WORK/json.out" -- export_as json admin1 "$WORK/haiti.json"
/usr/bin/python3 - "$WORK/haiti.json" "$WORK/expected-admin1.csv" <<'PY' || fail "json rows differ from the source's sums"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "admin_figures", d.get("source")
text = lambda v: "" if v is None else str(v)
got = [[r["level"], r["pcode"], r["name"], r["admin1_pcode"], text(r["round"]), r["assessment_type"],
        text(r["records"]), text(r["ind_total"]), text(r["m_total"]), text(r["f_total"])] for r in d["rows"]]
assert all("sites" not in r for r in d["rows"])
want = list(csv.reader(open(sys.argv[2])))
assert got == want, (got[:2], want[:2])
PY
run 0 "$WORK/xlsx.out" -- export_as xlsx admin1 "$WORK/haiti.xlsx"
[[ -s "$WORK/haiti.xlsx" ]] || fail "no xlsx written"
if /usr/bin/python3 -c "import openpyxl" 2>/dev/null; then
  /usr/bin/python3 - "$WORK/haiti.xlsx" "$WORK/expected-admin1.csv" <<'PY' || fail "xlsx rows differ from the source's sums"
import csv, openpyxl, sys
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
sheet = next(s for s in book.worksheets if s.title.lower().startswith("admin1"))
rows = [[("" if v is None else str(int(v)) if isinstance(v, float) and v == int(v) else str(v)) for v in row]
        for row in sheet.iter_rows(values_only=True)]
header = rows[0]
assert header[:3] == ["level", "pcode", "name"] and "records" in header, header
body = [r for r in rows[1:] if any(r)]
body = [r for r in body if r[0] == "admin1"]
want = list(csv.reader(open(sys.argv[2])))
assert body == want, (body[:2], want[:2])
PY
fi
run 0 "$WORK/api.out" -- export_as dtm-api admin2 "$WORK/haiti-api.json"
expect_eq "dtm-api admin2 records" "$(json "$WORK/haiti-api.json" "len(d['result'])")" \
  "$(q "select count(*) from admin_figures where admin_level = 2 and operation_name = '$OP'")"
# A country's operations together, at admin2.
run 0 "$WORK/country.out" -- "$DTM" export --country HTI --round all --level admin2 --tier public \
  --format csv -o "$WORK/hti.csv" --purpose "issue 14 test"
expect_eq "country export operations" "$(tail -n +2 "$WORK/hti.csv" | cut -d, -f1 | sort -u | wc -l)" 5
expect_eq "country export people" "$(tail -n +2 "$WORK/hti.csv" | /usr/bin/python3 -c "import csv,sys; print(sum(int(r[9]) for r in csv.reader(sys.stdin)))")" 13831385

# 2. Exports that would be empty say why and exit 1, writing nothing.
run 1 "$WORK/geojson.out" -- export_as geojson admin1 "$WORK/haiti.geojson"
expect_line "$WORK/geojson.out" "nothing to export: admin-level figures have no points"
run 1 "$WORK/admin3.out" -- "$DTM" export --operation "$OP" --round all --level admin3 --tier protection \
  --format csv -o "$WORK/admin3.csv" --purpose "issue 14 test"
expect_line "$WORK/admin3.out" "nothing to export: 'Haiti Earthquake' publishes admin-level figures down to admin2 only: none at admin3"
run 1 "$WORK/round99.out" -- "$DTM" export --operation "$OP" --round 99 --level admin1 --tier public \
  --format csv -o "$WORK/round99.csv" --purpose "issue 14 test"
expect_line "$WORK/round99.out" "nothing to export: 'Haiti Earthquake' has no admin-level figure in round\(s\) 99"
"$DTM" operation create never-assessed --country HTI >/dev/null || fail "operation create"
run 1 "$WORK/never.out" -- "$DTM" export --operation never-assessed --round all --level admin1 --tier public \
  --format csv -o "$WORK/never.csv" --purpose "issue 14 test"
expect_line "$WORK/never.out" "nothing to export: 'never-assessed' has no round"
for file in admin3.csv round99.csv never.csv haiti.geojson; do
  [[ ! -e "$WORK/$file" ]] || fail "$file written by a refused export"
done
expect_eq "refusals audited" "$(q "select count(*) from audit_log where reason like '%nothing to export%'")" 4

# 3. Rollups: names beside P-codes, the source, no `sites`.
run 0 "$WORK/rollup.err" -- "$DTM" analyze rollup --operation "$OP" --round 1 --level admin1 --format json
"$DTM" analyze rollup --operation "$OP" --round 1 --level admin1 --format json >"$WORK/rollup.json" 2>/dev/null
expect_eq "rollup HT01" "$(json "$WORK/rollup.json" "[(g['pcode'], g['name'], g['source'], 'sites' in g) for g in d if g['pcode'] == 'HT01']")" \
  "[('HT01', 'West', 'admin_figures', False)]"
"$DTM" analyze rollup --operation "$OP" --round 1 --level admin1 --format csv >"$WORK/rollup.csv" 2>/dev/null
grep -q "^admin1,HT01,West," "$WORK/rollup.csv" || fail "rollup csv without the name: $(head -2 "$WORK/rollup.csv")"
"$DTM" analyze rollup --operation "$OP" --round 1 --level admin1 --format csv --tier public \
  >"$WORK/rollup-public.csv" 2>&1
grep -q "^admin1,HT01,West,HT01,1,SA,12," "$WORK/rollup-public.csv" || fail "public rollup: $(head -3 "$WORK/rollup-public.csv")"

# 4. Region and global figures include the Haiti operations (latest round
# of the type each).
run 0 "$WORK/global.err" -- "$DTM" analyze rollup --level global --type SA --format json
"$DTM" analyze rollup --level global --type SA --format json >"$WORK/global.json" 2>/dev/null
# Every operation with SA figures (Hurricane Season… publishes BA only).
expect_eq "global operations" "$(json "$WORK/global.json" "sorted(o['operation'] for o in d[0]['operations'] if o.get('source') == 'admin_figures')")" \
  "['Countrywide monitoring', 'Earthquake (August-2021)', 'Haiti Earthquake', 'Hurricane Matthew']"
/usr/bin/python3 - "$REAL" "$WORK/global.json" <<'PY' || fail "global total differs from each operation's latest SA round"
import csv, json, sys
from collections import defaultdict
real, out = sys.argv[1:]
keys = defaultdict(lambda: defaultdict(int))  # operation -> (round, date) -> admin0 total
for r in csv.DictReader(open(f"{real}/dtm-api-v3-displacement-admin0-hti.csv", encoding="utf-8-sig", newline="")):
    if r["assessmentType"] == "SA":
        keys[r["operation"]][(int(r["roundNumber"]), r["reportingDate"])] += int(r["numPresentIdpInd"])
want = sum(v[max(v)] for v in keys.values())
got = json.load(open(out))[0]["ind_total"]
assert got == want, (got, want)
PY
"$DTM" analyze rollup --level region --type SA --format json >"$WORK/region.json" 2>/dev/null || fail "region rollup"
expect_eq "Haiti's region" "$(json "$WORK/region.json" "[g['name'] for g in d if any(o['country'] == 'HTI' for o in g['operations'])]")" \
  "['Central and North America and the Caribbean']"

# 5. Trends between rounds.
run 0 "$WORK/trends.err" -- "$DTM" analyze trends --operation "$OP" --round 1-3 --level admin1 --format json
"$DTM" analyze trends --operation "$OP" --round 1-3 --level admin1 --format json >"$WORK/trends.json" 2>/dev/null
/usr/bin/python3 - "$WORK/trends.json" "$WORK/expected-admin1.csv" <<'PY' || fail "trends differ from the source's sums"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "admin_figures"
people = {(int(r[4]), r[1]): int(r[7]) for r in csv.reader(open(sys.argv[2]))}
pairs = [(1, 2, "consecutive"), (2, 3, "consecutive"), (1, 3, "range")]
assert sorted({(t["from_round"], t["to_round"], t["comparison"]) for t in d["trends"]}) == sorted(pairs)
for t in d["trends"]:
    before = people.get((t["from_round"], t["pcode"]), 0)
    after = people.get((t["to_round"], t["pcode"]), 0)
    assert (t["people_before"], t["people_after"], t["people_change"]) == (before, after, after - before), t
    assert t["name"], t
PY

# 6. List flags keep spaces inside names.
"$DTM" org add "Shelter Cluster" --clusters shelter >/dev/null || fail "org add"
run 0 "$WORK/user.out" -- "$DTM" user add analyst --org "Shelter Cluster" \
  --tier "Haiti Earthquake=partner, Hurricane Matthew=public"
expect_eq "user tiers" "$(q "select count(*) from user_tiers t join users u on u.id = t.user_id join operations o on o.id = t.operation_id where u.name = 'analyst' and o.name in ('Haiti Earthquake', 'Hurricane Matthew')")" 2
run 0 "$WORK/partner.out" -- "$DTM" export --operation "$OP" --round 1 --level admin2 --tier partner \
  --as analyst --format csv -o "$WORK/partner.csv" --purpose "issue 14 test"

finish admin_operations
