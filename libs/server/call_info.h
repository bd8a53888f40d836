#pragma once
// What a handler may know about a call besides the request: who makes it,
// verified before the handler runs.

#include <string>

#include "complaints/v1/access.pb.h"
#include "complaints/v1/common.pb.h"

namespace complaints {

struct CallInfo {
  std::string peer;      // "ipv4:127.0.0.1:53012"
  std::string identity;  // what the client certificate proves: "staff/li"
  // The caller as recorded in events: its actor id, the role that granted
  // this method's permission, its department.
  v1::Actor actor;
  // The caller's principal in the access policy (outlives the call).
  const v1::Principal* principal = nullptr;

  // True when the caller holds `permission` in any of its roles (field-level
  // checks: personal data in a view).
  bool May(v1::Permission permission) const;
};

}  // namespace complaints
