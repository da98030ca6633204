// GeoJSON export of a Release (RFC 7946): a FeatureCollection with one
// Feature per row (area or site, and round), in the release's order, and the
// foreign members tier, policy_version and dictionary_version (what produced
// the file).
//
//   geometry    {"type": "Point", "coordinates": [longitude, latitude]} when
//               the row has a point (a site's, or the mean of an area's sites;
//               the release leaves it out where it must not be mapped), null
//               otherwise;
//   properties  [operation,] level, pcode, name, the area path down to the
//               row's own level (admin1_pcode…, null where unknown), round,
//               assessment_type, sites (the identity columns of
//               csv_export.h; name null when unknown), then every release column that applies to
//               the row's level, in the release's order: integers and decimals as numbers, text as
//               strings, null when blank or suppressed — never 0; and `flags`, {column:
//               "suppressed"} for the row's suppressed cells (never the reason), only when it has
//               some.
//
// Layout: one Feature per line between the collection's opening and closing
// lines, so that files diff by row; UTF-8 (invalid bytes in stored text are
// replaced by U+FFFD).
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_PUBLISH_GEOJSON_EXPORT_H_
#define OPENDTM_PUBLISH_GEOJSON_EXPORT_H_

#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "disclosure/release.h"
#include "publish/export_summary.h"

namespace opendtm::publish {

struct GeoJsonOptions {
  // The levels written; empty: every level of the release.
  std::vector<analysis::Level> levels;
};

// The GeoJSON text of `release`. Errors: those of ExportCsv.
Result<ExportedText> ExportGeoJson(const disclosure::Release& release,
                                   const GeoJsonOptions& options);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_GEOJSON_EXPORT_H_
