#include "disclosure/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "dictionary/testing.h"
#include "store/sqlite_store.h"

namespace opendtm::disclosure {
namespace {

using store::Tier;
using ::testing::HasSubstr;

// An in-memory store with two operations, a GBV organisation with a user
// holding protection for the first, and a CCCM partner.
class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::Open(":memory:", dictionary::testing::DefaultDictionary());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    nga_ = *store_->CreateOperation({0, "North-East", "NGA", ""});
    tcd_ = *store_->CreateOperation({0, "Lac", "TCD", ""});
    gbv_ =
        *store_->AddOrganisation({0, "GBV AoR", {"gbv", "protection"}, "2026-01-01T00:00:00Z", ""});
    cccm_ = *store_->AddOrganisation({0, "CCCM Partner", {"cccm"}, "2026-01-01T00:00:00Z", ""});
    ASSERT_TRUE(
        store_->AddUser({0, "amina", gbv_.id, {{nga_.id, Tier::kProtection}}, "", ""}).ok());
    ASSERT_TRUE(store_->AddUser({0, "jo", cccm_.id, {{nga_.id, Tier::kPartner}}, "", ""}).ok());
    store::DataSharingAgreement dsa;
    dsa.reference = "DSA-NGA-1";
    dsa.organisation_id = gbv_.id;
    dsa.operation_ids = {nga_.id};
    dsa.tier = Tier::kProtection;
    dsa.valid_from = "2026-01-01";
    dsa.valid_to = "2026-12-31";
    dsa.purpose = "GBV risk mitigation";
    ASSERT_TRUE(store_->AddDsa(dsa).ok());
  }

  std::unique_ptr<store::Store> store_;
  store::Operation nga_, tcd_;
  store::Organisation gbv_, cccm_;
};

TEST_F(AccessTest, ProtectionUserWithValidAgreementGetsProtectionAndTheAgreement) {
  Result<Access> access = GrantAccess(*store_, "amina", nga_, std::nullopt, "2026-06-01");
  ASSERT_TRUE(access.ok()) << access.status().ToString();
  EXPECT_EQ(access->tier, Tier::kProtection);
  EXPECT_EQ(access->dsa, "DSA-NGA-1");
  EXPECT_EQ(access->principal.organisation, "GBV AoR");
  EXPECT_THAT(access->principal.clusters, ::testing::ElementsAre("gbv", "protection"));
}

TEST_F(AccessTest, ExpiredNotYetValidOrRevokedAgreementBlocksProtection) {
  for (const char* day : {"2027-01-01", "2025-12-31"}) {
    Result<Access> access = GrantAccess(*store_, "amina", nga_, std::nullopt, day);
    ASSERT_FALSE(access.ok()) << day;
    EXPECT_EQ(access.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(access.status().message(), HasSubstr("DSA-NGA-1"));
  }
  EXPECT_THAT(GrantAccess(*store_, "amina", nga_, std::nullopt, "2027-01-01").status().message(),
              HasSubstr("expired on 2026-12-31"));
  ASSERT_TRUE(store_->RevokeDsa("DSA-NGA-1", "2026-05-01T10:00:00Z").ok());
  Result<Access> revoked = GrantAccess(*store_, "amina", nga_, std::nullopt, "2026-06-01");
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(revoked.status().message(), HasSubstr("revoked on 2026-05-01"));
  // A lower tier needs no agreement.
  Result<Access> partner = GrantAccess(*store_, "amina", nga_, Tier::kPartner, "2026-06-01");
  ASSERT_TRUE(partner.ok()) << partner.status().ToString();
  EXPECT_EQ(partner->tier, Tier::kPartner);
  EXPECT_EQ(partner->dsa, "");
}

TEST_F(AccessTest, TierAboveTheOneHeldIsRefusedAndNoTierMeansPublic) {
  Result<Access> higher = GrantAccess(*store_, "jo", nga_, Tier::kProtection, "2026-06-01");
  ASSERT_FALSE(higher.ok());
  EXPECT_EQ(higher.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(higher.status().message(), HasSubstr("holds tier partner"));
  Result<Access> other = GrantAccess(*store_, "jo", tcd_, std::nullopt, "2026-06-01");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->tier, Tier::kPublic);
  // An agreement for another operation does not cover this one.
  ASSERT_TRUE(store_->SetUserTier("amina", {tcd_.id, Tier::kProtection}).ok());
  Result<Access> uncovered = GrantAccess(*store_, "amina", tcd_, std::nullopt, "2026-06-01");
  ASSERT_FALSE(uncovered.ok());
  EXPECT_THAT(uncovered.status().message(), HasSubstr("does not cover Lac (TCD)"));
}

TEST_F(AccessTest, UnknownOrRevokedUsersAndOrganisationsAreRefused) {
  Result<Access> unknown = GrantAccess(*store_, "mallory", nga_, std::nullopt, "2026-06-01");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown user 'mallory'"));
  ASSERT_TRUE(store_->RevokeOrganisation("CCCM Partner", "2026-03-01T00:00:00Z").ok());
  Result<Access> org = GrantAccess(*store_, "jo", nga_, std::nullopt, "2026-06-01");
  ASSERT_FALSE(org.ok());
  EXPECT_THAT(org.status().message(), HasSubstr("organisation 'CCCM Partner'"));
  ASSERT_TRUE(store_->RevokeUser("amina", "2026-04-01T00:00:00Z").ok());
  Result<Access> user = GrantAccess(*store_, "amina", nga_, std::nullopt, "2026-06-01");
  ASSERT_FALSE(user.ok());
  EXPECT_THAT(user.status().message(), HasSubstr("user 'amina' was revoked on 2026-04-01"));
}

TEST_F(AccessTest, UnregisteredLocalAdminIsOperationAdminEverywhere) {
  Result<Access> access = GrantAccess(*store_, kLocalAdmin, tcd_, std::nullopt, "2026-06-01");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->tier, Tier::kOperationAdmin);
  EXPECT_EQ(access->principal.organisation, "local");
  Result<Access> lower = GrantAccess(*store_, kLocalAdmin, tcd_, Tier::kPublic, "2026-06-01");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->tier, Tier::kPublic);
}

TEST_F(AccessTest, FindPrincipalNamesTheOrganisationOrNothingForUnknownUsers) {
  Result<Principal> jo = FindPrincipal(*store_, "jo");
  ASSERT_TRUE(jo.ok());
  EXPECT_EQ(jo->organisation, "CCCM Partner");
  EXPECT_THAT(jo->clusters, ::testing::ElementsAre("cccm"));
  Result<Principal> nobody = FindPrincipal(*store_, "nobody");
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ(nobody->user, "nobody");
  EXPECT_EQ(nobody->organisation, "");
}

}  // namespace
}  // namespace opendtm::disclosure
