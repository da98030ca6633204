#include "cli/trends_command.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/admin_figures.h"
#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "analysis/trends.h"
#include "cli/analysis_output.h"
#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "core/csv_writer.h"
#include "store/records.h"

namespace opendtm::cli {
namespace {

int Usage(const Environment& environment, const std::string& problem,
          const char* usage = kTrendsUsage) {
  return AnalyzeUsage(environment, problem, usage);
}

// Trend entries as a CSV (with a `note` column) or an aligned table (with
// a note footer): the area (its P-code, name or site ID) first; an area
// named beside its P-code has the name in a column of its own.
void PrintTrendEntries(std::ostream& out, const std::string& format,
                       const nlohmann::ordered_json& list, std::string_view note,
                       const std::string& footer) {
  std::vector<std::vector<std::string>> rows;
  for (const nlohmann::ordered_json& entry : list) {
    const bool named = entry.contains("pcode") && entry.contains("name");
    if (rows.empty()) {
      std::vector<std::string> header = {"area"};
      if (named) header.emplace_back("name");
      for (const auto& [key, value] : entry.items()) {
        if (key != "level" && key != "pcode" && key != "name" && key != "site_id") {
          header.push_back(key);
        }
      }
      if (format == "csv") header.emplace_back("note");
      rows.push_back(header);
    }
    std::vector<std::string> row;
    for (const auto& [key, value] : entry.items()) {
      if (key == "level") continue;
      row.push_back(value.is_null()     ? ""
                    : value.is_string() ? value.get<std::string>()
                                        : value.dump());
    }
    if (format == "csv") row.emplace_back(note);
    rows.push_back(std::move(row));
  }
  if (format == "csv") {
    for (const auto& row : rows) out << core::CsvLine(row);
    return;
  }
  PrintAligned(out, rows);
  out << "\nnote: " << footer << "\n";
}

constexpr std::string_view kAdminFigureNote =
    "admin-level figures as published (DTM API records added up per area): no site, no risk index";

// Trends of an operation of admin-level figures: between each pair of
// consecutive published rounds of `type` (each reporting date its own), then
// over the whole range, per area (analysis::AdminFigureTrends).
int RunAdminFigureTrends(const CommandLine& line, const Environment& environment,
                         store::Store& store, const store::Operation& operation,
                         std::vector<store::AdminFigure> published, analysis::Level level,
                         store::AssessmentType type, const std::string& format) {
  if (analysis::AdminOfLevel(level) < 0) {
    return Usage(environment,
                 "'" + operation.name +
                     "' has admin-level figures: --level country, admin1 or "
                     "admin2",
                 kTrendsUsage);
  }
  std::pair<int, int> rounds{0, 1'000'000};
  if (*line.Flag("round") != "all") {
    Result<std::pair<int, int>> range = RoundRange(*line.Flag("round"), store, operation.id);
    if (!range.ok()) return Usage(environment, range.status().message(), kTrendsUsage);
    rounds = *range;
  }
  const std::string type_name(store::AssessmentTypeName(type));
  Result<std::vector<analysis::AdminAreaTotal>> totals =
      analysis::AdminAreaTotals(published, level, rounds.first, rounds.second);
  if (!totals.ok()) return Fail(environment, totals.status());
  // 1. The totals of each key of the type, in key order.
  std::vector<std::vector<analysis::AdminAreaTotal>> keys;
  for (analysis::AdminAreaTotal& total : *totals) {
    if (total.figure.assessment_type != type_name) continue;
    if (keys.empty() || keys.back().front().figure.round != total.figure.round ||
        keys.back().front().figure.reporting_date != total.figure.reporting_date) {
      keys.emplace_back();
    }
    keys.back().push_back(std::move(total));
  }
  if (keys.size() < 2) {
    return Fail(environment,
                NotFoundError("trends need two rounds of admin-level " + type_name +
                              " figures at " + std::string(analysis::LevelName(level)) + " in " +
                              *line.Flag("round") + " of '" + operation.name + "'"));
  }
  // 2. Names: the gazetteer's, else the records'.
  std::map<std::string, std::string, std::less<>> names = analysis::PublishedAreaNames(published);
  Result<std::vector<store::AdminAreaRecord>> gazetteer = store.AdminAreas(operation.country);
  if (!gazetteer.ok()) return Fail(environment, gazetteer.status());
  for (const store::AdminAreaRecord& area : *gazetteer) names[area.pcode] = area.name;
  // 3. Consecutive keys, then the first against the last.
  std::vector<std::pair<size_t, size_t>> comparisons;
  for (size_t key_idx = 0; key_idx + 1 < keys.size(); ++key_idx) {
    comparisons.emplace_back(key_idx, key_idx + 1);
  }
  if (keys.size() > 2) comparisons.emplace_back(0, keys.size() - 1);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (size_t comparison = 0; comparison < comparisons.size(); ++comparison) {
    const auto& before = keys[comparisons[comparison].first];
    const auto& after = keys[comparisons[comparison].second];
    for (const analysis::AdminAreaTrend& trend : analysis::AdminFigureTrends(before, after)) {
      nlohmann::ordered_json entry;
      entry["level"] = std::string(analysis::LevelName(level));
      entry["pcode"] = trend.area;
      auto name = names.find(trend.area);
      entry["name"] =
          name == names.end() ? nlohmann::ordered_json() : nlohmann::ordered_json(name->second);
      entry["comparison"] =
          comparison + 1 == comparisons.size() && keys.size() > 2 ? "range" : "consecutive";
      entry["from_round"] = before.front().figure.round;
      entry["to_round"] = after.front().figure.round;
      entry["assessment_type"] = type_name;
      entry["source"] = "admin_figures";
      entry["records_before"] = trend.records_before;
      entry["records_after"] = trend.records_after;
      entry["new_area"] = trend.new_area;
      entry["no_longer_published"] = trend.no_longer_published;
      entry["people_before"] = trend.people_before;
      entry["people_after"] = trend.people_after;
      entry["people_change"] = trend.people_after - trend.people_before;
      list.push_back(std::move(entry));
    }
  }
  if (format == "json") {
    nlohmann::ordered_json document;
    document["operation"] = operation.name;
    document["country"] = operation.country;
    document["source"] = "admin_figures";
    document["note"] = std::string(kAdminFigureNote);
    document["trends"] = list;
    *environment.out << document.dump(2) << "\n";
    return 0;
  }
  PrintTrendEntries(*environment.out, format, list, kAdminFigureNote,
                    std::string(kAdminFigureNote));
  return 0;
}

int RunTrendsBody(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation",
                                           "country", "round", "level", "type", "format"});
      !known.ok()) {
    return Usage(environment, known.message(), kTrendsUsage);
  }
  if (line.positional().size() != 2) {
    return Usage(environment, "analyze trends takes no arguments", kTrendsUsage);
  }
  if (!line.Flag("operation")) {
    return Usage(environment, "--operation NAME is required", kTrendsUsage);
  }
  if (!line.Flag("round")) return Usage(environment, "--round A-B|all is required", kTrendsUsage);
  std::optional<analysis::Level> level = ParseLevel(line.Flag("level").value_or(""));
  if (!level) {
    return Usage(environment, "--level must be site, admin3, admin2, admin1 or country",
                 kTrendsUsage);
  }
  store::AssessmentType type = store::AssessmentType::kSiteAssessment;
  if (std::optional<std::string> text = line.Flag("type")) {
    std::optional<store::AssessmentType> parsed = store::ParseAssessmentType(*text);
    if (!parsed) return Usage(environment, "--type must be SA, BA or ETT", kTrendsUsage);
    type = *parsed;
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kTrendsUsage);
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const dictionary::Dictionary& dictionary = opened->dictionary;
  Result<store::Operation> operation = ResolveOperation(*opened->store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<std::pair<int, int>> rounds =
      RoundRange(*line.Flag("round"), *opened->store, operation->id);
  if (!rounds.ok()) return Usage(environment, rounds.status().message(), kTrendsUsage);
  Result<std::vector<analysis::Frame>> frames = analysis::LoadFrames(
      *opened->store, dictionary, operation->id, rounds->first, rounds->second);
  if (!frames.ok()) return Fail(environment, frames.status());
  std::vector<const analysis::Frame*> of_type;  // by round
  for (const analysis::Frame& frame : *frames) {
    if (frame.assessment_type == type) of_type.push_back(&frame);
  }
  if (of_type.size() < 2) {
    // An operation of admin-level figures has no round of site data.
    Result<std::vector<store::Round>> site_rounds = opened->store->ListRounds(operation->id);
    if (!site_rounds.ok()) return Fail(environment, site_rounds.status());
    Result<std::vector<store::AdminFigure>> published = opened->store->AdminFigures(operation->id);
    if (!published.ok()) return Fail(environment, published.status());
    if (site_rounds->empty() && !published->empty()) {
      return RunAdminFigureTrends(line, environment, *opened->store, *operation,
                                  std::move(*published), *level, type, format);
    }
    return Fail(environment,
                NotFoundError("trends need two rounds with accepted " +
                              std::string(store::AssessmentTypeName(type)) + " submissions in " +
                              *line.Flag("round") + " of '" + operation->name + "'"));
  }
  Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(dictionary);
  if (!index.ok()) return Fail(environment, index.status());
  Result<std::set<std::string, std::less<>>> pcodes = KnownPcodes(*opened->store, *operation);
  if (!pcodes.ok()) return Fail(environment, pcodes.status());

  const int64_t today = core::DaysSinceEpoch(Today());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  // Consecutive rounds, then (over more than two rounds) the whole range: its
  // first round against its last.
  std::vector<std::pair<const analysis::Frame*, const analysis::Frame*>> comparisons;
  for (size_t pair = 0; pair + 1 < of_type.size(); ++pair) {
    comparisons.emplace_back(of_type[pair], of_type[pair + 1]);
  }
  if (of_type.size() > 2) comparisons.emplace_back(of_type.front(), of_type.back());
  for (size_t comparison = 0; comparison < comparisons.size(); ++comparison) {
    const analysis::Frame& before = *comparisons[comparison].first;
    const analysis::Frame& after = *comparisons[comparison].second;
    const bool over_range = comparison + 1 == comparisons.size() && of_type.size() > 2;
    Result<std::vector<analysis::AreaTrend>> trends =
        analysis::Trends(before, after, dictionary, *index, *level, today);
    if (!trends.ok()) return Fail(environment, trends.status());
    for (const analysis::AreaTrend& trend : *trends) {
      nlohmann::ordered_json entry;
      entry["level"] = std::string(analysis::LevelName(*level));
      PutArea(entry, *level, trend.area, *pcodes);
      entry["comparison"] = over_range ? "range" : "consecutive";
      entry["from_round"] = before.round;
      entry["to_round"] = after.round;
      entry["assessment_type"] = std::string(store::AssessmentTypeName(type));
      entry["sites_before"] = trend.sites_before;
      entry["sites_after"] = trend.sites_after;
      entry["new_sites"] = trend.new_sites;
      entry["closed_sites"] = trend.closed_sites;
      entry["people_before"] = trend.people_before;
      entry["people_after"] = trend.people_after;
      entry["people_change"] = trend.people_after - trend.people_before;
      entry["moved_up"] = trend.moved_up;
      entry["moved_down"] = trend.moved_down;
      entry["to_very_high"] = trend.to_very_high;
      entry["mean_score_change"] = JsonNumber(trend.mean_score_change, 1);
      list.push_back(std::move(entry));
    }
  }
  if (format == "json") {
    nlohmann::ordered_json document;
    document["operation"] = operation->name;
    document["country"] = operation->country;
    document["note"] = std::string(analysis::kRiskNote);
    document["trends"] = list;
    *environment.out << document.dump(2) << "\n";
    return 0;
  }
  PrintTrendEntries(*environment.out, format, list, analysis::kRiskNote,
                    "moved_up, moved_down and to_very_high compare GBV risk bands. " +
                        std::string(analysis::kRiskNote));
  return 0;
}

}  // namespace

int RunTrendsCommand(const CommandLine& line, const Environment& environment) {
  ReadNeeds needs{"trends", store::Tier::kProtection,
                  "risk score changes per site and area are sensitive (spec/disclosure.md)", false};
  return RunDisclosedRead(line, environment, needs,
                          [&line](const Environment& inner, const DisclosedRead&) {
                            return RunTrendsBody(line, inner);
                          });
}

}  // namespace opendtm::cli
