// The default dictionary, dictionary/dtm-default.yaml, against spec/dictionary.md
// and spec/risk-index.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dictionary/compatibility.h"
#include "dictionary/default_dictionary.h"
#include "dictionary/linter.h"
#include "dictionary/loader.h"

namespace opendtm::dictionary {
namespace {

class DefaultDictionaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<Dictionary> loaded =
        LoadDictionaryFile(std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    dictionary_ = new Dictionary(std::move(loaded).value());
  }
  static void TearDownTestSuite() { delete dictionary_; }
  static const Dictionary& dictionary() { return *dictionary_; }

  static Dictionary* dictionary_;
};
Dictionary* DefaultDictionaryTest::dictionary_ = nullptr;

TEST_F(DefaultDictionaryTest, IsCleanUnderTheGbvSafeRules) {
  LintReport report = LintDictionary(dictionary());
  for (const LintFinding& finding : report.findings) ADD_FAILURE() << finding.ToString();
  EXPECT_EQ(report.scored_indicators, 22);
  EXPECT_EQ(report.scored_domains, 4);
}

TEST_F(DefaultDictionaryTest, RiskMaximaMatchTheRiskIndexSpec) {
  // risk-index.md: maxima of all 22 scored items: layout 14, security 14,
  // participation 6, services 12 (46 in all).
  std::map<RiskDomain, int> maxima;
  for (const Indicator* indicator : dictionary().ScoredIndicators()) {
    EXPECT_EQ(indicator->module, Module::kGbvRisk) << indicator->name;
    maxima[indicator->risk->domain] +=
        indicator->risk->MaxPoints(indicator->type == ValueType::kSelectMultiple);
  }
  EXPECT_EQ(maxima[RiskDomain::kLayout], 14);
  EXPECT_EQ(maxima[RiskDomain::kSecurity], 14);
  EXPECT_EQ(maxima[RiskDomain::kParticipation], 6);
  EXPECT_EQ(maxima[RiskDomain::kServices], 12);
}

TEST_F(DefaultDictionaryTest, IndexOfIsThePositionAmongTheIndicators) {
  const int lighting = dictionary().IndexOf("lighting");
  ASSERT_GE(lighting, 0);
  EXPECT_EQ(dictionary().indicators()[lighting].name, "lighting");
  EXPECT_EQ(dictionary().IndexOf("site_id"), 0);
  EXPECT_EQ(dictionary().IndexOf("no_such_indicator"), -1);
  EXPECT_EQ(dictionary().IndexOf(""), -1);
}

TEST_F(DefaultDictionaryTest, ScoredItemsFollowTheSpecTable) {
  const Indicator* lighting = dictionary().FindIndicator("lighting");
  ASSERT_NE(lighting, nullptr);
  EXPECT_EQ(lighting->code, "10.1.s.1");
  EXPECT_EQ(lighting->risk->points,
            (std::map<std::string, int, std::less<>>{{"adequate", 0}, {"inadequate", 2},
                                                     {"none", 3}}));
  const Indicator* unsafe = dictionary().FindIndicator("unsafe_areas");
  ASSERT_NE(unsafe, nullptr);
  EXPECT_EQ(unsafe->type, ValueType::kSelectMultiple);
  EXPECT_EQ(unsafe->risk->cap, 3);
  const Indicator* spaces = dictionary().FindIndicator("women_friendly_spaces");
  ASSERT_NE(spaces, nullptr);
  EXPECT_EQ(spaces->type, ValueType::kInteger);
  EXPECT_EQ(spaces->risk->ranges.size(), 2u);
  // Only smc_women_pct has a relevance condition, and it scores 3 when there is
  // no committee.
  for (const Indicator* indicator : dictionary().ScoredIndicators()) {
    if (indicator->name == "smc_women_pct") {
      EXPECT_FALSE(indicator->relevant.empty());
      ASSERT_TRUE(indicator->risk->when_not_relevant.has_value());
      EXPECT_EQ(indicator->risk->when_not_relevant->points, 3);
    } else {
      EXPECT_TRUE(indicator->relevant.empty()) << indicator->name;
    }
  }
  // Layout items are public; security, participation and services are sensitive.
  for (const Indicator* indicator : dictionary().ScoredIndicators()) {
    DisseminationClass expected = indicator->risk->domain == RiskDomain::kLayout
                                      ? DisseminationClass::kPublic
                                      : DisseminationClass::kSensitive;
    EXPECT_EQ(indicator->dissemination_class, expected) << indicator->name;
  }
}

TEST_F(DefaultDictionaryTest, QuasiIdentifiersAndClassesFollowTheSpec) {
  std::set<std::string> quasi;
  std::set<std::string> pii;
  for (const Indicator& indicator : dictionary().indicators()) {
    if (indicator.quasi_identifier) quasi.insert(indicator.name);
    if (indicator.dissemination_class == DisseminationClass::kPii) pii.insert(indicator.name);
  }
  EXPECT_EQ(quasi, (std::set<std::string>{"adm3_pcode", "site_type", "site_classification",
                                          "shelter_type", "hh_child_headed", "uasc"}));
  EXPECT_EQ(pii, (std::set<std::string>{"smc_focal_name", "smc_focal_phone", "sma_focal_name",
                                        "sma_focal_phone"}));
  EXPECT_EQ(dictionary().FindIndicator("uasc")->dissemination_class, DisseminationClass::kUrgent);
  EXPECT_EQ(dictionary().FindIndicator("recruiters_visit")->dissemination_class,
            DisseminationClass::kUrgent);
  EXPECT_EQ(dictionary().FindIndicator("hh_child_headed")->dissemination_class,
            DisseminationClass::kSensitive);
}

TEST_F(DefaultDictionaryTest, SaddGridHasTheSpecHxlTags) {
  EXPECT_EQ(dictionary().FindIndicator("ind_total")->hxl, "#affected+idps+ind+total");
  EXPECT_EQ(dictionary().FindIndicator("f_0_1")->hxl, "#affected+idps+ind+f+infants+age0_1");
  EXPECT_EQ(dictionary().FindIndicator("m_60plus")->hxl,
            "#affected+idps+ind+m+elderly+age60plus");
  for (const char* sex : {"m", "f"}) {
    for (const char* bucket : {"0_1", "1_5", "6_17", "18_59", "60plus"}) {
      const Indicator* cell = dictionary().FindIndicator(std::string(sex) + "_" + bucket);
      ASSERT_NE(cell, nullptr) << sex << "_" << bucket;
      EXPECT_EQ(cell->type, ValueType::kInteger);
      EXPECT_EQ(cell->aggregate, Aggregate::kSum);
      EXPECT_EQ(cell->module, Module::kPopulation);
    }
  }
}

TEST_F(DefaultDictionaryTest, EveryLabelAndChoiceHasEnglishAndFrench) {
  EXPECT_EQ(dictionary().Languages(), (std::vector<std::string>{"en", "fr"}));
  for (const Indicator& indicator : dictionary().indicators()) {
    EXPECT_FALSE(indicator.label.count("fr") == 0) << indicator.name;
  }
  for (const ChoiceList& list : dictionary().choice_lists()) {
    for (const Choice& choice : list.choices) {
      EXPECT_FALSE(choice.label.count("fr") == 0) << list.name << "/" << choice.name;
    }
  }
  // DTM's exact wording, so that files exported with labels map directly.
  EXPECT_EQ(TextIn(dictionary().FindList("lighting")->Find("inadequate")->label, "en"),
            "Yes, there is lighting but it is not adequate");
  EXPECT_EQ(TextIn(dictionary().FindList("pct_band")->Find("gt75")->label, "en"),
            "More than 75%");
  EXPECT_EQ(TextIn(dictionary().FindList("displacement_reason")->Find("not_reported")->label,
                   "en"),
            "No reason for displacement reported");
}

// The built-in copy (default_dictionary.h) is the file's bytes, and loads
// to the same dictionary: what is sensitive never depends on a file at run time.
TEST_F(DefaultDictionaryTest, TheBuiltInCopyIsTheShippedFile) {
  std::ifstream in(std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml",
                   std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(DefaultDictionaryYaml(), bytes.str());
  Result<Dictionary> built_in = LoadDefaultDictionary();
  ASSERT_TRUE(built_in.ok()) << built_in.status().ToString();
  EXPECT_EQ(built_in->source_file(), kDefaultDictionarySource);
  EXPECT_EQ(built_in->version(), dictionary().version());
  EXPECT_EQ(DefaultDictionaryVersion(), dictionary().version());
  EXPECT_TRUE(CompareDictionaries(dictionary(), *built_in).empty());
}

}  // namespace
}  // namespace opendtm::dictionary
