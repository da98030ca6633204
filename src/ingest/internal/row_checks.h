// The rules of SiteValidator (site_validator.h), one named check per rule
// family. Private to the ingest module: callers use SiteValidator.
//
// ValidatorPlan is what SiteValidator::Create prepares once per batch; a
// RowCheck applies the checks to one row. Run() applies every check in the
// order ingest has always used (later checks read what earlier ones cleaned:
// the form logic sees the blanked answers, the SADD sums the typed numbers).
// A correction (SiteValidator::ValidateCorrection) runs the very same checks.
//
// Thread-safety: a ValidatorPlan is immutable once built and may be shared; a
// RowCheck belongs to one thread.
#ifndef OPENDTM_INGEST_INTERNAL_ROW_CHECKS_H_
#define OPENDTM_INGEST_INTERNAL_ROW_CHECKS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "dictionary/dictionary.h"
#include "expr/expression.h"
#include "geo/gazetteer.h"
#include "ingest/choice_matcher.h"
#include "ingest/finding.h"
#include "ingest/mapped_row.h"
#include "ingest/site_validator.h"

namespace opendtm::ingest::internal {

inline constexpr std::array<std::string_view, 5> kAgeBuckets = {"0_1", "1_5", "6_17", "18_59",
                                                                "60plus"};

// What Create prepares for one indicator.
struct IndicatorPlan {
  const dictionary::Indicator* indicator = nullptr;
  std::optional<ChoiceMatcher> matcher;  // select indicators
  std::optional<expr::Expression> relevant;
  std::optional<expr::Expression> required;  // an expression (not "yes")
  std::optional<expr::Expression> constraint;
  bool required_always = false;
  bool pii = false;
  int parent_pcode = -1;  // pcode indicators of level >= 2: the one a level up
};

// The validator's compiled rules and the indices of the structural
// indicators (-1 when the dictionary has none of that name).
struct ValidatorPlan {
  const dictionary::Dictionary* dictionary = nullptr;
  ValidationContext context;
  std::vector<IndicatorPlan> plans;   // by indicator index
  std::vector<int> pcode_indicators;  // by ascending level, so parents come first
  std::vector<int> urgent_indicators;

  int site_id = -1;
  std::array<int, 3> admin_pcodes{-1, -1, -1};  // adm1_pcode .. adm3_pcode
  int survey_date = -1;
  int latitude = -1;
  int longitude = -1;
  int hh_total = -1;
  int ind_total = -1;
  int m_total = -1;
  int f_total = -1;
  std::array<int, kAgeBuckets.size()> m_ages{};
  std::array<int, kAgeBuckets.size()> f_ages{};

  // Admin areas of the context's country by level, then by NormalizeLabel(name).
  std::vector<std::unordered_map<std::string, std::vector<const geo::AdminArea*>>> areas_by_name;

  // The index of the indicator named `name`, -1 when none.
  int IndexOf(std::string_view name) const;
};

// The checks of one row. `plan` and `row` are borrowed for the RowCheck's
// life; `outcome` must be cleared by the caller (SiteValidator::Validate) and
// receives the cleaned values, findings and alerts.
class RowCheck {
 public:
  RowCheck(const ValidatorPlan& plan, const MappedRow& row, RowOutcome& outcome);

  // Every check below, in this order: ReadRow() then JudgeRow().
  void Run();
  // Steps 1-3: the row's identity and each value read as its type. After
  // them, `outcome.cleaned` holds every value as typed, and `outcome.blanked`
  // the values that could not be read.
  void ReadRow();
  // Steps 4-12: the rules over the typed values.
  void JudgeRow();

  // 1. A locked round takes nothing (round_locked, quarantines).
  void CheckRoundLocked();
  // 2. The site ID: present, well formed, in the master list, not closed
  //    (site_id, site_unknown, site_closed).
  void CheckSiteId();
  // 3. Each value read as its type; pii dropped, personal-looking values
  //    blanked, choices matched and normalised, missing-value words empty,
  //    latitude/longitude ranges (pii_dropped, pii_suspected, choice,
  //    choice_normalised, type, date_ambiguous).
  void ReadValues();
  // 4. The survey date, which the admin areas and the round window need.
  void FindSurveyDate();
  // 5. P-codes checked against the gazetteer, names resolved (pcode_*,
  //    admin_unresolved).
  void CheckAdminAreas();
  // 6. A listed site stays in the master list's area
  //    (pcode_differs_from_master_list).
  void KeepMasterListArea();
  // 7. GPS inside the country's box (gps_outside_country, gps_swapped).
  void CheckGps();
  // 8. XLSForm relevance, required and constraints, in dictionary order
  //    (not_relevant, required, constraint).
  void CheckFormLogic();
  // 9. SADD consistency (sadd_age_sum, sadd_sex_sum, sadd_hh_ind).
  void CheckSaddSums();
  // 10. The survey date inside the round's window (date_outside_round).
  void CheckRoundWindow();
  // 11. Urgent indicators (urgent_alert).
  void RaiseUrgentAlerts();
  // 12. With `strict`, any error quarantines.
  void ApplyStrict();

 private:
  std::string_view Raw(int indicator_idx) const;
  Finding Make(int indicator_idx, std::string_view rule_id, Severity severity,
               std::string message) const;
  void Blank(int indicator_idx);
  std::optional<double> NumberOf(int indicator_idx) const;
  void ReadSelectOne(int indicator_idx, std::string_view value);
  void ReadSelectMultiple(int indicator_idx, std::string_view value);
  void ReadDate(int indicator_idx, std::string_view trimmed);
  void ReadGeopoint(int indicator_idx, std::string_view value, std::string_view trimmed);
  void CheckAdminArea(int indicator_idx);
  void CheckSexByAge(const std::array<int, kAgeBuckets.size()>& buckets, int total_idx,
                     std::string_view sex);

  const ValidatorPlan& plan_;
  const dictionary::Dictionary& dictionary_;
  const ValidationContext& context_;
  const MappedRow& row_;
  RowOutcome& outcome_;
  std::vector<std::string>& cleaned_;
  std::vector<char> was_blanked_;
  std::vector<char> looked_personal_;  // values that looked personal: no finding repeats them
  std::optional<core::Date> surveyed_;
};

}  // namespace opendtm::ingest::internal

#endif  // OPENDTM_INGEST_INTERNAL_ROW_CHECKS_H_
