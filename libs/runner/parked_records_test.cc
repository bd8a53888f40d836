#include "libs/runner/parked_records.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'780'000'000);

v1::Envelope Event(const std::string& complaint_id, v1::Writer writer, int64_t sequence) {
  v1::Envelope event;
  event.set_complaint_id(complaint_id);
  event.set_writer(writer);
  event.set_sequence(sequence);
  return event;
}

v1::ParkedRecord Entry(absl::Time parked_at, const std::string& waiting_for) {
  v1::ParkedRecord entry;
  entry.set_waiting_for(waiting_for);
  *entry.mutable_parked_at() = ToProto(parked_at);
  return entry;
}

class ParkedChangesTest : public ::testing::Test {
 protected:
  // Parks `event` at `at` in a unit of its own, written to the store.
  std::string ParkStored(const v1::Envelope& event, absl::Time at) {
    Batch batch;
    ParkedChanges changes(store_.get(), &batch);
    const std::string key = changes.KeyOf(event);
    changes.Park(key, Entry(at, "stored"), nullptr);
    EXPECT_TRUE(store_->Write(batch, Durability::kBuffered).ok());
    return key;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_ = *Store::Open(dir_.Sub("db"), 6);
};

TEST_F(ParkedChangesTest, AComplaintsRecordsAreTheStoresWithTheUnitsOnTop) {
  const std::string stored = ParkStored(Event("c-1", v1::WRITER_DISPATCH, 3), kT0);
  ParkStored(Event("c-2", v1::WRITER_DISPATCH, 2), kT0);
  Batch batch;
  ParkedChanges changes(store_.get(), &batch);
  const std::string added = changes.KeyOf(Event("c-1", v1::WRITER_TRACKING, 2));
  changes.Park(added, Entry(kT0 + absl::Seconds(1), "added"), nullptr);
  auto parked = changes.For("c-1");
  ASSERT_TRUE(parked.ok()) << parked.status();
  ASSERT_EQ(parked->size(), 2u) << "c-2's record is not c-1's";
  EXPECT_EQ(parked->at(stored).waiting_for(), "stored");
  EXPECT_EQ(parked->at(added).waiting_for(), "added");
  // Released in this unit: gone from what it sees, still in the store.
  changes.Release(stored, parked->at(stored));
  parked = changes.For("c-1");
  ASSERT_TRUE(parked.ok());
  EXPECT_EQ(parked->count(stored), 0u);
  EXPECT_EQ(parked->count(added), 1u);
  EXPECT_TRUE(store_->Get(Family::kParked, stored)->has_value());
  // Written: the store holds what the unit left, and its time index.
  ASSERT_TRUE(store_->Write(batch, Durability::kBuffered).ok());
  EXPECT_FALSE(store_->Get(Family::kParked, stored)->has_value());
  Batch index;
  absl::flat_hash_set<std::string> ids;
  auto counted = ParkedChanges::CountStored(*store_, ids, index);
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(*counted, 2);
  EXPECT_EQ(ids, (absl::flat_hash_set<std::string>{"c-1", "c-2"}));
  EXPECT_FALSE(index.empty());
}

TEST_F(ParkedChangesTest, ExpiredVisitsWhatWaitedSinceBeforeTheCutoffAndIsUntouched) {
  const std::string old = ParkStored(Event("c-1", v1::WRITER_DISPATCH, 2), kT0);
  const std::string touched = ParkStored(Event("c-2", v1::WRITER_DISPATCH, 2), kT0);
  ParkStored(Event("c-3", v1::WRITER_DISPATCH, 2), kT0 + absl::Minutes(5));
  Batch batch;
  ParkedChanges changes(store_.get(), &batch);
  auto c2 = changes.For("c-2");
  ASSERT_TRUE(c2.ok());
  changes.Release(touched, c2->at(touched));
  std::vector<std::string> visited;
  ASSERT_TRUE(changes
                  .Expired(kT0 + absl::Minutes(1),
                           [&](const std::string& key, const v1::ParkedRecord& entry) {
                             EXPECT_EQ(entry.waiting_for(), "stored");
                             visited.push_back(key);
                             return absl::OkStatus();
                           })
                  .ok());
  EXPECT_EQ(visited, std::vector<std::string>{old});
}

TEST_F(ParkedChangesTest, AnUnreadableRecordIsDataLoss) {
  const std::string key = ParkStored(Event("c-1", v1::WRITER_DISPATCH, 2), kT0);
  Batch corrupt;
  corrupt.Put(Family::kParked, key, "\xff\xff\xff");
  ASSERT_TRUE(store_->Write(corrupt, Durability::kBuffered).ok());
  Batch batch;
  ParkedChanges changes(store_.get(), &batch);
  EXPECT_EQ(changes.For("c-1").status().code(), absl::StatusCode::kDataLoss);
  absl::flat_hash_set<std::string> ids;
  Batch index;
  EXPECT_EQ(ParkedChanges::CountStored(*store_, ids, index).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace complaints
