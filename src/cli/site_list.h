// The site list as a tier may receive it: what `dtm sites export` writes
// (spec/disclosure.md, "Microdata gate": an export, a site list, an API page).
//
// Columns, as the master list has always been written and `dtm sites import`
// reads it back:
//   site_id, site_name, adm1_pcode, adm2_pcode, adm3_pcode, latitude,
//   longitude, site_type, status
// one row per site of the operation's master list, in its order.
//
// protection and operation_admin receive the master list as it is. Below
// protection, a site's area, point and type are what the disclosure layer
// released at the site level for the reader's tier (disclosure/
// release_builder.h, the microdata gate included), exactly as
// `dtm export --level site` gives them: a generalised site shows its area one
// named level up and no point, a withheld site no area, no point and no type,
// and a site the release does not hold (no submission in the round) no
// area, point or type either. Where a site has several rows (assessment
// types), a field is shown only where every row shows the same value. The
// site ID, name and status are always written.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_CLI_SITE_LIST_H_
#define OPENDTM_CLI_SITE_LIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "disclosure/release.h"
#include "store/records.h"

namespace opendtm::cli {

// The columns of the site list (header above).
inline constexpr int64_t kSiteListColumns = 9;

// The CSV text of the site list (header comment): `sites` as they are when
// `release` is null, else gated by the site rows of `release` (borrowed for
// the call). Fields written with core::CsvLine: formulas neutralised.
std::string SiteListCsv(const std::vector<store::Site>& sites, const disclosure::Release* release);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_SITE_LIST_H_
