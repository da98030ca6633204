// OpenStore reads an operation under the dictionary its store holds, never a
// file of the reader (spec/disclosure.md: classes come from the operation).
#include "cli/store_access.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "dictionary/default_dictionary.h"

namespace opendtm::cli {
namespace {

class StoreAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("store_access_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    environment_.out = &out_;
    environment_.err = &err_;
    environment_.db_path = (dir_ / "opendtm.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The default dictionary with lighting raised to sensitive, version 2026.11.2.
  static std::string RaisedDictionary() {
    std::string text(dictionary::DefaultDictionaryYaml());
    text.replace(text.find("version: \"2026.11.1\""), 20, "version: \"2026.11.2\"");
    const size_t lighting = text.find("  - name: lighting\n");
    const size_t at = text.find("class: public", lighting);
    text.replace(at, 13, "class: sensitive");
    return text;
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
  Environment environment_;
};

TEST_F(StoreAccessTest, AnOperationIsReadUnderTheDictionaryItsStoreHolds) {
  int64_t operation_id = 0;
  {
    Result<OpenedStore> opened = OpenStore(environment_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(opened->dictionary.source_file(), dictionary::kDefaultDictionarySource);
    Result<store::Operation> created = opened->store->CreateOperation({0, "demo-nga", "NGA", ""});
    ASSERT_TRUE(created.ok());
    operation_id = created->id;
    store::OperationDictionary raised;
    raised.operation_id = operation_id;
    raised.dictionary_version = "2026.11.2";
    raised.content = RaisedDictionary();
    ASSERT_TRUE(opened->store->AddOperationDictionary(raised).ok());
    Result<dictionary::Dictionary> loaded = LoadOperationDictionary(*opened->store, operation_id);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->FindIndicator("lighting")->dissemination_class,
              dictionary::DisseminationClass::kSensitive);
  }
  environment_.operation = "demo-nga";
  Result<OpenedStore> opened = OpenStore(environment_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->dictionary.version(), "2026.11.2");
  EXPECT_EQ(opened->dictionary.FindIndicator("lighting")->dissemination_class,
            dictionary::DisseminationClass::kSensitive);
  EXPECT_TRUE(opened->store->GetOperation(operation_id).ok());

  // An operation that does not exist (yet) is read under the built-in default.
  environment_.operation = "elsewhere";
  Result<OpenedStore> other = OpenStore(environment_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->dictionary.version(), dictionary::DefaultDictionaryVersion());
}

TEST_F(StoreAccessTest, AnOperationWithoutADictionaryIsNotFound) {
  Result<OpenedStore> opened = OpenStore(environment_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(LoadOperationDictionary(*opened->store, 999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace opendtm::cli
