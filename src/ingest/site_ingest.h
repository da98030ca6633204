// SiteIngest: one round's site submissions, from a file to the store, as one
// transaction and one batch.
//
// The journey of a file (two streaming passes, so that a file of a million rows
// is never held in memory):
//   1. open the source (CSV, XLSX, HXL), build the column mapping;
//   2. first pass: decide each date column's day/month order from all its
//      values, and find the round's window when the round is new;
//   3. second pass, inside one store transaction: validate each row, store the
//      accepted ones (cleaned values + the verbatim row: only the columns that
//      feed an indicator, pii cells and personal-looking values blank),
//      quarantine the others, write every finding to the cleaning log (pii
//      drops: one entry per column and batch, "N values not stored", never a
//      value), raise alerts, register new sites when asked. Validation runs on
//      the calling thread and the writes on a second one, block by block, in
//      file order: the result is the same as on one thread;
//   4. batch checks over the whole round (outliers by admin1, population
//      change against the previous round), the alerts the round raises
//      (SiteIngestOptions::raise_alerts), then commit.
// A failure at any point before the commit leaves the database as it was.
//
// Writers that cannot collide: the store transaction begins (and takes the
// database's write lock, store.h BeginIngest) before the ingest reads what is
// already stored, so two ingests of the same file, or of files with rows of
// the same site and round, run one after the other whatever their timing: the
// second sees the first's batch. A dry run reads without the lock.
//
// Re-ingesting a file whose exact bytes were already ingested into the same
// round (an active batch) changes nothing and says so. A corrected file
// replaces the quarantined rows of the same site and round, and says so.
//
// Kobo/ODK exports carry each submission's identity. A row whose uuid
// (`_uuid`, `meta/instanceID`) is already stored in the round is that very
// version (Kobo exports are cumulative): it is left alone and counted as it
// was stored (`unchanged`), unless it was quarantined: then it is validated
// again and replaces the stored version (accepted when it now passes). A
// row that is a new version of a stored submission
// — its `meta/deprecatedID` names a stored uuid, or it has a stored
// submission's `meta/rootUuid` or `_id` with a new uuid (OpenRosa gives every
// edit a new instanceID) — replaces that submission (`submission_edited` in
// the cleaning log, action "replaced"; undoing the batch restores it).
//
// Personal data (dictionary.md, rule 2): columns that feed no indicator (an
// untagged phone column, export metadata) are dropped and named in the
// summary; a mapping that sends a column of contact details onto an indicator
// that is not `pii` is refused before anything runs (personal_data.h); a value
// that looks like a phone number or an e-mail is blanked (`pii_suspected`).
//
// Thread-safety: one ingest at a time per store.
#ifndef OPENDTM_INGEST_SITE_INGEST_H_
#define OPENDTM_INGEST_SITE_INGEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "geo/country_extent.h"
#include "ingest/column_mapping.h"
#include "ingest/finding.h"
#include "store/store.h"

namespace opendtm::ingest {

struct SiteIngestOptions {
  std::string path;                   // the file to ingest
  std::string operation;              // the operation's name, verbatim
  std::optional<std::string> country; // needed only when the name is ambiguous
  std::optional<int> round;           // else the file's round column (one round per file)
  store::AssessmentType assessment_type = store::AssessmentType::kSiteAssessment;
  std::string mapping_path;           // "" for none
  int header_row = 0;                 // 0: detect (or the mapping file's header_row)
  std::string sheet;                  // XLSX sheet name or 1-based index; "" first
  bool register_new_sites = false;
  bool dry_run = false;               // validate and report; store nothing
  bool strict = false;                // quarantine on any error
  const geo::CountryExtents* extents = nullptr;  // country boxes for GPS checks; may be null
  std::string who;                    // for the batch and the cleaning log
  std::string now;                    // ISO time of the ingest
  core::Date today{9999, 12, 31};     // today() in constraints
  // Called every few thousand rows of the second pass with the rows done.
  std::function<void(int64_t rows_done)> progress;
  // The alerts the stored round raises beyond each row's own (for `dtm
  // ingest`: the sites whose GBV risk band became very high), found by
  // reading the round back through `store`. Called once every row is
  // written, on the calling thread, inside the ingest's transaction (the
  // store's reads see the new batch `batch`, its id set) and before the
  // commit, so that the batch and its alerts become durable together. Not
  // called for a dry run or a file already ingested; may be empty. An error
  // rolls the whole ingest back.
  std::function<Result<std::vector<store::Alert>>(store::Store& store, const store::Batch& batch)>
      raise_alerts;
};

// How often a rule fired: on how many rows, how many times.
struct RuleCount {
  int64_t rows = 0;
  int64_t count = 0;
};

struct SiteIngestSummary {
  int64_t batch_id = 0;        // 0 for a dry run or an already-ingested file
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
  std::map<std::string, RuleCount> findings;  // by rule id
  int64_t exact_choice_matches = 0;  // choice answers mapped silently
  int64_t value_maps_applied = 0;    // answers rewritten by the mapping file
  int64_t new_sites = 0;             // registered with --register-new-sites
  int64_t replaced = 0;              // earlier quarantined rows replaced
  // Rows whose Kobo/ODK uuid is already stored in the round (a cumulative
  // export downloaded again): left as they are, and counted as accepted or
  // quarantined as stored.
  int64_t unchanged = 0;
  int64_t already_ingested_batch = 0;  // the batch that already holds this exact file
  int64_t raised_alerts = 0;  // alerts of options.raise_alerts stored (not those already listed)
  int round = 0;
  std::vector<Finding> sample;       // the first findings, for the terminal
  std::vector<std::string> notes;    // about the file (encoding, header row, dropped columns)
  // Columns that feed no indicator: not stored anywhere (one note each too).
  std::vector<DroppedColumn> dropped_columns;

  // True when any finding of warning or error severity was made.
  bool has_problems = false;
};

// Adds one row's findings to `summary`: per rule, the count and (once per
// rule) the row; has_problems for any warning or error; the first 20
// warnings and errors into `sample`. Both ingests count with it.
void CountRowFindings(std::span<const Finding> findings, SiteIngestSummary& summary);

// Runs the ingest. Errors (nothing stored): NotFound for a missing file,
// operation or mapping file; InvalidArgument for an unreadable file, a bad
// mapping (one that sends a column whose header or values look personal onto
// an indicator that is not pii, naming the column), a file without a round
// (no --round, no round column) or with
// several rounds; FailedPrecondition for an ambiguous operation name; the
// store's errors.
Result<SiteIngestSummary> RunSiteIngest(store::Store& store,
                                        const dictionary::Dictionary& dictionary,
                                        const SiteIngestOptions& options);

// The summary as the single JSON object `dtm ingest --json` prints:
// {"batch_id":…,"rows_read":N,"accepted":N,"quarantined":N,
//  "dropped_columns":[{"column":"<header>","reason":"…"},…],
//  "findings":{"<rule id>":{"rows":N,"count":N},…}}
std::string SummaryJson(const SiteIngestSummary& summary);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_SITE_INGEST_H_
