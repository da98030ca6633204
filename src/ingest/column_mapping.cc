#include "ingest/column_mapping.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/hxl.h"
#include "core/text.h"

namespace opendtm::ingest {
namespace {

using dictionary::Dictionary;
using dictionary::Indicator;
using dictionary::ValueType;

// The DTM question code a header starts with ("10.1.s.1 Is there…" -> "10.1.s.1").
std::string LeadingCode(std::string_view header) {
  std::string_view trimmed = core::Trim(header);
  size_t end = 0;
  while (end < trimmed.size() && trimmed[end] != ' ' && trimmed[end] != '\t') ++end;
  std::string_view token = trimmed.substr(0, end);
  // A code has at least three dots and starts with a digit or "x.".
  if (std::count(token.begin(), token.end(), '.') < 3) return {};
  if (!(std::isdigit(static_cast<unsigned char>(token[0])) || token.starts_with("x."))) return {};
  // DTM's own files sometimes glue the label to the code ("1.1.e.3District").
  size_t code_end = token.size();
  for (size_t char_idx = 0; char_idx < token.size(); ++char_idx) {
    if (std::isupper(static_cast<unsigned char>(token[char_idx]))) {
      code_end = char_idx;
      break;
    }
  }
  return std::string(token.substr(0, code_end));
}

// Kobo's export metadata.
std::optional<ColumnRole> MetadataRole(std::string_view name) {
  static const std::unordered_map<std::string_view, ColumnRole> kRoles = {
      {"_uuid", ColumnRole::kSubmissionUuid},
      {"meta/instanceid", ColumnRole::kSubmissionUuid},
      {"instanceid", ColumnRole::kSubmissionUuid},
      {"_submission_time", ColumnRole::kSubmissionTime},
      {"_submitted_by", ColumnRole::kEnumerator},
      {"username", ColumnRole::kEnumerator},
      {"deviceid", ColumnRole::kDevice},
      {"start", ColumnRole::kMetadata},
      {"end", ColumnRole::kMetadata},
      {"today", ColumnRole::kMetadata},
      {"_id", ColumnRole::kSubmissionRecordId},
      {"meta/rootuuid", ColumnRole::kSubmissionRootUuid},
      {"rootuuid", ColumnRole::kSubmissionRootUuid},
      {"_index", ColumnRole::kMetadata},
      {"_status", ColumnRole::kMetadata},
      {"_validation_status", ColumnRole::kMetadata},
      {"_notes", ColumnRole::kMetadata},
      {"_tags", ColumnRole::kMetadata},
      {"_version_", ColumnRole::kMetadata},
      {"__version__", ColumnRole::kMetadata},
      {"_submission__id", ColumnRole::kMetadata},
      {"_submission__uuid", ColumnRole::kMetadata},
      {"_submission__submission_time", ColumnRole::kMetadata},
      {"_parent_index", ColumnRole::kMetadata},
      {"meta/deprecatedid", ColumnRole::kDeprecatedUuid},
      {"deprecatedid", ColumnRole::kDeprecatedUuid},
      {"formhub/uuid", ColumnRole::kMetadata},
  };
  auto it = kRoles.find(name);
  if (it == kRoles.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  for (std::string_view part : core::Split(path, '/')) parts.emplace_back(part);
  return parts;
}

bool IsTrueFlag(std::string_view cell) {
  std::string_view value = core::Trim(cell);
  return value == "1" || value == "True" || value == "true" || value == "TRUE" || value == "yes" ||
         value == "1.0";
}

// Finds each column's binding, one source of evidence at a time.
class Binder {
 public:
  Binder(const Dictionary& dictionary, const SourceHeader& header)
      : dictionary_(dictionary), header_(header) {
    const auto& indicators = dictionary.indicators();
    std::unordered_map<std::string, int> code_counts;
    for (const Indicator& indicator : indicators) {
      if (!indicator.code.empty()) ++code_counts[indicator.code];
    }
    for (size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
      const Indicator& indicator = indicators[indicator_idx];
      int index = static_cast<int>(indicator_idx);
      by_name_[indicator.name] = index;
      if (!indicator.code.empty() && code_counts[indicator.code] == 1) {
        by_code_[indicator.code] = index;
      }
      for (const auto& [language, text] : indicator.label) {
        by_label_.emplace(core::NormalizeLabel(text), std::make_pair(index, language));
      }
      if (!indicator.hxl.empty()) by_hxl_.emplace(core::NormalizeHxlTag(indicator.hxl), index);
    }
  }

  ColumnBinding Bind(size_t column_idx, const MappingFile* mapping_file) const {
    const std::string& raw = header_.names[column_idx];
    std::string name(core::Trim(raw));
    ColumnBinding binding;

    if (mapping_file != nullptr) {
      if (auto it = mapping_file->columns.find(name); it != mapping_file->columns.end()) {
        if (it->second.empty()) {
          binding.role = ColumnRole::kIgnored;
        } else {
          binding.role = ColumnRole::kIndicator;
          binding.indicator = by_name_.at(it->second);
        }
        binding.matched_by = "mapping file";
        return binding;
      }
    }
    if (auto it = by_name_.find(name); it != by_name_.end()) {
      return ToIndicator(it->second, "name");
    }
    std::string folded = core::FoldCase(name);
    if (std::optional<ColumnRole> role = MetadataRole(folded)) {
      binding.role = *role;
      binding.matched_by = "metadata";
      return binding;
    }
    if (name.find('/') != std::string::npos) {
      if (std::optional<ColumnBinding> by_path = BindPath(SplitPath(name))) return *by_path;
    }
    if (std::optional<ColumnBinding> geo = BindGeopointPart(name)) return *geo;
    if (std::string code = LeadingCode(name); !code.empty()) {
      if (auto it = by_code_.find(code); it != by_code_.end()) {
        return ToIndicator(it->second, "DTM code");
      }
    }
    if (auto it = by_label_.find(core::NormalizeLabel(name)); it != by_label_.end()) {
      return ToIndicator(it->second.first, "label (" + it->second.second + ")");
    }
    if (column_idx < header_.hxl_tags.size() && !header_.hxl_tags[column_idx].empty()) {
      if (auto it = by_hxl_.find(core::NormalizeHxlTag(header_.hxl_tags[column_idx]));
          it != by_hxl_.end()) {
        return ToIndicator(it->second, "HXL");
      }
    }
    return binding;
  }

 private:
  static ColumnBinding ToIndicator(int indicator, std::string matched_by) {
    ColumnBinding binding;
    binding.role = ColumnRole::kIndicator;
    binding.indicator = indicator;
    binding.matched_by = std::move(matched_by);
    return binding;
  }

  // "group/name", "group/sub/name", "group/name/choice" (split select_multiple),
  // "group/location" (geopoint), "group/_location_latitude".
  std::optional<ColumnBinding> BindPath(const std::vector<std::string>& parts) const {
    if (parts.empty()) return std::nullopt;
    const std::string& last = parts.back();
    if (auto it = by_name_.find(last); it != by_name_.end()) {
      return ToIndicator(it->second, "group path");
    }
    if (std::optional<ColumnRole> role = MetadataRole(core::FoldCase(last))) {
      ColumnBinding binding;
      binding.role = *role;
      binding.matched_by = "metadata";
      return binding;
    }
    if (parts.size() >= 2) {
      if (auto it = by_name_.find(parts[parts.size() - 2]); it != by_name_.end()) {
        const auto& indicator = dictionary_.indicators()[it->second];
        const dictionary::ChoiceList* list = dictionary_.ListOf(indicator);
        if (indicator.type == ValueType::kSelectMultiple && list != nullptr &&
            list->Find(last) != nullptr) {
          ColumnBinding binding;
          binding.role = ColumnRole::kChoiceFlag;
          binding.indicator = it->second;
          binding.choice = last;
          binding.matched_by = "group path (split select_multiple)";
          return binding;
        }
      }
    }
    return BindGeopointPart(last);
  }

  // The site's geopoint: "location" whole, or Kobo's "_location_latitude"…
  std::optional<ColumnBinding> BindGeopointPart(std::string_view name) const {
    std::string folded = core::FoldCase(name);
    ColumnBinding binding;
    binding.matched_by = "geopoint";
    if (folded == "location" || folded == "gps" || folded == "geopoint") {
      binding.role = ColumnRole::kGeopoint;
      return binding;
    }
    auto ends_with = [&folded](std::string_view suffix) { return folded.ends_with(suffix); };
    if (folded.starts_with("_") && (ends_with("_latitude") || folded == "_latitude")) {
      return LookUp("latitude", "geopoint");
    }
    if (folded.starts_with("_") && (ends_with("_longitude") || folded == "_longitude")) {
      return LookUp("longitude", "geopoint");
    }
    if (folded.starts_with("_") && (ends_with("_altitude") || ends_with("_precision"))) {
      binding.role = ColumnRole::kMetadata;
      return binding;
    }
    return std::nullopt;
  }

  std::optional<ColumnBinding> LookUp(const std::string& indicator_name,
                                      std::string matched_by) const {
    auto it = by_name_.find(indicator_name);
    if (it == by_name_.end()) return std::nullopt;
    return ToIndicator(it->second, std::move(matched_by));
  }

  const Dictionary& dictionary_;
  const SourceHeader& header_;
  std::unordered_map<std::string, int> by_name_;
  std::unordered_map<std::string, int> by_code_;
  std::unordered_multimap<std::string, std::pair<int, std::string>> by_label_;
  std::unordered_map<std::string, int> by_hxl_;
};

// The totals of people every figure is built from, and the core indicators a
// refusal names (the households too, when not found).
constexpr std::array<std::string_view, 3> kPopulationTotals = {"ind_total", "m_total", "f_total"};
constexpr std::array<std::string_view, 4> kCorePopulation = {"hh_total", "ind_total", "m_total",
                                                             "f_total"};

// A file that carries population figures (a column left unmapped whose DTM
// code is a population indicator's, as "2.1.b.2 Total number of IDP", a code
// the three totals share) but maps none of the totals would store sites
// without people: refused before anything is stored, naming what was not
// found and suggesting --mapping. A file without population columns (a
// protection audit, a partial update) passes.
Status CheckPopulationTotals(const SourceHeader& header, const Dictionary& dictionary,
                             const MappingFile* mapping_file,
                             const std::vector<ColumnBinding>& bindings,
                             const std::vector<int>& column_of) {
  bool dictionary_has_totals = false;
  for (std::string_view name : kPopulationTotals) {
    const Indicator* indicator = dictionary.FindIndicator(name);
    if (indicator == nullptr) continue;
    dictionary_has_totals = true;
    if (column_of[indicator - dictionary.indicators().data()] >= 0) return Status::Ok();
  }
  if (!dictionary_has_totals) return Status::Ok();
  // The columns that carry population codes, those of the totals first.
  std::vector<std::string> total_codes;
  std::vector<std::string> population_codes;
  for (const Indicator& indicator : dictionary.indicators()) {
    if (indicator.module != dictionary::Module::kPopulation || indicator.code.empty()) continue;
    population_codes.push_back(indicator.code);
    if (std::find(kPopulationTotals.begin(), kPopulationTotals.end(), indicator.name) !=
        kPopulationTotals.end()) {
      total_codes.push_back(indicator.code);
    }
  }
  auto has_code = [](const std::vector<std::string>& codes, const std::string& code) {
    return !code.empty() && std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  std::vector<std::string> evidence;
  for (const std::vector<std::string>* codes : {&total_codes, &population_codes}) {
    for (size_t column_idx = 0; column_idx < bindings.size(); ++column_idx) {
      if (bindings[column_idx].role != ColumnRole::kUnmapped) continue;
      std::string code = LeadingCode(header.names[column_idx]);
      if (!has_code(*codes, code) || (codes != &total_codes && has_code(total_codes, code))) {
        continue;
      }
      evidence.push_back("'" + std::string(core::Trim(header.names[column_idx])) + "'");
    }
  }
  if (evidence.empty()) return Status::Ok();
  std::vector<std::string> not_found;
  for (std::string_view name : kCorePopulation) {
    const Indicator* indicator = dictionary.FindIndicator(name);
    if (indicator != nullptr && column_of[indicator - dictionary.indicators().data()] < 0) {
      not_found.emplace_back(name);
    }
  }
  auto listed = [](const std::vector<std::string>& items, size_t limit) {
    std::string text;
    for (size_t item_idx = 0; item_idx < items.size() && item_idx < limit; ++item_idx) {
      text += (item_idx == 0 ? "" : ", ") + items[item_idx];
    }
    if (items.size() > limit) text += " and " + std::to_string(items.size() - limit) + " more";
    return text;
  };
  std::string advice =
      mapping_file != nullptr
          ? "name them in the mapping file " + mapping_file->path
          : "name them in a mapping file and pass --mapping FILE (as mappings/*.yaml do)";
  return InvalidArgumentError(header.source_name +
                              ": maps none of the population totals; core indicators not found: " +
                              listed(not_found, not_found.size()) +
                              ". The file has population columns that map to no single "
                              "indicator (" +
                              listed(evidence, 3) + "): " + advice);
}

}  // namespace

Result<MappingFile> LoadMappingFile(const std::string& path, const Dictionary& dictionary) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read mapping file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(buffer.str());
  } catch (const YAML::Exception& error) {
    return InvalidArgumentError(path + ":" + std::to_string(error.mark.line + 1) +
                                ": malformed YAML: " + error.msg);
  }
  auto where = [&path](const YAML::Node& node) {
    return path + ":" + std::to_string(node.Mark().line + 1) + ": ";
  };
  if (!root.IsMap()) return InvalidArgumentError(path + ": a mapping file is a YAML map");
  MappingFile file;
  file.path = path;
  for (const auto& entry : root) {
    std::string key = entry.first.Scalar();
    if (key != "source" && key != "header_row" && key != "columns" && key != "values") {
      return InvalidArgumentError(where(entry.first) + "unknown key '" + key +
                                  "' (expected source, header_row, columns, values)");
    }
  }
  if (root["source"]) file.source = root["source"].Scalar();
  if (root["header_row"]) {
    try {
      file.header_row = root["header_row"].as<int>();
    } catch (const YAML::Exception&) {
      return InvalidArgumentError(where(root["header_row"]) + "header_row must be a number");
    }
  }
  if (YAML::Node columns = root["columns"]) {
    if (!columns.IsMap()) return InvalidArgumentError(where(columns) + "columns must be a map");
    for (const auto& entry : columns) {
      std::string target = entry.second.Scalar();
      if (target == "ignore") {
        target.clear();
      } else if (dictionary.FindIndicator(target) == nullptr) {
        return InvalidArgumentError(where(entry.second) + "column '" + entry.first.Scalar() +
                                    "' maps to unknown indicator '" + target + "'");
      }
      file.columns[std::string(core::Trim(entry.first.Scalar()))] = target;
    }
  }
  if (YAML::Node values = root["values"]) {
    if (!values.IsMap()) return InvalidArgumentError(where(values) + "values must be a map");
    for (const auto& entry : values) {
      std::string indicator_name = entry.first.Scalar();
      const Indicator* indicator = dictionary.FindIndicator(indicator_name);
      if (indicator == nullptr) {
        return InvalidArgumentError(where(entry.first) + "value map for unknown indicator '" +
                                    indicator_name + "'");
      }
      const dictionary::ChoiceList* list = dictionary.ListOf(*indicator);
      if (!entry.second.IsMap()) {
        return InvalidArgumentError(where(entry.second) + "value map of " + indicator_name +
                                    " must map submitted text to a choice code");
      }
      for (const auto& value : entry.second) {
        std::string code = value.second.Scalar();
        if (list != nullptr && list->Find(code) == nullptr) {
          return InvalidArgumentError(where(value.second) + "value map of " + indicator_name +
                                      ": '" + code + "' is not a choice of list " + list->name);
        }
        file.values[indicator_name][value.first.Scalar()] = code;
      }
    }
  }
  return file;
}

Result<ColumnMapping> ColumnMapping::Build(const SourceHeader& header, const Dictionary& dictionary,
                                           const MappingFile* mapping_file) {
  ColumnMapping mapping;
  mapping.source_name_ = header.source_name;
  mapping.column_names_ = header.names;
  size_t indicator_count = dictionary.indicators().size();
  mapping.column_of_.assign(indicator_count, -1);
  mapping.value_maps_.resize(indicator_count);
  for (size_t indicator_idx = 0; indicator_idx < indicator_count; ++indicator_idx) {
    const std::string& name = dictionary.indicators()[indicator_idx].name;
    if (name == "latitude") mapping.latitude_ = static_cast<int>(indicator_idx);
    if (name == "longitude") mapping.longitude_ = static_cast<int>(indicator_idx);
  }

  if (mapping_file != nullptr) {
    for (const auto& [column, target] : mapping_file->columns) {
      bool present =
          std::any_of(header.names.begin(), header.names.end(),
                      [&column](const std::string& name) { return core::Trim(name) == column; });
      if (!present) {
        return InvalidArgumentError(mapping_file->path + ": column '" + column + "' is not in " +
                                    header.source_name);
      }
    }
    for (const auto& [indicator_name, values] : mapping_file->values) {
      for (size_t indicator_idx = 0; indicator_idx < indicator_count; ++indicator_idx) {
        if (dictionary.indicators()[indicator_idx].name == indicator_name) {
          mapping.value_maps_[indicator_idx] = values;
        }
      }
    }
  }

  Binder binder(dictionary, header);
  bool geopoint_seen = false;
  std::vector<std::string> unused_reasons(header.names.size());
  for (size_t column_idx = 0; column_idx < header.names.size(); ++column_idx) {
    ColumnBinding binding = binder.Bind(column_idx, mapping_file);
    std::string reason;
    if (binding.role == ColumnRole::kIndicator) {
      int& feeder = mapping.column_of_[binding.indicator];
      if (feeder >= 0) {
        reason = "indicator " + dictionary.indicators()[binding.indicator].name +
                 " is already fed by column '" + header.names[feeder] + "'";
        binding = ColumnBinding();
      } else {
        feeder = static_cast<int>(column_idx);
      }
    } else if (binding.role == ColumnRole::kGeopoint) {
      if (geopoint_seen || mapping.latitude_ < 0 || mapping.longitude_ < 0) {
        reason = "a second geopoint column";
        binding = ColumnBinding();
      }
      geopoint_seen = true;
    }
    if (binding.role == ColumnRole::kUnmapped) {
      Finding finding;
      finding.file = header.source_name;
      finding.row = header.header_line;
      finding.column = header.names[column_idx];
      finding.rule = std::string(rule::kUnmappedColumn);
      finding.severity = Severity::kInfo;
      finding.message = reason.empty() ? "column maps to no indicator; not stored"
                                       : "column not used: " + reason + "; not stored";
      mapping.findings_.push_back(std::move(finding));
      unused_reasons[column_idx] = reason;
    }
    mapping.bindings_.push_back(std::move(binding));
  }
  // A whole select_multiple column wins over its split flags.
  for (size_t column_idx = 0; column_idx < mapping.bindings_.size(); ++column_idx) {
    ColumnBinding& binding = mapping.bindings_[column_idx];
    if (binding.role == ColumnRole::kChoiceFlag && mapping.column_of_[binding.indicator] >= 0) {
      binding.role = ColumnRole::kMetadata;
      binding.matched_by = "split select_multiple (the whole column is used)";
      const std::string& whole = header.names[mapping.column_of_[binding.indicator]];
      unused_reasons[column_idx] = "column '" + whole + "' gives the whole answer";
    }
  }
  mapping.NameValueColumns();
  mapping.SplitVerbatimColumns(unused_reasons);
  RETURN_IF_ERROR(CheckPopulationTotals(header, dictionary, mapping_file, mapping.bindings_,
                                        mapping.column_of_));
  return mapping;
}

void ColumnMapping::NameValueColumns() {
  column_by_indicator_.assign(column_of_.size(), std::string());
  for (size_t column_idx = 0; column_idx < bindings_.size(); ++column_idx) {
    const ColumnBinding& binding = bindings_[column_idx];
    const std::string& name = column_names_[column_idx];
    switch (binding.role) {
      case ColumnRole::kIndicator:
        column_by_indicator_[binding.indicator] = name;
        break;
      case ColumnRole::kChoiceFlag:
        if (column_by_indicator_[binding.indicator].empty()) {
          column_by_indicator_[binding.indicator] = name;
        }
        break;
      case ColumnRole::kGeopoint:
        if (column_of_[latitude_] < 0) column_by_indicator_[latitude_] = name;
        if (column_of_[longitude_] < 0) column_by_indicator_[longitude_] = name;
        break;
      default:
        break;
    }
  }
}

void ColumnMapping::SplitVerbatimColumns(const std::vector<std::string>& unused_reasons) {
  verbatim_columns_.clear();
  dropped_columns_.clear();
  for (size_t column_idx = 0; column_idx < bindings_.size(); ++column_idx) {
    const ColumnBinding& binding = bindings_[column_idx];
    std::string reason = unused_reasons[column_idx];
    switch (binding.role) {
      case ColumnRole::kIndicator:
      case ColumnRole::kChoiceFlag:
      case ColumnRole::kGeopoint:
        verbatim_columns_.push_back(static_cast<int>(column_idx));
        continue;
      case ColumnRole::kIgnored:
        reason = "ignored by the mapping file";
        break;
      case ColumnRole::kUnmapped:
        if (reason.empty()) reason = "not in the dictionary";
        break;
      default:  // identity, enumerator, device and other export metadata
        if (reason.empty()) reason = "export metadata";
        break;
    }
    dropped_columns_.push_back({column_names_[column_idx], std::move(reason)});
  }
}

int ColumnMapping::mapped_indicator_count() const {
  std::vector<bool> fed(column_of_.size(), false);
  for (const ColumnBinding& binding : bindings_) {
    if (binding.indicator >= 0 &&
        (binding.role == ColumnRole::kIndicator || binding.role == ColumnRole::kChoiceFlag)) {
      fed[binding.indicator] = true;
    }
  }
  if (latitude_ >= 0 && std::any_of(bindings_.begin(), bindings_.end(), [](const auto& binding) {
        return binding.role == ColumnRole::kGeopoint;
      })) {
    fed[latitude_] = true;
    fed[longitude_] = true;
  }
  return static_cast<int>(std::count(fed.begin(), fed.end(), true));
}

ColumnMapping ColumnMapping::OnlyFor(std::span<const int> indicators) const {
  ColumnMapping only = *this;
  auto wanted = [&](int indicator) {
    return std::find(indicators.begin(), indicators.end(), indicator) != indicators.end();
  };
  for (ColumnBinding& binding : only.bindings_) {
    bool keep = false;
    switch (binding.role) {
      case ColumnRole::kIndicator:
      case ColumnRole::kChoiceFlag:
        keep = wanted(binding.indicator);
        break;
      case ColumnRole::kGeopoint:
        keep = wanted(latitude_) || wanted(longitude_);
        break;
      default:
        break;
    }
    if (!keep) binding.role = ColumnRole::kIgnored;
  }
  return only;
}

void ColumnMapping::Apply(const SourceRow& row, MappedRow& out) const {
  size_t indicator_count = column_of_.size();
  out.line = row.line;
  out.values.resize(indicator_count);
  for (std::string& value : out.values) value.clear();  // keeps each string's storage
  // The column names depend on the mapping only: copied when they differ
  // (the first row), compared (cheaply) after that.
  if (out.columns != column_by_indicator_) out.columns = column_by_indicator_;
  out.submission_uuid.clear();
  out.submission_key.clear();
  out.deprecated_uuid.clear();
  out.submission_time.clear();
  out.enumerator.clear();
  out.device.clear();
  out.value_maps.clear();

  for (size_t column_idx = 0; column_idx < bindings_.size(); ++column_idx) {
    const ColumnBinding& binding = bindings_[column_idx];
    std::string_view cell = column_idx < row.cells.size() ? std::string_view(row.cells[column_idx])
                                                          : std::string_view();
    switch (binding.role) {
      case ColumnRole::kIndicator:
        out.values[binding.indicator].assign(cell);
        break;
      case ColumnRole::kChoiceFlag:
        if (IsTrueFlag(cell)) {
          std::string& value = out.values[binding.indicator];
          if (!value.empty()) value += ' ';
          value += binding.choice;
        }
        break;
      case ColumnRole::kGeopoint: {
        // ODK geopoints are "latitude longitude altitude accuracy".
        std::vector<std::string_view> parts;
        for (std::string_view part : core::Split(core::Trim(cell), ' ')) {
          if (!part.empty()) parts.push_back(part);
        }
        if (column_of_[latitude_] < 0 && parts.size() >= 1) {
          out.values[latitude_].assign(parts[0]);
        }
        if (column_of_[longitude_] < 0 && parts.size() >= 2) {
          out.values[longitude_].assign(parts[1]);
        }
        break;
      }
      case ColumnRole::kSubmissionUuid: {
        std::string_view uuid = core::Trim(cell);
        if (uuid.starts_with("uuid:")) uuid.remove_prefix(5);
        if (out.submission_uuid.empty()) out.submission_uuid.assign(uuid);
        break;
      }
      case ColumnRole::kSubmissionRootUuid: {
        std::string_view root = core::Trim(cell);
        if (root.starts_with("uuid:")) root.remove_prefix(5);
        if (!root.empty()) {  // wins over _id
          out.submission_key = "root:";
          out.submission_key += root;
        }
        break;
      }
      case ColumnRole::kSubmissionRecordId: {
        std::string_view id = core::Trim(cell);
        if (!id.empty() && !out.submission_key.starts_with("root:")) {
          out.submission_key = "id:";
          out.submission_key += id;
        }
        break;
      }
      case ColumnRole::kDeprecatedUuid: {
        std::string_view uuid = core::Trim(cell);
        if (uuid.starts_with("uuid:")) uuid.remove_prefix(5);
        out.deprecated_uuid.assign(uuid);
        break;
      }
      case ColumnRole::kSubmissionTime:
        out.submission_time.assign(core::Trim(cell));
        break;
      case ColumnRole::kEnumerator:
        if (out.enumerator.empty()) out.enumerator.assign(core::Trim(cell));
        break;
      case ColumnRole::kDevice:
        out.device.assign(core::Trim(cell));
        break;
      case ColumnRole::kMetadata:
      case ColumnRole::kIgnored:
      case ColumnRole::kUnmapped:
        break;
    }
  }
  for (size_t indicator_idx = 0; indicator_idx < indicator_count; ++indicator_idx) {
    const auto& value_map = value_maps_[indicator_idx];
    if (value_map.empty()) continue;
    std::string& value = out.values[indicator_idx];
    auto it = value_map.find(core::Trim(value));
    if (it == value_map.end()) continue;
    out.value_maps.push_back({static_cast<int>(indicator_idx), value, it->second});
    value = it->second;
  }
}

}  // namespace opendtm::ingest
