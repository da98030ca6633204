#include "forms/xform_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "forms/form_builder.h"
#include "forms/internal/testing.h"
#include "forms/internal/xml_writer.h"

namespace opendtm::forms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class XFormWriterTest : public ::testing::Test {
 protected:
  std::string Write(FormOptions options = {}) {
    if (options.languages == std::vector<std::string>{"en"}) options.languages = {"en", "fr"};
    auto form = BuildForm(dictionary_, options);
    EXPECT_TRUE(form.ok()) << form.status().ToString();
    if (!form.ok()) return "";
    auto xml = WriteXForm(*form);
    EXPECT_TRUE(xml.ok()) << xml.status().ToString();
    return xml.ok() ? *xml : "";
  }

  dictionary::Dictionary dictionary_ = testing::SmallDictionary();
  geo::Gazetteer gazetteer_ = testing::SmallGazetteer();
};

SurveyRow Row(std::string type, std::string name) {
  SurveyRow row;
  row.type = std::move(type);
  row.name = std::move(name);
  return row;
}

Form TinyForm() {
  Form form;
  form.languages = {"en"};
  form.settings = {"Tiny", "tiny", "1", "English (en)"};
  SurveyRow row;
  row.type = "integer";
  row.name = "count";
  row.label = {{"en", "Count"}};
  form.survey.push_back(row);
  return form;
}

TEST_F(XFormWriterTest, DocumentSkeleton) {
  std::string xml = Write();
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<h:html "));
  EXPECT_THAT(xml, HasSubstr("xmlns=\"http://www.w3.org/2002/xforms\""));
  EXPECT_THAT(xml, HasSubstr("xmlns:h=\"http://www.w3.org/1999/xhtml\""));
  EXPECT_THAT(xml, HasSubstr("xmlns:jr=\"http://openrosa.org/javarosa\""));
  EXPECT_THAT(xml, HasSubstr("xmlns:orx=\"http://openrosa.org/xforms\""));
  EXPECT_THAT(xml, HasSubstr("xmlns:odk=\"http://www.opendatakit.org/xforms\""));
  EXPECT_THAT(xml, HasSubstr("<h:title>OpenDTM site assessment (MSLA) 2026.11.1</h:title>"));
  EXPECT_THAT(xml, HasSubstr("<data id=\"opendtm_msla\" version=\"2026.11.1\">"));
  EXPECT_THAT(xml, HasSubstr("<meta>\n            <instanceID/>\n          </meta>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/meta/instanceID\" type=\"string\" "
                             "readonly=\"true()\" calculate=\"concat('uuid:', uuid())\"/>"));
  EXPECT_THAT(xml, HasSubstr("</h:body>\n</h:html>\n"));
}

TEST_F(XFormWriterTest, GroupsNestTheInstanceAndTheBody) {
  std::string xml = Write();
  EXPECT_THAT(xml,
              HasSubstr("<site>\n            <site_id hxl=\"#loc+code\" dtm_code=\"1.1.c.1\"/>"));
  EXPECT_THAT(xml, HasSubstr("<group ref=\"/data/gbv_risk\">\n      <label "
                             "ref=\"jr:itext('/data/gbv_risk:label')\"/>"));
  EXPECT_THAT(xml, HasSubstr("<input ref=\"/data/site/site_id\">"));
}

TEST_F(XFormWriterTest, MetadataPreloads) {
  std::string xml = Write();
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/start\" type=\"dateTime\" "
                             "jr:preload=\"timestamp\" jr:preloadParams=\"start\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/end\" type=\"dateTime\" "
                             "jr:preload=\"timestamp\" jr:preloadParams=\"end\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/today\" type=\"date\" jr:preload=\"date\" "
                             "jr:preloadParams=\"today\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/deviceid\" type=\"string\" "
                             "jr:preload=\"property\" jr:preloadParams=\"deviceid\"/>"));
  EXPECT_THAT(xml, Not(HasSubstr("<input ref=\"/data/start\"")));
}

