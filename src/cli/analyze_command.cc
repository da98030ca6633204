#include "cli/analyze_command.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "analysis/admin_figures.h"
#include "analysis/area_risk.h"
#include "analysis/frame.h"
#include "analysis/regions.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "analysis/trends.h"
#include "cli/disclosed_read.h"
#include "cli/site_data_release.h"
#include "cli/store_access.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "publish/csv_export.h"
#include "publish/json_export.h"
#include "store/records.h"

namespace opendtm::cli {
namespace {

constexpr int kExitUsage = 2;
constexpr const char* kRiskUsage =
    "dtm analyze risk --operation OP [--country ISO3] --round N [--type SA|BA|ETT] "
    "[--band BAND,… | --level site|admin3|admin2|admin1|country] [--format table|csv|json] "
    "[--db PATH]";
constexpr const char* kRollupUsage =
    "dtm analyze rollup --operation OP [--country ISO3] --round N|A-B|all "
    "--level site|admin3|admin2|admin1|country [--by INDICATOR] [--where INDICATOR=VALUE[,…]] "
    "[--format table|csv|json] [--db PATH]\n"
    "       dtm analyze rollup --level region|global [--operation OP] [--round latest] "
    "[--type SA|BA|ETT] [--regions FILE] [--by …] [--where …] [--format …]";

constexpr const char* kTrendsUsage =
    "dtm analyze trends --operation OP [--country ISO3] --round A-B|all "
    "--level site|admin3|admin2|admin1|country [--type SA|BA|ETT] [--format table|csv|json] "
    "[--db PATH]";

int Usage(const Environment& environment, const std::string& problem,
          const char* usage = kRiskUsage) {
  *environment.err << "dtm: " << problem << "\nusage: " << usage << "\n";
  return kExitUsage;
}

// Fixed-point text with `decimals` places ("62.5", "0.870").
std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}
std::string Fixed(const std::optional<double>& value, int decimals) {
  return value ? Fixed(*value, decimals) : std::string();
}
// The same rounding as Fixed, as a JSON number (null when absent).
nlohmann::ordered_json JsonNumber(const std::optional<double>& value, int decimals) {
  if (!value) return nullptr;
  return std::stod(Fixed(*value, decimals));
}

// Rows as a table: columns padded to their widest cell, two spaces apart.
void PrintAligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t column = 0; column < row.size(); ++column) {
      line += row[column];
      if (column + 1 < row.size()) line += std::string(widths[column] - row[column].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

// The P-codes an area name may be (the country's gazetteer and the country
// itself, the country level's code): any other area is one the ingest kept by
// name. Errors: from the store.
Result<std::set<std::string, std::less<>>> KnownPcodes(store::Store& store,
                                                       const store::Operation& operation) {
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(operation.country));
  std::set<std::string, std::less<>> pcodes;
  for (const store::AdminAreaRecord& area : areas) pcodes.insert(area.pcode);
  pcodes.insert(operation.country);
  return pcodes;
}

// Names the area in `object`: "site_id" at the site level, else "pcode" (null
// for sites without an area at the level) or "name" (an area kept by name).
void PutArea(nlohmann::ordered_json& object, analysis::Level level, const std::string& area,
             const std::set<std::string, std::less<>>& pcodes) {
  if (level == analysis::Level::kSite) {
    object["site_id"] = area;
  } else if (area.empty() || pcodes.contains(area)) {
    object["pcode"] = area.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(area);
  } else {
    object["name"] = area;
  }
}

struct ScoredSite {
  std::string site_id;
  analysis::SiteRisk risk;
};

std::string TopItemsText(const dictionary::Dictionary& dictionary,
                         const std::vector<analysis::RiskItem>& items) {
  std::string text;
  for (const analysis::RiskItem& item : items) {
    if (!text.empty()) text += "; ";
    text += dictionary.indicators()[item.indicator].name + "=" + item.answer + " (" +
            std::to_string(item.points) + ")";
  }
  return text;
}

void PrintTable(std::ostream& out, const dictionary::Dictionary& dictionary,
                const std::vector<ScoredSite>& sites,
                const std::array<int, 5>& per_band) {
  std::vector<std::vector<std::string>> rows = {{"site_id", "score", "band", "coverage", "layout",
                                                 "security", "participation", "services",
                                                 "top items"}};
  for (const ScoredSite& site : sites) {
    std::vector<std::string> row = {site.site_id, Fixed(site.risk.score, 1),
                                    std::string(analysis::RiskBandName(site.risk.band)),
                                    Fixed(site.risk.coverage, 3)};
    for (const analysis::DomainScore& domain : site.risk.domains) {
      row.push_back(Fixed(domain.score, 1));
    }
    row.push_back(TopItemsText(dictionary, site.risk.top_items));
    rows.push_back(std::move(row));
  }
  PrintAligned(out, rows);
  out << "\n" << sites.size() << " sites:";
  for (size_t band = 0; band < per_band.size(); ++band) {
    out << (band > 0 ? "," : "") << " "
        << analysis::RiskBandName(static_cast<analysis::RiskBand>(band)) << " " << per_band[band];
  }
  out << "\nnote: " << analysis::kRiskNote << "\n";
}

void PrintCsv(std::ostream& out, const dictionary::Dictionary& dictionary, int round,
              const std::vector<ScoredSite>& sites) {
  out << core::CsvLine({"site_id", "round", "score", "band", "coverage", "layout", "security",
                        "participation", "services", "top_items", "note"});
  for (const ScoredSite& site : sites) {
    std::vector<std::string> row = {site.site_id, std::to_string(round), Fixed(site.risk.score, 1),
                                    std::string(analysis::RiskBandName(site.risk.band)),
                                    Fixed(site.risk.coverage, 3)};
    for (const analysis::DomainScore& domain : site.risk.domains) {
      row.push_back(Fixed(domain.score, 1));
    }
    row.push_back(TopItemsText(dictionary, site.risk.top_items));
    row.emplace_back(analysis::kRiskNote);
    out << core::CsvLine(row);
  }
}

void PrintJson(std::ostream& out, const dictionary::Dictionary& dictionary,
               const store::Operation& operation, int round, store::AssessmentType type,
               const std::vector<ScoredSite>& sites, const std::array<int, 5>& per_band) {
  nlohmann::ordered_json document;
  document["operation"] = operation.name;
  document["country"] = operation.country;
  document["round"] = round;
  document["assessment_type"] = std::string(store::AssessmentTypeName(type));
  document["note"] = std::string(analysis::kRiskNote);
  nlohmann::ordered_json bands = nlohmann::ordered_json::object();
  for (size_t band = 0; band < per_band.size(); ++band) {
    bands[std::string(analysis::RiskBandName(static_cast<analysis::RiskBand>(band)))] =
        per_band[band];
  }
  document["bands"] = bands;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ScoredSite& site : sites) {
    nlohmann::ordered_json entry;
    entry["site_id"] = site.site_id;
    entry["round"] = round;
    entry["score"] = JsonNumber(site.risk.score, 1);
    entry["band"] = std::string(analysis::RiskBandName(site.risk.band));
    entry["coverage"] = JsonNumber(site.risk.coverage, 3);
    nlohmann::ordered_json domains;
    for (const analysis::DomainScore& domain : site.risk.domains) {
      domains[std::string(dictionary::RiskDomainName(domain.domain))] =
          JsonNumber(domain.score, 1);
    }
    entry["domains"] = domains;
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (const analysis::RiskItem& item : site.risk.top_items) {
      items.push_back({{"item", dictionary.indicators()[item.indicator].name},
                       {"answer", item.answer},
                       {"points", item.points}});
    }
    entry["top_items"] = items;
    list.push_back(std::move(entry));
  }
  document["sites"] = list;
  out << document.dump(2) << "\n";
}

