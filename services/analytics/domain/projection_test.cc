// §5.1 trend projections: the combination chosen by backtest, with calibrated intervals.
#include "services/analytics/domain/projection.h"

#include <algorithm>

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

double ScoreOf(const Projection& p, Model model) {
  for (const ModelScore& score : p.scores) {
    if (score.model == ModelName(model)) return score.mase;
  }
  ADD_FAILURE() << "no score for " << ModelName(model);
  return 0;
}

// Whatever the series, nothing served lost to seasonal naive in the backtest.
void ExpectNothingServedLostToSeasonalNaive(const Projection& p) {
  const double naive = ScoreOf(p, Model::kSeasonalNaive);
  ASSERT_FALSE(p.combined.empty());
  for (Model model : p.combined) EXPECT_LE(ScoreOf(p, model), naive) << ModelName(model);
}

TEST(Projection, HolidaysMakeCalendarAwareCandidatesServed) {
  const DayKinds holidays = HolidaysOnThe10th();
  const std::vector<double> y = testing::DailyComplaints(800, holidays, 0.15);
  absl::StatusOr<Projection> p =
      Project(y, {Frequency::kDaily, testing::kStart, &holidays}, ProjectionSpec{.horizon = 28});
  ASSERT_TRUE(p.ok()) << p.status();
  for (Model model : p->combined) {
    EXPECT_THAT(ModelName(model), HasSubstr("calendar"));
  }
  EXPECT_EQ(p->scores.size(), 7u);
  for (size_t i = 1; i < p->scores.size(); ++i) {
    EXPECT_LE(p->scores[i - 1].mase, p->scores[i].mase) << "best first";
  }
  EXPECT_EQ(ModelName(p->combined.front()), p->scores.front().model);
  EXPECT_EQ(p->origins, 8);
  EXPECT_TRUE(p->notes.empty());
  ExpectNothingServedLostToSeasonalNaive(*p);
}

// Each week repeats the last one plus a large shock (a seasonal random walk):
// seasonal naive is the right model, and nothing that lost to it is served.
TEST(Projection, NeverServesACandidateThatLostToSeasonalNaive) {
  testing::Noise noise(3);
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<double> y = {80, 90, 100, 95, 85, 30, 20};
    while (y.size() < 300) y.push_back(std::max(0.0, y[y.size() - 7] + 25 * noise.Next()));
    absl::StatusOr<Projection> p =
        Project(y, {Frequency::kDaily, testing::kStart}, ProjectionSpec{.horizon = 28});
    ASSERT_TRUE(p.ok()) << p.status();
    ExpectNothingServedLostToSeasonalNaive(*p);
  }
}

TEST(Projection, TheServedForecastIsTheMedianOfTheCombinedCandidates) {
  const DayKinds holidays = HolidaysOnThe10th();
  const std::vector<double> y = testing::DailyComplaints(400, holidays, 0.3, 23);
  const SeriesContext context{Frequency::kDaily, testing::kStart, &holidays};
  absl::StatusOr<Projection> p = Project(y, context, ProjectionSpec{.horizon = 21});
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<std::vector<double>> members;
  for (Model model : p->combined) members.push_back(Predict(model, y, context, 21)->mean);
  for (size_t h = 0; h < 21; ++h) {
    std::vector<double> at;
    for (const auto& m : members) at.push_back(m[h]);
    std::sort(at.begin(), at.end());
    const double median =
        at.size() % 2 == 1 ? at[at.size() / 2] : (at[at.size() / 2 - 1] + at[at.size() / 2]) / 2;
    EXPECT_DOUBLE_EQ(p->mean[h], median) << h;
  }
}

