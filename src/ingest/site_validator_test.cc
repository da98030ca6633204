#include "ingest/site_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_reader.h"
#include "core/number.h"
#include "dictionary/loader.h"
#include "dictionary/testing.h"

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using dictionary::testing::DefaultDictionary;

int IndexOf(std::string_view name) {
  const auto& indicators = DefaultDictionary().indicators();
  for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    if (indicators[indicator_idx].name == name) return static_cast<int>(indicator_idx);
  }
  ADD_FAILURE() << "no indicator " << name;
  return 0;
}

using Values = std::vector<std::pair<std::string, std::string>>;

// A row of the default dictionary: site S1 of round 2 surveyed on 21 May 2015,
// plus `values`; each value comes from a column named "col <indicator>".
MappedRow Row(const Values& values, bool with_base = true) {
  const size_t count = DefaultDictionary().indicators().size();
  MappedRow row;
  row.line = 7;
  row.values.assign(count, "");
  row.columns.assign(count, "");
  Values all;
  if (with_base) all = {{"site_id", "S1"}, {"round", "2"}, {"survey_date", "2015-05-21"}};
  all.insert(all.end(), values.begin(), values.end());
  for (const auto& [name, value] : all) {
    row.values[IndexOf(name)] = value;
    row.columns[IndexOf(name)] = "col " + name;
  }
  return row;
}

const geo::CountryExtent kNepalBox{"NPL", "Nepal", 80.0517, 26.3603, 88.1615, 30.3875};

ValidationContext Context() {
  ValidationContext context;
  context.file = "round2.csv";
  context.country = "NPL";
  context.extent = &kNepalBox;
  context.known_site_ids = {"S1", "S2"};
  return context;
}

RowOutcome Validated(const MappedRow& row, ValidationContext context = Context()) {
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), std::move(context));
  EXPECT_TRUE(validator.ok()) << validator.status().ToString();
  return validator->Validate(row);
}

std::vector<std::string> Rules(const RowOutcome& outcome) {
  std::vector<std::string> out;
  for (const Finding& finding : outcome.findings) out.push_back(finding.rule);
  return out;
}

std::string Cleaned(const RowOutcome& outcome, std::string_view name) {
  return outcome.cleaned[IndexOf(name)];
}

bool Blanked(const RowOutcome& outcome, std::string_view name) {
  return std::find(outcome.blanked.begin(), outcome.blanked.end(), IndexOf(name)) !=
         outcome.blanked.end();
}

// --- clean rows and normalised values ---------------------------------------

TEST(SiteValidatorTest, ACleanRowHasNoFindingsAndNormalisedValues) {
  RowOutcome outcome = Validated(Row({{"hh_total", "1,234"},
                                {"ind_total", "5,000"},
                                {"latitude", " 27.70 "},
                                {"longitude", "85.3240"},
                                {"lighting", "No lighting"},
                                {"site_name", "  Tundikhel "}}));
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_FALSE(outcome.quarantined);
  EXPECT_EQ(outcome.quarantine_finding, -1);
  EXPECT_EQ(outcome.site_id, "S1");
  EXPECT_EQ(outcome.line, 7);
  EXPECT_EQ(Cleaned(outcome, "hh_total"), "1234");
  EXPECT_EQ(Cleaned(outcome, "ind_total"), "5000");
  EXPECT_EQ(Cleaned(outcome, "latitude"), "27.7");
  EXPECT_EQ(Cleaned(outcome, "lighting"), "none");
  EXPECT_EQ(Cleaned(outcome, "site_name"), "Tundikhel");
  EXPECT_EQ(Cleaned(outcome, "survey_date"), "2015-05-21");
  EXPECT_EQ(outcome.exact_choice_matches, 1);
  EXPECT_THAT(outcome.blanked, IsEmpty());
}

TEST(SiteValidatorTest, MissingValueWordsAreEmptyWithoutFindings) {
  RowOutcome outcome = Validated(Row({{"hh_total", "N/A"}, {"lighting", "no answer"}, {"uasc", "-"}}));
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(Cleaned(outcome, "hh_total"), "");
  EXPECT_EQ(Cleaned(outcome, "lighting"), "");
}

// --- type ---------------------------------------------------------------------

