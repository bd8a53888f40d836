// §3.1 transfer (dispatch) as given / when / then.
#include "services/dispatch/domain/dispatch_decider.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

class DispatchDeciderTest : public ::testing::Test {
 protected:
  std::vector<v1::Envelope> Classifiedly(const std::string& category, v1::Priority priority) {
    return {Received("C1"), Classified("C1", category, priority)};
  }
  std::vector<v1::Envelope> Decide(const std::vector<v1::Envelope>& history, const auto& command) {
    return Story(decider_, v1::WRITER_DISPATCH, history).Try(command);
  }
  // The history plus the decided events as the runner would number them.
  std::vector<v1::Envelope> Then(std::vector<v1::Envelope> history, const auto& command) {
    Story story(decider_, v1::WRITER_DISPATCH, std::move(history));
    story.Do(command);
    return story.history();
  }

  Router router_ = *Router::Create(TestRouting());
  DispatchDecider decider_{&router_};
};

TEST_F(DispatchDeciderTest, ClassifiedComplaintIsAssignedToAPersonWithReasonRuleAndBriefing) {
  auto events = Decide(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  ASSERT_EQ(events.size(), 2u);
  const v1::ComplaintAssigned& assigned = events[0].assigned();
  EXPECT_EQ(assigned.department(), "engineering");
  EXPECT_EQ(assigned.handler(), "eng.zhang");
  EXPECT_EQ(assigned.rule().id(), "plumbing");
  EXPECT_EQ(assigned.strategy(), v1::ASSIGNMENT_STRATEGY_SKILL_MATCH);
  EXPECT_THAT(assigned.reason(),
              HasSubstr("is handled by engineering (rule plumbing v1); skilled in plumbing"));
  const v1::ReceiverBriefed& briefing = events[1].receiver_briefed();
  EXPECT_EQ(briefing.handler(), "eng.zhang");
  EXPECT_EQ(briefing.category(), "plumbing");
  EXPECT_EQ(briefing.priority(), v1::PRIORITY_P2);
  EXPECT_EQ(briefing.location().unit(), "1202");
  EXPECT_EQ(briefing.content(), "厨房漏水 kitchen water leak");
  EXPECT_EQ(briefing.contact_channel(), v1::CHANNEL_PHONE);
}

TEST_F(DispatchDeciderTest, BriefingCarriesNoPersonalData) {
  std::vector<v1::Envelope> history = Classifiedly("plumbing", v1::PRIORITY_P2);
  history[0].mutable_received()->mutable_complainant()->set_name("王芳");
  history[0].mutable_received()->mutable_complainant()->set_phone("+8613800138000");
  auto events = Decide(history, AssignComplaint{"C1", {}});
  ASSERT_EQ(events.size(), 2u);
  const std::string briefing = events[1].receiver_briefed().SerializeAsString();
  EXPECT_EQ(briefing.find("王芳"), std::string::npos);
  EXPECT_EQ(briefing.find("13800138000"), std::string::npos);
}

TEST_F(DispatchDeciderTest, AlreadyAssignedDecidesNothingAndUnclassifiedCannotBeAssigned) {
  Given(decider_, Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}}))
      .When(AssignComplaint{"C1", {}})
      .Then({});
  Given(decider_, {Received("C1")})
      .When(AssignComplaint{"C1", {}})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not classified");
}

TEST_F(DispatchDeciderTest, RejectionReRoutesToADepartmentThatHasNotRejected) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  auto events =
      Decide(history, RejectAssignment{"C1", "engineering", "this is a common-area pipe", {}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].assignment_rejected().reason(), "this is a common-area pipe");
  const v1::ComplaintTransferred& moved = events[1].transferred();
  EXPECT_EQ(moved.from_department(), "engineering");
  EXPECT_EQ(moved.from_handler(), "eng.zhang");
  EXPECT_EQ(moved.to_department(), "customer-service");
  EXPECT_EQ(moved.hop(), 1);
  EXPECT_THAT(moved.reason(), HasSubstr("rejected by engineering: this is a common-area pipe"));
  EXPECT_EQ(events[2].receiver_briefed().department(), "customer-service");
}

TEST_F(DispatchDeciderTest, TooManyHopsGoToTheDutySupervisor) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  history = Then(history, RejectAssignment{"C1", "engineering", "not ours", {}});
  history = Then(history, RejectAssignment{"C1", "customer-service", "not ours either", {}});
  auto events = Decide(history, RejectAssignment{"C1", "customer-service", "still not ours", {}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].transferred().to_department(), "duty-office");
  EXPECT_EQ(events[1].transferred().to_handler(), "duty.supervisor");
  EXPECT_EQ(events[1].transferred().hop(), 3);
  EXPECT_EQ(events[1].transferred().rule().id(), "routing.max_hops");
  EXPECT_THAT(events[1].transferred().reason(),
              HasSubstr("limit of 3, so the duty supervisor decides"));
}

TEST_F(DispatchDeciderTest, OnlyTheHolderMayRejectAndOnlyWithAReason) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  Given(decider_, history)
      .When(RejectAssignment{"C1", "security", "x", {}})
      .ThenError(absl::StatusCode::kFailedPrecondition, "is with engineering, not security");
  Given(decider_, history)
      .When(RejectAssignment{"C1", "engineering", " ", {}})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
}

TEST_F(DispatchDeciderTest, StaffTransferRecordsSourceTargetAndReason) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  auto events = Decide(
      history, TransferComplaint{
                   "C1", "security", "sec.liu", "water is coming from a locked store room", {}});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].transferred().from_handler(), "eng.zhang");
  EXPECT_EQ(events[0].transferred().to_handler(), "sec.liu");
  EXPECT_THAT(events[0].transferred().reason(), HasSubstr("locked store room; named by staff"));
  Given(decider_, history)
      .When(TransferComplaint{"C1", "marketing", "", "x", {}})
      .ThenError(absl::StatusCode::kInvalidArgument, "to_department: unknown department marketing");
  Given(decider_, history).When(TransferComplaint{"C1", "engineering", "", "same", {}}).Then({});
}

TEST_F(DispatchDeciderTest, ReceiverAcceptsOnce) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  auto events = Decide(history, AcceptAssignment{"C1", "eng.zhang"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].assignment_accepted().handler(), "eng.zhang");
  Given(decider_, Then(history, AcceptAssignment{"C1", "eng.zhang"}))
      .When(AcceptAssignment{"C1", "eng.zhang"})
      .Then({});
  Given(decider_, history)
      .When(AcceptAssignment{"C1", "eng.li"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "assigned to eng.zhang, not eng.li");
}

TEST_F(DispatchDeciderTest, WorkloadFollowsAssignmentsAndTransfers) {
  Workload workload;
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", workload});
  UpdateWorkload({history.begin() + 2, history.end()}, router_, workload);
  EXPECT_EQ(workload.open["eng.zhang"], 1);
  auto moved = Decide(history, TransferComplaint{"C1", "security", "sec.chen", "x", workload});
  UpdateWorkload(moved, router_, workload);
  EXPECT_EQ(workload.open["eng.zhang"], 0);
  EXPECT_EQ(workload.open["sec.chen"], 1);
}

TEST(DispatchPolicy, OnlyClassificationTriggersAssignment) {
  EXPECT_EQ(PolicyFor(Classified("C1", "noise", v1::PRIORITY_P3))->complaint_id, "C1");
  EXPECT_FALSE(PolicyFor(Received("C1")).has_value());
  EXPECT_FALSE(PolicyFor(Assigned("C1", "security")).has_value());
}

}  // namespace
}  // namespace complaints::dispatch
