#!/usr/bin/env bash
# dtm ingest undo / quarantine / submissions show / cleaning-log / correct on a
# small database built from scratch.
# usage: review_commands.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
export USER=reviewer
PYTHON=/usr/bin/python3
show() { "$DTM" submissions show --operation demo --round 1 "$@"; }

run 0 "$WORK/init.out" -- "$DTM" init
run 0 "$WORK/op.out" -- "$DTM" operation create demo --country NGA

# Round 1: S1 clean; S2 with a bad choice (blanked, accepted); a row without a
# site ID (quarantined); S3 with a choice matched after normalisation. The pii
# cells (smc_focal_name) must never come back.
cat >"$WORK/round1.csv" <<'EOF'
site_id,round,survey_date,hh_total,ind_total,m_total,f_total,lighting,smc_focal_name,_submitted_by,deviceid
S1,1,2026-01-10,10,50,25,25,adequate,Ann Smith,alice,dev-a
S2,1,2026-01-11,20,80,40,40,Candles,Bob Jones,bob,dev-b
,1,2026-01-12,5,20,10,10,none,Cy Doe,alice,dev-a
S3,1,2026-01-12,15,60,30,30,No Lighting,,carol,dev-c
EOF
run 1 "$WORK/ingest1.out" -- "$DTM" ingest "$WORK/round1.csv" --operation demo --round 1 --register-new-sites --json
expect_line "$WORK/ingest1.out" '"rows_read": ?4,.*"accepted": ?3,.*"quarantined": ?1'
batch1=$(sed -nE 's/.*"batch_id": ?([0-9]+).*/\1/p' "$WORK/ingest1.out")
[[ -n "$batch1" ]] || fail "no batch_id in the ingest's JSON"

# ---- quarantine --------------------------------------------------------------
run 0 "$WORK/q-list.out" -- "$DTM" quarantine list --operation demo
expect_line "$WORK/q-list.out" '^id +batch +row +site +round +rule +message$'
expect_line "$WORK/q-list.out" "^[0-9]+ +$batch1 +4 +- +1 +site_id +[^ ]"
quarantine_id=$(awk 'NR == 2 { print $1 }' "$WORK/q-list.out")
run 0 "$WORK/q-show.out" -- "$DTM" quarantine show "$quarantine_id" --operation demo
expect_line "$WORK/q-show.out" "^quarantine entry $quarantine_id: batch $batch1 \(.*round1.csv\), source row 4$"
expect_line "$WORK/q-show.out" '^rule: site_id$'
expect_line "$WORK/q-show.out" '^site_id += ?$'
expect_line "$WORK/q-show.out" '^survey_date += 2026-01-12$'
expect_line "$WORK/q-show.out" '^lighting += none$'
# Export metadata feeds no indicator: not in the verbatim copy (issue 13).
expect_no_line "$WORK/q-show.out" '^_submitted_by'
expect_line "$WORK/q-show.out" '^smc_focal_name += ?$'
expect_no_line "$WORK/q-show.out" 'Cy Doe'
run 3 "$WORK/q-show-missing.out" -- "$DTM" quarantine show 999 --operation demo
run 2 "$WORK/q-usage.out" -- "$DTM" quarantine show --operation demo
run 2 "$WORK/q-usage2.out" -- "$DTM" quarantine list
run 3 "$WORK/q-no-op.out" -- "$DTM" quarantine list --operation nowhere

# The export is the source layout plus why, so field teams can fix and resubmit.
run 0 "$WORK/q-export.out" -- "$DTM" quarantine export --operation demo -o "$WORK/quarantine.csv"
expect_line "$WORK/q-export.out" '^wrote 1 quarantined rows to '
header1='site_id,round,survey_date,hh_total,ind_total,m_total,f_total,lighting,smc_focal_name'
[[ $(head -1 "$WORK/quarantine.csv") == "$header1,_quarantine_rule,_quarantine_message,_source_row" ]] ||
  fail "quarantine export header: $(head -1 "$WORK/quarantine.csv")"
expect_line "$WORK/quarantine.csv" '^,1,2026-01-12,5,20,10,10,none,,site_id,[^,]+,4$'
[[ $(wc -l <"$WORK/quarantine.csv") -eq 2 ]] || fail "quarantine export should have 2 lines"
expect_no_line "$WORK/quarantine.csv" 'Cy Doe'

