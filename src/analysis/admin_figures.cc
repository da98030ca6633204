#include "analysis/admin_figures.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace opendtm::analysis {
namespace {

// The indicators a figure fills, by index.
struct FigureColumns {
  int individuals = -1;
  int males = -1;
  int females = -1;
  int admin0 = -1;
  int admin1 = -1;
  int admin2 = -1;
};

Result<FigureColumns> ResolveColumns(const dictionary::Dictionary& dictionary) {
  FigureColumns columns{dictionary.IndexOf("ind_total"), dictionary.IndexOf("m_total"),
                        dictionary.IndexOf("f_total"),   dictionary.IndexOf("adm0_pcode"),
                        dictionary.IndexOf("adm1_pcode"), dictionary.IndexOf("adm2_pcode")};
  for (int index : {columns.individuals, columns.males, columns.females, columns.admin0,
                    columns.admin1, columns.admin2}) {
    if (index < 0) {
      return InvalidArgumentError(
          "admin-level figures need the indicators ind_total, m_total, f_total, adm0_pcode, "
          "adm1_pcode and adm2_pcode in the dictionary");
    }
  }
  return columns;
}

void SetText(Frame& frame, int indicator, const std::string& text) {
  Column& column = frame.columns[static_cast<size_t>(indicator)];
  if (column.kind != ColumnKind::kText || text.empty()) return;
  column.texts.back() = text;
  column.present.back() = 1;
}

void SetCount(Frame& frame, int indicator, std::optional<int64_t> count) {
  Column& column = frame.columns[static_cast<size_t>(indicator)];
  if (!count) return;
  if (column.kind == ColumnKind::kInteger) {
    column.integers.back() = *count;
  } else if (column.kind == ColumnKind::kNumber) {
    column.numbers.back() = static_cast<double>(*count);
  } else {
    return;
  }
  column.present.back() = 1;
}

// The record's P-code at `level` (its own area or a parent's).
const std::string& PcodeAt(const store::AdminFigure& figure, Level level) {
  switch (level) {
    case Level::kAdmin2:
      return figure.admin2_pcode;
    case Level::kAdmin1:
      return figure.admin1_pcode;
    default:
      return figure.country;
  }
}

}  // namespace

Level LevelOfAdmin(int admin_level) {
  switch (admin_level) {
    case 2:
      return Level::kAdmin2;
    case 1:
      return Level::kAdmin1;
    default:
      return Level::kCountry;
  }
}

Result<std::vector<AdminFigureFrame>> AdminFigureFrames(
    std::span<const store::AdminFigure> figures, const dictionary::Dictionary& dictionary,
    int first_round, int last_round) {
  ASSIGN_OR_RETURN(FigureColumns columns, ResolveColumns(dictionary));
  // 1. The records of each key, in id order.
  using Key = std::tuple<int, std::string, std::string>;  // round, date, type
  std::map<Key, std::vector<const store::AdminFigure*>> by_key;
  for (const store::AdminFigure& figure : figures) {
    if (figure.round < first_round || figure.round > last_round) continue;
    by_key[{figure.round, figure.reporting_date, figure.assessment_type}].push_back(&figure);
  }
  // 2. Per key, the finest level's records as rows; the others kept beside.
  std::vector<AdminFigureFrame> frames;
  for (const auto& [key, records] : by_key) {
    AdminFigureFrame entry;
    entry.round = std::get<0>(key);
    entry.reporting_date = std::get<1>(key);
    entry.assessment_type = std::get<2>(key);
    for (const store::AdminFigure* record : records) {
      entry.finest_level = std::max(entry.finest_level, record->admin_level);
    }
    entry.frame = EmptyFrame(
        dictionary, entry.round,
        store::ParseAssessmentType(entry.assessment_type).value_or(store::AssessmentType::kSiteAssessment));
    for (const store::AdminFigure* record : records) {
      if (record->admin_level != entry.finest_level) {
        entry.coarser.push_back(*record);
        continue;
      }
      const Level level = LevelOfAdmin(record->admin_level);
      AppendBlankRow(entry.frame, std::string(LevelName(level)) + ":" + PcodeAt(*record, level));
      SetText(entry.frame, columns.admin0, record->country);
      SetText(entry.frame, columns.admin1, record->admin1_pcode);
      SetText(entry.frame, columns.admin2, record->admin2_pcode);
      SetCount(entry.frame, columns.individuals, record->num_present_idp_ind);
      SetCount(entry.frame, columns.males, record->males);
      SetCount(entry.frame, columns.females, record->females);
    }
    frames.push_back(std::move(entry));
  }
  return frames;
}

std::vector<FigureDisagreement> CompareWithPublished(const AdminFigureFrame& figures,
                                                     std::span<const AreaTotals> rollup,
                                                     Level level,
                                                     const dictionary::Dictionary& dictionary) {
  // Published sums per area at `level` (a key may publish several records per
  // area, e.g. one per displacement reason), null numbers apart.
  struct Published {
    std::optional<int64_t> individuals = 0;
    std::optional<int64_t> males = 0;
    std::optional<int64_t> females = 0;
  };
  std::map<std::string, Published> published;
  for (const store::AdminFigure& record : figures.coarser) {
    if (LevelOfAdmin(record.admin_level) != level) continue;
    Published& sums = published[PcodeAt(record, level)];
    *sums.individuals += record.num_present_idp_ind;
    if (sums.males && record.males) *sums.males += *record.males; else sums.males.reset();
    if (sums.females && record.females) *sums.females += *record.females; else sums.females.reset();
  }
  std::vector<FigureDisagreement> disagreements;
  for (const auto& [area, sums] : published) {
    const AreaTotals* summed = nullptr;
    for (const AreaTotals& candidate : rollup) {
      if (candidate.area == area && candidate.by.empty()) summed = &candidate;
    }
    const std::pair<const char*, std::optional<int64_t>> fields[] = {
        {"f_total", sums.females}, {"ind_total", sums.individuals}, {"m_total", sums.males}};
    for (const auto& [name, value] : fields) {
      if (!value) continue;
      const int indicator = dictionary.IndexOf(name);
      std::optional<int64_t> total;
      if (summed != nullptr && indicator >= 0 && summed->reporting[indicator] > 0) {
        total = static_cast<int64_t>(summed->sums[indicator]);
      }
      if (total == value) continue;
      disagreements.push_back({area, name, *value, total});
    }
  }
  return disagreements;
}

}  // namespace opendtm::analysis
