#include "demo/demo_operation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "core/csv_reader.h"
#include "core/date.h"
#include "core/number.h"
#include "dictionary/loader.h"
#include "dictionary/testing.h"
#include "expr/expression.h"

namespace opendtm::demo {
namespace {

using dictionary::Indicator;
using dictionary::ValueType;
using ::testing::HasSubstr;

const std::string kSharedData = std::string(OPENDTM_SHARED_DIR) + "/data/real/";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A fresh directory under the system's temporary directory, private to this
// process: ctest runs each test case as its own process, in parallel.
std::string FreshDirectory(const std::string& name) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(path);
  return path.string();
}

// One parsed file, with its columns by header.
struct ParsedFile {
  core::CsvTable table;
  std::map<std::string, size_t> column;

  const std::vector<std::string>& header() const { return table.rows.front(); }
  size_t data_rows() const { return table.rows.size() - 1; }
  // The cell of data row `row` (1-based, as `_index`) under `header`.
  const std::string& Cell(size_t row, const std::string& name) const {
    return table.rows[row].at(column.at(name));
  }
};

ParsedFile Parse(const std::string& path) {
  core::CsvOptions options;
  options.delimiter = ',';
  Result<core::CsvTable> table = core::ReadCsvFile(path, options);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  ParsedFile file;
  if (!table.ok()) return file;
  file.table = std::move(table).value();
  for (size_t column_idx = 0; column_idx < file.header().size(); ++column_idx) {
    file.column[file.header()[column_idx]] = column_idx;
  }
  return file;
}

int64_t Int(const std::string& text) {
  std::optional<int64_t> value = core::ParseInteger(text);
  EXPECT_TRUE(value.has_value()) << "not an integer: '" << text << "'";
  return value.value_or(0);
}

double Decimal(const std::string& text) {
  std::optional<double> value = core::ParseNumber(text);
  EXPECT_TRUE(value.has_value()) << "not a number: '" << text << "'";
  return value.value_or(0);
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::istringstream in(text);
  std::string token;
  while (in >> token) tokens.push_back(token);
  return tokens;
}

std::string Header(const Indicator& indicator) {
  return std::string(dictionary::ModuleName(indicator.module)) + "/" + indicator.name;
}

// The reference data, loaded once for all tests (read-only).
struct Reference {
  dictionary::Dictionary dictionary;
  geo::Gazetteer gazetteer;
  geo::CountryExtent box;
};

const Reference& LoadReference() {
  static const Reference* reference = [] {
    auto* loaded = new Reference;
    Result<dictionary::Dictionary> dictionary = dictionary::LoadDictionaryFile(
        std::string(OPENDTM_SOURCE_DIR) + "/dictionary/dtm-default.yaml");
    EXPECT_TRUE(dictionary.ok()) << dictionary.status().ToString();
    if (dictionary.ok()) loaded->dictionary = std::move(dictionary).value();
    Result<geo::Gazetteer> gazetteer =
        geo::Gazetteer::LoadFile(kSharedData + "global-pcodes-adm-1-2.hxl.csv");
    EXPECT_TRUE(gazetteer.ok()) << gazetteer.status().ToString();
    if (gazetteer.ok()) loaded->gazetteer = std::move(gazetteer).value();
    Result<geo::CountryExtent> box = geo::LoadCountryExtent(kSharedData + "country-bbox-naturalearth.csv", "NGA");
    EXPECT_TRUE(box.ok()) << box.status().ToString();
    if (box.ok()) loaded->box = std::move(box).value();
    return loaded;
  }();
  return *reference;
}

// The default demo (2,000 sites, 12 rounds, seed 2026), written once and
// parsed; every test below reads it.
class DemoOperationTest : public ::testing::Test {
 protected:
  struct Written {
    std::string dir;
    DemoSummary summary;
    ParsedFile sites;
    std::vector<ParsedFile> rounds;
    // Injected errors by (round, row).
    std::map<std::pair<int, int64_t>, const InjectedError*> injected;
  };

