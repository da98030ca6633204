#include "disclosure/release_builder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "disclosure/internal/microdata.h"
#include "disclosure/protection_audit.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure {
namespace {

using analysis::AreaTotals;
using analysis::Column;
using analysis::ColumnKind;
using analysis::Frame;
using analysis::Level;
using dictionary::Aggregate;
using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::ValueType;

// Joins the P-codes of an area's path from the country: an area is keyed by
// its path, so that rows without a P-code at one level, or a P-code found
// under two parents, stay apart in each parent and the hierarchy stays a
// tree.
constexpr char kPathSeparator = '\x1f';

// Row identity, not indicator columns (release_builder.h, step 2).
constexpr std::array<std::string_view, 9> kStructural = {"site_id",    "site_name",  "round",
                                                         "adm0_pcode", "adm1_pcode", "adm2_pcode",
                                                         "adm3_pcode", "latitude",   "longitude"};

// The SADD margins (spec/dictionary.md, population): total = Σ parts.
struct Margin {
  std::string_view total;
  std::array<std::string_view, 5> parts;
  size_t part_count;
};
constexpr std::array<Margin, 3> kMargins = {{
    {"ind_total", {"m_total", "f_total"}, 2},
    {"m_total", {"m_0_1", "m_1_5", "m_6_17", "m_18_59", "m_60plus"}, 5},
    {"f_total", {"f_0_1", "f_1_5", "f_6_17", "f_18_59", "f_60plus"}, 5},
}};

// Admin levels, finest first.
constexpr std::array<Level, 4> kAdminLevels = {Level::kAdmin3, Level::kAdmin2, Level::kAdmin1,
                                               Level::kCountry};

bool IsStructural(std::string_view name) {
  return std::find(kStructural.begin(), kStructural.end(), name) != kStructural.end();
}

// The column kind LoadFrames gives an indicator (analysis/frame.h).
ColumnKind ExpectedKind(const Indicator& indicator, const Dictionary& dictionary) {
  switch (indicator.type) {
    case ValueType::kInteger:
      return ColumnKind::kInteger;
    case ValueType::kDecimal:
      return ColumnKind::kNumber;
    case ValueType::kSelectOne:
      return dictionary.ListOf(indicator) != nullptr ? ColumnKind::kChoice : ColumnKind::kText;
    case ValueType::kSelectMultiple: {
      const dictionary::ChoiceList* list = dictionary.ListOf(indicator);
      return list != nullptr && list->choices.size() <= analysis::kMaxBitsetChoices
                 ? ColumnKind::kChoices
                 : ColumnKind::kText;
    }
    default:
      return ColumnKind::kText;
  }
}

// An HXL attribute from a choice name: lowercase, [a-z0-9_].
std::string ChoiceAttribute(std::string_view choice) {
  std::string attribute;
  for (char c : choice) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    attribute += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  return attribute;
}

// --- Step 2: columns -----------------------------------------------------------

enum class Source {
  kSum,          // a summed indicator: the area's sum, the site's value
  kAnswerCount,  // area rows: the sites that chose `choice`
  kSiteValue,    // site rows: the value as stored (choice names, text, number)
};

struct ColumnPlan {
  ReleaseColumn column;
  int indicator = -1;
  size_t choice = 0;  // kAnswerCount
  Source source = Source::kSiteValue;
  bool figure = false;      // takes part in suppression
  bool sites_rule = false;  // on area rows, k_sites applies
  bool decimal = false;     // a sum of decimals
  bool quasi_identifier = false;
  // Of a sensitive or urgent indicator: homogeneity applies to its answers.
  bool sensitive = false;
  // Exempt from k_sites and k_people at admin2 and above (spec/disclosure.md,
  // "Public totals"): a public-class total of households or people, or the
  // count of sites per answer of a public-class indicator.
  bool public_total = false;
  bool single_choice = false;  // answer counts of a select_one: they add up to <= sites
  // For a people count: the column of the total it belongs to on the same
  // row ("" for none): an exempt one bounds it a priori.
  std::string belongs_to;
};

// The public totals (spec/disclosure.md, "Public totals"; the default
// dictionary's names for households, individuals, males and females).
constexpr std::array<std::string_view, 4> kPublicTotals = {"hh_total", "ind_total", "m_total",
                                                           "f_total"};

// The total a people count belongs to (ColumnPlan::belongs_to).
std::string BelongsTo(std::string_view name) {
  for (const Margin& margin : kMargins) {
    for (size_t part_idx = 0; part_idx < margin.part_count; ++part_idx) {
      if (margin.parts[part_idx] == name) return std::string(margin.total);
    }
  }
  if (name == "ind_total" || name == "hh_total") return "";
  return name.starts_with("hh_") ? "hh_total" : "ind_total";
}

// The columns a tier may see, and where each is filled. Area rows and site
// rows keep cells only for their own columns (`area_plans`, `site_plans`), so
// that site rows needed for suppression alone stay small.
struct Layout {
  std::vector<ColumnPlan> plans;
  std::vector<size_t> area_plans;
  std::vector<size_t> site_plans;
  std::vector<int> area_slot;  // by plan: its cell on area rows, -1 when none
  std::vector<int> site_slot;

