#include "cli/audit_commands.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_key.h"
#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/crypto.h"
#include "audit/usage_report.h"
#include "cli/command_output.h"
#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/date.h"
#include "disclosure/access.h"

namespace opendtm::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kExitBroken = 1;
constexpr int kExitUsage = 2;

int Usage(const Environment& environment, std::string_view command, const std::string& problem) {
  *environment.err << "dtm " << command << ": " << problem
                   << "\n(see src/cli/audit_commands.h or dtm help)\n";
  return kExitUsage;
}

// --from / --to as dates (YYYY-MM-DD) into a filter.
Result<store::AuditFilter> PeriodFilter(const CommandLine& line) {
  store::AuditFilter filter;
  for (const char* flag : {"from", "to"}) {
    std::optional<std::string> date = line.Flag(flag);
    if (!date) continue;
    if (date->size() != 10 || !core::ParseIsoDate(*date).ok()) {
      return InvalidArgumentError(std::string("--") + flag + " wants a date YYYY-MM-DD, not '" +
                                  *date + "'");
    }
    (std::string_view(flag) == "from" ? filter.from : filter.to) = *date;
  }
  return filter;
}

Json RecordJson(const store::AuditRecord& record) {
  Json filters = Json::parse(record.filters, nullptr, false);
  return {{"seq", record.seq},
          {"time", record.time},
          {"user", record.user},
          {"organisation", record.organisation},
          {"clusters", record.clusters},
          {"tier", record.tier},
          {"operation", record.operation},
          {"dataset", record.dataset},
          {"filters", filters.is_discarded() ? Json(record.filters) : filters},
          {"rows", record.rows},
          {"columns", record.columns},
          {"format", record.format},
          {"content_hash", record.content_hash},
          {"dsa", record.dsa},
          {"purpose", record.purpose},
          {"outcome", record.outcome},
          {"reason", record.reason},
          {"policy_version", record.policy_version},
          {"prev_hash", record.prev_hash},
          {"hash", record.hash}};
}

// Reads of the log by an operation_admin of `operation` (audited), or, with
// no operation, by an administrator of some operation.
Result<std::optional<DisclosedRead>> OpenLogRead(store::Store& store,
                                                 const Environment& environment,
                                                 const CommandLine& line,
                                                 const std::optional<store::Operation>& operation,
                                                 std::string dataset, Json filters) {
  if (!operation) {
    if (Status allowed = RequireOperationAdmin(store, line, {}); !allowed.ok()) return allowed;
    return std::optional<DisclosedRead>();
  }
  ReadNeeds needs{std::move(dataset), store::Tier::kOperationAdmin,
                  "the audit log names users and organisations", false};
  Result<DisclosedRead> read =
      DisclosedRead::Open(store, environment, line, *operation, needs, std::move(filters));
  if (!read.ok()) return read.status();
  return std::optional<DisclosedRead>(std::move(*read));
}

int RunAuditList(const CommandLine& line, const Environment& environment, store::Store& store) {
  Result<store::AuditFilter> filter = PeriodFilter(line);
  if (!filter.ok()) return Usage(environment, "audit", filter.status().message());
  std::optional<store::Operation> operation;
  Json filters = Json::object();
  if (line.Flag("operation")) {
    Result<store::Operation> found = ResolveOperation(store, line);
    if (!found.ok()) return Fail(environment, found.status());
    operation = *found;
    filter->operation_id = found->id;
    filters["operation"] = found->name;
  }
  if (!filter->from.empty()) filters["from"] = filter->from;
  if (!filter->to.empty()) filters["to"] = filter->to;
  Result<std::optional<DisclosedRead>> read =
      OpenLogRead(store, environment, line, operation, "audit", filters);
  if (!read.ok()) return Fail(environment, read.status());
  Result<std::vector<store::AuditRecord>> records = store.AuditLog(*filter);
  if (!records.ok()) return Fail(environment, records.status());
  const std::string format = line.Flag("format").value_or("table");
  std::string text;
  if (format == "json") {
    Json list = Json::array();
    for (const store::AuditRecord& record : *records) list.push_back(RecordJson(record));
    text = list.dump(2) + "\n";
  } else if (format == "csv") {
    std::vector<std::string> header;
    const Json blank = RecordJson(store::AuditRecord{});
    for (auto field = blank.begin(); field != blank.end(); ++field) header.push_back(field.key());
    text = core::CsvLine(header);
    for (const store::AuditRecord& record : *records) {
      std::vector<std::string> row;
      const Json fields = RecordJson(record);
      for (const Json& value : fields) {
        row.push_back(value.is_string() ? value.get<std::string>() : value.dump());
      }
      text += core::CsvLine(row);
    }
  } else if (format == "table") {
    std::vector<std::vector<std::string>> rows;
    for (const store::AuditRecord& record : *records) {
      rows.push_back({std::to_string(record.seq), record.time, record.user, record.organisation,
                      record.tier, record.operation, record.dataset, record.format,
                      std::to_string(record.rows), record.outcome,
                      record.outcome == "refused" ? record.reason : record.purpose});
    }
    std::ostringstream out;
    PrintTable(out,
               {"seq", "time", "user", "organisation", "tier", "operation", "dataset", "format",
                "rows", "outcome", "purpose / reason"},
               rows);
    text = out.str();
  } else {
    return Usage(environment, "audit", "--format must be table, csv or json");
  }
  if (*read) {
    if (Status audited = (*read)->Finish(static_cast<int64_t>(records->size()), 20, format, text);
        !audited.ok()) {
      return Fail(environment, audited);
    }
  }
  *environment.out << text;
  return 0;
}