  static void SetUpTestSuite() {
    const Reference& reference = LoadReference();
    written_ = new Written;
    written_->dir = FreshDirectory("opendtm_demo_default");
    Result<DemoSummary> summary = WriteDemoOperation(
        reference.dictionary, reference.gazetteer, reference.box, DemoOptions(), written_->dir);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    written_->summary = std::move(summary).value();
    written_->sites = Parse(written_->dir + "/sites.csv");
    for (const RoundSummary& round : written_->summary.rounds) {
      written_->rounds.push_back(Parse(written_->dir + "/" + round.file));
    }
    for (const InjectedError& error : written_->summary.injected) {
      written_->injected[{error.round, error.row}] = &error;
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(written_->dir);
    delete written_;
    written_ = nullptr;
  }

  static const dictionary::Dictionary& Dict() { return LoadReference().dictionary; }
  static const geo::Gazetteer& Gazetteer() { return LoadReference().gazetteer; }
  static const geo::CountryExtent& Box() { return LoadReference().box; }
  static const DemoSummary& Summary() { return written_->summary; }
  static const std::vector<ParsedFile>& Rounds() { return written_->rounds; }

  // The error injected in `row` of `round`, or nullptr.
  static const InjectedError* InjectedAt(int round, size_t row) {
    auto found = written_->injected.find({round, static_cast<int64_t>(row)});
    return found == written_->injected.end() ? nullptr : found->second;
  }
  static bool InjectedAt(int round, size_t row, ErrorKind kind) {
    const InjectedError* error = InjectedAt(round, row);
    return error != nullptr && error->kind == kind;
  }

  static Written* written_;
};

DemoOperationTest::Written* DemoOperationTest::written_ = nullptr;

TEST_F(DemoOperationTest, WritesTheMasterListAndOneKoboExportPerRound) {
  ASSERT_EQ(Summary().rounds.size(), 12u);
  std::vector<std::string> expected_files = {"sites.csv"};
  for (int round = 1; round <= 12; ++round) {
    char name[32];
    std::snprintf(name, sizeof(name), "round-%02d.csv", round);
    expected_files.push_back(name);
    EXPECT_EQ(Summary().rounds[round - 1].file, name);
    EXPECT_TRUE(std::filesystem::exists(written_->dir + "/" + name));
  }
  EXPECT_EQ(Summary().files, expected_files);
  EXPECT_EQ(Summary().country, "NGA");
  EXPECT_EQ(Summary().sites_round1, 2000);
  EXPECT_EQ(written_->sites.header(),
            (std::vector<std::string>{"site_id", "site_name", "adm1_pcode", "adm2_pcode",
                                      "latitude", "longitude", "site_type", "status"}));
  EXPECT_EQ(written_->sites.data_rows(), 2000u);
  int64_t rows_total = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    EXPECT_EQ(static_cast<int64_t>(Rounds()[round_idx].data_rows()),
              Summary().rounds[round_idx].rows);
    rows_total += Summary().rounds[round_idx].rows;
  }
  EXPECT_EQ(rows_total, Summary().rows_total);
  EXPECT_EQ(Summary().rounds[0].rows, 2000);
  EXPECT_EQ(Summary().rounds[0].first_day, "2026-01-01");
  EXPECT_EQ(Summary().rounds[1].last_day, "2026-02-28");
}

TEST_F(DemoOperationTest, EveryFileParsesWithConsistentColumnCounts) {
  auto check = [](const ParsedFile& file, const std::string& name) {
    ASSERT_GE(file.table.rows.size(), 2u) << name;
    std::set<std::string> distinct(file.header().begin(), file.header().end());
    EXPECT_EQ(distinct.size(), file.header().size()) << name << ": duplicate header";
    for (size_t row_idx = 0; row_idx < file.table.rows.size(); ++row_idx) {
      ASSERT_EQ(file.table.rows[row_idx].size(), file.header().size())
          << name << " line " << file.table.row_lines[row_idx];
    }
    EXPECT_EQ(file.table.source_encoding, core::Encoding::kUtf8) << name;
  };
  check(written_->sites, "sites.csv");
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    check(Rounds()[round_idx], Summary().rounds[round_idx].file);
  }
}

TEST_F(DemoOperationTest, HeaderFollowsTheDictionaryAsKoboExportsTheForm) {
  const ParsedFile& file = Rounds().front();
  for (const Indicator& indicator : Dict().indicators()) {
    if (indicator.name == "latitude" || indicator.name == "longitude") {
      EXPECT_EQ(file.column.count(Header(indicator)), 0u) << Header(indicator);
      continue;
    }
    EXPECT_EQ(file.column.count(Header(indicator)), 1u) << "missing column " << Header(indicator);
  }
  for (const char* name : {"start", "end", "today", "deviceid", "site/_location_latitude",
                           "site/_location_longitude", "site/_location_altitude",
                           "site/_location_precision", "_id", "_uuid", "_submission_time",
                           "_submitted_by", "_index"}) {
    EXPECT_EQ(file.column.count(name), 1u) << "missing column " << name;
  }
  // Metadata first and last, as Kobo writes them; latitude before longitude.
  EXPECT_EQ(file.header().front(), "start");
  EXPECT_EQ(file.header().back(), "_index");
  EXPECT_LT(file.column.at("site/_location_latitude"), file.column.at("site/_location_longitude"));
  // Split columns of the one select_multiple, right after its own column.
  const Indicator* unsafe = Dict().FindIndicator(kSplitSelectMultiple);
  ASSERT_NE(unsafe, nullptr);
  size_t next = file.column.at(Header(*unsafe)) + 1;
  for (const dictionary::Choice& choice : Dict().ListOf(*unsafe)->choices) {
    EXPECT_EQ(file.header()[next++], Header(*unsafe) + "/" + choice.name);
  }
  // Every column is a dictionary path, a split or geopoint column, or metadata.
  size_t accounted = 13 + Dict().ListOf(*unsafe)->choices.size() + Dict().indicators().size() - 2;
  EXPECT_EQ(file.header().size(), accounted);
  // Every round has the same header.
  for (const ParsedFile& round : Rounds()) EXPECT_EQ(round.header(), file.header());
}

