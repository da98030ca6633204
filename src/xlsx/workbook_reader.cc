#include "xlsx/workbook_reader.h"

#include <libxml/xmlreader.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "unzip.h"

namespace opendtm::xlsx {
namespace {

constexpr std::string_view kRelationshipsNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct ZipClose {
  void operator()(void* zip) const { unzClose(zip); }
};
using ZipHandle = std::unique_ptr<void, ZipClose>;

struct XmlReaderFree {
  void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
};

// The currently open entry of the archive, as libxml2's input. Counts the
// inflated bytes against the part limit.
struct EntryStream {
  unzFile zip = nullptr;
  uint64_t unpacked = 0;
  uint64_t limit = 0;
  bool open = false;
  bool over_limit = false;
  bool read_failed = false;

  ~EntryStream() {
    if (open) unzCloseCurrentFile(zip);
  }
};

int ReadEntry(void* context, char* buffer, int len) {
  auto* stream = static_cast<EntryStream*>(context);
  const int got = unzReadCurrentFile(stream->zip, buffer, static_cast<unsigned>(len));
  if (got < 0) {
    stream->read_failed = true;
    return -1;
  }
  stream->unpacked += static_cast<uint64_t>(got);
  if (stream->unpacked > stream->limit) {
    stream->over_limit = true;
    return -1;
  }
  return got;
}

std::string_view View(const xmlChar* text) {
  return text == nullptr ? std::string_view()
                         : std::string_view(reinterpret_cast<const char*>(text));
}

// One XML part of the archive under libxml2's streaming reader. Not movable:
// the reader points at stream_.
class XmlPart {
 public:
  // Opens `part` of the archive `zip` (the file at `path`, for messages).
  static Result<std::unique_ptr<XmlPart>> Open(unzFile zip, const std::string& path,
                                               const std::string& part, uint64_t limit) {
    std::unique_ptr<XmlPart> xml(new XmlPart(path, part));
    if (unzLocateFile(zip, part.c_str(), 1) != UNZ_OK) {
      return InvalidArgumentError(path + ": no part " + part + " in the archive");
    }
    if (unzOpenCurrentFile(zip) != UNZ_OK) {
      return InvalidArgumentError(path + ": " + part + ": cannot be decompressed");
    }
    xml->stream_.zip = zip;
    xml->stream_.limit = limit;
    xml->stream_.open = true;
    xml->reader_.reset(xmlReaderForIO(ReadEntry, nullptr, &xml->stream_, part.c_str(), nullptr,
                                      XML_PARSE_NONET | XML_PARSE_COMPACT));
    if (xml->reader_ == nullptr) return InternalError(path + ": " + part + ": libxml2 failed");
    xmlTextReaderSetStructuredErrorHandler(xml->reader_.get(), OnError, xml.get());
    return xml;
  }

  // Moves to the next node: true, or false at the end of the part.
  Result<bool> Read() {
    const int result = xmlTextReaderRead(reader_.get());
    if (result == 1) return true;
    if (stream_.over_limit) {
      return ResourceExhaustedError(path_ + ": " + part_ + ": more than " +
                                    std::to_string(stream_.limit) +
                                    " bytes decompressed (max_unpacked_bytes)");
    }
    if (stream_.read_failed) return Error("the archive is damaged");
    if (result == 0 && error_.empty()) return false;
    return Error(error_.empty() ? "malformed XML" : error_);
  }

  int type() const { return xmlTextReaderNodeType(reader_.get()); }
  bool IsStart(std::string_view name) const {
    return type() == XML_READER_TYPE_ELEMENT && local_name() == name;
  }
  bool IsEnd(std::string_view name) const {
    return type() == XML_READER_TYPE_END_ELEMENT && local_name() == name;
  }
  bool IsText() const {
    const int node = type();
    return node == XML_READER_TYPE_TEXT || node == XML_READER_TYPE_CDATA ||
           node == XML_READER_TYPE_WHITESPACE || node == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
  }
  bool empty_element() const { return xmlTextReaderIsEmptyElement(reader_.get()) == 1; }
  std::string_view local_name() const { return View(xmlTextReaderConstLocalName(reader_.get())); }
  std::string_view value() const { return View(xmlTextReaderConstValue(reader_.get())); }

