#include "ingest/choice_matcher.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/text.h"

namespace opendtm::ingest {
namespace {

// Decodes UTF-8 leniently: a byte that does not start a well-formed sequence
// is one code point of its own (distances stay defined on any input).
std::vector<uint32_t> CodePoints(std::string_view text) {
  std::vector<uint32_t> out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    auto byte = static_cast<unsigned char>(text[pos]);
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3
                                  : (byte >> 3) == 0x1E ? 4 : 1;
    if (pos + length > text.size()) length = 1;
    uint32_t code_point = length == 1 ? byte : byte & (0xFF >> (length + 1));
    for (size_t extra = 1; extra < length; ++extra) {
      auto next = static_cast<unsigned char>(text[pos + extra]);
      if ((next & 0xC0) != 0x80) {
        length = 1;
        code_point = byte;
        break;
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    out.push_back(code_point);
    pos += length;
  }
  return out;
}

size_t CodePointCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

constexpr std::array<std::string_view, 4> kMissingWords = {"no answer", "n/a", "na", "-"};

}  // namespace

bool IsMissingValue(std::string_view value) {
  std::string_view trimmed = core::Trim(value);
  if (trimmed.empty()) return true;
  // Cheap rejection first: this runs on every submitted value.
  if (trimmed.size() > 16) return false;  // "no answer" with generous spacing
  if (trimmed[0] != 'n' && trimmed[0] != 'N' && trimmed[0] != '-') return false;
  std::string normalised = core::NormalizeLabel(trimmed);
  return std::find(kMissingWords.begin(), kMissingWords.end(), normalised) != kMissingWords.end();
}

size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  std::vector<uint32_t> left = CodePoints(a);
  std::vector<uint32_t> right = CodePoints(b);
  size_t size_gap = left.size() > right.size() ? left.size() - right.size()
                                               : right.size() - left.size();
  if (size_gap > limit) return limit + 1;
  // Two rows of the classic dynamic programme; stop when a whole row exceeds
  // the limit, since distances never decrease down the table.
  std::vector<size_t> previous(right.size() + 1);
  std::vector<size_t> current(right.size() + 1);
  for (size_t column_idx = 0; column_idx <= right.size(); ++column_idx) {
    previous[column_idx] = column_idx;
  }
  for (size_t row_idx = 1; row_idx <= left.size(); ++row_idx) {
    current[0] = row_idx;
    size_t row_minimum = current[0];
    for (size_t column_idx = 1; column_idx <= right.size(); ++column_idx) {
      size_t substitution =
          previous[column_idx - 1] + (left[row_idx - 1] == right[column_idx - 1] ? 0 : 1);
      current[column_idx] =
          std::min({previous[column_idx] + 1, current[column_idx - 1] + 1, substitution});
      row_minimum = std::min(row_minimum, current[column_idx]);
    }
    if (row_minimum > limit) return limit + 1;
    std::swap(previous, current);
  }
  return std::min(previous[right.size()], limit + 1);
}

ChoiceMatcher::ChoiceMatcher(const dictionary::ChoiceList& list) : list_name_(list.name) {
  // Codes first, then labels, then variants: when one spelling is both a code
  // and another choice's label, the code wins.
  auto add = [this](std::string_view spelling, int choice_idx) {
    if (spelling.empty()) return;
    exact_.emplace(std::string(spelling), choice_idx);
    std::string key = core::NormalizeLabel(spelling);
    auto [it, inserted] = normalised_.emplace(key, choice_idx);
    if (!inserted && it->second != choice_idx) it->second = kAmbiguous;
    if (inserted) suggestion_keys_.emplace_back(std::move(key), choice_idx);
  };
  for (const dictionary::Choice& choice : list.choices) {
    codes_.push_back(choice.name);
  }
  for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
    add(list.choices[choice_idx].name, static_cast<int>(choice_idx));
  }
  for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
    for (const auto& [language, label] : list.choices[choice_idx].label) {
      add(label, static_cast<int>(choice_idx));
    }
  }
  for (size_t choice_idx = 0; choice_idx < list.choices.size(); ++choice_idx) {
    for (const std::string& variant : list.choices[choice_idx].variants) {
      add(variant, static_cast<int>(choice_idx));
    }
  }
}

