// Session: what every service call is given besides its request — the store,
// the audit log's files, who asks, and the time of the request.
//
// The CLI makes one per command; the server one per request. Nothing global:
// tests build their own.
//
// Thread-safety: one session, one thread; borrows the store.
#ifndef OPENDTM_SERVICE_SESSION_H_
#define OPENDTM_SERVICE_SESSION_H_

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/date.h"
#include "service/principal.h"
#include "store/store.h"

namespace opendtm::service {

struct Session {
  store::Store* store = nullptr;  // borrowed, not null
  audit::AuditFiles audit_files;  // the audit log's head and key files
  Principal principal;
  // The time of the request, ISO 8601 UTC ("2026-12-08T01:00:00Z"); "" reads
  // the clock at each use.
  std::string time;
  // What the person should be told besides the result (an audit key was
  // created for a new database…): the caller prints them.
  std::vector<std::string> notices;

  std::string Now() const;   // `time`, or the clock's
  core::Date Today() const;  // the date of Now()
};

// The clock's time, ISO 8601 UTC to the second.
std::string ClockNow();

}  // namespace opendtm::service

#endif  // OPENDTM_SERVICE_SESSION_H_
