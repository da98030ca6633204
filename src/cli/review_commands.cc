#include "cli/review_commands.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/command_output.h"
#include "cli/disclosed_read.h"
#include "cli/store_access.h"
#include "cli/table_output.h"
#include "core/csv_writer.h"
#include "core/date.h"
#include "core/number.h"
#include "core/text.h"
#include "dictionary/dictionary.h"
#include "ingest/correction_check.h"
#include "ingest/finding.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::cli {
namespace {

using core::CsvField;
using core::CsvLine;

constexpr int kExitUsage = 2;

// The rules and action words of `dtm correct`, as the cleaning log shows them.
constexpr std::string_view kCorrectRule = "correct";
constexpr std::string_view kCorrectUndoRule = "correct_undo";
constexpr std::string_view kCorrectedAction = "corrected";
constexpr std::string_view kForcedOverAction = "forced over ";
constexpr std::string_view kRevertedEntryAction = "reverted: entry ";

constexpr const char* kCleaningLogHeader =
    "entry_id,batch_id,submission_id,row,column,indicator,old_value,new_value,rule,action,who,"
    "when";

int Usage(const Environment& environment, const std::string& problem, const char* usage) {
  *environment.err << "dtm: " << problem << "\nusage: " << usage << "\n";
  return kExitUsage;
}

// A positive id (batch, entry), or nullopt.
std::optional<int64_t> ParseId(std::string_view text) {
  std::optional<int64_t> id = core::ParseInteger(text);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

// The round of --round, nullopt when absent. Errors: InvalidArgument.
Result<std::optional<int>> ParseRoundFlag(const CommandLine& line) {
  std::optional<std::string> text = line.Flag("round");
  if (!text) return std::optional<int>();
  std::optional<int64_t> number = core::ParseInteger(*text);
  if (!number || *number < 0 || *number > 1'000'000) {
    return InvalidArgumentError("--round must be a round number");
  }
  return std::optional<int>(static_cast<int>(*number));
}

// A JSON string literal. Stored text is UTF-8, so only quotes, backslashes and
// control characters need escaping.
std::string JsonString(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string IdText(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : std::string();
}

std::string JsonId(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : std::string("null");
}

std::string PadRight(std::string_view text, size_t width) {
  std::string padded(text);
  size_t shown = DisplayWidth(text);
  if (shown < width) padded.append(width - shown, ' ');
  return padded;
}

// Prints `name = value` lines, the names padded to the longest one.
void PrintPairs(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& pairs) {
  size_t width = 0;
  for (const auto& [name, value] : pairs) width = std::max(width, DisplayWidth(name));
  for (const auto& [name, value] : pairs) out << PadRight(name, width) << " = " << value << "\n";
}

// The verbatim row paired with its header: a cell without a header name is
// named by its 1-based position, a header name without a cell gets "".
std::vector<std::pair<std::string, std::string>> PairCells(const std::vector<std::string>& header,
                                                           const std::vector<std::string>& cells) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t width = std::max(header.size(), cells.size());
  for (size_t column_idx = 0; column_idx < width; ++column_idx) {
    std::string name = column_idx < header.size() && !header[column_idx].empty()
                           ? header[column_idx]
                           : "(column " + std::to_string(column_idx + 1) + ")";
    pairs.emplace_back(std::move(name), column_idx < cells.size() ? cells[column_idx] : "");
  }
  return pairs;
}

// Who submitted a stored row: what the cleaning-log summary needs of a submission.
struct SubmissionSource {
  int64_t id = 0;
  std::string enumerator;
  std::string device;
};

SubmissionSource SourceOf(const store::Submission& submission) {
  return {submission.id, submission.enumerator, submission.device};
}

// The submissions one batch stored (accepted, quarantined, replaced or undone:
// an ingest stores every row it reads, quarantined ones included), by source
// row, and the header of the batch's verbatim copy. Each batch is read once.
//
// Not thread-safe. Borrows the store, which must outlive it.
class BatchSubmissions {
 public:
  explicit BatchSubmissions(store::Store& store) : store_(store) {}

  // The submission the batch stored for its source row `row`, or nullptr.
  // Errors: NotFound for an unknown batch; the store's.
  Result<const SubmissionSource*> AtRow(int64_t batch_id, int64_t row) {
    ASSIGN_OR_RETURN(Loaded * loaded, Load(batch_id));
    auto found = loaded->by_row.find(row);
    return found == loaded->by_row.end() ? nullptr : &found->second;
  }

  // The source header of the batch, read from the verbatim copy of any of its
  // submissions; empty when it has none. Errors: as AtRow.
  Result<std::vector<std::string>> Header(int64_t batch_id) {
    ASSIGN_OR_RETURN(Loaded * loaded, Load(batch_id));
    if (loaded->header) return *loaded->header;
    std::vector<std::string> header;
    if (!loaded->by_row.empty()) {
      Result<store::VerbatimRow> verbatim =
          store_.GetVerbatimRow(loaded->by_row.begin()->second.id);
      if (verbatim.ok()) {
        header = std::move(verbatim->header);
      } else if (verbatim.status().code() != StatusCode::kNotFound) {
        return verbatim.status();
      }
    }
    loaded->header = header;
    return header;
  }

 private:
  struct Loaded {
    std::map<int64_t, SubmissionSource> by_row;
    std::optional<std::vector<std::string>> header;
  };

  Result<Loaded*> Load(int64_t batch_id) {
    auto found = batches_.find(batch_id);
    if (found != batches_.end()) return &found->second;
    ASSIGN_OR_RETURN(store::Batch batch, store_.FindBatch(batch_id));
    Loaded loaded;
    // A batch of DTM API figures names no operation or round: it stored no submissions.
    if (batch.operation_id && batch.round) {
      ASSIGN_OR_RETURN(std::vector<store::Submission> submissions,
                       store_.Submissions(*batch.operation_id, *batch.round));
      for (const store::Submission& submission : submissions) {
        if (submission.batch_id == batch_id) {
          loaded.by_row.emplace(submission.source_row, SourceOf(submission));
        }
      }
    }
    return &batches_.emplace(batch_id, std::move(loaded)).first->second;
  }

  store::Store& store_;
  std::map<int64_t, Loaded> batches_;
};

// ---- quarantine ------------------------------------------------------------

constexpr const char* kQuarantineUsage =
    "dtm quarantine list (--operation OP [--batch N] | --batch N)\n"
    "       dtm quarantine show ID [--operation OP]\n"
    "       dtm quarantine export (--operation OP [--batch N] | --batch N) [-o FILE]\n"
    "       [--country ISO3] [--db PATH]";

void ListQuarantine(const std::vector<store::QuarantineEntry>& entries,
                    const Environment& environment) {
  if (entries.empty()) {
    *environment.out << "no quarantined rows\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(entries.size());
  for (const store::QuarantineEntry& entry : entries) {
    rows.push_back({std::to_string(entry.id), std::to_string(entry.batch_id),
                    std::to_string(entry.source_row), entry.site_id.empty() ? "-" : entry.site_id,
                    entry.round ? std::to_string(*entry.round) : "-", entry.rule, entry.message});
  }
  PrintTable(*environment.out, {"id", "batch", "row", "site", "round", "rule", "message"}, rows);
}

int ShowQuarantineEntry(store::Store& store, const std::vector<store::QuarantineEntry>& entries,
                        int64_t entry_id, const std::optional<store::Operation>& operation,
                        const Environment& environment) {
  auto entry =
      std::find_if(entries.begin(), entries.end(),
                   [entry_id](const store::QuarantineEntry& e) { return e.id == entry_id; });
  if (entry == entries.end()) {
    return Fail(environment,
                NotFoundError("no quarantine entry " + std::to_string(entry_id) +
                              (operation ? " in '" + operation->name + "'" : std::string()) +
                              " (or its batch was undone, or a corrected file replaced it)"));
  }
  Result<store::Batch> batch = store.FindBatch(entry->batch_id);
  if (!batch.ok()) return Fail(environment, batch.status());
  BatchSubmissions batches(store);
  Result<std::vector<std::string>> header = batches.Header(entry->batch_id);
  if (!header.ok()) return Fail(environment, header.status());

  std::ostream& out = *environment.out;
  out << "quarantine entry " << entry->id << ": batch " << entry->batch_id << " ("
      << batch->source_name << "), source row " << entry->source_row << "\n";
  out << "site: " << (entry->site_id.empty() ? "-" : entry->site_id) << "\n";
  out << "round: " << (entry->round ? std::to_string(*entry->round) : "-") << "\n";
  out << "rule: " << entry->rule << "\n";
  out << "message: " << entry->message << "\n";
  for (const store::QuarantineEntry& other : entries) {
    if (other.id != entry->id && other.batch_id == entry->batch_id &&
        other.source_row == entry->source_row) {
      out << "also: entry " << other.id << ", " << other.rule << ": " << other.message << "\n";
    }
  }
  out << "\n";
  if (header->empty()) {
    out << "row as it came (no source header stored; cells by position):\n";
  } else {
    out << "row as it came (pii cells blank):\n";
  }
  PrintPairs(out, PairCells(*header, entry->raw_cells));
  return 0;
}

// One line of the export: a quarantined source row and every reason for it.
struct ExportRow {
  int64_t batch_id = 0;
  int64_t source_row = 0;
  std::vector<std::string> cells;
  std::vector<std::string> rules;
  std::vector<std::string> messages;
};

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    if (part_idx > 0) joined += separator;
    joined += parts[part_idx];
  }
  return joined;
}

// The export's CSV text. Steps:
//   1. One ExportRow per (batch, source row), in the order of the first entry.
//   2. The header: that of the rows' batches, which must all be the same.
//   3. Width: the header or the longest row, whichever is wider; then the
//      three _quarantine columns.
Result<std::string> QuarantineCsv(store::Store& store,
                                  const std::vector<store::QuarantineEntry>& entries,
                                  int64_t* row_count) {
  // 1.
  std::vector<ExportRow> rows;
  std::map<std::pair<int64_t, int64_t>, size_t> row_index;
  for (const store::QuarantineEntry& entry : entries) {
    auto [slot, added] =
        row_index.emplace(std::pair(entry.batch_id, entry.source_row), rows.size());
    if (added) rows.push_back({entry.batch_id, entry.source_row, entry.raw_cells, {}, {}});
    ExportRow& row = rows[slot->second];
    row.rules.push_back(entry.rule);
    row.messages.push_back(entry.message);
  }
  *row_count = static_cast<int64_t>(rows.size());

  // 2.
  BatchSubmissions batches(store);
  std::optional<std::vector<std::string>> header;
  int64_t header_batch = 0;
  for (const ExportRow& row : rows) {
    if (header && row.batch_id == header_batch) continue;
    ASSIGN_OR_RETURN(std::vector<std::string> batch_header, batches.Header(row.batch_id));
    if (!header) {
      header = std::move(batch_header);
      header_batch = row.batch_id;
    } else if (*header != batch_header) {
      return FailedPreconditionError(
          "batches " + std::to_string(header_batch) + " and " + std::to_string(row.batch_id) +
          " have different source headers: export one batch at a time with --batch N");
    }
  }

  // 3.
  std::vector<std::string> columns = header.value_or(std::vector<std::string>());
  size_t width = columns.size();
  for (const ExportRow& row : rows) width = std::max(width, row.cells.size());
  for (size_t column_idx = columns.size(); column_idx < width; ++column_idx) {
    columns.push_back(header && !header->empty() ? std::string()
                                                 : "column_" + std::to_string(column_idx + 1));
  }
  columns.insert(columns.end(), {"_quarantine_rule", "_quarantine_message", "_source_row"});
  std::string csv = CsvLine(columns);
  for (ExportRow& row : rows) {
    row.cells.resize(width);
    row.cells.push_back(Join(row.rules, "; "));
    row.cells.push_back(Join(row.messages, "; "));
    row.cells.push_back(std::to_string(row.source_row));
    csv += CsvLine(row.cells);
  }
  return csv;
}

// ---- cleaning log ----------------------------------------------------------

constexpr const char* kCleaningLogUsage =
    "dtm cleaning-log --operation OP [--round N] [--format csv|json] [-o FILE]\n"
    "       dtm cleaning-log --operation OP [--round N] --summary [--by rule|enumerator|device]\n"
    "                        [--format table|csv|json] [-o FILE]\n"
    "       [--country ISO3] [--db PATH]";

std::string CleaningLogCsv(const std::vector<store::CleaningLogEntry>& entries) {
  std::string csv = std::string(kCleaningLogHeader) + "\n";
  for (const store::CleaningLogEntry& entry : entries) {
    csv += CsvLine({std::to_string(entry.entry_id), IdText(entry.batch_id),
                    IdText(entry.submission_id), std::to_string(entry.row), entry.column,
                    entry.indicator, entry.old_value, entry.new_value, entry.rule, entry.action,
                    entry.who, entry.when});
  }
  return csv;
}

std::string CleaningLogJson(const std::vector<store::CleaningLogEntry>& entries) {
  std::string json = "[";
  for (size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
    const store::CleaningLogEntry& entry = entries[entry_idx];
    json += entry_idx == 0 ? "\n" : ",\n";
    json += "{\"entry_id\":" + std::to_string(entry.entry_id) +
            ",\"batch_id\":" + JsonId(entry.batch_id) +
            ",\"submission_id\":" + JsonId(entry.submission_id) +
            ",\"row\":" + std::to_string(entry.row) + ",\"column\":" + JsonString(entry.column) +
            ",\"indicator\":" + JsonString(entry.indicator) +
            ",\"old_value\":" + JsonString(entry.old_value) +
            ",\"new_value\":" + JsonString(entry.new_value) +
            ",\"rule\":" + JsonString(entry.rule) + ",\"action\":" + JsonString(entry.action) +
            ",\"who\":" + JsonString(entry.who) + ",\"when\":" + JsonString(entry.when) + "}";
  }
  return json + (entries.empty() ? "]\n" : "\n]\n");
}

// Entries per key (`by` is rule, enumerator or device), most first, then by key.
Result<std::vector<std::pair<std::string, int64_t>>> SummariseCleaningLog(
    store::Store& store, const std::vector<store::CleaningLogEntry>& entries, std::string_view by) {
  std::map<std::string, int64_t> counts;
  std::map<int64_t, SubmissionSource> submissions;  // by submission id
  BatchSubmissions batches(store);
  for (const store::CleaningLogEntry& entry : entries) {
    if (by == "rule") {
      ++counts[entry.rule];
      continue;
    }
    const SubmissionSource* source = nullptr;
    if (entry.submission_id) {
      auto cached = submissions.find(*entry.submission_id);
      if (cached == submissions.end()) {
        ASSIGN_OR_RETURN(store::Submission submission, store.GetSubmission(*entry.submission_id));
        cached = submissions.emplace(submission.id, SourceOf(submission)).first;
      }
      source = &cached->second;
    } else if (entry.batch_id && entry.row > 0) {
      // A quarantined row's entries name no submission; the batch stored one for the row.
      ASSIGN_OR_RETURN(source, batches.AtRow(*entry.batch_id, entry.row));
    }
    std::string key;
    if (source != nullptr) key = by == "enumerator" ? source->enumerator : source->device;
    ++counts[key];
  }
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

// ---- correct ---------------------------------------------------------------

constexpr const char* kCorrectUsage =
    "dtm correct --operation OP --site S --round N [--type SA|BA|ETT] --set NAME=VALUE "
    "--reason TEXT [--force]\n"
    "       dtm correct --undo ENTRY_ID [--reason TEXT]\n"
    "       [--country ISO3] [--db PATH]";

std::string Quoted(std::string_view value) { return "'" + std::string(value) + "'"; }

std::string Describe(const store::Submission& submission) {
  return "site " + submission.site_id + ", round " + std::to_string(submission.round) + " (" +
         std::string(store::AssessmentTypeName(submission.assessment_type)) + ")";
}

// Refuses a correction that breaks a rule of ingest: always when the value
// cannot be read as the indicator's type, otherwise unless `force`. The
// message names each rule, the indicator, the site and the round.
// Errors: InvalidArgument.
Status RefuseBrokenRules(const ingest::CorrectionOutcome& checked,
                         const store::Submission& submission, std::string_view name,
                         std::string_view given, bool force) {
  if (checked.broken.empty() || (force && checked.readable)) return Status::Ok();
  std::string message = "--set " + std::string(name) + "=" + std::string(given) + " refused for " +
                        Describe(submission) + ":";
  for (const ingest::Finding& finding : checked.broken) {
    message += "\n  rule " + finding.rule + " (" + finding.indicator + "): " + finding.message;
  }
  message += checked.readable
                 ? "\nto store it all the same, add --force (the cleaning log keeps the rules "
                   "overridden)"
                 : "\nthe value cannot be read as " + std::string(name) +
                       "'s type: not even --force stores it";
  return InvalidArgumentError(message);
}

// The cleaning log's action for a correction: "corrected: REASON", or
// "corrected, forced over RULE[, RULE…]: REASON" when it overrode rules.
std::string CorrectedAction(const ingest::CorrectionOutcome& checked, std::string_view reason) {
  std::string action(kCorrectedAction);
  std::vector<std::string> rules;
  for (const ingest::Finding& finding : checked.broken) {
    if (std::find(rules.begin(), rules.end(), finding.rule) == rules.end()) {
      rules.push_back(finding.rule);
    }
  }
  if (!rules.empty()) action += ", " + std::string(kForcedOverAction) + Join(rules, ", ");
  return action + ": " + std::string(reason);
}

// Whether two values of `indicator` are the same: numbers compare as numbers,
// since the store reads a decimal back in its shortest form.
bool SameValue(const dictionary::Indicator& indicator, std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (indicator.type != dictionary::ValueType::kInteger &&
      indicator.type != dictionary::ValueType::kDecimal) {
    return false;
  }
  std::optional<double> number_a = core::ParseNumber(a);
  std::optional<double> number_b = core::ParseNumber(b);
  return number_a && number_b && *number_a == *number_b;
}

// The entry an undo reverted, read from its action "reverted: entry N[: reason]".
std::optional<int64_t> RevertedEntry(const store::CleaningLogEntry& entry) {
  if (entry.rule != kCorrectUndoRule || !entry.action.starts_with(kRevertedEntryAction)) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(entry.action).substr(kRevertedEntryAction.size());
  return ParseId(rest.substr(0, rest.find(':')));
}

int UndoCorrection(const CommandLine& line, const Environment& environment) {
  std::optional<int64_t> entry_id = ParseId(*line.Flag("undo"));
  if (!entry_id) return Usage(environment, "--undo needs a cleaning-log ENTRY_ID", kCorrectUsage);
  for (const char* flag : {"operation", "country", "site", "round", "type", "set"}) {
    if (line.Flag(flag)) {
      return Usage(environment, std::string("--undo takes no --") + flag, kCorrectUsage);
    }
  }
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;

  // 1. The entry must be a correction of a submission that is still accepted.
  Result<store::CleaningLogEntry> entry = store.FindCleaningLogEntry(*entry_id);
  if (!entry.ok()) return Fail(environment, entry.status());
  std::string name = "cleaning-log entry " + std::to_string(*entry_id);
  if (entry->rule != kCorrectRule || !entry->submission_id) {
    return Fail(environment, FailedPreconditionError(name + " is a '" + entry->rule +
                                                     "' entry, not a correction: " +
                                                     "only `dtm correct` entries can be undone"));
  }
  Result<store::Submission> submission = store.GetSubmission(*entry->submission_id);
  if (!submission.ok()) return Fail(environment, submission.status());
  if (submission->state != store::SubmissionState::kAccepted) {
    return Fail(environment, FailedPreconditionError(
                                 name + ": submission " + std::to_string(submission->id) + " is " +
                                 std::string(store::SubmissionStateName(submission->state))));
  }

  // 2. Not reverted already.
  Result<std::vector<store::CleaningLogEntry>> log =
      store.CleaningLog(submission->operation_id, submission->round);
  if (!log.ok()) return Fail(environment, log.status());
  for (const store::CleaningLogEntry& other : *log) {
    if (RevertedEntry(other) == *entry_id) {
      return Fail(environment, FailedPreconditionError(name + " is already reverted (entry " +
                                                       std::to_string(other.entry_id) + ")"));
    }
  }

  // 3. The value is still the one the correction set.
  const dictionary::Indicator* indicator = opened->dictionary.FindIndicator(entry->indicator);
  if (indicator == nullptr) {
    return Fail(environment, FailedPreconditionError(name + ": indicator " + entry->indicator +
                                                     " is no longer in the dictionary"));
  }
  size_t index = static_cast<size_t>(indicator - opened->dictionary.indicators().data());
  std::string current = index < submission->values.size() ? submission->values[index] : "";
  if (!SameValue(*indicator, current, entry->new_value)) {
    return Fail(environment,
                FailedPreconditionError(name + ": " + entry->indicator + " is now " +
                                        Quoted(current) + ", not " + Quoted(entry->new_value) +
                                        ": undo the later correction first"));
  }

  // 4. Back to the old value, logged.
  store::CleaningLogEntry undo;
  undo.row = entry->row;
  undo.rule = std::string(kCorrectUndoRule);
  undo.action = std::string(kRevertedEntryAction) + std::to_string(*entry_id);
  if (std::string reason(core::Trim(line.Flag("reason").value_or(""))); !reason.empty()) {
    undo.action += ": " + reason;
  }
  undo.who = environment.who;
  undo.when = NowIso();
  Result<store::CleaningLogEntry> stored =
      store.UpdateSubmissionValue(submission->id, entry->indicator, entry->old_value, undo);
  if (!stored.ok()) return Fail(environment, stored.status());
  *environment.out << Describe(*submission) << ": " << entry->indicator << " "
                   << Quoted(stored->old_value) << " → " << Quoted(stored->new_value) << " ("
                   << name << " reverted by entry " << stored->entry_id << ")\n";
  return 0;
}

}  // namespace

int RunIngestUndoCommand(const CommandLine& line, const Environment& environment) {
  constexpr const char* kUsage = "dtm ingest undo BATCH [--db PATH]";
  if (Status known = line.CheckKnownFlags({"db", "dictionary"}); !known.ok()) {
    return Usage(environment, known.message(), kUsage);
  }
  const auto& words = line.positional();
  if (words.size() != 3 || words[1] != "undo") {
    return Usage(environment, "ingest undo takes one BATCH", kUsage);
  }
  std::optional<int64_t> batch_id = ParseId(words[2]);
  if (!batch_id) return Usage(environment, "BATCH must be a batch number", kUsage);
  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Batch> batch = store.FindBatch(*batch_id);
  if (!batch.ok()) return Fail(environment, batch.status());
  if (Status undone = store.UndoBatch(*batch_id, environment.who, NowIso()); !undone.ok()) {
    return Fail(environment, undone);
  }
  std::ostream& out = *environment.out;
  out << "batch " << batch->id << " undone: " << batch->source_name;
  if (batch->round) out << ", round " << *batch->round;
  out << " (" << store::AssessmentTypeName(batch->assessment_type) << "), ingested "
      << batch->created_at << " by " << batch->who << "\n";
  out << "taken back: " << batch->rows_read << " rows read, " << batch->accepted << " accepted, "
      << batch->quarantined << " quarantined\n";
  return 0;
}

static int QuarantineCommandBody(const CommandLine& line, const Environment& environment) {
  if (Status known = line.CheckKnownFlags(
          {"as", "tier", "purpose", "db", "dictionary", "operation", "country", "batch", "output"});
      !known.ok()) {
    return Usage(environment, known.message(), kQuarantineUsage);
  }
  const auto& words = line.positional();
  std::string subcommand = words.size() >= 2 ? words[1] : "";
  bool is_show = subcommand == "show" && words.size() == 3;
  if (!is_show && !((subcommand == "list" || subcommand == "export") && words.size() == 2)) {
    return Usage(environment, "quarantine needs list, show ID or export", kQuarantineUsage);
  }
  std::optional<int64_t> entry_id;
  if (is_show) {
    entry_id = ParseId(words[2]);
    if (!entry_id) return Usage(environment, "ID must be a quarantine entry id", kQuarantineUsage);
    if (line.Flag("batch")) return Usage(environment, "show takes no --batch", kQuarantineUsage);
  }
  if (subcommand != "export" && line.Flag("output")) {
    return Usage(environment, "-o is for quarantine export", kQuarantineUsage);
  }
  std::optional<int64_t> batch_id;
  if (std::optional<std::string> batch = line.Flag("batch")) {
    batch_id = ParseId(*batch);
    if (!batch_id) return Usage(environment, "--batch must be a batch number", kQuarantineUsage);
  }
  if (!is_show && !line.Flag("operation") && !batch_id) {
    return Usage(environment, "--operation NAME or --batch N is required", kQuarantineUsage);
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  std::optional<store::Operation> operation;
  if (line.Flag("operation")) {
    Result<store::Operation> resolved = ResolveOperation(store, line);
    if (!resolved.ok()) return Fail(environment, resolved.status());
    operation = *resolved;
  }
  Result<std::vector<store::QuarantineEntry>> entries =
      store.Quarantine(operation ? std::optional<int64_t>(operation->id) : std::nullopt, batch_id);
  if (!entries.ok()) return Fail(environment, entries.status());

  if (subcommand == "list") {
    ListQuarantine(*entries, environment);
    return 0;
  }
  if (is_show) return ShowQuarantineEntry(store, *entries, *entry_id, *operation, environment);
  int64_t rows = 0;
  Result<std::string> csv = QuarantineCsv(store, *entries, &rows);
  if (!csv.ok()) return Fail(environment, csv.status());
  return WriteOutput(line, environment, *csv, std::to_string(rows) + " quarantined rows");
}

static int SubmissionsCommandBody(const CommandLine& line, const Environment& environment) {
  constexpr const char* kUsage =
      "dtm submissions show --operation OP --site S --round N [--type SA|BA|ETT] [--raw]\n"
      "       [--country ISO3] [--db PATH]";
  if (Status known = line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation",
                                           "country", "site", "round", "type", "raw"});
      !known.ok()) {
    return Usage(environment, known.message(), kUsage);
  }
  const auto& words = line.positional();
  if (words.size() != 2 || words[1] != "show") {
    return Usage(environment, "submissions needs: show", kUsage);
  }
  if (!line.Flag("operation")) return Usage(environment, "--operation NAME is required", kUsage);
  std::optional<std::string> site = line.Flag("site");
  if (!site || site->empty()) return Usage(environment, "--site S is required", kUsage);
  Result<std::optional<int>> round = ParseRoundFlag(line);
  if (!round.ok()) return Usage(environment, round.status().message(), kUsage);
  if (!*round) return Usage(environment, "--round N is required", kUsage);
  store::AssessmentType type = store::AssessmentType::kSiteAssessment;
  if (std::optional<std::string> text = line.Flag("type")) {
    std::optional<store::AssessmentType> parsed = store::ParseAssessmentType(*text);
    if (!parsed) return Usage(environment, "--type must be SA, BA or ETT", kUsage);
    type = *parsed;
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<store::Submission> submission = store.FindSubmission(operation->id, *site, **round, type);
  if (!submission.ok()) return Fail(environment, submission.status());
  Result<store::Batch> batch = store.FindBatch(submission->batch_id);
  if (!batch.ok()) return Fail(environment, batch.status());

  std::ostream& out = *environment.out;
  out << "submission " << submission->id << ": " << Describe(*submission) << ", "
      << store::SubmissionStateName(submission->state) << "\n";
  out << "batch " << submission->batch_id << " (" << batch->source_name << "), source row "
      << submission->source_row << "\n";
  out << "enumerator: " << submission->enumerator << "\n";
  out << "device: " << submission->device << "\n";
  if (!submission->submission_uuid.empty()) out << "uuid: " << submission->submission_uuid << "\n";
  if (!submission->submission_time.empty()) {
    out << "submitted: " << submission->submission_time << "\n";
  }
  out << "\n";

  std::vector<std::pair<std::string, std::string>> pairs;
  if (line.Switch("raw")) {
    Result<store::VerbatimRow> verbatim = store.GetVerbatimRow(submission->id);
    if (!verbatim.ok()) return Fail(environment, verbatim.status());
    out << "row as it came (pii cells blank):\n";
    pairs = PairCells(verbatim->header, verbatim->cells);
  } else {
    const std::vector<dictionary::Indicator>& indicators = opened->dictionary.indicators();
    for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
      pairs.emplace_back(indicators[indicator_idx].name, indicator_idx < submission->values.size()
                                                             ? submission->values[indicator_idx]
                                                             : std::string());
    }
  }
  PrintPairs(out, pairs);
  return 0;
}

