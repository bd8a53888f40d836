// The running timers as a projection of the view.
#include "services/tracking/domain/due_timers.h"

#include <algorithm>
#include <functional>

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"

namespace complaints::tracking {
namespace {

using complaints::testing::EnvelopeOf;
using complaints::testing::Received;

v1::HandlingPolicy Policy() {
  v1::HandlingPolicy policy;
  policy.set_status_report_after_hours(48);
  policy.set_archive_after_days(365);
  policy.set_long_term_check_after_days(30);
  return policy;
}

absl::Time At(const char* rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  return time;
}

class DueTimersTest : public ::testing::Test {
 protected:
  void Apply(v1::Envelope event, const char* at) {
    *event.mutable_occurred_at() = ToProto(At(at));
    view_ = Evolve(std::move(view_), event);
  }
  v1::Envelope Tracking() {
    return EnvelopeOf("C1", v1::WRITER_TRACKING, AppliedSequence(view_, v1::WRITER_TRACKING) + 1);
  }
  void SetDeadlines(const char* at, const char* breach = "2026-11-26T05:00:00Z") {
    v1::Envelope event = Tracking();
    v1::DeadlinesSet& deadlines = *event.mutable_deadlines_set();
    *deadlines.mutable_clock_started_at() = ToProto(At(at));
    for (auto [id, fire] :
         {std::pair{"R/warning@1", "2026-11-26T04:00:00Z"}, std::pair{"R/breach@1", breach}}) {
      v1::ScheduledTimer& timer = *deadlines.add_timers();
      timer.set_timer_id(id);
      *timer.mutable_fire_at() = ToProto(At(fire));
    }
    Apply(event, at);
  }

  v1::ComplaintView view_;
};

TEST_F(DueTimersTest, AnOpenComplaintRunsItsUnfiredDeadlineTimersAndAStatusReport) {
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  EXPECT_TRUE(DueTimers(view_, Policy()).empty()) << "not under tracking's care yet";
  SetDeadlines("2026-11-26T01:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2026-11-26T04:00:00Z"), "R/warning@1"},
                                   {At("2026-11-26T05:00:00Z"), "R/breach@1"},
                                   {At("2026-11-28T01:00:00Z"), kStatusReportTimer}}));

  v1::Envelope warned = Tracking();
  warned.mutable_deadline_warning()->set_timer_id("R/warning@1");
  Apply(warned, "2026-11-26T04:00:00Z");
  v1::Envelope note = Tracking();
  note.mutable_status_reported()->set_message("news");
  Apply(note, "2026-11-27T00:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2026-11-26T05:00:00Z"), "R/breach@1"},
                                   {At("2026-11-29T00:00:00Z"), kStatusReportTimer}}))
      << "a fired timer is gone; news moves the status report";

  v1::Envelope paused = Tracking();
  paused.mutable_clock_paused()->set_reason("waiting");
  Apply(paused, "2026-11-27T01:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2026-11-29T00:00:00Z"), kStatusReportTimer}}))
      << "a paused clock runs no deadline timer";
}

TEST_F(DueTimersTest, NoStatusReportRunsBeforeTheReceiptIsKnown) {
  SetDeadlines("2026-11-26T01:00:00Z");  // tracking's events read back before intake's
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2026-11-26T04:00:00Z"), "R/warning@1"},
                                   {At("2026-11-26T05:00:00Z"), "R/breach@1"}}));
}

TEST_F(DueTimersTest, ResolvedKeepsTheStatusReportAndClosedArchivesAfterTheRetention) {
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  SetDeadlines("2026-11-26T01:00:00Z");
  v1::Envelope resolved = Tracking();
  resolved.mutable_resolved()->set_outcome("fixed");
  Apply(resolved, "2026-11-26T02:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2026-11-28T01:00:00Z"), kStatusReportTimer}}));
  v1::Envelope closed = Tracking();
  closed.mutable_closed()->set_reason("satisfied");
  Apply(closed, "2026-11-27T00:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2027-11-27T00:00:00Z"), kArchiveTimer}}));
  v1::Envelope archived = Tracking();
  archived.mutable_archived();
  Apply(archived, "2027-11-27T00:00:00Z");
  EXPECT_TRUE(DueTimers(view_, Policy()).empty());
}

TEST_F(DueTimersTest, AComplaintClosedAsSatisfiedIsCheckedOnAfterItsDays) {
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  SetDeadlines("2026-11-26T01:00:00Z");
  v1::Envelope survey = Tracking();
  survey.mutable_follow_up_recorded()->set_satisfaction(5);
  Apply(survey, "2026-11-27T00:00:00Z");
  v1::Envelope closed = Tracking();
  closed.mutable_closed()->set_reason("satisfied (5/5)");
  Apply(closed, "2026-11-27T00:00:00Z");
  const absl::Time check =
      At("2026-11-27T00:00:00Z") + absl::Hours(24 * Policy().long_term_check_after_days());
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2027-11-27T00:00:00Z"), kArchiveTimer},
                                   {check, kLongTermCheckTimer}}));
  v1::Envelope due = Tracking();
  due.mutable_long_term_check_due()->set_after_days(Policy().long_term_check_after_days());
  Apply(due, "2026-12-27T00:00:00Z");
  EXPECT_EQ(DueTimers(view_, Policy()),
            (std::vector<DueTimer>{{At("2027-11-27T00:00:00Z"), kArchiveTimer}}))
      << "reminded once";
}

