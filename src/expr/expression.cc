// Compile = Parse (internal/parser.h) then Generate (internal/compiler.h);
// Evaluate = Run (internal/evaluator.h) then turn the result Cell into a Value.
#include "expr/expression.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "expr/internal/compiler.h"
#include "expr/internal/conversions.h"
#include "expr/internal/evaluator.h"
#include "expr/internal/lexer.h"
#include "expr/internal/parser.h"
#include "expr/internal/program.h"

namespace opendtm::expr {

// ---- Value -----------------------------------------------------------------

Value Value::Boolean(bool b) {
  Value value;
  value.kind_ = Kind::kBoolean;
  value.boolean_ = b;
  return value;
}

Value Value::Number(double d) {
  Value value;
  value.kind_ = Kind::kNumber;
  value.number_ = d;
  return value;
}

Value Value::String(std::string_view s) {
  Value value;
  value.view_ = s;
  return value;
}

Value Value::OwnedString(std::string s) {
  Value value;
  value.owned_ = std::make_shared<const std::string>(std::move(s));
  value.view_ = *value.owned_;
  return value;
}

Value Value::InlineString(std::string_view s) {
  if (s.size() > kInlineCapacity) return OwnedString(std::string(s));
  Value value;
  if (!s.empty()) std::memcpy(value.inline_, s.data(), s.size());
  value.inline_size_ = static_cast<uint8_t>(s.size());
  return value;
}

std::string_view Value::Text() const {
  return inline_size_ > 0 ? std::string_view(inline_, inline_size_) : view_;
}

bool Value::AsBoolean() const {
  switch (kind_) {
    case Kind::kBoolean:
      return boolean_;
    case Kind::kNumber:
      return number_ != 0 && !std::isnan(number_);
    case Kind::kString:
      return !Text().empty();
  }
  return false;
}

double Value::AsNumber() const {
  switch (kind_) {
    case Kind::kBoolean:
      return boolean_ ? 1 : 0;
    case Kind::kNumber:
      return number_;
    case Kind::kString:
      return internal::StringToNumber(Text());
  }
  return 0;
}

std::string Value::AsString() const {
  switch (kind_) {
    case Kind::kBoolean:
      return boolean_ ? "true" : "false";
    case Kind::kNumber: {
      char buffer[internal::kFormatBufferSize];
      return std::string(buffer, internal::FormatNumber(number_, buffer));
    }
    case Kind::kString:
      return std::string(Text());
  }
  return std::string();
}

// ---- Expression --------------------------------------------------------------

struct Expression::Compiled {
  std::string text;
  std::vector<std::string> references;
  internal::Program program;
};

Result<Expression> Expression::Compile(std::string_view text, const SlotResolver& resolver) {
  ASSIGN_OR_RETURN(internal::Ast ast, internal::Parse(text, resolver));
  ASSIGN_OR_RETURN(internal::Program program, internal::Generate(ast, text));
  auto compiled = std::make_unique<Compiled>();
  compiled->text = std::string(text);
  compiled->references = std::move(ast.references);
  compiled->program = std::move(program);
  return Expression(std::move(compiled));
}

Expression::Expression(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Value Expression::Evaluate(const EvaluationContext& context) const {
  internal::Scratch scratch;
  internal::Stack stack;
  const internal::Cell& result = *internal::Run(compiled_->program, context, scratch, stack);
  switch (result.kind) {
    case internal::CellKind::kBoolean:
      return Value::Boolean(result.boolean);
    case internal::CellKind::kNumber:
      return Value::Number(result.number);
    case internal::CellKind::kDate: {
      char buffer[internal::kFormatBufferSize];
      const size_t size = internal::FormatDate(static_cast<int64_t>(result.number), buffer);
      return Value::InlineString({buffer, size});
    }
    case internal::CellKind::kString:
      // The Scratch dies with this call, and the Value may outlive the
      // Expression: copy those strings. Only the caller's row is borrowed.
      return result.transient ? Value::InlineString(result.string())
                              : Value::String(result.string());
  }
  return Value();
}

bool Expression::EvaluateBoolean(const EvaluationContext& context) const {
  internal::Scratch scratch;
  internal::Stack stack;
  return internal::CellToBoolean(*internal::Run(compiled_->program, context, scratch, stack));
}

const std::string& Expression::text() const { return compiled_->text; }

const std::vector<std::string>& Expression::references() const { return compiled_->references; }

// ---- ReferencedNames -----------------------------------------------------------

std::vector<std::string> ReferencedNames(std::string_view text) {
  // The compiler's own lexer, so that a ${name} inside a string literal is
  // text here too; malformed tokens are skipped.
  std::vector<std::string> names;
  internal::Lexer lexer(text);
  for (internal::Token token = lexer.Next(); token.type != internal::TokenType::kEnd;
       token = lexer.Next()) {
    if (token.type != internal::TokenType::kReference) continue;
    if (std::find(names.begin(), names.end(), token.value) == names.end()) {
      names.emplace_back(token.value);
    }
  }
  return names;
}

}  // namespace opendtm::expr
