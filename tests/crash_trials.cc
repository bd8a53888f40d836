#include "tests/crash_trials.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/core/clock.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

const char* VictimName(Victim victim) {
  static constexpr const char* kNames[] = {"intake", "dispatch", "tracking", "analytics", "broker"};
  return kNames[static_cast<int>(victim)];
}

// Submits until acknowledged: a crash of intake or the broker makes calls
// fail, and the same idempotency key makes the retry safe. Empty when it never was.
std::string SubmitUntilAcknowledged(Cluster& cluster, const v1::SubmitComplaintRequest& request) {
  const absl::Time deadline = complaints::WallNow() + absl::Seconds(60);
  while (complaints::WallNow() < deadline) {
    Submitted result = Submit(cluster.intake(), request);
    if (result.status.ok()) return result.response.complaint_id();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return "";
}

}  // namespace

CrashReport RunCrashTrials(Cluster& cluster, const CrashPlan& plan) {
  Nyc311Complaints data;
  std::mt19937 random(plan.seed);
  std::uniform_int_distribution<int> pause_ms(100, 1500);
  std::uniform_int_distribution<size_t> pick(0, plan.victims.size() - 1);
  const absl::Time now = complaints::WallNow();
  CrashReport report;
  std::vector<std::string> ids;
  for (int trial = 0; trial < plan.trials; ++trial) {
    std::mutex mu;
    std::thread submitter([&] {
      for (int i = 0; i < plan.complaints_per_trial; ++i) {
        const int n = trial * plan.complaints_per_trial + i;
        std::string id = SubmitUntilAcknowledged(cluster, data.Valid(n, "crash", now));
        std::lock_guard<std::mutex> lock(mu);
        if (id.empty()) {
          ++report.lost;  // never acknowledged within a minute: the platform stopped taking
                          // complaints
        } else {
          ids.push_back(std::move(id));
        }
        absl::SleepFor(absl::Milliseconds(10));
      }
    });
    absl::SleepFor(absl::Milliseconds(pause_ms(random)));
    const Victim victim = plan.victims[pick(random)];
    if (victim == Victim::kBroker) {
      cluster.broker().Kill();
      absl::SleepFor(absl::Milliseconds(pause_ms(random) / 4));
      cluster.broker().Restart();
    } else {
      const auto service = static_cast<Service>(static_cast<int>(victim));
      cluster.KillService(service);
      absl::SleepFor(absl::Milliseconds(pause_ms(random) / 4));
      if (!cluster.StartService(service)) ++report.lost;
    }
    submitter.join();
    // Exactness: everything acknowledged so far, complete and counted once.
    const int64_t expected = static_cast<int64_t>(ids.size());
    const bool counted = WaitUntilCounted(cluster, expected, absl::Seconds(120));
    const std::vector<std::string> incomplete = WaitUntilComplete(cluster, ids, absl::Seconds(60));
    const CountTotals totals = Totals(cluster);
    int lost = static_cast<int>(incomplete.size()), doubled = 0;
    if (!counted && totals.total > expected) doubled += static_cast<int>(totals.total - expected);
    if (!counted && totals.total >= 0 && totals.total < expected)
      lost += static_cast<int>(expected - totals.total);
    report.lost += lost;
    report.doubled += doubled;
    report.trials = trial + 1;
    report.complaints = static_cast<int>(ids.size());
    std::printf("[crash] trial %d: kill -9 %s; %zu complaints so far, %d lost, %d doubled\n",
                trial + 1, VictimName(victim), ids.size(), lost, doubled);
    std::fflush(stdout);
  }
  return report;
}

}  // namespace complaints::testing
