#include "cli/risk_command.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "analysis/area_risk.h"
#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "analysis/rollup.h"
#include "cli/analysis_output.h"
#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "store/records.h"

namespace opendtm::cli {
namespace {

int Usage(const Environment& environment, const std::string& problem,
          const char* usage = kRiskUsage) {
  return AnalyzeUsage(environment, problem, usage);
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
                const std::vector<ScoredSite>& sites, const std::array<int, 5>& per_band) {
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
      domains[std::string(dictionary::RiskDomainName(domain.domain))] = JsonNumber(domain.score, 1);
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

}  // namespace

int RunRiskCommand(const CommandLine& line, const Environment& environment) {
  ReadNeeds needs{"risk", store::Tier::kProtection,
                  "site risk scores are sensitive (spec/disclosure.md); lower tiers get the "
                  "number of sites per risk band by area, suppressed, from dtm analyze rollup "
                  "or dtm export (gbv_risk_band=…)",
                  false};
  return RunDisclosedRead(
      line, environment, needs,
      [&line](const Environment& inner, const DisclosedRead&) { return RunRiskBody(line, inner); });
}

}  // namespace opendtm::cli
