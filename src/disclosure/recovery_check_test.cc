// Property test: whatever the operation, every protected cell of a release
// (primary, homogeneity, gate) keeps its protection interval against the
// tier that receives it, and public never publishes what partner suppressed.
//
// Random operations (1-3 admin1 × 1-4 admin2 × 1-4 admin3 × 0-6 sites, SADD
// counts with many small ones and zeros and consistent totals, some sites
// missing values) go through BuildRelease for partner and public at every
// level they may see. An independent checker then reads the Release alone —
// rows, parents, published values, suppressed flags — rebuilds the linear
// relations the tier can infer (each area = the rows whose parent it is, per
// column; the SADD margins by column names; site rows generalised by the
// microdata gate belong to an unknown area below the one they show), and
// decides with exact fractions (testing.h, not the production elimination)
// that no protected cell is determined unless the exempt cells alone
// determine it. With the generator's truth it also checks every published
// value, that every small cell is small, that public totals and group facts
// are published and homogeneous distributions are not. The interval rule
// itself is checked by the module's LP audit (ProtectionAudit) here and by
// scipy's linprog in tests/.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "disclosure/release_builder.h"
#include "disclosure/testing.h"

namespace opendtm::disclosure {
namespace {

using analysis::Level;
using testing::ExactEquation;

// --- The generator ------------------------------------------------------------------

constexpr const char* kAgeCells[] = {"m_0_1", "m_1_5", "m_6_17", "m_18_59", "m_60plus",
                                     "f_0_1", "f_1_5", "f_6_17", "f_18_59", "f_60plus"};
constexpr const char* kCounts[] = {"pregnant", "disability", "hh_child_headed", "uasc"};
constexpr const char* kSelects[] = {"lighting", "women_feel_safe"};

struct GeneratedSite {
  std::string id;
  std::string adm1, adm2, adm3;
  std::map<std::string, std::string> values;  // by indicator; absent: missing
};

struct GeneratedOperation {
  std::vector<std::vector<GeneratedSite>> rounds;  // one frame each
};

int64_t SmallCount(std::mt19937_64& random) {
  switch (random() % 5) {
    case 0:
      return 0;
    case 1:
    case 2:
      return static_cast<int64_t>(random() % 7);
    case 3:
      return static_cast<int64_t>(random() % 15);
    default:
      return static_cast<int64_t>(random() % 60);
  }
}

GeneratedOperation Generate(uint64_t seed) {
  std::mt19937_64 random(seed);
  GeneratedOperation operation;
  const int rounds = 1 + static_cast<int>(random() % 2);
  const int admin1 = 1 + static_cast<int>(random() % 3);
  std::vector<int> admin2(admin1);
  std::vector<std::vector<int>> admin3(admin1);
  for (int a1 = 0; a1 < admin1; ++a1) {
    admin2[a1] = 1 + static_cast<int>(random() % 4);
    for (int a2 = 0; a2 < admin2[a1]; ++a2) {
      admin3[a1].push_back(1 + static_cast<int>(random() % 4));
    }
  }
  for (int round = 0; round < rounds; ++round) {
    std::vector<GeneratedSite>& sites = operation.rounds.emplace_back();
    int next_site = 0;
    for (int a1 = 0; a1 < admin1; ++a1) {
      for (int a2 = 0; a2 < admin2[a1]; ++a2) {
        for (int a3 = 0; a3 < admin3[a1][a2]; ++a3) {
          const int site_count = static_cast<int>(random() % 7);
          for (int site_idx = 0; site_idx < site_count; ++site_idx) {
            GeneratedSite& site = sites.emplace_back();
            site.id = "S" + std::to_string(1000 + next_site++);
            site.adm1 = "A" + std::to_string(a1);
            site.adm2 = site.adm1 + "B" + std::to_string(a2);
            site.adm3 = site.adm2 + "C" + std::to_string(a3);
            if (random() % 7 != 0) {  // else the whole SADD block is missing
              int64_t male = 0;
              int64_t female = 0;
              for (size_t cell_idx = 0; cell_idx < 10; ++cell_idx) {
                const int64_t count = SmallCount(random);
                (cell_idx < 5 ? male : female) += count;
                site.values[kAgeCells[cell_idx]] = std::to_string(count);
              }
              site.values["m_total"] = std::to_string(male);
              site.values["f_total"] = std::to_string(female);
              site.values["ind_total"] = std::to_string(male + female);
            }
            for (const char* count : kCounts) {
              if (random() % 5 != 0) site.values[count] = std::to_string(SmallCount(random) / 2);
            }
            if (random() % 5 != 0) {
              const char* lighting[] = {"adequate", "inadequate", "none", "unknown"};
              site.values["lighting"] = lighting[random() % 4];
            }
            if (random() % 5 != 0) site.values["women_feel_safe"] = random() % 3 ? "yes" : "no";
          }
        }
      }
    }
  }
  return operation;
}

std::vector<analysis::Frame> FramesOf(const GeneratedOperation& operation) {
  std::vector<analysis::Frame> frames;
  for (size_t round = 0; round < operation.rounds.size(); ++round) {
    testing::FrameBuilder builder(static_cast<int>(round) + 1);
    for (const GeneratedSite& site : operation.rounds[round]) {
      builder.Site(site.id,
                   testing::With(testing::At(site.adm1, site.adm2, site.adm3), site.values));
    }
    frames.push_back(builder.frame());
  }
  return frames;
}

// The generator's truth for one column of one row: the value and the sites
// that gave one.
struct Truth {
  int64_t value = 0;
  int64_t reporting = 0;
};

// The truth of every row (level and P-code) by column.
using Truths = std::map<std::pair<Level, std::string>, std::vector<Truth>>;

Truths TruthsOf(const std::vector<GeneratedSite>& sites, const Release& release) {
  std::map<std::string, std::vector<size_t>> columns_of;  // numeric columns by indicator
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    if (release.columns[column_idx].kind != ValueKind::kText) {
      columns_of[release.columns[column_idx].indicator].push_back(column_idx);
    }
  }
  Truths truths;
  for (const GeneratedSite& site : sites) {
    const std::pair<Level, std::string> keys[] = {{Level::kSite, site.id},
                                                  {Level::kAdmin3, site.adm3},
                                                  {Level::kAdmin2, site.adm2},
                                                  {Level::kAdmin1, site.adm1},
                                                  {Level::kCountry, "NGA"}};
    for (const auto& key : keys) {
      std::vector<Truth>& row = truths[key];
      row.resize(release.columns.size());
      for (const auto& [indicator, value] : site.values) {
        for (size_t column_idx : columns_of[indicator]) {
          const std::string& choice = release.columns[column_idx].choice;
          ++row[column_idx].reporting;
          row[column_idx].value += choice.empty() ? std::stoll(value) : (value == choice ? 1 : 0);
        }
      }
    }
  }
  return truths;
}

// --- The checker: what a tier can infer from a release ------------------------------

// The linear relations a tier can write down from one table (round) of a
// release, over its unknowns: the suppressed cells.
class TierView {
 public:
  // `true_admin3`: site ID → admin3, to relate sites to their true area
  // rather than to what the release shows (for the necessity check); null:
  // what the tier sees.
  // `unknown` (row, column): the cells the reader does not know; by default
  // the suppressed ones.
  TierView(const Release& release, const std::vector<const ReleaseRow*>& rows,
           const std::map<std::string, std::string>* true_admin3,
           const std::function<bool(size_t, size_t)>& unknown = nullptr)
      : release_(release), rows_(rows) {
    unknown_of_.resize(rows.size());
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      unknown_of_[row_idx].assign(release.columns.size(), -1);
      for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
        if (unknown ? unknown(row_idx, column_idx)
                    : rows[row_idx]->cells[column_idx].state == CellState::kSuppressed) {
          unknown_of_[row_idx][column_idx] = static_cast<int>(cells_.size());
          cells_.push_back({row_idx, column_idx});
        }
      }
    }
    std::map<Level, std::map<std::string, size_t>> by_pcode;
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      if (rows[row_idx]->level != Level::kSite) {
        by_pcode[rows[row_idx]->level][rows[row_idx]->pcode] = row_idx;
      }
    }
    std::vector<bool> suppressed_in(release.columns.size(), false);
    for (const auto& [row_idx, column_idx] : cells_) suppressed_in[column_idx] = true;
    for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
      const ReleaseColumn& column = release.columns[column_idx];
      // A column without a suppressed cell relates no unknowns (margins aside).
      if (column.kind == ValueKind::kText || !column.on_areas || !suppressed_in[column_idx]) {
        continue;
      }
      AreaRelations(column_idx, by_pcode);
      SiteRelations(column_idx, by_pcode, true_admin3);
    }
    Margins();
  }

  const std::vector<ExactEquation>& equations() const { return equations_; }
  int unknowns() const { return static_cast<int>(cells_.size()); }
  std::pair<size_t, size_t> cell(int unknown) const { return cells_[unknown]; }

 private:
  void Add(ExactEquation& equation, size_t row_idx, size_t column_idx, int64_t coefficient) const {
    const int unknown = unknown_of_[row_idx][column_idx];
    if (unknown >= 0) equation.emplace_back(unknown, coefficient);
  }

  void Keep(ExactEquation equation) {
    if (!equation.empty()) equations_.push_back(std::move(equation));
  }

  // Each area = the areas at the next finer area level whose parent it is.
  void AreaRelations(size_t column_idx, std::map<Level, std::map<std::string, size_t>>& by_pcode) {
    std::vector<Level> areas;
    for (Level level : release_.levels) {
      if (level != Level::kSite) areas.push_back(level);
    }
    for (size_t level_idx = 1; level_idx < areas.size(); ++level_idx) {
      std::map<std::string, ExactEquation> sums;
      for (const auto& [pcode, row_idx] : by_pcode[areas[level_idx]]) {
        Add(sums[pcode], row_idx, column_idx, 1);
      }
      std::set<std::string> with_children;
      for (const auto& [pcode, row_idx] : by_pcode[areas[level_idx - 1]]) {
        const std::string& parent = rows_[row_idx]->parent;
        if (!by_pcode[areas[level_idx]].count(parent)) continue;
        Add(sums[parent], row_idx, column_idx, -1);
        with_children.insert(parent);
      }
      // An area none of whose finer rows is published (an admin2 whose
      // admin3 rows the gate withholds) adds up its sites instead
      // (SiteRelations), not nothing.
      for (auto& [pcode, equation] : sums) {
        if (with_children.count(pcode)) Keep(std::move(equation));
      }
    }
  }

  // What site rows say of admin3 areas, for a column the tier has per site
  // (a summed column on site rows, or the count of an answer it sees per
  // site). A site shown under its admin3 adds to it. A site the microdata
  // gate shows under its admin2 belongs to an unknown admin3 of it: then only
  // the admin2's admin3s together are known to add up to the sites shown in
  // them and under it. A site shown under nothing belongs to an unknown
  // admin3 anywhere: then only all admin3s together add up to all sites.
  // (Each admin3 holding an unknown share w of such sites, Σ w over an admin2
  // equal to its such sites, gives exactly these sums once the w are
  // substituted.)
  void SiteRelations(size_t column_idx, std::map<Level, std::map<std::string, size_t>>& by_pcode,
                     const std::map<std::string, std::string>* true_admin3) {
    const ReleaseColumn& column = release_.columns[column_idx];
    bool per_site = column.choice.empty() && column.on_sites;
    if (!column.choice.empty()) {
      const int answers = testing::ColumnIndex(release_, column.indicator);
      per_site = answers >= 0 && release_.columns[answers].on_sites;
    }
    const std::map<std::string, size_t>& admin3 = by_pcode[Level::kAdmin3];
    const std::map<std::string, size_t>& admin2 = by_pcode[Level::kAdmin2];
    if (!per_site || admin3.empty()) return;
    // A site's value is its cell (an answer count's is a known 0 or 1).
    auto add_site = [&](ExactEquation& equation, size_t row_idx) {
      if (column.choice.empty()) Add(equation, row_idx, column_idx, -1);
    };
    std::map<std::string, std::vector<size_t>> in_admin3;
    std::map<std::string, std::vector<size_t>> in_admin2;
    std::vector<size_t> unplaced;
    for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
      const ReleaseRow& row = *rows_[row_idx];
      if (row.level != Level::kSite) continue;
      const std::string& parent = true_admin3 != nullptr ? true_admin3->at(row.pcode) : row.parent;
      if (admin3.count(parent)) {
        in_admin3[parent].push_back(row_idx);
        continue;
      }
      // Shown under its admin2, or under an admin3 whose row is withheld:
      // it belongs to its admin2 (the last P-code of its path that names a
      // published admin2).
      auto in = std::find_if(row.area_path.rbegin(), row.area_path.rend(),
                             [&](const std::string& pcode) { return admin2.count(pcode) > 0; });
      if (in != row.area_path.rend()) {
        in_admin2[*in].push_back(row_idx);
      } else {
        unplaced.push_back(row_idx);
      }
    }
    if (!unplaced.empty()) {
      ExactEquation all;
      for (const auto& [pcode, row_idx] : admin3) Add(all, row_idx, column_idx, 1);
      for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
        if (rows_[row_idx]->level == Level::kSite) add_site(all, row_idx);
      }
      Keep(std::move(all));
      return;
    }
    std::map<std::string, ExactEquation> admin2_sums;
    for (const auto& [pcode, row_idx] : admin3) {
      const std::string& in = rows_[row_idx]->parent;
      ExactEquation own;
      ExactEquation& equation = in_admin2.count(in) ? admin2_sums[in] : own;
      Add(equation, row_idx, column_idx, 1);
      for (size_t site : in_admin3[pcode]) add_site(equation, site);
      Keep(std::move(own));
    }
    for (auto& [pcode, equation] : admin2_sums) {
      for (size_t site : in_admin2[pcode]) add_site(equation, site);
      Keep(std::move(equation));
    }
    // An admin2 with no published admin3 row: it adds up its sites.
    for (const auto& [pcode, sites] : in_admin2) {
      if (admin2_sums.count(pcode)) continue;
      ExactEquation equation;
      Add(equation, admin2.at(pcode), column_idx, 1);
      for (size_t site : sites) add_site(equation, site);
      Keep(std::move(equation));
    }
  }

  // ind_total = m_total + f_total, and each sex total = its age cells, on
  // every row where none of them is blank.
  void Margins() {
    const std::vector<std::pair<std::string, std::vector<std::string>>> margins = {
        {"ind_total", {"m_total", "f_total"}},
        {"m_total", {"m_0_1", "m_1_5", "m_6_17", "m_18_59", "m_60plus"}},
        {"f_total", {"f_0_1", "f_1_5", "f_6_17", "f_18_59", "f_60plus"}}};
    std::vector<std::vector<int>> columns_of;  // by margin: total, then parts
    for (const auto& [total, parts] : margins) {
      std::vector<int>& columns = columns_of.emplace_back();
      columns.push_back(testing::ColumnIndex(release_, total));
      for (const std::string& part : parts) columns.push_back(testing::ColumnIndex(release_, part));
    }
    for (size_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
      const ReleaseRow& row = *rows_[row_idx];
      for (const std::vector<int>& columns : columns_of) {
        bool usable = true;
        for (int column : columns) {
          usable = usable && column >= 0 && ColumnApplies(release_.columns[column], row.level) &&
                   row.cells[column].state != CellState::kBlank;
        }
        if (!usable) continue;
        ExactEquation equation;
        Add(equation, row_idx, columns[0], 1);
        for (size_t part_idx = 1; part_idx < columns.size(); ++part_idx) {
          Add(equation, row_idx, columns[part_idx], -1);
        }
        Keep(std::move(equation));
      }
    }
  }

  const Release& release_;
  const std::vector<const ReleaseRow*>& rows_;
  std::vector<std::vector<int>> unknown_of_;  // by row, by column; -1: not suppressed
  std::vector<std::pair<size_t, size_t>> cells_;
  std::vector<ExactEquation> equations_;
};

