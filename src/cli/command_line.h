// CommandLine: the words and flags of one `dtm` invocation.
//
// Grammar: positional words, `--flag VALUE`, `--flag=VALUE`, `-o VALUE`, and
// switches (`--strict`) declared as such by the caller. Every flag a command
// does not know is a usage error, so that a typo never silently does
// something else.
//
// Thread-safety: value type.
#ifndef OPENDTM_CLI_COMMAND_LINE_H_
#define OPENDTM_CLI_COMMAND_LINE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::cli {

class CommandLine {
 public:
  // Splits `args` (without the program name). `switches` are flags that take no
  // value. Short `-o` is the same as `--output`.
  // Errors: InvalidArgument for a word that is not valid UTF-8 ("--purpose is
  // not valid UTF-8", "argument 3 is not valid UTF-8": checked before any
  // command reads it, so that none writes anything first), a flag without its
  // value, or a flag given twice (the second value would otherwise silently win).
  static Result<CommandLine> Parse(const std::vector<std::string>& args,
                                   const std::set<std::string, std::less<>>& switches);

  const std::vector<std::string>& positional() const { return positional_; }
  // Every flag given, by name (switches have the value "").
  const std::map<std::string, std::string, std::less<>>& flags() const { return flags_; }
  // The value of --name, or nullopt.
  std::optional<std::string> Flag(std::string_view name) const;
  bool Switch(std::string_view name) const;
  // Comma-separated values of --name ("en, fr" -> {"en", "fr"}); empty when
  // absent. Whitespace around a comma is dropped, whitespace inside a value is
  // kept ("Haiti Earthquake=partner, x=public" -> {"Haiti Earthquake=partner",
  // "x=public"}); empty values are skipped.
  std::vector<std::string> ListFlag(std::string_view name) const;

  // InvalidArgument naming the first flag not in `known`.
  Status CheckKnownFlags(const std::set<std::string, std::less<>>& known) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string, std::less<>> flags_;
  std::set<std::string, std::less<>> switches_;
};

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_COMMAND_LINE_H_
