// Admin-level figures (the DTM API's and HDX's records kept by ingest) rolled
// up with the rollup engine of site data.
//
// A published figure is keyed by (operation, round, reporting date,
// assessment type) and published at admin 0, 1 and/or 2. For each key, the
// records of the finest level published become the rows of a Frame
// (numPresentIdpInd → ind_total, numberMales → m_total, numberFemales →
// f_total, the record's P-codes → adm0_pcode / adm1_pcode / adm2_pcode; a
// null number is absent), so that RollUp adds them up to any coarser level
// exactly as it adds up sites. The records published at coarser levels are
// kept beside, so that a rollup can be compared with what was published
// there: a figure that disagrees is reported, never silently replaced.
//
// Thread-safety: pure functions over immutable inputs.
#ifndef OPENDTM_ANALYSIS_ADMIN_FIGURES_H_
#define OPENDTM_ANALYSIS_ADMIN_FIGURES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/frame.h"
#include "analysis/rollup.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "store/records.h"

namespace opendtm::analysis {

// One key's figures: the finest level's records as frame rows.
struct AdminFigureFrame {
  int round = 0;
  std::string reporting_date;               // verbatim
  std::string assessment_type;              // verbatim ("SA", "BA")
  int finest_level = 0;                     // 0, 1 or 2: the level of the frame's rows
  Frame frame;                              // one row per record (its site_id: "admin2:HT0116")
  std::vector<store::AdminFigure> coarser;  // the key's records at coarser levels
};

// The admin levels as rollup levels: 0 → kCountry, 1 → kAdmin1, 2 → kAdmin2.
Level LevelOfAdmin(int admin_level);

// Groups `figures` by key, for rounds [first_round, last_round], sorted by
// round, reporting date and assessment type. Errors: InvalidArgument when the
// dictionary lacks ind_total, m_total, f_total or the P-code indicators.
Result<std::vector<AdminFigureFrame>> AdminFigureFrames(std::span<const store::AdminFigure> figures,
                                                        const dictionary::Dictionary& dictionary,
                                                        int first_round, int last_round);

// A figure published at a coarser level that its finer records do not add
// up to.
struct FigureDisagreement {
  std::string area;       // the published record's P-code at `level`
  std::string indicator;  // ind_total, m_total or f_total
  int64_t published = 0;
  std::optional<int64_t> summed;  // nullopt when no finer record is in the area
};

// Compares `rollup` (RollUp of figures.frame at `level`, without options)
// with the records of figures.coarser published at `level`. Records with a
// null number are not compared on it. Sorted by area, then indicator.
std::vector<FigureDisagreement> CompareWithPublished(const AdminFigureFrame& figures,
                                                     std::span<const AreaTotals> rollup,
                                                     Level level,
                                                     const dictionary::Dictionary& dictionary);

// The admin number of a rollup level: kCountry → 0, kAdmin1 → 1, kAdmin2 →
// 2; -1 for the others (sites, admin3, regions: no figure is published there).
int AdminOfLevel(Level level);

// One area's admin-level figures at one level for one key: the key's
// finest-level records in the area added up (as RollUp adds up
// AdminFigureFrame::frame, so that exports, rollups and trends agree).
struct AdminAreaTotal {
  // The area's figure: admin_level the level's, the P-codes and names of the
  // area and its parents as the records give them, round, reporting date and
  // assessment type of the key, the counts summed (males, females: nullopt
  // when no record gives them); source_id, displacement and origin fields "".
  store::AdminFigure figure;
  int source_level = 0;  // the key's finest level, whose records were added
  int64_t records = 0;   // records added up
};

// Every key's totals at `level` for rounds [first_round, last_round], sorted
// by round, reporting date, assessment type, then P-code. A key published
// only at levels coarser than `level` has none. Errors: InvalidArgument for a
// level that is not country, admin1 or admin2.
Result<std::vector<AdminAreaTotal>> AdminAreaTotals(std::span<const store::AdminFigure> figures,
                                                    Level level, int first_round, int last_round);

// The name the records give each P-code they carry (admin1Name of
// admin1Pcode, admin2Name of admin2Pcode, admin0Name of the country): the
// fallback for an area the gazetteer does not name.
std::map<std::string, std::string, std::less<>> PublishedAreaNames(
    std::span<const store::AdminFigure> figures);

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_ADMIN_FIGURES_H_
