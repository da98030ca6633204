#include "cli/command_line.h"

#include "core/text.h"

namespace opendtm::cli {

Result<CommandLine> CommandLine::Parse(const std::vector<std::string>& args,
                                       const std::set<std::string, std::less<>>& switches) {
  CommandLine line;
  for (size_t arg_idx = 0; arg_idx < args.size(); ++arg_idx) {
    const std::string& arg = args[arg_idx];
    std::string name;
    // Every word is checked as UTF-8 before anything reads it (an invalid
    // byte would otherwise abort the program in the audit log's JSON, after
    // the output was written); messages never repeat the invalid bytes.
    if (arg == "-o") {
      name = "output";
    } else if (arg.size() > 2 && arg.starts_with("--")) {
      name = arg.substr(2);
      if (!core::IsValidUtf8(name)) {
        const std::string_view before_equals = std::string_view(name).substr(0, name.find('='));
        if (!core::IsValidUtf8(before_equals)) {
          return InvalidArgumentError("the name of option " + std::to_string(arg_idx + 1) +
                                      " is not valid UTF-8");
        }
        return InvalidArgumentError("--" + std::string(before_equals) + " is not valid UTF-8");
      }
    } else {
      if (!core::IsValidUtf8(arg)) {
        return InvalidArgumentError("argument " + std::to_string(arg_idx + 1) +
                                    " is not valid UTF-8");
      }
      line.positional_.push_back(arg);
      continue;
    }
    std::string value;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (switches.count(name)) {
      line.switches_.insert(name);
      continue;
    } else if (arg_idx + 1 >= args.size()) {
      return InvalidArgumentError("option --" + name + " needs a value");
    } else {
      value = args[++arg_idx];
      if (!core::IsValidUtf8(value))
        return InvalidArgumentError("--" + name + " is not valid UTF-8");
    }
    // A second value would silently replace the first: refuse it instead.
    auto [it, added] = line.flags_.try_emplace(name, value);
    if (!added) {
      return InvalidArgumentError("option --" + name + " is given twice ('" + it->second +
                                  "', then '" + value + "'): give it once");
    }
  }
  return line;
}

std::optional<std::string> CommandLine::Flag(std::string_view name) const {
  auto it = flags_.find(name);
  if (it == flags_.end()) return std::nullopt;
  return it->second;
}

bool CommandLine::Switch(std::string_view name) const { return switches_.count(name) > 0; }

std::vector<std::string> CommandLine::ListFlag(std::string_view name) const {
  std::vector<std::string> values;
  std::optional<std::string> flag = Flag(name);
  if (!flag) return values;
  // Only the whitespace around a separator goes: "Haiti Earthquake" is one
  // operation's name, not "HaitiEarthquake".
  for (std::string_view piece : core::Split(*flag, ',')) {
    piece = core::Trim(piece);
    if (!piece.empty()) values.emplace_back(piece);
  }
  return values;
}

Status CommandLine::CheckKnownFlags(const std::set<std::string, std::less<>>& known) const {
  for (const auto& [name, value] : flags_) {
    if (!known.count(name)) return InvalidArgumentError("unknown option --" + name);
  }
  for (const std::string& name : switches_) {
    if (!known.count(name)) return InvalidArgumentError("unknown option --" + name);
  }
  return Status::Ok();
}

}  // namespace opendtm::cli
