#include "disclosure/access.h"

#include <algorithm>

namespace opendtm::disclosure {
namespace {

std::string OperationLabel(const store::Operation& operation) {
  return operation.name + " (" + operation.country + ")";
}

std::string TierText(store::Tier tier) { return std::string(store::TierName(tier)); }

// The unregistered local operation admin.
Access LocalAdmin() {
  return Access{Principal{std::string(kLocalAdmin), "local", {"dtm"}}, store::Tier::kOperationAdmin,
                ""};
}

// Why `dsa` does not cover `operation` on `today`, "" when it does.
std::string DsaProblem(const store::DataSharingAgreement& dsa, const store::Operation& operation,
                       std::string_view today) {
  if (std::find(dsa.operation_ids.begin(), dsa.operation_ids.end(), operation.id) ==
      dsa.operation_ids.end()) {
    return dsa.reference + " does not cover " + OperationLabel(operation);
  }
  if (dsa.tier < store::Tier::kProtection) {
    return dsa.reference + " is for tier " + TierText(dsa.tier);
  }
  if (!dsa.revoked_at.empty())
    return dsa.reference + " was revoked on " + dsa.revoked_at.substr(0, 10);
  if (today < std::string_view(dsa.valid_from)) {
    return dsa.reference + " is valid only from " + dsa.valid_from;
  }
  if (today > std::string_view(dsa.valid_to)) return dsa.reference + " expired on " + dsa.valid_to;
  return "";
}

}  // namespace

Result<Principal> FindPrincipal(store::Store& store, std::string_view user) {
  Result<store::User> found = store.FindUser(user);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    if (user == kLocalAdmin) return LocalAdmin().principal;
    return Principal{std::string(user), "", {}};
  }
  Result<store::Organisation> organisation = store.GetOrganisation(found->organisation_id);
  if (!organisation.ok()) return organisation.status();
  return Principal{found->name, organisation->name, organisation->clusters};
}

Result<Access> GrantAccess(store::Store& store, std::string_view user,
                           const store::Operation& operation, std::optional<store::Tier> requested,
                           std::string_view today) {
  // 1. The user, and its organisation, must exist and be active.
  Result<store::User> found = store.FindUser(user);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    if (user != kLocalAdmin) {
      return PermissionDeniedError("unknown user '" + std::string(user) +
                                   "' (register it with dtm user add)");
    }
    Access access = LocalAdmin();
    if (requested) access.tier = *requested;
    return access;
  }
  if (!found->revoked_at.empty()) {
    return PermissionDeniedError("user '" + found->name + "' was revoked on " +
                                 found->revoked_at.substr(0, 10));
  }
  Result<store::Organisation> organisation = store.GetOrganisation(found->organisation_id);
  if (!organisation.ok()) return organisation.status();
  if (!organisation->revoked_at.empty()) {
    return PermissionDeniedError("organisation '" + organisation->name + "' of user '" +
                                 found->name + "' was revoked on " +
                                 organisation->revoked_at.substr(0, 10));
  }
  Access access{Principal{found->name, organisation->name, organisation->clusters},
                store::Tier::kPublic, ""};
  // 2. The tier: the one held for the operation (public when none); a lower
  // one may be asked for, never a higher one.
  store::Tier held = store::Tier::kPublic;
  for (const store::UserTier& tier : found->tiers) {
    if (tier.operation_id == operation.id) held = tier.tier;
  }
  access.tier = requested.value_or(held);
  if (access.tier > held) {
    return PermissionDeniedError("user '" + found->name + "' holds tier " + TierText(held) +
                                 " for " + OperationLabel(operation) + ", not " +
                                 TierText(access.tier));
  }
  // 3. Protection needs a valid data sharing agreement of the organisation,
  // checked at every access.
  if (access.tier == store::Tier::kProtection) {
    Result<std::vector<store::DataSharingAgreement>> agreements = store.ListDsas();
    if (!agreements.ok()) return agreements.status();
    std::vector<std::string> problems;
    for (const store::DataSharingAgreement& dsa : *agreements) {
      if (dsa.organisation_id != found->organisation_id) continue;
      std::string problem = DsaProblem(dsa, operation, today);
      if (problem.empty()) {
        access.dsa = dsa.reference;
        return access;
      }
      problems.push_back(std::move(problem));
    }
    std::string message = "tier protection for " + OperationLabel(operation) +
                          " needs a valid data sharing agreement of organisation '" +
                          organisation->name + "'";
    if (problems.empty()) {
      message += ": it has none (dtm dsa add)";
    } else {
      message += ":";
      for (const std::string& problem : problems) message += " " + problem + ";";
      message.pop_back();
    }
    return PermissionDeniedError(message);
  }
  return access;
}

}  // namespace opendtm::disclosure
