// Small-cell suppression over figures linked by sums (spec/disclosure.md,
// "Suppression"): the core of disclosure control, written by hand.
//
// The caller (release_builder.h, the DTM API exporter) lists every figure a
// tier can see, in every table, level and margin it can see, and every
// relation "total = sum of parts" that holds between them: an area and the
// areas (or site rows) it holds, a SADD total and its age cells, ind_total
// and its sex totals. Suppress then
//   1. primary: suppresses each figure aggregated over fewer than k_sites
//      sites (when the figure asks for it: `sites_rule`), and each people
//      count above 0 and below k_people (a true 0 may be published);
//   2. secondary (complementary): while some suppressed figure can be
//      derived exactly from the published ones through the relations (by
//      any combination of them, not only one subtraction: across levels,
//      margins and site rows together), suppresses, in a relation that
//      derives it, the published figure with the smallest value above 0
//      (else 0), preferring parts to totals, then the lowest index;
// until no suppressed figure can be derived. Blank figures (no data) are
// published as blank and count as known.
//
// Exactness: derivability is decided by exact linear algebra over the
// relations (a suppressed figure is derivable when its unit vector lies in
// the row space of the relations restricted to suppressed figures), not by
// the "two suppressed cells per relation" rule of thumb, which misses
// derivations through chains of relations. Values must be integers (counts,
// sums of integer answers); relations must hold exactly.
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_DISCLOSURE_SUPPRESSION_H_
#define OPENDTM_DISCLOSURE_SUPPRESSION_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "disclosure/policy.h"
#include "disclosure/release.h"

namespace opendtm::disclosure {

struct Figure {
  int64_t value = 0;
  bool blank = false;       // no data: published blank, never suppressed
  bool people = false;      // a count of people: the k_people rule applies
  bool sites_rule = false;  // an aggregate the k_sites rule applies to
  int64_t sites = 0;        // the sites it adds up
  // Output: why it is suppressed (kNone: published). A figure given with a
  // reason already set stays suppressed with it.
  SuppressionReason reason = SuppressionReason::kNone;
};

// figures[total] == Σ figures[parts] (blank figures count as 0).
struct Relation {
  size_t total = 0;
  std::vector<size_t> parts;
};

struct SuppressionCounts {
  int64_t primary = 0;
  int64_t complementary = 0;
};

// Sets each figure's reason as above. Errors: InvalidArgument when a
// relation names a figure out of range or does not hold (naming it).
Result<SuppressionCounts> Suppress(std::span<Figure> figures, std::span<const Relation> relations,
                                   const TierRules& rules);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_SUPPRESSION_H_
