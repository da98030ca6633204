// XLSForm expressions: the little XPath language of `relevant`, `constraint`
// and `calculation` columns.
//
// An Expression is parsed once (Compile) into a compact compiled form and then
// evaluated many times, once per submitted row, by ingest. Evaluation is cheap:
// references to other questions are resolved to slots at compile time, regular
// expressions are compiled once, and evaluating comparisons, `selected()`,
// arithmetic and boolean logic does not allocate.
//
// Supported (XPath 1.0 semantics as ODK implements them):
//   ${name}  .  'string' "string"  123  1.5
//   =  !=  <  <=  >  >=  and  or  +  -  *  div  mod  unary -  ( )
//   not(x)  selected(list, 'v')  count-selected(list)  regex(s, 'pattern')
//   string-length(s)  today()  if(c, a, b)  coalesce(a, b)  concat(a, ...)
//   number(x)  int(x)  string(x)  boolean(x)  true()  false()
//
// Values: every referenced value arrives as text (what the form or the export
// holds; "" when empty). Comparisons follow XPath: when either side is a number
// both are compared as numbers (an empty or non-numeric string is NaN, and any
// comparison with NaN is false except !=); otherwise as strings. Dates in ISO
// form (YYYY-MM-DD) convert to numbers as days since 1970-01-01, so
// `. <= today()` works as in ODK.
//
// Thread-safety: a compiled Expression is immutable; Evaluate may be called from
// many threads at once.
#ifndef OPENDTM_EXPR_EXPRESSION_H_
#define OPENDTM_EXPR_EXPRESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::expr {

// Maps a `${name}` reference to the slot where the row's value for `name` will
// be found at evaluation time; nullopt when no such question exists (a compile
// error naming the reference).
using SlotResolver = std::function<std::optional<int>(std::string_view name)>;

// What one evaluation sees. Borrowed: everything must outlive the Evaluate call.
struct EvaluationContext {
  // The row's values by slot ("" when the question was not answered).
  std::span<const std::string_view> slots;
  // The value of `.` (the question the constraint belongs to).
  std::string_view current;
  // today() as days since 1970-01-01, supplied by the caller's clock.
  int64_t today_days = 0;
};

// The result of an evaluation. Strings are views into the context, the
// expression's constants, or the Value's own storage (for concat/string()).
class Value {
 public:
  enum class Kind { kBoolean, kNumber, kString };

  static Value Boolean(bool b);
  static Value Number(double d);
  static Value String(std::string_view s);         // borrowed
  static Value OwnedString(std::string s);         // owned

  Kind kind() const { return kind_; }
  // XPath conversions: boolean(), number(), string().
  bool AsBoolean() const;
  double AsNumber() const;
  std::string AsString() const;

 private:
  Kind kind_ = Kind::kString;
  bool boolean_ = false;
  double number_ = 0;
  std::string_view view_;
  std::shared_ptr<const std::string> owned_;
};

class Expression {
 public:
  // Parses and compiles `text`. On error returns InvalidArgument with a message
  // naming the expression, the column (1-based) and the problem, e.g.
  //   "expression '${a} >= ': column 8: expected a value after '>='"
  // or an unknown reference ("unknown question ${lightin}") or function.
  static Result<Expression> Compile(std::string_view text, const SlotResolver& resolver);

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  Value Evaluate(const EvaluationContext& context) const;
  // Evaluate(context).AsBoolean(), for relevant and constraint.
  bool EvaluateBoolean(const EvaluationContext& context) const;

  // The source text, as given to Compile.
  const std::string& text() const;
  // The distinct names referenced with ${...}, in order of first appearance.
  const std::vector<std::string>& references() const;

 private:
  struct Compiled;
  explicit Expression(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

// Every ${name} in `text`, in order of first appearance, without compiling.
// Used by tools that rewrite or check references. Never fails.
std::vector<std::string> ReferencedNames(std::string_view text);

}  // namespace opendtm::expr

#endif  // OPENDTM_EXPR_EXPRESSION_H_
