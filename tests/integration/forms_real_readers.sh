#!/usr/bin/env bash
# The forms `dtm dictionary export` writes for the real default dictionary, read
# by real readers that nobody here wrote:
#   - the XForm by ODK's own engine (@getodk/xforms-engine, npm, under Node with
#     jsdom): it must load, hold every dictionary indicator, and behave
#     (constraints, relevance, SADD warnings, geopoint, P-code cascades);
#   - the XLSForm by openpyxl (Debian's python3-openpyxl): sheets, exact columns,
#     every indicator and choice, settings, cascades against the gazetteer.
# usage: forms_real_readers.sh DTM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
DTM=$1; SRC=$2; WORK=$3
GAZETTEER="$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv"
INTEROP="$SRC/tests/interop"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"

if [[ ! -d "$INTEROP/node_modules/@getodk/xforms-engine" ]]; then
  echo "FAIL: ODK's engine is not installed: run scripts/install-deps.sh (npm install in tests/interop)"
  exit 1
fi
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
  echo "FAIL: $PY cannot import openpyxl: run scripts/install-deps.sh (python3-openpyxl)"
  exit 1
fi

run() { echo "+ $*"; "$@"; }

# 1. The exports, with the CLI's real flags.
run "$DTM" dictionary export --format json -o "$WORK/dictionary.json"
run "$DTM" dictionary export --format xlsform -o "$WORK/form.xlsx" --lang en,fr \
  --gazetteer "$GAZETTEER" --country NGA
run "$DTM" dictionary export --format xform -o "$WORK/form.xml" --lang en,fr \
  --gazetteer "$GAZETTEER" --country NGA
# Without a gazetteer the P-codes are checked text questions.
run "$DTM" dictionary export --format xlsform -o "$WORK/plain.xlsx"
run "$DTM" dictionary export --format xform -o "$WORK/plain.xml"
leftovers=$(find "$WORK" -name '.*.tmp-*' | wc -l)
if [[ $leftovers -ne 0 ]]; then echo "FAIL: $leftovers temporary files left in $WORK"; exit 1; fi

# 2. ODK's engine.
run node "$INTEROP/check_xform.mjs" "$WORK/form.xml" "$WORK/dictionary.json" --country NGA --languages en,fr
run node "$INTEROP/check_xform.mjs" "$WORK/plain.xml" "$WORK/dictionary.json" --languages en

# 3. openpyxl.
run "$PY" "$INTEROP/check_xlsform.py" "$WORK/form.xlsx" "$WORK/dictionary.json" --languages en,fr \
  --gazetteer-country NGA --gazetteer "$GAZETTEER"
run "$PY" "$INTEROP/check_xlsform.py" "$WORK/plain.xlsx" "$WORK/dictionary.json" --languages en

# 4. The checkers catch a broken form (so that a pass above means something).
sed 's|selected-at(/data/site/location, 0)|selected-at(/data/site/location, 1)|' "$WORK/form.xml" \
  >"$WORK/broken.xml"
if node "$INTEROP/check_xform.mjs" "$WORK/broken.xml" "$WORK/dictionary.json" >"$WORK/broken.log" 2>&1; then
  echo "FAIL: check_xform.mjs accepted a form whose latitude is the longitude"; exit 1
fi
grep -q 'latitude = first part of the geopoint' "$WORK/broken.log"
sed 's|/data/site/sma_exists = '"'"'yes'"'"'|/data/site/sma_exists = = '"'"'yes'"'"'|' "$WORK/form.xml" \
  >"$WORK/bad-xpath.xml"
if node "$INTEROP/check_xform.mjs" "$WORK/bad-xpath.xml" "$WORK/dictionary.json" >"$WORK/bad-xpath.log" 2>&1; then
  echo "FAIL: check_xform.mjs accepted a form with a broken XPath expression"; exit 1
fi
grep -q 'did not load' "$WORK/bad-xpath.log"

echo "forms_real_readers: 4 passed, 0 failed"
