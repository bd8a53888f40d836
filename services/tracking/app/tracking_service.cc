#include "services/tracking/app/tracking_service.h"

#include "complaints/v1/tracking.grpc.pb.h"
#include "libs/core/status_macros.h"

namespace complaints::tracking {

template <typename Request, typename Response>
void TrackingService::Staff(const std::string& method,
                            absl::StatusOr<Response> (TrackingApp::*command)(const Request&,
                                                                             const v1::Actor&)) {
  Handle<Request, Response>(
      method,
      [this, command](const Request& request, const CallInfo& call) -> absl::StatusOr<Response> {
        ASSIGN_OR_RETURN(const v1::Actor actor, StaffActor(call));
        return (app_->*command)(request, actor);
      });
}

TrackingService::TrackingService(TrackingApp* app)
    : UnaryService(
          v1::GetComplaintRequest::descriptor()->file()->FindServiceByName("TrackingService")),
      app_(app) {
  Handle<v1::GetComplaintRequest, v1::GetComplaintResponse>(
      "GetComplaint", [app](const v1::GetComplaintRequest& request, const CallInfo&) {
        return app->GetComplaint(request);
      });
  Staff("AddNote", &TrackingApp::AddNote);
  Staff("RecordEvidence", &TrackingApp::RecordEvidence);
  Staff("Pause", &TrackingApp::Pause);
  Staff("Resume", &TrackingApp::Resume);
  Staff("RequestExtension", &TrackingApp::RequestExtension);
  Staff("DecideExtension", &TrackingApp::DecideExtension);
  Staff("Resolve", &TrackingApp::Resolve);
  Staff("RecordCommunication", &TrackingApp::RecordCommunication);
  Staff("RecordFollowUp", &TrackingApp::RecordFollowUp);
  Staff("RecordLongTermCheck", &TrackingApp::RecordLongTermCheck);
  Staff("RecordFeedback", &TrackingApp::RecordFeedback);
}

}  // namespace complaints::tracking
