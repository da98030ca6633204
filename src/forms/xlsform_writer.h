// WriteXlsForm: writes a Form as an XLSForm workbook (.xlsx) that KoboToolbox,
// ODK Central and pyxform read.
//
// Sheets and columns, exactly (one column per language for translated texts,
// in the form's language order, named with LanguageColumnName):
//   survey:   type, name, label::…, hint::…, required, relevant, constraint,
//             constraint_message::…, calculation, appearance, choice_filter,
//             instance::hxl, instance::dtm_code
//   choices:  list_name, name, label::…, then the filter columns (e.g. adm1)
//   settings: form_title, form_id, version, default_language
// Every cell is a string (the version "2026.11.1" stays text).
//
// Thread-safety: a pure function of its arguments, apart from the file.
#ifndef OPENDTM_FORMS_XLSFORM_WRITER_H_
#define OPENDTM_FORMS_XLSFORM_WRITER_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "forms/form.h"

namespace opendtm::forms {

// The three sheets as rows of cells, header row first: what WriteXlsForm writes.
struct XlsFormSheets {
  std::vector<std::vector<std::string>> survey;
  std::vector<std::vector<std::string>> choices;
  std::vector<std::vector<std::string>> settings;
};
XlsFormSheets XlsFormRows(const Form& form);

// Writes `form` to `path` (created or replaced; not atomically, see
// export.h for that). Errors: those of xlsx::WorkbookWriter, naming the path.
Status WriteXlsForm(const Form& form, const std::string& path);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_XLSFORM_WRITER_H_
