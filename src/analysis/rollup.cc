#include "analysis/rollup.h"

#include <algorithm>
#include <bit>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/number.h"
#include "core/text.h"

namespace opendtm::analysis {

using dictionary::Aggregate;
using dictionary::Indicator;
using dictionary::ValueType;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kSite:
      return "site";
    case Level::kAdmin3:
      return "admin3";
    case Level::kAdmin2:
      return "admin2";
    case Level::kAdmin1:
      return "admin1";
    case Level::kCountry:
      return "country";
    case Level::kRegion:
      return "region";
    case Level::kGlobal:
      return "global";
  }
  return "site";
}

std::string_view LevelIndicator(Level level) {
  switch (level) {
    case Level::kAdmin3:
      return "adm3_pcode";
    case Level::kAdmin2:
      return "adm2_pcode";
    case Level::kAdmin1:
      return "adm1_pcode";
    case Level::kCountry:
      return "adm0_pcode";
    case Level::kSite:
    case Level::kRegion:
    case Level::kGlobal:
      break;
  }
  return "";
}

namespace {

// A column's value of one row as a number (nullopt when absent or not numeric).
std::optional<double> NumberAt(const Column& column, size_t row) {
  if (!column.present[row]) return std::nullopt;
  if (column.kind == ColumnKind::kInteger) return static_cast<double>(column.integers[row]);
  if (column.kind == ColumnKind::kNumber) return column.numbers[row];
  return std::nullopt;
}

Status AboveCountry(Level level) {
  return InvalidArgumentError("the " + std::string(LevelName(level)) +
                              " level adds up operations, not a round's sites "
                              "(CombineOperations)");
}

// The column holding a row's area at `level`: nullptr for the site level (the
// area is the site ID). Errors: InvalidArgument for region and global, or when
// the dictionary has no text indicator for the level.
Result<const Column*> AreaColumn(const Frame& frame, const dictionary::Dictionary& dictionary,
                                 Level level) {
  if (level == Level::kSite) return static_cast<const Column*>(nullptr);
  if (level == Level::kRegion || level == Level::kGlobal) return AboveCountry(level);
  const int area_indicator = dictionary.IndexOf(LevelIndicator(level));
  if (area_indicator < 0 || frame.columns[area_indicator].kind != ColumnKind::kText) {
    return InvalidArgumentError("the dictionary has no text indicator " +
                                std::string(LevelIndicator(level)) + " for the " +
                                std::string(LevelName(level)) + " level");
  }
  return &frame.columns[area_indicator];
}

}  // namespace

Result<std::vector<std::string>> AreaOfRows(const Frame& frame,
                                            const dictionary::Dictionary& dictionary,
                                            Level level) {
  if (frame.columns.size() != dictionary.indicators().size()) {
    return InvalidArgumentError("the frame has " + std::to_string(frame.columns.size()) +
                                " columns; the dictionary has " +
                                std::to_string(dictionary.indicators().size()) + " indicators");
  }
  ASSIGN_OR_RETURN(const Column* area_column, AreaColumn(frame, dictionary, level));
  if (area_column == nullptr) return frame.site_ids;
  const Column& column = *area_column;
  std::vector<std::string> areas(frame.rows());
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (column.present[row]) areas[row] = column.texts[row];
  }
  return areas;
}

Result<RowCondition> ParseCondition(std::string_view text,
                                    const dictionary::Dictionary& dictionary) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return InvalidArgumentError("a condition is INDICATOR=VALUE, not '" + std::string(text) + "'");
  }
  const std::string name(core::Trim(text.substr(0, equals)));
  RowCondition condition;
  condition.value = std::string(core::Trim(text.substr(equals + 1)));
  condition.indicator = dictionary.IndexOf(name);
  if (condition.indicator < 0) {
    return InvalidArgumentError("no indicator '" + name + "' in the dictionary");
  }
  const Indicator& indicator = dictionary.indicators()[condition.indicator];
  if (indicator.is_select()) {
    const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
    if (list == nullptr || list->Find(condition.value) == nullptr) {
      return InvalidArgumentError("'" + condition.value + "' is not a choice of " + name +
                                  " (list " + indicator.list_name + ")");
    }
  } else if ((indicator.type == ValueType::kInteger || indicator.type == ValueType::kDecimal) &&
             !core::ParseNumber(condition.value)) {
    return InvalidArgumentError(name + " is a number: '" + condition.value + "' is not one");
  }
  return condition;
}

