#include "forms/internal/xml_writer.h"

#include <cassert>
#include <cstdint>

namespace opendtm::forms::internal {
namespace {

// Decodes the UTF-8 sequence at text[pos]; returns its length and sets
// `code_point`, or returns 0 for an invalid sequence.
size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t& code_point) {
  const auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[pos + offset]); };
  unsigned char lead = byte(0);
  size_t length;
  uint32_t min;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (size_t offset = 1; offset < length; ++offset) {
    if ((byte(offset) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(offset) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

std::string Escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t code_point = 0;
    size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++pos;
      continue;
    }
    switch (code_point) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        // XML 1.0 cannot carry other C0 controls, nor U+FFFE and U+FFFF.
        if (code_point >= 0x20 && code_point != 0xFFFE && code_point != 0xFFFF) {
          out.append(text.substr(pos, length));
        }
    }
    pos += length;
  }
  return out;
}

}  // namespace

std::string EscapeXmlText(std::string_view text) { return Escape(text, false); }
std::string EscapeXmlAttribute(std::string_view text) { return Escape(text, true); }

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") {}

void XmlWriter::Indent() {
  out_ += '\n';
  out_.append(2 * open_.size(), ' ');
}

void XmlWriter::StartTag(std::string_view name, const XmlAttributes& attributes) {
  out_ += '<';
  out_ += name;
  for (const auto& [attribute, value] : attributes) {
    out_ += ' ';
    out_ += attribute;
    out_ += "=\"";
    out_ += EscapeXmlAttribute(value);
    out_ += '"';
  }
}

void XmlWriter::Open(std::string_view name, const XmlAttributes& attributes) {
  Indent();
  StartTag(name, attributes);
  out_ += '>';
  open_.emplace_back(name);
}

void XmlWriter::Close() {
  assert(!open_.empty());
  std::string name = std::move(open_.back());
  open_.pop_back();
  Indent();
  out_ += "</" + name + ">";
}

void XmlWriter::Empty(std::string_view name, const XmlAttributes& attributes) {
  Indent();
  StartTag(name, attributes);
  out_ += "/>";
}

void XmlWriter::TextElement(std::string_view name, std::string_view text,
                            const XmlAttributes& attributes) {
  if (text.empty()) return Empty(name, attributes);
  Indent();
  StartTag(name, attributes);
  out_ += '>';
  out_ += EscapeXmlText(text);
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void XmlWriter::OpenInline(std::string_view name, const XmlAttributes& attributes) {
  Indent();
  StartTag(name, attributes);
  out_ += '>';
  open_.emplace_back(name);
}

void XmlWriter::InlineText(std::string_view text) { out_ += EscapeXmlText(text); }

void XmlWriter::InlineEmpty(std::string_view name, const XmlAttributes& attributes) {
  StartTag(name, attributes);
  out_ += "/>";
}

void XmlWriter::CloseInline() {
  assert(!open_.empty());
  out_ += "</" + open_.back() + ">";
  open_.pop_back();
}

std::string XmlWriter::Finish() && {
  assert(open_.empty());
  out_ += '\n';
  return std::move(out_);
}

}  // namespace opendtm::forms::internal
