#pragma once
// A clock tests move by hand. Thread-safe.

#include <algorithm>

#include "absl/synchronization/mutex.h"
#include "libs/core/clock.h"

namespace complaints::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mu_);
    now_ += by;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// A monotonic clock tests move by hand. A wait on it moves it ahead by the
// wait and returns at once, so nothing waits on it for real and nothing
// hangs.
class FakeMonotonicClock final : public MonotonicClock {
 public:
  absl::Duration Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void SleepFor(absl::Duration wait) const override {
    absl::MutexLock lock(&mu_);
    now_ += std::max(wait, absl::ZeroDuration());
  }
  void Advance(absl::Duration by) { SleepFor(by); }

 private:
  mutable absl::Mutex mu_;
  mutable absl::Duration now_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace complaints::testing
