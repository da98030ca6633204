// `dtm quarantine release`: the quarantined rows of one batch judged again
// (ingest/quarantine_release.h), and those that now pass (their site was
// registered since, the round was opened again…) accepted.
//
//   dtm quarantine release --batch N [--row R] [--operation OP [--country ISO3]]
//                          [--strict] [--extents FILE] [--as USER]
//
// A write of the operation_admin of the batch's operation (--as, default the
// local operation admin), audited whether allowed or refused. Prints one line
// per row: released (and the rule that had quarantined it), or still
// quarantined with the rule and message that keep it there now.
//
// Exit codes: 0 every row judged is released (or none was left); 1 some
// stay quarantined, or the user may not; 2 usage; 3+ failures.
//
// (`dtm quarantine list|show|export` are review commands: review_commands.h.)
#ifndef OPENDTM_CLI_QUARANTINE_COMMAND_H_
#define OPENDTM_CLI_QUARANTINE_COMMAND_H_

#include <cstdint>
#include <optional>

#include "cli/command_line.h"
#include "cli/environment.h"
#include "store/store.h"

namespace opendtm::cli {

int RunQuarantineReleaseCommand(const CommandLine& line, const Environment& environment);

// The release of `batch_id`'s quarantined rows (of `row` only when given) as
// the acting user of `line` (--as): the tier check and its audit record, the
// release, its report on environment.out. What `dtm quarantine release` and
// a re-ingest of an already ingested file (ingest_command.h) run. Returns
// the exit code, as above.
int ReleaseQuarantinedRows(const CommandLine& line, const Environment& environment,
                           store::Store& store, int64_t batch_id, std::optional<int64_t> row);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_QUARANTINE_COMMAND_H_
