// §5.1 trend projections: the candidate models.
#include "services/analytics/domain/forecast_models.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Ge;

// A holiday on the 10th of every month.
DayKinds MonthlyHolidays() {
  v1::BusinessCalendar config;
  for (int month = 0; month < 36; ++month) {
    config.add_holidays()->set_date(
        absl::FormatCivilTime(absl::CivilDay(absl::CivilMonth(2024, 1) + month) + 9));
  }
  return *DayKinds::From(config);
}

double ParameterOf(const PointForecast& forecast, const std::string& name) {
  for (const auto& [key, value] : forecast.parameters) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no parameter " << name;
  return 0;
}

TEST(ForecastModels, SeasonalNaiveRepeatsTheLastWeek) {
  std::vector<double> y;
  for (int t = 0; t < 21; ++t) y.push_back(t);
  const SeriesContext daily{Frequency::kDaily, testing::kStart};
  absl::StatusOr<PointForecast> f = Predict(Model::kSeasonalNaive, y, daily, 9);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->mean, ElementsAre(14, 15, 16, 17, 18, 19, 20, 14, 15));
}

TEST(ForecastModels, WeeklySeasonalNaiveLooksBackAYearOnceTwoAreKnown) {
  std::vector<double> y;
  for (int t = 0; t < 104; ++t) y.push_back(t);
  const SeriesContext weekly{Frequency::kWeekly, testing::kStart};
  absl::StatusOr<PointForecast> f = Predict(Model::kSeasonalNaive, y, weekly, 2);
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->mean, ElementsAre(52, 53));
  y.pop_back();  // under two years: the last week
  EXPECT_THAT(Predict(Model::kSeasonalNaive, y, weekly, 2)->mean, ElementsAre(102, 102));
}

TEST(ForecastModels, RecentMedianTakesTheSameWeekdayOfTheLastEightWeeks) {
  // Mondays of weeks 0..9 are 0..9; every other day is 100.
  std::vector<double> y(70, 100);
  for (int week = 0; week < 10; ++week) y[static_cast<size_t>(7 * week)] = week;
  const SeriesContext daily{Frequency::kDaily, testing::kStart};
  absl::StatusOr<PointForecast> f = Predict(Model::kRecentMedian, y, daily, 8);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->mean[0], 5.5);  // median of Mondays 2..9
  EXPECT_EQ(f->mean[1], 100);
  EXPECT_EQ(f->mean[7], 5.5);
}

TEST(ForecastModels, TheCalendarModelExpectsTheHolidayDip) {
  const DayKinds holidays = MonthlyHolidays();
  // 2024-01-01 + 730 days = 2025-12-31; the horizon holds 2026-01-10, a Saturday, and 2026-02-10.
  const std::vector<double> y = testing::DailyComplaints(730, holidays, 0.1);
  const SeriesContext context{Frequency::kDaily, testing::kStart, &holidays};
  absl::StatusOr<PointForecast> calendar = Predict(Model::kCalendar, y, context, 56);
  absl::StatusOr<PointForecast> plain = Predict(Model::kEtsLog, y, context, 56);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_TRUE(plain.ok());
  const size_t feb10 = static_cast<size_t>(absl::CivilDay(2026, 2, 10) - (testing::kStart + 730));
  const size_t feb17 = feb10 + 7;  // the same weekday, ordinary
  EXPECT_LT(calendar->mean[feb10], 0.5 * calendar->mean[feb17]);
  EXPECT_GT(plain->mean[feb10], 0.8 * plain->mean[feb17]);
  EXPECT_NEAR(ParameterOf(*calendar, "holiday_effect"), std::log(1.0 / 3), 0.25);
}

TEST(ForecastModels, AWeeklyCalendarModelLearnsWhatAShortWeekCosts) {
  const DayKinds holidays = MonthlyHolidays();
  const std::vector<double> days = testing::DailyComplaints(7 * 150, holidays, 0.1);
  std::vector<double> weeks;
  for (size_t w = 0; w < 150; ++w) {
    double sum = 0;
    for (size_t d = 0; d < 7; ++d) sum += days[7 * w + d];
    weeks.push_back(sum);
  }
  const SeriesContext context{Frequency::kWeekly, testing::kStart, &holidays};
  absl::StatusOr<PointForecast> f = Predict(Model::kCalendar, weeks, context, 13);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_GT(ParameterOf(*f, "working_days_elasticity"), 0.2);
}

// Weekdays 100, weekends 40/30, holidays a third: both calendar-aware
// medians learn the holiday effect and the weekly shape from the history.
TEST(ForecastModels, CalendarMedianAndProfileForecastHolidaysLowAndWeeksInShape) {
  const DayKinds holidays = MonthlyHolidays();
  const std::vector<double> y = testing::DailyComplaints(400, holidays, 0.05);
  const SeriesContext context{Frequency::kDaily, testing::kStart, &holidays};
  for (Model model : {Model::kCalendarMedian, Model::kCalendarProfile}) {
    absl::StatusOr<PointForecast> f = Predict(model, y, context, 60);
    ASSERT_TRUE(f.ok()) << ModelName(model) << f.status();
    ASSERT_EQ(f->mean.size(), 60u);
    for (size_t h = 0; h < 60; ++h) {
      const absl::CivilDay day = testing::kStart + 400 + static_cast<int64_t>(h);
      const int weekday = static_cast<int>((400 + h) % 7);
      double truth = weekday < 5 ? 100 : (weekday == 5 ? 40 : 30);
      if (holidays.Of(day) == DayKind::kHoliday) truth /= 3;
      // The ridge shrinks an effect seen on a dozen holidays a little towards none.
      EXPECT_NEAR(f->mean[h], truth, 0.2 * truth) << ModelName(model) << " day " << h;
    }
    EXPECT_LT(ParameterOf(*f, "holiday_effect"), -0.5) << ModelName(model);
  }
}

TEST(ForecastModels, CalendarMedianAndProfileAreDailyOnly) {
  const DayKinds holidays = MonthlyHolidays();
  const SeriesContext weekly{Frequency::kWeekly, testing::kStart, &holidays};
  for (Model model : {Model::kCalendarMedian, Model::kCalendarProfile}) {
    EXPECT_EQ(Predict(model, std::vector<double>(100, 50), weekly, 4).status().code(),
              absl::StatusCode::kInvalidArgument)
        << ModelName(model);
  }
}

TEST(ForecastModels, ForecastsAreNeverNegative) {
  std::vector<double> falling;
  for (int t = 0; t < 120; ++t) falling.push_back(std::max(0, 120 - 2 * t));
  const DayKinds none;
  const SeriesContext with_calendar{Frequency::kDaily, testing::kStart, &none};
  for (Model model : kAllModels) {
    absl::StatusOr<PointForecast> f = Predict(model, falling, with_calendar, 28);
    ASSERT_TRUE(f.ok()) << ModelName(model);
    EXPECT_THAT(f->mean, Each(Ge(0.0))) << ModelName(model);
  }
}

TEST(ForecastModels, TheCalendarModelNeedsACalendar) {
  const SeriesContext daily{Frequency::kDaily, testing::kStart};
  for (Model model : {Model::kCalendar, Model::kCalendarMedian, Model::kCalendarProfile}) {
    EXPECT_EQ(Predict(model, std::vector<double>(100, 1), daily, 7).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(Predict(Model::kEts, std::vector<double>(100, 1), daily, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace complaints::analytics
