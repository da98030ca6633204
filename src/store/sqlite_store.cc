#include "store/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/date.h"
#include "core/number.h"
#include "core/private_file.h"
#include "core/sha256.h"
#include "core/text.h"
#include "dictionary/default_dictionary.h"
#include "store/internal/schema.h"
#include "store/internal/sqlite_handle.h"
#include "store/internal/verbatim.h"

namespace opendtm::store {

using internal::Execute;
using internal::QuoteIdentifier;
using internal::StatementUse;

namespace {

constexpr const char* kValuesView = "v_site_values";

// Columns of the view v_site_values that are the submission's own, not
// indicator values. An indicator of the same name is the same value (site_id,
// round) and is left out of the view; any other clash is renamed NAME_value.
const std::set<std::string, std::less<>>& ViewStructuralColumns() {
  static const std::set<std::string, std::less<>> kColumns = {
      "submission_id", "operation_id", "operation", "country", "round",
      "assessment_type", "site_id", "state", "batch_id"};
  return kColumns;
}

bool IsColumnName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string SqlTypeOf(const dictionary::Indicator& indicator) {
  if (indicator.dissemination_class == dictionary::DisseminationClass::kPii) return "";
  switch (indicator.type) {
    case dictionary::ValueType::kInteger:
      return "INTEGER";
    case dictionary::ValueType::kDecimal:
      return "REAL";
    default:
      return "TEXT";
  }
}

bool IsIso3(std::string_view country) {
  return country.size() == 3 && std::all_of(country.begin(), country.end(),
                                            [](char c) { return c >= 'A' && c <= 'Z'; });
}

Status CheckOperation(const Operation& operation) {
  if (operation.name.empty()) return InvalidArgumentError("operation name is empty");
  if (!IsIso3(operation.country)) {
    return InvalidArgumentError("operation " + operation.name + ": country '" + operation.country +
                                "' is not an ISO3 code (three upper-case letters)");
  }
  return Status::Ok();
}

// A write transaction: BEGIN IMMEDIATE at top level (so that a second process
// waits for the write lock up front instead of failing to upgrade), or a
// SAVEPOINT inside an open ingest. Rolled back unless committed.
class WriteScope {
 public:
  explicit WriteScope(sqlite3* db) : db_(db) {}
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;
  ~WriteScope() {
    if (!started_ || done_) return;
    Execute(db_, nested_ ? "ROLLBACK TO store_write; RELEASE store_write" : "ROLLBACK")
        .IgnoreError();
  }

  Status Begin() {
    nested_ = sqlite3_get_autocommit(db_) == 0;
    RETURN_IF_ERROR(Execute(db_, nested_ ? "SAVEPOINT store_write" : "BEGIN IMMEDIATE"));
    started_ = true;
    return Status::Ok();
  }
  Status Commit() {
    RETURN_IF_ERROR(Execute(db_, nested_ ? "RELEASE store_write" : "COMMIT"));
    done_ = true;
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  bool nested_ = false;
  bool started_ = false;
  bool done_ = false;
};

std::string NotFoundMessage(std::string_view what, int64_t id) {
  return std::string(what) + " " + std::to_string(id) + " not found";
}

Operation ReadOperation(const StatementUse& row) {
  return Operation{row.Int64(0), row.Text(1), row.Text(2), row.Text(3)};
}
constexpr const char* kOperationColumns = "SELECT id, name, country, region FROM operations ";

// The submission columns every read of submissions starts with, in the order
// ReadSubmissionIdentity reads them (the values follow, from kFirstValueColumn).
constexpr std::string_view kSubmissionColumns =
    "SELECT s.id, s.batch_id, s.operation_id, s.round, s.assessment_type, s.site_id, "
    "s.source_row, s.submission_uuid, s.submission_time, s.enumerator, s.device, s.state, "
    "s.submission_key";

AdminAreaRecord ReadAdminArea(const StatementUse& row) {
  return AdminAreaRecord{row.Text(0), row.Text(1), row.Int(2), row.Text(3), row.Text(4),
                         row.Text(5)};
}
constexpr const char* kAdminAreaColumns =
    "SELECT pcode, name, level, parent_pcode, country, valid_from FROM admin_areas ";

Round ReadRound(const StatementUse& row) {
  return Round{row.Int64(0), row.Int(1), row.Text(2), row.Text(3),
               ParseRoundStatus(row.Text(4)).value_or(RoundStatus::kOpen)};
}
constexpr const char* kRoundColumns =
    "SELECT operation_id, number, date_from, date_to, status FROM rounds ";

Site ReadSite(const StatementUse& row) {
  Site site;
  site.operation_id = row.Int64(0);
  site.site_id = row.Text(1);
  site.name = row.Text(2);
  site.adm1_pcode = row.Text(3);
  site.adm2_pcode = row.Text(4);
  site.adm3_pcode = row.Text(5);
  site.latitude = row.OptionalDouble(6);
  site.longitude = row.OptionalDouble(7);
  site.site_type = row.Text(8);
  site.status = ParseSiteStatus(row.Text(9)).value_or(SiteStatus::kOpen);
  site.merged_into = row.Text(10);
  return site;
}
constexpr const char* kSiteColumns =
    "SELECT operation_id, site_id, name, adm1_pcode, adm2_pcode, adm3_pcode, latitude, "
    "longitude, site_type, status, merged_into FROM sites ";

// A site's fields as the master list's columns name them, as text: what a
// SiteFieldChange compares and keeps.
std::vector<std::pair<std::string_view, std::string>> SiteFieldValues(const Site& site) {
  auto number = [](const std::optional<double>& value) {
    return value ? core::FormatNumber(*value) : std::string();
  };
  return {{"site_name", site.name},
          {"adm1_pcode", site.adm1_pcode},
          {"adm2_pcode", site.adm2_pcode},
          {"adm3_pcode", site.adm3_pcode},
          {"latitude", number(site.latitude)},
          {"longitude", number(site.longitude)},
          {"site_type", site.site_type},
          {"status", std::string(SiteStatusName(site.status))},
          {"merged_into", site.merged_into}};
}

Batch ReadBatch(const StatementUse& row) {
  Batch batch;
  batch.id = row.Int64(0);
  batch.operation_id = row.OptionalInt64(1);
  batch.round = row.OptionalInt(2);
  batch.assessment_type =
      ParseAssessmentType(row.Text(3)).value_or(AssessmentType::kSiteAssessment);
  batch.source_name = row.Text(4);
  batch.source_sha256 = row.Text(5);
  batch.created_at = row.Text(6);
  batch.who = row.Text(7);
  batch.state = ParseBatchState(row.Text(8)).value_or(BatchState::kActive);
  batch.rows_read = row.Int64(9);
  batch.accepted = row.Int64(10);
  batch.quarantined = row.Int64(11);
  return batch;
}
constexpr const char* kBatchColumns =
    "SELECT id, operation_id, round, assessment_type, source_name, source_sha256, created_at, "
    "who, state, rows_read, accepted, quarantined FROM batches ";

CleaningLogEntry ReadCleaningLog(const StatementUse& row) {
  CleaningLogEntry entry;
  entry.entry_id = row.Int64(0);
  entry.batch_id = row.OptionalInt64(1);
  entry.submission_id = row.OptionalInt64(2);
  entry.row = row.Int64(3);
  entry.column = row.Text(4);
  entry.indicator = row.Text(5);
  entry.old_value = row.Text(6);
  entry.new_value = row.Text(7);
  entry.rule = row.Text(8);
  entry.action = row.Text(9);
  entry.who = row.Text(10);
  entry.when = row.Text(11);
  return entry;
}
constexpr const char* kCleaningLogColumns =
    "SELECT entry_id, batch_id, submission_id, \"row\", \"column\", indicator, old_value, "
    "new_value, rule, action, who, \"when\" FROM cleaning_log ";

// The columns ReadAlertRow reads, from alerts `a` joined with their batch `b`.
constexpr const char* kAlertColumns =
    "SELECT a.id, a.batch_id, a.operation_id, a.round, a.site_id, a.indicator, a.value, a.rule, "
    "a.created_at, a.message, a.previous_round, a.previous_value, a.score, b.assessment_type, "
    "a.status, a.status_by, a.status_at, a.status_note, b.state "
    "FROM alerts a JOIN batches b ON b.id = a.batch_id ";
constexpr int kAlertBatchStateColumn = 18;

Alert ReadAlertRow(const StatementUse& row) {
  Alert alert;
  alert.id = row.Int64(0);
  alert.batch_id = row.Int64(1);
  alert.operation_id = row.Int64(2);
  alert.round = row.Int(3);
  alert.site_id = row.Text(4);
  alert.indicator = row.Text(5);
  alert.value = row.Text(6);
  alert.rule = row.Text(7);
  alert.created_at = row.Text(8);
  alert.message = row.Text(9);
  alert.previous_round = row.OptionalInt(10);
  alert.previous_value = row.Text(11);
  alert.score = row.OptionalDouble(12);
  alert.assessment_type =
      ParseAssessmentType(row.Text(13)).value_or(AssessmentType::kSiteAssessment);
  alert.status = ParseAlertStatus(row.Text(14)).value_or(AlertStatus::kNew);
  alert.status_by = row.Text(15);
  alert.status_at = row.Text(16);
  alert.status_note = row.Text(17);
  return alert;
}

// The status moves an alert may make: new -> acknowledged, new -> closed,
// acknowledged -> closed. Nothing goes back to new, and closed is final.
bool IsAllowedMove(AlertStatus from, AlertStatus to) {
  return (from == AlertStatus::kNew && to != AlertStatus::kNew) ||
         (from == AlertStatus::kAcknowledged && to == AlertStatus::kClosed);
}

}  // namespace

// ---- The ingest transaction ---------------------------------------------------

class SqliteIngestTransaction final : public IngestTransaction {
 public:
  SqliteIngestTransaction(SqliteStore* store, std::unique_lock<std::recursive_mutex> lock,
                          Batch batch)
      : store_(store), lock_(std::move(lock)), batch_(std::move(batch)) {}

  ~SqliteIngestTransaction() override {
    if (!committed_) Execute(store_->db_.get(), "ROLLBACK").IgnoreError();
    store_->ingest_open_ = false;
  }

  int64_t batch_id() const override { return batch_.id; }
  void SetBatchId(int64_t batch_id) { batch_.id = batch_id; }

  Result<Operation> EnsureOperation(const Operation& operation) override {
    return Track(store_->EnsureOperationLocked(operation));
  }

  Result<Round> EnsureRound(const Round& round) override {
    return Track(store_->EnsureRoundLocked(round));
  }

  Status UpsertSite(const Site& site, const SiteChangeContext& context) override {
    SiteChangeContext with_batch = context;
    if (!with_batch.batch_id) with_batch.batch_id = batch_.id;
    return Track(store_->UpsertSiteLocked(site, with_batch));
  }

  Status PutSourceHeader(std::span<const std::string> header) override {
    RETURN_IF_ERROR(Usable());
    if (!verbatim_.empty()) {
      return FailedPreconditionError("the source header must come before the first row");
    }
    RETURN_IF_ERROR(Track(AppendVerbatim(header)).status());
    header_length_ = verbatim_.size();
    return Status::Ok();
  }

  Result<int64_t> AddSubmission(const Submission& submission,
                                std::span<const std::string> verbatim_cells) override {
    RETURN_IF_ERROR(Usable());
    if (submission.values.size() > store_->indicators_.size()) {
      return InvalidArgumentError("submission of site " + submission.site_id + " has " +
                                  std::to_string(submission.values.size()) +
                                  " values; the dictionary has " +
                                  std::to_string(store_->indicators_.size()) + " indicators");
    }
    if (batch_.operation_id != submission.operation_id || batch_.round != submission.round) {
      return InvalidArgumentError("submission of site " + submission.site_id +
                                  " is not of the batch's operation and round");
    }
    ASSIGN_OR_RETURN(internal::VerbatimSpan span, Track(SpanOfRow(submission.source_row,
                                                                  verbatim_cells)));
    if (insert_submission_ == nullptr) {
      ASSIGN_OR_RETURN(insert_submission_, Track(Prepare(store_->insert_submission_sql_)));
    }
    // One row holds the submission's identity and its values. Text is bound
    // without a copy: `submission` outlives the statement's run.
    StatementUse insert(insert_submission_);
    const auto text = [&insert](int index, std::string_view value) {
      sqlite3_bind_text64(insert.get(), index, value.data(), value.size(), SQLITE_STATIC,
                          SQLITE_UTF8);
    };
    insert.Bind(1, batch_.id).Bind(2, submission.operation_id).Bind(3, submission.round);
    text(4, AssessmentTypeName(submission.assessment_type));
    text(5, submission.site_id);
    insert.Bind(6, submission.source_row);
    text(7, submission.submission_uuid);
    text(8, submission.submission_time);
    text(9, submission.enumerator);
    text(10, submission.device);
    text(11, SubmissionStateName(submission.state));
    insert.Bind(12, span.offset).Bind(13, span.length);
    text(14, submission.submission_key);
    int parameter = SqliteStore::kFirstValueParameter;
    const std::vector<SqliteStore::IndicatorColumn>& columns = store_->indicators_;
    for (size_t indicator_idx = 0; indicator_idx < columns.size(); ++indicator_idx) {
      SqliteStore::ColumnType type = columns[indicator_idx].type;
      if (type == SqliteStore::ColumnType::kNone) continue;  // pii: no column
      int index = parameter++;
      if (indicator_idx >= submission.values.size() || submission.values[indicator_idx].empty()) {
        continue;  // unbound parameters are NULL
      }
      const std::string& value = submission.values[indicator_idx];
      // A value that does not parse is kept as text rather than lost; ingest
      // blanks bad values before they get here.
      if (type == SqliteStore::ColumnType::kInteger) {
        if (std::optional<int64_t> number = core::ParseInteger(value)) {
          insert.Bind(index, *number);
          continue;
        }
      } else if (type == SqliteStore::ColumnType::kReal) {
        if (std::optional<double> number = core::ParseNumber(value)) {
          insert.Bind(index, *number);
          continue;
        }
      }
      text(index, value);
    }
    RETURN_IF_ERROR(Track(insert.Run()));
    const int64_t submission_id = sqlite3_last_insert_rowid(store_->db_.get());
    last_submission_ = {submission_id, submission.operation_id, submission.round};
    return submission_id;
  }

