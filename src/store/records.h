// The records the store keeps: operations, admin areas, rounds, the master list
// of sites and its history, ingest batches, submissions, the cleaning log, the
// quarantine, alerts with their status history, admin-level figures, and the
// principals, disclosure policies and audit log of dissemination.
//
// These are plain value types shared by every Store implementation (SQLite,
// later PostgreSQL) and by the layers above it; nothing here knows about SQL.
// Identifiers (`id`) are assigned by the store: leave them 0 when adding a
// record, read them back from the value the store returns.
//
// Dates and times are ISO 8601 text ("2026-03-31", "2026-03-31T10:00:00Z");
// "" means unknown. The store has no clock: callers pass times in.
//
// Thread-safety: value types.
#ifndef OPENDTM_STORE_RECORDS_H_
#define OPENDTM_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opendtm::store {

// A DTM operation, identified by (name, country): real operation names repeat
// across countries ("Countrywide monitoring", "Lake Chad Basin Crisis").
struct Operation {
  int64_t id = 0;
  std::string name;     // verbatim, as the user or the DTM API spells it
  std::string country;  // ISO3, upper case ("NGA")
  std::string region;   // free text ("West and Central Africa"), "" when none
};

// One administrative area of the gazetteer (OCHA COD-AB P-codes).
struct AdminAreaRecord {
  std::string pcode;         // "NG001"
  std::string name;          // "Abia"
  int level = 0;             // 0 country, 1, 2, 3
  std::string parent_pcode;  // at level 1 the country code, as in the OCHA file
  std::string country;       // ISO3
  std::string valid_from;    // ISO date from which the code is valid, "" unknown
};

enum class RoundStatus { kOpen, kClosed, kLocked };

// A round of mobility tracking: (operation, number) with a date window. A
// locked round refuses ingests (its rows are quarantined by ingest).
struct Round {
  int64_t operation_id = 0;
  int number = 0;
  std::string date_from;  // ISO date, "" unknown
  std::string date_to;    // ISO date, "" unknown
  RoundStatus status = RoundStatus::kOpen;
};

// DTM's assessment types. One round can hold both baseline and site figures;
// totals are always per assessment type, never BA + SA.
enum class AssessmentType {
  kSiteAssessment,           // "SA": multi-sectoral location (site) assessment
  kBaselineAssessment,       // "BA": baseline area / sub-area assessment
  kEmergencyEventTracking,   // "ETT": emergency event tracking
};

enum class SiteStatus { kOpen, kClosed, kMerged };

// One site of an operation's master list. Site IDs are stable across rounds.
struct Site {
  int64_t operation_id = 0;
  std::string site_id;  // the SSID, unique within the operation
  std::string name;
  std::string adm1_pcode;
  std::string adm2_pcode;
  std::string adm3_pcode;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string site_type;  // a choice name of the dictionary ("camp", "collective_centre"…)
  SiteStatus status = SiteStatus::kOpen;
  std::string merged_into;  // the site_id it was merged into, when status is kMerged
};

// Why a site changed, recorded with its status history.
struct SiteChangeContext {
  std::optional<int> from_round;  // the round from which the status holds
  std::string date;               // or the date from which it holds ("" unknown)
  std::optional<int64_t> batch_id;  // the ingest batch that changed it, if any
  std::string note;  // what changed it ("sites import master.csv"), kept with each change
  std::string who{};   // who changed it, kept with each field change ("" unknown)
  std::string when{};  // ISO time of the change ("" unknown)
};

// One change of one field of a listed site, kept forever (the table is
// append-only): what `dtm sites history` shows. Fields are named as the
// master list's columns: site_name, adm1_pcode, adm2_pcode, adm3_pcode,
// latitude, longitude, site_type, status, merged_into. A site's creation
// records no field change (its status history has it).
struct SiteFieldChange {
  int64_t id = 0;
  int64_t operation_id = 0;
  std::string site_id;
  std::string field;
  std::string old_value;  // as text; "" blank
  std::string new_value;
  std::string who;
  std::string when;                 // ISO time
  std::optional<int64_t> batch_id;  // the ingest batch that changed it, if any
  std::string source;               // SiteChangeContext::note ("sites import master.csv")
};

// One entry of a site's status history: the site has `status` from
// `from_round` (or `date`) on. The first entry is the status it was created with.
struct SiteStatusChange {
  int64_t id = 0;
  int64_t operation_id = 0;
  std::string site_id;
  SiteStatus status = SiteStatus::kOpen;
  std::string merged_into;
  std::optional<int> from_round;
  std::string date;
  std::optional<int64_t> batch_id;
  std::string note;
};

