#include "ingest/site_ingest.h"

#include <nlohmann/json.hpp>
#include <pthread.h>

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/bounded_queue.h"
#include "core/number.h"
#include "core/sha256.h"
#include "core/text.h"
#include "geo/gazetteer.h"
#include "ingest/batch_checks.h"
#include "ingest/column_mapping.h"
#include "ingest/open_source.h"
#include "ingest/personal_data.h"
#include "ingest/site_validator.h"

namespace opendtm::ingest {
namespace {

constexpr size_t kSampleFindings = 20;
constexpr int64_t kProgressEvery = 5000;
// Rows per block handed from the validating thread to the writing one, and
// blocks queued between them: enough to smooth bursts, little memory.
constexpr size_t kRowsPerBlock = 256;
constexpr size_t kQueuedBlocks = 8;
// Written blocks waiting to be refilled. A block is made only when none waits,
// so at most kQueuedBlocks + 2 (one filling, one writing) ever exist, and a
// written block always finds room here.
constexpr size_t kSpentBlocks = kQueuedBlocks + 3;

int IndexOf(const dictionary::Dictionary& dictionary, std::string_view name) {
  const auto& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  return -1;
}

// The gazetteer of one country, from the store's admin areas.
Result<geo::Gazetteer> CountryGazetteer(store::Store& store, const std::string& country) {
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(country));
  geo::Gazetteer gazetteer;
  for (const store::AdminAreaRecord& area : areas) {
    gazetteer
        .Add({area.country, area.level, area.pcode, area.name, area.parent_pcode, area.valid_from})
        .IgnoreError();
  }
  return gazetteer;
}

// What the first pass learns about the file.
struct FirstPass {
  DateOrders date_orders;
  std::set<int> rounds;               // values of the round column
  std::optional<core::Date> first_survey;
  std::optional<core::Date> last_survey;
  int64_t rows = 0;
};

// The cleaning-log action for a finding: what happened to the value.
std::string ActionFor(const Finding& finding, const RowOutcome& outcome, int indicator,
                      bool quarantining) {
  if (quarantining) return "quarantined";
  if (finding.rule == rule::kPiiDropped) return "dropped_pii";
  if (finding.rule == rule::kSubmissionEdited) return "replaced";
  if (finding.rule == rule::kChoiceNormalised || finding.rule == rule::kPcodeResolvedByName) {
    return "normalised";
  }
  // The master list's P-code is stored: nothing moves until the list does.
  if (finding.rule == rule::kPcodeDiffersFromMasterList) {
    return finding.suggestion.empty() ? "blanked" : "kept_master_list";
  }
  if (indicator >= 0 &&
      std::find(outcome.blanked.begin(), outcome.blanked.end(), indicator) != outcome.blanked.end()) {
    return "blanked";
  }
  return "flagged";
}

// One validated source row, ready for the store: everything the writing
// thread needs, prepared by the validating one.
// Staged rows are recycled (see StagedBlock), so their strings keep their
// storage from row to row.
struct StagedRow {
  int64_t line = 0;
  store::Submission submission;     // values: the cleaned record
  // The verbatim row: the cells of the columns that feed an indicator
  // (ColumnMapping::VerbatimColumns), pii and personal-looking cells blank.
  std::vector<std::string> cells;
  std::optional<store::QuarantineEntry> quarantine;  // submission_id set when written
  std::vector<store::CleaningLogEntry> log;  // the first log_used are this row's
  size_t log_used = 0;
  std::vector<store::Alert> alerts;
  std::optional<store::Site> new_site;       // registered by --register-new-sites
  int64_t replaces = 0;  // the stored submission this edit replaces, 0 when none
};

// Rows travel in blocks from the validating thread to the writing one, and the
// written blocks travel back to be refilled: memory is allocated and freed by
// the validating thread only (glibc's allocator pays dearly for frees from
// another thread), and the strings keep their storage.
struct StagedBlock {
  std::vector<StagedRow> rows;  // the first `used` are filled
  size_t used = 0;
};
using BlockQueue = core::BoundedQueue<StagedBlock>;

// A submission already stored in the round, as Kobo/ODK identify it.
struct StoredVersion {
  int64_t id = 0;
  std::string site_id;
  std::string uuid;
  bool quarantined = false;
};

// What the validating thread needs beyond the validator and the checker, and
// what it learns for the round's window.
struct StageContext {
  const store::Operation* operation = nullptr;
  int round_number = 0;
  int adm0_indicator = -1;
  int adm1_indicator = -1;
  const ColumnMapping* mapping = nullptr;
  const std::vector<int>* pii_columns = nullptr;
  std::optional<core::Date> first_survey;
  std::optional<core::Date> last_survey;
  // pii values dropped, by indicator index, and the column each came from:
  // logged once per column and batch at the end rather than once per cell (a
  // form that collects a focal point's phone by design drops one on every row).
  std::vector<int64_t> pii_dropped;
  std::vector<std::string> pii_columns_by_indicator;
  // Submissions stored in the round (this assessment type), by uuid and by
  // key (the newest version of each key).
  const std::unordered_map<std::string, StoredVersion>* by_uuid = nullptr;
  const std::unordered_map<std::string, StoredVersion>* by_key = nullptr;
};

// What the writing thread did.
struct StoreOutcome {
  // By row ordinal: the submission id (0 when quarantined or not written) and
  // the source line, for the outliers found at the end.
  std::vector<std::pair<int64_t, int64_t>> rows;
  int64_t replaced = 0;
  std::vector<std::string> notes;
};

class SiteIngest {
 public:
  SiteIngest(store::Store& store, const dictionary::Dictionary& dictionary,
             const SiteIngestOptions& options)
      : store_(store), dictionary_(dictionary), options_(options) {}

