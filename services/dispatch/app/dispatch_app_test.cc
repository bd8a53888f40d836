// The dispatch shell on real RocksDB: consumed events in, assignments and offsets out, once.
#include "services/dispatch/app/dispatch_app.h"

#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/app/dispatch_families.h"
#include "services/dispatch/app/open_work.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using namespace complaints::testing;

ConsumedRecord Record(const v1::Envelope& event, int64_t offset) {
  return ConsumedOf(topics::kIntake, event, offset);
}

// Dispatch over real RocksDB with the test routing table and a fixed clock.
class DispatchAppTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store =
      *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, dispatch::kFamilies);
  std::unique_ptr<Outbox> outbox =
      *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_DISPATCH));
  std::unique_ptr<DeadLetters> letters = *DeadLetters::Open(store.get());
  Router router = *Router::Create(TestRouting());
  FakeClock clock{absl::FromUnixSeconds(1'795'000'000)};
  DispatchApp app{{{store.get(), outbox.get(), letters.get(), &clock}, &router}};
};

TEST_F(DispatchAppTest, ClassifiedEventLeadsToOneAssignmentEvenWhenRedelivered) {
  const std::vector<ConsumedRecord> batch = {
      Record(Received("C1"), 10), Record(Classified("C1", "safety", v1::PRIORITY_P1), 11),
      Record(CallbackScheduled("C1"), 12)};

  ASSERT_TRUE(app.Apply(batch).ok());
  ASSERT_TRUE(app.Apply(batch).ok()) << "a redelivered batch";

  std::vector<v1::Envelope> out = Outboxed(*store);
  ASSERT_EQ(out.size(), 2u) << "the assignment and the receiver's briefing";
  EXPECT_EQ(out[0].event_id(), "C1/dispatch/1");
  EXPECT_EQ(out[0].assigned().department(), "security");
  EXPECT_EQ(out[0].assigned().handler(), "sec.chen");
  EXPECT_TRUE(out[1].has_receiver_briefed());
  EXPECT_EQ(out[0].causation_id(), "C1/intake/3") << "the call-back task let it go";
  EXPECT_EQ(out[0].actor().id(), "dispatch");
  const std::string home = std::to_string(PartitionOf("C1", store->partitions()));
  EXPECT_EQ(*store->Get(Family::kOffsets, std::string(topics::kIntake) + "/" + home),
            std::optional<std::string>("13"));
}

TEST_F(DispatchAppTest, AnAssignmentStagesOnlyTheOpenWorkItChanges) {
  const int32_t home = PartitionOf("C1", store->partitions());
  OpenWork work;
  work.by_partition[home].open = {{"sec.chen", 2}, {"sec.liu", 1}, {"sec.wang", 0}};
  work.by_partition[home].turns = {{"security", 3}, {"works", 1}};
  work.total = work.by_partition[home];
  v1::ComplaintView before;
  before.set_complaint_id("C1");
  v1::ComplaintView after = before;
  after.mutable_dispatch()->set_department("security");
  after.mutable_dispatch()->set_handler("sec.liu");
  v1::Envelope assigned = Assigned("C1", "security");
  assigned.mutable_assigned()->set_handler("sec.liu");
  Batch batch;
  FoldOpenWork(before, after, {assigned}, router, store->partitions(), work, batch);
  EXPECT_EQ(batch.size(), 2u) << "the handler's count and the department's turn, nothing else";
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  const std::string prefix = PartitionPrefix(home);
  EXPECT_EQ(*store->Get(Family::kCounts, prefix + "workload/open/sec.liu"),
            std::optional<std::string>("2"));
  EXPECT_EQ(*store->Get(Family::kCounts, prefix + "workload/turn/security"),
            std::optional<std::string>("4"));
  EXPECT_EQ(work.total.open["sec.liu"], 2);
  EXPECT_EQ(work.total.open["sec.chen"], 2);
}

TEST_F(DispatchAppTest, OpenWorkProjectionSpreadsLoadAcrossBatches) {
  // Security is least loaded: three urgent complaints in two batches alternate chen, liu, chen.
  ASSERT_TRUE(
      app.Apply({Record(Received("C1"), 0), Record(Classified("C1", "safety", v1::PRIORITY_P1), 1),
                 Record(CallbackScheduled("C1"), 2), Record(Received("C2"), 3),
                 Record(Classified("C2", "safety", v1::PRIORITY_P1), 4),
                 Record(CallbackScheduled("C2"), 5)})
          .ok());
  ASSERT_TRUE(
      app.Apply({Record(Received("C3"), 6), Record(Classified("C3", "safety", v1::PRIORITY_P1), 7),
                 Record(CallbackScheduled("C3"), 8)})
          .ok());
  std::vector<std::string> handlers;
  for (const v1::Envelope& event : Outboxed(*store)) {
    if (event.has_assigned()) handlers.push_back(event.assigned().handler());
  }
  EXPECT_EQ(handlers, (std::vector<std::string>{"sec.chen", "sec.liu", "sec.chen"}));
  // Each partition holds its share of the open work; together C1 and C3.
  int open = 0;
  for (int32_t partition = 0; partition < store->partitions(); ++partition) {
    auto stored =
        *store->Get(Family::kCounts, PartitionPrefix(partition) + "workload/open/sec.chen");
    open += stored ? std::stoi(*stored) : 0;
  }
  EXPECT_EQ(open, 2);
  const std::string c1_share = PartitionPrefix(PartitionOf("C1", store->partitions()));
  EXPECT_NE(*store->Get(Family::kCounts, c1_share + "workload/open/sec.chen"), std::nullopt);

  // Tracking resolves C1 and C3: chen is free again and takes the next one.
  v1::Envelope resolved_c1 = EnvelopeOf("C1", v1::WRITER_TRACKING, 1);
  resolved_c1.mutable_resolved()->set_solution("gate fixed");
  v1::Envelope resolved_c3 = EnvelopeOf("C3", v1::WRITER_TRACKING, 1);
  resolved_c3.mutable_resolved()->set_solution("lamp replaced");
  ASSERT_TRUE(app.Apply({ConsumedOf(topics::kTracking, resolved_c1, 0),
                         ConsumedOf(topics::kTracking, resolved_c3, 1)})
                  .ok());
  ASSERT_TRUE(
      app.Apply({Record(Received("C4"), 9), Record(Classified("C4", "safety", v1::PRIORITY_P1), 10),
                 Record(CallbackScheduled("C4"), 11)})
          .ok());
  handlers.clear();
  for (const v1::Envelope& event : Outboxed(*store)) {
    if (event.has_assigned()) handlers.push_back(event.assigned().handler());
  }
  EXPECT_EQ(handlers.back(), "sec.chen") << "least loaded once C1 and C3 are resolved";
}

TEST_F(DispatchAppTest, UnreadableRecordIsSkippedButItsOffsetIsKept) {
  ASSERT_TRUE(app.Apply({{std::string(topics::kIntake), 2, 5, "C9", "\xff\xff garbage"}}).ok());
  EXPECT_TRUE(Outboxed(*store).empty());
  EXPECT_EQ(*store->Get(Family::kOffsets, std::string(topics::kIntake) + "/2"),
            std::optional<std::string>("6"));
}

}  // namespace
}  // namespace complaints::dispatch
