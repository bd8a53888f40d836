#include "services/analytics/app/analytics_spec.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/app/incident_fold.h"
#include "services/analytics/domain/counts.h"
#include "services/analytics/domain/hot_issues.h"

namespace complaints::analytics {
namespace {

// §5.1 every bucket a complaint's change moves: counts by day × category ×
// priority × department, hot-issue terms and the series projections read.
// Each partition's under its prefix (queries add them up); within one unit
// the last Put of a key wins, so running totals are kept for the unit.
class BucketsFold final : public ProjectionFold {
 public:
  explicit BucketsFold(const AnalyticsParts& parts) : parts_(parts) {}

  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override {
    const int32_t partition = PartitionOf(change.complaint_id, parts_.store->partitions());
    const std::string prefix = PartitionPrefix(partition);
    for (const auto& [bucket, delta] : CountChanges(change.before, change.after, parts_.zone)) {
      RETURN_IF_ERROR(Add(batch, Family::kCounts, absl::StrCat(prefix, bucket), delta));
    }
    for (const auto& [key, delta] : HotChanges(change.before, change.after, parts_.zone)) {
      RETURN_IF_ERROR(Add(batch, kSeriesFamily, absl::StrCat(prefix, key), delta));
    }
    for (const auto& [key, delta] : SeriesChanges(change.before, change.after, parts_.zone)) {
      absl::StatusOr<std::pair<SeriesId, absl::CivilDay>> series = ParseSeriesKey(key);
      if (series.ok()) RETURN_IF_ERROR(AddToIndex(batch, partition, series->first, delta));
      RETURN_IF_ERROR(Add(batch, kSeriesFamily, absl::StrCat(prefix, key), delta));
      if (series.ok() && parts_.series_changed) parts_.series_changed(series->first);
    }
    return absl::OkStatus();
  }

 private:
  // The partition's index of series holds each series with complaints
  // counted, its value their number (every day together); a series whose
  // count falls to zero leaves it. So the index depends only on the counts,
  // not on the order events arrived in: a rebuild that sees a complaint's
  // assignment before its classification (never "unassigned") stores the
  // same index as the live run did (docs/architecture.md invariant 7). An
  // index entry from before it held a number is counted from the day rows.
  absl::Status AddToIndex(Batch& batch, int32_t partition, const SeriesId& series, int64_t delta) {
    const std::string key = SeriesIndexKey(partition, series);
    auto it = totals_.find({kSeriesFamily, key});
    if (it == totals_.end()) {
      ASSIGN_OR_RETURN(std::optional<std::string> stored, parts_.store->Get(kSeriesFamily, key));
      int64_t total = 0;
      if (stored.has_value() && stored->empty()) {
        ASSIGN_OR_RETURN(total, StoredTotal(partition, series));
      } else if (stored.has_value() && !absl::SimpleAtoi(*stored, &total)) {
        return absl::DataLossError(absl::StrCat("series index ", key, " is corrupt"));
      }
      it = totals_.emplace(std::make_pair(kSeriesFamily, key), total).first;
    }
    it->second += delta;
    if (it->second <= 0) {
      batch.Delete(kSeriesFamily, key);
    } else {
      batch.Put(kSeriesFamily, key, absl::StrCat(it->second));
    }
    return absl::OkStatus();
  }

  // The series' complaints counted in the partition, from its stored day rows.
  absl::StatusOr<int64_t> StoredTotal(int32_t partition, const SeriesId& series) const {
    const std::string base = PartitionPrefix(partition) + SeriesPrefix(series);
    int64_t total = 0;
    RETURN_IF_ERROR(parts_.store->Scan(kSeriesFamily, base, base + "\x7f", SIZE_MAX,
                                       [&](absl::string_view, absl::string_view value) {
                                         int64_t count = 0;
                                         if (absl::SimpleAtoi(value, &count)) total += count;
                                         return true;
                                       }));
    return total;
  }

  absl::Status Add(Batch& batch, Family family, const std::string& key, int64_t delta) {
    auto it = totals_.find({family, key});
    if (it == totals_.end()) {
      ASSIGN_OR_RETURN(std::optional<std::string> stored, parts_.store->Get(family, key));
      int64_t count = 0;
      if (stored.has_value() && !absl::SimpleAtoi(*stored, &count)) {
        return absl::DataLossError(absl::StrCat("count ", key, " is corrupt"));
      }
      it = totals_.emplace(std::make_pair(family, key), count).first;
    }
    it->second += delta;
    if (it->second == 0) {
      batch.Delete(family, key);
    } else {
      batch.Put(family, key, absl::StrCat(it->second));
    }
    return absl::OkStatus();
  }

  AnalyticsParts parts_;
  std::map<std::pair<Family, std::string>, int64_t> totals_;
};

}  // namespace

ServiceSpec AnalyticsSpec(const AnalyticsParts& parts) {
  ServiceSpec spec{.service = "analytics",
                   .writer = v1::WRITER_ANALYTICS,
                   .topic = std::string(topics::kAnalytics),
                   .view_parts = ViewParts::kWithoutTimers,
                   // The buckets count every event, answered or not.
                   .projections_see_answered = true};

  // §3.1 / §5.1 a complaint that just became groupable may found or join an
  // incident (many calls, one matter).
  spec.policies.push_back({.role = "incident-detector",
                           .when = [](const v1::Envelope&, const v1::ComplaintView& before,
                                      const v1::ComplaintView& after) -> std::optional<Decision> {
                             if (Groupable(before) || !Groupable(after)) return std::nullopt;
                             return [](const v1::ComplaintView& view, const DecisionUnit& unit) {
                               return unit.projection<IncidentsFold>().Detect(view, unit.now());
                             };
                           }});

  spec.projections.push_back(
      {.name = "buckets", .begin = [parts]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
         return std::make_unique<BucketsFold>(parts);
       }});
  spec.projections.push_back(
      {.name = "incidents", .begin = [parts]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
         return std::make_unique<IncidentsFold>(parts.store, parts.zone, parts.detector);
       }});
  return spec;
}

}  // namespace complaints::analytics