  const std::vector<size_t>& PlansOf(bool site) const { return site ? site_plans : area_plans; }
  int SlotOf(size_t plan, bool site) const { return site ? site_slot[plan] : area_slot[plan]; }
  int SlotOf(std::string_view name, bool site) const {
    for (size_t plan_idx = 0; plan_idx < plans.size(); ++plan_idx) {
      if (plans[plan_idx].column.name == name) return SlotOf(plan_idx, site);
    }
    return -1;
  }
};

Layout PlanColumns(const Dictionary& dictionary, const TierRules& rules) {
  Layout layout;
  const std::vector<Indicator>& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    if (IsStructural(indicator.name) ||
        indicator.dissemination_class == dictionary::DisseminationClass::kPii) {
      continue;
    }
    const bool on_sites = SiteValueVisible(rules, indicator.dissemination_class);
    const ColumnKind kind = ExpectedKind(indicator, dictionary);
    ColumnPlan plan;
    plan.indicator = static_cast<int>(indicator_idx);
    plan.quasi_identifier = indicator.quasi_identifier;
    const bool public_class =
        indicator.dissemination_class == dictionary::DisseminationClass::kPublic;
    plan.sensitive = !public_class;
    plan.column.name = indicator.name;
    plan.column.indicator = indicator.name;
    plan.column.hxl = indicator.hxl;
    if (indicator.aggregate == Aggregate::kSum &&
        (kind == ColumnKind::kInteger || kind == ColumnKind::kNumber)) {
      plan.source = Source::kSum;
      plan.column.kind = kind == ColumnKind::kInteger ? ValueKind::kInteger : ValueKind::kNumber;
      plan.column.people =
          kind == ColumnKind::kInteger && (indicator.module == dictionary::Module::kPopulation ||
                                           indicator.module == dictionary::Module::kVulnerability);
      plan.column.on_sites = on_sites;
      plan.column.on_areas = true;
      plan.figure = true;
      // A partner adds up the site rows it has: suppressing their sum would
      // only blank what it holds (release_builder.h, step 4).
      plan.sites_rule = !on_sites;
      plan.decimal = kind == ColumnKind::kNumber;
      plan.public_total = public_class && std::find(kPublicTotals.begin(), kPublicTotals.end(),
                                                    indicator.name) != kPublicTotals.end();
      if (plan.column.people) plan.belongs_to = BelongsTo(indicator.name);
      layout.plans.push_back(std::move(plan));
      continue;
    }
    const bool shared = indicator.aggregate == Aggregate::kShareOfSites &&
                        (kind == ColumnKind::kChoice || kind == ColumnKind::kChoices);
    if (on_sites) {
      ColumnPlan site = plan;
      site.source = Source::kSiteValue;
      site.column.kind = kind == ColumnKind::kInteger  ? ValueKind::kInteger
                         : kind == ColumnKind::kNumber ? ValueKind::kNumber
                                                       : ValueKind::kText;
      site.column.on_sites = true;
      layout.plans.push_back(std::move(site));
    }
    if (!shared) continue;
    const dictionary::ChoiceList& list = *dictionary.ListOf(indicator);
    for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
      ColumnPlan count = plan;
      const std::string& choice = list.choices[choice_idx].name;
      count.source = Source::kAnswerCount;
      count.choice = choice_idx;
      count.column.name = indicator.name + "=" + choice;
      count.column.choice = choice;
      count.column.hxl = indicator.hxl.empty() ? "" : indicator.hxl + "+" + ChoiceAttribute(choice);
      count.column.kind = ValueKind::kInteger;
      count.column.on_areas = true;
      // Where the tier sees the answers on site rows, the counts are theirs
      // already: nothing to protect.
      count.figure = !on_sites;
      count.sites_rule = true;
      count.quasi_identifier = false;
      count.public_total = public_class;
      count.single_choice = kind == ColumnKind::kChoice;
      layout.plans.push_back(std::move(count));
    }
  }
  layout.area_slot.assign(layout.plans.size(), -1);
  layout.site_slot.assign(layout.plans.size(), -1);
  for (size_t plan_idx = 0; plan_idx < layout.plans.size(); ++plan_idx) {
    const ReleaseColumn& column = layout.plans[plan_idx].column;
    if (column.on_areas) {
      layout.area_slot[plan_idx] = static_cast<int>(layout.area_plans.size());
      layout.area_plans.push_back(plan_idx);
    }
    if (column.on_sites) {
      layout.site_slot[plan_idx] = static_cast<int>(layout.site_plans.size());
      layout.site_plans.push_back(plan_idx);
    }
  }
  return layout;
}

// --- Step 3: rows ----------------------------------------------------------------

struct TableRow {
  ReleaseRow row;  // cells by the layout's area or site plans
  bool site = false;
  std::string key;      // areas: the path; sites: the path of their finest area
  int64_t parent = -1;  // the enclosing row at the next coarser visible level
  std::vector<uint32_t> children;
  std::vector<int64_t> reporting;  // areas, by slot: the sites behind a figure
  std::vector<int64_t> milli;      // by slot: sums of decimals in thousandths
  double latitude_sum = 0;
  double longitude_sum = 0;
  int64_t points = 0;
};

// One frame's rows at every visible level.
using Table = std::vector<TableRow>;

std::string_view LastComponent(std::string_view path) {
  const size_t separator = path.rfind(kPathSeparator);
  return separator == std::string_view::npos ? path : path.substr(separator + 1);
}

std::string NameOf(const ReleaseRequest& request, std::string_view pcode) {
  if (request.area_names == nullptr) return "";
  auto it = request.area_names->find(pcode);
  return it == request.area_names->end() ? "" : it->second;
}

// A decimal in thousandths, so that sums of decimals hold exactly in the
// relations suppression checks. Errors past ±9e15.
Result<int64_t> Thousandths(double value) {
  const double scaled = std::round(value * 1000);
  if (!(std::fabs(scaled) < 9e15)) {
    return InvalidArgumentError("a decimal value (" + std::to_string(value) +
                                ") is too large for suppression");
  }
  return static_cast<int64_t>(scaled);
}

class TableBuilder {
 public:
  TableBuilder(const Frame& frame, const Dictionary& dictionary, const Layout& layout,
               std::span<const Level> admin_levels, bool site_rows, const ReleaseRequest& request)
      : frame_(frame),
        dictionary_(dictionary),
        layout_(layout),
        admin_levels_(admin_levels),
        site_rows_(site_rows),
        request_(request),
        row_of_key_(admin_levels.size()) {}

  Result<Table> Build() {
    RETURN_IF_ERROR(KeyAreas());
    RETURN_IF_ERROR(AddAreaRows());
    if (site_rows_) AddSiteRows();
    RETURN_IF_ERROR(AddUpPointsAndDecimals());
    return std::move(table_);
  }

 private:
  // 1. Each frame row's area at each visible admin level as a path from the
  // country, written into a copy of the frame that the rollup groups by.
  Status KeyAreas() {
    keyed_ = frame_;
    paths_.assign(admin_levels_.size(), std::vector<std::string>(frame_.rows()));
    for (size_t level_idx = admin_levels_.size(); level_idx-- > 0;) {
      const Level level = admin_levels_[level_idx];
      const int indicator = dictionary_.IndexOf(analysis::LevelIndicator(level));
      if (indicator < 0 || keyed_.columns[indicator].kind != ColumnKind::kText) {
        return InvalidArgumentError("the dictionary has no text indicator " +
                                    std::string(analysis::LevelIndicator(level)) + " for the " +
                                    std::string(analysis::LevelName(level)) + " level");
      }
      Column& column = keyed_.columns[indicator];
      for (size_t row = 0; row < frame_.rows(); ++row) {
        std::string path = level_idx + 1 < admin_levels_.size()
                               ? paths_[level_idx + 1][row] + kPathSeparator
                               : std::string();
        if (column.present[row]) path += column.texts[row];
        column.texts[row] = path;
        column.present[row] = 1;
        paths_[level_idx][row] = std::move(path);
      }
    }
    return Status();
  }

