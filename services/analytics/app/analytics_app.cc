#include "services/analytics/app/analytics_app.h"

#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/paging.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_spec.h"
#include "services/analytics/domain/counts.h"
#include "services/analytics/domain/hot_issues.h"

namespace complaints::analytics {
AnalyticsApp::AnalyticsApp(AnalyticsAppOptions options)
    : options_(options),
      runner_(AnalyticsSpec(
                  {.store = options.parts.store,
                   .zone = options.zone,
                   .detector = options.detector,
                   .series_changed = [this](const SeriesId& series) { MarkChanged(series); }}),
              options.parts) {}

absl::StatusOr<v1::GetCountsResponse> AnalyticsApp::GetCounts(
    const v1::GetCountsRequest& request) const {
  RETURN_IF_ERROR(ValidateDayRange(request.from_day(), request.to_day()));
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {1000, 5000}));
  ASSIGN_OR_RETURN(const std::string begin,
                   ResumeKey(request.page_token(), "", request.from_day()));
  if (!request.page_token().empty() && begin < request.from_day()) {
    return absl::InvalidArgumentError("page_token: not a token of this day range");
  }
  // Bucket keys start with the day, then '\x1f': every key of to_day sorts
  // below to_day + ' '. Each partition holds its own counts of a bucket: the
  // page merges the partitions' scans. A scan that filled up (page_size + 1
  // rows) may hold back larger keys, so only keys up to the smallest last key
  // of such a scan are complete — and there are more than page_size of them.
  const std::string end = request.to_day().empty() ? "" : request.to_day() + " ";
  struct Merged {
    int64_t count = 0;
    bool unreadable = false;
  };
  std::map<std::string, Merged> merged;
  std::optional<std::string> complete_to;
  const int partitions = options_.parts.store->partitions();
  for (int32_t partition = 0; partition < partitions; ++partition) {
    const std::string prefix = PartitionPrefix(partition);
    const std::string scan_end =
        end.empty() ? PartitionPrefix(partition + 1) : absl::StrCat(prefix, end);
    size_t rows = 0;
    std::string last;
    RETURN_IF_ERROR(options_.parts.store->Scan(
        Family::kCounts, absl::StrCat(prefix, begin), scan_end, page_size + 1,
        [&](absl::string_view key, absl::string_view value) {
          ++rows;
          last = std::string(key.substr(kPartitionPrefixBytes));
          Merged& entry = merged[last];
          int64_t count = 0;
          if (!ParseBucketKey(last).ok() || !absl::SimpleAtoi(value, &count)) {
            // One bad row must not hide the others: skip it, say so, and log it.
            entry.unreadable = true;
            log::Error("analytics: count row {} is unreadable", EscapedPrefix(key, 80));
          }
          entry.count += count;
          return true;
        }));
    if (rows == page_size + 1 && (!complete_to || last < *complete_to)) complete_to = last;
  }
  v1::GetCountsResponse response;
  size_t served = 0;
  std::string last_served;
  for (const auto& [key, entry] : merged) {
    if ((complete_to && key > *complete_to) || served == page_size) {
      response.set_next_page_token(PageToken(last_served));
      break;
    }
    ++served;
    last_served = key;
    if (entry.unreadable) {
      response.set_unreadable_rows(response.unreadable_rows() + 1);
      continue;
    }
    absl::StatusOr<v1::CountRow> row = ParseBucketKey(key);
    row->set_count(entry.count);
    response.set_total(response.total() + entry.count);
    *response.add_rows() = *std::move(row);
  }
  return response;
}

}  // namespace complaints::analytics
