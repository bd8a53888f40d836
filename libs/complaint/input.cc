#include "libs/complaint/input.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"

namespace complaints {
namespace {

constexpr std::array<absl::string_view, 9> kAllowedMediaTypes = {
    "image/jpeg", "image/png", "image/heic", "application/pdf", "audio/mpeg",
    "audio/wav",  "video/mp4", "text/plain", "message/rfc822"};

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::Status InvalidField(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

// The byte bound first keeps NFKC from ever seeing an unbounded input.
absl::Status CleanField(absl::string_view field, std::string* text, size_t max_chars,
                        TextShape shape, Presence presence) {
  if (text->size() > 4 * max_chars) {
    return InvalidField(field, absl::StrCat("longer than ", max_chars, " characters"));
  }
  absl::StatusOr<std::string> cleaned = CleanText(*text, shape);
  if (!cleaned.ok()) return InvalidField(field, cleaned.status().message());
  if (presence == Presence::kRequired && Blank(*cleaned)) return InvalidField(field, "required");
  if (CodePointCount(*cleaned) > max_chars) {
    return InvalidField(field, absl::StrCat("longer than ", max_chars, " characters"));
  }
  *text = *std::move(cleaned);
  return absl::OkStatus();
}

absl::Status CheckIdempotencyKey(const std::string& key) {
  if (key.size() > kMaxIdempotencyKeyBytes) {
    return InvalidField("idempotency_key",
                        absl::StrCat("longer than ", kMaxIdempotencyKeyBytes, " bytes"));
  }
  std::string cleaned = key;
  RETURN_IF_ERROR(CleanField("idempotency_key", &cleaned, kMaxIdempotencyKeyBytes,
                             TextShape::kSingleLine, Presence::kRequired));
  if (cleaned != key) {
    return InvalidField("idempotency_key", "must be in NFKC without format characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CleanFreeText(absl::string_view field, absl::string_view text,
                                          size_t max_chars, bool required) {
  std::string cleaned(text.substr(0, 4 * max_chars + 1));
  RETURN_IF_ERROR(CleanField(field, &cleaned, max_chars, TextShape::kMultiLine,
                             required ? Presence::kRequired : Presence::kOptional));
  return cleaned;
}

absl::StatusOr<v1::Attachment> CleanAttachment(absl::string_view path, v1::Attachment attachment) {
  const std::string at(path);
  RETURN_IF_ERROR(CleanField(at + ".name", attachment.mutable_name(), kMaxAttachmentNameChars,
                             TextShape::kSingleLine, Presence::kRequired));
  if (!IsSha256Hex(attachment.sha256())) {
    return InvalidField(at + ".sha256", "must be 64 hexadecimal digits");
  }
  attachment.set_sha256(absl::AsciiStrToLower(attachment.sha256()));
  if (attachment.size_bytes() <= 0 || attachment.size_bytes() > kMaxAttachmentBytes) {
    return InvalidField(at + ".size_bytes", "must be between 1 byte and 50 MiB");
  }
  bool allowed = false;
  for (absl::string_view type : kAllowedMediaTypes) allowed |= attachment.media_type() == type;
  if (!allowed) return InvalidField(at + ".media_type", "not an allowed media type");
  return attachment;
}

}  // namespace complaints
