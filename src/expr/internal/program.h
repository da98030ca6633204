// The compiled form of an expression: postfix code for a small stack machine,
// with a constant pool and the compiled regular expressions.
//
// The code generator (compiler.h) knows the kind of every operand at compile
// time in all but rare cases (if() or coalesce() whose branches differ), so it
// emits the XPath conversions explicitly and the operators are typed: `=`
// between two strings is kEqualString, never a run-time type dispatch. The
// rare unknown kind uses the kAny variants.
#ifndef OPENDTM_EXPR_INTERNAL_PROGRAM_H_
#define OPENDTM_EXPR_INTERNAL_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "expr/internal/regex.h"

namespace opendtm::expr::internal {

// Evaluation stack entries per evaluation; Compile rejects deeper programs.
inline constexpr int kMaxStack = 128;

enum class CellKind : uint8_t {
  kBoolean,
  kNumber,
  kString,
  kDate,  // today(): a number of days that reads as "YYYY-MM-DD" as a string
};

// One value on the evaluation stack. Trivial (no constructors), so that the
// evaluator's stack array costs nothing to set up.
struct Cell {
  CellKind kind;
  bool boolean;      // kBoolean
  bool transient;    // kString: the bytes are the evaluation's or the Program's, not the row's
  double number;     // kNumber; kDate: days since 1970-01-01
  const char* data;  // kString
  size_t size;

  std::string_view string() const { return {data, size}; }
};

// The stack effect of each operation is in brackets: (inputs -- outputs).
enum class Op : uint8_t {
  // Loads.
  kConstant,       // ( -- constants[arg])
  kSlot,           // ( -- string of slot arg)
  kCurrent,        // ( -- string of '.')
  kToday,          // ( -- date)
  kSlotNumber,     // ( -- number of slot arg): kSlot + kStringToNumber
  kCurrentNumber,  // ( -- number of '.'), converted once per evaluation
  // Conversions of the top of the stack, by the kind known at compile time.
  kStringToNumber,
  kBooleanToNumber,
  kDateToNumber,
  kAnyToNumber,
  kStringToBoolean,
  kNumberToBoolean,
  kAnyToBoolean,
  kToString,  // any kind; numbers and dates are formatted into the Scratch
  // Comparisons (a b -- boolean).
  kEqualBoolean,
  kNotEqualBoolean,
  kEqualNumber,
  kNotEqualNumber,
  kEqualString,
  kNotEqualString,
  kEqualAny,  // XPath's rules at run time
  kNotEqualAny,
  kLess,  // numbers
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEqualStringConstant,     // (string -- boolean) against constants[arg]
  kNotEqualStringConstant,  // (string -- boolean)
  kLessConstant,            // (number -- boolean) against constants[arg]
  kLessEqualConstant,
  kGreaterConstant,
  kGreaterEqualConstant,
  // Arithmetic on numbers.
  kAdd,  // (a b -- a+b)
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
  kNegate,  // (a -- -a)
  kInt,     // (a -- trunc(a))
  // Booleans and control flow; arg is the target index in the code.
  kNot,                    // (boolean -- boolean)
  kJumpIfFalseElsePop,     // `and`: keep false and jump, or pop
  kJumpIfTrueElsePop,      // `or`: keep true and jump, or pop
  kJumpIfFalsePop,         // if(): (boolean -- )
  kJump,                   // ( -- )
  kJumpIfNotEmptyElsePop,  // coalesce(): keep a non-empty value and jump, or pop
  // Functions.
  kSelected,          // (list value -- boolean)
  kSelectedConstant,  // (list -- boolean) for the trimmed constants[arg]
  kCountSelected,     // (list -- number)
  kStringLength,      // (string -- number)
  kRegex,             // (string -- boolean) with regexes[arg]
  kRegexDynamic,      // (string pattern -- boolean), compiled per call
  kConcat,            // (arg strings -- string) into the Scratch
  // Fused pairs: slot arg read as a string, then the operation (arg2 is the
  // operation's constant).
  kSlotEqualStringConstant,     // ( -- boolean)
  kSlotNotEqualStringConstant,  // ( -- boolean)
  kSlotSelectedConstant,        // ( -- boolean)
  kSlotCountSelected,           // ( -- number)
  kSlotNumberOrConstant,        // ( -- number): coalesce(${x}, number) in a numeric context
  kAddSlotNumber,               // (a -- a + number of slot arg): the terms of a sum
  kAddSlotNumberOrConstant,     // (a -- a + coalesce(slot arg, constants[arg2]))
};

struct Instruction {
  Op op;
  int32_t arg;
  int32_t arg2;  // fused pairs only
};

// The result of a run is the top of the stack once the code runs off its end
// (a test of the program counter is cheaper than a kReturn dispatch).
struct Program {
  std::vector<Instruction> code;
  std::vector<Cell> constants;
  // The bytes of string constants. A deque never moves its elements, so the
  // constants' pointers stay valid as it grows and when the Program moves.
  std::deque<std::string> strings;
  std::vector<Regex> regexes;
  int max_stack = 0;
};

}  // namespace opendtm::expr::internal

#endif  // OPENDTM_EXPR_INTERNAL_PROGRAM_H_
