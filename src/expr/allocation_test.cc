// Checks the promise of expression.h that evaluating comparisons, selected(),
// arithmetic, boolean logic and literal regex() does not allocate, by counting
// calls to the global operator new (replaced for this whole test binary).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expression.h"

namespace {
std::atomic<size_t> allocation_count{0};
}  // namespace

// GCC sees the free() of memory from a (replaced) operator new as a mismatch;
// here it is the replacement's own pairing.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
#pragma GCC diagnostic pop

namespace opendtm::expr {
namespace {

std::optional<int> Resolve(std::string_view name) {
  static const std::vector<std::string_view> names = {"smc_exists", "m_0_1",        "m_1_5",
                                                      "m_total",    "unsafe_areas", "f_0_1"};
  for (size_t slot = 0; slot < names.size(); ++slot) {
    if (names[slot] == name) return static_cast<int>(slot);
  }
  return std::nullopt;
}

// Allocations made by `count` evaluations of `text` (boolean and full).
size_t AllocationsOf(std::string_view text, bool as_value) {
  Result<Expression> compiled = Expression::Compile(text, Resolve);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  if (!compiled.ok()) return 0;
  const Expression& expression = *compiled;
  const std::vector<std::string_view> slots = {"yes", "12", "3", "15", "latrines none", ""};
  EvaluationContext context;
  context.slots = slots;
  context.current = "AB12";
  context.today_days = 19844;
  // Warm up: the first regex() of a thread creates the thread's match data.
  (void)expression.EvaluateBoolean(context);
  const size_t before = allocation_count.load();
  bool sink = false;
  for (int repeat = 0; repeat < 100; ++repeat) {
    if (as_value) {
      sink ^= expression.Evaluate(context).AsNumber() > 0;
    } else {
      sink ^= expression.EvaluateBoolean(context);
    }
  }
  EXPECT_TRUE(sink || !sink);
  return allocation_count.load() - before;
}

TEST(AllocationTest, CountingWorks) {
  const size_t before = allocation_count.load();
  auto* leak_check = new std::string(100, 'x');
  delete leak_check;
  EXPECT_GT(allocation_count.load(), before);
}

TEST(AllocationTest, BooleanEvaluationDoesNotAllocate) {
  for (const char* text : {
           "${smc_exists} = 'yes'",
           ". >= 0 and . <= 100000",
           "${m_0_1} + ${m_1_5} = ${m_total}",
           "coalesce(${f_0_1}, 0) + ${m_0_1} * 2 div 3 - 1 mod 2 != -${m_total}",
           "not(selected(${unsafe_areas}, 'none') and count-selected(${unsafe_areas}) > 1)",
           "selected(${unsafe_areas}, ${smc_exists}) or ${smc_exists} != ${m_0_1}",
           "regex(., '^[A-Z]{2}[0-9]{2,}$')",
           "if(${smc_exists} = 'yes', ${m_0_1}, 0) > 3",
           "string-length(.) = 4 and ${f_0_1} = '' and ${smc_exists} = true()",
           "today() > '2020-01-01' and today() = '2024-05-01'",
           "int(number(${m_total})) = 15 and boolean(${smc_exists})",
           "if(${smc_exists} = 'yes', 5, 'none') = 5",
       }) {
    EXPECT_EQ(AllocationsOf(text, false), 0u) << text;
  }
}

TEST(AllocationTest, NumberAndShortStringResultsDoNotAllocate) {
  for (const char* text : {"${m_0_1} + ${m_1_5}", "today()", "string(${m_0_1} div 7)",
                           "${smc_exists}", "concat(${smc_exists}, '-', ${m_0_1})"}) {
    EXPECT_EQ(AllocationsOf(text, true), 0u) << text;
  }
}

}  // namespace
}  // namespace opendtm::expr
