#include "dictionary/protection_changes.h"

namespace opendtm::dictionary {
namespace {

// How much a class protects: pii (never stored) above every other.
int Rank(DisseminationClass dissemination_class) {
  switch (dissemination_class) {
    case DisseminationClass::kPublic:
      return 0;
    case DisseminationClass::kSensitive:
      return 1;
    case DisseminationClass::kUrgent:
      return 2;
    case DisseminationClass::kPii:
      return 3;
  }
  return 3;
}

}  // namespace

std::vector<std::string> LoweredProtections(const Dictionary& previous, const Dictionary& next) {
  std::vector<std::string> lowered;
  for (const Indicator& before : previous.indicators()) {
    const Indicator* after = next.FindIndicator(before.name);
    if (after == nullptr) continue;
    if (Rank(after->dissemination_class) < Rank(before.dissemination_class)) {
      lowered.push_back("lowers the class of indicator " + before.name + " from " +
                        std::string(ClassName(before.dissemination_class)) + " to " +
                        std::string(ClassName(after->dissemination_class)));
    }
    if (before.quasi_identifier && !after->quasi_identifier) {
      lowered.push_back("indicator " + before.name + " is no longer a quasi_identifier");
    }
  }
  return lowered;
}

}  // namespace opendtm::dictionary