namespace {

// Dense codes 0, 1, 2… for distinct texts, in order of first appearance.
class TextCodes {
 public:
  explicit TextCodes(size_t expected) { code_of_.reserve(expected); }
  uint32_t CodeOf(std::string_view text) {
    auto [it, added] = code_of_.try_emplace(text, static_cast<uint32_t>(texts_.size()));
    if (added) texts_.push_back(text);
    return it->second;
  }
  const std::vector<std::string_view>& texts() const { return texts_; }

 private:
  std::unordered_map<std::string_view, uint32_t> code_of_;
  std::vector<std::string_view> texts_;
};

// Dense ids for pairs (earlier id, code), in order of first appearance, with
// each id's pair kept.
class PairIds {
 public:
  uint32_t IdOf(uint32_t earlier, uint32_t code) {
    const uint64_t key = (uint64_t{earlier} << 32) | code;
    if (key == last_key_) return last_id_;
    auto [it, added] = id_of_.try_emplace(key, static_cast<uint32_t>(pairs_.size()));
    if (added) pairs_.emplace_back(earlier, code);
    last_key_ = key;
    last_id_ = it->second;
    return it->second;
  }
  const std::vector<std::pair<uint32_t, uint32_t>>& pairs() const { return pairs_; }

 private:
  std::unordered_map<uint64_t, uint32_t> id_of_;
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;
  uint64_t last_key_ = ~uint64_t{0};
  uint32_t last_id_ = 0;
};

// A condition resolved against the frame's column.
struct CompiledCondition {
  const Column* column = nullptr;
  ColumnKind kind = ColumnKind::kText;
  uint16_t choice = 0;                 // kChoice
  uint64_t bit = 0;                    // kChoices
  double number = 0;                   // kInteger, kNumber
  std::string_view text;               // kText (a select read as text: a token)
  bool token = false;                  // kText of a select_multiple

  bool Holds(size_t row) const {
    if (!column->present[row]) return false;
    switch (kind) {
      case ColumnKind::kChoice:
        return column->choices[row] == choice;
      case ColumnKind::kChoices:
        return (column->bitsets[row] & bit) != 0;
      case ColumnKind::kInteger:
        return static_cast<double>(column->integers[row]) == number;
      case ColumnKind::kNumber:
        return column->numbers[row] == number;
      case ColumnKind::kText:
        if (!token) return column->texts[row] == text;
        for (std::string_view part : core::Split(column->texts[row], ' ')) {
          if (part == text) return true;
        }
        return false;
    }
    return false;
  }
};

Result<CompiledCondition> Compile(const RowCondition& condition, const Frame& frame,
                                  const dictionary::Dictionary& dictionary) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  if (condition.indicator < 0 || static_cast<size_t>(condition.indicator) >= indicators.size()) {
    return InvalidArgumentError("a condition names no indicator of the dictionary");
  }
  const Indicator& indicator = indicators[condition.indicator];
  CompiledCondition compiled;
  compiled.column = &frame.columns[condition.indicator];
  compiled.kind = compiled.column->kind;
  compiled.text = condition.value;
  compiled.token = indicator.type == ValueType::kSelectMultiple;
  if (compiled.kind == ColumnKind::kChoice || compiled.kind == ColumnKind::kChoices) {
    const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
    size_t choice_idx = 0;
    while (list != nullptr && choice_idx < list->choices.size() &&
           list->choices[choice_idx].name != condition.value) {
      ++choice_idx;
    }
    if (list == nullptr || choice_idx == list->choices.size()) {
      return InvalidArgumentError("'" + condition.value + "' is not a choice of " +
                                  indicator.name);
    }
    compiled.choice = static_cast<uint16_t>(choice_idx);
    compiled.bit = choice_idx < 64 ? uint64_t{1} << choice_idx : 0;
  } else if (compiled.kind == ColumnKind::kInteger || compiled.kind == ColumnKind::kNumber) {
    std::optional<double> number = core::ParseNumber(condition.value);
    if (!number) {
      return InvalidArgumentError(indicator.name + " is a number: '" + condition.value +
                                  "' is not one");
    }
    compiled.number = *number;
  }
  return compiled;
}