enum class BatchState { kActive, kUndone };

// One ingest of one source file: the unit of `dtm ingest undo`.
struct Batch {
  int64_t id = 0;
  // The operation and round the file was ingested into; nullopt for a DTM API
  // or HDX file whose records name their own operations and rounds.
  std::optional<int64_t> operation_id;
  std::optional<int> round;
  AssessmentType assessment_type = AssessmentType::kSiteAssessment;
  std::string source_name;    // the file name as given
  std::string source_sha256;  // lower-case hex SHA-256 of the original file's bytes
  std::string created_at;     // ISO time
  std::string who;
  BatchState state = BatchState::kActive;
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
};

enum class SubmissionState { kAccepted, kQuarantined, kReplaced, kUndone };

// One site submission (a site, a round, an assessment type) after cleaning.
struct Submission {
  int64_t id = 0;
  int64_t batch_id = 0;
  int64_t operation_id = 0;
  int round = 0;
  AssessmentType assessment_type = AssessmentType::kSiteAssessment;
  std::string site_id;
  int64_t source_row = 0;         // the source's 1-based line/row
  std::string submission_uuid;    // Kobo/ODK identity of this version, "" when none
  // The submission across its edits (Kobo's meta/rootUuid or _id, as
  // "root:…"/"id:…"), "" when the source has none.
  std::string submission_key;
  std::string submission_time;
  std::string enumerator;
  std::string device;
  SubmissionState state = SubmissionState::kAccepted;
  // The cleaned values by dictionary indicator index (dictionary.indicators()
  // order); "" = blank. pii indicators are never stored and always read back "".
  std::vector<std::string> values;
};

// The source row of a submission or quarantined row as it came (pii cells
// blank), with the source's header row.
struct VerbatimRow {
  std::vector<std::string> header;
  std::vector<std::string> cells;
};

// One line of the cleaning log. The fields are exactly the columns of
// `dtm cleaning-log`: entry_id,batch_id,submission_id,row,column,indicator,
// old_value,new_value,rule,action,who,when.
struct CleaningLogEntry {
  int64_t entry_id = 0;
  std::optional<int64_t> batch_id;       // nullopt for a `dtm correct`
  std::optional<int64_t> submission_id;  // nullopt for a quarantined row or a batch-level entry
  int64_t row = 0;                       // the source's 1-based row, 0 when none
  std::string column;                    // the source column header
  std::string indicator;
  std::string old_value;
  std::string new_value;
  std::string rule;    // a finding rule id (ingest/finding.h), "correct", "undo"
  std::string action;  // "blanked", "normalised", "quarantined", "corrected", "dropped_pii", "reverted"
  std::string who;
  std::string when;    // ISO time
  // Where the batch names none (a batch of admin-level figures spans
  // operations and rounds): the operation and round of the record. Ignored
  // when the submission or the batch names them.
  std::optional<int64_t> operation_id;
  std::optional<int> round;
};

// A source row that was not accepted, with why.
struct QuarantineEntry {
  int64_t id = 0;
  int64_t batch_id = 0;
  int64_t source_row = 0;
  std::string rule;     // "site_id", "site_unknown", "site_duplicate", "round_locked"…
  std::string message;
  std::string site_id;  // as submitted, "" when missing
  std::optional<int> round;
  std::vector<std::string> raw_cells;  // the row as it came, pii cells blank
  // The operation the row belongs to: the batch's, else (admin-level figures)
  // the record's when it names a valid one; nullopt when unknown.
  std::optional<int64_t> operation_id;
  // The quarantined submission stored for the row (site ingests), so that a
  // corrected file that replaces it takes the row out of the quarantine list.
  std::optional<int64_t> submission_id;
};

// Where an alert stands: new until someone acknowledges it (they are following
// it up) or closes it (done, or nothing to do). The only moves are
// new -> acknowledged, new -> closed and acknowledged -> closed.
enum class AlertStatus { kNew, kAcknowledged, kClosed };

