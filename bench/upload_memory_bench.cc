// What evidence uploads cost intake's memory (issue 23): 20 uploads of 24 MB
// at once — five from each of four callers — into a real intake over mTLS,
// while intake's resident memory is sampled. Prints the RSS before, the peak
// during and the RSS after; the target is a peak under 300 MiB, and memory
// back near where it began. Run with scripts/upload_memory_bench.sh (a
// release build); a benchmark, not a test.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "tests/cluster.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

// Resident memory of `pid` in MiB (VmRSS), or 0.
double RssMib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

TEST(UploadMemory, TwentyConcurrentUploadsOf24Mb) {
  constexpr int kUploads = 20;
  constexpr size_t kBytes = 24u << 20;
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const Submitted complaint =
      Submit(cluster.intake(), data.Valid(1, "upload", complaints::WallNow()));
  ASSERT_TRUE(complaint.status.ok()) << complaint.status.error_message();
  const std::string id = complaint.response.complaint_id();
  const pid_t intake = cluster.pid(Service::kIntake);
  ASSERT_GT(intake, 0);
  absl::SleepFor(absl::Seconds(2));
  const double before = RssMib(intake);

  std::atomic<bool> done{false};
  double peak = before;
  std::thread sampler([&] {
    while (!done.load()) {
      peak = std::max(peak, RssMib(intake));
      absl::SleepFor(absl::Milliseconds(20));
    }
  });
  const char* callers[] = {"staff/li", "staff/zhou", "system/call-centre", "system/mail-gateway"};
  for (const char* caller : callers) cluster.intake(caller);  // stubs made before the threads
  std::vector<std::thread> uploads;
  std::vector<grpc::Status> results(kUploads);
  const absl::Time started = complaints::WallNow();
  for (int i = 0; i < kUploads; ++i) {
    uploads.emplace_back([&, i] {
      v1::AttachEvidenceResponse answer;
      results[i] =
          AttachEvidence(cluster.intake(callers[i % 4]), id, absl::StrCat("up-", i),
                         absl::StrCat("video-", i, ".jpg"), PhotoBytes(kBytes, i), &answer);
    });
  }
  for (std::thread& upload : uploads) upload.join();
  const absl::Duration took = complaints::WallNow() - started;
  absl::SleepFor(absl::Seconds(10));
  done = true;
  sampler.join();
  const double after = RssMib(intake);
  int ok = 0;
  for (const grpc::Status& result : results) {
    ok += result.ok();
    EXPECT_TRUE(result.ok()) << result.error_message();
  }
  std::printf(
      "[figures] uploads: %d of %d uploads of %zu MiB at once in %.1f s; intake RSS "
      "%.0f MiB before, %.0f MiB peak, %.0f MiB 10 s after\n",
      ok, kUploads, kBytes >> 20, absl::ToDoubleSeconds(took), before, peak, after);
}

}  // namespace
}  // namespace complaints::testing
