#include "disclosure/protection_audit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

#include "disclosure/internal/protection_lp.h"

namespace opendtm::disclosure {
namespace {

using internal::kInfinity;
using internal::kIntegerTolerance;
using internal::LinearRow;

double AsBound(int64_t value) {
  if (value == kUnbounded) return kInfinity;
  if (value == kNoFloor) return -kInfinity;
  return static_cast<double>(value);
}

// What the reader knows of a published figure: its value, or, rounded, an
// interval of ± half the base around what was published.
bool Rounded(const Figure& figure) { return figure.rounding > 1 && !figure.blank; }

bool Unknown(const Figure& figure) {
  return !figure.blank && (figure.reason != SuppressionReason::kNone || Rounded(figure));
}

// The rule's targets: the reader's min must reach `low`, the max `high`.
int64_t NeededLow(const Figure& figure) {
  const int64_t shifted = figure.value - figure.protection;
  return std::max(figure.lower_bound, shifted);
}
int64_t NeededHigh(const Figure& figure) {
  if (figure.upper_bound == kUnbounded) return figure.value + figure.protection;
  return std::min(figure.upper_bound, figure.value + figure.protection);
}

int64_t IntegerMax(double value) {
  if (value == kInfinity) return kUnbounded;
  return static_cast<int64_t>(std::floor(value + kIntegerTolerance));
}
int64_t IntegerMin(double value) {
  if (value == -kInfinity) return kNoFloor;
  return static_cast<int64_t>(std::ceil(value - kIntegerTolerance));
}

class UnionFind {
 public:
  explicit UnionFind(size_t size) : root_(size) { std::iota(root_.begin(), root_.end(), 0); }
  uint32_t Find(uint32_t node) {
    while (root_[node] != node) {
      root_[node] = root_[root_[node]];
      node = root_[node];
    }
    return node;
  }
  void Join(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) root_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> root_;
};

// A relation or limit as (figure, coefficient) terms and its bounds on
// Σ coefficient × figure.
struct Constraint {
  std::vector<std::pair<uint32_t, double>> terms;
  double lower = 0;
  double upper = 0;
};

std::vector<Constraint> ConstraintsOf(std::span<const Relation> relations,
                                      std::span<const Limit> limits) {
  std::vector<Constraint> constraints;
  constraints.reserve(relations.size() + limits.size());
  for (const Relation& relation : relations) {
    Constraint& constraint = constraints.emplace_back();
    constraint.terms.emplace_back(static_cast<uint32_t>(relation.total), 1.0);
    for (size_t part : relation.parts)
      constraint.terms.emplace_back(static_cast<uint32_t>(part), -1.0);
  }
  for (const Limit& limit : limits) {
    Constraint& constraint = constraints.emplace_back();
    for (size_t part : limit.parts) constraint.terms.emplace_back(static_cast<uint32_t>(part), 1.0);
    constraint.lower = -kInfinity;
    constraint.upper = static_cast<double>(limit.at_most);
  }
  return constraints;
}

// One component's programs: the protected figures it holds, checked.
class ComponentAudit {
 public:
  ComponentAudit(std::span<const Figure> figures, std::vector<uint32_t> members,
                 const AuditOptions& options, ProtectionAuditReport& report)
      : figures_(figures), members_(std::move(members)), options_(options), report_(report) {}

