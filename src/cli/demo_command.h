// `dtm demo`: the demo operation `demo-nga`, built into the database and run
// through the pipeline, or only written as Kobo-style CSV exports.
//
//   dtm demo [--seed S] [--sites N] [--rounds R] [--data DIR]   build demo-nga in --db
//   dtm demo --out DIR [--seed S] [--sites N] [--rounds R]     only write the CSVs
//
// Building: the OCHA gazetteer is imported, the operation demo-nga (NGA)
// created, round 1's master list imported, and every round ingested with
// --register-new-sites, exactly as an officer would with the commands.
#ifndef OPENDTM_CLI_DEMO_COMMAND_H_
#define OPENDTM_CLI_DEMO_COMMAND_H_

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

int RunDemoCommand(const CommandLine& line, const Environment& environment);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_DEMO_COMMAND_H_
