#include "ingest/site_ingest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/number.h"
#include "core/text.h"
#include "geo/gazetteer.h"
#include "ingest/batch_checks.h"
#include "ingest/column_mapping.h"
#include "ingest/open_source.h"
#include "ingest/site_validator.h"
#include "core/sha256.h"

namespace opendtm::ingest {
namespace {

constexpr size_t kSampleFindings = 20;
constexpr int64_t kProgressEvery = 5000;

int IndexOf(const dictionary::Dictionary& dictionary, std::string_view name) {
  const auto& indicators = dictionary.indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  return -1;
}

// The SHA-256 of the file's bytes, read in chunks: two ingests of the same
// bytes into the same round are one ingest.
Result<std::string> HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path);
  core::Sha256 hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.Update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  return hasher.FinishHex();
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
  if (finding.rule == rule::kChoiceNormalised || finding.rule == rule::kPcodeResolvedByName) {
    return "normalised";
  }
  if (indicator >= 0 &&
      std::find(outcome.blanked.begin(), outcome.blanked.end(), indicator) != outcome.blanked.end()) {
    return "blanked";
  }
  return "flagged";
}

class SiteIngest {
 public:
  SiteIngest(store::Store& store, const dictionary::Dictionary& dictionary,
             const SiteIngestOptions& options)
      : store_(store), dictionary_(dictionary), options_(options) {}

  Result<SiteIngestSummary> Run();

 private:
  Result<std::unique_ptr<RowReader>> Open() const;
  Result<FirstPass> ReadFirstPass(const ColumnMapping& mapping);
  void Count(const RowOutcome& outcome);
  Result<int> DecideRound(const FirstPass& first_pass) const;

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

Result<FirstPass> SiteIngest::ReadFirstPass(const ColumnMapping& mapping) {
  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  FirstPass pass;
  DateOrderAccumulator dates(dictionary_);
  SourceRow row;
  MappedRow mapped;
  std::vector<std::string> survey_dates;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    ++pass.rows;
    mapping.Apply(row, mapped);
    dates.Add(mapped);
    if (round_indicator_ >= 0) {
      if (std::optional<int64_t> round = core::ParseInteger(mapped.values[round_indicator_])) {
        pass.rounds.insert(static_cast<int>(*round));
      }
    }
  }
  pass.date_orders = dates.Result();
  return pass;
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
  std::set<std::string_view> rules_in_row;
  for (const Finding& finding : outcome.findings) {
    RuleCount& count = summary_.findings[finding.rule];
    ++count.count;
    if (rules_in_row.insert(finding.rule).second) ++count.rows;
    if (finding.severity != Severity::kInfo) summary_.has_problems = true;
    if (summary_.sample.size() < kSampleFindings && finding.severity != Severity::kInfo) {
      summary_.sample.push_back(finding);
    }
  }
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
  // Unmapped columns: one note, naming the first few (all are kept verbatim).
  if (const auto& unmapped = mapping.findings(); !unmapped.empty()) {
    constexpr size_t kNamed = 5;
    std::string names;
    for (size_t column_idx = 0; column_idx < std::min(unmapped.size(), kNamed); ++column_idx) {
      names += (names.empty() ? "'" : ", '") + unmapped[column_idx].column + "'";
    }
    if (unmapped.size() > kNamed) names += ", …";
    summary_.notes.push_back(std::to_string(unmapped.size()) +
                             " columns map to no indicator and are kept in the verbatim copy "
                             "only: " + names);
    summary_.findings[std::string(rule::kUnmappedColumn)] = {0, static_cast<int64_t>(unmapped.size())};
  }

  // 2. First pass: date orders and the round.
  ASSIGN_OR_RETURN(FirstPass first_pass, ReadFirstPass(mapping));
  ASSIGN_OR_RETURN(int round_number, DecideRound(first_pass));
  summary_.round = round_number;
  ASSIGN_OR_RETURN(std::string sha256, HashFile(options_.path));

