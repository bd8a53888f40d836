// Durable timers of the tracking shell: each fires once, across a restart,
// and none while the clock is paused.
#include "services/tracking/app/tracking_commands_fixture.h"
#include "services/tracking/domain/due_timers.h"

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

}  // namespace
}  // namespace complaints::tracking
