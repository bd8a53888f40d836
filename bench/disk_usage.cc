// Disk per complaint: the broker and the four services as processes, N
// complaints (default 10,000) through gRPC, then each service's RocksDB size
// per 10k complaints, while running and after a restart (which releases what
// only a restart releases). Target: within 10 MB per 10k at steady state.
//   scripts/disk_usage.sh [complaints]
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "absl/time/clock.h"
#include "libs/core/clock.h"
#include "tests/scenario.h"

namespace {

using namespace complaints::testing;

double MegabytesUnder(const std::string& dir) {
  uintmax_t bytes = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) bytes += it->file_size(error);
  }
  return static_cast<double>(bytes) / (1 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  const int complaints = argc > 1 ? std::atoi(argv[1]) : 10'000;
  Cluster cluster;
  if (!cluster.Start()) return 2;
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  std::vector<std::string> ids(static_cast<size_t>(complaints));
  std::atomic<int> next{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      for (int i; (i = next++) < complaints;) {
        Submitted result = Submit(cluster.intake(), data.Valid(i, "disk", now));
        if (result.status.ok()) ids[static_cast<size_t>(i)] = result.response.complaint_id();
      }
    });
  }
  for (std::thread& client : clients) client.join();
  const absl::Time submitted = complaints::WallNow();
  if (!WaitUntilCounted(cluster, complaints, absl::Minutes(10))) return 1;
  std::printf("[figures] disk: %d complaints submitted in %.1f s, counted %.1f s later\n",
              complaints, absl::ToDoubleSeconds(submitted - now),
              absl::ToDoubleSeconds(complaints::WallNow() - submitted));
  const double per_10k = 10'000.0 / complaints;
  for (Service service : kServices) {
    const std::string dir = cluster.dir() + "/" + NameOf(service) + "/rocksdb";
    const double running = MegabytesUnder(dir);
    cluster.StopService(service);
    cluster.StartService(service);
    const double restarted = MegabytesUnder(dir);
    std::printf(
        "[figures] disk: %-9s %7.1f MB per 10k complaints while running, %7.1f MB after a "
        "restart\n",
        NameOf(service), running * per_10k, restarted * per_10k);
  }
  return 0;
}
