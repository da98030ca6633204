#include "service/session.h"

#include <chrono>
#include <ctime>

namespace opendtm::service {

std::string ClockNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string Session::Now() const { return time.empty() ? ClockNow() : time; }

core::Date Session::Today() const {
  Result<core::Date> date = core::ParseIsoDate(Now().substr(0, 10));
  return date.ok() ? *date : core::Date{1970, 1, 1};
}

}  // namespace opendtm::service