  Result<int64_t> AddCleaningLog(const CleaningLogEntry& entry) override {
    RETURN_IF_ERROR(Usable());
    CleaningLogEntry with_batch = entry;
    if (!with_batch.batch_id) with_batch.batch_id = batch_.id;
    // The entries of the submission just added (the usual order of an
    // ingest) need no lookup of its operation and round.
    if (with_batch.submission_id && *with_batch.submission_id == last_submission_.id) {
      return Track(store_->InsertCleaningLog(with_batch, last_submission_.operation_id,
                                             last_submission_.round));
    }
    return Track(store_->AddCleaningLogLocked(with_batch));
  }

  Result<int64_t> AddQuarantine(const QuarantineEntry& entry) override {
    RETURN_IF_ERROR(Usable());
    ASSIGN_OR_RETURN(internal::VerbatimSpan span, Track(SpanOfRow(entry.source_row,
                                                                  entry.raw_cells)));
    ASSIGN_OR_RETURN(StatementUse insert, Track(store_->statements_->Use(
        "INSERT INTO quarantine (batch_id, source_row, rule, message, site_id, round, "
        "verbatim_offset, verbatim_length, operation_id, submission_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")));
    std::optional<int64_t> operation_id =
        batch_.operation_id ? batch_.operation_id : entry.operation_id;
    insert.Bind(9, operation_id).Bind(10, entry.submission_id);
    insert.Bind(1, batch_.id)
        .Bind(2, entry.source_row)
        .Bind(3, entry.rule)
        .Bind(4, entry.message)
        .Bind(5, entry.site_id)
        .Bind(6, entry.round)
        .Bind(7, span.offset)
        .Bind(8, span.length);
    RETURN_IF_ERROR(Track(insert.Run()));
    return sqlite3_last_insert_rowid(store_->db_.get());
  }

  Result<int64_t> AddAlert(const Alert& alert) override {
    RETURN_IF_ERROR(Usable());
    ASSIGN_OR_RETURN(auto stored,
                     Track(store_->InsertAlert(batch_.id, batch_.assessment_type, alert)));
    return stored.first;
  }

  Result<std::vector<int64_t>> AddBatchAlerts(std::span<const Alert> alerts) override {
    RETURN_IF_ERROR(Usable());
    for (const Alert& alert : alerts) {
      if (batch_.operation_id != alert.operation_id) {
        return InvalidArgumentError("alert of site " + alert.site_id + " is not of batch " +
                                    std::to_string(batch_.id) + "'s operation");
      }
    }
    std::vector<int64_t> added;
    for (const Alert& alert : alerts) {
      ASSIGN_OR_RETURN(auto stored,
                       Track(store_->InsertAlert(batch_.id, batch_.assessment_type, alert)));
      if (stored.second) added.push_back(stored.first);
    }
    return added;
  }

  Result<int64_t> AddAdminFigure(const AdminFigure& figure) override {
    RETURN_IF_ERROR(Usable());
    RETURN_IF_ERROR(store_->RequireOperation(figure.operation_id));
    ASSIGN_OR_RETURN(StatementUse insert, Track(store_->statements_->Use(
        "INSERT INTO admin_figures (batch_id, operation_id, admin_level, source_id, "
        "operation_name, country_name, country, round, reporting_date, assessment_type, "
        "admin1_pcode, admin1_name, admin2_pcode, admin2_name, displacement_reason, "
        "origin_admin1_pcode, origin_admin1_name, num_present_idp_ind, males, females, "
        "record_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18, ?19, ?20, ?21)")));
    insert.Bind(1, batch_.id)
        .Bind(2, figure.operation_id)
        .Bind(3, figure.admin_level)
        .Bind(4, figure.source_id)
        .Bind(5, figure.operation_name)
        .Bind(6, figure.country_name)
        .Bind(7, figure.country)
        .Bind(8, figure.round)
        .Bind(9, figure.reporting_date)
        .Bind(10, figure.assessment_type)
        .Bind(11, figure.admin1_pcode)
        .Bind(12, figure.admin1_name)
        .Bind(13, figure.admin2_pcode)
        .Bind(14, figure.admin2_name)
        .Bind(15, figure.displacement_reason)
        .Bind(16, figure.origin_admin1_pcode)
        .Bind(17, figure.origin_admin1_name)
        .Bind(18, figure.num_present_idp_ind)
        .Bind(19, figure.males)
        .Bind(20, figure.females)
        .Bind(21, figure.record_json);
    RETURN_IF_ERROR(Track(insert.Run()));
    return sqlite3_last_insert_rowid(store_->db_.get());
  }

  Status MarkReplaced(std::span<const int64_t> submission_ids) override {
    RETURN_IF_ERROR(Usable());
    for (int64_t submission_id : submission_ids) {
      ASSIGN_OR_RETURN(StatementUse update, Track(store_->statements_->Use(
          "UPDATE submissions SET state_before_replace = state, state = 'replaced', "
          "replaced_by_batch = ?1 WHERE id = ?2 AND state <> 'replaced'")));
      update.Bind(1, batch_.id).Bind(2, submission_id);
      RETURN_IF_ERROR(Track(update.Run()));
      if (sqlite3_changes(store_->db_.get()) == 0) {
        ASSIGN_OR_RETURN(StatementUse exists, Track(store_->statements_->Use(
            "SELECT 1 FROM submissions WHERE id = ?1")));
        exists.Bind(1, submission_id);
        ASSIGN_OR_RETURN(bool found, Track(exists.Step()));
        if (!found) return NotFoundError(NotFoundMessage("submission", submission_id));
      }
    }
    return Status::Ok();
  }

  Status SetCounts(int64_t rows_read, int64_t accepted, int64_t quarantined) override {
    RETURN_IF_ERROR(Usable());
    ASSIGN_OR_RETURN(StatementUse update, Track(store_->statements_->Use(
        "UPDATE batches SET rows_read = ?1, accepted = ?2, quarantined = ?3 WHERE id = ?4")));
    update.Bind(1, rows_read).Bind(2, accepted).Bind(3, quarantined).Bind(4, batch_.id);
    return Track(update.Run());
  }

  Status Commit() override {
    if (committed_) return FailedPreconditionError("ingest already committed");
    RETURN_IF_ERROR(Usable());
    RETURN_IF_ERROR(Track(FinishVerbatim()));
    RETURN_IF_ERROR(Track(Execute(store_->db_.get(), "COMMIT")));
    committed_ = true;
    return Status::Ok();
  }

 private:
  // Remembers a failure that may have left a step half done: the ingest may
  // then only be rolled back. NotFound and InvalidArgument are found before
  // anything is written, and leave the ingest usable.
  static bool Spoils(const Status& status) {
    return !status.ok() && status.code() != StatusCode::kNotFound &&
           status.code() != StatusCode::kInvalidArgument;
  }
  Status Track(Status status) {
    if (Spoils(status)) failed_ = true;
    return status;
  }
  template <typename T>
  Result<T> Track(Result<T> result) {
    if (Spoils(result.status())) failed_ = true;
    return result;
  }
  Status Usable() const {
    if (committed_) return FailedPreconditionError("ingest already committed");
    if (failed_) {
      return FailedPreconditionError("an earlier step of this ingest failed; it will be rolled back");
    }
    return Status::Ok();
  }

  Result<internal::Statement*> Prepare(const std::string& sql) {
    // Borrow the cached statement itself: the hot per-row statements are
    // looked up once per ingest, not once per row.
    ASSIGN_OR_RETURN(StatementUse use, store_->statements_->Use(sql));
    return use.statement();
  }

  // The verbatim span of a source row: rows given twice in a row (a
  // submission and its quarantine entry, or one row quarantined for two
  // reasons) are stored once.
  Result<internal::VerbatimSpan> SpanOfRow(int64_t source_row,
                                           std::span<const std::string> cells) {
    if (source_row > 0 && source_row == last_row_) return last_span_;
    ASSIGN_OR_RETURN(internal::VerbatimSpan span, AppendVerbatim(cells));
    last_row_ = source_row;
    last_span_ = span;
    return span;
  }

  Result<internal::VerbatimSpan> AppendVerbatim(std::span<const std::string> cells) {
    internal::VerbatimSpan span = verbatim_.Append(cells);
    while (verbatim_.HasFullChunk()) {
      int64_t index = 0;
      std::string chunk = verbatim_.TakeFullChunk(index);
      RETURN_IF_ERROR(WriteChunk(index, std::move(chunk)));
    }
    return span;
  }

  // Compression runs beside the ingest: chunk N is compressed on a helper
  // thread while the rows of chunk N+1 are written, and stored when chunk N+1
  // is full or at the end (StorePendingChunk). Only this thread touches the
  // database.
  Status WriteChunk(int64_t index, std::string raw) {
    RETURN_IF_ERROR(StorePendingChunk());
    PendingChunk& chunk = pending_chunk_.emplace();
    chunk.index = index;
    chunk.raw_size = static_cast<int64_t>(raw.size());
    chunk.compressed = std::async(std::launch::async, [raw = std::move(raw)] {
      return internal::CompressChunk(raw);
    });
    return Status::Ok();
  }

  Status StorePendingChunk() {
    if (!pending_chunk_) return Status::Ok();
    PendingChunk chunk = std::move(*pending_chunk_);
    pending_chunk_.reset();
    ASSIGN_OR_RETURN(std::string compressed, chunk.compressed.get());
    if (source_file_id_ == 0) {
      ASSIGN_OR_RETURN(StatementUse insert, store_->statements_->Use(
          "INSERT INTO source_files (sha256, size, chunk_size) VALUES (NULL, 0, ?1)"));
      insert.Bind(1, internal::kVerbatimChunkSize);
      RETURN_IF_ERROR(insert.Run());
      source_file_id_ = sqlite3_last_insert_rowid(store_->db_.get());
    }
    ASSIGN_OR_RETURN(StatementUse insert, store_->statements_->Use(
        "INSERT INTO source_chunks (source_file_id, chunk, raw_size, data) "
        "VALUES (?1, ?2, ?3, ?4)"));
    insert.Bind(1, source_file_id_)
        .Bind(2, chunk.index)
        .Bind(3, chunk.raw_size)
        .BindBlob(4, compressed);
    return insert.Run();
  }

  // 1. Write the last chunk. 2. If a copy with the same SHA-256 exists, drop
  // this one and point the batch at it (same bytes, same offsets). 3. Else
  // seal this copy with its hash and size.
  Status FinishVerbatim() {
    if (verbatim_.empty()) return Status::Ok();
    int64_t index = 0;
    std::string rest = verbatim_.TakeRest(index);
    if (!rest.empty()) RETURN_IF_ERROR(WriteChunk(index, std::move(rest)));
    RETURN_IF_ERROR(StorePendingChunk());
    std::string sha256 = verbatim_.FinishSha256();
    int64_t file_id = source_file_id_;
    {
      ASSIGN_OR_RETURN(StatementUse find, store_->statements_->Use(
          "SELECT id FROM source_files WHERE sha256 = ?1"));
      find.Bind(1, sha256);
      ASSIGN_OR_RETURN(bool found, find.Step());
      if (found) file_id = find.Int64(0);
    }
    if (file_id != source_file_id_) {
      ASSIGN_OR_RETURN(StatementUse drop_chunks, store_->statements_->Use(
          "DELETE FROM source_chunks WHERE source_file_id = ?1"));
      drop_chunks.Bind(1, source_file_id_);
      RETURN_IF_ERROR(drop_chunks.Run());
      ASSIGN_OR_RETURN(StatementUse drop_file, store_->statements_->Use(
          "DELETE FROM source_files WHERE id = ?1"));
      drop_file.Bind(1, source_file_id_);
      RETURN_IF_ERROR(drop_file.Run());
    } else {
      ASSIGN_OR_RETURN(StatementUse seal, store_->statements_->Use(
          "UPDATE source_files SET sha256 = ?1, size = ?2 WHERE id = ?3"));
      seal.Bind(1, sha256).Bind(2, verbatim_.size()).Bind(3, file_id);
      RETURN_IF_ERROR(seal.Run());
    }
    ASSIGN_OR_RETURN(StatementUse link, store_->statements_->Use(
        "UPDATE batches SET source_file_id = ?1, header_length = ?2 WHERE id = ?3"));
    link.Bind(1, file_id).Bind(2, header_length_).Bind(3, batch_.id);
    return link.Run();
  }

