#include "services/intake/domain/validation.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/contact.h"

namespace complaints::intake {
namespace {

constexpr std::array<absl::string_view, 9> kAllowedMediaTypes = {
    "image/jpeg", "image/png",  "image/heic", "application/pdf", "audio/mpeg",
    "audio/wav",  "video/mp4",  "text/plain", "message/rfc822"};

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

absl::Status CheckText(absl::string_view field, absl::string_view text, size_t max_chars,
                       bool required) {
  if (required && Blank(text)) return Invalid(field, "required");
  if (!IsValidUtf8(text)) return Invalid(field, "not valid UTF-8");
  if (CodePointCount(text) > max_chars) {
    return Invalid(field, absl::StrCat("longer than ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status ValidateComplainant(const v1::Complainant& complainant) {
  if (absl::Status s = CheckText("complainant.name", complainant.name(), kMaxNameChars, true);
      !s.ok()) {
    return s;
  }
  if (complainant.phone().empty() && complainant.email().empty()) {
    return Invalid("complainant.phone", "a phone number or an e-mail address is required");
  }
  if (!complainant.phone().empty()) {
    if (absl::Status s = NormalizePhone("complainant.phone", complainant.phone()).status(); !s.ok()) {
      return s;
    }
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
  } else if (complainant.identity_number().size() > 32) {
    return Invalid("complainant.identity_number", "longer than 32 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateLocation(const v1::Location& location) {
  if (!Blank(location.public_area())) {
    return CheckText("location.public_area", location.public_area(), 200, true);
  }
  if (Blank(location.community())) {
    return Invalid("location.community", "required (or give location.public_area)");
  }
  for (const auto& [field, value] :
       {std::pair<absl::string_view, absl::string_view>{"location.community", location.community()},
        {"location.building", location.building()},
        {"location.unit", location.unit()}}) {
    if (absl::Status s = CheckText(field, value, 100, false); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateAttachments(const v1::SubmitComplaintRequest& request) {
  if (request.attachments_size() > kMaxAttachments) {
    return Invalid("attachments", absl::StrCat("at most ", kMaxAttachments));
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    if (absl::Status s = ValidateAttachment(absl::StrCat("attachments[", i, "]"), request.attachments(i));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateAttachment(absl::string_view path, const v1::Attachment& attachment) {
  const std::string at(path);
  if (Blank(attachment.name())) return Invalid(at + ".name", "required");
  if (!IsSha256Hex(attachment.sha256())) return Invalid(at + ".sha256", "must be 64 hexadecimal digits");
  if (attachment.size_bytes() <= 0 || attachment.size_bytes() > kMaxAttachmentBytes) {
    return Invalid(at + ".size_bytes", "must be between 1 byte and 50 MiB");
  }
  bool allowed = false;
  for (absl::string_view type : kAllowedMediaTypes) allowed |= attachment.media_type() == type;
  if (!allowed) return Invalid(at + ".media_type", "not an allowed media type");
  return absl::OkStatus();
}

absl::Status ValidateSubmission(const v1::SubmitComplaintRequest& request, absl::Time now) {
  if (Blank(request.idempotency_key())) return Invalid("idempotency_key", "required");
  if (request.idempotency_key().size() > kMaxIdempotencyKeyBytes) {
    return Invalid("idempotency_key", absl::StrCat("longer than ", kMaxIdempotencyKeyBytes, " bytes"));
  }
  if (!v1::Channel_IsValid(request.channel()) || request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return Invalid("channel", "required: phone, email, letter, walk-in or app");
  }
  if (absl::Status s = ValidateComplainant(request.complainant()); !s.ok()) return s;
  if (absl::Status s = CheckText("content", request.content(), kMaxContentChars, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckText("description", request.description(), kMaxDescriptionChars, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateLocation(request.location()); !s.ok()) return s;
  if (request.has_occurred_at() && FromProto(request.occurred_at()) > now + kClockSkew) {
    return Invalid("occurred_at", "is in the future");
  }
  return ValidateAttachments(request);
}

}  // namespace complaints::intake
