#include "audit/audit_log.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "core/sha256.h"

namespace opendtm::audit {
namespace {

using Json = nlohmann::ordered_json;

// The record as canonical JSON: every field but `hash`, in a fixed order,
// compact. JSON escaping keeps field boundaries unambiguous.
std::string Canonical(const store::AuditRecord& record) {
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
  return object.dump(-1, ' ', /*ensure_ascii=*/true);
}

std::string Describe(const store::AuditRecord& record) {
  return "record " + std::to_string(record.seq) + " (" + record.time + ", " + record.user + ", " +
         record.dataset + ")";
}

ChainCheck Bad(int64_t records, int64_t seq, std::string problem) {
  return ChainCheck{false, records, seq, std::move(problem)};
}

}  // namespace

std::string RecordHash(const store::AuditRecord& record) {
  core::Sha256 sha;
  sha.Update("opendtm-audit-v1\n");
  sha.Update(Canonical(record));
  return sha.FinishHex();
}

ChainCheck VerifyChain(std::span<const store::AuditRecord> records,
                       const std::optional<AuditHead>& head) {
  const int64_t count = static_cast<int64_t>(records.size());
  // 1. Each record against its place and the one before it.
  for (int64_t idx = 0; idx < count; ++idx) {
    const store::AuditRecord& record = records[idx];
    const int64_t expected_seq = idx + 1;
    if (record.seq != expected_seq) {
      if (record.seq > expected_seq) {
        return Bad(count, expected_seq,
                   "record " + std::to_string(expected_seq) + " is missing (the log goes from " +
                       (idx == 0 ? std::string("its start") : "record " + std::to_string(idx)) +
                       " to record " + std::to_string(record.seq) + "): deleted");
      }
      return Bad(count, record.seq,
                 "record " + std::to_string(record.seq) + " is out of place (expected record " +
                     std::to_string(expected_seq) + ")");
    }
    const std::string& previous = idx == 0 ? std::string() : records[idx - 1].hash;
    if (record.prev_hash != previous) {
      return Bad(count, record.seq,
                 Describe(record) + " does not follow record " + std::to_string(idx) +
                     ": its prev_hash is not that record's hash (a record was edited or replaced)");
    }
    if (RecordHash(record) != record.hash) {
      return Bad(count, record.seq,
                 Describe(record) + " was edited: its content does not match its hash");
    }
  }
  // 2. The end of the log against the head written at the last append.
  if (head) {
    if (head->seq > count) {
      return Bad(count, count + 1,
                 "the log ends at record " + std::to_string(count) + " but record " +
                     std::to_string(head->seq) + " was written: records " +
                     std::to_string(count + 1) + "-" + std::to_string(head->seq) + " were deleted");
    }
    if (head->seq >= 1 && records[head->seq - 1].hash != head->hash) {
      return Bad(count, head->seq,
                 "record " + std::to_string(head->seq) +
                     " is not the one the head file recorded (it was replaced)");
    }
  }
  return ChainCheck{true, count, 0, ""};
}

AuditLog::AuditLog(store::Store& store, std::string head_path)
    : store_(store), head_path_(std::move(head_path)) {}

Result<store::AuditRecord> AuditLog::Append(store::AuditRecord record) {
  Result<store::AuditRecord> stored = store_.AppendAudit(std::move(record), RecordHash);
  if (!stored.ok() || head_path_.empty()) return stored;
  // Write the head beside the database, atomically (rename over the old one).
  const std::string temporary = head_path_ + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << stored->seq << " " << stored->hash << "\n";
    if (!out.flush()) {
      return UnavailableError("cannot write the audit head file " + temporary);
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, head_path_, error);
  if (error) {
    return UnavailableError("cannot write the audit head file " + head_path_ + ": " +
                            error.message());
  }
  return stored;
}

Result<ChainCheck> AuditLog::Verify() {
  Result<std::vector<store::AuditRecord>> records = store_.AuditLog(store::AuditFilter{});
  if (!records.ok()) return records.status();
  std::optional<AuditHead> head;
  if (!head_path_.empty() && std::filesystem::exists(head_path_)) {
    std::ifstream in(head_path_);
    AuditHead read;
    if (!(in >> read.seq >> read.hash) || read.seq < 0 || read.hash.size() != 64) {
      return DataLossError("the audit head file " + head_path_ + " is unreadable");
    }
    head = read;
  }
  return VerifyChain(*records, head);
}

std::string HeadPathFor(const std::string& db_path) { return db_path + ".audit-head"; }

}  // namespace opendtm::audit
