// §3.1 transfer (dispatch) as given / when / then.
#include "services/dispatch/domain/dispatch_decider.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
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

  static v1::ComplaintView ViewOf(const std::vector<v1::Envelope>& events) {
    v1::ComplaintView view;
    for (const v1::Envelope& event : events) view = Evolve(std::move(view), event);
    return view;
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

TEST_F(DispatchDeciderTest, APossibleLifeSafetyComplaintGoesToTheDutyOfficeSayingWhy) {
  std::vector<v1::Envelope> history = Classifiedly("noise", v1::PRIORITY_P2);
  history[1].mutable_classified()->set_possible_life_safety("\"救命\" comes near rule safety.x");
  auto events = Decide(history, AssignComplaint{"C1", {}});
  ASSERT_EQ(events.size(), 2u);
  const v1::ComplaintAssigned& assigned = events[0].assigned();
  EXPECT_EQ(assigned.department(), TestRouting().duty_supervisor_department());
  EXPECT_FALSE(assigned.handler().empty());
  EXPECT_EQ(assigned.rule().id(), kPossibleLifeSafetyRule);
  EXPECT_THAT(assigned.reason(), HasSubstr("possible life safety (\"救命\" comes near rule"));
  EXPECT_EQ(events[1].receiver_briefed().department(), assigned.department());
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

TEST_F(DispatchDeciderTest, WhenEveryDepartmentHasRejectedItTheDutySupervisorDecides) {
  auto history = Then(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  history = Then(history, RejectAssignment{"C1", "engineering", "not ours", {}});
  EXPECT_EQ(ViewOf(history).dispatch().department(), "customer-service");
  auto events = Decide(history, RejectAssignment{"C1", "customer-service", "not ours either", {}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].transferred().to_department(), "duty-office")
      << "the fallback refused it too: never back to a department that rejected it";
  EXPECT_EQ(events[1].transferred().to_handler(), "duty.supervisor");
  EXPECT_EQ(events[1].transferred().hop(), 2);
  EXPECT_THAT(events[1].transferred().reason(),
              HasSubstr("every department the rules give has rejected it, so the duty "
                        "supervisor decides"));
}

TEST_F(DispatchDeciderTest, TooManyHopsGoToTheDutySupervisor) {
  v1::RoutingRules rules = TestRouting();
  rules.set_max_hops(2);
  const Router router = *Router::Create(rules);
  const DispatchDecider decider(&router);
  v1::Envelope received = Received("C1");
  received.mutable_received()->mutable_location()->set_community("Lakeside Court");
  Story story(decider, v1::WRITER_DISPATCH,
              {received, Classified("C1", "plumbing", v1::PRIORITY_P2)});
  story.Do(AssignComplaint{"C1", {}});
  EXPECT_EQ(story.View().dispatch().department(), "contractor");
  story.Do(RejectAssignment{"C1", "contractor", "not ours", {}});
  EXPECT_EQ(story.View().dispatch().department(), "engineering");
  auto events = story.Try(RejectAssignment{"C1", "engineering", "not ours either", {}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].transferred().to_department(), "duty-office")
      << "customer-service is left, but the hop limit is reached";
  EXPECT_EQ(events[1].transferred().hop(), 2);
  EXPECT_EQ(events[1].transferred().rule().id(), "routing.max_hops");
  EXPECT_THAT(events[1].transferred().reason(),
              HasSubstr("2 hops reach the limit of 2, so the duty supervisor decides"));
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

TEST_F(DispatchDeciderTest, AManualAssignmentRoutesWithoutNamesAndMovesWithThem) {
  const std::vector<v1::Envelope> classified = Classifiedly("plumbing", v1::PRIORITY_P2);
  auto routed = Decide(classified, ManualAssign{"C1", "", "", "", {}});
  ASSERT_EQ(routed.size(), 2u);
  EXPECT_EQ(routed[0].assigned().department(), "engineering") << "the routing rules' choice";
  auto history = Then(classified, ManualAssign{"C1", "", "", "", {}});
  Given(decider_, history).When(ManualAssign{"C1", "", "", "", {}}).Then({});
  auto moved = Decide(history, ManualAssign{"C1", "", "eng.li", "knows this building", {}});
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0].transferred().to_department(), "engineering") << "within its department";
  EXPECT_EQ(moved[0].transferred().to_handler(), "eng.li");
  auto elsewhere = Decide(history, ManualAssign{"C1", "security", "", "a locked store room", {}});
  ASSERT_EQ(elsewhere.size(), 2u);
  EXPECT_EQ(elsewhere[0].transferred().to_department(), "security");
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

TEST_F(DispatchDeciderTest, WorkloadFollowsAssignmentsTransfersAndResolution) {
  Workload workload;
  const auto classified = Classifiedly("plumbing", v1::PRIORITY_P2);
  auto history = Then(classified, AssignComplaint{"C1", workload});
  const std::vector<v1::Envelope> assigned(history.begin() + 2, history.end());
  UpdateWorkload(ViewOf(classified), ViewOf(history), assigned, router_, workload);
  EXPECT_EQ(workload.open["eng.zhang"], 1);
  EXPECT_EQ(workload.turns["engineering"], 1);

  const std::vector<v1::Envelope> after_transfer =
      Then(history, TransferComplaint{"C1", "security", "sec.chen", "x", workload});
  const std::vector<v1::Envelope> moved(after_transfer.begin() + history.size(),
                                        after_transfer.end());
  UpdateWorkload(ViewOf(history), ViewOf(after_transfer), moved, router_, workload);
  EXPECT_EQ(workload.open["eng.zhang"], 0);
  EXPECT_EQ(workload.open["sec.chen"], 1);

  // Tracking's resolution frees the handler; a reopening gives the work back.
  v1::Envelope resolved = EnvelopeOf("C1", v1::WRITER_TRACKING, 1);
  resolved.mutable_resolved()->set_solution("pipe replaced");
  std::vector<v1::Envelope> done = after_transfer;
  done.push_back(resolved);
  UpdateWorkload(ViewOf(after_transfer), ViewOf(done), {}, router_, workload);
  EXPECT_EQ(workload.open["sec.chen"], 0);
  v1::Envelope reopened = EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  reopened.mutable_reopened()->set_reason("leaks again");
  std::vector<v1::Envelope> again = done;
  again.push_back(reopened);
  UpdateWorkload(ViewOf(done), ViewOf(again), {}, router_, workload);
  EXPECT_EQ(workload.open["sec.chen"], 1);
  EXPECT_EQ(workload.turns["engineering"], 1) << "only assignments take turns";
}

v1::Envelope Verified(v1::VerificationOutcome outcome) {
  v1::Envelope event = EnvelopeOf("C1", v1::WRITER_INTAKE, 4);
  event.mutable_verification_recorded()->set_outcome(outcome);
  return event;
}

TEST_F(DispatchDeciderTest, Section24UrgentComplaintsGoAtOnceOthersOnceTheCallBackConfirmsThem) {
  const std::vector<v1::Envelope> classified = {Received("C1"),
                                                Classified("C1", "noise", v1::PRIORITY_P1)};
  EXPECT_FALSE(PolicyFor(classified[1], ViewOf(classified)).has_value()) << "no call-back task yet";
  std::vector<v1::Envelope> urgent = classified;
  urgent.push_back(CallbackScheduled("C1", true));
  EXPECT_EQ(PolicyFor(urgent.back(), ViewOf(urgent))->complaint_id, "C1");

  std::vector<v1::Envelope> waiting = classified;
  waiting.push_back(CallbackScheduled("C1", false));
  EXPECT_FALSE(PolicyFor(waiting.back(), ViewOf(waiting)).has_value()) << "waits for the call-back";
  std::vector<v1::Envelope> confirmed = waiting;
  confirmed.push_back(Verified(v1::VERIFICATION_OUTCOME_CONFIRMED));
  EXPECT_EQ(PolicyFor(confirmed.back(), ViewOf(confirmed))->complaint_id, "C1");
  std::vector<v1::Envelope> solved = urgent;
  solved.push_back(Verified(v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED));
  EXPECT_FALSE(ReadyForDispatch(ViewOf(solved))) << "not even an urgent one, once ended";

  std::vector<v1::Envelope> assigned = confirmed;
  assigned.push_back(Assigned("C1", "security"));
  EXPECT_FALSE(PolicyFor(confirmed.back(), ViewOf(assigned)).has_value()) << "assigned already";
  EXPECT_FALSE(PolicyFor(assigned.back(), ViewOf(assigned)).has_value()) << "not intake's event";
}

}  // namespace
}  // namespace complaints::dispatch

namespace complaints::dispatch {
namespace {

// §4.2 a case from the previous system, classified, closed there or not.
std::vector<v1::Envelope> ImportedCase(const std::string& department, bool closed) {
  v1::Envelope received = complaints::testing::Received("C1");
  v1::HistoricalCase& history = *received.mutable_received()->mutable_history();
  history.set_source_system("hotline");
  history.set_source_id("2011-0042");
  *history.mutable_opened_at() = received.occurred_at();
  history.set_department(department);
  history.set_team("night shift");
  history.set_handler("old.li");
  history.set_closed(closed);
  if (closed) *history.mutable_closed_at() = received.occurred_at();
  return {received, complaints::testing::Classified("C1", "plumbing", v1::PRIORITY_P2)};
}

class ImportedDispatchTest : public DispatchDeciderTest {};

TEST_F(ImportedDispatchTest, AClosedImportIsAssignedAsRecordedAtItsOpeningAndNotBriefed) {
  const std::vector<v1::Envelope> given = ImportedCase("Water Board", /*closed=*/true);
  EXPECT_TRUE(ReadyForDispatch(ViewOf(given)));  // no call-back for history
  auto events = Decide(given, AssignComplaint{"C1", {}});
  ASSERT_EQ(events.size(), 1u);
  const v1::ComplaintAssigned& assigned = events[0].assigned();
  EXPECT_EQ(assigned.department(), "Water Board");
  EXPECT_EQ(assigned.team(), "night shift");
  EXPECT_EQ(assigned.handler(), "old.li");
  EXPECT_EQ(assigned.rule().id(), kImportRule);
  EXPECT_EQ(assigned.reason(), "as recorded by hotline (case 2011-0042)");
  EXPECT_EQ(events[0].recorded_at().seconds(), given[0].received().history().opened_at().seconds());
  const v1::ComplaintView after = ViewOf(Then(given, AssignComplaint{"C1", {}}));
  EXPECT_EQ(after.dispatch().team(), "night shift");
}

TEST_F(ImportedDispatchTest, AnOpenImportIsBriefedToItsHolderNow) {
  auto events = Decide(ImportedCase("engineering", /*closed=*/false), AssignComplaint{"C1", {}});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].assigned().handler(), "old.li");
  EXPECT_EQ(events[1].receiver_briefed().department(), "engineering");
  EXPECT_FALSE(events[1].has_recorded_at());  // dated by the runner: now
}

TEST_F(ImportedDispatchTest, WithoutADepartmentTheRulesRouteIt) {
  auto closed = Decide(ImportedCase("", /*closed=*/true), AssignComplaint{"C1", {}});
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].assigned().department(), "engineering");
  EXPECT_EQ(closed[0].assigned().handler(), "");  // a closed case takes nobody's time
  EXPECT_THAT(closed[0].assigned().reason(), HasSubstr("hotline named no department"));
  auto open = Decide(ImportedCase("", /*closed=*/false), AssignComplaint{"C1", {}});
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].assigned().handler(), "eng.zhang");
}

}  // namespace
}  // namespace complaints::dispatch

