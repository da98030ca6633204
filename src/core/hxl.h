// HXL hashtags (https://hxlstandard.org): comparing tags the way HXL does.
//
// Thread-safety: pure functions.
#ifndef OPENDTM_CORE_HXL_H_
#define OPENDTM_CORE_HXL_H_

#include <string>
#include <string_view>

namespace opendtm::core {

// The canonical form of a hashtag with attributes: trimmed, case-folded, spaces
// removed, attributes sorted, so that "#Affected +idps +f" and "#affected+f+idps"
// compare equal (attribute order does not matter in HXL).
std::string NormalizeHxlTag(std::string_view tag);

}  // namespace opendtm::core

#endif  // OPENDTM_CORE_HXL_H_
