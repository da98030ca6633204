#include "ingest/csv_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/formula_guard.h"
#include "core/text.h"
#include "ingest/internal/header_detection.h"

namespace opendtm::ingest {
namespace {

constexpr std::array<char, 3> kDelimiterCandidates = {',', ';', '\t'};

// The delimiter sniffer (see the header), over the first chunk.
char SniffDelimiter(std::string_view text, bool whole_file) {
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
  // The last record of the file has no line break; a record cut by the end of
  // the chunk is not counted.
  if (pos == text.size() && records < kCsvSniffRecords && whole_file && !text.empty() &&
      text.back() != '\n' && text.back() != '\r') {
    end_record();
  }
  if (records == 0) return ',';

  char best = ',';
  int best_consistent = 0;
  int best_first = 0;
  for (size_t candidate_idx = 0; candidate_idx < counts.size(); ++candidate_idx) {
    const std::vector<int>& per_record = counts[candidate_idx];
    const int first = per_record.front();
    if (first == 0) continue;
    int consistent = 0;
    for (int count : per_record) consistent += count == first ? 1 : 0;
    if (consistent > best_consistent || (consistent == best_consistent && first > best_first)) {
      best = kDelimiterCandidates[candidate_idx];
      best_consistent = consistent;
      best_first = first;
    }
  }
  return best;
}

bool HasNonAscii(std::string_view text) {
  const char* data = text.data();
  size_t size = text.size();
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    if ((word & 0x8080808080808080ULL) != 0) return true;
    data += 8;
    size -= 8;
  }
  for (size_t idx = 0; idx < size; ++idx) {
    if ((static_cast<unsigned char>(data[idx]) & 0x80) != 0) return true;
  }
  return false;
}

// The length of `window` without a multi-byte sequence cut by its end, so
// that a chunk boundary is not mistaken for ill-formed UTF-8.
size_t WithoutCutSequence(std::string_view window) {
  size_t cut = window.size();
  size_t back = 0;
  while (cut > 0 && back < 3 && (static_cast<unsigned char>(window[cut - 1]) & 0xC0) == 0x80) {
    --cut;
    ++back;
  }
  if (cut > 0 && static_cast<unsigned char>(window[cut - 1]) >= 0xC0) return cut - 1;
  return window.size();
}

}  // namespace

CsvSource::CsvSource(std::string path, int fd, const Limits& limits)
    : path_(std::move(path)), fd_(fd), limits_(limits) {
  header_.source_name = path_;
}

