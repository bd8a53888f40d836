// §3.2 handling deadlines: paused time does not count, on either time basis.
#include "services/tracking/domain/sla_clock.h"

#include <random>

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

Pauses PausesOf(std::vector<std::pair<absl::Time, std::optional<absl::Time>>> spans) {
  Pauses pauses;
  for (const auto& [from, to] : spans) {
    v1::PauseSpan& pause = *pauses.Add();
    *pause.mutable_from() = ToProto(from);
    if (to) *pause.mutable_to() = ToProto(*to);
  }
  return pauses;
}

class SlaClockTest : public ::testing::Test {
 protected:
  BusinessCalendar calendar_ = StandardCalendar();
  const absl::Time start_ = Shanghai(2026, 3, 9, 9, 0);  // a Monday
};

TEST_F(SlaClockTest, CalendarClockSkipsAClosedPause) {
  Pauses pauses = PausesOf({{start_ + absl::Hours(1), start_ + absl::Hours(3)}});
  EXPECT_EQ(DueAt(v1::TIME_BASIS_CALENDAR, calendar_, start_, pauses, absl::Hours(4)),
            start_ + absl::Hours(6));
  EXPECT_EQ(Elapsed(v1::TIME_BASIS_CALENDAR, calendar_, start_, pauses, start_ + absl::Hours(5)),
            absl::Hours(3));
}

TEST_F(SlaClockTest, OpenPauseStopsTheClock) {
  Pauses pauses = PausesOf({{start_ + absl::Hours(1), std::nullopt}});
  EXPECT_EQ(DueAt(v1::TIME_BASIS_CALENDAR, calendar_, start_, pauses, absl::Hours(4)),
            std::nullopt);
  EXPECT_EQ(Elapsed(v1::TIME_BASIS_CALENDAR, calendar_, start_, pauses, start_ + absl::Hours(30)),
            absl::Hours(1));
  // A pause that begins after the target fell due does not move it.
  EXPECT_EQ(DueAt(v1::TIME_BASIS_CALENDAR, calendar_, start_, pauses, absl::Minutes(30)),
            start_ + absl::Minutes(30));
}

TEST_F(SlaClockTest, BusinessClockIgnoresPausesOutsideWorkingHours) {
  // 8 business hours from Monday 09:00: Monday gives 7.5 h, so Tuesday 09:00.
  EXPECT_EQ(DueAt(v1::TIME_BASIS_BUSINESS, calendar_, start_, {}, absl::Hours(8)),
            Shanghai(2026, 3, 10, 9, 0));
  Pauses overnight = PausesOf({{Shanghai(2026, 3, 9, 19, 0), Shanghai(2026, 3, 10, 8, 0)}});
  EXPECT_EQ(DueAt(v1::TIME_BASIS_BUSINESS, calendar_, start_, overnight, absl::Hours(8)),
            Shanghai(2026, 3, 10, 9, 0));
  Pauses afternoon = PausesOf({{Shanghai(2026, 3, 9, 14, 0), Shanghai(2026, 3, 9, 15, 0)}});
  EXPECT_EQ(DueAt(v1::TIME_BASIS_BUSINESS, calendar_, start_, afternoon, absl::Hours(8)),
            Shanghai(2026, 3, 10, 10, 0));
}

TEST_F(SlaClockTest, ElapsedAtTheDueTimeIsTheAllowedTimeWhateverThePauses) {
  std::mt19937_64 random(326);
  std::uniform_int_distribution<int> minutes(1, 3000);
  for (v1::TimeBasis basis : {v1::TIME_BASIS_CALENDAR, v1::TIME_BASIS_BUSINESS}) {
    for (int round = 0; round < 200; ++round) {
      std::vector<std::pair<absl::Time, std::optional<absl::Time>>> spans;
      absl::Time cursor = start_;
      for (int k = 0; k < 3; ++k) {
        const absl::Time from = cursor + absl::Minutes(minutes(random));
        cursor = from + absl::Minutes(minutes(random));
        spans.emplace_back(from, cursor);
      }
      const Pauses pauses = PausesOf(spans);
      const absl::Duration allowed = absl::Minutes(minutes(random));
      const std::optional<absl::Time> due = DueAt(basis, calendar_, start_, pauses, allowed);
      ASSERT_TRUE(due.has_value());
      ASSERT_EQ(Elapsed(basis, calendar_, start_, pauses, *due), allowed) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace complaints::tracking