TEST_F(DemoOperationTest, SaddIsConsistentExceptWhereAnErrorWasInjected) {
  const char* kBuckets[] = {"0_1", "1_5", "6_17", "18_59", "60plus"};
  int64_t broken_rows = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      const int64_t households = Int(file.Cell(row, "population/hh_total"));
      const int64_t individuals = Int(file.Cell(row, "population/ind_total"));
      int64_t by_sex[2];
      bool buckets_match = true;
      for (int sex = 0; sex < 2; ++sex) {
        const std::string prefix = sex == 0 ? "population/m_" : "population/f_";
        by_sex[sex] = Int(file.Cell(row, prefix + "total"));
        int64_t sum = 0;
        for (const char* bucket : kBuckets) {
          const int64_t count = Int(file.Cell(row, prefix + bucket));
          EXPECT_GE(count, 0);
          sum += count;
        }
        buckets_match = buckets_match && sum == by_sex[sex];
      }
      EXPECT_EQ(by_sex[0] + by_sex[1], individuals) << "round " << round << " row " << row;
      EXPECT_GE(households, 1);
      EXPECT_GE(individuals, 3 * households);  // 3-8 people per household
      EXPECT_LE(individuals, 8 * households);
      EXPECT_EQ(!buckets_match, InjectedAt(round, row, ErrorKind::kSaddAgeSum))
          << "round " << round << " row " << row;
      if (!buckets_match) ++broken_rows;
    }
  }
  EXPECT_EQ(broken_rows, Summary().errors[ErrorKind::kSaddAgeSum]);
  EXPECT_GT(broken_rows, 0);
}

TEST_F(DemoOperationTest, VulnerabilitiesAreBoundedByTheGroupsTheyCount) {
  for (const ParsedFile& file : Rounds()) {
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      const int64_t households = Int(file.Cell(row, "population/hh_total"));
      const int64_t women = Int(file.Cell(row, "population/f_18_59"));
      for (const char* name : {"vulnerability/hh_female_headed", "vulnerability/hh_child_headed",
                               "vulnerability/hh_elderly_headed"}) {
        EXPECT_LE(Int(file.Cell(row, name)), households);
      }
      EXPECT_LE(Int(file.Cell(row, "vulnerability/pregnant")), women);
      EXPECT_LE(Int(file.Cell(row, "vulnerability/breastfeeding")), women);
      const int64_t children =
          Int(file.Cell(row, "population/m_6_17")) + Int(file.Cell(row, "population/f_6_17"));
      EXPECT_LE(Int(file.Cell(row, "vulnerability/uasc")), children);
    }
  }
}

TEST_F(DemoOperationTest, CoordinatesAreInsideTheBoxExceptInjectedSwaps) {
  int64_t outside = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      const double latitude = Decimal(file.Cell(row, "site/_location_latitude"));
      const double longitude = Decimal(file.Cell(row, "site/_location_longitude"));
      const bool swapped = InjectedAt(round, row, ErrorKind::kLatLonSwapped);
      EXPECT_EQ(Box().Contains(latitude, longitude), !swapped)
          << "round " << round << " row " << row;
      if (swapped) {
        ++outside;
        EXPECT_TRUE(Box().Contains(longitude, latitude));  // swapped back, it is inside
      }
    }
  }
  EXPECT_EQ(outside, Summary().errors[ErrorKind::kLatLonSwapped]);
  EXPECT_GT(outside, 0);
  for (size_t row = 1; row <= written_->sites.data_rows(); ++row) {
    EXPECT_TRUE(Box().Contains(Decimal(written_->sites.Cell(row, "latitude")),
                               Decimal(written_->sites.Cell(row, "longitude"))));
  }
}

