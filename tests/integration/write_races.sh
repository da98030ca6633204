#!/usr/bin/env bash
# Writers that cannot collide (issue 14, point 3). Each pair of writers is
# started at once, several times, on a fresh copy of one small demo database,
# and must end as if run one after the other, in one order or the other: the
# same batches, accepted rows and totals, quarantine, alerts and their
# statuses, cleaning log and master list as a sequential run, never a site
# stored twice in a round, an intact database and audit chain. Pairs: two
# ingests of one file, an ingest and an overlapping file, an ingest and
# `dtm correct`, an ingest and `dtm alerts ack`, two `dtm sites import`. Then
# 40 audited reads at once all succeed with an intact audit chain, and -o onto
# each file of the store is refused with the store intact.
# usage: write_races.sh DTM_BINARY SOURCE_DIR WORK_DIR
# WRITE_RACES_REPEAT=N races each pair N times (default 3; the issue's soak
# is 20 in a row).
source "$(dirname "$0")/lib/common.sh" "$@"
export USER=race-officer
REPEAT=${WRITE_RACES_REPEAT:-3}
OP=demo-nga
DATA="$WORK/data"
GAZETTEER="$SRC/../shared/data/real/global-pcodes-adm-1-2.hxl.csv"

# reset DB: no database, journal or audit file at DB.
reset() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1".audit-*; }
# copy_db FROM TO: a database no process has open, with its audit files.
copy_db() {
  reset "$2"
  local suffix
  for suffix in "" .audit-key .audit-head; do
    [[ -e "$1$suffix" ]] && cp "$1$suffix" "$2$suffix"
  done
}

# writer DB KIND ARGS…: one writer of the pairs, on DB.
writer() {
  local db=$1
  shift
  case $1 in
    ingest)  # FILE ROUND
      "$DTM" ingest "$DATA/$2" --db "$db" --operation "$OP" --round "$3" --register-new-sites \
        --today 2099-12-31 ;;
    correct)  # SITE NAME=VALUE (round 1)
      "$DTM" correct --db "$db" --operation "$OP" --site "$2" --round 1 --set "$3" \
        --reason "race test" ;;
    ack)  # ALERT_ID
      "$DTM" alerts ack "$2" --db "$db" --note "race test" ;;
    import)  # FILE
      "$DTM" sites import "$DATA/$2" --db "$db" --operation "$OP" ;;
  esac
}

# state_of DB: what the writers left, without ids and times.
state_of() {
  sqlite3 "$1" "
    SELECT 'integrity ' || integrity_check FROM pragma_integrity_check;
    SELECT 'batches ' || count(*) FROM batches WHERE state = 'active';
    SELECT 'accepted ' || count(*) || ', ind_total ' || coalesce(sum(s.ind_total), 0)
      FROM submissions s JOIN batches b ON b.id = s.batch_id
      WHERE b.state = 'active' AND s.state = 'accepted';
    SELECT 'sites stored twice in a round ' || count(*) FROM (
      SELECT 1 FROM submissions WHERE state = 'accepted' AND site_id <> ''
      GROUP BY operation_id, round, assessment_type, site_id HAVING count(*) > 1);
    SELECT 'submissions ' || state || ' ' || count(*) FROM submissions GROUP BY state;
    SELECT 'quarantine ' || count(*) FROM quarantine q JOIN batches b ON b.id = q.batch_id
      WHERE b.state = 'active';
    SELECT 'alert ' || a.round || ' ' || a.site_id || ' ' || a.rule || ' ' || a.indicator || ' '
           || a.status
      FROM alerts a JOIN batches b ON b.id = a.batch_id WHERE b.state = 'active'
      ORDER BY a.round, a.site_id, a.rule, a.indicator;
    SELECT 'alert events ' || count(*) FROM alert_events;
    SELECT 'cleaning log ' || rule || ' ' || count(*) FROM cleaning_log GROUP BY rule;
    SELECT 'lighting of NGA-000001 in round 1: ' || coalesce(lighting, '') FROM submissions
      WHERE site_id = 'NGA-000001' AND round = 1 AND state = 'accepted';
    SELECT 'site ' || site_id || ' ' || name || ' ' || adm1_pcode || ' ' || status FROM sites
      ORDER BY site_id;
    SELECT 'site status changes ' || count(*) FROM site_status_changes;
    SELECT 'site field changes ' || count(*) FROM site_field_changes;"
}

# expect_audit_intact DB NAME
expect_audit_intact() {
  "$DTM" audit verify --db "$1" >"$WORK/verify.out" 2>&1 ||
    { fail "$2: dtm audit verify"; sed 's/^/    /' "$WORK/verify.out"; }
}

