#include "service/alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "dictionary/loader.h"
#include "service/door.h"
#include "store/sqlite_store.h"

namespace opendtm::service {
namespace {

using ::testing::HasSubstr;

// A database with one operation, two alerts, and users of every tier: the
// door decides who may list and move them, and audits each try.
class AlertsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("alerts_service_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "opendtm.db").string();
    Result<dictionary::Dictionary> dictionary = dictionary::LoadDictionaryFile(
        std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    ASSERT_TRUE(dictionary.ok()) << dictionary.status().message();
    Result<std::unique_ptr<store::SqliteStore>> opened = store::SqliteStore::Open(db, *dictionary);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    files_ = audit::AuditFilesFor(db);
    Result<store::Operation> operation = store_->CreateOperation({0, "demo", "NGA", ""});
    ASSERT_TRUE(operation.ok());
    operation_ = *operation;
    store::Batch batch;
    batch.operation_id = operation_.id;
    batch.round = 1;
    auto ingest = store_->BeginIngest(batch);
    ASSERT_TRUE(ingest.ok()) << ingest.status().message();
    for (const char* site : {"S1", "S2"}) {
      store::Alert urgent;
      urgent.operation_id = operation_.id;
      urgent.round = 1;
      urgent.site_id = site;
      urgent.indicator = "uasc";
      urgent.value = "3";
      urgent.rule = "urgent_alert";
      urgent.created_at = "2026-02-01T10:00:00Z";
      ASSERT_TRUE((*ingest)->AddAlert(urgent).ok());
    }
    ASSERT_TRUE((*ingest)->Commit().ok());
    Result<store::Organisation> org = store_->AddOrganisation({0, "Partner", {"cccm"}, "", ""});
    ASSERT_TRUE(org.ok()) << org.status().message();
    for (auto [name, tier] : {std::pair{"pub.user", store::Tier::kPublic},
                              {"part.user", store::Tier::kPartner},
                              {"op.admin", store::Tier::kOperationAdmin}}) {
      store::User user;
      user.name = name;
      user.organisation_id = org->id;
      user.tiers = {{operation_.id, tier}};
      ASSERT_TRUE(store_->AddUser(user).ok()) << name;
    }
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
    session.time = "2026-12-08T01:00:00Z";
    return session;
  }

  std::vector<store::AuditRecord> Audit() {
    Result<std::vector<store::AuditRecord>> records = store_->AuditLog({});
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<store::AuditRecord>();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::SqliteStore> store_;
  audit::AuditFiles files_;
  store::Operation operation_;
};

TEST_F(AlertsServiceTest, PublicAndPartnerMayNotMoveAlertsAndTheirRefusalsAreAudited) {
  for (const char* name : {"pub.user", "part.user", "nobody"}) {
    Session session = SessionOf(Principal::User(name, "alice"));
    Result<store::Alert> moved = MoveAlert(session, {1, store::AlertStatus::kClosed, "spam"});
    ASSERT_FALSE(moved.ok()) << name;
    EXPECT_EQ(moved.status().code(), StatusCode::kPermissionDenied) << name;
  }
  Session anonymous = SessionOf(Principal::Anonymous());
  EXPECT_EQ(MoveAlert(anonymous, {1, store::AlertStatus::kClosed, "spam"}).status().code(),
            StatusCode::kPermissionDenied);
  // Nothing moved; four refusals audited, naming who and the alert.
  Result<store::Alert> alert = store_->FindAlert(1);
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->status, store::AlertStatus::kNew);
  const std::vector<store::AuditRecord> records = Audit();
  int refused = 0;
  for (const store::AuditRecord& record : records) {
    if (record.dataset != "alert close") continue;
    EXPECT_EQ(record.outcome, "refused");
    EXPECT_THAT(record.filters, HasSubstr("\"alert\":1"));
    EXPECT_EQ(record.operation_id, operation_.id);
    ++refused;
  }
  EXPECT_EQ(refused, 4);
}

TEST_F(AlertsServiceTest, TheOperationAdminAndTheInstanceAdminMoveAlertsAudited) {
  Session admin = SessionOf(Principal::User("op.admin", "alice"));
  Result<store::Alert> acked = MoveAlert(admin, {1, store::AlertStatus::kAcknowledged, "seen"});
  ASSERT_TRUE(acked.ok()) << acked.status().message();
  EXPECT_EQ(acked->status_by, "op.admin");
  EXPECT_EQ(acked->status_at, "2026-12-08T01:00:00Z");
  Session instance = SessionOf(Principal::InstanceAdmin("root"));
  Result<store::Alert> closed = MoveAlert(instance, {1, store::AlertStatus::kClosed, "referred"});
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status_by, "root");  // the operating-system user
  // A move the status does not allow is refused, and audited as such.
  Result<store::Alert> again = MoveAlert(instance, {1, store::AlertStatus::kClosed, "again"});
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  std::vector<std::string> outcomes;
  for (const store::AuditRecord& record : Audit()) {
    if (record.dataset.starts_with("alert ")) {
      outcomes.push_back(record.dataset + " " + record.user + " " + record.outcome);
    }
  }
  for (const store::AuditRecord& record : Audit()) {
    if (record.dataset.starts_with("alert ")) {
      EXPECT_EQ(record.os_user, record.user == "op.admin" ? "alice" : "root");
    }
  }
  EXPECT_THAT(outcomes, ::testing::ElementsAre("alert ack op.admin allowed",
                                               "alert close local-admin allowed",
                                               "alert close local-admin refused"));
  // No note, no move; an unknown alert is NotFound.
  EXPECT_EQ(MoveAlert(instance, {2, store::AlertStatus::kClosed, ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MoveAlert(instance, {99, store::AlertStatus::kClosed, "x"}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(AlertsServiceTest, ListingNeedsProtectionAndIsAuditedWithWhatItReturned) {
  Session partner = SessionOf(Principal::User("part.user", "alice"));
  AlertListRequest request;
  request.operation = "demo";
  request.format = "json";
  Result<AlertList> refused = ListAlerts(partner, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("needs tier protection"));
  Session admin = SessionOf(Principal::User("op.admin", "alice"));
  Result<AlertList> list = ListAlerts(admin, request);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->alerts.size(), 2u);
  const std::vector<store::AuditRecord> records = Audit();
  ASSERT_GE(records.size(), 2u);
  const store::AuditRecord& last = records.back();
  EXPECT_EQ(last.dataset, "alerts");
  EXPECT_EQ(last.outcome, "allowed");
  EXPECT_EQ(last.rows, 2);
  EXPECT_EQ(last.format, "json");
  EXPECT_EQ(last.content_hash.size(), 64u);
  EXPECT_EQ(records[records.size() - 2].outcome, "refused");
  EXPECT_EQ(AlertsJson(*list).size(), 2u);
}

TEST(DoorTest, InstanceOperationsAreForTheInstanceAdminOnly) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("door_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Result<dictionary::Dictionary> dictionary = dictionary::LoadDictionaryFile(
      std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
  ASSERT_TRUE(dictionary.ok());
  auto opened = store::SqliteStore::Open((dir / "opendtm.db").string(), *dictionary);
  ASSERT_TRUE(opened.ok());
  Session session;
  session.store = opened->get();
  session.audit_files = audit::AuditFilesFor((dir / "opendtm.db").string());
  session.principal = Principal::User("someone", "alice");
  Needs needs;
  needs.action = "organisation add";
  needs.instance = true;
  Result<Door> refused = Door::Enter(session, store::Operation{}, needs, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  session.principal = Principal::InstanceAdmin("alice");
  Result<Door> allowed = Door::Enter(session, store::Operation{}, needs, {});
  ASSERT_TRUE(allowed.ok()) << allowed.status().message();
  EXPECT_EQ(allowed->tier(), store::Tier::kOperationAdmin);
  EXPECT_TRUE(allowed->Allow({}).ok());
  EXPECT_FALSE(session.notices.empty());  // the new database's audit key
  opened->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opendtm::service
