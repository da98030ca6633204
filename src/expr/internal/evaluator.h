// Runs a Program (program.h) against one row.
//
// The evaluator is a loop over the postfix code with a fixed array of Cells
// as its stack, on the machine stack: no recursion and no allocation, except
// for strings built by concat() beyond the Scratch's inline buffer and for
// regex() with a computed pattern.
#ifndef OPENDTM_EXPR_INTERNAL_EVALUATOR_H_
#define OPENDTM_EXPR_INTERNAL_EVALUATOR_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "expr/expression.h"
#include "expr/internal/program.h"

namespace opendtm::expr::internal {

// Memory for the strings one evaluation computes (string(), concat(), a date
// compared as text). Lives on the caller's stack for the duration of one
// evaluation; spills to the heap only when its inline buffer is full.
class Scratch {
 public:
  Scratch() {}  // leaves buffer_ uninitialized on purpose: it is written before read
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // `size` bytes valid until the Scratch is destroyed.
  char* Allocate(size_t size);

 private:
  static constexpr size_t kInlineBytes = 512;

  char buffer_[kInlineBytes];
  size_t used_ = 0;
  std::vector<std::unique_ptr<char[]>> overflow_;
};

// The evaluation stack, provided by the caller (on its own stack frame) so
// that the result can be read in place.
using Stack = Cell[kMaxStack];

// Evaluates `program` and returns the result: an entry of `stack`. Its string,
// if any, points into the context, the program's constants or `scratch`.
const Cell* Run(const Program& program, const EvaluationContext& context, Scratch& scratch,
                Stack& stack);

// XPath boolean() of a cell.
inline bool CellToBoolean(const Cell& cell) {
  switch (cell.kind) {
    case CellKind::kBoolean:
      return cell.boolean;
    case CellKind::kNumber:
      return cell.number != 0 && cell.number == cell.number;  // not NaN
    case CellKind::kString:
      return cell.size != 0;
    case CellKind::kDate:
      return true;
  }
  return false;
}

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_EVALUATOR_H_
