// §4.2 an imported case's history in tracking: its deadline, the §3.2
// verdict from its closed time, resolution, satisfaction and closing, all
// dated as they happened, and nothing timed or sent about it.
#include "services/tracking/domain/history_decider.h"

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/tracking/domain/due_timers.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_decider.h"
#include "services/tracking/domain/test_config.h"
#include "services/tracking/domain/test_sla.h"
#include "services/tracking/domain/work_queue.h"

namespace complaints::tracking {
namespace {

using complaints::testing::Story;

const absl::Time kOpened = absl::FromUnixSeconds(1'298'989'677);  // 2011-03-01 14:27:57Z
const absl::Time kTarget = kOpened + absl::Hours(24 * 7);
const absl::Time kImported = absl::FromUnixSeconds(1'795'000'000);  // 2026-11

v1::HistoricalCase Closed(absl::Time closed_at, int satisfaction = 0) {
  v1::HistoricalCase history;
  history.set_source_system("nyc311");
  history.set_source_id("19937896");
  *history.mutable_opened_at() = ToProto(kOpened);
  *history.mutable_target_at() = ToProto(kTarget);
  *history.mutable_closed_at() = ToProto(closed_at);
  history.set_closed(true);
  history.set_department("DOF");
  history.set_status("Closed");
  history.set_closure("The Department of Finance resolved this issue.");
  history.set_satisfaction(satisfaction);
  *history.mutable_imported_at() = ToProto(kImported);
  return history;
}

std::vector<v1::Envelope> ImportedCase(const v1::HistoricalCase& history) {
  v1::Envelope received = complaints::testing::Received("C1");
  *received.mutable_occurred_at() = history.opened_at();
  *received.mutable_recorded_at() = history.opened_at();
  *received.mutable_received()->mutable_history() = history;
  v1::Envelope classified =
      complaints::testing::Classified("C1", "DOF Property - Payment Issue", v1::PRIORITY_P3);
  *classified.mutable_occurred_at() = history.opened_at();
  *classified.mutable_recorded_at() = history.opened_at();
  return {received, classified};
}

v1::Envelope AssignedTo(const std::string& department) {
  v1::Envelope assigned = complaints::testing::Assigned("C1", department);
  *assigned.mutable_occurred_at() = ToProto(kOpened);
  return assigned;
}

class HistoryDeciderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto policy = TestHandlingPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status();
    handling_ = *policy;
    decider_ = std::make_unique<HistoryDecider>(handling_);
    absl::TimeZone shanghai;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
    auto templates = TestNotificationTemplates();
    ASSERT_TRUE(templates.ok()) << templates.status();
    notifier_ = std::make_unique<Notifier>(*Notifier::Create(*templates, shanghai));
  }

  // What tracking decides for the case once classified, then once assigned.
  struct Recording {
    std::vector<v1::Envelope> decided;
    std::vector<v1::Envelope> history;
    v1::ComplaintView view;
  };
  Recording Record(const v1::HistoricalCase& history) {
    Story<HistoryDecider> classified(*decider_, v1::WRITER_TRACKING, ImportedCase(history));
    Recording recording;
    recording.decided = classified.Do(RecordHistory{"C1"});
    std::vector<v1::Envelope> events = classified.history();
    events.push_back(AssignedTo("DOF"));
    Story<HistoryDecider> assigned(*decider_, v1::WRITER_TRACKING, events);
    for (v1::Envelope& event : assigned.Do(RecordHistory{"C1"})) {
      recording.decided.push_back(std::move(event));
    }
    recording.history = assigned.history();
    recording.view = assigned.View();
    return recording;
  }

  v1::HandlingPolicy handling_;
  std::unique_ptr<HistoryDecider> decider_;
  std::unique_ptr<Notifier> notifier_;
  SlaBook book_ = StandardSla();
  BusinessCalendar calendar_ = StandardCalendar();
};

TEST_F(HistoryDeciderTest, ClosedAfterItsTargetIsOverdueAndDatedAsItHappened) {
  const absl::Time closed_at = kTarget + absl::Hours(30);
  const Recording recording = Record(Closed(closed_at));
  const std::vector<v1::Envelope>& events = recording.decided;
  ASSERT_EQ(events.size(), 4u);
  ASSERT_TRUE(events[0].has_deadlines_set());
  EXPECT_EQ(FromProto(events[0].recorded_at()), kOpened);
  EXPECT_EQ(FromProto(events[0].deadlines_set().resolve_by()), kTarget);
  EXPECT_EQ(events[0].deadlines_set().timers_size(), 0);
  EXPECT_EQ(events[0].deadlines_set().policy().id(), kImportPolicy);
  ASSERT_TRUE(events[1].has_deadline_breached());
  EXPECT_EQ(FromProto(events[1].occurred_at()), kTarget);
  EXPECT_EQ(events[1].deadline_breached().target(), v1::SLA_TARGET_RESOLVE);
  ASSERT_TRUE(events[2].has_resolved());
  EXPECT_EQ(FromProto(events[2].occurred_at()), closed_at);
  EXPECT_EQ(events[2].resolved().solution(), "The Department of Finance resolved this issue.");
  ASSERT_TRUE(events[3].has_closed());
  EXPECT_EQ(FromProto(events[3].recorded_at()), closed_at);

  const v1::ComplaintView& view = recording.view;
  EXPECT_EQ(view.tracking().handling().status(), v1::HANDLING_STATUS_CLOSED);
  std::optional<v1::WorkItem> item = WorkItemOf(view);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->verdict(), v1::SLA_VERDICT_OVERDUE);
  EXPECT_TRUE(item->breached());
  EXPECT_TRUE(item->imported());
  EXPECT_TRUE(DueTimers(view, handling_).empty());
  for (const v1::Envelope& event : recording.history) {
    EXPECT_TRUE(notifier_->For(event, view).empty()) << event.ShortDebugString();
  }
  EXPECT_TRUE(decider_->Decide(RecordHistory{"C1"}, view)->empty());
}

TEST_F(HistoryDeciderTest, ClosedByItsTargetIsOnTimeWithItsSatisfaction) {
  const absl::Time closed_at = kTarget;  // at the deadline is in time, as for a live timer
  const Recording recording = Record(Closed(closed_at, /*satisfaction=*/2));
  const std::vector<v1::Envelope>& events = recording.decided;
  ASSERT_EQ(events.size(), 4u);
  EXPECT_TRUE(events[1].has_resolved());
  ASSERT_TRUE(events[2].has_follow_up_recorded());
  EXPECT_EQ(events[2].follow_up_recorded().satisfaction(), 2);
  EXPECT_EQ(events[2].follow_up_recorded().satisfied(), 2 >= handling_.satisfied_from_score());
  EXPECT_TRUE(events[3].has_closed());
  const v1::ComplaintView& view = recording.view;
  EXPECT_EQ(WorkItemOf(view)->verdict(), v1::SLA_VERDICT_ON_TIME);
  EXPECT_EQ(view.tracking().handling().satisfaction(), 2);
}

TEST_F(HistoryDeciderTest, WithoutATargetTheVerdictIsNoTarget) {
  v1::HistoricalCase history = Closed(kOpened + absl::Hours(1));
  history.clear_target_at();
  const Recording recording = Record(history);
  const std::vector<v1::Envelope>& events = recording.decided;
  ASSERT_EQ(events.size(), 3u);
  EXPECT_FALSE(events[0].deadlines_set().has_resolve_by());
  // No deadline: neither on time nor overdue, and never counted as met.
  EXPECT_EQ(WorkItemOf(recording.view)->verdict(), v1::SLA_VERDICT_NO_TARGET);
}

TEST_F(HistoryDeciderTest, ItsWorkItemJoinsBackToTheSource) {
  const Recording recording = Record(Closed(kOpened + absl::Hours(1)));
  const std::optional<v1::WorkItem> item = WorkItemOf(recording.view);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->source_system(), "nyc311");
  EXPECT_EQ(item->source_id(), "19937896");
  v1::ListComplaintsRequest request;
  request.add_statuses(v1::HANDLING_STATUS_CLOSED);
  request.set_source_id("19937896");
  EXPECT_TRUE(Matches(*item, request, kImported));
  request.set_source_id("19937897");
  EXPECT_FALSE(Matches(*item, request, kImported));
}

