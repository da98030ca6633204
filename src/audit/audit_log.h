// The audit log: every read of data, and every refusal, as an append-only,
// hash-chained list of records (spec/disclosure.md, "Audit and usage
// monitoring").
//
// Chain: record N stores the hash of record N-1 (prev_hash, "" for record 1)
// and its own hash, the SHA-256 of prev_hash and of the record's fields in a
// fixed canonical form (RecordHash). Editing a record changes its hash;
// deleting one breaks the link of the next; so Verify finds both, whatever
// the database's triggers say (someone with the file can drop them).
// Deleting records from the end leaves an intact but shorter chain: the head
// file (the last seq and hash, written after every append, kept beside the
// database) tells that case apart.
//
// Thread-safety: AuditLog borrows a Store (thread-safe) and is itself
// stateless apart from the head path; appends from several processes are
// serialized by the store's transaction.
#ifndef OPENDTM_AUDIT_AUDIT_LOG_H_
#define OPENDTM_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::audit {

// SHA-256 hex of the record's prev_hash and fields (everything but `hash`),
// in a canonical form that does not depend on how the record was built.
std::string RecordHash(const store::AuditRecord& record);

// The last record the log held when it was last appended to.
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};

// What Verify found: OK, or the first bad record.
struct ChainCheck {
  bool intact = true;
  int64_t records = 0;    // records read
  int64_t first_bad = 0;  // seq of the first bad record (or of the first missing one)
  std::string problem;    // for people: "record 17 was edited: …"
};

// Checks `records` (ordered by seq, the whole log) against each other and,
// when given, against `head`: seq runs 1, 2, … without gaps, each prev_hash
// is the previous record's hash, each hash is RecordHash of its record, and
// the last record is the head's. Pure function.
ChainCheck VerifyChain(std::span<const store::AuditRecord> records,
                       const std::optional<AuditHead>& head);

class AuditLog {
 public:
  // `head_path`: the head file ("" keeps none). `store` must outlive this.
  AuditLog(store::Store& store, std::string head_path);

  // Appends `record` (seq, prev_hash and hash are set by the chain) and
  // rewrites the head file. Returns the stored record. Errors: the store's;
  // Unavailable when the head file cannot be written (the record is stored).
  Result<store::AuditRecord> Append(store::AuditRecord record);

  // Reads the whole log and the head file (when present) and checks them.
  // Errors: the store's; DataLoss when the head file is unreadable.
  Result<ChainCheck> Verify();

 private:
  store::Store& store_;
  std::string head_path_;
};

// The head file beside a database file: "<db_path>.audit-head".
std::string HeadPathFor(const std::string& db_path);

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_AUDIT_LOG_H_
