#pragma once
// gRPC handlers for complaints.v1.Intake: translate and delegate to IntakeApp.

#include "libs/server/callback_service.h"
#include "libs/server/rate_limiter.h"
#include "services/intake/app/intake_app.h"

namespace complaints::intake {

class IntakeService final : public CallbackService {
 public:
  // `app` and `limiter` must outlive the service; each client's submissions
  // beyond its rate are RESOURCE_EXHAUSTED; an upload stream beyond the
  // app's evidence ceiling (and its framing) is cut off.
  IntakeService(IntakeApp* app, RateLimiter* limiter, CallbackServiceOptions options = {});
};

}  // namespace complaints::intake
