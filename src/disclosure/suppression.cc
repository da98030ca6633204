#include "disclosure/suppression.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <tuple>
#include <unordered_map>

#include "disclosure/internal/elimination.h"
#include "disclosure/protection_audit.h"

namespace opendtm::disclosure {
namespace {

// A relation as net coefficients: +1 for the total, -1 per part, summed where
// a figure is listed more than once; figures whose coefficient cancels are
// dropped (they are not involved). Sorted by figure.
using Terms = std::vector<std::pair<uint32_t, int64_t>>;

Terms TermsOf(const Relation& relation) {
  Terms terms;
  terms.reserve(relation.parts.size() + 1);
  terms.emplace_back(static_cast<uint32_t>(relation.total), 1);
  for (size_t part : relation.parts) terms.emplace_back(static_cast<uint32_t>(part), -1);
  std::sort(terms.begin(), terms.end());
  Terms merged;
  for (const auto& [figure, coefficient] : terms) {
    if (!merged.empty() && merged.back().first == figure) {
      merged.back().second += coefficient;
    } else {
      merged.emplace_back(figure, coefficient);
    }
  }
  std::erase_if(merged, [](const auto& term) { return term.second == 0; });
  return merged;
}

std::string FigureList(const std::vector<size_t>& parts) {
  std::string text;
  for (size_t part : parts) {
    if (!text.empty()) text += ", ";
    text += std::to_string(part);
  }
  return text;
}

// Every index in range and every relation holding exactly (blank = 0).
Status CheckRelations(std::span<const Figure> figures, std::span<const Relation> relations) {
  auto value_of = [&](size_t figure) { return figures[figure].blank ? 0 : figures[figure].value; };
  for (size_t relation_idx = 0; relation_idx < relations.size(); ++relation_idx) {
    const Relation& relation = relations[relation_idx];
    const std::string name = "relation " + std::to_string(relation_idx);
    if (relation.total >= figures.size()) {
      return InvalidArgumentError(name + " names figure " + std::to_string(relation.total) +
                                  " as its total; there are " + std::to_string(figures.size()) +
                                  " figures");
    }
    int64_t sum = 0;
    for (size_t part : relation.parts) {
      if (part >= figures.size()) {
        return InvalidArgumentError(name + " names figure " + std::to_string(part) +
                                    " as a part; there are " + std::to_string(figures.size()) +
                                    " figures");
      }
      if (__builtin_add_overflow(sum, value_of(part), &sum)) {
        return InvalidArgumentError(name + ": its parts overflow a 64-bit sum");
      }
    }
    if (sum != value_of(relation.total)) {
      return InvalidArgumentError(
          name + " does not hold: figure " + std::to_string(relation.total) + " is " +
          std::to_string(value_of(relation.total)) + ", its parts (figures " +
          FigureList(relation.parts) + ") add up to " + std::to_string(sum));
    }
  }
  return Status();
}

// Secondary suppression: the loop of suppression.h, step 2. Direct
// derivations (a relation with one suppressed figure) are found and fixed
// through counts kept per relation, without any algebra; what is left (chains
// of relations) is found by exact elimination on each connected component of
// suppressed figures, recomputed only where a figure was suppressed since.
class Complements {
 public:
  Complements(std::span<Figure> figures, std::span<const Relation> relations)
      : figures_(figures),
        terms_(relations.size()),
        is_total_(figures.size(), 0),
        suppressed_in_(relations.size(), 0),
        dirty_(figures.size(), 0) {
    std::vector<uint32_t> starts(figures.size() + 1, 0);
    for (size_t relation_idx = 0; relation_idx < relations.size(); ++relation_idx) {
      terms_[relation_idx] = TermsOf(relations[relation_idx]);
      is_total_[relations[relation_idx].total] = 1;
      for (const auto& term : terms_[relation_idx]) ++starts[term.first + 1];
    }
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    relation_starts_ = starts;
    relations_of_.resize(starts.back());
    for (uint32_t relation_idx = 0; relation_idx < terms_.size(); ++relation_idx) {
      for (const auto& term : terms_[relation_idx]) {
        relations_of_[starts[term.first]++] = relation_idx;
      }
    }
    for (uint32_t relation_idx = 0; relation_idx < terms_.size(); ++relation_idx) {
      for (const auto& term : terms_[relation_idx]) {
        if (Suppressed(term.first)) ++suppressed_in_[relation_idx];
      }
      if (suppressed_in_[relation_idx] == 1) direct_.push(relation_idx);
    }
    for (uint32_t figure = 0; figure < figures_.size(); ++figure) {
      dirty_[figure] = Suppressed(figure);
    }
  }

