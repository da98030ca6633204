#include "analysis/risk_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "core/number.h"
#include "expr/expression.h"

namespace opendtm::analysis {

using dictionary::Indicator;
using dictionary::RiskDomain;
using dictionary::RiskMapping;
using dictionary::ValueType;

namespace {

// choice_points' mark for a choice that scores nothing (e.g. unknown).
constexpr int16_t kNoPoints = std::numeric_limits<int16_t>::min();

// 100 × points / max points, nullopt when nothing was answered: the one
// formula of every score (site, domain; SiteRisk and FrameRisk).
std::optional<double> ScoreOfPoints(int points, int max_points) {
  if (max_points <= 0) return std::nullopt;
  return 100.0 * points / max_points;
}

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
  const dictionary::ChoiceList* list = nullptr;  // select indicators
  size_t domain_slot = 0;
  int max_points = 0;
  // Points by choice index (-1: the choice scores nothing, e.g. unknown), and
  // for select_multiple the bits of the choices that score.
  std::vector<int16_t> choice_points;  // kNoPoints where the choice scores nothing
  uint64_t scored_choices = 0;
  std::optional<expr::Expression> relevant;
  std::optional<expr::Expression> scored_when_not_relevant;
  // The conditions read `.`: the item's own answer must be in the context.
  bool conditions_read_answer = false;
};

struct RiskIndex::Plan {
  RiskBands bands;
  size_t indicator_count = 0;
  std::vector<ScoredItem> items;  // dictionary order
  int total_max_points = 0;
  // Indicators the conditions read, with their lists (nullptr when not a select).
  std::vector<std::pair<int, const dictionary::ChoiceList*>> condition_inputs;
};

RiskIndex::RiskIndex(std::unique_ptr<Plan> plan) : plan_(std::move(plan)) {}
RiskIndex::RiskIndex(RiskIndex&&) noexcept = default;
RiskIndex& RiskIndex::operator=(RiskIndex&&) noexcept = default;
RiskIndex::~RiskIndex() = default;

Result<RiskIndex> RiskIndex::Create(const dictionary::Dictionary& dictionary) {
  RiskBands bands;
  if (const std::optional<dictionary::RiskBandThresholds>& own = dictionary.risk_bands()) {
    bands.very_high = own->very_high;
    bands.high = own->high;
    bands.medium = own->medium;
    bands.min_coverage = own->min_coverage;
  }
  return Create(dictionary, bands);
}

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
  std::vector<int> condition_inputs;
  auto read_by_conditions = [&](std::string_view text) {
    for (const std::string& name : expr::ReferencedNames(text)) {
      const int index = dictionary.IndexOf(name);
      if (index >= 0) condition_inputs.push_back(index);
    }
    // A `.` outside ${…} may be the current answer (or only a decimal point):
    // giving the answer to a condition that does not read it costs little.
    std::string without_names(text);
    for (size_t open = without_names.find("${"); open != std::string::npos;
         open = without_names.find("${")) {
      const size_t close = without_names.find('}', open);
      without_names.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
    }
    return without_names.find('.') != std::string::npos;
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
    if (indicator.is_select()) {
      item.list = dictionary.ListOf(indicator);
      if (item.list != nullptr) {
        item.choice_points.assign(item.list->choices.size(), kNoPoints);
        for (size_t choice_idx = 0; choice_idx < item.list->choices.size(); ++choice_idx) {
          auto it = item.mapping->points.find(item.list->choices[choice_idx].name);
          if (it == item.mapping->points.end()) continue;
          if (it->second < std::numeric_limits<int16_t>::min() + 1 ||
              it->second > std::numeric_limits<int16_t>::max()) {
            return InvalidArgumentError("indicator " + indicator.name + ": choice " + it->first +
                                        " scores " + std::to_string(it->second) +
                                        " points, beyond what a risk item can give");
          }
          item.choice_points[choice_idx] = static_cast<int16_t>(it->second);
          if (choice_idx < 64) item.scored_choices |= uint64_t{1} << choice_idx;
        }
      }
    }
    if (!indicator.relevant.empty()) {
      Result<expr::Expression> relevant = expr::Expression::Compile(indicator.relevant, resolver);
      if (!relevant.ok()) {
        return relevant.status().WithContext("indicator " + indicator.name + ": relevant");
      }
      item.relevant.emplace(std::move(relevant).value());
      item.conditions_read_answer |= read_by_conditions(indicator.relevant);
    }
    if (indicator.risk->when_not_relevant) {
      const std::string& when_text = indicator.risk->when_not_relevant->when;
      Result<expr::Expression> when = expr::Expression::Compile(when_text, resolver);
      if (!when.ok()) {
        return when.status().WithContext("indicator " + indicator.name + ": when_not_relevant");
      }
      item.scored_when_not_relevant.emplace(std::move(when).value());
      item.conditions_read_answer |= read_by_conditions(when_text);
    }
    plan->total_max_points += item.max_points;
    plan->items.push_back(std::move(item));
  }
  if (plan->total_max_points > std::numeric_limits<int16_t>::max()) {
    return InvalidArgumentError("the scored items' maxima add up to " +
                                std::to_string(plan->total_max_points) +
                                " points, beyond the 32,767 a risk index can hold");
  }
  if (plan->items.empty()) {
    return FailedPreconditionError("the dictionary scores no indicator (no gbv_risk `risk` "
                                   "mapping): there is no risk index to compute");
  }
  std::sort(condition_inputs.begin(), condition_inputs.end());
  condition_inputs.erase(std::unique(condition_inputs.begin(), condition_inputs.end()),
                         condition_inputs.end());
  for (int index : condition_inputs) {
    const Indicator& indicator = indicators[static_cast<size_t>(index)];
    plan->condition_inputs.emplace_back(
        index, indicator.is_select() ? dictionary.ListOf(indicator) : nullptr);
  }
  return RiskIndex(std::move(plan));
}