  // The value of the current element's attribute `name` (in `ns`, or in no
  // namespace when empty); nullopt when absent.
  std::optional<std::string> Attribute(std::string_view name, std::string_view ns = {}) {
    std::optional<std::string> found;
    if (xmlTextReaderMoveToFirstAttribute(reader_.get()) != 1) return found;
    do {
      if (local_name() == name && View(xmlTextReaderConstNamespaceUri(reader_.get())) == ns) {
        found.emplace(value());
        break;
      }
    } while (xmlTextReaderMoveToNextAttribute(reader_.get()) == 1);
    xmlTextReaderMoveToElement(reader_.get());
    return found;
  }

  // InvalidArgument "<path>: <part>: line N: <message>".
  Status Error(std::string_view message) const {
    return InvalidArgumentError(path_ + ": " + part_ + ": line " +
                                std::to_string(xmlTextReaderGetParserLineNumber(reader_.get())) +
                                ": " + std::string(message));
  }

  const std::string& path() const { return path_; }
  const std::string& part() const { return part_; }

 private:
  XmlPart(std::string path, std::string part) : path_(std::move(path)), part_(std::move(part)) {}

  static void OnError(void* arg, xmlErrorPtr error) {
    auto* xml = static_cast<XmlPart*>(arg);
    if (!xml->error_.empty() || error == nullptr || error->message == nullptr) return;
    xml->error_ = error->message;
    while (!xml->error_.empty() && (xml->error_.back() == '\n' || xml->error_.back() == ' ')) {
      xml->error_.pop_back();
    }
  }

  std::string path_;
  std::string part_;
  EntryStream stream_;
  std::unique_ptr<xmlTextReader, XmlReaderFree> reader_;
  std::string error_;  // the first error libxml2 reported
};

// Resolves a relationship target against the folder of the part holding it
// ("xl/"): "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml",
// "/xl/x.xml" -> "xl/x.xml", "../a.xml" -> "a.xml".
std::string ResolvePart(std::string_view folder, std::string_view target) {
  std::string resolved;
  if (target.starts_with('/')) {
    target.remove_prefix(1);
  } else {
    resolved = folder;
  }
  while (!target.empty()) {
    const size_t slash = target.find('/');
    const std::string_view segment = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
    if (segment == "..") {
      if (!resolved.empty()) resolved.pop_back();  // the trailing '/'
      const size_t previous = resolved.rfind('/');
      resolved.erase(previous == std::string::npos ? 0 : previous + 1);
    } else if (!segment.empty() && segment != ".") {
      resolved.append(segment);
      if (!target.empty()) resolved.push_back('/');
    }
  }
  return resolved;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Decodes OOXML's _xHHHH_ escapes (Excel writes a carriage return as
// "_x000D_", a literal "_x" as "_x005F_x").
void DecodeEscapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '_' && pos + 6 < text.size() && text[pos + 1] == 'x' && text[pos + 6] == '_') {
      uint32_t code_point = 0;
      bool hex = true;
      for (size_t digit = 2; digit < 6; ++digit) {
        const int value = HexDigit(text[pos + digit]);
        if (value < 0) hex = false;
        code_point = code_point * 16 + static_cast<uint32_t>(std::max(value, 0));
      }
      if (hex && !(code_point >= 0xD800 && code_point <= 0xDFFF)) {
        AppendUtf8(code_point, out);
        pos += 6;
        continue;
      }
    }
    out.push_back(text[pos]);
  }
  text = std::move(out);
}

}  // namespace

// ---------------------------------------------------------------- SheetReader

struct SheetReader::Parser {
  std::unique_ptr<XmlPart> xml;
  const std::vector<std::string>* shared_strings = nullptr;
  ReadLimits limits;
  int64_t last_row = 0;

