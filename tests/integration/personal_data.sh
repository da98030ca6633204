#!/usr/bin/env bash
# Personal data never stored, files kept close (issue 13, point 7): a Kobo
# export whose untagged columns hold focal points' phones, names and e-mails
# is ingested; nothing of them reaches the database (its bytes, its compressed
# verbatim copies read back by dtm itself and by the zstd tool), the commands
# that show raw rows or the exports. The ingest report names each dropped
# column; a mapping that sends a contact column onto an indicator is refused;
# a phone number typed into a text field is blanked (pii_suspected); the
# database and the exports are readable by their owner only.
# usage: personal_data.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
export USER=focal-check
PY=/usr/bin/python3
umask 022  # the usual default: without care, files would be 0644
mode() { stat -c %a "$1"; }

run 0 "$WORK/init.out" -- "$DTM" init
expect_eq "database mode" "$(mode "$OPENDTM_DB")" 600
run 0 "$WORK/op.out" -- "$DTM" operation create demo-nga --country NGA
run 0 "$WORK/demo.out" -- "$DTM" demo --out "$WORK/demo" --sites 50 --rounds 1
run 0 "$WORK/sites.out" -- "$DTM" sites import "$WORK/demo/sites.csv" --operation demo-nga

# The demo's Kobo-layout round with three untagged contact columns, a phone
# number typed as a site name (row 4) and a row without a site ID (row 5,
# quarantined). Every phone is "+234 701 8642 9NNN": "8642 9" and "86429"
# occur nowhere else.
"$PY" - "$WORK/demo/round-01.csv" "$WORK/kobo.csv" <<'PYEOF' || fail "building the Kobo file"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
header, data = rows[0], rows[1:]
header += ["Phone of focal point", "Focal point name", "Contact e-mail"]
for i, row in enumerate(data):
    row += ["+234 701 8642 9%03d" % i, "Hauwa Zubairu-Okafor %d" % i, "focal%d@zubairu-mail.example" % i]
data[2][header.index("site/site_name")] = "0701 8642 9999"
data[3][header.index("site/site_id")] = ""
csv.writer(open(sys.argv[2], "w", newline="")).writerows([header] + data)
PYEOF
SECRETS='8642 9|86429|Zubairu|zubairu-mail'

# 1. A mapping that sends a contact column onto an indicator is refused, with
# the column named and the exit code of any other mapping error; nothing runs.
printf 'columns:\n  "Phone of focal point": sma_type\n' >"$WORK/bad-mapping.yaml"
"$DTM" ingest "$WORK/kobo.csv" --operation demo-nga --round 1 --mapping "$WORK/bad-mapping.yaml" \
  >"$WORK/refused.out" 2>&1
refused_code=$?
printf 'columns:\n  "Phone of focal point": no_such_indicator\n' >"$WORK/unknown-mapping.yaml"
"$DTM" ingest "$WORK/kobo.csv" --operation demo-nga --round 1 --mapping "$WORK/unknown-mapping.yaml" \
  >"$WORK/unknown.out" 2>&1
expect_eq "refused like a mapping error" "$refused_code" "$?"
[[ $refused_code -ne 0 && $refused_code -ne 1 ]] || fail "a refused mapping exits $refused_code"
expect_line "$WORK/refused.out" "column 'Phone of focal point' looks like personal data.*sma_type"
expect_no_line "$WORK/refused.out" "$SECRETS"
# By values: a column of phone numbers under an indicator's own header.
"$PY" - "$WORK/kobo.csv" "$WORK/phones-as-names.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
name, phone = rows[0].index("site/site_name"), rows[0].index("Phone of focal point")
for row in rows[1:]:
    row[name] = row[phone]
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
PYEOF
"$DTM" ingest "$WORK/phones-as-names.csv" --operation demo-nga --round 1 >"$WORK/by-values.out" 2>&1
expect_eq "refused by values" "$?" "$refused_code"
expect_line "$WORK/by-values.out" "column 'site/site_name' holds phone numbers"
expect_no_line "$WORK/by-values.out" "$SECRETS"
expect_eq "nothing stored by refused ingests" "$(q "select count(*) from batches")" 0

# 2. The ingest: the report (text and JSON) names each dropped column.
run 1 "$WORK/dry.json" -- "$DTM" ingest "$WORK/kobo.csv" --operation demo-nga --round 1 --dry-run --json
expect_eq "dropped (JSON)" \
  "$(json "$WORK/dry.json" "[c['column'] + ': ' + c['reason'] for c in d['dropped_columns'] if c['reason'] == 'not in the dictionary']")" \
  "['Phone of focal point: not in the dictionary', 'Focal point name: not in the dictionary', 'Contact e-mail: not in the dictionary']"
expect_eq "metadata dropped (JSON)" \
  "$(json "$WORK/dry.json" "sorted(c['column'] for c in d['dropped_columns'] if c['reason'] == 'export metadata' and c['column'] in ('_uuid', '_submitted_by', 'deviceid'))")" \
  "['_submitted_by', '_uuid', 'deviceid']"
