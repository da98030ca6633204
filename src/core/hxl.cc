#include "core/hxl.h"

#include <algorithm>
#include <vector>

#include "core/text.h"

namespace opendtm::core {

std::string NormalizeHxlTag(std::string_view tag) {
  std::string folded = FoldCase(Trim(tag));
  std::vector<std::string> parts;
  std::string current;
  for (char c : folded + "+") {
    if (c == '+') {
      parts.push_back(current);
      current.clear();
    } else if (c != ' ' && c != '\t') {
      current += c;
    }
  }
  std::sort(parts.begin() + 1, parts.end());
  std::string out = parts[0];
  for (size_t part_idx = 1; part_idx < parts.size(); ++part_idx) out += "+" + parts[part_idx];
  return out;
}

}  // namespace opendtm::core
