#include "dictionary/loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "expr/expression.h"

namespace opendtm::dictionary {
namespace {

constexpr std::string_view kTopLevelKeys[] = {"version",  "choice_lists", "indicators",
                                              "extends",  "operation",    "risk_bands"};
constexpr std::string_view kRiskBandKeys[] = {"very_high", "high", "medium", "min_coverage"};
constexpr std::string_view kIndicatorKeys[] = {
    "name",  "code",   "module",    "label",          "hint",     "type",
    "required", "relevant", "constraint", "constraint_message", "hxl", "class",
    "aggregate", "indicator_type", "quasi_identifier", "risk"};
constexpr std::string_view kChoiceKeys[] = {"name", "label", "variants"};
constexpr std::string_view kRiskKeys[] = {"domain", "points", "cap", "ranges", "when_not_relevant"};
constexpr std::string_view kRangeKeys[] = {"min", "max", "points"};
constexpr std::string_view kNotRelevantKeys[] = {"when", "points"};

bool IsMachineName(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// XLSForm choice names: letters, digits, '_', '-', '.'; no spaces (a
// select_multiple answer is a space-separated list of them).
bool IsChoiceName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool IsHxlTag(const std::string& tag) {
  static const std::regex kHxl(R"(^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$)");
  return std::regex_match(tag, kHxl);
}

template <size_t N>
bool Contains(const std::string_view (&words)[N], std::string_view word) {
  for (std::string_view candidate : words) {
    if (candidate == word) return true;
  }
  return false;
}

// Collects every problem of one file; each message names file, line and subject.
class Loader {
 public:
  explicit Loader(std::string source) : source_(std::move(source)) {}

  Result<Dictionary> Load(std::string_view text);

 private:
  int LineOf(const YAML::Node& node) const { return node.Mark().line + 1; }

  void Problem(const YAML::Node& node, std::string_view subject, const std::string& message) {
    Problem(node.IsDefined() ? LineOf(node) : 0, subject, message);
  }
  void Problem(int line, std::string_view subject, const std::string& message) {
    std::string out = source_;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
    if (!subject.empty()) {
      out += subject;
      out += ": ";
    }
    out += message;
    problems_.push_back(std::move(out));
  }

  template <size_t N>
  void CheckKeys(const YAML::Node& map, const std::string_view (&allowed)[N],
                 std::string_view subject) {
    for (const auto& entry : map) {
      std::string key = entry.first.Scalar();
      if (!Contains(allowed, key)) Problem(entry.first, subject, "unknown key '" + key + "'");
    }
  }

  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view subject,
                                    std::string_view field);
  LocalizedText Text(const YAML::Node& node, std::string_view subject, std::string_view field,
                     bool english_required);
  void LoadChoiceLists(const YAML::Node& node, Dictionary& dictionary, bool extending);
  std::optional<Choice> LoadChoice(const YAML::Node& node, std::string_view list_name);
  std::optional<Indicator> LoadIndicator(const YAML::Node& node);
  void LoadType(const YAML::Node& node, Indicator& indicator, const std::string& subject);
  std::optional<RiskMapping> LoadRisk(const YAML::Node& node, const std::string& subject);
  void LoadRiskBands(const YAML::Node& node, Dictionary& dictionary);
  void CheckCrossReferences(const Dictionary& dictionary, size_t first_new_indicator);
  void CheckExpression(const std::string& text, const Indicator& indicator, std::string_view field,
                       const expr::SlotResolver& resolver);

  std::string source_;
  std::vector<std::string> problems_;
};

std::optional<std::string> Loader::Scalar(const YAML::Node& node, std::string_view subject,
                                          std::string_view field) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) {
    Problem(node, subject, std::string(field) + " must be a single value");
    return std::nullopt;
  }
  return node.Scalar();
}

