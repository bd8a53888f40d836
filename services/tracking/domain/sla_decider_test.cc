// §3.2 handling deadlines as given / when / then: the clock, pauses,
// reclassification, warnings, breaches and the escalation chain.
#include "services/tracking/domain/sla_decider.h"

#include <map>
#include <random>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs//complaint/view.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/tracking/domain/sla_plan.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using complaints::testing::Assigned;
using complaints::testing::Classified;
using complaints::testing::Given;
using complaints::testing::Received;
using complaints::testing::Story;

// Thursday 26 Nov 2026, 09:00 in Shanghai.
const char kReceivedAt[] = "2026-11-26T09:00:00+08:00";

class SlaDeciderTest : public ::testing::Test {
 protected:
  std::vector<v1::Envelope> History(v1::Priority priority) {
    return {Received("C1", 1, kReceivedAt), Classified("C1", "plumbing", priority)};
  }
  Story<SlaDecider> StoryOf(std::vector<v1::Envelope> history) {
    return Story(decider_, v1::WRITER_TRACKING, std::move(history));
  }
  v1::ComplaintView Fold(const std::vector<v1::Envelope>& history) {
    return StoryOf(history).View();
  }
  std::vector<v1::Envelope> DecideOk(const std::vector<v1::Envelope>& history,
                                     const auto& command) {
    return StoryOf(history).Try(command);
  }
  // The history after the clock started for `priority`.
  std::vector<v1::Envelope> Started(v1::Priority priority) {
    auto story = StoryOf(History(priority));
    story.Do(StartClock{"C1", priority, kDefaultComplexity});
    return story.history();
  }
  static std::string TimerOf(const v1::ComplaintView& view, absl::string_view prefix) {
    for (const v1::ScheduledTimer& timer : ScheduledOf(view.tracking().sla())) {
      if (absl::StartsWith(timer.timer_id(), prefix)) return timer.timer_id();
    }
    return "";
  }

  SlaBook book_ = StandardSla();
  BusinessCalendar calendar_ = StandardCalendar();
  SlaDecider decider_{&book_, &calendar_};
};

TEST_F(SlaDeciderTest, UrgentComplaintRunsOnCalendarTimeFromReceipt) {
  std::vector<v1::Envelope> events =
      DecideOk(History(v1::PRIORITY_P1), StartClock{"C1", v1::PRIORITY_P1, kDefaultComplexity});
  ASSERT_EQ(events.size(), 1u);
  const v1::DeadlinesSet& set = events[0].deadlines_set();
  EXPECT_EQ(set.policy().id(), "sla.p1.ordinary");
  EXPECT_EQ(FromProto(set.respond_by()), Shanghai(2026, 11, 26, 9, 15));
  EXPECT_EQ(FromProto(set.resolve_by()), Shanghai(2026, 11, 26, 17, 0));
  EXPECT_EQ(FromProto(set.clock_started_at()), Shanghai(2026, 11, 26, 9, 0));
  // Warning and breach for 4 targets, 4 escalation levels for respond and resolve.
  EXPECT_EQ(set.timers_size(), 16);
  EXPECT_THAT(set.timers(), ::testing::Contains(::testing::Property(
                                &v1::ScheduledTimer::timer_id,
                                absl::StrCat("SLA_TARGET_RESOLVE/breach@sla.p1.ordinary.v1/",
                                             absl::ToUnixSeconds(Shanghai(2026, 11, 26, 17, 0))))));
}

TEST_F(SlaDeciderTest, OrdinaryComplaintRunsOnOfficeHoursOverTheWeekend) {
  // P3 respond = 240 business minutes; received Friday 27 Nov 17:00: 1 h on Friday,
  // then Monday 30 Nov from 08:30 for 3 h.
  std::vector<v1::Envelope> history = {Received("C1", 1, "2026-11-27T17:00:00+08:00"),
                                       Classified("C1", "noise", v1::PRIORITY_P3)};
  auto events = DecideOk(history, StartClock{"C1", v1::PRIORITY_P3, kDefaultComplexity});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(FromProto(events[0].deadlines_set().respond_by()), Shanghai(2026, 11, 30, 11, 30));
}

