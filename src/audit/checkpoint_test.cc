#include "audit/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "audit/crypto.h"

namespace opendtm::audit {
namespace {

using ::testing::HasSubstr;

SigningKey MakeKey() {
  SigningKeyPair pair = NewSigningKeyPair();
  return SigningKey{pair.public_key, pair.secret_key};
}

std::vector<store::AuditRecord> Log(int count) {
  std::vector<store::AuditRecord> records(count);
  for (int idx = 0; idx < count; ++idx) {
    records[idx].seq = idx + 1;
    records[idx].hash = std::string(63, 'a') + static_cast<char>('0' + idx % 10);
  }
  return records;
}

TEST(CheckpointTest, SignedTextRoundTripsAndVerifies) {
  const std::vector<store::AuditRecord> log = Log(5);
  Checkpoint checkpoint = SignCheckpoint(4, log[3].hash, "2026-12-07T21:00:00Z", MakeKey());
  const std::string text = FormatCheckpoint(checkpoint);
  EXPECT_THAT(text, HasSubstr("OpenDTM audit checkpoint v1\nseq: 4\nlink: "));
  Result<Checkpoint> parsed = ParseCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->seq, 4);
  EXPECT_EQ(parsed->link, log[3].hash);
  EXPECT_EQ(parsed->time, "2026-12-07T21:00:00Z");
  EXPECT_EQ(parsed->public_key, checkpoint.public_key);
  EXPECT_TRUE(SignatureHolds(*parsed));
  EXPECT_TRUE(CheckLogExtends(log, *parsed).ok());
  EXPECT_TRUE(CheckLogExtends(Log(9), *parsed).ok());
}

TEST(CheckpointTest, AnEditedTextNoLongerHoldsItsSignature) {
  const std::vector<store::AuditRecord> log = Log(5);
  Checkpoint checkpoint = SignCheckpoint(4, log[3].hash, "2026-12-07T21:00:00Z", MakeKey());
  Checkpoint edited = checkpoint;
  edited.seq = 3;
  EXPECT_FALSE(SignatureHolds(edited));
  edited = checkpoint;
  edited.public_key = MakeKey().public_key;
  EXPECT_FALSE(SignatureHolds(edited));
}

TEST(CheckpointTest, ALogCutOrRewrittenBeforeTheCheckpointDoesNotExtendIt) {
  std::vector<store::AuditRecord> log = Log(5);
  Checkpoint checkpoint = SignCheckpoint(4, log[3].hash, "2026-12-07T21:00:00Z", MakeKey());
  EXPECT_EQ(CheckLogExtends(Log(3), checkpoint).code(), StatusCode::kDataLoss);
  log[3].hash = std::string(64, 'f');
  Status rewritten = CheckLogExtends(log, checkpoint);
  EXPECT_EQ(rewritten.code(), StatusCode::kDataLoss);
  EXPECT_THAT(rewritten.message(), HasSubstr("record 4"));
}

TEST(CheckpointTest, MalformedTextsAreRefused) {
  EXPECT_FALSE(ParseCheckpoint("hello").ok());
  EXPECT_FALSE(ParseCheckpoint("OpenDTM audit checkpoint v1\nseq: 4\n").ok());
  EXPECT_FALSE(ParseCheckpoint("OpenDTM audit checkpoint v1\nseq: x\n").ok());
  EXPECT_FALSE(ParseCheckpoint("OpenDTM audit checkpoint v1\nwho: me\n").ok());
}

}  // namespace
}  // namespace opendtm::audit
