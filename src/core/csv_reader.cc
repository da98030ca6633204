#include "core/csv_reader.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

namespace opendtm::core {
namespace {

constexpr std::array<char, 3> kDelimiterCandidates = {',', ';', '\t'};

// Step 3 of ParseCsv: the delimiter sniffer.
char SniffDelimiter(std::string_view text) {
  // counts[candidate_idx][record_idx]
  std::array<std::vector<int>, kDelimiterCandidates.size()> counts;
  std::array<int, kDelimiterCandidates.size()> current = {};
  bool in_quotes = false;
  int records = 0;
  const auto end_record = [&] {
    for (size_t candidate_idx = 0; candidate_idx < current.size(); ++candidate_idx) {
      counts[candidate_idx].push_back(current[candidate_idx]);
      current[candidate_idx] = 0;
    }
    ++records;
  };
  size_t pos = 0;
  for (; pos < text.size() && records < kCsvSniffRecords; ++pos) {
    const char c = text[pos];
    if (c == '"') {
      in_quotes = !in_quotes;  // a doubled quote toggles twice: no net change
    } else if (in_quotes) {
      continue;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      end_record();
    } else {
      for (size_t candidate_idx = 0; candidate_idx < current.size(); ++candidate_idx) {
        if (c == kDelimiterCandidates[candidate_idx]) ++current[candidate_idx];
      }
    }
  }
  if (pos == text.size() && records < kCsvSniffRecords && !text.empty() && text.back() != '\n' &&
      text.back() != '\r') {
    end_record();  // the last record has no line break
  }
  if (records == 0) return ',';

  char best = ',';
  int best_consistent = 0;
  int best_first = 0;
  for (size_t candidate_idx = 0; candidate_idx < counts.size(); ++candidate_idx) {
    const std::vector<int>& per_record = counts[candidate_idx];
    const int first = per_record.front();
    if (first == 0) continue;
    const auto consistent =
        static_cast<int>(std::count(per_record.begin(), per_record.end(), first));
    if (consistent > best_consistent || (consistent == best_consistent && first > best_first)) {
      best = kDelimiterCandidates[candidate_idx];
      best_consistent = consistent;
      best_first = first;
    }
  }
  return best;
}

// The number of line breaks (CRLF, LF or CR) in `text`.
int CountLineBreaks(std::string_view text) {
  int breaks = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '\n') {
      ++breaks;
    } else if (text[pos] == '\r' && (pos + 1 == text.size() || text[pos + 1] != '\n')) {
      ++breaks;
    }
  }
  return breaks;
}

// Step 4 of ParseCsv: splits UTF-8 `text` into records. One instance per call.
class RecordSplitter {
 public:
  RecordSplitter(std::string_view text, std::string_view source_name, char delimiter,
                 const CsvLimits& limits)
      : text_(text), source_name_(source_name), delimiter_(delimiter), limits_(limits) {}

  Status Split(CsvTable& table) {
    // Untrusted input sizes the reservation only up to max_rows.
    const auto newlines = static_cast<size_t>(std::count(text_.begin(), text_.end(), '\n'));
    table.rows.reserve(std::min(newlines + 1, limits_.max_rows));
    table.row_lines.reserve(table.rows.capacity());

    size_t previous_width = 0;
    while (pos_ < text_.size()) {
      record_line_ = line_;
      if (table.rows.size() >= limits_.max_rows) {
        return ResourceExhaustedError(Where() + "more than " + std::to_string(limits_.max_rows) +
                                      " rows (max_rows)");
      }
      std::vector<std::string> row;
      row.reserve(std::min(previous_width, limits_.max_columns));
      RETURN_IF_ERROR(ReadRecord(row));
      previous_width = row.size();
      table.rows.push_back(std::move(row));
      table.row_lines.push_back(record_line_);
    }
    return Status::Ok();
  }

 private:
  // "<source>:<line>: ", the line being where the current record starts.
  std::string Where() const {
    return std::string(source_name_) + ":" + std::to_string(record_line_) + ": ";
  }

  bool AtFieldEnd(char c) const { return c == delimiter_ || c == '\n' || c == '\r'; }

  Status CheckFieldSize(size_t size, size_t column) const {
    if (size <= limits_.max_field_bytes) return Status::Ok();
    return ResourceExhaustedError(Where() + "column " + std::to_string(column) +
                                  ": field longer than " + std::to_string(limits_.max_field_bytes) +
                                  " bytes (max_field_bytes)");
  }

