#include "cli/audit_commands.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/usage_report.h"
#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/date.h"

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

}  // namespace

int RunAuditCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "operation", "country", "from", "to", "format", "as", "tier"});
      !known.ok()) {
    return Usage(environment, "audit", known.message());
  }
  const std::string verb = words.size() >= 2 ? words[1] : "";
  if (verb != "list" && verb != "verify") return Usage(environment, "audit", "want list or verify");
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  if (verb == "list") return RunAuditList(line, environment, store);
  if (Status allowed = RequireOperationAdmin(store, line, {}); !allowed.ok()) {
    return Fail(environment, allowed);
  }
  audit::AuditLog log(store, audit::HeadPathFor(environment.db_path));
  Result<audit::ChainCheck> check = log.Verify();
  if (!check.ok()) return Fail(environment, check.status());
  if (!check->intact) {
    *environment.err << "dtm audit verify: the audit log is broken: " << check->problem << "\n";
    *environment.out << "broken at record " << check->first_bad << " (" << check->records
                     << " records read)\n";
    return kExitBroken;
  }
  *environment.out << "intact: " << check->records << " records, hash chain and head agree\n";
  return 0;
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