  // 2. Area rows from the rollup, linked to their parents.
  Status AddAreaRows() {
    ASSIGN_OR_RETURN(std::vector<std::vector<AreaTotals>> totals,
                     analysis::RollUpLevels(keyed_, dictionary_, admin_levels_));
    for (size_t level_idx = admin_levels_.size(); level_idx-- > 0;) {
      for (const AreaTotals& area : totals[level_idx]) {
        const uint32_t row_idx = static_cast<uint32_t>(table_.size());
        TableRow& entry = table_.emplace_back();
        entry.key = area.area;
        ReleaseRow& row = entry.row;
        FillIdentity(row, admin_levels_[level_idx]);
        row.area_path = AreaPath(entry.key);
        row.pcode = std::string(LastComponent(entry.key));
        row.name = NameOf(request_, row.pcode);
        row.sites = area.sites;
        if (level_idx + 1 < admin_levels_.size()) {
          const size_t separator = entry.key.rfind(kPathSeparator);
          const std::string parent_key =
              separator == std::string::npos ? std::string() : entry.key.substr(0, separator);
          auto parent = row_of_key_[level_idx + 1].find(parent_key);
          if (parent == row_of_key_[level_idx + 1].end()) {
            return InternalError("area " + row.pcode + " has no enclosing area in the rollup");
          }
          Link(row_idx, parent->second);
        }
        row_of_key_[level_idx].emplace(entry.key, row_idx);
        const std::vector<size_t>& plans = layout_.area_plans;
        row.cells.resize(plans.size());
        entry.reporting.assign(plans.size(), 0);
        for (size_t slot = 0; slot < plans.size(); ++slot) {
          const ColumnPlan& plan = layout_.plans[plans[slot]];
          ReleaseCell& cell = row.cells[slot];
          const int64_t reporting = area.reporting[plan.indicator];
          entry.reporting[slot] = reporting;
          if (reporting == 0) continue;  // no site gave a value: blank
          cell.state = CellState::kValue;
          if (plan.source == Source::kAnswerCount) {
            cell.integer = area.answer_sites[plan.indicator][plan.choice];
          } else if (plan.column.kind == ValueKind::kInteger) {
            cell.integer = std::llround(area.sums[plan.indicator]);
          } else {
            cell.number = area.sums[plan.indicator];
          }
        }
      }
    }
    return Status();
  }

  // 3. One site row per frame row, under its finest area.
  void AddSiteRows() {
    const int name_indicator = dictionary_.IndexOf("site_name");
    const int latitude = dictionary_.IndexOf("latitude");
    const int longitude = dictionary_.IndexOf("longitude");
    const std::vector<size_t>& plans = layout_.site_plans;
    std::string text;
    site_row_of_frame_row_.assign(frame_.rows(), 0);
    for (size_t frame_row = 0; frame_row < frame_.rows(); ++frame_row) {
      const uint32_t row_idx = static_cast<uint32_t>(table_.size());
      site_row_of_frame_row_[frame_row] = row_idx;
      TableRow& entry = table_.emplace_back();
      entry.site = true;
      ReleaseRow& row = entry.row;
      FillIdentity(row, Level::kSite);
      row.pcode = frame_.site_ids[frame_row];
      if (name_indicator >= 0) {
        analysis::CellText(frame_.columns[name_indicator], nullptr, frame_row, row.name);
      }
      row.sites = 1;
      if (latitude >= 0 && longitude >= 0) {
        const Column& lat = frame_.columns[latitude];
        const Column& lon = frame_.columns[longitude];
        if (lat.kind == ColumnKind::kNumber && lon.kind == ColumnKind::kNumber &&
            lat.present[frame_row] && lon.present[frame_row]) {
          row.latitude = lat.numbers[frame_row];
          row.longitude = lon.numbers[frame_row];
        }
      }
      if (!admin_levels_.empty()) {
        entry.key = paths_[0][frame_row];
        row.area_path = AreaPath(entry.key);
        Link(row_idx, row_of_key_[0].at(entry.key));
      }
      row.cells.resize(plans.size());
      for (size_t slot = 0; slot < plans.size(); ++slot) {
        const ColumnPlan& plan = layout_.plans[plans[slot]];
        const Column& column = frame_.columns[plan.indicator];
        if (!column.present[frame_row]) continue;
        ReleaseCell& cell = row.cells[slot];
        switch (plan.column.kind) {
          case ValueKind::kInteger:
            cell.integer = column.integers[frame_row];
            break;
          case ValueKind::kNumber:
            cell.number = column.numbers[frame_row];
            break;
          case ValueKind::kText:
            analysis::CellText(column, dictionary_.ListOf(dictionary_.indicators()[plan.indicator]),
                               frame_row, text);
            cell.text = text;
            break;
        }
        cell.state = CellState::kValue;
      }
    }
  }

  // 4. Areas' points (the mean of their sites'), and sums of decimals in
  // thousandths, added up each frame row's chain of areas.
  Status AddUpPointsAndDecimals() {
    const int latitude = dictionary_.IndexOf("latitude");
    const int longitude = dictionary_.IndexOf("longitude");
    std::vector<size_t> decimals;  // plans
    for (size_t plan_idx = 0; plan_idx < layout_.plans.size(); ++plan_idx) {
      if (layout_.plans[plan_idx].decimal && layout_.plans[plan_idx].figure) {
        decimals.push_back(plan_idx);
      }
    }
    for (TableRow& entry : table_) {
      if (!decimals.empty()) entry.milli.assign(layout_.PlansOf(entry.site).size(), 0);
    }
    if (admin_levels_.empty()) return Status();
    for (size_t frame_row = 0; frame_row < frame_.rows(); ++frame_row) {
      const uint32_t finest = row_of_key_[0].at(paths_[0][frame_row]);
      std::optional<std::pair<double, double>> point;
      if (latitude >= 0 && longitude >= 0) {
        const Column& lat = frame_.columns[latitude];
        const Column& lon = frame_.columns[longitude];
        if (lat.kind == ColumnKind::kNumber && lon.kind == ColumnKind::kNumber &&
            lat.present[frame_row] && lon.present[frame_row]) {
          point.emplace(lat.numbers[frame_row], lon.numbers[frame_row]);
        }
      }
      for (int64_t row_idx = finest; row_idx >= 0; row_idx = table_[row_idx].parent) {
        if (!point) break;
        TableRow& area = table_[row_idx];
        area.latitude_sum += point->first;
        area.longitude_sum += point->second;
        ++area.points;
      }
      for (size_t plan_idx : decimals) {
        const Column& column = frame_.columns[layout_.plans[plan_idx].indicator];
        if (!column.present[frame_row]) continue;
        ASSIGN_OR_RETURN(const int64_t thousandths, Thousandths(column.numbers[frame_row]));
        if (site_rows_ && layout_.site_slot[plan_idx] >= 0) {
          table_[site_row_of_frame_row_[frame_row]].milli[layout_.site_slot[plan_idx]] =
              thousandths;
        }
        for (int64_t row_idx = finest; row_idx >= 0; row_idx = table_[row_idx].parent) {
          table_[row_idx].milli[layout_.area_slot[plan_idx]] += thousandths;
        }
      }
    }
    for (TableRow& entry : table_) {
      if (entry.site || entry.points == 0) continue;
      entry.row.latitude = entry.latitude_sum / static_cast<double>(entry.points);
      entry.row.longitude = entry.longitude_sum / static_cast<double>(entry.points);
    }
    return Status();
  }

  void FillIdentity(ReleaseRow& row, Level level) const {
    row.level = level;
    row.operation = request_.operation;
    row.country = request_.country;
    row.round = frame_.round;
    row.assessment_type = frame_.assessment_type;
  }

  // The P-codes of an area's key from admin1 down (release.h, area_path):
  // its components without the country's, when the country is visible.
  std::vector<std::string> AreaPath(std::string_view key) const {
    std::vector<std::string> path;
    size_t start = 0;
    while (true) {
      const size_t separator = key.find(kPathSeparator, start);
      path.emplace_back(key.substr(start, separator - start));
      if (separator == std::string_view::npos) break;
      start = separator + 1;
    }
    if (!admin_levels_.empty() && admin_levels_.back() == Level::kCountry) {
      path.erase(path.begin());
    }
    return path;
  }