run 1 "$WORK/ingest.out" -- "$DTM" ingest "$WORK/kobo.csv" --operation demo-nga --round 1
expect_line "$WORK/ingest.out" "^note: dropped column 'Phone of focal point' \(not in the dictionary\)$"
expect_line "$WORK/ingest.out" "^note: dropped column 'Focal point name' \(not in the dictionary\)$"
expect_line "$WORK/ingest.out" "^note: dropped column 'Contact e-mail' \(not in the dictionary\)$"
expect_line "$WORK/ingest.out" "^note: dropped column '_submitted_by' \(export metadata\)$"
expect_line "$WORK/ingest.out" "kobo.csv:4: site/site_name: pii_suspected: the value looks like a phone number"
expect_line "$WORK/ingest.out" "^batch [0-9]+: 50 rows read, 49 accepted, 1 quarantined"
expect_no_line "$WORK/ingest.out" "$SECRETS"
expect_eq "database mode after the ingest" "$(mode "$OPENDTM_DB")" 600
for extra in "$OPENDTM_DB-wal" "$OPENDTM_DB-shm" "$OPENDTM_DB-journal"; do
  [[ ! -e "$extra" ]] || expect_eq "mode of $extra" "$(mode "$extra")" 600
done

# 3. What the commands show: raw rows of every submission and the quarantine.
sites=$(q "select site_id from submissions where state = 'accepted'")
[[ $(wc -l <<<"$sites") -eq 49 ]] || fail "49 accepted submissions expected"
: >"$WORK/raw-all.out"
for site in $sites; do
  "$DTM" submissions show --operation demo-nga --round 1 --site "$site" --raw >>"$WORK/raw-all.out" 2>&1 ||
    fail "submissions show --raw $site"
done
expect_line "$WORK/raw-all.out" '^site/site_id += NGA-'
expect_line "$WORK/raw-all.out" '^population/hh_total += [0-9]+$'
expect_no_line "$WORK/raw-all.out" "$SECRETS"
expect_no_line "$WORK/raw-all.out" '^(Phone of focal point|Focal point name|Contact e-mail|_submitted_by|_uuid) '
run 0 "$WORK/q-list.out" -- "$DTM" quarantine list --operation demo-nga
quarantine_id=$(awk 'NR == 2 { print $1 }' "$WORK/q-list.out")
run 0 "$WORK/q-show.out" -- "$DTM" quarantine show "$quarantine_id" --operation demo-nga
expect_line "$WORK/q-show.out" '^site/site_name += '
expect_no_line "$WORK/q-show.out" "$SECRETS|^Phone of focal point|^Focal point name"
run 0 "$WORK/q-export.out" -- "$DTM" quarantine export --operation demo-nga -o "$WORK/quarantine.csv"
expect_no_line "$WORK/quarantine.csv" "$SECRETS|Phone of focal point|Focal point name|Contact e-mail"
run 0 "$WORK/log.csv" -- "$DTM" cleaning-log --operation demo-nga --round 1
expect_line "$WORK/log.csv" ',site/site_name,site_name,,,pii_suspected,blanked,'
expect_no_line "$WORK/log.csv" "$SECRETS"

# 4. The database itself: every table through sqlite3, the raw bytes of the
# file, and each compressed chunk of the verbatim copies decompressed by zstd.
sqlite3 "$OPENDTM_DB" .dump >"$WORK/dump.sql" || fail "sqlite3 .dump"
expect_no_line "$WORK/dump.sql" "$SECRETS"
sqlite3 "$OPENDTM_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
for file in "$OPENDTM_DB" "$OPENDTM_DB-wal"; do
  [[ -e "$file" ]] || continue
  ! grep -a -E -q "$SECRETS" "$file" || fail "contact details in the bytes of $file"
done
mkdir -p "$WORK/chunks"
chunks=$(q "select source_file_id || '-' || chunk from source_chunks")
[[ -n "$chunks" ]] || fail "no verbatim chunks stored"
for chunk in $chunks; do
  q "select writefile('$WORK/chunks/$chunk.zst', data) from source_chunks
     where source_file_id || '-' || chunk = '$chunk'" >/dev/null
  zstd -q -d -c "$WORK/chunks/$chunk.zst" >>"$WORK/verbatim.csv" 2>/dev/null ||
    fail "chunk $chunk is not zstd"
done
expect_line "$WORK/verbatim.csv" '^site/site_id,site/site_name,'
expect_no_line "$WORK/verbatim.csv" "$SECRETS|Phone of focal point|Focal point name|_submitted_by"

# 5. Exports are readable by their owner only.
for format in csv xlsx; do
  run 0 "$WORK/export-$format.out" -- "$DTM" export --operation demo-nga --round 1 \
    --level site,admin1 --format $format -o "$WORK/export.$format" --purpose "personal data check"
  expect_eq "mode of the $format export" "$(mode "$WORK/export.$format")" 600
done
expect_no_line "$WORK/export.csv" "$SECRETS"

finish "personal data"
