#include "ingest/finding.h"

#include <string>

namespace opendtm::ingest {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

std::string FormatFinding(const Finding& finding) {
  std::string out = finding.file;
  out += ':';
  out += std::to_string(finding.row);
  out += ": ";
  if (!finding.column.empty()) {
    out += finding.column;
    out += ": ";
  }
  out += finding.rule;
  out += ": ";
  out += finding.message;
  return out;
}

}  // namespace opendtm::ingest
