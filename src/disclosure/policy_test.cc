#include "disclosure/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opendtm::disclosure {
namespace {

using analysis::Level;
using dictionary::DisseminationClass;
using ::testing::HasSubstr;

void ExpectSameRules(const TierRules& a, const TierRules& b) {
  EXPECT_EQ(a.tier, b.tier);
  EXPECT_EQ(a.site_rows, b.site_rows);
  EXPECT_EQ(a.site_sensitive, b.site_sensitive);
  EXPECT_EQ(a.finest_aggregate, b.finest_aggregate);
  EXPECT_EQ(a.suppressed, b.suppressed);
  EXPECT_EQ(a.k_sites, b.k_sites);
  EXPECT_EQ(a.k_people, b.k_people);
  EXPECT_EQ(a.rounding_base, b.rounding_base);
  EXPECT_EQ(a.k_anonymity, b.k_anonymity);
  EXPECT_EQ(a.n_group, b.n_group);
}

TEST(PolicyTest, DefaultPolicyIsTheSpecMatrix) {
  const Policy policy = DefaultPolicy();
  EXPECT_EQ(policy.version, 0);
  struct Row {
    Tier tier;
    bool site_rows;
    bool site_sensitive;
    Level finest;
    bool suppressed;
  };
  const Row matrix[] = {{Tier::kPublic, false, false, Level::kAdmin2, true},
                        {Tier::kPartner, true, false, Level::kAdmin3, true},
                        {Tier::kProtection, true, true, Level::kAdmin3, false},
                        {Tier::kOperationAdmin, true, true, Level::kAdmin3, false}};
  for (const Row& row : matrix) {
    const TierRules& rules = policy.For(row.tier);
    SCOPED_TRACE(std::string(store::TierName(row.tier)));
    EXPECT_EQ(rules.tier, row.tier);
    EXPECT_EQ(rules.site_rows, row.site_rows);
    EXPECT_EQ(rules.site_sensitive, row.site_sensitive);
    EXPECT_EQ(rules.finest_aggregate, row.finest);
    EXPECT_EQ(rules.suppressed, row.suppressed);
    EXPECT_EQ(rules.k_sites, 3);
    EXPECT_EQ(rules.k_people, 5);
    EXPECT_EQ(rules.rounding_base, 0);
    EXPECT_EQ(rules.k_anonymity, 3);
    EXPECT_EQ(rules.n_group, 10);
  }
}

TEST(PolicyTest, SiteValuesByClassAndTier) {
  const Policy policy = DefaultPolicy();
  const DisseminationClass classes[] = {DisseminationClass::kPublic, DisseminationClass::kSensitive,
                                        DisseminationClass::kUrgent, DisseminationClass::kPii};
  // public, sensitive, urgent, pii
  const std::vector<bool> expected[] = {{false, false, false, false},
                                        {true, false, false, false},
                                        {true, true, true, false},
                                        {true, true, true, false}};
  for (int tier = 0; tier < 4; ++tier) {
    for (int class_idx = 0; class_idx < 4; ++class_idx) {
      EXPECT_EQ(SiteValueVisible(policy.tiers[tier], classes[class_idx]), expected[tier][class_idx])
          << store::TierName(static_cast<Tier>(tier)) << " "
          << dictionary::ClassName(classes[class_idx]);
    }
  }
}

TEST(PolicyTest, LevelsByTier) {
  const Policy policy = DefaultPolicy();
  const TierRules& open = policy.For(Tier::kPublic);
  EXPECT_FALSE(LevelVisible(open, Level::kSite));
  EXPECT_FALSE(LevelVisible(open, Level::kAdmin3));
  for (Level level :
       {Level::kAdmin2, Level::kAdmin1, Level::kCountry, Level::kRegion, Level::kGlobal}) {
    EXPECT_TRUE(LevelVisible(open, level)) << analysis::LevelName(level);
  }
  for (Tier tier : {Tier::kPartner, Tier::kProtection, Tier::kOperationAdmin}) {
    for (Level level : {Level::kSite, Level::kAdmin3, Level::kAdmin2, Level::kCountry}) {
      EXPECT_TRUE(LevelVisible(policy.For(tier), level)) << store::TierName(tier);
    }
  }
  TierRules coarse = policy.For(Tier::kPartner);
  coarse.finest_aggregate = Level::kAdmin1;
  EXPECT_FALSE(LevelVisible(coarse, Level::kAdmin2));
  EXPECT_TRUE(LevelVisible(coarse, Level::kAdmin1));
}

TEST(PolicyTest, JsonRoundTripsEveryField) {
  Policy policy = DefaultPolicy();
  TierRules& open = policy.For(Tier::kPublic);
  open.k_sites = 5;
  open.k_people = 10;
  open.rounding_base = 5;
  open.finest_aggregate = Level::kAdmin1;
  open.k_anonymity = 7;
  open.n_group = 12;
  TierRules& partner = policy.For(Tier::kPartner);
  partner.site_rows = false;
  partner.finest_aggregate = Level::kCountry;
  partner.k_anonymity = 7;
  partner.n_group = 11;
  policy.For(Tier::kProtection).suppressed = true;
  Result<Policy> parsed = ParsePolicy(PolicyJson(policy), 7);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->version, 7);
  for (int tier = 0; tier < 4; ++tier) ExpectSameRules(parsed->tiers[tier], policy.tiers[tier]);
}

