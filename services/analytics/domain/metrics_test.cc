// §5.1 data analysis and §5.3 training figures.
#include "services/analytics/domain/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;

const absl::TimeZone kShanghai = [] {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}();

// A complaint received 09:00 (+08:00) in `department`/`handler`, accepted after
// `accept_min`, resolved after `resolve_min` (0: not yet), with the given
// extras; its resolve-by time is a day after receipt.
v1::ComplaintView Complaint(const std::string& id, const std::string& department,
                            const std::string& handler, int accept_min, int resolve_min,
                            int satisfaction = 0, bool breached = false, int reopen_rounds = 0) {
  v1::ComplaintView view;
  v1::Envelope received = Received(id, 1, "2026-11-26T09:00:00+08:00");
  received.mutable_received()->mutable_complainant()->set_name("王芳");
  received.mutable_received()->mutable_complainant()->set_phone("+8613800138000");
  for (const v1::Envelope& event : {received, Classified(id, "plumbing", v1::PRIORITY_P2)}) {
    view = Evolve(std::move(view), event);
  }
  const absl::Time at = FromProto(received.occurred_at());
  view.mutable_dispatch()->set_department(department);
  view.mutable_dispatch()->set_handler(handler);
  if (accept_min > 0)
    *view.mutable_dispatch()->mutable_first_accepted_at() = ToProto(at + absl::Minutes(accept_min));
  *view.mutable_tracking()->mutable_resolve_by() = ToProto(at + absl::Hours(24));
  v1::HandlingState& handling = *view.mutable_tracking()->mutable_handling();
  handling.set_status(v1::HANDLING_STATUS_OPEN);
  if (resolve_min > 0) {
    *handling.mutable_resolved_at() = ToProto(at + absl::Minutes(resolve_min));
    handling.set_status(v1::HANDLING_STATUS_RESOLVED);
  }
  handling.set_satisfaction(satisfaction);
  handling.set_reopen_rounds(reopen_rounds);
  if (breached) {
    view.mutable_tracking()->mutable_sla()->add_fired_timer_ids(
        "SLA_TARGET_RESOLVE/breach@sla.p2.ordinary.v1/1");
    view.mutable_tracking()->mutable_sla()->add_fired_timer_ids(
        "SLA_TARGET_RESOLVE/escalation/1@sla.p2.ordinary.v1/1");
  }
  return view;
}

std::vector<ComplaintFacts> Facts(const std::vector<v1::ComplaintView>& views) {
  std::vector<ComplaintFacts> facts;
  for (const v1::ComplaintView& view : views) facts.push_back(*FactsOf(view, kShanghai));
  return facts;
}

TEST(Metrics, PerHandlerFiguresForTraining) {
  auto rows = Aggregate(Facts({Complaint("C1", "engineering", "eng.zhang", 10, 100, 5),
                               Complaint("C2", "engineering", "eng.zhang", 30, 300, 2, true, 1),
                               Complaint("C3", "engineering", "eng.zhang", 20, 0),
                               Complaint("C4", "engineering", "eng.li", 5, 60, 4)}),
                        {Dimension::kDepartment, Dimension::kHandler});
  ASSERT_EQ(rows.size(), 2u);
  const v1::MetricsRow& li = rows[0];
  const v1::MetricsRow& zhang = rows[1];
  EXPECT_EQ(li.handler(), "eng.li");
  EXPECT_EQ(zhang.complaints(), 3);
  EXPECT_EQ(zhang.resolved(), 2);
  EXPECT_DOUBLE_EQ(zhang.response_minutes_p50(), 20);
  EXPECT_DOUBLE_EQ(zhang.response_minutes_p90(), 30);
  EXPECT_DOUBLE_EQ(zhang.resolution_minutes_p50(), 100);
  EXPECT_DOUBLE_EQ(zhang.sla_compliance(), 0.5);
  EXPECT_EQ(zhang.on_time(), 1);
  EXPECT_EQ(zhang.overdue(), 1);
  EXPECT_EQ(zhang.no_target(), 0);
  EXPECT_EQ(zhang.escalations(), 1);
  EXPECT_DOUBLE_EQ(zhang.satisfaction_mean(), 3.5);
  EXPECT_DOUBLE_EQ(zhang.reopen_rate(), 0.5);
  EXPECT_DOUBLE_EQ(li.sla_compliance(), 1.0);
  EXPECT_TRUE(zhang.category().empty()) << "dimensions not grouped by stay empty";
}

