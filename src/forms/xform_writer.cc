#include "forms/xform_writer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "forms/internal/references.h"
#include "forms/internal/xml_writer.h"

namespace opendtm::forms {
namespace {

using internal::XmlAttributes;
using internal::XmlWriter;

enum class Control { kNone, kInput, kSelectOne, kSelectMultiple, kGroup };

// How one XLSForm type becomes a bind and a body control.
struct TypeInfo {
  std::string bind_type;  // "" for groups
  Control control = Control::kNone;
  bool readonly = false;
  std::string preload;         // jr:preload
  std::string preload_params;  // jr:preloadParams
};

TypeInfo Info(std::string bind_type, Control control, bool readonly = false,
              std::string preload = "", std::string preload_params = "") {
  TypeInfo info;
  info.bind_type = std::move(bind_type);
  info.control = control;
  info.readonly = readonly;
  info.preload = std::move(preload);
  info.preload_params = std::move(preload_params);
  return info;
}

std::optional<TypeInfo> TypeInfoOf(std::string_view type) {
  std::string_view base = BaseType(type);
  if (base == "text") return Info("string", Control::kInput);
  if (base == "integer") return Info("int", Control::kInput);
  if (base == "decimal") return Info("decimal", Control::kInput);
  if (base == "date") return Info("date", Control::kInput);
  if (base == "geopoint") return Info("geopoint", Control::kInput);
  if (base == "note") return Info("string", Control::kInput, /*readonly=*/true);
  if (base == "calculate") return Info("string", Control::kNone);
  if (base == "select_one" && !SelectListOf(type).empty()) {
    return Info("string", Control::kSelectOne);
  }
  if (base == "select_multiple" && !SelectListOf(type).empty()) {
    return Info("string", Control::kSelectMultiple);
  }
  if (base == "start" || base == "end") {
    return Info("dateTime", Control::kNone, false, "timestamp", std::string(base));
  }
  if (base == "today") return Info("date", Control::kNone, false, "date", "today");
  if (base == "deviceid") return Info("string", Control::kNone, false, "property", "deviceid");
  if (base == "begin_group") return Info("", Control::kGroup);
  return std::nullopt;
}

bool IsEndGroup(std::string_view type) { return type == "end_group"; }

// An XML name without a colon (what pyxform accepts as a question name).
bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  auto start = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
  };
  if (!start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

bool IsAlwaysRequired(std::string_view required) {
  return required == "yes" || required == "true" || required == "true()" || required == "TRUE" ||
         required == "YES";
}

bool IsNeverRequired(std::string_view required) {
  return required == "no" || required == "false" || required == "false()" || required == "NO" ||
         required == "FALSE";
}

struct Node {
  const SurveyRow* row = nullptr;  // nullptr for the root
  size_t row_number = 0;           // spreadsheet row: the header is row 1
  std::string path;
  TypeInfo info;
  std::vector<std::unique_ptr<Node>> children;
};

// One itext entry: an id and its text per language.
struct TextEntry {
  std::string id;
  const LocalizedText* text;
};

class XFormWriter {
 public:
  explicit XFormWriter(const Form& form) : form_(form) {}

  Result<std::string> Write() {
    RETURN_IF_ERROR(Prepare());
    XmlWriter xml;
    xml.Open("h:html", {{"xmlns", "http://www.w3.org/2002/xforms"},
                        {"xmlns:ev", "http://www.w3.org/2001/xml-events"},
                        {"xmlns:h", "http://www.w3.org/1999/xhtml"},
                        {"xmlns:jr", "http://openrosa.org/javarosa"},
                        {"xmlns:odk", "http://www.opendatakit.org/xforms"},
                        {"xmlns:orx", "http://openrosa.org/xforms"},
                        {"xmlns:xsd", "http://www.w3.org/2001/XMLSchema"}});
    xml.Open("h:head");
    xml.TextElement("h:title", form_.settings.form_title);
    xml.Open("model", {{"odk:xforms-version", "1.0.0"}});
    RETURN_IF_ERROR(WriteItext(xml));
    WritePrimaryInstance(xml);
    WriteChoiceInstances(xml);
    RETURN_IF_ERROR(WriteBinds(xml, root_));
    xml.Empty("bind", {{"nodeset", "/" + kRoot + "/meta/instanceID"},
                       {"type", "string"},
                       {"readonly", "true()"},
                       {"calculate", "concat('uuid:', uuid())"}});
    xml.Close();  // model
    xml.Close();  // h:head
    xml.Open("h:body");
    RETURN_IF_ERROR(WriteBody(xml, root_));
    xml.Close();  // h:body
    xml.Close();  // h:html
    return std::move(xml).Finish();
  }

 private:
  inline static const std::string kRoot = "data";

  Status RowError(const Node& node, std::string_view problem) const {
    return InvalidArgumentError("survey row " + std::to_string(node.row_number) + " ('" +
                                node.row->name + "'): " + std::string(problem));
  }

  // Step 1: the survey rows into a tree of nodes with paths; the choice lists.
  Status Prepare() {
    if (form_.settings.form_id.empty() || !IsXmlName(form_.settings.form_id)) {
      return InvalidArgumentError("settings: invalid form_id '" + form_.settings.form_id + "'");
    }
    if (form_.languages.empty()) return InvalidArgumentError("the form has no language");
    default_language_ = form_.languages.front();
    for (const std::string& language : form_.languages) {
      if (LanguageColumnName(language) == form_.settings.default_language) {
        default_language_ = language;
      }
    }
    root_.path = "/" + kRoot;
    size_t pos = 0;
    RETURN_IF_ERROR(ParseChildren(root_, pos));
    for (const ChoiceRow& choice : form_.choices) {
      auto [it, inserted] = lists_.try_emplace(choice.list_name);
      if (inserted) list_order_.push_back(choice.list_name);
      it->second.push_back(&choice);
    }
    return Status::Ok();
  }

  // Parses rows into `parent`'s children up to the end_group that closes it
  // (consumed) or, for the root, to the end of the survey.
  Status ParseChildren(Node& parent, size_t& pos) {
    while (pos < form_.survey.size()) {
      const SurveyRow& row = form_.survey[pos];
      if (IsEndGroup(row.type)) {
        if (parent.row == nullptr) {
          return InvalidArgumentError("survey row " + std::to_string(pos + 2) +
                                      ": end_group without a begin_group");
        }
        ++pos;
        return Status::Ok();
      }
      auto node = std::make_unique<Node>();
      node->row = &row;
      node->row_number = pos + 2;
      node->path = parent.path + "/" + row.name;
      ++pos;
      std::optional<TypeInfo> info = TypeInfoOf(row.type);
      if (!info) return RowError(*node, "unknown question type '" + row.type + "'");
      node->info = *info;
      if (!IsXmlName(row.name) || row.name == "meta") {
        return RowError(*node, "invalid name (letters, digits, _ - . and not 'meta')");
      }
      if (!paths_.emplace(row.name, node->path).second) {
        return RowError(*node, "the name is used twice");
      }
      if (info->control == Control::kGroup) RETURN_IF_ERROR(ParseChildren(*node, pos));
      parent.children.push_back(std::move(node));
    }
    if (parent.row != nullptr) return RowError(parent, "begin_group without an end_group");
    return Status::Ok();
  }

  // `${name}` -> the node's absolute path.
  Result<std::string> ToXPath(const Node& node, std::string_view expression) const {
    auto translated = internal::ReplaceReferences(
        expression, [&](std::string_view name) -> std::optional<std::string> {
          auto it = paths_.find(name);
          if (it == paths_.end()) return std::nullopt;
          return it->second;
        });
    if (!translated.ok()) return RowError(node, translated.status().message());
    return translated;
  }

  std::string_view TextIn(const LocalizedText& text, const std::string& language) const {
    for (const std::string* candidate : {&language, &default_language_}) {
      auto it = text.find(*candidate);
      if (it != text.end() && !it->second.empty()) return it->second;
    }
    for (const auto& [other, value] : text) {
      if (!value.empty()) return value;
    }
    return {};
  }

  static bool HasText(const LocalizedText& text) {
    return std::any_of(text.begin(), text.end(),
                       [](const auto& entry) { return !entry.second.empty(); });
  }

  // A list whose labels differ between languages needs itext.
  bool ListIsTranslated(const std::vector<const ChoiceRow*>& choices) const {
    for (const ChoiceRow* choice : choices) {
      std::string_view first = TextIn(choice->label, form_.languages.front());
      for (const std::string& language : form_.languages) {
        if (TextIn(choice->label, language) != first) return true;
      }
    }
    return false;
  }

  std::vector<std::string> FilterColumnsOf(const std::vector<const ChoiceRow*>& choices) const {
    std::vector<std::string> columns;
    for (const ChoiceRow* choice : choices) {
      for (const auto& [column, value] : choice->filters) {
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
          columns.push_back(column);
        }
      }
    }
    return columns;
  }

  // The lists used by the form's selects, in the order of the choices sheet.
  std::vector<std::string> UsedLists() const {
    std::set<std::string, std::less<>> used;
    for (const SurveyRow& row : form_.survey) {
      std::string_view list = SelectListOf(row.type);
      if (!list.empty()) used.insert(std::string(list));
    }
    std::vector<std::string> lists;
    for (const std::string& list : list_order_) {
      if (used.count(list) != 0) lists.push_back(list);
    }
    return lists;
  }

  void CollectTexts(const Node& node, std::vector<TextEntry>& entries) const {
    for (const auto& child : node.children) {
      const SurveyRow& row = *child->row;
      if (HasText(row.label)) entries.push_back({child->path + ":label", &row.label});
      if (HasText(row.hint)) entries.push_back({child->path + ":hint", &row.hint});
      if (HasText(row.constraint_message)) {
        entries.push_back({child->path + ":jr:constraintMsg", &row.constraint_message});
      }
      CollectTexts(*child, entries);
    }
  }

  // Step 2: itext, one translation per language.
  Status WriteItext(XmlWriter& xml) const {
    std::vector<TextEntry> entries;
    CollectTexts(root_, entries);
    for (const std::string& list : UsedLists()) {
      const auto& choices = lists_.at(list);
      if (!ListIsTranslated(choices)) continue;
      for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
        entries.push_back({list + "-" + std::to_string(choice_idx), &choices[choice_idx]->label});
      }
    }
    xml.Open("itext");
    for (const std::string& language : form_.languages) {
      XmlAttributes attributes;
      if (language == default_language_) attributes.emplace_back("default", "true()");
      attributes.emplace_back("lang", LanguageColumnName(language));
      xml.Open("translation", attributes);
      for (const TextEntry& entry : entries) {
        xml.Open("text", {{"id", entry.id}});
        xml.OpenInline("value");
        for (const internal::TextPiece& piece :
             internal::SplitReferences(TextIn(*entry.text, language))) {
          if (!piece.is_reference) {
            xml.InlineText(piece.text);
            continue;
          }
          auto it = paths_.find(piece.text);
          if (it == paths_.end()) {
            return InvalidArgumentError("text '" + entry.id + "' refers to ${" + piece.text +
                                        "}, which is not a question of the form");
          }
          xml.InlineEmpty("output", {{"value", it->second}});
        }
        xml.CloseInline();
        xml.Close();  // text
      }
      xml.Close();  // translation
    }
    xml.Close();  // itext
    return Status::Ok();
  }

