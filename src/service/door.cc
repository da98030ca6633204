#include "service/door.h"

#include <optional>
#include <utility>
#include <vector>

#include "core/date.h"

namespace opendtm::service {
namespace {

std::string JoinClusters(const std::vector<std::string>& clusters) {
  std::string joined;
  for (const std::string& cluster : clusters) joined += (joined.empty() ? "" : ",") + cluster;
  return joined;
}

// The instance admin: operation_admin of every operation (or the narrower
// tier asked for), in the organisation "local" of the DTM team.
disclosure::Access InstanceAdminAccess(const Principal& principal) {
  disclosure::Access access;
  access.principal.user = principal.user;
  access.principal.organisation = "local";
  access.principal.clusters = {"dtm"};
  access.tier = principal.tier.value_or(store::Tier::kOperationAdmin);
  return access;
}

// The principal's access to one operation. Errors: PermissionDenied naming
// the rule; the store's.
Result<disclosure::Access> GrantOne(Session& session, const store::Operation& operation) {
  const Principal& principal = session.principal;
  if (principal.instance_admin) return InstanceAdminAccess(principal);
  if (principal.user.empty()) {  // anonymous
    if (principal.tier && *principal.tier > store::Tier::kPublic) {
      return PermissionDeniedError("an anonymous reader reads with tier public, not " +
                                   std::string(store::TierName(*principal.tier)));
    }
    return disclosure::Access{};
  }
  return disclosure::GrantAccess(*session.store, principal.user, operation, principal.tier,
                                 core::ToIso(session.Today()));
}

// Access to every operation at once (a regional rollup, the whole
// quarantine): the lowest tier the principal reads them with, or the first
// refusal.
Result<disclosure::Access> GrantEverywhere(Session& session) {
  ASSIGN_OR_RETURN(std::vector<store::Operation> operations, session.store->ListOperations());
  std::optional<disclosure::Access> lowest;
  for (const store::Operation& operation : operations) {
    ASSIGN_OR_RETURN(disclosure::Access access, GrantOne(session, operation));
    if (!lowest || access.tier < lowest->tier) lowest = access;
  }
  if (!lowest) return GrantOne(session, store::Operation{});
  return *lowest;
}

// Why `access` may not do what `needs` asks, or OK.
Status CheckNeeds(const Session& session, const store::Operation& operation, const Needs& needs,
                  const disclosure::Access& access) {
  const Principal& principal = session.principal;
  if (needs.instance && !principal.instance_admin) {
    return PermissionDeniedError(needs.action +
                                 " is for the instance admin (whoever holds the "
                                 "database file on the command line), not " +
                                 principal.Label());
  }
  if (access.tier < needs.least_tier) {
    return PermissionDeniedError(needs.action + " of " + OperationLabel(operation) +
                                 " needs tier " + std::string(store::TierName(needs.least_tier)) +
                                 " or above, and " + principal.Label() + " acts with tier " +
                                 std::string(store::TierName(access.tier)) +
                                 (needs.why_tier.empty() ? "" : " (" + needs.why_tier + ")"));
  }
  if (principal.purpose.empty() && (needs.download || access.tier == store::Tier::kProtection)) {
    return PermissionDeniedError(
        std::string(needs.download ? "a download" : "a read with tier protection") +
        " needs a stated purpose (--purpose \"…\")");
  }
  return Status();
}

}  // namespace

std::string OperationLabel(const store::Operation& operation) {
  if (operation.country.empty()) return operation.name;
  return operation.name + " (" + operation.country + ")";
}

Result<disclosure::Policy> CurrentPolicy(store::Store& store, int64_t operation_id) {
  Result<store::PolicyVersion> stored = store.CurrentPolicy(operation_id);
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound) return disclosure::DefaultPolicy();
    return stored.status();
  }
  return disclosure::ParsePolicy(stored->rules, stored->version);
}

Status AppendAudit(Session& session, store::AuditRecord record) {
  audit::AuditLog log(*session.store, session.audit_files);
  Result<store::AuditRecord> stored = log.Append(std::move(record));
  if (log.created_key()) {
    session.notices.push_back("created audit key " + log.files().key_path +
                              " (keep it outside backups)");
  }
  return stored.status();
}

Result<Door> Door::Enter(Session& session, const store::Operation& operation, Needs needs,
                         nlohmann::ordered_json filters) {
  Door door(session, operation, std::move(needs), std::move(filters));
  // 1. Who, with which tier: refusals are audited too.
  Result<disclosure::Access> access =
      operation.id == 0 ? GrantEverywhere(session) : GrantOne(session, operation);
  Status refusal;
  if (access.ok()) {
    door.access_ = *access;
    refusal = CheckNeeds(session, operation, door.needs_, *access);
  } else if (access.status().code() == StatusCode::kPermissionDenied) {
    refusal = access.status();
    if (!session.principal.user.empty()) {
      ASSIGN_OR_RETURN(door.access_.principal,
                       disclosure::FindPrincipal(*session.store, session.principal.user));
    }
    if (session.principal.tier) door.access_.tier = *session.principal.tier;
  } else {
    return access.status();
  }
  // 2. The policy in force.
  ASSIGN_OR_RETURN(door.policy_, CurrentPolicy(*session.store, operation.id));
  if (!refusal.ok()) {
    // The tier is unknown when the principal was refused before one was granted.
    door.tier_known_ = access.ok() || session.principal.tier.has_value();
    return door.Refuse(std::move(refusal));
  }
  return door;
}

store::AuditRecord Door::Record(std::string outcome) const {
  store::AuditRecord record;
  record.time = session_->Now();
  record.user = access_.principal.user.empty() ? session_->principal.user : access_.principal.user;
  record.organisation = access_.principal.organisation;
  record.clusters = JoinClusters(access_.principal.clusters);
  record.tier = tier_known_ ? std::string(store::TierName(access_.tier)) : "";
  record.operation_id = operation_.id;
  record.operation = operation_.id == 0 ? operation_.name : OperationLabel(operation_);
  record.dataset = needs_.action;
  record.filters = filters_.dump();
  record.dsa = access_.dsa;
  record.purpose = session_->principal.purpose;
  record.outcome = std::move(outcome);
  record.policy_version = policy_.version;
  record.os_user = session_->principal.os_user;
  return record;
}

Status Door::Refuse(Status refusal) {
  refused_ = true;
  store::AuditRecord record = Record("refused");
  record.reason = refusal.message();
  RETURN_IF_ERROR(AppendAudit(*session_, std::move(record)));
  return refusal;
}

Status Door::Allow(const Outcome& outcome) {
  store::AuditRecord record = Record("allowed");
  record.rows = outcome.rows;
  record.columns = outcome.columns;
  record.format = outcome.format;
  record.content_hash = outcome.content_hash;
  return AppendAudit(*session_, std::move(record));
}

}  // namespace opendtm::service
