// The linear programs of protection intervals (spec/disclosure.md,
// "Protection intervals"): the smallest and largest value a reader can give
// one variable under what they see. The one adapter of COIN-OR Clp in the
// product (GLPK is GPL-3 and stays out); nothing of Clp, and no exception,
// crosses this header.
//
// Numbers: variables are figures (integers); Clp works in doubles with its
// default tolerances (1e-7 primal and dual feasibility). Callers read an
// optimum as an integer bound by rounding a minimum up and a maximum down
// after allowing kIntegerTolerance (protection_audit.cc), which is exact for
// the small integer coefficients (0, ±1) and values below 2^40 these
// programs have.
//
// Thread-safety: a ProtectionLp is used by one thread at a time.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_PROTECTION_LP_H_
#define OPENDTM_DISCLOSURE_INTERNAL_PROTECTION_LP_H_

#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "core/status.h"

namespace opendtm::disclosure::internal {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
inline constexpr double kIntegerTolerance = 1e-6;

// lower <= Σ coefficient × variable <= upper (±kInfinity: no bound).
struct LinearRow {
  std::vector<std::pair<int, double>> terms;  // (variable, coefficient)
  double lower = -kInfinity;
  double upper = kInfinity;
};

struct LpOptimum {
  double value = 0;        // ±kInfinity when unbounded
  std::vector<double> at;  // a solution attaining it (empty when unbounded)
};

// One system of variables with bounds and rows, optimised for one variable
// at a time; each solve starts from the previous basis.
class ProtectionLp {
 public:
  // Errors: InvalidArgument when sizes disagree or a row names a variable
  // out of range; Internal when Clp refuses the model.
  static Result<ProtectionLp> Create(std::span<const double> lower, std::span<const double> upper,
                                     std::span<const LinearRow> rows);
  ProtectionLp(ProtectionLp&&) noexcept;
  ProtectionLp& operator=(ProtectionLp&&) noexcept;
  ~ProtectionLp();

  // The largest (maximize) or smallest value of `variable`. Errors:
  // FailedPrecondition when the system is infeasible (the figures given do
  // not satisfy it); Internal when Clp stops without an answer.
  Result<LpOptimum> Optimize(int variable, bool maximize);

  // The rows that bind the last optimum Optimize found (a nonzero dual
  // price): relaxing one of them could move the variable further. Empty
  // before any optimum.
  std::vector<int> BindingRows() const;

 private:
  struct Model;
  explicit ProtectionLp(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_PROTECTION_LP_H_
