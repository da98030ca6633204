#include "ingest/choice_matcher.h"

#include <gtest/gtest.h>

namespace opendtm::ingest {
namespace {

dictionary::ChoiceList Lighting() {
  dictionary::ChoiceList list;
  list.name = "lighting";
  list.choices.push_back(
      {"adequate", {{"en", "Yes, there is lighting and it is adequate"}, {"fr", "Oui, suffisant"}},
       {"Adequate lighting"}, {}});
  list.choices.push_back({"inadequate",
                          {{"en", "Yes, there is lighting but it is not adequate"}},
                          {"Inadequate lighting"},
                          {}});
  list.choices.push_back({"none", {{"en", "No lighting"}, {"fr", "Pas d'éclairage"}}, {}, {}});
  list.choices.push_back({"unknown", {{"en", "Unknown"}}, {}, {}});
  return list;
}

dictionary::ChoiceList DisplacementReason() {
  dictionary::ChoiceList list;
  list.name = "displacement_reason";
  list.choices.push_back({"conflict", {{"en", "Conflict"}}, {}, {}});
  list.choices.push_back({"natural_disaster", {{"en", "Natural disaster"}}, {}, {}});
  list.choices.push_back({"economic", {{"en", "Economic reasons"}}, {}, {}});
  return list;
}

TEST(ChoiceMatcherTest, ExactCodeLabelAndVariantMatchSilently) {
  ChoiceMatcher matcher(Lighting());
  for (std::string_view value : {"none", "No lighting", "Pas d'éclairage"}) {
    ChoiceMatch match = matcher.Match(value);
    EXPECT_EQ(match.kind, ChoiceMatchKind::kExact) << value;
    EXPECT_EQ(match.code, "none") << value;
  }
  ChoiceMatch variant = matcher.Match("Adequate lighting");
  EXPECT_EQ(variant.kind, ChoiceMatchKind::kExact);
  EXPECT_EQ(variant.code, "adequate");
}

TEST(ChoiceMatcherTest, CaseAndSpacingMatchAfterNormalisation) {
  ChoiceMatcher matcher(Lighting());
  for (std::string_view value : {"No Lighting", " no  lighting ", "NONE", "PAS D'ÉCLAIRAGE"}) {
    ChoiceMatch match = matcher.Match(value);
    EXPECT_EQ(match.kind, ChoiceMatchKind::kNormalised) << value;
    EXPECT_EQ(match.code, "none") << value;
  }
}

TEST(ChoiceMatcherTest, MissingValueWordsAreNoAnswer) {
  ChoiceMatcher matcher(Lighting());
  for (std::string_view value : {"", "  ", "no answer", "No  Answer ", "n/a", "N/A", "na", "-"}) {
    EXPECT_EQ(matcher.Match(value).kind, ChoiceMatchKind::kMissing) << "'" << value << "'";
  }
  EXPECT_TRUE(IsMissingValue(" N/A "));
  EXPECT_FALSE(IsMissingValue("none"));
  EXPECT_FALSE(IsMissingValue("nan"));
}

TEST(ChoiceMatcherTest, AChoiceSpelledLikeAMissingWordIsAChoice) {
  dictionary::ChoiceList list;
  list.name = "odd";
  list.choices.push_back({"na", {{"en", "Namibia"}}, {}, {}});
  ChoiceMatcher matcher(list);
  EXPECT_EQ(matcher.Match("na").kind, ChoiceMatchKind::kExact);
  EXPECT_EQ(matcher.Match("NA").kind, ChoiceMatchKind::kMissing);
}

TEST(ChoiceMatcherTest, NoMatchSuggestsTheClosestCodeWhenClose) {
  ChoiceMatcher matcher(Lighting());
  ChoiceMatch typo = matcher.Match("inadequat");
  EXPECT_EQ(typo.kind, ChoiceMatchKind::kNoMatch);
  EXPECT_EQ(typo.suggestion, "inadequate");
  ChoiceMatch label_typo = matcher.Match("No lightning");
  EXPECT_EQ(label_typo.kind, ChoiceMatchKind::kNoMatch);
  EXPECT_EQ(label_typo.suggestion, "none");
  ChoiceMatch far = matcher.Match("banana");
  EXPECT_EQ(far.kind, ChoiceMatchKind::kNoMatch);
  EXPECT_EQ(far.suggestion, "");
}

TEST(ChoiceMatcherTest, ANormalisedSpellingOfTwoChoicesMatchesNeither) {
  dictionary::ChoiceList list;
  list.name = "clash";
  list.choices.push_back({"a", {{"en", "Same"}}, {}, {}});
  list.choices.push_back({"b", {{"en", "SAME"}}, {}, {}});
  ChoiceMatcher matcher(list);
  EXPECT_EQ(matcher.Match("Same").code, "a");
  EXPECT_EQ(matcher.Match("SAME").code, "b");
  EXPECT_EQ(matcher.Match("same").kind, ChoiceMatchKind::kNoMatch);
}

TEST(ChoiceMatcherTest, MultipleAsSpaceSeparatedCodes) {
  ChoiceMatcher matcher(DisplacementReason());
  SelectionMatch match = matcher.MatchMultiple("conflict natural_disaster conflict");
  EXPECT_FALSE(match.missing);
  EXPECT_EQ(match.codes, "conflict natural_disaster");
  EXPECT_EQ(match.exact_count, 3);
  EXPECT_TRUE(match.normalised.empty());
  EXPECT_TRUE(match.unmatched.empty());
}

TEST(ChoiceMatcherTest, MultipleAsSemicolonSeparatedLabels) {
  ChoiceMatcher matcher(DisplacementReason());
  SelectionMatch match = matcher.MatchMultiple("Conflict; Natural disaster");
  EXPECT_EQ(match.codes, "conflict natural_disaster");
  EXPECT_EQ(match.exact_count, 2);
  EXPECT_TRUE(match.unmatched.empty());
  SelectionMatch one_label = matcher.MatchMultiple("Natural disaster");
  EXPECT_EQ(one_label.codes, "natural_disaster");
  SelectionMatch normalised = matcher.MatchMultiple("conflict;NATURAL DISASTER;");
  EXPECT_EQ(normalised.codes, "conflict natural_disaster");
  ASSERT_EQ(normalised.normalised.size(), 1u);
  EXPECT_EQ(normalised.normalised[0], "NATURAL DISASTER");
}

TEST(ChoiceMatcherTest, MultipleReportsUnmatchedPiecesWithSuggestions) {
  ChoiceMatcher matcher(DisplacementReason());
  SelectionMatch match = matcher.MatchMultiple("conflict economc volcano");
  EXPECT_EQ(match.codes, "conflict");
  ASSERT_EQ(match.unmatched.size(), 2u);
  EXPECT_EQ(match.unmatched[0].piece, "economc");
  EXPECT_EQ(match.unmatched[0].suggestion, "economic");
  EXPECT_EQ(match.unmatched[1].piece, "volcano");
  EXPECT_EQ(match.unmatched[1].suggestion, "");
  EXPECT_TRUE(matcher.MatchMultiple("no answer").missing);
  EXPECT_FALSE(matcher.MatchMultiple("conflict").missing);
}

TEST(EditDistanceTest, CountsCodePointsAndStopsAtTheLimit) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 10), 3u);
  EXPECT_EQ(EditDistance("", "abc", 10), 3u);
  EXPECT_EQ(EditDistance("éclairage", "eclairage", 10), 1u);
  EXPECT_EQ(EditDistance("abcdef", "uvwxyz", 2), 3u);
  EXPECT_EQ(EditDistance("same", "same", 0), 0u);
}

}  // namespace
}  // namespace opendtm::ingest