// The deadline timers DueTimers lists: all of them less the others.
std::vector<DueTimer> DeadlineTimers(const v1::ComplaintView& view) {
  std::vector<DueTimer> deadline = DueTimers(view, Policy());
  for (const DueTimer& other : DueTimers(view, Policy(), TimerSet::kWithoutDeadlines)) {
    deadline.erase(std::find(deadline.begin(), deadline.end(), other));
  }
  return deadline;
}

TEST_F(DueTimersTest, TheFirstResponsesTimersStopOnceTheReceiverAccepted) {
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  v1::Envelope plan = Tracking();
  v1::DeadlinesSet& deadlines = *plan.mutable_deadlines_set();
  *deadlines.mutable_clock_started_at() = ToProto(At("2026-11-26T01:00:00Z"));
  const char* respond = "SLA_TARGET_RESPOND/breach@sla.p1.ordinary.v1/1795654800";
  const char* resolve = "SLA_TARGET_RESOLVE/warning@sla.p1.ordinary.v1/1795672800";
  for (auto [id, fire] :
       {std::pair{respond, "2026-11-26T01:15:00Z"}, std::pair{resolve, "2026-11-26T07:00:00Z"}}) {
    v1::ScheduledTimer& timer = *deadlines.add_timers();
    timer.set_timer_id(id);
    *timer.mutable_fire_at() = ToProto(At(fire));
  }
  Apply(plan, "2026-11-26T01:00:00Z");
  EXPECT_EQ(DeadlineTimers(view_), (std::vector<DueTimer>{{At("2026-11-26T01:15:00Z"), respond},
                                                          {At("2026-11-26T07:00:00Z"), resolve}}));

  const v1::ComplaintView before = view_;
  v1::Envelope accepted = EnvelopeOf("C1", v1::WRITER_DISPATCH, 1);
  accepted.mutable_assignment_accepted()->set_department("engineering");
  Apply(accepted, "2026-11-26T01:05:00Z");
  EXPECT_EQ(DeadlineTimers(view_), (std::vector<DueTimer>{{At("2026-11-26T07:00:00Z"), resolve}}))
      << "the first response is met: its timers would decide nothing";
  EXPECT_FALSE(SameDeadlineTimers(before, view_)) << "acceptance changes the deadline timers";
}

TEST_F(DueTimersTest, SameDeadlineTimersOnlyWhenTheyAreTheSame) {
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  SetDeadlines("2026-11-26T01:00:00Z");
  // Each step, and whether it leaves the deadline timers as they were.
  struct Step {
    const char* what;
    std::function<void(v1::Envelope&)> payload;
    bool same;
  };
  const std::vector<Step> steps = {
      {"news", [](v1::Envelope& e) { e.mutable_status_reported()->set_message("n"); }, true},
      {"a warning fired",
       [](v1::Envelope& e) { e.mutable_deadline_warning()->set_timer_id("R/warning@1"); }, false},
      {"more news", [](v1::Envelope& e) { e.mutable_status_reported()->set_message("m"); }, true},
      {"paused", [](v1::Envelope& e) { e.mutable_clock_paused()->set_reason("waiting"); }, false},
      {"news while paused", [](v1::Envelope& e) { e.mutable_status_reported()->set_message("p"); },
       true},
      {"resumed", [](v1::Envelope& e) { e.mutable_clock_resumed(); }, false},
      {"resolved", [](v1::Envelope& e) { e.mutable_resolved()->set_outcome("fixed"); }, false},
      {"closed", [](v1::Envelope& e) { e.mutable_closed()->set_reason("done"); }, true},
  };
  for (const Step& step : steps) {
    const v1::ComplaintView before = view_;
    v1::Envelope event = Tracking();
    step.payload(event);
    Apply(event, "2026-11-26T03:00:00Z");
    EXPECT_EQ(SameDeadlineTimers(before, view_), step.same) << step.what;
    if (SameDeadlineTimers(before, view_)) {
      EXPECT_EQ(DeadlineTimers(before), DeadlineTimers(view_)) << step.what;
    } else {
      EXPECT_NE(DeadlineTimers(before), DeadlineTimers(view_)) << step.what;
    }
  }

  v1::ComplaintView replanned = view_;
  SetDeadlines("2026-11-26T01:00:00Z");
  EXPECT_TRUE(SameDeadlineTimers(replanned, view_)) << "closed: none before or after";

  view_.Clear();
  view_ = Evolve(std::move(view_), Received("C1", 1, "2026-11-26T01:00:00Z"));
  SetDeadlines("2026-11-26T01:00:00Z");
  v1::ComplaintView first_plan = view_;
  SetDeadlines("2026-11-26T01:00:00Z");
  EXPECT_TRUE(SameDeadlineTimers(first_plan, view_)) << "the same plan again";
  SetDeadlines("2026-11-26T01:00:00Z", "2026-11-26T06:00:00Z");
  EXPECT_FALSE(SameDeadlineTimers(first_plan, view_)) << "a plan with another breach";
  EXPECT_NE(DeadlineTimers(first_plan), DeadlineTimers(view_));
  v1::ComplaintView imported = view_;
  imported.mutable_intake()->mutable_history()->set_closed(true);
  EXPECT_FALSE(SameDeadlineTimers(view_, imported));
  EXPECT_TRUE(DeadlineTimers(imported).empty());
  EXPECT_TRUE(SameDeadlineTimers(imported, imported));
}

}  // namespace
}  // namespace complaints::tracking
