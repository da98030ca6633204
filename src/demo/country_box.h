// CountryBox: the bounding box of a country, for "is this GPS point in the
// country?" checks and for placing demo sites.
//
// Boxes come from `data/real/country-bbox-naturalearth.csv` (derived from
// Natural Earth admin-0, WGS84), whose header is
//   iso3,name,min_lon,min_lat,max_lon,max_lat
// A box is not a border: a point inside the box may still be outside the
// country (a neighbour's corner of the box), but a point outside the box is
// certainly outside the country.
//
// Thread-safety: a plain value type; LoadCountryBox is a pure function.
#ifndef OPENDTM_DEMO_COUNTRY_BOX_H_
#define OPENDTM_DEMO_COUNTRY_BOX_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace opendtm::demo {

struct CountryBox {
  std::string iso3;  // "NGA"
  std::string name;  // "Nigeria"
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

// Reads the box of `iso3` (compared ignoring ASCII case) from the CSV file at
// `path`, which must have the columns iso3, name, min_lon, min_lat, max_lon and
// max_lat in any order (extra columns are ignored), read with core's CSV parser.
// Returns the box on success.
// Errors: those of core::ReadCsvFile (NotFound when the file does not exist…);
// InvalidArgument naming the file when a column is missing, or naming the file
// and line when the country's row has a coordinate that is not a number, a
// longitude outside [-180, 180], a latitude outside [-90, 90] or a minimum
// above its maximum; NotFound when no row has that iso3.
Result<CountryBox> LoadCountryBox(const std::string& path, std::string_view iso3);

}  // namespace opendtm::demo

#endif  // OPENDTM_DEMO_COUNTRY_BOX_H_