# ---- submissions show ----------------------------------------------------------
run 0 "$WORK/s2.out" -- show --site S2
expect_line "$WORK/s2.out" '^submission [0-9]+: site S2, round 1 \(SA\), accepted$'
expect_line "$WORK/s2.out" "^batch $batch1 \(.*round1.csv\), source row 3$"
expect_line "$WORK/s2.out" '^enumerator: bob$'
expect_line "$WORK/s2.out" '^device: dev-b$'
expect_line "$WORK/s2.out" '^hh_total += 20$'
expect_line "$WORK/s2.out" '^lighting += ?$'      # "Candles" is not a choice: blanked
expect_line "$WORK/s2.out" '^smc_focal_name += ?$'
expect_no_line "$WORK/s2.out" 'Bob Jones'
# Every indicator, in dictionary order: site_id first.
indicators=$(grep -c '^  - name:' "$OPENDTM_DICTIONARY")
[[ $(grep -c ' = ' "$WORK/s2.out") -eq $indicators ]] || fail "submissions show should list all $indicators indicators"
[[ $(grep -m1 ' = ' "$WORK/s2.out") =~ ^site_id\ +=\ S2$ ]] || fail "site_id should come first"
run 0 "$WORK/s3.out" -- show --site S3
expect_line "$WORK/s3.out" '^lighting += none$'   # "No Lighting" normalised
run 0 "$WORK/s2-raw.out" -- show --site S2 --raw
expect_line "$WORK/s2-raw.out" '^lighting += Candles$'
expect_no_line "$WORK/s2-raw.out" '^_submitted_by'
expect_line "$WORK/s2-raw.out" '^smc_focal_name += ?$'
expect_no_line "$WORK/s2-raw.out" 'Bob Jones'
run 3 "$WORK/s9.out" -- show --site S9
expect_line "$WORK/s9.out" 'no accepted SA submission of site S9 in round 1'
run 3 "$WORK/s2-ba.out" -- show --site S2 --type BA
run 2 "$WORK/s-usage.out" -- "$DTM" submissions show --operation demo --round 1
run 2 "$WORK/s-usage2.out" -- show --site S2 --type XX

# ---- correct -----------------------------------------------------------------
run 0 "$WORK/correct1.out" -- "$DTM" correct --operation demo --site S2 --round 1 \
  --set lighting=inadequate --reason 'confirmed by phone, "site manager"'
expect_line "$WORK/correct1.out" "^site S2, round 1 \(SA\): lighting '' → 'inadequate' \(cleaning-log entry [0-9]+\)$"
correction=$(sed -nE 's/.*cleaning-log entry ([0-9]+)\)$/\1/p' "$WORK/correct1.out")
run 0 "$WORK/s2-corrected.out" -- show --site S2
expect_line "$WORK/s2-corrected.out" '^lighting += inadequate$'
run 0 "$WORK/correct-same.out" -- "$DTM" correct --operation demo --site S2 --round 1 \
  --set lighting=inadequate --reason again
expect_line "$WORK/correct-same.out" 'nothing changed'
# Refused before anything is written: unknown, pii, identifying or ill-typed.
run 2 "$WORK/correct-unknown.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set lightning=none --reason r
expect_line "$WORK/correct-unknown.out" "unknown indicator 'lightning'"
run 2 "$WORK/correct-pii.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set smc_focal_name=X --reason r
expect_line "$WORK/correct-pii.out" "indicator 'smc_focal_name' is pii"
run 2 "$WORK/correct-site.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set site_id=S9 --reason r
run 2 "$WORK/correct-choice.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set lighting=candles --reason r
expect_line "$WORK/correct-choice.out" "rule choice \\(lighting\\): 'candles' is not a choice of list 'lighting'"
run 2 "$WORK/correct-int.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set hh_total=many --reason r
run 2 "$WORK/correct-reason.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set hh_total=3
run 3 "$WORK/correct-nosite.out" -- "$DTM" correct --operation demo --site S9 --round 1 --set hh_total=3 --reason r

# Undo restores the value, once.
run 0 "$WORK/undo1.out" -- "$DTM" correct --undo "$correction" --reason 'wrong site'
expect_line "$WORK/undo1.out" "lighting 'inadequate' → '' \(cleaning-log entry $correction reverted by entry [0-9]+\)$"
run 0 "$WORK/s2-undone.out" -- show --site S2
expect_line "$WORK/s2-undone.out" '^lighting += ?$'
run 4 "$WORK/undo-again.out" -- "$DTM" correct --undo "$correction"
expect_line "$WORK/undo-again.out" 'already reverted'
run 4 "$WORK/undo-finding.out" -- "$DTM" correct --undo 1
run 3 "$WORK/undo-missing.out" -- "$DTM" correct --undo 99999
run 2 "$WORK/undo-usage.out" -- "$DTM" correct --undo "$correction" --site S2

