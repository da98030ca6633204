// ChoiceMatcher: turns a submitted answer into the code of one choice of a
// list, the way an information-management officer would read it.
//
// A submitted answer may be the choice's code ("none"), its label in any
// language ("No lighting", "Pas d'éclairage") or an accepted variant (">75%").
// Matching goes, for each answer:
//   1. a missing-value word ("", "no answer", "n/a", "N/A", "na", "-", any case
//      and spacing) is no answer at all — unless it is exactly a code, label or
//      variant of the list (checked first);
//   2. exactly a code, a label or a variant           -> the code (kExact: silent,
//      only counted);
//   3. the same after NormalizeLabel (case folding, trimmed and collapsed
//      spaces: "No Lighting", " no  lighting ")     -> the code (kNormalised: a
//      `choice_normalised` cleaning-log entry);
//   4. otherwise no match (a `choice` finding), with the closest code as a
//      suggestion when it is close: the Levenshtein distance (in code points,
//      over normalised text) to some code, label or variant is at most
//      max(2, 30% of the answer's length) and smaller than the longer of the two.
// A normalised spelling shared by two different choices matches neither (it
// is ambiguous) and falls through to step 4.
//
// select_multiple answers come in two shapes, both handled by MatchMultiple:
// space-separated codes ("conflict natural_disaster", as XLSForm stores them)
// and labels separated by ';' (DTM's compound "Conflict; Natural disaster").
//
// Thread-safety: immutable after construction; safe to share between threads.
// The matcher copies what it needs from the list, which need not outlive it.
#ifndef OPENDTM_INGEST_CHOICE_MATCHER_H_
#define OPENDTM_INGEST_CHOICE_MATCHER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "dictionary/indicator.h"

namespace opendtm::ingest {

// True when `value` is a missing-value word: empty or whitespace only, or,
// ignoring case and spacing, "no answer", "n/a", "na" or "-".
bool IsMissingValue(std::string_view value);

// The Levenshtein distance between two UTF-8 strings, counted in code points
// (ill-formed bytes count as one code point each). Stops early and returns
// `limit + 1` as soon as the distance is known to exceed `limit`.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit);

// How one answer matched.
enum class ChoiceMatchKind {
  kMissing,     // a missing-value word: no answer
  kExact,       // exactly a code, label or variant
  kNormalised,  // a code, label or variant after NormalizeLabel
  kNoMatch,     // none of them
};

struct ChoiceMatch {
  ChoiceMatchKind kind = ChoiceMatchKind::kMissing;
  // kExact, kNormalised: the choice's code. Points into the matcher.
  std::string_view code;
  // kNoMatch: the closest code when close enough, else "". Points into the matcher.
  std::string_view suggestion;
};

// How a select_multiple answer matched, piece by piece.
struct SelectionMatch {
  // True when the whole answer is a missing-value word (then nothing else is set).
  bool missing = false;
  // The matched codes, space-separated, in submitted order, each once.
  std::string codes;
  // How many pieces matched exactly / only after normalisation.
  int exact_count = 0;
  std::vector<std::string> normalised;  // pieces matched only after normalisation
  // Pieces that matched nothing, with the closest code ("" when none is close).
  struct Unmatched {
    std::string piece;
    std::string suggestion;
  };
  std::vector<Unmatched> unmatched;
};

class ChoiceMatcher {
 public:
  // Indexes every code, label (all languages) and variant of `list`.
  explicit ChoiceMatcher(const dictionary::ChoiceList& list);

  // Matches one select_one answer (steps 1-4 above).
  ChoiceMatch Match(std::string_view value) const;

  // Matches a select_multiple answer:
  //   - a missing-value word            -> missing;
  //   - one choice as a whole           -> that choice (a label may hold spaces);
  //   - otherwise, when it contains ';' -> each ';'-separated piece (trimmed,
  //     empty pieces skipped) matched as one choice;
  //   - otherwise                       -> each space-separated token matched.
  SelectionMatch MatchMultiple(std::string_view value) const;

  const std::string& list_name() const { return list_name_; }

 private:
  using Index = std::unordered_map<std::string, int, core::StringHash, std::equal_to<>>;
  static constexpr int kAmbiguous = -1;

  // The closest code to `normalised_value`, or "" when none is close enough.
  std::string_view Suggest(std::string_view normalised_value) const;
  // Match without the suggestion (kNoMatch leaves it empty); `normalised`
  // receives the normalised key when one was computed.
  ChoiceMatch Lookup(std::string_view value, std::string* normalised) const;
  // Adds one piece's match to `out`.
  void AddPiece(std::string_view piece, SelectionMatch& out) const;

  std::string list_name_;
  std::vector<std::string> codes_;  // by choice index
  Index exact_;                     // code, label, variant -> choice index
  Index normalised_;                // NormalizeLabel of the same -> index or kAmbiguous
  // Every normalised key with its choice, for suggestions (list order).
  std::vector<std::pair<std::string, int>> suggestion_keys_;
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_CHOICE_MATCHER_H_
