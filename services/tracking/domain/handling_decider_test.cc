// §3.2 extensions, §3.3 investigation, §3.4 result, §4.1 follow-up, §4.2
// archive, §5.2 status reports and feedback, as given / when / then.
#include "services/tracking/domain/handling_decider.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/tracking/domain/sla_decider.h"
#include "services/tracking/domain/test_config.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using complaints::testing::Given;
using complaints::testing::Story;
using ::testing::HasSubstr;

// Thursday 26 Nov 2026 09:00 in Shanghai; P1 ordinary: resolve by 17:00.
const char kReceivedAt[] = "2026-11-26T09:00:00+08:00";
absl::Time T(int day, int hh, int mm = 0) { return Shanghai(2026, 11, day, hh, mm); }

class HandlingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto policy = TestHandlingPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status();
    decider_ =
        std::make_unique<HandlingDecider>(*HandlingDecider::Create(*policy, &book_, &calendar_));
    story_ = std::make_unique<Story<HandlingDecider>>(
        *decider_, v1::WRITER_TRACKING,
        std::vector<v1::Envelope>{
            complaints::testing::Received("C1", 1, kReceivedAt),
            complaints::testing::Classified("C1", "plumbing", v1::PRIORITY_P1)});
    story_->Append(Story(sla_, v1::WRITER_TRACKING, story_->history())
                       .Try(StartClock{"C1", v1::PRIORITY_P1, v1::COMPLEXITY_ORDINARY}));
    history_ = story_->history();
  }
  v1::ComplaintView View() const { return story_->View(); }
  // Decides, expects success, appends and returns the events.
  std::vector<v1::Envelope> Do(const auto& command) {
    std::vector<v1::Envelope> events = story_->Do(command);
    history_ = story_->history();
    return events;
  }
  void ResolveAndCommunicate(int day = 26) {
    Do(Resolve{"C1", "pipe joint failed", "joint replaced", "quarterly checks of riser joints",
               T(day, 15)});
    Do(CommunicateResult{"C1", v1::CHANNEL_PHONE, "thanks", T(day, 16)});
  }

  SlaBook book_ = StandardSla();
  BusinessCalendar calendar_ = StandardCalendar();
  SlaDecider sla_{&book_, &calendar_};
  std::unique_ptr<HandlingDecider> decider_;
  std::unique_ptr<Story<HandlingDecider>> story_;
  std::vector<v1::Envelope> history_;  // the story so far, for Given(...)
};

TEST_F(HandlingTest, Section33NotesAndEvidenceAreRecordedWhileInHand) {
  Do(AddNote{"C1", "visited 1202, water from the riser", T(26, 10)});
  v1::Attachment photo;
  photo.set_name("riser.jpg");
  photo.set_sha256(std::string(64, 'a'));
  auto events = Do(CollectEvidence{"C1", photo, "photo of the leaking joint", T(26, 10, 5)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(View().tracking().handling().notes(), 1);
  EXPECT_EQ(View().tracking().handling().evidence(), 1);
  Given(*decider_, history_)
      .When(AddNote{"C1", "  ", T(26, 11)})
      .ThenError(absl::StatusCode::kInvalidArgument, "text");
}

TEST_F(HandlingTest, Section24ACallBackThatEndsTheComplaintClosesItOnce) {
  v1::Envelope confirmed = complaints::testing::EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  confirmed.mutable_verification_recorded()->set_outcome(v1::VERIFICATION_OUTCOME_CONFIRMED);
  EXPECT_FALSE(IntakeEndPolicy(confirmed).has_value()) << "confirmed: handling goes on";
  v1::Envelope solved = complaints::testing::EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  solved.mutable_verification_recorded()->set_outcome(v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  solved.mutable_verification_recorded()->set_explanation("the neighbour fixed the pipe");
  *solved.mutable_occurred_at() = ToProto(T(26, 11));
  std::optional<EndAtIntake> end = IntakeEndPolicy(solved);
  ASSERT_TRUE(end.has_value());
  auto events = Do(*end);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].closed().reason(),
            "verification call-back: already_resolved: the neighbour fixed the pipe");
  EXPECT_EQ(View().tracking().handling().status(), v1::HANDLING_STATUS_CLOSED);
  Given(*decider_, history_).When(*end).Then({});
}

TEST_F(HandlingTest, AWithdrawalClosesTheComplaintWithTheComplainantsReason) {
  v1::Envelope withdrawn = complaints::testing::EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  withdrawn.mutable_withdrawn()->set_reason("the caretaker fixed it");
  *withdrawn.mutable_occurred_at() = ToProto(T(26, 12));
  std::optional<EndAtIntake> end = IntakeEndPolicy(withdrawn);
  ASSERT_TRUE(end.has_value());
  auto events = Do(*end);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].closed().reason(), "withdrawn by the complainant: the caretaker fixed it");
  EXPECT_EQ(View().tracking().handling().status(), v1::HANDLING_STATUS_CLOSED);
  Given(*decider_, history_).When(*end).Then({});
}

