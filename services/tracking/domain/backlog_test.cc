// §4.2 an open import keeps its source due time; one past it at import is
// overdue at once, told of by nobody one by one, and escalated later at its
// department's backlog slot.
#include "services/tracking/domain/backlog.h"

#include "gtest/gtest.h"
#include "libs//complaint/view.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/tracking/domain/due_timers.h"
#include "services/tracking/domain/import_deadline.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_decider.h"
#include "services/tracking/domain/sla_plan.h"
#include "services/tracking/domain/test_config.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using complaints::testing::Story;

const absl::Time kImported = absl::FromUnixSeconds(1'795'000'000);  // 2026-11-18
const absl::Time kOpened = kImported - absl::Hours(24 * 20);
const StartClock kStart{"C1", v1::PRIORITY_P3, v1::COMPLEXITY_ORDINARY};

// An open case of the previous system due at `target`, classified P3.
std::vector<v1::Envelope> OpenImport(absl::Time target) {
  v1::HistoricalCase history;
  history.set_source_system("nyc311");
  history.set_source_id("4711");
  *history.mutable_opened_at() = ToProto(kOpened);
  *history.mutable_target_at() = ToProto(target);
  *history.mutable_imported_at() = ToProto(kImported);
  history.set_department("DSNY");
  v1::Envelope received = complaints::testing::Received("C1");
  *received.mutable_occurred_at() = history.opened_at();
  *received.mutable_recorded_at() = history.opened_at();
  *received.mutable_received()->mutable_history() = history;
  v1::Envelope classified = complaints::testing::Classified("C1", "sanitation", v1::PRIORITY_P3);
  *classified.mutable_occurred_at() = history.opened_at();
  *classified.mutable_recorded_at() = ToProto(kImported);
  return {received, classified};
}

v1::Envelope AssignedTo(const std::string& department) {
  return complaints::testing::Assigned("C1", department);
}

class BacklogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto templates = TestNotificationTemplates();
    ASSERT_TRUE(templates.ok()) << templates.status();
    notifier_ = std::make_unique<Notifier>(*Notifier::Create(*templates, absl::UTCTimeZone()));
  }

  // What tracking's events tell people, each recorded at `at`.
  size_t Told(const std::vector<v1::Envelope>& events, const v1::ComplaintView& view,
              absl::Time at) const {
    size_t told = 0;
    for (v1::Envelope event : events) {
      *event.mutable_recorded_at() = ToProto(at);
      if (!event.has_occurred_at()) *event.mutable_occurred_at() = ToProto(at);
      told += notifier_->For(event, view).size();
    }
    return told;
  }

  SlaBook book_ = StandardSla();
  BusinessCalendar calendar_ = StandardCalendar();
  SlaDecider decider_{&book_, &calendar_};
  std::unique_ptr<Notifier> notifier_;
  BacklogRules rules_;
};

