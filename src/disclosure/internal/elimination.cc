#include "disclosure/internal/elimination.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace opendtm::disclosure::internal {
namespace {

// --- GF(2^61 - 1) ------------------------------------------------------------

constexpr uint64_t kPrime = (uint64_t{1} << 61) - 1;
__extension__ typedef unsigned __int128 Wide;

uint64_t Reduce(Wide value) {
  // 2^61 ≡ 1 (mod p): fold the high bits onto the low ones.
  uint64_t folded = static_cast<uint64_t>(value & kPrime) + static_cast<uint64_t>(value >> 61);
  while (folded >= kPrime) folded -= kPrime;
  return folded;
}

uint64_t Add(uint64_t a, uint64_t b) {
  const uint64_t sum = a + b;
  return sum >= kPrime ? sum - kPrime : sum;
}

uint64_t Negate(uint64_t a) { return a == 0 ? 0 : kPrime - a; }

uint64_t Multiply(uint64_t a, uint64_t b) { return Reduce(static_cast<Wide>(a) * b); }

uint64_t Inverse(uint64_t a) {
  // Fermat: a^(p-2).
  uint64_t result = 1;
  uint64_t base = a;
  for (uint64_t exponent = kPrime - 2; exponent != 0; exponent >>= 1) {
    if (exponent & 1) result = Multiply(result, base);
    base = Multiply(base, base);
  }
  return result;
}

uint64_t FromInteger(int64_t value) {
  const uint64_t magnitude =
      value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  const uint64_t reduced = magnitude % kPrime;
  return value < 0 ? Negate(reduced) : reduced;
}

// splitmix64: a fixed-seed source of field elements for the null-space test.
class FieldRandom {
 public:
  uint64_t Next() {
    for (;;) {
      state_ += 0x9E3779B97F4A7C15ULL;
      uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      z ^= z >> 31;
      z &= kPrime;
      if (z != 0 && z != kPrime) return z;
    }
  }