void AnnounceKey(const Environment& environment, const audit::AuditLog& log) {
  *environment.err << "created audit key " << log.files().key_path
                   << " (keep it outside backups)\n";
}

// The audit record of a key change: who made it, and when.
store::AuditRecord KeyRecordOf(const CommandLine& line) {
  store::AuditRecord who;
  who.time = NowIso();
  who.user = ActingUser(line);
  return who;
}

int RunAuditKey(const CommandLine& line, const Environment& environment, audit::AuditLog& log,
                const std::string& key_verb) {
  if (log.files().key_path.empty()) {
    return Fail(environment, FailedPreconditionError("an in-memory database has no audit key"));
  }
  if (key_verb == "rotate") {
    Result<std::string> key = log.RotateKey(KeyRecordOf(line));
    if (!key.ok()) return Fail(environment, key.status());
    *environment.out << "rotated the audit key: records from now on are linked with key " << *key
                     << "; the retired keys stay in " << log.files().key_path
                     << " (verify needs them)\n";
    return 0;
  }
  Result<std::string> key = log.CreateKey(
      KeyRecordOf(line), line.Switch("key-lost") ? audit::AuditLog::KeyCreation::kKeyLost
                                                 : audit::AuditLog::KeyCreation::kExplicit);
  if (!key.ok()) return Fail(environment, key.status());
  AnnounceKey(environment, log);
  *environment.out << "audit key " << *key << " links the chain from now on\n";
  return 0;
}

// Prints what Verify found; returns the exit code.
int ReportCheck(const Environment& environment, const audit::AuditLog& log,
                const audit::ChainCheck& check) {
  std::ostream& out = *environment.out;
  for (const std::string& item : check.unchecked) out << "not checked: " << item << "\n";
  if (!check.intact) {
    *environment.err << "dtm audit verify: the audit log is broken: " << check.problem << "\n";
    out << "broken at record " << check.first_bad << " (" << check.records << " records read)\n";
    return kExitBroken;
  }
  if (!check.verified()) {
    out << "not verified: " << check.records
        << " records read, no edit found in what could be checked, but the rest was not "
           "(head file "
        << log.files().head_path << ", key file " << log.files().key_path << ")\n";
    return kExitBroken;
  }
  std::string keys;
  for (const std::string& id : check.key_ids) keys += (keys.empty() ? "" : ", ") + id;
  out << "intact: " << check.records << " records (" << check.keyed << " keyed"
      << (keys.empty() ? "" : " with " + keys) << ", " << check.unkeyed
      << " unkeyed from before audit keys), keyed chain and head agree\n";
  return 0;
}