std::optional<analysis::Level> ParseLevel(std::string_view word) {
  for (analysis::Level level : {analysis::Level::kSite, analysis::Level::kAdmin3,
                                analysis::Level::kAdmin2, analysis::Level::kAdmin1,
                                analysis::Level::kCountry}) {
    if (analysis::LevelName(level) == word) return level;
  }
  return std::nullopt;
}

// The risk index by area (analysis/area_risk.h), in the chosen format.
void PrintAreaRisk(std::ostream& out, const std::string& format, const store::Operation& operation,
                   int round, store::AssessmentType type, analysis::Level level,
                   const std::vector<analysis::AreaRisk>& areas,
                   const std::set<std::string, std::less<>>& pcodes) {
  auto band_name = [](size_t band) {
    return std::string(analysis::RiskBandName(static_cast<analysis::RiskBand>(band)));
  };
  if (format == "json") {
    nlohmann::ordered_json document;
    document["operation"] = operation.name;
    document["country"] = operation.country;
    document["round"] = round;
    document["assessment_type"] = std::string(store::AssessmentTypeName(type));
    document["level"] = std::string(analysis::LevelName(level));
    document["note"] = std::string(analysis::kRiskNote);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const analysis::AreaRisk& area : areas) {
      nlohmann::ordered_json entry;
      PutArea(entry, level, area.area, pcodes);
      entry["sites"] = area.sites;
      nlohmann::ordered_json bands;
      for (size_t band = 0; band < area.sites_per_band.size(); ++band) {
        bands[band_name(band)] = area.sites_per_band[band];
      }
      entry["bands"] = bands;
      entry["mean_score"] = JsonNumber(area.mean_score, 1);
      entry["weighted_mean_score"] = JsonNumber(area.weighted_mean_score, 1);
      entry["people_in_high_or_very_high"] = area.people_high_or_very_high;
      entry["women_and_girls_in_high_or_very_high"] = area.women_and_girls_high_or_very_high;
      list.push_back(std::move(entry));
    }
    document["areas"] = list;
    out << document.dump(2) << "\n";
    return;
  }
  std::vector<std::string> header = {"area", "sites"};
  for (size_t band = 0; band < 5; ++band) header.push_back(band_name(band));
  for (const char* name : {"mean_score", "weighted_mean_score", "people_in_high_or_very_high",
                           "women_and_girls_in_high_or_very_high"}) {
    header.emplace_back(name);
  }
  if (format == "csv") header.emplace_back("note");
  std::vector<std::vector<std::string>> rows = {header};
  for (const analysis::AreaRisk& area : areas) {
    std::vector<std::string> row = {area.area, std::to_string(area.sites)};
    for (int64_t count : area.sites_per_band) row.push_back(std::to_string(count));
    row.push_back(Fixed(area.mean_score, 1));
    row.push_back(Fixed(area.weighted_mean_score, 1));
    row.push_back(std::to_string(area.people_high_or_very_high));
    row.push_back(std::to_string(area.women_and_girls_high_or_very_high));
    if (format == "csv") row.emplace_back(analysis::kRiskNote);
    rows.push_back(std::move(row));
  }
  if (format == "csv") {
    for (const auto& row : rows) out << core::CsvLine(row);
    return;
  }
  PrintAligned(out, rows);
  out << "\nnote: " << analysis::kRiskNote << "\n";
}

