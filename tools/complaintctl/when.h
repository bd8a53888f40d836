#pragma once
// Date and time arguments (--as_of, --due_before, --until, --from, --to,
// --origin …), read the same way everywhere:
//   2026-03-08                     midnight in the centre's zone
//   2026-03-08T14:30[:05]          that wall time in the centre's zone
//   …Z, …+08:00, …-05:00           at that offset (a date: its midnight there)
//   …[America/New_York]            in that zone (the RFC 9557 suffix)
// The centre's zone is the services' (Admin.GetCentre); it is asked for
// only when an argument needs it.

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

// Gives the centre's zone; called at most once per argument that needs it.
using ZoneSource = std::function<absl::StatusOr<absl::TimeZone>()>;

// The instant `text` names. INVALID_ARGUMENT "<flag>: ..." with the forms above.
absl::StatusOr<absl::Time> ParseWhen(absl::string_view flag, absl::string_view text,
                                     const ZoneSource& centre);

// The centre's day (YYYY-MM-DD) `text` falls on: a bare date as given, a
// time or a date elsewhere the centre's day at that instant.
absl::StatusOr<std::string> ParseDay(absl::string_view flag, absl::string_view text,
                                     const ZoneSource& centre);

// The zone the service at `address` runs with, asked once and remembered.
ZoneSource CentreZoneOf(const CtlOptions& options, const std::string& address);

}  // namespace complaints::ctl
