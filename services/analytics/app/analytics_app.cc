#include "services/analytics/app/analytics_app.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/paging.h"
#include "services/analytics/domain/counts.h"
#include "spdlog/spdlog.h"

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
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {1000, 5000}));
  ASSIGN_OR_RETURN(const std::string begin,
                   ResumeKey(request.page_token(), "", request.from_day()));
  if (!request.page_token().empty() && begin < request.from_day()) {
    return absl::InvalidArgumentError("page_token: not a token of this day range");
  }
  // Keys start with the day, then '\x1f': every key of to_day sorts below to_day + ' '.
  const std::string end = request.to_day().empty() ? "" : request.to_day() + " ";
  v1::GetCountsResponse response;
  std::string last_key;
  RETURN_IF_ERROR(options_.store->Scan(
      Family::kCounts, begin, end, page_size + 1,
      [&](absl::string_view key, absl::string_view value) {
        if (static_cast<size_t>(response.rows_size() + response.unreadable_rows()) == page_size) {
          response.set_next_page_token(PageToken(last_key));
          return false;
        }
        last_key = std::string(key);
        absl::StatusOr<v1::CountRow> row = ParseBucketKey(key);
        int64_t count = 0;
        if (!row.ok() || !absl::SimpleAtoi(value, &count)) {
          // One bad row must not hide the others: skip it, say so, and log it.
          response.set_unreadable_rows(response.unreadable_rows() + 1);
          spdlog::error("analytics: count row {} is unreadable", EscapedPrefix(key, 80));
          return true;
        }
        row->set_count(count);
        response.set_total(response.total() + count);
        *response.add_rows() = *std::move(row);
        return true;
      }));
  return response;
}

}  // namespace complaints::analytics
