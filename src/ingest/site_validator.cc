#include "ingest/site_validator.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "core/text.h"
#include "expr/expression.h"
#include "ingest/choice_matcher.h"
#include "ingest/internal/row_checks.h"

namespace opendtm::ingest {
namespace {

using dictionary::DisseminationClass;
using dictionary::Indicator;
using dictionary::ValueType;

bool IsDateIndicator(const Indicator& indicator) { return indicator.type == ValueType::kDate; }

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

}  // namespace

// ---------------------------------------------------------------------------
// DateOrderAccumulator

DateOrderAccumulator::DateOrderAccumulator(const dictionary::Dictionary& dictionary)
    : inferences_(dictionary.indicators().size()) {
  for (size_t indicator_idx = 0; indicator_idx < dictionary.indicators().size(); ++indicator_idx) {
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

struct SiteValidator::State : internal::ValidatorPlan {};

namespace {

// Step 1 of Create: the structural indicators, by name.
void FindStructuralIndicators(internal::ValidatorPlan& plan) {
  plan.site_id = plan.IndexOf("site_id");
  for (size_t level_idx = 0; level_idx < plan.admin_pcodes.size(); ++level_idx) {
    plan.admin_pcodes[level_idx] = plan.IndexOf("adm" + std::to_string(level_idx + 1) + "_pcode");
  }
  plan.survey_date = plan.IndexOf("survey_date");
  plan.latitude = plan.IndexOf("latitude");
  plan.longitude = plan.IndexOf("longitude");
  plan.hh_total = plan.IndexOf("hh_total");
  plan.ind_total = plan.IndexOf("ind_total");
  plan.m_total = plan.IndexOf("m_total");
  plan.f_total = plan.IndexOf("f_total");
  for (size_t bucket = 0; bucket < internal::kAgeBuckets.size(); ++bucket) {
    plan.m_ages[bucket] = plan.IndexOf("m_" + std::string(internal::kAgeBuckets[bucket]));
    plan.f_ages[bucket] = plan.IndexOf("f_" + std::string(internal::kAgeBuckets[bucket]));
  }
}

// Step 2 of Create: per indicator, matchers and compiled expressions (slots =
// indicator indices).
Status PlanIndicators(const dictionary::Dictionary& dictionary, internal::ValidatorPlan& plan) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  expr::SlotResolver resolver = [&plan](std::string_view name) -> std::optional<int> {
    int index = plan.IndexOf(name);
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
  plan.plans.resize(indicators.size());
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    internal::IndicatorPlan& indicator_plan = plan.plans[indicator_idx];
    indicator_plan.indicator = &indicator;
    indicator_plan.pii = indicator.dissemination_class == DisseminationClass::kPii;
    if (indicator.is_select()) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      if (list == nullptr) {
        return InvalidArgumentError("indicator " + indicator.name + ": unknown choice list '" +
                                    indicator.list_name + "'");
      }
      indicator_plan.matcher.emplace(*list);
    }
    RETURN_IF_ERROR(compile(indicator.relevant, indicator, "relevant", indicator_plan.relevant));
    RETURN_IF_ERROR(
        compile(indicator.constraint, indicator, "constraint", indicator_plan.constraint));
    indicator_plan.required_always = indicator.required == "yes";
    if (!indicator_plan.required_always) {
      RETURN_IF_ERROR(compile(indicator.required, indicator, "required", indicator_plan.required));
    }
    if (indicator.type == ValueType::kPcode) {
      plan.pcode_indicators.push_back(static_cast<int>(indicator_idx));
      indicator_plan.parent_pcode =
          plan.IndexOf(ParentPcodeName(indicator.name, indicator.pcode_level));
    }
    if (indicator.dissemination_class == DisseminationClass::kUrgent) {
      plan.urgent_indicators.push_back(static_cast<int>(indicator_idx));
    }
  }
  std::stable_sort(plan.pcode_indicators.begin(), plan.pcode_indicators.end(),
                   [&indicators](int a, int b) {
                     return indicators[a].pcode_level < indicators[b].pcode_level;
                   });
  return Status::Ok();
}

// Step 3 of Create: the name index of the country's admin areas.
void IndexAdminAreas(internal::ValidatorPlan& plan) {
  if (plan.context.gazetteer == nullptr) return;
  for (const geo::AdminArea& area : plan.context.gazetteer->areas()) {
    if (area.country != plan.context.country || area.level < 0) continue;
    if (static_cast<size_t>(area.level) >= plan.areas_by_name.size()) {
      plan.areas_by_name.resize(area.level + 1);
    }
    plan.areas_by_name[area.level][core::NormalizeLabel(area.name)].push_back(&area);
  }
}

void ClearOutcome(int64_t line, RowOutcome& outcome) {
  outcome.line = line;
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
}

bool SameFinding(const Finding& a, const Finding& b) {
  return std::tie(a.rule, a.indicator, a.message) == std::tie(b.rule, b.indicator, b.message);
}

bool Contains(const std::vector<int>& indices, int index) {
  return std::find(indices.begin(), indices.end(), index) != indices.end();
}

}  // namespace

Result<SiteValidator> SiteValidator::Create(const dictionary::Dictionary& dictionary,
                                            ValidationContext context) {
  auto state = std::make_unique<State>();
  state->dictionary = &dictionary;
  state->context = std::move(context);
  state->context.country = core::AsciiUpper(state->context.country);
  FindStructuralIndicators(*state);
  RETURN_IF_ERROR(PlanIndicators(dictionary, *state));
  IndexAdminAreas(*state);
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
  ClearOutcome(row.line, outcome);
  internal::RowCheck(*state_, row, outcome).Run();
}

CorrectionOutcome SiteValidator::ValidateCorrection(std::span<const std::string> stored,
                                                    int indicator, std::string_view value,
                                                    int64_t line) const {
  const std::vector<Indicator>& indicators = state_->dictionary->indicators();
  CorrectionOutcome correction;
  if (indicator < 0 || static_cast<size_t>(indicator) >= indicators.size()) {
    correction.readable = false;
    return correction;
  }

  // 1. The stored record as it is: what it breaks already is not the
  // correction's doing.
  MappedRow row;
  row.line = line;
  row.values.assign(stored.begin(), stored.end());
  row.values.resize(indicators.size());
  const RowOutcome before = Validate(row);

  // 2. The corrected record, by the same checks; the value as typed is kept
  // from between the reading and the judging.
  row.values[indicator] = std::string(value);
  RowOutcome after;
  ClearOutcome(line, after);
  internal::RowCheck check(*state_, row, after);
  check.ReadRow();
  correction.readable = !Contains(after.blanked, indicator);
  const std::string typed = after.cleaned[indicator];
  check.JudgeRow();

  // 3. What the correction breaks: any warning or error about the field
  // itself, and any other one the stored record did not have. An urgent
  // indicator's alert is not a broken rule.
  for (const Finding& finding : after.findings) {
    if (finding.rule == rule::kUrgentAlert) continue;
    const bool about_field = finding.indicator == indicators[indicator].name;
    if (finding.severity == Severity::kInfo) {
      if (about_field) correction.notes.push_back(finding);
      continue;
    }
    const bool is_new =
        std::none_of(before.findings.begin(), before.findings.end(),
                     [&finding](const Finding& old) { return SameFinding(old, finding); });
    if (about_field || is_new) correction.broken.push_back(finding);
  }

  // 4. The value to store: as the checks leave it when nothing is broken
  // (a name resolved to its P-code); as typed when a forced correction
  // overrides a rule that would have blanked or replaced it.
  correction.value = correction.broken.empty() ? after.cleaned[indicator] : typed;
  return correction;
}

}  // namespace opendtm::ingest
