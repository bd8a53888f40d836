#include "services/analytics/app/baseline_cache.h"

#include "gtest/gtest.h"

namespace complaints::analytics {
namespace {

const absl::CivilDay kDay(2026, 3, 10);

TEST(BaselineCache, KeepsARateUntilADayOfItsFourWeeksChanges) {
  BaselineCache cache;
  const std::string key = BaselineCache::Key("Sunny Garden", "water-leak", kDay);
  EXPECT_FALSE(cache.Find(key).has_value());
  cache.Put(key, 0.25);
  EXPECT_EQ(cache.Find(key), 0.25);
  // Days outside the 4 weeks before kDay, another place or category: kept.
  cache.Changed("Sunny Garden", "water-leak", kDay);
  cache.Changed("Sunny Garden", "water-leak", kDay - kBaselineDays - 1);
  cache.Changed("Sunny Garden", "noise", kDay - 1);
  cache.Changed("Riverside", "water-leak", kDay - 1);
  EXPECT_EQ(cache.Find(key), 0.25);
  // The first and the last day of its 4 weeks: dropped.
  cache.Changed("Sunny Garden", "water-leak", kDay - kBaselineDays);
  EXPECT_FALSE(cache.Find(key).has_value());
  cache.Put(key, 0.5);
  cache.Changed("Sunny Garden", "water-leak", kDay - 1);
  EXPECT_FALSE(cache.Find(key).has_value());
}

TEST(BaselineCache, StartsAgainPastItsBound) {
  BaselineCache cache(/*max_rates=*/100);
  for (int i = 0; i <= 100; ++i) cache.Put(BaselineCache::Key("place", std::to_string(i), kDay), 1);
  EXPECT_FALSE(cache.Find(BaselineCache::Key("place", "0", kDay)).has_value());
  EXPECT_TRUE(cache.Find(BaselineCache::Key("place", "100", kDay)).has_value());
}

}  // namespace
}  // namespace complaints::analytics
