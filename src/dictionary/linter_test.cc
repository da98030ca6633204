#include "dictionary/linter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dictionary/loader.h"
#include "dictionary/testing.h"

namespace opendtm::dictionary {
namespace {

using ::testing::HasSubstr;

Dictionary LoadWith(const std::string& extra_indicator) {
  std::string yaml = testing::SmallDictionaryYaml() + extra_indicator;
  Result<Dictionary> loaded = LoadDictionaryText(yaml, "lint.yaml");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(loaded).value() : Dictionary();
}

std::vector<std::string> Lines(const LintReport& report) {
  std::vector<std::string> lines;
  for (const LintFinding& finding : report.findings) lines.push_back(finding.ToString());
  return lines;
}

TEST(LinterTest, SmallDictionaryIsClean) {
  LintReport report = LintDictionary(LoadWith(""));
  EXPECT_TRUE(report.clean()) << ::testing::PrintToString(Lines(report));
  EXPECT_EQ(report.scored_indicators, 2);
  EXPECT_EQ(report.scored_domains, 2);
  ASSERT_EQ(report.unchecked.size(), 1u);
  EXPECT_THAT(report.unchecked[0], HasSubstr("rule 3"));
  EXPECT_THAT(report.unchecked[0], HasSubstr("not yet checked"));
}

TEST(LinterTest, FreeTextInProtectionIsRefused) {
  LintReport report = LintDictionary(LoadWith(R"(  - name: protection_comments
    code: "x.99.1"
    module: protection
    label: {en: Other protection concerns}
    type: text
    class: sensitive
    indicator_type: optional
)"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule, "gbv-free-text");
  EXPECT_EQ(report.findings[0].indicator, "protection_comments");
  EXPECT_THAT(report.findings[0].ToString(),
              HasSubstr("lint.yaml:70: gbv-free-text: protection_comments: free-text question"));
}

TEST(LinterTest, PiiInGbvModuleIsRefused) {
  LintReport report = LintDictionary(LoadWith(R"(  - name: gbv_focal_point
    code: "x.99.2"
    module: gbv_risk
    label: {en: GBV focal point on site}
    type: select_one yes_no_unknown
    class: pii
    indicator_type: optional
    risk: {domain: services, points: {"yes": 0, "no": 1}}
)"));
  std::vector<std::string> lines = Lines(report);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(report.findings[0].rule, "gbv-pii");
  EXPECT_EQ(report.findings[0].indicator, "gbv_focal_point");
  // Rule 2 as well: a pii value is never stored, so it cannot be scored.
  EXPECT_THAT(lines, ::testing::Contains(HasSubstr("cannot be scored")));
}

TEST(LinterTest, QuestionsAboutIndividualsAreRefused) {
  LintReport by_name = LintDictionary(LoadWith(R"(  - name: survivor_count
    code: "x.99.3"
    module: protection
    label: {en: "How many were hurt?"}
    type: integer
    class: sensitive
    indicator_type: optional
)"));
  ASSERT_EQ(by_name.findings.size(), 1u);
  EXPECT_EQ(by_name.findings[0].rule, "gbv-individual");

  LintReport by_date = LintDictionary(LoadWith(R"(  - name: last_event
    code: "x.99.4"
    module: protection
    label: {en: "When was the last event?"}
    type: date
    class: sensitive
    indicator_type: optional
)"));
  ASSERT_EQ(by_date.findings.size(), 1u);
  EXPECT_EQ(by_date.findings[0].rule, "gbv-individual");

  LintReport by_label = LintDictionary(LoadWith(R"(  - name: help_received
    code: "x.99.5"
    module: protection
    label: {en: "Did the victim receive help?"}
    type: select_one yes_no_unknown
    class: sensitive
    indicator_type: optional
)"));
  ASSERT_EQ(by_label.findings.size(), 1u);
  EXPECT_EQ(by_label.findings[0].rule, "gbv-individual");
}

TEST(LinterTest, SiteLevelIncidentQuestionIsAllowed) {
  LintReport report = LintDictionary(LoadWith(R"(  - name: incidents_reported
    code: "10.1.e.1"
    module: protection
    label: {en: "Have security incidents been reported in the site?"}
    type: select_one yes_no_unknown
    class: sensitive
    indicator_type: core
)"));
  EXPECT_TRUE(report.clean()) << ::testing::PrintToString(Lines(report));
}

TEST(LinterTest, PiiOutsideGbvMayNotBeAggregatedOrExported) {
  LintReport report = LintDictionary(LoadWith(R"(  - name: smc_focal_phone
    code: "1.2.b.8"
    module: site
    label: {en: Phone of the committee focal point}
    type: text
    class: pii
    hxl: "#contact+phone"
    indicator_type: core
)"));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule, "gbv-pii");
  EXPECT_THAT(report.findings[0].message, HasSubstr("tagged for export"));

  LintReport untagged = LintDictionary(LoadWith(R"(  - name: smc_focal_phone
    code: "1.2.b.8"
    module: site
    label: {en: Phone of the committee focal point}
    type: text
    class: pii
    indicator_type: core
)"));
  EXPECT_TRUE(untagged.clean());
}

}  // namespace
}  // namespace opendtm::dictionary