  void Link(uint32_t child, uint32_t parent) {
    table_[child].parent = parent;
    table_[child].row.parent = table_[parent].row.pcode;
    table_[parent].children.push_back(child);
  }

  const Frame& frame_;
  const Dictionary& dictionary_;
  const Layout& layout_;
  std::span<const Level> admin_levels_;  // visible, finest first
  bool site_rows_;
  const ReleaseRequest& request_;
  Frame keyed_;
  std::vector<std::vector<std::string>> paths_;                        // by level, by frame row
  std::vector<std::unordered_map<std::string, uint32_t>> row_of_key_;  // by level
  std::vector<uint32_t> site_row_of_frame_row_;
  Table table_;
};

// --- Step 4: suppression ------------------------------------------------------

bool AtOrAboveAdmin2(Level level) { return level >= Level::kAdmin2 && level <= Level::kCountry; }

// One table's figures and what links them, as suppression.h takes them.
struct TableSystem {
  std::vector<Figure> figures;
  std::vector<std::vector<int32_t>> figure_of;  // by row, by slot; -1: not a figure
  std::vector<Relation> relations;
  std::vector<Limit> limits;
};

// Reasons another tier's suppression gives cells of this table, by row and
// slot (kNone: none): a partner also reads the public release.
using Seeds = std::vector<std::vector<SuppressionReason>>;

// 1. Figures: every numeric cell of every visible level that a tier could
// need protected, with the spec's attributes: public totals and group facts
// exempt, floors and ceilings, protection levels, rounding.
void AddFigures(const Table& table, const Layout& layout, const TierRules& rules,
                TableSystem& system) {
  system.figure_of.resize(table.size());
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    const std::vector<size_t>& plans = layout.PlansOf(entry.site);
    system.figure_of[row_idx].assign(plans.size(), -1);
    for (size_t slot = 0; slot < plans.size(); ++slot) {
      const ColumnPlan& plan = layout.plans[plans[slot]];
      if (!plan.figure) continue;
      const ReleaseCell& cell = entry.row.cells[slot];
      Figure figure;
      figure.blank = cell.state == CellState::kBlank;
      figure.value = plan.decimal ? entry.milli[slot] : cell.integer;
      figure.people = plan.column.people;
      figure.sites_rule = !entry.site && plan.sites_rule;
      figure.sites = entry.site ? 1 : entry.reporting[slot];
      const bool answer = plan.source == Source::kAnswerCount;
      figure.exempt = plan.public_total && AtOrAboveAdmin2(entry.row.level);
      // A group fact: none or all of the answered sites of a large area.
      if (answer && !entry.site && entry.row.sites >= rules.n_group && figure.sites > 0 &&
          (figure.value == 0 || figure.value == figure.sites)) {
        figure.exempt = true;
      }
      figure.floor = plan.decimal ? kNoFloor : 0;
      figure.ceiling = answer ? entry.row.sites : kUnbounded;
      figure.protection = plan.column.people ? rules.k_people : plan.decimal ? 1000 : 1;
      if (plan.column.people && rules.rounding_base > 1) figure.rounding = rules.rounding_base;
      system.figure_of[row_idx][slot] = static_cast<int32_t>(system.figures.size());
      system.figures.push_back(figure);
    }
  }
  // Counts may go below 0 only where one does (an integer indicator without
  // a ">= 0" constraint): then a reader knows no floor for that column.
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    for (int32_t figure : system.figure_of[row_idx]) {
      if (figure >= 0 && system.figures[figure].value < 0) {
        system.figures[figure].floor = kNoFloor;
      }
    }
  }
}

// 2. Homogeneity (l = 2): in an area with fewer than n_group sites, the
// answers of a sensitive indicator whose answered sites all share one value
// (every count 0 or all of them) are suppressed, unless k_sites already does.
void MarkHomogeneous(const Table& table, const Layout& layout, const TierRules& rules,
                     TableSystem& system) {
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    if (entry.site || entry.row.sites >= rules.n_group) continue;
    const std::vector<size_t>& plans = layout.area_plans;
    for (size_t first = 0; first < plans.size();) {
      const int indicator = layout.plans[plans[first]].indicator;
      size_t end = first;
      while (end < plans.size() && layout.plans[plans[end]].indicator == indicator) ++end;
      const ColumnPlan& plan = layout.plans[plans[first]];
      if (plan.source == Source::kAnswerCount && plan.figure && plan.sensitive) {
        bool homogeneous = true;
        bool answered = false;
        for (size_t slot = first; slot < end; ++slot) {
          const int32_t figure = system.figure_of[row_idx][slot];
          if (figure < 0 || system.figures[figure].blank) continue;
          const Figure& count = system.figures[figure];
          answered = answered || count.sites > 0;
          homogeneous = homogeneous && (count.value == 0 || count.value == count.sites);
        }
        for (size_t slot = first; slot < end && homogeneous && answered; ++slot) {
          const int32_t figure = system.figure_of[row_idx][slot];
          if (figure < 0) continue;
          Figure& count = system.figures[figure];
          if (count.blank || count.exempt || count.sites < rules.k_sites) continue;
          count.reason = SuppressionReason::kHomogeneous;
        }
      }
      first = end;
    }
  }
}

// 3. Relations: each area = the rows it holds at the next finer level, per
// column; the SADD margins on every row where they hold. Limits: the answer
// counts of a single-choice indicator add up to at most the area's sites.
void AddRelations(const Table& table, const Layout& layout, TableSystem& system) {
  std::vector<Figure>& figures = system.figures;
  const auto& figure_of = system.figure_of;
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    if (entry.children.empty()) continue;
    const bool children_are_sites = table[entry.children[0]].site;
    const std::vector<size_t>& plans = layout.PlansOf(entry.site);
    for (size_t slot = 0; slot < plans.size(); ++slot) {
      if (figure_of[row_idx][slot] < 0) continue;
      const int child_slot = layout.SlotOf(plans[slot], children_are_sites);
      if (child_slot < 0) continue;
      Relation relation;
      relation.total = static_cast<size_t>(figure_of[row_idx][slot]);
      for (uint32_t child : entry.children) {
        relation.parts.push_back(static_cast<size_t>(figure_of[child][child_slot]));
      }
      system.relations.push_back(std::move(relation));
    }
  }
  // Each margin's slots on site and area rows: [site?][margin][0 total, 1.. parts].
  std::array<std::array<std::array<int, 6>, kMargins.size()>, 2> margin_slots;
  for (int site = 0; site < 2; ++site) {
    for (size_t margin_idx = 0; margin_idx < kMargins.size(); ++margin_idx) {
      const Margin& margin = kMargins[margin_idx];
      margin_slots[site][margin_idx][0] = layout.SlotOf(margin.total, site == 1);
      for (size_t part_idx = 0; part_idx < margin.part_count; ++part_idx) {
        margin_slots[site][margin_idx][part_idx + 1] =
            layout.SlotOf(margin.parts[part_idx], site == 1);
      }
    }
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    for (size_t margin_idx = 0; margin_idx < kMargins.size(); ++margin_idx) {
      const Margin& margin = kMargins[margin_idx];
      const std::array<int, 6>& slots = margin_slots[entry.site ? 1 : 0][margin_idx];
      auto figure_at = [&](size_t position) -> int32_t {
        return slots[position] < 0 ? -1 : figure_of[row_idx][slots[position]];
      };
      const int32_t total = figure_at(0);
      if (total < 0 || figures[total].blank) continue;
      Relation relation;
      relation.total = static_cast<size_t>(total);
      int64_t sum = 0;
      bool usable = true;
      for (size_t part_idx = 0; part_idx < margin.part_count && usable; ++part_idx) {
        const int32_t part = figure_at(part_idx + 1);
        usable = part >= 0 && !figures[part].blank &&
                 !__builtin_add_overflow(sum, figures[part].value, &sum);
        relation.parts.push_back(static_cast<size_t>(part));
      }
      if (usable && sum == figures[total].value) system.relations.push_back(std::move(relation));
    }
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    const TableRow& entry = table[row_idx];
    if (entry.site) continue;
    const std::vector<size_t>& plans = layout.area_plans;
    for (size_t first = 0; first < plans.size();) {
      const int indicator = layout.plans[plans[first]].indicator;
      size_t end = first;
      while (end < plans.size() && layout.plans[plans[end]].indicator == indicator) ++end;
      Limit limit;
      limit.at_most = entry.row.sites;
      for (size_t slot = first; slot < end; ++slot) {
        const int32_t figure = figure_of[row_idx][slot];
        if (figure >= 0 && layout.plans[plans[slot]].single_choice) {
          limit.parts.push_back(static_cast<size_t>(figure));
        }
      }
      if (limit.parts.size() > 1) system.limits.push_back(std::move(limit));
      first = end;
    }
  }
}

