#include "publish/csv_export.h"

#include <string>

#include "core/csv_writer.h"
#include "core/sha256.h"
#include "publish/internal/release_table.h"

namespace opendtm::publish {

Result<ExportedText> ExportCsv(const disclosure::Release& release, const CsvOptions& options) {
  ASSIGN_OR_RETURN(internal::ReleaseTable table, internal::LayOutTable(release, options.levels));
  ExportedText out;
  std::vector<std::string> fields;
  fields.reserve(table.fields.size());
  for (const internal::TableField& field : table.fields) fields.push_back(field.name);
  out.text += core::CsvLine(fields);
  if (options.hashtag_row) {
    fields.clear();
    for (const internal::TableField& field : table.fields) fields.push_back(field.hxl);
    out.text += core::CsvLine(fields);
  }
  for (const disclosure::ReleaseRow* row : table.rows) {
    fields.clear();
    for (const internal::TableField& field : table.fields) {
      fields.push_back(internal::FieldText(release, field, *row));
    }
    out.text += core::CsvLine(fields);
  }
  out.summary.rows = static_cast<int64_t>(table.rows.size());
  out.summary.columns = table.columns;
  out.summary.sha256 = core::Sha256::HexOf(out.text);
  return out;
}

}  // namespace opendtm::publish
