#pragma once
// The analytics shell: consumes every writer's topic, keeps each complaint's
// (personal-data-free) view and the count buckets, and serves the counts.
// Apply runs on the consumer thread; GetCounts is thread-safe.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "libs/runner/consumed_batch.h"

namespace complaints::analytics {

struct AnalyticsAppOptions {
  RunnerParts parts;
  absl::TimeZone zone;
};

class AnalyticsApp {
 public:
  explicit AnalyticsApp(AnalyticsAppOptions options);

  // The EventConsumer handler.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

  // INVALID_ARGUMENT naming from_day / to_day when malformed or reversed.
  absl::StatusOr<v1::GetCountsResponse> GetCounts(const v1::GetCountsRequest& request) const;

  // §5.1 / §5.3 figures from every complaint view received in the day range.
  // INVALID_ARGUMENT naming a bad day, range or grouping. Reads the views of
  // the range once per call (quantiles do not add up across buckets).
  absl::StatusOr<v1::GetFiguresResponse> GetFigures(const v1::GetFiguresRequest& request) const;

 private:
  AnalyticsAppOptions options_;
  ConsumedApplier applier_;
};

}  // namespace complaints::analytics
