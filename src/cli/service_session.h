// The service session of one `dtm` command (service/session.h): who acts —
// the instance admin (whoever holds the database file) unless `--as` names a
// user — with `--tier` and `--purpose`, the operating-system user from the
// environment, and the audit files of the database.
//
// Thread-safety: as the session.
#ifndef OPENDTM_CLI_SERVICE_SESSION_H_
#define OPENDTM_CLI_SERVICE_SESSION_H_

#include "cli/command_line.h"
#include "cli/environment.h"
#include "core/status.h"
#include "service/session.h"
#include "store/store.h"

namespace opendtm::cli {

// The session for `line` on `store`; `--tier` is the tier the principal asks
// to act with unless `tier_flag_is_reader` is false (commands whose --tier
// grants tiers to others). Errors: InvalidArgument for a --tier that names no
// tier, or an empty --as.
Result<service::Session> SessionFor(const CommandLine& line, const Environment& environment,
                                    store::Store& store, bool tier_flag_is_reader = true);

// Prints the session's notices on the error stream, one per line.
void PrintNotices(const Environment& environment, const service::Session& session);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_SERVICE_SESSION_H_
