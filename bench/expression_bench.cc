// How fast compiled XLSForm expressions evaluate, relative to the same checks
// written by hand in C++ (see bench/README.md).
//
// Every case runs twice over the same 10,000 generated rows: `<case>/compiled`
// evaluates the Expression, `<case>/hand_written` runs the fastest equivalent
// C++ (string_view comparisons, std::from_chars). Both report evaluations per
// second (items_per_second); bench/run.sh turns each pair into a ratio, which
// stays meaningful on a noisy shared machine where absolute figures do not.
// Before timing, each case checks that both agree on every row.
#include <benchmark/benchmark.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "expr/expression.h"
#include "expr/internal/regex.h"

namespace opendtm::expr {
namespace {

// ---- Rows ----------------------------------------------------------------------

enum Slot : int {
  kSmcExists,
  kM0to1,
  kM1to5,
  kM6to17,
  kM18to59,
  kM60plus,
  kF0to1,
  kF1to5,
  kF6to17,
  kF18to59,
  kF60plus,
  kTotal,
  kUnsafeAreas,
  kSlotCount,
};

constexpr std::array<std::string_view, kSlotCount> kSlotNames = {
    "smc_exists", "m_0_1",  "m_1_5",   "m_6_17",   "m_18_59", "m_60plus",    "f_0_1",
    "f_1_5",      "f_6_17", "f_18_59", "f_60plus", "total",   "unsafe_areas"};

std::optional<int> Resolve(std::string_view name) {
  for (size_t slot = 0; slot < kSlotNames.size(); ++slot) {
    if (kSlotNames[slot] == name) return static_cast<int>(slot);
  }
  return std::nullopt;
}

struct Row {
  std::array<std::string, kSlotCount> values;
  std::array<std::string_view, kSlotCount> slots;
  std::string population;  // '.' of the range constraint
  std::string site_code;   // '.' of the regex constraint
};

// Deterministic across platforms (unlike std:: distributions).
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(int bound) { return static_cast<int>(Next() % static_cast<uint64_t>(bound)); }

