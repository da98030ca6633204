// The columns of a release (release_builder.h, step 2): for each column a
// tier may see, where it is filled (area rows, site rows), whether it takes
// part in suppression, and what a reader knows of it a priori. Private to
// the disclosure module.
//
// Thread-safety: pure functions; a Layout is read-only once planned.
#ifndef OPENDTM_DISCLOSURE_INTERNAL_RELEASE_LAYOUT_H_
#define OPENDTM_DISCLOSURE_INTERNAL_RELEASE_LAYOUT_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/frame.h"
#include "dictionary/dictionary.h"
#include "disclosure/policy.h"
#include "disclosure/release.h"

namespace opendtm::disclosure::internal {

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

// The column kind LoadFrames gives an indicator (analysis/frame.h).
analysis::ColumnKind ExpectedKind(const dictionary::Indicator& indicator,
                                  const dictionary::Dictionary& dictionary);

// The columns `rules`' tier may see of `dictionary`'s indicators (PII and
// row identity left out), with their area and site slots.
Layout PlanColumns(const dictionary::Dictionary& dictionary, const TierRules& rules);

}  // namespace opendtm::disclosure::internal

#endif  // OPENDTM_DISCLOSURE_INTERNAL_RELEASE_LAYOUT_H_
