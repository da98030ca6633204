// Spreadsheet formulas neutralised in CSV and HXL files, and restored when
// such a file is read back (OWASP, "CSV Injection").
//
// A text cell that begins with '=', '+', '-', '@', a tab or a carriage return
// is run as a formula by Excel, LibreOffice and Google Sheets when a user
// opens a CSV file: a site named `=HYPERLINK("http://x", "Camp 4")` becomes a
// link, `@SUM(…)` a computation. Every CSV and HXL writer (core/csv_writer.h)
// writes such a value with a leading `'`, which spreadsheets take as "text";
// every CSV reader (core/csv_reader.h) and the XLSX readers of site lists and
// submissions take that `'` away again, so that a file written and read back
// holds the same values.
//
// The rule, exactly:
//   - a value whose first character after any leading `'` is one of
//     = + - @ TAB CR is "formula-like";
//   - NeutraliseFormula prefixes one `'` to a formula-like value, unless the
//     value begins with '+' or '-' and is a number ("-72.335", "+3", "-1e5")
//     or phone-like (^\+?[0-9 ()-]+$: "+509 3712-3456", "-");
//   - RestoreFormula removes one leading `'` from a formula-like value that
//     begins with `'`.
// A value that already began with `'` and a trigger ("'=x") gets one more
// (`''=x`), so that RestoreFormula(NeutraliseFormula(v)) == v for every v.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_CORE_FORMULA_GUARD_H_
#define OPENDTM_CORE_FORMULA_GUARD_H_

#include <span>
#include <string>
#include <string_view>

namespace opendtm::core {

// `value` as a spreadsheet reads it as text (header comment): "=1+2" ->
// "'=1+2", "-Camp 4" -> "'-Camp 4", "@home" -> "'@home"; "-5.2", "+509 3712
// 3456" and "Camp" unchanged.
std::string NeutraliseFormula(std::string_view value);

// The inverse of NeutraliseFormula: "'=1+2" -> "=1+2", "''=x" -> "'=x";
// "'abc", "'" and values without a leading `'` unchanged. A view into `value`.
std::string_view RestoreFormula(std::string_view value);

// RestoreFormula on each cell of a row read from a file, in place.
void RestoreFormulas(std::span<std::string> cells);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_FORMULA_GUARD_H_
