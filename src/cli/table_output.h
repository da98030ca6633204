// Tables on screen: what the list commands print for people.
#ifndef OPENDTM_CLI_TABLE_OUTPUT_H_
#define OPENDTM_CLI_TABLE_OUTPUT_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace opendtm::cli {

// Characters on screen: UTF-8 code points (continuation bytes do not count).
size_t DisplayWidth(std::string_view utf8);

// Prints `rows` under `header`, columns two spaces apart; the last column is
// not padded, so that long messages leave no trailing blanks.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace opendtm::cli

#endif  // OPENDTM_CLI_TABLE_OUTPUT_H_
