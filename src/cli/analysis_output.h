// What `dtm analyze risk`, `rollup` and `trends` share to print their
// figures: number text, aligned tables, the names of areas, the levels, and
// the usage message.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_CLI_ANALYSIS_OUTPUT_H_
#define OPENDTM_CLI_ANALYSIS_OUTPUT_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rollup.h"
#include "cli/environment.h"
#include "core/status.h"
#include "store/store.h"

namespace opendtm::cli {

// Prints "dtm: PROBLEM" and `usage`; returns the usage exit code (2).
int AnalyzeUsage(const Environment& environment, const std::string& problem, const char* usage);

// Fixed-point text with `decimals` places ("62.5", "0.870"); "" when absent.
std::string Fixed(double value, int decimals);
std::string Fixed(const std::optional<double>& value, int decimals);
// The same rounding as Fixed, as a JSON number (null when absent).
nlohmann::ordered_json JsonNumber(const std::optional<double>& value, int decimals);

// Rows as a table: columns padded to their widest cell, two spaces apart.
void PrintAligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// The P-codes an area name may be (the country's gazetteer and the country
// itself, the country level's code): any other area is one the ingest kept by
// name. Errors: from the store.
Result<std::set<std::string, std::less<>>> KnownPcodes(store::Store& store,
                                                       const store::Operation& operation);

// Names the area in `object`: "site_id" at the site level, else "pcode" (null
// for sites without an area at the level) or "name" (an area kept by name).
void PutArea(nlohmann::ordered_json& object, analysis::Level level, const std::string& area,
             const std::set<std::string, std::less<>>& pcodes);

// site, admin3, admin2, admin1 or country; nullopt for another word.
std::optional<analysis::Level> ParseLevel(std::string_view word);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_ANALYSIS_OUTPUT_H_