// 4. A priori bounds L and U of every figure: what a reader would know if
// every suppressible figure were hidden, from the exempt figures alone (and
// each figure's floor, ceiling, and exempt total it belongs to on its row).
// Per column, the figures form a tree of sums (area = Σ the rows it holds),
// on which interval propagation, up then down, gives each figure's exact
// range (a tree of sums is acyclic: local consistency is global). The SADD
// margins between columns enter only as the cap of an exempt total; leaving
// the rest out can only widen [L, U], which asks more of the protection,
// never less.
void AprioriBounds(const Table& table, const Layout& layout, TableSystem& system) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<Figure>& figures = system.figures;
  std::vector<double> low(table.size()), high(table.size());
  for (size_t plan_idx = 0; plan_idx < layout.plans.size(); ++plan_idx) {
    const ColumnPlan& plan = layout.plans[plan_idx];
    if (!plan.figure) continue;
    auto figure_at = [&](size_t row_idx) -> int32_t {
      const int slot = layout.SlotOf(plan_idx, table[row_idx].site);
      return slot < 0 ? -1 : system.figure_of[row_idx][slot];
    };
    const int total_plan = [&] {
      for (size_t other = 0; other < layout.plans.size(); ++other) {
        if (!plan.belongs_to.empty() && layout.plans[other].column.name == plan.belongs_to) {
          return static_cast<int>(other);
        }
      }
      return -1;
    }();
    // Initial ranges.
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const int32_t index = figure_at(row_idx);
      if (index < 0) continue;
      const Figure& figure = figures[index];
      if (figure.blank || figure.exempt) {
        low[row_idx] = high[row_idx] = figure.blank ? 0 : static_cast<double>(figure.value);
        continue;
      }
      low[row_idx] = figure.floor == kNoFloor ? -kInf : static_cast<double>(figure.floor);
      high[row_idx] = figure.ceiling == kUnbounded ? kInf : static_cast<double>(figure.ceiling);
      if (total_plan >= 0) {
        const int slot = layout.SlotOf(static_cast<size_t>(total_plan), table[row_idx].site);
        const int32_t total = slot < 0 ? -1 : system.figure_of[row_idx][slot];
        if (total >= 0 && figures[total].exempt && !figures[total].blank) {
          high[row_idx] = std::min(high[row_idx], static_cast<double>(figures[total].value));
        }
      }
    }
    // Up: children before parents (rows are coarsest first, sites last).
    for (size_t row_idx = table.size(); row_idx-- > 0;) {
      const TableRow& entry = table[row_idx];
      if (figure_at(row_idx) < 0 || entry.children.empty() || figure_at(entry.children[0]) < 0) {
        continue;
      }
      double low_sum = 0, high_sum = 0;
      for (uint32_t child : entry.children) {
        low_sum += low[child];
        high_sum += high[child];
      }
      low[row_idx] = std::max(low[row_idx], low_sum);
      high[row_idx] = std::min(high[row_idx], high_sum);
    }
    // Down: parents before children; a child's range is its parent's minus
    // what its siblings can hold. Infinite sums are kept by count.
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const TableRow& entry = table[row_idx];
      if (figure_at(row_idx) < 0 || entry.children.empty() || figure_at(entry.children[0]) < 0) {
        continue;
      }
      double low_finite = 0, high_finite = 0;
      int low_infinite = 0, high_infinite = 0;
      for (uint32_t child : entry.children) {
        (std::isinf(low[child]) ? ++low_infinite : (low_finite += low[child], 0));
        (std::isinf(high[child]) ? ++high_infinite : (high_finite += high[child], 0));
      }
      for (uint32_t child : entry.children) {
        const bool own_high_infinite = std::isinf(high[child]);
        const bool own_low_infinite = std::isinf(low[child]);
        const double others_high = high_infinite - (own_high_infinite ? 1 : 0) > 0
                                       ? kInf
                                       : high_finite - (own_high_infinite ? 0 : high[child]);
        const double others_low = low_infinite - (own_low_infinite ? 1 : 0) > 0
                                      ? -kInf
                                      : low_finite - (own_low_infinite ? 0 : low[child]);
        if (!std::isinf(low[row_idx]) && !std::isinf(others_high)) {
          low[child] = std::max(low[child], low[row_idx] - others_high);
        }
        if (!std::isinf(high[row_idx]) && !std::isinf(others_low)) {
          high[child] = std::min(high[child], high[row_idx] - others_low);
        }
      }
    }
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      const int32_t index = figure_at(row_idx);
      if (index < 0) continue;
      Figure& figure = figures[index];
      figure.lower_bound =
          std::isinf(low[row_idx]) ? kNoFloor : static_cast<int64_t>(std::ceil(low[row_idx]));
      figure.upper_bound =
          std::isinf(high[row_idx]) ? kUnbounded : static_cast<int64_t>(std::floor(high[row_idx]));
    }
  }
}

// The name of a figure's cell in audit reports: "round 12 admin2
// NG001/NG001002 women_feel_safe=no".
std::string CellName(const TableRow& entry, const ReleaseColumn& column) {
  std::string path = entry.key;
  std::replace(path.begin(), path.end(), kPathSeparator, '/');
  return "round " + std::to_string(entry.row.round) + " " +
         std::string(analysis::LevelName(entry.row.level)) + " " +
         (entry.site ? entry.row.pcode : path) + " " + column.name;
}

