// SqliteStore: the embedded Store, one SQLite file per installation (the
// default `./opendtm.db`), big enough for a whole country operation.
//
// Connection. One connection per SqliteStore, opened with WAL journaling,
// `synchronous=NORMAL` (durable at each checkpoint, never corrupt on a crash),
// foreign keys on and a busy timeout of kBusyTimeoutMs. Every statement is prepared once and
// cached for the connection's life; rows are bound, never formatted into SQL.
//
// One writer. SQLite allows one writer per database file; within a process the
// store serializes every call on one recursive mutex (a member, not a global),
// and across processes SQLite's file lock plus the busy timeout does the rest:
// every write transaction takes the write lock when it begins (BEGIN
// IMMEDIATE), so a second writer (a second `dtm ingest` of the same file)
// waits for the first to commit and then reads what it stored; after
// kBusyTimeoutMs it gives up with Unavailable.
// An open IngestTransaction holds the mutex until it commits or is destroyed:
// its own thread may keep calling the store, other threads wait.
//
// Schema. Ordered migrations (store/internal/schema.h) recorded in the table
// `schema_version`; Open creates a new database or migrates an old one, and
// refuses one newer than this code (FailedPrecondition).
//
// Values: one wide row per submission. Since migration 6 each row of
// `submissions` holds the submission's own columns (identity, state, verbatim
// offset) followed by one column per non-pii dictionary indicator, named after
// the indicator (NAME_value where NAME is one of the submission's own columns:
// the indicators site_id and round) and typed after it:
//   integer                      INTEGER
//   decimal                      REAL
//   everything else              TEXT   (select_multiple: space-separated codes;
//                                        geopoint: "lat lon"; dates: ISO text)
// Blank values are NULL. BI tools (Superset, Power BI, QGIS) read it directly,
// or through the view `v_site_values`, which names each value after its
// indicator and adds the operation's name and country.
// pii indicators get no column at all: pii is never stored.
//
// Why wide, and why one table: DTM's rule that indicators are only ever added
// means the schema only ever gains columns; one row per site-round is what
// analysts expect; and an ingest writes one row per submission (the values
// used to have a table of their own, a second insert per row that cost about
// as much as the first; see bench/README.md). Open adds the columns of
// indicators the dictionary gained (ALTER TABLE ADD COLUMN, recorded in
// `indicator_columns` with their type), and refuses a dictionary that retyped
// a column or turned an indicator with a column into pii (FailedPrecondition),
// or an indicator named NAME_value for a submission column NAME
// (InvalidArgument). Columns of indicators a (older) dictionary lacks are kept
// and read as nothing. Debian's SQLite caps a table at 2,000 columns: beyond
// kMaxValueColumns indicators Open fails with ResourceExhausted.
//
// Thread-safety: thread-safe (see "One writer").
#ifndef OPENDTM_STORE_SQLITE_STORE_H_
#define OPENDTM_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dictionary/dictionary.h"
#include "store/store.h"

struct sqlite3;

namespace opendtm::store {

namespace internal {
class StatementCache;
class StatementUse;
}  // namespace internal

class SqliteIngestTransaction;

class SqliteStore final : public Store {
 public:
  // Indicator columns allowed in submissions (SQLite's cap is 2,000 columns;
  // the rest is headroom for the submission's own columns).
  static constexpr int kMaxValueColumns = 1900;
  // How long a writer waits for another connection's write lock before
  // Unavailable: 10 minutes, ten times a million-row ingest on a laptop.
  static constexpr int kBusyTimeoutMs = 10 * 60 * 1000;
  // The first parameter of the submission insert that binds a value (1-14
  // bind the submission's identity).
  static constexpr int kFirstValueParameter = 15;
  // The first column of a submission query (kSubmissionColumns, then the
  // values) that holds a value.
  static constexpr int kFirstValueColumn = 13;

  // Opens the database at `path` (":memory:" for a private in-memory one),
  // creating it or migrating it, and adds the value columns `dictionary`
  // needs. The dictionary is copied as far as the store needs it; it need not
  // outlive the call. Errors: Unavailable when the file cannot be opened or is
  // locked; DataLoss when it is not a database; FailedPrecondition when it is
  // newer than this code or the dictionary breaks the add-only rule;
  // ResourceExhausted beyond kMaxValueColumns indicators; InvalidArgument for
  // an indicator name that cannot be a column.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const dictionary::Dictionary& dictionary);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The schema version of the open database (the newest migration applied).
  Result<int> SchemaVersion();

  Result<Operation> CreateOperation(const Operation& operation) override;
  Result<Operation> FindOperation(std::string_view name,
                                  std::optional<std::string_view> country) override;
  Result<Operation> GetOperation(int64_t operation_id) override;
  Result<std::vector<Operation>> ListOperations() override;