int RunAuditVerify(const CommandLine& line, const Environment& environment, store::Store& store,
                   audit::AuditLog& log) {
  Result<audit::ChainCheck> check = log.Verify();
  if (!check.ok()) return Fail(environment, check.status());
  int code = ReportCheck(environment, log, *check);
  std::optional<std::string> path = line.Flag("checkpoint");
  if (!path) return code;
  std::ifstream in(*path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Fail(environment, NotFoundError("cannot read the checkpoint " + *path));
  Result<audit::Checkpoint> checkpoint = audit::ParseCheckpoint(text.str());
  if (!checkpoint.ok()) return Fail(environment, checkpoint.status().WithContext(*path));
  const std::string public_key = "ed25519:" + audit::ToHex(checkpoint->public_key);
  if (!audit::SignatureHolds(*checkpoint)) {
    *environment.out << "checkpoint " << *path
                     << ": the signature does not hold (the text was changed)\n";
    return kExitBroken;
  }
  Result<audit::SigningKey> ours =
      audit::LoadSigningKey(audit::SigningKeyPathFor(log.files().key_path));
  if (ours.ok() && ours->public_key != checkpoint->public_key) {
    *environment.out << "checkpoint " << *path << " was signed by " << public_key
                     << ", not by this database's signing key\n";
    return kExitBroken;
  }
  Result<std::vector<store::AuditRecord>> records = store.AuditLog(store::AuditFilter{});
  if (!records.ok()) return Fail(environment, records.status());
  if (Status extends = audit::CheckLogExtends(*records, *checkpoint); !extends.ok()) {
    *environment.out << "checkpoint " << *path << " (record " << checkpoint->seq << ", "
                     << checkpoint->time << "): " << extends.message() << "\n";
    return kExitBroken;
  }
  *environment.out << "checkpoint " << *path << " (record " << checkpoint->seq << ", "
                   << checkpoint->time << ", signed by " << public_key
                   << (ours.ok() ? ", this database's signing key" : "")
                   << "): the log still extends it\n";
  return code;
}

int RunAuditCheckpoint(const CommandLine& line, const Environment& environment, store::Store& store,
                       audit::AuditLog& log) {
  Result<audit::ChainCheck> check = log.Verify();
  if (!check.ok()) return Fail(environment, check.status());
  if (!check->verified()) {
    ReportCheck(environment, log, *check);
    *environment.err << "dtm audit checkpoint: only a log that verifies is checkpointed\n";
    return kExitBroken;
  }
  if (check->records == 0) {
    return Fail(environment, FailedPreconditionError("the audit log is empty"));
  }
  const std::string key_path = audit::SigningKeyPathFor(log.files().key_path);
  Result<audit::SigningKey> key = audit::LoadSigningKey(key_path);
  if (!key.ok() && key.status().code() == StatusCode::kNotFound) {
    key = audit::CreateSigningKey(key_path);
    if (key.ok()) {
      *environment.err << "created checkpoint signing key " << key_path
                       << " (keep it outside backups)\n";
    }
  }
  if (!key.ok()) return Fail(environment, key.status());
  Result<std::vector<store::AuditRecord>> records = store.AuditLog(store::AuditFilter{});
  if (!records.ok()) return Fail(environment, records.status());
  const store::AuditRecord& head = records->back();
  const std::string text =
      audit::FormatCheckpoint(audit::SignCheckpoint(head.seq, head.hash, NowIso(), *key));
  return WriteOutput(line, environment, text,
                     "the checkpoint of record " + std::to_string(head.seq));
}

}  // namespace

int RunAuditCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known =
          line.CheckKnownFlags({"db", "dictionary", "operation", "country", "from", "to", "format",
                                "as", "tier", "checkpoint", "output", "key-lost"});
      !known.ok()) {
    return Usage(environment, "audit", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "list" && verb != "verify" && verb != "checkpoint" && verb != "key") {
    return Usage(environment, "audit", "want list, verify, checkpoint or key create|rotate");
  }
  const std::string key_verb = verb == "key" && words.size() == 3 ? words[2] : "";
  if (verb == "key" && key_verb != "create" && key_verb != "rotate") {
    return Usage(environment, "audit", "want key create or key rotate");
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  if (verb == "list") return RunAuditList(line, environment, store);
  if (Status allowed = RequireOperationAdmin(store, line, {}); !allowed.ok()) {
    return Fail(environment, allowed);
  }
  audit::AuditLog log(store, AuditFilesOf(environment));
  if (verb == "key") return RunAuditKey(line, environment, log, key_verb);
  if (verb == "checkpoint") return RunAuditCheckpoint(line, environment, store, log);
  return RunAuditVerify(line, environment, store, log);
}

audit::AuditFiles AuditFilesOf(const Environment& environment) {
  const char* key_file = std::getenv("OPENDTM_AUDIT_KEY_FILE");
  return audit::AuditFilesFor(environment.db_path,
                              key_file != nullptr ? std::string(key_file) : std::string());
}

Status AppendAuditRecord(store::Store& store, const Environment& environment,
                         store::AuditRecord record) {
  audit::AuditLog log(store, AuditFilesOf(environment));
  Result<store::AuditRecord> stored = log.Append(std::move(record));
  if (log.created_key()) AnnounceKey(environment, log);
  return stored.status();
}

Status KeyNewDatabase(store::Store& store, const Environment& environment) {
  audit::AuditLog log(store, AuditFilesOf(environment));
  if (log.files().key_path.empty()) return Status::Ok();
  store::AuditRecord who;
  who.time = NowIso();
  who.user = std::string(disclosure::kLocalAdmin);
  Result<std::string> key = log.CreateKey(who, audit::AuditLog::KeyCreation::kNewLog);
  if (!key.ok()) return key.status();
  if (log.created_key()) {
    AnnounceKey(environment, log);
  } else {
    *environment.err << "using the existing audit key " << log.files().key_path << " (key " << *key
                     << ") for the new database\n";
  }
  return Status::Ok();
}

Status KeyAtInit(store::Store& store, const Environment& environment, const CommandLine& line) {
  audit::AuditLog log(store, AuditFilesOf(environment));
  std::error_code error;
  if (log.files().key_path.empty() || std::filesystem::exists(log.files().key_path, error)) {
    return Status::Ok();
  }
  Result<std::string> key =
      log.CreateKey(KeyRecordOf(line), audit::AuditLog::KeyCreation::kExplicit);
  if (!key.ok()) return key.status();
  AnnounceKey(environment, log);
  return Status::Ok();
}

int RunUsageCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "operation", "country", "from", "to", "by", "format", "as", "tier"});
      !known.ok()) {
    return Usage(environment, "usage", known.message());
  }
  if (words.size() != 2 || words[1] != "report") return Usage(environment, "usage", "want report");
  std::optional<audit::UsageGrouping> grouping =
      audit::ParseUsageGrouping(line.Flag("by").value_or(""));
  if (!grouping) return Usage(environment, "usage", "--by must be cluster, org, dataset or tier");
  Result<store::AuditFilter> filter = PeriodFilter(line);
  if (!filter.ok()) return Usage(environment, "usage", filter.status().message());
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "usage", "--format must be table, csv or json");
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  filter->operation_id = operation->id;
  Json filters = {{"operation", operation->name},
                  {"by", std::string(audit::UsageGroupingName(*grouping))}};
  if (!filter->from.empty()) filters["from"] = filter->from;
  if (!filter->to.empty()) filters["to"] = filter->to;
  Result<std::optional<DisclosedRead>> read =
      OpenLogRead(store, environment, line, *operation, "usage", filters);
  if (!read.ok()) return Fail(environment, read.status());
  // The report counts the log as it stood before this read of it.
  Result<std::vector<store::AuditRecord>> records = store.AuditLog(*filter);
  if (!records.ok()) return Fail(environment, records.status());
  std::vector<audit::UsageLine> report = audit::UsageReport(*records, *grouping);
  const std::string key_name(audit::UsageGroupingName(*grouping));
  const std::vector<std::string> header = {key_name, "reads", "downloads", "refused",
                                           "rows",   "users", "first",     "last"};
  std::vector<std::vector<std::string>> rows;
  for (const audit::UsageLine& usage : report) {
    rows.push_back({usage.key, std::to_string(usage.reads), std::to_string(usage.downloads),
                    std::to_string(usage.refused), std::to_string(usage.rows),
                    std::to_string(usage.users), usage.first, usage.last});
  }
  std::string text;
  if (format == "json") {
    Json lines = Json::array();
    for (const audit::UsageLine& usage : report) {
      lines.push_back({{key_name, usage.key},
                       {"reads", usage.reads},
                       {"downloads", usage.downloads},
                       {"refused", usage.refused},
                       {"rows", usage.rows},
                       {"users", usage.users},
                       {"first", usage.first},
                       {"last", usage.last}});
    }
    Json document = {{"operation", operation->name},
                     {"country", operation->country},
                     {"from", filter->from.empty() ? Json() : Json(filter->from)},
                     {"to", filter->to.empty() ? Json() : Json(filter->to)},
                     {"by", key_name},
                     {"records", records->size()},
                     {"lines", lines}};
    text = document.dump(2) + "\n";
  } else if (format == "csv") {
    text = core::CsvLine(header);
    for (const auto& row : rows) text += core::CsvLine(row);
  } else {
    std::ostringstream out;
    out << "Usage of " << operation->name << " (" << operation->country << ") by " << key_name
        << ", " << (filter->from.empty() ? "all time" : filter->from) << " to "
        << (filter->to.empty() ? "now" : filter->to) << ": " << records->size()
        << " audit records\n";
    PrintTable(out, header, rows);
    text = out.str();
  }
  if (*read) {
    if (Status audited = (*read)->Finish(static_cast<int64_t>(rows.size()),
                                         static_cast<int64_t>(header.size()), format, text);
        !audited.ok()) {
      return Fail(environment, audited);
    }
  }
  *environment.out << text;
  return 0;
}

}  // namespace opendtm::cli
