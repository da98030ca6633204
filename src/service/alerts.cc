#include "service/alerts.h"

#include <utility>

#include "core/sha256.h"
#include "service/door.h"

namespace opendtm::service {
namespace {

constexpr const char* kWhyAlerts = "alerts name sites and urgent values (spec/disclosure.md)";

nlohmann::ordered_json AlertJson(const store::Alert& alert,
                                 const std::vector<store::AlertEvent>& events) {
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
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  for (const store::AlertEvent& event : events) {
    history.push_back({{"from", std::string(store::AlertStatusName(event.from_status))},
                       {"to", std::string(store::AlertStatusName(event.to_status))},
                       {"who", event.who},
                       {"when", event.when},
                       {"note", event.note}});
  }
  entry["history"] = std::move(history);
  return entry;
}

nlohmann::ordered_json ListFilters(const AlertListRequest& request) {
  nlohmann::ordered_json statuses = nlohmann::ordered_json::array();
  for (store::AlertStatus status : request.filter.statuses) {
    statuses.push_back(std::string(store::AlertStatusName(status)));
  }
  nlohmann::ordered_json filters;
  filters["command"] = "alerts list";
  filters["round"] = request.filter.round ? nlohmann::ordered_json(*request.filter.round) : nullptr;
  filters["status"] = std::move(statuses);
  return filters;
}

}  // namespace

nlohmann::ordered_json AlertsJson(const AlertList& list) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (size_t alert_idx = 0; alert_idx < list.alerts.size(); ++alert_idx) {
    json.push_back(AlertJson(list.alerts[alert_idx], list.histories[alert_idx]));
  }
  return json;
}

Result<AlertList> ListAlerts(Session& session, const AlertListRequest& request) {
  AlertList list;
  ASSIGN_OR_RETURN(list.operation,
                   session.store->FindOperation(
                       request.operation, request.country.empty()
                                              ? std::nullopt
                                              : std::optional<std::string_view>(request.country)));
  ASSIGN_OR_RETURN(Door door, Door::Enter(session, list.operation,
                                          Needs::Of("alerts", store::Tier::kProtection, kWhyAlerts),
                                          ListFilters(request)));
  ASSIGN_OR_RETURN(list.alerts, session.store->Alerts(list.operation.id, request.filter));
  for (const store::Alert& alert : list.alerts) {
    ASSIGN_OR_RETURN(std::vector<store::AlertEvent> events, session.store->AlertHistory(alert.id));
    list.histories.push_back(std::move(events));
  }
  Outcome outcome;
  outcome.rows = static_cast<int64_t>(list.alerts.size());
  outcome.format = request.format;
  outcome.content_hash = core::Sha256::HexOf(AlertsJson(list).dump());
  RETURN_IF_ERROR(door.Allow(outcome));
  return list;
}

Result<store::Alert> MoveAlert(Session& session, const AlertMove& move) {
  if (move.note.empty()) {
    return InvalidArgumentError("a note is required: say what was done or why");
  }
  if (move.to != store::AlertStatus::kAcknowledged && move.to != store::AlertStatus::kClosed) {
    return InvalidArgumentError("an alert can be acknowledged or closed, not set to " +
                                std::string(store::AlertStatusName(move.to)));
  }
  ASSIGN_OR_RETURN(store::Alert alert, session.store->FindAlert(move.alert_id));
  ASSIGN_OR_RETURN(std::vector<store::Operation> operations, session.store->ListOperations());
  store::Operation operation;
  for (const store::Operation& candidate : operations) {
    if (candidate.id == alert.operation_id) operation = candidate;
  }
  const std::string action = move.to == store::AlertStatus::kClosed ? "alert close" : "alert ack";
  nlohmann::ordered_json filters;
  filters["command"] = action;
  filters["alert"] = move.alert_id;
  filters["note"] = move.note;
  ASSIGN_OR_RETURN(Door door, Door::Enter(session, operation,
                                          Needs::Of(action, store::Tier::kProtection, kWhyAlerts),
                                          std::move(filters)));
  Result<store::Alert> moved = session.store->SetAlertStatus(
      move.alert_id, move.to, session.principal.Actor(), session.Now(), move.note);
  if (!moved.ok()) {
    if (moved.status().code() == StatusCode::kFailedPrecondition) {
      return door.Refuse(moved.status());
    }
    return moved.status();
  }
  Outcome outcome;
  outcome.rows = 1;
  RETURN_IF_ERROR(door.Allow(outcome));
  return moved;
}

}  // namespace opendtm::service