// The system of one table: figures with their primary reasons (seeded ones
// kept), relations, limits and a priori bounds.
TableSystem SystemOf(const Table& table, const Layout& layout, const TierRules& rules,
                     const Seeds* seeds) {
  TableSystem system;
  AddFigures(table, layout, rules, system);
  MarkHomogeneous(table, layout, rules, system);
  if (seeds != nullptr) {
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
        const int32_t figure = system.figure_of[row_idx][slot];
        const SuppressionReason seeded = (*seeds)[row_idx][slot];
        if (figure < 0 || seeded == SuppressionReason::kNone) continue;
        if (system.figures[figure].reason == SuppressionReason::kNone || Protected(seeded)) {
          system.figures[figure].reason = seeded;
        }
      }
    }
  }
  AddRelations(table, layout, system);
  AprioriBounds(table, layout, system);
  return system;
}

Result<SuppressionCounts> SuppressTable(Table& table, const Layout& layout, const TierRules& rules,
                                        const Seeds* seeds, ProtectionAuditReport* audit) {
  TableSystem system = SystemOf(table, layout, rules, seeds);
  std::vector<Figure>& figures = system.figures;
  // 5. Suppress, and write the reasons back with the values zeroed, so that
  // no exporter can leak them.
  Result<SuppressionCounts> counts =
      SuppressProtected(figures, system.relations, system.limits, rules);
  if (!counts.ok()) return InternalError("suppression: " + counts.status().message());
  if (audit != nullptr) {
    Result<ProtectionAuditReport> report =
        AuditProtection(figures, system.relations, system.limits);
    if (!report.ok()) return InternalError("protection audit: " + report.status().message());
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
        const int32_t figure = system.figure_of[row_idx][slot];
        for (ProtectionViolation& violation : report->violations) {
          if (figure >= 0 && violation.figure == static_cast<size_t>(figure)) {
            const size_t plan = layout.PlansOf(table[row_idx].site)[slot];
            violation.cell = CellName(table[row_idx], layout.plans[plan].column);
          }
        }
      }
    }
    MergeAudit(*audit, std::move(*report));
  }
  for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
    TableRow& entry = table[row_idx];
    for (size_t slot = 0; slot < system.figure_of[row_idx].size(); ++slot) {
      const int32_t figure = system.figure_of[row_idx][slot];
      if (figure < 0 || figures[figure].reason == SuppressionReason::kNone) continue;
      ReleaseCell& cell = entry.row.cells[slot];
      cell = ReleaseCell();
      cell.state = CellState::kSuppressed;
      cell.reason = figures[figure].reason;
    }
  }
  // 6. Areas whose figures are withheld keep no point: exporters leave them
  // off maps.
  for (TableRow& entry : table) {
    if (entry.site) continue;
    bool any_people = false;
    bool all_suppressed = true;
    for (size_t slot = 0; slot < entry.row.cells.size(); ++slot) {
      const ReleaseCell& cell = entry.row.cells[slot];
      if (!layout.plans[layout.area_plans[slot]].column.people || cell.state == CellState::kBlank) {
        continue;
      }
      any_people = true;
      all_suppressed = all_suppressed && cell.state == CellState::kSuppressed;
    }
    if (entry.row.sites < rules.k_sites || (any_people && all_suppressed)) {
      entry.row.latitude.reset();
      entry.row.longitude.reset();
    }
  }
  return *counts;
}

// --- Step 5: microdata gate ---------------------------------------------------

// Applies the gate to `table`'s site rows; returns the rows of the admin3
// areas of the sites that no longer show their admin3.
std::vector<int64_t> GateTable(Table& table, int k, std::span<const size_t> quasi_identifier_slots,
                               MicrodataReport& report) {
  std::vector<internal::GatedSite> sites;
  std::vector<int64_t> admin3_of_site;
  for (TableRow& entry : table) {
    if (!entry.site) continue;
    internal::GatedSite& site = sites.emplace_back();
    site.row = &entry.row;
    // The site's area: its admin3 where the operation records one (the only
    // admin level that is a quasi-identifier, given up for its admin2);
    // otherwise the first named area above, which it keeps.
    const int64_t parent = entry.parent;
    const bool admin3 = parent >= 0 && table[parent].row.level == Level::kAdmin3 &&
                        !table[parent].row.pcode.empty() && table[parent].parent >= 0;
    admin3_of_site.push_back(admin3 ? parent : -1);
    if (admin3) {
      const TableRow& admin2 = table[table[parent].parent];
      site.area = table[parent].key;
      site.coarser_area = admin2.key;
      site.coarser_pcode = admin2.row.pcode;
      continue;
    }
    int64_t finest = parent;
    while (finest >= 0 && table[finest].row.pcode.empty() && table[finest].parent >= 0) {
      finest = table[finest].parent;
    }
    site.area = finest >= 0 ? table[finest].key : entry.key;
  }
  internal::GateSites(sites, quasi_identifier_slots, k, report);
  std::vector<int64_t> gate_areas;
  for (size_t site_idx = 0; site_idx < sites.size(); ++site_idx) {
    if (sites[site_idx].admin3_hidden) gate_areas.push_back(admin3_of_site[site_idx]);
  }
  std::sort(gate_areas.begin(), gate_areas.end());
  gate_areas.erase(std::unique(gate_areas.begin(), gate_areas.end()), gate_areas.end());
  return gate_areas;
}

// The site-row slots of the dictionary's quasi-identifiers the tier sees.
std::vector<size_t> QuasiIdentifierSlots(const Layout& layout) {
  std::vector<size_t> slots;
  for (size_t slot = 0; slot < layout.site_plans.size(); ++slot) {
    if (layout.plans[layout.site_plans[slot]].quasi_identifier) slots.push_back(slot);
  }
  return slots;
}

// True when a site row of `table` shows a named admin3.
bool RecordsAdmin3(const Table& table) {
  return std::any_of(table.begin(), table.end(), [](const TableRow& entry) {
    return !entry.site && entry.row.level == Level::kAdmin3 && !entry.row.pcode.empty();
  });
}

// Suppresses `table` with gate cells (spec/disclosure.md, "Public totals"):
// every figure of an admin3 row that holds a site the gate shows without its
// admin3 is suppressed with reason kGate and protected like a primary cell.
// Which sites the gate generalises depends on the suppressed site cells, so
// the table is suppressed again, from `original`, until the gate areas no
// longer grow (they only grow, so this ends).
Result<SuppressionCounts> SuppressWithGate(Table& table, const Layout& layout,
                                           const TierRules& rules, const Seeds* seeds,
                                           ProtectionAuditReport* audit) {
  const Table original = table;
  const std::vector<size_t> quasi_identifier_slots = QuasiIdentifierSlots(layout);
  std::vector<bool> gate_row(table.size(), false);
  while (true) {
    Seeds gate_seeds = seeds != nullptr ? *seeds : Seeds(table.size());
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      gate_seeds[row_idx].resize(table[row_idx].row.cells.size(), SuppressionReason::kNone);
      if (!gate_row[row_idx]) continue;
      std::fill(gate_seeds[row_idx].begin(), gate_seeds[row_idx].end(), SuppressionReason::kGate);
    }
    ProtectionAuditReport pass_audit;
    ASSIGN_OR_RETURN(
        SuppressionCounts counts,
        SuppressTable(table, layout, rules, &gate_seeds, audit != nullptr ? &pass_audit : nullptr));
    Table shown = table;
    MicrodataReport ignored;
    bool grown = false;
    for (int64_t area : GateTable(shown, rules.k_anonymity, quasi_identifier_slots, ignored)) {
      if (area < 0 || gate_row[area]) continue;
      gate_row[area] = true;
      grown = true;
    }
    if (!grown) {
      if (audit != nullptr) MergeAudit(*audit, std::move(pass_audit));
      return counts;
    }
    table = original;
  }
}

