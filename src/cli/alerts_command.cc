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

#include "cli/service_session.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "service/alerts.h"
#include "store/records.h"

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

int ListAlerts(const CommandLine& line, const Environment& environment) {
  if (line.positional().size() != 2) return Usage(environment, "alerts list takes no ID");
  if (line.Flag("note")) return Usage(environment, "--note is for alerts ack and alerts close");
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
  Result<service::Session> session = SessionFor(line, environment, *opened->store);
  if (!session.ok()) return Fail(environment, session.status());
  service::AlertListRequest request;
  request.operation = *line.Flag("operation");
  request.country = line.Flag("country").value_or("");
  request.filter = filter;
  request.format = format;
  Result<service::AlertList> list = service::ListAlerts(*session, request);
  PrintNotices(environment, *session);
  if (!list.ok()) return Fail(environment, list.status());
  if (format == "json") {
    *environment.out << service::AlertsJson(*list).dump(2) << "\n";
  } else if (format == "csv") {
    PrintAlertCsv(*environment.out, list->alerts);
  } else {
    PrintAlertTable(*environment.out, list->alerts, statuses);
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
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  Result<service::Session> session = SessionFor(line, environment, *opened->store);
  if (!session.ok()) return Usage(environment, session.status().message());
  int exit_code = 0;
  for (int64_t id : ids) {
    Result<store::Alert> moved = service::MoveAlert(*session, {id, status, *note});
    PrintNotices(environment, *session);
    session->notices.clear();
    if (!moved.ok()) {
      const StatusCode code = moved.status().code();
      if (code != StatusCode::kNotFound && code != StatusCode::kFailedPrecondition &&
          code != StatusCode::kPermissionDenied) {
        return Fail(environment, moved.status());
      }
      *environment.err << "dtm: " << moved.status().message() << "\n";
      exit_code = kExitRefused;
      continue;
    }
    *environment.out << "alert " << id << " (" << moved->rule << ", site " << moved->site_id
                     << ", round " << moved->round << "): " << store::AlertStatusName(status)
                     << " by " << moved->status_by << " at " << moved->status_at << "\n";
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
  if (subcommand == "list") return ListAlerts(line, environment);
  if (subcommand == "ack") return MoveAlerts(line, environment, store::AlertStatus::kAcknowledged);
  if (subcommand == "close") return MoveAlerts(line, environment, store::AlertStatus::kClosed);
  return Usage(environment, "alerts needs list, ack or close");
}

}  // namespace opendtm::cli
