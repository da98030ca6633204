#!/usr/bin/env bash
# Leak tests: every tier × every exporter × every level of `dtm export`, read
# back by independent readers (csv, openpyxl, json) and checked against the
# dictionary's classes (read with PyYAML) and against the operation_admin
# export of the same data (the truth):
#   - a level the tier may not see is refused (exit 1), and nothing else is;
#   - no pii column anywhere; no site-level sensitive or urgent value, and no
#     risk score, reaches public or partner;
#   - public and partner: every published people count is 0 or >= k_people;
#     every suppressed cell is empty/null flagged just "suppressed" (a reason
#     would tell a range), and suppression is true against the truth: some
#     suppressed people counts are small there (under k_people, or over fewer
#     than k_sites sites); published values equal the truth (nothing blanked
#     or altered that the rules do not require);
#   - protection and operation_admin: nothing suppressed.
# usage: disclosure_leaks.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh"
PY=/usr/bin/python3

"$DTM" demo --sites 240 --rounds 1 --data "$WORK/data" >"$WORK/demo.out" 2>&1 || fail "demo"
"$DTM" org add "GBV AoR" --clusters gbv,protection >/dev/null || fail "org"
"$DTM" org add "Partner" --clusters cccm >/dev/null || fail "org"
"$DTM" org add "Public" --clusters media >/dev/null || fail "org"
"$DTM" user add prot --org "GBV AoR" --tier "demo-nga=protection" >/dev/null || fail "user"
"$DTM" user add part --org "Partner" --tier "demo-nga=partner" >/dev/null || fail "user"
"$DTM" user add pub --org "Public" >/dev/null || fail "user"
"$DTM" dsa add DSA-1 --org "GBV AoR" --operation demo-nga --tier protection --from 2020-01-01 \
  --to 2099-12-31 --purpose "leak test" >/dev/null || fail "dsa"

declare -A USER=([public]=pub [partner]=part [protection]=prot [operation_admin]=local-admin)
declare -A EXT=([csv]=csv [hxl]=hxl.csv [xlsx]=xlsx [geojson]=geojson [json]=json)
for tier in public partner protection operation_admin; do
  for format in csv hxl xlsx geojson json; do
    for level in site admin3 admin2 admin1 country; do
      out="$WORK/$tier-$level.${EXT[$format]}"
      "$DTM" export --operation demo-nga --round 1 --level $level --tier $tier --format $format \
        -o "$out" --purpose "leak test" --as "${USER[$tier]}" >"$out.log" 2>&1
      echo "$tier $format $level $?" >>"$WORK/exits.txt"
    done
  done
done

$PY - "$SRC/dictionary/dtm-default.yaml" "$WORK" >"$WORK/check.out" 2>&1 <<'PY' || fail "leak checks: $(tail -30 "$WORK/check.out")"
import csv, json, sys, yaml, openpyxl
dictionary = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
work = sys.argv[2]
indicators = dictionary["indicators"]
klass = {i["name"]: i.get("class", "public") for i in indicators}
people = {i["name"] for i in indicators
          if i.get("module") in ("population", "vulnerability") and i.get("type") == "integer"}
K_PEOPLE, K_SITES = 5, 3
EXT = {"csv": "csv", "hxl": "hxl.csv", "xlsx": "xlsx", "geojson": "geojson", "json": "json"}
VISIBLE = {"public": {"admin2", "admin1", "country"},
           "partner": {"site", "admin3", "admin2", "admin1", "country"},
           "protection": {"site", "admin3", "admin2", "admin1", "country"},
           "operation_admin": {"site", "admin3", "admin2", "admin1", "country"}}
IDENTITY = {"operation", "level", "pcode", "site_id", "name", "round", "assessment_type", "sites",
            "latitude", "longitude", "flags", "admin1_pcode", "admin2_pcode", "admin3_pcode"}
small_suppressed = 0
problems = []

def rows_of(path, fmt):
    """Rows as {column: value or None} plus {column: reason}, whatever the format."""
    rows = []
    if fmt in ("csv", "hxl"):
        with open(path, newline="", encoding="utf-8") as f:
            data = list(csv.reader(f))
        header, body = data[0], data[2:] if fmt == "hxl" else data[1:]
        if fmt == "hxl" and not data[1][0].startswith("#"):
            problems.append(f"{path}: no hashtag row")
        for r in body:
            d = dict(zip(header, r))
            values = {c: (v if v != "" else None) for c, v in d.items() if not c.endswith("__flag")}
            flags = {c[:-6]: v for c, v in d.items() if c.endswith("__flag") and v}
            rows.append((values, flags))
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.sheetnames:
            if sheet == "README":
                continue
            data = list(book[sheet].iter_rows(values_only=True))
            header = data[0]
            for r in data[1:]:
                d = dict(zip(header, r))
                values = {c: v for c, v in d.items() if c and not c.endswith("__flag")}
                flags = {c[:-6]: v for c, v in d.items() if c and c.endswith("__flag") and v}
                rows.append((values, flags))
    elif fmt == "geojson":
        for feature in json.load(open(path, encoding="utf-8"))["features"]:
            p = dict(feature["properties"])
            flags = p.pop("flags", None) or {}
            rows.append((p, flags))
    else:
        for r in json.load(open(path, encoding="utf-8"))["rows"]:
            r = dict(r)
            flags = r.pop("flags", None) or {}
            values = {}
            for c, v in r.items():
                if isinstance(v, dict):  # answer counts grouped by indicator
                    for choice, figures in v.items():
                        values[f"{c}={choice}"] = figures["sites"]
                else:
                    values[c] = v
            rows.append((values, flags))
    return rows

