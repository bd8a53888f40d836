#include "libs/server/free_memory.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace complaints {
namespace {

size_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

TEST(FreeMemory, ABurstFreedInTheHeapGoesBackToTheSystem) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer's allocator replaces glibc's heap; "
                  "bench/upload_memory_bench measures this on a release build";
#endif
  constexpr size_t kBlocks = 4096, kBlockBytes = 32 << 10;  // below the mmap threshold
  std::vector<std::unique_ptr<char[]>> burst;
  burst.reserve(kBlocks);
  for (size_t i = 0; i < kBlocks; ++i) {
    burst.emplace_back(new char[kBlockBytes]);
    std::fill_n(burst.back().get(), kBlockBytes, static_cast<char>(i));
  }
  // The last block stays, so the heap's top cannot shrink on its own: the
  // freed memory lies below it, as after a real burst.
  auto keep = std::move(burst.back());
  const size_t resident_in_burst = ResidentBytes();
  burst.clear();
  ASSERT_GE(FreeHeapBytes(), size_t{64} << 20);
  EXPECT_EQ(ReturnFreeHeap(FreeHeapBytes() + 1), 0u) << "below the threshold nothing is done";
  EXPECT_GE(ReturnFreeHeap(16 << 20), size_t{64} << 20);
  EXPECT_LT(ResidentBytes() + (size_t{64} << 20), resident_in_burst);
  EXPECT_EQ(keep[0], static_cast<char>(kBlocks - 1));
}

}  // namespace
}  // namespace complaints
