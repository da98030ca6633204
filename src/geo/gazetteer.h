// Gazetteer: the administrative areas of one or more countries, keyed by P-code.
//
// Admin areas are joined on P-codes, never on names (names differ between
// sources and languages: the DTM API's "Ouest" is the gazetteer's "West").
//
// Thread-safety: immutable after loading; safe to share.
#ifndef OPENDTM_GEO_GAZETTEER_H_
#define OPENDTM_GEO_GAZETTEER_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace opendtm::geo {

struct AdminArea {
  std::string country;      // ISO3, e.g. "NGA"
  int level = 0;            // 0 country, 1, 2, 3 …
  std::string pcode;        // e.g. "NG001"
  std::string name;         // e.g. "Abia"
  std::string parent_pcode; // at level 1, the country code (as in the OCHA file)
  std::string valid_from;   // ISO date from which the code is valid ("" when unknown)
};

class Gazetteer {
 public:
  // Reads the OCHA global P-code file (HXL-tagged CSV: `#country+code,
  // #geo+admin_level, #adm+code, #adm+name, #adm+code+parent, #date+start`,
  // UTF-8 with or without BOM, hashtag row anywhere in the first rows), or a
  // plain CSV with header `code,name,level,parent[,country][,valid_from]`.
  // Errors: NotFound when the file cannot be opened; InvalidArgument naming the
  // file, row and column when a required column is missing, or — unless
  // `skipped_rows` is given — when a row is invalid (level not a number, empty
  // or repeated P-code). With `skipped_rows`, an invalid row is skipped and its
  // message ("FILE: row N, column C: …") appended there instead.
  static Result<Gazetteer> LoadFile(const std::string& path,
                                    std::vector<std::string>* skipped_rows = nullptr);

  // Adds an area; a second area with the same P-code replaces nothing and is
  // reported as AlreadyExists.
  Status Add(AdminArea area);

  // nullptr when the P-code is unknown.
  const AdminArea* Find(std::string_view pcode) const;
  // Areas of `country` at `level`, in file order.
  std::vector<const AdminArea*> AreasOf(std::string_view country, int level) const;
  // Every country code present, sorted.
  std::vector<std::string> Countries() const;
  size_t size() const { return areas_.size(); }
  // Every area, in file order.
  const std::vector<AdminArea>& areas() const { return areas_; }

 private:
  std::vector<AdminArea> areas_;
  std::unordered_map<std::string, size_t> by_pcode_;
};

}  // namespace opendtm::geo

#endif  // OPENDTM_GEO_GAZETTEER_H_
