#include "dictionary/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dictionary/testing.h"

namespace opendtm::dictionary {
namespace {

using ::testing::HasSubstr;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Loads a variant of the small dictionary and returns the error message.
std::string LoadError(const std::string& yaml) {
  Result<Dictionary> loaded = LoadDictionaryText(yaml, "test.yaml");
  EXPECT_FALSE(loaded.ok()) << "expected a load error";
  return loaded.ok() ? "" : loaded.status().message();
}

TEST(LoaderTest, LoadsTheSmallDictionary) {
  Result<Dictionary> loaded = LoadDictionaryText(testing::SmallDictionaryYaml(), "small.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Dictionary& dictionary = *loaded;
  EXPECT_EQ(dictionary.version(), "2026.11.1");
  EXPECT_EQ(dictionary.source_file(), "small.yaml");
  ASSERT_EQ(dictionary.indicators().size(), 6u);
  ASSERT_EQ(dictionary.choice_lists().size(), 2u);
  EXPECT_EQ(dictionary.Languages(), (std::vector<std::string>{"en", "fr"}));

  const Indicator* lighting = dictionary.FindIndicator("lighting");
  ASSERT_NE(lighting, nullptr);
  EXPECT_EQ(lighting->type, ValueType::kSelectOne);
  EXPECT_EQ(lighting->TypeString(), "select_one lighting");
  EXPECT_EQ(lighting->module, Module::kGbvRisk);
  EXPECT_EQ(lighting->code, "10.1.s.1");
  ASSERT_TRUE(lighting->risk.has_value());
  EXPECT_EQ(lighting->risk->domain, RiskDomain::kLayout);
  EXPECT_EQ(lighting->risk->points.at("none"), 3);
  EXPECT_EQ(lighting->risk->MaxPoints(false), 3);
  EXPECT_EQ(lighting->location.line, 32);
  EXPECT_EQ(dictionary.ListOf(*lighting)->Find("none")->variants,
            std::vector<std::string>{"no light"});
  EXPECT_EQ(TextIn(lighting->label, "fr"), "Y a-t-il un éclairage sur le site ?");
  EXPECT_EQ(TextIn(lighting->label, "ar"), "Is there lighting in the site?");

  const Indicator* site_id = dictionary.FindIndicator("site_id");
  EXPECT_EQ(site_id->required, "yes");
  EXPECT_EQ(site_id->hxl, "#loc+code");
  const Indicator* women = dictionary.FindIndicator("women_committee");
  ASSERT_TRUE(women->risk->when_not_relevant.has_value());
  EXPECT_EQ(women->risk->when_not_relevant->points, 2);
  EXPECT_EQ(dictionary.ScoredIndicators().size(), 2u);
  EXPECT_EQ(dictionary.IndicatorsIn(Module::kSite).size(), 2u);
}

TEST(LoaderTest, ErrorsNameFileLineIndicatorAndProblem) {
  std::string yaml = Replace(testing::SmallDictionaryYaml(), "type: select_one lighting",
                             "type: select_one lightin");
  EXPECT_THAT(LoadError(yaml),
              HasSubstr("test.yaml:32: indicator lighting: unknown choice list 'lightin'"));
}

TEST(LoaderTest, ReportsEveryProblemNotJustTheFirst) {
  std::string yaml = Replace(testing::SmallDictionaryYaml(), "class: sensitive\n    aggregate: share_of_sites\n    indicator_type: recommended",
                             "class: secret\n    aggregate: share_of_sites\n    indicator_type: recommended");
  yaml = Replace(yaml, "module: protection", "module: protektion");
  std::string message = LoadError(yaml);
  EXPECT_THAT(message, HasSubstr("indicator women_committee: class 'secret' is not one of"));
  EXPECT_THAT(message, HasSubstr("indicator documentation: module 'protektion' is not one of"));
}

TEST(LoaderTest, RejectsMalformedYamlWithItsLine) {
  EXPECT_THAT(LoadError("version: 1\nindicators: [\n  - name: x\n"),
              HasSubstr("test.yaml:"));
  EXPECT_THAT(LoadError("version: 1\nindicators: [\n  - name: x\n"), HasSubstr("malformed YAML"));
}

TEST(LoaderTest, RejectsUnknownKeysSoTyposAreCaught) {
  std::string yaml = Replace(testing::SmallDictionaryYaml(), "relevant: \"${smc_exists} = 'yes'\"",
                             "relavant: \"${smc_exists} = 'yes'\"");
  EXPECT_THAT(LoadError(yaml), HasSubstr("indicator women_committee: unknown key 'relavant'"));
}

TEST(LoaderTest, RequiresAnExplicitClass) {
  std::string yaml =
      Replace(testing::SmallDictionaryYaml(), "    class: sensitive\n    aggregate: share_of_sites\n    indicator_type: core\n", "    aggregate: share_of_sites\n    indicator_type: core\n");
  EXPECT_THAT(LoadError(yaml), HasSubstr("indicator documentation: missing class"));
}

TEST(LoaderTest, RejectsBadNamesAndDuplicates) {
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "name: ind_total", "name: Ind-Total")),
              HasSubstr("name 'Ind-Total' must match [a-z][a-z0-9_]*"));
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "name: ind_total", "name: site_id")),
              HasSubstr("indicator site_id: defined twice"));
}

