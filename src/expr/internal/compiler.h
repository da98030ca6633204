// Turns a syntax tree (parser.h) into a Program (program.h): the second phase
// of Expression::Compile.
//
// Steps:
//   1. Infer the kind (boolean, number, string, date or unknown) of every node,
//      children first.
//   2. Emit postfix code, inserting the XPath conversion each operator needs
//      and choosing typed operators; fuse common pairs (a slot read and its
//      conversion to a number; a comparison with a literal).
//   3. Compile literal regex() patterns with PCRE2.
#ifndef OPENDTM_EXPR_INTERNAL_COMPILER_H_
#define OPENDTM_EXPR_INTERNAL_COMPILER_H_

#include <string_view>

#include "core/status.h"
#include "expr/internal/parser.h"
#include "expr/internal/program.h"

namespace opendtm::expr::internal {

// `text` is the source, for error messages. On error (an invalid regular
// expression, a program needing more than kMaxStack entries) returns
// InvalidArgument in the format of CompileError.
Result<Program> Generate(const Ast& ast, std::string_view text);

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_COMPILER_H_
