#include "audit/audit_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "audit/crypto.h"

namespace opendtm::audit {
namespace {

using ::testing::HasSubstr;

class AuditKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("audit_key_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "opendtm.db.audit-key").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static unsigned Mode(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 ? info.st_mode & 0777 : 0;
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(AuditKeyTest, KeysAreRandomAndNamedByTheirId) {
  AuditKey first = NewAuditKey();
  AuditKey second = NewAuditKey();
  EXPECT_EQ(first.secret.size(), kHmacKeyBytes);
  EXPECT_NE(first.secret, second.secret);
  EXPECT_EQ(first.id.size(), 17u);
  EXPECT_EQ(first.id, AuditKeyId(first.secret));
  EXPECT_NE(first.id, second.id);
}

TEST_F(AuditKeyTest, AKeyFileIsPrivateNeverReplacedAndKeepsRetiredKeys) {
  AuditKey first = NewAuditKey();
  ASSERT_TRUE(CreateKeyFile(path_, first).ok());
  EXPECT_EQ(Mode(path_), 0600u);
  EXPECT_EQ(CreateKeyFile(path_, NewAuditKey()).code(), StatusCode::kAlreadyExists);
  AuditKey second = NewAuditKey();
  ASSERT_TRUE(AddKeyToFile(path_, second).ok());
  EXPECT_EQ(Mode(path_), 0600u);
  Result<AuditKeyring> keyring = AuditKeyring::Load(path_);
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  ASSERT_EQ(keyring->keys().size(), 2u);
  EXPECT_EQ(keyring->keys()[0].id, first.id);
  EXPECT_EQ(keyring->keys()[1].secret, second.secret);
  ASSERT_NE(keyring->Find(first.id), nullptr);
  EXPECT_EQ(keyring->Find(first.id)->secret, first.secret);
  EXPECT_EQ(keyring->Find("k0000000000000000"), nullptr);
}

TEST_F(AuditKeyTest, AMissingOrDamagedKeyFileIsReported) {
  EXPECT_EQ(AuditKeyring::Load(path_).status().code(), StatusCode::kNotFound);
  AuditKey key = NewAuditKey();
  std::ofstream(path_) << key.id << " " << ToHex(key.secret).substr(1) << "0\n";
  Result<AuditKeyring> damaged = AuditKeyring::Load(path_);
  EXPECT_EQ(damaged.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(damaged.status().message(), HasSubstr("line 1"));
  std::ofstream(path_) << "# comment\n" << key.id << " short\n";
  EXPECT_THAT(AuditKeyring::Load(path_).status().message(), HasSubstr("line 2"));
  std::ofstream(path_) << "# nothing\n";
  EXPECT_EQ(AuditKeyring::Load(path_).status().code(), StatusCode::kDataLoss);
}

TEST_F(AuditKeyTest, PathsBesideTheDatabase) {
  EXPECT_EQ(KeyPathFor("/data/opendtm.db"), "/data/opendtm.db.audit-key");
  EXPECT_EQ(SigningKeyPathFor("/data/opendtm.db.audit-key"), "/data/opendtm.db.audit-sign-key");
  EXPECT_EQ(SigningKeyPathFor("/secure/keys"), "/secure/keys.sign");
}

TEST_F(AuditKeyTest, SigningKeysAreCreatedOnceAndReadBack) {
  const std::string path = SigningKeyPathFor(path_);
  EXPECT_EQ(LoadSigningKey(path).status().code(), StatusCode::kNotFound);
  Result<SigningKey> created = CreateSigningKey(path);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(CreateSigningKey(path).status().code(), StatusCode::kAlreadyExists);
  Result<SigningKey> loaded = LoadSigningKey(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->public_key, created->public_key);
  EXPECT_EQ(loaded->secret_key, created->secret_key);
  std::ofstream(path) << "rsa 00\n";
  EXPECT_EQ(LoadSigningKey(path).status().code(), StatusCode::kDataLoss);
}

TEST(CryptoTest, HmacMatchesRfc4231AndHexRoundTrips) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex("\x01\xab"), "01ab");
  EXPECT_EQ(FromHex("01AB"), std::string("\x01\xab"));
  EXPECT_FALSE(FromHex("0g").has_value());
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_TRUE(ConstantTimeEqual("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "ab"));
}

TEST(CryptoTest, SignaturesVerifyOnlyForTheirMessageAndKey) {
  SigningKeyPair pair = NewSigningKeyPair();
  SigningKeyPair other = NewSigningKeyPair();
  EXPECT_EQ(SigningPublicKeyOf(pair.secret_key), pair.public_key);
  const std::string signature = Sign(pair.secret_key, "seq 42");
  EXPECT_EQ(signature.size(), kSignatureBytes);
  EXPECT_TRUE(VerifySignature(pair.public_key, "seq 42", signature));
  EXPECT_FALSE(VerifySignature(pair.public_key, "seq 43", signature));
  EXPECT_FALSE(VerifySignature(other.public_key, "seq 42", signature));
  EXPECT_FALSE(VerifySignature(pair.public_key, "seq 42", "short"));
}

}  // namespace
}  // namespace opendtm::audit
