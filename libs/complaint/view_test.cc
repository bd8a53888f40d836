// docs/architecture.md: the complaint view is a fold whose writers own disjoint sub-states.
#include "libs/complaint/view.h"

#include <algorithm>
#include <map>
#include <random>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/testing/events.h"

namespace complaints {
namespace {

using google::protobuf::util::MessageDifferencer;
using namespace complaints::testing;

v1::ComplaintView Fold(const std::vector<v1::Envelope>& events) {
  v1::ComplaintView view;
  for (const v1::Envelope& event : events) view = Evolve(std::move(view), event);
  return view;
}

TEST(ComplaintView, FoldsEveryWritersEvents) {
  v1::ComplaintView view = Fold({Received("C1"), Classified("C1", "plumbing", v1::PRIORITY_P2),
                                 Assigned("C1", "engineering"), Deadlines("C1")});
  EXPECT_EQ(view.complaint_id(), "C1");
  EXPECT_TRUE(view.intake().received());
  EXPECT_EQ(view.intake().category(), "plumbing");
  EXPECT_EQ(view.intake().priority(), v1::PRIORITY_P2);
  EXPECT_EQ(view.intake().location().unit(), "1202");
  EXPECT_EQ(view.dispatch().department(), "engineering");
  EXPECT_EQ(view.tracking().resolve_by().seconds(), 1'800'086'400);
  EXPECT_EQ(view.intake().applied_sequence(), 2);
  EXPECT_EQ(view.dispatch().applied_sequence(), 1);
}

TEST(ComplaintView, AnyInterleavingOfTheWritersGivesTheSameView) {
  const std::vector<v1::Envelope> intake = {Received("C1"),
                                            Classified("C1", "noise", v1::PRIORITY_P3)};
  const std::vector<v1::Envelope> dispatch = {Assigned("C1", "security")};
  const std::vector<v1::Envelope> tracking = {Deadlines("C1")};
  const v1::ComplaintView expected = Fold({intake[0], intake[1], dispatch[0], tracking[0]});
  std::mt19937 random(12345);
  for (int round = 0; round < 50; ++round) {
    // A random merge that keeps each writer's own order.
    std::vector<int> owners = {0, 0, 1, 2};
    std::shuffle(owners.begin(), owners.end(), random);
    size_t next[3] = {0, 0, 0};
    const std::vector<v1::Envelope>* streams[3] = {&intake, &dispatch, &tracking};
    std::vector<v1::Envelope> merged;
    for (int owner : owners) merged.push_back((*streams[owner])[next[owner]++]);
    EXPECT_TRUE(MessageDifferencer::Equals(Fold(merged), expected)) << "round " << round;
  }
}

TEST(ComplaintView, ReclassificationReplacesCategoryPriorityAndComplexity) {
  v1::Envelope reclassified = Classified("C1", "", v1::PRIORITY_UNSPECIFIED, 3);
  reclassified.clear_classified();
  reclassified.mutable_reclassified()->set_category("plumbing");
  reclassified.mutable_reclassified()->set_priority(v1::PRIORITY_P2);
  reclassified.mutable_reclassified()->set_complexity(v1::COMPLEXITY_COMPLEX);
  v1::ComplaintView view =
      Fold({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3), reclassified});
  EXPECT_EQ(view.intake().category(), "plumbing");
  EXPECT_EQ(view.intake().priority(), v1::PRIORITY_P2);
  EXPECT_EQ(view.intake().complexity(), v1::COMPLEXITY_COMPLEX);
  EXPECT_EQ(view.intake().applied_sequence(), 3);
}

// docs/architecture.md: each event changes only its writer's sub-state. Every payload of
// the envelope is listed here with its writer; a new payload that is not
// fails the first check.
TEST(ComplaintView, NoEventChangesAnotherWritersSubState) {
  const std::map<std::string, v1::Writer> writers = {{"received", v1::WRITER_INTAKE},
                                                     {"classified", v1::WRITER_INTAKE},
                                                     {"reclassified", v1::WRITER_INTAKE},
                                                     {"callback_scheduled", v1::WRITER_INTAKE},
                                                     {"callback_unanswered", v1::WRITER_INTAKE},
                                                     {"verification_recorded", v1::WRITER_INTAKE},
                                                     {"evidence_attached", v1::WRITER_INTAKE},
                                                     {"erasure_requested", v1::WRITER_INTAKE},
                                                     {"withdrawn", v1::WRITER_INTAKE},
                                                     {"notification_delivery", v1::WRITER_INTAKE},
                                                     {"assigned", v1::WRITER_DISPATCH},
                                                     {"transferred", v1::WRITER_DISPATCH},
                                                     {"assignment_rejected", v1::WRITER_DISPATCH},
                                                     {"assignment_accepted", v1::WRITER_DISPATCH},
                                                     {"receiver_briefed", v1::WRITER_DISPATCH}};
  const google::protobuf::OneofDescriptor* payload =
      v1::Envelope::descriptor()->FindOneofByName("payload");
  std::mt19937 random(7);
  const v1::ComplaintView base = Fold({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3),
                                       Assigned("C1", "security"), Deadlines("C1")});
  for (int i = 0; i < payload->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = payload->field(i);
    auto it = writers.find(field->name());
    const v1::Writer writer = it == writers.end() ? v1::WRITER_TRACKING : it->second;
    v1::Envelope event;
    event.set_complaint_id("C1");
    event.set_writer(writer);
    event.set_sequence(AppliedSequence(base, writer) + 1);
    event.GetReflection()->MutableMessage(&event, field);
    event.mutable_occurred_at()->set_seconds(1'795'000'000 +
                                             std::uniform_int_distribution<int>(0, 9999)(random));
    const v1::ComplaintView after = Evolve(base, event);
    if (writer != v1::WRITER_INTAKE) {
      EXPECT_TRUE(MessageDifferencer::Equals(after.intake(), base.intake())) << field->name();
    }
    if (writer != v1::WRITER_DISPATCH) {
      EXPECT_TRUE(MessageDifferencer::Equals(after.dispatch(), base.dispatch())) << field->name();
    }
    if (writer != v1::WRITER_TRACKING) {
      EXPECT_TRUE(MessageDifferencer::Equals(after.tracking(), base.tracking())) << field->name();
    }
  }
}

TEST(ComplaintView, OnlyAFinishedDeliveryMarksTheNotificationDone) {
  auto delivery = [](int64_t sequence, v1::DeliveryOutcome outcome) {
    v1::Envelope event;
    event.set_complaint_id("C1");
    event.set_writer(v1::WRITER_INTAKE);
    event.set_sequence(sequence);
    event.mutable_notification_delivery()->set_notification_id("E1/ACK");
    event.mutable_notification_delivery()->set_outcome(outcome);
    return event;
  };
  v1::ComplaintView view = Fold({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3),
                                 delivery(3, v1::DELIVERY_OUTCOME_RETRYING)});
  EXPECT_TRUE(view.intake().notifications_done().empty());
  view = Evolve(view, delivery(4, v1::DELIVERY_OUTCOME_SENT));
  ASSERT_EQ(view.intake().notifications_done_size(), 1);
  EXPECT_EQ(view.intake().notifications_done(0), "E1/ACK");
}

