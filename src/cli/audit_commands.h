// `dtm audit` and `dtm usage`: the audit log of every read, and what it says
// about how other clusters and agencies use an operation's data
// (spec/disclosure.md, "Audit and usage monitoring").
//
//   dtm audit list [--operation OP] [--from DATE] [--to DATE] [--format table|csv|json]
//       The records, oldest first (every field; the table shows the main ones).
//   dtm audit verify
//       Checks the hash chain and the head file beside the database: exit 0
//       and "intact" when no record was edited or deleted, exit 1 naming the
//       first bad record otherwise (whatever the database's triggers say).
//   dtm usage report --operation OP [--from DATE] [--to DATE]
//                    --by cluster|org|dataset|tier [--format table|csv|json]
//       Reads, downloads, refusals, rows and users per cluster (a record
//       counts under each cluster of its organisation), organisation,
//       dataset or tier, over the period (dates inclusive; default all time).
//
// Reading the log is itself a read (dataset "audit" / "usage") by the user of
// --as, for operation_admin of the operation only; `audit list` without
// --operation and `audit verify` need the local operation admin or an
// operation_admin of some operation.
//
// Exit codes: 0 ok; 1 refused or chain broken; 2 usage; 3+ operational.
#ifndef OPENDTM_CLI_AUDIT_COMMANDS_H_
#define OPENDTM_CLI_AUDIT_COMMANDS_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunAuditCommand(const CommandLine& line, const Environment& environment);
int RunUsageCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_AUDIT_COMMANDS_H_
