// Checking a correction of one stored value (`dtm correct`) by the rules of
// ingest: builds the validator an ingest of the submission's operation and
// round would use (its country's gazetteer, the site's master-list record,
// the round's dates) and asks it about the corrected record
// (SiteValidator::ValidateCorrection). No rule is written twice: every rule
// is the validator's.
//
// Thread-safety: stateless functions; the store is used by one thread.
#ifndef OPENDTM_INGEST_CORRECTION_CHECK_H_
#define OPENDTM_INGEST_CORRECTION_CHECK_H_

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"
#include "dictionary/dictionary.h"
#include "geo/country_extent.h"
#include "geo/gazetteer.h"
#include "ingest/site_validator.h"
#include "store/records.h"
#include "store/store.h"

namespace opendtm::ingest {

struct CorrectionCheckOptions {
  core::Date today{9999, 12, 31};  // what today() means in constraints
  // Country boxes for the GPS check; null: latitude and longitude are only
  // checked against -90..90 and -180..180. Borrowed for the call.
  const geo::CountryExtents* extents = nullptr;
};

// The gazetteer of `country` (ISO3) from the store's admin areas; empty when
// the store has none. Errors: the store's.
Result<geo::Gazetteer> LoadCountryGazetteer(store::Store& store, std::string_view country);

// What setting `indicator` of the accepted `submission` to `value` (as typed
// by a person) would do: the normalised value, and every rule the corrected
// record breaks that the stored one did not (CorrectionOutcome). `dictionary`
// is the one the submission was stored with. Errors: NotFound for an unknown
// indicator or operation; the store's.
Result<CorrectionOutcome> CheckCorrection(store::Store& store,
                                          const dictionary::Dictionary& dictionary,
                                          const store::Submission& submission,
                                          std::string_view indicator, std::string_view value,
                                          const CorrectionCheckOptions& options);

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_CORRECTION_CHECK_H_
