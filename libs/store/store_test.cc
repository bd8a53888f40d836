// Store adapter against real RocksDB on disk.
#include "libs/store/store.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"
#include "rocksdb/db.h"

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

constexpr Family kNotes = Family::Own(0, "notes");
constexpr Family kSealed = Family::Own(1, "sealed", /*compressible=*/false);

TEST(Store, AServiceDeclaresItsOwnFamilies) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), Store::kDefaultPartitions, {kNotes, kSealed});
    ASSERT_TRUE(store.ok()) << store.status();
    Batch batch;
    batch.Put(kNotes, "C1", "a note");
    batch.Put(kSealed, "C1", "sealed bytes");
    ASSERT_TRUE((*store)->Write(batch, Durability::kSynced).ok());
    EXPECT_EQ(*(*store)->Get(kNotes, "C1"), std::optional<std::string>("a note"));
    EXPECT_EQ(*(*store)->Get(Family::kState, "C1"), std::nullopt) << "a key space of its own";
  }
  // Opened without them (another layout): the families on disk are still
  // opened and reachable by name, but a write to an undeclared one is an
  // error that writes nothing.
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  std::map<std::string, Family> by_name;
  for (const Family& family : (*store)->families()) by_name.emplace(family.name(), family);
  ASSERT_EQ(by_name.count("notes"), 1u);
  EXPECT_EQ(by_name.count("sealed"), 1u);
  EXPECT_EQ(by_name.count("state"), 1u);
  EXPECT_EQ(*(*store)->Get(by_name.at("notes"), "C1"), std::optional<std::string>("a note"));
  Batch batch;
  batch.Put(Family::kState, "C2", "view");
  batch.Put(kNotes, "C2", "undeclared");
  const absl::Status refused = (*store)->Write(batch, Durability::kSynced);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInternal);
  EXPECT_NE(refused.message().find("notes"), std::string::npos) << refused;
  EXPECT_EQ(*(*store)->Get(Family::kState, "C2"), std::nullopt) << "nothing of the batch";
  EXPECT_EQ((*store)->Get(kNotes, "C1").status().code(), absl::StatusCode::kInternal);
}

TEST(Store, TwoFamiliesOfOneSlotOrNameAreRefused) {
  TempDir dir;
  EXPECT_EQ(Store::Open(dir.Sub("a"), Store::kDefaultPartitions, {kNotes, Family::Own(0, "other")})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open(dir.Sub("b"), Store::kDefaultPartitions, {kNotes, Family::Own(2, "notes")})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open(dir.Sub("c"), Store::kDefaultPartitions, {Family::Own(3, "state")})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument)
      << "a shared family's name";
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

TEST(Store, APrefixScanSeesOnlyThatPrefix) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  Batch batch;
  for (absl::string_view key : {"a", "ab", "ab\xff", "ab\xff\xff", "ac", "b", "\xff\xff"}) {
    batch.Put(Family::kParked, key, "x");
  }
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  const auto keys = [&](absl::string_view prefix) {
    std::vector<std::string> seen;
    EXPECT_TRUE(store
                    ->ScanPrefix(Family::kParked, prefix, SIZE_MAX,
                                 [&](absl::string_view key, absl::string_view) {
                                   seen.emplace_back(key);
                                   return true;
                                 })
                    .ok());
    return seen;
  };
  EXPECT_EQ(keys("ab"), (std::vector<std::string>{"ab", "ab\xff", "ab\xff\xff"}));
  EXPECT_EQ(keys("ab\xff"), (std::vector<std::string>{"ab\xff", "ab\xff\xff"}));
  EXPECT_EQ(keys("\xff"), (std::vector<std::string>{"\xff\xff"}));
  EXPECT_EQ(keys("c"), (std::vector<std::string>{}));
  EXPECT_EQ(Store::PrefixEnd("ab"), "ac");
  EXPECT_EQ(Store::PrefixEnd("a\xff"), "b");
  EXPECT_EQ(Store::PrefixEnd("\xff\xff"), "");
}