TEST_F(XFormWriterTest, BindsTranslateReferencesToPaths) {
  std::string xml = Write();
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/gbv_risk/women_committee\" type=\"string\" "
                             "required=\"true()\" "
                             "relevant=\"/data/site/smc_exists = 'yes'\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/population/m_total\" type=\"int\" "
                             "constraint=\". &gt;= 0\" jr:constraintMsg=\"jr:itext('"
                             "/data/population/m_total:jr:constraintMsg')\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/site/latitude\" type=\"string\" "
                             "calculate=\"selected-at(/data/site/location, 0)\"/>"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/site/location\" type=\"geopoint\"/>"));
  EXPECT_THAT(xml, HasSubstr("calculate=\"coalesce(/data/population/m_0_1, 0) + "
                             "coalesce(/data/population/m_1_5, 0)\""));
}

TEST_F(XFormWriterTest, NotesAreReadonlyInputsWithOutputsInTheirLabels) {
  std::string xml = Write();
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/population/sadd_m_check\" type=\"string\" "
                             "relevant=\"/data/population/m_total != '' and "
                             "/data/population/sadd_m_sum != /data/population/m_total\" "
                             "readonly=\"true()\"/>"));
  EXPECT_THAT(xml, HasSubstr("<input ref=\"/data/population/sadd_m_check\">"));
  EXPECT_THAT(xml, HasSubstr("<value>The age groups of males add up to <output "
                             "value=\"/data/population/sadd_m_sum\"/>, not <output "
                             "value=\"/data/population/m_total\"/>: please check</value>"));
  EXPECT_THAT(xml, Not(HasSubstr("<input ref=\"/data/population/sadd_m_sum\"")));
}

TEST_F(XFormWriterTest, ItextPerLanguageWithTheDefaultMarked) {
  std::string xml = Write();
  EXPECT_THAT(xml, HasSubstr("<translation default=\"true()\" lang=\"English (en)\">"));
  EXPECT_THAT(xml, HasSubstr("<translation lang=\"Français (fr)\">"));
  EXPECT_THAT(xml, HasSubstr("<text id=\"/data/site/smc_exists:label\">\n            "
                             "<value>Y a-t-il un comité de gestion ?</value>"));
  EXPECT_THAT(xml, HasSubstr("<text id=\"/data/services/priority_needs:hint\">\n            "
                             "<value>Jusqu'à trois</value>"));
  EXPECT_THAT(xml, HasSubstr("<hint ref=\"jr:itext('/data/services/priority_needs:hint')\"/>"));
  // Translated choices go through itext, from their list's instance.
  EXPECT_THAT(xml, HasSubstr("<text id=\"yes_no_unknown-0\">\n            <value>Oui</value>"));
  EXPECT_THAT(xml, HasSubstr("<item>\n            <itextId>yes_no_unknown-0</itextId>\n"
                             "            <name>yes</name>\n          </item>"));
  EXPECT_THAT(xml, HasSubstr("<select ref=\"/data/services/priority_needs\">"));
  EXPECT_THAT(xml, HasSubstr("<itemset nodeset=\"instance('need')/root/item\">\n"
                             "          <value ref=\"name\"/>\n"
                             "          <label ref=\"jr:itext(itextId)\"/>"));
  // A list labelled the same in every language keeps plain labels.
  EXPECT_THAT(xml,
              HasSubstr("<item>\n            <label>Camp</label>\n            <name>camp</name>"));
  EXPECT_THAT(xml, Not(HasSubstr("instance id=\"unused\"")));
}

TEST_F(XFormWriterTest, CascadingSelectsFilterTheirItemset) {
  FormOptions options;
  options.languages = {"en", "fr"};
  options.gazetteer = &gazetteer_;
  options.country = "NGA";
  std::string xml = Write(options);
  EXPECT_THAT(xml, HasSubstr("<select1 ref=\"/data/site/adm2_pcode\">"));
  EXPECT_THAT(xml, HasSubstr("<itemset nodeset=\"instance('adm2')/root/item"
                             "[adm1=/data/site/adm1_pcode]\">"));
  EXPECT_THAT(xml, HasSubstr("<itemset nodeset=\"instance('adm2')/root/item"
                             "[adm1=/data/mobility/origin_adm1_pcode]\">"));
  EXPECT_THAT(xml, HasSubstr("<instance id=\"adm2\">"));
  EXPECT_THAT(xml, HasSubstr("<item>\n            <label>Demsa</label>\n            "
                             "<name>NG002001</name>\n            <adm1>NG002</adm1>\n"));
  EXPECT_THAT(xml, HasSubstr("<bind nodeset=\"/data/site/adm0_pcode\" type=\"string\" "
                             "calculate=\"'NGA'\"/>"));
}