int RiskIndex::total_max_points() const { return plan_->total_max_points; }
const RiskBands& RiskIndex::bands() const { return plan_->bands; }

std::vector<int> RiskIndex::scored_indicators() const {
  std::vector<int> indices;
  for (const ScoredItem& item : plan_->items) indices.push_back(item.indicator);
  return indices;
}

std::vector<int> RiskIndex::indicators_read() const {
  std::vector<int> indices = scored_indicators();
  for (const auto& [indicator, list] : plan_->condition_inputs) indices.push_back(indicator);
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  return indices;
}

namespace {

constexpr int kNotAnswered = std::numeric_limits<int>::min();

// An item's part in one site-round: its points (kNotAnswered when it adds to
// neither sum) and whether a when_not_relevant condition scored it.
struct ItemOutcome {
  int points = kNotAnswered;
  bool not_asked = false;
};

int RangePoints(const RiskMapping& mapping, double number) {
  for (const dictionary::RiskRange& range : mapping.ranges) {
    if (range.min && number < *range.min) continue;
    if (range.max && number > *range.max) continue;
    return range.points;
  }
  return kNotAnswered;
}

// The points of an answer given as text.
int PointsOfText(const Indicator& indicator, const RiskMapping& mapping, std::string_view answer) {
  if (answer.empty()) return kNotAnswered;
  switch (indicator.type) {
    case ValueType::kSelectOne: {
      auto it = mapping.points.find(answer);
      if (it == mapping.points.end()) return kNotAnswered;  // e.g. unknown
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
      if (!scored) return kNotAnswered;
      return mapping.cap ? std::min(sum, *mapping.cap) : sum;
    }
    case ValueType::kInteger:
    case ValueType::kDecimal: {
      std::optional<double> number = core::ParseNumber(answer);
      if (!number) return kNotAnswered;
      return RangePoints(mapping, *number);
    }
    default:
      return kNotAnswered;  // other types carry no points
  }
}

// The points of row `row` of a frame's column, read in its type.
int PointsOfCell(const ScoredItem& item, const Column& column, size_t row) {
  if (!column.present[row]) return kNotAnswered;
  switch (column.kind) {
    case ColumnKind::kChoice: {
      const uint16_t choice = column.choices[row];
      if (choice >= item.choice_points.size() || item.choice_points[choice] == kNoPoints) {
        return kNotAnswered;
      }
      return item.choice_points[choice];
    }
    case ColumnKind::kChoices: {
      uint64_t bits = column.bitsets[row] & item.scored_choices;
      if (bits == 0) return kNotAnswered;
      int sum = 0;
      for (; bits != 0; bits &= bits - 1) sum += item.choice_points[std::countr_zero(bits)];
      return item.mapping->cap ? std::min(sum, *item.mapping->cap) : sum;
    }
    case ColumnKind::kInteger:
      return RangePoints(*item.mapping, static_cast<double>(column.integers[row]));
    case ColumnKind::kNumber:
      return RangePoints(*item.mapping, column.numbers[row]);
    case ColumnKind::kText:
      return PointsOfText(*item.definition, *item.mapping, column.texts[row]);
  }
  return kNotAnswered;
}

// The points of rows [first, first + count) of an item's column into `out`:
// PointsOfCell, one kind at a time.
void PointsOfColumn(const ScoredItem& item, const Column& column, size_t first, size_t count,
                    int* out) {
  const uint8_t* present = column.present.data() + first;
  switch (column.kind) {
    case ColumnKind::kChoice: {
      const uint16_t* choices = column.choices.data() + first;
      const int16_t* points = item.choice_points.data();
      const size_t choice_count = item.choice_points.size();
      for (size_t row = 0; row < count; ++row) {
        const uint16_t choice = choices[row];
        const int value = choice < choice_count ? points[choice] : kNoPoints;
        out[row] = present[row] && value != kNoPoints ? value : kNotAnswered;
      }
      return;
    }
    case ColumnKind::kChoices: {
      const uint64_t* bitsets = column.bitsets.data() + first;
      const int16_t* points = item.choice_points.data();
      const int cap = item.mapping->cap.value_or(std::numeric_limits<int>::max());
      for (size_t row = 0; row < count; ++row) {
        uint64_t bits = present[row] ? bitsets[row] & item.scored_choices : 0;
        if (bits == 0) {
          out[row] = kNotAnswered;
          continue;
        }
        int sum = 0;
        for (; bits != 0; bits &= bits - 1) sum += points[std::countr_zero(bits)];
        out[row] = std::min(sum, cap);
      }
      return;
    }
    default:
      for (size_t row = 0; row < count; ++row) out[row] = PointsOfCell(item, column, first + row);
      return;
  }
}

}  // namespace

