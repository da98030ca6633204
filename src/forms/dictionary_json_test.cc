#include "forms/dictionary_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dictionary/loader.h"

namespace opendtm::forms {
namespace {

using Json = nlohmann::ordered_json;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

dictionary::Choice MakeChoice(std::string name, std::string en, std::string fr,
                              std::vector<std::string> variants = {}) {
  dictionary::Choice choice;
  choice.name = std::move(name);
  choice.label = {{"en", std::move(en)}, {"fr", std::move(fr)}};
  choice.variants = std::move(variants);
  return choice;
}

// Two lists, four indicators (two of them scored), English and French.
dictionary::Dictionary SmallDictionary() {
  using dictionary::Module;
  using dictionary::ValueType;
  dictionary::Dictionary dictionary;
  dictionary.set_version("2026.11.1");

  // Written in an order that is not alphabetical, to see that it is kept.
  dictionary::ChoiceList pct_band{"pct_band", {}, {}};
  pct_band.choices = {MakeChoice("none", "None", "Aucun"),
                      MakeChoice("lt25", "< 25%", "< 25 %", {"<25%"}),
                      MakeChoice("gt75", "More than 75%", "Plus de 75 %", {">75%", ">75"}),
                      MakeChoice("unknown", "Unknown", "Ne sait pas")};
  dictionary.AddChoiceList(pct_band);
  dictionary::ChoiceList yes_no{"yes_no_unknown", {}, {}};
  yes_no.choices = {MakeChoice("yes", "Yes", "Oui"), MakeChoice("no", "No", "Non"),
                    MakeChoice("unknown", "Unknown", "Ne sait pas")};
  dictionary.AddChoiceList(yes_no);

  dictionary::Indicator site_id;
  site_id.name = "site_id";
  site_id.code = "1.1.c.1";
  site_id.module = Module::kSite;
  site_id.label = {{"en", "Site ID (SSID)"}, {"fr", "Identifiant du site (SSID)"}};
  site_id.type = ValueType::kText;
  site_id.required = "yes";
  site_id.constraint = "regex(., '\\S')";
  site_id.constraint_message = {{"fr", "Ne peut pas être vide."}, {"en", "Cannot be blank."}};
  site_id.hxl = "#loc+code";
  site_id.aggregate = dictionary::Aggregate::kNone;
  dictionary.AddIndicator(site_id);

  dictionary::Indicator smc_exists;
  smc_exists.name = "smc_exists";
  smc_exists.code = "1.2.b.1";
  smc_exists.module = Module::kSite;
  smc_exists.label = {{"en", "Is there a site management committee?"},
                      {"fr", "Existe-t-il un comité de gestion du site ?"}};
  smc_exists.type = ValueType::kSelectOne;
  smc_exists.list_name = "yes_no_unknown";
  smc_exists.aggregate = dictionary::Aggregate::kShareOfSites;
  smc_exists.quasi_identifier = true;
  dictionary.AddIndicator(smc_exists);

  dictionary::Indicator women_pct;
  women_pct.name = "smc_women_pct";
  women_pct.code = "1.2.b.10";
  women_pct.module = Module::kGbvRisk;
  women_pct.label = {{"en", "% of women in the SMC"}, {"fr", "% de femmes dans le CGS"}};
  women_pct.hint = {{"en", "Ask the committee."}, {"fr", "Demandez au comité."}};
  women_pct.type = ValueType::kSelectOne;
  women_pct.list_name = "pct_band";
  women_pct.relevant = "${smc_exists} = 'yes'";
  women_pct.hxl = "#indicator+smc+women_pct";
  women_pct.dissemination_class = dictionary::DisseminationClass::kSensitive;
  women_pct.aggregate = dictionary::Aggregate::kShareOfSites;
  women_pct.risk = dictionary::RiskMapping{};
  women_pct.risk->domain = dictionary::RiskDomain::kParticipation;
  women_pct.risk->points = {{"gt75", 0}, {"lt25", 2}, {"none", 3}};
  women_pct.risk->when_not_relevant = dictionary::NotRelevantScore{"${smc_exists} = 'no'", 3};
  dictionary.AddIndicator(women_pct);

  dictionary::Indicator spaces;
  spaces.name = "women_friendly_spaces";
  spaces.code = "10.1.d.1";
  spaces.module = Module::kGbvRisk;
  spaces.label = {{"en", "Number of women friendly spaces"},
                  {"fr", "Nombre d'espaces sûrs pour les femmes et les filles"}};
  spaces.type = ValueType::kInteger;
  spaces.constraint = ". >= 0";
  spaces.dissemination_class = dictionary::DisseminationClass::kSensitive;
  spaces.aggregate = dictionary::Aggregate::kSum;
  spaces.indicator_type = dictionary::IndicatorType::kRecommended;
  spaces.risk = dictionary::RiskMapping{};
  spaces.risk->domain = dictionary::RiskDomain::kServices;
  spaces.risk->ranges = {{std::nullopt, 0.0, 2}, {1.0, std::nullopt, 0}, {2.5, 4.0, 1}};
  dictionary.AddIndicator(spaces);
  return dictionary;
}

TEST(DictionaryJsonTest, IsPrettyPrintedWithTwoSpaces) {
  std::string text = DictionaryToJson(SmallDictionary());
  EXPECT_THAT(text, StartsWith("{\n  \"version\": \"2026.11.1\",\n  \"choice_lists\": {\n"
                               "    \"pct_band\": [\n"));
  EXPECT_THAT(text, EndsWith("}\n"));
  EXPECT_THAT(text, HasSubstr("\"Plus de 75 %\""));  // UTF-8 as is, not \u escapes
  EXPECT_THAT(text, HasSubstr("\"Ne peut pas être vide.\""));
}

TEST(DictionaryJsonTest, RoundTripsTheChoiceLists) {
  Json document = Json::parse(DictionaryToJson(SmallDictionary()));
  EXPECT_THAT(Keys(document), ElementsAre("version", "choice_lists", "indicators"));
  EXPECT_EQ(document["version"], "2026.11.1");
  EXPECT_THAT(Keys(document["choice_lists"]), ElementsAre("pct_band", "yes_no_unknown"));
  const Json& gt75 = document["choice_lists"]["pct_band"][2];
  EXPECT_EQ(gt75["name"], "gt75");
  EXPECT_EQ(gt75["label"]["en"], "More than 75%");
  EXPECT_EQ(gt75["label"]["fr"], "Plus de 75 %");
  EXPECT_EQ(gt75["variants"], Json({">75%", ">75"}));
  EXPECT_THAT(Keys(document["choice_lists"]["pct_band"][0]), ElementsAre("name", "label"));
}

TEST(DictionaryJsonTest, RoundTripsTheIndicatorsAndOmitsEmptyKeys) {
  Json document = Json::parse(DictionaryToJson(SmallDictionary()));
  const Json& indicators = document["indicators"];
  ASSERT_EQ(indicators.size(), 4u);

  const Json& site_id = indicators[0];
  EXPECT_THAT(Keys(site_id),
              ElementsAre("name", "code", "module", "label", "type", "required", "constraint",
                          "constraint_message", "hxl", "class", "aggregate", "indicator_type"));
  EXPECT_EQ(site_id["code"], "1.1.c.1");
  EXPECT_EQ(site_id["module"], "site");
  EXPECT_EQ(site_id["type"], "text");
  EXPECT_EQ(site_id["required"], true);
  EXPECT_EQ(site_id["constraint"], "regex(., '\\S')");
  EXPECT_THAT(Keys(site_id["constraint_message"]), ElementsAre("en", "fr"));
  EXPECT_EQ(site_id["class"], "public");
  EXPECT_EQ(site_id["aggregate"], "none");
  EXPECT_EQ(site_id["indicator_type"], "core");

  const Json& smc_exists = indicators[1];
  EXPECT_EQ(smc_exists["type"], "select_one yes_no_unknown");
  EXPECT_EQ(smc_exists["quasi_identifier"], true);
  EXPECT_FALSE(smc_exists.contains("hxl"));
  EXPECT_FALSE(site_id.contains("quasi_identifier"));
}

TEST(DictionaryJsonTest, WritesRiskMappingsWithTheirMaximum) {
  Json document = Json::parse(DictionaryToJson(SmallDictionary()));
  const Json& women_pct = document["indicators"][2];
  EXPECT_EQ(women_pct["module"], "gbv_risk");
  EXPECT_EQ(women_pct["relevant"], "${smc_exists} = 'yes'");
  EXPECT_EQ(women_pct["hint"]["fr"], "Demandez au comité.");
  const Json& risk = women_pct["risk"];
  EXPECT_THAT(Keys(risk), ElementsAre("domain", "points", "when_not_relevant", "max_points"));
  EXPECT_EQ(risk["domain"], "participation");
  EXPECT_THAT(Keys(risk["points"]), ElementsAre("none", "lt25", "gt75"));  // list order
  EXPECT_EQ(risk["points"]["none"], 3);
  EXPECT_EQ(risk["when_not_relevant"]["when"], "${smc_exists} = 'no'");
  EXPECT_EQ(risk["when_not_relevant"]["points"], 3);
  EXPECT_EQ(risk["max_points"], 3);

  const Json& spaces = document["indicators"][3];
  EXPECT_EQ(spaces["indicator_type"], "recommended");
  EXPECT_EQ(spaces["risk"]["ranges"],
            Json::parse(R"([{"max": 0, "points": 2}, {"min": 1, "points": 0},
                            {"min": 2.5, "max": 4, "points": 1}])"));
  EXPECT_TRUE(spaces["risk"]["ranges"][0]["max"].is_number_integer());
  EXPECT_EQ(spaces["risk"]["max_points"], 2);
  EXPECT_FALSE(spaces["risk"].contains("points"));
  EXPECT_FALSE(spaces["risk"].contains("cap"));
}

TEST(DictionaryJsonTest, OrdersLanguagesEnglishFirstThenDtmLanguages) {
  dictionary::Dictionary dictionary = SmallDictionary();
  dictionary::Indicator extra = dictionary.indicators()[0];
  extra.name = "site_name";
  extra.label = {{"zu", "Igama"},
                 {"ar", "اسم الموقع"},
                 {"fr", "Nom du site"},
                 {"en", "Site name"},
                 {"es", "Nombre del sitio"}};
  dictionary.AddIndicator(extra);
  Json document = Json::parse(DictionaryToJson(dictionary));
  EXPECT_THAT(Keys(document["indicators"][4]["label"]), ElementsAre("en", "fr", "es", "ar", "zu"));
  EXPECT_EQ(document["indicators"][4]["label"]["ar"], "اسم الموقع");
}

TEST(DictionaryJsonTest, ReplacesInvalidUtf8InsteadOfFailing) {
  dictionary::Dictionary dictionary = SmallDictionary();
  dictionary::Indicator extra = dictionary.indicators()[0];
  extra.name = "site_name";
  extra.label = {{"en", "bad \xff byte"}};
  dictionary.AddIndicator(extra);
  std::string text = DictionaryToJson(dictionary);
  Json document = Json::parse(text);
  EXPECT_EQ(document["indicators"][4]["label"]["en"], "bad \xEF\xBF\xBD byte");
}

TEST(DictionaryJsonTest, WritesTheOperationOfAnExtendedDictionary) {
  dictionary::Dictionary dictionary = SmallDictionary();
  dictionary.set_operation("nga");
  Json document = Json::parse(DictionaryToJson(dictionary));
  EXPECT_THAT(Keys(document), ElementsAre("version", "operation", "choice_lists", "indicators"));
  EXPECT_EQ(document["operation"], "nga");
}

// The default dictionary, as shipped: 22 scored items whose maxima add up to the
// 46 points of spec/risk-index.md.
TEST(DictionaryJsonDefaultTest, CarriesEveryIndicatorAndTheRiskMaxima) {
  auto loaded = dictionary::LoadDictionaryFile(OPENDTM_SOURCE_DIR "/dictionary/dtm-default.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Json document = Json::parse(DictionaryToJson(loaded.value()));
  EXPECT_EQ(document["version"], loaded.value().version());
  ASSERT_EQ(document["indicators"].size(), loaded.value().indicators().size());
  std::map<std::string, int> maxima;
  int scored = 0;
  for (const Json& indicator : document["indicators"]) {
    if (!indicator.contains("risk")) continue;
    ++scored;
    maxima[indicator["risk"]["domain"].get<std::string>()] +=
        indicator["risk"]["max_points"].get<int>();
  }
  EXPECT_EQ(scored, 22);
  EXPECT_EQ(maxima, (std::map<std::string, int>{
                        {"layout", 14}, {"security", 14}, {"participation", 6}, {"services", 12}}));
  EXPECT_EQ(document["choice_lists"]["pct_band"][4]["label"]["en"], "More than 75%");
}

}  // namespace
}  // namespace opendtm::forms
