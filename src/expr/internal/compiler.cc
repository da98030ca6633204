#include "expr/internal/compiler.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "expr/internal/conversions.h"

namespace opendtm::expr::internal {
namespace {

// What the code generator knows of a value before evaluation.
enum class Kind : uint8_t { kBoolean, kNumber, kString, kDate, kAny };

Kind Join(Kind a, Kind b) { return a == b ? a : Kind::kAny; }

// Step 1: the kind of every node. The parser adds children before their
// parent, so one pass in index order sees children first.
std::vector<Kind> InferKinds(const Ast& ast) {
  std::vector<Kind> kinds(ast.nodes.size(), Kind::kAny);
  for (size_t index = 0; index < ast.nodes.size(); ++index) {
    const Node& node = ast.nodes[index];
    auto child = [&](size_t position) {
      return kinds[static_cast<size_t>(node.children[position])];
    };
    Kind kind = Kind::kAny;
    switch (node.type) {
      case NodeType::kNumber:
        kind = Kind::kNumber;
        break;
      case NodeType::kString:
      case NodeType::kReference:
      case NodeType::kCurrent:
        kind = Kind::kString;
        break;
      case NodeType::kOr:
      case NodeType::kAnd:
      case NodeType::kEqual:
      case NodeType::kNotEqual:
      case NodeType::kLess:
      case NodeType::kLessEqual:
      case NodeType::kGreater:
      case NodeType::kGreaterEqual:
        kind = Kind::kBoolean;
        break;
      case NodeType::kAdd:
      case NodeType::kSubtract:
      case NodeType::kMultiply:
      case NodeType::kDivide:
      case NodeType::kModulo:
      case NodeType::kNegate:
        kind = Kind::kNumber;
        break;
      case NodeType::kCall:
        switch (node.function) {
          case Function::kNot:
          case Function::kSelected:
          case Function::kRegex:
          case Function::kBoolean:
          case Function::kTrue:
          case Function::kFalse:
            kind = Kind::kBoolean;
            break;
          case Function::kCountSelected:
          case Function::kStringLength:
          case Function::kNumber:
          case Function::kInt:
            kind = Kind::kNumber;
            break;
          case Function::kConcat:
          case Function::kString:
            kind = Kind::kString;
            break;
          case Function::kToday:
            kind = Kind::kDate;
            break;
          case Function::kIf:
            kind = Join(child(1), child(2));
            break;
          case Function::kCoalesce:
            // A value of another kind always has a non-empty string form.
            kind = child(0) == Kind::kString || child(0) == Kind::kAny ? Join(child(0), child(1))
                                                                       : child(0);
            break;
        }
        break;
    }
    kinds[index] = kind;
  }
  return kinds;
}

class Generator {
 public:
  Generator(const Ast& ast, std::string_view text)
      : ast_(ast), text_(text), kinds_(InferKinds(ast)) {}

  Result<Program> Run() {
    RETURN_IF_ERROR(EmitNode(ast_.root));
    if (program_.max_stack > kMaxStack) {
      return CompileError(text_, 0,
                          "too complex: needs more than " + std::to_string(kMaxStack) +
                              " evaluation stack entries");
    }
    return std::move(program_);
  }

 private:
  const Node& NodeAt(int index) const { return ast_.nodes[static_cast<size_t>(index)]; }
  Kind KindOf(int index) const { return kinds_[static_cast<size_t>(index)]; }

  // Appends an instruction whose net stack effect is `effect`.
  void Emit(Op op, int32_t arg, int effect, int32_t arg2 = 0) {
    program_.code.push_back(Instruction{op, arg, arg2});
    depth_ += effect;
    program_.max_stack = std::max(program_.max_stack, depth_);
  }
  // Emits a jump to be patched by Bind; returns its index.
  size_t EmitJump(Op op, int effect) {
    Emit(op, 0, effect);
    return program_.code.size() - 1;
  }
  // Points the jump at `jump` to the next instruction.
  void Bind(size_t jump) {
    program_.code[jump].arg = static_cast<int32_t>(program_.code.size());
    label_ = program_.code.size();
  }
  // The last instruction, when it may be rewritten: nothing jumps past it.
  Instruction* Fusable() {
    if (program_.code.empty() || label_ == program_.code.size()) return nullptr;
    return &program_.code.back();
  }

  // Rewrites a just-emitted slot read into `fused`, which reads the slot
  // itself; false when the last instruction is not a fusable slot read.
  bool FuseSlot(Op fused, int32_t arg2) {
    Instruction* last = Fusable();
    if (last == nullptr || last->op != Op::kSlot) return false;
    last->op = fused;
    last->arg2 = arg2;
    return true;
  }

