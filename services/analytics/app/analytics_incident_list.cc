// §3.1 / §5.1 the incidents analytics detected, for analysts and the dashboard.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"

namespace complaints::analytics {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 500;
constexpr size_t kMaxCommunityBytes = 200;

}  // namespace

// A member is open until tracking records its result, and again once reopened.
absl::StatusOr<int> AnalyticsApp::OpenComplaints(const v1::Incident& incident) const {
  int open = 0;
  for (const std::string& id : incident.complaint_ids()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     options_.parts.store->Get(
                         Family::kState, ComplaintKey(id, options_.parts.store->partitions())));
    v1::ComplaintView view;
    if (!stored.has_value() ||
        !view.ParseFromArray(stored->data(), static_cast<int>(stored->size()))) {
      continue;
    }
    const v1::HandlingStatus status = view.tracking().handling().status();
    open += status == v1::HANDLING_STATUS_UNSPECIFIED || status == v1::HANDLING_STATUS_OPEN;
  }
  return open;
}

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
      kIncidentsFamily, "I", "J", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        v1::Incident incident;
        if (!incident.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          log::Error("analytics: a stored incident is unreadable");
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
  for (v1::Incident& incident : incidents) {
    ASSIGN_OR_RETURN(const int open, OpenComplaints(incident));
    incident.set_open(open);
  }
  if (request.open_only()) {
    std::erase_if(incidents, [](const v1::Incident& incident) { return incident.open() == 0; });
  }
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
