#include "analysis/regions.h"

#include <fstream>
#include <utility>

#include "analysis/admin_figures.h"
#include "core/text.h"

namespace opendtm::analysis {

std::string_view RegionTable::RegionOf(std::string_view iso3) const {
  auto it = region_of_.find(iso3);
  return it == region_of_.end() ? std::string_view() : std::string_view(it->second);
}

Result<RegionTable> RegionTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read the region table " + path);
  RegionTable table;
  std::string line;
  int line_number = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty() || line.front() == '#') continue;
    // Regions may hold commas: the country is before the first one, the
    // region (quoted or not) after it.
    const size_t comma = line.find(',');
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (comma == std::string::npos) {
      return InvalidArgumentError(where + "expected iso3,region");
    }
    std::string iso3(core::Trim(std::string_view(line).substr(0, comma)));
    std::string region(core::Trim(std::string_view(line).substr(comma + 1)));
    if (region.size() >= 2 && region.front() == '"' && region.back() == '"') {
      region = region.substr(1, region.size() - 2);
      for (size_t at = region.find("\"\""); at != std::string::npos;
           at = region.find("\"\"", at + 1)) {
        region.erase(at, 1);
      }
    }
    if (!header_seen) {
      if (iso3 != "iso3" || region != "region") {
        return InvalidArgumentError(where + "the header must be iso3,region");
      }
      header_seen = true;
      continue;
    }
    if (iso3.size() != 3 || region.empty()) {
      return InvalidArgumentError(
          where + "expected a three-letter country code and a region, not '" + line + "'");
    }
    if (!table.RegionOf(iso3).empty()) {
      return InvalidArgumentError(where + "country " + iso3 + " is given twice");
    }
    table.Add(std::move(iso3), std::move(region));
  }
  if (!header_seen) return InvalidArgumentError(path + ": no header iso3,region");
  return table;
}

std::string RegionOfOperation(std::string_view own_region, std::string_view country,
                              const RegionTable& table) {
  if (!core::Trim(own_region).empty()) return std::string(core::Trim(own_region));
  std::string_view region = table.RegionOf(country);
  return std::string(region.empty() ? kUnassignedRegion : region);
}

Status AddTotals(AreaTotals& into, const AreaTotals& from) {
  if (into.sums.size() != from.sums.size() ||
      into.answer_sites.size() != from.answer_sites.size()) {
    return InvalidArgumentError("totals of different dictionaries cannot be added");
  }
  for (size_t indicator = 0; indicator < from.answer_sites.size(); ++indicator) {
    if (into.answer_sites[indicator].size() != from.answer_sites[indicator].size()) {
      return InvalidArgumentError("totals of different choice lists cannot be added");
    }
  }
  into.sites += from.sites;
  into.people += from.people;
  for (size_t indicator = 0; indicator < from.sums.size(); ++indicator) {
    into.sums[indicator] += from.sums[indicator];
    into.reporting[indicator] += from.reporting[indicator];
    for (size_t slot = 0; slot < from.answer_sites[indicator].size(); ++slot) {
      into.answer_sites[indicator][slot] += from.answer_sites[indicator][slot];
      into.answer_people[indicator][slot] += from.answer_people[indicator][slot];
    }
  }
  return Status::Ok();
}

Result<std::vector<AreaTotals>> CombineOperations(std::span<const OperationFigures> operations,
                                                  Level level) {
  if (level != Level::kRegion && level != Level::kGlobal) {
    return InvalidArgumentError("operations add up to the region or global level only");
  }
  // (area, by) -> totals; `by` sorted with no answer last.
  std::map<std::pair<std::string, std::pair<bool, std::string>>, AreaTotals> groups;
  for (const OperationFigures& operation : operations) {
    const std::string area = level == Level::kGlobal ? "global" : operation.region;
    for (const AreaTotals& country : operation.countries) {
      auto key = std::make_pair(area, std::make_pair(country.by.empty(), country.by));
      auto [it, added] = groups.try_emplace(key, country);
      if (added) {
        it->second.area = area;
        continue;
      }
      RETURN_IF_ERROR(AddTotals(it->second, country));
    }
  }
  std::vector<AreaTotals> combined;
  combined.reserve(groups.size());
  for (auto& [key, totals] : groups) combined.push_back(std::move(totals));
  return combined;
}

Result<std::optional<OperationFigures>> LatestAdminFigures(
    std::span<const store::AdminFigure> figures, const dictionary::Dictionary& dictionary,
    std::string_view assessment_type, const RollupOptions& options) {
  ASSIGN_OR_RETURN(std::vector<AdminFigureFrame> frames,
                   AdminFigureFrames(figures, dictionary, 0, 1'000'000));
  // Frames come by round, date and type: the last of the type is the latest.
  for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame) {
    if (frame->assessment_type != assessment_type) continue;
    OperationFigures latest;
    latest.round = frame->round;
    latest.admin_figures = true;
    ASSIGN_OR_RETURN(latest.countries, RollUp(frame->frame, dictionary, Level::kCountry, options));
    for (AreaTotals& country : latest.countries) {
      latest.records += country.sites;
      country.sites = 0;
    }
    return std::optional<OperationFigures>(std::move(latest));
  }
  return std::optional<OperationFigures>();
}

}  // namespace opendtm::analysis
