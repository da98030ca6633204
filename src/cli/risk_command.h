// `dtm analyze risk`: the GBV risk index of a round's sites, or by area
// (analyze_command.h has the formats).
#ifndef OPENDTM_CLI_RISK_COMMAND_H_
#define OPENDTM_CLI_RISK_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

inline constexpr const char* kRiskUsage =
    "dtm analyze risk --operation OP [--country ISO3] --round N [--type SA|BA|ETT] "
    "[--band BAND,… | --level site|admin3|admin2|admin1|country] [--format table|csv|json] "
    "[--db PATH]";

// Exit codes: as analyze_command.h says.
int RunRiskCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_RISK_COMMAND_H_
