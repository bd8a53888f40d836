// A rebuild written without the write-ahead log (Store::BeginRebuild),
// against real RocksDB on disk; a crash is a child process that exits
// without closing the store.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/store/store.h"
#include "libs/testing/eventually.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using complaints::testing::Eventually;
using complaints::testing::TempDir;

bool Put(Store& store, const std::string& key, Durability durability) {
  Batch batch;
  batch.Put(Family::kState, key, "view of " + key);
  batch.Put(Family::kOffsets, "complaints.intake.v1/0", key);
  return store.Write(std::move(batch), durability).ok() && store.Land().ok();
}

std::optional<std::string> Read(const std::string& path, const std::string& key) {
  auto store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return std::nullopt;
  return *(*store)->Get(Family::kState, key);
}

const std::string kMark = ".rebuilding";

// What a child process does to its store before it dies without closing it
// (no flush, no destructor). The child is this test binary run again
// (fork alone cannot: RocksDB's background threads do not survive it).
const std::map<std::string, std::function<bool(Store&)>>& Scenarios() {
  static const auto* scenarios = new std::map<std::string, std::function<bool(Store&)>>{
      {"logged", [](Store& store) { return Put(store, "C1", Durability::kBuffered); }},
      {"unfinished",
       [](Store& store) {
         // C1 reaches the disk (every family flushed), C2 does not: what a
         // crash leaves of a rebuild may be on disk and still half of it.
         return store.BeginRebuild().ok() && store.rebuilding() &&
                Put(store, "C1", Durability::kBuffered) && store.Purge({}).ok() &&
                Put(store, "C2", Durability::kBehind);
       }},
      {"ended",
       [](Store& store) {
         return store.BeginRebuild().ok() && Put(store, "C1", Durability::kBehind) &&
                store.EndRebuild().ok() && !store.rebuilding() &&
                Put(store, "C2", Durability::kBuffered);
       }},
      {"acknowledged",
       [](Store& store) {
         return store.BeginRebuild().ok() && Put(store, "C1", Durability::kBehind) &&
                Put(store, "C2", Durability::kSynced) && !store.rebuilding() &&
                Put(store, "C3", Durability::kBuffered);
       }},
  };
  return *scenarios;
}

TEST(StoreRebuildChild, RunsAScenarioWhenAskedTo) {
  const char* scenario = std::getenv("STORE_REBUILD_SCENARIO");
  const char* path = std::getenv("STORE_REBUILD_PATH");
  if (scenario == nullptr || path == nullptr) GTEST_SKIP() << "run by CrashAfter only";
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  const auto found = Scenarios().find(scenario);
  if (!store.ok() || found == Scenarios().end() || !found->second(**store)) _exit(2);
  _exit(0);
}

// Runs `scenario` on the store at `path` in a child process that dies
// without closing it.
void CrashAfter(const std::string& path, const std::string& scenario) {
  const std::string filter = "--gtest_filter=StoreRebuildChild.RunsAScenarioWhenAskedTo";
  const std::string scenario_env = "STORE_REBUILD_SCENARIO=" + scenario;
  const std::string path_env = "STORE_REBUILD_PATH=" + path;
  char* argv[] = {const_cast<char*>("/proc/self/exe"), const_cast<char*>(filter.c_str()), nullptr};
  char* envp[] = {const_cast<char*>(scenario_env.c_str()), const_cast<char*>(path_env.c_str()),
                  nullptr};
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, "/proc/self/exe", nullptr, nullptr, argv, envp), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child's scenario " << scenario << " failed";
}

