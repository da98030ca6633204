#include "forms/form_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "forms/internal/testing.h"

namespace opendtm::forms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const SurveyRow* FindRow(const Form& form, std::string_view name) {
  for (const SurveyRow& row : form.survey) {
    if (row.name == name && row.type != "end_group") return &row;
  }
  return nullptr;
}

size_t IndexOf(const Form& form, std::string_view name) {
  for (size_t index = 0; index < form.survey.size(); ++index) {
    if (form.survey[index].name == name) return index;
  }
  return form.survey.size();
}

std::vector<std::string> Names(const Form& form) {
  std::vector<std::string> names;
  for (const SurveyRow& row : form.survey)
    names.push_back(row.type == "end_group" ? "/" + row.name : row.name);
  return names;
}

std::vector<const ChoiceRow*> ChoicesOf(const Form& form, std::string_view list) {
  std::vector<const ChoiceRow*> rows;
  for (const ChoiceRow& row : form.choices) {
    if (row.list_name == list) rows.push_back(&row);
  }
  return rows;
}

class FormBuilderTest : public ::testing::Test {
 protected:
  dictionary::Dictionary dictionary_ = testing::SmallDictionary();
  geo::Gazetteer gazetteer_ = testing::SmallGazetteer();
};

TEST_F(FormBuilderTest, MetadataThenOneGroupPerModuleInDictionaryOrder) {
  auto form = BuildForm(dictionary_, {});
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_THAT(
      Names(*form),
      ElementsAre("start", "end", "today", "deviceid",  //
                  "site", "site_id", "adm0_pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode",
                  "location", "latitude", "longitude", "smc_exists", "site_type", "/site",
                  "population", "ind_total", "m_total", "f_total", "m_0_1", "m_1_5", "f_0_1",
                  "f_1_5", "sadd_m_sum", "sadd_m_check", "sadd_f_sum", "sadd_f_check",
                  "sadd_ind_sum", "sadd_ind_check", "/population", "mobility", "origin_adm1_pcode",
                  "origin_adm2_pcode", "/mobility", "services", "priority_needs", "/services",  //
                  "gbv_risk", "women_committee", "lights_count", "/gbv_risk"));
  EXPECT_EQ(form->survey[0].type, "start");
  EXPECT_EQ(form->survey[3].type, "deviceid");
  const SurveyRow* site = FindRow(*form, "site");
  EXPECT_EQ(site->type, "begin_group");
  EXPECT_EQ(site->label.at("en"), "Site identification and management");
}

TEST_F(FormBuilderTest, CopiesTheDictionaryColumns) {
  auto form = BuildForm(dictionary_, {});
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  const SurveyRow* site_id = FindRow(*form, "site_id");
  EXPECT_EQ(site_id->type, "text");
  EXPECT_EQ(site_id->required, "yes");
  EXPECT_EQ(site_id->hxl, "#loc+code");
  EXPECT_EQ(site_id->dtm_code, "1.1.c.1");
  const SurveyRow* committee = FindRow(*form, "women_committee");
  EXPECT_EQ(committee->type, "select_one yes_no_unknown");
  EXPECT_EQ(committee->relevant, "${smc_exists} = 'yes'");
  const SurveyRow* needs = FindRow(*form, "priority_needs");
  EXPECT_EQ(needs->type, "select_multiple need");
  EXPECT_EQ(needs->hint.at("en"), "Select up to three");
  const SurveyRow* total = FindRow(*form, "m_total");
  EXPECT_EQ(total->constraint, ". >= 0");
  EXPECT_EQ(total->constraint_message.at("en"), "Must be 0 or more");
}

TEST_F(FormBuilderTest, SiteModuleIsAlwaysIncluded) {
  FormOptions options;
  options.modules = {dictionary::Module::kGbvRisk};
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_NE(FindRow(*form, "site"), nullptr);
  EXPECT_NE(FindRow(*form, "gbv_risk"), nullptr);
  EXPECT_EQ(FindRow(*form, "population"), nullptr);
  EXPECT_EQ(FindRow(*form, "priority_needs"), nullptr);
  EXPECT_TRUE(ChoicesOf(*form, "need").empty()) << "lists of left-out modules are not written";
}

TEST_F(FormBuilderTest, RefusesAReferenceToAModuleLeftOut) {
  auto needs_food = testing::MakeIndicator("food_distributions", dictionary::Module::kGbvRisk,
                                           dictionary::ValueType::kInteger, "Food distributions");
  needs_food.relevant = "selected(${priority_needs}, 'food')";
  dictionary_.AddIndicator(needs_food);
  FormOptions options;
  options.modules = {dictionary::Module::kGbvRisk};
  auto form = BuildForm(dictionary_, options);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(form.status().message(), HasSubstr("${priority_needs} of module services"));
}

