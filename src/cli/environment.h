// Environment: what every `dtm` subcommand is given — its streams, where the
// database is, and which operation the command names. Nothing global: tests
// build their own Environment.
//
// There is no dictionary here: the dictionary that decides an operation's
// classes is the one the store holds for it (store_access.h), never a file,
// an option or an environment variable of the reader.
#ifndef OPENDTM_CLI_ENVIRONMENT_H_
#define OPENDTM_CLI_ENVIRONMENT_H_

#include <ostream>
#include <string>

#include "cli/command_line.h"

namespace opendtm::cli {

struct Environment {
  std::ostream* out = nullptr;   // results
  std::ostream* err = nullptr;   // problems and progress
  bool err_is_terminal = false;  // show a progress bar on err
  std::string db_path;           // --db, else $OPENDTM_DB, else ./opendtm.db
  std::string who;               // who acts (for the cleaning log): $USER or "dtm"
  // The operation of --operation (and --country), whose stored dictionary
  // OpenStore reads; "" when the command names none.
  std::string operation;
  std::string country;
};

// Fills the path, the operation and `who` from the flags --db, --operation
// and --country and the environment variables OPENDTM_DB and USER.
Environment MakeEnvironment(const CommandLine& line, std::ostream& out, std::ostream& err);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ENVIRONMENT_H_
