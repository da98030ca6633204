// What is odd in a gazetteer: the checks `dtm admin import` reports before it
// imports the valid areas.
//
//   pcode_prefix     a P-code that does not start with its parent's P-code
//                    (OCHA P-codes nest: NG008 is under NGA... NG008001 under NG008)
//   duplicate_name   two areas with the same name (ignoring case) under one parent
//   unknown_parent   a parent P-code that is neither an area of the file nor a
//                    country code of the file
//
// Thread-safety: pure function.
#ifndef OPENDTM_GEO_GAZETTEER_CHECK_H_
#define OPENDTM_GEO_GAZETTEER_CHECK_H_

#include <string>
#include <vector>

#include "geo/gazetteer.h"

namespace opendtm::geo {

struct GazetteerFinding {
  std::string rule;     // pcode_prefix, duplicate_name, unknown_parent
  std::string pcode;    // the area concerned
  std::string message;  // for people
};

// Every oddity of `gazetteer`, in file order.
std::vector<GazetteerFinding> CheckGazetteer(const Gazetteer& gazetteer);

}  // namespace opendtm::geo

#endif  // OPENDTM_GEO_GAZETTEER_CHECK_H_
