#include "services/analytics/app/analytics_app.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "services/analytics/domain/counts.h"

namespace complaints::analytics {
namespace {

absl::StatusOr<int64_t> StoredCount(const Store* store, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store->Get(Family::kCounts, key));
  int64_t count = 0;
  if (stored.has_value() && !absl::SimpleAtoi(*stored, &count)) {
    return absl::DataLossError(absl::StrCat("count ", key, " is corrupt"));
  }
  return count;
}

}  // namespace

AnalyticsApp::AnalyticsApp(AnalyticsAppOptions options)
    : options_(options),
      applier_({.store = options.store,
                .outbox = options.outbox,
                .dead_letters = options.dead_letters,
                .clock = options.clock,
                .timeline = Timeline::kSkip,
                .park_timeout = options.park_timeout},
               [this]() -> absl::StatusOr<Reaction> {
                 // This batch's running totals: within one batch the last Put of a key wins.
                 auto counts = std::make_shared<std::map<std::string, int64_t>>();
                 return Reaction([this, counts](UnitOfWork& unit, const v1::Envelope&,
                                                const v1::ComplaintView& before,
                                                const v1::ComplaintView& after,
                                                absl::Time) -> absl::Status {
                   for (const auto& [key, delta] : CountChanges(before, after, options_.zone)) {
                     auto it = counts->find(key);
                     if (it == counts->end()) {
                       ASSIGN_OR_RETURN(int64_t stored, StoredCount(options_.store, key));
                       it = counts->emplace(key, stored).first;
                     }
                     it->second += delta;
                     if (it->second == 0) {
                       unit.batch().Delete(Family::kCounts, key);
                     } else {
                       unit.batch().Put(Family::kCounts, key, absl::StrCat(it->second));
                     }
                   }
                   return absl::OkStatus();
                 });
               }) {}

absl::StatusOr<v1::GetCountsResponse> AnalyticsApp::GetCounts(
    const v1::GetCountsRequest& request) const {
  RETURN_IF_ERROR(ValidateDay("from_day", request.from_day()));
  RETURN_IF_ERROR(ValidateDay("to_day", request.to_day()));
  if (!request.from_day().empty() && !request.to_day().empty() &&
      request.from_day() > request.to_day()) {
    return absl::InvalidArgumentError("to_day: before from_day");
  }
  // Keys start with the day, then '\x1f': every key of to_day sorts below to_day + ' '.
  const std::string end = request.to_day().empty() ? "" : request.to_day() + " ";
  v1::GetCountsResponse response;
  absl::Status status = absl::OkStatus();
  RETURN_IF_ERROR(options_.store->Scan(Family::kCounts, request.from_day(), end, SIZE_MAX,
                                       [&](absl::string_view key, absl::string_view value) {
                                         absl::StatusOr<v1::CountRow> row = ParseBucketKey(key);
                                         int64_t count = 0;
                                         if (!row.ok() || !absl::SimpleAtoi(value, &count)) {
                                           status =
                                               absl::DataLossError("a stored count is corrupt");
                                           return false;
                                         }
                                         row->set_count(count);
                                         response.set_total(response.total() + count);
                                         *response.add_rows() = *std::move(row);
                                         return true;
                                       }));
  RETURN_IF_ERROR(status);
  return response;
}

}  // namespace complaints::analytics
