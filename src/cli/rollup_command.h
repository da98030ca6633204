// `dtm analyze rollup`: figures added up by area, region or for the world,
// from site submissions or admin-level figures (analyze_command.h has the
// formats).
#ifndef OPENDTM_CLI_ROLLUP_COMMAND_H_
#define OPENDTM_CLI_ROLLUP_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

inline constexpr const char* kRollupUsage =
    "dtm analyze rollup --operation OP [--country ISO3] --round N|A-B|all "
    "--level site|admin3|admin2|admin1|country [--by INDICATOR] [--where INDICATOR=VALUE[,…]] "
    "[--format table|csv|json] [--db PATH]\n"
    "       dtm analyze rollup --level region|global [--operation OP] [--round latest] "
    "[--type SA|BA|ETT] [--regions FILE] [--by …] [--where …] [--format …]";

// Exit codes: as analyze_command.h says.
int RunRollupCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ROLLUP_COMMAND_H_
