#include "libs/security/rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"

namespace complaints {
namespace {

using P = v1::Permission;

// Analysts and auditors hold no personal-data permission: figures and the
// audit trail never need it. Handlers' grants hold only within their holdings.
const std::vector<P>& GrantsOf(v1::Role role) {
  static const auto* const kTable = new std::vector<std::vector<P>>{
      /*UNSPECIFIED*/ {},
      /*CLERK*/
      {v1::PERMISSION_COMPLAINT_SUBMIT, v1::PERMISSION_COMPLAINT_VERIFY,
       v1::PERMISSION_COMPLAINT_WITHDRAW, v1::PERMISSION_EVIDENCE_ATTACH,
       v1::PERMISSION_COMPLAINT_READ, v1::PERMISSION_COMPLAINT_NOTE,
       v1::PERMISSION_COMMUNICATION_RECORD, v1::PERMISSION_FOLLOW_UP_RECORD,
       v1::PERMISSION_FEEDBACK_RECORD, v1::PERMISSION_ASSIGNMENT_READ,
       v1::PERMISSION_PERSONAL_CONTACT_READ},
      /*HANDLER*/
      {v1::PERMISSION_EVIDENCE_ATTACH, v1::PERMISSION_EVIDENCE_READ, v1::PERMISSION_COMPLAINT_READ,
       v1::PERMISSION_COMPLAINT_NOTE, v1::PERMISSION_CLOCK_PAUSE, v1::PERMISSION_EXTENSION_REQUEST,
       v1::PERMISSION_COMPLAINT_RESOLVE, v1::PERMISSION_COMMUNICATION_RECORD,
       v1::PERMISSION_ASSIGNMENT_TRANSFER, v1::PERMISSION_ASSIGNMENT_RESPOND,
       v1::PERMISSION_ASSIGNMENT_READ, v1::PERMISSION_PERSONAL_CONTACT_READ},
      /*SUPERVISOR*/
      {v1::PERMISSION_COMPLAINT_VERIFY, v1::PERMISSION_COMPLAINT_RECLASSIFY,
       v1::PERMISSION_COMPLAINT_WITHDRAW, v1::PERMISSION_EVIDENCE_ATTACH,
       v1::PERMISSION_EVIDENCE_READ, v1::PERMISSION_COMPLAINT_READ, v1::PERMISSION_COMPLAINT_NOTE,
       v1::PERMISSION_CLOCK_PAUSE, v1::PERMISSION_EXTENSION_REQUEST,
       v1::PERMISSION_EXTENSION_DECIDE, v1::PERMISSION_COMPLAINT_RESOLVE,
       v1::PERMISSION_COMMUNICATION_RECORD, v1::PERMISSION_FOLLOW_UP_RECORD,
       v1::PERMISSION_ASSIGNMENT_DECIDE, v1::PERMISSION_ASSIGNMENT_TRANSFER,
       v1::PERMISSION_ASSIGNMENT_RESPOND, v1::PERMISSION_ASSIGNMENT_READ,
       v1::PERMISSION_FIGURES_READ, v1::PERMISSION_PERSONAL_CONTACT_READ},
      /*MANAGER*/
      {v1::PERMISSION_COMPLAINT_RECLASSIFY, v1::PERMISSION_PERSONAL_DATA_ERASE,
       v1::PERMISSION_EVIDENCE_READ, v1::PERMISSION_COMPLAINT_READ, v1::PERMISSION_EXTENSION_DECIDE,
       v1::PERMISSION_ASSIGNMENT_DECIDE, v1::PERMISSION_ASSIGNMENT_READ,
       v1::PERMISSION_FIGURES_READ, v1::PERMISSION_PERSONAL_CONTACT_READ,
       v1::PERMISSION_PERSONAL_IDENTITY_READ, v1::PERMISSION_PERSONAL_DATA_EXPORT,
       v1::PERMISSION_AUDIT_READ, v1::PERMISSION_ROUTING_MODEL},
      /*ANALYST*/ {v1::PERMISSION_FIGURES_READ},
      /*AUDITOR*/
      {v1::PERMISSION_COMPLAINT_READ, v1::PERMISSION_STATUS_READ, v1::PERMISSION_AUDIT_READ},
      /*INTEGRATION*/
      {v1::PERMISSION_COMPLAINT_SUBMIT, v1::PERMISSION_EVIDENCE_ATTACH,
       v1::PERMISSION_FEEDBACK_RECORD, v1::PERMISSION_ASSIGNMENT_READ},
      /*SERVICE*/ {v1::PERMISSION_STATUS_READ},
      /*OPERATOR*/
      {v1::PERMISSION_STATUS_READ, v1::PERMISSION_DEAD_LETTER_READ,
       v1::PERMISSION_DEAD_LETTER_REDRIVE, v1::PERMISSION_CLOCK_ADVANCE, v1::PERMISSION_BACKUP,
       v1::PERMISSION_HISTORY_IMPORT, v1::PERMISSION_ROUTING_MODEL},
  };
  static const std::vector<P> kNone;
  const auto index = static_cast<size_t>(role);
  return index < kTable->size() ? (*kTable)[index] : kNone;
}

std::string Lowered(absl::string_view name, absl::string_view prefix) {
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

}  // namespace

bool Grants(v1::Role role, v1::Permission permission) {
  if (permission == v1::PERMISSION_UNSPECIFIED) return false;
  // The centre's settings are no secret to anybody it knows.
  if (permission == v1::PERMISSION_CENTRE_READ) {
    return role != v1::ROLE_UNSPECIFIED && v1::Role_IsValid(role);
  }
  for (P granted : GrantsOf(role)) {
    if (granted == permission) return true;
  }
  return false;
}

std::vector<v1::Role> RolesWith(v1::Permission permission) {
  std::vector<v1::Role> roles;
  for (int i = v1::Role_MIN; i <= v1::Role_MAX; ++i) {
    if (v1::Role_IsValid(i) && Grants(static_cast<v1::Role>(i), permission)) {
      roles.push_back(static_cast<v1::Role>(i));
    }
  }
  return roles;
}

bool ScopedToDepartment(v1::Role role) {
  return role == v1::ROLE_HANDLER || role == v1::ROLE_SUPERVISOR;
}

std::string PermissionName(v1::Permission permission) {
  // PERMISSION_PERSONAL_CONTACT_READ -> personal.contact.read
  std::string name = Lowered(v1::Permission_Name(permission), "PERMISSION_");
  std::replace(name.begin(), name.end(), '_', '.');
  return name;
}

std::string RoleName(v1::Role role) { return Lowered(v1::Role_Name(role), "ROLE_"); }

}  // namespace complaints
