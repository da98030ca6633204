// Findings: what validation says about submitted values. Findings are data,
// not failures: an ingest that ran and found problems succeeded.
//
// Thread-safety: value types.
#ifndef OPENDTM_INGEST_FINDING_H_
#define OPENDTM_INGEST_FINDING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace opendtm::ingest {

enum class Severity { kInfo, kWarning, kError };

// "info", "warning", "error".
std::string_view SeverityName(Severity severity);

// Rule ids (stable: the cleaning log, feedback reports and tests use them).
namespace rule {
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kChoice = "choice";
inline constexpr std::string_view kChoiceNormalised = "choice_normalised";
inline constexpr std::string_view kRequired = "required";
inline constexpr std::string_view kConstraint = "constraint";
inline constexpr std::string_view kNotRelevant = "not_relevant";
inline constexpr std::string_view kSaddAgeSum = "sadd_age_sum";
inline constexpr std::string_view kSaddSexSum = "sadd_sex_sum";
inline constexpr std::string_view kSaddHhInd = "sadd_hh_ind";
inline constexpr std::string_view kPcodeUnknown = "pcode_unknown";
inline constexpr std::string_view kPcodeLevel = "pcode_level";
inline constexpr std::string_view kPcodeParent = "pcode_parent";
inline constexpr std::string_view kPcodeNotYetValid = "pcode_not_yet_valid";
inline constexpr std::string_view kPcodeResolvedByName = "pcode_resolved_by_name";
// A registered site's row reports an admin P-code other than the master
// list's: the master list's is stored (spec/disclosure.md).
inline constexpr std::string_view kPcodeDiffersFromMasterList = "pcode_differs_from_master_list";
inline constexpr std::string_view kAdminUnresolved = "admin_unresolved";
inline constexpr std::string_view kGpsOutsideCountry = "gps_outside_country";
inline constexpr std::string_view kGpsSwapped = "gps_swapped";
inline constexpr std::string_view kSiteId = "site_id";  // missing or malformed site ID
inline constexpr std::string_view kSiteUnknown = "site_unknown";
// A submission for a site the master list says is closed: stored, flagged.
inline constexpr std::string_view kSiteClosed = "site_closed";
inline constexpr std::string_view kSiteDuplicate = "site_duplicate";
inline constexpr std::string_view kDateAmbiguous = "date_ambiguous";
inline constexpr std::string_view kDateOutsideRound = "date_outside_round";
inline constexpr std::string_view kPopulationChange = "population_change";
inline constexpr std::string_view kOutlierMad = "outlier_mad";
inline constexpr std::string_view kPiiDropped = "pii_dropped";
// A value of an indicator that is not `pii` looks like a phone number or an
// e-mail address (personal_data.h): blanked, never repeated in the finding.
inline constexpr std::string_view kPiiSuspected = "pii_suspected";
inline constexpr std::string_view kUrgentAlert = "urgent_alert";
inline constexpr std::string_view kRoundLocked = "round_locked";
inline constexpr std::string_view kUnmappedColumn = "unmapped_column";
// A new version of a stored Kobo/ODK submission (meta/deprecatedID, or the
// same meta/rootUuid or _id with a new uuid) replaces the stored one.
inline constexpr std::string_view kSubmissionEdited = "submission_edited";
}  // namespace rule

// One finding about one value (or one row when `column` is empty).
struct Finding {
  std::string file;
  int64_t row = 0;        // the source's 1-based line/row
  std::string column;     // the source column's header, "" for a row-level finding
  std::string indicator;  // the dictionary indicator, "" when none
  std::string rule;       // one of rule::k*
  Severity severity = Severity::kWarning;
  std::string message;     // for people: what is wrong, in the field team's words
  std::string value;       // the value as submitted
  std::string suggestion;  // the suggested or applied value, "" when none
};

// "FILE:ROW: COLUMN: RULE: message" (COLUMN omitted for row-level findings).
std::string FormatFinding(const Finding& finding);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_FINDING_H_
