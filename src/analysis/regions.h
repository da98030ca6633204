// Regions and the world: operations added up above the country level.
//
// A region groups operations: an operation's own region (Operation::region,
// set by `dtm operation create --region`) when it has one, else its country's
// region in a RegionTable (reference/regions.csv: IOM's regional offices),
// else "unassigned". The global level adds every operation together.
//
// The latest-round rule, as DTM's global figures are made: each operation
// counts with its latest round that has accepted submissions of the
// assessment type asked, so a region's figure adds rounds of different dates;
// every output names each operation's round, and operations without such a
// round are left out and named (the CLI does both).
//
// Thread-safety: RegionTable is immutable after Load; the functions are pure.
#ifndef OPENDTM_ANALYSIS_REGIONS_H_
#define OPENDTM_ANALYSIS_REGIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "store/records.h"

namespace opendtm::analysis {

// The region each operation falls in when it has none of its own.
inline constexpr std::string_view kUnassignedRegion = "unassigned";

class RegionTable {
 public:
  RegionTable() = default;

  // Reads a CSV file with a header `iso3,region` (lines starting with # are
  // comments). Errors: NotFound when the file cannot be read; InvalidArgument
  // naming the file and line of a malformed row or a country given twice.
  static Result<RegionTable> Load(const std::string& path);

  void Add(std::string iso3, std::string region) {
    region_of_[std::move(iso3)] = std::move(region);
  }
  // The country's region, "" when the table does not have it.
  std::string_view RegionOf(std::string_view iso3) const;
  size_t size() const { return region_of_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> region_of_;
};

// The region of an operation: its own, else its country's, else unassigned.
std::string RegionOfOperation(std::string_view own_region, std::string_view country,
                              const RegionTable& table);

// One operation's figures at country level for its latest round.
struct OperationFigures {
  std::string operation;
  std::string country;
  std::string region;
  int round = 0;
  std::vector<AreaTotals> countries;  // RollUp at Level::kCountry
  // From admin-level figures (admin_figures.h) rather than site submissions:
  // `countries` add up published records, and their `sites` is 0 (records
  // are not sites); `records` says how many were added.
  bool admin_figures = false;
  int64_t records = 0;
};

// An operation's country figures from its admin-level figures: the latest
// round with figures of `assessment_type` (its latest reporting date), its
// finest records rolled up to the country (AdminFigureFrames, RollUp with
// `options`). nullopt when no figure is of that type. Errors: those of
// AdminFigureFrames and RollUp.
Result<std::optional<OperationFigures>> LatestAdminFigures(
    std::span<const store::AdminFigure> figures, const dictionary::Dictionary& dictionary,
    std::string_view assessment_type, const RollupOptions& options);

// Adds `from` into `into`: sites, people, sums, reporting, sites and people
// per answer. Errors: InvalidArgument when their layouts differ (totals of
// different dictionaries).
Status AddTotals(AreaTotals& into, const AreaTotals& from);

// Adds up the operations' country figures per region (Level::kRegion; area =
// the region's name) or all together (Level::kGlobal; area = "global"),
// keeping `by` groups apart. Groups come sorted by area, then `by` (no answer
// last). Errors: InvalidArgument for another level, or from AddTotals.
Result<std::vector<AreaTotals>> CombineOperations(std::span<const OperationFigures> operations,
                                                  Level level);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_REGIONS_H_
