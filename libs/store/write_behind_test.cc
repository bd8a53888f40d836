// The writer thread behind Durability::kBehind, with a writer the test holds
// back or fails (libs/store/store_test.cc writes to RocksDB through it).
#include "libs/store/write_behind.h"

#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace complaints {
namespace {

constexpr Family kState = Family::kState;

Batch Put(absl::string_view key, absl::string_view value) {
  Batch batch;
  batch.Put(kState, key, value);
  return batch;
}

TEST(WriteBehind, WritesBatchesInTheOrderHandedAndShowsTheOneInFlight) {
  absl::Mutex mu;
  std::vector<std::string> written;
  absl::Notification release;
  WriteBehind behind([&](const Batch& batch, const LastOps& last) {
    release.WaitForNotification();
    absl::MutexLock lock(&mu);
    written.push_back(std::to_string(batch.size()) + "/" + std::to_string(last.size()));
    return absl::OkStatus();
  });
  Batch first = Put("C1", "a");
  first.Put(kState, "C1", "b");
  first.Delete(kState, "C2");
  ASSERT_TRUE(behind.Hand(std::move(first)).ok());
  // Held back in the writer: the overlay answers with each key's last operation.
  EXPECT_EQ(behind.Find(kState.index(), "C1"), std::optional<std::optional<std::string>>("b"));
  EXPECT_EQ(behind.Find(kState.index(), "C2"),
            std::optional<std::optional<std::string>>(std::optional<std::string>()));
  EXPECT_EQ(behind.Find(kState.index(), "C3"), std::nullopt);
  EXPECT_EQ(behind.Find(Family::kOffsets.index(), "C1"), std::nullopt) << "another family";
  release.Notify();
  ASSERT_TRUE(behind.Hand(Put("C3", "c")).ok());  // waits for the first to land
  ASSERT_TRUE(behind.Land().ok());
  EXPECT_EQ(behind.Find(kState.index(), "C3"), std::nullopt) << "landed: the store answers";
  absl::MutexLock lock(&mu);
  EXPECT_EQ(written, (std::vector<std::string>{"3/2", "1/1"}));
}

TEST(WriteBehind, AFailedBatchFailsEveryLaterOneAndWritesNothingMore) {
  int writes = 0;
  WriteBehind behind([&](const Batch&, const LastOps&) {
    ++writes;
    return absl::InternalError("rocksdb write: IO error: no space left");
  });
  ASSERT_TRUE(behind.Hand(Put("C1", "a")).ok()) << "handed, not written yet";
  EXPECT_EQ(behind.Land().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(behind.Hand(Put("C2", "b")).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(behind.Land().code(), absl::StatusCode::kInternal) << "for good";
  EXPECT_EQ(writes, 1);
}

TEST(WriteBehind, ItsEndLandsWhatIsInFlight) {
  std::vector<std::string> written;
  {
    WriteBehind behind([&](const Batch& batch, const LastOps&) {
      written.push_back(std::to_string(batch.size()));
      return absl::OkStatus();
    });
    Batch two = Put("C1", "a");
    two.Put(kState, "C2", "b");
    ASSERT_TRUE(behind.Hand(std::move(two)).ok());
  }
  EXPECT_EQ(written, (std::vector<std::string>{"2"}));
}

}  // namespace
}  // namespace complaints
