#include "ingest/correction_check.h"

#include <utility>

namespace opendtm::ingest {

Result<geo::Gazetteer> LoadCountryGazetteer(store::Store& store, std::string_view country) {
  ASSIGN_OR_RETURN(std::vector<store::AdminAreaRecord> areas, store.AdminAreas(country));
  geo::Gazetteer gazetteer;
  for (const store::AdminAreaRecord& area : areas) {
    gazetteer
        .Add({area.country, area.level, area.pcode, area.name, area.parent_pcode, area.valid_from})
        .IgnoreError();
  }
  return gazetteer;
}

Result<CorrectionOutcome> CheckCorrection(store::Store& store,
                                          const dictionary::Dictionary& dictionary,
                                          const store::Submission& submission,
                                          std::string_view indicator, std::string_view value,
                                          const CorrectionCheckOptions& options) {
  const dictionary::Indicator* found = dictionary.FindIndicator(indicator);
  if (found == nullptr) {
    return NotFoundError("indicator '" + std::string(indicator) + "' is not in the dictionary");
  }
  const int indicator_idx = static_cast<int>(found - dictionary.indicators().data());

  // 1. What an ingest of this operation and round would know.
  ASSIGN_OR_RETURN(store::Operation operation, store.GetOperation(submission.operation_id));
  ASSIGN_OR_RETURN(geo::Gazetteer gazetteer, LoadCountryGazetteer(store, operation.country));
  ValidationContext context;
  context.file = "correction";
  context.country = operation.country;
  context.extent = options.extents != nullptr ? options.extents->Find(operation.country) : nullptr;
  context.gazetteer = gazetteer.size() > 0 ? &gazetteer : nullptr;
  context.known_site_ids.insert(submission.site_id);
  if (Result<store::Site> site = store.FindSite(operation.id, submission.site_id); site.ok()) {
    context.master_sites.emplace(submission.site_id, std::move(site).value());
  } else if (site.status().code() != StatusCode::kNotFound) {
    return site.status();
  }
  if (Result<store::Round> round = store.FindRound(operation.id, submission.round); round.ok()) {
    if (Result<core::Date> from = core::ParseIsoDate(round->date_from); from.ok()) {
      context.round_from = *from;
    }
    if (Result<core::Date> to = core::ParseIsoDate(round->date_to); to.ok()) {
      context.round_to = *to;
    }
  } else if (round.status().code() != StatusCode::kNotFound) {
    return round.status();
  }
  context.today = options.today;

  // 2. The validator's verdict on the corrected record.
  ASSIGN_OR_RETURN(SiteValidator validator, SiteValidator::Create(dictionary, std::move(context)));
  return validator.ValidateCorrection(submission.values, indicator_idx, value,
                                      submission.source_row);
}

}  // namespace opendtm::ingest