  // Parses a cell reference ("C12") into a 0-based column.
  Result<size_t> Column(std::string_view reference) const {
    size_t column = 0;
    size_t letters = 0;
    while (letters < reference.size() && reference[letters] >= 'A' && reference[letters] <= 'Z') {
      column = column * 26 + static_cast<size_t>(reference[letters] - 'A' + 1);
      if (++letters > 3) break;
    }
    if (letters == 0 || letters > 3) {
      return xml->Error("bad cell reference '" + std::string(reference) + "'");
    }
    if (column > limits.max_columns) {
      return ResourceExhaustedError(xml->path() + ": " + xml->part() + ": cell " +
                                    std::string(reference) + " is beyond column " +
                                    std::to_string(limits.max_columns) + " (max_columns)");
    }
    return column - 1;
  }

  Status AppendText(std::string& text) const {
    const std::string_view value = xml->value();
    if (text.size() + value.size() > limits.max_cell_bytes) {
      return ResourceExhaustedError(xml->path() + ": " + xml->part() + ": row " +
                                    std::to_string(last_row) + ": a cell longer than " +
                                    std::to_string(limits.max_cell_bytes) +
                                    " bytes (max_cell_bytes)");
    }
    text.append(value);
    return Status::Ok();
  }

  // The text of a finished cell of type `type` from its <v> or <is> text.
  Status CellText(const std::string& type, std::string& v_text, std::string& is_text,
                  std::string& out) const {
    if (type == "s") {
      size_t index = 0;
      const auto [end, error] =
          std::from_chars(v_text.data(), v_text.data() + v_text.size(), index);
      if (error != std::errc() || end != v_text.data() + v_text.size() ||
          index >= shared_strings->size()) {
        return xml->Error("shared string '" + v_text + "' does not exist");
      }
      out = (*shared_strings)[index];
    } else if (type == "inlineStr") {
      DecodeEscapes(is_text);
      out.swap(is_text);
    } else if (type == "b") {
      out = v_text == "1" ? "TRUE" : v_text == "0" ? "FALSE" : v_text;
    } else {  // n, str, e, d: the stored text
      out.swap(v_text);
    }
    return Status::Ok();
  }
};

SheetReader::SheetReader(std::string name, std::unique_ptr<Parser> parser)
    : name_(std::move(name)), parser_(std::move(parser)) {}
SheetReader::~SheetReader() = default;

