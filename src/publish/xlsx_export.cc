#include "publish/xlsx_export.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "core/private_file.h"
#include "core/sha256.h"
#include "publish/internal/release_table.h"
#include "publish/suppression_report.h"
#include "store/records.h"
#include "xlsx/workbook_writer.h"

namespace opendtm::publish {
namespace {

using disclosure::Release;
using disclosure::ReleaseRow;
using internal::FieldKind;
using internal::TableField;
using xlsx::SheetCell;

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

// A cell of a level sheet: numbers as numbers, the rest as FieldText says.
SheetCell CellOf(const Release& release, const TableField& field, const ReleaseRow& row) {
  switch (field.kind) {
    case FieldKind::kRound:
      return SheetCell::Number(row.round);
    case FieldKind::kSites:
      return SheetCell::Number(static_cast<double>(row.sites));
    case FieldKind::kLatitude:
      return internal::HasPoint(row) ? SheetCell::Number(*row.latitude) : SheetCell{};
    case FieldKind::kLongitude:
      return internal::HasPoint(row) ? SheetCell::Number(*row.longitude) : SheetCell{};
    case FieldKind::kValue: {
      const disclosure::ReleaseColumn& column = release.columns[field.column];
      const disclosure::ReleaseCell& cell = row.cells[field.column];
      if (!disclosure::ColumnApplies(column, row.level) ||
          cell.state != disclosure::CellState::kValue) {
        return SheetCell{};
      }
      if (column.kind == disclosure::ValueKind::kInteger) {
        return SheetCell::Number(static_cast<double>(cell.integer));
      }
      if (column.kind == disclosure::ValueKind::kNumber) {
        return std::isfinite(cell.number) ? SheetCell::Number(cell.number) : SheetCell{};
      }
      return SheetCell::Text(cell.text);
    }
    default:
      return SheetCell::Text(internal::FieldText(release, field, row));
  }
}

std::vector<std::vector<SheetCell>> LevelSheet(const Release& release,
                                               const internal::ReleaseTable& table,
                                               bool hashtag_row) {
  std::vector<std::vector<SheetCell>> sheet;
  sheet.reserve(table.rows.size() + 2);
  std::vector<SheetCell> header;
  for (const TableField& field : table.fields) header.push_back(SheetCell::Text(field.name));
  sheet.push_back(std::move(header));
  if (hashtag_row) {
    std::vector<SheetCell> hashtags;
    for (const TableField& field : table.fields) hashtags.push_back(SheetCell::Text(field.hxl));
    sheet.push_back(std::move(hashtags));
  }
  for (const ReleaseRow* row : table.rows) {
    std::vector<SheetCell> cells;
    cells.reserve(table.fields.size());
    for (const TableField& field : table.fields) cells.push_back(CellOf(release, field, *row));
    sheet.push_back(std::move(cells));
  }
  return sheet;
}

// The README sheet (header comment says what it holds and in which order).
std::vector<std::vector<std::string>> ReadmeSheet(const Release& release,
                                                  std::span<const analysis::Level> levels,
                                                  const XlsxOptions& options) {
  const disclosure::TierRules& rules = release.rules;
  std::vector<std::vector<std::string>> sheet = {{"what", "value"}};
  sheet.push_back({"source", "OpenDTM release of Displacement Tracking Matrix (DTM) figures"});
  for (const std::string& operation : release.operations) sheet.push_back({"operation", operation});
  std::vector<std::string> rounds;
  for (int round : release.rounds) rounds.push_back(std::to_string(round));
  sheet.push_back({"rounds", Join(rounds, ", ")});
  std::vector<std::string> level_names;
  for (analysis::Level level : levels) level_names.emplace_back(analysis::LevelName(level));
  sheet.push_back({"levels", Join(level_names, ", ")});
  sheet.push_back({"tier", std::string(store::TierName(release.tier))});
  sheet.push_back(
      {"policy version", std::to_string(release.policy_version) +
                             (release.policy_version == 0 ? " (built-in default)" : "")});
  sheet.push_back({"dictionary version", release.dictionary_version});
  sheet.push_back({"generated at", options.generated_at});
  sheet.push_back({"purpose", options.purpose});
  sheet.push_back({});
  sheet.push_back({"suppression legend"});
  if (rules.suppressed) {
    sheet.push_back(
        {"empty cells", "A suppressed figure is left empty, never written as 0, with \"" +
                            std::string(internal::kSuppressedFlag) +
                            "\" in the column <column>__flag. An empty figure without a flag means "
                            "no site reported a value."});
    sheet.push_back(
        {std::string(internal::kSuppressedFlag),
         "Withheld to protect people: a figure over fewer than " + std::to_string(rules.k_sites) +
             " sites (k_sites), a count of people below " + std::to_string(rules.k_people) +
             " (k_people), a distribution that would reveal each site's answer, or "
             "a figure withheld so that none of those can be deduced from the "
             "others. The reason is not given: it would tell the reader a range."});
    sheet.push_back({"k_sites", std::to_string(rules.k_sites)});
    sheet.push_back({"k_people", std::to_string(rules.k_people)});
    sheet.push_back(
        {"cells suppressed", std::to_string(SuppressedCells(release)) + " (whole release)"});
  } else {
    sheet.push_back({"suppression", "none: tier " + std::string(store::TierName(release.tier)) +
                                        " receives unsuppressed figures (spec/disclosure.md)"});
  }
  sheet.push_back({"rounding", rules.rounding_base > 1
                                   ? "people counts rounded to the nearest multiple of " +
                                         std::to_string(rules.rounding_base)
                                   : "none"});
  if (release.microdata) {
    const disclosure::MicrodataReport& microdata = *release.microdata;
    sheet.push_back({});
    sheet.push_back({"microdata gate"});
    sheet.push_back({"k-anonymity k", std::to_string(microdata.k)});
    sheet.push_back({"quasi-identifiers", Join(microdata.quasi_identifiers, ", ")});
    sheet.push_back({"site rows checked", std::to_string(microdata.records)});
    sheet.push_back(
        {"generalised (shown one admin level up)", std::to_string(microdata.generalised)});
    sheet.push_back({"withheld", std::to_string(microdata.withheld)});
  }
  return sheet;
}

}  // namespace

Result<ExportSummary> ExportXlsx(const Release& release, const XlsxOptions& options,
                                 const std::string& path) {
  ASSIGN_OR_RETURN(internal::ReleaseTable all, internal::LayOutTable(release, options.levels));
  // Owner-only from its first byte: libxlsxwriter truncates the file it
  // finds and keeps its mode; set again after Close in case it replaced it.
  RETURN_IF_ERROR(core::CreatePrivateFile(path));
  ASSIGN_OR_RETURN(xlsx::WorkbookWriter writer, xlsx::WorkbookWriter::Create(path));
  for (analysis::Level level : all.levels) {
    const analysis::Level one[] = {level};
    ASSIGN_OR_RETURN(internal::ReleaseTable table, internal::LayOutTable(release, one));
    RETURN_IF_ERROR(writer.AddTypedSheet(analysis::LevelName(level),
                                         LevelSheet(release, table, options.hashtag_row),
                                         {.bold_header = true}));
  }
  RETURN_IF_ERROR(
      writer.AddSheet("README", ReadmeSheet(release, all.levels, options), {.bold_header = true}));
  RETURN_IF_ERROR(writer.Close());
  RETURN_IF_ERROR(core::SetOwnerOnly(path));
  ExportSummary summary;
  summary.rows = static_cast<int64_t>(all.rows.size());
  summary.columns = all.columns;
  ASSIGN_OR_RETURN(summary.sha256, core::Sha256HexOfFile(path));
  return summary;
}

}  // namespace opendtm::publish