  Result<SiteIngestSummary> Run();

 private:
  Result<std::unique_ptr<RowReader>> Open() const;
  // Reads the whole file once; touches no member but what it reads (it may
  // run beside the rest of Run).
  Result<FirstPass> ReadFirstPass(const ColumnMapping& mapping) const;
  void Count(const RowOutcome& outcome);
  Result<int> DecideRound(const FirstPass& first_pass) const;
  // The active batch, other than `batch` itself (0 for a dry run), that
  // already holds the same bytes (source_sha256) in the same operation,
  // round and assessment type; nullopt when none.
  Result<std::optional<store::Batch>> FindIdenticalBatch(const store::Batch& batch) const;
  // Reads, maps and validates every row of the second pass and pushes them,
  // staged, in blocks; updates summary_ (the only writer of it meanwhile).
  // Stops early, returning OK, when the queue is closed by the writer.
  Status StageRows(RowReader& reader, const ColumnMapping& mapping,
                   const SiteValidator& validator, BatchChecker& checker, StageContext& stage,
                   BlockQueue& queue, BlockQueue& spent);
  // Fills `staged` (a recycled row) from the row just validated; takes the
  // row's cells and cleaned values by swapping storage.
  void Stage(SourceRow& row, const MappedRow& mapped, RowOutcome& outcome,
             StageContext& stage, StagedRow& staged) const;
  // Fills staged.cells, the verbatim row: the columns that feed an indicator,
  // with the cells of pii columns and of values that looked personal blank.
  static void StageVerbatimCells(SourceRow& row, const RowOutcome& outcome,
                                 const StageContext& stage, StagedRow& staged);
  // Writes the staged blocks in order (nothing when `transaction` is null: a
  // dry run). Touches no member but the store's transaction.
  Status StoreRows(BlockQueue& queue, BlockQueue& spent, store::IngestTransaction* transaction,
                   std::unordered_map<std::string, std::vector<int64_t>>& quarantined_in_round,
                   StoreOutcome& stored) const;

  store::Store& store_;
  const dictionary::Dictionary& dictionary_;
  const SiteIngestOptions& options_;
  std::optional<MappingFile> mapping_file_;
  SiteIngestSummary summary_;
  int round_indicator_ = -1;
  int survey_date_indicator_ = -1;
};

Result<std::unique_ptr<RowReader>> SiteIngest::Open() const {
  SourceOptions source_options;
  source_options.header_row = options_.header_row;
  if (source_options.header_row == 0 && mapping_file_ && mapping_file_->header_row) {
    source_options.header_row = *mapping_file_->header_row;
  }
  source_options.sheet = options_.sheet;
  return OpenSource(options_.path, source_options);
}

Result<FirstPass> SiteIngest::ReadFirstPass(const ColumnMapping& mapping) const {
  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  FirstPass pass;
  DateOrderAccumulator dates(dictionary_);
  // Only the dates and the round are read in this pass.
  std::vector<int> needed = dates.date_indicators();
  if (round_indicator_ >= 0) needed.push_back(round_indicator_);
  const ColumnMapping first_pass_mapping = mapping.OnlyFor(needed);
  // The whole mapping, for columns of contact details mapped onto indicators.
  PersonalValueCheck personal_values(mapping, dictionary_);
  SourceRow row;
  MappedRow mapped;
  std::vector<std::string> survey_dates;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    ++pass.rows;
    personal_values.Add(row);
    first_pass_mapping.Apply(row, mapped);
    dates.Add(mapped);
    if (round_indicator_ >= 0) {
      if (std::optional<int64_t> round = core::ParseInteger(mapped.values[round_indicator_])) {
        pass.rounds.insert(static_cast<int>(*round));
      }
    }
  }
  RETURN_IF_ERROR(personal_values.Check(reader->header()));
  pass.date_orders = dates.Result();
  return pass;
}