TEST_F(BacklogTest, AnOpenImportDueLaterKeepsItsSourceDueTime) {
  const absl::Time target = kImported + absl::Hours(30);
  Story<SlaDecider> story(decider_, v1::WRITER_TRACKING, OpenImport(target));
  const std::vector<v1::Envelope> started = story.Do(kStart);
  ASSERT_EQ(started.size(), 1u) << "nothing breached yet";
  const v1::DeadlinesSet& deadlines = started[0].deadlines_set();
  EXPECT_FALSE(deadlines.backlog());
  EXPECT_EQ(FromProto(deadlines.clock_started_at()), kOpened);
  EXPECT_EQ(FromProto(deadlines.resolve_by()), target);
  EXPECT_FALSE(deadlines.has_respond_by()) << "the previous system gave the first response";
  bool breach_at_target = false;
  for (const v1::ScheduledTimer& timer : deadlines.timers()) {
    EXPECT_GT(FromProto(timer.fire_at()), kImported) << timer.timer_id();
    TimerId id;
    ASSERT_TRUE(ParseTimerId(timer.timer_id(), &id));
    EXPECT_NE(id.target, v1::SLA_TARGET_RESPOND);
    breach_at_target |= id.target == v1::SLA_TARGET_RESOLVE && id.kind == TimerKind::kBreach &&
                        FromProto(timer.fire_at()) == target;
  }
  EXPECT_TRUE(breach_at_target);
  EXPECT_EQ(Told(started, story.View(), kImported), 0u);

  // The breach fires at the source due time and names it.
  std::string breach_id;
  for (const v1::ScheduledTimer& timer : deadlines.timers()) {
    if (FromProto(timer.fire_at()) == target &&
        timer.timer_id().find("/breach@") != std::string::npos) {
      breach_id = timer.timer_id();
    }
  }
  const std::vector<v1::Envelope> fired = story.Do(FireTimer{"C1", breach_id, target});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(FromProto(fired[0].deadline_breached().due_at()), target);
  EXPECT_EQ(SlaVerdictOf(story.View()), v1::SLA_VERDICT_OVERDUE);

  // A pause moves the source due time on by its length.
  Story<SlaDecider> paused(decider_, v1::WRITER_TRACKING, OpenImport(target));
  paused.Do(kStart);
  paused.Do(PauseClock{"C1", kImported + absl::Hours(1), "waiting for access"});
  const std::vector<v1::Envelope> resumed =
      paused.Do(ResumeClock{"C1", kImported + absl::Hours(6)});
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(FromProto(resumed[1].deadlines_set().resolve_by()), target + absl::Hours(5));
}

TEST_F(BacklogTest, AnOpenImportPastItsDueTimeIsOverdueAtOnceAndToldOfByNobody) {
  const absl::Time target = kImported - absl::Hours(50);
  Story<SlaDecider> story(decider_, v1::WRITER_TRACKING, OpenImport(target));
  const std::vector<v1::Envelope> started = story.Do(kStart);
  ASSERT_EQ(started.size(), 2u);
  EXPECT_TRUE(started[0].deadlines_set().backlog());
  EXPECT_EQ(FromProto(started[0].deadlines_set().resolve_by()), target);
  ASSERT_TRUE(started[1].has_deadline_breached());
  EXPECT_EQ(FromProto(started[1].occurred_at()), target);
  const v1::ComplaintView view = story.View();
  EXPECT_EQ(SlaVerdictOf(view), v1::SLA_VERDICT_OVERDUE);
  for (const v1::ScheduledTimer& timer : ScheduledOf(view.tracking().sla())) {
    EXPECT_EQ(timer.timer_id().find("SLA_TARGET_RESOLVE"), std::string::npos)
        << "resolve timers wait for the release: " << timer.timer_id();
  }
  EXPECT_EQ(Told(started, view, kImported), 0u);
  // Not yet assigned: it joins no backlog.
  EXPECT_FALSE(JoinsBacklog(view));
}