// What each indicator adds up to in a rollup.
struct RollupPlan {
  std::vector<int> summed;   // integer/decimal indicators with aggregate sum
  std::vector<int> shared;   // select indicators with aggregate share_of_sites
  std::vector<size_t> slots; // by indicator: choices + 1 for shared ones, else 0
};

RollupPlan PlanRollup(const Frame& frame, const dictionary::Dictionary& dictionary) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  RollupPlan plan;
  plan.slots.assign(indicators.size(), 0);
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    const ColumnKind kind = frame.columns[indicator_idx].kind;
    if (indicator.aggregate == Aggregate::kSum &&
        (kind == ColumnKind::kInteger || kind == ColumnKind::kNumber)) {
      plan.summed.push_back(static_cast<int>(indicator_idx));
    }
    if (indicator.aggregate == Aggregate::kShareOfSites &&
        (kind == ColumnKind::kChoice || kind == ColumnKind::kChoices)) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      if (list == nullptr) continue;
      plan.shared.push_back(static_cast<int>(indicator_idx));
      plan.slots[indicator_idx] = list->choices.size() + 1;
    }
  }
  return plan;
}

// Totals per cell, column by column: what one pass over the rows adds up.
struct CellTotals {
  std::vector<int64_t> sites;
  std::vector<double> people;
  std::vector<std::vector<double>> sums;                // by indicator, then cell
  std::vector<std::vector<int64_t>> reporting;          // by indicator, then cell
  std::vector<std::vector<int64_t>> answer_sites;       // by indicator, then cell × slots
  std::vector<std::vector<double>> answer_people;       // by indicator, then cell × slots
};

}  // namespace

