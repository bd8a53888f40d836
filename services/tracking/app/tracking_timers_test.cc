// Durable timers of the tracking shell: each fires once, across a restart,
// and none while the clock is paused; the index holds one entry per
// complaint, and a timer that decides nothing hides none after it.
#include <map>

#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/testing/events.h"
#include "services/tracking/app/tracking_commands_fixture.h"
#include "services/tracking/app/tracking_projections.h"
#include "services/tracking/domain/due_timers.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

TEST_F(TrackingCommandsTest, DueTimersFireOnceEachAcrossARestartAndStopWhileThePauseLasts) {
  Open("C1", v1::PRIORITY_P1);
  Open("C2", v1::PRIORITY_P1);
  v1::PauseRequest pause;
  pause.set_idempotency_key("pause-1");
  pause.set_complaint_id("C2");
  pause.set_reason("waiting for the owner to let us in");
  v1::PauseResponse paused;
  ASSERT_TRUE(As("staff/eng.wang")->Pause(Call().get(), pause, &paused).ok());
  EXPECT_TRUE(paused.outcome().clock_paused());
  EXPECT_EQ(Fire(), 0u) << "nothing is due yet";

  v1::GetComplaintRequest get;
  get.set_complaint_id("C1");
  v1::GetComplaintResponse before;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetComplaint(&context, get, &before).ok());
  // Every P1 timer but the follow-up target's (3 days) is due within a day.
  int scheduled = 0;
  for (const v1::ScheduledTimer& timer : before.view().tracking().sla().scheduled()) {
    scheduled += FromProto(timer.fire_at()) <= kReceivedAt + absl::Hours(24);
  }
  ASSERT_GT(scheduled, 8);

  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(Fire(), static_cast<size_t>(scheduled)) << "C1's timers; C2's stopped with its clock";
  const int fired = Count("C1", v1::Envelope::kDeadlineWarning) +
                    Count("C1", v1::Envelope::kDeadlineBreached) +
                    Count("C1", v1::Envelope::kEscalated);
  EXPECT_EQ(fired, scheduled);
  EXPECT_GE(Count("C1", v1::Envelope::kEscalated), 2) << "up the chain";
  EXPECT_EQ(Count("C2", v1::Envelope::kDeadlineBreached), 0);
  EXPECT_EQ(Fire(), 0u);

  // A restarted app over the same store fires nothing again.
  absl::StatusOr<size_t> after_restart = NewApp()->FireDueTimers();
  ASSERT_TRUE(after_restart.ok());
  EXPECT_EQ(*after_restart, 0u);

  v1::ResumeRequest resume;
  resume.set_idempotency_key("resume-1");
  resume.set_complaint_id("C2");
  v1::ResumeResponse resumed;
  ASSERT_TRUE(As("staff/eng.wang")->Resume(Call().get(), resume, &resumed).ok());
  EXPECT_FALSE(resumed.outcome().clock_paused());
  clock_.Advance(absl::Hours(23));  // 47 h after receipt: C2's clock ran 24 h + the pause start
  EXPECT_GT(Fire(), 0u);
  EXPECT_GE(Count("C2", v1::Envelope::kDeadlineBreached), 1);

  // §5.2: two days without news, the complainant is told where things stand, once.
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 0);
  clock_.Advance(absl::Hours(2));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 1);
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 1);

  // §4.2: a closed complaint is archived after the retention period.
  Resolve("C1", "r1");
  Communicate("C1", "c1");
  EXPECT_EQ(FollowUp("C1", "f1", 5).status(), v1::HANDLING_STATUS_CLOSED);
  clock_.Advance(absl::Hours(24 * 364));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kArchived), 0);
  clock_.Advance(absl::Hours(24 * 2));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kArchived), 1);
}

class TimerIndexTest : public TrackingCommandsTest {
 protected:
  // Every entry of the timer index, by complaint.
  std::map<std::string, std::vector<DueEntry>> Index() {
    absl::StatusOr<std::vector<DueEntry>> entries =
        DueEntries(store_.get(), clock_.Now() + absl::Hours(24 * 3650), 100'000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    std::map<std::string, std::vector<DueEntry>> by_complaint;
    for (DueEntry& entry : entries.value_or(std::vector<DueEntry>{})) {
      by_complaint[entry.complaint_id].push_back(std::move(entry));
    }
    return by_complaint;
  }

  v1::ComplaintView ViewOf(const std::string& id) {
    v1::GetComplaintRequest get;
    get.set_complaint_id(id);
    v1::GetComplaintResponse got;
    grpc::ClientContext context;
    EXPECT_TRUE(stub_->GetComplaint(&context, get, &got).ok());
    return got.view();
  }

  // §3.1 the receiver accepted `id`'s assignment (dispatch's second event).
  void Accept(const std::string& id) {
    v1::Envelope accepted = complaints::testing::EnvelopeOf(id, v1::WRITER_DISPATCH, 2);
    *accepted.mutable_occurred_at() = ToProto(clock_.Now());
    accepted.mutable_assignment_accepted()->set_department("engineering");
    ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kDispatch, accepted, next_offset_++)}).ok());
  }

  int Fired(const std::string& id) {
    return Count(id, v1::Envelope::kDeadlineWarning) + Count(id, v1::Envelope::kDeadlineBreached) +
           Count(id, v1::Envelope::kEscalated);
  }
};