TEST_F(FormBuilderTest, AsksOneGeopointAndCalculatesLatitudeAndLongitude) {
  auto form = BuildForm(dictionary_, {});
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  const SurveyRow* location = FindRow(*form, "location");
  ASSERT_NE(location, nullptr);
  EXPECT_EQ(location->type, "geopoint");
  EXPECT_EQ(location->label.at("en"), "Site location (GPS)");
  const SurveyRow* latitude = FindRow(*form, "latitude");
  EXPECT_EQ(latitude->type, "calculate");
  EXPECT_EQ(latitude->calculation, "selected-at(${location}, 0)");
  EXPECT_EQ(latitude->hxl, "#geo+lat");
  EXPECT_EQ(latitude->dtm_code, "1.1.f.2");
  EXPECT_TRUE(latitude->constraint.empty());
  const SurveyRow* longitude = FindRow(*form, "longitude");
  EXPECT_EQ(longitude->type, "calculate");
  EXPECT_EQ(longitude->calculation, "selected-at(${location}, 1)");
  EXPECT_EQ(longitude->hxl, "#geo+lon");
  EXPECT_EQ(IndexOf(*form, "latitude"), IndexOf(*form, "location") + 1);
}

TEST_F(FormBuilderTest, SaddGridGetsSumsAndWarningNotesNotConstraints) {
  FormOptions options;
  options.languages = {"fr"};
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  const SurveyRow* m_sum = FindRow(*form, "sadd_m_sum");
  ASSERT_NE(m_sum, nullptr);
  EXPECT_EQ(m_sum->type, "calculate");
  EXPECT_EQ(m_sum->calculation, "coalesce(${m_0_1}, 0) + coalesce(${m_1_5}, 0)");
  const SurveyRow* m_check = FindRow(*form, "sadd_m_check");
  EXPECT_EQ(m_check->type, "note");
  EXPECT_EQ(m_check->relevant, "${m_total} != '' and ${sadd_m_sum} != ${m_total}");
  EXPECT_EQ(m_check->label.at("en"),
            "The age groups of males add up to ${sadd_m_sum}, not ${m_total}: please check");
  EXPECT_THAT(m_check->label.at("fr"), HasSubstr("hommes"));
  EXPECT_TRUE(m_check->constraint.empty());
  EXPECT_EQ(FindRow(*form, "sadd_f_sum")->calculation,
            "coalesce(${f_0_1}, 0) + coalesce(${f_1_5}, 0)");
  EXPECT_THAT(FindRow(*form, "sadd_f_check")->relevant, HasSubstr("${sadd_f_sum} != ${f_total}"));
  EXPECT_EQ(FindRow(*form, "sadd_ind_sum")->calculation,
            "coalesce(${m_total}, 0) + coalesce(${f_total}, 0)");
  EXPECT_THAT(FindRow(*form, "sadd_ind_check")->relevant,
              HasSubstr("${sadd_ind_sum} != ${ind_total}"));
  // The buckets keep their own constraint and nothing blocks a mismatch.
  EXPECT_EQ(FindRow(*form, "m_0_1")->constraint, ". >= 0");
  EXPECT_EQ(FindRow(*form, "m_total")->constraint, ". >= 0");
  EXPECT_EQ(IndexOf(*form, "sadd_m_sum"), IndexOf(*form, "f_1_5") + 1);
}

TEST_F(FormBuilderTest, GazetteerMakesCascadingSelects) {
  FormOptions options;
  options.gazetteer = &gazetteer_;
  options.country = "NGA";
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  const SurveyRow* adm0 = FindRow(*form, "adm0_pcode");
  EXPECT_EQ(adm0->type, "calculate");
  EXPECT_EQ(adm0->calculation, "'NGA'");
  EXPECT_EQ(adm0->hxl, "#country+code");
  const SurveyRow* adm1 = FindRow(*form, "adm1_pcode");
  EXPECT_EQ(adm1->type, "select_one adm1");
  EXPECT_TRUE(adm1->choice_filter.empty());
  const SurveyRow* adm2 = FindRow(*form, "adm2_pcode");
  EXPECT_EQ(adm2->type, "select_one adm2");
  EXPECT_EQ(adm2->choice_filter, "adm1=${adm1_pcode}");
  const SurveyRow* origin2 = FindRow(*form, "origin_adm2_pcode");
  EXPECT_EQ(origin2->type, "select_one adm2");
  EXPECT_EQ(origin2->choice_filter, "adm1=${origin_adm1_pcode}");
  EXPECT_EQ(FindRow(*form, "origin_adm1_pcode")->type, "select_one adm1");
  const SurveyRow* adm3 = FindRow(*form, "adm3_pcode");
  EXPECT_EQ(adm3->type, "text");
  EXPECT_EQ(adm3->constraint, "regex(., '^NG[0-9A-Z]+$')");
  EXPECT_THAT(adm3->constraint_message.at("en"), HasSubstr("NGA"));

  auto admin1 = ChoicesOf(*form, "adm1");
  ASSERT_EQ(admin1.size(), 2u) << "only the country's areas";
  EXPECT_EQ(admin1[0]->name, "NG001");
  EXPECT_EQ(admin1[0]->label.at("en"), "Abia");
  EXPECT_TRUE(admin1[0]->filters.empty());
  auto admin2 = ChoicesOf(*form, "adm2");
  ASSERT_EQ(admin2.size(), 3u);
  EXPECT_EQ(admin2[2]->name, "NG002001");
  EXPECT_EQ(admin2[2]->filters.at("adm1"), "NG002");
  EXPECT_EQ(ChoiceFilterColumns(*form), std::vector<std::string>{"adm1"});
}

