#include "core/csv_writer.h"

#include "core/formula_guard.h"

namespace opendtm::core {

std::string CsvField(std::string_view value) {
  std::string text = NeutraliseFormula(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) line += ',';
    line += CsvField(fields[field_idx]);
  }
  return line + "\n";
}

}  // namespace opendtm::core