TEST(StoreRebuild, ACrashLosesNothingLoggedButAnUnfinishedRebuildStartsAgainEmpty) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  CrashAfter(path, "logged");
  EXPECT_EQ(Read(path, "C1"), "view of C1") << "a logged write survives the crash";

  const std::string rebuilt = dir.Sub("rebuilt");
  CrashAfter(rebuilt, "unfinished");
  EXPECT_TRUE(std::filesystem::exists(rebuilt + kMark));
  auto store = Store::Open(rebuilt);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->Get(Family::kState, "C1"), std::nullopt) << "on disk, and discarded";
  EXPECT_EQ(*(*store)->Get(Family::kOffsets, "complaints.intake.v1/0"), std::nullopt)
      << "no offset is left to resume from a state that is gone";
  EXPECT_FALSE((*store)->rebuilding());
  EXPECT_FALSE(std::filesystem::exists(rebuilt + kMark));
}

TEST(StoreRebuild, AnEndedRebuildKeepsAllItWroteThroughACrash) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  CrashAfter(path, "ended");
  EXPECT_FALSE(std::filesystem::exists(path + kMark));
  EXPECT_EQ(Read(path, "C1"), "view of C1") << "flushed when the rebuild ended";
  EXPECT_EQ(Read(path, "C2"), "view of C2") << "logged after it";
}

TEST(StoreRebuild, AnAcknowledgedWriteEndsTheRebuildBeforeItIsWritten) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  CrashAfter(path, "acknowledged");
  for (const char* key : {"C1", "C2", "C3"}) {
    EXPECT_EQ(Read(path, key), std::string("view of ") + key) << key;
  }
}

TEST(StoreRebuild, ClosingTheStoreKeepsWhatTheRebuildWrote) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->BeginRebuild().ok());
    ASSERT_TRUE(Put(**store, "C1", Durability::kBehind));
  }
  EXPECT_FALSE(std::filesystem::exists(path + kMark));
  EXPECT_EQ(Read(path, "C1"), "view of C1");
}

TEST(StoreRebuild, NoCopyIsMadeWhileItIsWrittenWithoutTheLog) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->BeginRebuild().ok());
  ASSERT_TRUE(Put(**store, "C1", Durability::kBehind));
  EXPECT_TRUE(absl::IsUnavailable((*store)->Checkpoint(dir.Sub("checkpoint"))));
  EXPECT_TRUE(absl::IsUnavailable((*store)->Backup(dir.Sub("backups"), 2).status()));
  ASSERT_TRUE((*store)->EndRebuild().ok());
  EXPECT_TRUE((*store)->Checkpoint(dir.Sub("checkpoint")).ok());
  EXPECT_TRUE((*store)->Backup(dir.Sub("backups"), 2).ok());
}

// The table files in the store at `path` (every family's).
int TableFiles(const std::string& path) {
  int tables = 0;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    tables += entry.path().extension() == ".sst";
  }
  return tables;
}

// A store being rebuilt, flushed once: `before` is the table files that
// opening it wrote.
class StoreRebuildLevelZero : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open(path);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store = *std::move(opened);
    ASSERT_TRUE(store->BeginRebuild().ok());
    ASSERT_TRUE(store->Purge({}).ok());
    before = TableFiles(path);
  }

  TempDir dir;
  const std::string path = dir.Sub("db");
  std::unique_ptr<Store> store;
  int before = 0;
};

TEST_F(StoreRebuildLevelZero, GathersItsTablesUntilTheRebuildEnds) {
  // Eight flushes of the two families written: eight tables each in level 0,
  // past the usual trigger of 4 and under the rebuild's 16.
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(Put(*store, "C" + std::to_string(i), Durability::kBehind));
    ASSERT_TRUE(store->Purge({}).ok());  // flushes every family
  }
  // A compaction would have merged them within milliseconds.
  EXPECT_FALSE(Eventually([&] { return TableFiles(path) != before + 16; }, absl::Seconds(2)))
      << TableFiles(path) - before << " table files";
  ASSERT_TRUE(store->EndRebuild().ok());
  // Then level 0 is compacted as usual, in the background.
  EXPECT_TRUE(Eventually([&] { return TableFiles(path) < before + 16; }, absl::Seconds(20)))
      << TableFiles(path) - before << " table files";
  for (int i = 0; i < 8; ++i) {
    const std::string key = "C" + std::to_string(i);
    EXPECT_EQ(*store->Get(Family::kState, key), "view of " + key);
  }
}

