#include "expr/internal/parser.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "expr/internal/conversions.h"
#include "expr/internal/lexer.h"

namespace opendtm::expr::internal {
namespace {

// Longer texts are cut in error messages (a form cell may hold a long one).
constexpr size_t kMaxQuotedText = 120;

struct FunctionInfo {
  std::string_view name;
  Function function;
  int min_args;
  int max_args;  // -1: any number
};

constexpr FunctionInfo kFunctions[] = {
    {"not", Function::kNot, 1, 1},
    {"selected", Function::kSelected, 2, 2},
    {"count-selected", Function::kCountSelected, 1, 1},
    {"regex", Function::kRegex, 2, 2},
    {"string-length", Function::kStringLength, 0, 1},
    {"today", Function::kToday, 0, 0},
    {"if", Function::kIf, 3, 3},
    {"coalesce", Function::kCoalesce, 2, 2},
    {"concat", Function::kConcat, 0, -1},
    {"number", Function::kNumber, 0, 1},
    {"int", Function::kInt, 1, 1},
    {"string", Function::kString, 0, 1},
    {"boolean", Function::kBoolean, 1, 1},
    {"true", Function::kTrue, 0, 0},
    {"false", Function::kFalse, 0, 0},
};

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::string ArityProblem(const FunctionInfo& info, size_t given) {
  std::string problem = std::string(info.name) + "() takes ";
  if (info.min_args == info.max_args) {
    problem += std::to_string(info.min_args) + (info.min_args == 1 ? " argument" : " arguments");
  } else {
    problem +=
        std::to_string(info.min_args) + " or " + std::to_string(info.max_args) + " arguments";
  }
  return problem + ", got " + std::to_string(given);
}

// The first `max_bytes` of UTF-8 `text`, not cutting a code point.
std::string_view Prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

class Parser {
 public:
  Parser(std::string_view text, const SlotResolver& resolver)
      : text_(text), lexer_(text), resolver_(resolver) {}

  Result<Ast> Run();

 private:
  Status Advance();
  std::optional<NodeType> BinaryOperator(int level) const;
  Result<int> ParseBinary(int level);
  Result<int> ParseUnary();
  Result<int> ParsePrimary();
  Result<int> ParseCall();
  Result<int> ParseReference();
  Status Enter(size_t offset);

  Result<int> Add(Node node);
  Result<int> AddBinary(NodeType type, size_t offset, int left, int right);

  Status Error(size_t offset, std::string_view problem) const {
    return CompileError(text_, offset, problem);
  }
  Status ExpectedValue() const;
  Status MissingClose(size_t open_offset, std::string_view what) const;
  // Where an error about the current token is reported: the token, or just
  // after the last non-space character at the end.
  size_t ErrorOffset() const {
    if (token_.type != TokenType::kEnd) return token_.offset;
    size_t end = text_.size();
    while (end > 0 && std::string_view(" \t\r\n").find(text_[end - 1]) != std::string_view::npos) {
      --end;
    }
    return end;
  }
  // "'>='", "the string 'yes'", or "the end" for kEnd.
  std::string Describe(const Token& token) const {
    if (token.type == TokenType::kEnd) return "the end";
    const std::string shown(Prefix(text_.substr(token.offset, token.length), 40));
    if (token.type == TokenType::kString) return "the string " + shown;
    return "'" + shown + "'";
  }

