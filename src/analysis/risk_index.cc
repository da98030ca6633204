#include "analysis/risk_index.h"

#include <algorithm>
#include <utility>

#include "core/number.h"
#include "expr/expression.h"

namespace opendtm::analysis {

using dictionary::Indicator;
using dictionary::RiskDomain;
using dictionary::RiskMapping;
using dictionary::ValueType;

namespace {

size_t DomainSlot(RiskDomain domain) {
  const std::vector<RiskDomain>& domains = dictionary::AllRiskDomains();
  return static_cast<size_t>(std::find(domains.begin(), domains.end(), domain) -
                             domains.begin());
}

}  // namespace

std::string_view RiskBandName(RiskBand band) {
  switch (band) {
    case RiskBand::kVeryHigh:
      return "very_high";
    case RiskBand::kHigh:
      return "high";
    case RiskBand::kMedium:
      return "medium";
    case RiskBand::kLower:
      return "lower";
    case RiskBand::kInsufficientData:
      return "insufficient_data";
  }
  return "insufficient_data";
}

// One scored indicator, resolved once.
struct ScoredItem {
  int indicator = -1;
  const Indicator* definition = nullptr;
  const RiskMapping* mapping = nullptr;
  size_t domain_slot = 0;
  int max_points = 0;
  std::optional<expr::Expression> relevant;
  std::optional<expr::Expression> scored_when_not_relevant;
};

struct RiskIndex::Plan {
  RiskBands bands;
  size_t indicator_count = 0;
  std::vector<ScoredItem> items;  // dictionary order
  int total_max_points = 0;
};

RiskIndex::RiskIndex(std::unique_ptr<Plan> plan) : plan_(std::move(plan)) {}
RiskIndex::RiskIndex(RiskIndex&&) noexcept = default;
RiskIndex& RiskIndex::operator=(RiskIndex&&) noexcept = default;
RiskIndex::~RiskIndex() = default;

Result<RiskIndex> RiskIndex::Create(const dictionary::Dictionary& dictionary, RiskBands bands) {
  auto plan = std::make_unique<Plan>();
  plan->bands = bands;
  const std::vector<Indicator>& indicators = dictionary.indicators();
  plan->indicator_count = indicators.size();
  const expr::SlotResolver resolver = [&dictionary](std::string_view name) -> std::optional<int> {
    const int index = dictionary.IndexOf(name);
    if (index < 0) return std::nullopt;
    return index;
  };
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    if (!indicator.risk) continue;
    ScoredItem item;
    item.indicator = static_cast<int>(indicator_idx);
    item.definition = &indicator;
    item.mapping = &*indicator.risk;
    item.domain_slot = DomainSlot(indicator.risk->domain);
    item.max_points = indicator.risk->MaxPoints(indicator.type == ValueType::kSelectMultiple);
    if (item.max_points <= 0) {
      return InvalidArgumentError("indicator " + indicator.name +
                                  ": its risk points give no maximum above 0");
    }
    if (!indicator.relevant.empty()) {
      Result<expr::Expression> relevant = expr::Expression::Compile(indicator.relevant, resolver);
      if (!relevant.ok()) {
        return relevant.status().WithContext("indicator " + indicator.name + ": relevant");
      }
      item.relevant.emplace(std::move(relevant).value());
    }
    if (indicator.risk->when_not_relevant) {
      Result<expr::Expression> when =
          expr::Expression::Compile(indicator.risk->when_not_relevant->when, resolver);
      if (!when.ok()) {
        return when.status().WithContext("indicator " + indicator.name + ": when_not_relevant");
      }
      item.scored_when_not_relevant.emplace(std::move(when).value());
    }
    plan->total_max_points += item.max_points;
    plan->items.push_back(std::move(item));
  }
  if (plan->items.empty()) {
    return FailedPreconditionError("the dictionary scores no indicator (no gbv_risk `risk` "
                                   "mapping): there is no risk index to compute");
  }
  return RiskIndex(std::move(plan));
}

SiteRisk RiskIndex::ScoreRow(const Frame& frame, const dictionary::Dictionary& dictionary,
                             size_t row, int64_t today_days) const {
  const std::vector<std::string> texts = RowText(frame, dictionary, row);
  const std::vector<std::string_view> values(texts.begin(), texts.end());
  return Score(values, today_days);
}

int RiskIndex::total_max_points() const { return plan_->total_max_points; }
const RiskBands& RiskIndex::bands() const { return plan_->bands; }

std::vector<int> RiskIndex::scored_indicators() const {
  std::vector<int> indices;
  for (const ScoredItem& item : plan_->items) indices.push_back(item.indicator);
  return indices;
}