// One tier's tables of the frames, suppressed when its rules say so.
struct TierTables {
  Layout layout;
  std::vector<Level> admin_levels;
  std::vector<Table> tables;
  int64_t unprotected = 0;
};

// The reasons of `from`'s suppressed area cells, on the cells of `to` with
// the same level, area path and column.
Seeds SeedsFrom(const Table& from, const Layout& from_layout, const Table& to,
                const Layout& to_layout) {
  std::unordered_map<std::string, uint32_t> row_of;
  for (uint32_t row_idx = 0; row_idx < from.size(); ++row_idx) {
    if (from[row_idx].site) continue;
    row_of.emplace(std::to_string(static_cast<int>(from[row_idx].row.level)) + kPathSeparator +
                       from[row_idx].key,
                   row_idx);
  }
  Seeds seeds(to.size());
  for (size_t row_idx = 0; row_idx < to.size(); ++row_idx) {
    const TableRow& entry = to[row_idx];
    seeds[row_idx].assign(entry.row.cells.size(), SuppressionReason::kNone);
    if (entry.site) continue;
    auto found =
        row_of.find(std::to_string(static_cast<int>(entry.row.level)) + kPathSeparator + entry.key);
    if (found == row_of.end()) continue;
    const TableRow& other = from[found->second];
    for (size_t slot = 0; slot < entry.row.cells.size(); ++slot) {
      const std::string& name = to_layout.plans[to_layout.area_plans[slot]].column.name;
      const int from_slot = from_layout.SlotOf(name, false);
      if (from_slot < 0) continue;
      const ReleaseCell& cell = other.row.cells[from_slot];
      if (cell.state == CellState::kSuppressed) seeds[row_idx][slot] = cell.reason;
    }
  }
  return seeds;
}

// Steps 2-4 for `tier`: columns, rows at every level it sees, suppression
// (seeded with the suppressed cells of `seed_from`'s tables, one per frame,
// when given), audited into `audit` when not null.
Result<TierTables> BuildTierTables(std::span<const analysis::Frame> frames,
                                   const dictionary::Dictionary& dictionary,
                                   const ReleaseRequest& request, Tier tier,
                                   const TierTables* seed_from, ProtectionAuditReport* audit) {
  const TierRules& rules = request.policy.For(tier);
  TierTables built;
  built.layout = PlanColumns(dictionary, rules);
  for (Level level : kAdminLevels) {
    if (LevelVisible(rules, level)) built.admin_levels.push_back(level);
  }
  built.tables.reserve(frames.size());
  for (const Frame& frame : frames) {
    ASSIGN_OR_RETURN(Table table, TableBuilder(frame, dictionary, built.layout, built.admin_levels,
                                               rules.site_rows, request)
                                      .Build());
    built.tables.push_back(std::move(table));
  }
  if (!rules.suppressed) return built;
  // Site rows below protection go through the microdata gate (step 5), whose
  // admin3 areas hold gate cells.
  const bool gated = rules.site_rows && (tier == Tier::kPublic || tier == Tier::kPartner);
  for (size_t table_idx = 0; table_idx < built.tables.size(); ++table_idx) {
    Table& table = built.tables[table_idx];
    std::optional<Seeds> seeds;
    if (seed_from != nullptr) {
      seeds = SeedsFrom(seed_from->tables[table_idx], seed_from->layout, table, built.layout);
    }
    const Seeds* seeded = seeds ? &*seeds : nullptr;
    ASSIGN_OR_RETURN(SuppressionCounts counts,
                     gated ? SuppressWithGate(table, built.layout, rules, seeded, audit)
                           : SuppressTable(table, built.layout, rules, seeded, audit));
    built.unprotected += counts.unprotected;
  }
  return built;
}

// The audit of both tiers together for a partner reader: every cell
// suppressed for partner must be suppressed (or blank) in the public
// release built from the same frames.
void CheckPublicAgainstPartner(const TierTables& partner, const TierTables& open,
                               ProtectionAuditReport& audit) {
  for (size_t table_idx = 0; table_idx < open.tables.size(); ++table_idx) {
    const Table& table = open.tables[table_idx];
    const Seeds suppressed =
        SeedsFrom(partner.tables[table_idx], partner.layout, table, open.layout);
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < suppressed[row_idx].size(); ++slot) {
        const ReleaseCell& cell = table[row_idx].row.cells[slot];
        if (suppressed[row_idx][slot] == SuppressionReason::kNone ||
            cell.state != CellState::kValue) {
          continue;
        }
        ProtectionViolation violation;
        violation.cell =
            CellName(table[row_idx], open.layout.plans[open.layout.area_plans[slot]].column) +
            " (suppressed for partner, published to public)";
        violation.value = violation.min = violation.max = cell.integer;
        audit.violations.push_back(std::move(violation));
      }
    }
  }
}

// --- Step 6: rounding -----------------------------------------------------------

void RoundPeople(Table& table, const Layout& layout, int base) {
  for (TableRow& entry : table) {
    const std::vector<size_t>& plans = layout.PlansOf(entry.site);
    for (size_t slot = 0; slot < plans.size(); ++slot) {
      ReleaseCell& cell = entry.row.cells[slot];
      if (layout.plans[plans[slot]].column.people && cell.state == CellState::kValue) {
        cell.integer = RoundedToBase(cell.integer, base);
      }
    }
  }
}

// --- Step 1 and checks --------------------------------------------------------

std::string SeenLevels(const TierRules& rules) {
  std::string seen = rules.site_rows ? "site rows and aggregates at " : "aggregates at ";
  return seen + std::string(analysis::LevelName(rules.finest_aggregate)) + " and above";
}

Status CheckLevels(const ReleaseRequest& request, const TierRules& rules) {
  if (request.levels.empty()) return InvalidArgumentError("a release needs at least one level");
  for (Level level : request.levels) {
    if (level == Level::kRegion || level == Level::kGlobal) {
      return InvalidArgumentError(
          "a release of one operation is of sites or admin areas, not the " +
          std::string(analysis::LevelName(level)) + " level");
    }
  }
  for (Level level : request.levels) {
    if (LevelVisible(rules, level)) continue;
    const std::string asked = level == Level::kSite
                                  ? std::string("site rows")
                                  : std::string(analysis::LevelName(level)) + " aggregates";
    return PermissionDeniedError("tier " + std::string(store::TierName(request.tier)) +
                                 " may not receive " + asked + ": it sees " + SeenLevels(rules) +
                                 " (spec/disclosure.md)");
  }
  return Status();
}