Result<bool> SheetReader::Next(SheetRow& row) {
  XmlPart& xml = *parser_->xml;
  size_t used = 0;         // cells of the current row
  size_t next_column = 0;  // for cells without a reference
  bool in_row = false;
  bool in_cell = false;
  bool in_v = false;
  bool in_is = false;
  bool in_t = false;
  bool in_phonetic = false;
  std::string type;
  size_t column = 0;
  std::string v_text;
  std::string is_text;
  std::string cell_text;
  while (true) {
    ASSIGN_OR_RETURN(const bool more, xml.Read());
    if (!more) return false;
    const int node = xml.type();
    if (node == XML_READER_TYPE_ELEMENT) {
      const std::string_view name = xml.local_name();
      if (name == "row") {
        const std::optional<std::string> number = xml.Attribute("r");
        int64_t parsed = parser_->last_row + 1;
        if (number.has_value()) {
          const auto [end, error] =
              std::from_chars(number->data(), number->data() + number->size(), parsed);
          if (error != std::errc() || end != number->data() + number->size() || parsed < 1) {
            return xml.Error("bad row number '" + *number + "'");
          }
        }
        parser_->last_row = parsed;
        used = 0;
        next_column = 0;
        in_row = !xml.empty_element();
      } else if (name == "c" && in_row) {
        const std::optional<std::string> reference = xml.Attribute("r");
        if (reference.has_value()) {
          ASSIGN_OR_RETURN(column, parser_->Column(*reference));
        } else {
          column = next_column;
          if (column >= parser_->limits.max_columns) {
            return ResourceExhaustedError(xml.path() + ": " + xml.part() + ": row " +
                                          std::to_string(parser_->last_row) + ": more than " +
                                          std::to_string(parser_->limits.max_columns) +
                                          " cells (max_columns)");
          }
        }
        next_column = column + 1;
        type = xml.Attribute("t").value_or("n");
        v_text.clear();
        is_text.clear();
        in_cell = !xml.empty_element();
      } else if (in_cell && !xml.empty_element()) {
        if (name == "v") in_v = true;
        if (name == "is") in_is = true;
        if (name == "t" && in_is) in_t = true;
        if (name == "rPh") in_phonetic = true;
      }
    } else if (node == XML_READER_TYPE_END_ELEMENT) {
      const std::string_view name = xml.local_name();
      if (name == "v") {
        in_v = false;
      } else if (name == "t") {
        in_t = false;
      } else if (name == "rPh") {
        in_phonetic = false;
      } else if (name == "is") {
        in_is = false;
      } else if (name == "c" && in_cell) {
        in_cell = false;
        RETURN_IF_ERROR(parser_->CellText(type, v_text, is_text, cell_text));
        if (cell_text.empty()) continue;
        if (row.cells.size() <= column) row.cells.resize(column + 1);
        for (size_t column_idx = used; column_idx < column; ++column_idx) {
          row.cells[column_idx].clear();
        }
        row.cells[column].swap(cell_text);
        used = std::max(used, column + 1);
      } else if (name == "row" && in_row) {
        in_row = false;
        if (used == 0) continue;  // nothing but formatting
        row.number = parser_->last_row;
        row.cells.resize(used);
        return true;
      }
    } else if (in_cell && xml.IsText()) {
      if (in_v) RETURN_IF_ERROR(parser_->AppendText(v_text));
      if (in_t && !in_phonetic) RETURN_IF_ERROR(parser_->AppendText(is_text));
    }
  }
}

// ------------------------------------------------------------- WorkbookReader

struct WorkbookReader::Archive {
  ZipHandle zip;
};

WorkbookReader::WorkbookReader(std::string path, const ReadLimits& limits,
                               std::unique_ptr<Archive> archive)
    : path_(std::move(path)), limits_(limits), archive_(std::move(archive)) {}
WorkbookReader::~WorkbookReader() = default;

