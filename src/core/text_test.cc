#include "core/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

#include <fstream>
#include <sstream>
#include <string>

namespace opendtm::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadSharedFile(const std::string& name) {
  const std::string path = std::string(OPENDTM_SHARED_DIR) + "/data/real/" + name;
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << "cannot open " << path;
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII, long enough to use the 8-byte fast path"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9"));              // é
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));          // €
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));          // U+D7FF, last before surrogates
  EXPECT_TRUE(IsValidUtf8("\xEF\xBB\xBF"));          // BOM
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));      // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is a character
}

TEST(Utf8Test, RejectsOverlongsSurrogatesAndOutOfRange) {
  EXPECT_EQ(FirstInvalidUtf8Offset("ab\xC0\xAF"), 2u);        // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8Offset("\xC1\xBF"), 0u);          // overlong 2-byte
  EXPECT_EQ(FirstInvalidUtf8Offset("\xE0\x80\xAF"), 0u);      // overlong 3-byte
  EXPECT_EQ(FirstInvalidUtf8Offset("\xF0\x80\x80\xAF"), 0u);  // overlong 4-byte
  EXPECT_EQ(FirstInvalidUtf8Offset("x\xED\xA0\x80"), 1u);     // U+D800 surrogate
  EXPECT_EQ(FirstInvalidUtf8Offset("\xED\xBF\xBF"), 0u);      // U+DFFF surrogate
  EXPECT_EQ(FirstInvalidUtf8Offset("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(FirstInvalidUtf8Offset("\xF5\x80\x80\x80"), 0u);  // lead byte F5
  EXPECT_EQ(FirstInvalidUtf8Offset("\xFF"), 0u);
  EXPECT_EQ(FirstInvalidUtf8Offset("\x80"), 0u);                        // lone continuation
  EXPECT_EQ(FirstInvalidUtf8Offset("\xC3"), 0u);                        // truncated at the end
  EXPECT_EQ(FirstInvalidUtf8Offset("\xE2\x82"), 0u);                    // truncated at the end
  EXPECT_EQ(FirstInvalidUtf8Offset("\xC3(x"), 0u);                      // bad continuation
  EXPECT_EQ(FirstInvalidUtf8Offset("0123456789abcdef\xE9t\xE9"), 16u);  // after fast path
  EXPECT_FALSE(IsValidUtf8("Fal\x9Awcha"));
}

TEST(EncodingTest, DetectsUtf8BomAndCp1252) {
  EXPECT_EQ(DetectEncoding(""), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("caf\xC3\xA9"), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBF"
                           "caf\xC3\xA9"),
            Encoding::kUtf8Bom);
  EXPECT_EQ(DetectEncoding("caf\xE9"), Encoding::kCp1252);
  EXPECT_EQ(EncodingName(Encoding::kCp1252), "cp1252");
}

TEST(EncodingTest, Cp1252SpecialsFollowWhatwg) {
  EXPECT_EQ(Cp1252ToUtf8("\x80"), "\xE2\x82\xAC");  // €
  EXPECT_EQ(Cp1252ToUtf8("\x91\x92\x93\x94"),
            "\xE2\x80\x98\xE2\x80\x99\xE2\x80\x9C\xE2\x80\x9D");    // ‘ ’ “ ”
  EXPECT_EQ(Cp1252ToUtf8("\x96\x97"), "\xE2\x80\x93\xE2\x80\x94");  // – —
  EXPECT_EQ(Cp1252ToUtf8("\x85"), "\xE2\x80\xA6");                  // …
  EXPECT_EQ(Cp1252ToUtf8("\x8A\x9A"), "\xC5\xA0\xC5\xA1");          // Š š
  EXPECT_EQ(Cp1252ToUtf8("\x9F"), "\xC5\xB8");                      // Ÿ
  // The five undefined bytes become the C1 control of the same number.
  EXPECT_EQ(Cp1252ToUtf8("\x81\x8D\x8F\x90\x9D"), "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
  // 0xA0-0xFF are Latin-1.
  EXPECT_EQ(Cp1252ToUtf8("\xA0\xE9\xFF"), "\xC2\xA0\xC3\xA9\xC3\xBF");
  EXPECT_EQ(Cp1252ToUtf8("plain"), "plain");
}

TEST(EncodingTest, EveryCp1252ByteConvertsToValidUtf8) {
  std::string all_bytes;
  for (int byte = 0; byte < 256; ++byte) all_bytes.push_back(static_cast<char>(byte));
  EXPECT_TRUE(IsValidUtf8(Cp1252ToUtf8(all_bytes)));
}

TEST(EncodingTest, ToUtf8StripsBomAndConverts) {
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBF"
                    "abc",
                    "x.csv"),
            "abc");
  EXPECT_EQ(*ToUtf8("abc", "x.csv"), "abc");
  EXPECT_EQ(*ToUtf8("caf\xE9", "x.csv"), "caf\xC3\xA9");
}

