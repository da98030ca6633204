// Resolved dictionaries (extends: flattened) load to the dictionary of the
// file they come from; classes only go up (protection_changes.h).
#include "dictionary/resolved_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dictionary/default_dictionary.h"
#include "dictionary/loader.h"
#include "dictionary/protection_changes.h"

namespace opendtm::dictionary {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kDefaultPath = std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml";

// Everything a dictionary decides, source lines aside, field by field.
void ExpectSameDictionary(const Dictionary& expected, const Dictionary& actual) {
  EXPECT_EQ(expected.version(), actual.version());
  EXPECT_EQ(expected.operation(), actual.operation());
  ASSERT_EQ(expected.risk_bands().has_value(), actual.risk_bands().has_value());
  if (expected.risk_bands()) {
    EXPECT_EQ(expected.risk_bands()->very_high, actual.risk_bands()->very_high);
    EXPECT_EQ(expected.risk_bands()->medium, actual.risk_bands()->medium);
  }
  ASSERT_EQ(expected.choice_lists().size(), actual.choice_lists().size());
  for (size_t list_idx = 0; list_idx < expected.choice_lists().size(); ++list_idx) {
    const ChoiceList& want = expected.choice_lists()[list_idx];
    const ChoiceList& got = actual.choice_lists()[list_idx];
    EXPECT_EQ(want.name, got.name);
    ASSERT_EQ(want.choices.size(), got.choices.size()) << want.name;
    for (size_t choice_idx = 0; choice_idx < want.choices.size(); ++choice_idx) {
      EXPECT_EQ(want.choices[choice_idx].name, got.choices[choice_idx].name);
      EXPECT_EQ(want.choices[choice_idx].label, got.choices[choice_idx].label);
      EXPECT_EQ(want.choices[choice_idx].variants, got.choices[choice_idx].variants);
    }
  }
  ASSERT_EQ(expected.indicators().size(), actual.indicators().size());
  for (size_t indicator_idx = 0; indicator_idx < expected.indicators().size(); ++indicator_idx) {
    const Indicator& want = expected.indicators()[indicator_idx];
    const Indicator& got = actual.indicators()[indicator_idx];
    SCOPED_TRACE(want.name);
    EXPECT_EQ(want.name, got.name);
    EXPECT_EQ(want.code, got.code);
    EXPECT_EQ(want.module, got.module);
    EXPECT_EQ(want.label, got.label);
    EXPECT_EQ(want.hint, got.hint);
    EXPECT_EQ(want.TypeString(), got.TypeString());
    EXPECT_EQ(want.required, got.required);
    EXPECT_EQ(want.relevant, got.relevant);
    EXPECT_EQ(want.constraint, got.constraint);
    EXPECT_EQ(want.constraint_message, got.constraint_message);
    EXPECT_EQ(want.hxl, got.hxl);
    EXPECT_EQ(want.dissemination_class, got.dissemination_class);
    EXPECT_EQ(want.aggregate, got.aggregate);
    EXPECT_EQ(want.indicator_type, got.indicator_type);
    EXPECT_EQ(want.quasi_identifier, got.quasi_identifier);
    ASSERT_EQ(want.risk.has_value(), got.risk.has_value());
    if (want.risk) {
      EXPECT_EQ(want.risk->domain, got.risk->domain);
      EXPECT_EQ(want.risk->points, got.risk->points);
      EXPECT_EQ(want.risk->cap, got.risk->cap);
      EXPECT_EQ(want.risk->ranges.size(), got.risk->ranges.size());
      EXPECT_EQ(want.risk->when_not_relevant.has_value(), got.risk->when_not_relevant.has_value());
    }
  }
}

class ResolvedYamlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("opendtm_resolved_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(ResolvedYamlTest, TheDefaultDictionaryResolvesToItsOwnBytes) {
  Result<std::string> resolved = ResolveDictionaryFile(kDefaultPath);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(*resolved, DefaultDictionaryYaml());
  Result<Dictionary> loaded = LoadResolvedDictionary(*resolved, "resolved");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameDictionary(*LoadDictionaryFile(kDefaultPath), *loaded);
}

TEST_F(ResolvedYamlTest, AChainOfExtensionsFlattensToAnEqualDictionary) {
  Write("nga.yaml", "extends: " + kDefaultPath + R"(
operation: nga
version: 2026.11.1-nga.1
risk_bands: {very_high: 40}
choice_lists:
  lighting:
    - {name: solar, label: {en: "Solar lamps only: yes", fr: "Lampes solaires"}}
  fuel:
    - {name: firewood, label: {en: Firewood}}
    - {name: "no", label: {en: "No fuel"}}
indicators:
  - name: cooking_fuel
    module: services
    label: {en: "Main cooking fuel # of the site"}
    type: select_one fuel
    class: sensitive
    aggregate: share_of_sites
    indicator_type: mission
)");
  std::string borno = Write("borno.yaml", R"(extends: nga.yaml
operation: nga-borno
version: 2026.11.1-nga.2
risk_bands: {medium: 20}
choice_lists:
  fuel:
    - {name: charcoal, label: {en: Charcoal}}
indicators:
  - name: fuel_days
    module: services
    label: {en: Days of fuel left}
    type: integer
    constraint: ". >= 0"
    class: public
    aggregate: mean
    indicator_type: mission
)");
  Result<Dictionary> original = LoadDictionaryFile(borno);
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  Result<std::string> resolved = ResolveDictionaryFile(borno);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_THAT(*resolved, ::testing::Not(HasSubstr("\nextends:")));

  // Loaded from anywhere, with no file beside it, it is the same dictionary.
  Result<Dictionary> loaded = LoadResolvedDictionary(*resolved, "operation nga, version 2");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameDictionary(*original, *loaded);
  EXPECT_EQ(loaded->operation(), "nga-borno");
  EXPECT_EQ(loaded->risk_bands()->very_high, 40);
  EXPECT_EQ(loaded->risk_bands()->medium, 20);
  EXPECT_THAT(loaded->FindList("fuel")->choices.size(), 3u);
  // Resolving is deterministic: the stored hash does not depend on the run.
  EXPECT_EQ(*ResolveDictionaryFile(borno), *resolved);
}

TEST_F(ResolvedYamlTest, AFileThatDoesNotLoadIsNotResolved) {
  std::string bad = Write("bad.yaml", "extends: nowhere.yaml\nversion: 1\n");
  Result<std::string> resolved = ResolveDictionaryFile(bad);
  ASSERT_FALSE(resolved.ok());
  EXPECT_THAT(resolved.status().message(), HasSubstr("nowhere.yaml"));
}

TEST_F(ResolvedYamlTest, AResolvedTextNeverReadsAnotherFile) {
  Result<Dictionary> loaded =
      LoadResolvedDictionary("extends: " + kDefaultPath + "\nversion: 2026.12.1\n", "stored");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), HasSubstr("extends"));
}