int RunRiskBody(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation",
                                           "country", "round", "type", "band", "format", "level"});
      !known.ok()) {
    return Usage(environment, known.message());
  }
  if (line.positional().size() != 2) return Usage(environment, "analyze risk takes no arguments");
  if (!line.Flag("operation")) return Usage(environment, "--operation NAME is required");
  std::optional<std::string> round_text = line.Flag("round");
  std::optional<int64_t> round = round_text ? core::ParseInteger(*round_text) : std::nullopt;
  if (!round || *round < 0 || *round > 1'000'000) {
    return Usage(environment, "--round N is required (a round number)");
  }
  store::AssessmentType type = store::AssessmentType::kSiteAssessment;
  if (std::optional<std::string> text = line.Flag("type")) {
    std::optional<store::AssessmentType> parsed = store::ParseAssessmentType(*text);
    if (!parsed) return Usage(environment, "--type must be SA, BA or ETT");
    type = *parsed;
  }
  std::set<analysis::RiskBand> wanted;
  for (const std::string& name : line.ListFlag("band")) {
    bool known_band = false;
    for (int band = 0; band <= static_cast<int>(analysis::RiskBand::kInsufficientData); ++band) {
      if (analysis::RiskBandName(static_cast<analysis::RiskBand>(band)) == name) {
        wanted.insert(static_cast<analysis::RiskBand>(band));
        known_band = true;
      }
    }
    if (!known_band) {
      return Usage(environment, "--band: unknown band '" + name +
                                    "' (very_high, high, medium, lower, insufficient_data)");
    }
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json");
  }
  std::optional<analysis::Level> level;
  if (std::optional<std::string> text = line.Flag("level")) {
    level = ParseLevel(*text);
    if (!level) {
      return Usage(environment, "--level must be site, admin3, admin2, admin1 or country");
    }
    if (!wanted.empty()) return Usage(environment, "--band lists sites: it takes no --level");
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const dictionary::Dictionary& dictionary = opened->dictionary;
  Result<store::Operation> operation = ResolveOperation(*opened->store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<analysis::RiskIndex> index = analysis::RiskIndex::Create(dictionary);
  if (!index.ok()) return Fail(environment, index.status());
  const int round_number = static_cast<int>(*round);
  Result<std::vector<analysis::Frame>> frames =
      analysis::LoadFrames(*opened->store, dictionary, operation->id, round_number, round_number);
  if (!frames.ok()) return Fail(environment, frames.status());
  const analysis::Frame* frame = nullptr;
  for (const analysis::Frame& candidate : *frames) {
    if (candidate.assessment_type == type) frame = &candidate;
  }
  if (frame == nullptr) {
    return Fail(environment,
                NotFoundError("no accepted " + std::string(store::AssessmentTypeName(type)) +
                              " submission in round " + std::to_string(round_number) + " of '" +
                              operation->name + "'"));
  }

  const int64_t today = core::DaysSinceEpoch(Today());
  Result<analysis::FrameRisk> risks =
      index->ScoreFrame(*frame, today, std::thread::hardware_concurrency());
  if (!risks.ok()) return Fail(environment, risks.status());
  if (level) {
    Result<std::vector<analysis::AreaRisk>> areas =
        analysis::RiskByArea(*frame, dictionary, *risks, *level);
    if (!areas.ok()) return Fail(environment, areas.status());
    Result<std::set<std::string, std::less<>>> pcodes = KnownPcodes(*opened->store, *operation);
    if (!pcodes.ok()) return Fail(environment, pcodes.status());
    PrintAreaRisk(*environment.out, format, *operation, round_number, type, *level, *areas,
                  *pcodes);
    return 0;
  }
  std::vector<ScoredSite> sites;
  std::array<int, 5> per_band = {};
  for (size_t row = 0; row < frame->rows(); ++row) {
    if (!wanted.empty() && !wanted.contains(risks->band[row])) continue;
    Result<analysis::SiteRisk> detail = index->ScoreRow(*frame, row, today);
    if (!detail.ok()) return Fail(environment, detail.status());
    analysis::SiteRisk& risk = *detail;
    ++per_band[static_cast<size_t>(risk.band)];
    sites.push_back({frame->site_ids[row], std::move(risk)});
  }
  if (format == "json") {
    PrintJson(*environment.out, dictionary, *operation, round_number, type, sites, per_band);
  } else if (format == "csv") {
    PrintCsv(*environment.out, dictionary, round_number, sites);
  } else {
    PrintTable(*environment.out, dictionary, sites, per_band);
  }
  return 0;
}

int RunRisk(const CommandLine& line, const Environment& environment) {
  ReadNeeds needs{"risk", store::Tier::kProtection,
                  "site risk scores are sensitive (spec/disclosure.md); lower tiers get the "
                  "number of sites per risk band by area, suppressed, from dtm analyze rollup "
                  "or dtm export (gbv_risk_band=…)",
                  false};
  return RunDisclosedRead(
      line, environment, needs,
      [&line](const Environment& inner, const DisclosedRead&) { return RunRiskBody(line, inner); });
}

// A share with four decimals (0 when the denominator is 0).
double Share(double part, double whole) {
  return whole > 0 ? std::stod(Fixed(part / whole, 4)) : 0;
}

// One area's figures as the JSON object of `dtm analyze rollup`.
nlohmann::ordered_json AreaJson(const dictionary::Dictionary& dictionary, analysis::Level level,
                                const nlohmann::ordered_json& round, std::string_view type,
                                const analysis::AreaTotals& area,
                                const std::set<std::string, std::less<>>& pcodes,
                                const std::string& by, std::string_view source = "sites") {
  nlohmann::ordered_json object;
  object["level"] = std::string(analysis::LevelName(level));
  if (level == analysis::Level::kRegion || level == analysis::Level::kGlobal) {
    object["name"] = area.area;
  } else {
    PutArea(object, level, area.area, pcodes);
  }
  // The split: the indicator's name and the group's answer (null: none).
  if (!by.empty()) {
    object["by"] = by;
    object["by_value"] = area.by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(area.by);
  }
  object["round"] = round;
  object["assessment_type"] = std::string(type);
  // Where the numbers come from: site submissions, or the admin-level figures
  // published for the round (DTM API records).
  object["source"] = std::string(source);
  object["sites"] = area.sites;
  const std::vector<dictionary::Indicator>& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const dictionary::Indicator& indicator = indicators[indicator_idx];
    if (!area.answer_sites[indicator_idx].empty()) {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      nlohmann::ordered_json answers = nlohmann::ordered_json::object();
      const std::vector<int64_t>& sites = area.answer_sites[indicator_idx];
      for (size_t slot = 0; slot < sites.size(); ++slot) {
        const std::string answer = slot + 1 < sites.size() ? list->choices[slot].name : "missing";
        answers[answer] = {{"sites", sites[slot]},
                           {"share_of_sites", Share(static_cast<double>(sites[slot]),
                                                    static_cast<double>(area.sites))},
                           {"share_of_people",
                            Share(area.answer_people[indicator_idx][slot], area.people)}};
      }
      object[indicator.name] = answers;
    } else if (indicator.aggregate == dictionary::Aggregate::kSum &&
               indicator.type == dictionary::ValueType::kInteger) {
      object[indicator.name] = area.reporting[indicator_idx] > 0
                                   ? nlohmann::ordered_json(
                                         static_cast<int64_t>(area.sums[indicator_idx]))
                                   : nlohmann::ordered_json(nullptr);
    } else if (indicator.aggregate == dictionary::Aggregate::kSum &&
               indicator.type == dictionary::ValueType::kDecimal) {
      object[indicator.name] = area.reporting[indicator_idx] > 0
                                   ? nlohmann::ordered_json(area.sums[indicator_idx])
                                   : nlohmann::ordered_json(nullptr);
    }
  }
  return object;
}