namespace complaints::dispatch {
namespace {

// §3.1 routing order: a pinning rule, else the model at or above its
// minimum confidence (0.8 by default), else the rules.
class LearnedRoutingTest : public DispatchDeciderTest {
 protected:
  static AssignComplaint WithModel(const std::string& department, double confidence) {
    return AssignComplaint{
        "C1", {}, ModelAnswer{"a1b2c3d4e5f60718", department, confidence, "night patrol", 0.7}};
  }
};

TEST_F(LearnedRoutingTest, AConfidentModelRoutesAndIsRecordedWithItsConfidence) {
  auto events = Decide(Classifiedly("plumbing", v1::PRIORITY_P2), WithModel("cleaning", 0.91));
  ASSERT_EQ(events.size(), 2u);
  const v1::ComplaintAssigned& assigned = events[0].assigned();
  EXPECT_EQ(assigned.department(), "cleaning");
  EXPECT_EQ(assigned.team(), "night patrol");
  EXPECT_FALSE(assigned.has_rule());
  EXPECT_EQ(assigned.model().version(), "a1b2c3d4e5f60718");
  EXPECT_DOUBLE_EQ(assigned.model().confidence(), 0.91);
  EXPECT_DOUBLE_EQ(assigned.model().team_confidence(), 0.7);
  EXPECT_THAT(assigned.reason(), HasSubstr("learned routing: cleaning (model a1b2c3d4e5f60718, "
                                           "confidence 0.91, at least 0.80 needed); the rules "
                                           "would name engineering"));
  EXPECT_EQ(events[1].receiver_briefed().department(), "cleaning");
}

TEST_F(LearnedRoutingTest, BelowTheMinimumTheRulesDecide) {
  auto events = Decide(Classifiedly("plumbing", v1::PRIORITY_P2), WithModel("cleaning", 0.79));
  const v1::ComplaintAssigned& assigned = events[0].assigned();
  EXPECT_EQ(assigned.department(), "engineering");
  EXPECT_EQ(assigned.rule().id(), "plumbing");
  EXPECT_FALSE(assigned.has_model());
  EXPECT_THAT(assigned.reason(),
              HasSubstr("the model's cleaning at confidence 0.79 was not taken"));
}

TEST_F(LearnedRoutingTest, AModelWithNoAnswerLeavesItToTheRules) {
  auto events = Decide(Classifiedly("plumbing", v1::PRIORITY_P2),
                       AssignComplaint{"C1", {}, ModelAnswer{"a1b2c3d4e5f60718", "", 0, "", 0}});
  EXPECT_EQ(events[0].assigned().rule().id(), "plumbing");
  EXPECT_THAT(events[0].assigned().reason(),
              HasSubstr("the model (a1b2c3d4e5f60718) knew none of its words"));
}

TEST_F(LearnedRoutingTest, APinningRuleWinsOverAnyModel) {
  auto events = Decide(Classifiedly("safety", v1::PRIORITY_P1), WithModel("cleaning", 0.99));
  EXPECT_EQ(events[0].assigned().department(), "security");
  EXPECT_EQ(events[0].assigned().rule().id(), "safety-urgent");
  EXPECT_FALSE(events[0].assigned().has_model());
}

TEST_F(LearnedRoutingTest, WithoutAModelTheRulesDecideAsBefore) {
  auto events = Decide(Classifiedly("plumbing", v1::PRIORITY_P2), AssignComplaint{"C1", {}});
  EXPECT_EQ(events[0].assigned().rule().id(), "plumbing");
  EXPECT_THAT(events[0].assigned().reason(), ::testing::Not(HasSubstr("model")));
}

}  // namespace
}  // namespace complaints::dispatch