  Status UpsertAdminAreas(std::span<const AdminAreaRecord> areas) override;
  Result<AdminAreaRecord> FindAdminArea(std::string_view pcode) override;
  Result<std::vector<AdminAreaRecord>> AdminAreas(std::string_view country) override;

  Status CreateRound(const Round& round) override;
  Result<Round> FindRound(int64_t operation_id, int number) override;
  Result<std::vector<Round>> ListRounds(int64_t operation_id) override;
  Status SetRoundStatus(int64_t operation_id, int number, RoundStatus status) override;

  Status UpsertSite(const Site& site, const SiteChangeContext& context) override;
  Result<Site> FindSite(int64_t operation_id, std::string_view site_id) override;
  Result<std::vector<Site>> ListSites(int64_t operation_id) override;
  Result<std::vector<std::string>> SiteIds(int64_t operation_id) override;
  Result<std::vector<SiteStatusChange>> SiteHistory(int64_t operation_id,
                                                   std::string_view site_id) override;
  Result<std::vector<SiteFieldChange>> SiteFieldChanges(int64_t operation_id,
                                                        std::string_view site_id) override;

  Result<std::unique_ptr<IngestTransaction>> BeginIngest(const Batch& batch) override;
  Status UndoBatch(int64_t batch_id, std::string_view who, std::string_view when) override;
  Result<Batch> FindBatch(int64_t batch_id) override;
  Result<std::vector<Batch>> Batches(int64_t operation_id) override;

  Result<Submission> FindSubmission(int64_t operation_id, std::string_view site_id, int round,
                                    AssessmentType type) override;
  Result<Submission> FindSubmissionByUuid(int64_t operation_id,
                                          std::string_view submission_uuid) override;
  Result<Submission> GetSubmission(int64_t submission_id) override;
  Result<std::vector<Submission>> Submissions(int64_t operation_id, int round) override;
  Result<std::vector<Submission>> SubmissionIdentities(int64_t operation_id, int round) override;
  Status VisitAcceptedSubmissions(
      int64_t operation_id, int first_round, int last_round,
      const std::function<Status(const Submission& identity, const StoredValues& values)>&
          visit) override;
  Result<std::vector<std::pair<std::string, std::string>>> AcceptedValues(
      int64_t operation_id, int round, AssessmentType type, std::string_view indicator) override;
  Result<VerbatimRow> GetVerbatimRow(int64_t submission_id) override;
  Result<CleaningLogEntry> UpdateSubmissionValue(int64_t submission_id,
                                                 std::string_view indicator,
                                                 std::string_view value,
                                                 CleaningLogEntry log) override;

  Result<int64_t> AppendCleaningLog(const CleaningLogEntry& entry) override;
  Result<CleaningLogEntry> FindCleaningLogEntry(int64_t entry_id) override;
  Result<std::vector<CleaningLogEntry>> CleaningLog(int64_t operation_id,
                                                    std::optional<int> round) override;
  Result<std::vector<QuarantineEntry>> Quarantine(std::optional<int64_t> operation_id,
                                                  std::optional<int64_t> batch_id) override;
  Result<std::vector<Alert>> Alerts(int64_t operation_id, const AlertFilter& filter) override;
  Result<std::vector<int64_t>> AddAlerts(int64_t batch_id, std::span<const Alert> alerts) override;
  Result<Alert> FindAlert(int64_t alert_id) override;
  Result<Alert> SetAlertStatus(int64_t alert_id, AlertStatus status, std::string_view who,
                               std::string_view when, std::string_view note) override;
  Result<std::vector<AlertEvent>> AlertHistory(int64_t alert_id) override;
  Result<std::vector<AdminFigure>> AdminFigures(int64_t operation_id) override;

  Result<Organisation> AddOrganisation(const Organisation& organisation) override;
  Result<Organisation> FindOrganisation(std::string_view name) override;
  Result<Organisation> GetOrganisation(int64_t organisation_id) override;
  Result<std::vector<Organisation>> ListOrganisations() override;
  Status RevokeOrganisation(std::string_view name, std::string_view when) override;
  Result<User> AddUser(const User& user) override;
  Result<User> FindUser(std::string_view name) override;
  Result<std::vector<User>> ListUsers() override;
  Status SetUserTier(std::string_view name, const UserTier& tier) override;
  Status RevokeUser(std::string_view name, std::string_view when) override;
  Result<DataSharingAgreement> AddDsa(const DataSharingAgreement& dsa) override;
  Result<DataSharingAgreement> FindDsa(std::string_view reference) override;
  Result<std::vector<DataSharingAgreement>> ListDsas() override;
  Status RevokeDsa(std::string_view reference, std::string_view when) override;
  Result<PolicyVersion> AddPolicyVersion(const PolicyVersion& policy) override;
  Result<PolicyVersion> CurrentPolicy(int64_t operation_id) override;
  Result<std::vector<PolicyVersion>> PolicyHistory(int64_t operation_id) override;
  Result<OperationDictionary> AddOperationDictionary(
      const OperationDictionary& dictionary) override;
  Result<OperationDictionary> CurrentOperationDictionary(int64_t operation_id) override;
  Result<std::vector<OperationDictionary>> OperationDictionaryHistory(
      int64_t operation_id) override;
  Result<AuditRecord> AppendAudit(AuditRecord record, const AuditLinker& link) override;
  Result<std::vector<AuditRecord>> AuditLog(const AuditFilter& filter) override;