// §3.2 three verdicts: compliance is on time ÷ (on time + overdue); a case
// without a target is counted beside it and never as met; an open case past
// its resolve-by counts as overdue; an open case within its time not at all.
TEST(Metrics, ComplianceCountsOnlyJudgedComplaintsAndNoTargetBesideIt) {
  v1::ComplaintView no_target = Complaint("C1", "parks", "p", 10, 100);
  no_target.mutable_tracking()->clear_resolve_by();
  v1::ComplaintView no_target_either = Complaint("C2", "parks", "p", 10, 200);
  no_target_either.mutable_tracking()->clear_resolve_by();
  auto rows = Aggregate(Facts({no_target, no_target_either}), {Dimension::kDepartment});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].no_target(), 2);
  EXPECT_EQ(rows[0].on_time() + rows[0].overdue(), 0);
  EXPECT_DOUBLE_EQ(rows[0].sla_compliance(), 0) << "nothing judged is not 100 %";

  rows =
      Aggregate(Facts({Complaint("C3", "roads", "r", 10, 100),  // on time
                       Complaint("C4", "roads", "r", 10, 0),    // open, within its time
                       Complaint("C5", "roads", "r", 10, 0, 0, /*breached=*/true),  // open, late
                       Complaint("C6", "roads", "r", 10, 2000, 0, /*breached=*/true), no_target}),
                {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].on_time(), 1);
  EXPECT_EQ(rows[0].overdue(), 2);
  EXPECT_EQ(rows[0].no_target(), 1);
  EXPECT_DOUBLE_EQ(rows[0].sla_compliance(), 1.0 / 3);
}

TEST(Metrics, ReopenRateCountsComplaintsResolvedAtLeastOnce) {
  // C2 was resolved, reopened and resolved again; C3 was reopened and is not
  // resolved yet; C4 was never resolved. Two of the three resolved at least
  // once came back.
  auto rows = Aggregate(Facts({Complaint("C1", "engineering", "eng.zhang", 10, 100, 5),
                               Complaint("C2", "engineering", "eng.zhang", 10, 300, 4, false, 1),
                               Complaint("C3", "engineering", "eng.zhang", 10, 0, 0, false, 1),
                               Complaint("C4", "engineering", "eng.zhang", 10, 0)}),
                        {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].resolved(), 2);
  EXPECT_DOUBLE_EQ(rows[0].reopen_rate(), 2.0 / 3.0);
}

TEST(Metrics, Section31ADuplicateIsACallButNotAMatter) {
  // C2 and C3 are further calls about C1's matter; C4 is a matter of its own.
  std::vector<v1::ComplaintView> views = {
      Complaint("C1", "engineering", "a", 1, 0), Complaint("C2", "engineering", "a", 1, 0),
      Complaint("C3", "security", "b", 1, 0), Complaint("C4", "security", "b", 1, 0)};
  views[1].mutable_tracking()->mutable_handling()->set_duplicate_of("C1");
  views[2].mutable_tracking()->mutable_handling()->set_duplicate_of("C1");
  auto all = Aggregate(Facts(views), {});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].complaints(), 4) << "the calls stay as they are";
  EXPECT_EQ(all[0].matters(), 2);
  auto by_department = Aggregate(Facts(views), {Dimension::kDepartment});
  ASSERT_EQ(by_department.size(), 2u);
  EXPECT_EQ(by_department[0].department(), "engineering");
  EXPECT_EQ(by_department[0].matters(), 1);
  EXPECT_EQ(by_department[1].matters(), 1);
  EXPECT_EQ(by_department[1].complaints(), 2);
}

TEST(Metrics, GroupingByDayAndCategoryCountsEveryComplaintOnce) {
  auto rows = Aggregate(
      Facts({Complaint("C1", "engineering", "a", 1, 0), Complaint("C2", "security", "b", 1, 0)}),
      {Dimension::kDay, Dimension::kCategory});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].day(), "2026-11-26");
  EXPECT_EQ(rows[0].category(), "plumbing");
  EXPECT_EQ(rows[0].complaints(), 2);
  EXPECT_TRUE(rows[0].department().empty());
}