def keyed(rows):
    """Rows by (level, P-code, round, n): an area whose sites name it under two
    parents (inconsistent P-codes) has a row under each, in the same order in
    every export of the same data."""
    seen = {}
    for values, flags in rows:
        base = (values.get("level"), values.get("pcode") or values.get("site_id"), str(values.get("round")))
        seen[base] = seen.get(base, -1) + 1
        yield base + (seen[base],), values, flags

def number(v):
    """A figure as a number to 9 significant digits (spreadsheets keep 15),
    text such as dates as itself."""
    if v is None or v == "":
        return None
    try:
        return float(f"{float(v):.9g}")
    except (TypeError, ValueError):
        return str(v)

exits = {}
for line in open(f"{work}/exits.txt"):
    tier, fmt, level, code = line.split()
    exits[(tier, fmt, level)] = int(code)

truth = {}
for level in ("site", "admin3", "admin2", "admin1", "country"):
    for k, values, flags in keyed(rows_of(f"{work}/operation_admin-{level}.json", "json")):
        truth[k] = values

checked = 0
for (tier, fmt, level), code in sorted(exits.items()):
    expected = 0 if level in VISIBLE[tier] else 1
    if code != expected:
        problems.append(f"{tier} {fmt} {level}: exit {code}, expected {expected}")
        continue
    if code:
        continue
    rows = rows_of(f"{work}/{tier}-{level}.{EXT[fmt]}", fmt)
    if not rows:
        problems.append(f"{tier} {fmt} {level}: no rows")
    for k, values, flags in keyed(rows):
        checked += 1
        true_row = truth.get(k)
        if true_row is None:
            problems.append(f"{tier} {fmt} {level}: row {k} not in the truth")
            continue
        for column, value in values.items():
            if column in IDENTITY:
                continue
            base = column.split("=")[0]
            cls = klass.get(base)
            if cls is None and "risk" not in column:
                problems.append(f"{tier} {fmt}: unknown column {column}")
                continue
            if cls == "pii":
                problems.append(f"{tier} {fmt} {level}: pii column {column}")
            if level == "site" and tier in ("public", "partner"):
                if cls in ("sensitive", "urgent") or "risk" in column:
                    problems.append(f"{tier} {fmt}: site {k[1]} carries {column}")
            reason = flags.get(column)
            if tier in ("protection", "operation_admin"):
                if reason:
                    problems.append(f"{tier} {fmt} {level}: {k} {column} suppressed")
                if number(value) != number(true_row.get(column)):
                    problems.append(f"{tier} {fmt} {level}: {k} {column} {value} != {true_row.get(column)}")
                continue
            true_value = true_row.get(column)
            if reason:
                if value is not None:
                    problems.append(f"{tier} {fmt} {level}: {k} {column} suppressed but shows {value}")
                if reason != "suppressed":
                    problems.append(f"{tier} {fmt} {level}: {k} {column} flag '{reason}' tells a reason")
                if base in people and "=" not in column:
                    small = true_value is not None and 0 < float(true_value) < K_PEOPLE
                    # k_sites: for aggregates of what the tier does not see per site
                    # (public: everything; partner: sensitive and urgent classes).
                    hidden_per_site = tier == "public" or cls in ("sensitive", "urgent")
                    few_sites = hidden_per_site and int(values.get("sites") or 0) < K_SITES
                    small_suppressed += small or few_sites
                continue
            if base in people and "=" not in column and value is not None:
                if 0 < float(value) < K_PEOPLE:
                    problems.append(f"{tier} {fmt} {level}: {k} {column}={value} published under k_people")
            if value is not None and number(value) != number(true_value):
                problems.append(f"{tier} {fmt} {level}: {k} {column} {value} != truth {true_value}")
# Both tiers together: a partner also reads the public release, so no cell
# suppressed for partner may be published to public (issue 13 found 60).
both_tiers = 0
for level in sorted(VISIBLE["public"]):
    if exits.get(("public", "csv", level)) or exits.get(("partner", "csv", level)):
        continue
    public = {k: values for k, values, _ in keyed(rows_of(f"{work}/public-{level}.csv", "csv"))}
    for k, values, flags in keyed(rows_of(f"{work}/partner-{level}.csv", "csv")):
        for column in flags:
            both_tiers += 1
            shown = public.get(k, {}).get(column)
            if shown is not None:
                problems.append(f"{level} {k} {column}: suppressed for partner, public shows {shown}")
if both_tiers == 0:
    problems.append("no partner-suppressed cell at admin2 and above to compare with public")
print("rows checked:", checked, "suppressed people counts small in the truth:", small_suppressed)
if small_suppressed == 0:
    problems.append("no suppressed people count is small in the operation_admin truth")
for p in problems[:40]:
    print("PROBLEM:", p)
print(len(problems), "problems")
sys.exit(1 if problems else 0)
PY
finish disclosure_leaks
