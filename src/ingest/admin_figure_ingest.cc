#include "ingest/admin_figure_ingest.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/number.h"
#include "core/sha256.h"
#include "core/text.h"
#include "ingest/finding.h"
#include "ingest/limits.h"
#include "ingest/open_source.h"

namespace opendtm::ingest {
namespace {

constexpr int64_t kProgressEvery = 5000;

// The fields of a DTM API admin-level record that the ingest reads.
enum Field : int {
  kId,
  kOperation,
  kAdmin0Name,
  kAdmin0Pcode,
  kAdmin1Name,
  kAdmin1Pcode,
  kAdmin2Name,
  kAdmin2Pcode,
  kNumPresentIdpInd,
  kReportingDate,
  kRoundNumber,
  kDisplacementReason,
  kNumberMales,
  kNumberFemales,
  kOriginAdmin1Name,
  kOriginAdmin1Pcode,
  kAssessmentType,
  kAdminLevel,
  kFieldCount,
};

struct FieldSpec {
  std::string_view api_name;  // as the DTM API spells it
  std::string_view hxl_tag;   // as HDX's "DTM from API" file tags it
};

constexpr std::array<FieldSpec, kFieldCount> kFields = {{
    {"id", "#id+code"},
    {"operation", "#operation+name"},
    {"admin0Name", "#country+name"},
    {"admin0Pcode", "#country+code"},
    {"admin1Name", "#adm1+name"},
    {"admin1Pcode", "#adm1+code"},
    {"admin2Name", "#adm2+name"},
    {"admin2Pcode", "#adm2+code"},
    {"numPresentIdpInd", "#affected+idps"},
    {"reportingDate", "#date+reported"},
    {"roundNumber", "#round+code"},
    {"displacementReason", "#cause+type"},
    {"numberMales", "#affected+idps+m"},
    {"numberFemales", "#affected+idps+f"},
    {"idpOriginAdmin1Name", "#adm1+name+origin"},
    {"idpOriginAdmin1Pcode", "#adm1+code+origin"},
    {"assessmentType", "#assessment+type"},
    {"adminLevel", "#adm+level"},
}};

// Fields without which a record cannot be placed (operation, round, date, type)
// or counted.
constexpr std::array<Field, 6> kRequiredFields = {kOperation,     kAdmin0Pcode, kNumPresentIdpInd,
                                                  kReportingDate, kRoundNumber, kAssessmentType};

// The fields of the full key, in key order (the admin level comes first).
constexpr std::array<Field, 10> kKeyFields = {
    kId,          kOperation,   kRoundNumber, kReportingDate,      kAssessmentType,
    kAdmin0Pcode, kAdmin1Pcode, kAdmin2Pcode, kDisplacementReason, kOriginAdmin1Pcode};

// A header name compared without case, spaces, underscores or hyphens:
// "numPresentIdpInd", "num_present_idp_ind" and "NumPresentIdpInd" are one.
std::string NameKey(std::string_view name) {
  std::string key;
  for (char c : core::Trim(name)) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key;
}

// An HXL hashtag compared without case or spaces and with its attributes in
// any order: "#affected +idps +m" and "#Affected+m+idps" are one.
std::string TagKey(std::string_view tag) {
  std::string flat;
  for (char c : core::Trim(tag)) {
    if (c == ' ') continue;
    flat.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  std::vector<std::string_view> parts = core::Split(flat, '+');
  if (parts.empty()) return flat;
  std::sort(parts.begin() + 1, parts.end());
  std::string key(parts[0]);
  for (size_t part_idx = 1; part_idx < parts.size(); ++part_idx) {
    key += "+";
    key += parts[part_idx];
  }
  return key;
}

// Which source column holds each field (-1 when none).
struct FieldColumns {
  std::array<int, kFieldCount> column;

  bool Has(Field field) const { return column[field] >= 0; }
  std::string_view Cell(const SourceRow& row, Field field) const {
    int index = column[field];
    if (index < 0 || static_cast<size_t>(index) >= row.cells.size()) return {};
    return row.cells[static_cast<size_t>(index)];
  }
};

// Maps the header's columns to fields: by API name first, then by hashtag
// (from the hashtag row, or a header that is itself a hashtag row).
FieldColumns MapColumns(const SourceHeader& header) {
  FieldColumns columns;
  columns.column.fill(-1);
  for (int field = 0; field < kFieldCount; ++field) {
    const std::string wanted = NameKey(kFields[field].api_name);
    for (size_t column_idx = 0; column_idx < header.names.size(); ++column_idx) {
      if (NameKey(header.names[column_idx]) == wanted) {
        columns.column[field] = static_cast<int>(column_idx);
        break;
      }
    }
  }
  std::set<int> taken;
  for (int column : columns.column) taken.insert(column);
  for (int field = 0; field < kFieldCount; ++field) {
    if (columns.column[field] >= 0) continue;
    const std::string wanted = TagKey(kFields[field].hxl_tag);
    for (size_t column_idx = 0; column_idx < header.names.size(); ++column_idx) {
      if (taken.count(static_cast<int>(column_idx)) > 0) continue;
      std::string_view tag = column_idx < header.hxl_tags.size()
                                 ? std::string_view(header.hxl_tags[column_idx])
                                 : std::string_view();
      if (tag.empty() && core::Trim(header.names[column_idx]).starts_with("#")) {
        tag = header.names[column_idx];
      }
      if (!tag.empty() && TagKey(tag) == wanted) {
        columns.column[field] = static_cast<int>(column_idx);
        taken.insert(static_cast<int>(column_idx));
        break;
      }
    }
  }
  return columns;
}

std::vector<std::string_view> MissingFields(const FieldColumns& columns) {
  std::vector<std::string_view> missing;
  for (Field field : kRequiredFields) {
    if (!columns.Has(field)) missing.push_back(kFields[field].api_name);
  }
  return missing;
}

bool IsIso3(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The SHA-256 of the file's bytes, read in chunks.
// ---- The records' original text in a DTM API JSON response --------------------
//
// DtmApiSource gives each record's values as text, which loses the difference
// between null and "", and between 12 and "12"; the stored record must be the
// original. This scanner finds the byte span of each element of the response's
// "result" array (or of a bare array). It only delimits values; DtmApiSource
// has already checked that the document is well-formed JSON.

class JsonRecordScanner {
 public:
  explicit JsonRecordScanner(std::string_view text) : text_(text) {}

  // The records' text, in order. Errors: InvalidArgument when the text has no
  // record array where DtmApiSource found one.
  Result<std::vector<std::string_view>> Records() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    SkipSpace();
    if (Peek() == '{') {
      ++pos_;
      bool found = false;
      while (!found) {
        SkipSpace();
        if (Peek() != '"') return Malformed();
        size_t key_start = pos_;
        if (!SkipString()) return Malformed();
        std::string_view key = text_.substr(key_start, pos_ - key_start);
        SkipSpace();
        if (Peek() != ':') return Malformed();
        ++pos_;
        SkipSpace();
        if (key == "\"result\"" && Peek() == '[') {
          found = true;
          break;
        }
        if (!SkipValue()) return Malformed();
        SkipSpace();
        if (Peek() != ',') return Malformed();
        ++pos_;
      }
    }
    if (Peek() != '[') return Malformed();
    ++pos_;
    std::vector<std::string_view> records;
    SkipSpace();
    if (Peek() == ']') return records;
    while (true) {
      SkipSpace();
      size_t start = pos_;
      if (!SkipValue()) return Malformed();
      records.push_back(text_.substr(start, pos_ - start));
      SkipSpace();
      if (Peek() == ']') return records;
      if (Peek() != ',') return Malformed();
      ++pos_;
    }
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // At a '"': moves past the closing quote.
  bool SkipString() {
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  // Moves past one value: a string, an object or array (with everything
  // nested), or a scalar (ends before a delimiter or space).
  bool SkipValue() {
    char first = Peek();
    if (first == '"') return SkipString();
    if (first == '{' || first == '[') {
      int depth = 0;
      while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '"') {
          if (!SkipString()) return false;
          continue;
        }
        ++pos_;
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view(",]} \t\r\n").find(text_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return pos_ > start;
  }

  Status Malformed() const {
    return InvalidArgumentError("byte " + std::to_string(pos_) +
                                ": cannot delimit the records of the response");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// What the ingest decides about one record.
struct RecordOutcome {
  store::AdminFigure figure;
  std::string key;  // the full key, "" when the record is not keyed
  std::vector<Finding> findings;
  int quarantine_finding = -1;  // index into findings, -1 when accepted
  std::vector<int> blanked;     // findings whose value was blanked (not quarantining)
};

class AdminFigureIngest {
 public:
  AdminFigureIngest(store::Store& store, const AdminFigureIngestOptions& options)
      : store_(store), options_(options) {}

  Result<SiteIngestSummary> Run();

 private:
  Result<std::unique_ptr<RowReader>> Open() const;
  Result<std::set<std::pair<std::string, std::string>>> ReadOperations();
  Result<std::optional<store::Batch>> FindEarlierBatch(
      const std::set<std::pair<std::string, std::string>>& operations, const std::string& sha256);
  Status LoadJsonRecords();
  void Examine(const SourceRow& row, RecordOutcome& outcome) const;
  Finding MakeFinding(const SourceRow& row, Field field, std::string_view rule_id,
                      Severity severity, std::string message) const;
  std::string RecordJson(const SourceRow& row) const;

  store::Store& store_;
  const AdminFigureIngestOptions& options_;
  SourceHeader header_;
  FieldColumns columns_;
  int default_level_ = 0;  // when the file has no adminLevel column
  bool from_json_ = false;
  std::string json_text_;                       // the response, for record spans
  std::vector<std::string_view> json_records_;  // into json_text_
  SiteIngestSummary summary_;
};

Result<std::unique_ptr<RowReader>> AdminFigureIngest::Open() const {
  SourceOptions source_options;
  source_options.header_row = options_.header_row;
  source_options.sheet = options_.sheet;
  return OpenSource(options_.path, source_options);
}

// First pass: the (operation, country) pairs the file names.
Result<std::set<std::pair<std::string, std::string>>> AdminFigureIngest::ReadOperations() {
  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  std::set<std::pair<std::string, std::string>> operations;
  SourceRow row;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    std::string_view name = columns_.Cell(row, kOperation);
    std::string_view country = columns_.Cell(row, kAdmin0Pcode);
    if (!name.empty() && IsIso3(country)) operations.emplace(name, country);
  }
  return operations;
}

// The active admin-figure batch that already holds these exact bytes, if any.
Result<std::optional<store::Batch>> AdminFigureIngest::FindEarlierBatch(
    const std::set<std::pair<std::string, std::string>>& operations, const std::string& sha256) {
  for (const auto& [name, country] : operations) {
    Result<store::Operation> operation = store_.FindOperation(name, country);
    if (!operation.ok()) {
      if (operation.status().code() == StatusCode::kNotFound) continue;
      return operation.status();
    }
    ASSIGN_OR_RETURN(std::vector<store::Batch> batches, store_.Batches(operation->id));
    for (const store::Batch& batch : batches) {
      if (batch.state == store::BatchState::kActive && !batch.operation_id &&
          batch.source_sha256 == sha256) {
        return std::optional<store::Batch>(batch);
      }
    }
  }
  return std::optional<store::Batch>();
}

Status AdminFigureIngest::LoadJsonRecords() {
  std::error_code error;
  uintmax_t size = std::filesystem::file_size(options_.path, error);
  if (error) return UnavailableError(options_.path + ": " + error.message());
  if (size > Limits().max_file_bytes) {
    return ResourceExhaustedError(options_.path + ": larger than max_file_bytes");
  }
  std::ifstream in(options_.path, std::ios::binary);
  if (!in) return UnavailableError("cannot read " + options_.path);
  json_text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  Result<std::vector<std::string_view>> records = JsonRecordScanner(json_text_).Records();
  if (!records.ok()) return records.status().WithContext(options_.path);
  json_records_ = std::move(*records);
  return Status::Ok();
}

Finding AdminFigureIngest::MakeFinding(const SourceRow& row, Field field, std::string_view rule_id,
                                       Severity severity, std::string message) const {
  Finding finding;
  finding.file = options_.path;
  finding.row = row.line;
  int column = columns_.column[field];
  finding.column = column >= 0 ? header_.names[static_cast<size_t>(column)]
                               : std::string(kFields[field].api_name);
  finding.rule = std::string(rule_id);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.value = std::string(columns_.Cell(row, field));
  return finding;
}

std::string AdminFigureIngest::RecordJson(const SourceRow& row) const {
  if (from_json_) {
    size_t index = static_cast<size_t>(row.line - 1);
    return index < json_records_.size() ? std::string(json_records_[index]) : std::string();
  }
  nlohmann::ordered_json record = nlohmann::ordered_json::object();
  for (size_t column_idx = 0; column_idx < header_.names.size(); ++column_idx) {
    record[header_.names[column_idx]] =
        column_idx < row.cells.size() ? row.cells[column_idx] : std::string();
  }
  // Readers hand over UTF-8 only; replacing keeps dump() from throwing anyway.
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Reads one record into outcome.figure (all but operation_id) and decides
// whether it is stored; the duplicate check is the caller's (it needs the file).
void AdminFigureIngest::Examine(const SourceRow& row, RecordOutcome& outcome) const {
  outcome = RecordOutcome();
  store::AdminFigure& figure = outcome.figure;
  auto quarantine = [&](Finding finding) {
    if (outcome.quarantine_finding < 0) {
      outcome.quarantine_finding = static_cast<int>(outcome.findings.size());
    }
    outcome.findings.push_back(std::move(finding));
  };

  figure.source_id = std::string(columns_.Cell(row, kId));
  figure.operation_name = std::string(columns_.Cell(row, kOperation));
  figure.country_name = std::string(columns_.Cell(row, kAdmin0Name));
  figure.country = std::string(columns_.Cell(row, kAdmin0Pcode));
  figure.reporting_date = std::string(columns_.Cell(row, kReportingDate));
  figure.assessment_type = std::string(columns_.Cell(row, kAssessmentType));
  figure.admin1_pcode = std::string(columns_.Cell(row, kAdmin1Pcode));
  figure.admin1_name = std::string(columns_.Cell(row, kAdmin1Name));
  figure.admin2_pcode = std::string(columns_.Cell(row, kAdmin2Pcode));
  figure.admin2_name = std::string(columns_.Cell(row, kAdmin2Name));
  figure.displacement_reason = std::string(columns_.Cell(row, kDisplacementReason));
  figure.origin_admin1_pcode = std::string(columns_.Cell(row, kOriginAdmin1Pcode));
  figure.origin_admin1_name = std::string(columns_.Cell(row, kOriginAdmin1Name));

  // 1. Where the record belongs: its operation and round.
  if (figure.operation_name.empty()) {
    quarantine(MakeFinding(row, kOperation, rule::kRequired, Severity::kError,
                           "the record names no operation"));
  }
  if (!IsIso3(figure.country)) {
    quarantine(MakeFinding(row, kAdmin0Pcode, rule::kRequired, Severity::kError,
                           "admin0Pcode '" + figure.country +
                               "' is not an ISO3 country code: the record's operation "
                               "cannot be placed"));
  }
  std::optional<int64_t> round = core::ParseInteger(columns_.Cell(row, kRoundNumber));
  if (round && *round >= 0 && *round <= std::numeric_limits<int>::max()) {
    figure.round = static_cast<int>(*round);
  } else {
    quarantine(MakeFinding(row, kRoundNumber, rule::kType, Severity::kError,
                           "roundNumber '" + std::string(columns_.Cell(row, kRoundNumber)) +
                               "' is not a whole number"));
  }

  // 2. The admin level: the record's own, else the file's columns.
  figure.admin_level = default_level_;
  if (std::string_view level_text = core::Trim(columns_.Cell(row, kAdminLevel));
      !level_text.empty()) {
    std::optional<int64_t> level = core::ParseInteger(level_text);
    if (level && *level >= 0 && *level <= 2) {
      figure.admin_level = static_cast<int>(*level);
    } else {
      quarantine(MakeFinding(row, kAdminLevel, rule::kType, Severity::kError,
                             "adminLevel '" + std::string(level_text) + "' is not 0, 1 or 2"));
    }
  } else if (columns_.Has(kAdminLevel)) {
    figure.admin_level = !figure.admin2_pcode.empty() || !figure.admin2_name.empty()   ? 2
                         : !figure.admin1_pcode.empty() || !figure.admin1_name.empty() ? 1
                                                                                       : 0;
  }

  // 3. The figure itself.
  if (std::optional<int64_t> people = core::ParseInteger(columns_.Cell(row, kNumPresentIdpInd))) {
    figure.num_present_idp_ind = *people;
  } else {
    quarantine(MakeFinding(row, kNumPresentIdpInd, rule::kType, Severity::kError,
                           "numPresentIdpInd '" +
                               std::string(columns_.Cell(row, kNumPresentIdpInd)) +
                               "' is not a whole number"));
  }
  for (Field field : {kNumberMales, kNumberFemales}) {
    std::string_view text = core::Trim(columns_.Cell(row, field));
    if (text.empty() || core::FoldCase(text) == "null") continue;  // unknown
    std::optional<int64_t> count = core::ParseInteger(text);
    if (count) {
      (field == kNumberMales ? figure.males : figure.females) = *count;
      continue;
    }
    outcome.blanked.push_back(static_cast<int>(outcome.findings.size()));
    outcome.findings.push_back(
        MakeFinding(row, field, rule::kType, Severity::kWarning,
                    std::string(kFields[field].api_name) + " '" + std::string(text) +
                        "' is not a whole number: stored as unknown (the stored record keeps it)"));
  }

  // 4. The full key, as written.
  outcome.key = std::to_string(figure.admin_level);
  for (Field field : kKeyFields) {
    outcome.key += '\x1f';
    outcome.key += columns_.Cell(row, field);
  }
}

Result<SiteIngestSummary> AdminFigureIngest::Run() {
  // 1. The source's header and columns.
  {
    ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
    header_ = reader->header();
  }
  columns_ = MapColumns(header_);
  if (std::vector<std::string_view> missing = MissingFields(columns_); !missing.empty()) {
    std::string names;
    for (std::string_view name : missing) names += (names.empty() ? "" : ", ") + std::string(name);
    return InvalidArgumentError(options_.path +
                                ": not a file of DTM API admin-level figures: no column " + names);
  }
  default_level_ = columns_.Has(kAdmin2Pcode) || columns_.Has(kAdmin2Name)   ? 2
                   : columns_.Has(kAdmin1Pcode) || columns_.Has(kAdmin1Name) ? 1
                                                                             : 0;
  summary_.notes = header_.notes;
  {
    std::set<int> used(columns_.column.begin(), columns_.column.end());
    std::string others;
    for (size_t column_idx = 0; column_idx < header_.names.size(); ++column_idx) {
      if (used.count(static_cast<int>(column_idx)) > 0) continue;
      others += (others.empty() ? "'" : ", '") + header_.names[column_idx] + "'";
    }
    if (!others.empty()) summary_.notes.push_back("kept in the stored record only: " + others);
  }
  // DtmApiSource reports no header row; its records are stored as their JSON text.
  from_json_ = header_.header_line == 0;
  if (from_json_) RETURN_IF_ERROR(LoadJsonRecords());

  // 2. First pass: the operations named; the same bytes already ingested?
  ASSIGN_OR_RETURN(std::string sha256, core::Sha256HexOfFile(options_.path));
  ASSIGN_OR_RETURN(auto named_operations, ReadOperations());
  ASSIGN_OR_RETURN(std::optional<store::Batch> earlier, FindEarlierBatch(named_operations, sha256));
  if (earlier) {
    summary_.already_ingested_batch = earlier->id;
    summary_.rows_read = earlier->rows_read;
    summary_.accepted = earlier->accepted;
    summary_.quarantined = earlier->quarantined;
    return summary_;
  }

  // 3. Second pass, in one transaction.
  store::Batch batch;  // operation_id and round stay unset: the records name theirs
  batch.source_name = options_.path;
  batch.source_sha256 = sha256;
  batch.created_at = options_.now;
  batch.who = options_.who;
  std::unique_ptr<store::IngestTransaction> transaction;
  if (!options_.dry_run) {
    ASSIGN_OR_RETURN(transaction, store_.BeginIngest(batch));
    RETURN_IF_ERROR(transaction->PutSourceHeader(header_.names));
    summary_.batch_id = transaction->batch_id();
  }

  ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, Open());
  if (from_json_ && reader->header().names.size() != header_.names.size()) {
    return InternalError(options_.path + ": the response changed while it was read");
  }
  std::map<std::pair<std::string, std::string>, int64_t> operation_ids;
  std::unordered_set<std::string> accepted_keys;
  SourceRow row;
  RecordOutcome outcome;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    ++summary_.rows_read;
    Examine(row, outcome);
    if (outcome.quarantine_finding < 0 && !accepted_keys.insert(outcome.key).second) {
      outcome.quarantine_finding = static_cast<int>(outcome.findings.size());
      Finding duplicate;  // a row-level finding: no column
      duplicate.file = options_.path;
      duplicate.row = row.line;
      duplicate.rule = std::string(rule::kFigureDuplicate);
      duplicate.severity = Severity::kError;
      duplicate.message =
          "the record's full key (admin level, id, operation, round, reporting date, "
          "assessment type, admin areas, displacement reason, origin admin1) repeats an "
          "earlier record of the file";
      outcome.findings.push_back(std::move(duplicate));
    }
    if (from_json_ && static_cast<size_t>(row.line - 1) >= json_records_.size()) {
      return InternalError(options_.path + ": record " + std::to_string(row.line) +
                           " has no text in the response");
    }
    CountRowFindings(outcome.findings, summary_);
    const bool quarantined = outcome.quarantine_finding >= 0;
    if (quarantined) {
      ++summary_.quarantined;
    } else {
      ++summary_.accepted;
    }
    if (options_.progress && summary_.rows_read % kProgressEvery == 0) {
      options_.progress(summary_.rows_read);
    }
    if (!transaction) continue;

    // The record's operation, created when absent, when the record names one
    // that can be placed (a quarantined record too, so that its quarantine
    // and cleaning log are listed under it).
    store::AdminFigure& figure = outcome.figure;
    std::optional<int64_t> operation_id;
    if (!figure.operation_name.empty() && IsIso3(figure.country)) {
      auto operation_key = std::make_pair(figure.operation_name, figure.country);
      auto known = operation_ids.find(operation_key);
      if (known == operation_ids.end()) {
        store::Operation wanted;
        wanted.name = figure.operation_name;
        wanted.country = figure.country;
        ASSIGN_OR_RETURN(store::Operation operation, transaction->EnsureOperation(wanted));
        known = operation_ids.emplace(operation_key, operation.id).first;
      }
      operation_id = known->second;
    }
    std::optional<int> record_round;
    if (std::optional<int64_t> round = core::ParseInteger(columns_.Cell(row, kRoundNumber));
        round && *round >= 0 && *round <= std::numeric_limits<int>::max()) {
      record_round = static_cast<int>(*round);
    }

    if (quarantined) {
      const Finding& reason = outcome.findings[static_cast<size_t>(outcome.quarantine_finding)];
      store::QuarantineEntry entry;
      entry.source_row = row.line;
      entry.rule = reason.rule;
      entry.message = reason.message;
      entry.round = record_round;
      entry.operation_id = operation_id;
      entry.raw_cells = row.cells;
      RETURN_IF_ERROR(transaction->AddQuarantine(entry));
    } else {
      if (!operation_id) {
        return InternalError(options_.path + ": record " + std::to_string(row.line) +
                             " was accepted without an operation");
      }
      figure.operation_id = *operation_id;
      figure.record_json = RecordJson(row);
      RETURN_IF_ERROR(transaction->AddAdminFigure(figure).status());
    }
    for (size_t finding_idx = 0; finding_idx < outcome.findings.size(); ++finding_idx) {
      const Finding& finding = outcome.findings[finding_idx];
      store::CleaningLogEntry entry;
      entry.row = row.line;
      entry.column = finding.column;
      entry.old_value = finding.value;
      entry.rule = finding.rule;
      if (static_cast<int>(finding_idx) == outcome.quarantine_finding) {
        entry.action = "quarantined";
      } else if (std::find(outcome.blanked.begin(), outcome.blanked.end(),
                           static_cast<int>(finding_idx)) != outcome.blanked.end() &&
                 !quarantined) {
        entry.action = "blanked";
      } else {
        entry.action = quarantined ? "quarantined" : "flagged";
      }
      entry.who = options_.who;
      entry.when = options_.now;
      entry.operation_id = operation_id;
      entry.round = record_round;
      RETURN_IF_ERROR(transaction->AddCleaningLog(entry).status());
    }
  }
  if (options_.progress) options_.progress(summary_.rows_read);

  if (transaction) {
    RETURN_IF_ERROR(
        transaction->SetCounts(summary_.rows_read, summary_.accepted, summary_.quarantined));
    RETURN_IF_ERROR(transaction->Commit());
  }
  return summary_;
}

}  // namespace

bool LooksLikeAdminFigures(const SourceHeader& header) {
  return MissingFields(MapColumns(header)).empty();
}

Result<SiteIngestSummary> RunAdminFigureIngest(store::Store& store,
                                               const AdminFigureIngestOptions& options) {
  return AdminFigureIngest(store, options).Run();
}

}  // namespace opendtm::ingest