  // Reads fields up to and including the record's line break (or the end).
  Status ReadRecord(std::vector<std::string>& row) {
    while (true) {
      if (row.size() >= limits_.max_columns) {
        return ResourceExhaustedError(Where() + "more than " + std::to_string(limits_.max_columns) +
                                      " fields in one row (max_columns)");
      }
      const size_t column = row.size() + 1;
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        RETURN_IF_ERROR(ReadQuoted(column, field));
      }
      // An unquoted field, or what follows a closing quote (kept, as Python does).
      const size_t start = pos_;
      while (pos_ < text_.size() && !AtFieldEnd(text_[pos_])) ++pos_;
      RETURN_IF_ERROR(CheckFieldSize(field.size() + (pos_ - start), column));
      field.append(text_.substr(start, pos_ - start));
      row.push_back(std::move(field));

      if (pos_ >= text_.size()) return Status::Ok();
      const char c = text_[pos_++];
      if (c == delimiter_) continue;
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return Status::Ok();
    }
  }

  // Reads a quoted field starting at the opening quote; leaves pos_ just after
  // the closing quote.
  Status ReadQuoted(size_t column, std::string& field) {
    ++pos_;
    while (true) {
      const size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) {
        return InvalidArgumentError(Where() + "column " + std::to_string(column) +
                                    ": quoted field is not closed before the end of the input");
      }
      const std::string_view chunk = text_.substr(pos_, quote - pos_);
      RETURN_IF_ERROR(CheckFieldSize(field.size() + chunk.size(), column));
      line_ += CountLineBreaks(chunk);
      field.append(chunk);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one quote
        field.push_back('"');
        ++pos_;
        continue;
      }
      return Status::Ok();
    }
  }

  const std::string_view text_;
  const std::string_view source_name_;
  const char delimiter_;
  const CsvLimits& limits_;
  size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 1;
};

}  // namespace

Result<CsvTable> ParseCsv(std::string_view text, std::string_view source_name,
                          const CsvOptions& options) {
  const CsvLimits& limits = options.limits;
  // 1. Size limits.
  if (text.size() > limits.max_bytes || text.size() > static_cast<size_t>(INT_MAX)) {
    return ResourceExhaustedError(std::string(source_name) + ": " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(std::min(limits.max_bytes, size_t{INT_MAX})) +
                                  " bytes (max_bytes)");
  }

  // 2. Encoding.
  CsvTable table;
  table.source_encoding = DetectEncoding(text);
  std::string converted;
  std::string_view body = text;
  switch (table.source_encoding) {
    case Encoding::kUtf8:
      break;
    case Encoding::kUtf8Bom:
      body.remove_prefix(kUtf8ByteOrderMark.size());
      if (!IsValidUtf8(body)) return ToUtf8(text, source_name).status();
      break;
    case Encoding::kCp1252:
      converted = Cp1252ToUtf8(text);
      body = converted;
      table.converted_from_cp1252 = true;
      break;
  }

  // 3. Delimiter.
  table.delimiter = options.delimiter.has_value() ? *options.delimiter : SniffDelimiter(body);

  // 4. Records and fields.
  RecordSplitter splitter(body, source_name, table.delimiter, limits);
  RETURN_IF_ERROR(splitter.Split(table));
  return table;
}

Result<CsvTable> ReadCsvFile(const std::string& path, const CsvOptions& options) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return NotFoundError(path + ": no such file");
  }
  if (error) return UnavailableError(path + ": cannot access: " + error.message());
  if (!std::filesystem::is_regular_file(status)) {
    return InvalidArgumentError(path + ": not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return UnavailableError(path + ": cannot read the size: " + error.message());
  if (size > options.limits.max_bytes) {
    return ResourceExhaustedError(path + ": " + std::to_string(size) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(options.limits.max_bytes) + " bytes (max_bytes)");
  }

  std::ifstream file(path, std::ios::binary);
  if (!file) return UnavailableError(path + ": cannot open for reading");
  std::string bytes(static_cast<size_t>(size), '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::uintmax_t>(file.gcount()) != size ||
      file.peek() != std::ifstream::traits_type::eof()) {
    return UnavailableError(path + ": changed size while being read");
  }
  return ParseCsv(bytes, path, options);
}

}  // namespace opendtm::core
