// Store adapter against real RocksDB on disk.
#include "libs/store/store.h"

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using complaints::testing::TempDir;

TEST(Store, BatchIsAtomicAcrossFamiliesAndSurvivesReopen) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    Batch batch;
    batch.Put(Family::kState, "C1", "view");
    batch.Put(Family::kOffsets, "complaints.intake.v1/0", "42");
    batch.Put(Family::kOutbox, EncodeOrderedKey(1), "event");
    ASSERT_TRUE((*store)->Write(batch, Durability::kSynced).ok());
  }
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->Get(Family::kState, "C1"), std::optional<std::string>("view"));
  EXPECT_EQ(*(*store)->Get(Family::kOffsets, "complaints.intake.v1/0"),
            std::optional<std::string>("42"));
  EXPECT_EQ(*(*store)->Get(Family::kState, "complaints.intake.v1/0"), std::nullopt)
      << "families are separate key spaces";
}

TEST(Store, ScanIsOrderedBoundedAndLimited) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  Batch batch;
  for (uint64_t i = 1; i <= 10; ++i) batch.Put(Family::kOutbox, EncodeOrderedKey(i * 300), "x");
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  std::vector<uint64_t> seen;
  ASSERT_TRUE(store
                  ->Scan(Family::kOutbox, EncodeOrderedKey(600), EncodeOrderedKey(2400), 4,
                         [&](absl::string_view key, absl::string_view) {
                           seen.push_back(DecodeOrderedKey(key));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{600, 900, 1200, 1500}));
}

TEST(Store, DeleteRemovesKey) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  Batch put;
  put.Put(Family::kIdempotency, "k", "v");
  ASSERT_TRUE(store->Write(put, Durability::kSynced).ok());
  Batch remove;
  remove.Delete(Family::kIdempotency, "k");
  ASSERT_TRUE(store->Write(remove, Durability::kSynced).ok());
  EXPECT_EQ(*store->Get(Family::kIdempotency, "k"), std::nullopt);
}

TEST(Store, CheckpointIsAnOpenableCopy) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  Batch batch;
  batch.Put(Family::kCounts, "2026-11-26|plumbing", "7");
  ASSERT_TRUE(store->Write(batch, Durability::kSynced).ok());
  ASSERT_TRUE(store->Checkpoint(dir.Sub("backup")).ok());
  auto copy = Store::Open(dir.Sub("backup"));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(*(*copy)->Get(Family::kCounts, "2026-11-26|plumbing"), std::optional<std::string>("7"));
}

TEST(Store, AStoreKeepsThePartitionCountItWasMadeFor) {
  TempDir dir;
  { ASSERT_EQ((*Store::Open(dir.Sub("db"), 12))->partitions(), 12); }
  EXPECT_TRUE(Store::Open(dir.Sub("db"), 12).ok());
  const auto other = Store::Open(dir.Sub("db"), 6);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.status().message().find("12 partitions, not 6"), std::string::npos)
      << other.status();
  EXPECT_EQ(Store::Open(dir.Sub("other"), 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Store, OrderedKeysSortNumerically) {
  EXPECT_LT(EncodeOrderedKey(255), EncodeOrderedKey(256));
  EXPECT_EQ(DecodeOrderedKey(EncodeOrderedKey(0x0102030405060708ull)), 0x0102030405060708ull);
}

}  // namespace
}  // namespace complaints
