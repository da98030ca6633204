// Principals (organisations, users, data sharing agreements), disclosure
// policy versions and the audit log of SqliteStore (migration 8).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "store/internal/schema.h"
#include "store/sqlite_store.h"

namespace opendtm::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

dictionary::Dictionary SmallDictionary() {
  Result<dictionary::Dictionary> loaded =
      dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "test.yaml");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : dictionary::Dictionary();
}

// A stand-in for audit/audit_log.h's hash: it names what the chain depends
// on, so that a test can see that seq and prev_hash were set before hashing.
std::string FakeChainHash(const AuditRecord& record) {
  return "h" + std::to_string(record.seq) + "(" + record.prev_hash + "|" + record.user + ")";
}

// A stand-in for audit/audit_log.h's linker: key "k1", FakeChainHash.
Status FakeLink(AuditRecord& record, const AuditRecord* /*previous*/) {
  record.key_id = "k1";
  record.hash = FakeChainHash(record);
  return Status::Ok();
}

AuditRecord Read(const std::string& time, const std::string& user, int64_t operation_id) {
  AuditRecord record;
  record.time = time;
  record.user = user;
  record.organisation = "UNFPA";
  record.clusters = "gbv,protection";
  record.tier = "protection";
  record.operation_id = operation_id;
  record.operation = operation_id == 0 ? "" : "demo (NGA)";
  record.dataset = "export";
  record.filters = R"({"round":3})";
  record.rows = 120;
  record.columns = 14;
  record.format = "csv";
  record.content_hash = std::string(64, 'c');
  record.dsa = "DSA-NGA-2026-014";
  record.purpose = "GBV referral planning";
  record.outcome = "allowed";
  record.policy_version = 2;
  return record;
}

// Runs `sql` on the database file through a connection of its own (as
// someone with the file and the sqlite3 shell would); returns SQLite's result
// code and puts its message in `message`.
int ExecuteOnFile(const std::string& path, const std::string& sql, std::string& message) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* error = nullptr;
  int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  return code;
}

// The first column of every row of `sql` on the database file, as text.
std::vector<std::string> QueryFile(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    rows.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

class PrincipalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dictionary_ = SmallDictionary();
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(":memory:", dictionary_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Result<Operation> nga = store_->CreateOperation({0, "demo-nga", "NGA", "WCA"});
    Result<Operation> tcd = store_->CreateOperation({0, "demo-tcd", "TCD", "WCA"});
    ASSERT_TRUE(nga.ok() && tcd.ok());
    nga_ = *nga;
    tcd_ = *tcd;
  }

  void TearDown() override {
    store_.reset();
    for (const std::string& path : temp_paths_) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path + suffix);
      }
    }
  }

  std::string TempPath(const std::string& name) {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("opendtm_principals_" + std::to_string(::getpid()) + "_" + name + ".db"))
                           .string();
    temp_paths_.push_back(path);
    return path;
  }

  Organisation AddOrganisation(const std::string& name, std::vector<std::string> clusters) {
    Result<Organisation> added =
        store_->AddOrganisation({0, name, std::move(clusters), "2026-01-10T09:00:00Z", ""});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : Organisation();
  }

  DataSharingAgreement MakeDsa(const std::string& reference, int64_t organisation_id) const {
    DataSharingAgreement dsa;
    dsa.reference = reference;
    dsa.organisation_id = organisation_id;
    dsa.operation_ids = {nga_.id};
    dsa.tier = Tier::kProtection;
    dsa.valid_from = "2026-01-01";
    dsa.valid_to = "2026-12-31";
    dsa.purpose = "GBV referral planning";
    dsa.created_at = "2026-01-10T09:00:00Z";
    return dsa;
  }

  PolicyVersion MakePolicy(int64_t operation_id, const std::string& rules) const {
    return PolicyVersion{operation_id,      0,        rules, "2026-01-10T09:00:00Z",
                         "imo@example.org", "initial"};
  }

  dictionary::Dictionary dictionary_;
  std::unique_ptr<SqliteStore> store_;
  Operation nga_;
  Operation tcd_;
  std::vector<std::string> temp_paths_;
};