Status SiteIngest::StageRows(RowReader& reader, const ColumnMapping& mapping,
                             const SiteValidator& validator, BatchChecker& checker,
                             StageContext& stage, BlockQueue& queue, BlockQueue& spent) {
  SourceRow row;
  MappedRow mapped;
  RowOutcome outcome;
  StagedBlock block;
  block.rows.resize(kRowsPerBlock);
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(row));
    if (!more) break;
    ++summary_.rows_read;
    mapping.Apply(row, mapped);
    summary_.value_maps_applied += static_cast<int64_t>(mapped.value_maps.size());
    // What the command line says and the file leaves out: the round, the country.
    if (round_indicator_ >= 0 && mapping.ColumnOf(round_indicator_) < 0) {
      mapped.values[round_indicator_] = std::to_string(stage.round_number);
    }
    if (stage.adm0_indicator >= 0 && mapping.ColumnOf(stage.adm0_indicator) < 0) {
      mapped.values[stage.adm0_indicator] = stage.operation->country;
    }

    // Kobo/ODK identity: this very version already stored (a cumulative
    // export downloaded again) changes nothing, unless it was quarantined:
    // then it is judged again and replaces the stored one; a new version of a
    // stored submission (an edit) replaces it.
    const StoredVersion* judged_again = nullptr;
    if (!mapped.submission_uuid.empty()) {
      if (auto same = stage.by_uuid->find(mapped.submission_uuid); same != stage.by_uuid->end()) {
        if (same->second.quarantined) {
          judged_again = &same->second;
        } else {
          ++summary_.unchanged;
          ++summary_.accepted;
          continue;
        }
      }
    }
    const StoredVersion* edited = nullptr;
    if (judged_again == nullptr && !mapped.deprecated_uuid.empty()) {
      if (auto it = stage.by_uuid->find(mapped.deprecated_uuid); it != stage.by_uuid->end()) {
        edited = &it->second;
      }
    }
    if (judged_again == nullptr && edited == nullptr && !mapped.submission_key.empty()) {
      if (auto it = stage.by_key->find(mapped.submission_key); it != stage.by_key->end()) {
        edited = &it->second;
      }
    }
    validator.Validate(mapped, outcome);
    if (edited != nullptr) {
      if (!edited->quarantined) checker.ForgetStoredSite(edited->site_id);
      Finding finding;
      finding.file = options_.path;
      finding.row = row.line;
      finding.rule = std::string(rule::kSubmissionEdited);
      finding.severity = Severity::kInfo;
      finding.value = edited->uuid;
      finding.message = "a new version (uuid " + mapped.submission_uuid +
                        ") of the stored submission " + edited->uuid + " of site " +
                        edited->site_id + ": it replaces it";
      outcome.AddFinding(std::move(finding));
    }

    // Duplicates in the round and population change (batch_checks.h).
    checker.Check(outcome);
    Count(outcome);
    if (outcome.quarantined) {
      ++summary_.quarantined;
    } else {
      ++summary_.accepted;
      if (outcome.new_site) ++summary_.new_sites;
    }
    if (survey_date_indicator_ >= 0 && !outcome.cleaned[survey_date_indicator_].empty()) {
      if (auto date = core::ParseIsoDate(outcome.cleaned[survey_date_indicator_]); date.ok()) {
        if (!stage.first_survey || *date < *stage.first_survey) stage.first_survey = *date;
        if (!stage.last_survey || *stage.last_survey < *date) stage.last_survey = *date;
      }
    }
    if (options_.progress && summary_.rows_read % kProgressEvery == 0) {
      options_.progress(summary_.rows_read);
    }
    StagedRow& staged = block.rows[block.used++];
    Stage(row, mapped, outcome, stage, staged);
    staged.replaces = edited != nullptr         ? edited->id
                      : judged_again != nullptr ? judged_again->id
                                                : 0;
    if (block.used == block.rows.size()) {
      if (!queue.Push(std::move(block))) return Status::Ok();  // the writer stopped
      if (std::optional<StagedBlock> recycled = spent.TryPop()) {
        block = std::move(*recycled);
      } else {
        block = StagedBlock();
        block.rows.resize(kRowsPerBlock);
      }
      block.used = 0;
    }
  }
  if (block.used > 0) queue.Push(std::move(block));
  return Status::Ok();
}

