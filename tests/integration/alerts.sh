#!/usr/bin/env bash
# Alerts with a status: the urgent values and the sites whose GBV risk band
# became very_high that ingests raise, checked against counts computed
# independently (SQL over the stored values; dtm analyze risk of each round),
# then dtm alerts list / ack / close, re-ingests, undo and rounds ingested out
# of order.
# usage: alerts.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh" "$@"
export USER=cp-officer
PYTHON=/usr/bin/python3
OP=demo-nga
DATA="$WORK/data"
# The alerts of an operation as JSON (every status), into FILE.
alerts_json() { "$DTM" alerts list --operation "$1" --status all --format json >"$2"; }
op_id() { q "SELECT id FROM operations WHERE name = '$1'"; }
round_file() { printf '%s/round-%02d.csv' "$DATA" "$1"; }

# Urgent alerts, counted from the stored values of active batches: one per
# round, assessment type, site and urgent indicator (uasc > 0, recruiters
# "yes"), every stored row counted (quarantined ones too: an alert never
# waits for a correction), and one per row for rows without a site ID.
urgent_expected() {
  local op
  op=$(op_id "$1")
  q "WITH stored AS (SELECT s.* FROM submissions s JOIN batches b ON b.id = s.batch_id
                     WHERE b.state = 'active' AND s.operation_id = $op),
          urgent AS (SELECT round, assessment_type, site_id, 'uasc' AS indicator, id FROM stored
                     WHERE uasc > 0
                     UNION ALL
                     SELECT round, assessment_type, site_id, 'recruiters_visit', id FROM stored
                     WHERE recruiters_visit = 'yes')
     SELECT (SELECT count(*) FROM (SELECT DISTINCT round, assessment_type, site_id, indicator
                                   FROM urgent WHERE site_id <> ''))
          + (SELECT count(*) FROM urgent WHERE site_id = '')"
}

# The sites of round N that are very_high and were not in round P (another
# band, or not reported), from dtm analyze risk of both rounds, as
# "site:previous band" ("-" when not reported), sorted.
risk_expected() {  # OP P N
  "$DTM" analyze risk --operation "$1" --round "$2" --format json >"$WORK/risk-$1-$2.json" ||
    fail "analyze risk round $2"
  "$DTM" analyze risk --operation "$1" --round "$3" --format json >"$WORK/risk-$1-$3.json" ||
    fail "analyze risk round $3"
  $PYTHON - "$WORK/risk-$1-$2.json" "$WORK/risk-$1-$3.json" <<'EOF'
import json, sys
def bands(path):
    return {site['site_id']: site['band'] for site in json.load(open(path))['sites']}  # last row wins
before, after = bands(sys.argv[1]), bands(sys.argv[2])
print(' '.join(sorted(f"{site}:{before.get(site, '-')}" for site, band in after.items()
                      if band == 'very_high' and before.get(site) != 'very_high')))
EOF
}

# The stored risk alerts of round N (of the alerts JSON in FILE), as above.
risk_stored() {  # FILE N
  json "$1" "' '.join(sorted(a['site_id'] + ':' + (a['previous_value'] or '-') for a in d if a['rule'] == 'risk_very_high' and a['round'] == $2))"
}

# ---- 1. The demo operation: 300 sites, 3 rounds, each ingested in order -------
run 0 "$WORK/demo.out" -- "$DTM" demo --sites 300 --rounds 3 --data "$DATA"
alerts_json "$OP" "$WORK/alerts.json"
total=$(json "$WORK/alerts.json" "len(d)")
urgent=$(json "$WORK/alerts.json" "sum(a['rule'] == 'urgent_alert' for a in d)")
expect_eq "urgent alerts = urgent values stored" "$urgent" "$(urgent_expected "$OP")"
((urgent > 0)) || fail "the demo raised no urgent alert: nothing was checked"
expect_eq "every alert is new" "$(json "$WORK/alerts.json" "sorted({a['status'] for a in d})")" "['new']"
expect_eq "urgent alerts name their indicator" \
  "$(json "$WORK/alerts.json" "sorted({a['indicator'] for a in d if a['rule'] == 'urgent_alert'})")" \
  "['recruiters_visit', 'uasc']"
