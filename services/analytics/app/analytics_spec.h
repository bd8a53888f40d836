#pragma once
// Analytics declared (§3.1, §5.1): it takes no commands; its policy finds
// incidents among the complaints it sees, and its projections keep the
// counts, hot-issue and series buckets and the incident detector's state.
// Read analytics_spec.cc for everything analytics keeps and decides.

#include <functional>

#include "absl/time/time.h"
#include "libs/runner/service_spec.h"
#include "libs/store/store.h"
#include "services/analytics/domain/incidents.h"
#include "services/analytics/domain/series.h"

namespace complaints::analytics {

// What the declaration refers to; `store` must outlive the spec's runner.
struct AnalyticsParts {
  Store* store = nullptr;
  absl::TimeZone zone;
  DetectorOptions detector = {};
  // Told of each series whose counts changed (its projection is refreshed).
  std::function<void(const SeriesId& series)> series_changed = nullptr;
};

ServiceSpec AnalyticsSpec(const AnalyticsParts& parts);

}  // namespace complaints::analytics