  Status Run(const std::vector<Constraint>& constraints, const std::vector<uint32_t>& rows,
             std::vector<int32_t>& local, std::span<const uint8_t> check) {
    // 1. Variables and their bounds.
    const size_t count = members_.size();
    std::vector<double> lower(count), upper(count);
    for (size_t local_idx = 0; local_idx < count; ++local_idx) {
      const Figure& figure = figures_[members_[local_idx]];
      local[members_[local_idx]] = static_cast<int32_t>(local_idx);
      lower[local_idx] = AsBound(figure.floor);
      upper[local_idx] = AsBound(figure.ceiling);
      if (figure.reason == SuppressionReason::kNone) {  // published, rounded
        const int64_t shown = RoundedToBase(figure.value, figure.rounding);
        const double half = static_cast<double>(figure.rounding) / 2;
        lower[local_idx] = std::max(lower[local_idx], static_cast<double>(shown) - half);
        upper[local_idx] = std::min(upper[local_idx], static_cast<double>(shown) + half);
      }
    }
    // 2. Rows: the constraint on the unknowns, published figures moved to
    // the bounds.
    std::vector<LinearRow> linear_rows;
    linear_rows.reserve(rows.size());
    for (uint32_t constraint_idx : rows) {
      const Constraint& constraint = constraints[constraint_idx];
      LinearRow& row = linear_rows.emplace_back();
      double known = 0;
      for (const auto& [figure, coefficient] : constraint.terms) {
        if (local[figure] >= 0) {
          row.terms.emplace_back(local[figure], coefficient);
        } else if (!figures_[figure].blank) {
          known += coefficient * static_cast<double>(figures_[figure].value);
        }
      }
      row.lower = constraint.lower - known;
      row.upper = constraint.upper - known;
    }
    for (uint32_t figure : members_) local[figure] = -1;
    ASSIGN_OR_RETURN(internal::ProtectionLp lp,
                     internal::ProtectionLp::Create(lower, upper, linear_rows));
    ++report_.components;

    // 3. Each protected figure: witnesses first, its own programs if needed.
    std::vector<uint32_t> targets;
    for (size_t local_idx = 0; local_idx < count; ++local_idx) {
      const uint32_t figure = members_[local_idx];
      if (!Protected(figures_[figure].reason)) continue;
      if (!check.empty() && !check[figure]) continue;
      targets.push_back(static_cast<uint32_t>(local_idx));
    }
    std::vector<uint8_t> low_done(count, 0), high_done(count, 0);
    for (uint32_t target : targets) {
      const Figure& figure = figures_[members_[target]];
      // The truth is a solution: a bound at or past the value holds at once.
      if (NeededLow(figure) >= figure.value) low_done[target] = 1;
      if (NeededHigh(figure) <= figure.value) high_done[target] = 1;
    }
    for (uint32_t target : targets) {
      ++report_.protected_cells;
      const Figure& figure = figures_[members_[target]];
      int64_t min = 0;
      int64_t max = 0;
      bool high_fails = false;
      bool low_fails = false;
      if (!high_done[target]) {
        ASSIGN_OR_RETURN(max, Solve(lp, target, true, targets, low_done, high_done));
        high_fails = max < NeededHigh(figure);
      }
      if (!low_done[target]) {
        ASSIGN_OR_RETURN(min, Solve(lp, target, false, targets, low_done, high_done));
        low_fails = min > NeededLow(figure);
      }
      if (!high_fails && !low_fails) continue;
      ProtectionViolation violation;
      violation.figure = members_[target];
      violation.value = figure.value;
      violation.protection = figure.protection;
      violation.lower_bound = figure.lower_bound;
      violation.upper_bound = figure.upper_bound;
      violation.below_holds = !low_fails;
      violation.above_holds = !high_fails;
      violation.min = low_fails ? min : kNoFloor;
      violation.max = high_fails ? max : kUnbounded;
      RETURN_IF_ERROR(Bind(lp, target, high_fails, rows, violation.binding));
      if (options_.exact_violations) {  // both ends exactly, for the report
        ASSIGN_OR_RETURN(violation.max, Solve(lp, target, true, targets, low_done, high_done));
        ASSIGN_OR_RETURN(violation.min, Solve(lp, target, false, targets, low_done, high_done));
      }
      report_.violations.push_back(std::move(violation));
    }
    return Status();
  }

 private:
  // The optimum of `target` as an integer; the solution settles the targets
  // it takes past their bounds.
  Result<int64_t> Solve(internal::ProtectionLp& lp, uint32_t target, bool maximize,
                        const std::vector<uint32_t>& targets, std::vector<uint8_t>& low_done,
                        std::vector<uint8_t>& high_done) {
    ++report_.linear_programs;
    ASSIGN_OR_RETURN(internal::LpOptimum optimum, lp.Optimize(static_cast<int>(target), maximize));
    if (!optimum.at.empty()) {
      for (uint32_t other : targets) {
        const Figure& figure = figures_[members_[other]];
        const double at = optimum.at[other];
        if (at >= static_cast<double>(NeededHigh(figure)) - kIntegerTolerance) high_done[other] = 1;
        if (at <= static_cast<double>(NeededLow(figure)) + kIntegerTolerance) low_done[other] = 1;
      }
    }
    return maximize ? IntegerMax(optimum.value) : IntegerMin(optimum.value);
  }

