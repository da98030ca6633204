#include "disclosure/internal/protection_lp.h"

#include <ClpSimplex.hpp>
#include <CoinError.hpp>
#include <CoinFinite.hpp>
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

namespace opendtm::disclosure::internal {
namespace {

double ToClp(double bound) {
  if (bound == kInfinity) return COIN_DBL_MAX;
  if (bound == -kInfinity) return -COIN_DBL_MAX;
  return bound;
}

}  // namespace

struct ProtectionLp::Model {
  ClpSimplex simplex;
  int variables = 0;
  int rows = 0;
  bool optimal = false;  // the last Optimize ended at a proven optimum
  int objective = -1;    // the variable the objective currently selects
};

ProtectionLp::ProtectionLp(std::unique_ptr<Model> model) : model_(std::move(model)) {}
ProtectionLp::ProtectionLp(ProtectionLp&&) noexcept = default;
ProtectionLp& ProtectionLp::operator=(ProtectionLp&&) noexcept = default;
ProtectionLp::~ProtectionLp() = default;

Result<ProtectionLp> ProtectionLp::Create(std::span<const double> lower,
                                          std::span<const double> upper,
                                          std::span<const LinearRow> rows) {
  if (lower.size() != upper.size()) {
    return InvalidArgumentError("protection LP: " + std::to_string(lower.size()) +
                                " lower bounds for " + std::to_string(upper.size()) +
                                " upper bounds");
  }
  const int variables = static_cast<int>(lower.size());
  // Column-major matrix from the rows.
  std::vector<std::vector<std::pair<int, double>>> columns(variables);
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    for (const auto& [variable, coefficient] : rows[row_idx].terms) {
      if (variable < 0 || variable >= variables) {
        return InvalidArgumentError("protection LP: row " + std::to_string(row_idx) +
                                    " names variable " + std::to_string(variable));
      }
      columns[variable].emplace_back(static_cast<int>(row_idx), coefficient);
    }
  }
  std::vector<CoinBigIndex> starts{0};
  std::vector<int> indexes;
  std::vector<double> values;
  for (auto& column : columns) {
    std::sort(column.begin(), column.end());
    for (const auto& [row, coefficient] : column) {
      if (!indexes.empty() && starts.back() < static_cast<CoinBigIndex>(indexes.size()) &&
          indexes.back() == row) {
        values.back() += coefficient;  // a variable listed twice in a row
        continue;
      }
      indexes.push_back(row);
      values.push_back(coefficient);
    }
    starts.push_back(static_cast<CoinBigIndex>(indexes.size()));
  }
  std::vector<double> column_lower(variables), column_upper(variables), objective(variables, 0);
  for (int variable = 0; variable < variables; ++variable) {
    column_lower[variable] = ToClp(lower[variable]);
    column_upper[variable] = ToClp(upper[variable]);
  }
  std::vector<double> row_lower(rows.size()), row_upper(rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    row_lower[row_idx] = ToClp(rows[row_idx].lower);
    row_upper[row_idx] = ToClp(rows[row_idx].upper);
  }
  auto model = std::make_unique<Model>();
  model->variables = variables;
  model->rows = static_cast<int>(rows.size());
  try {
    model->simplex.setLogLevel(0);
    model->simplex.loadProblem(variables, static_cast<int>(rows.size()), starts.data(),
                               indexes.data(), values.data(), column_lower.data(),
                               column_upper.data(), objective.data(), row_lower.data(),
                               row_upper.data());
  } catch (const CoinError& error) {
    return InternalError("protection LP: Clp refused the model: " + error.message());
  } catch (const std::exception& error) {
    return InternalError(std::string("protection LP: ") + error.what());
  }
  return ProtectionLp(std::move(model));
}

Result<LpOptimum> ProtectionLp::Optimize(int variable, bool maximize) {
  if (variable < 0 || variable >= model_->variables) {
    return InvalidArgumentError("protection LP: no variable " + std::to_string(variable));
  }
  ClpSimplex& simplex = model_->simplex;
  model_->optimal = false;
  try {
    if (model_->objective != variable) {
      if (model_->objective >= 0) simplex.setObjectiveCoefficient(model_->objective, 0);
      simplex.setObjectiveCoefficient(variable, 1);
      model_->objective = variable;
    }
    simplex.setOptimizationDirection(maximize ? -1 : 1);
    simplex.primal();
    LpOptimum optimum;
    if (simplex.isProvenDualInfeasible()) {
      optimum.value = maximize ? kInfinity : -kInfinity;
      return optimum;
    }
    if (simplex.isProvenPrimalInfeasible()) {
      return FailedPreconditionError("protection LP: the system has no solution");
    }
    if (!simplex.isProvenOptimal()) {
      // One retry from scratch: a warm start can stall on degenerate bases.
      simplex.allSlackBasis(true);
      simplex.primal();
      if (!simplex.isProvenOptimal()) {
        return InternalError("protection LP: Clp stopped with status " +
                             std::to_string(simplex.status()));
      }
    }
    model_->optimal = true;
    const double* solution = simplex.primalColumnSolution();
    optimum.value = solution[variable];
    optimum.at.assign(solution, solution + model_->variables);
    return optimum;
  } catch (const CoinError& error) {
    return InternalError("protection LP: " + error.message());
  } catch (const std::exception& error) {
    return InternalError(std::string("protection LP: ") + error.what());
  }
}

std::vector<int> ProtectionLp::BindingRows() const {
  std::vector<int> binding;
  if (!model_->optimal) return binding;
  const double* prices = model_->simplex.dualRowSolution();
  for (int row = 0; row < model_->rows; ++row) {
    if (std::fabs(prices[row]) > kIntegerTolerance) binding.push_back(row);
  }
  return binding;
}

}  // namespace opendtm::disclosure::internal
