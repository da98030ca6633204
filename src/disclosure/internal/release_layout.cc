#include "disclosure/internal/release_layout.h"

#include <algorithm>
#include <utility>

namespace opendtm::disclosure::internal {
namespace {

using analysis::AreaTotals;
using analysis::Column;
using analysis::ColumnKind;
using analysis::Frame;
using analysis::Level;
using dictionary::Aggregate;
using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::ValueType;

// Row identity, not indicator columns (release_builder.h, step 2).
constexpr std::array<std::string_view, 9> kStructural = {"site_id",    "site_name",  "round",
                                                         "adm0_pcode", "adm1_pcode", "adm2_pcode",
                                                         "adm3_pcode", "latitude",   "longitude"};

bool IsStructural(std::string_view name) {
  return std::find(kStructural.begin(), kStructural.end(), name) != kStructural.end();
}

// An HXL attribute from a choice name: lowercase, [a-z0-9_].
std::string ChoiceAttribute(std::string_view choice) {
  std::string attribute;
  for (char c : choice) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    attribute += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  return attribute;
}

// The public totals (spec/disclosure.md, "Public totals"; the default
// dictionary's names for households, individuals, males and females).
constexpr std::array<std::string_view, 4> kPublicTotals = {"hh_total", "ind_total", "m_total",
                                                           "f_total"};

// The total a people count belongs to (ColumnPlan::belongs_to).
std::string BelongsTo(std::string_view name) {
  for (const Margin& margin : kMargins) {
    for (size_t part_idx = 0; part_idx < margin.part_count; ++part_idx) {
      if (margin.parts[part_idx] == name) return std::string(margin.total);
    }
  }
  if (name == "ind_total" || name == "hh_total") return "";
  return name.starts_with("hh_") ? "hh_total" : "ind_total";
}

}  // namespace

ColumnKind ExpectedKind(const Indicator& indicator, const Dictionary& dictionary) {
  switch (indicator.type) {
    case ValueType::kInteger:
      return ColumnKind::kInteger;
    case ValueType::kDecimal:
      return ColumnKind::kNumber;
    case ValueType::kSelectOne:
      return dictionary.ListOf(indicator) != nullptr ? ColumnKind::kChoice : ColumnKind::kText;
    case ValueType::kSelectMultiple: {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      return list != nullptr && list->choices.size() <= analysis::kMaxBitsetChoices
                 ? ColumnKind::kChoices
                 : ColumnKind::kText;
    }
    default:
      return ColumnKind::kText;
  }
}

Layout PlanColumns(const Dictionary& dictionary, const TierRules& rules) {
  Layout layout;
  const std::vector<Indicator>& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    if (IsStructural(indicator.name) ||
        indicator.dissemination_class == dictionary::DisseminationClass::kPii) {
      continue;
    }
    const bool on_sites = SiteValueVisible(rules, indicator.dissemination_class);
    const ColumnKind kind = ExpectedKind(indicator, dictionary);
    ColumnPlan plan;
    plan.indicator = static_cast<int>(indicator_idx);
    plan.quasi_identifier = indicator.quasi_identifier;
    const bool public_class =
        indicator.dissemination_class == dictionary::DisseminationClass::kPublic;
    plan.sensitive = !public_class;
    plan.column.name = indicator.name;
    plan.column.indicator = indicator.name;
    plan.column.hxl = indicator.hxl;
    if (indicator.aggregate == Aggregate::kSum &&
        (kind == ColumnKind::kInteger || kind == ColumnKind::kNumber)) {
      plan.source = Source::kSum;
      plan.column.kind = kind == ColumnKind::kInteger ? ValueKind::kInteger : ValueKind::kNumber;
      plan.column.people =
          kind == ColumnKind::kInteger && (indicator.module == dictionary::Module::kPopulation ||
                                           indicator.module == dictionary::Module::kVulnerability);
      plan.column.on_sites = on_sites;
      plan.column.on_areas = true;
      plan.figure = true;
      // A partner adds up the site rows it has: suppressing their sum would
      // only blank what it holds (release_builder.h, step 4).
      plan.sites_rule = !on_sites;
      plan.decimal = kind == ColumnKind::kNumber;
      plan.public_total = public_class && std::find(kPublicTotals.begin(), kPublicTotals.end(),
                                                    indicator.name) != kPublicTotals.end();
      if (plan.column.people) plan.belongs_to = BelongsTo(indicator.name);
      layout.plans.push_back(std::move(plan));
      continue;
    }
    const bool shared = indicator.aggregate == Aggregate::kShareOfSites &&
                        (kind == ColumnKind::kChoice || kind == ColumnKind::kChoices);
    if (on_sites) {
      ColumnPlan site = plan;
      site.source = Source::kSiteValue;
      site.column.kind = kind == ColumnKind::kInteger  ? ValueKind::kInteger
                         : kind == ColumnKind::kNumber ? ValueKind::kNumber
                                                       : ValueKind::kText;
      site.column.on_sites = true;
      layout.plans.push_back(std::move(site));
    }
    if (!shared) continue;
    const dictionary::ChoiceList& list = *dictionary.ListOf(indicator);
    for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
      ColumnPlan count = plan;
      const std::string& choice = list.choices[choice_idx].name;
      count.source = Source::kAnswerCount;
      count.choice = choice_idx;
      count.column.name = indicator.name + "=" + choice;
      count.column.choice = choice;
      count.column.hxl = indicator.hxl.empty() ? "" : indicator.hxl + "+" + ChoiceAttribute(choice);
      count.column.kind = ValueKind::kInteger;
      count.column.on_areas = true;
      // Where the tier sees the answers on site rows, the counts are theirs
      // already: nothing to protect.
      count.figure = !on_sites;
      count.sites_rule = true;
      count.quasi_identifier = false;
      count.public_total = public_class;
      count.single_choice = kind == ColumnKind::kChoice;
      layout.plans.push_back(std::move(count));
    }
  }
  layout.area_slot.assign(layout.plans.size(), -1);
  layout.site_slot.assign(layout.plans.size(), -1);
  for (size_t plan_idx = 0; plan_idx < layout.plans.size(); ++plan_idx) {
    const ReleaseColumn& column = layout.plans[plan_idx].column;
    if (column.on_areas) {
      layout.area_slot[plan_idx] = static_cast<int>(layout.area_plans.size());
      layout.area_plans.push_back(plan_idx);
    }
    if (column.on_sites) {
      layout.site_slot[plan_idx] = static_cast<int>(layout.site_plans.size());
      layout.site_plans.push_back(plan_idx);
    }
  }
  return layout;
}

}  // namespace opendtm::disclosure::internal