TEST_F(HistoryDeciderTest, TheLiveSlaLeavesAClosedImportAlone) {
  SlaDecider sla(&book_, &calendar_);
  Story<SlaDecider> story(sla, v1::WRITER_TRACKING, ImportedCase(Closed(kTarget)));
  EXPECT_TRUE(story.Try(StartClock{"C1", v1::PRIORITY_P3, v1::COMPLEXITY_ORDINARY}).empty());
}

// One with a due time keeps it (backlog_test.cc).
TEST_F(HistoryDeciderTest, AnOpenImportWithoutDueTimeIsLiveFromItsImportAndNotAcknowledged) {
  v1::HistoricalCase history = Closed(kTarget);
  history.set_closed(false);
  history.clear_closed_at();
  history.clear_target_at();
  history.set_status("Pending");
  const std::vector<v1::Envelope> given = ImportedCase(history);
  v1::ComplaintView view;
  for (const v1::Envelope& event : given) view = Evolve(std::move(view), event);
  EXPECT_FALSE(HistoryPolicy(given[1], view).has_value());
  EXPECT_TRUE(decider_->Decide(RecordHistory{"C1"}, view)->empty());

  SlaDecider sla(&book_, &calendar_);
  Story<SlaDecider> story(sla, v1::WRITER_TRACKING, given);
  const std::vector<v1::Envelope> started =
      story.Do(StartClock{"C1", v1::PRIORITY_P3, v1::COMPLEXITY_ORDINARY});
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(FromProto(started[0].deadlines_set().clock_started_at()), kImported);
  EXPECT_GT(FromProto(started[0].deadlines_set().resolve_by()), kImported);
  EXPECT_FALSE(started[0].deadlines_set().timers().empty());
  v1::Envelope recorded = started[0];
  *recorded.mutable_recorded_at() = ToProto(kImported);
  EXPECT_TRUE(notifier_->For(recorded, story.View()).empty());
  // From the import on it is timed like any complaint.
  EXPECT_FALSE(DueTimers(story.View(), handling_).empty());
}

}  // namespace
}  // namespace complaints::tracking