  SqliteStore* store_;
  std::unique_lock<std::recursive_mutex> lock_;
  Batch batch_;
  struct {
    int64_t id = 0;
    int64_t operation_id = 0;
    int round = 0;
  } last_submission_;
  bool committed_ = false;
  bool failed_ = false;
  internal::Statement* insert_submission_ = nullptr;
  internal::VerbatimWriter verbatim_;
  struct PendingChunk {
    int64_t index = 0;
    int64_t raw_size = 0;
    std::future<Result<std::string>> compressed;
  };
  std::optional<PendingChunk> pending_chunk_;  // being compressed
  int64_t source_file_id_ = 0;
  int64_t header_length_ = 0;
  int64_t last_row_ = 0;
  internal::VerbatimSpan last_span_;
};

// ---- Opening and migrating ----------------------------------------------------

namespace {

// True when `path` names a database file that does not exist yet (not
// ":memory:", a temporary database "" or a "file:" URI, which SQLite opens
// its own way).
bool IsNewDatabaseFile(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return false;
  std::error_code error;
  return !std::filesystem::exists(path, error) && !error;
}

}  // namespace

void SqliteStore::ConnectionCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteStore::SqliteStore() = default;
SqliteStore::~SqliteStore() {
  // Statements must be finalized before the connection closes.
  statements_.reset();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const dictionary::Dictionary& dictionary) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  // A new database file is created readable by its owner only before SQLite
  // opens it: SQLite gives its -wal, -shm and journal files the database
  // file's mode. An existing file keeps the mode its owner chose.
  if (IsNewDatabaseFile(path)) RETURN_IF_ERROR(core::CreatePrivateFile(path));
  ASSIGN_OR_RETURN(internal::Database database, internal::OpenDatabase(path));
  store->db_.reset(database.release());
  sqlite3* db = store->db_.get();
  // A writer waits for the write lock as long as a large ingest holds it
  // (an ingest holds it from its first read of what is stored to its commit:
  // about a minute for a million rows), so that writers queue rather than fail.
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // 16 KiB pages for a new file (an existing file keeps its own): an ingest
  // appends long runs of wide rows, and larger pages mean fewer B-tree
  // splits and a cheaper checkpoint (85k-row files ingested 10-15% faster
  // than with 4 KiB, as fast as with 64 KiB; see bench/README.md).
  // WAL: readers never block the writer; NORMAL: fsync at checkpoints only,
  // which under WAL can lose the last commits on power loss but never
  // corrupts. An 8 MiB page cache: a large ingest's pages spill to the WAL as
  // the writer thread goes rather than all at COMMIT (85k-row files ingested
  // 7-8% faster than with 64 MiB, 4 or 16 MiB; see bench/README.md). Reads map
  // the first 256 MiB of the file rather than copy each page in (mapped pages
  // count in the process's resident size: the cap bounds it).
  RETURN_IF_ERROR(Execute(db,
                          "PRAGMA page_size = 16384; "
                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                          "PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192; "
                          "PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;")
                      .WithContext(path));
  store->statements_ = std::make_unique<internal::StatementCache>(db);
  RETURN_IF_ERROR(store->Migrate().WithContext(path));
  RETURN_IF_ERROR(store->SyncValueColumns(dictionary).WithContext(path));
  store->BuildValueSql();
  return store;
}

Result<int> SqliteStore::SchemaVersion() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  ASSIGN_OR_RETURN(bool found, query.Step());
  return found ? query.Int(0) : 0;
}

Status SqliteStore::Migrate() {
  sqlite3* db = db_.get();
  {
    WriteScope scope(db);
    RETURN_IF_ERROR(scope.Begin());
    RETURN_IF_ERROR(Execute(db,
                            "CREATE TABLE IF NOT EXISTS schema_version ("
                            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                            "applied_at TEXT NOT NULL)"));
    RETURN_IF_ERROR(scope.Commit());
  }
  ASSIGN_OR_RETURN(int current, SchemaVersion());
  std::span<const internal::Migration> migrations = internal::Migrations();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return FailedPreconditionError("database schema version " + std::to_string(current) +
                                   " is newer than this program's (" + std::to_string(newest) +
                                   "): upgrade dtm");
  }
  for (const internal::Migration& migration : migrations) {
    if (migration.version <= current) continue;
    WriteScope scope(db);
    RETURN_IF_ERROR(scope.Begin());
    RETURN_IF_ERROR(Execute(db, std::string(migration.sql))
                        .WithContext("migration " + std::to_string(migration.version)));
    if (migration.step != nullptr) {
      RETURN_IF_ERROR(
          migration.step(db).WithContext("migration " + std::to_string(migration.version)));
    }
    ASSIGN_OR_RETURN(StatementUse record, statements_->Use(
        "INSERT INTO schema_version (version, description, applied_at) "
        "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
    record.Bind(1, migration.version).Bind(2, migration.description);
    RETURN_IF_ERROR(record.Run());
    RETURN_IF_ERROR(scope.Commit());
  }
  return Status::Ok();
}

// 1. Read the columns the database has. 2. Check each indicator against them
// (same type; pii never has one). 3. Add the missing ones, and rebuild the
// view when anything was added or the view is missing, in one transaction.
Status SqliteStore::SyncValueColumns(const dictionary::Dictionary& dictionary) {
  sqlite3* db = db_.get();
  std::map<std::string, std::string, std::less<>> existing;  // name -> sql type
  std::vector<std::string> column_order;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT name, sql_type FROM indicator_columns ORDER BY rowid"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      existing.emplace(query.Text(0), query.Text(1));
      column_order.push_back(query.Text(0));
    }
  }
  indicators_.clear();
  std::vector<const dictionary::Indicator*> to_add;
  for (const dictionary::Indicator& indicator : dictionary.indicators()) {
    std::string sql_type = SqlTypeOf(indicator);
    auto found = existing.find(indicator.name);
    if (sql_type.empty()) {
      if (found != existing.end()) {
        return FailedPreconditionError("indicator " + indicator.name +
                                       " is pii in the dictionary but the database stores it; "
                                       "pii is never stored");
      }
    } else if (found != existing.end()) {
      if (found->second != sql_type) {
        return FailedPreconditionError("indicator " + indicator.name + " is stored as " +
                                       found->second + " but the dictionary makes it " +
                                       sql_type + ": indicators are never retyped");
      }
    } else {
      // NAME_value is where the indicator NAME goes when NAME is a column of
      // the submission itself (internal::ValueColumnName).
      const bool taken = indicator.name.ends_with("_value") &&
                         internal::IsSubmissionColumn(
                             std::string_view(indicator.name).substr(0, indicator.name.size() - 6));
      if (!IsColumnName(indicator.name) || indicator.name == "submission_id" || taken) {
        return InvalidArgumentError("indicator name '" + indicator.name +
                                    "' cannot be a column of submissions");
      }
      to_add.push_back(&indicator);
    }
    ColumnType type = sql_type == "INTEGER" ? ColumnType::kInteger
                      : sql_type == "REAL"  ? ColumnType::kReal
                      : sql_type == "TEXT"  ? ColumnType::kText
                                            : ColumnType::kNone;
    indicators_.push_back(IndicatorColumn{indicator.name, type});
  }
  if (existing.size() + to_add.size() > static_cast<size_t>(kMaxValueColumns)) {
    return ResourceExhaustedError(
        "submissions would have " + std::to_string(existing.size() + to_add.size()) +
        " indicator columns; SQLite allows at most " + std::to_string(kMaxValueColumns) +
        " here (Debian's SQLite caps a table at 2000 columns)");
  }
  bool view_exists = false;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?1"));
    query.Bind(1, std::string_view(kValuesView));
    ASSIGN_OR_RETURN(view_exists, query.Step());
  }
  if (to_add.empty() && view_exists) return Status::Ok();

  // ALTER TABLE changes the schema: cached statements would be re-prepared
  // anyway, drop them.
  statements_->Clear();
  WriteScope scope(db);
  RETURN_IF_ERROR(scope.Begin());
  for (const dictionary::Indicator* indicator : to_add) {
    std::string sql_type = SqlTypeOf(*indicator);
    RETURN_IF_ERROR(Execute(db, "ALTER TABLE submissions ADD COLUMN " +
                                    QuoteIdentifier(internal::ValueColumnName(indicator->name)) +
                                    " " + sql_type));
    ASSIGN_OR_RETURN(StatementUse record, statements_->Use(
        "INSERT INTO indicator_columns (name, value_type, sql_type, dictionary_version) "
        "VALUES (?1, ?2, ?3, ?4)"));
    record.Bind(1, indicator->name)
        .Bind(2, dictionary::ValueTypeName(indicator->type))
        .Bind(3, sql_type)
        .Bind(4, dictionary.version());
    RETURN_IF_ERROR(record.Run());
    column_order.push_back(indicator->name);
  }
  std::string view = std::string("DROP VIEW IF EXISTS ") + kValuesView + "; CREATE VIEW " +
                     kValuesView +
                     " AS SELECT s.id AS submission_id, s.operation_id AS operation_id, "
                     "o.name AS operation, o.country AS country, s.round AS round, "
                     "s.assessment_type AS assessment_type, s.site_id AS site_id, "
                     "s.state AS state, s.batch_id AS batch_id";
  for (const std::string& column : column_order) {
    if (column == "site_id" || column == "round") continue;  // the same value, from s.
    std::string alias = ViewStructuralColumns().contains(column) ? column + "_value" : column;
    view += ", s." + QuoteIdentifier(internal::ValueColumnName(column)) + " AS " +
            QuoteIdentifier(alias);
  }
  view += " FROM submissions s JOIN operations o ON o.id = s.operation_id";
  RETURN_IF_ERROR(Execute(db, view));
  return scope.Commit();
}

void SqliteStore::BuildValueSql() {
  std::string names;
  std::string parameters;
  std::string selected;
  int parameter = kFirstValueParameter;
  for (const IndicatorColumn& column : indicators_) {
    if (column.type == ColumnType::kNone) continue;
    const std::string quoted = QuoteIdentifier(internal::ValueColumnName(column.name));
    names += ", " + quoted;
    parameters += ", ?" + std::to_string(parameter++);
    selected += ", s." + quoted;
  }
  insert_submission_sql_ =
      "INSERT INTO submissions (batch_id, operation_id, round, assessment_type, site_id, "
      "source_row, submission_uuid, submission_time, enumerator, device, state, "
      "verbatim_offset, verbatim_length, submission_key" + names + ") VALUES (?1, ?2, ?3, ?4, "
      "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14" + parameters + ")";
  select_submission_sql_ = std::string(kSubmissionColumns) + selected + " FROM submissions s ";
}

// ---- Operations ---------------------------------------------------------------

Status SqliteStore::RequireOperation(int64_t operation_id) {
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use("SELECT 1 FROM operations WHERE id = ?1"));
  query.Bind(1, operation_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("operation", operation_id));
  return Status::Ok();
}

Result<Operation> SqliteStore::CreateOperation(const Operation& operation) {
  std::lock_guard lock(mutex_);
  RETURN_IF_ERROR(CheckOperation(operation));
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO operations (name, country, region) VALUES (?1, ?2, ?3)"));
  insert.Bind(1, operation.name).Bind(2, operation.country).Bind(3, operation.region);
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("operation " + operation.name + " already exists in " +
                              operation.country);
  }
  RETURN_IF_ERROR(inserted);
  Operation created = operation;
  created.id = sqlite3_last_insert_rowid(db_.get());
  RETURN_IF_ERROR(GiveDefaultDictionary(created.id));
  RETURN_IF_ERROR(scope.Commit());
  return created;
}

Result<Operation> SqliteStore::EnsureOperationLocked(const Operation& operation) {
  RETURN_IF_ERROR(CheckOperation(operation));
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        std::string(kOperationColumns) + "WHERE name = ?1 AND country = ?2"));
    query.Bind(1, operation.name).Bind(2, operation.country);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (found) return ReadOperation(query);
  }
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO operations (name, country, region) VALUES (?1, ?2, ?3)"));
  insert.Bind(1, operation.name).Bind(2, operation.country).Bind(3, operation.region);
  RETURN_IF_ERROR(insert.Run());
  Operation created = operation;
  created.id = sqlite3_last_insert_rowid(db_.get());
  RETURN_IF_ERROR(GiveDefaultDictionary(created.id));
  return created;
}

Result<Operation> SqliteStore::FindOperation(std::string_view name,
                                             std::optional<std::string_view> country) {
  std::lock_guard lock(mutex_);
  std::vector<Operation> matches;
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kOperationColumns) +
      "WHERE name = ?1 AND (?2 IS NULL OR country = ?2) ORDER BY country"));
  query.Bind(1, name);
  if (country) query.Bind(2, *country);
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    matches.push_back(ReadOperation(query));
  }
  if (matches.empty()) {
    return NotFoundError("operation " + std::string(name) +
                         (country ? " in " + std::string(*country) : std::string()) +
                         " not found");
  }
  if (matches.size() > 1) {
    std::string countries;
    for (const Operation& match : matches) {
      if (!countries.empty()) countries += ", ";
      countries += match.country;
    }
    return FailedPreconditionError("ambiguous: " + std::string(name) + " exists in " + countries +
                                   ": pass --country");
  }
  return matches.front();
}

Result<Operation> SqliteStore::GetOperation(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOperationColumns) + "WHERE id = ?1"));
  query.Bind(1, operation_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("operation", operation_id));
  return ReadOperation(query);
}

Result<std::vector<Operation>> SqliteStore::ListOperations() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(std::string(kOperationColumns) +
                                                        "ORDER BY name, country"));
  std::vector<Operation> operations;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    operations.push_back(ReadOperation(query));
  }
  return operations;
}

// ---- Admin areas --------------------------------------------------------------

Status SqliteStore::UpsertAdminAreas(std::span<const AdminAreaRecord> areas) {
  std::lock_guard lock(mutex_);
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  for (const AdminAreaRecord& area : areas) {
    if (area.pcode.empty()) return InvalidArgumentError("admin area with an empty P-code");
    ASSIGN_OR_RETURN(StatementUse upsert, statements_->Use(
        "INSERT INTO admin_areas (pcode, name, level, parent_pcode, country, valid_from) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (pcode) DO UPDATE SET name = ?2, "
        "level = ?3, parent_pcode = ?4, country = ?5, valid_from = ?6"));
    upsert.Bind(1, area.pcode)
        .Bind(2, area.name)
        .Bind(3, area.level)
        .Bind(4, area.parent_pcode)
        .Bind(5, area.country)
        .Bind(6, area.valid_from);
    RETURN_IF_ERROR(upsert.Run());
  }
  return scope.Commit();
}

