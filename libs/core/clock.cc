#include "libs/core/clock.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/time/clock.h"

namespace complaints {

absl::Time SystemClock::Now() const { return absl::Now(); }

Clock* SystemClock::Default() {
  static SystemClock clock;
  return &clock;
}

namespace {

class SteadyClock final : public MonotonicClock {
 public:
  absl::Duration Now() const override {
    return absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
  }
  void SleepFor(absl::Duration wait) const override { absl::SleepFor(wait); }
};

}  // namespace

std::chrono::system_clock::time_point GrpcDeadline(absl::Duration timeout) {
  return std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout);
}

const MonotonicClock* MonotonicClock::Default() {
  static SteadyClock clock;
  return &clock;
}

AdvancingClock::AdvancingClock(std::string offset_file) : offset_file_(std::move(offset_file)) {
  if (offset_file_.empty()) return;
  std::ifstream in(offset_file_);
  int64_t micros = 0;
  if (in >> micros && micros > 0) offset_micros_.store(micros);
}

absl::Time AdvancingClock::Now() const { return absl::Now() + offset(); }

absl::Time AdvancingClock::Advance(absl::Duration by) {
  if (by > absl::ZeroDuration()) {
    const int64_t micros =
        offset_micros_.fetch_add(absl::ToInt64Microseconds(by)) + absl::ToInt64Microseconds(by);
    if (!offset_file_.empty()) {
      const std::string staged = offset_file_ + ".new";
      std::ofstream(staged) << micros << "\n";
      std::rename(staged.c_str(), offset_file_.c_str());
    }
  }
  return Now();
}

absl::Duration AdvancingClock::offset() const { return absl::Microseconds(offset_micros_.load()); }

}  // namespace complaints
