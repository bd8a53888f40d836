#include "libs/server/rate_limiter.h"

#include "gtest/gtest.h"
#include "libs/testing/fake_clock.h"

namespace complaints {
namespace {

using complaints::testing::FakeClock;

TEST(RateLimiter, OneNoisyClientIsHeldBackOthersAreNot) {
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  RateLimiter limiter({.per_second = 10, .burst = 5}, &clock);
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.Allow("noisy");
  EXPECT_EQ(allowed, 5) << "the burst, then nothing";
  EXPECT_TRUE(limiter.Allow("quiet"));
  clock.Advance(absl::Milliseconds(300));
  allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.Allow("noisy");
  EXPECT_EQ(allowed, 3) << "refilled at 10 per second";
}

TEST(RateLimiter, TrackedClientsAreBounded) {
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  RateLimiter limiter({.per_second = 1, .burst = 1}, &clock, /*max_clients=*/2);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  EXPECT_FALSE(limiter.Allow("c")) << "both tracked clients are still refilling";
  clock.Advance(absl::Seconds(2));
  EXPECT_TRUE(limiter.Allow("c")) << "full buckets are forgotten to make room";
}

TEST(RateLimiter, ZeroTurnsItOff) {
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  RateLimiter limiter({.per_second = 0, .burst = 0}, &clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("x"));
}

}  // namespace
}  // namespace complaints
