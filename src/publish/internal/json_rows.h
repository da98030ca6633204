// What the JSON and GeoJSON exports share: a release cell as a JSON value, a
// row's flags, and one way to write JSON text.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_PUBLISH_INTERNAL_JSON_ROWS_H_
#define OPENDTM_PUBLISH_INTERNAL_JSON_ROWS_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "disclosure/release.h"

namespace opendtm::publish::internal {

// The value of release column `column` on `row`: a number for integer and
// decimal columns, a string for text, null when blank or suppressed.
nlohmann::ordered_json CellJson(const disclosure::Release& release, size_t column,
                                const disclosure::ReleaseRow& row);

// {column name: "suppressed"} for the suppressed cells of `row` among the
// columns that apply to its level, in column order; an empty object when
// none. Never the reason (release_table.h).
nlohmann::ordered_json FlagsJson(const disclosure::Release& release,
                                 const disclosure::ReleaseRow& row);

// Adds "admin1_pcode"… down to `row`'s own level (release_table.h) to
// `object`, each a P-code or null where unknown; none on a country row.
void AddAreaPath(const disclosure::ReleaseRow& row, nlohmann::ordered_json& object);

// Text or null ("" is null).
nlohmann::ordered_json TextOrNull(const std::string& text);

// `value` as compact JSON text (no spaces), UTF-8, invalid bytes replaced by
// U+FFFD instead of throwing.
std::string CompactJson(const nlohmann::ordered_json& value);

}  // namespace opendtm::publish::internal

#endif  // OPENDTM_PUBLISH_INTERNAL_JSON_ROWS_H_
