// Builds the Release of one operation's frames for one tier: the single path
// from stored site data to anything that leaves OpenDTM.
//
// Steps:
//   1. Check the tier may see every level asked (PermissionDenied naming the
//      rule otherwise: "tier public may not receive site rows: it sees
//      aggregates at admin2 and above (spec/disclosure.md)").
//   2. Columns: the dictionary's indicators the tier may see (release.h says
//      how an indicator becomes columns). On site rows only classes the tier
//      may see per site (policy.h: SiteValueVisible); on area rows every
//      class but pii. Structural identity columns (site_id, round, P-codes,
//      site_name, coordinates) are not indicator columns: they become row
//      identity (pcode, name, parent, latitude, longitude).
//   3. Rows: every level the tier can see (not only those asked), from the
//      same rollup (analysis/rollup.h), so that suppression is consistent
//      across levels and across exports of the same data.
//   4. Suppression (suppression.h, SuppressProtected), when the tier's rules
//      ask for it, per (round, assessment type) table: figures are the
//      people counts (the population module's sums and the vulnerability
//      counts: `people`), every other summed indicator and every answer
//      count; relations are each area = the areas (or site rows) it holds at
//      the next finer level the tier sees, for every column, and on every
//      row the SADD margins (ind_total = m_total + f_total; m_total = its age
//      cells; f_total = its age cells) where they hold; limits are the
//      answer counts of a single-choice indicator adding up to at most the
//      area's sites. Spec/disclosure.md's rules:
//        - public totals (hh_total, ind_total, m_total, f_total and the
//          answer counts of public-class indicators) at admin2 and above,
//          and group facts (an area of >= n_group sites where none or all
//          of the answered sites gave an answer) are exempt;
//        - k_sites applies to aggregates of indicators the tier does not
//          see on site rows (for partner, a public-class sum is already on
//          its site rows); k_people to people counts, 0 included;
//        - homogeneity: in an area of < n_group sites, the answers of a
//          sensitive indicator whose answered sites share one value;
//        - protection intervals, with a priori bounds from the exempt
//          figures (AprioriBounds in release_builder.cc).
//        - the gate's admin3 rows: where the microdata gate (step 5) shows a
//          site without its admin3, every admin3 row of that site's admin2
//          is withheld (not published, no figures; its sites add up under
//          the admin2), since a row's existence, `sites` or any count could
//          tell which admin3 holds the site (internal/table_gate.h).
//      For public, partner's suppression of the same frames is built first
//      and its suppressed cells seed public's (a partner reads both).
//   5. Microdata gate (k-anonymity) on site rows released below protection:
//      quasi-identifiers are the dictionary's `quasi_identifier` indicators
//      the tier sees on site rows, plus the row's admin3 where the operation
//      records one (admin1 and admin2 are not quasi-identifiers); a row in a
//      group of fewer than k sites (same admin3 and values) first loses its
//      admin3 and point (generalised: shown under its admin2), and if still
//      alone among its admin2's sites with the same values, or where it has
//      no admin3, its quasi-identifier values are withheld (blank, counted in
//      the release's MicrodataReport); it is never moved to its admin1.
//   6. Rounding of published people counts to the tier's rounding base.
//   7. Keep the levels asked.
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_DISCLOSURE_RELEASE_BUILDER_H_
#define OPENDTM_DISCLOSURE_RELEASE_BUILDER_H_

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "disclosure/policy.h"
#include "disclosure/protection_audit.h"
#include "disclosure/release.h"

namespace opendtm::disclosure {

struct ReleaseRequest {
  Tier tier = Tier::kPublic;
  Policy policy;  // the operation's current policy
  // Levels asked, any order (kSite … kCountry; not region or global).
  std::vector<analysis::Level> levels;
  std::string operation;  // the operation's name
  std::string country;    // its ISO3
  // P-code → area name (the gazetteer); borrowed for the call, may be null.
  const std::map<std::string, std::string, std::less<>>* area_names = nullptr;
  // When not null, filled with the exact audit of the release's protection
  // intervals for the reader of the tier (protection_audit.h), every level
  // it sees; for partner, also every partner-suppressed cell that the public
  // release of the same frames would publish. Borrowed for the call.
  ProtectionAuditReport* audit = nullptr;
  // Tables (one per frame: round and assessment type) suppressed at once;
  // the release is the same whatever the number.
  unsigned threads = 1;
};

// The release of `frames` (one operation, any rounds and assessment types),
// rows ordered as release.h says. Errors: PermissionDenied (step 1);
// InvalidArgument when a level is region or global, or the frames were not
// loaded with `dictionary`.
Result<Release> BuildRelease(std::span<const analysis::Frame> frames,
                             const dictionary::Dictionary& dictionary,
                             const ReleaseRequest& request);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_RELEASE_BUILDER_H_
