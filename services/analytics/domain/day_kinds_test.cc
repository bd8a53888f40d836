// §5.1 trend projections: the business calendar as the models see it.
#include "services/analytics/domain/day_kinds.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace complaints::analytics {
namespace {

v1::BusinessCalendar Parse(const std::string& text) {
  v1::BusinessCalendar calendar;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &calendar));
  return calendar;
}

// Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked.
const char kSpringFestival[] = R"pb(
  weekly {
    weekday: 1
    periods { start_minute: 510 end_minute: 1080 }
  }
  weekly {
    weekday: 2
    periods { start_minute: 510 end_minute: 1080 }
  }
  weekly {
    weekday: 3
    periods { start_minute: 510 end_minute: 1080 }
  }
  weekly {
    weekday: 4
    periods { start_minute: 510 end_minute: 1080 }
  }
  weekly {
    weekday: 5
    periods { start_minute: 510 end_minute: 1080 }
  }
  holidays { date: "2026-02-15" }
  holidays { date: "2026-02-16" }
  holidays { date: "2026-02-17" }
  holidays { date: "2026-02-18" }
  holidays { date: "2026-02-19" }
  holidays { date: "2026-02-20" }
  holidays { date: "2026-02-21" }
  holidays { date: "2026-02-22" }
  holidays { date: "2026-02-23" }
  make_up_working_days { date: "2026-02-14" }
  make_up_working_days { date: "2026-02-28" }
)pb";

TEST(DayKinds, SpringFestivalWeekIsNotAnOrdinaryWeek) {
  absl::StatusOr<DayKinds> kinds = DayKinds::From(Parse(kSpringFestival));
  ASSERT_TRUE(kinds.ok()) << kinds.status();
  EXPECT_EQ(kinds->Of(absl::CivilDay(2026, 2, 17)), DayKind::kHoliday);
  EXPECT_EQ(kinds->Of(absl::CivilDay(2026, 2, 14)), DayKind::kMakeUpWorkday);
  EXPECT_EQ(kinds->Of(absl::CivilDay(2026, 2, 24)), DayKind::kNextToHoliday);  // Tuesday after
  EXPECT_EQ(kinds->Of(absl::CivilDay(2026, 3, 4)), DayKind::kOrdinary);
  EXPECT_EQ(kinds->WorkingDaysInWeek(absl::CivilDay(2026, 2, 16)), 0);  // Monday of the festival
  EXPECT_EQ(kinds->WorkingDaysInWeek(absl::CivilDay(2026, 2, 23)), 5);  // 24–27 and Saturday 28
  EXPECT_EQ(kinds->WorkingDaysInWeek(absl::CivilDay(2026, 3, 2)), 5);
  EXPECT_TRUE(kinds->has_holidays());
}

TEST(DayKinds, WithoutAWeeklyScheduleMondayToFridayIsWorked) {
  const DayKinds kinds;
  EXPECT_TRUE(kinds.IsWorkingDay(absl::CivilDay(2026, 11, 27)));  // a Friday
  EXPECT_FALSE(kinds.IsWorkingDay(absl::CivilDay(2026, 11, 28)));
  EXPECT_FALSE(kinds.has_holidays());
}

TEST(DayKinds, AMalformedDateIsNamed) {
  absl::StatusOr<DayKinds> kinds = DayKinds::From(Parse(R"pb(holidays { date: "2026-01-01" }
                                                             holidays { date: "2026-02-30" })pb"));
  EXPECT_EQ(kinds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(kinds.status().message(), ::testing::HasSubstr("holidays[1].date"));
}

}  // namespace
}  // namespace complaints::analytics
