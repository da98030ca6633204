// SiteValidator: checks one mapped site submission against the dictionary and
// the operation's reference data, and says what to store, what to log and
// whether to quarantine.
//
// Every problem is a Finding (finding.h), never a failure. What quarantines a
// row (issue 3, "Validation"):
//   - a missing or malformed site ID              `site_id`       (error)
//   - a site not in the master list               `site_unknown`  (error; with
//     register_new_sites an info finding and RowOutcome::new_site instead)
//   - a locked round                              `round_locked`  (error)
//   - a duplicate of a site in the round          `site_duplicate` (batch_checks.h)
//   - with `strict`, any error-severity finding.
// Every other bad value is blanked in RowOutcome::cleaned, with its finding,
// and the row is accepted. The rules, per cell or per row:
//
//   rule                   severity  effect
//   type                   error     blanked: not an integer/decimal/date/P-code
//                                    text, or latitude/longitude out of range
//   choice                 error     blanked; suggestion = closest code
//   choice_normalised      info      cleaned = the code (suggestion = the code)
//   date_ambiguous         warning   blanked: the column's day/month order is
//                                    undecided and the value reads two ways
//   required               error     (the value is empty already)
//   constraint             error     blanked; message = the dictionary's
//                                    English constraint_message when present
//   not_relevant           warning   blanked: answered where `relevant` is false
//   site_closed            warning   kept: the master list says the site is
//                                    closed (store::SiteStatus::kClosed)
//   pcode_unknown          error     blanked
//   pcode_level            error     blanked: a P-code of another admin level
//   pcode_parent           error     blanked: its parent is not the row's
//                                    P-code one level up
//   pcode_not_yet_valid    warning   kept: valid_from is after the survey date
//   pcode_resolved_by_name info      cleaned = the P-code found by name
//   admin_unresolved       info      kept by name (RowOutcome::admin_by_name)
//   pcode_differs_from_master_list
//                          warning   cleaned = the master list's adm1..adm3
//                                    P-code (store/site_area.h) for a site the
//                                    master list has: a round never moves a
//                                    site; suggestion = the master list's
//   gps_outside_country    error     latitude and longitude blanked
//   gps_swapped            error     both blanked (never swapped automatically);
//                                    suggestion = "lat lon" swapped
//   sadd_age_sum           warning   kept; one finding per sex
//   sadd_sex_sum           warning   kept
//   sadd_hh_ind            warning   kept
//   date_outside_round     warning   kept
//   pii_dropped            info      a `pii` cell: never in cleaned, and the
//                                    finding never carries the value
//   pii_suspected          warning   blanked: a value of another indicator
//                                    (site_id excepted) looks like a phone
//                                    number or an e-mail (personal_data.h);
//                                    no finding of the row carries the value
//   urgent_alert           warning   an `urgent` indicator > 0 or "yes": alert
//
// Structural indicators are found by name (the dictionary's own rule: site_id,
// round, survey_date, *adm<L>_pcode, latitude, longitude and the SADD cells
// hh_total, ind_total, m_total, f_total, m_0_1 … f_60plus); a dictionary
// without one of them simply skips the rules that need it.
//
// Normalised forms in `cleaned`: integers and decimals without thousands
// separators ("12,419" -> "12419"), dates ISO ("21/5/15" -> "2015-05-21"),
// choice codes (select_multiple: space-separated), P-codes as in the gazetteer,
// text trimmed. A missing-value word ("no answer", "n/a", "-") is empty.
//
// Each rule family is one named check (internal/row_checks.h); Validate runs
// them all, and so does ValidateCorrection, so that a correction is judged by
// exactly the rules of an ingest.
//
// Thread-safety: immutable after Create; Validate may run on many threads.
#ifndef OPENDTM_INGEST_SITE_VALIDATOR_H_
#define OPENDTM_INGEST_SITE_VALIDATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/text.h"
#include "dictionary/dictionary.h"
#include "geo/country_extent.h"
#include "geo/gazetteer.h"
#include "ingest/finding.h"
#include "ingest/mapped_row.h"
#include "store/records.h"

namespace opendtm::ingest {

// Per date indicator, the day/month order of its column (by indicator index;
// kNotNeeded for other indicators), decided from the whole column beforehand.
using DateOrders = std::vector<core::DateOrder>;

// Decides the date orders of a batch in one streaming pass, without keeping
// the values: Add every row, then Result(). For each date indicator the
// decision is core::InferDateOrder's over the whole column.
//
// Thread-safety: one thread at a time. `dictionary` is only read by the
// constructor; rows must be indexed like it.
class DateOrderAccumulator {
 public:
  explicit DateOrderAccumulator(const dictionary::Dictionary& dictionary);

  // Counts the row's date values.
  void Add(const MappedRow& row);
  // The date indicators it counts (indices).
  const std::vector<int>& date_indicators() const { return date_indicators_; }

  // By indicator index: what the column's values prove (counts and examples
  // as core::InferDateOrder gives them; default for non-date indicators).
  std::vector<core::DateColumnInference> Inferences() const;
  // By indicator index: the decided orders (Inferences()[i].order).
  DateOrders Result() const;

