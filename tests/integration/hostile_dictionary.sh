#!/usr/bin/env bash
# Classes come from the operation (spec/disclosure.md, issue 13 point 3): a
# partner who brings a dictionary re-marking security_on_site,
# incidents_reported, women_feel_safe and uasc as public — through
# --dictionary, OPENDTM_DICTIONARY or ./dictionary/dtm-default.yaml in the
# current directory — still receives none of them on site rows; a new
# version registered with `dtm operation dictionary` may raise a class (in
# force at once) and never lower one.
# usage: hostile_dictionary.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
DEFAULT="$SRC/dictionary/dtm-default.yaml"
HIDDEN="security_on_site incidents_reported women_feel_safe uasc"

# edit_classes DEST VERSION NAME=CLASS…: the default dictionary with a new
# version and the classes given.
edit_classes() {
  /usr/bin/python3 - "$DEFAULT" "$@" <<'PY'
import re, sys
src, dest, version = sys.argv[1:4]
text = open(src).read()
text = re.sub(r'^version: .*$', 'version: "%s"' % version, text, count=1, flags=re.M)
for item in sys.argv[4:]:
    name, cls = item.split('=')
    at = text.index('  - name: %s\n' % name)
    found = re.compile(r'^    class: \w+$', re.M).search(text, at)
    text = text[:found.start()] + '    class: ' + cls + text[found.end():]
open(dest, 'w').write(text)
PY
}

# site_values CSV NAME…: how many site rows hold a value of one of NAMES (the
# indicator's own column, or one of its per-choice columns).
site_values() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, sys
path, names = sys.argv[1], sys.argv[2:]
rows = [r for r in csv.DictReader(open(path, newline='')) if r['level'] == 'site']
assert rows, 'no site rows in ' + path
def watched(column):
    return not column.endswith('__flag') and any(
        column == n or column.startswith(n + '=') for n in names)
print(sum(1 for r in rows if any(v.strip() for c, v in r.items() if watched(c))))
PY
}

# partner_export OUT [ARGS…]: round 1 at site level for the partner tier.
partner_export() {
  local out=$1; shift
  "$DTM" export --operation demo-nga --round 1 --level site --tier partner --format csv \
    --purpose "hostile dictionary test" -o "$out" "$@"
}

# 1. The demo, and the export every other one is compared with.
run 0 "$WORK/demo.out" -- "$DTM" demo --sites 200 --rounds 2 --data "$WORK/data"
run 0 "$WORK/plain.out" -- partner_export "$WORK/plain.csv"
expect_eq "site rows of the plain export with hidden values" "$(site_values "$WORK/plain.csv" $HIDDEN)" 0
expect_eq "site rows with lighting (public)" "$(site_values "$WORK/plain.csv" lighting)" 200

edit_classes "$WORK/hostile.yaml" 2026.11.2 security_on_site=public incidents_reported=public \
  women_feel_safe=public uasc=public
run 0 "$WORK/hostile-check.out" -- "$DTM" dictionary check "$WORK/hostile.yaml"

# 2. --dictionary is refused by every data command.
run 2 "$WORK/flag.out" -- partner_export "$WORK/flag.csv" --dictionary "$WORK/hostile.yaml"
expect_line "$WORK/flag.out" 'dictionary its store holds'
[[ ! -e "$WORK/flag.csv" ]] || fail "--dictionary wrote an export"
run 2 "$WORK/flag-rollup.out" -- "$DTM" analyze rollup --operation demo-nga --round 1 \
  --level admin1 --dictionary "$WORK/hostile.yaml"

# 3. OPENDTM_DICTIONARY changes nothing.
OPENDTM_DICTIONARY="$WORK/hostile.yaml" run 0 "$WORK/env.out" -- partner_export "$WORK/env.csv"
expect_eq "site rows with hidden values (OPENDTM_DICTIONARY)" \
  "$(site_values "$WORK/env.csv" $HIDDEN)" 0

# 4. Nor does ./dictionary/dtm-default.yaml in the current directory.
mkdir -p "$WORK/cwd/dictionary"
cp "$WORK/hostile.yaml" "$WORK/cwd/dictionary/dtm-default.yaml"
(cd "$WORK/cwd" && run 0 "$WORK/cwd.out" -- partner_export "$WORK/cwd.csv")
expect_eq "site rows with hidden values (./dictionary)" "$(site_values "$WORK/cwd.csv" $HIDDEN)" 0
cmp -s "$WORK/plain.csv" "$WORK/env.csv" || fail "OPENDTM_DICTIONARY changed the export"
cmp -s "$WORK/plain.csv" "$WORK/cwd.csv" || fail "./dictionary changed the export"

# 5. The operation's dictionary: the built-in default, version 1.
run 0 "$WORK/show.out" -- "$DTM" operation dictionary demo-nga
expect_line "$WORK/show.out" "^version 1: dictionary 2026.11.1, sha256 $(sha256sum "$DEFAULT" | cut -c1-64), registered .* by opendtm$"

# 6. A version that lowers classes is refused, and the refusal audited.
run 1 "$WORK/lower.out" -- "$DTM" operation dictionary demo-nga "$WORK/hostile.yaml"
for name in $HIDDEN; do
  expect_line "$WORK/lower.out" "lowers the class of indicator $name from (sensitive|urgent) to public"
done
expect_eq "audited refusals" \
  "$(q "SELECT count(*) FROM audit_log WHERE dataset = 'operation_dictionary' AND outcome = 'refused'")" 1
expect_eq "dictionary versions after the refusal" \
  "$(q "SELECT max(version) FROM operation_dictionaries")" 1

# 7. Only an operation_admin registers one.
run 0 "$WORK/org.out" -- "$DTM" org add Partners --clusters cccm
run 0 "$WORK/user.out" -- "$DTM" user add rania --org Partners --tier demo-nga=partner
edit_classes "$WORK/raised.yaml" 2026.11.2 lighting=sensitive
run 1 "$WORK/partner.out" -- "$DTM" operation dictionary demo-nga "$WORK/raised.yaml" --as rania
expect_line "$WORK/partner.out" 'operation_admin'
expect_eq "dictionary versions after the partner's try" \
  "$(q "SELECT max(version) FROM operation_dictionaries")" 1

# 8. A version that raises a class is in force at once, audited, stored resolved.
run 0 "$WORK/raise.out" -- "$DTM" operation dictionary demo-nga "$WORK/raised.yaml"
expect_line "$WORK/raise.out" '^dictionary 2026.11.2 in force for demo-nga \(NGA\) as version 2, sha256 '
expect_eq "audited registrations" \
  "$(q "SELECT count(*) FROM audit_log WHERE dataset = 'operation_dictionary' AND outcome = 'allowed'")" 1
expect_eq "stored hash" "$(q "SELECT content_hash FROM operation_dictionaries WHERE version = 2")" \
  "$(sha256sum "$WORK/raised.yaml" | cut -c1-64)"
run 0 "$WORK/raised-export.out" -- partner_export "$WORK/raised.csv"
expect_eq "site rows with lighting once raised" "$(site_values "$WORK/raised.csv" lighting)" 0
expect_eq "site rows with hidden values once raised" "$(site_values "$WORK/raised.csv" $HIDDEN)" 0

# 9. The table refuses edits, even through raw SQL.
sqlite3 "$OPENDTM_DB" "UPDATE operation_dictionaries SET content = 'x'" 2>"$WORK/sql.err" &&
  fail "operation_dictionaries accepted an UPDATE"
expect_line "$WORK/sql.err" 'never changed'

finish hostile_dictionary