TEST_F(SlaDeciderTest, ClockStartsOnceAndOnlyAfterReceipt) {
  Given(decider_, Started(v1::PRIORITY_P1))
      .When(StartClock{"C1", v1::PRIORITY_P1, kDefaultComplexity})
      .Then({});
  Given(decider_, {Classified("C1", "noise", v1::PRIORITY_P3)})
      .When(StartClock{"C1", v1::PRIORITY_P3, kDefaultComplexity})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not received");
}

TEST_F(SlaDeciderTest, WaitingOnTheComplainantDoesNotCount) {
  auto story = StoryOf(Started(v1::PRIORITY_P1));
  auto paused =
      story.Do(PauseClock{"C1", Shanghai(2026, 11, 26, 10, 0), "waiting for access to the flat"});
  ASSERT_EQ(paused.size(), 1u);
  EXPECT_EQ(paused[0].clock_paused().reason(), "waiting for access to the flat");
  const std::vector<v1::Envelope> history = story.history();
  Given(decider_, history).When(PauseClock{"C1", Shanghai(2026, 11, 26, 10, 30), "again"}).Then({});

  auto resumed = DecideOk(history, ResumeClock{"C1", Shanghai(2026, 11, 26, 12, 0)});
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_TRUE(resumed[0].has_clock_resumed());
  // Two paused hours move the 17:00 resolve target to 19:00; the respond target
  // (09:15) fell due before the pause and stays.
  EXPECT_EQ(FromProto(resumed[1].deadlines_set().resolve_by()), Shanghai(2026, 11, 26, 19, 0));
  EXPECT_EQ(FromProto(resumed[1].deadlines_set().respond_by()), Shanghai(2026, 11, 26, 9, 15));
  EXPECT_EQ(resumed[1].deadlines_set().reason(), "clock resumed");
}

TEST_F(SlaDeciderTest, PauseNeedsAReasonAndResumeNeedsAPause) {
  Given(decider_, Started(v1::PRIORITY_P1))
      .When(PauseClock{"C1", Shanghai(2026, 11, 26, 10, 0), ""})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
  Given(decider_, Started(v1::PRIORITY_P1))
      .When(ResumeClock{"C1", Shanghai(2026, 11, 26, 10, 0)})
      .Then({});
  Given(decider_, History(v1::PRIORITY_P1))
      .When(PauseClock{"C1", Shanghai(2026, 11, 26, 10, 0), "x"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "has not started");
}

TEST_F(SlaDeciderTest, ReclassificationRecomputesFromTheSameStart) {
  // P1 -> P2 ordinary: 960 business minutes from Thursday 09:00 = Thursday 7.5 h,
  // Friday 8 h, Monday 30 Nov 08:30 + 0.5 h.
  auto events = DecideOk(Started(v1::PRIORITY_P1),
                         ChangeSlaClass{"C1", v1::PRIORITY_P2, v1::COMPLEXITY_ORDINARY,
                                        "not a safety matter after all"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].deadlines_set().policy().id(), "sla.p2.ordinary");
  EXPECT_EQ(FromProto(events[0].deadlines_set().clock_started_at()), Shanghai(2026, 11, 26, 9, 0));
  EXPECT_EQ(FromProto(events[0].deadlines_set().resolve_by()), Shanghai(2026, 11, 30, 9, 0));
  EXPECT_EQ(events[0].deadlines_set().reason(), "not a safety matter after all");
  Given(decider_, Started(v1::PRIORITY_P1))
      .When(ChangeSlaClass{"C1", v1::PRIORITY_P1, kDefaultComplexity, "same"})
      .Then({});
}

TEST(SlaPolicies, ClassificationStartsAndReclassificationChangesTheClock) {
  v1::Envelope classified = Classified("C1", "structure", v1::PRIORITY_P2);
  classified.mutable_classified()->set_complexity(v1::COMPLEXITY_COMPLEX);
  EXPECT_EQ(StartPolicy(classified)->complexity, v1::COMPLEXITY_COMPLEX);
  EXPECT_EQ(StartPolicy(Classified("C1", "noise", v1::PRIORITY_P3))->complexity,
            kDefaultComplexity);
  EXPECT_FALSE(StartPolicy(Received("C1")).has_value());

  v1::Envelope reclassified;
  reclassified.set_complaint_id("C1");
  reclassified.mutable_reclassified()->set_priority(v1::PRIORITY_P1);
  reclassified.mutable_reclassified()->set_complexity(v1::COMPLEXITY_SIMPLE);
  reclassified.mutable_reclassified()->set_reason("a child is trapped");
  std::optional<ChangeSlaClass> change = ReclassificationPolicy(reclassified);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->priority, v1::PRIORITY_P1);
  EXPECT_EQ(change->complexity, v1::COMPLEXITY_SIMPLE);
  EXPECT_EQ(change->reason, "reclassified: a child is trapped");
  EXPECT_FALSE(ReclassificationPolicy(classified).has_value());
}