  // An identical file already ingested into this round: nothing to do.
  ASSIGN_OR_RETURN(std::vector<store::Batch> batches, store_.Batches(operation.id));
  for (const store::Batch& batch : batches) {
    if (batch.state == store::BatchState::kActive && batch.source_sha256 == sha256 &&
        batch.round == round_number && batch.assessment_type == options_.assessment_type) {
      summary_.already_ingested_batch = batch.id;
      summary_.rows_read = batch.rows_read;
      summary_.accepted = batch.accepted;
      summary_.quarantined = batch.quarantined;
      return summary_;
    }
  }

  // 3. What the validator needs to know.
  Result<store::Round> existing_round = store_.FindRound(operation.id, round_number);
  ASSIGN_OR_RETURN(geo::Gazetteer gazetteer, CountryGazetteer(store_, operation.country));
  ASSIGN_OR_RETURN(std::vector<store::Site> sites, store_.ListSites(operation.id));
  ValidationContext context;
  context.file = options_.path;
  context.country = operation.country;
  context.extent = options_.extents ? options_.extents->Find(operation.country) : nullptr;
  context.gazetteer = gazetteer.size() > 0 ? &gazetteer : nullptr;
  for (const store::Site& site : sites) context.known_site_ids.insert(site.site_id);
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
  context.date_orders = first_pass.date_orders;
  context.today = options_.today;
  ASSIGN_OR_RETURN(SiteValidator validator, SiteValidator::Create(dictionary_, std::move(context)));

  // Submissions already in the round: accepted ones make a new row for the same
  // site a duplicate; quarantined ones are replaced by a corrected row.
  BatchContext batch_context;
  batch_context.file = options_.path;
  std::unordered_map<std::string, std::vector<int64_t>> quarantined_in_round;
  ASSIGN_OR_RETURN(std::vector<store::Submission> stored,
                   store_.Submissions(operation.id, round_number));
  for (const store::Submission& submission : stored) {
    if (submission.assessment_type != options_.assessment_type) continue;
    if (submission.state == store::SubmissionState::kAccepted) {
      batch_context.stored_site_ids.insert(submission.site_id);
    } else if (submission.state == store::SubmissionState::kQuarantined) {
      quarantined_in_round[submission.site_id].push_back(submission.id);
    }
  }
  if (round_number > 0 && ind_total_indicator >= 0) {
    Result<std::vector<store::Submission>> previous =
        store_.Submissions(operation.id, round_number - 1);
    if (previous.ok()) {
      for (const store::Submission& submission : *previous) {
        if (submission.state != store::SubmissionState::kAccepted ||
            submission.assessment_type != options_.assessment_type) {
          continue;
        }
        if (auto total = core::ParseNumber(submission.values[ind_total_indicator])) {
          batch_context.previous_ind_total[submission.site_id] = *total;
        }
      }
    }
  }
  for (size_t indicator_idx = 0; indicator_idx < dictionary_.indicators().size(); ++indicator_idx) {
    int column = mapping.ColumnOf(static_cast<int>(indicator_idx));
    batch_context.columns.push_back(column >= 0 ? header.names[column] : std::string());
  }
  BatchChecker checker(dictionary_, std::move(batch_context));

