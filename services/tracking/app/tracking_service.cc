#include "services/tracking/app/tracking_service.h"

#include "complaints/v1/tracking.grpc.pb.h"
#include "libs/complaint/audit_chain.h"
#include "libs/complaint/redaction.h"
#include "libs/core/status_macros.h"
#include "libs/security/access_policy.h"

namespace complaints::tracking {

TrackingService::TrackingService(TrackingApp* app)
    : CallbackService(
          v1::GetComplaintRequest::descriptor()->file()->FindServiceByName("TrackingService")) {
  Handle<v1::GetAuditTrailRequest, v1::GetAuditTrailResponse>(
      "GetAuditTrail",
      [app](const v1::GetAuditTrailRequest& request,
            const CallInfo&) -> absl::StatusOr<v1::GetAuditTrailResponse> {
        // Every event of the complaint (at most 100 pages of 1,000), each
        // writer's chain checked over all of them.
        std::vector<v1::Envelope> events;
        v1::GetComplaintRequest page;
        page.set_complaint_id(request.complaint_id());
        page.set_page_size(1000);
        for (int pages = 0; pages < 100; ++pages) {
          ASSIGN_OR_RETURN(v1::GetComplaintResponse got, app->GetComplaint(page));
          for (v1::Envelope& event : *got.mutable_events()) events.push_back(std::move(event));
          if (got.next_page_token().empty()) break;
          page.set_page_token(got.next_page_token());
        }
        v1::GetAuditTrailResponse response;
        response.set_intact(true);
        for (v1::ChainCheck& check : VerifyChains(events)) {
          response.set_intact(response.intact() && check.intact());
          *response.add_checks() = std::move(check);
        }
        for (v1::Envelope& event : events) {
          if (IsAuditEntry(event)) *response.add_entries() = std::move(event);
        }
        return response;
      });
  Handle<v1::GetComplaintRequest, v1::GetComplaintResponse>(
      "GetComplaint",
      [app](const v1::GetComplaintRequest& request,
            const CallInfo& call) -> absl::StatusOr<v1::GetComplaintResponse> {
        ASSIGN_OR_RETURN(v1::GetComplaintResponse response, app->GetComplaint(request));
        const v1::DispatchState& held = response.view().dispatch();
        RETURN_IF_ERROR(
            CheckHolding(call.actor, request.complaint_id(), held.department(), held.handler()));
        Redact({.contact = call.May(v1::PERMISSION_PERSONAL_CONTACT_READ),
                .identity = call.May(v1::PERMISSION_PERSONAL_IDENTITY_READ)},
               &response);
        return response;
      });
  Handle<v1::ListComplaintsRequest, v1::ListComplaintsResponse>(
      "ListComplaints",
      [app](v1::ListComplaintsRequest request,
            const CallInfo& call) -> absl::StatusOr<v1::ListComplaintsResponse> {
        ASSIGN_OR_RETURN(*request.mutable_department(),
                         ListableDepartment(call.actor, request.department()));
        return app->ListComplaints(request);
      });
  HandleCommands(&app->commands());
  // §3.1 one burst pipe handled once: the incident's complaints, each resolved.
  StaffHandle("ResolveIncident", app, &TrackingApp::ResolveIncident);
}

}  // namespace complaints::tracking
