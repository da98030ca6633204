#include "ingest/open_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>

#include "core/text.h"
#include "ingest/csv_source.h"
#include "ingest/dtm_api_source.h"
#include "ingest/xlsx_source.h"

namespace opendtm::ingest {
namespace {

std::string LowerExtension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return core::AsciiLower(std::string_view(path).substr(dot));
}

}  // namespace

Result<std::unique_ptr<RowReader>> OpenSource(const std::string& path,
                                              const SourceOptions& options) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return NotFoundError(path + ": no such file");
    return UnavailableError(path + ": cannot access: " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgumentError(path + ": not a regular file");

  // The first bytes, for the content checks.
  std::string head(64, '\0');
  {
    std::ifstream file(path, std::ios::binary);
    if (!file) return UnavailableError(path + ": cannot open for reading");
    file.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(file.gcount()));
  }
  std::string_view content = head;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const size_t first = content.find_first_not_of(" \t\r\n");
  const bool looks_json =
      first != std::string_view::npos && (content[first] == '{' || content[first] == '[');
  const std::string extension = LowerExtension(path);

  if (head.starts_with("PK\x03\x04") || extension == ".xlsx" || extension == ".xlsm") {
    XlsxSourceOptions xlsx_options;
    xlsx_options.header_row = options.header_row;
    xlsx_options.sheet = options.sheet;
    xlsx_options.limits = options.limits;
    ASSIGN_OR_RETURN(auto source, XlsxSource::Open(path, xlsx_options));
    return std::unique_ptr<RowReader>(std::move(source));
  }
  if (extension == ".json" || (looks_json && extension != ".csv" && extension != ".txt" &&
                               extension != ".tsv" && extension != ".hxl")) {
    ASSIGN_OR_RETURN(auto source, DtmApiSource::Open(path, options.limits));
    return std::unique_ptr<RowReader>(std::move(source));
  }
  if (extension == ".csv" || extension == ".txt" || extension == ".tsv" || extension == ".hxl") {
    CsvSourceOptions csv_options;
    csv_options.header_row = options.header_row;
    csv_options.limits = options.limits;
    ASSIGN_OR_RETURN(auto source, CsvSource::Open(path, csv_options));
    return std::unique_ptr<RowReader>(std::move(source));
  }
  return InvalidArgumentError(
      path + ": unknown format '" + extension +
      "' (expected .csv, .txt, .tsv or .hxl text, .xlsx workbooks or .json DTM API responses" +
      (extension == ".xls" ? "; save a legacy .xls workbook as .xlsx" : "") + ")");
}

}  // namespace opendtm::ingest
