#pragma once
// The input rules every service's API applies (docs/api.md "Limits"): text cleaned
// by the text rule and bounded, idempotency keys checked byte for byte,
// attachments' metadata checked. Errors are INVALID_ARGUMENT naming the
// field and the reason, quoting at most a short escaped prefix.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/common.pb.h"
#include "libs/core/text.h"

namespace complaints {

inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
inline constexpr size_t kMaxReasonChars = 1000;  // staff reasons, notes and descriptions
inline constexpr size_t kMaxAttachmentNameChars = 255;
inline constexpr int64_t kMaxAttachmentBytes = 50ll << 20;

// INVALID_ARGUMENT "<field>: <reason>".
absl::Status InvalidField(absl::string_view field, absl::string_view reason);

enum class Presence { kOptional, kRequired };

// Cleans `*text` in place by the text rule and checks its length in characters.
absl::Status CleanField(absl::string_view field, std::string* text, size_t max_chars,
                        TextShape shape, Presence presence);

// A client's idempotency key: 1–128 bytes, already in NFKC without format or
// control characters (it is compared byte for byte, so never rewritten).
absl::Status CheckIdempotencyKey(const std::string& key);

// A free-text field of a staff command (a reason, a note), cleaned as
// multi-line text. INVALID_ARGUMENT naming `field` when required and blank,
// or longer than `max_chars`.
absl::StatusOr<std::string> CleanFreeText(absl::string_view field, absl::string_view text,
                                          size_t max_chars, bool required);

// One attachment's metadata, cleaned; errors name `path` (e.g. "attachments[2]").
absl::StatusOr<v1::Attachment> CleanAttachment(absl::string_view path, v1::Attachment attachment);

}  // namespace complaints