void SiteIngest::Stage(SourceRow& row, const MappedRow& mapped, RowOutcome& outcome,
                       StageContext& stage, StagedRow& staged) const {
  staged.line = row.line;
  staged.quarantine.reset();
  staged.log_used = 0;
  staged.alerts.clear();
  staged.new_site.reset();
  StageVerbatimCells(row, outcome, stage, staged);
  store::Submission& submission = staged.submission;
  submission.operation_id = stage.operation->id;
  submission.round = stage.round_number;
  submission.assessment_type = options_.assessment_type;
  submission.site_id = outcome.site_id;
  submission.source_row = row.line;
  submission.submission_uuid = mapped.submission_uuid;  // assignments reuse storage
  submission.submission_key = mapped.submission_key;
  submission.submission_time = mapped.submission_time;
  submission.enumerator = mapped.enumerator;
  submission.device = mapped.device;
  submission.state = outcome.quarantined ? store::SubmissionState::kQuarantined
                                         : store::SubmissionState::kAccepted;

  if (outcome.quarantined) {
    const Finding& reason = outcome.findings[outcome.quarantine_finding];
    store::QuarantineEntry& entry = staged.quarantine.emplace();
    entry.source_row = row.line;
    entry.rule = reason.rule;
    entry.message = reason.message;
    entry.site_id = outcome.site_id;
    entry.round = stage.round_number;
    entry.raw_cells = staged.cells;
  }
  for (int indicator : outcome.pii_dropped) {
    if (stage.pii_dropped[indicator]++ == 0) {
      stage.pii_columns_by_indicator[indicator] = mapped.columns[indicator];
    }
  }
  for (size_t finding_idx = 0; finding_idx < outcome.findings.size(); ++finding_idx) {
    const Finding& finding = outcome.findings[finding_idx];
    if (finding.rule == rule::kPiiDropped) continue;  // counted above
    int indicator = finding.indicator.empty() ? -1 : IndexOf(dictionary_, finding.indicator);
    if (staged.log_used == staged.log.size()) staged.log.emplace_back();
    store::CleaningLogEntry& entry = staged.log[staged.log_used++];
    entry.submission_id.reset();
    entry.row = row.line;
    entry.column = finding.column;
    entry.indicator = finding.indicator;
    entry.old_value = finding.value;
    entry.new_value = indicator >= 0 && !outcome.quarantined ? outcome.cleaned[indicator] : "";
    entry.rule = finding.rule;
    entry.action = ActionFor(finding, outcome, indicator,
                             static_cast<int>(finding_idx) == outcome.quarantine_finding);
    entry.who = options_.who;
    entry.when = options_.now;
  }
  for (const Alert& alert : outcome.alerts) {
    store::Alert& stored_alert = staged.alerts.emplace_back();
    stored_alert.operation_id = stage.operation->id;
    stored_alert.round = stage.round_number;
    stored_alert.site_id = outcome.site_id;
    stored_alert.indicator = dictionary_.indicators()[alert.indicator].name;
    stored_alert.value = alert.value;
    stored_alert.rule = std::string(rule::kUrgentAlert);
    stored_alert.created_at = options_.now;
  }
  if (outcome.new_site && !outcome.quarantined) {
    store::Site& site = staged.new_site.emplace();
    site.operation_id = stage.operation->id;
    site.site_id = outcome.site_id;
    if (int name = IndexOf(dictionary_, "site_name"); name >= 0) site.name = outcome.cleaned[name];
    if (stage.adm1_indicator >= 0) site.adm1_pcode = outcome.cleaned[stage.adm1_indicator];
    if (int adm2 = IndexOf(dictionary_, "adm2_pcode"); adm2 >= 0) site.adm2_pcode = outcome.cleaned[adm2];
    if (int adm3 = IndexOf(dictionary_, "adm3_pcode"); adm3 >= 0) site.adm3_pcode = outcome.cleaned[adm3];
    for (const char* axis : {"latitude", "longitude"}) {
      int index = IndexOf(dictionary_, axis);
      if (index < 0) continue;
      if (auto value = core::ParseNumber(outcome.cleaned[index])) {
        (std::string_view(axis) == "latitude" ? site.latitude : site.longitude) = value;
      }
    }
    if (int type = IndexOf(dictionary_, "site_type"); type >= 0) site.site_type = outcome.cleaned[type];
  }
  // Last: the cleaned values swap into the staged row; the validator refills
  // the staged row's old storage.
  submission.values.swap(outcome.cleaned);
}

void SiteIngest::StageVerbatimCells(SourceRow& row, const RowOutcome& outcome,
                                    const StageContext& stage, StagedRow& staged) {
  auto blank = [&row](int column) {
    if (column >= 0 && static_cast<size_t>(column) < row.cells.size()) row.cells[column].clear();
  };
  for (int column : *stage.pii_columns) blank(column);
  for (int indicator : outcome.pii_suspected) blank(stage.mapping->ColumnOf(indicator));
  // Only the columns that feed an indicator; a short row stays short. The
  // cells swap storage with the staged row's old ones, which the reader
  // refills.
  const std::vector<int>& kept = stage.mapping->VerbatimColumns();
  size_t width = 0;
  while (width < kept.size() && static_cast<size_t>(kept[width]) < row.cells.size()) ++width;
  staged.cells.resize(width);
  for (size_t cell_idx = 0; cell_idx < width; ++cell_idx) {
    staged.cells[cell_idx].swap(row.cells[kept[cell_idx]]);
  }
}

