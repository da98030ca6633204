// Writing CSV for people and spreadsheets (RFC 4180): a field is quoted only
// when it holds a comma, a quote, CR or LF, with quotes doubled inside; a
// value a spreadsheet would run as a formula gets a leading `'` first
// (core/formula_guard.h), so that every CSV and HXL file OpenDTM writes is
// safe to open in Excel.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_CORE_CSV_WRITER_H_
#define OPENDTM_CORE_CSV_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace opendtm::core {

// One field, neutralised (NeutraliseFormula) then quoted when it needs it:
// `a,b` -> `"a,b"`, `say "hi"` -> `"say ""hi"""`, `=1+2` -> `'=1+2`,
// `-5` -> `-5`.
std::string CsvField(std::string_view value);

// One record: the fields, each as CsvField writes it, joined by commas, and "\n".
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_CSV_WRITER_H_