Result<std::vector<std::vector<AreaTotals>>> RollUpLevels(
    const Frame& frame, const dictionary::Dictionary& dictionary, std::span<const Level> levels,
    const RollupOptions& options) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  if (frame.columns.size() != indicators.size()) {
    return InvalidArgumentError("the frame has " + std::to_string(frame.columns.size()) +
                                " columns; the dictionary has " +
                                std::to_string(indicators.size()) + " indicators");
  }
  if (levels.empty()) return InvalidArgumentError("a rollup needs at least one level");
  const RollupPlan plan = PlanRollup(frame, dictionary);
  const int people_indicator = dictionary.IndexOf("ind_total");
  const Column* people_column =
      people_indicator >= 0 ? &frame.columns[people_indicator] : nullptr;

  // 1. The rows that meet the conditions.
  std::vector<CompiledCondition> conditions;
  for (const RowCondition& condition : options.where) {
    ASSIGN_OR_RETURN(CompiledCondition compiled, Compile(condition, frame, dictionary));
    conditions.push_back(compiled);
  }
  std::vector<uint32_t> rows;
  rows.reserve(frame.rows());
  for (size_t row = 0; row < frame.rows(); ++row) {
    bool kept = true;
    for (const CompiledCondition& condition : conditions) kept = kept && condition.Holds(row);
    if (kept) rows.push_back(static_cast<uint32_t>(row));
  }

  // 2. Entries: a row once, or once per selected choice of a select_multiple
  // `by` indicator; each with its `by` slot: a choice's index (the list's
  // size for no answer), or a code of the text (a P-code…).
  const Column* by_column = nullptr;
  const dictionary::ChoiceList* by_list = nullptr;
  if (options.by_indicator >= 0) {
    if (static_cast<size_t>(options.by_indicator) >= indicators.size()) {
      return InvalidArgumentError("a rollup split names no indicator of the dictionary");
    }
    const Indicator& by = indicators[options.by_indicator];
    by_column = &frame.columns[options.by_indicator];
    if (by_column->kind == ColumnKind::kChoice || by_column->kind == ColumnKind::kChoices) {
      by_list = dictionary.ListOf(by);
    } else if (by_column->kind != ColumnKind::kText || by.type == ValueType::kSelectMultiple) {
      return InvalidArgumentError("indicator " + by.name +
                                  " cannot split a rollup: it needs a select (of up to 64 "
                                  "choices) or a text/P-code indicator");
    }
  }
  TextCodes by_texts(256);
  const uint32_t no_answer = by_list != nullptr ? static_cast<uint32_t>(by_list->choices.size()) : 0;
  std::vector<uint32_t> entry_row;
  std::vector<uint32_t> entry_cell;  // the `by` slot at first, then the cell
  entry_row.reserve(rows.size());
  entry_cell.reserve(rows.size());
  for (uint32_t row : rows) {
    if (by_column == nullptr) {
      entry_row.push_back(row);
      entry_cell.push_back(0);
    } else if (by_list == nullptr) {
      entry_row.push_back(row);
      entry_cell.push_back(by_texts.CodeOf(by_column->present[row] ? std::string_view(by_column->texts[row])
                                                                   : std::string_view()));
    } else if (!by_column->present[row]) {
      entry_row.push_back(row);
      entry_cell.push_back(no_answer);
    } else if (by_column->kind == ColumnKind::kChoice) {
      entry_row.push_back(row);
      entry_cell.push_back(by_column->choices[row]);
    } else {
      for (uint64_t bits = by_column->bitsets[row]; bits != 0; bits &= bits - 1) {
        entry_row.push_back(row);
        entry_cell.push_back(static_cast<uint32_t>(std::countr_zero(bits)));
      }
    }
  }
  // The `by` slots' names, and their order: the list's, or by name; no
  // answer ("") last.
  std::vector<std::string_view> by_names;
  if (by_list != nullptr) {
    for (const dictionary::Choice& choice : by_list->choices) by_names.push_back(choice.name);
    by_names.emplace_back();
  } else if (by_column != nullptr) {
    by_names = by_texts.texts();
  } else {
    by_names.emplace_back();
  }
  std::vector<uint32_t> by_rank(by_names.size());
  {
    std::vector<uint32_t> order(by_names.size());
    for (uint32_t slot = 0; slot < order.size(); ++slot) order[slot] = slot;
    if (by_list == nullptr) {
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        if (by_names[a].empty() != by_names[b].empty()) return by_names[b].empty();
        return by_names[a] < by_names[b];
      });
    }
    for (uint32_t rank = 0; rank < order.size(); ++rank) by_rank[order[rank]] = rank;
  }

  // 3. Cells: the entries' combinations of `by` slot and area at every level.
  std::vector<TextCodes> area_codes;
  std::vector<PairIds> refinements(levels.size());
  area_codes.reserve(levels.size());
  for (size_t level_idx = 0; level_idx < levels.size(); ++level_idx) {
    const Level level = levels[level_idx];
    area_codes.emplace_back(level == Level::kSite ? rows.size() : 1024);
    ASSIGN_OR_RETURN(const Column* area_column, AreaColumn(frame, dictionary, level));
    uint32_t last_row = ~uint32_t{0};
    uint32_t last_code = 0;
    for (size_t entry = 0; entry < entry_row.size(); ++entry) {
      const uint32_t row = entry_row[entry];
      if (row != last_row) {
        std::string_view area;
        if (area_column == nullptr) {
          area = frame.site_ids[row];
        } else if (area_column->present[row]) {
          area = area_column->texts[row];
        }
        last_code = area_codes[level_idx].CodeOf(area);
        last_row = row;
      }
      entry_cell[entry] = refinements[level_idx].IdOf(entry_cell[entry], last_code);
    }
  }
  const size_t cells = refinements.back().pairs().size();
  // Each cell's area code per level and `by` slot, unwound from the pairs.
  std::vector<std::vector<uint32_t>> cell_area(levels.size(), std::vector<uint32_t>(cells));
  std::vector<uint32_t> cell_by(cells, 0);
  for (size_t cell = 0; cell < cells; ++cell) {
    uint32_t id = static_cast<uint32_t>(cell);
    for (size_t level_idx = levels.size(); level_idx-- > 0;) {
      const auto& [earlier, code] = refinements[level_idx].pairs()[id];
      cell_area[level_idx][cell] = code;
      id = earlier;
    }
    cell_by[cell] = id;
  }

  // 4. Totals per cell, column by column; the indicators are shared out
  // among the threads, each adding up its own columns in row order.
  CellTotals totals;
  totals.sites.assign(cells, 0);
  totals.people.assign(cells, 0);
  totals.sums.resize(indicators.size());
  totals.reporting.resize(indicators.size());
  totals.answer_sites.resize(indicators.size());
  totals.answer_people.resize(indicators.size());
  std::vector<double> entry_people(entry_row.size(), 0);
  for (size_t entry = 0; entry < entry_row.size(); ++entry) {
    const uint32_t row = entry_row[entry];
    const uint32_t cell = entry_cell[entry];
    ++totals.sites[cell];
    if (people_column != nullptr) {
      if (std::optional<double> people = NumberAt(*people_column, row)) {
        entry_people[entry] = *people;
        totals.people[cell] += *people;
      }
    }
  }
  std::vector<int> work(plan.summed);
  work.insert(work.end(), plan.shared.begin(), plan.shared.end());
  auto add_up = [&](size_t first, size_t last) {
    for (size_t work_idx = first; work_idx < last; ++work_idx) {
      const int indicator = work[work_idx];
      const Column& column = frame.columns[indicator];
      const size_t slots = plan.slots[indicator];
      std::vector<int64_t>& reporting = totals.reporting[indicator];
      reporting.assign(cells, 0);
      if (slots == 0) {
        std::vector<double>& sums = totals.sums[indicator];
        sums.assign(cells, 0);
        for (size_t entry = 0; entry < entry_row.size(); ++entry) {
          const uint32_t row = entry_row[entry];
          if (!column.present[row]) continue;
          const uint32_t cell = entry_cell[entry];
          sums[cell] += column.kind == ColumnKind::kInteger
                            ? static_cast<double>(column.integers[row])
                            : column.numbers[row];
          ++reporting[cell];
        }
        continue;
      }
      std::vector<int64_t>& sites = totals.answer_sites[indicator];
      std::vector<double>& people = totals.answer_people[indicator];
      sites.assign(cells * slots, 0);
      people.assign(cells * slots, 0);
      for (size_t entry = 0; entry < entry_row.size(); ++entry) {
        const uint32_t row = entry_row[entry];
        const size_t base = entry_cell[entry] * slots;
        if (!column.present[row]) {
          ++sites[base + slots - 1];
          people[base + slots - 1] += entry_people[entry];
          continue;
        }
        ++reporting[entry_cell[entry]];
        if (column.kind == ColumnKind::kChoice) {
          ++sites[base + column.choices[row]];
          people[base + column.choices[row]] += entry_people[entry];
          continue;
        }
        for (uint64_t bits = column.bitsets[row]; bits != 0; bits &= bits - 1) {
          const size_t slot = static_cast<size_t>(std::countr_zero(bits));
          ++sites[base + slot];
          people[base + slot] += entry_people[entry];
        }
      }
    }
  };
  const size_t workers = std::clamp<size_t>(options.threads, 1, std::max<size_t>(1, work.size()));
  if (workers <= 1 || entry_row.size() < 20000) {
    add_up(0, work.size());
  } else {
    std::vector<std::thread> pool;
    const size_t per_worker = (work.size() + workers - 1) / workers;
    for (size_t worker = 1; worker < workers; ++worker) {
      pool.emplace_back(add_up, std::min(work.size(), worker * per_worker),
                        std::min(work.size(), (worker + 1) * per_worker));
    }
    add_up(0, std::min(work.size(), per_worker));
    for (std::thread& thread : pool) thread.join();
  }

  // 5. Each level's areas: the sums of their cells, in cell order.
  std::vector<std::vector<AreaTotals>> result(levels.size());
  for (size_t level_idx = 0; level_idx < levels.size(); ++level_idx) {
    std::vector<AreaTotals>& areas = result[level_idx];
    std::unordered_map<uint64_t, size_t> area_of;
    std::vector<std::pair<uint32_t, uint32_t>> keys;  // (area code, by slot) per area
    for (size_t cell = 0; cell < cells; ++cell) {
      const uint64_t key = (uint64_t{cell_area[level_idx][cell]} << 32) | cell_by[cell];
      auto [it, added] = area_of.try_emplace(key, areas.size());
      if (added) {
        AreaTotals& fresh = areas.emplace_back();
        fresh.area = std::string(area_codes[level_idx].texts()[cell_area[level_idx][cell]]);
        fresh.by = std::string(by_names[cell_by[cell]]);
        fresh.sums.assign(indicators.size(), 0);
        fresh.reporting.assign(indicators.size(), 0);
        fresh.answer_sites.resize(indicators.size());
        fresh.answer_people.resize(indicators.size());
        for (int indicator : plan.shared) {
          fresh.answer_sites[indicator].assign(plan.slots[indicator], 0);
          fresh.answer_people[indicator].assign(plan.slots[indicator], 0);
        }
        keys.emplace_back(cell_area[level_idx][cell], cell_by[cell]);
      }
      AreaTotals& area = areas[it->second];
      area.sites += totals.sites[cell];
      area.people += totals.people[cell];
      for (int indicator : plan.summed) {
        area.sums[indicator] += totals.sums[indicator][cell];
        area.reporting[indicator] += totals.reporting[indicator][cell];
      }
      for (int indicator : plan.shared) {
        area.reporting[indicator] += totals.reporting[indicator][cell];
        const size_t slots = plan.slots[indicator];
        for (size_t slot = 0; slot < slots; ++slot) {
          area.answer_sites[indicator][slot] += totals.answer_sites[indicator][cell * slots + slot];
          area.answer_people[indicator][slot] +=
              totals.answer_people[indicator][cell * slots + slot];
        }
      }
    }
    // Sorted by area name, then by `by` slot (list order, no answer last).
    std::vector<size_t> order(areas.size());
    for (size_t area_idx = 0; area_idx < order.size(); ++area_idx) order[area_idx] = area_idx;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (areas[a].area != areas[b].area) return areas[a].area < areas[b].area;
      return by_rank[keys[a].second] < by_rank[keys[b].second];
    });
    std::vector<AreaTotals> sorted;
    sorted.reserve(areas.size());
    for (size_t area_idx : order) sorted.push_back(std::move(areas[area_idx]));
    areas = std::move(sorted);
  }
  return result;
}

