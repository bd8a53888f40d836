#include "libs/core/time_util.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"

namespace complaints {
namespace {

// DayOf writes the day out by hand; FormatTime's "%Y-%m-%d" is the contract.
TEST(DayOf, SaysWhatFormatTimeSaysInEveryZone) {
  absl::TimeZone shanghai, new_york;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york));
  const absl::TimeZone zones[] = {absl::UTCTimeZone(), shanghai, new_york,
                                  absl::FixedTimeZone(-12 * 3600)};
  std::vector<absl::Time> times = {absl::InfinitePast(),
                                   absl::InfiniteFuture(),
                                   absl::FromUnixSeconds(-62'135'596'800),   // year 1
                                   absl::FromUnixSeconds(-30'610'224'000),   // year 1000
                                   absl::FromUnixSeconds(253'402'300'799),   // 9999-12-31
                                   absl::FromUnixSeconds(253'402'300'800)};  // year 10000
  // Every hour across two years, day and DST boundaries included.
  for (int64_t hour = 0; hour < 2 * 366 * 24; ++hour) {
    times.push_back(absl::FromUnixSeconds(1'767'225'600 + hour * 3600 - 1));
  }
  for (const absl::TimeZone& zone : zones) {
    for (const absl::Time time : times) {
      EXPECT_EQ(DayOf(time, zone), absl::FormatTime("%Y-%m-%d", time, zone))
          << absl::FormatTime(time) << " in " << zone.name();
    }
  }
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(1'767'225'600), shanghai), "2026-01-01");
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(1'767'225'599), absl::UTCTimeZone()), "2025-12-31");
}

}  // namespace
}  // namespace complaints