TEST_F(XFormWriterTest, EscapesLabels) {
  std::string xml = Write();
  EXPECT_THAT(xml, HasSubstr("<value>Are there &lt; 5 \"safe\" lights &amp; lamps?</value>"));
  EXPECT_THAT(xml, Not(HasSubstr("< 5")));
}

TEST_F(XFormWriterTest, EscapesSettings) {
  Form form = TinyForm();
  form.settings.form_title = "R&D <\"test\">";
  form.settings.version = "1\"2";
  auto xml = WriteXForm(form);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  EXPECT_THAT(*xml, HasSubstr("<h:title>R&amp;D &lt;\"test\"&gt;</h:title>"));
  EXPECT_THAT(*xml, HasSubstr("version=\"1&quot;2\""));
}

TEST(XFormWriterErrorsTest, RefusesMalformedForms) {
  Form form = TinyForm();
  form.survey[0].type = "barcode_scanner";
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("unknown question type"));

  form = TinyForm();
  form.survey[0].relevant = "${nowhere} = 1";
  auto result = WriteXForm(form);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("${nowhere}"));

  form = TinyForm();
  form.survey.push_back(form.survey[0]);
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("used twice"));

  form = TinyForm();
  form.survey.insert(form.survey.begin(), Row("begin_group", "g"));
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("without an end_group"));

  form = TinyForm();
  form.survey.push_back(Row("end_group", "g"));
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("end_group without"));

  form = TinyForm();
  form.survey[0].name = "two words";
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("invalid name"));

  form = TinyForm();
  form.survey[0].type = "select_one missing";
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("'missing' has no choices"));

  form = TinyForm();
  form.survey[0].label.clear();
  EXPECT_THAT(WriteXForm(form).status().message(), HasSubstr("needs a label"));

  form = TinyForm();
  form.settings.form_id = "";
  EXPECT_EQ(WriteXForm(form).status().code(), StatusCode::kInvalidArgument);
}

TEST(XmlEscapingTest, EscapesMarkupAndDropsWhatXmlCannotCarry) {
  using internal::EscapeXmlAttribute;
  using internal::EscapeXmlText;
  EXPECT_EQ(EscapeXmlText("a < b & c > \"d\" 'e'"), "a &lt; b &amp; c &gt; \"d\" 'e'");
  EXPECT_EQ(EscapeXmlAttribute("a < b & \"d\" 'e'\n"), "a &lt; b &amp; &quot;d&quot; 'e'&#10;");
  EXPECT_EQ(EscapeXmlText(std::string("bell\x07 nul") + '\0' + "!"), "bell nul!");
  EXPECT_EQ(EscapeXmlText("caf\xC3\xA9 \xE2\x82\xAC"), "café €");
  EXPECT_EQ(EscapeXmlText("bad \xC3( byte"), "bad \xEF\xBF\xBD( byte");
  EXPECT_EQ(EscapeXmlText("overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(XmlWriterTest, WritesMixedContentOnOneLine) {
  internal::XmlWriter xml;
  xml.Open("a", {{"k", "v&"}});
  xml.OpenInline("value");
  xml.InlineText("x < ");
  xml.InlineEmpty("output", {{"value", "/data/y"}});
  xml.CloseInline();
  xml.TextElement("t", "");
  xml.Close();
  EXPECT_EQ(std::move(xml).Finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"v&amp;\">\n  <value>x &lt; <output "
            "value=\"/data/y\"/></value>\n  <t/>\n</a>\n");
}

}  // namespace
}  // namespace opendtm::forms
