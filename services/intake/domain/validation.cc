#include "services/intake/domain/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/contact.h"

namespace complaints::intake {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return InvalidField(field, reason);
}

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

absl::Status Clean(absl::string_view field, std::string* text, size_t max_chars, TextShape shape,
                   Presence presence) {
  return CleanField(field, text, max_chars, shape, presence);
}

absl::Status CleanComplainant(v1::Complainant& complainant) {
  RETURN_IF_ERROR(Clean("complainant.name", complainant.mutable_name(), kMaxNameChars,
                        TextShape::kSingleLine, Presence::kRequired));
  RETURN_IF_ERROR(Clean("complainant.phone", complainant.mutable_phone(), kMaxPhoneChars,
                        TextShape::kSingleLine, Presence::kOptional));
  if (complainant.email().size() > kMaxEmailBytes) {
    return Invalid("complainant.email", absl::StrCat("longer than ", kMaxEmailBytes, " bytes"));
  }
  RETURN_IF_ERROR(Clean("complainant.email", complainant.mutable_email(), kMaxEmailBytes,
                        TextShape::kSingleLine, Presence::kOptional));
  RETURN_IF_ERROR(Clean("complainant.identity_number", complainant.mutable_identity_number(),
                        kMaxIdentityNumberChars, TextShape::kSingleLine, Presence::kOptional));
  if (complainant.phone().empty() && complainant.email().empty()) {
    return Invalid("complainant.phone", "a phone number or an e-mail address is required");
  }
  if (!complainant.phone().empty()) {
    // Recorded in E.164; libphonenumber's parse is costly, so it runs once.
    ASSIGN_OR_RETURN(std::string e164, NormalizePhone("complainant.phone", complainant.phone()));
    complainant.set_phone(std::move(e164));
  }
  if (!complainant.email().empty() && !IsPlausibleEmail(complainant.email())) {
    return Invalid("complainant.email", "not a valid e-mail address");
  }
  if (!v1::IdentityType_IsValid(complainant.identity_type())) {
    return Invalid("complainant.identity_type", "unknown identity type");
  }
  if (complainant.identity_type() == v1::IDENTITY_TYPE_UNSPECIFIED) {
    if (!complainant.identity_number().empty()) {
      return Invalid("complainant.identity_type", "required when identity_number is given");
    }
  } else if (Blank(complainant.identity_number())) {
    return Invalid("complainant.identity_number", "required when identity_type is given");
  } else if (complainant.identity_type() == v1::IDENTITY_TYPE_RESIDENT_ID_CARD &&
             !IsValidResidentId(complainant.identity_number())) {
    return Invalid("complainant.identity_number",
                   "not a valid 18-character resident identity card number");
  }
  return absl::OkStatus();
}

absl::Status CleanLocation(v1::Location& location) {
  RETURN_IF_ERROR(Clean("location.public_area", location.mutable_public_area(), kMaxPublicAreaChars,
                        TextShape::kSingleLine, Presence::kOptional));
  RETURN_IF_ERROR(Clean("location.community", location.mutable_community(), kMaxPlaceChars,
                        TextShape::kSingleLine, Presence::kOptional));
  RETURN_IF_ERROR(Clean("location.building", location.mutable_building(), kMaxPlaceChars,
                        TextShape::kSingleLine, Presence::kOptional));
  RETURN_IF_ERROR(Clean("location.unit", location.mutable_unit(), kMaxPlaceChars,
                        TextShape::kSingleLine, Presence::kOptional));
  if (Blank(location.public_area()) && Blank(location.community())) {
    return Invalid("location.community", "required (or give location.public_area)");
  }
  return absl::OkStatus();
}

absl::Status CheckOccurredAt(const v1::SubmitComplaintRequest& request, absl::Time now) {
  if (!request.has_occurred_at()) return absl::OkStatus();
  const google::protobuf::Timestamp& at = request.occurred_at();
  if (at.nanos() < 0 || at.nanos() > 999'999'999) {
    return Invalid("occurred_at.nanos", "must be between 0 and 999999999");
  }
  const absl::Time time = FromProto(at);
  if (time < kEarliestOccurredAt) return Invalid("occurred_at", "before 2000-01-01");
  if (time > now + kClockSkew) return Invalid("occurred_at", "is in the future");
  return absl::OkStatus();
}

bool NoComplainant(const v1::Complainant& complainant) {
  return Blank(complainant.name()) && Blank(complainant.phone()) && Blank(complainant.email()) &&
         Blank(complainant.identity_number()) &&
         complainant.identity_type() == v1::IDENTITY_TYPE_UNSPECIFIED;
}

absl::StatusOr<v1::SubmitComplaintRequest> CleanRequest(v1::SubmitComplaintRequest request,
                                                        absl::Time now, bool complainant_required) {
  RETURN_IF_ERROR(CheckIdempotencyKey(request.idempotency_key()));
  if (!v1::Channel_IsValid(request.channel()) || request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return Invalid("channel", "required: phone, email, letter, walk-in or app");
  }
  if (!v1::ImpactScope_IsValid(request.impact_scope())) {
    return Invalid("impact_scope", "unknown impact scope");
  }
  if (complainant_required || !NoComplainant(request.complainant())) {
    RETURN_IF_ERROR(CleanComplainant(*request.mutable_complainant()));
  } else {
    request.clear_complainant();
  }
  RETURN_IF_ERROR(Clean("content", request.mutable_content(), kMaxContentChars,
                        TextShape::kMultiLine, Presence::kRequired));
  RETURN_IF_ERROR(Clean("description", request.mutable_description(), kMaxDescriptionChars,
                        TextShape::kMultiLine, Presence::kOptional));
  RETURN_IF_ERROR(CleanLocation(*request.mutable_location()));
  RETURN_IF_ERROR(CheckOccurredAt(request, now));
  if (request.attachments_size() > kMaxAttachments) {
    return Invalid("attachments", absl::StrCat("at most ", kMaxAttachments));
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    ASSIGN_OR_RETURN(*request.mutable_attachments(i),
                     CleanAttachment(absl::StrCat("attachments[", i, "]"), request.attachments(i)));
  }
  return request;
}

}  // namespace

absl::StatusOr<v1::SubmitComplaintRequest> CleanSubmission(v1::SubmitComplaintRequest request,
                                                           absl::Time now) {
  return CleanRequest(std::move(request), now, /*complainant_required=*/true);
}

absl::StatusOr<v1::SubmitComplaintRequest> CleanImportedSubmission(
    v1::SubmitComplaintRequest request, absl::Time now) {
  return CleanRequest(std::move(request), now, /*complainant_required=*/false);
}

}  // namespace complaints::intake
