#include "dictionary/resolved_yaml.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dictionary/loader.h"

namespace opendtm::dictionary {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read dictionary file " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<YAML::Node> Parse(const std::string& text, const std::string& source) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return InvalidArgumentError(source + ":" + std::to_string(error.mark.line + 1) +
                                ": malformed YAML: " + error.msg);
  }
}

// Missing keys of a const node are invalid nodes, hence IsDefined() before
// any other question.
// `base`'s choice lists with `extension`'s added: new lists at the end,
// new choices appended to a shared list (the loader's rule).
YAML::Node MergeChoiceLists(const YAML::Node& base, const YAML::Node& extension) {
  YAML::Node merged(YAML::NodeType::Map);
  if (base.IsDefined() && base.IsMap()) {
    for (const auto& entry : base) merged[entry.first.Scalar()] = YAML::Clone(entry.second);
  }
  if (!extension.IsDefined() || !extension.IsMap()) return merged;
  for (const auto& entry : extension) {
    const std::string name = entry.first.Scalar();
    if (!merged[name].IsDefined() || merged[name].IsNull()) {
      merged[name] = YAML::Clone(entry.second);
      continue;
    }
    YAML::Node list = merged[name];
    for (const auto& choice : entry.second) list.push_back(YAML::Clone(choice));
  }
  return merged;
}

// `base`'s risk bands with each key `extension` gives replaced.
YAML::Node MergeRiskBands(const YAML::Node& base, const YAML::Node& extension) {
  YAML::Node merged(YAML::NodeType::Map);
  for (const YAML::Node& part : {base, extension}) {
    if (!part.IsDefined() || !part.IsMap()) continue;
    for (const auto& entry : part) merged[entry.first.Scalar()] = YAML::Clone(entry.second);
  }
  return merged;
}

// One document for `extension` over its (already resolved) `base`.
YAML::Node Flatten(const YAML::Node& base, const YAML::Node& extension) {
  YAML::Node flat(YAML::NodeType::Map);
  flat["version"] = YAML::Clone(extension["version"]);
  if (extension["operation"].IsDefined()) flat["operation"] = YAML::Clone(extension["operation"]);
  if (base["risk_bands"].IsDefined() || extension["risk_bands"].IsDefined()) {
    flat["risk_bands"] = MergeRiskBands(base["risk_bands"], extension["risk_bands"]);
  }
  flat["choice_lists"] = MergeChoiceLists(base["choice_lists"], extension["choice_lists"]);
  YAML::Node indicators(YAML::NodeType::Sequence);
  for (const YAML::Node& part : {base["indicators"], extension["indicators"]}) {
    if (!part.IsDefined() || !part.IsSequence()) continue;
    for (const auto& indicator : part) indicators.push_back(YAML::Clone(indicator));
  }
  flat["indicators"] = indicators;
  return flat;
}

// The resolved text of `text` (read from `path`), which LoadDictionaryFile
// has accepted, so every file of its chain exists and loads.
Result<std::string> Resolve(const std::string& text, const std::string& path) {
  ASSIGN_OR_RETURN(YAML::Node root, Parse(text, path));
  const YAML::Node extends = root["extends"];
  if (!extends.IsDefined() || extends.IsNull()) return text;
  std::filesystem::path base_path(extends.Scalar());
  if (base_path.is_relative()) base_path = std::filesystem::path(path).parent_path() / base_path;
  const std::string base_file = base_path.lexically_normal().string();
  ASSIGN_OR_RETURN(std::string base_text, ReadFile(base_file));
  ASSIGN_OR_RETURN(std::string resolved_base, Resolve(base_text, base_file));
  ASSIGN_OR_RETURN(YAML::Node base, Parse(resolved_base, base_file));
  YAML::Emitter out;
  out << Flatten(base, root);
  if (!out.good())
    return InternalError("cannot write the resolved dictionary: " + out.GetLastError());
  return std::string("# Resolved dictionary (extends: flattened)\n") + out.c_str() + "\n";
}

}  // namespace

Result<std::string> ResolveDictionaryFile(const std::string& path) {
  RETURN_IF_ERROR(LoadDictionaryFile(path).status());
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return Resolve(text, path);
}

Result<Dictionary> LoadResolvedDictionary(std::string_view resolved_yaml,
                                          const std::string& source_name) {
  ASSIGN_OR_RETURN(YAML::Node root, Parse(std::string(resolved_yaml), source_name));
  if (root.IsMap() && root["extends"].IsDefined()) {
    return InvalidArgumentError(source_name +
                                ": a resolved dictionary names no other file (extends:)");
  }
  return LoadDictionaryText(resolved_yaml, source_name);
}

}  // namespace opendtm::dictionary
