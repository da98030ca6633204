// The audit log: every read of data, and every refusal, as an append-only,
// keyed hash chain of records (spec/disclosure.md, "Audit and usage
// monitoring").
//
// Chain: record N stores the link of record N-1 (prev_hash, "" for record 1)
// and its own link (hash). A keyed record's link is the HMAC-SHA-256, under
// the key its key_id names, of the record's fields (prev_hash and key_id
// included) in a fixed canonical form (KeyedLink); the keys live in the key
// file outside the database (audit_key.h), so someone who can write the
// database cannot rewrite a record and recompute the chain. Records written
// before the chain was keyed (key_id "") keep their plain SHA-256 link
// (RecordHash) and are reported as unkeyed; once a record is keyed, every
// later one is.
//
// Keys change only through records of dataset "audit-key" (filters
// {"action":"create","key":ID} keyed with that new key, or
// {"action":"rotate","key":OLD,"new_key":NEW} keyed with the old key): the
// record after a rotation is linked with the new key, any other record with
// the key of the record before it.
//
// Head: after every append, the head file beside the database holds the last
// record's seq and link and an HMAC of both under the key ("<seq> <link>
// <key id> <mac>"), so that records cut from the end of the log are found
// even by someone who also rewrote the head file; an append refuses to go on
// from a log whose end does not match its head, so a cut is never covered by
// later records.
//
// Thread-safety: AuditLog borrows a Store (thread-safe) and holds only paths;
// appends from several processes or threads are serialized by the store's
// transaction, and each writes the head file under a temporary name of its
// own (ReplaceHeadFile).
#ifndef OPENDTM_AUDIT_AUDIT_LOG_H_
#define OPENDTM_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_key.h"
#include "core/status.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::audit {

// The plain SHA-256 link of an unkeyed record: hex of its prev_hash and
// fields (everything but `hash` and `key_id`) in a canonical form.
std::string RecordHash(const store::AuditRecord& record);
// The link of a record keyed with `key` (record.key_id is key.id): hex
// HMAC-SHA-256 under the key of the canonical form with key_id.
std::string KeyedLink(const store::AuditRecord& record, const AuditKey& key);

// What a keyed record of dataset "audit-key" says about keys.
struct KeyEvent {
  std::string action;   // "create" or "rotate"
  std::string key;      // the key created, or the one rotated out
  std::string new_key;  // "rotate": the key of every later record
};
// The record's key event, or nullopt for any other record.
std::optional<KeyEvent> KeyEventOf(const store::AuditRecord& record);
// The id of the key that links the record after `previous` ("" when
// `previous` is unkeyed).
std::string NextKeyId(const store::AuditRecord& previous);

// The log's last record when it was last appended to, as the head file says.
struct AuditHead {
  int64_t seq = 0;
  std::string link;
  std::string key_id;  // "" for a head written before the chain was keyed
  std::string mac;     // HeadMac under key_id's key; "" when unkeyed
};
// Hex HMAC-SHA-256 of the head's seq and link under `key`.
std::string HeadMac(const AuditHead& head, const AuditKey& key);

// What Verify found. verified() only when nothing is wrong and nothing was
// left unchecked: a log is never called intact for what was not checked.
struct ChainCheck {
  bool intact = true;                  // no edit, insertion or deletion found in what was checked
  int64_t records = 0;                 // records read
  int64_t keyed = 0;                   // of which keyed, their link checked with their key
  int64_t unkeyed = 0;                 // of which written before the chain was keyed
  std::vector<std::string> key_ids;    // keys that linked records, first use first
  int64_t first_bad = 0;               // seq of the first bad record (or of the first missing one)
  std::string problem;                 // for people: "record 17 was edited: …"
  std::vector<std::string> unchecked;  // what could not be checked, and why
  bool verified() const { return intact && unchecked.empty(); }
};

