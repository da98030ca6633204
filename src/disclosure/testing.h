// Test helpers for disclosure: frames of the default dictionary built by
// hand, site by site, with values given as text by indicator name; and
// look-ups into a Release by column and row.
#ifndef OPENDTM_DISCLOSURE_TESTING_H_
#define OPENDTM_DISCLOSURE_TESTING_H_

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/frame.h"
#include "core/number.h"
#include "dictionary/testing.h"
#include "disclosure/release.h"

namespace opendtm::disclosure::testing {

inline const dictionary::Dictionary& Default() { return dictionary::testing::DefaultDictionary(); }

// A site's values by indicator name, as stored text ("12", "camp", "food nfi").
using Values = std::map<std::string, std::string>;

// The admin P-codes of a site: adm0 "NGA", then the given ones.
inline Values At(std::string adm1, std::string adm2 = "", std::string adm3 = "") {
  Values values{{"adm0_pcode", "NGA"}, {"adm1_pcode", std::move(adm1)}};
  if (!adm2.empty()) values["adm2_pcode"] = std::move(adm2);
  if (!adm3.empty()) values["adm3_pcode"] = std::move(adm3);
  return values;
}

inline Values With(Values values, const Values& more) {
  for (const auto& [name, value] : more) values[name] = value;
  return values;
}

// Builds one frame (round, assessment type) of `dictionary` site by site.
class FrameBuilder {
 public:
  explicit FrameBuilder(int round = 1,
                        store::AssessmentType type = store::AssessmentType::kSiteAssessment,
                        const dictionary::Dictionary& dictionary = Default())
      : dictionary_(dictionary), frame_(analysis::EmptyFrame(dictionary, round, type)) {}

  FrameBuilder& Site(std::string site_id, const Values& values) {
    analysis::AppendBlankRow(frame_, site_id);
    const size_t row = frame_.rows() - 1;
    Set(row, "site_id", site_id);
    for (const auto& [name, value] : values) Set(row, name, value);
    return *this;
  }

  const analysis::Frame& frame() const { return frame_; }

 private:
  void Set(size_t row, std::string_view name, const std::string& value) {
    const int indicator = dictionary_.IndexOf(name);
    if (indicator < 0) {
      ADD_FAILURE() << "no indicator " << name;
      return;
    }
    analysis::Column& column = frame_.columns[indicator];
    const dictionary::ChoiceList* list = dictionary_.ListOf(dictionary_.indicators()[indicator]);
    auto choice_index = [&](std::string_view choice) -> std::optional<uint16_t> {
      for (size_t choice_idx = 0; list != nullptr && choice_idx < list->choices.size();
           ++choice_idx) {
        if (list->choices[choice_idx].name == choice) return static_cast<uint16_t>(choice_idx);
      }
      ADD_FAILURE() << name << ": no choice " << choice;
      return std::nullopt;
    };
    switch (column.kind) {
      case analysis::ColumnKind::kInteger: {
        std::optional<int64_t> number = core::ParseInteger(value);
        if (!number) {
          ADD_FAILURE() << name << ": not an integer: " << value;
          return;
        }
        column.integers[row] = *number;
        break;
      }
      case analysis::ColumnKind::kNumber: {
        std::optional<double> number = core::ParseNumber(value);
        if (!number) {
          ADD_FAILURE() << name << ": not a number: " << value;
          return;
        }
        column.numbers[row] = *number;
        break;
      }
      case analysis::ColumnKind::kChoice: {
        std::optional<uint16_t> choice = choice_index(value);
        if (!choice) return;
        column.choices[row] = *choice;
        break;
      }
      case analysis::ColumnKind::kChoices: {
        uint64_t bits = 0;
        size_t start = 0;
        while (start <= value.size()) {
          size_t end = value.find(' ', start);
          if (end == std::string::npos) end = value.size();
          if (end > start) {
            std::optional<uint16_t> choice = choice_index(value.substr(start, end - start));
            if (!choice) return;
            bits |= uint64_t{1} << *choice;
          }
          start = end + 1;
        }
        column.bitsets[row] = bits;
        break;
      }
      case analysis::ColumnKind::kText:
        column.texts[row] = value;
        break;
    }
    column.present[row] = 1;
  }

  const dictionary::Dictionary& dictionary_;
  analysis::Frame frame_;
};

// The index of `name` in release.columns, -1 when absent.
inline int ColumnIndex(const Release& release, std::string_view name) {
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    if (release.columns[column_idx].name == name) return static_cast<int>(column_idx);
  }
  return -1;
}

// The row of `level` and `pcode` (first of them), nullptr when absent.
inline const ReleaseRow* FindRow(const Release& release, analysis::Level level,
                                 std::string_view pcode, int round = -1) {
  for (const ReleaseRow& row : release.rows) {
    if (row.level == level && row.pcode == pcode && (round < 0 || row.round == round)) return &row;
  }
  return nullptr;
}

// A cell by column name (fails the test when the column is absent).
inline const ReleaseCell& CellOf(const Release& release, const ReleaseRow& row,
                                 std::string_view column) {
  static const ReleaseCell kMissing;
  const int column_idx = ColumnIndex(release, column);
  if (column_idx < 0) {
    ADD_FAILURE() << "no column " << column;
    return kMissing;
  }
  return row.cells[column_idx];
}

// --- An exact checker, written apart from disclosure/internal/elimination.cc:
// dense Gauss-Jordan elimination over fractions of 128-bit integers, one
// connected component of unknowns at a time. An overflow fails the test.