// One site-round's sums, before they become a SiteRisk or a row of a
// FrameRisk.
struct RiskTally {
  int points = 0;
  int max_points = 0;
  std::array<int, 4> domain_points = {};
  std::array<int, 4> domain_max = {};
  // The top items (indices into the plan's items), by points descending then
  // dictionary order.
  std::array<uint16_t, kTopItems> top = {};
  size_t top_count = 0;
};

// Scores site-rounds one at a time, keeping its buffers between them; one per
// thread.
class RiskIndex::RowScorer {
 public:
  explicit RowScorer(const Plan& plan)
      : plan_(plan),
        slots_(plan.indicator_count),
        buffers_(plan.condition_inputs.size()),
        outcomes_(plan.items.size()) {}

  // From text values (Score).
  SiteRisk ScoreText(std::span<const std::string_view> values, int64_t today_days) {
    std::fill(slots_.begin(), slots_.end(), std::string_view());
    std::copy_n(values.begin(), std::min(values.size(), slots_.size()), slots_.begin());
    context_.slots = slots_;
    context_.today_days = today_days;
    for (size_t item_idx = 0; item_idx < plan_.items.size(); ++item_idx) {
      const ScoredItem& item = plan_.items[item_idx];
      const std::string_view answer = slots_[item.indicator];
      context_.current = answer;
      outcomes_[item_idx] = Decide(item, [&] {
        return PointsOfText(*item.definition, *item.mapping, answer);
      });
    }
    return ToSiteRisk(Tally(),
                      [&](const ScoredItem& item) { return std::string(slots_[item.indicator]); });
  }

  // From a frame's typed columns, with the answers' text (ScoreRow).
  SiteRisk ScoreCells(const Frame& frame, size_t row, int64_t today_days) {
    DecideCells(frame, row, today_days);
    return ToSiteRisk(Tally(), [&](const ScoredItem& item) {
      std::string answer;
      CellText(frame.columns[static_cast<size_t>(item.indicator)], item.list, row, answer);
      return answer;
    });
  }

