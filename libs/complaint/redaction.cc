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

std::vector<std::string> Redact(const PersonalDataAccess& access, v1::PersonalData* personal) {
  std::vector<std::string> shown;
  auto field = [&](const char* name, std::string* value, bool allowed) {
    if (value->empty()) return;
    if (allowed) {
      shown.emplace_back(name);
    } else {
      *value = kRedacted;
    }
  };
  v1::Complainant* complainant = personal->mutable_complainant();
  field("complainant.name", complainant->mutable_name(), access.contact);
  field("complainant.phone", complainant->mutable_phone(), access.contact);
  field("complainant.email", complainant->mutable_email(), access.contact);
  field("complainant.identity_number", complainant->mutable_identity_number(), access.identity);
  field("unit", personal->mutable_unit(), access.contact);
  field("content", personal->mutable_content(), access.contact);
  field("description", personal->mutable_description(), access.contact);
  return shown;
}

void Redact(const PersonalDataAccess& access, v1::GetComplaintResponse* response) {
  for (v1::Envelope& event : *response->mutable_events()) Redact(access, &event);
  if (response->has_view())
    Redact(access, response->mutable_view()->mutable_intake()->mutable_location());
}

}  // namespace complaints
