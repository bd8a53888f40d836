// §5.1 trend projections: the model chosen by backtest, with calibrated intervals.
#include "services/analytics/domain/projection.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using ::testing::HasSubstr;

DayKinds HolidaysOnThe10th() {
  v1::BusinessCalendar config;
  for (int month = 0; month < 48; ++month) {
    config.add_holidays()->set_date(
        absl::FormatCivilTime(absl::CivilDay(absl::CivilMonth(2024, 1) + month) + 9));
  }
  return *DayKinds::From(config);
}

TEST(Projection, HolidaysMakeTheCalendarModelWin) {
  const DayKinds holidays = HolidaysOnThe10th();
  const std::vector<double> y = testing::DailyComplaints(800, holidays, 0.15);
  absl::StatusOr<Projection> p =
      Project(y, {Frequency::kDaily, testing::kStart, &holidays}, ProjectionSpec{.horizon = 28});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->model, Model::kCalendar);
  EXPECT_EQ(p->scores.front().model, Model::kCalendar);  // the chosen one first
  EXPECT_EQ(p->scores.size(), 5u);
  EXPECT_EQ(p->origins, 8);
  for (const ModelScore& score : p->scores) EXPECT_GE(score.mase, p->scores.front().mase);
}

TEST(Projection, IntervalsNestAroundThePointForecast) {
  const DayKinds holidays = HolidaysOnThe10th();
  const std::vector<double> y = testing::DailyComplaints(500, holidays, 0.3);
  absl::StatusOr<Projection> p =
      Project(y, {Frequency::kDaily, testing::kStart, &holidays}, ProjectionSpec{.horizon = 28});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->mean.size(), 28u);
  for (size_t h = 0; h < 28; ++h) {
    EXPECT_LE(0, p->lower_95[h]);
    EXPECT_LE(p->lower_95[h], p->lower_80[h]);
    EXPECT_LE(p->lower_80[h], p->mean[h]);
    EXPECT_LE(p->mean[h], p->upper_80[h]);
    EXPECT_LE(p->upper_80[h], p->upper_95[h]);
    EXPECT_LT(p->lower_80[h], p->upper_80[h]);
  }
  EXPECT_GE(p->coverage_80, 0.8);
  EXPECT_GE(p->coverage_95, 0.95);
  EXPECT_GE(p->widening_80, 1.0);
}

// Fit at twelve origins of a noisy stationary series; the 80 % intervals
// must hold about 80 % of what came next.
TEST(Projection, EightyPercentIntervalsHoldAboutEightyPercentOfTheFuture) {
  const DayKinds none;
  const std::vector<double> y = testing::DailyComplaints(1200, none, 0.4, 11);
  int inside = 0, total = 0;
  for (size_t origin = 600; origin + 28 <= y.size(); origin += 50) {
    const std::vector<double> history(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(origin));
    absl::StatusOr<Projection> p = Project(history, {Frequency::kDaily, testing::kStart, &none},
                                           ProjectionSpec{.horizon = 28});
    ASSERT_TRUE(p.ok()) << p.status();
    for (size_t h = 0; h < 28; ++h) {
      inside += y[origin + h] >= p->lower_80[h] && y[origin + h] <= p->upper_80[h];
      ++total;
    }
  }
  const double coverage = static_cast<double>(inside) / total;
  EXPECT_GT(coverage, 0.7);
  EXPECT_LT(coverage, 0.92);
}

TEST(Projection, IsDeterministic) {
  const std::vector<double> y = testing::DailyComplaints(300, DayKinds(), 0.2);
  const SeriesContext context{Frequency::kDaily, testing::kStart};
  absl::StatusOr<Projection> a = Project(y, context, ProjectionSpec{.horizon = 14});
  absl::StatusOr<Projection> b = Project(y, context, ProjectionSpec{.horizon = 14});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model, b->model);
  EXPECT_EQ(a->mean, b->mean);
  EXPECT_EQ(a->upper_95, b->upper_95);
}

TEST(Projection, AShortHistorySaysHowMuchIsNeeded) {
  absl::StatusOr<Projection> p =
      Project(std::vector<double>(100, 5.0), {Frequency::kDaily, testing::kStart},
              ProjectionSpec{.horizon = 28});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(p.status().message(), HasSubstr("at least 112"));
}

TEST(Projection, WeeklySeriesAreProjectedToo) {
  testing::Noise noise(5);
  std::vector<double> weeks;
  for (int w = 0; w < 200; ++w) weeks.push_back(500 + 2.0 * w + 40 * noise.Next());
  absl::StatusOr<Projection> p =
      Project(weeks, {Frequency::kWeekly, testing::kStart}, ProjectionSpec{.horizon = 13});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->mean.size(), 13u);
  EXPECT_NEAR(p->mean[0], 900, 60);
  EXPECT_NE(p->model, Model::kSeasonalNaive);
}

TEST(Projection, MaseScaleIsTheMeanSeasonalDifference) {
  EXPECT_DOUBLE_EQ(MaseScale({1, 2, 3, 5}, 1), 4.0 / 3);
  EXPECT_DOUBLE_EQ(MaseScale({7, 7, 7}, 1), 1.0);  // flat: 1, not a division by zero
}

}  // namespace
}  // namespace complaints::analytics
