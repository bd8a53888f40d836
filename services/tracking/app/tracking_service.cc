#include "services/tracking/app/tracking_service.h"

#include "complaints/v1/tracking.grpc.pb.h"
#include "libs/complaint/redaction.h"
#include "libs/core/status_macros.h"
#include "libs/security/access_policy.h"

namespace complaints::tracking {

TrackingService::TrackingService(TrackingApp* app)
    : CallbackService(
          v1::GetComplaintRequest::descriptor()->file()->FindServiceByName("TrackingService")) {
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
  StaffHandle("AddNote", app, &TrackingApp::AddNote);
  StaffHandle("RecordEvidence", app, &TrackingApp::RecordEvidence);
  StaffHandle("Pause", app, &TrackingApp::Pause);
  StaffHandle("Resume", app, &TrackingApp::Resume);
  StaffHandle("RequestExtension", app, &TrackingApp::RequestExtension);
  StaffHandle("DecideExtension", app, &TrackingApp::DecideExtension);
  StaffHandle("Resolve", app, &TrackingApp::Resolve);
  StaffHandle("RecordCommunication", app, &TrackingApp::RecordCommunication);
  StaffHandle("RecordFollowUp", app, &TrackingApp::RecordFollowUp);
  StaffHandle("RecordLongTermCheck", app, &TrackingApp::RecordLongTermCheck);
  StaffHandle("RecordFeedback", app, &TrackingApp::RecordFeedback);
}

}  // namespace complaints::tracking
