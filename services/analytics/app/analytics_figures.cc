// §5.1 / §5.3 figures: the facts of every complaint view in the day range,
// aggregated by the requested grouping.
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/domain/counts.h"
#include "services/analytics/domain/metrics.h"

namespace complaints::analytics {
namespace {

constexpr int kMaxGrouping = 4;

absl::StatusOr<Dimension> DimensionOf(int value) {
  switch (value) {
    case v1::FIGURE_DIMENSION_DAY:
      return Dimension::kDay;
    case v1::FIGURE_DIMENSION_WEEK:
      return Dimension::kWeek;
    case v1::FIGURE_DIMENSION_MONTH:
      return Dimension::kMonth;
    case v1::FIGURE_DIMENSION_CATEGORY:
      return Dimension::kCategory;
    case v1::FIGURE_DIMENSION_COMMUNITY:
      return Dimension::kCommunity;
    case v1::FIGURE_DIMENSION_CHANNEL:
      return Dimension::kChannel;
    case v1::FIGURE_DIMENSION_DEPARTMENT:
      return Dimension::kDepartment;
    case v1::FIGURE_DIMENSION_HANDLER:
      return Dimension::kHandler;
    default:
      return absl::InvalidArgumentError("group_by: unknown dimension");
  }
}

}  // namespace

absl::StatusOr<v1::GetFiguresResponse> AnalyticsApp::GetFigures(
    const v1::GetFiguresRequest& request) const {
  RETURN_IF_ERROR(ValidateDayRange(request.from_day(), request.to_day()));
  if (request.group_by_size() > kMaxGrouping) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_by: at most ", kMaxGrouping, " dimensions"));
  }
  std::vector<Dimension> grouping;
  std::set<int> seen;
  for (int value : request.group_by()) {
    ASSIGN_OR_RETURN(Dimension dimension, DimensionOf(value));
    if (!seen.insert(value).second) {
      return absl::InvalidArgumentError("group_by: a dimension is named twice");
    }
    grouping.push_back(dimension);
  }
  ASSIGN_OR_RETURN(const std::vector<ComplaintFacts> facts,
                   FactsReceived(request.from_day(), request.to_day()));
  v1::GetFiguresResponse response;
  response.set_complaints(static_cast<int64_t>(facts.size()));
  for (const ComplaintFacts& complaint : facts) {
    response.set_matters(response.matters() + (complaint.duplicate ? 0 : 1));
  }
  for (v1::MetricsRow& row : Aggregate(facts, grouping)) *response.add_rows() = std::move(row);
  return response;
}

absl::StatusOr<std::vector<ComplaintFacts>> AnalyticsApp::FactsReceived(
    const std::string& from_day, const std::string& to_day) const {
  std::vector<ComplaintFacts> facts;
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kState, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        v1::ComplaintView view;
        if (!view.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          log::Error("analytics: a stored view is unreadable");
          return true;
        }
        std::optional<ComplaintFacts> fact = FactsOf(view, options_.zone);
        if (!fact) return true;
        const std::string& day = fact->dimensions.day();
        if ((!from_day.empty() && day < from_day) || (!to_day.empty() && day > to_day)) {
          return true;
        }
        facts.push_back(*std::move(fact));
        return true;
      }));
  return facts;
}

absl::StatusOr<bool> AnalyticsApp::AnyReceived(const std::string& from_day,
                                               const std::string& to_day) const {
  bool any = false;
  // Bucket keys start with the day, then '\x1f': every key of to_day sorts
  // below to_day + ' ' (GetCounts).
  for (int32_t partition = 0; partition < options_.parts.store->partitions() && !any; ++partition) {
    const std::string prefix = PartitionPrefix(partition);
    RETURN_IF_ERROR(options_.parts.store->Scan(Family::kCounts, absl::StrCat(prefix, from_day),
                                               absl::StrCat(prefix, to_day, " "), 1,
                                               [&](absl::string_view, absl::string_view) {
                                                 any = true;
                                                 return false;
                                               }));
  }
  return any;
}

}  // namespace complaints::analytics
