#!/usr/bin/env bash
# The demo pipeline: what an information-management officer does in a new
# operation. Check the default dictionary; write the form that field teams
# collect with (XLSForm for KoboToolbox/ODK, XForm for ODK Collect/Enketo) with
# cascading admin selects for Nigeria, and the codebook; then build the demo
# operation demo-nga (2,000 sites, 12 monthly rounds) into the embedded database
# and ingest every round, with its cleaning log and quarantine.
# usage: demo.sh DTM_BINARY OUTPUT_DIR
set -euo pipefail
DTM=${1:-build/dtm}
OUT=${2:-demo-out}
SHARED="$(cd "$(dirname "$0")/.." && pwd)/../shared"
GAZETTEER="$SHARED/data/real/global-pcodes-adm-1-2.hxl.csv"
mkdir -p "$OUT"

echo "== 1. Check the default dictionary (GBV-safe rules)"
"$DTM" dictionary check dictionary/dtm-default.yaml | tee "$OUT/dictionary-check.txt"

echo "== 2. Forms for the field teams (English and French, Nigeria admin cascades)"
"$DTM" dictionary export --format xlsform -o "$OUT/opendtm-msla.xlsx" --lang en,fr \
  --gazetteer "$GAZETTEER" --country NGA
"$DTM" dictionary export --format xform -o "$OUT/opendtm-msla.xml" --lang en,fr \
  --gazetteer "$GAZETTEER" --country NGA

echo "== 3. The codebook, for people and for machines"
"$DTM" dictionary export --format codebook-md -o "$OUT/codebook.md" --lang en,fr
"$DTM" dictionary export --format codebook-html -o "$OUT/codebook.html" --lang en,fr
"$DTM" dictionary export --format json -o "$OUT/dictionary.json"

echo "== 4. The demo operation demo-nga: gazetteer, master list, 12 rounds ingested"
rm -f "$OUT/opendtm.db" "$OUT/opendtm.db-wal" "$OUT/opendtm.db-shm"
"$DTM" demo --db "$OUT/opendtm.db" --data "$OUT/data"
echo "== 5. Re-ingesting a file changes nothing"
"$DTM" ingest "$OUT/data/round-12.csv" --operation demo-nga --round 12 --db "$OUT/opendtm.db"

echo "== 6. Analysis of the last round: GBV risk by state, figures by state, changes since round 11"
"$DTM" analyze risk --operation demo-nga --round 12 --level admin1 --db "$OUT/opendtm.db" \
  | tee "$OUT/risk-by-state-round12.txt" | tail -4
"$DTM" analyze risk --operation demo-nga --round 12 --format csv --db "$OUT/opendtm.db" \
  >"$OUT/risk-sites-round12.csv"
"$DTM" analyze rollup --operation demo-nga --round 12 --level admin1 --format json \
  --db "$OUT/opendtm.db" >"$OUT/rollup-state-round12.json"
"$DTM" analyze trends --operation demo-nga --round 11-12 --level admin1 --format csv \
  --db "$OUT/opendtm.db" >"$OUT/trends-state-round11-12.csv"
"$DTM" analyze rollup --level region --format json --db "$OUT/opendtm.db" >"$OUT/rollup-regions-latest.json"

echo "== 7. Alerts raised by the ingests (urgent values, sites now at very high GBV risk)"
"$DTM" alerts list --operation demo-nga --format csv --db "$OUT/opendtm.db" >"$OUT/alerts.csv"
echo "$(($(wc -l <"$OUT/alerts.csv") - 1)) open alerts in $OUT/alerts.csv (dtm alerts list|ack|close)"

echo
echo "Demo output in $OUT/:"
ls -l "$OUT"
