#include "forms/form_builder.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "forms/internal/references.h"

namespace opendtm::forms {
namespace {

using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::Module;
using dictionary::ValueType;

// A text the builder writes itself, in the languages it knows; the others fall
// back to English like the dictionary's texts.
struct Phrase {
  const char* en;
  const char* fr;
};

Phrase ModuleLabel(Module module) {
  switch (module) {
    case Module::kSite:
      return {"Site identification and management", "Identification et gestion du site"};
    case Module::kPopulation:
      return {"Population by sex and age", "Population par sexe et âge"};
    case Module::kVulnerability:
      return {"Vulnerabilities", "Vulnérabilités"};
    case Module::kMobility:
      return {"Mobility", "Mobilité"};
    case Module::kServices:
      return {"Services and needs", "Services et besoins"};
    case Module::kGbvRisk:
      return {"GBV risk mitigation", "Atténuation des risques de VBG"};
    case Module::kProtection:
      return {"Protection", "Protection"};
  }
  return {"", ""};
}

constexpr Phrase kLocationLabel = {"Site location (GPS)", "Localisation du site (GPS)"};
constexpr Phrase kMaleCheck = {
    "The age groups of males add up to ${sadd_m_sum}, not ${m_total}: please check",
    "Les tranches d'âge des hommes totalisent ${sadd_m_sum}, et non ${m_total} : veuillez "
    "vérifier"};
constexpr Phrase kFemaleCheck = {
    "The age groups of females add up to ${sadd_f_sum}, not ${f_total}: please check",
    "Les tranches d'âge des femmes totalisent ${sadd_f_sum}, et non ${f_total} : veuillez "
    "vérifier"};
constexpr Phrase kTotalCheck = {
    "Males and females add up to ${sadd_ind_sum}, not ${ind_total}: please check",
    "Hommes et femmes totalisent ${sadd_ind_sum}, et non ${ind_total} : veuillez vérifier"};
constexpr Phrase kCountryCodeMessage = {"Enter a country code: 2 or 3 capital letters",
                                        "Saisissez un code pays : 2 ou 3 lettres majuscules"};
constexpr Phrase kPcodeMessage = {
    "Enter a P-code: 2 or 3 capital letters followed by digits",
    "Saisissez un P-code : 2 ou 3 lettres majuscules suivies de chiffres"};

bool IsLanguageCode(std::string_view code) {
  return code.size() >= 2 && code.size() <= 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// An XML name that is also a valid XLSForm form_id.
bool IsFormId(std::string_view id) {
  if (id.empty() || !(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_')) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// An age bucket of the SADD grid: m_0_1 … m_60plus, f_0_1 … f_60plus.
bool IsAgeBucket(const Indicator& indicator, char sex) {
  const std::string& name = indicator.name;
  return indicator.type == ValueType::kInteger && name.size() > 2 && name[0] == sex &&
         name[1] == '_' && std::isdigit(static_cast<unsigned char>(name[2]));
}

bool IsSaddStructural(const Indicator& indicator) {
  return IsAgeBucket(indicator, 'm') || IsAgeBucket(indicator, 'f') ||
         indicator.name == "m_total" || indicator.name == "f_total" ||
         indicator.name == "ind_total";
}

// "yes" for an always-required question, the expression otherwise, "" for none.
std::string RequiredColumn(std::string_view required) {
  if (required == "yes" || required == "true" || required == "true()") return "yes";
  if (required == "no" || required == "false" || required == "false()") return "";
  return std::string(required);
}

// The question one admin level up: origin_adm2_pcode -> origin_adm1_pcode;
// "" when the name does not follow the admN_pcode pattern or N < 2.
std::string ParentPcodeName(std::string_view name) {
  constexpr std::string_view kSuffix = "_pcode";
  if (name.size() < kSuffix.size() + 4 || name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return "";
  }
  size_t digit_pos = name.size() - kSuffix.size() - 1;
  char digit = name[digit_pos];
  if (name.substr(digit_pos - 3, 3) != "adm" || digit < '2' || digit > '9') return "";
  std::string parent(name);
  parent[digit_pos] = static_cast<char>(digit - 1);
  return parent;
}

class FormBuilder {
 public:
  FormBuilder(const Dictionary& dictionary, const FormOptions& options)
      : dictionary_(dictionary), options_(options) {}

  Result<Form> Build() {
    RETURN_IF_ERROR(CheckOptions());
    AddMetadata();
    for (Module module : dictionary::AllModules()) {
      if (modules_.count(module) != 0) RETURN_IF_ERROR(AddModule(module));
    }
    RETURN_IF_ERROR(AddChoices());
    RETURN_IF_ERROR(CheckNames());
    form_.settings.form_title = options_.form_title.empty()
                                    ? "OpenDTM site assessment (MSLA) " + dictionary_.version()
                                    : options_.form_title;
    form_.settings.form_id = options_.form_id;
    form_.settings.version = dictionary_.version();
    form_.settings.default_language = LanguageColumnName(form_.languages.front());
    return std::move(form_);
  }

 private:
  // Steps 0: options into languages, modules and country.
  Status CheckOptions() {
    form_.languages.push_back("en");
    for (const std::string& language : options_.languages) {
      if (!IsLanguageCode(language)) {
        return InvalidArgumentError("invalid language code '" + language +
                                    "' (expected 2 or 3 lowercase letters, e.g. fr)");
      }
      if (std::find(form_.languages.begin(), form_.languages.end(), language) ==
          form_.languages.end()) {
        form_.languages.push_back(language);
      }
    }
    if (!IsFormId(options_.form_id)) {
      return InvalidArgumentError("invalid form_id '" + options_.form_id +
                                  "' (letters, digits, _ - . and not starting with a digit)");
    }
    modules_.insert(Module::kSite);
    if (options_.modules.empty()) {
      for (Module module : dictionary::AllModules()) modules_.insert(module);
    } else {
      modules_.insert(options_.modules.begin(), options_.modules.end());
    }
    for (const Indicator& indicator : dictionary_.indicators()) {
      if (modules_.count(indicator.module) != 0) included_.insert(indicator.name);
    }
    for (char c : options_.country) {
      country_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (!country_.empty() &&
        (country_.size() != 3 || !std::all_of(country_.begin(), country_.end(),
                                              [](char c) { return c >= 'A' && c <= 'Z'; }))) {
      return InvalidArgumentError("invalid country code '" + options_.country +
                                  "' (expected an ISO3 code such as NGA)");
    }
    if (options_.gazetteer != nullptr) {
      if (country_.empty()) {
        return InvalidArgumentError(
            "a gazetteer needs a country (ISO3 code) to build P-code lists");
      }
      std::vector<const geo::AdminArea*> admin1 = options_.gazetteer->AreasOf(country_, 1);
      if (admin1.empty()) {
        return NotFoundError("the gazetteer has no admin1 area of country '" + country_ + "'");
      }
      pcode_prefix_ = LetterPrefix(admin1);
    }
    return Status::Ok();
  }

  // The capital letters every admin1 P-code of the country starts with ("NG").
  static std::string LetterPrefix(const std::vector<const geo::AdminArea*>& areas) {
    std::string prefix;
    for (char c : areas.front()->pcode) {
      if (c < 'A' || c > 'Z') break;
      prefix += c;
    }
    for (const geo::AdminArea* area : areas) {
      while (!prefix.empty() && !StartsWith(area->pcode, prefix)) prefix.pop_back();
    }
    return prefix;
  }

  LocalizedText Localize(const LocalizedText& text) const {
    LocalizedText out;
    if (text.empty()) return out;
    for (const std::string& language : form_.languages) {
      out[language] = std::string(dictionary::TextIn(text, language));
    }
    return out;
  }
  LocalizedText Localize(Phrase phrase) const {
    return Localize({{"en", phrase.en}, {"fr", phrase.fr}});
  }

  // Step 1.
  void AddMetadata() {
    for (const char* name : {"start", "end", "today", "deviceid"}) {
      SurveyRow row;
      row.type = name;
      row.name = name;
      form_.survey.push_back(std::move(row));
    }
  }

  // Step 2: one group per module.
  Status AddModule(Module module) {
    std::vector<const Indicator*> indicators = dictionary_.IndicatorsIn(module);
    if (indicators.empty()) return Status::Ok();
    SurveyRow begin;
    begin.type = "begin_group";
    begin.name = std::string(dictionary::ModuleName(module));
    begin.label = Localize(ModuleLabel(module));
    form_.survey.push_back(std::move(begin));

    // The SADD checks go right after the last indicator of the grid.
    const Indicator* last_sadd = nullptr;
    for (const Indicator* indicator : indicators) {
      if (IsSaddStructural(*indicator)) last_sadd = indicator;
    }
    for (const Indicator* indicator : indicators) {
      RETURN_IF_ERROR(AddIndicator(*indicator));
      if (indicator == last_sadd) AddSaddChecks(indicators);
    }

    SurveyRow end;
    end.type = "end_group";
    end.name = std::string(dictionary::ModuleName(module));
    form_.survey.push_back(std::move(end));
    return Status::Ok();
  }

  SurveyRow RowOf(const Indicator& indicator) const {
    SurveyRow row;
    row.type = indicator.TypeString();
    row.name = indicator.name;
    row.label = Localize(indicator.label);
    row.hint = Localize(indicator.hint);
    row.required = RequiredColumn(indicator.required);
    row.relevant = indicator.relevant;
    row.constraint = indicator.constraint;
    row.constraint_message = Localize(indicator.constraint_message);
    row.hxl = indicator.hxl;
    row.dtm_code = indicator.code;
    return row;
  }

  Status AddIndicator(const Indicator& indicator) {
    if (indicator.name == "latitude" || indicator.name == "longitude") {
      AddLocation();
      return Status::Ok();
    }
    if (indicator.type == ValueType::kPcode) return AddPcode(indicator);
    form_.survey.push_back(RowOf(indicator));
    return Status::Ok();
  }

  // The geopoint and the latitude/longitude calculates, once, where the first
  // of the two appears.
  void AddLocation() {
    if (location_added_) return;
    location_added_ = true;
    const Indicator* latitude = dictionary_.FindIndicator("latitude");
    const Indicator* longitude = dictionary_.FindIndicator("longitude");
    const Indicator* first = latitude != nullptr ? latitude : longitude;
    SurveyRow location;
    location.type = "geopoint";
    location.name = "location";
    location.label = Localize(kLocationLabel);
    location.required = RequiredColumn(first->required);
    location.relevant = first->relevant;
    form_.survey.push_back(std::move(location));
    int part = 0;
    for (const Indicator* coordinate : {latitude, longitude}) {
      if (coordinate != nullptr && included_.count(coordinate->name) != 0) {
        SurveyRow row;
        row.type = "calculate";
        row.name = coordinate->name;
        row.calculation = "selected-at(${location}, " + std::to_string(part) + ")";
        row.hxl = coordinate->hxl;
        row.dtm_code = coordinate->code;
        form_.survey.push_back(std::move(row));
      }
      ++part;
    }
  }

  bool GazetteerHasLevel(int level) const {
    return options_.gazetteer != nullptr && level >= 1 &&
           !options_.gazetteer->AreasOf(country_, level).empty();
  }

  Status AddPcode(const Indicator& indicator) {
    SurveyRow row = RowOf(indicator);
    const int level = indicator.pcode_level;
    if (level == 0 && !country_.empty()) {
      row.type = "calculate";
      row.calculation = "'" + country_ + "'";
      row.label.clear();
      row.hint.clear();
      row.required.clear();
      row.constraint.clear();
      row.constraint_message.clear();
      form_.survey.push_back(std::move(row));
      return Status::Ok();
    }
    if (GazetteerHasLevel(level)) {
      row.type = "select_one " + AdminListName(level);
      admin_levels_used_.insert(level);
      std::string parent = ParentPcodeName(indicator.name);
      if (!parent.empty() && included_.count(parent) != 0 && GazetteerHasLevel(level - 1)) {
        row.choice_filter = AdminListName(level - 1) + "=${" + parent + "}";
      }
      form_.survey.push_back(std::move(row));
      return Status::Ok();
    }
    // A text question: check that the answer looks like a P-code.
    row.type = "text";
    std::string pattern;
    Phrase message = kPcodeMessage;
    std::string country_message_en, country_message_fr;
    if (level == 0) {
      pattern = "^[A-Z]{2,3}$";
      message = kCountryCodeMessage;
    } else if (!pcode_prefix_.empty()) {
      pattern = "^" + pcode_prefix_ + "[0-9A-Z]+$";
      country_message_en =
          "Enter a P-code of " + country_ + ": " + pcode_prefix_ + " followed by digits";
      country_message_fr =
          "Saisissez un P-code de " + country_ + " : " + pcode_prefix_ + " suivi de chiffres";
      message = {country_message_en.c_str(), country_message_fr.c_str()};
    } else {
      pattern = "^[A-Z]{2,3}[0-9A-Z]+$";
    }
    std::string check = "regex(., '" + pattern + "')";
    row.constraint = row.constraint.empty() ? check : "(" + row.constraint + ") and " + check;
    if (row.constraint_message.empty()) row.constraint_message = Localize(message);
    form_.survey.push_back(std::move(row));
    return Status::Ok();
  }

  // Steps 2b: the SADD grid's sums and warnings.
  void AddSaddChecks(const std::vector<const Indicator*>& indicators) {
    auto has = [&](std::string_view name) {
      return std::any_of(indicators.begin(), indicators.end(),
                         [&](const Indicator* indicator) { return indicator->name == name; });
    };
    struct Sex {
      char letter;
      const char* total;
      const char* sum;
      const char* check;
      Phrase message;
    };
    for (const Sex& sex : {Sex{'m', "m_total", "sadd_m_sum", "sadd_m_check", kMaleCheck},
                           Sex{'f', "f_total", "sadd_f_sum", "sadd_f_check", kFemaleCheck}}) {
      std::string sum;
      for (const Indicator* indicator : indicators) {
        if (!IsAgeBucket(*indicator, sex.letter)) continue;
        if (!sum.empty()) sum += " + ";
        sum += "coalesce(${" + indicator->name + "}, 0)";
      }
      if (sum.empty() || !has(sex.total)) continue;
      AddSumAndCheck(sex.sum, sum, sex.check, sex.total, sex.message);
    }
    if (has("m_total") && has("f_total") && has("ind_total")) {
      AddSumAndCheck("sadd_ind_sum", "coalesce(${m_total}, 0) + coalesce(${f_total}, 0)",
                     "sadd_ind_check", "ind_total", kTotalCheck,
                     " and (${m_total} != '' or ${f_total} != '')");
    }
  }

  void AddSumAndCheck(const std::string& sum_name, const std::string& sum,
                      const std::string& check_name, const std::string& total, Phrase message,
                      const std::string& extra = "") {
    SurveyRow calculate;
    calculate.type = "calculate";
    calculate.name = sum_name;
    calculate.calculation = sum;
    form_.survey.push_back(std::move(calculate));
    SurveyRow note;
    note.type = "note";
    note.name = check_name;
    note.label = Localize(message);
    // Silent while the total is unanswered: an empty total is not a mismatch.
    note.relevant =
        "${" + total + "} != ''" + extra + " and ${" + sum_name + "} != ${" + total + "}";
    form_.survey.push_back(std::move(note));
  }

  // Step 3: the lists of the selects, then the gazetteer's areas.
  Status AddChoices() {
    std::set<std::string, std::less<>> used;
    for (const SurveyRow& row : form_.survey) {
      std::string_view list = SelectListOf(row.type);
      if (!list.empty()) used.insert(std::string(list));
    }
    for (const dictionary::ChoiceList& list : dictionary_.choice_lists()) {
      if (used.count(list.name) == 0) continue;
      for (int level : admin_levels_used_) {
        if (list.name == AdminListName(level)) {
          return InvalidArgumentError("the dictionary's choice list '" + list.name +
                                      "' has the name of the gazetteer's list of admin" +
                                      std::to_string(level) + " areas");
        }
      }
      for (const dictionary::Choice& choice : list.choices) {
        ChoiceRow row;
        row.list_name = list.name;
        row.name = choice.name;
        row.label = Localize(choice.label);
        form_.choices.push_back(std::move(row));
      }
    }
    for (int level : admin_levels_used_) {
      for (const geo::AdminArea* area : options_.gazetteer->AreasOf(country_, level)) {
        ChoiceRow row;
        row.list_name = AdminListName(level);
        row.name = area->pcode;
        row.label = Localize({{"en", area->name}});
        if (level >= 2) row.filters[AdminListName(level - 1)] = area->parent_pcode;
        form_.choices.push_back(std::move(row));
      }
    }
    return Status::Ok();
  }

  // Step 4: names are unique and every reference names a question of the form.
  Status CheckNames() {
    std::set<std::string, std::less<>> names;
    for (const SurveyRow& row : form_.survey) {
      if (row.type == "end_group") continue;
      if (!names.insert(row.name).second) {
        return InvalidArgumentError("the form would ask two questions named '" + row.name +
                                    "' (the builder adds location, sadd_m_sum, sadd_m_check, "
                                    "sadd_f_sum, sadd_f_check, sadd_ind_sum, sadd_ind_check)");
      }
    }
    for (const SurveyRow& row : form_.survey) {
      std::vector<const std::string*> texts = {&row.required, &row.relevant, &row.constraint,
                                               &row.calculation, &row.choice_filter};
      for (const auto* localized : {&row.label, &row.hint, &row.constraint_message}) {
        for (const auto& [language, text] : *localized) texts.push_back(&text);
      }
      for (const std::string* text : texts) {
        for (const std::string& name : internal::ReferencedNames(*text)) {
          if (names.count(name) != 0) continue;
          const Indicator* target = dictionary_.FindIndicator(name);
          if (target == nullptr) {
            return InvalidArgumentError("question '" + row.name + "': '" + *text +
                                        "' refers to ${" + name +
                                        "}, which the dictionary does not have");
          }
          return InvalidArgumentError("question '" + row.name + "': '" + *text + "' refers to ${" +
                                      name + "} of module " +
                                      std::string(dictionary::ModuleName(target->module)) +
                                      ", which is not in the form: add that module");
        }
      }
    }
    return Status::Ok();
  }

  const Dictionary& dictionary_;
  const FormOptions& options_;
  Form form_;
  std::set<Module> modules_;
  std::set<std::string, std::less<>> included_;  // indicators of the selected modules
  std::string country_;                          // upper case, "" when none
  std::string pcode_prefix_;                     // "NG": letters of the country's P-codes
  std::set<int> admin_levels_used_;              // gazetteer lists the form uses
  bool location_added_ = false;
};

}  // namespace

std::string AdminListName(int level) { return "adm" + std::to_string(level); }

Result<Form> BuildForm(const Dictionary& dictionary, const FormOptions& options) {
  return FormBuilder(dictionary, options).Build();
}

}  // namespace opendtm::forms
