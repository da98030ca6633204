#include "dictionary/compatibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dictionary/loader.h"
#include "dictionary/testing.h"

namespace opendtm::dictionary {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

Dictionary Load(const std::string& yaml, const std::string& name) {
  Result<Dictionary> loaded = LoadDictionaryText(yaml, name);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(loaded).value() : Dictionary();
}

std::string Edit(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> Messages(const std::vector<DictionaryChange>& changes) {
  std::vector<std::string> out;
  for (const DictionaryChange& change : changes) out.push_back(change.message);
  return out;
}

const std::string kOld = testing::SmallDictionaryYaml();

TEST(CompatibilityTest, IdenticalDictionariesHaveNoChanges) {
  EXPECT_TRUE(CompareDictionaries(Load(kOld, "old.yaml"), Load(kOld, "new.yaml")).empty());
}

TEST(CompatibilityTest, RemovedChoiceIsBreakingAndNamed) {
  std::string next = Edit(kOld, "    - {name: none, label: {en: No lighting, fr: \"Pas d'éclairage\"}, variants: [no light]}\n", "");
  next = Edit(next, "inadequate: 2, none: 3", "inadequate: 2");
  next = Edit(next, "version: 2026.11.1", "version: 2026.11.2");
  auto changes = CompareDictionaries(Load(kOld, "old.yaml"), Load(next, "new.yaml"));
  EXPECT_TRUE(HasBreakingChange(changes));
  EXPECT_THAT(Messages(changes), Contains("removed choice lighting/none"));
  // The removed choice is located in the OLD file, where it was declared.
  for (const DictionaryChange& change : changes) {
    if (change.message == "removed choice lighting/none") {
      EXPECT_EQ(change.location.file, "old.yaml");
      EXPECT_EQ(change.location.line, 10);
      EXPECT_TRUE(change.breaking);
    }
  }
}

TEST(CompatibilityTest, RemovedIndicatorChangedTypeCodeAndMeaningAreBreaking) {
  std::string next = Edit(kOld, "type: integer", "type: decimal");
  next = Edit(next, "code: \"10.1.f.1\"", "code: \"10.1.f.2\"");
  next = Edit(next, "{en: No lighting, fr:", "{en: No light at all, fr:");
  next = Edit(next, "version: 2026.11.1", "version: 2026.11.2");
  size_t start = next.find("  - name: documentation");
  next = next.substr(0, start);
  auto messages = Messages(CompareDictionaries(Load(kOld, "old.yaml"), Load(next, "new.yaml")));
  EXPECT_THAT(messages, Contains("changed type of indicator ind_total: integer -> decimal"));
  EXPECT_THAT(messages, Contains("removed indicator documentation"));
  EXPECT_THAT(messages, Contains(HasSubstr("changed meaning of choice lighting/none")));
}

TEST(CompatibilityTest, AdditionsAreAllowedWhenTheVersionIncreases) {
  std::string next = Edit(kOld, "version: 2026.11.1", "version: 2026.12.1");
  next = Edit(next, "    - {name: unknown, label: {en: Unknown, fr: Inconnu}}\nindicators:",
              "    - {name: unknown, label: {en: Unknown, fr: Inconnu}}\n    - {name: solar, label: {en: Solar}}\nindicators:");
  next += R"(  - name: fuel_available
    code: "x.9.9"
    module: services
    label: {en: "Is cooking fuel available?"}
    type: select_one yes_no_unknown
    class: public
    indicator_type: optional
)";
  next = Edit(next, "{en: Individuals, fr: Individus}", "{en: Number of individuals, fr: Individus}");
  auto changes = CompareDictionaries(Load(kOld, "old.yaml"), Load(next, "new.yaml"));
  EXPECT_FALSE(HasBreakingChange(changes));
  EXPECT_THAT(Messages(changes), Contains("added indicator fuel_available"));
  EXPECT_THAT(Messages(changes), Contains("added choice lighting/solar"));
  EXPECT_THAT(Messages(changes), Contains("changed English question of indicator ind_total"));
}

TEST(CompatibilityTest, ChangedContentNeedsAGreaterVersion) {
  std::string next = Edit(kOld, "    - {name: unknown, label: {en: Unknown, fr: Inconnu}}\nindicators:",
                          "    - {name: unknown, label: {en: Unknown, fr: Inconnu}}\n    - {name: solar, label: {en: Solar}}\nindicators:");
  auto changes = CompareDictionaries(Load(kOld, "old.yaml"), Load(next, "new.yaml"));
  EXPECT_TRUE(HasBreakingChange(changes));
  EXPECT_THAT(changes, Contains(Field(&DictionaryChange::message,
                                      HasSubstr("is not greater than the previous version"))));
}

}  // namespace
}  // namespace opendtm::dictionary
