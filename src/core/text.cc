#include "core/text.h"

#include <unicode/ucasemap.h>
#include <unicode/utypes.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

namespace opendtm::core {
namespace {

// Code points of Windows-1252 bytes 0x80-0x9F (WHATWG index; the five
// undefined bytes map to the C1 control of the same number).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 0x88
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 0x98
};

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Returns the length of the well-formed sequence starting at `offset` (which is
// a non-ASCII byte), or 0 if it is ill-formed. Ranges from Unicode Table 3-7.
size_t WellFormedLength(std::string_view bytes, size_t offset) {
  const auto at = [&](size_t index) { return static_cast<unsigned char>(bytes[index]); };
  const unsigned char lead = at(offset);
  const size_t remaining = bytes.size() - offset;
  if (lead >= 0xC2 && lead <= 0xDF) {
    return remaining >= 2 && IsContinuation(at(offset + 1)) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (remaining < 3) return 0;
    const unsigned char second = at(offset + 1);
    // E0 needs A0..BF (no overlongs); ED needs 80..9F (no surrogates).
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    if (second < low || second > high) return 0;
    return IsContinuation(at(offset + 2)) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (remaining < 4) return 0;
    const unsigned char second = at(offset + 1);
    // F0 needs 90..BF (no overlongs); F4 needs 80..8F (nothing above U+10FFFF).
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    if (second < low || second > high) return 0;
    return IsContinuation(at(offset + 2)) && IsContinuation(at(offset + 3)) ? 4 : 0;
  }
  return 0;  // 80..C1 (continuation or overlong lead) and F5..FF never start a sequence.
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {  // Windows-1252 maps only into the BMP.
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

constexpr std::string_view kNbsp = "\xC2\xA0";

// Returns the byte length of the whitespace character that starts `text`, or 0.
size_t LeadingSpaceLength(std::string_view text) {
  if (text.empty()) return 0;
  if (IsAsciiSpace(text.front())) return 1;
  if (text.starts_with(kNbsp)) return kNbsp.size();
  if (text.starts_with(kUtf8ByteOrderMark)) return kUtf8ByteOrderMark.size();
  return 0;
}

// Returns the byte length of the whitespace character that ends `text`, or 0.
size_t TrailingSpaceLength(std::string_view text) {
  if (text.empty()) return 0;
  if (IsAsciiSpace(text.back())) return 1;
  if (text.ends_with(kNbsp)) return kNbsp.size();
  if (text.ends_with(kUtf8ByteOrderMark)) return kUtf8ByteOrderMark.size();
  return 0;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}


struct CaseMapCloser {
  void operator()(UCaseMap* case_map) const { ucasemap_close(case_map); }
};

}  // namespace

std::optional<size_t> FirstInvalidUtf8Offset(std::string_view bytes) {
  size_t offset = 0;
  while (offset < bytes.size()) {
    // Skip ASCII eight bytes at a time: most DTM text is ASCII.
    if (bytes.size() - offset >= 8) {
      uint64_t block;
      std::memcpy(&block, bytes.data() + offset, sizeof(block));
      if ((block & 0x8080808080808080ULL) == 0) {
        offset += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(bytes[offset]) < 0x80) {
      ++offset;
      continue;
    }
    const size_t length = WellFormedLength(bytes, offset);
    if (length == 0) return offset;
    offset += length;
  }
  return std::nullopt;
}

bool IsValidUtf8(std::string_view bytes) { return !FirstInvalidUtf8Offset(bytes).has_value(); }

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kUtf8Bom:
      return "utf-8-bom";
    case Encoding::kCp1252:
      return "cp1252";
  }
  return "unknown";
}

Encoding DetectEncoding(std::string_view bytes) {
  if (bytes.starts_with(kUtf8ByteOrderMark)) return Encoding::kUtf8Bom;
  return IsValidUtf8(bytes) ? Encoding::kUtf8 : Encoding::kCp1252;
}

std::string Cp1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else if (byte < 0xA0) {
      AppendUtf8(kCp1252High[byte - 0x80], out);
    } else {
      AppendUtf8(byte, out);
    }
  }
  return out;
}

Result<std::string> ToUtf8(std::string_view bytes, std::string_view source_name) {
  switch (DetectEncoding(bytes)) {
    case Encoding::kUtf8:
      return std::string(bytes);
    case Encoding::kUtf8Bom: {
      const std::string_view body = bytes.substr(kUtf8ByteOrderMark.size());
      if (std::optional<size_t> bad = FirstInvalidUtf8Offset(body)) {
        return InvalidArgumentError(
            std::string(source_name) + ": starts with a UTF-8 byte-order mark but byte " +
            std::to_string(*bad + kUtf8ByteOrderMark.size()) + " is not valid UTF-8");
      }
      return std::string(body);
    }
    case Encoding::kCp1252:
      return Cp1252ToUtf8(bytes);
  }
  return InternalError("ToUtf8: unknown encoding");
}

std::string_view Trim(std::string_view text) {
  while (size_t length = LeadingSpaceLength(text)) text.remove_prefix(length);
  while (size_t length = TrailingSpaceLength(text)) text.remove_suffix(length);
  return text;
}

std::string CollapseSpaces(std::string_view text) {
  text = Trim(text);
  std::string out;
  out.reserve(text.size());
  bool in_space = false;
  while (!text.empty()) {
    if (size_t length = LeadingSpaceLength(text)) {
      in_space = true;
      text.remove_prefix(length);
      continue;
    }
    // Trim guarantees the text does not end in space, so a pending space is
    // always followed by a non-space character.
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(text.front());
    text.remove_prefix(1);
  }
  return out;
}

std::string FoldCase(std::string_view utf8) {
  if (IsAscii(utf8)) return AsciiLower(utf8);
  if (utf8.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max() / 3)) {
    return AsciiLower(utf8);
  }
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UCaseMap, CaseMapCloser> case_map(
      ucasemap_open(/*locale=*/"", U_FOLD_CASE_DEFAULT, &error));
  if (U_FAILURE(error)) return AsciiLower(utf8);

  const auto source_length = static_cast<int32_t>(utf8.size());
  // Full folding can grow text (ß -> ss, ŉ -> ʼn); retry once with the exact size.
  std::string folded(utf8.size() + utf8.size() / 4 + 8, '\0');
  int32_t length =
      ucasemap_utf8FoldCase(case_map.get(), folded.data(), static_cast<int32_t>(folded.size()),
                            utf8.data(), source_length, &error);
  if (error == U_BUFFER_OVERFLOW_ERROR) {
    error = U_ZERO_ERROR;
    folded.assign(static_cast<size_t>(length), '\0');
    length = ucasemap_utf8FoldCase(case_map.get(), folded.data(), length, utf8.data(),
                                   source_length, &error);
  }
  if (U_FAILURE(error)) return AsciiLower(utf8);
  folded.resize(static_cast<size_t>(length));
  return folded;
}

std::string NormalizeLabel(std::string_view text) { return CollapseSpaces(FoldCase(text)); }

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace opendtm::core