// The region table of --regions FILE, else $OPENDTM_REGIONS, else the one
// shipped in reference/regions.csv.
Result<analysis::RegionTable> LoadRegions(const CommandLine& line) {
  std::string path = std::string(OPENDTM_SOURCE_DIR) + "/reference/regions.csv";
  if (const char* from_environment = std::getenv("OPENDTM_REGIONS");
      from_environment != nullptr && *from_environment != '\0') {
    path = from_environment;
  }
  if (std::optional<std::string> flag = line.Flag("regions")) path = *flag;
  return analysis::RegionTable::Load(path);
}

// --level region|global: every operation (or --operation's) at its latest
// round with accepted submissions of `type`, added up by region or for the
// world (analysis/regions.h). Each group names the operations and rounds it
// adds; the operations without such a round go into `left_out`.
Result<nlohmann::ordered_json> AboveCountryGroups(store::Store& store,
                                                  const dictionary::Dictionary& dictionary,
                                                  const CommandLine& line, analysis::Level level,
                                                  store::AssessmentType type,
                                                  const analysis::RollupOptions& options,
                                                  const std::string& by_name,
                                                  std::vector<std::string>& left_out) {
  ASSIGN_OR_RETURN(analysis::RegionTable regions, LoadRegions(line));
  std::vector<store::Operation> operations;
  if (line.Flag("operation")) {
    ASSIGN_OR_RETURN(store::Operation operation, ResolveOperation(store, line));
    operations.push_back(std::move(operation));
  } else {
    ASSIGN_OR_RETURN(operations, store.ListOperations());
  }
  std::vector<analysis::OperationFigures> figures;
  for (const store::Operation& operation : operations) {
    ASSIGN_OR_RETURN(std::vector<store::Round> rounds, store.ListRounds(operation.id));
    bool found = false;
    for (auto round = rounds.rbegin(); round != rounds.rend() && !found; ++round) {
      ASSIGN_OR_RETURN(std::vector<analysis::Frame> frames,
                       analysis::LoadFrames(store, dictionary, operation.id, round->number,
                                            round->number));
      for (const analysis::Frame& frame : frames) {
        if (frame.assessment_type != type) continue;
        ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> countries,
                         analysis::RollUp(frame, dictionary, analysis::Level::kCountry, options));
        figures.push_back({operation.name, operation.country,
                           analysis::RegionOfOperation(operation.region, operation.country,
                                                       regions),
                           frame.round, std::move(countries)});
        found = true;
      }
    }
    if (!found) left_out.push_back(operation.name);
  }
  ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> combined,
                   analysis::CombineOperations(figures, level));
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const analysis::AreaTotals& area : combined) {
    nlohmann::ordered_json used = nlohmann::ordered_json::array();
    for (const analysis::OperationFigures& operation : figures) {
      if (level == analysis::Level::kRegion && operation.region != area.area) continue;
      used.push_back({{"operation", operation.operation},
                      {"country", operation.country},
                      {"round", operation.round}});
    }
    nlohmann::ordered_json group = AreaJson(dictionary, level, "latest",
                                            store::AssessmentTypeName(type), area, {}, by_name);
    group["operations"] = used;
    groups.push_back(std::move(group));
  }
  if (groups.empty()) {
    return NotFoundError("no operation has a round with accepted " +
                         std::string(store::AssessmentTypeName(type)) + " submissions");
  }
  return groups;
}

