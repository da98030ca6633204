// Store: the only place with durable state.
//
// An abstract interface over the database, so that the embedded default
// (SqliteStore, sqlite_store.h) and a later PostgreSQL implementation are
// interchangeable with no change above this layer: nothing here mentions SQL,
// handles or connections. Every function reports failure as a Status:
//   NotFound            the record does not exist
//   AlreadyExists       a unique record would be created twice
//   InvalidArgument     the record itself is malformed (empty name, bad ISO3…)
//   FailedPrecondition  the database is not in a state to do this (ambiguous
//                       name, batch already undone, database newer than this code)
//   Unavailable         the database is locked by another process for too long
//   DataLoss            stored data is corrupt
//   Internal            anything else (a bug)
//
// Writes are transactional: each call that writes is one transaction, and an
// ingest is one transaction from BeginIngest to IngestTransaction::Commit, so
// that a crash at any point leaves the database as it was before the call.
//
// Thread-safety: implementations are safe to call from several threads; calls
// are serialized. While an IngestTransaction is open, the thread that opened
// it may keep calling the Store (reads see the uncommitted ingest); other
// threads wait until it commits or is destroyed.
#ifndef OPENDTM_STORE_STORE_H_
#define OPENDTM_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace opendtm::store {

// One ingest, as one transaction and one batch. Obtained from
// Store::BeginIngest; nothing it adds is visible to other connections until
// Commit() succeeds. Destroying it without a successful Commit() rolls the
// whole ingest back (the batch row included).
//
// Verbatim copy: every row given to AddSubmission or AddQuarantine, with the
// header given to PutSourceHeader, is kept as the PII-free verbatim copy of the
// source file: CSV text, stored once per distinct content (deduplicated by its
// SHA-256), compressed (zstd; older copies zlib), with each row's offset, so that VerbatimRow can
// give any row back. The original bytes are never stored, because they hold
// pii cells: the caller blanks those cells before handing a row over.
//
// Errors from Add* and the other steps: NotFound and InvalidArgument are found
// before anything is written, and the ingest can go on; after any other error
// the ingest can only be rolled back (Commit fails with FailedPrecondition).
//
// Not thread-safe: use it from the thread that began it. It borrows the Store,
// which must outlive it.
class IngestTransaction {
 public:
  virtual ~IngestTransaction() = default;

  // The id of the batch this ingest writes.
  virtual int64_t batch_id() const = 0;

  // Returns the operation (name, country), creating it when absent (a DTM API
  // record names its own operation) with the default dictionary as version 1
  // of its dictionary (Store::AddOperationDictionary). Errors: InvalidArgument for an empty
  // name or a country that is not three upper-case letters.
  virtual Result<Operation> EnsureOperation(const Operation& operation) = 0;

  // Returns the round (operation_id, number), creating it with `round`'s
  // window and status when absent (an ingest into a new round creates it).
  // Errors: NotFound when the operation does not exist.
  virtual Result<Round> EnsureRound(const Round& round) = 0;

  // As Store::UpsertSite, inside this ingest; `context.batch_id` defaults to
  // this batch.
  virtual Status UpsertSite(const Site& site, const SiteChangeContext& context) = 0;

  // The source's header cells (column names as they came), stored as the first
  // row of the verbatim copy. Call it once, before the first row.
  // Errors: FailedPrecondition when rows were already added.
  virtual Status PutSourceHeader(std::span<const std::string> header) = 0;

  // Stores `submission` (its batch_id is set to this batch) and its cleaned
  // values, and appends `verbatim_cells` (the source row as it came, pii cells
  // already blank) to the verbatim copy. Returns the submission's id.
  // Errors: InvalidArgument when values has more entries than the dictionary
  // has indicators (fewer are read as blank), or when the submission's
  // operation and round are not the batch's.
  virtual Result<int64_t> AddSubmission(const Submission& submission,
                                        std::span<const std::string> verbatim_cells) = 0;

  // Appends a cleaning-log entry; batch_id defaults to this batch, when is
  // required. Returns its entry_id.
  virtual Result<int64_t> AddCleaningLog(const CleaningLogEntry& entry) = 0;