TEST_F(DemoOperationTest, AdminPcodesAreRealAndNestedExceptInjectedUnknownOnes) {
  auto check_pair = [](const std::string& adm1, const std::string& adm2) {
    const geo::AdminArea* area1 = Gazetteer().Find(adm1);
    const geo::AdminArea* area2 = Gazetteer().Find(adm2);
    ASSERT_NE(area1, nullptr) << adm1;
    ASSERT_NE(area2, nullptr) << adm2;
    EXPECT_EQ(area1->level, 1);
    EXPECT_EQ(area1->country, "NGA");
    EXPECT_EQ(area2->level, 2);
    EXPECT_EQ(area2->parent_pcode, adm1);
  };
  for (size_t row = 1; row <= written_->sites.data_rows(); ++row) {
    check_pair(written_->sites.Cell(row, "adm1_pcode"), written_->sites.Cell(row, "adm2_pcode"));
  }
  int64_t unknown = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      const std::string& adm1 = file.Cell(row, "site/adm1_pcode");
      const std::string& adm2 = file.Cell(row, "site/adm2_pcode");
      EXPECT_EQ(file.Cell(row, "site/adm0_pcode"), "NGA");
      check_pair(file.Cell(row, "mobility/origin_adm1_pcode"),
                 file.Cell(row, "mobility/origin_adm2_pcode"));
      if (InjectedAt(round, row, ErrorKind::kUnknownPcode)) {
        ++unknown;
        const InjectedError& error = *InjectedAt(round, row);
        EXPECT_EQ(Gazetteer().Find(error.value), nullptr) << error.value;
        EXPECT_EQ(error.value, error.detail == "adm1" ? adm1 : adm2);
        continue;
      }
      check_pair(adm1, adm2);
    }
  }
  EXPECT_EQ(unknown, Summary().errors[ErrorKind::kUnknownPcode]);
}

TEST_F(DemoOperationTest, SelectValuesAreChoiceCodesExceptInjectedMiscodings) {
  int64_t miscoded = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (const Indicator& indicator : Dict().indicators()) {
      if (!indicator.is_select()) continue;
      const dictionary::ChoiceList* list = Dict().ListOf(indicator);
      for (size_t row = 1; row <= file.data_rows(); ++row) {
        const std::string& value = file.Cell(row, Header(indicator));
        if (value.empty()) continue;
        if (indicator.type == ValueType::kSelectOne) {
          if (list->Find(value) != nullptr) continue;
          ++miscoded;
          const InjectedError* error = InjectedAt(round, row);
          ASSERT_NE(error, nullptr) << Header(indicator) << " '" << value << "' round " << round;
          EXPECT_EQ(error->kind, ErrorKind::kMiscodedChoice);
          EXPECT_EQ(error->column, Header(indicator));
          EXPECT_EQ(error->value, value);
          EXPECT_NE(list->Find(error->original), nullptr);
          continue;
        }
        std::vector<std::string> tokens = Tokens(value);
        std::set<std::string> distinct(tokens.begin(), tokens.end());
        EXPECT_EQ(distinct.size(), tokens.size()) << value;
        EXPECT_LE(tokens.size(), 3u) << value;
        for (const std::string& token : tokens) {
          EXPECT_NE(list->Find(token), nullptr) << Header(indicator) << " '" << value << "'";
          if (token == "none" || token == "not_reported") {
            EXPECT_EQ(tokens.size(), 1u) << value;
          }
        }
        if (indicator.name == kSplitSelectMultiple) {
          for (const dictionary::Choice& choice : list->choices) {
            const std::string& flag = file.Cell(row, Header(indicator) + "/" + choice.name);
            EXPECT_EQ(flag, distinct.count(choice.name) != 0 ? "1" : "0");
          }
        }
      }
    }
  }
  EXPECT_EQ(miscoded, Summary().errors[ErrorKind::kMiscodedChoice]);
  // All three styles appear, and "No Lighting" is among the case variants.
  std::set<std::string> styles;
  for (const InjectedError& error : Summary().injected) {
    if (error.kind == ErrorKind::kMiscodedChoice) styles.insert(error.detail);
  }
  EXPECT_EQ(styles, (std::set<std::string>{"case_variant", "label", "typo"}));
}

TEST_F(DemoOperationTest, NegativeCountsAreExactlyTheInjectedOnes) {
  int64_t negative = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (const Indicator& indicator : Dict().indicators()) {
      if (indicator.type != ValueType::kInteger) continue;
      for (size_t row = 1; row <= file.data_rows(); ++row) {
        const std::string& value = file.Cell(row, Header(indicator));
        if (value.empty() || Int(value) >= 0) continue;
        ++negative;
        const InjectedError* error = InjectedAt(round, row);
        ASSERT_NE(error, nullptr) << Header(indicator) << " " << value;
        EXPECT_EQ(error->kind, ErrorKind::kNegativeCount);
        EXPECT_EQ(error->column, Header(indicator));
        EXPECT_NE(indicator.module, dictionary::Module::kPopulation);
      }
    }
  }
  EXPECT_EQ(negative, Summary().errors[ErrorKind::kNegativeCount]);
}

