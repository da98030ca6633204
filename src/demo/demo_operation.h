// The demo operation: a synthetic but realistic DTM operation written as the
// files a real one produces, so that every path of OpenDTM (ingest, cleaning,
// risk index, dissemination) can be shown and benchmarked without real data.
//
// WriteDemoOperation writes into a directory:
//   sites.csv          the master list of sites of round 1 (all open):
//                      site_id,site_name,adm1_pcode,adm2_pcode,latitude,
//                      longitude,site_type,status
//   round-01.csv …     one KoboToolbox-style CSV export per monthly round
//                      (round-NN, two digits), one row per site open in the
//                      round, rows in submission order.
//
// Layout of a round file (what KoboToolbox exports for the form that
// forms::BuildForm makes from the same dictionary, with XML values and group
// names in the headers):
//   start, end, today, deviceid              Kobo metadata (ISO date-times with
//                                            the country's UTC offset)
//   <module>/<name>                          every indicator of the dictionary,
//                                            module by module (site first, then
//                                            dictionary order), including the
//                                            `pii` focal-point names and phones,
//                                            filled with obviously fake values
//                                            ("Focal Person 17", "+234000000017")
//                                            so that ingest's PII dropping shows
//   site/_location_latitude, _longitude,     the geopoint `location`, split as
//   _altitude, _precision                    Kobo exports it, in place of the
//                                            latitude/longitude indicators
//                                            (Kobo's combined `site/location`
//                                            column is left out, so that each
//                                            coordinate has one source column)
//   gbv_risk/unsafe_areas/<choice>           Kobo's split 0/1 columns, right
//                                            after the space-separated column,
//                                            for kSplitSelectMultiple only
//   _id, _uuid, _submission_time,            Kobo submission metadata; _index is
//   _submitted_by, _index                    the 1-based data row of the file
// Select answers are choice codes (select_multiple: codes separated by one
// space); a question that is not relevant (its `relevant` expression is false)
// is blank. Survey dates fall in the round's month: round N is month N of
// `year` (rounds beyond 12 continue into the following years).
//
// Content. Sites are spread over the country's real admin1/admin2 P-codes
// from the gazetteer, clustered where displacement is (for Nigeria, mostly
// Borno, Adamawa and Yobe), at points inside the country's bounding box. Camps
// are larger than host-community sites; between rounds people arrive and
// leave, sites close and new sites open (new sites are not in sites.csv, as
// in a real operation, so they exercise the unknown-site path). SADD is
// consistent (3-8 people per household, the five age buckets of each sex sum
// to the sex total, the sex totals to ind_total); vulnerability counts are
// bounded by the groups they count; a few rows report unaccompanied children
// (uasc > 0, an urgent alert). Answers are stable across rounds and change
// now and then; GBV-risk answers follow each site's latent risk, derived from
// its type and whether it has a GBV referral mechanism (spontaneous settlements
// are riskier; camps with a referral mechanism have lighting and sex-separated
// latrines more often).
//
// Injected errors: each row has probability `error_rate` of carrying exactly
// one error, of a kind drawn among those possible in the row:
//   miscoded_choice  a select_one answer written as a case variant of its
//                    label ("No Lighting"), a typo ("Yess") or the label
//                    itself ("Yes, there is lighting and it is adequate");
//   sadd_age_sum     one age bucket changed, so that the buckets of that sex
//                    no longer sum to the sex total (the totals stay right);
//   latlon_swapped   latitude and longitude exchanged, only where the swapped
//                    point falls outside the country's box;
//   unknown_pcode    admin1 ("NG999") or admin2 ("NG008999") replaced by a
//                    P-code the gazetteer does not have;
//   negative_count   a count outside the SADD grid made negative.
// Every injected error is returned in DemoSummary::injected; nothing else in
// the files breaks those rules.
//
// Determinism: the files are a function of (dictionary, gazetteer, box,
// options) only: byte-identical for the same seed on any platform (the demo
// uses its own generator, no std:: distribution, no transcendental math).
//
// Cost: rows are streamed to disk through a 1 MiB buffer; memory grows with the
// number of sites (about 200 bytes plus one byte per indicator each), not with
// the number of rows.
//
// Thread-safety: a pure function of its arguments (plus the files it writes).
#ifndef OPENDTM_DEMO_DEMO_OPERATION_H_
#define OPENDTM_DEMO_DEMO_OPERATION_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/country_extent.h"
#include "dictionary/dictionary.h"
#include "geo/gazetteer.h"

