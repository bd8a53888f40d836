// §3.2 planning cost: targets and timers for one complaint, as tracking does
// for every classification, reclassification, resume and approved extension.
// P1 runs on calendar time; P4 complex spans weeks of business time on the
// 2026 calendar, the slowest case.
#include "benchmark/benchmark.h"
#include "libs/core/config.h"
#include "libs/core/time_util.h"
#include "libs/testing/temp_dir.h"
#include "services/tracking/domain/sla_plan.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {
namespace {

struct Shipped {
  Shipped()
      : book(*SlaBook::Create(
            *LoadTextProto<v1::SlaPolicies>(testing::SourceDir() + "/config/sla.textproto"))),
        calendar(*BusinessCalendar::Create(*LoadTextProto<v1::BusinessCalendar>(
                                               testing::SourceDir() + "/config/calendar.textproto"),
                                           "Asia/Shanghai")) {}
  SlaBook book;
  BusinessCalendar calendar;
};

void BM_Plan(benchmark::State& state) {
  static const Shipped shipped;
  const auto priority = static_cast<v1::Priority>(state.range(0));
  const auto complexity = static_cast<v1::Complexity>(state.range(1));
  const v1::SlaPolicy& policy = **shipped.book.Find(priority, complexity);
  // Friday before the Spring Festival: the worst stretch of the year.
  absl::TimeZone zone = shipped.calendar.zone();
  const absl::Time started = absl::FromCivil(absl::CivilMinute(2026, 2, 13, 17, 0), zone);
  Pauses pauses;
  for (auto _ : state) {
    v1::DeadlinesSet plan = Plan(policy, shipped.calendar, started, pauses);
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Plan)
    ->Args({v1::PRIORITY_P1, v1::COMPLEXITY_ORDINARY})
    ->Args({v1::PRIORITY_P3, v1::COMPLEXITY_ORDINARY})
    ->Args({v1::PRIORITY_P4, v1::COMPLEXITY_COMPLEX});

}  // namespace
}  // namespace complaints::tracking

BENCHMARK_MAIN();