// risk_bands: {very_high: 40, high: 30, medium: 20, min_coverage: 0.6}; a key
// left out keeps the base's (or the default) threshold.
void Loader::LoadRiskBands(const YAML::Node& node, Dictionary& dictionary) {
  const std::string subject = "risk_bands";
  if (!node.IsMap()) {
    Problem(node, subject, "risk_bands must be a map of very_high, high, medium, min_coverage");
    return;
  }
  CheckKeys(node, kRiskBandKeys, subject);
  RiskBandThresholds bands = dictionary.risk_bands().value_or(RiskBandThresholds());
  auto read = [&](std::string_view key, double& into, double upper) {
    YAML::Node value = node[std::string(key)];
    if (!value.IsDefined()) return;
    double number = 0;
    try {
      number = value.as<double>();
    } catch (const YAML::Exception&) {
      Problem(value, subject, std::string(key) + " must be a number");
      return;
    }
    if (!(number >= 0 && number <= upper)) {
      Problem(value, subject,
              std::string(key) + " must be between 0 and " + (upper == 1 ? "1" : "100"));
      return;
    }
    into = number;
  };
  read("very_high", bands.very_high, 100);
  read("high", bands.high, 100);
  read("medium", bands.medium, 100);
  read("min_coverage", bands.min_coverage, 1);
  if (!(bands.very_high > bands.high && bands.high > bands.medium)) {
    Problem(node, subject, "the thresholds must decrease: very_high > high > medium");
    return;
  }
  dictionary.set_risk_bands(bands);
}

LocalizedText Loader::Text(const YAML::Node& node, std::string_view subject,
                           std::string_view field, bool english_required) {
  LocalizedText text;
  if (node.IsDefined() && !node.IsNull()) {
    if (node.IsScalar()) {
      text["en"] = node.Scalar();
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        if (!entry.second.IsScalar()) {
          Problem(entry.second, subject,
                  std::string(field) + "." + entry.first.Scalar() + " must be text");
          continue;
        }
        text[entry.first.Scalar()] = entry.second.Scalar();
      }
    } else {
      Problem(node, subject, std::string(field) + " must be text or a map of language to text");
    }
  }
  if (english_required && TextIn(text, "en").empty()) {
    Problem(node.IsDefined() ? LineOf(node) : 0, subject,
            std::string(field) + " has no English (en) text");
  }
  return text;
}

std::optional<Choice> Loader::LoadChoice(const YAML::Node& node, std::string_view list_name) {
  std::string subject = "choice list " + std::string(list_name);
  if (!node.IsMap()) {
    Problem(node, subject, "each choice must be a map with name and label");
    return std::nullopt;
  }
  CheckKeys(node, kChoiceKeys, subject);
  Choice choice;
  choice.location = {source_, LineOf(node)};
  choice.name = Scalar(node["name"], subject, "name").value_or("");
  if (!IsChoiceName(choice.name)) {
    Problem(node, subject,
            "choice name '" + choice.name + "' must be letters, digits, '_', '-' or '.'");
    return std::nullopt;
  }
  subject += "/" + choice.name;
  choice.label = Text(node["label"], subject, "label", /*english_required=*/true);
  if (YAML::Node variants = node["variants"]; variants.IsDefined()) {
    if (!variants.IsSequence()) {
      Problem(variants, subject, "variants must be a list");
    } else {
      for (const auto& variant : variants) choice.variants.push_back(variant.Scalar());
    }
  }
  return choice;
}

void Loader::LoadChoiceLists(const YAML::Node& node, Dictionary& dictionary, bool extending) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    Problem(node, "", "choice_lists must be a map of list name to choices");
    return;
  }
  for (const auto& entry : node) {
    std::string list_name = entry.first.Scalar();
    std::string subject = "choice list " + list_name;
    if (!IsMachineName(list_name)) {
      Problem(entry.first, subject, "list name must match [a-z][a-z0-9_]*");
      continue;
    }
    if (!entry.second.IsSequence()) {
      Problem(entry.second, subject, "must be a list of choices");
      continue;
    }
    ChoiceList* list = dictionary.MutableList(list_name);
    if (list != nullptr && !extending) {
      Problem(entry.first, subject, "defined twice");
      continue;
    }
    if (list == nullptr) {
      ChoiceList fresh;
      fresh.name = list_name;
      fresh.location = {source_, LineOf(entry.first)};
      dictionary.AddChoiceList(std::move(fresh));
      list = dictionary.MutableList(list_name);
    }
    // An extension may only append choices to a list it shares with its base.
    for (const auto& choice_node : entry.second) {
      std::optional<Choice> choice = LoadChoice(choice_node, list_name);
      if (!choice) continue;
      if (list->Find(choice->name) != nullptr) {
        Problem(choice_node, subject, "choice '" + choice->name + "' defined twice");
        continue;
      }
      list->choices.push_back(std::move(*choice));
    }
    if (list->choices.empty()) Problem(entry.first, subject, "has no choices");
  }
}

