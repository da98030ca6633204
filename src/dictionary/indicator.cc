#include "dictionary/indicator.h"

#include <algorithm>
#include <array>
#include <utility>

namespace opendtm::dictionary {
namespace {

// One table per enum keeps the spelling in one place for both directions.
template <typename Enum, size_t N>
std::string_view NameIn(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> ParseIn(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view word) {
  for (const auto& [entry, name] : table) {
    if (name == word) return entry;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Module, std::string_view>, 7> kModules = {{
    {Module::kSite, "site"},
    {Module::kPopulation, "population"},
    {Module::kVulnerability, "vulnerability"},
    {Module::kMobility, "mobility"},
    {Module::kServices, "services"},
    {Module::kGbvRisk, "gbv_risk"},
    {Module::kProtection, "protection"},
}};

constexpr std::array<std::pair<ValueType, std::string_view>, 8> kValueTypes = {{
    {ValueType::kText, "text"},
    {ValueType::kInteger, "integer"},
    {ValueType::kDecimal, "decimal"},
    {ValueType::kDate, "date"},
    {ValueType::kSelectOne, "select_one"},
    {ValueType::kSelectMultiple, "select_multiple"},
    {ValueType::kGeopoint, "geopoint"},
    {ValueType::kPcode, "pcode"},
}};

constexpr std::array<std::pair<DisseminationClass, std::string_view>, 4> kClasses = {{
    {DisseminationClass::kPublic, "public"},
    {DisseminationClass::kSensitive, "sensitive"},
    {DisseminationClass::kUrgent, "urgent"},
    {DisseminationClass::kPii, "pii"},
}};

constexpr std::array<std::pair<Aggregate, std::string_view>, 4> kAggregates = {{
    {Aggregate::kSum, "sum"},
    {Aggregate::kShareOfSites, "share_of_sites"},
    {Aggregate::kMean, "mean"},
    {Aggregate::kNone, "none"},
}};

constexpr std::array<std::pair<IndicatorType, std::string_view>, 5> kIndicatorTypes = {{
    {IndicatorType::kCore, "core"},
    {IndicatorType::kCoreCdw, "core_cdw"},
    {IndicatorType::kOptional, "optional"},
    {IndicatorType::kRecommended, "recommended"},
    {IndicatorType::kMission, "mission"},
}};

constexpr std::array<std::pair<RiskDomain, std::string_view>, 4> kRiskDomains = {{
    {RiskDomain::kLayout, "layout"},
    {RiskDomain::kSecurity, "security"},
    {RiskDomain::kParticipation, "participation"},
    {RiskDomain::kServices, "services"},
}};

}  // namespace

std::string_view TextIn(const LocalizedText& text, std::string_view language) {
  if (auto it = text.find(language); it != text.end() && !it->second.empty()) return it->second;
  if (auto it = text.find("en"); it != text.end()) return it->second;
  return {};
}

std::string_view ModuleName(Module module) { return NameIn(kModules, module); }
std::string_view ValueTypeName(ValueType type) { return NameIn(kValueTypes, type); }
std::string_view ClassName(DisseminationClass c) { return NameIn(kClasses, c); }
std::string_view AggregateName(Aggregate aggregate) { return NameIn(kAggregates, aggregate); }
std::string_view IndicatorTypeName(IndicatorType t) { return NameIn(kIndicatorTypes, t); }
std::string_view RiskDomainName(RiskDomain domain) { return NameIn(kRiskDomains, domain); }

std::optional<Module> ParseModule(std::string_view word) { return ParseIn(kModules, word); }
std::optional<DisseminationClass> ParseClass(std::string_view word) {
  return ParseIn(kClasses, word);
}
std::optional<Aggregate> ParseAggregate(std::string_view word) {
  return ParseIn(kAggregates, word);
}
std::optional<IndicatorType> ParseIndicatorType(std::string_view word) {
  return ParseIn(kIndicatorTypes, word);
}
std::optional<RiskDomain> ParseRiskDomain(std::string_view word) {
  return ParseIn(kRiskDomains, word);
}

const std::vector<Module>& AllModules() {
  static const std::vector<Module> kAll = [] {
    std::vector<Module> all;
    for (const auto& [module, name] : kModules) all.push_back(module);
    return all;
  }();
  return kAll;
}

const std::vector<RiskDomain>& AllRiskDomains() {
  static const std::vector<RiskDomain> kAll = [] {
    std::vector<RiskDomain> all;
    for (const auto& [domain, name] : kRiskDomains) all.push_back(domain);
    return all;
  }();
  return kAll;
}

const Choice* ChoiceList::Find(std::string_view choice_name) const {
  for (const Choice& choice : choices) {
    if (choice.name == choice_name) return &choice;
  }
  return nullptr;
}

int RiskMapping::MaxPoints(bool select_multiple) const {
  int max_points = 0;
  if (select_multiple) {
    int sum = 0;
    for (const auto& [choice, choice_points] : points) sum += std::max(choice_points, 0);
    max_points = cap ? std::min(sum, *cap) : sum;
  } else {
    for (const auto& [choice, choice_points] : points) max_points = std::max(max_points, choice_points);
  }
  for (const RiskRange& range : ranges) max_points = std::max(max_points, range.points);
  if (when_not_relevant) max_points = std::max(max_points, when_not_relevant->points);
  return max_points;
}

std::string Indicator::TypeString() const {
  std::string out(ValueTypeName(type));
  if (is_select()) {
    out += ' ';
    out += list_name;
  } else if (type == ValueType::kPcode) {
    out += ' ';
    out += std::to_string(pcode_level);
  }
  return out;
}

}  // namespace opendtm::dictionary
