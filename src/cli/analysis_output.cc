#include "cli/analysis_output.h"

#include <algorithm>
#include <cstdio>

namespace opendtm::cli {

int AnalyzeUsage(const Environment& environment, const std::string& problem, const char* usage) {
  *environment.err << "dtm: " << problem << "\nusage: " << usage << "\n";
  return 2;
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
      if (column + 1 < row.size())
        line += std::string(widths[column] - row[column].size() + 2, ' ');
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

std::optional<analysis::Level> ParseLevel(std::string_view word) {
  for (analysis::Level level :
       {analysis::Level::kSite, analysis::Level::kAdmin3, analysis::Level::kAdmin2,
        analysis::Level::kAdmin1, analysis::Level::kCountry}) {
    if (analysis::LevelName(level) == word) return level;
  }
  return std::nullopt;
}

}  // namespace opendtm::cli
