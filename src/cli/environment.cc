#include "cli/environment.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace opendtm::cli {

Environment MakeEnvironment(const CommandLine& line, std::ostream& out, std::ostream& err) {
  Environment environment;
  environment.out = &out;
  environment.err = &err;
  environment.err_is_terminal = &err == &std::cerr && isatty(STDERR_FILENO) == 1;
  if (std::optional<std::string> db = line.Flag("db")) {
    environment.db_path = *db;
  } else if (const char* from_environment = std::getenv("OPENDTM_DB");
             from_environment != nullptr && *from_environment != '\0') {
    environment.db_path = from_environment;
  } else {
    environment.db_path = "opendtm.db";
  }
  environment.operation = line.Flag("operation").value_or("");
  environment.country = line.Flag("country").value_or("");
  const char* user = std::getenv("USER");
  environment.who = user != nullptr && *user != '\0' ? user : "dtm";
  return environment;
}

}  // namespace opendtm::cli