TEST_F(FormBuilderTest, WithoutGazetteerPcodesAreCheckedText) {
  auto form = BuildForm(dictionary_, {});
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(FindRow(*form, "adm0_pcode")->type, "text");
  EXPECT_EQ(FindRow(*form, "adm0_pcode")->constraint, "regex(., '^[A-Z]{2,3}$')");
  for (const char* name : {"adm1_pcode", "adm2_pcode", "adm3_pcode", "origin_adm2_pcode"}) {
    const SurveyRow* row = FindRow(*form, name);
    EXPECT_EQ(row->type, "text") << name;
    EXPECT_EQ(row->constraint, "regex(., '^[A-Z]{2,3}[0-9A-Z]+$')") << name;
    EXPECT_FALSE(row->constraint_message.at("en").empty()) << name;
    EXPECT_TRUE(row->choice_filter.empty()) << name;
  }
  EXPECT_TRUE(ChoicesOf(*form, "adm1").empty());
}

TEST_F(FormBuilderTest, LanguagesStartWithEnglishAndFallBackToIt) {
  FormOptions options;
  options.languages = {"fr", "es", "fr"};
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_THAT(form->languages, ElementsAre("en", "fr", "es"));
  const SurveyRow* smc = FindRow(*form, "smc_exists");
  EXPECT_EQ(smc->label.at("fr"), "Y a-t-il un comité de gestion ?");
  EXPECT_EQ(smc->label.at("es"), "Is there a site management committee?");
  EXPECT_EQ(FindRow(*form, "gbv_risk")->label.at("fr"), "Atténuation des risques de VBG");
}

TEST_F(FormBuilderTest, ChoicesComeFromTheUsedListsWithoutVariants) {
  FormOptions options;
  options.languages = {"fr"};
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  auto yes_no = ChoicesOf(*form, "yes_no_unknown");
  ASSERT_EQ(yes_no.size(), 3u);
  EXPECT_EQ(yes_no[0]->name, "yes");
  EXPECT_EQ(yes_no[0]->label.at("fr"), "Oui");
  EXPECT_EQ(ChoicesOf(*form, "site_type")[1]->label.at("fr"), "Host community");
  EXPECT_TRUE(ChoicesOf(*form, "unused").empty());
  for (const ChoiceRow& row : form->choices) EXPECT_NE(row.name, "y") << "variants are not choices";
}

TEST_F(FormBuilderTest, SettingsDefaults) {
  auto form = BuildForm(dictionary_, {});
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->settings.form_title, "OpenDTM site assessment (MSLA) 2026.11.1");
  EXPECT_EQ(form->settings.form_id, "opendtm_msla");
  EXPECT_EQ(form->settings.version, "2026.11.1");
  EXPECT_EQ(form->settings.default_language, "English (en)");
  FormOptions options;
  options.form_title = "Nigeria MSLA";
  options.form_id = "nga_msla_r5";
  form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->settings.form_title, "Nigeria MSLA");
  EXPECT_EQ(form->settings.form_id, "nga_msla_r5");
}

TEST_F(FormBuilderTest, RefusesBadOptions) {
  FormOptions options;
  options.gazetteer = &gazetteer_;
  EXPECT_EQ(BuildForm(dictionary_, options).status().code(), StatusCode::kInvalidArgument)
      << "a gazetteer needs a country";
  options.country = "MLI";
  EXPECT_EQ(BuildForm(dictionary_, options).status().code(), StatusCode::kNotFound);
  options = {};
  options.languages = {"French"};
  EXPECT_EQ(BuildForm(dictionary_, options).status().code(), StatusCode::kInvalidArgument);
  options = {};
  options.form_id = "1 form";
  EXPECT_EQ(BuildForm(dictionary_, options).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(FormBuilderTest, RefusesANameTheBuilderAlsoUses) {
  dictionary_.AddIndicator(testing::MakeIndicator("location", dictionary::Module::kSite,
                                                  dictionary::ValueType::kText, "Location"));
  auto form = BuildForm(dictionary_, {});
  ASSERT_FALSE(form.ok());
  EXPECT_THAT(form.status().message(), HasSubstr("'location'"));
}

TEST_F(FormBuilderTest, CountryWithoutGazetteerStillFixesTheCountryCode) {
  FormOptions options;
  options.country = "nga";
  auto form = BuildForm(dictionary_, options);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(FindRow(*form, "adm0_pcode")->calculation, "'NGA'");
  EXPECT_EQ(FindRow(*form, "adm1_pcode")->type, "text");
}

}  // namespace
}  // namespace opendtm::forms