// ---- Organisations ----------------------------------------------------------------

TEST_F(PrincipalsTest, OrganisationsRoundTripWithTheirClustersInLowerCase) {
  Organisation unfpa = AddOrganisation("UNFPA", {"GBV", " Protection", "gbv"});
  EXPECT_GT(unfpa.id, 0);
  EXPECT_THAT(unfpa.clusters, ElementsAre("gbv", "protection"));
  EXPECT_EQ(unfpa.revoked_at, "");
  Organisation acted = AddOrganisation("ACTED", {"cccm"});

  Result<Organisation> found = store_->FindOrganisation("UNFPA");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, unfpa.id);
  EXPECT_THAT(found->clusters, ElementsAre("gbv", "protection"));
  EXPECT_EQ(found->created_at, "2026-01-10T09:00:00Z");
  Result<Organisation> by_id = store_->GetOrganisation(acted.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->name, "ACTED");
  EXPECT_THAT(by_id->clusters, ElementsAre("cccm"));

  Result<std::vector<Organisation>> listed = store_->ListOrganisations();
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[0].name, "ACTED");  // by name
  EXPECT_EQ((*listed)[1].name, "UNFPA");
}

TEST_F(PrincipalsTest, AnOrganisationWithoutClustersHasNone) {
  Organisation donor = AddOrganisation("Donor A", {});
  Result<Organisation> found = store_->FindOrganisation("Donor A");
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(found->clusters, IsEmpty());
  EXPECT_EQ(found->id, donor.id);
}

