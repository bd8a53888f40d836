#pragma once
// Shared by the analytics domain tests: the centre's zone, and deterministic
// synthetic series for the projection tests: a weekly pattern,
// a level, holidays and reproducible noise (a fixed linear congruential
// generator, so every platform draws the same numbers).

#include <cstdint>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/analytics/domain/day_kinds.h"

namespace complaints::analytics::testing {

class Noise {
 public:
  explicit Noise(uint64_t seed) : state_(seed) {}
  // Uniform on [-1, 1).
  double Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 52) - 1.0;
  }

 private:
  uint64_t state_;
};

// The centre's zone in the tests.
inline const absl::TimeZone& Shanghai() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    absl::LoadTimeZone("Asia/Shanghai", &loaded);
    return loaded;
  }();
  return zone;
}

// Monday 2024-01-01 on.
inline const absl::CivilDay kStart(2024, 1, 1);

// Weekdays 100, Saturday 40, Sunday 30, times (1 ± noise), and a third of
// that on the calendar's holidays.
inline std::vector<double> DailyComplaints(int days, const DayKinds& calendar, double noise,
                                           uint64_t seed = 7) {
  static constexpr double kWeek[7] = {100, 100, 100, 100, 100, 40, 30};
  Noise draw(seed);
  std::vector<double> out;
  for (int i = 0; i < days; ++i) {
    double value = kWeek[i % 7] * (1 + noise * draw.Next());
    if (calendar.Of(kStart + i) == DayKind::kHoliday) value /= 3;
    out.push_back(value);
  }
  return out;
}

}  // namespace complaints::analytics::testing