void Loader::LoadType(const YAML::Node& node, Indicator& indicator, const std::string& subject) {
  std::optional<std::string> type_text = Scalar(node, subject, "type");
  if (!type_text) {
    Problem(node.IsDefined() ? LineOf(node) : indicator.location.line, subject, "missing type");
    return;
  }
  std::istringstream words(*type_text);
  std::string base;
  std::string argument;
  std::string extra;
  words >> base >> argument >> extra;
  static const std::unordered_map<std::string, ValueType> kPlain = {
      {"text", ValueType::kText},       {"integer", ValueType::kInteger},
      {"decimal", ValueType::kDecimal}, {"date", ValueType::kDate},
      {"geopoint", ValueType::kGeopoint}};
  if (auto it = kPlain.find(base); it != kPlain.end() && argument.empty()) {
    indicator.type = it->second;
  } else if ((base == "select_one" || base == "select_multiple") && !argument.empty() &&
             extra.empty()) {
    indicator.type = base == "select_one" ? ValueType::kSelectOne : ValueType::kSelectMultiple;
    indicator.list_name = argument;
  } else if (base == "pcode" && argument.size() == 1 && argument[0] >= '0' &&
             argument[0] <= '5' && extra.empty()) {
    indicator.type = ValueType::kPcode;
    indicator.pcode_level = argument[0] - '0';
  } else {
    Problem(node, subject,
            "unknown type '" + *type_text +
                "' (expected text, integer, decimal, date, geopoint, pcode LEVEL, "
                "select_one LIST or select_multiple LIST)");
  }
}

std::optional<RiskMapping> Loader::LoadRisk(const YAML::Node& node, const std::string& subject) {
  if (!node.IsMap()) {
    Problem(node, subject, "risk must be a map with domain and points");
    return std::nullopt;
  }
  CheckKeys(node, kRiskKeys, subject + ": risk");
  RiskMapping risk;
  std::string domain = Scalar(node["domain"], subject, "risk.domain").value_or("");
  if (std::optional<RiskDomain> parsed = ParseRiskDomain(domain)) {
    risk.domain = *parsed;
  } else {
    Problem(node["domain"].IsDefined() ? node["domain"] : node, subject,
            "risk domain '" + domain +
                "' is not one of layout, security, participation, services");
  }
  auto points_of = [&](const YAML::Node& value, const std::string& what) -> std::optional<int> {
    try {
      return value.as<int>();
    } catch (const YAML::Exception&) {
      Problem(value, subject, what + " must be a whole number of points");
      return std::nullopt;
    }
  };
  if (YAML::Node points = node["points"]; points.IsDefined()) {
    if (!points.IsMap()) {
      Problem(points, subject, "risk points must map choice names to points");
    } else {
      for (const auto& entry : points) {
        if (auto value = points_of(entry.second, "risk points of " + entry.first.Scalar())) {
          risk.points[entry.first.Scalar()] = *value;
        }
      }
    }
  }
  if (YAML::Node cap = node["cap"]; cap.IsDefined()) risk.cap = points_of(cap, "risk cap");
  if (YAML::Node ranges = node["ranges"]; ranges.IsDefined()) {
    if (!ranges.IsSequence()) {
      Problem(ranges, subject, "risk ranges must be a list of {min, max, points}");
    } else {
      for (const auto& range_node : ranges) {
        CheckKeys(range_node, kRangeKeys, subject + ": risk range");
        RiskRange range;
        try {
          if (range_node["min"].IsDefined()) range.min = range_node["min"].as<double>();
          if (range_node["max"].IsDefined()) range.max = range_node["max"].as<double>();
        } catch (const YAML::Exception&) {
          Problem(range_node, subject, "risk range bounds must be numbers");
        }
        if (!range_node["points"].IsDefined()) {
          Problem(range_node, subject, "risk range has no points");
        } else if (auto value = points_of(range_node["points"], "risk range points")) {
          range.points = *value;
        }
        risk.ranges.push_back(range);
      }
    }
  }
  if (YAML::Node not_relevant = node["when_not_relevant"]; not_relevant.IsDefined()) {
    CheckKeys(not_relevant, kNotRelevantKeys, subject + ": risk when_not_relevant");
    NotRelevantScore score;
    score.when = Scalar(not_relevant["when"], subject, "when_not_relevant.when").value_or("");
    if (score.when.empty()) Problem(not_relevant, subject, "when_not_relevant needs a 'when'");
    if (auto value = points_of(not_relevant["points"], "when_not_relevant points")) {
      score.points = *value;
    }
    risk.when_not_relevant = score;
  }
  if (risk.points.empty() && risk.ranges.empty()) {
    Problem(node, subject, "risk gives no points (needs points or ranges)");
  }
  return risk;
}

