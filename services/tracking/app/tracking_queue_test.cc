// The call-back that ends a complaint, and the work queue in resolve-by order.
#include "services/tracking/app/tracking_commands_fixture.h"

namespace complaints::tracking {
namespace {

TEST_F(TrackingCommandsTest, ACallBackThatEndsTheComplaintClosesIt) {
  Open("C1");
  v1::Envelope callback = EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  callback.mutable_callback_scheduled();
  v1::Envelope verified = EnvelopeOf("C1", v1::WRITER_INTAKE, 4);
  verified.mutable_verification_recorded()->set_outcome(v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  verified.mutable_verification_recorded()->set_explanation("fixed by the neighbour");
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake, callback, 100),
                           ConsumedOf(topics::kIntake, verified, 101)})
                  .ok());
  EXPECT_EQ(Count("C1", v1::Envelope::kClosed), 1);
  auto letters = letters_->List(10, "");
  ASSERT_TRUE(letters.ok());
  for (const auto& letter : letters->dead_letters()) ADD_FAILURE() << letter.reason();
}

// Every page of the work queue `request` gives, in order.
std::vector<std::string> ListAll(v1::TrackingService::Stub& stub,
                                 v1::ListComplaintsRequest request) {
  std::vector<std::string> ids;
  for (int pages = 0; pages < 50; ++pages) {
    grpc::ClientContext context;
    v1::ListComplaintsResponse page;
    grpc::Status status = stub.ListComplaints(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::WorkItem& item : page.items()) ids.push_back(item.complaint_id());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return ids;
}

TEST_F(TrackingCommandsTest, TheWorkQueueListsInResolveByOrderWithFiltersAndPages) {
  Open("C4", v1::PRIORITY_P4);
  Open("C1", v1::PRIORITY_P1);
  Open("C3", v1::PRIORITY_P3);
  Open("C2", v1::PRIORITY_P2);
  v1::ListComplaintsRequest all;
  all.set_page_size(1);
  EXPECT_EQ(ListAll(*As("staff/qian"), all), (std::vector<std::string>{"C1", "C2", "C3", "C4"}))
      << "the most urgent deadline first, one per page";
  v1::ListComplaintsRequest p3 = all;
  p3.set_priority(v1::PRIORITY_P3);
  EXPECT_EQ(ListAll(*As("staff/qian"), p3), (std::vector<std::string>{"C3"}));
  v1::ListComplaintsRequest engineering;
  engineering.set_department("engineering");
  EXPECT_EQ(ListAll(*As("staff/qian"), engineering).size(), 4u);
  engineering.set_department("security");
  EXPECT_TRUE(ListAll(*As("staff/qian"), engineering).empty());

  clock_.Advance(absl::Hours(10));  // past P1's resolve-by, not the others'
  ASSERT_EQ(Fire() > 0, true);
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue(true);
  EXPECT_EQ(ListAll(*As("staff/qian"), overdue), (std::vector<std::string>{"C1"}));
  v1::ListComplaintsRequest breached;
  breached.set_breached(true);
  std::vector<std::string> with_breach;  // in resolve-by order, as listed
  for (const char* id : {"C1", "C2", "C3", "C4"}) {
    if (Count(id, v1::Envelope::kDeadlineBreached) > 0) with_breach.push_back(id);
  }
  EXPECT_EQ(ListAll(*As("staff/qian"), breached), with_breach)
      << "any recorded breach (respond too)";
  EXPECT_EQ(with_breach.front(), "C1");

  Resolve("C1", "r1");
  Communicate("C1", "c1");
  FollowUp("C1", "f1", 5);
  EXPECT_EQ(ListAll(*As("staff/qian"), all), (std::vector<std::string>{"C2", "C3", "C4"}))
      << "closed complaints leave the queue";
  v1::ListComplaintsRequest closed;
  closed.add_statuses(v1::HANDLING_STATUS_CLOSED);
  EXPECT_EQ(ListAll(*As("staff/qian"), closed), (std::vector<std::string>{"C1"}));

  grpc::ClientContext context;
  v1::ListComplaintsRequest bad;
  bad.set_page_token("zz");
  v1::ListComplaintsResponse page;
  EXPECT_EQ(stub_->ListComplaints(&context, bad, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace complaints::tracking
