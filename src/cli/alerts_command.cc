#include "cli/alerts_command.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::cli {
namespace {

constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "dtm alerts list --operation OP [--country ISO3] [--round N]\n"
    "                [--status new,acknowledged,closed|all] [--format table|csv|json]\n"
    "       dtm alerts ack ID [ID...] --note TEXT [--as USER]\n"
    "       dtm alerts close ID [ID...] --note TEXT [--as USER]\n"
    "       [--db PATH]";

constexpr const char* kCsvHeader =
    "id,batch_id,round,assessment_type,site_id,rule,indicator,value,previous_round,"
    "previous_value,score,message,status,status_by,status_at,status_note,created_at\n";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm alerts: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

std::string ScoreText(const std::optional<double>& score) {
  if (!score) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *score);
  return text;
}

// What the alert is about, in one cell: "uasc = 3" for an urgent value,
// "high -> very_high (41.2)" for a band change ("new" for a site not reported
// in the previous round).
std::string Detail(const store::Alert& alert) {
  if (alert.previous_round) {
    std::string detail = (alert.previous_value.empty() ? "new" : alert.previous_value) + " -> " +
                         alert.value;
    if (alert.score) detail += " (" + ScoreText(alert.score) + ")";
    return detail;
  }
  return alert.indicator.empty() ? alert.value : alert.indicator + " = " + alert.value;
}

void PrintAlertTable(std::ostream& out, const std::vector<store::Alert>& alerts,
                     const std::string& statuses) {
  std::vector<std::vector<std::string>> rows;
  for (const store::Alert& alert : alerts) {
    rows.push_back({std::to_string(alert.id), std::to_string(alert.round), alert.site_id,
                    alert.rule, Detail(alert), std::string(store::AlertStatusName(alert.status)),
                    alert.created_at});
  }
  if (!rows.empty()) {
    PrintTable(out, {"id", "round", "site", "rule", "detail", "status", "created"}, rows);
  }
  out << alerts.size() << (alerts.size() == 1 ? " alert" : " alerts") << " (" << statuses
      << ")\n";
}

void PrintAlertCsv(std::ostream& out, const std::vector<store::Alert>& alerts) {
  out << kCsvHeader;
  for (const store::Alert& alert : alerts) {
    out << core::CsvLine(
        {std::to_string(alert.id), std::to_string(alert.batch_id), std::to_string(alert.round),
         std::string(store::AssessmentTypeName(alert.assessment_type)), alert.site_id, alert.rule,
         alert.indicator, alert.value,
         alert.previous_round ? std::to_string(*alert.previous_round) : "", alert.previous_value,
         ScoreText(alert.score), alert.message, std::string(store::AlertStatusName(alert.status)),
         alert.status_by, alert.status_at, alert.status_note, alert.created_at});
  }
}

// Every field of each alert and its status history. Errors: from the store.
Result<nlohmann::ordered_json> AlertJson(store::Store& store,
                                         const std::vector<store::Alert>& alerts) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::Alert& alert : alerts) {
    nlohmann::ordered_json entry;
    entry["id"] = alert.id;
    entry["batch_id"] = alert.batch_id;
    entry["operation_id"] = alert.operation_id;
    entry["round"] = alert.round;
    entry["assessment_type"] = std::string(store::AssessmentTypeName(alert.assessment_type));
    entry["site_id"] = alert.site_id;
    entry["rule"] = alert.rule;
    entry["indicator"] = alert.indicator;
    entry["value"] = alert.value;
    entry["previous_round"] =
        alert.previous_round ? nlohmann::ordered_json(*alert.previous_round) : nullptr;
    entry["previous_value"] = alert.previous_value;
    entry["score"] = alert.score ? nlohmann::ordered_json(*alert.score) : nullptr;
    entry["message"] = alert.message;
    entry["status"] = std::string(store::AlertStatusName(alert.status));
    entry["status_by"] = alert.status_by;
    entry["status_at"] = alert.status_at;
    entry["status_note"] = alert.status_note;
    entry["created_at"] = alert.created_at;
    ASSIGN_OR_RETURN(std::vector<store::AlertEvent> events, store.AlertHistory(alert.id));
    nlohmann::ordered_json history = nlohmann::ordered_json::array();
    for (const store::AlertEvent& event : events) {
      history.push_back({{"from", std::string(store::AlertStatusName(event.from_status))},
                         {"to", std::string(store::AlertStatusName(event.to_status))},
                         {"who", event.who},
                         {"when", event.when},
                         {"note", event.note}});
    }
    entry["history"] = history;
    list.push_back(std::move(entry));
  }
  return list;
}