expect_eq "no risk alert in the first round" \
  "$(json "$WORK/alerts.json" "sum(a['rule'] == 'risk_very_high' and a['round'] == 1 for a in d)")" 0
risk_total=0
for round in 2 3; do
  expected=$(risk_expected "$OP" $((round - 1)) $round)
  [[ -n "$expected" ]] || fail "round $round: no site became very_high: nothing was checked"
  expect_eq "round $round: risk alerts = analyze risk of rounds $((round - 1)) and $round" \
    "$(risk_stored "$WORK/alerts.json" $round)" "$expected"
  risk_total=$((risk_total + $(wc -w <<<"$expected")))
done
expect_eq "alerts = urgent + risk" "$total" $((urgent + risk_total))
expect_eq "risk alerts: score and previous round" \
  "$(json "$WORK/alerts.json" "all(a['score'] >= 0 and a['previous_round'] == a['round'] - 1 and a['value'] == 'very_high' and 'very_high in round' in a['message'] for a in d if a['rule'] == 'risk_very_high')")" True

# Undo hides a batch's alerts; ingesting the round again raises them again,
# and the ingest's JSON says how many.
op=$(op_id "$OP")
batch3=$(q "SELECT id FROM batches WHERE operation_id = $op AND round = 3 AND state = 'active'")
run 0 "$WORK/undo3.out" -- "$DTM" ingest undo "$batch3"
alerts_json "$OP" "$WORK/after-undo.json"
expect_eq "undo hides the batch's alerts (round 3)" \
  "$(json "$WORK/after-undo.json" "sum(a['round'] == 3 for a in d)")" 0
expect_eq "undo keeps the other rounds' alerts" "$(json "$WORK/after-undo.json" "len(d)")" \
  "$(json "$WORK/alerts.json" "sum(a['round'] != 3 for a in d)")"
"$DTM" ingest "$(round_file 3)" --operation "$OP" --round 3 --register-new-sites \
  --today 2099-12-31 --json >"$WORK/ingest3.json" 2>"$WORK/ingest3.err"
(($? <= 1)) || fail "re-ingest of round 3 after undo: $(cat "$WORK/ingest3.err")"
expect_eq "ingest JSON: urgent alerts of round 3" "$(json "$WORK/ingest3.json" "d['alerts']['urgent']")" \
  "$(json "$WORK/alerts.json" "sum(a['rule'] == 'urgent_alert' and a['round'] == 3 for a in d)")"
expect_eq "ingest JSON: risk alerts of round 3" "$(json "$WORK/ingest3.json" "d['alerts']['risk_very_high']")" \
  "$(json "$WORK/alerts.json" "sum(a['rule'] == 'risk_very_high' and a['round'] == 3 for a in d)")"
alerts_json "$OP" "$WORK/alerts.json"
expect_eq "alerts back after the round is ingested again" "$(json "$WORK/alerts.json" "len(d)")" "$total"

# ---- 2. Ingesting a file again raises nothing ---------------------------------
run 0 "$WORK/again.out" -- "$DTM" ingest "$(round_file 3)" --operation "$OP" --round 3 \
  --register-new-sites --today 2099-12-31
expect_line "$WORK/again.out" 'is already ingested in round 3'
"$DTM" ingest "$(round_file 2)" --operation "$OP" --round 2 --register-new-sites \
  --today 2099-12-31 --json >"$WORK/again.json" 2>&1
expect_eq "again (JSON): no alert" "$(json "$WORK/again.json" "d['alerts']")" \
  "{'urgent': 0, 'risk_very_high': 0}"
alerts_json "$OP" "$WORK/again-alerts.json"
expect_eq "no alert added by ingesting again" "$(json "$WORK/again-alerts.json" "len(d)")" "$total"

