#include "ingest/site_validator.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "core/number.h"
#include "core/text.h"
#include "expr/expression.h"
#include "ingest/choice_matcher.h"
#include "store/site_area.h"
#include "ingest/personal_data.h"
#include "store/site_area.h"

namespace opendtm::ingest {
namespace {

using dictionary::DisseminationClass;
using dictionary::Indicator;
using dictionary::ValueType;

constexpr std::array<std::string_view, 5> kAgeBuckets = {"0_1", "1_5", "6_17", "18_59",
                                                         "60plus"};
// A site ID longer than this is not an ID but a mistake (a pasted cell).
constexpr size_t kMaxSiteIdBytes = 64;

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool IsDateIndicator(const Indicator& indicator) { return indicator.type == ValueType::kDate; }

// A value shaped like a code rather than a place name: no spaces and at least
// one digit ("NP0301", "C-BAG-23-001"), where names are words ("Bagmati").
bool LooksLikePcode(std::string_view value) {
  bool has_digit = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') return false;
    if (c >= '0' && c <= '9') has_digit = true;
  }
  return has_digit;
}

// "adm2_pcode" -> "adm1_pcode", "origin_adm2_pcode" -> "origin_adm1_pcode";
// "" for level 1 and below or a name without "adm<level>".
std::string ParentPcodeName(std::string_view name, int level) {
  if (level < 2) return "";
  std::string needle = "adm" + std::to_string(level);
  size_t pos = name.find(needle);
  if (pos == std::string_view::npos) return "";
  std::string parent(name);
  parent.replace(pos, needle.size(), "adm" + std::to_string(level - 1));
  return parent;
}

std::optional<core::Date> ParseValidFrom(std::string_view text) {
  text = core::Trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() > 10) text = text.substr(0, 10);  // "2024-03-14T00:00:00Z"
  Result<core::Date> date = core::ParseIsoDate(text);
  if (!date.ok()) return std::nullopt;
  return *date;
}

std::string LevelWord(int level) { return "admin " + std::to_string(level); }

}  // namespace

// ---------------------------------------------------------------------------
// DateOrderAccumulator

DateOrderAccumulator::DateOrderAccumulator(const dictionary::Dictionary& dictionary)
    : inferences_(dictionary.indicators().size()) {
  for (size_t indicator_idx = 0; indicator_idx < dictionary.indicators().size();
       ++indicator_idx) {
    if (IsDateIndicator(dictionary.indicators()[indicator_idx])) {
      date_indicators_.push_back(static_cast<int>(indicator_idx));
    }
  }
}

void DateOrderAccumulator::Add(const MappedRow& row) {
  // Each value is classified by core on its own and the counts merged, so
  // that the decision below is InferDateOrder's over the whole column while
  // no value is kept beyond the example lists.
  for (int indicator_idx : date_indicators_) {
    if (static_cast<size_t>(indicator_idx) >= row.values.size()) continue;
    std::string_view value = core::Trim(row.values[indicator_idx]);
    if (value.empty()) continue;
    std::array<std::string_view, 1> one = {value};
    core::DateColumnInference single = core::InferDateOrder(one);
    core::DateColumnInference& total = inferences_[indicator_idx];
    total.non_empty_count += single.non_empty_count;
    total.iso_count += single.iso_count;
    total.excel_serial_count += single.excel_serial_count;
    total.day_first_count += single.day_first_count;
    total.month_first_count += single.month_first_count;
    total.ambiguous_count += single.ambiguous_count;
    total.order_free_count += single.order_free_count;
    total.invalid_count += single.invalid_count;
    auto merge = [](std::vector<std::string>& into, const std::vector<std::string>& from) {
      for (const std::string& example : from) {
        if (into.size() >= static_cast<size_t>(core::kMaxDateExamples)) return;
        if (std::find(into.begin(), into.end(), example) == into.end()) {
          into.push_back(example);
        }
      }
    };
    merge(total.day_first_examples, single.day_first_examples);
    merge(total.month_first_examples, single.month_first_examples);
    merge(total.ambiguous_examples, single.ambiguous_examples);
    merge(total.invalid_examples, single.invalid_examples);
  }
}

std::vector<core::DateColumnInference> DateOrderAccumulator::Inferences() const {
  std::vector<core::DateColumnInference> out = inferences_;
  for (core::DateColumnInference& inference : out) {
    // core::InferDateOrder's decision, from the merged counts.
    if (inference.day_first_count > 0 && inference.month_first_count > 0) {
      inference.order = core::DateOrder::kConflicting;
    } else if (inference.day_first_count > 0) {
      inference.order = core::DateOrder::kDayFirst;
    } else if (inference.month_first_count > 0) {
      inference.order = core::DateOrder::kMonthFirst;
    } else if (inference.ambiguous_count > 0) {
      inference.order = core::DateOrder::kAmbiguous;
    } else {
      inference.order = core::DateOrder::kNotNeeded;
    }
  }
  return out;
}