// Checks `records` (ordered by seq, the whole log) against each other,
// against `head` (nullopt: no head file) and with the keys of `keyring`
// (null: no key file): seq runs 1, 2, … without gaps, each prev_hash is the
// previous link, each link is its record's (plain or keyed with the key the
// chain names), no unkeyed record follows a keyed one, and the head's MAC and
// record agree. Pure function.
ChainCheck VerifyChain(std::span<const store::AuditRecord> records,
                       const std::optional<AuditHead>& head, const AuditKeyring* keyring);

// Where a log keeps what lives outside the database. Both empty: a log
// without head or key (an in-memory database, which ends with the process).
struct AuditFiles {
  std::string head_path;
  std::string key_path;
};
// "<db_path>.audit-head" and `key_path` (or "<db_path>.audit-key" when it is
// empty); both empty for ":memory:".
AuditFiles AuditFilesFor(const std::string& db_path, const std::string& key_path = "");

// Replaces the head file at `head_path` with `contents` (mode 0600): written
// and flushed under a temporary name of its own beside it (unique to this
// call, whatever process or thread writes at the same time), then renamed
// onto it, so that a reader sees the old head or the new one, never part of
// one. Errors: Unavailable naming the head file and the system's reason (the
// temporary file is removed).
Status ReplaceHeadFile(const std::string& head_path, std::string_view contents);

class AuditLog {
 public:
  // `store` must outlive this.
  AuditLog(store::Store& store, AuditFiles files);

  const AuditFiles& files() const { return files_; }

  // Appends `record` (seq, prev_hash, key_id and hash are set by the chain),
  // linked with the key the chain names, and rewrites the head file.
  // Returns the stored record. Errors (nothing is stored):
  // FailedPrecondition when the key file is missing (naming its path and
  // `dtm audit key`), lacks the chain's key, or exists while no record is
  // keyed; when the log is not keyed yet ("run dtm audit key create"); when
  // the head file is missing or altered; DataLoss when the log ends before
  // its head (records were cut); the store's. Unavailable when the head file
  // cannot be written (the record is stored).
  // A log that was never written (no record, no head file, no key file) gets
  // its key first, as CreateKey(kNewLog) would: created_key() then says so.
  Result<store::AuditRecord> Append(store::AuditRecord record);

  // How CreateKey may go.
  enum class KeyCreation {
    kExplicit,  // dtm audit key create / init: refused when the key file exists
                // or when records are keyed (a lost key: kKeyLost)
    kNewLog,    // a new database: the log must be empty; an existing key file
                // is used as it is (its last key), else one is created
    kKeyLost,   // the key of keyed records is lost for good: a new key file,
                // the records it linked stay unchecked by verify
  };
  // Makes the key file (mode 0600) and appends the record that starts the
  // keyed chain ({"action":"create","key":ID}), with `who`'s user, time and
  // organisation; returns the key's id. Errors: AlreadyExists when the key
  // file exists (kExplicit, kKeyLost: use RotateKey); FailedPrecondition when
  // records are already keyed (kExplicit) or the log is not empty (kNewLog);
  // those of Append.
  Result<std::string> CreateKey(store::AuditRecord who, KeyCreation creation);
  // Adds a new key to the key file and appends the rotation record (keyed
  // with the current key, naming the new one); returns the new key's id.
  // Errors: FailedPrecondition when there is no key file or no keyed record;
  // those of Append.
  Result<std::string> RotateKey(store::AuditRecord who);

  // True when the last Append or CreateKey created the key file.
  bool created_key() const { return created_key_; }

  // Reads the whole log, the head file and the key file (when present) and
  // checks them. Errors: the store's; DataLoss when the head or key file is
  // unreadable or damaged.
  Result<ChainCheck> Verify();

 private:
  struct LinkPlan;
  Result<store::AuditRecord> AppendPlanned(store::AuditRecord record, const LinkPlan& plan);
  Result<std::optional<AuditHead>> ReadHead() const;
  Result<std::optional<AuditKeyring>> ReadKeyring() const;
  Status WriteHead(const store::AuditRecord& stored, const AuditKey& key, bool replace) const;

  store::Store& store_;
  AuditFiles files_;
  bool created_key_ = false;
};

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_AUDIT_LOG_H_
