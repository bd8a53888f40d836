#pragma once
// Field-level redaction of personal data in what a service answers (§4.2):
// a caller sees the complainant's contact (name, phone, e-mail, unit) only
// with personal.contact.read, and the identity number only with
// personal.identity.read. Pure.

#include <string>
#include <vector>

#include "complaints/v1/common.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints {

// What a redacted field reads instead.
inline constexpr char kRedacted[] = "[redacted]";

struct PersonalDataAccess {
  bool contact = false;   // name, phone, e-mail, the unit (door) number
  bool identity = false;  // identity number
};

// Masks in `event` what `access` does not allow.
void Redact(const PersonalDataAccess& access, v1::Envelope* event);

// Masks in unsealed personal data what `access` does not allow (the free
// text, which may name anyone, needs contact access too); returns the names
// of the fields left to be seen ("complainant.phone", …) for the audit.
std::vector<std::string> Redact(const PersonalDataAccess& access, v1::PersonalData* personal);

// Masks in every event and in the view of `response`.
void Redact(const PersonalDataAccess& access, v1::GetComplaintResponse* response);

}  // namespace complaints