// The admin-level figures' groups (analysis/admin_figures.h): each key's
// finest published level rolled up to `level`, labelled with its source; a
// coarser published figure that disagrees is listed in the group
// (`published_disagrees`) or, when the finer records have nothing in its
// area, noted on `notes`. A level finer than what was published is noted and
// skipped.
Status AddAdminFigureGroups(const std::vector<analysis::AdminFigureFrame>& figure_frames,
                            const std::vector<store::AdminFigure>& published,
                            const dictionary::Dictionary& dictionary, analysis::Level level,
                            const analysis::RollupOptions& options, const std::string& by_name,
                            nlohmann::ordered_json& groups, std::ostream& notes) {
  std::set<std::string, std::less<>> pcodes;
  for (const store::AdminFigure& figure : published) {
    for (const std::string* pcode : {&figure.country, &figure.admin1_pcode, &figure.admin2_pcode}) {
      if (!pcode->empty()) pcodes.insert(*pcode);
    }
  }
  const bool comparable = options.where.empty() && options.by_indicator < 0;
  for (const analysis::AdminFigureFrame& figures : figure_frames) {
    const analysis::Level finest = analysis::LevelOfAdmin(figures.finest_level);
    const std::string key = "round " + std::to_string(figures.round) + " (" +
                            figures.reporting_date + ", " + figures.assessment_type + ")";
    if (level < finest) {
      notes << "note: admin-level figures of " << key << " are published down to "
            << analysis::LevelName(finest) << " only: none at " << analysis::LevelName(level)
            << "\n";
      continue;
    }
    ASSIGN_OR_RETURN(std::vector<analysis::AreaTotals> areas,
                     analysis::RollUp(figures.frame, dictionary, level, options));
    std::vector<analysis::FigureDisagreement> disagreements;
    if (comparable && level != finest) {
      disagreements = analysis::CompareWithPublished(figures, areas, level, dictionary);
    }
    for (const analysis::AreaTotals& area : areas) {
      nlohmann::ordered_json group =
          AreaJson(dictionary, level, figures.round, figures.assessment_type, area, pcodes,
                   by_name, "admin_figures");
      group["source_level"] = std::string(analysis::LevelName(finest));
      group["reporting_date"] = figures.reporting_date;
      group["records"] = area.sites;  // published records added up, not sites
      group["sites"] = nullptr;
      nlohmann::ordered_json differing = nlohmann::ordered_json::array();
      for (const analysis::FigureDisagreement& disagreement : disagreements) {
        if (disagreement.area != area.area) continue;
        differing.push_back({{"indicator", disagreement.indicator},
                             {"published", disagreement.published},
                             {"summed", disagreement.summed ? nlohmann::ordered_json(*disagreement.summed)
                                                            : nlohmann::ordered_json()}});
      }
      if (!differing.empty()) group["published_disagrees"] = differing;
      groups.push_back(std::move(group));
    }
    for (const analysis::FigureDisagreement& disagreement : disagreements) {
      if (disagreement.summed) continue;
      notes << "note: " << key << ": " << disagreement.area << " publishes "
            << disagreement.indicator << " " << disagreement.published << " at "
            << analysis::LevelName(level) << ", and no " << analysis::LevelName(finest)
            << " figure adds up to it\n";
    }
  }
  return Status::Ok();
}