// Something an operation must follow up, raised by a batch:
//   - an `urgent` value found on ingest (rule "urgent_alert": unaccompanied and
//     separated children, recruiters at a site): indicator and value say which;
//   - a site whose GBV risk band became very high (rule "risk_very_high",
//     raised after an ingest, see analysis/alerts.h): value is the new band,
//     previous_value the band in previous_round ("" when the site was not
//     reported then), score the site's score.
// Undoing the batch hides the alert. Its status changes are kept as
// AlertEvents; the last one is copied into status_by/status_at/status_note.
struct Alert {
  int64_t id = 0;
  int64_t batch_id = 0;
  int64_t operation_id = 0;
  int round = 0;
  std::string site_id;
  std::string indicator;  // the urgent indicator; "" for a risk alert
  std::string value;
  std::string rule;
  std::string created_at;
  std::string message;                // for people ("Number of unaccompanied…: 3")
  std::optional<int> previous_round;  // risk alerts: the round compared with
  std::string previous_value;         // risk alerts: the band then, "" for a new site
  std::optional<double> score;        // risk alerts: the site's score (0-100)
  // The batch's assessment type (read back; ignored when adding).
  AssessmentType assessment_type = AssessmentType::kSiteAssessment;
  AlertStatus status = AlertStatus::kNew;  // read back; an added alert is new
  std::string status_by;    // who made the last status change, "" while new
  std::string status_at;    // when (ISO time)
  std::string status_note;  // and why
};

// Which alerts Store::Alerts lists. Empty fields do not filter.
struct AlertFilter {
  std::optional<int> round;
  std::vector<AlertStatus> statuses;  // any of these; empty: every status
  std::optional<int64_t> batch_id;    // raised by this batch
};

// One status change of an alert, kept forever (the table is append-only).
struct AlertEvent {
  int64_t id = 0;
  int64_t alert_id = 0;
  AlertStatus from_status = AlertStatus::kNew;
  AlertStatus to_status = AlertStatus::kNew;
  std::string who;
  std::string when;  // ISO time
  std::string note;
};

// One admin-level figure of the DTM API (v3) or HDX's "DTM from API" file,
// stored as it came so that an export can reproduce it exactly. Its identity
// is the full key: admin level, source id, operation, round, reporting date,
// assessment type, admin area, displacement reason, origin admin1.
struct AdminFigure {
  int64_t id = 0;
  int64_t batch_id = 0;
  int64_t operation_id = 0;     // the operation named by the record
  int admin_level = 0;          // 0, 1 or 2
  std::string source_id;        // the record's `id`, "" for admin0
  std::string operation_name;   // the record's `operation`, verbatim
  std::string country_name;     // admin0Name
  std::string country;          // admin0Pcode (ISO3)
  int round = 0;                // roundNumber
  std::string reporting_date;   // verbatim ("2010-11-30T00:00:00")
  std::string assessment_type;  // verbatim ("SA", "BA", "ETT")
  std::string admin1_pcode;
  std::string admin1_name;
  std::string admin2_pcode;
  std::string admin2_name;
  std::string displacement_reason;
  std::string origin_admin1_pcode;  // "Not available" kept verbatim
  std::string origin_admin1_name;
  int64_t num_present_idp_ind = 0;
  std::optional<int64_t> males;    // numberMales, nullopt when null
  std::optional<int64_t> females;  // numberFemales, nullopt when null
  std::string record_json;         // the original record, verbatim
};

// ---- Principals, disclosure policy and the audit log (spec/disclosure.md) ----

// Access tiers, from the least to the most access. What each may see is the
// disclosure layer's business (disclosure/policy.h); the store only keeps them.
enum class Tier { kPublic, kPartner, kProtection, kOperationAdmin };

// An organisation whose users read data: it belongs to one or more
// clusters/sectors ("protection", "gbv", "cccm"…), which usage reports count by.
// Names are unique; revoking keeps the record (the audit log names it).
struct Organisation {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> clusters;  // lower case, in the order given
  std::string created_at;             // ISO time
  std::string revoked_at;             // "" while active
};

// A tier a user holds for one operation.
struct UserTier {
  int64_t operation_id = 0;
  Tier tier = Tier::kPublic;
};

// A person (or a service account) who reads data, in one organisation, with a
// tier per operation (none: public). Names are unique.
struct User {
  int64_t id = 0;
  std::string name;
  int64_t organisation_id = 0;
  std::vector<UserTier> tiers;  // by operation_id
  std::string created_at;
  std::string revoked_at;  // "" while active
};

// A data sharing agreement: what the protection tier requires, checked at
// every access (valid dates inclusive, not revoked).
struct DataSharingAgreement {
  int64_t id = 0;
  std::string reference;  // unique ("DSA-NGA-2026-014")
  int64_t organisation_id = 0;
  std::vector<int64_t> operation_ids;  // ascending
  Tier tier = Tier::kProtection;
  std::string valid_from;  // ISO date
  std::string valid_to;    // ISO date, inclusive
  std::string purpose;
  std::string created_at;
  std::string revoked_at;  // "" while active
};

