#include "cli/service_session.h"

#include <optional>
#include <string>

#include "cli/audit_commands.h"

namespace opendtm::cli {

Result<service::Session> SessionFor(const CommandLine& line, const Environment& environment,
                                    store::Store& store, bool tier_flag_is_reader) {
  service::Session session;
  session.store = &store;
  session.audit_files = AuditFilesOf(environment);
  if (std::optional<std::string> user = line.Flag("as")) {
    if (user->empty()) return InvalidArgumentError("--as needs a user name");
    session.principal = service::Principal::User(*user, environment.who);
  } else {
    session.principal = service::Principal::InstanceAdmin(environment.who);
  }
  if (std::optional<std::string> tier = line.Flag("tier"); tier && tier_flag_is_reader) {
    session.principal.tier = store::ParseTier(*tier);
    if (!session.principal.tier) {
      return InvalidArgumentError(
          "--tier must be public, partner, protection or operation_admin, not '" + *tier + "'");
    }
  }
  session.principal.purpose = line.Flag("purpose").value_or("");
  return session;
}

void PrintNotices(const Environment& environment, const service::Session& session) {
  for (const std::string& notice : session.notices) *environment.err << notice << "\n";
}

}  // namespace opendtm::cli