TEST_F(HandlingTest, Section31EveryNewHolderIsNotifiedUntilTheComplaintCloses) {
  v1::Envelope briefed = complaints::testing::EnvelopeOf("C1", v1::WRITER_DISPATCH, 2);
  briefed.mutable_receiver_briefed()->set_department("security");
  briefed.mutable_receiver_briefed()->set_handler("guard-zhao");
  *briefed.mutable_occurred_at() = ToProto(T(26, 11));
  EXPECT_FALSE(HandoverPolicy(complaints::testing::Assigned("C1", "security", 2)).has_value());
  std::optional<NotifyReceiver> notify = HandoverPolicy(briefed);
  ASSERT_TRUE(notify.has_value());
  auto events = Do(*notify);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].receiver_notified().department(), "security");
  EXPECT_EQ(events[0].receiver_notified().handler(), "guard-zhao");
  EXPECT_EQ(FromProto(events[0].occurred_at()), T(26, 11));
  v1::Envelope withdrawn = complaints::testing::EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  withdrawn.mutable_withdrawn()->set_reason("fixed");
  Do(*IntakeEndPolicy(withdrawn));
  Given(*decider_, history_).When(*notify).Then({});
}

TEST_F(HandlingTest, Section32ExtensionBeforeTheDeadlineApprovedMovesIt) {
  Do(RequestExtension{"C1", v1::SLA_TARGET_RESOLVE, 120, "the spare part arrives tomorrow",
                      T(26, 14)});
  Given(*decider_, history_)
      .When(RequestExtension{"C1", v1::SLA_TARGET_RESOLVE, 60, "again", T(26, 14, 30)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "awaiting a decision");
  auto events = Do(DecideExtension{"C1", true, "part confirmed by the supplier",
                                   "We need two more hours.", T(26, 15)});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].extension_decided().approved());
  EXPECT_EQ(FromProto(events[1].deadlines_set().resolve_by()), T(26, 19)) << "17:00 + 2 h";
  EXPECT_THAT(events[1].deadlines_set().reason(), HasSubstr("extension approved"));
}