namespace opendtm::demo {

struct DemoOptions {
  uint64_t seed = 2026;
  int sites = 2000;   // sites open in round 1, 1..1,000,000
  int rounds = 12;    // monthly rounds, 1..99
  int year = 2026;    // the year of round 1, 1900..9000
  std::string country = "NGA";  // ISO3; must be the box's country
  double error_rate = 0.02;     // share of rows with one injected error, 0..0.5
};

// The select_multiple indicator that also gets Kobo's split 0/1 columns.
inline constexpr std::string_view kSplitSelectMultiple = "unsafe_areas";

enum class ErrorKind {
  kMiscodedChoice,
  kSaddAgeSum,
  kLatLonSwapped,
  kUnknownPcode,
  kNegativeCount,
};
inline constexpr size_t kErrorKindCount = 5;

// "miscoded_choice", "sadd_age_sum", "latlon_swapped", "unknown_pcode",
// "negative_count".
std::string_view ErrorKindName(ErrorKind kind);

// Injected errors counted by kind.
struct ErrorCounts {
  std::array<int64_t, kErrorKindCount> by_kind{};

  int64_t& operator[](ErrorKind kind) { return by_kind[static_cast<size_t>(kind)]; }
  int64_t operator[](ErrorKind kind) const { return by_kind[static_cast<size_t>(kind)]; }
  int64_t total() const;
};

// One injected error, where it is and what it replaced.
struct InjectedError {
  int round = 0;
  int64_t row = 0;      // 1-based data row of the round file (its `_index`)
  std::string site_id;
  ErrorKind kind = ErrorKind::kMiscodedChoice;
  std::string column;   // the header of the changed column, "gbv_risk/lighting"
                        // (for a swap: "site/_location_latitude")
  std::string original; // the value before ("none"; for a swap "lat lon")
  std::string value;    // the value written ("No Lighting"; for a swap "lon lat")
  // miscoded_choice: "case_variant", "typo" or "label"; sadd_age_sum: the sex
  // total the buckets no longer match ("m_total"); unknown_pcode: "adm1" or
  // "adm2"; otherwise "".
  std::string detail;
};

struct RoundSummary {
  int round = 0;
  std::string file;       // "round-01.csv", relative to the output directory
  std::string first_day;  // the round's month, "2026-01-01" .. "2026-01-31"
  std::string last_day;
  int64_t rows = 0;       // data rows = sites open in the round
  int64_t new_sites = 0;  // sites that opened in this round (0 in round 1)
  int64_t closed_sites = 0;  // sites open in the previous round, closed now
  int64_t uasc_alerts = 0;   // rows with uasc > 0 as written
  ErrorCounts errors;
};

struct DemoSummary {
  std::string country;
  int64_t sites_round1 = 0;  // rows of sites.csv
  int64_t sites_total = 0;   // distinct sites over all rounds
  int64_t rows_total = 0;
  int64_t uasc_alerts = 0;
  ErrorCounts errors;
  std::vector<RoundSummary> rounds;
  std::vector<InjectedError> injected;  // round by round, in row order
  std::vector<std::string> files;       // written files, sites.csv first
};

// Writes the demo operation into `out_dir` (created when missing; existing
// files of the same names are replaced). `dictionary` must hold the structural
// indicators site_id, round, adm1_pcode, adm2_pcode, latitude, longitude,
// site_type (select_one) and the SADD grid (hh_total, ind_total, m_total,
// f_total, m_/f_ 0_1, 1_5, 6_17, 18_59, 60plus, all integers); any other
// indicator, including an operation's own, is filled by its type.
// The arguments are only used during the call.
// Returns the summary on success.
// Errors: InvalidArgument for options out of range, a box of another country
// or a dictionary without the structural indicators; NotFound when the
// gazetteer has no admin1/admin2 areas of the country; Unavailable when a
// directory or file cannot be created or written.
Result<DemoSummary> WriteDemoOperation(const dictionary::Dictionary& dictionary,
                                       const geo::Gazetteer& gazetteer, const geo::CountryExtent& box,
                                       const DemoOptions& options, const std::string& out_dir);

}  // namespace opendtm::demo

#endif  // OPENDTM_DEMO_DEMO_OPERATION_H_
