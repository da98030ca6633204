#!/usr/bin/env bash
# dtm analyze risk on stored submissions: the worked example of
# spec/risk-index.md, ingested as a Kobo-style file next to a low-risk site and
# a site with too little answered, read back in the three formats.
# usage: analyze_risk.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"

"$DTM" operation create risk-op --country NGA >/dev/null
# W: the worked example; L: every answer the safest; U: nearly everything unknown.
cat >"$WORK/round3.csv" <<'CSV'
site_id,survey_date,lighting,latrines_sex_separated,bathing_sex_separated,wash_lockable,water_location,private_living_area,security_on_site,security_provider,incidents_reported,women_feel_safe,children_feel_safe,unsafe_areas,female_security_staff,smc_exists,smc_women_pct,women_committee,women_in_distributions,gbv_referral_mechanism,women_friendly_spaces,cmr_available,women_know_gbv_services,psea_awareness,complaints_mechanism
W,2026-03-10,none,no,yes,unknown,off_site_lt20,lt50,yes,police,yes,no,yes,latrines water_points,unknown,yes,lt25,no,yes,no,0,unknown,partly,yes,no
L,2026-03-11,adequate,yes,yes,yes,on_site_lt20,gt75,yes,police,no,yes,yes,none,yes,yes,gt75,yes,yes,yes,2,yes,yes,yes,yes
U,2026-03-12,unknown,unknown,unknown,unknown,,,unknown,,unknown,unknown,unknown,,unknown,unknown,,unknown,unknown,unknown,,unknown,unknown,unknown,unknown
CSV
"$DTM" ingest "$WORK/round3.csv" --operation risk-op --round 3 --register-new-sites --today 2026-12-31 --json >"$WORK/ingest.json" 2>"$WORK/ingest.err"
expect_eq "accepted" "$(json "$WORK/ingest.json" "d['accepted']")" 3

"$DTM" analyze risk --operation risk-op --round 3 --format json >"$WORK/risk.json" 2>"$WORK/risk.err"
expect_eq "exit (json)" "$?" 0
expect_eq "note" "$(json "$WORK/risk.json" "'prevalence' in d['note'] and 'risk factors' in d['note']")" True
expect_eq "sites by ID" "$(json "$WORK/risk.json" "' '.join(s['site_id'] for s in d['sites'])")" "L U W"
expect_eq "W score" "$(json "$WORK/risk.json" "d['sites'][2]['score']")" 62.5
expect_eq "W band" "$(json "$WORK/risk.json" "d['sites'][2]['band']")" very_high
expect_eq "W coverage" "$(json "$WORK/risk.json" "d['sites'][2]['coverage']")" 0.87
expect_eq "W domains" "$(json "$WORK/risk.json" "list(d['sites'][2]['domains'].values())")" "[66.7, 46.2, 66.7, 77.8]"
expect_eq "W top item" "$(json "$WORK/risk.json" "d['sites'][2]['top_items'][0]")" "{'item': 'lighting', 'answer': 'none', 'points': 3}"
expect_eq "W top items" "$(json "$WORK/risk.json" "len(d['sites'][2]['top_items'])")" 5
expect_eq "L" "$(json "$WORK/risk.json" "(d['sites'][0]['score'], d['sites'][0]['band'], d['sites'][0]['top_items'])")" "(0.0, 'lower', [])"
expect_eq "U" "$(json "$WORK/risk.json" "(d['sites'][1]['score'], d['sites'][1]['band'], d['sites'][1]['domains']['layout'])")" "(None, 'insufficient_data', None)"
expect_eq "bands" "$(json "$WORK/risk.json" "d['bands']")" "{'very_high': 1, 'high': 0, 'medium': 0, 'lower': 1, 'insufficient_data': 1}"

"$DTM" analyze risk --operation risk-op --round 3 --band high,very_high --format csv >"$WORK/risk.csv"
expect_eq "csv rows" "$(wc -l <"$WORK/risk.csv" | tr -d ' ')" 2
expect_eq "csv W" "$(/usr/bin/python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]['site_id'], r[0]['score'], r[0]['band'], r[0]['coverage'], 'prevalence' in r[0]['note'])" "$WORK/risk.csv")" "W 62.5 very_high 0.870 True"

"$DTM" analyze risk --operation risk-op --round 3 >"$WORK/risk.txt"
grep -q "^3 sites: very_high 1, high 0, medium 0, lower 1, insufficient_data 1$" "$WORK/risk.txt" || fail "table: no band count line"
grep -q "^note: .*not measure the prevalence of violence" "$WORK/risk.txt" || fail "table: no note footer"

# By area: the three sites are in one country.
"$DTM" analyze risk --operation risk-op --round 3 --level country --format json >"$WORK/country.json"
expect_eq "country area" "$(json "$WORK/country.json" "(d['level'], d['areas'][0]['pcode'], d['areas'][0]['sites'])")" "('country', 'NGA', 3)"
expect_eq "country bands" "$(json "$WORK/country.json" "d['areas'][0]['bands']")" "{'very_high': 1, 'high': 0, 'medium': 0, 'lower': 1, 'insufficient_data': 1}"
expect_eq "country mean (62.5 and 0; U has no score)" "$(json "$WORK/country.json" "d['areas'][0]['mean_score']")" 31.2
expect_eq "country note" "$(json "$WORK/country.json" "'prevalence' in d['note']")" True
"$DTM" analyze risk --operation risk-op --round 3 --level admin1 --format csv >"$WORK/admin1.csv"
expect_eq "admin1 csv" "$(/usr/bin/python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(len(r), r[0]['area'], r[0]['sites'], r[0]['very_high'], 'prevalence' in r[0]['note'])" "$WORK/admin1.csv")" "1  3 1 True"
"$DTM" analyze risk --operation risk-op --round 3 --level admin1 --band high >/dev/null 2>&1
expect_eq "--band with --level: exit" "$?" 2

"$DTM" analyze risk --operation risk-op --round 4 >/dev/null 2>"$WORK/none.err"
expect_eq "no round 4: exit" "$?" 3
"$DTM" analyze risk --operation risk-op --round 3 --band severe >/dev/null 2>"$WORK/band.err"
expect_eq "unknown band: exit" "$?" 2
grep -q "unknown band 'severe'" "$WORK/band.err" || fail "unknown band: message"

finish "analyze risk"