int RunRollupBody(const CommandLine& line, const Environment& environment) {
  if (Status known =
          line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation", "country",
                                "round", "level", "by", "where", "format", "type", "regions"});
      !known.ok()) {
    return Usage(environment, known.message(), kRollupUsage);
  }
  if (line.positional().size() != 2) {
    return Usage(environment, "analyze rollup takes no arguments", kRollupUsage);
  }
  const std::string level_word = line.Flag("level").value_or("");
  std::optional<analysis::Level> level = ParseLevel(level_word);
  if (level_word == "region") level = analysis::Level::kRegion;
  if (level_word == "global") level = analysis::Level::kGlobal;
  if (!level) {
    return Usage(environment,
                 "--level must be site, admin3, admin2, admin1, country, region or global",
                 kRollupUsage);
  }
  const bool above_country =
      *level == analysis::Level::kRegion || *level == analysis::Level::kGlobal;
  if (above_country) {
    if (line.Flag("round").value_or("latest") != "latest") {
      return Usage(environment,
                   "--level " + level_word +
                       " adds up each operation's latest round: --round latest, or no --round",
                   kRollupUsage);
    }
  } else {
    if (!line.Flag("operation")) {
      return Usage(environment, "--operation NAME is required", kRollupUsage);
    }
    if (!line.Flag("round")) {
      return Usage(environment, "--round N|A-B|all is required", kRollupUsage);
    }
    if (line.Flag("regions") || line.Flag("type")) {
      return Usage(environment, "--regions and --type go with --level region or global",
                   kRollupUsage);
    }
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kRollupUsage);
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const dictionary::Dictionary& dictionary = opened->dictionary;
  // --by INDICATOR (origin_adm1 reads as origin_adm1_pcode) and --where A=B,C=D.
  analysis::RollupOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  std::string by_name;
  if (std::optional<std::string> by = line.Flag("by")) {
    by_name = *by;
    options.by_indicator = dictionary.IndexOf(by_name);
    if (options.by_indicator < 0 && dictionary.IndexOf(by_name + "_pcode") >= 0) {
      by_name += "_pcode";
      options.by_indicator = dictionary.IndexOf(by_name);
    }
    if (options.by_indicator < 0) {
      return Usage(environment, "--by: no indicator '" + *by + "' in the dictionary", kRollupUsage);
    }
  }
  for (const std::string& text : line.ListFlag("where")) {
    Result<analysis::RowCondition> condition = analysis::ParseCondition(text, dictionary);
    if (!condition.ok()) {
      return Usage(environment, "--where: " + condition.status().message(), kRollupUsage);
    }
    options.where.push_back(*condition);
  }
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  if (above_country) {
    std::optional<store::AssessmentType> type = store::ParseAssessmentType(line.Flag("type").value_or("SA"));
    if (!type) return Usage(environment, "--type must be SA, BA or ETT", kRollupUsage);
    std::vector<std::string> left_out;
    Result<nlohmann::ordered_json> combined = AboveCountryGroups(
        *opened->store, dictionary, line, *level, *type, options, by_name, left_out);
    if (!combined.ok()) return Fail(environment, combined.status());
    groups = std::move(combined).value();
    for (const std::string& name : left_out) {
      *environment.err << "note: operation '" << name << "' is left out: no round with accepted "
                       << store::AssessmentTypeName(*type) << " submissions\n";
    }
  } else {
    Result<store::Operation> operation = ResolveOperation(*opened->store, line);
    if (!operation.ok()) return Fail(environment, operation.status());
    Result<std::pair<int, int>> rounds = RoundRange(*line.Flag("round"), *opened->store,
                                                    operation->id);
    if (!rounds.ok()) return Usage(environment, rounds.status().message(), kRollupUsage);
    Result<std::vector<store::AdminFigure>> published = opened->store->AdminFigures(operation->id);
    if (!published.ok()) return Fail(environment, published.status());
    // --round all also covers the rounds of the admin-level figures.
    std::pair<int, int> range = *rounds;
    if (*line.Flag("round") == "all") {
      for (const store::AdminFigure& figure : *published) {
        if (range.first > range.second) range = {figure.round, figure.round};
        range.first = std::min(range.first, figure.round);
        range.second = std::max(range.second, figure.round);
      }
    }
    Result<std::vector<analysis::Frame>> frames = analysis::LoadFrames(
        *opened->store, dictionary, operation->id, range.first, range.second);
    if (!frames.ok()) return Fail(environment, frames.status());
    Result<std::vector<analysis::AdminFigureFrame>> figure_frames =
        analysis::AdminFigureFrames(*published, dictionary, range.first, range.second);
    if (!figure_frames.ok()) return Fail(environment, figure_frames.status());
    if (frames->empty() && figure_frames->empty()) {
      return Fail(environment, NotFoundError("no accepted submission and no admin-level figure in "
                                             "round(s) " + *line.Flag("round") + " of '" +
                                             operation->name + "'"));
    }
    Result<std::set<std::string, std::less<>>> known = KnownPcodes(*opened->store, *operation);
    if (!known.ok()) return Fail(environment, known.status());
    const std::set<std::string, std::less<>>& pcodes = *known;

    std::vector<const analysis::Frame*> each_frame;
    for (const analysis::Frame& frame : *frames) each_frame.push_back(&frame);
    const analysis::Level levels[] = {*level};
    Result<std::vector<std::vector<std::vector<analysis::AreaTotals>>>> totals =
        analysis::RollUpFrames(each_frame, dictionary, levels, options);
    if (!totals.ok()) return Fail(environment, totals.status());
    for (size_t frame_idx = 0; frame_idx < each_frame.size(); ++frame_idx) {
      for (const analysis::AreaTotals& area : (*totals)[frame_idx][0]) {
        const analysis::Frame& frame = *each_frame[frame_idx];
        groups.push_back(AreaJson(dictionary, *level, frame.round,
                                  store::AssessmentTypeName(frame.assessment_type), area, pcodes,
                                  by_name));
      }
    }
    Status figures_added = AddAdminFigureGroups(*figure_frames, *published, dictionary, *level,
                                                options, by_name, groups, *environment.err);
    if (!figures_added.ok()) return Fail(environment, figures_added);
  }
  if (format == "json") {
    *environment.out << groups.dump(2) << "\n";
    return 0;
  }
  // Table and CSV: one line per group. CSV has every figure, a share of sites
  // as INDICATOR=ANSWER (percent of the group's sites); the table only the
  // counts, to stay readable.
  const bool with_shares = format == "csv";
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  for (const nlohmann::ordered_json& group : groups) {
    // An area has a P-code or a name: both columns, one of them blank.
    nlohmann::ordered_json flat;
    for (const auto& [key, value] : group.items()) {
      if (key == "pcode" || key == "name") continue;
      flat[key] = value;
      if (key == "level" && *level != analysis::Level::kSite) {
        flat["pcode"] = group.contains("pcode") ? group["pcode"] : nlohmann::ordered_json();
        flat["name"] = group.contains("name") ? group["name"] : nlohmann::ordered_json();
      }
    }
    std::vector<std::string> row;
    std::vector<std::string> names;
    for (const auto& [key, value] : flat.items()) {
      if (value.is_object()) {
        if (!with_shares) continue;
        for (const auto& [answer, figures] : value.items()) {
          names.push_back(key + "=" + answer);
          row.push_back(Fixed(figures["share_of_sites"].get<double>() * 100, 1));
        }
      } else {
        names.push_back(key);
        row.push_back(value.is_null() ? ""
                      : value.is_string() ? value.get<std::string>()
                                          : value.dump());
      }
    }
    if (header.empty()) header = names;
    rows.push_back(std::move(row));
  }
  if (format == "csv") {
    *environment.out << core::CsvLine(header);
    for (const auto& row : rows) *environment.out << core::CsvLine(row);
    return 0;
  }
  rows.insert(rows.begin(), header);
  PrintAligned(*environment.out, rows);
  *environment.out << "\nshares of sites per answer: --format csv or json\n";
  return 0;
}