TEST(LoaderTest, RejectsMissingEnglishLabel) {
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "label: {en: Individuals, fr: Individus}",
                                "label: {fr: Individus}")),
              HasSubstr("indicator ind_total: label has no English (en) text"));
}

TEST(LoaderTest, RejectsBadExpressionsAndUnknownReferences) {
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "constraint: \". >= 0\"",
                                "constraint: \". >= \"")),
              HasSubstr("indicator ind_total: constraint: expression"));
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "relevant: \"${smc_exists} = 'yes'\"",
                                "relevant: \"${smc_exist} = 'yes'\"")),
              HasSubstr("smc_exist"));
}

TEST(LoaderTest, RiskMappingMustMatchTheListAndModule) {
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "inadequate: 2, none: 3",
                                "inadequate: 2, nothing: 3")),
              HasSubstr("risk points name choice 'nothing' that list 'lighting' does not have"));
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(),
                                "    risk: {domain: layout, points: {adequate: 0, inadequate: 2, none: 3}}\n",
                                "")),
              HasSubstr("indicator lighting: gbv_risk indicators must carry risk points"));
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "domain: layout", "domain: lighting")),
              HasSubstr("risk domain 'lighting' is not one of"));
}

TEST(LoaderTest, RejectsUnknownTypes) {
  EXPECT_THAT(LoadError(Replace(testing::SmallDictionaryYaml(), "type: integer", "type: int")),
              HasSubstr("indicator ind_total: unknown type 'int'"));
}

class ExtensionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("opendtm_ext_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "dictionary");
    std::ofstream(dir_ / "dictionary" / "base.yaml") << testing::SmallDictionaryYaml();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<Dictionary> LoadExtension(const std::string& body) {
    std::string path = (dir_ / "nga.yaml").string();
    std::ofstream(path) << "extends: dictionary/base.yaml\noperation: nga\n" << body;
    return LoadDictionaryFile(path);
  }

  std::filesystem::path dir_;
};

