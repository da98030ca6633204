#include "ingest/quarantine_release.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "geo/gazetteer.h"
#include "ingest/batch_checks.h"
#include "ingest/finding.h"
#include "ingest/mapped_row.h"
#include "ingest/site_validator.h"

namespace opendtm::ingest {
namespace {

// One quarantined source row: its stored submission and the rule of its
// first quarantine entry (a row quarantined for two reasons has two).
struct QuarantinedRow {
  int64_t source_row = 0;
  std::string site_id;
  std::string rule;
  std::optional<int64_t> submission_id;
};

// 1. The batch's quarantined rows (of options.source_row when given), by
// source row, each once.
Result<std::vector<QuarantinedRow>> QuarantinedRows(store::Store& store, const store::Batch& batch,
                                                    const QuarantineReleaseOptions& options) {
  ASSIGN_OR_RETURN(std::vector<store::QuarantineEntry> entries,
                   store.Quarantine(batch.operation_id, batch.id));
  std::map<std::pair<int64_t, std::optional<int64_t>>, QuarantinedRow> rows;
  for (const store::QuarantineEntry& entry : entries) {
    if (options.source_row && entry.source_row != *options.source_row) continue;
    auto key = std::make_pair(entry.source_row, entry.submission_id);
    if (rows.count(key)) continue;
    rows[key] = {entry.source_row, entry.site_id, entry.rule, entry.submission_id};
  }
  if (options.source_row && rows.empty()) {
    return NotFoundError("batch " + std::to_string(batch.id) + " has no quarantined row " +
                         std::to_string(*options.source_row) + " (dtm quarantine list --batch " +
                         std::to_string(batch.id) + ")");
  }
  std::vector<QuarantinedRow> listed;
  for (auto& [key, row] : rows) listed.push_back(std::move(row));
  return listed;
}

// 2. What the validator knows now: the master list, the gazetteer, the
// round's window and lock, as the ingest builds them.
Result<ValidationContext> CurrentContext(store::Store& store, const store::Operation& operation,
                                         int round, const QuarantineReleaseOptions& options,
                                         const geo::Gazetteer& gazetteer) {
  ValidationContext context;
  context.file = "release of batch " + std::to_string(options.batch_id);
  context.country = operation.country;
  context.extent = options.extents ? options.extents->Find(operation.country) : nullptr;
  context.gazetteer = gazetteer.size() > 0 ? &gazetteer : nullptr;
  ASSIGN_OR_RETURN(std::vector<store::Site> master_list, store.ListSites(operation.id));
  for (store::Site& site : master_list) {
    context.known_site_ids.insert(site.site_id);
    std::string site_id = site.site_id;
    context.master_sites.emplace(std::move(site_id), std::move(site));
  }
  Result<store::Round> stored_round = store.FindRound(operation.id, round);
  if (stored_round.ok()) {
    if (!stored_round->date_from.empty()) {
      ASSIGN_OR_RETURN(context.round_from, core::ParseIsoDate(stored_round->date_from));
    }
    if (!stored_round->date_to.empty()) {
      ASSIGN_OR_RETURN(context.round_to, core::ParseIsoDate(stored_round->date_to));
    }
    context.round_locked = stored_round->status == store::RoundStatus::kLocked;
  } else if (stored_round.status().code() != StatusCode::kNotFound) {
    return stored_round.status();
  }
  context.strict = options.strict;
  context.today = options.today;
  return context;
}

// A stored submission's values as a row to validate: the cleaned values are
// what the ingest read, normalised; findings name the indicators.
MappedRow RowOf(const store::Submission& submission, const dictionary::Dictionary& dictionary) {
  MappedRow row;
  row.line = submission.source_row;
  row.values = submission.values;
  row.values.resize(dictionary.indicators().size());
  for (const dictionary::Indicator& indicator : dictionary.indicators()) {
    row.columns.push_back(indicator.name);
  }
  row.submission_uuid = submission.submission_uuid;
  row.submission_key = submission.submission_key;
  row.submission_time = submission.submission_time;
  row.enumerator = submission.enumerator;
  row.device = submission.device;
  return row;
}

// The sites with an accepted submission in the round (of the batch's
// assessment type): a released row of one of them is a duplicate.
Result<BatchContext> CurrentBatchContext(store::Store& store, const store::Batch& batch,
                                         const dictionary::Dictionary& dictionary) {
  BatchContext context;
  context.file = "release of batch " + std::to_string(batch.id);
  for (const dictionary::Indicator& indicator : dictionary.indicators()) {
    context.columns.push_back(indicator.name);
  }
  ASSIGN_OR_RETURN(std::vector<store::Submission> stored,
                   store.SubmissionIdentities(*batch.operation_id, *batch.round));
  for (const store::Submission& submission : stored) {
    if (submission.assessment_type == batch.assessment_type &&
        submission.state == store::SubmissionState::kAccepted) {
      context.stored_site_ids.insert(submission.site_id);
    }
  }
  return context;
}

// 3. Stores one row that passes: the accepted submission, the quarantined one
// replaced, the cleaning log.
Result<int64_t> StoreReleased(store::Store& store, store::IngestTransaction& transaction,
                              const store::Submission& quarantined, RowOutcome& outcome,
                              const QuarantinedRow& row, const QuarantineReleaseOptions& options,
                              bool& header_written) {
  ASSIGN_OR_RETURN(store::VerbatimRow verbatim, store.GetVerbatimRow(quarantined.id));
  if (!header_written) {
    RETURN_IF_ERROR(transaction.PutSourceHeader(verbatim.header));
    header_written = true;
  }
  store::Submission accepted = quarantined;
  accepted.id = 0;
  accepted.state = store::SubmissionState::kAccepted;
  accepted.values = outcome.cleaned;
  ASSIGN_OR_RETURN(int64_t submission_id, transaction.AddSubmission(accepted, verbatim.cells));
  const int64_t replaced[] = {quarantined.id};
  RETURN_IF_ERROR(transaction.MarkReplaced(replaced));

  store::CleaningLogEntry released;
  released.submission_id = submission_id;
  released.row = row.source_row;
  released.old_value = row.rule;
  released.new_value = "accepted";
  released.rule = std::string(kQuarantineReleasedRule);
  released.action = "released";
  released.who = options.who;
  released.when = options.now;
  RETURN_IF_ERROR(transaction.AddCleaningLog(released).status());
  for (const Finding& finding : outcome.findings) {
    if (finding.severity == Severity::kInfo) continue;
    store::CleaningLogEntry entry;
    entry.submission_id = submission_id;
    entry.row = row.source_row;
    entry.indicator = finding.indicator;
    entry.old_value = finding.value;
    entry.new_value = finding.value;
    entry.rule = finding.rule;
    entry.action = "flagged";
    entry.who = options.who;
    entry.when = options.now;
    RETURN_IF_ERROR(transaction.AddCleaningLog(entry).status());
  }
  return submission_id;
}

}  // namespace

Result<QuarantineReleaseSummary> ReleaseQuarantine(store::Store& store,
                                                   const dictionary::Dictionary& dictionary,
                                                   const QuarantineReleaseOptions& options) {
  ASSIGN_OR_RETURN(store::Batch batch, store.FindBatch(options.batch_id));
  const std::string named = "batch " + std::to_string(batch.id);
  if (batch.state == store::BatchState::kUndone) {
    return FailedPreconditionError(named + " is undone: its rows are no longer quarantined");
  }
  if (!batch.operation_id || !batch.round) {
    return FailedPreconditionError(named +
                                   " holds admin-level figures, not site submissions: ingest a "
                                   "corrected file instead");
  }
  ASSIGN_OR_RETURN(store::Operation operation, store.GetOperation(*batch.operation_id));
  QuarantineReleaseSummary summary;
  summary.batch_id = batch.id;
  summary.operation_id = operation.id;
  summary.round = *batch.round;

  // The release is an ingest: its transaction holds the write lock, so what
  // is read below cannot change before the commit.
  store::Batch release;
  release.operation_id = batch.operation_id;
  release.round = batch.round;
  release.assessment_type = batch.assessment_type;
  release.source_name = batch.source_name + " (release of " + named + ")";
  release.created_at = options.now;
  release.who = options.who;
  ASSIGN_OR_RETURN(std::unique_ptr<store::IngestTransaction> transaction,
                   store.BeginIngest(release));

  ASSIGN_OR_RETURN(std::vector<QuarantinedRow> rows, QuarantinedRows(store, batch, options));
  if (rows.empty()) return summary;  // the transaction rolls back: nothing written

  // 2. Validate every row again, as the ingest would now.
  std::vector<store::Submission> quarantined(rows.size());
  std::vector<MappedRow> mapped(rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (!rows[row_idx].submission_id) continue;
    ASSIGN_OR_RETURN(quarantined[row_idx], store.GetSubmission(*rows[row_idx].submission_id));
    mapped[row_idx] = RowOf(quarantined[row_idx], dictionary);
  }
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(operation.country));
  geo::Gazetteer gazetteer;
  for (const store::AdminAreaRecord& area : areas) {
    gazetteer
        .Add({area.country, area.level, area.pcode, area.name, area.parent_pcode, area.valid_from})
        .IgnoreError();
  }
  ASSIGN_OR_RETURN(ValidationContext context,
                   CurrentContext(store, operation, *batch.round, options, gazetteer));
  context.date_orders = InferDateOrders(dictionary, mapped);
  ASSIGN_OR_RETURN(SiteValidator validator, SiteValidator::Create(dictionary, std::move(context)));
  ASSIGN_OR_RETURN(BatchContext batch_context, CurrentBatchContext(store, batch, dictionary));
  BatchChecker checker(dictionary, std::move(batch_context));