TEST_F(PrincipalsTest, AddingAnOrganisationRefusesBadRecordsAndTakenNames) {
  EXPECT_EQ(store_->AddOrganisation({0, "", {"gbv"}, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddOrganisation({0, "UNFPA", {"gbv", " "}, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  // The audit log writes an organisation's clusters comma-separated.
  EXPECT_EQ(store_->AddOrganisation({0, "UNFPA", {"gbv,protection"}, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  AddOrganisation("UNFPA", {"gbv"});
  Result<Organisation> again = store_->AddOrganisation({0, "UNFPA", {"cccm"}, "", ""});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("UNFPA"));
  // A revoked organisation keeps its name.
  ASSERT_TRUE(store_->RevokeOrganisation("UNFPA", "2026-02-01T00:00:00Z").ok());
  EXPECT_EQ(store_->AddOrganisation({0, "UNFPA", {"gbv"}, "", ""}).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(PrincipalsTest, UnknownOrganisationsAreNotFound) {
  EXPECT_EQ(store_->FindOrganisation("nobody").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetOrganisation(99).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeOrganisation("nobody", "2026-02-01").code(), StatusCode::kNotFound);
}

TEST_F(PrincipalsTest, AnOrganisationIsRevokedOnceAndKept) {
  AddOrganisation("UNFPA", {"gbv"});
  EXPECT_EQ(store_->RevokeOrganisation("UNFPA", "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->RevokeOrganisation("UNFPA", "2026-02-01T00:00:00Z").ok());
  Status twice = store_->RevokeOrganisation("UNFPA", "2026-03-01T00:00:00Z");
  EXPECT_EQ(twice.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(twice.message(), HasSubstr("2026-02-01T00:00:00Z"));
  Result<std::vector<Organisation>> listed = store_->ListOrganisations();
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(1));
  EXPECT_EQ((*listed)[0].revoked_at, "2026-02-01T00:00:00Z");
}

// ---- Users ------------------------------------------------------------------------

TEST_F(PrincipalsTest, UsersRoundTripWithTheirTiersByOperation) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  User user;
  user.name = "amina";
  user.organisation_id = unfpa.id;
  user.tiers = {{tcd_.id, Tier::kPartner}, {nga_.id, Tier::kProtection}};
  user.created_at = "2026-01-11T09:00:00Z";
  Result<User> added = store_->AddUser(user);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_GT(added->id, 0);
  ASSERT_THAT(added->tiers, SizeIs(2));
  EXPECT_EQ(added->tiers[0].operation_id, nga_.id);  // by operation_id
  EXPECT_EQ(added->tiers[0].tier, Tier::kProtection);

  User other;
  other.name = "ben";
  other.organisation_id = unfpa.id;
  ASSERT_TRUE(store_->AddUser(other).ok());

  Result<User> found = store_->FindUser("amina");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, added->id);
  EXPECT_EQ(found->organisation_id, unfpa.id);
  EXPECT_EQ(found->created_at, "2026-01-11T09:00:00Z");
  EXPECT_EQ(found->revoked_at, "");
  ASSERT_THAT(found->tiers, SizeIs(2));
  EXPECT_EQ(found->tiers[0].operation_id, nga_.id);
  EXPECT_EQ(found->tiers[0].tier, Tier::kProtection);
  EXPECT_EQ(found->tiers[1].operation_id, tcd_.id);
  EXPECT_EQ(found->tiers[1].tier, Tier::kPartner);

  Result<std::vector<User>> listed = store_->ListUsers();
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[0].name, "amina");
  EXPECT_THAT((*listed)[0].tiers, SizeIs(2));
  EXPECT_EQ((*listed)[1].name, "ben");
  EXPECT_THAT((*listed)[1].tiers, IsEmpty());  // public everywhere
}

TEST_F(PrincipalsTest, AddingAUserRefusesBadRecordsUnknownReferencesAndTakenNames) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  User user;
  user.name = "";
  user.organisation_id = unfpa.id;
  EXPECT_EQ(store_->AddUser(user).status().code(), StatusCode::kInvalidArgument);
  user.name = "amina";
  user.tiers = {{nga_.id, Tier::kPartner}, {nga_.id, Tier::kProtection}};
  Result<User> twice = store_->AddUser(user);
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.status().message(), HasSubstr("twice"));
  user.tiers = {{nga_.id, Tier::kPartner}, {999, Tier::kPartner}};
  EXPECT_EQ(store_->AddUser(user).status().code(), StatusCode::kNotFound);
  user.tiers = {{nga_.id, Tier::kPartner}};
  user.organisation_id = 999;
  EXPECT_EQ(store_->AddUser(user).status().code(), StatusCode::kNotFound);
  // Nothing of the refused users was stored.
  EXPECT_EQ(store_->FindUser("amina").status().code(), StatusCode::kNotFound);
  user.organisation_id = unfpa.id;
  ASSERT_TRUE(store_->AddUser(user).ok());
  EXPECT_EQ(store_->AddUser(user).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(PrincipalsTest, SettingAUsersTierAddsOrReplacesIt) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  User user;
  user.name = "amina";
  user.organisation_id = unfpa.id;
  user.tiers = {{nga_.id, Tier::kPartner}};
  ASSERT_TRUE(store_->AddUser(user).ok());

  ASSERT_TRUE(store_->SetUserTier("amina", {nga_.id, Tier::kOperationAdmin}).ok());
  ASSERT_TRUE(store_->SetUserTier("amina", {tcd_.id, Tier::kPublic}).ok());
  Result<User> found = store_->FindUser("amina");
  ASSERT_TRUE(found.ok());
  ASSERT_THAT(found->tiers, SizeIs(2));
  EXPECT_EQ(found->tiers[0].operation_id, nga_.id);
  EXPECT_EQ(found->tiers[0].tier, Tier::kOperationAdmin);
  EXPECT_EQ(found->tiers[1].operation_id, tcd_.id);
  EXPECT_EQ(found->tiers[1].tier, Tier::kPublic);

  EXPECT_EQ(store_->SetUserTier("nobody", {nga_.id, Tier::kPartner}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetUserTier("amina", {999, Tier::kPartner}).code(), StatusCode::kNotFound);
}

TEST_F(PrincipalsTest, AUserIsRevokedOnce) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  User user;
  user.name = "amina";
  user.organisation_id = unfpa.id;
  ASSERT_TRUE(store_->AddUser(user).ok());
  EXPECT_EQ(store_->FindUser("nobody").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeUser("nobody", "2026-02-01").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeUser("amina", "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->RevokeUser("amina", "2026-02-01T00:00:00Z").ok());
  EXPECT_EQ(store_->RevokeUser("amina", "2026-02-02T00:00:00Z").code(),
            StatusCode::kFailedPrecondition);
  Result<User> found = store_->FindUser("amina");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->revoked_at, "2026-02-01T00:00:00Z");
  EXPECT_THAT(*store_->ListUsers(), SizeIs(1));  // revoked users are listed
}

// ---- Data sharing agreements ------------------------------------------------------------

TEST_F(PrincipalsTest, ADsaCoversSeveralOperationsInAscendingOrder) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  DataSharingAgreement dsa = MakeDsa("DSA-NGA-2026-014", unfpa.id);
  dsa.operation_ids = {tcd_.id, nga_.id, tcd_.id};
  Result<DataSharingAgreement> added = store_->AddDsa(dsa);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_GT(added->id, 0);
  EXPECT_THAT(added->operation_ids, ElementsAre(nga_.id, tcd_.id));

  Result<DataSharingAgreement> found = store_->FindDsa("DSA-NGA-2026-014");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, added->id);
  EXPECT_EQ(found->organisation_id, unfpa.id);
  EXPECT_THAT(found->operation_ids, ElementsAre(nga_.id, tcd_.id));
  EXPECT_EQ(found->tier, Tier::kProtection);
  EXPECT_EQ(found->valid_from, "2026-01-01");
  EXPECT_EQ(found->valid_to, "2026-12-31");
  EXPECT_EQ(found->purpose, "GBV referral planning");
  EXPECT_EQ(found->created_at, "2026-01-10T09:00:00Z");
  EXPECT_EQ(found->revoked_at, "");

  // One day is a valid period; the DTM API's midnight form is read as its date.
  DataSharingAgreement one_day = MakeDsa("DSA-A-1", unfpa.id);
  one_day.tier = Tier::kPartner;
  one_day.valid_from = "2026-05-04T00:00:00";
  one_day.valid_to = "2026-05-04";
  Result<DataSharingAgreement> short_one = store_->AddDsa(one_day);
  ASSERT_TRUE(short_one.ok()) << short_one.status().ToString();
  EXPECT_EQ(short_one->valid_from, "2026-05-04");

  Result<std::vector<DataSharingAgreement>> listed = store_->ListDsas();
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[0].reference, "DSA-A-1");  // by reference
  EXPECT_EQ((*listed)[0].tier, Tier::kPartner);
  EXPECT_THAT((*listed)[0].operation_ids, ElementsAre(nga_.id));
  EXPECT_EQ((*listed)[1].reference, "DSA-NGA-2026-014");
  EXPECT_THAT((*listed)[1].operation_ids, ElementsAre(nga_.id, tcd_.id));
}

TEST_F(PrincipalsTest, AddingADsaRefusesBadRecordsUnknownReferencesAndTakenReferences) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  DataSharingAgreement dsa = MakeDsa("", unfpa.id);
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kInvalidArgument);
  dsa = MakeDsa("DSA-1", unfpa.id);
  dsa.operation_ids.clear();
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kInvalidArgument);
  dsa = MakeDsa("DSA-1", unfpa.id);
  dsa.valid_from = "2026-06-01";
  dsa.valid_to = "2026-05-31";
  Result<DataSharingAgreement> backwards = store_->AddDsa(dsa);
  EXPECT_EQ(backwards.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(backwards.status().message(), HasSubstr("before"));
  dsa = MakeDsa("DSA-1", unfpa.id);
  dsa.valid_to = "31/12/2026";
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kInvalidArgument);
  dsa = MakeDsa("DSA-1", unfpa.id);
  dsa.valid_from = "";
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kInvalidArgument);

  dsa = MakeDsa("DSA-1", 999);
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kNotFound);
  dsa = MakeDsa("DSA-1", unfpa.id);
  dsa.operation_ids = {nga_.id, 999};
  EXPECT_EQ(store_->AddDsa(dsa).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindDsa("DSA-1").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->AddDsa(MakeDsa("DSA-1", unfpa.id)).ok());
  EXPECT_EQ(store_->AddDsa(MakeDsa("DSA-1", unfpa.id)).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(PrincipalsTest, ADsaIsRevokedOnceAndStillListed) {
  Organisation unfpa = AddOrganisation("UNFPA", {"gbv"});
  ASSERT_TRUE(store_->AddDsa(MakeDsa("DSA-1", unfpa.id)).ok());
  EXPECT_EQ(store_->RevokeDsa("DSA-9", "2026-02-01").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeDsa("DSA-1", "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->RevokeDsa("DSA-1", "2026-02-01T00:00:00Z").ok());
  EXPECT_EQ(store_->RevokeDsa("DSA-1", "2026-02-02T00:00:00Z").code(),
            StatusCode::kFailedPrecondition);
  Result<std::vector<DataSharingAgreement>> listed = store_->ListDsas();
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(1));
  EXPECT_EQ((*listed)[0].revoked_at, "2026-02-01T00:00:00Z");
}

// ---- Disclosure policy ----------------------------------------------------------------

TEST_F(PrincipalsTest, PolicyVersionsAreNumberedPerOperation) {
  for (const char* rules : {R"({"k_sites":3})", R"({"k_sites":4})", R"({"k_sites":5})"}) {
    ASSERT_TRUE(store_->AddPolicyVersion(MakePolicy(nga_.id, rules)).ok());
  }
  Result<PolicyVersion> other = store_->AddPolicyVersion(MakePolicy(tcd_.id, R"({"k_sites":3})"));
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->version, 1);

  Result<PolicyVersion> current = store_->CurrentPolicy(nga_.id);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->operation_id, nga_.id);
  EXPECT_EQ(current->version, 3);
  EXPECT_EQ(current->rules, R"({"k_sites":5})");
  EXPECT_EQ(current->created_at, "2026-01-10T09:00:00Z");
  EXPECT_EQ(current->created_by, "imo@example.org");
  EXPECT_EQ(current->note, "initial");

  Result<std::vector<PolicyVersion>> history = store_->PolicyHistory(nga_.id);
  ASSERT_TRUE(history.ok());
  ASSERT_THAT(*history, SizeIs(3));
  for (int version_idx = 0; version_idx < 3; ++version_idx) {
    EXPECT_EQ((*history)[version_idx].version, version_idx + 1);  // oldest first
  }
  EXPECT_EQ((*history)[0].rules, R"({"k_sites":3})");
  EXPECT_THAT(*store_->PolicyHistory(tcd_.id), SizeIs(1));
}

TEST_F(PrincipalsTest, APolicyNeedsAnOperationAndRules) {
  EXPECT_EQ(store_->CurrentPolicy(nga_.id).status().code(), StatusCode::kNotFound);
  EXPECT_THAT(*store_->PolicyHistory(nga_.id), IsEmpty());
  EXPECT_EQ(store_->AddPolicyVersion(MakePolicy(999, "{}")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AddPolicyVersion(MakePolicy(nga_.id, "")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CurrentPolicy(nga_.id).status().code(), StatusCode::kNotFound);
}

// ---- Audit log ----------------------------------------------------------------------

TEST_F(PrincipalsTest, AuditRecordsAreNumberedAndChained) {
  AuditRecord first = Read("2026-03-01T10:00:00Z", "amina", nga_.id);
  first.seq = 42;              // assigned by the store
  first.prev_hash = "forged";  // idem
  first.hash = "caller's";     // not part of what is hashed
  Result<AuditRecord> appended = store_->AppendAudit(first, FakeLink);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->seq, 1);
  EXPECT_EQ(appended->prev_hash, "");
  EXPECT_EQ(appended->hash, "h1(|amina)");
  Result<AuditRecord> second =
      store_->AppendAudit(Read("2026-03-01T11:00:00Z", "ben", 0), FakeLink);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, "h1(|amina)");
  EXPECT_EQ(second->hash, "h2(h1(|amina)|ben)");

  Result<std::vector<AuditRecord>> log = store_->AuditLog({});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_THAT(*log, SizeIs(2));
  const AuditRecord& stored = (*log)[0];
  const AuditRecord expected = *appended;
  EXPECT_EQ(stored.seq, 1);
  EXPECT_EQ(stored.time, expected.time);
  EXPECT_EQ(stored.user, "amina");
  EXPECT_EQ(stored.organisation, "UNFPA");
  EXPECT_EQ(stored.clusters, "gbv,protection");
  EXPECT_EQ(stored.tier, "protection");
  EXPECT_EQ(stored.operation_id, nga_.id);
  EXPECT_EQ(stored.operation, "demo (NGA)");
  EXPECT_EQ(stored.dataset, "export");
  EXPECT_EQ(stored.filters, R"({"round":3})");
  EXPECT_EQ(stored.rows, 120);
  EXPECT_EQ(stored.columns, 14);
  EXPECT_EQ(stored.format, "csv");
  EXPECT_EQ(stored.content_hash, std::string(64, 'c'));
  EXPECT_EQ(stored.dsa, "DSA-NGA-2026-014");
  EXPECT_EQ(stored.purpose, "GBV referral planning");
  EXPECT_EQ(stored.outcome, "allowed");
  EXPECT_EQ(stored.reason, "");
  EXPECT_EQ(stored.policy_version, 2);
  EXPECT_EQ(stored.prev_hash, "");
  EXPECT_EQ(stored.hash, "h1(|amina)");
  EXPECT_EQ(stored.key_id, "k1");
  EXPECT_EQ((*log)[1].prev_hash, stored.hash);
  EXPECT_EQ((*log)[1].operation_id, 0);
}

// The linker sees the log's last record (the keyed chain decides the next
// key from it) and can refuse, and then nothing is stored.
TEST_F(PrincipalsTest, TheAuditLinkerSeesTheLastRecordAndMayRefuse) {
  std::vector<std::string> seen;
  const auto watching = [&](AuditRecord& record, const AuditRecord* previous) {
    seen.push_back(previous == nullptr ? "none" : previous->user + "/" + previous->key_id);
    record.key_id = "k" + std::to_string(record.seq);
    record.hash = FakeChainHash(record);
    return Status::Ok();
  };
  ASSERT_TRUE(store_->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 0), watching).ok());
  ASSERT_TRUE(store_->AppendAudit(Read("2026-03-01T11:00:00Z", "ben", 0), watching).ok());
  EXPECT_THAT(seen, ElementsAre("none", "amina/k1"));
  const auto refusing = [](AuditRecord&, const AuditRecord*) {
    return FailedPreconditionError("the audit key is missing");
  };
  Result<AuditRecord> refused =
      store_->AppendAudit(Read("2026-03-01T12:00:00Z", "cleo", 0), refusing);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  Result<std::vector<AuditRecord>> log = store_->AuditLog({});
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[1].key_id, "k2");
}

