// The replay's merge of several partitions: what it hands on, and when.
#include "libs/eventlog/time_merge.h"

#include <map>
#include <random>

#include "gtest/gtest.h"

namespace complaints {
namespace {

ConsumedRecord At(const std::string& topic, int32_t partition, int64_t offset) {
  ConsumedRecord record;
  record.topic = topic;
  record.partition = partition;
  record.offset = offset;
  record.payload = "payload";
  return record;
}

std::vector<std::string> Names(const std::vector<ConsumedRecord>& records) {
  std::vector<std::string> names;
  for (const ConsumedRecord& record : records) {
    names.push_back(record.topic + "/" + std::to_string(record.partition) + "@" +
                    std::to_string(record.offset));
  }
  return names;
}

// Two partitions opened, intake's first; a cap nothing here reaches.
TimeOrderedMerge IntakeThenDispatch() {
  TimeOrderedMerge merge(1 << 20, 1 << 20);
  merge.Open("intake", 0);
  merge.Open("dispatch", 0);
  return merge;
}

TEST(TimeOrderedMergeTest, HandsRecordsOnInTheOrderTheyWereWritten) {
  TimeOrderedMerge merge = IntakeThenDispatch();
  merge.Add(At("intake", 0, 0), 100);
  merge.Add(At("intake", 0, 1), 300);
  merge.Add(At("dispatch", 0, 0), 200);
  merge.Add(At("dispatch", 0, 1), 400);
  std::vector<ConsumedRecord> out;
  // dispatch@1 waits: intake may still hold something earlier than it.
  EXPECT_EQ(merge.Release(10, &out), 3u);
  EXPECT_EQ(Names(out), (std::vector<std::string>{"intake/0@0", "dispatch/0@0", "intake/0@1"}));
  merge.End("intake", 0);
  EXPECT_EQ(merge.Release(10, &out), 1u);
  EXPECT_EQ(out.back().topic, "dispatch");
  EXPECT_FALSE(merge.done());
  merge.End("dispatch", 0);
  EXPECT_TRUE(merge.done());
  EXPECT_EQ(merge.released_early(), 0u);
}

TEST(TimeOrderedMergeTest, WaitsForAPartitionThatHasSentNothingYet) {
  TimeOrderedMerge merge = IntakeThenDispatch();
  merge.Add(At("dispatch", 0, 0), 200);
  std::vector<ConsumedRecord> out;
  EXPECT_EQ(merge.Release(10, &out), 0u);
  merge.Add(At("intake", 0, 0), 100);
  EXPECT_EQ(merge.Release(10, &out), 1u);
  EXPECT_EQ(Names(out), (std::vector<std::string>{"intake/0@0"}));
  // An ended partition no longer holds the others back.
  merge.End("intake", 0);
  EXPECT_EQ(merge.Release(10, &out), 1u);
  EXPECT_EQ(out.back().topic, "dispatch");
}

TEST(TimeOrderedMergeTest, EqualTimesGoInTheOrderThePartitionsWereOpened) {
  TimeOrderedMerge merge = IntakeThenDispatch();
  merge.Add(At("dispatch", 0, 0), 100);
  merge.Add(At("intake", 0, 0), 100);
  merge.End("intake", 0);
  merge.End("dispatch", 0);
  std::vector<ConsumedRecord> out;
  EXPECT_EQ(merge.Release(10, &out), 2u);
  EXPECT_EQ(Names(out), (std::vector<std::string>{"intake/0@0", "dispatch/0@0"}));
}

TEST(TimeOrderedMergeTest, ReleasesNoMoreThanAsked) {
  TimeOrderedMerge merge(1 << 20, 1 << 20);
  merge.Open("intake", 0);
  for (int64_t offset = 0; offset < 5; ++offset) merge.Add(At("intake", 0, offset), offset);
  merge.End("intake", 0);
  std::vector<ConsumedRecord> out;
  EXPECT_EQ(merge.Release(2, &out), 2u);
  EXPECT_EQ(merge.Release(2, &out), 2u);
  EXPECT_EQ(merge.Release(2, &out), 1u);
  EXPECT_TRUE(merge.done());
  EXPECT_EQ(merge.buffered_bytes(), 0u);
}

// A partition far ahead in time cannot hold memory without bound: past the
// cap the earliest waiting record goes out, and only until under it again.
TEST(TimeOrderedMergeTest, PastItsCapHandsOnTheEarliestRegardless) {
  const size_t one = At("analytics", 0, 0).payload.size() + std::string("analytics").size();
  TimeOrderedMerge merge(3 * one, 1 << 20);
  merge.Open("intake", 0);
  merge.Open("analytics", 0);
  for (int64_t offset = 0; offset < 5; ++offset) {
    merge.Add(At("analytics", 0, offset), 1000 + offset);
  }
  EXPECT_EQ(merge.buffered_bytes(), 5 * one);
  std::vector<ConsumedRecord> out;
  EXPECT_EQ(merge.Release(10, &out), 2u);
  EXPECT_EQ(Names(out), (std::vector<std::string>{"analytics/0@0", "analytics/0@1"}));
  EXPECT_EQ(merge.buffered_bytes(), 3 * one);
  EXPECT_EQ(merge.released_early(), 2u);
  EXPECT_EQ(merge.peak_buffered_bytes(), 5 * one);
}

// A partition ahead in time is paused once it holds more than its share,
// and resumed below half of it: its reader's fetches go to the others.
TEST(TimeOrderedMergeTest, PausesAPartitionThatRunsAheadAndResumesItBelowHalf) {
  const size_t one = At("analytics", 0, 0).payload.size() + std::string("analytics").size();
  TimeOrderedMerge merge(1 << 20, 4 * one);
  merge.Open("intake", 0);
  merge.Open("analytics", 0);
  for (int64_t offset = 0; offset < 4; ++offset) merge.Add(At("analytics", 0, offset), 10 + offset);
  EXPECT_TRUE(merge.TakeFlowChanges().pause.empty());
  merge.Add(At("analytics", 0, 4), 14);
  TimeOrderedMerge::FlowChanges changes = merge.TakeFlowChanges();
  ASSERT_EQ(changes.pause.size(), 1u);
  EXPECT_EQ(changes.pause[0].topic, "analytics");
  EXPECT_TRUE(changes.resume.empty());
  EXPECT_TRUE(merge.TakeFlowChanges().pause.empty()) << "each change is reported once";
  std::vector<ConsumedRecord> out;
  merge.Add(At("intake", 0, 0), 100);
  // 5 analytics records go out; from 2 left (under half of 4) it resumes.
  EXPECT_EQ(merge.Release(3, &out), 3u);
  EXPECT_TRUE(merge.TakeFlowChanges().resume.empty());
  EXPECT_EQ(merge.Release(1, &out), 1u);
  changes = merge.TakeFlowChanges();
  ASSERT_EQ(changes.resume.size(), 1u);
  EXPECT_EQ(changes.resume[0].topic, "analytics");
  EXPECT_EQ(changes.resume[0].partition, 0);
}

// A resumed partition may be read again from an earlier offset: what was
// added already is not added twice.
TEST(TimeOrderedMergeTest, DropsARecordItHasAlreadyHad) {
  TimeOrderedMerge merge = IntakeThenDispatch();
  EXPECT_TRUE(merge.Add(At("intake", 0, 0), 100));
  EXPECT_TRUE(merge.Add(At("intake", 0, 1), 101));
  EXPECT_FALSE(merge.Add(At("intake", 0, 1), 101));
  EXPECT_FALSE(merge.Add(At("intake", 0, 0), 100));
  EXPECT_TRUE(merge.Add(At("intake", 0, 5), 105)) << "a compacted topic skips offsets";
  merge.End("intake", 0);
  merge.End("dispatch", 0);
  std::vector<ConsumedRecord> out;
  EXPECT_EQ(merge.Release(10, &out), 3u);
  EXPECT_EQ(Names(out), (std::vector<std::string>{"intake/0@0", "intake/0@1", "intake/0@5"}));
}

// Whatever order the partitions' records arrive in, each partition's go out
// in offset order, all of them once, and (within the cap) earliest first.
TEST(TimeOrderedMergeTest, AnyArrivalOrderGivesEachPartitionsOrderAndTimeOrder) {
  std::mt19937 random(20261207);
  for (int round = 0; round < 200; ++round) {
    const int partitions = 1 + static_cast<int>(random() % 6);
    std::vector<std::vector<std::pair<ConsumedRecord, int64_t>>> written(partitions);
    for (int p = 0; p < partitions; ++p) {
      int64_t time = random() % 50;
      const int count = static_cast<int>(random() % 20);
      for (int offset = 0; offset < count; ++offset) {
        time += random() % 30;
        written[p].push_back({At("t" + std::to_string(p % 3), p, offset), time});
      }
    }
    TimeOrderedMerge merge(1 << 30, 1 << 30);
    for (int p = 0; p < partitions; ++p) merge.Open("t" + std::to_string(p % 3), p);
    std::vector<size_t> next(partitions, 0);
    std::vector<ConsumedRecord> out;
    std::map<std::string, int64_t> time_of;
    for (int p = 0; p < partitions; ++p) {
      for (const auto& [record, time] : written[p]) {
        time_of[Names({record})[0]] = time;
      }
      if (written[p].empty()) merge.End("t" + std::to_string(p % 3), p);
    }
    bool more = true;
    while (more) {
      more = false;
      const int p = static_cast<int>(random() % partitions);
      if (next[p] < written[p].size()) {
        merge.Add(written[p][next[p]].first, written[p][next[p]].second);
        if (++next[p] == written[p].size()) merge.End("t" + std::to_string(p % 3), p);
      }
      merge.Release(1 + random() % 4, &out);
      for (int q = 0; q < partitions; ++q) more = more || next[q] < written[q].size();
    }
    merge.Release(1 << 20, &out);
    ASSERT_TRUE(merge.done());
    size_t total = 0;
    for (const auto& records : written) total += records.size();
    ASSERT_EQ(out.size(), total);
    std::map<int32_t, int64_t> last_offset;
    int64_t last_time = -1;
    for (const ConsumedRecord& record : out) {
      auto [it, fresh] = last_offset.try_emplace(record.partition, -1);
      EXPECT_EQ(record.offset, it->second + 1) << "partition " << record.partition;
      it->second = record.offset;
      const int64_t time = time_of[Names({record})[0]];
      EXPECT_GE(time, last_time);
      last_time = time;
    }
  }
}

}  // namespace
}  // namespace complaints
