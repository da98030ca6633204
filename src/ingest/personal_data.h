// Personal data that no dictionary marks as such: submitted values that look
// like a phone number or an e-mail address, and column headers that look like
// contact details or people's names (dictionary.md, rule 2: pii is never
// stored).
//
// Two defences use these tests:
//   - an ingest is refused before it runs when its mapping (mapping file or
//     header match) sends a column whose header or most of whose values look
//     personal onto an indicator that is not `pii` (CheckPersonalHeaders,
//     PersonalValueCheck);
//   - a single value that looks personal is blanked by the validator with a
//     `pii_suspected` finding that never repeats it (site_validator.h).
//
// A phone number here is a whole value of digits, spaces, dashes and
// parentheses with an optional leading "+", at least 7 digits, and a sign
// that it is not a count: a "+", a separator, or a leading 0 ("+977 1
// 4412345", "098-765-4321", "0771234567"; never "1234567", "-12345678",
// "2015-05-21" or "12/05/2015"). An e-mail address is "x@y.z" anywhere in the
// value.
//
// Thread-safety: the functions are pure; a PersonalValueCheck is used by one
// thread at a time.
#ifndef OPENDTM_INGEST_PERSONAL_DATA_H_
#define OPENDTM_INGEST_PERSONAL_DATA_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "dictionary/dictionary.h"
#include "ingest/column_mapping.h"
#include "ingest/source.h"

namespace opendtm::ingest {

enum class PersonalValueKind { kNone, kPhoneNumber, kEmailAddress };

// What `value` (trimmed here) looks like.
PersonalValueKind ClassifyPersonalValue(std::string_view value);

// "looks like a phone number", "looks like an e-mail address" ("" for kNone):
// the words of a finding, which never repeats the value.
std::string_view DescribePersonalValue(PersonalValueKind kind);

// True when `header` names contact details or a person: phone, tel,
// telephone, mobile, e-mail, contact, focal (point), "name of (the)
// respondent / key informant / enumerator", "KI name", "respondent name",
// "enumerator name", whatever the case and separators ("focal_tel",
// "group/Phone of focal point").
bool HeaderLooksPersonal(std::string_view header);

// Refuses a mapping that sends a column whose header looks personal onto an
// indicator that is not `pii`: a binding of `mapping`, or a line of
// `mapping_file` (may be null) even when another column of the file feeds
// that indicator first. Errors: InvalidArgument naming the column, the
// indicator and how it was matched (the ingest does not run).
Status CheckPersonalHeaders(const SourceHeader& header, const ColumnMapping& mapping,
                            const MappingFile* mapping_file,
                            const dictionary::Dictionary& dictionary);

// Counts, over a whole file, how many values of each column the mapping sends
// onto an indicator that is not `pii` (site_id excepted: site IDs are
// codes) look personal, then refuses a column where most do.
// `mapping` and `dictionary` must outlive it.
class PersonalValueCheck {
 public:
  PersonalValueCheck(const ColumnMapping& mapping, const dictionary::Dictionary& dictionary);

  // Counts the cells of one data row.
  void Add(const SourceRow& row);

  // Errors: InvalidArgument naming the first column (of `header`) where more
  // than half of the non-empty values, and at least two, look like phone
  // numbers or e-mail addresses (one such value is a slip, which the
  // validator blanks; most of a column is a mapping that sends contact
  // details onto an indicator).
  Status Check(const SourceHeader& header) const;

 private:
  struct ColumnCount {
    int column = -1;
    int indicator = -1;
    int64_t non_empty = 0;
    int64_t phone_numbers = 0;
    int64_t email_addresses = 0;
  };
  const ColumnMapping* mapping_;
  const dictionary::Dictionary* dictionary_;
  std::vector<ColumnCount> counts_;  // the checked columns, ascending
};

}  // namespace opendtm::ingest

#endif  // OPENDTM_INGEST_PERSONAL_DATA_H_
