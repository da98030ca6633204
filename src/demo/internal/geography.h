// Geography: where the demo's sites are, drawn over a country's real admin
// areas (P-codes from the gazetteer) and inside its bounding box.
//
// The gazetteer has no coordinates, so each admin1 area gets a centre and a
// radius (for Nigeria, the states' approximate centroids and sizes; for any
// other country, a point derived from the P-code inside the box), each admin2
// area a centre at a P-code-derived offset from its admin1's centre, and each
// site a point near its admin2's centre. Every point is kept inside the box.
//
// Sites cluster where displacement is: for Nigeria most in the north-east
// (Borno NG008, Adamawa NG002, Yobe NG036), then the north-west and middle
// belt, a few elsewhere; for other countries a skewed spread over admin1 areas.
//
// Thread-safety: immutable after Build; the Pick/Place functions only use the
// caller's Random. Borrows the gazetteer's areas: the gazetteer must outlive it.
#ifndef OPENDTM_DEMO_INTERNAL_GEOGRAPHY_H_
#define OPENDTM_DEMO_INTERNAL_GEOGRAPHY_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/country_extent.h"
#include "demo/internal/random.h"
#include "geo/gazetteer.h"

namespace opendtm::demo::internal {

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

class Geography {
 public:
  // One admin2 area with its admin1 parent.
  struct District {
    const geo::AdminArea* adm1 = nullptr;
    const geo::AdminArea* adm2 = nullptr;
    GeoPoint centre;
    double radius = 0;  // degrees; sites fall within it
  };

  // Errors: NotFound when the gazetteer has no admin1 or no admin2 area of
  // `country` (or no admin2 whose parent is one of its admin1 areas);
  // InvalidArgument when the box is empty.
  static Result<Geography> Build(const geo::Gazetteer& gazetteer, const geo::CountryExtent& box,
                                 std::string_view country);

  const std::vector<District>& districts() const { return districts_; }
  // A district for a new site, drawn with the clustering weights.
  size_t PickDistrict(Random& random) const;
  // Where the people of a site in `district` came from: mostly from another
  // district of the same admin1, otherwise from anywhere (clustering weights).
  size_t PickOrigin(size_t district, Random& random) const;
  // A point for a site in `district`, inside the box.
  GeoPoint PlaceSite(size_t district, Random& random) const;
  // `point` moved into the box, `margin` degrees from its edges at least (less
  // when the box is narrower than two margins).
  GeoPoint Clamp(GeoPoint point, double margin) const;

 private:
  geo::CountryExtent box_;
  std::vector<District> districts_;
  std::vector<double> cumulative_weight_;  // over districts_, for PickDistrict
  // By district: the first and one-past-last index of its admin1's districts
  // (districts_ is sorted by admin1, in gazetteer order).
  std::vector<std::pair<size_t, size_t>> siblings_;
};

}  // namespace opendtm::demo::internal

#endif  // OPENDTM_DEMO_INTERNAL_GEOGRAPHY_H_