TEST_F(TimerIndexTest, HoldsEachComplaintsFirstRunningTimerAndNoOther) {
  Open("C1", v1::PRIORITY_P1);
  Open("C2", v1::PRIORITY_P3);
  Open("C3", v1::PRIORITY_P2);
  const std::map<std::string, std::vector<DueEntry>> index = Index();
  ASSERT_EQ(index.size(), 3u);
  for (const auto& [id, entries] : index) {
    ASSERT_EQ(entries.size(), 1u) << id;
    const v1::ComplaintView view = ViewOf(id);
    std::vector<v1::ScheduledTimer> scheduled(view.tracking().sla().scheduled().begin(),
                                              view.tracking().sla().scheduled().end());
    ASSERT_GT(scheduled.size(), 8u) << id;
    absl::Time first = absl::InfiniteFuture();
    for (const v1::ScheduledTimer& timer : scheduled)
      first = std::min(first, FromProto(timer.fire_at()));
    EXPECT_EQ(entries[0].fire_at, first) << id << ": the first of its " << scheduled.size();
  }
}

TEST_F(TimerIndexTest, EveryDeadlineTimerFiresOnceInOneRoundAndTheNextIsIndexed) {
  Open("C1", v1::PRIORITY_P1);
  // §3.1 accepted at once: the first response is met, so its warning, breach
  // and escalations (the first timers of the plan) are no longer running.
  Accept("C1");
  const v1::ComplaintView view = ViewOf("C1");
  const absl::Time later = kReceivedAt + absl::Hours(9);
  int respond = 0;
  int due_others = 0;
  for (const v1::ScheduledTimer& timer : view.tracking().sla().scheduled()) {
    TimerId id;
    ASSERT_TRUE(ParseTimerId(timer.timer_id(), &id)) << timer.timer_id();
    if (FromProto(timer.fire_at()) > later) continue;
    (id.target == v1::SLA_TARGET_RESPOND ? respond : due_others) += 1;
  }
  ASSERT_GE(respond, 4) << "warning, breach and escalations of the first response";
  ASSERT_GE(due_others, 2) << "resolve and communicate warnings within 9 hours";

  clock_.Advance(later - clock_.Now());
  EXPECT_EQ(Fire(), static_cast<size_t>(due_others)) << "one round fires each due timer";
  EXPECT_EQ(Fired("C1"), due_others);
  EXPECT_EQ(Fire(), 0u);
  const std::vector<DueEntry> left = Index()["C1"];
  ASSERT_EQ(left.size(), 1u);
  EXPECT_GT(left[0].fire_at, clock_.Now()) << "the next timer, not yet due";

  // The rest of the plan fires as it falls due, each once.
  clock_.Advance(absl::Hours(24));
  Fire();
  int live = 0;
  for (const v1::ScheduledTimer& timer : view.tracking().sla().scheduled()) {
    TimerId id;
    ASSERT_TRUE(ParseTimerId(timer.timer_id(), &id));
    live += id.target != v1::SLA_TARGET_RESPOND && FromProto(timer.fire_at()) <= clock_.Now();
  }
  EXPECT_EQ(Fired("C1"), live);
  EXPECT_EQ(Fire(), 0u);
}

// The fold alone, over views built from events: what the index holds after
// each change and each firing, whatever the deciders make of a timer.
class TimersFoldTest : public ::testing::Test {
 protected:
  static v1::ScheduledTimer Timer(const std::string& id, absl::Time fire_at) {
    v1::ScheduledTimer timer;
    timer.set_timer_id(id);
    *timer.mutable_fire_at() = ToProto(fire_at);
    return timer;
  }

  // A received complaint under a plan of `timers`.
  v1::ComplaintView Planned(const std::vector<v1::ScheduledTimer>& timers) {
    v1::ComplaintView view =
        Evolve(v1::ComplaintView(), complaints::testing::Received("C1", 1, "2026-11-26T01:00:00Z"));
    v1::Envelope plan = complaints::testing::EnvelopeOf("C1", v1::WRITER_TRACKING, 1);
    *plan.mutable_occurred_at() = ToProto(kReceivedAt);
    *plan.mutable_deadlines_set()->mutable_clock_started_at() = ToProto(kReceivedAt);
    for (const v1::ScheduledTimer& timer : timers)
      *plan.mutable_deadlines_set()->add_timers() = timer;
    return Evolve(std::move(view), plan);
  }

