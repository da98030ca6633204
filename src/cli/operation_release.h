// The release of one operation's figures to the tier of an open read, from
// whichever source the operation has: its site submissions
// (cli/site_data_release.h), or, for an operation that has no round of site
// data but admin-level figures (the DTM API's and HDX's records, ingested
// by `dtm ingest FILE`), those figures as area tables
// (disclosure::ReleaseAdminFigureTables). What `dtm export` and `dtm analyze
// rollup` below protection write, so that both kinds of operation export and
// roll up alike.
#ifndef OPENDTM_CLI_OPERATION_RELEASE_H_
#define OPENDTM_CLI_OPERATION_RELEASE_H_

#include <string>
#include <vector>

#include "analysis/rollup.h"
#include "cli/disclosed_read.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "disclosure/protection_audit.h"
#include "disclosure/release.h"
#include "store/store.h"

namespace opendtm::cli {

struct OperationRelease {
  disclosure::Release release;
  // When the release has no row: why, in words a user acts on ("'Haiti
  // Earthquake' publishes admin-level figures down to admin2 only: none at
  // admin3"); "" otherwise.
  std::string empty_reason;
};

// The release of `levels` of `operation` for --round `round_text` (N, A-B,
// all: for admin-level figures, every round they name). Refusals by the
// layer are audited through `read`. `audit` as SiteDataRelease's (site data
// only). Errors: InvalidArgument for a bad round; PermissionDenied; the
// store's.
Result<OperationRelease> ReleaseOperation(store::Store& store,
                                          const dictionary::Dictionary& dictionary,
                                          const store::Operation& operation, DisclosedRead& read,
                                          const std::vector<analysis::Level>& levels,
                                          const std::string& round_text,
                                          disclosure::ProtectionAuditReport* audit = nullptr);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_OPERATION_RELEASE_H_