Status SiteIngest::StoreRows(
    BlockQueue& queue, BlockQueue& spent, store::IngestTransaction* transaction,
    std::unordered_map<std::string, std::vector<int64_t>>& quarantined_in_round,
    StoreOutcome& stored) const {
  std::unordered_set<int64_t> replaced_here;  // submissions this batch has replaced
  while (std::optional<StagedBlock> block = queue.Pop()) {
    for (size_t row_idx = 0; row_idx < block->used; ++row_idx) {
      StagedRow& staged = block->rows[row_idx];
      if (transaction == nullptr) {
        stored.rows.emplace_back(0, staged.line);
        continue;
      }
      const bool quarantined = staged.quarantine.has_value();
      ASSIGN_OR_RETURN(int64_t submission_id,
                       transaction->AddSubmission(staged.submission, staged.cells));
      stored.rows.emplace_back(quarantined ? 0 : submission_id, staged.line);
      const std::string& site_id = staged.submission.site_id;
      if (staged.replaces > 0 && replaced_here.insert(staged.replaces).second) {
        const int64_t replaced[] = {staged.replaces};
        RETURN_IF_ERROR(transaction->MarkReplaced(replaced));
      }
      if (quarantined) {
        staged.quarantine->submission_id = submission_id;
        RETURN_IF_ERROR(transaction->AddQuarantine(*staged.quarantine));
      } else if (auto it = quarantined_in_round.find(site_id); it != quarantined_in_round.end()) {
        std::vector<int64_t> ids;
        for (int64_t id : it->second) {
          if (replaced_here.insert(id).second) ids.push_back(id);  // not replaced by an edit
        }
        if (!ids.empty()) RETURN_IF_ERROR(transaction->MarkReplaced(ids));
        stored.replaced += static_cast<int64_t>(ids.size());
        stored.notes.push_back("row " + std::to_string(staged.line) +
                               " replaces the quarantined submission of site " + site_id +
                               " in round " + std::to_string(staged.submission.round));
        quarantined_in_round.erase(it);
      }
      for (size_t entry_idx = 0; entry_idx < staged.log_used; ++entry_idx) {
        store::CleaningLogEntry& entry = staged.log[entry_idx];
        if (!quarantined) entry.submission_id = submission_id;
        RETURN_IF_ERROR(transaction->AddCleaningLog(entry).status());
      }
      for (const store::Alert& alert : staged.alerts) {
        RETURN_IF_ERROR(transaction->AddAlert(alert).status());
      }
      if (staged.new_site) {
        store::SiteChangeContext change;
        change.from_round = staged.submission.round;
        change.note = "registered by ingest of " + options_.path;
        RETURN_IF_ERROR(transaction->UpsertSite(*staged.new_site, change));
      }
    }
    spent.Push(std::move(*block));  // never waits: see kSpentBlocks
  }
  return Status::Ok();
}

Result<int> SiteIngest::DecideRound(const FirstPass& first_pass) const {
  if (options_.round) return *options_.round;
  if (first_pass.rounds.size() == 1) return *first_pass.rounds.begin();
  if (first_pass.rounds.empty()) {
    return InvalidArgumentError(options_.path +
                                ": no round: pass --round N (the file has no round column)");
  }
  std::string rounds;
  for (int round : first_pass.rounds) rounds += (rounds.empty() ? "" : ", ") + std::to_string(round);
  return InvalidArgumentError(options_.path + ": the file holds several rounds (" + rounds +
                              "): ingest one round per file, or pass --round N");
}

void SiteIngest::Count(const RowOutcome& outcome) {
  CountRowFindings(outcome.findings, summary_);
  summary_.exact_choice_matches += outcome.exact_choice_matches;
}

