// Environment: what every `dtm` subcommand is given — its streams, where the
// database and the dictionary are, and the clock. Nothing global: tests build
// their own Environment.
#ifndef OPENDTM_CLI_ENVIRONMENT_H_
#define OPENDTM_CLI_ENVIRONMENT_H_

#include <ostream>
#include <string>

#include "cli/command_line.h"

namespace opendtm::cli {

struct Environment {
  std::ostream* out = nullptr;  // results
  std::ostream* err = nullptr;  // problems and progress
  bool err_is_terminal = false; // show a progress bar on err
  std::string db_path;          // --db, else $OPENDTM_DB, else ./opendtm.db
  std::string dictionary_path;  // --dictionary, else the default dictionary
  std::string who;              // who acts (for the cleaning log): $USER or "dtm"
};

// Fills the paths and `who` from the flags --db / --dictionary and the
// environment variables OPENDTM_DB / OPENDTM_DICTIONARY / USER.
Environment MakeEnvironment(const CommandLine& line, std::ostream& out, std::ostream& err);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ENVIRONMENT_H_