  // Stores a quarantined row (its batch_id is set to this batch); its raw_cells
  // (pii cells blank) go into the verbatim copy, once per source row even when
  // a row is quarantined for several reasons. Returns its id.
  virtual Result<int64_t> AddQuarantine(const QuarantineEntry& entry) = 0;

  // Stores an alert of this batch, with status new (alert.batch_id, status
  // and assessment_type are ignored). An alert that is already listed (same
  // operation, round, assessment type, site, rule and indicator, raised by an
  // active batch, this one included) is not stored twice: returns that
  // alert's id instead. Alerts without a site ID (rows whose ID was missing)
  // cannot be told apart and are all stored.
  virtual Result<int64_t> AddAlert(const Alert& alert) = 0;

  // Stores the alerts the batch raises once its rows are in (risk
  // transitions, found by reading the round back through the Store, whose
  // reads see this ingest), as AddAlert does: an alert already listed is
  // skipped. They become durable with the batch, at Commit. Returns the ids
  // of the alerts stored (not of those skipped), in the order given.
  // Errors: InvalidArgument when an alert is not of the batch's operation
  // (nothing is stored).
  virtual Result<std::vector<int64_t>> AddBatchAlerts(std::span<const Alert> alerts) = 0;

  // Stores an admin-level figure of this batch, as it came. Returns its id.
  // Errors: NotFound when its operation does not exist.
  virtual Result<int64_t> AddAdminFigure(const AdminFigure& figure) = 0;

  // Marks earlier submissions as replaced by this batch (a corrected file);
  // UndoBatch of this batch gives them back their state.
  // Errors: NotFound naming the first id that does not exist.
  virtual Status MarkReplaced(std::span<const int64_t> submission_ids) = 0;

  // The batch's counts, stored with it (rows_read = accepted + quarantined).
  virtual Status SetCounts(int64_t rows_read, int64_t accepted, int64_t quarantined) = 0;

  // Writes the verbatim copy and makes the whole ingest durable. After a
  // failure the transaction is rolled back when the object is destroyed.
  // Errors: FailedPrecondition when already committed; Unavailable / Internal
  // from the database.
  virtual Status Commit() = 0;
};

// A stored submission's cleaned values, read in place one indicator at a
// time without building strings: what analysis loads its columns from.
// Indicators are indexed like the dictionary the store was opened with.
// Valid only during the visit that received it.
class StoredValues {
 public:
  virtual ~StoredValues() = default;
  // True when the indicator has no stored value: blank, pii (never stored),
  // or beyond the dictionary.
  virtual bool IsBlank(int indicator) const = 0;
  // The value as an integer, a number or text (any stored value reads as
  // text; a number stored as text reads as 0). Precondition: !IsBlank.
  virtual int64_t Integer(int indicator) const = 0;
  virtual double Number(int indicator) const = 0;
  virtual std::string_view Text(int indicator) const = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Operations ------------------------------------------------------------

  // Creates an operation, with the default dictionary as version 1 of its
  // dictionary (see AddOperationDictionary); returns it with its id. Errors: InvalidArgument for
  // an empty name or a country that is not three upper-case letters;
  // AlreadyExists when (name, country) exists.
  virtual Result<Operation> CreateOperation(const Operation& operation) = 0;

  // The operation named `name` (verbatim), in `country` when given.
  // Errors: NotFound; FailedPrecondition "ambiguous: name exists in NGA, TCD:
  // pass --country" when no country is given and the name exists in several.
  virtual Result<Operation> FindOperation(std::string_view name,
                                          std::optional<std::string_view> country) = 0;
  // Errors: NotFound.
  virtual Result<Operation> GetOperation(int64_t operation_id) = 0;
  // Every operation, by name then country.
  virtual Result<std::vector<Operation>> ListOperations() = 0;

  // ---- Admin areas -----------------------------------------------------------