TEST_F(BacklogTest, ReleasedAtItsSlotAtTheLevelItsDueTimeHadReached) {
  // P3 levels at +0, +480, +1440 and +2880 minutes after the due time.
  const absl::Time target = kImported - absl::Hours(10);
  Story<SlaDecider> story(decider_, v1::WRITER_TRACKING, OpenImport(target));
  story.Do(kStart);
  story.Append({AssignedTo("sanitation")});
  ASSERT_TRUE(JoinsBacklog(story.View()));

  // An overdue case needs its slot, and joins its own department's backlog.
  story.When(EnterBacklog{"C1", "sanitation", std::nullopt})
      .ThenError(absl::StatusCode::kInvalidArgument, "release_at");
  story.When(EnterBacklog{"C1", "parks", kImported})
      .ThenError(absl::StatusCode::kFailedPrecondition, "is with sanitation");

  const absl::Time release = kImported + absl::Hours(1);  // 11 h past due: level 2 reached
  const std::vector<v1::Envelope> entered = story.Do(EnterBacklog{"C1", "sanitation", release});
  ASSERT_EQ(entered.size(), 1u);
  const v1::BacklogEntered& backlog = entered[0].backlog_entered();
  EXPECT_TRUE(backlog.overdue());
  EXPECT_EQ(backlog.level(), 2);
  ASSERT_EQ(backlog.timers_size(), 3) << "level 2 at the slot, levels 3 and 4 at their times";
  EXPECT_EQ(FromProto(backlog.timers(0).fire_at()), release);
  EXPECT_EQ(FromProto(backlog.timers(1).fire_at()), target + absl::Minutes(1440));
  EXPECT_EQ(FromProto(backlog.timers(2).fire_at()), target + absl::Minutes(2880));
  EXPECT_FALSE(JoinsBacklog(story.View())) << "once";
  EXPECT_TRUE(story.Try(EnterBacklog{"C1", "sanitation", release}).empty());

  // The due-timer index holds the release; nothing fires before it.
  v1::HandlingPolicy handling;
  handling.set_status_report_after_hours(48);
  const v1::ComplaintView view = story.View();
  std::vector<DueTimer> due = DueTimers(view, handling);
  absl::Time first = absl::InfiniteFuture();
  for (const DueTimer& timer : due) {
    if (timer.name.find("SLA_TARGET_RESOLVE") != std::string::npos) {
      first = std::min(first, timer.fire_at);
    }
  }
  EXPECT_EQ(first, release);
  story.When(FireTimer{"C1", backlog.timers(0).timer_id(), release - absl::Seconds(1)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "fires at");
  const std::vector<v1::Envelope> escalated =
      story.Do(FireTimer{"C1", backlog.timers(0).timer_id(), release});
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].escalated().level(), 2);
  EXPECT_EQ(escalated[0].escalated().role(), "supervisor");
  EXPECT_EQ(Told(escalated, story.View(), release), 1u) << "the released escalation is sent";

  // A pause and resume keep the released timers, not the held ones.
  story.Do(PauseClock{"C1", release + absl::Minutes(1), "waiting for access"});
  const std::vector<v1::Envelope> resumed =
      story.Do(ResumeClock{"C1", release + absl::Minutes(31)});
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_TRUE(resumed[1].deadlines_set().backlog());
  for (const v1::ScheduledTimer& timer : resumed[1].deadlines_set().timers()) {
    if (timer.timer_id().find("SLA_TARGET_RESOLVE") == std::string::npos) continue;
    EXPECT_TRUE(std::find_if(backlog.timers().begin(), backlog.timers().end(),
                             [&](const v1::ScheduledTimer& released) {
                               return released.timer_id() == timer.timer_id();
                             }) != backlog.timers().end())
        << timer.timer_id();
  }
}

TEST_F(BacklogTest, AnOpenImportOnTimeJoinsWithoutEscalations) {
  Story<SlaDecider> story(decider_, v1::WRITER_TRACKING, OpenImport(kImported + absl::Hours(3)));
  story.Do(kStart);
  story.Append({AssignedTo("sanitation")});
  const std::vector<v1::Envelope> entered =
      story.Do(EnterBacklog{"C1", "sanitation", std::nullopt});
  ASSERT_EQ(entered.size(), 1u);
  EXPECT_FALSE(entered[0].backlog_entered().overdue());
  EXPECT_TRUE(entered[0].backlog_entered().timers().empty());
  // Its first holder is not briefed one by one: the summary covers it.
  v1::Envelope notified;
  notified.set_complaint_id("C1");
  notified.mutable_receiver_notified()->set_department("sanitation");
  EXPECT_EQ(Told({notified}, story.View(), kImported), 0u);
}