TEST(ComplaintView, RedeliveredEventChangesNothing) {
  v1::ComplaintView once = Fold({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3)});
  v1::Envelope stale = Classified("C1", "plumbing", v1::PRIORITY_P1, /*sequence=*/2);
  EXPECT_TRUE(AlreadyApplied(once, stale));
  EXPECT_TRUE(MessageDifferencer::Equals(Evolve(once, stale), once));
  EXPECT_FALSE(AlreadyApplied(once, Assigned("C1", "security")));
}

// A service that does not read the clock's timers keeps everything else of
// the view: the same view as tracking's with the scheduled and backlog timers
// left out, and timers an earlier release stored are dropped as they change.
TEST(ComplaintView, WithoutTimersIsTheWholeViewLessTheScheduledTimers) {
  v1::Envelope deadlines = Deadlines("C1");
  for (const char* id : {"SLA_TARGET_RESPOND/warning@p.v1/1", "SLA_TARGET_RESOLVE/breach@p.v1/2"}) {
    v1::ScheduledTimer& timer = *deadlines.mutable_deadlines_set()->add_timers();
    timer.set_timer_id(id);
    timer.mutable_fire_at()->set_seconds(1'800'000'000);
  }
  deadlines.mutable_deadlines_set()->mutable_policy()->set_id("p");
  v1::Envelope backlog = EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  backlog.mutable_backlog_entered()->set_department("engineering");
  *backlog.mutable_backlog_entered()->add_timers() = deadlines.deadlines_set().timers(1);
  v1::Envelope warned = EnvelopeOf("C1", v1::WRITER_TRACKING, 3);
  warned.mutable_deadline_warning()->set_timer_id("SLA_TARGET_RESPOND/warning@p.v1/1");
  const std::vector<v1::Envelope> events = {Received("C1"), Assigned("C1", "engineering"),
                                            deadlines, backlog, warned};

  v1::ComplaintView whole;
  v1::ComplaintView without;
  for (const v1::Envelope& event : events) {
    EvolveInPlace(whole, event, ViewParts::kWhole);
    EvolveInPlace(without, event, ViewParts::kWithoutTimers);
  }
  ASSERT_EQ(ScheduledOf(whole.tracking().sla()).size(), 3u);
  ASSERT_EQ(whole.tracking().sla().backlog_timers_size(), 1);
  EXPECT_TRUE(ScheduledOf(without.tracking().sla()).empty());
  EXPECT_EQ(without.tracking().sla().backlog_timers_size(), 0);
  v1::ComplaintView expected = whole;
  ClearScheduled(*expected.mutable_tracking()->mutable_sla());
  expected.mutable_tracking()->mutable_sla()->clear_backlog_timers();
  EXPECT_TRUE(MessageDifferencer::Equals(without, expected)) << without.DebugString();
  EXPECT_EQ(without.tracking().sla().fired_timer_ids_size(), 1);
  EXPECT_EQ(without.tracking().sla().backlog_department(), "engineering");
  EXPECT_EQ(without.tracking().sla().policy().id(), "p");

  // A view an earlier release stored with its timers loses them at the next
  // change of the plan.
  v1::ComplaintView stored = whole;
  UnpackScheduled(stored);
  ASSERT_EQ(stored.tracking().sla().scheduled_size(), 3);
  v1::Envelope replanned = deadlines;
  replanned.set_sequence(4);
  EvolveInPlace(stored, replanned, ViewParts::kWithoutTimers);
  EXPECT_EQ(stored.tracking().sla().scheduled_size(), 0);
  EXPECT_TRUE(stored.tracking().sla().scheduled_timers().empty());
}

// §3.2 one verdict for every reader: lists, figures, reports, dashboard.
TEST(SlaVerdict, OverdueOnceBreachedOnTimeOrNoTargetOnceResolvedElseNone) {
  auto tracking = [](int64_t sequence) { return EnvelopeOf("C1", v1::WRITER_TRACKING, sequence); };
  v1::Envelope resolved = tracking(2);
  resolved.mutable_resolved()->set_outcome("fixed");
  resolved.mutable_occurred_at()->set_seconds(1'800'050'000);
  v1::Envelope breached = tracking(2);
  breached.mutable_deadline_breached()->set_target(v1::SLA_TARGET_RESOLVE);
  breached.mutable_deadline_breached()->set_timer_id("SLA_TARGET_RESOLVE/breach@sla.p3.v1/1");
  v1::Envelope resolved_late = tracking(3);
  resolved_late.mutable_resolved()->set_outcome("fixed late");
  v1::Envelope reopened = tracking(3);
  reopened.mutable_reopened()->set_round(1);
  v1::Envelope respond_breached = tracking(2);
  respond_breached.mutable_deadline_breached()->set_target(v1::SLA_TARGET_RESPOND);
  respond_breached.mutable_deadline_breached()->set_timer_id("SLA_TARGET_RESPOND/breach@x/1");
  const v1::Envelope received = Received("C1");
  const v1::Envelope deadlines = Deadlines("C1");
  v1::Envelope resolved_untimed = tracking(1);
  resolved_untimed.mutable_resolved()->set_outcome("fixed");

  EXPECT_EQ(SlaVerdictOf(Fold({received})), v1::SLA_VERDICT_UNSPECIFIED);
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines})), v1::SLA_VERDICT_UNSPECIFIED)
      << "open within its time";
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines, resolved})), v1::SLA_VERDICT_ON_TIME);
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines, breached})), v1::SLA_VERDICT_OVERDUE)
      << "open past its time";
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines, breached, resolved_late})),
            v1::SLA_VERDICT_OVERDUE);
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines, respond_breached})),
            v1::SLA_VERDICT_UNSPECIFIED)
      << "only the resolve-by time decides";
  EXPECT_EQ(SlaVerdictOf(Fold({received, resolved_untimed})), v1::SLA_VERDICT_NO_TARGET)
      << "never met without a target";
  v1::Envelope resolved_first = resolved;
  resolved_first.set_sequence(2);
  EXPECT_EQ(SlaVerdictOf(Fold({received, deadlines, resolved_first, reopened})),
            v1::SLA_VERDICT_UNSPECIFIED)
      << "open again: judged when resolved again";
}

}  // namespace
}  // namespace complaints
