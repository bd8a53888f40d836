#include "services/tracking/app/tracking_service.h"

#include "complaints/v1/tracking.grpc.pb.h"

namespace complaints::tracking {

TrackingService::TrackingService(TrackingApp* app)
    : CallbackService(
          v1::GetComplaintRequest::descriptor()->file()->FindServiceByName("TrackingService")) {
  Handle<v1::GetComplaintRequest, v1::GetComplaintResponse>(
      "GetComplaint", [app](const v1::GetComplaintRequest& request, const CallInfo&) {
        return app->GetComplaint(request);
      });
  Handle<v1::ListComplaintsRequest, v1::ListComplaintsResponse>(
      "ListComplaints", [app](const v1::ListComplaintsRequest& request, const CallInfo&) {
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
