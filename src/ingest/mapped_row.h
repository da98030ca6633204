// MappedRow: one submitted row after column mapping, before validation.
//
// Values are indexed like the dictionary's indicators (dictionary.indicators()
// order), so that validation and storage never look names up per row. Split
// select_multiple columns are already joined into one space-separated value,
// a geopoint already split into latitude and longitude, and the mapping
// file's value maps already applied (each application is listed).
//
// Thread-safety: value type.
#ifndef OPENDTM_INGEST_MAPPED_ROW_H_
#define OPENDTM_INGEST_MAPPED_ROW_H_

#include <cstdint>
#include <string>
#include <vector>

namespace opendtm::ingest {

// A value the mapping file rewrote (">75" -> "gt75").
struct AppliedValueMap {
  int indicator = -1;
  std::string from;
  std::string to;
};

struct MappedRow {
  int64_t line = 0;  // the source's 1-based line/row
  // By indicator index: the submitted text, "" when absent or empty.
  std::vector<std::string> values;
  // By indicator index: the source column header the value came from, "" when
  // no column feeds the indicator (for messages and the cleaning log).
  std::vector<std::string> columns;
  // Submission identity from Kobo/ODK metadata ("" when the source has none).
  std::string submission_uuid;   // _uuid, or meta/instanceID without "uuid:"
  // The submission across its edits (OpenRosa gives each edit a new
  // instanceID): "root:<meta/rootUuid>", else "id:<_id>" (Kobo's record
  // number), else "".
  std::string submission_key;
  std::string deprecated_uuid;   // meta/deprecatedID without "uuid:": the version edited
  std::string submission_time;   // _submission_time
  std::string enumerator;        // _submitted_by (or username)
  std::string device;            // deviceid
  std::vector<AppliedValueMap> value_maps;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_MAPPED_ROW_H_
