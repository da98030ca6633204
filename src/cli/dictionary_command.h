// `dtm dictionary …`: check, diff and export the data dictionary.
//
//   dtm dictionary check [FILE] [--previous OLD]
//       Loads FILE (default: the default dictionary built into dtm), applies the GBV-safe form
//       rules and, with --previous, the "versions only add" rule. Prints
//       `N scored GBV indicators in D domains` and each finding as
//       `FILE:LINE: RULE: indicator: message`. Exit 0 clean, 1 on any finding
//       or load error, 2 on a usage error.
//   dtm dictionary diff OLD NEW
//       Lists every change; exit 1 when one breaks the "versions only add" rule.
//   dtm dictionary export --format F -o FILE [--dictionary FILE] [--modules a,b]
//       [--lang en,fr] [--gazetteer FILE --country ISO3] [--form-id ID] [--title T]
//       F is xlsform, xform, codebook-md, codebook-html or json; the form of
//       the built-in default dictionary unless --dictionary names a file.
//
// These commands author dictionaries, on files; no data command takes a
// dictionary file (an operation's dictionary is the store's: see
// `dtm operation dictionary`).
#ifndef OPENDTM_CLI_DICTIONARY_COMMAND_H_
#define OPENDTM_CLI_DICTIONARY_COMMAND_H_

#include <ostream>

#include "cli/command_line.h"

namespace opendtm::cli {

// Runs `dtm dictionary SUBCOMMAND …` (`line.positional()[0]` is "dictionary").
// Writes results to `out` and problems to `err`; returns the exit code.
int RunDictionaryCommand(const CommandLine& line, std::ostream& out, std::ostream& err);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_DICTIONARY_COMMAND_H_
