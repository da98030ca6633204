// CountryExtent: the lon/lat bounding box of a country, for "is this GPS point
// in the country?" and "are latitude and longitude swapped?" checks.
//
// Boxes come from `data/real/country-bbox-naturalearth.csv` (Natural Earth
// admin-0, WGS84), whose header is
//   iso3,name,min_lon,min_lat,max_lon,max_lat
// A box is not a border: a point inside the box may still be outside the
// country, but a point outside the box is certainly outside it. Countries that
// straddle the antimeridian (Fiji, Russia) have boxes spanning -180..180 and so
// accept any longitude: the check is lenient there, never wrong.
//
// Thread-safety: value types, immutable after loading; safe to share.
#ifndef OPENDTM_GEO_COUNTRY_EXTENT_H_
#define OPENDTM_GEO_COUNTRY_EXTENT_H_

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::geo {

struct CountryExtent {
  std::string iso3;  // "NPL"
  std::string name;  // "Nepal"
  double min_lon = 0;
  double min_lat = 0;
  double max_lon = 0;
  double max_lat = 0;

  // True when (latitude, longitude) lies inside the box, edges included.
  bool Contains(double latitude, double longitude) const {
    return latitude >= min_lat && latitude <= max_lat && longitude >= min_lon &&
           longitude <= max_lon;
  }
};

// Every country's box, by ISO3.
class CountryExtents {
 public:
  // Reads the CSV at `path` with core's CSV parser. The columns iso3, name,
  // min_lon, min_lat, max_lon and max_lat may come in any order (extra columns
  // are ignored; header names compared ignoring ASCII case).
  // Errors: those of core::ReadCsvFile (NotFound, …); InvalidArgument naming
  // the file, the line and the problem for a missing column, a coordinate that
  // is not a number or out of range, a box whose minimum exceeds its maximum,
  // or an ISO3 code given twice.
  static Result<CountryExtents> LoadFile(const std::string& path);

  // Adds a box. Errors: InvalidArgument when the box is malformed (as above),
  // AlreadyExists when its ISO3 is already present.
  Status Add(CountryExtent extent);

  // The box of `iso3` (ASCII case ignored), or nullptr.
  const CountryExtent* Find(std::string_view iso3) const;
  size_t size() const { return by_iso3_.size(); }

 private:
  std::map<std::string, CountryExtent, std::less<>> by_iso3_;  // key upper-case
};

// The box of one country from the file at `path` (CountryExtents::LoadFile,
// then Find). Errors: those of LoadFile; NotFound naming the file when it has
// no box for `iso3`.
Result<CountryExtent> LoadCountryExtent(const std::string& path, std::string_view iso3);

}  // namespace opendtm::geo

#endif  // OPENDTM_GEO_COUNTRY_EXTENT_H_
