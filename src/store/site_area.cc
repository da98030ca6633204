#include "store/site_area.h"

namespace opendtm::store {

SiteArea MasterAreaOf(const Site& master, const std::array<std::string_view, 3>& reported) {
  const std::array<const std::string*, 3> listed = {&master.adm1_pcode, &master.adm2_pcode,
                                                    &master.adm3_pcode};
  SiteArea area;
  bool moved = false;  // a coarser level was reported in another area
  for (size_t level_idx = 0; level_idx < area.size(); ++level_idx) {
    if (!listed[level_idx]->empty()) {
      area[level_idx] = *listed[level_idx];
      moved = moved || (!reported[level_idx].empty() && reported[level_idx] != area[level_idx]);
    } else if (!moved) {
      area[level_idx] = std::string(reported[level_idx]);
    }
  }
  return area;
}

}  // namespace opendtm::store
