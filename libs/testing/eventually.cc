#include "libs/testing/eventually.h"

#include "absl/time/clock.h"
#include "libs/core/clock.h"

namespace complaints::testing {

bool Eventually(const std::function<bool()>& done, absl::Duration timeout, absl::Duration every) {
  const absl::Time deadline = complaints::WallNow() + timeout;
  while (complaints::WallNow() < deadline) {
    if (done()) return true;
    absl::SleepFor(every);
  }
  return done();
}

}  // namespace complaints::testing
