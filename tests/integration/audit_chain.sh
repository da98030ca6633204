#!/usr/bin/env bash
# The keyed audit chain end to end (spec/disclosure.md, "Audit and usage
# monitoring"): a new database gets its key (announced, mode 0600); verify is
# "intact" only when it checked everything; checkpoints signed with Ed25519
# prove the log still extends them; rotation links the chain to a new key;
# and what anyone who can write the database (and the head file) might do —
# rewrite a record and recompute the plain SHA-256 chain and head, cut the
# tail and remove the head file, empty the log, remove the key — never
# verifies, and no audited command goes on from it. Invalid UTF-8 in an
# option is refused before anything is written, and an export appears only
# after its audit record. An old database (records from before keys) is keyed
# by `dtm audit key create`.
# usage: audit_chain.sh DTM_BINARY SOURCE_DIR WORK_DIR
source "$(dirname "$0")/lib/common.sh"
PY=/usr/bin/python3
KEY="$OPENDTM_DB.audit-key"
HEAD="$OPENDTM_DB.audit-head"
SIGN="$OPENDTM_DB.audit-sign-key"

# plain_rechain DB FROM_SEQ: what someone without the key can do: rewrite
# every record from FROM_SEQ on as an unkeyed record (user 'nobody' at
# FROM_SEQ), recompute the plain SHA-256 chain, and write the head file as it
# was written before keys.
plain_rechain() {
  $PY - "$1" "$2" <<'PY'
import hashlib, json, sqlite3, sys
db, start = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
for (name,) in con.execute("select name from sqlite_master where type='trigger' and tbl_name='audit_log'").fetchall():
    con.execute(f'drop trigger "{name}"')
cols = ("seq,time,user,organisation,clusters,tier,operation_id,operation,dataset,filters,"
        '"rows",columns,format,content_hash,dsa,purpose,outcome,reason,policy_version,prev_hash')
rows = con.execute(f"select {cols} from audit_log order by seq").fetchall()
prev = rows[start - 2][-1] if start > 1 else ""
prev = con.execute("select hash from audit_log where seq = ?", (start - 1,)).fetchone()[0] if start > 1 else ""
for row in rows[start - 1:]:
    row = list(row)
    if row[0] == start: row[2] = "nobody"
    row[-1] = prev
    canonical = json.dumps(row, separators=(",", ":"), ensure_ascii=True)
    link = hashlib.sha256(("opendtm-audit-v1\n" + canonical).encode()).hexdigest()
    con.execute("update audit_log set user = ?, prev_hash = ?, hash = ?, key_id = '' where seq = ?",
                (row[2], prev, link, row[0]))
    prev = link
con.commit()
last = con.execute("select max(seq), hash from audit_log where seq = (select max(seq) from audit_log)").fetchone()
open(db + ".audit-head", "w").write(f"{last[0]} {last[1]}\n")
PY
}
drop_triggers() {
  q "$(q "select 'drop trigger ' || name || ';' from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'")"
}
save() { cp "$OPENDTM_DB" "$WORK/pristine.db"; cp "$HEAD" "$WORK/pristine.head"; cp "$KEY" "$WORK/pristine.key"; }
restore() {
  rm -f "$OPENDTM_DB-wal" "$OPENDTM_DB-shm"
  cp "$WORK/pristine.db" "$OPENDTM_DB"; cp "$WORK/pristine.head" "$HEAD"; cp "$WORK/pristine.key" "$KEY"
}
X="$DTM export --operation demo-nga --round 1 --level admin1 --tier operation_admin --format csv"

# 1. A new database is keyed at once, and says so.
run 0 "$WORK/demo.out" -- "$DTM" demo --sites 60 --rounds 1 --data "$WORK/data"
expect_line "$WORK/demo.out" "^created audit key $KEY \(keep it outside backups\)$"
expect_eq "key file mode" "$(stat -c %a "$KEY")" "600"
expect_eq "first record creates the key" "$(q "select dataset || ' ' || json_extract(filters, '$.action') from audit_log where seq = 1")" "audit-key create"
expect_eq "every record keyed" "$(q "select count(*) from audit_log where key_id = ''")" "0"
for n in 1 2 3; do
  run 0 "$WORK/export-$n.out" -- $X -o "$WORK/export-$n.csv" --purpose "situation report $n"
done
run 0 "$WORK/verify.out" -- "$DTM" audit verify
expect_line "$WORK/verify.out" "^intact: [0-9]+ records \([0-9]+ keyed with k[0-9a-f]{16}, 0 unkeyed"
run 0 "$WORK/init-again.out" -- "$DTM" init
expect_no_line "$WORK/init-again.out" "created audit key"

