#include "forms/codebook_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dictionary/loader.h"

namespace opendtm::forms {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

dictionary::Choice MakeChoice(std::string name, std::string en, std::string fr) {
  dictionary::Choice choice;
  choice.name = std::move(name);
  choice.label = {{"en", std::move(en)}, {"fr", std::move(fr)}};
  return choice;
}

dictionary::Indicator MakeIndicator(std::string name, std::string code, dictionary::Module module,
                                    dictionary::ValueType type, std::string en, std::string fr) {
  dictionary::Indicator indicator;
  indicator.name = std::move(name);
  indicator.code = std::move(code);
  indicator.module = module;
  indicator.type = type;
  indicator.label = {{"en", std::move(en)}, {"fr", std::move(fr)}};
  return indicator;
}

// Two lists, five indicators (two of them scored), English and French.
dictionary::Dictionary SmallDictionary() {
  using dictionary::Module;
  using dictionary::ValueType;
  dictionary::Dictionary dictionary;
  dictionary.set_version("2026.11.1");

  dictionary::ChoiceList lighting{"lighting", {}, {}};
  lighting.choices = {
      MakeChoice("adequate", "Yes, there is lighting and it is adequate",
                 "Oui, il y a un éclairage et il est suffisant"),
      MakeChoice("inadequate", "Yes, there is lighting but it is not adequate",
                 "Oui, il y a un éclairage mais il est insuffisant"),
      MakeChoice("none", "No lighting", "Pas d'éclairage"),
      MakeChoice("unknown", "Unknown", "Ne sait pas"),
  };
  dictionary.AddChoiceList(lighting);
  dictionary::ChoiceList yes_no{"yes_no_unknown", {}, {}};
  yes_no.choices = {MakeChoice("yes", "Yes", "Oui"), MakeChoice("no", "No", "Non"),
                    MakeChoice("unknown", "Unknown", "Ne sait pas")};
  dictionary.AddChoiceList(yes_no);

  auto site_id = MakeIndicator("site_id", "1.1.c.1", Module::kSite, ValueType::kText,
                               "Site ID (SSID)", "Identifiant du site (SSID)");
  site_id.required = "yes";
  site_id.constraint = "regex(., '\\S')";
  site_id.hxl = "#loc+code";
  dictionary.AddIndicator(site_id);

  auto site_open = MakeIndicator("site_open", "1.4.a.2", Module::kSite, ValueType::kSelectOne,
                                 "Site open?", "Le site est-il ouvert ?");
  site_open.list_name = "yes_no_unknown";
  site_open.hxl = "#status+open";
  site_open.aggregate = dictionary::Aggregate::kShareOfSites;
  site_open.quasi_identifier = true;
  dictionary.AddIndicator(site_open);

  auto ind_total = MakeIndicator("ind_total", "2.1.b.2", Module::kPopulation, ValueType::kInteger,
                                 "Individuals | all ages *total*", "Individus <tous âges> & total");
  ind_total.constraint = ". >= 0";
  ind_total.hxl = "#affected+idps+ind+total";
  ind_total.aggregate = dictionary::Aggregate::kSum;
  dictionary.AddIndicator(ind_total);

  auto lighting_question =
      MakeIndicator("lighting", "10.1.s.1", Module::kGbvRisk, ValueType::kSelectOne,
                    "Is there adequate lighting?", "Y a-t-il un éclairage suffisant ?");
  lighting_question.list_name = "lighting";
  lighting_question.hxl = "#indicator+lighting";
  lighting_question.aggregate = dictionary::Aggregate::kShareOfSites;
  lighting_question.risk = dictionary::RiskMapping{};
  lighting_question.risk->domain = dictionary::RiskDomain::kLayout;
  lighting_question.risk->points = {{"adequate", 0}, {"inadequate", 2}, {"none", 3}};
  dictionary.AddIndicator(lighting_question);

  auto spaces = MakeIndicator("women_friendly_spaces", "10.1.d.1", Module::kGbvRisk,
                              ValueType::kInteger, "Number of women friendly spaces",
                              "Nombre d'espaces sûrs pour les femmes et les filles");
  spaces.hint = {{"en", "Count <script>alert(1)</script> spaces"}, {"fr", "Comptez les espaces"}};
  spaces.dissemination_class = dictionary::DisseminationClass::kSensitive;
  spaces.aggregate = dictionary::Aggregate::kSum;
  spaces.risk = dictionary::RiskMapping{};
  spaces.risk->domain = dictionary::RiskDomain::kServices;
  spaces.risk->ranges = {{std::nullopt, 0.0, 2}, {1.0, std::nullopt, 0}};
  dictionary.AddIndicator(spaces);
  return dictionary;
}

CodebookOptions EnglishAndFrench() { return CodebookOptions{{"en", "fr"}, {}}; }

// The lines of `text` that start with "| `" (the indicator rows of the tables).
std::vector<std::string> TableRows(const std::string& text) {
  std::vector<std::string> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.rfind("| `", 0) == 0) rows.push_back(line);
    start = end + 1;
  }
  return rows;
}