 private:
  std::vector<int> date_indicators_;
  std::vector<core::DateColumnInference> inferences_;  // by indicator index
};

// The same over rows held in memory.
DateOrders InferDateOrders(const dictionary::Dictionary& dictionary,
                           std::span<const MappedRow> rows);

// What the validator knows about the batch's operation and round. Pointers are
// borrowed and must outlive the SiteValidator.
struct ValidationContext {
  std::string file;                            // the source's name, for findings
  std::string country;                         // the operation's ISO3, e.g. "NPL" (case ignored)
  const geo::CountryExtent* extent = nullptr;  // the country's box; null: no GPS box check
  const geo::Gazetteer* gazetteer = nullptr;   // null: admin values kept as given, unchecked
  // The operation's master list of site IDs.
  std::unordered_set<std::string, core::StringHash, std::equal_to<>> known_site_ids;
  // The master list's records by site ID, for their area: a listed site's
  // row is stored in the master list's area (pcode_differs_from_master_list).
  // Empty: areas are kept as reported.
  std::unordered_map<std::string, store::Site, core::StringHash, std::equal_to<>> master_sites;
  std::optional<core::Date> round_from;  // the round's window, each end optional
  std::optional<core::Date> round_to;
  bool round_locked = false;
  bool register_new_sites = false;
  bool strict = false;
  DateOrders date_orders;  // by indicator index; absent entries are kNotNeeded
  // The caller's today, for today() in constraints. The default puts nothing
  // in the future.
  core::Date today{9999, 12, 31};
};

// An alert raised by an `urgent` indicator (unaccompanied children, recruiters).
// Alerts are raised whether or not the row is quarantined: a child protection
// follow-up must not wait for a site ID to be corrected.
struct Alert {
  int indicator = -1;
  std::string value;  // the cleaned value
  std::string message;
};

// What validation decided about one row.
struct RowOutcome {
  int64_t line = 0;
  std::string site_id;  // trimmed; "" when missing
  // By indicator index: the value to store, normalised; "" when absent, blanked
  // or pii.
  std::vector<std::string> cleaned;
  std::vector<Finding> findings;
  bool quarantined = false;
  int quarantine_finding = -1;  // index in `findings` of the finding that quarantined
  bool new_site = false;        // not in the master list, registered (register_new_sites)
  std::vector<Alert> alerts;
  std::vector<int> blanked;        // indicators whose submitted value was blanked
  std::vector<int> pii_dropped;    // pii indicators that had a value (blank them in
                                   // the verbatim copy too)
  std::vector<int> pii_suspected;  // indicators whose value looked personal (blanked;
                                   // blank them in the verbatim copy too)
  std::vector<int> admin_by_name;  // admin indicators whose cleaned value is a name
  int exact_choice_matches = 0;    // choice answers matched exactly (silently)

  // Appends `finding`; a quarantining one sets quarantined/quarantine_finding
  // unless the row is already quarantined.
  void AddFinding(Finding finding, bool quarantines = false);
};

// What correcting one stored value would do, judged by the rules of ingest
// (SiteValidator::ValidateCorrection).
struct CorrectionOutcome {
  // The value as ingest would store it: normalised ("1,200" -> "1200", a
  // choice's label -> its code, an area's name -> its P-code); "" for an
  // empty value or a missing-value word ("n/a"). When `broken` is not empty,
  // the value as read, before the rule that would blank or replace it: what a
  // forced correction stores.
  std::string value;
  // False when the value cannot be read as the indicator's type at all (a
  // `type`, `choice`, `date_ambiguous` or `pii_suspected` finding about it):
  // such a value cannot be stored, not even by a forced correction.
  bool readable = true;
  // The warnings and errors the correction brings, each naming its rule and
  // indicator: every one about the corrected field, and every other one the
  // stored record did not have (a SADD sum, another question's relevance or
  // constraint). Not empty: the correction is refused unless forced.
  std::vector<Finding> broken;
  // Info findings about the field (choice_normalised, pcode_resolved_by_name…).
  std::vector<Finding> notes;
};

class SiteValidator {
 public:
  // Builds the validator for one batch: compiles every required, relevant and
  // constraint expression once, builds the choice matchers and the admin name
  // index. `dictionary` (and the context's pointers) must outlive the result.
  // Errors: InvalidArgument when an expression does not compile (a dictionary
  // that was loaded by the loader always compiles).
  static Result<SiteValidator> Create(const dictionary::Dictionary& dictionary,
                                      ValidationContext context);

  SiteValidator(SiteValidator&&) noexcept;
  SiteValidator& operator=(SiteValidator&&) noexcept;
  ~SiteValidator();

  // Validates one row (values indexed like dictionary.indicators()). Never
  // fails: problems are findings in the outcome.
  RowOutcome Validate(const MappedRow& row) const;
  // The same, reusing `outcome`'s storage (it is cleared first).
  void Validate(const MappedRow& row, RowOutcome& outcome) const;

  // Validates the stored record `stored` (cleaned values by indicator index,
  // as store::Submission::values) with the value of indicator `indicator`
  // replaced by `value` as submitted, through the very checks of Validate,
  // and compares with the stored record as it is. `line` is the findings'
  // row (the submission's source row). The context should know the record's
  // site (known_site_ids, master_sites) and leave round_locked and strict
  // false. An indicator out of range reads as not readable. Never fails.
  CorrectionOutcome ValidateCorrection(std::span<const std::string> stored, int indicator,
                                       std::string_view value, int64_t line) const;

  const ValidationContext& context() const;

 private:
  struct State;
  explicit SiteValidator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_SITE_VALIDATOR_H_