TEST_F(DemoOperationTest, InjectedErrorsMatchTheSummaryAndTheRate) {
  ErrorCounts counted;
  std::set<std::pair<int, int64_t>> rows;
  for (const InjectedError& error : Summary().injected) {
    ++counted[error.kind];
    EXPECT_TRUE(rows.insert({error.round, error.row}).second) << "two errors in one row";
    ASSERT_GE(error.round, 1);
    ASSERT_LE(error.round, 12);
    const ParsedFile& file = Rounds()[error.round - 1];
    ASSERT_LE(static_cast<size_t>(error.row), file.data_rows());
    EXPECT_EQ(file.Cell(error.row, "site/site_id"), error.site_id);
    EXPECT_EQ(file.Cell(error.row, "_index"), std::to_string(error.row));
    EXPECT_NE(error.original, error.value);
  }
  EXPECT_EQ(counted.by_kind, Summary().errors.by_kind);
  ErrorCounts by_rounds;
  for (const RoundSummary& round : Summary().rounds) {
    for (size_t kind_idx = 0; kind_idx < kErrorKindCount; ++kind_idx) {
      by_rounds.by_kind[kind_idx] += round.errors.by_kind[kind_idx];
    }
  }
  EXPECT_EQ(by_rounds.by_kind, Summary().errors.by_kind);
  for (size_t kind_idx = 0; kind_idx < kErrorKindCount; ++kind_idx) {
    EXPECT_GT(Summary().errors.by_kind[kind_idx], 0)
        << ErrorKindName(static_cast<ErrorKind>(kind_idx));
  }
  const double rate = static_cast<double>(Summary().errors.total()) / Summary().rows_total;
  EXPECT_GT(rate, 0.015);
  EXPECT_LT(rate, 0.025);
}

TEST_F(DemoOperationTest, SitesArriveCloseAndKeepTheirIds) {
  std::set<std::string> previous;
  for (size_t row = 1; row <= written_->sites.data_rows(); ++row) {
    previous.insert(written_->sites.Cell(row, "site_id"));
    EXPECT_EQ(written_->sites.Cell(row, "status"), "open");
  }
  int64_t total_new = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const RoundSummary& round = Summary().rounds[round_idx];
    std::set<std::string> current;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      EXPECT_TRUE(current.insert(file.Cell(row, "site/site_id")).second) << "duplicate site";
      EXPECT_EQ(file.Cell(row, "site/round"), std::to_string(round.round));
      const InjectedError* error = InjectedAt(round.round, row);
      if (error == nullptr || error->column != "site/site_open") {
        EXPECT_EQ(file.Cell(row, "site/site_open"), "yes");
      }
    }
    int64_t opened = 0;
    int64_t closed = 0;
    for (const std::string& id : current) opened += previous.count(id) == 0 ? 1 : 0;
    for (const std::string& id : previous) closed += current.count(id) == 0 ? 1 : 0;
    EXPECT_EQ(opened, round.new_sites) << round.file;
    EXPECT_EQ(closed, round.closed_sites) << round.file;
    if (round_idx > 0) {
      EXPECT_GT(round.new_sites, 0);
      EXPECT_GT(round.closed_sites, 0);
    }
    total_new += round.new_sites;
    previous = std::move(current);
  }
  EXPECT_EQ(Summary().sites_total, 2000 + total_new);
}

TEST_F(DemoOperationTest, PopulationMovesBetweenRounds) {
  std::map<std::string, int64_t> first, last;
  for (size_t row = 1; row <= Rounds().front().data_rows(); ++row) {
    first[Rounds().front().Cell(row, "site/site_id")] =
        Int(Rounds().front().Cell(row, "population/hh_total"));
  }
  int changed = 0;
  for (size_t row = 1; row <= Rounds()[1].data_rows(); ++row) {
    auto found = first.find(Rounds()[1].Cell(row, "site/site_id"));
    if (found != first.end() &&
        found->second != Int(Rounds()[1].Cell(row, "population/hh_total"))) {
      ++changed;
    }
  }
  EXPECT_GT(changed, 1000);
}