// One version of an operation's disclosure policy. The rules (tier matrix and
// thresholds) are JSON text written and read by disclosure/policy.h; the store
// keeps every version and never changes one.
struct PolicyVersion {
  int64_t operation_id = 0;
  int version = 0;    // 1, 2, … per operation, assigned by the store
  std::string rules;  // JSON text
  std::string created_at;
  std::string created_by;
  std::string note;
};

// One version of the dictionary an operation's data is read under: what
// decides its classes, quasi-identifiers and tiers (spec/disclosure.md). The
// content is the dictionary's resolved YAML (`extends:` flattened, see
// dictionary/resolved_yaml.h); versions are numbered per operation and never
// changed.
struct OperationDictionary {
  int64_t operation_id = 0;
  int version = 0;                 // 1, 2, … per operation, assigned by the store
  std::string dictionary_version;  // the dictionary's own `version:`, "2026.11.1"
  std::string content;             // resolved YAML
  std::string content_hash;        // hex SHA-256 of content, computed by the store
  std::string registered_at;       // ISO time
  std::string registered_by;
};

// One read of data (or a refusal), as the audit log keeps it. Records are
// numbered 1, 2, … (seq) and chained: prev_hash is the link (hash) of the
// record before ("" for the first); key_id and hash (the record's link, an
// HMAC under that key, or a plain SHA-256 for records from before keys) are
// set by the caller's linker (audit/audit_log.h) when the store appends it.
struct AuditRecord {
  int64_t seq = 0;
  std::string time;  // ISO time
  std::string user;
  std::string organisation;
  std::string clusters;      // comma-separated, as the organisation had them
  std::string tier;          // "public" … "operation_admin", "" when refused before one was known
  int64_t operation_id = 0;  // 0: no single operation
  std::string operation;     // its name and country ("Nigeria NE (NGA)"), "" none
  std::string dataset;       // what was read: "export", "rollup", "risk", "alerts"…
  std::string filters;       // JSON text of the request's filters
  int64_t rows = 0;
  int64_t columns = 0;
  std::string format;        // "csv", "json", "table"…
  std::string content_hash;  // SHA-256 hex of what was returned, "" when refused
  std::string dsa;           // the DSA reference the access relied on, "" none
  std::string purpose;
  std::string outcome;     // "allowed" or "refused"
  std::string reason;      // why refused, "" when allowed
  int policy_version = 0;  // the policy that produced the output, 0 none
  std::string prev_hash;
  std::string hash;
  std::string key_id;  // the audit key that linked the record, "" before keys (migration 10)
  // The operating-system account that ran the command ("" on the server, and
  // before migration 12).
  std::string os_user;
};

// Which audit records Store::AuditLog lists. Empty fields do not filter.
// Times compare as text (ISO): from <= time and time's date <= to.
struct AuditFilter {
  std::optional<int64_t> operation_id;
  std::string from;  // ISO date or time, inclusive
  std::string to;    // ISO date, inclusive (the whole day)
};

// Spellings used in the database, on screen and in files, and back. Parse*
// return nullopt for an unknown word; ParseAssessmentType ignores case.
std::string_view RoundStatusName(RoundStatus status);          // "open", "closed", "locked"
std::string_view AssessmentTypeName(AssessmentType type);      // "SA", "BA", "ETT"
std::string_view AssessmentTypeLongName(AssessmentType type);  // "site assessment"…
std::string_view SiteStatusName(SiteStatus status);            // "open", "closed", "merged"
std::string_view BatchStateName(BatchState state);             // "active", "undone"
std::string_view SubmissionStateName(SubmissionState state);   // "accepted", "quarantined", "replaced", "undone"
std::string_view AlertStatusName(AlertStatus status);          // "new", "acknowledged", "closed"
std::optional<RoundStatus> ParseRoundStatus(std::string_view word);
std::optional<AssessmentType> ParseAssessmentType(std::string_view word);
std::optional<SiteStatus> ParseSiteStatus(std::string_view word);
std::optional<BatchState> ParseBatchState(std::string_view word);
std::optional<SubmissionState> ParseSubmissionState(std::string_view word);
std::optional<AlertStatus> ParseAlertStatus(std::string_view word);
std::string_view TierName(Tier tier);  // "public", "partner", "protection", "operation_admin"
std::optional<Tier> ParseTier(std::string_view word);

}  // namespace opendtm::store

#endif  // OPENDTM_STORE_RECORDS_H_
