#include "analysis/frame.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/number.h"
#include "core/text.h"
#include "store/site_area.h"

namespace opendtm::analysis {

using dictionary::Indicator;
using dictionary::ValueType;

size_t Column::PresentCount() const {
  return static_cast<size_t>(std::count(present.begin(), present.end(), uint8_t{1}));
}

namespace {

// How one indicator's stored values become a column.
struct ColumnPlan {
  ColumnKind kind = ColumnKind::kText;
  // kChoice / kChoices: code -> index in the list.
  std::unordered_map<std::string, uint16_t, core::StringHash, std::equal_to<>> choice_index;
};

std::vector<ColumnPlan> PlanColumns(const dictionary::Dictionary& dictionary) {
  std::vector<ColumnPlan> plans(dictionary.indicators().size());
  for (size_t indicator_idx = 0; indicator_idx < plans.size(); ++indicator_idx) {
    const Indicator& indicator = dictionary.indicators()[indicator_idx];
    ColumnPlan& plan = plans[indicator_idx];
    switch (indicator.type) {
      case ValueType::kInteger:
        plan.kind = ColumnKind::kInteger;
        break;
      case ValueType::kDecimal:
        plan.kind = ColumnKind::kNumber;
        break;
      case ValueType::kSelectOne:
      case ValueType::kSelectMultiple: {
        const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
        const bool multiple = indicator.type == ValueType::kSelectMultiple;
        if (list == nullptr || (multiple && list->choices.size() > kMaxBitsetChoices)) {
          plan.kind = ColumnKind::kText;
          break;
        }
        plan.kind = multiple ? ColumnKind::kChoices : ColumnKind::kChoice;
        for (size_t choice_idx = 0; choice_idx < list->choices.size(); ++choice_idx) {
          plan.choice_index.emplace(list->choices[choice_idx].name,
                                    static_cast<uint16_t>(choice_idx));
        }
        break;
      }
      default:
        plan.kind = ColumnKind::kText;
        break;
    }
  }
  return plans;
}

Frame NewFrameOf(int round, store::AssessmentType type, const std::vector<ColumnPlan>& plans) {
  Frame frame;
  frame.round = round;
  frame.assessment_type = type;
  frame.columns.resize(plans.size());
  for (size_t indicator_idx = 0; indicator_idx < plans.size(); ++indicator_idx) {
    frame.columns[indicator_idx].kind = plans[indicator_idx].kind;
  }
  return frame;
}

// Appends one row's value of one column.
void Append(const ColumnPlan& plan, const store::StoredValues& values, int indicator,
            Column& column) {
  const bool blank = values.IsBlank(indicator);
  uint8_t present = blank ? 0 : 1;
  switch (plan.kind) {
    case ColumnKind::kInteger:
      column.integers.push_back(blank ? 0 : values.Integer(indicator));
      break;
    case ColumnKind::kNumber:
      column.numbers.push_back(blank ? 0 : values.Number(indicator));
      break;
    case ColumnKind::kChoice: {
      uint16_t choice = 0;
      if (!blank) {
        auto it = plan.choice_index.find(values.Text(indicator));
        if (it != plan.choice_index.end()) {
          choice = it->second;
        } else {
          ++column.unlisted;
          present = 0;
        }
      }
      column.choices.push_back(choice);
      break;
    }
    case ColumnKind::kChoices: {
      uint64_t bits = 0;
      if (!blank) {
        std::string_view text = values.Text(indicator);
        size_t pos = 0;
        bool unlisted = false;
        while (pos < text.size()) {
          size_t end = text.find(' ', pos);
          if (end == std::string_view::npos) end = text.size();
          if (end > pos) {
            auto it = plan.choice_index.find(text.substr(pos, end - pos));
            if (it != plan.choice_index.end()) {
              bits |= uint64_t{1} << it->second;
            } else {
              unlisted = true;
            }
          }
          pos = end + 1;
        }
        if (unlisted) {
          ++column.unlisted;
          present = bits != 0 ? 1 : 0;
        }
      }
      column.bitsets.push_back(bits);
      break;
    }
    case ColumnKind::kText:
      column.texts.emplace_back(blank ? std::string_view() : values.Text(indicator));
      break;
  }
  column.present.push_back(present);
}

// Sets the admin P-code columns (adm1..adm3_pcode, where read) of every row
// of a registered site to its master-list area (store/site_area.h): a round
// that reported another P-code does not move the site. Steps: 1. the master
// list by site ID; 2. each row of a listed site, level by level.
Status PutSitesInTheirMasterArea(store::Store& store, const dictionary::Dictionary& dictionary,
                                 int64_t operation_id, const std::vector<int>& read,
                                 std::vector<Frame>& frames) {
  std::array<int, 3> admin_columns{};
  bool any = false;
  for (int level = 1; level <= 3; ++level) {
    const int indicator = dictionary.IndexOf("adm" + std::to_string(level) + "_pcode");
    const bool is_read = indicator >= 0 &&
                         std::find(read.begin(), read.end(), indicator) != read.end() &&
                         dictionary.indicators()[static_cast<size_t>(indicator)].type ==
                             ValueType::kPcode;
    admin_columns[static_cast<size_t>(level - 1)] = is_read ? indicator : -1;
    any = any || is_read;
  }
  if (!any || frames.empty()) return Status::Ok();
  // 1. The master list.
  ASSIGN_OR_RETURN(std::vector<store::Site> sites, store.ListSites(operation_id));
  std::unordered_map<std::string_view, const store::Site*> by_id;
  for (const store::Site& site : sites) by_id.emplace(site.site_id, &site);
  // 2. Each row.
  for (Frame& frame : frames) {
    for (size_t row = 0; row < frame.rows(); ++row) {
      auto listed = by_id.find(frame.site_ids[row]);
      if (listed == by_id.end()) continue;
      std::array<std::string_view, 3> reported;
      for (size_t level_idx = 0; level_idx < reported.size(); ++level_idx) {
        if (admin_columns[level_idx] < 0) continue;
        const Column& column = frame.columns[static_cast<size_t>(admin_columns[level_idx])];
        if (column.present[row]) reported[level_idx] = column.texts[row];
      }
      store::SiteArea area = store::MasterAreaOf(*listed->second, reported);
      for (size_t level_idx = 0; level_idx < area.size(); ++level_idx) {
        if (admin_columns[level_idx] < 0) continue;
        Column& column = frame.columns[static_cast<size_t>(admin_columns[level_idx])];
        column.present[row] = area[level_idx].empty() ? 0 : 1;
        column.texts[row] = std::move(area[level_idx]);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Frame EmptyFrame(const dictionary::Dictionary& dictionary, int round,
                 store::AssessmentType type) {
  return NewFrameOf(round, type, PlanColumns(dictionary));
}

void AppendBlankRow(Frame& frame, std::string site_id) {
  frame.site_ids.push_back(std::move(site_id));
  frame.submission_ids.push_back(0);
  for (Column& column : frame.columns) {
    column.present.push_back(0);
    switch (column.kind) {
      case ColumnKind::kInteger:
        column.integers.push_back(0);
        break;
      case ColumnKind::kNumber:
        column.numbers.push_back(0);
        break;
      case ColumnKind::kChoice:
        column.choices.push_back(0);
        break;
      case ColumnKind::kChoices:
        column.bitsets.push_back(0);
        break;
      case ColumnKind::kText:
        column.texts.emplace_back();
        break;
    }
  }
}

void CellText(const Column& column, const dictionary::ChoiceList* list, size_t row,
              std::string& text) {
  text.clear();
  if (!column.present[row]) return;
  switch (column.kind) {
    case ColumnKind::kInteger:
      text = std::to_string(column.integers[row]);
      break;
    case ColumnKind::kNumber:
      text = core::FormatNumber(column.numbers[row]);
      break;
    case ColumnKind::kChoice:
      if (list != nullptr) text = list->choices[column.choices[row]].name;
      break;
    case ColumnKind::kChoices:
      if (list == nullptr) break;
      for (size_t choice_idx = 0; choice_idx < list->choices.size(); ++choice_idx) {
        if ((column.bitsets[row] >> choice_idx) & 1) {
          if (!text.empty()) text += ' ';
          text += list->choices[choice_idx].name;
        }
      }
      break;
    case ColumnKind::kText:
      text = column.texts[row];
      break;
  }
}

std::vector<std::string> RowText(const Frame& frame, const dictionary::Dictionary& dictionary,
                                 size_t row) {
  std::vector<std::string> texts(frame.columns.size());
  for (size_t indicator_idx = 0; indicator_idx < frame.columns.size(); ++indicator_idx) {
    const Column& column = frame.columns[indicator_idx];
    const bool is_choice = column.kind == ColumnKind::kChoice || column.kind == ColumnKind::kChoices;
    CellText(column, is_choice ? dictionary.ListOf(dictionary.indicators()[indicator_idx]) : nullptr,
             row, texts[indicator_idx]);
  }
  return texts;
}

Result<std::vector<Frame>> LoadFrames(store::Store& store,
                                      const dictionary::Dictionary& dictionary,
                                      int64_t operation_id, int first_round, int last_round,
                                      std::span<const int> indicators) {
  const std::vector<ColumnPlan> plans = PlanColumns(dictionary);
  std::vector<int> read;  // the columns read from the store
  if (indicators.empty()) {
    for (size_t indicator_idx = 0; indicator_idx < plans.size(); ++indicator_idx) {
      read.push_back(static_cast<int>(indicator_idx));
    }
  } else {
    for (int indicator : indicators) {
      if (indicator >= 0 && static_cast<size_t>(indicator) < plans.size()) read.push_back(indicator);
    }
  }
  std::vector<Frame> frames;
  RETURN_IF_ERROR(store.VisitAcceptedSubmissions(
      operation_id, first_round, last_round,
      [&](const store::Submission& identity, const store::StoredValues& values) -> Status {
        if (frames.empty() || frames.back().round != identity.round ||
            frames.back().assessment_type != identity.assessment_type) {
          frames.push_back(NewFrameOf(identity.round, identity.assessment_type, plans));
        }
        Frame& frame = frames.back();
        frame.site_ids.push_back(identity.site_id);
        frame.submission_ids.push_back(identity.id);
        for (int indicator : read) {
          Append(plans[static_cast<size_t>(indicator)], values, indicator,
                 frame.columns[static_cast<size_t>(indicator)]);
        }
        return Status::Ok();
      }));
  RETURN_IF_ERROR(PutSitesInTheirMasterArea(store, dictionary, operation_id, read, frames));
  // The columns not read: every row absent.
  if (read.size() < plans.size()) {
    for (Frame& frame : frames) {
      const size_t rows = frame.rows();
      for (Column& column : frame.columns) {
        if (column.present.size() == rows) continue;
        column.present.assign(rows, 0);
        switch (column.kind) {
          case ColumnKind::kInteger:
            column.integers.assign(rows, 0);
            break;
          case ColumnKind::kNumber:
            column.numbers.assign(rows, 0);
            break;
          case ColumnKind::kChoice:
            column.choices.assign(rows, 0);
            break;
          case ColumnKind::kChoices:
            column.bitsets.assign(rows, 0);
            break;
          case ColumnKind::kText:
            column.texts.assign(rows, std::string());
            break;
        }
      }
    }
  }
  return frames;
}

}  // namespace opendtm::analysis