TEST_F(PrincipalsTest, ARefusedReadIsLoggedLikeAnyOther) {
  AuditRecord refused = Read("2026-03-01T10:00:00Z", "ben", nga_.id);
  refused.tier = "";
  refused.content_hash = "";
  refused.rows = 0;
  refused.outcome = "refused";
  refused.reason = "no valid DSA";
  ASSERT_TRUE(store_->AppendAudit(refused, FakeLink).ok());
  Result<std::vector<AuditRecord>> log = store_->AuditLog({});
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(1));
  EXPECT_EQ((*log)[0].outcome, "refused");
  EXPECT_EQ((*log)[0].reason, "no valid DSA");
  EXPECT_EQ((*log)[0].tier, "");
}

TEST_F(PrincipalsTest, AnAuditRecordNeedsAChainHash) {
  EXPECT_EQ(store_->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 0), nullptr).status().code(),
            StatusCode::kInvalidArgument);
  const auto empty_hash = [](AuditRecord&, const AuditRecord*) { return Status::Ok(); };
  EXPECT_EQ(
      store_->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 0), empty_hash).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_THAT(*store_->AuditLog({}), IsEmpty());
  Result<AuditRecord> first =
      store_->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 0), FakeLink);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->seq, 1);  // the refused appends took no number
}