// A rollup below protection: the release of the operation's standard tables
// (disclosure/release_builder.h) at one level, suppressed for the tier and
// written as `dtm export` writes it (json, csv) or as a table on screen.
// Splits (--by, --where) and regional levels are refused there: suppression
// covers the standard tables, not groups chosen at will.
int RunSuppressedRollup(const CommandLine& line, const Environment& environment,
                        DisclosedRead& read) {
  if (line.Flag("by") || line.Flag("where")) {
    return Fail(
        environment,
        read.Refuse(PermissionDeniedError(
            "--by and --where split areas into groups chosen at will, which small-cell "
            "suppression does not cover: tier " +
            std::string(store::TierName(read.tier())) + " gets whole areas (spec/disclosure.md)")));
  }
  const std::string level_word = line.Flag("level").value_or("");
  std::optional<analysis::Level> level = ParseLevel(level_word);
  if (!level || !line.Flag("operation") || !line.Flag("round")) {
    return Fail(environment,
                read.Refuse(PermissionDeniedError(
                    "tier " + std::string(store::TierName(read.tier())) +
                    " gets rollups of one operation at site, admin3, admin2, admin1 or country "
                    "level (--operation, --round, --level)")));
  }
  const std::string format = line.Flag("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return Usage(environment, "--format must be table, csv or json", kRollupUsage);
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  Result<store::Operation> operation = ResolveOperation(*opened->store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<disclosure::Release> release = SiteDataRelease(
      *opened->store, opened->dictionary, *operation, read, {*level}, *line.Flag("round"));
  if (!release.ok()) return Fail(environment, release.status());
  if (format == "json") {
    Result<publish::ExportedText> json = publish::ExportJson(*release, {});
    if (!json.ok()) return Fail(environment, json.status());
    *environment.out << json->text;
    return 0;
  }
  if (format == "csv") {
    Result<publish::ExportedText> csv = publish::ExportCsv(*release, {});
    if (!csv.ok()) return Fail(environment, csv.status());
    *environment.out << csv->text;
    return 0;
  }
  // On screen: the summed figures (answer counts in csv and json).
  std::vector<std::string> header = {"level", "pcode", "name", "round", "type", "sites"};
  std::vector<size_t> shown;
  for (size_t column_idx = 0; column_idx < release->columns.size(); ++column_idx) {
    const disclosure::ReleaseColumn& column = release->columns[column_idx];
    if (column.choice.empty() && column.kind != disclosure::ValueKind::kText &&
        disclosure::ColumnApplies(column, *level)) {
      header.push_back(column.name);
      shown.push_back(column_idx);
    }
  }
  std::vector<std::vector<std::string>> rows = {header};
  int64_t suppressed = 0;
  for (const disclosure::ReleaseRow& row : release->rows) {
    std::vector<std::string> cells = {std::string(analysis::LevelName(row.level)),
                                      row.pcode,
                                      row.name,
                                      std::to_string(row.round),
                                      std::string(store::AssessmentTypeName(row.assessment_type)),
                                      std::to_string(row.sites)};
    for (size_t column_idx : shown) {
      const disclosure::ReleaseCell& cell = row.cells[column_idx];
      if (cell.state == disclosure::CellState::kSuppressed) {
        cells.push_back("*");
        ++suppressed;
      } else if (cell.state == disclosure::CellState::kBlank) {
        cells.push_back("");
      } else {
        cells.push_back(release->columns[column_idx].kind == disclosure::ValueKind::kInteger
                            ? std::to_string(cell.integer)
                            : core::FormatNumber(cell.number));
      }
    }
    rows.push_back(std::move(cells));
  }
  PrintAligned(*environment.out, rows);
  *environment.out << "\n* suppressed for tier " << store::TierName(read.tier()) << " ("
                   << suppressed << " cells; reasons in --format csv or json); policy version "
                   << release->policy_version << "\n";
  return 0;
}

int RunRollup(const CommandLine& line, const Environment& environment) {
  // Protection and operation_admin read unsuppressed figures, with every
  // option; lower tiers read the suppressed release.
  ReadNeeds needs{"rollup", store::Tier::kPublic, "", false};
  return RunDisclosedRead(line, environment, needs,
                          [&line](const Environment& inner, DisclosedRead& read) {
                            if (read.tier() < store::Tier::kProtection) {
                              return RunSuppressedRollup(line, inner, read);
                            }
                            return RunRollupBody(line, inner);
                          });
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
    return Fail(environment, NotFoundError("trends need two rounds with accepted " +
                                           std::string(store::AssessmentTypeName(type)) +
                                           " submissions in " + *line.Flag("round") + " of '" +
                                           operation->name + "'"));
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
  std::vector<std::vector<std::string>> rows;
  for (const nlohmann::ordered_json& entry : list) {
    if (rows.empty()) {
      std::vector<std::string> header = {"area"};
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
      row.push_back(value.is_null() ? "" : value.is_string() ? value.get<std::string>()
                                                             : value.dump());
    }
    if (format == "csv") row.emplace_back(analysis::kRiskNote);
    rows.push_back(std::move(row));
  }
  if (format == "csv") {
    for (const auto& row : rows) *environment.out << core::CsvLine(row);
    return 0;
  }
  PrintAligned(*environment.out, rows);
  *environment.out << "\nnote: moved_up, moved_down and to_very_high compare GBV risk bands. "
                   << analysis::kRiskNote << "\n";
  return 0;
}

int RunTrends(const CommandLine& line, const Environment& environment) {
  ReadNeeds needs{"trends", store::Tier::kProtection,
                  "risk score changes per site and area are sensitive (spec/disclosure.md)", false};
  return RunDisclosedRead(line, environment, needs,
                          [&line](const Environment& inner, const DisclosedRead&) {
                            return RunTrendsBody(line, inner);
                          });
}

}  // namespace

int RunAnalyzeCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (words.size() >= 2 && words[1] == "risk") return RunRisk(line, environment);
  if (words.size() >= 2 && words[1] == "rollup") return RunRollup(line, environment);
  if (words.size() >= 2 && words[1] == "trends") return RunTrends(line, environment);
  *environment.err << "dtm: analyze needs a subcommand: risk, rollup or trends\nusage: "
                   << kRiskUsage << "\n       " << kRollupUsage << "\n       " << kTrendsUsage
                   << "\n";
  return kExitUsage;
}

}  // namespace opendtm::cli
