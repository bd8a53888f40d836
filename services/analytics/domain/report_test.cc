// §5.2 the report a centre posts for its residents: figures per community,
// nothing with fewer than 5 complaints behind it.
#include "services/analytics/domain/report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::TimeZone& kShanghai = testing::Shanghai();

ComplaintFacts Fact(const std::string& community, const std::string& category, int hours,
                    std::optional<int> satisfaction = std::nullopt, bool breached = false) {
  ComplaintFacts fact;
  fact.dimensions.set_community(community);
  fact.dimensions.set_category(category);
  fact.dimensions.set_day("2026-11-18");
  if (hours > 0) fact.resolution = absl::Hours(hours);
  fact.satisfaction = satisfaction;
  if (breached) {
    fact.verdict = v1::SLA_VERDICT_OVERDUE;
  } else if (hours > 0) {
    fact.verdict = v1::SLA_VERDICT_ON_TIME;
  }
  return fact;
}

TEST(ReportWindows, TheLastCompleteWeekAndMonthBeforeToday) {
  const ReportWindow week = LastCompleteWeek(absl::CivilDay(2026, 11, 27));  // a Friday
  EXPECT_EQ(week.report_id, "week-2026-W47");
  EXPECT_EQ(week.from, absl::CivilDay(2026, 11, 16));
  EXPECT_EQ(week.to, absl::CivilDay(2026, 11, 22));
  EXPECT_EQ(LastCompleteWeek(absl::CivilDay(2027, 1, 5)).report_id, "week-2026-W53");
  EXPECT_EQ(LastCompleteWeek(absl::CivilDay(2026, 1, 5)).report_id, "week-2026-W01");
  EXPECT_EQ(LastCompleteWeek(absl::CivilDay(2021, 1, 6)).report_id, "week-2020-W53");
  const ReportWindow month = LastCompleteMonth(absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(month.report_id, "month-2026-02");
  EXPECT_EQ(month.to, absl::CivilDay(2026, 2, 28));
}

TEST(Report, FiguresPerCommunityWithSmallCountsSuppressed) {
  std::vector<ComplaintFacts> facts;
  // Sunshine Garden: 8 complaints, 6 resolved (one late), 6 satisfaction answers.
  for (int i = 0; i < 6; ++i)
    facts.push_back(Fact("Sunshine Garden", "plumbing", 2 + i, 4, i == 0));
  facts.push_back(Fact("Sunshine Garden", "lift", 0));
  facts.push_back(Fact("Sunshine Garden", "lift", 0));
  // Riverside: 3 complaints, all suppressed.
  for (int i = 0; i < 3; ++i) facts.push_back(Fact("Riverside", "noise", 1, 5));
  v1::Incident incident;
  incident.set_incident_id("INC-1");
  incident.set_community("Sunshine Garden");
  incident.set_building("3");
  incident.set_category("plumbing");
  incident.set_size(4);
  *incident.mutable_first_occurred_at() =
      ToProto(absl::FromCivil(absl::CivilDay(2026, 11, 18), kShanghai));
  const ReportWindow week = LastCompleteWeek(absl::CivilDay(2026, 11, 27));
  const v1::Report report =
      BuildReport(week, absl::FromUnixSeconds(1'795'800'000), facts, {incident}, kShanghai);

  EXPECT_EQ(report.total().complaints(), 11);
  EXPECT_EQ(report.total().resolved(), 9);
  EXPECT_EQ(report.total().incidents(), 1);
  ASSERT_EQ(report.communities_size(), 2);
  const v1::ReportRow& riverside = report.communities(0);
  EXPECT_EQ(riverside.community(), "Riverside");
  EXPECT_TRUE(riverside.fewer_than_5());
  EXPECT_EQ(riverside.complaints(), 0);
  EXPECT_FALSE(riverside.has_resolved());
  EXPECT_FALSE(riverside.has_satisfaction_mean());
  EXPECT_TRUE(riverside.top_causes().empty());
  const v1::ReportRow& sunshine = report.communities(1);
  EXPECT_EQ(sunshine.complaints(), 8);
  EXPECT_EQ(sunshine.resolved(), 6);
  EXPECT_NEAR(sunshine.sla_compliance(), 5.0 / 6, 1e-9);
  ASSERT_TRUE(sunshine.has_no_target());
  EXPECT_EQ(sunshine.no_target(), 0);
  EXPECT_EQ(sunshine.satisfaction_count(), 6);
  ASSERT_EQ(sunshine.top_causes_size(), 1) << "lift has 2 complaints: not listed";
  EXPECT_EQ(sunshine.top_causes(0).category(), "plumbing");
  EXPECT_EQ(sunshine.incidents(), 1);
  ASSERT_EQ(report.incidents_size(), 1);
  EXPECT_EQ(report.incidents(0).place(), "3");
  EXPECT_EQ(report.incidents(0).complaints(), 0) << "4 complaints: suppressed";
  EXPECT_EQ(report.incidents(0).first_day(), "2026-11-18");
}

TEST(Report, RenderedAsMarkdownAndAPageWithoutLettingTextBreakOut) {
  std::vector<ComplaintFacts> facts;
  for (int i = 0; i < 5; ++i)
    facts.push_back(Fact("<script>alert(1)</script> | Court", "noise", 3));
  const v1::Report report = BuildReport(LastCompleteMonth(absl::CivilDay(2026, 12, 2)),
                                        absl::FromUnixSeconds(1'795'800'000), facts, {}, kShanghai);
  const std::string markdown = RenderMarkdown(report);
  EXPECT_THAT(markdown, HasSubstr("# Monthly complaints report, 2026-11-01 to 2026-11-30"));
  EXPECT_THAT(
      markdown,
      HasSubstr("| All communities | 5 | 5 | 3.0 h | 3.0 h | 100 % | 0 | – | noise (5) | 0 |"));
  EXPECT_THAT(markdown, HasSubstr("\\<script\\>alert(1)\\</script\\> \\| Court"));
  const std::string html = RenderHtml(report);
  EXPECT_THAT(html,
              HasSubstr("<title>Monthly complaints report, 2026-11-01 to 2026-11-30</title>"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; | Court"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

}  // namespace
}  // namespace complaints::analytics