 private:
  uint64_t state_;
};

constexpr int kRowCount = 10'000;

std::vector<Row> MakeRows() {
  static constexpr std::string_view kAreas[] = {"latrines", "water_points",  "distribution_sites",
                                                "markets",  "health_centre", "firewood_collection"};
  SplitMix random(20240501);
  std::vector<Row> rows(kRowCount);
  for (Row& row : rows) {
    const int smc = random.Below(100);
    row.values[kSmcExists] = smc < 50 ? "yes" : smc < 85 ? "no" : "";

    // SADD: 80% consistent, 10% off by one, 10% with an unanswered bucket.
    int64_t total = 0;
    for (int slot = kM0to1; slot <= kF60plus; ++slot) {
      const int count = random.Below(random.Below(10) == 0 ? 2000 : 60);
      row.values[slot] = std::to_string(count);
      total += count;
    }
    const int sadd = random.Below(10);
    if (sadd == 0) total += 1;
    if (sadd == 1) row.values[kM0to1 + random.Below(10)] = "";
    row.values[kTotal] = std::to_string(total);

    const int unsafe = random.Below(100);
    if (unsafe < 30) {
      row.values[kUnsafeAreas] = "none";
    } else if (unsafe < 40) {
      row.values[kUnsafeAreas] = "none latrines";
    } else if (unsafe < 60) {
      row.values[kUnsafeAreas] = "";
    } else {
      const int count = 1 + random.Below(3);
      for (int area = 0; area < count; ++area) {
        if (area > 0) row.values[kUnsafeAreas] += ' ';
        row.values[kUnsafeAreas] += kAreas[random.Below(6)];
      }
    }

    const int population = random.Below(100);
    if (population < 70) {
      row.population = std::to_string(random.Below(130'000));
    } else if (population < 80) {
      row.population = "";
    } else if (population < 90) {
      row.population = std::to_string(random.Below(5000)) + ".5";
    } else if (population < 95) {
      row.population = "-" + std::to_string(1 + random.Below(100));
    } else {
      row.population = "unknown";
    }

    const int code = random.Below(100);
    static constexpr std::string_view kBadCodes[] = {"S1", "ss12", "SS-12", "", "SSX12", "SS1"};
    if (code < 70) {
      row.site_code = std::string(1, static_cast<char>('A' + random.Below(26))) +
                      static_cast<char>('A' + random.Below(26)) +
                      std::to_string(10 + random.Below(100'000));
    } else {
      row.site_code = kBadCodes[random.Below(6)];
    }
  }
  for (Row& row : rows) {
    for (size_t slot = 0; slot < row.values.size(); ++slot) row.slots[slot] = row.values[slot];
  }
  return rows;
}

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = MakeRows();
  return rows;
}

// ---- Hand-written equivalents -----------------------------------------------------

// A decimal number as XPath reads one, for the values these rows hold: as an
// integer when it is one (much faster than from_chars<double> in libstdc++ 12),
// else as a double.
bool ParseNumber(std::string_view text, double& value) {
  const char* end = text.data() + text.size();
  int64_t integer = 0;
  auto [ptr, error] = std::from_chars(text.data(), end, integer);
  if (error == std::errc() && ptr == end) {
    value = static_cast<double>(integer);
    return true;
  }
  if (error != std::errc() || *ptr != '.') return false;
  auto [double_ptr, double_error] = std::from_chars(text.data(), end, value);
  return double_error == std::errc() && double_ptr == end;
}

bool RelevantHandWritten(const Row& row) { return row.slots[kSmcExists] == "yes"; }

bool RangeHandWritten(const Row& row) {
  double value = 0;
  return ParseNumber(row.population, value) && value >= 0 && value <= 100000;
}

bool SaddHandWritten(const Row& row) {
  double sum = 0;
  for (int slot = kM0to1; slot <= kF60plus; ++slot) {
    double value = 0;
    if (!ParseNumber(row.slots[slot], value)) return false;  // NaN poisons the sum
    sum += value;
  }
  double total = 0;
  return ParseNumber(row.slots[kTotal], total) && sum == total;
}

bool SaddCoalesceHandWritten(const Row& row) {
  double sum = 0;
  for (int slot = kM0to1; slot <= kF60plus; ++slot) {
    double value = 0;
    if (row.slots[slot].empty()) continue;
    if (!ParseNumber(row.slots[slot], value)) return false;
    sum += value;
  }
  double total = 0;
  return ParseNumber(row.slots[kTotal], total) && sum == total;
}

bool NoneExclusiveHandWritten(const Row& row) {
  std::string_view list = row.slots[kUnsafeAreas];
  bool none = false;
  int count = 0;
  size_t pos = 0;
  while (pos < list.size()) {
    if (list[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    none |= list.substr(pos, end - pos) == "none";
    ++count;
    pos = end;
  }
  return !(none && count > 1);
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool SiteCodeHandWritten(const Row& row) {
  std::string_view code = row.site_code;
  if (code.size() < 4 || !IsUpper(code[0]) || !IsUpper(code[1])) return false;
  for (size_t index = 2; index < code.size(); ++index) {
    if (!IsDigit(code[index])) return false;
  }
  return true;
}

// ---- Cases ------------------------------------------------------------------------------

enum class Current { kNone, kPopulation, kSiteCode };

struct Case {
  const char* name;
  const char* expression;
  Current current;
  bool (*hand_written)(const Row&);
};

const Case kCases[] = {
    {"relevant_yes", "${smc_exists} = 'yes'", Current::kNone, RelevantHandWritten},
    {"range_constraint", ". >= 0 and . <= 100000", Current::kPopulation, RangeHandWritten},
    {"sadd_sum_check",
     "${m_0_1} + ${m_1_5} + ${m_6_17} + ${m_18_59} + ${m_60plus} + ${f_0_1} + ${f_1_5} + "
     "${f_6_17} + ${f_18_59} + ${f_60plus} = ${total}",
     Current::kNone, SaddHandWritten},
    {"sadd_coalesce_check",
     "coalesce(${m_0_1}, 0) + coalesce(${m_1_5}, 0) + coalesce(${m_6_17}, 0) + "
     "coalesce(${m_18_59}, 0) + coalesce(${m_60plus}, 0) + coalesce(${f_0_1}, 0) + "
     "coalesce(${f_1_5}, 0) + coalesce(${f_6_17}, 0) + coalesce(${f_18_59}, 0) + "
     "coalesce(${f_60plus}, 0) = ${total}",
     Current::kNone, SaddCoalesceHandWritten},
    {"selected_none_exclusive",
     "not(selected(${unsafe_areas}, 'none') and count-selected(${unsafe_areas}) > 1)",
     Current::kNone, NoneExclusiveHandWritten},
    {"regex_site_code", "regex(., '^[A-Z]{2}[0-9]{2,}$')", Current::kSiteCode, SiteCodeHandWritten},
};

// The five of the mix, evaluated together per row.
constexpr int kMixCases[] = {0, 1, 2, 4, 5};

EvaluationContext ContextFor(const Row& row, Current current) {
  EvaluationContext context;
  context.slots = row.slots;
  context.current = current == Current::kPopulation ? std::string_view(row.population)
                    : current == Current::kSiteCode ? std::string_view(row.site_code)
                                                    : std::string_view();
  context.today_days = 19844;
  return context;
}

Expression MustCompile(const char* text) {
  Result<Expression> compiled = Expression::Compile(text, Resolve);
  if (!compiled.ok()) {
    std::fprintf(stderr, "cannot compile %s: %s\n", text, compiled.status().ToString().c_str());
    std::abort();
  }
  return std::move(compiled).value();
}

// Checks that compiled and hand-written agree on every row, and that the
// rows exercise both outcomes. Returns "" or what is wrong.
std::string Verify(const Case& test_case, const Expression& expression) {
  int true_count = 0;
  const std::vector<Row>& rows = Rows();
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const bool expected = test_case.hand_written(rows[row_idx]);
    if (expression.EvaluateBoolean(ContextFor(rows[row_idx], test_case.current)) != expected) {
      return std::string(test_case.name) + ": compiled and hand-written disagree on row " +
             std::to_string(row_idx);
    }
    true_count += expected;
  }
  if (true_count == 0 || true_count == static_cast<int>(rows.size())) {
    return std::string(test_case.name) + ": every row gives the same answer";
  }
  return "";
}

void Compiled(benchmark::State& state, const Case& test_case) {
  const Expression expression = MustCompile(test_case.expression);
  if (std::string problem = Verify(test_case, expression); !problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    int true_count = 0;
    for (const Row& row : rows) {
      true_count += expression.EvaluateBoolean(ContextFor(row, test_case.current));
    }
    benchmark::DoNotOptimize(true_count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
}

void HandWritten(benchmark::State& state, const Case& test_case) {
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    int true_count = 0;
    for (const Row& row : rows) true_count += test_case.hand_written(row);
    benchmark::DoNotOptimize(true_count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
}

// The regex case against PCRE2 called directly: what the expression machinery
// adds around the match itself.
void RegexDirect(benchmark::State& state) {
  Result<internal::Regex> regex = internal::Regex::Compile("^[A-Z]{2}[0-9]{2,}$");
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    int true_count = 0;
    for (const Row& row : rows) true_count += regex->Matches(row.site_code);
    benchmark::DoNotOptimize(true_count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
}

void MixCompiled(benchmark::State& state) {
  std::vector<Expression> expressions;
  for (int index : kMixCases) expressions.push_back(MustCompile(kCases[index].expression));
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    int true_count = 0;
    for (const Row& row : rows) {
      for (size_t index = 0; index < expressions.size(); ++index) {
        true_count +=
            expressions[index].EvaluateBoolean(ContextFor(row, kCases[kMixCases[index]].current));
      }
    }
    benchmark::DoNotOptimize(true_count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()) *
                          static_cast<int64_t>(std::size(kMixCases)));
}

void MixHandWritten(benchmark::State& state) {
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    int true_count = 0;
    for (const Row& row : rows) {
      for (int index : kMixCases) true_count += kCases[index].hand_written(row);
    }
    benchmark::DoNotOptimize(true_count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()) *
                          static_cast<int64_t>(std::size(kMixCases)));
}

// Compiles per second: the cases of the mix without (and with) the regex,
// whose PCRE2 JIT compilation dominates its cost.
void Compile(benchmark::State& state, bool with_regex) {
  std::vector<const char*> texts;
  for (int index : kMixCases) {
    if (with_regex || kCases[index].current != Current::kSiteCode)
      texts.push_back(kCases[index].expression);
  }
  for (auto _ : state) {
    for (const char* text : texts) {
      Result<Expression> compiled = Expression::Compile(text, Resolve);
      benchmark::DoNotOptimize(compiled);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(texts.size()));
}

void RegisterAll() {
  for (const Case& test_case : kCases) {
    const std::string name = test_case.name;
    benchmark::RegisterBenchmark((name + "/compiled").c_str(), Compiled, test_case);
    benchmark::RegisterBenchmark((name + "/hand_written").c_str(), HandWritten, test_case);
  }
  benchmark::RegisterBenchmark("regex_site_code/pcre2_direct", RegexDirect);
  benchmark::RegisterBenchmark("mix/compiled", MixCompiled);
  benchmark::RegisterBenchmark("mix/hand_written", MixHandWritten);
  benchmark::RegisterBenchmark("compile/without_regex", Compile, false);
  benchmark::RegisterBenchmark("compile/with_regex", Compile, true);
}

}  // namespace
}  // namespace opendtm::expr

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  opendtm::expr::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