# 2. Invalid UTF-8 in any option is refused before anything is written.
run 2 "$WORK/utf8.out" -- $X -o "$WORK/bad.csv" --purpose $'x\xff'
expect_line "$WORK/utf8.out" "^dtm: --purpose is not valid UTF-8"
[[ ! -e "$WORK/bad.csv" ]] || fail "an export with an invalid purpose wrote its file"
ls "$WORK" | grep -q '\.tmp-' && fail "a temporary export file was left behind"
run 2 "$WORK/utf8-op.out" -- "$DTM" audit list --operation $'demo\xc3'
expect_line "$WORK/utf8-op.out" "^dtm: --operation is not valid UTF-8"

# 3. Checkpoints: signed, kept elsewhere, still extended by the growing log.
run 0 "$WORK/checkpoint.out" -- "$DTM" audit checkpoint -o "$WORK/checkpoint.txt"
expect_line "$WORK/checkpoint.out" "created checkpoint signing key $SIGN"
expect_eq "signing key mode" "$(stat -c %a "$SIGN")" "600"
expect_line "$WORK/checkpoint.txt" "^public-key: ed25519:[0-9a-f]{64}$"
expect_line "$WORK/checkpoint.txt" "^signature: [0-9a-f]{128}$"
run 0 "$WORK/export-4.out" -- $X -o "$WORK/export-4.csv" --purpose "after the checkpoint"
run 0 "$WORK/verify-cp.out" -- "$DTM" audit verify --checkpoint "$WORK/checkpoint.txt"
expect_line "$WORK/verify-cp.out" "the log still extends it"
sed 's/^seq: .*/seq: 2/' "$WORK/checkpoint.txt" >"$WORK/checkpoint-edited.txt"
run 1 "$WORK/verify-cp-edited.out" -- "$DTM" audit verify --checkpoint "$WORK/checkpoint-edited.txt"
expect_line "$WORK/verify-cp-edited.out" "signature does not hold"

# 4. Rotation: the rotation record is linked with the old key and names the
# new one; later records use the new key; both stay in the key file.
old_key=$(q "select key_id from audit_log order by seq desc limit 1")
run 0 "$WORK/rotate.out" -- "$DTM" audit key rotate
expect_line "$WORK/rotate.out" "^rotated the audit key"
run 0 "$WORK/export-5.out" -- $X -o "$WORK/export-5.csv" --purpose "after the rotation"
expect_eq "rotation record keyed with the old key" \
  "$(q "select key_id from audit_log where dataset = 'audit-key' and json_extract(filters, '$.action') = 'rotate'")" "$old_key"
new_key=$(q "select json_extract(filters, '$.new_key') from audit_log where json_extract(filters, '$.action') = 'rotate'")
expect_eq "later records use the new key" "$(q "select key_id from audit_log order by seq desc limit 1")" "$new_key"
expect_eq "key file keeps both keys" "$(grep -c '^k' "$KEY")" "2"
run 0 "$WORK/verify-rotated.out" -- "$DTM" audit verify --checkpoint "$WORK/checkpoint.txt"
expect_line "$WORK/verify-rotated.out" "^intact: .* keyed with $old_key, $new_key"
run 3 "$WORK/create-again.out" -- "$DTM" audit key create
expect_line "$WORK/create-again.out" "exists: .dtm audit key rotate"