  // Step 3: the primary instance.
  void WriteInstanceNode(XmlWriter& xml, const Node& node) const {
    XmlAttributes attributes;
    if (!node.row->hxl.empty()) attributes.emplace_back("hxl", node.row->hxl);
    if (!node.row->dtm_code.empty()) attributes.emplace_back("dtm_code", node.row->dtm_code);
    if (node.children.empty()) {
      xml.Empty(node.row->name, attributes);
      return;
    }
    xml.Open(node.row->name, attributes);
    for (const auto& child : node.children) WriteInstanceNode(xml, *child);
    xml.Close();
  }

  void WritePrimaryInstance(XmlWriter& xml) const {
    xml.Open("instance");
    XmlAttributes attributes = {{"id", form_.settings.form_id}};
    if (!form_.settings.version.empty()) attributes.emplace_back("version", form_.settings.version);
    xml.Open(kRoot, attributes);
    for (const auto& child : root_.children) WriteInstanceNode(xml, *child);
    xml.Open("meta");
    xml.Empty("instanceID");
    xml.Close();  // meta
    xml.Close();  // data
    xml.Close();  // instance
  }

  // Step 4: one secondary instance per choice list.
  void WriteChoiceInstances(XmlWriter& xml) const {
    for (const std::string& list : UsedLists()) {
      const auto& choices = lists_.at(list);
      const bool translated = ListIsTranslated(choices);
      const std::vector<std::string> columns = FilterColumnsOf(choices);
      xml.Open("instance", {{"id", list}});
      xml.Open("root");
      for (size_t choice_idx = 0; choice_idx < choices.size(); ++choice_idx) {
        const ChoiceRow& choice = *choices[choice_idx];
        xml.Open("item");
        if (translated) {
          xml.TextElement("itextId", list + "-" + std::to_string(choice_idx));
        } else {
          xml.TextElement("label", TextIn(choice.label, default_language_));
        }
        xml.TextElement("name", choice.name);
        for (const std::string& column : columns) {
          auto it = choice.filters.find(column);
          xml.TextElement(column, it == choice.filters.end() ? "" : it->second);
        }
        xml.Close();  // item
      }
      xml.Close();  // root
      xml.Close();  // instance
    }
  }

