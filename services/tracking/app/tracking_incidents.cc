// §3.1 one burst pipe handled once: resolve every complaint of an incident
// analytics detected, each through the ordinary Resolve (its own Resolved
// event, deadline, holding check and idempotency key "<key>/<complaint id>"),
// so a retried call answers the same complaints as duplicates.
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {
namespace {

constexpr size_t kMaxIncidentIdBytes = 64;
constexpr int kMaxPages = 20;  // 10,000 complaints

}  // namespace

absl::StatusOr<v1::ResolveIncidentResponse> TrackingApp::ResolveIncident(
    const v1::ResolveIncidentRequest& request, const Actor& actor) {
  if (request.incident_id().empty()) return InvalidField("incident_id", "required");
  if (request.incident_id().size() > kMaxIncidentIdBytes) {
    return InvalidField("incident_id", absl::StrCat("longer than ", kMaxIncidentIdBytes, " bytes"));
  }
  if (request.idempotency_key().empty()) return InvalidField("idempotency_key", "required");
  // The complaints still in hand (open or resolved), every page.
  v1::ListComplaintsRequest list;
  list.set_incident_id(request.incident_id());
  list.set_page_size(500);
  std::vector<v1::WorkItem> members;
  for (int page = 0; page < kMaxPages; ++page) {
    ASSIGN_OR_RETURN(v1::ListComplaintsResponse listed, ListComplaints(list));
    for (v1::WorkItem& item : *listed.mutable_items()) members.push_back(std::move(item));
    if (listed.next_page_token().empty()) break;
    list.set_page_token(listed.next_page_token());
  }
  if (members.empty()) {
    return absl::NotFoundError("incident_id: no complaint in hand belongs to this incident");
  }
  v1::ResolveIncidentResponse response;
  for (const v1::WorkItem& member : members) {
    const std::string& complaint_id = member.complaint_id();
    const std::string key = absl::StrCat(request.idempotency_key(), "/", complaint_id);
    // One resolved before, by another command: left as it is (a retry of
    // this command finds its own key and answers it as a duplicate).
    if (member.status() == v1::HANDLING_STATUS_RESOLVED) {
      ASSIGN_OR_RETURN(std::optional<std::string> used,
                       options_.parts.store->Get(Family::kIdempotency, key));
      if (!used.has_value()) {
        v1::IncidentSkip* skip = response.add_skipped();
        skip->set_complaint_id(complaint_id);
        skip->set_reason("resolved already");
        continue;
      }
    }
    v1::ResolveRequest resolve;
    resolve.set_idempotency_key(key);
    resolve.set_complaint_id(complaint_id);
    resolve.set_outcome(request.outcome());
    resolve.set_solution(request.solution());
    resolve.set_prevention(request.prevention());
    absl::StatusOr<v1::ResolveResponse> resolved = runner_.Run<v1::ResolveResponse>(resolve, actor);
    if (resolved.ok()) {
      *response.add_resolved() = resolved->outcome();
      continue;
    }
    // A bad outcome or solution is wrong for every complaint: say so once.
    if (absl::IsInvalidArgument(resolved.status()) && response.resolved().empty()) {
      return resolved.status();
    }
    v1::IncidentSkip* skip = response.add_skipped();
    skip->set_complaint_id(complaint_id);
    skip->set_reason(std::string(resolved.status().message()));
  }
  return response;
}

}  // namespace complaints::tracking
