#include "tools/complaintctl/format.h"

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Format, SubmittedShowsIdCategoryPriorityAndDuplicate) {
  v1::SubmitComplaintResponse response;
  response.set_complaint_id("C20261126-00000000000000AB");
  response.set_category("plumbing");
  response.set_priority(v1::PRIORITY_P2);
  EXPECT_EQ(FormatSubmitted(response), "C20261126-00000000000000AB  plumbing P2");
  response.set_duplicate(true);
  EXPECT_THAT(FormatSubmitted(response), HasSubstr("already submitted"));
}

TEST(Format, TimelineListsEventsInOrder) {
  v1::GetComplaintResponse timeline;
  timeline.mutable_view()->set_complaint_id("C1");
  v1::Envelope* assigned = timeline.add_events();
  assigned->set_writer(v1::WRITER_DISPATCH);
  assigned->mutable_recorded_at()->set_seconds(1'795'000'000);
  assigned->mutable_assigned()->set_department("engineering");
  assigned->mutable_assigned()->set_reason("plumbing goes to engineering");
  const std::string text = FormatTimeline(timeline);
  EXPECT_THAT(text, HasSubstr("complaint  C1"));
  EXPECT_THAT(text, HasSubstr("DISPATCH"));
  EXPECT_THAT(text, HasSubstr("assigned to engineering: plumbing goes to engineering"));
}

TEST(Format, AnImportedCaseShowsItsSourceAndAMovedClosedTime) {
  v1::GetComplaintResponse timeline;
  v1::HistoricalCase& history = *timeline.mutable_view()->mutable_intake()->mutable_history();
  history.set_source_system("nyc311");
  history.set_source_id("19937896");
  history.mutable_opened_at()->set_seconds(1'298'989'677);
  history.mutable_closed_at()->set_seconds(1'298'989'677);
  history.mutable_source_closed_at()->set_seconds(1'298'989'637);
  const std::string text = FormatTimeline(timeline);
  EXPECT_THAT(text, HasSubstr("source     nyc311:19937896"));
  EXPECT_THAT(text, HasSubstr("before it was opened: recorded closed at its opening"));
}

TEST(Format, CountsEndWithTotalAndJsonKeepsFieldNames) {
  v1::GetCountsResponse counts;
  v1::CountRow* row = counts.add_rows();
  row->set_day("2026-11-26");
  row->set_category("noise");
  row->set_priority(v1::PRIORITY_P3);
  row->set_department("security");
  row->set_count(4);
  counts.set_total(4);
  EXPECT_THAT(FormatCounts(counts),
              HasSubstr("2026-11-26  noise         P3   security               4"));
  EXPECT_THAT(FormatCounts(counts), HasSubstr("total"));
  EXPECT_THAT(*ToJson(counts), HasSubstr("\"total\":\"4\""));
  EXPECT_THAT(*ToJson(counts), HasSubstr("\"department\":\"security\""));
}

TEST(Format, JsonPrintsZeroValuesAndTextPrintsUnsetTimesAsNone) {
  v1::GetCountsResponse counts;
  v1::CountRow* row = counts.add_rows();
  row->set_day("2026-11-26");
  row->set_category("noise");
  const std::string json = *ToJson(counts);
  EXPECT_THAT(json, HasSubstr("\"total\":\"0\""));
  EXPECT_THAT(json, HasSubstr("\"count\":\"0\""));
  EXPECT_THAT(json, HasSubstr("\"department\":\"\""));

  v1::ListComplaintsResponse page;
  page.add_items()->set_complaint_id("C1");
  const std::string listed = FormatWorkItems(page, false);
  EXPECT_THAT(listed, HasSubstr(" none "));
  EXPECT_EQ(listed.find("1970"), std::string::npos) << listed;
  v1::GetComplaintResponse timeline;
  timeline.add_events()->mutable_deadlines_set();
  EXPECT_THAT(FormatTimeline(timeline), HasSubstr("respond by none, resolve by none"));
}

TEST(Format, ControlCharactersFromOutsideAreEscapedInText) {
  v1::GetComplaintResponse timeline;
  timeline.mutable_view()->set_complaint_id("C1");
  v1::Envelope* received = timeline.add_events();
  received->set_writer(v1::WRITER_INTAKE);
  received->mutable_received()->set_content("leak\x1b[2J\n  2026-01-01  FORGED  row\u202e");
  const std::string text = FormatTimeline(timeline);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("leak\\u{001B}[2J\\u{000A}  2026-01-01  FORGED  row\\u{202E}"));
}

TEST(Format, JsonIsValidOrRefused) {
  v1::GetComplaintResponse timeline;
  timeline.add_events()->mutable_recorded_at()->set_seconds(-62135596801);  // before year 1
  EXPECT_FALSE(ToJson(timeline).ok()) << "no truncated JSON";
  timeline.mutable_events(0)->mutable_recorded_at()->set_seconds(0);
  timeline.mutable_events(0)->mutable_received()->set_content("a\x1b");
  ASSERT_TRUE(ToJson(timeline).ok());
  EXPECT_THAT(*ToJson(timeline), HasSubstr("a\\u001b"));
}

TEST(Format, DeadLetterShowsItsRecordEscaped) {
  v1::DeadLetter letter;
  letter.set_id("complaints.intake.v1:2:17");
  letter.set_kind(v1::DEAD_LETTER_KIND_UNDECODABLE);
  letter.set_reason("not an Envelope (9 bytes)");
  letter.mutable_record()->set_topic("complaints.intake.v1");
  letter.mutable_record()->set_partition(2);
  letter.mutable_record()->set_offset(17);
  letter.mutable_record()->set_payload("\xff\x1bgarbage");
  const std::string text = FormatDeadLetter(letter);
  EXPECT_THAT(text, HasSubstr("kind      UNDECODABLE"));
  EXPECT_THAT(text, HasSubstr("partition 2 offset 17"));
  EXPECT_THAT(text, HasSubstr("\\xFF\\u{001B}garbage"));
}

TEST(Format, OutcomeShowsStatusHolderDeadlineAndFlags) {
  v1::CommandOutcome outcome;
  outcome.set_complaint_id("C1");
  outcome.set_status(v1::HANDLING_STATUS_OPEN);
  outcome.set_department("engineering");
  outcome.set_handler("eng.zhang");
  outcome.mutable_resolve_by()->set_seconds(1'795'000'000);
  outcome.set_clock_paused(true);
  outcome.set_duplicate(true);
  const std::string line = FormatOutcome(outcome);
  EXPECT_THAT(line, ::testing::StartsWith("C1  open  engineering/eng.zhang  resolve by 2026-"));
  EXPECT_THAT(line, HasSubstr("(clock paused)"));
  EXPECT_THAT(line, HasSubstr("(already done with this key)"));
}

TEST(Format, WorkItemsShowFlagsAndEscapeWhatCameFromOutside) {
  v1::ListComplaintsResponse page;
  v1::WorkItem* item = page.add_items();
  item->set_complaint_id("C1");
  item->set_status(v1::HANDLING_STATUS_OPEN);
  item->set_priority(v1::PRIORITY_P1);
  item->set_department("engineering");
  item->set_breached(true);
  item->set_escalation_level(3);
  item->set_content("lift stuck\x1b[2J");
  item->set_imported(true);
  item->set_source_system("nyc311");
  item->set_source_id("19937896");
  const std::string text = FormatWorkItems(page, /*header=*/true);
  EXPECT_THAT(text, HasSubstr("nyc311:19937896")) << "joins back to the source";
  EXPECT_THAT(text, HasSubstr("complaint"));
  EXPECT_THAT(text, HasSubstr("BE3"));
  EXPECT_THAT(text, HasSubstr("\\u{001B}")) << "a control character prints escaped";
  EXPECT_THAT(text, ::testing::Not(HasSubstr("\x1b")));
  EXPECT_EQ(FormatWorkItems({}, true),
            absl::StrFormat("%-28s %-4s %-12s %-14s %-18s %-25s %-8s %-20s %s\n", "complaint",
                            "pri", "status", "department", "handler", "resolve by", "flags",
                            "source", "content") +
                "(none)\n");
}

TEST(Format, AnAssignmentChangeReadsAsOneLine) {
  v1::WatchAssignmentsResponse response;
  v1::AssignmentChange& change = *response.mutable_change();
  change.set_kind(v1::ASSIGNMENT_CHANGE_KIND_MOVED_AWAY);
  change.set_complaint_id("C20261127-0001");
  change.set_department("security");
  change.set_handler("sec.chen");
  change.set_reason("the lift's door\x1b[2J");
  change.mutable_recorded_at()->set_seconds(1'795'000'000);
  EXPECT_EQ(FormatAssignmentChange(response),
            "2026-11-18T11:06:40+00:00  moved_away C20261127-0001               security/sec.chen  "
            "(the lift's door\\u{001B}[2J)");
}

TEST(Format, ChannelsParseByTheirCommandLineNames) {
  EXPECT_EQ(ParseChannel("walk-in"), v1::CHANNEL_WALK_IN);
  EXPECT_EQ(ParseChannel("fax"), v1::CHANNEL_UNSPECIFIED);
}

TEST(Format, FiguresNameTheGroupAndShowRatesAsPercentages) {
  v1::GetFiguresResponse figures;
  v1::MetricsRow* row = figures.add_rows();
  row->set_department("engineering");
  row->set_handler("eng.zhang");
  row->set_complaints(4);
  row->set_resolved(2);
  row->set_sla_compliance(0.5);
  row->set_on_time(1);
  row->set_overdue(1);
  row->set_no_target(2);
  row->set_reopen_rate(0.25);
  const std::string text = FormatFigures(figures);
  EXPECT_THAT(text, HasSubstr("no-tgt"));
  EXPECT_THAT(text, HasSubstr("engineering / eng.zhang"));
  EXPECT_THAT(text, HasSubstr("50%"));
  EXPECT_THAT(text, HasSubstr("25%"));
  figures.mutable_rows(0)->clear_department();
  figures.mutable_rows(0)->clear_handler();
  EXPECT_THAT(FormatFigures(figures), HasSubstr("(all)"));
  // Nothing judged on time or overdue: no compliance figure, not 0 % or 100 %.
  figures.mutable_rows(0)->set_on_time(0);
  figures.mutable_rows(0)->set_overdue(0);
  EXPECT_THAT(FormatFigures(figures), Not(HasSubstr("50%")));
}

TEST(Format, HotIssuesNameCommunityKindAndSignificance) {
  v1::GetHotIssuesResponse hot;
  hot.set_recent_from("2026-11-21");
  hot.set_recent_to("2026-11-27");
  EXPECT_THAT(FormatHotIssues(hot), HasSubstr("nothing rises significantly"));
  v1::HotIssue* issue = hot.add_issues();
  issue->set_community("Sunshine Garden");
  issue->set_kind(v1::HOT_ISSUE_KIND_TERM);
  issue->set_item("漏水");
  issue->set_recent(7);
  issue->set_rate_ratio(12.5);
  issue->set_q_value(0.0004);
  const std::string text = FormatHotIssues(hot);
  EXPECT_THAT(text, HasSubstr("rising in 2026-11-21 … 2026-11-27"));
  EXPECT_THAT(text, ::testing::ContainsRegex("Sunshine Garden +term +漏水 +7 +0 +12.5 +0.0004"));
}

TEST(Format, AProjectionShowsItsModelItsBacktestAndWhatHappened) {
  v1::GetProjectionResponse projection;
  projection.set_model("combination");
  projection.add_combined("calendar");
  projection.add_combined("calendar_profile");
  projection.set_origin("2026-11-01");
  projection.set_horizon(2);
  projection.set_backtest_origins(8);
  projection.set_backtest_spacing(18);
  projection.add_notes("horizon: 2 days instead of 91: short");
  v1::ModelAccuracy* accuracy = projection.add_backtest();
  accuracy->set_model("combination");
  accuracy->set_mase(0.734);
  accuracy->set_coverage_80(0.8);
  v1::ProjectionPoint* point = projection.add_points();
  point->set_period("2026-11-01");
  point->set_forecast(12.34);
  point->set_lower_80(9);
  point->set_upper_80(15.5);
  point->set_actual(13);
  projection.add_points()->set_period("2026-11-02");
  const std::string text = FormatProjection(projection);
  EXPECT_THAT(text, HasSubstr("model combination (median of calendar, calendar_profile) from "
                              "2026-11-01, 2 periods"));
  EXPECT_THAT(text, HasSubstr("note: horizon: 2 days instead of 91: short\n"));
  EXPECT_THAT(text, HasSubstr("backtest over 8 cuts 18 apart"));
  EXPECT_THAT(text, HasSubstr("MASE 0.734  80% held 80%"));
  EXPECT_THAT(text, HasSubstr("2026-11-01      12.3       9.0–15.5"));
  EXPECT_THAT(text, ::testing::ContainsRegex("15.5 +[0-9.–]+ +13\n"));
  EXPECT_THAT(text, ::testing::ContainsRegex("2026-11-02 .* +\n$"));  // no actual yet
}

}  // namespace
}  // namespace complaints::ctl
