// Parses an XLSForm expression into a syntax tree, checking names, argument
// counts and references. The first phase of Expression::Compile; the code
// generator (compiler.h) is the second.
//
// Grammar (XPath 1.0 without paths, lowest precedence first):
//   or_expr    := and_expr ('or' and_expr)*
//   and_expr   := equality ('and' equality)*
//   equality   := relational (('=' | '!=') relational)*
//   relational := additive (('<' | '<=' | '>' | '>=') additive)*
//   additive   := multiplicative (('+' | '-') multiplicative)*
//   multiplicative := unary (('*' | 'div' | 'mod') unary)*
//   unary      := '-' unary | primary
//   primary    := number | string | ${name} | '.' | '(' or_expr ')'
//               | function '(' [or_expr (',' or_expr)*] ')'
// All binary operators are left-associative.
#ifndef OPENDTM_EXPR_INTERNAL_PARSER_H_
#define OPENDTM_EXPR_INTERNAL_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "expr/expression.h"

namespace opendtm::expr::internal {

// Parentheses, calls and unary minus nest at most this deep: the parser
// recurses, and untrusted forms must not exhaust the stack.
inline constexpr int kMaxNesting = 64;
// The syntax tree is at most this high (a long chain `a + b + c ...` is as
// high as it is long): the code generator recurses too.
inline constexpr int kMaxHeight = 256;

enum class NodeType : uint8_t {
  kNumber,     // number
  kString,     // text
  kReference,  // slot, text = name
  kCurrent,    // .
  kOr,
  kAnd,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kNegate,
  kCall,  // function, children = arguments
};

enum class Function : uint8_t {
  kNot,
  kSelected,
  kCountSelected,
  kRegex,
  kStringLength,
  kToday,
  kIf,
  kCoalesce,
  kConcat,
  kNumber,
  kInt,
  kString,
  kBoolean,
  kTrue,
  kFalse,
};

struct Node {
  NodeType type = NodeType::kNumber;
  Function function = Function::kNot;  // kCall
  size_t offset = 0;                   // byte offset in the text, for messages
  double number = 0;                   // kNumber
  std::string text;                    // kString: the literal; kReference: the name
  int slot = 0;                        // kReference
  std::vector<int> children;           // operands or arguments: indices into Ast::nodes
};

struct Ast {
  std::vector<Node> nodes;
  int root = 0;
  // The distinct ${names}, in order of first appearance.
  std::vector<std::string> references;
};

// Parses `text`, resolving references with `resolver`. On error returns
// InvalidArgument with the whole message (see CompileError).
Result<Ast> Parse(std::string_view text, const SlotResolver& resolver);

// InvalidArgument "expression '<text>': column <N>: <problem>", where N is the
// 1-based column (in code points) of byte `offset`. A long text is shortened.
Status CompileError(std::string_view text, size_t offset, std::string_view problem);

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_PARSER_H_
