// The exact audit of protection intervals (spec/disclosure.md, "Protection
// intervals"): for every protected figure of a system of figures — those
// suppressed by the primary, homogeneity or gate rule — the smallest and
// largest value a reader can deduce from what they see, by linear programs
// (COIN-OR Clp, internal/protection_lp.h), and whether the rule
//   min <= max(L, v - p)  and  max >= min(U, v + p)
// holds. What the reader sees is the system itself: published figures
// (exactly, or to ± half the rounding base), the relations (sums) and limits
// between figures, each figure's floor and ceiling. Suppressed figures are
// the unknowns.
//
// Decomposition: a suppressed figure meets others only through relations
// and limits, so the programs are solved per connected component of
// suppressed (and rounded) figures, and each solution found for one figure
// also settles every other figure of the component it already takes past its
// bound (a witness); a figure's own program runs only when no witness did.
//
// Exactness: values are integers. An LP optimum is read as an integer bound
// by rounding a minimum up and a maximum down after a tolerance of 1e-6
// (internal::kIntegerTolerance), so that a reader's integer deductions are
// neither missed nor invented by floating-point noise.
//
// Used by SuppressProtected (suppression.h) after each round of secondary
// suppression, and by `dtm export --verify` through ReleaseRequest::audit
// (release_builder.h).
//
// Thread-safety: pure function of its arguments.
#ifndef OPENDTM_DISCLOSURE_PROTECTION_AUDIT_H_
#define OPENDTM_DISCLOSURE_PROTECTION_AUDIT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure {

// One protected figure that breaks the rule.
struct ProtectionViolation {
  size_t figure = 0;
  std::string cell;  // named by the caller that knows the rows (release_builder.cc)
  int64_t value = 0;
  int64_t protection = 0;
  int64_t lower_bound = 0;           // L
  int64_t upper_bound = kUnbounded;  // U
  // What the reader can deduce, as integers (kNoFloor / kUnbounded when
  // unbounded).
  int64_t min = 0;
  int64_t max = 0;
  bool below_holds = false;  // min <= max(L, v - p)
  bool above_holds = false;  // max >= min(U, v + p)
  // The relations and limits (indexes: relations first, then limits, in the
  // order given) that bind the failing end: a published figure of one of
  // them is where a complement gives the cell room (SuppressProtected).
  std::vector<size_t> binding;
};

struct ProtectionAuditReport {
  int64_t protected_cells = 0;
  int64_t components = 0;       // components of suppressed figures solved
  int64_t linear_programs = 0;  // LP solves
  std::vector<ProtectionViolation> violations;
  double seconds = 0;
};

struct AuditOptions {
  // Compute both ends of each violation exactly (two more programs each);
  // off, a violation has the end that failed and the other end as far as
  // the audit went.
  bool exact_violations = true;
};

// Audits the protected figures of one system (`check`, when not empty, by
// figure: audit only those with a non-zero entry, and their components).
// Errors: InvalidArgument when a relation or limit names a figure out of
// range or `check` has the wrong size; FailedPrecondition when the figures
// do not satisfy the system; Internal from the solver.
Result<ProtectionAuditReport> AuditProtection(std::span<const Figure> figures,
                                              std::span<const Relation> relations,
                                              std::span<const Limit> limits,
                                              std::span<const uint8_t> check = {},
                                              const AuditOptions& options = {});

// Adds `more` to `report` (counts, violations, time).
void MergeAudit(ProtectionAuditReport& report, ProtectionAuditReport more);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_PROTECTION_AUDIT_H_