# pair NAME BASE "WRITER A" "WRITER B" [CHECK]: runs A then B and B then A on
# copies of BASE, then races them REPEAT times; each race must leave the state
# of one of the two orders. CHECK, a function, is given the two outputs.
pair() {
  local name=$1 base=$2 spec_a=$3 spec_b=$4 check=${5:-}
  local db="$WORK/$name.db" order first second rep
  for order in ab ba; do
    copy_db "$base" "$db"
    if [[ $order == ab ]]; then first=$spec_a second=$spec_b; else first=$spec_b second=$spec_a; fi
    # shellcheck disable=SC2086  # a writer spec is words
    writer "$db" $first >"$WORK/$name-$order-1.out" 2>&1
    (($? <= 1)) || fail "$name ($order): $first: $(cat "$WORK/$name-$order-1.out")"
    writer "$db" $second >"$WORK/$name-$order-2.out" 2>&1
    (($? <= 1)) || fail "$name ($order): $second: $(cat "$WORK/$name-$order-2.out")"
    state_of "$db" >"$WORK/$name-$order.state"
  done
  expect_line "$WORK/$name-ab.state" '^integrity ok$'
  expect_line "$WORK/$name-ab.state" '^sites stored twice in a round 0$'
  for ((rep = 1; rep <= REPEAT; rep++)); do
    copy_db "$base" "$db"
    # shellcheck disable=SC2086
    writer "$db" $spec_a >"$WORK/$name-a.out" 2>&1 &
    local pid_a=$!
    # shellcheck disable=SC2086
    writer "$db" $spec_b >"$WORK/$name-b.out" 2>&1 &
    local pid_b=$!
    wait $pid_a
    local code_a=$?
    wait $pid_b
    local code_b=$?
    ((code_a <= 1)) || fail "$name race $rep: $spec_a exited $code_a: $(cat "$WORK/$name-a.out")"
    ((code_b <= 1)) || fail "$name race $rep: $spec_b exited $code_b: $(cat "$WORK/$name-b.out")"
    state_of "$db" >"$WORK/$name-race.state"
    if ! cmp -s "$WORK/$name-race.state" "$WORK/$name-ab.state" &&
       ! cmp -s "$WORK/$name-race.state" "$WORK/$name-ba.state"; then
      fail "$name race $rep: the state is neither A-then-B's nor B-then-A's"
      diff "$WORK/$name-ab.state" "$WORK/$name-race.state" | head -20 | sed 's/^/    /'
      cp "$WORK/$name-race.state" "$WORK/$name-race-$rep.state"
    fi
    [[ -n "$check" ]] && "$check" "$WORK/$name-a.out" "$WORK/$name-b.out" "$name race $rep"
    expect_audit_intact "$db" "$name race $rep"
  done
}

# ---- Setup: the demo operation's files, a master list, round 1 ----------------
run 0 "$WORK/demo.out" -- "$DTM" demo --out "$DATA" --sites 300 --rounds 2
BASE0="$WORK/base0.db"  # the operation and its master list, nothing ingested
reset "$BASE0"
"$DTM" admin import "$GAZETTEER" --db "$BASE0" >"$WORK/admin.out" 2>&1
(($? <= 1)) || fail "admin import: $(cat "$WORK/admin.out")"
run 0 "$WORK/operation.out" -- "$DTM" operation create "$OP" --country NGA --db "$BASE0"
writer "$BASE0" import sites.csv >"$WORK/sites.out" 2>&1 || fail "sites import: $(cat "$WORK/sites.out")"
BASE1="$WORK/base1.db"  # and round 1 ingested
copy_db "$BASE0" "$BASE1"
writer "$BASE1" ingest round-01.csv 1 >"$WORK/round1.out" 2>&1
(($? <= 1)) || fail "ingest round 1: $(cat "$WORK/round1.out")"
# A later export of round 1: rows 101-300 again (the same Kobo submissions).
{ head -n 1 "$DATA/round-01.csv"; sed -n '102,301p' "$DATA/round-01.csv"; } >"$DATA/overlap-01.csv"
# A master list that renames 50 sites and adds 10.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
         NR <= 51 { $2 = $2 " (renamed)" } { print }
         NR >= 2 && NR <= 11 { sub(/^NGA-0/, "NGA-9"); print }' \
  "$DATA/sites.csv" >"$DATA/sites-2.csv"
ALERT=$(sqlite3 "$BASE1" "SELECT min(id) FROM alerts WHERE rule = 'urgent_alert'")
[[ -n "$ALERT" ]] || fail "round 1 raised no urgent alert: nothing to acknowledge"

# ---- 1. Pairs of writers ------------------------------------------------------
# Two ingests of one file: one stores it, the other says it is already stored.
one_stored_one_unchanged() {
  local stored unchanged
  stored=$(cat "$1" "$2" | grep -c '^batch [0-9]*: 300 rows read')
  unchanged=$(cat "$1" "$2" | grep -c 'is already ingested in round 1 (batch [0-9]*): nothing changed')
  expect_eq "$3: one ingest stores the file" "$stored" 1
  expect_eq "$3: the other finds it stored" "$unchanged" 1
}
pair same-file "$BASE0" "ingest round-01.csv 1" "ingest round-01.csv 1" one_stored_one_unchanged