std::optional<Indicator> Loader::LoadIndicator(const YAML::Node& node) {
  if (!node.IsMap()) {
    Problem(node, "", "each indicator must be a map");
    return std::nullopt;
  }
  Indicator indicator;
  indicator.location = {source_, LineOf(node)};
  indicator.name = Scalar(node["name"], "indicator", "name").value_or("");
  std::string subject = "indicator " + (indicator.name.empty() ? "?" : indicator.name);
  if (!IsMachineName(indicator.name)) {
    Problem(node["name"].IsDefined() ? node["name"] : node, subject,
            "name '" + indicator.name + "' must match [a-z][a-z0-9_]*");
  }
  CheckKeys(node, kIndicatorKeys, subject);

  indicator.code = Scalar(node["code"], subject, "code").value_or("");
  std::string module = Scalar(node["module"], subject, "module").value_or("");
  if (std::optional<Module> parsed = ParseModule(module)) {
    indicator.module = *parsed;
  } else {
    Problem(node["module"].IsDefined() ? node["module"] : node, subject,
            "module '" + module +
                "' is not one of site, population, vulnerability, mobility, services, "
                "gbv_risk, protection");
  }
  indicator.label = Text(node["label"], subject, "label", /*english_required=*/true);
  indicator.hint = Text(node["hint"], subject, "hint", false);
  LoadType(node["type"], indicator, subject);

  if (YAML::Node required = node["required"]; required.IsDefined() && required.IsScalar()) {
    const std::string& value = required.Scalar();
    if (value == "true" || value == "yes") {
      indicator.required = "yes";
    } else if (value != "false" && value != "no") {
      indicator.required = value;
    }
  }
  indicator.relevant = Scalar(node["relevant"], subject, "relevant").value_or("");
  indicator.constraint = Scalar(node["constraint"], subject, "constraint").value_or("");
  indicator.constraint_message =
      Text(node["constraint_message"], subject, "constraint_message", false);
  indicator.hxl = Scalar(node["hxl"], subject, "hxl").value_or("");
  if (!indicator.hxl.empty() && !IsHxlTag(indicator.hxl)) {
    Problem(node["hxl"], subject,
            "HXL tag '" + indicator.hxl + "' must look like #tag+attribute (lowercase)");
  }

  std::string dissemination_class = Scalar(node["class"], subject, "class").value_or("");
  if (std::optional<DisseminationClass> parsed = ParseClass(dissemination_class)) {
    indicator.dissemination_class = *parsed;
  } else {
    // No default on purpose: forgetting a class must not make data public.
    Problem(node["class"].IsDefined() ? node["class"] : node, subject,
            dissemination_class.empty()
                ? "missing class (public, sensitive, urgent or pii)"
                : "class '" + dissemination_class + "' is not one of public, sensitive, urgent, pii");
  }
  std::string aggregate = Scalar(node["aggregate"], subject, "aggregate").value_or("none");
  if (std::optional<Aggregate> parsed = ParseAggregate(aggregate)) {
    indicator.aggregate = *parsed;
  } else {
    Problem(node["aggregate"], subject,
            "aggregate '" + aggregate + "' is not one of sum, share_of_sites, mean, none");
  }
  std::string indicator_type =
      Scalar(node["indicator_type"], subject, "indicator_type").value_or("");
  if (std::optional<IndicatorType> parsed = ParseIndicatorType(indicator_type)) {
    indicator.indicator_type = *parsed;
  } else {
    Problem(node["indicator_type"].IsDefined() ? node["indicator_type"] : node, subject,
            indicator_type.empty() ? "missing indicator_type"
                                   : "indicator_type '" + indicator_type +
                                         "' is not one of core, core_cdw, optional, "
                                         "recommended, mission");
  }
  if (indicator.code.empty() && indicator.indicator_type != IndicatorType::kMission) {
    Problem(node, subject, "missing code (the DTM question code, e.g. 10.1.s.1)");
  }
  if (YAML::Node quasi = node["quasi_identifier"]; quasi.IsDefined()) {
    try {
      indicator.quasi_identifier = quasi.as<bool>();
    } catch (const YAML::Exception&) {
      Problem(quasi, subject, "quasi_identifier must be true or false");
    }
  }
  if (YAML::Node risk = node["risk"]; risk.IsDefined()) {
    indicator.risk = LoadRisk(risk, subject);
    if (indicator.module != Module::kGbvRisk) {
      Problem(risk, subject, "only gbv_risk indicators carry risk points");
    }
  } else if (indicator.module == Module::kGbvRisk) {
    Problem(node, subject, "gbv_risk indicators must carry risk points (risk: {domain, points})");
  }
  return indicator;
}