namespace {

// The points of an answer, or nullopt when it counts as not answered.
std::optional<int> PointsOf(const Indicator& indicator, const RiskMapping& mapping,
                            std::string_view answer) {
  if (answer.empty()) return std::nullopt;
  switch (indicator.type) {
    case ValueType::kSelectOne: {
      auto it = mapping.points.find(answer);
      if (it == mapping.points.end()) return std::nullopt;  // e.g. unknown
      return it->second;
    }
    case ValueType::kSelectMultiple: {
      int sum = 0;
      bool scored = false;
      size_t pos = 0;
      while (pos < answer.size()) {
        size_t end = answer.find(' ', pos);
        if (end == std::string_view::npos) end = answer.size();
        if (end > pos) {
          auto it = mapping.points.find(answer.substr(pos, end - pos));
          if (it != mapping.points.end()) {
            sum += it->second;
            scored = true;
          }
        }
        pos = end + 1;
      }
      if (!scored) return std::nullopt;
      return mapping.cap ? std::min(sum, *mapping.cap) : sum;
    }
    case ValueType::kInteger:
    case ValueType::kDecimal: {
      std::optional<double> number = core::ParseNumber(answer);
      if (!number) return std::nullopt;
      for (const dictionary::RiskRange& range : mapping.ranges) {
        if (range.min && *number < *range.min) continue;
        if (range.max && *number > *range.max) continue;
        return range.points;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;  // other types carry no points
  }
}

}  // namespace

SiteRisk RiskIndex::Score(std::span<const std::string_view> values, int64_t today_days) const {
  // Conditions see every indicator, blank beyond `values`.
  std::vector<std::string_view> slots(plan_->indicator_count);
  std::copy_n(values.begin(), std::min(values.size(), slots.size()), slots.begin());
  expr::EvaluationContext context;
  context.slots = slots;
  context.today_days = today_days;

  SiteRisk risk;
  const std::vector<RiskDomain>& domains = dictionary::AllRiskDomains();
  for (size_t slot = 0; slot < risk.domains.size() && slot < domains.size(); ++slot) {
    risk.domains[slot].domain = domains[slot];
  }
  std::vector<RiskItem> contributing;
  for (const ScoredItem& item : plan_->items) {
    const std::string_view answer = slots[item.indicator];
    std::optional<int> points;
    std::string shown;
    context.current = answer;
    if (item.relevant && !item.relevant->EvaluateBoolean(context)) {
      if (item.scored_when_not_relevant && item.scored_when_not_relevant->EvaluateBoolean(context)) {
        points = item.mapping->when_not_relevant->points;
        shown = "not asked: " + item.mapping->when_not_relevant->when;
      }
    } else {
      points = PointsOf(*item.definition, *item.mapping, answer);
      shown = std::string(answer);
    }
    if (!points) continue;  // not answered
    DomainScore& domain = risk.domains[item.domain_slot];
    domain.points += *points;
    domain.max_points += item.max_points;
    risk.points += *points;
    risk.max_points += item.max_points;
    if (*points > 0) contributing.push_back({item.indicator, std::move(shown), *points});
  }

  bool every_domain_answered = true;
  for (DomainScore& domain : risk.domains) {
    if (domain.max_points > 0) {
      domain.score = 100.0 * domain.points / domain.max_points;
    } else {
      every_domain_answered = false;
    }
  }
  if (risk.max_points > 0) risk.score = 100.0 * risk.points / risk.max_points;
  risk.coverage = static_cast<double>(risk.max_points) / plan_->total_max_points;
  const RiskBands& bands = plan_->bands;
  if (!risk.score || !every_domain_answered || risk.coverage < bands.min_coverage) {
    risk.band = RiskBand::kInsufficientData;
  } else if (*risk.score >= bands.very_high) {
    risk.band = RiskBand::kVeryHigh;
  } else if (*risk.score >= bands.high) {
    risk.band = RiskBand::kHigh;
  } else if (*risk.score >= bands.medium) {
    risk.band = RiskBand::kMedium;
  } else {
    risk.band = RiskBand::kLower;
  }

  // Dictionary order already: a stable sort by points keeps it among equals.
  std::stable_sort(contributing.begin(), contributing.end(),
                   [](const RiskItem& a, const RiskItem& b) { return a.points > b.points; });
  if (contributing.size() > kTopItems) contributing.resize(kTopItems);
  risk.top_items = std::move(contributing);
  return risk;
}

}  // namespace opendtm::analysis
