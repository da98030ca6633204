#include "cli/command_output.h"

#include <optional>

#include "cli/store_access.h"
#include "core/private_file.h"

namespace opendtm::cli {

int WriteOutput(const CommandLine& line, const Environment& environment, const std::string& text,
                const std::string& what) {
  std::optional<std::string> output = line.Flag("output");
  if (!output) {
    *environment.out << text;
    return 0;
  }
  if (Status written = core::WritePrivateFile(*output, text); !written.ok()) {
    return Fail(environment, written);
  }
  *environment.err << "wrote " << what << " to " << *output << "\n";
  return 0;
}

}  // namespace opendtm::cli
