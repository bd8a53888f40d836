// §5.1 trend projections through the analytics shell: series counted from
// real events into real RocksDB, projected over a real gRPC channel.
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

class ProjectionsTest : public AnalyticsAppTest {
 protected:
  // The fake clock's day in Shanghai.
  absl::CivilDay Today() { return absl::ToCivilDay(clock_.Now(), zone_); }

  // Weekdays 6–8 plumbing complaints, weekends 2, for `days` days before `end` (today).
  int64_t ReceiveHistory(int days, std::optional<absl::CivilDay> end = std::nullopt) {
    std::vector<ConsumedRecord> records;
    int64_t total = 0;
    const absl::CivilDay last = end.value_or(Today());
    for (absl::CivilDay day = last - days; day < last; ++day) {
      const int weekday = static_cast<int>(absl::GetWeekday(day));  // monday = 0
      const int count = weekday >= 5 ? 2 : 6 + static_cast<int>((day - absl::CivilDay()) % 3);
      for (int k = 0; k < count; ++k) {
        const std::string id = absl::StrCat("C", absl::FormatCivilTime(day), "-", k);
        const std::string at = absl::StrCat(absl::FormatCivilTime(day), "T10:00:00+08:00");
        records.push_back(ConsumedOf(topics::kIntake, Received(id, 1, at), offset_++));
        records.push_back(
            ConsumedOf(topics::kIntake, Classified(id, "plumbing", v1::PRIORITY_P3), offset_++));
      }
      total += count;
      counts_[day] = count;
      if (records.size() > 400) {
        EXPECT_TRUE(app_->Apply(records).ok());
        records.clear();
      }
    }
    EXPECT_TRUE(app_->Apply(records).ok());
    return total;
  }

  grpc::Status Project(const v1::GetProjectionRequest& request, v1::GetProjectionResponse* out) {
    grpc::ClientContext context;
    return stub_->GetProjection(&context, request, out);
  }

  int64_t offset_ = 0;
  std::map<absl::CivilDay, int> counts_;
};

v1::GetProjectionRequest Daily(v1::FigureDimension dimension = v1::FIGURE_DIMENSION_UNSPECIFIED,
                               const std::string& value = "") {
  v1::GetProjectionRequest request;
  request.set_interval(v1::FIGURE_DIMENSION_DAY);
  request.set_dimension(dimension);
  request.set_value(value);
  return request;
}

TEST_F(ProjectionsTest, ADailyProjectionIsComputedThenServedFromTheStore) {
  ReceiveHistory(400);
  v1::GetProjectionResponse computed;
  ASSERT_TRUE(Project(Daily(), &computed).ok());
  EXPECT_FALSE(computed.stored());
  ASSERT_EQ(computed.points_size(), 28);
  EXPECT_EQ(computed.origin(), absl::FormatCivilTime(Today()));
  EXPECT_EQ(computed.points(0).period(), absl::FormatCivilTime(Today()));
  EXPECT_FALSE(computed.points(0).has_actual());  // today is not over
  EXPECT_FALSE(computed.model().empty());
  EXPECT_EQ(computed.backtest(0).model(), computed.model());
  EXPECT_EQ(computed.backtest_origins(), 8);
  ASSERT_EQ(computed.history_size(), 91);
  EXPECT_EQ(computed.history(90).count(), counts_[Today() - 1]);
  // Weekdays forecast well above weekends, as the history has it.
  for (const v1::ProjectionPoint& point : computed.points()) {
    absl::CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(point.period(), &day));
    const bool weekend = absl::GetWeekday(day) == absl::Weekday::saturday ||
                         absl::GetWeekday(day) == absl::Weekday::sunday;
    EXPECT_NEAR(point.forecast(), weekend ? 2 : 7, 1.5) << point.period();
    EXPECT_LE(point.lower_95(), point.lower_80());
    EXPECT_LE(point.upper_80(), point.upper_95());
  }

  absl::StatusOr<int> refreshed = app_->RefreshProjections();
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  // all, plumbing, unassigned, phone, Sunshine Garden — daily and weekly each.
  EXPECT_EQ(*refreshed, 10);
  v1::GetProjectionResponse stored;
  ASSERT_TRUE(Project(Daily(), &stored).ok());
  EXPECT_TRUE(stored.stored());
  EXPECT_EQ(stored.points(27).forecast(), computed.points(27).forecast());
  EXPECT_EQ(*app_->RefreshProjections(), 0) << "nothing changed";
}