# 5. Tampering by someone who can write the database and the head file.
save
records=$(q "select max(seq) from audit_log")
# 5a. Regression: record 3 rewritten, plain SHA-256 chain and head recomputed.
plain_rechain "$OPENDTM_DB" 3
run 1 "$WORK/t-rechain.out" -- "$DTM" audit verify
expect_no_line "$WORK/t-rechain.out" "^intact"
expect_line "$WORK/t-rechain.out" "record 3 .* unkeyed after keyed records"
run 1 "$WORK/t-rechain-cp.out" -- "$DTM" audit verify --checkpoint "$WORK/checkpoint.txt"
expect_line "$WORK/t-rechain-cp.out" "does not extend the checkpoint"
# ... even the whole log rewritten without keys does not verify.
restore; plain_rechain "$OPENDTM_DB" 1
run 1 "$WORK/t-rechain-all.out" -- "$DTM" audit verify
expect_no_line "$WORK/t-rechain-all.out" "^intact"
run 4 "$WORK/t-rechain-all-export.out" -- $X -o "$WORK/t.csv" --purpose "x"
[[ ! -e "$WORK/t.csv" ]] || fail "an export went on from a rewritten log"
# 5b. A cut tail with the head file removed: "cannot check the tail".
restore; drop_triggers; q "delete from audit_log where seq > $((records - 2))"; rm -f "$HEAD"
run 1 "$WORK/t-cut.out" -- "$DTM" audit verify
expect_no_line "$WORK/t-cut.out" "^intact"
expect_line "$WORK/t-cut.out" "head file is missing: cannot check the tail"
run 4 "$WORK/t-cut-export.out" -- $X -o "$WORK/t.csv" --purpose "x"
expect_line "$WORK/t-cut-export.out" "head file .* is missing"
[[ ! -e "$WORK/t.csv" ]] || fail "an export went on from a cut log"
# ... and with the head file kept: the deletion is named, appends refused.
restore; drop_triggers; q "delete from audit_log where seq > $((records - 2))"
run 1 "$WORK/t-cut-head.out" -- "$DTM" audit verify
expect_line "$WORK/t-cut-head.out" "records $((records - 1))-$records were deleted"
run 7 "$WORK/t-cut-head-export.out" -- $X -o "$WORK/t.csv" --purpose "x"
# 5c. An emptied log, with or without its head file.
restore; drop_triggers; q "delete from audit_log"
run 1 "$WORK/t-empty.out" -- "$DTM" audit verify
expect_line "$WORK/t-empty.out" "records 1-$records were deleted"
rm -f "$HEAD"
run 1 "$WORK/t-empty-nohead.out" -- "$DTM" audit verify
expect_no_line "$WORK/t-empty-nohead.out" "^intact"
run 4 "$WORK/t-empty-export.out" -- $X -o "$WORK/t.csv" --purpose "x"
# 5d. An edit of a record's content, its link left as it was.
restore; drop_triggers; q "update audit_log set purpose = 'edited' where seq = 4"
run 1 "$WORK/t-edit.out" -- "$DTM" audit verify
expect_line "$WORK/t-edit.out" "record 4 .* was edited"
# 5e. An altered head file.
restore; sed -i 's/^[0-9]* /2 /' "$HEAD"
run 1 "$WORK/t-head.out" -- "$DTM" audit verify
expect_line "$WORK/t-head.out" "head file was altered"
# 5f. The key missing: nothing is called intact, and nothing is appended.
restore; mv "$KEY" "$WORK/key.away"
run 1 "$WORK/t-nokey.out" -- "$DTM" audit verify
expect_no_line "$WORK/t-nokey.out" "^intact"
expect_line "$WORK/t-nokey.out" "audit key file is missing: [0-9]+ records keyed with $old_key \(records 1-"
run 4 "$WORK/t-nokey-export.out" -- $X -o "$WORK/t.csv" --purpose "x"
expect_line "$WORK/t-nokey-export.out" "audit key file $KEY is missing.*dtm audit key"
[[ ! -e "$WORK/t.csv" ]] || fail "an export went out without its audit record"
run 4 "$WORK/t-nokey-create.out" -- "$DTM" audit key create
expect_line "$WORK/t-nokey-create.out" "already keyed"
[[ ! -e "$KEY" ]] || fail "a keyed log got a new key silently"
restore
run 0 "$WORK/verify-restored.out" -- "$DTM" audit verify --checkpoint "$WORK/checkpoint.txt"

# 6. The key file elsewhere (OPENDTM_AUDIT_KEY_FILE), for a new database.
mkdir -p "$WORK/keys"
OPENDTM_AUDIT_KEY_FILE="$WORK/keys/audit.key" OPENDTM_DB="$WORK/elsewhere.db" \
  run 0 "$WORK/elsewhere.out" -- "$DTM" init
expect_line "$WORK/elsewhere.out" "created audit key $WORK/keys/audit.key"
[[ ! -e "$WORK/elsewhere.db.audit-key" ]] || fail "the key went beside the database"
OPENDTM_AUDIT_KEY_FILE="$WORK/keys/audit.key" OPENDTM_DB="$WORK/elsewhere.db" \
  run 0 "$WORK/elsewhere-verify.out" -- "$DTM" audit verify

# 7. An old database (records from before keys, no key file) is keyed by
# `dtm audit key create`; its old records stay, reported as unkeyed.
export OPENDTM_DB="$WORK/old.db"
run 0 "$WORK/old-init.out" -- "$DTM" init
run 0 "$WORK/old-op.out" -- "$DTM" operation create Old --country NGA
old_records=$(q "select max(seq) from audit_log")
plain_rechain "$OPENDTM_DB" 1
rm -f "$OPENDTM_DB.audit-key"
run 4 "$WORK/old-append.out" -- "$DTM" audit list --operation Old
expect_line "$WORK/old-append.out" "not keyed yet.*dtm audit key create"
expect_eq "nothing appended to the old log" "$(q "select max(seq) from audit_log")" "$old_records"
run 1 "$WORK/old-verify.out" -- "$DTM" audit verify
expect_line "$WORK/old-verify.out" "no audit key file: the log's $old_records record\(s\) are unkeyed"
run 0 "$WORK/old-create.out" -- "$DTM" audit key create
expect_line "$WORK/old-create.out" "created audit key $OPENDTM_DB.audit-key"
run 0 "$WORK/old-verify-keyed.out" -- "$DTM" audit verify
expect_line "$WORK/old-verify-keyed.out" "^intact: $((old_records + 1)) records \(1 keyed with k[0-9a-f]{16}, $old_records unkeyed"
run 0 "$WORK/old-list.out" -- "$DTM" audit list --operation Old

finish audit_chain
