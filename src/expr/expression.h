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
// holds; "" when empty). Comparisons follow XPath: `=` and `!=` compare as
// booleans when either side is a boolean, else as numbers when either side is
// a number (an empty or non-numeric string is NaN, and any comparison with NaN
// is false except !=), else as strings; `<`, `<=`, `>`, `>=` always compare
// numbers. A number is "12", "-1.5", ".5" (no '+' or exponent). Dates in ISO
// form (YYYY-MM-DD, optionally with a time) convert to numbers as days since
// 1970-01-01, so `. <= today()` works as in ODK; today() itself reads as
// "YYYY-MM-DD" text and as that number of days.
//
// Details as ODK does them:
//   selected(list, 'v')   whole space-separated tokens: 'no' is not in 'none'
//   regex(s, 'p')         true when p matches *somewhere* in s (JavaRosa's
//                         regex() searches; anchor with ^...$); PCRE2 syntax
//   string-length(s)      Unicode code points
//   coalesce(a, b)        a unless a is the empty string
//   int(x)                truncates toward zero; int('') is NaN
//   div, mod              IEEE: 1 div 0 is Infinity, 0 div 0 and 5 mod 0 NaN
//   string(number)        "12", "0.5", "NaN", "Infinity", "1e+21" (as ECMAScript
//                         writes numbers, like Enketo and ODK Web Forms)
//
// Cost: a literal regex() pattern is compiled once, with PCRE2's JIT; a
// pattern computed at evaluation time is compiled on every evaluation, and an
// invalid one matches nothing. Every thread that evaluates regex() keeps one
// PCRE2 match block for its lifetime. Only concat() of long strings and regex()
// with a computed pattern allocate. A match that needs more than a million
// backtracking steps counts as no match.
//
// Thread-safety: a compiled Expression is immutable; Evaluate may be called from
// many threads at once.
#ifndef OPENDTM_EXPR_EXPRESSION_H_
#define OPENDTM_EXPR_EXPRESSION_H_

#include <cstddef>
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

// The result of an evaluation. Strings are views into the context (a row's
// value) or the Value's own storage (literals, concat/string()): a string of
// up to 32 bytes (a number, today()'s date, a choice name) is stored inline,
// a longer one in a shared heap buffer.
//
// Thread-safety: a value type; copies may be read from several threads.
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
  friend class Expression;
  static constexpr size_t kInlineCapacity = 32;

  // A copy of `s` (at most kInlineCapacity bytes) held in the Value itself.
  static Value InlineString(std::string_view s);
  // The string of a kString value, wherever it is stored.
  std::string_view Text() const;

  Kind kind_ = Kind::kString;
  bool boolean_ = false;
  uint8_t inline_size_ = 0;  // > 0 when the string is in inline_
  char inline_[kInlineCapacity] = {};
  double number_ = 0;
  std::string_view view_;
  std::shared_ptr<const std::string> owned_;
};

class Expression {
 public:
  // Parses and compiles `text`. On error returns InvalidArgument with a message
  // naming the expression, the column (1-based, in characters) and the problem, e.g.
  //   "expression '${a} >= ': column 8: expected a value after '>='"
  // or an unknown reference ("unknown question ${lightin}") or function, a
  // wrong argument count, an invalid regex() pattern, or an expression nested
  // more than 64 levels deep. `resolver` is only used during the call.
  static Result<Expression> Compile(std::string_view text, const SlotResolver& resolver);

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // The value of the expression for one row. A string result that is a row's
  // value borrows it from `context`; anything else is owned by the Value.
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

// Every ${name} in `text`, distinct, in order of first appearance, without
// compiling. Used by tools that rewrite or check references. Never fails: a
// malformed part is skipped. As for Compile, a ${name} inside a quoted string
// is text, not a reference.
std::vector<std::string> ReferencedNames(std::string_view text);

}  // namespace opendtm::expr

#endif  // OPENDTM_EXPR_EXPRESSION_H_
