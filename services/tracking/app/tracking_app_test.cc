// The tracking shell over a real gRPC channel and real RocksDB.
#include "services/tracking/app/tracking_app.h"

#include "libs/core/time_util.h"
#include "services/tracking/app/test_tracking.h"

namespace complaints::tracking {
namespace {

TEST_F(TrackingAppTest, TimelineHoldsEveryWritersEventsAndTheDeadlines) {
  TrackingApp& app = *app_;
  v1::TrackingService::Stub* stub = As("staff/qian");  // the manager reads any complaint
  ASSERT_TRUE(
      app.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                 ConsumedOf(topics::kIntake, Classified("C1", "noise", v1::PRIORITY_P3), 1)})
          .ok());
  ASSERT_TRUE(
      app.Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "security"), 0),
                 ConsumedOf(topics::kIntake, Classified("C1", "noise", v1::PRIORITY_P3), 1)})
          .ok());

  grpc::ClientContext context;
  v1::GetComplaintRequest request;
  request.set_complaint_id("C1");
  v1::GetComplaintResponse timeline;
  ASSERT_TRUE(stub->GetComplaint(&context, request, &timeline).ok());
  EXPECT_EQ(timeline.view().dispatch().department(), "security");
  EXPECT_TRUE(timeline.view().tracking().has_resolve_by());
  EXPECT_EQ(timeline.view().tracking().sla().policy().id(), "sla.p3.ordinary");
  EXPECT_FALSE(timeline.view().tracking().sla().scheduled().empty())
      << "timers are data in the view";
  ASSERT_EQ(timeline.events_size(), 4) << "received, classified, deadlines, assigned — once each";
  int deadlines = 0;
  for (const v1::Envelope& event : timeline.events()) deadlines += event.has_deadlines_set();
  EXPECT_EQ(deadlines, 1);

  grpc::ClientContext missing_context;
  request.set_complaint_id("C404");
  grpc::Status missing = stub->GetComplaint(&missing_context, request, &timeline);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext empty_context;
  request.clear_complaint_id();
  EXPECT_EQ(stub->GetComplaint(&empty_context, request, &timeline).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Paged: two events a page, the same four events in the same order.
  request.set_complaint_id("C1");
  request.set_page_size(2);
  std::vector<std::string> paged;
  int pages = 0;
  do {
    grpc::ClientContext page_context;
    v1::GetComplaintResponse page;
    ASSERT_TRUE(stub->GetComplaint(&page_context, request, &page).ok());
    for (const v1::Envelope& event : page.events()) paged.push_back(event.event_id());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  grpc::ClientContext whole_context;
  v1::GetComplaintRequest all;
  all.set_complaint_id("C1");
  v1::GetComplaintResponse one_page;
  ASSERT_TRUE(stub->GetComplaint(&whole_context, all, &one_page).ok());
  std::vector<std::string> whole;
  for (const v1::Envelope& event : one_page.events()) whole.push_back(event.event_id());
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(pages, 2) << "the last page carries no token";

  grpc::ClientContext bad_context;
  request.set_page_token("zz-not-hex");
  grpc::Status bad = stub->GetComplaint(&bad_context, request, &timeline);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "page_token: not a token this listing gave");
}

// §3.1 each holder dispatch briefs — the first and the one after a
// transfer — is told its deadlines, once, also when dispatch's records come
// again.
TEST_F(TrackingAppTest, EveryHolderDispatchBriefsIsNotifiedOnce) {
  auto briefed = [](int64_t sequence, const std::string& department) {
    v1::Envelope event = EnvelopeOf("C1", v1::WRITER_DISPATCH, sequence);
    event.mutable_receiver_briefed()->set_department(department);
    *event.mutable_occurred_at() = ToProto(absl::FromUnixSeconds(1'795'000'000));
    return event;
  };
  v1::Envelope transferred = EnvelopeOf("C1", v1::WRITER_DISPATCH, 3);
  transferred.mutable_transferred()->set_to_department("engineering");
  const std::vector<ConsumedRecord> dispatch = {
      ConsumedOf(topics::kDispatch, Assigned("C1", "security"), 0),
      ConsumedOf(topics::kDispatch, briefed(2, "security"), 1),
      ConsumedOf(topics::kDispatch, transferred, 2),
      ConsumedOf(topics::kDispatch, briefed(4, "engineering"), 3)};
  ASSERT_TRUE(
      app_->Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                   ConsumedOf(topics::kIntake, Classified("C1", "noise", v1::PRIORITY_P3), 1)})
          .ok());
  ASSERT_TRUE(app_->Apply(dispatch).ok());
  ASSERT_TRUE(app_->Apply(dispatch).ok());
  std::vector<std::string> notified;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    if (event.has_receiver_notified()) notified.push_back(event.receiver_notified().department());
  }
  EXPECT_EQ(notified, (std::vector<std::string>{"security", "engineering"}));
}

TEST_F(TrackingAppTest, AComplaintAsOfAnEarlierTimeShowsWhatWasKnownThen) {
  TrackingApp& app = *app_;
  v1::TrackingService::Stub* stub = As("staff/qian");  // the manager reads any complaint
  const absl::Time now = now_;
  auto recorded = [](v1::Envelope event, absl::Time at) {
    *event.mutable_recorded_at() = ToProto(at);
    return event;
  };
  // Received and classified 3 h ago, assigned 1 h ago; tracking's deadlines
  // are recorded now, when it reads them.
  ASSERT_TRUE(
      app.Apply({ConsumedOf(topics::kIntake, recorded(Received("C1"), now - absl::Hours(3)), 0),
                 ConsumedOf(
                     topics::kIntake,
                     recorded(Classified("C1", "noise", v1::PRIORITY_P3), now - absl::Hours(3)), 1),
                 ConsumedOf(topics::kDispatch,
                            recorded(Assigned("C1", "security"), now - absl::Hours(1)), 0)})
          .ok());
  auto as_of = [&](absl::Time at, v1::GetComplaintResponse* out) {
    grpc::ClientContext context;
    v1::GetComplaintRequest request;
    request.set_complaint_id("C1");
    *request.mutable_as_of() = ToProto(at);
    return stub->GetComplaint(&context, request, out);
  };

  v1::GetComplaintResponse then;
  ASSERT_TRUE(as_of(now - absl::Hours(2), &then).ok());
  EXPECT_EQ(then.view().intake().category(), "noise");
  EXPECT_EQ(then.view().dispatch().department(), "") << "assigned an hour later";
  EXPECT_FALSE(then.view().tracking().has_resolve_by());
  EXPECT_EQ(then.events_size(), 2);

  v1::GetComplaintResponse today;
  ASSERT_TRUE(as_of(now, &today).ok());
  EXPECT_EQ(today.view().dispatch().department(), "security");
  EXPECT_TRUE(today.view().tracking().has_resolve_by());
  EXPECT_EQ(today.events_size(), 4);

  v1::GetComplaintResponse before;
  EXPECT_EQ(as_of(now - absl::Hours(4), &before).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext bad_context;
  v1::GetComplaintRequest bad;
  bad.set_complaint_id("C1");
  bad.mutable_as_of()->set_nanos(-1);
  grpc::Status refused = stub->GetComplaint(&bad_context, bad, &before);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind("as_of:", 0), 0u) << refused.error_message();
}

}  // namespace
}  // namespace complaints::tracking
