#include "geo/gazetteer_check.h"

#include <map>
#include <set>

#include "core/text.h"

namespace opendtm::geo {
namespace {

// OCHA pads some P-codes with zeros (KG02000000000 is the parent of
// KG02205000000), so the parent's trailing zeros are not part of the prefix.
std::string_view SignificantPrefix(std::string_view pcode) {
  size_t end = pcode.size();
  while (end > 2 && pcode[end - 1] == '0') --end;
  return pcode.substr(0, end);
}

}  // namespace

std::vector<GazetteerFinding> CheckGazetteer(const Gazetteer& gazetteer) {
  std::vector<GazetteerFinding> findings;
  std::set<std::string> countries;
  for (const AdminArea& area : gazetteer.areas()) countries.insert(area.country);

  // Areas by (parent, folded name), to find names repeated under one parent.
  std::map<std::pair<std::string, std::string>, std::vector<const AdminArea*>> siblings;
  for (const AdminArea& area : gazetteer.areas()) {
    siblings[{area.parent_pcode, core::FoldCase(area.name)}].push_back(&area);
    const AdminArea* parent = gazetteer.Find(area.parent_pcode);
    if (parent == nullptr) {
      if (!area.parent_pcode.empty() && countries.count(area.parent_pcode) == 0) {
        findings.push_back({"unknown_parent", area.pcode,
                            area.pcode + " (" + area.name + "): parent " + area.parent_pcode +
                                " is neither an area nor a country of the file"});
      }
      continue;
    }
    if (!area.pcode.starts_with(SignificantPrefix(parent->pcode))) {
      findings.push_back({"pcode_prefix", area.pcode,
                          area.pcode + " (" + area.name + ", level " +
                              std::to_string(area.level) + ") does not start with its parent's " +
                              "P-code " + parent->pcode + " (" + parent->name + ")"});
    }
  }
  for (const auto& [key, areas] : siblings) {
    if (areas.size() < 2) continue;
    std::string codes;
    for (const AdminArea* area : areas) codes += (codes.empty() ? "" : ", ") + area->pcode;
    findings.push_back({"duplicate_name", areas[1]->pcode,
                        "name '" + areas[0]->name + "' appears " + std::to_string(areas.size()) +
                            " times under " + key.first + ": " + codes +
                            " (join on P-codes, never on names)"});
  }
  return findings;
}

}  // namespace opendtm::geo
