#pragma once
// Time is injected. Business code takes the current time as a value; the
// shell reads wall time from a Clock, and measures waits, timeouts and
// elapsed time on a MonotonicClock, so a test clock that stands still (or
// leaps a year ahead) cannot hang or cut short a wait. This file and its .cc
// are the only places that read the system's clocks (scripts/check_clock.sh).
// Thread-safe.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace complaints {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override;
  static Clock* Default();
};

// The wall clock moved ahead by an offset that only grows, for end-to-end
// tests that must see hours of deadlines pass in seconds. Services use it only
// when started with --test_mode. The offset is kept in `offset_file` (when
// given), so a service restarted by a test does not see time run backwards.
class AdvancingClock final : public Clock {
 public:
  explicit AdvancingClock(std::string offset_file = "");
  absl::Time Now() const override;
  // Moves the clock ahead by `by` (> 0). Returns the new time.
  absl::Time Advance(absl::Duration by);
  absl::Duration offset() const;

 private:
  std::string offset_file_;
  std::atomic<int64_t> offset_micros_{0};
};

// Elapsed time: never goes back and is not moved by AdvanceClock.
class MonotonicClock {
 public:
  virtual ~MonotonicClock() = default;
  // Time since a fixed, arbitrary origin.
  virtual absl::Duration Now() const = 0;
  // Returns once `wait` has passed on this clock.
  virtual void SleepFor(absl::Duration wait) const = 0;
  // The system's steady clock.
  static const MonotonicClock* Default();
};

// A point `timeout` ahead on a monotonic clock.
class Deadline {
 public:
  Deadline(absl::Duration timeout, const MonotonicClock* clock = MonotonicClock::Default())
      : clock_(clock), at_(clock->Now() + timeout) {}
  // Never passes.
  static Deadline Never(const MonotonicClock* clock = MonotonicClock::Default()) {
    return Deadline(absl::InfiniteDuration(), clock);
  }
  bool Passed() const { return clock_->Now() >= at_; }
  // What is left, never negative.
  absl::Duration Left() const { return std::max(at_ - clock_->Now(), absl::ZeroDuration()); }
  bool IsNever() const { return at_ == absl::InfiniteDuration(); }

 private:
  const MonotonicClock* clock_;
  absl::Duration at_;
};

// Time since it was made, on a monotonic clock.
class Stopwatch {
 public:
  explicit Stopwatch(const MonotonicClock* clock = MonotonicClock::Default())
      : clock_(clock), started_(clock->Now()) {}
  absl::Duration Elapsed() const { return clock_->Now() - started_; }
  void Restart() { started_ = clock_->Now(); }

 private:
  const MonotonicClock* clock_;
  absl::Duration started_;
};

// The wall time now, for code with no clock injected into it: tools, tests
// and benchmarks. Services read their injected Clock instead.
inline absl::Time WallNow() { return SystemClock::Default()->Now(); }

// A gRPC deadline `timeout` from now (gRPC takes a system_clock time point
// and measures it on its own monotonic clock).
std::chrono::system_clock::time_point GrpcDeadline(absl::Duration timeout);

}  // namespace complaints