// The spec's rules, from the truth, for one cell of a release.
struct CellRules {
  bool exempt = false;  // a public total at admin2+, or a group fact
  bool group_fact = false;
  bool small = false;     // k_sites or k_people (0 included)
  bool per_site = false;  // the tier has the column per site
};

bool PublicClass(std::string_view indicator) {
  const dictionary::Dictionary& dictionary = testing::Default();
  const int index = dictionary.IndexOf(indicator);
  return index >= 0 && dictionary.indicators()[index].dissemination_class ==
                           dictionary::DisseminationClass::kPublic;
}

CellRules RulesOf(const Release& release, const ReleaseRow& row, size_t column_idx,
                  const Truth& truth, const std::vector<bool>& per_site) {
  const ReleaseColumn& column = release.columns[column_idx];
  const TierRules& rules = release.rules;
  CellRules cell;
  cell.per_site = per_site[column_idx];
  const bool admin2_up =
      row.level == Level::kAdmin2 || row.level == Level::kAdmin1 || row.level == Level::kCountry;
  const bool total = column.indicator == "hh_total" || column.indicator == "ind_total" ||
                     column.indicator == "m_total" || column.indicator == "f_total";
  const bool answer = !column.choice.empty();
  cell.group_fact = answer && row.level != Level::kSite && row.sites >= rules.n_group &&
                    truth.reporting > 0 && (truth.value == 0 || truth.value == truth.reporting);
  cell.exempt =
      (admin2_up && PublicClass(column.indicator) && (total || answer)) || cell.group_fact;
  cell.small = (column.people && truth.value < rules.k_people) ||
               (row.level != Level::kSite && !cell.per_site && truth.reporting < rules.k_sites);
  return cell;
}