ChoiceMatch ChoiceMatcher::Lookup(std::string_view value, std::string* normalised) const {
  ChoiceMatch match;
  if (auto it = exact_.find(value); it != exact_.end()) {
    match.kind = ChoiceMatchKind::kExact;
    match.code = codes_[it->second];
    return match;
  }
  if (IsMissingValue(value)) return match;  // kMissing
  std::string key = core::NormalizeLabel(value);
  if (auto it = normalised_.find(key); it != normalised_.end() && it->second != kAmbiguous) {
    match.kind = ChoiceMatchKind::kNormalised;
    match.code = codes_[it->second];
    return match;
  }
  match.kind = ChoiceMatchKind::kNoMatch;
  if (normalised != nullptr) *normalised = std::move(key);
  return match;
}

ChoiceMatch ChoiceMatcher::Match(std::string_view value) const {
  std::string key;
  ChoiceMatch match = Lookup(value, &key);
  if (match.kind == ChoiceMatchKind::kNoMatch) match.suggestion = Suggest(key);
  return match;
}

std::string_view ChoiceMatcher::Suggest(std::string_view normalised_value) const {
  size_t length = CodePointCount(normalised_value);
  size_t limit = std::max<size_t>(2, length * 3 / 10);
  size_t best_distance = limit + 1;
  int best_choice = -1;
  for (const auto& [key, choice_idx] : suggestion_keys_) {
    size_t distance = EditDistance(normalised_value, key, limit);
    if (distance >= std::max(length, CodePointCount(key))) continue;  // nothing in common
    if (distance < best_distance) {
      best_distance = distance;
      best_choice = choice_idx;
    }
  }
  if (best_choice < 0) return {};
  return codes_[best_choice];
}

void ChoiceMatcher::AddPiece(std::string_view piece, SelectionMatch& out) const {
  ChoiceMatch match = Match(piece);
  if (match.kind == ChoiceMatchKind::kMissing) return;
  if (match.kind == ChoiceMatchKind::kNoMatch) {
    out.unmatched.push_back({std::string(piece), std::string(match.suggestion)});
    return;
  }
  if (match.kind == ChoiceMatchKind::kExact) {
    ++out.exact_count;
  } else {
    out.normalised.emplace_back(piece);
  }
  // Each code once: "yes yes" is one selection.
  for (std::string_view existing : core::Split(out.codes, ' ')) {
    if (existing == match.code) return;
  }
  if (!out.codes.empty()) out.codes += ' ';
  out.codes += match.code;
}

SelectionMatch ChoiceMatcher::MatchMultiple(std::string_view value) const {
  SelectionMatch out;
  if (exact_.find(value) == exact_.end() && IsMissingValue(value)) {
    out.missing = true;
    return out;
  }
  // The whole value as one choice (a label with spaces); no suggestion is
  // wanted here, only for the pieces.
  ChoiceMatch whole = Lookup(value, nullptr);
  if (whole.kind == ChoiceMatchKind::kExact || whole.kind == ChoiceMatchKind::kNormalised) {
    AddPiece(value, out);
    return out;
  }
  char separator = value.find(';') != std::string_view::npos ? ';' : ' ';
  std::string collapsed;
  if (separator == ' ') {
    // Tabs and runs of spaces separate tokens too.
    collapsed = core::CollapseSpaces(value);
    value = collapsed;
  }
  for (std::string_view piece : core::Split(value, separator)) {
    piece = core::Trim(piece);
    if (piece.empty()) continue;
    AddPiece(piece, out);
  }
  return out;
}

}  // namespace opendtm::ingest
