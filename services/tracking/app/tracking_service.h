#pragma once
// gRPC handlers for complaints.v1.Tracking: translate and delegate to TrackingApp.

#include "libs/server/unary_service.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {

class TrackingService final : public UnaryService {
 public:
  // `app` must outlive the service.
  explicit TrackingService(const TrackingApp* app);
};

}  // namespace complaints::tracking
