#include "libs/core/clock.h"

#include "absl/time/clock.h"

namespace complaints {

absl::Time SystemClock::Now() const { return absl::Now(); }

Clock* SystemClock::Default() {
  static SystemClock clock;
  return &clock;
}

}  // namespace complaints