DateOrders DateOrderAccumulator::Result() const {
  DateOrders orders;
  for (const core::DateColumnInference& inference : Inferences()) {
    orders.push_back(inference.order);
  }
  return orders;
}

DateOrders InferDateOrders(const dictionary::Dictionary& dictionary,
                           std::span<const MappedRow> rows) {
  DateOrderAccumulator accumulator(dictionary);
  for (const MappedRow& row : rows) accumulator.Add(row);
  return accumulator.Result();
}

// ---------------------------------------------------------------------------
// RowOutcome

void RowOutcome::AddFinding(Finding finding, bool quarantines) {
  findings.push_back(std::move(finding));
  if (quarantines && !quarantined) {
    quarantined = true;
    quarantine_finding = static_cast<int>(findings.size()) - 1;
  }
}

// ---------------------------------------------------------------------------
// SiteValidator

// What Create prepares for one indicator.
struct IndicatorPlan {
  const Indicator* indicator = nullptr;
  std::optional<ChoiceMatcher> matcher;  // select indicators
  std::optional<expr::Expression> relevant;
  std::optional<expr::Expression> required;  // an expression (not "yes")
  std::optional<expr::Expression> constraint;
  bool required_always = false;
  bool pii = false;
  int parent_pcode = -1;  // pcode indicators of level >= 2: the one a level up
};

struct SiteValidator::State {
  const dictionary::Dictionary* dictionary = nullptr;
  ValidationContext context;
  std::vector<IndicatorPlan> plans;  // by indicator index
  std::vector<int> pcode_indicators;  // by ascending level, so parents come first
  std::vector<int> urgent_indicators;

  int site_id = -1;
  std::array<int, 3> admin_pcodes{-1, -1, -1};  // adm1_pcode .. adm3_pcode
  int survey_date = -1;
  int latitude = -1;
  int longitude = -1;
  int hh_total = -1;
  int ind_total = -1;
  int m_total = -1;
  int f_total = -1;
  std::array<int, kAgeBuckets.size()> m_ages{};
  std::array<int, kAgeBuckets.size()> f_ages{};

  // Admin areas of the context's country by level, then by NormalizeLabel(name).
  std::vector<std::unordered_map<std::string, std::vector<const geo::AdminArea*>>> areas_by_name;

  int IndexOf(std::string_view name) const {
    const auto& indicators = dictionary->indicators();
    for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
      if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
    }
    return -1;
  }

  // One pass of validation; see the numbered steps in Validate.
  void Run(const MappedRow& row, RowOutcome& outcome) const;
};

Result<SiteValidator> SiteValidator::Create(const dictionary::Dictionary& dictionary,
                                            ValidationContext context) {
  auto state = std::make_unique<State>();
  state->dictionary = &dictionary;
  state->context = std::move(context);
  state->context.country = core::AsciiUpper(state->context.country);
  const std::vector<Indicator>& indicators = dictionary.indicators();

  // 1. Structural indicators, by name.
  state->site_id = state->IndexOf("site_id");
  for (size_t level_idx = 0; level_idx < state->admin_pcodes.size(); ++level_idx) {
    state->admin_pcodes[level_idx] =
        state->IndexOf("adm" + std::to_string(level_idx + 1) + "_pcode");
  }
  state->survey_date = state->IndexOf("survey_date");
  state->latitude = state->IndexOf("latitude");
  state->longitude = state->IndexOf("longitude");
  state->hh_total = state->IndexOf("hh_total");
  state->ind_total = state->IndexOf("ind_total");
  state->m_total = state->IndexOf("m_total");
  state->f_total = state->IndexOf("f_total");
  for (size_t bucket = 0; bucket < kAgeBuckets.size(); ++bucket) {
    state->m_ages[bucket] = state->IndexOf("m_" + std::string(kAgeBuckets[bucket]));
    state->f_ages[bucket] = state->IndexOf("f_" + std::string(kAgeBuckets[bucket]));
  }

  // 2. Per indicator: matchers and compiled expressions (slots = indicator indices).
  expr::SlotResolver resolver = [&state](std::string_view name) -> std::optional<int> {
    int index = state->IndexOf(name);
    if (index < 0) return std::nullopt;
    return index;
  };
  auto compile = [&resolver](const std::string& text, const Indicator& indicator,
                             std::string_view what,
                             std::optional<expr::Expression>& into) -> Status {
    if (text.empty()) return Status::Ok();
    Result<expr::Expression> compiled = expr::Expression::Compile(text, resolver);
    if (!compiled.ok()) {
      return compiled.status().WithContext("indicator " + indicator.name + ": " +
                                           std::string(what));
    }
    into.emplace(std::move(compiled).value());
    return Status::Ok();
  };
  state->plans.resize(indicators.size());
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    IndicatorPlan& plan = state->plans[indicator_idx];
    plan.indicator = &indicator;
    plan.pii = indicator.dissemination_class == DisseminationClass::kPii;
    if (indicator.is_select()) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      if (list == nullptr) {
        return InvalidArgumentError("indicator " + indicator.name + ": unknown choice list '" +
                                    indicator.list_name + "'");
      }
      plan.matcher.emplace(*list);
    }
    RETURN_IF_ERROR(compile(indicator.relevant, indicator, "relevant", plan.relevant));
    RETURN_IF_ERROR(compile(indicator.constraint, indicator, "constraint", plan.constraint));
    plan.required_always = indicator.required == "yes";
    if (!plan.required_always) {
      RETURN_IF_ERROR(compile(indicator.required, indicator, "required", plan.required));
    }
    if (indicator.type == ValueType::kPcode) {
      state->pcode_indicators.push_back(static_cast<int>(indicator_idx));
      plan.parent_pcode =
          state->IndexOf(ParentPcodeName(indicator.name, indicator.pcode_level));
    }
    if (indicator.dissemination_class == DisseminationClass::kUrgent) {
      state->urgent_indicators.push_back(static_cast<int>(indicator_idx));
    }
  }
  std::stable_sort(state->pcode_indicators.begin(), state->pcode_indicators.end(),
                   [&indicators](int a, int b) {
                     return indicators[a].pcode_level < indicators[b].pcode_level;
                   });

  // 3. The name index of the country's admin areas.
  if (state->context.gazetteer != nullptr) {
    for (const geo::AdminArea& area : state->context.gazetteer->areas()) {
      if (area.country != state->context.country || area.level < 0) continue;
      if (static_cast<size_t>(area.level) >= state->areas_by_name.size()) {
        state->areas_by_name.resize(area.level + 1);
      }
      state->areas_by_name[area.level][core::NormalizeLabel(area.name)].push_back(&area);
    }
  }
  return SiteValidator(std::move(state));
}