  // Inserts or replaces (by P-code) every area, in one transaction.
  virtual Status UpsertAdminAreas(std::span<const AdminAreaRecord> areas) = 0;
  // Errors: NotFound.
  virtual Result<AdminAreaRecord> FindAdminArea(std::string_view pcode) = 0;
  // The areas of `country`, by level then P-code.
  virtual Result<std::vector<AdminAreaRecord>> AdminAreas(std::string_view country) = 0;

  // ---- Rounds ----------------------------------------------------------------

  // Errors: NotFound when the operation does not exist; AlreadyExists.
  virtual Status CreateRound(const Round& round) = 0;
  // Errors: NotFound.
  virtual Result<Round> FindRound(int64_t operation_id, int number) = 0;
  // The operation's rounds by number.
  virtual Result<std::vector<Round>> ListRounds(int64_t operation_id) = 0;
  // Errors: NotFound.
  virtual Status SetRoundStatus(int64_t operation_id, int number, RoundStatus status) = 0;

  // ---- Master list of sites --------------------------------------------------

  // Inserts or updates the site (operation_id, site_id): every field takes
  // `site`'s value (a caller that changes some fields only reads the site
  // first, see FindSite). A new site, and a site whose status (or
  // merged_into) changes, gets a SiteStatusChange with `context`; each field
  // of a listed site whose value changes gets a SiteFieldChange with the old
  // and new value and context's who, when, batch and note, in the same
  // transaction. Errors: NotFound when the operation does not exist;
  // InvalidArgument for an empty site_id.
  virtual Status UpsertSite(const Site& site, const SiteChangeContext& context) = 0;
  // Errors: NotFound.
  virtual Result<Site> FindSite(int64_t operation_id, std::string_view site_id) = 0;
  // The operation's sites by site_id.
  virtual Result<std::vector<Site>> ListSites(int64_t operation_id) = 0;
  // The IDs of the operation's master list (every status), in ID order: what
  // a check of "is this site known" needs, without the rest of each record.
  virtual Result<std::vector<std::string>> SiteIds(int64_t operation_id) = 0;
  // The site's status history, oldest first.
  virtual Result<std::vector<SiteStatusChange>> SiteHistory(int64_t operation_id,
                                                           std::string_view site_id) = 0;
  // The changes of the site's fields, oldest first (empty for a site never
  // changed since it was listed, or not listed).
  virtual Result<std::vector<SiteFieldChange>> SiteFieldChanges(int64_t operation_id,
                                                                std::string_view site_id) = 0;

  // ---- Ingest ----------------------------------------------------------------

  // Starts an ingest: opens the transaction and creates the batch (state
  // active; id, counts and state of `batch` are ignored). The transaction
  // holds the database's write lock from the start: another writer (another
  // process's ingest, correction, alert move) waits until it commits or rolls
  // back, and what the ingest reads through the Store from here on (what is
  // already stored) cannot change before it commits. So the check of what is
  // stored and the write are one unit: two ingests of the same file end as if
  // run one after the other. Errors: NotFound when batch.operation_id names no
  // operation; FailedPrecondition when an ingest is already open on this
  // store; Unavailable when another process holds the database for longer than
  // the busy timeout (minutes: long enough for a large ingest to finish).
  virtual Result<std::unique_ptr<IngestTransaction>> BeginIngest(const Batch& batch) = 0;

  // Takes a whole batch back: the batch becomes undone, its submissions
  // undone, the submissions it replaced get their earlier state back, and one
  // cleaning-log entry (rule "undo", action "reverted") records who and when.
  // Its alerts, quarantine and admin figures stop being listed. The verbatim
  // copy and the cleaning log are kept. Sites the batch registered stay.
  // Errors: NotFound; FailedPrecondition when already undone.
  virtual Status UndoBatch(int64_t batch_id, std::string_view who, std::string_view when) = 0;

  // Errors: NotFound.
  virtual Result<Batch> FindBatch(int64_t batch_id) = 0;
  // Batches of the operation (by operation_id, or holding admin figures or
  // quarantined rows of it), by id.
  virtual Result<std::vector<Batch>> Batches(int64_t operation_id) = 0;

  // ---- Submissions -----------------------------------------------------------