int ListAlerts(const CommandLine& line, const Environment& environment) {
  if (line.positional().size() != 2) return Usage(environment, "alerts list takes no ID");
  if (line.Flag("note") || line.Flag("as")) {
    return Usage(environment, "--note and --as are for alerts ack and alerts close");
  }
  if (!line.Flag("operation")) return Usage(environment, "--operation NAME is required");
  store::AlertFilter filter;
  if (std::optional<std::string> text = line.Flag("round")) {
    std::optional<int64_t> number = core::ParseInteger(*text);
    if (!number || *number < 0 || *number > 1'000'000) {
      return Usage(environment, "--round must be a round number");
    }
    filter.round = static_cast<int>(*number);
  }
  std::vector<std::string> words = line.ListFlag("status");
  if (words.empty()) words = {"new", "acknowledged"};
  if (words.size() == 1 && words[0] == "all") words = {"new", "acknowledged", "closed"};
  std::string statuses;
  for (const std::string& word : words) {
    std::optional<store::AlertStatus> status = store::ParseAlertStatus(word);
    if (!status) {
      return Usage(environment, "--status: unknown status '" + word +
                                    "' (new, acknowledged, closed, or all)");
    }
    if (std::find(filter.statuses.begin(), filter.statuses.end(), *status) !=
        filter.statuses.end()) {
      continue;
    }
    filter.statuses.push_back(*status);
    statuses += (statuses.empty() ? "" : ", ") + word;
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json");
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<std::vector<store::Alert>> alerts = store.Alerts(operation->id, filter);
  if (!alerts.ok()) return Fail(environment, alerts.status());
  if (format == "json") {
    Result<nlohmann::ordered_json> json = AlertJson(store, *alerts);
    if (!json.ok()) return Fail(environment, json.status());
    *environment.out << json->dump(2) << "\n";
  } else if (format == "csv") {
    PrintAlertCsv(*environment.out, *alerts);
  } else {
    PrintAlertTable(*environment.out, *alerts, statuses);
  }
  return 0;
}

// ack and close: each ID on its own (see the header).
int MoveAlerts(const CommandLine& line, const Environment& environment,
               store::AlertStatus status) {
  const std::vector<std::string>& words = line.positional();
  if (words.size() < 3) return Usage(environment, "alerts " + words[1] + " needs an alert ID");
  std::vector<int64_t> ids;
  for (size_t word_idx = 2; word_idx < words.size(); ++word_idx) {
    std::optional<int64_t> id = core::ParseInteger(words[word_idx]);
    if (!id || *id <= 0) {
      return Usage(environment, "'" + words[word_idx] + "' is not an alert ID");
    }
    ids.push_back(*id);
  }
  std::optional<std::string> note = line.Flag("note");
  if (!note || note->empty()) {
    return Usage(environment, "--note TEXT is required: say what was done or why");
  }
  for (const char* flag : {"operation", "country", "round", "status", "format"}) {
    if (line.Flag(flag)) return Usage(environment, std::string("--") + flag + " is for alerts list");
  }
  const std::string who = line.Flag("as").value_or(environment.who);
  if (who.empty()) return Usage(environment, "--as needs a name");

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const std::string when = NowIso();
  int exit_code = 0;
  for (int64_t id : ids) {
    Result<store::Alert> moved = opened->store->SetAlertStatus(id, status, who, when, *note);
    if (!moved.ok()) {
      const StatusCode code = moved.status().code();
      if (code != StatusCode::kNotFound && code != StatusCode::kFailedPrecondition) {
        return Fail(environment, moved.status());
      }
      *environment.err << "dtm: " << moved.status().message() << "\n";
      exit_code = kExitRefused;
      continue;
    }
    *environment.out << "alert " << id << " (" << moved->rule << ", site " << moved->site_id
                     << ", round " << moved->round << "): " << store::AlertStatusName(status)
                     << " by " << who << " at " << when << "\n";
  }
  return exit_code;
}

}  // namespace

int RunAlertsCommand(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"db", "dictionary", "operation", "country", "round",
                                           "status", "format", "note", "as", "tier", "purpose"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  const std::vector<std::string>& words = line.positional();
  const std::string subcommand = words.size() >= 2 ? words[1] : "";
  if (subcommand == "list") {
    // Alerts name sites and their urgent values: for the operation's team
    // and protection actors (spec/disclosure.md, class urgent).
    ReadNeeds needs{"alerts", store::Tier::kProtection,
                    "alerts name sites and urgent values (spec/disclosure.md)", false};
    return RunDisclosedRead(line, environment, needs,
                            [&line](const Environment& inner, const DisclosedRead&) {
                              return ListAlerts(line, inner);
                            });
  }
  if (subcommand == "ack") return MoveAlerts(line, environment, store::AlertStatus::kAcknowledged);
  if (subcommand == "close") return MoveAlerts(line, environment, store::AlertStatus::kClosed);
  return Usage(environment, "alerts needs list, ack or close");
}

}  // namespace opendtm::cli
