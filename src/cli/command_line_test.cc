#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace opendtm::cli {
namespace {

TEST(CommandLineTest, SplitsWordsFlagsAndSwitches) {
  Result<CommandLine> line = CommandLine::Parse(
      {"dictionary", "export", "--format", "xlsform", "-o", "form.xlsx", "--lang=en,fr",
       "--strict"},
      {"strict"});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->positional(), (std::vector<std::string>{"dictionary", "export"}));
  EXPECT_EQ(line->Flag("format"), "xlsform");
  EXPECT_EQ(line->Flag("output"), "form.xlsx");
  EXPECT_EQ(line->ListFlag("lang"), (std::vector<std::string>{"en", "fr"}));
  EXPECT_TRUE(line->Switch("strict"));
  EXPECT_FALSE(line->Flag("modules").has_value());
  EXPECT_TRUE(line->ListFlag("modules").empty());
  EXPECT_TRUE(line->CheckKnownFlags({"format", "output", "lang", "strict"}).ok());
}

TEST(CommandLineTest, UnknownFlagsAndMissingValuesAreUsageErrors) {
  Result<CommandLine> line = CommandLine::Parse({"check", "--previus", "old.yaml"}, {});
  ASSERT_TRUE(line.ok());
  Status status = line->CheckKnownFlags({"previous"});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "unknown option --previus");

  Result<CommandLine> missing = CommandLine::Parse({"check", "--previous"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "option --previous needs a value");
}

TEST(CommandLineTest, AFlagGivenTwiceIsRefusedNotSilentlyReplaced) {
  Result<CommandLine> twice =
      CommandLine::Parse({"correct", "--set", "hh_total=3", "--set=ind_total=12"}, {});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(twice.status().message(),
            "option --set is given twice ('hh_total=3', then 'ind_total=12'): give it once");
  EXPECT_FALSE(CommandLine::Parse({"export", "-o", "a.csv", "--output", "b.csv"}, {}).ok());
  // A switch repeated changes nothing and is accepted.
  EXPECT_TRUE(CommandLine::Parse({"ingest", "--json", "--json"}, {"json"}).ok());
}

}  // namespace
}  // namespace opendtm::cli
