// Crash: dispatch and analytics are killed with SIGKILL at random moments while
// complaints flow, and restarted. Afterwards the state must be exact: every
// complaint assigned once, deadlines set once, counted once.
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

constexpr int kComplaints = 600;
constexpr int kCrashes = 6;
constexpr uint32_t kSeed = 20261126;  // fixed, so a failure can be replayed

TEST(Crash, KilledConsumersRestartWithExactState) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = absl::Now();

  std::vector<std::string> ids;
  std::atomic<bool> submitting{true};
  std::thread submitter([&] {
    for (int i = 0; i < kComplaints; ++i) {
      Submitted result = Submit(cluster.intake(), data.Valid(i, "crash", now));
      if (result.status.ok())
        ids.push_back(result.response.complaint_id());
      else
        ADD_FAILURE() << "submit " << i << ": " << result.status.error_message();
      absl::SleepFor(absl::Milliseconds(15));
    }
    submitting = false;
  });

  std::mt19937 random(kSeed);
  std::uniform_int_distribution<int> pause_ms(300, 2000);
  std::uniform_int_distribution<int> victim(0, 1);
  int crashes = 0;
  for (; crashes < kCrashes; ++crashes) {
    absl::SleepFor(absl::Milliseconds(pause_ms(random)));
    const Service service = victim(random) == 0 ? Service::kDispatch : Service::kAnalytics;
    std::printf("[crash] %.1f s: kill -9 %s\n", absl::ToDoubleSeconds(absl::Now() - now),
                NameOf(service));
    std::fflush(stdout);
    cluster.KillService(service);
    absl::SleepFor(absl::Milliseconds(pause_ms(random) / 4));
    ASSERT_TRUE(cluster.StartService(service)) << NameOf(service) << " did not restart";
  }
  submitter.join();
  std::printf("[crash] %.1f s: all submitted\n", absl::ToDoubleSeconds(absl::Now() - now));
  ASSERT_EQ(ids.size(), static_cast<size_t>(kComplaints));

  ASSERT_TRUE(WaitUntilCounted(cluster, kComplaints, absl::Seconds(120)))
      << "analytics total " << Totals(cluster).total << ", unassigned "
      << Totals(cluster).unassigned;
  std::printf("[crash] %.1f s: all counted\n", absl::ToDoubleSeconds(absl::Now() - now));
  std::vector<std::string> incomplete = WaitUntilComplete(cluster, ids, absl::Seconds(60));
  EXPECT_TRUE(incomplete.empty()) << incomplete.size() << " not exact, first: " << incomplete[0];
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(Totals(cluster).total, kComplaints) << "nothing counted twice after the dust settles";
  std::printf(
      "[figures] crash: %d complaints, %d kill -9 of dispatch/analytics (seed %u): none lost, none "
      "twice\n",
      kComplaints, crashes, kSeed);
}

}  // namespace
}  // namespace complaints::testing
