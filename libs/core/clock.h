#pragma once
// The current time is injected: business code takes it as a value, the shell
// reads it from a Clock. Thread-safe.

#include <atomic>
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

}  // namespace complaints