# ---- 3. list, ack, close -----------------------------------------------------
read -r first second < <(json "$WORK/alerts.json" "' '.join([str(a['id']) for a in d if a['rule'] == 'urgent_alert' and a['site_id']][:2])")
risk_id=$(json "$WORK/alerts.json" "[a['id'] for a in d if a['rule'] == 'risk_very_high'][0]")
run 0 "$WORK/list.out" -- "$DTM" alerts list --operation "$OP"
expect_line "$WORK/list.out" '^id +round +site +rule +detail +status +created$'
expect_line "$WORK/list.out" "^$first +[0-9]+ +[^ ]+ +urgent_alert +(uasc|recruiters_visit) = [^ ]+ +new +[0-9T:-]+Z$"
expect_line "$WORK/list.out" "^$risk_id +[0-9]+ +[^ ]+ +risk_very_high +[a-z_]+ -> very_high \([0-9.]+\) +new "
expect_line "$WORK/list.out" "^$total alerts \(new, acknowledged\)$"

run 0 "$WORK/ack.out" -- "$DTM" alerts ack "$first" --note "child protection partner informed"
expect_line "$WORK/ack.out" "^alert $first \(urgent_alert, site [^,]+, round [0-9]+\): acknowledged by cp-officer at [0-9T:-]+Z$"
run 1 "$WORK/ack-again.out" -- "$DTM" alerts ack "$first" --note "twice"
expect_line "$WORK/ack-again.out" "alert $first is already acknowledged"
# Moving an alert needs protection or operation_admin of its operation
# (issue 14): a public user, a partner and an unknown name are refused, and
# each refusal is audited; nothing moves.
"$DTM" org add "GBV AoR" --clusters gbv,protection >/dev/null
"$DTM" org add "HDX" --clusters public_information >/dev/null
"$DTM" user add gbv-lead --org "GBV AoR" --tier "$OP=operation_admin" >/dev/null
"$DTM" user add hdx.bot --org "HDX" >/dev/null
"$DTM" user add cccm.officer --org "HDX" --tier "$OP=partner" >/dev/null
for who in hdx.bot cccm.officer nobody; do
  run 1 "$WORK/refused-$who.out" -- "$DTM" alerts close "$risk_id" --note spam --as "$who"
done
expect_line "$WORK/refused-hdx.bot.out" "alert close of $OP .*needs tier protection or above, and hdx.bot acts with tier public"
expect_eq "refused moves audited" \
  "$(q "SELECT count(*) FROM audit_log WHERE dataset = 'alert close' AND outcome = 'refused' AND user IN ('hdx.bot', 'cccm.officer', 'nobody')")" 3
run 0 "$WORK/close.out" -- "$DTM" alerts close "$first" "$risk_id" --note "followed up" --as gbv-lead
expect_line "$WORK/close.out" "^alert $risk_id \(risk_very_high, .*\): closed by gbv-lead at "
run 1 "$WORK/reopen.out" -- "$DTM" alerts ack "$first" --note "reopen"
expect_line "$WORK/reopen.out" "alert $first is closed: it cannot become acknowledged \(allowed: new -> acknowledged, new -> closed, acknowledged -> closed\)"
run 1 "$WORK/unknown.out" -- "$DTM" alerts close 999999 "$second" --note "x"
expect_line "$WORK/unknown.out" 'alert 999999 not found'
expect_line "$WORK/unknown.out" "^alert $second \(urgent_alert.*: closed by cp-officer"
run 2 "$WORK/no-note.out" -- "$DTM" alerts ack "$first"
run 2 "$WORK/bad-id.out" -- "$DTM" alerts close x1 --note "x"
run 2 "$WORK/bad-status.out" -- "$DTM" alerts list --operation "$OP" --status open
run 3 "$WORK/no-op.out" -- "$DTM" alerts list --operation nowhere

# Who did what, and when, is kept.
alerts_json "$OP" "$WORK/moved.json"
expect_eq "history of the first alert" \
  "$(json "$WORK/moved.json" "[(h['from'], h['to'], h['who'], h['note']) for a in d if a['id'] == $first for h in a['history']]")" \
  "[('new', 'acknowledged', 'cp-officer', 'child protection partner informed'), ('acknowledged', 'closed', 'gbv-lead', 'followed up')]"
