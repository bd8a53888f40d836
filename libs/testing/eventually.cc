#include "libs/testing/eventually.h"

#include "absl/time/clock.h"

namespace complaints::testing {

bool Eventually(const std::function<bool()>& done, absl::Duration timeout, absl::Duration every) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(every);
  }
  return done();
}

}  // namespace complaints::testing