  void Run() {
    do {
      FixDirectDerivations();
    } while (FixChainedDerivations());
  }

 private:
  bool Suppressed(uint32_t figure) const {
    return figures_[figure].reason != SuppressionReason::kNone;
  }
  // A figure a complement may be taken from: published, and not exempt
  // (public totals and group facts are never suppressed).
  bool Published(uint32_t figure) const {
    return !Suppressed(figure) && !figures_[figure].blank && !figures_[figure].exempt;
  }

  // The order in which candidates are taken: the smallest value above 0
  // (else 0), then a part before a total (a figure that is the total of some
  // relation), then the lowest index.
  bool Better(uint32_t a, uint32_t b) const {
    auto key = [&](uint32_t figure) {
      const int64_t value = figures_[figure].value;
      const uint64_t magnitude = value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : value;
      return std::make_tuple(value > 0 ? 0 : 1, magnitude, is_total_[figure], figure);
    };
    return key(a) < key(b);
  }

  void SuppressAsComplement(uint32_t figure) {
    figures_[figure].reason = SuppressionReason::kComplementary;
    dirty_[figure] = 1;
    for (uint32_t at = relation_starts_[figure]; at < relation_starts_[figure + 1]; ++at) {
      const uint32_t relation_idx = relations_of_[at];
      if (++suppressed_in_[relation_idx] == 1) direct_.push(relation_idx);
    }
  }

  // A relation with one suppressed figure gives it away: suppress the best
  // published figure of that relation. Relations are taken lowest index
  // first. One without a published figure (its others blank) cannot be
  // helped and is left.
  void FixDirectDerivations() {
    while (!direct_.empty()) {
      const uint32_t relation_idx = direct_.top();
      direct_.pop();
      if (suppressed_in_[relation_idx] != 1) continue;
      std::optional<uint32_t> best;
      for (const auto& term : terms_[relation_idx]) {
        if (Published(term.first) && (!best || Better(term.first, *best))) best = term.first;
      }
      if (best) SuppressAsComplement(*best);
    }
  }