TEST(SiteValidatorTest, TypeBlanksValuesThatAreNotNumbers) {
  RowOutcome outcome =
      Validated(Row({{"hh_total", "12.5"}, {"ind_total", "many"}, {"latitude", "27,7"}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("type", "type", "type"));
  EXPECT_EQ(Cleaned(outcome, "hh_total"), "");
  EXPECT_TRUE(Blanked(outcome, "ind_total"));
  EXPECT_TRUE(Blanked(outcome, "latitude"));
  const Finding& finding = outcome.findings[1];  // dictionary order: latitude, hh_total, …
  EXPECT_EQ(finding.file, "round2.csv");
  EXPECT_EQ(finding.row, 7);
  EXPECT_EQ(finding.column, "col hh_total");
  EXPECT_EQ(finding.indicator, "hh_total");
  EXPECT_EQ(finding.severity, Severity::kError);
  EXPECT_EQ(finding.value, "12.5");
  EXPECT_FALSE(outcome.quarantined);
}

// --- pii_suspected --------------------------------------------------------------

TEST(SiteValidatorTest, PiiSuspectedBlanksPhoneAndEmailValuesWithoutRepeatingThem) {
  RowOutcome outcome = Validated(Row({{"site_name", "+977 98 4100 1234"},
                                      {"hh_total", "0771 234 567"},
                                      {"lighting", "sita@mail.np"},
                                      {"ind_total", "1234567"}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("pii_suspected", "pii_suspected", "pii_suspected"));
  for (const Finding& finding : outcome.findings) {
    EXPECT_EQ(finding.value, "") << finding.indicator;
    EXPECT_EQ(finding.severity, Severity::kWarning);
    EXPECT_EQ(finding.message.find("4100"), std::string::npos);
    EXPECT_EQ(finding.message.find("sita"), std::string::npos);
  }
  EXPECT_THAT(outcome.findings[0].message, ::testing::HasSubstr("looks like a phone number"));
  EXPECT_EQ(Cleaned(outcome, "site_name"), "");
  EXPECT_TRUE(Blanked(outcome, "site_name"));
  EXPECT_TRUE(Blanked(outcome, "lighting"));
  EXPECT_EQ(Cleaned(outcome, "hh_total"), "");
  EXPECT_EQ(Cleaned(outcome, "ind_total"), "1234567");  // a count, not a phone number
  EXPECT_THAT(outcome.pii_suspected,
              ::testing::UnorderedElementsAre(IndexOf("site_name"), IndexOf("hh_total"),
                                              IndexOf("lighting")));
  EXPECT_FALSE(outcome.quarantined);
}

TEST(SiteValidatorTest, APhoneShapedSiteIdIsAnIdNotPersonalData) {
  RowOutcome outcome = Validated(Row({{"site_id", "0771-234-567"}}, /*with_base=*/false));
  EXPECT_EQ(outcome.site_id, "0771-234-567");
  EXPECT_THAT(outcome.pii_suspected, IsEmpty());
}

TEST(SiteValidatorTest, TypeChecksLatitudeAndLongitudeRanges) {
  RowOutcome outcome = Validated(Row({{"latitude", "95"}, {"longitude", "-181"}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("type", "type"));
  RowOutcome inside = Validated(Row({{"latitude", "-90"}, {"longitude", "180"}},
                              /*with_base=*/true),
                          [] {
                            ValidationContext context = Context();
                            context.extent = nullptr;
                            return context;
                          }());
  EXPECT_THAT(inside.findings, IsEmpty());
}

TEST(SiteValidatorTest, DatesAreReadInTheColumnsOrder) {
  ValidationContext context = Context();
  context.date_orders.assign(DefaultDictionary().indicators().size(), core::DateOrder::kNotNeeded);
  context.date_orders[IndexOf("survey_date")] = core::DateOrder::kDayFirst;
  context.date_orders[IndexOf("arrival_first")] = core::DateOrder::kMonthFirst;
  RowOutcome outcome =
      Validated(Row({{"survey_date", "4/5/15"}, {"arrival_first", "4/5/15"}}), context);
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(Cleaned(outcome, "survey_date"), "2015-05-04");
  EXPECT_EQ(Cleaned(outcome, "arrival_first"), "2015-04-05");

  RowOutcome bad = Validated(Row({{"arrival_first", "soon"}}), context);
  EXPECT_THAT(Rules(bad), ElementsAre("type"));
}

// --- date_ambiguous -------------------------------------------------------------

TEST(SiteValidatorTest, DateAmbiguousWhenTheColumnLeavesTheOrderOpen) {
  ValidationContext context = Context();
  context.date_orders.assign(DefaultDictionary().indicators().size(), core::DateOrder::kAmbiguous);
  RowOutcome outcome = Validated(Row({{"arrival_first", "4/6/15"}}), context);
  ASSERT_THAT(Rules(outcome), ElementsAre("date_ambiguous"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(Blanked(outcome, "arrival_first"));

  // An order-free value, or a decided column, is not ambiguous.
  EXPECT_THAT(Validated(Row({{"arrival_first", "5/5/15"}}), context).findings, IsEmpty());
  context.date_orders[IndexOf("arrival_first")] = core::DateOrder::kDayFirst;
  EXPECT_THAT(Validated(Row({{"arrival_first", "4/6/15"}}), context).findings, IsEmpty());
}

TEST(DateOrderAccumulatorTest, DecidesLikeCoreOverTheWholeColumn) {
  std::vector<MappedRow> rows = {Row({{"survey_date", "4/6/15"}, {"arrival_first", "4/6/15"}}),
                                 Row({{"survey_date", "13/04/2015"}, {"arrival_first", ""}}),
                                 Row({{"survey_date", "2015-05-01"}})};
  DateOrders orders = InferDateOrders(DefaultDictionary(), rows);
  EXPECT_EQ(orders[IndexOf("survey_date")], core::DateOrder::kDayFirst);
  EXPECT_EQ(orders[IndexOf("arrival_first")], core::DateOrder::kAmbiguous);
  EXPECT_EQ(orders[IndexOf("arrival_last")], core::DateOrder::kNotNeeded);

  DateOrderAccumulator accumulator(DefaultDictionary());
  for (const MappedRow& row : rows) accumulator.Add(row);
  accumulator.Add(Row({{"survey_date", "4/25/15"}}));
  std::vector<core::DateColumnInference> inferences = accumulator.Inferences();
  const core::DateColumnInference& survey = inferences[IndexOf("survey_date")];
  EXPECT_EQ(survey.order, core::DateOrder::kConflicting);
  EXPECT_EQ(survey.non_empty_count, 4);
  EXPECT_EQ(survey.day_first_count, 1);
  EXPECT_EQ(survey.month_first_count, 1);
  EXPECT_EQ(survey.iso_count, 1);
  EXPECT_THAT(survey.month_first_examples, ElementsAre("4/25/15"));
}

// --- choice, choice_normalised ------------------------------------------------------

TEST(SiteValidatorTest, ChoiceNormalisedIsAnInfoWithTheCode) {
  RowOutcome outcome = Validated(Row({{"lighting", "No Lighting"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("choice_normalised"));
  const Finding& finding = outcome.findings[0];
  EXPECT_EQ(finding.severity, Severity::kInfo);
  EXPECT_EQ(finding.value, "No Lighting");
  EXPECT_EQ(finding.suggestion, "none");
  EXPECT_EQ(Cleaned(outcome, "lighting"), "none");
  EXPECT_EQ(outcome.exact_choice_matches, 0);
}

TEST(SiteValidatorTest, ChoiceErrorBlanksAndSuggests) {
  RowOutcome outcome = Validated(Row({{"lighting", "No lightning"}, {"site_type", "Stadium"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("choice", "choice"));
  // Dictionary order: site_type before lighting.
  EXPECT_EQ(outcome.findings[0].indicator, "site_type");
  EXPECT_EQ(outcome.findings[0].suggestion, "");
  EXPECT_EQ(outcome.findings[1].severity, Severity::kError);
  EXPECT_EQ(outcome.findings[1].suggestion, "none");
  EXPECT_EQ(Cleaned(outcome, "lighting"), "");
  EXPECT_TRUE(Blanked(outcome, "site_type"));
  EXPECT_FALSE(outcome.quarantined);
}

TEST(SiteValidatorTest, SelectMultipleTakesCodesOrSemicolonLabels) {
  RowOutcome labels = Validated(Row({{"displacement_reason", "Conflict; Natural disaster"}}));
  EXPECT_THAT(labels.findings, IsEmpty());
  EXPECT_EQ(Cleaned(labels, "displacement_reason"), "conflict natural_disaster");
  EXPECT_EQ(labels.exact_choice_matches, 2);

  RowOutcome codes = Validated(Row({{"priority_needs", "food  wash"}}));
  EXPECT_THAT(codes.findings, IsEmpty());
  EXPECT_EQ(Cleaned(codes, "priority_needs"), "food wash");

  RowOutcome bad = Validated(Row({{"priority_needs", "food wahs"}}));
  ASSERT_THAT(Rules(bad), ElementsAre("choice"));
  EXPECT_EQ(bad.findings[0].suggestion, "food wash");
  EXPECT_EQ(Cleaned(bad, "priority_needs"), "");
}

// --- required --------------------------------------------------------------------

TEST(SiteValidatorTest, RequiredWhenARequiredAnswerIsMissing) {
  RowOutcome outcome = Validated(Row({{"site_id", "S1"}, {"round", "2"}}, /*with_base=*/false));
  ASSERT_THAT(Rules(outcome), ElementsAre("required"));
  EXPECT_EQ(outcome.findings[0].indicator, "survey_date");
  EXPECT_EQ(outcome.findings[0].severity, Severity::kError);
  EXPECT_FALSE(outcome.quarantined);
  // A value blanked for another reason is not reported twice.
  RowOutcome bad_date = Validated(Row({{"survey_date", "soon"}}));
  EXPECT_THAT(Rules(bad_date), ElementsAre("type"));
}

// --- constraint ----------------------------------------------------------------------

TEST(SiteValidatorTest, ConstraintUsesTheDictionarysMessage) {
  RowOutcome outcome = Validated(Row({{"hh_total", "-3"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("constraint"));
  EXPECT_EQ(outcome.findings[0].message, "Enter a number of 0 or more.");
  EXPECT_EQ(outcome.findings[0].value, "-3");
  EXPECT_EQ(Cleaned(outcome, "hh_total"), "");
  EXPECT_THAT(Validated(Row({{"hh_total", "0"}})).findings, IsEmpty());
}

TEST(SiteValidatorTest, ConstraintSeesCodesAndToday) {
  RowOutcome reasons = Validated(Row({{"displacement_reason", "conflict not_reported"}}));
  EXPECT_THAT(Rules(reasons), ElementsAre("constraint"));

  ValidationContext context = Context();
  context.today = {2015, 5, 20};
  RowOutcome future = Validated(Row({}), context);
  ASSERT_THAT(Rules(future), ElementsAre("constraint"));
  EXPECT_EQ(future.findings[0].message, "The survey date cannot be in the future.");
  context.today = {2015, 5, 21};
  EXPECT_THAT(Validated(Row({}), context).findings, IsEmpty());
}

// --- not_relevant ----------------------------------------------------------------------

TEST(SiteValidatorTest, NotRelevantBlanksAnAnswerToAQuestionThatDoesNotApply) {
  RowOutcome outcome = Validated(Row({{"sma_exists", "No"}, {"sma_type", "Local NGO"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("not_relevant"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(outcome.findings[0].indicator, "sma_type");
  EXPECT_EQ(Cleaned(outcome, "sma_type"), "");
  EXPECT_TRUE(Blanked(outcome, "sma_type"));

  RowOutcome relevant = Validated(Row({{"sma_exists", "Yes"}, {"sma_type", "Local NGO"}}));
  EXPECT_THAT(relevant.findings, IsEmpty());
  EXPECT_EQ(Cleaned(relevant, "sma_type"), "local_ngo");
}

// --- SADD ------------------------------------------------------------------------

Values Sadd(std::string m_total, std::string f_total, std::string ind_total) {
  return {{"m_0_1", "1"},  {"m_1_5", "2"},  {"m_6_17", "3"},  {"m_18_59", "4"},
          {"m_60plus", "5"}, {"m_total", std::move(m_total)},  // buckets: 15
          {"f_0_1", "1"},  {"f_1_5", "1"},  {"f_6_17", "1"},  {"f_18_59", "1"},
          {"f_60plus", ""}, {"f_total", std::move(f_total)},  // buckets: 4
          {"ind_total", std::move(ind_total)}, {"hh_total", "5"}};
}

TEST(SiteValidatorTest, SaddAgeSumOnePerSex) {
  EXPECT_THAT(Validated(Row(Sadd("15", "4", "19"))).findings, IsEmpty());
  RowOutcome males = Validated(Row(Sadd("16", "4", "20")));
  ASSERT_THAT(Rules(males), ElementsAre("sadd_age_sum"));
  EXPECT_EQ(males.findings[0].indicator, "m_total");
  EXPECT_EQ(males.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(Cleaned(males, "m_total"), "16");  // kept
  RowOutcome both = Validated(Row(Sadd("16", "5", "21")));
  EXPECT_THAT(Rules(both), ElementsAre("sadd_age_sum", "sadd_age_sum"));
  EXPECT_EQ(both.findings[1].indicator, "f_total");
}

TEST(SiteValidatorTest, SaddSexSum) {
  RowOutcome outcome = Validated(Row(Sadd("15", "4", "20")));
  ASSERT_THAT(Rules(outcome), ElementsAre("sadd_sex_sum"));
  EXPECT_EQ(outcome.findings[0].indicator, "ind_total");
  EXPECT_EQ(Cleaned(outcome, "ind_total"), "20");
  EXPECT_FALSE(outcome.quarantined);
}

TEST(SiteValidatorTest, SaddHouseholdsAndIndividuals) {
  EXPECT_THAT(Validated(Row({{"hh_total", "10"}, {"ind_total", "200"}})).findings, IsEmpty());
  EXPECT_THAT(Rules(Validated(Row({{"hh_total", "10"}, {"ind_total", "201"}}))),
              ElementsAre("sadd_hh_ind"));
  EXPECT_THAT(Rules(Validated(Row({{"hh_total", "10"}, {"ind_total", "9"}}))),
              ElementsAre("sadd_hh_ind"));
}

// --- admin areas -------------------------------------------------------------------

geo::AdminArea Area(std::string country, int level, std::string pcode, std::string name,
                    std::string parent, std::string valid_from) {
  return {std::move(country), level,          std::move(pcode), std::move(name),
          std::move(parent),  std::move(valid_from)};
}

const geo::Gazetteer& TestGazetteer() {
  static const geo::Gazetteer* gazetteer = [] {
    auto* built = new geo::Gazetteer;
    for (geo::AdminArea area : {Area("NPL", 1, "NP03", "Bagmati", "NPL", "2024-03-14"),
                                Area("NPL", 2, "NP0301", "Kathmandu", "NP03", "2024-03-14"),
                                Area("NPL", 2, "NP0302", "Twin", "NP03", "2010-01-01"),
                                Area("NPL", 1, "NP04", "Gandaki", "NPL", "2010-01-01"),
                                Area("NPL", 2, "NP0401", "Kaski", "NP04", "2010-01-01"),
                                Area("NPL", 2, "NP0402", "Twin", "NP04", "2010-01-01"),
                                Area("NGA", 1, "NG001", "Abia", "NGA", "2019-01-01")}) {
      EXPECT_TRUE(built->Add(std::move(area)).ok());
    }
    return built;
  }();
  return *gazetteer;
}

ValidationContext WithGazetteer() {
  ValidationContext context = Context();
  context.gazetteer = &TestGazetteer();
  return context;
}

TEST(SiteValidatorTest, KnownPcodesOfTheRightLevelAndParentPass) {
  RowOutcome outcome = Validated(Row({{"adm0_pcode", "npl"}, {"adm1_pcode", "NP04"},
                                {"adm2_pcode", "np0401"}}),
                           WithGazetteer());
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(Cleaned(outcome, "adm0_pcode"), "NPL");
  EXPECT_EQ(Cleaned(outcome, "adm2_pcode"), "NP0401");
  EXPECT_THAT(outcome.admin_by_name, IsEmpty());
}

TEST(SiteValidatorTest, PcodeUnknown) {
  RowOutcome outcome =
      Validated(Row({{"adm1_pcode", "NP99"}, {"origin_adm1_pcode", "NG001"}}), WithGazetteer());
  ASSERT_THAT(Rules(outcome), ElementsAre("pcode_unknown", "pcode_unknown"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kError);
  EXPECT_EQ(Cleaned(outcome, "adm1_pcode"), "");
  EXPECT_NE(outcome.findings[1].message.find("NGA"), std::string::npos);
}

TEST(SiteValidatorTest, PcodeLevel) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NP0401"}}), WithGazetteer());
  ASSERT_THAT(Rules(outcome), ElementsAre("pcode_level"));
  EXPECT_TRUE(Blanked(outcome, "adm1_pcode"));
}

TEST(SiteValidatorTest, PcodeParent) {
  RowOutcome outcome =
      Validated(Row({{"adm1_pcode", "NP04"}, {"adm2_pcode", "NP0302"}}), WithGazetteer());
  ASSERT_THAT(Rules(outcome), ElementsAre("pcode_parent"));
  EXPECT_EQ(outcome.findings[0].indicator, "adm2_pcode");
  EXPECT_EQ(Cleaned(outcome, "adm1_pcode"), "NP04");
  EXPECT_EQ(Cleaned(outcome, "adm2_pcode"), "");
  // origin_adm2's parent is origin_adm1, not adm1.
  RowOutcome origin = Validated(Row({{"adm1_pcode", "NP04"}, {"origin_adm1_pcode", "NP03"},
                               {"origin_adm2_pcode", "NP0302"}, {"survey_date", "2025-01-01"}}),
                          WithGazetteer());
  EXPECT_THAT(origin.findings, IsEmpty());
}

TEST(SiteValidatorTest, PcodeNotYetValidIsKept) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NP03"}}), WithGazetteer());
  ASSERT_THAT(Rules(outcome), ElementsAre("pcode_not_yet_valid"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(Cleaned(outcome, "adm1_pcode"), "NP03");
  EXPECT_THAT(Validated(Row({{"adm1_pcode", "NP03"}, {"survey_date", "2024-03-14"}}), WithGazetteer())
                  .findings,
              IsEmpty());
}

TEST(SiteValidatorTest, PcodeResolvedByNameWhenUnambiguousAndValid) {
  RowOutcome outcome =
      Validated(Row({{"adm1_pcode", " gandaki "}, {"adm2_pcode", "Twin"}}), WithGazetteer());
  ASSERT_THAT(Rules(outcome), ElementsAre("pcode_resolved_by_name", "pcode_resolved_by_name"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kInfo);
  EXPECT_EQ(outcome.findings[0].suggestion, "NP04");
  EXPECT_EQ(Cleaned(outcome, "adm1_pcode"), "NP04");
  EXPECT_EQ(Cleaned(outcome, "adm2_pcode"), "NP0402");  // the Twin under Gandaki
  EXPECT_THAT(outcome.admin_by_name, IsEmpty());
}

TEST(SiteValidatorTest, AdminUnresolvedKeepsTheName) {
  // Bagmati exists, but only from 2024: a 2015 survey keeps it by name.
  RowOutcome not_yet = Validated(Row({{"adm1_pcode", "Bagmati"}}), WithGazetteer());
  ASSERT_THAT(Rules(not_yet), ElementsAre("admin_unresolved"));
  EXPECT_EQ(not_yet.findings[0].severity, Severity::kInfo);
  EXPECT_EQ(Cleaned(not_yet, "adm1_pcode"), "Bagmati");
  EXPECT_THAT(not_yet.admin_by_name, ElementsAre(IndexOf("adm1_pcode")));

  // Two areas named Twin and no known parent: ambiguous.
  RowOutcome ambiguous = Validated(Row({{"adm1_pcode", "Narayani"}, {"adm2_pcode", "Twin"}}),
                             WithGazetteer());
  EXPECT_THAT(Rules(ambiguous), ElementsAre("admin_unresolved", "admin_unresolved"));
  EXPECT_EQ(Cleaned(ambiguous, "adm2_pcode"), "Twin");
  EXPECT_EQ(ambiguous.admin_by_name.size(), 2u);
}

TEST(SiteValidatorTest, AdminValuesAreUncheckedWithoutAGazetteer) {
  RowOutcome outcome = Validated(Row({{"adm1_pcode", "NP99"}, {"adm2_pcode", "Kathmandu"}}));
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_EQ(Cleaned(outcome, "adm1_pcode"), "NP99");
}

// --- GPS ------------------------------------------------------------------------

TEST(SiteValidatorTest, GpsOutsideCountryBlanksBoth) {
  RowOutcome outcome = Validated(Row({{"latitude", "9.05"}, {"longitude", "7.49"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("gps_outside_country"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kError);
  EXPECT_EQ(outcome.findings[0].value, "9.05 7.49");
  EXPECT_EQ(Cleaned(outcome, "latitude"), "");
  EXPECT_EQ(Cleaned(outcome, "longitude"), "");
  EXPECT_FALSE(outcome.quarantined);
}

TEST(SiteValidatorTest, GpsSwappedSuggestsButDoesNotSwap) {
  RowOutcome outcome = Validated(Row({{"latitude", "85.324"}, {"longitude", "27.7172"}}));
  ASSERT_THAT(Rules(outcome), ElementsAre("gps_swapped"));
  EXPECT_EQ(outcome.findings[0].suggestion, "27.7172 85.324");
  EXPECT_TRUE(Blanked(outcome, "latitude"));
  EXPECT_TRUE(Blanked(outcome, "longitude"));
  EXPECT_THAT(Validated(Row({{"latitude", "27.7172"}, {"longitude", "85.324"}})).findings, IsEmpty());
}

// --- site identity, round, quarantine ---------------------------------------------------

TEST(SiteValidatorTest, SiteIdMissingOrMalformedQuarantines) {
  for (std::string id : {std::string(""), std::string("  "), std::string("no answer"),
                         std::string(70, 'x'), std::string("S\x01")}) {
    RowOutcome outcome = Validated(Row({{"site_id", id}}));
    ASSERT_TRUE(outcome.quarantined) << id;
    ASSERT_GE(outcome.quarantine_finding, 0);
    EXPECT_EQ(outcome.findings[outcome.quarantine_finding].rule, "site_id");
    EXPECT_EQ(outcome.site_id, "");
  }
  RowOutcome trimmed = Validated(Row({{"site_id", " S2 "}}));
  EXPECT_FALSE(trimmed.quarantined);
  EXPECT_EQ(trimmed.site_id, "S2");
}

TEST(SiteValidatorTest, SiteUnknownQuarantinesUnlessNewSitesAreRegistered) {
  RowOutcome unknown = Validated(Row({{"site_id", "S9"}}));
  ASSERT_TRUE(unknown.quarantined);
  EXPECT_EQ(unknown.findings[unknown.quarantine_finding].rule, "site_unknown");
  EXPECT_FALSE(unknown.new_site);

  ValidationContext context = Context();
  context.register_new_sites = true;
  RowOutcome registered = Validated(Row({{"site_id", "S9"}}), context);
  EXPECT_FALSE(registered.quarantined);
  EXPECT_TRUE(registered.new_site);
  ASSERT_THAT(Rules(registered), ElementsAre("site_unknown"));
  EXPECT_EQ(registered.findings[0].severity, Severity::kInfo);

  EXPECT_FALSE(Validated(Row({{"site_id", "S1"}}), context).new_site);
}

TEST(SiteValidatorTest, RoundLockedQuarantinesEverything) {
  ValidationContext context = Context();
  context.round_locked = true;
  RowOutcome outcome = Validated(Row({}), context);
  ASSERT_TRUE(outcome.quarantined);
  EXPECT_EQ(outcome.findings[outcome.quarantine_finding].rule, "round_locked");
  context.round_locked = false;
  EXPECT_FALSE(Validated(Row({}), context).quarantined);
}

TEST(SiteValidatorTest, DateOutsideRoundIsAWarning) {
  ValidationContext context = Context();
  context.round_from = core::Date{2015, 5, 1};
  context.round_to = core::Date{2015, 5, 31};
  EXPECT_THAT(Validated(Row({}), context).findings, IsEmpty());
  RowOutcome outcome = Validated(Row({{"survey_date", "2015-06-10"}}), context);
  ASSERT_THAT(Rules(outcome), ElementsAre("date_outside_round"));
  EXPECT_EQ(outcome.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(Cleaned(outcome, "survey_date"), "2015-06-10");
  EXPECT_FALSE(outcome.quarantined);
}

TEST(SiteValidatorTest, StrictQuarantinesOnAnyError) {
  MappedRow row = Row({{"lighting", "banana"}, {"sma_exists", "No"}, {"sma_type", "Local NGO"}});
  EXPECT_FALSE(Validated(row).quarantined);
  ValidationContext context = Context();
  context.strict = true;
  RowOutcome strict = Validated(row, context);
  ASSERT_TRUE(strict.quarantined);
  EXPECT_EQ(strict.findings[strict.quarantine_finding].rule, "choice");
  // Warnings alone do not quarantine.
  EXPECT_FALSE(Validated(Row({{"sma_exists", "No"}, {"sma_type", "Local NGO"}}), context).quarantined);
}

// --- pii, urgent -------------------------------------------------------------------

TEST(SiteValidatorTest, PiiIsDroppedAndNeverCopied) {
  const std::string name = "Sita Sharma";
  const std::string phone = "+977 98 4100 0000";
  RowOutcome outcome = Validated(Row({{"smc_exists", "Yes"},
                                {"smc_focal_name", name},
                                {"smc_focal_phone", phone},
                                {"sma_focal_name", ""}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("pii_dropped", "pii_dropped"));
  EXPECT_THAT(outcome.pii_dropped,
              ElementsAre(IndexOf("smc_focal_name"), IndexOf("smc_focal_phone")));
  for (const Finding& finding : outcome.findings) {
    EXPECT_EQ(finding.severity, Severity::kInfo);
    EXPECT_EQ(finding.value, "");
    for (const std::string* text : {&finding.message, &finding.suggestion, &finding.column}) {
      EXPECT_EQ(text->find("Sita"), std::string::npos);
      EXPECT_EQ(text->find("4100"), std::string::npos);
    }
  }
  for (const std::string& value : outcome.cleaned) {
    EXPECT_EQ(value.find("Sita"), std::string::npos);
    EXPECT_EQ(value.find("4100"), std::string::npos);
  }
  // A pii answer where the question does not apply is still just dropped.
  RowOutcome not_relevant = Validated(Row({{"smc_exists", "No"}, {"smc_focal_name", name}}));
  EXPECT_THAT(Rules(not_relevant), ElementsAre("pii_dropped"));
}

TEST(SiteValidatorTest, UrgentAlerts) {
  RowOutcome outcome = Validated(Row({{"uasc", "3"}, {"recruiters_visit", "Yes"}}));
  EXPECT_THAT(Rules(outcome), ElementsAre("urgent_alert", "urgent_alert"));
  ASSERT_EQ(outcome.alerts.size(), 2u);
  EXPECT_EQ(outcome.alerts[0].indicator, IndexOf("uasc"));
  EXPECT_EQ(outcome.alerts[0].value, "3");
  EXPECT_EQ(outcome.alerts[1].value, "yes");
  EXPECT_FALSE(outcome.quarantined);

  RowOutcome quiet = Validated(Row({{"uasc", "0"}, {"recruiters_visit", "No"}}));
  EXPECT_THAT(quiet.findings, IsEmpty());
  EXPECT_THAT(quiet.alerts, IsEmpty());
}

TEST(SiteValidatorTest, ReusedOutcomeIsReset) {
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), Context());
  ASSERT_TRUE(validator.ok());
  RowOutcome outcome;
  validator->Validate(Row({{"site_id", "S9"}, {"lighting", "banana"}, {"uasc", "2"}}), outcome);
  ASSERT_TRUE(outcome.quarantined);
  validator->Validate(Row({}), outcome);
  EXPECT_FALSE(outcome.quarantined);
  EXPECT_EQ(outcome.quarantine_finding, -1);
  EXPECT_THAT(outcome.findings, IsEmpty());
  EXPECT_THAT(outcome.alerts, IsEmpty());
  EXPECT_THAT(outcome.blanked, IsEmpty());
  EXPECT_EQ(Cleaned(outcome, "lighting"), "");
  EXPECT_EQ(Cleaned(outcome, "uasc"), "");
}

TEST(FindingTest, FormatsForPeople) {
  Finding finding;
  finding.file = "round2.csv";
  finding.row = 12;
  finding.column = "Lighting";
  finding.rule = "choice";
  finding.message = "'x' is not a choice";
  EXPECT_EQ(FormatFinding(finding), "round2.csv:12: Lighting: choice: 'x' is not a choice");
  finding.column.clear();
  EXPECT_EQ(FormatFinding(finding), "round2.csv:12: choice: 'x' is not a choice");
  EXPECT_EQ(SeverityName(Severity::kInfo), "info");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kError), "error");
}

// --- the real Nepal round 2 file as a proof ---------------------------------------------

// The rows of the real DTM Nepal 2015 round 2 file, mapped by DTM code prefix
// for the columns these rules need (the mapping file is the lead's; this
// helper only needs the SADD block, site ID, round, survey date and lighting).
struct NepalFile {
  std::vector<MappedRow> rows;
  std::string error;
};

NepalFile ReadNepalFile() {
  NepalFile out;
  const std::string path = std::string(OPENDTM_SHARED_DIR) +
                           "/data/real/dtm-nepal-2015-site-assessment-round2.redacted.csv";
  Result<core::CsvTable> table = core::ReadCsvFile(path, core::CsvOptions{});
  if (!table.ok()) {
    out.error = table.status().ToString();
    return out;
  }
  constexpr size_t kHeaderRow = 2;  // line 3: rows 1-2 are banners
  if (table->rows.size() <= kHeaderRow) {
    out.error = "no header row";
    return out;
  }
  const std::vector<std::string>& header = table->rows[kHeaderRow];
  // Column -> indicator, by code prefix and, inside a grid, the cell's label.
  std::vector<std::pair<size_t, std::string>> bound;
  const std::vector<std::pair<std::string, std::string>> age_labels = {
      {"<1 year", "0_1"}, {"1-5 year", "1_5"}, {"6-17 year", "6_17"},
      {"18-59 year", "18_59"}, {"60+ year", "60plus"}};
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    const std::string& cell = header[column_idx];
    std::string code = cell.substr(0, cell.find(' '));
    auto has = [&cell](std::string_view text) { return cell.find(text) != std::string::npos; };
    std::string name;
    if (code == "1.1.c.1") name = "site_id";
    if (code == "1.1.a.2") name = "round";
    if (code == "1.1.a.1") name = "survey_date";
    if (code == "2.1.a.1") name = "hh_total";
    if (code == "10.1.s.1") name = "lighting";
    if (code == "2.1.b.2") name = has("Female") ? "f_total" : has("Male") ? "m_total" : "ind_total";
    if (code == "2.1.c.1" || code == "2.1.d.1") {
      for (const auto& [label, suffix] : age_labels) {
        if (has(label)) name = (code == "2.1.c.1" ? "m_" : "f_") + suffix;
      }
    }
    if (!name.empty()) bound.emplace_back(column_idx, name);
  }
  if (bound.size() != 18) {  // 5 single columns, 3 totals, 10 age buckets
    out.error = "expected 18 mapped columns, found " + std::to_string(bound.size());
    return out;
  }
  const size_t count = DefaultDictionary().indicators().size();
  for (size_t row_idx = kHeaderRow + 1; row_idx < table->rows.size(); ++row_idx) {
    const std::vector<std::string>& cells = table->rows[row_idx];
    MappedRow row;
    row.line = table->row_lines[row_idx];
    row.values.assign(count, "");
    row.columns.assign(count, "");
    for (const auto& [column_idx, name] : bound) {
      if (column_idx < cells.size()) row.values[IndexOf(name)] = cells[column_idx];
      row.columns[IndexOf(name)] = header[column_idx];
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

TEST(NepalRound2Test, SaddRulesAndLightingMatchTheKnownFacts) {
  NepalFile file = ReadNepalFile();
  ASSERT_EQ(file.error, "");
  ASSERT_EQ(file.rows.size(), 146u);

  ValidationContext context = Context();
  context.file = "dtm-nepal-2015-site-assessment-round2.redacted.csv";
  context.known_site_ids.clear();
  context.register_new_sites = true;
  context.date_orders = InferDateOrders(DefaultDictionary(), file.rows);
  EXPECT_EQ(context.date_orders[IndexOf("survey_date")], core::DateOrder::kDayFirst);
  Result<SiteValidator> validator = SiteValidator::Create(DefaultDictionary(), context);
  ASSERT_TRUE(validator.ok()) << validator.status().ToString();

  std::map<std::string, int> rows_with;
  std::map<std::string, int> count_of;
  std::vector<std::string> age_sum_sites;
  int accepted = 0;
  int lighting_none = 0;
  int lighting_normalised = 0;
  double households = 0;
  double individuals = 0;
  RowOutcome outcome;
  for (const MappedRow& row : file.rows) {
    validator->Validate(row, outcome);
    if (!outcome.quarantined) ++accepted;
    std::set<std::string> rules;
    for (const Finding& finding : outcome.findings) {
      ++count_of[finding.rule];
      if (rules.insert(finding.rule).second) ++rows_with[finding.rule];
      if (finding.rule == rule::kSaddAgeSum) age_sum_sites.push_back(outcome.site_id);
      if (finding.rule == rule::kChoiceNormalised && finding.indicator == "lighting") {
        ++lighting_normalised;
        EXPECT_EQ(finding.value, "No Lighting");
      }
    }
    if (Cleaned(outcome, "lighting") == "none") ++lighting_none;
    households += core::ParseNumber(Cleaned(outcome, "hh_total")).value_or(0);
    individuals += core::ParseNumber(Cleaned(outcome, "ind_total")).value_or(0);
  }
  EXPECT_EQ(accepted, 146);
  EXPECT_EQ(households, 12419);
  EXPECT_EQ(individuals, 66756);
  EXPECT_EQ(rows_with["sadd_age_sum"], 3);
  EXPECT_EQ(count_of["sadd_age_sum"], 4);
  EXPECT_THAT(age_sum_sites, ElementsAre("196", "494", "494", "499"));
  EXPECT_EQ(rows_with["sadd_sex_sum"], 12);
  EXPECT_EQ(count_of["sadd_sex_sum"], 12);
  EXPECT_EQ(count_of["sadd_hh_ind"], 0);
  EXPECT_EQ(lighting_none, 59);
  EXPECT_EQ(lighting_normalised, 2);
  EXPECT_EQ(count_of["choice"], 0);
  EXPECT_EQ(count_of["type"], 0);
  EXPECT_EQ(count_of["required"], 0);
  EXPECT_EQ(rows_with["site_unknown"], 146);  // every site registered as new
}

}  // namespace
}  // namespace opendtm::ingest
