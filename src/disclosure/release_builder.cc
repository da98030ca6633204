#include "disclosure/release_builder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "disclosure/internal/release_layout.h"
#include "disclosure/internal/release_table.h"
#include "disclosure/internal/table_gate.h"
#include "disclosure/internal/table_suppression.h"
#include "disclosure/protection_audit.h"
#include "disclosure/suppression.h"

namespace opendtm::disclosure {
namespace {

using analysis::Column;
using analysis::Frame;
using analysis::Level;
using dictionary::Dictionary;
using dictionary::Indicator;
using internal::Layout;
using internal::Seeds;
using internal::Table;
using internal::TableRow;

// Admin levels, finest first.
constexpr std::array<Level, 4> kAdminLevels = {Level::kAdmin3, Level::kAdmin2, Level::kAdmin1,
                                               Level::kCountry};

// One tier's tables of the frames, suppressed when its rules say so.
struct TierTables {
  Layout layout;
  std::vector<Level> admin_levels;
  std::vector<Table> tables;
  int64_t unprotected = 0;
};

// Steps 2-4 for `tier`: columns, rows at every level it sees, suppression
// (seeded with the suppressed cells of `seed_from`'s tables, one per frame,
// when given), audited into `audit` when not null.
Result<TierTables> BuildTierTables(std::span<const analysis::Frame> frames,
                                   const dictionary::Dictionary& dictionary,
                                   const ReleaseRequest& request, Tier tier,
                                   const TierTables* seed_from, ProtectionAuditReport* audit) {
  const TierRules& rules = request.policy.For(tier);
  TierTables built;
  built.layout = internal::PlanColumns(dictionary, rules);
  for (Level level : kAdminLevels) {
    if (LevelVisible(rules, level)) built.admin_levels.push_back(level);
  }
  built.tables.reserve(frames.size());
  for (const Frame& frame : frames) {
    ASSIGN_OR_RETURN(Table table,
                     internal::BuildTable(frame, dictionary, built.layout, built.admin_levels,
                                          rules.site_rows, request));
    built.tables.push_back(std::move(table));
  }
  if (!rules.suppressed) return built;
  // Site rows below protection go through the microdata gate (step 5), which
  // withholds the admin3 rows of some admin2s. Tables are independent: they
  // are suppressed on up to request.threads threads, each into its own
  // audit, merged in table order.
  const bool gated = rules.site_rows && (tier == Tier::kPublic || tier == Tier::kPartner);
  const size_t count = built.tables.size();
  std::vector<Status> statuses(count);
  std::vector<ProtectionAuditReport> audits(audit != nullptr ? count : 0);
  std::vector<int64_t> unprotected(count, 0);
  auto suppress = [&](size_t table_idx) {
    Table& table = built.tables[table_idx];
    std::optional<Seeds> seeds;
    if (seed_from != nullptr) {
      seeds =
          internal::SeedsFrom(seed_from->tables[table_idx], seed_from->layout, table, built.layout);
    }
    const Seeds* seeded = seeds ? &*seeds : nullptr;
    ProtectionAuditReport* table_audit = audit != nullptr ? &audits[table_idx] : nullptr;
    Result<SuppressionCounts> counts =
        gated ? internal::SuppressWithGate(table, built.layout, rules, seeded, table_audit)
              : internal::SuppressTable(table, built.layout, rules, seeded, table_audit);
    if (!counts.ok()) {
      statuses[table_idx] = counts.status();
      return;
    }
    unprotected[table_idx] = counts->unprotected;
  };
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t table_idx = next++; table_idx < count; table_idx = next++) suppress(table_idx);
  };
  const size_t workers = std::min<size_t>(std::max(1u, request.threads), count);
  std::vector<std::thread> pool;
  for (size_t worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  for (size_t table_idx = 0; table_idx < count; ++table_idx) {
    RETURN_IF_ERROR(statuses[table_idx]);
    built.unprotected += unprotected[table_idx];
    if (audit != nullptr) MergeAudit(*audit, std::move(audits[table_idx]));
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
        internal::SeedsFrom(partner.tables[table_idx], partner.layout, table, open.layout);
    for (size_t row_idx = 0; row_idx < table.size(); ++row_idx) {
      for (size_t slot = 0; slot < suppressed[row_idx].size(); ++slot) {
        const ReleaseCell& cell = table[row_idx].row.cells[slot];
        if (suppressed[row_idx][slot] == SuppressionReason::kNone ||
            cell.state != CellState::kValue) {
          continue;
        }
        ProtectionViolation violation;
        violation.cell =
            internal::CellName(table[row_idx],
                               open.layout.plans[open.layout.area_plans[slot]].column) +
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
    if (column.kind != internal::ExpectedKind(indicators[indicator_idx], dictionary) || !sized) {
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
    const std::vector<size_t> quasi_identifier_slots = internal::QuasiIdentifierSlots(layout);
    if (std::any_of(tables.begin(), tables.end(), internal::RecordsAdmin3)) {
      report.quasi_identifiers.emplace_back(analysis::LevelIndicator(Level::kAdmin3));
    }
    for (size_t slot : quasi_identifier_slots) {
      report.quasi_identifiers.push_back(layout.plans[layout.site_plans[slot]].column.name);
    }
    for (Table& table : tables)
      internal::GateTable(table, rules.k_anonymity, quasi_identifier_slots, report);
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
      if (!std::binary_search(asked.begin(), asked.end(), entry.row.level)) continue;
      if (entry.withheld) {
        ++release.admin3_withheld;
        continue;
      }
      placed.push_back({&entry, placed.size()});
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
    }
  }
  return release;
}

}  // namespace opendtm::disclosure
