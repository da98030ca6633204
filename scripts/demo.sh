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

echo "== 8. Dissemination: who reads what, through tiers, small-cell suppression and the audit log"
DB=(--db "$OUT/opendtm.db")
"$DTM" org add "GBV AoR Nigeria" --clusters gbv,protection "${DB[@]}"
"$DTM" org add "CCCM Cluster Partner" --clusters cccm,shelter "${DB[@]}"
"$DTM" org add "HDX" --clusters public_information "${DB[@]}"
"$DTM" user add gbv.coordinator --org "GBV AoR Nigeria" --tier "demo-nga=protection" "${DB[@]}"
"$DTM" user add cccm.officer --org "CCCM Cluster Partner" --tier "demo-nga=partner" "${DB[@]}"
"$DTM" user add hdx.bot --org "HDX" "${DB[@]}"
"$DTM" dsa add DSA-NGA-2026-01 --org "GBV AoR Nigeria" --operation demo-nga --tier protection \
  --from 2026-01-01 --to 2027-12-31 --purpose "GBV risk mitigation and referral planning" "${DB[@]}"
echo "The public admin-2 table (every district's IDP total), audited exactly (--verify):"
"$DTM" export --operation demo-nga --round 12 --level admin2 --tier public --format hxl \
  -o "$OUT/public-admin2.hxl.csv" --purpose "HDX publication" --as hdx.bot --verify "${DB[@]}"
"$DTM" export --operation demo-nga --round 12 --level site,admin3,admin2,admin1 --tier partner \
  --format xlsx -o "$OUT/partner.xlsx" --purpose "CCCM site planning" --as cccm.officer "${DB[@]}"
"$DTM" export --operation demo-nga --round 12 --level site --tier protection --format geojson \
  -o "$OUT/protection-sites.geojson" --purpose "GBV safety audits" --as gbv.coordinator "${DB[@]}"
echo "A site-level export to public is refused (exit 1), and the refusal is audited:"
"$DTM" export --operation demo-nga --round 12 --level site --tier public --format csv \
  -o "$OUT/refused.csv" --purpose "test" --as hdx.bot "${DB[@]}" || true
"$DTM" audit verify "${DB[@]}"
echo
echo "Demo output in $OUT/:"
ls -l "$OUT"

echo
echo "== 9. How other clusters use demo-nga's data (from the audit log)"
"$DTM" usage report --operation demo-nga --by cluster "${DB[@]}"
