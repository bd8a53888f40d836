#pragma once
// Seeded kill -9 trials while complaints flow, each followed by an exactness
// check: every complaint acknowledged so far assigned once, with deadlines
// once, counted once. Used by the crash test (short, in CI) and the crash
// campaign (bench/crash_campaign, long, with the broker among the victims).

#include <cstdint>
#include <vector>

#include "tests/cluster.h"

namespace complaints::testing {

// kBroker is a crash of the Kafka broker itself.
enum class Victim { kIntake, kDispatch, kTracking, kAnalytics, kBroker };

struct CrashPlan {
  int trials = 6;
  int complaints_per_trial = 100;
  uint32_t seed = 20261126;
  std::vector<Victim> victims;
};

struct CrashReport {
  int trials = 0;
  int complaints = 0;
  int lost = 0;     // acknowledged but missing or incomplete
  int doubled = 0;  // counted or decided more than once
};

// Runs the plan on a started cluster; prints one line per trial.
CrashReport RunCrashTrials(Cluster& cluster, const CrashPlan& plan);

}  // namespace complaints::testing
