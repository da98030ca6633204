// XmlWriter: a small streaming XML writer with correct escaping, for the
// XForm writer.
//
// Elements are indented by two spaces per level; mixed content (an itext value
// holding <output/> elements) is written on one line with the *Inline calls so
// that no whitespace is added to the text. Text and attribute values are UTF-8;
// invalid UTF-8 sequences become U+FFFD and characters XML 1.0 cannot carry
// (control characters other than tab, newline and carriage return) are dropped.
// Element and attribute names are written as given: the caller checks them.
//
// Thread-safety: none; one writer per document.
#ifndef OPENDTM_FORMS_INTERNAL_XML_WRITER_H_
#define OPENDTM_FORMS_INTERNAL_XML_WRITER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opendtm::forms::internal {

using XmlAttributes = std::vector<std::pair<std::string, std::string>>;

// `text` escaped for element content (& < >) / for an attribute value (also "
// and the whitespace characters that attribute normalisation would otherwise
// turn into spaces), made valid as above. The writer always quotes attribute
// values with ", so ' stays as it is and XPath in binds stays readable, as in
// pyxform's output.
std::string EscapeXmlText(std::string_view text);
std::string EscapeXmlAttribute(std::string_view text);

class XmlWriter {
 public:
  // Starts the document with `<?xml version="1.0" encoding="UTF-8"?>`.
  XmlWriter();

  // <name a="v"> on its own line; children follow until Close().
  void Open(std::string_view name, const XmlAttributes& attributes = {});
  // Closes the element opened last.
  void Close();
  // <name a="v"/> on its own line.
  void Empty(std::string_view name, const XmlAttributes& attributes = {});
  // <name a="v">text</name> on its own line (<name a="v"/> when text is empty).
  void TextElement(std::string_view name, std::string_view text,
                   const XmlAttributes& attributes = {});

  // Mixed content: OpenInline starts <name> on its own line; InlineText and
  // InlineEmpty add text and empty elements on the same line; CloseInline ends it.
  void OpenInline(std::string_view name, const XmlAttributes& attributes = {});
  void InlineText(std::string_view text);
  void InlineEmpty(std::string_view name, const XmlAttributes& attributes = {});
  void CloseInline();

  // The document. Precondition: every element is closed.
  std::string Finish() &&;

 private:
  void StartTag(std::string_view name, const XmlAttributes& attributes);
  void Indent();

  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace opendtm::forms::internal

#endif  // OPENDTM_FORMS_INTERNAL_XML_WRITER_H_