TEST_F(PrincipalsTest, TheAuditLogIsFilteredByOperationAndInclusiveDates) {
  const std::vector<std::pair<std::string, int64_t>> reads = {
      {"2026-03-01T23:59:59Z", nga_.id},
      {"2026-03-02T00:00:00Z", tcd_.id},
      {"2026-03-02T23:59:59Z", nga_.id},
      {"2026-03-03T08:00:00Z", 0},
  };
  for (const auto& [time, operation_id] : reads) {
    ASSERT_TRUE(store_->AppendAudit(Read(time, "amina", operation_id), FakeLink).ok());
  }
  const auto seqs = [this](const AuditFilter& filter) {
    std::vector<int64_t> found;
    Result<std::vector<AuditRecord>> log = store_->AuditLog(filter);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    if (log.ok()) {
      for (const AuditRecord& record : *log) found.push_back(record.seq);
    }
    return found;
  };
  EXPECT_THAT(seqs({}), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(seqs({nga_.id, "", ""}), ElementsAre(1, 3));
  EXPECT_THAT(seqs({int64_t{0}, "", ""}), ElementsAre(4));  // no single operation
  EXPECT_THAT(seqs({std::nullopt, "2026-03-02", ""}), ElementsAre(2, 3, 4));
  // `to` is a date that includes its whole day.
  EXPECT_THAT(seqs({std::nullopt, "", "2026-03-02"}), ElementsAre(1, 2, 3));
  EXPECT_THAT(seqs({std::nullopt, "2026-03-02", "2026-03-02"}), ElementsAre(2, 3));
  // `from` may be a time, inclusive.
  EXPECT_THAT(seqs({std::nullopt, "2026-03-01T23:59:59Z", "2026-03-01"}), ElementsAre(1));
  EXPECT_THAT(seqs({nga_.id, "2026-03-02", "2026-03-03"}), ElementsAre(3));
  EXPECT_THAT(seqs({std::nullopt, "2026-03-04", ""}), IsEmpty());
}

TEST_F(PrincipalsTest, AppendsFromSeveralThreadsKeepOneUnbrokenChain) {
  constexpr int kThreads = 4;
  constexpr int kAppendsPerThread = 25;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([this, thread_idx] {
      for (int append_idx = 0; append_idx < kAppendsPerThread; ++append_idx) {
        Result<AuditRecord> appended = store_->AppendAudit(
            Read("2026-03-01T10:00:00Z", "user" + std::to_string(thread_idx), 0), FakeLink);
        EXPECT_TRUE(appended.ok()) << appended.status().ToString();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Result<std::vector<AuditRecord>> log = store_->AuditLog({});
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(kThreads * kAppendsPerThread));
  std::string prev_hash;
  for (size_t record_idx = 0; record_idx < log->size(); ++record_idx) {
    const AuditRecord& record = (*log)[record_idx];
    EXPECT_EQ(record.seq, static_cast<int64_t>(record_idx) + 1);
    EXPECT_EQ(record.prev_hash, prev_hash);
    EXPECT_EQ(record.hash, FakeChainHash(record));
    prev_hash = record.hash;
  }
}

// ---- What the database itself refuses -----------------------------------------------------

TEST_F(PrincipalsTest, TheAuditLogAndPoliciesRefuseUpdatesAndDeletesEvenThroughRawSql) {
  std::string path = TempPath("append_only");
  {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Result<Operation> operation = (*store)->CreateOperation({0, "demo-nga", "NGA", ""});
    ASSERT_TRUE(operation.ok());
    ASSERT_TRUE((*store)->AddPolicyVersion(MakePolicy(operation->id, "{}")).ok());
    ASSERT_TRUE((*store)->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 1), FakeLink).ok());
    ASSERT_TRUE((*store)->AppendAudit(Read("2026-03-01T11:00:00Z", "ben", 1), FakeLink).ok());
  }
  std::string message;
  EXPECT_EQ(ExecuteOnFile(path, "UPDATE audit_log SET user = 'someone' WHERE seq = 1", message),
            SQLITE_CONSTRAINT);
  EXPECT_THAT(message, HasSubstr("audit_log is append-only"));
  EXPECT_EQ(ExecuteOnFile(path, "DELETE FROM audit_log WHERE seq = 2", message), SQLITE_CONSTRAINT);
  EXPECT_THAT(message, HasSubstr("audit_log is append-only"));
  EXPECT_EQ(ExecuteOnFile(path, "UPDATE policies SET rules = '{\"k_sites\":1}'", message),
            SQLITE_CONSTRAINT);
  EXPECT_THAT(message, HasSubstr("never changed"));
  EXPECT_EQ(ExecuteOnFile(path, "DELETE FROM policies", message), SQLITE_CONSTRAINT);
  EXPECT_THAT(QueryFile(path, "SELECT user FROM audit_log ORDER BY seq"),
              ElementsAre("amina", "ben"));
  EXPECT_THAT(QueryFile(path, "SELECT rules FROM policies"), ElementsAre("{}"));
}

TEST_F(PrincipalsTest, ADatabaseAtVersionSevenMigratesToEight) {
  std::string path = TempPath("v7");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string v7 =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL);";
    for (int version = 1; version <= 7; ++version) {
      v7 += std::string(internal::Migrations()[version - 1].sql);
      v7 += "INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 'v', '2026');";
    }
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v7.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    ASSERT_TRUE(internal::Migrations()[5].step(db).ok());  // drops site_values
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO operations (id, name, country) VALUES (7, 'demo-nga', "
                           "'NGA')",
                           nullptr, nullptr, &error),
              SQLITE_OK)
        << error;
    sqlite3_close(db);
  }
  {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, dictionary_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ(*(*store)->SchemaVersion(), internal::Migrations().back().version);
    EXPECT_TRUE((*store)->FindOperation("demo-nga", "NGA").ok());
    Result<Organisation> unfpa = (*store)->AddOrganisation({0, "UNFPA", {"gbv"}, "", ""});
    ASSERT_TRUE(unfpa.ok()) << unfpa.status().ToString();
    User user;
    user.name = "amina";
    user.organisation_id = unfpa->id;
    user.tiers = {{7, Tier::kProtection}};
    ASSERT_TRUE((*store)->AddUser(user).ok());
    DataSharingAgreement dsa = MakeDsa("DSA-1", unfpa->id);
    dsa.operation_ids = {7};
    ASSERT_TRUE((*store)->AddDsa(dsa).ok());
    ASSERT_TRUE((*store)->AddPolicyVersion(MakePolicy(7, "{}")).ok());
    ASSERT_TRUE((*store)->AppendAudit(Read("2026-03-01T10:00:00Z", "amina", 7), FakeLink).ok());
    EXPECT_TRUE((*store)->CheckIntegrity().ok());
  }
  EXPECT_THAT(QueryFile(path,
                        "SELECT version FROM schema_version WHERE version BETWEEN 7 AND 10 "
                        "ORDER BY version"),
              ElementsAre("7", "8", "9", "10"));
  EXPECT_THAT(
      QueryFile(path,
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                "name NOT LIKE 'alert_events%' AND name NOT LIKE 'site_field_changes%' "
                "ORDER BY name"),
      ElementsAre("audit_log_no_delete", "audit_log_no_update", "operation_dictionaries_no_delete",
                  "operation_dictionaries_no_update", "policies_no_delete", "policies_no_update"));
}

}  // namespace
}  // namespace opendtm::store