  // The accepted submission of (site, round, assessment type); the newest when
  // several. Errors: NotFound.
  virtual Result<Submission> FindSubmission(int64_t operation_id, std::string_view site_id,
                                            int round, AssessmentType type) = 0;
  // The newest submission of the operation with this Kobo/ODK uuid that is not
  // undone. Errors: NotFound.
  virtual Result<Submission> FindSubmissionByUuid(int64_t operation_id,
                                                  std::string_view submission_uuid) = 0;
  // Errors: NotFound.
  virtual Result<Submission> GetSubmission(int64_t submission_id) = 0;
  // Every submission of the round, whatever its state, by id.
  virtual Result<std::vector<Submission>> Submissions(int64_t operation_id, int round) = 0;
  // As above without the values (`values` empty): the round's identities,
  // states and assessment types, read without touching the value rows.
  virtual Result<std::vector<Submission>> SubmissionIdentities(int64_t operation_id,
                                                               int round) = 0;
  // One indicator's value in each accepted submission of the round and
  // assessment type, as (site ID, value as text, "" when blank), by site ID
  // and oldest submission first within a site (so the newest comes last):
  // what a check against another round needs (population change), read
  // without building whole submissions. Errors: NotFound
  // naming an indicator the store has no column for.
  virtual Result<std::vector<std::pair<std::string, std::string>>> AcceptedValues(
      int64_t operation_id, int round, AssessmentType type, std::string_view indicator) = 0;
  // Calls `visit` with each accepted submission of the operation in rounds
  // [first_round, last_round], ordered by round, assessment type, site ID and
  // id: its identity (`values` left empty) and its values read in place. The
  // reads hold the store: `visit` must not call it. Stops at, and returns,
  // the first error `visit` returns.
  virtual Status VisitAcceptedSubmissions(
      int64_t operation_id, int first_round, int last_round,
      const std::function<Status(const Submission& identity, const StoredValues& values)>&
          visit) = 0;
  // The submission's source row as it came (pii cells blank) and the header.
  // Readable once its ingest has committed. Errors: NotFound; DataLoss when
  // the stored copy does not decompress.
  virtual Result<VerbatimRow> GetVerbatimRow(int64_t submission_id) = 0;

  // Sets one cleaned value of a stored submission and appends `log` (its
  // old_value and new_value filled in, submission_id set) in one transaction;
  // `dtm correct` uses it. Returns the stored log entry. Errors: NotFound for
  // an unknown submission or indicator; InvalidArgument for a pii indicator
  // (pii is never stored).
  virtual Result<CleaningLogEntry> UpdateSubmissionValue(int64_t submission_id,
                                                         std::string_view indicator,
                                                         std::string_view value,
                                                         CleaningLogEntry log) = 0;

  // ---- Cleaning log, quarantine, alerts, admin figures ------------------------