TEST_F(ExtensionTest, AddsMissionIndicatorsListsAndChoices) {
  Result<Dictionary> loaded = LoadExtension(R"(version: 2026.11.1-nga.1
choice_lists:
  lighting:
    - {name: solar, label: {en: Solar lamps only}}
  fuel:
    - {name: firewood, label: {en: Firewood}}
    - {name: gas, label: {en: Gas}}
indicators:
  - name: cooking_fuel
    module: services
    label: {en: Main cooking fuel}
    type: select_one fuel
    class: public
    aggregate: share_of_sites
    indicator_type: mission
)");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->operation(), "nga");
  EXPECT_EQ(loaded->version(), "2026.11.1-nga.1");
  EXPECT_EQ(loaded->indicators().size(), 7u);
  EXPECT_NE(loaded->FindList("lighting")->Find("solar"), nullptr);
  EXPECT_NE(loaded->FindList("lighting")->Find("none"), nullptr);
  EXPECT_EQ(loaded->FindIndicator("cooking_fuel")->indicator_type, IndicatorType::kMission);
  EXPECT_EQ(loaded->FindIndicator("lighting")->location.file,
            (dir_ / "dictionary" / "base.yaml").string());
}

TEST_F(ExtensionTest, OnlyAddsMissionIndicators) {
  Result<Dictionary> loaded = LoadExtension(R"(version: 2026.11.2
indicators:
  - name: lighting
    code: "10.1.s.1"
    module: gbv_risk
    label: {en: Lighting}
    type: integer
    class: public
    indicator_type: core
    risk: {domain: layout, ranges: [{min: 0, points: 0}]}
)");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("nga.yaml:5: indicator lighting: an operation's indicators must have "
                        "indicator_type: mission"));
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("indicator lighting: already defined by"));
}

TEST_F(ExtensionTest, CannotRedefineABaseChoice) {
  Result<Dictionary> loaded = LoadExtension(R"(version: 2026.11.2
choice_lists:
  lighting:
    - {name: none, label: {en: Darkness}}
)");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("choice list lighting: choice 'none' defined twice"));
}

TEST_F(ExtensionTest, AnOperationSetsItsOwnRiskBands) {
  Result<Dictionary> loaded = LoadExtension(R"(version: 2026.11.2
risk_bands: {very_high: 45, high: 30}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->risk_bands().has_value());
  EXPECT_DOUBLE_EQ(loaded->risk_bands()->very_high, 45);
  EXPECT_DOUBLE_EQ(loaded->risk_bands()->high, 30);
  EXPECT_DOUBLE_EQ(loaded->risk_bands()->medium, 19.1);  // left out: the default
  EXPECT_DOUBLE_EQ(loaded->risk_bands()->min_coverage, 0.6);
}

TEST_F(ExtensionTest, RiskBandsMustDecreaseAndStayInRange) {
  Result<Dictionary> loaded = LoadExtension(R"(version: 2026.11.2
risk_bands: {very_high: 20, high: 30, min_coverage: 1.5, low: 3}
)");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr("unknown key 'low'"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("min_coverage must be between 0 and 1"));
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("the thresholds must decrease: very_high > high > medium"));
}

TEST(LoaderTest, TheDefaultDictionaryKeepsTheDefaultBands) {
  Result<Dictionary> loaded = LoadDictionaryText(testing::SmallDictionaryYaml(), "small.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_FALSE(loaded->risk_bands().has_value());
}

TEST_F(ExtensionTest, MissingBaseIsNamed) {
  std::string path = (dir_ / "bad.yaml").string();
  std::ofstream(path) << "extends: nowhere.yaml\nversion: 1\n";
  Result<Dictionary> loaded = LoadDictionaryFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr("bad.yaml:1: extends"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("nowhere.yaml"));
}

TEST(LoaderTest, MissingFileIsNotFound) {
  Result<Dictionary> loaded = LoadDictionaryFile("/nonexistent/dictionary.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
}

TEST(VersionTest, ComparesDottedVersionsNumerically) {
  EXPECT_LT(CompareVersions("2026.11.1", "2026.11.10"), 0);
  EXPECT_GT(CompareVersions("2026.12.1", "2026.11.9"), 0);
  EXPECT_EQ(CompareVersions("2026.11.1", "2026.11.1"), 0);
  EXPECT_LT(CompareVersions("2026.11", "2026.11.1"), 0);
  EXPECT_GT(CompareVersions("2026.11.1-nga.1", "2026.11.1"), 0);
}

}  // namespace
}  // namespace opendtm::dictionary
