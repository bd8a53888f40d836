#pragma once
// The rule table (docs/security.md): which permissions each role
// holds. Which permission each RPC requires is written beside the RPC in the
// .proto (the `required_permission` method option). Pure; thread-safe.

#include <string>
#include <vector>

#include "complaints/v1/access.pb.h"

namespace complaints {

// True when `role` holds `permission`.
bool Grants(v1::Role role, v1::Permission permission);

// The roles holding `permission`, in enum order.
std::vector<v1::Role> RolesWith(v1::Permission permission);

// True when a holder of `role` acts only within their department: handlers
// (on what they or their department hold) and supervisors (on what their
// department holds, unless centre-wide).
bool ScopedToDepartment(v1::Role role);

// "complaint.submit", "personal.contact.read", "clerk": the names staff and docs/security.md use.
std::string PermissionName(v1::Permission permission);
std::string RoleName(v1::Role role);

}  // namespace complaints
