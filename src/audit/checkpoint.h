// Audit checkpoints: the log's head (seq and link) signed with the
// database's Ed25519 signing key, as a short text with the public key that
// anyone can keep elsewhere (a DSA partner, a ticket, an e-mail), so that
// `dtm audit verify --checkpoint FILE` later proves that the log still
// extends it — that no record up to the checkpoint was rewritten, inserted
// or cut, whatever happened to the database, its head file and even its
// audit key since (spec/disclosure.md, "Audit and usage monitoring").
//
//   OpenDTM audit checkpoint v1
//   seq: 42
//   link: <64 hex digits: record 42's link>
//   time: 2026-12-07T21:30:00Z
//   public-key: ed25519:<64 hex digits>
//   signature: <128 hex digits>
//
// The signature covers every line before it (newlines included). The public
// key in the text proves only that the text is unchanged since it was
// signed: whoever keeps a checkpoint compares that key with the one the
// database's owner gave them.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_AUDIT_CHECKPOINT_H_
#define OPENDTM_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "audit/audit_key.h"
#include "core/status.h"
#include "store/records.h"

namespace opendtm::audit {

struct Checkpoint {
  int64_t seq = 0;
  std::string link;        // hex, the link of record `seq`
  std::string time;        // ISO time it was made
  std::string public_key;  // raw Ed25519 public key
  std::string signature;   // raw detached signature of SignedText()
};

// The lines the signature covers.
std::string SignedText(const Checkpoint& checkpoint);
// The whole text, signature line included.
std::string FormatCheckpoint(const Checkpoint& checkpoint);
// Reads a checkpoint text. Errors: InvalidArgument naming what is wrong.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// A checkpoint of record `seq` with `link`, made at `time`, signed with `key`.
Checkpoint SignCheckpoint(int64_t seq, std::string link, std::string time, const SigningKey& key);
// True when the signature is the public key's signature of SignedText().
bool SignatureHolds(const Checkpoint& checkpoint);

// OK when `records` (the whole log, by seq) still holds record
// checkpoint.seq with checkpoint.link. Errors: DataLoss saying which.
Status CheckLogExtends(std::span<const store::AuditRecord> records, const Checkpoint& checkpoint);

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_CHECKPOINT_H_