TEST(PolicyTest, ParsingStartsFromTheDefaultAndReadsTheTiersGiven) {
  Result<Policy> empty = ParsePolicy("{}", 3);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->version, 3);
  for (int tier = 0; tier < 4; ++tier) {
    ExpectSameRules(empty->tiers[tier], DefaultPolicy().tiers[tier]);
  }

  Result<Policy> one = ParsePolicy(R"({"tiers": {"public": {"k_sites": 5}}})", 4);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->For(Tier::kPublic).k_sites, 5);
  EXPECT_EQ(one->For(Tier::kPublic).k_people, 5);
  EXPECT_EQ(one->For(Tier::kPartner).k_sites, 3);
}

TEST(PolicyTest, EachParseErrorNamesTheTierAndField) {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {"not json", "policy: not a JSON object"},
      {"[1, 2]", "policy: not a JSON object"},
      {R"({"tiers": 3})", "policy: tiers must be an object"},
      {R"({"tiers": {"guest": {}}})", "policy: unknown tier 'guest'"},
      {R"({"tiers": {"public": 3}})", "policy tier public: not an object"},
      {R"({"tiers": {"public": {"colour": 1}}})", "policy tier public: unknown field 'colour'"},
      {R"({"tiers": {"partner": {"site_rows": 1}}})",
       "policy tier partner: site_rows must be true or false, not 1"},
      {R"({"tiers": {"partner": {"site_sensitive": "no"}}})",
       "policy tier partner: site_sensitive must be true or false, not \"no\""},
      {R"({"tiers": {"public": {"suppressed": null}}})",
       "policy tier public: suppressed must be true or false, not null"},
      {R"({"tiers": {"public": {"k_sites": 0}}})",
       "policy tier public: k_sites must be an integer >= 1, not 0"},
      {R"({"tiers": {"public": {"k_people": -2}}})",
       "policy tier public: k_people must be an integer >= 1, not -2"},
      {R"({"tiers": {"public": {"k_anonymity": 0}}})",
       "policy tier public: k_anonymity must be an integer >= 1, not 0"},
      {R"({"tiers": {"public": {"rounding_base": -1}}})",
       "policy tier public: rounding_base must be an integer >= 0, not -1"},
      {R"({"tiers": {"public": {"k_sites": 2.5}}})",
       "policy tier public: k_sites must be an integer >= 1, not 2.5"},
      {R"({"tiers": {"public": {"k_sites": "3"}}})",
       "policy tier public: k_sites must be an integer >= 1, not \"3\""},
      {R"({"tiers": {"public": {"k_people": 2000000}}})",
       "policy tier public: k_people must be an integer >= 1, not 2000000"},
      {R"({"tiers": {"public": {"finest_aggregate": "site"}}})",
       "policy tier public: finest_aggregate must be admin3, admin2, admin1 or country, not "
       "\"site\""},
      {R"({"tiers": {"public": {"finest_aggregate": "region"}}})",
       "policy tier public: finest_aggregate must be admin3, admin2, admin1 or country, not "
       "\"region\""},
      {R"({"tiers": {"public": {"finest_aggregate": 2}}})",
       "policy tier public: finest_aggregate must be admin3, admin2, admin1 or country, not 2"},
      {R"({"tiers": {"public": {"site_sensitive": true}}})",
       "policy tier public: site_sensitive needs site_rows"},
      {R"({"tiers": {"public": {"n_group": 0}}})",
       "policy tier public: n_group must be an integer >= 1, not 0"},
  };
  for (const Case& test_case : cases) {
    Result<Policy> parsed = ParsePolicy(test_case.json, 1);
    ASSERT_FALSE(parsed.ok()) << test_case.json;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << test_case.json;
    EXPECT_THAT(parsed.status().message(), HasSubstr(test_case.message)) << test_case.json;
  }
}

// A partner also reads the public release: each public threshold below
// partner's is refused, naming the tier and the field.
TEST(PolicyTest, PublicThresholdsBelowPartnersAreRefused) {
  for (const char* field : {"k_sites", "k_people", "n_group", "k_anonymity"}) {
    const std::string json = std::string(R"({"tiers": {"partner": {")") + field +
                             R"(": 20}, "public": {")" + field + R"(": 19}}})";
    Result<Policy> parsed = ParsePolicy(json, 1);
    ASSERT_FALSE(parsed.ok()) << json;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(std::string("policy tier public: ") + field +
                                                     " 19 is lower than partner's 20"));
    const std::string equal = std::string(R"({"tiers": {"partner": {")") + field +
                              R"(": 20}, "public": {")" + field + R"(": 20}}})";
    EXPECT_TRUE(ParsePolicy(equal, 1).ok()) << equal;
  }
  // Raising partner's alone above the default public's is refused too.
  EXPECT_FALSE(ParsePolicy(R"({"tiers": {"partner": {"k_people": 6}}})", 1).ok());
}

}  // namespace
}  // namespace opendtm::disclosure
