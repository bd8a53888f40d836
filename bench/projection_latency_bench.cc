// GetProjection over a real mTLS gRPC channel against the analytics shell with
// real RocksDB holding 3 years of daily complaints in 20 categories (about
// 60 a day, a weekly pattern and the US federal holidays of bench/data):
// the stored projection (what the dashboard and most calls read), the same
// series computed on request (another horizon or a past origin), and a
// weekly one. Prints median and 90th percentile latency of each.
//   build/bench/projection_latency_bench
#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/analytics.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/app/analytics_service.h"

namespace complaints::analytics {
namespace {

constexpr int kDays = 3 * 365;
constexpr int kCategories = 20;
constexpr int kCalls = 30;

void Measure(const char* name, v1::AnalyticsService::Stub& stub,
             const v1::GetProjectionRequest& request) {
  std::vector<double> millis;
  bool stored = false;
  for (int i = 0; i < kCalls; ++i) {
    grpc::ClientContext context;
    v1::GetProjectionResponse response;
    const absl::Time start = complaints::WallNow();
    const grpc::Status status = stub.GetProjection(&context, request, &response);
    millis.push_back(absl::ToDoubleMilliseconds(complaints::WallNow() - start));
    if (!status.ok()) {
      std::printf("%s: %s\n", name, status.error_message().c_str());
      return;
    }
    stored = response.stored();
  }
  std::sort(millis.begin(), millis.end());
  std::printf("%-44s p50 %8.2f ms  p90 %8.2f ms  (%s)\n", name, millis[millis.size() / 2],
              millis[millis.size() * 9 / 10], stored ? "stored" : "computed");
}

int Run() {
  testing::TempDir dir;
  auto store = *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, analytics::kFamilies);
  auto outbox =
      *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_ANALYTICS));
  auto letters = *DeadLetters::Open(store.get());
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  testing::FakeClock clock(absl::FromCivil(absl::CivilSecond(2026, 11, 27, 12, 0, 0), zone));
  const DayKinds calendar = *DayKinds::From(*LoadTextProto<v1::BusinessCalendar>(
      testing::SourceDir() + "/bench/data/us-federal-calendar.textproto"));
  AnalyticsApp app({.parts = {store.get(), outbox.get(), letters.get(), &clock},
                    .zone = zone,
                    .calendar = calendar});
  const absl::Time loading = complaints::WallNow();
  int64_t offset = 0, complaints = 0;
  std::vector<ConsumedRecord> batch;
  const absl::CivilDay today = absl::ToCivilDay(clock.Now(), zone);
  for (absl::CivilDay day = today - kDays; day < today; ++day) {
    const bool weekend = absl::GetWeekday(day) == absl::Weekday::saturday ||
                         absl::GetWeekday(day) == absl::Weekday::sunday;
    const int count = calendar.Of(day) == DayKind::kHoliday ? 20 : weekend ? 30 : 70;
    for (int k = 0; k < count; ++k, ++complaints) {
      const std::string id = absl::StrCat("C", complaints);
      batch.push_back(testing::ConsumedOf(
          topics::kIntake,
          testing::Received(id, 1, absl::StrCat(absl::FormatCivilTime(day), "T10:00:00+08:00")),
          offset++));
      batch.push_back(testing::ConsumedOf(
          topics::kIntake,
          testing::Classified(id, absl::StrCat("category-", k % kCategories), v1::PRIORITY_P3),
          offset++));
    }
    if (batch.size() > 2000) {
      if (!app.Apply(batch).ok()) return 1;
      batch.clear();
    }
  }
  if (!app.Apply(batch).ok()) return 1;
  std::printf("loaded %lld complaints over %d days in %.1f s\n", static_cast<long long>(complaints),
              kDays, absl::ToDoubleSeconds(complaints::WallNow() - loading));
  const absl::Time refreshing = complaints::WallNow();
  absl::StatusOr<int> refreshed = app.RefreshProjections();
  if (!refreshed.ok()) return 1;
  std::printf("refreshed %d stored projections (daily and weekly, %d series) in %.1f s\n",
              *refreshed, kCategories + 4,
              absl::ToDoubleSeconds(complaints::WallNow() - refreshing));

  AnalyticsService service(&app);
  auto security = testing::TestPki::Shared().Server("service/analytics");
  auto host = *ServiceHost::Start("127.0.0.1:0", {&service}, security.get());
  auto stub = v1::AnalyticsService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(host->port()),
                          testing::TestPki::Shared().Credentials("staff/he")));
  v1::GetProjectionRequest daily;
  daily.set_interval(v1::FIGURE_DIMENSION_DAY);
  Measure("all complaints, daily, 28 days", *stub, daily);
  v1::GetProjectionRequest category = daily;
  category.set_dimension(v1::FIGURE_DIMENSION_CATEGORY);
  category.set_value("category-3");
  Measure("one category, daily, 28 days", *stub, category);
  v1::GetProjectionRequest longer = daily;
  longer.set_horizon(91);
  Measure("all complaints, daily, 91 days", *stub, longer);
  v1::GetProjectionRequest past = daily;
  past.set_origin(absl::FormatCivilTime(today - 60));
  Measure("all complaints, daily, from 60 days ago", *stub, past);
  v1::GetProjectionRequest weekly = daily;
  weekly.set_interval(v1::FIGURE_DIMENSION_WEEK);
  Measure("all complaints, weekly, 13 weeks", *stub, weekly);
  weekly.set_origin(absl::FormatCivilTime(today - 60));
  Measure("all complaints, weekly, from 60 days ago", *stub, weekly);
  return 0;
}

}  // namespace
}  // namespace complaints::analytics

int main() { return complaints::analytics::Run(); }
