// `dtm analyze trends`: what changed per area between rounds, of site
// submissions or admin-level figures (analyze_command.h has the formats).
#ifndef OPENDTM_CLI_TRENDS_COMMAND_H_
#define OPENDTM_CLI_TRENDS_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

inline constexpr const char* kTrendsUsage =
    "dtm analyze trends --operation OP [--country ISO3] --round A-B|all "
    "--level site|admin3|admin2|admin1|country [--type SA|BA|ETT] [--format table|csv|json] "
    "[--db PATH]";

// Exit codes: as analyze_command.h says.
int RunTrendsCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_TRENDS_COMMAND_H_