// The timeline, written and not read during a rebuild, gathers more tables
// than the other families before it is compacted.
TEST_F(StoreRebuildLevelZero, TheTimelineGathersMoreTablesThanTheOtherFamilies) {
  constexpr int kFlushes = 20;  // past the other families' 16
  auto flush_each = [&](Family family, absl::string_view prefix) {
    for (int i = 0; i < kFlushes; ++i) {
      Batch batch;
      batch.Put(family, absl::StrCat(prefix, i), absl::StrCat("entry ", i));
      ASSERT_TRUE(store->Write(std::move(batch), Durability::kBehind).ok());
      ASSERT_TRUE(store->Purge({}).ok());
    }
  };
  flush_each(Family::kTimeline, "T");
  EXPECT_FALSE(Eventually([&] { return TableFiles(path) != before + kFlushes; }, absl::Seconds(2)))
      << TableFiles(path) - before << " table files";
  flush_each(Family::kState, "C");
  // The views' tables are compacted from sixteen on; the timeline's twenty stay.
  EXPECT_TRUE(
      Eventually([&] { return TableFiles(path) < before + 2 * kFlushes; }, absl::Seconds(20)))
      << TableFiles(path) - before << " table files";
  EXPECT_GE(TableFiles(path), before + kFlushes);
  ASSERT_TRUE(store->EndRebuild().ok());
  EXPECT_TRUE(Eventually([&] { return TableFiles(path) < before + kFlushes; }, absl::Seconds(20)))
      << TableFiles(path) - before << " table files";
  std::vector<std::string> entries;
  ASSERT_TRUE(store
                  ->Scan(Family::kTimeline, "T", "U", SIZE_MAX,
                         [&](absl::string_view, absl::string_view value) {
                           entries.emplace_back(value);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(entries.size(), static_cast<size_t>(kFlushes));
  EXPECT_EQ(*store->Get(Family::kState, "C19"), "entry 19");
}

TEST(StoreRebuild, HoldsMoreInMemoryUntilItEndsThenGivesItBack) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store.ok());
  const StoreHealth usual = (*store)->Health();
  EXPECT_EQ(usual.block_cache_capacity, 32u << 20);
  EXPECT_EQ(usual.write_buffer_limit, 32u << 20);
  ASSERT_TRUE((*store)->BeginRebuild().ok());
  const StoreHealth rebuilding = (*store)->Health();
  EXPECT_GT(rebuilding.block_cache_capacity, usual.block_cache_capacity);
  EXPECT_GT(rebuilding.write_buffer_limit, usual.write_buffer_limit);
  // Views written and flushed fill the cache past its usual size (a flushed
  // view's blocks are cached as they are written).
  const std::string view(4 << 10, 'v');
  for (int flush = 0; flush < 12; ++flush) {
    Batch batch;
    for (int i = 0; i < 1000; ++i) {
      batch.Put(Family::kState, absl::StrCat("C", flush, "-", i), absl::StrCat(view, i));
    }
    ASSERT_TRUE((*store)->Write(batch, Durability::kBehind).ok());
    ASSERT_TRUE((*store)->Purge({}).ok());
  }
  EXPECT_GT((*store)->Health().block_cache_bytes, usual.block_cache_capacity);
  ASSERT_TRUE((*store)->EndRebuild().ok());
  const StoreHealth after = (*store)->Health();
  EXPECT_EQ(after.block_cache_capacity, usual.block_cache_capacity);
  EXPECT_EQ(after.write_buffer_limit, usual.write_buffer_limit);
  EXPECT_LE(after.block_cache_bytes, usual.block_cache_capacity);
  EXPECT_EQ(*(*store)->Get(Family::kState, "C11-999"), absl::StrCat(view, 999));
}

}  // namespace
}  // namespace complaints
