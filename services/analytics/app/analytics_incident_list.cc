// §3.1 / §5.1 the incidents analytics detected, for analysts and the dashboard.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "services/analytics/app/analytics_app.h"
#include "spdlog/spdlog.h"

namespace complaints::analytics {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 500;
constexpr size_t kMaxCommunityBytes = 200;

}  // namespace

absl::StatusOr<v1::ListIncidentsResponse> AnalyticsApp::ListIncidents(
    const v1::ListIncidentsRequest& request) const {
  if (request.limit() < 0 || request.limit() > kMaxLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit: 1–", kMaxLimit, ", or 0 for 100"));
  }
  if (request.community().size() > kMaxCommunityBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("community: at most ", kMaxCommunityBytes, " bytes"));
  }
  if (request.has_since() && (request.since().nanos() < 0 || request.since().nanos() > 999999999)) {
    return absl::InvalidArgumentError("since.nanos: must be between 0 and 999999999");
  }
  const absl::Time since = request.has_since() ? FromProto(request.since())
                                               : options_.parts.clock->Now() - absl::Hours(24 * 7);
  std::vector<v1::Incident> incidents;
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kIncidents, "I", "J", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        v1::Incident incident;
        if (!incident.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          spdlog::error("analytics: a stored incident is unreadable");
          return true;
        }
        if (FromProto(incident.last_occurred_at()) < since) return true;
        if (!request.community().empty() && incident.community() != request.community() &&
            incident.public_area() != request.community()) {
          return true;
        }
        incidents.push_back(std::move(incident));
        return true;
      }));
  std::sort(incidents.begin(), incidents.end(), [](const v1::Incident& a, const v1::Incident& b) {
    return FromProto(a.last_occurred_at()) > FromProto(b.last_occurred_at());
  });
  const size_t limit = static_cast<size_t>(request.limit() == 0 ? kDefaultLimit : request.limit());
  v1::ListIncidentsResponse response;
  for (size_t i = 0; i < incidents.size() && i < limit; ++i) {
    *response.add_incidents() = std::move(incidents[i]);
  }
  return response;
}

}  // namespace complaints::analytics
