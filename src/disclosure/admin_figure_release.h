// The release of stored admin-level figures (DTM API v3 records, see
// store::AdminFigure) to one tier: what publish/dtm_api_export.h writes, so
// that a DTM-compatible response goes through the disclosure layer like every
// other output (spec/disclosure.md).
//
// Each released figure keeps every field of its record as stored (names,
// P-codes, dates and "Not available" verbatim) except the three people counts
// (numPresentIdpInd, numberMales, numberFemales), which are released only when
// the tier may see them:
//   - operation_admin: every count as stored;
//   - a tier whose rules do not ask for suppression (protection by default):
//     every count as stored, rounded if its rules say so (below);
//   - below operation_admin with TierRules::suppressed (public and partner by
//     default), through disclosure::Suppress (suppression.h):
//       1. figures: each record's three counts, people counts all (k_people
//          applies: above 0 and below it is suppressed_small_cell; a true 0
//          is published). k_sites does not apply: a record does not say how
//          many sites it adds up. An unknown numberMales/numberFemales is a
//          blank figure (published as null, as stored);
//       2. relations, only where they hold exactly in the stored figures:
//          numPresentIdpInd = numberMales + numberFemales on each record with
//          both; and, across the levels given, each figure of a coarser record
//          = Σ the same figure of the next finer level's records with the same
//          key — operation (name and country), roundNumber, reportingDate,
//          assessmentType, displacementReason and idpOriginAdmin1Pcode, plus
//          admin1Pcode between admin1 and admin2 (a key held by two coarser
//          records is ambiguous and relates nothing);
//       3. Suppress sets primary and complementary suppression over them.
// Below operation_admin, published counts are then rounded to
// TierRules::rounding_base when it is above 1 (to the nearest multiple,
// halves away from zero), after suppression, as the release builder does.
// A suppressed count is nullopt with its reason; the record keeps its place
// and its other fields (the DTM API shape gains no field).
//
// Thread-safety: pure function of its arguments; value types.
#ifndef OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_
#define OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/policy.h"
#include "disclosure/release.h"
#include "store/records.h"

namespace opendtm::disclosure {

// A people count of a released figure: nullopt when unknown (stored null) or
// suppressed (reason set).
struct ReleasedCount {
  std::optional<int64_t> value;
  SuppressionReason reason = SuppressionReason::kNone;
};

// One admin-level figure as a tier may receive it. Fields are
// store::AdminFigure's, verbatim, but for the counts.
struct ReleasedAdminFigure {
  int admin_level = 0;    // 0, 1 or 2
  std::string source_id;  // the record's `id` as stored, "" for admin0
  std::string operation_name;
  std::string country_name;
  std::string country;  // ISO3
  int round = 0;
  std::string reporting_date;   // verbatim ("2010-11-30T00:00:00")
  std::string assessment_type;  // verbatim ("SA", "BA", "ETT")
  std::string admin1_pcode;
  std::string admin1_name;
  std::string admin2_pcode;
  std::string admin2_name;
  std::string displacement_reason;
  std::string origin_admin1_pcode;  // "Not available" kept
  std::string origin_admin1_name;
  ReleasedCount num_present_idp_ind;  // never unknown as stored: nullopt only when suppressed
  ReleasedCount males;
  ReleasedCount females;
};

struct AdminFigureRelease {
  Tier tier = Tier::kPublic;
  int policy_version = 0;
  TierRules rules;
  std::vector<ReleasedAdminFigure> figures;  // in the order given
  int64_t small_cells = 0;                   // counts suppressed as primary
  int64_t complementary = 0;                 // counts suppressed as secondary
};

// The release of `figures` (any admin levels, any operations; borrowed for
// the call) to `tier` under `policy`. Pass every level that is released
// together (admin0, admin1 and admin2 of the same data), so that secondary
// suppression holds across them. Errors: PermissionDenied when the tier may
// not see a level of the figures ("tier public may not receive admin2
// figures: …"); InvalidArgument for an admin level other than 0, 1 or 2 and
// for what Suppress refuses.
Result<AdminFigureRelease> ReleaseAdminFigures(std::span<const store::AdminFigure> figures,
                                               const Policy& policy, Tier tier);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_ADMIN_FIGURE_RELEASE_H_
