#include "services/tracking/domain/sla_clock.h"

#include <algorithm>

#include "libs/core/time_util.h"

namespace complaints::tracking {

absl::Duration Measure(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time from,
                       absl::Time to) {
  if (to <= from) return absl::ZeroDuration();
  return basis == v1::TIME_BASIS_BUSINESS ? calendar.BusinessTimeBetween(from, to) : to - from;
}

absl::Time Advance(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time from,
                   absl::Duration duration) {
  return basis == v1::TIME_BASIS_BUSINESS ? calendar.AddBusinessTime(from, duration)
                                          : from + duration;
}

std::optional<absl::Time> DueAt(v1::TimeBasis basis, const BusinessCalendar& calendar,
                                absl::Time started, const Pauses& pauses, absl::Duration allowed) {
  absl::Time cursor = started;
  absl::Duration remaining = allowed;
  for (const v1::PauseSpan& pause : pauses) {
    const absl::Time from = FromProto(pause.from());
    if (from > cursor) {
      const absl::Duration run = Measure(basis, calendar, cursor, from);
      if (run >= remaining) return Advance(basis, calendar, cursor, remaining);
      remaining -= run;
    }
    if (!pause.has_to()) return std::nullopt;
    cursor = std::max(cursor, FromProto(pause.to()));
  }
  return Advance(basis, calendar, cursor, remaining);
}

absl::Duration Elapsed(v1::TimeBasis basis, const BusinessCalendar& calendar, absl::Time started,
                       const Pauses& pauses, absl::Time now) {
  absl::Time cursor = started;
  absl::Duration elapsed = absl::ZeroDuration();
  for (const v1::PauseSpan& pause : pauses) {
    const absl::Time from = std::min(FromProto(pause.from()), now);
    elapsed += Measure(basis, calendar, cursor, from);
    if (!pause.has_to()) return elapsed;
    cursor = std::max(cursor, FromProto(pause.to()));
    if (cursor >= now) return elapsed;
  }
  return elapsed + Measure(basis, calendar, cursor, now);
}

}  // namespace complaints::tracking