static int CleaningLogCommandBody(const CommandLine& line, const Environment& environment) {
  if (Status known =
          line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation", "country",
                                "round", "format", "summary", "by", "output"});
      !known.ok()) {
    return Usage(environment, known.message(), kCleaningLogUsage);
  }
  if (line.positional().size() != 1) {
    return Usage(environment, "cleaning-log takes no arguments", kCleaningLogUsage);
  }
  if (!line.Flag("operation")) {
    return Usage(environment, "--operation NAME is required", kCleaningLogUsage);
  }
  Result<std::optional<int>> round = ParseRoundFlag(line);
  if (!round.ok()) return Usage(environment, round.status().message(), kCleaningLogUsage);
  bool summary = line.Switch("summary");
  std::string format = line.Flag("format").value_or(summary ? "table" : "csv");
  if (format != "csv" && format != "json" && !(summary && format == "table")) {
    return Usage(environment,
                 summary ? "--format must be table, csv or json" : "--format must be csv or json",
                 kCleaningLogUsage);
  }
  std::string by = line.Flag("by").value_or("rule");
  if (line.Flag("by") && !summary) {
    return Usage(environment, "--by goes with --summary", kCleaningLogUsage);
  }
  if (by != "rule" && by != "enumerator" && by != "device") {
    return Usage(environment, "--by must be rule, enumerator or device", kCleaningLogUsage);
  }

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  store::Store& store = *opened->store;
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<std::vector<store::CleaningLogEntry>> entries = store.CleaningLog(operation->id, *round);
  if (!entries.ok()) return Fail(environment, entries.status());

  if (!summary) {
    std::string text = format == "json" ? CleaningLogJson(*entries) : CleaningLogCsv(*entries);
    return WriteOutput(line, environment, text,
                       std::to_string(entries->size()) + " cleaning-log entries");
  }
  Result<std::vector<std::pair<std::string, int64_t>>> counts =
      SummariseCleaningLog(store, *entries, by);
  if (!counts.ok()) return Fail(environment, counts.status());
  std::string text;
  if (format == "csv") {
    text = CsvLine({by, "entries"});
    for (const auto& [key, count] : *counts) text += CsvLine({key, std::to_string(count)});
  } else if (format == "json") {
    text = "[";
    for (size_t key_idx = 0; key_idx < counts->size(); ++key_idx) {
      const auto& [key, count] = (*counts)[key_idx];
      text += (key_idx == 0 ? "\n{" : ",\n{") + JsonString(by) + ":" + JsonString(key) +
              ",\"entries\":" + std::to_string(count) + "}";
    }
    text += counts->empty() ? "]\n" : "\n]\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, count] : *counts) {
      rows.push_back({key.empty() ? "(none)" : key, std::to_string(count)});
    }
    std::ostringstream table;
    PrintTable(table, {by, "entries"}, rows);
    text = table.str();
  }
  return WriteOutput(line, environment, text, "the cleaning-log summary");
}

