// The backlog of a schedule kept in the store, on real RocksDB.
#include "libs/runner/scheduled_backlog.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

std::string Entry(absl::string_view prefix, absl::Time at, absl::string_view name) {
  return absl::StrCat(prefix, EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(at))),
                      name);
}

constexpr Family kTimers = Family::Own(0, "timers");
constexpr Family kMail = Family::Own(1, "mail");

TEST(ScheduledBacklog, CountsWhatIsDueAndHowLongTheOldestWaited) {
  testing::TempDir dir;
  auto store = *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, {kTimers, kMail});
  const absl::Time now = absl::FromUnixSeconds(1'795'000'000);
  Batch batch;
  batch.Put(kTimers, Entry("p0", now - absl::Minutes(5), "a"), "");
  batch.Put(kTimers, Entry("p0", now - absl::Seconds(1), "b"), "");
  batch.Put(kTimers, Entry("p0", now + absl::Seconds(1), "not yet"), "");
  batch.Put(kTimers, Entry("p1", now - absl::Minutes(9), "c"), "");
  batch.Put(kTimers, Entry("p1", now, "due now"), "");
  batch.Put(kTimers, Entry("p2", now - absl::Hours(1), "other queue"), "");
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());

  auto backlog = MeasureBacklog(*store, {"timer", kTimers, {"p0", "p1"}}, now);
  ASSERT_TRUE(backlog.ok()) << backlog.status();
  EXPECT_EQ(backlog->kind, "timer");
  EXPECT_EQ(backlog->due, 4);
  EXPECT_EQ(backlog->lag, absl::Minutes(9));

  auto idle = MeasureBacklog(*store, {"mail", kMail, {"d/"}}, now);
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->due, 0);
  EXPECT_EQ(idle->lag, absl::ZeroDuration());
}

}  // namespace
}  // namespace complaints
