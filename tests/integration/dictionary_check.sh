#!/usr/bin/env bash
# `dtm dictionary check` and `diff` on the real default dictionary and on copies
# edited with PyYAML (a YAML tool nobody here wrote), as the issue's "done when"
# lists them.
# usage: dictionary_check.sh DTM_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
DTM=$1; SRC=$2; WORK=$3
DICT="$SRC/dictionary/dtm-default.yaml"
PY=/usr/bin/python3
rm -rf "$WORK" && mkdir -p "$WORK"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_EXIT OUTPUT_FILE -- command...
run() {
  local expected=$1 output=$2; shift 3
  "$@" >"$output" 2>&1
  local code=$?
  if [[ $code -ne $expected ]]; then
    fail "expected exit $expected, got $code: $*"; sed 's/^/    /' "$output"
  fi
}
expect_line() {  # FILE REGEX
  grep -Eq -- "$2" "$1" || { fail "no line matching '$2' in output of $1"; sed 's/^/    /' "$1"; }
}

# edit SRC DEST PYTHON-STATEMENTS (d is the loaded dictionary)
edit() {
  "$PY" - "$1" "$2" "$3" <<'PYEOF'
import sys, yaml
src, dest, code = sys.argv[1], sys.argv[2], sys.argv[3]
d = yaml.safe_load(open(src, encoding="utf-8"))
def find(name):
    return next(i for i in d["indicators"] if i["name"] == name)
exec(code)
yaml.safe_dump(d, open(dest, "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
PYEOF
}

# 1. The default dictionary is clean and has 22 scored GBV indicators in 4 domains.
run 0 "$WORK/default.out" -- "$DTM" dictionary check "$DICT"
expect_line "$WORK/default.out" '^22 scored GBV indicators in 4 domains$'
expect_line "$WORK/default.out" 'rule 3 .*not yet checked'
# Without FILE it checks the default dictionary too.
pushd "$SRC" >/dev/null
run 0 "$WORK/noarg.out" -- "$DTM" dictionary check
popd >/dev/null
expect_line "$WORK/noarg.out" '^22 scored GBV indicators in 4 domains$'

# 2. A PyYAML round trip changes nothing: tools can read and edit copies.
edit "$DICT" "$WORK/roundtrip.yaml" "pass"
run 0 "$WORK/roundtrip.out" -- "$DTM" dictionary check "$WORK/roundtrip.yaml" --previous "$DICT"
expect_line "$WORK/roundtrip.out" '^22 scored GBV indicators in 4 domains$'

# 3. A copy without one scored item counts 21.
edit "$DICT" "$WORK/minus-one.yaml" "d['indicators'].remove(find('psea_awareness'))"
run 0 "$WORK/minus-one.out" -- "$DTM" dictionary check "$WORK/minus-one.yaml"
expect_line "$WORK/minus-one.out" '^21 scored GBV indicators in 4 domains$'
# ... and removing it breaks the versions-only-add rule.
run 1 "$WORK/minus-one-prev.out" -- "$DTM" dictionary check "$WORK/minus-one.yaml" --previous "$DICT"
expect_line "$WORK/minus-one-prev.out" 'dictionary-version: removed indicator psea_awareness'

# 4. A free-text question in the protection module is refused, naming rule and indicator.
edit "$DICT" "$WORK/free-text.yaml" "d['indicators'].append({'name': 'protection_notes', 'code': 'x.99.1', 'module': 'protection', 'label': {'en': 'Describe protection concerns'}, 'type': 'text', 'class': 'sensitive', 'aggregate': 'none', 'indicator_type': 'mission'})"
run 1 "$WORK/free-text.out" -- "$DTM" dictionary check "$WORK/free-text.yaml"
expect_line "$WORK/free-text.out" "^$WORK/free-text.yaml:[0-9]+: gbv-free-text: protection_notes: "

# 5. A pii GBV field is refused.
edit "$DICT" "$WORK/pii.yaml" "find('women_feel_safe')['class'] = 'pii'"
run 1 "$WORK/pii.out" -- "$DTM" dictionary check "$WORK/pii.yaml"
expect_line "$WORK/pii.out" "^$WORK/pii.yaml:[0-9]+: gbv-pii: women_feel_safe: "

# 6. A question about an individual is refused.
edit "$DICT" "$WORK/individual.yaml" "d['indicators'].append({'name': 'survivor_age', 'code': 'x.99.2', 'module': 'gbv_risk', 'label': {'en': 'Age of the survivor'}, 'type': 'integer', 'class': 'sensitive', 'aggregate': 'mean', 'indicator_type': 'mission', 'risk': {'domain': 'security', 'ranges': [{'min': 0, 'points': 0}]}})"
run 1 "$WORK/individual.out" -- "$DTM" dictionary check "$WORK/individual.yaml"
expect_line "$WORK/individual.out" "gbv-individual: survivor_age: "

# 7. Dropping a choice: check --previous and diff exit 1 and name the choice.
edit "$DICT" "$WORK/drop-choice.yaml" "
d['version'] = '2026.12.1'
d['choice_lists']['lighting'] = [c for c in d['choice_lists']['lighting'] if c['name'] != 'none']
del find('lighting')['risk']['points']['none']"
run 1 "$WORK/drop-check.out" -- "$DTM" dictionary check "$WORK/drop-choice.yaml" --previous "$DICT"
expect_line "$WORK/drop-check.out" 'dictionary-version: removed choice lighting/none$'
run 1 "$WORK/drop-diff.out" -- "$DTM" dictionary diff "$DICT" "$WORK/drop-choice.yaml"
expect_line "$WORK/drop-diff.out" 'removed choice lighting/none$'

# 8. Adding an indicator with a newer version is allowed; diff lists it.
edit "$DICT" "$WORK/added.yaml" "
d['version'] = '2026.12.1'
d['indicators'].append({'name': 'fuel_available', 'code': 'x.99.3', 'module': 'services', 'label': {'en': 'Is cooking fuel available?', 'fr': 'Le combustible est-il disponible ?'}, 'type': 'select_one yes_no_unknown', 'class': 'public', 'aggregate': 'share_of_sites', 'indicator_type': 'optional'})"
run 0 "$WORK/added-check.out" -- "$DTM" dictionary check "$WORK/added.yaml" --previous "$DICT"
run 0 "$WORK/added-diff.out" -- "$DTM" dictionary diff "$DICT" "$WORK/added.yaml"
expect_line "$WORK/added-diff.out" 'added indicator fuel_available$'

# 9. An operation's extension adds mission indicators on top of the default one.
cat >"$WORK/nga.yaml" <<YAML
extends: $DICT
operation: nga
version: 2026.11.1-nga.1
choice_lists:
  fuel:
    - {name: firewood, label: {en: Firewood, fr: Bois de chauffe}}
    - {name: charcoal, label: {en: Charcoal, fr: Charbon de bois}}
indicators:
  - name: cooking_fuel
    module: services
    label: {en: Main cooking fuel, fr: Principal combustible de cuisson}
    type: select_one fuel
    class: public
    aggregate: share_of_sites
    indicator_type: mission
YAML
run 0 "$WORK/nga.out" -- "$DTM" dictionary check "$WORK/nga.yaml"
expect_line "$WORK/nga.out" '^22 scored GBV indicators in 4 domains$'
sed 's/indicator_type: mission/indicator_type: core/' "$WORK/nga.yaml" >"$WORK/nga-core.yaml"
run 1 "$WORK/nga-core.out" -- "$DTM" dictionary check "$WORK/nga-core.yaml"
expect_line "$WORK/nga-core.out" "nga-core.yaml:[0-9]+: indicator cooking_fuel: an operation's indicators must have indicator_type: mission"

# 10. A broken file: the load error names file, line, indicator and problem.
edit "$DICT" "$WORK/broken.yaml" "find('lighting')['type'] = 'select_one lightin'"
run 1 "$WORK/broken.out" -- "$DTM" dictionary check "$WORK/broken.yaml"
expect_line "$WORK/broken.out" "broken.yaml:[0-9]+: indicator lighting: unknown choice list 'lightin'"

# 11. Usage errors exit 2.
run 2 "$WORK/usage.out" -- "$DTM" dictionary check "$DICT" --previus "$DICT"
expect_line "$WORK/usage.out" 'unknown option --previus'

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "dictionary check: all cases passed"
