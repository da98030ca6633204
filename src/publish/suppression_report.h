// The export's report to the operation team: how many cells a release
// suppressed, and why. Files below protection say only "suppressed" of a
// cell (a reason would tell the reader a range, spec/disclosure.md); the
// counts per reason go to the terminal of the user who exports (the CLI's
// summary), never into the file.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_PUBLISH_SUPPRESSION_REPORT_H_
#define OPENDTM_PUBLISH_SUPPRESSION_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "disclosure/release.h"

namespace opendtm::publish {

struct ReasonCount {
  disclosure::SuppressionReason reason = disclosure::SuppressionReason::kNone;
  int64_t cells = 0;
};

// The suppressed cells of `release`'s rows (columns that apply to each row's
// level), by reason in the enum's order; reasons without a cell left out.
std::vector<ReasonCount> SuppressedByReason(const disclosure::Release& release);

// Σ SuppressedByReason.
int64_t SuppressedCells(const disclosure::Release& release);

// "42 cells suppressed (small_cell 12, complementary 30)", "0 cells
// suppressed": the reasons named as disclosure::ReasonName names them;
// then "; 3 admin3 rows withheld for the microdata gate" when there are.
std::string SuppressionNote(const disclosure::Release& release);

}  // namespace opendtm::publish

#endif  // OPENDTM_PUBLISH_SUPPRESSION_REPORT_H_