// Checks one release of one generated operation; returns the number of
// suppressed cells it checked.
int64_t CheckRelease(const Release& release, const GeneratedOperation& operation, uint64_t seed) {
  int64_t checked = 0;
  std::vector<bool> per_site(release.columns.size());  // the tier has the column per site
  for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
    const ReleaseColumn& column = release.columns[column_idx];
    per_site[column_idx] = column.on_sites;
    if (!column.choice.empty()) {
      const int answers = testing::ColumnIndex(release, column.indicator);
      per_site[column_idx] = answers >= 0 && release.columns[answers].on_sites;
    }
  }
  for (size_t round = 0; round < operation.rounds.size(); ++round) {
    const std::vector<GeneratedSite>& sites = operation.rounds[round];
    std::vector<const ReleaseRow*> rows;
    for (const ReleaseRow& row : release.rows) {
      if (row.round == static_cast<int>(round) + 1) rows.push_back(&row);
    }
    Truths truths = TruthsOf(sites, release);
    std::vector<std::vector<CellRules>> cell_rules(rows.size());

    // 1. Published values are the truth; small cells are small; exempt
    // cells and group facts are published; homogeneous distributions are
    // not.
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      const ReleaseRow* row = rows[row_idx];
      std::vector<Truth>& row_truths = truths[{row->level, row->pcode}];
      row_truths.resize(release.columns.size());
      cell_rules[row_idx].resize(release.columns.size());
      for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
        const ReleaseColumn& column = release.columns[column_idx];
        const ReleaseCell& cell = row->cells[column_idx];
        if (!ColumnApplies(column, row->level) || column.kind == ValueKind::kText) {
          EXPECT_NE(cell.state, CellState::kSuppressed);
          continue;
        }
        const Truth truth = row_truths[column_idx];
        const CellRules rules = RulesOf(release, *row, column_idx, truth, per_site);
        cell_rules[row_idx][column_idx] = rules;
        const std::string where = "seed " + std::to_string(seed) + " " +
                                  std::string(store::TierName(release.tier)) + " " +
                                  std::string(analysis::LevelName(row->level)) + " " + row->pcode +
                                  " " + column.name;
        if (cell.state == CellState::kBlank) {
          EXPECT_EQ(truth.reporting, 0) << where;
          continue;
        }
        if (rules.exempt) {
          EXPECT_EQ(cell.state, CellState::kValue) << where << " is exempt";
        }
        if (cell.state == CellState::kValue) {
          EXPECT_EQ(cell.integer, truth.value) << where;
          EXPECT_TRUE(rules.exempt || !rules.small) << where << " is a small cell, published";
          continue;
        }
        EXPECT_EQ(cell.integer, 0) << where;
        EXPECT_GT(truth.reporting, 0) << where;
        EXPECT_NE(cell.reason, SuppressionReason::kNone) << where;
        if (cell.reason == SuppressionReason::kSmallCell) {
          EXPECT_TRUE(rules.small) << where << " is not a small cell";
        }
      }
      // Homogeneity: women_feel_safe (sensitive) in an area of fewer than
      // n_group sites whose answered sites all gave one answer.
      if (row->level == Level::kSite || row->sites >= release.rules.n_group) continue;
      int answers_given = 0;
      std::vector<size_t> answer_columns;
      for (size_t column_idx = 0; column_idx < release.columns.size(); ++column_idx) {
        if (release.columns[column_idx].indicator != "women_feel_safe" ||
            release.columns[column_idx].choice.empty()) {
          continue;
        }
        answer_columns.push_back(column_idx);
        answers_given += row_truths[column_idx].value > 0 ? 1 : 0;
      }
      if (answers_given != 1) continue;
      for (size_t column_idx : answer_columns) {
        EXPECT_EQ(row->cells[column_idx].state, CellState::kSuppressed)
            << "seed " << seed << " " << row->pcode << " " << release.columns[column_idx].name
            << ": a homogeneous distribution is published";
      }
    }

    // 2. No suppressed cell is determined by what the tier sees, unless it
    // is determined a priori: by the exempt cells alone, every other cell
    // the tier could have suppressed hidden (exact fractions, testing.h).
    const TierView view(release, rows, nullptr);
    const std::vector<bool> determined =
        testing::ExactlyDetermined(view.equations(), view.unknowns());
    const TierView apriori(release, rows, nullptr, [&](size_t row_idx, size_t column_idx) {
      const ReleaseColumn& column = release.columns[column_idx];
      const ReleaseCell& cell = rows[row_idx]->cells[column_idx];
      if (!ColumnApplies(column, rows[row_idx]->level) || column.kind == ValueKind::kText ||
          cell.state == CellState::kBlank) {
        return false;
      }
      const CellRules& rules = cell_rules[row_idx][column_idx];
      const bool figure = column.choice.empty() || !rules.per_site;
      return figure && !rules.exempt;
    });
    const std::vector<bool> determined_apriori =
        testing::ExactlyDetermined(apriori.equations(), apriori.unknowns());
    std::map<std::pair<size_t, size_t>, bool> apriori_of;
    for (int unknown = 0; unknown < apriori.unknowns(); ++unknown) {
      apriori_of[apriori.cell(unknown)] = determined_apriori[unknown];
    }
    for (int unknown = 0; unknown < view.unknowns(); ++unknown) {
      const auto [row_idx, column_idx] = view.cell(unknown);
      // Complements carry no interval: only protected cells are checked.
      if (determined[unknown] && Protected(rows[row_idx]->cells[column_idx].reason)) {
        const bool known_apriori = apriori_of[{row_idx, column_idx}];
        EXPECT_TRUE(known_apriori)
            << "seed " << seed << " " << store::TierName(release.tier) << ": "
            << analysis::LevelName(rows[row_idx]->level) << " " << rows[row_idx]->pcode << " "
            << release.columns[column_idx].name << " can be recovered ("
            << ReasonName(rows[row_idx]->cells[column_idx].reason) << ")";
      }
      ++checked;
    }
  }
  return checked;
}

