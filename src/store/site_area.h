// Which admin area a site is counted under: the master list's
// (spec/disclosure.md: a site's admin area is the one of the master list; a
// round that reports another P-code raises a finding and changes nothing
// until the master list is corrected with `dtm sites import`).
//
// Thread-safety: pure functions.
#ifndef OPENDTM_STORE_SITE_AREA_H_
#define OPENDTM_STORE_SITE_AREA_H_

#include <array>
#include <string>
#include <string_view>

#include "store/records.h"

namespace opendtm::store {

// A site's adm1, adm2 and adm3 P-codes, by level - 1.
using SiteArea = std::array<std::string, 3>;

// The area of `master` (the site's master-list record) given what a round
// reported for it, level by level: the master list's P-code where it has one;
// where it has none, the reported one, unless a coarser level of the report
// was replaced by a different master P-code (the reported finer code would
// then lie in another area), in which case "".
SiteArea MasterAreaOf(const Site& master, const std::array<std::string_view, 3>& reported);

}  // namespace opendtm::store

#endif  // OPENDTM_STORE_SITE_AREA_H_
