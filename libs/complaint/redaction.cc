#include "libs/complaint/redaction.h"

namespace complaints {
namespace {

void Mask(std::string* field) {
  if (!field->empty()) *field = kRedacted;
}

void Redact(const PersonalDataAccess& access, v1::Location* location) {
  if (!access.contact) Mask(location->mutable_unit());
}

}  // namespace

void Redact(const PersonalDataAccess& access, v1::Envelope* event) {
  if (!event->has_received()) return;
  v1::ComplaintReceived* received = event->mutable_received();
  v1::Complainant* complainant = received->mutable_complainant();
  if (!access.contact) {
    Mask(complainant->mutable_name());
    Mask(complainant->mutable_phone());
    Mask(complainant->mutable_email());
  }
  if (!access.identity) Mask(complainant->mutable_identity_number());
  Redact(access, received->mutable_location());
}

void Redact(const PersonalDataAccess& access, v1::GetComplaintResponse* response) {
  for (v1::Envelope& event : *response->mutable_events()) Redact(access, &event);
  if (response->has_view())
    Redact(access, response->mutable_view()->mutable_intake()->mutable_location());
}

}  // namespace complaints