  // Rows [first, last) of a frame into `risk` (ScoreFrame), a block of rows
  // at a time: the items without conditions are scored column by column,
  // the others row by row, as DecideCells does.
  void ScoreRowsInto(const Frame& frame, size_t first, size_t last, int64_t today_days,
                     FrameRisk& risk) {
    constexpr size_t kBlock = 256;
    const size_t items = plan_.items.size();
    block_.resize(items * kBlock);
    context_.slots = slots_;
    context_.today_days = today_days;
    for (size_t start = first; start < last; start += kBlock) {
      const size_t count = std::min(kBlock, last - start);
      for (size_t item_idx = 0; item_idx < items; ++item_idx) {
        const ScoredItem& item = plan_.items[item_idx];
        if (item.relevant || item.scored_when_not_relevant) continue;
        PointsOfColumn(item, frame.columns[static_cast<size_t>(item.indicator)], start, count,
                       &block_[item_idx * kBlock]);
      }
      for (size_t offset = 0; offset < count; ++offset) {
        const size_t row = start + offset;
        conditions_ready_ = false;
        for (size_t item_idx = 0; item_idx < items; ++item_idx) {
          const ScoredItem& item = plan_.items[item_idx];
          if (item.relevant || item.scored_when_not_relevant) {
            outcomes_[item_idx] = DecideCell(frame, item, row);
          } else {
            outcomes_[item_idx] = {block_[item_idx * kBlock + offset], false};
          }
        }
        Write(Tally(), row, risk);
      }
    }
  }

 private:
  static std::optional<double> ScoreOf(int points, int max_points) {
    return ScoreOfPoints(points, max_points);
  }
  double CoverageOf(const RiskTally& tally) const {
    return static_cast<double>(tally.max_points) / plan_.total_max_points;
  }
  RiskBand BandOf(const RiskTally& tally, const std::optional<double>& score) const {
    const RiskBands& bands = plan_.bands;
    bool every_domain_answered = true;
    for (int max_points : tally.domain_max) every_domain_answered &= max_points > 0;
    if (!score || !every_domain_answered || CoverageOf(tally) < bands.min_coverage) {
      return RiskBand::kInsufficientData;
    }
    if (*score >= bands.very_high) return RiskBand::kVeryHigh;
    if (*score >= bands.high) return RiskBand::kHigh;
    if (*score >= bands.medium) return RiskBand::kMedium;
    return RiskBand::kLower;
  }

  // A tally into row `row` of `risk`.
  void Write(const RiskTally& tally, size_t row, FrameRisk& risk) const {
    risk.points[row] = static_cast<int16_t>(tally.points);
    risk.max_points[row] = static_cast<int16_t>(tally.max_points);
    for (size_t domain = 0; domain < risk.domain_points.size(); ++domain) {
      risk.domain_points[domain][row] = static_cast<int16_t>(tally.domain_points[domain]);
      risk.domain_max_points[domain][row] = static_cast<int16_t>(tally.domain_max[domain]);
    }
    risk.band[row] = BandOf(tally, ScoreOf(tally.points, tally.max_points));
    int16_t* top_indicator = &risk.top_indicator[row * kTopItems];
    int16_t* top_points = &risk.top_points[row * kTopItems];
    for (size_t slot = 0; slot < kTopItems; ++slot) {
      if (slot < tally.top_count) {
        top_indicator[slot] = static_cast<int16_t>(plan_.items[tally.top[slot]].indicator);
        top_points[slot] = static_cast<int16_t>(outcomes_[tally.top[slot]].points);
      } else {
        top_indicator[slot] = -1;
        top_points[slot] = 0;
      }
    }
  }

  // The outcome of one item in row `row` of a frame, its conditions read from
  // the row (context_.slots and today_days set by the caller;
  // conditions_ready_ reset for each row).
  ItemOutcome DecideCell(const Frame& frame, const ScoredItem& item, size_t row) {
    const Column& column = frame.columns[static_cast<size_t>(item.indicator)];
    if (item.relevant || item.scored_when_not_relevant) {
      FillConditionInputs(frame, row);
      context_.current = std::string_view();
      if (item.conditions_read_answer) {
        CellText(column, item.list, row, current_);
        context_.current = current_;
      }
    }
    return Decide(item, [&] { return PointsOfCell(item, column, row); });
  }