TEST(Metrics, WeeklyAndMonthlyBuckets) {
  auto rows = Aggregate(Facts({Complaint("C1", "engineering", "a", 1, 0)}),
                        {Dimension::kWeek, Dimension::kMonth});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].week(), "2026-W48");
  EXPECT_EQ(rows[0].month(), "2026-11");
  EXPECT_TRUE(rows[0].day().empty());
}

TEST(Metrics, NoPersonalDataReachesAFigure) {
  auto rows = Aggregate(Facts({Complaint("C1", "engineering", "a", 1, 2)}),
                        {Dimension::kDay, Dimension::kCategory, Dimension::kCommunity,
                         Dimension::kChannel, Dimension::kDepartment, Dimension::kHandler});
  const std::string bytes = rows[0].SerializeAsString();
  EXPECT_EQ(bytes.find("王芳"), std::string::npos);
  EXPECT_EQ(bytes.find("13800138000"), std::string::npos);
  EXPECT_EQ(rows[0].community(), "Sunshine Garden");
}

TEST(Metrics, RecurrenceRateCountsOnlyCheckedComplaints) {
  v1::ComplaintView recurred = Complaint("C1", "engineering", "a", 1, 2, 5);
  recurred.mutable_tracking()->mutable_handling()->set_long_term_checked(true);
  recurred.mutable_tracking()->mutable_handling()->set_recurred(true);
  v1::ComplaintView fixed = Complaint("C2", "engineering", "a", 1, 2, 5);
  fixed.mutable_tracking()->mutable_handling()->set_long_term_checked(true);
  v1::ComplaintView unchecked = Complaint("C3", "engineering", "a", 1, 2, 5);
  auto rows = Aggregate(Facts({recurred, fixed, unchecked}), {Dimension::kDepartment});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].recurrence_rate(), 0.5);
}

TEST(Metrics, QuantilesUseNearestRank) {
  std::vector<absl::Duration> minutes;
  for (int i = 1; i <= 10; ++i) minutes.push_back(absl::Minutes(i));
  EXPECT_DOUBLE_EQ(QuantileMinutes(minutes, 0.5), 5);
  EXPECT_DOUBLE_EQ(QuantileMinutes(minutes, 0.9), 9);
  EXPECT_DOUBLE_EQ(QuantileMinutes({}, 0.9), 0);
  EXPECT_DOUBLE_EQ(QuantileMinutes({absl::Minutes(7)}, 0.1), 7);
}

TEST(Metrics, EveryDaysWeekAndMonthAreTheCalendarsInTheCentresZone) {
  // Each day of three decades, at its first and last second in Shanghai:
  // ISO weeks (53-week years, a week whose Thursday is in the next or the
  // previous year) and months, against FormatTime's own.
  v1::ComplaintView view;
  view.mutable_intake()->set_received(true);
  view.mutable_intake()->set_category("plumbing");
  for (absl::CivilDay day(2000, 1, 1); day <= absl::CivilDay(2030, 12, 31); ++day) {
    for (const absl::Time at : {absl::FromCivil(day, kShanghai),
                                absl::FromCivil(day + 1, kShanghai) - absl::Seconds(1)}) {
      *view.mutable_intake()->mutable_received_at() = ToProto(at);
      const std::optional<ComplaintFacts> facts = FactsOf(view, kShanghai);
      ASSERT_TRUE(facts.has_value());
      ASSERT_EQ(facts->dimensions.week(), absl::FormatTime("%G-W%V", at, kShanghai)) << day;
      ASSERT_EQ(facts->dimensions.month(), absl::FormatTime("%Y-%m", at, kShanghai)) << day;
      ASSERT_EQ(facts->dimensions.day(), absl::FormatCivilTime(day));
    }
  }
}

TEST(Metrics, UnclassifiedComplaintsHaveNoFactsYet) {
  EXPECT_FALSE(FactsOf(Evolve({}, Received("C1")), kShanghai).has_value());
}

}  // namespace
}  // namespace complaints::analytics
