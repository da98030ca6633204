#include "disclosure/release.h"

namespace opendtm::disclosure {

std::string_view ReasonName(SuppressionReason reason) {
  switch (reason) {
    case SuppressionReason::kNone:
      return "";
    case SuppressionReason::kSmallCell:
      return "small_cell";
    case SuppressionReason::kComplementary:
      return "complementary";
    case SuppressionReason::kHomogeneous:
      return "homogeneous";
  }
  return "";
}

bool ColumnApplies(const ReleaseColumn& column, analysis::Level level) {
  return level == analysis::Level::kSite ? column.on_sites : column.on_areas;
}

}  // namespace opendtm::disclosure