// Nine months of days and a 91-day horizon: eight cuts, spaced to fit.
TEST(Projection, EightCutsWhereverTheHistoryAllowsWithAdaptiveSpacing) {
  const DayKinds none;
  const SeriesContext context{Frequency::kDaily, testing::kStart, &none};
  absl::StatusOr<Projection> quarter =
      Project(testing::DailyComplaints(273, none, 0.2), context, ProjectionSpec{.horizon = 91});
  ASSERT_TRUE(quarter.ok()) << quarter.status();
  EXPECT_EQ(quarter->origins, 8);
  EXPECT_EQ(quarter->spacing, (273 - 56 - 91) / 7);
  EXPECT_EQ(quarter->horizon, 91);
  EXPECT_EQ(quarter->mean.size(), 91u);
  EXPECT_TRUE(quarter->notes.empty());
  absl::StatusOr<Projection> month =
      Project(testing::DailyComplaints(1000, none, 0.2), context, ProjectionSpec{.horizon = 28});
  ASSERT_TRUE(month.ok()) << month.status();
  EXPECT_EQ(month->spacing, 28) << "never more than one horizon apart";
}

// Four and a half months of days cannot hold 91-day cuts: a shorter horizon, and why.
TEST(Projection, AShortHistoryGetsAShorterHorizonWithTheReason) {
  const DayKinds none;
  absl::StatusOr<Projection> p =
      Project(testing::DailyComplaints(137, none, 0.2), {Frequency::kDaily, testing::kStart, &none},
              ProjectionSpec{.horizon = 91});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->horizon, 137 - 56 - 7);
  EXPECT_EQ(p->mean.size(), 74u);
  EXPECT_EQ(p->upper_95.size(), 74u);
  EXPECT_EQ(p->origins, 8);
  ASSERT_EQ(p->notes.size(), 1u);
  EXPECT_THAT(p->notes[0], HasSubstr("74 days instead of 91"));
  EXPECT_THAT(p->notes[0], HasSubstr("137 days of history"));
}

TEST(Projection, HistoryForFewerCutsSaysSo) {
  absl::StatusOr<Projection> p =
      Project(testing::DailyComplaints(66, DayKinds(), 0.2), {Frequency::kDaily, testing::kStart},
              ProjectionSpec{.horizon = 7});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->horizon, 7);
  EXPECT_EQ(p->origins, 4);
  ASSERT_EQ(p->notes.size(), 1u);
  EXPECT_THAT(p->notes[0], HasSubstr("4 cuts instead of 8"));
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
  EXPECT_GE(p->coverage_80, 0.84);
  EXPECT_GE(p->coverage_95, 0.96);
  EXPECT_GE(p->widening_80, 0.5);
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
  EXPECT_EQ(a->combined, b->combined);
  EXPECT_EQ(a->mean, b->mean);
  EXPECT_EQ(a->upper_95, b->upper_95);
}

TEST(Projection, AHistoryTooShortForAnyHorizonSaysHowMuchIsNeeded) {
  absl::StatusOr<Projection> p =
      Project(std::vector<double>(60, 5.0), {Frequency::kDaily, testing::kStart},
              ProjectionSpec{.horizon = 28});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(p.status().message(), HasSubstr("60 days of history; at least 64 are needed"));
}

TEST(Projection, AHistoryWithoutComplaintsSaysSo) {
  absl::StatusOr<Projection> p =
      Project(std::vector<double>(400, 0.0), {Frequency::kDaily, testing::kStart},
              ProjectionSpec{.horizon = 28});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(p.status().message(), HasSubstr("no complaint counted in its 400 days"));
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
  EXPECT_NE(p->combined, std::vector<Model>{Model::kSeasonalNaive});
  ExpectNothingServedLostToSeasonalNaive(*p);
}

TEST(Projection, MaseScaleIsTheMeanSeasonalDifference) {
  EXPECT_DOUBLE_EQ(MaseScale({1, 2, 3, 5}, 1), 4.0 / 3);
  EXPECT_DOUBLE_EQ(MaseScale({7, 7, 7}, 1), 1.0);  // flat: 1, not a division by zero
}

}  // namespace
}  // namespace complaints::analytics