TEST_F(ProjectionsTest, ComputedProjectionsAreBoundedAndStoredOnesAlwaysServe) {
  ReceiveHistory(120);
  ASSERT_TRUE(app_->RefreshProjections().ok());
  // An analytics with no room left for computing: as if its slots were all busy.
  AnalyticsApp busy(AnalyticsAppOptions{{store_.get(), outbox_.get(), letters_.get(), &clock_},
                                        zone_,
                                        calendar_,
                                        {},
                                        /*max_computing_projections=*/0});
  v1::GetProjectionRequest past = Daily();
  past.set_origin(absl::FormatCivilTime(Today() - 7));
  absl::StatusOr<v1::GetProjectionResponse> refused = busy.GetProjection(past);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.status().message(), HasSubstr("try again shortly"));
  absl::StatusOr<v1::GetProjectionResponse> stored = busy.GetProjection(Daily());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->stored());
  EXPECT_TRUE(app_->GetProjection(past).ok()) << "a slot is freed after each computation";
  EXPECT_TRUE(app_->GetProjection(past).ok());
}

TEST_F(ProjectionsTest, APastOriginIsComparedWithWhatHappened) {
  ReceiveHistory(200);
  v1::GetProjectionRequest request = Daily(v1::FIGURE_DIMENSION_CATEGORY, "plumbing");
  request.set_origin(absl::FormatCivilTime(Today() - 14));
  v1::GetProjectionResponse response;
  ASSERT_TRUE(Project(request, &response).ok());
  ASSERT_EQ(response.points_size(), 28);
  for (int h = 0; h < 14; ++h) {
    ASSERT_TRUE(response.points(h).has_actual()) << h;
    EXPECT_EQ(response.points(h).actual(), counts_[Today() - 14 + h]);
  }
  EXPECT_FALSE(response.points(14).has_actual());
}

TEST_F(ProjectionsTest, WeeklyProjectionsForecastWholeIsoWeeks) {
  ReceiveHistory(7 * 60);
  v1::GetProjectionRequest request = Daily();
  request.set_interval(v1::FIGURE_DIMENSION_WEEK);
  v1::GetProjectionResponse response;
  ASSERT_TRUE(Project(request, &response).ok());
  ASSERT_EQ(response.points_size(), 13);
  absl::CivilDay first;
  ASSERT_TRUE(absl::ParseCivilTime(response.points(0).period(), &first));
  EXPECT_EQ(absl::GetWeekday(first), absl::Weekday::monday);
  EXPECT_LE(first, Today());
  EXPECT_GT(first + 7, Today());
  // 5 weekdays of about 7 and 2 weekend days of 2.
  EXPECT_NEAR(response.points(0).forecast(), 39, 4);
}

// Nine months of days: a quarter ahead, eight backtest cuts, the combination first.
TEST_F(ProjectionsTest, AQuarterAheadIsProjectedFromNineMonths) {
  ReceiveHistory(273);
  v1::GetProjectionRequest request = Daily();
  request.set_horizon(92);
  v1::GetProjectionResponse response;
  ASSERT_TRUE(Project(request, &response).ok());
  EXPECT_EQ(response.points_size(), 92);
  EXPECT_EQ(response.horizon(), 92);
  EXPECT_EQ(response.backtest_origins(), 8);
  EXPECT_EQ(response.backtest_spacing(), (273 - 56 - 92) / 7);
  EXPECT_EQ(response.notes_size(), 0);
  ASSERT_GE(response.combined_size(), 1);
  EXPECT_EQ(response.model(), response.combined_size() > 1 ? "combination" : response.combined(0));
  EXPECT_EQ(response.backtest(0).model(), response.model());
  // Every candidate was backtested: the served one and the seven.
  EXPECT_EQ(response.backtest_size(), response.combined_size() > 1 ? 8 : 7);
}

TEST_F(ProjectionsTest, HalfAYearOfWeeksIsProjectedFromSixtyWeeks) {
  ReceiveHistory(7 * 60);
  v1::GetProjectionRequest request = Daily();
  request.set_interval(v1::FIGURE_DIMENSION_WEEK);
  request.set_horizon(26);
  v1::GetProjectionResponse response;
  ASSERT_TRUE(Project(request, &response).ok());
  EXPECT_EQ(response.points_size(), 26);
  EXPECT_EQ(response.backtest_origins(), 8);
}

