#include "ingest/personal_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dictionary/testing.h"

namespace opendtm::ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const dictionary::Dictionary& Default() { return dictionary::testing::DefaultDictionary(); }

SourceHeader Header(std::vector<std::string> names) {
  SourceHeader header;
  header.source_name = "export.csv";
  header.names = std::move(names);
  return header;
}

TEST(PersonalDataTest, PhoneNumbersAreToldFromCountsDatesAndCodes) {
  for (const char* phone : {"+977 98 4100 1234", "098-765-4321", "0771234567", "(01) 441 2345",
                            " +2348031234567 ", "+509 3712-3456"}) {
    EXPECT_EQ(ClassifyPersonalValue(phone), PersonalValueKind::kPhoneNumber) << phone;
  }
  for (const char* other : {"1234567", "12345678", "-12345678", "2015-05-21", "21-05-2015",
                            "12/05/2015", "123 456", "0123", "27.7172 85.3240", "NP-2345678",
                            "Camp 0771234567 area", "", "  ", "12,419", "1-2-3", "S-0001"}) {
    EXPECT_EQ(ClassifyPersonalValue(other), PersonalValueKind::kNone) << other;
  }
}

TEST(PersonalDataTest, EmailAddressesAnywhereInTheValue) {
  EXPECT_EQ(ClassifyPersonalValue("maya.tamang@example.org"), PersonalValueKind::kEmailAddress);
  EXPECT_EQ(ClassifyPersonalValue("write to sita@mail.np please"),
            PersonalValueKind::kEmailAddress);
  for (const char* other : {"meet @ 5.30pm", "@handle", "a@b", "user@.org", "user@org."}) {
    EXPECT_EQ(ClassifyPersonalValue(other), PersonalValueKind::kNone) << other;
  }
  EXPECT_EQ(DescribePersonalValue(PersonalValueKind::kPhoneNumber), "looks like a phone number");
  EXPECT_EQ(DescribePersonalValue(PersonalValueKind::kEmailAddress),
            "looks like an e-mail address");
}

TEST(PersonalDataTest, HeadersOfContactDetailsAndNames) {
  for (const char* personal :
       {"Phone of focal point", "focal_tel", "group/mobile_number", "E-mail", "email_address",
        "Contact person", "Name of the respondent", "name of key informant", "Name of enumerator",
        "KI name", "respondent_name", "Enumerator's name", "Téléphone du point focal",
        "site/telephone"}) {
    EXPECT_TRUE(HeaderLooksPersonal(personal)) << personal;
  }
  for (const char* other : {"site/site_name", "site_id", "Site Name", "1.1.e.3 District",
                            "adm2_pcode", "population/hh_total", "hotel", "satellite_image",
                            "Total number of IDP individuals", "name of site", "_submitted_by"}) {
    EXPECT_FALSE(HeaderLooksPersonal(other)) << other;
  }
}

TEST(PersonalDataTest, AHeaderOfContactDetailsMappedOntoAnIndicatorIsRefused) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / "opendtm_personal_data_mapping.yaml";
  std::ofstream(path) << "columns:\n  \"Focal point name\": site_name\n";
  Result<MappingFile> file = LoadMappingFile(path.string(), Default());
  std::filesystem::remove(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  SourceHeader header = Header({"site_id", "Focal point name"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), &*file);
  ASSERT_TRUE(mapping.ok());
  Status status = CheckPersonalHeaders(header, *mapping, nullptr, Default());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("column 'Focal point name'"));
  EXPECT_THAT(status.message(), HasSubstr("mapping file"));
  EXPECT_THAT(status.message(), HasSubstr("site_name"));

  // The mapping file's line is refused even when another column feeds the
  // indicator first (the contact column would only be dropped as a duplicate).
  SourceHeader both = Header({"site_id", "site_name", "Focal point name"});
  Result<ColumnMapping> duplicate = ColumnMapping::Build(both, Default(), &*file);
  ASSERT_TRUE(duplicate.ok());
  EXPECT_EQ(duplicate->bindings()[2].role, ColumnRole::kUnmapped);
  EXPECT_TRUE(CheckPersonalHeaders(both, *duplicate, nullptr, Default()).ok());
  EXPECT_EQ(CheckPersonalHeaders(both, *duplicate, &*file, Default()).code(),
            StatusCode::kInvalidArgument);

  // Onto a pii indicator (dropped at ingest) or unmapped: accepted.
  SourceHeader pii = Header({"site_id", "smc_focal_phone", "Phone of focal point"});
  Result<ColumnMapping> to_pii = ColumnMapping::Build(pii, Default(), nullptr);
  ASSERT_TRUE(to_pii.ok());
  EXPECT_TRUE(CheckPersonalHeaders(pii, *to_pii, nullptr, Default()).ok());
}

TEST(PersonalDataTest, AColumnOfPhoneNumbersMappedOntoAnIndicatorIsRefused) {
  SourceHeader header = Header({"site_id", "site_name", "ind_total"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  PersonalValueCheck check(*mapping, Default());
  check.Add({2, {"0771234567", "+977 98 4100 1234", "1 250"}});
  check.Add({3, {"0771234568", "Camp Two", "12"}});
  // One phone among two names: a slip, left to the validator.
  EXPECT_TRUE(check.Check(header).ok());
  check.Add({4, {"0771234569", "sita@mail.np", "3"}});
  Status status = check.Check(header);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("column 'site_name'"));
  EXPECT_THAT(status.message(), HasSubstr("2 of its 3 values"));
  EXPECT_THAT(status.message(), Not(HasSubstr("4100")));
  // Site IDs are codes, even phone-shaped ones: never counted.
  EXPECT_THAT(status.message(), Not(HasSubstr("site_id")));
}

TEST(PersonalDataTest, PeopleCountsAreNotPhoneNumbers) {
  SourceHeader header = Header({"site_id", "ind_total", "hh_total"});
  Result<ColumnMapping> mapping = ColumnMapping::Build(header, Default(), nullptr);
  ASSERT_TRUE(mapping.ok());
  PersonalValueCheck check(*mapping, Default());
  for (int row = 2; row < 50; ++row) {
    check.Add({row, {"S" + std::to_string(row), std::to_string(1000000 + row * 37), "12,419"}});
  }
  EXPECT_TRUE(check.Check(header).ok());
}

}  // namespace
}  // namespace opendtm::ingest