TEST_F(SlaDeciderTest, BreachFiresOnceAndEscalatesUpTheChain) {
  auto story = StoryOf(Started(v1::PRIORITY_P1));
  const std::vector<v1::Envelope> history = story.history();
  const v1::ComplaintView view = Fold(history);
  const std::string breach = TimerOf(view, "SLA_TARGET_RESOLVE/breach@");
  const std::string supervisor = TimerOf(view, "SLA_TARGET_RESOLVE/escalation/2@");
  const std::string warning = TimerOf(view, "SLA_TARGET_RESOLVE/warning@");
  ASSERT_FALSE(breach.empty());

  auto warned = DecideOk(history, FireTimer{"C1", warning, Shanghai(2026, 11, 26, 15, 0)});
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].deadline_warning().percent_elapsed(), 75);

  auto breached = story.Do(FireTimer{"C1", breach, Shanghai(2026, 11, 26, 17, 0)});
  ASSERT_EQ(breached.size(), 1u);
  EXPECT_EQ(breached[0].deadline_breached().target(), v1::SLA_TARGET_RESOLVE);
  EXPECT_EQ(FromProto(breached[0].deadline_breached().due_at()), Shanghai(2026, 11, 26, 17, 0));
  Given(decider_, story.history())
      .When(FireTimer{"C1", breach, Shanghai(2026, 11, 26, 17, 1)})
      .Then({});

  auto escalated = story.Try(FireTimer{"C1", supervisor, Shanghai(2026, 11, 26, 18, 0)});
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].escalated().level(), 2);
  EXPECT_EQ(escalated[0].escalated().role(), "supervisor");
}

TEST_F(SlaDeciderTest, EarlyStaleOrPausedTimersDecideNothing) {
  std::vector<v1::Envelope> history = Started(v1::PRIORITY_P1);
  const std::string breach = TimerOf(Fold(history), "SLA_TARGET_RESOLVE/breach@");
  Given(decider_, history)
      .When(FireTimer{"C1", breach, Shanghai(2026, 11, 26, 16, 0)})
      .ThenError(absl::StatusCode::kFailedPrecondition, "fires at");
  Given(decider_, history)
      .When(FireTimer{"C1", "SLA_TARGET_RESOLVE/breach@sla.p1.ordinary.v1/1",
                      Shanghai(2026, 12, 1, 0, 0)})
      .Then({});
  auto paused = StoryOf(history);
  paused.Do(PauseClock{"C1", Shanghai(2026, 11, 26, 10, 0), "waiting"});
  Given(decider_, paused.history())
      .When(FireTimer{"C1", breach, Shanghai(2026, 11, 26, 17, 0)})
      .Then({});
}

