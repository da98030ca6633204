// The rows of a release for one frame (release_builder.h, step 3): area rows
// at every level the tier sees, from the rollup, and one site row per frame
// row, linked into a tree (each row's parent is the enclosing row at the next
// coarser visible level). Private to the disclosure module.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_RELEASE_TABLE_H_
#define OPENDTM_DISCLOSURE_INTERNAL_RELEASE_TABLE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "disclosure/internal/release_layout.h"
#include "disclosure/release.h"
#include "disclosure/release_builder.h"

namespace opendtm::disclosure::internal {

// Joins the P-codes of an area's path from the country: an area is keyed by
// its path, so that rows without a P-code at one level, or a P-code found
// under two parents, stay apart in each parent and the hierarchy stays a
// tree.
constexpr char kPathSeparator = '\x1f';

struct TableRow {
  ReleaseRow row;  // cells by the layout's area or site plans
  bool site = false;
  std::string key;      // areas: the path; sites: the path of their finest area
  int64_t parent = -1;  // the enclosing row at the next coarser visible level
  std::vector<uint32_t> children;
  std::vector<int64_t> reporting;  // areas, by slot: the sites behind a figure
  std::vector<int64_t> milli;      // by slot: sums of decimals in thousandths
  double latitude_sum = 0;
  double longitude_sum = 0;
  int64_t points = 0;
  // An admin3 row the microdata gate withholds (table_gate.h): not
  // published, no figures; a reader adds up its sites under its admin2.
  bool withheld = false;
};

// One frame's rows at every visible level.
using Table = std::vector<TableRow>;

// The rows a reader knows `table[row_idx]` adds up: its children, with each
// withheld child replaced by the rows it holds; none for a withheld row.
std::vector<uint32_t> Linked(const Table& table, size_t row_idx);

// The rows of `frame` at each of `admin_levels` (finest first), and its site
// rows when `site_rows`, coarsest first and sites last; cells by `layout`.
// Errors: a level without its text indicator, a decimal too large to sum
// exactly.
Result<Table> BuildTable(const analysis::Frame& frame, const dictionary::Dictionary& dictionary,
                         const Layout& layout, std::span<const analysis::Level> admin_levels,
                         bool site_rows, const ReleaseRequest& request);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_RELEASE_TABLE_H_