# Overlapping files: whichever ends second leaves the shared rows as they are.
one_finds_the_rows_stored() {
  expect_eq "$3: the rows already stored are left unchanged" \
    "$(cat "$1" "$2" | grep -c 'rows already stored (same submission uuid): left unchanged')" 1
}
pair overlap "$BASE0" "ingest round-01.csv 1" "ingest overlap-01.csv 1" one_finds_the_rows_stored

# An ingest (round 2, whose risk alerts read round 1) and a correction of round 1.
pair correct "$BASE1" "ingest round-02.csv 2" "correct NGA-000001 lighting=none"
# An ingest and an alert acknowledged.
pair ack "$BASE1" "ingest round-02.csv 2" "ack $ALERT"
# Two imports of one master list.
pair sites "$BASE1" "import sites-2.csv" "import sites-2.csv"
expect_line "$WORK/sites-ab.state" '^site NGA-000001 .* \(renamed\) '
expect_line "$WORK/sites-ab.state" '^site NGA-900001 '

# ---- 2. 40 audited reads at once ----------------------------------------------
READS="$WORK/reads.db"
copy_db "$BASE1" "$READS"
rollup() {
  "$DTM" analyze rollup --db "$READS" --operation "$OP" --round 1 --level admin1 --format json
}
before=$(sqlite3 "$READS" "SELECT count(*) FROM audit_log")
rollup >"$WORK/rollup-0.json" 2>"$WORK/rollup-0.err" || fail "rollup: $(cat "$WORK/rollup-0.err")"
per_read=$(($(sqlite3 "$READS" "SELECT count(*) FROM audit_log") - before))
((per_read >= 1)) || fail "a rollup wrote no audit record: nothing was checked"
pids=()
for ((read_idx = 1; read_idx <= 40; read_idx++)); do
  rollup >"$WORK/rollup-$read_idx.json" 2>"$WORK/rollup-$read_idx.err" &
  pids+=($!)
done
read_failures=0
for ((read_idx = 1; read_idx <= 40; read_idx++)); do
  wait "${pids[read_idx - 1]}" || {
    read_failures=$((read_failures + 1))
    echo "    read $read_idx: $(cat "$WORK/rollup-$read_idx.err")"
  }
  cmp -s "$WORK/rollup-$read_idx.json" "$WORK/rollup-0.json" || fail "read $read_idx: other figures"
done
expect_eq "concurrent audited reads that failed" "$read_failures" 0
expect_eq "audit records of 40 reads" \
  "$(($(sqlite3 "$READS" "SELECT count(*) FROM audit_log") - before - per_read))" $((40 * per_read))
expect_audit_intact "$READS" "after 40 concurrent reads"
leftovers=$(find "$WORK" -maxdepth 1 -name '*.tmp-*' | wc -l)
expect_eq "temporary files left behind" "$leftovers" 0

# ---- 3. -o onto a file of the store is refused --------------------------------
OUT="$WORK/out.db"
copy_db "$BASE1" "$OUT"
ln -sf "$OUT" "$WORK/link-to-out.db"
key_before=$(sha256sum <"$OUT.audit-key")
submissions_before=$(sqlite3 "$OUT" "SELECT count(*) FROM submissions")
targets=("$OUT" "$OUT-wal" "$OUT-shm" "$OUT.audit-head" "$OUT.audit-key"
         "$WORK/./out.db" "$WORK/link-to-out.db")
for target in "${targets[@]}"; do
  run 2 "$WORK/o-export.out" -- "$DTM" export --db "$OUT" --operation "$OP" --round 1 \
    --level admin1 --tier public --format csv --purpose "race test" -o "$target"
  expect_line "$WORK/o-export.out" "^dtm: -o $target: refused: it is "
  run 2 "$WORK/o-quarantine.out" -- "$DTM" quarantine export --db "$OUT" --operation "$OP" \
    -o "$target"
  expect_line "$WORK/o-quarantine.out" "refused: it is "
  run 2 "$WORK/o-log.out" -- "$DTM" cleaning-log --db "$OUT" --operation "$OP" --format csv \
    -o "$target"
  expect_line "$WORK/o-log.out" "refused: it is "
done
expect_line "$WORK/o-export.out" 'refused: it is the database itself'
expect_eq "the database after -o onto its files" "$(state_of "$OUT" | head -3)" \
  "$(state_of "$BASE1" | head -3)"
expect_eq "submissions after -o onto the store's files" \
  "$(sqlite3 "$OUT" "SELECT count(*) FROM submissions")" "$submissions_before"
expect_eq "the audit key after -o onto it" "$(sha256sum <"$OUT.audit-key")" "$key_before"
[[ -L "$WORK/link-to-out.db" ]] || fail "the link to the database was replaced"
expect_audit_intact "$OUT" "after -o onto the store's files"
leftovers=$(find "$WORK" -maxdepth 1 -name 'out.db*' ! -name out.db ! -name 'out.db.audit-*' \
  ! -name 'out.db-wal' ! -name 'out.db-shm' | wc -l)
expect_eq "files left beside the store" "$leftovers" 0

finish write_races
