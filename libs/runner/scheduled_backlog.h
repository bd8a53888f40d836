#pragma once
// How far behind a service's own schedule is: tracking's timers and intake's
// mail queue are store families keyed by prefix + due time (EncodeOrderedKey
// of Unix microseconds), fired by a periodic task. What is due and not yet
// fired, and for how long, is what the status port exports as
// complaints_scheduled_due and complaints_scheduled_lag_seconds.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/store.h"

namespace complaints {

// One schedule: entries of `family` under each of `prefixes`, each followed
// by its due time.
struct ScheduledQueue {
  std::string kind;                // "timer", "mail"
  Family family = Family::kState;  // the service's own, in practice
  std::vector<std::string> prefixes = {};
};

struct ScheduledBacklog {
  std::string kind;
  int64_t due = 0;  // entries due by `now` (counted up to kBacklogScanLimit)
  absl::Duration lag = absl::ZeroDuration();  // how long the oldest due entry waited
};

// At most this many due entries are read per scrape: a backlog that large
// is reported as this many.
inline constexpr int64_t kBacklogScanLimit = 100000;

absl::StatusOr<ScheduledBacklog> MeasureBacklog(const Store& store, const ScheduledQueue& queue,
                                                absl::Time now);

}  // namespace complaints
