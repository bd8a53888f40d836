#pragma once
// gRPC handlers for complaints.v1.Intake: translate and delegate to IntakeApp.

#include "libs/server/rate_limiter.h"
#include "libs/server/unary_service.h"
#include "services/intake/app/intake_app.h"

namespace complaints::intake {

class IntakeService final : public UnaryService {
 public:
  // `app` and `limiter` must outlive the service; each client's submissions
  // beyond its rate are RESOURCE_EXHAUSTED; an upload stream beyond the
  // app's evidence ceiling (and its framing) is cut off.
  IntakeService(IntakeApp* app, RateLimiter* limiter, UnaryServiceOptions options = {});
};

}  // namespace complaints::intake