void Loader::CheckExpression(const std::string& text, const Indicator& indicator,
                             std::string_view field, const expr::SlotResolver& resolver) {
  if (text.empty()) return;
  Result<expr::Expression> compiled = expr::Expression::Compile(text, resolver);
  if (!compiled.ok()) {
    Problem(indicator.location.line, "indicator " + indicator.name,
            std::string(field) + ": " + compiled.status().message());
  }
}

void Loader::CheckCrossReferences(const Dictionary& dictionary, size_t first_new_indicator) {
  std::unordered_map<std::string, int> slots;
  for (const Indicator& indicator : dictionary.indicators()) {
    slots.emplace(indicator.name, static_cast<int>(slots.size()));
  }
  expr::SlotResolver resolver = [&slots](std::string_view name) -> std::optional<int> {
    auto it = slots.find(std::string(name));
    if (it == slots.end()) return std::nullopt;
    return it->second;
  };

  std::set<std::string, std::less<>> seen;
  const std::vector<Indicator>& indicators = dictionary.indicators();
  for (size_t index = 0; index < indicators.size(); ++index) {
    const Indicator& indicator = indicators[index];
    bool is_new = index >= first_new_indicator;
    if (!seen.insert(indicator.name).second) {
      const Indicator* first = dictionary.FindIndicator(indicator.name);
      bool in_base = first != nullptr && first->location.file != indicator.location.file;
      Problem(indicator.location.line, "indicator " + indicator.name,
              in_base ? "already defined by " + first->location.file + ":" +
                            std::to_string(first->location.line) + " (an extension only adds)"
                      : "defined twice (names are unique; first at line " +
                            std::to_string(first->location.line) + ")");
    }
    if (!is_new) continue;
    std::string subject = "indicator " + indicator.name;
    const ChoiceList* list = dictionary.ListOf(indicator);
    if (indicator.is_select() && list == nullptr) {
      Problem(indicator.location.line, subject,
              "unknown choice list '" + indicator.list_name + "'");
    }
    if (indicator.risk) {
      const RiskMapping& risk = *indicator.risk;
      for (const auto& [choice, points] : risk.points) {
        if (!indicator.is_select()) {
          Problem(indicator.location.line, subject,
                  "risk points name choice '" + choice + "' but the indicator is not a select");
        } else if (list != nullptr && list->Find(choice) == nullptr) {
          Problem(indicator.location.line, subject,
                  "risk points name choice '" + choice + "' that list '" + list->name +
                      "' does not have");
        }
      }
      if (!risk.ranges.empty() && indicator.type != ValueType::kInteger &&
          indicator.type != ValueType::kDecimal) {
        Problem(indicator.location.line, subject, "risk ranges need an integer or decimal type");
      }
      if (risk.cap && indicator.type != ValueType::kSelectMultiple) {
        Problem(indicator.location.line, subject, "risk cap applies to select_multiple only");
      }
      if (risk.when_not_relevant && indicator.relevant.empty()) {
        Problem(indicator.location.line, subject,
                "risk when_not_relevant needs the indicator to have a relevant condition");
      }
      if (risk.when_not_relevant) {
        CheckExpression(risk.when_not_relevant->when, indicator, "risk when_not_relevant",
                        resolver);
      }
    }
    CheckExpression(indicator.relevant, indicator, "relevant", resolver);
    CheckExpression(indicator.constraint, indicator, "constraint", resolver);
    if (indicator.required != "yes") {
      CheckExpression(indicator.required, indicator, "required", resolver);
    }
  }
}