  // 4. Second pass, in one transaction.
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
    RETURN_IF_ERROR(transaction->PutSourceHeader(header.names));
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

  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  SourceRow row;
  MappedRow mapped;
  RowOutcome outcome;
  // By row ordinal: the submission id (0 when quarantined) and the line, for
  // the outliers found at the end.
  std::vector<std::pair<int64_t, int64_t>> stored_rows;
  std::optional<core::Date> first_survey;
  std::optional<core::Date> last_survey;

  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    ++summary_.rows_read;
    mapping.Apply(row, mapped);
    summary_.value_maps_applied += static_cast<int64_t>(mapped.value_maps.size());
    // What the command line says and the file leaves out: the round, the country.
    if (round_indicator_ >= 0 && mapping.ColumnOf(round_indicator_) < 0) {
      mapped.values[round_indicator_] = std::to_string(round_number);
    }
    if (adm0_indicator >= 0 && mapping.ColumnOf(adm0_indicator) < 0) {
      mapped.values[adm0_indicator] = operation.country;
    }
    validator.Validate(mapped, outcome);

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
        if (!first_survey || *date < *first_survey) first_survey = *date;
        if (!last_survey || *last_survey < *date) last_survey = *date;
      }
    }
    if (options_.progress && summary_.rows_read % kProgressEvery == 0) {
      options_.progress(summary_.rows_read);
    }
    if (!transaction) {
      stored_rows.emplace_back(0, row.line);
      continue;
    }

    // The verbatim row, pii cells blank.
    for (int column : pii_columns) {
      if (static_cast<size_t>(column) < row.cells.size()) row.cells[column].clear();
    }
    store::Submission submission;
    submission.operation_id = operation.id;
    submission.round = round_number;
    submission.assessment_type = options_.assessment_type;
    submission.site_id = outcome.site_id;
    submission.source_row = row.line;
    submission.submission_uuid = mapped.submission_uuid;
    submission.submission_time = mapped.submission_time;
    submission.enumerator = mapped.enumerator;
    submission.device = mapped.device;
    submission.state = outcome.quarantined ? store::SubmissionState::kQuarantined
                                           : store::SubmissionState::kAccepted;
    submission.values = outcome.cleaned;
    ASSIGN_OR_RETURN(int64_t submission_id, transaction->AddSubmission(submission, row.cells));
    stored_rows.emplace_back(outcome.quarantined ? 0 : submission_id, row.line);

    if (outcome.quarantined) {
      const Finding& reason = outcome.findings[outcome.quarantine_finding];
      store::QuarantineEntry entry;
      entry.source_row = row.line;
      entry.rule = reason.rule;
      entry.message = reason.message;
      entry.site_id = outcome.site_id;
      entry.round = round_number;
      entry.raw_cells = row.cells;
      entry.submission_id = submission_id;
      RETURN_IF_ERROR(transaction->AddQuarantine(entry));
    } else if (auto it = quarantined_in_round.find(outcome.site_id);
               it != quarantined_in_round.end()) {
      RETURN_IF_ERROR(transaction->MarkReplaced(it->second));
      summary_.replaced += static_cast<int64_t>(it->second.size());
      summary_.notes.push_back("row " + std::to_string(row.line) + " replaces the quarantined " +
                               "submission of site " + outcome.site_id + " in round " +
                               std::to_string(round_number));
      quarantined_in_round.erase(it);
    }
    for (size_t finding_idx = 0; finding_idx < outcome.findings.size(); ++finding_idx) {
      const Finding& finding = outcome.findings[finding_idx];
      int indicator = finding.indicator.empty() ? -1 : IndexOf(dictionary_, finding.indicator);
      store::CleaningLogEntry entry;
      if (!outcome.quarantined) entry.submission_id = submission_id;
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
      RETURN_IF_ERROR(transaction->AddCleaningLog(entry));
    }
    for (const Alert& alert : outcome.alerts) {
      store::Alert stored_alert;
      stored_alert.operation_id = operation.id;
      stored_alert.round = round_number;
      stored_alert.site_id = outcome.site_id;
      stored_alert.indicator = dictionary_.indicators()[alert.indicator].name;
      stored_alert.value = alert.value;
      stored_alert.rule = std::string(rule::kUrgentAlert);
      stored_alert.created_at = options_.now;
      RETURN_IF_ERROR(transaction->AddAlert(stored_alert));
    }
    if (outcome.new_site && !outcome.quarantined) {
      store::Site site;
      site.operation_id = operation.id;
      site.site_id = outcome.site_id;
      if (int name = IndexOf(dictionary_, "site_name"); name >= 0) site.name = outcome.cleaned[name];
      if (adm1_indicator >= 0) site.adm1_pcode = outcome.cleaned[adm1_indicator];
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
      store::SiteChangeContext change;
      change.from_round = round_number;
      change.note = "registered by ingest of " + options_.path;
      RETURN_IF_ERROR(transaction->UpsertSite(site, change));
    }
  }
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

  if (transaction) {
    RETURN_IF_ERROR(transaction->SetCounts(summary_.rows_read, summary_.accepted,
                                           summary_.quarantined));
    RETURN_IF_ERROR(transaction->Commit());
  }
  return summary_;
}

}  // namespace

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
  nlohmann::ordered_json findings = nlohmann::ordered_json::object();
  for (const auto& [rule_id, count] : summary.findings) {
    findings[rule_id] = {{"rows", count.rows}, {"count", count.count}};
  }
  json["findings"] = findings;
  return json.dump();
}

}  // namespace opendtm::ingest
