// Quarantine release: the quarantined rows of one site-ingest batch judged
// again, now that the master list or the round may have changed, and stored
// as accepted submissions when they now pass.
//
// A quarantined row keeps, besides its quarantine entries, the submission the
// ingest stored for it (state quarantined, with its cleaned values) and its
// verbatim source row. A release:
//   1. opens an ingest transaction (a new batch, "release of batch N", of the
//      same operation, round and assessment type), so that the release is
//      one unit with the store's write lock held, and undoable as any batch;
//   2. validates each quarantined row's stored values again with the
//      ingest's SiteValidator (the master list, gazetteer, round window and
//      lock as they are now) and the batch checks (a site already accepted in
//      the round, or twice among the released rows, stays a duplicate);
//   3. stores each row that passes as an accepted submission of the new
//      batch (the values as validated now, the same verbatim row, identity
//      and source row), marks the quarantined submission replaced (it leaves
//      the quarantine list; undoing the release batch brings it back), and
//      writes a cleaning-log entry (rule "quarantine_released", action
//      "released", old value the rule that had quarantined it) and one per
//      warning or error the row still has (action "flagged");
//   4. commits when at least one row was released (otherwise nothing is
//      written). Rows that still fail stay quarantined as they are; the
//      summary gives the rule and message that quarantine them now.
// Alerts are not raised again: an urgent value raised its alert when the row
// was first ingested, quarantined or not.
//
// Thread-safety: one release at a time per store (it is an ingest).
#ifndef OPENDTM_INGEST_QUARANTINE_RELEASE_H_
#define OPENDTM_INGEST_QUARANTINE_RELEASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "geo/country_extent.h"
#include "store/store.h"

namespace opendtm::ingest {

// The cleaning-log rule of a released row (action "released").
inline constexpr std::string_view kQuarantineReleasedRule = "quarantine_released";

struct QuarantineReleaseOptions {
  int64_t batch_id = 0;                          // the batch whose quarantined rows are judged
  std::optional<int64_t> source_row;             // only this source row (--row R)
  bool strict = false;                           // any error keeps a row quarantined (as --strict)
  const geo::CountryExtents* extents = nullptr;  // country boxes for GPS checks; may be null
  std::string who;                               // for the release batch and the cleaning log
  std::string now;                               // ISO time of the release
  core::Date today{9999, 12, 31};                // today() in constraints
};

// One quarantined row, after the release.
struct ReleasedRow {
  int64_t source_row = 0;
  std::string site_id;
  int64_t submission_id = 0;  // the accepted submission stored for it
  std::string previous_rule;  // the rule that had quarantined it
};
struct KeptRow {
  int64_t source_row = 0;
  std::string site_id;
  std::string rule;  // the rule that quarantines it now
  std::string message;
};

struct QuarantineReleaseSummary {
  int64_t batch_id = 0;  // the batch judged
  int64_t operation_id = 0;
  int round = 0;
  int64_t release_batch_id = 0;       // the batch holding the released rows; 0 when none
  std::vector<ReleasedRow> released;  // by source row
  std::vector<KeptRow> kept;          // by source row
};

// Releases what passes now among the quarantined rows of options.batch_id
// (a batch with no quarantined rows left releases nothing, successfully).
// Errors (nothing stored): NotFound for an unknown batch, or a source_row the
// batch has not quarantined; FailedPrecondition for an undone batch, or a
// batch of admin-level figures (their records are not site submissions);
// the store's (Unavailable when another writer holds the database too long).
Result<QuarantineReleaseSummary> ReleaseQuarantine(store::Store& store,
                                                   const dictionary::Dictionary& dictionary,
                                                   const QuarantineReleaseOptions& options);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_QUARANTINE_RELEASE_H_