# A correction overtaken by a later one cannot be undone out of order.
# 1,000 households for 80 individuals breaks sadd_hh_ind: stored only when forced.
run 0 "$WORK/hh1.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set hh_total=1,000 --reason typo --force
expect_line "$WORK/hh1.out" "hh_total '20' → '1000'"
first=$(sed -nE 's/.*cleaning-log entry ([0-9]+)\)$/\1/p' "$WORK/hh1.out")
run 0 "$WORK/hh2.out" -- "$DTM" correct --operation demo --site S2 --round 1 --set hh_total=25 --reason recount
second=$(sed -nE 's/.*cleaning-log entry ([0-9]+)\)$/\1/p' "$WORK/hh2.out")
run 4 "$WORK/hh-stale.out" -- "$DTM" correct --undo "$first"
expect_line "$WORK/hh-stale.out" "undo the later correction first"
run 0 "$WORK/hh-undo2.out" -- "$DTM" correct --undo "$second"
run 0 "$WORK/hh-undo1.out" -- "$DTM" correct --undo "$first"
run 0 "$WORK/s2-hh.out" -- show --site S2
expect_line "$WORK/s2-hh.out" '^hh_total += 20$'

# ---- cleaning log --------------------------------------------------------------
run 0 "$WORK/log.out" -- "$DTM" cleaning-log --operation demo --round 1 --format csv -o "$WORK/log.csv"
[[ $(head -1 "$WORK/log.csv") == 'entry_id,batch_id,submission_id,row,column,indicator,old_value,new_value,rule,action,who,when' ]] ||
  fail "cleaning-log CSV header: $(head -1 "$WORK/log.csv")"
expect_line "$WORK/log.csv" "^[0-9]+,$batch1,[0-9]+,3,lighting,lighting,Candles,,choice,blanked,"
expect_line "$WORK/log.csv" "^[0-9]+,$batch1,[0-9]+,5,lighting,lighting,No Lighting,none,choice_normalised,normalised,"
expect_line "$WORK/log.csv" "^$correction,,[0-9]+,3,,lighting,,inadequate,correct,\"corrected: confirmed by phone, \"\"site manager\"\"\",reviewer,[0-9T:Z-]+$"
expect_line "$WORK/log.csv" "^[0-9]+,,[0-9]+,3,,lighting,inadequate,,correct_undo,reverted: entry $correction: wrong site,reviewer,"
expect_no_line "$WORK/log.csv" 'Bob Jones|Cy Doe|Ann Smith'
run 0 "$WORK/log-json.out" -- "$DTM" cleaning-log --operation demo --format json
# The JSON is an array of objects with exactly the CSV's columns, entry for entry.
"$PYTHON" - "$WORK/log-json.out" "$WORK/log.csv" <<'EOF' || fail "cleaning-log JSON does not match the CSV"
import csv, json, sys
entries = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline='')))
columns = 'entry_id,batch_id,submission_id,row,column,indicator,old_value,new_value,rule,action,who,when'.split(',')
assert len(entries) == len(rows) > 0, (len(entries), len(rows))
for entry, row in zip(entries, rows):
    assert list(entry) == columns, list(entry)
    for key in columns:
        value = entry[key]
        assert ('' if value is None else str(value)) == row[key], (key, value, row[key])
EOF
run 2 "$WORK/log-format.out" -- "$DTM" cleaning-log --operation demo --format xml
run 2 "$WORK/log-by.out" -- "$DTM" cleaning-log --operation demo --by rule
run 2 "$WORK/log-by2.out" -- "$DTM" cleaning-log --operation demo --summary --by site

# One pii_dropped entry for the batch's pii column, with the count of values
# dropped and never a value.
expect_line "$WORK/log.csv" ',0,smc_focal_name,smc_focal_name,,[0-9]+ values not stored,pii_dropped,dropped_pii,'
# Summaries count the entries the log prints; a quarantined row's entries go to
# the enumerator of that row (alice), corrections to the submission's (bob).
run 0 "$WORK/sum-rule.out" -- "$DTM" cleaning-log --operation demo --round 1 --summary
expect_line "$WORK/sum-rule.out" '^rule +entries$'
expect_line "$WORK/sum-rule.out" '^choice +1$'
expect_line "$WORK/sum-rule.out" '^correct +3$'
expect_line "$WORK/sum-rule.out" '^correct_undo +3$'
for by in enumerator device; do
  run 0 "$WORK/sum-$by.csv" -- "$DTM" cleaning-log --operation demo --round 1 --summary --by $by --format csv
