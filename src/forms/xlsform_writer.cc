#include "forms/xlsform_writer.h"

#include "xlsx/workbook_writer.h"

namespace opendtm::forms {
namespace {

std::string TextOf(const LocalizedText& text, const std::string& language) {
  auto it = text.find(language);
  return it == text.end() ? "" : it->second;
}

}  // namespace

XlsFormSheets XlsFormRows(const Form& form) {
  XlsFormSheets sheets;
  const std::vector<std::string>& languages = form.languages;

  std::vector<std::string> header = {"type", "name"};
  for (const auto& language : languages) header.push_back("label::" + LanguageColumnName(language));
  for (const auto& language : languages) header.push_back("hint::" + LanguageColumnName(language));
  header.insert(header.end(), {"required", "relevant", "constraint"});
  for (const auto& language : languages) {
    header.push_back("constraint_message::" + LanguageColumnName(language));
  }
  header.insert(header.end(), {"calculation", "appearance", "choice_filter", "instance::hxl",
                               "instance::dtm_code"});
  sheets.survey.push_back(std::move(header));
  for (const SurveyRow& row : form.survey) {
    std::vector<std::string> cells = {row.type, row.name};
    for (const auto& language : languages) cells.push_back(TextOf(row.label, language));
    for (const auto& language : languages) cells.push_back(TextOf(row.hint, language));
    cells.insert(cells.end(), {row.required, row.relevant, row.constraint});
    for (const auto& language : languages) {
      cells.push_back(TextOf(row.constraint_message, language));
    }
    cells.insert(cells.end(),
                 {row.calculation, row.appearance, row.choice_filter, row.hxl, row.dtm_code});
    sheets.survey.push_back(std::move(cells));
  }

  const std::vector<std::string> filter_columns = ChoiceFilterColumns(form);
  header = {"list_name", "name"};
  for (const auto& language : languages) header.push_back("label::" + LanguageColumnName(language));
  header.insert(header.end(), filter_columns.begin(), filter_columns.end());
  sheets.choices.push_back(std::move(header));
  for (const ChoiceRow& choice : form.choices) {
    std::vector<std::string> cells = {choice.list_name, choice.name};
    for (const auto& language : languages) cells.push_back(TextOf(choice.label, language));
    for (const auto& column : filter_columns) {
      auto it = choice.filters.find(column);
      cells.push_back(it == choice.filters.end() ? "" : it->second);
    }
    sheets.choices.push_back(std::move(cells));
  }

  sheets.settings = {{"form_title", "form_id", "version", "default_language"},
                     {form.settings.form_title, form.settings.form_id, form.settings.version,
                      form.settings.default_language}};
  return sheets;
}

Status WriteXlsForm(const Form& form, const std::string& path) {
  XlsFormSheets sheets = XlsFormRows(form);
  ASSIGN_OR_RETURN(xlsx::WorkbookWriter writer, xlsx::WorkbookWriter::Create(path));
  const xlsx::SheetStyle header_style{.bold_header = true};
  RETURN_IF_ERROR(writer.AddSheet("survey", sheets.survey, header_style));
  RETURN_IF_ERROR(writer.AddSheet("choices", sheets.choices, header_style));
  RETURN_IF_ERROR(writer.AddSheet("settings", sheets.settings, header_style));
  return writer.Close();
}

}  // namespace opendtm::forms
