// The assignment feed's epoch: it lands with the feed's first changes, so a
// rebuild's replayed assignments do not end the rebuild's unlogged writes,
// and a cursor names an epoch that outlives a restart.
#include "services/dispatch/app/assignment_feed.h"

#include "gtest/gtest.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/app/dispatch_families.h"

namespace complaints::dispatch {
namespace {

using complaints::testing::FakeClock;
using complaints::testing::TempDir;

v1::AssignmentChange Assigned(const std::string& complaint_id) {
  v1::AssignmentChange change;
  change.set_complaint_id(complaint_id);
  change.set_department("engineering");
  return change;
}

std::string EpochOf(const std::string& cursor) { return cursor.substr(0, cursor.find('.')); }

// Stages `changes` and writes them as a consumed batch is written (unsynced).
void StageAndWrite(AssignmentFeed& feed, Store& store,
                   const std::vector<v1::AssignmentChange>& changes) {
  Batch batch;
  ASSERT_TRUE(feed.Stage(batch, changes).ok());
  ASSERT_TRUE(store.Write(batch, Durability::kBuffered).ok());
}

class AssignmentFeedTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() {
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, kFamilies);
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
};

TEST_F(AssignmentFeedTest, AReplayedAssignmentKeepsTheRebuildGoingAndItsEpochLandsWithIt) {
  std::string cursor;
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_TRUE(store->BeginRebuild().ok());
    AssignmentFeed feed(store.get(), &clock_);
    StageAndWrite(feed, *store, {Assigned("C1"), Assigned("C2")});
    EXPECT_TRUE(store->rebuilding()) << "nothing synced: the rebuild's writes stay unlogged";
    ASSERT_TRUE(store->EndRebuild().ok());
    absl::StatusOr<AssignmentFeed::Page> page = feed.After("engineering", "", "");
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->changes.size(), 2u);
    cursor = page->cursor;
  }
  // Restarted: the same epoch, so the cursor still counts.
  std::unique_ptr<Store> store = Open();
  clock_.Advance(absl::Hours(1));
  AssignmentFeed feed(store.get(), &clock_);
  StageAndWrite(feed, *store, {Assigned("C3")});
  absl::StatusOr<AssignmentFeed::Page> page = feed.After("engineering", "", cursor);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 1u);
  EXPECT_EQ(EpochOf(page->cursor), EpochOf(cursor));
}

TEST_F(AssignmentFeedTest, ACursorGivenBeforeAnyChangeNamesAnEpochThatOutlivesARestart) {
  std::string cursor;
  {
    std::unique_ptr<Store> store = Open();
    AssignmentFeed feed(store.get(), &clock_);
    absl::StatusOr<AssignmentFeed::Page> page = feed.After("engineering", "", "");
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_TRUE(page->changes.empty());
    cursor = page->cursor;
  }
  std::unique_ptr<Store> store = Open();
  clock_.Advance(absl::Hours(1));  // a new epoch would be another number
  AssignmentFeed feed(store.get(), &clock_);
  StageAndWrite(feed, *store, {Assigned("C1")});
  absl::StatusOr<AssignmentFeed::Page> page = feed.After("engineering", "", cursor);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->changes.size(), 1u);
}

}  // namespace
}  // namespace complaints::dispatch