  // Step 5: binds, in document order.
  Status WriteBinds(XmlWriter& xml, const Node& parent) const {
    for (const auto& child : parent.children) {
      const Node& node = *child;
      const SurveyRow& row = *node.row;
      XmlAttributes attributes = {{"nodeset", node.path}};
      if (!node.info.bind_type.empty()) attributes.emplace_back("type", node.info.bind_type);
      if (!row.required.empty() && !IsNeverRequired(row.required)) {
        if (IsAlwaysRequired(row.required)) {
          attributes.emplace_back("required", "true()");
        } else {
          ASSIGN_OR_RETURN(std::string required, ToXPath(node, row.required));
          attributes.emplace_back("required", std::move(required));
        }
      }
      if (!row.relevant.empty()) {
        ASSIGN_OR_RETURN(std::string relevant, ToXPath(node, row.relevant));
        attributes.emplace_back("relevant", std::move(relevant));
      }
      if (!row.constraint.empty()) {
        ASSIGN_OR_RETURN(std::string constraint, ToXPath(node, row.constraint));
        attributes.emplace_back("constraint", std::move(constraint));
        if (HasText(row.constraint_message)) {
          attributes.emplace_back("jr:constraintMsg",
                                  "jr:itext('" + node.path + ":jr:constraintMsg')");
        }
      }
      if (!row.calculation.empty()) {
        ASSIGN_OR_RETURN(std::string calculate, ToXPath(node, row.calculation));
        attributes.emplace_back("calculate", std::move(calculate));
      }
      if (node.info.readonly) attributes.emplace_back("readonly", "true()");
      if (!node.info.preload.empty()) {
        attributes.emplace_back("jr:preload", node.info.preload);
        attributes.emplace_back("jr:preloadParams", node.info.preload_params);
      }
      // A group needs a bind only for what it says about its questions.
      if (node.info.control != Control::kGroup || attributes.size() > 1) {
        xml.Empty("bind", attributes);
      }
      RETURN_IF_ERROR(WriteBinds(xml, node));
    }
    return Status::Ok();
  }

