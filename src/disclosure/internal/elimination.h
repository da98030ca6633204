// Exact elimination over sums of figures: which unknowns a set of linear
// equations determines, and through which known figures. The engine of
// complementary suppression (suppression.h), private to the disclosure module.
//
// Arithmetic is in the prime field GF(p), p = 2^61 - 1 (a Mersenne prime, so
// reduction is two additions). Equations have small integer coefficients (0,
// ±1, rarely ±2 where a figure is listed twice); a matrix over Q and its image
// mod p have the same rank unless p divides one of its minors, which for such
// matrices happens with probability of order 1/p ≈ 4e-19 per minor. We take
// that risk rather than exact rationals, whose entries grow during
// elimination and would need overflow fallbacks; the property test
// (recovery_check_test.cc) checks the result with exact fractions.
//
// Variables [0, unknowns) are unknown (suppressed figures); variables from
// `unknowns` on are known (published or blank figures): they are carried along
// in the rows (so a derivation says which known figures it reads) but never
// chosen as pivots.
//
// Elimination is sparse Gaussian elimination with a minimum-degree pivot rule
// (the unknown in the fewest active rows first, then the shortest row), which
// keeps fill low on the tree-shaped systems of admin hierarchies and SADD
// margins.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_ELIMINATION_H_
#define OPENDTM_DISCLOSURE_INTERNAL_ELIMINATION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace opendtm::disclosure::internal {

// Σ coefficient × variable = a constant (the constant does not matter here:
// only what can be derived, not the values).
struct Equation {
  std::vector<std::pair<uint32_t, int64_t>> terms;  // (variable, coefficient)
};

// The unknowns (variables < `unknowns`) whose value `equations` determine, in
// increasing order: those whose unit vector lies in the row space of the
// equations restricted to the unknowns. Known variables in the terms are
// ignored. Decided with one random vector of the null space (a fixed seed, so
// results are reproducible): an unknown is reported when that vector is 0 at
// it, which a determined unknown always is and an undetermined one is with
// probability 1/p; such a false report only makes the caller protect a figure
// that did not need it.
std::vector<uint32_t> DeterminedUnknowns(std::span<const Equation> equations, uint32_t unknowns);

// For each of `targets` (unknowns): nullopt when the equations do not
// determine it; otherwise the known variables whose coefficient is not zero
// in a combination of the equations that equals the target alone on the
// unknowns (the figures a derivation of the target reads), in increasing
// order. Publishing one of those as unknown breaks that derivation.
std::vector<std::optional<std::vector<uint32_t>>> DerivationKnowns(
    std::span<const Equation> equations, uint32_t unknowns, std::span<const uint32_t> targets);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_ELIMINATION_H_