  // Exact elimination on every component that changed since it was last
  // checked. A suppressed figure it determines is derived by a combination of
  // relations; the published figures that combination reads (non-zero
  // coefficient) are "the relation that derives it" of suppression.h, and the
  // best of them is suppressed, which breaks that derivation — unless a
  // figure suppressed earlier in this pass already did. Other derivations, if
  // any, are found on the next pass. Returns whether anything was added.
  bool FixChainedDerivations() {
    // 1. Components of suppressed figures linked by relations (union-find).
    const uint32_t count = static_cast<uint32_t>(figures_.size());
    std::vector<uint32_t> root(count);
    std::iota(root.begin(), root.end(), 0);
    auto find = [&](uint32_t figure) {
      while (root[figure] != figure) {
        root[figure] = root[root[figure]];
        figure = root[figure];
      }
      return figure;
    };
    for (const Terms& terms : terms_) {
      std::optional<uint32_t> first;
      for (const auto& term : terms) {
        if (!Suppressed(term.first)) continue;
        if (!first) {
          first = find(term.first);
          continue;
        }
        const uint32_t other = find(term.first);
        if (other != *first) root[std::max(other, *first)] = std::min(other, *first);
        first = find(*first);
      }
    }
    // 2. Members and relations of the components holding a dirty figure.
    std::unordered_map<uint32_t, uint32_t> component_of_root;
    std::vector<std::vector<uint32_t>> members;
    std::vector<uint8_t> component_dirty;
    for (uint32_t figure = 0; figure < count; ++figure) {
      if (!Suppressed(figure)) continue;
      auto [it, added] = component_of_root.try_emplace(find(figure), members.size());
      if (added) {
        members.emplace_back();
        component_dirty.push_back(0);
      }
      members[it->second].push_back(figure);
      component_dirty[it->second] |= dirty_[figure];
    }
    std::vector<std::vector<uint32_t>> relations_in(members.size());
    for (uint32_t relation_idx = 0; relation_idx < terms_.size(); ++relation_idx) {
      for (const auto& term : terms_[relation_idx]) {
        if (!Suppressed(term.first)) continue;
        const uint32_t component = component_of_root.at(find(term.first));
        if (component_dirty[component]) relations_in[component].push_back(relation_idx);
        break;
      }
    }
    // 3. Each dirty component: which members are determined, and through what.
    std::vector<uint32_t> local(count, ~uint32_t{0});
    bool added = false;
    for (size_t component = 0; component < members.size(); ++component) {
      if (!component_dirty[component]) continue;
      const std::vector<uint32_t>& unknowns = members[component];
      for (uint32_t figure : unknowns) dirty_[figure] = 0;
      if (relations_in[component].empty()) continue;
      for (uint32_t local_idx = 0; local_idx < unknowns.size(); ++local_idx) {
        local[unknowns[local_idx]] = local_idx;
      }
      std::vector<uint32_t> knowns;  // by local index - unknowns.size()
      std::vector<internal::Equation> equations;
      equations.reserve(relations_in[component].size());
      for (uint32_t relation_idx : relations_in[component]) {
        internal::Equation& equation = equations.emplace_back();
        for (const auto& [figure, coefficient] : terms_[relation_idx]) {
          if (local[figure] == ~uint32_t{0}) {
            local[figure] = static_cast<uint32_t>(unknowns.size() + knowns.size());
            knowns.push_back(figure);
          }
          equation.terms.emplace_back(local[figure], coefficient);
        }
      }
      const uint32_t unknown_count = static_cast<uint32_t>(unknowns.size());
      const std::vector<uint32_t> determined =
          internal::DeterminedUnknowns(equations, unknown_count);
      if (!determined.empty()) {
        const auto derivations = internal::DerivationKnowns(equations, unknown_count, determined);
        for (size_t target_idx = 0; target_idx < determined.size(); ++target_idx) {
          if (!derivations[target_idx]) continue;  // the null-space test's rare false alarm
          std::optional<uint32_t> best;
          bool broken = false;
          for (uint32_t known : *derivations[target_idx]) {
            const uint32_t figure = knowns[known - unknown_count];
            broken = broken || Suppressed(figure);
            if (Published(figure) && (!best || Better(figure, *best))) best = figure;
          }
          if (broken || !best) continue;
          SuppressAsComplement(*best);
          added = true;
        }
      }
      for (uint32_t figure : unknowns) local[figure] = ~uint32_t{0};
      for (uint32_t figure : knowns) local[figure] = ~uint32_t{0};
    }
    return added;
  }