Result<std::vector<std::vector<std::vector<AreaTotals>>>> RollUpFrames(
    std::span<const Frame* const> frames, const dictionary::Dictionary& dictionary,
    std::span<const Level> levels, const RollupOptions& options) {
  std::vector<Result<std::vector<std::vector<AreaTotals>>>> results(
      frames.size(), InternalError("frame not added up"));
  RollupOptions one_thread = options;
  one_thread.threads = 1;
  const size_t workers = std::clamp<size_t>(options.threads, 1, std::max<size_t>(1, frames.size()));
  // Frame k goes to worker k mod workers: each result has its own slot.
  auto add_up = [&](size_t worker) {
    for (size_t frame_idx = worker; frame_idx < frames.size(); frame_idx += workers) {
      results[frame_idx] = RollUpLevels(*frames[frame_idx], dictionary, levels, one_thread);
    }
  };
  if (workers == 1 || frames.size() == 1) {
    if (frames.size() == 1) {
      results[0] = RollUpLevels(*frames[0], dictionary, levels, options);
    } else {
      add_up(0);
    }
  } else {
    std::vector<std::thread> pool;
    for (size_t worker = 1; worker < workers; ++worker) pool.emplace_back(add_up, worker);
    add_up(0);
    for (std::thread& thread : pool) thread.join();
  }
  std::vector<std::vector<std::vector<AreaTotals>>> all;
  all.reserve(frames.size());
  for (auto& result : results) {
    if (!result.ok()) return result.status();
    all.push_back(std::move(result).value());
  }
  return all;
}

Result<std::vector<AreaTotals>> RollUp(const Frame& frame,
                                       const dictionary::Dictionary& dictionary, Level level,
                                       const RollupOptions& options) {
  const Level levels[] = {level};
  ASSIGN_OR_RETURN(std::vector<std::vector<AreaTotals>> result,
                   RollUpLevels(frame, dictionary, levels, options));
  return std::move(result[0]);
}

}  // namespace opendtm::analysis
