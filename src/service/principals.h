// Organisations and users, and the tiers users hold per operation
// (spec/disclosure.md, "Tiers"), through the door.
//
// Creating and revoking organisations and users are instance operations:
// the instance admin's alone. A tier for an operation is granted by that
// operation's operation_admin (the instance admin is one everywhere). The
// lists are reads of the instance's directory, audited like any read. Every
// call writes one audit record per operation it touches, refusals included.
//
// Thread-safety: as the session.
#ifndef OPENDTM_SERVICE_PRINCIPALS_H_
#define OPENDTM_SERVICE_PRINCIPALS_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "service/session.h"
#include "store/records.h"

namespace opendtm::service {

// Errors (each function): PermissionDenied (audited) when the principal may
// not; the store's (AlreadyExists for a name taken, NotFound for an unknown
// one, FailedPrecondition for one already revoked).
Result<std::vector<store::Organisation>> ListOrganisations(Session& session);
Result<store::Organisation> AddOrganisation(Session& session, const std::string& name,
                                            const std::vector<std::string>& clusters);
Status RevokeOrganisation(Session& session, const std::string& name);

Result<std::vector<store::User>> ListUsers(Session& session);
// A new user of `organisation` with `tiers` (public elsewhere): an instance
// operation.
Result<store::User> AddUser(Session& session, const std::string& name,
                            const std::string& organisation,
                            const std::vector<store::UserTier>& tiers);
Status RevokeUser(Session& session, const std::string& name);
// Sets each of `tiers` for `name`: the principal must be operation_admin of
// every operation named (checked for all before any is set).
Status SetUserTiers(Session& session, const std::string& name,
                    const std::vector<store::UserTier>& tiers);

}  // namespace opendtm::service

#endif  // OPENDTM_SERVICE_PRINCIPALS_H_
