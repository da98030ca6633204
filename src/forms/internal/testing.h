// Test fixtures of the forms module: a small dictionary built in memory that
// has every structural indicator the form builder treats specially (P-codes,
// latitude/longitude, the SADD grid), and a small gazetteer.
#ifndef OPENDTM_FORMS_INTERNAL_TESTING_H_
#define OPENDTM_FORMS_INTERNAL_TESTING_H_

#include <string>
#include <utility>
#include <vector>

#include "dictionary/dictionary.h"
#include "geo/gazetteer.h"

namespace opendtm::forms::testing {

inline dictionary::Indicator MakeIndicator(std::string name, dictionary::Module module,
                                           dictionary::ValueType type, std::string label_en,
                                           std::string label_fr = "") {
  dictionary::Indicator indicator;
  indicator.name = std::move(name);
  indicator.code = "x.0.0";
  indicator.module = module;
  indicator.type = type;
  indicator.label["en"] = std::move(label_en);
  if (!label_fr.empty()) indicator.label["fr"] = std::move(label_fr);
  return indicator;
}

// site: site_id, adm0..adm3_pcode, latitude, longitude, smc_exists, site_type;
// population: ind_total, m_total, f_total, m_0_1, m_1_5, f_0_1, f_1_5;
// mobility: origin_adm1_pcode, origin_adm2_pcode;
// services: priority_needs (select_multiple need);
// gbv_risk: women_committee (relevant on smc_exists), lighting_note (a label
// with XML special characters).
inline dictionary::Dictionary SmallDictionary() {
  using dictionary::Module;
  using dictionary::ValueType;
  dictionary::Dictionary dictionary;
  dictionary.set_version("2026.11.1");
  dictionary.AddChoiceList({"yes_no_unknown",
                            {{"yes", {{"en", "Yes"}, {"fr", "Oui"}}, {"y"}, {}},
                             {"no", {{"en", "No"}, {"fr", "Non"}}, {}, {}},
                             {"unknown", {{"en", "Unknown"}, {"fr", "Inconnu"}}, {}, {}}},
                            {}});
  dictionary.AddChoiceList(
      {"site_type",
       {{"camp", {{"en", "Camp"}}, {}, {}}, {"host_community", {{"en", "Host community"}}, {}, {}}},
       {}});
  dictionary.AddChoiceList({"need",
                            {{"food", {{"en", "Food"}, {"fr", "Nourriture"}}, {}, {}},
                             {"shelter", {{"en", "Shelter"}, {"fr", "Abri"}}, {}, {}}},
                            {}});
  dictionary.AddChoiceList({"unused", {{"a", {{"en", "A"}}, {}, {}}}, {}});

  auto site_id =
      MakeIndicator("site_id", Module::kSite, ValueType::kText, "Site ID", "Identifiant du site");
  site_id.required = "yes";
  site_id.hxl = "#loc+code";
  site_id.code = "1.1.c.1";
  dictionary.AddIndicator(site_id);
  for (int level = 0; level <= 3; ++level) {
    auto pcode = MakeIndicator("adm" + std::to_string(level) + "_pcode", Module::kSite,
                               ValueType::kPcode, "Admin " + std::to_string(level) + " P-code");
    pcode.pcode_level = level;
    pcode.hxl = level == 0 ? "#country+code" : "#adm" + std::to_string(level) + "+code";
    pcode.code = "1.1.e." + std::to_string(level + 1);
    dictionary.AddIndicator(pcode);
  }
  auto latitude = MakeIndicator("latitude", Module::kSite, ValueType::kDecimal, "Latitude");
  latitude.constraint = ". >= -90 and . <= 90";
  latitude.hxl = "#geo+lat";
  latitude.code = "1.1.f.2";
  dictionary.AddIndicator(latitude);
  auto longitude = MakeIndicator("longitude", Module::kSite, ValueType::kDecimal, "Longitude");
  longitude.hxl = "#geo+lon";
  longitude.code = "1.1.f.1";
  dictionary.AddIndicator(longitude);
  auto smc_exists =
      MakeIndicator("smc_exists", Module::kSite, ValueType::kSelectOne,
                    "Is there a site management committee?", "Y a-t-il un comité de gestion ?");
  smc_exists.list_name = "yes_no_unknown";
  dictionary.AddIndicator(smc_exists);
  auto site_type = MakeIndicator("site_type", Module::kSite, ValueType::kSelectOne, "Site type");
  site_type.list_name = "site_type";
  dictionary.AddIndicator(site_type);

  for (const char* name : {"ind_total", "m_total", "f_total", "m_0_1", "m_1_5", "f_0_1", "f_1_5"}) {
    auto count = MakeIndicator(name, Module::kPopulation, ValueType::kInteger,
                               std::string("Number: ") + name, std::string("Nombre : ") + name);
    count.constraint = ". >= 0";
    count.constraint_message = {{"en", "Must be 0 or more"}, {"fr", "Doit être positif"}};
    dictionary.AddIndicator(count);
  }

  for (int level = 1; level <= 2; ++level) {
    auto origin = MakeIndicator("origin_adm" + std::to_string(level) + "_pcode", Module::kMobility,
                                ValueType::kPcode, "Origin admin " + std::to_string(level));
    origin.pcode_level = level;
    dictionary.AddIndicator(origin);
  }

  auto needs = MakeIndicator("priority_needs", Module::kServices, ValueType::kSelectMultiple,
                             "Priority needs", "Besoins prioritaires");
  needs.list_name = "need";
  needs.hint = {{"en", "Select up to three"}, {"fr", "Jusqu'à trois"}};
  dictionary.AddIndicator(needs);

  auto women_committee =
      MakeIndicator("women_committee", Module::kGbvRisk, ValueType::kSelectOne,
                    "Is there a women's committee?", "Y a-t-il un comité de femmes ?");
  women_committee.list_name = "yes_no_unknown";
  women_committee.relevant = "${smc_exists} = 'yes'";
  women_committee.required = "yes";
  dictionary.AddIndicator(women_committee);
  auto lights = MakeIndicator("lights_count", Module::kGbvRisk, ValueType::kInteger,
                              "Are there < 5 \"safe\" lights & lamps?");
  lights.constraint = ". >= 0";
  dictionary.AddIndicator(lights);
  return dictionary;
}

// NGA with two states and three LGAs, and one area of another country.
inline geo::Gazetteer SmallGazetteer() {
  geo::Gazetteer gazetteer;
  std::vector<geo::AdminArea> areas = {
      {"NGA", 1, "NG001", "Abia", "NGA", ""},           {"NGA", 1, "NG002", "Adamawa", "NGA", ""},
      {"NGA", 2, "NG001001", "Aba North", "NG001", ""}, {"NGA", 2, "NG001002", "Aba South", "NG001", ""},
      {"NGA", 2, "NG002001", "Demsa", "NG002", ""},     {"HTI", 1, "HT01", "Ouest", "HTI", ""},
  };
  for (auto& area : areas) gazetteer.Add(std::move(area)).IgnoreError();
  return gazetteer;
}

}  // namespace opendtm::forms::testing

#endif  // OPENDTM_FORMS_INTERNAL_TESTING_H_