  // Step 6: the body.
  Status WriteLabels(XmlWriter& xml, const Node& node) const {
    const SurveyRow& row = *node.row;
    if (HasText(row.label)) {
      xml.Empty("label", {{"ref", "jr:itext('" + node.path + ":label')"}});
    } else if (node.info.control != Control::kGroup) {
      return RowError(node, "a question shown to the enumerator needs a label");
    }
    if (HasText(row.hint)) xml.Empty("hint", {{"ref", "jr:itext('" + node.path + ":hint')"}});
    return Status::Ok();
  }

  Status WriteBody(XmlWriter& xml, const Node& parent) const {
    for (const auto& child : parent.children) {
      const Node& node = *child;
      const SurveyRow& row = *node.row;
      if (node.info.control == Control::kNone) continue;
      XmlAttributes attributes = {{"ref", node.path}};
      if (!row.appearance.empty()) attributes.emplace_back("appearance", row.appearance);
      switch (node.info.control) {
        case Control::kGroup:
          xml.Open("group", attributes);
          RETURN_IF_ERROR(WriteLabels(xml, node));
          RETURN_IF_ERROR(WriteBody(xml, node));
          xml.Close();
          break;
        case Control::kInput:
          xml.Open("input", attributes);
          RETURN_IF_ERROR(WriteLabels(xml, node));
          xml.Close();
          break;
        case Control::kSelectOne:
        case Control::kSelectMultiple:
          xml.Open(node.info.control == Control::kSelectOne ? "select1" : "select", attributes);
          RETURN_IF_ERROR(WriteLabels(xml, node));
          RETURN_IF_ERROR(WriteItemset(xml, node));
          xml.Close();
          break;
        case Control::kNone:
          break;
      }
    }
    return Status::Ok();
  }

  Status WriteItemset(XmlWriter& xml, const Node& node) const {
    const std::string list(SelectListOf(node.row->type));
    auto it = lists_.find(list);
    if (it == lists_.end()) return RowError(node, "the choice list '" + list + "' has no choices");
    if (!IsXmlName(list)) return RowError(node, "invalid choice list name '" + list + "'");
    for (const std::string& column : FilterColumnsOf(it->second)) {
      if (!IsXmlName(column))
        return RowError(node, "invalid choice filter column '" + column + "'");
    }
    std::string nodeset = "instance('" + list + "')/root/item";
    if (!node.row->choice_filter.empty()) {
      ASSIGN_OR_RETURN(std::string filter, ToXPath(node, node.row->choice_filter));
      nodeset += "[" + filter + "]";
    }
    xml.Open("itemset", {{"nodeset", nodeset}});
    xml.Empty("value", {{"ref", "name"}});
    xml.Empty("label", {{"ref", ListIsTranslated(it->second) ? "jr:itext(itextId)" : "label"}});
    xml.Close();
    return Status::Ok();
  }

  const Form& form_;
  std::string default_language_;
  Node root_;
  std::map<std::string, std::string, std::less<>> paths_;  // question name -> path
  std::map<std::string, std::vector<const ChoiceRow*>, std::less<>> lists_;
  std::vector<std::string> list_order_;
};

}  // namespace

Result<std::string> WriteXForm(const Form& form) { return XFormWriter(form).Write(); }

}  // namespace opendtm::forms