Result<std::unique_ptr<WorkbookReader>> WorkbookReader::Open(const std::string& path,
                                                             const ReadLimits& limits) {
  // 1. The file.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return NotFoundError(path + ": no such file");
    return UnavailableError(path + ": cannot access: " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgumentError(path + ": not a regular file");
  if (static_cast<uint64_t>(info.st_size) > limits.max_file_bytes) {
    return ResourceExhaustedError(
        path + ": " + std::to_string(info.st_size) + " bytes exceeds the limit of " +
        std::to_string(limits.max_file_bytes) + " bytes (max_file_bytes)");
  }
  auto archive = std::make_unique<Archive>();
  archive->zip.reset(unzOpen64(path.c_str()));
  if (archive->zip == nullptr) {
    return InvalidArgumentError(path + ": not an .xlsx workbook (not a zip archive)");
  }
  std::unique_ptr<WorkbookReader> workbook(new WorkbookReader(path, limits, std::move(archive)));
  unzFile zip = workbook->archive_->zip.get();

  // 2. The workbook's relationships: id -> (target part, type).
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> relationships;
  {
    ASSIGN_OR_RETURN(auto xml, XmlPart::Open(zip, path, "xl/_rels/workbook.xml.rels",
                                             limits.max_unpacked_bytes));
    while (true) {
      ASSIGN_OR_RETURN(const bool more, xml->Read());
      if (!more) break;
      if (!xml->IsStart("Relationship")) continue;
      const std::string id = xml->Attribute("Id").value_or("");
      const std::string target = xml->Attribute("Target").value_or("");
      const std::string type = xml->Attribute("Type").value_or("");
      if (xml->Attribute("TargetMode").value_or("") == "External") continue;
      relationships[id] = {ResolvePart("xl/", target), type};
      if (type.ends_with("/sharedStrings"))
        workbook->shared_strings_part_ = ResolvePart("xl/", target);
    }
  }

  // 3. The sheets, in workbook order.
  ASSIGN_OR_RETURN(auto xml,
                   XmlPart::Open(zip, path, "xl/workbook.xml", limits.max_unpacked_bytes));
  while (true) {
    ASSIGN_OR_RETURN(const bool more, xml->Read());
    if (!more) break;
    if (!xml->IsStart("sheet")) continue;
    const std::string name = xml->Attribute("name").value_or("");
    const std::string id = xml->Attribute("id", kRelationshipsNamespace).value_or("");
    const auto found = relationships.find(id);
    if (found == relationships.end()) {
      return xml->Error("sheet '" + name + "' has no relationship '" + id + "'");
    }
    if (!found->second.second.ends_with("/worksheet")) continue;  // a chart sheet
    workbook->sheet_names_.push_back(name);
    workbook->sheet_parts_.push_back(found->second.first);
  }
  return workbook;
}

Status WorkbookReader::LoadSharedStrings() {
  if (shared_strings_loaded_ || shared_strings_part_.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto xml, XmlPart::Open(archive_->zip.get(), path_, shared_strings_part_,
                                           limits_.max_unpacked_bytes));
  uint64_t total = 0;
  bool in_item = false;
  bool in_t = false;
  bool in_phonetic = false;
  std::string item;
  while (true) {
    ASSIGN_OR_RETURN(const bool more, xml->Read());
    if (!more) break;
    const int node = xml->type();
    if (node == XML_READER_TYPE_ELEMENT) {
      const std::string_view name = xml->local_name();
      if (name == "si") {
        item.clear();
        if (xml->empty_element()) {
          shared_strings_.emplace_back();
        } else {
          in_item = true;
        }
      } else if (in_item && !xml->empty_element()) {
        if (name == "t") in_t = true;
        if (name == "rPh") in_phonetic = true;
      }
    } else if (node == XML_READER_TYPE_END_ELEMENT) {
      const std::string_view name = xml->local_name();
      if (name == "t") {
        in_t = false;
      } else if (name == "rPh") {
        in_phonetic = false;
      } else if (name == "si" && in_item) {
        in_item = false;
        DecodeEscapes(item);
        total += item.size() + sizeof(std::string);
        if (total > limits_.max_shared_string_bytes) {
          return ResourceExhaustedError(path_ + ": " + shared_strings_part_ + ": more than " +
                                        std::to_string(limits_.max_shared_string_bytes) +
                                        " bytes of shared strings (max_shared_string_bytes)");
        }
        shared_strings_.push_back(std::move(item));
        item.clear();
      }
    } else if (in_item && in_t && !in_phonetic && xml->IsText()) {
      const std::string_view value = xml->value();
      if (item.size() + value.size() > limits_.max_cell_bytes) {
        return xml->Error("a shared string longer than " + std::to_string(limits_.max_cell_bytes) +
                          " bytes (max_cell_bytes)");
      }
      item.append(value);
    }
  }
  shared_strings_loaded_ = true;
  return Status::Ok();
}

Result<std::unique_ptr<SheetReader>> WorkbookReader::OpenSheet(size_t sheet_index) {
  if (sheet_index >= sheet_parts_.size()) {
    return InvalidArgumentError(path_ + ": no sheet " + std::to_string(sheet_index + 1) +
                                " (the workbook has " + std::to_string(sheet_parts_.size()) + ")");
  }
  RETURN_IF_ERROR(LoadSharedStrings());
  auto parser = std::make_unique<SheetReader::Parser>();
  ASSIGN_OR_RETURN(parser->xml, XmlPart::Open(archive_->zip.get(), path_, sheet_parts_[sheet_index],
                                              limits_.max_unpacked_bytes));
  parser->shared_strings = &shared_strings_;
  parser->limits = limits_;
  return std::unique_ptr<SheetReader>(
      new SheetReader(sheet_names_[sheet_index], std::move(parser)));
}

}  // namespace opendtm::xlsx