  int32_t AddConstant(Cell cell) {
    program_.constants.push_back(cell);
    return static_cast<int32_t>(program_.constants.size() - 1);
  }
  int32_t AddNumber(double number) {
    Cell cell{};
    cell.kind = CellKind::kNumber;
    cell.number = number;
    return AddConstant(cell);
  }
  int32_t AddBoolean(bool boolean) {
    Cell cell{};
    cell.kind = CellKind::kBoolean;
    cell.boolean = boolean;
    return AddConstant(cell);
  }
  int32_t AddString(std::string_view text) {
    const std::string& stored = program_.strings.emplace_back(text);
    Cell cell{};
    cell.kind = CellKind::kString;
    cell.transient = true;  // a result must not borrow from the Program
    cell.data = stored.data();
    cell.size = stored.size();
    return AddConstant(cell);
  }

  void ToNumber(Kind kind) {
    switch (kind) {
      case Kind::kNumber:
        return;
      case Kind::kString:
        if (Instruction* last = Fusable()) {
          if (last->op == Op::kSlot) {
            last->op = Op::kSlotNumber;
            return;
          }
          if (last->op == Op::kCurrent) {
            last->op = Op::kCurrentNumber;
            return;
          }
        }
        Emit(Op::kStringToNumber, 0, 0);
        return;
      case Kind::kBoolean:
        Emit(Op::kBooleanToNumber, 0, 0);
        return;
      case Kind::kDate:
        Emit(Op::kDateToNumber, 0, 0);
        return;
      case Kind::kAny:
        Emit(Op::kAnyToNumber, 0, 0);
        return;
    }
  }
  void ToBoolean(Kind kind) {
    switch (kind) {
      case Kind::kBoolean:
        return;
      case Kind::kString:
        Emit(Op::kStringToBoolean, 0, 0);
        return;
      case Kind::kNumber:
        Emit(Op::kNumberToBoolean, 0, 0);
        return;
      case Kind::kDate:
      case Kind::kAny:
        Emit(Op::kAnyToBoolean, 0, 0);
        return;
    }
  }
  void ToString(Kind kind) {
    if (kind != Kind::kString) Emit(Op::kToString, 0, 0);
  }

  Status EmitAs(int index, void (Generator::*convert)(Kind)) {
    if (convert == &Generator::ToNumber) return EmitNumber(index);
    RETURN_IF_ERROR(EmitNode(index));
    (this->*convert)(KindOf(index));
    return Status::Ok();
  }

  // A node in a numeric context. `coalesce(${x}, 0)`, the usual way to count
  // an unanswered SADD bucket as zero, is one instruction.
  Status EmitNumber(int index) {
    const Node& node = NodeAt(index);
    if (node.type == NodeType::kCall && node.function == Function::kCoalesce &&
        NodeAt(node.children[0]).type == NodeType::kReference &&
        IsNumberLiteral(node.children[1])) {
      Emit(Op::kSlotNumberOrConstant, NodeAt(node.children[0]).slot, 1,
           AddNumber(NodeAt(node.children[1]).number));
      return Status::Ok();
    }
    RETURN_IF_ERROR(EmitNode(index));
    ToNumber(KindOf(index));
    return Status::Ok();
  }

  bool IsStringLiteral(int index) const { return NodeAt(index).type == NodeType::kString; }
  bool IsNumberLiteral(int index) const { return NodeAt(index).type == NodeType::kNumber; }

  Status EmitNode(int index);
  Status EmitLogical(const Node& node);
  Status EmitEquality(const Node& node);
  Status EmitRelational(const Node& node);
  Status EmitCall(const Node& node);

