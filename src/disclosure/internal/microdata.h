// The microdata gate (spec/disclosure.md, "Microdata gate"): k-anonymity of
// the site rows of one table (round and assessment type) released below the
// protection tier. Private to the disclosure module; release_builder.h says
// where it runs.
//
// Thread-safety: pure function over the rows it is given.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_MICRODATA_H_
#define OPENDTM_DISCLOSURE_INTERNAL_MICRODATA_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "disclosure/release.h"

namespace opendtm::disclosure::internal {

// One site row and the areas it may be shown in.
struct GatedSite {
  ReleaseRow* row = nullptr;  // borrowed for the call
  std::string area;           // the area it is shown in (its parent), as a unique key
  // The enclosing area one level up, as a key (nullopt at the top), and the
  // P-code the row's parent becomes when generalised.
  // nullopt where the site has no admin3 to give up (admin1 and admin2 are
  // not quasi-identifiers: a site is never moved from admin2 to admin1).
  std::optional<std::string> coarser_area;
  std::string coarser_pcode;
  // Set by GateSites: the row no longer shows its admin3 (generalised, or
  // withheld with an admin3 to hide). Its admin3's counts are gate cells.
  bool admin3_hidden = false;
};

// Applies the gate to `sites` (one table's site rows):
//   1. groups rows by their area and the values of `quasi_identifier_columns`
//      (indexes into each row's cells; a suppressed cell is a value of its
//      own);
//   2. rows of groups smaller than k lose their point (a point gives the
//      area away); those with a coarser area (their admin3's admin2) are
//      generalised: their parent becomes the admin2 and the admin3 P-code of
//      their area_path is blanked;
//   3. generalised rows regrouped by admin2 and values, together with every
//      row of that admin2 with the same values (a row shown at the admin2
//      cannot be told from them): rows still in groups smaller than k, and
//      small rows with no admin3, are withheld instead: their published
//      quasi-identifier cells blank; their admin2 and admin1 stay.
// Adds to `report` the rows checked, generalised (and not withheld) and
// withheld.
void GateSites(std::span<GatedSite> sites, std::span<const size_t> quasi_identifier_columns, int k,
               MicrodataReport& report);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_MICRODATA_H_