// The number of cell separators: `|` not escaped with a backslash.
int UnescapedPipes(std::string_view line) {
  int count = 0;
  for (size_t char_idx = 0; char_idx < line.size(); ++char_idx) {
    if (line[char_idx] == '|' && (char_idx == 0 || line[char_idx - 1] != '\\')) ++count;
  }
  return count;
}

TEST(CodebookMarkdownTest, HeaderNamesTheVersionAndWhatTheRiskScoreMeasures) {
  std::string markdown = WriteCodebookMarkdown(SmallDictionary(), EnglishAndFrench());
  EXPECT_THAT(markdown, StartsWith("# OpenDTM data dictionary: codebook\n"));
  EXPECT_THAT(markdown, HasSubstr("- Dictionary version: `2026.11.1`\n"));
  EXPECT_THAT(markdown, HasSubstr("- Languages: en, fr\n"));
  EXPECT_THAT(markdown, HasSubstr("- 5 indicators in 3 modules\n"));
  EXPECT_THAT(markdown, HasSubstr("risk factors, not the prevalence of violence"));
  EXPECT_THAT(markdown, HasSubstr("- [GBV risk factors](#module-gbv_risk) (2 indicators)\n"));
  EXPECT_THAT(markdown, HasSubstr("<a id=\"module-gbv_risk\"></a>\n\n## GBV risk factors "
                                  "(`gbv_risk`)\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("Vulnerability")));  // no indicator: no section
}

TEST(CodebookMarkdownTest, WritesOneTableRowPerIndicatorWithChoicesAndRiskPoints) {
  std::string markdown = WriteCodebookMarkdown(SmallDictionary(), EnglishAndFrench());
  EXPECT_THAT(markdown, HasSubstr("| indicator | code | question (en) | question (fr) | type | "
                                  "choices | HXL | class | risk points |\n"
                                  "|---|---|---|---|---|---|---|---|---|\n"));
  EXPECT_THAT(markdown,
              HasSubstr("| `lighting` | 10.1.s.1 | Is there adequate lighting? | Y a-t-il un "
                        "éclairage suffisant ? | `select_one lighting` | "
                        "`adequate` = Yes, there is lighting and it is adequate · Oui, il y a un "
                        "éclairage et il est suffisant<br>"
                        "`inadequate` = Yes, there is lighting but it is not adequate · Oui, il "
                        "y a un éclairage mais il est insuffisant<br>"
                        "`none` = No lighting · Pas d'éclairage<br>"
                        "`unknown` = Unknown · Ne sait pas | `#indicator+lighting` | public | "
                        "layout: `adequate` 0, `inadequate` 2, `none` 3<br>max 3 |\n"));
  EXPECT_THAT(markdown, HasSubstr("| `site_id` | 1.1.c.1 | Site ID (SSID) | Identifiant du site "
                                  "(SSID) | `text`<br>required<br>constraint: "
                                  "`regex(., '\\S')` | | `#loc+code` | public | |\n"));
  EXPECT_THAT(markdown, HasSubstr("| `#status+open` | public<br>quasi-identifier | |\n"));
  EXPECT_THAT(markdown, HasSubstr("services: ≤ 0 → 2, ≥ 1 → 0<br>max 2 |\n"));
  EXPECT_THAT(markdown, HasSubstr("Maximum risk points per domain: layout 3, security 0, "
                                  "participation 0, services 2 (total 5)."));
}

TEST(CodebookMarkdownTest, EscapesPipesAndMarkupInsideCells) {
  std::string markdown = WriteCodebookMarkdown(SmallDictionary(), EnglishAndFrench());
  EXPECT_THAT(markdown, HasSubstr("| Individuals \\| all ages \\*total\\* | Individus \\<tous "
                                  "âges> & total |"));
  EXPECT_THAT(markdown, HasSubstr("_Count \\<script>alert(1)\\</script> spaces_"));
  std::vector<std::string> rows = TableRows(markdown);
  ASSERT_EQ(rows.size(), 5u);
  for (const std::string& row : rows) EXPECT_EQ(UnescapedPipes(row), 10) << row;
}

TEST(CodebookMarkdownTest, DefaultsToAllLanguagesAndAllModules) {
  std::string markdown = WriteCodebookMarkdown(SmallDictionary(), CodebookOptions{});
  EXPECT_THAT(markdown, HasSubstr("| question (en) | question (fr) |"));
  EXPECT_EQ(TableRows(markdown).size(), 5u);
}

TEST(CodebookMarkdownTest, KeepsOnlyTheRequestedLanguagesAndModules) {
  CodebookOptions options;
  options.languages = {"fr"};
  options.modules = {dictionary::Module::kGbvRisk};
  std::string markdown = WriteCodebookMarkdown(SmallDictionary(), options);
  EXPECT_THAT(markdown, HasSubstr("| indicator | code | question (fr) | type |"));
  EXPECT_THAT(markdown, Not(HasSubstr("question (en)")));
  EXPECT_THAT(markdown, HasSubstr("`adequate` = Oui, il y a un éclairage et il est suffisant<br>"));
  EXPECT_THAT(markdown, Not(HasSubstr("`site_id`")));
  EXPECT_THAT(markdown, Not(HasSubstr("#module-site")));
  EXPECT_THAT(markdown, HasSubstr("- 2 indicators in 1 module\n"));
  EXPECT_EQ(TableRows(markdown).size(), 2u);
}

TEST(CodebookHtmlTest, IsAStandaloneUtf8Page) {
  std::string html = WriteCodebookHtml(SmallDictionary(), EnglishAndFrench());
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                               "<meta charset=\"utf-8\">\n"));
  EXPECT_THAT(html, HasSubstr("<style>\n"));
  EXPECT_THAT(html, HasSubstr("<title>OpenDTM data dictionary: codebook 2026.11.1</title>"));
  EXPECT_THAT(html, HasSubstr("risk factors, not the prevalence of violence"));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, EndsWith("</body>\n</html>\n"));
}

