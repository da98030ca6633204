// The audit key file: the HMAC keys that link the audit chain
// (spec/disclosure.md, "Audit and usage monitoring"), kept outside the
// database so that someone who can write the database cannot recompute the
// chain after rewriting history.
//
// The file ("<database>.audit-key" beside the database, or the file named by
// OPENDTM_AUDIT_KEY_FILE, which a deployment keeps outside the database's
// folder and its backups) has mode 0600 and one key a line, oldest first:
//
//   # OpenDTM audit keys: keep this file outside backups of the database
//   k3f9c0e2a5b7d1e04 <64 hex digits>
//
// A key's id is derived from the key ("k" and 16 hex digits of
// HMAC(key, "opendtm-audit-key-id")), so a damaged line is found on loading.
// Rotation appends a line: retired keys stay, since `verify` needs them for
// the records they linked. Which key links the next record is decided by the
// chain (audit_log.h), not by the order of the lines.
//
// The Ed25519 key that signs checkpoints lives beside it (SigningKeyPathFor).
//
// Thread-safety: functions on different paths are independent; writers of
// one file are serialized by the audit log's write transaction.
#ifndef OPENDTM_AUDIT_AUDIT_KEY_H_
#define OPENDTM_AUDIT_AUDIT_KEY_H_

#include <string>
#include <vector>

#include "core/status.h"

namespace opendtm::audit {

struct AuditKey {
  std::string id;      // "k" + 16 hex digits, derived from secret
  std::string secret;  // kHmacKeyBytes raw bytes
};

// A fresh random key with its id.
AuditKey NewAuditKey();
// The id of `secret`.
std::string AuditKeyId(const std::string& secret);

// The keys of one key file, oldest first.
class AuditKeyring {
 public:
  AuditKeyring() = default;
  explicit AuditKeyring(std::vector<AuditKey> keys) : keys_(std::move(keys)) {}

  // Reads `path`. Errors: NotFound when it does not exist; DataLoss naming
  // the line when a line is malformed or its id does not match its key;
  // Unavailable when it cannot be read.
  static Result<AuditKeyring> Load(const std::string& path);

  // The key with `id`, or null. The pointer lives as long as this keyring.
  const AuditKey* Find(const std::string& id) const;
  const std::vector<AuditKey>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<AuditKey> keys_;
};

// Writes a new key file at `path` holding `key` (mode 0600). Never replaces
// a file. Errors: AlreadyExists when `path` exists; Unavailable otherwise.
Status CreateKeyFile(const std::string& path, const AuditKey& key);

// Adds `key` as the last line of the existing key file at `path` (rewritten
// to a temporary file with mode 0600, then renamed over it).
// Errors: those of Load; Unavailable when it cannot be written.
Status AddKeyToFile(const std::string& path, const AuditKey& key);

// "<db_path>.audit-key".
std::string KeyPathFor(const std::string& db_path);
// Where the checkpoint signing key lives beside the key file: a key path
// ending in "audit-key" ends in "audit-sign-key" ("opendtm.db.audit-sign-key"),
// any other gets ".sign" appended.
std::string SigningKeyPathFor(const std::string& key_path);

// The Ed25519 key that signs checkpoints (checkpoint.h).
struct SigningKey {
  std::string public_key;
  std::string secret_key;
};

// Reads the signing key file ("ed25519 <128 hex digits>", mode 0600).
// Errors: NotFound when it does not exist; DataLoss when malformed.
Result<SigningKey> LoadSigningKey(const std::string& path);
// Makes a new signing key and writes it to `path` (mode 0600), never over an
// existing file. Errors: AlreadyExists; Unavailable.
Result<SigningKey> CreateSigningKey(const std::string& path);

}  // namespace opendtm::audit

#endif  // OPENDTM_AUDIT_AUDIT_KEY_H_
