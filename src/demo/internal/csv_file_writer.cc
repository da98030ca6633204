#include "demo/internal/csv_file_writer.h"

#include <cerrno>
#include <charconv>
#include <cstring>

namespace opendtm::demo::internal {
namespace {

// A plain loop: string_view::find_first_of calls memchr once per byte.
bool NeedsQuotes(std::string_view value) {
  for (char byte : value) {
    if (byte == ',' || byte == '"' || byte == '\r' || byte == '\n') return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<CsvFileWriter>> CsvFileWriter::Create(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return UnavailableError(path + ": cannot create the file: " + std::strerror(errno));
  }
  return std::unique_ptr<CsvFileWriter>(new CsvFileWriter(path, file));
}

CsvFileWriter::CsvFileWriter(std::string path, std::FILE* file)
    : path_(std::move(path)), file_(file) {
  buffer_.reserve(kBufferBytes + 4096);
}

void CsvFileWriter::Field(std::string_view value) {
  if (!at_row_start_) buffer_.push_back(',');
  at_row_start_ = false;
  if (!NeedsQuotes(value)) {
    buffer_.append(value);
  } else {
    buffer_.push_back('"');
    for (char byte : value) {
      if (byte == '"') buffer_.push_back('"');
      buffer_.push_back(byte);
    }
    buffer_.push_back('"');
  }
  FlushIfFull();
}

void CsvFileWriter::Field(int64_t value) {
  char digits[24];
  std::to_chars_result result = std::to_chars(digits, digits + sizeof(digits), value);
  Field(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
}

void CsvFileWriter::EndRow() {
  buffer_.push_back('\n');
  at_row_start_ = true;
  FlushIfFull();
}

void CsvFileWriter::FlushIfFull() {
  if (buffer_.size() >= kBufferBytes) Flush();
}

void CsvFileWriter::Flush() {
  if (!buffer_.empty() && !failed_) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size()) {
      failed_ = true;
    }
  }
  buffer_.clear();
}

Status CsvFileWriter::Close() {
  Flush();
  std::FILE* file = file_.release();
  if (file == nullptr) return InternalError(path_ + ": the file was already closed");
  const bool close_failed = std::fclose(file) != 0;
  if (failed_ || close_failed) return UnavailableError(path_ + ": cannot write the file");
  return Status::Ok();
}

}  // namespace opendtm::demo::internal
