#include "publish/dtm_api_export.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/sha256.h"

namespace opendtm::publish {
namespace {

// Appends one record as the API's recorded responses write it: {"k": v, …}.
class RecordText {
 public:
  explicit RecordText(std::string& out) : out_(out) { out_ += '{'; }

  void Text(std::string_view key, const std::string& value) {
    Key(key);
    out_ += nlohmann::json(value).dump(-1, ' ', /*ensure_ascii=*/false,
                                       nlohmann::json::error_handler_t::replace);
  }
  void Integer(std::string_view key, std::optional<int64_t> value) {
    Key(key);
    out_ += value ? std::to_string(*value) : "null";
  }
  void Close() { out_ += '}'; }
  int fields() const { return fields_; }

 private:
  void Key(std::string_view key) {
    if (fields_++ > 0) out_ += ", ";
    out_ += '"';
    out_ += key;
    out_ += "\": ";
  }

  std::string& out_;
  int fields_ = 0;
};

// The number written by `digits` when they are a whole number written the
// canonical way ("42889", not "042889" or "+1"), else nullopt.
std::optional<int64_t> CanonicalInteger(std::string_view digits) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (std::to_string(value) != digits) return std::nullopt;
  return value;
}

// The year and month of "YYYY-MM…".
std::optional<int64_t> DatePart(const std::string& date, size_t offset, size_t length) {
  if (date.size() < 7 || date[4] != '-') return std::nullopt;
  for (size_t idx = 0; idx < 7; ++idx) {
    if (idx != 4 && !std::isdigit(static_cast<unsigned char>(date[idx]))) return std::nullopt;
  }
  return std::stoll(date.substr(offset, length));
}

// Appends `figure` as a record of its level; returns its field count.
int AppendRecord(const disclosure::ReleasedAdminFigure& figure, std::string& out) {
  RecordText record(out);
  if (figure.admin_level > 0) {
    if (figure.source_id.empty()) {
      record.Integer("id", std::nullopt);
    } else if (std::optional<int64_t> id = CanonicalInteger(figure.source_id)) {
      record.Integer("id", id);
    } else {
      record.Text("id", figure.source_id);
    }
  }
  record.Text("operation", figure.operation_name);
  record.Text("admin0Name", figure.country_name);
  record.Text("admin0Pcode", figure.country);
  if (figure.admin_level > 0) {
    record.Text("admin1Name", figure.admin1_name);
    record.Text("admin1Pcode", figure.admin1_pcode);
  }
  if (figure.admin_level > 1) {
    record.Text("admin2Name", figure.admin2_name);
    record.Text("admin2Pcode", figure.admin2_pcode);
  }
  record.Integer("numPresentIdpInd", figure.num_present_idp_ind.value);
  record.Text("reportingDate", figure.reporting_date);
  record.Integer("yearReportingDate", DatePart(figure.reporting_date, 0, 4));
  record.Integer("monthReportingDate", DatePart(figure.reporting_date, 5, 2));
  record.Integer("roundNumber", figure.round);
  record.Text("displacementReason", figure.displacement_reason);
  record.Integer("numberMales", figure.males.value);
  record.Integer("numberFemales", figure.females.value);
  record.Text("idpOriginAdmin1Name", figure.origin_admin1_name);
  record.Text("idpOriginAdmin1Pcode", figure.origin_admin1_pcode);
  record.Text("assessmentType", figure.assessment_type);
  record.Close();
  return record.fields();
}

}  // namespace

Result<ExportedText> ExportDtmApi(const disclosure::AdminFigureRelease& release, int admin_level) {
  if (admin_level < 0 || admin_level > 2) {
    return InvalidArgumentError("DTM API: admin level " + std::to_string(admin_level) +
                                ", not 0, 1 or 2");
  }
  ExportedText out;
  std::string& text = out.text;
  text = "{\"result\": [";
  int fields = 0;
  for (const disclosure::ReleasedAdminFigure& figure : release.figures) {
    if (figure.admin_level != admin_level) continue;
    if (out.summary.rows++ > 0) text += ", ";
    fields = AppendRecord(figure, text);
  }
  text +=
      "], \"statusCode\": 200, \"isSuccess\": true, \"errorMessages\": [], "
      "\"totalRecordsCount\": " +
      std::to_string(out.summary.rows) + "}\n";
  // Every record of a level has the same fields; with none, the level's count.
  static constexpr int kFieldsOfLevel[] = {14, 17, 19};
  out.summary.columns = out.summary.rows > 0 ? fields : kFieldsOfLevel[admin_level];
  out.summary.sha256 = core::Sha256::HexOf(text);
  return out;
}

}  // namespace opendtm::publish
