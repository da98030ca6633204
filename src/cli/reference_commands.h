// The reference data of an operation: the database itself, admin areas,
// operations, rounds and the master list of sites.
//
//   dtm init                                    create or migrate the database
//   dtm admin import FILE                       import a P-code gazetteer; exit 1
//                                               when something in it is odd
//   dtm operation create NAME --country ISO3 [--region R]
//   dtm operation list
//   dtm operation dictionary OP [FILE]          the operation's dictionary, or
//                                               register a new version of it
//                                               (operation_dictionary_command.h)
//   dtm round create OP N --from DATE --to DATE [--country ISO3]
//   dtm round close|lock|open OP N [--country ISO3]
//   dtm round list OP [--country ISO3]
//   dtm sites import FILE --operation OP [--country ISO3] [--clear-empty] [--as USER]
//                                               the master list: only the columns
//                                               the file has change a site, empty
//                                               cells change nothing unless
//                                               --clear-empty; each change is kept
//                                               (operation_admin; audited)
//   dtm sites export --operation OP [-o FILE]
//   dtm sites history SITE --operation OP [--format table|csv|json]
//                                               every change of the site's fields:
//                                               when, who, field, old and new
//                                               value, which import (operation_admin)
//
// Every command takes --db PATH (or $OPENDTM_DB; default ./opendtm.db).
#ifndef OPENDTM_CLI_REFERENCE_COMMANDS_H_
#define OPENDTM_CLI_REFERENCE_COMMANDS_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunInitCommand(const CommandLine& line, const Environment& environment);
int RunAdminCommand(const CommandLine& line, const Environment& environment);
int RunOperationCommand(const CommandLine& line, const Environment& environment);
int RunRoundCommand(const CommandLine& line, const Environment& environment);
int RunSitesCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_REFERENCE_COMMANDS_H_
