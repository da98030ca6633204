#include "audit/audit_log.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "audit/crypto.h"
#include "core/private_file.h"
#include "core/sha256.h"

namespace opendtm::audit {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kKeyDataset = "audit-key";

// The record of a key's creation or rotation by `who` (its time, user,
// organisation, clusters and tier).
store::AuditRecord KeyEventRecord(const store::AuditRecord& who) {
  store::AuditRecord record;
  record.time = who.time;
  record.user = who.user;
  record.organisation = who.organisation;
  record.clusters = who.clusters;
  record.tier = who.tier;
  record.dataset = kKeyDataset;
  record.outcome = "allowed";
  return record;
}

// The record as canonical JSON: every field but `hash` (and, for unkeyed
// records, `key_id`, which they did not have), in a fixed order, compact.
// JSON escaping keeps field boundaries unambiguous.
std::string Canonical(const store::AuditRecord& record, bool with_key_id) {
  Json object = Json::array({record.seq,
                             record.time,
                             record.user,
                             record.organisation,
                             record.clusters,
                             record.tier,
                             record.operation_id,
                             record.operation,
                             record.dataset,
                             record.filters,
                             record.rows,
                             record.columns,
                             record.format,
                             record.content_hash,
                             record.dsa,
                             record.purpose,
                             record.outcome,
                             record.reason,
                             record.policy_version,
                             record.prev_hash});
  if (with_key_id) object.push_back(record.key_id);
  // Since migration 12; absent from older records, so that their links stay.
  if (!record.os_user.empty()) object.push_back(record.os_user);
  return object.dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
}

std::string Describe(const store::AuditRecord& record) {
  return "record " + std::to_string(record.seq) + " (" + record.time + ", " + record.user + ", " +
         record.dataset + ")";
}

ChainCheck Bad(ChainCheck check, int64_t seq, std::string problem) {
  check.intact = false;
  check.first_bad = seq;
  check.problem = std::move(problem);
  return check;
}

std::string Range(int64_t first, int64_t last) {
  return first == last ? "record " + std::to_string(first)
                       : "records " + std::to_string(first) + "-" + std::to_string(last);
}

// Keyed records whose key the key file lacks: where they are, for the report.
struct MissingKey {
  int64_t first = 0;
  int64_t last = 0;
  int64_t count = 0;
};

// 1. Each record against its place, the one before it, and its link.
// Returns false (with `check` made bad) at the first bad record.
bool CheckRecords(std::span<const store::AuditRecord> records, const AuditKeyring* keyring,
                  ChainCheck& check, std::map<std::string, MissingKey>& missing) {
  const int64_t count = static_cast<int64_t>(records.size());
  std::string current_key;  // the key the next keyed record must use
  bool seen_keyed = false;
  for (int64_t idx = 0; idx < count; ++idx) {
    const store::AuditRecord& record = records[idx];
    const int64_t expected_seq = idx + 1;
    if (record.seq != expected_seq) {
      if (record.seq > expected_seq) {
        check = Bad(check, expected_seq,
                    "record " + std::to_string(expected_seq) + " is missing (the log goes from " +
                        (idx == 0 ? std::string("its start") : "record " + std::to_string(idx)) +
                        " to record " + std::to_string(record.seq) + "): deleted");
      } else {
        check = Bad(check, record.seq,
                    "record " + std::to_string(record.seq) + " is out of place (expected record " +
                        std::to_string(expected_seq) + ")");
      }
      return false;
    }
    const std::string& previous = idx == 0 ? std::string() : records[idx - 1].hash;
    if (record.prev_hash != previous) {
      check = Bad(check, record.seq,
                  Describe(record) + " does not follow record " + std::to_string(idx) +
                      ": its prev_hash is not that record's link (a record was edited, inserted "
                      "or replaced)");
      return false;
    }
    if (record.key_id.empty()) {
      if (seen_keyed) {
        check = Bad(
            check, record.seq,
            Describe(record) + " is unkeyed after keyed records: it was rewritten without the key");
        return false;
      }
      if (RecordHash(record) != record.hash) {
        check = Bad(check, record.seq,
                    Describe(record) + " was edited: its content does not match its link");
        return false;
      }
      ++check.unkeyed;
      continue;
    }
    const std::optional<KeyEvent> event = KeyEventOf(record);
    const bool starts_key = event && event->action == "create" && event->key == record.key_id;
    if (!seen_keyed && !starts_key) {
      check = Bad(check, record.seq,
                  Describe(record) + " is the first keyed record but does not create its key");
      return false;
    }
    if (seen_keyed && record.key_id != current_key && !starts_key) {
      check = Bad(check, record.seq,
                  Describe(record) + " is linked with key " + record.key_id +
                      " but the chain names key " + current_key);
      return false;
    }
    if (event && event->action == "rotate" && event->key != record.key_id) {
      check = Bad(check, record.seq,
                  Describe(record) + " rotates key " + event->key + " but is linked with key " +
                      record.key_id);
      return false;
    }
    if (const AuditKey* key = keyring ? keyring->Find(record.key_id) : nullptr) {
      if (!ConstantTimeEqual(KeyedLink(record, *key), record.hash)) {
        check =
            Bad(check, record.seq,
                Describe(record) + " was edited: its link does not match its content under key " +
                    record.key_id);
        return false;
      }
      ++check.keyed;
    } else {
      MissingKey& gap = missing[record.key_id];
      if (gap.count++ == 0) gap.first = record.seq;
      gap.last = record.seq;
    }
    if (std::find(check.key_ids.begin(), check.key_ids.end(), record.key_id) ==
        check.key_ids.end()) {
      check.key_ids.push_back(record.key_id);
    }
    seen_keyed = true;
    current_key = event && event->action == "rotate" ? event->new_key : record.key_id;
  }
  return true;
}

// 2. The end of the log against the head written at the last append.
void CheckHead(std::span<const store::AuditRecord> records, const std::optional<AuditHead>& head,
               const AuditKeyring* keyring, ChainCheck& check) {
  const int64_t count = static_cast<int64_t>(records.size());
  const bool keyed_log = !check.key_ids.empty();
  if (!head) {
    check.unchecked.push_back(
        "the head file is missing: cannot check the tail (records cut from the end of the log "
        "would not show)");
    return;
  }
  if (head->key_id.empty()) {
    if (keyed_log) {
      check.unchecked.push_back(
          "the head file is not keyed though the log is: cannot check the tail");
      return;
    }
  } else {
    const AuditKey* key = keyring ? keyring->Find(head->key_id) : nullptr;
    if (key == nullptr) {
      check.unchecked.push_back("the head file is keyed with key " + head->key_id +
                                ", which the key file does not hold: cannot check the tail");
      return;
    }
    if (!ConstantTimeEqual(HeadMac(*head, *key), head->mac)) {
      check = Bad(check, head->seq, "the head file was altered: its MAC does not match");
      return;
    }
  }
  if (head->seq > count) {
    check = Bad(check, count + 1,
                "the log ends at record " + std::to_string(count) + " but record " +
                    std::to_string(head->seq) + " was written: " + Range(count + 1, head->seq) +
                    " were deleted");
    return;
  }
  if (head->seq >= 1 && records[head->seq - 1].hash != head->link) {
    check = Bad(check, head->seq,
                "record " + std::to_string(head->seq) +
                    " is not the one the head file recorded (it was replaced)");
  }
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError("cannot read " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

Result<AuditHead> ParseHead(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  AuditHead head;
  const auto bad = [&] { return DataLossError("the audit head file " + path + " is unreadable"); };
  if (fields.size() != 2 && fields.size() != 4) return bad();
  try {
    size_t used = 0;
    head.seq = std::stoll(fields[0], &used);
    if (used != fields[0].size() || head.seq < 0) return bad();
  } catch (const std::exception&) {
    return bad();
  }
  head.link = fields[1];
  if (head.link.size() != 64) return bad();
  if (fields.size() == 4) {
    head.key_id = fields[2];
    head.mac = fields[3];
  }
  return head;
}

}  // namespace

std::string RecordHash(const store::AuditRecord& record) {
  core::Sha256 sha;
  sha.Update("opendtm-audit-v1\n");
  sha.Update(Canonical(record, /*with_key_id=*/false));
  return sha.FinishHex();
}

std::string KeyedLink(const store::AuditRecord& record, const AuditKey& key) {
  return HmacSha256Hex(key.secret, "opendtm-audit-v2\n" + Canonical(record, /*with_key_id=*/true));
}

std::optional<KeyEvent> KeyEventOf(const store::AuditRecord& record) {
  if (record.dataset != kKeyDataset || record.key_id.empty()) return std::nullopt;
  const Json filters = Json::parse(record.filters, nullptr, /*allow_exceptions=*/false);
  if (!filters.is_object()) return std::nullopt;
  const auto text = [&](const char* name) {
    auto it = filters.find(name);
    return it != filters.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  KeyEvent event{text("action"), text("key"), text("new_key")};
  if (event.action == "create" && !event.key.empty()) return event;
  if (event.action == "rotate" && !event.key.empty() && !event.new_key.empty()) return event;
  return std::nullopt;
}

std::string NextKeyId(const store::AuditRecord& previous) {
  if (previous.key_id.empty()) return "";
  const std::optional<KeyEvent> event = KeyEventOf(previous);
  return event && event->action == "rotate" ? event->new_key : previous.key_id;
}

std::string HeadMac(const AuditHead& head, const AuditKey& key) {
  return HmacSha256Hex(key.secret,
                       "opendtm-audit-head-v2\n" + std::to_string(head.seq) + " " + head.link);
}

ChainCheck VerifyChain(std::span<const store::AuditRecord> records,
                       const std::optional<AuditHead>& head, const AuditKeyring* keyring) {
  ChainCheck check;
  check.records = static_cast<int64_t>(records.size());
  std::map<std::string, MissingKey> missing;
  if (!CheckRecords(records, keyring, check, missing)) return check;
  for (const auto& [key_id, gap] : missing) {
    check.unchecked.push_back(
        (keyring ? "the key file does not hold key " + key_id : "the audit key file is missing") +
        ": " + std::to_string(gap.count) + " record" + (gap.count == 1 ? "" : "s") +
        " keyed with " + key_id + " (" + Range(gap.first, gap.last) + ") not checked");
  }
  if (keyring == nullptr && check.key_ids.empty()) {
    check.unchecked.push_back(
        "there is no audit key file: the log's " + std::to_string(check.records) +
        " record(s) are unkeyed, and whoever can write the database could have rewritten them "
        "(`dtm audit key create` keys the chain)");
  } else if (keyring != nullptr && check.key_ids.empty()) {
    check.unchecked.push_back(
        "the audit key file exists but no record is keyed: the keyed records may have been "
        "removed");
  }
  CheckHead(records, head, keyring, check);
  return check;
}

Status ReplaceHeadFile(const std::string& head_path, std::string_view contents) {
  // mkstemp: a name no other writer (process or thread) is using, in the head
  // file's own directory so that the rename stays on one file system. Two
  // writers that shared one temporary name (".tmp-<pid>" did, for two
  // threads, or two processes of one pid in different containers) could
  // rename each other's half-written file, or find theirs gone.
  std::string temporary = head_path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    return UnavailableError("cannot write the audit head file " + head_path +
                            ": cannot create a temporary file beside it: " + std::strerror(errno));
  }
  ::close(fd);
  Status written = core::WritePrivateFile(temporary, contents);
  std::error_code error;
  if (written.ok()) std::filesystem::rename(temporary, head_path, error);
  if (!written.ok() || error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return UnavailableError("cannot write the audit head file " + head_path + ": " +
                            (written.ok() ? error.message() : written.message()));
  }
  return Status::Ok();
}

AuditFiles AuditFilesFor(const std::string& db_path, const std::string& key_path) {
  if (db_path == ":memory:" || db_path.empty()) return AuditFiles{};
  return AuditFiles{db_path + ".audit-head", key_path.empty() ? KeyPathFor(db_path) : key_path};
}

// How AppendPlanned links the record.
struct AuditLog::LinkPlan {
  enum class Kind { kRecord, kCreate, kRotate };
  Kind kind = Kind::kRecord;
  AuditKey key;           // kCreate: the key created; kRotate: the new key
  bool new_log = false;   // kCreate for a new database: the log must be empty
  bool key_lost = false;  // kCreate after the key of keyed records was lost
  bool adopted = false;   // kCreate with the key file that was there
};

AuditLog::AuditLog(store::Store& store, AuditFiles files)
    : store_(store), files_(std::move(files)) {}

Result<std::optional<AuditHead>> AuditLog::ReadHead() const {
  std::error_code error;
  if (files_.head_path.empty() || !std::filesystem::exists(files_.head_path, error)) {
    return std::optional<AuditHead>();
  }
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(files_.head_path));
  ASSIGN_OR_RETURN(AuditHead head, ParseHead(text, files_.head_path));
  return std::optional<AuditHead>(head);
}

Result<std::optional<AuditKeyring>> AuditLog::ReadKeyring() const {
  if (files_.key_path.empty()) return std::optional<AuditKeyring>();
  Result<AuditKeyring> keyring = AuditKeyring::Load(files_.key_path);
  if (!keyring.ok()) {
    if (keyring.status().code() == StatusCode::kNotFound) return std::optional<AuditKeyring>();
    return keyring.status();
  }
  return std::optional<AuditKeyring>(std::move(*keyring));
}

Status AuditLog::WriteHead(const store::AuditRecord& stored, const AuditKey& key,
                           bool replace) const {
  if (files_.head_path.empty()) return Status::Ok();
  // Appends from several processes write their heads after their commits, in
  // any order: a head never goes back (a lagging head still bounds the log).
  if (!replace) {
    Result<std::optional<AuditHead>> current = ReadHead();
    if (current.ok() && *current && (*current)->seq >= stored.seq) return Status::Ok();
  }
  AuditHead head{stored.seq, stored.hash, key.id, ""};
  head.mac = HeadMac(head, key);
  return ReplaceHeadFile(files_.head_path, std::to_string(head.seq) + " " + head.link + " " +
                                               head.key_id + " " + head.mac + "\n");
}

Result<store::AuditRecord> AuditLog::AppendPlanned(store::AuditRecord record,
                                                   const LinkPlan& plan) {
  using Kind = LinkPlan::Kind;
  ASSIGN_OR_RETURN(std::optional<AuditKeyring> keyring, ReadKeyring());
  ASSIGN_OR_RETURN(std::optional<AuditHead> head, ReadHead());
  const bool in_memory = files_.key_path.empty();
  const std::string& key_path = files_.key_path;
  const std::string& head_path = files_.head_path;
  const AuditKey* head_key = nullptr;  // the key that links the stored record

  // The head must match the log's end before the log goes on, so that
  // records cut from the end are never covered by new ones.
  auto check_head = [&](const store::AuditRecord* previous) -> Status {
    const int64_t last = previous ? previous->seq : 0;
    if (!head) {
      return FailedPreconditionError("the audit head file " + head_path +
                                     " is missing: records may have been cut from the end of the "
                                     "audit log (`dtm audit verify` says more); nothing was done");
    }
    if (head->key_id.empty()) {
      return FailedPreconditionError("the audit head file " + head_path +
                                     " is not keyed though the log is: `dtm audit verify`");
    }
    const AuditKey* key = keyring->Find(head->key_id);
    if (key == nullptr || !ConstantTimeEqual(HeadMac(*head, *key), head->mac)) {
      return FailedPreconditionError("the audit head file " + head_path +
                                     " does not verify with the audit key: `dtm audit verify`");
    }
    if (head->seq > last || (head->seq == last && head->link != previous->hash)) {
      return DataLossError("the audit log does not end where its head file says (record " +
                           std::to_string(head->seq) +
                           "): records were cut or replaced; `dtm "
                           "audit verify` says more, and nothing was done");
    }
    return Status::Ok();
  };

  auto link = [&](store::AuditRecord& linked, const store::AuditRecord* previous) -> Status {
    const bool previous_keyed = previous != nullptr && !previous->key_id.empty();
    if (in_memory) {
      linked.key_id.clear();
      linked.hash = RecordHash(linked);
      return Status::Ok();
    }
    if (plan.kind == Kind::kCreate) {
      if (plan.new_log && previous != nullptr) {
        return FailedPreconditionError("the audit log of a new database is not empty");
      }
      if (previous_keyed && !plan.key_lost) {
        return FailedPreconditionError(
            "the audit log is already keyed (key " + NextKeyId(*previous) + ") but the key file " +
            key_path +
            " is missing: restore it from where you keep it; if it is lost for good, `dtm audit "
            "key create --key-lost` starts a new key (the records of the lost one stay "
            "unchecked)");
      }
      // A new database's head file, if any, is a deleted database's.
      const int64_t last = previous ? previous->seq : 0;
      if (!plan.new_log && head &&
          (head->seq > last || (head->seq == last && last > 0 && head->link != previous->hash))) {
        return DataLossError("the audit log does not end where its head file " + head_path +
                             " says (record " + std::to_string(head->seq) +
                             "): records were cut or replaced; `dtm audit verify` says more, and "
                             "no key was made");
      }
      Json filters = {{"action", "create"}, {"key", plan.key.id}};
      if (plan.adopted) filters["key_file"] = "existing";
      if (plan.key_lost) filters["key_lost"] = true;
      linked.filters = filters.dump();
      linked.key_id = plan.key.id;
      linked.hash = KeyedLink(linked, plan.key);
      head_key = &plan.key;
      return Status::Ok();
    }
    if (!keyring) {
      if (previous_keyed) {
        return FailedPreconditionError(
            "the audit key file " + key_path +
            " is missing, and this database's audit log is keyed: restore the file (or set "
            "OPENDTM_AUDIT_KEY_FILE to it); see `dtm audit key`");
      }
      if (previous != nullptr) {
        return FailedPreconditionError(
            "this database's audit log is not keyed yet (its records were written before audit "
            "keys): run `dtm audit key create` to key it (the key file will be " +
            key_path + ")");
      }
      return FailedPreconditionError("the audit log is empty but its head file " + head_path +
                                     " says records were written, and there is no audit key "
                                     "file " +
                                     key_path + ": `dtm audit verify`");
    }
    if (!previous_keyed) {
      return FailedPreconditionError(
          "the audit key file " + key_path +
          " exists but no record of the audit log is keyed: the log was emptied or rewritten, or "
          "the key file belongs to another database; `dtm audit verify` says more");
    }
    const std::string key_id = NextKeyId(*previous);
    const AuditKey* key = keyring->Find(key_id);
    if (key == nullptr) {
      return FailedPreconditionError("the audit key file " + key_path + " does not hold key " +
                                     key_id +
                                     ", which links the audit log: restore the file (see `dtm "
                                     "audit key`)");
    }
    RETURN_IF_ERROR(check_head(previous));
    if (plan.kind == Kind::kRotate) {
      linked.filters =
          Json({{"action", "rotate"}, {"key", key_id}, {"new_key", plan.key.id}}).dump();
    }
    linked.key_id = key_id;
    linked.hash = KeyedLink(linked, *key);
    head_key = key;
    return Status::Ok();
  };

  ASSIGN_OR_RETURN(store::AuditRecord stored, store_.AppendAudit(std::move(record), link));
  if (head_key != nullptr) {
    RETURN_IF_ERROR(WriteHead(stored, *head_key, /*replace=*/plan.new_log));
  }
  return stored;
}

Result<store::AuditRecord> AuditLog::Append(store::AuditRecord record) {
  created_key_ = false;
  // A log that was never written (a database made before it was opened by a
  // command that keys new databases) gets its key first.
  if (!files_.key_path.empty()) {
    std::error_code error;
    if (!std::filesystem::exists(files_.key_path, error) &&
        !std::filesystem::exists(files_.head_path, error)) {
      ASSIGN_OR_RETURN(std::vector<store::AuditRecord> existing,
                       store_.AuditLog(store::AuditFilter{}));
      if (existing.empty()) {
        store::AuditRecord who = record;
        RETURN_IF_ERROR(CreateKey(std::move(who), KeyCreation::kNewLog).status());
      }
    }
  }
  const bool created = created_key_;
  Result<store::AuditRecord> stored = AppendPlanned(std::move(record), LinkPlan{});
  created_key_ = created;
  return stored;
}

Result<std::string> AuditLog::CreateKey(store::AuditRecord who, KeyCreation creation) {
  created_key_ = false;
  if (files_.key_path.empty()) {
    return FailedPreconditionError("an in-memory database has no audit key");
  }
  ASSIGN_OR_RETURN(std::optional<AuditKeyring> keyring, ReadKeyring());
  LinkPlan plan;
  plan.kind = LinkPlan::Kind::kCreate;
  plan.new_log = creation == KeyCreation::kNewLog;
  plan.key_lost = creation == KeyCreation::kKeyLost;
  if (keyring && creation != KeyCreation::kNewLog) {
    return AlreadyExistsError("the audit key file " + files_.key_path +
                              " exists: `dtm audit key rotate` replaces its key");
  }
  if (keyring) {
    plan.key = keyring->keys().back();
    plan.adopted = true;
  } else {
    plan.key = NewAuditKey();
    RETURN_IF_ERROR(CreateKeyFile(files_.key_path, plan.key));
  }
  Result<store::AuditRecord> stored = AppendPlanned(KeyEventRecord(who), plan);
  if (!stored.ok()) {
    // The key file made here links nothing: take it back.
    if (!plan.adopted) {
      std::error_code ignored;
      std::filesystem::remove(files_.key_path, ignored);
    }
    return stored.status();
  }
  created_key_ = !plan.adopted;
  return plan.key.id;
}

Result<std::string> AuditLog::RotateKey(store::AuditRecord who) {
  created_key_ = false;
  ASSIGN_OR_RETURN(std::optional<AuditKeyring> keyring, ReadKeyring());
  if (!keyring) {
    return FailedPreconditionError("there is no audit key file " + files_.key_path +
                                   " to rotate: `dtm audit key create` makes one");
  }
  LinkPlan plan;
  plan.kind = LinkPlan::Kind::kRotate;
  plan.key = NewAuditKey();
  // The new key is in the file before any record names it; should the append
  // fail, it stays there unused.
  RETURN_IF_ERROR(AddKeyToFile(files_.key_path, plan.key));
  ASSIGN_OR_RETURN(store::AuditRecord stored, AppendPlanned(KeyEventRecord(who), plan));
  (void)stored;
  return plan.key.id;
}

Result<ChainCheck> AuditLog::Verify() {
  ASSIGN_OR_RETURN(std::vector<store::AuditRecord> records, store_.AuditLog(store::AuditFilter{}));
  ASSIGN_OR_RETURN(std::optional<AuditHead> head, ReadHead());
  ASSIGN_OR_RETURN(std::optional<AuditKeyring> keyring, ReadKeyring());
  return VerifyChain(records, head, keyring ? &*keyring : nullptr);
}

}  // namespace opendtm::audit
