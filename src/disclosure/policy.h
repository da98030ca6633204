// Disclosure policy: what each access tier may see, and the thresholds of its
// small-cell suppression (spec/disclosure.md, "Tiers" and "Suppression").
//
// A policy is per operation and versioned: the store keeps every version
// (store::PolicyVersion, rules as JSON text); an operation without a stored
// version uses DefaultPolicy() (version 0, the spec's matrix and thresholds).
// Every output records the version that produced it.
//
// The default matrix:
//   tier             site rows               site sensitive   finest aggregate  suppressed
//   public           none                    no               admin2            yes
//   partner          public-class values     no               admin3            yes
//   protection       every stored value      yes              admin3            no
//   operation_admin  every stored value      yes              admin3            no
// with k_sites 3, k_people 5, n_group 10, no rounding, k-anonymity 3 for
// public and partner. pii is never stored, so never shown.
//
// Thread-safety: value types and pure functions.
#ifndef OPENDTM_DISCLOSURE_POLICY_H_
#define OPENDTM_DISCLOSURE_POLICY_H_

#include <array>
#include <string>
#include <string_view>

#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/indicator.h"
#include "store/records.h"

namespace opendtm::disclosure {

using store::Tier;

// What one tier may see, and how its figures are protected.
struct TierRules {
  Tier tier = Tier::kPublic;
  // Site rows: none, or only public-class values, or every stored value
  // (sensitive and urgent ones and the site's risk score too).
  bool site_rows = false;
  bool site_sensitive = false;
  // The finest admin level of aggregates it may see (kAdmin3 … kCountry).
  analysis::Level finest_aggregate = analysis::Level::kAdmin2;
  // Small-cell suppression (primary and complementary) applies.
  bool suppressed = true;
  int k_sites = 3;        // aggregates over fewer sites are suppressed
  int k_people = 5;       // people counts below this (and above 0) are suppressed
  int rounding_base = 0;  // published people counts rounded to this base; 0 or 1: none
  int k_anonymity = 3;    // microdata gate for site rows
  // An area with at least this many sites may publish a group fact (none or
  // all of its answered sites gave an answer) even for a sensitive
  // indicator; below it, a distribution whose sites all share one answer is
  // suppressed (homogeneity).
  int n_group = 10;
};

struct Policy {
  int version = 0;                 // 0: the built-in default, not stored
  std::array<TierRules, 4> tiers;  // indexed by static_cast<int>(Tier)

  const TierRules& For(Tier tier) const { return tiers[static_cast<int>(tier)]; }
  TierRules& For(Tier tier) { return tiers[static_cast<int>(tier)]; }
};

// The spec's matrix and thresholds, version 0.
Policy DefaultPolicy();

// The rules as JSON text (what the store keeps), and back. ParsePolicy
// starts from DefaultPolicy() and reads the tiers the text has. Errors:
// InvalidArgument naming the tier and field (unknown tier or field, a
// threshold below 1, rounding below 0, a level that is not admin3…country,
// or a public threshold — k_sites, k_people, n_group, k_anonymity — lower
// than partner's: a partner also reads the public release).
std::string PolicyJson(const Policy& policy);
Result<Policy> ParsePolicy(std::string_view json, int version);

// True when `tier` may see the values of an indicator of class
// `dissemination_class` on site rows (pii: never).
bool SiteValueVisible(const TierRules& rules, dictionary::DisseminationClass dissemination_class);

// True when `tier` may see aggregates at `level` (kSite: site rows).
bool LevelVisible(const TierRules& rules, analysis::Level level);

}  // namespace opendtm::disclosure

#endif  // OPENDTM_DISCLOSURE_POLICY_H_
