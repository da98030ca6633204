#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace opendtm::cli {
namespace {

TEST(CommandLineTest, SplitsWordsFlagsAndSwitches) {
  Result<CommandLine> line = CommandLine::Parse({"dictionary", "export", "--format", "xlsform",
                                                 "-o", "form.xlsx", "--lang=en,fr", "--strict"},
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

TEST(CommandLineTest, ListFlagKeepsSpacesInsideNames) {
  Result<CommandLine> line = CommandLine::Parse(
      {"user", "add", "--tier", " Haiti Earthquake=partner , demo-nga=public,, "}, {});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->ListFlag("tier"),
            (std::vector<std::string>{"Haiti Earthquake=partner", "demo-nga=public"}));
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

// Regression: `dtm export … --purpose $'x\xff'` wrote its file, then aborted
// on the invalid UTF-8 before auditing it. Every word is refused first.
TEST(CommandLineTest, WordsThatAreNotUtf8AreRefusedWithTheirFlagNamed) {
  const std::string bad = "x\xff";
  Result<CommandLine> value = CommandLine::Parse({"export", "--purpose", bad, "-o", "f"}, {});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(value.status().message(), "--purpose is not valid UTF-8");

  Result<CommandLine> joined = CommandLine::Parse({"export", "--purpose=" + bad}, {});
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.status().message(), "--purpose is not valid UTF-8");

  Result<CommandLine> output = CommandLine::Parse({"export", "-o", bad}, {});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().message(), "--output is not valid UTF-8");

  Result<CommandLine> positional = CommandLine::Parse({"sites", "import", bad}, {});
  ASSERT_FALSE(positional.ok());
  EXPECT_EQ(positional.status().message(), "argument 3 is not valid UTF-8");

  Result<CommandLine> name = CommandLine::Parse({"export", "--" + bad, "1"}, {});
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.status().message(), "the name of option 2 is not valid UTF-8");

  // Valid UTF-8 beyond ASCII is kept as given.
  Result<CommandLine> french = CommandLine::Parse({"export", "--purpose", "référence"}, {});
  ASSERT_TRUE(french.ok());
  EXPECT_EQ(french->Flag("purpose"), "référence");
}

}  // namespace
}  // namespace opendtm::cli
