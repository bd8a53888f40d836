#include "services/tracking/app/tracking_service.h"

#include "libs/server/grpc_status.h"

namespace complaints::tracking {

grpc::Status TrackingService::GetComplaint(grpc::ServerContext*,
                                           const v1::GetComplaintRequest* request,
                                           v1::ComplaintTimeline* response) {
  absl::StatusOr<v1::ComplaintTimeline> timeline = app_->GetComplaint(request->complaint_id());
  if (timeline.ok()) *response = *std::move(timeline);
  return ToGrpcStatus(timeline.status());
}

}  // namespace complaints::tracking
