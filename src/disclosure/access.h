// Access: who is asking, and with which tier, for one operation's data
// (spec/disclosure.md, "Tiers"). Checked at every read, before any figure is
// computed: the user and its organisation must be active, the tier asked for
// may not exceed the tier the user holds for the operation, and the
// protection tier needs a data sharing agreement of the user's organisation
// that covers the operation and today's date and is not revoked.
//
// The local operation admin (kLocalAdmin, the CLI's default user until the
// server brings log-in) need not be registered: unregistered, it is the
// operation_admin of every operation, in organisation "local" (cluster
// "dtm"). Registered, it is a user like any other.
//
// Thread-safety: reads the store (thread-safe); no state.
#ifndef OPENDTM_DISCLOSURE_ACCESS_H_
#define OPENDTM_DISCLOSURE_ACCESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::disclosure {

inline constexpr std::string_view kLocalAdmin = "local-admin";

// Who asks.
struct Principal {
  std::string user;
  std::string organisation;
  std::vector<std::string> clusters;
};

// What an access was granted: the tier to read with, and the agreement it
// relied on ("" unless protection).
struct Access {
  Principal principal;
  store::Tier tier = store::Tier::kPublic;
  std::string dsa;
};

// The principal `user` names, as far as it is known: an unknown user is
// {user, "", {}} (so that its refusal can still be audited). Errors: the
// store's, other than NotFound.
Result<Principal> FindPrincipal(store::Store& store, std::string_view user);

// Grants `user` access to `operation` with `requested` (default: the tier it
// holds; a user without a tier for the operation holds public), on `today`
// (ISO date). Errors: PermissionDenied naming the rule (unknown or revoked
// user or organisation; a tier above the one held; protection without a
// valid agreement: none, expired, not yet valid or revoked); the store's.
Result<Access> GrantAccess(store::Store& store, std::string_view user,
                           const store::Operation& operation, std::optional<store::Tier> requested,
                           std::string_view today);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_ACCESS_H_
