#pragma once
// gRPC handlers for complaints.v1.TrackingService: translate and delegate to
// TrackingApp. Staff commands take their actor from the call's metadata.

#include "libs/server/callback_service.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {

class TrackingService final : public CallbackService {
 public:
  // `app` must outlive the service.
  explicit TrackingService(TrackingApp* app);
};

}  // namespace complaints::tracking
