// Splits an XLSForm expression into tokens.
//
// Names (function names and the operator words and/or/div/mod) may contain
// '-' and '.', as XML names do: `count-selected`. Like XPath's tokenizer, the
// lexer does not decide whether a name is an operator; the parser does, from
// its position. A bad character, an unterminated string or reference, or a
// malformed number is a kError token carrying the message; the lexer then
// continues after it, so that ReferencedNames can scan any text.
#ifndef OPENDTM_EXPR_INTERNAL_LEXER_H_
#define OPENDTM_EXPR_INTERNAL_LEXER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace opendtm::expr::internal {

enum class TokenType : uint8_t {
  kEnd,
  kError,
  kNumber,     // 12  1.5  .5
  kString,     // 'text'  "text"
  kReference,  // ${name}
  kDot,        // .
  kName,       // selected  and  div
  kLeftParen,
  kRightParen,
  kComma,
  kPlus,
  kMinus,
  kStar,
  kEqual,         // =
  kNotEqual,      // !=
  kLess,          // <
  kLessEqual,     // <=
  kGreater,       // >
  kGreaterEqual,  // >=
};

struct Token {
  TokenType type = TokenType::kEnd;
  size_t offset = 0;  // byte offset of the token in the text
  size_t length = 0;  // bytes of the token in the text
  // kString: the contents without quotes; kReference: the name; kName: the
  // name; otherwise the token's text. A view into the lexed text.
  std::string_view value;
  double number = 0;  // kNumber
  std::string error;  // kError: what is wrong, e.g. "unterminated string"
};

// Borrows `text`, which must outlive the Lexer and its tokens.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token; kEnd at the end (and on every call after it).
  Token Next();

  // Whether the next non-space character is '(' (for `name (` calls).
  bool NextIsLeftParen() const;

 private:
  Token Make(TokenType type, size_t begin, size_t end);
  Token Error(size_t begin, size_t end, std::string message);
  Token LexReference(size_t begin);
  Token LexString(size_t begin);
  Token LexNumber(size_t begin);
  Token LexName(size_t begin);

  std::string_view text_;
  size_t pos_ = 0;
};

// Whether `name` is a well-formed question name (an XML name without ':').
bool IsQuestionName(std::string_view name);

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_LEXER_H_
