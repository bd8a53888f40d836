#pragma once
// §3.2 the handling clock: it starts when the complaint is received, counts
// business or calendar time, and stops while the complaint waits on the
// complainant (pauses). Pure functions of their arguments.

#include <optional>

#include "absl/time/time.h"
#include "complaints/v1/state.pb.h"
#include "services/tracking/domain/business_calendar.h"

namespace complaints::tracking {

using Pauses = google::protobuf::RepeatedPtrField<v1::PauseSpan>;

// Counted time in [from, to) on `basis`.
absl::Duration Measure(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time from,
                       absl::Time to);

// The instant `duration` of counted time after `from`.
absl::Time Advance(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time from,
                   absl::Duration duration);

// The instant at which `allowed` counted time has passed since `started`,
// not counting pauses (in chronological order). nullopt when an open pause
// stops the clock before then.
std::optional<absl::Time> DueAt(v1::TimeBasis basis, const BusinessCalendar& calendar,
                                absl::Time started, const Pauses& pauses, absl::Duration allowed);

// Counted time from `started` to `now`, not counting pauses.
absl::Duration Elapsed(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time started,
                       const Pauses& pauses, absl::Time now);

}  // namespace complaints::tracking
