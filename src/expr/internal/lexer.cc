#include "expr/internal/lexer.h"

#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

namespace opendtm::expr::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Bytes of multi-byte UTF-8 sequences count as letters: XML names may hold
// any Unicode letter, and the form tools check names more strictly anyway.
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c) || c == '-' || c == '.'; }

}  // namespace

bool IsQuestionName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Token Lexer::Make(TokenType type, size_t begin, size_t end) {
  pos_ = end;
  Token token;
  token.type = type;
  token.offset = begin;
  token.length = end - begin;
  token.value = text_.substr(begin, end - begin);
  return token;
}

Token Lexer::Error(size_t begin, size_t end, std::string message) {
  Token token = Make(TokenType::kError, begin, end);
  token.error = std::move(message);
  return token;
}

bool Lexer::NextIsLeftParen() const {
  size_t pos = pos_;
  while (pos < text_.size() && IsSpace(text_[pos])) ++pos;
  return pos < text_.size() && text_[pos] == '(';
}

Token Lexer::Next() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  const size_t begin = pos_;
  if (begin == text_.size()) return Make(TokenType::kEnd, begin, begin);
  const char c = text_[begin];
  const char next = begin + 1 < text_.size() ? text_[begin + 1] : '\0';
  switch (c) {
    case '$':
      return LexReference(begin);
    case '\'':
    case '"':
      return LexString(begin);
    case '(':
      return Make(TokenType::kLeftParen, begin, begin + 1);
    case ')':
      return Make(TokenType::kRightParen, begin, begin + 1);
    case ',':
      return Make(TokenType::kComma, begin, begin + 1);
    case '+':
      return Make(TokenType::kPlus, begin, begin + 1);
    case '-':
      return Make(TokenType::kMinus, begin, begin + 1);
    case '*':
      return Make(TokenType::kStar, begin, begin + 1);
    case '=':
      return Make(TokenType::kEqual, begin, begin + 1);
    case '!':
      if (next == '=') return Make(TokenType::kNotEqual, begin, begin + 2);
      return Error(begin, begin + 1,
                   "unexpected character '!': write not(x), or != for 'not equal'");
    case '<':
      if (next == '=') return Make(TokenType::kLessEqual, begin, begin + 2);
      return Make(TokenType::kLess, begin, begin + 1);
    case '>':
      if (next == '=') return Make(TokenType::kGreaterEqual, begin, begin + 2);
      return Make(TokenType::kGreater, begin, begin + 1);
    case '.':
      if (IsDigit(next)) return LexNumber(begin);
      if (next == '.') {
        return Error(begin, begin + 2,
                     "paths such as '..' are not supported: refer to a question as ${name}");
      }
      return Make(TokenType::kDot, begin, begin + 1);
    case '/':
      return Error(begin, begin + 1,
                   "paths such as /data/name are not supported: refer to a question as ${name}");
    case '&':
      return Error(begin, next == '&' ? begin + 2 : begin + 1,
                   "unexpected character '&': write 'and'");
    case '|':
      return Error(begin, next == '|' ? begin + 2 : begin + 1,
                   "unexpected character '|': write 'or'");
    default:
      break;
  }
  if (IsDigit(c)) return LexNumber(begin);
  if (IsNameStart(c)) return LexName(begin);
  return Error(begin, begin + 1, std::string("unexpected character '") + c + "'");
}

Token Lexer::LexReference(size_t begin) {
  if (begin + 1 >= text_.size() || text_[begin + 1] != '{') {
    return Error(begin, begin + 1, "unexpected character '$': write a reference as ${name}");
  }
  const size_t close = text_.find('}', begin + 2);
  if (close == std::string_view::npos) {
    return Error(begin, text_.size(), "unterminated reference: '${' without '}'");
  }
  std::string_view name = text_.substr(begin + 2, close - begin - 2);
  if (name.empty()) return Error(begin, close + 1, "empty reference ${}");
  if (!IsQuestionName(name)) {
    return Error(begin, close + 1, "invalid question name in ${" + std::string(name) + "}");
  }
  Token token = Make(TokenType::kReference, begin, close + 1);
  token.value = name;
  return token;
}

Token Lexer::LexString(size_t begin) {
  const size_t close = text_.find(text_[begin], begin + 1);
  if (close == std::string_view::npos) {
    return Error(
        begin, text_.size(),
        std::string("unterminated string: ") + text_[begin] + " without a closing " + text_[begin]);
  }
  Token token = Make(TokenType::kString, begin, close + 1);
  token.value = text_.substr(begin + 1, close - begin - 1);
  return token;
}

Token Lexer::LexNumber(size_t begin) {
  size_t end = begin;
  while (end < text_.size() && IsDigit(text_[end])) ++end;
  if (end < text_.size() && text_[end] == '.') {
    ++end;
    while (end < text_.size() && IsDigit(text_[end])) ++end;
  }
  if (end < text_.size() && IsNameChar(text_[end])) {
    // "1e5", "12abc", "1.2.3": XPath numbers have no exponent or suffix.
    while (end < text_.size() && IsNameChar(text_[end])) ++end;
    return Error(begin, end,
                 "invalid number '" + std::string(text_.substr(begin, end - begin)) + "'");
  }
  Token token = Make(TokenType::kNumber, begin, end);
  // Digits with at most one point always parse. from_chars reports
  // out_of_range (and leaves the value alone) only for absurd literals: too
  // large when a non-zero digit precedes the point, else too small.
  const std::errc error = std::from_chars(text_.data() + begin, text_.data() + end, token.number,
                                          std::chars_format::fixed)
                              .ec;
  if (error == std::errc::result_out_of_range) {
    const std::string_view integer_part = token.value.substr(0, token.value.find('.'));
    const bool too_large = integer_part.find_first_not_of('0') != std::string_view::npos;
    token.number = too_large ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return token;
}

Token Lexer::LexName(size_t begin) {
  size_t end = begin + 1;
  while (end < text_.size()) {
    if (IsNameChar(text_[end])) {
      ++end;
    } else if (text_[end] == ':' && end + 1 < text_.size() && IsNameStart(text_[end + 1])) {
      end += 2;  // a prefixed name such as jr:choice-name
    } else {
      break;
    }
  }
  return Make(TokenType::kName, begin, end);
}

}  // namespace opendtm::expr::internal