Result<AdminAreaRecord> SqliteStore::FindAdminArea(std::string_view pcode) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kAdminAreaColumns) + "WHERE pcode = ?1"));
  query.Bind(1, pcode);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError("admin area " + std::string(pcode) + " not found");
  return ReadAdminArea(query);
}

Result<std::vector<AdminAreaRecord>> SqliteStore::AdminAreas(std::string_view country) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kAdminAreaColumns) + "WHERE country = ?1 ORDER BY level, pcode"));
  query.Bind(1, country);
  std::vector<AdminAreaRecord> areas;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    areas.push_back(ReadAdminArea(query));
  }
  return areas;
}

// ---- Rounds -------------------------------------------------------------------

Status SqliteStore::CreateRound(const Round& round) {
  std::lock_guard lock(mutex_);
  RETURN_IF_ERROR(RequireOperation(round.operation_id));
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO rounds (operation_id, number, date_from, date_to, status) "
      "VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert.Bind(1, round.operation_id)
      .Bind(2, round.number)
      .Bind(3, round.date_from)
      .Bind(4, round.date_to)
      .Bind(5, RoundStatusName(round.status));
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("round " + std::to_string(round.number) + " of operation " +
                              std::to_string(round.operation_id) + " already exists");
  }
  RETURN_IF_ERROR(inserted);
  return scope.Commit();
}

Result<Round> SqliteStore::EnsureRoundLocked(const Round& round) {
  RETURN_IF_ERROR(RequireOperation(round.operation_id));
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO rounds (operation_id, number, date_from, date_to, status) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING"));
  insert.Bind(1, round.operation_id)
      .Bind(2, round.number)
      .Bind(3, round.date_from)
      .Bind(4, round.date_to)
      .Bind(5, RoundStatusName(round.status));
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kRoundColumns) + "WHERE operation_id = ?1 AND number = ?2"));
  query.Bind(1, round.operation_id).Bind(2, round.number);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return InternalError("round just ensured is missing");
  return ReadRound(query);
}

Result<Round> SqliteStore::FindRound(int64_t operation_id, int number) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kRoundColumns) + "WHERE operation_id = ?1 AND number = ?2"));
  query.Bind(1, operation_id).Bind(2, number);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return NotFoundError("round " + std::to_string(number) + " of operation " +
                         std::to_string(operation_id) + " not found");
  }
  return ReadRound(query);
}

Result<std::vector<Round>> SqliteStore::ListRounds(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kRoundColumns) + "WHERE operation_id = ?1 ORDER BY number"));
  query.Bind(1, operation_id);
  std::vector<Round> rounds;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    rounds.push_back(ReadRound(query));
  }
  return rounds;
}

Status SqliteStore::SetRoundStatus(int64_t operation_id, int number, RoundStatus status) {
  std::lock_guard lock(mutex_);
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(StatementUse update, statements_->Use(
      "UPDATE rounds SET status = ?1 WHERE operation_id = ?2 AND number = ?3"));
  update.Bind(1, RoundStatusName(status)).Bind(2, operation_id).Bind(3, number);
  RETURN_IF_ERROR(update.Run());
  if (sqlite3_changes(db_.get()) == 0) {
    return NotFoundError("round " + std::to_string(number) + " of operation " +
                         std::to_string(operation_id) + " not found");
  }
  return scope.Commit();
}

// ---- Sites --------------------------------------------------------------------

Status SqliteStore::UpsertSite(const Site& site, const SiteChangeContext& context) {
  std::lock_guard lock(mutex_);
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  RETURN_IF_ERROR(UpsertSiteLocked(site, context));
  return scope.Commit();
}

// 1. Read the site as it is. 2. Insert or update it. 3. Keep each field
// that changed (a listed site only). 4. When it is new or its status
// changed, append to its status history.
Status SqliteStore::UpsertSiteLocked(const Site& site, const SiteChangeContext& context) {
  if (site.site_id.empty()) return InvalidArgumentError("site with an empty site_id");
  RETURN_IF_ERROR(RequireOperation(site.operation_id));
  std::optional<Site> before;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        std::string(kSiteColumns) + "WHERE operation_id = ?1 AND site_id = ?2"));
    query.Bind(1, site.operation_id).Bind(2, site.site_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (found) before = ReadSite(query);
  }
  std::string_view status = SiteStatusName(site.status);
  {
    ASSIGN_OR_RETURN(StatementUse upsert, statements_->Use(
        "INSERT INTO sites (operation_id, site_id, name, adm1_pcode, adm2_pcode, adm3_pcode, "
        "latitude, longitude, site_type, status, merged_into) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, ?11) ON CONFLICT (operation_id, site_id) DO UPDATE SET name = ?3, "
        "adm1_pcode = ?4, adm2_pcode = ?5, adm3_pcode = ?6, latitude = ?7, longitude = ?8, "
        "site_type = ?9, status = ?10, merged_into = ?11"));
    upsert.Bind(1, site.operation_id)
        .Bind(2, site.site_id)
        .Bind(3, site.name)
        .Bind(4, site.adm1_pcode)
        .Bind(5, site.adm2_pcode)
        .Bind(6, site.adm3_pcode)
        .Bind(7, site.latitude)
        .Bind(8, site.longitude)
        .Bind(9, site.site_type)
        .Bind(10, status)
        .Bind(11, site.merged_into);
    RETURN_IF_ERROR(upsert.Run());
  }
  if (before) RETURN_IF_ERROR(InsertSiteFieldChanges(*before, site, context));
  if (before && before->status == site.status && before->merged_into == site.merged_into) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(StatementUse history, statements_->Use(
      "INSERT INTO site_status_changes (operation_id, site_id, status, merged_into, from_round, "
      "date, batch_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  history.Bind(1, site.operation_id)
      .Bind(2, site.site_id)
      .Bind(3, status)
      .Bind(4, site.merged_into)
      .Bind(5, context.from_round)
      .Bind(6, context.date)
      .Bind(7, context.batch_id)
      .Bind(8, context.note);
  return history.Run();
}

Status SqliteStore::InsertSiteFieldChanges(const Site& before, const Site& after,
                                           const SiteChangeContext& context) {
  const auto old_values = SiteFieldValues(before);
  const auto new_values = SiteFieldValues(after);
  for (size_t field_idx = 0; field_idx < old_values.size(); ++field_idx) {
    if (old_values[field_idx].second == new_values[field_idx].second) continue;
    ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
        "INSERT INTO site_field_changes (operation_id, site_id, field, old_value, new_value, "
        "who, changed_at, batch_id, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    insert.Bind(1, after.operation_id)
        .Bind(2, after.site_id)
        .Bind(3, old_values[field_idx].first)
        .Bind(4, old_values[field_idx].second)
        .Bind(5, new_values[field_idx].second)
        .Bind(6, context.who)
        .Bind(7, context.when)
        .Bind(8, context.batch_id)
        .Bind(9, context.note);
    RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Result<Site> SqliteStore::FindSite(int64_t operation_id, std::string_view site_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kSiteColumns) + "WHERE operation_id = ?1 AND site_id = ?2"));
  query.Bind(1, operation_id).Bind(2, site_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return NotFoundError("site " + std::string(site_id) + " of operation " +
                         std::to_string(operation_id) + " not found");
  }
  return ReadSite(query);
}

Result<std::vector<Site>> SqliteStore::ListSites(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kSiteColumns) + "WHERE operation_id = ?1 ORDER BY site_id"));
  query.Bind(1, operation_id);
  std::vector<Site> sites;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    sites.push_back(ReadSite(query));
  }
  return sites;
}

Result<std::vector<std::string>> SqliteStore::SiteIds(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT site_id FROM sites WHERE operation_id = ?1 ORDER BY site_id"));
  query.Bind(1, operation_id);
  std::vector<std::string> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ids.push_back(query.Text(0));
  }
  return ids;
}

Result<std::vector<SiteStatusChange>> SqliteStore::SiteHistory(int64_t operation_id,
                                                              std::string_view site_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT id, operation_id, site_id, status, merged_into, from_round, date, batch_id, note "
      "FROM site_status_changes WHERE operation_id = ?1 AND site_id = ?2 ORDER BY id"));
  query.Bind(1, operation_id).Bind(2, site_id);
  std::vector<SiteStatusChange> history;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    SiteStatusChange change;
    change.id = query.Int64(0);
    change.operation_id = query.Int64(1);
    change.site_id = query.Text(2);
    change.status = ParseSiteStatus(query.Text(3)).value_or(SiteStatus::kOpen);
    change.merged_into = query.Text(4);
    change.from_round = query.OptionalInt(5);
    change.date = query.Text(6);
    change.batch_id = query.OptionalInt64(7);
    change.note = query.Text(8);
    history.push_back(std::move(change));
  }
  return history;
}

Result<std::vector<SiteFieldChange>> SqliteStore::SiteFieldChanges(int64_t operation_id,
                                                                   std::string_view site_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT id, operation_id, site_id, field, old_value, new_value, who, changed_at, "
      "batch_id, source FROM site_field_changes WHERE operation_id = ?1 AND site_id = ?2 "
      "ORDER BY id"));
  query.Bind(1, operation_id).Bind(2, site_id);
  std::vector<SiteFieldChange> changes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    SiteFieldChange change;
    change.id = query.Int64(0);
    change.operation_id = query.Int64(1);
    change.site_id = query.Text(2);
    change.field = query.Text(3);
    change.old_value = query.Text(4);
    change.new_value = query.Text(5);
    change.who = query.Text(6);
    change.when = query.Text(7);
    change.batch_id = query.OptionalInt64(8);
    change.source = query.Text(9);
    changes.push_back(std::move(change));
  }
  return changes;
}

// ---- Ingest -------------------------------------------------------------------

Result<std::unique_ptr<IngestTransaction>> SqliteStore::BeginIngest(const Batch& batch) {
  std::unique_lock lock(mutex_);
  if (ingest_open_) return FailedPreconditionError("an ingest is already open on this store");
  if (batch.operation_id) RETURN_IF_ERROR(RequireOperation(*batch.operation_id));
  RETURN_IF_ERROR(Execute(db_.get(), "BEGIN IMMEDIATE"));
  // A rolled-back copy's id can be reused: forget decompressed chunks.
  chunk_cache_ = ChunkCache{};
  // From here on the transaction object owns the rollback.
  Batch created = batch;
  created.state = BatchState::kActive;
  created.rows_read = created.accepted = created.quarantined = 0;
  auto transaction =
      std::make_unique<SqliteIngestTransaction>(this, std::move(lock), created);
  ingest_open_ = true;
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO batches (operation_id, round, assessment_type, source_name, source_sha256, "
      "created_at, who, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active')"));
  insert.Bind(1, batch.operation_id)
      .Bind(2, batch.round)
      .Bind(3, AssessmentTypeName(batch.assessment_type))
      .Bind(4, batch.source_name)
      .Bind(5, batch.source_sha256)
      .Bind(6, batch.created_at)
      .Bind(7, batch.who);
  RETURN_IF_ERROR(insert.Run());
  transaction->SetBatchId(sqlite3_last_insert_rowid(db_.get()));
  return std::unique_ptr<IngestTransaction>(std::move(transaction));
}

Status SqliteStore::UndoBatch(int64_t batch_id, std::string_view who, std::string_view when) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(Batch batch, FindBatch(batch_id));
  if (batch.state == BatchState::kUndone) {
    return FailedPreconditionError("batch " + std::to_string(batch_id) + " is already undone");
  }
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  if (batch.operation_id && batch.round) {  // admin-figure batches have no submissions
    // The round index finds the batch's rows (there is no index by batch).
    ASSIGN_OR_RETURN(StatementUse update, statements_->Use(
        "UPDATE submissions SET state = 'undone' "
        "WHERE operation_id = ?1 AND round = ?2 AND batch_id = ?3"));
    update.Bind(1, *batch.operation_id).Bind(2, *batch.round).Bind(3, batch_id);
    RETURN_IF_ERROR(update.Run());
  }
  {
    ASSIGN_OR_RETURN(StatementUse restore, statements_->Use(
        "UPDATE submissions SET state = COALESCE(state_before_replace, 'accepted'), "
        "replaced_by_batch = NULL, state_before_replace = NULL WHERE replaced_by_batch = ?1"));
    restore.Bind(1, batch_id);
    RETURN_IF_ERROR(restore.Run());
  }
  {
    ASSIGN_OR_RETURN(StatementUse update, statements_->Use(
        "UPDATE batches SET state = 'undone' WHERE id = ?1"));
    update.Bind(1, batch_id);
    RETURN_IF_ERROR(update.Run());
  }
  CleaningLogEntry entry;
  entry.batch_id = batch_id;
  entry.old_value = "active";
  entry.new_value = "undone";
  entry.rule = "undo";
  entry.action = "reverted";
  entry.who = std::string(who);
  entry.when = std::string(when);
  RETURN_IF_ERROR(InsertCleaningLog(entry, batch.operation_id, batch.round).status());
  return scope.Commit();
}

Result<Batch> SqliteStore::FindBatch(int64_t batch_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kBatchColumns) + "WHERE id = ?1"));
  query.Bind(1, batch_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("batch", batch_id));
  return ReadBatch(query);
}

Result<std::vector<Batch>> SqliteStore::Batches(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kBatchColumns) +
      "WHERE operation_id = ?1 OR id IN (SELECT batch_id FROM admin_figures "
      "WHERE operation_id = ?1) OR id IN (SELECT batch_id FROM quarantine "
      "WHERE operation_id = ?1) ORDER BY id"));
  query.Bind(1, operation_id);
  std::vector<Batch> batches;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    batches.push_back(ReadBatch(query));
  }
  return batches;
}

