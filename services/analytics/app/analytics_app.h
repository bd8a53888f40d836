#pragma once
// The analytics shell: consumes every writer's topic, keeps each complaint's
// (personal-data-free) view and the count buckets, and serves the counts.
// Apply runs on the consumer thread; GetCounts is thread-safe.

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/spec_runner.h"
#include "services/analytics/domain/incidents.h"
#include "services/analytics/domain/metrics.h"
#include "services/analytics/domain/projection.h"
#include "services/analytics/domain/series.h"

namespace complaints::analytics {

struct AnalyticsAppOptions {
  RunnerParts parts;
  absl::TimeZone zone;
  DayKinds calendar;  // the centre's business calendar, for the projections
  DetectorOptions detector = {};
  // Projections computed on request (another horizon, a past origin) cost up
  // to about a second of CPU each: beyond this many at once, over gRPC and
  // HTTP together, a request gets RESOURCE_EXHAUSTED. Stored ones always serve.
  int max_computing_projections = 4;
};

// The key that lists `series` among a partition's series (family kSeries).
std::string SeriesIndexKey(int32_t partition, const SeriesId& series);

class AnalyticsApp {
 public:
  explicit AnalyticsApp(AnalyticsAppOptions options);

  // The EventConsumer handler: analytics' declaration (analytics_spec.h) run.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return runner_.Apply(records); }
  ConsumedApplier& applier() { return runner_.applier(); }

  // INVALID_ARGUMENT naming from_day / to_day when malformed or reversed.
  absl::StatusOr<v1::GetCountsResponse> GetCounts(const v1::GetCountsRequest& request) const;

  // §5.1 / §5.3 figures from every complaint view received in the day range.
  // INVALID_ARGUMENT naming a bad day, range or grouping. Reads the views of
  // the range once per call (quantiles do not add up across buckets).
  absl::StatusOr<v1::GetFiguresResponse> GetFigures(const v1::GetFiguresRequest& request) const;

  // §5.1 trend projections. INVALID_ARGUMENT naming a bad field; NOT_FOUND
  // for a series with nothing counted before the origin; FAILED_PRECONDITION
  // when its history is too short for the horizon. The current projection at
  // the default horizon comes from the store when it is there.
  absl::StatusOr<v1::GetProjectionResponse> GetProjection(
      const v1::GetProjectionRequest& request) const;

  // §5.1 hot issues of one community or all. INVALID_ARGUMENT naming a bad field.
  absl::StatusOr<v1::GetHotIssuesResponse> GetHotIssues(
      const v1::GetHotIssuesRequest& request) const;

  // §3.1 / §5.1 incidents, the latest first. INVALID_ARGUMENT naming a bad field.
  absl::StatusOr<v1::ListIncidentsResponse> ListIncidents(
      const v1::ListIncidentsRequest& request) const;

  // §5.2 reports: stored ones, the latest first; one rendered. INVALID_ARGUMENT
  // naming a bad field; NOT_FOUND for an unknown report.
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request) const;
  absl::StatusOr<v1::GetReportResponse> GetReport(const v1::GetReportRequest& request) const;
  // Builds and stores the report of the last complete week and month when
  // missing and anything was received in them; returns how many it stored.
  // One timer calls it (with the projections).
  absl::StatusOr<int> GenerateReports();

  // Recomputes and stores the current projections (daily and weekly) of the
  // series that events changed since the last run — of every series on the
  // first run of a day. Returns how many were stored. Not thread-safe with
  // itself: one timer calls it.
  absl::StatusOr<int> RefreshProjections();

 private:
  absl::StatusOr<std::map<absl::CivilDay, int64_t>> DailyCounts(const SeriesId& series,
                                                                absl::CivilDay from,
                                                                absl::CivilDay to) const;
  absl::StatusOr<v1::GetProjectionResponse> Compute(const SeriesId& series, Frequency frequency,
                                                    int horizon, absl::CivilDay origin) const;
  absl::CivilDay CurrentOrigin(Frequency frequency) const;
  // The facts of the complaints received in the day range (empty: unbounded).
  absl::StatusOr<std::vector<ComplaintFacts>> FactsReceived(const std::string& from_day,
                                                            const std::string& to_day) const;
  // Whether any complaint received in the day range is counted (a bucket of
  // the counts projection): the same complaints FactsReceived finds, read
  // from a few count rows instead of every view.
  absl::StatusOr<bool> AnyReceived(const std::string& from_day, const std::string& to_day) const;
  // Every community a complaint was counted in, from the series index.
  absl::StatusOr<std::vector<std::string>> Communities() const;
  absl::Status RefreshOne(const SeriesId& series, int* refreshed);
  void MarkChanged(const SeriesId& series);

  // How many of the incident's complaints are still open (the listing).
  absl::StatusOr<int> OpenComplaints(const v1::Incident& incident) const;

  AnalyticsAppOptions options_;
  SpecRunner runner_;
  absl::Mutex changed_mu_;
  std::set<SeriesId> changed_ ABSL_GUARDED_BY(changed_mu_);
  std::optional<absl::CivilDay> refreshed_day_;
  mutable std::atomic<int> computing_projections_{0};
};

}  // namespace complaints::analytics
