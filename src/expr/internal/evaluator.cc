#include "expr/internal/evaluator.h"

#include <cmath>
#include <cstring>
#include <string_view>

#include "expr/internal/conversions.h"
#include "expr/internal/regex.h"

namespace opendtm::expr::internal {
namespace {

void SetString(Cell& cell, std::string_view text, bool transient = false) {
  cell.kind = CellKind::kString;
  cell.transient = transient;
  cell.data = text.data();
  cell.size = text.size();
}

void SetNumber(Cell& cell, double number) {
  cell.kind = CellKind::kNumber;
  cell.number = number;
}

void SetBoolean(Cell& cell, bool boolean) {
  cell.kind = CellKind::kBoolean;
  cell.boolean = boolean;
}

double CellToNumber(const Cell& cell) {
  switch (cell.kind) {
    case CellKind::kBoolean:
      return cell.boolean ? 1 : 0;
    case CellKind::kNumber:
    case CellKind::kDate:
      return cell.number;
    case CellKind::kString:
      return FastStringToNumber(cell.string());
  }
  return 0;
}

std::string_view CopyToScratch(std::string_view text, Scratch& scratch) {
  char* out = scratch.Allocate(text.size());
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

// Turns `cell` into its XPath string() in place.
void MakeString(Cell& cell, Scratch& scratch) {
  char buffer[kFormatBufferSize];
  switch (cell.kind) {
    case CellKind::kString:
      return;
    case CellKind::kBoolean:
      SetString(cell, cell.boolean ? "true" : "false");
      return;
    case CellKind::kNumber:
      SetString(cell, CopyToScratch({buffer, FormatNumber(cell.number, buffer)}, scratch), true);
      return;
    case CellKind::kDate:
      SetString(
          cell,
          CopyToScratch({buffer, FormatDate(static_cast<int64_t>(cell.number), buffer)}, scratch),
          true);
      return;
  }
}

// XPath `=` for operands whose kinds were not known at compile time.
bool EqualAny(Cell left, Cell right, Scratch& scratch) {
  if (left.kind == CellKind::kBoolean || right.kind == CellKind::kBoolean) {
    return CellToBoolean(left) == CellToBoolean(right);
  }
  if (left.kind == CellKind::kNumber || right.kind == CellKind::kNumber ||
      (left.kind == CellKind::kDate && right.kind == CellKind::kDate)) {
    return CellToNumber(left) == CellToNumber(right);
  }
  MakeString(left, scratch);
  MakeString(right, scratch);
  return left.string() == right.string();
}

// Equality of short strings (choice names, codes) without a call to memcmp.
inline bool SameText(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  if (left.size() > 16) return std::memcmp(left.data(), right.data(), left.size()) == 0;
  for (size_t index = 0; index < left.size(); ++index) {
    if (left[index] != right[index]) return false;
  }
  return true;
}

std::string_view SlotValue(const EvaluationContext& context, int32_t slot) {
  // A slot beyond the row is the caller's bug; read it as unanswered rather
  // than out of bounds.
  const size_t index = static_cast<size_t>(slot);
  return index < context.slots.size() ? context.slots[index] : std::string_view();
}

}  // namespace

char* Scratch::Allocate(size_t size) {
  if (size <= kInlineBytes - used_) {
    char* out = buffer_ + used_;
    used_ += size;
    return out;
  }
  overflow_.push_back(std::unique_ptr<char[]>(new char[size]));
  return overflow_.back().get();
}

const Cell* Run(const Program& program, const EvaluationContext& context, Scratch& scratch,
                Stack& stack) {
  Cell* top = stack;  // the next free entry; the top of the stack is top[-1]
  const Instruction* const code = program.code.data();
  const Cell* const constants = program.constants.data();
  const Instruction* pc = code;
  const Instruction* const end = code + program.code.size();
  double current_number = 0;
  bool current_number_ready = false;

  while (pc != end) {
    const Instruction instruction = *pc++;
    switch (instruction.op) {
      case Op::kConstant:
        *top++ = constants[instruction.arg];
        break;
      case Op::kSlot:
        SetString(*top++, SlotValue(context, instruction.arg));
        break;
      case Op::kCurrent:
        SetString(*top++, context.current);
        break;
      case Op::kToday:
        top->kind = CellKind::kDate;
        top->number = static_cast<double>(context.today_days);
        ++top;
        break;
      case Op::kSlotNumber:
        SetNumber(*top++, FastStringToNumber(SlotValue(context, instruction.arg)));
        break;
      case Op::kCurrentNumber:
        if (!current_number_ready) {
          current_number = FastStringToNumber(context.current);
          current_number_ready = true;
        }
        SetNumber(*top++, current_number);
        break;

      case Op::kStringToNumber:
        SetNumber(top[-1], FastStringToNumber(top[-1].string()));
        break;
      case Op::kBooleanToNumber:
        SetNumber(top[-1], top[-1].boolean ? 1 : 0);
        break;
      case Op::kDateToNumber:
        top[-1].kind = CellKind::kNumber;
        break;
      case Op::kAnyToNumber:
        SetNumber(top[-1], CellToNumber(top[-1]));
        break;
      case Op::kStringToBoolean:
        SetBoolean(top[-1], top[-1].size != 0);
        break;
      case Op::kNumberToBoolean:
        SetBoolean(top[-1], top[-1].number != 0 && !std::isnan(top[-1].number));
        break;
      case Op::kAnyToBoolean:
        SetBoolean(top[-1], CellToBoolean(top[-1]));
        break;
      case Op::kToString:
        MakeString(top[-1], scratch);
        break;

      case Op::kEqualBoolean:
        --top;
        SetBoolean(top[-1], top[-1].boolean == top[0].boolean);
        break;
      case Op::kNotEqualBoolean:
        --top;
        SetBoolean(top[-1], top[-1].boolean != top[0].boolean);
        break;
      case Op::kEqualNumber:
        --top;
        SetBoolean(top[-1], top[-1].number == top[0].number);
        break;
      case Op::kNotEqualNumber:
        --top;
        SetBoolean(top[-1], top[-1].number != top[0].number);
        break;
      case Op::kEqualString:
        --top;
        SetBoolean(top[-1], SameText(top[-1].string(), top[0].string()));
        break;
      case Op::kNotEqualString:
        --top;
        SetBoolean(top[-1], !SameText(top[-1].string(), top[0].string()));
        break;
      case Op::kEqualAny:
        --top;
        SetBoolean(top[-1], EqualAny(top[-1], top[0], scratch));
        break;
      case Op::kNotEqualAny:
        --top;
        SetBoolean(top[-1], !EqualAny(top[-1], top[0], scratch));
        break;
      case Op::kLess:
        --top;
        SetBoolean(top[-1], top[-1].number < top[0].number);
        break;
      case Op::kLessEqual:
        --top;
        SetBoolean(top[-1], top[-1].number <= top[0].number);
        break;
      case Op::kGreater:
        --top;
        SetBoolean(top[-1], top[-1].number > top[0].number);
        break;
      case Op::kGreaterEqual:
        --top;
        SetBoolean(top[-1], top[-1].number >= top[0].number);
        break;
      case Op::kEqualStringConstant:
        SetBoolean(top[-1], SameText(top[-1].string(), constants[instruction.arg].string()));
        break;
      case Op::kNotEqualStringConstant:
        SetBoolean(top[-1], !SameText(top[-1].string(), constants[instruction.arg].string()));
        break;
      case Op::kLessConstant:
        SetBoolean(top[-1], top[-1].number < constants[instruction.arg].number);
        break;
      case Op::kLessEqualConstant:
        SetBoolean(top[-1], top[-1].number <= constants[instruction.arg].number);
        break;
      case Op::kGreaterConstant:
        SetBoolean(top[-1], top[-1].number > constants[instruction.arg].number);
        break;
      case Op::kGreaterEqualConstant:
        SetBoolean(top[-1], top[-1].number >= constants[instruction.arg].number);
        break;

      case Op::kAdd:
        --top;
        top[-1].number += top[0].number;
        break;
      case Op::kSubtract:
        --top;
        top[-1].number -= top[0].number;
        break;
      case Op::kMultiply:
        --top;
        top[-1].number *= top[0].number;
        break;
      case Op::kDivide:
        --top;
        top[-1].number /= top[0].number;
        break;
      case Op::kModulo:
        --top;
        top[-1].number = std::fmod(top[-1].number, top[0].number);
        break;
      case Op::kNegate:
        top[-1].number = -top[-1].number;
        break;
      case Op::kInt:
        top[-1].number = std::trunc(top[-1].number);
        break;

      case Op::kNot:
        top[-1].boolean = !top[-1].boolean;
        break;
      case Op::kJumpIfFalseElsePop:
        if (!top[-1].boolean) {
          pc = code + instruction.arg;
        } else {
          --top;
        }
        break;
      case Op::kJumpIfTrueElsePop:
        if (top[-1].boolean) {
          pc = code + instruction.arg;
        } else {
          --top;
        }
        break;
      case Op::kJumpIfFalsePop:
        --top;
        if (!top[0].boolean) pc = code + instruction.arg;
        break;
      case Op::kJump:
        pc = code + instruction.arg;
        break;
      case Op::kJumpIfNotEmptyElsePop:
        if (top[-1].kind != CellKind::kString || top[-1].size != 0) {
          pc = code + instruction.arg;
        } else {
          --top;
        }
        break;

      case Op::kSelected:
        --top;
        SetBoolean(top[-1], IsSelected(top[-1].string(), TrimXmlSpace(top[0].string())));
        break;
      case Op::kSelectedConstant:
        SetBoolean(top[-1], IsSelected(top[-1].string(), constants[instruction.arg].string()));
        break;
      case Op::kCountSelected:
        SetNumber(top[-1], CountSelected(top[-1].string()));
        break;
      case Op::kStringLength:
        SetNumber(top[-1], static_cast<double>(CountCodePoints(top[-1].string())));
        break;
      case Op::kRegex:
        SetBoolean(top[-1],
                   program.regexes[static_cast<size_t>(instruction.arg)].Matches(top[-1].string()));
        break;
      case Op::kRegexDynamic:
        --top;
        SetBoolean(top[-1], MatchOnce(top[0].string(), top[-1].string()));
        break;
      case Op::kConcat: {
        Cell* first = top - instruction.arg;
        size_t size = 0;
        for (Cell* part = first; part != top; ++part) size += part->size;
        char* out = scratch.Allocate(size);
        size_t offset = 0;
        for (Cell* part = first; part != top; ++part) {
          if (part->size != 0) std::memcpy(out + offset, part->data, part->size);
          offset += part->size;
        }
        top = first + 1;
        SetString(*first, {out, size}, true);
        break;
      }
      case Op::kSlotEqualStringConstant:
        SetBoolean(*top++, SameText(SlotValue(context, instruction.arg),
                                    constants[instruction.arg2].string()));
        break;
      case Op::kSlotNotEqualStringConstant:
        SetBoolean(*top++, !SameText(SlotValue(context, instruction.arg),
                                     constants[instruction.arg2].string()));
        break;
      case Op::kSlotSelectedConstant:
        SetBoolean(*top++, IsSelected(SlotValue(context, instruction.arg),
                                      constants[instruction.arg2].string()));
        break;
      case Op::kSlotCountSelected:
        SetNumber(*top++, CountSelected(SlotValue(context, instruction.arg)));
        break;
      case Op::kSlotNumberOrConstant: {
        const std::string_view value = SlotValue(context, instruction.arg);
        SetNumber(*top++,
                  value.empty() ? constants[instruction.arg2].number : FastStringToNumber(value));
        break;
      }
      case Op::kAddSlotNumber:
        top[-1].number += FastStringToNumber(SlotValue(context, instruction.arg));
        break;
      case Op::kAddSlotNumberOrConstant: {
        const std::string_view value = SlotValue(context, instruction.arg);
        top[-1].number +=
            value.empty() ? constants[instruction.arg2].number : FastStringToNumber(value);
        break;
      }
    }
  }
  return top - 1;
}

}  // namespace opendtm::expr::internal