// ---- Submissions --------------------------------------------------------------

Result<std::vector<Submission>> SqliteStore::SelectSubmissions(
    const std::string& where, const std::function<void(StatementUse&)>& bind,
    bool with_values) {
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use((with_values ? select_submission_sql_
                                                 : std::string(kSubmissionColumns) +
                                                       " FROM submissions s ") +
                                    where));
  bind(query);
  std::vector<Submission> submissions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    Submission submission;
    ReadSubmissionIdentity(query, submission);
    if (with_values) {
      submission.values.resize(indicators_.size());
      int column = kFirstValueColumn;
      for (size_t indicator_idx = 0; indicator_idx < indicators_.size(); ++indicator_idx) {
        if (indicators_[indicator_idx].type == ColumnType::kNone) continue;
        submission.values[indicator_idx] = query.AsText(column++);
      }
    }
    submissions.push_back(std::move(submission));
  }
  return submissions;
}

namespace {

// The values of the row a submission query is on (select_submission_sql_),
// read in place. `column_of[i]`: the query's column holding indicator i, or -1.
class RowValues final : public StoredValues {
 public:
  RowValues(sqlite3_stmt* statement, const std::vector<int>& column_of)
      : statement_(statement), column_of_(column_of) {}

  bool IsBlank(int indicator) const override {
    if (indicator < 0 || static_cast<size_t>(indicator) >= column_of_.size()) return true;
    const int column = column_of_[indicator];
    return column < 0 || sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  int64_t Integer(int indicator) const override {
    return sqlite3_column_int64(statement_, column_of_[indicator]);
  }
  double Number(int indicator) const override {
    return sqlite3_column_double(statement_, column_of_[indicator]);
  }
  std::string_view Text(int indicator) const override {
    const int column = column_of_[indicator];
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return text == nullptr ? std::string_view()
                           : std::string_view(text, sqlite3_column_bytes(statement_, column));
  }

 private:
  sqlite3_stmt* statement_;
  const std::vector<int>& column_of_;
};

}  // namespace

void SqliteStore::ReadSubmissionIdentity(const StatementUse& query, Submission& submission) {
  submission.id = query.Int64(0);
  submission.batch_id = query.Int64(1);
  submission.operation_id = query.Int64(2);
  submission.round = query.Int(3);
  submission.assessment_type =
      ParseAssessmentType(query.Text(4)).value_or(AssessmentType::kSiteAssessment);
  submission.site_id = query.Text(5);
  submission.source_row = query.Int64(6);
  submission.submission_uuid = query.Text(7);
  submission.submission_time = query.Text(8);
  submission.enumerator = query.Text(9);
  submission.device = query.Text(10);
  submission.state = ParseSubmissionState(query.Text(11)).value_or(SubmissionState::kAccepted);
  submission.submission_key = query.Text(12);
}

Status SqliteStore::VisitAcceptedSubmissions(
    int64_t operation_id, int first_round, int last_round,
    const std::function<Status(const Submission& identity, const StoredValues& values)>& visit) {
  std::lock_guard lock(mutex_);
  // The round index's order: no sort.
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      select_submission_sql_ +
      "WHERE s.operation_id = ?1 AND s.round BETWEEN ?2 AND ?3 AND s.state = 'accepted' "
      "ORDER BY s.round, s.assessment_type, s.site_id, s.id"));
  query.Bind(1, operation_id).Bind(2, first_round).Bind(3, last_round);
  std::vector<int> column_of(indicators_.size(), -1);
  int column = kFirstValueColumn;
  for (size_t indicator_idx = 0; indicator_idx < indicators_.size(); ++indicator_idx) {
    if (indicators_[indicator_idx].type != ColumnType::kNone) column_of[indicator_idx] = column++;
  }
  const RowValues values(query.get(), column_of);
  Submission identity;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ReadSubmissionIdentity(query, identity);
    RETURN_IF_ERROR(visit(identity, values));
  }
  return Status::Ok();
}

Result<Submission> SqliteStore::FindSubmission(int64_t operation_id, std::string_view site_id,
                                               int round, AssessmentType type) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(std::vector<Submission> found, SelectSubmissions(
      "WHERE s.operation_id = ?1 AND s.round = ?2 AND s.assessment_type = ?3 AND "
      "s.site_id = ?4 AND s.state = 'accepted' ORDER BY s.id DESC LIMIT 1",
      [&](StatementUse& query) {
        query.Bind(1, operation_id).Bind(2, round).Bind(3, AssessmentTypeName(type)).Bind(4, site_id);
      }));
  if (found.empty()) {
    return NotFoundError("no accepted " + std::string(AssessmentTypeName(type)) +
                         " submission of site " + std::string(site_id) + " in round " +
                         std::to_string(round));
  }
  return std::move(found.front());
}

Result<Submission> SqliteStore::FindSubmissionByUuid(int64_t operation_id,
                                                     std::string_view submission_uuid) {
  std::lock_guard lock(mutex_);
  if (submission_uuid.empty()) return NotFoundError("empty submission uuid");
  ASSIGN_OR_RETURN(std::vector<Submission> found, SelectSubmissions(
      "WHERE s.operation_id = ?1 AND s.submission_uuid = ?2 AND s.state <> 'undone' "
      "ORDER BY s.id DESC LIMIT 1",
      [&](StatementUse& query) { query.Bind(1, operation_id).Bind(2, submission_uuid); }));
  if (found.empty()) {
    return NotFoundError("no submission with uuid " + std::string(submission_uuid));
  }
  return std::move(found.front());
}

Result<Submission> SqliteStore::GetSubmission(int64_t submission_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(std::vector<Submission> found,
                   SelectSubmissions("WHERE s.id = ?1", [&](StatementUse& query) {
                     query.Bind(1, submission_id);
                   }));
  if (found.empty()) return NotFoundError(NotFoundMessage("submission", submission_id));
  return std::move(found.front());
}

Result<std::vector<Submission>> SqliteStore::Submissions(int64_t operation_id, int round) {
  std::lock_guard lock(mutex_);
  return SelectSubmissions("WHERE s.operation_id = ?1 AND s.round = ?2 ORDER BY s.id",
                           [&](StatementUse& query) { query.Bind(1, operation_id).Bind(2, round); });
}

Result<size_t> SqliteStore::StoredIndicator(std::string_view name) const {
  auto it = std::find_if(indicators_.begin(), indicators_.end(),
                         [&](const IndicatorColumn& column) { return column.name == name; });
  if (it == indicators_.end() || it->type == ColumnType::kNone) {
    return NotFoundError("the store has no values of indicator '" + std::string(name) + "'");
  }
  return static_cast<size_t>(it - indicators_.begin());
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::AcceptedValues(
    int64_t operation_id, int round, AssessmentType type, std::string_view indicator) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(size_t indicator_idx, StoredIndicator(indicator));
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT s.site_id, s." +
      QuoteIdentifier(internal::ValueColumnName(indicators_[indicator_idx].name)) +
      " FROM submissions s WHERE s.operation_id = ?1 AND s.round = ?2 AND s.assessment_type = ?3 AND "
      "s.state = 'accepted' ORDER BY s.site_id, s.id"));  // the index's order: no sort
  query.Bind(1, operation_id).Bind(2, round).Bind(3, AssessmentTypeName(type));
  std::vector<std::pair<std::string, std::string>> values;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    values.emplace_back(query.Text(0), query.AsText(1));
  }
  return values;
}

Result<std::vector<Submission>> SqliteStore::SubmissionIdentities(int64_t operation_id,
                                                                  int round) {
  std::lock_guard lock(mutex_);
  return SelectSubmissions("WHERE s.operation_id = ?1 AND s.round = ?2 ORDER BY s.id",
                           [&](StatementUse& query) { query.Bind(1, operation_id).Bind(2, round); },
                           /*with_values=*/false);
}

// Reads [offset, offset + length) of a verbatim copy: the chunks it spans,
// decompressed (the last one read is cached), then cut out.
Result<std::string> SqliteStore::ReadVerbatim(int64_t source_file_id, int64_t offset,
                                              int64_t length) {
  std::string bytes;
  if (length <= 0) return bytes;
  int64_t first = offset / internal::kVerbatimChunkSize;
  int64_t last = (offset + length - 1) / internal::kVerbatimChunkSize;
  for (int64_t chunk = first; chunk <= last; ++chunk) {
    if (chunk_cache_.source_file_id != source_file_id || chunk_cache_.chunk != chunk) {
      ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
          "SELECT raw_size, data FROM source_chunks WHERE source_file_id = ?1 AND chunk = ?2"));
      query.Bind(1, source_file_id).Bind(2, chunk);
      ASSIGN_OR_RETURN(bool found, query.Step());
      if (!found) {
        return DataLossError("verbatim copy " + std::to_string(source_file_id) + ": chunk " +
                             std::to_string(chunk) + " is missing");
      }
      ASSIGN_OR_RETURN(std::string raw, internal::DecompressChunk(query.Blob(1), query.Int64(0)));
      chunk_cache_ = ChunkCache{source_file_id, chunk, std::move(raw)};
    }
    int64_t chunk_start = chunk * internal::kVerbatimChunkSize;
    int64_t from = std::max(offset, chunk_start) - chunk_start;
    int64_t to = std::min(offset + length, chunk_start + internal::kVerbatimChunkSize) - chunk_start;
    if (to > static_cast<int64_t>(chunk_cache_.raw.size()) || from > to) {
      return DataLossError("verbatim copy " + std::to_string(source_file_id) +
                           " is shorter than its rows");
    }
    bytes.append(chunk_cache_.raw, static_cast<size_t>(from), static_cast<size_t>(to - from));
  }
  return bytes;
}

Result<VerbatimRow> SqliteStore::GetVerbatimRow(int64_t submission_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT b.source_file_id, b.header_length, s.verbatim_offset, s.verbatim_length "
      "FROM submissions s JOIN batches b ON b.id = s.batch_id WHERE s.id = ?1"));
  query.Bind(1, submission_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("submission", submission_id));
  if (query.IsNull(0)) {
    return NotFoundError("submission " + std::to_string(submission_id) +
                         " has no verbatim copy (its ingest has not committed)");
  }
  int64_t file_id = query.Int64(0);
  int64_t header_length = query.Int64(1);
  int64_t offset = query.Int64(2);
  int64_t length = query.Int64(3);
  VerbatimRow row;
  ASSIGN_OR_RETURN(std::string header_text, ReadVerbatim(file_id, 0, header_length));
  ASSIGN_OR_RETURN(row.header, internal::ParseCsvRecord(header_text));
  ASSIGN_OR_RETURN(std::string row_text, ReadVerbatim(file_id, offset, length));
  ASSIGN_OR_RETURN(row.cells, internal::ParseCsvRecord(row_text));
  return row;
}

Result<CleaningLogEntry> SqliteStore::UpdateSubmissionValue(int64_t submission_id,
                                                            std::string_view indicator,
                                                            std::string_view value,
                                                            CleaningLogEntry log) {
  std::lock_guard lock(mutex_);
  auto column = std::find_if(indicators_.begin(), indicators_.end(),
                             [&](const IndicatorColumn& c) { return c.name == indicator; });
  if (column == indicators_.end()) {
    return NotFoundError("indicator " + std::string(indicator) + " is not in the dictionary");
  }
  if (column->type == ColumnType::kNone) {
    return InvalidArgumentError("indicator " + std::string(indicator) +
                                " is pii: pii is never stored");
  }
  int64_t operation_id = 0;
  int round = 0;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT operation_id, round FROM submissions WHERE id = ?1"));
    query.Bind(1, submission_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(NotFoundMessage("submission", submission_id));
    operation_id = query.Int64(0);
    round = query.Int(1);
  }
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  std::string quoted = QuoteIdentifier(internal::ValueColumnName(column->name));
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT " + quoted + " FROM submissions WHERE id = ?1"));
    query.Bind(1, submission_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (found) log.old_value = query.AsText(0);
  }
  {
    ASSIGN_OR_RETURN(StatementUse update, statements_->Use(
        "UPDATE submissions SET " + quoted + " = ?1 WHERE id = ?2"));
    std::string text(value);
    if (text.empty()) {
      update.BindNull(1);
    } else if (column->type == ColumnType::kInteger && core::ParseInteger(text)) {
      update.Bind(1, *core::ParseInteger(text));
    } else if (column->type == ColumnType::kReal && core::ParseNumber(text)) {
      update.Bind(1, *core::ParseNumber(text));
    } else {
      update.Bind(1, text);
    }
    update.Bind(2, submission_id);
    RETURN_IF_ERROR(update.Run());
  }
  log.submission_id = submission_id;
  log.indicator = std::string(indicator);
  log.new_value = std::string(value);
  ASSIGN_OR_RETURN(log.entry_id, InsertCleaningLog(log, operation_id, round));
  RETURN_IF_ERROR(scope.Commit());
  return log;
}

// ---- Cleaning log, quarantine, alerts, admin figures ----------------------------

