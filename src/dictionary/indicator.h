// The data dictionary's model: indicators, choice lists and their metadata.
//
// This is the single source of truth of OpenDTM. Form writers, validators,
// exporters and the API read indicator metadata from these types; nothing
// outside dictionary/ hard-codes an indicator, apart from the structural ones
// (site_id, round, P-codes, SADD).
//
// The YAML file format these types are loaded from is documented in
// dictionary/README.md; the meaning of every field in spec/dictionary.md.
//
// Thread-safety: plain value types; immutable once loaded, safe to share.
#ifndef OPENDTM_DICTIONARY_INDICATOR_H_
#define OPENDTM_DICTIONARY_INDICATOR_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::dictionary {

// Where something was declared: file and 1-based line, for error messages.
struct SourceLocation {
  std::string file;
  int line = 0;
};

// Text per language code ("en", "fr", "es", "ar"). `en` is required for labels.
using LocalizedText = std::map<std::string, std::string, std::less<>>;

// Returns the text in `language`, falling back to English, then to "".
std::string_view TextIn(const LocalizedText& text, std::string_view language);

enum class Module { kSite, kPopulation, kVulnerability, kMobility, kServices, kGbvRisk, kProtection };
enum class ValueType {
  kText, kInteger, kDecimal, kDate, kSelectOne, kSelectMultiple, kGeopoint, kPcode
};
enum class DisseminationClass { kPublic, kSensitive, kUrgent, kPii };
enum class Aggregate { kSum, kShareOfSites, kMean, kNone };
enum class IndicatorType { kCore, kCoreCdw, kOptional, kRecommended, kMission };
enum class RiskDomain { kLayout, kSecurity, kParticipation, kServices };

// The spelling used in YAML, JSON and on screen ("gbv_risk", "select_one",
// "public", "share_of_sites", "core_cdw", "layout"), and back. Parse* return
// nullopt for an unknown word.
std::string_view ModuleName(Module module);
std::string_view ValueTypeName(ValueType type);  // base word: "select_one", "pcode"
std::string_view ClassName(DisseminationClass dissemination_class);
std::string_view AggregateName(Aggregate aggregate);
std::string_view IndicatorTypeName(IndicatorType indicator_type);
std::string_view RiskDomainName(RiskDomain domain);
std::optional<Module> ParseModule(std::string_view word);
std::optional<DisseminationClass> ParseClass(std::string_view word);
std::optional<Aggregate> ParseAggregate(std::string_view word);
std::optional<IndicatorType> ParseIndicatorType(std::string_view word);
std::optional<RiskDomain> ParseRiskDomain(std::string_view word);

// All modules / domains in dictionary order, for iteration.
const std::vector<Module>& AllModules();
const std::vector<RiskDomain>& AllRiskDomains();

// One answer option of a choice list.
struct Choice {
  std::string name;                   // the stored code, e.g. "inadequate"
  LocalizedText label;                // what enumerators see; en = DTM's exact wording
  std::vector<std::string> variants;  // other spellings accepted on ingest ("> 75%")
  SourceLocation location;
};

struct ChoiceList {
  std::string name;  // e.g. "lighting"
  std::vector<Choice> choices;
  SourceLocation location;

  // The choice named `choice_name`, or nullptr.
  const Choice* Find(std::string_view choice_name) const;
};

// Points for a numeric answer in [min, max] (either end open when absent).
struct RiskRange {
  std::optional<double> min;
  std::optional<double> max;
  int points = 0;
};

// Points given when the indicator is not relevant because of a condition, e.g.
// smc_women_pct scores 3 when `${smc_exists} = 'no'` (no committee, no women in it).
struct NotRelevantScore {
  std::string when;  // XLSForm expression over other indicators
  int points = 0;
};

// How a gbv_risk indicator's answer becomes risk points (spec/risk-index.md).
// A choice absent from `points` (e.g. `unknown`) scores nothing and counts as
// not answered.
struct RiskMapping {
  RiskDomain domain = RiskDomain::kLayout;
  std::map<std::string, int, std::less<>> points;  // choice name -> points
  std::optional<int> cap;               // select_multiple: summed points capped here
  std::vector<RiskRange> ranges;        // integer/decimal indicators
  std::optional<NotRelevantScore> when_not_relevant;

  // The largest number of points the indicator can give: max over choices and
  // ranges; for select_multiple the sum of positive points capped at `cap`.
  int MaxPoints(bool select_multiple) const;
};

// The thresholds that band a site's GBV risk score (spec/risk-index.md): the
// first the score reaches (very_high, then high, then medium), else lower;
// insufficient_data when coverage < min_coverage. A dictionary's
// `risk_bands:` map sets them (an operation's extension may).
struct RiskBandThresholds {
  double very_high = 38.3;
  double high = 29.2;
  double medium = 19.1;
  double min_coverage = 0.6;
};

struct Indicator {
  std::string name;  // machine name, [a-z][a-z0-9_]*, unique, stable forever
  std::string code;  // DTM question code, e.g. "10.1.s.1"; not unique (grids share one)
  Module module = Module::kSite;
  LocalizedText label;
  LocalizedText hint;
  ValueType type = ValueType::kText;
  std::string list_name;  // select_one / select_multiple: the choice list
  int pcode_level = -1;   // pcode: admin level 0..3
  // XLSForm `required`: "" (optional), "yes" (always) or an expression.
  std::string required;
  std::string relevant;     // XLSForm expression, "" when always relevant
  std::string constraint;   // XLSForm expression over `.`, "" when none
  LocalizedText constraint_message;
  std::string hxl;          // "#affected+idps+ind+f", "" when untagged
  DisseminationClass dissemination_class = DisseminationClass::kPublic;
  Aggregate aggregate = Aggregate::kNone;
  IndicatorType indicator_type = IndicatorType::kCore;
  bool quasi_identifier = false;
  std::optional<RiskMapping> risk;  // gbv_risk indicators only
  SourceLocation location;

  bool is_select() const {
    return type == ValueType::kSelectOne || type == ValueType::kSelectMultiple;
  }
  // The XLSForm type string: "select_one lighting", "integer", "text", …
  // (pcode is written by form writers according to the gazetteer; here "pcode 2").
  std::string TypeString() const;
};

}  // namespace opendtm::dictionary

#endif  // OPENDTM_DICTIONARY_INDICATOR_H_