// Every cell suppressed for partner is suppressed (or blank) for public.
void CheckPartnerInPublic(const Release& partner, const Release& open, uint64_t seed) {
  std::map<std::tuple<int, Level, std::string, std::string>, CellState> partner_cells;
  for (const ReleaseRow& row : partner.rows) {
    for (size_t column_idx = 0; column_idx < partner.columns.size(); ++column_idx) {
      partner_cells[{row.round, row.level, row.pcode, partner.columns[column_idx].name}] =
          row.cells[column_idx].state;
    }
  }
  for (const ReleaseRow& row : open.rows) {
    for (size_t column_idx = 0; column_idx < open.columns.size(); ++column_idx) {
      auto found =
          partner_cells.find({row.round, row.level, row.pcode, open.columns[column_idx].name});
      if (found == partner_cells.end() || found->second != CellState::kSuppressed) continue;
      EXPECT_NE(row.cells[column_idx].state, CellState::kValue)
          << "seed " << seed << ": " << analysis::LevelName(row.level) << " " << row.pcode << " "
          << open.columns[column_idx].name << " is suppressed for partner, published to public";
    }
  }
}

// Each case builds partner and public (public on partner's suppression) and
// audits both by LP: 30 cases stay under 10 s; sanitizer builds look for
// memory errors, at about 15 times the cost: 8 cases there.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kCases = 8;
#else
constexpr uint64_t kCases = 30;
#endif

