#include "services/dispatch/domain/calibration.h"

#include "gtest/gtest.h"

namespace complaints::dispatch {
namespace {

TEST(Calibration, MapsARawProbabilityToTheAccuracySeenForIt) {
  // Answers the model gave 0.95 for were right only half the time; those it
  // gave 0.35 for, a third of the time.
  std::vector<std::pair<double, bool>> scored;
  for (int i = 0; i < 100; ++i) scored.emplace_back(0.95, i % 2 == 0);
  for (int i = 0; i < 90; ++i) scored.emplace_back(0.35, i % 3 == 0);
  const Calibration calibration = Calibration::Fit(scored);
  EXPECT_NEAR(calibration.Apply(0.95), 0.5, 0.02);
  EXPECT_NEAR(calibration.Apply(0.31), 0.34, 0.02);
}

TEST(Calibration, NeverFallsAsTheRawProbabilityRises) {
  std::vector<std::pair<double, bool>> scored;
  for (int i = 0; i < 50; ++i) scored.emplace_back(0.55, true);    // all right
  for (int i = 0; i < 50; ++i) scored.emplace_back(0.85, i < 20);  // 40 % right
  const Calibration calibration = Calibration::Fit(scored);
  for (int bin = 1; bin < Calibration::kBins; ++bin) {
    EXPECT_LE(calibration.bins()[bin - 1], calibration.bins()[bin]) << bin;
  }
  // The violating pair is pooled: both at their weighted mean.
  EXPECT_NEAR(calibration.Apply(0.55), calibration.Apply(0.85), 1e-9);
}

TEST(Calibration, WithoutEvidenceItIsTheIdentity) {
  EXPECT_DOUBLE_EQ(Calibration::Fit({}).Apply(0.42), 0.42);
  EXPECT_DOUBLE_EQ(Calibration::FromBins({0.1, 0.2}).Apply(0.42), 0.42);
  // One right answer at 0.95: (1 + 2 x 0.95) / 3; the bins below it, never
  // seen, take the first value seen.
  const Calibration stored = Calibration::FromBins(Calibration::Fit({{0.95, true}}).bins());
  EXPECT_NEAR(stored.Apply(0.95), 2.9 / 3, 1e-9);
  EXPECT_NEAR(stored.Apply(0.05), 2.9 / 3, 1e-9);
}

}  // namespace
}  // namespace complaints::dispatch