CsvSource::~CsvSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<CsvSource>> CsvSource::Open(const std::string& path,
                                                   const CsvSourceOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFoundError(path + ": no such file");
    return UnavailableError(path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<CsvSource> source(new CsvSource(path, fd, options.limits));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return UnavailableError(path + ": cannot stat: " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgumentError(path + ": not a regular file");
  if (static_cast<uint64_t>(info.st_size) > options.limits.max_file_bytes) {
    return ResourceExhaustedError(
        path + ": " + std::to_string(info.st_size) + " bytes exceeds the limit of " +
        std::to_string(options.limits.max_file_bytes) + " bytes (max_file_bytes)");
  }
  RETURN_IF_ERROR(source->Sniff(options.delimiter));

  CsvSource* self = source.get();
  const internal::RowSource next_row = [self](SourceRow& row) -> Result<bool> {
    return self->ReadRecord(row.cells, row.line);
  };
  ASSIGN_OR_RETURN(
      internal::HeaderScan scan,
      internal::ReadHeader(next_row, options.header_row, options.limits, source->header_));
  source->read_ahead_ = std::move(scan.rows);
  source->deferred_ = std::move(scan.deferred);
  return source;
}

// Reads the first chunk and decides the encoding and the delimiter from it.
Status CsvSource::Sniff(const std::optional<char>& delimiter) {
  buffer_.resize(kCsvChunkBytes);
  Status status;
  // Fill the whole first chunk (read() may return less than asked).
  while (!eof_ && end_ < buffer_.size()) {
    const ssize_t got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0) {
      if (errno == EINTR) continue;
      return UnavailableError(path_ + ": cannot read: " + std::strerror(errno));
    }
    if (got == 0) eof_ = true;
    end_ += static_cast<size_t>(got);
  }
  bytes_read_ = end_;
  std::string_view window(buffer_.data(), end_);
  if (window.starts_with(core::kUtf8ByteOrderMark)) {
    mode_ = TextMode::kUtf8WithBom;
    pos_ = core::kUtf8ByteOrderMark.size();
    window.remove_prefix(pos_);
  } else {
    const size_t checked = eof_ ? window.size() : WithoutCutSequence(window);
    if (!core::IsValidUtf8(window.substr(0, checked))) {
      mode_ = TextMode::kCp1252;
      header_.notes.push_back("converted from Windows-1252");
    }
  }
  delimiter_ = delimiter.has_value() ? *delimiter : SniffDelimiter(window, eof_);
  special_[static_cast<unsigned char>(delimiter_)] = true;
  special_[static_cast<unsigned char>('\n')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
  return Status::Ok();
}

// Makes [pos_, end_) non-empty. Returns false at the end of the file, or on
// error with `status` set. Only called once everything before end_ is parsed.
bool CsvSource::Refill(Status& status) {
  if (pos_ < end_) return true;
  if (eof_) return false;
  pos_ = 0;
  end_ = 0;
  while (true) {
    const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      status = UnavailableError(path_ + ": cannot read: " + std::strerror(errno));
      return false;
    }
    if (got == 0) {
      eof_ = true;
      return false;
    }
    end_ = static_cast<size_t>(got);
    bytes_read_ += end_;
    ++refills_;
    if (bytes_read_ > limits_.max_file_bytes) {  // the file grew after Open
      status =
          ResourceExhaustedError(Where() + "more than " + std::to_string(limits_.max_file_bytes) +
                                 " bytes (max_file_bytes)");
      return false;
    }
    return true;
  }
}

std::string CsvSource::Where() const { return path_ + ":" + std::to_string(record_line_) + ": "; }

Status CsvSource::AppendChecked(std::string& field, const char* data, size_t size, size_t column) {
  if (field.size() + size > limits_.max_field_bytes) {
    return ResourceExhaustedError(Where() + "column " + std::to_string(column) +
                                  ": field longer than " + std::to_string(limits_.max_field_bytes) +
                                  " bytes (max_field_bytes)");
  }
  field.append(data, size);
  return Status::Ok();
}

// Reads one record into `cells` (resized to its field count). Returns false at
// the end of the file.
Result<bool> CsvSource::ReadRecord(std::vector<std::string>& cells, int64_t& line) {
  Status status;
  // Skip empty lines.
  while (true) {
    if (!Refill(status)) {
      if (!status.ok()) return status;
      return false;
    }
    const char c = buffer_[pos_];
    if (c != '\n' && c != '\r') break;
    ++pos_;
    ++line_;
    if (c == '\r') {
      if (!Refill(status) && !status.ok()) return status;
      if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
    }
  }
  record_line_ = line_;
  line = line_;
  // Where the record starts in the buffer: when it ends in the same chunk, one
  // look at its raw bytes tells whether any field needs converting.
  const size_t record_start = pos_;
  const uint64_t refills_at_start = refills_;
  const auto finish = [&]() -> Status {
    if (refills_ == refills_at_start &&
        !HasNonAscii(std::string_view(buffer_.data() + record_start, pos_ - record_start))) {
      return Status::Ok();  // all ASCII: nothing to convert
    }
    return ConvertCells(cells);
  };
  if (records_ >= limits_.max_rows) {
    return ResourceExhaustedError(Where() + "more than " + std::to_string(limits_.max_rows) +
                                  " rows (max_rows)");
  }
  ++records_;

  size_t count = 0;
  while (true) {  // one field per iteration
    if (count >= limits_.max_columns) {
      return ResourceExhaustedError(Where() + "more than " + std::to_string(limits_.max_columns) +
                                    " fields in one row (max_columns)");
    }
    if (count == cells.size()) cells.emplace_back();
    std::string& field = cells[count++];
    field.clear();
    const size_t column = count;

    if (Refill(status) && buffer_[pos_] == '"') {
      ++pos_;
      prev_cr_ = false;
      while (true) {  // quoted content, span by span
        if (!Refill(status)) {
          if (!status.ok()) return status;
          return InvalidArgumentError(Where() + "column " + std::to_string(column) +
                                      ": quoted field is not closed before the end of the file");
        }
        const char* start = buffer_.data() + pos_;
        const auto* quote = static_cast<const char*>(std::memchr(start, '"', end_ - pos_));
        const size_t span = quote != nullptr ? static_cast<size_t>(quote - start) : end_ - pos_;
        for (size_t idx = 0; idx < span; ++idx) {
          const char c = start[idx];
          if (c == '\r') ++line_;
          if (c == '\n' && !(idx == 0 ? prev_cr_ : start[idx - 1] == '\r')) ++line_;
        }
        if (span > 0) prev_cr_ = start[span - 1] == '\r';
        RETURN_IF_ERROR(AppendChecked(field, start, span, column));
        pos_ += span;
        if (quote == nullptr) continue;
        ++pos_;  // the quote
        prev_cr_ = false;
        if (!Refill(status)) break;
        if (buffer_[pos_] != '"') break;
        RETURN_IF_ERROR(AppendChecked(field, "\"", 1, column));  // "" is one quote
        ++pos_;
      }
    }
    if (!status.ok()) return status;

    // An unquoted field, or what follows a closing quote.
    while (true) {
      if (!Refill(status)) {
        if (!status.ok()) return status;
        cells.resize(count);  // the last record has no line break
        RETURN_IF_ERROR(finish());
        return true;
      }
      const char* start = buffer_.data() + pos_;
      const char* stop = buffer_.data() + end_;
      const char* scan = start;
      while (scan < stop && !special_[static_cast<unsigned char>(*scan)]) ++scan;
      const size_t length = static_cast<size_t>(scan - start);
      if (field.size() + length > limits_.max_field_bytes) {
        return AppendChecked(field, start, length, column);  // the error
      }
      field.append(start, length);
      pos_ += length;
      if (scan < stop) break;
    }
    const char c = buffer_[pos_++];
    if (c == delimiter_) continue;
    ++line_;
    if (c == '\r') {
      if (!Refill(status) && !status.ok()) return status;
      if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
    }
    cells.resize(count);
    RETURN_IF_ERROR(finish());
    return true;
  }
}

// Brings the cells of a record to UTF-8 (see the header on encodings).
Status CsvSource::ConvertCells(std::vector<std::string>& cells) {
  for (size_t column_idx = 0; column_idx < cells.size(); ++column_idx) {
    std::string& cell = cells[column_idx];
    if (!HasNonAscii(cell)) continue;
    switch (mode_) {
      case TextMode::kCp1252:
        cell = core::Cp1252ToUtf8(cell);
        break;
      case TextMode::kUtf8WithBom:
        if (!core::IsValidUtf8(cell)) {
          return InvalidArgumentError(Where() + "column " + std::to_string(column_idx + 1) +
                                      ": not valid UTF-8 after a UTF-8 byte-order mark");
        }
        break;
      case TextMode::kUtf8:
        if (core::IsValidUtf8(cell)) break;
        cell = core::Cp1252ToUtf8(cell);
        if (!noted_late_cp1252_) {
          noted_late_cp1252_ = true;
          header_.notes.push_back(
              "converted from Windows-1252: fields that are not valid UTF-8, "
              "first at line " +
              std::to_string(record_line_));
        }
        break;
    }
    if (cell.size() > limits_.max_field_bytes) {
      return ResourceExhaustedError(
          Where() + "column " + std::to_string(column_idx + 1) + ": field longer than " +
          std::to_string(limits_.max_field_bytes) + " bytes (max_field_bytes)");
    }
  }
  return Status::Ok();
}

Result<bool> CsvSource::Next(SourceRow& row) {
  if (!read_ahead_.empty()) {
    row.line = read_ahead_.front().line;
    row.cells.swap(read_ahead_.front().cells);
    read_ahead_.pop_front();
    core::RestoreFormulas(row.cells);  // core/formula_guard.h
    return true;
  }
  if (!deferred_.ok()) return deferred_;
  ASSIGN_OR_RETURN(const bool read, ReadRecord(row.cells, row.line));
  core::RestoreFormulas(row.cells);
  return read;
}

}  // namespace opendtm::ingest
