// Column mapping: which dictionary indicator each source column feeds.
//
// A column maps, in this order of precedence, by:
//   1. the operation's mapping file (`--mapping FILE`: header text -> indicator,
//      or `ignore`);
//   2. the indicator's name ("lighting");
//   3. an XLSForm group path ("gbv_risk/lighting"), including Kobo's split
//      select_multiple columns ("gbv_risk/unsafe_areas/latrines", 0/1 values)
//      and geopoint columns ("location", "_location_latitude");
//   4. Kobo/ODK metadata (_uuid, meta/instanceID, _submission_time,
//      _submitted_by, deviceid are read into the submission's identity; start,
//      end, today, _index … are dropped);
//   5. a DTM question code prefix ("10.1.s.1 Is there adequate lighting…"),
//      only where the code is unique in the dictionary (grid cells share one);
//   6. the question's label in any language, ignoring case and spacing;
//   7. the column's HXL hashtag (attribute order does not matter).
// A column that maps nowhere, or to an indicator another column already feeds,
// is reported (`unmapped_column`, info).
//
// The verbatim copy of a submission keeps only the columns that feed an
// indicator (dictionary.md, rule 2: nobody has classified what the others
// hold, such as an untagged phone column): VerbatimColumns() says which, and
// DroppedColumns() names the others with the reason, for the ingest report.
//
// Thread-safety: a built ColumnMapping is immutable; Apply may run concurrently
// on different rows.
#ifndef OPENDTM_INGEST_COLUMN_MAPPING_H_
#define OPENDTM_INGEST_COLUMN_MAPPING_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "dictionary/dictionary.h"
#include "ingest/finding.h"
#include "ingest/mapped_row.h"
#include "ingest/source.h"

namespace opendtm::ingest {

// An operation's mapping file (YAML), e.g. mappings/dtm-nepal-2015-r2.yaml:
//
//   source: DTM Nepal 2015 site assessment, round 2
//   header_row: 3                      # optional: the header's 1-based row
//   columns:                           # header text as written -> indicator
//     "2.1.c.1 Number of Males by age: <1 year": m_0_1
//     "Site classification": ignore
//   values:                            # per indicator: submitted text -> choice code
//     pct_sleeping_in_site: {">75": gt75}
struct MappingFile {
  std::string path;
  std::string source;
  std::optional<int> header_row;
  std::map<std::string, std::string, std::less<>> columns;  // "" target = ignore
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> values;
};

// Loads and checks a mapping file against `dictionary`: every target must be an
// indicator (or `ignore`), every value-map target a choice of that indicator.
// Errors: NotFound (file), InvalidArgument naming file, line and problem.
Result<MappingFile> LoadMappingFile(const std::string& path,
                                   const dictionary::Dictionary& dictionary);

enum class ColumnRole {
  kIndicator,      // the whole value of one indicator
  kChoiceFlag,     // Kobo split select_multiple: 1/0 for one choice
  kGeopoint,       // "lat lon [alt acc]" feeding latitude and longitude
  kSubmissionUuid,      // _uuid / meta/instanceID: this version of the submission
  kSubmissionRootUuid,  // meta/rootUuid: Kobo's identity across edits
  kSubmissionRecordId,  // _id: the server's record number, stable across edits
  kDeprecatedUuid,      // meta/deprecatedID: the version an edit replaces
  kSubmissionTime,
  kEnumerator,
  kDevice,
  kMetadata,       // known export metadata, read by nothing
  kIgnored,        // ignored by the mapping file
  kUnmapped,
};

struct ColumnBinding {
  ColumnRole role = ColumnRole::kUnmapped;
  int indicator = -1;       // kIndicator, kChoiceFlag
  std::string choice;       // kChoiceFlag
  std::string matched_by;   // "mapping file", "name", "group path", "DTM code", "label (fr)", "HXL"
};

// A source column left out of the verbatim copy, and why.
struct DroppedColumn {
  std::string header;  // as written in the file
  // "not in the dictionary", "export metadata", "ignored by the mapping
  // file", "indicator x is already fed by column 'y'", …
  std::string reason;
};

class ColumnMapping {
 public:
  // Maps every column of `header`. `mapping_file` may be null. Never fails on
  // unmapped columns (they are findings); fails (InvalidArgument) only when the
  // mapping file names a column the source does not have.
  static Result<ColumnMapping> Build(const SourceHeader& header,
                                     const dictionary::Dictionary& dictionary,
                                     const MappingFile* mapping_file);

  // One binding per source column.
  const std::vector<ColumnBinding>& bindings() const { return bindings_; }
  // `unmapped_column` findings (row 0), one per column that feeds nothing.
  const std::vector<Finding>& findings() const { return findings_; }
  // How many indicators at least one column feeds.
  int mapped_indicator_count() const;
  // The column feeding `indicator`, -1 when none.
  int ColumnOf(int indicator) const { return column_of_[indicator]; }

  // Fills `out` from `row` (reusing its storage).
  void Apply(const SourceRow& row, MappedRow& out) const;

  // The source columns the verbatim copy keeps, ascending: those that feed an
  // indicator (whole, as a split select_multiple flag, or as the geopoint).
  const std::vector<int>& VerbatimColumns() const { return verbatim_columns_; }

  // The columns VerbatimColumns() leaves out, in source order.
  const std::vector<DroppedColumn>& DroppedColumns() const { return dropped_columns_; }

  // A copy that fills only `indicators` (indices) and leaves every other value,
  // and the submission identity, empty: a quick pass over a file that needs a
  // few columns (the first pass of an ingest reads the dates and the round).
  ColumnMapping OnlyFor(std::span<const int> indicators) const;

 private:
  // Fills column_by_indicator_ from the bindings (end of Build).
  void NameValueColumns();
  // Fills verbatim_columns_ and dropped_columns_ from the bindings and the
  // reasons Build found for unused columns (by column; "" when none).
  void SplitVerbatimColumns(const std::vector<std::string>& unused_reasons);

  std::string source_name_;
  std::vector<std::string> column_names_;
  std::vector<ColumnBinding> bindings_;
  std::vector<int> column_of_;  // by indicator index
  // By indicator index: the source column its value comes from (MappedRow::columns).
  std::vector<std::string> column_by_indicator_;
  std::vector<Finding> findings_;
  std::vector<int> verbatim_columns_;
  std::vector<DroppedColumn> dropped_columns_;
  int latitude_ = -1;
  int longitude_ = -1;
  // By indicator index: submitted text -> choice code, from the mapping file.
  std::vector<std::map<std::string, std::string, std::less<>>> value_maps_;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_COLUMN_MAPPING_H_