TEST_F(HandlingTest, Section32ExtensionRefusedOrTooLateChangesNoDeadline) {
  Given(*decider_, history_)
      .When(RequestExtension{"C1", v1::SLA_TARGET_RESOLVE, 120, "late", T(26, 17, 1)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "ask before it");
  Given(*decider_, history_)
      .When(RequestExtension{"C1", v1::SLA_TARGET_RESOLVE, 99999, "too much", T(26, 10)})
      .ThenError(absl::StatusCode::kInvalidArgument, "extra_minutes");
  Do(RequestExtension{"C1", v1::SLA_TARGET_RESOLVE, 120, "busy", T(26, 14)});
  auto events =
      Do(DecideExtension{"C1", false, "not a reason", "We will finish today.", T(26, 15)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].extension_decided().approved());
  EXPECT_EQ(FromProto(View().tracking().resolve_by()), T(26, 17));
}

TEST_F(HandlingTest, Section34ResolutionNeedsOutcomeSolutionAndPrevention) {
  Given(*decider_, history_)
      .When(Resolve{"C1", "joint failed", "replaced", "", T(26, 15)})
      .ThenError(absl::StatusCode::kInvalidArgument, "prevention");
  Given(*decider_, history_)
      .When(CommunicateResult{"C1", v1::CHANNEL_PHONE, "", T(26, 15)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "no result to communicate");
  ResolveAndCommunicate();
  EXPECT_EQ(View().tracking().handling().status(), v1::HANDLING_STATUS_COMMUNICATED);
  Given(*decider_, history_)
      .When(CommunicateResult{"C1", v1::CHANNEL_PHONE, "", T(26, 17)})
      .Then({});
}

TEST_F(HandlingTest, Section41SatisfiedFollowUpClosesTheComplaint) {
  ResolveAndCommunicate();
  auto events = Do(RecordFollowUp{"C1", 4, "quick and tidy", T(27, 10)});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].follow_up_recorded().satisfied());
  EXPECT_EQ(events[1].closed().reason(), "satisfied (4/5)");
  EXPECT_EQ(events[1].closed().policy().id(), "handling");
  EXPECT_EQ(events[0].follow_up_recorded().policy().version(), 1);
  EXPECT_EQ(View().tracking().handling().status(), v1::HANDLING_STATUS_CLOSED);
}

TEST_F(HandlingTest, Section41UnsatisfiedFollowUpReopensWithNewTargets) {
  ResolveAndCommunicate();
  auto events = Do(RecordFollowUp{"C1", 2, "still damp", T(27, 10)});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].reopened().round(), 1);
  EXPECT_THAT(events[1].reopened().reason(), HasSubstr("unsatisfied (2/5): still damp"));
  EXPECT_EQ(FromProto(events[2].deadlines_set().clock_started_at()), T(27, 10));
  EXPECT_EQ(FromProto(events[2].deadlines_set().resolve_by()), T(27, 18)) << "P1 ordinary: 8 hours";
  const v1::ComplaintView view = View();
  EXPECT_EQ(view.tracking().handling().status(), v1::HANDLING_STATUS_OPEN);
  EXPECT_EQ(FromProto(view.tracking().sla().started_at()), T(27, 10));
  Given(*decider_, history_)
      .When(RecordFollowUp{"C1", 9, "", T(27, 11)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "no communicated result");
}

TEST_F(HandlingTest, Section41LongTermCheckAfterThirtyDaysMayReopen) {
  ResolveAndCommunicate();
  Do(RecordFollowUp{"C1", 5, "", T(27, 10)});
  Given(*decider_, history_)
      .When(RecordLongTermCheck{"C1", true, "", T(28, 10)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "is checked from");
  auto events =
      Do(RecordLongTermCheck{"C1", true, "damp patch is back", Shanghai(2026, 12, 27, 10, 0)});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[0].long_term_check_recorded().recurred());
  EXPECT_THAT(events[1].reopened().reason(), HasSubstr("came back: damp patch is back"));
}

