#include "services/tracking/app/tracking_service.h"

#include "complaints/v1/tracking.grpc.pb.h"

namespace complaints::tracking {

TrackingService::TrackingService(const TrackingApp* app)
    : UnaryService(v1::GetComplaintRequest::descriptor()->file()->FindServiceByName("Tracking")) {
  Handle<v1::GetComplaintRequest, v1::ComplaintTimeline>(
      "GetComplaint", [app](const v1::GetComplaintRequest& request, const CallInfo&) {
        return app->GetComplaint(request);
      });
}

}  // namespace complaints::tracking