TEST_F(DemoOperationTest, DatesAndKoboMetadataArePlausible) {
  std::set<std::string> uuids;
  int64_t last_id = 0;
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const RoundSummary& round = Summary().rounds[round_idx];
    std::string last_submission;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      const std::string& today = file.Cell(row, "today");
      EXPECT_EQ(file.Cell(row, "site/survey_date"), today);
      EXPECT_GE(today, round.first_day);
      EXPECT_LE(today, round.last_day);
      EXPECT_TRUE(core::ParseIsoDate(today).ok()) << today;
      const std::string& start = file.Cell(row, "start");
      const std::string& end = file.Cell(row, "end");
      EXPECT_EQ(start.substr(0, 10), today);
      EXPECT_THAT(start, HasSubstr(".000+01:00"));
      EXPECT_LT(start, end);
      const std::string& arrival_first = file.Cell(row, "mobility/arrival_first");
      const std::string& arrival_last = file.Cell(row, "mobility/arrival_last");
      EXPECT_LE(arrival_first, arrival_last);
      EXPECT_LE(arrival_last, today);
      const std::string& submitted = file.Cell(row, "_submission_time");
      EXPECT_GE(submitted, last_submission) << "rows are in submission order";
      last_submission = submitted;
      const int64_t id = Int(file.Cell(row, "_id"));
      EXPECT_GT(id, last_id);
      last_id = id;
      EXPECT_EQ(file.Cell(row, "_index"), std::to_string(row));
      const std::string& uuid = file.Cell(row, "_uuid");
      EXPECT_EQ(uuid.size(), 36u);
      EXPECT_EQ(uuid[14], '4');
      EXPECT_TRUE(uuids.insert(uuid).second);
      EXPECT_THAT(file.Cell(row, "deviceid"), HasSubstr("collect:"));
      EXPECT_THAT(file.Cell(row, "_submitted_by"), HasSubstr("dtm_ng0"));
    }
  }
}

TEST_F(DemoOperationTest, PiiIsObviouslyFakeAndOnlyWhereRelevant) {
  const ParsedFile& file = Rounds().front();
  int64_t filled = 0;
  for (size_t row = 1; row <= file.data_rows(); ++row) {
    const std::string serial = std::to_string(std::stoll(file.Cell(row, "site/site_id").substr(4)));
    const std::string& committee = file.Cell(row, "site/smc_exists");
    const std::string& name = file.Cell(row, "site/smc_focal_name");
    const std::string& phone = file.Cell(row, "site/smc_focal_phone");
    if (committee == "yes") {
      EXPECT_EQ(name, "Focal Person " + serial);
      ASSERT_EQ(phone.size(), 13u);
      EXPECT_EQ(phone.substr(0, 4), "+234");
      EXPECT_EQ(std::stoll(phone.substr(4)), std::stoll(serial));
      ++filled;
    } else if (committee == "no" || committee == "unknown") {
      EXPECT_EQ(name, "");
      EXPECT_EQ(phone, "");
      EXPECT_EQ(file.Cell(row, "gbv_risk/smc_women_pct"), "");
    }
    if (file.Cell(row, "site/sma_exists") == "no") {
      EXPECT_EQ(file.Cell(row, "site/sma_type"), "");
      EXPECT_EQ(file.Cell(row, "site/sma_focal_name"), "");
    }
  }
  EXPECT_GT(filled, 500);
}

// Every constraint of the dictionary holds in every cell that was not changed
// by an injected error.
TEST_F(DemoOperationTest, DictionaryConstraintsHoldOutsideInjectedErrors) {
  const std::vector<Indicator>& indicators = Dict().indicators();
  auto resolver = [&](std::string_view name) -> std::optional<int> {
    const Indicator* found = Dict().FindIndicator(name);
    if (found == nullptr) return std::nullopt;
    return static_cast<int>(found - indicators.data());
  };
  std::vector<std::optional<expr::Expression>> constraints;
  for (const Indicator& indicator : indicators) {
    constraints.emplace_back();
    if (indicator.constraint.empty()) continue;
    Result<expr::Expression> compiled = expr::Expression::Compile(indicator.constraint, resolver);
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    constraints.back().emplace(std::move(compiled).value());
  }
  for (size_t round_idx = 0; round_idx < Rounds().size(); ++round_idx) {
    const ParsedFile& file = Rounds()[round_idx];
    const int round = static_cast<int>(round_idx) + 1;
    for (size_t row = 1; row <= file.data_rows(); ++row) {
      std::vector<std::string_view> slots;
      for (const Indicator& indicator : indicators) {
        std::string header = Header(indicator);
        if (indicator.name == "latitude") header = "site/_location_latitude";
        if (indicator.name == "longitude") header = "site/_location_longitude";
        slots.push_back(file.Cell(row, header));
      }
      const InjectedError* error = InjectedAt(round, row);
      const int64_t today =
          core::DaysSinceEpoch(core::ParseIsoDate(file.Cell(row, "today")).value());
      for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
        if (!constraints[indicator_idx].has_value() || slots[indicator_idx].empty()) continue;
        const std::string header = Header(indicators[indicator_idx]);
        if (error != nullptr && (error->column == header ||
                                 error->kind == ErrorKind::kLatLonSwapped)) {
          continue;
        }
        expr::EvaluationContext context;
        context.slots = slots;
        context.current = slots[indicator_idx];
        context.today_days = today;
        EXPECT_TRUE(constraints[indicator_idx]->EvaluateBoolean(context))
            << header << " = '" << slots[indicator_idx] << "' round " << round << " row " << row;
      }
    }
  }
}