__extension__ typedef __int128 Int128;

struct Fraction {
  Int128 numerator = 0;
  Int128 denominator = 1;  // > 0, coprime with the numerator

  bool zero() const { return numerator == 0; }
};

inline Int128 Gcd(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const Int128 rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

inline Fraction Normalised(Int128 numerator, Int128 denominator) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const Int128 divisor = Gcd(numerator, denominator);
  if (divisor > 1) {
    numerator /= divisor;
    denominator /= divisor;
  }
  if (numerator == 0) denominator = 1;
  return {numerator, denominator};
}

inline Int128 CheckedMultiply(Int128 a, Int128 b) {
  Int128 product = 0;
  if (__builtin_mul_overflow(a, b, &product)) ADD_FAILURE() << "exact checker: overflow";
  return product;
}

// a - b × c
inline Fraction MinusProduct(const Fraction& a, const Fraction& b, const Fraction& c) {
  if (b.zero() || c.zero()) return a;
  const Fraction product = Normalised(CheckedMultiply(b.numerator, c.numerator),
                                      CheckedMultiply(b.denominator, c.denominator));
  Int128 numerator = 0;
  if (__builtin_sub_overflow(CheckedMultiply(a.numerator, product.denominator),
                             CheckedMultiply(product.numerator, a.denominator), &numerator)) {
    ADD_FAILURE() << "exact checker: overflow";
  }
  return Normalised(numerator, CheckedMultiply(a.denominator, product.denominator));
}

inline Fraction Divide(const Fraction& a, const Fraction& b) {
  return Normalised(CheckedMultiply(a.numerator, b.denominator),
                    CheckedMultiply(a.denominator, b.numerator));
}

// One equation over unknowns: (unknown, coefficient) terms; knowns left out.
using ExactEquation = std::vector<std::pair<int, int64_t>>;

// By unknown: true when the equations determine its value (its unit vector is
// in their row space).
inline std::vector<bool> ExactlyDetermined(const std::vector<ExactEquation>& equations,
                                           int unknowns) {
  std::vector<bool> determined(unknowns, false);
  // 1. Components: unknowns linked through equations (breadth-first).
  std::vector<std::vector<int>> equations_of(unknowns);
  for (size_t equation_idx = 0; equation_idx < equations.size(); ++equation_idx) {
    for (const auto& [unknown, coefficient] : equations[equation_idx]) {
      if (coefficient != 0) equations_of[unknown].push_back(static_cast<int>(equation_idx));
    }
  }
  std::vector<int> component(unknowns, -1);
  for (int start = 0; start < unknowns; ++start) {
    if (component[start] >= 0) continue;
    std::vector<int> members{start};
    component[start] = start;
    std::vector<bool> equation_seen(equations.size(), false);
    std::vector<int> rows;
    for (size_t member_idx = 0; member_idx < members.size(); ++member_idx) {
      for (int equation_idx : equations_of[members[member_idx]]) {
        if (equation_seen[equation_idx]) continue;
        equation_seen[equation_idx] = true;
        rows.push_back(equation_idx);
        for (const auto& term : equations[equation_idx]) {
          if (term.second != 0 && component[term.first] < 0) {
            component[term.first] = start;
            members.push_back(term.first);
          }
        }
      }
    }
    // 2. Dense Gauss-Jordan on the component.
    std::vector<int> column_of(unknowns, -1);
    for (size_t member_idx = 0; member_idx < members.size(); ++member_idx) {
      column_of[members[member_idx]] = static_cast<int>(member_idx);
    }
    const size_t width = members.size();
    std::vector<std::vector<Fraction>> matrix(rows.size(), std::vector<Fraction>(width));
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      for (const auto& [unknown, coefficient] : equations[rows[row_idx]]) {
        Fraction& entry = matrix[row_idx][column_of[unknown]];
        entry = MinusProduct(entry, Fraction{-1, 1}, Fraction{coefficient, 1});
      }
    }
    std::vector<int> pivot_of_row;
    size_t next_row = 0;
    for (size_t column_idx = 0; column_idx < width && next_row < rows.size(); ++column_idx) {
      size_t pivot = next_row;
      while (pivot < rows.size() && matrix[pivot][column_idx].zero()) ++pivot;
      if (pivot == rows.size()) continue;
      std::swap(matrix[pivot], matrix[next_row]);
      const Fraction lead = matrix[next_row][column_idx];
      for (Fraction& entry : matrix[next_row]) entry = Divide(entry, lead);
      for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        if (row_idx == next_row || matrix[row_idx][column_idx].zero()) continue;
        const Fraction factor = matrix[row_idx][column_idx];
        for (size_t other = 0; other < width; ++other) {
          matrix[row_idx][other] =
              MinusProduct(matrix[row_idx][other], factor, matrix[next_row][other]);
        }
      }
      pivot_of_row.push_back(static_cast<int>(column_idx));
      ++next_row;
    }
    // 3. Determined: a reduced row with one non-zero entry.
    for (size_t row_idx = 0; row_idx < pivot_of_row.size(); ++row_idx) {
      int nonzero = 0;
      for (const Fraction& entry : matrix[row_idx]) nonzero += entry.zero() ? 0 : 1;
      if (nonzero == 1) determined[members[pivot_of_row[row_idx]]] = true;
    }
  }
  return determined;
}

}  // namespace opendtm::disclosure::testing

#endif  // OPENDTM_DISCLOSURE_TESTING_H_
