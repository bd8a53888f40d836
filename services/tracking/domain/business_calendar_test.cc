// §3.2 handling deadlines: business calendars, checked against the 2026
// mainland public-holiday schedule (国办发明电, 4 Nov 2025) shipped in
// config/calendar.textproto.
#include "services/tracking/domain/business_calendar.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/tracking/domain/test_config.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using ::testing::HasSubstr;

BusinessCalendar Calendar2026(const std::string& zone = "Asia/Shanghai") {
  auto config = TestCalendarConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  auto calendar = BusinessCalendar::Create(*config, zone);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *calendar;
}

TEST(BusinessCalendar, Has248WorkingDaysIn2026) {
  BusinessCalendar calendar = Calendar2026();
  int working = 0;
  for (absl::CivilDay day(2026, 1, 1); day < absl::CivilDay(2027, 1, 1); ++day) {
    working += calendar.IsWorkingDay(day);
  }
  // 261 weekdays - 19 weekday holidays + 6 make-up Saturdays and Sundays.
  EXPECT_EQ(working, 248);
}

TEST(BusinessCalendar, HolidaysAreOffAndMakeUpDaysAreWorked) {
  BusinessCalendar calendar = Calendar2026();
  EXPECT_FALSE(calendar.IsWorkingDay(absl::CivilDay(2026, 1, 1)));   // Thursday, New Year
  EXPECT_TRUE(calendar.IsWorkingDay(absl::CivilDay(2026, 1, 4)));    // Sunday, make-up
  EXPECT_FALSE(calendar.IsWorkingDay(absl::CivilDay(2026, 2, 23)));  // Monday, Spring Festival
  EXPECT_TRUE(calendar.IsWorkingDay(absl::CivilDay(2026, 2, 28)));   // Saturday, make-up
  EXPECT_FALSE(calendar.IsWorkingDay(absl::CivilDay(2026, 10, 7)));  // Wednesday, National Day
  EXPECT_TRUE(calendar.IsWorkingDay(absl::CivilDay(2026, 9, 20)));   // Sunday, make-up
  EXPECT_FALSE(calendar.IsWorkingDay(absl::CivilDay(2026, 3, 7)));   // an ordinary Saturday
  EXPECT_TRUE(calendar.IsWorkingDay(absl::CivilDay(2026, 3, 9)));    // an ordinary Monday
}

TEST(BusinessCalendar, DeadlineRunsIntoAMakeUpSaturday) {
  BusinessCalendar calendar = Calendar2026();
  // Friday 13 Feb 17:00 + 4 h: 1 h on Friday, 3 h on make-up Saturday 14 Feb from 08:30.
  EXPECT_EQ(calendar.AddBusinessTime(Shanghai(2026, 2, 13, 17, 0), absl::Hours(4)),
            Shanghai(2026, 2, 14, 11, 30));
  // + 8 h also crosses Saturday's lunch break (12:00–13:30).
  EXPECT_EQ(calendar.AddBusinessTime(Shanghai(2026, 2, 13, 17, 0), absl::Hours(8)),
            Shanghai(2026, 2, 14, 17, 0));
}

TEST(BusinessCalendar, DeadlineSkipsTheWholeSpringFestival) {
  BusinessCalendar calendar = Calendar2026();
  // Saturday 14 Feb (make-up) 17:00 + 2 h: 1 h that day, then nothing until Tuesday 24 Feb.
  EXPECT_EQ(calendar.AddBusinessTime(Shanghai(2026, 2, 14, 17, 0), absl::Hours(2)),
            Shanghai(2026, 2, 24, 9, 30));
}

TEST(BusinessCalendar, LunchBreakAndNightsDoNotCount) {
  BusinessCalendar calendar = Calendar2026();
  EXPECT_EQ(calendar.AddBusinessTime(Shanghai(2026, 3, 9, 11, 0), absl::Hours(2)),
            Shanghai(2026, 3, 9, 14, 30));
  // Sunday morning: the clock starts on Monday 08:30.
  EXPECT_EQ(calendar.AddBusinessTime(Shanghai(2026, 3, 1, 10, 0), absl::Minutes(30)),
            Shanghai(2026, 3, 2, 9, 0));
  EXPECT_EQ(calendar.BusinessTimeBetween(Shanghai(2026, 3, 6, 17, 0), Shanghai(2026, 3, 9, 9, 0)),
            absl::Minutes(90));
}

TEST(BusinessCalendar, ZeroDurationAndEmptyRanges) {
  BusinessCalendar calendar = Calendar2026();
  const absl::Time sunday = Shanghai(2026, 3, 1, 10, 0);
  EXPECT_EQ(calendar.AddBusinessTime(sunday, absl::ZeroDuration()), sunday);
  EXPECT_EQ(calendar.BusinessTimeBetween(sunday, sunday - absl::Hours(1)), absl::ZeroDuration());
}

