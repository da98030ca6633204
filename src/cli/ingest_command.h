// `dtm ingest FILE`: validate a round's submissions and store them.
//
//   dtm ingest FILE [--operation OP [--country ISO3]] [--round N] [--type SA|BA|ETT]
//       [--mapping FILE] [--header-row N] [--sheet S] [--register-new-sites]
//       [--dry-run] [--strict] [--json] [--extents FILE] [--today DATE]
//
// --today sets the date against which "not in the future" constraints are
// checked (default: the system clock), e.g. to re-validate an old round.
// Inside a site ingest's transaction, before it commits, the sites whose GBV
// risk band became very_high are raised as alerts tied to its batch: the
// round against the previous round with data, and the next round with data
// (rounds ingested out of order) against it (analysis::RiskAlertsAround), so
// that the batch and its alerts are stored together or not at all. The
// summary ends with the alerts raised ("alerts raised: U urgent, R sites now
// very_high…"; in --json "alerts": {"urgent": U, "risk_very_high": R}).
// Ingesting a file already stored raises nothing.
// Exit codes: 0 clean, 1 findings (warnings or errors, quarantined rows),
// 2 usage, 3+ failure (nothing stored).
#ifndef OPENDTM_CLI_INGEST_COMMAND_H_
#define OPENDTM_CLI_INGEST_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunIngestCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_INGEST_COMMAND_H_