TEST(RecoveryCheckTest, ProtectionIntervalsHoldForPartnerAndPublicReaders) {
  const dictionary::Dictionary& dictionary = testing::Default();
  int64_t checked = 0;
  int64_t complementary = 0;
  int64_t homogeneous = 0;
  int64_t protected_cells = 0;
  for (uint64_t seed = 1; seed <= kCases; ++seed) {
    const GeneratedOperation operation = Generate(seed);
    const std::vector<analysis::Frame> frames = FramesOf(operation);
    std::map<Tier, Release> releases;
    for (Tier tier : {Tier::kPartner, Tier::kPublic}) {
      ReleaseRequest request;
      request.tier = tier;
      request.policy = DefaultPolicy();
      request.operation = "random";
      request.country = "NGA";
      ProtectionAuditReport audit;
      request.audit = &audit;
      for (Level level :
           {Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kAdmin1, Level::kCountry}) {
        if (LevelVisible(request.policy.For(tier), level)) request.levels.push_back(level);
      }
      Result<Release> release = BuildRelease(frames, dictionary, request);
      ASSERT_TRUE(release.ok()) << "seed " << seed << ": " << release.status().ToString();
      // The interval rule, by this module's LP audit (the tests of
      // tests/ check it again with scipy).
      for (const ProtectionViolation& violation : audit.violations) {
        ADD_FAILURE() << "seed " << seed << " " << store::TierName(tier) << ": " << violation.cell
                      << " v=" << violation.value << " p=" << violation.protection
                      << " L=" << violation.lower_bound << " U=" << violation.upper_bound
                      << " min=" << violation.min << " max=" << violation.max;
      }
      EXPECT_EQ(release->unprotected, 0) << "seed " << seed;
      protected_cells += audit.protected_cells;
      checked += CheckRelease(*release, operation, seed);
      complementary += release->complementary;
      homogeneous += release->homogeneous;
      releases[tier] = std::move(*release);
      if (::testing::Test::HasFailure()) return;
    }
    CheckPartnerInPublic(releases[Tier::kPartner], releases[Tier::kPublic], seed);
    if (::testing::Test::HasFailure()) return;
  }
  // The cases exercise what they mean to.
  EXPECT_GT(checked, 30 * kCases);
  EXPECT_GT(protected_cells, 10 * kCases);
  EXPECT_GT(complementary, 3 * kCases);
  EXPECT_GT(homogeneous, kCases / 3);
}

}  // namespace
}  // namespace opendtm::disclosure
