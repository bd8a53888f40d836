#pragma once
// §2.2 information collected: what a submission must carry to be recorded.
// Errors are INVALID_ARGUMENT naming the field and the reason.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "complaints/v1/intake.pb.h"

namespace complaints::intake {

inline constexpr size_t kMaxContentChars = 500;
inline constexpr size_t kMaxDescriptionChars = 5000;
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
inline constexpr int kMaxAttachments = 20;
inline constexpr int64_t kMaxAttachmentBytes = 50ll << 20;
// Clocks of calling systems drift; an occurred-at this far ahead is still accepted.
inline constexpr absl::Duration kClockSkew = absl::Minutes(5);

absl::Status ValidateSubmission(const v1::SubmitComplaintRequest& request, absl::Time now);

// §2.2 one attachment's metadata; errors name `path` (e.g. "attachments[2]").
absl::Status ValidateAttachment(absl::string_view path, const v1::Attachment& attachment);

}  // namespace complaints::intake