  // The item's outcome given its relevance; `points` reads its answer.
  template <typename Points>
  ItemOutcome Decide(const ScoredItem& item, Points points) {
    if (item.relevant && !item.relevant->EvaluateBoolean(context_)) {
      if (item.scored_when_not_relevant && item.scored_when_not_relevant->EvaluateBoolean(context_)) {
        return {item.mapping->when_not_relevant->points, true};
      }
      return {};
    }
    return {points(), false};
  }

  // outcomes_ of row `row` of a frame, read from its typed columns.
  void DecideCells(const Frame& frame, size_t row, int64_t today_days) {
    context_.slots = slots_;
    context_.today_days = today_days;
    conditions_ready_ = false;
    for (size_t item_idx = 0; item_idx < plan_.items.size(); ++item_idx) {
      outcomes_[item_idx] = DecideCell(frame, plan_.items[item_idx], row);
    }
  }

  // The values the conditions read, as text, once per row.
  void FillConditionInputs(const Frame& frame, size_t row) {
    if (conditions_ready_) return;
    conditions_ready_ = true;
    for (size_t input_idx = 0; input_idx < plan_.condition_inputs.size(); ++input_idx) {
      const auto& [indicator, list] = plan_.condition_inputs[input_idx];
      const Column& column = frame.columns[static_cast<size_t>(indicator)];
      std::string_view& slot = slots_[static_cast<size_t>(indicator)];
      if (!column.present[row]) {
        slot = std::string_view();
      } else if (column.kind == ColumnKind::kChoice && list != nullptr) {
        slot = list->choices[column.choices[row]].name;  // no copy
      } else if (column.kind == ColumnKind::kText) {
        slot = column.texts[row];
      } else {
        CellText(column, list, row, buffers_[input_idx]);
        slot = buffers_[input_idx];
      }
    }
  }

  // Adds up outcomes_ per domain and for the site, and keeps the top items:
  // an item goes after those with as many points or more (dictionary order
  // among equals).
  RiskTally Tally() const {
    RiskTally tally;
    for (size_t item_idx = 0; item_idx < plan_.items.size(); ++item_idx) {
      const ItemOutcome& outcome = outcomes_[item_idx];
      if (outcome.points == kNotAnswered) continue;
      const ScoredItem& item = plan_.items[item_idx];
      tally.domain_points[item.domain_slot] += outcome.points;
      tally.domain_max[item.domain_slot] += item.max_points;
      tally.points += outcome.points;
      tally.max_points += item.max_points;
      if (outcome.points <= 0) continue;
      size_t at = tally.top_count;
      while (at > 0 && outcomes_[tally.top[at - 1]].points < outcome.points) --at;
      if (at >= kTopItems) continue;
      const size_t last = std::min(tally.top_count, kTopItems - 1);
      for (size_t move = last; move > at; --move) tally.top[move] = tally.top[move - 1];
      tally.top[at] = static_cast<uint16_t>(item_idx);
      tally.top_count = std::min(tally.top_count + 1, kTopItems);
    }
    return tally;
  }

  // The tally as a SiteRisk; `answer_of(item)` gives an answer as shown.
  template <typename AnswerOf>
  SiteRisk ToSiteRisk(const RiskTally& tally, AnswerOf answer_of) const {
    SiteRisk risk;
    const std::vector<RiskDomain>& domains = dictionary::AllRiskDomains();
    for (size_t slot = 0; slot < risk.domains.size() && slot < domains.size(); ++slot) {
      DomainScore& domain = risk.domains[slot];
      domain.domain = domains[slot];
      domain.points = tally.domain_points[slot];
      domain.max_points = tally.domain_max[slot];
      domain.score = ScoreOf(domain.points, domain.max_points);
    }
    risk.points = tally.points;
    risk.max_points = tally.max_points;
    risk.score = ScoreOf(tally.points, tally.max_points);
    risk.coverage = CoverageOf(tally);
    risk.band = BandOf(tally, risk.score);
    risk.top_items.reserve(tally.top_count);
    for (size_t slot = 0; slot < tally.top_count; ++slot) {
      const ScoredItem& item = plan_.items[tally.top[slot]];
      const ItemOutcome& outcome = outcomes_[tally.top[slot]];
      risk.top_items.push_back(
          {item.indicator,
           outcome.not_asked ? "not asked: " + item.mapping->when_not_relevant->when
                             : answer_of(item),
           outcome.points});
    }
    return risk;
  }

