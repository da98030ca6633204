// Batch checks: the rules that need more than one row, run after SiteValidator
// has validated each row of one ingest batch (one round, one assessment type).
//
//   rule               severity  effect
//   site_duplicate     error     quarantines: the second and later rows of a site
//                                in the batch (same site ID and, when the rows
//                                carry one, the same round number), and any row of
//                                a site already stored for the round and type
//   population_change  warning   ind_total at least doubled or at least halved,
//                                and by at least 50 people, since the site's
//                                previous round
//   outlier_mad        warning   |0.6745 × (y − median) / MAD| > 3.5, y = log(1 + x),
//                                for ind_total
//                                or hh_total among the accepted sites of the same
//                                admin 1 (rows without admin 1 form one group);
//                                groups of fewer than 5 sites, or with MAD 0, are
//                                skipped
//
// Rows already quarantined (by SiteValidator) neither claim a site for the
// duplicate rule nor enter the statistics. The batch is streamed: Check each
// row in file order, then Finish once; only the numbers needed for the
// medians are kept (24 bytes per row and indicator), never the rows.
//
// Thread-safety: one thread at a time. The dictionary must outlive the checker.
#ifndef OPENDTM_INGEST_BATCH_CHECKS_H_
#define OPENDTM_INGEST_BATCH_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "dictionary/dictionary.h"
#include "ingest/finding.h"
#include "ingest/site_validator.h"

namespace opendtm::ingest {

struct BatchContext {
  std::string file;  // the source's name, for findings
  // By indicator index: the source column feeding it ("" when none), as in
  // MappedRow::columns (constant over a batch), for findings.
  std::vector<std::string> columns;
  // Sites that already have an accepted submission stored for this round and
  // assessment type (the caller leaves out re-ingests of the same submission).
  std::unordered_set<std::string, core::StringHash, std::equal_to<>> stored_site_ids;
  // Each site's ind_total in the previous round of the same assessment type.
  std::unordered_map<std::string, double, core::StringHash, std::equal_to<>> previous_ind_total;
  // population_change thresholds.
  double change_ratio = 2.0;
  double change_min_people = 50;
  // outlier_mad thresholds.
  double outlier_z = 3.5;
  size_t outlier_min_sites = 5;
};

// An outlier_mad finding and the row it belongs to.
struct BatchFinding {
  size_t row_ordinal = 0;  // 0-based order in which the row was passed to Check
  Finding finding;
};

class BatchChecker {
 public:
  BatchChecker(const dictionary::Dictionary& dictionary, BatchContext context);

  // Checks one validated row, in file order: appends site_duplicate (and
  // quarantines the row) and population_change findings to `outcome`, and
  // notes its numbers for Finish.
  void Check(RowOutcome& outcome);

  // The site's stored submission is being replaced by an edit (a new version
  // of the same Kobo submission): a row for it is no longer a duplicate.
  void ForgetStoredSite(std::string_view site_id);

  // After the last row: the outlier_mad findings, by row ordinal then indicator.
  std::vector<BatchFinding> Finish();

 private:
  struct Sample {
    size_t row_ordinal;
    int64_t line;
    double value;
  };

  void AddOutliers(int indicator_idx, std::map<std::string, std::vector<Sample>>& groups,
                   std::vector<BatchFinding>& out) const;

  const dictionary::Dictionary* dictionary_;
  BatchContext context_;
  int site_id_ = -1;
  int round_ = -1;
  int adm1_ = -1;
  int ind_total_ = -1;
  int hh_total_ = -1;
  size_t next_ordinal_ = 0;
  std::unordered_set<std::string> seen_;  // site ID + '\0' + round value
  // By admin 1 (cleaned value, "" when none).
  std::map<std::string, std::vector<Sample>> ind_samples_;
  std::map<std::string, std::vector<Sample>> hh_samples_;
};

// Runs a BatchChecker over rows held in memory and attaches the outlier
// findings to their rows.
void CheckBatch(const dictionary::Dictionary& dictionary, BatchContext context,
                std::span<RowOutcome> outcomes);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_BATCH_CHECKS_H_