Status CheckFrame(const Frame& frame, const Dictionary& dictionary) {
  const std::vector<Indicator>& indicators = dictionary.indicators();
  const std::string which = "the frame of round " + std::to_string(frame.round) + " (" +
                            std::string(store::AssessmentTypeName(frame.assessment_type)) + ")";
  if (frame.columns.size() != indicators.size()) {
    return InvalidArgumentError(which + " has " + std::to_string(frame.columns.size()) +
                                " columns; dictionary " + dictionary.version() + " has " +
                                std::to_string(indicators.size()) + " indicators");
  }
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Column& column = frame.columns[indicator_idx];
    const bool sized = column.present.size() == frame.rows();
    if (column.kind != ExpectedKind(indicators[indicator_idx], dictionary) || !sized) {
      return InvalidArgumentError(which + " was not loaded with dictionary " +
                                  dictionary.version() + ": column " +
                                  indicators[indicator_idx].name + " does not match");
    }
  }
  return Status();
}

}  // namespace

Result<Release> BuildRelease(std::span<const analysis::Frame> frames,
                             const dictionary::Dictionary& dictionary,
                             const ReleaseRequest& request) {
  const TierRules& rules = request.policy.For(request.tier);
  // 1. Levels the tier may see.
  RETURN_IF_ERROR(CheckLevels(request, rules));
  for (const Frame& frame : frames) RETURN_IF_ERROR(CheckFrame(frame, dictionary));
  std::vector<Level> asked = request.levels;
  std::sort(asked.begin(), asked.end());
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
  const bool sites_asked = asked.front() == Level::kSite;
  const bool areas_asked = asked.back() != Level::kSite;

  // 2-4. Columns, rows at every visible level (one table per frame) and
  // suppression. A partner also reads the public release: public's
  // suppression starts from partner's, built on the same frames, so that no
  // cell suppressed for partner is published to public.
  const Tier partner_tier = Tier::kPartner;
  const bool public_after_partner = request.tier == Tier::kPublic && rules.suppressed &&
                                    request.policy.For(partner_tier).suppressed;
  std::optional<TierTables> partner;
  if (public_after_partner) {
    ASSIGN_OR_RETURN(partner,
                     BuildTierTables(frames, dictionary, request, partner_tier, nullptr, nullptr));
  }
  ASSIGN_OR_RETURN(TierTables built, BuildTierTables(frames, dictionary, request, request.tier,
                                                     partner ? &*partner : nullptr, request.audit));
  if (request.audit != nullptr && request.tier == partner_tier && rules.suppressed &&
      request.policy.For(Tier::kPublic).suppressed) {
    ASSIGN_OR_RETURN(TierTables open,
                     BuildTierTables(frames, dictionary, request, Tier::kPublic, &built, nullptr));
    CheckPublicAgainstPartner(built, open, *request.audit);
  }
  const Layout& layout = built.layout;
  std::vector<Table>& tables = built.tables;

  Release release;
  release.tier = request.tier;
  release.policy_version = request.policy.version;
  release.rules = rules;
  release.dictionary_version = dictionary.version();
  release.operations.push_back(request.operation + " (" + request.country + ")");
  for (const Frame& frame : frames) release.rounds.push_back(frame.round);
  std::sort(release.rounds.begin(), release.rounds.end());
  release.rounds.erase(std::unique(release.rounds.begin(), release.rounds.end()),
                       release.rounds.end());
  release.levels = asked;
  release.unprotected = built.unprotected;

  // 5. Microdata gate on site rows released below protection.
  const bool below_protection = request.tier == Tier::kPublic || request.tier == Tier::kPartner;
  if (sites_asked && below_protection) {
    MicrodataReport report;
    report.k = rules.k_anonymity;
    // The dictionary's quasi-identifiers, and admin3 where the operation
    // records one (admin1 and admin2 are not quasi-identifiers).
    const std::vector<size_t> quasi_identifier_slots = QuasiIdentifierSlots(layout);
    if (std::any_of(tables.begin(), tables.end(), RecordsAdmin3)) {
      report.quasi_identifiers.emplace_back(analysis::LevelIndicator(Level::kAdmin3));
    }
    for (size_t slot : quasi_identifier_slots) {
      report.quasi_identifiers.push_back(layout.plans[layout.site_plans[slot]].column.name);
    }
    for (Table& table : tables) GateTable(table, rules.k_anonymity, quasi_identifier_slots, report);
    release.microdata = std::move(report);
  }

  // 6. Rounding.
  if (rules.rounding_base > 1) {
    for (Table& table : tables) RoundPeople(table, layout, rules.rounding_base);
  }

  // 7. The levels asked, with the columns they fill.
  std::vector<size_t> kept_plans;
  for (size_t plan_idx = 0; plan_idx < layout.plans.size(); ++plan_idx) {
    ReleaseColumn column = layout.plans[plan_idx].column;
    column.on_sites = column.on_sites && sites_asked;
    column.on_areas = column.on_areas && areas_asked;
    if (!column.on_sites && !column.on_areas) continue;
    kept_plans.push_back(plan_idx);
    release.columns.push_back(std::move(column));
  }
  struct Placed {
    const TableRow* entry;
    size_t sequence;
  };
  std::vector<Placed> placed;
  for (const Table& table : tables) {
    for (const TableRow& entry : table) {
      if (std::binary_search(asked.begin(), asked.end(), entry.row.level)) {
        placed.push_back({&entry, placed.size()});
      }
    }
  }
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    const ReleaseRow& x = a.entry->row;
    const ReleaseRow& y = b.entry->row;
    const bool sites = x.level == Level::kSite;
    return std::forward_as_tuple(x.level, x.round, x.assessment_type, x.pcode,
                                 sites ? std::string_view() : std::string_view(a.entry->key),
                                 a.sequence) <
           std::forward_as_tuple(y.level, y.round, y.assessment_type, y.pcode,
                                 sites ? std::string_view() : std::string_view(b.entry->key),
                                 b.sequence);
  });
  release.rows.reserve(placed.size());
  for (const Placed& place : placed) {
    const TableRow& entry = *place.entry;
    ReleaseRow& row = release.rows.emplace_back();
    row.level = entry.row.level;
    row.operation = entry.row.operation;
    row.country = entry.row.country;
    row.pcode = entry.row.pcode;
    row.name = entry.row.name;
    row.parent = entry.row.parent;
    row.area_path = entry.row.area_path;
    row.round = entry.row.round;
    row.assessment_type = entry.row.assessment_type;
    row.sites = entry.row.sites;
    row.latitude = entry.row.latitude;
    row.longitude = entry.row.longitude;
    row.cells.resize(kept_plans.size());
    for (size_t column_idx = 0; column_idx < kept_plans.size(); ++column_idx) {
      const int slot = layout.SlotOf(kept_plans[column_idx], entry.site);
      if (slot < 0) continue;
      const ReleaseCell& cell = entry.row.cells[slot];
      row.cells[column_idx] = cell;
      if (cell.reason == SuppressionReason::kSmallCell) ++release.small_cells;
      if (cell.reason == SuppressionReason::kComplementary) ++release.complementary;
      if (cell.reason == SuppressionReason::kHomogeneous) ++release.homogeneous;
      if (cell.reason == SuppressionReason::kGate) ++release.gate;
    }
  }
  return release;
}

}  // namespace opendtm::disclosure
