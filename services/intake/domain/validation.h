#pragma once
// §2.2 information collected: what a submission must carry to be recorded,
// and the limits that keep every input bounded (docs/api.md "Limits"). Errors are
// INVALID_ARGUMENT naming the field and the reason; they quote at most a
// short escaped prefix of what was sent.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/intake.pb.h"
#include "libs/complaint/input.h"

namespace complaints::intake {

inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxPhoneChars = 32;
inline constexpr size_t kMaxEmailBytes = 254;  // RFC 5321
inline constexpr size_t kMaxIdentityNumberChars = 32;
inline constexpr size_t kMaxContentChars = 500;
inline constexpr size_t kMaxDescriptionChars = 5000;
inline constexpr size_t kMaxPlaceChars = 100;  // community, building, unit
inline constexpr size_t kMaxPublicAreaChars = 200;
inline constexpr size_t kMaxActorChars = 64;  // actor.id, actor.role
inline constexpr int kMaxAttachments = 20;
// Clocks of calling systems drift; an occurred-at this far ahead is still accepted.
inline constexpr absl::Duration kClockSkew = absl::Minutes(5);
// A live complaint about something older than this is a typing error.
inline const absl::Time kEarliestOccurredAt = absl::FromUnixSeconds(946684800);  // 2000-01-01Z

// The request as it will be recorded: every text field cleaned by the text
// rule (libs/core/text.h: NFKC, format characters removed, control
// characters refused), every field within its limit, every enum known, the
// occurred-at in range, the phone number in E.164. INVALID_ARGUMENT naming
// the first bad field.
absl::StatusOr<v1::SubmitComplaintRequest> CleanSubmission(v1::SubmitComplaintRequest request,
                                                           absl::Time now);

// As CleanSubmission, for a case imported from the centre's previous system
// (whose exports seldom name the complainant): no complainant at all is
// accepted; any part of one is checked as a submission's.
absl::StatusOr<v1::SubmitComplaintRequest> CleanImportedSubmission(
    v1::SubmitComplaintRequest request, absl::Time now);

}  // namespace complaints::intake