TEST_F(BacklogTest, SlotsFollowTheGraceAtTheRate) {
  BacklogRules rules;
  rules.grace = absl::Hours(24);
  rules.releases_per_hour = 12;
  v1::BacklogTally tally;
  std::vector<absl::Time> slots;
  for (int i = 0; i < 4; ++i) {
    const absl::Time slot = ReleaseSlot(tally, kImported, rules);
    slots.push_back(slot);
    v1::BacklogEntered entered;
    entered.set_department("sanitation");
    entered.set_overdue(true);
    entered.set_level(1 + i % 2);
    CountEntered(tally, entered, slot, kImported + absl::Seconds(i), rules);
  }
  EXPECT_EQ(slots[0], kImported + absl::Hours(24));
  for (int i = 1; i < 4; ++i) EXPECT_EQ(slots[i] - slots[i - 1], absl::Minutes(5));
  v1::BacklogEntered on_time;
  on_time.set_department("sanitation");
  CountEntered(tally, on_time, std::nullopt, kImported + absl::Seconds(9), rules);
  EXPECT_EQ(tally.pending().cases(), 5);
  EXPECT_EQ(tally.pending().overdue(), 4);
  ASSERT_EQ(tally.pending().by_level_size(), 2);
  EXPECT_EQ(tally.pending().by_level(0), 2);
  EXPECT_EQ(tally.pending().by_level(1), 2);
  EXPECT_EQ(FromProto(tally.pending().releases_until()), slots[3]);
  // A later import waits for its own grace, or the free slot if later.
  EXPECT_EQ(ReleaseSlot(tally, kImported + absl::Hours(1), rules), kImported + absl::Hours(25));
  EXPECT_EQ(ReleaseSlot(tally, kImported - absl::Hours(1), rules), slots[3] + absl::Minutes(5));

  // The summary waits for the import to go quiet.
  const absl::Time quiet = kImported + absl::Seconds(9) + rules.summary_after;
  EXPECT_FALSE(SummaryDue(tally, quiet - absl::Seconds(1)));
  EXPECT_TRUE(SummaryDue(tally, quiet));
  const v1::Notification summary = notifier_->Summary(tally, quiet);
  EXPECT_EQ(summary.notification_id(), "backlog/sanitation/1");
  EXPECT_TRUE(summary.complaint_id().empty());
  EXPECT_EQ(summary.department(), "sanitation");
  EXPECT_EQ(summary.kind(), v1::NOTIFICATION_KIND_BACKLOG_SUMMARY);
  EXPECT_EQ(summary.backlog().cases(), 5);
  ASSERT_EQ(summary.texts_size(), 2);
  bool english = false;
  for (const v1::NotificationText& text : summary.texts()) {
    if (text.language() != "en") continue;
    english = true;
    EXPECT_NE(text.body().find("took over 5 open cases"), std::string::npos) << text.body();
    EXPECT_NE(text.body().find("4 were already overdue"), std::string::npos) << text.body();
    EXPECT_NE(text.body().find("L1 2, L2 2"), std::string::npos) << text.body();
    EXPECT_NE(text.body().find("12 an hour"), std::string::npos) << text.body();
  }
  EXPECT_TRUE(english);
}

TEST_F(BacklogTest, RulesTakeDefaultsAndRefuseOutOfRange) {
  absl::StatusOr<BacklogRules> defaults = BacklogRulesOf({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->grace, absl::Hours(24));
  EXPECT_EQ(defaults->releases_per_hour, 30);
  v1::BacklogPolicy policy;
  policy.set_releases_per_hour(4000);
  EXPECT_EQ(BacklogRulesOf(policy).status().message(),
            "backlog.releases_per_hour: 1 to 3600 (0: the default, 30)");
  policy.set_releases_per_hour(60);
  policy.set_grace_hours(-1);
  EXPECT_FALSE(BacklogRulesOf(policy).ok());
  policy.set_grace_hours(2);
  policy.set_summary_after_minutes(5);
  ASSERT_TRUE(BacklogRulesOf(policy).ok());
  EXPECT_EQ(BacklogRulesOf(policy)->grace, absl::Hours(2));
  EXPECT_EQ(BacklogRulesOf(policy)->summary_after, absl::Minutes(5));
}

}  // namespace
}  // namespace complaints::tracking
