#include "disclosure/internal/microdata.h"

#include <algorithm>
#include <map>
#include <vector>

namespace opendtm::disclosure::internal {
namespace {

constexpr char kSeparator = '\x1f';

// The row's quasi-identifier values as one key.
std::string Signature(const ReleaseRow& row, std::span<const size_t> columns) {
  std::string signature;
  for (size_t column : columns) {
    const ReleaseCell& cell = row.cells[column];
    signature += kSeparator;
    switch (cell.state) {
      case CellState::kBlank:
        signature += 'b';
        break;
      case CellState::kSuppressed:
        signature += 's';
        break;
      case CellState::kValue:
        signature += 'v';
        signature += std::to_string(cell.integer);
        signature += kSeparator;
        signature += std::to_string(cell.number);
        signature += kSeparator;
        signature += cell.text;
        break;
    }
  }
  return signature;
}

void DropPoint(ReleaseRow& row) {
  row.latitude.reset();
  row.longitude.reset();
}

// A generalised row's path ends one named area up: its finest named P-code
// goes (release.h, area_path).
void HideFinestArea(ReleaseRow& row) {
  for (auto pcode = row.area_path.rbegin(); pcode != row.area_path.rend(); ++pcode) {
    if (pcode->empty()) continue;
    pcode->clear();
    return;
  }
}

}  // namespace

void GateSites(std::span<GatedSite> sites, std::span<const size_t> quasi_identifier_columns, int k,
               MicrodataReport& report) {
  report.records += static_cast<int64_t>(sites.size());
  std::vector<std::string> signatures;
  signatures.reserve(sites.size());
  for (const GatedSite& site : sites) {
    signatures.push_back(Signature(*site.row, quasi_identifier_columns));
  }
  // 1. Groups by area and values.
  std::map<std::string, int64_t> group_size;
  for (size_t site_idx = 0; site_idx < sites.size(); ++site_idx) {
    ++group_size[sites[site_idx].area + signatures[site_idx]];
  }
  // 2. Rows of small groups, regrouped one level up. A row shown at the
  // coarser area is indistinguishable from every row of that area with the
  // same values, whether those show their finer area or not: all count.
  std::vector<size_t> small;
  std::map<std::string, int64_t> coarser_size;
  for (size_t site_idx = 0; site_idx < sites.size(); ++site_idx) {
    if (sites[site_idx].coarser_area) {
      ++coarser_size[*sites[site_idx].coarser_area + signatures[site_idx]];
    }
    if (group_size[sites[site_idx].area + signatures[site_idx]] >= k) continue;
    small.push_back(site_idx);
  }
  // 3. Generalised where that is enough, withheld otherwise.
  for (size_t site_idx : small) {
    GatedSite& site = sites[site_idx];
    ReleaseRow& row = *site.row;
    DropPoint(row);
    const bool enough =
        site.coarser_area && coarser_size[*site.coarser_area + signatures[site_idx]] >= k;
    if (site.coarser_area) {
      row.parent = site.coarser_pcode;
      HideFinestArea(row);
      site.admin3_hidden = true;
    }
    if (enough) {
      ++report.generalised;
      continue;
    }
    for (size_t column : quasi_identifier_columns) {
      ReleaseCell& cell = row.cells[column];
      if (cell.state == CellState::kValue) cell = ReleaseCell();
    }
    ++report.withheld;
  }
}

}  // namespace opendtm::disclosure::internal
