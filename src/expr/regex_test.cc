#include "expr/internal/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <gtest/gtest.h>
#include <pcre2.h>

#include <string>
#include <thread>
#include <vector>

namespace opendtm::expr::internal {
namespace {

TEST(RegexTest, FindsAMatchAnywhere) {
  Result<Regex> regex = Regex::Compile("[0-9]{3}");
  ASSERT_TRUE(regex.ok());
  EXPECT_TRUE(regex->Matches("abc123def"));
  EXPECT_TRUE(regex->Matches("123"));
  EXPECT_FALSE(regex->Matches("12a3"));
  EXPECT_FALSE(regex->Matches(""));
}

TEST(RegexTest, GroupsDoNotNeedABiggerMatchData) {
  Result<Regex> regex = Regex::Compile("^(a)(b)(c)(d)$");
  ASSERT_TRUE(regex.ok());
  EXPECT_TRUE(regex->Matches("abcd"));
  EXPECT_FALSE(regex->Matches("abce"));
}

TEST(RegexTest, UsesTheJitWhenPcre2HasOne) {
  uint32_t has_jit = 0;
  ASSERT_GE(pcre2_config(PCRE2_CONFIG_JIT, &has_jit), 0);
  Result<Regex> regex = Regex::Compile("^[A-Z]{2}[0-9]{2,}$");
  ASSERT_TRUE(regex.ok());
  EXPECT_EQ(regex->jit(), has_jit != 0);
}

TEST(RegexTest, SyntaxErrorsNameTheProblemAndOffset) {
  Result<Regex> regex = Regex::Compile("ab[");
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(regex.status().message(), "missing terminating ] for character class at offset 3");
  Result<Regex> bad_utf8 = Regex::Compile("a\xFF");
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_NE(bad_utf8.status().message().find("UTF-8 error"), std::string::npos);
}

TEST(RegexTest, MovesTransferThePattern) {
  Result<Regex> compiled = Regex::Compile("^x$");
  ASSERT_TRUE(compiled.ok());
  Regex first = std::move(compiled).value();
  Regex second = std::move(first);
  EXPECT_TRUE(second.Matches("x"));
  Result<Regex> other = Regex::Compile("^y$");
  ASSERT_TRUE(other.ok());
  second = std::move(other).value();
  EXPECT_TRUE(second.Matches("y"));
}

TEST(RegexTest, MatchOnce) {
  EXPECT_TRUE(MatchOnce("^a.c$", "abc"));
  EXPECT_FALSE(MatchOnce("^a.c$", "abd"));
  EXPECT_FALSE(MatchOnce("[", "["));  // invalid pattern: no match
  EXPECT_TRUE(MatchOnce("", ""));
}

TEST(RegexTest, ThreadsShareACompiledPattern) {
  Result<Regex> regex = Regex::Compile("^[a-z]+[0-9]+$");
  ASSERT_TRUE(regex.ok());
  auto check = [&](int* wrong) {
    for (int round = 0; round < 5000; ++round) {
      if (!regex->Matches("abc" + std::to_string(round))) ++*wrong;
      if (regex->Matches(std::to_string(round) + "abc")) ++*wrong;
    }
  };
  int wrong_first = 0;
  int wrong_second = 0;
  std::thread first(check, &wrong_first);
  std::thread second(check, &wrong_second);
  first.join();
  second.join();
  EXPECT_EQ(wrong_first + wrong_second, 0);
}

}  // namespace
}  // namespace opendtm::expr::internal
