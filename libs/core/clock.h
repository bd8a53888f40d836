#pragma once
// The current time is injected: business code takes it as a value, the shell
// reads it from a Clock. Thread-safe.

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

}  // namespace complaints