Result<int64_t> SqliteStore::InsertCleaningLog(const CleaningLogEntry& entry,
                                               std::optional<int64_t> operation_id,
                                               std::optional<int> round) {
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO cleaning_log (operation_id, round, batch_id, submission_id, \"row\", "
      "\"column\", indicator, old_value, new_value, rule, action, who, \"when\") "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  insert.Bind(1, operation_id)
      .Bind(2, round)
      .Bind(3, entry.batch_id)
      .Bind(4, entry.submission_id)
      .Bind(5, entry.row)
      .Bind(6, entry.column)
      .Bind(7, entry.indicator)
      .Bind(8, entry.old_value)
      .Bind(9, entry.new_value)
      .Bind(10, entry.rule)
      .Bind(11, entry.action)
      .Bind(12, entry.who)
      .Bind(13, entry.when);
  RETURN_IF_ERROR(insert.Run());
  return sqlite3_last_insert_rowid(db_.get());
}

// The operation and round of an entry come from its submission when it names
// one, else from its batch.
Result<int64_t> SqliteStore::AddCleaningLogLocked(const CleaningLogEntry& entry) {
  if (entry.submission_id) {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT operation_id, round FROM submissions WHERE id = ?1"));
    query.Bind(1, *entry.submission_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(NotFoundMessage("submission", *entry.submission_id));
    int64_t operation_id = query.Int64(0);
    int round = query.Int(1);
    return InsertCleaningLog(entry, operation_id, round);
  }
  if (entry.batch_id) {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT operation_id, round FROM batches WHERE id = ?1"));
    query.Bind(1, *entry.batch_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(NotFoundMessage("batch", *entry.batch_id));
    std::optional<int64_t> operation_id = query.OptionalInt64(0);
    std::optional<int> round = query.OptionalInt(1);
    if (!operation_id) {  // a batch of admin-level figures: the record's
      operation_id = entry.operation_id;
      round = entry.round;
    }
    return InsertCleaningLog(entry, operation_id, round);
  }
  return InvalidArgumentError("a cleaning-log entry must name a batch or a submission");
}

Result<int64_t> SqliteStore::AppendCleaningLog(const CleaningLogEntry& entry) {
  std::lock_guard lock(mutex_);
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(int64_t entry_id, AddCleaningLogLocked(entry));
  RETURN_IF_ERROR(scope.Commit());
  return entry_id;
}

Result<CleaningLogEntry> SqliteStore::FindCleaningLogEntry(int64_t entry_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kCleaningLogColumns) + "WHERE entry_id = ?1"));
  query.Bind(1, entry_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("cleaning-log entry", entry_id));
  return ReadCleaningLog(query);
}

Result<std::vector<CleaningLogEntry>> SqliteStore::CleaningLog(int64_t operation_id,
                                                               std::optional<int> round) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kCleaningLogColumns) +
      "WHERE operation_id = ?1 AND (?2 IS NULL OR round = ?2) ORDER BY entry_id"));
  query.Bind(1, operation_id).Bind(2, round);
  std::vector<CleaningLogEntry> entries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    entries.push_back(ReadCleaningLog(query));
  }
  return entries;
}

Result<std::vector<QuarantineEntry>> SqliteStore::Quarantine(
    std::optional<int64_t> operation_id, std::optional<int64_t> batch_id) {
  std::lock_guard lock(mutex_);
  struct Located {
    QuarantineEntry entry;
    std::optional<int64_t> file_id;
    int64_t offset = 0;
    int64_t length = 0;
  };
  std::vector<Located> located;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
        "SELECT q.id, q.batch_id, q.source_row, q.rule, q.message, q.site_id, q.round, "
        "b.source_file_id, q.verbatim_offset, q.verbatim_length, q.operation_id, "
        "q.submission_id FROM quarantine q JOIN batches b ON b.id = q.batch_id "
        "LEFT JOIN submissions s ON s.id = q.submission_id "
        "WHERE (?1 IS NULL OR q.operation_id = ?1) AND b.state = 'active' "
        "AND (?2 IS NULL OR q.batch_id = ?2) AND (s.id IS NULL OR s.state <> 'replaced') "
        "ORDER BY q.id"));
    query.Bind(1, operation_id).Bind(2, batch_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      Located item;
      item.entry.id = query.Int64(0);
      item.entry.batch_id = query.Int64(1);
      item.entry.source_row = query.Int64(2);
      item.entry.rule = query.Text(3);
      item.entry.message = query.Text(4);
      item.entry.site_id = query.Text(5);
      item.entry.round = query.OptionalInt(6);
      item.file_id = query.OptionalInt64(7);
      item.offset = query.Int64(8);
      item.length = query.Int64(9);
      item.entry.operation_id = query.OptionalInt64(10);
      item.entry.submission_id = query.OptionalInt64(11);
      located.push_back(std::move(item));
    }
  }
  std::vector<QuarantineEntry> entries;
  entries.reserve(located.size());
  for (Located& item : located) {
    if (item.file_id) {
      ASSIGN_OR_RETURN(std::string text, ReadVerbatim(*item.file_id, item.offset, item.length));
      ASSIGN_OR_RETURN(item.entry.raw_cells, internal::ParseCsvRecord(text));
    }
    entries.push_back(std::move(item.entry));
  }
  return entries;
}

Result<std::pair<int64_t, bool>> SqliteStore::InsertAlert(int64_t batch_id, AssessmentType type,
                                                           const Alert& alert) {
  // Rows without a site ID cannot be told apart: each one's alert is kept.
  if (!alert.site_id.empty()) {
    ASSIGN_OR_RETURN(StatementUse find, statements_->Use(
        "SELECT a.id FROM alerts a JOIN batches b ON b.id = a.batch_id "
        "WHERE a.operation_id = ?1 AND a.round = ?2 AND a.site_id = ?3 AND a.rule = ?4 "
        "AND a.indicator = ?5 AND b.state = 'active' AND b.assessment_type = ?6 "
        "ORDER BY a.id LIMIT 1"));
    find.Bind(1, alert.operation_id)
        .Bind(2, alert.round)
        .Bind(3, alert.site_id)
        .Bind(4, alert.rule)
        .Bind(5, alert.indicator)
        .Bind(6, AssessmentTypeName(type));
    ASSIGN_OR_RETURN(bool found, find.Step());
    if (found) return std::pair<int64_t, bool>(find.Int64(0), false);
  }
  ASSIGN_OR_RETURN(StatementUse insert, statements_->Use(
      "INSERT INTO alerts (batch_id, operation_id, round, site_id, indicator, value, rule, "
      "created_at, message, previous_round, previous_value, score) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  insert.Bind(1, batch_id)
      .Bind(2, alert.operation_id)
      .Bind(3, alert.round)
      .Bind(4, alert.site_id)
      .Bind(5, alert.indicator)
      .Bind(6, alert.value)
      .Bind(7, alert.rule)
      .Bind(8, alert.created_at)
      .Bind(9, alert.message)
      .Bind(10, alert.previous_round)
      .Bind(11, alert.previous_value)
      .Bind(12, alert.score);
  RETURN_IF_ERROR(insert.Run());
  return std::pair<int64_t, bool>(sqlite3_last_insert_rowid(db_.get()), true);
}

Result<std::vector<Alert>> SqliteStore::Alerts(int64_t operation_id, const AlertFilter& filter) {
  std::lock_guard lock(mutex_);
  // The statuses wanted as ",new,closed," (empty: any), so that one cached
  // statement serves every filter.
  std::string statuses;
  for (AlertStatus status : filter.statuses) {
    statuses += (statuses.empty() ? "," : "") + std::string(AlertStatusName(status)) + ",";
  }
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      std::string(kAlertColumns) +
      "WHERE a.operation_id = ?1 AND b.state = 'active' AND (?2 IS NULL OR a.round = ?2) "
      "AND (?3 = '' OR instr(?3, ',' || a.status || ',') > 0) "
      "AND (?4 IS NULL OR a.batch_id = ?4) ORDER BY a.id"));
  query.Bind(1, operation_id).Bind(2, filter.round).Bind(3, statuses).Bind(4, filter.batch_id);
  std::vector<Alert> alerts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    alerts.push_back(ReadAlertRow(query));
  }
  return alerts;
}

Result<std::vector<int64_t>> SqliteStore::AddAlerts(int64_t batch_id,
                                                   std::span<const Alert> alerts) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(Batch batch, FindBatch(batch_id));
  if (batch.state == BatchState::kUndone) {
    return FailedPreconditionError("batch " + std::to_string(batch_id) +
                                   " is undone: it raises no alerts");
  }
  for (const Alert& alert : alerts) {
    if (batch.operation_id != alert.operation_id) {
      return InvalidArgumentError("alert of site " + alert.site_id + " is not of batch " +
                                  std::to_string(batch_id) + "'s operation");
    }
  }
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  std::vector<int64_t> added;
  for (const Alert& alert : alerts) {
    ASSIGN_OR_RETURN(auto stored, InsertAlert(batch_id, batch.assessment_type, alert));
    if (stored.second) added.push_back(stored.first);
  }
  RETURN_IF_ERROR(scope.Commit());
  return added;
}

Result<std::pair<Alert, BatchState>> SqliteStore::ReadAlert(int64_t alert_id) {
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kAlertColumns) + "WHERE a.id = ?1"));
  query.Bind(1, alert_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("alert", alert_id));
  return std::pair<Alert, BatchState>(
      ReadAlertRow(query),
      ParseBatchState(query.Text(kAlertBatchStateColumn)).value_or(BatchState::kActive));
}

// 1. Read the alert inside the write transaction (so that two processes
// cannot both move it). 2. Check the move. 3. Update the alert and append the
// event.
Result<Alert> SqliteStore::FindAlert(int64_t alert_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(auto found, ReadAlert(alert_id));
  return found.first;
}

Result<Alert> SqliteStore::SetAlertStatus(int64_t alert_id, AlertStatus status,
                                          std::string_view who, std::string_view when,
                                          std::string_view note) {
  std::lock_guard lock(mutex_);
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(auto found, ReadAlert(alert_id));
  Alert& alert = found.first;
  const std::string id_text = "alert " + std::to_string(alert_id);
  if (found.second == BatchState::kUndone) {
    return FailedPreconditionError(id_text + " was raised by batch " +
                                   std::to_string(alert.batch_id) + ", which is undone");
  }
  if (!IsAllowedMove(alert.status, status)) {
    const std::string from(AlertStatusName(alert.status));
    const std::string to(AlertStatusName(status));
    return FailedPreconditionError(
        (alert.status == status ? id_text + " is already " + to
                                : id_text + " is " + from + ": it cannot become " + to) +
        " (allowed: new -> acknowledged, new -> closed, acknowledged -> closed)");
  }
  {
    ASSIGN_OR_RETURN(StatementUse update, statements_->Use(
        "UPDATE alerts SET status = ?1, status_by = ?2, status_at = ?3, status_note = ?4 "
        "WHERE id = ?5"));
    update.Bind(1, AlertStatusName(status)).Bind(2, who).Bind(3, when).Bind(4, note);
    update.Bind(5, alert_id);
    RETURN_IF_ERROR(update.Run());
  }
  ASSIGN_OR_RETURN(StatementUse event, statements_->Use(
      "INSERT INTO alert_events (alert_id, from_status, to_status, who, \"when\", note) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  event.Bind(1, alert_id)
      .Bind(2, AlertStatusName(alert.status))
      .Bind(3, AlertStatusName(status))
      .Bind(4, who)
      .Bind(5, when)
      .Bind(6, note);
  RETURN_IF_ERROR(event.Run());
  RETURN_IF_ERROR(scope.Commit());
  alert.status = status;
  alert.status_by = std::string(who);
  alert.status_at = std::string(when);
  alert.status_note = std::string(note);
  return alert;
}

Result<std::vector<AlertEvent>> SqliteStore::AlertHistory(int64_t alert_id) {
  std::lock_guard lock(mutex_);
  RETURN_IF_ERROR(ReadAlert(alert_id).status());
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT id, alert_id, from_status, to_status, who, \"when\", note FROM alert_events "
      "WHERE alert_id = ?1 ORDER BY id"));
  query.Bind(1, alert_id);
  std::vector<AlertEvent> events;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    AlertEvent event;
    event.id = query.Int64(0);
    event.alert_id = query.Int64(1);
    event.from_status = ParseAlertStatus(query.Text(2)).value_or(AlertStatus::kNew);
    event.to_status = ParseAlertStatus(query.Text(3)).value_or(AlertStatus::kNew);
    event.who = query.Text(4);
    event.when = query.Text(5);
    event.note = query.Text(6);
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::vector<AdminFigure>> SqliteStore::AdminFigures(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use(
      "SELECT f.id, f.batch_id, f.operation_id, f.admin_level, f.source_id, f.operation_name, "
      "f.country_name, f.country, f.round, f.reporting_date, f.assessment_type, f.admin1_pcode, "
      "f.admin1_name, f.admin2_pcode, f.admin2_name, f.displacement_reason, "
      "f.origin_admin1_pcode, f.origin_admin1_name, f.num_present_idp_ind, f.males, f.females, "
      "f.record_json FROM admin_figures f JOIN batches b ON b.id = f.batch_id "
      "WHERE f.operation_id = ?1 AND b.state = 'active' ORDER BY f.id"));
  query.Bind(1, operation_id);
  std::vector<AdminFigure> figures;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    AdminFigure figure;
    figure.id = query.Int64(0);
    figure.batch_id = query.Int64(1);
    figure.operation_id = query.Int64(2);
    figure.admin_level = query.Int(3);
    figure.source_id = query.Text(4);
    figure.operation_name = query.Text(5);
    figure.country_name = query.Text(6);
    figure.country = query.Text(7);
    figure.round = query.Int(8);
    figure.reporting_date = query.Text(9);
    figure.assessment_type = query.Text(10);
    figure.admin1_pcode = query.Text(11);
    figure.admin1_name = query.Text(12);
    figure.admin2_pcode = query.Text(13);
    figure.admin2_name = query.Text(14);
    figure.displacement_reason = query.Text(15);
    figure.origin_admin1_pcode = query.Text(16);
    figure.origin_admin1_name = query.Text(17);
    figure.num_present_idp_ind = query.Int64(18);
    figure.males = query.OptionalInt64(19);
    figure.females = query.OptionalInt64(20);
    figure.record_json = query.Text(21);
    figures.push_back(std::move(figure));
  }
  return figures;
}

// ---- Principals ---------------------------------------------------------------