  // 3. Store those that pass; the others stay as they are.
  bool header_written = false;
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const QuarantinedRow& row = rows[row_idx];
    if (!row.submission_id) {
      summary.kept.push_back({row.source_row, row.site_id, row.rule,
                              "no stored submission for this row: ingest a corrected file"});
      continue;
    }
    RowOutcome outcome;
    validator.Validate(mapped[row_idx], outcome);
    checker.Check(outcome);
    if (outcome.quarantined) {
      const Finding& reason = outcome.findings[outcome.quarantine_finding];
      summary.kept.push_back({row.source_row, row.site_id, reason.rule, reason.message});
      continue;
    }
    ASSIGN_OR_RETURN(int64_t submission_id, StoreReleased(store, *transaction, quarantined[row_idx],
                                                          outcome, row, options, header_written));
    summary.released.push_back({row.source_row, row.site_id, submission_id, row.rule});
  }

  // 4. Durable only when something was released.
  if (summary.released.empty()) return summary;
  const auto count = static_cast<int64_t>(summary.released.size());
  RETURN_IF_ERROR(transaction->SetCounts(count, count, 0));
  RETURN_IF_ERROR(transaction->Commit());
  summary.release_batch_id = transaction->batch_id();
  return summary;
}

}  // namespace opendtm::ingest
