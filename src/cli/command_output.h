// Where a command's text goes: the file of `-o FILE`, created readable by its
// owner only (core/private_file.h), or the command's output stream.
#ifndef OPENDTM_CLI_COMMAND_OUTPUT_H_
#define OPENDTM_CLI_COMMAND_OUTPUT_H_

#include <string>

#include "cli/command_line.h"
#include "cli/environment.h"

namespace opendtm::cli {

// Writes `text` to -o FILE, saying "wrote WHAT to FILE" on the error stream,
// or to the environment's output when there is no -o. Returns the exit code:
// 0, or that of the failure to write (printed).
int WriteOutput(const CommandLine& line, const Environment& environment, const std::string& text,
                const std::string& what);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_COMMAND_OUTPUT_H_
