// Alerts (spec/disclosure.md, class `urgent`; spec/analysis.md, alerts):
// listing an operation's alerts and moving them (acknowledge, close), through
// the door.
//
// Alerts name sites and their urgent values: both need tier protection or
// operation_admin of the alert's operation. Every call writes one audit
// record per operation touched, refusals included.
//
// Thread-safety: as the session.
#ifndef OPENDTM_SERVICE_ALERTS_H_
#define OPENDTM_SERVICE_ALERTS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/session.h"
#include "store/records.h"

namespace opendtm::service {

struct AlertListRequest {
  std::string operation;  // its name
  std::string country;    // ISO3, "" when the name alone is unique
  store::AlertFilter filter;
  std::string format;  // how the caller will show it ("table", "csv", "json"), for the audit
};

struct AlertList {
  store::Operation operation;
  std::vector<store::Alert> alerts;
  std::vector<std::vector<store::AlertEvent>> histories;  // by alert, oldest first
};

// The operation's alerts that match the filter, with their histories.
// Errors: PermissionDenied (audited) below protection; NotFound for an
// unknown operation; the store's.
Result<AlertList> ListAlerts(Session& session, const AlertListRequest& request);

// Every field of each alert and its status history, as the JSON outputs give
// them.
nlohmann::ordered_json AlertsJson(const AlertList& list);

struct AlertMove {
  int64_t alert_id = 0;
  store::AlertStatus to = store::AlertStatus::kAcknowledged;  // or kClosed
  std::string note;                                           // what was done or why: required
};

// Moves one alert, recording the principal, the time and the note. Errors:
// InvalidArgument without a note or for a status other than acknowledged or
// closed; NotFound for an unknown alert (not audited: no operation to name);
// PermissionDenied (audited) below protection for the alert's operation;
// FailedPrecondition (audited as refused) for a move the alert's status does
// not allow or an alert of an undone batch; the store's.
Result<store::Alert> MoveAlert(Session& session, const AlertMove& move);

}  // namespace opendtm::service

#endif  // OPENDTM_SERVICE_ALERTS_H_