  // The constraints binding the failing end of `target` (the maximum when
  // `high_fails`, else the minimum), solved again from the last basis.
  Status Bind(internal::ProtectionLp& lp, uint32_t target, bool high_fails,
              const std::vector<uint32_t>& rows, std::vector<size_t>& binding) {
    ++report_.linear_programs;
    RETURN_IF_ERROR(lp.Optimize(static_cast<int>(target), high_fails).status());
    for (int row : lp.BindingRows()) binding.push_back(rows[row]);
    return Status();
  }

  std::span<const Figure> figures_;
  std::vector<uint32_t> members_;
  const AuditOptions& options_;
  ProtectionAuditReport& report_;
};

}  // namespace

Result<ProtectionAuditReport> AuditProtection(std::span<const Figure> figures,
                                              std::span<const Relation> relations,
                                              std::span<const Limit> limits,
                                              std::span<const uint8_t> check,
                                              const AuditOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (!check.empty() && check.size() != figures.size()) {
    return InvalidArgumentError("protection audit: check has " + std::to_string(check.size()) +
                                " entries for " + std::to_string(figures.size()) + " figures");
  }
  const std::vector<Constraint> constraints = ConstraintsOf(relations, limits);
  for (const Constraint& constraint : constraints) {
    for (const auto& term : constraint.terms) {
      if (term.first >= figures.size()) {
        return InvalidArgumentError("protection audit: a relation names figure " +
                                    std::to_string(term.first) + "; there are " +
                                    std::to_string(figures.size()));
      }
    }
  }
  // 1. Components of unknowns linked by constraints.
  UnionFind components(figures.size());
  for (const Constraint& constraint : constraints) {
    std::optional<uint32_t> first;
    for (const auto& term : constraint.terms) {
      if (!Unknown(figures[term.first])) continue;
      if (first) components.Join(*first, term.first);
      first = term.first;
    }
  }
  // 2. Members of the components holding a protected figure to check, and
  // their constraints.
  std::vector<int32_t> component_of(figures.size(), -1);  // by root
  std::vector<std::vector<uint32_t>> members;
  std::vector<uint8_t> wanted;
  for (uint32_t figure = 0; figure < figures.size(); ++figure) {
    if (!Unknown(figures[figure])) continue;
    const uint32_t root = components.Find(figure);
    if (component_of[root] < 0) {
      component_of[root] = static_cast<int32_t>(members.size());
      members.emplace_back();
      wanted.push_back(0);
    }
    members[component_of[root]].push_back(figure);
    if (Protected(figures[figure].reason) && (check.empty() || check[figure])) {
      wanted[component_of[root]] = 1;
    }
  }
  std::vector<std::vector<uint32_t>> rows(members.size());
  for (uint32_t constraint_idx = 0; constraint_idx < constraints.size(); ++constraint_idx) {
    for (const auto& term : constraints[constraint_idx].terms) {
      if (!Unknown(figures[term.first])) continue;
      const int32_t component = component_of[components.Find(term.first)];
      if (wanted[component]) rows[component].push_back(constraint_idx);
      break;
    }
  }
  // 3. The programs.
  ProtectionAuditReport report;
  std::vector<int32_t> local(figures.size(), -1);
  for (size_t component = 0; component < members.size(); ++component) {
    if (!wanted[component]) continue;
    ComponentAudit audit(figures, std::move(members[component]), options, report);
    RETURN_IF_ERROR(audit.Run(constraints, rows[component], local, check));
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void MergeAudit(ProtectionAuditReport& report, ProtectionAuditReport more) {
  report.protected_cells += more.protected_cells;
  report.components += more.components;
  report.linear_programs += more.linear_programs;
  report.seconds += more.seconds;
  for (ProtectionViolation& violation : more.violations) {
    report.violations.push_back(std::move(violation));
  }
}

}  // namespace opendtm::disclosure