TEST(EncodingTest, ToUtf8RejectsBomFollowedByInvalidUtf8) {
  Result<std::string> result = ToUtf8(
      "\xEF\xBB\xBF"
      "ab\xE9",
      "sites.csv");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("sites.csv"));
  EXPECT_THAT(result.status().message(), HasSubstr("byte 5"));
}

TEST(EncodingTest, RealCp1252CentroidFileConvertsToValidUtf8) {
  const std::string bytes = ReadSharedFile("nepal-2015-vdc-hlcit-centroids.csv");
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(DetectEncoding(bytes), Encoding::kCp1252);
  Result<std::string> utf8 = ToUtf8(bytes, "centroids");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  EXPECT_TRUE(IsValidUtf8(*utf8));
  // The two non-ASCII bytes of the file are Š (0x8A) and š (0x9A).
  EXPECT_NE(utf8->find("A\xC5\xA0mchok"), std::string::npos);
  EXPECT_NE(utf8->find("Fal\xC5\xA1wcha"), std::string::npos);
  EXPECT_EQ(utf8->size(), bytes.size() + 2);
}

TEST(EncodingTest, RealBomFileLosesItsBom) {
  const std::string bytes = ReadSharedFile("global-pcode-lengths.csv");
  EXPECT_EQ(DetectEncoding(bytes), Encoding::kUtf8Bom);
  Result<std::string> utf8 = ToUtf8(bytes, "lengths");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  EXPECT_TRUE(utf8->starts_with("Location,Country Length,"));
  EXPECT_EQ(utf8->size(), bytes.size() - 3);
}

TEST(TrimTest, RemovesAsciiSpaceNbspAndBom) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n"), "");
  EXPECT_EQ(Trim("  Kathmandu Metropolitan "), "Kathmandu Metropolitan");
  EXPECT_EQ(Trim("\xC2\xA0"
                 "x\xC2\xA0"),
            "x");
  EXPECT_EQ(Trim("\xEF\xBB\xBF"
                 "Location"),
            "Location");
  EXPECT_EQ(Trim("a b"), "a b");
  // A lone 0xA0 byte (not UTF-8 NBSP) is not space.
  EXPECT_EQ(Trim("x\xA0"), "x\xA0");
  // A character ending in byte A0 is not NBSP either: U+00E0 is C3 A0.
  EXPECT_EQ(Trim("\xC3\xA0"), "\xC3\xA0");
}

TEST(CollapseSpacesTest, CollapsesInternalRunsAndTrims) {
  EXPECT_EQ(CollapseSpaces("  No   lighting \t "), "No lighting");
  EXPECT_EQ(CollapseSpaces("a\t\xC2\xA0\nb"), "a b");
  EXPECT_EQ(CollapseSpaces(""), "");
  EXPECT_EQ(CollapseSpaces("   "), "");
  EXPECT_EQ(CollapseSpaces("abc"), "abc");
}