TEST_F(DemoOperationTest, ContentLooksLikeTheNorthEastOperation) {
  const ParsedFile& file = Rounds().front();
  std::map<std::string, int64_t> per_admin1;
  std::map<std::string, std::vector<int64_t>> households_by_type;
  // Lighting adequate: camps with a referral mechanism vs spontaneous
  // settlements without one.
  int64_t camps_referral = 0, camps_referral_lit = 0, spontaneous = 0, spontaneous_lit = 0;
  int64_t camps_referral_latrines = 0, spontaneous_latrines = 0;
  for (size_t row = 1; row <= file.data_rows(); ++row) {
    ++per_admin1[file.Cell(row, "site/adm1_pcode")];
    const std::string& type = file.Cell(row, "site/site_type");
    households_by_type[type].push_back(Int(file.Cell(row, "population/hh_total")));
    const bool referral = file.Cell(row, "gbv_risk/gbv_referral_mechanism") == "yes";
    const bool lit = file.Cell(row, "gbv_risk/lighting") == "adequate";
    const bool latrines = file.Cell(row, "gbv_risk/latrines_sex_separated") == "yes";
    if (type == "camp" && referral) {
      ++camps_referral;
      camps_referral_lit += lit;
      camps_referral_latrines += latrines;
    }
    if (type == "spontaneous_settlement" && !referral) {
      ++spontaneous;
      spontaneous_lit += lit;
      spontaneous_latrines += latrines;
    }
  }
  const int64_t north_east = per_admin1["NG008"] + per_admin1["NG002"] + per_admin1["NG036"];
  EXPECT_GT(north_east, 1200);  // most of 2,000
  EXPECT_LT(north_east, 1900);  // but not all
  EXPECT_GE(per_admin1.size(), 25u);
  auto median = [](std::vector<int64_t> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  EXPECT_GT(median(households_by_type["camp"]), 2 * median(households_by_type["host_community"]));
  ASSERT_GT(camps_referral, 100);
  ASSERT_GT(spontaneous, 100);
  EXPECT_GT(camps_referral_lit * spontaneous, 3 * spontaneous_lit * camps_referral);
  EXPECT_GT(camps_referral_latrines * spontaneous, 3 * spontaneous_latrines * camps_referral);
  // A few unaccompanied-children alerts.
  int64_t alerts = 0;
  for (const ParsedFile& round : Rounds()) {
    for (size_t row = 1; row <= round.data_rows(); ++row) {
      alerts += Int(round.Cell(row, "vulnerability/uasc")) > 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(alerts, Summary().uasc_alerts);
  EXPECT_GT(alerts, 5);
  EXPECT_LT(alerts, Summary().rows_total / 100);
}

// ---- Determinism and options (small operations, written per test) --------

DemoOptions Small(uint64_t seed) {
  DemoOptions options;
  options.seed = seed;
  options.sites = 300;
  options.rounds = 3;
  return options;
}

std::vector<std::string> WriteAndRead(const DemoOptions& options, const std::string& dir) {
  const Reference& reference = LoadReference();
  Result<DemoSummary> summary =
      WriteDemoOperation(reference.dictionary, reference.gazetteer, reference.box, options, dir);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  std::vector<std::string> contents;
  if (!summary.ok()) return contents;
  for (const std::string& file : summary->files) contents.push_back(ReadBytes(dir + "/" + file));
  std::filesystem::remove_all(dir);
  return contents;
}

TEST(DemoDeterminismTest, SameSeedGivesByteIdenticalFiles) {
  std::vector<std::string> first = WriteAndRead(Small(7), FreshDirectory("opendtm_demo_a"));
  std::vector<std::string> second = WriteAndRead(Small(7), FreshDirectory("opendtm_demo_b"));
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), first.size());
  for (size_t file_idx = 0; file_idx < first.size(); ++file_idx) {
    EXPECT_FALSE(first[file_idx].empty());
    EXPECT_TRUE(first[file_idx] == second[file_idx]) << "file " << file_idx << " differs";
  }
}

TEST(DemoDeterminismTest, DifferentSeedsGiveDifferentFiles) {
  std::vector<std::string> first = WriteAndRead(Small(7), FreshDirectory("opendtm_demo_c"));
  std::vector<std::string> second = WriteAndRead(Small(8), FreshDirectory("opendtm_demo_d"));
  ASSERT_EQ(first.size(), second.size());
  for (size_t file_idx = 0; file_idx < first.size(); ++file_idx) {
    EXPECT_NE(first[file_idx], second[file_idx]) << "file " << file_idx;
  }
}

TEST(DemoOptionsTest, ZeroErrorRateInjectsNothing) {
  const Reference& reference = LoadReference();
  DemoOptions options = Small(3);
  options.error_rate = 0;
  const std::string dir = FreshDirectory("opendtm_demo_clean");
  Result<DemoSummary> summary =
      WriteDemoOperation(reference.dictionary, reference.gazetteer, reference.box, options, dir);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->errors.total(), 0);
  EXPECT_TRUE(summary->injected.empty());
  std::filesystem::remove_all(dir);
}