// A delete removes a key stored before; within a batch the last operation on
// a key is what is stored.
TEST(Store, DeletesAndTheLastOperationOnAKeyInABatch) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  Batch first;
  first.Put(Family::kCounts, "gone", "1");
  first.Put(Family::kIdempotency, "key", "v");
  ASSERT_TRUE(store->Write(first, Durability::kSynced).ok());
  Batch batch;
  batch.Put(Family::kCounts, "k", "1");
  batch.Put(Family::kState, "k", "state");  // another family: its own key
  batch.Put(Family::kCounts, "k", "2");
  batch.Delete(Family::kCounts, "j");
  batch.Put(Family::kCounts, "j", "3");
  batch.Put(Family::kCounts, "m", "4");
  batch.Delete(Family::kCounts, "m");
  batch.Put(Family::kCounts, "gone", "5");
  batch.Delete(Family::kCounts, "gone");
  batch.Put(Family::kCounts, "k", "6");
  batch.Delete(Family::kIdempotency, "key");
  ASSERT_TRUE(store->Write(batch, Durability::kSynced).ok());
  EXPECT_EQ(*store->Get(Family::kIdempotency, "key"), std::nullopt);
  EXPECT_EQ(*store->Get(Family::kCounts, "k"), std::optional<std::string>("6"));
  EXPECT_EQ(*store->Get(Family::kState, "k"), std::optional<std::string>("state"));
  EXPECT_EQ(*store->Get(Family::kCounts, "j"), std::optional<std::string>("3"));
  EXPECT_EQ(*store->Get(Family::kCounts, "m"), std::nullopt);
  EXPECT_EQ(*store->Get(Family::kCounts, "gone"), std::nullopt);
}

TEST(Store, AWriteBehindIsReadAtOnceAndLandsBeforeWhatFollows) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    Batch before;
    before.Put(Family::kState, "C1", "stored");
    before.Put(Family::kState, "C2", "to be deleted");
    ASSERT_TRUE((*store)->Write(before, Durability::kBuffered).ok());
    for (int round = 0; round < 50; ++round) {
      Batch behind;
      behind.Put(Family::kState, "C1", "first");
      behind.Put(Family::kState, "C1", absl::StrCat("round ", round));
      behind.Delete(Family::kState, "C2");
      behind.Put(Family::kOffsets, "complaints.intake.v1/0", absl::StrCat(round));
      ASSERT_TRUE((*store)->Write(std::move(behind), Durability::kBehind).ok());
      // Whether it has landed or not, a read sees it: the last operation on
      // each key, a deletion included.
      EXPECT_EQ(*(*store)->Get(Family::kState, "C1"),
                std::optional<std::string>(absl::StrCat("round ", round)));
      EXPECT_EQ(*(*store)->Get(Family::kState, "C2"), std::nullopt);
      EXPECT_EQ(*(*store)->Get(Family::kState, "C3"), std::nullopt);
    }
    // A write after it lands after it; a scan waits for it.
    Batch after;
    after.Put(Family::kState, "C3", "after");
    ASSERT_TRUE((*store)->Write(after, Durability::kBuffered).ok());
    std::vector<std::string> scanned;
    ASSERT_TRUE((*store)
                    ->Scan(Family::kState, "", "", SIZE_MAX,
                           [&](absl::string_view key, absl::string_view value) {
                             scanned.push_back(absl::StrCat(key, "=", value));
                             return true;
                           })
                    .ok());
    EXPECT_EQ(scanned, (std::vector<std::string>{"C1=round 49", "C3=after"}));
    Batch last;
    last.Put(Family::kState, "C4", "behind at the end");
    ASSERT_TRUE((*store)->Write(last, Durability::kBehind).ok());
    ASSERT_TRUE((*store)->Land().ok());
  }
  // Landed means written: all of it is there after a reopen.
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->Get(Family::kState, "C1"), std::optional<std::string>("round 49"));
  EXPECT_EQ(*(*store)->Get(Family::kState, "C2"), std::nullopt);
  EXPECT_EQ(*(*store)->Get(Family::kState, "C4"), std::optional<std::string>("behind at the end"));
  EXPECT_EQ(*(*store)->Get(Family::kOffsets, "complaints.intake.v1/0"),
            std::optional<std::string>("49"));
}

