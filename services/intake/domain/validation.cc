#include "services/intake/domain/validation.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/contact.h"

namespace complaints::intake {
namespace {

constexpr std::array<absl::string_view, 9> kAllowedMediaTypes = {
    "image/jpeg", "image/png", "image/heic", "application/pdf", "audio/mpeg",
    "audio/wav",  "video/mp4", "text/plain", "message/rfc822"};

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

enum class Presence { kOptional, kRequired };

// Cleans `*text` in place by the text rule and checks its length in characters.
// The byte bound first keeps NFKC from ever seeing an unbounded input.
absl::Status Clean(absl::string_view field, std::string* text, size_t max_chars, TextShape shape,
                   Presence presence) {
  if (text->size() > 4 * max_chars) {
    return Invalid(field, absl::StrCat("longer than ", max_chars, " characters"));
  }
  absl::StatusOr<std::string> cleaned = CleanText(*text, shape);
  if (!cleaned.ok()) return Invalid(field, cleaned.status().message());
  if (presence == Presence::kRequired && Blank(*cleaned)) return Invalid(field, "required");
  if (CodePointCount(*cleaned) > max_chars) {
    return Invalid(field, absl::StrCat("longer than ", max_chars, " characters"));
  }
  *text = *std::move(cleaned);
  return absl::OkStatus();
}

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
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
    RETURN_IF_ERROR(NormalizePhone("complainant.phone", complainant.phone()).status());
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

absl::Status CleanActor(v1::Actor& actor) {
  RETURN_IF_ERROR(Clean("actor.id", actor.mutable_id(), kMaxActorChars, TextShape::kSingleLine,
                        Presence::kOptional));
  return Clean("actor.role", actor.mutable_role(), kMaxActorChars, TextShape::kSingleLine,
               Presence::kOptional);
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

}  // namespace

absl::StatusOr<v1::Attachment> CleanAttachment(absl::string_view path, v1::Attachment attachment) {
  const std::string at(path);
  RETURN_IF_ERROR(Clean(at + ".name", attachment.mutable_name(), kMaxAttachmentNameChars,
                        TextShape::kSingleLine, Presence::kRequired));
  if (!IsSha256Hex(attachment.sha256())) {
    return Invalid(at + ".sha256", "must be 64 hexadecimal digits");
  }
  attachment.set_sha256(absl::AsciiStrToLower(attachment.sha256()));
  if (attachment.size_bytes() <= 0 || attachment.size_bytes() > kMaxAttachmentBytes) {
    return Invalid(at + ".size_bytes", "must be between 1 byte and 50 MiB");
  }
  bool allowed = false;
  for (absl::string_view type : kAllowedMediaTypes) allowed |= attachment.media_type() == type;
  if (!allowed) return Invalid(at + ".media_type", "not an allowed media type");
  return attachment;
}

absl::StatusOr<std::string> CleanFreeText(absl::string_view field, absl::string_view text,
                                          size_t max_chars, bool required) {
  std::string cleaned(text.substr(0, 4 * max_chars + 1));
  RETURN_IF_ERROR(Clean(field, &cleaned, max_chars, TextShape::kMultiLine,
                        required ? Presence::kRequired : Presence::kOptional));
  return cleaned;
}

absl::StatusOr<v1::SubmitComplaintRequest> CleanSubmission(v1::SubmitComplaintRequest request,
                                                           absl::Time now) {
  if (request.idempotency_key().size() > kMaxIdempotencyKeyBytes) {
    return Invalid("idempotency_key",
                   absl::StrCat("longer than ", kMaxIdempotencyKeyBytes, " bytes"));
  }
  // The key is compared byte for byte, so it is checked but never rewritten.
  std::string key = request.idempotency_key();
  RETURN_IF_ERROR(Clean("idempotency_key", &key, kMaxIdempotencyKeyBytes, TextShape::kSingleLine,
                        Presence::kRequired));
  if (key != request.idempotency_key()) {
    return Invalid("idempotency_key", "must be in NFKC without format characters");
  }
  if (!v1::Channel_IsValid(request.channel()) || request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return Invalid("channel", "required: phone, email, letter, walk-in or app");
  }
  if (!v1::ImpactScope_IsValid(request.impact_scope())) {
    return Invalid("impact_scope", "unknown impact scope");
  }
  RETURN_IF_ERROR(CleanComplainant(*request.mutable_complainant()));
  RETURN_IF_ERROR(Clean("content", request.mutable_content(), kMaxContentChars,
                        TextShape::kMultiLine, Presence::kRequired));
  RETURN_IF_ERROR(Clean("description", request.mutable_description(), kMaxDescriptionChars,
                        TextShape::kMultiLine, Presence::kOptional));
  RETURN_IF_ERROR(CleanLocation(*request.mutable_location()));
  RETURN_IF_ERROR(CheckOccurredAt(request, now));
  RETURN_IF_ERROR(CleanActor(*request.mutable_actor()));
  if (request.attachments_size() > kMaxAttachments) {
    return Invalid("attachments", absl::StrCat("at most ", kMaxAttachments));
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    ASSIGN_OR_RETURN(*request.mutable_attachments(i),
                     CleanAttachment(absl::StrCat("attachments[", i, "]"), request.attachments(i)));
  }
  return request;
}

}  // namespace complaints::intake