TEST(FoldCaseTest, FoldsAsciiAndUnicode) {
  EXPECT_EQ(FoldCase("No Lighting"), FoldCase("No lighting"));
  EXPECT_EQ(FoldCase("No Lighting"), "no lighting");
  EXPECT_EQ(FoldCase("\xC3\x89"
                     "CLAIRAGE"),
            FoldCase("\xC3\xA9"
                     "clairage"));  // ÉCLAIRAGE
  EXPECT_EQ(FoldCase("\xC3\x89"
                     "CLAIRAGE"),
            "\xC3\xA9"
            "clairage");
  EXPECT_EQ(FoldCase("Stra\xC3\x9F"
                     "e"),
            "strasse");  // full folding: ß -> ss
  EXPECT_EQ(FoldCase("\xCE\xA3\xCE\x9F\xCE\xA3"), "\xCF\x83\xCE\xBF\xCF\x83");  // ΣΟΣ -> σοσ
  EXPECT_EQ(FoldCase(""), "");
  EXPECT_EQ(FoldCase("123 [X]"), "123 [x]");
}

TEST(FoldCaseTest, FoldThatTriplesTheLengthIsComplete) {
  // U+0390 (2 bytes) folds to U+03B9 U+0308 U+0301 (6 bytes): more than the
  // first buffer guess, so the retry path runs.
  std::string text;
  std::string expected;
  for (int count = 0; count < 100; ++count) {
    text += "\xCE\x90";
    expected += "\xCE\xB9\xCC\x88\xCC\x81";
  }
  EXPECT_EQ(FoldCase(text), expected);
}

TEST(FoldCaseTest, IllFormedInputDoesNotCrash) {
  const std::string folded = FoldCase("AB\xFF\xC3");
  EXPECT_THAT(folded, HasSubstr("ab"));
}

TEST(NormalizeLabelTest, MatchesLabelsDespiteCaseAndSpacing) {
  EXPECT_EQ(NormalizeLabel("No Lighting"), "no lighting");
  EXPECT_EQ(NormalizeLabel("  no   LIGHTING\xC2\xA0"), "no lighting");
  EXPECT_EQ(NormalizeLabel("\xC3\x89"
                           "clairage  Public"),
            "\xC3\xA9"
            "clairage public");
  EXPECT_NE(NormalizeLabel("No lighting"), NormalizeLabel("No lightning"));
}

TEST(SplitTest, KeepsEmptyPieces) {
  EXPECT_THAT(Split("", ','), ElementsAre(""));
  EXPECT_THAT(Split("a", ','), ElementsAre("a"));
  EXPECT_THAT(Split("a,,b", ','), ElementsAre("a", "", "b"));
  EXPECT_THAT(Split("a,", ','), ElementsAre("a", ""));
  EXPECT_THAT(Split(",a", ','), ElementsAre("", "a"));
  EXPECT_THAT(Split("524 1 01 02 5 018", ' '), ElementsAre("524", "1", "01", "02", "5", "018"));
}

TEST(AsciiCaseTest, ChangesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiUpper("nga-Lga 7"), "NGA-LGA 7");
  EXPECT_EQ(AsciiLower(".HXL.Csv"), ".hxl.csv");
  EXPECT_EQ(AsciiUpper("é"), "é");  // UTF-8 bytes untouched
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(StringHashTest, FindsAStringKeyByAView) {
  std::unordered_set<std::string, StringHash, std::equal_to<>> ids = {"NGA-0001", "NGA-0002"};
  std::string_view probe = "NGA-0002,NGA-0003";
  EXPECT_TRUE(ids.contains(probe.substr(0, 8)));
  EXPECT_FALSE(ids.contains(probe.substr(9)));
  EXPECT_EQ(StringHash{}(std::string_view("abc")), StringHash{}(std::string("abc")));
}

}  // namespace
}  // namespace opendtm::core
