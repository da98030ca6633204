#include "service/principal.h"

#include <utility>

namespace opendtm::service {

Principal Principal::InstanceAdmin(std::string os_user) {
  Principal principal;
  principal.user = std::string(kInstanceAdminName);
  principal.instance_admin = true;
  principal.os_user = std::move(os_user);
  return principal;
}

Principal Principal::User(std::string name, std::string os_user) {
  Principal principal;
  principal.user = std::move(name);
  principal.os_user = std::move(os_user);
  return principal;
}

Principal Principal::Anonymous() { return Principal(); }

std::string Principal::Label() const {
  if (instance_admin) return user + " (instance admin)";
  return user.empty() ? "anonymous" : user;
}

std::string Principal::Actor() const {
  if (instance_admin && !os_user.empty()) return os_user;
  return user.empty() ? "anonymous" : user;
}

}  // namespace opendtm::service