SiteValidator::SiteValidator(std::unique_ptr<State> state) : state_(std::move(state)) {}
SiteValidator::SiteValidator(SiteValidator&&) noexcept = default;
SiteValidator& SiteValidator::operator=(SiteValidator&&) noexcept = default;
SiteValidator::~SiteValidator() = default;

const ValidationContext& SiteValidator::context() const { return state_->context; }

RowOutcome SiteValidator::Validate(const MappedRow& row) const {
  RowOutcome outcome;
  Validate(row, outcome);
  return outcome;
}

void SiteValidator::Validate(const MappedRow& row, RowOutcome& outcome) const {
  outcome.line = row.line;
  outcome.site_id.clear();
  outcome.findings.clear();
  outcome.quarantined = false;
  outcome.quarantine_finding = -1;
  outcome.new_site = false;
  outcome.alerts.clear();
  outcome.blanked.clear();
  outcome.pii_dropped.clear();
  outcome.pii_suspected.clear();
  outcome.admin_by_name.clear();
  outcome.exact_choice_matches = 0;
  state_->Run(row, outcome);
}

void SiteValidator::State::Run(const MappedRow& row, RowOutcome& outcome) const {
  const std::vector<Indicator>& indicators = dictionary->indicators();
  const size_t indicator_count = indicators.size();
  outcome.cleaned.resize(indicator_count);
  for (std::string& value : outcome.cleaned) value.clear();
  std::vector<std::string>& cleaned = outcome.cleaned;
  std::vector<char> was_blanked(indicator_count, 0);
  // Values that looked personal: no finding repeats them.
  std::vector<char> looked_personal(indicator_count, 0);

  auto raw = [&row](int indicator_idx) -> std::string_view {
    return static_cast<size_t>(indicator_idx) < row.values.size()
               ? std::string_view(row.values[indicator_idx])
               : std::string_view();
  };
  auto make = [&](int indicator_idx, std::string_view rule_id, Severity severity,
                  std::string message) {
    Finding finding;
    finding.file = context.file;
    finding.row = row.line;
    if (indicator_idx >= 0) {
      if (static_cast<size_t>(indicator_idx) < row.columns.size()) {
        finding.column = row.columns[indicator_idx];
      }
      finding.indicator = indicators[indicator_idx].name;
      if (!plans[indicator_idx].pii && !looked_personal[indicator_idx]) {
        finding.value = std::string(raw(indicator_idx));
      }
    }
    finding.rule = std::string(rule_id);
    finding.severity = severity;
    finding.message = std::move(message);
    return finding;
  };
  auto blank = [&](int indicator_idx) {
    cleaned[indicator_idx].clear();
    if (!was_blanked[indicator_idx]) {
      was_blanked[indicator_idx] = 1;
      outcome.blanked.push_back(indicator_idx);
    }
  };
  auto number_of = [&](int indicator_idx) -> std::optional<double> {
    if (indicator_idx < 0 || cleaned[indicator_idx].empty()) return std::nullopt;
    return core::ParseNumber(cleaned[indicator_idx]);
  };

  // 1. A locked round takes nothing.
  if (context.round_locked) {
    outcome.AddFinding(make(-1, rule::kRoundLocked, Severity::kError,
                            "the round is locked: no submission can be added to it"),
                       /*quarantines=*/true);
  }

  // 2. The site ID: present, well formed, and in the master list.
  if (site_id < 0) {
    outcome.AddFinding(make(-1, rule::kSiteId, Severity::kError,
                            "no column gives the site ID"),
                       true);
  } else {
    std::string_view id = core::Trim(raw(site_id));
    bool has_control = std::any_of(id.begin(), id.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    });
    if (id.empty() || IsMissingValue(id)) {
      outcome.AddFinding(make(site_id, rule::kSiteId, Severity::kError, "the site ID is missing"),
                         true);
    } else if (id.size() > kMaxSiteIdBytes || has_control || !core::IsValidUtf8(id)) {
      outcome.AddFinding(
          make(site_id, rule::kSiteId, Severity::kError,
               "the site ID is malformed (control characters, invalid text or more than " +
                   std::to_string(kMaxSiteIdBytes) + " bytes)"),
          true);
    } else {
      outcome.site_id = std::string(id);
      cleaned[site_id] = outcome.site_id;
      if (!context.known_site_ids.contains(id)) {
        if (context.register_new_sites) {
          outcome.new_site = true;
          outcome.AddFinding(make(site_id, rule::kSiteUnknown, Severity::kInfo,
                                  "site " + Quoted(id) +
                                      " is not in the master list: registered as a new site"));
        } else {
          outcome.AddFinding(make(site_id, rule::kSiteUnknown, Severity::kError,
                                  "site " + Quoted(id) +
                                      " is not in the operation's master list (register it, "
                                      "or ingest with --register-new-sites)"),
                             true);
        }
      }
    }
  }

  // 3. Each value read as its type: numbers, dates, choices; pii dropped.
  for (size_t index = 0; index < indicator_count; ++index) {
    const int indicator_idx = static_cast<int>(index);
    if (indicator_idx == site_id) continue;
    const IndicatorPlan& plan = plans[index];
    const Indicator& indicator = *plan.indicator;
    std::string_view value = raw(indicator_idx);
    if (plan.pii) {
      if (!core::Trim(value).empty()) {
        outcome.pii_dropped.push_back(indicator_idx);
        outcome.AddFinding(make(indicator_idx, rule::kPiiDropped, Severity::kInfo,
                                "personal data (" + indicator.name +
                                    ") is never stored: the value was dropped"));
      }
      continue;
    }
    if (PersonalValueKind kind = ClassifyPersonalValue(value); kind != PersonalValueKind::kNone) {
      looked_personal[index] = 1;
      outcome.pii_suspected.push_back(indicator_idx);
      outcome.AddFinding(make(indicator_idx, rule::kPiiSuspected, Severity::kWarning,
                              "the value " + std::string(DescribePersonalValue(kind)) +
                                  ": personal data is never stored, the value was blanked"));
      blank(indicator_idx);
      continue;
    }
    if (indicator.is_select()) {
      if (indicator.type == ValueType::kSelectOne) {
        ChoiceMatch match = plan.matcher->Match(value);
        switch (match.kind) {
          case ChoiceMatchKind::kMissing:
            break;
          case ChoiceMatchKind::kExact:
            cleaned[index] = match.code;
            ++outcome.exact_choice_matches;
            break;
          case ChoiceMatchKind::kNormalised: {
            cleaned[index] = match.code;
            Finding finding = make(indicator_idx, rule::kChoiceNormalised, Severity::kInfo,
                                   Quoted(value) + " read as choice " + Quoted(match.code) +
                                       " (case or spacing differs)");
            finding.suggestion = std::string(match.code);
            outcome.AddFinding(std::move(finding));
            break;
          }
          case ChoiceMatchKind::kNoMatch: {
            std::string message =
                Quoted(value) + " is not a choice of list " + Quoted(plan.matcher->list_name());
            if (!match.suggestion.empty()) {
              message += "; did you mean " + Quoted(match.suggestion) + "?";
            }
            Finding finding = make(indicator_idx, rule::kChoice, Severity::kError, message);
            finding.suggestion = std::string(match.suggestion);
            outcome.AddFinding(std::move(finding));
            blank(indicator_idx);
            break;
          }
        }
        continue;
      }
      SelectionMatch match = plan.matcher->MatchMultiple(value);
      if (match.missing) continue;
      outcome.exact_choice_matches += match.exact_count;
      if (!match.unmatched.empty()) {
        std::string pieces;
        std::string suggestion = match.codes;
        bool every_piece_suggested = true;
        for (const SelectionMatch::Unmatched& unmatched : match.unmatched) {
          if (!pieces.empty()) pieces += ", ";
          pieces += Quoted(unmatched.piece);
          if (!unmatched.suggestion.empty()) {
            pieces += " (did you mean " + Quoted(unmatched.suggestion) + "?)";
            if (!suggestion.empty()) suggestion += ' ';
            suggestion += unmatched.suggestion;
          } else {
            every_piece_suggested = false;
          }
        }
        Finding finding =
            make(indicator_idx, rule::kChoice, Severity::kError,
                 "not a choice of list " + Quoted(plan.matcher->list_name()) + ": " + pieces);
        if (every_piece_suggested) finding.suggestion = suggestion;
        outcome.AddFinding(std::move(finding));
        blank(indicator_idx);
        continue;
      }
      cleaned[index] = match.codes;
      if (!match.normalised.empty()) {
        std::string pieces;
        for (const std::string& piece : match.normalised) {
          if (!pieces.empty()) pieces += ", ";
          pieces += Quoted(piece);
        }
        Finding finding = make(indicator_idx, rule::kChoiceNormalised, Severity::kInfo,
                               pieces + " read as " + Quoted(match.codes) +
                                   " (case or spacing differs)");
        finding.suggestion = match.codes;
        outcome.AddFinding(std::move(finding));
      }
      continue;
    }

    if (IsMissingValue(value)) continue;
    std::string_view trimmed = core::Trim(value);
    switch (indicator.type) {
      case ValueType::kText:
      case ValueType::kPcode:  // checked against the gazetteer in step 5
        cleaned[index] = std::string(trimmed);
        break;
      case ValueType::kInteger: {
        std::optional<int64_t> number = core::ParseInteger(trimmed);
        if (!number) {
          outcome.AddFinding(make(indicator_idx, rule::kType, Severity::kError,
                                  Quoted(value) + " is not a whole number"));
          blank(indicator_idx);
        } else {
          cleaned[index] = std::to_string(*number);
        }
        break;
      }
      case ValueType::kDecimal: {
        std::optional<double> number = core::ParseNumber(trimmed);
        double bound = indicator_idx == latitude ? 90 : indicator_idx == longitude ? 180 : 0;
        if (!number) {
          outcome.AddFinding(make(indicator_idx, rule::kType, Severity::kError,
                                  Quoted(value) + " is not a number"));
          blank(indicator_idx);
        } else if (bound > 0 && (*number < -bound || *number > bound)) {
          outcome.AddFinding(make(indicator_idx, rule::kType, Severity::kError,
                                  std::string(indicator_idx == latitude ? "latitude " : "longitude ") +
                                      Quoted(value) + " is not in -" + core::FormatNumber(bound) +
                                      ".." + core::FormatNumber(bound)));
          blank(indicator_idx);
        } else {
          cleaned[index] = core::FormatNumber(*number);
        }
        break;
      }
      case ValueType::kDate: {
        core::DateOrder order = index < context.date_orders.size() ? context.date_orders[index]
                                                                   : core::DateOrder::kNotNeeded;
        Result<core::Date> date = core::ParseDate(trimmed, order);
        if (date.ok()) {
          cleaned[index] = core::ToIso(*date);
          break;
        }
        bool undecided =
            order != core::DateOrder::kDayFirst && order != core::DateOrder::kMonthFirst;
        if (undecided && core::ParseDate(trimmed, core::DateOrder::kDayFirst).ok() &&
            core::ParseDate(trimmed, core::DateOrder::kMonthFirst).ok()) {
          outcome.AddFinding(make(indicator_idx, rule::kDateAmbiguous, Severity::kWarning,
                                  date.status().message() + ", and the column (" +
                                      std::string(core::DateOrderName(order)) +
                                      ") does not settle which"));
        } else {
          outcome.AddFinding(
              make(indicator_idx, rule::kType, Severity::kError, date.status().message()));
        }
        blank(indicator_idx);
        break;
      }
      case ValueType::kGeopoint: {
        // "lat lon [altitude [accuracy]]", latitude first as ODK writes it.
        std::string collapsed = core::CollapseSpaces(trimmed);
        std::vector<std::string_view> parts = core::Split(collapsed, ' ');
        std::vector<double> numbers;
        for (std::string_view part : parts) {
          std::optional<double> number = core::ParseNumber(part);
          if (!number) break;
          numbers.push_back(*number);
        }
        if (parts.size() < 2 || parts.size() > 4 || numbers.size() != parts.size()) {
          outcome.AddFinding(make(indicator_idx, rule::kType, Severity::kError,
                                  Quoted(value) + " is not a GPS point (latitude longitude)"));
          blank(indicator_idx);
        } else if (numbers[0] < -90 || numbers[0] > 90 || numbers[1] < -180 ||
                   numbers[1] > 180) {
          outcome.AddFinding(make(indicator_idx, rule::kType, Severity::kError,
                                  Quoted(value) +
                                      " is not a GPS point: latitude must be in -90..90 and "
                                      "longitude in -180..180"));
          blank(indicator_idx);
        } else {
          std::string point;
          for (double number : numbers) {
            if (!point.empty()) point += ' ';
            point += core::FormatNumber(number);
          }
          cleaned[index] = std::move(point);
        }
        break;
      }
      case ValueType::kSelectOne:
      case ValueType::kSelectMultiple:
        break;  // handled above
    }
  }

  // 4. The survey date, which P-code validity and the round window need.
  std::optional<core::Date> surveyed;
  if (survey_date >= 0 && !cleaned[survey_date].empty()) {
    Result<core::Date> date = core::ParseIsoDate(cleaned[survey_date]);
    if (date.ok()) surveyed = *date;
  }

  // 5. Admin areas: P-codes checked, names resolved where unambiguous.
  if (context.gazetteer != nullptr) {
    for (int indicator_idx : pcode_indicators) {
      std::string& value = cleaned[indicator_idx];
      if (value.empty()) continue;
      const IndicatorPlan& plan = plans[indicator_idx];
      const int level = plan.indicator->pcode_level;
      if (level == 0 && core::AsciiUpper(value) == core::AsciiUpper(context.country)) {
        value = core::AsciiUpper(value);
        continue;
      }
      // The parent's P-code, when the row gives one (not a name).
      std::string_view parent;
      if (plan.parent_pcode >= 0 && !cleaned[plan.parent_pcode].empty() &&
          std::find(outcome.admin_by_name.begin(), outcome.admin_by_name.end(),
                    plan.parent_pcode) == outcome.admin_by_name.end()) {
        parent = cleaned[plan.parent_pcode];
      }
      const geo::AdminArea* area = context.gazetteer->Find(value);
      if (area == nullptr) area = context.gazetteer->Find(core::AsciiUpper(value));
      if (area != nullptr) {
        if (!context.country.empty() && area->country != context.country) {
          outcome.AddFinding(make(indicator_idx, rule::kPcodeUnknown, Severity::kError,
                                  "P-code " + Quoted(value) + " is in " + area->country +
                                      ", not in " + context.country));
          blank(indicator_idx);
        } else if (area->level != level) {
          outcome.AddFinding(make(indicator_idx, rule::kPcodeLevel, Severity::kError,
                                  "P-code " + Quoted(value) + " is an " + LevelWord(area->level) +
                                      " area (" + area->name + "), not an " + LevelWord(level) +
                                      " one"));
          blank(indicator_idx);
        } else if (!parent.empty() && area->parent_pcode != parent) {
          Finding finding = make(indicator_idx, rule::kPcodeParent, Severity::kError,
                                 "P-code " + Quoted(value) + " (" + area->name + ") is in " +
                                     Quoted(area->parent_pcode) + ", not in the row's " +
                                     Quoted(parent));
          outcome.AddFinding(std::move(finding));
          blank(indicator_idx);
        } else {
          value = area->pcode;
          std::optional<core::Date> valid_from = ParseValidFrom(area->valid_from);
          if (surveyed && valid_from && *valid_from > *surveyed) {
            outcome.AddFinding(make(indicator_idx, rule::kPcodeNotYetValid, Severity::kWarning,
                                    "P-code " + Quoted(value) + " (" + area->name +
                                        ") is valid from " + core::ToIso(*valid_from) +
                                        ", after the survey date " + core::ToIso(*surveyed)));
          }
        }
        continue;
      }
      // Not a P-code: an area's name? Resolve against areas of the right
      // level, under the known parent, valid on the survey date.
      std::vector<const geo::AdminArea*> named;
      if (static_cast<size_t>(level) < areas_by_name.size()) {
        auto it = areas_by_name[level].find(core::NormalizeLabel(value));
        if (it != areas_by_name[level].end()) named = it->second;
      }
      if (!parent.empty()) {
        std::erase_if(named, [&parent](const geo::AdminArea* candidate) {
          return candidate->parent_pcode != parent;
        });
      }
      std::vector<const geo::AdminArea*> valid;
      for (const geo::AdminArea* candidate : named) {
        std::optional<core::Date> valid_from = ParseValidFrom(candidate->valid_from);
        if (surveyed && (!valid_from || *valid_from <= *surveyed)) valid.push_back(candidate);
      }
      if (valid.size() == 1) {
        Finding finding = make(indicator_idx, rule::kPcodeResolvedByName, Severity::kInfo,
                               Quoted(value) + " resolved by name to P-code " +
                                   Quoted(valid[0]->pcode));
        finding.suggestion = valid[0]->pcode;
        outcome.AddFinding(std::move(finding));
        value = valid[0]->pcode;
        continue;
      }
      if (named.empty() && LooksLikePcode(value)) {
        outcome.AddFinding(make(indicator_idx, rule::kPcodeUnknown, Severity::kError,
                                Quoted(value) + " is not a known P-code of " + context.country));
        blank(indicator_idx);
        continue;
      }
      std::string why;
      if (named.empty()) {
        why = "no " + LevelWord(level) + " area of " + context.country + " has this name";
      } else if (valid.size() > 1) {
        why = std::to_string(valid.size()) + " " + LevelWord(level) + " areas have this name";
      } else if (!surveyed) {
        why = "without a survey date the area's validity cannot be checked";
      } else {
        why = "no area of this name was valid on the survey date " + core::ToIso(*surveyed) +
              " (" + named[0]->pcode + " is valid from " +
              (named[0]->valid_from.empty() ? "an unknown date" : named[0]->valid_from) + ")";
      }
      outcome.AddFinding(make(indicator_idx, rule::kAdminUnresolved, Severity::kInfo,
                              Quoted(value) + " kept by name: " + why));
      outcome.admin_by_name.push_back(indicator_idx);
    }
  }

  // 5b. A registered site stays in the master list's area: a P-code the row
  // reports otherwise is a finding, and the master list's is stored.
  if (auto listed = context.master_sites.find(outcome.site_id);
      !outcome.site_id.empty() && listed != context.master_sites.end()) {
    std::array<std::string, 3> reported;
    for (size_t level_idx = 0; level_idx < reported.size(); ++level_idx) {
      const int indicator_idx = admin_pcodes[level_idx];
      if (indicator_idx < 0) continue;
      reported[level_idx] = cleaned[indicator_idx].empty()
                                ? std::string(core::Trim(raw(indicator_idx)))
                                : cleaned[indicator_idx];
    }
    const store::SiteArea area =
        store::MasterAreaOf(listed->second, {reported[0], reported[1], reported[2]});
    for (size_t level_idx = 0; level_idx < area.size(); ++level_idx) {
      const int indicator_idx = admin_pcodes[level_idx];
      if (indicator_idx < 0) continue;
      if (!reported[level_idx].empty() && reported[level_idx] != area[level_idx]) {
        Finding finding =
            make(indicator_idx, rule::kPcodeDiffersFromMasterList, Severity::kWarning,
                 "site " + Quoted(outcome.site_id) + " reports " + Quoted(reported[level_idx]) +
                     " but the master list has " +
                     (area[level_idx].empty() ? std::string("it in another area")
                                              : Quoted(area[level_idx])) +
                     ": the master list's area is kept (correct the master list with dtm sites "
                     "import to move the site)");
        finding.suggestion = area[level_idx];
        outcome.AddFinding(std::move(finding));
      }
      if (area[level_idx].empty()) {
        blank(indicator_idx);
      } else {
        cleaned[indicator_idx] = area[level_idx];
      }
    }
  }

  // 6. GPS inside the country's box, or swapped.
  if (context.extent != nullptr && latitude >= 0 && longitude >= 0) {
    std::optional<double> lat = number_of(latitude);
    std::optional<double> lon = number_of(longitude);
    if (lat && lon && !context.extent->Contains(*lat, *lon)) {
      std::string point = cleaned[latitude] + " " + cleaned[longitude];
      Finding finding;
      if (context.extent->Contains(*lon, *lat)) {
        finding = make(latitude, rule::kGpsSwapped, Severity::kError,
                       "GPS point (" + point + ") is outside " + context.extent->name +
                           " but inside it with latitude and longitude swapped");
        finding.suggestion = cleaned[longitude] + " " + cleaned[latitude];
      } else {
        finding = make(latitude, rule::kGpsOutsideCountry, Severity::kError,
                       "GPS point (" + point + ") is outside " + context.extent->name);
      }
      finding.value = point;
      outcome.AddFinding(std::move(finding));
      blank(latitude);
      blank(longitude);
    }
  }

  // 7. XLSForm logic, in dictionary order so that a blanked answer counts as
  // unanswered for the questions after it: relevant, required, constraint.
  std::vector<std::string_view> slots(indicator_count);
  for (size_t index = 0; index < indicator_count; ++index) slots[index] = cleaned[index];
  expr::EvaluationContext evaluation;
  evaluation.slots = slots;
  evaluation.today_days = core::DaysSinceEpoch(context.today);
  for (size_t index = 0; index < indicator_count; ++index) {
    const int indicator_idx = static_cast<int>(index);
    const IndicatorPlan& plan = plans[index];
    if (plan.pii || indicator_idx == site_id) continue;
    const Indicator& indicator = *plan.indicator;
    evaluation.current = cleaned[index];
    if (plan.relevant && !plan.relevant->EvaluateBoolean(evaluation)) {
      if (!cleaned[index].empty()) {
        outcome.AddFinding(make(indicator_idx, rule::kNotRelevant, Severity::kWarning,
                                "answered although the question does not apply (" +
                                    plan.relevant->text() + " is false): value dropped"));
        blank(indicator_idx);
        slots[index] = {};
      }
      continue;
    }
    if (cleaned[index].empty()) {
      if (was_blanked[index]) continue;  // already reported by its own finding
      if (plan.required_always || (plan.required && plan.required->EvaluateBoolean(evaluation))) {
        outcome.AddFinding(make(indicator_idx, rule::kRequired, Severity::kError,
                                indicator.name + " is required but has no answer"));
      }
      continue;
    }
    if (plan.constraint && !plan.constraint->EvaluateBoolean(evaluation)) {
      std::string message(dictionary::TextIn(indicator.constraint_message, "en"));
      if (message.empty()) {
        message = Quoted(cleaned[index]) + " breaks the constraint " + plan.constraint->text();
      }
      outcome.AddFinding(make(indicator_idx, rule::kConstraint, Severity::kError, message));
      blank(indicator_idx);
      slots[index] = {};
    }
  }

  // 8. SADD consistency: warnings, values kept.
  auto sum_of = [&](const std::array<int, kAgeBuckets.size()>& buckets,
                    int& present) -> double {
    double sum = 0;
    present = 0;
    for (int bucket_idx : buckets) {
      if (std::optional<double> number = number_of(bucket_idx)) {
        sum += *number;
        ++present;
      }
    }
    return sum;
  };
  auto check_sex = [&](const std::array<int, kAgeBuckets.size()>& buckets, int total_idx,
                       std::string_view sex) {
    std::optional<double> total = number_of(total_idx);
    int present = 0;
    double sum = sum_of(buckets, present);
    if (!total || present == 0 || sum == *total) return;
    Finding finding = make(total_idx, rule::kSaddAgeSum, Severity::kWarning,
                           std::string(sex) + " by age sum to " + core::FormatNumber(sum) +
                               ", but the " + std::string(sex) + " total is " +
                               core::FormatNumber(*total));
    outcome.AddFinding(std::move(finding));
  };
  check_sex(m_ages, m_total, "males");
  check_sex(f_ages, f_total, "females");
  {
    std::optional<double> males = number_of(m_total);
    std::optional<double> females = number_of(f_total);
    std::optional<double> individuals = number_of(ind_total);
    if (males && females && individuals && *males + *females != *individuals) {
      outcome.AddFinding(make(ind_total, rule::kSaddSexSum, Severity::kWarning,
                              "males (" + core::FormatNumber(*males) + ") + females (" +
                                  core::FormatNumber(*females) + ") = " +
                                  core::FormatNumber(*males + *females) +
                                  ", but the total of individuals is " +
                                  core::FormatNumber(*individuals)));
    }
    std::optional<double> households = number_of(hh_total);
    if (households && individuals &&
        (*households > *individuals || *individuals > 20 * *households)) {
      outcome.AddFinding(make(hh_total, rule::kSaddHhInd, Severity::kWarning,
                              core::FormatNumber(*households) + " households for " +
                                  core::FormatNumber(*individuals) +
                                  " individuals: expected at least one and at most 20 "
                                  "individuals per household"));
    }
  }

  // 9. The survey date inside the round's window.
  if (surveyed && ((context.round_from && *surveyed < *context.round_from) ||
                   (context.round_to && *surveyed > *context.round_to))) {
    std::string window = (context.round_from ? core::ToIso(*context.round_from) : "…") + " to " +
                         (context.round_to ? core::ToIso(*context.round_to) : "…");
    outcome.AddFinding(make(survey_date, rule::kDateOutsideRound, Severity::kWarning,
                            "survey date " + core::ToIso(*surveyed) +
                                " is outside the round's dates (" + window + ")"));
  }

  // 10. Urgent indicators: a number above 0, or "yes", alerts the operation.
  for (int indicator_idx : urgent_indicators) {
    const std::string& value = cleaned[indicator_idx];
    if (value.empty()) continue;
    const Indicator& indicator = indicators[indicator_idx];
    bool raises = false;
    if (indicator.type == ValueType::kInteger || indicator.type == ValueType::kDecimal) {
      std::optional<double> number = core::ParseNumber(value);
      raises = number && *number > 0;
    } else if (indicator.is_select()) {
      for (std::string_view token : core::Split(value, ' ')) raises = raises || token == "yes";
    }
    if (!raises) continue;
    std::string message = std::string(dictionary::TextIn(indicator.label, "en")) + ": " + value;
    outcome.alerts.push_back({indicator_idx, value, message});
    Finding finding = make(indicator_idx, rule::kUrgentAlert, Severity::kWarning,
                           "alert for the operation: " + message);
    outcome.AddFinding(std::move(finding));
  }

  // 11. --strict: any error quarantines.
  if (context.strict && !outcome.quarantined) {
    for (size_t finding_idx = 0; finding_idx < outcome.findings.size(); ++finding_idx) {
      if (outcome.findings[finding_idx].severity == Severity::kError) {
        outcome.quarantined = true;
        outcome.quarantine_finding = static_cast<int>(finding_idx);
        break;
      }
    }
  }
}

}  // namespace opendtm::ingest
