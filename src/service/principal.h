// Who asks (spec/server.md, "Layers"; spec/disclosure.md, "Tiers"): a
// registered user, the anonymous reader (tier public), or the instance admin.
//
// On the command line, whoever can open the database file for writing is its
// instance admin unless `--as` names another user (issue 14): the instance
// admin is operation_admin of every operation and alone creates operations,
// imports gazetteers, manages organisations and users and restores backups.
// The server builds principals only from credentials, never from `--as`.
//
// Thread-safety: plain values.
#ifndef OPENDTM_SERVICE_PRINCIPAL_H_
#define OPENDTM_SERVICE_PRINCIPAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace opendtm::service {

// The name audit records give the instance admin of the command line, as
// they have since the first release ("local-admin").
inline constexpr std::string_view kInstanceAdminName = "local-admin";

struct Principal {
  std::string user;             // "" for the anonymous reader
  bool instance_admin = false;  // see above
  // The operating-system account that ran the command, for the audit record
  // ("" on the server).
  std::string os_user;
  // The tier asked for (`--tier`): at most the one held; nullopt: the held
  // one.
  std::optional<store::Tier> tier;
  std::string purpose;  // why the data is read (downloads and protection need one)

  // The instance admin of the command line, run by `os_user`.
  static Principal InstanceAdmin(std::string os_user);
  // The registered user `name` (whether it exists is checked at the door),
  // acting from `os_user`.
  static Principal User(std::string name, std::string os_user);
  static Principal Anonymous();

  // "local-admin (instance admin)", "cccm.officer", "anonymous".
  std::string Label() const;
  // The name a change records as made by (an alert's status_by…): the user,
  // or for the instance admin the operating-system user who ran the command
  // ("local-admin" when unknown).
  std::string Actor() const;
};

}  // namespace opendtm::service

#endif  // OPENDTM_SERVICE_PRINCIPAL_H_