  std::string_view text_;
  Lexer lexer_;
  const SlotResolver& resolver_;
  Token token_;
  Token previous_;
  bool has_previous_ = false;
  int depth_ = 0;
  Ast ast_;
  std::vector<int> heights_;  // of each node's subtree, parallel to ast_.nodes
};

Result<Ast> Parser::Run() {
  RETURN_IF_ERROR(Advance());
  has_previous_ = false;
  if (token_.type == TokenType::kEnd) return Error(0, "empty expression");
  ASSIGN_OR_RETURN(ast_.root, ParseBinary(0));
  if (token_.type == TokenType::kRightParen) {
    return Error(token_.offset, "unexpected ')' without a matching '('");
  }
  if (token_.type != TokenType::kEnd) {
    return Error(token_.offset,
                 "expected an operator or the end of the expression, found " + Describe(token_));
  }
  return std::move(ast_);
}

Status Parser::Advance() {
  previous_ = std::move(token_);
  has_previous_ = true;
  token_ = lexer_.Next();
  if (token_.type == TokenType::kError) return Error(token_.offset, token_.error);
  return Status::Ok();
}

Status Parser::Enter(size_t offset) {
  if (++depth_ > kMaxNesting) {
    return Error(offset,
                 "nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
  }
  return Status::Ok();
}

Result<int> Parser::Add(Node node) {
  int height = 1;
  for (int child : node.children)
    height = std::max(height, heights_[static_cast<size_t>(child)] + 1);
  if (height > kMaxHeight) {
    return Error(node.offset,
                 "too complex (more than " + std::to_string(kMaxHeight) + " nested operations)");
  }
  heights_.push_back(height);
  ast_.nodes.push_back(std::move(node));
  return static_cast<int>(ast_.nodes.size() - 1);
}

Result<int> Parser::AddBinary(NodeType type, size_t offset, int left, int right) {
  Node node;
  node.type = type;
  node.offset = offset;
  node.children = {left, right};
  return Add(std::move(node));
}

// Levels from lowest to highest precedence; 6 is unary.
std::optional<NodeType> Parser::BinaryOperator(int level) const {
  const TokenType type = token_.type;
  const std::string_view name = type == TokenType::kName ? token_.value : std::string_view();
  switch (level) {
    case 0:
      if (name == "or") return NodeType::kOr;
      break;
    case 1:
      if (name == "and") return NodeType::kAnd;
      break;
    case 2:
      if (type == TokenType::kEqual) return NodeType::kEqual;
      if (type == TokenType::kNotEqual) return NodeType::kNotEqual;
      break;
    case 3:
      if (type == TokenType::kLess) return NodeType::kLess;
      if (type == TokenType::kLessEqual) return NodeType::kLessEqual;
      if (type == TokenType::kGreater) return NodeType::kGreater;
      if (type == TokenType::kGreaterEqual) return NodeType::kGreaterEqual;
      break;
    case 4:
      if (type == TokenType::kPlus) return NodeType::kAdd;
      if (type == TokenType::kMinus) return NodeType::kSubtract;
      break;
    case 5:
      if (type == TokenType::kStar) return NodeType::kMultiply;
      if (name == "div") return NodeType::kDivide;
      if (name == "mod") return NodeType::kModulo;
      break;
    default:
      break;
  }
  return std::nullopt;
}

Result<int> Parser::ParseBinary(int level) {
  if (level == 6) return ParseUnary();
  ASSIGN_OR_RETURN(int left, ParseBinary(level + 1));
  while (std::optional<NodeType> type = BinaryOperator(level)) {
    const size_t offset = token_.offset;
    RETURN_IF_ERROR(Advance());
    ASSIGN_OR_RETURN(int right, ParseBinary(level + 1));
    ASSIGN_OR_RETURN(left, AddBinary(*type, offset, left, right));
  }
  return left;
}

Result<int> Parser::ParseUnary() {
  if (token_.type != TokenType::kMinus) return ParsePrimary();
  Node node;
  node.type = NodeType::kNegate;
  node.offset = token_.offset;
  RETURN_IF_ERROR(Enter(token_.offset));
  RETURN_IF_ERROR(Advance());
  ASSIGN_OR_RETURN(int operand, ParseUnary());
  --depth_;
  node.children = {operand};
  return Add(std::move(node));
}

Result<int> Parser::ParsePrimary() {
  Node node;
  node.offset = token_.offset;
  switch (token_.type) {
    case TokenType::kNumber:
      node.type = NodeType::kNumber;
      node.number = token_.number;
      break;
    case TokenType::kString:
      node.type = NodeType::kString;
      node.text = std::string(token_.value);
      break;
    case TokenType::kDot:
      node.type = NodeType::kCurrent;
      break;
    case TokenType::kReference:
      return ParseReference();
    case TokenType::kLeftParen: {
      const size_t open = token_.offset;
      RETURN_IF_ERROR(Enter(open));
      RETURN_IF_ERROR(Advance());
      ASSIGN_OR_RETURN(int inner, ParseBinary(0));
      if (token_.type != TokenType::kRightParen) return MissingClose(open, "");
      --depth_;
      RETURN_IF_ERROR(Advance());
      return inner;
    }
    case TokenType::kName: {
      if (lexer_.NextIsLeftParen()) return ParseCall();
      const std::string_view name = token_.value;
      if (name == "and" || name == "or" || name == "div" || name == "mod") return ExpectedValue();
      if (name == "true" || name == "false") {
        return Error(token_.offset, "unexpected name '" + std::string(name) + "': write " +
                                        std::string(name) + "() for the boolean value");
      }
      const std::string shown(Prefix(name, 40));
      return Error(token_.offset, "unexpected name '" + shown + "': write a string as '" + shown +
                                      "' or a reference as ${" + shown + "}");
    }
    default:
      return ExpectedValue();
  }
  RETURN_IF_ERROR(Advance());
  return Add(std::move(node));
}

Result<int> Parser::ParseReference() {
  const std::string_view name = token_.value;
  std::optional<int> slot;
  if (resolver_) slot = resolver_(name);
  if (!slot) return Error(token_.offset, "unknown question ${" + std::string(name) + "}");
  if (*slot < 0) {
    return InternalError("the slot resolver gave a negative slot for ${" + std::string(name) + "}");
  }
  Node node;
  node.type = NodeType::kReference;
  node.offset = token_.offset;
  node.text = std::string(name);
  node.slot = *slot;
  if (std::find(ast_.references.begin(), ast_.references.end(), node.text) ==
      ast_.references.end()) {
    ast_.references.push_back(node.text);
  }
  RETURN_IF_ERROR(Advance());
  return Add(std::move(node));
}

Result<int> Parser::ParseCall() {
  const Token name = token_;
  const FunctionInfo* info = FindFunction(name.value);
  if (info == nullptr) {
    return Error(name.offset, "unknown function " + std::string(Prefix(name.value, 40)) + "()");
  }
  RETURN_IF_ERROR(Advance());  // the name
  const size_t open = token_.offset;
  RETURN_IF_ERROR(Enter(open));
  RETURN_IF_ERROR(Advance());  // '('
  Node node;
  node.type = NodeType::kCall;
  node.function = info->function;
  node.offset = name.offset;
  if (token_.type != TokenType::kRightParen) {
    for (;;) {
      ASSIGN_OR_RETURN(int argument, ParseBinary(0));
      node.children.push_back(argument);
      if (token_.type == TokenType::kComma) {
        RETURN_IF_ERROR(Advance());
        continue;
      }
      if (token_.type == TokenType::kRightParen) break;
      return MissingClose(open, std::string(info->name) + "(");
    }
  }
  --depth_;
  const size_t given = node.children.size();
  if (given < static_cast<size_t>(info->min_args) ||
      (info->max_args >= 0 && given > static_cast<size_t>(info->max_args))) {
    return Error(name.offset, ArityProblem(*info, given));
  }
  // string(), number() and string-length() without an argument apply to '.'.
  if (given == 0 && info->max_args == 1) {
    Node current;
    current.type = NodeType::kCurrent;
    current.offset = name.offset;
    ASSIGN_OR_RETURN(int current_index, Add(std::move(current)));
    node.children.push_back(current_index);
  }
  RETURN_IF_ERROR(Advance());  // ')'
  return Add(std::move(node));
}

Status Parser::ExpectedValue() const {
  if (!has_previous_) return Error(ErrorOffset(), "expected a value, found " + Describe(token_));
  const std::string after = "expected a value after " + Describe(previous_);
  if (token_.type == TokenType::kEnd) return Error(ErrorOffset(), after);
  if (previous_.type == TokenType::kEqual && token_.type == TokenType::kEqual &&
      token_.offset == previous_.offset + 1) {
    return Error(previous_.offset, "'==' is not an operator: write '=' to compare");
  }
  return Error(ErrorOffset(), after + ", found " + Describe(token_));
}

// The error for a '(' at `open_offset` not closed where the current token is.
// `call` is "name(" inside a call's arguments, "" for a parenthesis.
Status Parser::MissingClose(size_t open_offset, std::string_view call) const {
  const std::string column = std::to_string(1 + CountCodePoints(text_.substr(0, open_offset)));
  const std::string opener = "'(' at column " + column;
  if (token_.type == TokenType::kEnd) return Error(ErrorOffset(), "missing ')' to close " + opener);
  if (!call.empty()) {
    return Error(token_.offset, "expected ',' or ')' in " + std::string(call) +
                                    ") opened at column " + column + ", found " + Describe(token_));
  }
  return Error(token_.offset, "expected ')' to close " + opener + ", found " + Describe(token_));
}

}  // namespace

Status CompileError(std::string_view text, size_t offset, std::string_view problem) {
  const size_t column = 1 + CountCodePoints(text.substr(0, std::min(offset, text.size())));
  std::string message = "expression '";
  const std::string_view shown = Prefix(text, kMaxQuotedText);
  message += shown;
  if (shown.size() < text.size()) message += "...";
  message += "': column " + std::to_string(column) + ": ";
  message += problem;
  return InvalidArgumentError(std::move(message));
}

Result<Ast> Parse(std::string_view text, const SlotResolver& resolver) {
  return Parser(text, resolver).Run();
}

}  // namespace opendtm::expr::internal
