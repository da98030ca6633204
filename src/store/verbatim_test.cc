#include "store/internal/verbatim.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

namespace opendtm::store::internal {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> RoundTrip(const std::vector<std::string>& cells) {
  std::string text;
  AppendCsvRecord(cells, text);
  Result<std::vector<std::string>> parsed = ParseCsvRecord(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : std::vector<std::string>{"<error>"};
}

TEST(VerbatimTest, WritesRfc4180AndReadsItBack) {
  std::string text;
  AppendCsvRecord(std::vector<std::string>{"a", "b,c", "say \"hi\"", ""}, text);
  EXPECT_EQ(text, "a,\"b,c\",\"say \"\"hi\"\"\",\n");
  EXPECT_THAT(RoundTrip({"a", "b,c", "say \"hi\"", ""}), ElementsAre("a", "b,c", "say \"hi\"", ""));
  EXPECT_THAT(RoundTrip({"line\r\nbreak", " padded ", "Ñoño"}),
              ElementsAre("line\r\nbreak", " padded ", "Ñoño"));
  EXPECT_THAT(RoundTrip({""}), ElementsAre(""));
  EXPECT_THAT(RoundTrip({"", ""}), ElementsAre("", ""));
  EXPECT_TRUE(RoundTrip({}).empty());
}

TEST(VerbatimTest, RejectsWhatItNeverWrites) {
  EXPECT_EQ(ParseCsvRecord("\"open").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ParseCsvRecord("\"a\"b").status().code(), StatusCode::kDataLoss);
}

TEST(VerbatimTest, ChunksCompressAndDecompress) {
  std::string raw(100000, 'x');
  Result<std::string> compressed = CompressChunk(raw);
  ASSERT_TRUE(compressed.ok());
  EXPECT_LT(compressed->size(), raw.size() / 10);
  Result<std::string> back = DecompressChunk(*compressed, static_cast<int64_t>(raw.size()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, raw);
  EXPECT_EQ(compressed->substr(0, 4), "\x28\xB5\x2F\xFD");  // a zstd frame
  EXPECT_EQ(DecompressChunk("not zlib", 10).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecompressChunk(*compressed, 5).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecompressChunk(compressed->substr(0, compressed->size() / 2),
                            static_cast<int64_t>(raw.size())).status().code(),
            StatusCode::kDataLoss);
}

// Databases written before zstd hold zlib chunks: they stay readable.
TEST(VerbatimTest, ZlibChunksOfOlderCopiesStillDecompress) {
  const std::string raw = "site_id,ind_total\nNGA-0001,120\nNGA-0002,75\n";
  uLongf bound = compressBound(static_cast<uLong>(raw.size()));
  std::string zlib(bound, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(zlib.data()), &bound,
                      reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                      Z_BEST_SPEED),
            Z_OK);
  zlib.resize(bound);
  Result<std::string> back = DecompressChunk(zlib, static_cast<int64_t>(raw.size()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, raw);
}

TEST(VerbatimTest, WriterHandsOutFixedSizeChunksAndHashesEverything) {
  VerbatimWriter writer;
  std::string all;
  std::vector<std::string> row = {std::string(1000, 'r'), "x"};
  for (int row_idx = 0; row_idx < 600; ++row_idx) {
    VerbatimSpan span = writer.Append(row);
    EXPECT_EQ(span.offset, static_cast<int64_t>(all.size()));
    AppendCsvRecord(row, all);
    EXPECT_EQ(span.length, static_cast<int64_t>(all.size()) - span.offset);
  }
  std::string joined;
  int64_t expected_index = 0;
  while (writer.HasFullChunk()) {
    int64_t index = -1;
    std::string chunk = writer.TakeFullChunk(index);
    EXPECT_EQ(index, expected_index++);
    EXPECT_EQ(static_cast<int64_t>(chunk.size()), kVerbatimChunkSize);
    joined += chunk;
  }
  int64_t index = -1;
  joined += writer.TakeRest(index);
  EXPECT_EQ(index, expected_index);
  EXPECT_EQ(joined, all);
  EXPECT_EQ(writer.size(), static_cast<int64_t>(all.size()));
  EXPECT_EQ(writer.FinishSha256(), core::Sha256::HexOf(all));
}

}  // namespace
}  // namespace opendtm::store::internal
