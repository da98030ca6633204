// BuildForm: turns a data dictionary into an XLSForm (the survey the field
// teams fill in), as pyxform's users would write it by hand.
//
// What the form holds, in order:
//  1. the metadata `start`, `end`, `today`, `deviceid`;
//  2. one group per module (site first, then the selected modules in
//     dictionary order), named after the module, holding the module's
//     indicators in dictionary order.
// Indicators are written as the dictionary declares them (type, label, hint,
// required, relevant, constraint and its message, hxl and code), except the
// structural ones, which the builder knows by name:
//  - latitude/longitude: one `geopoint` named `location` is asked where the
//    first of them appears, followed by `calculate` rows
//    latitude = selected-at(${location}, 0) and
//    longitude = selected-at(${location}, 1) (ODK geopoints are
//    "lat lon alt acc"), which keep their hxl and code;
//  - `pcode N` indicators (adm0_pcode … adm3_pcode, origin_adm1_pcode …): with a
//    gazetteer and a country, level 0 is a `calculate` holding the country code,
//    each level the gazetteer has for the country (1 and 2 in
//    OCHA's global file) is a `select_one adm1` / `select_one adm2` over the
//    country's areas (the admin2 list carries an `adm1` filter column and the
//    question a `choice_filter` on its admin1 question, so origin_adm2_pcode
//    cascades from origin_adm1_pcode over the same lists), and levels it lacks
//    are `text` checked against the country's P-code prefix. Without a
//    gazetteer they are `text` checked to look like a P-code;
//  - the SADD grid: after the population integers, `calculate` rows summing the
//    age buckets of each sex (and the two sex totals) and `note` rows that warn
//    the enumerator when a sum differs from its total. Warnings, not blocking
//    constraints: the enumerator may know the totals better than the buckets.
//
// Thread-safety: a pure function.
#ifndef OPENDTM_FORMS_FORM_BUILDER_H_
#define OPENDTM_FORMS_FORM_BUILDER_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "dictionary/dictionary.h"
#include "forms/form.h"
#include "geo/gazetteer.h"

namespace opendtm::forms {

struct FormOptions {
  // Modules to ask, in any order; empty means all. `site` is always included.
  std::vector<dictionary::Module> modules;
  // Language codes. "en" is always included and comes first; the others follow
  // in the order given. Texts missing in a language fall back to English.
  std::vector<std::string> languages = {"en"};
  // Optional P-code gazetteer (borrowed: must outlive BuildForm); used with
  // `country` to turn admin1/admin2 questions into cascading selects.
  const geo::Gazetteer* gazetteer = nullptr;
  // ISO3 code of the country the form is for ("NGA"); required with a gazetteer.
  std::string country;
  std::string form_id = "opendtm_msla";
  // Default: "OpenDTM site assessment (MSLA) <dictionary version>".
  std::string form_title;
};

// The choice list the builder fills with the gazetteer's areas of `level`
// ("adm1", "adm2"); it is also the name of the filter column that the list of
// the level below carries (the admin2 list has an `adm1` column).
std::string AdminListName(int level);

// Builds the form. Errors: InvalidArgument for a malformed form_id, language
// code or country code, for a gazetteer without a country, when an expression
// refers to an indicator of a module left out of the form, or when a
// dictionary name collides with one the builder adds (`location`, `sadd_*`, the
// lists `adm1`, `adm2`…); NotFound when the gazetteer has no area of `country`.
Result<Form> BuildForm(const dictionary::Dictionary& dictionary, const FormOptions& options);

}  // namespace opendtm::forms

#endif  // OPENDTM_FORMS_FORM_BUILDER_H_
