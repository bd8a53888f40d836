#include "services/intake/domain/personal_data.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/intake/domain/text_redaction.h"

namespace complaints::intake {
namespace {

std::string PersonalContext(absl::string_view complaint_id) {
  return absl::StrCat(complaint_id, "/personal");
}

}  // namespace

std::string SubjectValue(const v1::Complainant& complainant) {
  if (!complainant.phone().empty()) return absl::StrCat("phone:", complainant.phone());
  if (!complainant.identity_number().empty()) {
    return absl::StrCat("id:", absl::AsciiStrToUpper(complainant.identity_number()));
  }
  if (!complainant.email().empty()) {
    return absl::StrCat("email:", absl::AsciiStrToLower(complainant.email()));
  }
  return "";
}

void SealReceived(v1::ComplaintReceived& received, const std::string& complaint_id,
                  const SecretKey& key, const std::string& key_id, const std::string& subject_id,
                  const RandomSource& random) {
  v1::PersonalData personal;
  *personal.mutable_complainant() = received.complainant();
  personal.set_unit(received.location().unit());
  personal.set_content(received.content());
  personal.set_description(received.description());
  const std::string& name = received.complainant().name();
  received.set_redacted_content(RedactFreeText(received.content(), name));
  received.set_redacted_description(RedactFreeText(received.description(), name));
  if (received.has_history() && !received.history().closure().empty()) {
    personal.set_closure(received.history().closure());
    received.mutable_history()->set_closure(RedactFreeText(received.history().closure(), name));
  }
  // The identity type says which proof was given, not whose: it stays.
  const v1::IdentityType identity_type = received.complainant().identity_type();
  received.clear_complainant();
  received.mutable_complainant()->set_identity_type(identity_type);
  received.mutable_location()->clear_unit();
  received.clear_content();
  received.clear_description();
  received.set_subject_id(subject_id);
  v1::SealedData& sealed = *received.mutable_personal();
  sealed.set_key_id(key_id);
  sealed.set_sealed(Seal(key, personal.SerializeAsString(), PersonalContext(complaint_id), random));
}

absl::StatusOr<v1::PersonalData> OpenPersonalData(const v1::SealedData& sealed,
                                                  const std::string& complaint_id,
                                                  const SecretKey& key) {
  absl::StatusOr<std::string> bytes = Open(key, sealed.sealed(), PersonalContext(complaint_id));
  if (!bytes.ok()) return bytes.status();
  v1::PersonalData personal;
  if (!personal.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("the personal data of ", complaint_id, " opened but does not parse"));
  }
  return personal;
}

std::string EvidenceContext(absl::string_view complaint_id, absl::string_view sha256, int index) {
  return absl::StrCat(complaint_id, "/", sha256, "/", index);
}

}  // namespace complaints::intake
