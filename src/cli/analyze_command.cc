#include "cli/analyze_command.h"

#include <string>
#include <vector>

#include "cli/risk_command.h"
#include "cli/rollup_command.h"
#include "cli/trends_command.h"

namespace opendtm::cli {

int RunAnalyzeCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (words.size() >= 2 && words[1] == "risk") return RunRiskCommand(line, environment);
  if (words.size() >= 2 && words[1] == "rollup") return RunRollupCommand(line, environment);
  if (words.size() >= 2 && words[1] == "trends") return RunTrendsCommand(line, environment);
  *environment.err << "dtm: analyze needs a subcommand: risk, rollup or trends\nusage: "
                   << kRiskUsage << "\n       " << kRollupUsage << "\n       " << kTrendsUsage
                   << "\n";
  return 2;
}

}  // namespace opendtm::cli
