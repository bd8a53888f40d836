// §5.1 hot issues through the analytics shell: terms counted from real events
// into real RocksDB, tested and served over a real gRPC channel.
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

class HotIssuesTest : public AnalyticsAppTest {
 protected:
  absl::CivilDay Today() { return absl::ToCivilDay(clock_.Now(), zone_); }

  void Receive(absl::CivilDay day, const std::string& category, const std::string& text,
               const std::string& community = "Sunshine Garden") {
    const std::string id = absl::StrCat("C", ++complaints_);
    v1::Envelope received =
        Received(id, 1, absl::StrCat(absl::FormatCivilTime(day), "T10:00:00+08:00"));
    received.mutable_received()->set_content(text);
    received.mutable_received()->set_redacted_content(text);
    received.mutable_received()->mutable_location()->set_community(community);
    ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake, received, offset_++),
                             ConsumedOf(topics::kIntake, Classified(id, category, v1::PRIORITY_P3),
                                        offset_++)})
                    .ok());
  }

  grpc::Status Hot(const v1::GetHotIssuesRequest& request, v1::GetHotIssuesResponse* out) {
    grpc::ClientContext context;
    return stub_->GetHotIssues(&context, request, out);
  }

  int complaints_ = 0;
  int64_t offset_ = 0;
};

TEST_F(HotIssuesTest, ABurstOfLeaksRisesAboveTheUsualLiftComplaints) {
  // Four weeks of two lift complaints a day; then a week with leaks as well.
  for (absl::CivilDay day = Today() - 34; day < Today() - 6; ++day) {
    Receive(day, "lift", "电梯又坏了，困人");
    Receive(day, "lift", "电梯门关不上");
  }
  for (absl::CivilDay day = Today() - 6; day <= Today(); ++day) {
    Receive(day, "lift", "电梯又坏了");
    Receive(day, "lift", "电梯门关不上");
    Receive(day, "plumbing", "地下室水管爆裂漏水");
  }
  Receive(Today(), "plumbing", "水管漏水", "Riverside");  // another community, too few to count

  v1::GetHotIssuesResponse response;
  ASSERT_TRUE(Hot({}, &response).ok());
  EXPECT_EQ(response.recent_to(), absl::FormatCivilTime(Today()));
  EXPECT_EQ(response.recent_from(), absl::FormatCivilTime(Today() - 6));
  EXPECT_EQ(response.baseline_to(), absl::FormatCivilTime(Today() - 7));
  EXPECT_EQ(response.communities(), 2);
  std::vector<std::string> items;
  for (const v1::HotIssue& issue : response.issues()) {
    EXPECT_EQ(issue.community(), "Sunshine Garden");
    EXPECT_EQ(issue.recent(), 7) << issue.item();
    EXPECT_EQ(issue.baseline(), 0) << issue.item();
    EXPECT_LT(issue.q_value(), 0.05);
    items.push_back(issue.item());
  }
  EXPECT_THAT(items, ::testing::UnorderedElementsAre("plumbing", "地下室", "水管", "爆裂", "漏水"));

  // The week before the leaks began, nothing was rising.
  v1::GetHotIssuesRequest earlier;
  earlier.set_day(absl::FormatCivilTime(Today() - 7));
  ASSERT_TRUE(Hot(earlier, &response).ok());
  EXPECT_EQ(response.issues_size(), 0);
  EXPECT_GT(response.tested(), 0);

  v1::GetHotIssuesRequest one;
  one.set_community("Sunshine Garden");
  one.set_limit(2);
  ASSERT_TRUE(Hot(one, &response).ok());
  EXPECT_EQ(response.issues_size(), 2);
  EXPECT_EQ(response.communities(), 1);
}

TEST_F(HotIssuesTest, BadRequestsNameTheField) {
  v1::GetHotIssuesResponse response;
  v1::GetHotIssuesRequest request;
  request.set_day("2026-02-30");
  grpc::Status status = Hot(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("day:"));
  request.Clear();
  request.set_limit(101);
  EXPECT_THAT(Hot(request, &response).error_message(), HasSubstr("limit:"));
  request.Clear();
  request.set_community(std::string(201, 'x'));
  EXPECT_THAT(Hot(request, &response).error_message(), HasSubstr("community:"));
}

}  // namespace
}  // namespace complaints::analytics
