#!/usr/bin/env bash
# Issue 14, points 6 and 7: a correction is judged by the rules of ingest
# (refused with the rule named unless --force, which the cleaning log keeps);
# the Nepal file without --mapping is refused before anything is stored; a
# submission for a closed site is stored with a site_closed warning.
# usage: corrections_checked.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
NEPAL="$SRC/../shared/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv"
MAPPING="$SRC/mappings/dtm-nepal-2015-r2.yaml"
accepted() { q "select $1 from v_site_values where site_id='$2' and state='accepted'"; }

"$DTM" admin import "$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv" >/dev/null
"$DTM" operation create nepal-2015 --country NPL >/dev/null || fail "operation create"

# ---- the Nepal file without --mapping: refused, nothing stored ------------------
run 2 "$WORK/no-mapping.out" -- "$DTM" ingest "$NEPAL" --operation nepal-2015 --round 2 --register-new-sites
expect_line "$WORK/no-mapping.out" 'dtm-nepal-2015-site-assessment-round2.redacted.csv: maps none of the population totals'
expect_line "$WORK/no-mapping.out" 'core indicators not found: ind_total, m_total, f_total\.'
expect_line "$WORK/no-mapping.out" "'2\.1\.b\.2 Total number of IDP'"
expect_line "$WORK/no-mapping.out" -- '--mapping FILE'
expect_eq "submissions after the refusal" "$(q 'select count(*) from submissions')" 0
expect_eq "batches after the refusal" "$(q 'select count(*) from batches')" 0
expect_eq "sites after the refusal" "$(q 'select count(*) from sites')" 0
# With the shipped mapping it goes in (findings: exit 1).
run 1 "$WORK/mapped.out" -- "$DTM" ingest "$NEPAL" --operation nepal-2015 --round 2 --register-new-sites --mapping "$MAPPING"
expect_eq "individuals with the mapping" "$(q "select sum(ind_total) from v_site_values where state='accepted'")" 66756

# ---- corrections judged by the rules of ingest -----------------------------------
# Site 1 as stored: 271 males (21 + 0 + 64 + 143 + 43), 179 females, 450
# individuals, 37 households.
expect_eq "site 1 as stored" "$(accepted 'hh_total, ind_total, m_total, f_total, m_0_1' 1)" "37|450|271|179|21"
correct() { "$DTM" correct --operation nepal-2015 --site 1 --round 2 "$@"; }
run 2 "$WORK/m01.out" -- correct --set m_0_1=99999 --reason 'typo?'
expect_line "$WORK/m01.out" '^dtm: --set m_0_1=99999 refused for site 1, round 2 \(SA\):$'
expect_line "$WORK/m01.out" '^  rule sadd_age_sum \(m_total\): males by age sum to 100249, but the males total is 271$'
expect_line "$WORK/m01.out" 'add --force'
run 2 "$WORK/ind.out" -- correct --set ind_total=3 --reason 'typo?'
expect_line "$WORK/ind.out" '^dtm: --set ind_total=3 refused for site 1, round 2 \(SA\):$'
expect_line "$WORK/ind.out" '^  rule sadd_sex_sum \(ind_total\): males \(271\) \+ females \(179\) = 450, but the total of individuals is 3$'
expect_line "$WORK/ind.out" '^  rule sadd_hh_ind \(hh_total\): 37 households for 3 individuals'
run 2 "$WORK/negative.out" -- correct --set hh_total=-4 --reason 'typo?'
expect_line "$WORK/negative.out" '^  rule constraint \(hh_total\): '
expect_eq "nothing changed by the refusals" "$(accepted 'hh_total, ind_total, m_0_1' 1)" "37|450|21"
expect_eq "nothing logged by the refusals" "$(q "select count(*) from cleaning_log where rule='correct'")" 0
# What ingest normalises, a correction normalises too.
run 0 "$WORK/lighting.out" -- correct --set 'lighting=No Lighting' --reason 'seen on site'
expect_line "$WORK/lighting.out" "lighting '.*' → 'none' \(cleaning-log entry [0-9]+\)$"
expect_line "$WORK/lighting.out" "^note: choice_normalised: 'No Lighting' read as choice 'none'"
# Not of the type: refused, even forced.
run 2 "$WORK/words.out" -- correct --set m_0_1=many --reason r --force
expect_line "$WORK/words.out" '^  rule type \(m_0_1\): '
expect_line "$WORK/words.out" 'not even --force'

# Forced: stored, and the cleaning log keeps the rules overridden.
run 0 "$WORK/forced.out" -- correct --set ind_total=3 --reason 'recounted by phone' --force
expect_line "$WORK/forced.out" "^site 1, round 2 \(SA\): ind_total '450' → '3' \(cleaning-log entry [0-9]+\)$"
expect_line "$WORK/forced.out" '^forced over rule sadd_sex_sum \(ind_total\): '
expect_eq "forced value stored" "$(accepted ind_total 1)" 3
run 0 "$WORK/log.out" -- "$DTM" cleaning-log --operation nepal-2015 --round 2 --format csv -o "$WORK/log.csv"
expect_line "$WORK/log.csv" '^[0-9]+,,[0-9]+,4,,ind_total,450,3,correct,"corrected, forced over sadd_sex_sum, sadd_hh_ind: recounted by phone",'
run 0 "$WORK/log.json" -- "$DTM" cleaning-log --operation nepal-2015 --round 2 --format json
expect_eq "forced entry in the JSON log" "$(json "$WORK/log.json" "[e['action'] for e in d if e['rule'] == 'correct' and e['indicator'] == 'ind_total']")" "['corrected, forced over sadd_sex_sum, sadd_hh_ind: recounted by phone']"

# ---- a submission for a closed site ------------------------------------------------
"$DTM" operation create demo --country NGA >/dev/null || fail "operation create demo"
printf 'site_id,site_name,status\nS1,Camp One,open\nS2,Camp Two,closed\n' >"$WORK/sites.csv"
run 0 "$WORK/sites.out" -- "$DTM" sites import "$WORK/sites.csv" --operation demo
cat >"$WORK/round1.csv" <<'CSV'
site_id,round,survey_date,hh_total,ind_total,m_total,f_total
S1,1,2026-01-10,10,50,25,25
S2,1,2026-01-11,20,80,40,40
CSV
run 1 "$WORK/closed.json" -- "$DTM" ingest "$WORK/round1.csv" --operation demo --round 1 --json
expect_eq "both rows accepted" "$(json "$WORK/closed.json" "(d['accepted'], d['quarantined'])")" "(2, 0)"
expect_eq "site_closed rows" "$(json "$WORK/closed.json" "d['findings']['site_closed']['rows']")" 1
run 0 "$WORK/demo-log.out" -- "$DTM" cleaning-log --operation demo --round 1 --format csv -o "$WORK/demo-log.csv"
expect_line "$WORK/demo-log.csv" '^[0-9]+,[0-9]+,[0-9]+,3,site_id,site_id,S2,S2,site_closed,flagged,'
expect_no_line "$WORK/demo-log.csv" ',S1,S1,site_closed,'
expect_eq "closed site stored" "$(accepted ind_total S2)" 80

finish "corrections checked"
