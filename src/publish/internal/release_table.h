// The table every exporter of a Release writes: which rows, which columns in
// which order, their headers and hashtags, and the text of a cell. CSV, HXL
// and XLSX write it as it is; JSON and GeoJSON name their fields after it.
//
// Columns, in order:
//   operation        when the release has several operations   #operation+name
//   level            site, admin3, admin2, admin1, country      #adm+level
//   pcode            the area's P-code (site rows: the site ID) #adm2+code…
//   name             the area's or site's name                  #adm2+name…
//   admin1_pcode…    the row's area path (ReleaseRow::area_path) #adm1+code,
//                    down to the finest level written: admin1_pcode #adm2+code,
//                    to admin3_pcode (site rows: the area the   #adm3+code
//                    site is shown in); a row fills them down
//                    to its own level, "" below it
//   round                                                       #round+code
//   assessment_type  SA, BA, ETT                                #assessment+type
//   sites            sites added up (1 on a site row)           #loc+count
//                    (`records`, #meta+count, in a release of admin-level
//                    figures: the published records added up)
//   latitude,        when some row written has a point          #geo+lat,
//   longitude        (a site's, or the mean of an area's sites)  #geo+lon
// then each release column that applies to a level written (ColumnApplies),
// in the release's order, hashtag its own (column.hxl, untagged when ""),
// each followed by "<column>__flag" (hashtag #meta+flag) when a cell of the
// column anywhere in the release is suppressed (whichever levels are written,
// so that every export of a release has the same columns per level), whose
// cells say only "suppressed" (kSuppressedFlag): a reason would tell the
// reader a range (spec/disclosure.md). The pcode and name hashtags
// name the level when the table holds one (#loc for sites, #adm3, #adm2,
// #adm1, #country), #adm+code/#adm+name when it holds several. Flag columns
// share one hashtag, #meta+flag, so that no indicator pattern
// (#affected+idps+f…) matches a column of reasons.
//
// Thread-safety: value types and pure functions; a ReleaseTable borrows the
// rows of its Release, which must outlive it.
#ifndef OPENDTM_PUBLISH_INTERNAL_RELEASE_TABLE_H_
#define OPENDTM_PUBLISH_INTERNAL_RELEASE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "disclosure/release.h"

namespace opendtm::publish::internal {

// What a flag cell (or a `flags` value) says of a suppressed cell, whatever
// its reason.
inline constexpr std::string_view kSuppressedFlag = "suppressed";

// How many P-codes of an area path a row of `level` names: 0 for country, 1
// for admin1, 2 for admin2, 3 for admin3 and sites.
size_t AreaPathDepth(analysis::Level level);

// "admin1_pcode", "admin2_pcode", "admin3_pcode" for depth 0, 1, 2 of a path.
std::string AreaPathField(size_t depth);

// The P-code at `depth` of `row`'s area path: "" beyond the row's own level
// or where unknown.
std::string AreaPcode(const disclosure::ReleaseRow& row, size_t depth);

enum class FieldKind {
  kOperation,
  kLevel,
  kPcode,
  kName,
  kAreaPcode,  // one P-code of the area path
  kRound,
  kAssessmentType,
  kSites,
  kLatitude,
  kLongitude,
  kValue,  // a release column's cell
  kFlag,   // the reason a release column's cell is suppressed
};

struct TableField {
  FieldKind kind = FieldKind::kValue;
  std::string name;   // header
  std::string hxl;    // hashtag, "" for an untagged column
  size_t column = 0;  // kValue, kFlag: index in Release::columns; kAreaPcode: depth
};

struct ReleaseTable {
  std::vector<analysis::Level> levels;              // written, in the release's order
  std::vector<const disclosure::ReleaseRow*> rows;  // written, in the release's order
  std::vector<TableField> fields;                   // in header order
  bool points = false;                              // latitude/longitude are fields
  int64_t columns = 0;                              // fields but flags (export_summary.h)
};

// The table of `release`'s rows at `levels` (empty: every level of the
// release). Errors: InvalidArgument when a level is not one of the release's,
// a row's cells do not match the columns, a suppressed cell has no reason, or
// a column is named like an identity column or ends in "__flag".
Result<ReleaseTable> LayOutTable(const disclosure::Release& release,
                                 std::span<const analysis::Level> levels);

// The text of `field` on `row`: "" for a blank or suppressed cell, for a
// column that does not apply to the row's level, and for a flag with nothing
// suppressed. Numbers as integers or in their shortest exact decimal form.
std::string FieldText(const disclosure::Release& release, const TableField& field,
                      const disclosure::ReleaseRow& row);

// True when `row` has both coordinates, finite.
bool HasPoint(const disclosure::ReleaseRow& row);

// Shortest decimal text that reads back as `number` ("0.25", "1250.5", "12");
// "" for NaN and infinities, which no format here can hold.
std::string NumberText(double number);

}  // namespace opendtm::publish::internal

#endif  // OPENDTM_PUBLISH_INTERNAL_RELEASE_TABLE_H_