  const Ast& ast_;
  std::string_view text_;
  std::vector<Kind> kinds_;
  Program program_;
  int depth_ = 0;
  size_t label_ = static_cast<size_t>(-1);
};

Status Generator::EmitNode(int index) {
  const Node& node = NodeAt(index);
  switch (node.type) {
    case NodeType::kNumber:
      Emit(Op::kConstant, AddNumber(node.number), 1);
      break;
    case NodeType::kString:
      Emit(Op::kConstant, AddString(node.text), 1);
      break;
    case NodeType::kReference:
      Emit(Op::kSlot, node.slot, 1);
      break;
    case NodeType::kCurrent:
      Emit(Op::kCurrent, 0, 1);
      break;
    case NodeType::kOr:
    case NodeType::kAnd:
      return EmitLogical(node);
    case NodeType::kEqual:
    case NodeType::kNotEqual:
      return EmitEquality(node);
    case NodeType::kLess:
    case NodeType::kLessEqual:
    case NodeType::kGreater:
    case NodeType::kGreaterEqual:
      return EmitRelational(node);
    case NodeType::kAdd:
    case NodeType::kSubtract:
    case NodeType::kMultiply:
    case NodeType::kDivide:
    case NodeType::kModulo: {
      RETURN_IF_ERROR(EmitAs(node.children[0], &Generator::ToNumber));
      RETURN_IF_ERROR(EmitAs(node.children[1], &Generator::ToNumber));
      if (node.type == NodeType::kAdd) {
        if (Instruction* last = Fusable()) {
          if (last->op == Op::kSlotNumber || last->op == Op::kSlotNumberOrConstant) {
            last->op =
                last->op == Op::kSlotNumber ? Op::kAddSlotNumber : Op::kAddSlotNumberOrConstant;
            depth_ -= 1;  // the fused instruction consumes the left operand
            break;
          }
        }
      }
      const Op op = node.type == NodeType::kAdd        ? Op::kAdd
                    : node.type == NodeType::kSubtract ? Op::kSubtract
                    : node.type == NodeType::kMultiply ? Op::kMultiply
                    : node.type == NodeType::kDivide   ? Op::kDivide
                                                       : Op::kModulo;
      Emit(op, 0, -1);
      break;
    }
    case NodeType::kNegate:
      if (IsNumberLiteral(node.children[0])) {  // a negative literal
        Emit(Op::kConstant, AddNumber(-NodeAt(node.children[0]).number), 1);
        break;
      }
      RETURN_IF_ERROR(EmitAs(node.children[0], &Generator::ToNumber));
      Emit(Op::kNegate, 0, 0);
      break;
    case NodeType::kCall:
      return EmitCall(node);
  }
  return Status::Ok();
}

Status Generator::EmitLogical(const Node& node) {
  RETURN_IF_ERROR(EmitAs(node.children[0], &Generator::ToBoolean));
  const size_t jump =
      EmitJump(node.type == NodeType::kAnd ? Op::kJumpIfFalseElsePop : Op::kJumpIfTrueElsePop, -1);
  RETURN_IF_ERROR(EmitAs(node.children[1], &Generator::ToBoolean));
  Bind(jump);
  return Status::Ok();
}

// XPath 1.0 `=` and `!=`: booleans when either side is one, else numbers when
// either side is one, else strings. today() compares as a number with a
// number and as its "YYYY-MM-DD" text with a string.
Status Generator::EmitEquality(const Node& node) {
  const bool equal = node.type == NodeType::kEqual;
  const int left = node.children[0];
  const int right = node.children[1];
  const Kind left_kind = KindOf(left);
  const Kind right_kind = KindOf(right);
  auto both = [&](void (Generator::*convert)(Kind)) -> Status {
    RETURN_IF_ERROR(EmitAs(left, convert));
    return EmitAs(right, convert);
  };
  if (left_kind == Kind::kBoolean || right_kind == Kind::kBoolean) {
    RETURN_IF_ERROR(both(&Generator::ToBoolean));
    Emit(equal ? Op::kEqualBoolean : Op::kNotEqualBoolean, 0, -1);
  } else if (left_kind == Kind::kAny || right_kind == Kind::kAny) {
    RETURN_IF_ERROR(EmitNode(left));
    RETURN_IF_ERROR(EmitNode(right));
    Emit(equal ? Op::kEqualAny : Op::kNotEqualAny, 0, -1);
  } else if (left_kind == Kind::kNumber || right_kind == Kind::kNumber ||
             (left_kind == Kind::kDate && right_kind == Kind::kDate)) {
    RETURN_IF_ERROR(both(&Generator::ToNumber));
    Emit(equal ? Op::kEqualNumber : Op::kNotEqualNumber, 0, -1);
  } else if (IsStringLiteral(right) || IsStringLiteral(left)) {
    // Strings (a date becomes its text); one side a literal: fuse.
    const int literal = IsStringLiteral(right) ? right : left;
    RETURN_IF_ERROR(EmitAs(literal == right ? left : right, &Generator::ToString));
    const int32_t constant = AddString(NodeAt(literal).text);
    if (!FuseSlot(equal ? Op::kSlotEqualStringConstant : Op::kSlotNotEqualStringConstant,
                  constant)) {
      Emit(equal ? Op::kEqualStringConstant : Op::kNotEqualStringConstant, constant, 0);
    }
  } else {
    RETURN_IF_ERROR(both(&Generator::ToString));
    Emit(equal ? Op::kEqualString : Op::kNotEqualString, 0, -1);
  }
  return Status::Ok();
}

// Relational operators always compare numbers.
Status Generator::EmitRelational(const Node& node) {
  const int left = node.children[0];
  const int right = node.children[1];
  RETURN_IF_ERROR(EmitAs(left, &Generator::ToNumber));
  if (IsNumberLiteral(right)) {
    const Op op = node.type == NodeType::kLess        ? Op::kLessConstant
                  : node.type == NodeType::kLessEqual ? Op::kLessEqualConstant
                  : node.type == NodeType::kGreater   ? Op::kGreaterConstant
                                                      : Op::kGreaterEqualConstant;
    Emit(op, AddNumber(NodeAt(right).number), 0);
    return Status::Ok();
  }
  RETURN_IF_ERROR(EmitAs(right, &Generator::ToNumber));
  const Op op = node.type == NodeType::kLess        ? Op::kLess
                : node.type == NodeType::kLessEqual ? Op::kLessEqual
                : node.type == NodeType::kGreater   ? Op::kGreater
                                                    : Op::kGreaterEqual;
  Emit(op, 0, -1);
  return Status::Ok();
}

Status Generator::EmitCall(const Node& node) {
  const std::vector<int>& args = node.children;
  switch (node.function) {
    case Function::kNot:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToBoolean));
      Emit(Op::kNot, 0, 0);
      break;
    case Function::kSelected:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToString));
      if (IsStringLiteral(args[1])) {
        const int32_t constant = AddString(TrimXmlSpace(NodeAt(args[1]).text));
        if (!FuseSlot(Op::kSlotSelectedConstant, constant)) {
          Emit(Op::kSelectedConstant, constant, 0);
        }
      } else {
        RETURN_IF_ERROR(EmitAs(args[1], &Generator::ToString));
        Emit(Op::kSelected, 0, -1);
      }
      break;
    case Function::kCountSelected:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToString));
      if (!FuseSlot(Op::kSlotCountSelected, 0)) Emit(Op::kCountSelected, 0, 0);
      break;
    case Function::kRegex:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToString));
      if (IsStringLiteral(args[1])) {
        const Node& pattern = NodeAt(args[1]);
        Result<Regex> regex = Regex::Compile(pattern.text);
        if (!regex.ok()) {
          return CompileError(
              text_, pattern.offset,
              "invalid regular expression '" + pattern.text + "': " + regex.status().message());
        }
        program_.regexes.push_back(std::move(regex).value());
        Emit(Op::kRegex, static_cast<int32_t>(program_.regexes.size() - 1), 0);
      } else {
        RETURN_IF_ERROR(EmitAs(args[1], &Generator::ToString));
        Emit(Op::kRegexDynamic, 0, -1);
      }
      break;
    case Function::kStringLength:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToString));
      Emit(Op::kStringLength, 0, 0);
      break;
    case Function::kToday:
      Emit(Op::kToday, 0, 1);
      break;
    case Function::kIf: {
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToBoolean));
      const size_t to_else = EmitJump(Op::kJumpIfFalsePop, -1);
      RETURN_IF_ERROR(EmitNode(args[1]));
      const size_t to_end = EmitJump(Op::kJump, 0);
      Bind(to_else);
      --depth_;  // the else branch starts without the then branch's value
      RETURN_IF_ERROR(EmitNode(args[2]));
      Bind(to_end);
      break;
    }
    case Function::kCoalesce: {
      RETURN_IF_ERROR(EmitNode(args[0]));
      const Kind first = KindOf(args[0]);
      if (first != Kind::kString && first != Kind::kAny) break;  // never empty
      const size_t jump = EmitJump(Op::kJumpIfNotEmptyElsePop, -1);
      RETURN_IF_ERROR(EmitNode(args[1]));
      Bind(jump);
      break;
    }
    case Function::kConcat:
      if (args.empty()) {
        Emit(Op::kConstant, AddString(""), 1);
        break;
      }
      for (int arg : args) RETURN_IF_ERROR(EmitAs(arg, &Generator::ToString));
      if (args.size() > 1) {
        Emit(Op::kConcat, static_cast<int32_t>(args.size()), 1 - static_cast<int>(args.size()));
      }
      break;
    case Function::kNumber:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToNumber));
      break;
    case Function::kInt:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToNumber));
      Emit(Op::kInt, 0, 0);
      break;
    case Function::kString:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToString));
      break;
    case Function::kBoolean:
      RETURN_IF_ERROR(EmitAs(args[0], &Generator::ToBoolean));
      break;
    case Function::kTrue:
      Emit(Op::kConstant, AddBoolean(true), 1);
      break;
    case Function::kFalse:
      Emit(Op::kConstant, AddBoolean(false), 1);
      break;
  }
  return Status::Ok();
}

}  // namespace

Result<Program> Generate(const Ast& ast, std::string_view text) {
  return Generator(ast, text).Run();
}

}  // namespace opendtm::expr::internal
