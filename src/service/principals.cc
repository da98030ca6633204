#include "service/principals.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "service/door.h"

namespace opendtm::service {
namespace {

using Json = nlohmann::ordered_json;

// The door of an instance operation (`action` on the instance, not on one
// operation), with the request as the audit record keeps it.
Result<Door> InstanceDoor(Session& session, std::string action, Json filters) {
  Needs needs;
  needs.action = std::move(action);
  needs.instance = true;
  store::Operation instance;
  instance.name = "(instance)";
  filters["command"] = needs.action;
  return Door::Enter(session, instance, std::move(needs), std::move(filters));
}

// The door of a read of the instance's directory.
Result<Door> DirectoryDoor(Session& session, std::string action) {
  store::Operation instance;
  instance.name = "(instance)";
  Json filters;
  filters["command"] = action;
  return Door::Enter(session, instance, Needs::Of(std::move(action)), std::move(filters));
}

// Runs `write` behind `door`, auditing it as allowed once it succeeded.
template <typename T>
Result<T> Audited(Door& door, Result<T> written) {
  if (!written.ok()) return written;
  RETURN_IF_ERROR(door.Allow(Outcome{1, 0, "", ""}));
  return written;
}

Status AuditedStatus(Door& door, Status written) {
  RETURN_IF_ERROR(written);
  return door.Allow(Outcome{1, 0, "", ""});
}

Result<store::Operation> OperationOf(Session& session, int64_t operation_id) {
  ASSIGN_OR_RETURN(std::vector<store::Operation> operations, session.store->ListOperations());
  for (const store::Operation& operation : operations) {
    if (operation.id == operation_id) return operation;
  }
  return NotFoundError("operation " + std::to_string(operation_id) + " not found");
}

}  // namespace

Result<std::vector<store::Organisation>> ListOrganisations(Session& session) {
  ASSIGN_OR_RETURN(Door door, DirectoryDoor(session, "organisation list"));
  ASSIGN_OR_RETURN(std::vector<store::Organisation> organisations,
                   session.store->ListOrganisations());
  RETURN_IF_ERROR(door.Allow(Outcome{static_cast<int64_t>(organisations.size()), 0, "", ""}));
  return organisations;
}

Result<store::Organisation> AddOrganisation(Session& session, const std::string& name,
                                            const std::vector<std::string>& clusters) {
  Json filters;
  filters["organisation"] = name;
  filters["clusters"] = clusters;
  ASSIGN_OR_RETURN(Door door, InstanceDoor(session, "organisation add", std::move(filters)));
  return Audited(door, session.store->AddOrganisation({0, name, clusters, session.Now(), ""}));
}

Status RevokeOrganisation(Session& session, const std::string& name) {
  Json filters;
  filters["organisation"] = name;
  ASSIGN_OR_RETURN(Door door, InstanceDoor(session, "organisation revoke", std::move(filters)));
  return AuditedStatus(door, session.store->RevokeOrganisation(name, session.Now()));
}

Result<std::vector<store::User>> ListUsers(Session& session) {
  ASSIGN_OR_RETURN(Door door, DirectoryDoor(session, "user list"));
  ASSIGN_OR_RETURN(std::vector<store::User> users, session.store->ListUsers());
  RETURN_IF_ERROR(door.Allow(Outcome{static_cast<int64_t>(users.size()), 0, "", ""}));
  return users;
}

Result<store::User> AddUser(Session& session, const std::string& name,
                            const std::string& organisation,
                            const std::vector<store::UserTier>& tiers) {
  Json filters;
  filters["user"] = name;
  filters["organisation"] = organisation;
  Json granted = Json::array();
  for (const store::UserTier& tier : tiers) {
    granted.push_back(
        {{"operation_id", tier.operation_id}, {"tier", std::string(store::TierName(tier.tier))}});
  }
  filters["tiers"] = std::move(granted);
  ASSIGN_OR_RETURN(Door door, InstanceDoor(session, "user add", std::move(filters)));
  Result<store::Organisation> found = session.store->FindOrganisation(organisation);
  if (!found.ok()) return door.Refuse(found.status());
  return Audited(door, session.store->AddUser({0, name, found->id, tiers, session.Now(), ""}));
}

Status RevokeUser(Session& session, const std::string& name) {
  Json filters;
  filters["user"] = name;
  ASSIGN_OR_RETURN(Door door, InstanceDoor(session, "user revoke", std::move(filters)));
  return AuditedStatus(door, session.store->RevokeUser(name, session.Now()));
}

Status SetUserTiers(Session& session, const std::string& name,
                    const std::vector<store::UserTier>& tiers) {
  if (tiers.empty()) return InvalidArgumentError("no tier to set");
  // 1. Every operation's door first: nothing is set unless all allow it.
  std::vector<Door> doors;
  for (const store::UserTier& tier : tiers) {
    ASSIGN_OR_RETURN(store::Operation operation, OperationOf(session, tier.operation_id));
    Json filters;
    filters["command"] = "user tier";
    filters["user"] = name;
    filters["tier"] = std::string(store::TierName(tier.tier));
    Needs needs = Needs::Of("user tier", store::Tier::kOperationAdmin,
                            "tiers of an operation are granted by its operation_admin");
    ASSIGN_OR_RETURN(Door door, Door::Enter(session, operation, std::move(needs), filters));
    doors.push_back(std::move(door));
  }
  // 2. Set, and audit each.
  for (size_t tier_idx = 0; tier_idx < tiers.size(); ++tier_idx) {
    RETURN_IF_ERROR(
        AuditedStatus(doors[tier_idx], session.store->SetUserTier(name, tiers[tier_idx])));
  }
  return Status();
}

}  // namespace opendtm::service