namespace {

// Clusters are stored as one comma-separated text, as the audit log names
// them: lower case, in the order given, each once.
Result<std::vector<std::string>> NormalizeClusters(const Organisation& organisation) {
  std::vector<std::string> clusters;
  for (const std::string& given : organisation.clusters) {
    std::string cluster = core::AsciiLower(core::Trim(given));
    if (cluster.empty()) {
      return InvalidArgumentError("organisation " + organisation.name + ": empty cluster");
    }
    if (cluster.find(',') != std::string::npos) {
      return InvalidArgumentError("organisation " + organisation.name + ": cluster '" + given +
                                  "' contains a comma");
    }
    if (std::find(clusters.begin(), clusters.end(), cluster) == clusters.end()) {
      clusters.push_back(std::move(cluster));
    }
  }
  return clusters;
}

std::string JoinClusters(const std::vector<std::string>& clusters) {
  std::string joined;
  for (const std::string& cluster : clusters) {
    if (!joined.empty()) joined += ',';
    joined += cluster;
  }
  return joined;
}

constexpr const char* kOrganisationColumns =
    "SELECT id, name, clusters, created_at, revoked_at FROM organisations ";

Organisation ReadOrganisation(const StatementUse& row) {
  Organisation organisation;
  organisation.id = row.Int64(0);
  organisation.name = row.Text(1);
  const std::string clusters = row.Text(2);
  if (!clusters.empty()) {
    for (std::string_view cluster : core::Split(clusters, ',')) {
      organisation.clusters.emplace_back(cluster);
    }
  }
  organisation.created_at = row.Text(3);
  organisation.revoked_at = row.Text(4);
  return organisation;
}

constexpr const char* kUserColumns =
    "SELECT id, name, organisation_id, created_at, revoked_at FROM users ";

User ReadUser(const StatementUse& row) {
  User user;
  user.id = row.Int64(0);
  user.name = row.Text(1);
  user.organisation_id = row.Int64(2);
  user.created_at = row.Text(3);
  user.revoked_at = row.Text(4);
  return user;
}

// The user's tiers, by operation_id.
Result<std::vector<UserTier>> UserTiersOf(internal::StatementCache& statements, int64_t user_id) {
  ASSIGN_OR_RETURN(
      StatementUse query,
      statements.Use(
          "SELECT operation_id, tier FROM user_tiers WHERE user_id = ?1 ORDER BY operation_id"));
  query.Bind(1, user_id);
  std::vector<UserTier> tiers;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    tiers.push_back(UserTier{query.Int64(0), ParseTier(query.Text(1)).value_or(Tier::kPublic)});
  }
  return tiers;
}

constexpr const char* kDsaColumns =
    "SELECT id, reference, organisation_id, tier, valid_from, valid_to, purpose, created_at, "
    "revoked_at FROM dsas ";

DataSharingAgreement ReadDsa(const StatementUse& row) {
  DataSharingAgreement dsa;
  dsa.id = row.Int64(0);
  dsa.reference = row.Text(1);
  dsa.organisation_id = row.Int64(2);
  dsa.tier = ParseTier(row.Text(3)).value_or(Tier::kPublic);
  dsa.valid_from = row.Text(4);
  dsa.valid_to = row.Text(5);
  dsa.purpose = row.Text(6);
  dsa.created_at = row.Text(7);
  dsa.revoked_at = row.Text(8);
  return dsa;
}

// The agreement's operations, ascending.
Result<std::vector<int64_t>> DsaOperationsOf(internal::StatementCache& statements, int64_t dsa_id) {
  ASSIGN_OR_RETURN(
      StatementUse query,
      statements.Use(
          "SELECT operation_id FROM dsa_operations WHERE dsa_id = ?1 ORDER BY operation_id"));
  query.Bind(1, dsa_id);
  std::vector<int64_t> operation_ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    operation_ids.push_back(query.Int64(0));
  }
  return operation_ids;
}

// A DSA's valid date as stored: "YYYY-MM-DD" (ParseIsoDate also takes the
// DTM API's "YYYY-MM-DDT00:00:00"), so that dates compare as text.
Result<core::Date> DsaDate(const DataSharingAgreement& dsa, std::string_view field,
                           std::string_view text) {
  Result<core::Date> date = core::ParseIsoDate(text);
  if (!date.ok()) {
    return InvalidArgumentError("DSA " + dsa.reference + ": " + std::string(field) + ": " +
                                date.status().message());
  }
  return date;
}

// Sets revoked_at = `when` on the row of `table` whose `key_column` is `key`.
// `what` names the record in messages ("organisation", "user", "DSA").
// Errors: InvalidArgument for an empty `when` (it would leave the record
// active); NotFound; FailedPrecondition when already revoked.
Status Revoke(sqlite3* db, internal::StatementCache& statements, std::string_view table,
              std::string_view key_column, std::string_view what, std::string_view key,
              std::string_view when) {
  const std::string named = std::string(what) + " " + std::string(key);
  if (when.empty()) return InvalidArgumentError("revoking " + named + ": no time given");
  WriteScope scope(db);
  RETURN_IF_ERROR(scope.Begin());
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements.Use("SELECT revoked_at FROM " + std::string(table) + " WHERE " +
                                    std::string(key_column) + " = ?1"));
    query.Bind(1, key);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(named + " not found");
    const std::string revoked_at = query.Text(0);
    if (!revoked_at.empty()) {
      return FailedPreconditionError(named + " was already revoked at " + revoked_at);
    }
  }
  ASSIGN_OR_RETURN(StatementUse update,
                   statements.Use("UPDATE " + std::string(table) + " SET revoked_at = ?1 WHERE " +
                                  std::string(key_column) + " = ?2"));
  update.Bind(1, when).Bind(2, key);
  RETURN_IF_ERROR(update.Run());
  return scope.Commit();
}

}  // namespace

Result<Organisation> SqliteStore::AddOrganisation(const Organisation& organisation) {
  std::lock_guard lock(mutex_);
  if (organisation.name.empty()) return InvalidArgumentError("organisation name is empty");
  ASSIGN_OR_RETURN(std::vector<std::string> clusters, NormalizeClusters(organisation));
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(
      StatementUse insert,
      statements_->Use(
          "INSERT INTO organisations (name, clusters, created_at) VALUES (?1, ?2, ?3)"));
  insert.Bind(1, organisation.name)
      .Bind(2, JoinClusters(clusters))
      .Bind(3, organisation.created_at);
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("organisation " + organisation.name + " already exists");
  }
  RETURN_IF_ERROR(inserted);
  Organisation created = organisation;
  created.id = sqlite3_last_insert_rowid(db_.get());
  created.clusters = std::move(clusters);
  created.revoked_at.clear();
  RETURN_IF_ERROR(scope.Commit());
  return created;
}

Result<Organisation> SqliteStore::FindOrganisation(std::string_view name) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOrganisationColumns) + "WHERE name = ?1"));
  query.Bind(1, name);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError("organisation " + std::string(name) + " not found");
  return ReadOrganisation(query);
}

Result<Organisation> SqliteStore::GetOrganisation(int64_t organisation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOrganisationColumns) + "WHERE id = ?1"));
  query.Bind(1, organisation_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFoundError(NotFoundMessage("organisation", organisation_id));
  return ReadOrganisation(query);
}

Result<std::vector<Organisation>> SqliteStore::ListOrganisations() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOrganisationColumns) + "ORDER BY name"));
  std::vector<Organisation> organisations;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    organisations.push_back(ReadOrganisation(query));
  }
  return organisations;
}

Status SqliteStore::RevokeOrganisation(std::string_view name, std::string_view when) {
  std::lock_guard lock(mutex_);
  return Revoke(db_.get(), *statements_, "organisations", "name", "organisation", name, when);
}

// 1. Check the record (name, no operation twice). 2. Check that the
// organisation and every operation exist. 3. Insert the user (the name must
// be free) and its tiers, in one transaction.
Result<User> SqliteStore::AddUser(const User& user) {
  std::lock_guard lock(mutex_);
  if (user.name.empty()) return InvalidArgumentError("user name is empty");
  std::vector<UserTier> tiers = user.tiers;
  std::sort(tiers.begin(), tiers.end(), [](const UserTier& left, const UserTier& right) {
    return left.operation_id < right.operation_id;
  });
  for (size_t tier_idx = 1; tier_idx < tiers.size(); ++tier_idx) {
    if (tiers[tier_idx].operation_id == tiers[tier_idx - 1].operation_id) {
      return InvalidArgumentError("user " + user.name + ": operation " +
                                  std::to_string(tiers[tier_idx].operation_id) +
                                  " is listed twice");
    }
  }
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use("SELECT 1 FROM organisations WHERE id = ?1"));
    query.Bind(1, user.organisation_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(NotFoundMessage("organisation", user.organisation_id));
  }
  for (const UserTier& tier : tiers) RETURN_IF_ERROR(RequireOperation(tier.operation_id));
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  {
    ASSIGN_OR_RETURN(
        StatementUse insert,
        statements_->Use(
            "INSERT INTO users (name, organisation_id, created_at) VALUES (?1, ?2, ?3)"));
    insert.Bind(1, user.name).Bind(2, user.organisation_id).Bind(3, user.created_at);
    Status inserted = insert.Run();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("user " + user.name + " already exists");
    }
    RETURN_IF_ERROR(inserted);
  }
  User created = user;
  created.id = sqlite3_last_insert_rowid(db_.get());
  for (const UserTier& tier : tiers) {
    ASSIGN_OR_RETURN(
        StatementUse insert,
        statements_->Use(
            "INSERT INTO user_tiers (user_id, operation_id, tier) VALUES (?1, ?2, ?3)"));
    insert.Bind(1, created.id).Bind(2, tier.operation_id).Bind(3, TierName(tier.tier));
    RETURN_IF_ERROR(insert.Run());
  }
  RETURN_IF_ERROR(scope.Commit());
  created.tiers = std::move(tiers);
  created.revoked_at.clear();
  return created;
}

Result<User> SqliteStore::FindUser(std::string_view name) {
  std::lock_guard lock(mutex_);
  User user;
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use(std::string(kUserColumns) + "WHERE name = ?1"));
    query.Bind(1, name);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError("user " + std::string(name) + " not found");
    user = ReadUser(query);
  }
  ASSIGN_OR_RETURN(user.tiers, UserTiersOf(*statements_, user.id));
  return user;
}

Result<std::vector<User>> SqliteStore::ListUsers() {
  std::lock_guard lock(mutex_);
  std::vector<User> users;
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use(std::string(kUserColumns) + "ORDER BY name"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      users.push_back(ReadUser(query));
    }
  }
  for (User& user : users) {
    ASSIGN_OR_RETURN(user.tiers, UserTiersOf(*statements_, user.id));
  }
  return users;
}

Status SqliteStore::SetUserTier(std::string_view name, const UserTier& tier) {
  std::lock_guard lock(mutex_);
  int64_t user_id = 0;
  {
    ASSIGN_OR_RETURN(StatementUse query, statements_->Use("SELECT id FROM users WHERE name = ?1"));
    query.Bind(1, name);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError("user " + std::string(name) + " not found");
    user_id = query.Int64(0);
  }
  RETURN_IF_ERROR(RequireOperation(tier.operation_id));
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(
      StatementUse upsert,
      statements_->Use("INSERT INTO user_tiers (user_id, operation_id, tier) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (user_id, operation_id) DO UPDATE SET tier = ?3"));
  upsert.Bind(1, user_id).Bind(2, tier.operation_id).Bind(3, TierName(tier.tier));
  RETURN_IF_ERROR(upsert.Run());
  return scope.Commit();
}

Status SqliteStore::RevokeUser(std::string_view name, std::string_view when) {
  std::lock_guard lock(mutex_);
  return Revoke(db_.get(), *statements_, "users", "name", "user", name, when);
}

// 1. Check the record (reference, operations, dates). 2. Check that the
// organisation and every operation exist. 3. Insert the agreement (the
// reference must be free) and its operations, in one transaction.
Result<DataSharingAgreement> SqliteStore::AddDsa(const DataSharingAgreement& dsa) {
  std::lock_guard lock(mutex_);
  if (dsa.reference.empty()) return InvalidArgumentError("DSA reference is empty");
  std::vector<int64_t> operation_ids = dsa.operation_ids;
  std::sort(operation_ids.begin(), operation_ids.end());
  operation_ids.erase(std::unique(operation_ids.begin(), operation_ids.end()), operation_ids.end());
  if (operation_ids.empty()) {
    return InvalidArgumentError("DSA " + dsa.reference + " names no operation");
  }
  ASSIGN_OR_RETURN(core::Date valid_from, DsaDate(dsa, "valid_from", dsa.valid_from));
  ASSIGN_OR_RETURN(core::Date valid_to, DsaDate(dsa, "valid_to", dsa.valid_to));
  if (valid_to < valid_from) {
    return InvalidArgumentError("DSA " + dsa.reference + ": valid_to " + dsa.valid_to +
                                " is before valid_from " + dsa.valid_from);
  }
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use("SELECT 1 FROM organisations WHERE id = ?1"));
    query.Bind(1, dsa.organisation_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError(NotFoundMessage("organisation", dsa.organisation_id));
  }
  for (int64_t operation_id : operation_ids) RETURN_IF_ERROR(RequireOperation(operation_id));
  DataSharingAgreement created = dsa;
  created.operation_ids = std::move(operation_ids);
  created.valid_from = core::ToIso(valid_from);
  created.valid_to = core::ToIso(valid_to);
  created.revoked_at.clear();
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  {
    ASSIGN_OR_RETURN(
        StatementUse insert,
        statements_->Use(
            "INSERT INTO dsas (reference, organisation_id, tier, valid_from, valid_to, purpose, "
            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    insert.Bind(1, created.reference)
        .Bind(2, created.organisation_id)
        .Bind(3, TierName(created.tier))
        .Bind(4, created.valid_from)
        .Bind(5, created.valid_to)
        .Bind(6, created.purpose)
        .Bind(7, created.created_at);
    Status inserted = insert.Run();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("DSA " + dsa.reference + " already exists");
    }
    RETURN_IF_ERROR(inserted);
  }
  created.id = sqlite3_last_insert_rowid(db_.get());
  for (int64_t operation_id : created.operation_ids) {
    ASSIGN_OR_RETURN(
        StatementUse insert,
        statements_->Use("INSERT INTO dsa_operations (dsa_id, operation_id) VALUES (?1, ?2)"));
    insert.Bind(1, created.id).Bind(2, operation_id);
    RETURN_IF_ERROR(insert.Run());
  }
  RETURN_IF_ERROR(scope.Commit());
  return created;
}

