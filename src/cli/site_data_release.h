// The release of one operation's site data to the tier of an open read: what
// `dtm export` and `dtm analyze rollup` (below protection) write.
#ifndef OPENDTM_CLI_SITE_DATA_RELEASE_H_
#define OPENDTM_CLI_SITE_DATA_RELEASE_H_

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

// Loads the operation's frames for --round `round_text` (N, A-B, all), the
// gazetteer's names of its country, and builds the release of `levels` for
// the read's tier and policy (disclosure/release_builder.h). A refusal by
// the layer (a level the tier may not see) is audited through `read`.
// With `audit` (borrowed for the call), also the exact audit of the
// release's protection intervals for the reader of the tier
// (disclosure/protection_audit.h; for partner, with the public release of the
// same frames).
// Errors: InvalidArgument for a bad round; PermissionDenied; the store's.
Result<disclosure::Release> SiteDataRelease(store::Store& store,
                                            const dictionary::Dictionary& dictionary,
                                            const store::Operation& operation, DisclosedRead& read,
                                            const std::vector<analysis::Level>& levels,
                                            const std::string& round_text,
                                            disclosure::ProtectionAuditReport* audit = nullptr);

// The rule a level breaks for a tier, as refusals say it: PermissionDenied
// "tier public may not receive site rows: it sees aggregates at admin2 and
// above (spec/disclosure.md, tier matrix)".
Status LevelRefusal(const disclosure::TierRules& rules, analysis::Level level);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_SITE_DATA_RELEASE_H_