// ---- protection_changes.h ----------------------------------------------------------

Dictionary WithClasses(const std::string& replacements) {
  std::string text(DefaultDictionaryYaml());
  std::istringstream lines(replacements);
  std::string name;
  std::string from;
  std::string to;
  // Each replacement: "NAME FROM TO": the indicator's `class: FROM` becomes TO.
  while (lines >> name >> from >> to) {
    size_t at = text.find("- name: " + name + "\n");
    EXPECT_NE(at, std::string::npos) << name;
    size_t class_at = text.find("class: " + from, at);
    text.replace(class_at, std::string("class: " + from).size(), "class: " + to);
  }
  Result<Dictionary> loaded = LoadDictionaryText(text, "edited");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : Dictionary();
}

TEST(ProtectionChangesTest, ClassesMayGoUpNeverDown) {
  Result<Dictionary> base = LoadDefaultDictionary();
  ASSERT_TRUE(base.ok());
  EXPECT_THAT(LoweredProtections(*base, *base), ElementsAre());
  EXPECT_THAT(LoweredProtections(*base, WithClasses("lighting public sensitive")), ElementsAre());
  EXPECT_THAT(
      LoweredProtections(*base, WithClasses("security_on_site sensitive public\n"
                                            "uasc urgent sensitive\n"
                                            "smc_focal_phone pii public")),
      ElementsAre("lowers the class of indicator smc_focal_phone from pii to public",
                  "lowers the class of indicator uasc from urgent to sensitive",
                  "lowers the class of indicator security_on_site from sensitive to public"));
}

TEST(ProtectionChangesTest, AQuasiIdentifierStaysOne) {
  Result<Dictionary> base = LoadDefaultDictionary();
  ASSERT_TRUE(base.ok());
  std::string text(DefaultDictionaryYaml());
  const size_t uasc = text.find("- name: uasc\n");
  const std::string flag = "quasi_identifier: true";
  text.replace(text.find(flag, uasc), flag.size(), "quasi_identifier: false");
  Result<Dictionary> next = LoadDictionaryText(text, "edited");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_THAT(LoweredProtections(*base, *next),
              ElementsAre("indicator uasc is no longer a quasi_identifier"));
}

}  // namespace
}  // namespace opendtm::dictionary