TEST(Store, AWriteBehindToAnUndeclaredFamilyIsRefusedAtOnce) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  Batch batch;
  batch.Put(Family::kState, "C1", "view");
  batch.Put(kNotes, "C1", "a note");
  EXPECT_EQ((*store)->Write(std::move(batch), Durability::kBehind).code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(*(*store)->Get(Family::kState, "C1"), std::nullopt) << "nothing of it written";
  EXPECT_TRUE((*store)->Land().ok()) << "a refusal is not a failed write";
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

TEST(Store, ABackupRestoresTheStoreAsItWasWithItsOffsets) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  Batch first;
  first.Put(Family::kState, "C1", "view 1");
  first.Put(Family::kOffsets, "complaints.intake.v1/0", "10");
  ASSERT_TRUE((*store)->Write(first, Durability::kBuffered).ok());  // in the WAL only
  auto backup = (*store)->Backup(dir.Sub("backups"), 2);
  ASSERT_TRUE(backup.ok()) << backup.status();
  Batch later;
  later.Put(Family::kState, "C2", "view 2");
  later.Put(Family::kOffsets, "complaints.intake.v1/0", "20");
  ASSERT_TRUE((*store)->Write(later, Durability::kBuffered).ok());
  ASSERT_TRUE((*store)->Backup(dir.Sub("backups"), 2).ok());
  ASSERT_TRUE((*store)->Backup(dir.Sub("backups"), 2).ok());
  auto listed = Store::ListBackups(dir.Sub("backups"));
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u) << "retention keeps the newest two";
  EXPECT_GT(listed->front().id, backup->id) << "the first was purged";

  auto purged = Store::RestoreBackup(dir.Sub("backups"), backup->id, dir.Sub("restored"));
  EXPECT_EQ(purged.status().code(), absl::StatusCode::kNotFound) << purged.status();
  auto restored = Store::RestoreBackup(dir.Sub("backups"), 0, dir.Sub("restored"));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->id, listed->back().id) << "0 means the newest";
  auto again = Store::RestoreBackup(dir.Sub("backups"), 0, dir.Sub("restored"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition)
      << "a restore never overwrites a database";
  auto reopened = Store::Open(dir.Sub("restored"));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get(Family::kState, "C2"), std::optional<std::string>("view 2"));
  EXPECT_EQ(*(*reopened)->Get(Family::kOffsets, "complaints.intake.v1/0"),
            std::optional<std::string>("20"));
  EXPECT_EQ(Store::ListBackups(dir.Sub("none")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->Backup(dir.Sub("backups"), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Store, HealthReadsRocksDbsStallCounters) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  const StoreHealth health = (*store)->Health();
  EXPECT_FALSE(health.write_stopped);
  EXPECT_EQ(health.stall_stops, 0u);
  // The property names Health reads must exist in the RocksDB linked here.
  std::map<std::string, std::string> stats;
  rocksdb::DB* db = nullptr;
  store->reset();
  rocksdb::Options options;
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, dir.Sub("db"), &families).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : families)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ASSERT_TRUE(
      rocksdb::DB::OpenForReadOnly(options, dir.Sub("db"), descriptors, &handles, &db).ok());
  ASSERT_TRUE(db->GetMapProperty(handles[0], rocksdb::DB::Properties::kCFStats, &stats));
  EXPECT_EQ(stats.count("io_stalls.total_slowdown"), 1u);
  EXPECT_EQ(stats.count("io_stalls.total_stop"), 1u);
  for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
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
