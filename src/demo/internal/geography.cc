#include "demo/internal/geography.h"

#include <algorithm>
#include <map>

namespace opendtm::demo::internal {
namespace {

// What the demo knows about an admin1 area of Nigeria: approximate centroid
// and extent (degrees), and how much displacement it hosts relative to the
// others (DTM's north-east operation dominates; north-west and middle-belt
// states follow; the south hosts few IDP sites).
struct StateProfile {
  std::string_view pcode;
  double latitude;
  double longitude;
  double radius;
  double weight;
};

constexpr StateProfile kNigeriaStates[] = {
    {"NG001", 5.45, 7.52, 0.35, 0.2},   {"NG002", 9.33, 12.40, 1.00, 14.0},  // Abia, Adamawa
    {"NG003", 4.95, 7.85, 0.35, 0.2},   {"NG004", 6.22, 6.94, 0.30, 0.2},    // Akwa Ibom, Anambra
    {"NG005", 10.60, 9.90, 1.00, 2.0},  {"NG006", 4.77, 6.07, 0.35, 0.3},    // Bauchi, Bayelsa
    {"NG007", 7.34, 8.74, 0.90, 2.5},   {"NG008", 11.88, 13.15, 1.30, 55.0}, // Benue, Borno
    {"NG009", 5.87, 8.60, 0.70, 0.3},   {"NG010", 5.70, 5.93, 0.60, 0.3},    // Cross River, Delta
    {"NG011", 6.26, 8.01, 0.30, 0.2},   {"NG012", 6.63, 5.93, 0.60, 0.2},    // Ebonyi, Edo
    {"NG013", 7.72, 5.31, 0.30, 0.2},   {"NG014", 6.54, 7.44, 0.35, 0.2},    // Ekiti, Enugu
    {"NG015", 8.89, 7.19, 0.35, 0.8},   {"NG016", 10.36, 11.19, 0.60, 1.5},  // FCT, Gombe
    {"NG017", 5.57, 7.06, 0.30, 0.2},   {"NG018", 12.23, 9.56, 0.80, 0.5},   // Imo, Jigawa
    {"NG019", 10.38, 7.71, 1.00, 1.8},  {"NG020", 11.75, 8.52, 0.70, 0.6},   // Kaduna, Kano
    {"NG021", 12.38, 7.63, 0.70, 2.0},  {"NG022", 11.49, 4.23, 1.00, 0.6},   // Katsina, Kebbi
    {"NG023", 7.73, 6.69, 0.80, 0.4},   {"NG024", 8.97, 4.55, 0.90, 0.2},    // Kogi, Kwara
    {"NG025", 6.52, 3.58, 0.25, 0.3},   {"NG026", 8.54, 8.32, 0.70, 0.8},    // Lagos, Nasarawa
    {"NG027", 9.93, 5.60, 1.40, 1.2},   {"NG028", 6.99, 3.47, 0.50, 0.2},    // Niger, Ogun
    {"NG029", 7.10, 4.84, 0.60, 0.2},   {"NG030", 7.56, 4.52, 0.40, 0.2},    // Ondo, Osun
    {"NG031", 8.16, 3.61, 0.80, 0.2},   {"NG032", 9.22, 9.52, 0.80, 1.5},    // Oyo, Plateau
    {"NG033", 4.84, 6.92, 0.40, 0.3},   {"NG034", 13.05, 5.24, 0.90, 2.0},   // Rivers, Sokoto
    {"NG035", 7.87, 10.78, 1.20, 1.5},  {"NG036", 12.29, 11.44, 1.10, 11.0}, // Taraba, Yobe
    {"NG037", 12.17, 6.25, 0.80, 2.5},                                       // Zamfara
};

// Borno's LGAs that host most of its camps (Maiduguri, Jere, Konduga, Bama,
// Gwoza, Monguno, Ngala, Dikwa): their weight is multiplied.
constexpr std::string_view kNigeriaHotspots[] = {"NG008021", "NG008013", "NG008016", "NG008003",
                                                 "NG008011", "NG008024", "NG008025", "NG008008"};
constexpr double kHotspotFactor = 5.0;

const StateProfile* FindStateProfile(std::string_view country, std::string_view pcode) {
  if (country != "NGA") return nullptr;
  for (const StateProfile& profile : kNigeriaStates) {
    if (profile.pcode == pcode) return &profile;
  }
  return nullptr;
}

bool IsHotspot(std::string_view country, std::string_view pcode) {
  if (country != "NGA") return false;
  return std::find(std::begin(kNigeriaHotspots), std::end(kNigeriaHotspots), pcode) !=
         std::end(kNigeriaHotspots);
}

// A point of the unit disc, uniformly, by rejection (exact arithmetic only).
GeoPoint PointInUnitDisc(Random& random) {
  while (true) {
    const double x = random.Uniform(-1, 1);
    const double y = random.Uniform(-1, 1);
    if (x * x + y * y <= 1) return {y, x};
  }
}

}  // namespace

Result<Geography> Geography::Build(const geo::Gazetteer& gazetteer, const geo::CountryExtent& box,
                                   std::string_view country) {
  if (!(box.min_lat < box.max_lat && box.min_lon < box.max_lon)) {
    return InvalidArgumentError("the bounding box of " + box.iso3 + " is empty");
  }
  std::vector<const geo::AdminArea*> admin1s = gazetteer.AreasOf(country, 1);
  std::vector<const geo::AdminArea*> admin2s = gazetteer.AreasOf(country, 2);
  if (admin1s.empty() || admin2s.empty()) {
    return NotFoundError("the gazetteer has no admin1 or no admin2 area of '" +
                         std::string(country) + "'");
  }
  Geography geography;
  geography.box_ = box;
  const double box_size = std::min(box.max_lat - box.min_lat, box.max_lon - box.min_lon);

  // Step 1: each admin1's centre, radius and weight.
  struct Admin1Place {
    GeoPoint centre;
    double radius;
    double weight;
  };
  std::map<std::string, Admin1Place, std::less<>> admin1_places;
  for (size_t admin1_idx = 0; admin1_idx < admin1s.size(); ++admin1_idx) {
    const geo::AdminArea* admin1 = admin1s[admin1_idx];
    Admin1Place place;
    if (const StateProfile* profile = FindStateProfile(country, admin1->pcode)) {
      place = {{profile->latitude, profile->longitude}, profile->radius, profile->weight};
    } else {
      // No profile: a place derived from the P-code, and a skewed weight so
      // that a few areas hold most sites, as in real operations.
      Random random(HashText(admin1->pcode));
      place.centre = {random.Uniform(box.min_lat, box.max_lat),
                      random.Uniform(box.min_lon, box.max_lon)};
      place.radius = 0.12 * box_size;
      const double skew = random.Uniform();
      place.weight = 0.2 + 8 * skew * skew * skew;
    }
    place.centre = geography.Clamp(place.centre, 0.05);
    admin1_places.emplace(admin1->pcode, place);
  }

  // Step 2: each admin2 (grouped by admin1, in gazetteer order) near its
  // admin1's centre; weights skewed within the admin1.
  std::vector<double> weights;
  for (const geo::AdminArea* admin1 : admin1s) {
    const Admin1Place& place = admin1_places.find(admin1->pcode)->second;
    const size_t first = geography.districts_.size();
    for (const geo::AdminArea* admin2 : admin2s) {
      if (admin2->parent_pcode != admin1->pcode) continue;
      Random random(HashText(admin2->pcode));
      const GeoPoint offset = PointInUnitDisc(random);
      District district;
      district.adm1 = admin1;
      district.adm2 = admin2;
      district.centre = geography.Clamp({place.centre.latitude + offset.latitude * place.radius,
                                         place.centre.longitude + offset.longitude * place.radius},
                                        0.03);
      district.radius = std::max(0.04, place.radius / 5);
      geography.districts_.push_back(district);
      const double skew = random.Uniform();
      weights.push_back((0.15 + skew * skew) *
                        (IsHotspot(country, admin2->pcode) ? kHotspotFactor : 1.0));
    }
    const size_t last = geography.districts_.size();
    double admin1_total = 0;
    for (size_t district_idx = first; district_idx < last; ++district_idx) {
      admin1_total += weights[district_idx];
    }
    for (size_t district_idx = first; district_idx < last; ++district_idx) {
      weights[district_idx] = weights[district_idx] / admin1_total * place.weight;
      geography.siblings_.emplace_back(first, last);
    }
  }
  if (geography.districts_.empty()) {
    return NotFoundError("the gazetteer has no admin2 area under an admin1 area of '" +
                         std::string(country) + "'");
  }
  double running = 0;
  for (double weight : weights) {
    running += weight;
    geography.cumulative_weight_.push_back(running);
  }
  return geography;
}

size_t Geography::PickDistrict(Random& random) const {
  const double target = random.Uniform() * cumulative_weight_.back();
  auto found = std::upper_bound(cumulative_weight_.begin(), cumulative_weight_.end(), target);
  return std::min(static_cast<size_t>(found - cumulative_weight_.begin()), districts_.size() - 1);
}

size_t Geography::PickOrigin(size_t district, Random& random) const {
  if (random.Chance(0.7)) {
    auto [first, last] = siblings_[district];
    return first + random.PickIndex(last - first);
  }
  return PickDistrict(random);
}

GeoPoint Geography::PlaceSite(size_t district, Random& random) const {
  const District& where = districts_[district];
  const GeoPoint offset = PointInUnitDisc(random);
  return Clamp({where.centre.latitude + offset.latitude * where.radius,
                where.centre.longitude + offset.longitude * where.radius},
               0.01);
}

GeoPoint Geography::Clamp(GeoPoint point, double margin) const {
  auto clamp = [margin](double value, double low, double high) {
    const double usable = std::min(margin, (high - low) / 4);
    return std::clamp(value, low + usable, high - usable);
  };
  return {clamp(point.latitude, box_.min_lat, box_.max_lat),
          clamp(point.longitude, box_.min_lon, box_.max_lon)};
}

}  // namespace opendtm::demo::internal