Result<Dictionary> Loader::Load(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return InvalidArgumentError(source_ + ":" + std::to_string(error.mark.line + 1) +
                                ": malformed YAML: " + error.msg);
  }
  if (!root.IsMap()) {
    return InvalidArgumentError(source_ +
                                ": a dictionary is a map with version, choice_lists, indicators");
  }
  CheckKeys(root, kTopLevelKeys, "");

  // 1. The base dictionary, when this file extends one.
  Dictionary dictionary;
  bool extending = false;
  if (std::optional<std::string> extends = Scalar(root["extends"], "", "extends")) {
    std::filesystem::path base_path(*extends);
    if (base_path.is_relative()) {
      base_path = std::filesystem::path(source_).parent_path() / base_path;
    }
    Result<Dictionary> base = LoadDictionaryFile(base_path.lexically_normal().string());
    if (!base.ok()) {
      return base.status().WithContext(source_ + ":" + std::to_string(LineOf(root["extends"])) +
                                       ": extends");
    }
    dictionary = std::move(base).value();
    extending = true;
  }
  size_t first_new_indicator = dictionary.indicators().size();
  dictionary.set_source_file(source_);
  dictionary.set_operation(Scalar(root["operation"], "", "operation").value_or(""));

  // 2. Version, lists, indicators.
  std::optional<std::string> version = Scalar(root["version"], "", "version");
  if (!version || version->empty()) {
    Problem(1, "", "missing version (e.g. version: 2026.11.1)");
  } else {
    if (extending && CompareVersions(*version, dictionary.version()) < 0) {
      Problem(root["version"], "",
              "version " + *version + " is older than the version it extends (" +
                  dictionary.version() + ")");
    }
    dictionary.set_version(*version);
  }
  LoadChoiceLists(root["choice_lists"], dictionary, extending);
  if (YAML::Node bands = root["risk_bands"]; bands.IsDefined()) LoadRiskBands(bands, dictionary);
  YAML::Node indicators = root["indicators"];
  if (!indicators.IsDefined() || !indicators.IsSequence()) {
    if (!extending) Problem(root, "", "indicators must be a list");
  } else {
    for (const auto& node : indicators) {
      std::optional<Indicator> indicator = LoadIndicator(node);
      if (!indicator) continue;
      if (extending && indicator->indicator_type != IndicatorType::kMission) {
        Problem(indicator->location.line, "indicator " + indicator->name,
                "an operation's indicators must have indicator_type: mission");
      }
      dictionary.AddIndicator(std::move(*indicator));
    }
  }

  // 3. What can only be checked once everything is read.
  CheckCrossReferences(dictionary, extending ? first_new_indicator : 0);

  if (!problems_.empty()) {
    std::string message;
    for (const std::string& problem : problems_) {
      if (!message.empty()) message += '\n';
      message += problem;
    }
    return InvalidArgumentError(std::move(message));
  }
  return dictionary;
}

}  // namespace

Result<Dictionary> LoadDictionaryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read dictionary file " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return LoadDictionaryText(buffer.str(), path);
}

Result<Dictionary> LoadDictionaryText(std::string_view yaml, const std::string& source_name) {
  return Loader(source_name).Load(yaml);
}

}  // namespace opendtm::dictionary