done
"$PYTHON" - "$WORK/log.csv" "$WORK/sum-enumerator.csv" "$WORK/sum-device.csv" <<'EOF' || fail "summary by enumerator/device is wrong"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
# Row 0: the batch's one pii_dropped entry per pii column, which no enumerator owns.
who = {'0': ('', ''), '2': ('alice', 'dev-a'), '3': ('bob', 'dev-b'), '4': ('alice', 'dev-a'), '5': ('carol', 'dev-c')}
for path, position in ((sys.argv[2], 0), (sys.argv[3], 1)):
    expected = {}
    for row in rows:
        key = who[row['row']][position]
        expected[key] = expected.get(key, 0) + 1
    got = {r[list(r)[0]]: int(r['entries']) for r in csv.DictReader(open(path, newline=''))}
    assert got == expected, (path, got, expected)
EOF
run 0 "$WORK/sum-json.out" -- "$DTM" cleaning-log --operation demo --round 1 --summary --by device --format json
"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert {"device": "dev-b", "entries": d[0]["entries"]} == d[0], d' \
  "$WORK/sum-json.out" || fail "summary JSON"

# ---- a second file with another layout -------------------------------------------
cat >"$WORK/round2.csv" <<'EOF'
site_id,round,survey_date,hh_total,ind_total,lighting
S1,2,2026-02-10,11,52,adequate
,2,2026-02-11,3,9,none
EOF
run 1 "$WORK/ingest2.out" -- "$DTM" ingest "$WORK/round2.csv" --operation demo --round 2 --json
batch2=$(sed -nE 's/.*"batch_id": ?([0-9]+).*/\1/p' "$WORK/ingest2.out")
run 0 "$WORK/q-list2.out" -- "$DTM" quarantine list --operation demo --batch "$batch2"
[[ $(grep -c site_id "$WORK/q-list2.out") -eq 1 ]] || fail "--batch should list batch $batch2 only"
run 4 "$WORK/q-export-mixed.out" -- "$DTM" quarantine export --operation demo
expect_line "$WORK/q-export-mixed.out" 'different source headers.*--batch'
run 0 "$WORK/q-export2.csv" -- "$DTM" quarantine export --operation demo --batch "$batch2"
expect_line "$WORK/q-export2.csv" '^site_id,round,survey_date,hh_total,ind_total,lighting,_quarantine_rule,_quarantine_message,_source_row$'
expect_line "$WORK/q-export2.csv" '^,2,2026-02-11,3,9,none,site_id,[^,]+,3$'

# ---- ingest undo -------------------------------------------------------------
run 0 "$WORK/kept.out" -- "$DTM" correct --operation demo --site S3 --round 1 --set hh_total=16 --reason recount
kept=$(sed -nE 's/.*cleaning-log entry ([0-9]+)\)$/\1/p' "$WORK/kept.out")
run 0 "$WORK/undo-batch.out" -- "$DTM" ingest undo "$batch1"
expect_line "$WORK/undo-batch.out" "^batch $batch1 undone: .*round1.csv, round 1 \(SA\)"
expect_line "$WORK/undo-batch.out" '4 rows read, 3 accepted, 1 quarantined'
run 3 "$WORK/s2-gone.out" -- show --site S2
expect_line "$WORK/s2-gone.out" 'no accepted SA submission of site S2'
run 4 "$WORK/undo-batch-again.out" -- "$DTM" ingest undo "$batch1"
expect_line "$WORK/undo-batch-again.out" 'already undone'
run 3 "$WORK/undo-batch-missing.out" -- "$DTM" ingest undo 999
run 2 "$WORK/undo-batch-usage.out" -- "$DTM" ingest undo
run 0 "$WORK/q-after-undo.out" -- "$DTM" quarantine list --operation demo --batch "$batch1"
expect_line "$WORK/q-after-undo.out" '^no quarantined rows$'
# With batch 1 gone, the export holds batch 2 alone.
run 0 "$WORK/q-export-after.csv" -- "$DTM" quarantine export --operation demo
expect_line "$WORK/q-export-after.csv" '^,2,2026-02-11,3,9,none,site_id,[^,]+,3$'
run 0 "$WORK/log-after.out" -- "$DTM" cleaning-log --operation demo --round 1
expect_line "$WORK/log-after.out" "^[0-9]+,$batch1,,0,,,active,undone,undo,reverted,reviewer,"
# Corrections need an accepted submission.
run 4 "$WORK/undo-after-batch-undo.out" -- "$DTM" correct --undo "$kept"
expect_line "$WORK/undo-after-batch-undo.out" "submission [0-9]+ is undone"

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "review commands: all cases passed"
