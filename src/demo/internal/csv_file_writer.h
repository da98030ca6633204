// CsvFileWriter: writes a CSV file row by row through a fixed-size buffer, so
// that a file of any length is streamed to disk, never held in memory.
//
// Output: UTF-8 as given, ',' between fields, '\n' after each row; a field is
// quoted (with '"' doubled) only when it holds ',', '"', '\r' or '\n'
// (RFC 4180, as KoboToolbox and pandas write).
//
// Thread-safety: not thread-safe; one writer per file. Owns its FILE handle.
#ifndef OPENDTM_DEMO_INTERNAL_CSV_FILE_WRITER_H_
#define OPENDTM_DEMO_INTERNAL_CSV_FILE_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::demo::internal {

class CsvFileWriter {
 public:
  // Creates (or truncates) the file at `path`.
  // Errors: Unavailable naming the path and the system's reason.
  static Result<std::unique_ptr<CsvFileWriter>> Create(const std::string& path);

  CsvFileWriter(const CsvFileWriter&) = delete;
  CsvFileWriter& operator=(const CsvFileWriter&) = delete;

  // Appends one field to the current row.
  void Field(std::string_view value);
  void Field(int64_t value);
  // Ends the current row.
  void EndRow();

  // Flushes and closes the file. Returns the first write error met since
  // Create (Unavailable naming the path), or OK. Must be called once; a writer
  // destroyed without Close closes its file and drops the error.
  Status Close();

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  CsvFileWriter(std::string path, std::FILE* file);
  void FlushIfFull();
  void Flush();

  static constexpr size_t kBufferBytes = size_t{1} << 20;
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::string buffer_;
  bool at_row_start_ = true;
  bool failed_ = false;
};

}  // namespace opendtm::demo::internal

#endif  // OPENDTM_DEMO_INTERNAL_CSV_FILE_WRITER_H_
