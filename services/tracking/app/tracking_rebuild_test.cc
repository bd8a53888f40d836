// What tracking tells complainants, and a tracking rebuilt from the topics.
#include "services/tracking/app/tracking_commands_fixture.h"
#include "services/tracking/app/tracking_families.h"

namespace complaints::tracking {
namespace {

TEST_F(TrackingCommandsTest, WhatTrackingDecidesTellsTheComplainantWithoutTheirData) {
  Open("C1");
  ASSERT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  std::vector<v1::Notification> sent = Notified(*store_);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].kind(), v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(sent[1].kind(), v1::NOTIFICATION_KIND_RESULT);
  EXPECT_EQ(sent[1].recipient(), v1::RECIPIENT_ROLE_COMPLAINANT);
  EXPECT_EQ(sent[1].texts_size(), 2) << "Chinese and English";
  EXPECT_EQ(sent[1].caused_by(), Outboxed(*store_).back().event_id())
      << "written with the event it follows from";
}

TEST_F(TrackingCommandsTest, AStoreRebuiltFromTheTopicsDecidesNothingAnewAndKnowsTheKeys) {
  Open("C1");
  ASSERT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  const std::vector<v1::Envelope> published = Outboxed(*store_);

  // A second tracking on an empty store reads its own topic back first, then
  // the other writers' topics.
  TempDir other;
  auto store = *Store::Open(other.Sub("db"), Store::kDefaultPartitions, tracking::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_TRACKING));
  auto letters = *DeadLetters::Open(store.get());
  WriteGate gate;
  auto rebuilt = *TrackingApp::Create({.parts = {.store = store.get(),
                                                 .outbox = outbox.get(),
                                                 .dead_letters = letters.get(),
                                                 .clock = &clock_,
                                                 .gate = &gate},
                                       .sla = &book_,
                                       .calendar = &calendar_,
                                       .handling = app_->handling_policy(),
                                       .notifier = &notifier_});
  std::vector<ConsumedRecord> own;
  for (size_t i = 0; i < published.size(); ++i) {
    own.push_back(ConsumedOf(topics::kTracking, published[i], static_cast<int64_t>(i)));
  }
  ASSERT_TRUE(rebuilt->Apply(own).ok());
  ASSERT_TRUE(
      rebuilt
          ->Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                   ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1)})
          .ok());
  ASSERT_TRUE(
      rebuilt->Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "engineering"), 2)}).ok());
  EXPECT_TRUE(Outboxed(*store).empty()) << "everything was decided before";
  EXPECT_TRUE(Notified(*store).empty()) << "and everything was told before";
  EXPECT_EQ(Notified(*store_).size(), 2u) << "the acknowledgement and the result, once";
  EXPECT_EQ(*store->Get(Family::kState, ComplaintKey("C1", store->partitions())),
            *store_->Get(Family::kState, ComplaintKey("C1", store_->partitions())));

  v1::ResolveRequest again;
  again.set_idempotency_key("resolve-1");
  again.set_complaint_id("C1");
  again.set_outcome("the pipe was replaced");
  again.set_solution("new PPR pipe under the sink");
  again.set_prevention("annual check of kitchen pipes");
  absl::StatusOr<v1::ResolveResponse> repeated =
      rebuilt->commands().Run<v1::ResolveResponse>(again, v1::Actor());
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_TRUE(repeated->outcome().duplicate()) << "the rebuilt store knows the key";
}

}  // namespace
}  // namespace complaints::tracking
