#include "libs/security/access_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/core/config.h"
#include "libs/core/text.h"
#include "libs/security/rules.h"

namespace complaints {
namespace {

constexpr size_t kMaxIdentityBytes = 200;
constexpr size_t kMaxActorChars = 64;

bool SegmentChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

// SPIFFE path rules: segments of letters, digits, '.', '_', '-'; not "." or "..".
bool ValidIdentity(absl::string_view identity) {
  if (identity.empty() || identity.size() > kMaxIdentityBytes) return false;
  for (absl::string_view segment : absl::StrSplit(identity, '/')) {
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      if (!SegmentChar(c)) return false;
    }
  }
  return true;
}

bool ValidTrustDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 255) return false;
  for (char c : domain) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

absl::Status Invalid(int index, absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("principals[", index, "].", field, ": ", reason));
}

bool ReadsPersonalData(v1::Role role) {
  return Grants(role, v1::PERMISSION_PERSONAL_CONTACT_READ) ||
         Grants(role, v1::PERMISSION_PERSONAL_IDENTITY_READ) ||
         Grants(role, v1::PERMISSION_EVIDENCE_READ);
}

std::string RoleNames(const std::vector<v1::Role>& roles) {
  return absl::StrJoin(roles, ", ",
                       [](std::string* out, v1::Role role) { out->append(RoleName(role)); });
}

}  // namespace

AccessPolicy::AccessPolicy(v1::AccessPolicy config) : config_(std::move(config)) {
  for (int i = 0; i < config_.principals_size(); ++i) {
    by_identity_.emplace(config_.principals(i).identity(), i);
  }
}

absl::StatusOr<AccessPolicy> AccessPolicy::Create(v1::AccessPolicy config) {
  if (!ValidTrustDomain(config.trust_domain())) {
    return absl::InvalidArgumentError(
        "trust_domain: required, lower-case letters, digits, '.', '-' and '_'");
  }
  std::map<std::string, int, std::less<>> seen;
  for (int i = 0; i < config.principals_size(); ++i) {
    v1::Principal& principal = *config.mutable_principals(i);
    if (!ValidIdentity(principal.identity())) {
      return Invalid(i, "identity",
                     "required: path segments of letters, digits, '.', '_' and '-' (\"staff/li\")");
    }
    if (auto [it, added] = seen.emplace(principal.identity(), i); !added) {
      return Invalid(
          i, "identity",
          absl::StrCat("\"", principal.identity(), "\" is already principals[", it->second, "]"));
    }
    if (principal.actor().empty()) {
      principal.set_actor(std::string(
          principal.identity().substr(principal.identity().rfind('/') == std::string::npos
                                          ? 0
                                          : principal.identity().rfind('/') + 1)));
    }
    if (!ValidIdentity(principal.actor()) || absl::StrContains(principal.actor(), '/') ||
        principal.actor().size() > kMaxActorChars) {
      return Invalid(i, "actor", "letters, digits, '.', '_' and '-', at most 64");
    }
    if (principal.roles().empty()) return Invalid(i, "roles", "at least one");
    bool analyst = false, personal = false;
    for (int role : principal.roles()) {
      if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
        return Invalid(i, "roles", "unspecified or unknown role");
      }
      analyst |= role == v1::ROLE_ANALYST;
      personal |= ReadsPersonalData(static_cast<v1::Role>(role));
      if (ScopedToDepartment(static_cast<v1::Role>(role)) && principal.department().empty() &&
          !(role == v1::ROLE_SUPERVISOR && principal.centre_wide())) {
        return Invalid(i, "department",
                       absl::StrCat("required for a ", RoleName(static_cast<v1::Role>(role)),
                                    " (what they may act on is scoped by it)"));
      }
    }
    if (analyst && personal) {
      return Invalid(i, "roles",
                     "an analyst never receives personal data: not with a role that reads it");
    }
    if (principal.department().size() > kMaxActorChars) {
      return Invalid(i, "department", "at most 64 characters");
    }
  }
  return AccessPolicy(std::move(config));
}

absl::StatusOr<AccessPolicy> AccessPolicy::Load(const std::string& path) {
  return LoadChecked<v1::AccessPolicy>(path, &AccessPolicy::Create);
}

