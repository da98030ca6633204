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
  FigureColumns columns{dictionary.IndexOf("ind_total"),  dictionary.IndexOf("m_total"),
                        dictionary.IndexOf("f_total"),    dictionary.IndexOf("adm0_pcode"),
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

Result<std::vector<AdminFigureFrame>> AdminFigureFrames(std::span<const store::AdminFigure> figures,
                                                        const dictionary::Dictionary& dictionary,
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
    entry.frame = EmptyFrame(dictionary, entry.round,
                             store::ParseAssessmentType(entry.assessment_type)
                                 .value_or(store::AssessmentType::kSiteAssessment));
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
    if (sums.males && record.males)
      *sums.males += *record.males;
    else
      sums.males.reset();
    if (sums.females && record.females)
      *sums.females += *record.females;
    else
      sums.females.reset();
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

int AdminOfLevel(Level level) {
  switch (level) {
    case Level::kCountry:
      return 0;
    case Level::kAdmin1:
      return 1;
    case Level::kAdmin2:
      return 2;
    default:
      return -1;
  }
}

Result<std::vector<AdminAreaTotal>> AdminAreaTotals(std::span<const store::AdminFigure> figures,
                                                    Level level, int first_round, int last_round) {
  const int admin = AdminOfLevel(level);
  if (admin < 0) {
    return InvalidArgumentError(
        "admin-level figures are published at country, admin1 and admin2, "
        "not at " +
        std::string(LevelName(level)));
  }
  // 1. The finest level of each key (round, date, type), as AdminFigureFrames.
  using Key = std::tuple<int, std::string, std::string>;
  std::map<Key, int> finest;
  for (const store::AdminFigure& figure : figures) {
    if (figure.round < first_round || figure.round > last_round) continue;
    int& key_finest = finest[{figure.round, figure.reporting_date, figure.assessment_type}];
    key_finest = std::max(key_finest, figure.admin_level);
  }
  // 2. Its records added up per area at `level`, in id order within an area.
  std::map<std::tuple<int, std::string, std::string, std::string>, AdminAreaTotal> totals;
  for (const store::AdminFigure& figure : figures) {
    if (figure.round < first_round || figure.round > last_round) continue;
    const Key key{figure.round, figure.reporting_date, figure.assessment_type};
    const int key_finest = finest.at(key);
    if (figure.admin_level != key_finest || key_finest < admin) continue;
    auto [it, added] = totals.try_emplace(
        {figure.round, figure.reporting_date, figure.assessment_type, PcodeAt(figure, level)});
    AdminAreaTotal& total = it->second;
    if (added) {
      store::AdminFigure& area = total.figure;
      area.operation_id = figure.operation_id;
      area.admin_level = admin;
      area.operation_name = figure.operation_name;
      area.country_name = figure.country_name;
      area.country = figure.country;
      area.round = figure.round;
      area.reporting_date = figure.reporting_date;
      area.assessment_type = figure.assessment_type;
      if (admin >= 1) {
        area.admin1_pcode = figure.admin1_pcode;
        area.admin1_name = figure.admin1_name;
      }
      if (admin >= 2) {
        area.admin2_pcode = figure.admin2_pcode;
        area.admin2_name = figure.admin2_name;
      }
      area.males = figure.males;
      area.females = figure.females;
      area.num_present_idp_ind = figure.num_present_idp_ind;
      total.source_level = key_finest;
      total.records = 1;
      continue;
    }
    ++total.records;
    total.figure.num_present_idp_ind += figure.num_present_idp_ind;
    // A sum of the records that give the count (RollUp's rule: absent only
    // when no record gives it).
    for (auto [sum, part] : {std::pair{&total.figure.males, &figure.males},
                             std::pair{&total.figure.females, &figure.females}}) {
      if (*part) *sum = sum->value_or(0) + **part;
    }
  }
  std::vector<AdminAreaTotal> result;
  result.reserve(totals.size());
  for (auto& [key, total] : totals) result.push_back(std::move(total));
  return result;
}

std::map<std::string, std::string, std::less<>> PublishedAreaNames(
    std::span<const store::AdminFigure> figures) {
  std::map<std::string, std::string, std::less<>> names;
  for (const store::AdminFigure& figure : figures) {
    for (const auto& [pcode, name] : {std::pair{&figure.country, &figure.country_name},
                                      std::pair{&figure.admin1_pcode, &figure.admin1_name},
                                      std::pair{&figure.admin2_pcode, &figure.admin2_name}}) {
      if (!pcode->empty() && !name->empty()) names.try_emplace(*pcode, *name);
    }
  }
  return names;
}

}  // namespace opendtm::analysis