TEST(CodebookHtmlTest, EscapesAllDictionaryText) {
  std::string html = WriteCodebookHtml(SmallDictionary(), EnglishAndFrench());
  EXPECT_THAT(html, HasSubstr("Individus &lt;tous âges&gt; &amp; total"));
  EXPECT_THAT(html, HasSubstr("Count &lt;script&gt;alert(1)&lt;/script&gt; spaces"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("<code>regex(., &#39;\\S&#39;)</code>"));
  EXPECT_THAT(html, HasSubstr("<span lang=\"fr\">Pas d&#39;éclairage</span>"));
}

TEST(CodebookHtmlTest, HasAContentsEntryAndASectionPerModule) {
  std::string html = WriteCodebookHtml(SmallDictionary(), EnglishAndFrench());
  for (std::string_view module : {"site", "population", "gbv_risk"}) {
    EXPECT_THAT(html, HasSubstr("<a href=\"#module-" + std::string(module) + "\">"));
    EXPECT_THAT(html, HasSubstr("<section id=\"module-" + std::string(module) + "\">"));
  }
  EXPECT_THAT(html, HasSubstr("<a href=\"#indicator-lighting\">lighting</a>"));
  EXPECT_THAT(html, HasSubstr("<tr id=\"indicator-lighting\"><td><code>lighting</code></td>"
                              "<td>10.1.s.1</td><td lang=\"en\"><span lang=\"en\">Is there "
                              "adequate lighting?</span></td>"));
  EXPECT_THAT(html, HasSubstr("<th>question (fr)</th>"));
}

TEST(CodebookHtmlTest, MarksRightToLeftLanguages) {
  dictionary::Dictionary dictionary = SmallDictionary();
  CodebookOptions options;
  options.languages = {"ar"};
  std::string html = WriteCodebookHtml(dictionary, options);
  EXPECT_THAT(html, HasSubstr("<html lang=\"ar\" dir=\"rtl\">"));
  // No Arabic text: English is shown instead.
  EXPECT_THAT(html, HasSubstr("<td lang=\"ar\" dir=\"rtl\"><span lang=\"ar\" dir=\"rtl\">Site "
                              "ID (SSID)</span></td>"));
}

// The default dictionary, as shipped: every indicator has a row with the right
// number of cells, and the risk maxima are those of spec/risk-index.md.
TEST(CodebookDefaultDictionaryTest, DocumentsEveryIndicator) {
  auto loaded = dictionary::LoadDictionaryFile(OPENDTM_SOURCE_DIR "/dictionary/dtm-default.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const dictionary::Dictionary& dictionary = loaded.value();

  std::string markdown = WriteCodebookMarkdown(dictionary, CodebookOptions{});
  std::vector<std::string> rows = TableRows(markdown);
  ASSERT_EQ(rows.size(), dictionary.indicators().size());
  int columns = 2 + static_cast<int>(dictionary.Languages().size()) + 5;
  for (const std::string& row : rows) EXPECT_EQ(UnescapedPipes(row), columns + 1) << row;
  EXPECT_THAT(markdown, HasSubstr("layout 14, security 14, participation 6, services 12 "
                                  "(total 46)"));
  EXPECT_THAT(markdown, HasSubstr("Dictionary version: `" + dictionary.version() + "`"));

  std::string html = WriteCodebookHtml(dictionary, CodebookOptions{});
  size_t row_count = 0;
  for (size_t at = html.find("<tr id=\"indicator-"); at != std::string::npos;
       at = html.find("<tr id=\"indicator-", at + 1)) {
    ++row_count;
  }
  EXPECT_EQ(row_count, dictionary.indicators().size());
  for (dictionary::Module module : dictionary::AllModules()) {
    EXPECT_THAT(html, HasSubstr("<section id=\"module-" +
                                std::string(dictionary::ModuleName(module)) + "\">"));
  }
}

}  // namespace
}  // namespace opendtm::forms
