// Form: an XLSForm held in memory, the common ground of the form writers.
//
// Like pyxform, OpenDTM first builds the form as XLSForm rows (BuildForm in
// form_builder.h turns a dictionary into one), then writes those rows either as
// an .xlsx XLSForm (xlsform_writer.h) for KoboToolbox and ODK Central, or as an
// ODK XForm (xform_writer.h) for ODK Collect, Enketo and ODK Web Forms. Both
// writers read the same rows, so the two files always ask the same questions.
//
// Texts are keyed by language code ("en", "fr"); `languages` says which
// columns the writers emit and in which order. Expressions are XLSForm
// expressions (`${name}` references, `.` for the current value).
//
// Thread-safety: plain value types.
#ifndef OPENDTM_FORMS_FORM_H_
#define OPENDTM_FORMS_FORM_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dictionary/indicator.h"

namespace opendtm::forms {

using dictionary::LocalizedText;

// One row of the `survey` sheet.
struct SurveyRow {
  // XLSForm type: "text", "integer", "decimal", "date", "geopoint", "note",
  // "calculate", "select_one LIST", "select_multiple LIST", "begin_group",
  // "end_group", and the metadata "start", "end", "today", "deviceid".
  std::string type;
  std::string name;
  LocalizedText label;
  LocalizedText hint;
  std::string required;  // "", "yes", or an expression
  std::string relevant;
  std::string constraint;
  LocalizedText constraint_message;
  std::string calculation;
  std::string appearance;
  std::string choice_filter;  // e.g. "adm1=${adm1_pcode}"
  std::string hxl;            // instance::hxl
  std::string dtm_code;       // instance::dtm_code
};

// One row of the `choices` sheet.
struct ChoiceRow {
  std::string list_name;
  std::string name;
  LocalizedText label;
  // Extra columns used by choice filters: column -> value, e.g. "adm1" -> "NG001".
  std::map<std::string, std::string, std::less<>> filters;
};

// The `settings` sheet.
struct Settings {
  std::string form_title;
  std::string form_id;
  std::string version;           // a string, always (ODK compares versions as text)
  std::string default_language;  // as in the column names: "English (en)"
};

struct Form {
  std::vector<SurveyRow> survey;
  std::vector<ChoiceRow> choices;
  Settings settings;
  std::vector<std::string> languages;  // codes, the default one first: {"en", "fr"}
};

// The language name used in XLSForm column headers and XForm itext:
// "English (en)", "Français (fr)", "Español (es)", "العربية (ar)"; any other
// code stands for itself ("pt").
std::string LanguageColumnName(std::string_view language);

// The filter columns of `form`'s choices, in order of first appearance.
std::vector<std::string> ChoiceFilterColumns(const Form& form);

// The list named after "select_one "/"select_multiple " in `type`, "" when
// `type` is not a select.
std::string_view SelectListOf(std::string_view type);

// Splits a survey type into its first word ("select_one", "integer").
std::string_view BaseType(std::string_view type);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_FORM_H_