  // Appends an entry outside an ingest. It must name a batch or a submission
  // (the operation and round come from it). Returns its entry_id.
  // Errors: InvalidArgument when it names neither; NotFound when they do not exist.
  virtual Result<int64_t> AppendCleaningLog(const CleaningLogEntry& entry) = 0;
  // Errors: NotFound.
  virtual Result<CleaningLogEntry> FindCleaningLogEntry(int64_t entry_id) = 0;
  // The operation's log (of one round when given), by entry_id.
  virtual Result<std::vector<CleaningLogEntry>> CleaningLog(int64_t operation_id,
                                                            std::optional<int> round) = 0;
  // The quarantined rows of active batches that belong to the operation
  // (every operation when nullopt) and come from one batch when given, by id,
  // with raw cells. A row whose submission a corrected file has replaced is
  // not listed. Admin-level figures are listed under the operation their
  // record names.
  virtual Result<std::vector<QuarantineEntry>> Quarantine(std::optional<int64_t> operation_id,
                                                          std::optional<int64_t> batch_id) = 0;
  // Alerts of active batches that match `filter`, by id. Alerts of undone
  // batches are never listed.
  virtual Result<std::vector<Alert>> Alerts(int64_t operation_id, const AlertFilter& filter) = 0;
  // Stores alerts raised after an ingest (risk transitions), tied to the
  // batch that caused them, with status new, in one transaction. An alert
  // already listed (the key of IngestTransaction::AddAlert) is skipped, so
  // that raising the same alerts again adds nothing. Returns the ids of the
  // alerts it stored (not of those skipped), in the order given. Errors:
  // NotFound when the batch does not exist; FailedPrecondition when it is
  // undone; InvalidArgument when an alert is not of the batch's operation
  // (nothing is stored).
  virtual Result<std::vector<int64_t>> AddAlerts(int64_t batch_id,
                                                 std::span<const Alert> alerts) = 0;
  // Moves an alert of an active batch to `status` (acknowledged or closed),
  // recording who, when and the note on the alert and as an AlertEvent.
  // Returns the alert as it now is. Errors: NotFound when no alert has this
  // id; FailedPrecondition when its batch is undone, or the move is not
  // new -> acknowledged, new -> closed or acknowledged -> closed (the message
  // names the alert, its status and the moves allowed).
  virtual Result<Alert> SetAlertStatus(int64_t alert_id, AlertStatus status, std::string_view who,
                                       std::string_view when, std::string_view note) = 0;
  // One alert by id, of an active or undone batch (its operation_id says
  // whose it is). Errors: NotFound when no alert has this id.
  virtual Result<Alert> FindAlert(int64_t alert_id) = 0;
  // The alert's status changes, oldest first (empty while it is new).
  // Errors: NotFound when no alert has this id.
  virtual Result<std::vector<AlertEvent>> AlertHistory(int64_t alert_id) = 0;
  // Admin figures of active batches, by id.
  virtual Result<std::vector<AdminFigure>> AdminFigures(int64_t operation_id) = 0;

  // ---- Principals (who reads data) -------------------------------------------

  // Adds an organisation; returns it with its id, its clusters trimmed, in
  // lower case and each once (in the order given), active (revoked_at of
  // `organisation` is ignored). Errors: InvalidArgument for an empty name or
  // cluster, or a cluster with a comma (the audit log writes an
  // organisation's clusters comma-separated); AlreadyExists when the name is
  // taken (revoked organisations keep their name).
  virtual Result<Organisation> AddOrganisation(const Organisation& organisation) = 0;
  // Errors: NotFound.
  virtual Result<Organisation> FindOrganisation(std::string_view name) = 0;
  virtual Result<Organisation> GetOrganisation(int64_t organisation_id) = 0;
  // Every organisation (revoked ones too), by name.
  virtual Result<std::vector<Organisation>> ListOrganisations() = 0;
  // Sets revoked_at to `when`. Errors: InvalidArgument for an empty `when`
  // (it would leave the record active); NotFound; FailedPrecondition when
  // already revoked. The same holds for RevokeUser and RevokeDsa.
  virtual Status RevokeOrganisation(std::string_view name, std::string_view when) = 0;

  // Adds a user with its tiers; returns it with its id, its tiers by
  // operation_id, active (revoked_at ignored). Errors:
  // InvalidArgument for an empty name, an operation listed twice;
  // NotFound when the organisation or an operation does not exist;
  // AlreadyExists when the name is taken.
  virtual Result<User> AddUser(const User& user) = 0;
  // Errors: NotFound.
  virtual Result<User> FindUser(std::string_view name) = 0;
  // Every user (revoked ones too), by name.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Sets (or replaces) the user's tier for one operation. Errors: NotFound.
  virtual Status SetUserTier(std::string_view name, const UserTier& tier) = 0;
  // Sets revoked_at, as RevokeOrganisation.
  virtual Status RevokeUser(std::string_view name, std::string_view when) = 0;

