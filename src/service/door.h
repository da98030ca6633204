// The door: the one place where a service operation checks who asks and
// writes the audit record (spec/server.md, "Layers"; spec/disclosure.md,
// "What goes through this layer").
//
// Enter() grants the session's principal its tier for one operation (the
// instance admin: operation_admin of every operation; a user: the tier held,
// or the narrower one asked for, with a data sharing agreement for
// protection; anonymous: public), checks it meets what the operation needs
// (a least tier, a purpose for downloads and protection reads, the instance
// admin for instance operations), and loads the operation's disclosure
// policy. A refusal is written to the audit log before Enter returns
// PermissionDenied. Allow() writes the audit record of what was done or
// returned, and must come before anything leaves.
//
// Thread-safety: one door, one thread; borrows the session.
#ifndef OPENDTM_SERVICE_DOOR_H_
#define OPENDTM_SERVICE_DOOR_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "disclosure/access.h"
#include "disclosure/policy.h"
#include "service/session.h"
#include "store/records.h"

namespace opendtm::service {

// What an operation asks of whoever calls it.
struct Needs {
  // What the audit record names: "export", "rollup", "alerts", "alert ack"…
  std::string action;
  store::Tier least_tier = store::Tier::kPublic;  // lower tiers are refused
  std::string why_tier;   // the rule, for the refusal ("alerts name sites …")
  bool download = false;  // a file leaves the system: a purpose is required
  bool instance = false;  // an instance operation: the instance admin only

  // `action` for tier `least` and above (the rule `why` names it).
  static Needs Of(std::string action, store::Tier least = store::Tier::kPublic,
                  std::string why = "") {
    Needs needs;
    needs.action = std::move(action);
    needs.least_tier = least;
    needs.why_tier = std::move(why);
    return needs;
  }
};

// What was done or returned, for the audit record.
struct Outcome {
  int64_t rows = 0;
  int64_t columns = 0;
  std::string format;        // "csv", "json", "table", "" for a write
  std::string content_hash;  // SHA-256 hex of what was returned, "" for a write
};

class Door {
 public:
  // `operation` with id 0 stands for every operation (a regional rollup):
  // the principal is granted the lowest tier it reads them with. `filters`:
  // the request, as the audit record keeps it. Errors: PermissionDenied
  // (audited) naming the rule; the store's.
  static Result<Door> Enter(Session& session, const store::Operation& operation, Needs needs,
                            nlohmann::ordered_json filters);

  const disclosure::Access& access() const { return access_; }
  store::Tier tier() const { return access_.tier; }
  const disclosure::Policy& policy() const { return policy_; }
  const disclosure::TierRules& rules() const { return policy_.For(access_.tier); }
  const store::Operation& operation() const { return operation_; }

  // Writes the audit record of what was done or returned. Errors: the audit
  // log's (then nothing may leave).
  Status Allow(const Outcome& outcome);
  // Writes the audit record of a request refused after the grant (a level
  // the tier may not see…) and returns `refusal`, or the audit log's error.
  Status Refuse(Status refusal);
  bool refused() const { return refused_; }

 private:
  Door(Session& session, store::Operation operation, Needs needs, nlohmann::ordered_json filters)
      : session_(&session),
        operation_(std::move(operation)),
        needs_(std::move(needs)),
        filters_(std::move(filters)) {}
  store::AuditRecord Record(std::string outcome) const;

  Session* session_;
  store::Operation operation_;
  Needs needs_;
  nlohmann::ordered_json filters_;
  disclosure::Access access_;
  disclosure::Policy policy_;
  bool tier_known_ = true;
  bool refused_ = false;
};

// Appends `record` to the session's audit log (a new database gets its key
// first, and the session a notice). Errors: the audit log's.
Status AppendAudit(Session& session, store::AuditRecord record);

// The operation's current disclosure policy (the default when none is set).
// Errors: the store's; InvalidArgument when the stored policy does not parse.
Result<disclosure::Policy> CurrentPolicy(store::Store& store, int64_t operation_id);

// "Nigeria NE (NGA)", or the name alone when there is no country.
std::string OperationLabel(const store::Operation& operation);

}  // namespace opendtm::service

#endif  // OPENDTM_SERVICE_DOOR_H_
