// `dtm operation dictionary`: the dictionary an operation's data is read
// under (spec/disclosure.md: classes come from the operation).
//
//   dtm operation dictionary OP [--country ISO3] [--history]
//       The operation's current dictionary: its version number in the store,
//       its own version, the SHA-256 of its resolved text, when and by whom
//       it was registered (--history: every version).
//   dtm operation dictionary OP FILE [--country ISO3] [--as USER]
//       Registers FILE (resolved: `extends:` flattened) as the operation's next
//       dictionary version. operation_admin only; audited (dataset
//       "operation_dictionary"), refusals included. Refused (exit 1) when FILE
//       does not load, breaks the GBV-safe form rules, breaks "versions only
//       add" (dictionary/compatibility.h), reorders the indicators it keeps,
//       or lowers any indicator's class or quasi-identifier
//       (dictionary/protection_changes.h).
#ifndef OPENDTM_CLI_OPERATION_DICTIONARY_COMMAND_H_
#define OPENDTM_CLI_OPERATION_DICTIONARY_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

// Runs `dtm operation dictionary …` (positional: operation, dictionary, OP
// [, FILE]). Returns the exit code: 0 shown or registered, 1 refused, 2
// usage, 3+ operational.
int RunOperationDictionaryCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_OPERATION_DICTIONARY_COMMAND_H_