  const Plan& plan_;
  std::vector<std::string_view> slots_;  // by indicator
  std::vector<std::string> buffers_;     // by condition input
  std::string current_;
  std::vector<ItemOutcome> outcomes_;    // by item
  std::vector<int> block_;               // ScoreRowsInto: points by item, then row of the block
  expr::EvaluationContext context_;
  bool conditions_ready_ = false;
};

std::optional<double> FrameRisk::Score(size_t row) const {
  return ScoreOfPoints(points[row], max_points[row]);
}

double FrameRisk::Coverage(size_t row) const {
  return total_max_points > 0 ? static_cast<double>(max_points[row]) / total_max_points : 0;
}

std::optional<double> FrameRisk::DomainScore(size_t domain, size_t row) const {
  return ScoreOfPoints(domain_points[domain][row], domain_max_points[domain][row]);
}

SiteRisk RiskIndex::Score(std::span<const std::string_view> values, int64_t today_days) const {
  RowScorer scorer(*plan_);
  return scorer.ScoreText(values, today_days);
}

Result<SiteRisk> RiskIndex::ScoreRow(const Frame& frame, size_t row, int64_t today_days) const {
  RETURN_IF_ERROR(CheckFrame(frame));
  if (row >= frame.rows()) {
    return InvalidArgumentError("row " + std::to_string(row) + " is beyond the frame's " +
                                std::to_string(frame.rows()) + " rows");
  }
  RowScorer scorer(*plan_);
  return scorer.ScoreCells(frame, row, today_days);
}

Result<FrameRisk> RiskIndex::ScoreFrame(const Frame& frame, int64_t today_days,
                                        unsigned threads) const {
  RETURN_IF_ERROR(CheckFrame(frame));
  const size_t rows = frame.rows();
  FrameRisk risk;
  risk.total_max_points = plan_->total_max_points;
  risk.points.resize(rows);
  risk.max_points.resize(rows);
  for (std::vector<int16_t>& domain : risk.domain_points) domain.resize(rows);
  for (std::vector<int16_t>& domain : risk.domain_max_points) domain.resize(rows);
  risk.band.resize(rows);
  risk.top_indicator.resize(rows * kTopItems);
  risk.top_points.resize(rows * kTopItems);
  // Each thread scores its own contiguous rows into their own slots: the
  // result does not depend on the number of threads.
  const size_t workers =
      std::max<size_t>(1, std::min<size_t>(threads == 0 ? 1 : threads, rows / 4096 + 1));
  auto score_rows = [&](size_t first, size_t last) {
    RowScorer scorer(*plan_);
    scorer.ScoreRowsInto(frame, first, last, today_days, risk);
  };
  if (workers == 1) {
    score_rows(0, rows);
    return risk;
  }
  std::vector<std::thread> pool;
  const size_t per_worker = (rows + workers - 1) / workers;
  for (size_t worker = 1; worker < workers; ++worker) {
    const size_t first = std::min(rows, worker * per_worker);
    pool.emplace_back(score_rows, first, std::min(rows, first + per_worker));
  }
  score_rows(0, std::min(rows, per_worker));
  for (std::thread& thread : pool) thread.join();
  return risk;
}

Status RiskIndex::CheckFrame(const Frame& frame) const {
  if (frame.columns.size() != plan_->indicator_count) {
    return InvalidArgumentError("the frame has " + std::to_string(frame.columns.size()) +
                                " columns where the dictionary has " +
                                std::to_string(plan_->indicator_count) +
                                " indicators: it was loaded with another dictionary");
  }
  for (const ScoredItem& item : plan_->items) {
    const Column& column = frame.columns[static_cast<size_t>(item.indicator)];
    if (column.present.size() != frame.rows()) {
      return InvalidArgumentError("column " + item.definition->name + " has " +
                                  std::to_string(column.present.size()) + " rows, the frame " +
                                  std::to_string(frame.rows()));
    }
    const bool choice_column = column.kind == ColumnKind::kChoice ||
                               column.kind == ColumnKind::kChoices;
    if (choice_column && item.list == nullptr) {
      return InvalidArgumentError("column " + item.definition->name +
                                  " holds choices but the indicator has no choice list");
    }
  }
  return Status::Ok();
}

}  // namespace opendtm::analysis
