// DTM API (v3) response of released admin-level figures: the body of
// GET /v3/displacement/admin0|admin1|admin2 (spec/interop.md, "DTM API (v3)"),
// the shape existing DTM clients and the HDX pipeline read.
//
//   {"result": [{…}, …], "statusCode": 200, "isSuccess": true,
//    "errorMessages": [], "totalRecordsCount": N}
//
// Each record is built from the released figure's fields (never from the
// stored record text), in the API's order:
//   admin2: id, operation, admin0Name, admin0Pcode, admin1Name, admin1Pcode,
//           admin2Name, admin2Pcode, numPresentIdpInd, reportingDate,
//           yearReportingDate, monthReportingDate, roundNumber,
//           displacementReason, numberMales, numberFemales,
//           idpOriginAdmin1Name, idpOriginAdmin1Pcode, assessmentType
//   admin1: the same without admin2Name and admin2Pcode;
//   admin0: the same as admin1 without id, admin1Name and admin1Pcode.
// Text fields are written verbatim (reportingDate "2010-11-30T00:00:00",
// "Not available"); id is a number when the stored id is a whole number
// (as the API sends it), the text otherwise, null when empty;
// yearReportingDate and monthReportingDate are numbers read from
// reportingDate ("YYYY-MM…"; null when it does not start so); the three people
// counts are numbers, null when unknown or suppressed (disclosure/
// admin_figure_release.h): the shape never gains a field.
//
// Layout: that of the API's recorded responses (data/real/dtm-api-v3-*.json):
// one line, ", " and ": " separators, a final newline; UTF-8 written as is
// (invalid bytes in stored text replaced by U+FFFD). For the data of those
// files, the text is byte for byte the file.
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_PUBLISH_DTM_API_EXPORT_H_
#define OPENDTM_PUBLISH_DTM_API_EXPORT_H_

#include "core/status.h"
#include "disclosure/admin_figure_release.h"
#include "publish/export_summary.h"

namespace opendtm::publish {

// The response holding `release`'s figures of `admin_level` (0, 1 or 2), in
// the release's order; the summary counts records and a record's fields.
// Errors: InvalidArgument for another admin level.
Result<ExportedText> ExportDtmApi(const disclosure::AdminFigureRelease& release, int admin_level);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_DTM_API_EXPORT_H_
