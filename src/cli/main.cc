// dtm: the OpenDTM command line. Each subcommand is a thin front end over the
// library; exit codes: 0 ok, 1 findings, 2 usage, 3+ operational failures.
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/dictionary_command.h"

namespace {

constexpr const char* kUsage =
    "OpenDTM — displacement tracking with GBV risk monitoring\n"
    "\n"
    "usage: dtm COMMAND [ARGS]\n"
    "\n"
    "  dictionary check [FILE] [--previous OLD]   check a dictionary (GBV-safe rules, versions)\n"
    "  dictionary diff OLD NEW                    list changes between two versions\n"
    "  dictionary export --format F -o FILE       write the form (xlsform, xform) or the\n"
    "                                             codebook (codebook-md, codebook-html, json)\n"
    "  version                                    print the version\n"
    "  help                                       print this help\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  opendtm::Result<opendtm::cli::CommandLine> line =
      opendtm::cli::CommandLine::Parse(args, {"strict", "help"});
  if (!line.ok()) {
    std::cerr << "dtm: " << line.status().message() << "\n" << kUsage;
    return 2;
  }
  const std::vector<std::string>& words = line->positional();
  if (words.empty() || words[0] == "help" || line->Switch("help")) {
    std::cout << kUsage;
    return words.empty() && !line->Switch("help") ? 2 : 0;
  }
  if (words[0] == "version") {
    std::cout << "dtm " << OPENDTM_VERSION << "\n";
    return 0;
  }
  if (words[0] == "dictionary") return opendtm::cli::RunDictionaryCommand(*line, std::cout, std::cerr);
  std::cerr << "dtm: unknown command '" << words[0] << "'\n" << kUsage;
  return 2;
}
