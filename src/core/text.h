// Text handling shared by every reader: UTF-8 validation, encoding detection and
// conversion to UTF-8, trimming, whitespace collapsing and Unicode case folding.
//
// Every string that leaves a reader is UTF-8 without a byte-order mark. Files
// arrive as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8") or Windows-1252
// (Excel's plain "CSV" on a Western Windows); `ToUtf8` turns all three into UTF-8.
//
// `NormalizeLabel` is the one function used to compare an answer as typed in a
// file with the labels of a choice list: "No Lighting", "No lighting" and
// " no  lighting " all normalize to "no lighting".
//
// Thread-safety: all functions are pure and safe to call concurrently.
// Functions returning std::string_view return a view into their argument, which
// must outlive the view.
#ifndef OPENDTM_CORE_TEXT_H_
#define OPENDTM_CORE_TEXT_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opendtm::core {

// The UTF-8 encoding of U+FEFF, the byte-order mark.
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// Returns true when `bytes` is well-formed UTF-8 (RFC 3629): no overlong forms,
// no UTF-16 surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
// sequence at the end. The empty string is valid.
bool IsValidUtf8(std::string_view bytes);

// Returns the byte offset of the first byte that starts an ill-formed sequence
// (under the same rules as IsValidUtf8), or nullopt when all of `bytes` is valid.
std::optional<size_t> FirstInvalidUtf8Offset(std::string_view bytes);

enum class Encoding {
  kUtf8,     // valid UTF-8 (ASCII included), no byte-order mark
  kUtf8Bom,  // starts with the UTF-8 byte-order mark EF BB BF
  kCp1252,   // anything else, read as Windows-1252
};

// "utf-8", "utf-8-bom" or "cp1252", for messages and reports.
std::string_view EncodingName(Encoding encoding);

// Guesses how `bytes` is encoded:
//   1. starts with EF BB BF                -> kUtf8Bom (even if the rest is not
//      valid UTF-8: the mark is a declaration, and ToUtf8 reports the breach);
//   2. otherwise valid UTF-8 (incl. ASCII) -> kUtf8;
//   3. otherwise                           -> kCp1252.
// Windows-1252 text that happens to be valid UTF-8 is reported as UTF-8; for
// real files this needs non-ASCII bytes that form valid multi-byte sequences
// (e.g. "Ã©"), which is rare in cp1252 text.
Encoding DetectEncoding(std::string_view bytes);

// Decodes `bytes` as Windows-1252 and returns it as UTF-8. Never fails: every
// byte maps to a code point. Follows the WHATWG Encoding Standard's
// windows-1252 index: 0x80-0x9F map to the typographic characters
// (0x80 -> U+20AC €, 0x91/0x92 -> U+2018/U+2019 ‘ ’, 0x93/0x94 -> “ ”,
// 0x96 -> U+2013 –, 0x97 -> U+2014 —, ...), and the five bytes that
// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1
// control with the same number (U+0081, ...) rather than to an error (Python's
// "cp1252" codec raises on them) or to U+FFFD. 0xA0-0xFF map to U+00A0-U+00FF.
std::string Cp1252ToUtf8(std::string_view bytes);

// Returns `bytes` as UTF-8 without a byte-order mark, whatever
// DetectEncoding says it is: UTF-8 is copied, a BOM is removed, Windows-1252 is
// converted with Cp1252ToUtf8.
// Errors: InvalidArgument "<source_name>: starts with a UTF-8 byte-order mark
// but byte N is not valid UTF-8" when a BOM is followed by ill-formed UTF-8
// (guessing another encoding would silently corrupt the text).
Result<std::string> ToUtf8(std::string_view bytes, std::string_view source_name);

// Returns `text` without leading and trailing whitespace: ASCII space, \t, \n,
// \v, \f, \r, U+00A0 NO-BREAK SPACE (C2 A0) and U+FEFF BOM/ZERO WIDTH NO-BREAK
// SPACE (EF BB BF). The result is a view into `text`.
std::string_view Trim(std::string_view text);

// Returns `text` trimmed (as Trim) with every internal run of whitespace (the
// characters Trim removes) replaced by one ASCII space: " a \t b " -> "a b".
std::string CollapseSpaces(std::string_view text);

// Returns the Unicode full case folding (CaseFolding.txt, default mappings) of
// UTF-8 `utf8`: "No Lighting" -> "no lighting", "ÉCLAIRAGE" -> "éclairage",
// "Straße" -> "strasse". ASCII-only input takes a fast path without ICU.
// No Unicode normalization is applied: a precomposed "é" and "e" + U+0301 stay
// different. Ill-formed UTF-8 sequences are copied unchanged (ICU's behaviour);
// if ICU fails (out of memory, or input over 2 GiB) only ASCII letters are
// folded.
std::string FoldCase(std::string_view utf8);

// `text` with only the ASCII letters changed to upper / lower case (codes,
// ISO3, file extensions; other bytes, UTF-8 included, untouched).
std::string AsciiUpper(std::string_view text);
std::string AsciiLower(std::string_view text);

// Returns CollapseSpaces(FoldCase(text)): the key used to match an answer label
// as typed in a file to the labels of a choice list.
std::string NormalizeLabel(std::string_view text);

// Splits `text` at every `separator`. Always returns at least one piece: ""
// gives {""}, "a,,b" gives {"a", "", "b"}, "a," gives {"a", ""}. No trimming,
// no quoting (use csv_reader.h for CSV). The views point into `text`.
std::vector<std::string_view> Split(std::string_view text, char separator);

// A hash for unordered containers keyed by std::string that also looks up a
// std::string_view without building a string; pair it with std::equal_to<>:
//   std::unordered_set<std::string, core::StringHash, std::equal_to<>> ids;
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_TEXT_H_