  Status CheckIntegrity() override;

 private:
  friend class SqliteIngestTransaction;

  // What the store knows of one dictionary indicator.
  enum class ColumnType { kNone, kInteger, kReal, kText };  // kNone: pii, no column
  struct IndicatorColumn {
    std::string name;
    ColumnType type = ColumnType::kNone;
  };
  // A cached decompressed chunk of a verbatim copy (listing a batch's
  // quarantine reads the same chunk many times).
  struct ChunkCache {
    int64_t source_file_id = -1;
    int64_t chunk = -1;
    std::string raw;
  };

  SqliteStore();

  Status Migrate();
  Status SyncValueColumns(const dictionary::Dictionary& dictionary);
  void BuildValueSql();

  // Helpers; the caller holds mutex_ and, for writes, a transaction.
  Status RequireOperation(int64_t operation_id);
  Result<Operation> EnsureOperationLocked(const Operation& operation);
  // Stores `dictionary` as the operation's next version (content_hash and
  // version computed here) inside the caller's transaction.
  Result<OperationDictionary> InsertOperationDictionary(const OperationDictionary& dictionary);
  // Stores the built-in default dictionary as the new operation's version 1.
  Status GiveDefaultDictionary(int64_t operation_id);
  Result<Round> EnsureRoundLocked(const Round& round);
  Status UpsertSiteLocked(const Site& site, const SiteChangeContext& context);
  // Appends a SiteFieldChange for each field whose value differs between
  // `before` and `after`, inside the caller's transaction.
  Status InsertSiteFieldChanges(const Site& before, const Site& after,
                                const SiteChangeContext& context);
  Result<int64_t> InsertCleaningLog(const CleaningLogEntry& entry,
                                    std::optional<int64_t> operation_id, std::optional<int> round);
  Result<int64_t> AddCleaningLogLocked(const CleaningLogEntry& entry);
  // Stores `alert` for `batch_id` (of assessment type `type`) unless an
  // active batch already raised the same one; returns the stored alert's id,
  // and whether it was added.
  Result<std::pair<int64_t, bool>> InsertAlert(int64_t batch_id, AssessmentType type,
                                               const Alert& alert);
  // The alert `alert_id` whatever the state of its batch, and that state.
  // Errors: NotFound.
  Result<std::pair<Alert, BatchState>> ReadAlert(int64_t alert_id);
  // Submissions matching `where` (over `s.` submissions), `bind` binding its
  // parameters; with `with_values` false, `values` stays empty and the value
  // rows are not read.
  // The identity columns of a submission query's current row (values untouched).
  static void ReadSubmissionIdentity(const internal::StatementUse& query, Submission& submission);
  Result<std::vector<Submission>> SelectSubmissions(
      const std::string& where, const std::function<void(internal::StatementUse&)>& bind,
      bool with_values = true);
  // The index in indicators_ of the stored indicator `name`. Errors:
  // NotFound (no such indicator, or pii: no column).
  Result<size_t> StoredIndicator(std::string_view name) const;
  Result<std::string> ReadVerbatim(int64_t source_file_id, int64_t offset, int64_t length);

  // Closes the connection (defined where sqlite3.h is included).
  struct ConnectionCloser {
    void operator()(sqlite3* db) const;
  };

  std::recursive_mutex mutex_;
  std::unique_ptr<sqlite3, ConnectionCloser> db_;
  std::unique_ptr<internal::StatementCache> statements_;
  std::vector<IndicatorColumn> indicators_;  // by dictionary index
  std::string insert_submission_sql_;  // INSERT INTO submissions (identity, values…)
  std::string select_submission_sql_;  // SELECT identity, values… FROM submissions s
  bool ingest_open_ = false;
  ChunkCache chunk_cache_;
};

}  // namespace opendtm::store

#endif  // OPENDTM_STORE_SQLITE_STORE_H_