Result<SiteIngestSummary> SiteIngest::Run() {
  // 1. The operation, the mapping, the source's header.
  ASSIGN_OR_RETURN(store::Operation operation,
                   store_.FindOperation(options_.operation,
                                        options_.country ? std::optional<std::string_view>(
                                                               *options_.country)
                                                         : std::nullopt));
  if (!options_.mapping_path.empty()) {
    ASSIGN_OR_RETURN(mapping_file_, LoadMappingFile(options_.mapping_path, dictionary_));
  }
  round_indicator_ = IndexOf(dictionary_, "round");
  survey_date_indicator_ = IndexOf(dictionary_, "survey_date");
  int adm0_indicator = IndexOf(dictionary_, "adm0_pcode");
  int adm1_indicator = IndexOf(dictionary_, "adm1_pcode");
  int ind_total_indicator = IndexOf(dictionary_, "ind_total");

  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> header_reader, Open());
  const SourceHeader header = header_reader->header();
  header_reader.reset();
  ASSIGN_OR_RETURN(ColumnMapping mapping,
                   ColumnMapping::Build(header, dictionary_, mapping_file_ ? &*mapping_file_ : nullptr));
  summary_.notes = header.notes;
  if (header.header_line > 1) {
    summary_.notes.push_back("header on row " + std::to_string(header.header_line));
  }
  // A column of contact details mapped onto an indicator: refused.
  RETURN_IF_ERROR(CheckPersonalHeaders(header, mapping, mapping_file_ ? &*mapping_file_ : nullptr,
                                       dictionary_));
  // Columns that feed no indicator are not stored: each is named.
  for (const DroppedColumn& dropped : mapping.DroppedColumns()) {
    summary_.notes.push_back("dropped column '" + dropped.header + "' (" + dropped.reason + ")");
  }
  summary_.dropped_columns = mapping.DroppedColumns();
  if (const auto& unmapped = mapping.findings(); !unmapped.empty()) {
    summary_.findings[std::string(rule::kUnmappedColumn)] = {0, static_cast<int64_t>(unmapped.size())};
  }

  // 2. First pass: date orders and the round. It runs on a second thread
  // while this one hashes the file and loads what step 3 needs; only without
  // --round does everything wait for it (the round comes from the file).
  std::future<Result<FirstPass>> first_pass_running =
      std::async(std::launch::async, [this, &mapping] { return ReadFirstPass(mapping); });
  std::optional<FirstPass> first_pass;
  auto finish_first_pass = [&]() -> Status {
    if (first_pass) return Status::Ok();
    ASSIGN_OR_RETURN(FirstPass pass, first_pass_running.get());
    first_pass = std::move(pass);
    return Status::Ok();
  };
  if (!options_.round) RETURN_IF_ERROR(finish_first_pass());
  ASSIGN_OR_RETURN(int round_number,
                   options_.round ? Result<int>(*options_.round) : DecideRound(*first_pass));
  summary_.round = round_number;
  ASSIGN_OR_RETURN(std::string sha256, core::Sha256HexOfFile(options_.path));

  // The transaction begins before anything stored is read: it holds the
  // database's write lock, so what this ingest reads from here on (an
  // identical file, the round's submissions, the master list) cannot change
  // before it commits, and a second ingest of the same rows waits and then
  // sees this one's batch (store.h, BeginIngest). A dry run takes no lock.
  store::Batch batch;
  batch.operation_id = operation.id;
  batch.round = round_number;
  batch.assessment_type = options_.assessment_type;
  batch.source_name = options_.path;
  batch.source_sha256 = sha256;
  batch.created_at = options_.now;
  batch.who = options_.who;
  std::unique_ptr<store::IngestTransaction> transaction;
  if (!options_.dry_run) {
    ASSIGN_OR_RETURN(transaction, store_.BeginIngest(batch));
    batch.id = transaction->batch_id();
  }

  // An identical file already ingested into this round: nothing to do (the
  // transaction, with its new batch, is rolled back).
  ASSIGN_OR_RETURN(std::optional<store::Batch> earlier, FindIdenticalBatch(batch));
  if (earlier) {
    summary_.already_ingested_batch = earlier->id;
    summary_.rows_read = earlier->rows_read;
    summary_.accepted = earlier->accepted;
    summary_.quarantined = earlier->quarantined;
    return summary_;
  }

  // 3. What the validator needs to know.
  Result<store::Round> existing_round = store_.FindRound(operation.id, round_number);
  ASSIGN_OR_RETURN(geo::Gazetteer gazetteer, CountryGazetteer(store_, operation.country));
  ASSIGN_OR_RETURN(std::vector<std::string> site_ids, store_.SiteIds(operation.id));
  ValidationContext context;
  context.file = options_.path;
  context.country = operation.country;
  context.extent = options_.extents ? options_.extents->Find(operation.country) : nullptr;
  context.gazetteer = gazetteer.size() > 0 ? &gazetteer : nullptr;
  context.known_site_ids.reserve(site_ids.size());
  for (std::string& site_id : site_ids) context.known_site_ids.insert(std::move(site_id));
  ASSIGN_OR_RETURN(std::vector<store::Site> master_list, store_.ListSites(operation.id));
  context.master_sites.reserve(master_list.size());
  for (store::Site& site : master_list) {
    std::string site_id = site.site_id;
    context.master_sites.emplace(std::move(site_id), std::move(site));
  }
  if (existing_round.ok()) {
    if (!existing_round->date_from.empty()) {
      ASSIGN_OR_RETURN(context.round_from, core::ParseIsoDate(existing_round->date_from));
    }
    if (!existing_round->date_to.empty()) {
      ASSIGN_OR_RETURN(context.round_to, core::ParseIsoDate(existing_round->date_to));
    }
    context.round_locked = existing_round->status == store::RoundStatus::kLocked;
  }
  context.register_new_sites = options_.register_new_sites;
  context.strict = options_.strict;
  context.today = options_.today;

  // Submissions already in the round: accepted ones make a new row for the same
  // site a duplicate; quarantined ones are replaced by a corrected row.
  BatchContext batch_context;
  batch_context.file = options_.path;
  std::unordered_map<std::string, std::vector<int64_t>> quarantined_in_round;
  // Their identities only: no values are needed.
  ASSIGN_OR_RETURN(std::vector<store::Submission> stored,
                   store_.SubmissionIdentities(operation.id, round_number));
  std::unordered_map<std::string, StoredVersion> by_uuid;
  std::unordered_map<std::string, StoredVersion> by_key;
  for (const store::Submission& submission : stored) {  // by id: newest last
    if (submission.assessment_type != options_.assessment_type) continue;
    if (submission.state == store::SubmissionState::kAccepted ||
        submission.state == store::SubmissionState::kQuarantined) {
      StoredVersion version{submission.id, submission.site_id, submission.submission_uuid,
                            submission.state == store::SubmissionState::kQuarantined};
      if (!submission.submission_uuid.empty()) by_uuid[submission.submission_uuid] = version;
      if (!submission.submission_key.empty()) by_key[submission.submission_key] = version;
    }
    if (submission.state == store::SubmissionState::kAccepted) {
      batch_context.stored_site_ids.insert(submission.site_id);
    } else if (submission.state == store::SubmissionState::kQuarantined) {
      quarantined_in_round[submission.site_id].push_back(submission.id);
    }
  }
  if (round_number > 0 && ind_total_indicator >= 0) {
    // NotFound: the store keeps no ind_total (a dictionary without it).
    Result<std::vector<std::pair<std::string, std::string>>> previous = store_.AcceptedValues(
        operation.id, round_number - 1, options_.assessment_type, "ind_total");
    if (!previous.ok() && previous.status().code() != StatusCode::kNotFound) {
      return previous.status();
    }
    if (previous.ok()) {
      batch_context.previous_ind_total.reserve(previous->size());
      for (auto& [site_id, value] : *previous) {  // within a site, oldest first: the newest wins
        if (auto total = core::ParseNumber(value)) {
          batch_context.previous_ind_total.insert_or_assign(std::move(site_id), *total);
        }
      }
    }
  }
  for (size_t indicator_idx = 0; indicator_idx < dictionary_.indicators().size(); ++indicator_idx) {
    int column = mapping.ColumnOf(static_cast<int>(indicator_idx));
    batch_context.columns.push_back(column >= 0 ? header.names[column] : std::string());
  }
  BatchChecker checker(dictionary_, std::move(batch_context));

  // The validator needs the first pass's date orders: the last thing to wait for.
  RETURN_IF_ERROR(finish_first_pass());
  context.date_orders = first_pass->date_orders;
  ASSIGN_OR_RETURN(SiteValidator validator, SiteValidator::Create(dictionary_, std::move(context)));

  // 4. Second pass, in the transaction.
  if (transaction) {
    std::vector<std::string> kept_header;
    for (int column : mapping.VerbatimColumns()) kept_header.push_back(header.names[column]);
    RETURN_IF_ERROR(transaction->PutSourceHeader(kept_header));
    summary_.batch_id = transaction->batch_id();
  }

  // Source columns that feed pii indicators: blank in the verbatim copy.
  std::vector<int> pii_columns;
  for (size_t indicator_idx = 0; indicator_idx < dictionary_.indicators().size(); ++indicator_idx) {
    if (dictionary_.indicators()[indicator_idx].dissemination_class ==
            dictionary::DisseminationClass::kPii &&
        mapping.ColumnOf(static_cast<int>(indicator_idx)) >= 0) {
      pii_columns.push_back(mapping.ColumnOf(static_cast<int>(indicator_idx)));
    }
  }

  // The second pass runs on two threads: this one reads, maps and validates
  // each row and stages what the store must write (StageRows); a writer thread
  // writes the staged blocks in order (StoreRows). Validation does not depend
  // on what is written, so the order of findings, ids and log entries is that
  // of the file, whatever the timing.
  StageContext stage;
  stage.operation = &operation;
  stage.round_number = round_number;
  stage.adm0_indicator = adm0_indicator;
  stage.adm1_indicator = adm1_indicator;
  stage.mapping = &mapping;
  stage.pii_columns = &pii_columns;
  stage.pii_dropped.assign(dictionary_.indicators().size(), 0);
  stage.pii_columns_by_indicator.resize(dictionary_.indicators().size());
  stage.by_uuid = &by_uuid;
  stage.by_key = &by_key;
  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  BlockQueue queue(kQueuedBlocks);
  BlockQueue spent(kSpentBlocks);
  StoreOutcome written;
  Status writer_status;
  std::thread writer([&] {
    pthread_setname_np(pthread_self(), "dtm-writer");  // for profilers and debuggers
    writer_status = StoreRows(queue, spent, transaction.get(), quarantined_in_round, written);
    queue.Close();  // on an error, stops the reading side
  });
  Status reader_status = StageRows(*reader, mapping, validator, checker, stage, queue, spent);
  queue.Close();
  writer.join();
  RETURN_IF_ERROR(writer_status);
  RETURN_IF_ERROR(reader_status);
  summary_.replaced += written.replaced;
  summary_.notes.insert(summary_.notes.end(), written.notes.begin(), written.notes.end());
  std::vector<std::pair<int64_t, int64_t>>& stored_rows = written.rows;
  const std::optional<core::Date>& first_survey = stage.first_survey;
  const std::optional<core::Date>& last_survey = stage.last_survey;
  if (options_.progress) options_.progress(summary_.rows_read);

  // 5. The round: created with the survey dates' window when new.
  if (transaction) {
    store::Round round;
    round.operation_id = operation.id;
    round.number = round_number;
    if (first_survey) round.date_from = core::ToIso(*first_survey);
    if (last_survey) round.date_to = core::ToIso(*last_survey);
    RETURN_IF_ERROR(transaction->EnsureRound(round).status());
  }

  // 6. Outliers among the round's sites, by admin1 (needs every row).
  for (const BatchFinding& outlier : checker.Finish()) {
    const Finding& finding = outlier.finding;
    RuleCount& count = summary_.findings[finding.rule];
    ++count.rows;
    ++count.count;
    summary_.has_problems = true;
    if (summary_.sample.size() < kSampleFindings) summary_.sample.push_back(finding);
    if (!transaction) continue;
    store::CleaningLogEntry entry;
    if (int64_t submission_id = stored_rows[outlier.row_ordinal].first; submission_id > 0) {
      entry.submission_id = submission_id;
    }
    entry.row = stored_rows[outlier.row_ordinal].second;
    entry.column = finding.column;
    entry.indicator = finding.indicator;
    entry.old_value = finding.value;
    entry.new_value = finding.value;
    entry.rule = finding.rule;
    entry.action = "flagged";
    entry.who = options_.who;
    entry.when = options_.now;
    RETURN_IF_ERROR(transaction->AddCleaningLog(entry));
  }

  // 7. One entry per pii column: its values were not stored.
  if (transaction) {
    std::map<std::pair<std::string, std::string>, int64_t> by_column;  // in column order
    for (size_t indicator_idx = 0; indicator_idx < stage.pii_dropped.size(); ++indicator_idx) {
      if (stage.pii_dropped[indicator_idx] == 0) continue;
      by_column[{stage.pii_columns_by_indicator[indicator_idx],
                 dictionary_.indicators()[indicator_idx].name}] = stage.pii_dropped[indicator_idx];
    }
    for (const auto& [column_indicator, count] : by_column) {
      store::CleaningLogEntry entry;
      entry.column = column_indicator.first;
      entry.indicator = column_indicator.second;
      entry.rule = std::string(rule::kPiiDropped);
      entry.action = "dropped_pii";
      entry.new_value = std::to_string(count) + " values not stored";
      entry.who = options_.who;
      entry.when = options_.now;
      RETURN_IF_ERROR(transaction->AddCleaningLog(entry));
    }
  }

  // 8. The alerts the stored round raises (risk transitions), in the same
  // transaction: the batch and its alerts are durable together.
  if (transaction && options_.raise_alerts) {
    ASSIGN_OR_RETURN(std::vector<store::Alert> alerts, options_.raise_alerts(store_, batch));
    ASSIGN_OR_RETURN(std::vector<int64_t> added, transaction->AddBatchAlerts(alerts));
    summary_.raised_alerts = static_cast<int64_t>(added.size());
  }

  if (transaction) {
    RETURN_IF_ERROR(transaction->SetCounts(summary_.rows_read, summary_.accepted,
                                           summary_.quarantined));
    RETURN_IF_ERROR(transaction->Commit());
  }
  return summary_;
}

