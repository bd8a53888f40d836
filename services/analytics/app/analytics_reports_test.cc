// §5.2 reports through the analytics shell: generated from real events in
// real RocksDB once the week is over, listed and rendered over gRPC.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "services/analytics/app/analytics_app_fixture.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

// The fixture's clock reads Wednesday 2026-11-18 in Shanghai: week 46 is the last complete one.
TEST_F(AnalyticsAppTest, TheLastWeeksReportIsStoredOnceListedAndRendered) {
  std::vector<ConsumedRecord> records;
  int64_t offset = 0;
  for (int i = 0; i < 6; ++i) {
    const std::string id = absl::StrCat("C", i);
    records.push_back(
        ConsumedOf(topics::kIntake, Received(id, 1, "2026-11-10T10:00:00+08:00"), offset++));
    records.push_back(
        ConsumedOf(topics::kIntake, Classified(id, "plumbing", v1::PRIORITY_P3), offset++));
  }
  ASSERT_TRUE(app_->Apply(records).ok());
  EXPECT_EQ(*app_->GenerateReports(), 1) << "October had nothing: no monthly report";
  EXPECT_EQ(*app_->GenerateReports(), 0) << "stored once";

  grpc::ClientContext list_context;
  v1::ListReportsResponse listed;
  ASSERT_TRUE(stub_->ListReports(&list_context, {}, &listed).ok());
  ASSERT_EQ(listed.reports_size(), 1);
  EXPECT_EQ(listed.reports(0).report_id(), "week-2026-W46");
  EXPECT_EQ(listed.reports(0).from_day(), "2026-11-09");
  EXPECT_EQ(listed.reports(0).communities_size(), 0) << "a listing carries no tables";

  grpc::ClientContext get_context;
  v1::GetReportRequest request;
  request.set_report_id("week-2026-W46");
  request.set_format(v1::REPORT_FORMAT_MARKDOWN);
  v1::GetReportResponse got;
  ASSERT_TRUE(stub_->GetReport(&get_context, request, &got).ok());
  EXPECT_EQ(got.report().total().complaints(), 6);
  EXPECT_THAT(got.rendered(), HasSubstr("| Sunshine Garden | 6 |"));
  EXPECT_THAT(got.rendered(), HasSubstr("plumbing (6)"));

  grpc::ClientContext missing_context;
  request.set_report_id("week-2026-W45");
  EXPECT_EQ(stub_->GetReport(&missing_context, request, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext bad_context;
  request.set_report_id(std::string(41, 'w'));
  grpc::Status bad = stub_->GetReport(&bad_context, request, &got);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("report_id"));
}

}  // namespace
}  // namespace complaints::analytics