  // Folds one change (after firing `fired`, if any) and writes it.
  void Fold(const v1::ComplaintView& before, const v1::ComplaintView& after,
            const std::vector<DueEntry>& fired = {}) {
    TimersFold fold(store_.get(), &policy_);
    for (const DueEntry& entry : fired) fold.Fired(entry);
    Batch batch;
    const ChangeEvents events;
    ASSERT_TRUE(fold.Fold(batch, {"C1", before, after, events}).ok());
    ASSERT_TRUE(store_->Write(batch, Durability::kBuffered).ok());
  }

  // The index's entries, in key order.
  std::vector<DueEntry> Index() {
    absl::StatusOr<std::vector<DueEntry>> entries =
        DueEntries(store_.get(), kReceivedAt + absl::Hours(24 * 3650), 1000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.value_or(std::vector<DueEntry>{});
  }
  static std::vector<std::string> Names(const std::vector<DueEntry>& entries) {
    std::vector<std::string> names;
    for (const DueEntry& entry : entries) names.push_back(entry.timer);
    return names;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_ =
      *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, tracking::kFamilies);
  v1::HandlingPolicy policy_ = [] {
    v1::HandlingPolicy policy;
    policy.set_status_report_after_hours(48);
    policy.set_archive_after_days(365);
    policy.set_long_term_check_after_days(30);
    return policy;
  }();
};

TEST_F(TimersFoldTest, ATimerThatFiresAndDecidesNothingPassesTheTurnToTheNext) {
  // A first timer the decider cannot read (a plan from another release):
  // listed as running, it decides nothing when it fires.
  const v1::ComplaintView view =
      Planned({Timer("not-a-timer-id", kReceivedAt + absl::Hours(1)),
               Timer("SLA_TARGET_RESOLVE/warning@p.v1/1", kReceivedAt + absl::Hours(2)),
               Timer("SLA_TARGET_RESOLVE/breach@p.v1/2", kReceivedAt + absl::Hours(3))});
  Fold(v1::ComplaintView(), view);
  std::vector<DueEntry> index = Index();
  EXPECT_EQ(Names(index), std::vector<std::string>{"not-a-timer-id"}) << "the first only";

  Fold(view, view, index);  // fired, nothing decided
  index = Index();
  EXPECT_EQ(Names(index), std::vector<std::string>{"SLA_TARGET_RESOLVE/warning@p.v1/1"});

  // The warning fires and is recorded: the breach comes next. The unreadable
  // timer, still listed, is indexed again with the changed list and fires
  // once more, deciding nothing (the safe side of a list that changed).
  v1::Envelope warned = complaints::testing::EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  *warned.mutable_occurred_at() = ToProto(kReceivedAt + absl::Hours(2));
  warned.mutable_deadline_warning()->set_timer_id("SLA_TARGET_RESOLVE/warning@p.v1/1");
  const v1::ComplaintView after_warning = Evolve(view, warned);
  Fold(view, after_warning, index);
  index = Index();
  EXPECT_EQ(Names(index),
            (std::vector<std::string>{"not-a-timer-id", "SLA_TARGET_RESOLVE/breach@p.v1/2"}));
  Fold(after_warning, after_warning, {index[0]});
  EXPECT_EQ(Names(Index()), std::vector<std::string>{"SLA_TARGET_RESOLVE/breach@p.v1/2"});
}

TEST_F(TimersFoldTest, AReplanMovesTheEntryToTheNewFirstTimer) {
  const v1::ComplaintView first =
      Planned({Timer("SLA_TARGET_RESOLVE/warning@p.v1/1", kReceivedAt + absl::Hours(2)),
               Timer("SLA_TARGET_RESOLVE/breach@p.v1/2", kReceivedAt + absl::Hours(3))});
  Fold(v1::ComplaintView(), first);
  v1::Envelope replan = complaints::testing::EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  *replan.mutable_occurred_at() = ToProto(kReceivedAt + absl::Minutes(10));
  *replan.mutable_deadlines_set()->mutable_clock_started_at() = ToProto(kReceivedAt);
  *replan.mutable_deadlines_set()->add_timers() =
      Timer("SLA_TARGET_RESOLVE/warning@p.v2/3", kReceivedAt + absl::Hours(1));
  const v1::ComplaintView second = Evolve(first, replan);
  Fold(first, second);
  const std::vector<DueEntry> index = Index();
  EXPECT_EQ(Names(index), std::vector<std::string>{"SLA_TARGET_RESOLVE/warning@p.v2/3"});
  EXPECT_EQ(index[0].fire_at, kReceivedAt + absl::Hours(1));

  // Closed: nothing of the plan runs, only the archive timer.
  v1::Envelope resolved = complaints::testing::EnvelopeOf("C1", v1::WRITER_TRACKING, 3);
  *resolved.mutable_occurred_at() = ToProto(kReceivedAt + absl::Minutes(20));
  resolved.mutable_closed()->set_reason("withdrawn");
  Fold(second, Evolve(second, resolved));
  EXPECT_EQ(Names(Index()), std::vector<std::string>{kArchiveTimer});
}

}  // namespace
}  // namespace complaints::tracking
