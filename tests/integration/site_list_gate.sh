#!/usr/bin/env bash
# Every site list through the microdata gate (issue 13, point 4), and site
# names that look like spreadsheet formulas (point 9):
#   - a partner's `dtm sites export` withholds exactly what
#     `dtm export --level site --tier partner` withholds for the same round:
#     the same sites without coordinates and types, the same sites without
#     their admin3 (admin2 and admin1 always kept); protection and operation_admin
#     receive the master list as it is;
#   - the audit record of a site list says the rows and columns written and
#     the hash of the file;
#   - a site list with names such as =HYPERLINK("http://x"), -Camp 4 and
#     @home is written with a leading ' (CSV), and imported again unchanged.
# usage: site_list_gate.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh"
PY=/usr/bin/python3

"$DTM" demo --sites 200 --rounds 2 --data "$WORK/data" >"$WORK/demo.out" 2>&1 || fail "demo"
"$DTM" org add "Partner" --clusters cccm >/dev/null || fail "org"
"$DTM" user add part --org "Partner" --tier "demo-nga=partner" >/dev/null || fail "user"

# 1. The partner's site list and site export of the latest round (2).
run 0 "$WORK/list.out" -- "$DTM" sites export --operation demo-nga --as part \
  --purpose "site list gate" -o "$WORK/partner-sites.csv"
run 0 "$WORK/export.out" -- "$DTM" export --operation demo-nga --round 2 --level site \
  --tier partner --format csv -o "$WORK/partner-export.csv" --purpose "site list gate" --as part
run 0 "$WORK/admin-list.out" -- "$DTM" sites export --operation demo-nga \
  -o "$WORK/admin-sites.csv"

$PY - "$WORK" >"$WORK/gate.out" 2>&1 <<'PY' || fail "site list gate: $(tail -20 "$WORK/gate.out")"
import csv, sys
work = sys.argv[1]
def rows(name):
    with open(f"{work}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
site_list = {r["site_id"]: r for r in rows("partner-sites.csv")}
admin = {r["site_id"]: r for r in rows("admin-sites.csv")}
export = {r["pcode"]: r for r in rows("partner-export.csv") if r["level"] == "site"}
problems = []
assert list(rows("partner-sites.csv")[0].keys()) == ["site_id", "site_name", "adm1_pcode",
    "adm2_pcode", "adm3_pcode", "latitude", "longitude", "site_type", "status"]
assert set(site_list) == set(admin), "the partner's list holds other sites than the master list"
withheld = generalised = 0
for site_id, listed in site_list.items():
    exported = export.get(site_id)
    if exported is None:
        if any(listed[c] for c in ("adm1_pcode", "adm2_pcode", "adm3_pcode", "latitude",
                                   "longitude", "site_type")):
            problems.append(f"{site_id}: not in the round's release, yet its list row shows {listed}")
        continue
    for ours, theirs in (("adm1_pcode", "admin1_pcode"), ("adm2_pcode", "admin2_pcode"),
                         ("adm3_pcode", "admin3_pcode"), ("site_type", "site_type")):
        if listed[ours] != exported.get(theirs, ""):
            problems.append(f"{site_id}: list {ours}={listed[ours]!r}, export {theirs}={exported.get(theirs)!r}")
    if bool(listed["latitude"]) != bool(exported["latitude"]):
        problems.append(f"{site_id}: list point {listed['latitude']!r}, export {exported['latitude']!r}")
    # admin1 and admin2 are not quasi-identifiers: the gate keeps them.
    if admin[site_id]["adm2_pcode"] and exported.get("admin2_pcode", "") != admin[site_id]["adm2_pcode"]:
        problems.append(f"{site_id}: the gate moved it off its admin2 {admin[site_id]['adm2_pcode']!r}")
    if not exported["latitude"] and admin[site_id]["latitude"]:
        if not exported["site_type"] and admin[site_id]["site_type"]:
            withheld += 1
        else:
            generalised += 1
print("sites", len(site_list), "in the release", len(export), "withheld", withheld,
      "generalised", generalised)
if withheld == 0:
    problems.append("the gate withheld nothing: the comparison proves nothing")
for p in problems[:30]:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
PY
expect_line "$WORK/list.out" "microdata gate"

# 2. The audit record says what was written.
rows=$(($(wc -l <"$WORK/partner-sites.csv") - 1))
hash=$(sha256sum "$WORK/partner-sites.csv" | cut -d' ' -f1)
expect_eq "audited rows" "$(q "select \"rows\" || ' ' || columns || ' ' || content_hash from audit_log where dataset = 'site_list' and user = 'part' order by seq desc limit 1")" "$rows 9 $hash"
admin_rows=$(($(wc -l <"$WORK/admin-sites.csv") - 1))
expect_eq "audited admin rows" "$(q "select \"rows\" from audit_log where dataset = 'site_list' and user <> 'part' order by seq desc limit 1")" "$admin_rows"

# 3. Formula-looking names: written neutralised, imported back unchanged.
export OPENDTM_DB="$WORK/formula.db"
"$DTM" operation create formula-op --country NGA >/dev/null || fail "operation"
$PY - "$WORK/formula-sites.csv" <<'PY'
import csv, sys
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["site_id", "site_name", "adm1_pcode", "latitude", "longitude", "site_type"])
    w.writerow(["F-1", '=HYPERLINK("http://x")', "NG001", "10.5", "-12.25", "camp"])
    w.writerow(["F-2", "-Camp 4", "NG001", "", "", "camp"])
    w.writerow(["F-3", "@home", "NG001", "-1", "", "+cmd"])
    w.writerow(["F-4", "'=typed with its quote", "NG001", "", "", "camp"])
PY
run 0 "$WORK/import1.out" -- "$DTM" sites import "$WORK/formula-sites.csv" --operation formula-op
run 0 "$WORK/export1.out" -- "$DTM" sites export --operation formula-op -o "$WORK/formula-1.csv"
expect_line "$WORK/formula-1.csv" "^F-1,\"'=HYPERLINK\(\"\"http://x\"\"\)\","
expect_line "$WORK/formula-1.csv" "^F-2,'-Camp 4,"
expect_line "$WORK/formula-1.csv" "^F-3,'@home,NG001,,,-1,,'\+cmd,"
# A file's ' before a formula is a neutralisation: taken away on import.
expect_line "$WORK/formula-1.csv" "^F-4,'=typed with its quote,"
run 0 "$WORK/import2.out" -- "$DTM" sites import "$WORK/formula-1.csv" --operation formula-op
run 0 "$WORK/export2.out" -- "$DTM" sites export --operation formula-op -o "$WORK/formula-2.csv"
cmp -s "$WORK/formula-1.csv" "$WORK/formula-2.csv" || fail "the site list changed on export, import, export"
expect_eq "names as imported" "$(q "select group_concat(name, '|') from (select name from sites order by site_id)")" \
  "=HYPERLINK(\"http://x\")|-Camp 4|@home|=typed with its quote"
expect_eq "type as imported" "$(q "select site_type from sites where site_id = 'F-3'")" "+cmd"

finish site_list_gate
