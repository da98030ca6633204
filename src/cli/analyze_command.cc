#include "cli/analyze_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "analysis/risk_index.h"
#include "cli/store_access.h"
#include "core/csv_writer.h"
#include "core/number.h"
#include "store/records.h"

namespace opendtm::cli {
namespace {

constexpr int kExitUsage = 2;
constexpr const char* kRiskUsage =
    "dtm analyze risk --operation OP [--country ISO3] --round N [--type SA|BA|ETT] "
    "[--band BAND,…] [--format table|csv|json] [--db PATH]";

int Usage(const Environment& environment, const std::string& problem) {
  *environment.err << "dtm: " << problem << "\nusage: " << kRiskUsage << "\n";
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
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
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

int RunRisk(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags(
          {"db", "dictionary", "operation", "country", "round", "type", "band", "format"});
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
  std::vector<ScoredSite> sites;
  std::array<int, 5> per_band = {};
  for (size_t row = 0; row < frame->rows(); ++row) {
    const std::vector<std::string> texts = analysis::RowText(*frame, dictionary, row);
    const std::vector<std::string_view> values(texts.begin(), texts.end());
    analysis::SiteRisk risk = index->Score(values, today);
    if (!wanted.empty() && !wanted.contains(risk.band)) continue;
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

int RunAnalyzeCommand(const CommandLine& line, const Environment& environment) {
  const std::vector<std::string>& words = line.positional();
  if (words.size() >= 2 && words[1] == "risk") return RunRisk(line, environment);
  *environment.err << "dtm: analyze needs a subcommand: risk\nusage: " << kRiskUsage << "\n";
  return kExitUsage;
}

}  // namespace opendtm::cli