absl::StatusOr<std::string> AccessPolicy::IdentityOf(const std::vector<std::string>& uris,
                                                     const std::string& common_name) const {
  const std::string prefix = absl::StrCat("spiffe://", trust_domain(), "/");
  if (uris.empty()) {
    if (ValidIdentity(common_name)) return common_name;
    return absl::UnauthenticatedError(
        "client certificate: names no identity (no SPIFFE URI, no usable common name)");
  }
  if (uris.size() > 1) {
    return absl::UnauthenticatedError("client certificate: more than one URI name");
  }
  absl::string_view uri = uris.front();
  if (!absl::ConsumePrefix(&uri, prefix) || !ValidIdentity(uri)) {
    return absl::UnauthenticatedError(
        absl::StrCat("client certificate: not an identity of trust domain ", trust_domain()));
  }
  return std::string(uri);
}

const v1::Principal* AccessPolicy::Find(absl::string_view identity) const {
  auto it = by_identity_.find(identity);
  return it == by_identity_.end() ? nullptr : &config_.principals(it->second);
}

bool AccessPolicy::Holds(const v1::Principal& principal, v1::Permission permission) {
  for (int role : principal.roles()) {
    if (Grants(static_cast<v1::Role>(role), permission)) return true;
  }
  return false;
}

absl::StatusOr<v1::Actor> AccessPolicy::Admit(const v1::Principal& principal,
                                              v1::Permission permission) {
  std::vector<v1::Role> held;
  for (int role : principal.roles()) {
    if (Grants(static_cast<v1::Role>(role), permission)) {
      v1::Actor actor;
      actor.set_id(principal.actor());
      actor.set_role(RoleName(static_cast<v1::Role>(role)));
      actor.set_department(principal.department());
      if (principal.centre_wide()) actor.set_centre_wide(true);
      return actor;
    }
    held.push_back(static_cast<v1::Role>(role));
  }
  const std::vector<v1::Role> holders = RolesWith(permission);
  return absl::PermissionDeniedError(
      absl::StrCat("permission ", PermissionName(permission), " required (held by ",
                   holders.empty() ? "no role" : RoleNames(holders), "); ", principal.identity(),
                   " is ", RoleNames(held)));
}

namespace {

bool IsRole(const v1::Actor& actor, v1::Role role) { return actor.role() == RoleName(role); }

// Supervisors of one department, handlers, and integration systems (for
// assignments): they see only their department's.
bool ListsOneDepartment(const v1::Actor& actor) {
  return IsRole(actor, v1::ROLE_HANDLER) || IsRole(actor, v1::ROLE_INTEGRATION) ||
         (IsRole(actor, v1::ROLE_SUPERVISOR) && !actor.centre_wide());
}

}  // namespace

absl::Status CheckHolding(const v1::Actor& actor, absl::string_view complaint_id,
                          absl::string_view department, absl::string_view handler) {
  const bool handler_role = IsRole(actor, v1::ROLE_HANDLER);
  const bool supervisor = IsRole(actor, v1::ROLE_SUPERVISOR) && !actor.centre_wide();
  if (!handler_role && !supervisor) return absl::OkStatus();
  if (handler_role && !handler.empty() && handler == actor.id()) return absl::OkStatus();
  if (!department.empty() && department == actor.department()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "complaint ", EscapedPrefix(complaint_id), " is held by ",
      department.empty() ? "nobody yet" : department, handler.empty() ? "" : "/", handler,
      handler_role ? "; a handler acts only on complaints held by them or their department ("
                   : "; a supervisor acts only on complaints held by their department (",
      actor.department(), ")"));
}

absl::StatusOr<std::string> ListableDepartment(const v1::Actor& actor,
                                               absl::string_view requested) {
  if (!ListsOneDepartment(actor)) return std::string(requested);
  if (actor.department().empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat("department: ", actor.id(), " (", actor.role(),
                     ") is bound to no department in the access policy, so it lists none"));
  }
  if (requested.empty() || requested == actor.department()) return actor.department();
  return absl::PermissionDeniedError(absl::StrCat("department: ", actor.id(), " (", actor.role(),
                                                  ") lists only the work of their department (",
                                                  actor.department(), ")"));
}

absl::Status CheckHoldingOf(const v1::Actor& actor, const v1::ComplaintView& view) {
  return CheckHolding(actor, view.complaint_id(), view.dispatch().department(),
                      view.dispatch().handler());
}

}  // namespace complaints
