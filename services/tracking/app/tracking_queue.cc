// The work queue: an index of every complaint's WorkItem in resolve-by order,
// kept in step with the views in the batches that write them, each
// partition's share under its prefix; ListComplaints merges the partitions.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/paging.h"
#include "libs/runner/partitioning.h"
#include "services/tracking/app/tracking_app.h"
#include "services/tracking/app/tracking_families.h"
#include "services/tracking/app/tracking_projections.h"
#include "services/tracking/domain/work_queue.h"

namespace complaints::tracking {
namespace {

// A listing reads at most this many entries per partition and page, so one
// call stays bounded however few entries match.
constexpr size_t kMaxScannedPerPartition = 20'000;
constexpr size_t kMaxFilterChars = 100;

// Resolve-by order; complaints without a resolve-by time sort last.
std::string QueueKey(const v1::WorkItem& item) {
  const uint64_t due = item.has_resolve_by()
                           ? static_cast<uint64_t>(absl::ToUnixMicros(FromProto(item.resolve_by())))
                           : UINT64_MAX;
  return absl::StrCat(EncodeOrderedKey(due), item.complaint_id());
}

struct Scanned {
  std::vector<std::pair<std::string, v1::WorkItem>> matches;  // key without the prefix
  std::optional<std::string> stopped_at;  // the last key read when the scan stopped early
};

}  // namespace

absl::Status QueueFold::Fold(Batch& batch, const ChangedComplaint& change) {
  const std::string prefix = PartitionPrefix(PartitionOf(change.complaint_id, partitions_));
  const std::optional<v1::WorkItem> before = WorkItemOf(change.before);
  const std::optional<v1::WorkItem> after = WorkItemOf(change.after);
  if (before && (!after || QueueKey(*before) != QueueKey(*after))) {
    batch.Delete(kQueueFamily, prefix + QueueKey(*before));
  }
  if (!after) return absl::OkStatus();
  std::string item = after->SerializeAsString();
  if (!before || before->SerializeAsString() != item) {
    batch.Put(kQueueFamily, prefix + QueueKey(*after), item);
  }
  return absl::OkStatus();
}

ProjectionSpec QueueProjection(int partitions) {
  return {.name = "work queue",
          .begin = [partitions]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<QueueFold>(partitions);
          }};
}

absl::StatusOr<v1::ListComplaintsResponse> TrackingApp::ListComplaints(
    const v1::ListComplaintsRequest& request) const {
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {100, 500}));
  for (auto [field, value] :
       {std::pair{"department", &request.department()}, std::pair{"handler", &request.handler()},
        std::pair{"community", &request.community()}, std::pair{"category", &request.category()},
        std::pair{"incident_id", &request.incident_id()},
        std::pair{"source_id", &request.source_id()}}) {
    if (value->size() > 4 * kMaxFilterChars) {
      return InvalidField(field, absl::StrCat("longer than ", kMaxFilterChars, " characters"));
    }
  }
  for (int status : request.statuses()) {
    if (!v1::HandlingStatus_IsValid(status)) return InvalidField("statuses", "unknown status");
  }
  if (!v1::Priority_IsValid(request.priority())) return InvalidField("priority", "unknown");
  if (!v1::SlaVerdict_IsValid(request.verdict())) return InvalidField("verdict", "unknown");
  if (request.has_due_before() &&
      (request.due_before().nanos() < 0 || request.due_before().nanos() > 999'999'999)) {
    return InvalidField("due_before.nanos", "must be between 0 and 999999999");
  }
  ASSIGN_OR_RETURN(const std::string after, ResumeKey(request.page_token(), "", ""));
  const absl::Time now = options_.parts.clock->Now();

  std::vector<std::pair<std::string, v1::WorkItem>> matches;
  std::optional<std::string> horizon;  // nothing past it may be served on this page
  absl::Status corrupt = absl::OkStatus();
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    const std::string prefix = PartitionPrefix(partition);
    Scanned scanned;
    size_t read = 0;
    RETURN_IF_ERROR(options_.parts.store->Scan(
        kQueueFamily, prefix + after, "", SIZE_MAX,
        [&](absl::string_view key, absl::string_view value) {
          if (!absl::StartsWith(key, prefix)) return false;
          const std::string bare(key.substr(prefix.size()));
          if (scanned.matches.size() == page_size || read == kMaxScannedPerPartition) {
            scanned.stopped_at =
                scanned.matches.size() == page_size ? scanned.matches.back().first : bare;
            return false;
          }
          ++read;
          v1::WorkItem item;
          if (!item.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            corrupt = absl::DataLossError("a work-queue entry is corrupt");
            return false;
          }
          if (Matches(item, request, now)) scanned.matches.emplace_back(bare, std::move(item));
          return true;
        }));
    RETURN_IF_ERROR(corrupt);
    if (scanned.stopped_at && (!horizon || *scanned.stopped_at < *horizon)) {
      horizon = scanned.stopped_at;
    }
    for (auto& match : scanned.matches) matches.push_back(std::move(match));
  }
  std::sort(matches.begin(), matches.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  v1::ListComplaintsResponse response;
  std::string last;
  for (auto& [key, item] : matches) {
    if ((horizon && key > *horizon) || static_cast<size_t>(response.items_size()) == page_size) {
      break;
    }
    last = key;
    *response.add_items() = std::move(item);
  }
  if (static_cast<size_t>(response.items_size()) == page_size && matches.size() > page_size) {
    response.set_next_page_token(PageToken(last));
  } else if (horizon) {
    response.set_next_page_token(PageToken(last.empty() || *horizon > last ? *horizon : last));
  }
  return response;
}

}  // namespace complaints::tracking