// Four and a half months cannot hold 91-day cuts: a shorter horizon and the reason, not a refusal.
TEST_F(ProjectionsTest, AShortHistoryGetsAShorterHorizonWithTheReason) {
  ReceiveHistory(137);
  v1::GetProjectionRequest request = Daily(v1::FIGURE_DIMENSION_CATEGORY, "plumbing");
  request.set_horizon(91);
  v1::GetProjectionResponse response;
  ASSERT_TRUE(Project(request, &response).ok());
  EXPECT_EQ(response.points_size(), 74);
  EXPECT_EQ(response.horizon(), 74);
  ASSERT_EQ(response.notes_size(), 1);
  EXPECT_THAT(response.notes(0), HasSubstr("74 days instead of 91"));
}

// History imported years ago and nothing since: the answer names the gap and
// the origin that would work, not "nothing counted".
TEST_F(ProjectionsTest, AGapOfYearsIsNamedAsTheCause) {
  const absl::CivilDay end = Today() - 2000;
  ReceiveHistory(300, end);
  v1::GetProjectionResponse response;
  grpc::Status status = Project(Daily(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat("its last were on ", absl::FormatCivilTime(end - 1))));
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat("give an origin up to ", absl::FormatCivilTime(end))));
  v1::GetProjectionRequest from_its_end = Daily();
  from_its_end.set_origin(absl::FormatCivilTime(end));
  from_its_end.set_horizon(91);
  ASSERT_TRUE(Project(from_its_end, &response).ok());
  EXPECT_EQ(response.points_size(), 91);
  EXPECT_TRUE(response.points(0).has_actual()) << "the days after were counted: zero";
  EXPECT_EQ(response.points(0).actual(), 0);
}

TEST_F(ProjectionsTest, NewEventsMakeTheirSeriesDueAgain) {
  ReceiveHistory(120);
  ASSERT_TRUE(app_->RefreshProjections().ok());
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake,
                                      Received("N1", 1, "2026-11-10T09:00:00+08:00"), offset_++),
                           ConsumedOf(topics::kIntake, Classified("N1", "roof", v1::PRIORITY_P3),
                                      offset_++)})
                  .ok());
  // all, unassigned, phone and Sunshine Garden, daily only: 120 days are too
  // few for a weekly projection, and roof has one complaint.
  EXPECT_EQ(*app_->RefreshProjections(), 4);
}

TEST_F(ProjectionsTest, BadRequestsNameTheFieldAndChangeNothing) {
  ReceiveHistory(60);
  auto code_and_message = [&](v1::GetProjectionRequest request) {
    v1::GetProjectionResponse response;
    grpc::Status status = Project(request, &response);
    return absl::StrCat(status.error_code(), " ", status.error_message());
  };
  v1::GetProjectionRequest request = Daily();
  request.set_interval(v1::FIGURE_DIMENSION_MONTH);
  EXPECT_THAT(code_and_message(request), HasSubstr("3 interval:"));
  request = Daily();
  request.set_horizon(93);
  EXPECT_THAT(code_and_message(request), HasSubstr("3 horizon: 1–92 days"));
  request.set_interval(v1::FIGURE_DIMENSION_WEEK);
  request.set_horizon(27);
  EXPECT_THAT(code_and_message(request), HasSubstr("3 horizon: 1–26 weeks"));
  request = Daily();
  request.set_origin(absl::FormatCivilTime(Today() + 1));
  EXPECT_THAT(code_and_message(request), HasSubstr("3 origin: in the future"));
  request = Daily();
  request.set_origin("2026-13-01");
  EXPECT_THAT(code_and_message(request), HasSubstr("3 origin:"));
  EXPECT_THAT(code_and_message(Daily(v1::FIGURE_DIMENSION_HANDLER, "x")),
              HasSubstr("3 dimension:"));
  EXPECT_THAT(code_and_message(Daily(v1::FIGURE_DIMENSION_CATEGORY, "")), HasSubstr("3 value:"));
  EXPECT_THAT(code_and_message(Daily(v1::FIGURE_DIMENSION_UNSPECIFIED, "x")),
              HasSubstr("3 value:"));
  EXPECT_THAT(code_and_message(Daily(v1::FIGURE_DIMENSION_CATEGORY, std::string(201, 'a'))),
              HasSubstr("3 value:"));
  EXPECT_THAT(code_and_message(Daily(v1::FIGURE_DIMENSION_CATEGORY, "roof")),
              HasSubstr("5 series:"));
  // 60 days cannot hold eight weeks to fit and two cuts of a week.
  EXPECT_THAT(code_and_message(Daily()),
              HasSubstr("9 series: 60 days of history; at least 64 are needed"));
}

}  // namespace
}  // namespace complaints::analytics
