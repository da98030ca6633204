#include "ingest/personal_data.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.h"

namespace opendtm::ingest {
namespace {

using dictionary::DisseminationClass;
using dictionary::Indicator;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "2015-05-21", "21-05-2015", "5-1-15": digit groups of a date, which the
// phone pattern would otherwise take.
bool LooksLikeDashedDate(std::string_view value) {
  std::vector<size_t> groups;
  size_t length = 0;
  for (char c : value) {
    if (IsDigit(c)) {
      ++length;
    } else if (c == '-' && length > 0) {
      groups.push_back(length);
      length = 0;
    } else {
      return false;
    }
  }
  groups.push_back(length);
  if (groups.size() != 3) return false;
  bool year_first = groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2;
  bool year_last = groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4);
  return (year_first || year_last) && groups[1] >= 1 && groups[2] >= 1;
}

bool LooksLikePhoneNumber(std::string_view value) {
  std::string_view rest = value;
  bool plus = false;
  if (rest.starts_with('+')) {
    plus = true;
    rest.remove_prefix(1);
  }
  // A count or a negative number starts otherwise.
  if (rest.empty() || !(IsDigit(rest.front()) || rest.front() == '(')) return false;
  int digits = 0;
  bool separated = false;
  for (char c : rest) {
    if (IsDigit(c)) {
      ++digits;
    } else if (c == ' ' || c == '-' || c == '(' || c == ')') {
      separated = true;
    } else {
      return false;
    }
  }
  if (digits < 7) return false;
  const bool leading_zero = rest.front() == '0';
  if (!(plus || separated || leading_zero)) return false;
  return plus || !LooksLikeDashedDate(rest);
}

bool IsEmailChar(char c) {
  return !(std::isspace(static_cast<unsigned char>(c)) || c == '@' || c == ',' || c == ';' ||
           c == '<' || c == '>' || c == '(' || c == ')' || c == '"');
}

// "x@y.z" anywhere: one or more address characters, "@", a domain with a dot
// that is neither its first nor its last character.
bool ContainsEmailAddress(std::string_view value) {
  for (size_t at = value.find('@'); at != std::string_view::npos; at = value.find('@', at + 1)) {
    if (at == 0 || !IsEmailChar(value[at - 1])) continue;
    size_t end = at + 1;
    while (end < value.size() && IsEmailChar(value[end])) ++end;
    std::string_view domain = value.substr(at + 1, end - at - 1);
    while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    size_t dot = domain.find('.');
    if (dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size()) return true;
  }
  return false;
}

// The header's words: runs of ASCII letters, lower-cased ("Phone of focal
// point" -> phone, of, focal, point; "focal_tel" -> focal, tel).
std::vector<std::string> Words(std::string_view header) {
  std::vector<std::string> words;
  std::string word;
  for (char c : header) {
    if (std::isalpha(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool IsPersonRole(std::string_view word) {
  return word == "respondent" || word == "enumerator" || word == "informant" ||
         word == "interviewee";
}

std::string ClassOf(const Indicator& indicator) {
  return std::string(dictionary::ClassName(indicator.dissemination_class));
}

}  // namespace

PersonalValueKind ClassifyPersonalValue(std::string_view value) {
  std::string_view trimmed = core::Trim(value);
  if (trimmed.empty()) return PersonalValueKind::kNone;
  if (LooksLikePhoneNumber(trimmed)) return PersonalValueKind::kPhoneNumber;
  if (ContainsEmailAddress(trimmed)) return PersonalValueKind::kEmailAddress;
  return PersonalValueKind::kNone;
}

std::string_view DescribePersonalValue(PersonalValueKind kind) {
  switch (kind) {
    case PersonalValueKind::kPhoneNumber:
      return "looks like a phone number";
    case PersonalValueKind::kEmailAddress:
      return "looks like an e-mail address";
    case PersonalValueKind::kNone:
      break;
  }
  return "";
}

bool HeaderLooksPersonal(std::string_view header) {
  const std::vector<std::string> words = Words(header);
  for (size_t word_idx = 0; word_idx < words.size(); ++word_idx) {
    const std::string& word = words[word_idx];
    // "phone" also inside "telephone", "smartphone", "téléphone" (t, l, phone).
    if (word.find("phone") != std::string::npos || word == "tel" || word == "mobile" ||
        word == "email" || word == "mail" || word == "courriel" || word == "contact" ||
        word == "contacts" || word == "focal") {
      return true;
    }
    const std::string* next = word_idx + 1 < words.size() ? &words[word_idx + 1] : nullptr;
    // "KI name", "respondent name", "enumerator's name" (enumerator, s, name).
    if ((word == "ki" || IsPersonRole(word)) && next != nullptr &&
        (*next == "name" ||
         (*next == "s" && word_idx + 2 < words.size() && words[word_idx + 2] == "name"))) {
      return true;
    }
    // "name of (the) respondent / key informant / enumerator".
    if (word == "name" && next != nullptr && *next == "of") {
      size_t role = word_idx + 2;
      if (role < words.size() && words[role] == "the") ++role;
      if (role < words.size() && words[role] == "key") ++role;
      if (role < words.size() && IsPersonRole(words[role])) return true;
    }
  }
  return false;
}

Status CheckPersonalHeaders(const SourceHeader& header, const ColumnMapping& mapping,
                            const MappingFile* mapping_file,
                            const dictionary::Dictionary& dictionary) {
  auto refuse = [&](const std::string& column, const Indicator& indicator,
                    const std::string& matched_by) {
    return InvalidArgumentError(
        header.source_name + ": column '" + column +
        "' looks like personal data (contact details or a person's name) but is mapped (by " +
        matched_by + ") onto indicator " + indicator.name + " (class " + ClassOf(indicator) +
        "): map it to `ignore` (or to a pii indicator) in the mapping file");
  };
  if (mapping_file != nullptr) {
    for (const auto& [column, target] : mapping_file->columns) {
      const Indicator* indicator = target.empty() ? nullptr : dictionary.FindIndicator(target);
      if (indicator == nullptr || indicator->dissemination_class == DisseminationClass::kPii) {
        continue;
      }
      if (HeaderLooksPersonal(column)) return refuse(column, *indicator, "mapping file");
    }
  }
  const std::vector<ColumnBinding>& bindings = mapping.bindings();
  for (size_t column_idx = 0; column_idx < bindings.size(); ++column_idx) {
    const ColumnBinding& binding = bindings[column_idx];
    if (binding.role != ColumnRole::kIndicator || binding.indicator < 0) continue;
    const Indicator& indicator = dictionary.indicators()[binding.indicator];
    if (indicator.dissemination_class == DisseminationClass::kPii) continue;
    if (!HeaderLooksPersonal(header.names[column_idx])) continue;
    return refuse(header.names[column_idx], indicator, binding.matched_by);
  }
  return Status::Ok();
}

PersonalValueCheck::PersonalValueCheck(const ColumnMapping& mapping,
                                       const dictionary::Dictionary& dictionary)
    : mapping_(&mapping), dictionary_(&dictionary) {
  const std::vector<ColumnBinding>& bindings = mapping.bindings();
  for (size_t column_idx = 0; column_idx < bindings.size(); ++column_idx) {
    const ColumnBinding& binding = bindings[column_idx];
    if (binding.role != ColumnRole::kIndicator || binding.indicator < 0) continue;
    const Indicator& indicator = dictionary.indicators()[binding.indicator];
    if (indicator.dissemination_class == DisseminationClass::kPii) continue;
    if (indicator.name == "site_id") continue;
    ColumnCount count;
    count.column = static_cast<int>(column_idx);
    count.indicator = binding.indicator;
    counts_.push_back(count);
  }
}

void PersonalValueCheck::Add(const SourceRow& row) {
  for (ColumnCount& count : counts_) {
    if (static_cast<size_t>(count.column) >= row.cells.size()) continue;
    std::string_view cell = core::Trim(row.cells[count.column]);
    if (cell.empty()) continue;
    ++count.non_empty;
    switch (ClassifyPersonalValue(cell)) {
      case PersonalValueKind::kPhoneNumber:
        ++count.phone_numbers;
        break;
      case PersonalValueKind::kEmailAddress:
        ++count.email_addresses;
        break;
      case PersonalValueKind::kNone:
        break;
    }
  }
}

Status PersonalValueCheck::Check(const SourceHeader& header) const {
  for (const ColumnCount& count : counts_) {
    int64_t personal = count.phone_numbers + count.email_addresses;
    if (personal < 2 || personal * 2 <= count.non_empty) continue;
    const Indicator& indicator = dictionary_->indicators()[count.indicator];
    const ColumnBinding& binding = mapping_->bindings()[count.column];
    const char* what =
        count.phone_numbers >= count.email_addresses ? "phone numbers" : "e-mail addresses";
    return InvalidArgumentError(header.source_name + ": column '" + header.names[count.column] +
                                "' holds " + what + " (" + std::to_string(personal) + " of its " +
                                std::to_string(count.non_empty) + " values) but is mapped (by " +
                                binding.matched_by + ") onto indicator " + indicator.name +
                                " (class " + ClassOf(indicator) + ")" +
                                ": map it to `ignore` (or to a pii indicator) in the mapping file");
  }
  return Status::Ok();
}

}  // namespace opendtm::ingest
