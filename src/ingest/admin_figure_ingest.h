// AdminFigureIngest: a file of DTM API (v3) admin-level figures, from the file
// to the store, as one transaction and one batch.
//
// Accepted sources: a /v3/displacement/admin0|admin1|admin2 JSON response
// (DtmApiSource), its CSV flattening, and HDX's "DTM from API" HXL CSV, which
// mixes admin levels 0-2 in one file with an `adminLevel` column. Columns are
// found by their DTM API field names (`id, operation, admin0Name, admin0Pcode,
// admin1Name, admin1Pcode, admin2Name, admin2Pcode, numPresentIdpInd,
// reportingDate, yearReportingDate, monthReportingDate, roundNumber,
// displacementReason, numberMales, numberFemales, idpOriginAdmin1Name,
// idpOriginAdmin1Pcode, assessmentType, adminLevel`; case, spaces and
// underscores ignored), else by the HXL hashtags of the HDX file
// (`#affected+idps`, `#round+code`…). Other columns (HDX's `operationStatus`)
// are kept in the stored record only.
//
// These are admin-level figures, not site submissions: operation, round,
// reporting date and assessment type come from each record, each record's
// operation (name verbatim, country = admin0Pcode) is created when absent, and
// the site rules do not apply. Each record is stored as it came
// (AdminFigure::record_json: the record's original text for JSON; for CSV a JSON
// object of the row's fields, in column order, as strings), so that an export
// can reproduce it exactly.
//
// What quarantines a record (the rule: only a repeated key or a figure
// that is not a number):
//   - `type`: numPresentIdpInd is not a whole number (core::ParseInteger);
//   - `figure_duplicate`: its full key (admin level, id, operation, round,
//     reporting date, assessment type, admin0/1/2 P-code, displacement reason,
//     origin admin1 P-code; each as written) repeats the key of an earlier
//     accepted record of the file; the earlier record is kept.
// And, because such a record cannot be stored as a figure at all (the store
// keys figures on their operation and round): `required` when `operation` is empty or
// admin0Pcode is not an ISO3 code, `type` when roundNumber or a non-empty
// adminLevel is not a whole number (adminLevel 0, 1 or 2).
// numberMales/numberFemales empty or "null" are unknown (nullopt), not a
// finding; any other value that is not a whole number is blanked with a `type`
// warning and the record is accepted (the stored record keeps it).
//
// Re-ingesting the same file bytes (by SHA-256, whatever the path) while its
// batch is active changes nothing and sets already_ingested_batch. The earlier
// batch is found among the batches holding figures of the operations the file
// names, so a file whose every record was quarantined is not recognised.
//
// Thread-safety: one ingest at a time per store.
#ifndef OPENDTM_INGEST_ADMIN_FIGURE_INGEST_H_
#define OPENDTM_INGEST_ADMIN_FIGURE_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/site_ingest.h"
#include "ingest/source.h"
#include "store/store.h"

namespace opendtm::ingest {

namespace rule {
// An admin-level figure whose full key repeats an earlier one of the same file.
inline constexpr std::string_view kFigureDuplicate = "figure_duplicate";
}  // namespace rule

struct AdminFigureIngestOptions {
  std::string path;      // the file to ingest
  int header_row = 0;    // CSV/XLSX: 1-based header row; 0 detects it
  std::string sheet;     // XLSX sheet name or 1-based index; "" first
  bool dry_run = false;  // validate and report; store nothing
  std::string who;       // for the batch and the cleaning log
  std::string now;       // ISO time of the ingest
  // Called every few thousand rows of the second pass with the rows done.
  std::function<void(int64_t rows_done)> progress;
};

// True when `header` has the columns of DTM API admin-level figures (by API
// field name or HDX hashtag): operation, admin0Pcode, numPresentIdpInd,
// roundNumber, reportingDate and assessmentType. The CLI uses it to route a
// file given without --operation to RunAdminFigureIngest.
bool LooksLikeAdminFigures(const SourceHeader& header);

// Runs the ingest. Returns the summary (SiteIngestSummary: batch_id 0 for a dry
// run or an already-ingested file; rows_read = accepted + quarantined; round
// 0, since the records carry their own rounds; findings by rule id).
// Errors (nothing stored): NotFound for a missing file; InvalidArgument for an
// unreadable file or one lacking a required column (named); the store's errors.
// `options` is borrowed for the call only.
Result<SiteIngestSummary> RunAdminFigureIngest(store::Store& store,
                                               const AdminFigureIngestOptions& options);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_ADMIN_FIGURE_INGEST_H_
