// The crash campaign: many seeded kill -9 trials spread over the four services
// and the Kafka broker while complaints flow, each followed by an exactness
// check. Too long for CI; scripts/crash_campaign.sh runs it and prints figures.
//   build/bench/crash_campaign [trials] [seed] [service flag...]
// Service flags go to every service: --replay_lag=1 makes every restart
// rebuild through the replay's catch-up (batches written behind), so the
// kills land in replays too.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/crash_trials.h"

int main(int argc, char** argv) {
  using namespace complaints::testing;
  const int trials = argc > 1 ? std::atoi(argv[1]) : 100;
  const uint32_t seed =
      argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 20261126u;
  const std::vector<std::string> flags(argv + std::min(argc, 3), argv + argc);
  std::string services;
  for (const std::string& flag : flags) services += "; services run with " + flag;
  Cluster cluster(flags);
  if (!cluster.Start()) return 2;
  const CrashPlan plan{.trials = trials,
                       .complaints_per_trial = 50,
                       .seed = seed,
                       .victims = {Victim::kIntake, Victim::kDispatch, Victim::kTracking,
                                   Victim::kAnalytics, Victim::kBroker}};
  const CrashReport report = RunCrashTrials(cluster, plan);
  std::printf(
      "[figures] crash campaign: %d trials (seed %u, victims: 4 services and the broker%s), "
      "%d complaints, %d lost, %d doubled\n",
      report.trials, seed, services.c_str(), report.complaints, report.lost, report.doubled);
  return report.lost == 0 && report.doubled == 0 && report.trials == trials ? 0 : 1;
}