  std::span<Figure> figures_;
  std::vector<Terms> terms_;
  std::vector<uint8_t> is_total_;          // by figure: the total of some relation
  std::vector<uint32_t> relation_starts_;  // by figure: its range in relations_of_
  std::vector<uint32_t> relations_of_;
  std::vector<uint32_t> suppressed_in_;  // by relation: suppressed figures in it
  std::vector<uint8_t> dirty_;           // suppressed since its component was checked
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> direct_;
};

}  // namespace

Result<SuppressionCounts> Suppress(std::span<Figure> figures, std::span<const Relation> relations,
                                   const TierRules& rules) {
  if (figures.size() >= uint64_t{1} << 32 || relations.size() >= uint64_t{1} << 32) {
    return InvalidArgumentError("more than 2^32 figures or relations in one table");
  }
  RETURN_IF_ERROR(CheckRelations(figures, relations));
  // Blank figures carry no data: they are published blank whatever they came
  // with, so that a relation never hides behind them.
  for (Figure& figure : figures) {
    if (figure.blank) figure.reason = SuppressionReason::kNone;
  }
  SuppressionCounts counts;
  if (!rules.suppressed) return counts;

  // 1. Primary.
  for (Figure& figure : figures) {
    if (figure.blank || figure.reason != SuppressionReason::kNone) continue;
    const bool few_sites = figure.sites_rule && figure.sites < rules.k_sites;
    const bool few_people = figure.people && figure.value > 0 && figure.value < rules.k_people;
    if (few_sites || few_people) figure.reason = SuppressionReason::kSmallCell;
  }

  // 2. Secondary.
  Complements(figures, relations).Run();

  for (const Figure& figure : figures) {
    if (figure.reason == SuppressionReason::kSmallCell) ++counts.primary;
    if (figure.reason == SuppressionReason::kComplementary) ++counts.complementary;
  }
  return counts;
}

bool Protected(SuppressionReason reason) {
  return reason == SuppressionReason::kSmallCell || reason == SuppressionReason::kHomogeneous;
}

int64_t RoundedToBase(int64_t value, int64_t base) {
  if (base <= 1) return value;
  const int64_t magnitude = value < 0 ? -value : value;
  const int64_t rounded = (magnitude + base / 2) / base * base;
  return value < 0 ? -rounded : rounded;
}

namespace {

// Secondary suppression for protection intervals (SuppressProtected, step
// 4): picks the published figure whose suppression gives a failing figure
// slack in the direction it lacks.
class IntervalComplements {
 public:
  IntervalComplements(std::span<Figure> figures, std::span<const Relation> relations,
                      std::span<const Limit> limits)
      : figures_(figures), constraints_of_(figures.size()) {
    for (const Relation& relation : relations) {
      Terms terms = TermsOf(relation);
      Add(std::move(terms), /*limit=*/false);
    }
    for (const Limit& limit : limits) {
      Terms terms;
      for (size_t part : limit.parts) terms.emplace_back(static_cast<uint32_t>(part), 1);
      Add(std::move(terms), /*limit=*/true);
    }
  }

