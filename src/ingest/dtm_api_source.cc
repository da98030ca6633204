#include "ingest/dtm_api_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

namespace opendtm::ingest {
namespace {

using Json = nlohmann::json;

// Collects the records of a response as the SAX parser walks it.
class ResponseHandler final : public nlohmann::json_sax<Json> {
 public:
  ResponseHandler(const std::string& source_name, const Limits& limits)
      : source_name_(source_name), limits_(limits) {}

  bool null() override { return Scalar(std::string()); }
  bool boolean(bool value) override {
    if (Top() == Context::kEnvelope && envelope_key_ == "isSuccess") succeeded_ = value;
    return Scalar(value ? "true" : "false");
  }
  bool number_integer(number_integer_t value) override { return Scalar(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Scalar(std::to_string(value)); }
  bool number_float(number_float_t /*value*/, const string_t& text) override {
    return Scalar(text);
  }
  bool string(string_t& value) override {
    if (Top() == Context::kErrorMessages) error_messages_.push_back(value);
    return Scalar(std::move(value));
  }
  bool binary(binary_t& /*value*/) override { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t /*elements*/) override {
    switch (Top()) {
      case Context::kNone:
        stack_.push_back(Context::kEnvelope);
        return true;
      case Context::kResult:
        if (records_.size() >= static_cast<size_t>(limits_.max_rows)) {
          status_ =
              ResourceExhaustedError(source_name_ + ": more than " +
                                     std::to_string(limits_.max_rows) + " records (max_rows)");
          return false;
        }
        records_.emplace_back();
        has_admin1_ = false;
        has_admin2_ = false;
        stack_.push_back(Context::kRecord);
        return true;
      case Context::kRecord:
        return Fail("record " + std::to_string(records_.size()) + ": field '" + field_name() +
                    "' holds an object");
      default:
        stack_.push_back(Context::kSkip);
        return true;
    }
  }

  bool key(string_t& name) override {
    if (Top() == Context::kEnvelope) {
      envelope_key_ = name;
    } else if (Top() == Context::kRecord) {
      const auto found = columns_.find(name);
      if (found != columns_.end()) {
        field_ = found->second;
      } else {
        if (names_.size() >= limits_.max_columns) {
          status_ = ResourceExhaustedError(
              source_name_ + ": record " + std::to_string(records_.size()) + ": more than " +
              std::to_string(limits_.max_columns) + " distinct fields (max_columns)");
          return false;
        }
        field_ = names_.size();
        columns_.emplace(name, field_);
        names_.push_back(name);
      }
      if (name == "admin1Pcode" || name == "admin1Name") has_admin1_ = true;
      if (name == "admin2Pcode" || name == "admin2Name") has_admin2_ = true;
    }
    return true;
  }

  bool end_object() override {
    if (Top() == Context::kRecord) levels_.push_back(has_admin2_ ? '2' : has_admin1_ ? '1' : '0');
    stack_.pop_back();
    return true;
  }

  bool start_array(std::size_t /*elements*/) override {
    switch (Top()) {
      case Context::kNone:
        saw_result_ = true;
        stack_.push_back(Context::kResult);
        return true;
      case Context::kEnvelope:
        if (envelope_key_ == "result") {
          saw_result_ = true;
          stack_.push_back(Context::kResult);
        } else if (envelope_key_ == "errorMessages") {
          stack_.push_back(Context::kErrorMessages);
        } else {
          stack_.push_back(Context::kSkip);
        }
        return true;
      case Context::kRecord:
        return Fail("record " + std::to_string(records_.size()) + ": field '" + field_name() +
                    "' holds an array");
      default:
        stack_.push_back(Context::kSkip);
        return true;
    }
  }

  bool end_array() override {
    stack_.pop_back();
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& error) override {
    if (status_.ok()) {
      status_ = InvalidArgumentError(source_name_ + ": byte " + std::to_string(position) +
                                     ": malformed JSON: " + error.what());
    }
    return false;
  }

  // The outcome once the parser is done.
  Status Finish() const {
    if (!status_.ok()) return status_;
    if (!succeeded_) {
      std::string messages;
      for (const std::string& message : error_messages_) {
        messages += (messages.empty() ? "" : "; ") + message;
      }
      return InvalidArgumentError(source_name_ + ": the DTM API response reports a failure" +
                                  (messages.empty() ? "" : ": " + messages));
    }
    if (!saw_result_) {
      return InvalidArgumentError(source_name_ + ": not a DTM API response (no \"result\" array)");
    }
    return Status::Ok();
  }

  std::vector<std::string>& names() { return names_; }
  std::vector<std::vector<std::string>>& records() { return records_; }
  std::vector<char>& levels() { return levels_; }

 private:
  enum class Context { kNone, kEnvelope, kResult, kRecord, kErrorMessages, kSkip };

  Context Top() const { return stack_.empty() ? Context::kNone : stack_.back(); }
  std::string field_name() const { return field_ < names_.size() ? names_[field_] : ""; }

  bool Fail(const std::string& message) {
    status_ = InvalidArgumentError(source_name_ + ": " + message);
    return false;
  }

  bool Scalar(std::string text) {
    switch (Top()) {
      case Context::kRecord: {
        if (text.size() > limits_.max_field_bytes) {
          status_ = ResourceExhaustedError(
              source_name_ + ": record " + std::to_string(records_.size()) + ": field '" +
              field_name() + "' longer than " + std::to_string(limits_.max_field_bytes) +
              " bytes (max_field_bytes)");
          return false;
        }
        std::vector<std::string>& cells = records_.back();
        if (cells.size() <= field_) cells.resize(field_ + 1);
        cells[field_] = std::move(text);
        return true;
      }
      case Context::kResult:
        return Fail("record " + std::to_string(records_.size() + 1) + " is not an object");
      case Context::kNone:
        return Fail("not a DTM API response (a lone JSON value)");
      default:
        return true;
    }
  }

  const std::string& source_name_;
  const Limits& limits_;
  std::vector<Context> stack_;
  std::string envelope_key_;
  bool saw_result_ = false;
  bool succeeded_ = true;
  std::vector<std::string> error_messages_;
  std::unordered_map<std::string, size_t> columns_;
  std::vector<std::string> names_;
  size_t field_ = 0;
  bool has_admin1_ = false;
  bool has_admin2_ = false;
  std::vector<std::vector<std::string>> records_;
  std::vector<char> levels_;
  Status status_;
};

}  // namespace

Result<std::unique_ptr<DtmApiSource>> DtmApiSource::Open(const std::string& path,
                                                         const Limits& limits) {
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
  std::ifstream file(path, std::ios::binary);
  if (!file) return UnavailableError(path + ": cannot open for reading");
  std::string text(static_cast<size_t>(info.st_size), '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (static_cast<size_t>(file.gcount()) != text.size()) {
    return UnavailableError(path + ": changed size while being read");
  }
  return Parse(text, path, limits);
}

Result<std::unique_ptr<DtmApiSource>> DtmApiSource::Parse(std::string_view text,
                                                          const std::string& source_name,
                                                          const Limits& limits) {
  ResponseHandler handler(source_name, limits);
  try {
    // Ignore a UTF-8 byte-order mark; the parser refuses one.
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    Json::sax_parse(text, &handler);
  } catch (const std::exception& error) {  // nlohmann throws on invalid UTF-8 in some paths
    return InvalidArgumentError(source_name + ": malformed JSON: " + error.what());
  }
  RETURN_IF_ERROR(handler.Finish());

  std::unique_ptr<DtmApiSource> source(new DtmApiSource());
  source->header_.source_name = source_name;
  source->header_.header_line = 0;
  source->header_.names = std::move(handler.names());
  source->records_ = std::move(handler.records());
  source->levels_ = std::move(handler.levels());
  const std::vector<std::string>& names = source->header_.names;
  source->synthetic_level_ =
      std::find(names.begin(), names.end(), kAdminLevelColumn) == names.end();
  if (source->synthetic_level_) source->header_.names.emplace_back(kAdminLevelColumn);
  return source;
}

Result<bool> DtmApiSource::Next(SourceRow& row) {
  if (next_record_ >= records_.size()) return false;
  std::vector<std::string>& cells = records_[next_record_];
  const size_t fields = header_.names.size() - (synthetic_level_ ? 1 : 0);
  cells.resize(fields);
  if (synthetic_level_) cells.emplace_back(1, levels_[next_record_]);
  row.cells.swap(cells);
  row.line = static_cast<int64_t>(++next_record_);
  std::vector<std::string>().swap(cells);  // the row owns the record now
  return true;
}

}  // namespace opendtm::ingest
