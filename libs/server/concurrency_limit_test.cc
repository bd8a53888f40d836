// Long calls are bounded in all and per caller, so one caller cannot take
// every place (issue: one integration held all 64 WatchAssignments streams).
#include "libs/server/concurrency_limit.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;

TEST(ConcurrencyLimit, OneCallerReachesItsOwnLimitBeforeTheServices) {
  ConcurrencyLimit streams("streams", 10, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(streams.Acquire("system/engineering-app").ok());
  const absl::Status refused = streams.Acquire("system/engineering-app");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("system/engineering-app has 3 open already (the limit per caller)"));
  EXPECT_TRUE(streams.Acquire("staff/qian").ok());  // others still get theirs
  EXPECT_EQ(streams.in_use(), 4);
  streams.Release("system/engineering-app");
  EXPECT_TRUE(streams.Acquire("system/engineering-app").ok());
}

TEST(ConcurrencyLimit, TheServicesLimitHoldsForEveryone) {
  ConcurrencyLimit uploads("uploads", 4, 2);
  for (const char* who : {"a", "a", "b", "b"}) EXPECT_TRUE(uploads.Acquire(who).ok());
  const absl::Status refused = uploads.Acquire("c");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("uploads: 4 are open already"));
  uploads.Release("b");
  EXPECT_TRUE(uploads.Acquire("c").ok());
  uploads.Release("nobody");  // a place never taken changes nothing
  EXPECT_EQ(uploads.in_use(), 4);
}

}  // namespace
}  // namespace complaints
