// The tracking shell over a real gRPC channel and real RocksDB.
#include "services/tracking/app/tracking_app.h"

#include "complaints/v1/tracking.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/tracking/app/tracking_service.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using namespace complaints::testing;

TEST(TrackingApp, TimelineHoldsEveryWritersEventsAndTheDeadlines) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  SlaBook book = ShippedSla();
  BusinessCalendar calendar = ShippedCalendar();
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  auto letters = *DeadLetters::Open(store.get());
  TrackingApp app({{store.get(), outbox.get(), letters.get(), &clock}, &book, &calendar});
  ASSERT_TRUE(
      app.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                 ConsumedOf(topics::kIntake, Classified("C1", "noise", v1::PRIORITY_P3), 1)})
          .ok());
  ASSERT_TRUE(
      app.Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "security"), 0),
                 ConsumedOf(topics::kIntake, Classified("C1", "noise", v1::PRIORITY_P3), 1)})
          .ok());

  TrackingService service(&app);
  auto host = *ServiceHost::Start("127.0.0.1:0", {&service});
  auto stub = v1::Tracking::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(host->port()),
                                                        grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::GetComplaintRequest request;
  request.set_complaint_id("C1");
  v1::ComplaintTimeline timeline;
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
    v1::ComplaintTimeline page;
    ASSERT_TRUE(stub->GetComplaint(&page_context, request, &page).ok());
    for (const v1::Envelope& event : page.events()) paged.push_back(event.event_id());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  grpc::ClientContext whole_context;
  v1::GetComplaintRequest all;
  all.set_complaint_id("C1");
  v1::ComplaintTimeline one_page;
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

}  // namespace
}  // namespace complaints::tracking
