#pragma once
// Field-level redaction of personal data in what a service answers (§4.2):
// a caller sees the complainant's contact (name, phone, e-mail, unit) only
// with personal.contact.read, and the identity number only with
// personal.identity.read. Pure.

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

// Masks in every event and in the view of `response`.
void Redact(const PersonalDataAccess& access, v1::GetComplaintResponse* response);

}  // namespace complaints