Result<std::optional<store::Batch>> SiteIngest::FindIdenticalBatch(
    const store::Batch& batch) const {
  ASSIGN_OR_RETURN(std::vector<store::Batch> batches, store_.Batches(*batch.operation_id));
  for (const store::Batch& earlier : batches) {
    if (earlier.id != batch.id && earlier.state == store::BatchState::kActive &&
        earlier.source_sha256 == batch.source_sha256 && earlier.round == batch.round &&
        earlier.assessment_type == batch.assessment_type) {
      return std::optional<store::Batch>(earlier);
    }
  }
  return std::optional<store::Batch>();
}

}  // namespace

void CountRowFindings(std::span<const Finding> findings, SiteIngestSummary& summary) {
  // A row has few findings: a linear search beats a set's allocations.
  std::vector<std::string_view> rules_in_row;
  rules_in_row.reserve(findings.size());
  for (const Finding& finding : findings) {
    RuleCount& count = summary.findings[finding.rule];
    ++count.count;
    if (std::find(rules_in_row.begin(), rules_in_row.end(), finding.rule) == rules_in_row.end()) {
      rules_in_row.push_back(finding.rule);
      ++count.rows;
    }
    if (finding.severity == Severity::kInfo) continue;
    summary.has_problems = true;
    if (summary.sample.size() < kSampleFindings) summary.sample.push_back(finding);
  }
}

Result<SiteIngestSummary> RunSiteIngest(store::Store& store,
                                        const dictionary::Dictionary& dictionary,
                                        const SiteIngestOptions& options) {
  return SiteIngest(store, dictionary, options).Run();
}

std::string SummaryJson(const SiteIngestSummary& summary) {
  nlohmann::ordered_json json;
  json["batch_id"] = summary.batch_id;
  json["rows_read"] = summary.rows_read;
  json["accepted"] = summary.accepted;
  json["quarantined"] = summary.quarantined;
  nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
  for (const DroppedColumn& column : summary.dropped_columns) {
    dropped.push_back({{"column", column.header}, {"reason", column.reason}});
  }
  json["dropped_columns"] = dropped;
  nlohmann::ordered_json findings = nlohmann::ordered_json::object();
  for (const auto& [rule_id, count] : summary.findings) {
    findings[rule_id] = {{"rows", count.rows}, {"count", count.count}};
  }
  json["findings"] = findings;
  return json.dump();
}

}  // namespace opendtm::ingest
