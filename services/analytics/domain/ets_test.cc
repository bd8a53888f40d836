// §5.1 trend projections: exponential smoothing fitted by maximum likelihood.
#include "services/analytics/domain/ets.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using ::testing::DoubleNear;
using ::testing::Each;
using ::testing::Ge;
using ::testing::Le;

const EtsSpec kWeekly{.damped_trend = true, .period = 7};

TEST(Ets, RepeatsAWeeklyPatternItHasLearned) {
  const std::vector<double> y = testing::DailyComplaints(140, DayKinds(), 0);
  absl::StatusOr<EtsFit> fit = FitEts(y, kWeekly);
  ASSERT_TRUE(fit.ok()) << fit.status();
  const std::vector<double> forecast = ForecastEts(*fit, 14);
  for (int h = 0; h < 14; ++h) EXPECT_NEAR(forecast[h], y[(140 + h) % 7], 1.0) << "step " << h;
}

TEST(Ets, FollowsATrendAndDampsIt) {
  testing::Noise noise(3);
  std::vector<double> y;
  for (int t = 0; t < 200; ++t) y.push_back(50 + 2.0 * t + noise.Next());
  absl::StatusOr<EtsFit> fit = FitEts(y, EtsSpec{.damped_trend = true, .period = 1});
  ASSERT_TRUE(fit.ok()) << fit.status();
  const std::vector<double> forecast = ForecastEts(*fit, 30);
  EXPECT_NEAR(forecast[0], 50 + 2.0 * 200, 3.0);
  EXPECT_GT(forecast[29], forecast[0]);
  // Damped: thirty steps add less than thirty slopes.
  EXPECT_LT(forecast[29] - forecast[0], 29 * 2.0);
}

TEST(Ets, ParametersStayWithinTheAdmissibleRegion) {
  const std::vector<double> y = testing::DailyComplaints(365, DayKinds(), 0.3);
  absl::StatusOr<EtsFit> fit = FitEts(y, kWeekly);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_GT(fit->alpha, 0);
  EXPECT_LT(fit->alpha, 1);
  EXPECT_LE(fit->beta, fit->alpha);
  EXPECT_LE(fit->gamma, 1 - fit->alpha);
  EXPECT_THAT(fit->phi, ::testing::AllOf(Ge(0.8), Le(0.98)));
  EXPECT_EQ(fit->fitted.size(), y.size());
  EXPECT_GT(fit->sigma, 0);
}

TEST(Ets, MissingObservationsAreCarriedOverNotLearned) {
  std::vector<double> y = testing::DailyComplaints(140, DayKinds(), 0);
  // Every third Wednesday is missing.
  for (size_t t = 2; t < y.size(); t += 21) y[t] = NAN;
  absl::StatusOr<EtsFit> fit = FitEts(y, kWeekly);
  ASSERT_TRUE(fit.ok()) << fit.status();
  const std::vector<double> forecast = ForecastEts(*fit, 7);
  EXPECT_NEAR(forecast[(2 - 140 % 7 + 7) % 7], 100, 1.0);  // the next Wednesday
  EXPECT_THAT(fit->fitted, Each(::testing::Truly([](double v) { return std::isfinite(v); })));
}

TEST(Ets, TooFewObservationsAreRefused) {
  absl::StatusOr<EtsFit> fit = FitEts(std::vector<double>(10, 1.0), kWeekly);
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(fit.status().message(), ::testing::HasSubstr("series: 10 observations"));
}

TEST(Ets, ParametersAreNamedForTheAnswer) {
  absl::StatusOr<EtsFit> fit = FitEts(testing::DailyComplaints(70, DayKinds(), 0.1), kWeekly);
  ASSERT_TRUE(fit.ok());
  std::vector<std::string> names;
  for (const auto& [name, value] : EtsParameters(*fit)) names.push_back(name);
  EXPECT_THAT(names, ::testing::ElementsAre("alpha", "beta", "phi", "gamma"));
}

}  // namespace
}  // namespace complaints::analytics
