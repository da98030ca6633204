#include "ingest/dtm_api_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opendtm::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

const std::string kRealDir = std::string(OPENDTM_SHARED_DIR) + "/data/real/";

Rows ReadRows(RowReader& reader) {
  Rows rows;
  SourceRow row;
  while (true) {
    Result<bool> more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    rows.push_back(row.cells);
  }
  return rows;
}

TEST(DtmApiSourceTest, RealAdmin1Response) {
  auto source =
      DtmApiSource::Open(kRealDir + "dtm-api-v3-displacement-admin1-admin0pcode-hti.json", {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_THAT(
      (*source)->header().names,
      ElementsAre("id", "operation", "admin0Name", "admin0Pcode", "admin1Name", "admin1Pcode",
                  "numPresentIdpInd", "reportingDate", "yearReportingDate", "monthReportingDate",
                  "roundNumber", "displacementReason", "numberMales", "numberFemales",
                  "idpOriginAdmin1Name", "idpOriginAdmin1Pcode", "assessmentType", "adminLevel"));
  EXPECT_EQ((*source)->header().header_line, 0);
  const Rows rows = ReadRows(**source);
  ASSERT_EQ(rows.size(), 235u);
  EXPECT_THAT(rows[0],
              ElementsAre("42889", "Haiti Earthquake", "Haiti", "HTI", "Ouest", "HT01", "1059849",
                          "2010-11-30T00:00:00", "2010", "11", "1", "Natural disaster", "505192",
                          "554657", "Not available", "Not available", "SA", "1"));
  int unknown_males = 0;
  for (const auto& cells : rows) unknown_males += cells[12].empty() ? 1 : 0;
  EXPECT_EQ(unknown_males, 53);  // JSON null -> ""
}

TEST(DtmApiSourceTest, RealAdmin0ResponseHasNoId) {
  auto source =
      DtmApiSource::Open(kRealDir + "dtm-api-v3-displacement-admin0-admin0pcode-hti.json", {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const std::vector<std::string>& names = (*source)->header().names;
  ASSERT_EQ(names.size(), 15u);
  EXPECT_EQ(names.front(), "operation");
  EXPECT_EQ(names[13], "assessmentType");
  EXPECT_EQ(names[14], "adminLevel");
  const Rows rows = ReadRows(**source);
  ASSERT_EQ(rows.size(), 114u);
  EXPECT_EQ(rows[0][3], "1068882");
  EXPECT_EQ(rows[0][14], "0");
  EXPECT_EQ(rows.back()[13], "BA");
}

TEST(DtmApiSourceTest, Admin2LevelNumbersAndLaterFields) {
  auto source = DtmApiSource::Parse(
      R"({"result":[{"id":1,"admin1Pcode":"HT01","admin2Pcode":"HT0111","share":0.50,"big":1e3},
                    {"id":2,"admin1Pcode":"HT01","admin2Pcode":null,"flag":true}],
          "statusCode":200,"isSuccess":true,"errorMessages":[],"totalRecordsCount":2})",
      "inline.json", {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_THAT((*source)->header().names, ElementsAre("id", "admin1Pcode", "admin2Pcode", "share",
                                                     "big", "flag", "adminLevel"));
  const Rows rows = ReadRows(**source);
  EXPECT_THAT(rows, ElementsAre(ElementsAre("1", "HT01", "HT0111", "0.50", "1e3", "", "2"),
                                ElementsAre("2", "HT01", "", "", "", "true", "2")));
}

TEST(DtmApiSourceTest, BareArrayAndOwnAdminLevel) {
  auto source = DtmApiSource::Parse(R"([{"adminLevel":1,"x":"a"}])", "bare.json", {});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_THAT((*source)->header().names, ElementsAre("adminLevel", "x"));
  EXPECT_THAT(ReadRows(**source), ElementsAre(ElementsAre("1", "a")));
}

TEST(DtmApiSourceTest, Errors) {
  auto failed = DtmApiSource::Parse(
      R"({"result":[],"statusCode":400,"isSuccess":false,"errorMessages":["Operation is required"]})",
      "f.json", {});
  EXPECT_EQ(failed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(failed.status().message(),
              HasSubstr("f.json: the DTM API response reports a failure: Operation is required"));

  auto no_result = DtmApiSource::Parse(R"({"data":[]})", "n.json", {});
  EXPECT_THAT(no_result.status().message(), HasSubstr("no \"result\" array"));

  auto nested = DtmApiSource::Parse(R"({"result":[{"a":{"b":1}}]})", "x.json", {});
  EXPECT_THAT(nested.status().message(), HasSubstr("x.json: record 1: field 'a' holds an object"));

  auto scalar = DtmApiSource::Parse(R"({"result":[1]})", "s.json", {});
  EXPECT_THAT(scalar.status().message(), HasSubstr("record 1 is not an object"));

  auto malformed = DtmApiSource::Parse(R"({"result":[{"a":1,}]})", "m.json", {});
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(malformed.status().message(), HasSubstr("m.json: byte 19: malformed JSON"));

  EXPECT_EQ(DtmApiSource::Open("/nonexistent/x.json", {}).status().code(), StatusCode::kNotFound);
}

TEST(DtmApiSourceTest, Limits) {
  Limits rows;
  rows.max_rows = 1;
  EXPECT_EQ(DtmApiSource::Parse(R"({"result":[{"a":1},{"a":2}]})", "r.json", rows).status().code(),
            StatusCode::kResourceExhausted);
  Limits columns;
  columns.max_columns = 1;
  auto wide = DtmApiSource::Parse(R"({"result":[{"a":1,"b":2}]})", "c.json", columns);
  EXPECT_EQ(wide.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(wide.status().message(), HasSubstr("max_columns"));
  Limits field;
  field.max_field_bytes = 3;
  EXPECT_EQ(DtmApiSource::Parse(R"({"result":[{"a":"long"}]})", "b.json", field).status().code(),
            StatusCode::kResourceExhausted);
  Limits bytes;
  bytes.max_file_bytes = 10;
  EXPECT_EQ(
      DtmApiSource::Open(kRealDir + "dtm-api-v3-displacement-admin0-admin0pcode-hti.json", bytes)
          .status()
          .code(),
      StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace opendtm::ingest
