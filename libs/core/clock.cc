#include "libs/core/clock.h"

#include "absl/time/clock.h"

namespace complaints {

absl::Time SystemClock::Now() const { return absl::Now(); }

Clock* SystemClock::Default() {
  static SystemClock clock;
  return &clock;
}

absl::Time AdvancingClock::Now() const { return absl::Now() + offset(); }

absl::Time AdvancingClock::Advance(absl::Duration by) {
  if (by > absl::ZeroDuration()) offset_micros_.fetch_add(absl::ToInt64Microseconds(by));
  return Now();
}

absl::Duration AdvancingClock::offset() const { return absl::Microseconds(offset_micros_.load()); }

}  // namespace complaints