TEST(DemoOptionsTest, RoundsBeyondTwelveContinueIntoTheNextYear) {
  const Reference& reference = LoadReference();
  DemoOptions options = Small(3);
  options.sites = 20;
  options.rounds = 14;
  const std::string dir = FreshDirectory("opendtm_demo_long");
  Result<DemoSummary> summary =
      WriteDemoOperation(reference.dictionary, reference.gazetteer, reference.box, options, dir);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rounds[13].file, "round-14.csv");
  EXPECT_EQ(summary->rounds[13].first_day, "2027-02-01");
  std::filesystem::remove_all(dir);
}

TEST(DemoOptionsTest, RefusesOptionsOutOfRange) {
  const Reference& reference = LoadReference();
  auto write = [&](const DemoOptions& options, const geo::CountryExtent& box) {
    return WriteDemoOperation(reference.dictionary, reference.gazetteer, box, options,
                              FreshDirectory("opendtm_demo_refused"))
        .status();
  };
  DemoOptions options;
  options.sites = 0;
  EXPECT_EQ(write(options, reference.box).code(), StatusCode::kInvalidArgument);
  options = DemoOptions();
  options.rounds = 100;
  EXPECT_EQ(write(options, reference.box).code(), StatusCode::kInvalidArgument);
  options = DemoOptions();
  options.error_rate = 0.9;
  EXPECT_EQ(write(options, reference.box).code(), StatusCode::kInvalidArgument);
  options = DemoOptions();
  options.country = "NPL";
  Status mismatch = write(options, reference.box);
  EXPECT_EQ(mismatch.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(mismatch.message(), HasSubstr("NGA"));
  geo::CountryExtent nowhere = reference.box;
  nowhere.iso3 = "XXX";
  options.country = "XXX";
  EXPECT_EQ(write(options, nowhere).code(), StatusCode::kNotFound);
}

TEST(DemoOptionsTest, RefusesADictionaryWithoutTheStructuralIndicators) {
  const Reference& reference = LoadReference();
  Result<dictionary::Dictionary> small =
      dictionary::LoadDictionaryText(dictionary::testing::SmallDictionaryYaml(), "small.yaml");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  const std::string dir = FreshDirectory("opendtm_demo_small_dictionary");
  Result<DemoSummary> summary =
      WriteDemoOperation(*small, reference.gazetteer, reference.box, Small(1), dir);
  ASSERT_FALSE(summary.ok());
  EXPECT_FALSE(std::filesystem::exists(dir)) << "nothing is written for a refused call";
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(summary.status().message(), HasSubstr("site_type"));
}

TEST(DemoOptionsTest, UnwritableDirectoryIsUnavailable) {
  const Reference& reference = LoadReference();
  const std::string blocker = FreshDirectory("opendtm_demo_blocker");
  std::ofstream(blocker) << "a file, not a directory";
  Result<DemoSummary> summary = WriteDemoOperation(
      reference.dictionary, reference.gazetteer, reference.box, Small(1), blocker + "/out");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kUnavailable);
  std::filesystem::remove(blocker);
}

TEST(DemoOtherCountryTest, NepalSitesUseNepalsPcodesAndBox) {
  const Reference& reference = LoadReference();
  Result<geo::CountryExtent> box = geo::LoadCountryExtent(kSharedData + "country-bbox-naturalearth.csv", "NPL");
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  DemoOptions options = Small(5);
  options.country = "NPL";
  options.sites = 150;
  options.rounds = 2;
  options.error_rate = 0;
  const std::string dir = FreshDirectory("opendtm_demo_npl");
  Result<DemoSummary> summary =
      WriteDemoOperation(reference.dictionary, reference.gazetteer, *box, options, dir);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ParsedFile file = Parse(dir + "/round-02.csv");
  ASSERT_GT(file.data_rows(), 100u);
  for (size_t row = 1; row <= file.data_rows(); ++row) {
    const geo::AdminArea* area = reference.gazetteer.Find(file.Cell(row, "site/adm2_pcode"));
    ASSERT_NE(area, nullptr);
    EXPECT_EQ(area->country, "NPL");
    EXPECT_EQ(area->parent_pcode, file.Cell(row, "site/adm1_pcode"));
    EXPECT_TRUE(box->Contains(Decimal(file.Cell(row, "site/_location_latitude")),
                              Decimal(file.Cell(row, "site/_location_longitude"))));
    EXPECT_EQ(file.Cell(row, "site/smc_focal_phone").substr(0, 4),
              file.Cell(row, "site/smc_focal_phone").empty() ? "" : "+000");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opendtm::demo
