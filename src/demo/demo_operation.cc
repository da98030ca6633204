#include "demo/demo_operation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

#include "core/date.h"
#include "core/text.h"
#include "demo/internal/csv_file_writer.h"
#include "demo/internal/geography.h"
#include "demo/internal/random.h"
#include "expr/expression.h"

namespace opendtm::demo {

using dictionary::ChoiceList;
using dictionary::Indicator;
using dictionary::Module;
using dictionary::ValueType;
using internal::CsvFileWriter;
using internal::GeoPoint;
using internal::Geography;
using internal::Mix;
using internal::MixBits;
using internal::Random;

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMiscodedChoice: return "miscoded_choice";
    case ErrorKind::kSaddAgeSum: return "sadd_age_sum";
    case ErrorKind::kLatLonSwapped: return "latlon_swapped";
    case ErrorKind::kUnknownPcode: return "unknown_pcode";
    case ErrorKind::kNegativeCount: return "negative_count";
  }
  return "unknown";
}

int64_t ErrorCounts::total() const {
  int64_t sum = 0;
  for (int64_t count : by_kind) sum += count;
  return sum;
}

namespace {

// Tags that keep the random streams of different purposes apart.
enum StreamTag : uint64_t {
  kCreateStream = 1,
  kDynamicsStream,
  kNewSitesStream,
  kVisitStream,
  kRowStream,
  kAnswerStream,
  kDeviceStream,
};

// What the demo assumes about each site type: size (households, drawn from
// lo + (hi - lo) * u^3, so most sites are small and a few are very large),
// baseline GBV risk, and the chances of a referral mechanism, a site
// management committee and a site management agency; monthly closure rate.
struct SiteTypeProfile {
  std::string_view code;
  double share;
  double households_low;
  double households_high;
  double risk;
  double referral;
  double committee;
  double agency;
  double closure;
  std::string_view name_word;
};

constexpr SiteTypeProfile kSiteTypeProfiles[] = {
    {"camp", 0.30, 80, 5000, 0.35, 0.70, 0.85, 0.80, 0.004, "Camp"},
    {"collective_centre", 0.10, 15, 600, 0.45, 0.45, 0.60, 0.45, 0.010, "Collective Centre"},
    {"transitional_centre", 0.03, 10, 400, 0.45, 0.50, 0.60, 0.50, 0.015, "Transit Centre"},
    {"host_community", 0.40, 10, 800, 0.40, 0.30, 0.30, 0.20, 0.012, "Host Community"},
    {"spontaneous_settlement", 0.15, 5, 500, 0.70, 0.15, 0.25, 0.10, 0.020, "Settlement"},
    {"other", 0.02, 5, 300, 0.55, 0.25, 0.30, 0.20, 0.015, "Site"},
};
constexpr SiteTypeProfile kDefaultSiteTypeProfile = {"", 0.02, 5, 300, 0.5, 0.3, 0.3, 0.2, 0.015,
                                                     "Site"};

constexpr std::string_view kAgeBuckets[] = {"0_1", "1_5", "6_17", "18_59", "60plus"};
constexpr size_t kAdultBucket = 3;  // 18_59 takes the rounding remainder
constexpr double kAgeShares[] = {0.04, 0.17, 0.30, 0.43, 0.06};
constexpr std::string_view kSexes[] = {"m", "f"};

// A choice code and its weight, for the tables below.
struct Weighted {
  std::string_view code;
  double weight;
};
using WeightTable = std::vector<Weighted>;

// Choice weights of the non-scored select questions the demo knows, by site
// type; an empty table means "by type of the question" (see GenericWeights).
WeightTable KnownChoiceWeights(std::string_view indicator, const SiteTypeProfile& type) {
  const std::string_view site_type = type.code;
  if (indicator == "site_open") return {{"yes", 1}};
  if (indicator == "accessibility") return {{"yes", 0.90}, {"no", 0.07}, {"unknown", 0.03}};
  // Urgent when yes (trafficking risk): rare, so that each alert means something.
  if (indicator == "recruiters_visit") return {{"yes", 0.004}, {"no", 0.85}, {"unknown", 0.146}};
  if (indicator == "smc_exists") {
    return {{"yes", type.committee}, {"no", 0.98 - type.committee}, {"unknown", 0.02}};
  }
  if (indicator == "sma_exists") {
    return {{"yes", type.agency}, {"no", 0.98 - type.agency}, {"unknown", 0.02}};
  }
  if (indicator == "site_classification") {
    if (site_type == "camp") return {{"planned", 6}, {"pre_identified", 3}, {"spontaneous", 1}};
    if (site_type == "spontaneous_settlement") return {{"spontaneous", 9}, {"pre_identified", 1}};
    return {{"spontaneous", 5}, {"pre_identified", 4}, {"planned", 1}};
  }
  if (indicator == "shelter_type") {
    if (site_type == "camp") return {{"tents", 7}, {"open_space", 1}, {"other", 1}};
    if (site_type == "collective_centre") {
      return {{"school", 3}, {"community_centre", 3}, {"empty_building", 3}};
    }
    if (site_type == "transitional_centre") {
      return {{"tents", 2}, {"community_centre", 2}, {"empty_building", 1}};
    }
    if (site_type == "host_community") {
      return {{"host_family", 8}, {"empty_building", 1}, {"other", 1}};
    }
    if (site_type == "spontaneous_settlement") {
      return {{"open_space", 4}, {"tents", 3}, {"empty_building", 1}};
    }
    return {};
  }
  if (indicator == "sma_type") {
    if (site_type == "camp") {
      return {{"government", 5}, {"international_ngo", 3}, {"local_ngo", 1.5}, {"other", 0.5}};
    }
    return {{"government", 4}, {"local_ngo", 3}, {"international_ngo", 1.5}, {"private", 1},
            {"other", 0.5}};
  }
  if (indicator == "displacement_reason") {
    return {{"conflict", 6},  {"insecurity", 4}, {"natural_disaster", 1},
            {"economic", 0.5}, {"other", 0.3},   {"not_reported", 0.1}};
  }
  if (indicator == "priority_needs") {
    return {{"food", 5},       {"shelter", 3},     {"wash", 3},
            {"health", 2},     {"nfi", 2},         {"protection", 1.5},
            {"livelihoods", 1}, {"education", 1},  {"cash", 1}};
  }
  return {};
}

// Answers that exclude every other one in a select_multiple.
bool IsExclusiveChoice(std::string_view code) {
  return code == "none" || code == "not_reported" || code == "unknown";
}

// Where an indicator's value comes from.
enum class Source {
  kSiteId, kSiteName, kRound, kSurveyDate, kAdminPcode, kOriginPcode, kCountry, kBlank,
  kLatitude, kLongitude, kSiteType, kHouseholds, kIndividuals, kSexTotal, kAgeBucket,
  kVulnerability, kArrivalFirst, kArrivalLast, kPiiName, kPiiPhone, kReferral,
  kScoredSelectOne, kScoredSelectMultiple, kScoredInteger, kSelectOne, kSelectMultiple,
  kInteger, kDecimal, kDate, kText,
};

// How one indicator is filled, decided once from the dictionary.
struct IndicatorPlan {
  const Indicator* indicator = nullptr;
  const ChoiceList* list = nullptr;
  Source source = Source::kText;
  int level = 0;   // kAdminPcode, kOriginPcode
  int sex = 0;     // kSexTotal, kAgeBucket
  int bucket = 0;  // kAgeBucket
  // kSelectOne / kSelectMultiple: choice weights by site type index.
  std::vector<std::vector<double>> weights_by_type;
  // Scored selects: points per choice of `list`, -1 for unscored (unknown).
  std::vector<int> points;
  int max_points = 0;
  std::optional<expr::Expression> relevant;
  std::string header;  // "<module>/<name>"
};

// One column of a round file.
struct Column {
  enum class Kind {
    kStart, kEnd, kToday, kDeviceId, kIndicator, kLatitude, kLongitude, kAltitude, kPrecision,
    kChoiceFlag, kId, kUuid, kSubmissionTime, kSubmittedBy, kIndex,
  };
  Kind kind = Kind::kIndicator;
  int indicator = -1;  // kIndicator, kChoiceFlag
  std::string choice;  // kChoiceFlag
  std::string header;
};

struct Site {
  int64_t serial = 0;
  std::string id;
  std::string name;
  size_t district = 0;
  size_t origin = 0;
  size_t type = 0;
  GeoPoint point;
  double altitude = 0;
  double household_size = 5;
  double female_share = 0.53;
  double risk = 0.5;  // latent GBV risk in [0, 1]
  bool referral = false;
  int64_t households = 1;
  int64_t arrival_first = -1;  // days since 1970-01-01; -1 until the first visit
  int64_t arrival_last = -1;
  bool arrivals_this_round = false;
  bool open = true;
  uint64_t answer_seed = 0;     // seeds the streams of the stable answers
  std::vector<uint8_t> epochs;  // by indicator: bumped when the answer may change
};

// A site's visit in a round: when it was surveyed and submitted.
struct Visit {
  size_t site = 0;
  int64_t survey_day = 0;     // days since epoch
  int64_t start_local = 0;    // seconds since epoch, local time
  int64_t end_local = 0;
  int64_t submitted_utc = 0;
};

// Sex and age disaggregated figures of one row.
struct Sadd {
  int64_t households = 0;
  int64_t individuals = 0;
  int64_t by_sex[2] = {0, 0};
  int64_t buckets[2][5] = {};
};

int64_t FloorDiv(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

void AppendPadded(std::string& out, int64_t value, int width) {
  char digits[24];
  std::to_chars_result result = std::to_chars(digits, digits + sizeof(digits), value);
  const int length = static_cast<int>(result.ptr - digits);
  for (int pad = length; pad < width; ++pad) out.push_back('0');
  out.append(digits, result.ptr);
}

std::string DateText(int64_t days) { return core::ToIso(core::FromDaysSinceEpoch(days)); }

// "2026-01-14T09:12:33" followed by `suffix` (".000+01:00" or "").
std::string DateTimeText(int64_t seconds, std::string_view suffix) {
  const int64_t days = FloorDiv(seconds, 86400);
  const int64_t in_day = seconds - days * 86400;
  std::string out = DateText(days);
  out.push_back('T');
  AppendPadded(out, in_day / 3600, 2);
  out.push_back(':');
  AppendPadded(out, in_day / 60 % 60, 2);
  out.push_back(':');
  AppendPadded(out, in_day % 60, 2);
  out.append(suffix);
  return out;
}

void AssignFixed(std::string& out, double value, int decimals) {
  char digits[64];
  std::to_chars_result result =
      std::to_chars(digits, digits + sizeof(digits), value, std::chars_format::fixed, decimals);
  out.assign(digits, result.ptr);
}

void AssignInt(std::string& out, int64_t value) {
  char digits[24];
  std::to_chars_result result = std::to_chars(digits, digits + sizeof(digits), value);
  out.assign(digits, result.ptr);
}

std::optional<int64_t> ReadInt(std::string_view text) {
  int64_t value = 0;
  std::from_chars_result result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Every word's first ASCII letter in upper case: "No lighting" -> "No Lighting".
std::string TitleCase(std::string_view text) {
  std::string out(text);
  bool word_start = true;
  for (char& byte : out) {
    if (word_start && byte >= 'a' && byte <= 'z') byte = static_cast<char>(byte - 'a' + 'A');
    word_start = byte == ' ' || byte == '/' || byte == '(';
  }
  return out;
}

// The country's UTC offset (seconds) and telephone code, for realistic
// metadata and fake phone numbers. Unknown countries get UTC and "000".
struct CountryFacts {
  int64_t utc_offset = 0;
  std::string_view offset_text = "+00:00";
  std::string_view phone_code = "000";
};

CountryFacts FactsOf(std::string_view country) {
  if (country == "NGA") return {3600, "+01:00", "234"};
  return {};
}

// Writes one demo operation; one instance per call of WriteDemoOperation.
class DemoWriter {
 public:
  DemoWriter(const dictionary::Dictionary& dictionary, const geo::Gazetteer& gazetteer,
             const geo::CountryExtent& box, const DemoOptions& options, std::string out_dir,
             Geography geography)
      : dictionary_(dictionary),
        gazetteer_(gazetteer),
        box_(box),
        options_(options),
        out_dir_(std::move(out_dir)),
        geography_(std::move(geography)),
        facts_(FactsOf(options.country)) {}

  // Steps:
  //   1. plan how each indicator is filled and lay out the columns;
  //   2. create the output directory and the round-1 sites, write sites.csv;
  //   3. for each round: move people, close and open sites (from round 2),
  //      then write the round file.
  Result<DemoSummary> Run() {
    RETURN_IF_ERROR(PlanIndicators());
    LayOutColumns();
    std::error_code error;
    std::filesystem::create_directories(out_dir_, error);
    if (error) {
      return UnavailableError(out_dir_ + ": cannot create the directory: " + error.message());
    }
    summary_.country = options_.country;
    for (int64_t site_idx = 0; site_idx < options_.sites; ++site_idx) CreateSite(1);
    AssignTeams();
    RETURN_IF_ERROR(WriteMasterList());
    summary_.sites_round1 = static_cast<int64_t>(sites_.size());
    for (int round = 1; round <= options_.rounds; ++round) {
      RoundSummary round_summary;
      round_summary.round = round;
      if (round > 1) MoveAndChange(round, round_summary);
      RETURN_IF_ERROR(WriteRound(round, round_summary));
      summary_.rows_total += round_summary.rows;
      summary_.uasc_alerts += round_summary.uasc_alerts;
      for (size_t kind_idx = 0; kind_idx < kErrorKindCount; ++kind_idx) {
        summary_.errors.by_kind[kind_idx] += round_summary.errors.by_kind[kind_idx];
      }
      summary_.rounds.push_back(std::move(round_summary));
    }
    summary_.sites_total = static_cast<int64_t>(sites_.size());
    return std::move(summary_);
  }

 private:
  // ---- Step 1: plans and columns ----------------------------------------

  int IndexOf(const Indicator* indicator) const {
    return static_cast<int>(indicator - dictionary_.indicators().data());
  }

  Status PlanIndicators() {
    // Site types come from the dictionary's list; the demo's profiles apply
    // where the codes match.
    const Indicator* site_type = dictionary_.FindIndicator("site_type");
    const ChoiceList* type_list =
        site_type != nullptr ? dictionary_.ListOf(*site_type) : nullptr;
    if (type_list == nullptr || type_list->choices.empty() ||
        site_type->type != ValueType::kSelectOne) {
      return InvalidArgumentError(
          "the demo needs a select_one indicator 'site_type' with at least one choice");
    }
    for (const dictionary::Choice& choice : type_list->choices) {
      SiteTypeProfile profile = kDefaultSiteTypeProfile;
      for (const SiteTypeProfile& known : kSiteTypeProfiles) {
        if (known.code == choice.name) profile = known;
      }
      profile.code = choice.name;  // a view into the dictionary, which outlives us
      types_.push_back(profile);
      type_weights_.push_back(profile.share);
    }

    // The structural indicators must exist with the right types.
    std::string missing;
    auto require = [&](std::string_view name, std::initializer_list<ValueType> types) {
      const Indicator* indicator = dictionary_.FindIndicator(name);
      if (indicator == nullptr ||
          std::find(types.begin(), types.end(), indicator->type) == types.end()) {
        missing += missing.empty() ? "" : ", ";
        missing += name;
      }
    };
    require("site_id", {ValueType::kText});
    require("round", {ValueType::kInteger});
    require("adm1_pcode", {ValueType::kPcode});
    require("adm2_pcode", {ValueType::kPcode});
    require("latitude", {ValueType::kDecimal});
    require("longitude", {ValueType::kDecimal});
    for (std::string_view name : {"hh_total", "ind_total", "m_total", "f_total"}) {
      require(name, {ValueType::kInteger});
    }
    for (std::string_view sex : kSexes) {
      for (std::string_view bucket : kAgeBuckets) {
        require(std::string(sex) + "_" + std::string(bucket), {ValueType::kInteger});
      }
    }
    if (!missing.empty()) {
      return InvalidArgumentError("the dictionary lacks structural indicators the demo needs "
                                  "(or they have another type): " + missing);
    }

    const std::vector<Indicator>& indicators = dictionary_.indicators();
    auto resolver = [this](std::string_view name) -> std::optional<int> {
      const Indicator* found = dictionary_.FindIndicator(name);
      if (found == nullptr) return std::nullopt;
      return IndexOf(found);
    };
    for (const Indicator& indicator : indicators) {
      IndicatorPlan plan;
      plan.indicator = &indicator;
      plan.list = dictionary_.ListOf(indicator);
      plan.header = std::string(dictionary::ModuleName(indicator.module)) + "/" + indicator.name;
      if (!indicator.relevant.empty()) {
        Result<expr::Expression> relevant = expr::Expression::Compile(indicator.relevant, resolver);
        if (!relevant.ok()) {
          return relevant.status().WithContext("indicator " + indicator.name + ": relevant");
        }
        plan.relevant.emplace(std::move(relevant).value());
      }
      ChooseSource(plan);
      plans_.push_back(std::move(plan));
    }
    for (size_t plan_idx = 0; plan_idx < plans_.size(); ++plan_idx) {
      const std::string& name = plans_[plan_idx].indicator->name;
      const int index = static_cast<int>(plan_idx);
      if (name == "adm1_pcode") adm1_index_ = index;
      if (name == "adm2_pcode") adm2_index_ = index;
      if (name == "uasc") uasc_index_ = index;
      const IndicatorPlan& plan = plans_[plan_idx];
      if (plan.source == Source::kSexTotal) sex_total_index_[plan.sex] = index;
      if (plan.source == Source::kAgeBucket) bucket_index_[plan.sex][plan.bucket] = index;
    }
    values_.resize(plans_.size());
    slots_.resize(plans_.size());
    return Status::Ok();
  }

  void ChooseSource(IndicatorPlan& plan) {
    const Indicator& indicator = *plan.indicator;
    const std::string& name = indicator.name;
    // Structural indicators, known by name.
    if (name == "site_id") { plan.source = Source::kSiteId; return; }
    if (name == "site_name") { plan.source = Source::kSiteName; return; }
    if (name == "round") { plan.source = Source::kRound; return; }
    if (name == "survey_date") { plan.source = Source::kSurveyDate; return; }
    if (name == "latitude") { plan.source = Source::kLatitude; return; }
    if (name == "longitude") { plan.source = Source::kLongitude; return; }
    if (name == "site_type") { plan.source = Source::kSiteType; return; }
    if (name == "hh_total") { plan.source = Source::kHouseholds; return; }
    if (name == "ind_total") { plan.source = Source::kIndividuals; return; }
    for (int sex = 0; sex < 2; ++sex) {
      const std::string prefix = std::string(kSexes[sex]) + "_";
      if (name == prefix + "total") {
        plan.source = Source::kSexTotal;
        plan.sex = sex;
        return;
      }
      for (int bucket = 0; bucket < 5; ++bucket) {
        if (name == prefix + std::string(kAgeBuckets[bucket])) {
          plan.source = Source::kAgeBucket;
          plan.sex = sex;
          plan.bucket = bucket;
          return;
        }
      }
    }
    if (indicator.type == ValueType::kPcode) {
      plan.level = indicator.pcode_level;
      const bool own = name == "adm" + std::to_string(indicator.pcode_level) + "_pcode";
      if (indicator.pcode_level == 0) {
        plan.source = own ? Source::kCountry : Source::kBlank;
      } else if (indicator.pcode_level <= 2) {
        plan.source = own ? Source::kAdminPcode : Source::kOriginPcode;
      } else {
        plan.source = Source::kBlank;  // the gazetteer has no deeper levels
      }
      return;
    }
    if (indicator.dissemination_class == dictionary::DisseminationClass::kPii) {
      plan.source = name.find("phone") != std::string::npos ? Source::kPiiPhone : Source::kPiiName;
      return;
    }
    if (name == "arrival_first" && indicator.type == ValueType::kDate) {
      plan.source = Source::kArrivalFirst;
      return;
    }
    if (name == "arrival_last" && indicator.type == ValueType::kDate) {
      plan.source = Source::kArrivalLast;
      return;
    }
    if (indicator.module == Module::kVulnerability && indicator.type == ValueType::kInteger) {
      plan.source = Source::kVulnerability;
      return;
    }
    if (name == "gbv_referral_mechanism" && indicator.type == ValueType::kSelectOne &&
        plan.list != nullptr && plan.list->Find("yes") != nullptr &&
        plan.list->Find("no") != nullptr) {
      plan.source = Source::kReferral;
      return;
    }
    // Scored GBV-risk items follow the site's latent risk.
    if (indicator.risk.has_value()) {
      const dictionary::RiskMapping& risk = *indicator.risk;
      const bool multiple = indicator.type == ValueType::kSelectMultiple;
      plan.max_points = std::max(1, risk.MaxPoints(multiple));
      if (indicator.is_select() && plan.list != nullptr) {
        for (const dictionary::Choice& choice : plan.list->choices) {
          auto found = risk.points.find(choice.name);
          plan.points.push_back(found == risk.points.end() ? -1 : found->second);
        }
        plan.source = multiple ? Source::kScoredSelectMultiple : Source::kScoredSelectOne;
        return;
      }
      if (indicator.type == ValueType::kInteger && !risk.ranges.empty()) {
        plan.source = Source::kScoredInteger;
        return;
      }
    }
    switch (indicator.type) {
      case ValueType::kSelectOne:
      case ValueType::kSelectMultiple:
        plan.source = indicator.type == ValueType::kSelectOne ? Source::kSelectOne
                                                              : Source::kSelectMultiple;
        for (const SiteTypeProfile& type : types_) {
          plan.weights_by_type.push_back(ChoiceWeights(plan, type));
        }
        return;
      case ValueType::kInteger: plan.source = Source::kInteger; return;
      case ValueType::kDecimal: plan.source = Source::kDecimal; return;
      case ValueType::kDate: plan.source = Source::kDate; return;
      default: plan.source = Source::kText; return;
    }
  }

  // Weights over plan.list's choices: the demo's table where it has one for
  // this question (choices it names that the list lacks are ignored),
  // otherwise every choice alike, with `unknown` and `other` rarer.
  static std::vector<double> ChoiceWeights(const IndicatorPlan& plan,
                                           const SiteTypeProfile& type) {
    std::vector<double> weights;
    if (plan.list == nullptr) return weights;
    const WeightTable table = KnownChoiceWeights(plan.indicator->name, type);
    double total = 0;
    for (const dictionary::Choice& choice : plan.list->choices) {
      double weight = 0;
      for (const Weighted& entry : table) {
        if (entry.code == choice.name) weight = entry.weight;
      }
      weights.push_back(weight);
      total += weight;
    }
    if (total > 0) return weights;
    for (size_t choice_idx = 0; choice_idx < plan.list->choices.size(); ++choice_idx) {
      const std::string& code = plan.list->choices[choice_idx].name;
      weights[choice_idx] = code == "unknown" ? 0.05 : code == "other" ? 0.3 : 1.0;
    }
    return weights;
  }

  void LayOutColumns() {
    for (auto [kind, header] : {std::pair{Column::Kind::kStart, "start"},
                                std::pair{Column::Kind::kEnd, "end"},
                                std::pair{Column::Kind::kToday, "today"},
                                std::pair{Column::Kind::kDeviceId, "deviceid"}}) {
      columns_.push_back({kind, -1, "", header});
    }
    // Module by module, site first (as forms::BuildForm groups the form).
    std::vector<Module> modules = {Module::kSite};
    for (Module module : dictionary::AllModules()) {
      if (module != Module::kSite) modules.push_back(module);
    }
    bool location_done = false;
    for (Module module : modules) {
      const std::string group(dictionary::ModuleName(module));
      for (const Indicator* indicator : dictionary_.IndicatorsIn(module)) {
        const int index = IndexOf(indicator);
        const IndicatorPlan& plan = plans_[static_cast<size_t>(index)];
        if (plan.source == Source::kLatitude || plan.source == Source::kLongitude) {
          if (location_done) continue;
          location_done = true;
          columns_.push_back({Column::Kind::kLatitude, -1, "", group + "/_location_latitude"});
          columns_.push_back({Column::Kind::kLongitude, -1, "", group + "/_location_longitude"});
          columns_.push_back({Column::Kind::kAltitude, -1, "", group + "/_location_altitude"});
          columns_.push_back({Column::Kind::kPrecision, -1, "", group + "/_location_precision"});
          latitude_header_ = group + "/_location_latitude";
          continue;
        }
        columns_.push_back({Column::Kind::kIndicator, index, "", plan.header});
        if (indicator->name == kSplitSelectMultiple &&
            indicator->type == ValueType::kSelectMultiple && plan.list != nullptr) {
          for (const dictionary::Choice& choice : plan.list->choices) {
            columns_.push_back(
                {Column::Kind::kChoiceFlag, index, choice.name, plan.header + "/" + choice.name});
          }
        }
      }
    }
    for (auto [kind, header] : {std::pair{Column::Kind::kId, "_id"},
                                std::pair{Column::Kind::kUuid, "_uuid"},
                                std::pair{Column::Kind::kSubmissionTime, "_submission_time"},
                                std::pair{Column::Kind::kSubmittedBy, "_submitted_by"},
                                std::pair{Column::Kind::kIndex, "_index"}}) {
      columns_.push_back({kind, -1, "", header});
    }
  }

  // ---- Step 2: sites ------------------------------------------------------

  void CreateSite(int round) {
    Site site;
    site.serial = static_cast<int64_t>(sites_.size()) + 1;
    Random random(Mix({options_.seed, kCreateStream, static_cast<uint64_t>(site.serial)}));
    site.district = geography_.PickDistrict(random);
    site.origin = geography_.PickOrigin(site.district, random);
    site.type = random.PickWeighted(type_weights_);
    const SiteTypeProfile& type = types_[site.type];
    site.point = geography_.PlaceSite(site.district, random);
    site.altitude = random.Uniform(150, 650);
    site.household_size = random.Uniform(3.6, 7.2);
    site.female_share = random.Uniform(0.50, 0.58);
    site.referral = random.Chance(type.referral);
    site.risk = std::clamp(type.risk + (site.referral ? -0.22 : 0.08) + random.Uniform(-0.12, 0.12),
                           0.03, 0.97);
    const double skew = random.Uniform();
    site.households = std::max<int64_t>(
        1, static_cast<int64_t>(type.households_low +
                                (type.households_high - type.households_low) * skew * skew * skew));
    if (round == 1) {
      // Displaced before the first round: some time in the previous ten years.
      const int64_t earliest = core::DaysSinceEpoch({options_.year - 10, 1, 1});
      const int64_t latest = core::DaysSinceEpoch({options_.year - 1, 12, 31});
      site.arrival_first = random.UniformInt(earliest, latest - 30);
      site.arrival_last = random.UniformInt(site.arrival_first, latest);
    }
    site.answer_seed = Mix({options_.seed, kAnswerStream, static_cast<uint64_t>(site.serial)});
    site.epochs.assign(plans_.size(), 0);
    const Geography::District& district = geography_.districts()[site.district];
    int& count = name_counts_[{site.district, site.type}];
    ++count;
    site.name = district.adm2->name + " " + std::string(type.name_word) + " " +
                std::to_string(count);
    site.id = options_.country + "-";
    AppendPadded(site.id, site.serial, 6);
    sites_.push_back(std::move(site));
  }

  // Enumerators: one team per admin1, about one enumerator per 25 sites of
  // round 1, each site always visited by the same enumerator.
  void AssignTeams() {
    std::map<const geo::AdminArea*, int64_t> sites_per_admin1;
    for (const Site& site : sites_) ++sites_per_admin1[geography_.districts()[site.district].adm1];
    for (const Geography::District& district : geography_.districts()) {
      auto found = sites_per_admin1.find(district.adm1);
      const int64_t count = found == sites_per_admin1.end() ? 0 : found->second;
      team_size_.push_back(std::clamp<int64_t>(count / 25, 1, 99));
    }
  }

  Status WriteMasterList() {
    const std::string file = "sites.csv";
    ASSIGN_OR_RETURN(std::unique_ptr<CsvFileWriter> writer, CsvFileWriter::Create(Path(file)));
    for (std::string_view header : {"site_id", "site_name", "adm1_pcode", "adm2_pcode", "latitude",
                                    "longitude", "site_type", "status"}) {
      writer->Field(header);
    }
    writer->EndRow();
    std::string number;
    for (const Site& site : sites_) {
      const Geography::District& district = geography_.districts()[site.district];
      writer->Field(site.id);
      writer->Field(site.name);
      writer->Field(district.adm1->pcode);
      writer->Field(district.adm2->pcode);
      AssignFixed(number, site.point.latitude, 6);
      writer->Field(number);
      AssignFixed(number, site.point.longitude, 6);
      writer->Field(number);
      writer->Field(types_[site.type].code);
      writer->Field("open");
      writer->EndRow();
    }
    RETURN_IF_ERROR(writer->Close());
    summary_.files.push_back(file);
    return Status::Ok();
  }

  // ---- Step 3: rounds -----------------------------------------------------

  // Between rounds: sites close, people leave and arrive, referral mechanisms
  // are set up, answers may change; then new sites open.
  void MoveAndChange(int round, RoundSummary& round_summary) {
    const size_t existing = sites_.size();
    for (size_t site_idx = 0; site_idx < existing; ++site_idx) {
      Site& site = sites_[site_idx];
      site.arrivals_this_round = false;
      if (!site.open) continue;
      Random random(Mix({options_.seed, kDynamicsStream, static_cast<uint64_t>(round),
                         static_cast<uint64_t>(site.serial)}));
      const SiteTypeProfile& type = types_[site.type];
      const double closure = type.closure * (site.households < 30 ? 2.0 : 1.0);
      if (random.Chance(closure)) {
        site.open = false;
        ++round_summary.closed_sites;
        continue;
      }
      const double departures = random.Uniform(0, 0.05);
      double arrivals = 0;
      if (random.Chance(0.03)) {
        arrivals = random.Uniform(0.10, 0.50);  // an influx after an attack or a flood
      } else if (random.Chance(0.35)) {
        arrivals = random.Uniform(0, 0.08);
      }
      const double households = static_cast<double>(site.households) * (1 - departures + arrivals);
      site.households = std::max<int64_t>(1, static_cast<int64_t>(households + 0.5));
      site.arrivals_this_round = arrivals > 0;
      if (!site.referral && random.Chance(0.03)) {
        site.referral = true;
        site.risk = std::max(0.03, site.risk - 0.2);
      }
      for (uint8_t& epoch : site.epochs) {
        if (random.Chance(0.08)) ++epoch;
      }
    }
    Random random(Mix({options_.seed, kNewSitesStream, static_cast<uint64_t>(round)}));
    const double expected = 0.012 * options_.sites;
    const int64_t new_sites =
        static_cast<int64_t>(expected * random.Uniform(0.6, 1.4) + random.Uniform());
    for (int64_t site_idx = 0; site_idx < new_sites; ++site_idx) {
      CreateSite(round);
      sites_.back().arrivals_this_round = true;
    }
    round_summary.new_sites = new_sites;
  }

  std::string Path(const std::string& file) const {
    return (std::filesystem::path(out_dir_) / file).string();
  }

  Status WriteRound(int round, RoundSummary& round_summary) {
    // Monthly rounds: round 1 is January of options_.year.
    const int year = options_.year + (round - 1) / 12;
    const int month = (round - 1) % 12 + 1;
    const int64_t first_day = core::DaysSinceEpoch({year, month, 1});
    const int days_in_month = core::DaysInMonth(year, month);
    round_summary.first_day = DateText(first_day);
    round_summary.last_day = DateText(first_day + days_in_month - 1);
    round_summary.file = "round-";
    AppendPadded(round_summary.file, round, 2);
    round_summary.file += ".csv";

    // Visits of the open sites, in submission order.
    std::vector<Visit> visits;
    for (size_t site_idx = 0; site_idx < sites_.size(); ++site_idx) {
      if (!sites_[site_idx].open) continue;
      Random random(Mix({options_.seed, kVisitStream, static_cast<uint64_t>(round),
                         static_cast<uint64_t>(sites_[site_idx].serial)}));
      Visit visit;
      visit.site = site_idx;
      visit.survey_day = first_day + random.UniformInt(0, days_in_month - 1);
      // Enumerators start between 07:30 and 15:30.
      visit.start_local =
          visit.survey_day * 86400 + 7 * 3600 + 1800 + random.UniformInt(0, 8 * 3600);
      visit.end_local = visit.start_local + random.UniformInt(25 * 60, 75 * 60);
      const int64_t delay = random.Chance(0.7) ? random.UniformInt(5 * 60, 180 * 60)
                                               : random.UniformInt(1, 3) * 86400 +
                                                     random.UniformInt(0, 600 * 60);
      visit.submitted_utc = visit.end_local - facts_.utc_offset + delay;
      visits.push_back(visit);
    }
    std::sort(visits.begin(), visits.end(), [this](const Visit& a, const Visit& b) {
      if (a.submitted_utc != b.submitted_utc) return a.submitted_utc < b.submitted_utc;
      return sites_[a.site].serial < sites_[b.site].serial;
    });

    ASSIGN_OR_RETURN(std::unique_ptr<CsvFileWriter> writer,
                     CsvFileWriter::Create(Path(round_summary.file)));
    for (const Column& column : columns_) writer->Field(column.header);
    writer->EndRow();
    int64_t row_number = 0;
    for (const Visit& visit : visits) {
      ++row_number;
      Site& site = sites_[visit.site];
      Random random(Mix({options_.seed, kRowStream, static_cast<uint64_t>(round),
                         static_cast<uint64_t>(site.serial)}));
      FillRow(round, site, visit, random);
      ApplyRelevance(visit.survey_day);
      MaybeInjectError(round, row_number, site, random, round_summary);
      if (uasc_index_ >= 0) {
        std::optional<int64_t> uasc = ReadInt(values_[static_cast<size_t>(uasc_index_)]);
        if (uasc.has_value() && *uasc > 0) ++round_summary.uasc_alerts;
      }
      WriteRow(*writer, site, visit, row_number, random);
    }
    RETURN_IF_ERROR(writer->Close());
    round_summary.rows = row_number;
    summary_.files.push_back(round_summary.file);
    return Status::Ok();
  }

  Sadd MakeSadd(const Site& site, Random& random) const {
    Sadd sadd;
    sadd.households = site.households;
    const double size = std::clamp(site.household_size + random.Uniform(-0.15, 0.15), 3.0, 8.0);
    sadd.individuals = std::max<int64_t>(
        sadd.households, static_cast<int64_t>(static_cast<double>(sadd.households) * size + 0.5));
    sadd.by_sex[1] =
        static_cast<int64_t>(static_cast<double>(sadd.individuals) * site.female_share + 0.5);
    sadd.by_sex[0] = sadd.individuals - sadd.by_sex[1];
    for (int sex = 0; sex < 2; ++sex) {
      double shares[5];
      double total_share = 0;
      for (int bucket = 0; bucket < 5; ++bucket) {
        shares[bucket] = kAgeShares[bucket] * random.Uniform(0.8, 1.2);
        total_share += shares[bucket];
      }
      int64_t assigned = 0;
      for (int bucket = 0; bucket < 5; ++bucket) {
        if (bucket == static_cast<int>(kAdultBucket)) continue;
        sadd.buckets[sex][bucket] = static_cast<int64_t>(
            static_cast<double>(sadd.by_sex[sex]) * shares[bucket] / total_share);
        assigned += sadd.buckets[sex][bucket];
      }
      sadd.buckets[sex][kAdultBucket] = sadd.by_sex[sex] - assigned;
    }
    return sadd;
  }

  int64_t VulnerabilityCount(std::string_view name, const Sadd& sadd, Random& random) const {
    const double individuals = static_cast<double>(sadd.individuals);
    const double households = static_cast<double>(sadd.households);
    auto share = [&random](double base, double low, double high) {
      return static_cast<int64_t>(base * random.Uniform(low, high));
    };
    if (name == "pregnant") return share(static_cast<double>(sadd.buckets[1][3]), 0.04, 0.09);
    if (name == "breastfeeding") {
      const double infants = static_cast<double>(sadd.buckets[0][0] + sadd.buckets[1][0]);
      return std::min(sadd.buckets[1][3], share(infants, 0.6, 0.95));
    }
    if (name == "disability") return share(individuals, 0.01, 0.04);
    if (name == "chronic_illness") return share(individuals, 0.02, 0.06);
    if (name == "hh_female_headed") return share(households, 0.15, 0.45);
    if (name == "hh_child_headed") return share(households, 0, 0.02);
    if (name == "hh_elderly_headed") return share(households, 0.03, 0.10);
    if (name == "uasc") {
      // A few alerts: unaccompanied or separated children found at the site.
      const int64_t children = sadd.buckets[0][2] + sadd.buckets[1][2];
      if (children == 0 || !random.Chance(0.0025)) return 0;
      return std::min<int64_t>(children, random.UniformInt(1, 6));
    }
    return share(households, 0, 0.05);
  }

  // Weight of a choice worth `points` out of `max_points` for a site of risk
  // `risk`: risky sites favour high-point answers, safe sites low ones.
  static double RiskWeight(int points, int max_points, double risk) {
    const double level = static_cast<double>(points) / max_points;
    const double affinity = level * risk + (1 - level) * (1 - risk);
    return affinity * affinity * affinity;
  }

  void FillRow(int round, Site& site, const Visit& visit, Random& random) {
    const Sadd sadd = MakeSadd(site, random);
    if (site.arrival_first < 0) {  // a new site: people arrived this month
      site.arrival_first = visit.survey_day - random.UniformInt(0, 20);
      site.arrival_last = site.arrival_first;
    }
    if (site.arrivals_this_round) {
      site.arrival_last = std::max(site.arrival_first, visit.survey_day - random.UniformInt(0, 12));
    }
    site.arrivals_this_round = false;
    const Geography::District& district = geography_.districts()[site.district];
    const Geography::District& origin = geography_.districts()[site.origin];
    // Each visit's GPS reading differs a little from the master list's point.
    row_point_ = geography_.Clamp({site.point.latitude + random.Uniform(-0.0003, 0.0003),
                                   site.point.longitude + random.Uniform(-0.0003, 0.0003)},
                                  0.005);
    for (size_t plan_idx = 0; plan_idx < plans_.size(); ++plan_idx) {
      const IndicatorPlan& plan = plans_[plan_idx];
      std::string& value = values_[plan_idx];
      if (IsStable(plan.source)) {
        // Stable answers draw from a stream that changes only with the epoch.
        const uint64_t stream = (uint64_t{plan_idx} << 8) | site.epochs[plan_idx];
        Random answer(MixBits(site.answer_seed ^ stream));
        FillStableAnswer(plan, site, answer, value);
        continue;
      }
      switch (plan.source) {
        case Source::kSiteId: value = site.id; break;
        case Source::kSiteName: value = site.name; break;
        case Source::kRound: AssignInt(value, round); break;
        case Source::kSurveyDate: value = DateText(visit.survey_day); break;
        case Source::kCountry: value = options_.country; break;
        case Source::kBlank: value.clear(); break;
        case Source::kAdminPcode:
          value = plan.level == 1 ? district.adm1->pcode : district.adm2->pcode;
          break;
        case Source::kOriginPcode:
          value = plan.level == 1 ? origin.adm1->pcode : origin.adm2->pcode;
          break;
        case Source::kLatitude: AssignFixed(value, row_point_.latitude, 6); break;
        case Source::kLongitude: AssignFixed(value, row_point_.longitude, 6); break;
        case Source::kSiteType: value = types_[site.type].code; break;
        case Source::kHouseholds: AssignInt(value, sadd.households); break;
        case Source::kIndividuals: AssignInt(value, sadd.individuals); break;
        case Source::kSexTotal: AssignInt(value, sadd.by_sex[plan.sex]); break;
        case Source::kAgeBucket: AssignInt(value, sadd.buckets[plan.sex][plan.bucket]); break;
        case Source::kVulnerability:
          AssignInt(value, VulnerabilityCount(plan.indicator->name, sadd, random));
          break;
        case Source::kArrivalFirst: value = DateText(site.arrival_first); break;
        case Source::kArrivalLast: value = DateText(site.arrival_last); break;
        case Source::kPiiName:
          value = "Focal Person " + std::to_string(site.serial);
          break;
        case Source::kPiiPhone:
          value = "+" + std::string(facts_.phone_code);
          AppendPadded(value, site.serial, 9);
          break;
        case Source::kReferral:
        case Source::kScoredSelectOne:
        case Source::kScoredSelectMultiple:
        case Source::kScoredInteger:
        case Source::kSelectOne:
        case Source::kSelectMultiple:
          break;  // stable answers, filled above
        case Source::kInteger: FillInteger(plan, site, sadd, random, value); break;
        case Source::kDecimal: AssignFixed(value, random.Uniform(0, 100), 1); break;
        case Source::kDate:
          value = DateText(visit.survey_day - random.UniformInt(0, 365));
          break;
        case Source::kText: value.clear(); break;
      }
    }
  }

  // The answers that persist between rounds until the site's epoch for the
  // indicator changes: the selects and the scored items.
  static bool IsStable(Source source) {
    return source >= Source::kReferral && source <= Source::kSelectMultiple;
  }

  void FillStableAnswer(const IndicatorPlan& plan, const Site& site, Random& answer,
                        std::string& value) {
    switch (plan.source) {
      case Source::kReferral: {
        const double roll = answer.Uniform();
        value = roll < 0.02 ? (plan.list->Find("unknown") != nullptr ? "unknown" : "no")
                            : (site.referral ? "yes" : "no");
        break;
      }
      case Source::kScoredSelectOne: FillScoredSelectOne(plan, site, answer, value); break;
      case Source::kScoredSelectMultiple:
        FillScoredSelectMultiple(plan, site, answer, value);
        break;
      case Source::kScoredInteger: FillScoredInteger(plan, site, answer, value); break;
      case Source::kSelectOne: {
        const std::vector<double>& weights = plan.weights_by_type[site.type];
        value = weights.empty() ? "" : plan.list->choices[answer.PickWeighted(weights)].name;
        break;
      }
      case Source::kSelectMultiple: FillSelectMultiple(plan, site, answer, value); break;
      default: value.clear(); break;
    }
  }

  void FillScoredSelectOne(const IndicatorPlan& plan, const Site& site, Random& answer,
                           std::string& value) {
    scratch_.assign(plan.points.size(), 0);
    int unscored = 0;
    double scored_total = 0;
    for (size_t choice_idx = 0; choice_idx < plan.points.size(); ++choice_idx) {
      if (plan.points[choice_idx] < 0) {
        ++unscored;
        continue;
      }
      scratch_[choice_idx] = RiskWeight(plan.points[choice_idx], plan.max_points, site.risk);
      scored_total += scratch_[choice_idx];
    }
    // About 4% of answers are `unknown` (or another unscored choice).
    for (size_t choice_idx = 0; choice_idx < plan.points.size(); ++choice_idx) {
      if (plan.points[choice_idx] < 0) scratch_[choice_idx] = 0.04 * scored_total / 0.96 / unscored;
    }
    value = plan.list->choices[answer.PickWeighted(scratch_)].name;
  }

  void FillScoredSelectMultiple(const IndicatorPlan& plan, const Site& site, Random& answer,
                                std::string& value) {
    const std::vector<dictionary::Choice>& choices = plan.list->choices;
    std::vector<size_t> positive;
    size_t zero_choice = choices.size();
    for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
      if (plan.points[choice_idx] > 0) positive.push_back(choice_idx);
      if (plan.points[choice_idx] == 0 && zero_choice == choices.size()) zero_choice = choice_idx;
    }
    const int64_t cap = std::min<int64_t>(
        static_cast<int64_t>(positive.size()),
        plan.indicator->risk->cap.has_value() ? *plan.indicator->risk->cap : 3);
    int64_t wanted = static_cast<int64_t>(site.risk * 4.2 * answer.Uniform(0.4, 1.3));
    wanted = std::clamp<int64_t>(wanted, 0, cap);
    value.clear();
    if (wanted == 0) {
      if (zero_choice < choices.size()) value = choices[zero_choice].name;
      return;
    }
    std::vector<bool> chosen(choices.size(), false);
    for (int64_t pick = 0; pick < wanted; ++pick) {
      scratch_.assign(positive.size(), 0);
      for (size_t candidate = 0; candidate < positive.size(); ++candidate) {
        scratch_[candidate] = chosen[positive[candidate]] ? 0 : 1;
      }
      chosen[positive[answer.PickWeighted(scratch_)]] = true;
    }
    for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
      if (!chosen[choice_idx]) continue;
      if (!value.empty()) value.push_back(' ');
      value += choices[choice_idx].name;
    }
  }

  void FillScoredInteger(const IndicatorPlan& plan, const Site& site, Random& answer,
                         std::string& value) {
    const std::vector<dictionary::RiskRange>& ranges = plan.indicator->risk->ranges;
    scratch_.assign(ranges.size(), 0);
    for (size_t range_idx = 0; range_idx < ranges.size(); ++range_idx) {
      scratch_[range_idx] = RiskWeight(ranges[range_idx].points, plan.max_points, site.risk);
    }
    const dictionary::RiskRange& range = ranges[answer.PickWeighted(scratch_)];
    const int64_t low = range.min.has_value() ? static_cast<int64_t>(std::ceil(*range.min)) : 0;
    const int64_t high =
        range.max.has_value() ? static_cast<int64_t>(std::floor(*range.max)) : low + 2;
    AssignInt(value, std::max<int64_t>(0, answer.UniformInt(low, std::max(low, high))));
  }

  void FillSelectMultiple(const IndicatorPlan& plan, const Site& site, Random& answer,
                          std::string& value) {
    const std::vector<dictionary::Choice>& choices = plan.list->choices;
    std::vector<double> weights = plan.weights_by_type[site.type];
    value.clear();
    if (weights.empty()) return;
    const size_t first = answer.PickWeighted(weights);
    if (IsExclusiveChoice(choices[first].name)) {
      value = choices[first].name;
      return;
    }
    std::vector<bool> chosen(choices.size(), false);
    chosen[first] = true;
    const int extra = (answer.Chance(0.45) ? 1 : 0) + (answer.Chance(0.15) ? 1 : 0);
    for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
      if (chosen[choice_idx] || IsExclusiveChoice(choices[choice_idx].name)) {
        weights[choice_idx] = 0;
      }
    }
    for (int pick = 0; pick < extra; ++pick) {
      double total = 0;
      for (double weight : weights) total += weight;
      if (total <= 0) break;
      const size_t next = answer.PickWeighted(weights);
      chosen[next] = true;
      weights[next] = 0;
    }
    for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
      if (!chosen[choice_idx]) continue;
      if (!value.empty()) value.push_back(' ');
      value += choices[choice_idx].name;
    }
  }

  void FillInteger(const IndicatorPlan& plan, const Site& site, const Sadd& sadd, Random& random,
                   std::string& value) const {
    const std::string& name = plan.indicator->name;
    int64_t count = 0;
    if (name == "latrines_functioning") {
      count = sadd.individuals / random.UniformInt(types_[site.type].code == "camp" ? 20 : 40, 120);
    } else if (name == "children_friendly_spaces") {
      count = types_[site.type].code == "camp" ? random.UniformInt(0, 1 + sadd.households / 800)
                                               : (random.Chance(0.15) ? 1 : 0);
    } else {
      count = random.UniformInt(0, 10);
    }
    AssignInt(value, count);
  }

  // Blanks the answers whose `relevant` expression is false, in dictionary
  // order, so that a blanked answer also counts for the questions after it.
  void ApplyRelevance(int64_t survey_day) {
    for (size_t plan_idx = 0; plan_idx < plans_.size(); ++plan_idx) {
      slots_[plan_idx] = values_[plan_idx];
    }
    expr::EvaluationContext context;
    context.slots = slots_;
    context.today_days = survey_day;
    for (size_t plan_idx = 0; plan_idx < plans_.size(); ++plan_idx) {
      const IndicatorPlan& plan = plans_[plan_idx];
      if (!plan.relevant.has_value()) continue;
      context.current = slots_[plan_idx];
      if (!plan.relevant->EvaluateBoolean(context)) {
        values_[plan_idx].clear();
        slots_[plan_idx] = std::string_view();
      }
    }
  }

  // ---- Injected errors ----------------------------------------------------

  void MaybeInjectError(int round, int64_t row_number, const Site& site, Random& random,
                        RoundSummary& round_summary) {
    swapped_ = false;
    if (!random.Chance(options_.error_rate)) return;
    // The kinds possible in this row.
    miscodable_.clear();
    negatable_.clear();
    for (size_t plan_idx = 0; plan_idx < plans_.size(); ++plan_idx) {
      const IndicatorPlan& plan = plans_[plan_idx];
      const std::string& value = values_[plan_idx];
      if (value.empty()) continue;
      if (plan.indicator->type == ValueType::kSelectOne && plan.list != nullptr &&
          plan.list->Find(value) != nullptr) {
        miscodable_.push_back(plan_idx);
      }
      if (plan.indicator->type == ValueType::kInteger &&
          plan.indicator->module != Module::kPopulation && plan.source != Source::kRound) {
        negatable_.push_back(plan_idx);
      }
    }
    std::vector<ErrorKind> kinds = {ErrorKind::kSaddAgeSum, ErrorKind::kUnknownPcode};
    if (!miscodable_.empty()) kinds.push_back(ErrorKind::kMiscodedChoice);
    if (!negatable_.empty()) kinds.push_back(ErrorKind::kNegativeCount);
    if (!box_.Contains(row_point_.longitude, row_point_.latitude)) {
      kinds.push_back(ErrorKind::kLatLonSwapped);
    }
    InjectedError error;
    error.round = round;
    error.row = row_number;
    error.site_id = site.id;
    // Few rows can take a swap (most of a country's box is symmetric enough
    // that a swapped point stays inside), so those that can mostly do.
    if (kinds.back() == ErrorKind::kLatLonSwapped && random.Chance(0.5)) {
      error.kind = ErrorKind::kLatLonSwapped;
    } else {
      error.kind = kinds[random.PickIndex(kinds.size())];
    }
    switch (error.kind) {
      case ErrorKind::kMiscodedChoice: Miscode(random, error); break;
      case ErrorKind::kSaddAgeSum: BreakAgeSum(random, error); break;
      case ErrorKind::kLatLonSwapped: {
        swapped_ = true;
        std::string latitude, longitude;
        AssignFixed(latitude, row_point_.latitude, 6);
        AssignFixed(longitude, row_point_.longitude, 6);
        error.column = latitude_header_;
        error.original = latitude + " " + longitude;
        error.value = longitude + " " + latitude;
        break;
      }
      case ErrorKind::kUnknownPcode: BreakPcode(site, random, error); break;
      case ErrorKind::kNegativeCount: {
        const size_t plan_idx = negatable_[random.PickIndex(negatable_.size())];
        std::string& value = values_[plan_idx];
        const int64_t count = ReadInt(value).value_or(0);
        error.column = plans_[plan_idx].header;
        error.original = value;
        AssignInt(value, count > 0 ? -count : -random.UniformInt(1, 20));
        error.value = value;
        break;
      }
    }
    ++round_summary.errors[error.kind];
    summary_.injected.push_back(std::move(error));
  }

  void Miscode(Random& random, InjectedError& error) {
    const size_t plan_idx = miscodable_[random.PickIndex(miscodable_.size())];
    const IndicatorPlan& plan = plans_[plan_idx];
    std::string& value = values_[plan_idx];
    const std::string label(dictionary::TextIn(plan.list->Find(value)->label, "en"));
    // A case variant of the label ("No Lighting"), a typo of the code
    // ("Yess"), or the label itself: the first that is not a code.
    std::string typo =
        core::AsciiUpper(value.substr(0, 1)) + value.substr(1) + value.substr(value.size() - 1);
    std::string variant = TitleCase(label);
    if (variant == label) variant = core::AsciiUpper(label);
    std::pair<std::string, std::string_view> candidates[] = {
        {variant, "case_variant"}, {typo, "typo"}, {label, "label"}};
    const size_t first = static_cast<size_t>(random.UniformInt(0, 2));
    error.column = plan.header;
    error.original = value;
    for (size_t attempt = 0; attempt < 3; ++attempt) {
      const auto& [text, style] = candidates[(first + attempt) % 3];
      if (text.empty() || plan.list->Find(text) != nullptr) continue;
      value = text;
      error.detail = std::string(style);
      error.value = value;
      return;
    }
    value += "_x";  // every candidate was a code: cannot happen with DTM lists
    error.detail = "typo";
    error.value = value;
  }

  void BreakAgeSum(Random& random, InjectedError& error) {
    const int sex = static_cast<int>(random.UniformInt(0, 1));
    const int bucket = static_cast<int>(random.UniformInt(0, 4));
    const size_t plan_idx = static_cast<size_t>(bucket_index_[sex][bucket]);
    std::string& value = values_[plan_idx];
    const int64_t count = ReadInt(value).value_or(0);
    int64_t delta = random.UniformInt(1, 9);
    if (random.Chance(0.5) && count >= delta) delta = -delta;
    error.column = plans_[plan_idx].header;
    error.original = value;
    error.detail = plans_[static_cast<size_t>(sex_total_index_[sex])].indicator->name;
    AssignInt(value, count + delta);
    error.value = value;
  }

  void BreakPcode(const Site& site, Random& random, InjectedError& error) {
    const Geography::District& district = geography_.districts()[site.district];
    const bool admin1 = random.Chance(0.5);
    const size_t plan_idx = static_cast<size_t>(admin1 ? adm1_index_ : adm2_index_);
    const std::string& code = admin1 ? district.adm1->pcode : district.adm2->pcode;
    // Keep the prefix ("NG", or the admin1 code) and fill the rest with 9s
    // ("NG999", "NG008999"), trying 8s and 7s if such a code exists.
    const size_t keep = admin1 ? std::min<size_t>(2, code.size()) : district.adm1->pcode.size();
    std::string unknown;
    for (char digit : {'9', '8', '7'}) {
      unknown = code.substr(0, keep) + std::string(std::max<size_t>(code.size() - keep, 3), digit);
      if (gazetteer_.Find(unknown) == nullptr) break;
    }
    if (gazetteer_.Find(unknown) != nullptr) unknown = code + "X";
    error.column = plans_[plan_idx].header;
    error.original = values_[plan_idx];
    error.detail = admin1 ? "adm1" : "adm2";
    values_[plan_idx] = unknown;
    error.value = unknown;
  }

  // ---- Writing ------------------------------------------------------------

  void WriteRow(CsvFileWriter& writer, const Site& site, const Visit& visit, int64_t row_number,
                Random& random) {
    const Geography::District& district = geography_.districts()[site.district];
    const int64_t team = team_size_[site.district];
    const uint64_t site_hash = MixBits(static_cast<uint64_t>(site.serial));
    const int64_t enumerator = static_cast<int64_t>(site_hash % static_cast<uint64_t>(team)) + 1;
    std::string offset = ".000";
    offset += facts_.offset_text;
    for (const Column& column : columns_) {
      switch (column.kind) {
        case Column::Kind::kStart: writer.Field(DateTimeText(visit.start_local, offset)); break;
        case Column::Kind::kEnd: writer.Field(DateTimeText(visit.end_local, offset)); break;
        case Column::Kind::kToday: writer.Field(DateText(visit.survey_day)); break;
        case Column::Kind::kDeviceId: {
          Random device(Mix({options_.seed, kDeviceStream, internal::HashText(district.adm1->pcode),
                             static_cast<uint64_t>(enumerator)}));
          static constexpr std::string_view kAlphabet =
              "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
          std::string id = "collect:";
          for (int char_idx = 0; char_idx < 16; ++char_idx) {
            id.push_back(kAlphabet[static_cast<size_t>(device.UniformInt(0, 61))]);
          }
          writer.Field(id);
          break;
        }
        case Column::Kind::kIndicator:
          writer.Field(values_[static_cast<size_t>(column.indicator)]);
          break;
        case Column::Kind::kLatitude:
        case Column::Kind::kLongitude: {
          const bool latitude = (column.kind == Column::Kind::kLatitude) != swapped_;
          std::string text;
          AssignFixed(text, latitude ? row_point_.latitude : row_point_.longitude, 6);
          writer.Field(text);
          break;
        }
        case Column::Kind::kAltitude: {
          std::string text;
          AssignFixed(text, site.altitude + random.Uniform(-8, 8), 1);
          writer.Field(text);
          break;
        }
        case Column::Kind::kPrecision: {
          std::string text;
          AssignFixed(text, random.Uniform(3, 25), 1);
          writer.Field(text);
          break;
        }
        case Column::Kind::kChoiceFlag: {
          const std::string& value = values_[static_cast<size_t>(column.indicator)];
          if (value.empty()) {
            writer.Field("");
          } else {
            writer.Field(ContainsToken(value, column.choice) ? "1" : "0");
          }
          break;
        }
        case Column::Kind::kId: writer.Field(next_submission_id_++); break;
        case Column::Kind::kUuid: {
          // A version-4 UUID from the row's stream.
          const uint64_t high = (random.Next() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
          const uint64_t low = (random.Next() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
          static constexpr char kHex[] = "0123456789abcdef";
          std::string uuid;
          for (int nibble = 15; nibble >= 0; --nibble) {
            uuid.push_back(kHex[(high >> (nibble * 4)) & 0xF]);
            if (nibble == 8 || nibble == 4) uuid.push_back('-');
          }
          uuid.push_back('-');
          for (int nibble = 15; nibble >= 0; --nibble) {
            uuid.push_back(kHex[(low >> (nibble * 4)) & 0xF]);
            if (nibble == 12) uuid.push_back('-');
          }
          writer.Field(uuid);
          break;
        }
        case Column::Kind::kSubmissionTime:
          writer.Field(DateTimeText(visit.submitted_utc, ""));
          break;
        case Column::Kind::kSubmittedBy: {
          std::string user = "dtm_";
          for (char byte : district.adm1->pcode) {
            user.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : byte);
          }
          user.push_back('_');
          AppendPadded(user, enumerator, 2);
          writer.Field(user);
          break;
        }
        case Column::Kind::kIndex: writer.Field(row_number); break;
      }
    }
    writer.EndRow();
  }

  static bool ContainsToken(std::string_view list, std::string_view token) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(' ', start);
      if (end == std::string_view::npos) end = list.size();
      if (list.substr(start, end - start) == token) return true;
      start = end + 1;
    }
    return false;
  }

  const dictionary::Dictionary& dictionary_;
  const geo::Gazetteer& gazetteer_;
  const geo::CountryExtent& box_;
  const DemoOptions& options_;
  const std::string out_dir_;
  const Geography geography_;
  const CountryFacts facts_;

  std::vector<SiteTypeProfile> types_;
  std::vector<double> type_weights_;
  std::vector<IndicatorPlan> plans_;
  std::vector<Column> columns_;
  std::string latitude_header_;
  int adm1_index_ = -1;
  int adm2_index_ = -1;
  int uasc_index_ = -1;
  int sex_total_index_[2] = {-1, -1};
  int bucket_index_[2][5] = {};

  std::vector<Site> sites_;
  std::map<std::pair<size_t, size_t>, int> name_counts_;
  std::vector<int64_t> team_size_;  // by district: its admin1's team size
  int64_t next_submission_id_ = 300000001;

  // The current row (reused between rows to avoid allocations).
  std::vector<std::string> values_;
  std::vector<std::string_view> slots_;
  GeoPoint row_point_;
  bool swapped_ = false;
  std::vector<size_t> miscodable_;
  std::vector<size_t> negatable_;
  std::vector<double> scratch_;

  DemoSummary summary_;
};

}  // namespace