expect_eq "events in the database" "$(q "SELECT count(*) FROM alert_events")" 4
expect_eq "events are append-only" \
  "$(sqlite3 "$OPENDTM_DB" "DELETE FROM alert_events" 2>&1 | grep -c 'append-only')" 1

# Filters: by status and round.
"$DTM" alerts list --operation "$OP" --format csv >"$WORK/open.csv"
expect_eq "open alerts (csv)" "$(($(wc -l <"$WORK/open.csv") - 1))" $((total - 3))
"$DTM" alerts list --operation "$OP" --status closed --format json >"$WORK/closed.json"
expect_eq "closed alerts" "$(json "$WORK/closed.json" "sorted(a['id'] for a in d)")" \
  "$(json "$WORK/alerts.json" "sorted([$first, $second, $risk_id])")"
"$DTM" alerts list --operation "$OP" --status all --round 2 --format json >"$WORK/round2.json"
expect_eq "round 2 alerts" "$(json "$WORK/round2.json" "len(d)")" \
  "$(json "$WORK/alerts.json" "sum(a['round'] == 2 for a in d)")"
"$DTM" alerts list --operation "$OP" --status new,acknowledged,closed >"$WORK/all.out"
expect_line "$WORK/all.out" "^$total alerts \(new, acknowledged, closed\)$"

# ---- 4. Rounds ingested out of order: 1, 3, then 2 ----------------------------
OOO=late-rounds
run 0 "$WORK/ooo-op.out" -- "$DTM" operation create "$OOO" --country NGA
run 0 "$WORK/ooo-sites.out" -- "$DTM" sites import "$DATA/sites.csv" --operation "$OOO"
for round in 1 3; do
  "$DTM" ingest "$(round_file $round)" --operation "$OOO" --round $round --register-new-sites \
    --today 2099-12-31 --json >"$WORK/ooo-$round.json" 2>"$WORK/ooo-$round.err"
  (($? <= 1)) || fail "out of order: ingest of round $round: $(cat "$WORK/ooo-$round.err")"
done
# Round 2 on the terminal: the summary ends with the alerts it raised.
"$DTM" ingest "$(round_file 2)" --operation "$OOO" --round 2 --register-new-sites \
  --today 2099-12-31 >"$WORK/ooo-2.out" 2>"$WORK/ooo-2.err"
(($? <= 1)) || fail "out of order: ingest of round 2: $(cat "$WORK/ooo-2.err")"
expect_line "$WORK/ooo-2.out" '^  alerts raised: [0-9]+ urgent, [0-9]+ sites now very_high GBV risk \(dtm alerts list\)$'
raised2=$(sed -nE 's/^  alerts raised: [0-9]+ urgent, ([0-9]+) sites.*/\1/p' "$WORK/ooo-2.out")
alerts_json "$OOO" "$WORK/ooo.json"
expect_eq "out of order: urgent alerts = urgent values stored" \
  "$(json "$WORK/ooo.json" "sum(a['rule'] == 'urgent_alert' for a in d)")" "$(urgent_expected "$OOO")"
expect_eq "out of order: round 2 against round 1" "$(risk_stored "$WORK/ooo.json" 2)" \
  "$(risk_expected "$OOO" 1 2)"
# Round 3 was compared with round 1 when it came, then with round 2: both
# comparisons' alerts, once per site (the one raised first stays).
expected3=$($PYTHON - "$(risk_expected "$OOO" 1 3)" "$(risk_expected "$OOO" 2 3)" <<'EOF'
import sys
first = dict(item.split(':') for item in sys.argv[1].split())
for site, band in (item.split(':') for item in sys.argv[2].split()):
    first.setdefault(site, band)
print(' '.join(sorted(f'{site}:{band}' for site, band in first.items())))
EOF
)
expect_eq "out of order: round 3 against rounds 1 and 2" "$(risk_stored "$WORK/ooo.json" 3)" "$expected3"
expect_eq "out of order: round 2's ingest raised its own and round 3's new alerts" "$raised2" \
  "$(json "$WORK/ooo.json" "sum(a['rule'] == 'risk_very_high' and (a['round'] == 2 or a['previous_round'] == 2) for a in d)")"

finish "alerts"
