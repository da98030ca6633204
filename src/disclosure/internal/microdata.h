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
  std::optional<std::string> coarser_area;
  std::string coarser_pcode;
};

// Applies the gate to `sites` (one table's site rows):
//   1. groups rows by their area and the values of `quasi_identifier_columns`
//      (indexes into each row's cells; a suppressed cell is a value of its
//      own);
//   2. rows of groups smaller than k are generalised: their parent becomes
//      the enclosing area, the finest named P-code of their area_path is
//      blanked, and their point is dropped (a point gives the area away);
//   3. generalised rows regrouped by enclosing area and values, together
//      with every row of that area with the same values (a row shown at the
//      coarser area cannot be told from them): rows still in groups smaller
//      than k are withheld instead: parent "", area_path all "", no point,
//      and their published quasi-identifier cells blank.
// Adds to `report` the rows checked, generalised (and not withheld) and
// withheld.
void GateSites(std::span<GatedSite> sites, std::span<const size_t> quasi_identifier_columns, int k,
               MicrodataReport& report);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_MICRODATA_H_
