#include "forms/form.h"

#include <algorithm>

namespace opendtm::forms {

std::string LanguageColumnName(std::string_view language) {
  if (language == "en") return "English (en)";
  if (language == "fr") return "Français (fr)";
  if (language == "es") return "Español (es)";
  if (language == "ar") return "العربية (ar)";
  return std::string(language);
}

std::vector<std::string> ChoiceFilterColumns(const Form& form) {
  std::vector<std::string> columns;
  for (const ChoiceRow& choice : form.choices) {
    for (const auto& [column, value] : choice.filters) {
      if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
        columns.push_back(column);
      }
    }
  }
  return columns;
}

std::string_view BaseType(std::string_view type) {
  size_t space = type.find(' ');
  return space == std::string_view::npos ? type : type.substr(0, space);
}

std::string_view SelectListOf(std::string_view type) {
  std::string_view base = BaseType(type);
  if (base != "select_one" && base != "select_multiple") return {};
  std::string_view rest = type.substr(base.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  return rest;
}

}  // namespace opendtm::forms