static int CorrectCommandBody(const CommandLine& line, const Environment& environment) {
  if (Status known =
          line.CheckKnownFlags({"as", "tier", "purpose", "db", "dictionary", "operation", "country",
                                "site", "round", "type", "set", "reason", "undo", "force"});
      !known.ok()) {
    return Usage(environment, known.message(), kCorrectUsage);
  }
  if (line.positional().size() != 1) {
    return Usage(environment, "correct takes no arguments", kCorrectUsage);
  }
  if (line.Flag("undo")) {
    if (line.Switch("force")) return Usage(environment, "--undo takes no --force", kCorrectUsage);
    return UndoCorrection(line, environment);
  }

  // 1. The flags, checked before the database is opened.
  if (!line.Flag("operation"))
    return Usage(environment, "--operation NAME is required", kCorrectUsage);
  std::optional<std::string> site = line.Flag("site");
  if (!site || site->empty()) return Usage(environment, "--site S is required", kCorrectUsage);
  Result<std::optional<int>> round = ParseRoundFlag(line);
  if (!round.ok()) return Usage(environment, round.status().message(), kCorrectUsage);
  if (!*round) return Usage(environment, "--round N is required", kCorrectUsage);
  store::AssessmentType type = store::AssessmentType::kSiteAssessment;
  if (std::optional<std::string> text = line.Flag("type")) {
    std::optional<store::AssessmentType> parsed = store::ParseAssessmentType(*text);
    if (!parsed) return Usage(environment, "--type must be SA, BA or ETT", kCorrectUsage);
    type = *parsed;
  }
  std::optional<std::string> set = line.Flag("set");
  size_t equals = set ? set->find('=') : std::string::npos;
  if (equals == std::string::npos || equals == 0) {
    return Usage(environment, "--set NAME=VALUE is required", kCorrectUsage);
  }
  std::string name(core::Trim(std::string_view(*set).substr(0, equals)));
  std::string_view given = std::string_view(*set).substr(equals + 1);
  std::string reason(core::Trim(line.Flag("reason").value_or("")));
  if (reason.empty()) return Usage(environment, "--reason TEXT is required", kCorrectUsage);
  const bool force = line.Switch("force");

  Result<OpenedStore> opened = OpenStore(environment);
  if (!opened.ok()) return Fail(environment, opened.status());
  const dictionary::Dictionary& dictionary = opened->dictionary;
  store::Store& store = *opened->store;

  // 2. The indicator and its new value.
  const dictionary::Indicator* indicator = dictionary.FindIndicator(name);
  if (indicator == nullptr) {
    return Usage(environment, "unknown indicator '" + name + "'", kCorrectUsage);
  }
  if (indicator->dissemination_class == dictionary::DisseminationClass::kPii) {
    return Usage(environment, "indicator '" + name + "' is pii: pii is never stored",
                 kCorrectUsage);
  }
  if (name == "site_id" || name == "round") {
    return Usage(environment,
                 "indicator '" + name +
                     "' identifies the submission and cannot be corrected: "
                     "fix the file and ingest it again",
                 kCorrectUsage);
  }

  // 3. The accepted submission, and the corrected record judged by the
  // rules of ingest.
  Result<store::Operation> operation = ResolveOperation(store, line);
  if (!operation.ok()) return Fail(environment, operation.status());
  Result<store::Submission> submission = store.FindSubmission(operation->id, *site, **round, type);
  if (!submission.ok()) return Fail(environment, submission.status());
  ingest::CorrectionCheckOptions options;
  options.today = Today();
  Result<ingest::CorrectionOutcome> checked =
      ingest::CheckCorrection(store, dictionary, *submission, name, given, options);
  if (!checked.ok()) return Fail(environment, checked.status());
  if (Status refused = RefuseBrokenRules(*checked, *submission, name, given, force);
      !refused.ok()) {
    *environment.err << "dtm: " << refused.message() << "\n";
    return kExitUsage;
  }
  const std::string& value = checked->value;
  size_t index = static_cast<size_t>(indicator - dictionary.indicators().data());
  std::string current = index < submission->values.size() ? submission->values[index] : "";
  if (SameValue(*indicator, current, value)) {
    *environment.out << Describe(*submission) << ": " << name << " is already " << Quoted(current)
                     << ": nothing changed\n";
    return 0;
  }

  // 4. The change and its log entry, in one transaction.
  store::CleaningLogEntry log;
  log.row = submission->source_row;
  log.rule = std::string(kCorrectRule);
  log.action = CorrectedAction(*checked, reason);
  log.who = environment.who;
  log.when = NowIso();
  Result<store::CleaningLogEntry> stored =
      store.UpdateSubmissionValue(submission->id, name, value, log);
  if (!stored.ok()) return Fail(environment, stored.status());
  *environment.out << Describe(*submission) << ": " << name << " " << Quoted(stored->old_value)
                   << " → " << Quoted(stored->new_value) << " (cleaning-log entry "
                   << stored->entry_id << ")\n";
  for (const ingest::Finding& note : checked->notes) {
    *environment.out << "note: " << note.rule << ": " << note.message << "\n";
  }
  for (const ingest::Finding& finding : checked->broken) {
    *environment.out << "forced over rule " << finding.rule << " (" << finding.indicator
                     << "): " << finding.message << "\n";
  }
  return 0;
}

