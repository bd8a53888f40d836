// Crash: each of the four services is killed with SIGKILL at seeded random
// moments while complaints flow, and restarted. After every crash the state
// must be exact: every acknowledged complaint assigned once, deadlines set
// once, counted once. bench/crash_campaign runs the same trials at length,
// with the broker among the victims.
#include <cstdio>

#include "gtest/gtest.h"
#include "tests/crash_trials.h"

namespace complaints::testing {
namespace {

TEST(Crash, KilledServicesRestartWithExactState) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  const CrashPlan plan{
      .trials = 6,
      .complaints_per_trial = 100,
      .seed = 20261126,  // fixed, so a failure can be replayed
      .victims = {Victim::kIntake, Victim::kDispatch, Victim::kTracking, Victim::kAnalytics}};
  const CrashReport report = RunCrashTrials(cluster, plan);
  EXPECT_EQ(report.trials, plan.trials);
  EXPECT_EQ(report.complaints, plan.trials * plan.complaints_per_trial);
  EXPECT_EQ(report.lost, 0);
  EXPECT_EQ(report.doubled, 0);
  std::printf(
      "[figures] crash: %d trials (kill -9 of intake/dispatch/tracking/analytics, seed %u), "
      "%d complaints, %d lost, %d doubled\n",
      report.trials, plan.seed, report.complaints, report.lost, report.doubled);
}

}  // namespace
}  // namespace complaints::testing