 private:
  uint64_t state_ = 0x243F6A8885A308D3ULL;  // fixed: results do not vary between runs
};

// --- Sparse rows -------------------------------------------------------------

struct Entry {
  uint32_t variable;
  uint64_t value;  // never 0
};
using Row = std::vector<Entry>;  // sorted by variable

constexpr uint32_t kNone = ~uint32_t{0};

const Entry* Find(const Row& row, uint32_t variable) {
  auto it =
      std::lower_bound(row.begin(), row.end(), variable,
                       [](const Entry& entry, uint32_t wanted) { return entry.variable < wanted; });
  return it != row.end() && it->variable == variable ? &*it : nullptr;
}

// target - factor × source, dropping entries that cancel.
Row Subtract(const Row& target, uint64_t factor, const Row& source) {
  Row result;
  result.reserve(target.size() + source.size());
  size_t target_idx = 0;
  size_t source_idx = 0;
  while (target_idx < target.size() || source_idx < source.size()) {
    if (source_idx == source.size() ||
        (target_idx < target.size() && target[target_idx].variable < source[source_idx].variable)) {
      result.push_back(target[target_idx++]);
      continue;
    }
    const uint64_t scaled = Negate(Multiply(factor, source[source_idx].value));
    if (target_idx == target.size() || source[source_idx].variable < target[target_idx].variable) {
      result.push_back({source[source_idx].variable, scaled});
      ++source_idx;
      continue;
    }
    const uint64_t value = Add(target[target_idx].value, scaled);
    if (value != 0) result.push_back({target[target_idx].variable, value});
    ++target_idx;
    ++source_idx;
  }
  return result;
}

std::vector<Row> RowsOf(std::span<const Equation> equations, uint32_t unknowns, bool with_knowns) {
  std::vector<Row> rows;
  rows.reserve(equations.size());
  for (const Equation& equation : equations) {
    std::vector<std::pair<uint32_t, int64_t>> terms;
    for (const auto& term : equation.terms) {
      if (with_knowns || term.first < unknowns) terms.push_back(term);
    }
    std::sort(terms.begin(), terms.end());
    Row row;
    for (size_t term_idx = 0; term_idx < terms.size();) {
      const uint32_t variable = terms[term_idx].first;
      uint64_t value = 0;
      for (; term_idx < terms.size() && terms[term_idx].first == variable; ++term_idx) {
        value = Add(value, FromInteger(terms[term_idx].second));
      }
      if (value != 0) row.push_back({variable, value});
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

// Forward elimination on the unknowns. Afterwards the pivot row of the k-th
// eliminated unknown holds no unknown eliminated before it (only itself,
// unknowns eliminated after it, free unknowns and knowns).
class Echelon {
 public:
  Echelon(std::vector<Row> rows, uint32_t unknowns)
      : unknowns_(unknowns), rows_(std::move(rows)), pivot_row_(unknowns, kNone) {
    Eliminate();
  }

  uint32_t unknowns() const { return unknowns_; }
  const std::vector<Row>& rows() const { return rows_; }
  // Unknowns in the order they were eliminated.
  const std::vector<uint32_t>& order() const { return order_; }
  // By unknown: its pivot row, kNone when free.
  const std::vector<uint32_t>& pivot_row() const { return pivot_row_; }

 private:
  void Eliminate() {
    // 1. Each unknown's rows and active count; a min-heap on (count, unknown)
    // with lazy deletion.
    std::vector<std::vector<uint32_t>> rows_with(unknowns_);
    std::vector<uint32_t> count(unknowns_, 0);
    for (uint32_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
      for (const Entry& entry : rows_[row_idx]) {
        if (entry.variable >= unknowns_) continue;
        rows_with[entry.variable].push_back(row_idx);
        ++count[entry.variable];
      }
    }
    using Key = std::pair<uint32_t, uint32_t>;
    std::priority_queue<Key, std::vector<Key>, std::greater<>> heap;
    for (uint32_t unknown = 0; unknown < unknowns_; ++unknown) {
      if (count[unknown] > 0) heap.push({count[unknown], unknown});
    }
    std::vector<uint8_t> active(rows_.size(), 1);
    std::vector<uint32_t> candidates;
    std::vector<uint32_t> touched;
    // 2. Repeatedly: the unknown in the fewest active rows; its shortest row
    // becomes its pivot row and is subtracted from the others.
    while (!heap.empty()) {
      const auto [heap_count, unknown] = heap.top();
      heap.pop();
      if (pivot_row_[unknown] != kNone || heap_count != count[unknown] || heap_count == 0) continue;
      candidates.clear();
      for (uint32_t row_idx : rows_with[unknown]) {
        if (active[row_idx] && Find(rows_[row_idx], unknown) != nullptr) {
          candidates.push_back(row_idx);
        }
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      rows_with[unknown].clear();
      if (candidates.empty()) continue;
      uint32_t pivot = candidates[0];
      for (uint32_t row_idx : candidates) {
        if (rows_[row_idx].size() < rows_[pivot].size()) pivot = row_idx;
      }
      active[pivot] = 0;
      pivot_row_[unknown] = pivot;
      order_.push_back(unknown);
      for (const Entry& entry : rows_[pivot]) {
        if (entry.variable < unknowns_ && pivot_row_[entry.variable] == kNone) {
          --count[entry.variable];
          heap.push({count[entry.variable], entry.variable});
        }
      }
      const Row& pivot_entries = rows_[pivot];
      const uint64_t pivot_inverse = Inverse(Find(pivot_entries, unknown)->value);
      for (uint32_t row_idx : candidates) {
        if (row_idx == pivot) continue;
        Row& row = rows_[row_idx];
        const uint64_t factor = Multiply(Find(row, unknown)->value, pivot_inverse);
        touched.clear();
        for (const Entry& entry : row) {
          if (entry.variable >= unknowns_) continue;
          --count[entry.variable];
          touched.push_back(entry.variable);
        }
        row = Subtract(row, factor, pivot_entries);
        for (const Entry& entry : row) {
          if (entry.variable >= unknowns_) continue;
          ++count[entry.variable];
          touched.push_back(entry.variable);
          if (pivot_row_[entry.variable] == kNone) rows_with[entry.variable].push_back(row_idx);
        }
        // Every unknown whose count moved gets a fresh heap entry.
        for (uint32_t variable : touched) {
          if (pivot_row_[variable] == kNone) heap.push({count[variable], variable});
        }
      }
    }
  }

  uint32_t unknowns_;
  std::vector<Row> rows_;
  std::vector<uint32_t> order_;
  std::vector<uint32_t> pivot_row_;
};

}  // namespace

std::vector<uint32_t> DeterminedUnknowns(std::span<const Equation> equations, uint32_t unknowns) {
  const Echelon echelon(RowsOf(equations, unknowns, /*with_knowns=*/false), unknowns);
  // A random null vector: free unknowns random, pivots solved from the last
  // eliminated back to the first (a pivot row only holds later pivots).
  std::vector<uint64_t> value(unknowns, 0);
  FieldRandom random;
  for (uint32_t unknown = 0; unknown < unknowns; ++unknown) {
    if (echelon.pivot_row()[unknown] == kNone) value[unknown] = random.Next();
  }
  for (auto it = echelon.order().rbegin(); it != echelon.order().rend(); ++it) {
    const uint32_t unknown = *it;
    const Row& row = echelon.rows()[echelon.pivot_row()[unknown]];
    uint64_t others = 0;
    uint64_t own = 0;
    for (const Entry& entry : row) {
      if (entry.variable == unknown) {
        own = entry.value;
      } else {
        others = Add(others, Multiply(entry.value, value[entry.variable]));
      }
    }
    value[unknown] = Multiply(Negate(others), Inverse(own));
  }
  std::vector<uint32_t> determined;
  for (uint32_t unknown : echelon.order()) {
    if (value[unknown] == 0) determined.push_back(unknown);
  }
  std::sort(determined.begin(), determined.end());
  return determined;
}

std::vector<std::optional<std::vector<uint32_t>>> DerivationKnowns(
    std::span<const Equation> equations, uint32_t unknowns, std::span<const uint32_t> targets) {
  const Echelon echelon(RowsOf(equations, unknowns, /*with_knowns=*/true), unknowns);
  const std::vector<uint32_t>& pivot_row = echelon.pivot_row();
  // 1. The pivots the targets' rows reach: only their reduced rows are needed.
  std::vector<uint8_t> needed(unknowns, 0);
  std::vector<uint32_t> stack;
  for (uint32_t target : targets) {
    if (target < unknowns && pivot_row[target] != kNone && !needed[target]) {
      needed[target] = 1;
      stack.push_back(target);
    }
  }
  while (!stack.empty()) {
    const uint32_t unknown = stack.back();
    stack.pop_back();
    for (const Entry& entry : echelon.rows()[pivot_row[unknown]]) {
      if (entry.variable < unknowns && pivot_row[entry.variable] != kNone &&
          !needed[entry.variable]) {
        needed[entry.variable] = 1;
        stack.push_back(entry.variable);
      }
    }
  }
  // 2. Back substitution, last pivot first: a reduced row holds its pivot,
  // free unknowns and knowns only.
  std::vector<Row> reduced(unknowns);
  for (auto it = echelon.order().rbegin(); it != echelon.order().rend(); ++it) {
    const uint32_t unknown = *it;
    if (!needed[unknown]) continue;
    Row row = echelon.rows()[pivot_row[unknown]];
    std::vector<uint32_t> later;
    for (const Entry& entry : row) {
      if (entry.variable < unknowns && entry.variable != unknown &&
          pivot_row[entry.variable] != kNone) {
        later.push_back(entry.variable);
      }
    }
    for (uint32_t pivot : later) {
      const Row& source = reduced[pivot];
      const Entry* in_row = Find(row, pivot);
      if (in_row == nullptr) continue;
      const uint64_t factor = Multiply(in_row->value, Inverse(Find(source, pivot)->value));
      row = Subtract(row, factor, source);
    }
    reduced[unknown] = std::move(row);
  }
  // 3. A target is determined when its reduced row holds no other unknown.
  std::vector<std::optional<std::vector<uint32_t>>> result;
  result.reserve(targets.size());
  for (uint32_t target : targets) {
    if (target >= unknowns || pivot_row[target] == kNone) {
      result.emplace_back();
      continue;
    }
    std::vector<uint32_t> knowns;
    bool alone = true;
    for (const Entry& entry : reduced[target]) {
      if (entry.variable >= unknowns) {
        knowns.push_back(entry.variable);
      } else if (entry.variable != target) {
        alone = false;
      }
    }
    if (alone) {
      result.emplace_back(std::move(knowns));
    } else {
      result.emplace_back();
    }
  }
  return result;
}

}  // namespace opendtm::disclosure::internal
