#pragma once
// gRPC handler for complaints.v1.Tracking: translates and delegates to TrackingApp.

#include "complaints/v1/tracking.grpc.pb.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {

class TrackingService final : public v1::Tracking::Service {
 public:
  explicit TrackingService(const TrackingApp* app) : app_(app) {}
  grpc::Status GetComplaint(grpc::ServerContext* context, const v1::GetComplaintRequest* request,
                            v1::ComplaintTimeline* response) override;

 private:
  const TrackingApp* app_;
};

}  // namespace complaints::tracking
