#include "cli/site_list.h"

#include <map>
#include <optional>
#include <string_view>

#include "core/csv_writer.h"
#include "core/number.h"

namespace opendtm::cli {
namespace {

constexpr size_t kPathDepth = 3;  // adm1_pcode, adm2_pcode, adm3_pcode

// What the release shows of one site, merged over its rows.
struct ShownSite {
  std::vector<std::string> path = std::vector<std::string>(kPathDepth);
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string site_type;
};

std::string Coordinate(const std::optional<double>& value) {
  return value ? core::FormatNumber(*value) : std::string();
}

std::vector<std::string> Line(const std::string& site_id, const std::string& name,
                              const std::vector<std::string>& path,
                              const std::optional<double>& latitude,
                              const std::optional<double>& longitude, const std::string& site_type,
                              store::SiteStatus status) {
  return {site_id,
          name,
          path[0],
          path[1],
          path[2],
          Coordinate(latitude),
          Coordinate(longitude),
          site_type,
          std::string(store::SiteStatusName(status))};
}

// 1. Each site row's area path, point and type, as released.
// 2. A site with several rows keeps a field only where every row agrees.
std::map<std::string, ShownSite, std::less<>> ShownSites(const disclosure::Release& release) {
  int site_type = -1;
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    const disclosure::ReleaseColumn& column = release.columns[column_idx];
    if (column.name == "site_type" && column.on_sites) site_type = static_cast<int>(column_idx);
  }
  std::map<std::string, ShownSite, std::less<>> shown;
  for (const disclosure::ReleaseRow& row : release.rows) {
    if (row.level != analysis::Level::kSite) continue;
    ShownSite site;
    for (size_t depth = 0; depth < kPathDepth && depth < row.area_path.size(); ++depth) {
      site.path[depth] = row.area_path[depth];
    }
    if (row.latitude && row.longitude) {
      site.latitude = row.latitude;
      site.longitude = row.longitude;
    }
    if (site_type >= 0 && static_cast<size_t>(site_type) < row.cells.size() &&
        row.cells[site_type].state == disclosure::CellState::kValue) {
      site.site_type = row.cells[site_type].text;
    }
    auto [it, inserted] = shown.try_emplace(row.pcode, site);
    if (inserted) continue;
    ShownSite& merged = it->second;
    for (size_t depth = 0; depth < kPathDepth; ++depth) {
      if (merged.path[depth] != site.path[depth]) merged.path[depth].clear();
    }
    if (merged.latitude != site.latitude || merged.longitude != site.longitude) {
      merged.latitude.reset();
      merged.longitude.reset();
    }
    if (merged.site_type != site.site_type) merged.site_type.clear();
  }
  return shown;
}

}  // namespace

std::string SiteListCsv(const std::vector<store::Site>& sites, const disclosure::Release* release) {
  std::string csv = core::CsvLine({"site_id", "site_name", "adm1_pcode", "adm2_pcode", "adm3_pcode",
                                   "latitude", "longitude", "site_type", "status"});
  if (release == nullptr) {
    for (const store::Site& site : sites) {
      csv += core::CsvLine(Line(site.site_id, site.name,
                                {site.adm1_pcode, site.adm2_pcode, site.adm3_pcode}, site.latitude,
                                site.longitude, site.site_type, site.status));
    }
    return csv;
  }
  const std::map<std::string, ShownSite, std::less<>> shown = ShownSites(*release);
  const ShownSite nothing;
  for (const store::Site& site : sites) {
    auto found = shown.find(site.site_id);
    const ShownSite& gated = found == shown.end() ? nothing : found->second;
    csv += core::CsvLine(Line(site.site_id, site.name, gated.path, gated.latitude, gated.longitude,
                              gated.site_type, site.status));
  }
  return csv;
}

}  // namespace opendtm::cli