TEST_F(SlaDeciderTest, TimersOfAMetTargetOrOfAComplaintNoLongerOpenDecideNothing) {
  std::vector<v1::Envelope> history = Started(v1::PRIORITY_P1);
  const v1::ComplaintView view = Fold(history);
  const std::string respond = TimerOf(view, "SLA_TARGET_RESPOND/breach@");
  const std::string resolve = TimerOf(view, "SLA_TARGET_RESOLVE/breach@");
  ASSERT_FALSE(respond.empty());
  ASSERT_FALSE(resolve.empty());
  const absl::Time late = Shanghai(2026, 11, 27, 9, 0);
  EXPECT_EQ(DecideOk(history, FireTimer{"C1", respond, late}).size(), 1u)
      << "nobody accepted it: the first response is late";

  std::vector<v1::Envelope> accepted = history;
  accepted.push_back(Assigned("C1", "engineering", 1));
  v1::Envelope accept = complaints::testing::EnvelopeOf("C1", v1::WRITER_DISPATCH, 2);
  accept.mutable_assignment_accepted()->set_department("engineering");
  *accept.mutable_occurred_at() = ToProto(Shanghai(2026, 11, 26, 9, 5));
  accepted.push_back(accept);
  Given(decider_, accepted).When(FireTimer{"C1", respond, late}).Then({});
  EXPECT_EQ(DecideOk(accepted, FireTimer{"C1", resolve, late}).size(), 1u)
      << "the resolve target is still running";

  std::vector<v1::Envelope> resolved = history;
  v1::Envelope done = complaints::testing::EnvelopeOf(
      "C1", v1::WRITER_TRACKING, AppliedSequence(view, v1::WRITER_TRACKING) + 1);
  done.mutable_resolved()->set_outcome("fixed");
  resolved.push_back(done);
  Given(decider_, resolved).When(FireTimer{"C1", resolve, late}).Then({});
}

TEST_F(SlaDeciderTest, RandomCommandSequencesNeverFireATimerTwiceAndFoldDeterministically) {
  std::mt19937 random(2026);
  int firings = 0, repeats = 0;  // across all rounds: the test must have fired and re-fired
  for (int round = 0; round < 40; ++round) {
    auto story = StoryOf(Started(static_cast<v1::Priority>(1 + round % 4)));
    v1::ComplaintView live = story.View();  // evolved event by event, as a service would
    absl::Time now = Shanghai(2026, 11, 26, 9, 0);
    std::map<std::string, int> fired;
    for (int step = 0; step < 25; ++step) {
      now += absl::Minutes(std::uniform_int_distribution<int>(1, 600)(random));
      const v1::ComplaintView view = story.View();
      absl::StatusOr<std::vector<v1::Envelope>> events;
      switch (std::uniform_int_distribution<int>(0, 4)(random)) {
        case 0:
          events = story.When(PauseClock{"C1", now, "waiting"}).result();
          break;
        case 1:
          events = story.When(ResumeClock{"C1", now}).result();
          break;
        case 2:
          events = story
                       .When(ChangeSlaClass{"C1", static_cast<v1::Priority>(1 + step % 4),
                                            static_cast<v1::Complexity>(1 + step % 3), "review"})
                       .result();
          break;
        case 3:
          // The first timer that is due.
          for (const v1::ScheduledTimer& timer : ScheduledOf(view.tracking().sla())) {
            if (FromProto(timer.fire_at()) > now) continue;
            events = story.When(FireTimer{"C1", timer.timer_id(), now}).result();
            break;
          }
          break;
        default:
          // A timer that fired already, again (a timer loop retrying after a crash).
          if (fired.empty()) break;
          auto again = fired.begin();
          std::advance(again, std::uniform_int_distribution<size_t>(0, fired.size() - 1)(random));
          events = story.When(FireTimer{"C1", again->first, now}).result();
          ++repeats;
      }
      if (!events.ok()) continue;
      const size_t before = story.history().size();
      story.Append(*events);
      for (size_t k = before; k < story.history().size(); ++k) {
        const v1::Envelope& event = story.history()[k];
        if (event.has_deadline_warning()) ++fired[event.deadline_warning().timer_id()];
        if (event.has_deadline_breached()) ++fired[event.deadline_breached().timer_id()];
        if (event.has_escalated()) ++fired[event.escalated().timer_id()];
        live = Evolve(std::move(live), event);
      }
    }
    for (const auto& [timer, count] : fired) EXPECT_EQ(count, 1) << timer;
    firings += static_cast<int>(fired.size());
    EXPECT_EQ(live.SerializeAsString(), story.View().SerializeAsString())
        << "replaying the log rebuilds the live view";
  }
  // A run in which nothing fired, or nothing was fired twice, shows nothing.
  EXPECT_GE(firings, 40);
  EXPECT_GE(repeats, 20);
}

}  // namespace
}  // namespace complaints::tracking