TEST_F(HandlingTest, Section42ArchivedOnlyAfterTheRetentionPeriod) {
  ResolveAndCommunicate();
  Do(RecordFollowUp{"C1", 5, "", T(27, 10)});
  Given(*decider_, history_)
      .When(ArchiveComplaint{"C1", Shanghai(2027, 6, 1, 0, 0)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "retention");
  auto events = Do(ArchiveComplaint{"C1", Shanghai(2027, 11, 28, 0, 0)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].has_archived());
  Given(*decider_, history_).When(ArchiveComplaint{"C1", Shanghai(2027, 12, 1, 0, 0)}).Then({});
}

TEST_F(HandlingTest, Section41TheLongTermCheckIsRemindedOnceWhenItsDaysHavePassed) {
  ResolveAndCommunicate();
  Given(*decider_, history_)
      .When(RemindLongTermCheck{"C1", Shanghai(2026, 12, 30, 0, 0)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "is not closed");
  Do(RecordFollowUp{"C1", 5, "", T(27, 10)});
  Given(*decider_, history_)
      .When(RemindLongTermCheck{"C1", Shanghai(2026, 12, 1, 0, 0)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not due its check yet");
  auto events = Do(RemindLongTermCheck{"C1", Shanghai(2026, 12, 28, 0, 0)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].long_term_check_due().after_days(), 30);
  EXPECT_TRUE(View().tracking().handling().long_term_check_due());
  Given(*decider_, history_).When(RemindLongTermCheck{"C1", Shanghai(2026, 12, 29, 0, 0)}).Then({});
}

TEST_F(HandlingTest, Section52StatusReportAfterTwoDaysOfSilenceOnly) {
  Given(*decider_, history_).When(ReportStatus{"C1", T(27, 9)}).Then({});
  auto events = Do(ReportStatus{"C1", T(28, 9, 30)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].status_reported().message(), HasSubstr("is being handled"));
  // The report itself is news: the next one waits another two days.
  Given(*decider_, history_).When(ReportStatus{"C1", T(29, 9)}).Then({});
}

TEST_F(HandlingTest, Section52FeedbackIsRecorded) {
  auto events = Do(
      RecordFeedback{"C1", "suggestion", "send an SMS when the plumber is on the way", T(26, 12)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].feedback_recorded().kind(), "suggestion");
  Given(*decider_, history_)
      .When(RecordFeedback{"C1", "complaint", "x", T(26, 12)})
      .ThenError(absl::StatusCode::kInvalidArgument, "kind");
}

TEST(HandlingPolicy, BadPolicyNamesTheField) {
  SlaBook book = StandardSla();
  BusinessCalendar calendar = StandardCalendar();
  v1::HandlingPolicy policy = *TestHandlingPolicy();
  policy.set_satisfied_from_score(6);
  EXPECT_THAT(std::string(HandlingDecider::Create(policy, &book, &calendar).status().message()),
              HasSubstr("satisfied_from_score"));
}

// §3.1 the decider as a story about one complaint sees the other complaint
// of a link (or the duplicates of a resolution) as given.
struct LinkedTo {
  const HandlingDecider& decider;
  v1::ComplaintView primary;
  HandlingDecider::Events Decide(const LinkDuplicate& command,
                                 const v1::ComplaintView& view) const {
    return decider.Decide(command, view, primary);
  }
};
struct WithDuplicates {
  const HandlingDecider& decider;
  std::vector<v1::ComplaintView> duplicates;
  HandlingDecider::Events Decide(const Resolve& command, const v1::ComplaintView& view) const {
    return decider.Decide(command, view, duplicates);
  }
};

class DuplicateTest : public HandlingTest {
 protected:
  // Another open complaint, its clock started like C1's.
  std::vector<v1::Envelope> Open(const std::string& id) const {
    Story<HandlingDecider> story(
        *decider_, v1::WRITER_TRACKING,
        {complaints::testing::Received(id, 1, kReceivedAt),
         complaints::testing::Classified(id, "plumbing", v1::PRIORITY_P1)});
    story.Append(Story(sla_, v1::WRITER_TRACKING, story.history())
                     .Try(StartClock{id, v1::PRIORITY_P1, v1::COMPLEXITY_ORDINARY}));
    return story.history();
  }
  static v1::ComplaintView ViewOf(const std::vector<v1::Envelope>& history) {
    v1::ComplaintView view;
    for (const v1::Envelope& event : history) view = Evolve(std::move(view), event);
    return view;
  }
  // `history` with `event` recorded on it as tracking's next event.
  static std::vector<v1::Envelope> With(std::vector<v1::Envelope> history, v1::Envelope event) {
    int64_t sequence = 0;
    for (const v1::Envelope& earlier : history) {
      if (earlier.writer() == v1::WRITER_TRACKING)
        sequence = std::max(sequence, earlier.sequence());
    }
    event.set_complaint_id(history.front().complaint_id());
    event.set_writer(v1::WRITER_TRACKING);
    event.set_sequence(sequence + 1);
    history.push_back(std::move(event));
    return history;
  }
  LinkDuplicate Link(const std::string& id, const std::string& primary) const {
    return {id, primary, "the same burst riser, called in twice", T(26, 10)};
  }
};

TEST_F(DuplicateTest, Section31ALinkIsRecordedOnBothComplaints) {
  const std::vector<v1::Envelope> c2 = Open("C2");
  const std::vector<v1::Envelope> events =
      Given(LinkedTo{*decider_, ViewOf(c2)}, history_).When(Link("C1", "C2")).ThenEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].complaint_id(), "") << "on the duplicate itself";
  EXPECT_EQ(events[0].duplicate_linked().primary_id(), "C2");
  EXPECT_EQ(events[0].duplicate_linked().duplicate_id(), "C1");
  EXPECT_EQ(events[0].duplicate_linked().reason(), "the same burst riser, called in twice");
  EXPECT_EQ(events[1].complaint_id(), "C2") << "and on its primary";
  EXPECT_EQ(events[1].duplicate_linked().duplicate_id(), "C1");
  // Both views hold the link; stating it again decides nothing.
  const std::vector<v1::Envelope> c1 = With(history_, events[0]);
  const std::vector<v1::Envelope> c2_linked = With(c2, events[1]);
  EXPECT_EQ(ViewOf(c1).tracking().handling().duplicate_of(), "C2");
  EXPECT_THAT(ViewOf(c2_linked).tracking().handling().duplicates(), ::testing::ElementsAre("C1"));
  Given(LinkedTo{*decider_, ViewOf(c2_linked)}, c1).When(Link("C1", "C2")).Then({});
}

TEST_F(DuplicateTest, Section31NoLinkMakesACycleOrAChain) {
  const std::vector<v1::Envelope> c2 = Open("C2");
  const std::vector<v1::Envelope> events =
      Given(LinkedTo{*decider_, ViewOf(c2)}, history_).When(Link("C1", "C2")).ThenEvents();
  ASSERT_EQ(events.size(), 2u);
  const std::vector<v1::Envelope> c1 = With(history_, events[0]);
  const std::vector<v1::Envelope> c2_linked = With(c2, events[1]);
  const std::vector<v1::Envelope> c3 = Open("C3");
  // Itself.
  Given(LinkedTo{*decider_, ViewOf(history_)}, history_)
      .When(Link("C1", "C1"))
      .ThenError(absl::StatusCode::kInvalidArgument, "primary_id: the complaint itself");
  // Back again: C2 -> C1 while C1 -> C2.
  Given(LinkedTo{*decider_, ViewOf(c1)}, c2_linked)
      .When(Link("C2", "C1"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "C1 is itself a duplicate of C2");
  // A chain: C3 -> C1 while C1 -> C2 (link to C2 instead).
  Given(LinkedTo{*decider_, ViewOf(c1)}, c3)
      .When(Link("C3", "C1"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "link to that one");
  // A primary with duplicates does not become a duplicate itself.
  Given(LinkedTo{*decider_, ViewOf(c3)}, c2_linked)
      .When(Link("C2", "C3"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "1 duplicates of its own");
  // Linked elsewhere already.
  Given(LinkedTo{*decider_, ViewOf(c3)}, c1)
      .When(Link("C1", "C3"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "a duplicate of C2 already");
  // A primary tracking does not know.
  Given(LinkedTo{*decider_, v1::ComplaintView()}, c3)
      .When(Link("C3", "C9"))
      .ThenError(absl::StatusCode::kNotFound, "C9 is not known");
  // An unknown primary's id is echoed escaped: no control character reaches
  // the caller's terminal or a log.
  Given(LinkedTo{*decider_, v1::ComplaintView()}, c3)
      .When(Link("C3", "C9\x1b[2J\n"))
      .ThenError(absl::StatusCode::kNotFound, "C9\\u{001B}[2J\\u{000A} is not known");
  // No reason.
  Given(LinkedTo{*decider_, ViewOf(c2)}, c3)
      .When(LinkDuplicate{"C3", "C2", " ", T(26, 10)})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
}

TEST_F(DuplicateTest, Section31AMistakenLinkIsTakenBackOnBothSides) {
  const std::vector<v1::Envelope> c2 = Open("C2");
  const std::vector<v1::Envelope> linked =
      Given(LinkedTo{*decider_, ViewOf(c2)}, history_).When(Link("C1", "C2")).ThenEvents();
  ASSERT_EQ(linked.size(), 2u);
  const std::vector<v1::Envelope> c1 = With(history_, linked[0]);
  const std::vector<v1::Envelope> unlinked =
      Given(*decider_, c1).When(UnlinkDuplicate{"C1", "another flat", T(26, 11)}).ThenEvents();
  ASSERT_EQ(unlinked.size(), 2u);
  EXPECT_EQ(unlinked[0].duplicate_unlinked().primary_id(), "C2");
  EXPECT_EQ(unlinked[1].complaint_id(), "C2");
  EXPECT_TRUE(ViewOf(With(c1, unlinked[0])).tracking().handling().duplicate_of().empty());
  EXPECT_TRUE(
      ViewOf(With(With(c2, linked[1]), unlinked[1])).tracking().handling().duplicates().empty());
  Given(*decider_, history_)
      .When(UnlinkDuplicate{"C1", "another flat", T(26, 11)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "is no duplicate");
  Given(*decider_, c1)
      .When(UnlinkDuplicate{"C1", "", T(26, 11)})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
}

TEST_F(DuplicateTest, Section31OnlyOpenComplaintsAreLinked) {
  const std::vector<v1::Envelope> c2 = Open("C2");
  Do(Resolve{"C1", "fixed", "joint replaced", "checks", T(26, 11)});
  Given(LinkedTo{*decider_, ViewOf(c2)}, history_)
      .When(Link("C1", "C2"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "C1 is not open");
  Given(LinkedTo{*decider_, View()}, c2)
      .When(Link("C2", "C1"))
      .ThenError(absl::StatusCode::kFailedPrecondition, "C1 is not open");
}

TEST_F(DuplicateTest, Section31ADuplicateFollowsItsPrimarysResolution) {
  // Given C2 a duplicate of C1, and C3 a duplicate resolved on its own,
  std::vector<v1::Envelope> c2 = Open("C2");
  const std::vector<v1::Envelope> linked =
      Given(LinkedTo{*decider_, View()}, c2).When(Link("C2", "C1")).ThenEvents();
  ASSERT_EQ(linked.size(), 2u);
  c2 = With(c2, linked[0]);
  story_->Append({linked[1]});
  history_ = story_->history();
  std::vector<v1::Envelope> c3 = Open("C3");
  c3 = With(c3, Story(*decider_, v1::WRITER_TRACKING, c3)
                    .Try(Resolve{"C3", "fixed", "valve", "checks", T(26, 11)})
                    .at(0));
  // when C1 is resolved,
  const Resolve resolve{"C1", "pipe joint failed", "joint replaced", "quarterly checks", T(26, 15)};
  const std::vector<v1::Envelope> events =
      Given(WithDuplicates{*decider_, {ViewOf(c2), ViewOf(c3)}}, history_)
          .When(resolve)
          .ThenEvents();
  // then the open duplicate is resolved with it, the other left as it is.
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].complaint_id(), "");
  EXPECT_EQ(events[0].resolved().solution(), "joint replaced");
  EXPECT_EQ(events[1].complaint_id(), "C2");
  EXPECT_EQ(events[1].resolved().outcome(), "pipe joint failed");
  EXPECT_EQ(events[1].resolved().solution(), "joint replaced (as its primary C1)");
  // A resolution refused for the primary resolves no duplicate either.
  Given(WithDuplicates{*decider_, {ViewOf(c2)}}, history_)
      .When(Resolve{"C1", "", "joint replaced", "checks", T(26, 15)})
      .ThenError(absl::StatusCode::kInvalidArgument, "outcome");
}

}  // namespace
}  // namespace complaints::tracking