Result<DemoSummary> WriteDemoOperation(const dictionary::Dictionary& dictionary,
                                       const geo::Gazetteer& gazetteer, const geo::CountryExtent& box,
                                       const DemoOptions& options, const std::string& out_dir) {
  if (options.sites < 1 || options.sites > 1'000'000) {
    return InvalidArgumentError("demo: sites must be between 1 and 1000000, not " +
                                std::to_string(options.sites));
  }
  if (options.rounds < 1 || options.rounds > 99) {
    return InvalidArgumentError("demo: rounds must be between 1 and 99, not " +
                                std::to_string(options.rounds));
  }
  if (options.year < 1900 || options.year > 9000) {
    return InvalidArgumentError("demo: year must be between 1900 and 9000, not " +
                                std::to_string(options.year));
  }
  if (!(options.error_rate >= 0 && options.error_rate <= 0.5)) {
    return InvalidArgumentError("demo: error_rate must be between 0 and 0.5");
  }
  if (options.country != box.iso3) {
    return InvalidArgumentError("demo: the bounding box is of '" + box.iso3 +
                                "', not of the country '" + options.country + "'");
  }
  if (out_dir.empty()) return InvalidArgumentError("demo: no output directory");
  ASSIGN_OR_RETURN(Geography geography, Geography::Build(gazetteer, box, options.country));
  DemoWriter writer(dictionary, gazetteer, box, options, out_dir, std::move(geography));
  return writer.Run();
}

}  // namespace opendtm::demo
