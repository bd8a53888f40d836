#pragma once
// Who may call the platform (config/access.textproto): the principals
// certificates prove, their roles, and the check every call passes before a
// handler runs. Pure; thread-safe once created.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/access.pb.h"
#include "complaints/v1/common.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints {

class AccessPolicy {
 public:
  // INVALID_ARGUMENT naming the field: a bad trust domain or identity, a
  // duplicate identity, a principal without roles, a handler without a
  // department, an analyst who also holds a role that reads personal data.
  static absl::StatusOr<AccessPolicy> Create(v1::AccessPolicy config);
  // Loads and checks `path`; errors name the file.
  static absl::StatusOr<AccessPolicy> Load(const std::string& path);

  const std::string& trust_domain() const { return config_.trust_domain(); }

  // The identity a peer's certificate proves: the path of its one SPIFFE URI
  // in this trust domain ("staff/li"), else — when it has no URI at all — its
  // common name. UNAUTHENTICATED otherwise (another trust domain, several
  // URIs, nothing).
  absl::StatusOr<std::string> IdentityOf(const std::vector<std::string>& uris,
                                         const std::string& common_name) const;

  // The principal proving `identity`, or null for a stranger.
  const v1::Principal* Find(absl::string_view identity) const;

  // The actor `principal` acts as when it uses `permission`: its id, its
  // first role holding the permission, its department. PERMISSION_DENIED
  // naming the permission, the roles holding it and the caller's.
  static absl::StatusOr<v1::Actor> Admit(const v1::Principal& principal, v1::Permission permission);

  // True when `principal` holds `permission` in any of its roles.
  static bool Holds(const v1::Principal& principal, v1::Permission permission);

 private:
  explicit AccessPolicy(v1::AccessPolicy config);

  v1::AccessPolicy config_;
  std::map<std::string, int, std::less<>> by_identity_;  // index into principals
};

// Whether `actor` may act on a complaint held by `department`/`handler`:
// a handler only on what they or their department hold, a supervisor who is
// not centre-wide only on what their department holds (an unassigned
// complaint is nobody's department), everyone else anywhere. Otherwise
// PERMISSION_DENIED saying who holds it and why.
absl::Status CheckHolding(const v1::Actor& actor, absl::string_view complaint_id,
                          absl::string_view department, absl::string_view handler);
// The same for the complaint `view` shows: a service's Admission of staff
// commands (libs/runner/service_spec.h).
absl::Status CheckHoldingOf(const v1::Actor& actor, const v1::ComplaintView& view);

// The department a listing or watch by `actor` covers: `requested`, unless
// the actor sees only its department — a handler, a supervisor who is not
// centre-wide, an integration system — who lists only their own (empty:
// theirs; another, or none bound: PERMISSION_DENIED).
absl::StatusOr<std::string> ListableDepartment(const v1::Actor& actor, absl::string_view requested);

}  // namespace complaints