TEST(BusinessCalendar, AddAndMeasureAreInversesThroughout2026) {
  BusinessCalendar calendar = Calendar2026();
  std::mt19937_64 random(2026);
  std::uniform_int_distribution<int64_t> minute_of_year(0, 365 * 24 * 60 - 1);
  std::uniform_int_distribution<int64_t> minutes(1, 5 * 8 * 60);
  const absl::Time year_start = Shanghai(2026, 1, 1, 0, 0);
  for (int i = 0; i < 500; ++i) {
    const absl::Time start = year_start + absl::Minutes(minute_of_year(random));
    const absl::Duration duration = absl::Minutes(minutes(random));
    const absl::Time due = calendar.AddBusinessTime(start, duration);
    ASSERT_EQ(calendar.BusinessTimeBetween(start, due), duration) << absl::FormatTime(start);
    ASSERT_TRUE(calendar.IsWorkingDay(absl::ToCivilDay(due, calendar.zone())));
  }
}

// The calendar's hours are the centre's local hours, whichever zone the
// centre is in: across New York's change to daylight time (Sunday
// 2026-03-08) the office opens at 08:30 local, an hour earlier in UTC.
TEST(BusinessCalendar, HoursAreLocalAcrossADaylightSavingChange) {
  const BusinessCalendar calendar = Calendar2026("America/New_York");
  auto utc = [](int d, int h, int m) {
    return absl::FromCivil(absl::CivilMinute(2026, 3, d, h, m), absl::UTCTimeZone());
  };
  // Friday 6 March, EST (UTC-5): 08:30 local is 13:30Z.
  EXPECT_EQ(calendar.BusinessTimeBetween(utc(6, 12, 30), utc(6, 13, 30)), absl::ZeroDuration());
  EXPECT_EQ(calendar.BusinessTimeBetween(utc(6, 13, 30), utc(6, 14, 30)), absl::Hours(1));
  // Monday 9 March, EDT (UTC-4): 08:30 local is 12:30Z.
  EXPECT_EQ(calendar.BusinessTimeBetween(utc(9, 12, 30), utc(9, 13, 30)), absl::Hours(1));
  // Friday 17:00 to Monday 09:30 local: one hour on Friday, one on Monday,
  // although the weekend was an hour shorter.
  EXPECT_EQ(calendar.BusinessTimeBetween(utc(6, 22, 0), utc(9, 13, 30)), absl::Hours(2));
  EXPECT_EQ(absl::ToCivilDay(utc(9, 3, 30), calendar.zone()), absl::CivilDay(2026, 3, 8))
      << "23:30 EDT on Sunday is still Sunday";
}

TEST(BusinessCalendar, TheZoneHasOneSource) {
  auto config = *TestCalendarConfig();
  EXPECT_TRUE(config.time_zone().empty()) << "the standard calendar names no zone";
  config.set_time_zone("Asia/Shanghai");
  EXPECT_TRUE(BusinessCalendar::Create(config, "Asia/Shanghai").ok());
  EXPECT_THAT(std::string(BusinessCalendar::Create(config, "America/New_York").status().message()),
              HasSubstr("time_zone: \"Asia/Shanghai\" is not the centre's zone"));
  config.clear_time_zone();
  EXPECT_FALSE(BusinessCalendar::Create(config, "Mars/Olympus_Mons").ok());
}

TEST(BusinessCalendar, BadConfigurationNamesTheField) {
  auto config = *TestCalendarConfig();
  auto error = [&](const v1::BusinessCalendar& broken) {
    return std::string(BusinessCalendar::Create(broken, "Asia/Shanghai").status().message());
  };
  v1::BusinessCalendar broken = config;
  broken.mutable_holidays(3)->set_date("2026-02-30");
  EXPECT_THAT(error(broken), HasSubstr("holidays[3].date"));
  broken = config;
  broken.mutable_weekly(0)->mutable_periods(1)->set_start_minute(600);
  EXPECT_THAT(error(broken), HasSubstr("weekly[0].periods: periods overlap"));
  broken = config;
  broken.mutable_weekly(2)->set_weekday(8);
  EXPECT_THAT(error(broken), HasSubstr("weekly[2].weekday"));
  broken = config;
  broken.clear_weekly();
  EXPECT_THAT(error(broken), HasSubstr("weekly: at least one weekday"));
  broken = config;
  broken.mutable_make_up_working_days(0)->set_date("2026-01-01");
  EXPECT_THAT(error(broken), HasSubstr("make_up_working_days[0].date: is also a holiday"));
  broken = config;
  broken.set_time_zone("Mars/Olympus");
  EXPECT_THAT(error(broken), HasSubstr("time_zone"));
}

TEST(BusinessCalendar, StrictDayParsing) {
  absl::CivilDay day;
  EXPECT_TRUE(ParseDay("2026-02-28", &day));
  EXPECT_FALSE(ParseDay("2026-02-29", &day));
  EXPECT_FALSE(ParseDay("2026-2-28", &day));
  EXPECT_FALSE(ParseDay("tomorrow", &day));
}

}  // namespace
}  // namespace complaints::tracking