  // Adds a data sharing agreement; returns it with its id, its operations
  // ascending and each once, its dates as "YYYY-MM-DD" (core::ParseIsoDate
  // also reads "YYYY-MM-DDT00:00:00"), active (revoked_at ignored). Errors:
  // InvalidArgument for an empty reference, no operation, a valid date that
  // is not an ISO date, or valid_to before valid_from; NotFound for the
  // organisation or an operation; AlreadyExists when the reference is taken.
  virtual Result<DataSharingAgreement> AddDsa(const DataSharingAgreement& dsa) = 0;
  // Errors: NotFound.
  virtual Result<DataSharingAgreement> FindDsa(std::string_view reference) = 0;
  // Every agreement (revoked and expired ones too), by reference.
  virtual Result<std::vector<DataSharingAgreement>> ListDsas() = 0;
  // Sets revoked_at, as RevokeOrganisation.
  virtual Status RevokeDsa(std::string_view reference, std::string_view when) = 0;

  // ---- Disclosure policy -----------------------------------------------------

  // Stores a new version of the operation's policy (version = the last + 1,
  // 1 for the first; `policy.version` is ignored); returns it. Versions are
  // never changed or removed (the table refuses it). Errors: NotFound when
  // the operation does not exist; InvalidArgument for empty rules.
  virtual Result<PolicyVersion> AddPolicyVersion(const PolicyVersion& policy) = 0;
  // The operation's newest version. Errors: NotFound when it has none.
  virtual Result<PolicyVersion> CurrentPolicy(int64_t operation_id) = 0;
  // Every version of the operation's policy, oldest first.
  virtual Result<std::vector<PolicyVersion>> PolicyHistory(int64_t operation_id) = 0;

  // ---- Operation dictionaries ------------------------------------------------

  // Stores a new version of the operation's dictionary (version = the last +
  // 1; content_hash = SHA-256 of content; the caller's values of both are
  // ignored); returns it. Checking that the dictionary may replace the one
  // before (versions only add, no class lowered) is the caller's job.
  // CreateOperation and IngestTransaction::EnsureOperation give a new
  // operation version 1: the default dictionary built into the binary
  // (dictionary/default_dictionary.h), registered by "opendtm". Versions are
  // never changed or removed (the table refuses it). Errors: NotFound when
  // the operation does not exist; InvalidArgument for empty content or
  // dictionary_version.
  virtual Result<OperationDictionary> AddOperationDictionary(
      const OperationDictionary& dictionary) = 0;
  // The operation's newest version. Errors: NotFound when it has none.
  virtual Result<OperationDictionary> CurrentOperationDictionary(int64_t operation_id) = 0;
  // Every version of the operation's dictionary, oldest first.
  virtual Result<std::vector<OperationDictionary>> OperationDictionaryHistory(
      int64_t operation_id) = 0;

  // ---- Audit log ---------------------------------------------------------------

  // Links an audit record to the log inside AppendAudit's transaction: given
  // the record (seq and prev_hash set, hash "") and the log's last record
  // (null when the log is empty), sets the record's key_id and hash (its
  // link; it may also set other fields), or returns an error, and then
  // nothing is stored. Called with the store held: it must not call the store.
  using AuditLinker = std::function<Status(AuditRecord& record, const AuditRecord* previous)>;

  // Appends `record` as the next record of the log, in one transaction: sets
  // seq (the last + 1) and prev_hash (the last record's hash, "" for the
  // first), has `link` set its key_id and hash, then stores it. The table
  // refuses updates and deletes (triggers); audit/audit_log.h verifies the
  // chain for the case where someone removed them. Returns the stored
  // record. The seq, prev_hash and hash the caller set are ignored.
  // Errors: the linker's; InvalidArgument when `link` is empty or leaves the
  // hash "" (nothing is stored).
  virtual Result<AuditRecord> AppendAudit(AuditRecord record, const AuditLinker& link) = 0;
  // The records that match `filter`, by seq: of one operation when given (0:
  // the reads of no single operation), with from <= time (as text) and
  // time's date <= to's date (a time given as `to` counts as its whole day).
  virtual Result<std::vector<AuditRecord>> AuditLog(const AuditFilter& filter) = 0;

  // ---- Maintenance -----------------------------------------------------------

  // OK when the database passes its integrity check; DataLoss with the first
  // problems otherwise.
  virtual Status CheckIntegrity() = 0;
};

}  // namespace opendtm::store

#endif  // OPENDTM_STORE_STORE_H_