// Raw answers (the quarantine, submissions, the cleaning log, corrections)
// are read through the disclosure layer by the operation's DTM team only.
static int RunRawAnswersRead(const CommandLine& line, const Environment& environment,
                             const char* dataset,
                             int (*body)(const CommandLine&, const Environment&)) {
  ReadNeeds needs{dataset, store::Tier::kOperationAdmin,
                  "raw answers are for the operation's DTM team (spec/disclosure.md)", false};
  return RunDisclosedRead(
      line, environment, needs,
      [&line, body](const Environment& inner, const DisclosedRead&) { return body(line, inner); });
}

int RunQuarantineCommand(const CommandLine& line, const Environment& environment) {
  return RunRawAnswersRead(line, environment, "quarantine", QuarantineCommandBody);
}

int RunSubmissionsCommand(const CommandLine& line, const Environment& environment) {
  return RunRawAnswersRead(line, environment, "submissions", SubmissionsCommandBody);
}

int RunCleaningLogCommand(const CommandLine& line, const Environment& environment) {
  return RunRawAnswersRead(line, environment, "cleaning_log", CleaningLogCommandBody);
}

int RunCorrectCommand(const CommandLine& line, const Environment& environment) {
  return RunRawAnswersRead(line, environment, "correct", CorrectCommandBody);
}

}  // namespace opendtm::cli