Result<DataSharingAgreement> SqliteStore::FindDsa(std::string_view reference) {
  std::lock_guard lock(mutex_);
  DataSharingAgreement dsa;
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use(std::string(kDsaColumns) + "WHERE reference = ?1"));
    query.Bind(1, reference);
    ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return NotFoundError("DSA " + std::string(reference) + " not found");
    dsa = ReadDsa(query);
  }
  ASSIGN_OR_RETURN(dsa.operation_ids, DsaOperationsOf(*statements_, dsa.id));
  return dsa;
}

Result<std::vector<DataSharingAgreement>> SqliteStore::ListDsas() {
  std::lock_guard lock(mutex_);
  std::vector<DataSharingAgreement> dsas;
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use(std::string(kDsaColumns) + "ORDER BY reference"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      dsas.push_back(ReadDsa(query));
    }
  }
  for (DataSharingAgreement& dsa : dsas) {
    ASSIGN_OR_RETURN(dsa.operation_ids, DsaOperationsOf(*statements_, dsa.id));
  }
  return dsas;
}

Status SqliteStore::RevokeDsa(std::string_view reference, std::string_view when) {
  std::lock_guard lock(mutex_);
  return Revoke(db_.get(), *statements_, "dsas", "reference", "DSA", reference, when);
}

// ---- Disclosure policy ----------------------------------------------------------

namespace {

constexpr const char* kPolicyColumns =
    "SELECT operation_id, version, rules, created_at, created_by, note FROM policies ";

PolicyVersion ReadPolicy(const StatementUse& row) {
  return PolicyVersion{row.Int64(0), row.Int(1),  row.Text(2),
                       row.Text(3),  row.Text(4), row.Text(5)};
}

}  // namespace

Result<PolicyVersion> SqliteStore::AddPolicyVersion(const PolicyVersion& policy) {
  std::lock_guard lock(mutex_);
  if (policy.rules.empty()) {
    return InvalidArgumentError("policy of operation " + std::to_string(policy.operation_id) +
                                " has empty rules");
  }
  RETURN_IF_ERROR(RequireOperation(policy.operation_id));
  // The last version is read inside the write transaction, so that two
  // processes cannot both take the same number.
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  PolicyVersion created = policy;
  {
    ASSIGN_OR_RETURN(
        StatementUse query,
        statements_->Use("SELECT COALESCE(MAX(version), 0) FROM policies WHERE operation_id = ?1"));
    query.Bind(1, policy.operation_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    created.version = (found ? query.Int(0) : 0) + 1;
  }
  ASSIGN_OR_RETURN(
      StatementUse insert,
      statements_->Use(
          "INSERT INTO policies (operation_id, version, rules, created_at, created_by, note) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  insert.Bind(1, created.operation_id)
      .Bind(2, created.version)
      .Bind(3, created.rules)
      .Bind(4, created.created_at)
      .Bind(5, created.created_by)
      .Bind(6, created.note);
  RETURN_IF_ERROR(insert.Run());
  RETURN_IF_ERROR(scope.Commit());
  return created;
}

Result<PolicyVersion> SqliteStore::CurrentPolicy(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kPolicyColumns) +
                                    "WHERE operation_id = ?1 ORDER BY version DESC LIMIT 1"));
  query.Bind(1, operation_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return NotFoundError("operation " + std::to_string(operation_id) + " has no disclosure policy");
  }
  return ReadPolicy(query);
}

Result<std::vector<PolicyVersion>> SqliteStore::PolicyHistory(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      StatementUse query,
      statements_->Use(std::string(kPolicyColumns) + "WHERE operation_id = ?1 ORDER BY version"));
  query.Bind(1, operation_id);
  std::vector<PolicyVersion> versions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    versions.push_back(ReadPolicy(query));
  }
  return versions;
}

// ---- Operation dictionaries -----------------------------------------------------

namespace {

constexpr const char* kOperationDictionaryColumns =
    "SELECT operation_id, version, dictionary_version, content, content_hash, registered_at, "
    "registered_by FROM operation_dictionaries ";

OperationDictionary ReadOperationDictionary(const StatementUse& row) {
  return OperationDictionary{row.Int64(0), row.Int(1),  row.Text(2), row.Text(3),
                             row.Text(4),  row.Text(5), row.Text(6)};
}

}  // namespace

Status SqliteStore::GiveDefaultDictionary(int64_t operation_id) {
  OperationDictionary first;
  first.operation_id = operation_id;
  first.dictionary_version = dictionary::DefaultDictionaryVersion();
  first.content = std::string(dictionary::DefaultDictionaryYaml());
  first.registered_by = "opendtm";
  {
    ASSIGN_OR_RETURN(StatementUse now,
                     statements_->Use("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"));
    ASSIGN_OR_RETURN(bool found, now.Step());
    if (found) first.registered_at = now.Text(0);
  }
  return InsertOperationDictionary(first).status();
}

Result<OperationDictionary> SqliteStore::InsertOperationDictionary(
    const OperationDictionary& dictionary) {
  if (dictionary.content.empty() || dictionary.dictionary_version.empty()) {
    return InvalidArgumentError("dictionary of operation " +
                                std::to_string(dictionary.operation_id) +
                                " has no content or no version");
  }
  OperationDictionary created = dictionary;
  created.content_hash = core::Sha256::HexOf(created.content);
  {
    ASSIGN_OR_RETURN(StatementUse query,
                     statements_->Use("SELECT COALESCE(MAX(version), 0) FROM "
                                      "operation_dictionaries WHERE operation_id = ?1"));
    query.Bind(1, created.operation_id);
    ASSIGN_OR_RETURN(bool found, query.Step());
    created.version = (found ? query.Int(0) : 0) + 1;
  }
  ASSIGN_OR_RETURN(StatementUse insert,
                   statements_->Use("INSERT INTO operation_dictionaries (operation_id, version, "
                                    "dictionary_version, content, content_hash, registered_at, "
                                    "registered_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  insert.Bind(1, created.operation_id)
      .Bind(2, created.version)
      .Bind(3, created.dictionary_version)
      .Bind(4, created.content)
      .Bind(5, created.content_hash)
      .Bind(6, created.registered_at)
      .Bind(7, created.registered_by);
  RETURN_IF_ERROR(insert.Run());
  return created;
}

Result<OperationDictionary> SqliteStore::AddOperationDictionary(
    const OperationDictionary& dictionary) {
  std::lock_guard lock(mutex_);
  RETURN_IF_ERROR(RequireOperation(dictionary.operation_id));
  // The last version is read inside the write transaction, so that two
  // processes cannot both take the same number.
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  ASSIGN_OR_RETURN(OperationDictionary created, InsertOperationDictionary(dictionary));
  RETURN_IF_ERROR(scope.Commit());
  return created;
}

Result<OperationDictionary> SqliteStore::CurrentOperationDictionary(int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOperationDictionaryColumns) +
                                    "WHERE operation_id = ?1 ORDER BY version DESC LIMIT 1"));
  query.Bind(1, operation_id);
  ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return NotFoundError("operation " + std::to_string(operation_id) + " has no dictionary");
  }
  return ReadOperationDictionary(query);
}

Result<std::vector<OperationDictionary>> SqliteStore::OperationDictionaryHistory(
    int64_t operation_id) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query,
                   statements_->Use(std::string(kOperationDictionaryColumns) +
                                    "WHERE operation_id = ?1 ORDER BY version"));
  query.Bind(1, operation_id);
  std::vector<OperationDictionary> versions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    versions.push_back(ReadOperationDictionary(query));
  }
  return versions;
}

// ---- Audit log ------------------------------------------------------------------

namespace {

constexpr const char* kAuditColumns =
    "SELECT seq, time, user, organisation, clusters, tier, operation_id, operation, dataset, "
    "filters, \"rows\", columns, format, content_hash, dsa, purpose, outcome, reason, "
    "policy_version, prev_hash, hash, key_id, os_user FROM audit_log ";

AuditRecord ReadAudit(const StatementUse& row) {
  AuditRecord record;
  record.seq = row.Int64(0);
  record.time = row.Text(1);
  record.user = row.Text(2);
  record.organisation = row.Text(3);
  record.clusters = row.Text(4);
  record.tier = row.Text(5);
  record.operation_id = row.Int64(6);
  record.operation = row.Text(7);
  record.dataset = row.Text(8);
  record.filters = row.Text(9);
  record.rows = row.Int64(10);
  record.columns = row.Int64(11);
  record.format = row.Text(12);
  record.content_hash = row.Text(13);
  record.dsa = row.Text(14);
  record.purpose = row.Text(15);
  record.outcome = row.Text(16);
  record.reason = row.Text(17);
  record.policy_version = row.Int(18);
  record.prev_hash = row.Text(19);
  record.hash = row.Text(20);
  record.key_id = row.Text(21);
  record.os_user = row.Text(22);
  return record;
}

}  // namespace

// 1. Inside the write transaction (so that two processes cannot both take the
// same seq), read the last record. 2. Number and chain the record, and have
// the linker link it. 3. Insert it.
Result<AuditRecord> SqliteStore::AppendAudit(AuditRecord record, const AuditLinker& link) {
  std::lock_guard lock(mutex_);
  if (!link) return InvalidArgumentError("audit record appended without a linker");
  WriteScope scope(db_.get());
  RETURN_IF_ERROR(scope.Begin());
  std::optional<AuditRecord> previous;
  {
    ASSIGN_OR_RETURN(StatementUse last, statements_->Use(std::string(kAuditColumns) +
                                                         "ORDER BY seq DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool found, last.Step());
    if (found) previous = ReadAudit(last);
  }
  record.seq = previous ? previous->seq + 1 : 1;
  record.prev_hash = previous ? previous->hash : "";
  // Whatever link the caller left in the record is not part of what is linked.
  record.hash.clear();
  record.key_id.clear();
  RETURN_IF_ERROR(link(record, previous ? &*previous : nullptr));
  if (record.hash.empty()) {
    return InvalidArgumentError("the chain hash of audit record " + std::to_string(record.seq) +
                                " is empty");
  }
  ASSIGN_OR_RETURN(
      StatementUse insert,
      statements_->Use(
          "INSERT INTO audit_log (seq, time, user, organisation, clusters, tier, operation_id, "
          "operation, dataset, filters, \"rows\", columns, format, content_hash, dsa, purpose, "
          "outcome, reason, policy_version, prev_hash, hash, key_id, os_user) VALUES (?1, ?2, ?3, "
          "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
          "?22, ?23)"));
  insert.Bind(1, record.seq)
      .Bind(2, record.time)
      .Bind(3, record.user)
      .Bind(4, record.organisation)
      .Bind(5, record.clusters)
      .Bind(6, record.tier)
      .Bind(7, record.operation_id)
      .Bind(8, record.operation)
      .Bind(9, record.dataset)
      .Bind(10, record.filters)
      .Bind(11, record.rows)
      .Bind(12, record.columns)
      .Bind(13, record.format)
      .Bind(14, record.content_hash)
      .Bind(15, record.dsa)
      .Bind(16, record.purpose)
      .Bind(17, record.outcome)
      .Bind(18, record.reason)
      .Bind(19, record.policy_version)
      .Bind(20, record.prev_hash)
      .Bind(21, record.hash)
      .Bind(22, record.key_id)
      .Bind(23, record.os_user);
  RETURN_IF_ERROR(insert.Run());
  RETURN_IF_ERROR(scope.Commit());
  return record;
}

Result<std::vector<AuditRecord>> SqliteStore::AuditLog(const AuditFilter& filter) {
  std::lock_guard lock(mutex_);
  // `to` is a date that includes its whole day: compare it with the record's
  // date (a time given as `to` counts as its day). A filter by operation has
  // its own statement, which the index by (operation_id, seq) serves.
  const std::string times =
      "(?2 = '' OR time >= ?2) AND (?3 = '' OR substr(time, 1, 10) <= substr(?3, 1, 10)) "
      "ORDER BY seq";
  ASSIGN_OR_RETURN(
      StatementUse query,
      statements_->Use(std::string(kAuditColumns) +
                       (filter.operation_id ? "WHERE operation_id = ?1 AND " : "WHERE ") + times));
  query.Bind(1, filter.operation_id).Bind(2, filter.from).Bind(3, filter.to);
  std::vector<AuditRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    records.push_back(ReadAudit(query));
  }
  return records;
}

// ---- Maintenance ----------------------------------------------------------------

Status SqliteStore::CheckIntegrity() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(StatementUse query, statements_->Use("PRAGMA integrity_check(10)"));
  std::string problems;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    std::string line = query.Text(0);
    if (line == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += line;
  }
  if (!problems.empty()) return DataLossError("integrity check failed: " + problems);
  ASSIGN_OR_RETURN(StatementUse keys, statements_->Use("PRAGMA foreign_key_check"));
  ASSIGN_OR_RETURN(bool broken, keys.Step());
  if (broken) return DataLossError("foreign key check failed in table " + keys.Text(0));
  return Status::Ok();
}

}  // namespace opendtm::store
