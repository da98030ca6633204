// Frames: an operation's accepted site submissions held column by column, the
// in-memory form every analysis reads (rollups, the risk index, trends).
//
// One Frame per round and assessment type (totals are never BA + SA). Rows
// are that round's accepted submissions ordered by site ID (then by id, when a
// site has several), so a frame's content does not depend on timing or
// threads. Columns are indexed like dictionary.indicators() and typed after
// the indicator:
//   integer          kInteger  int64 values
//   decimal          kNumber   doubles
//   select_one       kChoice   the choice's index in its list
//   select_multiple  kChoices  a bitset of choice indices (lists of up to 64
//                              choices; longer lists are kText)
//   anything else    kText     the stored text (dates ISO, P-codes, geopoints)
// and `present` says which rows have a value; pii indicators are never stored,
// so their columns are all absent. A stored choice code that the list does not
// have (a list the dictionary changed) is read as absent and counted in
// `unlisted`.
//
// Thread-safety: frames are values; read them from any number of threads.
#ifndef OPENDTM_ANALYSIS_FRAME_H_
#define OPENDTM_ANALYSIS_FRAME_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "dictionary/dictionary.h"
#include "store/store.h"

namespace opendtm::analysis {

enum class ColumnKind { kInteger, kNumber, kChoice, kChoices, kText };

// Lists longer than this are read as text rather than bitsets.
inline constexpr size_t kMaxBitsetChoices = 64;

struct Column {
  ColumnKind kind = ColumnKind::kText;
  std::vector<uint8_t> present;    // 1 where the row has a value
  // One of these holds the rows' values (the others stay empty); an absent
  // value's slot is 0 / "".
  std::vector<int64_t> integers;   // kInteger
  std::vector<double> numbers;     // kNumber
  std::vector<uint16_t> choices;   // kChoice: index in the list
  std::vector<uint64_t> bitsets;   // kChoices: bit k set when choice k was selected
  std::vector<std::string> texts;  // kText
  int64_t unlisted = 0;            // stored choice codes the list does not have

  size_t PresentCount() const;
};

struct Frame {
  int round = 0;
  store::AssessmentType assessment_type = store::AssessmentType::kSiteAssessment;
  std::vector<std::string> site_ids;     // by row
  std::vector<int64_t> submission_ids;   // by row
  std::vector<Column> columns;           // by indicator index

  size_t rows() const { return site_ids.size(); }
};

// One cell as text, into `text` (cleared first; "" when absent): a choice by
// its name, a selection as the selected names space-separated in list order,
// a number in its shortest form. `list` is the indicator's choice list (read
// only for kChoice and kChoices columns; nullptr leaves those "").
// Precondition: row < the column's rows.
void CellText(const Column& column, const dictionary::ChoiceList* list, size_t row,
              std::string& text);

// One row's values as text, indexed like dictionary.indicators() ("" where
// absent): choice codes by name, selections space-separated in list order,
// numbers in their shortest form. What per-row rules written over stored text
// (relevance conditions, the risk index) read. Precondition: row < rows() and
// `frame` was loaded with `dictionary`.
std::vector<std::string> RowText(const Frame& frame, const dictionary::Dictionary& dictionary,
                                 size_t row);

// A frame without rows whose columns are typed after `dictionary`, as
// LoadFrames makes them: for rows that do not come from site submissions
// (admin-level figures).
Frame EmptyFrame(const dictionary::Dictionary& dictionary, int round, store::AssessmentType type);

// Appends a row with every value absent (submission id 0); set its values
// through the columns afterwards (and `present`).
void AppendBlankRow(Frame& frame, std::string site_id);

// The operation's frames for rounds [first_round, last_round], by round then
// assessment type (in the store's order: BA, ETT, SA); a round without
// accepted submissions has no frame. Reads the store once. When `indicators`
// is not empty, only those columns are read (what the caller needs, such as
// RiskIndex::indicators_read()); every other column holds each row as absent.
// A site of the operation's master list is in its master-list area: its
// adm1..adm3_pcode columns hold store::MasterAreaOf, whatever a round
// reported (spec/disclosure.md).
// Errors: from the store.
Result<std::vector<Frame>> LoadFrames(store::Store& store,
                                      const dictionary::Dictionary& dictionary,
                                      int64_t operation_id, int first_round, int last_round,
                                      std::span<const int> indicators = {});

}  // namespace opendtm::analysis

#endif  // OPENDTM_ANALYSIS_FRAME_H_
