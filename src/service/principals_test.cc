#include "service/principals.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "dictionary/loader.h"
#include "store/sqlite_store.h"

namespace opendtm::service {
namespace {

using ::testing::HasSubstr;

// Organisations and users are the instance admin's; a tier is granted by the
// operation's operation_admin. Every try is audited.
class PrincipalsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("principals_service_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "opendtm.db").string();
    Result<dictionary::Dictionary> dictionary = dictionary::LoadDictionaryFile(
        std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    ASSERT_TRUE(dictionary.ok());
    auto opened = store::SqliteStore::Open(db, *dictionary);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    files_ = audit::AuditFilesFor(db);
    for (const char* name : {"north", "south"}) {
      Result<store::Operation> operation = store_->CreateOperation({0, name, "NGA", ""});
      ASSERT_TRUE(operation.ok());
      operations_.push_back(*operation);
    }
    Session admin = SessionOf(Principal::InstanceAdmin("root"));
    ASSERT_TRUE(AddOrganisation(admin, "DTM", {"dtm"}).ok());
    ASSERT_TRUE(
        AddUser(admin, "north.admin", "DTM", {{operations_[0].id, store::Tier::kOperationAdmin}})
            .ok());
    ASSERT_TRUE(AddUser(admin, "reader", "DTM", {}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Session SessionOf(Principal principal) {
    Session session;
    session.store = store_.get();
    session.audit_files = files_;
    session.principal = std::move(principal);
    return session;
  }

  int64_t Audited(const std::string& action, const std::string& outcome) {
    Result<std::vector<store::AuditRecord>> records = store_->AuditLog({});
    EXPECT_TRUE(records.ok());
    int64_t count = 0;
    for (const store::AuditRecord& record : *records) {
      count += record.dataset == action && record.outcome == outcome ? 1 : 0;
    }
    return count;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::SqliteStore> store_;
  audit::AuditFiles files_;
  std::vector<store::Operation> operations_;
};

TEST_F(PrincipalsServiceTest, OnlyTheInstanceAdminManagesOrganisationsAndUsers) {
  Session admin = SessionOf(Principal::User("north.admin", "alice"));
  Result<store::Organisation> org = AddOrganisation(admin, "Media", {"media"});
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(org.status().message(), HasSubstr("organisation add is for the instance admin"));
  EXPECT_EQ(RevokeOrganisation(admin, "DTM").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AddUser(admin, "eve", "DTM", {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(RevokeUser(admin, "reader").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Audited("organisation add", "refused"), 1);
  EXPECT_EQ(Audited("organisation revoke", "refused"), 1);
  EXPECT_EQ(Audited("user add", "refused"), 1);
  EXPECT_EQ(Audited("user revoke", "refused"), 1);
  Result<store::Organisation> still = store_->FindOrganisation("DTM");
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->revoked_at.empty());

  Session instance = SessionOf(Principal::InstanceAdmin("root"));
  EXPECT_TRUE(RevokeUser(instance, "reader").ok());
  EXPECT_EQ(Audited("user revoke", "allowed"), 1);
  EXPECT_EQ(Audited("user add", "allowed"), 2);
}

TEST_F(PrincipalsServiceTest, TiersAreGrantedByTheOperationsAdminForThatOperationOnly) {
  Session admin = SessionOf(Principal::User("north.admin", "alice"));
  EXPECT_TRUE(SetUserTiers(admin, "reader", {{operations_[0].id, store::Tier::kPartner}}).ok());
  // South is not north.admin's: nothing is set, not even north's.
  Status refused = SetUserTiers(
      admin, "reader",
      {{operations_[0].id, store::Tier::kProtection}, {operations_[1].id, store::Tier::kPartner}});
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.message(), HasSubstr("user tier of south (NGA) needs tier operation_admin"));
  Result<store::User> reader = store_->FindUser("reader");
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ(reader->tiers.size(), 1u);
  EXPECT_EQ(reader->tiers[0].tier, store::Tier::kPartner);
  EXPECT_EQ(Audited("user tier", "allowed"), 1);
  EXPECT_EQ(Audited("user tier", "refused"), 1);
  // Lists are audited reads.
  Session reading = SessionOf(Principal::User("reader", "bob"));
  Result<std::vector<store::User>> users = ListUsers(reading);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 2u);
  EXPECT_EQ(Audited("user list", "allowed"), 1);
}

}  // namespace
}  // namespace opendtm::service