  // Up to `count` figures to suppress for `violation`, best first (empty
  // when none can help): those of a constraint that binds the failing end;
  // else those of a constraint holding the target that can move the way the
  // target needs; taking first one that alone can cover the shortfall, then
  // the smallest value (as tau-ARGUS); else any figure that can move in a
  // constraint of the target's component.
  std::vector<uint32_t> Choose(const ProtectionViolation& violation, size_t count) const {
    const uint32_t target = static_cast<uint32_t>(violation.figure);
    const Figure& failing = figures_[target];
    std::vector<std::tuple<int, int64_t, uint32_t>> ranked;  // (short?, value, figure)
    auto consider = [&](uint32_t figure, int move, int64_t shortfall) {
      const Figure& candidate = figures_[figure];
      const int64_t room = move > 0 ? Room(candidate.ceiling, candidate.value)
                                    : Room(candidate.value, candidate.floor);
      ranked.emplace_back(room < shortfall ? 1 : 0, candidate.value, figure);
    };
    const int64_t high_short =
        violation.above_holds ? 0 : Room(NeededHighOf(failing), violation.max);
    const int64_t low_short = violation.below_holds ? 0 : Room(violation.min, NeededLowOf(failing));
    // 0. A published figure of a constraint that binds the failing end
    // (the audit's dual prices): suppressed, it relaxes that constraint.
    for (size_t constraint_idx : violation.binding) {
      if (constraint_idx >= terms_.size()) continue;
      for (const auto& [figure, coefficient] : terms_[constraint_idx]) {
        if (figure == target || !Candidate(figure)) continue;
        if (CanMove(figure, +1) || CanMove(figure, -1)) {
          consider(figure, CanMove(figure, +1) ? +1 : -1,
                   violation.above_holds ? low_short : high_short);
        }
      }
    }
    // 1. A figure of a constraint holding the target.
    for (uint32_t constraint_idx :
         ranked.empty() ? constraints_of_[target] : std::vector<uint32_t>()) {
      const Terms& terms = terms_[constraint_idx];
      int64_t own = 0;
      for (const auto& [figure, coefficient] : terms) {
        if (figure == target) own = coefficient;
      }
      for (const auto& [figure, coefficient] : terms) {
        if (figure == target || !Candidate(figure)) continue;
        for (int direction : {+1, -1}) {
          if (direction == +1 && violation.above_holds) continue;
          if (direction == -1 && violation.below_holds) continue;
          int move;  // the way `figure` must move for the target to move `direction`
          if (limit_[constraint_idx]) {
            if (direction == -1) continue;  // lowering the target never meets a limit
            move = -1;
          } else {
            move = -direction * (own > 0 ? 1 : -1) * (coefficient > 0 ? 1 : -1);
          }
          if (CanMove(figure, move)) {
            consider(figure, move, direction > 0 ? high_short : low_short);
          }
        }
      }
    }
    // 2. Else any figure that can move, in a constraint of the target's
    // component (suppressed figures linked by constraints).
    if (ranked.empty()) {
      std::vector<uint32_t> queue{target};
      std::vector<uint8_t> seen_figure(figures_.size(), 0);
      std::vector<uint8_t> seen_constraint(terms_.size(), 0);
      seen_figure[target] = 1;
      for (size_t at = 0; at < queue.size() && at < kSearchLimit; ++at) {
        for (uint32_t constraint_idx : constraints_of_[queue[at]]) {
          if (seen_constraint[constraint_idx]) continue;
          seen_constraint[constraint_idx] = 1;
          for (const auto& [figure, coefficient] : terms_[constraint_idx]) {
            if (Candidate(figure) && (CanMove(figure, +1) || CanMove(figure, -1))) {
              ranked.emplace_back(1, figures_[figure].value, figure);
            }
            if (seen_figure[figure] || figures_[figure].reason == SuppressionReason::kNone) {
              continue;
            }
            seen_figure[figure] = 1;
            queue.push_back(figure);
          }
        }
      }
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<uint32_t> chosen;
    for (const auto& [short_of, value, figure] : ranked) {
      if (chosen.size() == count) break;
      if (std::find(chosen.begin(), chosen.end(), figure) == chosen.end()) chosen.push_back(figure);
    }
    return chosen;
  }

 private:
  static constexpr size_t kSearchLimit = 100'000;

  // a - b, saturating at the unbounded ends.
  static int64_t Room(int64_t a, int64_t b) {
    if (a == kUnbounded || b == kNoFloor) return kUnbounded;
    if (a == kNoFloor || b == kUnbounded) return 0;
    int64_t room = 0;
    return __builtin_sub_overflow(a, b, &room) ? kUnbounded : room;
  }
  static int64_t NeededHighOf(const Figure& figure) {
    if (figure.upper_bound == kUnbounded) return figure.value + figure.protection;
    return std::min(figure.upper_bound, figure.value + figure.protection);
  }
  static int64_t NeededLowOf(const Figure& figure) {
    return std::max(figure.lower_bound, figure.value - figure.protection);
  }

  void Add(Terms terms, bool limit) {
    const uint32_t constraint_idx = static_cast<uint32_t>(terms_.size());
    for (const auto& term : terms) constraints_of_[term.first].push_back(constraint_idx);
    terms_.push_back(std::move(terms));
    limit_.push_back(limit ? 1 : 0);
  }

  bool Candidate(uint32_t figure) const {
    const Figure& candidate = figures_[figure];
    return candidate.reason == SuppressionReason::kNone && !candidate.blank && !candidate.exempt;
  }

  // Whether the figure's value leaves room to move that way.
  bool CanMove(uint32_t figure, int move) const {
    const Figure& candidate = figures_[figure];
    return move > 0 ? candidate.value < candidate.ceiling : candidate.value > candidate.floor;
  }

  // Smallest value first (as tau-ARGUS), then the lowest index.
  std::pair<int64_t, uint32_t> Key(uint32_t figure) const {
    return {figures_[figure].value, figure};
  }

  std::span<Figure> figures_;
  std::vector<Terms> terms_;
  std::vector<uint8_t> limit_;
  std::vector<std::vector<uint32_t>> constraints_of_;  // by figure
};

}  // namespace

Result<SuppressionCounts> SuppressProtected(std::span<Figure> figures,
                                            std::span<const Relation> relations,
                                            std::span<const Limit> limits, const TierRules& rules) {
  if (figures.size() >= uint64_t{1} << 31 || relations.size() >= uint64_t{1} << 31) {
    return InvalidArgumentError("more than 2^31 figures or relations in one table");
  }
  RETURN_IF_ERROR(CheckRelations(figures, relations));
  for (const Limit& limit : limits) {
    for (size_t part : limit.parts) {
      if (part >= figures.size()) {
        return InvalidArgumentError("a limit names figure " + std::to_string(part) +
                                    "; there are " + std::to_string(figures.size()) + " figures");
      }
    }
  }
  // 1. Blank and exempt figures are published.
  for (Figure& figure : figures) {
    if (figure.blank || figure.exempt) figure.reason = SuppressionReason::kNone;
  }
  SuppressionCounts counts;
  if (!rules.suppressed) return counts;

  // 2. Primary. A figure given as complementary (another tier's release
  // seeds it) is still primary here when this tier's rule says so, so that
  // it keeps its protection interval.
  for (Figure& figure : figures) {
    if (figure.blank || figure.exempt ||
        (figure.reason != SuppressionReason::kNone &&
         figure.reason != SuppressionReason::kComplementary)) {
      continue;
    }
    const bool few_sites = figure.sites_rule && figure.sites < rules.k_sites;
    const bool few_people = figure.people && figure.value < rules.k_people;
    if (few_sites || few_people) figure.reason = SuppressionReason::kSmallCell;
  }

  // 3. Complements against exact derivation: cheap, and most of what the
  // intervals need.
  Complements(figures, relations).Run();

  // 4. Protection intervals: audit, and suppress for each failing figure,
  // until every one holds. Suppressing a figure only widens what a reader
  // can deduce, so a figure that held keeps holding: only the failing ones
  // are audited again.
  IntervalComplements complements(figures, relations, limits);
  std::unordered_map<size_t, size_t> failures;  // by figure: rounds it failed
  std::vector<uint8_t> check(figures.size(), 0);
  for (size_t figure = 0; figure < figures.size(); ++figure) {
    check[figure] = Protected(figures[figure].reason) ? 1 : 0;
  }
  for (;;) {
    ASSIGN_OR_RETURN(ProtectionAuditReport audit,
                     AuditProtection(figures, relations, limits, check,
                                     AuditOptions{.exact_violations = false}));
    if (audit.violations.empty()) break;
    std::fill(check.begin(), check.end(), 0);
    bool added = false;
    for (const ProtectionViolation& violation : audit.violations) {
      check[violation.figure] = 1;
      // A figure failing again gets twice as many complements at once
      // (1, 2, 4, … 16): each round costs programs over its whole component.
      const size_t round = std::min<size_t>(failures[violation.figure]++, 4);
      const size_t count = size_t{1} << round;
      for (uint32_t complement : complements.Choose(violation, count)) {
        added = true;
        figures[complement].reason = SuppressionReason::kComplementary;
      }
    }
    if (!added) {
      counts.unprotected = static_cast<int64_t>(audit.violations.size());
      break;
    }
  }

  for (const Figure& figure : figures) {
    switch (figure.reason) {
      case SuppressionReason::kSmallCell:
        ++counts.primary;
        break;
      case SuppressionReason::kComplementary:
        ++counts.complementary;
        break;
      case SuppressionReason::kHomogeneous:
        ++counts.homogeneous;
        break;
        break;
      case SuppressionReason::kNone:
        break;
    }
  }
  return counts;
}

}  // namespace opendtm::disclosure
